"""Layouts: outline, table, feature and paragraphs; each parser turns a document's content into tasks (the
paragraphs layout's line shapes are in :mod:`analysis.segment.paragraph_shapes`, the table parsers in
:mod:`analysis.segment.table_layouts`)."""

from __future__ import annotations

import bisect
from dataclasses import replace

from analysis.corpus import Document
from analysis.segment import spans as sp
from analysis.segment.clauses import clause_markers
from analysis.segment.patterns import (
    ANY_MARKER_RE,
    BARE_MARKER_RES,
    CELL_HEADER_RE,
    CELL_ROW_RE,
    DASH_CLAUSE_RE,
    AWARENESS_RE,
    BACKGROUND_RE,
    EDITOR_NOTE_RE,
    FACT_QUESTION_RE,
    FRAMING_LEAD_RE,
    FRAMING_ITEM_MAX,
    FRAMING_RE,
    RULE_FRAME_RE,
    HEADER_RE,
    HEAD_TITLE_MAX,
    ITEM_RE,
    LEVELS,
    LINE_MARKER_RES,
    MARKER_AT_RE,
    PAGE_HEAD_MAX,
    PAGE_HEAD_SHORT_MAX,
    PAGE_MARK_RE,
    PART_RE,
    PARA_HEAD_RE,
    PASSAGE_RE,
    PINYIN_PAREN_RE,
    PREFACE_RE,
    PUNCT_RE,
    ROW_RE,
    RUN_IN_HEADING_MAX,
    RUN_IN_LINE_MIN,
    RUN_IN_MARKER_RES,
    SECTION_RE,
    SENTENCE_END_RE,
    RULE_LINE_RE,
    SHI_CLAUSE_RE,
    YEAR_FRAME_RE,
    SLOGAN_DIGIT_RE,
    THEME_HEADING_MAX,
    THEME_RE,
    TOC_LINE_RE,
)
from analysis.segment.paragraph_shapes import (
    colon_lead,
    cover,
    front_matter,
    headed,
    heading_family,
    ordinal_points,
    short_line,
    unwrap,
)
from analysis.segment.tables_of_counts import count_tables
from analysis.segment.table_layouts import cell_header, grid, table
from analysis.segment.units import Note, Task, cut_unit, gaps, preamble


#: Parts of a table attached after a plan's text are numbered from here (their ids: region-101-01 …).
ATTACHED_PART = 100
#: Content (characters) a plan's text must have before a table for the table to count as attached to it.
ATTACHED_MIN = 200


def attached_table(text: str, first: int, last: int) -> int | None:
    """Where a task-list table starts when it follows a plan's own outline text (a 附件 task list), else None."""
    header = HEADER_RE.search(text, first, last)
    start = header.start() if header else None
    if start is None and (cell := CELL_HEADER_RE.search(text, first, last)) and cell_header(text, first, last):
        start = cell.start()
    if start is None or sp.nonspace(text[first:start]) < ATTACHED_MIN:
        return None
    before, _ = markers(text, first, start)
    return start if before["cn"] or len(before["paren_cn"]) >= 2 else None


def detect_layout(text: str) -> str:
    if len(ROW_RE.findall(text)) >= 3 and HEADER_RE.search(text):
        return "table"
    if cell_header(text, 0, len(text)) and len(CELL_ROW_RE.findall(text)) >= 2:
        return "table"
    if grid(text, 0, len(text)):
        return "table"
    if _themed(text):
        return "feature"
    if ITEM_RE.search(text) or len(SECTION_RE.findall(text)) >= 2:
        return "outline"
    found, _ = markers(text, 0, len(text))
    if found["cn"] or any(len(v) >= 2 for v in found.values()):  # one 一、 part is an outline too
        return "outline"
    return "paragraphs"



def _themed(text: str) -> bool:
    """Numbered themes: three or more numbers alone on their lines, or two that follow each other (05, 06: a
    page showing part of a feature) each over a heading line (short, no punctuation)."""
    found = list(THEME_RE.finditer(text))
    if len(found) >= 3:
        return True
    if len(found) != 2 or int(found[1].group(1)) != int(found[0].group(1)) + 1:
        return False
    if SECTION_RE.search(text) or ITEM_RE.search(text):  # an outline's page numbers, not a feature's themes
        return False
    for m in found:
        pos = sp.lstrip(text, m.end(), len(text))
        line = text[pos:sp.line_end(text, pos)].strip()
        if not line or PUNCT_RE.search(line) or sp.nonspace(line) > THEME_HEADING_MAX or THEME_RE.fullmatch(line):
            return False
    return True


def content_bounds(text: str, boiler: list[tuple[str, int, int]]) -> tuple[int, int]:
    """First and last non-boilerplate, non-whitespace character (end exclusive)."""
    removed = bytearray(len(text))
    for _, s, e in boiler:
        removed[s:e] = b"\x01" * (e - s)
    first = next((i for i, ch in enumerate(text) if not ch.isspace() and not removed[i]), len(text))
    last = next((i + 1 for i in range(len(text) - 1, -1, -1)
                 if not text[i].isspace() and not removed[i]), first)
    return first, last


def page_marks(text: str, first: int, last: int) -> set[int]:
    """Offsets of a document site's page marks: every non-empty line in ``[first, last)`` opens with 1、,
    2、, 3、 … in sequence, and every line but the last is long and breaks off mid-sentence (no sentence
    end), as pages cut out of one text do; a list of points, one per line, ends its lines with 。. Up to
    :data:`PAGE_HEAD_MAX` lines before page 1 (the document's name, the site's sharing notice) are left out, or
    up to :data:`PAGE_HEAD_SHORT_MAX` when all of them are short (a library page's header)."""
    rows = [(s, e, line) for s, e, line in sp.lines_in(text, first, last) if line.strip()]
    head = next((k for k, (_, _, line) in enumerate(rows[:PAGE_HEAD_SHORT_MAX + 1])
                 if (m := PAGE_MARK_RE.match(line)) and m.group(1) == "1"
                 and (k <= PAGE_HEAD_MAX or all(e - s < RUN_IN_LINE_MIN for s, e, _ in rows[:k]))), 0)
    rows = rows[head:]
    if len(rows) < 2:
        return set()
    out = set()
    for k, (s, e, line) in enumerate(rows):
        m = PAGE_MARK_RE.match(line)
        if not m or int(m.group(1)) != k + 1:
            return set()
        if k + 1 < len(rows) and (e - s < RUN_IN_LINE_MIN or SENTENCE_END_RE.search(line.rstrip()[-1:])):
            return set()
        out |= {s, s + m.start(1)}
    return out


def markers(text: str, first: int, last: int,
            boiler_starts: list[int] = ()) -> tuple[dict[str, list[tuple[int, int]]], bool]:
    """Outline markers in ``[first, last)`` by level: ``{level: [(offset, number), ...]}``, and whether
    the text is run-in (markers inside long lines rather than at line starts).

    Line-start markers are taken as they are (gaps and repeats are warned about later). In a run-in text
    a marker counts only when its numbering runs on (one more than the last of its level, or 1 again),
    so that a "（一）" quoted inside a sentence does not open an item. Markers on lines a boilerplate rule claimed
    (``boiler_starts``: a document site's numbered notices, 1. 本文档由用户上传…) are none.
    """
    marks = page_marks(text, first, last)
    found = {k: [(m.start(), n) for m in rx.finditer(text, first, last)
                 if (n := sp.cn_int(m.group(1))) is not None and m.start() not in marks
                 and not (boiler_starts and _on_boilerplate_line(text, sp.lstrip(text, m.start(), m.end()), boiler_starts))]
             for k, rx in LINE_MARKER_RES.items()}
    long_lines = [(s, e) for s, e, line in sp.lines(text[:last])  # a site's last page may be short: run-in too
                  if (e - s >= RUN_IN_LINE_MIN or sp.lstrip(text, s, e) in marks) and e > first]
    if not long_lines:
        return found, False
    run_in = {k: [] for k in LEVELS}
    after_marks = sorted(m.end() for p in marks if (m := PAGE_MARK_RE.match(text, p)) and m.start(1) == p)
    for k, rx in RUN_IN_MARKER_RES.items():
        prev = 0
        for s, e in long_lines:
            lo, hi = max(s, first), min(e, last)
            opened = [m for p in after_marks if lo <= p < hi and (m := BARE_MARKER_RES[k].match(text, p))]
            for m in sorted([*rx.finditer(text, lo, hi), *opened], key=lambda m: m.start()):  # 1、一、: page 1 opens 一、
                n = sp.cn_int(m.group(1))
                if n is not None and (n == prev + 1 or n == 1) and m.start() not in marks:
                    run_in[k].append((m.start(), n))
                    prev = n
    n_line = sum(len(v) for v in found.values())
    n_run = sum(len(v) for v in run_in.values())
    n_lines = sum(1 for _, _, line in sp.lines_in(text, first, last) if line.strip())
    paged = bool(marks) and n_run >= 1  # a site's pages are one text cut into long lines: run-in by construction
    if (paged or n_run >= 3 or (n_run >= 2 and n_lines <= 3)) and n_run > 2 * n_line:  # a page with no line breaks
        merged = {k: sorted(set(found[k]) | set(run_in[k])) for k in LEVELS}
        return merged, True
    return found, False


def levels(found: dict[str, list[tuple[int, int]]]) -> tuple[str | None, str | None]:
    """(section level, item level) of an outline: 一、 sections over the first finer level used twice."""
    section = "cn" if found["cn"] else None
    for k in LEVELS[1:]:
        if len(found[k]) >= 2 or (found[k] and k == "paren_cn"):
            return section, k
    return section, None


def _section_items(text: str, found: dict[str, list[tuple[int, int]]], sections: list[tuple[int, int]],
                   first: int, last: int, item_level: str | None) -> list[tuple[int, int]]:
    """The items of each section, at the level that section uses: one part of a plan may list （一） items
    and the next 1. items. A first item run into its section's heading (一、加强保障1、关心…) is found too."""
    if not sections:
        bounds = [(first, last)]
    else:
        bounds = [(s, sections[k + 1][0] if k + 1 < len(sections) else last) for k, (s, _) in enumerate(sections)]
    items = []
    positions = {k: [p for p, _ in v] for k, v in found.items()}
    for lo, hi in bounds:
        local = {k: v[bisect.bisect_left(positions[k], lo if not sections else lo + 1):bisect.bisect_left(positions[k], hi)]
                 for k, v in found.items()}
        local["cn"] = []
        _, level = levels(local)
        if level is None and item_level and local[item_level]:
            level = item_level
        if level is None:
            continue
        inner = local[level]
        finer = LEVELS[LEVELS.index(level) + 1:]
        lead = next((pts for k in finer if len(pts := [(p, n) for p, n in local[k] if inner and p < inner[0][0]]) >= 2
                     and [n for _, n in pts] == list(range(1, len(pts) + 1))), [])
        if lead:  # points before the part's first item (its （一） heading left out): items of their own
            items += lead
        elif inner and inner[0][1] == 2:  # the first item runs into the heading's line
            m = RUN_IN_MARKER_RES[level].search(text, lo + 1, inner[0][0])
            if m and sp.cn_int(m.group(1)) == 1:
                inner = [(m.start(), 1)] + inner
        items += inner
    return items


def _paragraph_items(text: str, start: int, end: int, marks: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
    """The paragraphs of an unnumbered section body, when each opens with a heading sentence of its own
    (持续夯实民生保障底线。…): a reader counts them as tasks. Otherwise none. A line that a document site's
    page mark opens (``marks``: 2、 on page two) goes on with the line before: a page break, no paragraph."""
    paras: list[tuple[int, int]] = []
    for s, e, line in sp.lines_in(text, start, end):
        if not line.strip():
            continue
        a, b = sp.lstrip(text, s, e), sp.rstrip(text, s, e)
        if paras and (s in marks or a in marks):
            paras[-1] = (paras[-1][0], b)
        else:
            paras.append((a, b))
    if len(paras) < 2:
        return []
    heads = [bool(PARA_HEAD_RE.match(text, s, e)) for s, e in paras]
    if sum(heads) < max(2, len(paras) - 1):
        return []
    if not heads[0]:  # an overview of the part before its headed paragraphs: it leads into the first of them
        paras = [(paras[0][0], paras[1][1])] + paras[2:]
    return paras


def _headed_groups(text: str, start: int, end: int, boiler_starts: list[int]) -> list[tuple[int, int]]:
    """Short heading lines of an unnumbered section body, each over the sentences of its own (a list scraped
    with its bullets as rule lines: 一、党建引领基层治理 / - / 强化基层党组织功能 / - / 选优配强…。/ - / 推动…。):
    each heading with its sentences is a task. None unless the body opens with such a heading and two or
    more of them each stand over one or more sentence lines, and every other line is a sentence or a rule."""
    lines = []
    for s, e, line in sp.lines_in(text, start, end):
        if RULE_LINE_RE.fullmatch(line) or not line.strip():
            continue  # the list's bullets
        if _on_boilerplate_line(text, sp.lstrip(text, s, e), boiler_starts):
            break  # a footer or notice line closes the list
        lines.append((sp.lstrip(text, s, e), sp.rstrip(text, s, e)))
    heads = [k for k, (s, e) in enumerate(lines) if short_line(text[s:e]) and not ANY_MARKER_RE.match(text, s, e)
             and not text[s:e].lstrip("-–—•· ").startswith(tuple("，,；;"))]
    if len(heads) < 2 or heads[0] != 0 or any(b - a < 2 for a, b in zip(heads, heads[1:] + [len(lines)])):
        return []
    bounds = heads + [len(lines)]
    return [(lines[a][0], lines[b - 1][1]) for a, b in zip(bounds, bounds[1:])]


def _item_paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The paragraphs under an item's heading line ((一)夯实基础，社区民生持续改善 on a line of its own), when
    each opens with a heading sentence (落实各项基本保障。…) and none with a number or 一是: tasks of their own.
    Otherwise none (the item is one task)."""
    body = sp.lstrip(text, sp.line_end(text, start), end)
    if body >= end or SENTENCE_END_RE.search(text, start, sp.line_end(text, start)):
        return []  # the item's heading runs into its text: no heading line
    paras = _paragraph_items(text, body, end)
    if any(MARKER_AT_RE.match(text, s, e) or SHI_CLAUSE_RE.match(text, s, e) for s, e in paras):
        return []
    return paras


def _table_of_contents(text: str, pts: list[tuple[int, int]], stop: int) -> bool:
    """Whether numbered lines are a table of contents (titles ending in a page number: 工作要点12)."""
    ends = [pts[j + 1][0] if j + 1 < len(pts) else stop for j in range(len(pts))]
    paged = sum(1 for (s, _), e in zip(pts, ends) if TOC_LINE_RE.match(ANY_MARKER_RE.sub("", text[s:e]).strip()))
    return paged * 2 >= len(pts)


def _lead_items(text: str, found: dict[str, list[tuple[int, int]]], first: int, stop: int, *,
                skip: str | None) -> list[tuple[int, int]]:
    """Numbered points (1. / （1） / ①, numbered 1, 2, 3…) in the front matter before an outline's first
    heading: the parts of a slogan (围绕“1232”工作思路：1.聚焦一个目标…) that a reader counts as tasks."""
    for k in LEVELS[2:]:
        if k == skip:
            continue
        pts = [(s, n) for s, n in found[k] if first <= s < stop]
        if len(pts) >= 2 and [n for _, n in pts] == list(range(1, len(pts) + 1)) \
                and not _table_of_contents(text, pts, stop):
            return pts
    pts = [(m.start(), int(m.group(1))) for m in SLOGAN_DIGIT_RE.finditer(text, first, stop)]
    return pts if len(pts) >= 2 and [n for _, n in pts] == list(range(1, len(pts) + 1)) else []


def _continued_points(text: str, found: dict[str, list[tuple[int, int]]], first: int,
                      stop: int) -> list[tuple[int, int]]:
    """Numbered points that open the text before its first heading, numbered on from above one (4. / 2、3、4、):
    a page that starts in the middle of a list (the second page of a plan: its title, then the list's next
    points), whose points a reader counts as tasks. The text may open with the page's title line (short, no
    sentence punctuation) before them; none otherwise. A page that opens with a dash-bullet entry (--规范…。)
    is such a list too: each of its paragraphs before the first heading is a point."""
    def opens(pos: int) -> bool:
        before = text[first:pos].strip()
        return not before or ("\n" not in before and len(before) <= HEAD_TITLE_MAX and not PUNCT_RE.search(before))

    for k in LEVELS[1:]:
        pts = [(s, n) for s, n in found[k] if first <= s < stop]
        if not pts or pts[0][1] < 2 or [n for _, n in pts] != list(range(pts[0][1], pts[0][1] + len(pts))):
            continue
        if opens(pts[0][0]):
            return pts
    dash = DASH_CLAUSE_RE.search(text, first, stop)
    if dash and opens(dash.start()):
        return [(sp.lstrip(text, s, e), n) for n, (s, e, _) in
                enumerate((row for row in sp.lines_in(text, dash.start(), stop) if row[2].strip()), 1)]
    return []


def _on_boilerplate_line(text: str, pos: int, boiler_starts: list[int]) -> bool:
    """Whether ``pos`` lies on a line that a boilerplate rule claimed (its start is in ``boiler_starts``)."""
    k = bisect.bisect_right(boiler_starts, pos) - 1
    return k >= 0 and "\n" not in text[boiler_starts[k]:pos]


def outline(doc: Document, first: int, last: int, boiler_starts: list[int]) -> tuple[list[Task], list[Note], int]:
    text = doc.text
    found, run_in = markers(text, first, last, boiler_starts)
    marks = frozenset(page_marks(text, first, last)) if run_in else frozenset()
    found = {k: [(s, n) for s, n in v if not _on_boilerplate_line(text, s, boiler_starts)] for k, v in found.items()}
    sec_level, item_level = levels(found)
    sections = found[sec_level] if sec_level else []
    items = _section_items(text, found, sections, first, last, item_level)
    parts = [m.start() for m in PART_RE.finditer(text, first, last)] if sections else []
    notes = [n for group in _by_part(sections, parts)
             for n in gaps([(n, s) for s, n in group], what="section", where="its part" if parts else "")]
    if run_in:
        notes.append(Note("run_in", first, "numbering markers run into long lines (a text saved without line "
                                           "breaks): split at the markers inside the lines"))
    # Item numbers either run through the document or restart in each section.
    restart = len(sections) > 1 and sum(1 for _, n in items if n == 1) > 1
    notes += gaps([(n, s) for s, n in items], what="item", restart_ok=restart)
    if not sections and not items:
        return [], notes, 0
    boundaries = sorted([s for s, _ in sections] + [s for s, _ in items]) + [last]
    lead = _lead_items(text, found, first, boundaries[0], skip=item_level) \
        or _continued_points(text, found, first, boundaries[0])
    tasks = preamble(text, first, lead[0][0] if lead else boundaries[0], boiler_starts)
    for j, (l_start, l_no) in enumerate(lead):  # numbered points before the outline (a slogan's parts)
        end = cut_unit(text, l_start, lead[j + 1][0] if j + 1 < len(lead) else boundaries[0], boiler_starts)
        tasks.append(Task("item", 0, "", l_no, 0, ANY_MARKER_RE.sub("", sp.title(text, l_start, end)),
                          l_start, end, l_start))
    if lead:
        notes.append(Note("layout", lead[0][0], f"{len(lead)} numbered points before the first heading "
                                                f"(a slogan's parts, 1232 / 12345 style) are tasks of part 0"))

    def next_boundary(pos: int) -> int:
        return boundaries[bisect.bisect_right(boundaries, pos)]

    item_starts = [i_start for i_start, _ in items]  # ascending
    sec_iter = sections or [(first, 0)]
    for k, (s_start, s_no) in enumerate(sec_iter):
        is_section = bool(sections)
        s_end = sec_iter[k + 1][0] if k + 1 < len(sec_iter) else last
        heading_end = min(sp.line_end(text, s_start), next_boundary(s_start))
        while marks and heading_end < next_boundary(s_start) and (nxt := sp.lstrip(text, heading_end, s_end)) in marks:
            heading_end = min(sp.line_end(text, nxt), next_boundary(s_start))  # a page break: the line goes on
        heading = sp.title(text, s_start, heading_end) if is_section else ""
        facts = is_section and FACT_QUESTION_RE.search(  # 一、…是什么意思? (the line: a title stops at its ?)
            PINYIN_PAREN_RE.sub("", text[s_start:heading_end])) is not None
        lo, hi = bisect.bisect_left(item_starts, s_start), bisect.bisect_left(item_starts, s_end)
        inner = items[lo:hi]
        if not inner:  # a section with no items: the section itself is the unit, or its paragraphs
            end = cut_unit(text, s_start, s_end, boiler_starts)
            body = sp.lstrip(text, heading_end, end)
            bare = (sp.lstrip(text, heading_end, s_end) >= sp.rstrip(text, heading_end, s_end)
                    and short_line(text[s_start:heading_end].strip()))  # a heading line with nothing under it
            if body >= end and is_section and (m := MARKER_AT_RE.match(text, s_start, end)):
                body = m.end()  # the heading runs into the body on one line (一、加强领导。一是…): after the marker
            aware = is_section and AWARENESS_RE.search(PINYIN_PAREN_RE.sub("", heading)) is not None \
                or facts
            paras = (_paragraph_items(text, body, end, marks)
                     or _headed_groups(text, sp.lstrip(text, heading_end, s_end), s_end, boiler_starts)) \
                if is_section and not aware else []
            if len(paras) < 2:
                core = (PINYIN_PAREN_RE.sub("", ANY_MARKER_RE.sub("", heading)).split(maxsplit=1) or [""])[0]
                framing = aware or BACKGROUND_RE.match(core) or (FRAMING_RE.search(core) or FRAMING_LEAD_RE.match(core)) \
                    and len(clause_markers(text, body, end, aspects=True)) < 2
                cut_off = bare and is_section and k == len(sec_iter) - 1 and k > 0 and any(
                    t.unit != "preamble" and t.end > sp.line_end(text, t.start) for t in tasks)
                tasks.append(Task("framing" if framing or cut_off else "item", s_no, heading, 0, 0, heading, s_start,
                                  end, body))  # cut_off: the last heading of a text cut short, its items lost
                continue
            for j, (p_start, p_end) in enumerate(paras, 1):
                tasks.append(Task("paragraph", s_no, heading, j, 0, sp.title(text, p_start, p_end),
                                  s_start if j == 1 else p_start, p_end, p_start))
            continue
        for j, (i_start, i_no) in enumerate(inner):
            start = s_start if j == 0 and is_section else i_start
            end = cut_unit(text, i_start, next_boundary(i_start), boiler_starts)
            title = ANY_MARKER_RE.sub("", sp.title(text, i_start, end))
            paras = _item_paragraphs(text, i_start, end)
            if paras:  # an item's heading line over paragraphs that each open with a heading sentence
                tasks += [Task("paragraph", s_no, heading, i_no, n, sp.title(text, p_start, p_end),
                               start if n == 1 else p_start, p_end, p_start) for n, (p_start, p_end) in enumerate(paras, 1)]
                continue
            core = PINYIN_PAREN_RE.sub("", title).strip()
            framing = facts or RULE_FRAME_RE.match(core) or len(core) <= FRAMING_ITEM_MAX and FRAMING_RE.search(core) \
                and len(clause_markers(text, i_start, end, aspects=True)) < 2  # （一）指导思想。 over its paragraph
            tasks.append(Task("framing" if framing else "item", s_no, heading, i_no, 0, title, start, end, i_start))
    if sections and items and items[0][0] < sections[0][0]:
        notes.append(Note("defect", items[0][0], "items before the first section heading"))
    if parts:
        tasks = _open_parts(text, tasks, parts)
        notes.append(Note("layout", parts[0], f"{len(parts)} parts (第一部分…) over the sections; their "
                                              f"sections number afresh (ids of a later part's tasks get ~2, ~3)"))
    return tasks, notes, len(sections)


def _by_part(sections: list[tuple[int, int]], parts: list[int]) -> list[list[tuple[int, int]]]:
    """The sections grouped by the part (第X部分) they stand in (one group when there are no parts)."""
    groups: list[list[tuple[int, int]]] = [[] for _ in range(len(parts) + 1)]
    for s, n in sections:
        groups[bisect.bisect_right(parts, s)].append((s, n))
    return [g for g in groups if g]


def _open_parts(text: str, tasks: list[Task], parts: list[int]) -> list[Task]:
    """A part's heading line (第二部分 2025年工作计划) opens the part's first task instead of closing the task
    before it (whose body, if it was only that line, is its heading line after the marker)."""
    out = list(tasks)
    for p in parts:
        k = next((j for j, t in enumerate(out) if t.start > p), None)
        if k is None or k == 0 or not out[k - 1].start < p < out[k - 1].end:
            continue
        prev = out[k - 1]
        body = prev.body_start if prev.body_start < p else \
            (m.end() if (m := MARKER_AT_RE.match(text, prev.start, p)) else prev.start)
        out[k - 1] = replace(prev, end=p, body_start=body)
        out[k] = replace(out[k], start=p)
    return out


def feature(doc: Document, first: int, last: int, boiler_starts: list[int]) -> tuple[list[Task], list[Note], int]:
    text = doc.text
    themes = [(m.start(), int(m.group(1)), m.end()) for m in THEME_RE.finditer(text, first, last)]
    notes = gaps([(n, s) for s, n, _ in themes], what="theme")
    tasks = preamble(text, first, themes[0][0] if themes else last, boiler_starts)
    for k, (t_start, t_no, marker_end) in enumerate(themes):
        t_end = themes[k + 1][0] if k + 1 < len(themes) else last
        # Heading lines: short lines with no sentence punctuation, before the body.
        heading_parts, pos = [], sp.lstrip(text, marker_end, t_end)
        body = pos
        while pos < t_end:
            line_end = min(sp.line_end(text, pos), t_end)
            line = text[pos:line_end].strip()
            if line and not PUNCT_RE.search(line) and sp.nonspace(line) <= THEME_HEADING_MAX:
                heading_parts.append(line)
                pos = sp.lstrip(text, line_end, t_end)
                body = pos
                continue
            if not heading_parts and line:  # heading runs into the body on one line
                m = PUNCT_RE.search(text, pos, line_end)
                prefix = text[pos:m.start() if m else line_end]
                cut = len(prefix) if len(prefix) <= RUN_IN_HEADING_MAX + 1 else RUN_IN_HEADING_MAX
                heading_parts.append(prefix[:cut])
                body = pos + cut
                notes.append(Note("heading", pos, f"theme {t_no}: heading runs into the body text; "
                                                  f"title taken as {prefix[:cut]!r}"))
            break
        title = " ".join(heading_parts)
        section = f"{t_no} {title}"
        passages = [m for m in PASSAGE_RE.finditer(text, body, t_end)]
        if not passages:
            tasks.append(Task("theme", t_no, section, 1, 0, title, t_start,
                              cut_unit(text, t_start, t_end, boiler_starts), body))
            continue
        for j, m in enumerate(passages):
            p_start = sp.lstrip(text, m.start(), m.end())
            start = t_start if j == 0 else p_start
            end = passages[j + 1].start() if j + 1 < len(passages) else t_end
            tasks.append(Task("passage", t_no, section, j + 1, 0, f"{title}：{m.group(1)}", start,
                              cut_unit(text, start, end, boiler_starts), p_start))
    return tasks, notes, len(themes)


def _preface(text: str, spans: list[tuple[int, int]]) -> int:
    """How many spans open the text as front matter through a preface: short lines (the plan's title, its
    date) up to a 前言 heading line, and the paragraph under it (a preface introduces the plan); 0 without one."""
    for k in range(len(spans) - 1):
        line = text[spans[k][0]:spans[k][1]].strip()
        if PREFACE_RE.fullmatch(line):
            return k + 2
        if not short_line(line):
            break
    return 0


def paragraphs(doc: Document, first: int, last: int, boiler_starts: list[int]) -> tuple[list[Task], list[Note], int]:
    text = doc.text
    spans = []
    for start, end, _line in sp.lines(text):
        s, e = max(start, first), min(end, last)
        k = bisect.bisect_left(boiler_starts, s)
        if s < e and text[s:e].strip() and not (k < len(boiler_starts) and boiler_starts[k] < e):
            spans.append((sp.lstrip(text, s, e), sp.rstrip(text, s, e)))
    unit = "paragraph"
    spans = unwrap(text, count_tables(text, spans))
    front = _preface(text, spans)
    spans = ([(spans[0][0], spans[front - 1][1])] if front else []) + headed(text, spans[front:])
    lead = 1 if front else 0  # a title line and an introduction before the paragraphs are front matter, not tasks
    while lead < min(2, len(spans) - 1) and front_matter(text[spans[lead][0]:spans[lead][1]]):
        lead += 1
    while lead < len(spans) and cover(text, *spans[lead]):  # a title over its date: front matter, even alone
        lead += 1
    lead = max(lead, colon_lead(text, spans), _editor_note(text, spans))
    groups = heading_family(text, spans)
    if not groups and (points := ordinal_points(text, spans)) is not None:  # 首先 … 其次 … 最后: one task a point
        lead, body, n_closing = max(lead, points[0]), points[1], points[2]
        spans = spans[:lead] + body + ([(spans[-n_closing][0], spans[-1][1])] if n_closing else [])
        n_closing = min(n_closing, 1)  # the closing paragraphs are one span now
    else:
        n_closing = 0
    if groups:  # parallel heading lines (……方面) over their paragraphs: one task per heading
        lead = groups[0]
        bounds = groups + [len(spans)]
        spans = spans[:lead] + [(spans[a][0], spans[b - 1][1]) for a, b in zip(bounds, bounds[1:])]
    notes = [Note("fallback", first, f"no recognizable numbering (一、 / (一) / table rows / numbered themes): "
                                     f"fell back to one task per {unit} ({len(spans) - lead} tasks)")]
    tasks = preamble(text, spans[0][0], spans[lead][0] if lead < len(spans) else spans[-1][1], boiler_starts) if lead else []
    tasks += [Task("framing" if _year_frame(text, s, e) else "paragraph", 1, "", n, 0, sp.title(text, s, e), s, e, s)
              for n, (s, e) in enumerate(spans[lead:len(spans) - n_closing], 1)]
    if n_closing:  # the closing after the last point sums the points up: no task of its own
        s, e = spans[-1]
        tasks.append(Task("framing", 1, "", 0, 0, sp.title(text, s, e), s, e, s))
    return tasks, notes, 0


def _year_frame(text: str, start: int, end: int) -> bool:
    """A paragraph that frames the year (会议强调，2026年是…之年。要…) and lists no tasks of its own."""
    return bool(YEAR_FRAME_RE.match(text, start, end)) and len(clause_markers(text, start, end, aspects=True)) < 2


def _editor_note(text: str, spans: list[tuple[int, int]]) -> int:
    """How many leading paragraphs an editor's note (编者按：…) closes, within the first three: the note's and,
    when its label stands alone, the paragraph after it; 0 without a note."""
    for k, (s, e) in enumerate(spans[:3]):
        m = EDITOR_NOTE_RE.search(text, s, e)
        if m:
            label_only = not text[m.end():e].strip() or EDITOR_NOTE_RE.fullmatch(text[m.start():e].strip()) is not None
            return min(k + (2 if label_only else 1), len(spans) - 1)
    return 0


LAYOUT_PARSERS = {"outline": outline, "table": table, "feature": feature, "paragraphs": paragraphs}
#: What each layout looks for, for the error when a layout named in the manifest finds none.
LAYOUT_UNITS = {"outline": "numbered headings or items (一、 / （一） / 1.)",
                "table": "table header (序号 | … or 序号 alone on a line) with numbered rows",
                "feature": "theme numbers alone on their lines", "paragraphs": "paragraphs"}


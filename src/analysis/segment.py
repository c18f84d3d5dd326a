"""Segmentation: each document -> sections -> tasks -> clauses, every unit with offsets into the raw text.

Four layouts, detected from the text (or named in the manifest's ``layout`` column):

- ``outline``: ``一、`` sections with ``(一)`` / ``（一）`` items (work plans and summaries);
- ``table``: a pipe table, one task per row, wrapped cells joined, part headings ``一、…`` as sections;
- ``feature``: a newspaper feature with numbered themes (a number alone on a line), each theme split
  into its ``在……方面`` passages;
- ``paragraphs``: the fallback for text with no recognizable numbering (one task per paragraph, or per
  sentence when there is a single paragraph), always with a warning.

Inside every task, ``一是/二是`` and ``1. / 1、`` markers cut clauses. Where the manifest's
``task_unit`` is ``clause``, those clauses are the tasks. Tasks tile the document: the first task of a
section also holds the section heading; the front matter before the first section is its own
``preamble`` unit. Web-page boilerplate (footers, page metadata) and trailing signatures are dropped
and listed; numbering gaps are kept as in the source and listed as warnings; every non-whitespace
character outside a task is reported.
"""

from __future__ import annotations

import bisect
import csv
import gc
import re
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache

import cn2an
import pandas as pd

from analysis import config
from analysis.corpus import Document

CN_NUM = "零〇一二三四五六七八九十百"
#: ``一、`` at the start of a line: a section (part) heading.
SECTION_RE = re.compile(rf"^[ \t\u3000]*([{CN_NUM}]+)、", re.M)
#: ``(一)`` or ``（一）`` at the start of a line: an item.
ITEM_RE = re.compile(rf"^[ \t\u3000]*[(（]([{CN_NUM}]+)[)）]", re.M)
#: A theme number alone on its line (newspaper features).
THEME_RE = re.compile(r"^[ \t\u3000]*(\d{1,2})[ \t\u3000]*$", re.M)
#: A table row: a number, then a pipe.
ROW_RE = re.compile(r"^[ \t\u3000]*(\d{1,3})[ \t]*\|", re.M)
#: A table header row (its first cell is 序号).
HEADER_RE = re.compile(r"^[ \t\u3000]*序号[ \t]*\|", re.M)
#: ``一是`` / ``二是`` clause markers, after the start, whitespace or punctuation.
SHI_CLAUSE_RE = re.compile(rf"(?:(?<=^)|(?<=[\s。；;，,：:]))([{CN_NUM}]{{1,3}})是(?=\S)")
#: ``1.`` / ``1、`` / ``1．`` clause markers (not decimals such as 1.3倍 or dates such as 6.19), after the
#: start, whitespace or punctuation. Written digit first (the look-behind checks the character before it) so
#: the engine skips to digits (tests/test_segment.py compares it with the plain form).
DIGIT_CLAUSE_RE = re.compile(r"(\d(?:(?<=^\d)|(?<=[\s。；;：:|]\d))\d?)[.、．](?!\d)")
#: ``在……方面，`` passages at the start of a sentence (newspaper features).
PASSAGE_RE = re.compile(r"(?:(?<=^)|(?<=[。！？\n]))[ \t\u3000]*在([^，,。；;\n]{1,24})方面[，,]")
#: Sentence ends, for titles and the sentence fallback.
SENTENCE_END_RE = re.compile(r"[。！？!?]")
#: A trailing signature line: a date, or a short line ending in the name of an office.
DATE_LINE_RE = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
OFFICE_LINE_RE = re.compile(r"^\s*\S{2,20}(局|委员会|政府|办公室|中心)\s*$")
#: Whitespace inside a run of CJK characters: a layout defect (newspaper columns). Written space first
#: (the look-behind checks the CJK character before it) so the engine skips to spaces;
#: tests/test_segment.py compares it with the plain form. tokenize reads the same gaps.
CJK_GAP_RE = re.compile(r"[ \t\u3000\u00a0](?<=[\u3400-\u9fff][ \t\u3000\u00a0])[ \t\u3000\u00a0]*(?=[\u3400-\u9fff])")
PUNCT_RE = re.compile(r"[。，,；;：:！？!?、]")
#: Table bars (and the space around them) closing a title.
TRAILING_BARS_RE = re.compile(r"\s*[|｜][\s|｜]*$")
#: Trailing space and bars after a table part heading.
TRAILING_SPACE_BARS_RE = re.compile(r"[\s|]+$")
#: The ``(一)`` marker opening an item's title.
ITEM_MARKER_RE = re.compile(rf"^[ \t\u3000]*[(（][{CN_NUM}]+[)）]")
#: Runs of whitespace inside a table cell.
SPACE_RUN_RE = re.compile(r"\s+")
#: A run of CJK characters at the end / at the start of a string.
CJK_RUN_END_RE = re.compile(r"[\u3400-\u9fff]+$")
CJK_RUN_RE = re.compile(r"[\u3400-\u9fff]+")

#: Table header names -> task fields.
TABLE_FIELDS = {
    "序号": "no", "重点工作事项": "title", "工作事项": "title", "工作任务": "title", "任务": "title",
    "工作目标": "goal", "目标": "goal", "分管领导": "leader", "责任领导": "leader",
    "责任科室": "department", "责任单位": "department", "牵头单位": "department",
}
#: A space with at most this many CJK characters on one side, in a prose line, is a layout defect.
STRAY_RUN_MAX = 3
#: Longest heading the feature layout allows when a theme's heading runs into its body text.
RUN_IN_HEADING_MAX = 11

TASK_COLUMNS = ["region", "doc_id", "task_id", "unit", "is_preamble", "section_no", "section", "item_no",
                "clause_no", "title", "text", "start", "end", "body_start", "goal", "leader", "department",
                "n_chars"]


@dataclass(frozen=True)
class Task:
    unit: str
    section_no: int
    section: str
    item_no: int
    clause_no: int
    title: str
    start: int
    end: int
    body_start: int
    goal: str = ""
    leader: str = ""
    department: str = ""
    goal_span: tuple[int, int] | None = None  # where clause markers are searched (table rows: the goal cell)


@dataclass(frozen=True)
class Clause:
    task_index: int
    n: int
    marker: str
    start: int
    end: int


@dataclass(frozen=True)
class Note:
    kind: str
    start: int
    message: str


@dataclass
class Segmentation:
    doc: Document
    layout: str
    tasks: list[Task]
    clauses: list[Clause]
    boilerplate: list[tuple[str, int, int]]  # (kind, start, end)
    notes: list[Note] = field(default_factory=list)
    n_sections: int = 0

    def task_id(self, task: Task) -> str:
        tid = f"{self.doc.region}-{task.section_no:02d}-{task.item_no:02d}"
        return f"{tid}-{task.clause_no}" if task.clause_no else tid

    @property
    def coverage(self) -> float:
        return coverage(self.doc.text, [(t.start, t.end) for t in self.tasks],
                        [(s, e) for _, s, e in self.boilerplate])


# ---------------------------------------------------------------------------------------------- helpers

@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector for a block (the previous state is restored, also on error).

    The document stages allocate hundreds of thousands of small tuples, lists and dataclasses but no
    reference cycles (reference counting frees them); the collector's repeated passes over them cost
    10-20% of segmenting and classifying.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@lru_cache(maxsize=4096)
def cn_int(numeral: str) -> int:
    """A Chinese or Arabic numeral as an int (``十五`` -> 15), via cn2an."""
    if numeral.isdigit():
        return int(numeral)
    return int(cn2an.cn2an(numeral, "smart"))


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _lstrip(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


def _line_end(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return len(text) if nl == -1 else nl


def _nonspace(s: str) -> int:
    """Non-whitespace characters of ``s`` (``str.split`` uses the same whitespace as ``str.isspace``)."""
    return len("".join(s.split()))


def _merge(spans) -> list[tuple[int, int]]:
    """Sorted, non-overlapping union of ``[start, end)`` spans."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        elif e > s:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _minus(spans: list[tuple[int, int]], removed: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` (merged) without the parts inside ``removed`` (merged)."""
    out, j = [], 0
    for s, e in spans:
        cur = s
        while j < len(removed) and removed[j][1] <= cur:
            j += 1
        k = j
        while k < len(removed) and removed[k][0] < e:
            if removed[k][0] > cur:
                out.append((cur, removed[k][0]))
            cur = max(cur, removed[k][1])
            k += 1
        if cur < e:
            out.append((cur, e))
    return out


def coverage(text: str, spans: list[tuple[int, int]], removed: list[tuple[int, int]]) -> float:
    """Share of non-whitespace, non-boilerplate characters of ``text`` inside ``spans``."""
    removed = _merge(removed)
    total = _nonspace(text) - sum(_nonspace(text[s:e]) for s, e in removed)
    covered = sum(_nonspace(text[s:e]) for s, e in _minus(_merge(spans), removed))
    return covered / total if total else 1.0


@lru_cache(maxsize=1)
def boilerplate_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    with config.resource("boilerplate.csv").open(encoding="utf-8", newline="") as fh:
        return tuple((row["kind"], re.compile(row["pattern"])) for row in csv.DictReader(fh))


def _lines(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line), line
        pos += len(line) + 1


def find_boilerplate(doc: Document) -> list[tuple[str, int, int]]:
    """Footer and page-metadata lines anywhere, and the signature block at the very end."""
    found = []
    lines = list(_lines(doc.text))
    for start, end, line in lines:
        for kind, pattern in boilerplate_patterns():
            if pattern.search(line):
                found.append((kind, start, end))
                break
    flagged = {s for _, s, _ in found}
    # Signature: short office-name / date lines at the end, after the last real content line.
    for start, end, line in reversed(lines):
        if not line.strip() or start in flagged:
            continue
        issuer = doc.meta.get("issuer", "")
        if DATE_LINE_RE.match(line) or OFFICE_LINE_RE.match(line) or (issuer and line.strip() == issuer):
            found.append(("signature", _lstrip(doc.text, start, end), _rstrip(doc.text, start, end)))
            continue
        break
    return sorted(found, key=lambda x: x[1])


def detect_layout(text: str) -> str:
    if len(ROW_RE.findall(text)) >= 3 and HEADER_RE.search(text):
        return "table"
    if len(THEME_RE.findall(text)) >= 3:
        return "feature"
    if ITEM_RE.search(text) or len(SECTION_RE.findall(text)) >= 2:
        return "outline"
    return "paragraphs"


def _title(text: str, start: int, end: int, *, limit: int = 60) -> str:
    """The unit's heading: its first sentence (or line), without the number marker."""
    stop = _line_end(text, start)
    m = SENTENCE_END_RE.search(text, start, min(end, stop))
    seg = text[start:m.start() if m else min(end, stop)].strip()
    seg = TRAILING_BARS_RE.sub("", seg)
    return seg[:limit]


def _gaps(numbers: list[tuple[int, int]], *, what: str, where: str = "",
          restart_ok: bool = False) -> list[Note]:
    """Warnings for skipped or repeated numbers in a sequence of (number, offset)."""
    notes = []
    prev = 0
    suffix = f" in {where}" if where else ""
    for n, pos in numbers:
        if restart_ok and n == 1:
            prev = 1
            continue
        if n > prev + 1:
            missing = ", ".join(str(k) for k in range(prev + 1, n))
            notes.append(Note("gap", pos, f"{what} numbering{suffix} jumps from {prev} to {n}: "
                                          f"no {what} {missing} in the source (kept as is)"))
        elif n <= prev:
            notes.append(Note("gap", pos, f"{what} {n}{suffix} repeats or goes back after {prev} (kept as is)"))
        prev = n
    return notes


# ---------------------------------------------------------------------------------------------- layouts

def _content_bounds(text: str, boiler: list[tuple[str, int, int]]) -> tuple[int, int]:
    """First and last non-boilerplate, non-whitespace character (end exclusive)."""
    removed = bytearray(len(text))
    for _, s, e in boiler:
        removed[s:e] = b"\x01" * (e - s)
    first = next((i for i, ch in enumerate(text) if not ch.isspace() and not removed[i]), len(text))
    last = next((i + 1 for i in range(len(text) - 1, -1, -1)
                 if not text[i].isspace() and not removed[i]), first)
    return first, last


def _cut(text: str, start: int, end: int, boiler_starts: list[int]) -> int:
    """End of a unit: before any boilerplate line inside [start, end), trailing space trimmed."""
    for b in boiler_starts:
        if start < b < end:
            end = b
            break
    return _rstrip(text, start, end)


def _preamble(text: str, first: int, struct_start: int, boiler_starts: list[int]) -> list[Task]:
    end = _cut(text, first, struct_start, boiler_starts)
    if end <= first:
        return []
    return [Task("preamble", 0, "", 0, 0, _title(text, first, end), first, end, first)]


def _outline(doc: Document, first: int, last: int, boiler_starts: list[int]) -> tuple[list[Task], list[Note], int]:
    text = doc.text
    sections = [(m.start(), cn_int(m.group(1)), m) for m in SECTION_RE.finditer(text, first, last)]
    items = [(m.start(), cn_int(m.group(1)), m) for m in ITEM_RE.finditer(text, first, last)]
    notes = _gaps([(n, s) for s, n, _ in sections], what="section")
    # Item numbers either run through the document or restart in each section.
    restart = len(sections) > 1 and sum(1 for _, n, _ in items if n == 1) > 1
    notes += _gaps([(n, s) for s, n, _ in items], what="item", restart_ok=restart)
    if not sections and not items:
        return [], notes, 0
    boundaries = sorted([s for s, _, _ in sections] + [s for s, _, _ in items]) + [last]
    tasks = _preamble(text, first, boundaries[0], boiler_starts)

    def next_boundary(pos: int) -> int:
        return boundaries[bisect.bisect_right(boundaries, pos)]

    item_starts = [i_start for i_start, _, _ in items]  # ascending (finditer order)
    sec_iter = sections or [(first, 0, None)]
    for k, (s_start, s_no, m) in enumerate(sec_iter):
        s_end = sec_iter[k + 1][0] if k + 1 < len(sec_iter) else last
        heading = _title(text, s_start, _line_end(text, s_start)) if m else ""
        lo, hi = bisect.bisect_left(item_starts, s_start), bisect.bisect_left(item_starts, s_end)
        inner = [(i_start, i_no) for i_start, i_no, _ in items[lo:hi]]
        if not inner:  # a section with no items: the section itself is the unit
            end = _cut(text, s_start, s_end, boiler_starts)
            body = _lstrip(text, _line_end(text, s_start), end)
            tasks.append(Task("item", s_no, heading, 0, 0, heading, s_start, end, body))
            continue
        for j, (i_start, i_no) in enumerate(inner):
            start = s_start if j == 0 and m else i_start
            end = _cut(text, i_start, next_boundary(i_start), boiler_starts)
            title = ITEM_MARKER_RE.sub("", _title(text, i_start, end))
            tasks.append(Task("item", s_no, heading, i_no, 0, title, start, end, i_start))
    if sections and items and items[0][0] < sections[0][0]:
        notes.append(Note("defect", items[0][0], "items before the first section heading"))
    return tasks, notes, len(sections)


def _table(doc: Document, first: int, last: int, boiler_starts: list[int]) -> tuple[list[Task], list[Note], int]:
    text = doc.text
    header = HEADER_RE.search(text, first, last)
    hdr_end = _line_end(text, header.start())
    names = [c.strip() for c in text[header.start():hdr_end].split("|")]
    names = [c for c in names if c]
    fields = [TABLE_FIELDS.get(n, n) for n in names]
    n_cols = len(names)
    notes: list[Note] = []
    sections = [(m.start(), cn_int(m.group(1))) for m in SECTION_RE.finditer(text, hdr_end, last)]
    notes += _gaps([(n, s) for s, n in sections], what="part")
    rows = [m for m in ROW_RE.finditer(text, hdr_end, last)]
    tasks = _preamble(text, first, min([s for s, _ in sections] + [r.start() for r in rows] + [last]),
                      boiler_starts)
    by_section: dict[int, list[tuple[int, int]]] = {}
    section_starts = [s for s, _ in sections]  # ascending (finditer order)
    row_sections: set[int] = set()  # sections that already have a row task
    headings: dict[int | None, str] = {}
    for r in rows:
        # Split cells on pipes, across line breaks, until the row has all its columns.
        cells, pos, cell_start = [], r.end(), r.end()
        cells.append((r.group(1), r.start(1), r.end(1)))
        while len(cells) < n_cols:
            bar = text.find("|", pos, last + 1)
            if bar == -1:
                notes.append(Note("defect", r.start(), f"row {r.group(1)} has {len(cells)} of {n_cols} cells"))
                bar = last
            s = _lstrip(text, cell_start, bar)
            e = _rstrip(text, s, bar)
            cells.append((text[s:e], s, e))
            pos = cell_start = bar + 1
            if bar >= last:
                break
        row_end = min(pos, last)
        k = bisect.bisect_left(section_starts, r.start())
        s_start, s_no = sections[k - 1] if k else (None, 0)
        by_section.setdefault(s_no, []).append((int(r.group(1)), r.start()))
        values = {f: SPACE_RUN_RE.sub(" ", c[0]).strip() for f, c in zip(fields, cells)}
        goal_cell = next(((c[1], c[2]) for f, c in zip(fields, cells) if f == "goal"), None)
        first_in_section = s_start is not None and s_no not in row_sections
        start = s_start if first_in_section else r.start()
        if s_start not in headings:  # one heading per part, shared by its rows
            headings[s_start] = TRAILING_SPACE_BARS_RE.sub("", text[s_start:_line_end(text, s_start)]) \
                if s_start is not None else ""
        heading = headings[s_start]
        tasks.append(Task("row", s_no, heading, int(r.group(1)), 0, values.get("title", ""), start,
                          _cut(text, r.start(), row_end, boiler_starts), r.start(),
                          goal=values.get("goal", ""), leader=values.get("leader", ""),
                          department=values.get("department", ""), goal_span=goal_cell))
        row_sections.add(s_no)
    for s_no, numbers in sorted(by_section.items()):
        notes += _gaps(numbers, what="row", where=f"part {s_no}")
    return tasks, notes, len(sections)


def _feature(doc: Document, first: int, last: int, boiler_starts: list[int]) -> tuple[list[Task], list[Note], int]:
    text = doc.text
    themes = [(m.start(), int(m.group(1)), m.end()) for m in THEME_RE.finditer(text, first, last)]
    notes = _gaps([(n, s) for s, n, _ in themes], what="theme")
    tasks = _preamble(text, first, themes[0][0] if themes else last, boiler_starts)
    for k, (t_start, t_no, marker_end) in enumerate(themes):
        t_end = themes[k + 1][0] if k + 1 < len(themes) else last
        # Heading lines: short lines with no sentence punctuation, before the body.
        heading_parts, pos = [], _lstrip(text, marker_end, t_end)
        body = pos
        while pos < t_end:
            line_end = min(_line_end(text, pos), t_end)
            line = text[pos:line_end].strip()
            if line and not PUNCT_RE.search(line) and _nonspace(line) <= 16:
                heading_parts.append(line)
                pos = _lstrip(text, line_end, t_end)
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
                              _cut(text, t_start, t_end, boiler_starts), body))
            continue
        for j, m in enumerate(passages):
            p_start = _lstrip(text, m.start(), m.end())
            start = t_start if j == 0 else p_start
            end = passages[j + 1].start() if j + 1 < len(passages) else t_end
            tasks.append(Task("passage", t_no, section, j + 1, 0, f"{title}：{m.group(1)}", start,
                              _cut(text, start, end, boiler_starts), p_start))
    return tasks, notes, len(themes)


def _paragraphs(doc: Document, first: int, last: int, boiler_starts: list[int]) -> tuple[list[Task], list[Note], int]:
    text = doc.text
    spans = []
    for start, end, line in _lines(text):
        s, e = max(start, first), min(end, last)
        if s < e and text[s:e].strip() and not any(s <= b < e for b in boiler_starts):
            spans.append((_lstrip(text, s, e), _rstrip(text, s, e)))
    unit = "paragraph"
    if len(spans) == 1:  # one block of text: fall back further, to sentences
        s0, e0 = spans[0]
        cuts = [m.end() for m in SENTENCE_END_RE.finditer(text, s0, e0)]
        bounds = [s0] + [c for c in cuts if c < e0] + [e0]
        spans = [(_lstrip(text, a, b), b) for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]
        unit = "sentence"
    notes = [Note("fallback", first, f"no recognizable numbering (一、 / (一) / table rows / numbered themes): "
                                     f"fell back to one task per {unit} ({len(spans)} tasks)")]
    tasks = [Task("paragraph", 1, "", n, 0, _title(text, s, e), s, e, s) for n, (s, e) in enumerate(spans, 1)]
    return tasks, notes, 0


LAYOUT_PARSERS = {"outline": _outline, "table": _table, "feature": _feature, "paragraphs": _paragraphs}


# ---------------------------------------------------------------------------------------------- clauses

def _clause_markers(text: str, start: int, end: int) -> list[tuple[int, str, int]]:
    """(offset, marker, number) for 一是… and 1./1、 markers in [start, end); one family per span."""
    shi = [(m.start(), m.group(0), cn_int(m.group(1))) for m in SHI_CLAUSE_RE.finditer(text, start, end)] \
        if text.find("是", start, end) >= 0 else []  # no 是, no marker: skip the slow scan
    dig = [(m.start(), m.group(0), int(m.group(1))) for m in DIGIT_CLAUSE_RE.finditer(text, start, end)]
    # A lone "1." (or lone 一是) is not a list: require a second marker or a number above one.
    family = shi if len(shi) >= len(dig) else dig
    if len(family) == 1 and family[0][2] == 1:
        return []
    return family


def clauses(doc: Document, tasks: list[Task]) -> tuple[list[Clause], list[Note]]:
    """Clauses tiling each task: the first runs from the task start to the second marker."""
    text = doc.text
    out, notes = [], []
    for i, t in enumerate(tasks):
        lo, hi = t.goal_span or (t.body_start, t.end)
        markers = [] if t.unit == "preamble" else _clause_markers(text, lo, hi)
        if not markers:
            out.append(Clause(i, 1, "", t.start, t.end))
            continue
        kind = "一是" if markers[0][1].endswith("是") else "1."
        notes += _gaps([(n, pos) for pos, _, n in markers], what=f"{kind} clause", where=repr(t.title[:16]))
        if markers[0][2] != 1:  # numbering starts above one: the text before it is a lead clause
            markers = [(t.start, "", 0)] + markers
        bounds = [t.start] + [pos for pos, _, _ in markers[1:]] + [t.end]
        for k, (pos, marker, n) in enumerate(markers):
            out.append(Clause(i, n, marker, bounds[k], _rstrip(text, bounds[k], bounds[k + 1])))
    return out, notes


def _promote_clauses(tasks: list[Task], found: list[Clause]) -> tuple[list[Task], list[Clause]]:
    """task_unit == clause: each marked clause becomes a task (the first keeps the heading)."""
    new_tasks, new_clauses = [], []
    by_task: dict[int, list[Clause]] = {}
    for c in found:
        by_task.setdefault(c.task_index, []).append(c)
    for i, t in enumerate(tasks):
        cs = by_task.get(i, [])
        if len(cs) <= 1 or not cs[0].marker:
            new_clauses += [replace(c, task_index=len(new_tasks)) for c in cs]
            new_tasks.append(t)
            continue
        for c in cs:
            body = t.body_start if c.start == t.start else c.start
            new_clauses.append(replace(c, task_index=len(new_tasks), n=1))
            new_tasks.append(replace(t, unit="clause", clause_no=c.n, start=c.start, end=c.end,
                                     body_start=body, title=f"{t.title}：{c.marker}", goal_span=None))
    return new_tasks, new_clauses


# ---------------------------------------------------------------------------------------------- document

def _is_stray_space(text: str, start: int, end: int) -> bool:
    """A space inside a prose line with a very short CJK run on one side (扎 实, 政 府, 工作力 量)."""
    line_start = max(text.rfind("\n", 0, start), text.rfind("|", 0, start)) + 1
    bar = text.find("|", end)
    stop = _line_end(text, end) if bar == -1 else min(bar, _line_end(text, end))
    line = text[line_start:stop]
    if not PUNCT_RE.search(line):
        return False  # lists of names, captions, table cells: spaces separate items
    left = CJK_RUN_END_RE.search(text[line_start:start])
    right = CJK_RUN_RE.match(text[end:end + 40])
    return min(len(left.group(0)) if left else 0, len(right.group(0)) if right else 0) <= STRAY_RUN_MAX


def _defects(doc: Document, tasks: list[Task]) -> list[Note]:
    text = doc.text
    notes = []
    for m in CJK_GAP_RE.finditer(text):
        if _is_stray_space(text, m.start(), m.end()):
            ctx = text[max(0, m.start() - 4):m.end() + 4].replace("\n", " ")
            notes.append(Note("defect", m.start(), f"likely stray space inside a word ({ctx!r}); "
                                                   f"closed when tokenizing if a word spans it"))
    for t in tasks:
        seg = text[t.start:t.end]
        if seg.count("“") != seg.count("”"):
            notes.append(Note("defect", t.start, f"unbalanced quotation marks in {t.title[:16]!r} "
                                                 f"({seg.count('“')} “ vs {seg.count('”')} ”)"))
    return notes


def document(doc: Document) -> Segmentation:
    """Segment one document into tasks and clauses, with boilerplate, warnings and coverage."""
    boiler = find_boilerplate(doc)
    boiler_starts = sorted(s for _, s, _ in boiler)
    first, last = _content_bounds(doc.text, boiler)
    layout = doc.layout if doc.layout != "auto" else detect_layout(doc.text[first:last])
    notes = [Note("encoding", 0, n) for n in doc.notes]
    if first >= last:
        return Segmentation(doc, layout, [], [], boiler, notes + [Note("fallback", 0, "no text besides boilerplate")])
    tasks, more, n_sections = LAYOUT_PARSERS[layout](doc, first, last, boiler_starts)
    notes += more
    if not [t for t in tasks if t.unit != "preamble"] and layout != "paragraphs":
        tasks, more, n_sections = _paragraphs(doc, first, last, boiler_starts)
        notes += [Note("fallback", first, f"layout {layout!r} found no units")] + more
        layout = "paragraphs"
    found, more = clauses(doc, tasks)
    notes += more
    if doc.task_unit == "clause":
        tasks, found = _promote_clauses(tasks, found)
    seg = Segmentation(doc, layout, tasks, found, boiler, notes, n_sections)
    seg.notes += _defects(doc, tasks) + _uncovered(seg)
    return seg


def _uncovered(seg: Segmentation) -> list[Note]:
    """Every run of non-whitespace text outside tasks and boilerplate, so nothing is dropped silently."""
    text = seg.doc.text
    covered = _merge([(s, e) for _, s, e in seg.boilerplate] + [(t.start, t.end) for t in seg.tasks])
    gaps = _minus([(0, len(text))], covered)
    notes = []
    for a, b in gaps:
        i = _lstrip(text, a, b)
        if i < b:
            chunk = text[i:_rstrip(text, i, b)]
            notes.append(Note("uncovered", i, f"{_nonspace(chunk)} characters outside any task: {chunk[:40]!r}"))
    return notes


# ---------------------------------------------------------------------------------------------- tables

def tasks_frame(segs: list[Segmentation]) -> pd.DataFrame:
    rows = []
    for seg in segs:
        d = seg.doc
        for t in seg.tasks:
            text = d.text[t.start:t.end]
            rows.append((d.region, d.doc_id, seg.task_id(t), t.unit, t.unit == "preamble", t.section_no, t.section,
                         t.item_no, t.clause_no, t.title, text, t.start, t.end, t.body_start, t.goal, t.leader,
                         t.department, _nonspace(text)))  # in the order of TASK_COLUMNS
    frame = pd.DataFrame(rows, columns=TASK_COLUMNS)
    dup = frame["task_id"][frame["task_id"].duplicated()]
    if len(dup):
        from analysis.errors import InputError

        raise InputError(f"duplicate task ids {', '.join(dup.unique()[:5])} — the source repeats a number; "
                         f"check the document's numbering (segmentation_warnings.csv)")
    return frame.sort_values(["doc_id", "start"], kind="mergesort").reset_index(drop=True)


def clauses_frame(segs: list[Segmentation]) -> pd.DataFrame:
    rows = []
    for seg in segs:
        d = seg.doc
        ids = [seg.task_id(t) for t in seg.tasks]
        for c in seg.clauses:
            tid = ids[c.task_index]
            rows.append((d.region, d.doc_id, tid, f"{tid}.{c.n}", c.marker, c.start, c.end, d.text[c.start:c.end]))
    return pd.DataFrame(rows, columns=["region", "doc_id", "task_id", "clause_id", "marker", "start", "end", "text"])


def documents_frame(segs: list[Segmentation]) -> pd.DataFrame:
    rows = []
    for seg in segs:
        d = seg.doc
        meta = {k: v for k, v in d.meta.items() if k not in ("layout", "task_unit", "encoding")}
        real = [t for t in seg.tasks if t.unit != "preamble"]
        rows.append({**meta, "layout": seg.layout, "task_unit": d.task_unit, "encoding": d.encoding,
                     "n_chars": _nonspace(d.text), "n_sections": seg.n_sections, "n_tasks": len(real),
                     "n_clauses": sum(1 for c in seg.clauses if seg.tasks[c.task_index].unit != "preamble"),
                     "n_boilerplate_chars": sum(_nonspace(d.text[s:e]) for _, s, e in seg.boilerplate),
                     "coverage": round(seg.coverage, 6), "n_warnings": len(seg.notes)})
    return pd.DataFrame(rows)


def boilerplate_frame(segs: list[Segmentation]) -> pd.DataFrame:
    rows = [{"region": s.doc.region, "doc_id": s.doc.doc_id, "kind": k, "start": a, "end": b,
             "text": s.doc.text[a:b]} for s in segs for k, a, b in s.boilerplate]
    return pd.DataFrame(rows, columns=["region", "doc_id", "kind", "start", "end", "text"])


def warnings_frame(segs: list[Segmentation]) -> pd.DataFrame:
    rows = [{"region": s.doc.region, "doc_id": s.doc.doc_id, "kind": n.kind, "start": n.start,
             "message": n.message} for s in segs for n in s.notes]
    return pd.DataFrame(rows, columns=["region", "doc_id", "kind", "start", "message"])


def cell(tasks: pd.DataFrame, column: str) -> pd.Series:
    """A text column of ``tasks`` as strings (empty where absent)."""
    if column not in tasks.columns:
        return pd.Series("", index=tasks.index)
    return tasks[column].fillna("").astype(str)


def task_views(tasks: pd.DataFrame) -> pd.DataFrame:
    """Per task (same index as ``tasks``): ``heading``, ``body`` and ``cells`` as plain strings.

    ``heading`` is the text before ``body_start`` (a section heading the first task of a section carries).
    ``body`` is the task's own text; for task-list rows (``goal`` filled) it is the 重点工作事项 and
    工作目标 cells, without the row number and the leader / department cells. ``cells`` are those
    leader / department cells (names of people and offices), joined by a newline.
    """
    missing = [c for c in ("task_id", "region", "text") if c not in tasks.columns]
    if missing:
        from analysis.errors import InputError

        raise InputError(f"tasks table lacks column(s) {', '.join(missing)}.")
    text = tasks["text"].fillna("").astype(str)
    if {"start", "body_start"} <= set(tasks.columns):
        cut = (tasks["body_start"].astype(int) - tasks["start"].astype(int)).clip(lower=0)
    else:
        cut = pd.Series(0, index=tasks.index)
    heading = pd.Series([t[:c] for t, c in zip(text, cut)], index=tasks.index)
    own = pd.Series([t[c:] for t, c in zip(text, cut)], index=tasks.index)
    goal, title = cell(tasks, "goal"), cell(tasks, "title")
    is_row = goal.str.strip() != ""
    body = own.where(~is_row, title + "\n" + goal)
    cells = cell(tasks, "leader") + "\n" + cell(tasks, "department")
    return pd.DataFrame({"heading": heading, "body": body, "cells": cells.str.strip()}, index=tasks.index)


def build(ctx) -> None:
    """Pipeline stage: segment every document; tasks and clauses onto the context, tables out."""
    with gc_paused():
        ctx.segmented = [document(d) for d in ctx.documents]
        ctx.tasks = tasks_frame(ctx.segmented)
        ctx.clauses = clauses_frame(ctx.segmented)
    ctx.add_table("tasks.csv", ctx.tasks, sort_by=["doc_id", "start"])
    ctx.add_table("clauses.csv", ctx.clauses, sort_by=["doc_id", "start"])
    ctx.add_table("documents.csv", documents_frame(ctx.segmented), sort_by=["doc_id"])
    ctx.add_table("boilerplate.csv", boilerplate_frame(ctx.segmented), sort_by=["doc_id", "start"])
    ctx.add_table("segmentation_warnings.csv", warnings_frame(ctx.segmented), sort_by=["doc_id", "start"])

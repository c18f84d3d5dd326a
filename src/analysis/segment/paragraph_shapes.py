"""Line shapes of the paragraphs layout: hard-wrapped lines joined, heading lines joined to their paragraphs,
families of parallel heading lines, and the lead (title, introduction) before a text's paragraphs."""

from __future__ import annotations

from analysis.segment import spans as sp
from analysis.segment.clauses import clause_markers
from analysis.segment.patterns import (
    ANY_MARKER_RE,
    BULLET_PREFIX_RE,
    BULLET_RE,
    COVER_DATE_RE,
    HEAD_FAMILY_MIN,
    HEADLINE_RE,
    INTRO_RE,
    LINE_CLOSE_CHARS,
    NEWS_LEAD_RE,
    ORDINAL_CLOSE_RE,
    ORDINAL_FIRST_RE,
    ORDINAL_NEXT_RE,
    ORDINAL_OPEN_RE,
    PASSAGE_OPEN_RE,
    PUNCT_RE,
    SENTENCE_END_RE,
    SHI_CLAUSE_RE,
    TABLE_ROW_LINE_RE,
    TITLE_MAX,
    WRAP_FULL,
    WRAP_OPEN_MIN,
    WRAP_OPEN_SHARE,
    WRAP_PERCENTILE,
)


def width(line: str) -> int:
    """Display width: a CJK or full-width character is two columns, an ASCII one one."""
    return sum(1 if ord(ch) < 0x2E80 else 2 for ch in line)


def unwrap(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Lines of a hard-wrapped text (each line filled to a fixed width, cut mid-sentence) joined into their
    paragraphs: a line filling the width and ending mid-sentence runs on into the next line. Text whose full
    lines end their sentences (one paragraph a line) is returned as it is."""
    widths = [width(text[s:e]) for s, e in spans]
    if len(spans) < 2 * WRAP_OPEN_MIN:
        return spans
    full = sorted(widths)[int(WRAP_PERCENTILE * (len(widths) - 1))] * WRAP_FULL
    runs_on = [w >= full and text[e - 1] not in LINE_CLOSE_CHARS and not TABLE_ROW_LINE_RE.fullmatch(text, s, e)
               for (s, e), w in zip(spans, widths)]  # a table's row ends its row, never runs on
    n_full = sum(1 for w in widths if w >= full)
    if sum(runs_on) < max(WRAP_OPEN_MIN, WRAP_OPEN_SHARE * n_full):
        return spans
    out: list[tuple[int, int]] = []
    joined = False
    for (s, e), on in zip(spans, runs_on):
        out[-1:] = [(out[-1][0], e)] if joined else out[-1:] + [(s, e)]
        joined = on
    return out


def headed(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Paragraphs with the short heading lines (no sentence end, at most :data:`TITLE_MAX` characters: a
    heading or a table cell) that stand before them joined to them, so a heading is never a task of its own.
    A block without line breaks stays one paragraph (cutting it into sentences makes fragments, not tasks)."""
    out: list[tuple[int, int]] = []
    pending = None
    for s, e in spans:
        line = text[s:e]
        start = pending if pending is not None else s
        if short_line(line) and not ANY_MARKER_RE.match(line):
            pending = start
            continue
        out.append((start, e))
        pending = None
    if pending is not None:  # short lines at the end (a closing line): a paragraph of their own
        out.append((pending, spans[-1][1]))
    return out


def heading_family(text: str, spans: list[tuple[int, int]]) -> list[int]:
    """Indices of the paragraphs that open with a heading line of one family: two or more short heading lines
    (no sentence end, no marker) that end with the same two characters (民生保障方面 / 社会事务方面), with no
    other heading line after the first of them, where some heading stands over two or more paragraphs. A
    paragraph's heading is the last of the short lines it opens with. Each such heading with the paragraphs
    up to the next one is a task; what stands before the first is front matter. [] without such a family."""
    heads: dict[str, list[int]] = {}
    for k, (s, e) in enumerate(spans):
        line, pos = "", s  # the last of the heading lines the paragraph opens with: the one over its body
        while (line_end := sp.line_end(text, pos)) < e and short_line(nxt := text[pos:line_end].strip()) \
                and not ANY_MARKER_RE.match(nxt):
            line, pos = nxt, sp.lstrip(text, line_end, e)
        if len(line) >= HEAD_FAMILY_MIN and not PUNCT_RE.search(line):
            heads.setdefault(line[-2:], []).append(k)
    family = max(heads.values(), key=len, default=[])
    if len(family) < 2 or any(k > family[0] and k not in family for v in heads.values() for k in v):
        return []  # another heading line after the family's first: headings of no one shape
    bounds = family + [len(spans)]
    if all(b - a < 2 for a, b in zip(bounds, bounds[1:])):
        return []  # every heading over one paragraph: the paragraphs are the tasks already
    return family


def colon_lead(text: str, spans: list[tuple[int, int]]) -> int:
    """How many paragraphs lead into a list of headed paragraphs: a report's who, when and what up to the
    paragraph that ends with a colon (提出几点要求：), when two or more paragraphs follow and each opens with a
    heading line of its own or with 一是/二是; or the paragraphs before two or more that all open with 一是, 第一，
    or a passage (在……上，). 0 when the text has no such lead."""
    heads = [bool(SHI_CLAUSE_RE.match(text, s, e) or ORDINAL_OPEN_RE.match(text, s, e) or
                  PASSAGE_OPEN_RE.match(text, s, e)) for s, e in _unbulleted(text, spans)]
    first = heads.index(True) if True in heads else 0
    if first and len(spans) - first >= 2 and all(heads[first:]):  # a lead over 一是/第一，/在……上， paragraphs
        return first
    if first and _shi_run(text, _unbulleted(text, spans)[first:]) >= 2:  # … a run 一要/二要/… with paragraphs after it
        return first                                                     # (会议强调，要做好…: a demand of its own)
    for k in range(len(spans) - 3, -1, -1):
        if text[spans[k][1] - 1] in ":：":
            rest = spans[k + 1:]
            if all(short_line(text[s:sp.line_end(text, s)].strip()) and sp.line_end(text, s) < e for s, e in rest) \
                    or all(SHI_CLAUSE_RE.match(text, s, e) for s, e in _unbulleted(text, rest)):  # 一是要…
                return k + 1
            return 0
    return 0


def _shi_run(text: str, spans: list[tuple[int, int]]) -> int:
    """How many of ``spans``, from the first, open with 一是/一要, 二是/二要 … numbered from one in sequence."""
    n = 0
    for s, e in spans:
        m = SHI_CLAUSE_RE.match(text, s, e)
        if not m or sp.cn_int(m.group(1)) != n + 1:
            break
        n += 1
    return n


def _unbulleted(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans without the bullet each opens with (• 一是… is the 一是 clause of a bulleted list)."""
    return [(m.end() if (m := BULLET_PREFIX_RE.match(text, s, e)) else s, e) for s, e in spans]


def front_matter(paragraph: str) -> bool:
    """A title (a short line without a full stop, or a news headline: one line without any sentence punctuation),
    an introduction (以…为指导, 现将…如下) or a news lead (2月21日，…会议召开) opening a text."""
    s = paragraph.strip()
    if BULLET_RE.match(s):  # ▲ 民政部公布…: an entry of a bulleted list
        return False
    n_markers = len(clause_markers(s, 0, len(s), aspects=True))
    title = (short_line(s) or bool(HEADLINE_RE.fullmatch(s))) and not n_markers
    if title or ((bool(INTRO_RE.search(s)) or bool(NEWS_LEAD_RE.match(s))) and n_markers < 2):
        return True
    head, _, rest = s.partition("\n")  # a title line joined to the lead under it (a heading line over a paragraph)
    return bool(rest.strip()) and "\n" not in rest.strip() and front_matter(head) and front_matter(rest)


def short_line(line: str) -> bool:
    """A heading, title or table cell rather than prose: at most :data:`TITLE_MAX` characters, no sentence end."""
    return len(line) <= TITLE_MAX and not SENTENCE_END_RE.search(line)


def ordinal_points(text: str, spans: list[tuple[int, int]]) -> tuple[int, list[tuple[int, int]], int] | None:
    """Paragraphs that number their points in words (首先，… 其次，… 再者，… 最后，… or 第一，… 第二，…): how many
    paragraphs lead into the first point, the points (a paragraph that opens with no ordinal word goes on with the
    point before it) and how many of them stand after the last point as its closing (总之，…, 综上所述，…).
    None without a first point followed by two or more later ones."""
    first = next((k for k, (s, e) in enumerate(spans) if ORDINAL_FIRST_RE.match(text, s, e)), None)
    if first is None:
        return None
    rest = spans[first + 1:]
    closing = next((k for k, (s, e) in enumerate(rest) if ORDINAL_CLOSE_RE.match(text, s, e)), len(rest))
    opens = [bool(ORDINAL_NEXT_RE.match(text, s, e)) for s, e in rest[:closing]]
    if sum(opens) < 2 or (closing < len(rest) and not opens):
        return None
    points = [spans[first]]
    for (s, e), is_open in zip(rest[:closing], opens):
        points[-1:] = points[-1:] + [(s, e)] if is_open else [(points[-1][0], e)]
    return first, points, len(rest) - closing


def cover(text: str, start: int, end: int) -> bool:
    """A cover: a paragraph of short lines (a title, an issuer) whose last line is a date (2016年6月)."""
    rows = [ln.strip() for _, _, ln in sp.lines_in(text, start, end) if ln.strip()]
    return len(rows) >= 2 and bool(COVER_DATE_RE.fullmatch(rows[-1])) and all(short_line(r) for r in rows[:-1])

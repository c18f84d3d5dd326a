"""The table layouts: a piped task list (序号 | 工作任务 | 责任单位 …) and a table scraped one cell per line;
one task per row."""

from __future__ import annotations

import bisect
import re

from analysis.corpus import Document
from analysis.segment import spans as sp
from analysis.segment.patterns import (
    CELL_CLOSE_RE,
    CELL_HEADER_MAX,
    CELL_HEADER_RE,
    CELL_PADDING,
    CELL_ROW_RE,
    DEADLINE_CELL_RE,
    DEADLINE_HEADERS,
    GRID_HEADER_MIN,
    GRID_OTHER_HEADERS,
    HEADER_RE,
    LOOSE_ROW_RE,
    PUNCT_RE,
    ROW_NUMBER_HEADERS,
    ROW_RE,
    SECTION_RE,
    SHORT_NUMBER_CELL_RE,
    SPACE_RUN_RE,
    TABLE_FIELDS,
    TRAILING_SPACE_BARS_RE,
)
from analysis.segment.units import Note, Task, cut_unit, gaps, preamble


def cell_header(text: str, first: int, last: int) -> tuple[list[str], int] | None:
    """The header cells of a table scraped one cell per line (序号, then one name per line up to the first
    row number), and where the header ends; None when the text has no such header."""
    m = CELL_HEADER_RE.search(text, first, last)
    if not m:
        return None
    names, pos = ["序号"], sp.line_end(text, m.start()) + 1
    while pos < last:
        end = sp.line_end(text, pos)
        line = text[pos:end].strip(CELL_PADDING)
        if CELL_ROW_RE.fullmatch(text, pos, end):
            break
        if line:
            if len(line) > CELL_HEADER_MAX or PUNCT_RE.search(line):
                return None
            names.append(line)
        pos = end + 1
    return (names, pos) if len(names) >= 2 else None


def grid(text: str, first: int, last: int) -> tuple[list[str], list[list[tuple[int, int]]]] | None:
    """A table scraped one cell per line whose header does not open with 序号 (报送次数 / 任务序号 / 任务事项 /
    进展情况 / 进度): the header cells, one per line, then the rows as lists of cell spans, as many cells to a
    row as the header has. When the cells close with a pipe (…。 |), a cell runs to its pipe across line
    breaks; else each line is a cell. None unless the header names a task column and a column of row
    numbers, progress or deadlines, and every full row's cell in one of those columns is a short number or a deadline
    (the rows line up with the header)."""
    lines = [(s, e, text[s:e].strip(CELL_PADDING)) for s, e, _ in sp.lines_in(text, first, last)]
    lines = [(s, e, v) for s, e, v in lines if v]
    k = next((i for i, (_, _, v) in enumerate(lines) if TABLE_FIELDS.get(v) == "title" or v in ROW_NUMBER_HEADERS),
             None)
    if k is None:
        return None

    def header_like(v: str) -> bool:
        return len(v) <= CELL_HEADER_MAX and not PUNCT_RE.search(v) and not SHORT_NUMBER_CELL_RE.fullmatch(v)

    while k > 0 and header_like(lines[k - 1][2]):  # 报送次数 before 任务序号: a header cell the map does not name
        k -= 1
    names: list[str] = []
    while k < len(lines) and header_like(lines[k][2]):
        names.append(lines[k][2])
        k += 1
    known = [i for i, n in enumerate(names) if n in TABLE_FIELDS or n in ROW_NUMBER_HEADERS or n in DEADLINE_HEADERS
             or n in GRID_OTHER_HEADERS]
    if known and known[-1] + 1 < len(names):  # short first cells of the first row are no header cells
        k -= len(names) - known[-1] - 1
        names = names[:known[-1] + 1]
    fields = [TABLE_FIELDS.get(n, n) for n in names]
    numbered = [i for i, n in enumerate(names) if n in ROW_NUMBER_HEADERS or fields[i] == "progress"
                or n in DEADLINE_HEADERS]
    if len(names) < GRID_HEADER_MIN or "title" not in fields or not numbered:
        return None
    body = lines[k:]
    piped = sum(1 for s, e, _ in body if CELL_CLOSE_RE.search(text, s, e)) >= 0.8 * max(len(body), 1)
    cells: list[tuple[int, int]] = []
    open_at = None
    for s, e, _ in body:
        a, b = sp.lstrip(text, s, e), sp.rstrip(text, s, e)
        if not piped:
            cells.append((a, b))
            continue
        open_at = a if open_at is None else open_at
        if CELL_CLOSE_RE.search(text, s, e):
            cells.append((open_at, b))
            open_at = None
    if open_at is not None:
        cells.append((open_at, sp.rstrip(text, open_at, last)))
    rows = [cells[i:i + len(names)] for i in range(0, len(cells), len(names))]
    full = [r for r in rows if len(r) == len(names)]
    if len(full) < 2 or not any(all(_number_or_deadline(text[r[i][0]:r[i][1]]) for r in full) for i in numbered):
        return None
    return names, rows


def _number_or_deadline(cell: str) -> bool:
    """Whether a cell holds a row number, count or share (115, 75%) or a deadline (2025年10月底, 长期坚持)."""
    cell = cell.strip(CELL_PADDING)
    return SHORT_NUMBER_CELL_RE.fullmatch(cell) is not None or DEADLINE_CELL_RE.fullmatch(cell) is not None


def grid_table(doc: Document, first: int, last: int, boiler_starts: list[int],
               found: tuple[list[str], list[list[tuple[int, int]]]]) -> tuple[list[Task], list[Note], int]:
    """A table scraped one cell per line without 序号 first (``found``: its :func:`grid`): one task per row,
    numbered in order; a progress column (进展情况) marks where the row's reported results begin
    (``result_start``)."""
    text = doc.text
    names, rows = found
    fields = [TABLE_FIELDS.get(n, n) for n in names]
    tasks = preamble(text, first, rows[0][0][0], boiler_starts)
    notes: list[Note] = []
    for k, cells in enumerate(rows):
        start = cells[0][0]
        end = rows[k + 1][0][0] if k + 1 < len(rows) else last
        if len(cells) < len(names):
            notes.append(Note("defect", start, f"row {k + 1} has {len(cells)} of {len(names)} cells"))
        spans = dict(zip(fields, cells))
        values = {f: SPACE_RUN_RE.sub(" ", text[a:b].strip(CELL_PADDING)).strip() for f, (a, b) in spans.items()}
        tasks.append(Task("row", 0, "", k + 1, 0, values.get("title", ""), start,
                          cut_unit(text, start, end, boiler_starts), start, goal=values.get("goal", ""),
                          leader=values.get("leader", ""), department=values.get("department", ""),
                          goal_span=spans.get("goal"), result_start=spans["progress"][0] if "progress" in spans else None))
    notes.append(Note("layout", first, f"table scraped one cell per line, no 序号 first ({len(names)} columns: "
                                       f"{' / '.join(names)}); one task per row"))
    return tasks, notes, 0


def cell_table(doc: Document, first: int, last: int, boiler_starts: list[int]) -> tuple[list[Task], list[Note], int]:
    """A table scraped one cell per line: a row is its number alone on a line, then its cells; a cell that
    wraps onto more lines than the header has columns is joined to the row's task cell."""
    text = doc.text
    names, hdr_end = cell_header(text, first, last)
    fields = [TABLE_FIELDS.get(n, n) for n in names]
    rows, prev = [], 0
    for m in CELL_ROW_RE.finditer(text, hdr_end, last):
        n = int(m.group(1))
        if n == prev + 1 or (not rows and n == 1):
            rows.append((m.start(), m.end(), n))
            prev = n
    tasks = preamble(text, first, rows[0][0] if rows else last, boiler_starts)
    notes: list[Note] = []
    for k, (r_start, r_end, n) in enumerate(rows):
        end = rows[k + 1][0] if k + 1 < len(rows) else last
        cells = [(s, e) for s, e, line in sp.lines_in(text, r_end, end) if line.strip()]
        cells = [(sp.lstrip(text, s, e), sp.rstrip(text, s, e)) for s, e in cells]
        extra = len(cells) - (len(fields) - 1)
        if extra > 0:  # wrapped lines: the task cell took more than one line
            t = fields.index("title") - 1 if "title" in fields else 0
            cells[t:t + extra + 1] = [(cells[t][0], cells[t + extra][1])]
        elif extra < 0:
            notes.append(Note("defect", r_start, f"row {n} has {len(cells) + 1} of {len(fields)} cells"))
        values = {f: SPACE_RUN_RE.sub(" ", text[s:e]).strip() for f, (s, e) in zip(fields[1:], cells)}
        goal = next(((s, e) for f, (s, e) in zip(fields[1:], cells) if f == "goal"), None)
        tasks.append(Task("row", 0, "", n, 0, values.get("title", ""), r_start,
                          cut_unit(text, r_start, end, boiler_starts), r_start, goal=values.get("goal", ""),
                          leader=values.get("leader", ""), department=values.get("department", ""), goal_span=goal))
    notes.append(Note("layout", first, f"table scraped one cell per line ({len(names)} columns: "
                                       f"{' / '.join(names)}); one task per row"))
    return tasks, notes, 0


def table(doc: Document, first: int, last: int, boiler_starts: list[int]) -> tuple[list[Task], list[Note], int]:
    text = doc.text
    header = HEADER_RE.search(text, first, last)
    if header is None and cell_header(text, first, last):
        return cell_table(doc, first, last, boiler_starts)
    if header is None and (found := grid(text, first, last)):
        return grid_table(doc, first, last, boiler_starts, found)
    if header is None:
        return [], [Note("fallback", first, "layout 'table' but no header row (序号 | … or 序号 alone on a line)")], 0
    hdr_end = sp.line_end(text, header.start())
    names = [c.strip() for c in text[header.start():hdr_end].split("|")]
    names = [c for c in names if c]
    fields = [TABLE_FIELDS.get(n, n) for n in names]
    n_cols = len(names)
    notes: list[Note] = []
    sections = [(m.start(), n) for m in SECTION_RE.finditer(text, hdr_end, last)
                if (n := sp.cn_int(m.group(1))) is not None]
    notes += gaps([(n, s) for s, n in sections], what="part")
    rows = _rows(text, hdr_end, last)
    tasks = preamble(text, first, min([s for s, _ in sections] + [r.start() for r in rows] + [last]),
                      boiler_starts)
    by_section: dict[int, list[tuple[int, int]]] = {}
    section_starts = [s for s, _ in sections]  # ascending (finditer order)
    row_sections: set[int] = set()  # sections that already have a row task
    headings: dict[int | None, str] = {}
    stops = sorted({r.start() for r in rows} | set(section_starts) | {last})
    for r in rows:
        # Split cells on pipes, across line breaks, until the row has all its columns; never into the next
        # row or part (a row without its closing pipe ends where the next begins).
        limit = stops[bisect.bisect_right(stops, r.start())]
        cells, pos, cell_start = [], r.end(), r.end()
        cells.append((r.group(1), r.start(1), r.end(1)))
        while len(cells) < n_cols:
            bar = text.find("|", pos, limit)
            if bar == -1:  # the row's last cell runs to the next row (or part, or the end)
                if len(cells) < n_cols - 1:
                    notes.append(Note("defect", r.start(), f"row {r.group(1)} has {len(cells) + 1} of {n_cols} "
                                                           f"cells"))
                s = sp.lstrip(text, cell_start, limit)
                cells.append((text[s:sp.rstrip(text, s, limit)], s, sp.rstrip(text, s, limit)))
                pos = limit
                break
            s = sp.lstrip(text, cell_start, bar)
            e = sp.rstrip(text, s, bar)
            cells.append((text[s:e], s, e))
            pos = cell_start = bar + 1
        row_end = min(pos, last)
        k = bisect.bisect_left(section_starts, r.start())
        s_start, s_no = sections[k - 1] if k else (None, 0)
        by_section.setdefault(s_no, []).append((int(r.group(1)), r.start()))
        values = {f: SPACE_RUN_RE.sub(" ", c[0]).strip() for f, c in zip(fields, cells)}
        goal_cell = next(((c[1], c[2]) for f, c in zip(fields, cells) if f == "goal"), None)
        first_in_section = s_start is not None and s_no not in row_sections
        start = s_start if first_in_section else r.start()
        if s_start not in headings:  # one heading per part, shared by its rows
            headings[s_start] = TRAILING_SPACE_BARS_RE.sub("", text[s_start:sp.line_end(text, s_start)]) \
                if s_start is not None else ""
        heading = headings[s_start]
        tasks.append(Task("row", s_no, heading, int(r.group(1)), 0, values.get("title", ""), start,
                          cut_unit(text, r.start(), row_end, boiler_starts), r.start(),
                          goal=values.get("goal", ""), leader=values.get("leader", ""),
                          department=values.get("department", ""), goal_span=goal_cell))
        row_sections.add(s_no)
    for s_no, numbers in sorted(by_section.items()):
        notes += gaps(numbers, what="row", where=f"part {s_no}")
    return tasks, notes, len(sections)


def _rows(text: str, start: int, stop: int) -> list[re.Match]:
    """The rows of a piped table: numbers before a pipe, and numbers whose pipe was lost where the number runs
    on from the row before it and into the row after it (ascending offsets)."""
    rows = list(ROW_RE.finditer(text, start, stop))
    taken = {r.start() for r in rows}
    loose = [m for m in LOOSE_ROW_RE.finditer(text, start, stop) if m.start() not in taken]
    if not loose:
        return rows
    merged = sorted(rows + loose, key=lambda m: m.start())
    keep = []
    for k, m in enumerate(merged):
        if m.start() in taken:
            keep.append(m)
            continue
        n = int(m.group(1))
        before = int(keep[-1].group(1)) if keep else 0
        after = next((int(x.group(1)) for x in merged[k + 1:] if x.start() in taken), None)
        if n == before + 1 and (after is None or after == n + 1):
            keep.append(m)
    return keep

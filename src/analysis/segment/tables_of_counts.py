"""Tables of counts (a statistics report's rows, a part of an annual report): figures to read, no task."""

from __future__ import annotations

from analysis.segment import spans as sp
from analysis.segment.patterns import (
    STAT_CELL_MAX,
    STAT_CELL_RE,
    STAT_CELL_SHARE_PER_LINE,
    STAT_NOTE_NEXT_RE,
    STAT_NOTE_RE,
    STAT_TABLE_MIN_ROWS,
    STAT_UNIT_RE,
    TABLE_ROW_LINE_RE,
)

__all__ = ["count_tables", "statistics_table"]


def statistics_table(text: str, start: int, end: int) -> bool:
    """Whether a unit's body (its lines, but for a heading line that is no table row) is only a table of counts:
    at least :data:`STAT_TABLE_MIN_ROWS` rows of |-separated short cells (a label, a count; no task's sentence),
    no sentence end, and counts in at least half the filled cells after the label (an annual report's
    本年制发件数 | 0 | 0 |): figures to read, not a task. Unit cells (个 | 万元) count neither way; a note row
    (注：…) and a caption row (one cell, first) may be long. A task table's rows carry the task's text."""
    rows = [ln for _, _, ln in sp.lines_in(text, start, end) if ln.strip()]
    if rows and not TABLE_ROW_LINE_RE.fullmatch(rows[0]):
        rows = rows[1:]  # the part's heading line
    if len(rows) < STAT_TABLE_MIN_ROWS:
        return False
    if all(ln.strip().strip("|").count("|") == 0 and "|" in ln for ln in rows):
        return _cells_per_line(rows)
    later, note = [], False
    for k, ln in enumerate(rows):
        cells = [c.strip() for c in ln.split("|")]
        cells = cells[1:] if ln.lstrip().startswith("|") else cells  # the empty cell before a leading |
        filled = [c for c in cells if c]
        note = bool(filled) and bool(STAT_NOTE_RE.match(filled[0]) or note and STAT_NOTE_NEXT_RE.match(filled[0]))
        if note or k == 0 and len(filled) == 1:  # a note, or the table's caption over its first row
            continue
        if ln.count("|") < (2 if k + 1 < len(rows) else 1) and not TABLE_ROW_LINE_RE.fullmatch(ln) or "。" in ln \
                or any(len(c) > STAT_CELL_MAX for c in cells):  # the last row may be cut off
            return False
        later += [c for c in cells[1:] if c and not STAT_UNIT_RE.fullmatch(c)]  # the first cell is a label
    counts = sum(1 for c in later if STAT_CELL_RE.fullmatch(c))
    return counts > 0 and 2 * counts >= len(later)


def count_tables(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Runs of table-row lines (| between cells) that together are a table of counts joined into one span, so
    the table is one framing unit rather than a task per row or per few rows."""
    out: list[tuple[int, int]] = []
    k = 0
    while k < len(spans):
        j = k
        while j < len(spans) and TABLE_ROW_LINE_RE.fullmatch(text, *spans[j]) and "\n" not in text[slice(*spans[j])]:
            j += 1
        if j - k >= STAT_TABLE_MIN_ROWS and statistics_table(text, spans[k][0], spans[j - 1][1]):
            out.append((spans[k][0], spans[j - 1][1]))
            k = j
            continue
        out.append(spans[k])
        k += 1
    return out


def _cells_per_line(rows: list[str]) -> bool:
    """A table of counts scraped one cell per line (| 行政许可 |, then 33 |): short cells, no sentence, and at least
    :data:`STAT_CELL_SHARE_PER_LINE` of them counts (the labels stand between them, so no position tells them)."""
    cells = [ln.strip().strip("|").strip() for ln in rows]
    if any(len(c) > STAT_CELL_MAX or "。" in c for c in cells):
        return False
    filled = [c for c in cells if c and not STAT_UNIT_RE.fullmatch(c)]
    counts = sum(1 for c in filled if STAT_CELL_RE.fullmatch(c))
    return counts > 0 and counts >= STAT_CELL_SHARE_PER_LINE * len(filled)

"""Span arithmetic over a document's text: trimming, lines, unions, coverage, titles, numbering gaps."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from functools import lru_cache


from analysis import numerals
from analysis.segment.patterns import SENTENCE_END_RE, TRAILING_BARS_RE


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
def cn_int(numeral: str) -> int | None:
    """A list marker's numeral as an int (``十五`` -> 15, ``3`` -> 3, ``③`` -> 3), or None when it is no
    marker's number (``百``, ``九九九九``): :func:`analysis.numerals.marker`, the one reader of numerals."""
    return numerals.marker(numeral)


def rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def lstrip(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


def line_end(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return len(text) if nl == -1 else nl


def nonspace(s: str) -> int:
    """Non-whitespace characters of ``s`` (``str.split`` uses the same whitespace as ``str.isspace``)."""
    return len("".join(s.split()))


def merge(spans) -> list[tuple[int, int]]:
    """Sorted, non-overlapping union of ``[start, end)`` spans."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        elif e > s:
            out.append([s, e])
    return [(s, e) for s, e in out]


def minus(spans: list[tuple[int, int]], removed: list[tuple[int, int]]) -> list[tuple[int, int]]:
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


def holes(text: str, spans, *, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The runs of ``text[start:end]`` that no span covers and that hold non-whitespace text, trimmed:
    what would be lost if only ``spans`` were kept."""
    end = len(text) if end is None else end
    out = []
    for a, b in minus([(start, end)], merge(spans)):
        a = lstrip(text, a, b)
        if a < b:
            out.append((a, rstrip(text, a, b)))
    return out


def coverage(text: str, spans: list[tuple[int, int]], removed: list[tuple[int, int]]) -> float:
    """Share of non-whitespace, non-boilerplate characters of ``text`` inside ``spans``."""
    removed = merge(removed)
    total = nonspace(text) - sum(nonspace(text[s:e]) for s, e in removed)
    covered = sum(nonspace(text[s:e]) for s, e in minus(merge(spans), removed))
    return covered / total if total else 1.0



def lines(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line), line
        pos += len(line) + 1


def lines_in(text: str, start: int, end: int):
    """(start, end, line) of the lines overlapping ``[start, end)``, clipped to it (work linear in the span)."""
    pos = start
    while pos < end:
        stop = text.find("\n", pos, end)
        stop = end if stop == -1 else stop
        yield pos, stop, text[pos:stop]
        pos = stop + 1



def title(text: str, start: int, end: int, *, limit: int = 60) -> str:
    """The unit's heading: its first sentence (or line), without the number marker."""
    stop = line_end(text, start)
    m = SENTENCE_END_RE.search(text, start, min(end, stop))
    seg = text[start:m.start() if m else min(end, stop)].strip()
    seg = TRAILING_BARS_RE.sub("", seg)
    return seg[:limit]

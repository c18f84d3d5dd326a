"""The one definition of where sentences and clauses end in Chinese plans.

Every stage that cuts text into sentences or clauses (segment, domains, quantities, coverage, the synthetic
corpus) builds its pattern here from the same marks, so "a sentence" differs between stages only by the
options each states: whether a semicolon ends one, whether a line break or a table cell (``|``) does, and
whether the end mark belongs to the sentence. Core layer: the standard library only.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Marks that end a sentence, full-width and ASCII.
END_MARKS = "。！？!?"
#: Semicolons: they end a sentence in enumerations (一是……；二是……) where a stage says so.
SEMICOLONS = "；;"
#: Marks that end a clause inside a sentence (commas, semicolons, colons).
CLAUSE_MARKS = "，,；;：:"
#: The cell separator of tables scraped as text.
CELL = "|"
LINE = "\n"


def _marks(*, semicolons: bool, clauses: bool) -> str:
    return END_MARKS + (SEMICOLONS if semicolons and not clauses else "") + (CLAUSE_MARKS if clauses else "")


def _breaks(*, lines: bool, cells: bool) -> str:
    return (LINE if lines else "") + (CELL if cells else "")


@lru_cache(maxsize=None)
def sentence_re(*, semicolons: bool = True, lines: bool = True, cells: bool = False,
                keep_end: bool = True) -> re.Pattern:
    """A sentence: a run of text up to (and with ``keep_end``, including) its end mark. ``semicolons``:
    ``；`` ends a sentence; ``lines`` / ``cells``: a line break / a ``|`` does too (without being kept)."""
    marks = re.escape(_marks(semicolons=semicolons, clauses=False))
    body = f"[^{marks}{re.escape(_breaks(lines=lines, cells=cells))}]+"
    return re.compile(body + (f"[{marks}]?" if keep_end else ""))


@lru_cache(maxsize=None)
def boundary_re(*, semicolons: bool = False, clauses: bool = False, lines: bool = False,
                cells: bool = False) -> re.Pattern:
    """One character that ends a sentence (with ``clauses``: a clause) under the same options."""
    marks = _marks(semicolons=semicolons, clauses=clauses) + _breaks(lines=lines, cells=cells)
    return re.compile(f"[{re.escape(marks)}]")

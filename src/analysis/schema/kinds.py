"""The pieces the schemas are made of: column kinds (:class:`Col`), checks of whole rows
(:class:`TableCheck`: unique keys, ordered offsets, sort order) and :class:`Table`, which makes the pandera
schema of one table on first use (a caller that asks only for columns never imports pandera)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: How many allowed values a message lists before it says "…".
LISTED = 8


def pandera():
    """The ``pandera.pandas`` module, imported on first use."""
    import pandera.pandas as pa

    return pa


def _listed(values: Sequence) -> str:
    shown = [repr(v) for v in values[:LISTED]]
    return ", ".join(shown) + (", …" if len(values) > LISTED else "")


@dataclass(frozen=True)
class Col:
    """One column: its kind (``text``, ``int``, ``number``, ``optional_number``, ``optional_int``, ``bool``)
    and how to make its :class:`pandera.Column`."""

    kind: str
    make: Callable[[], object] = field(repr=False)


def _range_checks(lo, hi) -> list:
    pa = pandera()
    if lo is not None and hi is not None:
        return [pa.Check.in_range(lo, hi, error=f"not in [{lo}, {hi}]")]
    if lo is not None:
        return [pa.Check.ge(lo, error=f"below {lo}")]
    if hi is not None:
        return [pa.Check.le(hi, error=f"above {hi}")]
    return []


def text(*, allowed: Sequence[str] | None = None, pattern: str | None = None, nonempty: bool = False) -> Col:
    """A string column (empty cells are ``""``): one of ``allowed``, matching ``pattern``, never empty."""
    allowed = None if allowed is None else list(allowed)

    def make():
        pa = pandera()
        checks = []
        if allowed is not None:
            checks.append(pa.Check.isin(allowed, error=f"not one of {_listed(allowed)}"))
        if pattern is not None:
            checks.append(pa.Check.str_matches(f"^(?:{pattern})$", error=f"does not match {pattern}"))
        if nonempty:
            checks.append(pa.Check.str_length(min_value=1, error="is empty"))
        return pa.Column(str, checks)
    return Col("text", make)


def codes(allowed: Sequence[str], *, sep: str = ";", empty: bool = True) -> Col:
    """A ``sep``-separated list of allowed values (``""`` for none when ``empty``)."""
    shown, valid = list(dict.fromkeys(allowed)), set(allowed)

    def ok(value: str) -> bool:
        return (empty and value == "") or all(v in valid for v in str(value).split(sep))

    def make():
        pa = pandera()
        return pa.Column(str, pa.Check(ok, element_wise=True, error=f"not a {sep!r}-separated list of {_listed(shown)}"))
    return Col("text", make)


def integer(*, min: int | None = None, max: int | None = None) -> Col:
    return Col("int", lambda: pandera().Column("int64", _range_checks(min, max)))


def number(*, min: float | None = None, max: float | None = None) -> Col:
    """A float column (reads back as int64 when every value is whole: accepted)."""
    return Col("number", lambda: pandera().Column("float64", _range_checks(min, max)))


def optional_number(*, min: float | None = None, max: float | None = None) -> Col:
    """A float column with empty cells where undefined (reads back as strings when one is empty)."""
    return Col("optional_number", lambda: pandera().Column("float64", _range_checks(min, max), nullable=True))


def optional_int(*, min: int | None = None, max: int | None = None) -> Col:
    """An integer column with empty cells where unknown (a year)."""
    return Col("optional_int", lambda: pandera().Column("Int64", _range_checks(min, max), nullable=True))


def flag() -> Col:
    return Col("bool", lambda: pandera().Column(bool))


def share() -> Col:
    """A share in [0, 1]."""
    return number(min=0, max=1)


# --------------------------------------------------------------------------------------------------
# Table-level checks: keys, offsets, sort order (each a function of the frame: True for the rows that pass)

def _has(frame: pd.DataFrame, cols: Iterable[str]) -> bool:
    return all(c in frame.columns for c in cols)


@dataclass(frozen=True)
class TableCheck:
    """A check of whole rows: ``test(frame)`` is True (or a boolean Series: one per row) where it holds."""

    error: str
    test: Callable[[pd.DataFrame], object] = field(repr=False)

    def make(self):
        return pandera().Check(self.test, error=self.error)


def unique_key(*cols: str) -> TableCheck:
    """No two rows share the values of ``cols``."""
    cols = list(cols)
    return TableCheck(f"duplicate ({', '.join(cols)})",
                      lambda df: ~df.duplicated(cols, keep=False) if _has(df, cols) else True)


def ordered(lo: str, hi: str) -> TableCheck:
    """``lo <= hi`` on every row (offsets: start <= end)."""
    def ok(df):
        if not _has(df, (lo, hi)):
            return True
        a, b = pd.to_numeric(df[lo], errors="coerce"), pd.to_numeric(df[hi], errors="coerce")
        return a.isna() | b.isna() | (a <= b)
    return TableCheck(f"{lo} > {hi}", ok)


def _sorted_rows(df: pd.DataFrame, keys: Sequence[str]) -> pd.Series:
    """True for each row not smaller than the row before it by ``keys`` (lexicographic)."""
    n = len(df)
    ok, tie = np.zeros(max(n - 1, 0), dtype=bool), np.ones(max(n - 1, 0), dtype=bool)
    for k in keys:
        v = df[k].to_numpy(dtype=object)
        cur, prev = v[1:], v[:-1]
        ok |= tie & (cur > prev)
        tie &= cur == prev
    return pd.Series(np.concatenate([[True], ok | tie]), index=df.index)


def sorted_by(keys: Sequence[str]) -> TableCheck:
    """Rows in the stable order of ``keys`` (how :func:`analysis.tables.write_csv` sorts them)."""
    keys = list(keys)

    def ok(df):
        if not keys or not _has(df, keys) or len(df) < 2:
            return True
        try:
            return _sorted_rows(df, keys)
        except TypeError:  # values of mixed types: the dtype check says so
            return True
    return TableCheck(f"not sorted by {', '.join(keys)}", ok)


@dataclass(frozen=True)
class Table:
    """One table: columns in order, row order, unique keys, row checks; :meth:`schema` is its pandera schema."""

    name: str
    columns: tuple[tuple[str, Col], ...]
    sort_by: tuple[str, ...]
    keys: tuple[tuple[str, ...], ...]
    checks: tuple[TableCheck, ...]
    description: str = ""

    def kind(self, column: str) -> str | None:
        return dict(self.columns)[column].kind if column in dict(self.columns) else None

    def schema(self):
        pa = pandera()
        checks = [unique_key(*k) for k in self.keys] + list(self.checks)
        if self.sort_by:
            checks.append(sorted_by(self.sort_by))
        return pa.DataFrameSchema({c: spec.make() for c, spec in self.columns}, checks=[c.make() for c in checks],
                                  strict=True, ordered=True, name=self.name, description=self.description,
                                  metadata={"sort_by": list(self.sort_by), "keys": [list(k) for k in self.keys]})

"""From pandera's failure cases to one line per problem, and the read-back dtypes a CSV round trip may give
(see :mod:`analysis.schema`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.schema.kinds import Table


def _is_str(series: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(series.dtype) or series.dtype == object


def normalise(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the dtypes a CSV round trip may give the same data set to the schema's (see the module
    docstring): whole-number floats read as int64, optional numbers read as strings with empty cells."""
    out = None
    for col, spec in table.columns:
        if col not in frame.columns:
            continue
        kind, s = spec.kind, frame[col]
        new = None
        if kind in ("number", "optional_number") and pd.api.types.is_integer_dtype(s.dtype) \
                and not pd.api.types.is_bool_dtype(s.dtype):
            new = s.astype("float64")
        elif kind in ("optional_number", "optional_int") and _is_str(s):
            blank = s.astype(str).str.strip() == ""
            num = pd.to_numeric(s.where(~blank, None), errors="coerce")
            if not (num.isna() & ~blank).any():  # every cell empty or a number: else the dtype check says so
                new = num.astype("float64")
        if kind == "optional_int":
            base = new if new is not None else s
            if pd.api.types.is_numeric_dtype(base.dtype) and not pd.api.types.is_bool_dtype(base.dtype):
                whole = base.dropna()
                if (whole == np.floor(whole)).all():
                    new = base.astype("Int64")
        if new is not None:
            out = frame.copy() if out is None else out
            out[col] = new
    return frame if out is None else out


def _plain(value):
    """A numpy scalar as the Python value it holds (so messages read ``1.5``, not ``np.float64(1.5)``)."""
    return value.item() if isinstance(value, np.generic) else value


def _where(index, rows: pd.DataFrame, keys_: Sequence[str]) -> str:
    """``line 12, task_id='…'``: the CSV line of a row (the header is line 1) and its key values."""
    try:
        i = int(index)
    except (TypeError, ValueError):
        return f"row {index!r}"
    where = f"line {i + 2}"
    if keys_ and i in rows.index and all(k in rows.columns for k in keys_):
        where += ", " + ", ".join(f"{k}={_plain(rows.at[i, k])!r}" for k in keys_)
    return where


def _rows(idx: list, rows: pd.DataFrame, keys_: Sequence[str]) -> str:
    """`` (line 5, task_id='…')`` or `` (3 rows, first at line 5, task_id='…')``."""
    if not idx:
        return ""
    first = _where(idx[0], rows, keys_)
    return f" ({first})" if len(idx) == 1 else f" ({len(idx)} rows, first at {first})"


#: pandera's names of the checks on the column list.
SHAPE_CHECKS = ("column_in_dataframe", "column_in_schema", "column_ordered")


def _indices(group: pd.DataFrame) -> list:
    idx = [i for i in group["index"].tolist() if i is not None and not pd.isna(i)]
    return sorted(dict.fromkeys(idx), key=lambda i: (not isinstance(i, (int, np.integer)), i))


def _first_non_number(table: Table, column: str, frame: pd.DataFrame) -> str:
    """`` (value 'x' at line 5)``: the first cell of a numeric column that is no number (else ``""``)."""
    kind = table.kind(column)
    if kind not in ("int", "number", "optional_number", "optional_int") or column not in frame.columns:
        return ""
    s = frame[column]
    if not _is_str(s):
        return ""
    blank = s.astype(str).str.strip() == ""
    bad = pd.to_numeric(s.where(~blank, None), errors="coerce").isna() & ~(blank & (kind != "int"))
    if not bad.any():
        return ""
    i = bad.idxmax()
    return f" (value {_plain(s.at[i])!r} at {_where(i, frame, [])})"


def problems(table: Table, cases: pd.DataFrame, frame: pd.DataFrame) -> list[str]:
    """One line per failing check from pandera's failure cases (``SchemaErrors.failure_cases``)."""
    name = table.name
    key = list(next(iter(table.keys), ()))
    cases = cases.assign(check=cases["check"].astype(str))
    missing = cases.loc[cases["check"] == "column_in_dataframe", "failure_case"].tolist()
    extra = cases.loc[cases["check"] == "column_in_schema", "failure_case"].tolist()
    problems = [f"{name}: column {c!r} missing" for c in missing]
    problems += [f"{name}: column {c!r} is not in the schema" for c in extra]
    if (cases["check"] == "column_ordered").any() and not missing and not extra:
        problems.append(f"{name}: columns out of order (expected {', '.join(c for c, _ in table.columns)})")
    rest = cases[~cases["check"].isin(SHAPE_CHECKS)]
    dtype = rest["check"].str.startswith("dtype(")
    bad_dtype = set()
    for column, group in rest[dtype].groupby("column", sort=False):
        bad_dtype.add(column)
        got = frame[column].dtype if column in frame.columns else "?"
        problems.append(f"{name}: column {column!r}: dtype {got}, expected {group['check'].iloc[0][7:-2]}"
                        f"{_first_non_number(table, column, frame)}")
    whole_rows = rest[~dtype & (rest["schema_context"] == "DataFrameSchema")]
    for check_, group in whole_rows.groupby("check", sort=False):
        idx = _indices(group)
        if check_.startswith("duplicate ("):
            cols = check_[len("duplicate ("):-1].split(", ")
            problems.append(f"{name}: duplicate {', '.join(cols)}{_rows(idx, frame, cols)}")
        elif check_.startswith("not sorted by"):
            if bad_dtype & set(table.sort_by):  # strings compared as strings: the dtype line says enough
                continue
            where = _rows(idx, frame, key).replace(" rows, first", " rows out of order, first")
            problems.append(f"{name}: rows {check_}{where}")
        else:
            problems.append(f"{name}: {check_}{_rows(idx, frame, key)}")
    cells = rest[~dtype & (rest["schema_context"] != "DataFrameSchema") & ~rest["column"].isin(bad_dtype)]
    for (column, check_), group in cells.groupby(["column", "check"], sort=False):
        value = _plain(group["failure_case"].iloc[0])
        problems.append(f"{name}: column {column!r}: value {value!r} {check_}{_rows(_indices(group), frame, key)}")
    return list(dict.fromkeys(problems))

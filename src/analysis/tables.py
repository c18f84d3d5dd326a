"""Deterministic reading and writing of the processed tables (sorted rows, UTF-8, ``\\n`` line ends), and
the one filter of front matter: :func:`proper_tasks` (tasks without the ``is_preamble`` rows); and
:func:`rows_digest`, what the build's cache keys a cross-document stage's part by (a few documents' rows)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from analysis import config


#: How every float of a table is written (``%`` formatting; a missing value is an empty field).
FLOAT_FORMAT = "%.10g"
#: Rows of a table formatted and written at a time: the table is never held as one text, nor sorted as a copy
#: (issue 18: alignment.csv of 10,000 synthetic documents, 2.8 million rows, written at once took the build's
#: peak memory from 5.1 to 6.5 GB). Each value is formatted on its own, so the file is the same as written whole.
WRITE_CHUNK_ROWS = 50_000


def _floats_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its numpy float columns already formatted as ``to_csv(float_format=FLOAT_FORMAT)`` writes
    them (``FLOAT_FORMAT % value``, NaN as ""): pandas formats a float column value by value through several
    Python calls, about 5 µs a value (20 s of writing the tables of 1,000 documents under cProfile)."""
    floats = [i for i, dt in enumerate(frame.dtypes) if isinstance(dt, np.dtype) and dt.kind == "f"]
    if not floats or not frame.columns.is_unique:
        return frame
    out = frame.copy(deep=False)
    for i in floats:
        values = frame.iloc[:, i].to_numpy()
        text = np.array([FLOAT_FORMAT % v for v in values.tolist()], dtype=object)
        text[np.isnan(values)] = ""
        out[frame.columns[i]] = text
    return out


def write_csv(frame: pd.DataFrame, name: str, *, sort_by: Sequence[str] | None = None,
              out_dir: Path | None = None) -> Path:
    """Write ``frame`` to ``out_dir/name`` byte-for-byte reproducibly.

    Rows are sorted by ``sort_by`` (a stable sort, so ties keep their order), floats are written
    with a fixed precision, and the file always ends in a newline. Written :data:`WRITE_CHUNK_ROWS` rows at a time.
    """
    out_dir = Path(out_dir) if out_dir is not None else config.PROCESSED
    out_dir.mkdir(parents=True, exist_ok=True)
    order = None
    if sort_by and len(frame):
        keys = frame[list(sort_by)].reset_index(drop=True)  # the order of the sorted frame, without sorting a copy
        order = keys.sort_values(list(sort_by), kind="mergesort").index.to_numpy()
    path = out_dir / name
    with path.open("w", encoding="utf-8", newline="") as fh:
        if not len(frame) or not len(frame.columns):
            _floats_as_text(frame).to_csv(fh, index=False, lineterminator="\n", float_format=FLOAT_FORMAT)
        for lo in range(0, len(frame) if len(frame.columns) else 0, WRITE_CHUNK_ROWS):
            rows = order[lo:lo + WRITE_CHUNK_ROWS] if order is not None else np.arange(lo, min(lo + WRITE_CHUNK_ROWS, len(frame)))
            _floats_as_text(frame.iloc[rows]).to_csv(fh, index=False, header=lo == 0, lineterminator="\n",
                                                     float_format=FLOAT_FORMAT)
    return path


def read_csv(name: str, *, in_dir: Path | None = None, **kwargs) -> pd.DataFrame:
    """Read a processed table; empty strings stay empty strings, not NaN."""
    in_dir = Path(in_dir) if in_dir is not None else config.tables_dir()
    path = in_dir / name
    if not path.is_file():
        from analysis.errors import InputError

        raise InputError(f"{path}: not found — run `python -m analysis build` first.")
    kwargs.setdefault("keep_default_na", False)
    kwargs.setdefault("dtype", {"doc_id": str})
    return pd.read_csv(path, **kwargs)


#: How a true flag reads in a table that was read back as text.
TRUE_STRINGS = ("true", "1", "yes")


def flag(series: pd.Series) -> pd.Series:
    """A boolean column as bools, whether it was read back as bools or as text (``"True"``, ``"1"``)."""
    if series.dtype == bool:
        return series
    return series.astype(str).str.strip().str.lower().isin(TRUE_STRINGS)


def preamble(tasks: pd.DataFrame) -> pd.Series:
    """True for the front-matter rows of ``tasks`` (``is_preamble``); all False when the column is absent."""
    if "is_preamble" not in tasks.columns:
        return pd.Series(False, index=tasks.index)
    return flag(tasks["is_preamble"])


def proper_tasks(tasks: pd.DataFrame) -> pd.DataFrame:
    """The tasks proper: ``tasks`` without its front matter (what every count, share and comparison uses)."""
    return tasks[~preamble(tasks)]


def rows_digest(rows: pd.DataFrame) -> str:
    """A hash of a frame's rows, every column by value, and of its column names: the key of what a part of a
    cross-document stage made of these rows, kept in the build's cache (:mod:`analysis.cache`)."""
    h = hashlib.sha256(repr(list(rows.columns)).encode())
    h.update(repr(rows.to_numpy(dtype=object).tolist()).encode("utf-8", "surrogatepass"))
    return h.hexdigest()

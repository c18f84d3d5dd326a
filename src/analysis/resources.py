"""The one loader of the versioned parameter files shipped in ``src/analysis/resources/``.

Lexicons, the taxonomy, stopwords, units, cues, boilerplate rules, chart labels: every stage reads its
parameters through these three functions, so a missing file or column is the same one-line
:class:`~analysis.errors.InputError` everywhere, and comment lines (``#``) mean the same in every file.
Core layer: no pandas at import (:func:`frame` imports it when called).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Sequence

from analysis import config
from analysis.errors import InputError

COMMENT = "#"


def path(name: str) -> Path:
    """The file ``name`` of the package's resources; a one-line error when it is missing."""
    found = config.resource(name)
    if not found.is_file():
        raise InputError(f"{found}: parameter file missing from the install — reinstall the package "
                         f"(`pip install -e .`).")
    return found


def lines(name: str) -> list[str]:
    """The stripped, non-empty lines of a list file (stopwords, user words), comments left out."""
    text = path(name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith(COMMENT)]


def rows(name: str, *, columns: Sequence[str] = ()) -> list[dict[str, str]]:
    """The rows of a CSV parameter file as dicts (every value a string), comment lines left out; a
    one-line error when one of ``columns`` is missing from its header."""
    where = path(name)
    with where.open(encoding="utf-8", newline="") as fh:
        body = [r for r in csv.reader(fh) if r and not r[0].lstrip().startswith(COMMENT)]
    if not body:
        raise InputError(f"{where}: empty parameter file — reinstall the package.")
    header = body[0]
    missing = [c for c in columns if c not in header]
    if missing:
        raise InputError(f"{where}: missing column(s) {', '.join(missing)} (expected {', '.join(columns)}).")
    return [dict(zip(header, r + [""] * (len(header) - len(r)))) for r in body[1:]]


def frame(name: str, *, columns: Sequence[str] = ()):
    """:func:`rows` as a pandas DataFrame of strings, columns in file order."""
    import pandas as pd

    where = path(name)
    with where.open(encoding="utf-8", newline="") as fh:
        header = next((r for r in csv.reader(fh) if r and not r[0].lstrip().startswith(COMMENT)), [])
    return pd.DataFrame(rows(name, columns=columns), columns=header, dtype=str)

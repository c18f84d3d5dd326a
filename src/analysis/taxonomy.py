"""The policy-domain taxonomy (``resources/taxonomy.csv``): codes, names, headline flags, CAP crosswalk.

The one reader of the taxonomy file; the classifier, coverage, the report and the command line ask here.
Core layer: pandas is imported only when :func:`frame` is called.
"""

from __future__ import annotations

from functools import lru_cache

from analysis import choices, resources

FILE = "taxonomy.csv"
COLUMNS = ("code", "name_zh", "name_en", "headline", "description", "seed_terms",
           "cap_major_code", "cap_major_name", "cap_note")
#: The catch-all domain of tasks no lexicon term points to.
OTHER = "other"


@lru_cache(maxsize=1)
def _rows() -> tuple[dict[str, str], ...]:
    return tuple(resources.rows(FILE, columns=COLUMNS))


def frame():
    """The domains in file order (the classifier's tie-break order): the file's columns, ``headline`` as
    bool, and ``rank`` (0, 1, …)."""
    import pandas as pd

    tax = pd.DataFrame(list(_rows()), columns=list(COLUMNS), dtype=str)
    tax["headline"] = tax["headline"].astype(int).astype(bool)
    return tax.assign(rank=range(len(tax)))


def codes() -> tuple[str, ...]:
    """Domain codes in taxonomy order."""
    return tuple(r["code"] for r in _rows())


def headline_codes() -> tuple[str, ...]:
    """The headline domains (social assistance, elderly care, child welfare, place names, funerals)."""
    return tuple(r["code"] for r in _rows() if r["headline"].strip() == "1")


def names(*, lang: str) -> dict[str, str]:
    """Domain code -> its name in ``lang``."""
    column = "name_zh" if choices.check(lang, choices.LANGS, what="language") == "zh" else "name_en"
    return {r["code"]: r[column] for r in _rows()}


def check(code: str) -> str:
    """``code`` if it is a domain, else a one-line :class:`~analysis.errors.UsageError` naming the valid ones."""
    return choices.check(code, codes(), what="domain")

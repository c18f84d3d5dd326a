"""Which regions and domains an analyst command shows: forgiving names and document filters.

Regions are matched against the documents the tables were built from (``document_profiles.csv``) by
slug, Chinese or English name, in any case; domains against the coverage table by code, Chinese or
English name (``elderly care``, ``elderly-care`` and ``Elderly_Care`` are the same). The filters
``province``, ``prefecture``, ``level``, ``year`` and ``doc_type`` read ``documents.csv`` (the manifest's
columns as built): a province or prefecture by either of its names or its stem (``陕西``, ``陕西省``,
``shaanxi``), a level or document type by code, English or Chinese label, a year as ``2023`` or
``2020-2023``. A value that matches nothing is a one-line :class:`~analysis.errors.UsageError` naming the
valid ones and the nearest.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis import aggregate, choices
from analysis.errors import InputError, UsageError

#: Filter option -> column of documents.csv.
FILTERS = {"province": "province", "prefecture": "prefecture", "level": "admin_level", "year": "year",
           "doc_type": "doc_type"}
#: Chinese names of the administrative levels of the manifest.
LEVELS_ZH = {"区": "district", "市辖区": "district", "县": "county", "县级市": "county-level city",
             "地级市": "prefecture-level city", "省": "province"}
YEAR_RANGE_RE = re.compile(r"^\s*(\d{4})\s*[-–~至到]\s*(\d{4})\s*$")
PLACE_SUFFIX_RE = re.compile(r"(省|市|自治区|自治州|地区|盟|区|县)$")
SEPARATORS_RE = re.compile(r"[\s_\-]+")


def key(value) -> str:
    """The form values are compared in: lower case, runs of spaces, hyphens and underscores as one space."""
    return SEPARATORS_RE.sub(" ", str(value).strip().lower())


def _matcher(rows: pd.DataFrame, code: str, names: tuple[str, ...]) -> dict[str, str]:
    """Compared form of each code and name -> code (a name shared by two codes is left out: ambiguous)."""
    seen: dict[str, set[str]] = {}
    for row in rows.itertuples(index=False):
        value = str(getattr(row, code))
        for name in (value, *(str(getattr(row, n, "") or "") for n in names)):
            if name.strip() and name.strip().lower() != "nan":
                seen.setdefault(key(name), set()).add(value)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


def resolve(values, rows: pd.DataFrame, *, code: str, names: tuple[str, ...], what: str) -> list[str]:
    """The codes of ``values`` (codes or names), in the order given, without repeats."""
    values = [values] if isinstance(values, str) else list(values)
    match = _matcher(rows, code, names)
    unknown = [v for v in values if key(v) not in match]
    if unknown:
        valid = list(dict.fromkeys(str(v) for v in rows[code]))
        names_ = [str(getattr(r, n)) for r in rows.itertuples(index=False) for n in names if hasattr(r, n)]
        hint = choices.suggestion(str(unknown[0]), valid + names_) if len(unknown) == 1 else ""
        plural = "s" if len(unknown) > 1 else ""
        raise UsageError(f"unknown {what}{plural} {', '.join(repr(u) for u in unknown)}{hint} "
                         f"(choose from: {choices.listed(valid)}).")
    return list(dict.fromkeys(match[key(v)] for v in values))


def regions(values, profiles: pd.DataFrame) -> list[str]:
    """Region slugs for ``values`` given as document slugs, or as a bureau's slug (``jurisdiction``) or its
    Chinese / English name, in any case: a bureau stands for all its documents."""
    rows = profiles.sort_values("doc_id", kind="mergesort")
    if "jurisdiction" not in rows.columns:
        return resolve(values, rows, code="region", names=("name_zh", "name_en"), what="region")
    values = [values] if isinstance(values, str) else list(values)
    docs = {key(r): r for r in rows["region"]}
    bureau = {}  # compared form of a bureau's slug or name -> its documents
    for r in rows.itertuples(index=False):
        for name in (r.jurisdiction, r.name_zh, r.name_en):
            if str(name).strip():
                bureau.setdefault(key(name), []).append(r.region)
    out = []
    for v in values:
        if key(v) in docs:
            out.append(docs[key(v)])
        elif key(v) in bureau:
            out += bureau[key(v)]
        else:
            resolve([v], rows, code="region", names=("name_zh", "name_en", "jurisdiction"), what="region")
    return list(dict.fromkeys(out))


#: How a command counts documents: each document, one per bureau and year, or one per bureau.
BY = ("document", "jurisdiction-year", "jurisdiction")


def per(profiles: pd.DataFrame, chosen: list[str] | None, *, by: str = "document") -> list[str] | None:
    """The documents shown ``by`` document (all chosen), jurisdiction-year (per bureau and year: its plan, else
    its first document) or jurisdiction (per bureau: its latest plan, else its latest document)."""
    choices.check(by, BY, what="--by")
    if by == "document":
        return chosen
    rows = profiles if chosen is None else profiles[profiles["region"].isin(chosen)]
    if by == "jurisdiction":  # the one rule of a bureau's representative document
        keep = aggregate.representatives(rows)
    else:
        rows = rows.assign(_year=pd.to_numeric(rows["year"], errors="coerce").fillna(-1),
                           _plan=rows["doc_type"].isin(aggregate.PLAN_DOC_TYPES))
        rows = rows.sort_values(["jurisdiction", "_year", "_plan", "doc_id"], ascending=[True, True, False, True],
                                kind="mergesort")
        keep = rows.groupby(["jurisdiction", "_year"], sort=False).head(1)
    return keep.sort_values("doc_id", kind="mergesort")["region"].tolist()


def domains(values, coverage: pd.DataFrame) -> list[str]:
    """Domain codes for ``values`` given as codes or Chinese / English names, in any case."""
    rows = coverage.drop_duplicates("domain").sort_values("domain_rank", kind="mergesort")
    return resolve(values, rows, code="domain", names=("domain_zh", "domain_en"), what="domain")


def _place_forms(value: str) -> set[str]:
    """``陕西省 Shaanxi`` -> {陕西省 shaanxi, 陕西省, 陕西, shaanxi}: the whole, each part, each stem."""
    parts = [p for p in str(value).split() if p]
    forms = {key(value), *(key(p) for p in parts)}
    forms |= {key(PLACE_SUFFIX_RE.sub("", p)) for p in parts if len(PLACE_SUFFIX_RE.sub("", p)) >= 2}
    return forms - {""}


def _years(values) -> set[int]:
    out: set[int] = set()
    for v in values:
        m = YEAR_RANGE_RE.match(str(v))
        if m:
            out |= set(range(int(m[1]), int(m[2]) + 1))
        elif str(v).strip().isdigit():
            out.add(int(v))
        else:
            raise UsageError(f"bad year {v!r}: a year is four digits (2023) or a range (2020-2023).")
    return out


def _levels(values, documents: pd.DataFrame) -> set[str]:
    valid = sorted(set(documents["admin_level"].dropna().astype(str)))
    table = {key(v): v for v in valid} | {key(zh): en for zh, en in LEVELS_ZH.items()}
    unknown = [v for v in values if key(v) not in table]
    if unknown:
        choices.check_all(unknown, valid, what="level")
    return {table[key(v)] for v in values}


def _doc_types(values, documents: pd.DataFrame) -> set[str]:
    from analysis.coverage import label

    codes = sorted(set(documents["doc_type"].dropna().astype(str)))
    table = {}
    for c in codes:
        table.update({key(c): c, key(label(f"doc_type.{c}", lang="en")): c, key(label(f"doc_type.{c}", lang="zh")): c})
    unknown = [v for v in values if key(v) not in table]
    if unknown:
        choices.check_all(unknown, codes, what="document type")
    return {table[key(v)] for v in values}


def _places(values, documents: pd.DataFrame, column: str, what: str) -> pd.Series:
    forms = documents[column].fillna("").astype(str).map(_place_forms)
    wanted = {key(v) for v in values} | {key(PLACE_SUFFIX_RE.sub("", str(v))) for v in values}
    hit = forms.map(lambda f: bool(f & wanted))
    known = {k for f in forms for k in f}
    unknown = [v for v in values if key(v) not in known and key(PLACE_SUFFIX_RE.sub("", str(v))) not in known]
    if unknown:
        valid = sorted(set(documents[column].dropna().astype(str)))
        choices.check_all(unknown, valid, what=what)
    return hit


def filtered(documents: pd.DataFrame | None, **filters) -> list[str] | None:
    """Region slugs of the documents passing every given filter (``province``, ``prefecture``, ``level``,
    ``year``, ``doc_type``: lists of values, any of which matches); None when no filter is given."""
    given = {k: v for k, v in filters.items() if v}
    if not given:
        return None
    if documents is None:
        raise InputError("filters by province, prefecture, level, year or type need documents.csv — "
                         "run `python -m analysis build` first.")
    keep = pd.Series(True, index=documents.index)
    for name, values in given.items():
        values = [values] if isinstance(values, str) else list(values)
        if name in ("province", "prefecture"):
            keep &= _places(values, documents, FILTERS[name], name)
        elif name == "year":
            years = pd.to_numeric(documents["year"], errors="coerce")
            keep &= years.isin(_years(values))
        elif name == "level":
            keep &= documents["admin_level"].astype(str).isin(_levels(values, documents))
        elif name == "doc_type":
            keep &= documents["doc_type"].astype(str).isin(_doc_types(values, documents))
        else:
            raise UsageError(f"unknown filter {name!r} (choose from: {', '.join(FILTERS)}).")
    return documents.loc[keep].sort_values("doc_id", kind="mergesort")["region"].tolist()


def shown(profiles: pd.DataFrame, documents: pd.DataFrame | None, *, names=None, **filters) -> list[str] | None:
    """Regions named (``names``) and passing the filters — their intersection when both are given; None
    (every region) when neither is; a one-line error when nothing is left."""
    named = regions(names, profiles) if names else None
    passing = filtered(documents, **filters)
    if named is None and passing is None:
        return None
    chosen = [r for r in (named or passing) if passing is None or r in passing]
    if not chosen:
        raise UsageError("no document matches the chosen regions and filters.")
    return chosen

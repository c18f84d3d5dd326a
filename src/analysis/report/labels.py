"""Names on charts and in the workbook: regions, domains, leaders' and sections' English renderings,
caveats of documents that are not plans, and the selection of shown regions and domains.

Region names come from the processed ``document_profiles.csv`` frame (never from the raw manifest), so a
chart labels exactly the corpus its tables were built from.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from analysis import resources

NAMES_FILE = "source_names_en.csv"


@lru_cache(maxsize=1)
def _source_names() -> dict[str, str]:
    return {r["zh"]: r["en"] for r in resources.rows(NAMES_FILE, columns=("zh", "en"))}


def source_name(name: str, *, lang: str) -> str:
    """A leader's or section's name as in the source (zh) or its English rendering (en, if listed)."""
    return _source_names().get(name, name) if lang == "en" else name


def region_names(profiles: pd.DataFrame, *, lang: str) -> dict[str, str]:
    col = "name_zh" if lang == "zh" else "name_en"
    return dict(zip(profiles["region"], profiles[col]))


def region_label(row, *, lang: str) -> str:
    """``宝鸡市\\n2020 报纸专题报道`` / ``Baoji City\\n2020 newspaper feature``: name, year and type."""
    name = row["name_zh"] if lang == "zh" else row["name_en"]
    kind = row["doc_type_zh"] if lang == "zh" else row["doc_type_en"]
    year = row.get("year")
    year = "" if year is None or pd.isna(year) or year == "" else f"{int(float(year))} "
    return f"{name}\n{year}{kind}"


def domain_names(coverage: pd.DataFrame, *, lang: str) -> dict[str, str]:
    col = "domain_zh" if lang == "zh" else "domain_en"
    return dict(zip(coverage["domain"], coverage[col]))


def caveats(profiles: pd.DataFrame, *, lang: str, regions: list[str] | None = None) -> list[str]:
    """Caveats of the shown documents that are not plans (Baoji's feature, Yanta's summary)."""
    col = f"caveat_{lang}"
    rows = profiles if regions is None else profiles[profiles["region"].isin(regions)]
    return [c for c in rows[col] if isinstance(c, str) and c]


def distinct_names(profiles: pd.DataFrame, *, lang: str) -> dict[str, str]:
    """Region slug -> display name, made distinct where a bureau has several documents: ``示范县 2022 工作计划``
    (name, year, type), and the slug itself should even those collide."""
    names = region_names(profiles, lang=lang)
    counts = pd.Series(list(names.values())).value_counts()
    kind = "doc_type_zh" if lang == "zh" else "doc_type_en"
    out = {}
    for row in profiles.itertuples(index=False):
        name = names[row.region]
        if counts.get(name, 0) > 1:
            year = "" if pd.isna(row.year) or row.year == "" else f" {int(float(row.year))}"
            name = f"{name}{year} {getattr(row, kind, row.doc_type)}"
        out[row.region] = name
    seen = pd.Series(list(out.values())).value_counts()
    return {r: (n if seen[n] == 1 else f"{n} ({r})") for r, n in out.items()}


def ordered_names(profiles: pd.DataFrame, *, lang: str) -> dict[str, str]:
    """Region slug -> display name, in document order (the order of every region axis)."""
    return region_names(profiles.sort_values("doc_id", kind="mergesort"), lang=lang)


def select(frame: pd.DataFrame, column: str, values: list[str] | None) -> pd.DataFrame:
    """The rows whose ``column`` is one of ``values`` (all rows when ``values`` is empty)."""
    return frame if not values else frame[frame[column].isin(values)]


def shown_regions(profiles: pd.DataFrame, regions: list[str] | None) -> pd.DataFrame:
    """Profile rows of the shown regions, in document order."""
    rows = profiles.sort_values("doc_id", kind="mergesort")
    return rows if not regions else rows[rows["region"].isin(regions)]


def shown_domains(coverage: pd.DataFrame, domains: list[str] | None) -> list[str]:
    """Domain codes of the shown domains, in taxonomy order."""
    ordered = (coverage.drop_duplicates("domain").sort_values("domain_rank", kind="mergesort")["domain"].tolist())
    return [d for d in ordered if not domains or d in domains]


def column_width(lang: str) -> float:
    """Inches per region column: English region labels ("2020 newspaper feature") are wider."""
    return 1.25 if lang == "zh" else 1.6

"""Coverage aggregated over documents: by province, prefecture or administrative level, by domain or by the
Comparative Agendas Project's major topic (``coverage_by_group.csv``), and a bureau's domain shares year over
year (``domain_trends.csv``).

Each bureau counts once in a group: its latest plan (``is_latest_plan``), or, for a bureau without a plan in the
corpus, its latest document. Shares are of primary domains (``n_tasks_primary``), so a group's shares add up to 1.
"""

from __future__ import annotations

import pandas as pd

from analysis import schema, taxonomy
from analysis.coverage import PLAN_DOC_TYPES
from analysis.errors import InputError

#: Profile columns a group can be (``jurisdiction`` groups one bureau's representative document).
GROUPS = (*schema.GROUPINGS, "jurisdiction")
#: What a group's tasks are counted by: the taxonomy's domains, or the CAP major topics they map to.
TOPICS = schema.TOPIC_SCHEMES
GROUP_COLUMNS = tuple(schema.columns("coverage_by_group.csv"))
#: The topic of domains the crosswalk maps to no CAP major topic (``other``).
NO_CAP = ("none", "No CAP major topic", "无对应CAP主题")
TREND_COLUMNS = tuple(schema.columns("domain_trends.csv"))


def representatives(profiles: pd.DataFrame) -> pd.DataFrame:
    """One document per bureau among ``profiles``: its latest plan (a work plan or task list: highest year, then
    last), else its latest document — on all profiles, the ``is_latest_plan`` one where the bureau has a plan."""
    rows = profiles.assign(_year=pd.to_numeric(profiles["year"], errors="coerce").fillna(-1),
                           _plan=profiles["doc_type"].isin(PLAN_DOC_TYPES))
    rows = rows.sort_values(["jurisdiction", "_plan", "_year", "doc_id"], kind="mergesort")
    return rows.groupby("jurisdiction", sort=True).tail(1).drop(columns=["_year", "_plan"])


def _years(year: pd.Series) -> str:
    """A bureau's document years, ascending, and ``unknown`` last when a document's year is not known."""
    known = pd.to_numeric(year, errors="coerce")
    listed = [str(int(y)) for y in sorted(set(known.dropna()))]
    return ", ".join(listed + (["unknown"] if known.isna().any() else []))


def bureaus(profiles: pd.DataFrame) -> pd.DataFrame:
    """One row per bureau (index ``jurisdiction``): how many documents, of which types and years, and its
    latest plan (``is_latest_plan``)."""
    return profiles.groupby("jurisdiction").agg(
        documents=("region", "size"), types=("doc_type", lambda s: ", ".join(sorted(set(s)))),
        years=("year", _years),
        latest_plan=("region", lambda s: ", ".join(s[profiles.loc[s.index, "is_latest_plan"]])))


def _topics(coverage: pd.DataFrame, topic_by: str) -> pd.DataFrame:
    cells = coverage[["region", "domain", "domain_zh", "domain_en", "n_tasks_primary"]].copy()
    if topic_by == "domain":
        return cells.rename(columns={"domain": "topic", "domain_zh": "topic_zh", "domain_en": "topic_en"})
    tax = taxonomy.frame().set_index("code")
    code = cells["domain"].map(tax["cap_major_code"]).fillna("")
    name = cells["domain"].map(tax["cap_major_name"]).fillna("")
    cells["topic"] = code.where(code != "", NO_CAP[0])
    cells["topic_en"] = name.where(code != "", NO_CAP[1])
    cells["topic_zh"] = name.where(code != "", NO_CAP[2])  # the CAP codebook names its topics in English only
    return cells.drop(columns=["domain", "domain_zh", "domain_en"])


def by_group(coverage: pd.DataFrame, profiles: pd.DataFrame, *, group_by: str, topic_by: str) -> pd.DataFrame:
    """Primary-domain shares of the bureaus' representative documents, per group and topic."""
    if group_by not in GROUPS or topic_by not in TOPICS:
        raise InputError(f"group_by {group_by!r} / topic_by {topic_by!r}: choose from {GROUPS} and {TOPICS}.")
    docs = representatives(profiles)[["region", group_by]].rename(columns={group_by: "group"})
    docs["group"] = docs["group"].fillna("").astype(str).replace("", "(unknown)")
    cells = _topics(coverage, topic_by).merge(docs, on="region")
    grouped = (cells.groupby(["group", "topic", "topic_zh", "topic_en"], sort=True)["n_tasks_primary"].sum()
               .reset_index())
    totals = grouped.groupby("group")["n_tasks_primary"].transform("sum")
    grouped["share_tasks"] = (grouped["n_tasks_primary"] / totals.where(totals > 0, 1)).round(10)
    grouped["n_documents"] = grouped["group"].map(docs.groupby("group").size())
    grouped["group_by"], grouped["topic_by"] = group_by, topic_by
    return grouped[list(GROUP_COLUMNS)]


def groups_table(coverage: pd.DataFrame, profiles: pd.DataFrame) -> pd.DataFrame:
    """:func:`by_group` for every group (province, prefecture, level) and both topic schemes, stacked."""
    frames = [by_group(coverage, profiles, group_by=g, topic_by=t) for g in GROUPS if g != "jurisdiction"
              for t in TOPICS]
    return pd.concat(frames, ignore_index=True)


def trends(coverage: pd.DataFrame, profiles: pd.DataFrame) -> pd.DataFrame:
    """Each document of a bureau with two or more: primary-domain shares, targets and achievements per domain."""
    several = profiles[profiles.groupby("jurisdiction")["region"].transform("size") > 1]
    cells = coverage.merge(several[["region", "jurisdiction", "year", "doc_type"]], on="region")
    totals = cells.groupby("region")["n_tasks_primary"].transform("sum")
    cells["share_tasks"] = (cells["n_tasks_primary"] / totals.where(totals > 0, 1)).round(10)
    return cells[list(TREND_COLUMNS)]


def build(ctx) -> None:
    """Add ``coverage_by_group.csv`` and ``domain_trends.csv`` (after the coverage stage)."""
    if "coverage.csv" not in ctx.tables or "document_profiles.csv" not in ctx.tables:
        raise InputError("no coverage table on the context — run the coverage stage first.")
    cov, prof = ctx.tables["coverage.csv"].frame, ctx.tables["document_profiles.csv"].frame
    ctx.add_table("coverage_by_group.csv", groups_table(cov, prof),
                  sort_by=["group_by", "topic_by", "group", "topic"], per_document=False)
    ctx.add_table("domain_trends.csv", trends(cov, prof), sort_by=["jurisdiction", "year", "region", "domain"])

"""Did the plan's targets happen? Each quantified target followed to the same bureau's reported result
(``target_followup.csv``).

A target is a quantity of kind ``target`` in a plan (a work plan, a task list, or the plan part of a
summary-plus-plan report, whose targets are for the year after the report's). Its *report* is the same
jurisdiction's summary of the year the target is for (or, when the bureau has none of that year and no plan of the
next, its summary dated the next year: a summary filed under its year of publication) (a work summary,
or the result part of a summary-plus-plan report; the first in the manifest if there are several). The
result is the report's achievement with the same indicator (its noun phrase without list numbering), unit
and base (``per``); failing that, the same indicator family, unit and base when the report has exactly one.

Status, as target trackers for national pledges do it (a ladder, not a score):

- ``exceeded``: the result is more than :data:`EXCEED_MARGIN` above the target (for a floor or a level);
- ``met``: the result reaches the target (for a ceiling — 不超过, 控制在, 以内 — stays at or under it);
- ``partly_met``: a result is reported but falls short (or, for a ceiling, above it);
- ``not_reported``: no result for the indicator (``has_report`` says whether a report exists at all);
- ``reported_without_target``: a result of the report with no target in the same year's plan.

Evidence: the sentences on both sides (``target_sentence``, ``result_sentence``).
"""

from __future__ import annotations

import re

import pandas as pd

from analysis import schema
from analysis.overtime.changes import plan_year

PLAN_TYPES = ("work_plan", "task_list", "work_summary_and_plan")
REPORT_TYPES = ("work_summary", "work_summary_and_plan")
#: Comparators that make a target a ceiling (the result should stay at or under it).
CEILINGS = ("不高于", "不超过", "不多于", "控制在", "压缩至", "压缩到", "以下", "以内", "内")
#: Kinds of quantity a report states its results in, preferred in this order.
RESULT_KINDS = ("achievement", "baseline")
#: How far above the target a result counts as exceeding it (5 %).
EXCEED_MARGIN = 0.05
#: List numbering left at the start of an indicator (1.城市低保标准, 一火化率).
LEADING_NUMBER_RE = re.compile(r"^(?:[0-9０-９]{1,3}[.、．)）]?|[一二三四五六七八九十]{1,3}[、.．)）]?)")
STATUSES = schema.FOLLOWUP_STATUSES
COLUMNS = tuple(schema.columns("target_followup.csv"))


def indicator_key(indicator: str) -> str:
    """The indicator's noun phrase without list numbering (``1.城市低保标准`` -> ``城市低保标准``)."""
    return LEADING_NUMBER_RE.sub("", str(indicator or "").strip())


def status(target: float, result: float, *, comparator: str) -> str:
    """``exceeded`` / ``met`` / ``partly_met`` of one result against one target (see module docs)."""
    if comparator in CEILINGS:
        return "met" if result <= target else "partly_met"
    if result > target * (1 + EXCEED_MARGIN):
        return "exceeded"
    return "met" if result >= target else "partly_met"


def _with_parts(quantities: pd.DataFrame, tasks: pd.DataFrame, profiles: pd.DataFrame) -> pd.DataFrame:
    part = dict(zip(tasks["task_id"], tasks["part"])) if "part" in tasks.columns else {}
    meta = profiles.set_index("region")[["jurisdiction", "year", "doc_type"]]
    q = quantities.join(meta, on="region")
    q["part"] = q["task_id"].map(part).fillna("")
    # the year a quantity speaks of: a summary-plus-plan report of year Y reports Y and plans Y + 1
    q["year"] = [plan_year(y, t) if p == "plan" else (int(float(y)) if pd.notna(y) and y != "" else None)
                 for y, t, p in zip(q["year"], q["doc_type"], q["part"])]
    q["key"] = q["indicator"].map(indicator_key)
    for col in ("unit", "per", "indicator_family", "comparator"):
        q[col] = q[col].fillna("").astype(str) if col in q.columns else ""
    q["value"] = pd.to_numeric(q["value"], errors="coerce")
    return q


def _targets(q: pd.DataFrame) -> pd.DataFrame:
    plan = q["doc_type"].isin(PLAN_TYPES) & (q["kind"] == "target")
    mixed = q["doc_type"] == "work_summary_and_plan"
    return q[plan & (~mixed | (q["part"] == "plan"))]


def _results(q: pd.DataFrame) -> pd.DataFrame:
    """Reported results: achievements, and stock levels (baselines: 现有, 累计…达到) after them."""
    report = q["doc_type"].isin(REPORT_TYPES) & q["kind"].isin(RESULT_KINDS)
    mixed = q["doc_type"] == "work_summary_and_plan"
    rows = q[report & (~mixed | (q["part"] == "result"))]
    return rows.assign(_kind=rows["kind"].map(RESULT_KINDS.index)).sort_values("_kind", kind="mergesort")


def _index(found: pd.DataFrame) -> tuple[dict, dict]:
    """One report's results by (indicator, unit, per) -> its first row, and by (family, unit, per) -> rows."""
    same, family = {}, {}
    for i, k, f, u, p in zip(range(len(found)), found["key"], found["indicator_family"], found["unit"], found["per"]):
        same.setdefault((k, u, p), i)
        family.setdefault((f, u, p), []).append(i)
    return same, family


def _match(t, found: pd.DataFrame, index: tuple[dict, dict] | None = None):
    """The result row for target ``t`` among ``found`` (one report's results; ``index``: :func:`_index` of
    it), or None."""
    same, family = index if index is not None else _index(found)
    i = same.get((t.key, t.unit, t.per))
    if i is not None:
        return found.iloc[i]
    if t.indicator_family:
        rows = family.get((t.indicator_family, t.unit, t.per), [])
        if len(rows) == 1:
            return found.iloc[rows[0]]
    return None


def report_of(profiles: pd.DataFrame) -> dict[tuple, str]:
    """(jurisdiction, year) -> the report of that year's plan: the bureau's summary of the same year (the first
    in the manifest); failing that, its summary dated the next year when no plan of the next year exists (a
    summary filed under the year it was published)."""
    reports: dict[tuple, str] = {}
    rows = profiles[profiles["doc_type"].isin(REPORT_TYPES)].sort_values("doc_id", kind="mergesort")
    for r in rows.itertuples():
        if pd.notna(r.year):
            reports.setdefault((r.jurisdiction, int(r.year)), r.region)
    plans = {(j, int(y) + (1 if t == "work_summary_and_plan" else 0))
             for j, y, t in zip(profiles["jurisdiction"], profiles["year"], profiles["doc_type"])
             if t in PLAN_TYPES and pd.notna(y)}
    for (j, y), region in list(reports.items()):
        if (j, y - 1) not in reports and (j, y) not in plans:
            reports[(j, y - 1)] = region
    return reports


def followup(quantities: pd.DataFrame | None, tasks: pd.DataFrame, profiles: pd.DataFrame) -> pd.DataFrame:
    """One row per target of every plan of a bureau with two or more documents (and per unmatched result of
    a report whose year has a plan)."""
    if quantities is None or quantities.empty:
        return pd.DataFrame(columns=list(COLUMNS))
    several = profiles.groupby("jurisdiction")["region"].transform("size") > 1
    profiles = profiles[several]  # a bureau with one document has nothing to follow
    q = _with_parts(quantities[quantities["region"].isin(profiles["region"])], tasks, profiles)
    targets, results = _targets(q), _results(q)
    reports = report_of(profiles)
    rows, used = [], set()
    by_report = {region: rows_ for region, rows_ in results.groupby("region", sort=False)}  # once: linear
    indexes = {region: _index(rows_) for region, rows_ in by_report.items()}
    none = results.iloc[0:0]
    for t in targets.itertuples():
        report = reports.get((t.jurisdiction, int(t.year))) if pd.notna(t.year) else None
        found = by_report.get(report, none) if report else none
        hit = _match(t, found, indexes.get(report) if report else None)
        row = {"jurisdiction": t.jurisdiction, "year": t.year, "region": t.region, "task_id": t.task_id,
               "indicator": t.key, "unit": t.unit, "per": t.per, "comparator": t.comparator,
               "target_value": t.value, "target_sentence": t.sentence, "report_region": report or "",
               "report_task_id": "", "result_value": None, "result_sentence": "", "ratio": None,
               "has_report": report is not None, "status": "not_reported"}
        if hit is not None and pd.notna(t.value) and pd.notna(hit["value"]):
            used.add(hit.name)
            row.update(report_task_id=hit["task_id"], result_value=hit["value"], result_sentence=hit["sentence"],
                       ratio=round(hit["value"] / t.value, 6) if t.value else None,
                       status=status(t.value, hit["value"], comparator=t.comparator))
        rows.append(row)
    planned = {(j, y) for j, y in zip(targets["jurisdiction"], targets["year"])}
    for r in results.itertuples():
        if r.Index in used or (r.jurisdiction, r.year) not in planned:
            continue
        if pd.isna(r.year) or reports.get((r.jurisdiction, int(r.year))) != r.region:
            continue
        rows.append({"jurisdiction": r.jurisdiction, "year": r.year, "region": "", "task_id": "",
                     "indicator": r.key, "unit": r.unit, "per": r.per, "comparator": r.comparator,
                     "target_value": None, "target_sentence": "", "report_region": r.region,
                     "report_task_id": r.task_id, "result_value": r.value, "result_sentence": r.sentence,
                     "ratio": None, "has_report": True, "status": "reported_without_target"})
    return pd.DataFrame(rows, columns=list(COLUMNS))

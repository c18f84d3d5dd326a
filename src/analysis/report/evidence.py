"""Evidence listings: the source sentences behind one region × domain cell, as plain text, CSV or JSON."""

from __future__ import annotations

import json

import pandas as pd

EVIDENCE_FORMATS = ("text", "csv", "json")


def format_evidence(rows: pd.DataFrame, cell: pd.Series | None, *, region: str, domain: str,
                    sources: pd.DataFrame | None = None) -> str:
    """Plain-text report of one cell's evidence: a summary line, then per task its keywords, where it stands
    in the original file (``task_sources.csv``: PDF page, Word paragraph or table row, HTML element, text
    line), the sentences that hold them (``[start:end]`` offsets into the document's text) and the cell's
    quantities."""
    where = {}
    if sources is not None and not sources.empty:
        mine = sources[sources["region"] == region]
        where = {tid: (fmt, src) for tid, fmt, src in zip(mine["task_id"], mine["format"], mine["source"])}
    lines = []
    if cell is not None:
        lines.append(f"{region} x {domain} ({cell['domain_zh']} / {cell['domain_en']}): {cell['state']} — "
                     f"{cell['n_tasks']} task(s), {cell['n_targets']} target(s), "
                     f"{cell['n_achievements']} achievement(s), {cell['n_baselines']} baseline(s)")
    if rows.empty:
        lines.append("no task of this region addresses this domain.")
        return "\n".join(lines)
    for task_id, grp in rows.groupby("task_id", sort=False):
        task_rows = grp[grp["source"] == "task"]
        primary = bool(grp["is_primary"].iloc[0])
        terms = sorted({t for ts in task_rows["terms"] for t in ts.split(";") if t})
        fmt, src = where.get(task_id, ("", ""))
        lines.append(f"{task_id} ({'primary' if primary else 'secondary'} domain)"
                     + (f" — keywords: {', '.join(terms)}" if terms else "")
                     + (f" — in the original ({fmt}): {src}" if src else ""))
        quantities = grp[grp["source"] != "task"]
        for r in task_rows.itertuples():
            lines.append(f"  [{r.start}:{r.end}] {r.text}")
            for q in quantities[(quantities["value_start"] >= r.start) & (quantities["value_start"] < r.end)].itertuples():
                lines.append(f"      {q.source} {q.terms} [{q.value_start}:{q.value_end}]")
        inside = [any(r.start <= q.value_start < r.end for r in task_rows.itertuples()) for q in quantities.itertuples()]
        for q, shown in zip(quantities.itertuples(), inside):
            if not shown:  # a quantity in a sentence without keywords: show it in context
                lines.append(f"  [{q.start}:{q.end}] {q.text}")
                lines.append(f"      {q.source} {q.terms} [{q.value_start}:{q.value_end}]")
    return "\n".join(lines)



def render_evidence(rows: pd.DataFrame, cell: pd.Series | None, *, region: str, domain: str,
                    fmt: str = "text", sources: pd.DataFrame | None = None) -> str:
    """The evidence of one cell as ``text`` (:func:`format_evidence`), ``csv`` (the rows of
    :func:`analysis.coverage.evidence`, a header first) or ``json`` (the cell's summary and its rows)."""
    if fmt == "csv":
        return rows.to_csv(index=False).rstrip("\n")
    if fmt == "json":
        summary = {} if cell is None else {k: cell[k] for k in ("state", "n_tasks", "n_targets", "n_achievements",
                                                               "n_baselines", "domain_zh", "domain_en") if k in cell}
        doc = {"region": region, "domain": domain, **summary, "rows": rows.to_dict(orient="records")}
        return json.dumps(doc, ensure_ascii=False, indent=1, default=_plain)
    return format_evidence(rows, cell, region=region, domain=domain, sources=sources)


def _plain(value):
    """numpy scalars as Python numbers (for json)."""
    return value.item() if hasattr(value, "item") else str(value)

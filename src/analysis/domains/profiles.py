"""Profiles: what each region's plan spends its tasks on (primary domains per region, front matter excluded)."""

from __future__ import annotations

import pandas as pd

from analysis import choices, tables
from analysis.domains.lexicon import codes


def profile(tasks: pd.DataFrame, *, by: str = "region", weight: str = "tasks") -> pd.DataFrame:
    """Share of each region's tasks (``weight="tasks"``) or characters (``"chars"``) per primary
    domain, front matter excluded: one row per region and domain, ``n``, ``share``."""
    choices.check(weight, ("tasks", "chars"), what="weight")
    t = tables.proper_tasks(tasks)
    vals = t["n_chars"] if weight == "chars" else pd.Series(1, index=t.index)
    g = vals.groupby([t[by], t["domain"]]).sum().rename("n").reset_index()
    g["share"] = g["n"] / g.groupby(by)["n"].transform("sum")
    return g.sort_values([by, "domain"], kind="mergesort").reset_index(drop=True)


def profile_table(tasks: pd.DataFrame, *, weight: str = "tasks") -> pd.DataFrame:
    """Domains (rows, taxonomy order) × regions (columns): share of each region's tasks or characters
    whose primary domain it is, front matter excluded."""
    prof = profile(tasks, weight=weight)
    table = prof.pivot(index="domain", columns="region", values="share").fillna(0.0)
    return table.reindex([c for c in codes() if c in table.index]).round(3)


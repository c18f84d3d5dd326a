"""Task lists: tasks per leader in charge and per responsible section, stacked by primary domain."""

from __future__ import annotations

import re

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from analysis import tables
from analysis.coverage import OTHER_DOMAIN, label
from analysis.report.labels import domain_names, region_names, select, source_name
from analysis.report.style import caption, check_lang, finish, message, style, wrap

#: A separator between several names in one task-list cell: whitespace not before a bracket.
NAME_SPLIT_RE = re.compile(r"\s+(?![(（])")


def leader_domains(tasks: pd.DataFrame, *, column: str, regions: list[str] | None = None) -> pd.DataFrame:
    """Tasks per name (rows) and primary domain (columns) in a task list's ``leader`` or ``department``
    column; a task with several names counts for each. Rows sorted by total, descending."""
    rows = select(tasks, "region", regions)
    rows = tables.proper_tasks(rows)
    if column not in rows.columns:
        return pd.DataFrame(dtype=int)
    domains = rows["domain"] if "domain" in rows.columns else pd.Series(OTHER_DOMAIN, index=rows.index)
    pairs = [(n, d) for cell, d in zip(rows[column], domains) if isinstance(cell, str)
             for n in NAME_SPLIT_RE.split(cell.strip()) if n]
    if not pairs:
        return pd.DataFrame(dtype=int)
    table = pd.crosstab(pd.Series([n for n, _ in pairs], name=column), pd.Series([d for _, d in pairs], name="domain"))
    totals = table.sum(axis=1)
    order = totals.sort_index(kind="mergesort").sort_values(ascending=False, kind="mergesort").index
    return table.loc[order]


def leader_counts(tasks: pd.DataFrame, *, column: str, regions: list[str] | None = None) -> pd.Series:
    """Tasks per name in a task list's ``leader`` or ``department`` column (a task counts for each name)."""
    table = leader_domains(tasks, column=column, regions=regions)
    return table.sum(axis=1).rename("n_tasks") if len(table) else pd.Series(dtype=int)


def tasks_by_leader(tasks: pd.DataFrame, profiles: pd.DataFrame | None = None, *, lang: str = "zh",
                    regions: list[str] | None = None, coverage: pd.DataFrame | None = None) -> Figure:
    """Task lists: tasks per leader in charge and per responsible section, stacked by primary domain.

    ``coverage`` (the coverage table) supplies the domain names and their order; without it the
    codes are shown.
    """
    check_lang(lang)
    leaders = leader_domains(tasks, column="leader", regions=regions)
    depts = leader_domains(tasks, column="department", regions=regions)
    names = domain_names(coverage, lang=lang) if coverage is not None else {}
    ranks = (dict(zip(coverage["domain"], coverage["domain_rank"])) if coverage is not None else {})
    present = sorted(set(leaders.columns) | set(depts.columns), key=lambda d: (ranks.get(d, 99), d))
    colours = {d: mpl.colormaps["tab20"](i % 20) for i, d in enumerate(sorted(ranks, key=ranks.get) or present)}
    n = max(len(leaders), len(depts), 1)
    width, height = 12.5 if lang == "en" else 10.5, 1.8 + 0.34 * n
    if leaders.empty and depts.empty:
        width, height = 6.0, 2.2
    with style():
        fig = Figure(figsize=(width, height), layout="constrained")
        if leaders.empty and depts.empty:
            message(fig.add_subplot(), label("note.no_task_list", lang=lang))
        else:
            axes = fig.subplots(1, 2, width_ratios=[1, 1.6] if lang == "en" else [1, 1.3])
            for ax, table, key in ((axes[0], leaders, "axis.leader"), (axes[1], depts, "axis.department")):
                y = np.arange(len(table))
                left = np.zeros(len(table))
                for dom in present:
                    if dom not in table.columns:
                        continue
                    values = table[dom].to_numpy()
                    ax.barh(y, values, left=left, color=colours.get(dom, "#999999"))
                    left += values
                ax.set_yticks(y, [wrap(source_name(nm, lang=lang), 34 if lang == "en" else 26) for nm in table.index])
                ax.set_ylim(len(table) - 0.5, -0.5)
                for yi, v in zip(y, left):
                    ax.text(v + 0.1, yi, f"{int(v)}", va="center", fontsize=7)
                ax.set_xlim(0, (left.max() if len(left) else 0) * 1.15 + 0.5)
                ax.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))
                ax.xaxis.set_major_formatter(ticker.StrMethodFormatter("{x:.0f}"))
                ax.set_xlabel(label("axis.n_tasks", lang=lang))
                ax.set_title(label(key, lang=lang), fontsize=9)
                for side in ("top", "right"):
                    ax.spines[side].set_visible(False)
            fig.legend(handles=[Patch(color=colours.get(d, "#999999"), label=names.get(d, d)) for d in present],
                       loc="outside right upper", ncols=1, frameon=False, fontsize=7.5)
        shown = sorted(set(select(tasks, "region", regions).loc[
            lambda t: t.get("leader", pd.Series("", index=t.index)).astype(str).str.strip() != "", "region"]))
        title = label("title.tasks_by_leader", lang=lang)
        if profiles is not None and shown:
            title += "（" + "、".join(region_names(profiles, lang=lang)[r] for r in shown) + "）" if lang == "zh" \
                else " (" + ", ".join(region_names(profiles, lang=lang)[r] for r in shown) + ")"
        fig.suptitle(title, x=0.01, ha="left", fontsize=10)
        caption(fig, [label("note.leader_domain", lang=lang), label("note.leader_multi", lang=lang),
                      label("note.preamble", lang=lang)], lang=lang, width=width)
        return finish(fig)


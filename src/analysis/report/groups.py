"""Coverage by group: domain (or CAP major topic) shares per province, prefecture or administrative level,
each bureau counted once (``coverage_by_group.csv``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis import choices
from analysis.aggregate import GROUPS, TOPICS
from analysis.coverage import label
from analysis.report.style import caption, check_lang, finish, style, wrap


def group_heatmap(groups: pd.DataFrame, *, group_by: str = "province", topic_by: str = "domain",
                  lang: str = "zh") -> Figure | None:
    """Heatmap topic × group of primary-task shares; None when the table has no rows for this grouping."""
    check_lang(lang)
    choices.check(group_by, GROUPS, what="grouping")
    choices.check(topic_by, TOPICS, what="topic scheme")
    rows = groups[(groups["group_by"] == group_by) & (groups["topic_by"] == topic_by)]
    if rows.empty:
        return None
    names = dict(zip(rows["topic"], rows["topic_zh" if lang == "zh" else "topic_en"]))
    grid = rows.pivot(index="topic", columns="group", values="share_tasks").fillna(0)
    grid = grid.loc[grid.sum(axis=1).sort_values(ascending=False, kind="mergesort").index]
    n_docs = rows.drop_duplicates("group").set_index("group")["n_documents"]
    width, height = 3.2 + 1.5 * grid.shape[1], 1.6 + 0.34 * grid.shape[0]
    with style():
        fig = Figure(figsize=(width, height), layout="constrained")
        ax = fig.add_subplot()
        im = ax.imshow(grid.to_numpy(), cmap="Blues", vmin=0, vmax=max(float(grid.to_numpy().max()), 1e-9), aspect="auto")
        ax.set_xticks(range(grid.shape[1]), [wrap(f"{g} ({int(n_docs[g])})", 16) for g in grid.columns])
        ax.set_yticks(range(grid.shape[0]), [names.get(t, t) for t in grid.index])
        for (i, j), v in np.ndenumerate(grid.to_numpy()):
            if v > 0:
                ax.text(j, i, f"{v:.0%}", ha="center", va="center", fontsize=7.5,
                        color="white" if v > 0.5 * grid.to_numpy().max() else "black")
        ax.tick_params(length=0)
        fig.colorbar(im, ax=ax, shrink=0.6, format="{x:.0%}")
        key = f"title.coverage_by_group.{group_by}" + ("" if topic_by == "domain" else f".{topic_by}")
        ax.set_title(label(key, lang=lang), loc="left", fontsize=10)
        caption(fig, [label("note.by_group", lang=lang)], lang=lang, width=width)
        return finish(fig)

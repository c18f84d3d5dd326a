"""The domain profile heat map: what each region's plan spends its tasks on (issue 3, notebook 02).

Reads the classified tasks (``tasks.csv``) through :func:`analysis.domains.profile_table`; draws with
the project's chart style (:func:`analysis.report.style.style`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis import domains
from analysis.report.style import style


def profile_chart(tasks: pd.DataFrame, *, weight: str = "tasks", lang: str = "en") -> Figure:
    """Heat map of :func:`analysis.domains.profile_table`: what each region's plan spends its tasks on."""
    table = domains.profile_table(tasks, weight=weight)
    names = domains.domain_names(lang=lang)
    with style():
        fig = Figure(figsize=(1.1 * len(table.columns) + 2.6, 0.32 * len(table) + 1.0), layout="constrained")
        ax = fig.subplots()
        im = ax.imshow(table.to_numpy(), cmap="Blues", vmin=0, aspect="auto")
        ax.set_xticks(range(len(table.columns)), list(table.columns))
        ax.set_yticks(range(len(table)), [names[c] for c in table.index])
        for (i, j), v in np.ndenumerate(table.to_numpy()):
            if v > 0:
                ax.text(j, i, f"{v:.0%}", ha="center", va="center", fontsize=7,
                        color="white" if v > 0.5 * table.to_numpy().max() else "black")
        fig.colorbar(im, ax=ax, shrink=0.6, label="share of tasks" if weight == "tasks" else "share of characters")
    return fig

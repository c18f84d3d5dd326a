"""The 2-D map of the task clusters (issue 3, notebook 02).

Reads ``clusters.csv`` (:func:`analysis.clusters.run`'s assignment, with the truncated-SVD coordinates
``x``, ``y``); draws with the project's chart style (:func:`analysis.report.style.style`).
"""

from __future__ import annotations

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from analysis import domains
from analysis.report.style import style


def map_chart(assign: pd.DataFrame, *, lang: str = "en") -> Figure:
    """The 2-D map of tasks (truncated SVD of TF-IDF), each point coloured by its primary domain."""
    names = domains.domain_names(lang=lang)
    present = [c for c in domains.codes() if c in set(assign["domain"])]
    palette = [*matplotlib.colormaps["tab20"].colors]
    with style():
        fig = Figure(figsize=(7.5, 5.0), layout="constrained")
        ax = fig.subplots()
        for i, code in enumerate(present):
            sub = assign[assign["domain"] == code]
            ax.scatter(sub["x"], sub["y"], s=22, color=palette[i % len(palette)], label=names[code],
                       edgecolors="white", linewidths=0.4)
        ax.set_xlabel("SVD 1")
        ax.set_ylabel("SVD 2")
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False, fontsize=7)
    return fig

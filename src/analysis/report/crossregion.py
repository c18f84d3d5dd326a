"""Cross-region charts: the region × region similarity heatmap and each region's distinctive terms."""

from __future__ import annotations

from typing import Mapping

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis import choices
from analysis.coverage import label
from analysis.errors import InputError
from analysis.report.catalog import SIMILARITY_METHODS
from analysis.report.style import check_lang, style

def similarity_heatmap(frame: pd.DataFrame, *, method: str = "tfidf_tokens", lang: str = "zh",
                       names: Mapping[str, str] | None = None):
    """Annotated region x region heatmap of one similarity method (a ``similarity.csv`` frame)."""
    choices.check(method, SIMILARITY_METHODS, what="similarity method")
    check_lang(lang)
    names = dict(names or {})
    sub = frame[frame["method"] == method]
    if sub.empty:
        raise InputError(f"similarity table has no rows for method {method!r}.")
    mat = sub.pivot(index="region", columns="other_region", values="score")
    order = [r for r in names if r in mat.index] + sorted(set(mat.index) - set(names))
    mat = mat.loc[order, order]
    with style():
        fig = Figure(figsize=(5.6, 4.6), layout="constrained")
        ax = fig.add_subplot()
        off = mat.to_numpy(dtype=float).copy()
        np.fill_diagonal(off, np.nan)  # self-similarity (1) would swamp the colour scale
        cmap = mpl.colormaps["Blues"].with_extremes(bad="#eeeeee")
        im = ax.imshow(np.ma.masked_invalid(off), cmap=cmap, vmin=0, vmax=max(np.nanmax(off), 1e-9))
        labels = [names.get(r, r) for r in order]
        ax.set_xticks(range(len(order)), labels, rotation=30, ha="right")
        ax.set_yticks(range(len(order)), labels)
        for i in range(len(order)):
            for j in range(len(order)):
                v = mat.iat[i, j]
                ax.text(j, i, "—" if i == j else f"{v:.2f}", ha="center", va="center", fontsize=8,
                        color="white" if i != j and v > 0.6 * np.nanmax(off) else "black")
        ax.set_title(label(f"title.similarity.{method}", lang=lang))
        fig.colorbar(im, ax=ax, shrink=0.8, label=label("axis.cosine", lang=lang))
    return fig


def keyness_chart(frame: pd.DataFrame, *, lang: str = "zh", top: int = 10,
                  names: Mapping[str, str] | None = None):
    """Top ``top`` distinctive terms of each region (a ``keyness.csv`` frame): bars of G2, one panel each."""
    check_lang(lang)
    names = dict(names or {})
    regions = [r for r in names if r in set(frame["region"])] + sorted(set(frame["region"]) - set(names))
    if not regions:
        raise InputError("keyness table is empty.")
    cols = min(len(regions), 3)
    nrows = int(np.ceil(len(regions) / cols))
    with style():
        fig = Figure(figsize=(3.4 * cols, 0.28 * top * nrows + 1.2 * nrows), layout="constrained")
        axes = fig.subplots(nrows, cols, squeeze=False)
        for ax, region in zip(axes.ravel(), regions):
            sub = frame[frame["region"] == region].sort_values("rank").head(top)
            ax.barh(range(len(sub)), sub["statistic"], color="#2f6690")
            ax.set_yticks(range(len(sub)), sub["term"])
            ax.invert_yaxis()
            ax.set_title(names.get(region, region))
            ax.set_xlabel(label("axis.g2", lang=lang))
        for ax in axes.ravel()[len(regions):]:
            ax.set_visible(False)
        fig.suptitle(label("title.keyness", lang=lang))
    return fig


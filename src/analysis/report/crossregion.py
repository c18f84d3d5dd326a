"""Cross-region charts: the region × region similarity heatmap and each region's distinctive terms."""

from __future__ import annotations

from typing import Mapping

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis import choices
from analysis.compare.keyness import KEYNESS_ALPHA
from analysis.coverage import label
from analysis.errors import InputError
from analysis.report.catalog import SIMILARITY_METHODS
from analysis.report.glossary import PINYIN_MARK, term_label
from analysis.report.style import caption, check_lang, finish, mark_empty, message, style, wrap

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
    if len(order) < 2:
        with style():
            fig = Figure(figsize=(5.6, 1.6), layout="constrained")
            message(fig.add_subplot(), label("note.similarity_needs_two", lang=lang))
            return finish(fig)
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
        finish(fig)
    return fig


def _keyness_rows(frame: pd.DataFrame, region: str, *, top: int) -> pd.DataFrame:
    """The terms of ``region`` a chart draws: those passing the correction (``significant``), by rank."""
    rows = frame[frame["region"] == region]
    if "significant" in rows.columns:
        rows = rows[rows["significant"].astype(str).str.lower() == "true"]
    return rows.sort_values("rank", kind="mergesort").head(top)


def keyness_chart(frame: pd.DataFrame, *, lang: str = "zh", top: int = 10,
                  names: Mapping[str, str] | None = None, n_regions: int | None = None):
    """Each shown region's distinctive terms (a ``keyness.csv`` frame): bars of G2, one panel per region.

    Only the terms that pass the Benjamini–Hochberg correction (``significant``) are drawn, at most ``top``
    per region, on one G2 scale across the panels. Each panel names its reference: the other
    ``n_regions - 1`` documents of the corpus (default: ``names`` or the regions in ``frame``). English
    charts gloss each term (:func:`~analysis.report.glossary.term_label`). A figure whose every panel is
    empty carries ``empty`` (see :func:`~analysis.report.style.is_empty`)."""
    check_lang(lang)
    names = dict(names or {})
    present = set(frame["region"])
    regions = [r for r in names if r in present] + sorted(present - set(names))
    if not regions:
        raise InputError("keyness table is empty.")
    n_regions = n_regions or max(len(names), len(regions))
    drawn = {r: _keyness_rows(frame, r, top=top) for r in regions}
    longest = max((len(v) for v in drawn.values()), default=0)
    vmax = max((float(v["statistic"].max()) for v in drawn.values() if len(v)), default=1.0)
    cols = min(len(regions), 3)
    nrows = int(np.ceil(len(regions) / cols))
    panel_w = 3.3 if lang == "zh" else 4.6
    pinyin_used = False
    with style():
        fig = Figure(figsize=(max(panel_w * cols, 6.0), nrows * (0.24 * max(longest, 3) + 1.1) + 1.3),
                     layout="constrained")
        axes = fig.subplots(nrows, cols, squeeze=False)
        for ax, region in zip(axes.ravel(), regions):
            sub = drawn[region]
            ax.set_title(f"{names.get(region, region)}\n" + label("keyness.reference", lang=lang, n=n_regions - 1),
                         fontsize=9)
            ax.set_xlim(0, vmax * 1.08)
            ax.set_xlabel(label("axis.g2", lang=lang))
            if sub.empty:
                ax.text(0.5, 0.5, label("keyness.none", lang=lang), ha="center", va="center",
                        transform=ax.transAxes, fontsize=8, color="#555555")
                ax.set_yticks([])
                continue
            ax.barh(range(len(sub)), sub["statistic"], color="#2f6690")
            ticks = [term_label(t, lang=lang) for t in sub["term"]]
            pinyin_used |= any(PINYIN_MARK in t for t in ticks)
            ax.set_yticks(range(len(sub)), ticks)
            ax.set_ylim(max(longest, 3) - 0.5, -0.5)  # one bar height in every panel
        for ax in axes.ravel()[len(regions):]:
            ax.set_visible(False)
        width = fig.get_figwidth()
        fig.suptitle(wrap(label("title.keyness", lang=lang), int(width * 72 / 10 * 2 * 0.85)))
        notes = [label("note.keyness", lang=lang, alpha=round(KEYNESS_ALPHA * 100), top=top)]
        if pinyin_used:
            notes.append(label("note.pinyin", lang=lang))
        caption(fig, notes, lang=lang, width=width)
        if not any(len(v) for v in drawn.values()):
            mark_empty(fig, label("keyness.none", lang=lang))
        finish(fig)
    return fig

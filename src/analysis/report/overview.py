"""Corpus overview: the documents side by side (notebook 01).

Small functions over the processed tables; the notebook calls them and shows the result.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from analysis import tables

PROFILE_COLUMNS = ["region", "name_en", "name_zh", "doc_type", "year", "date", "layout", "n_chars",
                   "n_sections", "n_tasks", "n_clauses", "n_boilerplate_chars", "share_tiled", "n_warnings"]


def profile(documents: pd.DataFrame) -> pd.DataFrame:
    """One row per document: type, year, length, structure, coverage."""
    return documents[PROFILE_COLUMNS].set_index("region")


def tasks_per_section(tasks: pd.DataFrame) -> pd.DataFrame:
    """Tasks in each section (rows: section number, columns: region); front matter left out."""
    real = tables.proper_tasks(tasks)
    return (real.groupby(["section_no", "region"]).size().unstack("region", fill_value=0)
            .reindex(columns=list(dict.fromkeys(tasks["region"]))).fillna(0).astype(int))


def units(tasks: pd.DataFrame) -> pd.DataFrame:
    """How each document's tasks were cut (item, row, passage, theme, clause, preamble)."""
    return tasks.groupby(["region", "unit"]).size().unstack("unit", fill_value=0).reindex(
        list(dict.fromkeys(tasks["region"])))


def task_lengths(tasks: pd.DataFrame) -> pd.DataFrame:
    """Distribution of task length (non-whitespace characters) per region."""
    real = tables.proper_tasks(tasks)
    return real.groupby("region", sort=False)["n_chars"].describe()[["count", "min", "50%", "mean", "max"]].round(1)


def top_tokens(tasks: pd.DataFrame, *, n: int = 10, tokens: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """The ``n`` most frequent content tokens of each region (ties broken alphabetically)."""
    if tokens is None:
        from analysis import tokenization

        tokens = {tid: tokenization.tokens(text) for tid, text in zip(tasks["task_id"], tasks["text"])}
    rows = {}
    for region, ids in tasks.groupby("region", sort=False)["task_id"]:
        counts = Counter(t for tid in ids for t in tokens[tid])
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
        rows[region] = [f"{w} ({c})" for w, c in ranked]
    return pd.DataFrame(rows, index=pd.RangeIndex(1, n + 1, name="rank"))


def warnings_summary(warnings: pd.DataFrame) -> pd.DataFrame:
    """Number of segmentation warnings by region and kind."""
    return warnings.groupby(["region", "kind"]).size().unstack("kind", fill_value=0)


def structure_chart(tasks: pd.DataFrame, documents: pd.DataFrame, *, lang: str = "en"):
    """Bar chart: tasks per section for each document (one panel per region)."""
    from matplotlib.figure import Figure

    from analysis.report.style import check_lang, style

    lang = check_lang(lang)
    table = tasks_per_section(tasks)
    names = documents.set_index("region")["name_en" if lang == "en" else "name_zh"]
    with style():
        fig = Figure(figsize=(2.4 * len(table.columns), 2.8), layout="constrained")
        axes = fig.subplots(1, len(table.columns), sharey=True)
        for ax, region in zip(axes, table.columns):
            col = table[region][table[region] > 0]
            ax.bar([str(i) for i in col.index], col.to_numpy(), color="#2f6690")
            ax.set_title(names.get(region, region), fontsize=9)
            ax.set_xlabel("section" if lang == "en" else "部分", fontsize=8)
            ax.tick_params(labelsize=7)
        axes[0].set_ylabel("tasks" if lang == "en" else "任务数")
    return fig

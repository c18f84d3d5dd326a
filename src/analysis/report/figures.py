"""The report figures: draw all (or some) for a language and a selection, and write them reproducibly."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import pandas as pd
from matplotlib.figure import Figure

from analysis import config
from analysis.errors import InputError, UsageError
from analysis.report.catalog import DATA_DEPENDENT, FIGURES, SIMILARITY_METHODS
from analysis.report.coverage import coverage_heatmap, coverage_states, targets_by_domain
from analysis.report.crossregion import keyness_chart, similarity_heatmap
from analysis.report.labels import ordered_names, select
from analysis.report.leaders import tasks_by_leader
from analysis.report.groups import group_heatmap
from analysis.report.overtime import changes_chart, followup_chart
from analysis.report.style import LANGS, check_lang, is_empty, save
from analysis.report.targets import comparable_targets

def figures(coverage: pd.DataFrame, profiles: pd.DataFrame, targets: pd.DataFrame | None,
            tasks: pd.DataFrame, *, lang: str = "zh", regions: list[str] | None = None,
            domains: list[str] | None = None, names: list[str] | None = None,
            similarity: pd.DataFrame | None = None, keyness: pd.DataFrame | None = None,
            followup: pd.DataFrame | None = None, changes: pd.DataFrame | None = None,
            groups: pd.DataFrame | None = None) -> dict[str, Figure]:
    """The report figures (all, or ``names``) for ``lang`` and the selected regions / domains, by name.

    With ``similarity`` and ``keyness`` frames (from analysis.compare) the cross-region charts are included."""
    check_lang(lang)
    sel = {"lang": lang, "regions": regions, "domains": domains}
    names_ = ordered_names(profiles, lang=lang)
    draw = {
        "coverage_heatmap": lambda: coverage_heatmap(coverage, profiles, **sel),
        "coverage_heatmap_chars": lambda: coverage_heatmap(coverage, profiles, value="share_chars", **sel),
        "coverage_states": lambda: coverage_states(coverage, profiles, **sel),
        "targets_by_domain": lambda: targets_by_domain(coverage, profiles, **sel),
        "comparable_targets": lambda: comparable_targets(targets, profiles, **sel),
        "tasks_by_leader": lambda: tasks_by_leader(tasks, profiles, lang=lang, regions=regions, coverage=coverage),
    }
    if similarity is not None:
        pairs = select(select(similarity, "region", regions), "other_region", regions)
        for method in SIMILARITY_METHODS:
            draw[f"similarity_{method}"] = lambda m=method: similarity_heatmap(pairs, method=m, lang=lang,
                                                                                names=names_)
    if keyness is not None:
        draw["keyness"] = lambda: keyness_chart(select(keyness, "region", regions), lang=lang, names=names_,
                                                n_regions=len(names_))
    shown = set(ordered_names(profiles, lang=lang)) if not regions else set(regions)
    if followup is not None and len(followup):
        rows = followup[followup["region"].isin(shown) | followup["report_region"].isin(shown)]
        if len(rows):
            draw["target_followup"] = lambda: followup_chart(rows, profiles, lang=lang)
    if changes is not None and len(changes):
        rows_c = changes[changes["region"].isin(shown) | changes["other_region"].isin(shown)]
        if len(rows_c):
            draw["task_changes"] = lambda: changes_chart(rows_c, profiles, lang=lang)
    if groups is not None and len(groups) and not regions:
        draw["coverage_by_province"] = lambda: group_heatmap(groups, group_by="province", lang=lang)
        draw["coverage_by_province_cap"] = lambda: group_heatmap(groups, group_by="province", topic_by="cap_major",
                                                                 lang=lang)
    over_time = set(DATA_DEPENDENT)
    lacking = [n for n in names or () if n in FIGURES and n not in draw and n not in over_time]
    if lacking:
        raise InputError(f"chart(s) {', '.join(lacking)} need similarity.csv and keyness.csv — "
                         f"run `python -m analysis build` first.")
    unknown = [n for n in names or () if n not in draw and n not in over_time]
    if unknown:
        raise UsageError(f"unknown chart(s) {', '.join(unknown)} — choose from: {', '.join(draw)}")
    # the over-time charts exist only for bureaus with several documents: asked for without any, none is drawn
    made = {name: make() for name, make in draw.items() if not names or name in names}
    return {name: fig for name, fig in made.items() if fig is not None}


def write(figs: dict[str, Figure], *, out_dir: Path, lang: str, formats=("png", "svg"), dpi: int | None = None,
          skip_empty: bool = False, on_skip: Callable[[str, str], None] | None = None) -> list[Path]:
    """Save each figure as ``{name}_{lang}.{fmt}`` in ``out_dir``; returns the paths.

    With ``skip_empty`` a figure that has nothing to show (:func:`~analysis.report.style.is_empty`) is not
    written; ``on_skip(name, reason)`` hears of it."""
    written = []
    for name, fig in figs.items():
        reason = is_empty(fig)
        if skip_empty and reason:
            if on_skip is not None:
                on_skip(name, reason)
            continue
        for fmt in formats:
            written.append(save(fig, Path(out_dir) / f"{name}_{lang}.{fmt}", fmt=fmt, dpi=dpi))
    return written


#: Figure families (for the build's timings): family -> the figures it draws.
FAMILIES = {
    "coverage": ("coverage_heatmap", "coverage_heatmap_chars", "coverage_states", "targets_by_domain"),
    "targets": ("comparable_targets",),
    "task list": ("tasks_by_leader",),
    "similarity": tuple(f"similarity_{m}" for m in SIMILARITY_METHODS),
    "keyness": ("keyness",),
    "over time and groups": DATA_DEPENDENT,
}


def build_all(ctx, *, out_dir=None, echo: Callable[[str], None] | None = None) -> list[Path]:
    """Draw every report figure in Chinese and English, PNG and SVG, into ``reports/figures/``; ``echo``
    hears one line per figure family (files, seconds)."""
    out_dir = Path(out_dir or config.FIGURES)
    frames = {name: t.frame for name, t in ctx.tables.items()}
    if "coverage.csv" not in frames:
        raise InputError("no coverage table on the context — run the coverage stage before the charts.")
    targets = ctx.targets if ctx.targets is not None else frames.get("targets.csv")
    optional = {"keyness": frames.get("keyness.csv"), "similarity": frames.get("similarity.csv")}
    written = []
    for family, members in FAMILIES.items():
        if family in optional and optional[family] is None:
            continue
        t0 = time.perf_counter()
        n = len(written)
        for lang in LANGS:
            figs = figures(frames["coverage.csv"], frames["document_profiles.csv"], targets, ctx.tasks, lang=lang,
                           similarity=optional["similarity"], keyness=optional["keyness"], names=list(members),
                           followup=frames.get("target_followup.csv"), changes=frames.get("task_changes.csv"),
                           groups=frames.get("coverage_by_group.csv"))
            written += write(figs, out_dir=out_dir, lang=lang)
        if echo is not None:
            echo(f"  figures {family}: {len(written) - n} files ({time.perf_counter() - t0:.1f} s)")
    return written


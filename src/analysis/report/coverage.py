"""Coverage charts: domain × region shares, the three-state matrix, targets per domain."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from analysis import choices
from analysis.coverage import OTHER_DOMAIN, STATES, headline_domains, label
from analysis.errors import InputError
from analysis.report.labels import (caveats, column_width, domain_names, region_label, shown_domains,
                                    shown_regions)
from analysis.report.style import DARK_STATES, KIND_COLORS, STATE_COLORS, caption, check_lang, finish, style

def coverage_heatmap(coverage: pd.DataFrame, profiles: pd.DataFrame, *, lang: str = "zh",
                     value: str = "share_tasks", regions: list[str] | None = None,
                     domains: list[str] | None = None) -> Figure:
    """Heatmap domain x region of ``value``: ``share_tasks`` (default), ``share_chars`` or ``n_tasks``."""
    import seaborn as sns

    check_lang(lang)
    choices.check(value, ("share_tasks", "share_chars", "n_tasks"), what="value")
    regs = shown_regions(profiles, regions)
    doms = shown_domains(coverage, domains)
    names = domain_names(coverage, lang=lang)
    cells = coverage[coverage["region"].isin(regs["region"]) & coverage["domain"].isin(doms)]
    grid = (cells.pivot(index="domain", columns="region", values=value)
            .reindex(index=doms, columns=regs["region"].tolist()).fillna(0))
    share = value.startswith("share")
    shown = grid * 100 if share else grid
    annot = shown.map(lambda v: "" if v == 0 else (f"{v:.0f}%" if share else f"{v:.0f}"))
    width, height = 1.6 + column_width(lang) * len(regs) + 1.2, 1.6 + 0.36 * len(doms)
    with style():
        fig = Figure(figsize=(width, height), layout="constrained")
        ax = fig.add_subplot()
        sns.heatmap(shown, ax=ax, cmap="Blues", annot=annot, fmt="", linewidths=0.5, linecolor="white",
                    vmin=0, cbar_kws={"label": label(f"axis.{value}", lang=lang), "shrink": 0.6,
                                      "format": ticker.StrMethodFormatter("{x:.0f}%" if share else "{x:.0f}")},
                    annot_kws={"fontsize": 7.5})
        ax.set_xticks(np.arange(len(regs)) + 0.5, [region_label(r, lang=lang) for _, r in regs.iterrows()],
                      rotation=0)
        ax.set_yticks(np.arange(len(doms)) + 0.5, [names.get(d, d) for d in doms], rotation=0)
        ax.set_xlabel("")
        ax.set_ylabel("")
        ax.tick_params(length=0)
        key = "title.coverage_heatmap" + ("" if value == "share_tasks" else f".{value}")
        ax.set_title(label(key, lang=lang), loc="left", fontsize=10)
        note = "note.share" if share else "note.multilabel"
        caption(fig, [label(note, lang=lang), label("note.preamble", lang=lang)]
                + caveats(profiles, lang=lang, regions=regs["region"].tolist()), lang=lang, width=width)
        return finish(fig)


def coverage_states(coverage: pd.DataFrame, profiles: pd.DataFrame, *, lang: str = "zh",
                    regions: list[str] | None = None, domains: list[str] | None = None) -> Figure:
    """State matrix domain x region: target / result / baseline / mentioned / absent (coverage.csv ``state``),
    cells ``tasks / targets / results / baselines``."""
    check_lang(lang)
    regs = shown_regions(profiles, regions)
    doms = shown_domains(coverage, domains)
    names = domain_names(coverage, lang=lang)
    cells = coverage[coverage["region"].isin(regs["region"]) & coverage["domain"].isin(doms)].set_index(
        ["domain", "region"])
    width, height = 1.6 + column_width(lang) * len(regs) + 1.4, 2.0 + 0.36 * len(doms)
    with style():
        fig = Figure(figsize=(width, height), layout="constrained")
        ax = fig.add_subplot()
        for i, dom in enumerate(doms):
            for j, reg in enumerate(regs["region"]):
                row = cells.loc[(dom, reg)] if (dom, reg) in cells.index else None
                state = row["state"] if row is not None else "absent"
                ax.add_patch(mpl.patches.Rectangle((j, i), 1, 1, facecolor=STATE_COLORS[state],
                                                   edgecolor="white", linewidth=1.5))
                if row is not None and state != "absent":
                    cell = "/".join(str(int(row[c])) for c in ("n_tasks", "n_targets", "n_achievements", "n_baselines"))
                    ax.text(j + 0.5, i + 0.5, cell, ha="center", va="center",
                            fontsize=7, color="white" if state in DARK_STATES else "#222222")
        ax.set_xlim(0, len(regs))
        ax.set_ylim(len(doms), 0)
        ax.set_xticks(np.arange(len(regs)) + 0.5, [region_label(r, lang=lang) for _, r in regs.iterrows()])
        ax.set_yticks(np.arange(len(doms)) + 0.5, [names.get(d, d) for d in doms])
        ax.tick_params(length=0)
        for side in ax.spines.values():
            side.set_visible(False)
        ax.set_title(label("title.coverage_states", lang=lang), loc="left", fontsize=10)
        handles = [Patch(facecolor=STATE_COLORS[s], edgecolor="#999999", label=label(f"state.{s}", lang=lang))
                   for s in STATES]
        fig.legend(handles=handles, loc="outside upper right", ncols=3 if lang == "zh" else 2, frameon=False)
        caption(fig, [label("note.cell", lang=lang), label("note.multilabel", lang=lang),
                      label("note.preamble", lang=lang)]
                + caveats(profiles, lang=lang, regions=regs["region"].tolist()), lang=lang, width=width)
        return finish(fig)


def targets_by_domain(coverage: pd.DataFrame, profiles: pd.DataFrame, *, lang: str = "zh",
                      regions: list[str] | None = None, domains: list[str] | None = None) -> Figure:
    """Quantified targets and achievements per domain, one panel per region (stacked bars).

    By default the domains are the taxonomy's headline domains plus every other domain that has a
    target or achievement in a shown region (so no quantity is hidden); ``domains`` overrides.
    """
    check_lang(lang)
    regs = shown_regions(profiles, regions)
    if domains:
        doms = shown_domains(coverage, domains)
    else:
        try:
            heads = headline_domains()
        except InputError:
            heads = [d for d in coverage["domain"].unique() if d != OTHER_DOMAIN]
        shown = coverage[coverage["region"].isin(regs["region"])]
        quantified = shown.loc[(shown["n_targets"] + shown["n_achievements"]) > 0, "domain"]
        doms = shown_domains(coverage, list(heads) + quantified.tolist())
    names = domain_names(coverage, lang=lang)
    cells = coverage[coverage["region"].isin(regs["region"]) & coverage["domain"].isin(doms)]
    top = max(1, int((cells["n_targets"] + cells["n_achievements"]).max() if len(cells) else 1))
    n = max(1, len(regs))
    width, height = 2.4 + 1.7 * n, 1.8 + 0.3 * len(doms)
    with style():
        fig = Figure(figsize=(width, height), layout="constrained")
        axes = fig.subplots(1, n, sharey=True, squeeze=False)[0]
        y = np.arange(len(doms))
        for ax, (_, reg) in zip(axes, regs.iterrows()):
            mine = cells[cells["region"] == reg["region"]].set_index("domain").reindex(doms).fillna(0)
            t, a = mine["n_targets"].to_numpy(), mine["n_achievements"].to_numpy()
            ax.barh(y, t, color=KIND_COLORS["target"], label=label("legend.target", lang=lang))
            ax.barh(y, a, left=t, color=KIND_COLORS["achievement"], label=label("legend.achievement", lang=lang))
            for yi, total in zip(y, t + a):
                if total:
                    ax.text(total + top * 0.03, yi, f"{int(total)}", va="center", fontsize=7)
            ax.set_xlim(0, top * 1.25)
            ax.xaxis.set_major_locator(ticker.MaxNLocator(integer=True, nbins=3))
            ax.xaxis.set_major_formatter(ticker.StrMethodFormatter("{x:.0f}"))
            ax.set_title(region_label(reg, lang=lang), fontsize=8.5)
            ax.grid(axis="x", color="#dddddd", linewidth=0.6)
            ax.set_axisbelow(True)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
        axes[0].set_yticks(y, [names.get(d, d) for d in doms])
        axes[0].set_ylim(len(doms) - 0.5, -0.5)
        fig.suptitle(label("title.targets_by_domain", lang=lang), x=0.01, ha="left", fontsize=10)
        handles = [Patch(color=KIND_COLORS[k], label=label(f"legend.{k}", lang=lang)) for k in ("target", "achievement")]
        fig.legend(handles=handles, loc="outside upper right", ncols=2, frameon=False)
        notes = [] if int(cells[["n_targets", "n_achievements"]].to_numpy().sum()) else [label("note.no_targets", lang=lang)]
        caption(fig, notes + [label("note.preamble", lang=lang)]
                + caveats(profiles, lang=lang, regions=regs["region"].tolist()), lang=lang, width=width)
        return finish(fig)


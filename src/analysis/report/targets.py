"""Comparable quantities side by side: the same indicator family, unit and base in several regions."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from analysis.coverage import label
from analysis.report.labels import caveats, region_names, select, shown_regions, source_name
from analysis.report.style import KIND_COLORS, caption, check_lang, finish, message, style, wrap

def side_by_side(targets: pd.DataFrame | None, *, regions: list[str] | None = None,
               domains: list[str] | None = None, min_regions: int = 2,
               kinds: tuple[str, ...] = ("target", "achievement", "baseline")) -> pd.DataFrame:
    """Quantities that match on indicator, unit and ``per`` in at least ``min_regions`` regions.

    The indicator is the ``indicator_family`` (issue 4: e.g. 养老床位, 适老化改造) where the targets
    table has one, else the raw ``indicator``. Full-coverage figures keep their raw indicator: "100%
    of cemeteries" and "100% of social-work stations" share the 全覆盖 family but are not comparable.
    Returns the rows with a ``family`` column, sorted by family, unit, per, doc order, offset.
    """
    cols = ["family", "unit", "per", "region", "task_id", "kind", "value", "indicator", "start"]
    if targets is None or targets.empty or "indicator" not in targets.columns:
        return pd.DataFrame(columns=cols)
    rows = targets.copy()
    for col in ("indicator_family", "per", "unit", "indicator"):
        rows[col] = rows[col].fillna("").astype(str).str.strip() if col in rows.columns else ""
    full = rows["is_full_coverage"].astype(str).str.lower().isin(("true", "1")) if "is_full_coverage" in rows.columns \
        else pd.Series(False, index=rows.index)
    family = rows["indicator_family"].where(rows["indicator_family"] != "", rows["indicator"])
    rows["family"] = family.where(~full, rows["indicator"])
    rows = rows[(rows["family"] != "") & (rows["unit"] != "") & rows["kind"].isin(kinds)]
    rows = select(rows, "region", regions)
    if domains and "domain" in rows.columns:
        rows = rows[rows["domain"].isin(domains)]
    rows = rows.assign(value=pd.to_numeric(rows["value"], errors="coerce")).dropna(subset=["value"])
    n_regions = rows.groupby(["family", "unit", "per"])["region"].transform("nunique")
    rows = rows[n_regions >= min_regions]
    order = {"doc_id": rows["doc_id"]} if "doc_id" in rows.columns else {}
    rows = rows.assign(**order) if order else rows
    sort = ["family", "unit", "per"] + (["doc_id"] if order else ["region"]) + ["start"]
    return rows.sort_values(sort, kind="mergesort")[cols].reset_index(drop=True)


def _indicator_label(family: str, unit: str, per: str, *, lang: str) -> str:
    name, unit_s = source_name(family, lang=lang), source_name(unit, lang=lang)
    if lang == "zh":
        return f"{name}（{unit}{'，每' + per if per else ''}）"
    return f"{name} ({unit_s}{', ' + source_name(per, lang=lang) if per else ''})"


def comparable_targets(targets: pd.DataFrame | None, profiles: pd.DataFrame, *, lang: str = "zh",
                       regions: list[str] | None = None, domains: list[str] | None = None,
                       min_regions: int = 2) -> Figure:
    """Side by side, one panel per indicator (family), unit and ``per`` quantified in >= ``min_regions`` regions.

    Bars are coloured by kind (target, achievement, baseline): a plan's goal next to another
    region's result or stock is comparable in scale, not in meaning — the colours say which is which.
    """
    check_lang(lang)
    rows = side_by_side(targets, regions=regions, domains=domains, min_regions=min_regions)
    regs = shown_regions(profiles, regions)
    names = region_names(profiles, lang=lang)
    order = {r: i for i, r in enumerate(profiles.sort_values("doc_id", kind="mergesort")["region"])}
    groups = list(rows.groupby(["family", "unit", "per"], sort=True)) if len(rows) else []
    ncols = min(3, max(1, len(groups)))
    nrows = max(1, math.ceil(len(groups) / ncols))
    width, height = 1.0 + 3.3 * ncols, 1.3 + 2.6 * nrows
    with style():
        fig = Figure(figsize=(width, height), layout="constrained")
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        if not groups:
            message(axes[0], label("note.no_comparable", lang=lang))
        for ax, ((family, unit, per), grp) in zip(axes, groups):
            grp = grp.assign(_order=grp["region"].map(order)).sort_values(["_order", "start"], kind="mergesort")
            seen: dict[str, int] = {}
            ticks = []
            for reg in grp["region"]:
                seen[reg] = seen.get(reg, 0) + 1
                ticks.append(names.get(reg, reg) + (f" ({seen[reg]})" if (grp["region"] == reg).sum() > 1 else ""))
            x = np.arange(len(grp))
            ax.bar(x, grp["value"], color=[KIND_COLORS.get(k, KIND_COLORS["other"]) for k in grp["kind"]], width=0.6)
            for xi, v in zip(x, grp["value"]):
                ax.text(xi, v, f"{v:g}", ha="center", va="bottom", fontsize=7)
            ax.set_xticks(x, ticks, rotation=30 if len(x) > 3 else 0, ha="right" if len(x) > 3 else "center")
            ax.yaxis.set_major_formatter(ticker.StrMethodFormatter("{x:g}"))
            ax.set_ylim(0, float(grp["value"].max()) * 1.2 or 1)
            ax.set_title(wrap(_indicator_label(family, unit, per, lang=lang), 48), fontsize=8.5)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
        for ax in axes[len(groups) or 1:]:
            ax.set_axis_off()
        fig.suptitle(label("title.comparable_targets", lang=lang), x=0.01, ha="left", fontsize=10)
        kinds = sorted(set(rows["kind"]), key=lambda k: list(KIND_COLORS).index(k) if k in KIND_COLORS else 9)
        if kinds:
            fig.legend(handles=[Patch(color=KIND_COLORS.get(k, KIND_COLORS["other"]),
                                      label=label(f"legend.{k}" if k in KIND_COLORS else "legend.other", lang=lang))
                                for k in kinds], loc="outside upper right", ncols=len(kinds), frameon=False)
        shown = sorted(set(rows["region"])) if len(rows) else regs["region"].tolist()
        caption(fig, ([label("note.comparable", lang=lang)] if groups else []) + caveats(profiles, lang=lang, regions=shown),
                lang=lang, width=width)
        return finish(fig)


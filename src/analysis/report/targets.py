"""Comparable quantities side by side: the same canonical indicator, kind, unit and base in several regions."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from analysis import quantities
from analysis.coverage import label
from analysis.report.labels import caveats, region_names, select, shown_regions, source_name
from analysis.report.style import KIND_COLORS, caption, check_lang, finish, message, style, wrap

#: Canonical indicators shown in one panel (the 低保 standards: urban, rural and combined side by side).
PANELS = {"dibao_standard_urban": "dibao_standard", "dibao_standard_rural": "dibao_standard",
          "dibao_standard": "dibao_standard"}
KEYS = ["panel", "kind", "unit", "per"]
#: A rate's denominators in English (the normalised ``per``: 人/月 -> per person and month).
PER_EN = {"人": "person", "户": "household", "月": "month", "年": "year", "床": "bed", "天": "day"}
COLUMNS = ["panel", "indicator_id", "kind", "unit", "per", "region", "task_id", "value", "indicator", "start"]


def _names() -> dict[str, tuple[str, str]]:
    """Canonical indicator id -> (zh, en) name; the 低保 panel's own name."""
    out = {r.id: (r.name_zh, r.name_en) for r in quantities.canonical_indicators()}
    out["dibao_standard"] = ("城乡低保标准", "minimum living guarantee standard (urban and rural)")
    return out


def side_by_side(targets: pd.DataFrame | None, *, regions: list[str] | None = None,
                 domains: list[str] | None = None, min_regions: int = 2,
                 kinds: tuple[str, ...] = ("target", "achievement", "baseline")) -> pd.DataFrame:
    """Quantities of the same canonical indicator, kind, unit and base (``per``) in >= ``min_regions`` regions.

    The indicator is the canonical ``indicator_id`` (``resources/quantity_indicators.csv``); quantities without
    one are never paired (a raw indicator or a family is not enough: 家庭养老床位 are not all beds). A goal is
    never paired with a result or a stock (the kind is part of the key), nor a rate per month with one per year.
    The urban, rural and combined 低保 standards share one panel (``panel`` ``dibao_standard``).
    Returns the rows sorted by panel, kind, unit, per, doc order, offset.
    """
    if targets is None or targets.empty or "indicator_id" not in targets.columns:
        return pd.DataFrame(columns=COLUMNS)
    rows = targets.copy()
    for col in ("indicator_id", "per", "unit", "indicator", "kind"):
        rows[col] = rows[col].fillna("").astype(str).str.strip()
    rows = rows[(rows["indicator_id"] != "") & (rows["unit"] != "") & rows["kind"].isin(kinds)]
    rows = rows.assign(panel=rows["indicator_id"].map(lambda i: PANELS.get(i, i)))
    rows = select(rows, "region", regions)
    if domains and "domain" in rows.columns:
        rows = rows[rows["domain"].isin(domains)]
    rows = rows.assign(value=pd.to_numeric(rows["value"], errors="coerce")).dropna(subset=["value"])
    n_regions = rows.groupby(KEYS)["region"].transform("nunique")
    rows = rows[n_regions >= min_regions]
    by = ["doc_id"] if "doc_id" in rows.columns else ["region"]
    return rows.sort_values(KEYS + by + ["start"], kind="mergesort")[COLUMNS].reset_index(drop=True)


def _panel_title(panel: str, kind: str, unit: str, per: str, *, lang: str) -> str:
    """``城市低保标准 · 目标（元/人/月）`` / ``Urban minimum living guarantee standard · target (yuan per person and month)``."""
    zh, en = _names().get(panel, (panel, panel))
    kind_s = label(f"kind.{kind}", lang=lang)
    if lang == "zh":
        return f"{zh} · {kind_s}（{unit}{'/' + per if per else ''}）"
    unit_s = source_name(unit, lang=lang)
    per_s = f" per {' and '.join(PER_EN.get(p, p) for p in per.split('/'))}" if per else ""
    return f"{en[:1].upper() + en[1:]} · {kind_s} ({unit_s}{per_s})"


def _ticks(grp: pd.DataFrame, names: dict[str, str], *, lang: str) -> list[str]:
    """One tick per bar: the region, the 低保 standard's 城市/农村 in its panel, a count where a region repeats."""
    seen: dict[str, int] = {}
    out = []
    for reg, ind in zip(grp["region"], grp["indicator_id"]):
        seen[reg] = seen.get(reg, 0) + 1
        tick = names.get(reg, reg)
        if ind in ("dibao_standard_urban", "dibao_standard_rural"):
            tick += label(f"tick.{ind}", lang=lang)
        elif (grp["region"] == reg).sum() > 1:
            tick += f" ({seen[reg]})"
        out.append(tick)
    return out


def comparable_targets(targets: pd.DataFrame | None, profiles: pd.DataFrame, *, lang: str = "zh",
                       regions: list[str] | None = None, domains: list[str] | None = None,
                       min_regions: int = 2) -> Figure:
    """One panel per canonical indicator, kind, unit and base stated in >= ``min_regions`` regions.

    Only like is set beside like (:func:`side_by_side`); each panel's title names the indicator, the kind and
    the base, and the bar colour repeats the kind.
    """
    check_lang(lang)
    rows = side_by_side(targets, regions=regions, domains=domains, min_regions=min_regions)
    regs = shown_regions(profiles, regions)
    names = region_names(profiles, lang=lang)
    order = {r: i for i, r in enumerate(profiles.sort_values("doc_id", kind="mergesort")["region"])}
    groups = list(rows.groupby(KEYS, sort=True)) if len(rows) else []
    ncols = min(3, max(1, len(groups)))
    nrows = max(1, math.ceil(len(groups) / ncols))
    width, height = 1.0 + 3.3 * ncols, 1.3 + 2.6 * nrows
    with style():
        fig = Figure(figsize=(width, height), layout="constrained")
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        if not groups:
            message(axes[0], label("note.no_comparable", lang=lang))
        for ax, ((panel, kind, unit, per), grp) in zip(axes, groups):
            grp = grp.assign(_order=grp["region"].map(order)).sort_values(["_order", "start"], kind="mergesort")
            ticks = _ticks(grp, names, lang=lang)
            x = np.arange(len(grp))
            ax.bar(x, grp["value"], color=KIND_COLORS.get(kind, KIND_COLORS["other"]), width=0.6)
            for xi, v in zip(x, grp["value"]):
                ax.text(xi, v, f"{v:g}", ha="center", va="bottom", fontsize=7)
            ax.set_xticks(x, ticks, rotation=30 if len(x) > 3 else 0, ha="right" if len(x) > 3 else "center")
            ax.yaxis.set_major_formatter(ticker.StrMethodFormatter("{x:g}"))
            ax.set_ylim(0, float(grp["value"].max()) * 1.2 or 1)
            ax.set_title(wrap(_panel_title(panel, kind, unit, per, lang=lang), 48), fontsize=8.5)
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

"""Charts: each a function over plain tables that returns a matplotlib Figure (issue 5).

Every chart takes the processed tables (``coverage``, ``profiles``, ``targets``, ``tasks`` — the
frames of ``coverage.csv``, ``document_profiles.csv``, ``targets.csv``, ``tasks.csv``) and the
keyword-only ``lang`` (``"zh"`` or ``"en"``) for its labels; ``regions`` / ``domains`` narrow it.
Figures are :class:`matplotlib.figure.Figure` objects made without pyplot (no global figure
registry, nothing shown twice in notebooks).

Chinese glyphs: the CJK font ships with the install (the ``mplfonts`` package's
``NotoSansCJKsc-Regular.otf``). It is registered with matplotlib's font manager the first time a
chart is drawn — never at import — and used through :func:`style`, an ``rc_context`` that also sets
``axes.unicode_minus`` to False (the hyphen-minus is in every font). Text objects keep the font
they were created with, so a figure drawn here renders the same wherever it is saved or shown.

Deterministic files: :func:`save` writes PNG / SVG / PDF without timestamps or random ids (fixed
``svg.hashsalt``, ``Date`` / ``CreationDate`` removed, fixed ``Software`` / ``Creator`` /
``Producer``), so rebuilding ``reports/figures/`` leaves git clean.
"""

from __future__ import annotations

import math
import re
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Mapping

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from analysis import config
from analysis.coverage import OTHER_DOMAIN, STATES, headline_domains, label
from analysis.errors import InputError, UsageError


LANGS = ("zh", "en")
FORMATS = ("png", "svg", "pdf")
#: The CJK font shipped by the ``mplfonts`` package (SIL Open Font License).
FONT_PACKAGE = "mplfonts"
FONT_FILE = "NotoSansCJKsc-Regular.otf"
#: Written into file metadata instead of the matplotlib version and a date.
CREATOR = "analysis (civil-affairs plans)"
SVG_HASHSALT = "civil-affairs-plans"
DPI = 150
NAMES_FILE = "source_names_en.csv"

STATE_COLORS = {"absent": "#eeeeee", "mentioned": "#f2c14e", "quantified": "#3a8d5c"}
KIND_COLORS = {"target": "#2f6690", "achievement": "#d1495b", "baseline": "#9aa5b1", "other": "#c8c8c8"}
REGION_PALETTE = ("#2f6690", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f", "#3d405b")
#: A separator between several names in one task-list cell: whitespace not before a bracket.
NAME_SPLIT_RE = re.compile(r"\s+(?![(（])")
WIDE_CHAR_RE = re.compile(r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")


# --------------------------------------------------------------------------------------------------
# Font and style

def font_path() -> Path:
    """Path of the bundled CJK font file."""
    import importlib.util

    spec = importlib.util.find_spec(FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise InputError(f"the {FONT_PACKAGE} package is not installed — `pip install {FONT_PACKAGE}` "
                         f"(it ships the CJK font the charts need).")
    path = Path(list(spec.submodule_search_locations)[0]) / "fonts" / FONT_FILE
    if not path.is_file():
        raise InputError(f"{path}: CJK font missing from the {FONT_PACKAGE} install — reinstall {FONT_PACKAGE}.")
    return path


@lru_cache(maxsize=1)
def font_family() -> str:
    """Register the bundled CJK font with matplotlib (once) and return its family name."""
    from matplotlib import font_manager

    path = font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def rc() -> dict:
    """The rcParams every chart is drawn and saved with."""
    return {
        "font.family": [font_family(), "DejaVu Sans"],
        "axes.unicode_minus": False,
        "svg.hashsalt": SVG_HASHSALT,
        "svg.fonttype": "path",
        "pdf.fonttype": 3,  # Type 3: the bundled font is CFF-flavoured OpenType, not valid as a Type 42 FontFile2
        "figure.dpi": 100,
        "savefig.dpi": DPI,
        "axes.titlesize": 10,
        "axes.labelsize": 9,
        "xtick.labelsize": 8,
        "ytick.labelsize": 8,
        "legend.fontsize": 8,
    }


@contextmanager
def style():
    """Context in which charts are drawn: the bundled CJK font, no unicode minus, fixed SVG salt."""
    with mpl.rc_context(rc()):
        yield


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise UsageError(f"unknown language {lang!r} — choose one of {', '.join(LANGS)}.")
    return lang


def save(fig: Figure, path: Path, *, fmt: str | None = None) -> Path:
    """Write ``fig`` to ``path`` (format from ``fmt`` or the suffix) byte-for-byte reproducibly."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} — choose one of {', '.join(FORMATS)}.")
    metadata = {
        "png": {"Software": CREATOR},
        "svg": {"Date": None, "Creator": CREATOR},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": CREATOR, "Producer": CREATOR},
    }[fmt]
    path.parent.mkdir(parents=True, exist_ok=True)
    with style():
        fig.savefig(path, format=fmt, metadata=metadata, dpi=DPI, facecolor="white")
    return path


# --------------------------------------------------------------------------------------------------
# Labels

@lru_cache(maxsize=1)
def _source_names() -> dict[str, str]:
    frame = pd.read_csv(config.resource(NAMES_FILE), keep_default_na=False, dtype=str, comment="#")
    return dict(zip(frame["zh"], frame["en"]))


def source_name(name: str, *, lang: str) -> str:
    """A leader's or section's name as in the source (zh) or its English rendering (en, if listed)."""
    return _source_names().get(name, name) if lang == "en" else name


def display_width(text: str) -> int:
    """Width in Latin-character units: CJK and full-width characters count 2."""
    return len(text) + len(WIDE_CHAR_RE.findall(text))


def wrap(text: str, width: int) -> str:
    """Wrap ``text`` to ``width`` units; CJK may break anywhere, Latin only at spaces."""
    lines, line = [], ""
    for token in re.findall(r"[A-Za-z0-9'’(),.;:%/+\-]+\s*|\s+|.", text):
        if line and display_width(line + token.rstrip()) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return "\n".join(lines)


def region_names(profiles: pd.DataFrame, *, lang: str) -> dict[str, str]:
    col = "name_zh" if lang == "zh" else "name_en"
    return dict(zip(profiles["region"], profiles[col]))


def region_label(row, *, lang: str) -> str:
    """``宝鸡市\\n2020 报纸专题报道`` / ``Baoji City\\n2020 newspaper feature``: name, year and type."""
    name = row["name_zh"] if lang == "zh" else row["name_en"]
    kind = row["doc_type_zh"] if lang == "zh" else row["doc_type_en"]
    year = row.get("year")
    year = "" if year is None or pd.isna(year) or year == "" else f"{int(float(year))} "
    return f"{name}\n{year}{kind}"


def domain_names(coverage: pd.DataFrame, *, lang: str) -> dict[str, str]:
    col = "domain_zh" if lang == "zh" else "domain_en"
    return dict(zip(coverage["domain"], coverage[col]))


def caveats(profiles: pd.DataFrame, *, lang: str, regions: list[str] | None = None) -> list[str]:
    """Caveats of the shown documents that are not plans (Baoji's feature, Yanta's summary)."""
    col = f"caveat_{lang}"
    rows = profiles if regions is None else profiles[profiles["region"].isin(regions)]
    return [c for c in rows[col] if isinstance(c, str) and c]


def caption(fig: Figure, notes: list[str], *, lang: str, width: float) -> None:
    """A wrapped note under the figure (constrained layout keeps room for it)."""
    notes = [n for n in notes if n]
    if not notes:
        return
    sep, end = ("；", "。") if lang == "zh" else (". ", ".")
    text = label("note.prefix", lang=lang) + ("" if lang == "zh" else " ")
    text += sep.join(n.rstrip("。.") for n in notes) + end
    fontsize = 7.5
    units = int(width * 72 / fontsize * 2 * 0.9)  # one unit is half an em (a CJK character is two)
    fig.supxlabel(wrap(text, units), x=0.01, ha="left", fontsize=fontsize, color="#333333")


def _select(frame: pd.DataFrame, column: str, values: list[str] | None) -> pd.DataFrame:
    return frame if not values else frame[frame[column].isin(values)]


def _regions(profiles: pd.DataFrame, regions: list[str] | None) -> pd.DataFrame:
    rows = profiles.sort_values("doc_id", kind="mergesort")
    return rows if not regions else rows[rows["region"].isin(regions)]


def _domains(coverage: pd.DataFrame, domains: list[str] | None) -> list[str]:
    ordered = (coverage.drop_duplicates("domain").sort_values("domain_rank", kind="mergesort")["domain"].tolist())
    return [d for d in ordered if not domains or d in domains]


def _column_width(lang: str) -> float:
    """Inches per region column: English region labels ("2020 newspaper feature") are wider."""
    return 1.25 if lang == "zh" else 1.6


def _finish(fig: Figure) -> Figure:
    """Create every tick label now, inside :func:`style`, so later draws reuse this font."""
    fig.draw_without_rendering()
    return fig


def _message(ax, text: str) -> None:
    units = int(ax.figure.get_figwidth() * 72 / 9 * 2 * 0.8)  # 9 pt text; a CJK character is two units
    ax.text(0.5, 0.5, wrap(text, units), ha="center", va="center", transform=ax.transAxes, fontsize=9,
            color="#555555")
    ax.set_axis_off()


# --------------------------------------------------------------------------------------------------
# Charts

def coverage_heatmap(coverage: pd.DataFrame, profiles: pd.DataFrame, *, lang: str = "zh",
                     value: str = "share_tasks", regions: list[str] | None = None,
                     domains: list[str] | None = None) -> Figure:
    """Heatmap domain x region of ``value``: ``share_tasks`` (default), ``share_chars`` or ``n_tasks``."""
    import seaborn as sns

    check_lang(lang)
    if value not in ("share_tasks", "share_chars", "n_tasks"):
        raise UsageError(f"unknown value {value!r} — choose one of share_tasks, share_chars, n_tasks.")
    regs = _regions(profiles, regions)
    doms = _domains(coverage, domains)
    names = domain_names(coverage, lang=lang)
    cells = coverage[coverage["region"].isin(regs["region"]) & coverage["domain"].isin(doms)]
    grid = (cells.pivot(index="domain", columns="region", values=value)
            .reindex(index=doms, columns=regs["region"].tolist()).fillna(0))
    share = value.startswith("share")
    shown = grid * 100 if share else grid
    annot = shown.map(lambda v: "" if v == 0 else (f"{v:.0f}%" if share else f"{v:.0f}"))
    width, height = 1.6 + _column_width(lang) * len(regs) + 1.2, 1.6 + 0.36 * len(doms)
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
        return _finish(fig)


def coverage_states(coverage: pd.DataFrame, profiles: pd.DataFrame, *, lang: str = "zh",
                    regions: list[str] | None = None, domains: list[str] | None = None) -> Figure:
    """Three-state matrix domain x region: absent / mentioned / quantified, cells ``tasks / quantities``."""
    check_lang(lang)
    regs = _regions(profiles, regions)
    doms = _domains(coverage, domains)
    names = domain_names(coverage, lang=lang)
    cells = coverage[coverage["region"].isin(regs["region"]) & coverage["domain"].isin(doms)].set_index(
        ["domain", "region"])
    width, height = 1.6 + _column_width(lang) * len(regs) + 1.4, 2.0 + 0.36 * len(doms)
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
                    n_q = int(row["n_targets"]) + int(row["n_achievements"])
                    ax.text(j + 0.5, i + 0.5, f"{int(row['n_tasks'])} / {n_q}", ha="center", va="center",
                            fontsize=7.5, color="white" if state == "quantified" else "#222222")
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
        fig.legend(handles=handles, loc="outside upper right", ncols=3, frameon=False)
        caption(fig, [label("note.cell", lang=lang), label("note.multilabel", lang=lang),
                      label("note.preamble", lang=lang)]
                + caveats(profiles, lang=lang, regions=regs["region"].tolist()), lang=lang, width=width)
        return _finish(fig)


def targets_by_domain(coverage: pd.DataFrame, profiles: pd.DataFrame, *, lang: str = "zh",
                      regions: list[str] | None = None, domains: list[str] | None = None) -> Figure:
    """Quantified targets and achievements per domain, one panel per region (stacked bars).

    By default the domains are the taxonomy's headline domains plus every other domain that has a
    target or achievement in a shown region (so no quantity is hidden); ``domains`` overrides.
    """
    check_lang(lang)
    regs = _regions(profiles, regions)
    if domains:
        doms = _domains(coverage, domains)
    else:
        try:
            heads = headline_domains()
        except InputError:
            heads = [d for d in coverage["domain"].unique() if d != OTHER_DOMAIN]
        shown = coverage[coverage["region"].isin(regs["region"])]
        quantified = shown.loc[(shown["n_targets"] + shown["n_achievements"]) > 0, "domain"]
        doms = _domains(coverage, list(heads) + quantified.tolist())
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
        return _finish(fig)


def comparable(targets: pd.DataFrame | None, *, regions: list[str] | None = None,
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
    rows = _select(rows, "region", regions)
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
    rows = comparable(targets, regions=regions, domains=domains, min_regions=min_regions)
    regs = _regions(profiles, regions)
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
            _message(axes[0], label("note.no_comparable", lang=lang))
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
        return _finish(fig)


def leader_domains(tasks: pd.DataFrame, *, column: str, regions: list[str] | None = None) -> pd.DataFrame:
    """Tasks per name (rows) and primary domain (columns) in a task list's ``leader`` or ``department``
    column; a task with several names counts for each. Rows sorted by total, descending."""
    rows = _select(tasks, "region", regions)
    if "is_preamble" in rows.columns:
        from analysis.coverage import proper_tasks

        rows = proper_tasks(rows)
    if column not in rows.columns:
        return pd.DataFrame(dtype=int)
    domains = rows["domain"] if "domain" in rows.columns else pd.Series(OTHER_DOMAIN, index=rows.index)
    pairs = [(n, d) for cell, d in zip(rows[column], domains) if isinstance(cell, str)
             for n in NAME_SPLIT_RE.split(cell.strip()) if n]
    if not pairs:
        return pd.DataFrame(dtype=int)
    table = pd.crosstab(pd.Series([n for n, _ in pairs], name=column), pd.Series([d for _, d in pairs], name="domain"))
    totals = table.sum(axis=1)
    order = totals.sort_index(kind="mergesort").sort_values(ascending=False, kind="mergesort").index
    return table.loc[order]


def leader_counts(tasks: pd.DataFrame, *, column: str, regions: list[str] | None = None) -> pd.Series:
    """Tasks per name in a task list's ``leader`` or ``department`` column (a task counts for each name)."""
    table = leader_domains(tasks, column=column, regions=regions)
    return table.sum(axis=1).rename("n_tasks") if len(table) else pd.Series(dtype=int)


def tasks_by_leader(tasks: pd.DataFrame, profiles: pd.DataFrame | None = None, *, lang: str = "zh",
                    regions: list[str] | None = None, coverage: pd.DataFrame | None = None) -> Figure:
    """Task lists: tasks per leader in charge and per responsible section, stacked by primary domain.

    ``coverage`` (the coverage table) supplies the domain names and their order; without it the
    codes are shown.
    """
    check_lang(lang)
    leaders = leader_domains(tasks, column="leader", regions=regions)
    depts = leader_domains(tasks, column="department", regions=regions)
    names = domain_names(coverage, lang=lang) if coverage is not None else {}
    ranks = (dict(zip(coverage["domain"], coverage["domain_rank"])) if coverage is not None else {})
    present = sorted(set(leaders.columns) | set(depts.columns), key=lambda d: (ranks.get(d, 99), d))
    colours = {d: mpl.colormaps["tab20"](i % 20) for i, d in enumerate(sorted(ranks, key=ranks.get) or present)}
    n = max(len(leaders), len(depts), 1)
    width, height = 12.5 if lang == "en" else 10.5, 1.8 + 0.34 * n
    if leaders.empty and depts.empty:
        width, height = 6.0, 2.2
    with style():
        fig = Figure(figsize=(width, height), layout="constrained")
        if leaders.empty and depts.empty:
            _message(fig.add_subplot(), label("note.no_task_list", lang=lang))
        else:
            axes = fig.subplots(1, 2, width_ratios=[1, 1.6] if lang == "en" else [1, 1.3])
            for ax, table, key in ((axes[0], leaders, "axis.leader"), (axes[1], depts, "axis.department")):
                y = np.arange(len(table))
                left = np.zeros(len(table))
                for dom in present:
                    if dom not in table.columns:
                        continue
                    values = table[dom].to_numpy()
                    ax.barh(y, values, left=left, color=colours.get(dom, "#999999"))
                    left += values
                ax.set_yticks(y, [wrap(source_name(nm, lang=lang), 34 if lang == "en" else 26) for nm in table.index])
                ax.set_ylim(len(table) - 0.5, -0.5)
                for yi, v in zip(y, left):
                    ax.text(v + 0.1, yi, f"{int(v)}", va="center", fontsize=7)
                ax.set_xlim(0, (left.max() if len(left) else 0) * 1.15 + 0.5)
                ax.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))
                ax.xaxis.set_major_formatter(ticker.StrMethodFormatter("{x:.0f}"))
                ax.set_xlabel(label("axis.n_tasks", lang=lang))
                ax.set_title(label(key, lang=lang), fontsize=9)
                for side in ("top", "right"):
                    ax.spines[side].set_visible(False)
            fig.legend(handles=[Patch(color=colours.get(d, "#999999"), label=names.get(d, d)) for d in present],
                       loc="outside right upper", ncols=1, frameon=False, fontsize=7.5)
        shown = sorted(set(_select(tasks, "region", regions).loc[
            lambda t: t.get("leader", pd.Series("", index=t.index)).astype(str).str.strip() != "", "region"]))
        title = label("title.tasks_by_leader", lang=lang)
        if profiles is not None and shown:
            title += "（" + "、".join(region_names(profiles, lang=lang)[r] for r in shown) + "）" if lang == "zh" \
                else " (" + ", ".join(region_names(profiles, lang=lang)[r] for r in shown) + ")"
        fig.suptitle(title, x=0.01, ha="left", fontsize=10)
        caption(fig, [label("note.leader_domain", lang=lang), label("note.leader_multi", lang=lang),
                      label("note.preamble", lang=lang)], lang=lang, width=width)
        return _finish(fig)


# --------------------------------------------------------------------------------------------------
# All figures

#: Report figures, in order: name -> what it shows.
FIGURES = {
    "coverage_heatmap": "share of each plan's tasks by domain",
    "coverage_heatmap_chars": "share of each plan's characters by domain",
    "coverage_states": "three-state coverage matrix",
    "targets_by_domain": "quantified targets and achievements per headline domain and any domain with numbers",
    "comparable_targets": "comparable quantities side by side: same indicator, unit and base",
    "tasks_by_leader": "task list: tasks per leader and section",
    "similarity_tfidf_tokens": "region x region similarity of the plans (word TF-IDF cosine)",
    "similarity_char_ngrams": "region x region similarity of the plans (character n-gram TF-IDF cosine)",
    "keyness": "distinctive terms of each region (log-likelihood G2 against the rest)",
}


# --------------------------------------------------------------------------------------------------
# Cross-region charts (issue 6): similarity heatmap, distinctive terms

def manifest_names(*, lang: str = "zh") -> dict[str, str]:
    """Region slug -> display name from the manifest (``name_zh`` / ``name_en``)."""
    from analysis import corpus

    check_lang(lang)
    column = "name_zh" if lang == "zh" else "name_en"
    return {row["region"]: row[column] for row in corpus.read_manifest()}


def similarity_heatmap(frame: pd.DataFrame, *, method: str = "tfidf_tokens", lang: str = "zh",
                       names: Mapping[str, str] | None = None):
    """Annotated region x region heatmap of one similarity method (a ``similarity.csv`` frame)."""
    _choice(method, SIMILARITY_METHODS, "similarity method")
    check_lang(lang)
    names = dict(names or manifest_names(lang=lang))
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
    names = dict(names or manifest_names(lang=lang))
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


#: Similarity methods of ``similarity.csv`` (see analysis.compare).
SIMILARITY_METHODS = ("tfidf_tokens", "char_ngrams")


def _choice(value, choices, what: str):
    if value not in choices:
        raise UsageError(f"unknown {what} {value!r} — choose one of {', '.join(map(str, choices))}.")
    return value


def figures(coverage: pd.DataFrame, profiles: pd.DataFrame, targets: pd.DataFrame | None,
            tasks: pd.DataFrame, *, lang: str = "zh", regions: list[str] | None = None,
            domains: list[str] | None = None, names: list[str] | None = None,
            similarity: pd.DataFrame | None = None, keyness: pd.DataFrame | None = None) -> dict[str, Figure]:
    """The report figures (all, or ``names``) for ``lang`` and the selected regions / domains, by name.

    With ``similarity`` and ``keyness`` frames (from analysis.compare) the cross-region charts are included."""
    check_lang(lang)
    sel = {"lang": lang, "regions": regions, "domains": domains}
    draw = {
        "coverage_heatmap": lambda: coverage_heatmap(coverage, profiles, **sel),
        "coverage_heatmap_chars": lambda: coverage_heatmap(coverage, profiles, value="share_chars", **sel),
        "coverage_states": lambda: coverage_states(coverage, profiles, **sel),
        "targets_by_domain": lambda: targets_by_domain(coverage, profiles, **sel),
        "comparable_targets": lambda: comparable_targets(targets, profiles, **sel),
        "tasks_by_leader": lambda: tasks_by_leader(tasks, profiles, lang=lang, regions=regions, coverage=coverage),
    }
    if similarity is not None:
        pairs = _select(_select(similarity, "region", regions), "other_region", regions)
        for method in SIMILARITY_METHODS:
            draw[f"similarity_{method}"] = lambda m=method: similarity_heatmap(pairs, method=m, lang=lang)
    if keyness is not None:
        draw["keyness"] = lambda: keyness_chart(_select(keyness, "region", regions), lang=lang)
    lacking = [n for n in names or () if n in FIGURES and n not in draw]
    if lacking:
        raise InputError(f"chart(s) {', '.join(lacking)} need similarity.csv and keyness.csv — "
                         f"run `python -m analysis build` first.")
    unknown = [n for n in names or () if n not in draw]
    if unknown:
        raise UsageError(f"unknown chart(s) {', '.join(unknown)} — choose from: {', '.join(draw)}")
    return {name: make() for name, make in draw.items() if not names or name in names}


def write(figs: dict[str, Figure], *, out_dir: Path, lang: str, formats=("png", "svg")) -> list[Path]:
    """Save each figure as ``{name}_{lang}.{fmt}`` in ``out_dir``; returns the paths."""
    written = []
    for name, fig in figs.items():
        for fmt in formats:
            written.append(save(fig, Path(out_dir) / f"{name}_{lang}.{fmt}", fmt=fmt))
    return written


def build_all(ctx, *, out_dir=None) -> list[Path]:
    """Draw every report figure in Chinese and English, PNG and SVG, into ``reports/figures/``."""
    out_dir = Path(out_dir or config.FIGURES)
    frames = {name: t.frame for name, t in ctx.tables.items()}
    if "coverage.csv" not in frames:
        raise InputError("no coverage table on the context — run the coverage stage before the charts.")
    targets = ctx.targets if ctx.targets is not None else frames.get("targets.csv")
    written = []
    for lang in LANGS:
        figs = figures(frames["coverage.csv"], frames["document_profiles.csv"], targets, ctx.tasks, lang=lang,
                       similarity=frames.get("similarity.csv"), keyness=frames.get("keyness.csv"))
        written += write(figs, out_dir=out_dir, lang=lang)
    return written

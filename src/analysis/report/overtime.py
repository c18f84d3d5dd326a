"""Jurisdictions over time: did the plans' targets happen (``target_followup.csv``), and which tasks were
carried over, dropped or added between a bureau's consecutive plans (``task_changes.csv``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from analysis.coverage import label
from analysis.overtime.changes import STATUSES as CHANGE_STATUSES
from analysis.overtime.targets import STATUSES as FOLLOWUP_STATUSES
from analysis.report.style import caption, check_lang, finish, style

FOLLOWUP_COLORS = {"exceeded": "#1b7837", "met": "#5aae61", "partly_met": "#f1a340", "not_reported": "#bdbdbd",
                   "reported_without_target": "#9ecae1"}
CHANGE_COLORS = {"carried_over": "#2f6690", "dropped": "#d1495b", "added": "#66a182"}


def _names(profiles: pd.DataFrame, *, lang: str) -> dict[str, str]:
    col = "name_zh" if lang == "zh" else "name_en"
    return dict(zip(profiles["jurisdiction"], profiles[col]))


def _stacked(fig: Figure, counts: pd.DataFrame, colors: dict[str, str], *, lang: str, prefix: str,
             xlabel: str) -> None:
    ax = fig.add_subplot()
    y = np.arange(len(counts))
    left = np.zeros(len(counts))
    for status in counts.columns:
        values = counts[status].to_numpy(dtype=float)
        ax.barh(y, values, left=left, color=colors[status])
        for yi, (x0, v) in enumerate(zip(left, values)):
            if v:
                ax.text(x0 + v / 2, yi, f"{int(v)}", ha="center", va="center", fontsize=7.5, color="white")
        left += values
    ax.set_yticks(y, counts.index.tolist())
    ax.set_ylim(len(counts) - 0.5, -0.5)
    ax.set_xlabel(xlabel)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.legend(handles=[Patch(color=colors[s], label=label(f"{prefix}.{s}", lang=lang)) for s in counts.columns],
               loc="outside right upper", ncols=1, frameon=False)


def _status_chart(frame: pd.DataFrame, keys: pd.Series, statuses: tuple[str, ...], colors: dict[str, str], *,
                  lang: str, prefix: str, xlabel: str, title: str, note: str, width: float) -> Figure:
    """One bar per key (a bureau's year, a pair of plans), stacked by ``frame["status"]`` in ``statuses`` order."""
    counts = pd.crosstab(keys, frame["status"]).reindex(columns=[s for s in statuses if s in set(frame["status"])])
    height = 1.8 + 0.45 * len(counts)
    with style():
        fig = Figure(figsize=(width, height), layout="constrained")
        _stacked(fig, counts, colors, lang=lang, prefix=prefix, xlabel=label(xlabel, lang=lang))
        fig.suptitle(label(title, lang=lang), x=0.01, ha="left", fontsize=10)
        caption(fig, [label(note, lang=lang)], lang=lang, width=width)
        return finish(fig)


def followup_chart(followup: pd.DataFrame, profiles: pd.DataFrame, *, lang: str = "zh") -> Figure | None:
    """Targets per bureau and year, stacked by status (exceeded … reported without a target); None when no
    bureau has two documents."""
    check_lang(lang)
    if followup is None or followup.empty:
        return None
    names = _names(profiles, lang=lang)
    keys = followup["jurisdiction"].map(names).fillna(followup["jurisdiction"]) + " " + followup["year"].astype(str)
    return _status_chart(followup, keys, FOLLOWUP_STATUSES, FOLLOWUP_COLORS, lang=lang, prefix="followup",
                         xlabel="axis.n_followup", title="title.target_followup", note="note.followup",
                         width=8.5 if lang == "en" else 7.5)


def changes_chart(changes: pd.DataFrame, profiles: pd.DataFrame, *, lang: str = "zh") -> Figure | None:
    """Tasks per pair of consecutive plans, stacked by carried over / dropped / added; None when no bureau has
    two plans."""
    check_lang(lang)
    if changes is None or changes.empty:
        return None
    names = _names(profiles, lang=lang)
    keys = (changes["jurisdiction"].map(names).fillna(changes["jurisdiction"]) + " "
            + changes["year"].astype(str) + "→" + changes["other_year"].astype(str))
    return _status_chart(changes, keys, CHANGE_STATUSES, CHANGE_COLORS, lang=lang, prefix="change",
                         xlabel="axis.n_tasks", title="title.task_changes", note="note.changes", width=8.0)

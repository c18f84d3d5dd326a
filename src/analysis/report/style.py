"""Chart style: the bundled CJK font, rcParams, reproducible files, text wrapping, captions.

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

import re
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import matplotlib as mpl
from matplotlib.figure import Figure

from analysis import choices
from analysis.coverage import label
from analysis.errors import InputError

LANGS = choices.LANGS
FORMATS = choices.FIGURE_FORMATS
#: The CJK font shipped by the ``mplfonts`` package (SIL Open Font License).
FONT_PACKAGE = "mplfonts"


FONT_FILE = "NotoSansCJKsc-Regular.otf"


#: Written into file metadata instead of the matplotlib version and a date.
CREATOR = "analysis (civil-affairs plans)"


SVG_HASHSALT = "civil-affairs-plans"


DPI = 150


STATE_COLORS = {"absent": "#eeeeee", "mentioned": "#f2c14e", "quantified": "#3a8d5c"}


KIND_COLORS = {"target": "#2f6690", "achievement": "#d1495b", "baseline": "#9aa5b1", "other": "#c8c8c8"}


REGION_PALETTE = ("#2f6690", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f", "#3d405b")


WIDE_CHAR_RE = re.compile(r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")


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
    return choices.check(lang, LANGS, what="language")


def save(fig: Figure, path: Path, *, fmt: str | None = None, dpi: int | None = None) -> Path:
    """Write ``fig`` to ``path`` (format from ``fmt`` or the suffix; raster resolution ``dpi``, default
    :data:`DPI`) byte-for-byte reproducibly."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    choices.check(fmt, FORMATS, what="format")
    metadata = {
        "png": {"Software": CREATOR},
        "svg": {"Date": None, "Creator": CREATOR},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": CREATOR, "Producer": CREATOR},
    }[fmt]
    path.parent.mkdir(parents=True, exist_ok=True)
    with style():
        fig.savefig(path, format=fmt, metadata=metadata, dpi=dpi or DPI, facecolor="white")
    return path


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


def finish(fig: Figure) -> Figure:
    """Create every tick label now, inside :func:`style`, so later draws reuse this font."""
    fig.draw_without_rendering()
    return fig


def mark_empty(fig: Figure, reason: str) -> Figure:
    """Mark ``fig`` as having nothing to show (``reason``): the commands skip it instead of writing it."""
    fig.analysis_empty = reason
    return fig


def is_empty(fig: Figure) -> str:
    """Why ``fig`` has nothing to show, or ``""`` (see :func:`mark_empty`)."""
    return getattr(fig, "analysis_empty", "")


def message(ax, text: str) -> None:
    """A wrapped note in place of an empty chart's drawing (the figure is marked empty)."""
    mark_empty(ax.figure, text)
    units = int(ax.figure.get_figwidth() * 72 / 9 * 2 * 0.8)  # 9 pt text; a CJK character is two units
    ax.text(0.5, 0.5, wrap(text, units), ha="center", va="center", transform=ax.transAxes, fontsize=9,
            color="#555555")
    ax.set_axis_off()

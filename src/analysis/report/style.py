"""Chart style: the bundled CJK font, rcParams, reproducible files, text wrapping, captions.

Chinese glyphs: the CJK font ships with the install (the ``mplfonts`` package's
``NotoSansCJKsc-Regular.otf``). It is registered with matplotlib's font manager the first time a
chart is drawn — never at import — and used through :func:`style`, an ``rc_context`` that also sets
``axes.unicode_minus`` to False (the hyphen-minus is in every font). Text objects keep the font
they were created with, so a figure drawn here renders the same wherever it is saved or shown.

PDF: text is embedded as a TrueType (Type 42) font, not Type 3. The bundled font has CFF outlines, which a
PDF cannot carry as a TrueType font program, so the first PDF saved converts it to TrueType (quadratic
``glyf`` outlines, fontTools' cu2qu; about 40 s, once) into a cache folder (:func:`truetype_path`;
``$ANALYSIS_FONT_CACHE`` or ``~/.cache/analysis``); while a PDF is written the font manager's entry points
at that file (:func:`_truetype_fonts`).

Deterministic files: :func:`save` writes PNG / SVG / PDF without timestamps or random ids (fixed
``svg.hashsalt``, ``Date`` / ``CreationDate`` removed, fixed ``Software`` / ``Creator`` /
``Producer``), so rebuilding ``reports/figures/`` leaves git clean.
"""

from __future__ import annotations

import re
from contextlib import contextmanager, nullcontext
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
#: Added to the bundled font's family name (see :func:`font_family`).
BUNDLED_SUFFIX = " (bundled)"


#: Written into file metadata instead of the matplotlib version and a date.
CREATOR = "analysis (civil-affairs plans)"


SVG_HASHSALT = "civil-affairs-plans"


DPI = 150


STATE_COLORS = {"target": "#3a8d5c", "result": "#4a7ab5", "baseline": "#b9a7d1", "mentioned": "#f2c14e",
                "absent": "#eeeeee"}
#: States whose cells are dark enough for white text.
DARK_STATES = ("target", "result")


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
    """Register the bundled CJK font with matplotlib (once) and return the family name charts use.

    The family is renamed ``<name> (bundled)`` in the font manager, so that a system font of the same
    name (``fonts-noto-cjk`` installs "Noto Sans CJK SC" too) is never chosen instead of this file."""
    import dataclasses

    from matplotlib import font_manager

    path = font_path()
    font_manager.fontManager.addfont(str(path))
    family = f"{font_manager.FontProperties(fname=str(path)).get_name()}{BUNDLED_SUFFIX}"
    fonts = font_manager.fontManager.ttflist
    for i, entry in enumerate(fonts):
        if entry.fname == str(path):
            fonts[i] = dataclasses.replace(entry, name=family)
    font_manager.FontManager._findfont_cached.cache_clear()
    return family


FONT_CACHE_ENV = "ANALYSIS_FONT_CACHE"


def _cache_dir() -> Path:
    import os

    return Path(os.environ.get(FONT_CACHE_ENV) or Path.home() / ".cache" / "analysis")


def _convert_to_truetype(source: Path, dest: Path) -> None:
    """Write ``source`` (an OpenType font with CFF outlines) as a TrueType font with ``glyf`` outlines."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(str(source), fontNumber=0)
    glyph_set, order = font.getGlyphSet(), font.getGlyphOrder()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(None)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))  # max error 1 unit of 1000
        glyf.glyphs[name] = pen.glyph()
    font["glyf"], font["loca"] = glyf, newTable("loca")
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 1 if attr == "maxZones" else 0)
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0  # no glyph names (65,535 of them)
    font.sfntVersion = "\x00\x01\x00\x00"
    tmp = dest.with_name(dest.name + ".part")
    font.save(str(tmp))
    tmp.replace(dest)


@lru_cache(maxsize=1)
def truetype_path() -> Path:
    """The bundled font converted to TrueType outlines (made at first use, then read from the cache)."""
    import hashlib

    source = font_path()
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:12]
    dest = _cache_dir() / f"{source.stem}-{digest}.ttf"
    if not dest.is_file():
        dest.parent.mkdir(parents=True, exist_ok=True)
        _convert_to_truetype(source, dest)
    return dest


@contextmanager
def _truetype_fonts():
    """While a PDF is written, the bundled font's entry in matplotlib's font manager names the TrueType copy
    (same family, same glyph order), so the PDF embeds TrueType outlines."""
    from matplotlib import font_manager

    import dataclasses

    font_family()
    otf, ttf = str(font_path()), str(truetype_path())
    fonts = font_manager.fontManager.ttflist
    where = [i for i, f in enumerate(fonts) if f.fname == otf]
    saved = [fonts[i] for i in where]
    for i in where:
        fonts[i] = dataclasses.replace(fonts[i], fname=ttf)
    font_manager.FontManager._findfont_cached.cache_clear()
    try:
        yield
    finally:
        for i, entry in zip(where, saved):
            fonts[i] = entry
        font_manager.FontManager._findfont_cached.cache_clear()


def rc() -> dict:
    """The rcParams every chart is drawn and saved with."""
    return {
        "font.family": [font_family(), "DejaVu Sans"],
        "axes.unicode_minus": False,
        "svg.hashsalt": SVG_HASHSALT,
        "svg.fonttype": "path",
        "pdf.fonttype": 42,  # TrueType: the CFF font is converted once (truetype_path), see _truetype_fonts
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


def notebook_style() -> None:
    """Use the report's chart style (:func:`rc`) for every plot of the session (a notebook's own
    pandas / seaborn plots included), so notebooks and report look alike."""
    mpl.rcParams.update(rc())


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
    with style(), (_truetype_fonts() if fmt == "pdf" else nullcontext()):
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


def titles(fig: Figure) -> list:
    """The figure's own texts that must fit inside it: suptitle, note, axes titles and axis labels."""
    out = [t for t in (fig._suptitle, fig._supxlabel, fig._supylabel) if t is not None]
    for ax in fig.axes:
        if ax.get_visible():
            out += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label]
    return [t for t in out if t.get_visible() and t.get_text().strip()]


def legends(fig: Figure) -> list:
    return list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]


def _rewrap(text, box, *, room: float) -> bool:
    """Wrap ``text`` (each of its lines) to fit ``room`` pixels, given its current extent ``box``."""
    lines = text.get_text().split("\n")
    widest = max(display_width(ln) for ln in lines)
    units = max(8, int(widest * room / box.width * 0.95))
    if units >= widest:
        return False
    text.set_text("\n".join(wrap(ln, units) for ln in lines))
    return True


def _fewer_columns(fig: Figure, legend) -> bool:
    """Replace a figure legend by the same legend with one column less (same entries, place, frame)."""
    from matplotlib.legend import Legend

    if legend not in fig.legends:
        return False
    name = {v: k for k, v in Legend.codes.items()}.get(legend._loc, "upper right")
    if legend._outside_loc:  # "outside upper right": the first word says which side it is outside of
        first = legend._outside_loc
        name = "outside " + " ".join([first] + [w for w in name.split() if w != first])
    kwargs = {"handles": legend.legend_handles, "labels": [t.get_text() for t in legend.texts], "loc": name,
              "ncols": legend._ncols - 1, "frameon": legend.get_frame_on()}
    if legend.texts:
        kwargs["fontsize"] = legend.texts[0].get_fontsize()
    fig.legends.remove(legend)
    fig.legend(**kwargs)
    return True


def _clear_of_legends(fig: Figure, renderer) -> bool:
    """Wrap a left-aligned suptitle that runs into a figure legend beside it to the room left of it."""
    title = fig._suptitle
    if title is None or not title.get_text().strip() or title.get_horizontalalignment() != "left":
        return False
    box = title.get_window_extent(renderer)
    beside = [b for b in (leg.get_window_extent(renderer) for leg in fig.legends)
              if b.y0 < box.y1 and b.y1 > box.y0 and b.x1 > box.x0 and b.x0 < box.x1]
    if not beside:
        return False
    room = min(b.x0 for b in beside) - box.x0 - 8
    return room > 40 and _rewrap(title, box, room=room)


def fit(fig: Figure, *, rounds: int = 8) -> Figure:
    """Lay out titles, notes and legends for any number of regions: a title or note wider than the
    figure is wrapped, a legend wider than it gets fewer columns (then the layout is redone)."""
    for _ in range(rounds):
        fig.draw_without_rendering()
        renderer, width, changed = fig._get_renderer(), fig.bbox.width, False
        for text in titles(fig):
            box = text.get_window_extent(renderer)
            if box.width > 0 and (box.x0 < -1 or box.x1 > width + 1):
                ha = text.get_horizontalalignment()
                room = width - max(box.x0, 2) - 4 if ha == "left" else width - 8
                changed |= _rewrap(text, box, room=room)
        for legend in legends(fig):
            box = legend.get_window_extent(renderer)
            if (box.x0 < -1 or box.x1 > width + 1) and legend._ncols > 1:
                changed |= _fewer_columns(fig, legend)
        changed |= _clear_of_legends(fig, renderer)
        if not changed:
            break
    return fig


def finish(fig: Figure) -> Figure:
    """Fit titles, notes and legends to the figure (:func:`fit`) and create every tick label now, inside
    :func:`style`, so later draws reuse this font."""
    fit(fig)
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

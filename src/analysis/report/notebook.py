"""What the notebooks share: their parameters (``REGIONS``, ``LANG``), the report's chart style, and the
processed tables filtered to the chosen regions.

Each notebook opens with a parameter cell (tagged ``parameters``, so papermill can set it)::

    REGIONS = None   # slugs or names, e.g. ["weiyang", "舒兰市"]; None: all
    LANG = "en"      # chart language: "zh" or "en"

and then calls :func:`setup`, which checks both, applies the report's chart style to every plot the
notebook draws (:func:`analysis.report.style.notebook_style`) and returns the region slugs; :func:`read`
reads a processed table keeping only those regions' rows.
"""

from __future__ import annotations

import pandas as pd

from analysis import tables
from analysis.report import selection, style

#: Columns a table's rows are kept by.
REGION_COLUMNS = ("region", "other_region")


def setup(*, regions=None, lang: str = "zh", in_dir=None) -> list[str] | None:
    """Check the parameters, set the chart style; the chosen regions' slugs (None: all)."""
    style.check_lang(lang)
    style.notebook_style()
    if not regions:
        return None
    return selection.regions(regions, tables.read_csv("document_profiles.csv", in_dir=in_dir))


def keep(frame: pd.DataFrame, regions: list[str] | None) -> pd.DataFrame:
    """The rows of ``frame`` whose region (and other region) is one of ``regions`` (all when None)."""
    if not regions:
        return frame
    for col in REGION_COLUMNS:
        if col in frame.columns:
            frame = frame[frame[col].isin(regions)]
    return frame


def read(name: str, *, regions: list[str] | None = None, in_dir=None) -> pd.DataFrame:
    """A processed table (``tasks.csv`` …), only the rows of ``regions``."""
    return keep(tables.read_csv(name, in_dir=in_dir), regions)


def read_tables(*, regions: list[str] | None = None, in_dir=None) -> dict:
    """The analyst commands' tables (:func:`analysis.report.commands.read_tables`), only ``regions``' rows."""
    from analysis.report import commands

    return {k: (None if v is None else keep(v, regions)) for k, v in commands.read_tables(in_dir).items()}

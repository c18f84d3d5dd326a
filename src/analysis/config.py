"""Paths, and nothing else: every other module asks here where things live.

The project root is ``CIVIL_AFFAIRS_ROOT`` when set, else the current folder or its nearest parent holding
``data/raw/manifest.csv`` (see :func:`_find_root`) — never the place the package was installed from, so a
copied checkout reads its own data.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
RESOURCES = PACKAGE_DIR / "resources"


def _find_root() -> Path:
    """``CIVIL_AFFAIRS_ROOT`` if set; else the current folder or its nearest parent that holds
    ``data/raw/manifest.csv`` (a copied checkout reads its own data, never the original's); else the current
    folder (where ``add`` starts a new corpus)."""
    env = os.environ.get("CIVIL_AFFAIRS_ROOT")
    if env:
        return Path(env).resolve()
    cwd = Path.cwd().resolve()
    for folder in (cwd, *cwd.parents):
        if (folder / "data" / "raw" / "manifest.csv").is_file():
            return folder
    return cwd


ROOT = _find_root()
DATA = ROOT / "data"
RAW = DATA / "raw"
PROCESSED = DATA / "processed"
INTERIM = DATA / "interim"  # the text read from web pages, PDF and Word files (written by the build)
MANIFEST = RAW / "manifest.csv"
NOTEBOOKS = ROOT / "notebooks"
FIGURES = ROOT / "reports" / "figures"
DOCS = ROOT / "docs"
#: Environment variable naming the folder the processed tables are read from (default PROCESSED): the
#: build sets it while it executes the notebooks on its staged tables.
TABLES_ENV = "CIVIL_AFFAIRS_TABLES"


def tables_dir() -> Path:
    """Where processed tables are read from by default: ``$CIVIL_AFFAIRS_TABLES`` or ``data/processed/``."""
    env = os.environ.get(TABLES_ENV)
    return Path(env) if env else PROCESSED


def interim_dir(out_dir: Path) -> Path:
    """Where a build writing its tables to ``out_dir`` writes the extracted texts: ``interim/`` beside a
    ``processed/`` folder (``data/interim/`` for ``data/processed/``), else inside ``out_dir``."""
    out_dir = Path(out_dir)
    return out_dir.parent / "interim" if out_dir.name == "processed" else out_dir / "interim"


def shown(path: Path) -> str:
    """How a file is named in messages: relative to the project root (``data/labels/…``) when inside it."""
    path = Path(path)
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def resource(name: str) -> Path:
    """Path of a versioned parameter file shipped with the package (lexicons, taxonomy, stopwords)."""
    return RESOURCES / name

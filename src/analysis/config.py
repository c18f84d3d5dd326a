"""Paths, and nothing else: every other module asks here where things live.

The project root is the folder that holds ``pyproject.toml`` above this package (an editable
install or a checkout); set ``CIVIL_AFFAIRS_ROOT`` to point the toolkit at another copy of the data.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
RESOURCES = PACKAGE_DIR / "resources"


def _find_root() -> Path:
    env = os.environ.get("CIVIL_AFFAIRS_ROOT")
    if env:
        return Path(env).resolve()
    for parent in PACKAGE_DIR.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "data").is_dir():
            return parent
    return Path.cwd()


ROOT = _find_root()
DATA = ROOT / "data"
RAW = DATA / "raw"
PROCESSED = DATA / "processed"
MANIFEST = RAW / "manifest.csv"
NOTEBOOKS = ROOT / "notebooks"
FIGURES = ROOT / "reports" / "figures"
DOCS = ROOT / "docs"


def resource(name: str) -> Path:
    """Path of a versioned parameter file shipped with the package (lexicons, taxonomy, stopwords)."""
    return RESOURCES / name

"""Validation of the processed tables, as its own layer: rules each output must obey.

Each ``check_*`` function returns a list of problem strings (empty when all is well).
"""

from __future__ import annotations

from pathlib import Path


def check_all(*, in_dir: Path | None = None) -> list[str]:
    return []

"""Quantified targets: find every quantity in the raw text, normalise it, classify its kind (issue 4).

STUB — owned by the quantities work. Contract with the pipeline:
``build(ctx)`` sets ``ctx.targets`` and adds the ``targets.csv`` table.
"""

from __future__ import annotations

import pandas as pd


def build(ctx) -> None:
    ctx.targets = pd.DataFrame(columns=["region", "task_id", "value", "unit", "kind", "span", "start", "end"])

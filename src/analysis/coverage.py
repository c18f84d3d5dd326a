"""Coverage comparison: region x domain matrix of tasks, targets and achievements (issue 5).

STUB — owned by the coverage work. ``build(ctx)`` adds the coverage tables.
"""

from __future__ import annotations


def build(ctx) -> None:
    return None

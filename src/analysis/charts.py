"""Charts: each a function that returns a matplotlib Figure (issue 5).

STUB — owned by the coverage/charts work. ``build_all(ctx)`` draws every report figure into
``reports/figures/`` and returns the paths written.
"""

from __future__ import annotations


def build_all(ctx, *, out_dir=None) -> list:
    return []

"""Cross-jurisdiction comparison: similarity, task alignment, shared phrasing, keyness (issue 6).

STUB — owned by the cross-region work. ``build(ctx)`` adds alignment / shared-phrase / keyness tables.
"""

from __future__ import annotations


def build(ctx) -> None:
    return None

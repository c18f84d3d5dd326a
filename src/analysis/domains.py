"""Policy domains: taxonomy, multi-label lexicon classifier, validation, clustering (issue 3).

STUB — owned by the domains work. Contract with the pipeline:
``build(ctx)`` adds ``domain``, ``domains`` (``;``-separated, primary first) and ``domain_evidence``
to ``ctx.tasks`` and may add tables with ``ctx.add_table``.
"""

from __future__ import annotations


def build(ctx) -> None:
    ctx.tasks = ctx.tasks.assign(domain="other", domains="other", domain_evidence="")

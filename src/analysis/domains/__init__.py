"""Policy domains: taxonomy, a multi-label lexicon classifier (issue 3), and the ``classify`` stage.

Two parts:

- :mod:`analysis.domains.lexicon`: the parameters — taxonomy, weighted lexicon, decision rules (read
  from ``resources/`` here and nowhere else) and the trie that finds the terms;
- :mod:`analysis.domains.classify`: lexicon hits per task, domain scores, the decision and its
  evidence;
- :mod:`analysis.domains.topics`: clause topics, the domains a long or badly cut task is about clause by
  clause, with the section heading as each clause's prior (issue 14);
- :mod:`analysis.domains.context`: the document prior, a one-subject document's subject for its weak
  procedural tasks (issue 14);
- :mod:`analysis.domains.profiles`: the per-region profiles of primary domains.

Every task gets a primary ``domain``, the full set of ``domains`` it substantively addresses
(``;``-separated, primary first) and the ``domain_evidence`` that decided (see
:mod:`analysis.domains.classify` for the rules). Validation against the hand labels, the held-out
tuning, the sensitivity analysis and the supervised baseline are in :mod:`analysis.evaluate` (the only
reader of ``data/labels/``); clustering is :mod:`analysis.clusters`; the profile heat map is
:mod:`analysis.report.profiles`.

The functions :func:`classify` and :func:`lexicon` share their names with the modules that hold
them: here they are the functions. Import a module's other names from the module
(``from analysis.domains.classify import PART_COLUMNS``).
"""

from __future__ import annotations

from analysis.domains.classify import (
    FALLBACK,
    HIT_COLUMNS,
    OUTPUT_COLUMNS,
    PART_COLUMNS,
    PRIOR_PARTS,
    classify,
    classify_tables,
    close_calls,
    decide,
    domain_scores,
    score,
    score_table,
    task_parts,
)
from analysis.domains.lexicon import (
    LEXICON_FILE,
    RULES_FILE,
    TAXONOMY_FILE,
    Rules,
    check_domain,
    codes,
    domain_names,
    headline_codes,
    lexicon,
    rules,
    taxonomy,
)
from analysis.domains.profiles import profile, profile_table

__all__ = ["FALLBACK", "HIT_COLUMNS", "LEXICON_FILE", "OUTPUT_COLUMNS", "PART_COLUMNS", "PRIOR_PARTS", "RULES_FILE",
           "Rules", "TAXONOMY_FILE", "build", "check_domain", "classify", "classify_tables", "close_calls", "codes",
           "decide", "domain_names", "domain_scores", "headline_codes", "lexicon", "profile", "profile_table",
           "rules", "score", "score_table", "task_parts", "taxonomy"]


def build(ctx) -> None:
    """Stage ``classify``: add ``domain``, ``domains``, ``domain_evidence`` to ``ctx.tasks``, and the
    tables ``domain_hits.csv`` (every lexicon hit), ``domain_scores.csv`` and ``domain_taxonomy.csv``.
    Validation against the hand labels and the clusters run in the ``evaluate`` stage
    (:func:`analysis.evaluate.build`)."""
    tasks = ctx.tasks
    pred, hits, scores = classify_tables(tasks)
    ctx.tasks = tasks.drop(columns=[c for c in OUTPUT_COLUMNS if c in tasks]).merge(
        pred, on="task_id", how="left", validate="one_to_one")
    if "tasks.csv" in ctx.tables:  # segment registered the frame before it had domains: replace it
        ctx.add_table("tasks.csv", ctx.tasks, sort_by=ctx.tables["tasks.csv"].sort_by)
    ctx.add_table("domain_hits.csv", hits.assign(weight=hits["weight"].round(6)),
                  sort_by=["task_id", "part", "clause", "term", "domain"])
    ctx.add_table("domain_scores.csv", scores, sort_by=["task_id", "rank"])
    tax = taxonomy()
    ctx.add_table("domain_taxonomy.csv", tax.assign(headline=tax["headline"].astype(int)), sort_by=[],
                  per_document=False)  # the same in every batch of documents: kept once

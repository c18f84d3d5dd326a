"""Stage ``evaluate``: the processing stages scored against the hand labels — the only reader of
``data/labels/``.

- :mod:`analysis.evaluate.domains`: the domain classifier against ``domain_labels.csv`` (validation,
  confusion, errors, leave-one-region-out tuning, sensitivity to the lexicon weights, the supervised
  baseline) and the notebook's views of those tables;
- :mod:`analysis.evaluate.quantities`: the quantity extractor against ``quantity_labels.csv``;
- :mod:`analysis.evaluate.clusters`: the task clusters (:mod:`analysis.clusters`) and their agreement
  with the hand labels.

:func:`build` runs the three and never stops a build (see its docstring). Labels never flow back into
the processing stages' tables.
"""

from __future__ import annotations

import logging

import pandas as pd

from analysis import schema
from analysis.evaluate import clusters, domains, quantities
from analysis.evaluate.domains import (
    LABEL_COLUMNS,
    TUNING_GRID,
    WARNING_COLUMNS,
    confusion,
    confusion_matrix,
    empty_labels,
    errors_table,
    evaluate,
    load_labels,
    missed_headline,
    per_domain,
    sensitivity,
    summary,
    supervised_loro,
    tune_rules_loro,
    usable_labels,
)

__all__ = ["EVALUATION_WARNINGS", "EVALUATION_WARNING_COLUMNS", "LABEL_COLUMNS", "TUNING_GRID",
           "WARNING_COLUMNS", "build", "clusters", "confusion", "confusion_matrix", "domains", "empty_labels",
           "errors_table", "evaluate", "load_labels", "missed_headline", "per_domain", "quantities", "sensitivity",
           "summary", "supervised_loro", "tune_rules_loro", "usable_labels"]

log = logging.getLogger(__name__)

#: ``evaluation_warnings.csv``: one row per warning of the ``evaluate`` stage (a stale, missing or
#: unreadable label file, too few tasks to cluster); header only when every score could be computed.
EVALUATION_WARNINGS = "evaluation_warnings.csv"
EVALUATION_WARNING_COLUMNS = tuple(schema.columns("evaluation_warnings.csv"))


def build(ctx) -> None:
    """Evaluation and exploration on top of the processing stages: the domain classifier and the
    quantity extractor scored against the hand labels, the supervised baseline, the clusters.

    Never stops a build: hand labels that no longer fit the plans (stale task ids, quotes or contexts),
    labelled plans missing from the corpus, an empty or malformed label file give one warning line
    each (logged, and a row of ``evaluation_warnings.csv``) and the scores that cannot be computed are
    skipped; an unexpected error in one step is reported the same way and the other steps still run.
    """
    rows = []
    for step, func in (("domains", domains.build_validation), ("quantities", quantities.build_validation),
                       ("clusters", clusters.build)):
        try:
            found = func(ctx) or []
        except Exception as exc:  # the evaluation is a report on the build, never a reason to fail it
            message = f"evaluate: {step} skipped after an unexpected {type(exc).__name__}: {exc}"
            log.warning("%s", message)
            found = [{"file": "", "cause": "error", "labels": 0, "skipped": 0, "message": message}]
        rows += [{"step": step, **w} for w in found]
    frame = pd.DataFrame(rows, columns=list(EVALUATION_WARNING_COLUMNS))
    ctx.add_table(EVALUATION_WARNINGS, frame, sort_by=[])
    ctx.evaluation_warnings = [r["message"] for r in rows]

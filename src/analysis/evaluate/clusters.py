"""How the task clusters line up with the hand-labelled primary domains (issue 3).

:mod:`analysis.clusters` clusters the tasks and scores the clusters against the lexicon's primary
domains; here the same agreement (ARI, NMI, purity: :func:`analysis.clusters.agreement`) is measured
against the hand labels that still fit the build (:func:`analysis.evaluate.domains.usable_labels`; their
warning is the domain validation's).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import clusters
from analysis.evaluate.domains import usable_labels


def hand_label_agreement(assign: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame | None:
    """The ``hand_labels`` rows of ``cluster_agreement.csv`` for the labelled tasks among ``assign``
    (:func:`analysis.clusters.run`'s assignment), or None when no clustered task is labelled."""
    if not len(labels):
        return None
    gold = labels.set_index("task_id")["primary"]
    a = assign[assign["task_id"].isin(gold.index)].set_index("task_id")
    return clusters.agreement(a, gold, against="hand_labels") if len(a) else None


def build(ctx, *, labels_path: Path | None = None) -> list[dict]:
    """Step ``clusters`` of the evaluate stage: :func:`analysis.clusters.build`, then the rows of
    ``cluster_agreement.csv`` against the hand labels. Returns the clustering's warnings."""
    found = clusters.build(ctx)
    assign = ctx.tables["clusters.csv"].frame
    if not len(assign):  # too few to cluster: the tables hold their columns only
        return found
    labels, _ = usable_labels(ctx.tasks, path=labels_path)
    hand = hand_label_agreement(assign, labels)
    if hand is not None:
        table = ctx.tables["cluster_agreement.csv"]
        ctx.add_table("cluster_agreement.csv", pd.concat([table.frame, hand], ignore_index=True),
                      sort_by=table.sort_by)
    return found

"""Clause topics: which domains a long or badly cut task is about, clause by clause (issue 14).

A task's score per domain (:mod:`analysis.domains.classify`) sums its whole text, so a paragraph holding
several topics is dominated by its largest one, and the runner-ups rarely reach ``secondary_ratio`` of it.
Here each clause of the task's own text (title and body; clauses are the runs between
:data:`~analysis.domains.classify.CLAUSE_BOUNDARY_RE` marks, as in ``domain_hits.csv``) is given to the
domain that holds most of its evidence, and a domain that is the subject of enough clauses is one of the
task's topics:

* a clause's evidence is the sum of its hits' weights (title multiplier and enumeration factor applied);
* the section heading and parent heading act as a prior: a domain's clause evidence is multiplied by
  ``1 + clause_heading_boost × share``, where ``share`` is that domain's share of the heading hits, so a
  clause with a bare or shared term (救助, 服务对象 …) inside a social-assistance section goes to social
  assistance, and a tie goes to the section's domain (then to taxonomy order);
* a clause counts for its owner when the owner's own evidence in it reaches ``clause_min_score``;
* a domain owning at least ``clause_topic_min_clauses`` clauses is a topic (a secondary domain when it is
  not the primary), whatever its share of the whole task.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.domains.lexicon import Rules, codes

#: Columns of :func:`clause_topics`.
TOPIC_COLUMNS = ("task_id", "domain", "clauses")
#: Parts of a task that are its own text (the others, headings, are the prior).
OWN_PARTS = ("title", "body")


def heading_prior(hits: pd.DataFrame) -> pd.DataFrame:
    """``task_id, domain, prior``: each domain's share of the task's heading and parent-heading hits."""
    h = hits[~hits["part"].isin(OWN_PARTS)]
    if h.empty:
        return pd.DataFrame({"task_id": pd.Series(dtype=object), "domain": pd.Series(dtype=object),
                             "prior": pd.Series(dtype=float)})
    g = h.groupby(["task_id", "domain"], sort=False)["weight"].sum().reset_index()
    g["prior"] = g["weight"] / g.groupby("task_id", sort=False)["weight"].transform("sum")
    return g.drop(columns="weight")


def clause_owners(hits: pd.DataFrame, r: Rules) -> pd.DataFrame:
    """``task_id, part, clause, domain, weight``: the domain each own-text clause is about (its evidence
    times the heading prior, highest; ties: the heading's domain, then taxonomy order), where that
    domain's own evidence in the clause reaches ``clause_min_score``."""
    own = hits[hits["part"].isin(OWN_PARTS)]
    g = own.groupby(["task_id", "part", "clause", "domain"], sort=False)["weight"].sum().reset_index()
    g = g.merge(heading_prior(hits), on=["task_id", "domain"], how="left")
    g["prior"] = g["prior"].fillna(0.0)
    order = {c: i for i, c in enumerate(codes())}
    g = g.assign(_key=-(g["weight"] * (1 + r.clause_heading_boost * g["prior"])).round(9),
                 _prior=-g["prior"], _order=g["domain"].map(order))
    g = g.sort_values(["task_id", "part", "clause", "_key", "_prior", "_order"], kind="mergesort")
    first = ~g.duplicated(["task_id", "part", "clause"])
    won = g[first.to_numpy() & (g["weight"].to_numpy() >= r.clause_min_score)]
    return won[["task_id", "part", "clause", "domain", "weight"]].reset_index(drop=True)


def clause_topics(hits: pd.DataFrame, r: Rules) -> pd.DataFrame:
    """``task_id, domain, clauses``: how many own-text clauses each domain owns (:func:`clause_owners`),
    for every domain that owns one. Compare ``clauses`` with ``clause_topic_min_clauses``."""
    if hits.empty:
        return pd.DataFrame({c: pd.Series(dtype=np.int64 if c == "clauses" else object) for c in TOPIC_COLUMNS})
    won = clause_owners(hits, r)
    return won.groupby(["task_id", "domain"], sort=False).size().rename("clauses").reset_index()

"""Clause topics: which domains a long or badly cut task is about, clause by clause (issue 14).

A task's score per domain (:mod:`analysis.domains.classify`) sums its whole text, so a paragraph holding
several topics is dominated by its largest one, and the runner-ups rarely reach ``secondary_ratio`` of it.
Here each clause of the task's own text (title and body; clauses are the runs between
:data:`~analysis.domains.hits.CLAUSE_BOUNDARY_RE` marks, as in ``domain_hits.csv``) is given to the
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

Sentence topics (:func:`sentence_topics`) do the same one level up, for a paragraph that gives each of its
subjects one sentence ("坚持殡葬公益属性…。优化婚姻管理服务…。加强地名成果运用…。"): in a task of at least two
sentences, a substantive domain that holds at least ``sentence_topic_dominance`` of one sentence's evidence,
and at least ``sentence_topic_min_score`` of it, is one of the task's domains.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import Callable, Mapping

import numpy as np
import pandas as pd

from analysis import punctuation
from analysis.domains.lexicon import OFFICE_DOMAINS, Rules, codes

#: Columns of :func:`clause_topics`.
TOPIC_COLUMNS = ("task_id", "domain", "clauses")
#: Parts of a task that are its own text (the others, headings, are the prior).
OWN_PARTS = ("title", "body")
#: Sentences of a task's own text, for sentence topics (semicolons and line breaks end one too).
TOPIC_SENTENCE_RE = punctuation.sentence_re(semicolons=True, lines=True, cells=True, keep_end=False)


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


def sentence_candidates(hits: pd.DataFrame, chosen: pd.DataFrame, r: Rules) -> set[str]:
    """Task ids that may have a sentence topic: a substantive domain not among the task's ``chosen`` ones
    (``task_id, domain`` rows) whose own-text hit weights (title multiplier included, repeats not discounted: no
    sentence can hold more) reach ``sentence_topic_min_score``. The others need no second scan."""
    own = hits[hits["part"].isin(OWN_PARTS) & ~hits["domain"].isin(OFFICE_DOMAINS)]
    if own.empty:
        return set()
    g = own.groupby(["task_id", "domain"], sort=False)["weight"].sum().reset_index()
    g = g[g["weight"] >= r.sentence_topic_min_score]
    g = g.merge(chosen.assign(_chosen=True), on=["task_id", "domain"], how="left")
    return set(g.loc[g["_chosen"].isna(), "task_id"].tolist())


def sentence_owners(text: str, r: Rules, *, hits_of: Callable) -> list[tuple[str, float, str]]:
    """``(domain, evidence, sentence)`` for each sentence of ``text`` that one substantive domain holds: at least
    ``sentence_topic_dominance`` of the sentence's evidence and ``sentence_topic_min_score`` of it; none when
    ``text`` has fewer than two sentences. ``hits_of(sentence, part, rules)``: the weighted hits of a text
    (:func:`analysis.domains.hits.weighted_hits`)."""
    sentences = [x for x in TOPIC_SENTENCE_RE.findall(text) if x.strip()]
    if len(sentences) < 2:
        return []
    out = []
    for sentence in sentences:
        best = _sentence_best(sentence, r, hits_of)
        if best is None:
            continue
        domain, v, total = best
        if domain not in OFFICE_DOMAINS and v >= r.sentence_topic_min_score and v >= r.sentence_topic_dominance * total:
            out.append((domain, v, sentence.strip()))
    return out


@lru_cache(maxsize=1 << 16)
def _sentence_best(sentence: str, r: Rules, hits_of: Callable) -> tuple[str, float, float] | None:
    """The domain holding most of ``sentence``'s evidence (ties: the first named), its evidence and the sentence's
    total; None without evidence. Memoised: copies of a plan repeat their sentences."""
    by: dict[str, float] = defaultdict(float)
    for hit in hits_of(sentence, "body", r):
        by[hit[3]] += hit[4]
    if not by:
        return None
    domain, v = max(by.items(), key=lambda kv: kv[1])
    return domain, v, sum(by.values())


def sentence_topics(decided: pd.DataFrame, own: Mapping[str, str], r: Rules, *, hits_of: Callable) -> pd.DataFrame:
    """``decided`` (``task_id, domain, domains, domain_evidence``) with each task's sentence topics
    (:func:`sentence_owners` of its own text, ``own``: task id -> title and body) added to its ``domains``
    after those it has, and named in its evidence. Tasks not in ``own`` are left alone."""
    out = decided.copy()
    col = {c: out.columns.get_loc(c) for c in ("domains", "domain_evidence")}
    for i, tid in enumerate(out["task_id"].tolist()):
        if tid not in own:
            continue
        have = out.iat[i, col["domains"]].split(";")
        new = {}
        for domain, v, sentence in sentence_owners(own[tid], r, hits_of=hits_of):
            if domain not in have and domain not in new:
                new[domain] = (v, sentence)
        if not new:
            continue
        out.iat[i, col["domains"]] = ";".join([*have, *new])
        shown = ", ".join(f"{d} ({v:.1f} in 「{x if len(x) <= 20 else x[:19] + '…'}」)" for d, (v, x) in new.items())
        note = f"rule: sentence topics: {shown} (>= {r.sentence_topic_min_score:g}, {r.sentence_topic_dominance:.0%} of a sentence)"
        ev = out.iat[i, col["domain_evidence"]]
        out.iat[i, col["domain_evidence"]] = f"{ev} | {note}" if ev else note
    return out

"""Document prior: the document as the outermost heading of its tasks (issue 14, item 2).

A campaign plan or a one-subject summary (a funeral-customs campaign, a place-name census) is cut into
tasks whose own words are only procedure: the campaign's time frame, its stages (宣传发动阶段, 检查验收阶段),
its leading group, the problems met. Such a task holds no evidence of the subject, or only the weak
evidence of office words (领导小组, 考核), and would be ``other`` or ``administration`` although the whole
document is about one subject. Here the document's own-text evidence, summed over its tasks proper, is a
prior for those tasks:

* the document's subject is the substantive domain (not one of :data:`analysis.domains.lexicon.OFFICE_DOMAINS`) holding at least
  ``doc_prior_dominance`` of the document's own-text evidence, and at least ``doc_prior_min_score`` of it;
* a task proper whose best score is below ``doc_prior_max_score`` (no evidence, or a stray word) and whose
  primary is procedural (or none) takes the document's subject as its one domain; the rule is named in its
  evidence;
* in a document whose own-text evidence is dominated the same way by an office domain (administration or party
  building: an annual information-disclosure report, a party-building plan), a task proper with no evidence at
  all (a cut-off fragment: (四)平台建设方面。规范设) takes that domain instead of ``other``.

Front matter is left to its own rule (:func:`analysis.domains.classify.kept`); a task with substantive evidence
of its own, however weak, keeps it: the prior only fills in where the task's words say nothing of a subject.
"""

from __future__ import annotations

import pandas as pd

from analysis import tables
from analysis.domains.lexicon import OFFICE_DOMAINS, Rules

#: How :func:`analysis.domains.classify._decide` notes a task without evidence (the prior then decides instead).
NO_EVIDENCE = "no lexicon evidence -> other"
#: The primary of a task with no evidence.
FALLBACK = "other"


def document_subjects(tasks: pd.DataFrame, scores: pd.DataFrame, r: Rules) -> dict[str, tuple[str, float]]:
    """Document id -> (its subject, the subject's share of the document's own-text evidence), for the documents
    that have one: a substantive domain holding ``doc_prior_dominance`` of the own-text evidence of the document's
    tasks proper and at least ``doc_prior_min_score`` of it. ``scores``: ``task_id, domain, own``."""
    return _subjects(_dominant(tasks, scores, r), office=False)


def _dominant(tasks: pd.DataFrame, scores: pd.DataFrame, r: Rules) -> pd.DataFrame:
    """``doc, domain, own, share``: per document, the domain (if any) holding ``doc_prior_dominance`` of the own-text
    evidence of its tasks proper and at least ``doc_prior_min_score`` of it."""
    proper = tables.proper_tasks(tasks)
    if "doc_id" not in proper.columns or scores.empty:
        return pd.DataFrame(columns=["doc", "domain", "own", "share"])
    doc_of = dict(zip(proper["task_id"].tolist(), proper["doc_id"].tolist()))
    s = scores[scores["task_id"].isin(doc_of)]
    g = s.assign(doc=s["task_id"].map(doc_of)).groupby(["doc", "domain"], sort=True)["own"].sum().reset_index()
    g["share"] = g["own"] / g.groupby("doc", sort=False)["own"].transform("sum")
    return g[(g["share"] >= r.doc_prior_dominance) & (g["own"] >= r.doc_prior_min_score)]


def _subjects(g: pd.DataFrame, *, office: bool) -> dict[str, tuple[str, float]]:
    """Document id -> (subject, share) of the :func:`_dominant` rows whose domain is substantive (or, with
    ``office``, an office domain other than ``other``)."""
    kind = g["domain"].isin(OFFICE_DOMAINS) & (g["domain"] != FALLBACK) if office else ~g["domain"].isin(OFFICE_DOMAINS)
    g = g[kind]
    return {d: (dom, float(sh)) for d, dom, sh in zip(g["doc"].tolist(), g["domain"].tolist(), g["share"].tolist())}


def document_prior(tasks: pd.DataFrame, scores: pd.DataFrame, decided: pd.DataFrame, r: Rules) -> pd.DataFrame:
    """``decided`` (``task_id, domain, domains, domain_evidence``, in the order of ``tasks``) with the tasks
    proper of a one-subject document (:func:`document_subjects`) whose evidence is weak (best score below
    ``doc_prior_max_score``) and whose primary is procedural given the document's subject instead.
    ``scores``: the ranked ``task_id, domain, score, own`` of the tasks."""
    dominant = _dominant(tasks, scores, r)
    subjects = _subjects(dominant, office=False)
    offices = _subjects(dominant, office=True)  # an information-disclosure report, a party plan
    if not subjects and not offices:
        return decided
    best = scores.groupby("task_id", sort=False)["score"].max()
    proper = tables.proper_tasks(tasks)
    doc_of = dict(zip(proper["task_id"].tolist(), proper["doc_id"].tolist()))
    out = decided.copy()
    for i, (tid, primary) in enumerate(zip(out["task_id"].tolist(), out["domain"].tolist())):
        doc = doc_of.get(tid)
        if doc in offices and primary == FALLBACK and best.get(tid, 0.0) == 0.0:
            subject, share = offices[doc]  # a fragment without a word of evidence: the office work it is part of
        elif doc not in subjects or primary not in OFFICE_DOMAINS or best.get(tid, 0.0) >= r.doc_prior_max_score:
            continue
        else:
            subject, share = subjects[doc]
        note = (f"rule: document prior: {subject} holds {share:.0%} of the document's evidence (needs "
                f"{r.doc_prior_dominance:.0%}); the task's own evidence is weak (best score "
                f"{best.get(tid, 0.0):.1f} < {r.doc_prior_max_score:g}) -> {subject}")
        ev = out.iat[i, out.columns.get_loc("domain_evidence")].replace(NO_EVIDENCE, "no lexicon evidence of its own")
        out.iat[i, out.columns.get_loc("domain")] = subject
        out.iat[i, out.columns.get_loc("domains")] = subject
        out.iat[i, out.columns.get_loc("domain_evidence")] = f"{ev} | {note}" if ev else note
    return out

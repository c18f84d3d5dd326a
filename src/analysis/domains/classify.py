"""The lexicon classifier: lexicon hits per task, domain scores, the decision and its evidence (issue 3).

Every task gets a primary ``domain``, the full set of ``domains`` it substantively addresses
(``;``-separated, primary first) and the ``domain_evidence`` that decided. The classifier is
deterministic and explainable: weighted lexicon terms (``resources/domain_lexicon.csv``) are found in
the task's text and summed per domain, with the rules of ``resources/domain_rules.csv``
(:mod:`analysis.domains.lexicon`):

* hits in the unit's own title weigh ``title_weight`` times a body hit;
* the section heading, a parent heading (Yanta's item heading above its 一是 clauses, Baoji's theme
  headline above its 在……方面 passages) and a task list's 责任科室 are a weak prior (``heading_weight``);
* a clause that enumerates fields (``X、Y、Z`` whose hits span several domains: "在社会救助、养老服务、
  儿童福利……等领域服务") is a list named in passing: its hits count ``enumeration_factor`` times;
* primary = highest score (ties: the domain the task's own text names first by a term of its own, then taxonomy
  order); a secondary domain needs its own-text score (no heading prior) to reach
  ``secondary_ratio`` of the primary's and ``secondary_min_score``, the organising words left out (领导小组, 目标管理,
  考核: how the task's work is organised and rated, ``resources/domain_organising_terms.csv``; issue 14 dom16), and a
  domain whose evidence is organising words only ranks behind a substantive domain with evidence of its own
  (at least ``primary_min_score``);
* or, clause by clause (:mod:`analysis.domains.topics`), to hold most of the evidence of at least
  ``clause_topic_min_clauses`` clauses of the task's own text, the section heading being each clause's prior;
* or a joint subject: a lexicon term that names two domains at once (婚丧, 红白理事会, 移风易俗, 一老一小: the
  lexicon lists it under both) says the task is about both; the runner-up is secondary when its own-text evidence
  from terms it shares with the primary (not in an enumeration of fields) reaches ``joint_min_score``;
* front matter gets a substantive domain only when one domain dominates it, else ``other``;
* a weak procedural task of a one-subject document takes the document's subject (:mod:`analysis.domains.context`).

Profiles (primary domains per region) are :mod:`analysis.domains.profiles`.
"""

from __future__ import annotations

from collections import Counter, defaultdict, namedtuple
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from analysis import numerals, punctuation, tables, tokenization
from analysis.domains.context import FALLBACK, NO_EVIDENCE, document_prior
from analysis.domains.hits import weighted_hits
from analysis.domains.lexicon import (OFFICE_DOMAINS, Rules, codes, joint_compounds, matcher, organising_terms, rules,
                                      strongest_terms)
from analysis.domains.topics import clause_topics, sentence_candidates, sentence_topics
from analysis.segment import gc_paused

OUTPUT_COLUMNS = ("domain", "domains", "domain_evidence")
TIE_DECIMALS = 9  #: decimals to which the tie rule (:func:`tied`) compares two domain scores

#: Separator between a parent heading and the unit's own title in ``tasks.title`` (segment's format).
TITLE_PARENT_SEP = "："
#: A title that is only a clause marker (一是) carries no words of its own.
CLAUSE_MARKER_RE = numerals.CLAUSE_MARKER_TOKEN_RE
#: Sentences, for quoting the evidence.
SENTENCE_RE = punctuation.sentence_re(semicolons=True, lines=True, cells=True, keep_end=False)


# --------------------------------------------------------------------------------------------------
# Scoring: lexicon hits per task, with the part of the task they fall in
# --------------------------------------------------------------------------------------------------

#: Parts of a task that are priors (headings), not the task's own text.
PRIOR_PARTS = ("parent", "heading")
HIT_COLUMNS = ("task_id", "part", "clause", "term", "domain", "weight", "enumeration")


def task_parts(row) -> dict[str, str]:
    """The parts of a task the rules weigh differently: ``title`` (the unit's own heading), ``body``,
    ``parent`` (the heading of the item a clause belongs to) and ``heading`` (section heading and a
    task list's 责任科室); the last two are priors."""
    text = str(row.text)
    body = text[int(row.body_start) - int(row.start):] if "body_start" in row._fields else text
    title = str(getattr(row, "title", "") or "")
    parent, sep, own = title.rpartition(TITLE_PARENT_SEP)
    if not sep:
        parent, own = "", title
    if CLAUSE_MARKER_RE.match(own.strip()):
        own = ""
    section = str(getattr(row, "section", "") or "")
    heading = [section]
    parent_heading = parent if parent and parent not in section else ""  # Yanta's item heading
    at = body.find(parent, 0, len(parent) + 8) if parent else -1
    if at >= 0:
        body = body[:at] + " " + body[at + len(parent):]  # clause 1 quotes it: do not count it twice
    department = str(getattr(row, "department", "") or "")
    leader = str(getattr(row, "leader", "") or "")
    for cell in (department, leader):
        if cell:
            body = body.replace(cell, " ")
    if department:
        heading.append(department)
    if getattr(row, "is_preamble", False):
        own = ""  # front matter: its "title" is only its first line, already in the body
    elif own and own in body:
        body = body.replace(own, " ", 1)  # scored once, as title
    return {"title": own, "body": body, "parent": parent_heading,
            "heading": "\n".join(h for h in heading if h)}


#: The columns :func:`task_parts` reads.
PART_COLUMNS = ("text", "start", "body_start", "title", "section", "department", "leader", "is_preamble")


def row_tuples(frame: pd.DataFrame, columns: Sequence[str]) -> list[tuple]:
    """``frame.itertuples(index=False)`` restricted to ``columns`` (those present), built from plain lists
    (iterating string-dtype columns element by element is slow)."""
    cols = [c for c in columns if c in frame.columns]
    row = namedtuple("Row", cols, rename=True)
    return [row._make(values) for values in zip(*(frame[c].tolist() for c in cols))] if cols else \
        [row() for _ in range(len(frame))]


def all_parts(tasks: pd.DataFrame) -> list[dict[str, str]]:
    """:func:`task_parts` of every task, in the order of ``tasks``."""
    return [task_parts(row) for row in row_tuples(tasks, PART_COLUMNS)]


def score(tasks: pd.DataFrame, *, rules_: Rules | None = None) -> pd.DataFrame:
    """Every lexicon hit of every task: ``task_id, part, clause, term, domain, weight, enumeration``.

    ``weight`` is the lexicon weight times the part's multiplier; ``enumeration`` flags hits inside a
    list of fields named in passing (their weight is already multiplied by ``enumeration_factor``).
    """
    with gc_paused():
        return score_grouped(tasks, rules_ or rules(), parts=all_parts(tasks))[0]


def score_grouped(tasks: pd.DataFrame, r: Rules, *, parts: Sequence[dict[str, str]]
                   ) -> tuple[pd.DataFrame, dict[str, list[tuple]], np.ndarray, list[str]]:
    """:func:`score` from the tasks' parts; the hits grouped by task as :func:`group_hits` gives them (for
    the evidence); per hit, how often its term and domain occur in its part of its task (for
    :func:`_domain_scores`); and per task, its :func:`own_text` normalised (each part normalised
    alone: the newline between them is left as it is, and no dictionary word holds one). A text met
    twice (a section heading over many tasks) is scanned once: its hits depend on nothing else."""
    seen: dict[tuple[str, str], tuple[list[tuple], list[tuple], list[int], str]] = {}
    rows: list[tuple] = []  # the hits without their task id ...
    ids: list[str] = []  # ... which goes in its own column
    repeats: list[int] = []
    grouped: dict[str, list[tuple]] = {}
    own_norm: list[str] = []
    for tid, task in zip(tasks["task_id"].tolist(), parts):
        mine: list[tuple] = []
        norms: dict[str, str] = {}
        for part, text in task.items():
            found = seen.get((part, text))
            if found is None:
                found = seen[(part, text)] = _part_hits(text, part, r)
            rows += found[0]
            mine += found[1]
            repeats += found[2]
            norms[part] = found[3]
        own_norm.append(own_text(norms))
        if mine:
            ids += [tid] * len(mine)
            grouped.setdefault(tid, []).extend(mine)
    if not rows:
        return pd.DataFrame([], columns=list(HIT_COLUMNS)), grouped, np.zeros(0, dtype=np.int64), own_norm
    frame = pd.DataFrame(rows, columns=list(HIT_COLUMNS[1:]))
    frame.insert(0, HIT_COLUMNS[0], ids)
    return frame, grouped, np.array(repeats, dtype=np.int64), own_norm


def _part_hits(text: str, part: str, r: Rules) -> tuple[list[tuple], list[tuple], list[int], str]:
    """One part's hits: as :func:`weighted_hits` gives them, as the evidence reads them
    ``(part, term, domain, weight, enumeration)``, each hit's count of its (term, domain) in the part, and
    the normalised text."""
    norm = tokenization.normalize(text)
    hits = weighted_hits(text, part, r, norm=norm)
    n = Counter((t, d) for _, _, t, d, _, _ in hits)
    return hits, [(p, t, d, w, e) for p, _, t, d, w, e in hits], [n[(t, d)] for _, _, t, d, _, _ in hits], norm


def own_text(parts: Mapping[str, str]) -> str:
    """A task's own text (title and body, no heading priors), where the evidence sentence is looked for."""
    return "\n".join(v for p, v in parts.items() if p not in PRIOR_PARTS)


# --------------------------------------------------------------------------------------------------
# Decision: primary, secondaries, evidence
# --------------------------------------------------------------------------------------------------

def _evidence_sentence(text: str, terms: Iterable[str], *, width: int = 60, norm: str | None = None) -> str:
    """The sentence of ``text`` holding the most of ``terms`` (ties: the first), cut to ``width``
    (``norm``: ``tokenization.normalize(text)`` when the caller has it)."""
    terms = list(terms)
    best, best_n = "", 0
    for s in SENTENCE_RE.findall(tokenization.normalize(text) if norm is None else norm):
        n = sum(map(s.count, terms))
        if n > best_n:
            best, best_n = s.strip(), n
    return best if len(best) <= width else best[: width - 1] + "…"


def _describe(hits: list[tuple]) -> str:
    """``养老服务×3(title) 老年人×2 …`` for one domain's hits (part, term, weight, enumeration),
    heaviest first."""
    agg: dict[tuple[str, str], list] = {}
    for part, term, weight, enum in hits:
        tag = ("" if part == "body" else f"({part})") + ("(list)" if enum else "")
        a = agg.get((term, tag))
        if a is None:
            agg[(term, tag)] = [1, weight]
        else:
            a[0] += 1
            a[1] += weight
    ranked = sorted((-round(w, 9), key, n) for key, (n, w) in agg.items())
    return " ".join(f"{t}×{n}{tag}" if n > 1 else f"{t}{tag}" for _, (t, tag), n in ranked)


def group_hits(hits: pd.DataFrame) -> dict[str, list[tuple]]:
    """Task id -> its hits as ``(part, term, domain, weight, enumeration)``, in the order of ``hits``."""
    by: dict[str, list[tuple]] = {}
    cols = [hits[c].tolist() for c in ("part", "term", "domain", "weight", "enumeration")]
    for tid, h in zip(hits["task_id"].tolist(), zip(*cols)):
        found = by.get(tid)
        if found is None:
            by[tid] = [h]
        else:
            found.append(h)
    return by


def domain_scores(hits: pd.DataFrame, *, rules_: Rules | None = None,
                  repeats: np.ndarray | None = None) -> pd.DataFrame:
    """Evidence per task and domain: ``task_id, domain, score`` (all hits), ``own`` (hits in the task's
    own title and body, no heading prior) and ``terms`` (distinct own-text terms).

    With ``sublinear_repeats`` a term met n times in one part of a task counts (1 + ln n) / n of its
    summed weight: repetition is weaker evidence than variety. ``repeats``: per hit, how often its term
    and domain occur in its part of its task, when the caller has it (:func:`score_grouped` gives it).
    """
    return _domain_scores(hits, rules_ or rules(), repeats=repeats)


def _domain_scores(hits: pd.DataFrame, r: Rules, *, repeats: np.ndarray | None = None) -> pd.DataFrame:
    """:func:`domain_scores`; ``repeats``: per hit, how often its term and domain occur in its part of its
    task (computed here when not given)."""
    w = hits["weight"].to_numpy(dtype=float)
    if r.sublinear_repeats and len(hits):
        n = repeats if repeats is not None else \
            hits.groupby(["task_id", "part", "term", "domain"], sort=False)["weight"].transform("size").to_numpy()
        w = w * (1 + np.log(n)) / n
    own = ~hits["part"].isin(PRIOR_PARTS).to_numpy()
    g = pd.DataFrame({"task_id": hits["task_id"].to_numpy(), "domain": hits["domain"].to_numpy(), "score": w,
                      "own": np.where(own, w, 0.0), "term": hits["term"].where(own)})
    return (g.groupby(["task_id", "domain"], sort=True)
            .agg(score=("score", "sum"), own=("own", "sum"), terms=("term", "nunique")).reset_index())


def first_named(hits: pd.DataFrame) -> dict[tuple[str, str], int]:
    """(task id, domain) -> the position, among the task's hits (title first, then body, in text order), of the
    domain's first own-text hit by a term of its own (a term the lexicon lists under one domain only: 移风易俗
    names funerals and weddings alike, 婚俗 names weddings)."""
    _, table = matcher()
    if hits.empty:
        return {}
    own = ~hits["part"].isin(PRIOR_PARTS).to_numpy()
    single = hits["term"].map(lambda t: len(table.get(t, ())) == 1).to_numpy(dtype=bool)
    pos = hits.groupby("task_id", sort=False).cumcount().to_numpy()
    h = pd.DataFrame({"task_id": hits["task_id"].to_numpy()[own & single],
                      "domain": hits["domain"].to_numpy()[own & single], "pos": pos[own & single]})
    g = h.groupby(["task_id", "domain"], sort=False)["pos"].min()
    return {k: int(v) for k, v in g.items()}


def _ranked(scores: pd.DataFrame, named: Mapping[tuple[str, str], int] | None = None) -> pd.DataFrame:
    """Positive scores sorted within each task: highest first; ties: the domain its own text names first
    (:func:`first_named`, when given), then taxonomy order."""
    order = {c: i for i, c in enumerate(codes())}
    s = scores[scores["score"] > 0]
    big = np.iinfo(np.int64).max
    at = [named.get(k, big) for k in zip(s["task_id"].tolist(), s["domain"].tolist())] if named else [big] * len(s)
    s = s.assign(_key=-s["score"].round(TIE_DECIMALS), _named=np.array(at, dtype=np.int64), _order=s["domain"].map(order))
    return s.sort_values(["task_id", "_key", "_named", "_order"], kind="mergesort").drop(
        columns=["_key", "_named", "_order"])


def prepare(tasks: pd.DataFrame, hits: pd.DataFrame, r: Rules, *, repeats: np.ndarray | None = None) -> dict:
    """Ranked domain scores and the arrays the decision rules read (independent of the thresholds but
    ``primary_min_score``, which the organising-word ranking reads); ``repeats`` as for :func:`_domain_scores`."""
    s = _ranked(_domain_scores(hits, r, repeats=repeats), first_named(hits)).reset_index(drop=True)
    core = _core_scores(s, hits, r, repeats=repeats)
    # a domain whose evidence is organising words only (领导小组, 考核) ranks below the substantive domains of the
    # task's subject when one of them has evidence of its own (at least primary_min_score): the words say how the
    # work is run (party building and the other office domains are no such subject: a Party body that runs an
    # appraisal, 党组…考核, leaves the appraisal the task's subject)
    substantive = np.where(s["domain"].isin(OFFICE_DOMAINS).to_numpy(), 0.0, core["score"])
    subject = pd.Series(substantive, index=s.index).groupby(s["task_id"], sort=False).transform("max")
    behind = (core["score"] <= 0) & (subject.to_numpy() >= r.primary_min_score)
    lead = ~s["task_id"].duplicated().to_numpy()
    behind &= s["task_id"].isin(set(s["task_id"].to_numpy()[lead & behind])).to_numpy()  # only where it would lead
    behind_of = {t: d for t, d in zip(s["task_id"].to_numpy(dtype=object)[lead & behind],
                                      s["domain"].to_numpy(dtype=object)[lead & behind])}
    if behind.any():
        order = np.lexsort((behind, pd.factorize(s["task_id"], sort=False)[0]))  # stable: ranks kept otherwise
        s = s.iloc[order].reset_index(drop=True)
        core = {k: v[order] for k, v in core.items()}
    first = ~s["task_id"].duplicated().to_numpy()
    top = s["score"].where(first).ffill().to_numpy()
    share = top / s.groupby("task_id", sort=False)["score"].transform("sum").to_numpy()
    pre_ids = set(tasks.loc[tables.preamble(tasks), "task_id"])
    s = s.merge(clause_topics(hits, r), on=["task_id", "domain"], how="left", validate="one_to_one")
    s["clauses"] = s["clauses"].fillna(0).astype(np.int64)
    owning = (s["clauses"] > 0) & ~s["domain"].isin(OFFICE_DOMAINS)
    fields = s["task_id"].map(s[owning].groupby("task_id", sort=False)["domain"].nunique()).fillna(0)
    primary = dict(zip(s["task_id"].to_numpy(dtype=object)[first], s["domain"].to_numpy(dtype=object)[first]))
    joint = joint_scores(hits, primary, r)
    joint_of = np.array([joint.get(k, 0.0) for k in zip(s["task_id"].tolist(), s["domain"].tolist())], dtype=float)
    strongest = strongest_terms(hits)
    weak_only = np.array([strongest.get(k, 0.0) < 1 for k in zip(s["task_id"].tolist(), s["domain"].tolist())],
                         dtype=bool)
    return {"s": s, "first": first, "top": top, "share": share, "pre": s["task_id"].isin(pre_ids).to_numpy(),
            "weak_only": weak_only,
            "own": s["own"].to_numpy(), "terms": s["terms"].to_numpy(), "clauses": s["clauses"].to_numpy(),
            "core_own": core["own"], "core_terms": core["terms"],
            "fields": fields.to_numpy(dtype=np.int64), "owning": owning.to_numpy(),
            "joint": joint_of, "primary": primary, "behind": behind_of}


def _core_scores(s: pd.DataFrame, hits: pd.DataFrame, r: Rules, *,
                 repeats: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Per ranked row of ``s``: the domain's ``score``, own-text score (``own``) and distinct own-text ``terms``
    without the organising words (:func:`analysis.domains.lexicon.organising_terms`: 领导小组, 目标管理, 考核), which
    say how a task's work is organised and rated, not what it is about; the ranking (:func:`prepare`) and the
    secondary rule (:func:`kept`) read these."""
    org = hits["term"].isin(organising_terms()).to_numpy(dtype=bool) if len(hits) else np.zeros(0, dtype=bool)
    if not org.any():
        return {"score": s["score"].to_numpy(dtype=float), "own": s["own"].to_numpy(), "terms": s["terms"].to_numpy()}
    core = _domain_scores(hits[~org], r, repeats=None if repeats is None else repeats[~org])
    m = s[["task_id", "domain"]].merge(core[["task_id", "domain", "score", "own", "terms"]], on=["task_id", "domain"],
                                       how="left", validate="one_to_one")
    return {"score": m["score"].fillna(0.0).to_numpy(dtype=float), "own": m["own"].fillna(0.0).to_numpy(dtype=float),
            "terms": m["terms"].fillna(0).to_numpy(dtype=np.int64)}


def joint_scores(hits: pd.DataFrame, primary: Mapping[str, str], r: Rules) -> dict[tuple[str, str], float]:
    """(task id, domain) -> the domain's own-text evidence from terms the lexicon also lists under the task's
    ``primary`` domain (婚丧 under funeral and marriage), enumerations of fields left out, repeats sublinear as in
    :func:`domain_scores`: how much of the task names a joint subject of the two. Only where at least
    ``joint_min_terms`` distinct such terms occur (移风易俗 alone may be a funeral campaign's word; 一老一小 alone a
    slogan; 移风易俗 with 红白理事会 is the customs of both)."""
    _, table = matcher()
    shared = {t for t, v in table.items() if len(v) > 1}
    if hits.empty or not shared:
        return {}
    h = hits[hits["term"].isin(shared) & ~hits["part"].isin(PRIOR_PARTS) & ~hits["enumeration"].astype(bool)]
    if h.empty:
        return {}
    keep = [d != primary.get(t) and any(dd == primary.get(t) for dd, _ in table[term])
            for t, term, d in zip(h["task_id"].tolist(), h["term"].tolist(), h["domain"].tolist())]
    h = h[keep]
    if h.empty:
        return {}
    w = h["weight"].to_numpy(dtype=float)
    if r.sublinear_repeats:
        n = h.groupby(["task_id", "part", "term", "domain"], sort=False)["weight"].transform("size").to_numpy()
        w = w * (1 + np.log(n)) / n
    g = pd.DataFrame({"task_id": h["task_id"].to_numpy(), "domain": h["domain"].to_numpy(), "w": w,
                      "term": h["term"].to_numpy(), "both": h["term"].isin(joint_compounds()).to_numpy()})
    g = g.groupby(["task_id", "domain"], sort=False).agg(w=("w", "sum"), terms=("term", "nunique"), both=("both", "any"))
    g = g[(g["terms"] >= r.joint_min_terms) | g["both"]]  # 婚丧 names both by itself (joint_compounds)
    return {k: float(v) for k, v in g["w"].items()}


def kept(prep: dict, r: Rules) -> tuple[np.ndarray, np.ndarray]:
    """Which ranked (task, domain) rows are chosen, and which front-matter primaries were too weak."""
    first, top, pre, own = prep["first"], prep["top"], prep["pre"], prep["own"]
    weak_front = pre & ((top < r.preamble_min_score) | (prep["share"] < r.preamble_dominance))
    weak_primary = first & ~pre & (top < r.primary_min_score) & prep["weak_only"]
    own, terms = prep["core_own"], prep["core_terms"]  # organising words (领导小组, 考核) are no second subject
    secondary = (~first & ~pre & (own >= r.secondary_ratio * top) & (own >= r.secondary_min_score)
                 & (terms >= r.secondary_min_terms))
    return ((first & ~weak_front & ~weak_primary) | secondary | clause_topic(prep, r) | joint_subject(prep, r) | tied(prep, r),
            weak_front)


def tied(prep: dict, r: Rules) -> np.ndarray:
    """Ranked rows secondary by the tie rule (``tie_keeps_both``): not the primary nor front matter, the score equal to
    the primary's (:data:`TIE_DECIMALS`) and at least ``tie_min_score``: a tie's primary is only the one named first."""
    s = prep["s"]["score"].to_numpy(dtype=float)
    return (~prep["first"] & ~prep["pre"] & (np.round(s, TIE_DECIMALS) == np.round(prep["top"], TIE_DECIMALS))
            & (s >= r.tie_min_score) & bool(r.tie_keeps_both))


def joint_subject(prep: dict, r: Rules) -> np.ndarray:
    """Ranked rows that are secondary by the joint-subject rule: not the primary, not front matter, and the
    domain's evidence from terms it shares with the primary (:func:`joint_scores`) reaches ``joint_min_score``."""
    return ~prep["first"] & ~prep["pre"] & (prep["joint"] >= r.joint_min_score)


def clause_topic(prep: dict, r: Rules) -> np.ndarray:
    """Ranked rows that are secondary by the clause rule (:mod:`analysis.domains.topics`): not the primary,
    not front matter, and the domain owns at least ``clause_topic_min_clauses`` clauses of the task, or owns one
    in a task that reviews fields one clause each (its clauses owned by ``clause_field_min_domains`` or more
    substantive domains)."""
    return ~prep["first"] & ~prep["pre"] & ((prep["clauses"] >= r.clause_topic_min_clauses)
                                            | (prep["owning"] & (prep["fields"] >= r.clause_field_min_domains)))


def score_table(tasks: pd.DataFrame, hits: pd.DataFrame, *, rules_: Rules | None = None) -> pd.DataFrame:
    """Every task's positive domain scores, ranked: ``task_id, rank, domain, score, own, terms, clauses,
    chosen`` (``clauses``: own-text clauses the domain owns, :mod:`analysis.domains.topics`; ``chosen``: the
    domain is in the task's ``domains``)."""
    r = rules_ or rules()
    return _score_table(prepare(tasks, hits, r), r)


def _score_table(prep: dict, r: Rules) -> pd.DataFrame:
    """:func:`score_table` from :func:`prepare`'s result."""
    s = prep["s"].copy()
    s.insert(1, "rank", s.groupby("task_id", sort=False).cumcount() + 1)
    keep, _ = kept(prep, r)
    return s.assign(score=s["score"].round(6), own=s["own"].round(6), chosen=keep)


def close_calls(scores: pd.DataFrame, *, ratio: float = 0.7) -> pd.DataFrame:
    """Tasks whose runner-up domain scores at least ``ratio`` of the primary's: where a reader should
    look at the evidence. One row per task: primary, runner-up, their scores, and the ratio."""
    first = scores[scores["rank"] == 1].set_index("task_id")
    second = scores[scores["rank"] == 2].set_index("task_id")
    both = first[["domain", "score"]].join(
        second[["domain", "score", "chosen"]].add_suffix("_2"), how="inner")
    both["ratio"] = (both["score_2"] / both["score"]).round(3)
    names = {"domain": "primary", "domain_2": "runner_up", "chosen_2": "runner_up_chosen"}
    return both[both["ratio"] >= ratio].rename(columns=names).sort_values("ratio", ascending=False, kind="mergesort")


def decide(tasks: pd.DataFrame, hits: pd.DataFrame, *, rules_: Rules | None = None,
           evidence: bool = True) -> pd.DataFrame:
    """Primary domain, all domains and evidence for each task, from its hits and the rules.

    ``hits`` is the frame :func:`score` returns. Returns ``task_id, domain, domains,
    domain_evidence`` in the order of ``tasks``.
    """
    r = rules_ or rules()
    with gc_paused():
        return _decide(tasks, hits, prepare(tasks, hits, r), r,
                       parts=all_parts(tasks) if evidence else None)


def _decide(tasks: pd.DataFrame, hits: pd.DataFrame, prep: dict, r: Rules, *,
            parts: Sequence[dict[str, str]] | None, grouped: Mapping[str, list[tuple]] | None = None,
            own_norm: Sequence[str] | None = None) -> pd.DataFrame:
    """:func:`decide` from :func:`prepare`'s result; evidence strings when the tasks' ``parts`` are given
    (``grouped``: :func:`group_hits` of ``hits``, ``own_norm``: each task's :func:`own_text` normalised,
    when the caller has them already).

    Tasks with the same evidence inputs (text, hits, ranking, decision, notes) share one evidence string.
    """
    s, first, share = prep["s"], prep["first"], prep["share"]
    keep, weak_front = kept(prep, r)
    chosen: dict[str, list[str]] = {}
    for t, d in zip(s["task_id"].to_numpy(dtype=object)[keep], s["domain"].to_numpy(dtype=object)[keep]):
        chosen.setdefault(t, []).append(d)
    weak = first & weak_front
    front = dict(zip(s["task_id"].to_numpy(dtype=object)[weak],
                     zip(s["domain"].to_numpy(dtype=object)[weak], share[weak])))
    weakest = {t: round(v, 2) for t, v, w in zip(s["task_id"].to_numpy(dtype=object)[first], prep["top"][first],
                                                 prep["weak_only"][first]) if v < r.primary_min_score and w}
    by_clause = _clause_notes(prep, r)
    organised = {t: f"{d} from organising words only (领导小组, 考核) ranks behind the subject"
                 for t, d in prep.get("behind", {}).items()}
    for t, note in [*organised.items(), *_joint_notes(prep, r).items(), *_tie_notes(prep, r).items()]:
        by_clause[t] = f"{by_clause[t]}; {note}" if t in by_clause else note
    if parts is not None:
        ranked: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for t, d, v in zip(s["task_id"].tolist(), s["domain"].tolist(), s["score"].tolist()):
            ranked[t].append((d, v))
        grouped = group_hits(hits) if grouped is None else grouped
        evidence_of: dict[tuple, str] = {}
    out = []
    for k, tid in enumerate(tasks["task_id"].tolist()):
        notes = []
        if tid in chosen:
            doms = chosen[tid]
            if tid in by_clause:
                notes.append(by_clause[tid])
        else:
            doms = [FALLBACK]
            if tid in front:
                d, sh = front[tid]
                notes.append(f"front matter: {d} holds {sh:.0%} of the evidence (needs "
                             f"{r.preamble_dominance:.0%} and score >= {r.preamble_min_score:g}) -> other")
            elif tid in weakest:
                notes.append(f"only weak words (score {weakest[tid]:g} < {r.primary_min_score:g}) -> other")
            else:
                notes.append(NO_EVIDENCE)
        ev = ""
        if parts is not None:
            mine = own_text(parts[k])
            h, rk = grouped.get(tid, []), ranked.get(tid, [])
            key = (mine, tuple(h), tuple(rk), tuple(doms), tuple(notes))
            ev = evidence_of.get(key)
            if ev is None:
                ev = evidence_of[key] = _evidence_string(mine, h, rk, doms, notes, r,
                                                         norm=own_norm[k] if own_norm is not None else None)
        out.append((tid, doms[0], ";".join(doms), ev))
    maybe = sentence_candidates(hits, s.loc[keep, ["task_id", "domain"]], r)
    own = {t: own_text(p) for t, p in zip(tasks["task_id"].tolist(), parts or all_parts(tasks)) if t in maybe}
    decided = sentence_topics(pd.DataFrame(out, columns=["task_id", *OUTPUT_COLUMNS]), own, r, hits_of=weighted_hits)
    return document_prior(tasks, s, decided, r)


def _clause_notes(prep: dict, r: Rules) -> dict[str, str]:
    """Task id -> ``clause topics: elderly_care (4 clauses) …`` for the domains the clause rule adds (a domain
    added as one field of a task reviewing several: ``funeral (1 clause of 4 fields)``)."""
    s = prep["s"]
    rows = clause_topic(prep, r)
    notes: dict[str, list[str]] = {}
    by_field: set[str] = set()
    for t, d, n, f in zip(s["task_id"].to_numpy(dtype=object)[rows], s["domain"].to_numpy(dtype=object)[rows],
                          prep["clauses"][rows], prep["fields"][rows]):
        if n >= r.clause_topic_min_clauses:
            notes.setdefault(t, []).append(f"{d} ({n} clauses)")
        else:
            notes.setdefault(t, []).append(f"{d} ({n} clause{'s' if n > 1 else ''} of {f} fields)")
            by_field.add(t)
    return {t: f"clause topics: {', '.join(v)} (>= {r.clause_topic_min_clauses} clauses each"
               + (f", or a clause of >= {r.clause_field_min_domains} fields)" if t in by_field else ")")
            for t, v in notes.items()}


def _joint_notes(prep: dict, r: Rules) -> dict[str, str]:
    """Task id -> ``joint subject: marriage (2.0 from terms shared with funeral)`` for the domains the
    joint-subject rule adds."""
    s = prep["s"]
    rows = joint_subject(prep, r) & ~clause_topic(prep, r)
    primary = prep["primary"]
    notes: dict[str, list[str]] = {}
    for t, d, j in zip(s["task_id"].to_numpy(dtype=object)[rows], s["domain"].to_numpy(dtype=object)[rows],
                       prep["joint"][rows]):
        notes.setdefault(t, []).append(f"{d} ({j:.1f} from terms shared with {primary[t]})")
    return {t: f"joint subject: {', '.join(v)} (>= {r.joint_min_score:g})" for t, v in notes.items()}


def _tie_notes(prep: dict, r: Rules) -> dict[str, str]:
    """Task id -> ``tie: marriage (2.0, the primary's score)`` for the domains only the tie rule adds."""
    s = prep["s"]
    rows = tied(prep, r) & ~joint_subject(prep, r) & ~clause_topic(prep, r)
    notes: dict[str, list[str]] = {}
    for t, d, v in zip(s["task_id"].to_numpy(dtype=object)[rows], s["domain"].to_numpy(dtype=object)[rows],
                       s["score"].to_numpy(dtype=float)[rows]):
        notes.setdefault(t, []).append(f"{d} ({v:.1f}, the primary's score)")
    return {t: f"tie: {', '.join(v)}" for t, v in notes.items()}


def _evidence_string(text: str, h: list[tuple], ranked: list[tuple[str, float]], chosen: list[str],
                     notes: list[str], r: Rules, *, norm: str | None = None) -> str:
    """``domain=score: terms | … | sentence: 「…」 | rule: …`` for one task (``h``: its grouped hits)."""
    by_domain: dict[str, list[tuple]] = defaultdict(list)
    listed, lead = set(), set()
    n_listed = 0
    for p, t, d, w, e in h:
        by_domain[d].append((p, t, w, e))
        if e:
            listed.add(t)
            n_listed += 1
        elif d == chosen[0]:
            lead.add(t)
    score_of = dict(ranked)
    shown = dict.fromkeys([*(d for d in chosen if d in score_of), *(d for d, _ in ranked[:3])])
    parts = [f"{d}={score_of[d]:.1f}: {_describe(by_domain.get(d, []))}" for d in shown]
    if listed:
        listed = sorted(listed)
        notes = [*notes, f"{n_listed} hit(s) in an enumeration of fields count "
                         f"×{r.enumeration_factor:g} ({'、'.join(listed[:6])}{'…' if len(listed) > 6 else ''})"]
    sent = _evidence_sentence(text, sorted(lead), norm=norm) if lead else ""
    if sent:
        parts.append(f"sentence: 「{sent}」")
    parts += [f"rule: {n}" for n in notes]
    return " | ".join(parts)


def classify(tasks: pd.DataFrame, *, rules_: Rules | None = None) -> pd.DataFrame:
    """``task_id, domain, domains, domain_evidence`` for every task (see the module docstring)."""
    return decide(tasks, score(tasks, rules_=rules_), rules_=rules_)


def classify_tables(tasks: pd.DataFrame, *, rules_: Rules | None = None
                    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """What the ``classify`` stage writes, computed in one pass: (:func:`classify`'s frame, every
    lexicon hit as :func:`score` gives it, the ranked scores as :func:`score_table` gives them)."""
    r = rules_ or rules()
    with gc_paused():
        parts = all_parts(tasks)
        hits, grouped, repeats, own_norm = score_grouped(tasks, r, parts=parts)
        prep = prepare(tasks, hits, r, repeats=repeats)
        pred = _decide(tasks, hits, prep, r, parts=parts, grouped=grouped, own_norm=own_norm)
    return pred, hits, _score_table(prep, r)

"""Policy domains: taxonomy, a multi-label lexicon classifier, validation against hand labels (issue 3).

Every task gets a primary ``domain``, the full set of ``domains`` it substantively addresses
(``;``-separated, primary first) and the ``domain_evidence`` that decided. The classifier is
deterministic and explainable: weighted lexicon terms (``resources/domain_lexicon.csv``) are found in
the task's text and summed per domain, with the rules of ``resources/domain_rules.csv``:

* hits in the unit's own title weigh ``title_weight`` times a body hit;
* the section heading, a parent heading (Yanta's item heading above its 一是 clauses, Baoji's theme
  headline above its 在……方面 passages) and a task list's 责任科室 are a weak prior (``heading_weight``);
* a clause that enumerates fields (``X、Y、Z`` whose hits span several domains: "在社会救助、养老服务、
  儿童福利……等领域服务") is a list named in passing: its hits count ``enumeration_factor`` times;
* primary = highest score; a secondary domain needs its own-text score (no heading prior) to reach
  ``secondary_ratio`` of the primary's and ``secondary_min_score``;
* front matter gets a substantive domain only when one domain dominates it, else ``other``.

Validation (:func:`evaluate`) compares predictions with ``data/labels/domain_labels.csv``, hand-labelled
from the text of every task; :func:`tune_rules_loro` and :func:`supervised_loro` give the held-out
(leave-one-region-out) figures for anything chosen by looking at labels. Clustering lives in
:mod:`analysis.clusters`; :func:`build` runs both and adds the tables.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections import Counter, defaultdict, namedtuple
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from analysis import config, tokenize
from analysis.errors import InputError, UsageError
from analysis.segment import gc_paused

log = logging.getLogger(__name__)

TAXONOMY_FILE = "taxonomy.csv"
LEXICON_FILE = "domain_lexicon.csv"
RULES_FILE = "domain_rules.csv"
LABELS_PATH = config.DATA / "labels" / "domain_labels.csv"

TAXONOMY_COLUMNS = ("code", "name_zh", "name_en", "headline", "description", "seed_terms",
                    "cap_major_code", "cap_major_name", "cap_note")
LEXICON_COLUMNS = ("term", "domain", "weight", "notes")
LABEL_COLUMNS = ("region", "task_id", "primary", "secondary", "quote", "note")
OUTPUT_COLUMNS = ("domain", "domains", "domain_evidence")
FALLBACK = "other"

#: Clause boundaries for the enumeration rule: punctuation that ends a clause, table cell bars, newlines.
#: (No lexicon term contains one, so a term never straddles two clauses.)
CLAUSE_BOUNDARY_RE = re.compile(r"[，,；;。：:！？!?|\n]")
#: The 顿号 that separates the items of an enumeration.
ENUMERATION_SEP = "、"
#: Separator between a parent heading and the unit's own title in ``tasks.title`` (segment's format).
TITLE_PARENT_SEP = "："
#: A title that is only a clause marker (一是) carries no words of its own.
CLAUSE_MARKER_RE = re.compile(r"^[一二三四五六七八九十]+是$")
#: Sentences, for quoting the evidence.
SENTENCE_RE = re.compile(r"[^。；;！？!?\n|]+")


# --------------------------------------------------------------------------------------------------
# Parameters: taxonomy, lexicon, rules (loaded here and nowhere else)
# --------------------------------------------------------------------------------------------------

def _read_resource(name: str, columns: Sequence[str]) -> pd.DataFrame:
    path = config.resource(name)
    frame = pd.read_csv(path, keep_default_na=False, dtype=str)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)} (expected {', '.join(columns)}).")
    return frame


@lru_cache(maxsize=1)
def taxonomy() -> pd.DataFrame:
    """The 15 domains (codes fixed by issue 3): names, description, seed terms, CAP crosswalk."""
    tax = _read_resource(TAXONOMY_FILE, TAXONOMY_COLUMNS)
    tax["headline"] = tax["headline"].astype(int).astype(bool)
    return tax


def codes() -> tuple[str, ...]:
    """Domain codes in taxonomy order (the tie-break order of the classifier)."""
    return tuple(taxonomy()["code"])


def headline_codes() -> tuple[str, ...]:
    """The five headline domains of the design card."""
    tax = taxonomy()
    return tuple(tax.loc[tax["headline"], "code"])


def check_domain(code: str) -> str:
    """``code`` if it is a domain, else :class:`UsageError` naming the valid choices."""
    if code not in codes():
        raise UsageError(f"unknown domain {code!r}; choose one of: {', '.join(codes())}")
    return code


@lru_cache(maxsize=1)
def lexicon() -> pd.DataFrame:
    """Weighted terms: ``term``, ``domain``, ``weight`` (float), ``notes``. A term may serve two domains."""
    lex = _read_resource(LEXICON_FILE, LEXICON_COLUMNS)
    lex["term"] = lex["term"].map(tokenize.normalize)
    bad = sorted(set(lex["domain"]) - set(codes()))
    if bad:
        raise InputError(f"{config.resource(LEXICON_FILE)}: unknown domain(s) {', '.join(bad)}; "
                         f"valid: {', '.join(codes())}")
    lex["weight"] = lex["weight"].astype(float)
    return lex


@dataclass(frozen=True)
class Rules:
    """The classifier's decision rules; defaults come from ``resources/domain_rules.csv``."""

    title_weight: float = 2.0
    heading_weight: float = 0.5
    parent_weight: float = 1.0
    sublinear_repeats: int = 1
    enumeration_factor: float = 0.2
    enumeration_min_items: int = 3
    enumeration_min_domains: int = 3
    secondary_ratio: float = 0.35
    secondary_min_score: float = 3.0
    secondary_min_terms: int = 2
    preamble_dominance: float = 0.6
    preamble_min_score: float = 6.0


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The rules as shipped in ``resources/domain_rules.csv``."""
    frame = _read_resource(RULES_FILE, ("name", "value"))
    types = {f.name: f.type for f in fields(Rules)}
    unknown = sorted(set(frame["name"]) - set(types))
    if unknown:
        raise InputError(f"{config.resource(RULES_FILE)}: unknown rule(s) {', '.join(unknown)}; "
                         f"valid: {', '.join(types)}")
    cast = {"int": int, "float": float}
    return Rules(**{n: cast[str(types[n])](float(v)) for n, v in zip(frame["name"], frame["value"])})


def _trie_pattern(terms: Iterable[str]) -> str:
    """A regex matching the longest of ``terms`` at a position, as a character trie.

    Same matches as the plain alternation of ``terms`` longest first (at any position only one term is
    longest, and the trie's optional tails are greedy), but the engine tests one branch per character
    instead of every term.
    """
    trie: dict = {}
    for term in terms:
        node = trie
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


@lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern, dict[str, tuple[tuple[str, float], ...]]]:
    """The longest lexicon term at each position (so 社区社会组织 wins over 社区), and term -> domains."""
    lex = lexicon()
    table: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for term, domain, weight in zip(lex["term"], lex["domain"], lex["weight"]):
        table[term].append((domain, weight))
    return re.compile(_trie_pattern(table)), {t: tuple(v) for t, v in table.items()}


# --------------------------------------------------------------------------------------------------
# Scoring: lexicon hits per task, with the part of the task they fall in
# --------------------------------------------------------------------------------------------------

#: Parts of a task that are priors (headings), not the task's own text.
PRIOR_PARTS = ("parent", "heading")
HIT_COLUMNS = ("task_id", "part", "clause", "term", "domain", "weight", "enumeration")


def _hits(text: str, part: str, *, norm: str | None = None) -> list[tuple]:
    """(part, clause_no, term, domain, weight, clause_items) for each lexicon hit in ``text``.

    ``clause_no`` numbers the clauses (runs between :data:`CLAUSE_BOUNDARY_RE` marks); ``clause_items``
    is how many 、-separated items the hit's clause has (the enumeration rule is applied in :func:`score`).
    ``norm``: ``tokenize.normalize(text)`` when the caller has it.
    """
    pattern, table = _matcher()
    norm = tokenize.normalize(text) if norm is None else norm
    out = []
    bounds: list[int] | None = None
    items: dict[int, int] = {}
    for m in pattern.finditer(norm):
        if bounds is None:
            bounds = [b.start() for b in CLAUSE_BOUNDARY_RE.finditer(norm)]
        c = bisect.bisect_right(bounds, m.start())
        if c not in items:
            lo = bounds[c - 1] + 1 if c else 0
            hi = bounds[c] if c < len(bounds) else len(norm)
            items[c] = norm.count(ENUMERATION_SEP, lo, hi) + 1
        term = m.group()
        for domain, weight in table[term]:
            out.append((part, c, term, domain, weight, items[c]))
    return out


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


def _weighted_hits(text: str, part: str, r: Rules, *, norm: str | None = None) -> list[tuple]:
    """(part, clause, term, domain, weight, enumeration) for each lexicon hit in ``text``: the weight times
    the part's multiplier, and times ``enumeration_factor`` inside a list of fields named in passing
    (a clause with at least ``enumeration_min_items`` 、-items whose hits span at least
    ``enumeration_min_domains`` domains)."""
    hits = _hits(text, part, norm=norm)
    if not hits:
        return []
    mult = {"title": r.title_weight, "body": 1.0, "parent": r.parent_weight, "heading": r.heading_weight}[part]
    listing: set[int] = set()
    long_clauses = {h[1] for h in hits if h[5] >= r.enumeration_min_items}
    if long_clauses:
        spanned: dict[int, set] = defaultdict(set)
        for h in hits:
            if h[1] in long_clauses:
                spanned[h[1]].add(h[3])
        listing = {c for c, doms in spanned.items() if len(doms) >= r.enumeration_min_domains}
    factor = r.enumeration_factor
    return [(p, c, t, d, w * mult * factor, True) if c in listing else (p, c, t, d, w * mult, False)
            for p, c, t, d, w, _ in hits]


#: The columns :func:`task_parts` reads.
PART_COLUMNS = ("text", "start", "body_start", "title", "section", "department", "leader", "is_preamble")


def _rows(frame: pd.DataFrame, columns: Sequence[str]) -> list[tuple]:
    """``frame.itertuples(index=False)`` restricted to ``columns`` (those present), built from plain lists
    (iterating string-dtype columns element by element is slow)."""
    cols = [c for c in columns if c in frame.columns]
    row = namedtuple("Row", cols, rename=True)
    return [row._make(values) for values in zip(*(frame[c].tolist() for c in cols))] if cols else \
        [row() for _ in range(len(frame))]


def _all_parts(tasks: pd.DataFrame) -> list[dict[str, str]]:
    """:func:`task_parts` of every task, in the order of ``tasks``."""
    return [task_parts(row) for row in _rows(tasks, PART_COLUMNS)]


def score(tasks: pd.DataFrame, *, rules_: Rules | None = None) -> pd.DataFrame:
    """Every lexicon hit of every task: ``task_id, part, clause, term, domain, weight, enumeration``.

    ``weight`` is the lexicon weight times the part's multiplier; ``enumeration`` flags hits inside a
    list of fields named in passing (their weight is already multiplied by ``enumeration_factor``).
    """
    with gc_paused():
        return _score_grouped(tasks, rules_ or rules(), parts=_all_parts(tasks))[0]


def _score_grouped(tasks: pd.DataFrame, r: Rules, *, parts: Sequence[dict[str, str]]
                   ) -> tuple[pd.DataFrame, dict[str, list[tuple]], np.ndarray, list[str]]:
    """:func:`score` from the tasks' parts; the hits grouped by task as :func:`_group_hits` gives them (for
    the evidence); per hit, how often its term and domain occur in its part of its task (for
    :func:`_domain_scores`); and per task, its :func:`_own_text` normalised (each part normalised
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
        own_norm.append(_own_text(norms))
        if mine:
            ids += [tid] * len(mine)
            grouped.setdefault(tid, []).extend(mine)
    if not rows:
        return pd.DataFrame([], columns=list(HIT_COLUMNS)), grouped, np.zeros(0, dtype=np.int64), own_norm
    frame = pd.DataFrame(rows, columns=list(HIT_COLUMNS[1:]))
    frame.insert(0, HIT_COLUMNS[0], ids)
    return frame, grouped, np.array(repeats, dtype=np.int64), own_norm


def _part_hits(text: str, part: str, r: Rules) -> tuple[list[tuple], list[tuple], list[int], str]:
    """One part's hits: as :func:`_weighted_hits` gives them, as the evidence reads them
    ``(part, term, domain, weight, enumeration)``, each hit's count of its (term, domain) in the part, and
    the normalised text."""
    norm = tokenize.normalize(text)
    hits = _weighted_hits(text, part, r, norm=norm)
    n = Counter((t, d) for _, _, t, d, _, _ in hits)
    return hits, [(p, t, d, w, e) for p, _, t, d, w, e in hits], [n[(t, d)] for _, _, t, d, _, _ in hits], norm


def _own_text(parts: Mapping[str, str]) -> str:
    """A task's own text (title and body, no heading priors), where the evidence sentence is looked for."""
    return "\n".join(v for p, v in parts.items() if p not in PRIOR_PARTS)


# --------------------------------------------------------------------------------------------------
# Decision: primary, secondaries, evidence
# --------------------------------------------------------------------------------------------------

def _evidence_sentence(text: str, terms: Iterable[str], *, width: int = 60, norm: str | None = None) -> str:
    """The sentence of ``text`` holding the most of ``terms`` (ties: the first), cut to ``width``
    (``norm``: ``tokenize.normalize(text)`` when the caller has it)."""
    terms = list(terms)
    best, best_n = "", 0
    for s in SENTENCE_RE.findall(tokenize.normalize(text) if norm is None else norm):
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


def _group_hits(hits: pd.DataFrame) -> dict[str, list[tuple]]:
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


def domain_scores(hits: pd.DataFrame, *, rules_: Rules | None = None) -> pd.DataFrame:
    """Evidence per task and domain: ``task_id, domain, score`` (all hits), ``own`` (hits in the task's
    own title and body, no heading prior) and ``terms`` (distinct own-text terms).

    With ``sublinear_repeats`` a term met n times in one part of a task counts (1 + ln n) / n of its
    summed weight: repetition is weaker evidence than variety.
    """
    return _domain_scores(hits, rules_ or rules())


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


def _ranked(scores: pd.DataFrame) -> pd.DataFrame:
    """Positive scores sorted within each task: highest first, ties in taxonomy order."""
    order = {c: i for i, c in enumerate(codes())}
    s = scores[scores["score"] > 0]
    s = s.assign(_key=-s["score"].round(9), _order=s["domain"].map(order))
    return s.sort_values(["task_id", "_key", "_order"], kind="mergesort").drop(columns=["_key", "_order"])


def _prepare(tasks: pd.DataFrame, hits: pd.DataFrame, r: Rules, *, repeats: np.ndarray | None = None) -> dict:
    """Ranked domain scores and the arrays the decision rules read (independent of the thresholds);
    ``repeats`` as for :func:`_domain_scores`."""
    s = _ranked(_domain_scores(hits, r, repeats=repeats)).reset_index(drop=True)
    first = ~s["task_id"].duplicated().to_numpy()
    top = s["score"].where(first).ffill().to_numpy()
    share = top / s.groupby("task_id", sort=False)["score"].transform("sum").to_numpy()
    pre_ids = set(tasks.loc[tasks["is_preamble"].astype(bool), "task_id"])
    return {"s": s, "first": first, "top": top, "share": share, "pre": s["task_id"].isin(pre_ids).to_numpy(),
            "own": s["own"].to_numpy(), "terms": s["terms"].to_numpy()}


def _keep(prep: dict, r: Rules) -> tuple[np.ndarray, np.ndarray]:
    """Which ranked (task, domain) rows are chosen, and which front-matter primaries were too weak."""
    first, top, pre, own = prep["first"], prep["top"], prep["pre"], prep["own"]
    weak_front = pre & ((top < r.preamble_min_score) | (prep["share"] < r.preamble_dominance))
    secondary = (~first & ~pre & (own >= r.secondary_ratio * top) & (own >= r.secondary_min_score)
                 & (prep["terms"] >= r.secondary_min_terms))
    return (first & ~weak_front) | secondary, weak_front


def score_table(tasks: pd.DataFrame, hits: pd.DataFrame, *, rules_: Rules | None = None) -> pd.DataFrame:
    """Every task's positive domain scores, ranked: ``task_id, rank, domain, score, own, terms, chosen``
    (``chosen``: the domain is in the task's ``domains``)."""
    r = rules_ or rules()
    return _score_table(_prepare(tasks, hits, r), r)


def _score_table(prep: dict, r: Rules) -> pd.DataFrame:
    """:func:`score_table` from :func:`_prepare`'s result."""
    s = prep["s"].copy()
    s.insert(1, "rank", s.groupby("task_id", sort=False).cumcount() + 1)
    keep, _ = _keep(prep, r)
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
        return _decide(tasks, hits, _prepare(tasks, hits, r), r,
                       parts=_all_parts(tasks) if evidence else None)


def _decide(tasks: pd.DataFrame, hits: pd.DataFrame, prep: dict, r: Rules, *,
            parts: Sequence[dict[str, str]] | None, grouped: Mapping[str, list[tuple]] | None = None,
            own_norm: Sequence[str] | None = None) -> pd.DataFrame:
    """:func:`decide` from :func:`_prepare`'s result; evidence strings when the tasks' ``parts`` are given
    (``grouped``: :func:`_group_hits` of ``hits``, ``own_norm``: each task's :func:`_own_text` normalised,
    when the caller has them already).

    Tasks with the same evidence inputs (text, hits, ranking, decision, notes) share one evidence string.
    """
    s, first, share = prep["s"], prep["first"], prep["share"]
    keep, weak_front = _keep(prep, r)
    chosen: dict[str, list[str]] = {}
    for t, d in zip(s["task_id"].to_numpy(dtype=object)[keep], s["domain"].to_numpy(dtype=object)[keep]):
        chosen.setdefault(t, []).append(d)
    weak = first & weak_front
    front = dict(zip(s["task_id"].to_numpy(dtype=object)[weak],
                     zip(s["domain"].to_numpy(dtype=object)[weak], share[weak])))
    if parts is not None:
        ranked: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for t, d, v in zip(s["task_id"].tolist(), s["domain"].tolist(), s["score"].tolist()):
            ranked[t].append((d, v))
        grouped = _group_hits(hits) if grouped is None else grouped
        evidence_of: dict[tuple, str] = {}
    out = []
    for k, tid in enumerate(tasks["task_id"].tolist()):
        notes = []
        if tid in chosen:
            doms = chosen[tid]
        else:
            doms = [FALLBACK]
            if tid in front:
                d, sh = front[tid]
                notes.append(f"front matter: {d} holds {sh:.0%} of the evidence (needs "
                             f"{r.preamble_dominance:.0%} and score >= {r.preamble_min_score:g}) -> other")
            else:
                notes.append("no lexicon evidence -> other")
        ev = ""
        if parts is not None:
            own_text = _own_text(parts[k])
            h, rk = grouped.get(tid, []), ranked.get(tid, [])
            key = (own_text, tuple(h), tuple(rk), tuple(doms), tuple(notes))
            ev = evidence_of.get(key)
            if ev is None:
                ev = evidence_of[key] = _evidence_string(own_text, h, rk, doms, notes, r,
                                                         norm=own_norm[k] if own_norm is not None else None)
        out.append((tid, doms[0], ";".join(doms), ev))
    return pd.DataFrame(out, columns=["task_id", *OUTPUT_COLUMNS])


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


# --------------------------------------------------------------------------------------------------
# Hand labels and validation
# --------------------------------------------------------------------------------------------------

def _read_labels(path: Path) -> tuple[pd.DataFrame | None, str]:
    """(labels, "") or (None, what is wrong with the file) — the checks of :func:`load_labels`."""
    if not path.is_file():
        return None, f"label file not found (columns: {', '.join(LABEL_COLUMNS)})"
    try:
        lab = pd.read_csv(path, keep_default_na=False, dtype=str)
    except pd.errors.EmptyDataError:
        return None, f"empty file, not even a header (columns: {', '.join(LABEL_COLUMNS)})"
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        return None, f"not a UTF-8 CSV file ({type(exc).__name__}: {str(exc).strip().splitlines()[0][:80]})"
    missing = [c for c in LABEL_COLUMNS if c not in lab.columns]
    if missing:
        return None, f"missing column(s) {', '.join(missing)}"
    valid = set(codes())
    for row in lab.itertuples(index=False):
        for code in [row.primary, *filter(None, row.secondary.split(";"))]:
            if code not in valid:
                return None, f"{row.task_id}: unknown domain {code!r}; valid: {', '.join(codes())}"
    if lab["task_id"].duplicated().any():
        dup = lab.loc[lab["task_id"].duplicated(), "task_id"].iloc[0]
        return None, f"duplicate task_id {dup}"
    lab["labels"] = [tuple(dict.fromkeys([p, *filter(None, s.split(";"))]))
                     for p, s in zip(lab["primary"], lab["secondary"])]
    return lab, ""


def load_labels(path: Path | None = None) -> pd.DataFrame:
    """The hand-labelled set: ``region, task_id, primary, secondary, quote, note`` plus ``labels``
    (tuple: primary first, then the secondaries). Raises :class:`InputError` naming the file and the
    problem (not found, empty, not a CSV, a missing column, an unknown domain, a duplicate task id)."""
    path = Path(path or LABELS_PATH)
    lab, problem = _read_labels(path)
    if lab is None:
        raise InputError(f"{path}: {problem}.")
    return lab


def empty_labels() -> pd.DataFrame:
    """A label frame with no rows (the columns of :func:`load_labels`)."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in (*LABEL_COLUMNS, "labels")})


#: Columns of :func:`usable_labels`' warning (and of ``evaluation_warnings.csv``).
WARNING_COLUMNS = ("file", "cause", "labels", "skipped", "message")


def _first(items: Sequence[str]) -> str:
    return f" (first: {items[0]})" if items else ""


def usable_labels(tasks: pd.DataFrame | None, *, path: Path | None = None) -> tuple[pd.DataFrame, dict | None]:
    """The hand labels that still fit this build's tasks, and a warning (or None) about the rest.

    A label is scored only when the file is readable, its task id is a task of this build, of the same
    region, and its ``quote`` (when given) is still in that task's text. Everything else is skipped and
    reported in ONE warning (a dict of :data:`WARNING_COLUMNS`; its ``message`` names the file and the
    causes), never raised: the labels belong to the five seed plans and go stale when a plan is edited
    or the corpus changes.
    """
    path = Path(path or LABELS_PATH)
    shown = config.shown(path)
    lab, problem = _read_labels(path)
    if lab is None:
        cause = "not_found" if not path.is_file() else "unreadable"
        return empty_labels(), {"file": shown, "cause": cause, "labels": 0, "skipped": 0,
                                "message": f"{shown}: {problem} — domain scoring skipped; restore or fix the file"}
    n = len(lab)
    if not n:
        return empty_labels(), {"file": shown, "cause": "no_labels", "labels": 0, "skipped": 0,
                                "message": f"{shown}: a header but no labels — domain scoring skipped; "
                                           f"restore the labels"}
    if tasks is None or not len(tasks):
        text, region = {}, {}
    else:
        text = dict(zip(tasks["task_id"], tasks["text"]))
        region = dict(zip(tasks["task_id"], tasks["region"]))
    regions = set(region.values())
    absent = [r for r in dict.fromkeys(lab["region"]) if r not in regions]
    causes, parts, keep = [], [], []
    no_region, no_task, wrong_region, stale = [], [], [], []
    for row in lab.itertuples(index=False):
        if row.region not in regions:
            no_region.append(row.task_id)
        elif row.task_id not in text:
            no_task.append(row.task_id)
        elif region[row.task_id] != row.region:
            wrong_region.append(f"{row.task_id} is a {region[row.task_id]} task")
        elif row.quote and row.quote not in text[row.task_id]:
            stale.append(row.task_id)
        else:
            keep.append(True)
            continue
        keep.append(False)
    if no_region:
        causes.append("regions_not_in_build")
        parts.append(f"{len(no_region)} of {n} labels are for regions not in this build "
                     f"({', '.join(absent[:5])}{', …' if len(absent) > 5 else ''})")
    if no_task:
        causes.append("tasks_not_in_build")
        parts.append(f"{len(no_task)} of {n} labels name tasks not in this build{_first(no_task)}")
    if wrong_region:
        causes.append("region_differs")
        parts.append(f"{len(wrong_region)} of {n} labels name a task of another region{_first(wrong_region)}")
    if stale:
        causes.append("quote_not_in_task")
        parts.append(f"{len(stale)} of {n} labels quote text no longer in their task{_first(stale)}")
    usable = lab[keep].reset_index(drop=True)
    if not parts:
        return usable, None
    skipped = n - len(usable)
    todo = "relabel or rebuild the labels" if (no_task or wrong_region or stale) else \
        "expected when the corpus leaves those plans out"
    tail = "scoring skipped for them" if len(usable) else "no label left: domain validation tables written empty"
    return usable, {"file": shown, "cause": ";".join(causes), "labels": n, "skipped": skipped,
                    "message": f"{shown}: {'; '.join(parts)} — {tail}; {todo}"}


def _label_sets(frame: pd.DataFrame, column: str) -> dict[str, set[str]]:
    return {t: set(filter(None, str(v).split(";"))) if isinstance(v, str) else set(v)
            for t, v in zip(frame["task_id"], frame[column])}


def evaluate(pred: pd.DataFrame, labels: pd.DataFrame, *, method: str = "lexicon") -> pd.DataFrame:
    """Per-domain precision, recall, F1 and support (label level: primary and secondary labels),
    then ``micro``, ``macro`` (over domains with support) and ``primary_accuracy`` rows.

    ``pred`` has ``task_id``, ``domain`` and ``domains`` (``;``-separated); only labelled tasks count.
    """
    gold = dict(zip(labels["task_id"], map(set, labels["labels"])))
    gold_primary = dict(zip(labels["task_id"], labels["primary"]))
    pred = pred[pred["task_id"].isin(gold)]
    got = _label_sets(pred, "domains")
    rows = []
    tp_all = fp_all = fn_all = 0
    f1s = []
    for d in codes():
        tp = sum(1 for t in got if d in got[t] and d in gold[t])
        fp = sum(1 for t in got if d in got[t] and d not in gold[t])
        fn = sum(1 for t in got if d not in got[t] and d in gold[t])
        support = tp + fn
        p = tp / (tp + fp) if tp + fp else float("nan")
        rc = tp / support if support else float("nan")
        f1 = 2 * tp / (2 * tp + fp + fn) if (2 * tp + fp + fn) else float("nan")
        rows.append((method, d, p, rc, f1, support, tp + fp))
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        if support:
            f1s.append(f1)
    micro_p = tp_all / (tp_all + fp_all) if tp_all + fp_all else float("nan")
    micro_r = tp_all / (tp_all + fn_all) if tp_all + fn_all else float("nan")
    micro_f = 2 * tp_all / (2 * tp_all + fp_all + fn_all)
    rows.append((method, "micro", micro_p, micro_r, micro_f, tp_all + fn_all, tp_all + fp_all))
    rows.append((method, "macro", float("nan"), float("nan"), float(np.mean(f1s)), tp_all + fn_all,
                 tp_all + fp_all))
    acc = float(np.mean([gold_primary[t] == p for t, p in zip(pred["task_id"], pred["domain"])]))
    rows.append((method, "primary_accuracy", float("nan"), float("nan"), acc, len(pred), len(pred)))
    return pd.DataFrame(rows, columns=["method", "domain", "precision", "recall", "f1", "support", "n_pred"])


def confusion(pred: pd.DataFrame, labels: pd.DataFrame, *, method: str = "lexicon") -> pd.DataFrame:
    """Primary-domain confusion, long form: ``method, gold, predicted, n`` (non-zero cells)."""
    m = labels[["task_id", "primary"]].merge(pred[["task_id", "domain"]], on="task_id")
    out = (m.groupby(["primary", "domain"]).size().rename("n").reset_index()
           .rename(columns={"primary": "gold", "domain": "predicted"}))
    return out.assign(method=method)[["method", "gold", "predicted", "n"]]


def errors_table(pred: pd.DataFrame, labels: pd.DataFrame, *, method: str = "lexicon") -> pd.DataFrame:
    """Tasks where the predicted label set or primary differs from the hand label."""
    m = labels[["region", "task_id", "primary", "labels"]].merge(pred, on="task_id")
    gold = m["labels"].map(lambda t: ";".join(t))
    bad = (m["primary"] != m["domain"]) | (m["labels"].map(set) != m["domains"].map(lambda s: set(s.split(";"))))
    out = m.loc[bad, ["region", "task_id", "primary", "domain"]].assign(
        gold_domains=gold[bad], predicted_domains=m.loc[bad, "domains"], method=method)
    return out.rename(columns={"primary": "gold_primary", "domain": "predicted_primary"})[
        ["method", "region", "task_id", "gold_primary", "predicted_primary", "gold_domains", "predicted_domains"]]


def missed_headline(pred: pd.DataFrame, labels: pd.DataFrame) -> list[str]:
    """``task_id:domain`` for every hand-labelled headline domain the prediction lacks."""
    got = _label_sets(pred, "domains")
    heads = set(headline_codes())
    return [f"{t}:{d}" for t, labs in zip(labels["task_id"], labels["labels"])
            for d in labs if d in heads and d not in got.get(t, set())]


# --------------------------------------------------------------------------------------------------
# Held-out figures for what was chosen by looking at labels
# --------------------------------------------------------------------------------------------------

#: Grid for the two rules most exposed to tuning on the labels.
TUNING_GRID = {"secondary_ratio": (0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6),
               "enumeration_factor": (0.0, 0.2, 0.5, 1.0)}


def _label_counts(prep: dict, keep: np.ndarray, task_ids: Sequence[str], gold: Mapping[str, set]) -> np.ndarray:
    """Per task (in ``task_ids`` order): true positives, false positives, false negatives of the label
    set the decision ``keep`` gives (a task with nothing kept is ``other``)."""
    index = {t: i for i, t in enumerate(task_ids)}
    s = prep["s"]
    rows = s["task_id"].map(index).to_numpy()
    in_gold = prep.setdefault("_in_gold", np.array([d in gold[t] for t, d in zip(s["task_id"], s["domain"])]))
    n = len(task_ids)
    tp = np.bincount(rows[keep & in_gold], minlength=n).astype(float)
    fp = np.bincount(rows[keep & ~in_gold], minlength=n).astype(float)
    fallback = np.bincount(rows[keep], minlength=n) == 0
    other_gold = np.array([FALLBACK in gold[t] for t in task_ids])
    tp += fallback & other_gold
    fp += fallback & ~other_gold
    fn = np.array([len(gold[t]) for t in task_ids]) - tp
    return np.column_stack([tp, fp, fn])


def tune_rules_loro(tasks: pd.DataFrame, labels: pd.DataFrame, *,
                    grid: Mapping[str, Sequence[float]] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Leave one region out: choose the rules in ``grid`` on four regions (best label micro-F1, ties to
    the shipped value), predict the fifth. Returns (held-out predictions, chosen values per region)."""
    grid = grid or TUNING_GRID
    base = rules()
    gold = {t: set(v) for t, v in zip(labels["task_id"], labels["labels"])}
    tasks = tasks[tasks["task_id"].isin(gold)].reset_index(drop=True)
    task_ids = tasks["task_id"].tolist()
    regions = tasks["region"].to_numpy()
    shipped = tuple(sorted({k: getattr(base, k) for k in grid}.items()))
    counts, setting, preps = {}, {}, {}
    for vals in _product(*grid.values()):
        combo = dict(zip(grid, vals))
        r = replace(base, **combo)
        hit_key = (r.enumeration_factor, r.title_weight, r.heading_weight, r.parent_weight, r.sublinear_repeats)
        if hit_key not in preps:
            hits = score(tasks, rules_=r)
            preps[hit_key] = hits, _prepare(tasks, hits, r)
        key = tuple(sorted(combo.items()))
        counts[key] = _label_counts(preps[hit_key][1], _keep(preps[hit_key][1], r)[0], task_ids, gold)
        setting[key] = r, hit_key
    preds, chosen = [], []
    for region in sorted(set(regions)):
        train = regions != region

        def f1(key):
            tp, fp, fn = counts[key][train].sum(axis=0)
            return round(2 * tp / (2 * tp + fp + fn), 9)

        best = sorted(counts, key=lambda k: (-f1(k), k != shipped, k))[0]
        r, hit_key = setting[best]
        pred = decide(tasks, preps[hit_key][0], rules_=r, evidence=False)
        preds.append(pred[~train])
        chosen.append({"held_out": region, **dict(best), "train_f1": f1(best)})
    return pd.concat(preds, ignore_index=True), pd.DataFrame(chosen)


def sensitivity(tasks: pd.DataFrame, labels: pd.DataFrame, *, draws: int = 20, spread: float = 0.5,
                seed: int = 0) -> pd.DataFrame:
    """How much the results hang on the exact lexicon weights: each draw multiplies every lexicon
    entry's weight by its own factor from U(1 - spread, 1 + spread) (seeded), re-decides every task
    and scores it. One row per draw: ``label_micro_f1``, ``primary_accuracy``, ``primary_changed``
    (tasks whose primary differs from the shipped lexicon's), ``domains_changed``."""
    if not 0 <= spread < 1:
        raise UsageError(f"spread must be in [0, 1), got {spread!r}")
    hits = score(tasks)
    base = decide(tasks, hits, evidence=False)
    lex = lexicon()
    keys = list(zip(lex["term"], lex["domain"]))
    rng = np.random.default_rng(seed)
    pair = list(zip(hits["term"], hits["domain"]))
    rows = []
    for d in range(draws):
        factor = dict(zip(keys, rng.uniform(1 - spread, 1 + spread, len(keys))))
        h = hits.assign(weight=hits["weight"].to_numpy() * np.array([factor[k] for k in pair]))
        pred = decide(tasks, h, evidence=False)
        ev = evaluate(pred, labels).set_index("domain")["f1"]
        rows.append((d, ev["micro"], ev["primary_accuracy"], int((pred["domain"] != base["domain"]).sum()),
                     int((pred["domains"] != base["domains"]).sum())))
    return pd.DataFrame(rows, columns=["draw", "label_micro_f1", "primary_accuracy", "primary_changed",
                                       "domains_changed"])


def _product(*seqs):
    if not seqs:
        yield ()
        return
    for v in seqs[0]:
        for rest in _product(*seqs[1:]):
            yield (v, *rest)


# --------------------------------------------------------------------------------------------------
# Supervised baseline: TF-IDF + one-vs-rest logistic regression, leave one region out
# --------------------------------------------------------------------------------------------------

def supervised_loro(tasks: pd.DataFrame, labels: pd.DataFrame, *,
                    tokens: Mapping[str, list[str]] | None = None, threshold: float = 0.5,
                    C: float = 10.0) -> pd.DataFrame:
    """Held-out predictions of a TF-IDF + logistic-regression baseline, each region predicted by a
    model fitted on the other four. Primary = most probable domain; ``domains`` adds every other
    domain with probability >= ``threshold``. Domains absent from the training regions cannot be
    predicted (e.g. disability welfare, which only Shulan has)."""
    from sklearn.linear_model import LogisticRegression

    from analysis import clusters

    all_codes = codes()
    gold = {t: set(v) for t, v in zip(labels["task_id"], labels["labels"])}
    data = tasks[tasks["task_id"].isin(gold)]
    y_all = np.array([[d in gold[t] for d in all_codes] for t in data["task_id"]])
    out = []
    for region in sorted(set(data["region"])):
        in_train = (data["region"] != region).to_numpy()
        train, test = data[in_train], data[~in_train]
        vec = clusters.vectorizer(tokens=tokens)
        x_train = vec.fit_transform(clusters.documents(train, tokens=tokens))
        x_test = vec.transform(clusters.documents(test, tokens=tokens))
        prob = np.zeros((len(test), len(all_codes)))
        for j, d in enumerate(all_codes):
            y = y_all[in_train, j]
            if y.all() or not y.any():
                prob[:, j] = float(y.all())
                continue
            model = LogisticRegression(C=C, solver="liblinear", class_weight="balanced")
            prob[:, j] = model.fit(x_train, y).predict_proba(x_test)[:, 1]
        for tid, p in zip(test["task_id"], prob):
            first = int(np.argmax(p))
            chosen = [all_codes[first]] + [all_codes[j] for j in np.argsort(-p, kind="stable")
                                           if j != first and p[j] >= threshold]
            out.append((tid, all_codes[first], ";".join(chosen),
                        " ".join(f"{all_codes[j]}={p[j]:.2f}" for j in np.argsort(-p, kind="stable")[:3])))
    return pd.DataFrame(out, columns=["task_id", *OUTPUT_COLUMNS])


# --------------------------------------------------------------------------------------------------
# Profiles and the pipeline stage
# --------------------------------------------------------------------------------------------------

def profile(tasks: pd.DataFrame, *, by: str = "region", weight: str = "tasks") -> pd.DataFrame:
    """Share of each region's tasks (``weight="tasks"``) or characters (``"chars"``) per primary
    domain, front matter excluded: one row per region and domain, ``n``, ``share``."""
    if weight not in ("tasks", "chars"):
        raise UsageError(f"unknown weight {weight!r}; choose one of: tasks, chars")
    t = tasks[~tasks["is_preamble"].astype(bool)] if "is_preamble" in tasks else tasks
    vals = t["n_chars"] if weight == "chars" else pd.Series(1, index=t.index)
    g = vals.groupby([t[by], t["domain"]]).sum().rename("n").reset_index()
    g["share"] = g["n"] / g.groupby(by)["n"].transform("sum")
    return g.sort_values([by, "domain"], kind="mergesort").reset_index(drop=True)


def build(ctx) -> None:
    """Stage ``classify``: :func:`build_classification`. Validation against the hand labels and the
    clusters run in the pipeline's ``evaluate`` stage (:func:`build_validation`, ``clusters.build``)."""
    build_classification(ctx)


def build_classification(ctx) -> None:
    """Classify every task: add ``domain``, ``domains``, ``domain_evidence`` to ``ctx.tasks``, and the
    tables ``domain_hits.csv`` (every lexicon hit) and ``domain_taxonomy.csv``."""
    tasks, r = ctx.tasks, rules()
    with gc_paused():
        parts = _all_parts(tasks)
        hits, grouped, repeats, own_norm = _score_grouped(tasks, r, parts=parts)
        prep = _prepare(tasks, hits, r, repeats=repeats)
        pred = _decide(tasks, hits, prep, r, parts=parts, grouped=grouped, own_norm=own_norm)
    ctx.tasks = tasks.drop(columns=[c for c in OUTPUT_COLUMNS if c in tasks]).merge(
        pred, on="task_id", how="left", validate="one_to_one")
    if "tasks.csv" in ctx.tables:  # segment registered the frame before it had domains: replace it
        ctx.add_table("tasks.csv", ctx.tasks, sort_by=ctx.tables["tasks.csv"].sort_by)
    ctx.add_table("domain_hits.csv", hits.assign(weight=hits["weight"].round(6)),
                  sort_by=["task_id", "part", "clause", "term", "domain"])
    ctx.add_table("domain_scores.csv", _score_table(prep, r), sort_by=["task_id", "rank"])
    tax = taxonomy()
    ctx.add_table("domain_taxonomy.csv", tax.assign(headline=tax["headline"].astype(int)), sort_by=[],
                  per_document=False)  # the same in every batch of documents: kept once


#: Columns of the validation tables (written with no rows when nothing can be scored).
VALIDATION_COLUMNS = ("method", "domain", "precision", "recall", "f1", "support", "n_pred")
CONFUSION_COLUMNS = ("method", "gold", "predicted", "n")
ERRORS_COLUMNS = ("method", "region", "task_id", "gold_primary", "predicted_primary", "gold_domains",
                  "predicted_domains")
TUNING_COLUMNS = ("held_out", *sorted(TUNING_GRID), "train_f1")  # as tune_rules_loro orders them
SUPERVISED_COLUMNS = ("task_id", "domain", "domains", "probabilities")
#: Leave-one-region-out figures need labels in this many regions (one to hold out, one to fit on).
LORO_MIN_REGIONS = 2


def _empty(columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def _concat_or_empty(frames: list[pd.DataFrame], columns: Sequence[str]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else _empty(columns)


def build_validation(ctx, *, path: Path | None = None) -> list[dict]:
    """Validate the classified ``ctx.tasks`` against the hand labels:
    ``domain_validation.csv`` (per-domain P/R/F1/support, micro, macro, primary accuracy for the
    lexicon in-sample, the lexicon with LORO-tuned rules and the LORO supervised baseline),
    ``domain_confusion.csv``, ``domain_errors.csv``, ``domain_tuning.csv``, ``domain_supervised.csv``.

    Never raises on the labels: only the labels that still fit the build are scored
    (:func:`usable_labels`). A missing, unreadable or stale label file, or usable labels in fewer than
    :data:`LORO_MIN_REGIONS` regions (no held-out figures), give one logged warning each, and the
    tables are written with their columns and whatever rows could be scored. Returns the warnings
    (dicts of :data:`WARNING_COLUMNS`).
    """
    tasks = ctx.tasks
    labels, warning = usable_labels(tasks, path=path)
    warnings_ = [warning] if warning else []
    runs: dict[str, pd.DataFrame] = {}
    chosen = _empty(TUNING_COLUMNS)
    sup = _empty(("task_id", *OUTPUT_COLUMNS))
    if len(labels):
        runs["lexicon"] = tasks[["task_id", *OUTPUT_COLUMNS]]
        regions = sorted(set(labels["region"]))
        if len(regions) >= LORO_MIN_REGIONS:
            held_lex, chosen = tune_rules_loro(tasks, labels)
            sup = supervised_loro(tasks, labels, tokens=ctx.tokens or None)
            runs.update(lexicon_loro_tuned=held_lex, supervised_loro=sup)
        else:  # one line per file: added to the warning about the skipped labels, if any
            shown = config.shown(path or LABELS_PATH)
            note = (f"the usable labels cover {len(regions)} region ({', '.join(regions)}) and held-out "
                    f"scoring needs {LORO_MIN_REGIONS} — lexicon_loro_tuned and supervised_loro skipped")
            if warning:
                warning.update(cause=f"{warning['cause']};too_few_regions", message=f"{warning['message']}; {note}")
            else:
                warnings_.append({"file": shown, "cause": "too_few_regions", "labels": len(labels),
                                  "skipped": 0, "message": f"{shown}: {note}"})
    for w in warnings_:
        log.warning("%s", w["message"])
    ctx.add_table("domain_validation.csv",
                  _concat_or_empty([evaluate(p, labels, method=m) for m, p in runs.items()], VALIDATION_COLUMNS),
                  sort_by=["method"])
    ctx.add_table("domain_confusion.csv",
                  _concat_or_empty([confusion(p, labels, method=m) for m, p in runs.items()], CONFUSION_COLUMNS),
                  sort_by=["method", "gold", "predicted"])
    ctx.add_table("domain_errors.csv",
                  _concat_or_empty([errors_table(p, labels, method=m) for m, p in runs.items()], ERRORS_COLUMNS),
                  sort_by=["method", "task_id"])
    ctx.add_table("domain_tuning.csv", chosen, sort_by=["held_out"])
    ctx.add_table("domain_supervised.csv", sup.rename(columns={"domain_evidence": "probabilities"}),
                  sort_by=["task_id"])
    return warnings_


# --------------------------------------------------------------------------------------------------
# Views for the notebook (tables in, small frames and figures out)
# --------------------------------------------------------------------------------------------------

def domain_names(*, lang: str = "en") -> dict[str, str]:
    """Code -> display name in ``lang`` (``en``: the code itself, short; ``zh``: the Chinese name)."""
    tax = taxonomy()
    if lang not in ("en", "zh"):
        raise UsageError(f"unknown language {lang!r} — choose one of en, zh.")
    return dict(zip(tax["code"], tax["code"] if lang == "en" else tax["name_zh"]))


def profile_table(tasks: pd.DataFrame, *, weight: str = "tasks") -> pd.DataFrame:
    """Domains (rows, taxonomy order) × regions (columns): share of each region's tasks or characters
    whose primary domain it is, front matter excluded."""
    prof = profile(tasks, weight=weight)
    table = prof.pivot(index="domain", columns="region", values="share").fillna(0.0)
    return table.reindex([c for c in codes() if c in table.index]).round(3)


def profile_chart(tasks: pd.DataFrame, *, weight: str = "tasks", lang: str = "en"):
    """Heat map of :func:`profile_table`: what each region's plan spends its tasks on."""
    from matplotlib.figure import Figure

    from analysis import charts

    table = profile_table(tasks, weight=weight)
    names = domain_names(lang=lang)
    with charts.style():
        fig = Figure(figsize=(1.1 * len(table.columns) + 2.6, 0.32 * len(table) + 1.0), layout="constrained")
        ax = fig.subplots()
        im = ax.imshow(table.to_numpy(), cmap="Blues", vmin=0, aspect="auto")
        ax.set_xticks(range(len(table.columns)), list(table.columns))
        ax.set_yticks(range(len(table)), [names[c] for c in table.index])
        for (i, j), v in np.ndenumerate(table.to_numpy()):
            if v > 0:
                ax.text(j, i, f"{v:.0%}", ha="center", va="center", fontsize=7,
                        color="white" if v > 0.5 * table.to_numpy().max() else "black")
        fig.colorbar(im, ax=ax, shrink=0.6, label="share of tasks" if weight == "tasks" else "share of characters")
    return fig


def summary(validation: pd.DataFrame) -> pd.DataFrame:
    """One row per method: label micro-F1, macro-F1, primary accuracy (from ``domain_validation.csv``)."""
    v = pd.to_numeric(validation.set_index(["method", "domain"])["f1"], errors="coerce").unstack()
    return v[["micro", "macro", "primary_accuracy"]].rename(
        columns={"micro": "label_micro_f1", "macro": "label_macro_f1"}).round(3)


def per_domain(validation: pd.DataFrame, *, method: str = "lexicon") -> pd.DataFrame:
    """Per-domain precision, recall, F1 and support of one method, taxonomy order."""
    v = validation[(validation["method"] == method) & validation["domain"].isin(codes())]
    if v.empty:
        raise UsageError(f"unknown method {method!r}; choose one of: {', '.join(sorted(set(validation['method'])))}")
    cols = ["precision", "recall", "f1", "support", "n_pred"]
    return v.set_index("domain")[cols].apply(pd.to_numeric, errors="coerce").round(3)


def confusion_matrix(confusion_: pd.DataFrame, *, method: str = "lexicon") -> pd.DataFrame:
    """Primary-domain confusion of one method as a gold × predicted matrix (only domains that occur)."""
    c = confusion_[confusion_["method"] == method]
    m = c.pivot_table(index="gold", columns="predicted", values="n", aggfunc="sum", fill_value=0)
    order = [d for d in codes() if d in set(m.index) | set(m.columns)]
    return m.reindex(index=[d for d in order if d in m.index], columns=order, fill_value=0)

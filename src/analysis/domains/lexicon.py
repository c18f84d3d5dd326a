"""The classifier's parameters: taxonomy, weighted lexicon and decision rules, read from ``resources/``
here and nowhere else, and the character trie that finds the lexicon's terms in a text.

``taxonomy.csv`` holds the 15 domains (codes fixed by issue 3), ``domain_lexicon.csv`` the weighted
terms, ``domain_rules.csv`` the values of :class:`Rules`; each file is read once and checked (a missing
column, an unknown domain or rule is an :class:`InputError` naming the file).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Iterable, Sequence

import pandas as pd

from analysis import choices, config, tokenization
from analysis.errors import InputError

TAXONOMY_FILE = "taxonomy.csv"
LEXICON_FILE = "domain_lexicon.csv"
RULES_FILE = "domain_rules.csv"
JOINT_COMPOUNDS_FILE = "domain_joint_compounds.csv"
ORGANISING_TERMS_FILE = "domain_organising_terms.csv"

TAXONOMY_COLUMNS = ("code", "name_zh", "name_en", "headline", "description", "seed_terms",
                    "cap_major_code", "cap_major_name", "cap_note")
LEXICON_COLUMNS = ("term", "domain", "weight", "notes")
#: Domains that name how the office works rather than a subject of its own (the fallback ``other`` included):
#: never a document's subject (:mod:`analysis.domains.context`) nor a sentence topic
#: (:mod:`analysis.domains.topics`; the procedural words of a subject's sentence, 领导小组 or 考核, are no
#: second subject).
OFFICE_DOMAINS = ("administration", "party_building", "other")


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
    return choices.check(code, codes(), what="domain")


@lru_cache(maxsize=1)
def lexicon() -> pd.DataFrame:
    """Weighted terms: ``term``, ``domain``, ``weight`` (float), ``notes``. A term may serve two domains."""
    lex = _read_resource(LEXICON_FILE, LEXICON_COLUMNS)
    lex["term"] = lex["term"].map(tokenization.normalize)
    bad = sorted(set(lex["domain"]) - set(codes()))
    if bad:
        raise InputError(f"{config.resource(LEXICON_FILE)}: unknown domain(s) {', '.join(bad)}; "
                         f"valid: {', '.join(codes())}")
    lex["weight"] = lex["weight"].astype(float)
    return lex


def _lexicon_terms(name: str) -> frozenset[str]:
    """The terms of a ``term, notes`` resource that marks some lexicon terms (normalized); a term the lexicon does
    not hold is an error naming the file."""
    frame = _read_resource(name, ("term", "notes"))
    terms = frozenset(frame["term"].map(tokenization.normalize))
    unknown = sorted(terms - set(lexicon()["term"]))
    if unknown:
        raise InputError(f"{config.resource(name)}: not lexicon term(s) {', '.join(unknown)}")
    return terms


@lru_cache(maxsize=1)
def joint_compounds() -> frozenset[str]:
    """Lexicon terms that name two domains' joint subject by their own words (婚丧: weddings and funerals), so that
    one of them is enough for the joint-subject rule (``resources/domain_joint_compounds.csv``: term, notes)."""
    return _lexicon_terms(JOINT_COMPOUNDS_FILE)


@lru_cache(maxsize=1)
def organising_terms() -> frozenset[str]:
    """Lexicon terms that say how a task's work is organised and rated (领导小组, 目标管理, 考核: a leading group set
    up for it, the targets it is appraised by), not a subject of their own: they make a task's primary only where no
    substantive domain has evidence of its own (a task about the office's own appraisal), and never count toward a
    second subject (``resources/domain_organising_terms.csv``:
    term, notes; issue 14 seventeenth reading, dom16b)."""
    return _lexicon_terms(ORGANISING_TERMS_FILE)


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
    clause_min_score: float = 1.5
    clause_heading_boost: float = 0.5
    clause_topic_min_clauses: int = 3
    clause_field_min_domains: int = 4
    joint_min_score: float = 2.0
    joint_min_terms: int = 2
    tie_keeps_both: int = 1
    tie_min_score: float = 1.0
    doc_prior_dominance: float = 0.6
    doc_prior_min_score: float = 6.0
    doc_prior_max_score: float = 2.0
    sentence_topic_min_score: float = 4.0
    sentence_topic_dominance: float = 0.8
    primary_min_score: float = 1.0


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
def matcher() -> tuple[re.Pattern, dict[str, tuple[tuple[str, float], ...]]]:
    """The longest lexicon term at each position (so 社区社会组织 wins over 社区), and term -> domains."""
    lex = lexicon()
    table: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for term, domain, weight in zip(lex["term"], lex["domain"], lex["weight"]):
        table[term].append((domain, weight))
    return re.compile(_trie_pattern(table)), {t: tuple(v) for t, v in table.items()}


def domain_names(*, lang: str = "en") -> dict[str, str]:
    """Code -> display name in ``lang`` (``en``: the code itself, short; ``zh``: the Chinese name)."""
    tax = taxonomy()
    choices.check(lang, choices.LANGS, what="language")
    return dict(zip(tax["code"], tax["code"] if lang == "en" else tax["name_zh"]))


def strongest_terms(hits: pd.DataFrame) -> dict[tuple[str, str], float]:
    """(task id, domain) -> the highest lexicon weight among the domain's hits in the task, before any part
    multiplier or enumeration factor: below 1 when all its evidence is words the lexicon marks weak (绩效, 社区,
    公益, 干部: weight 0.5)."""
    _, table = matcher()
    if hits.empty:
        return {}
    raw = [dict(table[t]).get(d, 0.0) for t, d in zip(hits["term"].tolist(), hits["domain"].tolist())]
    g = pd.DataFrame({"task_id": hits["task_id"].to_numpy(), "domain": hits["domain"].to_numpy(), "raw": raw})
    return {k: float(v) for k, v in g.groupby(["task_id", "domain"], sort=False)["raw"].max().items()}

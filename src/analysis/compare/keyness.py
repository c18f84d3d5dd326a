"""Keyness (``keyness.csv``): the distinctive terms of each region against all the others, by Dunning's
log-likelihood G2, computed for every region's terms at once with numpy and scipy.

What is not a term (:func:`is_excluded`): the general and bureaucratic stopwords of the tokenizer, the
keyness list ``resources/stopwords_keyness.txt`` (connectives, numbering words, organs such as 局 / 全市 /
省政府, generic nouns of every plan), single characters (function words and fragments of jieba's cut: 新,
让, 次, 局), numbering words (一是, 第三, 二项), the corpus's own place names (each document's name,
province, prefecture and issuer, and their stems: 西安市 and 西安, from the manifest via
:func:`corpus_names`), any word shaped like a place name (two or more characters ending in 省 / 市 / 县 / 区
/ 州 / 镇 / 乡 / 街道, common nouns such as 社区 and 城市 excepted), and persons (the task lists' leaders;
words ending in 同志). Task-list cells (goal, leader, department) are never counted (:func:`region_docs`).

Significance: every term a region uses at least ``min_freq`` times is tested (G2, 1 d.f., two-sided);
``p_bh`` is the Benjamini–Hochberg adjusted p-value over those tests within the region (its false discovery
rate), ``p_bonferroni`` the Bonferroni one over the same family, and ``significant`` is ``p_bh <
KEYNESS_ALPHA`` — what the report draws.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis import numerals, resources, tokenization
from analysis.compare.vectors import proper_mask, token_counts

#: Top terms per region in keyness.csv, and the least frequency a term needs in its region.
KEYNESS_TOP = 30
KEYNESS_MIN_FREQ = 3
#: Clause markers (一是, 二是 …) are numbering, not vocabulary: kept out of keyness.
MARKER_TOKEN_RE = numerals.CLAUSE_MARKER_TOKEN_RE
#: False discovery rate of the Benjamini–Hochberg procedure: ``significant`` is ``p_bh`` below it.
KEYNESS_ALPHA = 0.05
#: Words shorter than this (single characters) are not terms.
KEYNESS_MIN_CHARS = 2
STOPWORD_FILE = "stopwords_keyness.txt"
#: Numbering words: 第三, 二项, 十条, 三年 (and the clause markers 一是 …).
NUMBERING_RE = re.compile(rf"^第?[{numerals.SECTION_CHARS}两]+[是个项条点次批年]?$")
#: A word shaped like a place name (宣州区, 吉林省, 某某街道) …
PLACE_RE = re.compile(r"^[\u3400-\u9fff]{2,}(?:[省市县区州盟旗镇乡]|街道)$")
#: … unless it ends like one of these common nouns.
NOT_PLACE_ENDINGS = ("社区", "城区", "园区", "景区", "辖区", "小区", "片区", "街区", "新区", "山区", "灾区", "老区",
                     "牧区", "林区", "矿区", "库区", "地区", "城市", "都市", "超市", "乡村", "城乡", "农村", "村镇",
                     "城镇", "乡镇", "集镇", "区县", "市县", "省市")
#: Words naming a person (a leader's honorific).
PERSON_RE = re.compile(r"同志$")
NAME_SUFFIXES = "省市县区州盟旗镇乡"
CJK_RUN_RE = re.compile(r"[\u3400-\u9fff]{2,}")
PLACE_PART_RE = re.compile(r"[\u3400-\u9fff]{2,}?[省市县区州盟旗]")
NAME_SPLIT_RE = re.compile(r"[\s、,，;；/|()（）]+")


@lru_cache(maxsize=1)
def keyness_stopwords() -> frozenset[str]:
    """The keyness stopword list (``resources/stopwords_keyness.txt``; several words to a line)."""
    return frozenset(w for line in resources.lines(STOPWORD_FILE) for w in line.split())


def _stems(name: str) -> set[str]:
    """``name`` and, for a place name, its stem: 西安市 -> {西安市, 西安}; 吉林省 -> {吉林省, 吉林}."""
    out = {name}
    if len(name) > 2 and name[-1] in NAME_SUFFIXES:
        out.add(name[:-1])
    return out


def corpus_names(metas: Iterable[Mapping], *, leaders: Iterable[str] = ()) -> frozenset[str]:
    """Place and person names of the corpus: every CJK run of each document's ``name_zh``, ``province``,
    ``prefecture`` and ``issuer`` (and their stems), and every name in the task lists' ``leaders``."""
    names: set[str] = set()
    for meta in metas:
        for key in ("name_zh", "province", "prefecture", "issuer"):
            for run in CJK_RUN_RE.findall(str(meta.get(key) or "")):
                for name in [run, *PLACE_PART_RE.findall(run)]:  # 西安市未央区民政局: 西安市, 未央区
                    names |= _stems(name)
    for value in leaders:
        names |= {n for n in NAME_SPLIT_RE.split(str(value or "")) if len(n) >= 2}
    return frozenset(names)


def is_excluded(term: str, *, names: frozenset[str] = frozenset()) -> bool:
    """True when ``term`` is not a keyness term: too short, a stopword, numbering, a place or a person."""
    if len(term) < KEYNESS_MIN_CHARS or term in names or term in keyness_stopwords():
        return True
    if MARKER_TOKEN_RE.match(term) or NUMBERING_RE.match(term) or PERSON_RE.search(term):
        return True
    return bool(PLACE_RE.match(term)) and not term.endswith(NOT_PLACE_ENDINGS)


def benjamini_hochberg(p, groups) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values of ``p``, each group (region) its own family (what
    ``scipy.stats.false_discovery_control(p, method='bh')`` returns per group)."""
    p, groups = np.asarray(p, dtype=float), np.asarray(groups)
    out = np.empty_like(p)
    for g in np.unique(groups):
        idx = np.flatnonzero(groups == g)
        order = idx[np.argsort(p[idx], kind="mergesort")]
        m = len(order)
        scaled = p[order] * m / np.arange(1, m + 1)
        out[order] = np.minimum(1.0, np.minimum.accumulate(scaled[::-1])[::-1])
    return out


def log_likelihood(a, b, c, d) -> np.ndarray:
    """Log-likelihood G2 of the 2 x 2 table [[a, b], [c - a, d - b]]: frequency ``a`` in a corpus of ``c``
    tokens against ``b`` in ``d`` tokens (Dunning 1993; all four cells, 1 degree of freedom). ``c`` and ``d``
    may be arrays too (one corpus size per entry: every region's terms at once)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    c, d = np.asarray(c, dtype=float), np.asarray(d, dtype=float)
    n = c + d
    observed = (a, b, c - a, d - b)
    expected = (c * (a + b) / n, d * (a + b) / n, c * (n - a - b) / n, d * (n - a - b) / n)
    g2 = np.zeros_like(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        for o, e in zip(observed, expected):
            g2 += np.where(o > 0, o * np.log(o / e), 0.0)
    return 2 * g2


def chi2_sf_1(x) -> np.ndarray:
    """Survival function of the chi-square distribution with 1 degree of freedom, erfc(sqrt(x / 2))
    (what ``scipy.stats.chi2.sf(x, 1)`` returns, without importing scipy.stats)."""
    x = np.asarray(x, dtype=float)
    return np.array([math.erfc(math.sqrt(max(v, 0.0) / 2)) for v in x.ravel()]).reshape(x.shape)


def keyness(docs: Mapping[str, Sequence[Sequence[str]]], *, top: int = KEYNESS_TOP,
            min_freq: int = KEYNESS_MIN_FREQ, names: Iterable[str] = (),
            alpha: float = KEYNESS_ALPHA) -> pd.DataFrame:
    """Distinctive terms of each region against all the others (``docs``: region -> token lists per task).

    Words that are not terms (:func:`is_excluded`, with the corpus's place and person ``names``) are left
    out before counting. Every term used at least ``min_freq`` times in a region is tested against the
    rest; the family of a region's tests is those terms.

    For each tested term used more often in the region (per token) than in the rest: ``freq``,
    ``freq_rest``, ``n_tasks`` (the region's tasks using it), ``per_10k`` and ``per_10k_rest`` (per 10,000
    tokens), ``statistic`` (G2, 1 d.f.), ``p_value`` (chi-square survival, :func:`chi2_sf_1`),
    ``p_bonferroni`` (times the region's tests, capped at 1), ``p_bh`` (Benjamini–Hochberg over the
    region's tests), ``significant`` (``p_bh < alpha``), ``log_ratio`` (log2 of the ratio of relative
    frequencies, 0.5 added to zero counts). Top ``top`` per region by G2.
    """
    regions = sorted(docs)
    task_lists = [toks for r in regions for toks in docs[r]]
    counts, vocab = token_counts(task_lists)  # task x term
    vocab = np.array(vocab, dtype=object)
    names = frozenset(names)
    keep = np.array([not is_excluded(t, names=names) for t in vocab], dtype=bool)
    n_tasks = np.array([len(docs[r]) for r in regions], dtype=np.int64)
    member = sp.csr_matrix((np.ones(len(task_lists)), (np.repeat(np.arange(len(regions)), n_tasks),
                                                      np.arange(len(task_lists)))),
                           shape=(len(regions), len(task_lists)))
    counts = counts[:, np.flatnonzero(keep)] if len(vocab) else counts
    vocab = vocab[keep] if len(vocab) else vocab
    own = (member @ counts).tocsr()  # region x term frequencies
    used = (member @ (counts > 0).astype(np.float64)).tocsr()  # region x term: tasks using it
    own.sort_indices()
    used.sort_indices()
    total = np.asarray(own.sum(axis=0)).ravel()
    size = np.asarray(own.sum(axis=1)).ravel()  # tokens per region
    n_all = size.sum()
    region = np.repeat(np.arange(len(regions)), np.diff(own.indptr))
    term, a = own.indices, own.data.astype(float)
    c, d = size[region], n_all - size[region]
    b = total[term] - a
    tested = np.flatnonzero((a >= min_freq) & (c > 0) & (d > 0))  # the family of each region's tests
    region, term, a, b, c, d = region[tested], term[tested], a[tested], b[tested], c[tested], d[tested]
    n_tests = np.bincount(region, minlength=len(regions))
    g2 = log_likelihood(a, b, c, d)
    p_all = chi2_sf_1(g2)
    q_all = benjamini_hochberg(p_all, region)
    with np.errstate(divide="ignore", invalid="ignore"):
        sel = np.flatnonzero(a / c > b / d)  # over-represented in the region
    region, term, a, b, c, d, g2, q = (x[sel] for x in (region, term, a, b, c, d, g2, q_all))
    stat = g2.round(4)
    # per region: highest (rounded) G2 first, ties by term (as a sort of the strings)
    term_rank = np.empty(len(vocab), dtype=np.int64)
    term_rank[sorted(range(len(vocab)), key=vocab.__getitem__)] = np.arange(len(vocab))
    order = np.lexsort((term_rank[term], -stat, region))
    first = np.searchsorted(region[order], region[order])
    rank = np.arange(len(order)) - first + 1
    order, rank = order[rank <= top], rank[rank <= top]
    region, term, a, b, c, d, g2, stat, q = (x[order] for x in (region, term, a, b, c, d, g2, stat, q))
    p = chi2_sf_1(g2)
    lr = np.log2(((np.where(a > 0, a, 0.5)) / c) / ((np.where(b > 0, b, 0.5)) / d))
    tasks_using = np.asarray(used[region, term]).ravel().astype(np.int64) if len(region) else np.zeros(0, np.int64)
    cols = ["region", "rank", "term", "freq", "freq_rest", "n_tasks", "per_10k", "per_10k_rest", "statistic",
            "p_value", "p_bonferroni", "p_bh", "significant", "log_ratio"]
    return pd.DataFrame({
        "region": np.array(regions, dtype=object)[region] if len(region) else [], "rank": rank.astype(np.int64),
        "term": vocab[term], "freq": a.astype(int), "freq_rest": b.astype(int), "n_tasks": tasks_using,
        "per_10k": (1e4 * a / c).round(2), "per_10k_rest": (1e4 * b / d).round(2), "statistic": stat,
        "p_value": p, "p_bonferroni": np.minimum(1.0, p * np.maximum(n_tests[region], 1)), "p_bh": q,
        "significant": q < alpha, "log_ratio": lr.round(4)}, columns=cols)


def region_docs(tasks: pd.DataFrame, tokens: Mapping[str, Sequence[str]], *,
                views: pd.DataFrame | None = None) -> dict[str, list[list[str]]]:
    """Region -> token lists of its tasks proper (headings in, task-list cells out)."""
    tasks = tasks[proper_mask(tasks)]
    toks = tokenization.task_tokens(tasks, tokens, drop_heading=False, views=views)
    out: dict[str, list[list[str]]] = {}
    for region, tid in zip(tasks["region"], tasks["task_id"]):
        out.setdefault(region, []).append(toks[tid])
    return out

"""Keyness (``keyness.csv``): the distinctive terms of each region against all the others, by Dunning's
log-likelihood G2, computed for every region's terms at once with numpy and scipy.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis import numerals, tokenization
from analysis.compare.vectors import proper_mask, token_counts

#: Top terms per region in keyness.csv, and the least frequency a term needs in its region.
KEYNESS_TOP = 30
KEYNESS_MIN_FREQ = 3
#: Clause markers (一是, 二是 …) are numbering, not vocabulary: kept out of keyness.
MARKER_TOKEN_RE = numerals.CLAUSE_MARKER_TOKEN_RE


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
            min_freq: int = KEYNESS_MIN_FREQ) -> pd.DataFrame:
    """Distinctive terms of each region against all the others (``docs``: region -> token lists per task).

    Clause markers (一是, 二是 …) are left out: they are numbering.

    For each term used at least ``min_freq`` times in the region and more often there (per token) than in
    the rest: ``freq``, ``freq_rest``, ``n_tasks`` (the region's tasks using it), ``per_10k`` and
    ``per_10k_rest`` (per 10,000 tokens), ``statistic`` (G2, 1 d.f.), ``p_value`` (chi-square survival,
    :func:`chi2_sf_1`),
    ``p_bonferroni`` (times the number of terms tested in that region, capped at 1), ``log_ratio`` (log2
    of the ratio of relative frequencies, 0.5 added to zero counts). Top ``top`` per region by G2.
    """
    names = sorted(docs)
    task_lists = [toks for r in names for toks in docs[r]]
    counts, vocab = token_counts(task_lists)  # task x term
    vocab = np.array(vocab, dtype=object)
    keep = np.array([not MARKER_TOKEN_RE.match(t) for t in vocab], dtype=bool)  # clause markers out
    n_tasks = np.array([len(docs[r]) for r in names], dtype=np.int64)
    member = sp.csr_matrix((np.ones(len(task_lists)), (np.repeat(np.arange(len(names)), n_tasks),
                                                      np.arange(len(task_lists)))),
                           shape=(len(names), len(task_lists)))
    counts = counts[:, np.flatnonzero(keep)] if len(vocab) else counts
    vocab = vocab[keep] if len(vocab) else vocab
    own = (member @ counts).tocsr()  # region x term frequencies
    used = (member @ (counts > 0).astype(np.float64)).tocsr()  # region x term: tasks using it
    own.sort_indices()
    used.sort_indices()
    total = np.asarray(own.sum(axis=0)).ravel()
    size = np.asarray(own.sum(axis=1)).ravel()  # tokens per region
    n_all = size.sum()
    distinct = np.diff(own.indptr)  # terms tested per region, for the Bonferroni correction
    region = np.repeat(np.arange(len(names)), distinct)
    term, a = own.indices, own.data.astype(float)
    c, d = size[region], n_all - size[region]
    b = total[term] - a
    with np.errstate(divide="ignore", invalid="ignore"):
        ok = (a >= min_freq) & (c > 0) & (d > 0) & (a / c > b / d)
    sel = np.flatnonzero(ok)
    region, term, a, b, c, d = region[sel], term[sel], a[sel], b[sel], c[sel], d[sel]
    g2 = log_likelihood(a, b, c, d)
    stat = g2.round(4)
    # per region: highest (rounded) G2 first, ties by term (as a sort of the strings)
    term_rank = np.empty(len(vocab), dtype=np.int64)
    term_rank[sorted(range(len(vocab)), key=vocab.__getitem__)] = np.arange(len(vocab))
    order = np.lexsort((term_rank[term], -stat, region))
    first = np.searchsorted(region[order], region[order])
    rank = np.arange(len(order)) - first + 1
    order, rank = order[rank <= top], rank[rank <= top]
    region, term, a, b, c, d, g2, stat = (x[order] for x in (region, term, a, b, c, d, g2, stat))
    p = chi2_sf_1(g2)
    lr = np.log2(((np.where(a > 0, a, 0.5)) / c) / ((np.where(b > 0, b, 0.5)) / d))
    tasks_using = np.asarray(used[region, term]).ravel().astype(np.int64) if len(region) else np.zeros(0, np.int64)
    cols = ["region", "rank", "term", "freq", "freq_rest", "n_tasks", "per_10k", "per_10k_rest", "statistic",
            "p_value", "p_bonferroni", "log_ratio"]
    return pd.DataFrame({
        "region": np.array(names, dtype=object)[region] if len(region) else [], "rank": rank.astype(np.int64),
        "term": vocab[term], "freq": a.astype(int), "freq_rest": b.astype(int), "n_tasks": tasks_using,
        "per_10k": (1e4 * a / c).round(2), "per_10k_rest": (1e4 * b / d).round(2), "statistic": stat,
        "p_value": p, "p_bonferroni": np.minimum(1.0, p * np.maximum(distinct[region], 1)),
        "log_ratio": lr.round(4)}, columns=cols)


def region_docs(tasks: pd.DataFrame, tokens: Mapping[str, Sequence[str]], *,
                views: pd.DataFrame | None = None) -> dict[str, list[list[str]]]:
    """Region -> token lists of its tasks proper (headings in, task-list cells out)."""
    tasks = tasks[proper_mask(tasks)]
    toks = tokenization.task_tokens(tasks, tokens, drop_heading=False, views=views)
    out: dict[str, list[list[str]]] = {}
    for region, tid in zip(tasks["region"], tasks["task_id"]):
        out.setdefault(region, []).append(toks[tid])
    return out

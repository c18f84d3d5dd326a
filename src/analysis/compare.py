"""Cross-jurisdiction comparison: similarity, task alignment, shared phrasing, keyness (issue 6).

``build(ctx)`` adds five tables (see docs/data-dictionary.md):

``similarity.csv``
    region x region similarity of the whole plans, long form (``region``, ``other_region``, ``method``,
    ``score``), two methods: ``tfidf_tokens`` (cosine of TF-IDF over the pipeline's tokens) and
    ``char_ngrams`` (cosine of TF-IDF over character 2-4-grams of the normalized text). The IDF is learnt
    over tasks, not over the five documents: a word used in a few tasks weighs more than one used in every
    task, whatever the region. Each region's vector is the sum of its tasks' term counts. Every pair up to
    ``SIMILARITY_ALL_PAIRS_MAX`` (50) regions; beyond, each region's own row and its ``SIMILARITY_TOP_K``
    (20) most similar regions per method (:func:`region_similarity`).
``alignment.csv``
    for every task, its ``k`` best-matching tasks in each other region (``rank`` 1..k, ``score`` =
    cosine), by sparse top-k nearest neighbours (:func:`align`): the task x task similarity is never
    materialised, so 100,000 tasks fit in a few hundred MB. Beyond ``MAX_REGIONS_PER_REGION`` regions,
    the best ``ALIGN_K_ANY`` matches in any region, searched among the tasks of the
    ``ALIGN_NEAREST_REGIONS`` regions most similar to the task's own (blocking: linear cost, an
    approximation whose recall :func:`alignment` reports).

Scale. The token and character n-gram counts are made once (:func:`task_counts`) for the similarity and
the alignment; the region similarity's nearest regions drive the alignment's blocking; task sharing and
keyness are computed for all tasks / regions at once with numpy and scipy. ``build`` logs each step's
time and peak memory at DEBUG level.
``shared_phrases.csv`` / ``task_sharing.csv``
    phrases used verbatim by two or more regions (:func:`shared_phrases`: maximal shared character
    n-grams plus shared quoted coinages such as “五社联动”), and for each task the share of its characters
    covered by such phrases (:func:`task_sharing`).
``keyness.csv``
    the top terms of each region against the rest (Dunning's log-likelihood G2, p-value, log ratio).

What is compared. Front matter (``is_preamble``) is left out of similarity, alignment and keyness: it
frames the whole plan (and in Baoji holds photo captions), it is not a task. It stays in the shared
phrases, where the lead paragraphs' slogans (“民政为民、民政爱民”) are exactly the diffusion one looks for;
``task_sharing.csv`` keeps ``is_preamble`` to filter on. The task-list cells that name people and offices
(``leader``, ``department``) are not text of the plan and are dropped everywhere (otherwise Xuanzhou's
leaders' names top its keyness and "养老服务科 (儿童福利科)" makes elderly-care rows look like child
welfare). Alignment also drops the section heading the first task of a section carries (``text`` before
``body_start``), so that the first item under "四、推进养老服务高质量发展" is matched on its own words.
Tokens are never recomputed: the pipeline's ``ctx.tokens`` are reused and the (few, short) heading and
cell strings are tokenized once and subtracted.
"""

from __future__ import annotations

import logging
import math
import os
import re
import time
from collections import Counter
from functools import lru_cache
from itertools import chain
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis import config, parallel, segment, tokenize
from analysis.errors import InputError, UsageError

log = logging.getLogger(__name__)

#: Region x region similarity methods.
METHODS = ("tfidf_tokens", "char_ngrams")
#: Task alignment methods: the two above, or ``combined`` (mean of the two cosines).
ALIGN_METHODS = ("tfidf_tokens", "char_ngrams", "combined")
ALIGN_METHOD = "combined"
#: Backends of :func:`align`: ``topn`` (the sparse_dot_topn package, multithreaded C++), ``scipy``
#: (chunked scipy products, dense only per batch), ``auto`` (topn when installed).
BACKENDS = ("auto", "topn", "scipy")
#: Scopes of :func:`align`: the best matches in every other group, or in any other group.
SCOPES = ("group", "any")
#: alignment.csv keeps ALIGN_K matches per other region up to this many regions; beyond it, the
#: ALIGN_K_ANY best matches in any other region (the per-region table would grow as tasks x regions).
MAX_REGIONS_PER_REGION = 12
ALIGN_K_ANY = 10
#: scope="any" with the topn backend: one product keeping k + (largest group) per row while groups are
#: at most this large, else one product per group.
ANY_SINGLE_PASS_MAX_GROUP = 500
FORMULAS_FILE = "political_formulas.txt"
LANGS = ("zh", "en")

#: Character n-gram range of the ``char_ngrams`` method.
CHAR_NGRAMS = (2, 4)
#: similarity.csv keeps every region pair up to this many regions (a heatmap's worth); beyond, each region's
#: own row and its SIMILARITY_TOP_K most similar other regions by each method (all pairs grow as regions^2).
SIMILARITY_ALL_PAIRS_MAX = 50
SIMILARITY_TOP_K = 20
#: Beyond SIMILARITY_ALL_PAIRS_MAX regions, region cosines come a block of rows at a time: at most this many
#: float64 values a block (32 MB). Columns used by at least DENSE_DF_SHARE of the regions are multiplied
#: dense (BLAS), at most MAX_DENSE_ELEMENTS values (float64: 256 MB); the rest sparse.
REGION_BLOCK_ELEMENTS = 2 ** 22
DENSE_DF_SHARE = 0.05
MAX_DENSE_ELEMENTS = 2 ** 25
#: Blocking of the alignment beyond MAX_REGIONS_PER_REGION regions: each region's tasks are compared with
#: the tasks of its ALIGN_NEAREST_REGIONS most similar regions only (cost linear in the number of regions).
ALIGN_NEAREST_REGIONS = 20
#: task_sharing lists the other regions of this many tasks at a time (bounded memory; ~700 regions a task
#: in a 1,000-plan corpus of near-copies).
SHARING_CHUNK = 2048
#: task_sharing names at most this many other regions per task (``n_regions_shared`` counts them all).
SHARED_WITH_MAX = 20
#: Pairs whose two cosines alignment.csv reports are gathered this many at a time.
PAIR_CHUNK = 20_000
#: Shared phrases: minimum length in content characters of a shared n-gram; quoted coinages may be shorter.
MIN_PHRASE_CHARS = 5
MIN_QUOTED_CHARS = 2
MAX_QUOTED_CHARS = 30
#: A shared phrase is a formula when formulas make up at least this share of its content characters.
FORMULA_SHARE = 0.5
#: Number of matches kept per task and other region in alignment.csv; top terms per region in keyness.csv.
ALIGN_K = 3
KEYNESS_TOP = 30
KEYNESS_MIN_FREQ = 3
#: ``backend="auto"`` uses sparse_dot_topn above this many rows.
TOPN_MIN_ROWS = 5000
#: Default cap on the elements of one dense similarity block in the scipy backend (float32: 64 MB).
MAX_BLOCK = 2 ** 24

#: Characters a shared phrase may contain: CJK, Latin letters, digits, and the joiners used inside
#: coinages (物质+服务, 双随机、一公开). Anything else (punctuation, quotes, spaces) ends a phrase.
PHRASE_RUN_RE = re.compile(r"[\u3400-\u9fffA-Za-z0-9+、·]+")
#: Joiners are not allowed at the edges of a phrase.
PHRASE_EDGE_CHARS = "+、·"
#: Content characters: what phrase lengths and coverage count.
CONTENT_CHAR_RE = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")
CJK_RE = re.compile(r"[\u3400-\u9fff]")
#: A quoted coinage: text in Chinese or ASCII double quotes, book-title marks or corner brackets.
QUOTED_RE = re.compile(r"[“\"《「]([^“”\"《》「」\n]{1,%d})[”\"》」]" % MAX_QUOTED_CHARS)
#: Clause markers (一是, 二是 …) are numbering, not vocabulary: kept out of keyness.
MARKER_TOKEN_RE = re.compile(r"^[一二三四五六七八九十]+是$")
#: Characters that separate words for the character n-gram analyzer.
CHAR_BREAK_RE = re.compile(r"[^\u3400-\u9fffA-Za-z0-9]+")


# --------------------------------------------------------------------------------------------------
# Parameters

@lru_cache(maxsize=1)
def formulas() -> tuple[str, ...]:
    """Generic political formulas (``resources/political_formulas.txt``), longest first."""
    path = config.resource(FORMULAS_FILE)
    if not path.is_file():
        raise InputError(f"{path}: list of political formulas not found — reinstall the package.")
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
    words = {tokenize.normalize(ln) for ln in lines if ln and not ln.startswith("#")}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


def _check(value, choices: Sequence, what: str):
    if value not in choices:
        raise UsageError(f"unknown {what} {value!r} — choose one of {', '.join(map(str, choices))}.")
    return value


# --------------------------------------------------------------------------------------------------
# What is compared: task texts and tokens without headings and task-list cells

def _proper(tasks: pd.DataFrame) -> pd.Series:
    """True for tasks proper (not front matter)."""
    if "is_preamble" not in tasks.columns:
        return pd.Series(True, index=tasks.index)
    col = tasks["is_preamble"]
    if col.dtype != bool:
        col = col.astype(str).str.strip().str.lower().isin(("true", "1", "yes"))
    return ~col


#: Normalized texts kept: every task of a 1,000-plan corpus (~30,000), so that the stage normalizes each
#: text once (n-grams, shared phrases and task sharing all read it).
NORMALIZE_CACHE = 1 << 16


@lru_cache(maxsize=NORMALIZE_CACHE)
def _normalize(text: str) -> str:
    return tokenize.normalize(text)


def char_text(text: str) -> str:
    """Text for the character n-gram analyzer: normalized, punctuation and spaces turned into one space."""
    return CHAR_BREAK_RE.sub(" ", _normalize(text)).strip()


# --------------------------------------------------------------------------------------------------
# Vectors: term counts and TF-IDF in plain numpy / scipy (the stage must cost little next to jieba)

def _identity(tokens):
    """Analyzer for pre-tokenized input (module level, so vectorizers pickle)."""
    return tokens


def token_vectorizer(*, min_df=1, max_df=1.0, sublinear_tf: bool = True):
    """A scikit-learn TF-IDF vectorizer over pre-tokenized documents (for users; the stage uses
    :func:`token_counts` and :func:`tfidf`, which give the same weights without the overhead)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer=_identity, lowercase=False, min_df=min_df, max_df=max_df,
                           sublinear_tf=sublinear_tf, norm="l2", dtype=np.float32)


def token_counts(docs: Sequence[Sequence[str]]) -> tuple[sp.csr_matrix, list[str]]:
    """Document x term count matrix of token lists, and the terms (in order of first use).

    The terms are numbered by :func:`pandas.factorize` (a C hash table, in order of first use: the
    same numbering as a ``dict.setdefault`` loop, several times faster on a million tokens)."""
    flat = np.fromiter(chain.from_iterable(docs), dtype=object)
    codes, vocab = pd.factorize(flat) if len(flat) else (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object))
    indptr = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum([len(d) for d in docs], out=indptr[1:])
    counts = sp.csr_matrix((np.ones(len(codes), dtype=np.float32), codes.astype(np.int64), indptr),
                           shape=(len(docs), max(len(vocab), 1)))
    counts.sum_duplicates()
    return counts, list(vocab)


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


def _is_cjk_or_alnum(cp: np.ndarray) -> np.ndarray:
    return (((cp >= 0x3400) & (cp <= 0x9FFF)) | ((cp >= 0x30) & (cp <= 0x39))
            | ((cp >= 0x41) & (cp <= 0x5A)) | ((cp >= 0x61) & (cp <= 0x7A)))


#: Odd 64-bit multiplier of the polynomial n-gram hash (wraps around modulo 2^64).
HASH_BASE = np.uint64(0x9E3779B97F4A7C15)


def char_counts(texts: Sequence[str], *, ngram_range: tuple[int, int] = CHAR_NGRAMS) -> sp.csr_matrix:
    """Document x character-n-gram count matrix, n-grams inside runs of CJK / letters / digits.

    Vectorised: every n-gram is a 64-bit polynomial hash of its code points (collisions are
    astronomically unlikely at corpus scale: ~n^2 / 2^65). Texts are :func:`char_text`-normalised first.
    """
    return char_counts_shared([texts], ngram_range=ngram_range)[0]


def char_counts_shared(parts: Sequence[Sequence[str]], *, ngram_range: tuple[int, int] = CHAR_NGRAMS
                       ) -> list[sp.csr_matrix]:
    """:func:`char_counts` of several lists of texts in one pass, in one column space (the n-grams of
    all parts, ordered by hash as :func:`char_counts` orders them).

    The stage counts task headings and bodies once: the alignment reads the bodies, the similarity
    heading + body (the sum of the two matrices, since n-grams never cross the line break between
    them). A column no text of a part uses is empty in that part; TF-IDF and cosines are unchanged by
    empty columns, and the columns keep their relative order, so every product sums in the same order.
    """
    lo, hi = ngram_range
    if not 1 <= lo <= hi:
        raise UsageError(f"ngram_range must be (lo, hi) with 1 <= lo <= hi, not {ngram_range!r}.")
    sizes = [len(part) for part in parts]
    # each distinct string once (a section's heading heads all its tasks; plans copy tasks), rows copied
    row_of, distinct = pd.factorize(pd.Series([t for part in parts for t in part], dtype=object),
                                    use_na_sentinel=False)
    texts = [char_text(t) for t in distinct]
    joined = "\x00".join(texts) + "\x00"
    cp = _codepoints(joined)
    ok = _is_cjk_or_alnum(cp)
    doc = (np.cumsum(cp == 0) - (cp == 0)).astype(np.int32)  # document index of each position
    rows, keys = [], []
    with np.errstate(over="ignore"):
        h = np.zeros(len(cp), dtype=np.uint64)
        valid = np.ones(len(cp), dtype=bool)
        for n in range(1, hi + 1):
            m = len(cp) - n + 1
            h = h[:m] * HASH_BASE + cp[n - 1:]
            valid = valid[:m] & ok[n - 1:]
            if n >= lo:
                pos = np.flatnonzero(valid)
                rows.append(doc[pos])
                keys.append(h[pos] ^ np.uint64(n))
    del h, valid, cp, ok, doc
    rows = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int32)
    keys = np.concatenate(keys) if keys else np.zeros(0, dtype=np.uint64)
    cols = _sorted_codes(keys)
    del keys
    n_cols = int(cols.max()) + 1 if len(cols) else 1
    counts = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(texts), n_cols))
    counts.sum_duplicates()
    counts = counts[row_of]
    bounds = np.cumsum([0] + sizes)
    return [counts[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def _sorted_codes(keys: np.ndarray) -> np.ndarray:
    """``np.unique(keys, return_inverse=True)[1]`` by a hash table and a sort of the distinct keys only
    (the same codes, ~3x faster on millions of n-grams)."""
    codes, uniq = pd.factorize(keys)
    rank = np.empty(len(uniq), dtype=np.int32 if len(uniq) < 2 ** 31 else np.int64)
    rank[np.argsort(uniq, kind="stable")] = np.arange(len(uniq))
    return rank[codes]


def tfidf(counts, *, sublinear_tf: bool = True, idf: np.ndarray | None = None,
          dtype=np.float32) -> sp.csr_matrix:
    """TF-IDF of a count matrix as scikit-learn computes it (smooth idf, optional 1 + log tf), rows
    L2-normalised (float32 by default). ``idf`` may be given (e.g. learnt on tasks, applied to regions)."""
    X = sp.csr_matrix(counts, dtype=dtype, copy=True)
    if sublinear_tf:
        np.log(X.data, out=X.data)
        X.data += 1
    if idf is None:
        idf = inverse_df(counts)
    X = X @ sp.diags(idf.astype(dtype))
    return _l2(X, dtype=dtype)


def inverse_df(counts) -> np.ndarray:
    """Smooth inverse document frequency, ln((1 + n) / (1 + df)) + 1, of a count matrix's columns."""
    counts = sp.csr_matrix(counts)
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    return np.log((1 + counts.shape[0]) / (1 + df)) + 1


def _l2(matrix, *, dtype=np.float32) -> sp.csr_matrix:
    X = sp.csr_matrix(matrix, dtype=dtype)
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1), dtype=np.float64).ravel())
    norms[norms == 0] = 1
    return sp.csr_matrix(sp.diags((1 / norms).astype(dtype)) @ X)


def combine(*matrices) -> sp.csr_matrix:
    """Rows whose dot product is the mean of the inputs' cosines: L2 rows, scaled, side by side."""
    if not matrices:
        raise UsageError("combine() needs at least one matrix.")
    w = np.float32(1.0 / np.sqrt(len(matrices)))
    return sp.csr_matrix(sp.hstack([_l2(m) * w for m in matrices], format="csr"), dtype=np.float32)


def task_counts(tasks: pd.DataFrame, tokens: Mapping[str, Sequence[str]], *,
                views: pd.DataFrame | None = None) -> dict[str, sp.csr_matrix]:
    """Count matrices of the tasks proper (front matter out, in order), computed once for the stage.

    ``tfidf_tokens`` / ``char_ngrams``: the whole task (heading in, task-list cells out), what the
    similarity compares; ``tfidf_tokens_body`` / ``char_ngrams_body``: without the section heading, what
    the alignment compares. Headings and bodies are n-grammed in one pass (:func:`char_counts_shared`).
    """
    tasks = tasks[_proper(tasks)]
    views = segment.task_views(tasks) if views is None else views.loc[tasks.index]
    ids = tasks["task_id"].tolist()
    full = tokenize.task_tokens(tasks, tokens, drop_heading=False, views=views)
    # drop_heading=True removes the cells' and the heading's tokens at once; removing the heading's from
    # what is left is the same (first occurrences go either way), and only tasks with a heading change
    body = {t: tokenize.without(full[t], tokenize.string_tokens(h)) if h.strip() else full[t]
            for t, h in zip(ids, views["heading"])}
    heading_chars, body_chars = char_counts_shared([views["heading"].tolist(), views["body"].tolist()])
    full_chars = heading_chars + body_chars
    full_chars.sum_duplicates()
    return {"tfidf_tokens": token_counts([full[t] for t in ids])[0], "char_ngrams": full_chars,
            "tfidf_tokens_body": token_counts([body[t] for t in ids])[0], "char_ngrams_body": body_chars}


def _region_vectors(counts: sp.csr_matrix, groups: np.ndarray, regions: list[str]) -> sp.csr_matrix:
    """Region vectors: summed task counts x IDF learnt over tasks (smooth, as scikit-learn), L2 rows."""
    n = counts.shape[0]
    member = sp.csr_matrix((np.ones(n, dtype=np.float32), (np.searchsorted(regions, groups), np.arange(n))),
                           shape=(len(regions), n))
    return tfidf(member @ counts, sublinear_tf=False, idf=inverse_df(counts), dtype=np.float64)


def _region_cosine(counts: sp.csr_matrix, groups: np.ndarray, regions: list[str]) -> np.ndarray:
    """All region x region cosines (few regions: one sparse product)."""
    vec = _region_vectors(counts, groups, regions)
    return np.asarray((vec @ vec.T).todense(), dtype=float)


def _cosine_blocks(vec: sp.csr_matrix, *, block_elements: int = REGION_BLOCK_ELEMENTS):
    """Yield ``(lo, hi, block)``: the cosines of regions lo..hi-1 with every region, ``block`` a dense
    (hi - lo) x regions array of at most ``block_elements`` elements.

    Region vectors share most of their frequent terms (at 1,000 regions a sparse product would do
    ~2 x 10^9 multiply-adds through scipy's hash-free but scalar kernel, ~8 s): the columns used by at
    least :data:`DENSE_DF_SHARE` of the regions (at most :data:`MAX_DENSE_ELEMENTS` values) are
    multiplied as a dense array by BLAS, the others as a sparse product. Same cosines up to float64
    rounding (the terms are summed in another order).
    """
    n = vec.shape[0]
    df = np.bincount(vec.indices, minlength=vec.shape[1])
    budget = max(0, MAX_DENSE_ELEMENTS // max(n, 1))
    by_df = np.argsort(-df, kind="stable")[:budget]
    dense_cols = np.sort(by_df[df[by_df] >= max(2, DENSE_DF_SHARE * n)])
    is_dense = np.zeros(vec.shape[1], dtype=bool)
    is_dense[dense_cols] = True
    dense = vec[:, dense_cols].toarray()
    rest = vec[:, np.flatnonzero(~is_dense)].tocsr()
    del vec  # the caller hands its vectors over (see region_similarity): freed while the blocks run
    rest_t = rest.T.tocsr()
    step = max(1, block_elements // max(n, 1))
    for lo in range(0, n, step):
        hi = min(n, lo + step)
        block = (rest[lo:hi] @ rest_t).toarray()
        block += dense[lo:hi] @ dense.T
        yield lo, hi, block


def _ranked_others(block: np.ndarray, lo: int, k: int) -> np.ndarray:
    """Column indices of the ``k`` largest entries of each row but the row's own region (column lo + i),
    best first, ties broken by the lower index (a stable sort)."""
    block = block.copy()
    rows = np.arange(block.shape[0])
    block[rows, lo + rows] = -np.inf
    return np.argsort(-block, axis=1, kind="stable")[:, :min(k, block.shape[1] - 1)]


def region_similarity(counts: Mapping[str, sp.csr_matrix], groups: Sequence, *,
                      methods: Sequence[str] = METHODS, all_pairs_max: int = SIMILARITY_ALL_PAIRS_MAX,
                      top_k: int = SIMILARITY_TOP_K, nearest: int = ALIGN_NEAREST_REGIONS
                      ) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """The similarity table and each region's ``nearest`` most similar other regions.

    ``counts`` maps each method to a task x term count matrix (rows in the order of ``groups``, the
    tasks' regions). Up to ``all_pairs_max`` regions the table has every pair (one row per region,
    other region and method). Beyond, it keeps for each region its own row (score 1) and its ``top_k``
    most similar other regions by each method: all pairs would grow as regions^2 (2,000,000 rows at
    1,000 regions) and no reader or chart looks past a region's nearest plans. The cosines are computed
    a block of regions at a time (:func:`_cosine_blocks`), never as a regions x regions array.

    The nearest regions (by the mean of the methods' cosines, ties by region order) are what
    :func:`alignment` searches beyond :data:`MAX_REGIONS_PER_REGION` regions.
    """
    for m in methods:
        _check(m, METHODS, "similarity method")
    groups = np.asarray(groups)
    regions = sorted(set(groups.tolist()))
    names = np.array(regions, dtype=object)
    n = len(regions)
    frames, near = [], {}
    if n <= all_pairs_max:
        cos = {m: _region_cosine(counts[m], groups, regions) for m in methods}
        a, b = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
        for method in methods:
            frames.append(pd.DataFrame({"region": names[a.ravel()], "other_region": names[b.ravel()],
                                        "method": method, "score": cos[method].ravel().round(6)}))
        mean = sum(cos.values()) / max(len(cos), 1)
        order = _ranked_others(mean, 0, nearest) if n > 1 else np.zeros((n, 0), dtype=np.int64)
    else:
        blocks_of = [_cosine_blocks(_region_vectors(counts[m], groups, regions)) for m in methods]
        parts: dict[str, list] = {m: [] for m in methods}
        orders = []
        for (lo, hi, *blocks) in _zip_blocks(blocks_of):
            rows = np.arange(lo, hi)
            for method, block in zip(methods, blocks):
                top = _ranked_others(block, lo, top_k)
                cols = np.concatenate([rows[:, None], top], axis=1)  # own row first
                parts[method].append((np.repeat(rows, cols.shape[1]), cols.ravel(),
                                      np.take_along_axis(block, cols, axis=1).ravel()))
            orders.append(_ranked_others(sum(blocks) / len(blocks), lo, nearest))
        for method in methods:
            r, c, v = (np.concatenate(x) for x in zip(*parts[method]))
            frames.append(pd.DataFrame({"region": names[r], "other_region": names[c], "method": method,
                                        "score": v.round(6)}))
        order = np.concatenate(orders)
    for i, region in enumerate(regions):
        near[region] = names[order[i]].tolist()
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["region", "other_region", "method", "score"])
    return frame, near


def _zip_blocks(generators):
    """Blocks of several :func:`_cosine_blocks` generators side by side: ``(lo, hi, block1, block2 …)``."""
    for items in zip(*generators):
        yield (items[0][0], items[0][1], *(blk for _, _, blk in items))


def similarity(tasks: pd.DataFrame, tokens: Mapping[str, Sequence[str]], *,
               methods: Sequence[str] = METHODS, views: pd.DataFrame | None = None,
               counts: Mapping[str, sp.csr_matrix] | None = None) -> pd.DataFrame:
    """Region x region cosine similarity, long form: ``region``, ``other_region``, ``method``, ``score``.

    Tasks proper only (front matter out); task-list cells out; headings in (they are the plan's text).
    Every pair up to :data:`SIMILARITY_ALL_PAIRS_MAX` regions, else each region's
    :data:`SIMILARITY_TOP_K` nearest (see :func:`region_similarity`). ``counts`` (from
    :func:`task_counts`) saves recounting.
    """
    for m in methods:
        _check(m, METHODS, "similarity method")
    counts = task_counts(tasks, tokens, views=views) if counts is None else counts
    groups = tasks.loc[_proper(tasks), "region"].to_numpy()
    return region_similarity(counts, groups, methods=methods)[0]


# --------------------------------------------------------------------------------------------------
# Task alignment: sparse top-k nearest neighbours in each other group

def _topn_available() -> bool:
    try:
        import sparse_dot_topn  # noqa: F401
    except ImportError:
        return False
    return True


def _as_matrix(data) -> sp.csr_matrix:
    if sp.issparse(data):
        return _l2(data)
    if isinstance(data, np.ndarray):
        raise UsageError("align() takes a sparse matrix, token lists or strings — not a dense array.")
    data = list(data)
    if data and isinstance(data[0], str):
        data = [tokenize.tokens(t) for t in data]
    return tfidf(token_counts(data)[0])


def _top_k_block(block: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Column indices and values of the ``k`` largest entries of each row, best first (ties: lower index)."""
    kk = min(k, block.shape[1])
    if kk == 1:
        idx = block.argmax(axis=1)[:, None]
        return idx, np.take_along_axis(block, idx, axis=1)
    if kk < block.shape[1]:
        idx = np.argpartition(-block, kk - 1, axis=1)[:, :kk]
    else:
        idx = np.broadcast_to(np.arange(kk), (block.shape[0], kk))
    val = np.take_along_axis(block, idx, axis=1)
    order = np.lexsort((idx, -val), axis=1)
    return np.take_along_axis(idx, order, 1), np.take_along_axis(val, order, 1)


def align(data, groups: Sequence, *, k: int = 1, scope: str = "group", batch: int | None = None,
          max_block: int = MAX_BLOCK, backend: str = "auto", n_threads: int | None = None,
          min_score: float = 0.0, neighbours: Mapping | None = None, workers: int = 1) -> pd.DataFrame:
    """Sparse top-k nearest neighbours across groups, for every row; never all pairs at once.

    ``data`` is a sparse matrix (rows are L2-normalised here, so scores are cosines), a list of token
    lists (TF-IDF over them) or a list of strings (tokenized with :func:`tokenize.tokens`). ``groups``
    gives each row's group (e.g. its region). ``scope="group"``: the ``k`` best rows in *every* other
    group (n x (groups - 1) x k results: for a handful of regions); ``scope="any"``: the ``k`` best rows
    of any other group (n x k results: for hundreds of regions). Returns one row per match: ``query``,
    ``other_group``, ``match`` (row positions), ``score``, ``rank`` (1 = best, per query and other group,
    or per query with ``scope="any"``), sorted. Matches with ``score <= min_score`` are dropped (a zero
    score is no match at all). Ties are broken by the lower row position.

    Memory: the ``topn`` backend multiplies one group's rows at a time with a C++ kernel that keeps only
    the top ``k`` per row; the ``scipy`` backend takes ``batch`` rows at a time (by default as many as keep
    a batch x n block under ``max_block`` elements) and keeps the top ``k`` of each block. Neither ever
    holds an n x n array; peak memory is O(nnz + results + max_block). Time is that of the sparse product,
    O(sum over terms of df^2), plus O(groups x nnz) for ``topn``.

    Blocking (``scope="any"`` only): ``neighbours`` maps a group to the other groups its rows are
    compared with (e.g. its most similar regions, :func:`region_similarity`); a group it does not name
    is compared with every other group. The cost is then linear in the number of groups — each group's
    rows against the rows of a bounded number of groups — instead of quadratic, and the result is an
    approximation: a best match in a group not named is missed (see :func:`alignment` for the recall
    measured). The blocked search multiplies one group at a time with scipy (``backend`` is ignored);
    with ``workers > 1`` a forked child searches the second half of the groups meanwhile (same result).
    """
    _check(backend, BACKENDS, "backend")
    _check(scope, SCOPES, "scope")
    if k < 1:
        raise UsageError(f"k must be at least 1, not {k!r}.")
    X = _as_matrix(data)
    groups = np.asarray(groups)
    n = X.shape[0]
    if len(groups) != n:
        raise UsageError(f"groups has {len(groups)} entries for {n} rows — give one group per row.")
    if backend == "auto":  # the C++ kernel's set-up costs more than it saves on small inputs
        backend = "topn" if n > TOPN_MIN_ROWS and _topn_available() else "scipy"
    codes, inv = np.unique(groups, return_inverse=True)
    inv = inv.ravel()
    members = [np.flatnonzero(inv == g) for g in range(len(codes))]
    out: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (query, match, score)
    if neighbours is not None:
        if scope != "any":
            raise UsageError("neighbours (blocking) needs scope='any'.")
        out = _align_blocked_split(X, codes, members, neighbours, k=k, workers=workers)
    elif backend == "topn":
        from sparse_dot_topn import sp_matmul_topn

        threads = n_threads if n_threads is not None else (os.cpu_count() or 1)
        largest = max((len(m) for m in members), default=0)
        if scope == "any" and largest <= ANY_SINGLE_PASS_MAX_GROUP:
            # one pass: the k best of other groups are among the k + |own group| best overall
            C = sp_matmul_topn(X, X.T.tocsr(), top_n=k + largest, threshold=min_score, sort=True,
                               n_threads=threads).tocoo()
            keep = inv[C.row] != inv[C.col]
            out.append((C.row[keep], C.col[keep], C.data[keep]))
            members = []
        for g, idx in enumerate(members):
            if scope == "group":
                C = sp_matmul_topn(X, X[idx].T.tocsr(), top_n=k, threshold=min_score, sort=True,
                                   n_threads=threads).tocoo()
                keep = inv[C.row] != g
                out.append((C.row[keep], idx[C.col[keep]], C.data[keep]))
            else:
                rest = np.flatnonzero(inv != g)
                if not len(rest):
                    continue
                C = sp_matmul_topn(X[idx], X[rest].T.tocsr(), top_n=k, threshold=min_score, sort=True,
                                   n_threads=threads).tocoo()
                out.append((idx[C.row], rest[C.col], C.data))
    else:
        if batch is None:
            batch = max(1, min(n, max_block // max(n, 1)))
        order = np.concatenate(members) if members else np.arange(0)
        XT = X.T.tocsr()[:, order]
        sorted_group = inv[order]
        bounds = np.cumsum([0] + [len(m) for m in members])
        for lo in range(0, n, batch):
            rows = np.arange(lo, min(n, lo + batch))
            block = (X[rows] @ XT).toarray()
            if scope == "any":
                block[inv[rows][:, None] == sorted_group[None, :]] = -np.inf
                cols, vals = _top_k_block(block, k)
                out.append((np.repeat(rows, cols.shape[1]), order[cols.ravel()], vals.ravel()))
                continue
            for g in range(len(codes)):
                keep = inv[rows] != g
                if not keep.any() or bounds[g] == bounds[g + 1]:
                    continue
                cols, vals = _top_k_block(block[keep, bounds[g]:bounds[g + 1]], k)
                out.append((np.repeat(rows[keep], cols.shape[1]), order[bounds[g] + cols.ravel()], vals.ravel()))
            del block
    if out:
        q, m, s = (np.concatenate(parts) for parts in zip(*out))
    else:
        q = m = np.zeros(0, dtype=np.int64)
        s = np.zeros(0, dtype=np.float32)
    frame = pd.DataFrame({"query": q.astype(np.int64), "other_group": codes[inv[m.astype(np.int64)]],
                          "match": m.astype(np.int64), "score": s.astype(np.float64)})
    frame = frame[frame["score"] > min_score]
    keys = ["query", "other_group"] if scope == "group" else ["query"]
    frame = frame.assign(_neg=-frame["score"].round(6)).sort_values(
        keys + ["_neg", "match"], kind="mergesort").drop(columns="_neg")
    frame["rank"] = frame.groupby(keys).cumcount() + 1
    if scope == "any":
        frame = frame[frame["rank"] <= k]
        frame = frame.sort_values(["query", "other_group", "rank"], kind="mergesort")
    return frame.reset_index(drop=True)


def _align_blocked_split(X: sp.csr_matrix, codes: np.ndarray, members: list[np.ndarray], neighbours: Mapping, *,
                         k: int, workers: int) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """:func:`_align_blocked` over every group; with ``workers > 1`` the second half of the groups in a
    forked child (:class:`analysis.parallel.Background`), which inherits ``X`` instead of pickling it."""
    half = len(members) // 2 if workers > 1 else len(members)
    side = parallel.Background(_align_blocked, X, codes, members, neighbours, k=k, groups=range(half, len(members)),
                               enabled=workers > 1 and half > 0)
    return _align_blocked(X, codes, members, neighbours, k=k, groups=range(half)) + side.result()


def _align_blocked(X: sp.csr_matrix, codes: np.ndarray, members: list[np.ndarray], neighbours: Mapping, *,
                   k: int, groups: Sequence[int] | None = None) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """:func:`align` with ``scope="any"`` and blocking: each group's rows against the rows of the groups
    ``neighbours`` names (all other groups when it names none), the top ``k`` of each row kept.

    One small product per group, (candidates x terms) @ (terms x group rows): the group's few rows are
    the side scipy transposes, and the scores are the same sums in the same order as in the full
    product (each entry sums over the shared terms in column order). Candidates keep their row order,
    so ties go to the lower row as everywhere in :func:`align`. ``groups`` (group numbers) limits the
    search to those groups' rows.
    """
    position = {g: i for i, g in enumerate(codes.tolist())}
    out = []
    for g in range(len(members)) if groups is None else groups:
        idx = members[g]
        named = neighbours.get(codes[g], None)
        others = ([position[h] for h in named if h in position and position[h] != g] if named is not None
                  else [h for h in range(len(members)) if h != g])
        if not len(idx) or not others:
            continue
        cand = np.sort(np.concatenate([members[h] for h in others]))
        if not len(cand):
            continue
        block = (X[cand] @ X[idx].T).T.toarray()
        cols, vals = _top_k_block(block, k)
        out.append((np.repeat(idx, cols.shape[1]), cand[cols.ravel()], vals.ravel()))
    return out


def synthetic_corpus(n_tasks: int, *, n_groups: int = 50, vocab_size: int = 50_000, mean_tokens: int = 50,
                     zipf_s: float = 1.1, zipf_q: float = 10.0, n_topics: int = 16, topic_share: float = 0.5,
                     seed: int = 0) -> tuple[sp.csr_matrix, np.ndarray]:
    """A large synthetic corpus for memory / time tests: (task x term count matrix, group per task).

    Token ranks follow a Zipf-Mandelbrot law p(r) ~ (r + q)^-s; half the tokens of a task are remapped
    into a vocabulary slice of one of ``n_topics`` topics. The defaults reproduce the five real plans'
    statistics: the most common term in ~40% of tasks, ~50 tokens a task, ~75% of task pairs sharing
    a term (so the similarity is nearly dense and only sparse top-k keeps it in memory).
    """
    if n_tasks < 1 or n_groups < 1:
        raise UsageError("synthetic_corpus needs n_tasks >= 1 and n_groups >= 1.")
    rng = np.random.default_rng(seed)
    p = (np.arange(1, vocab_size + 1) + zipf_q) ** -zipf_s
    p /= p.sum()
    lengths = rng.poisson(mean_tokens, n_tasks).clip(5)
    owner = np.repeat(np.arange(n_tasks), lengths)
    ids = rng.choice(vocab_size, size=owner.size, p=p)
    topic = rng.integers(0, n_topics, n_tasks)
    remap = rng.random(owner.size) < topic_share
    ids[remap] = (ids[remap] * 7919 + topic[owner[remap]] * 104_729 + 1) % vocab_size
    counts = sp.csr_matrix((np.ones(owner.size, np.float32), (owner, ids)), shape=(n_tasks, vocab_size))
    counts.sum_duplicates()
    return counts, rng.integers(0, n_groups, n_tasks)


def benchmark_align(n_tasks: int = 100_000, *, n_groups: int = 50, k: int = 1, scope: str = "group",
                    backend: str = "auto", seed: int = 0, **corpus_options) -> dict:
    """Time and memory of :func:`align` on a :func:`synthetic_corpus` of ``n_tasks`` tasks.

    Returns ``n_tasks``, ``n_groups``, ``k``, ``scope``, ``backend``, ``nnz`` (non-zeros of the TF-IDF matrix),
    ``rows`` (alignment rows), ``corpus_s`` (making the corpus and its TF-IDF), ``align_s`` and
    ``peak_rss_mb`` (the process's peak resident memory so far: run it in a fresh process).
    """
    t0 = time.perf_counter()
    counts, groups = synthetic_corpus(n_tasks, n_groups=n_groups, seed=seed, **corpus_options)
    X = tfidf(counts)
    del counts
    t1 = time.perf_counter()
    used = backend
    if backend == "auto":
        used = "topn" if n_tasks > TOPN_MIN_ROWS and _topn_available() else "scipy"
    out = align(X, groups, k=k, scope=scope, backend=used)
    t2 = time.perf_counter()
    import resource  # Unix only, and only for this measurement

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    return {"n_tasks": n_tasks, "n_groups": n_groups, "k": k, "scope": scope, "backend": used, "nnz": int(X.nnz),
            "rows": len(out), "corpus_s": round(t1 - t0, 3), "align_s": round(t2 - t1, 3),
            "peak_rss_mb": round(rss, 1)}


# --------------------------------------------------------------------------------------------------
# Domains (from the domains stage; its hand labels while that stage is a stub)

def task_domains(tasks: pd.DataFrame) -> pd.Series | None:
    """Primary domain per task: ``tasks['domain']`` when it is informative, else the hand labels
    (``data/labels/domain_labels.csv``, column ``primary``) when that file exists, else None."""
    proper = _proper(tasks)
    if "domain" in tasks.columns and tasks.loc[proper, "domain"].nunique() > 1:
        return tasks["domain"].fillna("").astype(str)
    path = config.DATA / "labels" / "domain_labels.csv"
    if not path.is_file():
        return None
    labels = pd.read_csv(path, keep_default_na=False, dtype=str)
    if not {"task_id", "primary"} <= set(labels.columns):
        return None
    log.info("compare: domains stage not informative; using hand labels from %s", path)
    return tasks["task_id"].map(dict(zip(labels["task_id"], labels["primary"]))).fillna("")


def alignment(tasks: pd.DataFrame, tokens: Mapping[str, Sequence[str]], *, k: int = ALIGN_K,
              method: str = ALIGN_METHOD, backend: str = "auto", scope: str = "auto",
              views: pd.DataFrame | None = None, counts: Mapping[str, sp.csr_matrix] | None = None,
              neighbours: Mapping[str, Sequence[str]] | None = None,
              nearest: int = ALIGN_NEAREST_REGIONS, workers: int = 1) -> pd.DataFrame:
    """For every task proper, its ``k`` best matches in every other region (see :func:`align`).

    With more than :data:`MAX_REGIONS_PER_REGION` regions (``scope="auto"``), the ``ALIGN_K_ANY`` best
    matches in *any* other region instead (``rank`` then counts per task, not per task and region): the
    per-region table would grow as tasks x regions.

    Blocking, with ``scope="any"``: a region's tasks are compared only with the tasks of its ``nearest``
    most similar regions (``neighbours``, by default from :func:`region_similarity`: the mean of the two
    whole-plan cosines), so the cost grows linearly with the number of regions, not quadratically
    (1,000 regions: 29,000 x 580 task pairs instead of 29,000 x 29,000). It is an approximation: a
    task's best match in a plan that is not among its region's ``nearest`` is missed. Recall measured
    against the exact search on the synthetic corpora of :mod:`analysis.bench` (the five plans, each
    replicated with perturbations; a match counts as found when the approximate search reaches its score
    at its rank, since identical variants tie), ``nearest=20``: 30 plans, best match 100%, top-10 93%;
    100 plans (20 variants of each), 100% at every rank; 1,000 plans (200 near-identical variants of each,
    a task's best matches scattered over all 199 copies of its plan), best match 77%, top-10 62%, mean
    score lost 0.024 — the matches found are still near-copies. tests/test_compare.py checks the 30-plan
    figures. ``nearest=0`` (or no fewer other regions than ``nearest``) is the exact search.

    Columns: ``region``, ``task_id``, ``other_region``, ``other_task_id``, ``score`` (cosine of
    ``method``), ``rank``, ``score_tokens``, ``score_chars`` (the pair's two cosines), ``title``,
    ``other_title``, and ``domain``, ``other_domain``, ``same_domain`` when domains are known.
    ``counts`` (from :func:`task_counts`) saves recounting.
    """
    counts = task_counts(tasks, tokens, views=views) if counts is None else counts
    tasks = tasks[_proper(tasks)].reset_index(drop=True)
    X_tok = tfidf(counts["tfidf_tokens_body"])
    X_chr = tfidf(counts["char_ngrams_body"])
    X = {"tfidf_tokens": X_tok, "char_ngrams": X_chr, "combined": None}[_check(method, ALIGN_METHODS,
                                                                                "alignment method")]
    if X is None:
        X = combine(X_tok, X_chr)
    groups = tasks["region"].to_numpy()
    n_regions = len(set(groups.tolist()))
    if scope == "auto":
        scope = "group" if n_regions <= MAX_REGIONS_PER_REGION else "any"
    if scope == "any" and k == ALIGN_K:
        k = ALIGN_K_ANY
    if scope == "any" and 0 < nearest < n_regions - 1 and neighbours is None:
        neighbours = region_similarity(counts, groups, nearest=nearest)[1]
    if scope != "any" or not 0 < nearest < n_regions - 1:
        neighbours = None
    pairs = align(X, groups, k=k, scope=scope, backend=backend, neighbours=neighbours, workers=workers)
    del X
    q, m = pairs["query"].to_numpy(), pairs["match"].to_numpy()
    side = parallel.Background(_pair_dots, X_tok, q, m, enabled=workers > 1)  # the two scores side by side
    score_chars = _pair_dots(X_chr, q, m)
    score_tokens = side.result()
    titles = segment.cell(tasks, "title").to_numpy()
    out = pd.DataFrame({
        "region": groups[q], "task_id": tasks["task_id"].to_numpy()[q],
        "other_region": pairs["other_group"].to_numpy(), "other_task_id": tasks["task_id"].to_numpy()[m],
        "score": pairs["score"].round(4).to_numpy(), "rank": pairs["rank"].to_numpy(),
        "score_tokens": score_tokens.round(4), "score_chars": score_chars.round(4),
        "title": titles[q], "other_title": titles[m],
    })
    dom = task_domains(tasks)
    if dom is not None:
        out["domain"] = dom.to_numpy()[q]
        out["other_domain"] = dom.to_numpy()[m]
        out["same_domain"] = out["domain"] == out["other_domain"]
    return out


def _pair_dots(A: sp.csr_matrix, q: np.ndarray, m: np.ndarray, *, chunk: int = PAIR_CHUNK) -> np.ndarray:
    """Dot products of rows ``q[i]`` and ``m[i]`` of ``A``, ``chunk`` pairs at a time (gathering the rows
    of 280,000 pairs at once would copy ~100 million non-zeros)."""
    out = np.zeros(len(q), dtype=np.float32)
    for lo in range(0, len(q), chunk):
        sl = slice(lo, lo + chunk)
        out[sl] = np.asarray(A[q[sl]].multiply(A[m[sl]]).sum(axis=1)).ravel()
    return out


def best_matches(alignment_frame: pd.DataFrame) -> pd.DataFrame:
    """Rank-1 rows only: each task's best match in each other region."""
    return alignment_frame[alignment_frame["rank"] == 1].reset_index(drop=True)


def counterpart_threshold(alignment_frame: pd.DataFrame, *, precision: float = 0.9) -> float:
    """The lowest score from which best matches are same-domain pairs at least ``precision`` of the time.

    Reads the rank-1 rows: for each candidate threshold t (the observed scores), the share of best matches
    with score >= t that pair two tasks of the same primary domain. A task whose best match in a region
    falls below t has no counterpart there. Needs ``same_domain``.
    """
    if "same_domain" not in alignment_frame.columns:
        raise InputError("alignment has no same_domain column — domains are needed to set a threshold.")
    best = best_matches(alignment_frame).sort_values("score", ascending=False, kind="mergesort")
    hits = best["same_domain"].astype(bool).to_numpy()
    scores = best["score"].to_numpy(dtype=float)
    if not len(scores):
        return 0.0
    prec = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    ok = np.flatnonzero(prec >= precision)
    return float(scores[ok[-1]]) if len(ok) else float(scores[0])


def counterparts(alignment_frame: pd.DataFrame, *, threshold: float) -> pd.DataFrame:
    """Per task: ``n_regions_matched`` (other regions whose best match scores >= ``threshold``), the
    best score anywhere, and ``has_counterpart``."""
    best = best_matches(alignment_frame)
    keys = [c for c in ("region", "task_id", "title", "domain") if c in best.columns]
    g = best.assign(hit=best["score"] >= threshold).groupby(keys, sort=True)
    out = g.agg(n_regions_matched=("hit", "sum"), best_score=("score", "max")).reset_index()
    out["has_counterpart"] = out["n_regions_matched"] > 0
    return out


def score_bins(alignment_frame: pd.DataFrame, *,
               edges: Sequence[float] = (0, 0.05, 0.1, 0.15, 0.2, 0.3, 1.0)) -> pd.DataFrame:
    """Best matches by score band: how many, and the share that pair two tasks of the same primary domain
    (what :func:`counterpart_threshold` reads)."""
    if "same_domain" not in alignment_frame.columns:
        raise InputError("alignment has no same_domain column — domains are needed.")
    best = best_matches(alignment_frame)
    band = pd.cut(best["score"], list(edges), include_lowest=True)
    out = best.groupby(band, observed=False).agg(n_pairs=("score", "size"),
                                                 share_same_domain=("same_domain", "mean"))
    out.index = [f"{iv.left:.2f}–{iv.right:.2f}" for iv in out.index]
    out.index.name = "score"
    return out.round(3).reset_index()


def correspondence(alignment_frame: pd.DataFrame, *, threshold: float, domain: str | None = None,
                   regions: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per task (of ``domain``, if given), one column per region: the best match there as
    ``other_task_id (score)``, or ``—`` when the best score is below ``threshold`` (no counterpart)."""
    best = best_matches(alignment_frame)
    if domain is not None:
        if "domain" not in best.columns:
            raise InputError("alignment has no domain column — domains are needed to select one.")
        best = best[best["domain"] == domain]
    cell = np.where(best["score"] >= threshold,
                    best["other_task_id"] + " (" + best["score"].map("{:.2f}".format) + ")", "—")
    wide = best.assign(cell=cell).pivot_table(index=["task_id", "title"], columns="other_region",
                                                values="cell", aggfunc="first", fill_value="")
    cols = [r for r in (regions or sorted(set(alignment_frame["region"]))) if r in wide.columns]
    wide = wide[cols]
    wide.columns.name = None
    return wide.reset_index()


# --------------------------------------------------------------------------------------------------
# Shared phrasing: maximal character n-grams used verbatim by two or more regions

def phrase_text(text: str) -> str:
    """The text phrases are mined in: :func:`tokenize.normalize` (NFKC, layout gaps closed)."""
    return _normalize(text)


def _phrase_chars(cp: np.ndarray) -> np.ndarray:
    """Mask of the code points :data:`PHRASE_RUN_RE` matches (CJK, ASCII letters and digits, joiners)."""
    joiners = np.array([ord(c) for c in PHRASE_EDGE_CHARS], dtype=cp.dtype)
    return _is_cjk_or_alnum(cp) | np.isin(cp, joiners)


def _runs(texts: Sequence[str], *, min_chars: int
          ) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Distinct phrase runs (maximal stretches of phrase characters, at least ``min_chars`` long), in
    order of first use, and their occurrences grouped by run: text index and offset, ascending, run
    ``r``'s at ``bounds[r]:bounds[r + 1]``.

    Vectorised over the distinct texts (the corpus repeats most of its text): their code points are
    classified at once, the runs cut where the class changes, and each text gets its distinct text's runs.
    """
    codes, distinct = pd.factorize(np.array(texts, dtype=object)) if len(texts) else (np.zeros(0, int), [])
    joined = "\x00".join(distinct) + "\x00"
    lengths = np.array([len(t) + 1 for t in distinct], dtype=np.int64)
    text_start = np.cumsum(lengths) - lengths
    edges = np.diff(_phrase_chars(_codepoints(joined)).astype(np.int8), prepend=0, append=0)
    start, end = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    long = end - start >= min_chars
    start, end = start[long], end[long]
    ids, strings = pd.factorize(np.array([joined[a:b] for a, b in zip(start.tolist(), end.tolist())],
                                         dtype=object)) if len(start) else (np.zeros(0, np.int64), [])
    owner = np.searchsorted(text_start, start, side="right") - 1  # distinct text of each run
    first = np.searchsorted(owner, np.arange(len(distinct) + 1))  # its runs: first[u]:first[u + 1]
    size = np.diff(first)[codes]  # runs of each text
    ends = np.cumsum(size)
    at = np.repeat(first[codes] - (ends - size), size) + np.arange(int(ends[-1]) if len(ends) else 0)
    run = ids[at].astype(np.int64)
    order = np.argsort(run, kind="stable")  # by run, then text and offset
    text_of = np.repeat(np.arange(len(texts), dtype=np.int64), size)[order]
    offset = (start - text_start[owner])[at][order]
    bounds = np.zeros(len(strings) + 1, dtype=np.int64)
    np.cumsum(np.bincount(run, minlength=len(strings)), out=bounds[1:])
    return list(strings), text_of, offset, bounds


def _mine_shared(runs: tuple[list[str], np.ndarray, np.ndarray, np.ndarray], region_idx: np.ndarray, *,
                 min_chars: int) -> dict[str, list[int]]:
    """Closed substrings of the distinct ``runs`` (see :func:`_runs`) used in two or more regions, each with
    the start of its every occurrence in the runs joined by ``\\x00`` (as :func:`_positions` finds them:
    the levels keep every occurrence of a shared n-gram, so trimming need not search for them again).

    Identical runs are mined once (weighted by how often they occur), so a corpus that repeats itself
    costs what its distinct text costs. Level-wise over hashed n-grams, vectorised: the n-grams of
    length ``min_chars`` are hashed and grouped; a group is *shared* when the regions of its runs span
    more than one region (min region < max region); only shared positions whose right neighbour is
    shared are extended to n + 1, so the work shrinks with each level. A shared n-gram is *closed* when
    no one-character extension occurs as often (otherwise every occurrence lies inside the longer one).
    """
    strings, text_of, _, bounds = runs
    if not strings:
        return {}
    weight = np.diff(bounds).astype(np.float64)
    occ_region = np.asarray(region_idx)[text_of]
    rmin = np.minimum.reduceat(occ_region, bounds[:-1])
    rmax = np.maximum.reduceat(occ_region, bounds[:-1])
    big = "\x00".join(strings) + "\x00"
    cp = _codepoints(big)
    lengths = np.array([len(s) + 1 for s in strings])
    run_of = np.repeat(np.arange(len(strings)), lengths)
    run_start = np.repeat(np.cumsum(lengths) - lengths, lengths)
    run_end = run_start + np.repeat(lengths - 1, lengths)  # position of the run's \x00
    w_pos, lo_pos, hi_pos = weight[run_of], rmin[run_of], rmax[run_of]
    closed: list[tuple[int, np.ndarray]] = []  # (n, positions of closed shared n-grams)

    def groups(pos, h):
        uniq, inv = np.unique(h, return_inverse=True)
        inv = inv.ravel()
        cnt = np.bincount(inv, weights=w_pos[pos], minlength=len(uniq))
        lo = np.full(len(uniq), np.iinfo(np.int64).max)
        hi = np.full(len(uniq), -1)
        np.minimum.at(lo, inv, lo_pos[pos])
        np.maximum.at(hi, inv, hi_pos[pos])
        return inv, cnt, hi > lo

    n = min_chars
    pos = np.flatnonzero(run_end - np.arange(len(cp)) >= n)
    with np.errstate(over="ignore"):
        h = np.zeros(len(pos), dtype=np.uint64)
        for i in range(n):
            h = h * HASH_BASE + cp[pos + i]
        inv, cnt, shared_g = groups(pos, h)
        while len(pos):
            keep = shared_g[inv]
            pos, h, inv = pos[keep], h[keep], inv[keep]
            nxt = np.searchsorted(pos, pos + 1)
            nxt[nxt == len(pos)] = 0
            nxt = np.where(pos[nxt] == pos + 1, nxt, -1) if len(pos) else nxt
            ext = (nxt >= 0) & (run_end[pos] - pos >= n + 1)
            extended = np.zeros(len(cnt), dtype=bool)
            if ext.any():
                pos2 = pos[ext]
                h2 = h[ext] * HASH_BASE + cp[pos2 + n]
                inv2, cnt2, shared2 = groups(pos2, h2)
                # a longer shared gram as frequent as its prefix / suffix makes that n-gram non-closed
                first = np.full(len(cnt2), -1)
                first[inv2[::-1]] = np.arange(len(inv2))[::-1]
                rep = first[shared2]
                same_pre = cnt[inv[ext][rep]] == cnt2[shared2]
                extended[inv[ext][rep][same_pre]] = True
                suf = inv[nxt[ext][rep]]
                same_suf = cnt[suf] == cnt2[shared2]
                extended[suf[same_suf]] = True
            is_closed = ~extended[inv]
            if is_closed.any():
                closed.append((n, pos[is_closed]))
            if not ext.any():
                break
            pos, h, inv, cnt, shared_g, n = pos2, h2, inv2, cnt2, shared2, n + 1
    found: dict[str, list[int]] = {}
    for n, positions in closed:
        for p in positions.tolist():
            found.setdefault(big[p:p + n], []).append(p)
    return found


def _positions(gram: str, big: str, found: dict[str, list[int]] | None = None) -> list[int]:
    """Start of every (overlapping) occurrence of ``gram`` in ``big``; memoised in ``found`` if given
    (trimming and collecting look up the same strings)."""
    if found is not None and gram in found:
        return found[gram]
    out = []
    p = big.find(gram)
    while p >= 0:
        out.append(p)
        p = big.find(gram, p + 1)
    if found is not None:
        found[gram] = out
    return out


def _cut_left(left: str, gram: str, freq: Mapping[str, int]) -> bool:
    """True when a dictionary word spans the start of ``gram`` preceded by ``left`` (up to three
    characters either side, the gram's last character excluded)."""
    n = len(gram)
    return any(freq.get(left[len(left) - j:] + gram[:i]) for j in (1, 2, 3) for i in (1, 2, 3)
               if j <= len(left) and i < n)


def _cut_right(gram: str, right: str, freq: Mapping[str, int]) -> bool:
    """True when a dictionary word spans the end of ``gram`` followed by ``right`` (see :func:`_cut_left`)."""
    n = len(gram)
    return any(freq.get(gram[n - i:] + right[:j]) for j in (1, 2, 3) for i in (1, 2, 3) if i < n)


def _word_trim(gram: str, big: str, *, rounds: int = 3, found: dict[str, list[int]] | None = None) -> str:
    """``gram`` trimmed to word boundaries, by the project tokenizer and the contexts in ``big`` (the
    distinct runs), and without edge joiners.

    An edge word is dropped when it is a one-character stopword (的, 和 …), a one-character word cut by
    the match boundary at *some* occurrence, or a longer word cut at *every* occurrence. A word is cut
    when a dictionary word spans the boundary, up to three characters either side (``充分发挥社`` in
    充分发挥社会 -> ``充分发挥``; ``完善区社会`` in 完善区社会组织 / 社会救助 -> dropped;
    ``年人关爱服务`` in 老年人关爱服务 -> ``关爱服务``; ``党的二十大精神`` keeps 党: 实党 is no word).
    """
    stop, freq = tokenize.stopwords(), tokenize.tokenizer().FREQ
    for _ in range(rounds):
        gram = gram.strip(PHRASE_EDGE_CHARS)
        words = list(_string_words(gram))
        if len(words) < 2:
            return gram
        # the cut tests read three characters either side: test each distinct context once, and only as
        # many as the verdict needs (any one cut drops a one-character word, any uncut keeps a longer one)
        lefts, rights = set(), set()
        n = len(gram)
        for p in _positions(gram, big, found):
            lefts.add(big[max(0, p - 3):p])
            rights.add(big[p + n:p + n + 3])
        cuts_left = (_cut_left(left, gram, freq) for left in lefts)
        cuts_right = (_cut_right(gram, right, freq) for right in rights)

        def drop(word, cuts, contexts):
            return (word in stop or any(cuts)) if len(word) == 1 else bool(contexts) and all(cuts)
        trimmed = words
        if drop(trimmed[0], cuts_left, lefts):
            trimmed = trimmed[1:]
        if len(trimmed) > 1 and drop(trimmed[-1], cuts_right, rights):
            trimmed = trimmed[:-1]
        new = "".join(trimmed)
        if new == gram:
            break
        gram = new
    return gram.strip(PHRASE_EDGE_CHARS)


@lru_cache(maxsize=65536)
def _string_words(text: str) -> tuple[str, ...]:
    return tuple(tokenize.words(text))


def clear() -> None:
    """Forget the normalized texts and the cut phrases remembered, so a build starts cold."""
    _normalize.cache_clear()
    _string_words.cache_clear()


def _find_in_runs(positions: np.ndarray, run_of: np.ndarray, run_start: np.ndarray,
                  runs: tuple[list[str], np.ndarray, np.ndarray, np.ndarray]
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Occurrences at ``positions`` of the distinct runs joined (see :func:`_runs`) expanded to every
    occurrence of their run in the texts: (number of the position, text index, offset), vectorised."""
    _, text_of, offset, bounds = runs
    run = run_of[positions]
    first, size = bounds[run], bounds[run + 1] - bounds[run]
    which = np.repeat(np.arange(len(positions)), size)
    ends = np.cumsum(size)
    at = np.repeat(first - (ends - size), size) + np.arange(int(ends[-1]) if len(ends) else 0)
    return which, text_of[at], offset[at] + (positions - run_start[positions])[which]


def _quoted(texts: Sequence[str]) -> dict[str, list[tuple[int, int]]]:
    """Quoted coinages (at least two CJK characters) -> their quoted occurrences (text, offset)."""
    out: dict[str, list[tuple[int, int]]] = {}
    seen: dict[str, list[tuple[str, int]]] = {}  # each distinct text scanned once
    for i, text in enumerate(texts):
        found = seen.get(text)
        if found is None:
            found = seen[text] = [(m.group(1), m.start(1)) for m in QUOTED_RE.finditer(text)
                                  if m.group(1).strip() == m.group(1)
                                  and len(CJK_RE.findall(m.group(1))) >= MIN_QUOTED_CHARS]
        for term, start in found:
            out.setdefault(term, []).append((i, start))
    return out


def _content_len(text: str) -> int:
    return len(CONTENT_CHAR_RE.findall(text))


def formula_share(phrase: str) -> float:
    """Share of the phrase's content characters inside a political formula (1.0 if the phrase is part
    of one)."""
    total = _content_len(phrase)
    if not total:
        return 0.0
    if any(phrase in f for f in formulas()):
        return 1.0
    covered = np.zeros(len(phrase), dtype=bool)
    for f in formulas():
        start = phrase.find(f)
        while start >= 0:
            covered[start:start + len(f)] = True
            start = phrase.find(f, start + 1)
    return sum(1 for ch, c in zip(phrase, covered) if c and CONTENT_CHAR_RE.match(ch)) / total


def is_filler(phrase: str) -> bool:
    """True for phrases with no content word: nothing but stopwords / bureaucratic filler, numbers with a
    unit (``2023年``) or joiners — no token of two or more CJK characters outside the stopword lists."""
    # the content tokens (tokenize.string_tokens) of the words trimming already cut
    return not any(len(CJK_RE.findall(w)) >= 2 for w in tokenize.content(_string_words(phrase)))


PHRASE_COLUMNS = ["rank", "phrase", "n_chars", "n_regions", "regions", "n_tasks", "task_ids", "n_occurrences",
                  "kind", "is_quoted", "is_formula"]


def phrase_occurrences(texts: Sequence[str], regions: Sequence[str], task_ids: Sequence[str], *,
                       min_chars: int = MIN_PHRASE_CHARS, min_regions: int = 2, quoted: bool = True
                       ) -> tuple[pd.DataFrame, dict[str, list[tuple[int, int]]]]:
    """:func:`shared_phrases` and, per phrase, its occurrences (text index, offset in the normalized text)."""
    frame, row_of, (phrase_of, text_of, offset) = _phrase_arrays(texts, regions, task_ids, min_chars=min_chars,
                                                                 min_regions=min_regions, quoted=quoted)
    bounds = np.searchsorted(phrase_of, np.arange(len(frame) + 1)).tolist()
    names = frame["phrase"].tolist()
    text_of, offset = text_of.tolist(), offset.tolist()
    occurrences = {}
    for j in row_of.tolist():  # in order of finding, as the phrases were collected
        occurrences[names[j]] = list(zip(text_of[bounds[j]:bounds[j + 1]], offset[bounds[j]:bounds[j + 1]]))
    return frame, occurrences


def _phrase_arrays(texts: Sequence[str], regions: Sequence[str], task_ids: Sequence[str], *,
                   min_chars: int, min_regions: int, quoted: bool
                   ) -> tuple[pd.DataFrame, np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """:func:`shared_phrases`, the frame row of each phrase in order of finding, and the occurrences as
    arrays sorted by frame row, text and offset: frame row, text index, offset in the normalized text.

    Every phrase's occurrences are gathered at once: the n-grams' positions in the distinct runs expanded
    to the runs' occurrences, the quoted terms' added, duplicates dropped, and the regions and tasks of
    each phrase counted on (phrase, region) and (phrase, task) pairs, not per phrase in Python."""
    texts = [phrase_text(t) for t in texts]
    regions = np.asarray(regions)
    task_ids = np.asarray(task_ids)
    if not (len(texts) == len(regions) == len(task_ids)):
        raise UsageError("texts, regions and task_ids must have the same length.")
    if min_regions < 2:
        raise UsageError(f"min_regions must be at least 2 (shared by two regions), not {min_regions!r}.")
    names = sorted(set(regions.tolist()))
    region_idx = np.searchsorted(names, regions)
    phrases: dict[str, int] = {}  # phrase -> its number, in order of finding
    parts = []  # (phrase number, text, offset) arrays
    runs = _runs(texts, min_chars=min_chars)
    mined = _mine_shared(runs, region_idx, min_chars=min_chars)
    if mined:
        big = "\x00".join(runs[0]) + "\x00"
        lengths = np.array([len(r) + 1 for r in runs[0]])
        run_of = np.repeat(np.arange(len(runs[0])), lengths)
        run_start = np.repeat(np.cumsum(lengths) - lengths, lengths)
        positions = dict(mined)  # trimming and collecting look up the same strings, the mined ones known
        found = []
        for phrase in sorted({_word_trim(gram, big, found=positions) for gram in mined}):
            if len(CJK_RE.findall(phrase)) >= min_chars:
                phrases[phrase] = len(phrases)
                found.append(_positions(phrase, big, positions))
        sizes = [len(f) for f in found]
        which, text_of, offset = _find_in_runs(np.fromiter(chain.from_iterable(found), dtype=np.int64,
                                                           count=sum(sizes)), run_of, run_start, runs)
        parts.append((np.repeat(np.arange(len(found)), sizes)[which], text_of, offset))
    n_grams = len(phrases)
    quoted_terms = _quoted(texts) if quoted else {}
    for term, occ in quoted_terms.items():
        if len({regions[i] for i, _ in occ}) >= min_regions:
            arr = np.array(occ, dtype=np.int64).reshape(-1, 2)
            parts.append((np.full(len(arr), phrases.setdefault(term, len(phrases))), arr[:, 0], arr[:, 1]))
    if parts:
        phrase_of, text_of, offset = (np.concatenate(x) for x in zip(*parts))
    else:
        phrase_of = text_of = offset = np.zeros(0, dtype=np.int64)
    order = np.lexsort((offset, text_of, phrase_of))
    phrase_of, text_of, offset = phrase_of[order], text_of[order], offset[order]
    new = np.ones(len(order), dtype=bool)  # a quoted occurrence may also be an n-gram's
    new[1:] = (np.diff(phrase_of) != 0) | (np.diff(text_of) != 0) | (np.diff(offset) != 0)
    phrase_of, text_of, offset = phrase_of[new], text_of[new], offset[new]
    # regions and tasks of each phrase, sorted by name
    task_names, task_code = np.unique(task_ids, return_inverse=True)
    regs = _pairs(phrase_of, region_idx[text_of], len(phrases))
    tids = _pairs(phrase_of, task_code.ravel()[text_of], len(phrases))
    region_names, task_names = np.asarray(names, dtype=object), task_names.astype(object)
    rows, kept = [], []
    n_occurrences = np.bincount(phrase_of, minlength=len(phrases)).tolist()
    for phrase, k in phrases.items():
        reg = regs[k]
        if len(reg) < min_regions or is_filler(phrase):
            continue
        kept.append(k)
        tid = tids[k]
        rows.append({"phrase": phrase, "n_chars": _content_len(phrase), "n_regions": len(reg),
                     "regions": ";".join(region_names[reg].tolist()), "n_tasks": len(tid),
                     "task_ids": ";".join(task_names[tid].tolist()), "n_occurrences": n_occurrences[k],
                     "kind": "ngram" if k < n_grams else "quoted", "is_quoted": phrase in quoted_terms,
                     "is_formula": formula_share(phrase) >= FORMULA_SHARE})
    frame = pd.DataFrame(rows, columns=PHRASE_COLUMNS[1:])
    frame = frame.sort_values(["n_regions", "n_chars", "phrase"], ascending=[False, False, True],
                              kind="mergesort")
    row_of = np.empty(len(frame), dtype=np.int64)  # frame row of the i-th kept phrase
    row_of[frame.index.to_numpy()] = np.arange(len(frame))
    frame = frame.reset_index(drop=True)
    frame.insert(0, "rank", np.arange(1, len(frame) + 1))
    row_of_phrase = np.full(len(phrases), -1, dtype=np.int64)
    row_of_phrase[np.asarray(kept, dtype=np.int64)] = row_of
    rows_of_occ = row_of_phrase[phrase_of]
    keep = rows_of_occ >= 0
    order = np.argsort(rows_of_occ[keep], kind="stable")
    return frame, row_of, (rows_of_occ[keep][order], text_of[keep][order], offset[keep][order])


def _pairs(group: np.ndarray, value: np.ndarray, n_groups: int) -> list[np.ndarray]:
    """Per group number, its distinct values, ascending."""
    order = np.lexsort((value, group))
    group, value = group[order], value[order]
    new = np.ones(len(group), dtype=bool)
    new[1:] = (np.diff(group) != 0) | (np.diff(value) != 0)
    group, value = group[new], value[new]
    bounds = np.searchsorted(group, np.arange(n_groups + 1))
    return [value[a:b] for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist())]


def shared_phrases(texts: Sequence[str], regions: Sequence[str], task_ids: Sequence[str], *,
                   min_chars: int = MIN_PHRASE_CHARS, min_regions: int = 2,
                   quoted: bool = True) -> pd.DataFrame:
    """Phrases used verbatim in the texts of at least ``min_regions`` regions.

    Two kinds: ``ngram`` — maximal shared character strings of at least ``min_chars`` content characters
    inside phrase runs (CJK, letters, digits and the joiners + 、 ·; other punctuation and quotes end a
    run), joiners trimmed off the edges; ``quoted`` — coinages put in quotes (“五社联动”, “物质+服务”) by
    two or more regions, whatever their length (at least two CJK characters). ``is_quoted`` marks n-grams
    that are also quoted somewhere. Phrases made only of stopwords / filler or without a CJK character
    are dropped; political formulas are kept and flagged ``is_formula`` (formulas from
    ``resources/political_formulas.txt`` make up at least half of the phrase).

    Columns: ``rank`` (most regions, then longest first), ``phrase``, ``n_chars`` (content characters),
    ``n_regions``, ``regions``, ``n_tasks``, ``task_ids``, ``n_occurrences``, ``kind``, ``is_quoted``,
    ``is_formula``; regions and task ids ``;``-separated, sorted.
    """
    return phrase_occurrences(texts, regions, task_ids, min_chars=min_chars, min_regions=min_regions,
                              quoted=quoted)[0]


#: Histogram cells (rows x distinct values) :func:`_top_k_mask` fills at a time (int64: 32 MB).
TOP_K_CELLS = 2 ** 22


def _distinct_rows(matrix: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Number of each row's pattern among the distinct rows (in order of first use) and the first row of
    each pattern. ``matrix`` must be canonical (sorted indices, no duplicates): equal rows then have equal
    bytes. Tasks repeat one another's phrasing, so the distinct rows are a fraction of the rows."""
    ind, dat, ptr = matrix.indices, matrix.data, matrix.indptr.tolist()
    keys = np.empty(matrix.shape[0], dtype=object)
    keys[:] = [ind[a:b].tobytes() + dat[a:b].tobytes() for a, b in zip(ptr[:-1], ptr[1:])]
    codes, uniq = pd.factorize(keys)
    first = np.empty(len(uniq), dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
    return codes, first


def _top_k_mask(indptr: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
    """Mask of the ``k`` largest ``values`` in each row of a CSR layout (ties: the earlier entries).

    ``values`` are small non-negative integers (counts). Linear time: each row's histogram of values gives
    its threshold (the k-th largest value) and how many entries at the threshold still fit, instead of
    sorting every entry (millions: ~700 regions a task in a corpus of near-copies)."""
    keep = np.ones(len(values), dtype=bool)
    if not len(values):
        return keep
    v = values.astype(np.int64)
    width = int(v.max()) + 1
    step = max(1, TOP_K_CELLS // width)
    for lo in range(0, len(indptr) - 1, step):
        ptr = indptr[lo:lo + step + 1]
        a, b = int(ptr[0]), int(ptr[-1])
        counts = np.diff(ptr)
        if counts.max(initial=0) <= k:
            continue
        row = np.repeat(np.arange(len(counts)), counts)
        vals = v[a:b]
        hist = np.bincount(row * width + vals, minlength=len(counts) * width).reshape(len(counts), width)
        at_least = np.zeros((len(counts), width + 1), dtype=np.int64)  # entries with value >= column
        at_least[:, :width] = np.cumsum(hist[:, ::-1], axis=1)[:, ::-1]
        threshold = (at_least[:, :width] >= k).sum(axis=1) - 1  # -1: the row has fewer than k entries
        room = k - at_least[np.arange(len(counts)), threshold + 1]  # places left for threshold entries
        part = vals > threshold[row]
        tie = np.flatnonzero(vals == threshold[row])  # in row order, then column order
        tie_row = row[tie]
        part[tie] = np.arange(len(tie)) - np.searchsorted(tie_row, tie_row) < room[tie_row]
        keep[a:b] = part
    return keep


def _shared_with(used: sp.csr_matrix, phrase_regions: sp.csr_matrix, own: np.ndarray, names: np.ndarray
                 ) -> tuple[np.ndarray, list[str]]:
    """Per text (row of ``used``, text x phrase counts): the number of other regions using one of its
    phrases, and the :data:`SHARED_WITH_MAX` of them that share most of its phrases (ties: by name),
    ``;``-joined by name.

    Texts with the same phrase counts reach the same regions, so the text x region product is made for
    the distinct rows of ``used`` only, and each keeps its ``SHARED_WITH_MAX + 1`` best regions: after a
    text's own region is struck out, its ``SHARED_WITH_MAX`` best are among them."""
    k = SHARED_WITH_MAX
    pattern, first = _distinct_rows(used)
    n_regions = len(names)
    n_other = np.zeros(len(pattern), dtype=np.int64)  # regions each text reaches, its own struck out
    best = np.full((len(first), k + 1), n_regions, dtype=np.int64)  # their best, in rank order; padded
    for lo in range(0, len(first), SHARING_CHUNK):  # a chunk of patterns at a time: the lists are long
        reach = (used[first[lo:lo + SHARING_CHUNK]] @ phrase_regions).tocsr()  # pattern x region
        reach.sort_indices()
        row = np.repeat(np.arange(reach.shape[0]), np.diff(reach.indptr))
        texts = np.flatnonzero((pattern >= lo) & (pattern < lo + reach.shape[0]))
        keys, query = row * n_regions + reach.indices, (pattern[texts] - lo) * n_regions + own[texts]
        at = np.minimum(np.searchsorted(keys, query), max(len(keys) - 1, 0))
        has_own = keys[at] == query if len(keys) else np.zeros(len(texts), dtype=bool)
        n_other[texts] = np.diff(reach.indptr)[pattern[texts] - lo] - has_own
        top = np.flatnonzero(_top_k_mask(reach.indptr, reach.data, k + 1))
        order = np.lexsort((reach.indices[top], -reach.data[top], row[top]))
        top_row, top_col = row[top][order], reach.indices[top][order]
        best[lo + top_row, np.arange(len(top_row)) - np.searchsorted(top_row, top_row)] = top_col
    cand = best[pattern]
    cand[cand == own[:, None]] = n_regions
    cand[np.cumsum(cand < n_regions, axis=1) > k] = n_regions
    cand.sort(axis=1)
    listed = cand < n_regions
    bounds = np.concatenate([[0], np.cumsum(listed.sum(axis=1))]).tolist()
    flat_names = names[cand[listed]].tolist()
    return n_other, [";".join(flat_names[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]


def task_sharing(texts: Sequence[str], regions: Sequence[str], task_ids: Sequence[str], *,
                 phrases: pd.DataFrame | None = None,
                 occurrences: Mapping[str, Sequence[tuple[int, int]]] | None = None,
                 **options) -> pd.DataFrame:
    """Per task: how much of its text is phrasing shared verbatim with another region.

    ``n_chars`` counts the content characters (CJK, letters, digits) of the normalized text;
    ``n_chars_shared`` those inside an occurrence of a shared phrase and ``share_shared`` their share;
    ``*_content`` the same without the phrases flagged ``is_formula``. ``n_phrases`` counts the distinct
    shared phrases in the task, ``n_regions_shared`` the other regions that use at least one of them, and
    ``shared_with`` names them (sorted; beyond :data:`SHARED_WITH_MAX`, the ones sharing most of the task's
    phrases, ties by name: in a corpus of near-copies the full list grows as tasks x regions). Pass the
    result of :func:`phrase_occurrences` as ``phrases`` and ``occurrences``, or let it be computed
    (``options`` go to it).
    """
    if phrases is None or occurrences is None:
        phrases, occurrences = phrase_occurrences(texts, regions, task_ids, **options)
    # occurrences as arrays: phrase number, text, offset
    text_of, offset, phrase_of = [], [], []
    names = phrases["phrase"].tolist()
    for j, phrase in enumerate(names):
        occ = occurrences.get(phrase, ())
        if len(occ):
            arr = np.asarray(occ, dtype=np.int64).reshape(-1, 2)
            text_of.append(arr[:, 0])
            offset.append(arr[:, 1])
            phrase_of.append(np.full(len(arr), j, dtype=np.int64))
    text_of, offset, phrase_of = (np.concatenate(x) if x else np.zeros(0, dtype=np.int64)
                                  for x in (text_of, offset, phrase_of))
    return _sharing(texts, regions, task_ids, phrases, (phrase_of, text_of, offset))


def _sharing(texts: Sequence[str], regions: Sequence[str], task_ids: Sequence[str], phrases: pd.DataFrame,
             occurrences: tuple[np.ndarray, np.ndarray, np.ndarray]) -> pd.DataFrame:
    """:func:`task_sharing` of the occurrences as arrays (phrase row, text index, offset; any order)."""
    phrase_of, text_of, offset = occurrences
    names = phrases["phrase"].tolist()
    norm = [phrase_text(t) for t in texts]
    regions = list(regions)
    n_texts = len(norm)
    # every text in one string, each followed by a separator (so no text is empty below)
    lengths = np.array([len(t) + 1 for t in norm], dtype=np.int64)
    starts = np.cumsum(lengths) - lengths
    cp = _codepoints("".join(t + "\x00" for t in norm))
    content = _is_cjk_or_alnum(cp)
    plen = np.array([len(p) for p in names], dtype=np.int64)
    begin = starts[text_of] + offset
    end = np.minimum(begin + plen[phrase_of], starts[text_of] + lengths[text_of] - 1)
    formula = phrases["is_formula"].to_numpy(dtype=bool)

    def covered_chars(keep: np.ndarray) -> np.ndarray:
        """Per text: content characters inside at least one kept occurrence (difference array)."""
        diff = np.bincount(begin[keep], minlength=len(cp) + 1) - np.bincount(end[keep], minlength=len(cp) + 1)
        covered = np.cumsum(diff[:len(cp)]) > 0
        return np.add.reduceat((covered & content).astype(np.int64), starts) if n_texts else np.zeros(0, int)

    n_chars = np.add.reduceat(content.astype(np.int64), starts) if n_texts else np.zeros(0, dtype=np.int64)
    n_all = covered_chars(np.ones(len(begin), dtype=bool))
    n_content = covered_chars(~formula[phrase_of])
    # distinct phrases per text, and the regions of those phrases (a text x phrase x region product)
    used = sp.csr_matrix((np.ones(len(text_of)), (text_of, phrase_of)), shape=(n_texts, len(names)))
    used.sum_duplicates()
    lists = phrases["regions"].astype(str).str.split(";")
    region_names = pd.Index(sorted(set(chain.from_iterable(lists)) | set(regions)))
    flat = lists.explode()
    phrase_regions = sp.csr_matrix((np.ones(len(flat)), (np.repeat(np.arange(len(names)), lists.str.len()),
                                                         region_names.get_indexer(flat.to_numpy()))),
                                   shape=(len(names), len(region_names)))
    own = region_names.get_indexer(regions)
    names_of = region_names.to_numpy(dtype=object)
    n_regions, shared_with = _shared_with(used, phrase_regions, own, names_of)
    return pd.DataFrame({
        "region": regions, "task_id": list(task_ids), "n_chars": n_chars, "n_chars_shared": n_all,
        "share_shared": [round(a / n, 4) if n else 0.0 for a, n in zip(n_all.tolist(), n_chars.tolist())],
        "n_chars_shared_content": n_content,
        "share_shared_content": [round(a / n, 4) if n else 0.0 for a, n in zip(n_content.tolist(), n_chars.tolist())],
        "n_phrases": np.diff(used.indptr).astype(np.int64), "n_regions_shared": n_regions,
        "shared_with": shared_with})


# --------------------------------------------------------------------------------------------------
# Keyness: Dunning's log-likelihood of each region against the rest

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
    tasks = tasks[_proper(tasks)]
    toks = tokenize.task_tokens(tasks, tokens, drop_heading=False, views=views)
    out: dict[str, list[list[str]]] = {}
    for region, tid in zip(tasks["region"], tasks["task_id"]):
        out.setdefault(region, []).append(toks[tid])
    return out


# --------------------------------------------------------------------------------------------------
# Stage

class _Steps:
    """Wall time and peak memory of the stage's steps, logged at DEBUG level (``-v`` shows them)."""

    def __init__(self):
        self.last = time.perf_counter()

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        if not log.isEnabledFor(logging.DEBUG):
            self.last = now
            return
        import resource  # Unix only; read only when the steps are logged

        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        log.debug("compare: %-16s %6.2f s, peak RSS %.0f MB", name, now - self.last, rss)
        self.last = now


def phrase_tables(texts: Sequence[str], regions: Sequence[str], task_ids: Sequence[str]
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`shared_phrases` and :func:`task_sharing` of the same texts (the phrases mined once)."""
    phrases, _, occurrences = _phrase_arrays(texts, regions, task_ids, min_chars=MIN_PHRASE_CHARS,
                                             min_regions=2, quoted=True)
    return phrases, _sharing(texts, regions, task_ids, phrases, occurrences)


def build(ctx) -> None:
    """Add similarity, alignment, shared_phrases, task_sharing and keyness tables to the context.

    With more than one process (``ctx.workers``, set by the pipeline for large corpora) the shared
    phrases and task sharing are mined in a child process while this one computes similarity, alignment
    and keyness; the tables are the same either way. The child is forked first, while this process is
    smallest, and reads only the texts (a forked child copies every page whose objects it touches).
    The blocked alignment (many regions) hands half its regions to another child (:func:`align`).
    """
    tasks, tokens = ctx.tasks, ctx.tokens
    if tasks is None or tasks.empty:
        raise InputError("no tasks to compare — run the segment stage first.")
    workers = getattr(ctx, "workers", None) or 1
    step = _Steps()
    views = segment.task_views(tasks)
    proper = _proper(tasks)
    texts = (views["heading"] + views["body"]).tolist()
    side = parallel.Background(phrase_tables, texts, tasks["region"].tolist(), tasks["task_id"].tolist(),
                               enabled=workers > 1)
    del texts
    counts = task_counts(tasks, tokens, views=views)
    step("counts")
    sim, near = region_similarity(counts, tasks.loc[proper, "region"].to_numpy())
    ctx.add_table("similarity.csv", sim, sort_by=["method", "region", "other_region"])
    step("similarity")
    ali = alignment(tasks, tokens, views=views, counts=counts, neighbours=near, workers=workers)
    del counts
    ctx.add_table("alignment.csv", ali, sort_by=["region", "task_id", "other_region", "rank"])
    step("alignment")
    ctx.add_table("keyness.csv", keyness(region_docs(tasks, tokens, views=views)), sort_by=["region", "rank"])
    step("keyness")
    phrases, sharing = side.result()
    ctx.add_table("shared_phrases.csv", phrases, sort_by=["rank"])
    sharing.insert(2, "is_preamble", (~proper).to_numpy())
    ctx.add_table("task_sharing.csv", sharing, sort_by=["region", "task_id"])
    step("shared phrases, task sharing")

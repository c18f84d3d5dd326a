"""Cross-jurisdiction comparison: similarity, task alignment, shared phrasing, keyness (issue 6).

``build(ctx)`` adds five tables (see docs/data-dictionary.md):

``similarity.csv``
    region x region similarity of the whole plans, long form (``region``, ``other_region``, ``method``,
    ``score``), two methods: ``tfidf_tokens`` (cosine of TF-IDF over the pipeline's tokens) and
    ``char_ngrams`` (cosine of TF-IDF over character 2-4-grams of the normalized text). The IDF is learnt
    over tasks, not over the five documents: a word used in a few tasks weighs more than one used in every
    task, whatever the region. Each region's vector is the sum of its tasks' term counts.
``alignment.csv``
    for every task, its ``k`` best-matching tasks in each other region (``rank`` 1..k, ``score`` =
    cosine), by sparse top-k nearest neighbours (:func:`align`): the task x task similarity is never
    materialised, so 100,000 tasks fit in a few hundred MB.
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
import resource
import time
from collections import Counter
from functools import lru_cache
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis import config, segment, tokenize
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


@lru_cache(maxsize=8192)
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
    """Document x term count matrix of token lists, and the terms (in order of first use)."""
    vocab: dict[str, int] = {}
    indices = np.fromiter((vocab.setdefault(t, len(vocab)) for d in docs for t in d), dtype=np.int64)
    indptr = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum([len(d) for d in docs], out=indptr[1:])
    counts = sp.csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr),
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
    lo, hi = ngram_range
    if not 1 <= lo <= hi:
        raise UsageError(f"ngram_range must be (lo, hi) with 1 <= lo <= hi, not {ngram_range!r}.")
    texts = [char_text(t) for t in texts]
    joined = "\x00".join(texts) + "\x00"
    cp = _codepoints(joined)
    ok = _is_cjk_or_alnum(cp)
    doc = np.cumsum(cp == 0) - (cp == 0)  # document index of each position
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
    rows = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    keys = np.concatenate(keys) if keys else np.zeros(0, dtype=np.uint64)
    _, cols = np.unique(keys, return_inverse=True)
    counts = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols.ravel())),
                           shape=(len(texts), int(cols.max()) + 1 if len(cols) else 1))
    counts.sum_duplicates()
    return counts


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


def task_matrix(tasks: pd.DataFrame, tokens: Mapping[str, Sequence[str]], *,
                method: str = ALIGN_METHOD, views: pd.DataFrame | None = None) -> sp.csr_matrix:
    """One L2-normalised TF-IDF row per task of ``tasks`` (in order) for ``method`` (:data:`ALIGN_METHODS`):
    tokens without the section heading and task-list cells, and/or character n-grams of the body."""
    _check(method, ALIGN_METHODS, "alignment method")
    views = segment.task_views(tasks) if views is None else views.loc[tasks.index]
    parts = []
    if method in ("tfidf_tokens", "combined"):
        toks = tokenize.task_tokens(tasks, tokens, drop_heading=True, views=views)
        parts.append(tfidf(token_counts([toks[t] for t in tasks["task_id"]])[0]))
    if method in ("char_ngrams", "combined"):
        parts.append(tfidf(char_counts(views["body"].tolist())))
    return combine(*parts) if len(parts) > 1 else parts[0]


# --------------------------------------------------------------------------------------------------
# Region x region similarity

def _region_cosine(counts: sp.csr_matrix, groups: np.ndarray, regions: list[str]) -> np.ndarray:
    """Cosine of region vectors: summed task counts x IDF learnt over tasks (smooth, as scikit-learn)."""
    n = counts.shape[0]
    member = sp.csr_matrix((np.ones(n, dtype=np.float32), (np.searchsorted(regions, groups), np.arange(n))),
                           shape=(len(regions), n))
    vec = tfidf(member @ counts, sublinear_tf=False, idf=inverse_df(counts), dtype=np.float64)
    return np.asarray((vec @ vec.T).todense(), dtype=float)


def similarity(tasks: pd.DataFrame, tokens: Mapping[str, Sequence[str]], *,
               methods: Sequence[str] = METHODS, views: pd.DataFrame | None = None) -> pd.DataFrame:
    """Region x region cosine similarity, long form: ``region``, ``other_region``, ``method``, ``score``.

    Tasks proper only (front matter out); task-list cells out; headings in (they are the plan's text).
    """
    for m in methods:
        _check(m, METHODS, "similarity method")
    tasks = tasks[_proper(tasks)]
    views = segment.task_views(tasks) if views is None else views.loc[tasks.index]
    groups = tasks["region"].to_numpy()
    regions = sorted(set(groups))
    frames = []
    for method in methods:
        if method == "tfidf_tokens":
            toks = tokenize.task_tokens(tasks, tokens, drop_heading=False, views=views)
            counts = token_counts([toks[t] for t in tasks["task_id"]])[0]
        else:
            counts = char_counts((views["heading"] + "\n" + views["body"]).tolist())
        cos = _region_cosine(counts, groups, regions)
        a, b = np.meshgrid(np.arange(len(regions)), np.arange(len(regions)), indexing="ij")
        frames.append(pd.DataFrame({"region": np.array(regions)[a.ravel()],
                                    "other_region": np.array(regions)[b.ravel()],
                                    "method": method, "score": cos.ravel().round(6)}))
    return pd.concat(frames, ignore_index=True)


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
          min_score: float = 0.0) -> pd.DataFrame:
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
    if backend == "topn":
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
              views: pd.DataFrame | None = None) -> pd.DataFrame:
    """For every task proper, its ``k`` best matches in every other region (see :func:`align`).

    With more than :data:`MAX_REGIONS_PER_REGION` regions (``scope="auto"``), the ``ALIGN_K_ANY`` best
    matches in *any* other region instead (``rank`` then counts per task, not per task and region): the
    per-region table would grow as tasks x regions.

    Columns: ``region``, ``task_id``, ``other_region``, ``other_task_id``, ``score`` (cosine of
    ``method``), ``rank``, ``score_tokens``, ``score_chars`` (the pair's two cosines), ``title``,
    ``other_title``, and ``domain``, ``other_domain``, ``same_domain`` when domains are known.
    """
    tasks = tasks[_proper(tasks)]
    views = (segment.task_views(tasks) if views is None else views.loc[tasks.index]).reset_index(drop=True)
    tasks = tasks.reset_index(drop=True)
    X_tok = task_matrix(tasks, tokens, method="tfidf_tokens", views=views)
    X_chr = task_matrix(tasks, tokens, method="char_ngrams", views=views)
    X = {"tfidf_tokens": X_tok, "char_ngrams": X_chr, "combined": None}[_check(method, ALIGN_METHODS,
                                                                                "alignment method")]
    if X is None:
        X = combine(X_tok, X_chr)
    n_regions = tasks["region"].nunique()
    if scope == "auto":
        scope = "group" if n_regions <= MAX_REGIONS_PER_REGION else "any"
    if scope == "any" and k == ALIGN_K:
        k = ALIGN_K_ANY
    pairs = align(X, tasks["region"].to_numpy(), k=k, scope=scope, backend=backend)
    q, m = pairs["query"].to_numpy(), pairs["match"].to_numpy()
    rowdot = lambda A: np.asarray(A[q].multiply(A[m]).sum(axis=1)).ravel()  # noqa: E731
    out = pd.DataFrame({
        "region": tasks["region"].to_numpy()[q], "task_id": tasks["task_id"].to_numpy()[q],
        "other_region": pairs["other_group"].to_numpy(), "other_task_id": tasks["task_id"].to_numpy()[m],
        "score": pairs["score"].round(4).to_numpy(), "rank": pairs["rank"].to_numpy(),
        "score_tokens": rowdot(X_tok).round(4) if len(q) else [],
        "score_chars": rowdot(X_chr).round(4) if len(q) else [],
        "title": segment.cell(tasks, "title").to_numpy()[q], "other_title": segment.cell(tasks, "title").to_numpy()[m],
    })
    dom = task_domains(tasks)
    if dom is not None:
        out["domain"] = dom.to_numpy()[q]
        out["other_domain"] = dom.to_numpy()[m]
        out["same_domain"] = out["domain"] == out["other_domain"]
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


def _phrase_char(cp: np.ndarray) -> np.ndarray:
    """Code points a phrase may contain: CJK, letters, digits, + 、 ·."""
    return _is_cjk_or_alnum(cp) | (cp == ord("+")) | (cp == ord("、")) | (cp == ord("·"))


def _runs(texts: Sequence[str], *, min_chars: int):
    """Distinct phrase runs (maximal stretches of phrase characters, at least ``min_chars`` long) and,
    for each, its occurrences as (text index, offset)."""
    runs: dict[str, list[tuple[int, int]]] = {}
    for i, text in enumerate(texts):
        for m in PHRASE_RUN_RE.finditer(text):
            if m.end() - m.start() >= min_chars:
                runs.setdefault(m.group(0), []).append((i, m.start()))
    return runs


def _mine_shared(runs: Mapping[str, Sequence[tuple[int, int]]], region_idx: np.ndarray, *, min_chars: int
                 ) -> list[str]:
    """Closed substrings of the distinct ``runs`` (see :func:`_runs`) used in two or more regions.

    Identical runs are mined once (weighted by how often they occur), so a corpus that repeats itself
    costs what its distinct text costs. Level-wise over hashed n-grams, vectorised: the n-grams of
    length ``min_chars`` are hashed and grouped; a group is *shared* when the regions of its runs span
    more than one region (min region < max region); only shared positions whose right neighbour is
    shared are extended to n + 1, so the work shrinks with each level. A shared n-gram is *closed* when
    no one-character extension occurs as often (otherwise every occurrence lies inside the longer one).
    """
    if not runs:
        return []
    strings = list(runs)
    occ = list(runs.values())
    weight = np.array([len(o) for o in occ], dtype=np.float64)
    rmin = np.array([min(region_idx[i] for i, _ in o) for o in occ])
    rmax = np.array([max(region_idx[i] for i, _ in o) for o in occ])
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
    return sorted({big[p:p + n] for n, positions in closed for p in positions.tolist()})


def _word_trim(gram: str, big: str, *, rounds: int = 3) -> str:
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
        cuts_left, cuts_right = [], []
        p = big.find(gram)
        while p >= 0:
            end = p + len(gram)
            cuts_left.append(any(freq.get(big[p - j:p + i]) for j in (1, 2, 3) for i in (1, 2, 3)
                                 if p - j >= 0 and i < len(gram)))
            cuts_right.append(any(freq.get(big[end - i:end + j]) for j in (1, 2, 3) for i in (1, 2, 3)
                                  if i < len(gram)))
            p = big.find(gram, p + 1)
        def drop(word, cuts):
            return (word in stop or any(cuts)) if len(word) == 1 else bool(cuts) and all(cuts)
        trimmed = words
        if drop(trimmed[0], cuts_left):
            trimmed = trimmed[1:]
        if len(trimmed) > 1 and drop(trimmed[-1], cuts_right):
            trimmed = trimmed[:-1]
        new = "".join(trimmed)
        if new == gram:
            break
        gram = new
    return gram.strip(PHRASE_EDGE_CHARS)


@lru_cache(maxsize=65536)
def _string_words(text: str) -> tuple[str, ...]:
    return tuple(tokenize.words(text))


def _find_in_runs(phrase: str, big: str, run_of: np.ndarray, run_start: np.ndarray,
                  occ: Sequence[Sequence[tuple[int, int]]]) -> list[tuple[int, int]]:
    """Every occurrence (text index, offset) of ``phrase`` inside the distinct runs, expanded to texts."""
    out = []
    p = big.find(phrase)
    while p >= 0:
        r, off = int(run_of[p]), p - int(run_start[p])
        out.extend((i, o + off) for i, o in occ[r])
        p = big.find(phrase, p + 1)
    return out


def _quoted(texts: Sequence[str]) -> dict[str, list[tuple[int, int]]]:
    """Quoted coinages (at least two CJK characters) -> their quoted occurrences (text, offset)."""
    out: dict[str, list[tuple[int, int]]] = {}
    for i, text in enumerate(texts):
        for m in QUOTED_RE.finditer(text):
            term = m.group(1)
            if term.strip() == term and len(CJK_RE.findall(term)) >= MIN_QUOTED_CHARS:
                out.setdefault(term, []).append((i, m.start(1)))
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
    return not any(len(CJK_RE.findall(tok)) >= 2 for tok in tokenize.string_tokens(phrase))


PHRASE_COLUMNS = ["rank", "phrase", "n_chars", "n_regions", "regions", "n_tasks", "task_ids", "n_occurrences",
                  "kind", "is_quoted", "is_formula"]


def phrase_occurrences(texts: Sequence[str], regions: Sequence[str], task_ids: Sequence[str], *,
                       min_chars: int = MIN_PHRASE_CHARS, min_regions: int = 2, quoted: bool = True
                       ) -> tuple[pd.DataFrame, dict[str, list[tuple[int, int]]]]:
    """:func:`shared_phrases` and, per phrase, its occurrences (text index, offset in the normalized text)."""
    texts = [phrase_text(t) for t in texts]
    regions = np.asarray(regions)
    task_ids = np.asarray(task_ids)
    if not (len(texts) == len(regions) == len(task_ids)):
        raise UsageError("texts, regions and task_ids must have the same length.")
    if min_regions < 2:
        raise UsageError(f"min_regions must be at least 2 (shared by two regions), not {min_regions!r}.")
    names = sorted(set(regions.tolist()))
    region_idx = np.searchsorted(names, regions)
    found: dict[str, set[tuple[int, int]]] = {}
    kinds: dict[str, str] = {}
    runs = _runs(texts, min_chars=min_chars)
    mined = _mine_shared(runs, region_idx, min_chars=min_chars)
    if mined:
        big = "\x00".join(runs) + "\x00"
        lengths = np.array([len(r) + 1 for r in runs])
        run_of = np.repeat(np.arange(len(runs)), lengths)
        run_start = np.repeat(np.cumsum(lengths) - lengths, lengths)
        occ_runs = list(runs.values())
        for phrase in sorted({_word_trim(gram, big) for gram in mined}):
            if len(CJK_RE.findall(phrase)) < min_chars:
                continue
            found[phrase] = set(_find_in_runs(phrase, big, run_of, run_start, occ_runs))
            kinds[phrase] = "ngram"
    quoted_terms = _quoted(texts) if quoted else {}
    for term, occ in quoted_terms.items():
        if len({regions[i] for i, _ in occ}) >= min_regions:
            found.setdefault(term, set()).update(occ)
            kinds.setdefault(term, "quoted")
    rows, occurrences = [], {}
    for phrase, occ in found.items():
        regs = sorted({regions[i] for i, _ in occ})
        if len(regs) < min_regions or is_filler(phrase):
            continue
        occurrences[phrase] = sorted(occ)
        tids = sorted({task_ids[i] for i, _ in occ})
        rows.append({"phrase": phrase, "n_chars": _content_len(phrase), "n_regions": len(regs),
                     "regions": ";".join(regs), "n_tasks": len(tids), "task_ids": ";".join(tids),
                     "n_occurrences": len(occ), "kind": kinds[phrase], "is_quoted": phrase in quoted_terms,
                     "is_formula": formula_share(phrase) >= FORMULA_SHARE})
    frame = pd.DataFrame(rows, columns=PHRASE_COLUMNS[1:])
    frame = frame.sort_values(["n_regions", "n_chars", "phrase"], ascending=[False, False, True],
                              kind="mergesort").reset_index(drop=True)
    frame.insert(0, "rank", np.arange(1, len(frame) + 1))
    return frame, occurrences


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


def task_sharing(texts: Sequence[str], regions: Sequence[str], task_ids: Sequence[str], *,
                 phrases: pd.DataFrame | None = None,
                 occurrences: Mapping[str, Sequence[tuple[int, int]]] | None = None,
                 **options) -> pd.DataFrame:
    """Per task: how much of its text is phrasing shared verbatim with another region.

    ``n_chars`` counts the content characters (CJK, letters, digits) of the normalized text;
    ``n_chars_shared`` those inside an occurrence of a shared phrase and ``share_shared`` their share;
    ``*_content`` the same without the phrases flagged ``is_formula``. ``n_phrases`` counts the distinct
    shared phrases in the task, ``shared_with`` the other regions that use at least one of them. Pass the
    result of :func:`phrase_occurrences` as ``phrases`` and ``occurrences``, or let it be computed
    (``options`` go to it).
    """
    if phrases is None or occurrences is None:
        phrases, occurrences = phrase_occurrences(texts, regions, task_ids, **options)
    norm = [phrase_text(t) for t in texts]
    regions = list(regions)
    cover_all = [np.zeros(len(t), dtype=bool) for t in norm]
    cover_content = [np.zeros(len(t), dtype=bool) for t in norm]
    used = [set() for _ in norm]
    others = [set() for _ in norm]
    for phrase, regs, formula in zip(phrases["phrase"], phrases["regions"], phrases["is_formula"]):
        regs = set(str(regs).split(";"))
        for i, o in occurrences.get(phrase, ()):
            cover_all[i][o:o + len(phrase)] = True
            if not formula:
                cover_content[i][o:o + len(phrase)] = True
            used[i].add(phrase)
            others[i] |= regs - {regions[i]}
    rows = []
    for i, (text, region, tid) in enumerate(zip(norm, regions, task_ids)):
        content = _is_cjk_or_alnum(_codepoints(text)) if text else np.zeros(0, dtype=bool)
        n = int(content.sum())
        n_all = int((cover_all[i] & content).sum())
        n_content = int((cover_content[i] & content).sum())
        rows.append({"region": region, "task_id": tid, "n_chars": n, "n_chars_shared": n_all,
                     "share_shared": round(n_all / n, 4) if n else 0.0,
                     "n_chars_shared_content": n_content,
                     "share_shared_content": round(n_content / n, 4) if n else 0.0,
                     "n_phrases": len(used[i]), "shared_with": ";".join(sorted(others[i]))})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------------
# Keyness: Dunning's log-likelihood of each region against the rest

def log_likelihood(a, b, c, d) -> np.ndarray:
    """Log-likelihood G2 of the 2 x 2 table [[a, b], [c - a, d - b]]: frequency ``a`` in a corpus of ``c``
    tokens against ``b`` in ``d`` tokens (Dunning 1993; all four cells, 1 degree of freedom)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    c, d = float(c), float(d)
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
    docs = {r: [[t for t in toks if not MARKER_TOKEN_RE.match(t)] for toks in task_list]
            for r, task_list in docs.items()}
    counts = {r: Counter(t for toks in task_list for t in toks) for r, task_list in docs.items()}
    doc_freq = {r: Counter(t for toks in task_list for t in set(toks)) for r, task_list in docs.items()}
    total = Counter()
    for c in counts.values():
        total.update(c)
    n_all = sum(total.values())
    frames = []
    for region in sorted(counts):
        own = counts[region]
        c = sum(own.values())
        d = n_all - c
        if c == 0 or d == 0:
            continue
        terms = sorted(t for t, f in own.items() if f >= min_freq)
        a = np.array([own[t] for t in terms], dtype=float)
        b = np.array([total[t] - own[t] for t in terms], dtype=float)
        over = a / c > b / d
        terms = [t for t, o in zip(terms, over) if o]
        a, b = a[over], b[over]
        g2 = log_likelihood(a, b, c, d)
        p = chi2_sf_1(g2)
        lr = np.log2(((np.where(a > 0, a, 0.5)) / c) / ((np.where(b > 0, b, 0.5)) / d))
        frame = pd.DataFrame({"region": region, "term": terms, "freq": a.astype(int), "freq_rest": b.astype(int),
                              "n_tasks": [doc_freq[region][t] for t in terms],
                              "per_10k": (1e4 * a / c).round(2), "per_10k_rest": (1e4 * b / d).round(2),
                              "statistic": g2.round(4), "p_value": p,
                              "p_bonferroni": np.minimum(1.0, p * max(len(own), 1)),
                              "log_ratio": lr.round(4)})
        frame = frame.sort_values(["statistic", "term"], ascending=[False, True], kind="mergesort").head(top)
        frames.append(frame.assign(rank=np.arange(1, len(frame) + 1)))
    cols = ["region", "rank", "term", "freq", "freq_rest", "n_tasks", "per_10k", "per_10k_rest", "statistic",
            "p_value", "p_bonferroni", "log_ratio"]
    return pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)


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

def build(ctx) -> None:
    """Add similarity, alignment, shared_phrases, task_sharing and keyness tables to the context."""
    tasks, tokens = ctx.tasks, ctx.tokens
    if tasks is None or tasks.empty:
        raise InputError("no tasks to compare — run the segment stage first.")
    views = segment.task_views(tasks)
    ctx.add_table("similarity.csv", similarity(tasks, tokens, views=views),
                  sort_by=["method", "region", "other_region"])
    ali = alignment(tasks, tokens, views=views)
    ctx.add_table("alignment.csv", ali, sort_by=["region", "task_id", "other_region", "rank"])
    texts = (views["heading"] + views["body"]).tolist()
    regions, task_ids = tasks["region"].tolist(), tasks["task_id"].tolist()
    phrases, occurrences = phrase_occurrences(texts, regions, task_ids)
    ctx.add_table("shared_phrases.csv", phrases, sort_by=["rank"])
    sharing = task_sharing(texts, regions, task_ids, phrases=phrases, occurrences=occurrences)
    sharing.insert(2, "is_preamble", (~_proper(tasks)).to_numpy())
    ctx.add_table("task_sharing.csv", sharing, sort_by=["region", "task_id"])
    ctx.add_table("keyness.csv", keyness(region_docs(tasks, tokens, views=views)), sort_by=["region", "rank"])

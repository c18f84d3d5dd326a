"""Task alignment (``alignment.csv``) and what is read from it: counterparts, the counterpart
threshold, score bands, the correspondence table.

:func:`align` is a sparse top-k nearest-neighbour search across groups that never materialises the
task x task similarity; :func:`alignment` runs it on the stage's tasks, blocked by the most similar
regions (:func:`analysis.compare.similarity.region_similarity`) beyond :data:`MAX_REGIONS_PER_REGION`
regions. Domains come from the domains stage only (:func:`task_domains`). :func:`synthetic_corpus` and
:func:`benchmark_align` measure the search at scale.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis import choices, parallel, segment, tokenization
from analysis.compare.similarity import ALIGN_NEAREST_REGIONS, region_similarity
from analysis.compare.vectors import (
    combine,
    l2_rows,
    proper_mask,
    task_counts,
    tfidf,
    token_counts,
)
from analysis.errors import InputError, UsageError

#: Task alignment methods: the two of the similarity, or ``combined`` (mean of the two cosines).
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
#: Pairs whose two cosines alignment.csv reports are gathered this many at a time.
PAIR_CHUNK = 20_000
#: Number of matches kept per task and other region in alignment.csv.
ALIGN_K = 3
#: ``backend="auto"`` uses sparse_dot_topn above this many rows.
TOPN_MIN_ROWS = 5000
#: Default cap on the elements of one dense similarity block in the scipy backend (float32: 64 MB).
MAX_BLOCK = 2 ** 24


# --------------------------------------------------------------------------------------------------
# Sparse top-k nearest neighbours in each other group

def _topn_available() -> bool:
    try:
        import sparse_dot_topn  # noqa: F401
    except ImportError:
        return False
    return True


def _as_matrix(data) -> sp.csr_matrix:
    if sp.issparse(data):
        return l2_rows(data)
    if isinstance(data, np.ndarray):
        raise UsageError("align() takes a sparse matrix, token lists or strings — not a dense array.")
    data = list(data)
    if data and isinstance(data[0], str):
        data = [tokenization.tokens(t) for t in data]
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
    lists (TF-IDF over them) or a list of strings (tokenized with :func:`tokenization.tokens`). ``groups``
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
    choices.check(backend, BACKENDS, what="backend")
    choices.check(scope, SCOPES, what="scope")
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
# The stage's alignment, with the domains stage's domains (never the hand labels)

def task_domains(tasks: pd.DataFrame) -> pd.Series | None:
    """Primary domain per task: ``tasks['domain']`` (the domains stage's) when it is informative (more
    than one domain among the tasks proper), else None — the alignment then has no domain columns. The
    hand labels are never read here: they belong to the evaluation and must not leak into the outputs."""
    proper = proper_mask(tasks)
    if "domain" in tasks.columns and tasks.loc[proper, "domain"].nunique() > 1:
        return tasks["domain"].fillna("").astype(str)
    return None


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
    against the exact search on the synthetic corpora of :mod:`analysis.synthetic` (the five plans, each
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
    tasks = tasks[proper_mask(tasks)].reset_index(drop=True)
    X_tok = tfidf(counts["tfidf_tokens_body"])
    X_chr = tfidf(counts["char_ngrams_body"])
    choices.check(method, ALIGN_METHODS, what="alignment method")
    X = {"tfidf_tokens": X_tok, "char_ngrams": X_chr, "combined": None}[method]
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


# --------------------------------------------------------------------------------------------------
# Reading the alignment: best matches, counterparts, score bands, correspondence

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

"""Region x region similarity of the whole plans (``similarity.csv``), and each region's nearest regions.

A region's vector is the sum of its tasks' term counts weighed by an IDF learnt over tasks
(:func:`region_vectors`); two methods, ``tfidf_tokens`` and ``char_ngrams``. Every pair up to
:data:`SIMILARITY_ALL_PAIRS_MAX` regions; beyond, each region's own row and its :data:`SIMILARITY_TOP_K`
most similar regions, the cosines computed a block of regions at a time (:func:`cosine_blocks`). The
nearest regions drive the alignment's blocking (:mod:`analysis.compare.alignment`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis import choices
from analysis.compare.vectors import inverse_df, proper_mask, task_counts, tfidf

#: Region x region similarity methods.
METHODS = ("tfidf_tokens", "char_ngrams")
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


def region_vectors(counts: sp.csr_matrix, groups: np.ndarray, regions: list[str]) -> sp.csr_matrix:
    """Region vectors: summed task counts x IDF learnt over tasks (smooth, as scikit-learn), L2 rows."""
    n = counts.shape[0]
    member = sp.csr_matrix((np.ones(n, dtype=np.float32), (np.searchsorted(regions, groups), np.arange(n))),
                           shape=(len(regions), n))
    return tfidf(member @ counts, sublinear_tf=False, idf=inverse_df(counts), dtype=np.float64)


def _region_cosine(counts: sp.csr_matrix, groups: np.ndarray, regions: list[str]) -> np.ndarray:
    """All region x region cosines (few regions: one sparse product)."""
    vec = region_vectors(counts, groups, regions)
    return np.asarray((vec @ vec.T).todense(), dtype=float)


def cosine_blocks(vec: sp.csr_matrix, *, block_elements: int = REGION_BLOCK_ELEMENTS):
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
    a block of regions at a time (:func:`cosine_blocks`), never as a regions x regions array.

    The nearest regions (by the mean of the methods' cosines, ties by region order) are what
    :func:`alignment` searches beyond :data:`MAX_REGIONS_PER_REGION` regions.
    """
    for m in methods:
        choices.check(m, METHODS, what="similarity method")
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
        blocks_of = [cosine_blocks(region_vectors(counts[m], groups, regions)) for m in methods]
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
    """Blocks of several :func:`cosine_blocks` generators side by side: ``(lo, hi, block1, block2 …)``."""
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
        choices.check(m, METHODS, what="similarity method")
    counts = task_counts(tasks, tokens, views=views) if counts is None else counts
    groups = tasks.loc[proper_mask(tasks), "region"].to_numpy()
    return region_similarity(counts, groups, methods=methods)[0]

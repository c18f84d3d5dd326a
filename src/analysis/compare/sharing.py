"""Task sharing (``task_sharing.csv``): for each task, how much of its text is phrasing shared verbatim
with another region, and which regions share it.

Built on the phrases and occurrences of :mod:`analysis.compare.reuse`; :func:`phrase_tables` gives both
tables from one mining. Texts with the same phrases reach the same regions, so the text x region product
is made once per distinct row (:func:`_shared_with`), a chunk at a time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import chain, pairwise

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis.compare.reuse import (
    MIN_PHRASE_CHARS,
    phrase_arrays,
    phrase_occurrences,
    phrase_text,
)
from analysis.compare.vectors import codepoints, is_cjk_or_alnum

#: task_sharing lists the other regions of this many tasks at a time (bounded memory; ~700 regions a task
#: in a 1,000-plan corpus of near-copies).
SHARING_CHUNK = 2048
#: task_sharing names at most this many other regions per task (``n_regions_shared`` counts them all).
SHARED_WITH_MAX = 20
#: Histogram cells (rows x distinct values) :func:`top_k_mask` fills at a time (int64: 32 MB).
TOP_K_CELLS = 2 ** 22


def _distinct_rows(matrix: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Number of each row's pattern among the distinct rows (in order of first use) and the first row of
    each pattern. ``matrix`` must be canonical (sorted indices, no duplicates): equal rows then have equal
    bytes. Tasks repeat one another's phrasing, so the distinct rows are a fraction of the rows."""
    ind, dat, ptr = matrix.indices, matrix.data, matrix.indptr.tolist()
    keys = np.empty(matrix.shape[0], dtype=object)
    keys[:] = [ind[a:b].tobytes() + dat[a:b].tobytes() for a, b in pairwise(ptr)]
    codes, uniq = pd.factorize(keys)
    first = np.empty(len(uniq), dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
    return codes, first


def top_k_mask(indptr: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
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
        top = np.flatnonzero(top_k_mask(reach.indptr, reach.data, k + 1))
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
    return n_other, [";".join(flat_names[a:b]) for a, b in pairwise(bounds)]


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
    cp = codepoints("".join(t + "\x00" for t in norm))
    content = is_cjk_or_alnum(cp)
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


def phrase_tables(texts: Sequence[str], regions: Sequence[str], task_ids: Sequence[str]
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`shared_phrases` and :func:`task_sharing` of the same texts (the phrases mined once)."""
    phrases, _, occurrences = phrase_arrays(texts, regions, task_ids, min_chars=MIN_PHRASE_CHARS,
                                            min_regions=2, quoted=True)
    return phrases, _sharing(texts, regions, task_ids, phrases, occurrences)

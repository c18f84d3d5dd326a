"""Shared phrasing at scale: phrases mined within blocks of related documents (issue 18).

Up to :data:`PHRASE_BLOCK_DOCS` documents the phrases are mined over the whole corpus at once
(:func:`analysis.compare.sharing.phrase_tables`). Beyond, the documents are grouped by prefecture (by province
where the manifest names no prefecture): the administrative level at which county plans copy a common template.
A group over :data:`PHRASE_BLOCK_DOCS` documents is cut into as few parts as keep each under it, by a stable
hash of the jurisdiction (a bureau's documents stay together, and adding a document moves no other bureau
unless its group needs one more part). Each block is mined on its own — in a pool over the cores, and read
back from the build's cache when the block's texts are unchanged — and the tables are merged: a phrase's
regions, tasks and occurrences are the sums over the blocks it is shared in; each task's sharing is that
of its block. The cost is linear in the number of blocks; what blocking misses (a phrase used once in each
of two blocks) is measured by :func:`recall` and reported by the benchmark.

Similarity, alignment and keyness beyond the same threshold (:func:`compare_blocked`): blocks of a province's
documents (:data:`COMPARE_BLOCK_BY`), cut the same way; each block is compared as a corpus of its own
(:func:`compare_block`) and its three tables are kept by the block's content, so adding a document compares its
block again and reads the others back. Rows never join two blocks (docs/data-dictionary.md).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from functools import partial

import numpy as np
import pandas as pd

from analysis import parallel
from analysis.compare.sharing import phrase_tables

#: Corpora of more documents are mined in blocks; no block holds more.
PHRASE_BLOCK_DOCS = 200


def _stable(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def assign(docs: Sequence[dict], *, max_docs: int | None = None, by: str = "prefecture") -> dict[str, str]:
    """Region -> block name, for documents given as dicts with ``region``, ``province``, ``prefecture`` and
    ``jurisdiction``; one block named ``all`` when there are at most ``max_docs`` (default
    :data:`PHRASE_BLOCK_DOCS`, read at the call) documents. ``by="province"`` groups by province (the
    comparison's blocks, :data:`COMPARE_BLOCK_BY`), else by prefecture (a province's where none is given)."""
    max_docs = PHRASE_BLOCK_DOCS if max_docs is None else max_docs
    if len(docs) <= max_docs:
        return {d["region"]: "all" for d in docs}
    groups: dict[str, list[dict]] = {}
    for d in docs:
        level = d.get("province") if by == "province" else d.get("prefecture") or d.get("province")
        groups.setdefault(level or "-", []).append(d)
    out = {}
    for name, members in groups.items():
        parts = max(1, math.ceil(len(members) / max_docs))
        for d in members:
            k = _stable(d.get("jurisdiction") or d["region"]) % parts
            out[d["region"]] = f"{name}#{k}" if parts > 1 else name
    return out


def _merge_repeated(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of the phrases found in several blocks, one row per phrase (in order of first appearance):
    counts summed, region and task lists joined (sorted, distinct), ``kind`` ``ngram`` when any block found
    it as an n-gram, ``is_quoted`` when any block quoted it; ``n_chars`` and ``is_formula`` are the phrase's
    own (the same in every block). Plain dicts: few phrases, and a pandas group per phrase costs ~1 ms."""
    merged: dict[str, dict] = {}
    for r in rows.to_dict("records"):
        m = merged.get(r["phrase"])
        if m is None:
            merged[r["phrase"]] = {**r, "regions": {r["regions"]}, "task_ids": {r["task_ids"]}}
            continue
        for name in ("n_regions", "n_tasks", "n_occurrences"):
            m[name] += r[name]
        m["regions"].add(r["regions"])
        m["task_ids"].add(r["task_ids"])
        m["kind"] = "ngram" if "ngram" in (m["kind"], r["kind"]) else "quoted"
        m["is_quoted"] = m["is_quoted"] or r["is_quoted"]
    for m in merged.values():
        for name in ("regions", "task_ids"):
            m[name] = ";".join(sorted(set(";".join(m[name]).split(";"))))
    return pd.DataFrame(list(merged.values()), columns=rows.columns).astype(rows.dtypes.to_dict())


def merge_phrases(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """One shared-phrases table from the blocks' (disjoint regions): counts summed, region and task lists
    joined, ranked as :func:`analysis.compare.reuse.phrase_arrays` ranks. A phrase found in one block only
    keeps its row (its lists are already sorted and distinct: ``phrase_arrays`` makes them so)."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=["rank", "phrase", "n_chars", "n_regions", "regions", "n_tasks", "task_ids",
                                     "n_occurrences", "kind", "is_quoted", "is_formula"])
    columns = list(frames[0].columns)
    if len(frames) == 1:
        return frames[0]
    allf = pd.concat(frames, ignore_index=True).drop(columns="rank")
    repeated = allf["phrase"].duplicated(keep=False).to_numpy()
    out = pd.concat([allf[~repeated], _merge_repeated(allf[repeated])], ignore_index=True)
    out = out.sort_values(["n_regions", "n_chars", "phrase"], ascending=[False, False, True], kind="mergesort")
    out = out.reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out[columns]


def _block_key(salt: str, texts: Sequence[str], regions: Sequence[str], task_ids: Sequence[str]) -> str:
    h = hashlib.sha256(f"phrases|{salt}|{PHRASE_BLOCK_DOCS}".encode())
    for t, r, i in zip(texts, regions, task_ids):
        h.update(f"\0{r}\0{i}\0{t}".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _mine(args: tuple) -> tuple:
    return phrase_tables(*args)


def phrase_tables_blocked(texts: Sequence[str], regions: Sequence[str], task_ids: Sequence[str],
                          block_of: dict[str, str], *, workers: int = 1,
                          get: Callable[[str], object] | None = None, put: Callable[[str, object], None] | None = None,
                          salt: str = "") -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`phrase_tables` mined block by block (``block_of``: region -> block, :func:`assign`) and merged;
    the task-sharing rows in the order of ``texts``. ``get``/``put`` read and store each block's tables by
    its content (with ``salt``: the code's fingerprint)."""
    members = _members(regions, block_of)
    args = {b: partial(_pick, idx, texts, regions, task_ids) for b, idx in members.items()}
    ordered = _by_block(args, key=lambda a: _block_key(salt, *a), job=_mine, local=_mine, workers=workers,
                        get=get, put=put)
    phrases = merge_phrases([p for p, _ in ordered])
    sharing = pd.concat([s for _, s in ordered], ignore_index=True)
    position = pd.Series(np.arange(len(task_ids)), index=pd.Index(task_ids))
    sharing = sharing.iloc[np.argsort(position.loc[sharing["task_id"]].to_numpy(), kind="stable")]
    return phrases, sharing.reset_index(drop=True)


def _members(regions: Sequence[str], block_of: dict[str, str]) -> dict[str, list[int]]:
    """Block -> the positions of its rows (``regions``: each row's region), grouped in one pass."""
    members: dict[str, list[int]] = {}
    for i, r in enumerate(regions):
        members.setdefault(block_of[r], []).append(i)
    return members


def _pick(idx: Sequence[int], *columns: Sequence) -> tuple[list, ...]:
    """The rows ``idx`` of each of ``columns`` (one block's share of the corpus-wide lists)."""
    return tuple([column[i] for i in idx] for column in columns)


def _by_block(args: dict[str, Callable[[], tuple]], *, key: Callable[[tuple], str], job: Callable, local: Callable,
              workers: int, get: Callable[[str], object] | None, put: Callable[[str, object], None] | None) -> list:
    """Each block's result in block order: read back by its content's ``key`` when the cache (``get``/``put``)
    holds it, else computed — by ``job`` in a pool of ``workers`` when several blocks are to compute, by
    ``local`` otherwise — and stored. Without a cache no key is computed. ``args`` makes each block's arguments
    when they are needed (for its key, when it is computed) and they are dropped after: the blocks' copies of
    the corpus are never all held at once (issue 18)."""
    keys = {b: key(make()) for b, make in args.items()} if get is not None or put is not None else {}
    done = {b: found for b in args if get is not None and (found := get(keys[b])) is not None}
    todo = [b for b in sorted(args) if b not in done]
    if workers > 1 and len(todo) > 1:
        with parallel.pool(min(workers, len(todo)), fresh=True) as pool:  # the blocks travel pickled
            results = list(pool.imap(job, (args[b]() for b in todo), chunksize=1))
    else:
        results = [local(args[b]()) for b in todo]
    for b, res in zip(todo, results):
        done[b] = res
        if put is not None:
            put(keys[b], res)
    return [done[b] for b in sorted(done)]


def recall(full: pd.DataFrame, blocked: pd.DataFrame) -> float:
    """Share of the (phrase, region) pairs of the corpus-wide mining that the blocked mining also finds."""
    def pairs(frame):
        return {(p, r) for p, rs in zip(frame["phrase"], frame["regions"]) for r in str(rs).split(";")}

    want = pairs(full)
    return len(want & pairs(blocked)) / len(want) if want else 1.0


# --------------------------------------------------------------------------------------------------
# Similarity, alignment and keyness block by block

#: The comparison's blocks group a province's documents (cut by jurisdiction past PHRASE_BLOCK_DOCS), not a
#: prefecture's: a plan's closest plans are often in another prefecture of its province (a provincial template),
#: and a prefecture's few documents would be compared only among themselves. Recall measured in
#: benchmarks/README.md ("Adding one document").
COMPARE_BLOCK_BY = "province"
#: The alignment's columns that are the tasks' own domains: added over the whole corpus after the blocks
#: are merged (whether the corpus has domains at all is a corpus-wide decision, :func:`task_domains`).
DOMAIN_COLUMNS = ("domain", "other_domain", "same_domain")


def _compare_key(salt: str, tasks: pd.DataFrame, tokens: dict, names: frozenset) -> str:
    """The content of one block as the comparison reads it: every column of its task rows, their tokens,
    the block's place and person names, and the tunables the comparison reads (beside the code's
    fingerprint ``salt``, they may be patched)."""
    import importlib  # the modules, not the functions of the same names that analysis.compare exports

    al, ky, si = (importlib.import_module(f"analysis.compare.{m}") for m in ("alignment", "keyness", "similarity"))

    tunables = (PHRASE_BLOCK_DOCS, si.SIMILARITY_ALL_PAIRS_MAX, si.SIMILARITY_TOP_K, si.ALIGN_NEAREST_REGIONS,
                al.MAX_REGIONS_PER_REGION, al.ALIGN_K, al.ALIGN_K_ANY, ky.KEYNESS_TOP, ky.KEYNESS_MIN_FREQ)
    h = hashlib.sha256(f"compare|{salt}|{tunables}".encode())
    for col in tasks.columns:
        h.update(f"\0{col}\0{tasks[col].dtype}\0".encode())
        h.update("\1".join(map(str, tasks[col].tolist())).encode("utf-8", "surrogatepass"))
    for tid in tasks["task_id"]:
        h.update(("\2" + "\1".join(tokens[tid])).encode("utf-8", "surrogatepass"))
    h.update(("\3" + "\1".join(sorted(names))).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def compare_block(tasks: pd.DataFrame, tokens: dict, names: frozenset, workers: int = 1
                  ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Similarity, alignment (without its domain columns) and keyness of one block's tasks, as a corpus of
    that block alone would have them: its IDF, its regions' nearest regions, its rest for keyness."""
    from analysis import segment
    from analysis.compare.alignment import alignment
    from analysis.compare.keyness import keyness, region_docs
    from analysis.compare.similarity import region_similarity
    from analysis.compare.vectors import proper_mask, task_counts

    proper = proper_mask(tasks)
    if not proper.any():
        return pd.DataFrame(columns=["region", "other_region", "method", "score"]), pd.DataFrame(), pd.DataFrame()
    views = segment.task_views(tasks)
    counts = task_counts(tasks, tokens, views=views)
    sim, near = region_similarity(counts, tasks.loc[proper, "region"].to_numpy())
    counts = {key: counts[key] for key in ("tfidf_tokens_body", "char_ngrams_body")}
    ali = alignment(tasks, tokens, views=views, counts=counts, neighbours=near, workers=workers)
    ali = ali.drop(columns=[c for c in DOMAIN_COLUMNS if c in ali.columns])
    key = keyness(region_docs(tasks, tokens, views=views), names=names)
    return sim, ali, key


def _compare_job(args: tuple) -> tuple:
    return compare_block(*args)


def _block_args(tasks: pd.DataFrame, idx: Sequence[int], tokens: dict, names: frozenset) -> tuple:
    """One block's arguments of :func:`compare_block`: its task rows, their tokens, its names."""
    sub = tasks.iloc[idx]
    return sub, {tid: tokens[tid] for tid in sub["task_id"]}, names


def compare_blocked(tasks: pd.DataFrame, tokens: dict, block_of: dict[str, str], names_of: dict[str, frozenset], *,
                    workers: int = 1, get: Callable[[str], object] | None = None,
                    put: Callable[[str, object], None] | None = None, salt: str = ""
                    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``similarity.csv``, ``alignment.csv`` and ``keyness.csv`` compared block by block (``block_of``: region
    -> block, :func:`assign`; ``names_of``: block -> the place and person names keyness leaves out) and
    stacked: every row is within one block (see :func:`compare_block`). Each block's three tables are read
    back by its content (``get``/``put``, ``salt``: the code's fingerprint) when unchanged, so adding a
    document compares its block only. The alignment's domain columns are added over the stacked rows."""
    from analysis.compare.alignment import task_domains

    args = {block: partial(_block_args, tasks, idx, tokens, names_of.get(block, frozenset()))
            for block, idx in _members(tasks["region"].tolist(), block_of).items()}
    ordered = _by_block(args, key=lambda a: _compare_key(salt, *a), job=_compare_job,
                        local=lambda a: compare_block(*a, workers=workers), workers=workers, get=get, put=put)
    sim, ali, key = (_stack([r[i] for r in ordered]) for i in range(3))
    dom = task_domains(tasks)
    if dom is not None and len(ali.columns):
        of = pd.Series(dom.to_numpy(), index=tasks["task_id"].to_numpy())
        ali["domain"] = of.loc[ali["task_id"]].to_numpy()
        ali["other_domain"] = of.loc[ali["other_task_id"]].to_numpy()
        ali["same_domain"] = ali["domain"] == ali["other_domain"]
    return sim, ali, key


def _stack(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The blocks' frames one under the other (blocks without rows left out, so dtypes stay the blocks')."""
    full = [f for f in frames if len(f)]
    if not full:
        return next((f for f in frames if len(f.columns)), frames[0] if frames else pd.DataFrame())
    return full[0].reset_index(drop=True) if len(full) == 1 else pd.concat(full, ignore_index=True)

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

Beyond 200 documents (``blocks.PHRASE_BLOCK_DOCS``) similarity, alignment and keyness are computed block by
block (:func:`analysis.compare.blocks.compare_blocked`): a province's documents, each block compared as a corpus
of its own (its IDF, its regions' nearest regions, keyness against the rest of the block), no row between two
blocks, and each block's tables read back from the build's cache while its content is unchanged. At or under
200 documents the corpus is one block and the comparison is the corpus-wide one described here.

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

Modules, importing one way (``vectors`` <- ``similarity`` <- ``alignment``; ``vectors`` <- ``reuse`` <-
``sharing``; ``vectors`` <- ``keyness``; ``sharing``, ``alignment``, ``keyness`` <- ``blocks``; all of them <-
this one):

``vectors``
    what is compared (tasks proper, normalized texts), token and character n-gram counts, TF-IDF;
``similarity``
    region x region similarity and each region's nearest regions;
``alignment``
    task alignment (sparse top-k), counterparts, the counterpart threshold, score bands, correspondence;
``reuse``
    shared phrases, political formulas and filler;
``sharing``
    each task's share of shared phrasing;
``keyness``
    log-likelihood keyness of each region against the rest;
``blocks``
    beyond 200 documents: shared phrases mined, and similarity, alignment, keyness computed, block by block.

The public functions and constants are re-exported here (``compare.align``, ``compare.correspondence`` …);
``compare.similarity``, ``compare.alignment`` and ``compare.keyness`` are the functions, as before — import
from the modules of those names with ``from analysis.compare.similarity import …``. Tunables are read where
they are used: patch them on their module (``analysis.compare.sharing.SHARED_WITH_MAX``), not here.
Domains come only from the domains stage (``tasks['domain']``): the hand labels are never read.
"""

from __future__ import annotations

import logging
import time

from analysis import parallel, segment
from analysis.compare import blocks, reuse
from analysis.compare.alignment import (
    ALIGN_K,
    ALIGN_K_ANY,
    ALIGN_METHOD,
    ALIGN_METHODS,
    BACKENDS,
    MAX_REGIONS_PER_REGION,
    SCOPES,
    align,
    alignment,
    benchmark_align,
    best_matches,
    correspondence,
    counterpart_threshold,
    counterparts,
    score_bins,
    synthetic_corpus,
    task_domains,
)
from analysis.compare.keyness import (
    KEYNESS_ALPHA,
    KEYNESS_MIN_FREQ,
    KEYNESS_TOP,
    benjamini_hochberg,
    chi2_sf_1,
    corpus_names,
    is_excluded,
    keyness,
    log_likelihood,
    region_docs,
)
from analysis.compare.reuse import (
    MIN_PHRASE_CHARS,
    PHRASE_COLUMNS,
    formula_share,
    formulas,
    is_filler,
    phrase_occurrences,
    phrase_text,
    shared_phrases,
    string_words,
)
from analysis.compare.sharing import phrase_tables, task_sharing
from analysis.compare.similarity import (
    ALIGN_NEAREST_REGIONS,
    METHODS,
    SIMILARITY_ALL_PAIRS_MAX,
    SIMILARITY_TOP_K,
    region_similarity,
    similarity,
)
from analysis.compare.vectors import (
    CHAR_NGRAMS,
    char_counts,
    char_counts_shared,
    char_text,
    combine,
    inverse_df,
    normalized,
    proper_mask,
    task_counts,
    tfidf,
    token_counts,
    token_vectorizer,
)
from analysis.errors import InputError

__all__ = ["ALIGN_K", "ALIGN_K_ANY", "ALIGN_METHOD", "ALIGN_METHODS", "ALIGN_NEAREST_REGIONS", "BACKENDS",
           "CHAR_NGRAMS", "KEYNESS_MIN_FREQ", "KEYNESS_TOP", "MAX_REGIONS_PER_REGION", "METHODS", "MIN_PHRASE_CHARS",
           "PHRASE_COLUMNS", "SCOPES", "SIMILARITY_ALL_PAIRS_MAX", "SIMILARITY_TOP_K", "align", "alignment",
           "benchmark_align", "best_matches", "build", "char_counts", "char_counts_shared", "char_text", "chi2_sf_1",
           "clear", "combine", "correspondence", "counterpart_threshold", "counterparts", "formula_share",
           "formulas", "inverse_df", "is_filler", "keyness", "KEYNESS_ALPHA", "benjamini_hochberg", "corpus_names", "is_excluded",
           "log_likelihood", "phrase_occurrences", "phrase_tables",
           "phrase_text", "proper_mask", "region_docs", "region_similarity", "score_bins", "shared_phrases",
           "similarity", "synthetic_corpus", "task_counts", "task_domains", "task_sharing", "tfidf", "token_counts",
           "token_vectorizer"]

log = logging.getLogger(__name__)


def clear() -> None:
    """Forget the normalized texts and the cut phrases remembered, so a build starts cold."""
    normalized.cache_clear()
    string_words.cache_clear()
    reuse.clear()


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


def _block_names(docs, block_of: dict, tasks) -> dict:
    """Block -> the place and person names of its documents and its task lists' leaders (keyness leaves
    them out; :func:`corpus_names`)."""
    metas: dict = {}
    for d in docs:
        metas.setdefault(block_of[d.region], []).append(d.meta)
    leaders: dict = {}
    if "leader" in tasks.columns:
        for region, leader in zip(tasks["region"], tasks["leader"]):
            leaders.setdefault(block_of[region], []).append(leader)
    return {b: corpus_names(metas.get(b, []), leaders=leaders.get(b, [])) for b in set(block_of.values())}


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
    proper = proper_mask(tasks)
    texts = (views["heading"] + views["body"]).tolist()
    docs = getattr(ctx, "documents", None) or ()
    rows = [{"region": d.region, "jurisdiction": d.jurisdiction, "province": d.meta.get("province", ""),
             "prefecture": d.meta.get("prefecture", "")} for d in docs]
    block_of = blocks.assign(rows) if docs else {}
    blocked = len(set(block_of.values())) > 1
    store = getattr(ctx, "cache", None)  # blocks are read back by content beyond the blocking threshold only
    cached = {"get": store.get if store is not None else None, "put": store.put if store is not None else None,
              "salt": getattr(ctx, "cache_salt", "")} if blocked else {}
    side = mined = None
    if blocked:  # many documents: mined block by block on every core first, blocks read back when unchanged
        mined = blocks.phrase_tables_blocked(texts, tasks["region"].tolist(), tasks["task_id"].tolist(), block_of,
                                             workers=workers, **cached)
        step("shared phrases (blocked)")
    else:
        side = parallel.Background(phrase_tables, texts, tasks["region"].tolist(), tasks["task_id"].tolist(),
                                   enabled=workers > 1)
    del texts
    # compared block by block (each block a corpus of its own); at or under the threshold one block, the corpus
    compare_of = blocks.assign(rows, by=blocks.COMPARE_BLOCK_BY) if blocked else \
        dict.fromkeys([*(d.region for d in docs), *tasks["region"].tolist()], "all")
    sim, ali, key = blocks.compare_blocked(tasks, tokens, compare_of, _block_names(docs, compare_of, tasks),
                                           workers=workers, **cached)
    ctx.add_table("similarity.csv", sim, sort_by=["method", "region", "other_region"])
    ctx.add_table("alignment.csv", ali, sort_by=["region", "task_id", "other_region", "rank"])
    ctx.add_table("keyness.csv", key, sort_by=["region", "rank"])
    step("similarity, alignment, keyness")
    phrases, sharing = mined if mined is not None else side.result()
    ctx.add_table("shared_phrases.csv", phrases, sort_by=["rank"])
    sharing.insert(2, "is_preamble", (~proper).to_numpy())
    ctx.add_table("task_sharing.csv", sharing, sort_by=["region", "task_id"])
    step("shared phrases, task sharing")

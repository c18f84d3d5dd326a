"""What comparing in blocks costs in recall (issue 18 item 3): the blocked similarity and alignment of a synthetic
corpus against the corpus-wide ones.

    PYTHONPATH=src python3 benchmarks/compare_blocks_recall.py 300 [--by province|prefecture] [--corpus-dir DIR]

Synthesizes the benchmark's corpus (:func:`analysis.synthetic.synthesize`), runs the document stages, then compares
the tasks over the whole corpus (``compare.region_similarity`` and ``compare.alignment``, as a corpus of at most
200 documents is compared) and block by block (``compare.blocks.compare_blocked``). Prints, for the tasks, the share
whose corpus-wide best alignment partner (rank 1) is in the task's block, is the blocked rank 1, and is among the
blocked matches; for the regions, the same for each region's most similar other region by each method.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from analysis import pipeline, segment
from analysis.compare import alignment, blocks, proper_mask, region_similarity, task_counts
from analysis.synthetic import synthesize


def _top(frame, key: str, other: str, score: str = "score"):
    """Each ``key``'s best ``other`` (highest score, ties by name)."""
    ordered = frame.sort_values([key, score, other], ascending=[True, False, True], kind="mergesort")
    return ordered.groupby(key).head(1).set_index(key)[other]


def recall(n: int, folder: Path, *, by: str) -> list[str]:
    manifest = synthesize(n, folder)
    ctx = pipeline.run(manifest=manifest, stages=["load", "segment", "tokenize", "classify"])
    tasks, tokens = ctx.tasks, ctx.tokens
    block_of = blocks.assign([{"region": d.region, "jurisdiction": d.jurisdiction, "province": d.meta.get("province", ""),
                               "prefecture": d.meta.get("prefecture", "")} for d in ctx.documents], by=by)
    sizes = sorted(np.unique(list(block_of.values()), return_counts=True)[1].tolist())
    lines = [f"{n} documents, {len(sizes)} blocks by {by}, sizes {sizes}"]
    t0 = time.perf_counter()
    views, proper = segment.task_views(tasks), proper_mask(tasks)
    counts = task_counts(tasks, tokens, views=views)
    sim_all, near = region_similarity(counts, tasks.loc[proper, "region"].to_numpy())
    body = {k: counts[k] for k in ("tfidf_tokens_body", "char_ngrams_body")}
    ali_all = alignment(tasks, tokens, views=views, counts=body, neighbours=near)
    t1 = time.perf_counter()
    sim_b, ali_b, _ = blocks.compare_blocked(tasks, tokens, block_of, {})
    t2 = time.perf_counter()
    lines.append(f"corpus-wide comparison {t1 - t0:.1f} s, blocked {t2 - t1:.1f} s")
    region_of = dict(zip(tasks["task_id"], tasks["region"]))
    want = ali_all[ali_all["rank"] == 1].set_index("task_id")["other_task_id"]
    got1 = ali_b[ali_b["rank"] == 1].set_index("task_id")["other_task_id"]
    got = ali_b.groupby("task_id")["other_task_id"].agg(set)
    lines.append(f"alignment, {len(want)} tasks: best partner in the task's block "
                 f"{np.mean([block_of[region_of[a]] == block_of[region_of[b]] for a, b in want.items()]):.1%}, "
                 f"blocked rank 1 {np.mean([got1.get(a) == b for a, b in want.items()]):.1%}, "
                 f"among the blocked matches {np.mean([b in got.get(a, set()) for a, b in want.items()]):.1%}")
    for method in ("tfidf_tokens", "char_ngrams"):
        a = sim_all[(sim_all["method"] == method) & (sim_all["region"] != sim_all["other_region"])]
        b = sim_b[(sim_b["method"] == method) & (sim_b["region"] != sim_b["other_region"])]
        want, got1 = _top(a, "region", "other_region"), _top(b, "region", "other_region")
        got = b.groupby("region")["other_region"].agg(set)
        lines.append(f"similarity {method}, {len(want)} regions: most similar region in the block "
                     f"{np.mean([block_of[r] == block_of[o] for r, o in want.items()]):.1%}, blocked top "
                     f"{np.mean([got1.get(r) == o for r, o in want.items()]):.1%}, "
                     f"among the blocked rows {np.mean([o in got.get(r, set()) for r, o in want.items()]):.1%}")
    return lines


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("docs", type=int)
    p.add_argument("--by", choices=("province", "prefecture"), default=blocks.COMPARE_BLOCK_BY)
    p.add_argument("--corpus-dir", type=Path, default=None)
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="analysis-recall-") as tmp:
        for line in recall(args.docs, args.corpus_dir or Path(tmp), by=args.by):
            print(line, flush=True)


if __name__ == "__main__":
    main()

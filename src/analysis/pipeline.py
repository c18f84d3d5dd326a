"""The build: raw documents in, every processed table (and figure) out, in one deterministic pass.

Each stage module exposes ``build(ctx)``; it reads what earlier stages left on the :class:`Context`
and adds its own frames with :meth:`Context.add_table`. The pipeline writes the tables at the end,
sorted, so a rebuild is byte-identical. Stages never write under ``data/raw/``.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd

from analysis import config, tables

log = logging.getLogger(__name__)


@dataclass
class Table:
    frame: pd.DataFrame
    sort_by: Sequence[str]


@dataclass
class Context:
    """What the stages share. Fields are filled in stage order; see :data:`STAGES`."""

    manifest_path: Path
    raw_dir: Path
    documents: list = field(default_factory=list)      # corpus.Document
    segmented: list = field(default_factory=list)      # segment.Segmentation
    tasks: pd.DataFrame | None = None                  # one row per task (see docs/data-dictionary.md)
    clauses: pd.DataFrame | None = None                # finer clauses inside tasks
    tokens: dict[str, list[str]] = field(default_factory=dict)  # task_id -> tokens (tokenize once)
    targets: pd.DataFrame | None = None                # quantities.build
    tables: dict[str, Table] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    progress: bool = False
    workers: int | None = None                         # tokenize processes (None: automatic)

    def add_table(self, name: str, frame: pd.DataFrame, *, sort_by: Sequence[str]) -> None:
        self.tables[name] = Table(frame, list(sort_by))


def _stage_load(ctx: Context) -> None:
    from analysis import corpus

    ctx.documents = corpus.load(ctx.manifest_path, raw_dir=ctx.raw_dir)


def _stage_segment(ctx: Context) -> None:
    from analysis import segment

    segment.build(ctx)


def _stage_tokenize(ctx: Context) -> None:
    from analysis import tokenize

    tokenize.build(ctx)


def _stage_domains(ctx: Context) -> None:
    from analysis import domains

    domains.build(ctx)


def _stage_quantities(ctx: Context) -> None:
    from analysis import quantities

    quantities.build(ctx)


def _stage_coverage(ctx: Context) -> None:
    from analysis import coverage

    coverage.build(ctx)


def _stage_compare(ctx: Context) -> None:
    from analysis import compare

    compare.build(ctx)


def _stage_evaluate(ctx: Context) -> None:
    """Evaluation and exploration on top of the processing stages: the domain classifier and the
    quantity extractor scored against the hand labels, the supervised baseline, the clusters."""
    from analysis import clusters, domains, quantities

    domains.build_validation(ctx)
    quantities.build_validation(ctx)
    clusters.build(ctx)


STAGES: list[tuple[str, Callable[[Context], None]]] = [
    ("load", _stage_load),
    ("segment", _stage_segment),
    ("tokenize", _stage_tokenize),
    ("classify", _stage_domains),
    ("extract", _stage_quantities),
    ("coverage", _stage_coverage),
    ("align", _stage_compare),
    ("evaluate", _stage_evaluate),
]
#: The stages that process documents (what the benchmark sets against bare jieba); ``evaluate`` scores
#: the classifier and extractor against the hand labels and clusters the tasks.
PROCESSING_STAGES = tuple(name for name, _ in STAGES if name != "evaluate")


#: Show the build's progress bar from this many documents on (quiet on the five plans).
PROGRESS_MIN_DOCS = 20


def run(*, manifest: Path | None = None, raw_dir: Path | None = None,
        stages: Sequence[str] | None = None, progress: bool = False, workers: int | None = None) -> Context:
    """Run the stages (all, or up to the last one named in ``stages``) and return the context.

    ``workers`` sets the processes that tokenize (default: one for small corpora, every core for
    large ones). With ``progress``, builds of many documents show a bar over the stages.
    """
    from tqdm import tqdm

    ctx = Context(manifest_path=Path(manifest or config.MANIFEST),
                  raw_dir=Path(raw_dir or (Path(manifest).parent if manifest else config.RAW)),
                  progress=progress, workers=workers)
    wanted = set(stages) if stages else None
    bar = None
    try:
        for name, func in STAGES:
            if wanted is not None and not wanted:
                break
            if bar is not None:
                bar.set_postfix_str(name)
            t0 = time.perf_counter()
            func(ctx)
            ctx.timings[name] = time.perf_counter() - t0
            if wanted is not None:
                wanted.discard(name)
            if bar is None and progress and len(ctx.documents) >= PROGRESS_MIN_DOCS:
                bar = tqdm(total=len(STAGES), initial=1, unit="stage", desc=f"build {len(ctx.documents)} documents")
            elif bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return ctx


def write(ctx: Context, *, out_dir: Path | None = None) -> list[Path]:
    """Write every table the stages produced; returns the paths, in name order."""
    out_dir = Path(out_dir or config.PROCESSED)
    return [tables.write_csv(t.frame, name, sort_by=t.sort_by, out_dir=out_dir)
            for name, t in sorted(ctx.tables.items())]


def build(*, out_dir: Path | None = None, manifest: Path | None = None, raw_dir: Path | None = None,
          progress: bool = False, workers: int | None = None) -> Context:
    """Run every stage and write ``data/processed/`` (or ``out_dir``)."""
    ctx = run(manifest=manifest, raw_dir=raw_dir, progress=progress, workers=workers)
    write(ctx, out_dir=out_dir)
    return ctx

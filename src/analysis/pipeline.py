"""The build: raw documents in, every processed table (and figure) out, in one deterministic pass.

Each stage module exposes ``build(ctx)``; it reads what earlier stages left on the :class:`Context`
and adds its own frames with :meth:`Context.add_table`. The pipeline writes the tables at the end,
sorted, so a rebuild is byte-identical. Stages never write under ``data/raw/``.
"""

from __future__ import annotations

import dataclasses
import math
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd

from analysis import config, tables


@dataclass
class Table:
    frame: pd.DataFrame
    sort_by: Sequence[str]
    per_document: bool = True   # False: the same whatever the documents (kept once when batches merge)


@dataclass
class Context:
    """What the stages share. Fields are filled in stage order; see :data:`STAGES`."""

    manifest_path: Path
    raw_dir: Path
    documents: list = field(default_factory=list)      # corpus.Document
    segmented: list = field(default_factory=list)      # segment.Segmentation, when segment ran here (see segmentations)
    tasks: pd.DataFrame | None = None                  # one row per task (see docs/data-dictionary.md)
    clauses: pd.DataFrame | None = None                # finer clauses inside tasks
    tokens: dict[str, list[str]] = field(default_factory=dict)  # task_id -> tokens (tokenize once)
    targets: pd.DataFrame | None = None                # quantities.build
    tables: dict[str, Table] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    progress: bool = False                             # show progress bars (run() sets it for many documents)
    memo: bool = True                                  # cut each repeated block of text once (tokenization.tokens)
    workers: int | None = None                         # processes the stages may use (run() resolves None)
    evaluation_warnings: list[str] = field(default_factory=list)  # the evaluate stage's warning lines
    summaries: list[str] = field(default_factory=list)  # one line per document (layout, tasks, warnings)
    cache: object | None = None                        # analysis.cache.Cache: document stages read back by content
    cache_hits: int = 0                                # documents read back from the cache in this run
    cache_salt: str = ""                               # the code's fingerprint, when a cache is used

    def add_table(self, name: str, frame: pd.DataFrame, *, sort_by: Sequence[str], per_document: bool = True) -> None:
        self.tables[name] = Table(frame, list(sort_by), per_document)

    def segmentations(self) -> list:
        """Every document's ``segment.Segmentation``, in document order: those the segment stage kept when it
        ran in this process (``segmented``), else each document segmented again. Pooled and cached builds
        send back rows, not these objects (they hold each document's text and spans: at 1,000 documents
        they weighed on the parent's peak memory); segmenting again is the cheapest stage."""
        if len(self.segmented) == len(self.documents):
            return self.segmented
        from analysis import segment

        return [segment.document(d) for d in self.documents]


def _stage_load(ctx: Context) -> None:
    from analysis import corpus

    ctx.documents = corpus.load(ctx.manifest_path, raw_dir=ctx.raw_dir)


def _stage_segment(ctx: Context) -> None:
    from analysis import segment

    segment.build(ctx)


def _stage_tokenize(ctx: Context) -> None:
    from analysis import tokenization

    tokenization.build(ctx)


def _stage_domains(ctx: Context) -> None:
    from analysis import domains

    domains.build(ctx)


def _stage_quantities(ctx: Context) -> None:
    from analysis import quantities

    quantities.build(ctx)


def _stage_coverage(ctx: Context) -> None:
    from analysis import coverage

    coverage.build(ctx)


def _stage_overtime(ctx: Context) -> None:
    from analysis import aggregate, overtime

    aggregate.build(ctx)
    overtime.build(ctx)


def _stage_compare(ctx: Context) -> None:
    from analysis import compare

    compare.build(ctx)


def _stage_evaluate(ctx: Context) -> None:
    from analysis import evaluate

    evaluate.build(ctx)


STAGES: list[tuple[str, Callable[[Context], None]]] = [
    ("load", _stage_load),
    ("segment", _stage_segment),
    ("tokenize", _stage_tokenize),
    ("classify", _stage_domains),
    ("extract", _stage_quantities),
    ("coverage", _stage_coverage),
    ("overtime", _stage_overtime),
    ("align", _stage_compare),
    ("evaluate", _stage_evaluate),
]
#: The stages that process documents (what the benchmark sets against bare jieba); ``evaluate`` scores
#: the classifier and extractor against the hand labels and clusters the tasks.
PROCESSING_STAGES = tuple(name for name, _ in STAGES if name != "evaluate")


#: Show the build's progress bar from this many documents on (quiet on the five plans).
PROGRESS_MIN_DOCS = 20
#: The module behind each stage (imported lazily: a stage's libraries load only when it runs).
STAGE_MODULES = {"load": "corpus", "segment": "segment", "tokenize": "tokenization", "classify": "domains",
                 "extract": "quantities", "coverage": "coverage", "overtime": "overtime", "align": "compare",
                 "evaluate": "evaluate"}
#: The stages that work one document at a time: with several processes they run in a pool, on batches
#: of whole documents, and only the cross-document stages (coverage, align) run in the parent.
DOCUMENT_STAGES = ("segment", "tokenize", "classify", "extract")
#: Batches of documents per worker, and the most raw text one batch holds. Each batch costs its
#: stages' fixed setup and loses the reuse of text seen in other batches, so batches are few and
#: large: as many per worker as :data:`BATCHES_PER_WORKER`, more only past :data:`BATCH_MAX_CHARS`.
#: Measured (document stages, 2 workers, synthetic corpora): 1,000 documents in 73 batches of 60k
#: characters 6.6 s, in 11 of 400k 4.3 s; 100 documents in batches of 60k 0.84 s, of 110k 0.59 s.
BATCHES_PER_WORKER = 2
BATCH_MAX_CHARS = 1_000_000


def batch_size(n_chars: int, *, workers: int) -> int:
    """Characters of raw text per batch for ``n_chars`` over ``workers`` processes: a multiple of
    ``workers`` batches, at least :data:`BATCHES_PER_WORKER` each, none over :data:`BATCH_MAX_CHARS`."""
    workers = max(1, workers)
    per_worker = max(BATCHES_PER_WORKER, math.ceil(n_chars / (workers * BATCH_MAX_CHARS)))
    return max(1, math.ceil(n_chars / (workers * per_worker)))


def batches(documents: Sequence, *, size: int) -> list[list]:
    """Consecutive runs of ``documents`` of about ``size`` characters of text each, order kept."""
    from analysis import parallel

    return parallel.runs(documents, size=size, length=lambda d: len(d.text))


@dataclass
class _BatchResult:
    """What a worker sends back for one batch: the document stages' frames, tokens and timings (rows and
    strings only: the documents' ``Segmentation`` objects stay in the worker)."""

    summaries: list                  # the build's line for each document (segment.summary_lines)
    doc_ids: list
    tasks: pd.DataFrame | None
    clauses: pd.DataFrame | None
    tokens: dict
    targets: pd.DataFrame | None
    tables: dict
    timings: dict


def _run_batch(args: tuple) -> _BatchResult:
    """Run ``names`` (document stages, in order) on one batch of documents, in this process."""
    documents, names, manifest_path, raw_dir, memo = args
    sub = Context(manifest_path=manifest_path, raw_dir=raw_dir, documents=list(documents), workers=1, memo=memo)
    funcs = dict(STAGES)
    for name in names:
        t0 = time.perf_counter()
        funcs[name](sub)
        sub.timings[name] = time.perf_counter() - t0
    from analysis import segment

    summaries = segment.summary_lines(sub.segmented) if sub.segmented else [""] * len(sub.documents)
    tokens = {tid: [sys.intern(t) for t in toks] for tid, toks in sub.tokens.items()}  # one string per token
    return _BatchResult(summaries, [d.doc_id for d in sub.documents], sub.tasks, sub.clauses,
                        tokens, sub.targets, sub.tables, sub.timings)


def _concat(frames: list) -> pd.DataFrame | None:
    """Frames of the batches, stacked in batch order; empty ones left out so dtypes stay as a single run makes them."""
    frames = [f for f in frames if f is not None]
    if not frames:
        return None
    full = [f for f in frames if len(f)]
    if not full:
        return frames[0]
    return full[0].reset_index(drop=True) if len(full) == 1 else pd.concat(full, ignore_index=True)


def merge(ctx: Context, results: Sequence[_BatchResult], *, wall: float) -> None:
    """Put the batches' results on ``ctx`` as if one process had run the stages over every document.

    Tables stack batch by batch (they are sorted when written); a table that does not depend on the
    documents (the taxonomy) is the same in every batch and kept once. The stages' timings are the
    workers' seconds, scaled so that they add up to the pool's ``wall`` time.
    """
    ctx.segmented = []  # rows came back, not Segmentation objects: ctx.segmentations() makes them again
    ctx.summaries = [line for r in results for line in r.summaries]
    ctx.tasks = _concat([r.tasks for r in results])
    ctx.clauses = _concat([r.clauses for r in results])
    ctx.targets = _concat([r.targets for r in results])
    ctx.tokens = {tid: toks for r in results for tid, toks in r.tokens.items()}
    for name in dict.fromkeys(n for r in results for n in r.tables):
        parts = [r.tables[name] for r in results if name in r.tables]
        if not parts[0].per_document:
            ctx.tables[name] = parts[0]
            continue
        ctx.tables[name] = Table(_concat([t.frame for t in parts]), parts[0].sort_by)
    spent = {n: sum(r.timings.get(n, 0.0) for r in results) for n in DOCUMENT_STAGES if any(n in r.timings for r in results)}
    total = sum(spent.values()) or 1.0
    ctx.timings.update({n: wall * v / total for n, v in spent.items()})


def _warm(names: Sequence[str]) -> None:
    """Import the modules of the stages ``names`` and load their resources (``warm()``, where a module
    has one) in this process, so that forked workers start with them."""
    import importlib

    for name in names:
        module = importlib.import_module(f"analysis.{STAGE_MODULES[name]}")
        warm = getattr(module, "warm", None)
        if warm is not None:
            warm()


def _batches_run(ctx: Context, documents: Sequence, names: Sequence[str], *, workers: int, bar):
    """The document stages ``names`` over batches of ``documents``, in a pool of ``workers`` processes (or in
    this one): yields each batch's :class:`_BatchResult`, in order. See :mod:`analysis.parallel` for how the
    workers start."""
    from analysis import parallel

    if workers <= 1 or len(documents) <= 1:
        res = _run_batch((list(documents), tuple(names), ctx.manifest_path, ctx.raw_dir, ctx.memo))
        if bar is not None:
            bar.update(len(res.doc_ids))
        yield res
        return
    _warm(names)
    size = batch_size(sum(len(d.text) for d in documents), workers=workers)
    jobs = [(docs, tuple(names), ctx.manifest_path, ctx.raw_dir, ctx.memo)
            for docs in batches(documents, size=size)]
    with parallel.pool(min(workers, len(jobs))) as pool:
        for res in pool.imap(_run_batch, jobs):
            if bar is not None:
                bar.update(len(res.doc_ids) or 1)
            yield res


def _pooled(ctx: Context, names: Sequence[str], *, workers: int, bar) -> None:
    """The document stages ``names`` over batches of ``ctx.documents`` in a pool of ``workers`` processes."""
    t0 = time.perf_counter()
    results = list(_batches_run(ctx, ctx.documents, names, workers=workers, bar=bar))
    merge(ctx, results, wall=time.perf_counter() - t0)


#: Documents are read back from the cache in chunks of this many consecutive documents (by position in the
#: manifest): a chunk's stacked frames are one entry, read back whole when none of its documents changed (adding a
#: document at the end changes only the last chunk), else its documents' own entries are read one by one.
#: Measured on 300 synthetic documents: one entry per document, 16 small frames each, took 2.6 s to unpickle.
CACHE_CHUNK = 256
#: A chunk that changed is read back in parts of this many documents, each one entry while unchanged: adding a
#: document at the end reads the last chunk's earlier parts whole and the documents of its last part one by one.
CACHE_SUBCHUNK = 32


def _in_document_order(ctx: Context) -> None:
    """Rows of the merged frames in document order (stable: a document's rows keep their order), as one run makes them."""
    import numpy as np

    rank = {d.doc_id: i for i, d in enumerate(ctx.documents)}
    doc_of = dict(zip(ctx.tasks["task_id"], ctx.tasks["doc_id"])) if ctx.tasks is not None else {}

    def ordered(frame):
        if frame is None or not len(frame):
            return frame
        docs = frame["doc_id"] if "doc_id" in frame.columns else frame["task_id"].map(doc_of)
        order = np.argsort(docs.map(rank).to_numpy(), kind="stable")
        if (np.diff(order) > 0).all():
            return frame
        return frame.iloc[order].reset_index(drop=True)

    ctx.tasks, ctx.clauses, ctx.targets = ordered(ctx.tasks), ordered(ctx.clauses), ordered(ctx.targets)
    for table in ctx.tables.values():
        if table.per_document:
            table.frame = ordered(table.frame)
    if ctx.tasks is not None:
        ctx.tokens = {tid: ctx.tokens[tid] for tid in ctx.tasks["task_id"]}


def _stacked(docs: Sequence) -> _BatchResult:
    """:class:`analysis.cache.DocResult` of consecutive documents as one batch's result: the frames stacked (each
    document taken as a batch of one, :func:`_stacked_batches`)."""
    return _stacked_batches([_BatchResult([r.summary], [r.doc_id], r.tasks, r.clauses, r.tokens, r.targets,
                                          {n: Table(f, s) for n, (f, s) in r.tables.items()}, {}) for r in docs])


def _stacked_batches(parts: Sequence[_BatchResult]) -> _BatchResult:
    """Consecutive batches' results as one: the frames stacked, batch by batch."""
    names = dict.fromkeys(n for r in parts for n in r.tables)
    tables = {n: Table(_concat([r.tables[n].frame for r in parts if n in r.tables]),
                       next(r.tables[n].sort_by for r in parts if n in r.tables)) for n in names}
    return _BatchResult([s for r in parts for s in r.summaries], [i for r in parts for i in r.doc_ids],
                        *(_concat([getattr(r, f) for r in parts]) for f in ("tasks", "clauses")),
                        {t: toks for r in parts for t, toks in r.tokens.items()}, _concat([r.targets for r in parts]), tables, {})


def _cached(ctx: Context, names: Sequence[str], *, workers: int, bar) -> None:
    """The document stages over the documents the cache does not hold (:mod:`analysis.cache`), the others read
    back (a chunk of :data:`CACHE_CHUNK` unchanged documents as one entry, of a chunk that changed its unchanged
    parts of :data:`CACHE_SUBCHUNK`); the results merged in document order, as :func:`_pooled` merges them."""
    from analysis import cache as cache_

    t0 = time.perf_counter()
    store = ctx.cache
    fp = cache_.fingerprint()
    keys = {d.doc_id: cache_.key(d, stages=names, fp=fp) for d in ctx.documents}
    shared_k = cache_.shared_key(stages=names, fp=fp)
    shared = store.get(shared_k)
    chunks = [ctx.documents[i:i + CACHE_CHUNK] for i in range(0, len(ctx.documents), CACHE_CHUNK)]
    chunk_keys = [cache_.chunk_key([keys[d.doc_id] for d in docs]) for docs in chunks]
    whole = {}  # chunk number -> its stacked results, read back as one entry
    for c, (docs, k) in enumerate(zip(chunks, chunk_keys)):
        found = store.get(k) if shared is not None or c else None  # no shared tables: document 0 is recomputed
        if isinstance(found, _BatchResult) and found.doc_ids == [d.doc_id for d in docs]:
            whole[c] = found
            store.keep(keys[d.doc_id] for d in docs)  # their own entries stay for the day one of them changes
    # a chunk that changed: its unchanged parts of CACHE_SUBCHUNK documents read whole, the others document by document
    parts = {c: [docs[i:i + CACHE_SUBCHUNK] for i in range(0, len(docs), CACHE_SUBCHUNK)]
             for c, docs in enumerate(chunks) if c not in whole}
    part_keys = {c: [cache_.chunk_key([keys[d.doc_id] for d in p]) for p in ps] for c, ps in parts.items()}
    part_found = {}  # (chunk, part) -> its stacked results
    hits = {}
    for c, ps in parts.items():
        for j, (p, k) in enumerate(zip(ps, part_keys[c])):
            found = store.get(k) if len(ps) > 1 and (shared is not None or c or j) else None  # one part: the chunk
            if isinstance(found, _BatchResult) and found.doc_ids == [d.doc_id for d in p]:
                part_found[c, j] = found
                store.keep(keys[d.doc_id] for d in p)
                continue
            for d in p:
                found = store.get(keys[d.doc_id])
                if isinstance(found, cache_.DocResult):
                    hits[d.doc_id] = found
    n_read = len(hits) + sum(len(chunks[c]) for c in whole) + sum(len(parts[c][j]) for c, j in part_found)
    if shared is None and hits and n_read == len(ctx.documents):
        hits.pop(ctx.documents[0].doc_id)  # the shared tables (taxonomy) are lost: recompute one document
        n_read -= 1
    todo = [d for c, ps in parts.items() for j, p in enumerate(ps) if (c, j) not in part_found
            for d in p if d.doc_id not in hits]
    if bar is not None and n_read:
        bar.update(n_read)
    spent = {}
    for res in _batches_run(ctx, todo, names, workers=workers, bar=bar):
        docs, shared_now = cache_.split(doc_ids=res.doc_ids, summaries=res.summaries, tasks=res.tasks,
                                        clauses=res.clauses, targets=res.targets, tokens=res.tokens, tables=res.tables)
        for r in docs:
            store.put(keys[r.doc_id], r)
            hits[r.doc_id] = r
        if shared is None and shared_now:  # the same in every batch: stored once
            shared = shared_now
            store.put(shared_k, shared)
        for n, sec in res.timings.items():
            spent[n] = spent.get(n, 0.0) + sec
    results = []
    for c, k in enumerate(chunk_keys):
        if c not in whole:
            stacked = []
            for j, (p, pk) in enumerate(zip(parts[c], part_keys[c])):
                if (c, j) not in part_found:
                    part_found[c, j] = _stacked([hits[d.doc_id] for d in p])
                    if len(parts[c]) > 1:
                        store.put(pk, part_found[c, j])
                stacked.append(part_found[c, j])
            whole[c] = stacked[0] if len(stacked) == 1 else _stacked_batches(stacked)
            store.put(k, whole[c])
        results.append(whole[c])
    results[0] = dataclasses.replace(results[0], tables={**results[0].tables, **(shared or {})})
    results.append(_BatchResult([], [], None, None, {}, None, {}, spent))  # the computed documents' timings
    merge(ctx, results, wall=time.perf_counter() - t0)
    for name in names:
        ctx.timings.setdefault(name, 0.0)
    ctx.cache_hits = n_read
    _in_document_order(ctx)


#: Modules that remember texts between calls (memos of cut blocks, normalized texts); each has ``clear()``.
TEXT_MEMO_MODULES = ("analysis.tokenization", "analysis.compare")


def _start_cold() -> None:
    """Forget the texts earlier builds in this process remembered, so every build starts cold: the
    benchmark's warm runs too, and forked workers inherit empty memos."""
    for name in TEXT_MEMO_MODULES:
        module = sys.modules.get(name)
        if module is not None:
            module.clear()


def run(*, manifest: Path | None = None, raw_dir: Path | None = None,
        stages: Sequence[str] | None = None, progress: bool = False, workers: int | None = None,
        memo: bool = True, cache=None) -> Context:
    """Run the stages (all, or up to the last one named in ``stages``) and return the context.

    ``cache`` (an :class:`analysis.cache.Cache`) reads back what the document stages made of every document
    whose text, manifest row, code and parameters are unchanged, and stores the rest; the tables are the same
    with or without it.

    ``workers`` sets the processes for the document stages (:data:`DOCUMENT_STAGES`; default: one
    below :data:`analysis.tokenization.POOL_MIN_CHARS` characters of text, else every core); the tables
    are the same either way. With ``progress``, builds of many documents show a bar over the
    documents, then over the remaining stages. ``memo=False`` tokenizes every block of text afresh (the
    benchmark's ``--no-memo``; the tables are the same).
    """
    from tqdm import tqdm

    ctx = Context(manifest_path=Path(manifest or config.MANIFEST),
                  raw_dir=Path(raw_dir or (Path(manifest).parent if manifest else config.RAW)),
                  progress=progress, workers=workers, memo=memo, cache=cache)
    order = [name for name, _ in STAGES]
    if stages:
        unknown = sorted(set(stages) - set(order))
        if unknown:
            from analysis import choices

            choices.check_all(unknown, order, what="stage")
        order = order[:max(order.index(s) for s in stages) + 1]
    funcs = dict(STAGES)
    if cache is not None:
        from analysis import cache as cache_

        ctx.cache_salt = cache_.fingerprint()  # what the stages' own cached parts are keyed with
    t0 = time.perf_counter()
    funcs["load"](ctx)
    ctx.timings["load"] = time.perf_counter() - t0
    doc_names = [n for n in order if n in DOCUMENT_STAGES]
    from analysis import tokenization

    _start_cold()
    n_proc = ctx.workers = tokenization.n_workers(sum(len(d.text) for d in ctx.documents), requested=workers)
    show = ctx.progress = progress and len(ctx.documents) >= PROGRESS_MIN_DOCS
    bar = None
    try:
        rest = [n for n in order if n != "load"]
        if doc_names and (cache is not None or (n_proc > 1 and len(ctx.documents) > 1)):
            if show:
                bar = tqdm(total=len(ctx.documents), unit="doc", desc=f"build {len(ctx.documents)} documents")
            (_cached if cache is not None else _pooled)(ctx, doc_names, workers=n_proc, bar=bar)
            rest = [n for n in rest if n not in DOCUMENT_STAGES]
            if bar is not None:
                bar.close()
                bar = None
        if show and rest:
            bar = tqdm(total=len(rest), unit="stage", desc=f"build {len(ctx.documents)} documents")
        for name in rest:
            if bar is not None:
                bar.set_postfix_str(name)
            t0 = time.perf_counter()
            funcs[name](ctx)
            ctx.timings[name] = time.perf_counter() - t0
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return ctx


def write_interim(documents: Sequence, *, out_dir: Path) -> list[Path]:
    """The text extracted from every web page, PDF or Word file, as UTF-8 (what every offset indexes: the
    source's characters, before any simplification), one file per document, rewritten only when it changed."""
    from analysis.segment.frames import interim_name

    written = []
    folder = config.interim_dir(out_dir)
    for d in documents:
        if d.source_format == "text":
            continue
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / interim_name(d.meta.get("file", f"{d.doc_id}_{d.region}"))
        data = d.original_text.encode("utf-8")
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
        written.append(path)
    return written


def write(ctx: Context, *, out_dir: Path | None = None) -> list[Path]:
    """Write every table the stages produced, and the extracted texts (:func:`write_interim`); returns the
    tables' paths, in name order."""
    out_dir = Path(out_dir or config.PROCESSED)
    write_interim(ctx.documents, out_dir=out_dir)
    return [tables.write_csv(t.frame, name, sort_by=t.sort_by, out_dir=out_dir)
            for name, t in sorted(ctx.tables.items())]


def _render(ctx: Context, stage, *, figures: bool, notebooks: bool, say: Callable[[str], None]) -> dict[str, int]:
    """Figures (in this process) and notebooks (each in its own kernel, as many at a time as there are cores)
    at once: both read only the staged tables, so the order does not matter and the files are the same.
    Returns how many of each were written."""
    from concurrent.futures import ThreadPoolExecutor

    from analysis import notebooks as notebooks_
    from analysis.parallel import cores

    jobs = [(p, stage.notebooks / p.name) for p in notebooks_.paths()] if notebooks else []
    if jobs:
        notebooks_.warm()  # before the notebook thread starts (see notebooks.warm)
    with ThreadPoolExecutor(max_workers=1) as side:
        pending = side.submit(notebooks_.execute_many, jobs, tables_dir=stage.tables, workers=cores(),
                              done=lambda p, sec: say(f"notebook {p.name} ({sec:.1f} s)")) if jobs else None
        if figures:
            from analysis.report import figures as report_figures

            t0 = time.perf_counter()
            written = report_figures.build_all(ctx, out_dir=stage.figures, echo=say)
            say(f"figures: {len(written)} files ({time.perf_counter() - t0:.1f} s)")
        done = pending.result() if pending is not None else []
    return {"figures": len(written) if figures else 0, "notebooks": len(done)}


def build(*, out_dir: Path | None = None, manifest: Path | None = None, raw_dir: Path | None = None,
          figures: bool = False, notebooks: bool = False, progress: bool = False, workers: int | None = None,
          echo: Callable[[str], None] | None = None, cache: bool = True) -> Context:
    """Run every stage and write the tables (and with ``figures`` / ``notebooks``, draw the figures and
    execute the notebooks on the new tables) as one transaction (:mod:`analysis.outputs`).

    Outputs go to ``data/processed/``, ``reports/figures/`` and ``notebooks/``, or with ``out_dir`` to
    ``OUT/``, ``OUT/figures/`` and ``OUT/notebooks/``. Nothing is moved into place unless every step
    succeeded. ``echo`` receives one line per step (what was written, in how long). With ``cache`` (the
    default) the document stages' results are kept by content in ``cache/`` beside the extracted texts
    (:mod:`analysis.cache`): a rebuild recomputes only the documents that changed, with the same tables, and
    entries no document used any more are removed after the build."""
    from analysis import outputs

    say = echo or (lambda line: None)
    dest = outputs.targets(out_dir)
    manifest_path = Path(manifest or config.MANIFEST)
    start = time.perf_counter()
    counts = {"figures": 0, "notebooks": 0}
    with outputs.staged(dest) as stage:
        t0 = time.perf_counter()
        store = None
        if cache:
            from analysis import cache as cache_

            store = cache_.Cache(cache_.folder_for(dest.tables))
        ctx = run(manifest=manifest, raw_dir=raw_dir, progress=progress, workers=workers, cache=store)
        write(ctx, out_dir=stage.tables)
        outputs.write_record(stage.tables, manifest=manifest_path, final_dir=dest.tables)
        if echo is not None:
            from analysis import segment

            for line in ctx.summaries or segment.summary_lines(ctx.segmentations()):
                say(line)
        n_tasks = 0 if ctx.tasks is None else len(ctx.tasks)
        say("stages: " + ", ".join(f"{name} {sec:.2f} s" for name, sec in ctx.timings.items()))
        say(f"tables: {len(ctx.tables)} for {len(ctx.documents)} documents, {n_tasks} tasks "
            f"({time.perf_counter() - t0:.1f} s)")
        kinds = ["tables"] + (["figures"] if figures else []) + (["notebooks"] if notebooks else [])
        counts.update(_render(ctx, stage, figures=figures, notebooks=notebooks, say=say))
        if store is not None:
            fresh = len(ctx.documents) - ctx.cache_hits
            say(f"cache: {ctx.cache_hits} of {len(ctx.documents)} documents read back, {fresh} recomputed "
                f"({config.shown(store.folder)}/; --no-cache recomputes every one)")
        outputs.commit(stage, dest, kinds=tuple(kinds))
    if store is not None:
        store.prune()
    made = [f"{len(ctx.tables)} tables"] + [f"{counts[k]} {k}" for k in ("figures", "notebooks") if k in kinds]
    say(f"done in {time.perf_counter() - start:.1f} s: {', '.join(made)} -> "
        f"{', '.join(config.shown(dest.of(k)) + '/' for k in kinds)}")
    return ctx

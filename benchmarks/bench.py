"""Benchmark: the whole pipeline against bare ``jieba.lcut`` on synthetic corpora (issue 7).

``python benchmarks/bench.py --sizes 10 100 1000`` (``make bench``) builds, for each size, a synthetic
corpus in a temporary folder (never under ``data/raw/``) with :func:`analysis.synthetic.synthesize`: the
five real plans, then perturbed copies of them that still parse. The corpus of 10 documents is a prefix
of the corpus of 100, and so on, so growth compares like with like.

The harness lives outside the package (it is a tool of the developers, not of the package's users).

Each size is measured in a fresh subprocess, so imports, caches and peak memory do not leak
between sizes:

1. the *cold* build: :func:`analysis.pipeline.build` once, tokenizer initialisation and table
   writing included — the figure a user waits for (target for five plans: <= 2 s after imports).
   The package and its stage modules are imported first; libraries the stages import lazily
   (scikit-learn, …) are timed by ``python -X importtime`` and subtracted (``cold_imports_s``);
2. peak memory: the proportional set size (PSS) of the process and its pool workers, sampled
   every 0.05 s during it (:class:`PeakMemory`; pages the forked workers share with the parent count
   once), and ``ru_maxrss`` of the process and of the largest worker right after it, before the
   reference jieba dictionary is loaded;
3. ``repeats`` warm runs of :func:`analysis.pipeline.run`, each timed per stage (``ctx.timings``),
   interleaved with bare ``jieba.lcut`` (the global default dictionary, initialised beforehand,
   HMM on as by default) over exactly the texts of the tasks the pipeline produced, one call per
   task, in one process on one core. The ratio is pipeline / bare jieba, each taken as the minimum
   over the repeats (the least disturbed run; medians are in the CSV).

From :data:`analysis.tokenization.POOL_MIN_CHARS` characters of text on, the pipeline runs its document
stages (segment, tokenize, classify, extract) in a process pool over every core, on batches of whole
documents (see :func:`analysis.pipeline.run`); the stage timings are then the workers' seconds scaled
to the pool's wall time. The ratio compares the pipeline's wall time on every core against bare
jieba's on one, as a user would; ``--workers 1`` measures the single-process pipeline.

The tokenizer cuts each distinct block of text once per build (:func:`analysis.tokenization.tokens`); the
synthetic corpus repeats most of its blocks (``repeated_share``), which flatters it against bare
jieba. ``--no-memo`` measures the pipeline with every block cut afresh.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis.errors import AnalysisError, UsageError
from analysis.synthetic import DEFAULT_SEED, subset_manifest, synthesize

#: Corpus sizes measured by default, and the seed of the synthetic corpus.
DEFAULT_SIZES = (5, 10, 100, 1000)
DEFAULT_REPEATS = 3
#: The stages reported, in pipeline order (``coverage`` and ``overtime`` run between extract and align).
STAGE_NAMES = ("load", "segment", "tokenize", "classify", "extract", "coverage", "overtime", "align")
#: Targets from issue 18: the pipeline (no memo, every core) against bare single-process jieba; time and
#: memory growth per tenfold corpus; peak memory at 10,000 documents; adding one document to a built corpus
#: against a full build of it.
TARGET_RATIO = 1.0
TARGET_GROWTH = 11.0
TARGET_PEAK_MB = 6144
TARGET_PEAK_AT = 10_000
TARGET_ADD_SHARE = 0.15
TARGET_COLD_S = 2.0

#: Markers on the measuring subprocess's stderr around the cold build (imports between them are timed).
COLD_START, COLD_END = "analysis-bench: cold build starts", "analysis-bench: cold build ends"
#: A line of ``python -X importtime``: self and cumulative microseconds, then the module, indented by depth.
IMPORTTIME_RE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|( *)(\S+)")

CSV_COLUMNS = ["docs", "tasks", "chars", *(f"{s}_s" for s in STAGE_NAMES), "evaluate_s", "pipeline_s", "pipeline_median_s",
               "bare_jieba_s", "bare_jieba_median_s", "ratio", "ratio_median", "pipeline_memo_s", "ratio_memo",
               "tokenize_ratio", "growth", "memory_growth",
               "cold_build_s", "cold_imports_s", "write_s", "full_build_s", "add_one_s", "add_one_share",
               "peak_rss_mb", "peak_worker_rss_mb", "peak_pss_mb", "workers",
               "repeats", "n_tables", "n_tokens", "memo", "repeated_share", "repeated_share_real", "real_docs"]


# ---------------------------------------------------------------------------------------------- corpus

















# ---------------------------------------------------------------------------------------------- measuring

def _rss_mb(who: int) -> float:
    """Peak resident set size in MiB (``ru_maxrss`` is KiB on Linux, bytes on macOS)."""
    rss = resource.getrusage(who).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


#: Seconds between two samples of the process tree's memory.
MEMORY_INTERVAL = 0.05
#: ``Pss:`` line of ``/proc/<pid>/smaps_rollup`` (kB).
PSS_RE = re.compile(r"^Pss:\s+(\d+) kB", re.M)


def _pss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:  # gone, or not Linux
        return 0
    m = PSS_RE.search(text)
    return int(m.group(1)) if m else 0


def _children(pid: int) -> list[int]:
    out = []
    for path in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            out.extend(int(x) for x in path.read_text().split())
        except OSError:
            continue
    return out


def tree_pss_mb(pid: int | None = None) -> float:
    """Proportional set size of a process and all its descendants, in MiB (Linux; 0 elsewhere).

    PSS shares each page among the processes that map it, so forked pool workers count only what
    they add to the parent: the sum is the memory the build really holds.
    """
    todo, total = [pid or os.getpid()], 0
    while todo:
        p = todo.pop()
        total += _pss_kb(p)
        todo.extend(_children(p))
    return total / 1024


class PeakMemory:
    """Context manager: samples :func:`tree_pss_mb` every :data:`MEMORY_INTERVAL` seconds in a thread
    and keeps the maximum in ``peak_mb`` (0 where ``/proc`` has no ``smaps_rollup``)."""

    def __init__(self, *, interval: float = MEMORY_INTERVAL):
        import threading

        self.interval, self.peak_mb = interval, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while True:
            self.peak_mb = max(self.peak_mb, tree_pss_mb())
            if self._stop.wait(self.interval):
                break

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_mb = max(self.peak_mb, tree_pss_mb())


def hot_functions(stats, *, top: int) -> list[tuple[str, float]]:
    """The package's functions by cumulative seconds (callees included), from :class:`pstats.Stats`."""
    rows = []
    for (path, line, func), (_cc, _nc, _tt, cum, _callers) in stats.stats.items():
        if f"{os.sep}analysis{os.sep}" in path and not path.endswith(("pipeline.py", "bench.py")):
            rows.append((f"{Path(path).stem}.{func}:{line}", cum))
    rows.sort(key=lambda r: (-r[1], r[0]))
    return rows[:top]


def measure(manifest: Path, *, repeats: int = DEFAULT_REPEATS, workers: int | None = None,
            until: str | None = None, out_dir: Path | None = None, profile: int = 0, memo: bool = False,
            memo_column: bool = True, add_one: bool = False) -> dict:
    """Measure one corpus in this process (see module docs); call it in a fresh process.

    ``until`` stops the pipeline after that stage (to time part of it); the cold build writes its
    tables to ``out_dir`` (default: a temporary folder, removed). Returns a dict of plain numbers:
    per-stage minimum seconds, pipeline and bare-jieba minimum and median seconds, cold build and
    write seconds, peak RSS, and what was built. ``profile > 0`` adds one more run under cProfile
    and the package's ``profile`` costliest functions (``hot``; cProfile inflates them, compare
    them with each other only). The headline runs cut every block afresh (``memo=False``, as bare jieba
    does); ``memo_column`` times each warm run once more with the memo (``pipeline_memo_s``). ``add_one``
    times a full build of the corpus (tables, no cache) and the build that adds its last document to a
    built corpus of the others (cache on): ``add_one_share`` = the second / the first.
    """
    import logging

    t_import = time.perf_counter()
    from analysis import pipeline, tokenization
    for name in ("segment", "domains", "quantities", "coverage", "compare"):
        __import__(f"analysis.{name}")
    import_s = time.perf_counter() - t_import

    # The ratio to bare jieba covers the document-processing stages (load … align); the pipeline's
    # ``evaluate`` stage (scores against the hand labels, clusters) is timed on its own in the cold build.
    stages = [until] if until else [pipeline.PROCESSING_STAGES[-1]]
    with tempfile.TemporaryDirectory(prefix="analysis-bench-out-") as tmp:
        print(COLD_START, file=sys.stderr, flush=True)
        with PeakMemory() as memory:
            t0 = time.perf_counter()
            ctx = pipeline.run(manifest=manifest, workers=workers, stages=[until] if until else None, memo=memo)
            t1 = time.perf_counter()
            written = pipeline.write(ctx, out_dir=Path(out_dir or tmp))
            t2 = time.perf_counter()
        print(COLD_END, file=sys.stderr, flush=True)
    peak_self = _rss_mb(resource.RUSAGE_SELF)
    peak_children = _rss_mb(resource.RUSAGE_CHILDREN)
    texts = ctx.tasks["text"].tolist()
    n_workers = tokenization.n_workers(sum(len(d.text) for d in ctx.documents), requested=workers)

    import jieba  # the reference: bare jieba, default dictionary (the package itself only uses analysis.tokenization)

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    evaluate_s = ctx.timings.get("evaluate", float("nan"))
    stage_runs: dict[str, list[float]] = {s: [] for s in ctx.timings if s != "evaluate"}
    pipe_runs, bare_runs, memo_runs = [], [], []
    if repeats == 0:  # cold only (large corpora): the cold run is the pipeline's time
        pipe_runs.append(t1 - t0)
        for s, v in ctx.timings.items():
            stage_runs.setdefault(s, []).append(v)
    for _ in range(max(1, repeats)):
        if repeats:
            t = time.perf_counter()
            warm = pipeline.run(manifest=manifest, workers=workers, stages=stages, memo=memo)
            pipe_runs.append(time.perf_counter() - t)
            for s, v in warm.timings.items():
                stage_runs.setdefault(s, []).append(v)
            del warm
        t = time.perf_counter()
        n_bare = sum(len(jieba.lcut(x)) for x in texts)
        bare_runs.append(time.perf_counter() - t)
        if memo_column:
            t = time.perf_counter()
            pipeline.run(manifest=manifest, workers=workers, stages=stages, memo=not memo)
            memo_runs.append(time.perf_counter() - t)
    full_s = add_s = float("nan")
    if add_one and len(ctx.documents) > 1:
        with tempfile.TemporaryDirectory(prefix="analysis-bench-add-") as tmp:
            others = subset_manifest(Path(manifest), len(ctx.documents) - 1)
            pipeline.build(out_dir=Path(tmp) / "inc", manifest=others, workers=workers, cache=True)
            t = time.perf_counter()
            pipeline.build(out_dir=Path(tmp) / "full", manifest=manifest, workers=workers, cache=False)
            full_s = time.perf_counter() - t
            t = time.perf_counter()
            pipeline.build(out_dir=Path(tmp) / "inc", manifest=manifest, workers=workers, cache=True)
            add_s = time.perf_counter() - t
    hot = []
    if profile > 0:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.runcall(pipeline.run, manifest=manifest, workers=workers, stages=stages, memo=memo)
        hot = hot_functions(pstats.Stats(prof), top=profile)
    return {
        "hot": hot,
        "docs": len(ctx.documents), "tasks": len(ctx.tasks), "chars": sum(map(len, texts)),
        "stages": {s: min(v) for s, v in stage_runs.items()},
        "pipeline_s": min(pipe_runs), "pipeline_median_s": statistics.median(pipe_runs),
        "pipeline_memo_s": min(memo_runs) if memo_runs else float("nan"),
        "full_build_s": full_s, "add_one_s": add_s,
        "bare_jieba_s": min(bare_runs), "bare_jieba_median_s": statistics.median(bare_runs),
        "evaluate_s": evaluate_s, "cold_build_s": t2 - t0, "cold_run_s": t1 - t0, "write_s": t2 - t1, "import_s": import_s,
        "peak_rss_mb": peak_self, "peak_worker_rss_mb": peak_children, "peak_pss_mb": memory.peak_mb,
        "workers": n_workers, "memo": memo, "repeated_share": tokenization.repeated_share(texts),
        "repeats": len(pipe_runs), "n_tables": len(written),
        "n_tokens": sum(map(len, ctx.tokens.values())), "n_bare_tokens": n_bare,
        "n_targets": 0 if ctx.targets is None else len(ctx.targets),
    }


def measure_in_subprocess(manifest: Path, *, repeats: int, workers: int | None, until: str | None = None,
                          profile: int = 0, memo: bool = False, memo_column: bool = True, add_one: bool = False) -> dict:
    """:func:`measure` in a fresh Python process; its result comes back as JSON on the last stdout line."""
    code = ("import json, runpy, sys; measure = runpy.run_path(sys.argv[7])['measure']; "
            "r = measure(sys.argv[1], repeats=int(sys.argv[2]), "
            "workers=None if sys.argv[3] == 'auto' else int(sys.argv[3]), until=sys.argv[4] or None, "
            "profile=int(sys.argv[5]), memo=sys.argv[6] == 'memo', memo_column=sys.argv[8] == '1', "
            "add_one=sys.argv[9] == '1'); "
            "print(json.dumps(r))")
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code, str(manifest), str(repeats),
                           "auto" if workers is None else str(workers), until or "", str(profile),
                           "memo" if memo else "no-memo", str(Path(__file__).resolve()),
                           "1" if memo_column else "0", "1" if add_one else "0"],
                          capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"
        raise AnalysisError(f"benchmark of {manifest} failed: {tail}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["cold_imports_s"] = imports_between(proc.stderr)
    return result


def imports_between(stderr: str, *, start: str = COLD_START, end: str = COLD_END) -> float:
    """Seconds of top-level imports that ``python -X importtime`` logged between two marker lines."""
    inside, total_us = False, 0
    for line in stderr.splitlines():
        if line.startswith(start):
            inside = True
        elif line.startswith(end):
            break
        elif inside:
            m = IMPORTTIME_RE.match(line)
            if m and len(m.group(3)) <= 1:  # depth 0: one space after the bar
                total_us += int(m.group(2))
    return total_us / 1e6


def row(result: dict, *, previous: dict | None = None) -> dict:
    """One table row (see :data:`CSV_COLUMNS`) from a :func:`measure` result."""
    out = {k: result[k] for k in ("docs", "tasks", "chars")}
    for s in STAGE_NAMES:
        out[f"{s}_s"] = result["stages"].get(s, float("nan"))
    for k in ("pipeline_s", "pipeline_median_s", "bare_jieba_s", "bare_jieba_median_s", "cold_build_s",
              "evaluate_s", "write_s", "peak_rss_mb", "peak_worker_rss_mb", "peak_pss_mb", "workers", "repeats",
              "n_tables", "n_tokens", "memo", "repeated_share", "pipeline_memo_s", "full_build_s", "add_one_s"):
        out[k] = result[k]
    out["ratio_memo"] = result["pipeline_memo_s"] / result["bare_jieba_s"]
    out["add_one_share"] = result["add_one_s"] / result["full_build_s"]
    out["memory_growth"] = (result["peak_pss_mb"] / previous["peak_pss_mb"]
                            if previous and previous.get("peak_pss_mb") else float("nan"))
    out["repeated_share_real"], out["real_docs"] = result.get("repeated_share_real", float("nan")), result.get("real_docs", 0)
    out["cold_imports_s"] = result.get("cold_imports_s", 0.0)
    out["cold_build_s"] = result["cold_build_s"] - out["cold_imports_s"]
    out["ratio"] = result["pipeline_s"] / result["bare_jieba_s"]
    out["ratio_median"] = result["pipeline_median_s"] / result["bare_jieba_median_s"]
    out["tokenize_ratio"] = out["tokenize_s"] / result["bare_jieba_s"]
    out["growth"] = result["pipeline_s"] / previous["pipeline_s"] if previous else float("nan")
    return {c: out[c] for c in CSV_COLUMNS}


def real_texts(real_dir: Path | None = None) -> list[str]:
    """The texts the synthetic corpus's repetition is set against: the five real plans, and every ``*.txt``
    under ``real_dir`` (real plans kept outside the repository, e.g. the development corpus)."""
    from analysis import config, corpus

    texts = [corpus.read(r, raw_dir=config.RAW).text for r in corpus.read_manifest(config.MANIFEST)]
    if real_dir is not None:
        texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(Path(real_dir).rglob("*.txt"))]
    return texts


def run(sizes=DEFAULT_SIZES, *, seed: int = DEFAULT_SEED, repeats: int = DEFAULT_REPEATS,
        workers: int | None = None, until: str | None = None, corpus_dir: Path | None = None,
        progress: bool = False, profile: int = 0, hot: dict | None = None, memo: bool = False,
        memo_column: bool = True, add_one: tuple = (), real_dir: Path | None = None):
    """Synthesize the corpora and measure each size in its own process; return the table (a DataFrame).

    With ``profile > 0``, ``hot`` (a dict) receives, per size, the costliest functions of the package.
    ``add_one``: the sizes at which adding one document to a built corpus is timed against a full build.
    The repeated share of real plans (:func:`real_texts`) is reported beside the synthetic corpus's.
    """
    from analysis import tokenization

    import pandas as pd
    from tqdm import tqdm

    sizes = sorted({int(s) for s in sizes})
    if not sizes or sizes[0] < 1:
        raise UsageError(f"sizes {sizes} must be positive numbers of documents (e.g. --sizes 10 100 1000)")
    with tempfile.TemporaryDirectory(prefix="analysis-bench-") as tmp:
        folder = Path(corpus_dir) if corpus_dir else Path(tmp)
        manifest = synthesize(sizes[-1], folder, seed=seed)
        real = real_texts(real_dir)
        real_share = tokenization.repeated_share(real)
        rows, previous = [], None
        for n in tqdm(sizes, desc="bench", unit="size", disable=not progress):
            result = measure_in_subprocess(subset_manifest(manifest, n), repeats=repeats, workers=workers,
                                           until=until, profile=profile, memo=memo, memo_column=memo_column,
                                           add_one=n in set(add_one))
            result["repeated_share_real"], result["real_docs"] = real_share, len(real)
            if hot is not None and result["hot"]:
                hot[n] = result["hot"]
            rows.append(row(result, previous=previous))
            previous = result
    return pd.DataFrame(rows, columns=CSV_COLUMNS)


def peak_memory_mb(r) -> float:
    """The memory the target is checked on: the process tree's sampled peak PSS where it was measured,
    else the upper bound parent + workers x largest worker (peak RSS; forked workers share pages)."""
    if getattr(r, "peak_pss_mb", 0) and r.peak_pss_mb > 0:
        return float(r.peak_pss_mb)
    return float(r.peak_rss_mb + r.workers * r.peak_worker_rss_mb if r.workers > 1 else r.peak_rss_mb)


def memory_basis(r) -> str:
    if getattr(r, "peak_pss_mb", 0) and r.peak_pss_mb > 0:
        return "PSS of the process and its workers, sampled"
    return "peak RSS, parent + workers" if r.workers > 1 else "peak RSS"


def verdicts(table) -> list[str]:
    """One line per target of issue 18: measured value, target, ``ok`` or ``MISSED``."""
    lines = []
    for r in table.itertuples():
        verdict = ("ok" if r.ratio <= TARGET_RATIO else "MISSED") if r.docs >= 100 else "info"  # targets from 100 on
        lines.append(f"{verdict:6} {r.docs:>5} docs: pipeline (no memo) / bare jieba = {r.ratio:.2f}x "
                     f"(target <= {TARGET_RATIO}x from 100 documents; with the memo {r.ratio_memo:.2f}x)")
    prev = None
    for r in table.itertuples():
        if prev is not None and r.docs >= 10 * prev.docs * 0.99:
            limit = TARGET_GROWTH * (r.docs / prev.docs) / 10
            growth = r.pipeline_s / prev.pipeline_s
            lines.append(f"{'ok' if growth <= limit else 'MISSED':6} {prev.docs}->{r.docs} docs: time x{growth:.1f} "
                         f"(target <= {limit:.1f}x)")
            mem = peak_memory_mb(r) / peak_memory_mb(prev)
            lines.append(f"{'ok' if mem <= limit else 'MISSED':6} {prev.docs}->{r.docs} docs: peak memory x{mem:.1f} "
                         f"(target <= {limit:.1f}x)")
        prev = r
    for r in table.itertuples():
        target = f"target < {TARGET_PEAK_MB} MiB at {TARGET_PEAK_AT} documents" if r.docs >= TARGET_PEAK_AT else "no target"
        ok = "ok" if r.docs < TARGET_PEAK_AT or peak_memory_mb(r) < TARGET_PEAK_MB else "MISSED"
        lines.append(f"{ok:6} {r.docs:>5} docs: peak memory {peak_memory_mb(r):.0f} MiB ({target}; {memory_basis(r)})")
    for r in table.itertuples():
        if r.add_one_share == r.add_one_share:  # measured
            lines.append(f"{'ok' if r.add_one_share <= TARGET_ADD_SHARE else 'MISSED':6} {r.docs:>5} docs: adding one "
                         f"document {r.add_one_s:.1f} s = {r.add_one_share:.0%} of a full build {r.full_build_s:.1f} s "
                         f"(target <= {TARGET_ADD_SHARE:.0%})")
    for r in table.itertuples():
        lines.append(f"info   {r.docs:>5} docs: repeated share {r.repeated_share:.0%} synthetic, "
                     f"{r.repeated_share_real:.0%} in {r.real_docs} real plans")
    return lines


# ---------------------------------------------------------------------------------------------- command line

#: Columns printed on the terminal (the CSV has them all), with their headers.
SHOWN = {"docs": "docs", "tasks": "tasks", "chars": "chars", **{f"{s}_s": s for s in STAGE_NAMES},
         "pipeline_s": "pipeline", "bare_jieba_s": "jieba", "ratio": "ratio", "ratio_memo": "memo",
         "tokenize_ratio": "tok/jieba",
         "growth": "growth", "repeated_share": "repeat",
         "cold_build_s": "cold", "peak_pss_mb": "pss_MiB", "peak_rss_mb": "rss_MiB", "workers": "proc"}


def format_table(table) -> str:
    """The table as aligned text: seconds to 3 decimals, ratios to 2, memory to whole MiB."""
    shown = table[list(SHOWN)].rename(columns=SHOWN)
    fmt = {c: "{:.3f}".format for c in shown.columns if c not in ("docs", "tasks", "chars", "proc")}
    fmt.update({"repeat": "{:.0%}".format, "ratio": "{:.2f}".format, "memo": "{:.2f}".format, "tok/jieba": "{:.2f}".format, "growth": "{:.2f}".format,
                "rss_MiB": "{:.0f}".format, "pss_MiB": "{:.0f}".format})
    return shown.to_string(index=False, formatters=fmt, na_rep="-")


def _cmd_bench(args: argparse.Namespace) -> int:
    repeats = 0 if args.cold_only else 1 if args.quick else args.repeats
    if repeats < 1 and not args.cold_only:
        raise UsageError(f"--repeats {repeats}: must be at least 1")
    if args.workers is not None and args.workers < 1:
        raise UsageError(f"--workers {args.workers}: must be at least 1")
    if args.until is not None and args.until not in STAGE_NAMES:
        raise UsageError(f"--until {args.until!r}: not a stage; choose one of {', '.join(STAGE_NAMES)}")
    if args.profile < 0:
        raise UsageError(f"--profile {args.profile}: must be 0 or more functions")
    hot: dict = {}
    table = run(args.sizes, seed=args.seed, repeats=repeats, workers=args.workers, until=args.until,
                corpus_dir=args.corpus_dir, progress=not args.quiet, profile=args.profile, hot=hot,
                memo=args.memo, memo_column=not args.no_memo_column, add_one=tuple(args.add_one),
                real_dir=args.real_dir)
    for n, funcs in hot.items():
        print(f"costliest functions, {n} documents (cumulative seconds under cProfile):")
        for name, secs in funcs:
            print(f"  {secs:9.3f}  {name}")
    print(format_table(table))
    print()
    print("\n".join(verdicts(table)))
    if args.csv:
        Path(args.csv).parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(args.csv, index=False, lineterminator="\n", float_format="%.4f")
        print(f"-> {args.csv}")
    return 0


def parser() -> argparse.ArgumentParser:
    """The options of ``python benchmarks/bench.py``."""
    p = argparse.ArgumentParser(
        prog="python benchmarks/bench.py",
        description="Make synthetic corpora (the five plans replicated and perturbed, in a temporary folder) "
                    "and measure, per size, each stage's wall time, peak memory and the ratio of the whole "
                    "pipeline to bare jieba.lcut over the same task texts, in the same process.")
    p.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES),
                   help=f"corpus sizes in documents (default {' '.join(map(str, DEFAULT_SIZES))})")
    p.add_argument("--repeats", type=int, default=DEFAULT_REPEATS,
                   help=f"warm runs per size; the minimum counts (default {DEFAULT_REPEATS})")
    p.add_argument("--quick", action="store_true", help="one warm run per size (smoke test)")
    p.add_argument("--cold-only", action="store_true",
                   help="no warm runs: the cold build is the pipeline's time (for 10,000 documents and more)")
    p.add_argument("--workers", type=int, default=None,
                   help="processes for the document stages (default: automatic, one for small corpora)")
    p.add_argument("--until", default=None, metavar="STAGE",
                   help=f"stop the pipeline after this stage ({', '.join(STAGE_NAMES)}; default: all)")
    p.add_argument("--profile", type=int, default=0, metavar="N",
                   help="after the timed runs, one more under cProfile; list the package's N costliest functions")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"corpus seed (default {DEFAULT_SEED})")
    p.add_argument("--csv", type=Path, default=None, help="also write the table to this CSV file")
    p.add_argument("--corpus-dir", type=Path, default=None,
                   help="keep the synthetic corpus in this folder (default: a temporary folder, removed)")
    p.add_argument("--memo", action="store_true",
                   help="headline runs with the tokenizer's memo (each distinct block cut once); by default they "
                        "cut every block afresh, as bare jieba does, and the memo is a second column")
    p.add_argument("--no-memo-column", action="store_true", help="skip the second run with the memo")
    p.add_argument("--add-one", type=int, nargs="*", default=[1000], metavar="SIZE",
                   help="sizes at which adding one document to a built corpus is timed against a full build "
                        "(default 1000)")
    p.add_argument("--real-dir", type=Path, default=None,
                   help="folder of real plans (*.txt, outside the repository) whose repeated share is reported "
                        "beside the synthetic corpus's (the five plans always count)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; a bad option is one line on stderr and exit status 2."""
    args = parser().parse_args(argv)
    try:
        return _cmd_bench(args)
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())

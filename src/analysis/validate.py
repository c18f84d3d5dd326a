"""Validation of the processed tables, as its own layer: rules each output must obey.

Each ``check_*`` function takes frames (and the raw texts where offsets matter) and returns a list of
problem strings, empty when all is well. ``check_all`` reads ``data/processed/`` and runs them all;
``python -m analysis validate`` prints the result. Tests call the same functions.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from analysis import config, corpus, schema, tables

#: Coverage every document must reach: share of non-boilerplate characters inside a task.
MIN_COVERAGE = 1.0
TASK_KEY = ["region", "task_id"]


def check_tasks(tasks: pd.DataFrame, raw: dict[str, str]) -> list[str]:
    """Ids unique, offsets quote the raw text exactly, tasks do not overlap, text non-empty."""
    problems = []
    dup = tasks["task_id"][tasks["task_id"].duplicated()]
    problems += [f"tasks.csv: duplicate task_id {t}" for t in dup]
    for row in tasks.itertuples(index=False):
        text = raw.get(row.region)
        if text is None:
            problems.append(f"tasks.csv: {row.task_id}: region {row.region!r} not in the manifest")
            continue
        if text[row.start:row.end] != row.text:
            problems.append(f"tasks.csv: {row.task_id}: text differs from raw[{row.start}:{row.end}]")
        if not str(row.text).strip():
            problems.append(f"tasks.csv: {row.task_id}: empty text")
    for _region, group in tasks.sort_values(["region", "start"]).groupby("region"):
        ends = group["end"].to_numpy()[:-1]
        starts = group["start"].to_numpy()[1:]
        for tid, s, e in zip(group["task_id"].to_numpy()[1:], starts, ends):
            if s < e:
                problems.append(f"tasks.csv: {tid} overlaps the task before it ({s} < {e})")
    return problems


def check_documents(documents: pd.DataFrame, *, min_coverage: float = MIN_COVERAGE) -> list[str]:
    return [f"documents.csv: {r.region}: share_tiled {r.share_tiled:.4f} below {min_coverage}"
            for r in documents.itertuples(index=False) if r.share_tiled < min_coverage]


def check_tiling(tasks: pd.DataFrame, boilerplate: pd.DataFrame, raw: dict[str, str]) -> list[str]:
    """Nothing lost: every non-whitespace character of every document lies in a task or in a listed
    boilerplate row (recomputed from the raw text, not read from ``documents.csv``)."""
    from analysis.segment import spans as sp

    problems = []
    for region, text in raw.items():
        spans = [(int(s), int(e)) for s, e in tasks.loc[tasks["region"] == region, ["start", "end"]].to_numpy()]
        spans += [(int(s), int(e)) for s, e in boilerplate.loc[boilerplate["region"] == region,
                                                             ["start", "end"]].to_numpy()]
        holes = sp.holes(text, spans)
        if holes:
            lost = sum(sp.nonspace(text[a:b]) for a, b in holes)
            a, b = holes[0]
            problems.append(f"{region}: {lost} characters in no task and no boilerplate row (first at {a}: "
                            f"{text[a:b].strip()[:30]!r}) — rebuild; if it persists, report the document")
    return problems


def check_clauses(clauses: pd.DataFrame, tasks: pd.DataFrame) -> list[str]:
    """Every clause sits inside its task; every task has at least one clause."""
    problems = []
    spans = tasks.set_index("task_id")[["start", "end"]]
    for row in clauses.itertuples(index=False):
        if row.task_id not in spans.index:
            problems.append(f"clauses.csv: {row.clause_id}: unknown task")
            continue
        s, e = spans.loc[row.task_id]
        if not (s <= row.start <= row.end <= e):
            problems.append(f"clauses.csv: {row.clause_id}: outside its task [{s}, {e})")
    missing = set(tasks["task_id"]) - set(clauses["task_id"])
    problems += [f"clauses.csv: task {t} has no clause" for t in sorted(missing)]
    return problems


def check_domains(tasks: pd.DataFrame) -> list[str]:
    """Every task has a primary domain, listed first in ``domains``."""
    if "domain" not in tasks:
        return ["tasks.csv: no domain column"]
    problems = []
    for row in tasks.itertuples(index=False):
        codes = str(row.domains).split(";") if row.domains else []
        if not row.domain or not codes or codes[0] != row.domain:
            problems.append(f"tasks.csv: {row.task_id}: domain {row.domain!r} is not first in {row.domains!r}")
    return problems


def check_spans(frame: pd.DataFrame, raw: dict[str, str], *, name: str, span: str = "span") -> list[str]:
    """Rows with region/start/end/span: the span equals the raw text at its offsets."""
    return [f"{name}: {r.region}[{r.start}:{r.end}] is not {getattr(r, span)!r}"
            for r in frame.itertuples(index=False)
            if raw.get(r.region, "")[int(r.start):int(r.end)] != getattr(r, span)]


#: The kinds a quantity can be (issue 4): defined in :mod:`analysis.schema`.
TARGET_KINDS = schema.QUANTITY_KINDS


def check_targets(targets: pd.DataFrame) -> list[str]:
    """Kinds are known; full-coverage targets are 100 %; ranges are ordered."""
    problems = [f"targets.csv: {r.region}[{r.start}]: kind {r.kind!r} not one of {', '.join(TARGET_KINDS)}"
                for r in targets.itertuples(index=False) if r.kind not in TARGET_KINDS]
    if "value_max" in targets:
        lo = pd.to_numeric(targets["value"], errors="coerce")
        hi = pd.to_numeric(targets["value_max"], errors="coerce")
        bad = targets[hi.notna() & (hi < lo)]
        problems += [f"targets.csv: {r.region}[{r.start}]: range {r.value}-{r.value_max} is reversed"
                     for r in bad.itertuples(index=False)]
    return problems


COVERAGE_STATES = schema.COVERAGE_STATES


def check_coverage(coverage: pd.DataFrame, tasks: pd.DataFrame) -> list[str]:
    """One row per region x domain; shares sum to 1 (0 for a region with no task); states follow their rule; counts match tasks.csv."""
    problems = [f"coverage.csv: duplicate cell {r}/{d}"
                for (r, d), n in coverage.groupby(["region", "domain"]).size().items() if n > 1]
    for region, g in coverage.groupby("region"):
        for col in ("share_tasks", "share_chars"):
            total = g[col].astype(float).sum()
            empty = g["n_tasks"].astype(int).sum() == 0  # a document with no task (an excerpt of framing only)
            if abs(total - (0 if empty else 1)) > 1e-6:
                problems.append(f"coverage.csv: {region}: {col} sums to {total:.6f}, not 1")
    for r in coverage.itertuples(index=False):
        want = ("target" if r.n_targets > 0 else "result" if r.n_achievements > 0
                else "baseline" if r.n_baselines > 0 else r.state if r.state == "baseline"
                else "mentioned" if r.n_tasks > 0 else "absent")
        if r.state != want:
            problems.append(f"coverage.csv: {r.region}/{r.domain}: state {r.state!r}, rule says {want!r}")
    real = tables.proper_tasks(tasks)
    primary = real.groupby(["region", "domain"]).size()
    for r in coverage.itertuples(index=False):
        if int(primary.get((r.region, r.domain), 0)) != r.n_tasks_primary:
            problems.append(f"coverage.csv: {r.region}/{r.domain}: n_tasks_primary {r.n_tasks_primary} "
                            f"but tasks.csv has {int(primary.get((r.region, r.domain), 0))}")
    return problems


def check_schemas(in_dir: Path | None = None) -> list[str]:
    """Every table in ``in_dir`` against its schema (:mod:`analysis.schema`); a table file with no schema is
    itself a problem."""
    in_dir = Path(in_dir or config.PROCESSED)
    problems = []
    for path in sorted(in_dir.glob("*.csv")):
        problems += schema.check(path.name, tables.read_csv(path.name, in_dir=in_dir))
    return problems


def check_sources(sources: pd.DataFrame, *, interim: Path) -> list[str]:
    """The extracted text of every web page, PDF or Word file is in ``interim`` with the hash ``sources.csv``
    names."""
    problems = []
    for r in sources.fillna("").itertuples():
        if not r.text_file:
            continue
        path = interim / Path(r.text_file).name
        if not path.is_file():
            problems.append(f"sources.csv: {r.region}: extracted text {path} missing — run the build")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != r.text_sha256:
            problems.append(f"sources.csv: {r.region}: {path} does not have the hash text_sha256 names")
    return problems


def raw_texts(manifest: Path | None = None) -> dict[str, str]:
    return {d.region: d.text for d in corpus.load(manifest)}


def check_all(*, in_dir: Path | None = None, manifest: Path | None = None) -> list[str]:
    """Every problem of the tables in ``in_dir`` (default ``data/processed/``), one line each.

    Every table is checked against its schema (:func:`check_schemas`), then by the rules here that
    read the raw text or join tables. First the build record (:func:`analysis.outputs.check_record`): tables missing, empty, altered or stale
    against the manifest stop here with a one-line error saying to rebuild. ``manifest`` defaults to the
    one the record names."""
    from analysis import outputs

    in_dir = Path(in_dir or config.PROCESSED)
    record = outputs.check_record(in_dir, manifest=manifest)
    raw = raw_texts(manifest or outputs.record_manifest(record, in_dir))
    tasks = tables.read_csv("tasks.csv", in_dir=in_dir)
    problems = check_schemas(in_dir)
    problems += check_tasks(tasks, raw)
    problems += check_documents(tables.read_csv("documents.csv", in_dir=in_dir))
    problems += check_tiling(tasks, tables.read_csv("boilerplate.csv", in_dir=in_dir), raw)
    problems += check_clauses(tables.read_csv("clauses.csv", in_dir=in_dir), tasks)
    problems += check_domains(tasks)
    if (in_dir / "targets.csv").is_file():
        targets = tables.read_csv("targets.csv", in_dir=in_dir)
        if {"span", "start", "end"} <= set(targets.columns):
            problems += check_spans(targets, raw, name="targets.csv")
        problems += check_targets(targets)
    if (in_dir / "quantity_misses.csv").is_file():
        misses = tables.read_csv("quantity_misses.csv", in_dir=in_dir, dtype={"doc_id": str, "span": str})
        problems += check_spans(misses, raw, name="quantity_misses.csv")
    if (in_dir / "coverage.csv").is_file():
        problems += check_coverage(tables.read_csv("coverage.csv", in_dir=in_dir), tasks)
    if (in_dir / "sources.csv").is_file():
        problems += check_sources(tables.read_csv("sources.csv", in_dir=in_dir), interim=config.interim_dir(in_dir))
    if (in_dir / "task_sources.csv").is_file():
        where = tables.read_csv("task_sources.csv", in_dir=in_dir)
        if list(where["task_id"]) != list(tasks["task_id"]):
            problems.append("task_sources.csv: its tasks are not tasks.csv's (rebuild)")
    return problems

"""The build as a transaction: outputs are staged, then moved into place only when all of them succeeded.

A build writes its tables, figures and executed notebooks into hidden staging folders beside their
destinations (``data/.processed.staging/``, ``reports/.figures.staging/``, ``.notebooks.staging/``). Only
when every step succeeded does :func:`commit` write a journal (``data/.processed.commit.json``: which
staged file goes where, which old output goes away), move each file into place with :func:`os.replace` (atomic
per file) and remove the journal. A build killed before the journal exists leaves the previous outputs
whole (the staging folder is discarded by the next build); a build killed while moving leaves the
journal, and :func:`recover` — run by the next build, by ``validate`` and by every analyst command before
they read anything — finishes the moves, so a reader sees the old outputs or the new ones, never a mix.

Each committed tables folder holds a build record, ``build.json``: the package version, the manifest it
was built from (path and sha256) and the sha256 of every table. :func:`check_record` refuses tables that
are missing, empty, altered or stale against the manifest with a one-line error saying to rebuild. The
record has no timestamps, so a rebuild is byte-identical.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from analysis import __version__, config
from analysis.errors import InputError

RECORD = "build.json"
#: Suffixes of the hidden staging folders (``.processed.staging``) and of the commit journal.
STAGING_SUFFIX = ".staging"
JOURNAL_SUFFIX = ".commit.json"
#: Output kinds: staged sub-folder -> whether stale files of the target folder are removed on commit.
KINDS = {"tables": True, "figures": True, "notebooks": False}


@dataclass(frozen=True)
class Targets:
    """Where a build's outputs go: tables, figures and executed notebooks."""

    tables: Path
    figures: Path
    notebooks: Path

    def of(self, kind: str) -> Path:
        return getattr(self, kind)


def targets(out_dir: Path | None = None) -> Targets:
    """The default folders, or with ``out_dir``: ``OUT/``, ``OUT/figures/``, ``OUT/notebooks/``."""
    if out_dir is None:
        return Targets(config.PROCESSED, config.FIGURES, config.NOTEBOOKS)
    out = Path(out_dir)
    return Targets(out, out / "figures", out / "notebooks")


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# --------------------------------------------------------------------------------------------------
# Staging and committing

def staging_dir(folder: Path) -> Path:
    """Where outputs bound for ``folder`` are staged: a hidden sibling (same file system, so the final
    moves are renames; same parent, so paths relative to the folder mean the same from the stage)."""
    folder = Path(folder)
    return folder.parent / f".{folder.name}{STAGING_SUFFIX}"


def journal_path(tables_dir: Path) -> Path:
    """The commit journal of a build whose tables go to ``tables_dir``."""
    tables_dir = Path(tables_dir)
    return tables_dir.parent / f".{tables_dir.name}{JOURNAL_SUFFIX}"


@contextmanager
def staged(dest: Targets) -> Iterator[Targets]:
    """Fresh staging folders for ``dest``; removed afterwards whether the build succeeded or not."""
    recover(dest.tables)
    stage = Targets(*(staging_dir(dest.of(kind)) for kind in KINDS))
    for kind in KINDS:
        shutil.rmtree(stage.of(kind), ignore_errors=True)
        stage.of(kind).mkdir(parents=True)
    try:
        yield stage
    finally:
        for kind in KINDS:
            shutil.rmtree(stage.of(kind), ignore_errors=True)


def commit(stage: Targets, dest: Targets, *, kinds: tuple[str, ...]) -> None:
    """Move the staged outputs of ``kinds`` into ``dest`` (journal first, so a kill can be finished)."""
    moves, removals = [], []
    for kind in kinds:
        src_dir, dest_dir = stage.of(kind), dest.of(kind)
        names = sorted(p.name for p in src_dir.iterdir() if p.is_file())
        moves += [(str(src_dir / n), str(dest_dir / n)) for n in names]
        if KINDS[kind] and dest_dir.is_dir():
            removals += [str(p) for p in sorted(dest_dir.iterdir()) if p.is_file() and p.name not in names]
    journal = journal_path(dest.tables)
    journal.parent.mkdir(parents=True, exist_ok=True)
    tmp = journal.with_name(journal.name + ".tmp")
    tmp.write_text(json.dumps({"moves": moves, "removals": removals}, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, journal)
    _replay(journal)


def _replay(journal: Path) -> None:
    plan = json.loads(journal.read_text(encoding="utf-8"))
    for src, dest in plan["moves"]:
        if Path(src).exists():
            Path(dest).parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dest)
    for path in plan["removals"]:
        Path(path).unlink(missing_ok=True)
    journal.unlink()


def recover(tables_dir: Path | None = None) -> bool:
    """Finish the moves of a build (into ``tables_dir``, default ``data/processed/``) killed while
    committing; True if there was one to finish."""
    journal = journal_path(Path(tables_dir or config.PROCESSED))
    if not journal.is_file():
        return False
    try:
        _replay(journal)
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(f"{config.shown(journal)}: an interrupted build could not be finished ({exc}) — "
                         f"delete it and run `python -m analysis build`.") from None
    return True


# --------------------------------------------------------------------------------------------------
# The build record

def write_record(tables_dir: Path, *, manifest: Path, final_dir: Path | None = None) -> Path:
    """``build.json`` for the tables in ``tables_dir`` (call after every table is written).

    The manifest is named relative to ``final_dir`` (where the tables will live; default ``tables_dir``),
    so the record reads the same in every clone and from every working folder."""
    manifest = Path(manifest)
    record = {
        "package_version": __version__,
        "manifest": Path(os.path.relpath(manifest.resolve(), Path(final_dir or tables_dir).resolve())).as_posix(),
        "manifest_sha256": sha256(manifest),
        "tables": {p.name: sha256(p) for p in sorted(Path(tables_dir).glob("*.csv"))},
    }
    path = Path(tables_dir) / RECORD
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def read_record(tables_dir: Path | None = None) -> dict:
    tables_dir = Path(tables_dir or config.tables_dir())
    path = tables_dir / RECORD
    rebuild = "run `python -m analysis build`"
    if not path.is_file():
        raise InputError(f"{config.shown(tables_dir)}: no build record ({RECORD}) — the tables are missing or "
                         f"from an unfinished build; {rebuild}.")
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        record["tables"], record["manifest_sha256"]  # noqa: B018 - both keys must be there
    except (ValueError, KeyError, TypeError):
        raise InputError(f"{config.shown(path)}: not a build record — {rebuild}.") from None
    return record


def record_manifest(record: dict, tables_dir: Path) -> Path:
    """The manifest a build record names (relative to its tables folder)."""
    return (Path(tables_dir) / record.get("manifest", "")).resolve()


def check_record(tables_dir: Path | None = None, *, manifest: Path | None = None) -> dict:
    """The build record of ``tables_dir`` if its tables are whole and fresh; else a one-line InputError.

    Whole: every recorded table exists, is not empty and has its recorded hash. Fresh: the manifest
    (``manifest``, default the one the record names) has the recorded hash — a plan added, removed or
    edited since the build makes the tables stale."""
    tables_dir = Path(tables_dir or config.tables_dir())
    recover(tables_dir)
    record = read_record(tables_dir)
    rebuild = "run `python -m analysis build`"
    for name, digest in sorted(record["tables"].items()):
        path = tables_dir / name
        if not path.is_file() or path.stat().st_size == 0:
            raise InputError(f"{config.shown(path)}: missing or empty (the build record lists it) — {rebuild}.")
        if sha256(path) != digest:
            raise InputError(f"{config.shown(path)}: changed since the build (hash differs from {RECORD}) — "
                             f"{rebuild}.")
    manifest = Path(manifest) if manifest else record_manifest(record, tables_dir)
    if not manifest.is_file():
        raise InputError(f"{config.shown(manifest)}: the manifest the tables were built from is gone — {rebuild}.")
    if sha256(manifest) != record["manifest_sha256"]:
        raise InputError(f"{config.shown(tables_dir)}: stale — {config.shown(manifest)} changed since the build "
                         f"(a plan added, removed or edited); {rebuild}.")
    return record


def describe(record: dict) -> str:
    """One line saying which build the tables are from: manifest, its hash, tables, package version."""
    return (f"tables from the build of {record['manifest']} (sha256 {record['manifest_sha256'][:12]}…): "
            f"{len(record['tables'])} tables, package {record.get('package_version', '?')}")

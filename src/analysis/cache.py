"""Per-document results of the document stages, kept by content so that a build redoes only what changed
(issue 18).

The document stages (segment, tokenize, classify, extract) read one document at a time: what they make of a
document depends on its text, its manifest row, the package's code and its parameter files, nothing else.
:func:`key` hashes exactly these (the code and parameters as :func:`fingerprint`: every source and resource
file of the installed package, and the package version), so an edited plan, a changed lexicon or taxonomy,
or new code gives a new key and the document is recomputed; the rest are read back. The cross-document
stages always run on the merged results: an incremental build writes the same bytes as a clean one.

Entries are pickles (protocol 5) of :class:`DocResult`, one file per document under ``cache/XX/KEY.pkl``,
written to a temporary name and renamed (a killed build leaves no half entry); the tables shared by every
document (the taxonomy) are one entry per fingerprint; the stacked results of each chunk of consecutive documents
(``pipeline.CACHE_CHUNK``) are one more entry (:func:`chunk_key`), read back whole when none of them changed, and
so are those of a changed chunk's parts (``pipeline.CACHE_SUBCHUNK``); the cross-document stages keep their own
parts by content (a block's shared phrases, a comparison block's similarity, alignment and keyness, a pair of
plans' changes, the domain validation). :meth:`Cache.prune` removes entries no document of the last build used. A
cache that cannot be read (another Python, a damaged file) is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd

import analysis
from analysis import config

#: Bump when :class:`DocResult` changes shape: older entries are then misses.
CACHE_FORMAT = 1
#: Files of the package whose content the document stages depend on.
FINGERPRINT_SUFFIXES = (".py", ".txt", ".csv", ".json", ".yaml", ".yml", ".tsv")


@dataclass
class DocResult:
    """What the document stages made of one document: its rows of every per-document table."""

    doc_id: str
    summary: str                                            # its line in the build's output
    tasks: pd.DataFrame | None = None
    clauses: pd.DataFrame | None = None
    targets: pd.DataFrame | None = None
    tokens: dict = field(default_factory=dict)              # task_id -> tokens
    tables: dict = field(default_factory=dict)              # table name -> (frame, sort_by)


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """Hash of the package version, the Python version and every source and parameter file of the package."""
    h = hashlib.sha256(f"{CACHE_FORMAT}|{analysis.__version__}|{sys.version_info[:2]}".encode())
    for path in sorted(config.PACKAGE_DIR.rglob("*")):
        if path.is_file() and path.suffix in FINGERPRINT_SUFFIXES and "__pycache__" not in path.parts:
            h.update(path.relative_to(config.PACKAGE_DIR).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def key(doc, *, stages: Sequence[str], fp: str | None = None) -> str:
    """The cache key of ``doc`` (a :class:`analysis.corpus.Document`) for the document ``stages``."""
    h = hashlib.sha256((fp or fingerprint()).encode())
    h.update("|".join(stages).encode())
    for name in sorted(doc.meta):
        h.update(f"\0{name}\0{doc.meta[name]}".encode())
    for text in (doc.text, doc.source_text or ""):  # the source, where the text is a conversion of it
        h.update(b"\1" + text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def folder_for(out_dir: Path) -> Path:
    """The cache of a build writing its tables to ``out_dir``: ``cache/`` beside the extracted texts."""
    return config.interim_dir(out_dir) / "cache"


def shared_key(*, stages: Sequence[str], fp: str | None = None) -> str:
    """The key of the tables every document shares (the taxonomy) for the document ``stages``."""
    return hashlib.sha256(f"shared|{fp or fingerprint()}|{'|'.join(stages)}".encode()).hexdigest()


def chunk_key(keys: Sequence[str]) -> str:
    """The key of the stacked results of consecutive documents (their :func:`key`, in order)."""
    return hashlib.sha256(("chunk|" + "|".join(keys)).encode()).hexdigest()


def split(*, doc_ids: Sequence[str], summaries: Sequence[str], tasks, clauses, targets, tokens: dict,
          tables: dict) -> tuple[list[DocResult], dict]:
    """A batch's results (the frames of several documents) as one :class:`DocResult` per document, in the
    order of ``doc_ids``, and the tables that are the same for every document (name -> table)."""
    doc_of = dict(zip(tasks["task_id"], tasks["doc_id"])) if tasks is not None and len(tasks) else {}

    def by_doc(frame):
        if frame is None or not len(frame):
            return {}
        if "doc_id" in frame.columns:
            return {k: g for k, g in frame.groupby("doc_id", sort=False)}
        if "task_id" in frame.columns:
            return {k: g for k, g in frame.groupby(frame["task_id"].map(doc_of), sort=False)}
        raise ValueError("a per-document table without doc_id or task_id cannot be cached")

    out = [DocResult(doc_id=d, summary=s) for d, s in zip(doc_ids, summaries)]
    index = {r.doc_id: r for r in out}
    for name in ("tasks", "clauses", "targets"):
        frame = {"tasks": tasks, "clauses": clauses, "targets": targets}[name]
        parts = by_doc(frame)
        for r in out:
            setattr(r, name, parts.get(r.doc_id, frame.iloc[0:0] if frame is not None else None))
    for tid, toks in tokens.items():
        index[doc_of[tid]].tokens[tid] = toks
    shared = {}
    for name, table in tables.items():
        if not table.per_document:
            shared[name] = table
            continue
        parts = by_doc(table.frame)
        for r in out:
            r.tables[name] = (parts.get(r.doc_id, table.frame.iloc[0:0]), list(table.sort_by))
    return out, shared


class Cache:
    """The entries in ``folder`` (created on first write)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.used: set[str] = set()

    def _path(self, k: str) -> Path:
        return self.folder / k[:2] / f"{k}.pkl"

    def get(self, k: str):
        """The entry under ``k``, or None (absent, unreadable or of another format)."""
        path = self._path(k)
        try:
            with path.open("rb") as fh:
                value = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError):
            return None
        self.used.add(k)
        return value

    def keep(self, keys: Iterable[str]) -> None:
        """Count ``keys`` as used by this build (:meth:`prune` keeps them) without reading them."""
        self.used.update(keys)

    def put(self, k: str, value) -> None:
        """Store ``value`` under ``k`` atomically (a temporary file renamed); a full disk only skips it."""
        path = self._path(k)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            with tmp.open("wb") as fh:
                pickle.dump(value, fh, protocol=5)
            os.replace(tmp, path)
        except OSError:
            return
        self.used.add(k)

    def prune(self, keep: Iterable[str] | None = None) -> int:
        """Remove the entries not in ``keep`` (default: those this build used); returns how many."""
        keep = set(self.used if keep is None else keep)
        removed = 0
        if not self.folder.is_dir():
            return 0
        for path in self.folder.glob("*/*.pkl"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)
                removed += 1
        return removed

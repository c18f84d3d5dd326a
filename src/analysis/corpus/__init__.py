"""The corpus: the manifest, reading each document, verifying its hash, decoding its text.

Nothing here writes: ``data/raw/`` is immutable (``analysis.add`` is the one module that adds to it). Every
problem a user can fix raises :class:`~analysis.errors.InputError` with a message naming the file and what to do.

Reading a file, in order (each step that changes something leaves a note on the document, which the build
lists as an ``encoding`` warning; nothing is dropped or guessed silently):

1. :func:`sniff` names the format from the bytes, never the name: a web page, PDF or Word file (also one
   saved under a .txt name) is read by its reader in :data:`READERS` (:mod:`analysis.readers`: the text as
   lines, and where each line stands in the original, :attr:`Document.blocks`); old Word/WPS (.doc/.wps),
   RTF and OpenDocument files are converted by LibreOffice when it is installed; a spreadsheet, ZIP archive,
   image or other binary file is refused with what to do;
2. :func:`decode` picks the encoding: a byte-order mark, else UTF-16 without one told from its NUL bytes, else
   every candidate that decodes (UTF-8, GB18030, Big5, CP950) is scored on how much of it is common Chinese and
   the best wins — a Big5 file is read as Big5, not as GB18030 nonsense;
3. :func:`normalize` turns CRLF, lone CR and mixed line ends into LF (lone CR -> LF keeps every offset), NUL
   characters into spaces, and converts traditional Chinese to simplified for analysis character for character
   (same length: offsets into :attr:`Document.text` index :attr:`Document.original_text` too).
"""

from __future__ import annotations

import csv
import hashlib
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from analysis import config, readers
from analysis.errors import InputError
from analysis.corpus.cleaning import normalize, normalize_line_ends, normalize_source, simplify, t2s_char, to_simplified
from analysis.corpus.encodings import READERS, decode, read_other, score
from analysis.corpus.formats import FORMAT_HELP, FORMAT_SUFFIXES, sniff

__all__ = ["ADMIN_LEVELS", "DOC_TYPES", "Document", "FORMAT_HELP", "FORMAT_SUFFIXES", "LAYOUTS", "READERS",
           "REGION_RE", "REQUIRED_COLUMNS", "TASK_UNITS", "YEAR_RE", "decode", "from_bytes", "load", "normalize",
           "normalize_line_ends", "normalize_source", "read", "read_manifest", "read_other", "score", "sha256",
           "simplify", "sniff", "t2s_char", "to_simplified"]


log = logging.getLogger(__name__)

#: Columns every manifest row must have (see docs/data-dictionary.md).
REQUIRED_COLUMNS = (
    "doc_id", "region", "name_zh", "name_en", "province", "prefecture", "admin_level", "year",
    "doc_type", "title", "issuer", "date", "source_note", "file", "sha256",
)
#: Optional columns: ``layout`` (auto, outline, table, feature, paragraphs) and ``task_unit``
#: (item: tasks are numbered items / rows / themes; clause: 一是… clauses and 在…方面 passages are tasks).
#: ``jurisdiction``: the bureau's slug, shared by its several documents (years, plan / summary / task list);
#: empty or absent: the document's own ``region`` slug (one document per jurisdiction).
OPTIONAL_COLUMNS = ("layout", "task_unit", "encoding", "jurisdiction")
DOC_TYPES = ("work_plan", "task_list", "work_summary", "work_summary_and_plan", "newspaper_feature")
LAYOUTS = ("auto", "outline", "table", "feature", "paragraphs")
TASK_UNITS = ("item", "clause")
ADMIN_LEVELS = ("district", "county", "county-level city", "prefecture-level city", "province")
REGION_RE = re.compile(r"^[a-z][a-z0-9_]*$")
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
YEAR_RE = re.compile(r"^[0-9]{4}$")


@dataclass(frozen=True)
class Document:
    """One plan: its manifest row and its decoded text. Offsets elsewhere index ``text``.

    ``text`` is what the stages analyse. For a traditional-Chinese source it is the simplified conversion,
    of the same length, character for character; ``original_text`` (``source_text``) is then the decoded
    source itself, and ``original_text[start:end]`` quotes the source at any offsets into ``text``. For every
    other document ``source_text`` is None and ``original_text`` is ``text``.
    """

    doc_id: str
    region: str
    meta: dict
    text: str
    path: Path
    encoding: str = "utf-8"
    notes: tuple[str, ...] = field(default=())
    #: The decoded source where ``text`` is a conversion of it (traditional Chinese), else None.
    source_text: str | None = None
    #: ``text`` for a plain-text file, else the reader's format (``html``, ``pdf``, ``docx``, ``ole`` …).
    source_format: str = "text"
    #: Where each line of the extracted text stands in the original (PDF page, Word paragraph or table row,
    #: HTML element): :class:`analysis.readers.Block`; empty for a plain-text file (its lines: :meth:`lines`).
    blocks: tuple = field(default=())

    def __post_init__(self):
        if self.source_text is not None and len(self.source_text) != len(self.text):
            raise ValueError(f"{self.path}: source_text and text differ in length (offsets must index both)")

    @property
    def jurisdiction(self) -> str:
        """The bureau's slug: shared by its documents; the document's own slug when the manifest names none."""
        return self.meta.get("jurisdiction") or self.region

    @property
    def original_text(self) -> str:
        """The decoded source text: ``original_text[start:end]`` quotes the source at offsets into ``text``."""
        return self.text if self.source_text is None else self.source_text

    @property
    def converted(self) -> bool:
        """True when ``text`` is a simplified conversion of a traditional-Chinese source."""
        return self.source_text is not None

    def locations(self) -> tuple:
        """The blocks of :attr:`original_text`: the reader's, or for a plain-text file its lines."""
        return self.blocks or readers.text_blocks(self.original_text)

    @property
    def layout(self) -> str:
        return self.meta.get("layout") or "auto"

    @property
    def task_unit(self) -> str:
        return self.meta.get("task_unit") or "item"


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_manifest(path: Path | None = None, *, allow_empty: bool = False) -> list[dict]:
    """Read and validate the manifest; return its rows as dicts, in file order (none only if ``allow_empty``)."""
    path = Path(path or config.MANIFEST)
    if not path.is_file():
        raise InputError(f"{path}: manifest not found — create it with one row per document "
                         f"(columns: {', '.join(REQUIRED_COLUMNS)}).")
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            rows = list(reader)
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: manifest is not UTF-8 ({exc.reason}) — save it as UTF-8 CSV.") from None
    except csv.Error as exc:
        raise InputError(f"{path}: malformed CSV ({exc}).") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputError(f"{path}: manifest lacks column(s) {', '.join(missing)} — "
                         f"expected {', '.join(REQUIRED_COLUMNS)}.")
    if not rows and not allow_empty:
        raise InputError(f"{path}: manifest has no rows — add one row per document.")
    seen_ids, seen_regions = set(), set()
    for n, row in enumerate(rows, start=2):
        where = f"{path} line {n}"
        if None in row or any(v is None for v in row.values()):
            raise InputError(f"{where}: wrong number of fields — every row needs {len(header)} "
                             f"comma-separated fields (quote values that contain commas).")
        row = {k: v.strip() for k, v in row.items()}
        rows[n - 2] = row
        if not REGION_RE.match(row["region"]):
            raise InputError(f"{where}: region {row['region']!r} is not a lower-case slug (e.g. 'weiyang').")
        if row["doc_id"] in seen_ids:
            raise InputError(f"{where}: duplicate doc_id {row['doc_id']!r}.")
        if row["region"] in seen_regions:
            raise InputError(f"{where}: duplicate region {row['region']!r} — every document needs its own slug; "
                             f"documents of one bureau share a `jurisdiction` (e.g. region weiyang_2024_plan, "
                             f"jurisdiction weiyang).")
        row["jurisdiction"] = row.get("jurisdiction", "") or row["region"]
        if not REGION_RE.match(row["jurisdiction"]):
            raise InputError(f"{where}: jurisdiction {row['jurisdiction']!r} is not a lower-case slug "
                             f"(e.g. 'weiyang').")
        seen_ids.add(row["doc_id"])
        seen_regions.add(row["region"])
        if row["doc_type"] not in DOC_TYPES:
            raise InputError(f"{where}: doc_type {row['doc_type']!r} is not one of {', '.join(DOC_TYPES)}.")
        if row["year"] and not YEAR_RE.match(row["year"]):
            raise InputError(f"{where}: year {row['year']!r} is not a four-digit year "
                             f"(leave it empty if unknown).")
        if not SHA256_RE.match(row["sha256"].lower()):
            raise InputError(f"{where}: sha256 {row['sha256']!r} is not 64 hex digits — "
                             f"compute it with `sha256sum data/raw/{row['file']}`.")
        if row.get("layout", "") not in ("",) + LAYOUTS:
            raise InputError(f"{where}: layout {row['layout']!r} is not one of {', '.join(LAYOUTS)}.")
        if row.get("task_unit", "") not in ("",) + TASK_UNITS:
            raise InputError(f"{where}: task_unit {row['task_unit']!r} is not one of {', '.join(TASK_UNITS)}.")
    return rows


# ------------------------------------------------------------------------------------------ reading

def read(row: dict, *, raw_dir: Path | None = None, verify: bool = True) -> Document:
    """Read one manifest row's file, verify its sha256 and decode it."""
    raw_dir = Path(raw_dir or config.RAW)
    path = raw_dir / row["file"]
    if not path.is_file():
        raise InputError(f"{path}: file named in the manifest (region {row['region']!r}) not found — "
                         f"copy the document into {raw_dir} or fix the manifest's 'file' column.")
    data = path.read_bytes()
    if verify:
        digest = hashlib.sha256(data).hexdigest()
        if digest != row["sha256"].lower():
            raise InputError(f"{path}: sha256 is {digest} but the manifest says {row['sha256']} — "
                             f"the file changed since it was registered. Restore the original, or if "
                             f"the new file is intended, put its hash in the manifest.")
    return from_bytes(row, data, path=path)


def from_bytes(row: dict, data: bytes, *, path: Path) -> Document:
    """A manifest row's document from its bytes (read or decoded, and normalized; the hash is not checked).

    A web page, PDF or Word file is read by its reader (:data:`READERS`): ``text`` is the extracted text,
    ``blocks`` where each of its lines stands in the original, ``encoding`` and ``source_format`` the format."""
    fmt = sniff(data)
    blocks: tuple = ()
    if fmt in READERS:
        decoded, notes, blocks = read_other(fmt, data, path=path)
        enc = fmt
    else:
        decoded, enc, notes = decode(data, path=path, encoding=row.get("encoding") or None)
        fmt = "text"
    original, more = normalize_source(decoded)
    text, simpler = simplify(original)
    more += simpler
    return Document(doc_id=row["doc_id"], region=row["region"], meta=dict(row), text=text, path=path,
                    encoding=enc, notes=tuple(notes + more), source_text=None if text is original else original,
                    source_format=fmt, blocks=blocks)


def load(manifest: Path | None = None, *, raw_dir: Path | None = None,
         regions: list[str] | None = None) -> list[Document]:
    """Read every document in the manifest (or only ``regions``), in manifest order."""
    manifest = Path(manifest or config.MANIFEST)
    rows = read_manifest(manifest)
    if regions:
        known = [r["region"] for r in rows]
        unknown = [r for r in regions if r not in known]
        if unknown:
            raise InputError(f"unknown region(s) {', '.join(unknown)} — the manifest has {', '.join(known)}.")
        rows = [r for r in rows if r["region"] in regions]
    return [read(row, raw_dir=raw_dir or manifest.parent) for row in rows]

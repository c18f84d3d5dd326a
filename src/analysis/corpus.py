"""The corpus: the manifest, reading each document, verifying its hash, decoding its text.

Nothing here writes: ``data/raw/`` is immutable. Every problem a user can fix raises
:class:`~analysis.errors.InputError` with a message naming the file and what to do.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from analysis import config
from analysis.errors import InputError

log = logging.getLogger(__name__)

#: Columns every manifest row must have (see docs/data-dictionary.md).
REQUIRED_COLUMNS = (
    "doc_id", "region", "name_zh", "name_en", "province", "prefecture", "admin_level", "year",
    "doc_type", "title", "issuer", "date", "source_note", "file", "sha256",
)
#: Optional columns: ``layout`` (auto, outline, table, feature, paragraphs) and ``task_unit``
#: (item: tasks are numbered items / rows / themes; clause: 一是… clauses and 在…方面 passages are tasks).
OPTIONAL_COLUMNS = ("layout", "task_unit", "encoding")
DOC_TYPES = ("work_plan", "task_list", "work_summary", "newspaper_feature")
LAYOUTS = ("auto", "outline", "table", "feature", "paragraphs")
TASK_UNITS = ("item", "clause")
REGION_RE = re.compile(r"^[a-z][a-z0-9_]*$")
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
#: Encodings tried, in order, when the manifest names none. GB18030 is a superset of GBK and GB2312.
FALLBACK_ENCODINGS = ("utf-8", "gb18030")


@dataclass(frozen=True)
class Document:
    """One plan: its manifest row and its decoded text. Offsets elsewhere index ``text``."""

    doc_id: str
    region: str
    meta: dict
    text: str
    path: Path
    encoding: str = "utf-8"
    notes: tuple[str, ...] = field(default=())

    @property
    def layout(self) -> str:
        return self.meta.get("layout") or "auto"

    @property
    def task_unit(self) -> str:
        return self.meta.get("task_unit") or "item"


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_manifest(path: Path | None = None) -> list[dict]:
    """Read and validate the manifest; return its rows as dicts, in file order."""
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
    if not rows:
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
            raise InputError(f"{where}: duplicate region {row['region']!r} — one document per region slug.")
        seen_ids.add(row["doc_id"])
        seen_regions.add(row["region"])
        if row["doc_type"] not in DOC_TYPES:
            raise InputError(f"{where}: doc_type {row['doc_type']!r} is not one of {', '.join(DOC_TYPES)}.")
        if not row["year"].isdigit():
            raise InputError(f"{where}: year {row['year']!r} is not a four-digit year.")
        if not SHA256_RE.match(row["sha256"].lower()):
            raise InputError(f"{where}: sha256 {row['sha256']!r} is not 64 hex digits — "
                             f"compute it with `sha256sum data/raw/{row['file']}`.")
        if row.get("layout", "") not in ("",) + LAYOUTS:
            raise InputError(f"{where}: layout {row['layout']!r} is not one of {', '.join(LAYOUTS)}.")
        if row.get("task_unit", "") not in ("",) + TASK_UNITS:
            raise InputError(f"{where}: task_unit {row['task_unit']!r} is not one of {', '.join(TASK_UNITS)}.")
    return rows


def decode(data: bytes, *, path: Path, encoding: str | None = None) -> tuple[str, str, list[str]]:
    """Decode raw bytes; return ``(text, encoding, notes)``.

    UTF-8 is tried first (a BOM is dropped and noted), then GB18030 (which covers GBK/GB2312 files
    common on government sites). Binary data and undecodable text raise :class:`InputError`.
    """
    if not data.strip():
        raise InputError(f"{path}: file is empty — replace it with the document's text.")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with a byte-order mark (saved by some editors)
        encoding = encoding or "utf-16"
    elif b"\x00" in data[:4096]:
        raise InputError(f"{path}: looks binary (NUL bytes) — save the document as plain text "
                         f"(UTF-8); PDF or Word files must be converted first.")
    notes: list[str] = []
    tried = [encoding] if encoding else list(FALLBACK_ENCODINGS)
    for enc in tried:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if enc.replace("-", "").lower() == "utf8" and text.startswith("\ufeff"):
            text = text[1:]
            notes.append("dropped a UTF-8 byte-order mark; offsets index the text after it")
        if enc == "utf-16":
            notes.append("decoded as UTF-16; to convert: iconv -f UTF-16 -t UTF-8")
        elif enc != "utf-8":
            notes.append(f"decoded as {enc}, not UTF-8; to convert: iconv -f {enc.upper()} -t UTF-8")
            log.warning("%s: decoded as %s, not UTF-8", path, enc)
        bad = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t")
        if bad > max(8, len(text) // 100):
            raise InputError(f"{path}: {bad} control characters after decoding as {enc} — "
                             f"is it binary? Save the document as plain UTF-8 text.")
        return text, enc, notes
    raise InputError(f"{path}: cannot decode as {' or '.join(tried)} — convert it to UTF-8 "
                     f"(e.g. `iconv -f GB18030 -t UTF-8`) or name its encoding in the manifest's "
                     f"'encoding' column.")


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
    text, enc, notes = decode(data, path=path, encoding=row.get("encoding") or None)
    text = text.replace("\r\n", "\n") if "\r\n" in text else text
    if "\r" in text:
        notes.append("file uses CR line ends; offsets index the text with CR kept")
    return Document(doc_id=row["doc_id"], region=row["region"], meta=dict(row), text=text, path=path,
                    encoding=enc, notes=tuple(notes))


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

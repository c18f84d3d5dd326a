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
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

from analysis import config, readers
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
            raise InputError(f"{where}: duplicate region {row['region']!r} — one document per region slug.")
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


# ------------------------------------------------------------------------------------------ formats

#: Readers of formats other than plain text: ``READERS[fmt](data, path) -> Extracted`` (or the text alone).
#: :func:`sniff` names the format; a format without a reader is refused with :data:`FORMAT_HELP`.
READERS: dict[str, Callable[[bytes, Path], "readers.Extracted | str"]] = {}


def _register_readers() -> None:
    def reader(fmt: str):
        return lambda data, path: readers.extract(fmt, data, path=Path(path),
                                                  decode_text=lambda b: _decode_text(b, path=Path(path))[0])

    for fmt in readers.FORMATS:
        READERS[fmt] = reader(fmt)


#: What to do with each format :func:`sniff` names that is not plain text and has no reader in :data:`READERS`
#: ({name}: the file's name). Web pages, PDF, Word and the formats LibreOffice converts have readers.
FORMAT_HELP = {
    "pdf": "is a PDF file{renamed} — no PDF reader is registered; extract its text "
           "(e.g. `pdftotext -layout {name} {stem}.txt`) and add the .txt",
    "docx": "is a Word (.docx) file{renamed} — no Word reader is registered; save it as plain text (UTF-8) "
            "in Word or LibreOffice (e.g. `soffice --headless --convert-to txt:Text {name}`) and add the .txt",
    "xlsx": "is an Excel .xlsx workbook{renamed} — spreadsheets are not supported yet; save the sheet as CSV "
            "or text (UTF-8) and add that",
    "odt": "is an OpenDocument file{renamed} — no reader is registered; convert it with "
           "`soffice --headless --convert-to txt:Text {name}` and add the .txt",
    "zip": "is a ZIP archive{renamed} — unpack it and add the plan's text file",
    "ole": "is an old Word/WPS file (.doc/.wps){renamed} — no reader is registered; convert it with "
           "`soffice --headless --convert-to txt:Text {name}` and add the .txt",
    "rtf": "is an RTF file{renamed} — no reader is registered; save it as plain text (UTF-8) "
           "(e.g. `soffice --headless --convert-to txt:Text {name}`) and add the .txt",
    "html": "is a saved web page (HTML){renamed} — no HTML reader is registered; save the page's text "
            "(the browser's Save as text, or copy the article into a UTF-8 .txt file) and add that",
    "image": "is an image{renamed} (a scanned page?) — images are not supported; run OCR on it and add the text",
    "binary": "looks binary (NUL bytes that are not UTF-16 text) — save the document as plain text (UTF-8); "
              "PDF or Word files must be converted first",
}
#: The usual extension of each format, to word the error for a file named .txt.
FORMAT_SUFFIXES = {"pdf": (".pdf",), "docx": (".docx",), "xlsx": (".xlsx",), "odt": (".odt",),
                   "zip": (".zip",), "ole": (".doc", ".wps", ".xls", ".et"), "rtf": (".rtf",),
                   "html": (".html", ".htm", ".shtml"), "mht": (".mht", ".mhtml"),
                   "image": (".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".bmp")}
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*", b"BM")
#: A web page saved as one file (.mht / .mhtml): MIME headers, then the page and its images.
_MIME_RE = re.compile(rb"^(?:[A-Za-z\-]+:[^\n]*\r?\n)*?(?:MIME-Version|Content-Type):", re.I)
_HTML_RE = re.compile(rb"^\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>]|<\?xml[^>]*>\s*<html[\s>])",
                      re.I | re.S)


def sniff(data: bytes) -> str:
    """The format of a file's bytes, from its content, never its name: ``text`` (plain text in any encoding,
    UTF-16 included), or ``pdf``, ``docx``, ``xlsx``, ``odt``, ``zip``, ``ole`` (old Word / WPS / Excel),
    ``rtf``, ``html``, ``mht`` (a web page saved as one file), ``image``, ``binary``. Readers for other formats plug in through :data:`READERS`."""
    body = data[3:] if data.startswith(_BOMS[0]) else data
    head = body[:1024].lstrip()
    if head.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        if b"word/document.xml" in data or b"word/_rels" in data:
            return "docx"
        if b"xl/workbook.xml" in data:
            return "xlsx"
        if b"application/vnd.oasis.opendocument" in data[:200]:
            return "odt"
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if data.startswith(_IMAGE_MAGIC[:-1]) or (data.startswith(b"BM") and b"\x00" in data[:16]):
        return "image"
    if _HTML_RE.match(head):
        return "html"
    if _MIME_RE.match(head) and b"multipart/related" in data[:8192].lower():
        return "mht"
    if data.startswith(_BOMS[1:]):
        return "text"
    if b"\x00" in data and _utf16_order(data) is None:
        return "binary"
    return "text"


_register_readers()


def _utf16_order(data: bytes) -> str | None:
    """``utf-16-le`` / ``utf-16-be`` for UTF-16 without a byte-order mark, told from where its NUL bytes
    stand: ASCII characters (line breaks, digits) have a NUL high byte, at odd positions in LE, even in BE;
    a few hanzi (一 U+4E00) have a NUL low byte, on the other side. :func:`decode` then scores the text."""
    if len(data) % 2 or b"\x00" not in data:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if odd > 2 * even:
        return "utf-16-le"
    if even > 2 * odd:
        return "utf-16-be"
    return None


def _refuse(fmt: str, path: Path) -> InputError:
    name = Path(path).name
    suffixes = FORMAT_SUFFIXES.get(fmt, ())
    suffix = Path(path).suffix
    renamed = "" if not suffixes or suffix.lower() in suffixes else f" (named {suffix or 'without an extension'}?)"
    return InputError(f"{path}: " + FORMAT_HELP[fmt].format(renamed=renamed, name=name, stem=Path(path).stem))


# ------------------------------------------------------------------------------------------ encodings

#: Decodings scored when a file is not UTF-8 and neither the manifest nor a byte-order mark names one, in order
#: of preference on a tie. GB18030 covers GBK and GB2312; CP950 is Windows' Big5 with a few more characters.
CANDIDATE_ENCODINGS = ("gb18030", "big5", "cp950")
#: The best decoding must have at least this share of common Chinese characters among its non-ASCII ones
#: and at most :data:`MAX_UNLIKELY` unlikely ones (kana, Hangul, private use, Cyrillic …) — else it is nonsense.
MIN_COMMON = 0.5
MAX_UNLIKELY = 0.2
#: Control characters a text may hold (tab, line breaks, the form feed pdftotext puts between pages).
ALLOWED_CONTROLS = "\t\n\r\f\v"

_COMMON, _NEUTRAL, _UNLIKELY = 1, 0, -1
_UNLIKELY_RANGES = (
    (0x0080, 0x009F),  # C1 controls
    (0x0370, 0x052F),  # Greek, Cyrillic
    (0x1100, 0x11FF),  # Hangul jamo
    (0x2500, 0x259F),  # box drawing, blocks
    (0x3040, 0x30FF),  # kana
    (0x3100, 0x312F),  # bopomofo
    (0x3130, 0x318F),  # Hangul compatibility jamo
    (0x3400, 0x4DBF),  # CJK extension A: rare characters
    (0xA000, 0xA4CF),  # Yi
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xD800, 0xF8FF),  # surrogates, private use
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFFF0, 0xFFFF),  # specials, the replacement character
    (0x20000, 0x10FFFF),  # supplementary planes: rare characters, private use
)
_COMMON_RANGES = (
    (0x00B7, 0x00B7), (0x00D7, 0x00D7), (0x00B0, 0x00B0),  # · × °
    (0x2010, 0x206F),  # general punctuation: “” ‘’ — …
    (0x2160, 0x217F),  # Roman numerals
    (0x2460, 0x24FF),  # ① ⑴ ⒈
    (0x3000, 0x303F),  # CJK punctuation: 　、。〈〉《》「」【】〔〕
    (0xFF01, 0xFF5E),  # full-width forms: ，：；（）！？０-９
)


@lru_cache(maxsize=None)
def _char_class(ch: str) -> int:
    """Common (a frequent hanzi, simplified or traditional, or Chinese punctuation), unlikely in a Chinese
    plan (what a wrong decoding produces), or neutral. Frequent hanzi: GB2312's (6,763, simplified) and Big5's
    level 1 (5,401, traditional)."""
    cp = ord(ch)
    if cp < 0x80:
        return _COMMON if ch.isprintable() or ch in ALLOWED_CONTROLS else _UNLIKELY
    if 0x4E00 <= cp <= 0x9FFF:
        try:
            if ch.encode("gb2312")[0] >= 0xB0:
                return _COMMON
        except UnicodeEncodeError:
            pass
        try:
            if 0xA4 <= ch.encode("big5")[0] <= 0xC6:
                return _COMMON
        except UnicodeEncodeError:
            pass
        return _NEUTRAL
    if any(a <= cp <= b for a, b in _COMMON_RANGES):
        return _COMMON
    if any(a <= cp <= b for a, b in _UNLIKELY_RANGES):
        return _UNLIKELY
    return _NEUTRAL


def score(text: str) -> tuple[float, float]:
    """``(common, unlikely)``: shares of the text's non-ASCII characters that are common Chinese characters
    or punctuation, and that a plan hardly ever holds (kana, Hangul, Greek, box drawing, private use, rare
    hanzi …), which is what decoding bytes with the wrong encoding produces. ``(1, 0)`` for ASCII text."""
    counts = Counter(text)
    n = common = unlikely = 0
    for ch, k in counts.items():
        if ord(ch) < 0x80:
            continue
        n += k
        cls = _char_class(ch)
        common += k if cls == _COMMON else 0
        unlikely += k if cls == _UNLIKELY else 0
    return (common / n, unlikely / n) if n else (1.0, 0.0)


def decode(data: bytes, *, path: Path, encoding: str | None = None) -> tuple[str, str, list[str]]:
    """Decode raw bytes; return ``(text, encoding, notes)``.

    The format is sniffed first (:func:`sniff`; a PDF or Word file is refused with what to do). A named
    ``encoding`` (the manifest's column) is used as named. Otherwise a byte-order mark decides (UTF-8's is
    dropped and noted), then UTF-16 without one is told from its NUL bytes. Then UTF-8: bytes that decode as
    UTF-8 are UTF-8 (its multi-byte sequences check themselves: GB18030 or Big5 text of more than a few
    characters never passes, while scoring could mistake a UTF-8 text with few Chinese characters, such as
    "café", for GB18030). Otherwise every candidate (:data:`CANDIDATE_ENCODINGS`) that decodes is scored
    (:func:`score`) and the best wins, ties to the earlier. Binary data, empty files, undecodable text and
    decodings that read as nonsense raise :class:`InputError`.
    """
    fmt = sniff(data)
    if fmt in READERS:
        text, notes, _ = read_other(fmt, data, path=path)
        return text, fmt, notes
    if fmt != "text":
        raise _refuse(fmt, path)
    return _decode_text(data, path=path, encoding=encoding)


def read_other(fmt: str, data: bytes, *, path: Path) -> tuple[str, list[str], tuple]:
    """``(text, notes, blocks)`` of a file in a format with a reader (:data:`READERS`), checked: not empty,
    no control characters, and read as Chinese (a reader's nonsense is refused, as a wrong decoding is)."""
    got = READERS[fmt](data, Path(path))
    if isinstance(got, str):
        text, notes, blocks = got, [f"read as {fmt}"], ()
    else:
        text, notes, blocks = got.text, list(got.notes), got.blocks
    suffixes = FORMAT_SUFFIXES.get(fmt, ())
    if suffixes and Path(path).suffix.lower() not in suffixes:
        notes.append(f"named {Path(path).suffix or 'without an extension'} but is {fmt.upper()} (told from its "
                     f"content): read as {fmt.upper()}")
    what = readers.kind(fmt, path) if fmt in readers.KINDS else f"a {fmt} file"
    if not text.strip():
        raise InputError(f"{path}: is {what} with no text in it — is the plan an image or an attachment? "
                         f"Add the plan's text or the file that holds it.")
    common, unlikely = score(text)
    if common < MIN_COMMON or unlikely > MAX_UNLIKELY:
        raise InputError(f"{path}: is {what} whose text is not Chinese text ({common:.0%} "
                         f"common characters, {unlikely:.0%} unlikely ones) — its fonts or encoding are broken; "
                         f"print it to a new PDF or save it as .docx, or add the plan's text.")
    text, _, notes = _checked(text, fmt, notes, path=path)
    return text, notes, blocks


def _decode_text(data: bytes, *, path: Path, encoding: str | None = None) -> tuple[str, str, list[str]]:
    """:func:`decode` for bytes that are plain text (the format is known)."""
    if not data.strip():
        raise InputError(f"{path}: file is empty — replace it with the document's text.")
    notes: list[str] = []
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise InputError(f"{path}: the manifest names encoding {encoding!r}, which Python does not know — "
                             f"use a name such as utf-8, gb18030, big5, utf-16.") from None
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: cannot decode as {encoding} (the manifest's 'encoding') at byte "
                             f"{exc.start} — fix or empty the manifest's 'encoding' column to detect it.") from None
        if encoding.replace("-", "").replace("_", "").lower() not in ("utf8", "utf8sig"):
            notes.append(f"decoded as {encoding} (named in the manifest); to convert: "
                         f"iconv -f {encoding.upper()} -t UTF-8")
        if text.startswith("\ufeff"):
            text = text[1:]
            notes.append("dropped a byte-order mark; offsets index the text after it")
        return _checked(text, encoding, notes, path=path)

    bom = ("utf-8" if data.startswith(b"\xef\xbb\xbf") else
           "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else None)  # saved by some editors
    if bom:
        try:
            text = data.decode(bom)
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: starts with a {bom.upper()} byte-order mark but is not {bom.upper()} "
                             f"(byte {exc.start}) — save the document again as UTF-8.") from None
        if bom == "utf-8":
            text = text[1:]
            notes.append("dropped a UTF-8 byte-order mark; offsets index the text after it")
        else:
            notes.append("decoded as UTF-16; to convert: iconv -f UTF-16 -t UTF-8")
        return _checked(text, bom, notes, path=path)
    if b"\x00" in data:  # sniff let it through: UTF-16 without a byte-order mark
        candidates = [_utf16_order(data)]
    else:
        try:
            return _checked(data.decode("utf-8"), "utf-8", notes, path=path)
        except UnicodeDecodeError:
            candidates = list(CANDIDATE_ENCODINGS)
    decoded = []
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        decoded.append((score(text), enc, text))
    if not decoded:
        if candidates[0].startswith("utf-16"):
            raise _refuse("binary", path)
        raise InputError(f"{path}: cannot decode as {' or '.join(candidates)} — convert it to UTF-8 "
                         f"(e.g. `iconv -f GB18030 -t UTF-8`) or name its encoding in the manifest's "
                         f"'encoding' column.")
    # best: most common characters net of unlikely ones; on a tie the earlier candidate (sorted is stable)
    ranked = sorted(decoded, key=lambda d: -(d[0][0] - 2 * d[0][1]))
    (common, unlikely), enc, text = ranked[0]
    if common < MIN_COMMON or unlikely > MAX_UNLIKELY:
        if candidates[0].startswith("utf-16"):
            raise _refuse("binary", path)
        raise InputError(f"{path}: no decoding reads as Chinese text (best: {enc}, {common:.0%} common "
                         f"characters, {unlikely:.0%} unlikely ones) — convert it to UTF-8 or name its encoding "
                         f"in the manifest's 'encoding' column.")
    if enc.startswith("utf-16"):
        notes.append(f"decoded as {enc.upper()} without a byte-order mark (told from its NUL bytes); "
                     f"to convert: iconv -f {enc.upper().replace('-16-', '-16')} -t UTF-8")
    else:
        scores = ", ".join(f"{e} {c - 2 * u:.2f}" for (c, u), e, _ in ranked)
        notes.append(f"decoded as {enc}, not UTF-8 (chosen by score: {scores}); "
                     f"to convert: iconv -f {enc.upper()} -t UTF-8")
        log.warning("%s: decoded as %s, not UTF-8", path, enc)
    return _checked(text, enc, notes, path=path)


def _checked(text: str, enc: str, notes: list[str], *, path: Path) -> tuple[str, str, list[str]]:
    """Refuse a decoded text that is only whitespace or full of control characters."""
    if not text.strip():
        raise InputError(f"{path}: file is empty (only whitespace) — replace it with the document's text.")
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in ALLOWED_CONTROLS) or 0x7F <= ord(ch) <= 0x9F)
    if bad > max(8, len(text) // 100):
        raise InputError(f"{path}: {bad} control characters after decoding as {enc} — "
                         f"is it binary? Save the document as plain UTF-8 text.")
    return text, enc, notes


# ------------------------------------------------------------------------------------------ normalizing

#: Share of a text's hanzi that must change under conversion to simplified characters for it to be taken as
#: traditional Chinese (a simplified plan has almost none: one character of the five seeds' 20,000).
TRADITIONAL_SHARE = 0.1
#: Pre-check before loading OpenCC: share of hanzi outside GB2312 (the simplified character set).
_NON_GB2312_SHARE = 0.05


def normalize_line_ends(text: str) -> tuple[str, list[str]]:
    """CRLF -> LF; then lone CR (old Mac files, or mixed with CRLF) -> LF, with a note. CR -> LF keeps the
    length, so offsets are those of the decoded file with CRLF collapsed."""
    notes = []
    crlf = "\r\n" in text
    if crlf:
        text = text.replace("\r\n", "\n")
    if "\r" in text:
        text = text.replace("\r", "\n")
        notes.append(("mixed CRLF and CR line ends: CRLF read as LF, then lone CR as LF" if crlf else
                      "CR line ends (old Mac) read as LF (same length: offsets unchanged)"))
    return text, notes


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=None)
def _t2s_char(ch: str) -> str:
    out = _t2s().convert(ch)
    return out if len(out) == 1 else ch


def _is_hanzi(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


def _looks_traditional(text: str) -> bool:
    hanzi = [ch for ch in set(text) if _is_hanzi(ch)]
    if not hanzi:
        return False
    counts = Counter(ch for ch in text if _is_hanzi(ch))
    outside = sum(counts[ch] for ch in hanzi if not _in_gb2312(ch))
    return outside >= _NON_GB2312_SHARE * sum(counts.values())


@lru_cache(maxsize=None)
def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def to_simplified(text: str) -> tuple[str, int]:
    """``(simplified text of the same length, characters changed)``. OpenCC t2s converts phrase by phrase
    within each line; a line whose conversion changes its length is converted character by character."""
    cc = _t2s()
    out = []
    for line in text.splitlines(keepends=True):
        conv = cc.convert(line)
        if len(conv) != len(line):
            conv = "".join(_t2s_char(ch) if _is_hanzi(ch) else ch for ch in line)
        out.append(conv)
    simple = "".join(out)
    assert len(simple) == len(text)
    return simple, sum(1 for a, b in zip(text, simple) if a != b)


def simplify(text: str) -> tuple[str, list[str]]:
    """Traditional Chinese -> simplified for analysis, same length, with a note; any other text unchanged.
    Traditional: at least :data:`TRADITIONAL_SHARE` of the hanzi change under OpenCC t2s."""
    if not _looks_traditional(text):
        return text, []
    try:
        simple, changed = to_simplified(text)
    except ImportError:
        return text, ["looks like traditional Chinese but OpenCC is not installed (pip install "
                      "opencc-python-reimplemented): analysed as it is, which the lexicons (simplified) match poorly"]
    n_hanzi = sum(1 for ch in text if _is_hanzi(ch))
    if changed < TRADITIONAL_SHARE * n_hanzi:
        return text, []
    return simple, [f"traditional Chinese converted to simplified Chinese for analysis (OpenCC t2s, same "
                    f"offsets): {changed} of {n_hanzi} characters changed; Document.original_text keeps the source"]


def normalize_source(text: str) -> tuple[str, list[str]]:
    """The decoded text as the source reads, with notes: line ends normalized (:func:`normalize_line_ends`),
    NUL characters (from a UTF-16 file) read as spaces; both keep every offset."""
    text, notes = normalize_line_ends(text)
    if "\x00" in text:
        notes.append(f"{text.count(chr(0))} NUL characters read as spaces (same offsets)")
        text = text.replace("\x00", " ")
    return text, notes


def normalize(text: str) -> tuple[str, list[str]]:
    """``(text for analysis, notes)`` from a decoded text: :func:`normalize_source`, then traditional Chinese
    simplified (:func:`simplify`, same length)."""
    text, notes = normalize_source(text)
    simple, more = simplify(text)
    return simple, notes + more


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

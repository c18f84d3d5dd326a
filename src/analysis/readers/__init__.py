"""Readers for the formats plans are published in: saved web pages, PDF and Word files.

Each reader turns a file's bytes into :class:`Extracted`: the plan's text as lines (what the segmenter reads,
the same shapes as a plain-text plan: one paragraph a line, a table row a line with its cells joined by
`` | ``) and, for every line, where it stands in the original (:class:`Block`: the PDF page, the Word paragraph
or table row, the HTML element). What a reader leaves out (a PDF's running headers and page numbers, a web
page's navigation) is listed in :attr:`Extracted.notes`, never dropped silently.

- :mod:`analysis.readers.html`: lxml, the main content by a readability-like rule, tables as rows (also the
  page inside a web archive, .mht);
- :mod:`analysis.readers.pdf`: pdfplumber, lines joined into paragraphs, running headers, footers and page
  numbers removed (and listed), tables as rows; a scan is OCRed with Tesseract ``chi_sim`` when installed;
- :mod:`analysis.readers.docx`: python-docx, Word's automatic numbering rendered from ``numbering.xml``;
- old formats (.doc, .wps, .rtf, .odt) are converted with LibreOffice when ``soffice`` is on the PATH.

Readers import nothing of the pipeline: :mod:`analysis.corpus` calls :func:`extract`. Each library is imported
only when a file of its format is read. Every problem is one :class:`~analysis.errors.InputError` line naming
the file and what to do.
"""

from __future__ import annotations

import bisect
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, NamedTuple

from analysis.errors import InputError

#: Formats :func:`extract` reads (names from :func:`analysis.corpus.sniff`).
FORMATS = ("html", "mht", "pdf", "docx", "ole", "rtf", "odt")
#: Old formats LibreOffice converts to .docx, with the extension the converter needs to see.
CONVERTED = {"ole": ".doc", "rtf": ".rtf", "odt": ".odt"}
#: The Python package each reader needs (for the error when it is missing).
PACKAGES = {"html": "lxml", "mht": "lxml", "pdf": "pdfplumber", "docx": "python-docx"}
#: How an error names each format, and the extensions that need no "(named .txt?)" after it.
KINDS = {"html": ("a web page (HTML)", (".html", ".htm", ".shtml", ".xhtml")),
         "mht": ("a web page saved as one file (MHT)", (".mht", ".mhtml")),
         "pdf": ("a PDF file", (".pdf",)), "docx": ("a Word (.docx) file", (".docx", ".docm")),
         "ole": ("an old Word/WPS file (.doc/.wps)", (".doc", ".wps", ".dot")), "rtf": ("an RTF file", (".rtf",)),
         "odt": ("an OpenDocument file", (".odt",))}
#: Seconds LibreOffice may take to convert one file.
SOFFICE_TIMEOUT = 120
#: Whitespace a reader strips around a line (ideographic space and no-break space included).
LINE_STRIP = " \t\r\n\f\v\u3000\u00a0\u200b\ufeff"
#: Consecutive numbers in a location (``paragraph 12``), to describe a range (``paragraphs 12–15``).
TRAILING_NUMBER_RE = re.compile(r"^(.*?)(\d+)$")
#: Whitespace inside a line: runs of it become one space (a line break between two CJK characters, none).
SPACE_RUN_RE = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")
CHARSET_IN_PAGE_RE = re.compile(rb"<meta[^>]{0,200}?charset", re.I)
CJK_RE = re.compile(r"[\u2010-\u206f\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
LATIN_RE = re.compile(r"[A-Za-z,;]")


class Block(NamedTuple):
    """One line of the extracted text (``text[start:end]``) and where it stands in the original."""

    start: int
    end: int
    where: str
    page: int = 0  # the PDF page (1-based); 0 for other formats


@dataclass(frozen=True)
class Extracted:
    """A reader's result: the text, where each line came from, and notes on what was left out or changed."""

    text: str
    blocks: tuple[Block, ...]
    fmt: str
    notes: tuple[str, ...] = field(default=())


class Lines:
    """Builds an extracted text line by line, recording each line's :class:`Block`."""

    def __init__(self):
        self.parts: list[str] = []
        self.blocks: list[Block] = []
        self.pos = 0

    def add(self, line: str, where: str, *, page: int = 0) -> None:
        """A new line (stripped; empty lines are skipped)."""
        line = line.strip(LINE_STRIP)
        if not line:
            return
        self.parts.append(line + "\n")
        self.blocks.append(Block(self.pos, self.pos + len(line), where, page))
        self.pos += len(line) + 1

    def join(self, line: str, where: str, *, page: int = 0, glue: str | None = None) -> None:
        """Continue the last line with ``line`` (a paragraph wrapped in a PDF): no line break between them;
        ``glue`` between them (default: nothing next to a CJK character, else a space)."""
        line = line.strip(LINE_STRIP)
        if not line:
            return
        if not self.parts:
            self.add(line, where, page=page)
            return
        last = self.parts[-1][:-1]
        if glue is None:  # a break at the margin: inside a word, except between two Latin letters
            glue = " " if LATIN_RE.match(last[-1:]) and LATIN_RE.match(line[:1]) else ""
        self.parts[-1] = last + glue + line + "\n"
        self.pos += len(glue)
        self.blocks.append(Block(self.pos - 1, self.pos - 1 + len(line), where, page))
        self.pos += len(line)

    def result(self, fmt: str, notes: list[str]) -> Extracted:
        return Extracted("".join(self.parts), tuple(self.blocks), fmt, tuple(notes))


def inline(text: str) -> str:
    """Text of one line: whitespace runs -> one space, none where a line break stood between CJK characters."""
    def sub(m: re.Match) -> str:
        a, b = text[m.start() - 1:m.start()], text[m.end():m.end() + 1]
        if ("\n" in m.group(0) or "\r" in m.group(0)) and (CJK_RE.match(a) or CJK_RE.match(b)):
            return ""
        return " "

    return SPACE_RUN_RE.sub(sub, text).strip(LINE_STRIP)


def row_line(cells: list[str]) -> str:
    """A table row as the segmenter reads one: its cells joined by `` | ``, with a closing bar."""
    return " | ".join(cells) + " |"


def grid(rows: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    """Table rows of ``(text, colspan, rowspan)`` cells as rows of cell texts with the columns in place: a cell
    spanning rows is repeated at its column in the rows below (each task row keeps its leader), one spanning
    columns is followed by empty cells. A row of one cell (a part heading across the table) stays one cell."""
    pending: dict[int, list] = {}  # column -> [text, rows still to fill]
    out = []

    def fill(row: list[str], col: int) -> int:
        while col in pending:
            text, left = pending[col]
            row.append(text)
            if left <= 1:
                del pending[col]
            else:
                pending[col][1] = left - 1
            col += 1
        return col

    for cells in rows:
        row: list[str] = []
        col = 0
        alone = len(cells) == 1 and not pending
        for text, colspan, rowspan in cells:
            col = fill(row, col)
            width = 1 if alone else max(1, colspan)
            row += [text] + [""] * (width - 1)
            if rowspan > 1:
                for k in range(width):
                    pending[col + k] = [text if k == 0 else "", rowspan - 1]
            col += width
        while pending and max(pending) >= col:
            col = fill(row, col) if col in pending else col + 1
        out.append(row)
    return out


def _plural(prefix: str) -> str:
    words = prefix.rstrip().rsplit(" ", 1)
    return prefix.rstrip() + "s " if words and words[-1].isalpha() else prefix


def describe(blocks: list[Block] | tuple[Block, ...]) -> str:
    """Where a span of the extracted text stands in the original, for a reader: ``pages 2–3`` (PDF),
    ``paragraphs 12–15`` / ``table 1, rows 3–5`` (Word), ``lines 4–9`` (text), else first … last element."""
    if not blocks:
        return ""
    pages = sorted({b.page for b in blocks if b.page})
    if pages:
        return f"page {pages[0]}" if len(pages) == 1 else f"pages {pages[0]}–{pages[-1]}"
    first, last = blocks[0].where, blocks[-1].where
    if first == last:
        return first
    m1, m2 = TRAILING_NUMBER_RE.match(first), TRAILING_NUMBER_RE.match(last)
    if m1 and m2 and m1.group(1) == m2.group(1):
        return f"{_plural(m1.group(1))}{m1.group(2)}–{m2.group(2)}"
    return f"{first} … {last}"


def covering(blocks: tuple[Block, ...] | list[Block], start: int, end: int,
             starts: list[int] | None = None) -> list[Block]:
    """The blocks (sorted by start) that ``text[start:end]`` overlaps; ``starts``: their starts, precomputed."""
    starts = starts if starts is not None else [b.start for b in blocks]
    i = max(0, bisect.bisect_right(starts, start) - 1)
    if i < len(blocks) and blocks[i].end <= start:
        i += 1
    j = bisect.bisect_left(starts, max(end, start + 1))
    return list(blocks[i:j])


def text_blocks(text: str) -> tuple[Block, ...]:
    """The blocks of a plain-text document: its lines (``line N``, 1-based)."""
    out, pos = [], 0
    for n, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            out.append(Block(pos, pos + len(line), f"line {n}"))
        pos += len(line) + 1
    return tuple(out)


def kind(fmt: str, path: Path) -> str:
    """``a PDF file``, with ``(named .txt?)`` when the file's name says another format."""
    what, suffixes = KINDS[fmt]
    suffix = Path(path).suffix
    return what if suffix.lower() in suffixes else f"{what} (named {suffix or 'without an extension'}?)"


def _reader(fmt: str) -> Callable[..., Extracted]:
    try:
        if fmt in ("html", "mht"):
            from analysis.readers import html as mod
        elif fmt == "pdf":
            from analysis.readers import pdf as mod
        else:
            from analysis.readers import docx as mod
    except ImportError as exc:
        raise ImportError(f"{PACKAGES[fmt]} ({exc.name})") from None
    return mod.read


def extract(fmt: str, data: bytes, *, path: Path, decode_text: Callable[[bytes], str]) -> Extracted:
    """Read ``data`` (format ``fmt``, see :data:`FORMATS`) into :class:`Extracted`.

    ``decode_text`` decodes the bytes of a web page that names no charset (the corpus's encoding detection).
    """
    path = Path(path)
    if fmt in CONVERTED:
        return _converted(fmt, data, path=path)
    try:
        read = _reader(fmt)
    except ImportError as exc:
        raise InputError(f"{path}: is {kind(fmt, path)}; reading it needs the Python package {exc} — "
                         f"install the toolkit's dependencies (pip install -e .).") from None
    if fmt == "mht":
        data = _mht_page(data, path=path)
    if fmt in ("html", "mht"):
        return read(data, path=path, decode_text=decode_text)
    return read(data, path=path)


def _mht_page(data: bytes, *, path: Path) -> bytes:
    """The HTML page inside a web archive (.mht: MIME, the page and its images), its charset made explicit."""
    import email
    import email.policy

    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            page = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            if charset and not CHARSET_IN_PAGE_RE.search(page[:4096]):
                page = f'<meta charset="{charset}">'.encode("ascii") + page
            return page
    raise InputError(f"{path}: is {kind('mht', path)} without a web page in it — open it in a browser, save it as "
                     f"a web page (HTML only) and add that.")


def _converted(fmt: str, data: bytes, *, path: Path) -> Extracted:
    """An old Word/WPS, RTF or OpenDocument file, converted to .docx by LibreOffice, then read as Word."""
    import subprocess
    import tempfile

    what = kind(fmt, path)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise InputError(f"{path}: is {what} — convert it to .docx with LibreOffice "
                         f"(`soffice --headless --convert-to docx {path.name}`) or save it as .docx in Word/WPS, "
                         f"and add the .docx (or install LibreOffice to convert it on reading).")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"source{CONVERTED[fmt]}"
        src.write_bytes(data)
        try:
            subprocess.run([soffice, "--headless", "--convert-to", "docx", "--outdir", tmp, str(src)],
                           check=True, capture_output=True, timeout=SOFFICE_TIMEOUT)
            out = (Path(tmp) / "source.docx").read_bytes()
        except (subprocess.SubprocessError, OSError) as exc:
            raise InputError(f"{path}: is {what} and LibreOffice could not convert it ({type(exc).__name__}) — "
                             f"open it in Word/WPS, save it as .docx and add that.") from None
    got = _reader("docx")(out, path=path)
    return Extracted(got.text, got.blocks, fmt,
                     (f"converted to .docx by LibreOffice ({soffice}), then read as Word",) + got.notes)

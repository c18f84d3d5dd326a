"""Telling a file's format from its bytes (never its name), and what to say about formats that have no reader."""

from __future__ import annotations

import re
from pathlib import Path

from analysis.errors import InputError

# ------------------------------------------------------------------------------------------ formats

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
    if b"\x00" in data and utf16_order(data) is None:
        return "binary"
    return "text"


def utf16_order(data: bytes) -> str | None:
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


def refuse(fmt: str, path: Path) -> InputError:
    name = Path(path).name
    suffixes = FORMAT_SUFFIXES.get(fmt, ())
    suffix = Path(path).suffix
    renamed = "" if not suffixes or suffix.lower() in suffixes else f" (named {suffix or 'without an extension'}?)"
    return InputError(f"{path}: " + FORMAT_HELP[fmt].format(renamed=renamed, name=name, stem=Path(path).stem))



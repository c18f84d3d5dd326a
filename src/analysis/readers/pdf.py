"""PDF files: the text layer as paragraphs, page by page, without running headers, footers and page numbers.

pdfplumber (on pdfminer.six) gives each page's text lines with their positions and finds ruled tables.
Then, over the whole document:

- **running headers and footers**: a line in the top or bottom :data:`MARGIN_ZONE` of its page whose text
  (digits aside) recurs on at least half the pages (two at least) is removed; so is a bare page number there
  (``3``, ``- 3 -``, ``第3页``, ``3/12``) that counts with the pages, on at least half of them. Every removed
  line is listed in the notes (its text and pages);
- **paragraphs**: a line that reaches the right margin continues on the next line unless that one is
  indented or opens with an outline marker (一、, （一）) — a plan's paragraphs are one line each, as in a
  text file, also across a page break; where paragraphs open indented, a short line that ends no sentence
  continues on an unindented next line too (a line wrapped at a space);
- **tables**: each row of a ruled table is one line, its cells joined by `` | ``; a header row the table
  repeats on later pages is removed (and listed).

Each line's :class:`~analysis.readers.Block` names its page (and line or table row). A PDF without a text
layer (a scan) is read by Tesseract OCR with the ``chi_sim`` model when it is installed, else refused with
how to install it; a text layer whose fonts carry no character map (``(cid:…)`` glyphs) is refused.

**A second reading of the text layer.** pdfminer misreads some fonts' character maps (seen on PDFs that
LibreOffice writes from plain text: every Chinese character came out as 年). Each page's characters are
therefore also read with PDFium (pypdfium2, the library pdfplumber renders with); where pdfminer's page has far
fewer distinct characters than PDFium's (:data:`GARBLED_SHARE`), the page's lines are taken from PDFium — its
characters, their boxes and its line breaks — and the table cells from PDFium's characters inside them. The
note of the document says which pages were read so.
"""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from analysis.errors import InputError
from analysis.readers import Extracted, Lines, inline, kind, row_line

#: Share of the page height, at the top and at the bottom, where running headers, footers and page numbers stand.
MARGIN_ZONE = 0.1
#: A line within this many character widths of the right margin reaches it (the paragraph goes on).
JOIN_SLACK = 2.0
#: A line starting this many character widths right of the left margin is indented (a new paragraph).
INDENT_SLACK = 0.8
#: Share of a document's lines that must open indented for indents to mark its paragraphs.
INDENTED_SHARE = 0.1
#: A bare page number: 3, - 3 -, — 3 —, 第3页, 第 3 页 共 12 页, 3/12, Page 3.
PAGE_NUMBER_RE = re.compile(r"^[\s\-—–·]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*(?:/|／|共)\s*\d{1,4}\s*页?)?[\s\-—–·]*$|"
                            r"^\s*(?:page|p\.)\s*\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?\s*$", re.I)
DIGITS_RE = re.compile(r"\d+")
#: A line ending a sentence (or a heading's colon): a short line that does not is a paragraph wrapped at a space.
SENTENCE_END_RE = re.compile(r"[。；;！!？?：:”’」』]\s*$")
#: An outline marker opening a line: it starts a paragraph, even at the left margin.
#: (Only the outer levels: 1. points and 一是 clauses run on inside a paragraph, and a line may wrap before one.)
MARKER_RE = re.compile(r"^[\s\u3000]*(?:[一二三四五六七八九十百]{1,4}、|[(（][一二三四五六七八九十百]{1,4}[)）]|"
                       r"第[一二三四五六七八九十\d]{1,4}[章节条部分])")
#: Glyphs pdfminer could not map to characters.
CID_RE = re.compile(r"\(cid:\d+\)")
#: Fewer non-space characters than this on every page: no text layer (a scan).
MIN_PAGE_CHARS = 5
#: A page whose pdfminer text has fewer than this share of PDFium's distinct characters is misread.
GARBLED_SHARE = 0.7
OCR_LANG = "chi_sim"
OCR_DPI = 300
OCR_TIMEOUT = 300
OCR_INSTALL = "apt-get install tesseract-ocr tesseract-ocr-chi-sim"
#: An item marker as OCR misreads it at the start of a line: 《一) (一） 〈一〉 二) -> （一）, （二）.
OCR_MARKER_RE = re.compile(r"^[《(（〈<「]?\s*([一二三四五六七八九十]{1,3})\s*[)）》〉>」]\s*")
#: A part marker as OCR misreads it at the start of a line: 一， 一. -> 一、.
OCR_SECTION_RE = re.compile(r"^([一二三四五六七八九十]{1,3})[，,.．](?=\S)")
#: Spaces Tesseract puts between CJK characters.
_CJKP = r"\u2010-\u206f\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
CJK_SPACE_RE = re.compile(rf"(?<=[{_CJKP}])[ \t]+(?=[^A-Za-z\s])|(?<=[^A-Za-z\s])[ \t]+(?=[{_CJKP}])")


@dataclass
class _Line:
    page: int
    n: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    row: str = ""  # set for a table row: its location
    head: bool = False  # the first row of a table (a header row a table repeats on every page)
    ocr: bool = False  # read by OCR from an image of the page


def _open_error(path: Path, exc: Exception) -> InputError:
    name = type(exc).__name__
    if "password" in name.lower() or "encrypt" in str(exc).lower():
        return InputError(f"{path}: is {kind('pdf', path)}, password-protected — open it with its password, print it to a new "
                          f"PDF (or save it without protection) and add that.")
    return InputError(f"{path}: is {kind('pdf', path)} that cannot be read ({name}: {str(exc)[:80]}) — is it complete? "
                      f"Download it again, or open it and print it to a new PDF, and add that.")


def _pdfium_chars(textpage, height: float) -> list[tuple[str, float, float, float, float, float]]:
    """PDFium's characters of a page in reading order: (char, x0, top, x1, bottom, size), top-left origin;
    a line break PDFium inserts is ``"\n"`` (its box empty)."""
    import pypdfium2.raw as raw

    out = []
    for k in range(textpage.count_chars()):
        ch = chr(raw.FPDFText_GetUnicode(textpage.raw, k))
        if raw.FPDFText_IsGenerated(textpage.raw, k) and ch in "\r\n":
            if out and out[-1][0] != "\n":
                out.append(("\n", 0, 0, 0, 0, 0))
            continue
        left, bottom, right, top = textpage.get_charbox(k)
        out.append((ch, left, height - top, right, height - bottom, raw.FPDFText_GetFontSize(textpage.raw, k)))
    return out


def _garbled(page, chars: list[tuple]) -> bool:
    """True when pdfminer's text of ``page`` has far fewer distinct characters than PDFium's."""
    mine = {c["text"] for c in page.chars if not c["text"].isspace()}
    theirs = {c[0] for c in chars if not c[0].isspace()}
    return len(theirs) >= 10 and len(mine) < GARBLED_SHARE * len(theirs)


def _pdfium_lines(chars: list[tuple], n: int, boxes: list[tuple]) -> list[_Line]:
    """Text lines from PDFium's characters (outside the table ``boxes``)."""
    out, run = [], []

    def flush():
        shown = [c for c in run if not c[0].isspace()]
        if shown:
            text = CJK_SPACE_RE.sub("", "".join(c[0] for c in run)).strip()  # PDFium's spaces beside CJK
            out.append(_Line(n, len(out) + 1, text, shown[0][1], max(c[3] for c in shown),
                             min(c[2] for c in shown), max(c[4] for c in shown), median(c[5] for c in shown)))
        run.clear()

    for c in chars + [("\n", 0, 0, 0, 0, 0)]:
        if c[0] == "\n":
            flush()
            continue
        cx, cy = (c[1] + c[3]) / 2, (c[2] + c[4]) / 2
        if c[0].isspace() or not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes):
            run.append(c)
    return out


def _cell_text(chars: list[tuple], bbox) -> str:
    if bbox is None:
        return ""
    x0, top, x1, bottom = bbox
    return "".join(c[0] for c in chars if c[0] != "\n" and x0 <= (c[1] + c[3]) / 2 <= x1
                   and top <= (c[2] + c[4]) / 2 <= bottom)


def _page_lines(page, n: int, *, pdfium: list[tuple] | None = None) -> tuple[list[_Line], int]:
    """The page's text lines and table rows (as lines), top to bottom, and its count of image objects. With
    ``pdfium`` (PDFium's characters, for a page pdfminer misreads) the text comes from them."""
    tables = []
    try:
        tables = page.find_tables()
    except Exception:  # a malformed drawing: the page is still read as lines
        tables = []
    boxes = [t.bbox for t in tables]
    out = _pdfium_lines(pdfium, n, boxes) if pdfium is not None else []
    for k, ln in enumerate(page.extract_text_lines(strip=True, return_chars=True) if pdfium is None else [], start=1):
        cy, cx = (ln["top"] + ln["bottom"]) / 2, (ln["x0"] + ln["x1"]) / 2
        if any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes):
            continue
        chars = [c for c in ln.get("chars", []) if not c["text"].isspace()]
        sizes = [c.get("size", 0) for c in chars]
        x0 = chars[0]["x0"] if chars else ln["x0"]  # an indent made of spaces is an indent
        out.append(_Line(n, k, ln["text"], x0, ln["x1"], ln["top"], ln["bottom"], median(sizes) if sizes else 0))
    for t, table in enumerate(tables, start=1):
        rows = table.extract()
        if pdfium is not None:  # the cells' text from PDFium's characters (same cells, same merges)
            rows = [[None if c is None else _cell_text(pdfium, c) for c in row.cells] for row in table.rows]
        for r, (cells, box) in enumerate(zip(rows, table.rows), start=1):
            alone = sum(c is not None for c in cells) == 1  # a part heading across the table
            kept = [inline(c or "") for c in cells if c is not None or not alone]
            if any(kept):
                top = box.bbox[1]
                out.append(_Line(n, 0, row_line(kept), box.bbox[0], box.bbox[2], top, box.bbox[3], 0,
                                 row=f"page {n}, table {t}, row {r}", head=r == 1))
    out.sort(key=lambda ln: (round(ln.top, 1), ln.x0))
    return out, len(page.images)


def _margins(pages: list[list[_Line]], heights: list[float]) -> tuple[set[tuple[int, int]], list[str]]:
    """The (page, index) of running headers, footers and page numbers, and a note per removed text."""
    n_pages = len(pages)
    need = max(2, math.ceil(n_pages / 2))
    by_key: dict[str, list[tuple[int, int]]] = defaultdict(list)
    numbers: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)  # (band, number - page) -> lines
    shown: dict[str, str] = {}
    for p, (lines, height) in enumerate(zip(pages, heights)):
        zone = MARGIN_ZONE * height
        for i, ln in enumerate(lines):
            if ln.row or not (ln.bottom <= zone or ln.top >= height - zone):
                continue
            if PAGE_NUMBER_RE.match(ln.text):
                band = "top" if ln.bottom <= zone else "bottom"
                numbers[(band, int(DIGITS_RE.search(ln.text).group(0)) - p)].append((p, i))
                continue
            key = DIGITS_RE.sub("#", "".join(ln.text.split()))
            if (p, key) not in {(q, key) for q, _ in by_key[key]}:
                by_key[key].append((p, i))
                shown.setdefault(key, ln.text)
    removed: set[tuple[int, int]] = set()
    notes = []
    seen: dict[str, int] = {}  # a table's first row -> the page it first stands on
    again = []
    for p, lines in enumerate(pages):
        for i, ln in enumerate(lines):
            if ln.head:
                if seen.get(ln.text, p) < p:
                    again.append((p, i, ln.text))
                seen.setdefault(ln.text, p)
    if again:
        removed.update((p, i) for p, i, _ in again)
        notes.append(f"removed a table's header row repeated on {_pages([p + 1 for p, _, _ in again])}: "
                     f"{again[0][2][:40]!r}")
    for key, where in by_key.items():
        if len(where) >= need:
            removed.update(where)
            notes.append(f"removed a running header/footer on {_pages([p + 1 for p, _ in where])}: {shown[key]!r}")
    # Page numbers: in one band, counting with the pages (a number in the margin that does not, such as a
    # theme number opening a page, stays); on a one-page document the number in the margin.
    found = [where for where in numbers.values() if len(where) >= need or n_pages == 1]
    if found:
        where = max(found, key=len)
        removed.update(where)
        notes.append(f"removed page numbers on {_pages([p + 1 for p, _ in where])}")
    return removed, notes


def _pages(pages: list[int]) -> str:
    pages = sorted(set(pages))
    if len(pages) == 1:
        return f"page {pages[0]}"
    if pages == list(range(pages[0], pages[-1] + 1)):
        return f"pages {pages[0]}–{pages[-1]}"
    return "pages " + ", ".join(map(str, pages))


def _paragraphs(lines: list[_Line]) -> Lines:
    """Lines into paragraphs: a line that reaches the right margin goes on in the next, unless that one is
    indented, opens with an outline marker, or is a table row or in another type size."""
    body = [ln for ln in lines if not ln.row]
    out = Lines()
    if not body:
        for ln in lines:
            out.add(ln.text, ln.row, page=ln.page)
        return out
    left = min(ln.x0 for ln in body)
    right = max(ln.x1 for ln in body)
    sizes = [ln.size for ln in body if ln.size]
    cw = median(sizes) if sizes else 10.0
    # Paragraphs open indented (the Chinese norm): then a short line not ending a sentence, followed by one at
    # the margin, wrapped at a space. Without indents a short line ends its paragraph.
    indents = sum(1 for ln in body if ln.x0 > left + INDENT_SLACK * cw) >= INDENTED_SHARE * len(body)
    prev = None
    for ln in lines:
        where = ln.row or f"page {ln.page}, {'OCR line' if ln.ocr else 'line'} {ln.n}"
        goes_on = (prev is not None and not prev.row and not ln.row
                   and ln.x0 <= left + INDENT_SLACK * cw
                   and abs(prev.size - ln.size) < 0.5
                   and not MARKER_RE.match(ln.text)
                   and (ln.page != prev.page or ln.top - prev.bottom < 1.5 * max(cw, prev.bottom - prev.top)))
        full = prev is not None and prev.x1 >= right - JOIN_SLACK * cw
        if goes_on and full:
            out.join(ln.text, where, page=ln.page)
        elif goes_on and indents and not SENTENCE_END_RE.search(prev.text):  # wrapped at a space (gone)
            out.join(ln.text, where, page=ln.page, glue=" ")
        else:
            out.add(ln.text, where, page=ln.page)
        prev = ln
    return out


def read(data: bytes, *, path: Path) -> Extracted:
    """A PDF's text as :class:`Extracted` paragraphs (see the module docstring)."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many types for a broken or protected file
        raise _open_error(path, exc) from None
    with pdf:
        try:
            second = _second_reading(data, pdf)
            got = [_page_lines(page, n, pdfium=second[n]) if n in second else _page_lines(page, n)
                   for n, page in enumerate(pdf.pages, start=1)]
            heights = [float(page.height) for page in pdf.pages]
        except InputError:
            raise
        except Exception as exc:
            raise _open_error(path, exc) from None
        pages = [lines for lines, _ in got]
        n_chars = [sum(len("".join(ln.text.split())) for ln in lines) for lines in pages]
        if not pages or all(n < MIN_PAGE_CHARS for n in n_chars):
            return _ocr(pdf, path=path, n_images=sum(n for _, n in got))
    text = "".join(ln.text for lines in pages for ln in lines)
    cids = len(CID_RE.findall(text))
    if cids > max(3, len(text) // 50):
        raise InputError(f"{path}: the PDF's fonts carry no character map ({cids} unmapped glyphs): its text would "
                         f"be nonsense — print it to a new PDF, or run OCR on it ({OCR_INSTALL}), and add that.")
    removed, notes = _margins(pages, heights)
    kept = [ln for p, lines in enumerate(pages) for i, ln in enumerate(lines) if (p, i) not in removed]
    lines = _paragraphs(kept)
    notes = [f"read as PDF: {len(pages)} page(s), {sum(1 for ln in kept if ln.row)} table row(s)"] + notes
    if second:
        notes.append(f"pdfminer misread the fonts' character maps on {_pages(sorted(second))}: those pages' text "
                     f"read with PDFium")
    return lines.result("pdf", notes)


def _second_reading(data: bytes, pdf) -> dict[int, list[tuple]]:
    """Page number -> PDFium's characters, for the pages pdfminer misreads (see the module docstring)."""
    import pypdfium2 as pdfium

    out = {}
    doc = pdfium.PdfDocument(data)
    try:
        for n, page in enumerate(pdf.pages, start=1):
            textpage = doc[n - 1].get_textpage()
            chars = _pdfium_chars(textpage, float(page.height))
            if _garbled(page, chars):
                out[n] = chars
    finally:
        doc.close()
    return out


def _tesseract() -> str | None:
    """The tesseract command when it has the Chinese model, else None."""
    exe = shutil.which("tesseract")
    if exe is None:
        return None
    try:
        langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30).stdout.split()
    except (subprocess.SubprocessError, OSError):
        return None
    return exe if OCR_LANG in langs else None


def _ocr_lines(tsv: str, *, page: int, scale: float) -> list[_Line]:
    """Tesseract's TSV (one row per word, with its box in pixels) as the page's lines, in points."""
    rows: dict[tuple[int, int, int], list[list[str]]] = defaultdict(list)
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) == 12 and cols[0] == "5" and cols[11].strip():
            rows[(int(cols[2]), int(cols[3]), int(cols[4]))].append(cols)
    out = []
    for k, (_, words) in enumerate(sorted(rows.items(), key=lambda kv: min(int(w[7]) for w in kv[1])), start=1):
        left = min(int(w[6]) for w in words)
        right = max(int(w[6]) + int(w[8]) for w in words)
        top = min(int(w[7]) for w in words)
        bottom = max(int(w[7]) + int(w[9]) for w in words)
        text = CJK_SPACE_RE.sub("", " ".join(w[11] for w in words))
        text = OCR_SECTION_RE.sub(r"\1、", OCR_MARKER_RE.sub(r"（\1）", text))
        out.append(_Line(page, k, text, left * scale, right * scale, top * scale, bottom * scale,
                         median(int(w[9]) for w in words) * scale, ocr=True))
    return out


def _ocr(pdf, *, path: Path, n_images: int) -> Extracted:
    """A scanned PDF's pages read by Tesseract (``chi_sim``), or the error saying how to install it. The
    words' boxes make lines, which go through the same header, footer and paragraph rules as a text layer."""
    exe = _tesseract()
    what = f"{kind('pdf', path)} without a text layer (a scan?)" if n_images else f"{kind('pdf', path)} without text"
    if exe is None:
        raise InputError(f"{path}: is {what} — install OCR to read it (`{OCR_INSTALL}`) and add it again, "
                         f"or add the plan's text.")
    pages, heights = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for n, page in enumerate(pdf.pages, start=1):
            img = Path(tmp) / f"page{n}.png"
            page.to_image(resolution=OCR_DPI).original.save(img)
            try:
                res = subprocess.run([exe, str(img), "stdout", "-l", OCR_LANG, "--psm", "6", "tsv"],
                                     capture_output=True, text=True, timeout=OCR_TIMEOUT, check=True)
            except (subprocess.SubprocessError, OSError) as exc:
                raise InputError(f"{path}: OCR of page {n} failed ({type(exc).__name__}) — add the plan's "
                                 f"text instead.") from None
            pages.append(_ocr_lines(res.stdout, page=n, scale=72 / OCR_DPI))
            heights.append(float(page.height))
    if not any(pages):
        raise InputError(f"{path}: is {what} and OCR found no text in it — add the plan's text.")
    removed, notes = _margins(pages, heights)
    kept = [ln for p, lines in enumerate(pages) for i, ln in enumerate(lines) if (p, i) not in removed]
    lines = _paragraphs(kept)
    return lines.result("pdf", [f"no text layer: {len(pages)} page(s) read by OCR (Tesseract {OCR_LANG}, "
                                f"{OCR_DPI} dpi) — OCR makes mistakes; check the tasks against the PDF"] + notes)

"""Saved web pages: the plan's main content as lines, tables as rows, each line located by its element.

lxml parses the page (any HTML, however broken, as a browser would). The main content is found by a
readability-like rule: from ``<body>`` down, step into the child element that holds at least
:data:`MAIN_SHARE` of its parent's text outside links, as long as there is one (navigation, link lists and
footers hold little text outside links, the article most of it); the page's ``<h1>`` is kept when it stands
outside that element (the plan's title above the article). Scripts, styles, forms and hidden elements are
never text. Inside the content, each block element (``<p>``, ``<div>``, ``<li>``, headings, ``<br>``) starts a
line; a ``<table>`` gives one line per row, its cells joined by `` | `` (what the segmenter's table layout
reads), after its ``<caption>``; a table whose cells hold tables is page layout, read as blocks. Each line's :class:`Block` names its
element by XPath (``/html/body/div[2]/table/tbody/tr[5]``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from analysis.errors import InputError
from analysis.readers import Extracted, Lines, grid, inline, kind, row_line

#: A child holding this share of its parent's text outside links is (or holds) the main content.
MAIN_SHARE = 0.8
#: Elements whose text is never content.
DROP_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
                       "head", "nav", "aside", "form", "button", "select", "option", "input", "textarea", "map",
                       "audio", "video", "link", "meta"})
#: Elements that start a line of their own.
BLOCK_TAGS = frozenset({"p", "div", "section", "article", "main", "header", "footer", "h1", "h2", "h3", "h4", "h5",
                        "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "center", "address",
                        "figure", "figcaption", "hr", "tr", "td", "th", "table", "tbody", "thead", "tfoot",
                        "caption", "body", "html"})
TABLE_PARTS = frozenset({"table", "tbody", "thead", "tfoot", "tr", "td", "th"})
#: Elements the main content may be: containers (a paragraph or a list is part of the content, never all of it,
#: and a table only when it lays out the page).
CONTAINER_TAGS = frozenset({"body", "div", "section", "article", "main", "center", "span", "font"}) | TABLE_PARTS
#: A charset named in the page's first bytes (``<meta charset=…>`` or ``content="text/html; charset=…"``).
CHARSET_RE = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.I)
#: An XML declaration naming an encoding, which lxml refuses in a decoded string.
XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
HIDDEN_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
#: Charsets that pages name and GB18030 reads (it is their superset).
GB_CHARSETS = ("gb2312", "gbk", "gb18030", "x-gbk", "cp936")


def _decode(data: bytes, *, path: Path, decode_text: Callable[[bytes], str]) -> tuple[str, str]:
    """``(text, how)``: a byte-order mark, else the charset the page names, else the corpus's detection."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8 (byte-order mark)"
    m = CHARSET_RE.search(data[:4096])
    if m:
        name = m.group(1).decode("ascii").lower()
        enc = "gb18030" if name in GB_CHARSETS else name
        try:
            return data.decode(enc), f"{enc} (named by the page)"
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data), "detected"


def _hidden(el) -> bool:
    return el.get("hidden") is not None or bool(HIDDEN_RE.search(el.get("style") or ""))


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _measure(el, sizes: dict) -> int:
    """Non-space characters of ``el``'s text outside links (and dropped elements), for every element."""
    tag = _tag(el)
    if not tag or tag in DROP_TAGS or _hidden(el):
        sizes[el] = 0
        return 0
    n = 0 if tag == "a" else _nonspace(el.text)
    for child in el:
        inner = _measure(child, sizes)
        n += 0 if tag == "a" else inner
        n += 0 if tag == "a" else _nonspace(child.tail)
    sizes[el] = n
    return n


def _span(td, name: str) -> int:
    try:
        return max(1, min(int(td.get(name, "1")), 100))
    except ValueError:
        return 1


def _nonspace(s: str | None) -> int:
    return sum(1 for ch in s if not ch.isspace()) if s else 0


def _layout_table(table) -> bool:
    """A table used for page layout: one of its cells holds a table."""
    return any(_tag(t) == "table" for cell in table.iter("td", "th") for t in cell.iterdescendants())


def main_content(body, sizes: dict):
    """The element holding the main content (see the module docstring)."""
    node = body
    while True:
        kids = [k for k in node if _tag(k) and sizes.get(k, 0)]
        if not kids or not sizes.get(node):
            return node
        best = max(kids, key=lambda k: sizes[k])
        if sizes[best] < MAIN_SHARE * sizes[node]:
            return node
        if _tag(best) not in CONTAINER_TAGS:
            return node
        if _tag(best) in TABLE_PARTS:
            table = best if _tag(best) == "table" else next(best.iterancestors("table"), None)
            if table is not None and not _layout_table(table):
                return node
        node = best


class _Walker:
    """Renders an element's content into :class:`Lines`, one line per block, tables one line per row."""

    def __init__(self, tree, lines: Lines):
        self.tree, self.lines = tree, lines
        self.buf: list[str] = []
        self.where = ""
        self.headers: set[str] = set()  # the first rows of the data tables so far
        self.header = ""  # the last header row left out as a repeat
        self.repeated = 0  # header rows of later tables that repeat an earlier table's, left out

    def flush(self) -> None:
        line = inline("".join(self.buf))
        if line:
            self.lines.add(line, self.where)
        self.buf = []

    def text(self, s: str | None, el) -> None:
        if s:
            if not self.buf:
                self.where = self.tree.getpath(el)
            self.buf.append(s)

    def walk(self, el, block_el) -> None:
        tag = _tag(el)
        if not tag or tag in DROP_TAGS or _hidden(el):
            return
        if tag == "br":
            self.flush()
            return
        if tag == "table" and not _layout_table(el):
            self.flush()
            self.table(el)
            return
        if tag == "pre":  # preformatted: its own line breaks
            self.flush()
            for line in el.text_content().split("\n"):
                self.lines.add(inline(line), self.tree.getpath(el))
            return
        if tag in BLOCK_TAGS:
            self.flush()
            block_el = el
        self.text(el.text, block_el)
        for child in el:
            self.walk(child, block_el)
            self.text(child.tail, block_el)
        if tag in BLOCK_TAGS:
            self.flush()

    def table(self, table) -> None:
        """A data table: its caption, then a line per row (spanned cells filled in, see
        :func:`analysis.readers.grid`); a first row repeating an earlier table's first row (its header) is left out (and counted)."""
        for caption in table.findall("caption"):
            self.lines.add(self.cell(caption), self.tree.getpath(caption))
        trs = [tr for tr in table.iter("tr") if next(tr.iterancestors("table")) is table]
        spans = [[(self.cell(td), _span(td, "colspan"), _span(td, "rowspan")) for td in tr
                  if _tag(td) in ("td", "th") and not _hidden(td)] for tr in trs]
        first = True
        for tr, cells in zip(trs, grid(spans)):
            if not any(cells):
                continue
            line = row_line(cells)
            if first and line in self.headers:
                self.repeated += 1
                self.header = line
            else:
                self.lines.add(line, self.tree.getpath(tr))
            if first:
                self.headers.add(line)
            first = False

    def cell(self, td) -> str:
        sub = Lines()
        walker = _Walker(self.tree, sub)
        walker.text(td.text, td)
        for child in td:
            walker.walk(child, td)
            walker.text(child.tail, td)
        walker.flush()
        return " ".join(p.rstrip("\n") for p in sub.parts)


def read(data: bytes, *, path: Path, decode_text: Callable[[bytes], str]) -> Extracted:
    """A saved web page's main content as :class:`Extracted` lines."""
    import lxml.html
    from lxml import etree

    text, how = _decode(data, path=path, decode_text=decode_text)
    text = XML_DECL_RE.sub("", text, count=1)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"{path}: is {kind('html', path)} that cannot be parsed ({exc}) — open it in a browser, "
                         f"save it again (Save as: web page, HTML only) and add that.") from None
    for el in root.iter(etree.Comment, etree.ProcessingInstruction):
        el.text = None
    body = root.find("body")
    if body is None:
        body = root
    sizes: dict = {}
    total = _measure(body, sizes)
    node = main_content(body, sizes)
    tree = root.getroottree()
    lines = Lines()
    walker = _Walker(tree, lines)
    h1 = next((h for h in body.iter("h1") if sizes.get(h)), None)
    if h1 is not None and node is not body and node not in h1.iterancestors() and h1 not in node.iterdescendants():
        walker.walk(h1, h1)
        walker.flush()
    walker.walk(node, node)
    walker.flush()
    kept = sizes.get(node, 0) + (sizes.get(h1, 0) if h1 is not None and lines.blocks and
                                 lines.blocks[0].where == tree.getpath(h1) else 0)
    notes = [f"read as a web page (HTML; charset {how}): main content {tree.getpath(node)}, "
             f"{kept} of {total} characters outside links; navigation, scripts and the rest of the page left out"]
    if walker.repeated:
        notes.append(f"left out {walker.repeated} table header row(s) repeating an earlier table's: "
                     f"{walker.header[:40]!r}")
    return lines.result("html", notes)  # (a web archive's page too: corpus names its format mht)

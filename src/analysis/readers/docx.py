"""Word (.docx) files: paragraphs and table rows in document order, with Word's automatic numbering.

python-docx opens the package; the body is read in order (paragraphs, tables, content controls). A plan's
outline numbers — 一、, （一）, 1. — are often Word's automatic list numbering, which is *not* in the
paragraph's text: it lives in ``numbering.xml`` (a list's levels: number format, text such as ``（%2）``,
start value) and the paragraph (or its style) names the list and level (``w:numPr``). :class:`Numbering`
counts every list as Word does (a level's counter goes up, deeper levels restart unless their
``w:lvlRestart`` says otherwise; a ``w:num``'s ``w:startOverride`` sets a start) and writes the number in
front of the paragraph's text, so the segmenter sees the same markers as in a text file. Each line's
:class:`~analysis.readers.Block` is ``paragraph N`` (the N-th paragraph of the body) or ``table T, row R``
(cells joined by `` | ``).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from analysis.errors import InputError
from analysis.readers import Extracted, Lines, inline, kind, row_line

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DIGITS_ZH = "〇一二三四五六七八九"
COUNT_ZH = "零一二三四五六七八九"
LEGAL_ZH = "零壹贰叁肆伍陆柒捌玖"
IDEOGRAPH_TRADITIONAL = "甲乙丙丁戊己庚辛壬癸"
IDEOGRAPH_ZODIAC = "子丑寅卯辰巳午未申酉戌亥"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
#: Characters after which a number needs no space before the text (（一） 一、 1.).
TIGHT_END = "、）)．.。：:"
#: Bullets in symbol fonts are private-use characters: shown as this.
BULLET = "•"


def chinese_count(n: int, digits: str = COUNT_ZH, units: str = "十百千") -> str:
    """``1`` -> 一, ``10`` -> 十, ``21`` -> 二十一, ``105`` -> 一百零五 (Word's chineseCounting)."""
    if n <= 0:
        return digits[0]
    if n >= 10000:
        return str(n)
    out, zero = "", False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d = n // power % 10
        if d:
            if zero and out:
                out += digits[0]
            out += ("" if d == 1 and power == 10 and not out else digits[d]) + unit
            zero = False
        elif out:
            zero = True
    return out


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """A counter in one of Word's number formats (``w:numFmt``); unknown formats as decimal."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "taiwaneseCountingThousand"):
        return chinese_count(n)
    if fmt == "chineseLegalSimplified":
        return chinese_count(n, LEGAL_ZH, "拾佰仟")
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(DIGITS_ZH[int(d)] for d in str(n))
    if fmt in ("ideographTraditional",):
        return IDEOGRAPH_TRADITIONAL[(n - 1) % 10]
    if fmt in ("ideographZodiac",):
        return IDEOGRAPH_ZODIAC[(n - 1) % 12]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return CIRCLED[n - 1] if 1 <= n <= len(CIRCLED) else str(n)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "none":
        return ""
    return str(n)


def _val(el, tag: str, default: str | None = None) -> str | None:
    child = el.find(f"{W}{tag}") if el is not None else None
    return child.get(f"{W}val", default) if child is not None else default


class Numbering:
    """Word's list numbering: the levels of every list, and the counters as the body is read in order."""

    def __init__(self, numbering_el):
        self.levels: dict[str, dict[int, dict]] = {}      # abstractNumId -> ilvl -> level
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        self.counters: dict[str, dict[int, int]] = {}
        self.links: dict[str, str] = {}  # abstractNumId -> numbering style it takes its levels from
        if numbering_el is None:
            return
        for a in numbering_el.findall(f"{W}abstractNum"):
            link = _val(a, "numStyleLink")
            if link:
                self.links[a.get(f"{W}abstractNumId")] = link
            levels = {}
            for lvl in a.findall(f"{W}lvl"):
                levels[int(lvl.get(f"{W}ilvl", "0"))] = {
                    "fmt": _val(lvl, "numFmt", "decimal"), "text": _val(lvl, "lvlText", ""),
                    "start": int(_val(lvl, "start", "1") or 1), "suff": _val(lvl, "suff", "tab"),
                    "restart": _val(lvl, "lvlRestart")}
            self.levels[a.get(f"{W}abstractNumId")] = levels
        for num in numbering_el.findall(f"{W}num"):
            overrides = {}
            for o in num.findall(f"{W}lvlOverride"):
                start = _val(o, "startOverride")
                if start is not None:
                    overrides[int(o.get(f"{W}ilvl", "0"))] = int(start)
            self.nums[num.get(f"{W}numId")] = (_val(num, "abstractNumId", ""), overrides)

    def link_styles(self, styles: dict) -> None:
        """Lists whose levels live in a numbering style (``w:numStyleLink``): take the levels of the list the
        style names."""
        for abstract, levels in list(self.levels.items()):
            if levels:
                continue
            link = self.links.get(abstract)
            style = styles.get(link) if link else None
            ppr = style.element.find(f"{W}pPr") if style is not None else None
            num_pr = ppr.find(f"{W}numPr") if ppr is not None else None
            target = self.nums.get(_val(num_pr, "numId", "") or "", ("", {}))[0]
            self.levels[abstract] = self.levels.get(target, {})

    def label(self, num_id: str, ilvl: int) -> str:
        """The next number of list ``num_id`` at level ``ilvl`` as Word shows it, with what follows it."""
        if num_id not in self.nums or num_id == "0":
            return ""
        abstract, overrides = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        start = overrides.get(ilvl, levels[ilvl]["start"])
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start
        for deeper in [k for k in counters if k > ilvl]:
            restart = levels.get(deeper, {}).get("restart")  # w:lvlRestart: restart after levels above it (0: never)
            if restart is None or ilvl < int(restart):
                del counters[deeper]
        lvl = levels[ilvl]
        if lvl["fmt"] == "bullet":
            text = lvl["text"] if lvl["text"] and not "\ue000" <= lvl["text"][0] <= "\uf8ff" else BULLET
        else:
            text = lvl["text"] or ""
            for k in range(9):
                if f"%{k + 1}" in text:
                    n = counters.get(k, overrides.get(k, levels.get(k, {}).get("start", 1)))
                    text = text.replace(f"%{k + 1}", format_number(n, levels.get(k, lvl)["fmt"]))
        if not text or lvl["suff"] == "nothing" or text[-1] in TIGHT_END:
            return text
        return text + " "


class _Reader:
    def __init__(self, document):
        self.doc = document
        part = getattr(document.part, "numbering_part", None) if self._has_numbering(document) else None
        self.numbering = Numbering(part.element if part is not None else None)
        self.styles = {s.style_id: s for s in document.styles} if document.styles is not None else {}
        self.numbering.link_styles(self.styles)
        self.lines = Lines()
        self.n_par = self.n_table = 0
        self.n_numbered = 0
        self.headers: set[str] = set()  # the first rows of the tables so far
        self.header = ""  # the last header row left out as a repeat
        self.repeated = 0

    @staticmethod
    def _has_numbering(document) -> bool:
        try:
            return document.part.numbering_part is not None  # python-docx raises when the part is absent
        except (KeyError, NotImplementedError):
            return False

    def num_pr(self, p) -> tuple[str, int] | None:
        """The list and level of paragraph ``p`` (its own ``w:numPr``, else its style's, along ``basedOn``)."""
        ppr = p.find(f"{W}pPr")
        pr = ppr.find(f"{W}numPr") if ppr is not None else None
        style_id = _val(ppr, "pStyle") if ppr is not None else None
        seen = set()
        while pr is None and style_id and style_id not in seen:
            seen.add(style_id)
            style = self.styles.get(style_id)
            if style is None:
                break
            sppr = style.element.find(f"{W}pPr")
            pr = sppr.find(f"{W}numPr") if sppr is not None else None
            style_id = _val(style.element, "basedOn")
        if pr is None:
            return None
        num_id = _val(pr, "numId")
        if num_id is None:
            return None
        return num_id, int(_val(pr, "ilvl", "0") or 0)

    def paragraph_text(self, p) -> str:
        from docx.text.paragraph import Paragraph

        text = Paragraph(p, None).text
        pr = self.num_pr(p)
        if pr is not None and text.strip():
            label = self.numbering.label(*pr)
            if label:
                self.n_numbered += 1
                text = label + text.lstrip(" \t\u3000")
        return text

    def body(self, el) -> None:
        for child in el.iterchildren():
            if child.tag == f"{W}p":
                self.n_par += 1
                for line in self.paragraph_text(child).split("\n"):
                    self.lines.add(line.replace("\t", " "), f"paragraph {self.n_par}")
            elif child.tag == f"{W}tbl":
                self.table(child)
            elif child.tag == f"{W}sdt":
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    self.body(content)

    def table(self, tbl) -> None:
        """A line per row, cells in their grid columns: a vertically merged cell's text repeated in the rows it
        covers, a cell spanning columns followed by empty cells (unless it is the row's only cell); a first row
        repeating an earlier table's first row (its header) is left out (and counted)."""
        self.n_table += 1
        t = self.n_table
        above: dict[int, str] = {}  # grid column -> text of the merged cell that starts there
        for r, tr in enumerate(tbl.findall(f"{W}tr"), start=1):
            tcs = tr.findall(f"{W}tc")
            cells, col = [], 0
            for tc in tcs:
                pr = tc.find(f"{W}tcPr")
                span = int(_val(pr, "gridSpan", "1") or 1)
                merge = pr.find(f"{W}vMerge") if pr is not None else None
                if merge is not None and merge.get(f"{W}val") != "restart":
                    text = above.get(col, "")
                else:
                    parts = [self.paragraph_text(p) for p in tc.iter(f"{W}p")]
                    text = inline(" ".join(x for x in parts if x.strip()))
                    if merge is not None:
                        above[col] = text
                cells += [text] + ([""] * (span - 1) if len(tcs) > 1 else [])
                col += span
            if not any(cells):
                continue
            line = row_line(cells)
            if r == 1 and line in self.headers:
                self.repeated += 1
                self.header = line
                continue
            if r == 1:
                self.headers.add(line)
            self.lines.add(line, f"table {t}, row {r}")


def read(data: bytes, *, path: Path) -> Extracted:
    """A Word file's text as :class:`Extracted` lines (see the module docstring)."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(f"{path}: is {kind('docx', path)} that cannot be opened ({type(exc).__name__}) — is it "
                         f"complete? Open it in Word or LibreOffice, save it again as .docx and add that.") from None
    except Exception as exc:  # python-docx raises its own types for a package that is not Word
        raise InputError(f"{path}: is {kind('docx', path)} that cannot be read ({type(exc).__name__}: "
                         f"{str(exc)[:80]}) — open it in Word or LibreOffice, save it again as .docx and add "
                         f"that.") from None
    reader = _Reader(document)
    reader.body(document.element.body)
    notes = [f"read as Word (.docx): {reader.n_par} paragraph(s), {reader.n_table} table(s); "
             f"{reader.n_numbered} automatic list number(s) written into the text"]
    if reader.repeated:
        notes.append(f"left out {reader.repeated} table header row(s) repeating an earlier table's: "
                     f"{reader.header[:40]!r}")
    return reader.lines.result("docx", notes)

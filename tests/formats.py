"""Fixture files in the formats plans are published in, made at test time from the seed plans' text.

Every fixture's words are the seed plan's (data/raw/*.txt) or text written for the tests; nothing is copied
from the web. ``python tests/formats.py OUT_DIR`` writes them all, to look at.

- :func:`html_page`: a web page with a site header, navigation and footer around the plan, one ``<p>`` per
  line (some wrapped in the HTML source, some indented with ideographic spaces);
- :func:`html_table_page`: the Xuanzhou task list as an HTML ``<table>`` (part headings as cells spanning the
  row, the metadata block as a table of its own);
- :func:`docx_numbered`: a Word file whose outline numbers (一、 / （一） / 1.) are Word's automatic numbering
  (``numbering.xml``), not text;
- :func:`pdf_file`: a PDF in a CJK font (SimHei from the mplfonts package), paragraphs wrapped and indented,
  optionally over several pages with a running header, a running footer and page numbers.
"""

from __future__ import annotations

import html
import io
import os
import re
import sys
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "data" / "raw"
SEED_FILES = {"weiyang": "000_weiyang_2023_work_plan.txt", "shulan": "001_shulan_2023_work_plan.txt",
              "baoji": "002_baoji_2020_newspaper_feature.txt", "yanta": "003_yanta_2023_work_summary.txt",
              "xuanzhou": "004_xuanzhou_2023_task_list.txt"}
#: Outline markers a Word list renders: level 0 一、, level 1 （一）, level 2 1.
MARKERS = (re.compile(r"^([一二三四五六七八九十]{1,3})、"), re.compile(r"^[(（]([一二三四五六七八九十]{1,3})[)）]"),
           re.compile(r"^(\d{1,2})[.．、](?!\d)"))
CN = "一二三四五六七八九十"


def seed_text(region: str) -> str:
    return (SEEDS / SEED_FILES[region]).read_text(encoding="utf-8").replace("\r\n", "\n")


def cn_value(s: str) -> int:
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + CN.index(s[1]) + 1
    if "十" in s:
        a, _, b = s.partition("十")
        return (CN.index(a) + 1) * 10 + (CN.index(b) + 1 if b else 0)
    return CN.index(s) + 1


# ------------------------------------------------------------------------------------------------ HTML

SITE_HEAD = ('<div class="top"><div class="logo">示范区人民政府门户网站</div><ul class="nav">'
             + "".join(f'<li><a href="/{k}/">{w}</a></li>' for k, w in
                       (("index", "首页"), ("news", "政务动态"), ("open", "政府信息公开"), ("service", "政务服务"),
                        ("talk", "互动交流")))
             + '</ul></div><div class="crumb"><a href="/">首页</a> &gt; <a href="/open/">政府信息公开</a></div>')
SITE_FOOT = ('<div class="footer"><p>主办：示范区人民政府办公室　联系电话：0000-0000000</p>'
             '<p><a href="/map">网站地图</a> | <a href="/about">关于我们</a></p></div>'
             '<script>var x = "不是正文";</script>')


def _page(article: str, *, title: str = "") -> bytes:
    h1 = f"<h1>{html.escape(title)}</h1>" if title else ""
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<style>p {{ text-indent: 2em; }}</style></head>\n<body>{SITE_HEAD}<div class="main">'
            f'<div class="side"><a href="/a">通知公告</a><a href="/b">政策解读</a></div>'
            f'<div class="art">{h1}<div id="zoom">\n{article}\n</div></div></div>{SITE_FOOT}</body></html>\n'
            ).encode("utf-8")


def html_page(text: str) -> bytes:
    """The plan, one ``<p>`` per line; long lines wrapped in the HTML source, some indented with 　　."""
    paras = []
    for k, line in enumerate(text.split("\n")):
        line = line.strip()
        if not line:
            continue
        body = html.escape(line)
        if len(line) > 60 and k % 2:
            body = body[:30] + "\n    " + body[30:]  # a line break in the source between two characters
        indent = "\u3000\u3000" if k % 3 == 0 else "&nbsp;&nbsp;"
        paras.append(f"<p>{indent}{body}</p>")
    return _page("\n".join(paras))


def table_rows(text: str, *, n_cols: int = 5) -> tuple[list[str], list[list[str]], list[str]]:
    """A pipe-table plan as ``(lines before the table, rows of cells, lines after it)``: wrapped rows joined
    until they have their ``n_cols`` cells."""
    lines = text.split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.startswith("序号"))
    head = lines[:start]
    rows, buf, end = [], "", len(lines)
    for i in range(start, len(lines)):
        line = lines[i]
        if not buf and "|" not in line:
            end = i
            break
        buf = f"{buf} {line}".strip() if buf else line
        if buf.count("|") >= n_cols:
            rows.append([c.strip() for c in buf.split("|")[:n_cols]])
            buf = ""
    return head, rows, lines[end:]


def html_table_page(text: str, *, merged: bool = False) -> bytes:
    """The task list as an HTML table; its metadata lines as a small table above it; the site footer lines
    of the text as the page footer (outside the content). ``merged``: as pages often are — one table per part,
    each with the header row, and a leader shared by consecutive rows in one cell spanning them (rowspan)."""
    head, rows, _ = table_rows(text)
    def only_first(ln: str) -> bool:
        return not any(c.strip() for c in ln.split("|")[1:])

    meta = [ln for ln in head if "|" in ln and not only_first(ln)]
    title = next(ln.split("|")[0].strip() for ln in head if ln.strip() and only_first(ln))
    out = ['<table class="meta">']
    for ln in meta:
        cells = [c.strip() for c in ln.split("|")][:-1]
        out.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    out.append("</table>")
    out.append(f'<table class="list" border="1"><caption>{html.escape(title)}</caption><tbody>')
    header = rows[0]
    spans = [1] * len(rows)  # rows a leader cell spans (0: covered by the one above)
    if merged:
        for i in range(1, len(rows)):
            j = i - 1
            while j > 0 and spans[j] == 0:
                j -= 1
            if rows[i][0].isdigit() and rows[j][0].isdigit() and rows[i][3] == rows[j][3]:
                spans[j] += 1
                spans[i] = 0
    for i, cells in enumerate(rows):
        if cells[0] and not any(cells[1:]):
            if merged:  # a new table for each part, its header row repeated
                out.append('</tbody></table><table class="list" border="1"><tbody><tr>'
                           + "".join(f"<th>{html.escape(c)}</th>" for c in header) + "</tr>")
            out.append(f'<tr><td colspan="5"><b>{html.escape(cells[0])}</b></td></tr>')
            continue
        tds = []
        for k, c in enumerate(cells):
            if k == 3 and merged and spans[i] != 1:
                if spans[i] == 0:
                    continue
                tds.append(f'<td rowspan="{spans[i]}">{html.escape(c)}</td>')
                continue
            inner = "<br>".join(f"<p>{html.escape(x)}</p>" if len(x) > 80 else html.escape(x)
                                for x in re.split(r" (?=\d\.)", c))  # 1.… 2.… points as paragraphs in the cell
            tds.append(f"<td>{inner}</td>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</tbody></table>")
    return _page("\n".join(out))


def mht_archive(page: bytes) -> bytes:
    """A web page saved as one file (.mht): MIME, the page base64-encoded in GB18030, and an image."""
    from email.mime.base import MIMEBase
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    archive = MIMEMultipart("related")
    text = page.decode("utf-8").replace('<meta charset="utf-8">', "")
    archive.attach(MIMEText(text, "html", "gb18030"))
    image = MIMEBase("image", "png")
    image.set_payload(b"\x89PNG\r\n\x1a\n")
    archive.attach(image)
    return archive.as_bytes()


# ------------------------------------------------------------------------------------------------ Word

def _numbering_xml(*, restart: bool = True):
    """An abstract list with three levels: 一、 (chineseCounting), （一） (chineseCounting), 1. (decimal);
    without ``restart``, （一） items count on across 一、 parts (``w:lvlRestart`` 0)."""
    from docx.oxml import parse_xml

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    levels = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]
    lvls = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{f}"/>'
                   + ('<w:lvlRestart w:val="0"/>' if i == 1 and not restart else "")
                   + f'<w:lvlText w:val="{t}"/><w:suff w:val="nothing"/></w:lvl>' for i, (f, t) in enumerate(levels))
    return parse_xml(f'<w:abstractNum {ns} w:abstractNumId="90">{lvls}</w:abstractNum>'), \
        parse_xml(f'<w:num {ns} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')


def docx_numbered(text: str) -> bytes:
    """The plan as a Word file: every line a paragraph; where a line opens with 一、 / （一） / 1. in sequence,
    the marker is taken out of the text and the paragraph numbered automatically at that level instead.
    A marker out of sequence (a gap in the source's numbering) stays in the text."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    numbering = document.part.numbering_part.element
    items = [cn_value(m.group(1)) for line in text.split("\n") if (m := MARKERS[1].match(line.strip()))]
    restart = 1 in items[1:]  # items start again at （一） in a later part (else they count on, as in Weiyang)
    abstract, num = _numbering_xml(restart=restart)
    numbering.insert(0, abstract)
    numbering.append(num)
    counters = [0, 0, 0]
    for line in text.split("\n"):
        if not line.strip():
            document.add_paragraph("")
            continue
        level, body = None, line
        for i, rx in enumerate(MARKERS):
            m = rx.match(line.strip())
            if m:
                value = int(m.group(1)) if i == 2 else cn_value(m.group(1))
                if value == counters[i] + 1:
                    level, body = i, line.strip()[m.end():]
                break
        p = document.add_paragraph(body)
        if level is not None:
            counters[level] += 1
            for deeper in range(level + 1, 3):
                if restart or deeper != 1:
                    counters[deeper] = 0
            ppr = p._p.get_or_add_pPr()
            numpr = OxmlElement("w:numPr")
            ilvl, numid = OxmlElement("w:ilvl"), OxmlElement("w:numId")
            ilvl.set(qn("w:val"), str(level))
            numid.set(qn("w:val"), "90")
            numpr.append(ilvl)
            numpr.append(numid)
            ppr.append(numpr)
        elif MARKERS[0].match(line.strip()) and restart:
            counters[1:] = [0, 0]
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_table(text: str, *, merged: bool = False) -> bytes:
    """A pipe-table plan as a Word table (one row per task, part headings merged across the row); ``merged``:
    a leader shared by consecutive rows in one cell merged down over them (``w:vMerge``)."""
    import docx

    head, rows, _ = table_rows(text)
    document = docx.Document()
    for ln in head:
        if ln.strip() and not any(c.strip() for c in ln.split("|")[1:]):
            document.add_paragraph(ln.split("|")[0].strip())
    table = document.add_table(rows=0, cols=5)
    start = None  # (row index, leader) of the run of rows sharing a leader
    for i, cells in enumerate(rows):
        row = table.add_row().cells
        if cells[0] and not any(cells[1:]):
            merged_cell = row[0].merge(row[4])
            merged_cell.text = cells[0]
            start = None
            continue
        same = merged and start is not None and cells[0].isdigit() and cells[3] == start[1]
        for k, (c, value) in enumerate(zip(row, cells)):
            if not (k == 3 and same):
                c.text = value
        if same:
            table.cell(start[0], 3).merge(table.cell(i, 3))
        elif cells[0].isdigit():
            start = (i, cells[3])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ------------------------------------------------------------------------------------------------ PDF

def cjk_font() -> str:
    """A TrueType CJK font the installed mplfonts package ships (fpdf2 embeds TrueType with a text layer)."""
    import mplfonts

    return os.path.join(os.path.dirname(mplfonts.__file__), "fonts", "SimHei.ttf")


def pdf_file(text: str, *, header: str = "", footer: str = "", page_numbers: bool = False,
             size: float = 11, page_lines: int = 0) -> bytes:
    """The plan as a PDF: every line a paragraph, indented two characters, wrapped at the margin; with a
    running ``header`` / ``footer`` and page numbers (``- N -``) on every page when given. ``page_lines``:
    a page break after that many paragraphs (0: only where a page is full)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("cjk", fname=cjk_font())
    pdf.set_auto_page_break(True, margin=25)

    def decorate():
        pdf.set_auto_page_break(False)
        pdf.set_font("cjk", size=9)
        if header:
            pdf.set_xy(20, 10)
            pdf.cell(0, 5, header, align="C")
        if footer or page_numbers:
            pdf.set_xy(20, 280)
            pdf.cell(0, 5, footer, align="L")
            if page_numbers:
                pdf.set_xy(20, 285)
                pdf.cell(0, 5, f"- {pdf.page_no()} -", align="C")
        pdf.set_font("cjk", size=size)
        pdf.set_xy(20, 25)
        pdf.set_auto_page_break(True, margin=25)

    pdf.header = decorate  # called on every new page, also an automatic one
    pdf.set_margins(20, 25, 20)
    pdf.set_font("cjk", size=size)
    pdf.add_page()
    n = 0
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        if page_lines and n and n % page_lines == 0:
            pdf.add_page()
        n += 1
        pdf.set_x(pdf.l_margin + 2 * size * 0.3528)  # a first-line indent of two characters (mm)
        pdf.write(size * 0.55, line)
        pdf.ln(size * 0.55)
    return bytes(pdf.output())


def pdf_table(text: str, *, size: float = 9) -> bytes:
    """A pipe-table plan as a PDF: its title, then a ruled table (part headings spanning the row) over several
    pages, the header row repeated on every page (as word processors do), page numbers at the foot."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    head, rows, _ = table_rows(text)
    title = next(ln.split("|")[0].strip() for ln in head if ln.strip() and not any(c.strip() for c in ln.split("|")[1:]))
    pdf = FPDF(format="A4")
    pdf.add_font("cjk", fname=cjk_font())
    pdf.set_margins(15, 20, 15)
    pdf.set_auto_page_break(True, margin=20)

    def foot():
        pdf.set_y(-15)
        pdf.set_font("cjk", size=8)
        pdf.cell(0, 5, f"第 {pdf.page_no()} 页", align="C")

    pdf.footer = foot
    pdf.add_page()
    pdf.set_font("cjk", size=13)
    pdf.cell(0, 8, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=size)
    with pdf.table(col_widths=(8, 30, 80, 18, 28), line_height=size * 0.5, repeat_headings=1,
                   headings_style=FontFace(emphasis="")) as table:
        for cells in rows:
            row = table.row()
            if cells[0] and not any(cells[1:]):
                row.cell(cells[0], colspan=5)
                continue
            for c in cells:
                row.cell(c)
    return bytes(pdf.output())


def pdf_scanned(pdf: bytes, *, dpi: int = 200) -> bytes:
    """A scan of a PDF: each page rendered to an image (pypdfium2, through pdfplumber) and put in a new PDF
    with no text layer."""
    import pdfplumber
    from fpdf import FPDF

    out = FPDF(format="A4")
    with pdfplumber.open(io.BytesIO(pdf)) as src:
        for page in src.pages:
            img = page.to_image(resolution=dpi).original.convert("L")
            buf = io.BytesIO()
            img.save(buf, format="PNG")
            out.add_page()
            out.image(buf, x=0, y=0, w=210, h=297)
    return bytes(out.output())


def pdf_scan() -> bytes:
    """A PDF holding only an image of a page (a scan): no text layer."""
    from fpdf import FPDF
    from PIL import Image

    img = Image.new("L", (400, 560), 255)
    for y in range(60, 500, 24):
        for x in range(40, 360):
            img.putpixel((x, y), 0)
    pdf = FPDF(format="A4")
    pdf.add_page()
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    pdf.image(buf, x=10, y=10, w=190)
    return bytes(pdf.output())


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "weiyang.html").write_bytes(html_page(seed_text("weiyang")))
    (out / "xuanzhou.html").write_bytes(html_table_page(seed_text("xuanzhou")))
    (out / "shulan.docx").write_bytes(docx_numbered(seed_text("shulan")))
    (out / "xuanzhou.docx").write_bytes(docx_table(seed_text("xuanzhou")))
    (out / "weiyang.pdf").write_bytes(pdf_file(seed_text("weiyang")))
    (out / "shulan.pdf").write_bytes(pdf_file(seed_text("shulan"), header="舒兰市民政局文件", footer="内部资料 注意保存",
                                              page_numbers=True))
    (out / "scan.pdf").write_bytes(pdf_scan())
    (out / "xuanzhou.pdf").write_bytes(pdf_table(seed_text("xuanzhou")))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "formats-out"))

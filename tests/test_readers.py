"""Readers (issue 15): the seed plans as web pages, PDF and Word files give the tasks of their text files.

The fixture files are made at test time from data/raw/*.txt by tests/formats.py (no text from the web).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from analysis import config, corpus, pipeline, readers, segment
from analysis.errors import InputError
from analysis.readers import docx as docx_reader
from analysis.segment.units import NON_TASK_UNITS

sys.path.insert(0, str(Path(__file__).parent))
import formats  # noqa: E402  (tests/formats.py: the fixture makers)

ROWS = {r["region"]: r for r in corpus.read_manifest()}
#: (case, region, file name, maker): every seed layout in at least one other format.
CASES = {
    "weiyang.html": ("weiyang", lambda t: formats.html_page(t)),
    "shulan.html": ("shulan", lambda t: formats.html_page(t)),
    "baoji.html": ("baoji", lambda t: formats.html_page(t)),
    "xuanzhou.html": ("xuanzhou", lambda t: formats.html_table_page(t)),
    "shulan.mht": ("shulan", lambda t: formats.mht_archive(formats.html_page(t))),
    "xuanzhou-merged.html": ("xuanzhou", lambda t: formats.html_table_page(t, merged=True)),
    "weiyang.docx": ("weiyang", lambda t: formats.docx_numbered(t)),
    "shulan.docx": ("shulan", lambda t: formats.docx_numbered(t)),
    "yanta.docx": ("yanta", lambda t: formats.docx_numbered(t)),
    "xuanzhou.docx": ("xuanzhou", lambda t: formats.docx_table(t)),
    "xuanzhou-merged.docx": ("xuanzhou", lambda t: formats.docx_table(t, merged=True)),
    "weiyang.pdf": ("weiyang", lambda t: formats.pdf_file(t)),
    "shulan.pdf": ("shulan", lambda t: formats.pdf_file(t, header="舒兰市民政局文件", footer="内部资料 注意保存",
                                                      page_numbers=True)),
    "baoji.pdf": ("baoji", lambda t: formats.pdf_file(t, header="宝鸡民政 2020", page_numbers=True)),
    "yanta.pdf": ("yanta", lambda t: formats.pdf_file(t, size=10.5, page_numbers=True)),
    "xuanzhou.pdf": ("xuanzhou", lambda t: formats.pdf_table(t)),
}
_MADE: dict[str, bytes] = {}


def made(case: str) -> bytes:
    if case not in _MADE:
        region, maker = CASES[case]
        _MADE[case] = maker(formats.seed_text(region))
    return _MADE[case]


def read_case(case: str, *, name: str | None = None) -> corpus.Document:
    region, _ = CASES[case]
    return corpus.from_bytes(dict(ROWS[region]), made(case), path=Path(name or case))


def task_list(seg) -> list[tuple[str, str]]:
    return [(seg.task_id(t), t.title) for t in seg.tasks if t.unit not in NON_TASK_UNITS]


def squeeze(text: str) -> str:
    """A task's text without what a format may change: whitespace, table bars, paren widths."""
    return re.sub(r"[\s|｜]", "", text).replace("(", "（").replace(")", "）")


@pytest.fixture(scope="module")
def seeds():
    return {d.region: (d, segment.document(d)) for d in corpus.load()}


@pytest.mark.parametrize("case", list(CASES))
def test_tasks_from_each_format_equal_the_tasks_from_the_text(case, seeds):
    region, _ = CASES[case]
    doc = read_case(case)
    seg = segment.document(doc)
    want_doc, want = seeds[region]
    assert doc.source_format == case.rsplit(".", 1)[1]
    assert task_list(seg) == task_list(want)  # ids (so count and order) and titles
    assert [t.title for t in seg.tasks if t.unit == "preamble"] == [t.title for t in want.tasks if t.unit == "preamble"]
    assert seg.layout == want.layout and seg.task_unit == want.task_unit
    got_tasks = [t for t in seg.tasks if t.unit not in NON_TASK_UNITS]
    want_tasks = [t for t in want.tasks if t.unit not in NON_TASK_UNITS]
    for g, w in zip(got_tasks, want_tasks):
        assert doc.text[g.start:g.end] == doc.original_text[g.start:g.end]  # offsets index the extracted text
        got_body, want_body = squeeze(doc.text[g.body_start:g.end]), squeeze(want_doc.text[w.body_start:w.end])
        assert got_body == want_body, (seg.task_id(g), got_body[:40], want_body[:40])
    assert not [n for n in seg.notes if n.kind in ("uncovered", "fallback")]


def test_pdf_running_headers_footers_and_page_numbers_are_removed_and_listed():
    doc = read_case("shulan.pdf")
    assert "舒兰市民政局文件" not in doc.text and "内部资料" not in doc.text
    assert not re.search(r"^- \d+ -$", doc.text, re.M)
    notes = " ".join(doc.notes)
    assert "running header/footer on pages 1–" in notes and "'舒兰市民政局文件'" in notes
    assert "'内部资料 注意保存'" in notes and "page numbers on pages 1–" in notes
    assert max(b.page for b in doc.blocks) >= 5  # several pages


def test_pdf_table_rows_are_lines_and_the_repeated_header_row_is_removed():
    doc = read_case("xuanzhou.pdf")
    assert doc.text.count("序号 | 重点工作事项 | 工作目标 | 分管领导 | 责任科室 |") == 1
    assert any("header row repeated on page" in n for n in doc.notes)
    rows = [b for b in doc.blocks if ", table " in b.where]
    assert len(rows) == 39 and max(b.page for b in rows) >= 2  # header, 6 part headings, 32 rows
    first = next(b for b in rows if doc.text[b.start:b.end].startswith("1 | 健全基层党组织"))
    assert re.fullmatch(r"page 1, table 1, row \d+", first.where)
    assert "第 1 页" not in doc.text


def test_pdf_pages_of_tasks_hold_their_titles(seeds):
    import pdfplumber

    doc = read_case("shulan.pdf")
    seg = segment.document(doc)
    with pdfplumber.open(io.BytesIO(made("shulan.pdf"))) as pdf:
        pages = ["".join((p.extract_text() or "").split()) for p in pdf.pages]
    blocks = doc.locations()
    for t in seg.tasks:
        if t.unit in NON_TASK_UNITS:
            continue
        first = readers.covering(blocks, t.body_start, t.end)[0]
        assert first.where.startswith(f"page {first.page}, line ")
        assert "".join(t.title.split())[:6] in pages[first.page - 1]


def test_word_numbering_is_rendered_from_numbering_xml():
    import docx

    data = made("weiyang.docx")
    paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert not any(re.match(r"[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]", p) for p in paragraphs)
    doc = read_case("weiyang.docx")
    lines = doc.text.split("\n")
    assert "一、旗帜鲜明加强党的政治建设" in lines
    assert any(ln.startswith("（一）深学笃用") for ln in lines) and any(ln.startswith("（十五）") for ln in lines)
    assert "30 automatic list number" not in doc.notes[0] and "automatic list number(s)" in doc.notes[0]
    k = lines.index("一、旗帜鲜明加强党的政治建设")
    block = next(b for b in doc.blocks if doc.text[b.start:b.end] == lines[k])
    n = int(block.where.split()[-1])
    assert paragraphs[n - 1] == "旗帜鲜明加强党的政治建设"  # the paragraph it came from, without its number


@pytest.mark.parametrize("n, fmt, want", [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"),
    (20, "chineseCounting", "二十"), (35, "chineseCountingThousand", "三十五"), (105, "chineseCounting", "一百零五"),
    (3, "decimalEnclosedCircle", "③"), (2, "ideographTraditional", "乙"), (12, "ideographDigital", "一二"),
    (4, "chineseLegalSimplified", "肆"), (3, "lowerLetter", "c"), (4, "upperRoman", "IV"), (7, "decimal", "7"),
])
def test_word_number_formats(n, fmt, want):
    assert docx_reader.format_number(n, fmt) == want


def test_word_table_rows_are_lines_with_their_cells():
    doc = read_case("xuanzhou.docx")
    row = next(b for b in doc.blocks if b.where == "table 1, row 3")
    line = doc.text[row.start:row.end]
    assert line.startswith("1 | 健全基层党组织领导下的群众自治组织机制 | ") and line.endswith(" |")
    assert line.count(" | ") == 4


def test_html_main_content_leaves_out_navigation_footer_and_scripts():
    doc = read_case("weiyang.html")
    for noise in ("政务动态", "网站地图", "不是正文", "主办：示范区", "通知公告"):
        assert noise not in doc.text
    assert doc.text.startswith("2023年是全面贯彻落实党的二十大精神的开局之年")
    assert "main content /html/body/div[3]/div[2]/div" in doc.notes[0]
    assert all(b.where.startswith("/html/body/") for b in doc.blocks)


def test_html_table_rows_keep_their_cells_and_elements():
    from lxml import html

    doc = read_case("xuanzhou.html")
    tree = html.fromstring(made("xuanzhou.html"))
    rows = [b for b in doc.blocks if b.where.endswith("]") and "/tr" in b.where]
    assert len(rows) > 32
    for b in rows[:40]:
        line = doc.text[b.start:b.end]
        cells = [" ".join(c.text_content().split()) for c in tree.getroottree().xpath(b.where)[0]]
        assert squeeze(line) == squeeze(" | ".join(cells) + " |")
    assert re.search(r"^2 \| 完善办事公开制度,持续加强自治组织、社会组织、志愿者队伍等建设 \| 1\.加强志愿服务工作。", doc.text, re.M)


def test_preformatted_text_keeps_its_lines():
    page = "<html><body><pre>一、兜牢民生底线\n（一）提高城乡低保标准。\n（二）发展养老服务。</pre></body></html>"
    got = readers.extract("html", page.encode(), path=Path("p.html"), decode_text=bytes.decode)
    assert got.text == "一、兜牢民生底线\n（一）提高城乡低保标准。\n（二）发展养老服务。\n"


def test_html_cells_spanning_rows_and_header_rows_repeated_by_later_tables():
    page = made("xuanzhou-merged.html")
    assert b'rowspan="2"' in page and page.count(b"<th>") > 5
    doc = read_case("xuanzhou-merged.html")
    seg, want = segment.document(doc), segment.document(corpus.load(regions=["xuanzhou"])[0])
    assert doc.text.count("序号 | 重点工作事项") == 1
    assert any(re.search(r"left out [5-9] table header row\(s\) repeating an earlier", n) for n in doc.notes)
    got = [(t.leader, t.department) for t in seg.tasks if t.unit == "row"]
    assert got == [(t.leader, t.department) for t in want.tasks if t.unit == "row"]


def test_word_cells_merged_down_over_rows_give_each_row_its_leader():
    data = made("xuanzhou-merged.docx")
    assert b"<w:vMerge/>" in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")  # continued cells
    seg = segment.document(read_case("xuanzhou-merged.docx"))
    want = segment.document(corpus.load(regions=["xuanzhou"])[0])
    assert [(t.leader, t.department) for t in seg.tasks if t.unit == "row"] == \
        [(t.leader, t.department) for t in want.tasks if t.unit == "row"]


def test_a_line_break_in_the_html_source_between_hanzi_is_no_space():
    page = "<html><body><div><p>一、兜牢民生\n   底线</p><p>（一）提高城乡低保标准，\n加强社会救助。</p></div></body></html>"
    got = readers.extract("html", page.encode(), path=Path("p.html"), decode_text=bytes.decode)
    assert got.text == "一、兜牢民生底线\n（一）提高城乡低保标准，加强社会救助。\n"


def test_html_charset_named_by_the_page_is_used():
    page = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>' \
           '<p>一、兜牢民生底线</p></body></html>'
    doc = corpus.from_bytes({"doc_id": "9", "region": "x"}, page.encode("gb18030"), path=Path("p.htm"))
    assert doc.text == "一、兜牢民生底线\n" and "gb18030 (named by the page)" in doc.notes[0]


@pytest.mark.parametrize("case, name", [("shulan.pdf", "plan.txt"), ("weiyang.docx", "plan.txt"),
                                        ("xuanzhou.html", "plan.txt"), ("weiyang.docx", "plan")])
def test_format_is_told_from_the_content_not_the_name(case, name):
    doc = read_case(case, name=name)
    assert doc.source_format == case.rsplit(".", 1)[1]
    assert any("told from its content" in n for n in doc.notes)
    assert doc.text == read_case(case).text


def test_scanned_pdf_is_one_line_error_saying_how_to_install_ocr(tmp_path, monkeypatch):
    monkeypatch.setattr("analysis.readers.pdf._tesseract", lambda: None)
    with pytest.raises(InputError) as err:
        corpus.decode(formats.pdf_scan(), path=tmp_path / "scan.pdf")
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith(f"{tmp_path / 'scan.pdf'}: is a PDF file without a text layer (a scan?)")
    assert "apt-get install tesseract-ocr tesseract-ocr-chi-sim" in msg


@pytest.mark.parametrize("data, words", [
    (lambda: made("weiyang.pdf")[:4000], "is a PDF file (named .txt?) that cannot be read"),
    (lambda: made("weiyang.docx")[:3000], "is a Word (.docx) file (named .txt?) that cannot be opened"),
    (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "is an old Word/WPS file (.doc/.wps) (named .txt?)"),
    (lambda: b"{\\rtf1\\ansi{\\fonttbl}plan}", "is an RTF file (named .txt?)"),
])
def test_bad_or_old_files_are_one_line_errors(tmp_path, monkeypatch, data, words):
    monkeypatch.setattr(readers.shutil, "which", lambda name: None)  # no LibreOffice
    with pytest.raises(InputError) as err:
        corpus.decode(data(), path=tmp_path / "plan.txt")
    msg = str(err.value)
    assert words in msg and "\n" not in msg and " — " in msg


def test_old_word_error_says_how_to_convert(tmp_path, monkeypatch):
    monkeypatch.setattr(readers.shutil, "which", lambda name: None)
    with pytest.raises(InputError, match=r"plan\.doc: is an old Word/WPS file \(\.doc/\.wps\) — convert it to \.docx "
                                         r"with LibreOffice \(`soffice --headless --convert-to docx plan\.doc`\)"):
        corpus.decode(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, path=tmp_path / "plan.doc")


def test_pdf_text_in_unmapped_glyphs_is_refused(monkeypatch, tmp_path):
    from analysis.readers import pdf as pdf_reader

    real = pdf_reader._page_lines

    def cids(page, n):
        lines, images = real(page, n)
        for ln in lines:
            ln.text = "(cid:1234)" * 10
        return lines, images

    monkeypatch.setattr(pdf_reader, "_page_lines", cids)
    with pytest.raises(InputError, match=r"fonts carry no character map .* nonsense"):
        corpus.decode(made("weiyang.pdf"), path=tmp_path / "p.pdf")


def test_nonsense_from_a_reader_is_refused(monkeypatch, tmp_path):
    monkeypatch.setitem(corpus.READERS, "pdf", lambda data, path: "ｱｲｳ" * 20 + "ﾅﾆﾇ가나다" * 40)
    with pytest.raises(InputError, match=r"is a PDF file whose text is not Chinese text"):
        corpus.decode(b"%PDF-1.4\n", path=tmp_path / "p.pdf")


def _corpus(tmp_path: Path, files: dict[str, tuple[str, bytes]]) -> Path:
    """A manifest in ``tmp_path/raw`` with the given files (region -> (file name, bytes)), seed metadata."""
    raw = tmp_path / "raw"
    raw.mkdir()
    header = list(corpus.read_manifest()[0].keys())
    rows = []
    for k, (region, (name, data)) in enumerate(files.items()):
        (raw / name).write_bytes(data)
        row = dict(ROWS[region], doc_id=f"{k:03d}", file=name, sha256=hashlib.sha256(data).hexdigest())
        rows.append(row)
    with (raw / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return raw / "manifest.csv"


def test_build_keeps_the_original_writes_the_extracted_text_and_where_each_task_came_from(tmp_path):
    from analysis import tables, validate

    files = {"shulan": ("001_shulan_2023_work_plan.pdf", made("shulan.pdf")),
             "xuanzhou": ("004_xuanzhou_2023_task_list.html", made("xuanzhou.html")),
             "weiyang": ("000_weiyang_2023_work_plan.docx", made("weiyang.docx")),
             "yanta": ("003_yanta_2023_work_summary.txt", (config.RAW / "003_yanta_2023_work_summary.txt").read_bytes())}
    manifest = _corpus(tmp_path, files)
    out = tmp_path / "processed"
    ctx = pipeline.run(manifest=manifest, stages=["segment"], workers=1)
    pipeline.write(ctx, out_dir=out)
    sources = tables.read_csv("sources.csv", in_dir=out).set_index("region")
    for region, (name, data) in files.items():
        assert (tmp_path / "raw" / name).read_bytes() == data  # the original, byte for byte
        row = sources.loc[region]
        assert row["sha256"] == hashlib.sha256(data).hexdigest()
        if name.endswith(".txt"):
            assert row["format"] == "text" and not row["text_file"]
            continue
        interim = tmp_path / row["text_file"]
        assert interim.parent == tmp_path / "interim" and row["format"] == name.rsplit(".", 1)[1]
        assert hashlib.sha256(interim.read_bytes()).hexdigest() == row["text_sha256"]
    first = {p.name: p.read_bytes() for p in (tmp_path / "interim").iterdir()}
    pipeline.write(pipeline.run(manifest=manifest, stages=["segment"], workers=1), out_dir=out)
    assert {p.name: p.read_bytes() for p in (tmp_path / "interim").iterdir()} == first  # deterministic

    tasks = tables.read_csv("tasks.csv", in_dir=out)
    texts = {region: (tmp_path / sources.loc[region]["text_file"]).read_text(encoding="utf-8")
             for region in ("shulan", "xuanzhou", "weiyang")}
    for r in tasks.itertuples():
        if r.region in texts:
            assert texts[r.region][r.start:r.end] == r.text  # offsets quote the extracted text exactly
    assert validate.check_tasks(tasks, validate.raw_texts(manifest)) == []
    assert validate.check_sources(tables.read_csv("sources.csv", in_dir=out), interim=tmp_path / "interim") == []
    (tmp_path / "interim" / "001_shulan_2023_work_plan.pdf.txt").write_text("changed", encoding="utf-8")
    assert validate.check_sources(tables.read_csv("sources.csv", in_dir=out), interim=tmp_path / "interim") == [
        f"sources.csv: shulan: {tmp_path / 'interim' / '001_shulan_2023_work_plan.pdf.txt'} does not have the hash "
        f"text_sha256 names"]

    where = tables.read_csv("task_sources.csv", in_dir=out)
    assert len(where) == len(tasks) and list(where["task_id"]) == list(tasks["task_id"])
    by_id = where.set_index("task_id")
    assert re.fullmatch(r"pages? \d+(–\d+)?", by_id.loc["shulan-01-01", "source"])
    assert re.fullmatch(r"paragraphs? \d+(–\d+)?", by_id.loc["weiyang-01-01", "source"])
    assert by_id.loc["xuanzhou-01-01", "first"].startswith("/html/body/") and "/tr" in by_id.loc["xuanzhou-01-01", "first"]
    assert re.fullmatch(r"lines? \d+(–\d+)?", by_id.loc["yanta-01-02-1", "source"])


def test_evidence_shows_where_a_task_stands_in_the_original():
    import pandas as pd

    from analysis.report.evidence import format_evidence

    rows = pd.DataFrame([("shulan", "shulan-05-01", "elderly_care", True, "task", 10, 20, "养老【服务】", "服务", -1, -1)],
                        columns=["region", "task_id", "domain", "is_primary", "source", "start", "end", "text",
                                 "terms", "value_start", "value_end"])
    sources = pd.DataFrame([("shulan", "001", "shulan-05-01", 0, 30, "pdf", "pages 3–4", "page 3, line 2",
                             "page 4, line 1")], columns=segment.frames.TASK_SOURCE_COLUMNS)
    out = format_evidence(rows, None, region="shulan", domain="elderly_care", sources=sources)
    assert "shulan-05-01 (primary domain) — keywords: 服务 — in the original (pdf): pages 3–4" in out


def test_add_takes_a_pdf_named_txt_keeps_it_byte_for_byte_as_pdf(raw_copy, tmp_path):
    from analysis import add

    src = tmp_path / "plan.txt"
    src.write_bytes(made("shulan.pdf"))
    added = add.add(src, region="shulan_pdf", name_zh="舒兰市", name_en="Shulan City", year="2023",
                    doc_type="work_plan", layout="outline", task_unit="item", manifest=raw_copy / "manifest.csv")
    assert added.path.name == "005_shulan_2023_work_plan.pdf"  # 舒兰市 again: the file is named by its bureau
    assert added.path.read_bytes() == src.read_bytes()
    assert added.row["sha256"] == hashlib.sha256(src.read_bytes()).hexdigest()
    assert added.n_tasks == 35 and "read as PDF (6 pages)" in added.summary()
    doc = corpus.load(raw_copy / "manifest.csv", regions=["shulan_pdf"])[0]
    assert doc.source_format == "pdf" and doc.text == read_case("shulan.pdf").text


def test_cli_add_of_a_scan_is_one_error_line(raw_copy, tmp_path):
    src = tmp_path / "scan.pdf"
    src.write_bytes(formats.pdf_scan())
    before = sorted(p.name for p in raw_copy.iterdir())
    proc = subprocess.run([sys.executable, "-m", "analysis", "add", str(src), "--region", "scan", "--name", "示范县",
                           "--year", "2024", "--type", "work_plan", "--manifest", str(raw_copy / "manifest.csv")],
                          capture_output=True, text=True, env={"PATH": "/nonexistent", **_env()})
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "scan.pdf: is a PDF file without a text layer" in lines[0]
    assert sorted(p.name for p in raw_copy.iterdir()) == before


def _env() -> dict:
    import os

    env = {k: v for k, v in os.environ.items() if k != "PATH"}
    env["PYTHONPATH"] = str(config.PACKAGE_DIR.parent) + os.pathsep + env.get("PYTHONPATH", "")
    return env


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract OCR is not installed (optional)")
def test_ocr_reads_a_scan_when_tesseract_has_chi_sim():
    """A scan of the first page of Shulan's plan: OCR'd lines go through the paragraph rules; the outline is
    found (OCR misreads a few characters: titles are compared loosely)."""
    import difflib

    from analysis.readers import pdf as pdf_reader

    if pdf_reader._tesseract() is None:
        pytest.skip("Tesseract has no chi_sim model")
    excerpt = "\n".join(formats.seed_text("shulan").split("\n")[:12])
    text_pdf = formats.pdf_file(excerpt)
    row = dict(ROWS["shulan"])
    want = segment.document(corpus.from_bytes(row, text_pdf, path=Path("p.pdf")))
    doc = corpus.from_bytes(row, formats.pdf_scanned(text_pdf), path=Path("scan.pdf"))
    assert doc.source_format == "pdf" and "read by OCR (Tesseract chi_sim" in doc.notes[0]
    got = segment.document(doc)
    assert [i for i, _ in task_list(got)] == [i for i, _ in task_list(want)] == ["shulan-01-01", "shulan-01-02"]
    for (_, a), (_, b) in zip(task_list(got), task_list(want)):
        assert difflib.SequenceMatcher(None, a, b).ratio() > 0.8
    assert all(b.where.startswith("page 1, OCR line ") for b in doc.blocks)


def test_the_same_tasks_domains_and_targets_from_each_format(tmp_path):
    """The issue's check: plans converted to other formats and added as new documents give the same tasks,
    domains and targets as the text files."""
    pairs = {"shulan": "shulan.pdf", "xuanzhou": "xuanzhou.html", "weiyang": "weiyang.docx"}
    raw = tmp_path / "raw"
    raw.mkdir()
    header = list(corpus.read_manifest()[0].keys())
    rows = []
    for k, (region, case) in enumerate(pairs.items()):
        txt = config.RAW / ROWS[region]["file"]
        for n, (slug, name, data) in enumerate(((region, txt.name, txt.read_bytes()),
                                                (f"{region}_x", f"x_{case}", made(case)))):
            (raw / name).write_bytes(data)
            rows.append(dict(ROWS[region], doc_id=f"{2 * k + n:03d}", region=slug, file=name,
                             sha256=hashlib.sha256(data).hexdigest()))
    with (raw / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    ctx = pipeline.run(manifest=raw / "manifest.csv", stages=["extract"], workers=1)
    tasks, targets = ctx.tasks.astype(str), ctx.targets.astype(str)
    for region in pairs:
        a, b = tasks[tasks["region"] == region], tasks[tasks["region"] == f"{region}_x"]
        assert list(a["task_id"].str.removeprefix(region)) == list(b["task_id"].str.removeprefix(f"{region}_x"))
        for col in ("title", "unit", "domain", "domains", "goal", "leader"):
            assert list(a[col]) == list(b[col]), (region, col)
        ta, tb = targets[targets["region"] == region], targets[targets["region"] == f"{region}_x"]
        cols = ["value", "value_max", "unit", "per", "comparator", "indicator", "kind", "deadline"]
        assert len(ta) > 0 and ta[cols].values.tolist() == tb[cols].values.tolist(), region


def test_a_number_in_the_margin_that_does_not_count_with_the_pages_stays():
    from analysis.readers.pdf import _Line, _margins

    def line(page, text, top):
        return _Line(page, 1, text, 100, 110, top, top + 10, 10)

    pages = [[line(1, "一、总体要求", 100), line(1, "- 1 -", 800)],
             [line(2, "3", 20), line(2, "加强养老服务。", 100), line(2, "- 2 -", 800)],
             [line(3, "四、保障措施", 100), line(3, "- 3 -", 800)]]
    removed, notes = _margins(pages, [842.0] * 3)
    assert removed == {(0, 1), (1, 2), (2, 1)} and notes == ["removed page numbers on pages 1–3"]


def test_old_word_files_are_converted_by_libreoffice_when_it_is_installed(tmp_path, monkeypatch):
    """The conversion's plumbing, with a stand-in ``soffice`` that writes the .docx LibreOffice would."""
    docx_file = tmp_path / "converted.docx"
    docx_file.write_bytes(made("shulan.docx"))
    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\n# soffice --headless --convert-to docx --outdir DIR FILE\ncp "{docx_file}" "$5/source.docx"\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:/usr/bin:/bin")
    doc = corpus.from_bytes(dict(ROWS["shulan"]), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
                            path=tmp_path / "plan.doc")
    assert doc.source_format == "ole" and "converted to .docx by LibreOffice" in doc.notes[0]
    assert task_list(segment.document(doc)) == task_list(segment.document(read_case("shulan.docx")))


def test_word_list_levels_from_a_numbering_style_link():
    from docx.oxml import parse_xml

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering = parse_xml(
        f'<w:numbering {ns}><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        f'<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'
        f'<w:abstractNum w:abstractNumId="2"><w:numStyleLink w:val="PlanList"/></w:abstractNum>'
        f'<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="2"/>'
        f'</w:num></w:numbering>')

    class Style:
        element = parse_xml(f'<w:style {ns} w:styleId="PlanList"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr>'
                            f'</w:pPr></w:style>')

    n = docx_reader.Numbering(numbering)
    n.link_styles({"PlanList": Style()})
    assert [n.label("2", 0) for _ in range(3)] == ["一、", "二、", "三、"]


def test_a_page_laid_out_in_tables_gives_its_content_cell_and_the_data_table_as_rows():
    page = ("<html><body><table width=100%><tr><td><a href=/>首页</a> <a href=/x>信息公开</a></td></tr>"
            "<tr><td><table><tr><td class=left><a href=/a>通知</a><a href=/b>公告</a></td><td class=main>"
            "<div class=title>示范县民政局2024年重点工作任务清单</div><table border=1><tr><th>序号</th><th>重点工作事项</th>"
            "<th>工作目标</th><th>分管领导</th><th>责任科室</th></tr><tr><td colspan=5>一、兜牢民生底线</td></tr>"
            "<tr><td>1</td><td>提高城乡低保标准</td><td>城乡低保标准分别提高5%以上。</td><td rowspan=2>张某</td>"
            "<td>社会救助科</td></tr><tr><td>2</td><td>发展养老服务</td><td>新建社区养老服务站3个。</td><td>养老服务科</td>"
            "</tr></table></td></tr></table></td></tr><tr><td>版权所有：示范县人民政府 地址：示范路1号</td></tr></table>"
            "</body></html>")
    got = readers.extract("html", page.encode(), path=Path("p.html"), decode_text=bytes.decode)
    assert got.text == ("示范县民政局2024年重点工作任务清单\n序号 | 重点工作事项 | 工作目标 | 分管领导 | 责任科室 |\n"
                        "一、兜牢民生底线 |\n1 | 提高城乡低保标准 | 城乡低保标准分别提高5%以上。 | 张某 | 社会救助科 |\n"
                        "2 | 发展养老服务 | 新建社区养老服务站3个。 | 张某 | 养老服务科 |\n")
    assert "main content /html/body/table/tr[2]/td/table/tr/td[2]" in got.notes[0]


def test_a_pdf_whose_fonts_pdfminer_misreads_is_read_with_pdfium():
    """A PDF LibreOffice wrote from a seed excerpt: pdfminer reads every Chinese character as 年; the reader
    notices and takes the text from PDFium, so the tasks equal those of the excerpt as text."""
    from analysis import segment

    folder = Path(__file__).parent / "data" / "formats"
    pdf = (folder / "weiyang_excerpt_libreoffice.pdf").read_bytes()
    text = (config.RAW / "000_weiyang_2023_work_plan.txt").read_bytes()[:1846]
    row = dict(corpus.read_manifest()[0])
    as_pdf = corpus.from_bytes(row, pdf, path=folder / "weiyang.pdf")
    as_text = corpus.from_bytes(row, text, path=folder / "weiyang.txt")
    assert "年年年" not in as_pdf.text and "read with PDFium" in " ".join(as_pdf.notes)
    squeeze = lambda s: re.sub(r"\s+", "", s).translate(str.maketrans("(),:;", "（），：；"))  # noqa: E731
    a, b = segment.document(as_pdf), segment.document(as_text)
    assert [t.title for t in a.tasks] == [t.title for t in b.tasks] and len(a.tasks) >= 3
    assert [squeeze(as_pdf.text[t.start:t.end]) for t in a.tasks] == [squeeze(as_text.text[t.start:t.end]) for t in b.tasks]

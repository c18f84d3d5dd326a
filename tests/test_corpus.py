"""The manifest and reading: hashes verified, encodings handled, bad input named and explained."""

from __future__ import annotations

import csv
import hashlib
import re
import subprocess
import sys

import pytest

from analysis import config, corpus
from analysis.corpus import cleaning
from analysis.errors import InputError

REGIONS = ["weiyang", "shulan", "baoji", "yanta", "xuanzhou"]


def _rewrite_manifest(raw_dir, **changes_for_region):
    path = raw_dir / "manifest.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        row.update(changes_for_region.get(row["region"], {}))
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


def test_manifest_has_the_five_regions_with_their_metadata():
    rows = corpus.read_manifest()
    assert [r["region"] for r in rows] == REGIONS
    by = {r["region"]: r for r in rows}
    assert by["baoji"]["doc_type"] == "newspaper_feature" and by["baoji"]["year"] == "2020"
    assert by["yanta"]["doc_type"] == "work_summary" and by["yanta"]["date"] == "2024-01-02"
    assert by["xuanzhou"]["doc_type"] == "task_list" and by["xuanzhou"]["date"] == "2023-08-28"
    assert by["shulan"]["date"] == "2023-03-21"
    for r in rows:
        assert set(corpus.REQUIRED_COLUMNS) <= set(r)


def test_raw_files_are_byte_identical_to_the_seeds():
    seeds = config.ROOT.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("shared/seeds not beside the checkout")
    seed_hashes = {hashlib.sha256(p.read_bytes()).hexdigest() for p in seeds.glob("*.txt")}
    assert {r["sha256"] for r in corpus.read_manifest()} == seed_hashes


def test_load_verifies_hashes_and_decodes(documents):
    assert set(documents) == set(REGIONS)
    assert documents["weiyang"].text.startswith("2023年是全面贯彻落实党的二十大精神的开局之年")
    assert all(d.encoding == "utf-8" for d in documents.values())


def test_missing_file_names_the_file(raw_copy):
    (raw_copy / "001_shulan_2023_work_plan.txt").unlink()
    with pytest.raises(InputError, match=r"001_shulan_2023_work_plan\.txt.*shulan.*not found"):
        corpus.load(raw_copy / "manifest.csv")


def test_hash_mismatch_says_what_changed(raw_copy):
    p = raw_copy / "000_weiyang_2023_work_plan.txt"
    p.write_bytes(p.read_bytes().replace("新增家庭养老床位100张".encode(), "新增家庭养老床位200张".encode()))
    with pytest.raises(InputError, match=r"000_weiyang.*sha256 is [0-9a-f]{64} but the manifest says"):
        corpus.load(raw_copy / "manifest.csv")


def test_gb18030_file_is_decoded_with_a_note(raw_copy):
    p = raw_copy / "003_yanta_2023_work_summary.txt"
    data = p.read_text(encoding="utf-8").encode("gb18030")
    p.write_bytes(data)
    _rewrite_manifest(raw_copy, yanta={"sha256": hashlib.sha256(data).hexdigest()})
    doc = {d.region: d for d in corpus.load(raw_copy / "manifest.csv")}["yanta"]
    assert doc.encoding == "gb18030"
    assert "建成社区养老助餐点167个" in doc.text
    assert any("iconv -f GB18030" in n for n in doc.notes)


def test_undecodable_file_says_how_to_convert(tmp_path):
    with pytest.raises(InputError, match=r"cannot decode.*iconv"):
        corpus.decode(b"\x80\xff plan \xff\x80", path=tmp_path / "x.txt")


def test_empty_file_is_refused(raw_copy):
    p = raw_copy / "002_baoji_2020_newspaper_feature.txt"
    p.write_bytes(b"  \n")
    _rewrite_manifest(raw_copy, baoji={"sha256": hashlib.sha256(b"  \n").hexdigest()})
    with pytest.raises(InputError, match=r"002_baoji.*empty"):
        corpus.load(raw_copy / "manifest.csv")


def test_binary_file_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"plan\.dat: looks binary \(NUL bytes"):
        corpus.decode(b"\x01\x02\x00\x00\x07binary\x00\x03\xff\x00\x00\x00", path=tmp_path / "plan.dat")


def test_utf16_file_is_decoded():
    text, enc, notes = corpus.decode("一、加强养老服务".encode("utf-16"), path=config.RAW / "x.txt")
    assert text == "一、加强养老服务" and enc == "utf-16" and notes


@pytest.mark.parametrize("change, message", [
    ({"region": "Wei Yang"}, r"region 'Wei Yang' is not a lower-case slug"),
    ({"doc_type": "plan"}, r"doc_type 'plan' is not one of"),
    ({"year": "二〇二三"}, r"year .* is not a four-digit year"),
    ({"sha256": "abc"}, r"sha256 'abc' is not 64 hex digits"),
    ({"layout": "grid"}, r"layout 'grid' is not one of"),
])
def test_malformed_manifest_rows_are_named(raw_copy, change, message):
    _rewrite_manifest(raw_copy, weiyang=change)
    with pytest.raises(InputError, match=r"manifest\.csv line 2: " + message):
        corpus.read_manifest(raw_copy / "manifest.csv")


def test_manifest_missing_columns(raw_copy):
    (raw_copy / "manifest.csv").write_text("doc_id,region,file\n000,weiyang,a.txt\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"lacks column\(s\) name_zh"):
        corpus.read_manifest(raw_copy / "manifest.csv")


def test_manifest_ragged_row(raw_copy):
    path = raw_copy / "manifest.csv"
    path.write_text(path.read_text(encoding="utf-8") + "005,extra,only,three\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"line 7: wrong number of fields"):
        corpus.read_manifest(path)


def test_unknown_region_lists_the_known_ones():
    with pytest.raises(InputError, match=r"unknown region\(s\) hangzhou — the manifest has weiyang, shulan"):
        corpus.load(regions=["hangzhou"])


def test_cli_reports_bad_input_in_one_line_without_traceback(raw_copy):
    (raw_copy / "004_xuanzhou_2023_task_list.txt").unlink()
    proc = subprocess.run([sys.executable, "-m", "analysis", "build", "--manifest", str(raw_copy / "manifest.csv"),
                           "--out", str(raw_copy.parent / "out"), "--no-figures", "--no-notebooks", "--quiet"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "004_xuanzhou_2023_task_list.txt" in lines[0]


# Formats, line ends and encodings seen in files researchers download (issue 13). Fixture texts are our own.
PLAN_SIMPLIFIED = "青河县民政局2024年工作要点\n一、兜牢民生底线\n（一）提高城乡低保标准，加强社会救助。\n（二）发展养老服务，新建社区养老服务站。\n"
PLAN_TRADITIONAL = "青河縣民政局2024年工作要點\n一、兜牢民生底線\n（一）提高城鄉低保標準，加強社會救助。\n（二）發展養老服務，新建社區養老服務站。\n"


@pytest.mark.parametrize("data, what", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "is a PDF file (named .txt?) that cannot be read"),
    (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 20 + b"word/document.xml" + b"\x00" * 40,
     "is a Word (.docx) file (named .txt?) that cannot be opened"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, "is an old Word/WPS file"),
])
def test_broken_files_of_other_formats_named_txt_are_refused_with_what_to_do(tmp_path, data, what):
    """Told from the content (issue 15): a broken PDF or Word file named .txt is never decoded as text."""
    path = tmp_path / "plan.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=re.escape(what)) as err:
        corpus.decode(data, path=path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("encoding", ["big5", "gb18030"])
def test_big5_and_gb18030_are_told_apart_by_their_characters(encoding):
    plan = PLAN_TRADITIONAL if encoding == "big5" else PLAN_SIMPLIFIED
    text, enc, notes = corpus.decode(plan.encode(encoding), path=corpus.Path("plan.txt"))
    assert enc == encoding and text == plan
    assert any("chosen by score" in n for n in notes)


def test_short_gb18030_heading_is_not_read_as_big5():
    text, enc, _ = corpus.decode("一、养老服务\n".encode("gb18030"), path=corpus.Path("p.txt"))
    assert (text, enc) == ("一、养老服务\n", "gb18030")


def test_traditional_chinese_is_converted_for_analysis_with_the_same_offsets():
    text, notes = corpus.normalize(PLAN_TRADITIONAL)
    assert text == PLAN_SIMPLIFIED and len(text) == len(PLAN_TRADITIONAL)
    assert any("traditional Chinese converted" in n for n in notes)
    assert corpus.normalize(PLAN_SIMPLIFIED) == (PLAN_SIMPLIFIED, [])


@pytest.mark.parametrize("raw, want", [
    ("一、养老\r（一）甲\r（二）乙\r", "一、养老\n（一）甲\n（二）乙\n"),
    ("一、养老\r\n（一）甲\r（二）乙\n", "一、养老\n（一）甲\n（二）乙\n"),
    ("一、养老\n（一）甲\x00\n", "一、养老\n（一）甲 \n"),
])
def test_cr_only_mixed_line_ends_and_nul_bytes_keep_every_line(raw, want):
    text, _ = corpus.normalize(raw)
    assert text == want


def test_utf16_without_byte_order_mark_is_decoded():
    text, enc, _ = corpus.decode(PLAN_SIMPLIFIED.encode("utf-16-le"), path=corpus.Path("p.txt"))
    assert text == PLAN_SIMPLIFIED and enc == "utf-16-le"


def test_a_file_of_ideographic_spaces_is_empty(tmp_path):
    with pytest.raises(InputError, match="only whitespace"):
        corpus.decode("\u3000\u3000 \n\u3000".encode(), path=tmp_path / "p.txt")


def test_work_summary_and_plan_is_a_document_type():
    assert "work_summary_and_plan" in corpus.DOC_TYPES


# Robust decoding (issue 13, continued): every case on a fixture built here from our own sentences.
PLAN_LONG = ("示范县民政局2024年工作计划\n"
             "一、兜牢基本民生底线\n"
             "（一）健全分层分类社会救助体系。全年发放城乡低保资金1500万元，特困人员供养标准提高5%。\n"
             "（二）加强困难群众临时救助。对遭遇急难的家庭做到应救尽救，办理时限不超过3个工作日。\n"
             "二、发展养老服务\n"
             "（一）新建社区养老服务站5个，为一百户困难老年人家庭进行适老化改造。\n"
             "（二）进一步统一养老机构服务质量标准，开展一次安全大检查。\n")


def _traditional(text: str) -> str:
    from opencc import OpenCC

    return OpenCC("s2tw").convert(text)  # Taiwan standard forms (為, 眾), all of them in Big5


def _register(raw_dir, name, data, **meta):
    """Write ``data`` as ``raw_dir/name`` and a manifest holding that one document; return its row."""
    (raw_dir / name).write_bytes(data)
    row = {c: "" for c in corpus.REQUIRED_COLUMNS + ("layout", "task_unit")}
    row.update(doc_id="100", region="shifan", name_zh="示范县", name_en="Shifan County", year="2024",
               doc_type="work_plan", file=name, sha256=hashlib.sha256(data).hexdigest(), **meta)
    with (raw_dir / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(row), lineterminator="\n")
        w.writeheader()
        w.writerow(row)
    return row


def test_seed_documents_are_read_unchanged(documents):
    for d in documents.values():
        assert d.notes == () and not d.converted and d.original_text is d.text


def test_cr_only_line_ends_become_lf_with_the_same_offsets(tmp_path):
    raw = PLAN_LONG.replace("\n", "\r")
    doc = corpus.read(_register(tmp_path, "p.txt", raw.encode()), raw_dir=tmp_path)
    assert doc.text == PLAN_LONG and len(doc.text) == len(raw)
    assert any("CR line ends" in n and "offsets unchanged" in n for n in doc.notes)


def test_mixed_crlf_and_cr_line_ends(tmp_path):
    lines = PLAN_LONG.splitlines()
    raw = "\r\n".join(lines[:3]) + "\r" + "\r".join(lines[3:]) + "\r\n"
    doc = corpus.read(_register(tmp_path, "p.txt", raw.encode()), raw_dir=tmp_path)
    assert doc.text == PLAN_LONG
    assert any("mixed CRLF and CR" in n for n in doc.notes)


def test_crlf_only_is_read_as_lf_without_a_note(tmp_path):
    doc = corpus.read(_register(tmp_path, "p.txt", PLAN_LONG.replace("\n", "\r\n").encode()), raw_dir=tmp_path)
    assert doc.text == PLAN_LONG and doc.notes == ()


def test_nul_byte_far_into_a_utf8_file_is_binary(tmp_path):
    data = (PLAN_LONG * 40).encode()
    assert len(data) > 8192
    data = data[:6000] + b"\x00" + data[6000:]
    with pytest.raises(InputError, match=r"p\.txt: looks binary \(NUL bytes"):
        corpus.decode(data, path=tmp_path / "p.txt")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_from_its_nul_pattern(encoding):
    text, enc, notes = corpus.decode(PLAN_LONG.encode(encoding), path=corpus.Path("p.txt"))
    assert text == PLAN_LONG and enc == encoding
    assert any("without a byte-order mark" in n and "iconv -f UTF-16" in n for n in notes)


def test_utf16_of_a_traditional_plan_without_bom_is_decoded_and_simplified(tmp_path):
    trad = _traditional(PLAN_LONG)
    doc = corpus.read(_register(tmp_path, "p.txt", trad.encode("utf-16-le")), raw_dir=tmp_path)
    assert doc.encoding == "utf-16-le" and doc.original_text == trad and doc.text == PLAN_LONG


def test_a_web_page_named_txt_is_read_as_html_not_decoded_as_text(tmp_path):
    data = "<!DOCTYPE html><html><body><p>青河县民政局2024年工作要点</p><script>x()</script></body></html>".encode()
    text, enc, notes = corpus.decode(data, path=tmp_path / "plan.txt")
    assert (text, enc) == ("青河县民政局2024年工作要点\n", "html")
    assert any("named .txt but is HTML" in n for n in notes)


@pytest.mark.parametrize("data, fmt, words", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "pdf",
     ["is a PDF file (named .txt?) that cannot be read", "print it to a new PDF"]),
    (b"PK\x03\x04\x14\x00" + b"\x00" * 24 + b"word/document.xml" + b"\x00" * 30, "docx",
     ["Word (.docx) file (named .txt?)", "save it again as .docx"]),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "ole",
     ["old Word/WPS file (.doc/.wps) (named .txt?)", "docx"]),
    ("<!DOCTYPE html>\n<html lang=zh><body><script>var a;</script></body></html>".encode(), "html",
     ["web page (HTML) (named .txt?) with no text in it"]),
    ("  <html>\n<head><meta charset=utf-8></head><body><nav>首页</nav></body></html>".encode(), "html", ["HTML"]),
    (b"PK\x03\x04\x14\x00" + b"\x00" * 24 + b"xl/workbook.xml", "xlsx", ["Excel .xlsx"]),
    (b"PK\x03\x04\x14\x00" + b"\x00" * 24 + b"plan.txt", "zip", ["ZIP archive", "unpack"]),
    (b"{\\rtf1\\ansi plan}", "rtf", ["RTF file"]),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image", ["an image", "OCR"]),
])
def test_sniff_names_the_format_and_decode_says_what_to_do(tmp_path, monkeypatch, data, fmt, words):
    monkeypatch.setenv("PATH", str(tmp_path))  # as on a machine without LibreOffice (soffice converts .doc/.rtf)
    assert corpus.sniff(data) == fmt
    with pytest.raises(InputError) as err:
        corpus.decode(data, path=tmp_path / "plan.txt")
    msg = str(err.value)
    assert msg.startswith(str(tmp_path / "plan.txt") + ": ") and "\n" not in msg and " — " in msg
    for w in words:
        assert w in msg


def test_a_pdf_named_pdf_is_not_asked_whether_it_is_named_txt(tmp_path):
    with pytest.raises(InputError, match=r"plan\.pdf: is a PDF file that cannot be read .* print it to a new PDF"):
        corpus.decode(b"%PDF-1.4\n", path=tmp_path / "plan.pdf")


def test_plain_texts_sniff_as_text():
    for data in (PLAN_LONG.encode(), PLAN_LONG.encode("gb18030"), PLAN_LONG.encode("utf-16"),
                 PLAN_LONG.encode("utf-16-le"), "注：<html>标签不是网页".encode()):
        assert corpus.sniff(data) == "text"


def test_a_reader_registered_for_a_format_replaces_the_error(monkeypatch, tmp_path):
    monkeypatch.setitem(corpus.READERS, "pdf", lambda data, path: PLAN_LONG)
    text, enc, notes = corpus.decode(b"%PDF-1.7\n...", path=tmp_path / "p.pdf")
    assert (text, enc, notes) == (PLAN_LONG, "pdf", ["read as pdf"])


@pytest.mark.parametrize("encoding", ["big5", "cp950"])
def test_big5_plan_is_decoded_as_big5_not_gb18030_nonsense(tmp_path, encoding):
    trad = _traditional(PLAN_LONG)
    data = trad.encode(encoding)
    data.decode("gb18030")  # GB18030 would decode these bytes too: the score must reject it
    doc = corpus.read(_register(tmp_path, "p.txt", data), raw_dir=tmp_path)
    assert doc.encoding == "big5" and doc.original_text == trad
    assert doc.text == PLAN_LONG
    note = next(n for n in doc.notes if n.startswith("decoded as big5"))
    assert "chosen by score" in note and "gb18030" in note and "iconv -f BIG5" in note


def test_wrong_decodings_score_low():
    trad = _traditional(PLAN_LONG)
    common, unlikely = corpus.score(trad.encode("big5").decode("gb18030"))
    assert common < 0.7 and unlikely > 0.1
    assert corpus.score(trad) == (1.0, 0.0) or corpus.score(trad)[0] > 0.95
    assert corpus.score("plain ASCII only") == (1.0, 0.0)


def test_gb18030_file_of_traditional_characters_is_gb18030(tmp_path):
    trad = _traditional(PLAN_LONG)
    doc = corpus.read(_register(tmp_path, "p.txt", trad.encode("gb18030")), raw_dir=tmp_path)
    assert doc.encoding == "gb18030" and doc.original_text == trad and doc.text == PLAN_LONG


def test_text_that_decodes_only_as_nonsense_is_refused(tmp_path):
    # GB18030 decodes these into rare characters (GBK/3); Big5 and CP950 do not decode them at all
    data = b"".join(bytes([0x81 + i % 31, 0x40 + (i * 7) % 63]) for i in range(300))
    with pytest.raises(InputError, match=r"no decoding reads as Chinese text .*'encoding' column"):
        corpus.decode(data, path=tmp_path / "p.txt")


def test_the_manifest_encoding_is_used_as_named(tmp_path):
    data = PLAN_LONG.encode("gb18030")
    doc = corpus.read(_register(tmp_path, "p.txt", data, encoding="gb18030"), raw_dir=tmp_path)
    assert doc.text == PLAN_LONG and any("named in the manifest" in n for n in doc.notes)
    with pytest.raises(InputError, match=r"p\.txt: the manifest names encoding 'klingon'"):
        corpus.decode(data, path=tmp_path / "p.txt", encoding="klingon")
    with pytest.raises(InputError, match=r"p\.txt: cannot decode as utf-8 \(the manifest's 'encoding'\)"):
        corpus.decode(data, path=tmp_path / "p.txt", encoding="utf-8")


@pytest.mark.parametrize("data", ["\u3000\u3000\n\u3000 \t\n".encode(), "\u3000\r\n\u3000".encode("utf-16"),
                                  "\u3000\u3000".encode("gb18030"), "\ufeff\u3000\n".encode()])
def test_whitespace_and_ideographic_spaces_only_is_an_empty_file(tmp_path, data):
    with pytest.raises(InputError, match=r"p\.txt: file is empty \(only whitespace\)"):
        corpus.decode(data, path=tmp_path / "p.txt")


def test_form_feeds_from_pdftotext_are_allowed():
    text, enc, _ = corpus.decode(("\f".join([PLAN_LONG] * 12)).encode(), path=corpus.Path("p.txt"))
    assert enc == "utf-8" and text.count("\f") == 11


def test_traditional_plan_is_simplified_for_analysis_with_offsets_into_the_original(tmp_path):
    from analysis import segment

    trad = _traditional(PLAN_LONG)
    assert trad != PLAN_LONG and len(trad) == len(PLAN_LONG)
    doc = corpus.read(_register(tmp_path, "p.txt", trad.encode()), raw_dir=tmp_path)
    assert doc.converted and doc.text == PLAN_LONG and doc.original_text == trad
    note = next(n for n in doc.notes if "traditional" in n)
    assert "converted traditional" in note.replace("traditional Chinese converted", "converted traditional")
    assert "OpenCC t2s, same offsets" in note
    seg = segment.document(doc)
    tasks = [t for t in seg.tasks if t.unit == "item"]
    assert len(tasks) == 4
    for t in tasks:  # the offsets quote the source too: its traditional text, converted, is the task's text
        assert corpus.to_simplified(doc.original_text[t.start:t.end])[0] == doc.text[t.start:t.end]


def test_simplified_plan_with_a_rare_character_is_not_converted():
    text = PLAN_LONG + "（三）羵字只是一个字。\n"
    assert corpus.simplify(text) == (text, [])


def test_a_phrase_conversion_that_changes_length_falls_back_to_characters(monkeypatch):
    class Stretching:
        def convert(self, s):  # a phrase rule that lengthens, as a future dictionary might
            return s.replace("養老", "养老服务") if len(s) > 1 else {"養": "养", "後": "后"}.get(s, s)

    monkeypatch.setattr(cleaning, "converter", lambda: Stretching())
    corpus.t2s_char.cache_clear()
    try:
        simple, changed = corpus.to_simplified("後來養老\n養老")
    finally:
        corpus.t2s_char.cache_clear()
    assert simple == "后來养老\n养老" and changed == 3


def test_document_refuses_a_source_text_of_another_length():
    with pytest.raises(ValueError, match="differ in length"):
        corpus.Document("1", "x", {}, "养老", corpus.Path("p.txt"), source_text="養老服務")


def test_manifest_year_may_be_empty(raw_copy):
    _rewrite_manifest(raw_copy, baoji={"year": ""})
    rows = corpus.read_manifest(raw_copy / "manifest.csv")
    assert {r["region"]: r["year"] for r in rows}["baoji"] == ""
    _rewrite_manifest(raw_copy, baoji={"year": "20"})
    with pytest.raises(InputError, match=r"line 4: year '20' is not a four-digit year \(leave it empty if unknown\)"):
        corpus.read_manifest(raw_copy / "manifest.csv")


@pytest.mark.parametrize("text", ["Work plan of the civil affairs bureau, café edition — 2024\n",
                                  "一、养老服务\n", "A plan naming 未央区 once.\n"])
def test_valid_utf8_is_utf8_however_few_chinese_characters(text):
    for data in (text.encode(), b"\xef\xbb\xbf" + text.encode()):
        decoded, enc, _ = corpus.decode(data, path=corpus.Path("p.txt"))
        assert (decoded, enc) == (text, "utf-8")


def test_a_false_byte_order_mark_is_named(tmp_path):
    with pytest.raises(InputError, match=r"p\.txt: starts with a UTF-8 byte-order mark but is not UTF-8"):
        corpus.decode(b"\xef\xbb\xbf" + "一、养老".encode("gb18030"), path=tmp_path / "p.txt")

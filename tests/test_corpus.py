"""The manifest and reading: hashes verified, encodings handled, bad input named and explained."""

from __future__ import annotations

import csv
import hashlib
import re
import subprocess
import sys

import pytest

from analysis import config, corpus
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
    with pytest.raises(InputError, match=r"binary"):
        corpus.decode(b"%PDF-1.4\x00\x01\x02binary", path=tmp_path / "plan.pdf")


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
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "is a PDF file"),
    (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 20 + b"word/document.xml" + b"\x00" * 40, "is a Word (.docx) file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, "is an old Word/WPS file"),
    ("<!DOCTYPE html><html><body><p>青河县民政局2024年工作要点</p></body></html>".encode(), "is a saved web page"),
])
def test_other_formats_named_txt_are_refused_with_what_to_do(tmp_path, data, what):
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

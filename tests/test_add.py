"""``python -m analysis add``: a plan copied in under a deterministic name with a complete manifest row, or,
on any problem, one error line and nothing written. Fixture plans are our own sentences."""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys

import pytest

from analysis import add, corpus, pipeline
from analysis.errors import AnalysisError, InputError, UsageError

PLAN = ("示范县民政局2024年工作计划\n\n"
        "2024年，我局坚持以人民为中心，扎实做好各项民政工作。\n"
        "一、兜牢基本民生底线\n"
        "（一）健全社会救助体系。全年发放城乡低保资金1500万元，特困人员供养标准提高5%。\n"
        "（二）加强临时救助。对遭遇急难的家庭做到应救尽救。\n"
        "二、发展养老服务\n"
        "（一）新建社区养老服务站5个。\n"
        "（二）完成困难老年人家庭适老化改造200户。\n"
        "三、加强基层治理\n"
        "（一）开展村（社区）减负工作，清理规范村级组织挂牌。\n"
        "（二）推进婚姻登记“跨省通办”。\n\n"
        "示范县民政局\n2024年2月20日\n")
SEED_COLUMNS = list(corpus.REQUIRED_COLUMNS) + ["layout", "task_unit"]


@pytest.fixture()
def plan(tmp_path):
    p = tmp_path / "incoming" / "示范县2024.TXT"
    p.parent.mkdir()
    p.write_text(PLAN, encoding="utf-8")
    return p


def _state(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _add(plan, raw_copy, **kw):
    args = dict(region="shifan", name_zh="示范县", year="2024", doc_type="work_plan",
                manifest=raw_copy / "manifest.csv")
    args.update(kw)
    return add.add(plan, **args)


def test_add_copies_the_file_and_appends_a_complete_row(plan, raw_copy):
    before = (raw_copy / "manifest.csv").read_bytes()
    added = _add(plan, raw_copy, province="某省 Mou", prefecture="某市 Mou City", admin_level="county",
                 issuer="示范县民政局", date="2024-02-20", source_note="our own fixture")
    dest = raw_copy / "005_shifan_2024_work_plan.txt"
    assert added.path == dest and dest.read_bytes() == plan.read_bytes()
    after = (raw_copy / "manifest.csv").read_bytes()
    assert after.startswith(before) and after.count(b"\n") == before.count(b"\n") + 1
    rows = corpus.read_manifest(raw_copy / "manifest.csv")
    row = rows[-1]
    assert list(row) == [*SEED_COLUMNS, "jurisdiction"]  # the reader names every row's jurisdiction
    assert row == {"doc_id": "005", "region": "shifan", "name_zh": "示范县", "name_en": "Shifan County",
                   "province": "某省 Mou", "prefecture": "某市 Mou City", "admin_level": "county", "year": "2024",
                   "doc_type": "work_plan", "title": "示范县民政局2024年工作计划", "issuer": "示范县民政局",
                   "date": "2024-02-20", "source_note": "our own fixture", "file": dest.name,
                   "sha256": hashlib.sha256(PLAN.encode()).hexdigest(), "layout": "", "task_unit": "",
                   "jurisdiction": "shifan"}
    docs = {d.region: d for d in corpus.load(raw_copy / "manifest.csv")}
    assert docs["shifan"].text == PLAN


def test_summary_line_says_what_was_detected(plan, raw_copy):
    line = _add(plan, raw_copy).summary()
    assert "\n" not in line
    assert line.startswith(f"added 005 shifan -> {raw_copy / '005_shifan_2024_work_plan.txt'}: utf-8, ")
    n_chars = sum(1 for ch in PLAN if not ch.isspace())
    for part in (f"{n_chars:,} characters", "layout outline", "6 tasks", "warnings",
                 "name_en 'Shifan County' (derived; --name-en to set)"):
        assert part in line


def test_the_added_plan_goes_through_the_pipeline(plan, raw_copy):
    _add(plan, raw_copy, year="unknown", doc_type="work_summary_and_plan", name_en="Shifan County")
    ctx = pipeline.run(manifest=raw_copy / "manifest.csv", stages=["load", "segment"])
    mine = ctx.tasks[ctx.tasks["region"] == "shifan"]
    assert len(mine[~mine["is_preamble"].astype(bool)]) == 6
    assert len(ctx.documents) == 6


def test_unknown_year_is_stored_empty_and_named_unknown(plan, raw_copy):
    added = _add(plan, raw_copy, year="unknown")
    assert added.row["year"] == "" and added.path.name == "005_shifan_unknown_work_plan.txt"
    assert "year unknown" in added.summary()
    assert corpus.read_manifest(raw_copy / "manifest.csv")[-1]["year"] == ""


def test_title_defaults_to_the_first_non_empty_line_cut_at_60(tmp_path, raw_copy):
    p = tmp_path / "long.txt"
    p.write_text("\n\u3000 \n  " + "关于" * 40 + "的工作计划  \n一、养老服务\n（一）新建养老服务站。\n",
                 encoding="utf-8")
    assert _add(p, raw_copy).row["title"] == ("关于" * 40)[:60]
    p2 = tmp_path / "other.txt"
    p2.write_text("一、养老\n（一）新建。\n", encoding="utf-8")
    assert _add(p2, raw_copy, region="other", title="我们的标题").row["title"] == "我们的标题"


def test_layout_and_task_unit_are_written_and_used(plan, raw_copy):
    added = _add(plan, raw_copy, layout="paragraphs", task_unit="item")
    assert (added.row["layout"], added.row["task_unit"]) == ("paragraphs", "item")
    assert added.layout == "paragraphs"


def test_doc_ids_continue_from_the_highest(plan, raw_copy, tmp_path):
    first = _add(plan, raw_copy)
    p = tmp_path / "b.txt"
    p.write_text(PLAN.replace("1500万元", "1600万元"), encoding="utf-8")
    second = _add(p, raw_copy, region="shifan_b", year="2025")
    assert (first.row["doc_id"], second.row["doc_id"]) == ("005", "006")
    # the same 示范县 under its own slug: the same bureau, so the file is named by the bureau
    assert second.row["region"] == "shifan_b" and second.row["jurisdiction"] == "shifan"
    assert second.path.name == "006_shifan_2025_work_plan.txt"


@pytest.mark.parametrize("name_zh, name_en", [
    ("未央区", "Weiyang District"), ("西安市", "Xi'an City"), ("舒兰市", "Shulan City"), ("沛县", "Pei County"),
    ("长安区", "Chang'an District"), ("示範區", "Shifan District"),
    ("宝鸡", "Baoji"),
])
def test_english_names_from_pinyin(name_zh, name_en):
    assert add.english_name(name_zh) == name_en


@pytest.mark.parametrize("name_zh, level", [
    ("未央区", "district"), ("沛县", "county"), ("示範區", "district"), ("某某自治县", "county"),
    ("某某旗", "county"), ("某某省", "province"),
    ("舒兰市", ""), ("西安市", ""), ("某某新区", ""), ("某某林区", ""), ("某某州", ""), ("区", ""),
])
def test_the_level_a_name_tells_for_sure(name_zh, level):
    assert add.level_of_name(name_zh) == level


def test_level_left_out_comes_from_the_name_or_stays_unknown(plan, raw_copy):
    county = _add(plan, raw_copy)
    assert county.row["admin_level"] == "county"
    assert "level county (from the name; --level to set)" in county.summary()
    other = plan.with_name("b.txt")
    other.write_text(PLAN.replace("2024年，", "2024年全年，"), encoding="utf-8")
    city = _add(other, raw_copy, region="shifanshi", name_zh="示范市")
    assert city.row["admin_level"] == "" and "level unknown (--level to set)" in city.summary()


def test_a_given_level_is_kept_and_not_reported_as_derived(plan, raw_copy):
    added = _add(plan, raw_copy, region="shifanshi", name_zh="示范市", admin_level="county-level city")
    assert added.row["admin_level"] == "county-level city" and "--level to set" not in added.summary()


def test_tables_of_a_plan_of_unknown_level_pass_their_schemas(plan, raw_copy):
    """A plan added without --level under a 市 name: its empty admin_level is 'unknown', not a schema problem
    (validate failed on documents.csv and document_profiles.csv after such an add)."""
    from analysis import schema
    _add(plan, raw_copy, region="shifanshi", name_zh="示范市")
    ctx = pipeline.run(manifest=raw_copy / "manifest.csv",
                       stages=["load", "segment", "tokenize", "classify", "extract", "coverage"])
    for name in ("documents.csv", "document_profiles.csv"):
        frame = ctx.tables[name].frame
        assert "" in set(frame["admin_level"]), name
        assert schema.check(name, frame) == [], name


def test_traditional_big5_plan_is_added_and_read_as_simplified(tmp_path, raw_copy):
    from opencc import OpenCC

    trad = OpenCC("s2tw").convert(PLAN)
    p = tmp_path / "trad.txt"
    p.write_bytes(trad.replace("\n", "\r").encode("big5"))
    added = _add(p, raw_copy, name_zh="示範縣", name_en="Shifan County")
    assert added.doc.encoding == "big5" and added.doc.converted
    assert added.row["title"] == trad.splitlines()[0]
    assert "big5" in added.summary() and "traditional Chinese (simplified for analysis)" in added.summary()
    doc = {d.region: d for d in corpus.load(raw_copy / "manifest.csv")}["shifan"]
    assert doc.text == PLAN and doc.original_text == trad


def test_new_manifest_is_created_with_the_standard_columns(plan, tmp_path):
    folder = tmp_path / "mycorpus"
    folder.mkdir()
    added = add.add(plan, region="shifan", name_zh="示范县", year="2024", doc_type="work_plan",
                    manifest=folder / "manifest.csv")
    assert added.row["doc_id"] == "000"
    with (folder / "manifest.csv").open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == SEED_COLUMNS
    assert [d.region for d in corpus.load(folder / "manifest.csv")] == ["shifan"]


def test_manifest_without_a_final_newline(plan, raw_copy):
    m = raw_copy / "manifest.csv"
    m.write_bytes(m.read_bytes().rstrip(b"\n"))
    _add(plan, raw_copy)
    assert [r["region"] for r in corpus.read_manifest(m)][-2:] == ["xuanzhou", "shifan"]


@pytest.mark.parametrize("kw, error, words", [
    ({"region": "Shi Fan"}, UsageError, ["--region 'Shi Fan': not a lower-case slug"]),
    ({"doc_type": "plan"}, UsageError, ["unknown --type 'plan'", "work_summary_and_plan"]),
    ({"year": "24"}, UsageError, ["--year '24': not a four-digit year", "'unknown'"]),
    ({"year": "二〇二四"}, UsageError, ["--year"]),
    ({"date": "2024-02-30"}, UsageError, ["--date '2024-02-30': not a date in the form YYYY-MM-DD"]),
    ({"date": "20240220"}, UsageError, ["--date '20240220'"]),
    ({"admin_level": "town"}, UsageError, ["unknown --level 'town'", "county-level city"]),
    ({"layout": "grid"}, UsageError, ["--layout 'grid'"]),
    ({"task_unit": "row"}, UsageError, ["--task-unit 'row'"]),
    ({"name_zh": " "}, UsageError, ["--name '': empty"]),
    ({"issuer": "甲\n乙"}, UsageError, ["--issuer", "line break"]),
])
def test_bad_values_write_nothing(plan, raw_copy, kw, error, words):
    before = _state(raw_copy)
    with pytest.raises(error) as err:
        _add(plan, raw_copy, **kw)
    msg = str(err.value)
    assert "\n" not in msg and " — " in msg
    for w in words:
        assert w in msg
    assert _state(raw_copy) == before


def test_same_file_twice_names_the_existing_doc_id(plan, raw_copy):
    _add(plan, raw_copy)
    before = _state(raw_copy)
    with pytest.raises(InputError, match=r"already in the manifest as doc_id 005 \(region 'shifan'.*same sha256"):
        _add(plan, raw_copy, region="shifan_again")
    assert _state(raw_copy) == before


def test_a_seed_added_again_names_its_doc_id(raw_copy):
    with pytest.raises(InputError, match=r"already in the manifest as doc_id 001 \(region 'shulan'"):
        _add(raw_copy / "001_shulan_2023_work_plan.txt", raw_copy, region="shulan2")


@pytest.mark.parametrize("data, words", [
    (b"%PDF-1.7\n1 0 obj\n", "is a PDF file (named .txt?) that cannot be read"),
    ("<!DOCTYPE html><html><body><nav><a href=/>示范县</a></nav></body></html>".encode(), "with no text in it"),
    ("\u3000\u3000\n \n".encode(), "file is empty"),
    (b"\x81\x40\x82\x41" * 50, "no decoding reads as Chinese text"),
    (PLAN.encode()[:100] + b"\x00" + PLAN.encode()[100:], "looks binary"),
])
def test_unreadable_file_writes_nothing(tmp_path, raw_copy, data, words):
    p = tmp_path / "plan.txt"
    p.write_bytes(data)
    before = _state(raw_copy)
    with pytest.raises(InputError) as err:
        _add(p, raw_copy)
    assert str(err.value).startswith(f"{p}: ") and words in str(err.value)
    assert _state(raw_copy) == before


def test_missing_file_and_folder(raw_copy, tmp_path):
    with pytest.raises(InputError, match=r"nope\.txt: file not found — give the path"):
        _add(tmp_path / "nope.txt", raw_copy)
    with pytest.raises(InputError, match=r"is not a file"):
        _add(tmp_path, raw_copy)


def test_existing_unregistered_destination_is_not_overwritten(plan, raw_copy):
    (raw_copy / "005_shifan_2024_work_plan.txt").write_text("别的文件", encoding="utf-8")
    before = _state(raw_copy)
    with pytest.raises(InputError, match=r"005_shifan_2024_work_plan\.txt: already exists but is not in the manifest"):
        _add(plan, raw_copy)
    assert _state(raw_copy) == before


def test_manifest_failure_removes_the_copied_file(plan, raw_copy, monkeypatch):
    real = add.write_atomically

    def fail_on_manifest(path, data):
        if path.name == "manifest.csv":
            raise OSError("disk full")
        real(path, data)

    monkeypatch.setattr(add, "write_atomically", fail_on_manifest)
    before = _state(raw_copy)
    with pytest.raises(OSError):
        _add(plan, raw_copy)
    assert _state(raw_copy) == before


def test_segmentation_crash_is_one_error_and_writes_nothing(plan, raw_copy, monkeypatch):
    from analysis import segment

    def boom(doc):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(segment, "document", boom)
    before = _state(raw_copy)
    with pytest.raises(AnalysisError, match=r"segmentation failed \(ZeroDivisionError: a bug\) — nothing was added"):
        _add(plan, raw_copy)
    assert _state(raw_copy) == before


def test_name_en_is_required_without_pypinyin(plan, raw_copy, monkeypatch):
    monkeypatch.setitem(sys.modules, "pypinyin", None)
    with pytest.raises(UsageError, match=r"pass --name-en"):
        _add(plan, raw_copy)
    assert _add(plan, raw_copy, name_en="Shifan County").row["name_en"] == "Shifan County"


# ------------------------------------------------------------------------------------------ the command

def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "analysis", "add", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd)


def test_command_adds_and_prints_one_line(plan, raw_copy):
    done = run(plan, "--region", "shifan", "--name", "示范县", "--name-en", "Shifan County", "--year", "2024",
               "--type", "work_plan", "--level", "county", "--date", "2024-02-20", "--issuer", "示范县民政局",
               "--manifest", raw_copy / "manifest.csv")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("added 005 shifan -> ") and "6 tasks" in lines[0]
    row = corpus.read_manifest(raw_copy / "manifest.csv")[-1]
    assert (row["admin_level"], row["date"], row["issuer"]) == ("county", "2024-02-20", "示范县民政局")


@pytest.mark.parametrize("args, words", [
    (["--region", "Shi Fan"], "not a lower-case slug"),
    (["--type", "plan"], "unknown --type 'plan'"),
    (["--date", "2024/02/20"], "--date '2024/02/20'"),
    (["FILE:missing.txt"], "missing.txt: file not found"),
    (["DROP:--year"], "the following arguments are required: --year"),
])
def test_command_errors_are_one_line_exit_2_and_write_nothing(plan, raw_copy, args, words):
    base = {"FILE": str(plan), "--region": "shifan", "--name": "示范县", "--year": "2024", "--type": "work_plan",
            "--manifest": str(raw_copy / "manifest.csv")}
    for a in args:
        if a.startswith("FILE:"):
            base["FILE"] = str(plan.parent / a[5:])
        elif a.startswith("DROP:"):
            del base[a[5:]]
    opts = dict(zip(args[::2], args[1::2])) if not args[0].startswith(("FILE:", "DROP:")) else {}
    base.update(opts)
    argv = [base.pop("FILE")] + [x for kv in base.items() for x in kv]
    before = _state(raw_copy)
    done = run(*argv)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert _state(raw_copy) == before


def test_command_same_file_twice(plan, raw_copy):
    argv = [plan, "--region", "shifan", "--name", "示范县", "--year", "2024", "--type", "work_plan",
            "--manifest", raw_copy / "manifest.csv"]
    assert run(*argv).returncode == 0
    again = run(*argv)
    assert again.returncode == 2 and again.stderr.count("\n") == 1
    assert "already in the manifest as doc_id 005" in again.stderr


def test_command_does_not_import_the_analyst_modules(plan, raw_copy):
    code = ("import sys; from analysis import cli; "
            "rc = cli.main(['add', sys.argv[1], '--region', 'shifan', '--name', '示范县', '--year', '2024', "
            "'--type', 'work_plan', '--manifest', sys.argv[2]]); "
            "print(rc, sorted(m for m in ('analysis.report.style', 'analysis.report.commands', 'analysis.domains', "
            "'analysis.tokenization', 'jieba', 'matplotlib') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, str(plan), str(raw_copy / "manifest.csv")],
                          capture_output=True, text=True)
    assert done.stdout.splitlines()[-1] == "0 []", done.stderr


def test_a_second_document_of_a_bureau_gets_its_own_slug_and_the_same_jurisdiction(plan, raw_copy):
    """A bureau's plan each spring and summary each winter: the same --region, two documents."""
    first = _add(plan, raw_copy)
    summary = plan.with_name("示范县2024总结.txt")
    summary.write_text(PLAN.replace("工作计划", "工作总结"), encoding="utf-8")
    second = _add(summary, raw_copy, doc_type="work_summary")
    assert (first.row["region"], second.row["region"]) == ("shifan", "shifan_2024_work_summary")
    rows = corpus.read_manifest(raw_copy / "manifest.csv")
    assert [r["jurisdiction"] for r in rows] == ["weiyang", "shulan", "baoji", "yanta", "xuanzhou", "shifan", "shifan"]
    docs = {d.region: d for d in corpus.load(raw_copy / "manifest.csv")}
    assert docs["shifan_2024_work_summary"].jurisdiction == "shifan" == docs["shifan"].jurisdiction
    assert docs["weiyang"].jurisdiction == "weiyang"  # rows written before the column existed keep their slug


def test_the_manifest_gains_the_jurisdiction_column_without_changing_its_rows(plan, raw_copy):
    before = corpus.read_manifest(raw_copy / "manifest.csv")
    _add(plan, raw_copy, region="weiyang", year="2024")
    after = corpus.read_manifest(raw_copy / "manifest.csv")
    strip = [{k: v for k, v in r.items() if k != "jurisdiction"} for r in after[:-1]]
    assert strip == [{k: v for k, v in r.items() if k != "jurisdiction"} for r in before]
    assert (after[-1]["region"], after[-1]["jurisdiction"]) == ("weiyang_2024_work_plan", "weiyang")


def test_a_document_under_its_own_slug_joins_the_bureau_of_the_same_name(plan, raw_copy):
    """未央区 added again as 'weiyang2024' is the same bureau as the seed plan 'weiyang' (same name, no other
    province); a 新城区 of another province would not be."""
    added = _add(plan, raw_copy, region="weiyang2024", name_zh="未央区", province="陕西省 Shaanxi")
    assert (added.row["region"], added.row["jurisdiction"]) == ("weiyang2024", "weiyang")
    other = plan.with_name("other.txt")
    other.write_text(PLAN.replace("示范县", "未央区") + "\n另一份。", encoding="utf-8")
    elsewhere = _add(other, raw_copy, region="weiyang_gd", name_zh="未央区", province="广东省 Guangdong")
    assert elsewhere.row["jurisdiction"] == "weiyang_gd"
    explicit = plan.with_name("x.txt")
    explicit.write_text(PLAN + "\n第三份。", encoding="utf-8")
    assert _add(explicit, raw_copy, region="shifan", jurisdiction="shulan").row["jurisdiction"] == "shulan"

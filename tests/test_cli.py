"""The analyst commands ``charts``, ``export``, ``evidence`` run as a new analyst would: as subprocesses.

They read a folder of processed tables (``--in``) built from the real tasks with hand-labelled
domains and quantities (see tests/test_coverage.py), never re-running the pipeline.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import config, corpus, outputs, tables
from analysis.report import catalog, commands, style
from analysis.report import workbook as workbook_module

sys.path.insert(0, str(Path(__file__).parent))
from test_coverage import labelled_tables  # noqa: E402

REGIONS = [r["region"] for r in corpus.read_manifest()]
MAGIC = {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}
KWIC_RE = re.compile(r"^  \[(\d+):(\d+)\] (.*)$")
VALUE_RE = re.compile(r"^      (\w+) (\S+) \[(\d+):(\d+)\]$")


@pytest.fixture(scope="module")
def processed(tmp_path_factory, seg_ctx) -> Path:
    from analysis import compare

    out = tmp_path_factory.mktemp("processed")
    tasks, targets, cov, prof = labelled_tables()
    tables.write_csv(compare.similarity(seg_ctx.tasks, seg_ctx.tokens), "similarity.csv",
                     sort_by=["method", "region", "other_region"], out_dir=out)
    tables.write_csv(compare.keyness(compare.region_docs(seg_ctx.tasks, seg_ctx.tokens),
                              names=compare.corpus_names(corpus.read_manifest(), leaders=seg_ctx.tasks["leader"])), "keyness.csv",
                     sort_by=["region", "rank"], out_dir=out)
    tables.write_csv(compare.alignment(seg_ctx.tasks, seg_ctx.tokens), "alignment.csv",
                     sort_by=["region", "task_id", "other_region", "rank"], out_dir=out)
    phrases, _ = compare.phrase_tables(seg_ctx.tasks["text"].tolist(), seg_ctx.tasks["region"].tolist(),
                                       seg_ctx.tasks["task_id"].tolist())
    tables.write_csv(phrases, "shared_phrases.csv", sort_by=["rank"], out_dir=out)
    tables.write_csv(tasks, "tasks.csv", sort_by=["doc_id", "start"], out_dir=out)
    tables.write_csv(targets, "targets.csv", sort_by=["region", "start"], out_dir=out)
    tables.write_csv(cov, "coverage.csv", sort_by=["doc_id", "domain_rank"], out_dir=out)
    tables.write_csv(prof, "document_profiles.csv", sort_by=["doc_id"], out_dir=out)
    outputs.write_record(out, manifest=config.MANIFEST)
    return out


def run(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd)


@pytest.mark.parametrize("command", ["charts", "export", "evidence", "add"])
def test_help(command):
    done = run(command, "--help")
    assert done.returncode == 0
    assert done.stdout.startswith("usage: python -m analysis " + command)
    assert "example:" in done.stdout


def test_top_level_help_lists_every_command():
    done = run("--help")
    assert done.returncode == 0
    for command in ("build", "validate", "notebooks", "add", "charts", "export", "evidence"):
        assert command in done.stdout


def test_add_with_a_missing_option_is_one_line(tmp_path):
    done = run("add", tmp_path / "plan.txt", "--region", "x", cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the following arguments are required: --name")


@pytest.mark.parametrize("args, names, valid", [
    (["charts", "--regions", "weiyang", "atlantis"], "region 'atlantis'", ", ".join(REGIONS)),
    (["charts", "--domains", "elderly_kare"], "domain 'elderly_kare'", "elderly_care"),
    (["charts", "--format", "gif"], "format 'gif'", "png, svg, pdf"),
    (["charts", "--lang", "fr"], "language 'fr'", "zh, en"),
    (["charts", "--only", "pie"], "chart 'pie'", "coverage_heatmap"),
    (["evidence", "--region", "xian", "--domain", "elderly_care"], "region 'xian'", ", ".join(REGIONS)),
    (["evidence", "--region", "shulan", "--domain", "pets"], "domain 'pets'", "social_assistance"),
    (["export", "--xlsx", "out.xlsx", "--lang", "de"], "language 'de'", "zh, en"),
    (["export", "--xlsx", "out.csv"], "out.csv", ".xlsx"),
])
def test_bad_values_give_one_line_and_exit_2(processed, tmp_path, args, names, valid):
    done = run(*args, "--in", processed, cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ") and names in lines[0] and valid in lines[0]
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_missing_tables_give_one_line(tmp_path):
    done = run("charts", "--in", tmp_path / "nowhere", cwd=tmp_path)
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1 and "python -m analysis build" in done.stderr


@pytest.mark.parametrize("lang", style.LANGS)
@pytest.mark.parametrize("fmt", style.FORMATS)
def test_charts_in_every_format_and_language(processed, tmp_path, fmt, lang):
    out = tmp_path / "figs"
    done = run("charts", "--only", "coverage_states", "keyness", "--format", fmt, "--lang", lang,
               "--out", out, "--in", processed, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    written = sorted(out.iterdir())
    assert [p.name for p in written] == [f"coverage_states_{lang}.{fmt}", f"keyness_{lang}.{fmt}"]
    for p in written:
        assert p.read_bytes().startswith(MAGIC[fmt])
    assert done.stdout.split() == [str(p) for p in sorted(written, key=lambda p: list(catalog.FIGURES).index(
        p.name.rsplit("_", 1)[0]))]


def test_charts_with_regions_and_domains(processed, tmp_path):
    done = run("charts", "--regions", "weiyang", "舒兰市", "--domains", "Elderly care", "social_assistance",
               "--lang", "en", "--format", "svg", "png", "--out", tmp_path, "--in", processed, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    # neither has a task list (and the fixture's targets have no indicator families): those charts are
    # skipped with a message, not written as placeholders
    skipped = [ln.split(":")[0] for ln in done.stderr.splitlines()]
    assert sorted(skipped) == sorted(["skipped comparable_targets", "skipped tasks_by_leader"]
                                     + [f"skipped {n}" for n in catalog.DATA_DEPENDENT])
    assert not list(tmp_path.glob("tasks_by_leader_*"))
    assert len(done.stdout.split()) == 2 * (len(catalog.FIGURES) - 2 - len(catalog.DATA_DEPENDENT))
    svg = (tmp_path / "coverage_states_en.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg


@pytest.fixture(scope="module")
def workbook(processed, tmp_path_factory):
    from openpyxl import load_workbook

    path = tmp_path_factory.mktemp("xlsx") / "coverage.xlsx"
    done = run("export", "--xlsx", path, "--in", processed, "--lang", "en")
    assert done.returncode == 0, done.stderr
    return path, load_workbook(path)


@pytest.fixture(scope="module")
def workbook_zh(processed, tmp_path_factory):
    from openpyxl import load_workbook

    path = tmp_path_factory.mktemp("xlsx") / "coverage_zh.xlsx"
    done = run("export", "--xlsx", path, "--in", processed)
    assert done.returncode == 0, done.stderr
    return path, load_workbook(path)


APPENDIX = ("notes", "document_profiles", "coverage", "coverage_state", "targets", "comparable_targets", "similarity",
            "alignment", "shared_phrases", "keyness", "evidence")


def test_workbook_is_the_appendix(workbook, workbook_zh):
    _, wb = workbook
    assert set(APPENDIX) <= set(wb.sheetnames) and wb.sheetnames[0] == "notes"
    notes = "\n".join(str(c.value) for row in wb["notes"].iter_rows() for c in row)
    assert "Benjamini–Hochberg" in notes and "newspaper feature" in notes and "in-sample" in notes
    for ws in wb.worksheets:
        if ws.max_row > 1:
            assert ws.auto_filter.ref == ws.dimensions, ws.title
    ev = wb["evidence"]
    text_col = next(c.column_letter for c in ev[1] if c.value == "text")
    wrapped = [c for c in ev[text_col][1:] if c.alignment.wrap_text]
    assert wrapped  # the long text column wraps
    header = [c.value for c in wb["keyness"][1]]
    sig = header.index("significant")
    assert all(row[sig] == "yes" for row in wb["keyness"].iter_rows(min_row=2, values_only=True))


def test_workbook_zh_edition_speaks_chinese(workbook_zh):
    from analysis.coverage import STATES, label

    _, wb = workbook_zh
    assert wb.sheetnames[:3] == [workbook_module.text("sheet", s, lang="zh") for s in APPENDIX[:3]]
    for ws in wb.worksheets:
        latin = [c.value for c in ws[1] if re.fullmatch(r"[a-z_0-9]+", str(c.value))]
        assert not latin, (ws.title, latin)  # every header is translated
    states = {c for row in wb["覆盖状态矩阵"].iter_rows(min_row=2, values_only=True) for c in row[2:]}
    assert states <= {label(f"state.{s}", lang="zh") for s in STATES}


def test_workbook_has_one_sheet_per_table(processed, workbook):
    _, wb = workbook
    data = commands.read_tables(processed)
    sheets = workbook_module.workbook_tables(data, lang="en")
    assert wb.sheetnames == list(sheets)
    for name, frame in sheets.items():
        ws = wb[name]
        assert ws.max_row == len(frame) + 1
        assert [c.value for c in ws[1]] == [str(c) for c in frame.columns]


def test_workbook_header_is_frozen_bold_and_fitted(workbook):
    _, wb = workbook
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert all(c.font.b for c in ws[1])
    ws = wb["document_profiles"]
    widths = {c.value: ws.column_dimensions[c.column_letter].width for c in ws[1]}
    assert widths["caveat_en"] > 40 and widths["year"] < 10
    assert max(widths.values()) <= workbook_module.MAX_COLUMN_WIDTH


def test_workbook_matrix_matches_the_coverage_table(processed, workbook):
    _, wb = workbook
    cov = tables.read_csv("coverage.csv", in_dir=processed)
    from analysis.coverage import label

    ws = wb["coverage_state"]
    header = [c.value for c in ws[1]]
    states = {(row[0], header[j]): row[j] for row in ws.iter_rows(min_row=2, values_only=True)
              for j in range(2, len(header))}
    prof = tables.read_csv("document_profiles.csv", in_dir=processed).set_index("region")
    for cell in cov.itertuples():
        assert states[(cell.domain, prof.loc[cell.region, "name_en"])] == label(f"state.{cell.state}", lang="en")


def test_workbook_is_reproducible(processed, workbook, tmp_path):
    path, _ = workbook
    again = tmp_path / "again.xlsx"
    assert run("export", "--xlsx", again, "--in", processed, "--lang", "en").returncode == 0
    assert again.read_bytes() == path.read_bytes()


@pytest.mark.parametrize("region, domain, quantity", [
    ("shulan", "elderly_care", "105户"),
    ("weiyang", "child_welfare", "60%"),
    ("yanta", "community_governance", "30个"),  # 240个 社区社工室 belongs to charity_social_work, the primary
    ("baoji", "marriage", None),
])
def test_evidence_prints_task_ids_and_offsets_that_quote_the_source(processed, region, domain, quantity):
    done = run("evidence", "--region", region, "--domain", domain, "--in", processed)
    assert done.returncode == 0, done.stderr
    raw = next(d.text for d in corpus.load(regions=[region]))
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"{region} x {domain} (")
    assert any(ln.startswith(f"{region}-") for ln in lines)
    n_kwic = n_values = 0
    for ln in lines:
        if m := KWIC_RE.match(ln):
            assert raw[int(m[1]):int(m[2])] == re.sub("[【】]", "", m[3])
            n_kwic += 1
        elif m := VALUE_RE.match(ln):
            assert raw[int(m[3]):int(m[4])] == m[2]
            n_values += 1
    assert n_kwic
    if quantity:
        assert any(f" {quantity} [" in ln for ln in lines)
    else:
        assert n_values == 0


def test_evidence_for_an_absent_cell(processed):
    done = run("evidence", "--region", "xuanzhou", "--domain", "place_names", "--in", processed)
    assert done.returncode == 0
    assert "absent" in done.stdout and "no task of this region addresses this domain" in done.stdout


def test_kwic_finds_every_occurrence_with_offsets_into_the_raw_file(processed):
    import json

    raw = {d.region: d.text for d in corpus.load()}
    done = run("kwic", "家庭养老床位", "--window", "10", "--format", "json", "--in", processed)
    assert done.returncode == 0, done.stderr
    hits = json.loads(done.stdout)
    assert {h["region"] for h in hits} == {r for r, t in raw.items() if "家庭养老床位" in t}
    assert len(hits) == sum(t.count("家庭养老床位") for t in raw.values())
    for h in hits:
        text = raw[h["region"]]
        assert text[h["start"]:h["end"]] == h["keyword"] == "家庭养老床位"
        assert text[h["start"] - len(h["left"]):h["start"]] == h["left"] and len(h["left"]) <= 10
        assert text[h["end"]:h["end"] + len(h["right"])] == h["right"]


def test_kwic_text_and_csv_and_filters(processed):
    done = run("kwic", "養老", "--regions", "SHULAN", "--format", "csv", "--in", processed)  # traditional, any case
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "region,doc_id,task_id,start,end,left,keyword,right"
    assert len(lines) > 2 and all(ln.startswith("shulan,") for ln in lines[1:] if ln[:1].isalpha() and "," in ln[:8])
    text = run("kwic", "养老", "--window", "5", "--in", processed).stdout.splitlines()
    assert text[0].startswith(f"{len([ln for ln in text[1:]])} occurrence(s) of '养老'")
    assert all(" | 养老 | " in ln for ln in text[1:])


def test_evidence_as_json_and_csv(processed):
    import json

    done = run("evidence", "--region", "Shulan City", "--domain", "养老服务", "--format", "json", "--in", processed)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["region"] == "shulan" and doc["domain"] == "elderly_care" and doc["rows"]
    csv_out = run("evidence", "--region", "shulan", "--domain", "elderly_care", "--format", "csv", "--in", processed)
    assert csv_out.stdout.splitlines()[0].startswith("region,task_id,domain,is_primary,source,start,end,text")


@pytest.mark.parametrize("args, hint", [
    (["charts", "--regoins", "weiyang"], "did you mean '--regions'?"),
    (["chart"], "did you mean 'charts'?"),
    (["kwic", "养老", "--windw", "5"], "did you mean '--window'?"),
])
def test_misspelled_flags_and_commands_get_a_suggestion(processed, args, hint):
    done = run(*args, "--in", processed)
    assert done.returncode == 2 and hint in done.stderr


def test_help_is_quick():
    import time

    t0 = time.perf_counter()
    assert run("--help").returncode == 0
    assert time.perf_counter() - t0 < 1.5  # generous on a shared machine; the cause is checked below


def test_help_and_usage_errors_import_no_heavy_library():
    """``--help`` and a usage error answer before pandas, matplotlib or jieba load (the speed is measured in
    the benchmark; this checks the cause)."""
    code = ("import sys; from analysis import cli\n"
            "try:\n    cli.main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('pandas', 'matplotlib', 'jieba', 'sklearn') if m in sys.modules))")
    for argv in (["--help"], ["charts", "--help"], ["build", "--workers"], ["nonsense"]):
        done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True)
        assert done.stdout.splitlines()[-1] == "[]", (argv, done.stdout, done.stderr)


def test_validate_says_which_build_the_tables_are_from():
    done = run("validate")
    assert done.returncode == 0, done.stdout + done.stderr
    first = done.stdout.splitlines()[0]
    n_tables = len(list(config.PROCESSED.glob("*.csv")))
    assert first.startswith("tables from the build of ../raw/manifest.csv (sha256 ") and f"{n_tables} tables" in first


@pytest.fixture(scope="module")
def documents():
    import pandas as pd

    return pd.DataFrame(corpus.read_manifest())


@pytest.mark.parametrize("filters, expected", [
    ({"province": ["陕西"]}, ["weiyang", "baoji", "yanta"]),
    ({"province": ["shaanxi"], "year": ["2023"]}, ["weiyang", "yanta"]),
    ({"prefecture": ["西安市"]}, ["weiyang", "yanta"]),
    ({"level": ["区"]}, ["weiyang", "yanta", "xuanzhou"]),
    ({"year": ["2019-2021"]}, ["baoji"]),
    ({"doc_type": ["task list"]}, ["xuanzhou"]),
    ({"doc_type": ["工作计划", "newspaper_feature"]}, ["weiyang", "shulan", "baoji"]),
])
def test_document_filters(documents, filters, expected):
    from analysis.report import selection

    assert selection.filtered(documents, **filters) == expected


def test_filters_combine_with_regions_and_name_bad_values(documents):
    from analysis.errors import UsageError
    from analysis.report import selection

    prof = documents.assign(doc_id=documents["doc_id"].astype(int))
    assert selection.shown(prof, documents, names=["Weiyang District", "舒兰市"], province=["陕西省"]) == ["weiyang"]
    with pytest.raises(UsageError, match="did you mean 'work_plan'"):
        selection.filtered(documents, doc_type=["work_plna"])
    with pytest.raises(UsageError, match="no document matches"):
        selection.shown(prof, documents, names=["shulan"], province=["陕西"])
    with pytest.raises(UsageError, match="bad year"):
        selection.filtered(documents, year=["twenty"])

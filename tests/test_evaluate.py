"""The ``evaluate`` stage never stops a build: stale, missing, empty or malformed hand labels and a corpus
without the labelled plans each give one warning line naming the label file and the cause, and the
scores that cannot be computed are skipped (their tables written with the columns only)."""

from __future__ import annotations

import dataclasses
import logging
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import clusters, config, corpus, evaluate, pipeline

DOMAIN_FILE = "data/labels/domain_labels.csv"
QUANTITY_FILE = "data/labels/quantity_labels.csv"

#: An invented plan (not one of the five seeds): two sections, four items.
INVENTED_PLAN = """某某县民政局2024年工作要点
一、兜牢民生底线
（一）完善社会救助体系。新增低保对象200户，落实临时救助制度。
（二）加强养老服务。年底前建成社区养老服务站10个，新增家庭养老床位50张。
二、加强基层治理
（一）推进社区建设。开展城乡社区协商示范活动，培育社会组织30家。
（二）规范地名管理。完成地名信息普查，更新标准地名数据库。
"""


@pytest.fixture(scope="module")
def extracted():
    """The five seed plans up to the ``extract`` stage (what ``evaluate`` reads)."""
    return pipeline.run(stages=["extract"])


@pytest.fixture()
def labels_root(tmp_path, monkeypatch):
    """A project root in ``tmp_path`` holding a copy of the hand labels, which the stage reads."""
    folder = tmp_path / "data" / "labels"
    folder.mkdir(parents=True)
    for name in ("domain_labels.csv", "quantity_labels.csv"):
        shutil.copy(config.DATA / "labels" / name, folder / name)
    monkeypatch.setattr(config, "ROOT", tmp_path)
    monkeypatch.setattr(evaluate.domains, "LABELS_PATH", folder / "domain_labels.csv")
    monkeypatch.setattr(evaluate.quantities, "LABELS_PATH", folder / "quantity_labels.csv")
    return tmp_path


def _evaluate(ctx, caplog):
    ctx = dataclasses.replace(ctx, tables={}, evaluation_warnings=[])
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        evaluate.build(ctx)  # must not raise
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    return ctx, lines


def _table(ctx, name) -> pd.DataFrame:
    return ctx.tables[name].frame


def _edit(root: Path, name: str, edit) -> None:
    path = root / "data" / "labels" / name
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    edit(frame).to_csv(path, index=False)


def test_the_seed_labels_give_no_warning(extracted, labels_root, caplog):
    ctx, lines = _evaluate(extracted, caplog)
    assert lines == []
    assert ctx.evaluation_warnings == []
    warnings_ = _table(ctx, evaluate.EVALUATION_WARNINGS)
    assert list(warnings_.columns) == list(evaluate.EVALUATION_WARNING_COLUMNS) and warnings_.empty
    assert set(_table(ctx, "domain_validation.csv")["method"]) == {"lexicon", "lexicon_loro_tuned", "supervised_loro"}
    assert set(_table(ctx, "targets_validation.csv")["rule"]) == {"extractor", "doc_type_prior"}
    assert "hand_labels" in set(_table(ctx, "cluster_agreement.csv")["against"])


def test_labels_naming_tasks_not_in_the_build_are_skipped_with_one_warning(extracted, labels_root, caplog):
    renamed = {"weiyang-01-01": "weiyang-91-01", "weiyang-01-02": "weiyang-91-02", "shulan-01-01": "shulan-91-01"}

    def edit(f):
        assert set(renamed) <= set(f["task_id"])
        f["task_id"] = f["task_id"].replace(renamed)
        return f

    _edit(labels_root, "domain_labels.csv", edit)
    ctx, lines = _evaluate(extracted, caplog)
    assert len(lines) == 1
    assert lines[0].startswith(f"{DOMAIN_FILE}: 3 of 145 labels name tasks not in this build (first: weiyang-91-01)")
    assert "scoring skipped for them" in lines[0]
    row = _table(ctx, evaluate.EVALUATION_WARNINGS).iloc[0]
    assert (row["step"], row["file"], row["cause"], row["skipped"]) == ("domains", DOMAIN_FILE, "tasks_not_in_build", 3)
    lexicon = _table(ctx, "domain_validation.csv").query("method == 'lexicon' and domain == 'primary_accuracy'")
    assert int(lexicon["support"].iloc[0]) == 145 - 3  # scored on the labels that still fit


def test_labels_whose_quote_left_the_task_are_skipped(extracted, labels_root, caplog):
    def edit(f):
        assert (f["task_id"] == "yanta-01-01").sum() == 1
        f.loc[f["task_id"] == "yanta-01-01", "quote"] = "这句话从未出现在任何计划里"
        return f

    _edit(labels_root, "domain_labels.csv", edit)
    ctx, lines = _evaluate(extracted, caplog)
    assert lines == [f"{DOMAIN_FILE}: 1 of 145 labels quote text no longer in their task (first: yanta-01-01) — "
                     f"scoring skipped for them; relabel or rebuild the labels"]
    lexicon = _table(ctx, "domain_validation.csv").query("method == 'lexicon' and domain == 'primary_accuracy'")
    assert int(lexicon["support"].iloc[0]) == 144


def test_a_quantity_label_no_longer_in_its_plan_drops_that_region_only(extracted, labels_root, caplog):
    def edit(f):
        first = f.index[f["region"] == "shulan"][0]
        f.loc[first, "context"] = f.loc[first, "context"] + "（编辑后新增的文字）"
        return f

    _edit(labels_root, "quantity_labels.csv", edit)
    ctx, lines = _evaluate(extracted, caplog)
    assert len(lines) == 1 and lines[0].startswith(f"{QUANTITY_FILE}: 1 of 183 labels no longer occur once")
    assert "so shulan is not scored" in lines[0]
    labels = evaluate.quantities.load_labels()
    expected = ((labels["region"] != "shulan") & (labels["kind"] != "not_quantity")).sum()
    detection = _table(ctx, "targets_validation.csv").query("rule == 'extractor' and label == 'detection'")
    assert int(detection["support"].iloc[0]) == expected


@pytest.mark.parametrize("content, cause, words", [
    ("", "unreadable", "empty file, not even a header"),
    ("region,task_id,primary,secondary,quote,note\n", "no_labels", "a header but no labels"),
    ("region,task_id,primary,secondary,note\nweiyang,weiyang-01-01,party_building,,\n", "unreadable",
     "missing column(s) quote"),
    (None, "not_found", "label file not found"),
])
def test_a_broken_domain_label_file_skips_domain_scoring(extracted, labels_root, caplog, content, cause, words):
    path = labels_root / DOMAIN_FILE
    if content is None:
        path.unlink()
    else:
        path.write_text(content, encoding="utf-8")
    ctx, lines = _evaluate(extracted, caplog)
    assert len(lines) == 1 and lines[0].startswith(f"{DOMAIN_FILE}: {words}"), lines
    assert _table(ctx, evaluate.EVALUATION_WARNINGS)["cause"].tolist() == [cause]
    for name, columns in (("domain_validation.csv", evaluate.domains.VALIDATION_COLUMNS),
                          ("domain_confusion.csv", evaluate.domains.CONFUSION_COLUMNS),
                          ("domain_errors.csv", evaluate.domains.ERRORS_COLUMNS),
                          ("domain_tuning.csv", evaluate.domains.TUNING_COLUMNS),
                          ("domain_supervised.csv", evaluate.domains.SUPERVISED_COLUMNS)):
        frame = _table(ctx, name)
        assert frame.empty and tuple(frame.columns) == columns, name
    assert set(_table(ctx, "cluster_agreement.csv")["against"]) == {"lexicon"}
    assert not _table(ctx, "targets_validation.csv").empty  # the other file still scores


@pytest.mark.parametrize("content, words", [
    ("", "empty file, not even a header"),
    ("region,context,span,value,value_max,unit,per,kind,note\n", "a header but no labels"),
    ("region,context,span,value,unit\nweiyang,新增家庭养老床位100张,100张,100,张\n", "lacks column(s) kind"),
    ('region,context,span,value,unit,kind\n"weiyang,未闭合的引号\n', "not a UTF-8 CSV file"),
])
def test_a_broken_quantity_label_file_skips_quantity_scoring(extracted, labels_root, caplog, content, words):
    (labels_root / QUANTITY_FILE).write_text(content, encoding="utf-8")
    ctx, lines = _evaluate(extracted, caplog)
    assert len(lines) == 1 and lines[0].startswith(f"{QUANTITY_FILE}: {words}"), lines
    frame = _table(ctx, "targets_validation.csv")
    assert frame.empty and tuple(frame.columns) == evaluate.quantities.VALIDATION_COLUMNS
    assert not _table(ctx, "domain_validation.csv").empty


def test_labels_in_one_region_skip_the_held_out_scores(extracted, labels_root, caplog):
    keep = extracted.tasks["region"] == "weiyang"
    sub = dataclasses.replace(extracted, tasks=extracted.tasks[keep].reset_index(drop=True),
                              documents=[d for d in extracted.documents if d.region == "weiyang"],
                              targets=extracted.targets[extracted.targets["region"] == "weiyang"])
    ctx, lines = _evaluate(sub, caplog)
    assert len(lines) == 2  # one per label file
    assert lines[0].startswith(f"{DOMAIN_FILE}: 114 of 145 labels are for regions not in this build")
    assert "held-out scoring needs 2" in lines[0]
    assert lines[1].startswith(f"{QUANTITY_FILE}: 144 of 183 labels are for regions not in this build")
    assert set(_table(ctx, "domain_validation.csv")["method"]) == {"lexicon"}
    assert _table(ctx, "domain_tuning.csv").empty
    assert not _table(ctx, "targets_validation.csv").empty


def test_a_corpus_without_the_labelled_plans_builds_with_warnings(labels_root, caplog):
    doc = corpus.Document(doc_id="900", region="mouxian",
                          meta={"doc_type": "work_plan", "layout": "auto", "task_unit": "", "year": "2024",
                                "title": "某某县民政局2024年工作要点", "name_zh": "某某县", "name_en": "Mou County"},
                          text=INVENTED_PLAN, path=Path("900_mouxian.txt"))
    ctx = pipeline.Context(manifest_path=Path("manifest.csv"), raw_dir=Path("."), documents=[doc], workers=1)
    for name in ("segment", "tokenize", "classify", "extract"):
        dict(pipeline.STAGES)[name](ctx)
    assert len(ctx.tasks) >= 4
    ctx, lines = _evaluate(ctx, caplog)
    assert len(lines) == 3, lines
    assert lines[0].startswith(f"{DOMAIN_FILE}: 145 of 145 labels are for regions not in this build")
    assert lines[1].startswith(f"{QUANTITY_FILE}: 183 of 183 labels are for regions not in this build")
    assert lines[2].startswith("clusters: ")
    assert _table(ctx, evaluate.EVALUATION_WARNINGS)["step"].tolist() == ["domains", "quantities", "clusters"]
    for name in ("domain_validation.csv", "targets_validation.csv", "clusters.csv", "cluster_agreement.csv"):
        assert _table(ctx, name).empty, name


def test_an_unexpected_error_in_one_step_is_a_warning_and_the_others_run(extracted, labels_root, caplog,
                                                                          monkeypatch):
    def broken(ctx):
        raise KeyError("nonsense")

    monkeypatch.setattr(clusters, "build", broken)
    ctx, lines = _evaluate(extracted, caplog)
    assert lines == ["evaluate: clusters skipped after an unexpected KeyError: 'nonsense'"]
    assert "domain_validation.csv" in ctx.tables and "targets_validation.csv" in ctx.tables


def test_load_labels_still_raises_for_direct_callers(tmp_path):
    from analysis.errors import InputError

    empty = tmp_path / "labels.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="labels.csv: empty file"):
        evaluate.domains.load_labels(empty)
    with pytest.raises(InputError, match="labels.csv: empty file"):
        evaluate.quantities.load_labels(empty)


PACKAGE = Path(__file__).resolve().parents[1] / "src" / "analysis"
#: ``compare.task_domains`` still falls back to the hand labels: issue 12 removes that with compare's split.
LABEL_READERS_PENDING = ("compare.py",)


def _imports(path: Path) -> set[str]:
    """Every ``analysis`` name ``path`` imports (modules, and ``module.name`` for ``from`` imports), at the
    top or inside a function."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return {n for n in found if n.startswith("analysis")}


def test_only_evaluate_reads_the_hand_labels():
    reads = re.compile(r"""LABELS_PATH|DATA\s*/\s*["']labels["']|["']data/labels""")
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith("evaluate/") or rel in LABEL_READERS_PENDING:
            continue
        assert not reads.search(path.read_text(encoding="utf-8")), rel


@pytest.mark.parametrize("stage", ["domains", "quantities", "clusters.py"])
def test_processing_stages_neither_draw_nor_evaluate(stage):
    banned = ("analysis.charts", "analysis.report", "analysis.pipeline", "analysis.cli", "analysis.evaluate")
    paths = [PACKAGE / stage] if stage.endswith(".py") else sorted((PACKAGE / stage).rglob("*.py"))
    for path in paths:
        bad = [n for n in _imports(path) if n.startswith(banned)]
        assert not bad, (path.name, bad)
        assert "matplotlib" not in path.read_text(encoding="utf-8"), path.name

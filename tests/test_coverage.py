"""Coverage matrix and document profiles (issue 5), checked against the task and target tables.

The tasks are the real segmentation of the five plans. Their domains are the hand labels in
``data/labels/domain_labels.csv`` (not the classifier under development), and the quantities are
the hand-labelled ones in ``data/labels/quantity_labels.csv``, located in the raw text — so every
count below is about real sentences, recounted here independently of :mod:`analysis.coverage`.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd
import pytest

from analysis import config, corpus, coverage, pipeline

LABELS = config.DATA / "labels"


@lru_cache(maxsize=1)
def _segmented():
    return pipeline.run(stages=["load", "segment", "tokenize"])


def documents() -> list:
    return _segmented().documents


def labelled_tasks() -> pd.DataFrame:
    """The real tasks with the hand-labelled domains as ``domain`` / ``domains``."""
    tasks = _segmented().tasks.copy()
    labels = pd.read_csv(LABELS / "domain_labels.csv", keep_default_na=False).set_index("task_id")
    tasks["domain"] = tasks["task_id"].map(labels["primary"])
    secondary = tasks["task_id"].map(labels["secondary"]).fillna("")
    tasks["domains"] = [p + (";" + s if s else "") for p, s in zip(tasks["domain"], secondary)]
    tasks["domain_evidence"] = ""
    assert tasks["domain"].notna().all()
    return tasks


def labelled_targets(tasks: pd.DataFrame | None = None) -> pd.DataFrame:
    """The hand-labelled quantities (kinds target / achievement / baseline / other) with offsets."""
    tasks = labelled_tasks() if tasks is None else tasks
    raw = {d.region: d.text for d in documents()}
    labels = pd.read_csv(LABELS / "quantity_labels.csv", keep_default_na=False, dtype=str)
    rows = []
    for r in labels.itertuples():
        if r.kind not in ("target", "achievement", "baseline", "other"):
            continue
        at = raw[r.region].find(r.context)
        assert at >= 0, r.context
        start = raw[r.region].index(r.span, at)
        owner = tasks[(tasks["region"] == r.region) & (tasks["start"] <= start) & (tasks["end"] > start)]
        rows.append({"region": r.region, "task_id": owner["task_id"].iloc[0], "value": r.value, "unit": r.unit,
                     "kind": r.kind, "indicator": "", "domain": "", "span": r.span, "start": start,
                     "end": start + len(r.span), "is_full_coverage": r.unit == "%" and r.value == "100"})
    return pd.DataFrame(rows)


@lru_cache(maxsize=1)
def labelled_tables():
    """(tasks, targets, coverage, profiles) from the hand labels."""
    tasks = labelled_tasks()
    targets = labelled_targets(tasks)
    regions = [(d.region, d.doc_id) for d in documents()]
    cov = coverage.matrix(tasks, targets, regions=regions, tax=coverage.taxonomy())
    prof = coverage.profiles(documents(), tasks, cov)
    return tasks, targets, cov, prof


@pytest.fixture(scope="module")
def tables():
    return labelled_tables()


def test_taxonomy_has_codes_and_names():
    tax = coverage.taxonomy()
    assert {"code", "name_zh", "name_en"} <= set(tax.columns)
    assert tax["code"].is_unique and "other" in set(tax["code"])
    assert "other" not in coverage.headline_domains(tax)


def test_matrix_has_every_region_and_domain_once(tables):
    _, _, cov, _ = tables
    regions = [d.region for d in documents()]
    codes = coverage.taxonomy()["code"].tolist()
    assert list(cov.columns) == coverage.COVERAGE_COLUMNS
    assert len(cov) == len(regions) * len(codes)
    assert not cov.duplicated(["region", "domain"]).any()
    assert set(cov["state"]) <= set(coverage.STATES)


def test_task_counts_match_the_task_table(tables):
    tasks, _, cov, _ = tables
    proper = tasks[~tasks["is_preamble"]]
    for cell in cov.itertuples():
        mine = proper[proper["region"] == cell.region]
        multi = sum(cell.domain in d.split(";") for d in mine["domains"])
        primary = (mine["domain"] == cell.domain).sum()
        assert (cell.n_tasks, cell.n_tasks_primary) == (multi, primary), (cell.region, cell.domain)
        assert cell.share_tasks == pytest.approx(primary / len(mine))
        chars = mine.loc[mine["domain"] == cell.domain, "n_chars"].sum()
        assert cell.share_chars == pytest.approx(chars / mine["n_chars"].sum())


def test_primary_shares_sum_to_one_per_region(tables):
    _, _, cov, _ = tables
    sums = cov.groupby("region")[["share_tasks", "share_chars"]].sum()
    assert sums.to_numpy() == pytest.approx(1.0)


def test_target_counts_match_the_target_table(tables):
    tasks, targets, cov, _ = tables
    primary = dict(zip(tasks["task_id"], tasks["domain"]))
    preamble = set(tasks.loc[tasks["is_preamble"], "task_id"])
    kept = targets[~targets["task_id"].isin(preamble)]
    counts = kept.groupby([kept["region"], kept["task_id"].map(primary), kept["kind"]]).size()
    for cell in cov.itertuples():
        for kind, col in (("target", "n_targets"), ("achievement", "n_achievements"), ("baseline", "n_baselines")):
            assert getattr(cell, col) == counts.get((cell.region, cell.domain, kind), 0), (cell.region, cell.domain)
    assert cov["n_targets"].sum() + cov["n_achievements"].sum() > 0


def test_state_rule(tables):
    _, _, cov, _ = tables
    assert (cov["state"] == "target").equals(cov["n_targets"] > 0)
    assert (cov["state"] == "result").equals((cov["n_targets"] == 0) & (cov["n_achievements"] > 0))
    numbers = (cov["n_targets"] + cov["n_achievements"] + cov["n_baselines"]) > 0
    assert not (numbers & (cov["state"] == "mentioned")).any()   # never amber while it holds numbers
    assert (cov["state"] == "absent").equals(~numbers & (cov["n_tasks"] == 0) & (cov["state"] != "baseline"))


@pytest.mark.parametrize("counts, state", [
    ((2, 1, 0, 3), "target"), ((0, 4, 1, 1), "result"), ((0, 0, 2, 1), "baseline"), ((0, 0, 0, 2), "mentioned"),
    ((0, 0, 0, 0), "absent"), ((0, 0, 1, 0), "baseline"),
])
def test_cell_states_from_counts(counts, state):
    t, a, n, k = counts
    assert coverage.cell_states(n_targets=[t], n_achievements=[a], n_numbers=[t + a + n], n_tasks=[k])[0] == state


@pytest.mark.parametrize("region, domain, state, why", [
    ("weiyang", "elderly_care", "target", "新增家庭养老床位100张"),
    ("shulan", "elderly_care", "target", "完成不少于105户改造任务"),
    ("yanta", "child_welfare", "result", "建成8个街道未保站、238个社区儿童之家 (achievements, no target)"),
    ("baoji", "elderly_care", "baseline", "养老床位共计23800张 is a baseline, not a target"),
    ("xuanzhou", "place_names", "absent", "the task list has no place-name task"),
    ("shulan", "disability_welfare", "mentioned", "（二十九）稳步推进残疾人福利工作, no number"),
    ("weiyang", "other", "absent", "only the front matter is 'other', and it is excluded"),
])
def test_real_cells(tables, region, domain, state, why):
    _, _, cov, _ = tables
    cell = cov[(cov["region"] == region) & (cov["domain"] == domain)].iloc[0]
    assert cell["state"] == state, why


def test_preamble_quantities_are_not_counted(tables):
    tasks, targets, cov, _ = tables
    before = cov.set_index(["region", "domain"])
    raw = {d.region: d.text for d in documents()}
    # A number in Baoji's front matter: "市民政局被人社部、民政部表彰为…" follows "2019年"; make it a target.
    start = raw["baoji"].index("2019年")
    fake = pd.DataFrame([{"region": "baoji", "task_id": "baoji-00-00", "value": "2019", "unit": "年",
                          "kind": "target", "indicator": "", "domain": "", "span": "2019年", "start": start,
                          "end": start + 5, "is_full_coverage": False}])
    regions = [(d.region, d.doc_id) for d in documents()]
    after = coverage.matrix(tasks, pd.concat([targets, fake]), regions=regions, tax=coverage.taxonomy())
    assert after.set_index(["region", "domain"])["n_targets"].equals(before["n_targets"])


def test_target_domain_overrides_task_domain(tables):
    tasks, targets, _, _ = tables
    row = targets[targets["span"] == "100张"].iloc[[0]].assign(domain="charity_social_work")
    regions = [("weiyang", "000")]
    cov = coverage.matrix(tasks, row, regions=regions, tax=coverage.taxonomy()).set_index("domain")
    assert cov.loc["charity_social_work", "n_targets"] == 1
    assert cov.loc["elderly_care", "n_targets"] == 0


def test_empty_targets_give_no_quantified_cells(tables):
    tasks = tables[0]
    regions = [(d.region, d.doc_id) for d in documents()]
    empty = pd.DataFrame(columns=["region", "task_id", "value", "unit", "kind", "span", "start", "end"])
    cov = coverage.matrix(tasks, empty, regions=regions, tax=coverage.taxonomy())
    assert not cov["state"].isin(("target", "result", "baseline")).any()
    assert (cov["state"] == "mentioned").sum() == (cov["n_tasks"] > 0).sum()


def test_document_profiles(tables):
    tasks, _, cov, prof = tables
    assert list(prof.columns) == coverage.PROFILE_COLUMNS
    p = prof.set_index("region")
    assert (p.loc["baoji", "year"], p.loc["baoji", "doc_type"]) == (2020, "newspaper_feature")
    assert "2020" in p.loc["baoji", "caveat_en"] and "newspaper feature" in p.loc["baoji", "caveat_en"]
    assert "报纸" in p.loc["baoji", "caveat_zh"]
    assert "summary of results" in p.loc["yanta", "caveat_en"] and "2023" in p.loc["yanta", "caveat_zh"]
    assert (p.loc[["weiyang", "shulan", "xuanzhou"], "caveat_en"] == "").all()
    for region, row in p.iterrows():
        mine = tasks[(tasks["region"] == region) & ~tasks["is_preamble"]]
        assert row["n_tasks"] == len(mine)
        assert row["n_task_chars"] == mine["n_chars"].sum() <= row["n_chars"]
        assert 0.5 < row["share_task_chars"] <= 1
        cells = cov[(cov["region"] == region) & (cov["domain"] != "other")]
        assert row["n_domains"] == (cells["state"] != "absent").sum()


def test_build_on_the_pipeline_context():
    """The stage contract: ``build(ctx)`` adds both tables for the real pipeline, whatever the classifier."""
    ctx = pipeline.run(stages=["load", "segment", "tokenize", "classify", "extract", "coverage"])
    cov = ctx.tables["coverage.csv"].frame
    prof = ctx.tables["document_profiles.csv"].frame
    assert list(cov.columns) == coverage.COVERAGE_COLUMNS
    assert len(prof) == len(ctx.documents) == cov["region"].nunique()
    assert list(ctx.tables["coverage.csv"].sort_by) == ["doc_id", "domain_rank"]
    proper = ctx.tasks[~ctx.tasks["is_preamble"]]
    assert cov.groupby("region")["n_tasks_primary"].sum().sum() == len(proper)


# ---------------------------------------------------------------------------------------- evidence

BRACKETS_RE = re.compile(r"[【】]")


@pytest.mark.parametrize("region, domain, expect", [
    ("shulan", "elderly_care", "105户"),
    ("weiyang", "child_welfare", "60%"),
    ("xuanzhou", "elderly_care", "552户"),
    ("yanta", "child_welfare", "238个"),
    ("baoji", "funeral", None),
])
def test_evidence_quotes_the_raw_text(tables, region, domain, expect):
    tasks, targets, _, _ = tables
    raw = {d.region: d.text for d in documents()}
    rows = coverage.evidence(tasks, targets, region=region, domain=domain)
    assert len(rows) and (rows["region"] == region).all()
    owners = set(tasks.loc[(tasks["region"] == region) & ~tasks["is_preamble"]
                           & tasks["domains"].str.contains(domain), "task_id"])
    assert set(rows.loc[rows["source"] == "task", "task_id"]) == owners
    for r in rows.itertuples():
        assert raw[region][r.start:r.end] == BRACKETS_RE.sub("", r.text)
    if expect:
        quantities = rows[rows["source"] != "task"]
        assert any(f"【{expect}】" in t for t in quantities["text"])


def test_evidence_uses_domain_evidence_terms(tables):
    tasks = tables[0].copy()
    i = tasks.index[tasks["task_id"] == "shulan-03-13"][0]
    tasks.loc[i, "domain_evidence"] = "elderly_care: 适老化, 老年人; social_assistance: 特困"
    rows = coverage.evidence(tasks, None, region="shulan", domain="elderly_care")
    mine = rows[rows["task_id"] == "shulan-03-13"]
    assert any("【适老化】" in t for t in mine["text"])
    assert not any("【特困】" in t for t in mine["text"])


@pytest.mark.parametrize("evidence, domain, expect", [
    ("elderly_care: 养老服务, 床位 | child_welfare: 儿童之家", "elderly_care", ["养老服务", "床位"]),
    ("养老服务;床位", "elderly_care", ["养老服务", "床位"]),
    ("", "elderly_care", []),
])
def test_evidence_terms(evidence, domain, expect):
    text = "推进养老服务设施建设，新增家庭养老床位100张，建设儿童之家。"
    assert coverage.evidence_terms(evidence, text, domain=domain) == expect


def test_sentences_offsets():
    text = "（十一）提升机构养老服务水平。实施综合福利中心失能区改造；新增床位。"
    for s0, s1, s in coverage.sentences(text, offset=100):
        assert text[s0 - 100:s1 - 100] == s
    assert [s for *_, s in coverage.sentences(text)] == [
        "（十一）提升机构养老服务水平。", "实施综合福利中心失能区改造；", "新增床位。"]


def test_corpus_regions_match_profiles(tables):
    prof = tables[3]
    assert prof["region"].tolist() == [r["region"] for r in corpus.read_manifest()]

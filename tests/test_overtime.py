"""Several documents per bureau (issue 17), on the made-up bureaus of tests/data/bureaus (invented test data):
each added with `analysis add` as a researcher would, then built. The expected statuses below follow from how
the fixture documents were written (see tests/data/bureaus/README.md), not from the program's output."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import add, corpus, pipeline
from analysis.overtime import changes as changes_
from analysis.overtime import targets as targets_

BUREAUS = Path(__file__).parent / "data" / "bureaus"
#: (file, --region, --name, --year, --type), in the order a researcher adds them.
FILES = [
    ("shifan_2022_plan.txt", "shifan", "示范县", "2022", "work_plan"),
    ("shifan_2022_summary.txt", "shifan", "示范县", "2022", "work_summary"),
    ("shifan_2023_plan.txt", "shifan", "示范县", "2023", "work_plan"),
    ("yangban_2023_plan.txt", "yangban", "样板区", "2023", "work_plan"),
    ("yangban_2023_summary_and_plan.txt", "yangban", "样板区", "2023", "work_summary_and_plan"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("bureaus")
    raw = root / "data" / "raw"
    raw.mkdir(parents=True)
    manifest = raw / "manifest.csv"
    for name, region, name_zh, year, doc_type in FILES:
        add.add(BUREAUS / name, region=region, name_zh=name_zh, year=year, doc_type=doc_type, manifest=manifest,
                source_note="MADE-UP TEST DATA (tests/data/bureaus)")
    ctx = pipeline.run(manifest=manifest, stages=["overtime"])
    return ctx, manifest


def _frame(ctx, name):
    return ctx.tables[name].frame


def test_every_document_is_kept_with_its_jurisdiction(built):
    ctx, manifest = built
    docs = corpus.load(manifest)
    assert [d.jurisdiction for d in docs] == ["shifan", "shifan", "shifan", "yangban", "yangban"]
    assert len({d.region for d in docs}) == 5
    prof = _frame(ctx, "document_profiles.csv").set_index("region")
    assert prof.loc["shifan_2023_work_plan", "is_latest_plan"] and not prof.loc["shifan", "is_latest_plan"]
    assert prof.loc["yangban", "is_latest_plan"]  # a summary-plus-plan report is not a plan document
    assert set(ctx.tasks["task_id"].str.rsplit("-", n=2).str[0]) == set(prof.index)  # ids keyed by document


def _statuses(frame, jurisdiction, year):
    rows = frame[(frame["jurisdiction"] == jurisdiction) & (frame["year"] == year) & (frame["region"] != "")]
    return dict(zip(rows["indicator"], rows["status"]))


def test_shifan_2022_targets_followed_to_its_summary(built):
    follow = _frame(built[0], "target_followup.csv")
    assert _statuses(follow, "shifan", 2022) == {
        "城市低保标准": "met", "农村低保标准": "met", "特困人员集中供养率": "not_reported",
        "家庭养老床位": "exceeded", "社区养老服务站": "partly_met", "敬老院适老化改造": "met",
        "儿童之家覆盖率": "not_reported", "火化率": "met"}
    beds = follow[(follow["indicator"] == "家庭养老床位") & (follow["year"] == 2022)].iloc[0]
    assert (beds["target_value"], beds["result_value"]) == (200, 260)
    assert "新增家庭养老床位200张" in beds["target_sentence"] and "新增家庭养老床位260张" in beds["result_sentence"]
    extra = follow[(follow["status"] == "reported_without_target") & (follow["jurisdiction"] == "shifan")]
    assert "临时救助资金" in set(extra["indicator"])


def test_a_summary_and_plan_report_reports_its_year_and_plans_the_next(built):
    follow = _frame(built[0], "target_followup.csv")
    assert _statuses(follow, "yangban", 2023) == {
        "城市低保标准": "met", "临时救助资金": "exceeded", "养老机构床位": "partly_met",
        "街道综合养老服务中心": "met", "婚姻登记合格率": "not_reported"}
    later = follow[(follow["jurisdiction"] == "yangban") & (follow["year"] == 2024)]
    assert set(later["status"]) == {"not_reported"} and not later["has_report"].any()  # no 2024 report yet


def test_tasks_carried_over_dropped_and_added_between_two_plans(built):
    ch = _frame(built[0], "task_changes.csv")
    shifan = ch[ch["jurisdiction"] == "shifan"]
    carried = shifan[shifan["status"] == "carried_over"]
    assert sorted(carried["task_id"]) == ["shifan-01-01", "shifan-02-01", "shifan-03-01", "shifan-04-01"]
    assert sorted(shifan.loc[shifan["status"] == "dropped", "task_id"]) == [
        "shifan-01-02", "shifan-01-03", "shifan-02-02", "shifan-03-02", "shifan-04-02"]
    assert sorted(shifan.loc[shifan["status"] == "added", "other_task_id"]) == [
        "shifan_2023_work_plan-01-02", "shifan_2023_work_plan-02-02"]
    row = carried[carried["task_id"] == "shifan-02-01"].iloc[0]
    assert "新增家庭养老床位" in row["shared_phrase"] and (row["year"], row["other_year"]) == (2022, 2023)
    yangban = ch[ch["jurisdiction"] == "yangban"]
    assert set(yangban["other_year"]) == {2024}  # the report's plan part plans the next year


def test_pairs_compared_a_group_at_a_time_give_the_same_rows(built, monkeypatch):
    """Issue 18: the n-gram counts are made per group of pairs (bounded memory); a pair's rows depend on its two
    documents only, so groups of one pair (a group size of one task) give the rows of one corpus-wide group."""
    ctx = built[0]
    profiles = _frame(ctx, "document_profiles.csv")
    whole = changes_.task_changes(ctx.tasks, profiles)
    assert len(set(zip(whole["region"], whole["other_region"]))) >= 2  # two pairs: shifan's and yangban's
    monkeypatch.setattr(changes_, "CHANGES_GROUP_TASKS", 1)
    pd.testing.assert_frame_equal(changes_.task_changes(ctx.tasks, profiles), whole)


def test_one_document_per_bureau_gives_empty_tables(seg_ctx):
    ctx = pipeline.run(stages=["overtime"])
    assert ctx.tables["task_changes.csv"].frame.empty and ctx.tables["target_followup.csv"].frame.empty


@pytest.mark.parametrize("target, result, comparator, expected", [
    (200, 260, "新增", "exceeded"), (200, 205, "新增", "met"), (200, 200, "达到", "met"),
    (10, 8, "建成", "partly_met"), (5, 4, "控制在", "met"), (5, 6, "不超过", "partly_met"),
])
def test_status_ladder(target, result, comparator, expected):
    assert targets_.status(target, result, comparator=comparator) == expected


def test_indicator_key_drops_list_numbering():
    assert targets_.indicator_key("1.城市低保标准") == "城市低保标准" == targets_.indicator_key("一城市低保标准")
    assert targets_.indicator_key("12、婚姻登记合格率") == "婚姻登记合格率"


def test_matching_is_one_to_one_best_first():
    scores = np.array([[0.9, 0.8], [0.85, 0.4]])
    # (0, 0) is taken first; row 1's best column is then used, so it gets column 1 (0.4 >= 0.3)
    assert [(i, j) for i, j, _ in changes_.matches(scores, threshold=0.3)] == [(0, 0), (1, 1)]
    assert [(i, j) for i, j, _ in changes_.matches(scores, threshold=0.5)] == [(0, 0)]


def test_groups_count_each_bureau_once_and_shares_add_up(built):
    ctx, _ = built
    groups = _frame(ctx, "coverage_by_group.csv")
    for (group_by, topic_by, group), rows in groups.groupby(["group_by", "topic_by", "group"]):
        assert rows["share_tasks"].sum() == pytest.approx(1.0), (group_by, topic_by, group)
    levels = groups[(groups["group_by"] == "admin_level") & (groups["topic_by"] == "domain")]
    # each bureau once (its latest plan), though 示范县 has three documents and 样板区 two; the levels come from
    # the names (县 county, 区 district), as `add` takes them when --level is left out
    assert levels.groupby("group")["n_documents"].max().to_dict() == {"county": 1, "district": 1}
    latest = _frame(ctx, "document_profiles.csv").set_index("region")
    counted = latest.loc["shifan_2023_work_plan", "n_tasks"] + latest.loc["yangban", "n_tasks"]
    assert levels["n_tasks_primary"].sum() == counted


def test_cap_topics_follow_the_taxonomy_crosswalk(seg_ctx):
    from analysis import aggregate, taxonomy

    ctx = pipeline.run(stages=["coverage"])
    cov, prof = ctx.tables["coverage.csv"].frame, ctx.tables["document_profiles.csv"].frame
    cap = aggregate.by_group(cov, prof, group_by="province", topic_by="cap_major")
    tax = taxonomy.frame()
    expected = set(tax.loc[tax["cap_major_code"] != "", "cap_major_code"]) | {"none"}
    assert set(cap["topic"]) <= expected and "13" in set(cap["topic"])  # 13: Social Welfare
    shaanxi = cap[cap["group"] == "陕西省 Shaanxi"]
    assert set(shaanxi["n_documents"]) == {3}  # Weiyang, Baoji, Yanta


def test_domain_trends_list_each_document_of_a_bureau(built):
    trends = _frame(built[0], "domain_trends.csv")
    assert set(trends["region"]) == {"shifan", "shifan_2022_work_summary", "shifan_2023_work_plan", "yangban",
                                     "yangban_2023_work_summary_and_plan"}
    for region, rows in trends.groupby("region"):
        assert rows["share_tasks"].sum() == pytest.approx(1.0), region


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_over_time_charts_draw_in_both_languages_english_without_chinese(built, lang):
    import re

    from matplotlib.text import Text

    from analysis.report import groups, overtime

    ctx, _ = built
    prof = _frame(ctx, "document_profiles.csv")
    figs = [overtime.followup_chart(_frame(ctx, "target_followup.csv"), prof, lang=lang),
            overtime.changes_chart(_frame(ctx, "task_changes.csv"), prof, lang=lang),
            groups.group_heatmap(_frame(ctx, "coverage_by_group.csv"), group_by="admin_level", lang=lang)]
    for fig in figs:
        texts = [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
        assert texts
        if lang == "en":
            assert not [t for t in texts if re.search(r"[\u4e00-\u9fff]", t)], texts
    legend = [t.get_text() for t in figs[0].findobj(Text)]
    assert ("Exceeded" if lang == "en" else "超额完成") in legend


def test_over_time_charts_are_skipped_without_several_documents():
    from analysis.report import overtime

    empty = pd.DataFrame(columns=["jurisdiction"])
    assert overtime.followup_chart(empty, empty, lang="en") is None
    assert overtime.changes_chart(empty, empty, lang="zh") is None


def test_a_bureau_stands_for_its_documents_and_by_picks_per_bureau(built):
    from analysis.report import selection

    prof = _frame(built[0], "document_profiles.csv")
    everything = ["shifan", "shifan_2022_work_summary", "shifan_2023_work_plan"]
    assert selection.regions(["示范县"], prof) == everything == selection.regions(["Shifan County"], prof)
    assert selection.regions(["shifan_2022_work_summary"], prof) == ["shifan_2022_work_summary"]
    assert selection.per(prof, everything, by="jurisdiction") == ["shifan_2023_work_plan"]  # the latest plan
    assert selection.per(prof, everything, by="jurisdiction-year") == ["shifan", "shifan_2023_work_plan"]
    assert selection.per(prof, None, by="jurisdiction") == ["shifan_2023_work_plan", "yangban"]
    assert selection.per(prof, everything, by="document") == everything


def test_commands_work_per_document_and_per_bureau(built, tmp_path):
    import subprocess
    import sys

    _, manifest = built
    root = manifest.parent.parent.parent
    out = root / "data" / "processed"
    pipeline.build(manifest=manifest, out_dir=out)
    for argv in (["charts", "--regions", "示范县", "--by", "jurisdiction", "--only", "coverage_states"],
                 ["charts", "--only", "target_followup", "task_changes", "--lang", "en"],
                 ["evidence", "--region", "shifan_2022_work_summary", "--domain", "elderly_care"],
                 ["kwic", "家庭养老床位", "--regions", "shifan"],
                 ["export", "--xlsx", str(tmp_path / "x.xlsx")]):
        extra = ["--out", str(tmp_path)] if argv[0] == "charts" else []
        done = subprocess.run([sys.executable, "-m", "analysis", *argv, *extra, "--in", str(out)], cwd=root,
                              capture_output=True, text=True)
        assert done.returncode == 0, (argv, done.stderr)
    assert (tmp_path / "coverage_states_zh.png").is_file() and (tmp_path / "target_followup_en.png").is_file()


@pytest.mark.parametrize("unknown", ["", np.nan])
def test_a_document_of_unknown_year_is_listed_as_such_by_its_bureau(built, unknown):
    # `add --year unknown` leaves the year empty (NaN once the table is read back); the bureau's row still lists
    # its known years, and says that one document's year is not known
    from analysis import aggregate

    prof = _frame(built[0], "document_profiles.csv")
    undated = prof[prof["region"] == "yangban"].assign(region="yangban_undated", year=unknown,
                                                       is_latest_plan=False)
    rows = aggregate.bureaus(pd.concat([prof, undated], ignore_index=True))
    assert rows["years"].to_dict() == {"shifan": "2022, 2023", "yangban": "2023, unknown"}
    assert rows.loc["yangban", "documents"] == 3

"""The validation layer catches corrupted outputs (so a clean result means something)."""

from __future__ import annotations

import pandas as pd

from analysis import validate


def test_clean_tasks_pass(tasks, raw, seg_ctx):
    assert validate.check_tasks(tasks, raw) == []
    assert validate.check_clauses(seg_ctx.clauses, tasks) == []
    assert validate.check_documents(seg_ctx.tables["documents.csv"].frame) == []


def test_shifted_offsets_are_caught(tasks, raw):
    bad = tasks.copy()
    bad.loc[bad.task_id == "weiyang-04-11", "start"] += 1
    problems = validate.check_tasks(bad, raw)
    assert any("weiyang-04-11" in p and "differs from raw" in p for p in problems)


def test_overlap_and_duplicate_ids_are_caught(tasks, raw):
    bad = tasks.copy()
    i = bad.index[bad.task_id == "shulan-03-13"][0]
    bad.loc[i, "start"] = bad.loc[i - 1, "start"] + 5
    bad.loc[i, "text"] = raw["shulan"][bad.loc[i, "start"]:bad.loc[i, "end"]]
    bad = pd.concat([bad, bad[bad.task_id == "yanta-02-04-4"]])
    problems = validate.check_tasks(bad, raw)
    assert any("shulan-03-13 overlaps" in p for p in problems)
    assert any("duplicate task_id yanta-02-04-4" in p for p in problems)


def test_low_coverage_is_caught(seg_ctx):
    docs = seg_ctx.tables["documents.csv"].frame.copy()
    docs.loc[docs.region == "baoji", "share_tiled"] = 0.9
    assert validate.check_documents(docs) == ["documents.csv: baoji: share_tiled 0.9000 below 1.0"]


def test_domains_must_list_the_primary_first(tasks):
    frame = tasks.head(3).assign(domain=["elderly_care", "funeral", ""],
                                 domains=["elderly_care;child_welfare", "marriage;funeral", ""])
    problems = validate.check_domains(frame)
    assert len(problems) == 2 and "marriage;funeral" in problems[0]


def test_coverage_rules_are_checked_and_corruption_caught():
    from analysis import tables

    coverage, tasks = tables.read_csv("coverage.csv"), tables.read_csv("tasks.csv")
    assert validate.check_coverage(coverage, tasks) == []
    bad = coverage.copy()
    i = bad.index[(bad.region == "weiyang") & (bad.domain == "elderly_care")][0]
    bad.loc[i, "state"] = "absent"
    bad.loc[i, "share_tasks"] += 0.1
    problems = validate.check_coverage(bad, tasks)
    assert any("weiyang/elderly_care: state 'absent', rule says 'target'" in p for p in problems)
    assert any("weiyang: share_tasks sums to 1.1" in p for p in problems)

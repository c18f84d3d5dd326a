"""Kinds that follow the document's parts: a summary-plus-plan report's plan part states targets (issue 13/14)."""

from __future__ import annotations

from pathlib import Path

from analysis import quantities, segment
from analysis.corpus import Document

SHAPES = Path(__file__).parent / "data" / "shapes"


def _kinds(doc_type: str) -> dict[str, str]:
    text = (SHAPES / "summary_and_plan.txt").read_text(encoding="utf-8")
    doc = Document("900", "shape", {"doc_type": doc_type, "issuer": "", "task_unit": "", "layout": ""}, text,
                   SHAPES / "summary_and_plan.txt")
    tasks = segment.tasks_frame([segment.document(doc)])
    found = quantities.targets([doc], tasks)
    return {text[s:e]: k for s, e, k in zip(found["start"], found["end"], found["kind"])}


def test_plan_part_of_a_summary_and_plan_report_states_targets():
    kinds = _kinds("work_summary_and_plan")
    assert kinds["200张"] == "target" and kinds["1处"] == "target"   # 三、2024年工作计划
    assert kinds["215户"] == "achievement" and kinds["1200人次"] == "achievement"  # 一、2023年工作总结


def test_a_plan_keeps_its_prior_in_every_part():
    kinds = _kinds("work_plan")
    assert kinds["215户"] == "target"  # no part rule for plans: the sentence and the plan prior decide


# --- issue 14, third reading: a part heading that reports completion, a plan's 编制背景 chapter -------------
# Texts written for these tests (no text copied).

COMPLETED = ("二〇二三年工作总结\n一、兜底保障有力，各项目标任务圆满完成\n全年发放临时救助金120万元。\n"
             "二、下一步工作计划\n力争新增养老床位100张。\n")


def test_a_part_headed_as_completed_reports_results_even_with_target_words():
    start = COMPLETED.index("一、")
    middle = COMPLETED.index("二、")
    parts = [(start, middle, "plan"), (middle, len(COMPLETED), "plan")]   # 目标任务 read as a plan
    got = {q.span: q.kind for q in quantities.extract(COMPLETED, doc_type="work_summary", parts=parts)}
    assert got["120万元"] == "achievement"
    assert got["100张"] == "target"


def test_completed_parts_keep_plan_parts_without_a_completion_heading():
    from analysis.quantities.kinds import completed_parts
    middle = COMPLETED.index("二、")
    assert completed_parts(COMPLETED, [(middle, len(COMPLETED), "plan")]) == [(middle, len(COMPLETED), "plan")]


def test_a_plans_drafting_background_chapter_reviews_results():
    text = ("某市“十四五”残疾人事业发展规划\n一、编制背景\n“十三五”期间，全市帮助800名残疾人实现就业。\n"
            "二、主要目标\n到2025年，新增残疾人就业500人。\n")
    got = {q.span: q.kind for q in quantities.extract(text, doc_type="work_plan")}
    assert got["800名"] == "achievement" and got["500人"] == "target"


# --- a progress table (任务内容 | 进展情况): the task cell is the plan, the progress cell the results ------------

def test_a_progress_tables_task_cell_states_targets_and_its_progress_cell_results():
    name = "progress_table_cells.txt"
    text = (SHAPES / name).read_text(encoding="utf-8")
    doc = Document("900", "shape", {"doc_type": "work_summary", "issuer": "", "task_unit": "", "layout": ""}, text,
                   SHAPES / name)
    tasks = segment.tasks_frame([segment.document(doc)])
    found = quantities.targets([doc], tasks)
    kinds = {text[s:e]: k for s, e, k in zip(found["start"], found["end"], found["kind"])}
    assert kinds["12个"] == "target" and kinds["200户"] == "target" and kinds["4个"] == "target"
    assert kinds["9个"] == "achievement" and kinds["236户"] == "achievement" and kinds["1280人次"] == "achievement"


def test_a_plans_review_of_the_situation_reports_results():  # invented plan in the shape of a vagrant-relief plan
    text = ("某县2026年救助管理工作计划\n一、工作背景与形势分析\n2025年，全县累计救助流浪乞讨人员320人次，"
            "护送返乡率达100%。\n二、主要任务\n全年开展街面巡查不少于24次。\n")
    got = {q.span: q.kind for q in quantities.extract(text, doc_type="work_plan")}
    assert got["320人次"] == "achievement" and got["100%"] == "achievement" and got["24次"] == "target"

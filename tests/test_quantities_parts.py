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

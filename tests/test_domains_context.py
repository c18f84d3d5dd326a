"""The document prior (issue 14, item 2: the document as the outermost heading), :mod:`analysis.domains.context`.

Sentences written for these tests in the shapes of one-subject campaign plans and summaries (no text copied):
a campaign's time frame, its stages and its leading group name no subject of their own.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from analysis import domains
from analysis.domains.context import document_subjects
from analysis.domains.lexicon import rules


def _doc(bodies, *, doc_id="d1", preamble=()):
    """One document's tasks as the classifier reads them (no segmentation)."""
    n = len(bodies)
    return pd.DataFrame({"task_id": [f"{doc_id}-{i:02d}" for i in range(n)], "doc_id": [doc_id] * n,
                         "text": list(bodies), "start": [0] * n, "body_start": [0] * n, "title": [""] * n,
                         "section": [""] * n, "is_preamble": [i in preamble for i in range(n)]})


FUNERAL_CAMPAIGN = [
    "整治时间从九月一日起，到十二月底结束。",                                   # no evidence
    "禁止销售冥币纸钱等封建迷信殡葬用品，严厉打击违规土葬、散埋乱葬。",
    "推行节地生态安葬，倡导鲜花祭扫、网络祭扫，建设公益性公墓。",
    "殡仪馆实行文明治丧，规范殡葬服务收费。",
    "成立工作领导小组，各乡镇按方案组织实施。",                                 # a stray office word
]


def test_a_campaign_plans_procedural_tasks_take_its_subject():
    got = domains.classify(_doc(FUNERAL_CAMPAIGN))
    assert got["domain"].tolist() == ["funeral"] * 5
    assert got["domains"].tolist() == ["funeral"] * 5
    assert "document prior" in got.at[0, "domain_evidence"]
    assert "document prior" in got.at[4, "domain_evidence"]
    assert "document prior" not in got.at[1, "domain_evidence"]


def test_a_mixed_document_has_no_subject():
    bodies = ["做好城乡低保动态管理，落实临时救助。", "推进居家社区养老服务，建设老年助餐点。",
              "整治时间从九月一日起，到十二月底结束。"]
    got = domains.classify(_doc(bodies))
    assert got.at[2, "domain"] == "other"
    assert "document prior" not in got.at[2, "domain_evidence"]


@pytest.mark.parametrize("body, expected", [
    ("完善民政服务机构消防安全和安全生产检查制度。", "administration"),   # office evidence, not weak: kept
    ("做好困难群众节日慰问。", "social_assistance"),                      # weak, but a subject of its own: kept
])
def test_a_task_with_evidence_of_its_own_keeps_it(body, expected):
    got = domains.classify(_doc([*FUNERAL_CAMPAIGN[1:4], body])).iloc[3]
    assert got["domains"] == expected
    assert "document prior" not in got["domain_evidence"]


def test_an_office_domain_is_no_substantive_subject_but_fills_a_fragment_without_evidence():
    # seg12 domain reading (dom13): a cut-off item of an information-disclosure report or a party plan names
    # nothing, and is part of the office work the whole document is about
    bodies = ["认真落实“三会一课”制度，加强党支部标准化规范化建设。", "深入开展党纪学习教育，严明政治纪律。",
              "整治时间从九月一日起，到十二月底结束。"]
    got = domains.classify(_doc(bodies))
    assert got.at[2, "domain"] == "party_building" and "document prior" in got.at[2, "domain_evidence"]
    assert not document_subjects(_doc(bodies), domains.score_table(_doc(bodies), domains.score(_doc(bodies))), rules())


def test_an_information_disclosure_reports_fragment_is_administration():
    bodies = ["全年主动公开政府信息210条，依申请公开办理3件。", "建立信息发布前的保密审查机制，规范政府信息公开流程。",
              "（四）平台建设方面。规范设"]
    got = domains.classify(_doc(bodies))
    assert got["domain"].tolist() == ["administration"] * 3


def test_front_matter_is_left_to_its_own_rule():
    got = domains.classify(_doc(["整治时间从九月一日起。", *FUNERAL_CAMPAIGN[1:4]], preamble=(0,)))
    assert got.at[0, "domain"] == "other"


def test_the_prior_needs_dominance_and_enough_evidence():
    tasks = _doc(FUNERAL_CAMPAIGN)
    scores = domains.score_table(tasks, domains.score(tasks))
    assert document_subjects(tasks, scores, rules()) == {"d1": ("funeral", pytest.approx(1.0, abs=0.2))}
    assert document_subjects(tasks, scores, replace(rules(), doc_prior_min_score=1000.0)) == {}
    off = domains.classify(tasks, rules_=replace(rules(), doc_prior_dominance=1.01))
    assert off.at[0, "domain"] == "other"


def test_tasks_without_a_document_column_are_left_alone():
    got = domains.classify(_doc(FUNERAL_CAMPAIGN).drop(columns="doc_id"))
    assert got.at[0, "domain"] == "other"


def test_a_news_paragraphs_first_measure_is_no_heading_for_the_next():
    # a speaker's lead, then one measure a sentence (segment.clauses.split_lead_measures): the first sentence is a
    # task of its own, not the heading of the others, so its subject (低保) decides none of theirs
    from pathlib import Path

    from analysis import segment, tables
    from analysis.corpus import Document
    from analysis.segment.frames import tasks_frame

    text = ("青石县召开民政工作会议\n\n3月2日，青石县召开民政工作会议。\n\n"
            "局长钱立新介绍，今年将提高城乡低保标准，完善临时救助制度。做好优抚对象走访慰问。加强残疾人康复服务。\n")
    meta = {"doc_type": "newspaper_feature", "issuer": "", "task_unit": "", "layout": ""}
    doc = Document(doc_id="901", region="qingshi", meta=meta, text=text, path=Path("measures.txt"))
    tasks = tables.proper_tasks(tasks_frame([segment.document(doc)])).reset_index(drop=True)
    assert [t[:4] for t in tasks["text"]] == ["局长钱立", "做好优抚", "加强残疾"]
    assert "低保" not in tasks.at[2, "title"]
    got = domains.classify(tasks)
    assert got["domain"].tolist() == ["social_assistance", "other", "disability_welfare"]

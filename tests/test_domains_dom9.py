"""Issue 14, ninth reading (dom9): vocabulary read in other bureaus' meeting news and summaries, and the rule that
words the lexicon marks weak (weight below 1) name no subject on their own.

Sentences written for these tests in the shapes seen (meeting news, 一是/二是 requirements, donation-drive
reports); no text copied from any real document.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from analysis import domains
from analysis.domains.lexicon import rules


def _task(body, *, title="", section=""):
    return pd.DataFrame({"task_id": ["t-01"], "text": [body], "start": [0], "body_start": [0],
                         "title": [title], "section": [section], "is_preamble": [False]})


def _classify(body, **kw):
    return domains.classify(_task(body, **kw)).iloc[0]


@pytest.mark.parametrize("body, expected", [
    ("坚持一体推进三不腐，营造风清气正的机关环境。", "party_building"),
    ("树牢政治机关意识，争创让群众满意的模范机关。", "party_building"),
    ("引导干部职工践行正确政绩观。", "party_building"),
    ("年底前组织开展年度述职评议。", "party_building"),
    ("按月足额发放“两补”资金，确保不漏发、不错发。", "disability_welfare"),
    ("发动机关干部参加慈心一日捐活动。", "charity_social_work"),
    ("统筹推进受灾村组灾后恢复重建。", "other"),
    ("坚持强化政治引领，把牢正确方向。", "party_building"),
    ("依托助联体发布帮扶项目，链接社会资源。", "social_assistance"),
    ("评选表彰一批两优一先先进典型。", "party_building"),
    ("提高分散养育标准，按月足额发放。", "child_welfare"),
])
def test_vocabulary_of_the_ninth_reading(body, expected):
    assert _classify(body)["domain"] == expected

# (every term of this reading states its source: tests/test_domains.py::test_every_reading_term_states_its_source…)


@pytest.mark.parametrize("body", [
    "全年各项绩效稳步提升，群众普遍认可。",         # 绩效: weight 0.5
    "本季度在社区开展了几次走访。",                 # 社区: weight 0.5
])
def test_weak_words_alone_name_no_subject(body):
    got = _classify(body)
    assert got["domains"] == "other"
    assert "only weak words" in got["domain_evidence"]


@pytest.mark.parametrize("body, kw, expected", [
    ("加强绩效管理，落实安全生产责任。", {}, "administration"),          # a word of weight 1.5 beside it
    ("全年各项工作稳步推进。", {"title": "绩效"}, "administration"),        # in the title: 0.5 x 2 reaches 1
    ("在社会救助、养老服务、儿童福利、殡葬管理等领域开展服务。", {}, "social_assistance"),  # discounted list, not weak words
])
def test_weak_rule_leaves_real_evidence_alone(body, kw, expected):
    assert _classify(body, **kw)["domain"] == expected


def test_the_weak_threshold_is_a_rule_that_can_be_switched_off():
    body = "全年各项绩效稳步提升，群众普遍认可。"
    off = replace(rules(), primary_min_score=0.0)
    assert domains.classify(_task(body), rules_=off).iloc[0]["domain"] == "administration"
    assert domains.classify(_task(body)).iloc[0]["domain"] == "other"


def test_a_lead_in_names_the_subject_of_clauses_that_name_none():
    # a bureau head's requirements: the lead-in before 一是 is the clauses' parent (title "lead-in：二是")
    lead = "局长要求，要强化政治引领，明确全年工作方向：二是"
    got = _classify("二是牢牢把握为民服务的根本立场。", title=lead)
    assert got["domain"] == "party_building"
    assert "(parent)" in got["domain_evidence"]
    assert _classify("二是牢牢把握为民服务的根本立场。")["domain"] == "other"   # without its lead-in: nothing

"""Issue 14, eleventh and twelfth readings (qty11 and qty12, the seg11 and seg12 documents): progress against a plan after 目前, the units a body
has, and groups of people counted in 万 with a qualifier (invented sentences)."""

from __future__ import annotations

import pytest

from analysis import quantities


def found(text: str, doc_type: str) -> dict[str, tuple[str, float, str]]:
    return {q.span: (q.kind, q.value, q.unit) for q in quantities.extract(text, doc_type=doc_type)}


@pytest.mark.parametrize("text, span, doc_type, kind", [
    # 目前，… 已完工 / 在建: progress on the plan, a result; 目前，全县有…: the stock
    ("计划新建农村幸福院40个。目前，12个已完工，28个在建。", "12个", "work_summary", "achievement"),
    ("计划新建农村幸福院40个。目前，12个已完工，28个在建。", "28个", "work_summary", "achievement"),
    ("计划新建农村幸福院40个。目前，12个已完工，28个在建。", "40个", "work_summary", "target"),
    ("目前，全县城市低保对象3120户。", "3120户", "work_summary", "baseline"),
    # 下属N个: what a body has; the activities after it are what it did
    ("指导下属6个党支部开展主题党日活动48次。", "6个", "work_summary", "baseline"),
    ("指导下属6个党支部开展主题党日活动48次。", "48次", "work_summary", "achievement"),
    # qty12 reading: a news item's count in person-times is a flow over a period, what was done; a count of
    # people stays the status quo a news item reports
    ("截至目前，区救助管理站救助流浪乞讨人员158人次。", "158人次", "newspaper_feature", "achievement"),
    ("全区共有城乡低保对象2300人。", "2300人", "newspaper_feature", "baseline"),
])
def test_kinds_of_the_eleventh_reading(text, span, doc_type, kind):
    got = found(text, doc_type)
    assert span in got, (span, got)
    assert got[span][0] == kind


@pytest.mark.parametrize("text, span, value", [
    ("上半年为3.26万困难残疾人、1.08万重度残疾人发放补贴。", "3.26万", 32600),
    ("上半年为3.26万困难残疾人、1.08万重度残疾人发放补贴。", "1.08万", 10800),
    ("全年惠及2.4万困难群众。", "2.4万", 24000),
])
def test_people_counted_in_wan_with_a_qualifier_are_read_as_people(text, span, value):
    got = found(text, "work_summary")
    assert span in got, got
    assert got[span][1:] == (value, "人")


def test_a_figure_whose_noun_before_names_money_is_not_read_as_people():
    assert not found("投入资金1.2万改造老人活动室。", "work_summary")

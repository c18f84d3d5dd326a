"""Issue 14, eighth reading (qty8): kinds and units in shapes seen in the qty8 held-out set (invented sentences)."""

from __future__ import annotations

import pytest

from analysis import quantities


def kind_at(text: str, span: str, doc_type: str) -> str:
    found = {q.span: q.kind for q in quantities.extract(text, doc_type=doc_type)}
    assert span in found, (span, found)
    return found[span]


@pytest.mark.parametrize("text, span, doc_type, kind", [
    # a rate named before 在…以内/以上 is a level in the band, not the band that defines a class
    ("城镇登记失业率控制在4%以内;支持创业1500人。", "4%", "task_list", "target"),
    ("城镇登记失业率控制在4%以内;支持创业1500人。", "1500人", "task_list", "target"),
    ("目前全省中小城市养老机构入住率多在85%以上。", "85%", "newspaper_feature", "baseline"),
    ("年救助量在900人以下的救助站。", "900人", "work_plan", "other"),
    # 目前…累计: the stock to date
    ("今年新建康复站点4个,目前全县累计建成15个。", "15个", "work_summary", "baseline"),
    ("今年累计建成康复站点15个。", "15个", "work_summary", "achievement"),
    # 完工, 入选: completed actions
    ("计划新增2个服务机构,已全部开工,完工2家。", "2家", "work_summary", "achievement"),
    ("某市先后入选国家试点等6项。", "6项", "newspaper_feature", "achievement"),
    # funds obtained (争取…款) in a summary's results
    ("今年共争取上级救灾款88万元。", "88万元", "work_summary", "achievement"),
    # 全市N个…全部成立: what the count did
    ("全县236个村全部成立互助社。", "236个", "work_summary", "achievement"),
    # 为全区N名…提供: whom the plan serves, not the stock
    ("为全区16000名老年人提供居家上门服务。", "16000名", "task_list", "target"),
    ("全区16000名老年人。", "16000名", "task_list", "baseline"),
    # 将大于: a plan's comparative
    ("到时毛入园率将大于85%,普及率大于93%。", "93%", "newspaper_feature", "target"),
])
def test_kind_in_qty8_shapes(text, span, doc_type, kind):
    assert kind_at(text, span, doc_type) == kind


@pytest.mark.parametrize("text, span", [
    ("安装骨灰墓穴2150冢。", "2150冢"),
    ("节约木材300多万立方米。", "300多万立方米"),
])
def test_units_seen_in_funeral_reports(text, span):
    assert span in [q.span for q in quantities.extract(text, doc_type="work_summary")]


@pytest.mark.parametrize("text", ["紧扣2个核心指标、5项重点指标,推进各项工作。"])
def test_indicator_counts_are_no_quantities(text):
    assert quantities.extract(text, doc_type="work_plan") == []

"""Issue 14, fourteenth reading (qty14: sub-field news items and plan excerpts — charity, welfare lottery,
cemeteries, meal points): sums of money in a news item, a running total beside the period's figure, a band that
introduces its members, counts of listed names and of named coverage goals, 将给予 as a plan word, and a news sentence whose
tense words all come after the figure (invented sentences, invented figures)."""

from __future__ import annotations

import pytest


def kind_at(found, span: str, nth: int = 0) -> str:
    hits = [k for _, s, k, _, _ in found if s == span]
    assert len(hits) > nth, (span, found)
    return hits[nth]


@pytest.mark.parametrize("text, span, kind", [
    # a sum of money in a news item without a cue word: raised, received, donated, sold — what was done
    ("街道慈善工作站本月收到爱心捐款86.5万元，其中助学专项21.4万元。", "86.5万元", "achievement"),
    ("街道慈善工作站本月收到爱心捐款86.5万元，其中助学专项21.4万元。", "21.4万元", "achievement"),
    ("一位退休教师为助学项目匿名认捐2.6万元。", "2.6万元", "achievement"),
    # ... but a standard, a price or a balance is what is in force or held
    ("殡仪馆基本服务收费标准为每具1200元。", "1200元", "baseline"),
    ("该基金会净资产3.2亿元。", "3.2亿元", "baseline"),
    # a count of people stays the status quo in a news item
    ("全镇共有特困供养人员315人。", "315人", "baseline"),
])
def test_money_in_a_news_item_is_a_flow_unless_it_is_a_level(quantities_of, text, span, kind):
    assert kind_at(quantities_of(text, "newspaper_feature"), span) == kind


@pytest.mark.parametrize("text, span, doc_type, kind", [
    # 累计 with the verb and object of an earlier figure of the sentence: the running total since the start
    ("今年县福彩中心共销售彩票4210万元，累计销售彩票3.6亿元。", "4210万元", "newspaper_feature", "achievement"),
    ("今年县福彩中心共销售彩票4210万元，累计销售彩票3.6亿元。", "3.6亿元", "newspaper_feature", "baseline"),
    ("全年接收捐赠880万元，慈善帮扶支出640万元，累计慈善帮扶支出5.1亿元。", "5.1亿元", "newspaper_feature", "baseline"),
    # no pair: the earlier words state no figure, or the object differs, or both are 累计
    ("开办银龄助浴服务点，累计助浴640人次。", "640人次", "newspaper_feature", "achievement"),
    ("本季度共压减临时床位30张，累计压减办公经费80万元。", "80万元", "newspaper_feature", "achievement"),
    ("累计拨付资金3.1亿元；向受灾群众累计拨付资金900万元。", "900万元", "newspaper_feature", "achievement"),
    # a summary's 累计发放 alone is the year's result
    ("全年累计发放低保金560万元。", "560万元", "work_summary", "achievement"),
    # a plan's 累计 beside a figure of the same verb stays its goal
    ("今年新增养老床位300张，累计新增养老床位1200张。", "1200张", "work_plan", "target"),
])
def test_a_running_total_beside_the_periods_figure_is_the_stock(quantities_of, text, span, doc_type, kind):
    assert kind_at(quantities_of(text, doc_type), span) == kind


@pytest.mark.parametrize("text, span, kind", [
    ("本届认捐5万元以上的有：甲公司、乙公司。", "5万元", "other"),
    ("全县90岁以上的是重点走访对象，共走访老人410人。", "410人", "achievement"),
])
def test_a_band_followed_by_its_members_picks_out_a_class(quantities_of, text, span, kind):
    assert kind_at(quantities_of(text, "newspaper_feature"), span) == kind


@pytest.mark.parametrize("text, absent, present", [
    # a count in words after 等 that closes a list of longer names counts the names
    ("表彰了东岭建材有限公司、北川食品股份有限公司、南港物流(集团)有限公司等三家企业。", "三家", ()),
    ("受表彰的志愿者有刘某、陈某夫妇，周某，吴某等四位。", "四位", ()),
    # a count in words not closing a list is still a quantity
    ("今年新建老年食堂三家。", "", ("三家",)),
    # 实现两个全覆盖：…: the count names the goals; each goal's 全覆盖 is a figure, the named one is not
    ("力争实现两个全覆盖：村级互助幸福院全覆盖、失能老人探访全覆盖。", "两个", ("全覆盖",) * 2),
    # 100%全覆盖 stays one figure
    ("新建小区养老服务设施实现100%全覆盖。", "", ("100%",)),
])
def test_counts_of_listed_names_and_named_goals_are_no_quantities(quantities_of, text, absent, present):
    spans = [s for _, s, _, _, _ in quantities_of(text, "work_plan")]
    if absent:
        assert absent not in spans, spans
    assert spans == list(present)


def test_jiang_geiyu_makes_the_sentence_a_plan(quantities_of):
    found = quantities_of("示范点评估达标的，街道将给予一次性奖补3万元，奖补资金共计45万元。", "newspaper_feature")
    assert kind_at(found, "45万元") == "target"


@pytest.mark.parametrize("text, span, kind", [
    # no tense word before the figure: the rest of the sentence decides — a plan word there, a plan
    ("今年街道在各社区新建幸福食堂8个，建成后将给予每个食堂运营补贴。", "8个", "target"),
    # ... but not when the rest also reports (已) or turns to the status quo (目前)
    ("今年街道在各社区新建幸福食堂8个，其中5个已投用，将继续扩面。", "8个", "achievement"),
    ("全区养老机构共38家，目前将推进等级评定。", "38家", "baseline"),
])
def test_a_news_sentence_takes_its_tense_from_after_the_figure(quantities_of, text, span, kind):
    assert kind_at(quantities_of(text, "newspaper_feature"), span) == kind

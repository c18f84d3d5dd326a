"""Issue 14, fifteenth reading (qty15: news of plans and plans rich in targets — green burial, elderly-care norms,
a five-year plan's indicators, a city's list of practical projects): the plan words of a news item (规划提出, 意见明确,
目标是, 必须达到 / 要达到, 将推广 / 将配备), a news sentence that carries on the plan of the sentence before, the counts
of a plan's own indicators and of a document's issuers, a quoted programme name ending in 计划, 目前，…已有 as a stock
and 由X攀升到Y (invented sentences, invented figures)."""

from __future__ import annotations

import pytest


def kind_at(found, span: str, nth: int = 0) -> str:
    hits = [k for _, s, k, _, _ in found if s == span]
    assert len(hits) > nth, (span, found)
    return hits[nth]


def spans(found) -> list[str]:
    return [s for _, s, _, _, _ in found]


@pytest.mark.parametrize("text, span, kind", [
    # a plan or opinion stating its content: its figures are goals, even with 达到 and no year
    ("实施意见明确，新建农村公益性骨灰堂节地生态安葬率达到95%。", "95%", "target"),
    ("专项规划提出，城区养老服务设施达标率要达到100%。", "100%", "target"),
    ("《行动方案》提出，每个街道建成1所综合养老服务中心。", "1所", "target"),
    # ... but a bulletin stating facts is no plan
    ("《统计公报》指出，全区80岁以上老人有3.1万人。", "3.1万人", "baseline"),
    # 目标是 / 目标值为, 必须达到, 要达到
    ("县福彩中心的年度目标是：保持8%以上的销量增长。", "8%", "target"),
    ("其中两项的目标值为100%。", "100%", "target"),
    ("这一指标必须达到或超过62%。", "62%", "target"),
    ("城区各街道护理型床位合计要达到410张。", "410张", "target"),
    # ... but 主要 is no 要
    ("全县床位主要达到二级标准的有320张。", "320张", "baseline"),
    # 将 before 推广, 配备, 建立, 办好
    ("东坪县将推广互助养老模式，在山区实现12个村级互助点。", "12个", "target"),
    ("每个城市社区将配备3名专职社工。", "3名", "target"),
])
def test_a_news_item_reporting_a_plan_states_goals(quantities_of, text, span, kind):
    assert kind_at(quantities_of(text, "newspaper_feature"), span) == kind


@pytest.mark.parametrize("text, span, kind", [
    # a sentence with no tense word of its own carries on the plan of the sentence before
    ("到2030年，全市节地生态安葬率达到70%以上。实现镇级殡仪服务站全覆盖。", "全覆盖", "target"),
    ("今年柳川市将办好十件为民实事。十件实事包括，新建老年助餐点45个；为900户困难老人家庭实施适老化改造。",
     "45个", "target"),
    ("今年柳川市将办好十件为民实事。十件实事包括，新建老年助餐点45个；为900户困难老人家庭实施适老化改造。",
     "900户", "target"),
    # ... not when the sentence has a year or a report date of its own, nor when the plan word was a purpose
    ("今年柳川市将办好十件为民实事。2023年，全市新增就业1.8万人。", "1.8万人", "achievement"),
    ("站里开展送清凉行动，确保受助人员安全度夏。截至目前，共救助流浪人员85人次。", "85人次", "achievement"),
    # ... nor when the sentence before reported the past
    ("去年全县建成助餐点30个。城区助餐点占12个。", "12个", "baseline"),
])
def test_a_sentence_without_tense_carries_the_plan_before(quantities_of, text, span, kind):
    assert kind_at(quantities_of(text, "newspaper_feature"), span) == kind


@pytest.mark.parametrize("text, absent, present", [
    # the count of a plan's own indicators and of a document's issuers is the document's make-up
    ("规划提出了18项养老服务主要指标，其中6项为约束性指标，3项目标值为100%。", ("18项", "6项", "3项"), ("100%",)),
    ("县民政局等9个部门联合印发了方案，计划新建公墓4个。", ("9个",), ("4个",)),
    ("今年将办好8件为民实事，新增养老床位200张。", ("8件",), ("200张",)),
    # ... but 项 before an ordinary noun stays a figure
    ("全年完成12项养老服务设施改造。", (), ("12项",)),
])
def test_counts_of_a_plans_indicators_and_issuers_are_no_quantities(quantities_of, text, absent, present):
    found = spans(quantities_of(text, "newspaper_feature"))
    for a in absent:
        assert a not in found, (a, found)
    for p in present:
        assert p in found, (p, found)


@pytest.mark.parametrize("text, span, kind", [
    # a quoted programme name ending in 计划 is no plan word
    ("其中“暖阳计划”共资助修建640个村级老年活动室。", "640个", "baseline"),
    ("“暖阳计划”去年资助修建了640个村级老年活动室。", "640个", "achievement"),
    # 目前，…已有: what there is now, with the comma after 目前
    ("目前，全省已有各类婚姻家庭辅导室350多处。", "350多处", "baseline"),
    # 由X攀升到Y: X is the level before
    ("年销量由2019年的52亿元攀升到了2023年的96亿元。", "52亿元", "baseline"),
])
def test_programme_names_stocks_and_the_level_before(quantities_of, text, span, kind):
    assert kind_at(quantities_of(text, "newspaper_feature"), span) == kind


def test_a_plan_keeps_its_prior(quantities_of):
    # a plan's sentences state goals whatever the sentence before says
    found = quantities_of("去年建成助餐点30个。新增助餐点15个。", "work_plan")
    assert kind_at(found, "15个") == "target"

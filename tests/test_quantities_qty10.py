"""Issue 14, tenth reading (qty10): kinds, units and non-quantities in shapes seen in the qty10 held-out set
(invented sentences)."""

from __future__ import annotations

import pytest

from analysis import quantities


def found(text: str, doc_type: str) -> dict[str, str]:
    return {q.span: q.kind for q in quantities.extract(text, doc_type=doc_type)}


def kind_at(text: str, span: str, doc_type: str) -> str:
    kinds = found(text, doc_type)
    assert span in kinds, (span, kinds)
    return kinds[span]


@pytest.mark.parametrize("text, span, doc_type, kind", [
    # 在N%以下的是…: the band that defines a class of towns, even after a rate
    ("3月份火化率在45%以下的有东岭、南川2个乡镇。", "45%", "work_summary", "other"),
    ("全县火化率稳定在95%以上的水平。", "95%", "work_summary", "achievement"),
    # 目前已建有: the stock now; 目前已有N所…开工: progress reported
    ("近年来，某市大力发展助餐服务，目前已建有老年食堂96处。", "96处", "newspaper_feature", "baseline"),
    ("近年来，某市大力发展助餐服务，目前已建有老年食堂96处。", "96处", "work_summary", "baseline"),
    ("目前已有4所敬老院开工建设。", "4所", "work_summary", "achievement"),
    # 共登记社会组织: the register; 新增登记: growth
    ("截至年底，全县共登记社会组织318家。", "318家", "work_summary", "baseline"),
    ("全年新增登记社会组织27家。", "27家", "work_summary", "achievement"),
    # a breakdown in parentheses takes the whole's kind
    ("截至年底，全县共登记社会组织318家（社会团体120家，民办非企业单位198家）。", "120家", "work_summary", "baseline"),
    ("截至年底，全县共登记社会组织318家（社会团体120家，民办非企业单位198家）。", "198家", "work_summary", "baseline"),
    ("全年发放救助金86万元（含临时救助），惠及困难群众1200人。", "1200人", "work_summary", "achievement"),
    # a news item's list of payouts: the verb said once
    ("县民政局发放一季度城市低保金210.5万元；特困人员供养资金36万元，其中春节慰问金8万元。", "36万元",
     "newspaper_feature", "achievement"),
    ("县民政局发放一季度城市低保金210.5万元；特困人员供养资金36万元，其中春节慰问金8万元。", "8万元",
     "newspaper_feature", "achievement"),
    ("全县有养老机构21家，床位1800张。", "1800张", "newspaper_feature", "baseline"),
    # a projected population is no goal of the plan; the plan's own figure stays a target
    ("据测算，到2025年全区老年人口将持续增长，将达到23万人左右。", "23万人", "work_plan", "other"),
    ("预计到2025年，全县每千名老人养老床位数将达到35张。", "35张", "work_plan", "target"),
    ("到2025年，全区养老床位将达到3200张。", "3200张", "work_plan", "target"),
    # 占比N%: a share of a whole outside plans
    ("其中脱贫人口占比45%。", "45%", "work_summary", "baseline"),
    ("低保对象中脱贫人口占比不低于45%。", "45%", "work_plan", "target"),
    # a progress report: 目标任务： states the goal, 目前进度： the results
    ("一、敬老院改造项目\n目标任务：对6所敬老院进行改造，总建筑面积4200平方米。\n目前进度：已完成改造3所。", "6所",
     "work_summary", "target"),
    ("一、敬老院改造项目\n目标任务：对6所敬老院进行改造，总建筑面积4200平方米。\n目前进度：已完成改造3所。", "4200平方米",
     "work_summary", "target"),
    ("一、敬老院改造项目\n目标任务：对6所敬老院进行改造，总建筑面积4200平方米。\n目前进度：已完成改造3所。", "3所",
     "work_summary", "achievement"),
    ("圆满完成年度目标任务，发放救助金86万元。", "86万元", "work_summary", "achievement"),
    # 确保 in a clause of purpose says why, no plan
    ("为确保困难群众温暖过冬，今年共发放棉被500床。", "500床", "work_summary", "achievement"),
    ("为了确保救助及时，县局下拨救灾款85万元。", "85万元", "newspaper_feature", "achievement"),
    ("为了规范资产管理，确保账实相符，用了两个月补办了产权证。", "两个月", "work_summary", "achievement"),
    ("确保全年新增床位300张。", "300张", "newspaper_feature", "target"),
    ("为确保年底前完成改造，计划新增床位300张。", "300张", "work_summary", "target"),
])
def test_kind_in_qty10_shapes(text, span, doc_type, kind):
    assert kind_at(text, span, doc_type) == kind


@pytest.mark.parametrize("text, span, unit, value", [
    ("修建了800米长的环村步道。", "800米", "米", 800),
    ("社会组织净资产达12亿，吸纳就业3000人。", "12亿", "元", 1_200_000_000),
    ("80岁以上老年人预计将达到3.4万左右。", "3.4万", "人", 34_000),
    ("新建公益性公墓3处，新增墓穴2400穴。", "2400穴", "穴", 2400),
])
def test_units_read_in_qty10_shapes(text, span, unit, value):
    q = {q.span: q for q in quantities.extract(text, doc_type="work_summary")}
    assert span in q, (span, list(q))
    assert (q[span].unit, q[span].value) == (unit, value)


@pytest.mark.parametrize("text", [
    "镇民政办半年工作总结范文汇总三篇",
    "民政局年度工作总结范文(12篇)",
    "最新社会救助工作汇报精选（8篇）",
    "现将全县十件惠民实事进展情况通报如下",
])
def test_collection_titles_are_no_quantities(text):
    assert quantities.extract(text, doc_type="work_summary") == []


def test_articles_published_stay_a_quantity():
    assert "12篇" in found("在省级媒体发表宣传稿件12篇。", "work_summary")

"""Issue 14, quantities: formats seen in real plans, kinds that follow the document, non-quantities, the misses
table, canonical indicators and rates. The sentences are written here in the shapes seen in other bureaus'
plans (no text of those plans), or taken from the five seed plans."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import corpus, quantities


@pytest.fixture(scope="module")
def docs():
    return {d.region: d for d in corpus.load()}


def one(text: str, **kw):
    (q,) = quantities.extract(text, **kw)
    return q


# --- formats ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, span, value, unit, per", [
    ("城市低保标准提高到 820 元 / 人 / 月", "820 元 / 人 / 月", 820, "元", "人/月"),
    ("全年新增低保对象 1200 户", "1200 户", 1200, "户", ""),
    ("农村低保标准为6500元/人·年", "6500元/人·年", 6500, "元", "人/年"),
    ("分散供养标准不低于600/月", "600/月", 600, "元", "月"),
    ("孤儿基本生活费达到1500/人/月", "1500/人/月", 1500, "元", "人/月"),
    ("服务老年人9.99余万人次", "9.99余万人次", 99900, "人次", ""),
    ("集中供养率达到百分之五十", "百分之五十", 50, "%", ""),
    ("死亡率控制在0.5‰以内", "0.5‰", 0.5, "‰", ""),
    ("千分之三的人口", "千分之三", 3, "‰", ""),
    ("改造敬老院3栋", "3栋", 3, "栋", ""),
    ("办理婚姻登记业务1200单", "1200单", 1200, "单", ""),
    ("新建农村互助幸福院5所", "5所", 5, "所", ""),
    ("开展主题活动12场", "12场", 12, "场", ""),
    ("开展上门服务638场次", "638场次", 638, "场次", ""),
    ("组织培训4次", "4次", 4, "次", ""),
    ("配备智能设备20台", "20台", 20, "台", ""),
    ("获得表彰19项次", "19项次", 19, "项次", ""),
    ("每人每月800元", "800元", 800, "元", "人/月"),
    ("年人均2200元", "2200元", 2200, "元", "人/年"),
    ("城市最低生活保障标准为780元/月/人", "780元/月/人", 780, "元", "人/月"),   # xuanzhou's shape
])
def test_formats_of_real_plans(text, span, value, unit, per):
    q = one(text, doc_type="work_plan")
    assert (q.span, q.value, q.unit, q.per) == (span, value, unit, per)


@pytest.mark.parametrize("text", ["建成10-5个站点", "完成30～20户"])
def test_a_reversed_range_is_refused_and_listed(text):
    found, refused = quantities.scan(text)
    assert found == []
    assert [r for _, _, r in refused] == ["reversed_range"]
    assert [r for _, _, r in quantities.unread(text, found, refused)] == ["reversed_range"]


# --- non-quantities -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "深入学习总书记两次重要讲话精神", "扎实开展两个创建工作", "召开第3次全体会议", "十四届六次全会精神",
    "牵头做好“老有康养”“弱有众扶”两项重点工程", "以上三个项目年内均可实现竣工", "服务全市三个“一号工程”",
    "各单位要高度重视", "开展“两个确立”主题教育",
])
def test_non_quantities_are_never_claimed(text):
    assert quantities.extract(text, doc_type="work_plan") == []


def test_a_count_in_digits_of_work_done_is_a_quantity():
    assert one("4项工作得到省领导批示", doc_type="work_summary").span == "4项"
    assert quantities.extract("重点抓好十项工作", doc_type="work_plan") == []   # in words: the count of a list


# --- kinds that follow the document -------------------------------------------------------------------

@pytest.mark.parametrize("doc_type, after", [("work_plan", "target"), ("work_summary", "achievement")])
def test_from_x_to_y(doc_type, after):
    qs = quantities.extract("城市低保标准由每人每月700元提高到730元", doc_type=doc_type)
    assert [(q.value, q.kind, q.per) for q in qs] == [(700, "baseline", "人/月"), (730, after, "人/月")]
    qs = quantities.extract("集中供养率从60%增至75%", doc_type=doc_type)
    assert [q.kind for q in qs] == ["baseline", after]


@pytest.mark.parametrize("text, doc_type, kinds", [
    ("今年新增家庭养老床位300张", "work_summary", ["achievement"]),
    ("今年新增家庭养老床位300张", "work_plan", ["target"]),
    ("目前，全县城市低保6000户、12000人", "work_summary", ["baseline", "baseline"]),
    ("全市城市低保对象3000户5000人，其中市本级2000户", "work_summary", ["baseline", "baseline", "baseline"]),
    ("特困供养对象4000人，其中分散供养3500人、集中供养500人", "work_summary", ["baseline"] * 3),
    ("累计建成社区养老服务站达到120个", "work_summary", ["baseline"]),
    ("全年累计发放救助资金300万元", "work_summary", ["achievement"]),
    ("全市现有养老机构40家", "work_summary", ["baseline"]),
    ("截至6月，全县有城乡低保9000户", "work_summary", ["baseline"]),
    ("2019年以来，共救助困难群众500人次", "work_plan", ["achievement"]),
    ("低保标准比2020年的600元提高了50元", "work_summary", ["baseline", "achievement"]),
    ("将年收入不足8万元的家庭纳入保障", "work_summary", ["other"]),
    ("均已完成年度投资计划的90%以上", "work_summary", ["achievement"]),
    ("首次争取到中央资金3000万元", "work_summary", ["achievement"]),
    ("目前福彩总销售额37611万元", "work_summary", ["baseline"]),   # yanta
])
def test_kinds_follow_the_sentence_and_the_document(text, doc_type, kinds):
    assert [q.kind for q in quantities.extract(text, doc_type=doc_type)] == kinds


def test_a_plans_review_chapter_reports_results():
    text = ("第一章 “十三五”时期发展主要成效\n全市建成养老服务中心50个。\n"
            "第二章 “十四五”时期目标任务\n新建养老服务中心20个。\n")
    assert [q.kind for q in quantities.extract(text, doc_type="work_plan")] == ["achievement", "target"]


# --- misses: no number is dropped silently ------------------------------------------------------------

@pytest.mark.parametrize("text, reason", [
    ("共认定低收入扩面家庭38", "no_unit"),
    ("实施“1211工程”", "title_or_quotes"),
    ("加强四个方面建设", None),            # a count in words: no digit run
    ("2024年7月起执行", None),            # a year and a month
    ("第3次全体会议", None),              # an ordinal
    ("热线0558-5130002", None),          # a telephone number
])
def test_unread_numbers_are_listed_with_a_reason(text, reason):
    found, refused = quantities.scan(text)
    got = [r for _, _, r in quantities.unread(text, found, refused)]
    assert got == ([reason] if reason else [])


def test_the_misses_table_has_its_columns(docs, tasks):
    _, misses = quantities.targets_and_misses(list(docs.values()), tasks)
    assert list(misses.columns) == list(quantities.MISS_COLUMNS)
    for r in misses.itertuples():
        assert docs[r.region].text[r.start:r.end] == r.span


# --- canonical indicators -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, indicator_id", [
    ("城市最低生活保障标准为780元/月/人", "dibao_standard_urban"),     # xuanzhou
    ("农村最低生活保障标准为755元/月/人", "dibao_standard_rural"),     # xuanzhou
    ("城乡特困人员分散供养标准提高到1000元/人/月", "tekun_standard_dispersed"),
    ("集中供养标准为每人每月1300元", "tekun_standard_concentrated"),
    ("新增家庭养老床位100张", "home_care_beds"),                        # weiyang
    ("养老床位共计23800张", "elderly_beds"),                            # baoji
    ("建成社区养老服务站27个", "community_elderly_station"),
    ("儿童之家占比达到60%", "children_home_share"),                     # weiyang
    ("低保标准提高到800元", ""),                                        # a standard is a rate: no base, no pair
])
def test_canonical_indicators(text, indicator_id):
    assert one(text, doc_type="work_plan").indicator_id == indicator_id


@pytest.mark.parametrize("per, normal", [("月/人", "人/月"), ("人/月", "人/月"), ("人每月", "人/月"), ("年/人", "人/年"),
                                         ("人·月", "人/月"), ("户", "户"), ("", "")])
def test_rates_have_one_spelling(per, normal):
    assert quantities.normal_per(per) == normal


@pytest.mark.parametrize("text, indicator_id", [   # invented sentences in the shapes of funeral, marriage and charity reports
    ("全县火化区火化率稳定在95%以上", "cremation_rate"),
    ("节地生态安葬比例不低于50%", "eco_burial_share"),
    ("新建农村公益性公墓6处", "public_cemeteries"),
    ("全年办理结婚登记1200对", "marriage_registrations"),
    ("慈善一日捐活动募集善款260万元", "charity_donations"),
    ("新增注册志愿者1500名", "volunteers"),
])
def test_canonical_indicators_of_funerals_marriage_and_charity(text, indicator_id):
    assert one(text, doc_type="work_plan").indicator_id == indicator_id


@pytest.mark.parametrize("text, span, indicator", [
    ("新建3栋、改造5所。", "3栋", ""),                      # a lead verb alone names nothing counted
    ("新建3栋、改造5所。", "5所", ""),
    ("婴儿死亡率控制在5‰以内。", "5‰", "婴儿死亡率"),      # 控制在: the verb is no part of the indicator
    ("为全镇800名老年人发放生活补贴。", "800名", "老年人"),  # the noun counted, not the action done for it
])
def test_indicators_are_noun_phrases_never_a_verb_or_an_action(text, span, indicator):
    got = {q.span: q.indicator for q in quantities.extract(text, doc_type="work_summary")}
    assert got[span] == indicator


def test_every_canonical_indicator_is_a_noun_phrase():
    verbs = ("新增", "新建", "建成", "完成", "提高", "达到", "开展", "推进", "实现")
    for r in quantities.canonical_indicators():
        assert r.name_zh and r.name_en and not r.name_zh.startswith(verbs), r.id


# --- each quantity in its own sentence's domain -------------------------------------------------------

def test_a_quantity_takes_its_sentences_domain_and_keeps_its_tasks():
    found = pd.DataFrame({"task_id": ["t1", "t1", ""], "task_domain": ["marriage", "marriage", ""],
                          "domain": ["marriage", "marriage", ""],
                          "sentence": ["办理婚姻登记1.9万对", "新建城乡社区居家养老服务中心5个", "新增家庭养老床位100张"]})
    out = quantities.sentence_domain.assign(found)
    assert out["task_domain"].tolist() == ["marriage", "marriage", ""]
    assert out["domain"].iloc[1] == "elderly_care"
    assert out["domain"].iloc[2] == ""   # outside every task: no domain


# --- issue 14, second development reading (dom-dev set): self-written sentences in the shapes read ------

@pytest.mark.parametrize("text", [
    "发布时间:2024-03-05 点击:57次",               # a web page's counter
    "浏览次数: 120次",
    "此次普查的工作任务主要包括六项:一是摸清底数",     # a count in words that announces a list
    "重点做好三个方面:一是兜底保障",
])
def test_page_counters_and_announced_lists_are_no_quantities(text):
    assert quantities.extract(text, doc_type="newspaper_feature") == []


def test_a_count_in_digits_before_a_colon_stays_a_quantity():
    assert [q.span for q in quantities.extract("新建养老服务站12个:其中农村8个", doc_type="work_plan")] == ["12个", "8个"]


@pytest.mark.parametrize("doc_type, after", [("work_plan", "target"), ("work_summary", "achievement")])
def test_levels_listed_before_one_rise_verb_are_all_baselines(doc_type, after):
    qs = quantities.extract("城乡低保标准由月人均500元、年人均3000元统一调至月人均700元", doc_type=doc_type)
    assert [(q.value, q.kind) for q in qs] == [(500, "baseline"), (3000, "baseline"), (700, after)]


@pytest.mark.parametrize("text, doc_type, kinds", [
    ("特困人员供养标准由每人每年8000元调至9000元", "work_summary", ["baseline", "achievement"]),
    ("助餐服务覆盖300个村社,超过250个的任务指标", "work_summary", ["achievement", "target"]),
])
def test_kinds_of_the_second_reading(text, doc_type, kinds):
    assert [q.kind for q in quantities.extract(text, doc_type=doc_type)] == kinds


def test_a_five_year_plans_background_chapter_reports_results():
    text = ("一、规划背景\n(一)发展基础\n全市累计建成养老服务中心30个。\n"
            "二、主要任务\n新建养老服务中心10个。\n")
    assert [q.kind for q in quantities.extract(text, doc_type="work_plan")] == ["achievement", "target"]


@pytest.mark.parametrize("text", [   # issue 14, fourth reading (self-written)
    "日前，省民政厅调研组一行6人到我县调研婚俗改革工作。",   # the size of a visiting party
    "市民政局副局长一行 4人来我区督导殡葬领域专项整治。",
])
def test_the_size_of_a_visiting_party_is_no_quantity(text):
    assert quantities.extract(text, doc_type="newspaper_feature") == []


# --- issue 14, sixth reading (qty6; sentences written here in the shapes seen) -------------------------

@pytest.mark.parametrize("text, span, value, unit", [
    ("全年查处违规案件45起", "45起", 45, "起"),
    ("救助受灾牲畜1.2万头", "1.2万头", 12000, "头"),
    ("农作物受灾3.5万公顷", "3.5万公顷", 35000, "公顷"),
])
def test_units_of_the_sixth_reading(text, span, value, unit):
    q = one(text, doc_type="work_summary")
    assert (q.span, q.value, q.unit) == (span, value, unit)


@pytest.mark.parametrize("text", ["大家一起努力", "从6月1日起执行新标准", "负责起草实施方案", "登上头条新闻"])
def test_qi_and_tou_of_other_words_are_no_units(text):
    assert quantities.extract(text, doc_type="work_summary") == []


@pytest.mark.parametrize("text, doc_type, kinds", [
    # a feature's plan: 将 before an adverb of action is the future, whatever clause the figure is in
    ("会上获悉，市民政局将持续加强低保工作，新增助餐点80个，改造居室300户。", "newspaper_feature",
     ["target", "target"]),
    ("今年市民政局将加快福利院建设，落实帮扶项目12个。", "newspaper_feature", ["target"]),
    # 上年度 is the reference year of a rule, no past tense
    ("低保标准增幅不低于上年度收入增幅，将进一步新增床位500张。", "newspaper_feature", ["target"]),
    # a bulletin: the stock, the change over last year (and its rate), then the parts of the stock
    ("截至年底，全省共有基金会1200个，比上年增加85个，增长7.6%，其中公募基金会500个。", "newspaper_feature",
     ["baseline", "achievement", "achievement", "baseline"]),
    ("全区共有社会团体3000个，比上年增长4.5%。", "newspaper_feature", ["baseline", "achievement"]),
    ("目前全县低保对象2300户，比去年同期减少120户。", "work_summary", ["baseline", "achievement"]),
    # in a plan the change is the goal
    ("社会组织数量比上年增长10%。", "work_plan", ["target"]),
])
def test_kinds_of_the_sixth_reading(text, doc_type, kinds):
    assert [q.kind for q in quantities.extract(text, doc_type=doc_type)] == kinds


@pytest.mark.parametrize("text, span, value, unit", [
    ("计划投资6 000万元建设福利中心", "6 000万元", 60000000, "元"),       # a thousands separator
    ("新增供养人员 30 00人", "30 00人", 3000, "人"),                      # a figure broken across columns
    ("共发放救助金 1 250 000元", "1 250 000元", 1250000, "元"),
    ("全年发放低保金215万；", "215万", 2150000, "元"),                    # 万 without 元, named by the noun
    ("累计支出资金12.5亿，", "12.5亿", 1250000000, "元"),
    ("全年死亡人数约为86万。", "86万", 860000, "人"),
])
def test_split_figures_and_units_the_noun_names(text, span, value, unit):
    q = one(text, doc_type="work_summary")
    assert (q.span, q.value, q.unit) == (span, value, unit)


@pytest.mark.parametrize("text", ["覆盖15万群众", "年收入8万以下的家庭", "城市低保 520 户、860 人"])
def test_a_bare_multiplier_needs_a_noun_that_names_its_unit(text):
    assert all(q.unit != "元" for q in quantities.extract(text, doc_type="work_summary"))


def test_a_digit_group_opening_with_zero_is_a_listed_fragment():
    found, refused = quantities.scan("档案编号 007人")
    assert found == [] and [r for _, _, r in quantities.unread("档案编号 007人", found, refused)] == ["fragment"]


@pytest.mark.parametrize("text, doc_type, kinds", [
    # 比上年 is a comparison, not the sentence's past: the levels after it stay the feature's status quo
    ("全省共有社会组织3.2万个，比上年增长5%；吸纳就业25万人；形成固定资产80亿元。", "newspaper_feature",
     ["baseline", "achievement", "baseline", "baseline"]),
    # the sentence turns to the status quo after its past: 今年以来…，目前，…
    ("今年以来投入150万元改造敬老院，目前，全镇有4处养老机构，设置床位320张。", "newspaper_feature",
     ["achievement", "baseline", "baseline"]),
    # 截至目前 opens a report of results, no status quo
    ("截至目前，已经建成助餐点12个，3家睦邻点完成装修。", "work_summary", ["achievement", "achievement"]),
    # money received and spent
    ("全年接收社会捐赠52亿元，民政事业费支出 310亿元，占财政支出的2.1%。", "newspaper_feature",
     ["achievement", "achievement", "baseline"]),
])
def test_tense_words_of_the_sixth_reading(text, doc_type, kinds):
    assert [q.kind for q in quantities.extract(text, doc_type=doc_type)] == kinds


@pytest.mark.parametrize("text, doc_type, kinds", [
    # standards in force in a summary are the status quo; reached or raised ones are its results
    ("今年以来，城市低保标准为每人每月620元，月人均补差310元以上，农村人均月补助水平达到260元。", "work_summary",
     ["baseline", "baseline", "achievement"]),
    ("今年以来，对三类对象每人每月分别补助80元、65元。", "work_summary", ["baseline", "baseline"]),
    # a change stated with 同比 or 较上年, each rate of a list
    ("全省养老机构同比增长6.5%，城乡低保平均标准较上年分别增长8.2%和12.4%。", "newspaper_feature",
     ["achievement", "achievement", "achievement"]),
    # relief given and people moved on a register
    ("启动应急响应9次，紧急转移安置30余万人，实施冬春救助120余万人。", "newspaper_feature",
     ["achievement", "achievement", "achievement"]),
    ("今年以来，共调整农村低保对象85人。", "work_summary", ["achievement"]),
])
def test_standards_and_changes_of_the_sixth_reading(text, doc_type, kinds):
    assert [q.kind for q in quantities.extract(text, doc_type=doc_type)] == kinds


def test_a_bare_multiplier_before_a_people_noun_counts_people():
    q = one("两项补贴分别惠及800多万残疾人。", doc_type="newspaper_feature")
    assert (q.span, q.value, q.unit, q.comparator) == ("800多万", 8000000, "人", "余")


@pytest.mark.parametrize("text, spans", [
    ("抓好三项重点工作，突出两项重点任务", []),            # headings of a programme, in words
    ("全年完成8项重点任务", ["8项"]),                        # in digits: the work done
])
def test_counts_of_a_programmes_headings_are_no_quantities(text, spans):
    assert [q.span for q in quantities.extract(text, doc_type="work_summary")] == spans


@pytest.mark.parametrize("text, ids", [
    # 城乡…分别: the urban standard first, the rural one second; the listed second takes the first's rate
    ("城乡低保标准分别提高至每人每月950元、720元", ["dibao_standard_urban", "dibao_standard_rural"]),
    ("城乡低保标准分别为每人每月900元和每人每月700元", ["dibao_standard_urban", "dibao_standard_rural"]),
    ("城乡低保标准提高到每人每月700元", ["dibao_standard"]),
    ("集中供养特困人员照料护理标准每人每月350元", ["tekun_care_standard"]),
    ("孤儿基本生活费每人每月1700元", ["orphan_standard"]),
    ("残疾人两项补贴标准每人每月90元", ["disability_subsidy"]),
])
def test_canonical_indicators_of_the_sixth_reading(text, ids):
    assert [q.indicator_id for q in quantities.extract(text, doc_type="work_plan")] == ids


def test_the_listed_second_standard_keeps_the_rate():
    second = quantities.extract("城乡低保标准分别提高至每人每月950元、720元", doc_type="work_plan")[1]
    assert second.per == "人/月"


@pytest.mark.parametrize("text, doc_type, kinds", [
    ("相较于2020年，全省城乡低保平均标准分别增长18.5%和22.1%。", "newspaper_feature", ["achievement", "achievement"]),
    ("孤儿保障标准均比“十三五”末增长超过25%。", "newspaper_feature", ["achievement"]),
    ("护理型床位比例达到55%。", "newspaper_feature", ["baseline"]),           # 比例 is no comparison
    ("与上年相比，全市社会组织增加120家。", "work_plan", ["target"]),          # in a plan the change is a goal
])
def test_changes_against_a_named_period(text, doc_type, kinds):
    assert [q.kind for q in quantities.extract(text, doc_type=doc_type)] == kinds

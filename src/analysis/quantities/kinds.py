"""The kind of a quantity (target, achievement, baseline, other): the cues of its clause, then the prior
of its document type or of the part of a summary it is in.
"""

from __future__ import annotations

import re

from analysis.errors import UsageError
from analysis.quantities.numeric import Bounds
from analysis.quantities.patterns import (
    ACHIEVED_LE_RE,
    ATTRIBUTIVE_DE_RE,
    ACCUMULATED_LEVEL_RE,
    BAND_BEFORE_RE,
    BAND_CLASS_AFTER_RE,
    BAND_MEMBERS_AFTER_RE,
    MONEY_LEVEL_BEFORE_RE,
    RUNNING_TOTAL_FIGURE_AFTER_RE,
    RUNNING_TOTAL_RE,
    NOW_HAVE_AFTER_RE,
    NOW_HAVE_RE,
    PROJECTION_LEAD_RE,
    PROJECTION_RE,
    REGISTERED_STOCK_RE,
    BAND_RATE_BEFORE_RE,
    BENEFICIARY_BEFORE_RE,
    BASIS_AFTER_RE,
    BACKGROUND_HEADING_RE,
    BASIS_BEFORE_RE,
    CASELOAD_RE,
    CHANGE_END_RE,
    CHANGE_OVER_RE,
    COMPARED_LEAD_RE,
    CITYWIDE_STOCK_RE,
    COMPLETED_HEADING_RE,
    CUE_AS_NOUN_RE,
    DE_TOTAL_RE,
    FLOW_UNITS,
    PAST_LEVEL_RE,
    PAST_SENTENCE_RE,
    PLAN_SENTENCE_RE,
    PURPOSE_BEFORE_RE,
    PLAN_HEADING_RE,
    RESULT_HEADING_RE,
    SENTENCE_YEAR_RE,
    STOCK_BREAKDOWN_RE,
    SINCE_YEAR_RE,
    INDICATOR_VERB_RE,
    NOW_ACCUMULATED_RE,
    NOW_SENTENCE_RE,
    PART_OF_PREVIOUS_RE,
    DISPOSAL_AFTER_RE,
    DONE_OBJECT_AFTER_RE,
    DONE_OBJECT_BEFORE_RE,
    FUTURE_WORD,
    FUNDS_SOUGHT_RE,
    COMPOSED_AFTER_RE,
    COMPOSED_BEFORE_RE,
    POPULATION_STOCK_RE,
    TREND_AFTER_RE,
    TREND_BEFORE_RE,
    RESULT_AFTER_RE,
    SHARE_OF_RE,
    FROM_BEFORE_RE,
    FROM_LIST_BEFORE_RE,
    REACHED_BEFORE_RE,
    RELATIVE_UNITS,
    RISE_AFTER_RE,
    RISE_LATER_RE,
    RISE_TO_RE,
    RULE_RATE_AFTER_RE,
    RULE_RATE_BEFORE_RE,
    SINCE_LEAD_RE,
    STANDARD_RATE_BEFORE_RE,
    STOCK_LEAD_RE,
    SUBORDINATE_BEFORE_RE,
    THRESHOLD_AFTER_RE,
    THRESHOLD_BEFORE_RE,
    TOP_HEADING_RE,
    cue_kinds,
    resource_patterns,
)

#: What a quantity without any cue is, by document type (the prior, not the answer).
DOC_TYPE_PRIOR = {
    "work_plan": "target",
    "task_list": "target",
    "work_summary": "achievement",
    "work_summary_and_plan": "achievement",
    "newspaper_feature": "baseline",
}
DEFAULT_PRIOR = "target"

#: Document types whose parts set the prior: a summary's 下一步工作打算 part, or the plan part of a summary-plus-
#: plan report, states targets (the segmenter tags each task's part ``plan`` or ``result``).
PART_PRIOR_DOC_TYPES = ("work_summary", "work_summary_and_plan")
#: Where the sentence before a news sentence begins (issue 14 fifteenth reading): a full stop or a line break.
PREVIOUS_SENTENCE_SPLIT_RE = re.compile(r"[。！？!?\n]")
#: 截至目前, 截止年底: a report date, the sentence's own time (no plan carried from the sentence before).
REPORT_DATE_RE = re.compile(r"截至|截止")
PART_PRIOR = {"plan": "target", "result": "achievement"}


def sentence_prior(text: str, sentence_start: int, start: int, prior: str, *, year: int | None = None,
                   sentence_end: int | None = None) -> str:
    """The prior of a figure from the tense of its sentence before it, where the document's prior is no plan's
    (a newspaper feature's status quo, a summary): the nearer of a plan word (力争, 确保, 预计, 到2025年 …: a target)
    and a word of the past (去年, 近年来, 以来, 截至, 1至3月, V了, 已 …: an achievement) decides; neither, the prior.
    确保 in a clause of purpose (为确保…, 为了…，确保…) is no plan word.
    A plan's prior stays: a plan's sentences state goals whatever their tense words. ``year`` (the document's
    year, when known) makes a later year in the sentence a plan word too. In a news item, a sentence with no tense
    word before the figure takes it from the rest of the sentence (with ``sentence_end``): …新建20个示范点，验收合格后
    将给予… announces a plan. A news sentence without any tense word or year of its own carries on the plan of the
    sentence before (到2020年，…达到50%以上。实现…全覆盖；今年将办好10件实事。10件实事包括…新增…)."""
    if prior == "target":
        return prior
    before = text[sentence_start:start]
    plan = max((m.end() for m in PLAN_SENTENCE_RE.finditer(before)
                if not (m.group(0) == "确保" and PURPOSE_BEFORE_RE.search(before, 0, m.start()))), default=-1)
    if year is not None:  # a year after the document's own: the sentence states a plan (2025年…达到)
        plan = max([plan] + [m.end() for m in SENTENCE_YEAR_RE.finditer(before) if int(m.group(1)) > year])
    past = max((m.end() for m in PAST_SENTENCE_RE.finditer(before)), default=-1)
    now = max((m.end() for m in NOW_SENTENCE_RE.finditer(before)), default=-1)
    if now > max(plan, past) and past >= 0:
        return "baseline"  # …今年以来投入…，目前，全镇有4处…，设置床位320张: the sentence turned to the status quo
    if max((m.end() for m in STOCK_BREAKDOWN_RE.finditer(before)), default=-1) > max(plan, past):
        return "baseline"  # 现有低保户中：A类家庭65户…: the parts of a stock
    if plan > past:
        return "target"
    if past > plan:
        return "achievement"
    if prior == "baseline" and sentence_end is not None and now < 0:
        after = text[start:sentence_end]
        if PLAN_SENTENCE_RE.search(after) and not PAST_SENTENCE_RE.search(after) and not NOW_SENTENCE_RE.search(after):
            return "target"
        sentence = text[sentence_start:sentence_end]
        if not (PLAN_SENTENCE_RE.search(sentence) or PAST_SENTENCE_RE.search(sentence) or NOW_SENTENCE_RE.search(sentence)
                or SENTENCE_YEAR_RE.search(sentence) or REPORT_DATE_RE.search(sentence)):
            previous = previous_sentence(text, sentence_start)
            plans = [m for m in PLAN_SENTENCE_RE.finditer(previous)
                     if not (m.group(0) == "确保" and PURPOSE_BEFORE_RE.search(previous, 0, m.start()))]
            if plans and not PAST_SENTENCE_RE.search(previous) and not NOW_SENTENCE_RE.search(previous):
                return "target"  # 到2020年，…达到50%以上。实现…全覆盖: the plan of the sentence before goes on
    return prior


def previous_sentence(text: str, sentence_start: int) -> str:
    """The sentence before the one starting at ``sentence_start`` (at most 200 characters back; '' at the start)."""
    head = text[max(0, sentence_start - 200):sentence_start].rstrip()
    head = head[:-1] if head.endswith(("。", "！", "？", "!", "?", "；", ";")) else head
    return PREVIOUS_SENTENCE_SPLIT_RE.split(head)[-1]


def is_running_total(text: str, sentence_start: int, clause_start: int, prefix: str) -> bool:
    """Whether ``prefix`` (the clause before a figure) opens with 累计 and what follows it (the verb and its object, up to
    four characters) stood earlier in the sentence, without 累计 and with a figure of its own: 共销售彩票N万元，累计销售彩票N亿元
    — the running total."""
    m = RUNNING_TOTAL_RE.search(prefix)
    if m is None:
        return False
    words = prefix[m.start("verb"):].rstrip()[:4]
    earlier = text[sentence_start:clause_start]
    at = earlier.find(words)
    while at >= 0:  # …the earlier words stating a figure of their own (开办助浴服务点，累计助浴N人次: no pair)
        if not earlier[max(0, at - 3):at].rstrip().endswith("累计") \
                and RUNNING_TOTAL_FIGURE_AFTER_RE.match(earlier, at + len(words)):
            return True
        at = earlier.find(words, at + 1)
    return False


def is_change(text: str, clause_start: int, start: int, sentence_start: int | None = None) -> bool:
    """Whether the figure at ``start`` states a change over a past period (比上年增长5%, …，增长7.6%; 相较于2020年，
    …分别增长18.5% with ``sentence_start``), not a level."""
    prefix = text[clause_start:start]
    if CHANGE_OVER_RE.search(prefix):
        return True
    if sentence_start is None or sentence_start >= clause_start:
        return False
    return CHANGE_END_RE.search(prefix) is not None and COMPARED_LEAD_RE.search(text, sentence_start, clause_start) is not None


def completed_parts(text: str, parts: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """``parts`` with a ``plan`` part turned ``result`` where the top-level heading it falls under reports completion
    (二、某项工作稳步推进，目标任务圆满完成: 目标任务 there is no plan)."""
    heads = [(m.start(), m.group("title")) for m in TOP_HEADING_RE.finditer(text)]
    out = []
    for a, b, part in parts:
        if part == "plan":
            title = next((t for at, t in reversed(heads) if at <= a), "")
            if COMPLETED_HEADING_RE.search(title) and not PLAN_SENTENCE_RE.search(title):
                part = "result"
        out.append((a, b, part))
    return out


def kind_of(text: str, start: int, end: int, *, prior: str, is_range: bool = False, comparator: str = "",
            unit: str = "", chinese: bool = False, clause: tuple[int, int] | None = None, carry: str = "",
            sentence_start: int | None = None, year: int | None = None, sentence_end: int | None = None) -> str:
    """The kind of the quantity at ``text[start:end]``.

    In order: a band (在1500人以下; after a rate only when what falls in it follows: 火化率在60%以下的是…) is ``other``, and
    so is a projected population (据测算…老年人口…将达到52万人); X in 由X提高到Y / 从X增至Y is ``baseline`` (the level
    before) and Y follows the prior (a target in a plan, an achievement in a summary's results); then the nearest cue before the number in its clause
    decides — a cue word from ``quantity_kind_cues.csv``, a verb with 了 (achievement), 全市 right before
    a count (the stock: baseline; but the prior when a verb of result follows it: 全市N名…实现脱贫), a share
    of a whole (占…的22.6%: baseline, outside a plan), 的 right before a count in Chinese numerals that counts a noun (an
    existing set: baseline); then a suffix cue (…均已完工); a range is a planned scale (target); else
    the kind of the previous figure of the sentence (``carry``) when this clause only names a part of it
    (其中集中供养973人), or, in a news item, an earlier result of the sentence (发放低保金N万元；供养资金N万元: one list of
    payouts); 目前已建有… and 共登记社会组织… are stocks (baseline); a caseload (低保对象21650户, not one in 人次) is a
    ``baseline``; else the ``prior``.

    With ``sentence_start``, the prior is first the tense of the sentence (:func:`sentence_prior`): in a newspaper
    feature, 去年…发放 is a result and 力争…新增 a goal. Cue kinds ``growth`` (新增) and ``floor`` (不低于, 不少于: a
    standard's floor) follow the prior — a result where it is ``achievement``, else a target; kind ``done`` (a
    completed action: 办理, 建成, 竣工, 下拨 …) is a result unless the prior is a plan's target.
    """
    if clause is None:
        clause = Bounds(text).clause(start)
    if prior == "achievement" and FUNDS_SOUGHT_RE.search(text, clause[0], start):
        return "achievement"  # a summary's 争取项目经费1000万元: funds obtained
    if sentence_start is not None:
        prior = sentence_prior(text, min(sentence_start, clause[0]), start, prior, year=year, sentence_end=sentence_end)
    prefix = text[clause[0]:start]
    suffix = text[end:clause[1]]
    lead_start = clause[0] if sentence_start is None else min(sentence_start, clause[0])
    if BASIS_BEFORE_RE.search(text, lead_start, start) and BASIS_AFTER_RE.match(text[end:end + 40]):
        return "other"  # 以城市500元/月…为基数: the reference level a rule builds on
    if unit in RELATIVE_UNITS and RULE_RATE_BEFORE_RE.search(prefix) and RULE_RATE_AFTER_RE.match(suffix):
        return "other"  # 按照低保标准的30%、20%增发: the rate a rule applies
    if BAND_MEMBERS_AFTER_RE.match(suffix):
        return "other"  # 认捐5万元以上的有：…: the band that picks out the members named next
    if BAND_BEFORE_RE.search(prefix) and comparator.endswith(("以下", "以上", "以内")) \
            and (not BAND_RATE_BEFORE_RE.search(prefix) or BAND_CLASS_AFTER_RE.match(suffix)):
        return "other"  # 在1500人以下, 火化率在60%以下的是…: the band that defines a class
    if PROJECTION_RE.search(text, lead_start, start) and PROJECTION_LEAD_RE.search(text, lead_start, start):
        return "other"  # 据测算，…老年人口…将达到52万人: a projection, no goal
    if THRESHOLD_BEFORE_RE.search(prefix) and THRESHOLD_AFTER_RE.match(suffix):
        return "other"  # 年收入不足10万元的家庭: the threshold of a class
    if prior != "target" and DONE_OBJECT_BEFORE_RE.search(prefix) and DONE_OBJECT_AFTER_RE.match(suffix):
        return "achievement"  # 为12人次提供了医疗救助: the object of a completed action
    if FROM_BEFORE_RE.search(prefix) and RISE_AFTER_RE.match(suffix):
        return "baseline"  # 由728元提高到735元: the level before
    listed = FROM_LIST_BEFORE_RE.search(prefix) or (FROM_BEFORE_RE.search(prefix) and suffix.startswith("、"))
    if listed and RISE_LATER_RE.match(suffix):
        return "baseline"  # 由月人均N元、年人均N元统一调至…: each listed level before
    if is_change(text, clause[0], start, sentence_start):
        return "target" if prior == "target" else "achievement"  # 比上年增长5%: what the year changed
    if prior != "target" and is_running_total(text, lead_start, clause[0], prefix):  # not a plan's cumulative goal
        return "baseline"  # 共销售彩票N万元，累计销售彩票N亿元: the running total beside the period's figure
    if ACCUMULATED_LEVEL_RE.search(prefix) or NOW_ACCUMULATED_RE.search(prefix):
        return "baseline"  # 累计建成…达到120个: the stock
    if NOW_HAVE_RE.search(text, max(lead_start, clause[0] - 4), start) and not NOW_HAVE_AFTER_RE.match(suffix):
        return "baseline"  # 目前已建有助餐点64处, 目前，全省已有…: what there is now
    if SUBORDINATE_BEFORE_RE.search(prefix):
        return "baseline"  # 指导下属4个支部: the units a body has
    if REGISTERED_STOCK_RE.search(prefix):
        return "baseline"  # 截至年底，全市共登记社会组织1320家: the register
    if COMPOSED_BEFORE_RE.search(prefix) and COMPOSED_AFTER_RE.match(suffix):
        return "baseline"  # 领导班子由7人组成: what a body is made of
    if POPULATION_STOCK_RE.search(prefix):
        return "baseline"  # 60岁以上老年人口4.2万人: a demographic stock
    if prior != "target" and TREND_BEFORE_RE.search(prefix) and TREND_AFTER_RE.match(suffix):
        return "baseline"  # 每年以3.3%的速度递增: the pace of a trend
    cues: list[tuple[int, str]] = []
    pats = resource_patterns()
    kinds = cue_kinds("prefix")
    for m in pats["cue"].finditer(prefix):
        if CUE_AS_NOUN_RE.match(prefix, m.start()):
            continue
        if kinds[m.group(0)] == "baseline" and DE_TOTAL_RE.search(prefix, 0, m.start()):
            continue  # 办理结婚登记的共有78对: the count of what the clause before did
        if m.group(0) == FUTURE_WORD and DISPOSAL_AFTER_RE.match(suffix):
            continue  # 将…120户…纳入低保: 将 as 把, no future
        cues.append((m.end(), kinds[m.group(0)]))
    for m in ACHIEVED_LE_RE.finditer(prefix):
        cues.append((m.end(), "achievement"))
    for m in SINCE_YEAR_RE.finditer(prefix):
        cues.append((m.end(), "achievement"))
    if PAST_LEVEL_RE.search(prefix):
        cues.append((len(prefix) + 1, "baseline"))
    if unit not in RELATIVE_UNITS:  # 全市2028家社会组织, but not 全市80%的村 (a share is no stock)
        stock = "achievement" if prior == "achievement" else "target" if prior == "target" else "baseline"
        stock = stock if RESULT_AFTER_RE.match(suffix) else "baseline"  # 全市N名…实现脱贫: what the count did
        for m in CITYWIDE_STOCK_RE.finditer(text[clause[0]:start + 1]):
            served = BENEFICIARY_BEFORE_RE.search(text, clause[0], clause[0] + m.start()) is not None
            stock_kind = prior if served else stock  # 为全区N名老年人提供…: whom the action serves
            cues.append((m.end(), "baseline" if m.group().strip()[2:] else stock_kind))  # 全市剩余的, 全市现有: the stock
    elif prior != "target" and SHARE_OF_RE.search(prefix):
        cues.append((len(prefix), "baseline"))  # 占常住人口的22.6%: a share of a whole, the status quo
    if RISE_TO_RE.search(prefix):  # …提高到735元: the level after, planned or reached
        cues.append((len(prefix) + 1, "growth"))
    if chinese and ATTRIBUTIVE_DE_RE.search(prefix) and re.match(r"[\u4e00-\u9fff]", suffix) \
            and not suffix.startswith(("和", "以", "内")):
        cues.append((len(prefix), "baseline"))
    lead = text[max(0, clause[0] - 12):clause[0]]
    if not cues and STOCK_LEAD_RE.search(lead):  # 目前，全县城市低保4120户; 目前，2家已完工: progress
        cues.append((0, "achievement" if NOW_HAVE_AFTER_RE.match(suffix) else "baseline"))
    elif not cues and SINCE_LEAD_RE.search(lead):
        cues.append((0, "achievement"))  # 某年以来，共救助N人次
    if cues:
        kind = max(cues, key=lambda c: c[0])[1]
        if kind == "growth" and prior == "baseline":  # a news report's 新增, 提高至: what was done (a plan
            return "achievement"                    # word in its sentence has made the prior a target)
        if kind in ("growth", "floor"):  # 新增, 不低于: planned in a plan, reported in a summary's results
            return "achievement" if prior == "achievement" else "target"
        if kind == "done":  # 办理, 竣工: a completed action, unless a plan's sentence states it
            return "target" if prior == "target" else "achievement"
        return kind
    m = pats["suffix_cue"].search(suffix)
    if m:
        return cue_kinds("suffix")[m.group(0)]
    if is_range:
        return "target"
    part = prefix.rsplit("、", 1)[-1]  # 其中分散供养N人、集中供养N人: the part after the previous one
    if carry and PART_OF_PREVIOUS_RE.match(part) and not INDICATOR_VERB_RE.search(part):
        return carry  # 其中结婚登记5081对, 离婚登记1975对: parts of the figure before
    if carry == "achievement" and prior == "baseline":
        return carry  # a news item's 发放低保金N万元；…供养资金N万元: one list of what was paid out, the verb said once
    if prior == "achievement" and unit == "元" and STANDARD_RATE_BEFORE_RE.search(prefix) \
            and not REACHED_BEFORE_RE.search(prefix):
        return "baseline"  # a summary's 城市低保标准为每人每月620元: the standard in force
    if prior == "achievement" and unit not in FLOW_UNITS and CASELOAD_RE.search(prefix):
        return "baseline"  # a summary's caseload; a plan's 保障特困人员279人 is its commitment
    if prior == "baseline" and (unit in FLOW_UNITS or unit == "元" and not MONEY_LEVEL_BEFORE_RE.search(prefix)):
        return "achievement"  # a news item's 救助流浪乞讨人员158人次, 收到爱心捐款N万元: a flow over a period, what was done
    return prior


def prior_of(doc_type: str | None) -> str:
    """The kind of a quantity without any cue in a document of ``doc_type`` (None or '': a plan)."""
    if doc_type is None or doc_type == "":
        return DEFAULT_PRIOR
    if doc_type not in DOC_TYPE_PRIOR:
        raise UsageError(f"doc_type {doc_type!r} is not one of {', '.join(DOC_TYPE_PRIOR)}.")
    return DOC_TYPE_PRIOR[doc_type]


def heading_parts(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, part)`` spans from the top-level headings of ``text``: a heading that reviews results
    (“十二五”民政事业发展主要成效, 规划执行情况) opens a ``result`` part, one that announces plans (目标任务,
    下一步打算) a ``plan`` part, each up to the next top-level heading. For a plan whose first chapter reviews
    the last five years, where the segmenter gives no parts."""
    heads = [(m.start(), m.group("title")) for m in TOP_HEADING_RE.finditer(text)]
    out = []
    for (at, title), nxt in zip(heads, [h[0] for h in heads[1:]] + [len(text)]):
        part = "result" if BACKGROUND_HEADING_RE.match(title.strip()) else "plan" if PLAN_HEADING_RE.search(title) \
            else "result" if RESULT_HEADING_RE.search(title) else ""
        if part:
            out.append((at, nxt, part))
    return out

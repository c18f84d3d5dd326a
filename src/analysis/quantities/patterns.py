"""Every compiled pattern and constant of the quantity extractor, and the readers of its resource files.

The patterns that do not depend on a resource are module constants; those built from the resource
files (counter units, comparator words, kind cues: ``resources/quantity_*.csv``) are compiled once by
:func:`resource_patterns`. The readers (:func:`units`, :func:`comparators`, :func:`kind_cues`,
:func:`name_nouns`, :func:`read_rows`) read each file once.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache

from analysis import config, numerals, punctuation
from analysis.segment.patterns import BACKGROUND_WORDS

UNITS_FILE = "quantity_units.csv"
COMPARATORS_FILE = "quantity_comparators.csv"
KIND_CUES_FILE = "quantity_kind_cues.csv"
NAME_NOUNS_FILE = "quantity_name_nouns.txt"
FAMILIES_FILE = "quantity_indicator_families.csv"
INDICATORS_FILE = "quantity_indicators.csv"

#: The kinds of a quantity (see :func:`analysis.quantities.kind_of`).
KINDS = ("target", "achievement", "baseline", "other")

#: Columns of :func:`targets` / ``targets.csv``, in order.
COLUMNS = ("region", "doc_id", "task_id", "domain", "task_domain", "value", "value_max", "unit", "per", "comparator",
           "indicator", "indicator_family", "indicator_id", "kind", "deadline", "is_full_coverage", "span", "start",
           "end", "sentence")
#: Columns of :func:`analysis.quantities.extract.misses` / ``quantity_misses.csv``, in order.
MISS_COLUMNS = ("region", "doc_id", "task_id", "start", "end", "span", "reason", "context")

# --- compiled patterns: the one place they live ---------------------------------------------------------

DIGITS = "0-9０-９"
#: The most digits a number has before and after its decimal point (longer runs are registration,
#: account or telephone numbers, never quantities). Bounded, the patterns stay linear on a run of
#: digits, and no integer too long for ``str()`` (4,300 digits) is ever made.
MAX_INT_DIGITS = 24
MAX_DEC_DIGITS = 12
#: An Arabic number: digits with an optional decimal part (full-width digits too).
ARABIC_NUM = rf"[{DIGITS}]{{1,{MAX_INT_DIGITS}}}(?:[.．][{DIGITS}]{{1,{MAX_DEC_DIGITS}}})?"
#: :data:`ARABIC_NUM` not continuing a number, a decimal point or a Latin word (not 3 in 12.3, A3): the
#: look-behind comes after the first digit, so the regex engine can skip ahead to digits. The plain form
#: is ``(?<![0-9０-９.．A-Za-z])`` + :data:`ARABIC_NUM`; the tests compare the two.
ARABIC_NUM_FIRST = (rf"[{DIGITS}](?<![{DIGITS}.．A-Za-z][{DIGITS}])[{DIGITS}]{{0,{MAX_INT_DIGITS - 1}}}"
                    rf"(?:[.．][{DIGITS}]{{1,{MAX_DEC_DIGITS}}})?")
#: A figure whose digit groups a space splits (计划投资6 000万元: a thousands separator; 新增供养人员30 00人: a figure broken
#: across a page's columns — a group opening with 0 continues a number, no number opens with 0). Issue 14 sixth
#: reading (item 4, spaces inside figures; a shape of the qty6 held-out set, seen while labelling it); read with the
#: spaces taken out.
GROUPED_NUM = rf"(?<![{DIGITS}.．A-Za-z])[1-9１-９][{DIGITS}]{{0,3}}(?:[ \u3000\xa0](?:[{DIGITS}]{{3}}|[0０][{DIGITS}]{{1,2}}))+(?![{DIGITS}.．])"
#: The next figure of a list of one indicator's values (分别提高至每人每月950元、720元; 分别为120个和85个): the text between
#: two figures of the same unit (issue 14 sixth reading, indicators).
LISTED_NEXT_RE = re.compile(r"\s{0,2}(?:、|和|及|与|，|,)\s{0,2}(?:每人每[月年]|每月|每年)?\s{0,2}")
#: 城乡低保标准分别…950元、720元: the urban standard, then the rural one (issue 14 sixth reading, indicators).
URBAN_RURAL_RESPECTIVELY_RE = re.compile(r"城乡[^，,；;。]{0,16}分别")
SPACES_RE = re.compile(r"[ \u3000\xa0]")
HAN_RE = re.compile(r"[\u4e00-\u9fff]")
#: A digit run opening with 0 that is no decimal (the 00 of 30 00人 where the join fails): a fragment of a number,
#: never a quantity of value 0; listed in the misses table with reason ``fragment``.
FRAGMENT_RE = re.compile(rf"[0０][{DIGITS}]+")
#: Chinese numeral characters (:data:`analysis.numerals.CHARS`, 两 included) and the 万/亿 multipliers.
CN_NUM_CHARS = numerals.CHARS + numerals.MULTIPLIERS
#: The longest Chinese number read (一千二百三十四万五千六百七十八 has 15 characters). A longer run of
#: numeral characters is no number; it is never matched from inside either (the pattern starts a run).
MAX_CN_NUM = 16
CN_NUM = rf"(?<![{CN_NUM_CHARS}])[{CN_NUM_CHARS}]{{1,{MAX_CN_NUM}}}"
#: Range separators: 2-3个, 30---49张, 3～5个, 3至5个.
RANGE_SEP = r"\s{0,3}(?:-{1,3}|—{1,2}|－|~|～|至|到)\s{0,3}"
#: Spaces inside a figure, as PDF extractions and some sites write them (728 元 / 人 / 月, 4025 人): at most
#: two blanks (ideographic space included), never a line end.
INLINE_SP = r"[ \t\u3000\xa0]{0,2}"
#: A rate written after the unit: /人/月, / 人 / 年 (spaces allowed).
PER_DENOMINATORS = r"(?:人次|床位|平方米|[人户月年天床日次周季张个])"
PER_SUFFIX = rf"(?P<per>(?:{INLINE_SP}/{INLINE_SP}{PER_DENOMINATORS})+(?:[·・]{PER_DENOMINATORS})?)?"
#: A standard written without its currency: 550/月, 800/人/月 (the unit is 元 by convention; not 1/3, not dates).
BARE_RATE_RE = re.compile(rf"(?<![{DIGITS}.．/A-Za-z])(?P<num>[{DIGITS}]{{2,7}}(?:[.．][{DIGITS}]{{1,2}})?)"
                          rf"(?P<per>(?:{INLINE_SP}/{INLINE_SP}(?:人|户|月|年|床|天)){{1,2}})(?![{DIGITS}])")
#: A figure in 万/亿 without its unit, which the noun before it names (发放低保金215万, 累计支出资金12.5亿: 元; 全年死亡人数约为
#: 86万: 人). Issue 14 sixth reading (qty6 development, qty6-dev-707; a shape of the qty6 held-out set too, seen while labelling it). Nothing
#: follows that could be a unit or a word of the figure.
BARE_MULT_RE = re.compile(rf"(?P<num>{ARABIC_NUM_FIRST}){INLINE_SP}(?P<approx0>余|多)?(?P<mult>[万亿])(?P<approx>余|多)?"
                          rf"(?![万亿{DIGITS}%％‰])")
BARE_MULT_UNITS = (
    ("元", re.compile(r"(?:金|资金|款|经费|费|补贴|补助|支出|投资|收入|捐赠|捐款|金额|资产)"
                     r"(?:共|计|合计|累计|总计|达|达到|为|约|约为)?\s{0,2}$")),  # 净资产达12亿 (qty10)
    ("人", re.compile(r"(?:人数|人口|老年人)(?:共|约|为|约为|达|达到|超过|(?:预计)?将?达到)?\s{0,2}$")),  # qty10
)
#: ... or that the noun after it names: 惠及800多万残疾人, 覆盖12万群众 (人; qty6-dev-710).
BARE_MULT_PEOPLE_AFTER_RE = re.compile(r"(?:残疾人|老年人|老人|群众|居民|儿童|人口|农民|村民|人)")
#: ... or a group of people named with a short qualifier first (为3.26万困难残疾人、1.08万重度残疾人发放补贴; seg11
#: reading): read after the noun before the figure had its say, so 资金1.2万改造老人… stays 元.
BARE_MULT_GROUP_AFTER_RE = re.compile(r"[\u4e00-\u9fff]{1,4}?(?:残疾人|老年人|老人|群众|居民|儿童|农民|村民)")
#: A standard in force stated in a summary's results (城市低保标准为每人每月620元, 月人均补差310元以上, 每人每月分别补助80元、
#: 65元): the level that applies, a baseline — unless reached or raised to (达到, 提高到: the prior's result). Issue 14
#: sixth reading (qty6-dev-709); the earlier readings' 供养标准为人年N元 too.
STANDARD_RATE_BEFORE_RE = re.compile(r"(?:每人每[月年]|每月每人|每年每人|月人均|年人均|人均|每[人户])[^，,；;。]{0,6}$")
REACHED_BEFORE_RE = re.compile(r"达到|达|提高|提升|增加|增至|调整|调至|上调|发放|支出")
#: Per cent and per mille written in words: 百分之五十, 百分之九十五以上, 千分之五.
PERCENT_WORDS_RE = re.compile(rf"(?P<base>百分之|千分之)(?P<num>[{numerals.CHARS}]{{1,6}}(?:点[{numerals.CHARS}]{{1,3}})?)")
#: A unit that is no unit in this place: 单位/单独/单亲 (单 counts cases), 次 of a speech or a session
#: (两次重要讲话, 六次全会), 台 of a platform (台账, 台阶), 所 of a relative clause (所需, 所有), 场 of a place (场所, 场地),
#: 具 of an adjective (具体, 具有), 顶 of a position (顶层设计, 顶岗), 起 of a verb (起草, 起步: 起 counts cases), 头 of a
#: headline (头条).
FALSE_UNIT_RE = re.compile(r"单(?=位|独|亲|一|元|项|列)|次(?=重要讲话|讲话|全会|全体|会议|代表大会)|台(?=账|阶|湾|风)"
                           r"|所(?=需|有|属|得|在|以|谓|述|辖)|场(?=所|地|馆|景|合|域)|栋(?=梁)|具(?=体|有|备)|顶(?=层|级|端|尖|部|岗)"
                           r"|起(?=来|草|步|点|始|码|止|源|因|诉|见|飞|航|跑|色|初|身|居|床|伏|落|算|步|到|至|以来)|头(?=条|脑|等|号|衔|版|部|像)")
#: A run of Arabic digits (with a decimal part): what the misses table accounts for.
DIGIT_RUN_RE = re.compile(rf"(?<![{DIGITS}.．])[{DIGITS}]+(?:[.．][{DIGITS}]+)?")
#: Digit runs that are dates, years, clock times, list markers, codes or page numbers, not candidates for the
#: misses table: 2024年, 7月, 12日, 17:07, 1. 2、 ①, 第3, 0558-5130002, 第1页共7页.
NOT_A_MISS_BEFORE_RE = re.compile(r"(?:第|届|[:：]|[-/.．)）A-Za-z©]|[0-9０-９])$")
NOT_A_MISS_AFTER_RE = re.compile(r"^(?:\s{0,2}(?:年|月|日|号|时|点|分|秒|届|期|批|轮|版|页|周岁|岁|\.|．|、|）|\)|:|：|-|/)"
                                 r"|\s{0,2}(?:系|热线|号线)|[0-9０-９A-Za-z])")
#: A list marker or a table's row number standing alone (| 3 |, 。 2 社区建设), a year (© 2025), a code or a
#: telephone number (seven digits or more): not listed as misses either.
LIST_NUMBER_RE = re.compile(r"(?:^|(?<=[|\s。；;]))\s*[0-9０-９]{1,2}\s+(?=[|\u4e00-\u9fff]|$)", re.M)
LONG_CODE_DIGITS = 7
YEAR_RUN_RE = re.compile(r"(?:19|20)[0-9]{2}")
#: Full coverage as a figure. Not when it only says how something is done (全覆盖排查: comprehensive screening).
FULL_COVERAGE_RE = re.compile(r"全覆盖(?!排查|检查|摸排|走访|宣传)")
#: 三级全覆盖的…机制: 全覆盖 as an attribute, no figure, unless a verb before it makes it the aim (实现…全覆盖的要求).
ATTRIBUTE_COVERAGE_RE = re.compile(r"全覆盖的")
#: 力争实现两个全覆盖：…: 全覆盖 right after a count is the name of the goals counted, no figure (issue 14 fourteenth
#: reading, qty14 held-out set); the count itself is an enumeration (resources/quantity_name_nouns.txt: 全覆盖, in
#: words only, like the count here: 100%全覆盖 stays a figure).
COUNTED_COVERAGE_BEFORE_RE = re.compile(r"[一二两三四五六七八九十]\s{0,2}[个项大]\s{0,2}$")
COVERAGE_VERB_BEFORE_RE = re.compile(r"(?:实现|达到|做到|推进|推动|确保|基本|力争)[^，,。；;]{0,14}$")
#: Sentence ends (cells of a pipe table end sentences too) and clause ends (for the nearest cue and comparator).
SENTENCE_END_RE = punctuation.boundary_re(lines=True, cells=True)
CLAUSE_END_RE = punctuation.boundary_re(clauses=True, lines=True, cells=True)
#: Before a number: an ordinal (第三届, 十四届六次) or a rate denominator (每千名).
ORDINAL_BEFORE_RE = re.compile(r"[第届]$")
PER_BEFORE_RE = re.compile(r"每$")
#: A page counter (点击:35次, 浏览次数: 120): the web page's metadata, no quantity of the plan (issue 14).
PAGE_COUNTER_BEFORE_RE = re.compile(r"(?:点击|浏览|阅读|访问)(?:量|数|次数)?\s{0,2}[:：]\s{0,2}$")
#: A count in words that announces a list (任务主要包括五项:一是…): the number of the list's items (issue 14).
#: The count of a plan's own indicators (提出15项主要发展指标, 其中5项为约束性指标, 4项目标值为100%) and of the bodies
#: that issued a document (市发改委等11个部门联合印发): the document's make-up, no quantity of anything it governs
#: (issue 14 fifteenth reading, qty15 held-out set).
PLAN_INDICATORS_AFTER_RE = re.compile(r"[^，,；;。：:、0-9]{0,12}?指标(?!值)|为(?:约束性|预期性|考核)|目标值")
ISSUERS_AFTER_RE = re.compile(r"(?:个)?(?:部门|部委|单位)\s{0,2}(?:联合|共同)")
LIST_ANNOUNCED_AFTER_RE = re.compile(r"(?:[个项条点]|方面)?\s{0,2}[:：]")
def _quote_res(before: int, after: int) -> tuple[re.Pattern, re.Pattern]:
    """An open quote at most ``before`` characters before a figure, and a close quote at most ``after`` after it."""
    inner = "[^“”\"《》「」『』]"
    return (re.compile(rf"[“\"《「『]({inner}{{0,{before}}})$"), re.compile(rf"^{inner}{{0,{after}}}[”\"》」』]"))


#: A number inside quotes (a slogan or name: “两个确立”, “十五分钟”) or a title (《…》).
OPEN_QUOTE_RE, CLOSE_QUOTE_RE = _quote_res(15, 20)
#: The same for a count in Chinese numerals, over a whole slogan of several parts (“提升一个水平、…、突出四个重点”);
#: an Arabic figure in a long quote is a quoted rule (“每桌控制在200元以内”), a quantity.
OPEN_QUOTE_WIDE_RE, CLOSE_QUOTE_WIDE_RE = _quote_res(29, 29)
#: A title in 《》 (deadline words inside it are not deadlines).
TITLE_RE = re.compile(r"《[^《》]*》")
#: Rate denominator written with 每 earlier in the clause: 每个城市社区平均拥有…10个, 每千名老人拥有…36张.
PER_PHRASE_RE = re.compile(r"每(?:个|一个)?(?P<per>[\u4e00-\u9fff]{1,8}?)(?=平均|拥有|至少|不少于|试点|发展|建设|配备|设立|都|要)")
#: 户均800元: a rate per household written before the number; 每人每月800元: per person and month.
PER_AVERAGE_RE = re.compile(r"(?P<y>[年月])?(?P<per>[户人])均(?P<y2>[年月])?\s{0,2}$")
PER_EACH_RE = re.compile(r"每(?P<a>[人户月年天床])(?:每(?P<b>[人户月年天]))?$")
#: Deadlines: 年底, 2024年底, 年底前, 全年, 7月份 … (outside 《》 titles).
DEADLINE_RE = re.compile(
    rf"[{DIGITS}]{{4}}年(?:[{DIGITS}]{{1,2}}月(?:[{DIGITS}]{{1,2}}日|份|底|末)?前?|底前|底|末|内)?"
    rf"|年底前|年底|年末|年内|全年|上半年|下半年"
    rf"|[{DIGITS}]{{1,2}}月(?:[{DIGITS}]{{1,2}}日|份|底|末)?前?")
#: A standard that takes effect later: 从7月份执行 (read in the next sentence when the sentence has no deadline).
EFFECTIVE_RE = re.compile(rf"\s{{0,20}}[^。]{{0,30}}?从(?P<d>[{DIGITS}]{{1,2}}月份?)起?(?:执行|实施)")
#: Structural kind cues, searched in the clause before the number (nearest wins, like the cue words).
ACHIEVED_LE_RE = re.compile(r"[\u4e00-\u9fff](?<![为除])了(?!解)")   # 挑选了442家 (not 为了, 除了, 了解)
#: 全市2028家社会组织 (the stock); not after a verb of attainment (实现全市15个乡镇社工站全覆盖: the extent of a goal or
#: a result, issue 14 fourth reading, dom-dev-338).
#: 为全区23000名老年人提供服务: a citywide count after 为/对/向 names whom the action serves, not the stock (issue 14
#: eighth reading, qty8 held-out set): the prior's kind.
BENEFICIARY_BEFORE_RE = re.compile(r"[为对向]$")
CITYWIDE_STOCK_RE = re.compile(rf"(?<!实现)(?<!达到)(?<!覆盖)(?<!完成)(?<!建成)全[市县区省旗镇乡](?:剩余的?|现有)?\s?(?=[{DIGITS}])")
#: 由X提高到Y / 从X增至Y: X is the level before (baseline) ...
FROM_BEFORE_RE = re.compile(r"(?:由|从)[^，,；;。：:由从]{0,8}$")
RISE_AFTER_RE = re.compile(r"^\s{0,2}(?:[/／]\s{0,2}[\u4e00-\u9fff]\s{0,2}){0,2}(?:提高|提升|增加|增至|增长|增到|上调|调整|调增|调高|"
                           r"扩大|扩展|升至|上升|攀升|达到|(?:统一)?调至|(?:统一)?调整?到)")
#: 由月人均N元、年人均N元统一调至…: each level listed after 由 before the verb is a level before (issue 14).
FROM_LIST_BEFORE_RE = re.compile(r"(?:由|从)[^，,；;。：:由从提升高增调至到]{0,20}、[^，,；;。：:由从提升高增调至到]{0,8}$")
RISE_LATER_RE = re.compile(r"^[^，,；;。]{0,16}?(?:提高|提升|增加|增至|上调|调整|调增|调高|调至)")
#: 累计…达到: a level reached over the years, the stock (issue 14), not this year's result.
ACCUMULATED_LEVEL_RE = re.compile(r"累计[^，,；;。]{0,14}?(?:达到|达)\s{0,2}$")
#: 共销售彩票N万元，累计销售彩票N亿元: 累计 with the verb of an earlier figure of the same sentence is the running
#: total since the start beside the period's figure — the stock (issue 14 fourteenth reading, qty14 held-out set: a
#: charity's year in figures). What follows 累计 (the verb and its object, up to four characters: 销售彩票) is found again
#: earlier in the sentence without 累计; 累计拨付…，累计拨付… and 共压减床位…，累计压减经费… are no such pair.
RUNNING_TOTAL_RE = re.compile(r"累计\s{0,2}(?P<verb>[\u4e00-\u9fff]{2,4}?)[^，,；;。]{0,12}$")
#: Its earlier words state a figure of their own: a figure within twelve characters after them.
RUNNING_TOTAL_FIGURE_AFTER_RE = re.compile(r"[^，,；;。]{0,12}?[0-9０-９]")
#: 目前全市累计建成12个: the total to date after 目前/当前 is the stock, whatever the verb (issue 14 eighth reading, qty8
#: held-out set); 截至目前，累计… stays a report of results.
NOW_ACCUMULATED_RE = re.compile(r"(?<!截至)(?<!截止)(?:目前|当前)[^，,；;。]{0,8}累计[^，,；;。]{0,14}$")
#: 目前已建有助餐点64处, 当前全市拥有…: what there is now, the stock (issue 14 tenth reading, qty10 held-out set) — not
#: when the clause goes on with what the count did (目前已有3所敬老院动工建设: a report of progress); the same after a
#: 目前， lead (STOCK_LEAD_RE: 目前，2家嵌入式机构、11家幸福院已完工，5家在建; seg11 reading).
NOW_HAVE_RE = re.compile(r"(?<!截至)(?<!截止)(?:目前|当前)\s{0,2}[，,]?\s{0,2}[^，,；;。]{0,6}?已?(?:建有|拥有|共有|有)[^，,；;。]{0,14}$")
NOW_HAVE_AFTER_RE = re.compile(r"^[^，,；;。]{0,24}?(?:动工|开工|完工|竣工|在建|投用|实现|完成|建成|通过|申请|投入|开展|启动)")
#: 截至年底，全市共登记社会组织1320家: the register of organisations, a stock (issue 14 tenth reading, qty10 held-out
#: set); 新增登记注册社会组织95家 is growth, 共办理婚姻登记 a flow (no organisation counted).
REGISTERED_STOCK_RE = re.compile(r"(?:共|累计|已|现有)(?:依法)?(?:登记|登记注册|注册登记|登记备案)(?:在册)?的?(?:各类)?"
                                 r"(?:社会组织|社会团体|民办非企业单位|基金会|慈善组织|社区社会组织)\s{0,2}$")
#: 据测算，…老年人口将持续增长，到2030年将达到52万人: a projection of a population — no goal of the plan, no result, no
#: stock (kind other; issue 14 tenth reading, qty10 held-out set).
PROJECTION_RE = re.compile(r"(?<![每千百万名])(?:人口|老年人)[^。；;拥床设机服]{0,40}?(?:将|预计|预测)[^。；;拥床设机服]{0,24}?"
                           r"(?:达到|达|突破|超过|增至)\s{0,2}$")  # not 每千名老年人拥有床位将达到35张
PROJECTION_LEAD_RE = re.compile(r"据测算|据预测|预计|预测|测算")
#: A breakdown in parentheses right after a figure (共登记社会组织1320家（社会团体510家，民办非企业单位810家）): each part
#: shares the figure's kind (issue 14 tenth reading, qty10 held-out set). OPEN: between the figure and its first part;
#: NEXT: between two parts, the parenthesis still open; FIGURE_END: a number and its unit right before the parenthesis.
BREAKDOWN_OPEN_RE = re.compile(r"\s{0,2}[(（][^()（）0-9０-９，,；;。]{0,12}")
BREAKDOWN_NEXT_RE = re.compile(r"\s{0,2}[，,、]\s{0,2}[^()（）0-9０-９，,；;。]{0,12}")
BREAKDOWN_FIGURE_END_RE = re.compile(r"[0-9０-９][^0-9０-９，,；;。()（）\s]{0,3}\s{0,2}$")
#: A clause that only says when (目前, 截至目前,): its stock word reaches into the next clause.
STOCK_LEAD_RE = re.compile(r"(?:^|[，,。；;])\s*(?:目前|现有|当前)\s*[，,]\s*$")
#: The units a body has, right before the count (指导下属4个支部开展…活动36次, 所属3家事业单位): a stock; the figures
#: later in the clause are what they did (seg11 reading).
SUBORDINATE_BEFORE_RE = re.compile(r"(?:下属|所属|下辖)\s{0,2}$")
#: A threshold that defines a class (年收入不足10万元的家庭, 低于…的): no goal, no result.
THRESHOLD_BEFORE_RE = re.compile(r"(?:不足|低于|高于|少于|不到)\s{0,2}$")
THRESHOLD_AFTER_RE = re.compile(r"^\s{0,2}(?:以下|以上)?的")
#: A count right after a list of names (评议、公示、审批三个重点环节; 甲区、乙区、丙县等N个区县) counts the list's items
#: (issue 14): in words always; in digits only after 等 and when the noun after the unit repeats the last item's end.
LISTED_NAMES_BEFORE_RE = re.compile(r"(?:[\u4e00-\u9fff]{1,8}、){1,}(?P<last>[\u4e00-\u9fff]{1,8}?)(?P<deng>等)?$")
#: 甲公司(集团)、乙有限公司、丙股份有限公司等三家企业; 张三、李四夫妇,王五,赵六等四位: a count in words after 等
#: that closes a list of longer names (brackets inside, commas or 、 between them) counts the names (issue 14
#: fourteenth reading, qty14 held-out set: a news item's list of those honoured).
DENG_LIST_BEFORE_RE = re.compile(r"(?:[^，,；;。、：:\s]{2,24}[、，,]){2,}[^，,；;。、：:\s]{2,24}等$")
#: A template site's collection title (…工作总结范文汇总五篇, 最新…范文(15篇)): the number of texts on the page, no quantity
#: of the plan (issue 14 tenth reading, qty10 held-out set); used with the unit 篇 after the number.
COLLECTION_BEFORE_RE = re.compile(r"(?:范文|汇总|大全|精选|合集|集锦)\s{0,2}[(（]?\s{0,2}$")
#: The reading time a web page announces (读完约1分钟): the page's metadata.
READING_TIME_BEFORE_RE = re.compile(r"读完(?:约|需)?\s{0,2}$")
#: 调研组一行5人: the size of a visiting party in a news item, no quantity of the plan (issue 14 fourth reading, dom-dev-332).
DELEGATION_BEFORE_RE = re.compile(r"一行\s{0,2}$")
#: A count in words next to quoted names (“老有康养”“弱有众扶”两项重点工程, 三个“一号工程”) counts the names.
QUOTED_NAMES_BEFORE_RE = re.compile(r"(?:[”\"」』]|以上|上述)$")   # 以上三个项目: the ones just listed
QUOTED_NAMES_AFTER_RE = re.compile(r"[“\"「『]")                  # used with .match(text, end)
#: Enumeration nouns that only count names after a count in words (十项工作); 4项工作得到批示 counts the work done.
WORDS_ONLY_NAME_NOUNS = ("工作", "重点工作", "重点任务", "全覆盖")  # 100%全覆盖 is a figure, 两个全覆盖 a list
#: A clause that only says since when (2011年以来，): its results reach into the next clause.
SINCE_LEAD_RE = re.compile(rf"(?:^|[，,。；;])\s*[{DIGITS}]{{4}}\s{{0,2}}年(?:以来|来)\s*[，,]\s*$")
#: 比某年的N元: the level of a past year (baseline); 某年以来，共救助N人次: results since a year.
PAST_LEVEL_RE = re.compile(rf"比\s{{0,2}}[{DIGITS}]{{4}}\s{{0,2}}年(?:底|末)?的?\s{{0,2}}$")
#: 今年以来, 年初以来 (issue 14 fourth reading, dom-dev-341) as well as 2011年以来: results since then.
SINCE_YEAR_RE = re.compile(rf"(?:[{DIGITS}]{{4}}\s{{0,2}}年|今年|年初|本年度)(?:以来|来)")
#: 比上年增长5%, 比上年增加85个, 比去年同期减少120户: the change over a past period — what the year did (an
#: achievement outside plans), not the stock the sentence opened with (issue 14 sixth reading, qty6 development:
#: qty6-dev-706, a statistical bulletin); a clause of only 增长/下降 (…比上年增加85个，增长7.6%) states the same change as a
#: rate; 较上年分别增长8.2%和12.4%, 同比增长6.5% (qty6-dev-710), 均比“十三五”末增长超过25% (qty6-dev-711) too; not 比例, 比重,
#: 比率, nor 较好/较大 (no comparison). In a plan (比上年增长10%) the change is the goal.
#: A change is no whole that 其中 parts share the kind of.
_CHANGE_VERB = r"(?:分别)?(?:增长|增加|减少|下降|提高|上升|降低|净增|增)了?\s{0,2}"
_CHANGE_LISTED = r"(?:[0-9０-９.．]+\s{0,2}[%％]\s{0,2}(?:和|、|及)\s{0,2})*$"   # 分别增长8.2%和12.4%: each rate
_CHANGE_END = rf"\s{{0,2}}(?:均)?{_CHANGE_VERB}(?:超过|达到)?\s{{0,2}}{_CHANGE_LISTED}"
CHANGE_OVER_RE = re.compile(rf"(?:[比较](?!例|重|率|好|大|为|高|低|多|少|快|慢)[^，,；;。]{{0,12}}?|同比){_CHANGE_END}"
                            rf"|^\s{{0,2}}(?:增长|增加|减少|下降|上升|降低)了?\s{{0,2}}$")
#: 相较于2020年，全省城乡低保平均标准分别增长18.5%和22.1%: the comparison opens the sentence, the change ends the clause
#: (qty6-dev-711, a five-year review in the news).
COMPARED_LEAD_RE = re.compile(r"相较于|相比于?|与[^，,；;。]{1,16}相比")
CHANGE_END_RE = re.compile(rf"{_CHANGE_END}")
#: The tense of the sentence before a figure that has no cue of its own (issue 14, kinds.sentence_prior), for the
#: documents whose prior is no plan's (a newspaper feature's status quo, a summary): the nearer of a plan word
#: (力争, 确保, 预计, 计划, 将于, 将持续/将加快/将进一步 — 将 before an adverb or verb of action, qty6-dev-704, a
#: feature's 今年我市将…; 到2025年, 到“十四五”末, 年底前, 年内) and a word of the past (去年, 近年来, 以来, 经过,
#: 1至3月, 上半年, V了, 已; not 上年度, the reference year of a rule: 增幅不低于上年度收入增幅, nor 比上年, a comparison) decides — a target,
#: or a result (achievement). 截至 is no past word, nor a past date after it: 截至去年底，老年人口
#: 36万人 is a stock. Issue 14 fifteenth reading (qty15 held-out set, news of plans): a plan or opinion that
#: states its content (规划提出, 意见明确, 《实施方案》提出; not a bulletin's 《公报》指出), 目标是/目标值为,
#: 必须达到 / 要达到, and 将 before 推广, 配备, 建立, 办好 … are plan words; 计划 closing a quoted programme name (“星光计划”共资助…) is none.
PLAN_SENTENCE_RE = re.compile(r"力争|确保|预计|争取(?!到)|计划(?!的|数|任务|》|财务|生育|[”\"’])"
                              r"|将(?:于|在|要|会|达到|实现|新增|新建|建成|完成|加大|投入"
                              r"|持续|继续|进一步|全面|大力|加快|着力|深入|扎实|聚焦|推进|推动|实施|开展|启动|打造|提升|不断|稳步|给予"
                              r"|大于|超过|不低于|不少于|保持|推广|配备|建立|构建|集中|办好|实行|落实)"
                              r"|(?:意见|规划|方案|纲要)》?\s{0,2}(?:明确|提出|要求|指出)|目标值?(?:是|为)|(?:必须|(?<![主重需只])要)(?:达到|实现|完成|保持)"
                              r"|下一步|今后|明年|年底前|年内|到\s{0,2}[0-9]{4}\s{0,2}年(?:底|末)?|到[“\"]?十[一二三四五六七八九]五[”\"]?(?:末|期末)"
                              r"|(?:目标任务|年度目标|工作目标|任务目标|建设任务|年度任务)\s{0,2}[:：]")  # a progress report's 目标任务：…
#: 为确保…, 以确保…, 为了加强…，确保…: 确保 in a clause of purpose says why something was done, no plan of the sentence
#: (issue 14 tenth reading, qty10: 为了规范…，确保…，用了两个月补办了…); matched on the sentence up to 确保.
PURPOSE_BEFORE_RE = re.compile(r"(?:^|[\s，,。；;])\s{0,2}(?:为了?|以)\s{0,2}$|^\s{0,2}为了[^。；;]{0,30}[，,]\s{0,2}$")
#: The breakdown of a stock (现有低保户中：A类家庭65户，…): every figure of the sentence after it is the stock's.
STOCK_BREAKDOWN_RE = re.compile(r"(?:现有|共有|目前有|现共有)[^。；;，,]{0,20}中\s{0,2}[:：，,]")
#: A year in a sentence (2025年我国…达78.3岁): later than the document's own year, it states a plan (issue 14
#: ninth reading: a 2022 news report of a plan's 2025 goals); 2025年以来 is no future.
SENTENCE_YEAR_RE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s{0,2}年(?!以来|来|度?以来)")
PAST_SENTENCE_RE = re.compile(r"(?<!截至)(?<!截止)(?<!到)(?<!比)(?:去年|上年(?!度)|前年|上半年|前三季度)|近年来|近年|以来|经过|"
                              r"(?<![0-9])[0-9]{1,2}\s{0,2}月?\s{0,2}(?:至|到|—|-)\s{0,2}[0-9]{1,2}\s{0,2}月|"
                              r"[\u4e00-\u9fff](?<![为除])了(?!解)|已")
#: 目前, 当前, 现有 after the sentence's tense words: the sentence turns to the status quo (an invented shape: …今年以来投入N万元改造敬老院，
#: 目前，全镇有N处养老机构: a stock, qty6-dev-702). Not 截至目前 (截至目前，已建成…: a report of results).
NOW_SENTENCE_RE = re.compile(r"(?<!截至)(?<!截止)(?:目前|当前|现有)")
#: 占上年度人均消费支出的N%, 占常住人口的N%: a share of a whole, the status quo (baseline) where the
#: prior is no plan's (issue 14 fourth reading; dom-dev-306). A plan's 占…的比例不低于55% keeps its nearer cue.
SHARE_OF_RE = re.compile(r"占[^，,；;。占]{1,30}?的\s{0,2}$|(?<![提升高降增])占比(?:为|是)?\s{0,2}$")  # 扶贫占比45% (qty10)
#: After a count named with 全市 (the stock), a verb of result in its clause (全市N名困难残疾人实现脱贫, 全县N个乡镇
#: 完成…): what the count did, not what there is; the sentence's tense decides (issue 14 fourth reading, dom-dev-326).
#: Not after 剩余/现有 (全市剩余的2.03万名未脱贫人口: still a stock), nor 未脱贫 (not yet).
RESULT_AFTER_RE = re.compile(r"^[^，,；;。]{0,20}?(?<!未)(?<!不)(?<!尚)(?:实现|完成|建成|成立|通过|脱贫|达标)")
#: 为12人次提供了医疗救助, 在8个乡镇成立了…, 对全市11所福利院进行了登记: a count introduced by a preposition (为, 对, 在, 向,
#: 给) and followed in its clause by a verb with 了 is the object of a completed action — a result outside plans, not a
#: stock (issue 14 fifth reading, dom14d: dom-ho-205, dom-ho-213, dom-ho-218).
DONE_OBJECT_BEFORE_RE = re.compile(r"(?:^|[^\u4e00-\u9fff]|[\u4e00-\u9fff](?<![行认以作成因]))[为对在向给][^，,；;。、]{0,6}$")
DONE_OBJECT_AFTER_RE = re.compile(r"^[^，,；;。]{0,20}?[\u4e00-\u9fff](?<![为除])了(?!解)")
#: 60岁以上老年人口4.2万人, 户籍人口达52万人: a population right before its figure is a demographic stock (baseline) —
#: not a per-capita denominator (每百万常住人口拥有…15家) (issue 14 fourth reading).
POPULATION_STOCK_RE = re.compile(r"(?<!每)(?<![百千万])(?:老年|户籍|常住|总|残疾)人口(?:总数|数)?\s{0,2}"
                                 r"(?:已?达到?|为|约|有|已?超过|共)?\s{0,2}$")
#: 领导班子由7人组成: what a body is made of, a stock (issue 14 fourth reading, dom-dev-343); not 组建2090名由…组成的队伍.
COMPOSED_BEFORE_RE = re.compile(r"由\s{0,2}$")
COMPOSED_AFTER_RE = re.compile(r"^\s{0,2}组成")
#: 争取项目经费1000万元, 争取上级资金500万元 in a summary's results: funds obtained (like 争取到), not a goal (issue 14
#: fourth reading, dom-dev-344); in a plan or a feature 争取 stays the target cue.
FUNDS_SOUGHT_RE = re.compile(r"争取[^，,；;。]{0,10}?(?:资金|经费|补助|资助|款)\s{0,2}$")
#: 将 used as 把: 将符合条件的N户困难家庭纳入低保 — the object of a disposal verb after the count; the word is then no
#: future tense, and the sentence's tense or the prior decides (issue 14 fourth reading).
FUTURE_WORD = "将"
DISPOSAL_AFTER_RE = re.compile(r"^[^，,；;。]{0,16}?(?:纳入|列入|转为|转入|调整为|调整到|提高到|提高至|提标至|发放到|发放给|"
                               r"安置到|安置在|送到|送往|移交|分配到|落实到|录入|认定为)")
#: 每年以3.3%的速度递增: the pace of a trend (the status quo), not a result (issue 14 fourth reading, dom-dev-311).
TREND_BEFORE_RE = re.compile(r"以\s{0,2}(?:年均|每年)?\s{0,2}$")
TREND_AFTER_RE = re.compile(r"^\s{0,2}(?:左右)?的?(?:速度|幅度|速率)(?:递增|增长|增加|上升)")
#: 共有 after 的 counts what the relative clause before it did (当天办理结婚登记的共有N对新人): no stock cue there.
DE_TOTAL_RE = re.compile(r"的$")
#: 以城市500元/月、农村310元/月标准为基数: a reference level that a rule builds on (kind other), not a standard reached.
BASIS_BEFORE_RE = re.compile(r"以[^；;。以为]{0,24}$")
BASIS_AFTER_RE = re.compile(r"^[^；;。]{0,30}?为(?:基数|基准|计算基数)")
#: A rate a rule applies (按照低保标准的30%、20%增发低保倾斜资金): a parameter of the rule (kind other), no goal or result.
RULE_RATE_BEFORE_RE = re.compile(r"按(?:照)?[^，,；;。]{0,16}的\s{0,2}(?:[0-9.．]+\s{0,2}[%％]\s{0,2}、\s{0,2})*$")
RULE_RATE_AFTER_RE = re.compile(r"(?:\s{0,2}、\s{0,2}[0-9.．]+\s{0,2}[%％])*\s{0,2}(?:增发|加发|发放|给予|计发|补助|救助)")
#: A caseload counted in person-times (保障对象126343人次) is a flow over the period, not a stock.
FLOW_UNITS = ("人次", "户次")
#: In a news item (prior baseline) a sum of money without a cue is a flow too — raised, received, donated, spent,
#: sold (收到爱心捐款N万元, 匿名认捐N万元, 彩票销量为N元; issue 14 fourteenth reading, qty14 held-out set) — unless
#: the clause names a standard, a price or a balance (殡仪服务收费标准为每具N元, 净资产N亿元, 余额: what is in force or held).
MONEY_LEVEL_BEFORE_RE = re.compile(r"标准|收费|价格|单价|净资产|资产|余额|存款|工资|收入")
#: A part heading of a summary that reports completion (二、某项工作稳步推进，目标任务圆满完成): its part is a result
#: part even where the segmenter read 目标任务 in it as a plan (issue 14, dom-dev-317).
COMPLETED_HEADING_RE = re.compile(r"圆满完成|顺利完成|全面完成|超额完成|取得|成效|成绩|完成情况|进展情况|回顾")
#: A top-level heading (一、…, 第一章 …) on a line of its own, and what it announces: a review of results
#: (“十二五”民政事业发展主要成效, 2023年工作完成情况) or plans (目标任务, 工作思路, 下一步打算).
TOP_HEADING_RE = re.compile(r"^[ \t\u3000]*(?:第[一二三四五六七八九十]{1,3}[章部分]|[一二三四五六七八九十]{1,3}、)"
                            r"(?P<title>[^\n]{0,40})$", re.M)
PLAN_HEADING_RE = re.compile(r"目标|任务|思路|计划|打算|安排|重点|举措|措施|要点|形势|原则|保障")
RESULT_HEADING_RE = re.compile(r"成效|成就|成绩|执行情况|完成情况|进展情况|工作回顾|回顾|开展情况|取得"
                               r"|规划背景|编制背景|发展基础|发展现状|工作背景|现状分析")  # a five-year plan's first chapter reviews results
#: A plan's review of the situation (工作背景与形势分析, segment's background headings) or a five-year plan's
#: 发展基础和面临形势 chapter: results, though 形势 is among the plan words.
BACKGROUND_HEADING_RE = re.compile("^(?:" + "|".join((*BACKGROUND_WORDS, "发展基础")) + ")")
#: A cue word used as a noun (年度投资计划的85%: the plan's figure, not a plan): no cue there.
#: 计划财务科 (the planning-and-finance section), 计划生育: names, no plan (issue 14 fourth reading, dom-dev-343).
CUE_AS_NOUN_RE = re.compile(r"计划(?=的|数|任务|财务|生育|[”\"’])|任务(?=的)")  # “星光计划”共资助…: a programme's name (qty15)
#: A count of recipients with no verb before it is the caseload (全市城市低保对象33087户): a stock.
#: Also the programme itself or its households right before the count (农村最低生活保障户90户, 其中城市低保6195户,
#: 城乡低保27933人: issue 14 fifth reading, dom14d, dom-ho-204/215/218); 新增低保 is growth (a cue first).
CASELOAD_RE = re.compile(r"(?:低保|五保|特困|供养|救助|保障)(?:对象|人员|家庭)\s{0,2}$"
                         r"|保障[\u4e00-\u9fff]{0,4}(?:低保|特困|五保)(?:对象|人员)?\s{0,2}$"
                         r"|(?<![发领纳入])(?:低保|五保|最低生活保障)(?:对象)?户?\s{0,2}$")
#: A clause that only names a part of the previous figure (其中集中供养973人, 分散供养1746人): it shares its kind
#: when it holds no verb of its own (see kinds.kind_of ``carry``).
PART_OF_PREVIOUS_RE = re.compile(r"^\s{0,2}(?:其中[:：]?)?[^0-9０-９]{0,8}$")
#: ... and Y the level after: a target in a plan, an achievement in a summary's results (the kind ``growth``).
RISE_TO_RE = re.compile(r"(?:提高|提升|增加|增长|上调|调整|调增|调高|扩大|升)\s{0,2}(?:到|至|为)\s{0,2}"
                        r"(?:目前的|现在的|(?:[0-9]{4}年)?[\u4e00-\u9fff]{0,6}?)(?:每[人户月年床]){0,2}\s{0,2}$|增至\s{0,2}$"
                        r"|调至(?:[月年][人户]均)?\s{0,2}$")  # 统一调至月人均660元 (issue 14)
#: A count in Chinese numerals right after 的 and before a noun names an existing set (法律援助中心的两位律师):
#: statistics and goals are written in Arabic digits (GB/T 15835), descriptions of what exists in words.
ATTRIBUTIVE_DE_RE = re.compile(r"的$")
#: 在1500人以下: a band that defines a class, not a goal.
BAND_BEFORE_RE = re.compile(r"在$")
#: 火化率在60%以下的是甲、乙两镇, 在1500人以下的站: a band followed by 的 and what falls in it defines a class even after a
#: rate (issue 14 tenth reading, qty10 held-out set); not 保持在95%以上的水平 (a level).
BAND_CLASS_AFTER_RE = re.compile(r"^\s{0,2}(?:以下|以上|以内)的(?!水平|标准|目标|比例|速度|增长|幅度|增幅)")
#: ... but a rate named before 在 (失业率控制在3%以内, 火化率多在90%以上) puts a level in the band: a goal or a status,
#: which the clause's other cues and the prior decide (issue 14 eighth reading, qty8 held-out set).
#: 认捐5万元以上的有：…, 90岁以上的是…: a band followed by 的有/的是 and its members picks out a class even
#: without 在 (issue 14 fourteenth reading, qty14 held-out set: a news item's honours by the size of the gift).
BAND_MEMBERS_AFTER_RE = re.compile(r"^\s{0,2}(?:以下|以上)的(?:有|是|为)")
BAND_RATE_BEFORE_RE = re.compile(r"(?:率|比例|占比|比重)[^，,；;。]{0,6}在$")
#: Trailing comparator/verb words stripped when the indicator is read from the text before the number.
INDICATOR_TRIM_RE = re.compile(
    r"(?:不少于|不低于|不高于|不超过|至少|达到|提高到|提高至|增加到|压缩至|达|为|约|共计|共有|占|总数|提高|拥有|平均|"
    r"实现|已|在|的|户均|人均|每[人户月年天床]|由|从|\s)+$")
#: Words after a unit that begin a predicate, not a noun (735元提高到…, 100张以上): no indicator there.
FOLLOWING_VERB_RE = re.compile(r"(?:提高|提升|增加|增至|增长|上调|调整|达到|减少|下降|降低|同比|比上年|较上年|左右|为|是)")
#: Units whose indicator is always read before the number (占比达到60%, 标准的1.3倍).
RELATIVE_UNITS = ("%", "倍")
#: X不低于Y的1.3倍, X占Y(的)100%: the indicator is X, Y is only the reference.
INDICATOR_REFERENCE_RE = re.compile(r"(?:不低于|不少于|不高于|不超过|达到|占)[^，,。；;]*?的$|占[^，,。；;]+$")
#: What a prefix read after a previous quantity starts with (以上、 和 及): dropped.
INDICATOR_LEAD_RE = re.compile(r"^(?:以上|以下|以内|内|余)?[、和及与，,]*")
#: A count at the start of an indicator read before the number (8个街道社工站实现全覆盖 -> 街道社工站).
LEADING_COUNT_RE = re.compile(rf"^[{DIGITS}.．]+[万亿]?[个家所张户名项条]")
CJK_START_RE = re.compile(r"[\u4e00-\u9fff]")
QUOTES_RE = re.compile(r"[“”\"（）()]")
#: Lead verbs: the indicator is what follows the last of them (新增家庭养老床位100张 -> 家庭养老床位).
INDICATOR_VERB_RE = re.compile(
    r"(?:新增|新建|建成|完成|共有|共计|发放|比对|组建|办理|打造|选定|拥有|设置|试点|推进实施|实施|开展|"
    r"融合|发布|建设|搭建|发展|挑选了|目前全市|全市|今年|全年|剩余的|剩余|实现|按照|继续|推进|等)")
#: Where an indicator read after the unit stops.
INDICATOR_STOP_RE = re.compile(
    r"[，,。；;、：:！？!?（）()\s|《》0-9]|和|与|及|的|等|由|实现|入选|安装|新建|均|作为|如期|试点|打造|需要|了|"
    r"发放|提供|享受|领取|"
    r"中(?!心|国|华|央|小|医)")
#: The cleaning of an indicator (issue 14: clean noun phrases, never verbs or fragments): a leading date
#: (2024 年 7 月起), clause marker (一是, 其中), adverb or verb (首次争取到, 组织, 新纳入, 全县共) is cut, and so is a
#: trailing 由…/和/的; a fragment that is only a verb (停发, 退出, 惠及) or holds digits is no indicator.
INDICATOR_DATE_LEAD_RE = re.compile(rf"^.*?[{DIGITS}]+\s*年(?:\s*[{DIGITS}]+\s*月)?\s*(?:起|以来|来|底|末|内|份)?\s*")
INDICATOR_LEAD_WORDS_RE = re.compile(
    r"^(?:[一二三四五六七八九十]是|其中|首次|另外|此外|同时|今年|全年|上半年|下半年|半年|目前|截至目前|改革以来|已经|已|"
    r"成功|积极|共|累计|分别|预计|仅|全[省市县区镇](?:共|有)?|本级|市本级|县级|争取到|争取|获得|获|引入|投入|组织|参与|发放|"
    r"支出|资助|新纳入|纳入|撮合|实施|开展|召开|观看|参观|完成|加大对|推动|建立|保障|调出|调进|登记|谋划|通过|为|对|将|在|有)+")
INDICATOR_TAIL_RE = re.compile(r"(?:由.*|和|及|与|的|共|共计|分别|为|达|达到|以上|以下|、|"
                               r"(?:控制|稳定|保持|维持)在?)+$")  # 死亡率控制在…以内 -> 死亡率
INDICATOR_VERB_ONLY = ("停发", "退出", "调进", "调出", "理赔", "惠及", "服务", "救助", "支出", "比对", "组建", "预计",
                       "申请赔保", "护送返乡", "发放", "投入", "提高", "实现", "完成", "建设", "开展",
                       "改造", "改建", "扩建", "培训", "走访", "慰问", "帮扶", "资助")
#: The longest indicator kept (characters).
MAX_INDICATOR = 20
#: The most characters of its clause and sentence read on either side of a quantity (cues, comparator,
#: indicator, deadline, the ``sentence`` column). The five plans' sentences reach 103 characters before a
#: quantity and 126 after it; a longer one (a text without punctuation) is read in this window, with a
#: logged warning, so that the work per quantity is bounded and many quantities in one sentence stay linear.
CONTEXT_CHARS = 300


# --- resources ------------------------------------------------------------------------------------------

def read_rows(name: str) -> list[dict]:
    """The rows of the resource CSV file ``name`` as dicts, blank lines and ``#`` comments left out."""
    lines = config.resource(name).read_text(encoding="utf-8").splitlines()
    lines = [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    return list(csv.DictReader(lines))


@lru_cache(maxsize=1)
def units() -> tuple[str, ...]:
    """Counter units, longest first (个工作日 before 个)."""
    return tuple(sorted((r["unit"] for r in read_rows(UNITS_FILE)), key=lambda u: (-len(u), u)))


@lru_cache(maxsize=1)
def comparators() -> dict[str, tuple[str, ...]]:
    """Comparator words by position (``pre``, ``adjacent_only``, ``post``), longest first."""
    out: dict[str, list[str]] = {"pre": [], "adjacent_only": [], "post": []}
    for r in read_rows(COMPARATORS_FILE):
        out[r["position"]].append(r["term"])
    return {k: tuple(sorted(v, key=lambda t: (-len(t), t))) for k, v in out.items()}


@lru_cache(maxsize=1)
def kind_cues() -> tuple[tuple[str, str, str], ...]:
    """``(cue, kind, scope)`` rows, longest cue first."""
    rows = [(r["cue"], r["kind"], r["scope"]) for r in read_rows(KIND_CUES_FILE)]
    return tuple(sorted(rows, key=lambda r: (-len(r[0]), r[0])))


@lru_cache(maxsize=None)
def cue_kinds(scope: str) -> dict[str, str]:
    """Cue word -> kind, for the cues of one ``scope`` (``prefix`` or ``suffix``)."""
    return {c: k for c, k, sc in kind_cues() if sc == scope}


@lru_cache(maxsize=1)
def name_nouns() -> tuple[str, ...]:
    """Nouns after a count that make it a count of an enumeration (四个方面), one a line in the file."""
    lines = config.resource(NAME_NOUNS_FILE).read_text(encoding="utf-8").splitlines()
    return tuple(ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#"))


@lru_cache(maxsize=1)
def resource_patterns() -> dict[str, re.Pattern]:
    """Patterns built from the resource files (compiled once)."""
    unit_alt = "|".join(re.escape(u) for u in units())
    arabic = re.compile(
        rf"(?P<num>{ARABIC_NUM_FIRST})(?:[%％]?{RANGE_SEP}(?P<num2>{ARABIC_NUM}))?{INLINE_SP}"
        rf"(?P<mult>[万亿])?(?P<approx>余|多)?(?P<mult2>[万亿])?{INLINE_SP}(?P<unit>{unit_alt}){PER_SUFFIX}")
    grouped = re.compile(
        rf"(?P<num>{GROUPED_NUM}){INLINE_SP}"
        rf"(?P<mult>[万亿])?(?P<approx>余|多)?(?P<mult2>[万亿])?{INLINE_SP}(?P<unit>{unit_alt}){PER_SUFFIX}")
    chinese = re.compile(
        rf"(?P<num>{CN_NUM})(?:{RANGE_SEP}(?P<num2>[{CN_NUM_CHARS}]{{1,{MAX_CN_NUM}}}))?"
        rf"(?P<approx>余|多)?(?P<unit>{unit_alt}){PER_SUFFIX}")
    pre = "|".join(re.escape(t) for t in comparators()["pre"])
    cue_alt = "|".join(re.escape(c) for c, _, scope in kind_cues() if scope == "prefix")
    suffix_alt = "|".join(re.escape(c) for c, _, scope in kind_cues() if scope == "suffix")
    return {
        "arabic": arabic,
        "grouped": grouped,
        "chinese": chinese,
        "pre": re.compile(pre),
        "cue": re.compile(cue_alt),
        "suffix_cue": re.compile(suffix_alt) if suffix_alt else re.compile(r"(?!x)x"),
    }

#: A list marker opening a clause (5. / 5、 / （三） / 三、 / 一是): numbering, never part of an indicator.
LIST_MARKER_RE = re.compile(r"^[\s\u3000]*(?:[0-9０-９]{1,3}[.、．)）](?![0-9０-９])|[（(][一二三四五六七八九十0-9]{1,3}[)）]"
                            r"|[一二三四五六七八九十]{1,3}(?:、|是))")

"""Quantified targets: find every quantity in the raw text, normalise it, classify its kind (issue 4).

Everything works on the RAW document text, never on jieba tokens, and every offset indexes that text::

    >>> from analysis import quantities
    >>> [q.span for q in quantities.extract("新增家庭养老床位100张，开展“两个确立”教育")]
    ['100张']

A quantity is a number (Arabic or Chinese, decimals, 万/亿 multipliers, ranges) followed by a counter unit
(``resources/quantity_units.csv``), or the word 全覆盖 (a coverage target: value 100, unit %). Numbers that
are not quantities of anything are never claimed: ordinals (第三届, 十四届六次全会), names and slogans in
quotes or titles (“两个确立”, “1211工程”, 《…2021-2035年…》), counts of enumerations (四个方面, 中央八项规定),
the indefinite 一 (一个时期, 一支队伍), rate denominators (每千名), and every number without a unit (years,
dates, hotlines, coordinate systems, list markers, registration numbers).

Each quantity gets a ``kind``:

``target``
    a planned goal (新增家庭养老床位100张, 不少于105户, 780元/月/人 as the standard to apply);
``achievement``
    a reported result (建成社区养老助餐点167个 in a summary, 土建工程已完成90%);
``baseline``
    a status-quo figure (目前全市共有养老机构51所, 剩余的2.03万名未脱贫人口, 剩余10%工程量 — the
    remaining share of a project is the state of things, not a goal);
``other``
    a quantity that is none of these (年救助量在1500人以下: the band that defines a class of station).

The sentence decides; the document type is only the prior for quantities without a cue (see
:func:`kind_of`). The cue words are in ``resources/quantity_kind_cues.csv``; the structural cues (V了,
全市+count, 的+Chinese-numeral count+noun, 在…以下) are the compiled patterns below.

The rules were developed by reading the same five documents they are validated on (there is no
held-out set): :func:`score` measures agreement with an independent hand list, not generalisation.
Several rules rest on one sentence each (在…以下 as a band, 的 + Chinese-numeral count as an existing set,
全覆盖排查 as a manner, 从N月份执行 as a deadline, 全市 + count as a stock) and are untested elsewhere.

Public API: :func:`extract` (text -> ``list[Quantity]``), :func:`number`, :func:`kind_of`,
:func:`targets` (documents + tasks -> the table), :func:`for_csv`, :func:`absence`, :func:`absence_matrix`,
:func:`kinds_table`, :func:`by_domain`, :func:`listing`, :func:`comparable`, :func:`family_of`,
:func:`load_labels`, :func:`locate_labels`, :func:`match`, :func:`score`, :func:`validation`, :func:`build`.
"""

from __future__ import annotations

import bisect
import logging
import csv
import re
import unicodedata
from dataclasses import dataclass, fields
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import cn2an
import numpy as np
import pandas as pd

from analysis import config, numerals
from analysis.errors import InputError, UsageError

log = logging.getLogger(__name__)

UNITS_FILE = "quantity_units.csv"
COMPARATORS_FILE = "quantity_comparators.csv"
KIND_CUES_FILE = "quantity_kind_cues.csv"
NAME_NOUNS_FILE = "quantity_name_nouns.txt"
FAMILIES_FILE = "quantity_indicator_families.csv"
LABELS_PATH = config.DATA / "labels" / "quantity_labels.csv"

KINDS = ("target", "achievement", "baseline", "other")
#: What a quantity without any cue is, by document type (the prior, not the answer).
DOC_TYPE_PRIOR = {
    "work_plan": "target",
    "task_list": "target",
    "work_summary": "achievement",
    "work_summary_and_plan": "achievement",
    "newspaper_feature": "baseline",
}
DEFAULT_PRIOR = "target"

#: Columns of :func:`targets` / ``targets.csv``, in order.
COLUMNS = ("region", "doc_id", "task_id", "domain", "value", "value_max", "unit", "per", "comparator",
           "indicator", "indicator_family", "kind", "deadline", "is_full_coverage", "span", "start", "end", "sentence")

# --- compiled patterns: the one place they live ---------------------------------------------------------

_DIGITS = "0-9０-９"
#: The most digits a number has before and after its decimal point (longer runs are registration,
#: account or telephone numbers, never quantities). Bounded, the patterns stay linear on a run of
#: digits, and no integer too long for ``str()`` (4,300 digits) is ever made.
MAX_INT_DIGITS = 24
MAX_DEC_DIGITS = 12
#: An Arabic number: digits with an optional decimal part (full-width digits too).
ARABIC_NUM = rf"[{_DIGITS}]{{1,{MAX_INT_DIGITS}}}(?:[.．][{_DIGITS}]{{1,{MAX_DEC_DIGITS}}})?"
#: :data:`ARABIC_NUM` not continuing a number, a decimal point or a Latin word (not 3 in 12.3, A3): the
#: look-behind comes after the first digit, so the regex engine can skip ahead to digits. The plain form
#: is ``(?<![0-9０-９.．A-Za-z])`` + :data:`ARABIC_NUM`; the tests compare the two.
ARABIC_NUM_FIRST = (rf"[{_DIGITS}](?<![{_DIGITS}.．A-Za-z][{_DIGITS}])[{_DIGITS}]{{0,{MAX_INT_DIGITS - 1}}}"
                    rf"(?:[.．][{_DIGITS}]{{1,{MAX_DEC_DIGITS}}})?")
#: Chinese numeral characters (:data:`analysis.numerals.CHARS`, 两 included) and the 万/亿 multipliers.
CN_NUM_CHARS = numerals.CHARS + numerals.MULTIPLIERS
#: The longest Chinese number read (一千二百三十四万五千六百七十八 has 15 characters). A longer run of
#: numeral characters is no number; it is never matched from inside either (the pattern starts a run).
MAX_CN_NUM = 16
CN_NUM = rf"(?<![{CN_NUM_CHARS}])[{CN_NUM_CHARS}]{{1,{MAX_CN_NUM}}}"
#: Range separators: 2-3个, 30---49张, 3～5个, 3至5个.
RANGE_SEP = r"\s{0,3}(?:-{1,3}|—{1,2}|－|~|～|至|到)\s{0,3}"
#: Full coverage as a figure. Not when it only says how something is done (全覆盖排查: comprehensive screening).
FULL_COVERAGE_RE = re.compile(r"全覆盖(?!排查|检查|摸排|走访|宣传)")
#: Sentence ends (cells of a pipe table end sentences too) and clause ends (for the nearest cue and comparator).
SENTENCE_END_RE = re.compile(r"[。！？!?\n|]")
CLAUSE_END_RE = re.compile(r"[。！？!?\n|，,；;：:]")
#: Before a number: an ordinal (第三届, 十四届六次) or a rate denominator (每千名).
ORDINAL_BEFORE_RE = re.compile(r"[第届]$")
PER_BEFORE_RE = re.compile(r"每$")
#: A number inside quotes (a slogan or name: “两个确立”, “十五分钟”) or a title (《…》).
OPEN_QUOTE_RE = re.compile(r"[“\"《「『]([^“”\"《》「」『』]{0,15})$")
CLOSE_QUOTE_RE = re.compile(r"^[^“”\"《》「」『』]{0,20}[”\"》」』]")
#: A title in 《》 (deadline words inside it are not deadlines).
TITLE_RE = re.compile(r"《[^《》]*》")
#: Rate denominator written with 每 earlier in the clause: 每个城市社区平均拥有…10个, 每千名老人拥有…36张.
PER_PHRASE_RE = re.compile(r"每(?:个|一个)?(?P<per>[\u4e00-\u9fff]{1,8}?)(?=平均|拥有|至少|不少于|试点|发展|建设|配备|设立|都|要)")
#: 户均800元: a rate per household written before the number; 每人每月800元: per person and month.
PER_AVERAGE_RE = re.compile(r"(?P<per>[户人])均$")
PER_EACH_RE = re.compile(r"每(?P<a>[人户月年天床])(?:每(?P<b>[人户月年天]))?$")
#: Deadlines: 年底, 2024年底, 年底前, 全年, 7月份 … (outside 《》 titles).
DEADLINE_RE = re.compile(
    rf"[{_DIGITS}]{{4}}年(?:[{_DIGITS}]{{1,2}}月(?:[{_DIGITS}]{{1,2}}日|份|底|末)?前?|底前|底|末|内)?"
    rf"|年底前|年底|年末|年内|全年|上半年|下半年"
    rf"|[{_DIGITS}]{{1,2}}月(?:[{_DIGITS}]{{1,2}}日|份|底|末)?前?")
#: A standard that takes effect later: 从7月份执行 (read in the next sentence when the sentence has no deadline).
EFFECTIVE_RE = re.compile(rf"\s{{0,20}}[^。]{{0,30}}?从(?P<d>[{_DIGITS}]{{1,2}}月份?)起?(?:执行|实施)")
#: Structural kind cues, searched in the clause before the number (nearest wins, like the cue words).
ACHIEVED_LE_RE = re.compile(r"[\u4e00-\u9fff](?<![为除])了(?!解)")   # 挑选了442家 (not 为了, 除了, 了解)
CITYWIDE_STOCK_RE = re.compile(rf"全市(?:剩余的?|现有)?(?=[{_DIGITS}])")  # 全市2028家社会组织 (the stock)
#: A count in Chinese numerals right after 的 and before a noun names an existing set (法律援助中心的两位律师):
#: statistics and goals are written in Arabic digits (GB/T 15835), descriptions of what exists in words.
ATTRIBUTIVE_DE_RE = re.compile(r"的$")
#: 在1500人以下: a band that defines a class, not a goal.
BAND_BEFORE_RE = re.compile(r"在$")
#: Trailing comparator/verb words stripped when the indicator is read from the text before the number.
INDICATOR_TRIM_RE = re.compile(
    r"(?:不少于|不低于|不高于|不超过|至少|达到|提高到|提高至|增加到|压缩至|达|为|约|共计|共有|占|总数|提高|拥有|平均|"
    r"实现|已|在|的|户均|人均|每[人户月年天床])+$")
#: Units whose indicator is always read before the number (占比达到60%, 标准的1.3倍).
RELATIVE_UNITS = ("%", "倍")
#: X不低于Y的1.3倍, X占Y(的)100%: the indicator is X, Y is only the reference.
INDICATOR_REFERENCE_RE = re.compile(r"(?:不低于|不少于|不高于|不超过|达到|占)[^，,。；;]*?的$|占[^，,。；;]+$")
#: What a prefix read after a previous quantity starts with (以上、 和 及): dropped.
INDICATOR_LEAD_RE = re.compile(r"^(?:以上|以下|以内|内|余)?[、和及与，,]*")
#: A count at the start of an indicator read before the number (8个街道社工站实现全覆盖 -> 街道社工站).
LEADING_COUNT_RE = re.compile(rf"^[{_DIGITS}.．]+[万亿]?[个家所张户名项条]")
CJK_START_RE = re.compile(r"[\u4e00-\u9fff]")
QUOTES_RE = re.compile(r"[“”\"（）()]")
#: Lead verbs: the indicator is what follows the last of them (新增家庭养老床位100张 -> 家庭养老床位).
INDICATOR_VERB_RE = re.compile(
    r"(?:新增|新建|建成|完成|共有|共计|发放|比对|组建|办理|打造|选定|拥有|设置|试点|推进实施|实施|开展|"
    r"融合|发布|建设|搭建|发展|挑选了|目前全市|全市|今年|全年|剩余的|剩余|实现|按照|继续|推进|等)")
#: Where an indicator read after the unit stops.
INDICATOR_STOP_RE = re.compile(
    r"[，,。；;、：:！？!?（）()\s|《》0-9]|和|与|及|的|等|由|实现|入选|安装|新建|均|作为|如期|试点|打造|需要|了|"
    r"中(?!心|国|华|央|小|医)")
#: The longest indicator kept (characters).
MAX_INDICATOR = 20
#: The most characters of its clause and sentence read on either side of a quantity (cues, comparator,
#: indicator, deadline, the ``sentence`` column). The five plans' sentences reach 103 characters before a
#: quantity and 126 after it; a longer one (a text without punctuation) is read in this window, with a
#: logged warning, so that the work per quantity is bounded and many quantities in one sentence stay linear.
CONTEXT_CHARS = 300


# --- resources ------------------------------------------------------------------------------------------

def _read_rows(name: str) -> list[dict]:
    lines = config.resource(name).read_text(encoding="utf-8").splitlines()
    lines = [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    return list(csv.DictReader(lines))


@lru_cache(maxsize=1)
def units() -> tuple[str, ...]:
    """Counter units, longest first (个工作日 before 个)."""
    return tuple(sorted((r["unit"] for r in _read_rows(UNITS_FILE)), key=lambda u: (-len(u), u)))


@lru_cache(maxsize=1)
def comparators() -> dict[str, tuple[str, ...]]:
    """Comparator words by position (``pre``, ``adjacent_only``, ``post``), longest first."""
    out: dict[str, list[str]] = {"pre": [], "adjacent_only": [], "post": []}
    for r in _read_rows(COMPARATORS_FILE):
        out[r["position"]].append(r["term"])
    return {k: tuple(sorted(v, key=lambda t: (-len(t), t))) for k, v in out.items()}


@lru_cache(maxsize=1)
def kind_cues() -> tuple[tuple[str, str, str], ...]:
    """``(cue, kind, scope)`` rows, longest cue first."""
    rows = [(r["cue"], r["kind"], r["scope"]) for r in _read_rows(KIND_CUES_FILE)]
    return tuple(sorted(rows, key=lambda r: (-len(r[0]), r[0])))


@lru_cache(maxsize=None)
def _cue_kinds(scope: str) -> dict[str, str]:
    """Cue word -> kind, for the cues of one ``scope`` (``prefix`` or ``suffix``)."""
    return {c: k for c, k, sc in kind_cues() if sc == scope}


@lru_cache(maxsize=1)
def name_nouns() -> tuple[str, ...]:
    lines = config.resource(NAME_NOUNS_FILE).read_text(encoding="utf-8").splitlines()
    return tuple(ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#"))


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    """Patterns built from the resource files (compiled once)."""
    unit_alt = "|".join(re.escape(u) for u in units())
    arabic = re.compile(
        rf"(?P<num>{ARABIC_NUM_FIRST})(?:[%％]?{RANGE_SEP}(?P<num2>{ARABIC_NUM}))?"
        rf"(?P<mult>[万亿])?(?P<approx>余|多)?(?P<unit>{unit_alt})"
        rf"(?P<per>(?:/[\u4e00-\u9fff]{{1,2}})+)?")
    chinese = re.compile(
        rf"(?P<num>{CN_NUM})(?:{RANGE_SEP}(?P<num2>[{CN_NUM_CHARS}]{{1,{MAX_CN_NUM}}}))?"
        rf"(?P<approx>余|多)?(?P<unit>{unit_alt})(?P<per>(?:/[\u4e00-\u9fff]{{1,2}})+)?")
    pre = "|".join(re.escape(t) for t in comparators()["pre"])
    cue_alt = "|".join(re.escape(c) for c, _, scope in kind_cues() if scope == "prefix")
    suffix_alt = "|".join(re.escape(c) for c, _, scope in kind_cues() if scope == "suffix")
    return {
        "arabic": arabic,
        "chinese": chinese,
        "pre": re.compile(pre),
        "cue": re.compile(cue_alt),
        "suffix_cue": re.compile(suffix_alt) if suffix_alt else re.compile(r"(?!x)x"),
    }


# --- the record -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Quantity:
    """One quantity in a text; ``text[start:end] == span``."""

    value: float
    value_max: float | None
    unit: str
    per: str
    comparator: str
    indicator: str
    indicator_family: str
    kind: str
    deadline: str
    is_full_coverage: bool
    span: str
    start: int
    end: int
    sentence: str

    def as_dict(self) -> dict:
        """The fields by name, in order (every field is an immutable scalar: no deep copy needed)."""
        return {name: getattr(self, name) for name in QUANTITY_FIELDS}


#: :class:`Quantity`'s field names, in order.
QUANTITY_FIELDS = tuple(f.name for f in fields(Quantity))


# --- numbers --------------------------------------------------------------------------------------------

def number(text: str) -> int | float:
    """The value of a numeral: Arabic digits (full-width too), Chinese numerals, 万/亿 multipliers.

    Chinese numerals of 1-9999 are read by :func:`analysis.numerals.value`, others and multipliers by cn2an
    (``smart`` mode; the patterns never pass it more than :data:`MAX_CN_NUM` characters); digits by Decimal.
    Raises ValueError when ``text`` is not a number (e.g. a lone 千).
    """
    s = unicodedata.normalize("NFKC", text).strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        d = Decimal(s)
    elif (small := numerals.value(s)) is not None:  # 1-9999 in words: what cn2an gives, without it
        d = Decimal(small)
    elif len(s) > 2 * MAX_CN_NUM:  # cn2an expands a long numeral digit by digit (九 x 30: memory)
        raise ValueError(f"not a number: {text[:20]!r}… ({len(text)} characters)")
    else:
        try:
            d = Decimal(str(cn2an.cn2an(s, "smart")))
        except Exception as exc:  # cn2an raises bare ValueError/KeyError on non-numerals
            raise ValueError(f"not a number: {text!r}") from exc
    return int(d) if d == d.to_integral_value() else float(d)


# --- helpers over the raw text --------------------------------------------------------------------------

class _Bounds:
    """Sentence and clause bounds of one text, by bisection over the delimiter positions (computed once)."""

    def __init__(self, text: str) -> None:
        self.n = len(text)
        self.sentence_ends = [m.start() for m in SENTENCE_END_RE.finditer(text)]
        self.clause_ends = [m.start() for m in CLAUSE_END_RE.finditer(text)]

    def _around(self, ends: list[int], pos: int) -> tuple[int, int]:
        i = bisect.bisect_left(ends, pos)
        left = ends[i - 1] + 1 if i > 0 else 0
        right = ends[i] if i < len(ends) else self.n
        return left, right

    def sentence(self, pos: int) -> tuple[int, int]:
        return self._around(self.sentence_ends, pos)

    def clause(self, pos: int) -> tuple[int, int]:
        return self._around(self.clause_ends, pos)

    def deadlines(self, text: str, titles: Sequence[tuple[int, int]]) -> tuple[list[int], list[re.Match]]:
        """Every deadline of ``text`` outside the ``titles`` (and their starts), found once per text: no
        deadline spans a sentence end, so the hits inside a sentence are the ones a search of it finds."""
        if getattr(self, "_deadlines", None) is None:
            hits = [m for m in DEADLINE_RE.finditer(text) if not _inside(titles, m.start(), m.end())]
            self._deadlines = ([m.start() for m in hits], hits)
        return self._deadlines


def _strip_bounds(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _in_quotes(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 16):start]
    after = text[end:end + 21]
    return bool(OPEN_QUOTE_RE.search(before)) and bool(CLOSE_QUOTE_RE.search(after))


def _titles(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in TITLE_RE.finditer(text)]


def _inside(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies inside one of ``spans`` (sorted and non-overlapping, as :func:`_titles`
    gives them): only the last span starting at or before ``start`` can hold it (bisection, not a scan)."""
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return i >= 0 and end <= spans[i][1]


def _window(span: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    """``span`` (a clause or sentence around ``[start, end)``) cut to :data:`CONTEXT_CHARS` on either side."""
    return max(span[0], start - CONTEXT_CHARS), min(span[1], end + CONTEXT_CHARS)


def _names_enumeration(text: str, end: int) -> bool:
    return text.startswith(name_nouns(), end, end + 8)


def _is_name_or_ordinal(text: str, start: int, end: int, *, chinese: bool, num: str,
                        titles: Sequence[tuple[int, int]]) -> bool:
    before = text[max(0, start - 1):start]
    if ORDINAL_BEFORE_RE.search(before) or PER_BEFORE_RE.search(before):
        return True
    if chinese and num == "一":  # 一个时期, 一支队伍, 一项工作, 不漏一户: the indefinite article
        return True
    if chinese and before and before in CN_NUM_CHARS:  # inside a longer numeral word
        return True
    if _inside(titles, start, end) or _in_quotes(text, start, end):
        return True
    return _names_enumeration(text, end)


def _comparator(text: str, start: int, end: int, clause: tuple[int, int]) -> str:
    comps = comparators()
    prefix = text[clause[0]:start]
    pre = ""
    for t in comps["adjacent_only"]:
        if prefix.endswith(t) and len(prefix) > len(t):
            pre = t
            break
    if not pre:
        best = None
        for m in _patterns()["pre"].finditer(prefix):
            if best is None or m.end() >= best.end():
                best = m
        pre = best.group(0) if best else ""
    post = ""
    after = text[end:clause[1]]
    for t in comps["post"]:
        if after.startswith(t):
            post = t
            break
    if pre and post:
        return f"{pre}…{post}"
    return pre or post


def _per(text: str, start: int, match_per: str, clause: tuple[int, int]) -> str:
    if match_per:
        return match_per.lstrip("/")
    prefix = text[clause[0]:start]
    m = PER_AVERAGE_RE.search(prefix)
    if m:
        return m.group("per")
    m = PER_EACH_RE.search(prefix)
    if m:
        return "/".join(x for x in (m.group("a"), m.group("b")) if x)
    found = list(PER_PHRASE_RE.finditer(prefix.rsplit("、", 1)[-1]))
    return found[-1].group("per") if found else ""


def _deadline(text: str, start: int, sentence: tuple[int, int], titles: Sequence[tuple[int, int]],
              bounds: _Bounds | None = None) -> str:
    """The last deadline before ``start`` in its sentence, else the first after it, else 从N月份执行 in the
    next sentence. With ``bounds`` the text's deadlines are found once (bisection per quantity)."""
    if bounds is None:
        hits = [m for m in DEADLINE_RE.finditer(text, sentence[0], sentence[1])
                if not _inside(titles, m.start(), m.end())]
    else:
        starts, every = bounds.deadlines(text, titles)
        lo, hi = bisect.bisect_left(starts, sentence[0]), bisect.bisect_left(starts, sentence[1])
        i = bisect.bisect_left(starts, start, lo, hi)  # hits[lo:i] start before the number
        hits = [m for m in every[max(lo, i - 2):min(hi, i + 1)] if m.end() <= sentence[1]]
    before = [m for m in hits if m.end() <= start]
    if before:
        return before[-1].group(0)
    after = [m for m in hits if m.start() >= start]
    if after:
        return after[0].group(0)
    nxt = EFFECTIVE_RE.match(text, sentence[1] + 1) if sentence[1] < len(text) and text[sentence[1]] == "。" \
        else None
    return nxt.group("d") if nxt else ""


def _indicator(text: str, start: int, end: int, clause: tuple[int, int], *, unit: str, full_coverage: bool,
               prev_end: int = -1, prev_indicator: str = "") -> str:
    """What is counted, by heuristics over the clause (see the INDICATOR_* patterns).

    A count followed by a noun counts that noun (建成1个区级公办示范性养老院); otherwise the number closes
    its clause and the indicator precedes it (新增家庭养老床位100张 -> 家庭养老床位; X不低于Y的1.3倍 -> X;
    X占Y的100% -> X). A quantity coordinated with the previous one (1.3倍和2倍) with nothing of its own
    before it shares that one's indicator.
    """
    after = text[end:clause[1]]
    stop = INDICATOR_STOP_RE.search(after)
    following = QUOTES_RE.sub("", after[:stop.start()] if stop else after)
    if following.startswith(("以", "内", "的", "余")) or not CJK_START_RE.match(following):
        following = ""
    if unit not in RELATIVE_UNITS and not full_coverage and following:
        return following[:MAX_INDICATOR]
    lo = max(clause[0], prev_end) if prev_end >= 0 else clause[0]
    prefix = INDICATOR_LEAD_RE.sub("", text[lo:start])
    prefix = QUOTES_RE.sub("", prefix)
    if len(prefix) < 2 and prev_indicator:
        return prev_indicator
    m = INDICATOR_REFERENCE_RE.search(prefix)
    if m and len(prefix[:m.start()]) >= 2:
        prefix = prefix[:m.start()]
    prefix = INDICATOR_TRIM_RE.sub("", prefix)
    verbs = list(INDICATOR_VERB_RE.finditer(prefix))
    for v in reversed(verbs):
        rest = LEADING_COUNT_RE.sub("", INDICATOR_TRIM_RE.sub("", prefix[v.end():]))
        if len(rest) >= 2:
            return rest[-MAX_INDICATOR:]
    rest = LEADING_COUNT_RE.sub("", prefix)
    if verbs and len(rest) - verbs[-1].end() < 2:
        rest = INDICATOR_TRIM_RE.sub("", rest[:verbs[-1].start()])
    if len(rest) >= 2:
        return rest[-MAX_INDICATOR:]
    if full_coverage:  # 全覆盖推进村(社区)“救急难”互助社建设
        return QUOTES_RE.sub("", INDICATOR_VERB_RE.sub("", after, count=1))[:MAX_INDICATOR]
    if following:  # 剩余10%工程量
        return following[:MAX_INDICATOR]
    return verbs[-1].group(0) if verbs else rest


def kind_of(text: str, start: int, end: int, *, prior: str, is_range: bool = False, comparator: str = "",
            unit: str = "", chinese: bool = False, clause: tuple[int, int] | None = None) -> str:
    """The kind of the quantity at ``text[start:end]``.

    In order: a band (在1500人以下) is ``other``; then the nearest cue before the number in its clause
    decides — a cue word from ``quantity_kind_cues.csv``, a verb with 了 (achievement), 全市 right before
    a count (the stock: baseline), 的 right before a count in Chinese numerals that counts a noun (an
    existing set: baseline); then a suffix cue (…均已完工); a range is a planned scale (target); else
    the ``prior``.
    """
    if clause is None:
        clause = _Bounds(text).clause(start)
    prefix = text[clause[0]:start]
    suffix = text[end:clause[1]]
    if BAND_BEFORE_RE.search(prefix) and comparator.endswith(("以下", "以上", "以内")):
        return "other"
    cues: list[tuple[int, str]] = []
    pats = _patterns()
    kinds = _cue_kinds("prefix")
    for m in pats["cue"].finditer(prefix):
        cues.append((m.end(), kinds[m.group(0)]))
    for m in ACHIEVED_LE_RE.finditer(prefix):
        cues.append((m.end(), "achievement"))
    if unit not in RELATIVE_UNITS:  # 全市2028家社会组织, but not 全市80%的村 (a share is no stock)
        for m in CITYWIDE_STOCK_RE.finditer(text[clause[0]:start + 1]):
            cues.append((m.end(), "baseline"))
    if chinese and ATTRIBUTIVE_DE_RE.search(prefix) and re.match(r"[\u4e00-\u9fff]", suffix) \
            and not suffix.startswith(("和", "以", "内")):
        cues.append((len(prefix), "baseline"))
    if cues:
        kind = max(cues, key=lambda c: c[0])[1]
        if kind == "growth":  # 新增: planned in a plan, reported in a summary's results
            return "achievement" if prior == "achievement" else "target"
        return kind
    m = pats["suffix_cue"].search(suffix)
    if m:
        return _cue_kinds("suffix")[m.group(0)]
    if is_range:
        return "target"
    return prior


def _prior(doc_type: str | None) -> str:
    if doc_type is None or doc_type == "":
        return DEFAULT_PRIOR
    if doc_type not in DOC_TYPE_PRIOR:
        raise UsageError(f"doc_type {doc_type!r} is not one of {', '.join(DOC_TYPE_PRIOR)}.")
    return DOC_TYPE_PRIOR[doc_type]


# --- extraction -----------------------------------------------------------------------------------------

def _overlaps(spans: Sequence[tuple[int, int]], ends: Sequence[int], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps one of ``spans`` (sorted, non-overlapping; ``ends`` their ends)."""
    i = bisect.bisect_right(ends, start)
    return i < len(spans) and spans[i][0] < end


def _candidates(text: str) -> list[dict]:
    """Every numeral+unit match and every 全覆盖, before the negative rules, sorted by start."""
    pats = _patterns()
    found: list[dict] = []
    taken: list[tuple[int, int]] = []
    for m in pats["arabic"].finditer(text):
        found.append({"m": m, "chinese": False})
        taken.append(m.span())
    ends = [b for _, b in taken]
    for m in pats["chinese"].finditer(text):
        if _overlaps(taken, ends, m.start(), m.end()):
            continue
        found.append({"m": m, "chinese": True})
    found.sort(key=lambda c: c["m"].start())
    return found


#: Document types whose parts set the prior: a summary's 下一步工作打算 part, or the plan part of a summary-plus-
#: plan report, states targets (the segmenter tags each task's part ``plan`` or ``result``).
PART_PRIOR_DOC_TYPES = ("work_summary", "work_summary_and_plan")
PART_PRIOR = {"plan": "target", "result": "achievement"}


def extract(text: str, *, doc_type: str | None = None,
            parts: Sequence[tuple[int, int, str]] = ()) -> list[Quantity]:
    """Every quantity in ``text`` (raw, with offsets into it), in text order.

    ``doc_type`` (a manifest doc_type) sets the prior kind for quantities without a cue; None means a plan.
    ``parts`` (``(start, end, part)`` spans, part ``plan`` / ``result``) set it instead inside a summary
    (:data:`PART_PRIOR_DOC_TYPES`): targets in its plan part, achievements in its result part.
    """
    if not isinstance(text, str):
        raise UsageError(f"extract() needs a str, got {type(text).__name__}.")
    doc_prior = _prior(doc_type)
    spans = sorted(parts) if doc_type in PART_PRIOR_DOC_TYPES else []
    span_starts = [a for a, _, _ in spans]

    def prior_at(pos: int) -> str:
        k = bisect.bisect_right(span_starts, pos) - 1
        return PART_PRIOR.get(spans[k][2], doc_prior) if k >= 0 and pos < spans[k][1] else doc_prior

    titles = _titles(text)
    bounds = _Bounds(text)
    out: list[Quantity] = []
    claimed: list[tuple[int, int]] = []   # sorted by start, non-overlapping
    for cand in _candidates(text):
        m, chinese = cand["m"], cand["chinese"]
        start, end = m.span()
        num, num2 = m.group("num"), m.group("num2")
        if _is_name_or_ordinal(text, start, end, chinese=chinese, num=num, titles=titles):
            continue
        mult = m.groupdict().get("mult") or ""
        try:
            value = number(num + mult)
            value_max = number(num2 + mult) if num2 else None
        except ValueError:
            continue
        unit = m.group("unit")
        if unit == "％":
            unit = "%"
        full = unit == "%" and FULL_COVERAGE_RE.match(text, end) is not None
        out.append(_record(text, start, end, value=value, value_max=value_max, unit=unit,
                           match_per=m.group("per") or "", approx=bool(m.group("approx")),
                           full_coverage=full, chinese=chinese, prior=prior_at(start), titles=titles,
                           bounds=bounds, prev=out[-1] if out else None))
        claimed.append((start, end + (3 if full else 0)))
    for m in FULL_COVERAGE_RE.finditer(text):
        start, end = m.span()
        if _inside(claimed, start, start + 1) or _inside(titles, start, end) or _in_quotes(text, start, end):
            continue
        out.append(_record(text, start, end, value=100, value_max=None, unit="%", match_per="",
                           approx=False, full_coverage=True, chinese=False, prior=prior_at(start), titles=titles,
                           bounds=bounds, prev=None))
    out.sort(key=lambda q: (q.start, q.end))
    cut = sum(1 for q in out if _window(bounds.sentence(q.start), q.start, q.end) != bounds.sentence(q.start))
    if cut:
        log.warning("quantities: %d of %d quantities are in a sentence running more than %d characters on one "
                    "side (a text without punctuation?): each was read within %d characters of its number",
                    cut, len(out), CONTEXT_CHARS, CONTEXT_CHARS)
    return out


def _record(text: str, start: int, end: int, *, value, value_max, unit: str, match_per: str, approx: bool,
            full_coverage: bool, chinese: bool, prior: str, titles: Sequence[tuple[int, int]], bounds: _Bounds,
            prev: Quantity | None = None) -> Quantity:
    clause = _window(bounds.clause(start), start, end)
    if prev is not None and not (clause[0] <= prev.start and prev.end <= start):
        prev = None
    sentence = _window(bounds.sentence(start), start, end)
    comparator = _comparator(text, start, end, clause)
    if approx and not comparator:
        comparator = "余"
    kind = kind_of(text, start, end, prior=prior, is_range=value_max is not None, comparator=comparator,
                   unit=unit, chinese=chinese, clause=clause)
    s0, s1 = _strip_bounds(text, *sentence)
    indicator = _indicator(text, start, end, clause, unit=unit, full_coverage=full_coverage,
                           prev_end=prev.end if prev else -1, prev_indicator=prev.indicator if prev else "")
    return Quantity(
        value=value, value_max=value_max, unit=unit,
        per=_per(text, start, match_per, clause),
        comparator=comparator,
        indicator=indicator,
        indicator_family=family_of(indicator, full_coverage=full_coverage, context=text[sentence[0]:start]),
        kind=kind,
        deadline=_deadline(text, start, sentence, titles, bounds) if kind == "target" else "",
        is_full_coverage=full_coverage,
        span=text[start:end], start=start, end=end, sentence=text[s0:s1])


# --- documents and tasks --------------------------------------------------------------------------------

def _task_index(tasks: pd.DataFrame | None) -> dict[str, tuple[list[int], list[int], list[str], list[str]]]:
    """doc_id (as str) -> its tasks' starts, ends, task ids and domains (as str), sorted by start (stable)."""
    if tasks is None or len(tasks) == 0:
        return {}
    doc_ids = tasks["doc_id"].astype(str).tolist()
    starts, ends = tasks["start"].tolist(), tasks["end"].tolist()
    ids = tasks["task_id"].tolist()
    doms = tasks["domain"].tolist() if "domain" in tasks.columns else [""] * len(tasks)
    rows: dict[str, list[int]] = {}
    for i, d in enumerate(doc_ids):
        rows.setdefault(d, []).append(i)
    out = {}
    for d, idx in rows.items():
        idx.sort(key=starts.__getitem__)
        out[d] = ([starts[i] for i in idx], [ends[i] for i in idx], [str(ids[i]) for i in idx],
                  [str(doms[i]) for i in idx])
    return out


def _parts(tasks: pd.DataFrame | None, doc_id) -> list[tuple[int, int, str]]:
    """(start, end, part) of a document's tasks that carry a part (tasks.csv ``part``)."""
    if tasks is None or "part" not in tasks.columns:
        return []
    own = tasks[(tasks["doc_id"].astype(str) == str(doc_id)) & tasks["part"].fillna("").astype(bool)]
    return list(zip(own["start"].astype(int), own["end"].astype(int), own["part"]))


def targets(documents: Iterable, tasks: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per quantity in every document (see :data:`COLUMNS`), mapped to the task that contains it.

    ``documents``: :class:`analysis.corpus.Document` objects. ``tasks``: the tasks frame (doc_id, task_id,
    start, end and, after the domains stage, domain); a quantity outside every task gets an empty task_id.
    """
    index = _task_index(tasks)
    rows = []
    for doc in documents:
        t = index.get(str(doc.doc_id))
        qs = extract(doc.text, doc_type=doc.meta.get("doc_type") or None, parts=_parts(tasks, doc.doc_id))
        for q in qs:
            task_id = domain = ""
            if t is not None:
                starts, ends, ids, doms = t
                i = bisect.bisect_right(starts, q.start) - 1
                if i >= 0 and q.start < ends[i]:
                    task_id, domain = ids[i], doms[i]
            rows.append((doc.region, doc.doc_id, task_id, domain, *(getattr(q, f) for f in QUANTITY_FIELDS)))
    frame = pd.DataFrame(rows, columns=["region", "doc_id", "task_id", "domain", *QUANTITY_FIELDS])[list(COLUMNS)]
    return frame.sort_values(["doc_id", "start"], kind="mergesort").reset_index(drop=True)


def _fmt(v) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    d = Decimal(str(v)).normalize()
    return f"{d:f}"


def for_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """The table as written: values as exact decimal strings (the writer's %.6g would round 15464500)."""
    out = frame.copy()
    for col in ("value", "value_max"):
        out[col] = [_fmt(v) for v in out[col]]
    return out


def absence(found: pd.DataFrame, tasks: pd.DataFrame) -> pd.DataFrame:
    """Region x domain with tasks: tasks, quantities, targets; ``has_target`` False is the absence, as data.

    Rows are sorted by ``doc_id`` (document order), then domain. Front matter (``is_preamble``) is not a task
    and is left out; so are its quantities.
    """
    t = tasks
    if "is_preamble" in t.columns:
        t = t[~t["is_preamble"].astype(str).str.lower().isin(["true", "1"])]
    domain = t["domain"] if "domain" in t.columns else pd.Series([""] * len(t), index=t.index)
    keys = ["doc_id", "region", "domain"]
    base = (t.assign(domain=domain, doc_id=t["doc_id"].astype(str)).groupby(keys, sort=True).size()
            .rename("n_tasks").reset_index())
    f = found[found["task_id"].isin(set(t["task_id"]))].assign(doc_id=lambda d: d["doc_id"].astype(str))
    targets_only = f[f["kind"] == "target"]
    out = (base.join(f.groupby(keys).size().rename("n_quantities"), on=keys)
           .join(targets_only.groupby(keys).size().rename("n_targets"), on=keys)
           .join(targets_only.groupby(keys)["task_id"].nunique().rename("n_tasks_with_target"), on=keys))
    for col in ("n_quantities", "n_targets", "n_tasks_with_target"):
        out[col] = out[col].fillna(0).astype(int)
    out["has_target"] = out["n_targets"] > 0
    return out.sort_values(["doc_id", "domain"], kind="mergesort").reset_index(drop=True)


def kinds_table(found: pd.DataFrame) -> pd.DataFrame:
    """Region x kind: how many quantities of each kind (every kind a column, regions in document order)."""
    order = list(dict.fromkeys(found.sort_values("doc_id", kind="mergesort")["region"]))
    table = pd.crosstab(found["region"], pd.Categorical(found["kind"], categories=list(KINDS)), dropna=False)
    table = table.reindex(order).fillna(0).astype(int)
    table.columns = [str(c) for c in table.columns]
    table.columns.name = None
    return table.assign(total=table.sum(axis=1))


def by_domain(found: pd.DataFrame, *, kinds: Sequence[str] = ("target",)) -> pd.DataFrame:
    """Domain x region: number of quantities of ``kinds`` (0 where none)."""
    bad = set(kinds) - set(KINDS)
    if bad:
        raise UsageError(f"kind(s) {', '.join(sorted(bad))} not one of {', '.join(KINDS)}.")
    f = found[found["kind"].isin(kinds)]
    order = list(dict.fromkeys(found.sort_values("doc_id", kind="mergesort")["region"]))
    table = pd.crosstab(f["domain"].replace("", "(none)"), f["region"])
    return table.reindex(columns=order).fillna(0).astype(int).sort_index()


def listing(found: pd.DataFrame, region: str, *, kinds: Sequence[str] | None = None) -> pd.DataFrame:
    """One region's quantities, the columns a reader needs, in text order."""
    if region not in set(found["region"]):
        raise UsageError(f"region {region!r} is not one of {', '.join(sorted(set(found['region'])))}.")
    f = found[found["region"] == region]
    if kinds:
        f = f[f["kind"].isin(kinds)]
    cols = ["task_id", "domain", "span", "kind", "indicator", "comparator", "per", "deadline"]
    return f.sort_values("start", kind="mergesort")[cols].reset_index(drop=True)


def absence_matrix(table: pd.DataFrame) -> pd.DataFrame:
    """Domain x region from :func:`absence`: ``tasks with a target / tasks``; '' where the region has no task.

    A cell ``0/3`` is the absence as data: three tasks in that domain, not one quantified target.
    """
    order = list(dict.fromkeys(table.sort_values("doc_id", kind="mergesort")["region"]))
    cells = table.assign(cell=[f"{t}/{n}" for t, n in zip(table["n_tasks_with_target"], table["n_tasks"])])
    return cells.pivot(index="domain", columns="region", values="cell").reindex(columns=order).fillna("")


def comparable(found: pd.DataFrame, *, kinds: Sequence[str] = ("target",), min_regions: int = 2) -> pd.DataFrame:
    """Quantities of the same unit and indicator family in at least ``min_regions`` regions, side by side.

    The family is ``indicator_family`` (:func:`family_of`); quantities without a family are left out.
    """
    f = found[found["kind"].isin(kinds)].copy()
    f = f.assign(family=f["indicator_family"])
    f = f[f["family"] != ""]
    counts = f.groupby(["family", "unit"])["region"].nunique()
    keep = counts[counts >= min_regions].index
    f = f.set_index(["family", "unit"]).loc[lambda d: d.index.isin(keep)].reset_index()
    cols = ["family", "unit", "region", "value", "value_max", "per", "comparator", "indicator", "kind",
            "deadline", "span", "task_id"]
    return f[cols].sort_values(["family", "unit", "region", "value"], kind="mergesort").reset_index(drop=True)


@lru_cache(maxsize=1)
def families() -> tuple[tuple[str, str], ...]:
    """``(key, family)`` pairs in file order (``resources/quantity_indicator_families.csv``)."""
    return tuple((r["key"], r["family"]) for r in _read_rows(FAMILIES_FILE))


@lru_cache(maxsize=1)
def _family_pairs() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """``(key, family, the key's two-character substrings)`` in file order."""
    return tuple((key, fam, tuple(key[i:i + 2] for i in range(len(key) - 1))) for key, fam in families())


def family_of(indicator: str, *, full_coverage: bool = False, context: str = "") -> str:
    """The indicator family (for side-by-side comparison): the first key found in ``indicator``, or ''.

    An elliptical indicator (完成不少于105户改造任务: 改造任务) takes the family of the nearest key in
    ``context`` (the sentence before the quantity: …适老化改造工作) that shares two characters with it.
    Coverage figures are always 全覆盖, and 全覆盖 is never inherited.
    """
    if full_coverage:
        return "全覆盖"
    for key, fam in families():
        if key in indicator:
            return fam
    best, where = "", -1
    for key, fam, pairs in _family_pairs():
        if fam == "全覆盖" or not any(map(indicator.__contains__, pairs)):
            continue
        at = context.rfind(key)
        if at > where:
            best, where = fam, at
    return best


# --- validation against the hand list -------------------------------------------------------------------

def _read_labels(path: Path) -> tuple[pd.DataFrame | None, str]:
    """(labels, "") or (None, what is wrong with the file) — the checks of :func:`load_labels`."""
    need = ("region", "context", "span", "value", "unit", "kind")
    if not path.is_file():
        return None, "label file not found (columns: region, context, span, value, value_max, unit, per, kind, note)"
    try:
        labels = pd.read_csv(path, dtype=str, keep_default_na=False, comment=None)
    except pd.errors.EmptyDataError:
        return None, f"empty file, not even a header (columns: {', '.join(need)}, …)"
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        return None, f"not a UTF-8 CSV file ({type(exc).__name__}: {str(exc).strip().splitlines()[0][:80]})"
    missing = set(need) - set(labels.columns)
    if missing:
        return None, f"lacks column(s) {', '.join(sorted(missing))}"
    bad = set(labels["kind"]) - set(KINDS) - {"not_quantity"}
    if bad:
        return None, f"kind(s) {', '.join(sorted(bad))} not one of {', '.join(KINDS + ('not_quantity',))}"
    return labels, ""


def load_labels(path: Path | None = None) -> pd.DataFrame:
    """The hand-made gold list (``data/labels/quantity_labels.csv``); :class:`InputError` naming the file
    and the problem (not found, empty, not a CSV, a missing column, an unknown kind)."""
    path = Path(path or LABELS_PATH)
    labels, problem = _read_labels(path)
    if labels is None:
        raise InputError(f"{path}: {problem}.")
    return labels


def _locate(label, text: str) -> tuple[int, int] | str:
    """``(start, end)`` of a label's span in ``text``, or why it cannot be located."""
    n = text.count(label.context)
    if n != 1:
        return f"context {label.context!r} ({label.region}) occurs {n} times; it must occur exactly once"
    k = label.context.find(label.span)
    if k < 0:
        return f"span {label.span!r} is not inside its context {label.context!r}"
    at = text.index(label.context)
    return at + k, at + k + len(label.span)


def locate_labels(labels: pd.DataFrame, documents: Iterable) -> pd.DataFrame:
    """Add ``start``/``end`` to each label: its ``span`` inside its (unique) ``context`` in the raw text."""
    texts = {d.region: d.text for d in documents}
    starts, ends = [], []
    for r in labels.itertuples(index=False):
        text = texts.get(r.region)
        if text is None:
            raise InputError(f"quantity label region {r.region!r} is not in the corpus ({', '.join(texts)}).")
        where = _locate(r, text)
        if isinstance(where, str):
            raise InputError(f"quantity label {where}.")
        starts.append(where[0])
        ends.append(where[1])
    return labels.assign(start=starts, end=ends)


def usable_labels(documents: Iterable, *, path: Path | None = None) -> tuple[pd.DataFrame | None, list[str], dict | None]:
    """The hand labels that can be scored in this build, the regions they cover, and a warning (or None).

    The list is exhaustive per region (every quantity of a labelled plan is listed), so a region is
    scored only when every one of its labels is still located in its text (:func:`locate_labels`); a
    region with a stale label (an edited plan) is skipped whole, since scoring the rest would count the
    unlabelled extractions as false positives. Labels of regions not in the build are skipped too.
    Problems give ONE warning (a dict: ``file, cause, labels, skipped, message``), never an exception.
    """
    path = Path(path or LABELS_PATH)
    shown = config.shown(path)
    labels, problem = _read_labels(path)
    if labels is None:
        cause = "not_found" if not path.is_file() else "unreadable"
        return None, [], {"file": shown, "cause": cause, "labels": 0, "skipped": 0,
                          "message": f"{shown}: {problem} — quantity scoring skipped; restore or fix the file"}
    texts = {d.region: d.text for d in documents}
    n = len(labels)
    if not n:
        return None, [], {"file": shown, "cause": "no_labels", "labels": 0, "skipped": 0,
                          "message": f"{shown}: a header but no labels — quantity scoring skipped; restore the labels"}
    absent = [r for r in dict.fromkeys(labels["region"]) if r not in texts]
    stale: dict[str, list[str]] = {}
    for r in labels.itertuples(index=False):
        if r.region in texts:
            if texts[r.region].count(r.context) != 1 or r.span not in r.context:
                stale.setdefault(r.region, []).append(
                    f"{r.context!r} occurs {texts[r.region].count(r.context)} times" if r.span in r.context
                    else f"span {r.span!r} not in its context {r.context!r}")
    regions = [r for r in dict.fromkeys(labels["region"]) if r in texts and r not in stale]
    usable = labels[labels["region"].isin(regions)].reset_index(drop=True)
    causes, parts = [], []
    if absent:
        causes.append("regions_not_in_build")
        k = int(labels["region"].isin(absent).sum())
        parts.append(f"{k} of {n} labels are for regions not in this build "
                     f"({', '.join(absent[:5])}{', …' if len(absent) > 5 else ''})")
    if stale:
        causes.append("not_located")
        k = sum(map(len, stale.values()))
        first = next(iter(stale.values()))[0]
        parts.append(f"{k} of {n} labels no longer occur once in their plan's text (first: {first}), "
                     f"so {', '.join(stale)} is not scored (a region's list is all or nothing)")
    if not parts:
        return usable, regions, None
    tail = "the other regions are scored" if len(usable) else "no region left: targets_validation.csv written empty"
    todo = "; relabel or rebuild the labels" if stale else "; expected when the corpus leaves those plans out"
    return usable, regions, {"file": shown, "cause": ";".join(causes), "labels": n, "skipped": n - len(usable),
                             "message": f"{shown}: {'; '.join(parts)} — {tail}{todo}"}


def match(found: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Pair extracted quantities with located labels (same region, overlapping offsets, one to one).

    Returns one row per label and per unmatched extraction: ``gold_kind`` (empty for an extraction no
    label covers), ``pred_kind`` (empty when missed), values and units of both, and the offsets.
    """
    rows = []
    for region in sorted(set(found["region"]) | set(gold["region"])):
        f = found[found["region"] == region].sort_values("start", kind="mergesort")
        g = gold[gold["region"] == region].sort_values("start", kind="mergesort")
        f_rows = list(zip(f.index, f.itertuples(index=False)))
        used: set[int] = set()
        for gr in g.itertuples(index=False):
            hit = None
            for i, fr in f_rows:
                if i in used:
                    continue
                if fr.start < gr.end and gr.start < fr.end:
                    hit = (i, fr)
                    break
            row = {"region": region, "gold_span": gr.span, "gold_kind": gr.kind, "gold_value": gr.value,
                   "gold_value_max": getattr(gr, "value_max", ""), "gold_unit": gr.unit,
                   "gold_per": getattr(gr, "per", ""), "start": gr.start, "end": gr.end,
                   "pred_span": "", "pred_kind": "", "pred_value": "", "pred_value_max": "", "pred_unit": "",
                   "pred_per": ""}
            if hit is not None:
                used.add(hit[0])
                fr = hit[1]
                row.update(pred_span=fr.span, pred_kind=fr.kind, pred_value=_fmt(fr.value),
                           pred_value_max=_fmt(fr.value_max), pred_unit=fr.unit, pred_per=fr.per)
            rows.append(row)
        for i, fr in f_rows:
            if i not in used:
                rows.append({"region": region, "gold_span": "", "gold_kind": "", "gold_value": "",
                             "gold_value_max": "", "gold_unit": "", "gold_per": "", "start": fr.start,
                             "end": fr.end, "pred_span": fr.span, "pred_kind": fr.kind,
                             "pred_value": _fmt(fr.value), "pred_value_max": _fmt(fr.value_max),
                             "pred_unit": fr.unit, "pred_per": fr.per})
    out = pd.DataFrame(rows)
    return out.sort_values(["region", "start"], kind="mergesort").reset_index(drop=True)


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(found: pd.DataFrame, documents: Iterable, *, labels: pd.DataFrame | None = None) -> pd.DataFrame:
    """Precision, recall, F1 and support against the hand list, overall and per kind.

    Rows: ``detection`` (a quantity found where the list has one), ``kind`` (found, and the kind right),
    ``exact`` (kind, value, value_max, unit and per all right), one row per kind (kind right; precision over the extractions
    of that kind, recall over the labels of that kind), and ``not_quantity`` (labelled non-quantities
    claimed: ``tp`` counts the claims, which should be 0).
    """
    documents = list(documents)
    gold = locate_labels(labels if labels is not None else load_labels(), documents)
    m = match(found, gold)
    pos = m["gold_kind"].isin(KINDS)
    pred = m["pred_kind"] != ""
    n_pred, n_gold = int(pred.sum()), int(pos.sum())
    both = pos & pred
    kind_ok = both & (m["gold_kind"] == m["pred_kind"])
    exact = kind_ok & (m["gold_value"] == m["pred_value"]) & (m["gold_value_max"] == m["pred_value_max"]) \
        & (m["gold_unit"] == m["pred_unit"]) & (m["gold_per"] == m["pred_per"])
    rows = []
    for name, ok in (("detection", both), ("kind", kind_ok), ("exact", exact)):
        tp = int(ok.sum())
        rows.append(("overall", name, *_prf(tp, n_pred, n_gold), n_gold, tp, n_pred))
    for k in KINDS:
        tp = int((kind_ok & (m["gold_kind"] == k)).sum())
        np_k = int((m["pred_kind"] == k).sum())
        ng_k = int((m["gold_kind"] == k).sum())
        rows.append(("kind", k, *_prf(tp, np_k, ng_k), ng_k, tp, np_k))
    claimed = int(((m["gold_kind"] == "not_quantity") & pred).sum())
    rows.append(("negative", "not_quantity", float("nan"), float("nan"), float("nan"),
                 int((m["gold_kind"] == "not_quantity").sum()), claimed, claimed))
    out = pd.DataFrame(rows, columns=["level", "label", "precision", "recall", "f1", "support", "tp", "n_pred"])
    for col in ("precision", "recall", "f1"):
        out[col] = out[col].round(4)
    return out


def with_prior_kinds(found: pd.DataFrame, documents: Iterable) -> pd.DataFrame:
    """The same quantities with every kind replaced by its document type's prior (a reference rule)."""
    prior = {d.region: _prior(d.meta.get("doc_type") or None) for d in documents}
    return found.assign(kind=found["region"].map(prior))


def validation(found: pd.DataFrame, documents: Iterable, *, labels: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`score` for the extractor (``rule = extractor``) and for the same spans with the document-type
    prior as their only kind rule (``rule = doc_type_prior``): how much the sentence adds over the prior."""
    documents = list(documents)
    labels = labels if labels is not None else load_labels()
    ours = score(found, documents, labels=labels).assign(rule="extractor")
    prior = score(with_prior_kinds(found, documents), documents, labels=labels).assign(rule="doc_type_prior")
    out = pd.concat([ours, prior], ignore_index=True)
    return out[["rule"] + [c for c in out.columns if c != "rule"]]


# --- pipeline stage -------------------------------------------------------------------------------------

def build(ctx) -> None:
    """Stage ``extract``: ctx.targets, and the tables targets.csv and target_absence.csv."""
    found = targets(ctx.documents, ctx.tasks)
    ctx.targets = found
    ctx.add_table("targets.csv", for_csv(found), sort_by=["doc_id", "start"])
    if ctx.tasks is not None and len(ctx.tasks):
        ctx.add_table("target_absence.csv", absence(found, ctx.tasks), sort_by=["doc_id", "domain"])


#: Columns of ``targets_validation.csv`` (written with no rows when nothing can be scored).
VALIDATION_COLUMNS = ("rule", "level", "label", "precision", "recall", "f1", "support", "tp", "n_pred")


def build_validation(ctx, *, path: Path | None = None) -> list[dict]:
    """Stage ``evaluate``: ``targets_validation.csv`` against the hand-made list, for the labelled regions
    whose labels all still fit the build (:func:`usable_labels`); only their quantities are scored.

    Never raises on the labels: a missing, unreadable or stale label file, or labelled regions missing
    from the corpus, give ONE logged warning and the table holds only what could be scored (its
    columns alone when nothing). Returns the warnings (a list of dicts).
    """
    if ctx.targets is None:
        return []
    labels, regions, warning = usable_labels(ctx.documents, path=path)
    if warning:
        log.warning("%s", warning["message"])
    if labels is None or not len(labels):
        table = pd.DataFrame({c: pd.Series(dtype=object) for c in VALIDATION_COLUMNS})
    else:
        documents = [d for d in ctx.documents if d.region in set(regions)]
        found = ctx.targets[ctx.targets["region"].isin(regions)]
        table = validation(found, documents, labels=labels)
    ctx.add_table("targets_validation.csv", table, sort_by=["rule", "level", "label"])
    return [warning] if warning else []

"""What the clause around a quantity says of it: the indicator (what is counted), the comparator, the rate
denominator, the deadline; and the indicator families that let regions be set side by side
(``resources/quantity_indicator_families.csv``).
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import NamedTuple, Sequence

from analysis.quantities.numeric import Bounds, inside
from analysis.quantities.patterns import (
    CJK_START_RE,
    DEADLINE_RE,
    EFFECTIVE_RE,
    FOLLOWING_VERB_RE,
    FAMILIES_FILE,
    INDICATORS_FILE,
    INDICATOR_DATE_LEAD_RE,
    INDICATOR_LEAD_RE,
    INDICATOR_LEAD_WORDS_RE,
    INDICATOR_REFERENCE_RE,
    INDICATOR_STOP_RE,
    INDICATOR_TAIL_RE,
    URBAN_RURAL_RESPECTIVELY_RE,
    LIST_MARKER_RE,
    INDICATOR_TRIM_RE,
    INDICATOR_VERB_ONLY,
    INDICATOR_VERB_RE,
    LEADING_COUNT_RE,
    MAX_INDICATOR,
    PER_AVERAGE_RE,
    PER_EACH_RE,
    PER_PHRASE_RE,
    QUOTES_RE,
    RELATIVE_UNITS,
    comparators,
    read_rows,
    resource_patterns,
)


def comparator_of(text: str, start: int, end: int, clause: tuple[int, int]) -> str:
    """The comparator of the quantity at ``text[start:end]`` in its ``clause``: the last comparator word
    before it (不少于), the word right after it (以上), or both (``不少于…以上``)."""
    comps = comparators()
    prefix = text[clause[0]:start]
    pre = ""
    for t in comps["adjacent_only"]:
        if prefix.endswith(t) and len(prefix) > len(t):
            pre = t
            break
    if not pre:
        best = None
        for m in resource_patterns()["pre"].finditer(prefix):
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


def per_of(text: str, start: int, match_per: str, clause: tuple[int, int]) -> str:
    """The rate denominator: the unit's own ``/月/人`` (``match_per``), else 户均 / 每人每月 right before
    the number, else 每X…平均/拥有 earlier in the clause; '' when none."""
    if match_per:
        return "".join(match_per.split()).lstrip("/")
    prefix = text[clause[0]:start]
    m = PER_AVERAGE_RE.search(prefix)
    if m:  # 户均800元; 年人均2200元: per person and year
        return "/".join(x for x in (m.group("per"), m.group("y") or m.group("y2")) if x)
    m = PER_EACH_RE.search(prefix)
    if m:
        return "/".join(x for x in (m.group("a"), m.group("b")) if x)
    found = list(PER_PHRASE_RE.finditer(prefix.rsplit("、", 1)[-1]))
    return found[-1].group("per") if found else ""


def deadline_of(text: str, start: int, sentence: tuple[int, int], titles: Sequence[tuple[int, int]],
                bounds: Bounds | None = None) -> str:
    """The last deadline before ``start`` in its sentence, else the first after it, else 从N月份执行 in the
    next sentence. With ``bounds`` the text's deadlines are found once (bisection per quantity)."""
    if bounds is None:
        hits = [m for m in DEADLINE_RE.finditer(text, sentence[0], sentence[1])
                if not inside(titles, m.start(), m.end())]
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


def clean_indicator(raw: str) -> str:
    """An indicator as a clean noun phrase: leading dates, clause markers, adverbs and lead verbs cut, trailing
    由…/和/的 cut; '' for a bare verb or a fragment with digits (see the INDICATOR_* cleaning patterns)."""
    s = "".join(raw.split())
    s = INDICATOR_DATE_LEAD_RE.sub("", s) if re.search(r"[0-9０-９]\s*年", s) else s
    for _ in range(3):
        s = INDICATOR_TAIL_RE.sub("", INDICATOR_LEAD_WORDS_RE.sub("", s))
    if len(s) < 2 or s in INDICATOR_VERB_ONLY or INDICATOR_VERB_RE.fullmatch(s) or re.search(r"[0-9０-９]", s):
        return ""
    return s


def indicator_of(text: str, start: int, end: int, clause: tuple[int, int], *, unit: str, full_coverage: bool,
                 prev_end: int = -1, prev_indicator: str = "") -> str:
    """:func:`clean_indicator` of :func:`raw_indicator`."""
    return clean_indicator(raw_indicator(text, start, end, clause, unit=unit, full_coverage=full_coverage,
                                         prev_end=prev_end, prev_indicator=prev_indicator))


def raw_indicator(text: str, start: int, end: int, clause: tuple[int, int], *, unit: str, full_coverage: bool,
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
    if following.startswith(("以", "内", "的", "余")) or not CJK_START_RE.match(following) \
            or FOLLOWING_VERB_RE.match(following):
        following = ""
    if unit not in RELATIVE_UNITS and not full_coverage and following:
        return following[:MAX_INDICATOR]
    lo = max(clause[0], prev_end) if prev_end >= 0 else clause[0]
    prefix = INDICATOR_LEAD_RE.sub("", LIST_MARKER_RE.sub("", text[lo:start]))
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


@lru_cache(maxsize=1)
def families() -> tuple[tuple[str, str], ...]:
    """``(key, family)`` pairs in file order (``resources/quantity_indicator_families.csv``)."""
    return tuple((r["key"], r["family"]) for r in read_rows(FAMILIES_FILE))


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


class Indicator(NamedTuple):
    """One row of ``resources/quantity_indicators.csv``: a canonical indicator."""

    id: str
    name_zh: str
    name_en: str
    family: str
    base: str
    units: tuple[str, ...]
    pattern: re.Pattern


@lru_cache(maxsize=1)
def canonical_indicators() -> tuple[Indicator, ...]:
    """The canonical indicators, in file order (the first that fits names a quantity)."""
    return tuple(Indicator(r["id"], r["name_zh"], r["name_en"], r["family"], r["base"],
                           tuple(u for u in r["units"].split(";") if u), re.compile(r["pattern"]))
                 for r in read_rows(INDICATORS_FILE))


def indicator_id(indicator: str, *, unit: str, per: str = "", context: str = "", sentence: str = "") -> str:
    """The canonical indicator of a quantity: the first row whose units hold ``unit`` and whose pattern is
    found in ``indicator``, else in ``context`` (its clause before the number), else in ``sentence`` (the
    sentence before it: 适老化改造工作…完成105户改造任务); '' when none fits. A standard (base
    ``standard``) is a rate: a sum without ``per`` is never one (低保标准…发放资金300万元)."""
    rows = [r for r in canonical_indicators() if unit in r.units and (per or r.base != "standard")]
    for r in rows:
        if indicator and r.pattern.search(indicator):
            return r.id
    for text in (context, sentence[-SENTENCE_CONTEXT:]):
        for r in rows:
            m = r.pattern.search(text) if text else None
            if m and _elliptical(indicator, r.name_zh + m.group(0)):
                return r.id
    return ""


#: The urban and rural members of a combined standard, in the order a 城乡…分别 list gives them.
URBAN_RURAL = {"dibao_standard": ("dibao_standard_urban", "dibao_standard_rural")}


def urban_rural_pair(canonical: str, sentence: str, *, second: bool) -> str:
    """A combined standard's id split by position where its sentence says 城乡…分别 (城乡低保标准分别提高至每人每月
    950元、720元: the first figure is the urban standard, the listed second the rural one); else ``canonical``."""
    pair = URBAN_RURAL.get(canonical)
    if pair is None or not URBAN_RURAL_RESPECTIVELY_RE.search(sentence):
        return canonical
    return pair[1] if second else pair[0]


def _elliptical(indicator: str, name: str) -> bool:
    """Whether ``indicator`` may stand for ``name`` read in its context: it is empty, or it shares two characters
    with it (改造任务 for 适老化改造), not another noun of its own (98个镇 in a sentence on 社会组织)."""
    return not indicator or any(indicator[i:i + 2] in name for i in range(len(indicator) - 1))


#: How far back in its sentence a quantity's canonical indicator is looked for (characters).
SENTENCE_CONTEXT = 30
#: Rate denominators in their canonical order: a person (household) before a period (人/月, not 月/人).
PER_ORDER = "人户床元月年天日次"


def normal_per(per: str) -> str:
    """A rate denominator in one spelling: 月/人, 人/月 and 每人每月 are all ``人/月``."""
    parts = [p for p in re.split(r"[/每·・]", per or "") if p]
    return "/".join(sorted(parts, key=lambda p: (PER_ORDER.find(p[0]) if p[0] in PER_ORDER else 99, p)))

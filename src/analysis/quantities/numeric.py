"""Numbers in the raw text: their values, the sentence and clause around them, and the numbers that
are no quantity (ordinals, names and slogans in quotes or titles, counts of enumerations).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from decimal import Decimal
from typing import Sequence

import cn2an

from analysis import numerals
from analysis.quantities.patterns import (
    CLAUSE_END_RE,
    FRAGMENT_RE,
    CLOSE_QUOTE_RE,
    CLOSE_QUOTE_WIDE_RE,
    CN_NUM_CHARS,
    CONTEXT_CHARS,
    DEADLINE_RE,
    MAX_CN_NUM,
    OPEN_QUOTE_RE,
    OPEN_QUOTE_WIDE_RE,
    LIST_ANNOUNCED_AFTER_RE,
    ISSUERS_AFTER_RE,
    PLAN_INDICATORS_AFTER_RE,
    LISTED_NAMES_BEFORE_RE,
    DENG_LIST_BEFORE_RE,
    ORDINAL_BEFORE_RE,
    PAGE_COUNTER_BEFORE_RE,
    PER_BEFORE_RE,
    QUOTED_NAMES_AFTER_RE,
    QUOTED_NAMES_BEFORE_RE,
    READING_TIME_BEFORE_RE,
    COLLECTION_BEFORE_RE,
    DELEGATION_BEFORE_RE,
    SENTENCE_END_RE,
    TITLE_RE,
    WORDS_ONLY_NAME_NOUNS,
    name_nouns,
)


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


class Bounds:
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
            hits = [m for m in DEADLINE_RE.finditer(text) if not inside(titles, m.start(), m.end())]
            self._deadlines = ([m.start() for m in hits], hits)
        return self._deadlines


def strip_bounds(text: str, a: int, b: int) -> tuple[int, int]:
    """``[a, b)`` without the white space at either end of ``text[a:b]``."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def in_quotes(text: str, start: int, end: int, *, wide: bool = False) -> bool:
    """Whether ``text[start:end]`` is inside quotes or a title close by (a slogan or a name); ``wide``: within
    30 characters of each quote (a count in Chinese numerals in a slogan of several parts), else 16 and 21."""
    if wide:
        return bool(OPEN_QUOTE_WIDE_RE.search(text, max(0, start - 30), start)) and \
            bool(CLOSE_QUOTE_WIDE_RE.match(text[end:end + 30]))
    before = text[max(0, start - 16):start]
    after = text[end:end + 21]
    return bool(OPEN_QUOTE_RE.search(before)) and bool(CLOSE_QUOTE_RE.search(after))


def title_spans(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` of every 《…》 title of ``text``, in order."""
    return [(m.start(), m.end()) for m in TITLE_RE.finditer(text)]


def inside(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies inside one of ``spans`` (sorted and non-overlapping, as
    :func:`title_spans` gives them): only the last span starting at or before ``start`` can hold it (bisection, not a scan)."""
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return i >= 0 and end <= spans[i][1]


def overlaps(spans: Sequence[tuple[int, int]], ends: Sequence[int], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps one of ``spans`` (sorted, non-overlapping; ``ends`` their ends)."""
    i = bisect.bisect_right(ends, start)
    return i < len(spans) and spans[i][0] < end


def window(span: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    """``span`` (a clause or sentence around ``[start, end)``) cut to :data:`CONTEXT_CHARS` on either side."""
    return max(span[0], start - CONTEXT_CHARS), min(span[1], end + CONTEXT_CHARS)


def _names_enumeration(text: str, end: int, *, chinese: bool = True) -> bool:
    nouns = name_nouns() if chinese else tuple(n for n in name_nouns() if n not in WORDS_ONLY_NAME_NOUNS)
    return text.startswith(nouns, end, end + 8)


def is_name_or_ordinal(text: str, start: int, end: int, *, chinese: bool, num: str,
                       titles: Sequence[tuple[int, int]]) -> bool:
    """Whether the number at ``text[start:end]`` is no quantity (see :func:`why_not_quantity`)."""
    return bool(why_not_quantity(text, start, end, chinese=chinese, num=num, titles=titles))


def why_not_quantity(text: str, start: int, end: int, *, chinese: bool, num: str,
                     titles: Sequence[tuple[int, int]]) -> str:
    """Why the number at ``text[start:end]`` is no quantity, '' when it may be one: ``ordinal`` (第三届),
    ``rate_denominator`` (每千名), ``indefinite`` (the indefinite 一), ``inside_numeral`` (part of a longer
    numeral), ``title_or_quotes`` (inside a title or quotes), ``enumeration`` (四个方面, 两次重要讲话, 包括五项:),
    ``page_counter`` (点击:35次, 范文汇总五篇), ``delegation`` (一行5人), ``fragment`` (a digit group opening with 0)."""
    before = text[max(0, start - 1):start]
    if not chinese and FRAGMENT_RE.fullmatch(num):
        return "fragment"  # the 000 of a figure split by a space: never 0 of anything
    if ORDINAL_BEFORE_RE.search(before):
        return "ordinal"
    if PER_BEFORE_RE.search(before):
        return "rate_denominator"
    if PAGE_COUNTER_BEFORE_RE.search(text[max(0, start - 8):start]) \
            or READING_TIME_BEFORE_RE.search(text[max(0, start - 6):start]):
        return "page_counter"  # 点击:35次, 读完约1分钟: the web page's metadata
    if COLLECTION_BEFORE_RE.search(text[max(0, start - 6):start]) and text[start:end].rstrip().endswith("篇"):
        return "page_counter"  # 范文汇总五篇, 范文(15篇): the texts a template site's page collects
    if DELEGATION_BEFORE_RE.search(text[max(0, start - 4):start]):
        return "delegation"  # 调研组一行5人: the size of a visiting party
    if chinese and LIST_ANNOUNCED_AFTER_RE.match(text, end):
        return "enumeration"  # 工作任务主要包括五项:一是…: the count of the list's items
    if text[start:end].rstrip().endswith("项") and PLAN_INDICATORS_AFTER_RE.match(text, end):
        return "enumeration"  # 提出15项主要发展指标, 其中4项目标值为100%: the count of a plan's indicators
    if text[max(0, start - 2):start].rstrip().endswith("等") and ISSUERS_AFTER_RE.match(text, end):
        return "enumeration"  # 民政局等11个部门联合印发: the count of the issuing bodies
    if chinese and num == "一":  # 一个时期, 一支队伍, 一项工作, 不漏一户: the indefinite article
        return "indefinite"
    if chinese and before and before in CN_NUM_CHARS:  # inside a longer numeral word
        return "inside_numeral"
    if inside(titles, start, end) or in_quotes(text, start, end, wide=chinese):
        return "title_or_quotes"
    if chinese and (QUOTED_NAMES_BEFORE_RE.search(text[max(0, start - 2):start]) or QUOTED_NAMES_AFTER_RE.match(text, end)):
        return "enumeration"  # “老有康养”“弱有众扶”两项重点工程: the count of the names
    if _listed_names(text, start, end, chinese=chinese):
        return "enumeration"  # 评议、公示、审批三个重点环节: the count of the names just listed
    if chinese and DENG_LIST_BEFORE_RE.search(text, max(0, start - 120), start):
        return "enumeration"  # 甲公司、乙公司、丙公司等四家企业: the count of the longer names just listed
    return "enumeration" if _names_enumeration(text, end, chinese=chinese) else ""


def _listed_names(text: str, start: int, end: int, *, chinese: bool) -> bool:
    """Whether the count at ``text[start:end]`` counts the names listed right before it (评议、公示、审批三个重点环节;
    in digits only after 等 and when the noun after the unit repeats the end of the last name: 奉节县等8个区县)."""
    m = LISTED_NAMES_BEFORE_RE.search(text, max(0, start - 40), start)
    if m is None or m.end() != start:
        return False
    if chinese:
        return True
    return bool(m.group("deng")) and m.group("last")[-1] in text[end:end + 4]

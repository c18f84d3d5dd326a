"""Chinese numerals: the one place for their characters and for reading small ones (list markers, counts).

:func:`value` reads a numeral of 1 to 9999 written the standard way (一, 十五, 二十, 一百零一, 两千三百,
九千九百九十九) in constant time: a numeral has at most :data:`MAX_LEN` characters, so anything longer is
rejected before it is looked at, and the answer is a lookup in a table of every valid spelling, built
once from :func:`spell`. Nothing else is a numeral: ``百`` alone, ``十十``, ``九九九九九``, digit-by-digit
years (``二〇二三``), colloquial abbreviations (``一百一``, ``两千五``) all give None. No cn2an: it
expands ``九`` × 30 into a 30-digit number and raises on ``百``.

    >>> from analysis import numerals
    >>> numerals.value("十五"), numerals.value("一百零一"), numerals.value("两千"), numerals.value("百")
    (15, 101, 2000, None)

:func:`marker` reads what numbers a list (``3``, ``③``, ``十五``; 1-999, like a list does) — the
drop-in for ``segment.cn_int``.

Accepted variants beside :func:`spell`'s standard form: ``一十`` for a leading ``十`` (一十五), ``两`` for
``二`` before 百 and 千 (两百, 两千三百), ``〇`` for ``零``, and ``一千零十`` for ``一千零一十``.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Digits (两 is 2 before 百/千; 〇 and 零 are zero inside a numeral).
DIGITS = "零〇一二两三四五六七八九"
#: Place units up to the thousands.
UNITS = "十百千"
#: Every character of a numeral :func:`value` reads — the numeral character set.
CHARS = DIGITS + UNITS
#: Large multipliers (quantities: 1.5万, 三万): never part of a small numeral.
MULTIPLIERS = "万亿"
#: Characters of list markers and clause markers (一、 （一） 一是 … 十是).
MARKER_CHARS = "一二三四五六七八九十"
#: Characters of section numbers (一、 … 一百、), zeros included.
SECTION_CHARS = "零〇一二三四五六七八九十百"
#: A whole token that is a clause marker (一是, 十是): numbering, not content.
CLAUSE_MARKER_TOKEN_RE = re.compile(rf"^[{MARKER_CHARS}]+是$")
#: The largest value and the longest spelling (九千九百九十九) :func:`value` reads.
MAX_VALUE = 9999
MAX_LEN = 7
#: A bounded run of numeral characters, for patterns that look for a numeral (at most :data:`MAX_LEN`).
RUN = rf"[{CHARS}]{{1,{MAX_LEN}}}"

_DIGIT = "零一二三四五六七八九"


def spell(n: int) -> str:
    """The standard spelling of ``1 <= n <= 9999`` (十五, 一百一十, 一千零五, 两 never)."""
    if not 1 <= n <= MAX_VALUE:
        raise ValueError(f"{n} is not between 1 and {MAX_VALUE}")
    a, b, c, d = n // 1000, n // 100 % 10, n // 10 % 10, n % 10
    out = []
    if a:
        out.append(_DIGIT[a] + "千")
    if b:
        out.append(_DIGIT[b] + "百")
    elif a and (c or d):
        out.append("零")
    if c:
        out.append(("" if c == 1 and not (a or b) else _DIGIT[c]) + "十")
    elif b and d:
        out.append("零")
    if d:
        out.append(_DIGIT[d])
    return "".join(out)


def _variants(n: int, s: str) -> set[str]:
    """``s`` (:func:`spell` of ``n``) and the accepted variants of it."""
    out = {s}
    if s.startswith("十"):
        out.add("一" + s)                                    # 一十五
    if n >= 1000 and "零一十" in s:
        out.add(s.replace("零一十", "零十"))                  # 一千零十(五)
    out |= {v.replace("二千", "两千") for v in out}          # 两千
    out |= {v.replace("二百", "两百") for v in out}          # 两百, 两千两百
    out |= {v.replace("零", "〇") for v in out}              # 一百〇一
    return out


@lru_cache(maxsize=1)
def spellings() -> dict[str, int]:
    table: dict[str, int] = {}
    for n in range(1, MAX_VALUE + 1):
        for v in _variants(n, spell(n)):
            table[v] = n
    return table


def value(numeral: str) -> int | None:
    """The value of a Chinese numeral of 1 to :data:`MAX_VALUE`, or None when ``numeral`` is not one.

    Constant time and memory whatever the input: longer than :data:`MAX_LEN` characters is None at once.
    """
    if not isinstance(numeral, str) or not 0 < len(numeral) <= MAX_LEN:
        return None
    return spellings().get(numeral)


#: Markers number lists: :func:`marker` reads up to this value.
MARKER_MAX = 999


def marker(numeral: str, *, limit: int = MARKER_MAX) -> int | None:
    """A list marker's number, the drop-in for ``segment.cn_int``: ASCII digits as written (``3``, ``12``;
    at most 18 of them), full-width digits (``１２``), a circled, parenthesized or stopped number (``③``, ``⑶``,
    ``⒊``: 1-20), or a Chinese numeral from 1 to ``limit``
    (``十五``); None otherwise (``百``, ``十十``, ``九九九九``, ``一千``)."""
    if not numeral or not isinstance(numeral, str):
        return None
    if numeral.isascii() and numeral.isdigit():
        return int(numeral) if len(numeral) <= 18 else None
    if len(numeral) <= 2 and all("\uff10" <= c <= "\uff19" for c in numeral):  # full-width digits: １２
        return int(numeral)
    if len(numeral) == 1:
        for first in ("\u2460", "\u2474", "\u2488"):  # ① circled, ⑴ parenthesized, ⒈ with a full stop (1-20)
            if first <= numeral <= chr(ord(first) + 19):
                return ord(numeral) - ord(first) + 1
    n = value(numeral)
    return n if n is not None and n <= limit else None

"""Normalizing decoded text: line ends, NUL characters, traditional Chinese to simplified (same length); and the
pinyin glosses some converters leave after every character (:func:`gloss_spans`), which tokenizing drops and
segmenting reads past."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache


# ------------------------------------------------------------------------------------------ normalizing

#: Share of a text's hanzi that must change under conversion to simplified characters for it to be taken as
#: traditional Chinese (a simplified plan has almost none: one character of the five seeds' 20,000).
TRADITIONAL_SHARE = 0.1
#: Pre-check before loading OpenCC: share of hanzi outside GB2312 (the simplified character set).
_NON_GB2312_SHARE = 0.05


def normalize_line_ends(text: str) -> tuple[str, list[str]]:
    """CRLF -> LF; then lone CR (old Mac files, or mixed with CRLF) -> LF, with a note. CR -> LF keeps the
    length, so offsets are those of the decoded file with CRLF collapsed."""
    notes = []
    crlf = "\r\n" in text
    if crlf:
        text = text.replace("\r\n", "\n")
    if "\r" in text:
        text = text.replace("\r", "\n")
        notes.append(("mixed CRLF and CR line ends: CRLF read as LF, then lone CR as LF" if crlf else
                      "CR line ends (old Mac) read as LF (same length: offsets unchanged)"))
    return text, notes


@lru_cache(maxsize=1)
def converter():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=None)
def t2s_char(ch: str) -> str:
    out = converter().convert(ch)
    return out if len(out) == 1 else ch


def _is_hanzi(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


def _looks_traditional(text: str) -> bool:
    hanzi = [(ch, n) for ch, n in Counter(text).items() if _is_hanzi(ch)]  # counted in C, tested per distinct character
    if not hanzi:
        return False
    outside = sum(n for ch, n in hanzi if not _in_gb2312(ch))
    return outside >= _NON_GB2312_SHARE * sum(n for _, n in hanzi)


@lru_cache(maxsize=None)
def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def to_simplified(text: str) -> tuple[str, int]:
    """``(simplified text of the same length, characters changed)``. OpenCC t2s converts phrase by phrase
    within each line; a line whose conversion changes its length is converted character by character."""
    cc = converter()
    out = []
    for line in text.splitlines(keepends=True):
        conv = cc.convert(line)
        if len(conv) != len(line):
            conv = "".join(t2s_char(ch) if _is_hanzi(ch) else ch for ch in line)
        out.append(conv)
    simple = "".join(out)
    assert len(simple) == len(text)
    return simple, sum(1 for a, b in zip(text, simple) if a != b)


def simplify(text: str) -> tuple[str, list[str]]:
    """Traditional Chinese -> simplified for analysis, same length, with a note; any other text unchanged.
    Traditional: at least :data:`TRADITIONAL_SHARE` of the hanzi change under OpenCC t2s."""
    if not _looks_traditional(text):
        return text, []
    try:
        simple, changed = to_simplified(text)
    except ImportError:
        return text, ["looks like traditional Chinese but OpenCC is not installed (pip install "
                      "opencc-python-reimplemented): analysed as it is, which the lexicons (simplified) match poorly"]
    n_hanzi = sum(1 for ch in text if _is_hanzi(ch))
    if changed < TRADITIONAL_SHARE * n_hanzi:
        return text, []
    return simple, [f"traditional Chinese converted to simplified Chinese for analysis (OpenCC t2s, same "
                    f"offsets): {changed} of {n_hanzi} characters changed; Document.original_text keeps the source"]


def normalize_source(text: str) -> tuple[str, list[str]]:
    """The decoded text as the source reads, with notes: line ends normalized (:func:`normalize_line_ends`),
    NUL characters (from a UTF-16 file) read as spaces; both keep every offset."""
    text, notes = normalize_line_ends(text)
    if "\x00" in text:
        notes.append(f"{text.count(chr(0))} NUL characters read as spaces (same offsets)")
        text = text.replace("\x00", " ")
    return text, notes


def normalize(text: str) -> tuple[str, list[str]]:
    """``(text for analysis, notes)`` from a decoded text: :func:`normalize_source`, then traditional Chinese
    simplified (:func:`simplify`, same length)."""
    text, notes = normalize_source(text)
    simple, more = simplify(text)
    return simple, notes + more




# ------------------------------------------------------------------------------------------ pinyin glosses

#: A pinyin gloss a converter left after a character (規(guī)範 -> 规(guī)范 once simplified; some mirrors write a space
#: before the closing parenthesis, 會(huì )議): a syllable in parentheses with a tone mark, right after a CJK character.
PINYIN_GLOSS_RE = re.compile(r"(?<=[\u3400-\u9fff])[(（] ?[a-zü]{0,5}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]{0,5} ?[)）]")
#: A gloss without tone marks (黨(dang) 的領導, 鄉(xiang) 村, often with a space after it): letters in parentheses
#: after a CJK character, a gloss only when they spell that character's pinyin (:func:`_is_reading`), so an
#: abbreviation in parentheses stays.
TONELESS_GLOSS_RE = re.compile(r"([\u3400-\u9fff])([(（] ?([a-zü]{1,6}) ?[)）](?:[ \t\u3000](?=[\u3400-\u9fff]))?)")


@lru_cache(maxsize=4096)
def _readings(char: str) -> frozenset[str]:
    """Every pinyin reading of one character without tones (ü as v), from :mod:`pypinyin`."""
    from pypinyin import Style, pinyin

    return frozenset(r for group in pinyin(char, style=Style.NORMAL, heteronym=True, v_to_u=False) for r in group)


def _is_reading(m: re.Match) -> bool:
    return m.group(3).replace("ü", "v") in _readings(m.group(1))


def gloss_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` holds pinyin glosses after its characters (:data:`PINYIN_GLOSS_RE`, and toneless ones that
    spell the character's reading, :data:`TONELESS_GLOSS_RE`), as sorted, disjoint ``(start, end)`` spans."""
    if "(" not in text and "（" not in text:
        return []
    spans = [m.span() for m in PINYIN_GLOSS_RE.finditer(text)]
    spans += [m.span(2) for m in TONELESS_GLOSS_RE.finditer(text) if _is_reading(m)]
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


def drop_glosses(text: str, spans: list[tuple[int, int]] | None = None) -> str:
    """``text`` without its pinyin glosses (:func:`gloss_spans`, or the ``spans`` given)."""
    spans = gloss_spans(text) if spans is None else spans
    if not spans:
        return text
    pieces, at = [], 0
    for a, b in spans:
        pieces.append(text[at:a])
        at = b
    pieces.append(text[at:])
    return "".join(pieces)

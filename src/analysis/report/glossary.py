"""English glosses of Chinese terms for the English charts and workbook.

A curated glossary (``resources/glossary_en.csv``: ``zh``, ``en``, ``note``) gives the corpus's terms an
English rendering; a term it lacks is romanized with pypinyin (tone marks) and marked with
:data:`PINYIN_MARK`, so an English chart never shows bare Chinese without a gloss.
"""

from __future__ import annotations

from functools import lru_cache

from analysis import resources

GLOSSARY_FILE = "glossary_en.csv"
#: Marks a pinyin rendering (no gloss in the glossary); the chart's note explains it.
PINYIN_MARK = "†"


@lru_cache(maxsize=1)
def glossary() -> dict[str, str]:
    """Chinese term -> English gloss, from the glossary file."""
    return {r["zh"].strip(): r["en"].strip() for r in resources.rows(GLOSSARY_FILE, columns=("zh", "en", "note"))
            if r["zh"].strip() and r["en"].strip()}


def pinyin(term: str) -> str:
    """``term`` in pinyin with tone marks, syllables run together per word: 用房 -> yòngfáng."""
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(term, style=Style.TONE, errors="default"))


def english(term: str) -> tuple[str, bool]:
    """``(rendering, is_gloss)``: the glossary's English, or the pinyin (``is_gloss`` False)."""
    found = glossary().get(term)
    return (found, True) if found else (pinyin(term), False)


def term_label(term: str, *, lang: str) -> str:
    """A term as a chart shows it: the term itself (zh); ``gloss (term)`` or ``pinyin† (term)`` (en)."""
    if lang == "zh":
        return term
    text, is_gloss = english(term)
    return f"{text} ({term})" if is_gloss else f"{text}{PINYIN_MARK} ({term})"

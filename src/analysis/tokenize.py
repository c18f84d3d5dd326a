"""Tokenization: one dedicated ``jieba.Tokenizer`` with the civil-affairs user dictionary.

This module is the only place that touches jieba. The tokenizer is created lazily, once per
process, from the versioned files in ``resources/`` (user dictionary, stopword lists); jieba's
"Loading model" chatter is silenced. :class:`Tokens` is a picklable callable for scikit-learn::

    TfidfVectorizer(tokenizer=tokenize.Tokens(), token_pattern=None, lowercase=False)
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

from analysis import config

#: Whitespace between two CJK characters is a layout defect (newspaper columns), not a word break.
CJK_GAP_RE = re.compile(r"(?<=[\u3400-\u9fff])[ \t\u3000\u00a0]+(?=[\u3400-\u9fff])")
#: A token worth keeping has at least one CJK character or Latin letter.
CONTENT_RE = re.compile(r"[\u3400-\u9fffA-Za-z]")
NUMERIC_RE = re.compile(r"^[\d０-９.．%％]+$")

STOPWORD_FILES = ("stopwords_general.txt", "stopwords_bureaucratic.txt")
USERDICT_FILE = "userdict.txt"


def _read_list(name: str) -> list[str]:
    lines = config.resource(name).read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """General plus bureaucratic-filler stopwords, from the resource files."""
    return frozenset(w for name in STOPWORD_FILES for w in _read_list(name))


@lru_cache(maxsize=1)
def user_words() -> tuple[str, ...]:
    """The words of the civil-affairs user dictionary."""
    return tuple(line.split()[0] for line in _read_list(USERDICT_FILE))


@lru_cache(maxsize=1)
def tokenizer():
    """The project's one ``jieba.Tokenizer``, user dictionary loaded, quiet."""
    import jieba

    jieba.setLogLevel(logging.WARNING)  # silence "Building prefix dict ... Loading model"
    tk = jieba.Tokenizer()
    tk.initialize()
    tk.load_userdict(str(config.resource(USERDICT_FILE)))
    return tk


def normalize(text: str) -> str:
    """Text as tokenized: NFKC (full-width digits and letters to ASCII), stray gaps closed.

    A space between two CJK characters is closed only where a dictionary word spans it
    (``扎 实`` -> 扎实, ``地名数 据库`` -> 数据库), so spaces that separate names or captions stay.
    """
    text = unicodedata.normalize("NFKC", text)
    if not CJK_GAP_RE.search(text):
        return text
    freq = tokenizer().FREQ

    def close(m: re.Match) -> str:
        left, right = text[max(0, m.start() - 3):m.start()], text[m.end():m.end() + 3]
        spans = any(freq.get(left[i:] + right[:j]) for i in range(len(left)) for j in range(1, len(right) + 1))
        return "" if spans else m.group(0)

    return CJK_GAP_RE.sub(close, text)


def words(text: str) -> list[str]:
    """Every jieba token of ``text`` (after :func:`normalize`), punctuation and stopwords included."""
    return tokenizer().lcut(normalize(text))


def tokens(text: str, *, drop_stopwords: bool = True) -> list[str]:
    """Content tokens: no punctuation, whitespace, bare numbers or (by default) stopwords."""
    stop = stopwords() if drop_stopwords else frozenset()
    return [w for w in words(text)
            if CONTENT_RE.search(w) and not NUMERIC_RE.match(w) and w not in stop]


class Tokens:
    """Picklable tokenizer callable for scikit-learn vectorizers (``token_pattern=None``)."""

    def __init__(self, *, drop_stopwords: bool = True):
        self.drop_stopwords = drop_stopwords

    def __call__(self, text: str) -> list[str]:
        return tokens(text, drop_stopwords=self.drop_stopwords)

    def __eq__(self, other) -> bool:
        return isinstance(other, Tokens) and other.drop_stopwords == self.drop_stopwords

    def __hash__(self) -> int:
        return hash(("Tokens", self.drop_stopwords))

    def __repr__(self) -> str:
        return f"Tokens(drop_stopwords={self.drop_stopwords})"


def build(ctx) -> None:
    """Tokenize every task once; later stages reuse ``ctx.tokens`` (task_id -> tokens)."""
    ctx.tokens = {tid: tokens(text) for tid, text in zip(ctx.tasks["task_id"], ctx.tasks["text"])}

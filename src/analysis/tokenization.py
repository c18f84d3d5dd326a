"""Tokenization with one dedicated ``jieba.Tokenizer`` and the civil-affairs user dictionary.

(Named ``tokenization``, not ``tokenize``, so that it shadows nothing of the standard library.) This module is
the only place that touches jieba. The tokenizer is created lazily, once per
process, from the versioned files in ``resources/`` (user dictionary, stopword lists); jieba's
"Loading model" chatter is silenced. :class:`Tokens` is a picklable callable for scikit-learn::

    TfidfVectorizer(tokenizer=tokenization.Tokens(), token_pattern=None, lowercase=False)
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

from analysis import resources
from analysis.corpus.cleaning import drop_glosses
from analysis.segment import CJK_GAP_RE

if TYPE_CHECKING:  # annotations only: pandas is imported by the callers
    import pandas as pd

log = logging.getLogger(__name__)

#: A token worth keeping has at least one CJK character or Latin letter.
CONTENT_RE = re.compile(r"[\u3400-\u9fffA-Za-z]")
NUMERIC_RE = re.compile(r"^[\d０-９.．%％]+$")
STOPWORD_FILES = ("stopwords_general.txt", "stopwords_bureaucratic.txt")
USERDICT_FILE = "userdict.txt"


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """General plus bureaucratic-filler stopwords, from the resource files."""
    return frozenset(w for name in STOPWORD_FILES for w in resources.lines(name))


@lru_cache(maxsize=1)
def tokenizer():
    """The project's one ``jieba.Tokenizer``, user dictionary loaded, quiet."""
    import jieba

    jieba.setLogLevel(logging.WARNING)  # silence "Building prefix dict ... Loading model"
    tk = jieba.Tokenizer()
    tk.initialize()
    tk.load_userdict(str(resources.path(USERDICT_FILE)))
    return tk


def normalize(text: str) -> str:
    """Text as tokenized: NFKC (full-width digits and letters to ASCII), pinyin glosses dropped
    (:func:`analysis.corpus.cleaning.gloss_spans`), stray gaps closed.

    A space between two CJK characters is closed only where a dictionary word spans it
    (``扎 实`` -> 扎实, ``地名数 据库`` -> 数据库), so spaces that separate names or captions stay.
    """
    text = unicodedata.normalize("NFKC", text)
    if "(" in text:  # NFKC made （ a (
        text = drop_glosses(text)
    if not CJK_GAP_RE.search(text):  # segment.CJK_GAP_RE: a layout defect, not a word break
        return text
    freq = tokenizer().FREQ

    def close(m: re.Match) -> str:
        left, right = text[max(0, m.start() - 3):m.start()], text[m.end():m.end() + 3]
        spans = any(freq.get(left[i:] + right[:j]) for i in range(len(left)) for j in range(1, len(right) + 1))
        return "" if spans else m.group(0)

    return CJK_GAP_RE.sub(close, text)


#: The longest block (a run jieba cuts on its own, :func:`_block_re`) handed to jieba at once; a longer
#: one is cut in pieces of this size, with a logged warning. jieba's HMM for words not in its dictionary
#: (``finalseg.viterbi``) copies its path at every character, so one run of characters it cannot find
#: (占 x 8,000: 0.23 s, x 16,000: 0.9 s) costs time quadratic in its length; in pieces it is linear. The
#: five plans' longest block has 50 characters: they are never cut.
MAX_BLOCK = 500


def pieces(text: str) -> tuple[list[str], bool]:
    """``text`` (normalized) as jieba's blocks, in order, none longer than :data:`MAX_BLOCK`, and whether
    one had to be cut (what jieba cuts of the pieces, joined, is what it cuts of ``text`` unless one was)."""
    blocks = _block_re().split(text)
    if all(len(b) <= MAX_BLOCK for b in blocks):
        return [b for b in blocks if b], False
    out, cut = [], 0
    for b in blocks:
        if len(b) <= MAX_BLOCK:
            if b:
                out.append(b)
            continue
        cut += bool(_block_re().fullmatch(b))  # a run of punctuation or spaces is cut alike, char by char
        out.extend(b[i:i + MAX_BLOCK] for i in range(0, len(b), MAX_BLOCK))
    if cut:
        log.warning("tokenize: %d run(s) of more than %d characters without punctuation (the longest %d) "
                    "cut in pieces of %d for jieba", cut, MAX_BLOCK, max(map(len, blocks)), MAX_BLOCK)
    return out, True


def words(text: str) -> list[str]:
    """Every jieba token of ``text`` (after :func:`normalize`), punctuation and stopwords included.

    jieba cuts every block on its own, so the text is cut block by block (blocks over :data:`MAX_BLOCK`
    characters in pieces): the tokens are jieba's.
    """
    lcut = tokenizer().lcut
    norm = normalize(text)
    parts, cut = pieces(norm)
    return [w for piece in parts for w in lcut(piece)] if cut else lcut(norm)


@cache
def is_content(word: str) -> bool:
    """True for a token with a CJK character or a Latin letter that is not a bare number (cached: a
    corpus has far fewer distinct tokens than tokens)."""
    return bool(CONTENT_RE.search(word)) and not NUMERIC_RE.match(word)


#: Distinct blocks whose tokens one process remembers (see :func:`tokens`).
MEMO_BLOCKS = 1 << 16


@cache
def _block_re() -> re.Pattern:
    """jieba's own block pattern (``jieba.re_han_default``): jieba cuts each run of it on its own."""
    import jieba

    return jieba.re_han_default


def content(words: Iterable[str], *, drop_stopwords: bool = True) -> list[str]:
    """The content tokens among jieba's ``words`` (what :func:`tokens` keeps): no punctuation, whitespace,
    bare numbers or (by default) stopwords."""
    stop = stopwords() if drop_stopwords else frozenset()
    return [w for w in words if is_content(w) and w not in stop]


@lru_cache(maxsize=MEMO_BLOCKS)
def block_tokens(block: str, drop_stopwords: bool) -> tuple[str, ...]:
    return tuple(content(tokenizer().lcut(block), drop_stopwords=drop_stopwords))


def repeated_share(texts: Iterable[str]) -> float:
    """Share of the characters of ``texts`` (normalized) in blocks jieba cuts word by word (runs of
    CJK, letters and digits) that repeat an earlier block: about what the memo saves jieba."""
    seen: set[str] = set()
    total = repeated = 0
    block_re = _block_re()
    for text in texts:
        for block in block_re.findall(normalize(text)):
            total += len(block)
            if block in seen:
                repeated += len(block)
            seen.add(block)
    return repeated / total if total else 0.0


def tokens(text: str, *, drop_stopwords: bool = True, memo: bool = True) -> list[str]:
    """Content tokens (:func:`content`): no punctuation, whitespace, bare numbers or (by default) stopwords.

    jieba splits a text into blocks (runs of CJK, letters and digits; the rest) and cuts each block
    on its own, so the text is cut block by block and each distinct block only once per build
    (:data:`MEMO_BLOCKS` remembered; :func:`clear` forgets them). The tokens are exactly jieba's.
    Plans reuse clauses: 6% of the five plans' characters are in blocks that repeat an earlier one
    (:func:`repeated_share`). ``memo=False`` cuts every block afresh, as bare jieba does (the benchmark's
    ``--no-memo``): the same tokens, without the saving.
    """
    cut = block_tokens if memo else block_tokens.__wrapped__
    out: list[str] = []
    for block in pieces(normalize(text))[0]:
        out.extend(cut(block, drop_stopwords))
    return out


def clear() -> None:
    """Forget remembered blocks, strings and token verdicts, so a build starts cold (the benchmark's
    warm runs too)."""
    block_tokens.cache_clear()
    string_tokens.cache_clear()
    is_content.cache_clear()


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


# ---------------------------------------------------------------------- content tokens

@lru_cache(maxsize=4096)
def string_tokens(text: str) -> tuple[str, ...]:
    """:func:`tokens` of a short string (a heading or a table cell), cached."""
    return tuple(tokens(text)) if text.strip() else ()


def without(tokens: Sequence[str], remove: Iterable[str]) -> list[str]:
    """``tokens`` with one occurrence removed per token in ``remove`` (the first ones), order kept."""
    out = list(tokens)
    for tok in remove:  # list.remove drops the first occurrence left: a heading's few tokens, in C
        try:
            out.remove(tok)
        except ValueError:
            pass
    return out


def task_tokens(tasks: pd.DataFrame, tokens: Mapping[str, Sequence[str]], *,
                drop_heading: bool = True, views: pd.DataFrame | None = None) -> dict[str, list[str]]:
    """``tokens`` (task_id -> tokens, as the pipeline made them) without the cells' (and heading's) tokens.

    Only the short heading and cell strings are tokenized (once each, cached), never the task texts.
    ``views`` (from :func:`task_views`) saves recomputing them.
    """
    from analysis import segment

    views = segment.task_views(tasks) if views is None else views.loc[tasks.index]
    out = {}
    for tid, head, cells in zip(tasks["task_id"], views["heading"], views["cells"]):
        if tid not in tokens:
            from analysis.errors import InputError

            raise InputError(f"no tokens for task {tid!r} — run the tokenize stage first.")
        remove = list(string_tokens(cells))
        if drop_heading:
            remove += string_tokens(head)
        out[tid] = without(tokens[tid], remove)
    return out


#: Use a process pool only from this many characters of text on (the pipeline's document stages,
#: :func:`tokenize_all`): starting the workers costs ~0.02-0.05 s. Measured on 2 cores (tokenizing,
#: serial vs 2 workers, synthetic corpora of :mod:`analysis.synthetic`): 45k characters (10 plans) 0.12 s vs
#: 0.14 s; 88k (20) 0.21 vs 0.15; 438k (100) 1.07 vs 0.66. The five plans are ~24k characters: one process.
POOL_MIN_CHARS = 80_000
#: Task text sent to a worker at a time (large enough to amortise pickling, small enough to balance).
CHUNK_CHARS = 40_000

def _tokens_chunk(texts: list[str], memo: bool = True) -> list[list[str]]:
    return [tokens(t, memo=memo) for t in texts]


def warm() -> None:
    """Load the tokenizer and stopwords now (before a pool forks, so the workers inherit them)."""
    tokenizer()
    stopwords()



def chunks(texts: list[str], *, size: int = CHUNK_CHARS) -> list[list[str]]:
    """Consecutive runs of ``texts`` of about ``size`` characters each (order kept)."""
    from analysis import parallel

    return parallel.runs(texts, size=size)


def n_workers(n_chars: int, *, requested: int | None = None) -> int:
    """Processes to tokenize ``n_chars`` characters with: ``requested``, else 1 for small corpora, else every core."""
    from analysis import parallel

    if requested is not None:
        return max(1, int(requested))
    if n_chars < POOL_MIN_CHARS:
        return 1
    return parallel.cores()


def tokenize_all(texts: list[str], *, workers: int = 1, progress: bool = False, memo: bool = True) -> list[list[str]]:
    """:func:`tokens` of every text, in order; with ``workers > 1`` in a process pool.

    Workers start as :mod:`analysis.parallel` says (forked, they inherit the loaded tokenizer;
    spawned, each loads it once).
    """
    from functools import partial

    from tqdm import tqdm

    from analysis import parallel

    warm()  # load once, before any fork
    parts = chunks(texts)
    cut = partial(_tokens_chunk, memo=memo)
    out: list[list[str]] = []
    with tqdm(total=len(texts), unit="task", desc="tokenize", disable=not progress, leave=False) as bar:
        if workers <= 1 or len(parts) <= 1:
            for part in parts:
                out.extend(cut(part))
                bar.update(len(part))
            return out
        with parallel.context().Pool(min(workers, len(parts)), initializer=warm) as pool:
            for res in pool.imap(cut, parts):
                out.extend(res)
                bar.update(len(res))
    return out


def build(ctx) -> None:
    """Tokenize every task once; later stages reuse ``ctx.tokens`` (task_id -> tokens).

    Large corpora are tokenized in a process pool over every core (``ctx.workers`` overrides);
    a progress bar shows when ``ctx.progress`` is set (the pipeline sets it for many documents);
    ``ctx.memo`` says whether repeated blocks are cut once (:func:`tokens`).
    """
    ids = ctx.tasks["task_id"].tolist()
    texts = ctx.tasks["text"].tolist()
    workers = n_workers(sum(map(len, texts)), requested=ctx.workers)
    ctx.tokens = dict(zip(ids, tokenize_all(texts, workers=workers, progress=ctx.progress, memo=ctx.memo)))

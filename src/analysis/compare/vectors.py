"""What the compare stage compares, as vectors: the tasks proper, their normalized texts, token and
character n-gram counts, TF-IDF and L2 normalisation, in plain numpy / scipy (the stage must cost little
next to jieba).

:func:`task_counts` makes the stage's count matrices once (whole tasks for the similarity, bodies without
the section heading for the alignment); :func:`tfidf` weighs them as scikit-learn would.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import chain, pairwise

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis import segment, tables, tokenization
from analysis.errors import UsageError

#: Character n-gram range of the ``char_ngrams`` method.
CHAR_NGRAMS = (2, 4)
#: Characters that separate words for the character n-gram analyzer.
CHAR_BREAK_RE = re.compile(r"[^\u3400-\u9fffA-Za-z0-9]+")
#: Normalized texts kept: every task of a 1,000-plan corpus (~30,000), so that the stage normalizes each
#: text once (n-grams, shared phrases and task sharing all read it).
NORMALIZE_CACHE = 1 << 16
#: Odd 64-bit multiplier of the polynomial n-gram hash (wraps around modulo 2^64).
HASH_BASE = np.uint64(0x9E3779B97F4A7C15)


# --------------------------------------------------------------------------------------------------
# What is compared: task texts and tokens without headings and task-list cells

def proper_mask(tasks: pd.DataFrame) -> pd.Series:
    """True for tasks proper (not front matter): what similarity, alignment and keyness compare."""
    return ~tables.preamble(tasks)


@lru_cache(maxsize=NORMALIZE_CACHE)
def normalized(text: str) -> str:
    """:func:`analysis.tokenization.normalize`, memoised (:func:`analysis.compare.clear` forgets the texts)."""
    return tokenization.normalize(text)


def char_text(text: str) -> str:
    """Text for the character n-gram analyzer: normalized, punctuation and spaces turned into one space."""
    return CHAR_BREAK_RE.sub(" ", normalized(text)).strip()


# --------------------------------------------------------------------------------------------------
# Vectors: term counts and TF-IDF in plain numpy / scipy (the stage must cost little next to jieba)

def _identity(tokens):
    """Analyzer for pre-tokenized input (module level, so vectorizers pickle)."""
    return tokens


def token_vectorizer(*, min_df=1, max_df=1.0, sublinear_tf: bool = True):
    """A scikit-learn TF-IDF vectorizer over pre-tokenized documents (for users; the stage uses
    :func:`token_counts` and :func:`tfidf`, which give the same weights without the overhead)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer=_identity, lowercase=False, min_df=min_df, max_df=max_df,
                           sublinear_tf=sublinear_tf, norm="l2", dtype=np.float32)


def token_counts(docs: Sequence[Sequence[str]]) -> tuple[sp.csr_matrix, list[str]]:
    """Document x term count matrix of token lists, and the terms (in order of first use).

    The terms are numbered by :func:`pandas.factorize` (a C hash table, in order of first use: the
    same numbering as a ``dict.setdefault`` loop, several times faster on a million tokens)."""
    flat = np.fromiter(chain.from_iterable(docs), dtype=object)
    codes, vocab = pd.factorize(flat) if len(flat) else (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object))
    indptr = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum([len(d) for d in docs], out=indptr[1:])
    counts = sp.csr_matrix((np.ones(len(codes), dtype=np.float32), codes.astype(np.int64), indptr),
                           shape=(len(docs), max(len(vocab), 1)))
    counts.sum_duplicates()
    return counts, list(vocab)


def codepoints(text: str) -> np.ndarray:
    """The text's code points as uint64 (what the n-gram hashes multiply)."""
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


def is_cjk_or_alnum(cp: np.ndarray) -> np.ndarray:
    """Mask of the code points that are CJK, ASCII digits or ASCII letters (content characters)."""
    return (((cp >= 0x3400) & (cp <= 0x9FFF)) | ((cp >= 0x30) & (cp <= 0x39))
            | ((cp >= 0x41) & (cp <= 0x5A)) | ((cp >= 0x61) & (cp <= 0x7A)))


def char_counts(texts: Sequence[str], *, ngram_range: tuple[int, int] = CHAR_NGRAMS) -> sp.csr_matrix:
    """Document x character-n-gram count matrix, n-grams inside runs of CJK / letters / digits.

    Vectorised: every n-gram is a 64-bit polynomial hash of its code points (collisions are
    astronomically unlikely at corpus scale: ~n^2 / 2^65). Texts are :func:`char_text`-normalised first.
    """
    return char_counts_shared([texts], ngram_range=ngram_range)[0]


def char_counts_shared(parts: Sequence[Sequence[str]], *, ngram_range: tuple[int, int] = CHAR_NGRAMS
                       ) -> list[sp.csr_matrix]:
    """:func:`char_counts` of several lists of texts in one pass, in one column space (the n-grams of
    all parts, ordered by hash as :func:`char_counts` orders them).

    The stage counts task headings and bodies once: the alignment reads the bodies, the similarity
    heading + body (the sum of the two matrices, since n-grams never cross the line break between
    them). A column no text of a part uses is empty in that part; TF-IDF and cosines are unchanged by
    empty columns, and the columns keep their relative order, so every product sums in the same order.
    """
    lo, hi = ngram_range
    if not 1 <= lo <= hi:
        raise UsageError(f"ngram_range must be (lo, hi) with 1 <= lo <= hi, not {ngram_range!r}.")
    sizes = [len(part) for part in parts]
    # each distinct string once (a section's heading heads all its tasks; plans copy tasks), rows copied
    row_of, distinct = pd.factorize(pd.Series([t for part in parts for t in part], dtype=object),
                                    use_na_sentinel=False)
    texts = [char_text(t) for t in distinct]
    joined = "\x00".join(texts) + "\x00"
    cp = codepoints(joined)
    ok = is_cjk_or_alnum(cp)
    doc = (np.cumsum(cp == 0) - (cp == 0)).astype(np.int32)  # document index of each position
    rows, keys = [], []
    with np.errstate(over="ignore"):
        h = np.zeros(len(cp), dtype=np.uint64)
        valid = np.ones(len(cp), dtype=bool)
        for n in range(1, hi + 1):
            m = len(cp) - n + 1
            h = h[:m] * HASH_BASE + cp[n - 1:]
            valid = valid[:m] & ok[n - 1:]
            if n >= lo:
                pos = np.flatnonzero(valid)
                rows.append(doc[pos])
                keys.append(h[pos] ^ np.uint64(n))
    del h, valid, cp, ok, doc
    rows = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int32)
    keys = np.concatenate(keys) if keys else np.zeros(0, dtype=np.uint64)
    cols = _sorted_codes(keys)
    del keys
    n_cols = int(cols.max()) + 1 if len(cols) else 1
    counts = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(texts), n_cols))
    counts.sum_duplicates()
    counts = counts[row_of]
    bounds = np.cumsum([0] + sizes)
    return [counts[a:b] for a, b in pairwise(bounds)]


def _sorted_codes(keys: np.ndarray) -> np.ndarray:
    """``np.unique(keys, return_inverse=True)[1]`` by a hash table and a sort of the distinct keys only
    (the same codes, ~3x faster on millions of n-grams)."""
    codes, uniq = pd.factorize(keys)
    rank = np.empty(len(uniq), dtype=np.int32 if len(uniq) < 2 ** 31 else np.int64)
    rank[np.argsort(uniq, kind="stable")] = np.arange(len(uniq))
    return rank[codes]


def tfidf(counts, *, sublinear_tf: bool = True, idf: np.ndarray | None = None,
          dtype=np.float32) -> sp.csr_matrix:
    """TF-IDF of a count matrix as scikit-learn computes it (smooth idf, optional 1 + log tf), rows
    L2-normalised (float32 by default). ``idf`` may be given (e.g. learnt on tasks, applied to regions)."""
    X = sp.csr_matrix(counts, dtype=dtype, copy=True)
    if sublinear_tf:
        np.log(X.data, out=X.data)
        X.data += 1
    if idf is None:
        idf = inverse_df(counts)
    X = X @ sp.diags(idf.astype(dtype))
    return l2_rows(X, dtype=dtype)


def inverse_df(counts) -> np.ndarray:
    """Smooth inverse document frequency, ln((1 + n) / (1 + df)) + 1, of a count matrix's columns."""
    counts = sp.csr_matrix(counts)
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    return np.log((1 + counts.shape[0]) / (1 + df)) + 1


def l2_rows(matrix, *, dtype=np.float32) -> sp.csr_matrix:
    """The matrix as CSR with L2-normalised rows (empty rows stay empty)."""
    X = sp.csr_matrix(matrix, dtype=dtype)
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1), dtype=np.float64).ravel())
    norms[norms == 0] = 1
    return sp.csr_matrix(sp.diags((1 / norms).astype(dtype)) @ X)


def combine(*matrices) -> sp.csr_matrix:
    """Rows whose dot product is the mean of the inputs' cosines: L2 rows, scaled, side by side."""
    if not matrices:
        raise UsageError("combine() needs at least one matrix.")
    w = np.float32(1.0 / np.sqrt(len(matrices)))
    return sp.csr_matrix(sp.hstack([l2_rows(m) * w for m in matrices], format="csr"), dtype=np.float32)


def task_counts(tasks: pd.DataFrame, tokens: Mapping[str, Sequence[str]], *,
                views: pd.DataFrame | None = None) -> dict[str, sp.csr_matrix]:
    """Count matrices of the tasks proper (front matter out, in order), computed once for the stage.

    ``tfidf_tokens`` / ``char_ngrams``: the whole task (heading in, task-list cells out), what the
    similarity compares; ``tfidf_tokens_body`` / ``char_ngrams_body``: without the section heading, what
    the alignment compares. Headings and bodies are n-grammed in one pass (:func:`char_counts_shared`).
    """
    tasks = tasks[proper_mask(tasks)]
    views = segment.task_views(tasks) if views is None else views.loc[tasks.index]
    ids = tasks["task_id"].tolist()
    full = tokenization.task_tokens(tasks, tokens, drop_heading=False, views=views)
    # drop_heading=True removes the cells' and the heading's tokens at once; removing the heading's from
    # what is left is the same (first occurrences go either way), and only tasks with a heading change
    body = {t: tokenization.without(full[t], tokenization.string_tokens(h)) if h.strip() else full[t]
            for t, h in zip(ids, views["heading"])}
    heading_chars, body_chars = char_counts_shared([views["heading"].tolist(), views["body"].tolist()])
    full_chars = heading_chars + body_chars
    full_chars.sum_duplicates()
    return {"tfidf_tokens": token_counts([full[t] for t in ids])[0], "char_ngrams": full_chars,
            "tfidf_tokens_body": token_counts([body[t] for t in ids])[0], "char_ngrams_body": body_chars}

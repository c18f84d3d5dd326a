"""Shared phrasing (``shared_phrases.csv``): phrases used verbatim by two or more regions, and which of
them are political formulas or filler.

Two kinds of phrase: maximal shared character n-grams (:func:`mine_shared`, level-wise over hashed
n-grams inside phrase runs, :func:`phrase_runs`), trimmed to word boundaries; and quoted coinages such as
“五社联动”. :func:`phrase_occurrences` gives every phrase's occurrences too, which
:mod:`analysis.compare.sharing` turns into each task's share of shared text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain

import numpy as np
import pandas as pd

from analysis import resources, schema, tokenization
from analysis.compare.vectors import HASH_BASE, codepoints, is_cjk_or_alnum, normalized
from analysis.errors import UsageError

FORMULAS_FILE = "political_formulas.txt"
#: Shared phrases: minimum length in content characters of a shared n-gram; quoted coinages may be shorter.
MIN_PHRASE_CHARS = 5
MIN_QUOTED_CHARS = 2
MAX_QUOTED_CHARS = 30
#: A shared phrase is a formula when formulas make up at least this share of its content characters.
FORMULA_SHARE = 0.5

#: Characters a shared phrase may contain: CJK, Latin letters, digits, and the joiners used inside
#: coinages (物质+服务, 双随机、一公开). Anything else (punctuation, quotes, spaces) ends a phrase.
PHRASE_RUN_RE = re.compile(r"[\u3400-\u9fffA-Za-z0-9+、·]+")
#: Joiners are not allowed at the edges of a phrase.
PHRASE_EDGE_CHARS = "+、·"
#: Content characters: what phrase lengths and coverage count.
CONTENT_CHAR_RE = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")
CJK_RE = re.compile(r"[\u3400-\u9fff]")
#: A quoted coinage: text in Chinese or ASCII double quotes, book-title marks or corner brackets.
QUOTED_RE = re.compile(rf"[“\"《「]([^“”\"《》「」\n]{{1,{MAX_QUOTED_CHARS}}})[”\"》」]")


@lru_cache(maxsize=1)
def formulas() -> tuple[str, ...]:
    """Generic political formulas (``resources/political_formulas.txt``), longest first."""
    words = {tokenization.normalize(ln) for ln in resources.lines(FORMULAS_FILE)}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


# --------------------------------------------------------------------------------------------------
# Shared phrasing: maximal character n-grams used verbatim by two or more regions

def phrase_text(text: str) -> str:
    """The text phrases are mined in: :func:`tokenization.normalize` (NFKC, layout gaps closed)."""
    return normalized(text)


def _phrase_chars(cp: np.ndarray) -> np.ndarray:
    """Mask of the code points :data:`PHRASE_RUN_RE` matches (CJK, ASCII letters and digits, joiners)."""
    joiners = np.array([ord(c) for c in PHRASE_EDGE_CHARS], dtype=cp.dtype)
    return is_cjk_or_alnum(cp) | np.isin(cp, joiners)


def phrase_runs(texts: Sequence[str], *, min_chars: int
                ) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Distinct phrase runs (maximal stretches of phrase characters, at least ``min_chars`` long), in
    order of first use, and their occurrences grouped by run: text index and offset, ascending, run
    ``r``'s at ``bounds[r]:bounds[r + 1]``.

    Vectorised over the distinct texts (the corpus repeats most of its text): their code points are
    classified at once, the runs cut where the class changes, and each text gets its distinct text's runs.
    """
    codes, distinct = pd.factorize(np.array(texts, dtype=object)) if len(texts) else (np.zeros(0, int), [])
    joined = "\x00".join(distinct) + "\x00"
    lengths = np.array([len(t) + 1 for t in distinct], dtype=np.int64)
    text_start = np.cumsum(lengths) - lengths
    edges = np.diff(_phrase_chars(codepoints(joined)).astype(np.int8), prepend=0, append=0)
    start, end = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    long = end - start >= min_chars
    start, end = start[long], end[long]
    ids, strings = pd.factorize(np.array([joined[a:b] for a, b in zip(start.tolist(), end.tolist())],
                                         dtype=object)) if len(start) else (np.zeros(0, np.int64), [])
    owner = np.searchsorted(text_start, start, side="right") - 1  # distinct text of each run
    first = np.searchsorted(owner, np.arange(len(distinct) + 1))  # its runs: first[u]:first[u + 1]
    size = np.diff(first)[codes]  # runs of each text
    ends = np.cumsum(size)
    at = np.repeat(first[codes] - (ends - size), size) + np.arange(int(ends[-1]) if len(ends) else 0)
    run = ids[at].astype(np.int64)
    order = np.argsort(run, kind="stable")  # by run, then text and offset
    text_of = np.repeat(np.arange(len(texts), dtype=np.int64), size)[order]
    offset = (start - text_start[owner])[at][order]
    bounds = np.zeros(len(strings) + 1, dtype=np.int64)
    np.cumsum(np.bincount(run, minlength=len(strings)), out=bounds[1:])
    return list(strings), text_of, offset, bounds


def mine_shared(runs: tuple[list[str], np.ndarray, np.ndarray, np.ndarray], region_idx: np.ndarray, *,
                min_chars: int) -> dict[str, list[int]]:
    """Closed substrings of the distinct ``runs`` (see :func:`phrase_runs`) used in two or more regions, each with
    the start of its every occurrence in the runs joined by ``\\x00`` (as :func:`find_all` finds them:
    the levels keep every occurrence of a shared n-gram, so trimming need not search for them again).

    Identical runs are mined once (weighted by how often they occur), so a corpus that repeats itself
    costs what its distinct text costs. Level-wise over hashed n-grams, vectorised: the n-grams of
    length ``min_chars`` are hashed and grouped; a group is *shared* when the regions of its runs span
    more than one region (min region < max region); only shared positions whose right neighbour is
    shared are extended to n + 1, so the work shrinks with each level. A shared n-gram is *closed* when
    no one-character extension occurs as often (otherwise every occurrence lies inside the longer one).
    """
    strings, text_of, _, bounds = runs
    if not strings:
        return {}
    weight = np.diff(bounds).astype(np.float64)
    occ_region = np.asarray(region_idx)[text_of]
    rmin = np.minimum.reduceat(occ_region, bounds[:-1])
    rmax = np.maximum.reduceat(occ_region, bounds[:-1])
    big = "\x00".join(strings) + "\x00"
    cp = codepoints(big)
    lengths = np.array([len(s) + 1 for s in strings])
    run_of = np.repeat(np.arange(len(strings)), lengths)
    run_start = np.repeat(np.cumsum(lengths) - lengths, lengths)
    run_end = run_start + np.repeat(lengths - 1, lengths)  # position of the run's \x00
    w_pos, lo_pos, hi_pos = weight[run_of], rmin[run_of], rmax[run_of]
    closed: list[tuple[int, np.ndarray]] = []  # (n, positions of closed shared n-grams)

    def groups(pos, h):
        uniq, inv = np.unique(h, return_inverse=True)
        inv = inv.ravel()
        cnt = np.bincount(inv, weights=w_pos[pos], minlength=len(uniq))
        lo = np.full(len(uniq), np.iinfo(np.int64).max)
        hi = np.full(len(uniq), -1)
        np.minimum.at(lo, inv, lo_pos[pos])
        np.maximum.at(hi, inv, hi_pos[pos])
        return inv, cnt, hi > lo

    n = min_chars
    pos = np.flatnonzero(run_end - np.arange(len(cp)) >= n)
    with np.errstate(over="ignore"):
        h = np.zeros(len(pos), dtype=np.uint64)
        for i in range(n):
            h = h * HASH_BASE + cp[pos + i]
        inv, cnt, shared_g = groups(pos, h)
        while len(pos):
            keep = shared_g[inv]
            pos, h, inv = pos[keep], h[keep], inv[keep]
            nxt = np.searchsorted(pos, pos + 1)
            nxt[nxt == len(pos)] = 0
            nxt = np.where(pos[nxt] == pos + 1, nxt, -1) if len(pos) else nxt
            ext = (nxt >= 0) & (run_end[pos] - pos >= n + 1)
            extended = np.zeros(len(cnt), dtype=bool)
            if ext.any():
                pos2 = pos[ext]
                h2 = h[ext] * HASH_BASE + cp[pos2 + n]
                inv2, cnt2, shared2 = groups(pos2, h2)
                # a longer shared gram as frequent as its prefix / suffix makes that n-gram non-closed
                first = np.full(len(cnt2), -1)
                first[inv2[::-1]] = np.arange(len(inv2))[::-1]
                rep = first[shared2]
                same_pre = cnt[inv[ext][rep]] == cnt2[shared2]
                extended[inv[ext][rep][same_pre]] = True
                suf = inv[nxt[ext][rep]]
                same_suf = cnt[suf] == cnt2[shared2]
                extended[suf[same_suf]] = True
            is_closed = ~extended[inv]
            if is_closed.any():
                closed.append((n, pos[is_closed]))
            if not ext.any():
                break
            pos, h, inv, cnt, shared_g, n = pos2, h2, inv2, cnt2, shared2, n + 1
    found: dict[str, list[int]] = {}
    for n, positions in closed:
        for p in positions.tolist():
            found.setdefault(big[p:p + n], []).append(p)
    return found


class GramIndex:
    """Every position of every ``n``-character gram of ``big`` (the distinct runs joined by ``\\x00``), by
    hash: :meth:`find` gives a string's occurrences from its first ``n`` characters' positions, so looking up
    many phrases costs their occurrences, not a scan of ``big`` each (which grows with the corpus)."""

    def __init__(self, big: str, *, n: int):
        cp = codepoints(big)
        self.n, self.big = n, big
        m = max(0, len(cp) - n + 1)
        with np.errstate(over="ignore"):
            h = np.zeros(m, dtype=np.uint64)
            for i in range(n):
                h = h * HASH_BASE + cp[i:i + m]
        order = np.argsort(h, kind="stable")  # positions ascending within a hash
        self.hashes, self.positions = h[order], order.astype(np.int64)

    def find(self, gram: str) -> list[int]:
        """Start of every occurrence of ``gram`` (at least ``n`` characters) in ``big``, ascending."""
        with np.errstate(over="ignore"):
            h = np.uint64(0)
            for c in codepoints(gram[:self.n]):
                h = h * HASH_BASE + c
        lo, hi = np.searchsorted(self.hashes, h, side="left"), np.searchsorted(self.hashes, h, side="right")
        return [p for p in self.positions[lo:hi].tolist() if self.big.startswith(gram, p)]


def find_all(gram: str, big: str, found: dict[str, list[int]] | None = None, *,
             index: GramIndex | None = None) -> list[int]:
    """Start of every (overlapping) occurrence of ``gram`` in ``big``; memoised in ``found`` if given
    (trimming and collecting look up the same strings); through ``index`` (:class:`GramIndex`) when given
    and ``gram`` is long enough."""
    if found is not None and gram in found:
        return found[gram]
    if index is not None and len(gram) >= index.n:
        out = index.find(gram)
    else:
        out = []
        p = big.find(gram)
        while p >= 0:
            out.append(p)
            p = big.find(gram, p + 1)
    if found is not None:
        found[gram] = out
    return out


@lru_cache(maxsize=1 << 18)
def _cut_left(left: str, head: str) -> bool:
    """True when a dictionary word spans the start of a gram whose first characters (up to three, the gram's
    last excluded) are ``head``, preceded by ``left`` (up to three characters). Memoised on what it reads:
    grams share their heads and contexts (:func:`analysis.compare.clear` forgets them)."""
    freq = tokenization.tokenizer().FREQ
    return any(freq.get(left[len(left) - j:] + head[:i]) for j in (1, 2, 3) for i in (1, 2, 3)
               if j <= len(left) and i <= len(head))


@lru_cache(maxsize=1 << 18)
def _cut_right(tail: str, right: str) -> bool:
    """True when a dictionary word spans the end of a gram whose last characters (up to three, the first
    excluded) are ``tail``, followed by ``right`` (see :func:`_cut_left`)."""
    freq = tokenization.tokenizer().FREQ
    n = len(tail)
    return any(freq.get(tail[n - i:] + right[:j]) for j in (1, 2, 3) for i in (1, 2, 3) if i <= n)


def clear() -> None:
    """Forget the cut tests remembered (:func:`analysis.compare.clear` calls it, so a build starts cold)."""
    _cut_left.cache_clear()
    _cut_right.cache_clear()


def _edges(gram: str) -> tuple[str, str]:
    """What the cut tests read of a gram: its first and last characters, up to three, never all of it."""
    k = min(3, len(gram) - 1)
    return gram[:k], gram[len(gram) - k:] if k else ""


def _word_trim(gram: str, big: str, *, rounds: int = 3, found: dict[str, list[int]] | None = None,
               index: GramIndex | None = None) -> str:
    """``gram`` trimmed to word boundaries, by the project tokenizer and the contexts in ``big`` (the
    distinct runs), and without edge joiners.

    An edge word is dropped when it is a one-character stopword (的, 和 …), a one-character word cut by
    the match boundary at *some* occurrence, or a longer word cut at *every* occurrence. A word is cut
    when a dictionary word spans the boundary, up to three characters either side (``充分发挥社`` in
    充分发挥社会 -> ``充分发挥``; ``完善区社会`` in 完善区社会组织 / 社会救助 -> dropped;
    ``年人关爱服务`` in 老年人关爱服务 -> ``关爱服务``; ``党的二十大精神`` keeps 党: 实党 is no word).
    """
    stop = tokenization.stopwords()
    for _ in range(rounds):
        gram = gram.strip(PHRASE_EDGE_CHARS)
        if index is not None and len(gram) < index.n:
            return gram  # shorter than a phrase may be: trimming only shortens it further
        words = list(string_words(gram))
        if len(words) < 2:
            return gram
        # the cut tests read three characters either side: test each distinct context once, and only as
        # many as the verdict needs (any one cut drops a one-character word, any uncut keeps a longer one)
        lefts, rights = set(), set()
        n = len(gram)
        for p in find_all(gram, big, found, index=index):
            lefts.add(big[max(0, p - 3):p])
            rights.add(big[p + n:p + n + 3])
        head, tail = _edges(gram)
        cuts_left = (_cut_left(left, head) for left in lefts)
        cuts_right = (_cut_right(tail, right) for right in rights)

        def drop(word, cuts, contexts):
            return (word in stop or any(cuts)) if len(word) == 1 else bool(contexts) and all(cuts)
        trimmed = words
        if drop(trimmed[0], cuts_left, lefts):
            trimmed = trimmed[1:]
        if len(trimmed) > 1 and drop(trimmed[-1], cuts_right, rights):
            trimmed = trimmed[:-1]
        new = "".join(trimmed)
        if new == gram:
            break
        gram = new
    return gram.strip(PHRASE_EDGE_CHARS)


@lru_cache(maxsize=65536)
def string_words(text: str) -> tuple[str, ...]:
    """The project tokenizer's words of a phrase (memoised: trimming and the filler test cut the same
    phrases; :func:`analysis.compare.clear` forgets them)."""
    return tuple(tokenization.words(text))


def _find_in_runs(positions: np.ndarray, run_of: np.ndarray, run_start: np.ndarray,
                  runs: tuple[list[str], np.ndarray, np.ndarray, np.ndarray]
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Occurrences at ``positions`` of the distinct runs joined (see :func:`phrase_runs`) expanded to every
    occurrence of their run in the texts: (number of the position, text index, offset), vectorised."""
    _, text_of, offset, bounds = runs
    run = run_of[positions]
    first, size = bounds[run], bounds[run + 1] - bounds[run]
    which = np.repeat(np.arange(len(positions)), size)
    ends = np.cumsum(size)
    at = np.repeat(first - (ends - size), size) + np.arange(int(ends[-1]) if len(ends) else 0)
    return which, text_of[at], offset[at] + (positions - run_start[positions])[which]


def _quoted(texts: Sequence[str]) -> dict[str, list[tuple[int, int]]]:
    """Quoted coinages (at least two CJK characters) -> their quoted occurrences (text, offset)."""
    out: dict[str, list[tuple[int, int]]] = {}
    seen: dict[str, list[tuple[str, int]]] = {}  # each distinct text scanned once
    for i, text in enumerate(texts):
        found = seen.get(text)
        if found is None:
            found = seen[text] = [(m.group(1), m.start(1)) for m in QUOTED_RE.finditer(text)
                                  if m.group(1).strip() == m.group(1)
                                  and len(CJK_RE.findall(m.group(1))) >= MIN_QUOTED_CHARS]
        for term, start in found:
            out.setdefault(term, []).append((i, start))
    return out


def _content_len(text: str) -> int:
    return len(CONTENT_CHAR_RE.findall(text))


def formula_share(phrase: str) -> float:
    """Share of the phrase's content characters inside a political formula (1.0 if the phrase is part
    of one)."""
    total = _content_len(phrase)
    if not total:
        return 0.0
    if any(phrase in f for f in formulas()):
        return 1.0
    covered = np.zeros(len(phrase), dtype=bool)
    for f in formulas():
        start = phrase.find(f)
        while start >= 0:
            covered[start:start + len(f)] = True
            start = phrase.find(f, start + 1)
    return sum(1 for ch, c in zip(phrase, covered) if c and CONTENT_CHAR_RE.match(ch)) / total


def is_filler(phrase: str) -> bool:
    """True for phrases with no content word: nothing but stopwords / bureaucratic filler, numbers with a
    unit (``2023年``) or joiners — no token of two or more CJK characters outside the stopword lists."""
    # the content tokens (tokenization.string_tokens) of the words trimming already cut
    return not any(len(CJK_RE.findall(w)) >= 2 for w in tokenization.content(string_words(phrase)))


PHRASE_COLUMNS = schema.columns("shared_phrases.csv")


def phrase_occurrences(texts: Sequence[str], regions: Sequence[str], task_ids: Sequence[str], *,
                       min_chars: int = MIN_PHRASE_CHARS, min_regions: int = 2, quoted: bool = True
                       ) -> tuple[pd.DataFrame, dict[str, list[tuple[int, int]]]]:
    """:func:`shared_phrases` and, per phrase, its occurrences (text index, offset in the normalized text)."""
    frame, row_of, (phrase_of, text_of, offset) = phrase_arrays(texts, regions, task_ids, min_chars=min_chars,
                                                                 min_regions=min_regions, quoted=quoted)
    bounds = np.searchsorted(phrase_of, np.arange(len(frame) + 1)).tolist()
    names = frame["phrase"].tolist()
    text_of, offset = text_of.tolist(), offset.tolist()
    occurrences = {}
    for j in row_of.tolist():  # in order of finding, as the phrases were collected
        occurrences[names[j]] = list(zip(text_of[bounds[j]:bounds[j + 1]], offset[bounds[j]:bounds[j + 1]]))
    return frame, occurrences


def phrase_arrays(texts: Sequence[str], regions: Sequence[str], task_ids: Sequence[str], *,
                  min_chars: int, min_regions: int, quoted: bool
                  ) -> tuple[pd.DataFrame, np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """:func:`shared_phrases`, the frame row of each phrase in order of finding, and the occurrences as
    arrays sorted by frame row, text and offset: frame row, text index, offset in the normalized text.

    Every phrase's occurrences are gathered at once: the n-grams' positions in the distinct runs expanded
    to the runs' occurrences, the quoted terms' added, duplicates dropped, and the regions and tasks of
    each phrase counted on (phrase, region) and (phrase, task) pairs, not per phrase in Python."""
    texts = [phrase_text(t) for t in texts]
    regions = np.asarray(regions)
    task_ids = np.asarray(task_ids)
    if not (len(texts) == len(regions) == len(task_ids)):
        raise UsageError("texts, regions and task_ids must have the same length.")
    if min_regions < 2:
        raise UsageError(f"min_regions must be at least 2 (shared by two regions), not {min_regions!r}.")
    names = sorted(set(regions.tolist()))
    region_idx = np.searchsorted(names, regions)
    phrases: dict[str, int] = {}  # phrase -> its number, in order of finding
    parts = []  # (phrase number, text, offset) arrays
    runs = phrase_runs(texts, min_chars=min_chars)
    mined = mine_shared(runs, region_idx, min_chars=min_chars)
    if mined:
        big = "\x00".join(runs[0]) + "\x00"
        lengths = np.array([len(r) + 1 for r in runs[0]])
        run_of = np.repeat(np.arange(len(runs[0])), lengths)
        run_start = np.repeat(np.cumsum(lengths) - lengths, lengths)
        positions = dict(mined)  # trimming and collecting look up the same strings, the mined ones known
        index = GramIndex(big, n=min_chars)
        found = []
        for phrase in sorted({_word_trim(gram, big, found=positions, index=index) for gram in mined}):
            if len(CJK_RE.findall(phrase)) >= min_chars:
                phrases[phrase] = len(phrases)
                found.append(find_all(phrase, big, positions, index=index))
        sizes = [len(f) for f in found]
        which, text_of, offset = _find_in_runs(np.fromiter(chain.from_iterable(found), dtype=np.int64,
                                                           count=sum(sizes)), run_of, run_start, runs)
        parts.append((np.repeat(np.arange(len(found)), sizes)[which], text_of, offset))
    n_grams = len(phrases)
    quoted_terms = _quoted(texts) if quoted else {}
    for term, occ in quoted_terms.items():
        if len({regions[i] for i, _ in occ}) >= min_regions:
            arr = np.array(occ, dtype=np.int64).reshape(-1, 2)
            parts.append((np.full(len(arr), phrases.setdefault(term, len(phrases))), arr[:, 0], arr[:, 1]))
    if parts:
        phrase_of, text_of, offset = (np.concatenate(x) for x in zip(*parts))
    else:
        phrase_of = text_of = offset = np.zeros(0, dtype=np.int64)
    order = np.lexsort((offset, text_of, phrase_of))
    phrase_of, text_of, offset = phrase_of[order], text_of[order], offset[order]
    new = np.ones(len(order), dtype=bool)  # a quoted occurrence may also be an n-gram's
    new[1:] = (np.diff(phrase_of) != 0) | (np.diff(text_of) != 0) | (np.diff(offset) != 0)
    phrase_of, text_of, offset = phrase_of[new], text_of[new], offset[new]
    # regions and tasks of each phrase, sorted by name
    task_names, task_code = np.unique(task_ids, return_inverse=True)
    regs = _pairs(phrase_of, region_idx[text_of], len(phrases))
    tids = _pairs(phrase_of, task_code.ravel()[text_of], len(phrases))
    region_names, task_names = np.asarray(names, dtype=object), task_names.astype(object)
    rows, kept = [], []
    n_occurrences = np.bincount(phrase_of, minlength=len(phrases)).tolist()
    for phrase, k in phrases.items():
        reg = regs[k]
        if len(reg) < min_regions or is_filler(phrase):
            continue
        kept.append(k)
        tid = tids[k]
        rows.append({"phrase": phrase, "n_chars": _content_len(phrase), "n_regions": len(reg),
                     "regions": ";".join(region_names[reg].tolist()), "n_tasks": len(tid),
                     "task_ids": ";".join(task_names[tid].tolist()), "n_occurrences": n_occurrences[k],
                     "kind": "ngram" if k < n_grams else "quoted", "is_quoted": phrase in quoted_terms,
                     "is_formula": formula_share(phrase) >= FORMULA_SHARE})
    frame = pd.DataFrame(rows, columns=PHRASE_COLUMNS[1:])
    frame = frame.sort_values(["n_regions", "n_chars", "phrase"], ascending=[False, False, True],
                              kind="mergesort")
    row_of = np.empty(len(frame), dtype=np.int64)  # frame row of the i-th kept phrase
    row_of[frame.index.to_numpy()] = np.arange(len(frame))
    frame = frame.reset_index(drop=True)
    frame.insert(0, "rank", np.arange(1, len(frame) + 1))
    row_of_phrase = np.full(len(phrases), -1, dtype=np.int64)
    row_of_phrase[np.asarray(kept, dtype=np.int64)] = row_of
    rows_of_occ = row_of_phrase[phrase_of]
    keep = rows_of_occ >= 0
    order = np.argsort(rows_of_occ[keep], kind="stable")
    return frame, row_of, (rows_of_occ[keep][order], text_of[keep][order], offset[keep][order])


def _pairs(group: np.ndarray, value: np.ndarray, n_groups: int) -> list[np.ndarray]:
    """Per group number, its distinct values, ascending."""
    order = np.lexsort((value, group))
    group, value = group[order], value[order]
    new = np.ones(len(group), dtype=bool)
    new[1:] = (np.diff(group) != 0) | (np.diff(value) != 0)
    group, value = group[new], value[new]
    bounds = np.searchsorted(group, np.arange(n_groups + 1))
    return [value[a:b] for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist())]


def shared_phrases(texts: Sequence[str], regions: Sequence[str], task_ids: Sequence[str], *,
                   min_chars: int = MIN_PHRASE_CHARS, min_regions: int = 2,
                   quoted: bool = True) -> pd.DataFrame:
    """Phrases used verbatim in the texts of at least ``min_regions`` regions.

    Two kinds: ``ngram`` — maximal shared character strings of at least ``min_chars`` content characters
    inside phrase runs (CJK, letters, digits and the joiners + 、 ·; other punctuation and quotes end a
    run), joiners trimmed off the edges; ``quoted`` — coinages put in quotes (“五社联动”, “物质+服务”) by
    two or more regions, whatever their length (at least two CJK characters). ``is_quoted`` marks n-grams
    that are also quoted somewhere. Phrases made only of stopwords / filler or without a CJK character
    are dropped; political formulas are kept and flagged ``is_formula`` (formulas from
    ``resources/political_formulas.txt`` make up at least half of the phrase).

    Columns: ``rank`` (most regions, then longest first), ``phrase``, ``n_chars`` (content characters),
    ``n_regions``, ``regions``, ``n_tasks``, ``task_ids``, ``n_occurrences``, ``kind``, ``is_quoted``,
    ``is_formula``; regions and task ids ``;``-separated, sorted.
    """
    return phrase_occurrences(texts, regions, task_ids, min_chars=min_chars, min_regions=min_regions,
                              quoted=quoted)[0]

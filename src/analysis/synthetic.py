"""Synthetic corpora: the five real plans, replicated and perturbed so that every copy still parses.

Shared by the benchmark (``benchmarks/bench.py``) and the tests. :func:`synthesize` writes, into a folder
outside ``data/raw/``, the five real plans first, then copies of them, round-robin, each perturbed with its
own seeded random generator so the layouts still parse — sentences shuffled and dropped inside paragraphs
(never a sentence that carries a numbering or clause marker), quantities swapped for others of the same
length, the place name substituted — with a new manifest row (new ``doc_id``, new region slug, correct
sha256). The corpus of 10 documents is a prefix of the corpus of 100, and so on, so growth compares like
with like.
"""

from __future__ import annotations

import csv
import hashlib
import random
import re
from pathlib import Path

from analysis import config, numerals, punctuation
from analysis.errors import UsageError

DEFAULT_SEED = 7

#: Characters new place names are made of (two each, three once the pairs run out); none of them is
#: in a real region's name.
NAME_CHARS = "安平康宁泰和永兴嘉祥福瑞丰乐新华清源明德望春秀峰怀仁崇文临江松阳"

#: Suffixes stripped from ``name_zh`` to get the place name used in the text (未央区 -> 未央).
PLACE_SUFFIXES = "区市县旗州"

#: A sentence: up to and including its end mark, or a trailing fragment.
SENTENCE_RE = punctuation.sentence_re(semicolons=False, lines=False)

#: Sentences that carry structure the segmenter reads: never moved or dropped.
PROTECTED_RE = re.compile(
    rf"[{numerals.MARKER_CHARS}]{{1,3}}是|(?<!\d)\d{{1,2}}[.、．](?!\d)|在[^，,。；;\n]{{1,24}}方面"
    rf"|[(（][{numerals.MARKER_CHARS}]+[)）]|[{numerals.MARKER_CHARS}]+、|\|")

#: A quantity: digits (with decimals) right before a unit or a per-cent sign.
QUANTITY_RE = re.compile(r"(?<![\d.．])(\d+)(?=(?:[.．]\d+)?[%％万个名户人元家所处亿项次条张床余多])")

#: How often a perturbation applies: to a line of several sentences (shuffle), to a sentence (drop).
P_SHUFFLE = 0.5

P_DROP = 0.15

P_QUANTITY = 0.7

#: Share of the CJK characters of every sentence (markers never) replaced by another character of the
#: same sentence (issue 18): copies of one plan then share
#: about as much verbatim text as real plans of different bureaus do, not nearly all of it, so the
#: tokenizer's memo and the comparisons are not flattered (``benchmarks/bench.py`` reports the repeated share).
P_CHAR = 0.15
#: Characters never replaced: numbering and clause markers, and the few the segmenter reads.
KEEP_CHARS = frozenset(numerals.MARKER_CHARS + "是在方面年月日")
#: Lines left as they are: site footers, metadata, signatures (what the segmenter lists as boilerplate), table headers.
KEEP_LINE_RE = re.compile(r"序号|公网安备|ICP|承办|主办|版权|©|索引号|发布|电话|地址|来源|日期|浏览|打印|关闭")
#: Copies of one plan form a bureau's series of this many yearly documents (a national corpus has about ten
#: years per bureau), from :data:`FIRST_YEAR` on; each bureau has its own place name and ``jurisdiction``.
YEARS_PER_BUREAU = 10
FIRST_YEAR = 2015
#: Bureaus of one plan's copies per synthetic prefecture (about a prefecture's counties: ten bureaus x ten years
#: = a hundred documents), named ``合成市{plan}-{n} Synthetic prefecture {plan}-{n}``; the province stays.
BUREAUS_PER_PREFECTURE = 10


def place_name(name_zh: str) -> str:
    """The place name as the text uses it: ``未央区`` -> ``未央``, ``舒兰市`` -> ``舒兰``."""
    return name_zh[:-1] if len(name_zh) > 2 and name_zh[-1] in PLACE_SUFFIXES else name_zh


def perturb_chars(sentence: str, *, rng: random.Random, rate: float = P_CHAR) -> str:
    """``sentence`` with about ``rate`` of its CJK characters (not in :data:`KEEP_CHARS`) replaced by
    another character of the same sentence."""
    pool = [c for c in sentence if "\u4e00" <= c <= "\u9fff" and c not in KEEP_CHARS]
    if len(pool) < 2 or rate <= 0:
        return sentence
    free = set(pool)
    return "".join(rng.choice(pool) if c in free and rng.random() < rate else c for c in sentence)


def perturb_line(line: str, *, rng: random.Random) -> str:
    """Shuffle and drop the unprotected sentences of one line (the first sentence never moves), and alter
    the characters of every sentence (:func:`perturb_chars`; markers stay)."""
    parts = SENTENCE_RE.findall(line)
    if "".join(parts) != line:
        return line
    free = [i for i, s in enumerate(parts) if i > 0 and not PROTECTED_RE.search(s) and s[-1] in "。！？!?"]
    kept = {}
    if len(parts) >= 3 and free:
        movable = [parts[i] for i in free]
        if rng.random() < P_SHUFFLE:
            rng.shuffle(movable)
        kept = dict(zip(free, movable))
    out = []
    for i, s in enumerate(parts):
        if i in kept:
            if rng.random() < P_DROP:
                continue
            s = kept[i]
        out.append(perturb_chars(s, rng=rng))
    return "".join(out)


def _swap_quantity(m: re.Match, rng: random.Random) -> str:
    digits = m.group(1)
    if rng.random() >= P_QUANTITY:
        return digits
    if len(digits) == 1:
        return str(rng.randint(1, 9))
    return str(rng.randint(10 ** (len(digits) - 1), 10 ** len(digits) - 1))


def perturb(text: str, *, rng: random.Random, place: str, new_place: str) -> str:
    """A variant of ``text`` that still parses with the same layout (see module docs)."""
    lines = [ln if KEEP_LINE_RE.search(ln) else perturb_line(ln, rng=rng) for ln in text.split("\n")]
    text = "\n".join(lines)
    text = QUANTITY_RE.sub(lambda m: _swap_quantity(m, rng), text)
    return text.replace(place, new_place) if place else text

#: Tries at a two-character name before moving to three characters (32 x 31 pairs exist).
NAME_TRIES = 50


def _new_place(rng: random.Random, taken: set[str]) -> str:
    """A place name not yet ``taken`` (and add it); the loop ends: 32 x 31 x 30 three-character names exist."""
    tries = 0
    while True:
        name = "".join(rng.sample(NAME_CHARS, 2 if tries < NAME_TRIES else 3))
        tries += 1
        if name not in taken:
            taken.add(name)
            return name


def synthesize(n_docs: int, out_dir: Path, *, seed: int = DEFAULT_SEED, manifest: Path | None = None) -> Path:
    """Write a synthetic corpus of ``n_docs`` documents and its manifest into ``out_dir``; return the manifest.

    Documents ``0 … 4`` are the real plans, verbatim; document ``k >= 5`` perturbs plan ``k % 5`` with
    ``random.Random(f"{seed}:{k}")``, so every document depends only on the seed and its index. The
    ``i``-th copy of a plan (``i = k // 5 - 1``) is year ``FIRST_YEAR + i % YEARS_PER_BUREAU`` of bureau
    ``i // YEARS_PER_BUREAU`` of that plan: a bureau's documents share a place name and a ``jurisdiction``.
    """
    from analysis import corpus

    if n_docs < 1:
        raise UsageError(f"corpus size {n_docs} is not a positive number of documents")
    manifest = Path(manifest or config.MANIFEST)
    rows = corpus.read_manifest(manifest)
    sources = [corpus.read(r, raw_dir=manifest.parent) for r in rows]
    out_dir = Path(out_dir)
    if out_dir.resolve() == config.RAW.resolve() or config.RAW.resolve() in out_dir.resolve().parents:
        raise UsageError(f"{out_dir}: the synthetic corpus may not be written under data/raw/")
    out_dir.mkdir(parents=True, exist_ok=True)
    taken = {place_name(r["name_zh"]) for r in rows}
    header = list(dict.fromkeys([*rows[0].keys(), "jurisdiction"]))
    places: dict[tuple[int, int], str] = {}
    out_rows = []
    for k in range(n_docs):
        src_row, src = rows[k % len(rows)], sources[k % len(rows)]
        row = dict(src_row)
        row.setdefault("jurisdiction", "")
        text = src.text
        if k >= len(rows):
            rng = random.Random(f"{seed}:{k}")
            copy = k // len(rows) - 1
            bureau = (k % len(rows), copy // YEARS_PER_BUREAU)
            if bureau not in places:
                places[bureau] = _new_place(random.Random(f"{seed}:bureau:{bureau[0]}:{bureau[1]}"), taken)
            place, new = place_name(src_row["name_zh"]), places[bureau]
            text = perturb(text, rng=rng, place=place, new_place=new)
            pref = f"{k % len(rows)}-{bureau[1] // BUREAUS_PER_PREFECTURE}"
            row.update(region=f"{src_row['region']}_{k:04d}",
                       prefecture=f"合成市{pref} Synthetic prefecture {pref}",
                       jurisdiction=f"{src_row['region']}_b{bureau[1]:03d}",
                       year=str(FIRST_YEAR + copy % YEARS_PER_BUREAU),
                       name_zh=src_row["name_zh"].replace(place, new),
                       name_en=f"Synthetic {k:04d} (from {src_row['name_en']})",
                       title=src_row["title"].replace(place, new),
                       issuer=src_row["issuer"].replace(place, new),
                       source_note=f"synthetic: plan {src_row['doc_id']} perturbed with seed {seed}:{k}")
        row["doc_id"] = f"{k:04d}"
        row["file"] = f"{row['doc_id']}_{row['region']}.txt"
        data = text.encode("utf-8")
        (out_dir / row["file"]).write_bytes(data)
        row["sha256"] = hashlib.sha256(data).hexdigest()
        out_rows.append(row)
    path = out_dir / "manifest.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(out_rows)
    return path


def subset_manifest(manifest: Path, n_docs: int) -> Path:
    """A manifest of the first ``n_docs`` rows of ``manifest``, next to it (``manifest-{n}.csv``)."""
    manifest = Path(manifest)
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    if n_docs > len(lines) - 1:
        raise UsageError(f"{manifest}: has {len(lines) - 1} documents, fewer than {n_docs}")
    path = manifest.with_name(f"manifest-{n_docs}.csv")
    path.write_text("".join(lines[:n_docs + 1]), encoding="utf-8", newline="")
    return path


"""Adversarial input: no exception and linear time, for the numeral reader, the quantity extractor, the
tokenizer and the segmenter.

Two kinds of test. Property-based (hypothesis): strings built from Chinese numerals, digits, list
punctuation (、，。；：（）() 一是 二是), spaces (\\u3000, \\n, \\r), units (元 人 月 % ‰) and common words, in
long repeated runs too; every call must return and take at most a time budget that grows linearly with
the length. Deterministic: the inputs known to have been quadratic or worse (a run of numerals, one
comma-joined sentence, a line of stray spaces …) timed at n and 2n in one run: the ratio must stay under
3 (a quadratic cost gives 4). Strings are invented, never copied from a plan.

Timings are minima over repeated calls, so a loaded machine does not fail them by accident; a call over
its budget is measured twice more before it counts.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import corpus, numerals, quantities, segment
from analysis import tokenization

# --- the alphabet ---------------------------------------------------------------------------------

NUMERALS = list("零〇一二两三四五六七八九十百千万亿")
DIGITS = list("0123456789０１２３４５６７８９.．")
PUNCT = ["、", "，", "。", "；", "：", "（", "）", "(", ")", "一是", "二是", "三是", "|", "-", "—", "～", "《", "》",
         "“", "”"]
SPACES = [" ", "\u3000", "\n", "\r", "\r\n", "\t"]
UNITS = ["元", "人", "月", "%", "‰", "个", "张", "户", "万元", "人次", "元/人/月"]
WORDS = ["民政", "养老服务", "社会救助", "新增", "不少于", "达到", "全覆盖", "年底前", "建成", "床位", "社区",
         "儿童福利", "工作", "加强", "完善", "第", "届", "每", "了", "的", "在", "以下", "占", "方面", "一、", "（一）",
         "1.", "①", "附件", "2023年"]
ATOMS = NUMERALS + DIGITS + PUNCT + SPACES + UNITS + WORDS

atom = st.sampled_from(ATOMS)
#: One atom repeated: the runs that make patterns backtrack (九九九…, ，，，…, spaces).
run = st.builds(lambda a, k: a * k, atom, st.integers(min_value=2, max_value=300))
mixes = st.lists(st.one_of(atom, atom, run), max_size=24).map("".join)
#: A mix around one long run (1500-4000 repeats): where a backtracking pattern or a quadratic loop shows.
long_runs = st.builds(lambda pre, a, k, post: pre + a * k + post, mixes, atom,
                      st.integers(min_value=1500, max_value=4000), mixes)
texts = st.one_of(mixes, long_runs)
numeral_texts = st.one_of(
    st.lists(st.sampled_from(NUMERALS + ["、", "1", " "]), max_size=12).map("".join),
    st.builds(lambda a, k: a * k, st.sampled_from(NUMERALS), st.integers(min_value=1, max_value=5000)))

FUZZ = settings(deadline=None, max_examples=40, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --- timing -----------------------------------------------------------------------------------------

#: Budget per call: BASE seconds + PER_CHAR seconds per character. The extractor's is larger: every
#: quantity costs ~350 µs since its kind follows the tense of its clause and sentence (some 35 cue patterns
#: searched within CONTEXT_CHARS; measured on '全覆盖' x 400: 0.14 s under cProfile, 0.27 s on a loaded
#: machine), and a fuzzed string can hold one quantity every two or three characters. Still linear: a
#: quadratic loop or a backtracking pattern over the 1,500-4,000-repeat runs exceeds it many times over.
BASE = 0.05
PER_CHAR = {"value": 0.0, "extract": 2.5e-4, "tokens": 2e-5, "document": 2e-5}


def _seconds(func, arg) -> float:
    t0 = time.perf_counter()
    func(arg)
    return time.perf_counter() - t0


def _within_budget(func, arg, name: str) -> None:
    n = len(arg)
    budget = BASE + PER_CHAR[name] * n
    took = _seconds(func, arg)
    if took > budget:  # a loaded machine: the best of three counts
        took = min(took, _seconds(func, arg), _seconds(func, arg))
    assert took <= budget, f"{name} on {n} characters took {took:.3f} s > budget {budget:.3f} s: {arg[:60]!r}…"


def _doc(text: str) -> corpus.Document:
    return corpus.Document(doc_id="900", region="fuzz", meta={"doc_type": "work_plan", "layout": "auto",
                                                              "task_unit": ""},
                           text=text, path=Path("fuzz.txt"))


def _tokens_cold(text: str):
    tokenization.clear()
    tokenization.tokens(text)
    tokenization.words(text)


FUNCS = {
    "value": numerals.value,
    "extract": quantities.extract,
    "tokens": _tokens_cold,
    "document": lambda text: segment.document(_doc(text)),
}


@pytest.fixture(scope="module", autouse=True)
def warm():
    """Load the tokenizer, the numeral table and the patterns once, and keep the fuzz's warnings quiet."""
    tokenization.tokenizer()
    numerals.value("一")
    quantities.extract("新增床位1张")
    segment.document(_doc("一、民政\n（一）工作。\n"))
    logging.disable(logging.WARNING)
    yield
    logging.disable(logging.NOTSET)


# --- property-based --------------------------------------------------------------------------------

@FUZZ
@given(numeral_texts)
def test_fuzz_numerals_value(text):
    v = numerals.value(text)
    assert v is None or (1 <= v <= numerals.MAX_VALUE and numerals.value(numerals.spell(v)) == v)
    _within_budget(numerals.value, text, "value")


@FUZZ
@given(texts)
def test_fuzz_quantities_extract(text):
    found = quantities.extract(text)
    for q in found:
        assert text[q.start:q.end] == q.span
    _within_budget(quantities.extract, text, "extract")


@FUZZ
@given(texts)
def test_fuzz_tokenize(text):
    toks = tokenization.tokens(text, memo=False)  # every block afresh: fuzzed strings would otherwise hit the memo
    assert all(tokenization.is_content(t) for t in toks)
    _within_budget(_tokens_cold, text, "tokens")


@FUZZ
@given(texts)
def test_fuzz_segment_document(text):
    seg = segment.document(_doc(text))
    assert seg is not None
    _within_budget(FUNCS["document"], text, "document")


# --- deterministic: double the size, the time must not quadruple ------------------------------------

#: The long inputs, by name: a builder of the string for size n, and n.
LONG = {
    "numeral_run": (lambda n: "九" * n, 5000),
    "numeral_run_dun": (lambda n: "九" * n + "、", 5000),
    "comma_sentence": (lambda n: "，".join(["民政"] * n), 20000),
    "spaces": (lambda n: " " * n, 50000),
    "digits": (lambda n: "1" * n, 10000),
    "percent_words": (lambda n: "百分之" * n, 3000),
    "wan": (lambda n: "万" * n, 5000),
    "fullwidth_digits": (lambda n: "１２３" * n, 3000),
    "quantity_run": (lambda n: "1个" * n, 2000),
    "chinese_quantity_run": (lambda n: "九个" * n, 2000),
    "unknown_char_run": (lambda n: "占" * n, 4000),
    "stray_spaces_line": (lambda n: "民" + " " * n + "政", 4000),
    "stray_spaces_title": (lambda n: "一、民政" + " " * n + "工作\n（一）加强养老服务。\n二、救助\n（一）完善制度。\n", 4000),
    "mixed": (lambda n: "一、民政 工作，（二）1.养老 100张；\u3000二是加强\r\n" * n, 300),
}
#: segment.py inputs that are quadratic today (TRAILING_BARS_RE in segment.spans.title backtracks over a
#: run of spaces in a heading line).
SEGMENT_PENDING: set[str] = set()  # none left: segment's trailing-bar patterns are anchored (linear)
#: Below this many seconds at 2n a ratio is noise, not growth.
FLOOR = 0.005


def _best(func, arg, k: int = 3) -> float:
    return min(_seconds(func, arg) for _ in range(k))


def _ratio(func, build, n: int) -> tuple[float, float, float]:
    """(time at n, time at 2n, ratio) with n doubled (up to 8 times) until a call takes measurable time."""
    t1 = _best(func, build(n))
    for _ in range(3):
        if t1 >= FLOOR:
            break
        n *= 2
        t1 = _best(func, build(n))
    t2 = _best(func, build(2 * n))
    return t1, t2, t2 / max(t1, 1e-9)


def _cases():
    for fname in ("extract", "tokens", "document"):
        for name in LONG:
            marks = []
            if fname == "document" and name in SEGMENT_PENDING:
                marks = [pytest.mark.xfail(strict=False, reason="segment.py: pending numerals switch "
                                           "(TRAILING_BARS_RE in spans.title is quadratic on a run of spaces)")]
            yield pytest.param(fname, name, id=f"{fname}-{name}", marks=marks)
    yield pytest.param("value", "numeral_run", id="value-numeral_run")


@pytest.mark.parametrize("fname, name", list(_cases()))
def test_doubling_the_input_does_not_quadruple_the_time(fname, name):
    build, n = LONG[name]
    t1, t2, ratio = _ratio(FUNCS[fname], build, n)
    for _ in range(3):  # a burst of load on the machine: measure again (a quadratic stays quadratic)
        if t2 < FLOOR or ratio < 3:
            break
        t1, t2, ratio = min((t1, t2, ratio), _ratio(FUNCS[fname], build, n), key=lambda r: r[2])
    assert t2 < FLOOR or ratio < 3, f"{fname} on {name}: {t1:.4f} s at n, {t2:.4f} s at 2n (ratio {ratio:.2f})"


def test_the_numeral_reader_survives_what_crashed_cn2an():
    assert numerals.value("九" * 30) is None and numerals.value("百") is None
    assert segment.document(_doc("九" * 30 + "、民政工作\n百、养老\n")) is not None
    assert quantities.extract("九" * 30 + "个百、万" * 10) == []

"""Extraction: every quantity of a raw text as a :class:`Quantity`, the ``targets.csv`` table of the
documents' quantities mapped to their tasks, and the views of that table (absence, kinds, by domain,
listing, side by side).
"""

from __future__ import annotations

import bisect
import logging
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from analysis import tables
from analysis.errors import UsageError
from analysis.quantities.indicators import (
    comparator_of,
    deadline_of,
    family_of,
    indicator_id,
    indicator_of,
    normal_per,
    per_of,
    urban_rural_pair,
)
from analysis.quantities.kinds import (
    PART_PRIOR,
    PART_PRIOR_DOC_TYPES,
    completed_parts,
    heading_parts,
    is_change,
    kind_of,
    prior_of,
)
from analysis.quantities.numeric import (
    Bounds,
    in_quotes,
    inside,
    number,
    overlaps,
    strip_bounds,
    title_spans,
    why_not_quantity,
    window,
)
from analysis.quantities.patterns import (
    BREAKDOWN_FIGURE_END_RE,
    BREAKDOWN_NEXT_RE,
    BREAKDOWN_OPEN_RE,
    ATTRIBUTE_COVERAGE_RE,
    COUNTED_COVERAGE_BEFORE_RE,
    BARE_MULT_GROUP_AFTER_RE,
    BARE_MULT_PEOPLE_AFTER_RE,
    BARE_MULT_RE,
    BARE_MULT_UNITS,
    BARE_RATE_RE,
    COLUMNS,
    CONTEXT_CHARS,
    COVERAGE_VERB_BEFORE_RE,
    DIGIT_RUN_RE,
    FALSE_UNIT_RE,
    FULL_COVERAGE_RE,
    HAN_RE,
    KINDS,
    LIST_NUMBER_RE,
    LISTED_NEXT_RE,
    LONG_CODE_DIGITS,
    MISS_COLUMNS,
    NOT_A_MISS_AFTER_RE,
    NOT_A_MISS_BEFORE_RE,
    PERCENT_WORDS_RE,
    RISE_TO_RE,
    SPACES_RE,
    YEAR_RUN_RE,
    resource_patterns,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Quantity:
    """One quantity in a text; ``text[start:end] == span``."""

    value: float
    value_max: float | None
    unit: str
    per: str
    comparator: str
    indicator: str
    indicator_family: str
    indicator_id: str
    kind: str
    deadline: str
    is_full_coverage: bool
    span: str
    start: int
    end: int
    sentence: str

    def as_dict(self) -> dict:
        """The fields by name, in order (every field is an immutable scalar: no deep copy needed)."""
        return {name: getattr(self, name) for name in QUANTITY_FIELDS}


#: :class:`Quantity`'s field names, in order.
QUANTITY_FIELDS = tuple(f.name for f in fields(Quantity))


# --- extraction -----------------------------------------------------------------------------------------

def _candidates(text: str) -> list[dict]:
    """Every numeral+unit match, bare rate (550/月) and number in words (百分之五十), before the negative
    rules, sorted by start; a match whose unit is no unit there (单位, 两次重要讲话: FALSE_UNIT_RE) is cut."""
    pats = resource_patterns()
    found: list[dict] = []
    taken: list[tuple[int, int]] = []  # sorted, non-overlapping: kept sorted by insertion, not re-sorted
    ends: list[int] = []

    def add(m, kind: str) -> None:
        found.append({"m": m, "chinese": kind == "chinese", "form": kind})
        bisect.insort(taken, m.span())
        bisect.insort(ends, m.end())

    def free(m) -> bool:
        return not overlaps(taken, ends, m.start(), m.end())

    for m in pats["grouped"].finditer(text):  # 6 000万元: before the plain figures, which would read 000万元
        if not FALSE_UNIT_RE.match(text, m.start("unit")):
            add(m, "arabic")
    for m in pats["arabic"].finditer(text):
        if free(m) and not FALSE_UNIT_RE.match(text, m.start("unit")):
            add(m, "arabic")
    for m in PERCENT_WORDS_RE.finditer(text):
        add(m, "words")
    for m in pats["chinese"].finditer(text):
        if free(m) and not FALSE_UNIT_RE.match(text, m.start("unit")):
            add(m, "chinese")
    for m in BARE_RATE_RE.finditer(text):
        if free(m):
            add(m, "bare_rate")
    for m in BARE_MULT_RE.finditer(text):
        unit = _bare_mult_unit(text, m)
        if unit and free(m):
            add(m, "bare_mult")
            found[-1]["unit"] = unit
    found.sort(key=lambda c: c["m"].start())
    return found


def _bare_mult_unit(text: str, m) -> str:
    """The unit of a figure in 万/亿 written without one: named by the noun before it (低保金215万: 元) or by the
    people noun right after it (惠及800多万残疾人: 人); '' when neither names one (年收入10万以下)."""
    if BARE_MULT_PEOPLE_AFTER_RE.match(text, m.end()):
        return "人"
    named = next((u for u, before in BARE_MULT_UNITS if before.search(text, max(0, m.start() - 12), m.start())), "")
    if HAN_RE.match(text, m.end()) and not text.startswith("左右", m.end()):  # 将达到8.3万左右 (qty10)
        return "" if named or not BARE_MULT_GROUP_AFTER_RE.match(text, m.end()) else "人"
    return named


def _reading(text: str, cand: dict) -> tuple[dict | None, str]:
    """The value, unit and rate of a candidate, or None and why it cannot be read (``not_a_number``,
    ``reversed_range``: 10-5个 is no range)."""
    m, form = cand["m"], cand["form"]
    if form == "words":
        try:
            value = number(m.group("num").replace("点", "."))
        except ValueError:
            return None, "not_a_number"
        return {"value": value, "value_max": None, "unit": "%" if m.group("base") == "百分之" else "‰",
                "per": "", "approx": False}, ""
    if form == "bare_mult":  # 发放低保金215万: the unit the noun before names
        return {"value": number(m.group("num") + m.group("mult")), "value_max": None, "unit": cand["unit"], "per": "",
                "approx": bool(m.group("approx") or m.group("approx0"))}, ""
    if form == "bare_rate":
        return {"value": number(m.group("num")), "value_max": None, "unit": "元", "per": m.group("per"),
                "approx": False}, ""
    g = m.groupdict()
    mult = g.get("mult") or g.get("mult2") or ""
    try:
        value = number(SPACES_RE.sub("", m.group("num")) + mult)
        value_max = number(g["num2"] + mult) if g.get("num2") else None
    except ValueError:
        return None, "not_a_number"
    if value_max is not None and value_max < value:
        return None, "reversed_range"
    unit = "%" if m.group("unit") == "％" else m.group("unit")
    return {"value": value, "value_max": value_max, "unit": unit, "per": m.group("per") or "",
            "approx": bool(m.group("approx"))}, ""


def scan(text: str, *, doc_type: str | None = None, parts: Sequence[tuple[int, int, str]] = (),
         year: int | None = None) -> tuple[list[Quantity], list[tuple[int, int, str]]]:
    """:func:`extract`'s quantities, and the ``(start, end, reason)`` of every candidate it refused."""
    if not isinstance(text, str):
        raise UsageError(f"extract() needs a str, got {type(text).__name__}.")
    doc_prior = prior_of(doc_type)
    if doc_type in PART_PRIOR_DOC_TYPES:
        spans = completed_parts(text, sorted(parts))
    else:  # a plan's review of the last period (第一章 “十二五”…主要成效) reports results
        spans = [sp for sp in heading_parts(text) if sp[2] == "result"]
    span_starts = [a for a, _, _ in spans]

    def prior_at(pos: int) -> str:
        k = bisect.bisect_right(span_starts, pos) - 1
        return PART_PRIOR.get(spans[k][2], doc_prior) if k >= 0 and pos < spans[k][1] else doc_prior

    titles = title_spans(text)
    bounds = Bounds(text)
    out: list[Quantity] = []
    refused: list[tuple[int, int, str]] = []
    claimed: list[tuple[int, int]] = []   # sorted by start, non-overlapping
    level: Quantity | None = None          # the last figure that is a level, not a change (比上年增长5%)
    for cand in _candidates(text):
        m, chinese = cand["m"], cand["chinese"]
        start, end = m.span()
        why = "" if cand["form"] == "words" else why_not_quantity(text, start, end, chinese=chinese,
                                                                   num=m.group("num"), titles=titles)
        reading, problem = _reading(text, cand) if not why else (None, why)
        if reading is None:
            refused.append((start, end, problem))
            continue
        full = reading["unit"] == "%" and FULL_COVERAGE_RE.match(text, end) is not None
        out.append(_record(text, start, end, value=reading["value"], value_max=reading["value_max"],
                           unit=reading["unit"], match_per=reading["per"], approx=reading["approx"],
                           full_coverage=full, chinese=chinese, prior=prior_at(start), titles=titles, year=year,
                           bounds=bounds, prev=out[-1] if out else None, level=level))
        if not is_change(text, window(bounds.clause(start), start, end)[0], start,
                         window(bounds.sentence(start), start, end)[0]):
            level = out[-1]
        claimed.append((start, end + (3 if full else 0)))
    for m in FULL_COVERAGE_RE.finditer(text):
        start, end = m.span()
        if inside(claimed, start, start + 1) or inside(titles, start, end) or in_quotes(text, start, end):
            continue
        if ATTRIBUTE_COVERAGE_RE.match(text, start) and not COVERAGE_VERB_BEFORE_RE.search(text, max(0, start - 16),
                                                                                          start):
            continue  # 三级全覆盖的协调机制: an attribute of the noun, no figure
        if COUNTED_COVERAGE_BEFORE_RE.search(text, max(0, start - 4), start):
            continue  # 力争实现两个全覆盖：…: the name of the goals counted, no figure
        out.append(_record(text, start, end, value=100, value_max=None, unit="%", match_per="",
                           approx=False, full_coverage=True, chinese=False, prior=prior_at(start), titles=titles,
                           year=year,
                           bounds=bounds, prev=None))
    out.sort(key=lambda q: (q.start, q.end))
    cut = sum(1 for q in out if window(bounds.sentence(q.start), q.start, q.end) != bounds.sentence(q.start))
    if cut:
        log.warning("quantities: %d of %d quantities are in a sentence running more than %d characters on one "
                    "side (a text without punctuation?): each was read within %d characters of its number",
                    cut, len(out), CONTEXT_CHARS, CONTEXT_CHARS)
    return out, refused


def extract(text: str, *, doc_type: str | None = None,
            parts: Sequence[tuple[int, int, str]] = (), year: int | None = None) -> list[Quantity]:
    """Every quantity in ``text`` (raw, with offsets into it), in text order.

    ``doc_type`` (a manifest doc_type) sets the prior kind for quantities without a cue; None means a plan.
    ``parts`` (``(start, end, part)`` spans, part ``plan`` / ``result``) set it instead inside a summary
    (:data:`analysis.quantities.kinds.PART_PRIOR_DOC_TYPES`): targets in its plan part, achievements in its result part.
    ``year`` (the document's year, when known): a later year in a sentence makes its figures a plan's.
    """
    return scan(text, doc_type=doc_type, parts=parts, year=year)[0]


def unread(text: str, found: Sequence[Quantity], refused: Sequence[tuple[int, int, str]] = ()
           ) -> list[tuple[int, int, str]]:
    """Every Arabic digit run of ``text`` that no quantity claims and that is no date, year, clock time,
    list marker, code or page number: ``(start, end, reason)`` — the refusal's reason (``ordinal``,
    ``title_or_quotes``, ``enumeration``, ``reversed_range`` …) or ``no_unit``. Nothing is missed silently."""
    spans = sorted((q.start, q.end) for q in found)
    ends = [b for _, b in spans]
    titles = title_spans(text)
    why = {a: (b, r) for a, b, r in refused}
    out: list[tuple[int, int, str]] = []
    for m in DIGIT_RUN_RE.finditer(text):
        a, b = m.span()
        if overlaps(spans, ends, a, b) or (out and a < out[-1][1]):  # claimed, or inside a listed refusal
            continue
        before, after = text[max(0, a - 1):a], text[b:b + 4]
        if a in why:
            out.append((a, why[a][0], why[a][1]))
        elif not (NOT_A_MISS_BEFORE_RE.search(before) or NOT_A_MISS_AFTER_RE.match(after)
                  or _list_or_code(text, a, b)):
            quoted = inside(titles, a, b) or in_quotes(text, a, b)
            out.append((a, b, "title_or_quotes" if quoted else "no_unit"))
    return out


def _list_or_code(text: str, a: int, b: int) -> bool:
    """Whether the digit run ``text[a:b]`` is a list marker or row number, a bare year, a code or a telephone number."""
    run = text[a:b]
    if len(run) >= LONG_CODE_DIGITS or YEAR_RUN_RE.fullmatch(run):
        return True
    line_start = text.rfind("\n", 0, a) + 1
    m = LIST_NUMBER_RE.search(text, max(line_start, a - 3), min(len(text), b + 3))
    return m is not None and m.start() <= a and b <= m.end()


def _in_breakdown(text: str, prev_end: int, start: int, sentence_start: int) -> bool:
    """Whether the figure at ``start`` is a part listed in parentheses right after the figure ending at ``prev_end``
    (1320家（社会团体510家，民办非企业单位810家）): the part of a whole, of the whole's kind."""
    if BREAKDOWN_OPEN_RE.fullmatch(text, prev_end, start):
        return BREAKDOWN_FIGURE_END_RE.search(text, sentence_start, prev_end) is not None
    if not BREAKDOWN_NEXT_RE.fullmatch(text, prev_end, start):
        return False
    opened = max(text.rfind("(", sentence_start, prev_end), text.rfind("（", sentence_start, prev_end))
    if opened < 0 or max(text.rfind(")", opened, start), text.rfind("）", opened, start)) >= 0:
        return False
    return BREAKDOWN_FIGURE_END_RE.search(text, sentence_start, opened) is not None


def _record(text: str, start: int, end: int, *, value, value_max, unit: str, match_per: str, approx: bool,
            full_coverage: bool, chinese: bool, prior: str, titles: Sequence[tuple[int, int]], bounds: Bounds,
            prev: Quantity | None = None, level: Quantity | None = None, year: int | None = None) -> Quantity:
    clause = window(bounds.clause(start), start, end)
    prev_any = prev
    if prev is not None and not (clause[0] <= prev.start and prev.end <= start):
        prev = None
    sentence = window(bounds.sentence(start), start, end)
    comparator = comparator_of(text, start, end, clause)
    if approx and not comparator:
        comparator = "余"
    sentence_prev = prev_any if prev_any is not None and prev_any.start >= sentence[0] else None
    whole = level if level is not None and level.start >= sentence[0] else None  # what 其中… parts belong to
    if sentence_prev is not None and not text[sentence_prev.end:start].strip(" 、\u3000"):
        kind = sentence_prev.kind  # 33087户57374人, 1010 户 1653 人: one figure in two units
    elif sentence_prev is not None and _in_breakdown(text, sentence_prev.end, start, sentence[0]):
        kind = sentence_prev.kind  # 共登记社会组织1320家（社会团体510家，民办非企业单位810家）: the parts of the figure
    else:
        kind = kind_of(text, start, end, prior=prior, is_range=value_max is not None, comparator=comparator,
                       unit=unit, chinese=chinese, clause=clause, carry=whole.kind if whole else "",
                       sentence_start=sentence[0], year=year, sentence_end=sentence[1])
    s0, s1 = strip_bounds(text, *sentence)
    indicator = indicator_of(text, start, end, clause, unit=unit, full_coverage=full_coverage,
                             prev_end=prev.end if prev else -1, prev_indicator=prev.indicator if prev else "")
    per = normal_per(per_of(text, start, match_per, clause))
    if prev is not None and prev.unit == unit and RISE_TO_RE.search(text[prev.end:start]):
        per, indicator = per or prev.per, prev.indicator   # 由每人每月500元提高到530元: the same standard
    listed = prev is not None and prev.unit == unit and LISTED_NEXT_RE.fullmatch(text, prev.end, start) is not None
    if listed:  # 分别提高至每人每月950元、720元: the same indicator and rate
        per, indicator = per or prev.per, indicator or prev.indicator
    canonical = indicator_id(indicator, unit=unit, per=per, context=text[clause[0]:start], sentence=text[sentence[0]:start])
    canonical = urban_rural_pair(canonical, text[sentence[0]:start], second=listed)
    return Quantity(
        value=value, value_max=value_max, unit=unit,
        per=per,
        comparator=comparator,
        indicator=indicator,
        indicator_family=family_of(indicator, full_coverage=full_coverage, context=text[sentence[0]:start]),
        indicator_id=canonical,
        kind=kind,
        deadline=deadline_of(text, start, sentence, titles, bounds) if kind == "target" else "",
        is_full_coverage=full_coverage,
        span=text[start:end], start=start, end=end, sentence=text[s0:s1])


# --- documents and tasks --------------------------------------------------------------------------------

def _task_index(tasks: pd.DataFrame | None) -> dict[str, tuple[list[int], list[int], list[str], list[str]]]:
    """doc_id (as str) -> its tasks' starts, ends, task ids and domains (as str), sorted by start (stable)."""
    if tasks is None or len(tasks) == 0:
        return {}
    doc_ids = tasks["doc_id"].astype(str).tolist()
    starts, ends = tasks["start"].tolist(), tasks["end"].tolist()
    ids = tasks["task_id"].tolist()
    doms = tasks["domain"].tolist() if "domain" in tasks.columns else [""] * len(tasks)
    rows: dict[str, list[int]] = {}
    for i, d in enumerate(doc_ids):
        rows.setdefault(d, []).append(i)
    out = {}
    for d, idx in rows.items():
        idx.sort(key=starts.__getitem__)
        out[d] = ([starts[i] for i in idx], [ends[i] for i in idx], [str(ids[i]) for i in idx],
                  [str(doms[i]) for i in idx])
    return out


def _parts(tasks: pd.DataFrame | None, doc_id) -> list[tuple[int, int, str]]:
    """(start, end, part) of a document's tasks that carry a part (tasks.csv ``part``); a row with a
    ``result_start`` (a progress table's 进展情况 cell) is a plan up to it and a result from it."""
    if tasks is None or "part" not in tasks.columns:
        return []
    own = tasks[(tasks["doc_id"].astype(str) == str(doc_id)) & tasks["part"].fillna("").astype(bool)]
    cut = pd.to_numeric(own["result_start"], errors="coerce") if "result_start" in own.columns \
        else pd.Series(np.nan, index=own.index)
    out = []
    for a, b, part, r in zip(own["start"].astype(int), own["end"].astype(int), own["part"], cut):
        if pd.isna(r):
            out.append((a, b, part))
        else:  # a progress table's row: the task cell states the plan, the progress cell the results
            out += [(a, int(r), "plan"), (int(r), b, "result")]
    return out


def _year(value) -> int | None:
    """A manifest year (int, '2024', 2024.0 or empty) as an int, None when unknown."""
    try:
        return int(float(value)) if str(value).strip() not in ("", "nan", "None") else None
    except ValueError:
        return None


def _task_at(t, pos: int) -> tuple[str, str]:
    """(task_id, domain) of the task holding offset ``pos`` ('' and '' when none)."""
    if t is None:
        return "", ""
    starts, ends, ids, doms = t
    i = bisect.bisect_right(starts, pos) - 1
    return (ids[i], doms[i]) if i >= 0 and pos < ends[i] else ("", "")


def targets_and_misses(documents: Iterable, tasks: pd.DataFrame | None = None
                       ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`targets`, and one row per digit run no quantity claims (see :func:`unread`;
    :data:`~analysis.quantities.patterns.MISS_COLUMNS`), from one pass over the documents."""
    index = _task_index(tasks)
    rows, missed = [], []
    for doc in documents:
        t = index.get(str(doc.doc_id))
        qs, refused = scan(doc.text, doc_type=doc.meta.get("doc_type") or None, parts=_parts(tasks, doc.doc_id),
                           year=_year(doc.meta.get("year")))
        for q in qs:
            task_id, domain = _task_at(t, q.start)
            if t is not None and not task_id:  # in a boilerplate row (a page's view counter, a footer): no figure
                continue
            rows.append((doc.region, doc.doc_id, task_id, domain, domain,
                         *(getattr(q, f) for f in QUANTITY_FIELDS)))
        for a, b, reason in unread(doc.text, qs, refused):
            context = doc.text[max(0, a - 12):b + 8].replace("\n", " ")
            missed.append((doc.region, doc.doc_id, _task_at(t, a)[0], a, b, doc.text[a:b], reason, context))
    frame = pd.DataFrame(rows, columns=["region", "doc_id", "task_id", "domain", "task_domain",
                                        *QUANTITY_FIELDS])[list(COLUMNS)]
    frame = frame.sort_values(["doc_id", "start"], kind="mergesort").reset_index(drop=True)
    misses = pd.DataFrame(missed, columns=list(MISS_COLUMNS))
    return frame, misses.sort_values(["doc_id", "start"], kind="mergesort").reset_index(drop=True)


def targets(documents: Iterable, tasks: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per quantity in every document (see :data:`COLUMNS`), mapped to the task that contains it.

    ``documents``: :class:`analysis.corpus.Document` objects. ``tasks``: the tasks frame (doc_id, task_id,
    start, end and, after the domains stage, domain); a quantity outside every task of its document (in a
    boilerplate row) is left out; without ``tasks`` every quantity is kept, with an empty task_id.
    ``domain`` and ``task_domain`` are both the task's primary domain here; the stage then gives each
    quantity its own sentence's domain (:func:`analysis.quantities.sentence_domain.assign`).
    """
    return targets_and_misses(documents, tasks)[0]


def decimal_string(v) -> str:
    """A value as its exact decimal string (15464500, 0.5, 1.25); '' for None or NaN."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    d = Decimal(str(v)).normalize()
    return f"{d:f}"


def for_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """The table as written: values as exact decimal strings (the writer's %.6g would round 15464500)."""
    out = frame.copy()
    for col in ("value", "value_max"):
        out[col] = [decimal_string(v) for v in out[col]]
    return out


def absence(found: pd.DataFrame, tasks: pd.DataFrame) -> pd.DataFrame:
    """Region x domain with tasks: tasks, quantities, targets; ``has_target`` False is the absence, as data.

    Rows are sorted by ``doc_id`` (document order), then domain. Front matter (``is_preamble``) is not a task
    and is left out; so are its quantities.
    """
    t = tasks
    if "is_preamble" in t.columns:
        t = tables.proper_tasks(t)
    domain = t["domain"] if "domain" in t.columns else pd.Series([""] * len(t), index=t.index)
    keys = ["doc_id", "region", "domain"]
    base = (t.assign(domain=domain, doc_id=t["doc_id"].astype(str)).groupby(keys, sort=True).size()
            .rename("n_tasks").reset_index())
    f = found[found["task_id"].isin(set(t["task_id"]))].assign(doc_id=lambda d: d["doc_id"].astype(str))
    targets_only = f[f["kind"] == "target"]
    out = (base.join(f.groupby(keys).size().rename("n_quantities"), on=keys)
           .join(targets_only.groupby(keys).size().rename("n_targets"), on=keys)
           .join(targets_only.groupby(keys)["task_id"].nunique().rename("n_tasks_with_target"), on=keys))
    for col in ("n_quantities", "n_targets", "n_tasks_with_target"):
        out[col] = out[col].fillna(0).astype(int)
    out["has_target"] = out["n_targets"] > 0
    return out.sort_values(["doc_id", "domain"], kind="mergesort").reset_index(drop=True)


def kinds_table(found: pd.DataFrame) -> pd.DataFrame:
    """Region x kind: how many quantities of each kind (every kind a column, regions in document order)."""
    order = list(dict.fromkeys(found.sort_values("doc_id", kind="mergesort")["region"]))
    table = pd.crosstab(found["region"], pd.Categorical(found["kind"], categories=list(KINDS)), dropna=False)
    table = table.reindex(order).fillna(0).astype(int)
    table.columns = [str(c) for c in table.columns]
    table.columns.name = None
    return table.assign(total=table.sum(axis=1))


def by_domain(found: pd.DataFrame, *, kinds: Sequence[str] = ("target",)) -> pd.DataFrame:
    """Domain x region: number of quantities of ``kinds`` (0 where none)."""
    bad = set(kinds) - set(KINDS)
    if bad:
        raise UsageError(f"kind(s) {', '.join(sorted(bad))} not one of {', '.join(KINDS)}.")
    f = found[found["kind"].isin(kinds)]
    order = list(dict.fromkeys(found.sort_values("doc_id", kind="mergesort")["region"]))
    table = pd.crosstab(f["domain"].replace("", "(none)"), f["region"])
    return table.reindex(columns=order).fillna(0).astype(int).sort_index()


def listing(found: pd.DataFrame, region: str, *, kinds: Sequence[str] | None = None) -> pd.DataFrame:
    """One region's quantities, the columns a reader needs, in text order."""
    if region not in set(found["region"]):
        raise UsageError(f"region {region!r} is not one of {', '.join(sorted(set(found['region'])))}.")
    f = found[found["region"] == region]
    if kinds:
        f = f[f["kind"].isin(kinds)]
    cols = ["task_id", "domain", "span", "kind", "indicator", "comparator", "per", "deadline"]
    return f.sort_values("start", kind="mergesort")[cols].reset_index(drop=True)


def absence_matrix(table: pd.DataFrame) -> pd.DataFrame:
    """Domain x region from :func:`absence`: ``tasks with a target / tasks``; '' where the region has no task.

    A cell ``0/3`` is the absence as data: three tasks in that domain, not one quantified target.
    """
    order = list(dict.fromkeys(table.sort_values("doc_id", kind="mergesort")["region"]))
    cells = table.assign(cell=[f"{t}/{n}" for t, n in zip(table["n_tasks_with_target"], table["n_tasks"])])
    return cells.pivot(index="domain", columns="region", values="cell").reindex(columns=order).fillna("")


def comparable(found: pd.DataFrame, *, kinds: Sequence[str] = ("target",), min_regions: int = 2) -> pd.DataFrame:
    """Quantities of the same canonical indicator, kind, unit and base (``per``) in >= ``min_regions`` regions.

    The indicator is ``indicator_id`` (``resources/quantity_indicators.csv``); quantities without one are left
    out, and so is a goal beside a result or a stock (the kind is part of the key), or a rate per month beside
    one per year. ``family`` is the looser indicator family, for reading.
    """
    f = found[found["kind"].isin(kinds) & (found["indicator_id"].fillna("") != "")].copy()
    f = f.assign(family=f["indicator_family"], per=f["per"].fillna(""))
    keys = ["indicator_id", "kind", "unit", "per"]
    counts = f.groupby(keys)["region"].transform("nunique")
    f = f[counts >= min_regions]
    cols = ["indicator_id", "family", "unit", "per", "kind", "region", "value", "value_max", "comparator",
            "indicator", "deadline", "span", "task_id"]
    return f[cols].sort_values(keys + ["region", "value"], kind="mergesort").reset_index(drop=True)

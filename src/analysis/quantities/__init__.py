"""Quantified targets: find every quantity in the raw text, normalise it, classify its kind (issue 4).

Everything works on the RAW document text, never on jieba tokens, and every offset indexes that text::

    >>> from analysis import quantities
    >>> [q.span for q in quantities.extract("新增家庭养老床位100张，开展“两个确立”教育")]
    ['100张']

A quantity is a number (Arabic or Chinese, decimals, 万/亿 multipliers, ranges) followed by a counter unit
(``resources/quantity_units.csv``), or the word 全覆盖 (a coverage target: value 100, unit %). Numbers that
are not quantities of anything are never claimed: ordinals (第三届, 十四届六次全会), names and slogans in
quotes or titles (“两个确立”, “1211工程”, 《…2021-2035年…》), counts of enumerations (四个方面, 中央八项规定),
the indefinite 一 (一个时期, 一支队伍), rate denominators (每千名), and every number without a unit (years,
dates, hotlines, coordinate systems, list markers, registration numbers).

Each quantity gets a ``kind``:

``target``
    a planned goal (新增家庭养老床位100张, 不少于105户, 780元/月/人 as the standard to apply);
``achievement``
    a reported result (建成社区养老助餐点167个 in a summary, 土建工程已完成90%);
``baseline``
    a status-quo figure (目前全市共有养老机构51所, 剩余的2.03万名未脱贫人口, 剩余10%工程量 — the
    remaining share of a project is the state of things, not a goal);
``other``
    a quantity that is none of these (年救助量在1500人以下: the band that defines a class of station).

The sentence decides; the document type is only the prior for quantities without a cue (see
:func:`kind_of`). The cue words are in ``resources/quantity_kind_cues.csv``; the structural cues (V了,
全市+count, 的+Chinese-numeral count+noun, 在…以下) are compiled patterns (:mod:`analysis.quantities.patterns`).

The rules were first developed by reading the same five documents they are validated on:
:func:`analysis.evaluate.quantities.score` measures agreement with an independent hand list, not
generalisation. Issue 14 revised them on 20 real plans from other jurisdictions and measured them once on 10
held-out ones (``benchmarks/quantities_dev.py``; labels by URL and offsets in ``data/labels/``, no text). Several
rules still rest on one sentence each (在…以下 as a band, 的 + Chinese-numeral count as an existing set, 全覆盖排查
as a manner, 从N月份执行 as a deadline). Every digit run no quantity claims is listed with its reason
(:func:`unread`, ``quantity_misses.csv``); each quantity's domain is its own sentence's
(:mod:`~analysis.quantities.sentence_domain`); ``indicator_id`` names the canonical indicator
(``resources/quantity_indicators.csv``) that comparisons pair on, with the kind, unit and normalised rate.

Five parts: :mod:`~analysis.quantities.patterns` (every compiled pattern and constant, the readers of
the resource files), :mod:`~analysis.quantities.numeric` (a number's value, sentence and clause bounds,
the numbers that are no quantity), :mod:`~analysis.quantities.kinds` (:func:`kind_of` and the priors),
:mod:`~analysis.quantities.indicators` (indicator, comparator, rate, deadline, indicator families) and
:mod:`~analysis.quantities.extract` (:func:`extract`, the ``targets.csv`` table and its views). The
validation against the hand list is in :mod:`analysis.evaluate.quantities` (the only reader of
``data/labels/``).

Public API: :func:`extract` (text -> ``list[Quantity]``), :func:`number`, :func:`kind_of`,
:func:`targets` (documents + tasks -> the table), :func:`for_csv`, :func:`absence`, :func:`absence_matrix`,
:func:`kinds_table`, :func:`by_domain`, :func:`listing`, :func:`comparable`, :func:`family_of`, :func:`build`.
The function :func:`extract` shares its name with its module: here it is the function (import the
module's other names from the module: ``from analysis.quantities.extract import decimal_string``).
"""

from __future__ import annotations

from analysis.quantities.extract import (
    QUANTITY_FIELDS,
    Quantity,
    absence,
    absence_matrix,
    by_domain,
    comparable,
    extract,
    for_csv,
    kinds_table,
    listing,
    scan,
    targets,
    targets_and_misses,
    unread,
)
from analysis.quantities import sentence_domain
from analysis.quantities.indicators import canonical_indicators, families, family_of, indicator_id, normal_per
from analysis.quantities.kinds import DOC_TYPE_PRIOR, kind_of
from analysis.quantities.numeric import number
from analysis.quantities.patterns import COLUMNS, KINDS, MISS_COLUMNS, comparators, kind_cues, name_nouns, units

__all__ = ["COLUMNS", "DOC_TYPE_PRIOR", "KINDS", "MISS_COLUMNS", "QUANTITY_FIELDS", "Quantity", "absence",
           "absence_matrix", "build", "by_domain", "canonical_indicators", "comparable", "comparators", "extract",
           "families", "family_of", "for_csv", "indicator_id", "kind_cues", "kind_of", "kinds_table", "listing",
           "name_nouns", "normal_per", "number", "scan", "sentence_domain", "targets", "targets_and_misses", "unread",
           "units"]


def build(ctx) -> None:
    """Stage ``extract``: ctx.targets, and the tables targets.csv (each quantity in its own sentence's
    domain), quantity_misses.csv (every digit run no quantity claims, with the reason) and target_absence.csv."""
    found, missed = targets_and_misses(ctx.documents, ctx.tasks)
    if ctx.tasks is not None and "domain" in ctx.tasks.columns:
        found = sentence_domain.assign(found)
    ctx.targets = found
    ctx.add_table("targets.csv", for_csv(found), sort_by=["doc_id", "start"])
    ctx.add_table("quantity_misses.csv", missed, sort_by=["doc_id", "start"])
    if ctx.tasks is not None and len(ctx.tasks):
        ctx.add_table("target_absence.csv", absence(found, ctx.tasks), sort_by=["doc_id", "domain"])

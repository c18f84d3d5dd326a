"""The quantity extractor against the hand-made list (``data/labels/quantity_labels.csv``, issue 4).

The list is exhaustive per labelled region: every quantity of a labelled plan is listed with its
context, span, value, unit and kind (or ``not_quantity`` for a number that must not be claimed).
:func:`usable_labels` keeps the regions whose labels all still fit the build, :func:`locate_labels`
finds each label's span in the raw text, :func:`match` pairs labels with extractions, :func:`score`
and :func:`validation` give precision, recall and F1; :func:`build_validation` writes
``targets_validation.csv``.

The rules were developed by reading the same five documents they are validated on (there is no
held-out set): :func:`score` measures agreement with an independent hand list, not generalisation.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterable

import pandas as pd

from analysis import config
from analysis.errors import InputError
from analysis.quantities.extract import decimal_string
from analysis.quantities.kinds import prior_of
from analysis.quantities.patterns import KINDS

log = logging.getLogger(__name__)

LABELS_PATH = config.DATA / "labels" / "quantity_labels.csv"


def _read_labels(path: Path) -> tuple[pd.DataFrame | None, str]:
    """(labels, "") or (None, what is wrong with the file) — the checks of :func:`load_labels`."""
    need = ("region", "context", "span", "value", "unit", "kind")
    if not path.is_file():
        return None, "label file not found (columns: region, context, span, value, value_max, unit, per, kind, note)"
    try:
        labels = pd.read_csv(path, dtype=str, keep_default_na=False, comment=None)
    except pd.errors.EmptyDataError:
        return None, f"empty file, not even a header (columns: {', '.join(need)}, …)"
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        return None, f"not a UTF-8 CSV file ({type(exc).__name__}: {str(exc).strip().splitlines()[0][:80]})"
    missing = set(need) - set(labels.columns)
    if missing:
        return None, f"lacks column(s) {', '.join(sorted(missing))}"
    bad = set(labels["kind"]) - set(KINDS) - {"not_quantity"}
    if bad:
        return None, f"kind(s) {', '.join(sorted(bad))} not one of {', '.join(KINDS + ('not_quantity',))}"
    return labels, ""


def load_labels(path: Path | None = None) -> pd.DataFrame:
    """The hand-made gold list (``data/labels/quantity_labels.csv``); :class:`InputError` naming the file
    and the problem (not found, empty, not a CSV, a missing column, an unknown kind)."""
    path = Path(path or LABELS_PATH)
    labels, problem = _read_labels(path)
    if labels is None:
        raise InputError(f"{path}: {problem}.")
    return labels


def _locate(label, text: str) -> tuple[int, int] | str:
    """``(start, end)`` of a label's span in ``text``, or why it cannot be located."""
    n = text.count(label.context)
    if n != 1:
        return f"context {label.context!r} ({label.region}) occurs {n} times; it must occur exactly once"
    k = label.context.find(label.span)
    if k < 0:
        return f"span {label.span!r} is not inside its context {label.context!r}"
    at = text.index(label.context)
    return at + k, at + k + len(label.span)


def locate_labels(labels: pd.DataFrame, documents: Iterable) -> pd.DataFrame:
    """Add ``start``/``end`` to each label: its ``span`` inside its (unique) ``context`` in the raw text."""
    texts = {d.region: d.text for d in documents}
    starts, ends = [], []
    for r in labels.itertuples(index=False):
        text = texts.get(r.region)
        if text is None:
            raise InputError(f"quantity label region {r.region!r} is not in the corpus ({', '.join(texts)}).")
        where = _locate(r, text)
        if isinstance(where, str):
            raise InputError(f"quantity label {where}.")
        starts.append(where[0])
        ends.append(where[1])
    return labels.assign(start=starts, end=ends)


def usable_labels(documents: Iterable, *, path: Path | None = None) -> tuple[pd.DataFrame | None, list[str], dict | None]:
    """The hand labels that can be scored in this build, the regions they cover, and a warning (or None).

    The list is exhaustive per region (every quantity of a labelled plan is listed), so a region is
    scored only when every one of its labels is still located in its text (:func:`locate_labels`); a
    region with a stale label (an edited plan) is skipped whole, since scoring the rest would count the
    unlabelled extractions as false positives. Labels of regions not in the build are skipped too.
    Problems give ONE warning (a dict: ``file, cause, labels, skipped, message``), never an exception.
    """
    path = Path(path or LABELS_PATH)
    shown = config.shown(path)
    labels, problem = _read_labels(path)
    if labels is None:
        cause = "not_found" if not path.is_file() else "unreadable"
        return None, [], {"file": shown, "cause": cause, "labels": 0, "skipped": 0,
                          "message": f"{shown}: {problem} — quantity scoring skipped; restore or fix the file"}
    texts = {d.region: d.text for d in documents}
    n = len(labels)
    if not n:
        return None, [], {"file": shown, "cause": "no_labels", "labels": 0, "skipped": 0,
                          "message": f"{shown}: a header but no labels — quantity scoring skipped; restore the labels"}
    absent = [r for r in dict.fromkeys(labels["region"]) if r not in texts]
    stale: dict[str, list[str]] = {}
    for r in labels.itertuples(index=False):
        if r.region in texts:
            if texts[r.region].count(r.context) != 1 or r.span not in r.context:
                stale.setdefault(r.region, []).append(
                    f"{r.context!r} occurs {texts[r.region].count(r.context)} times" if r.span in r.context
                    else f"span {r.span!r} not in its context {r.context!r}")
    regions = [r for r in dict.fromkeys(labels["region"]) if r in texts and r not in stale]
    usable = labels[labels["region"].isin(regions)].reset_index(drop=True)
    causes, parts = [], []
    if absent:
        causes.append("regions_not_in_build")
        k = int(labels["region"].isin(absent).sum())
        parts.append(f"{k} of {n} labels are for regions not in this build "
                     f"({', '.join(absent[:5])}{', …' if len(absent) > 5 else ''})")
    if stale:
        causes.append("not_located")
        k = sum(map(len, stale.values()))
        first = next(iter(stale.values()))[0]
        parts.append(f"{k} of {n} labels no longer occur once in their plan's text (first: {first}), "
                     f"so {', '.join(stale)} is not scored (a region's list is all or nothing)")
    if not parts:
        return usable, regions, None
    tail = "the other regions are scored" if len(usable) else "no region left: targets_validation.csv written empty"
    todo = "; relabel or rebuild the labels" if stale else "; expected when the corpus leaves those plans out"
    return usable, regions, {"file": shown, "cause": ";".join(causes), "labels": n, "skipped": n - len(usable),
                             "message": f"{shown}: {'; '.join(parts)} — {tail}{todo}"}


def match(found: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Pair extracted quantities with located labels (same region, overlapping offsets, one to one).

    Returns one row per label and per unmatched extraction: ``gold_kind`` (empty for an extraction no
    label covers), ``pred_kind`` (empty when missed), values and units of both, and the offsets.
    """
    rows = []
    for region in sorted(set(found["region"]) | set(gold["region"])):
        f = found[found["region"] == region].sort_values("start", kind="mergesort")
        g = gold[gold["region"] == region].sort_values("start", kind="mergesort")
        f_rows = list(zip(f.index, f.itertuples(index=False)))
        used: set[int] = set()
        for gr in g.itertuples(index=False):
            hit = None
            for i, fr in f_rows:
                if i in used:
                    continue
                if fr.start < gr.end and gr.start < fr.end:
                    hit = (i, fr)
                    break
            row = {"region": region, "gold_span": gr.span, "gold_kind": gr.kind, "gold_value": gr.value,
                   "gold_value_max": getattr(gr, "value_max", ""), "gold_unit": gr.unit,
                   "gold_per": getattr(gr, "per", ""), "start": gr.start, "end": gr.end,
                   "pred_span": "", "pred_kind": "", "pred_value": "", "pred_value_max": "", "pred_unit": "",
                   "pred_per": ""}
            if hit is not None:
                used.add(hit[0])
                fr = hit[1]
                row.update(pred_span=fr.span, pred_kind=fr.kind, pred_value=decimal_string(fr.value),
                           pred_value_max=decimal_string(fr.value_max), pred_unit=fr.unit, pred_per=fr.per)
            rows.append(row)
        for i, fr in f_rows:
            if i not in used:
                rows.append({"region": region, "gold_span": "", "gold_kind": "", "gold_value": "",
                             "gold_value_max": "", "gold_unit": "", "gold_per": "", "start": fr.start,
                             "end": fr.end, "pred_span": fr.span, "pred_kind": fr.kind,
                             "pred_value": decimal_string(fr.value), "pred_value_max": decimal_string(fr.value_max),
                             "pred_unit": fr.unit, "pred_per": fr.per})
    out = pd.DataFrame(rows)
    return out.sort_values(["region", "start"], kind="mergesort").reset_index(drop=True)


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(found: pd.DataFrame, documents: Iterable, *, labels: pd.DataFrame | None = None) -> pd.DataFrame:
    """Precision, recall, F1 and support against the hand list, overall and per kind.

    Rows: ``detection`` (a quantity found where the list has one), ``kind`` (found, and the kind right),
    ``exact`` (kind, value, value_max, unit and per all right), one row per kind (kind right; precision over the extractions
    of that kind, recall over the labels of that kind), and ``not_quantity`` (labelled non-quantities
    claimed: ``tp`` counts the claims, which should be 0).
    """
    documents = list(documents)
    gold = locate_labels(labels if labels is not None else load_labels(), documents)
    m = match(found, gold)
    pos = m["gold_kind"].isin(KINDS)
    pred = m["pred_kind"] != ""
    n_pred, n_gold = int(pred.sum()), int(pos.sum())
    both = pos & pred
    kind_ok = both & (m["gold_kind"] == m["pred_kind"])
    exact = kind_ok & (m["gold_value"] == m["pred_value"]) & (m["gold_value_max"] == m["pred_value_max"]) \
        & (m["gold_unit"] == m["pred_unit"]) & (m["gold_per"] == m["pred_per"])
    rows = []
    for name, ok in (("detection", both), ("kind", kind_ok), ("exact", exact)):
        tp = int(ok.sum())
        rows.append(("overall", name, *_prf(tp, n_pred, n_gold), n_gold, tp, n_pred))
    for k in KINDS:
        tp = int((kind_ok & (m["gold_kind"] == k)).sum())
        np_k = int((m["pred_kind"] == k).sum())
        ng_k = int((m["gold_kind"] == k).sum())
        rows.append(("kind", k, *_prf(tp, np_k, ng_k), ng_k, tp, np_k))
    claimed = int(((m["gold_kind"] == "not_quantity") & pred).sum())
    rows.append(("negative", "not_quantity", float("nan"), float("nan"), float("nan"),
                 int((m["gold_kind"] == "not_quantity").sum()), claimed, claimed))
    out = pd.DataFrame(rows, columns=["level", "label", "precision", "recall", "f1", "support", "tp", "n_pred"])
    for col in ("precision", "recall", "f1"):
        out[col] = out[col].round(4)
    return out


def with_prior_kinds(found: pd.DataFrame, documents: Iterable) -> pd.DataFrame:
    """The same quantities with every kind replaced by its document type's prior (a reference rule)."""
    prior = {d.region: prior_of(d.meta.get("doc_type") or None) for d in documents}
    return found.assign(kind=found["region"].map(prior))


def validation(found: pd.DataFrame, documents: Iterable, *, labels: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`score` for the extractor (``rule = extractor``) and for the same spans with the document-type
    prior as their only kind rule (``rule = doc_type_prior``): how much the sentence adds over the prior."""
    documents = list(documents)
    labels = labels if labels is not None else load_labels()
    ours = score(found, documents, labels=labels).assign(rule="extractor")
    prior = score(with_prior_kinds(found, documents), documents, labels=labels).assign(rule="doc_type_prior")
    out = pd.concat([ours, prior], ignore_index=True)
    return out[["rule"] + [c for c in out.columns if c != "rule"]]


#: Columns of ``targets_validation.csv`` (written with no rows when nothing can be scored).
VALIDATION_COLUMNS = ("rule", "level", "label", "precision", "recall", "f1", "support", "tp", "n_pred")


def build_validation(ctx, *, path: Path | None = None) -> list[dict]:
    """Stage ``evaluate``: ``targets_validation.csv`` against the hand-made list, for the labelled regions
    whose labels all still fit the build (:func:`usable_labels`); only their quantities are scored.

    Never raises on the labels: a missing, unreadable or stale label file, or labelled regions missing
    from the corpus, give ONE logged warning and the table holds only what could be scored (its
    columns alone when nothing). Returns the warnings (a list of dicts).
    """
    if ctx.targets is None:
        return []
    labels, regions, warning = usable_labels(ctx.documents, path=path)
    if warning:
        log.warning("%s", warning["message"])
    if labels is None or not len(labels):
        table = pd.DataFrame({c: pd.Series(dtype=object) for c in VALIDATION_COLUMNS})
    else:
        documents = [d for d in ctx.documents if d.region in set(regions)]
        found = ctx.targets[ctx.targets["region"].isin(regions)]
        table = validation(found, documents, labels=labels)
    ctx.add_table("targets_validation.csv", table, sort_by=["rule", "level", "label"])
    return [warning] if warning else []

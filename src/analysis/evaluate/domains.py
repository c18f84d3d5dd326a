"""The domain classifier against the hand labels (``data/labels/domain_labels.csv``, issue 3).

The labels were made from the text of every task of the five seed plans. :func:`usable_labels` keeps
the ones that still fit the build; :func:`evaluate`, :func:`confusion` and :func:`errors_table` score a
prediction against them; :func:`tune_rules_loro` and :func:`supervised_loro` give the held-out
(leave-one-region-out) figures for anything chosen by looking at labels; :func:`sensitivity` shows how
much the results hang on the exact lexicon weights. :func:`build_validation` writes the tables;
:func:`summary`, :func:`per_domain` and :func:`confusion_matrix` are the notebook's views of them.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import replace
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis import choices, clusters, config, tables
from analysis.domains.classify import FALLBACK, OUTPUT_COLUMNS, decide, kept, prepare, score
from analysis.domains.lexicon import codes, headline_codes, lexicon, rules
from analysis.errors import InputError, UsageError

log = logging.getLogger(__name__)

LABELS_PATH = config.DATA / "labels" / "domain_labels.csv"
LABEL_COLUMNS = ("region", "task_id", "primary", "secondary", "quote", "note")


# --------------------------------------------------------------------------------------------------
# Hand labels and validation
# --------------------------------------------------------------------------------------------------

def _read_labels(path: Path) -> tuple[pd.DataFrame | None, str]:
    """(labels, "") or (None, what is wrong with the file) — the checks of :func:`load_labels`."""
    if not path.is_file():
        return None, f"label file not found (columns: {', '.join(LABEL_COLUMNS)})"
    try:
        lab = pd.read_csv(path, keep_default_na=False, dtype=str)
    except pd.errors.EmptyDataError:
        return None, f"empty file, not even a header (columns: {', '.join(LABEL_COLUMNS)})"
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        return None, f"not a UTF-8 CSV file ({type(exc).__name__}: {str(exc).strip().splitlines()[0][:80]})"
    missing = [c for c in LABEL_COLUMNS if c not in lab.columns]
    if missing:
        return None, f"missing column(s) {', '.join(missing)}"
    valid = set(codes())
    for row in lab.itertuples(index=False):
        for code in [row.primary, *filter(None, row.secondary.split(";"))]:
            if code not in valid:
                return None, f"{row.task_id}: unknown domain {code!r}; valid: {', '.join(codes())}"
    if lab["task_id"].duplicated().any():
        dup = lab.loc[lab["task_id"].duplicated(), "task_id"].iloc[0]
        return None, f"duplicate task_id {dup}"
    lab["labels"] = [tuple(dict.fromkeys([p, *filter(None, s.split(";"))]))
                     for p, s in zip(lab["primary"], lab["secondary"])]
    return lab, ""


def load_labels(path: Path | None = None) -> pd.DataFrame:
    """The hand-labelled set: ``region, task_id, primary, secondary, quote, note`` plus ``labels``
    (tuple: primary first, then the secondaries). Raises :class:`InputError` naming the file and the
    problem (not found, empty, not a CSV, a missing column, an unknown domain, a duplicate task id)."""
    path = Path(path or LABELS_PATH)
    lab, problem = _read_labels(path)
    if lab is None:
        raise InputError(f"{path}: {problem}.")
    return lab


def empty_labels() -> pd.DataFrame:
    """A label frame with no rows (the columns of :func:`load_labels`)."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in (*LABEL_COLUMNS, "labels")})


#: Columns of :func:`usable_labels`' warning (and of ``evaluation_warnings.csv``).
WARNING_COLUMNS = ("file", "cause", "labels", "skipped", "message")


def _first(items: Sequence[str]) -> str:
    return f" (first: {items[0]})" if items else ""


def usable_labels(tasks: pd.DataFrame | None, *, path: Path | None = None) -> tuple[pd.DataFrame, dict | None]:
    """The hand labels that still fit this build's tasks, and a warning (or None) about the rest.

    A label is scored only when the file is readable, its task id is a task of this build, of the same
    region, and its ``quote`` (when given) is still in that task's text. Everything else is skipped and
    reported in ONE warning (a dict of :data:`WARNING_COLUMNS`; its ``message`` names the file and the
    causes), never raised: the labels belong to the five seed plans and go stale when a plan is edited
    or the corpus changes.
    """
    path = Path(path or LABELS_PATH)
    shown = config.shown(path)
    lab, problem = _read_labels(path)
    if lab is None:
        cause = "not_found" if not path.is_file() else "unreadable"
        return empty_labels(), {"file": shown, "cause": cause, "labels": 0, "skipped": 0,
                                "message": f"{shown}: {problem} — domain scoring skipped; restore or fix the file"}
    n = len(lab)
    if not n:
        return empty_labels(), {"file": shown, "cause": "no_labels", "labels": 0, "skipped": 0,
                                "message": f"{shown}: a header but no labels — domain scoring skipped; "
                                           f"restore the labels"}
    if tasks is None or not len(tasks):
        text, region = {}, {}
    else:
        text = dict(zip(tasks["task_id"], tasks["text"]))
        region = dict(zip(tasks["task_id"], tasks["region"]))
    regions = set(region.values())
    absent = [r for r in dict.fromkeys(lab["region"]) if r not in regions]
    causes, parts, keep = [], [], []
    no_region, no_task, wrong_region, stale = [], [], [], []
    for row in lab.itertuples(index=False):
        if row.region not in regions:
            no_region.append(row.task_id)
        elif row.task_id not in text:
            no_task.append(row.task_id)
        elif region[row.task_id] != row.region:
            wrong_region.append(f"{row.task_id} is a {region[row.task_id]} task")
        elif row.quote and row.quote not in text[row.task_id]:
            stale.append(row.task_id)
        else:
            keep.append(True)
            continue
        keep.append(False)
    if no_region:
        causes.append("regions_not_in_build")
        parts.append(f"{len(no_region)} of {n} labels are for regions not in this build "
                     f"({', '.join(absent[:5])}{', …' if len(absent) > 5 else ''})")
    if no_task:
        causes.append("tasks_not_in_build")
        parts.append(f"{len(no_task)} of {n} labels name tasks not in this build{_first(no_task)}")
    if wrong_region:
        causes.append("region_differs")
        parts.append(f"{len(wrong_region)} of {n} labels name a task of another region{_first(wrong_region)}")
    if stale:
        causes.append("quote_not_in_task")
        parts.append(f"{len(stale)} of {n} labels quote text no longer in their task{_first(stale)}")
    usable = lab[keep].reset_index(drop=True)
    if not parts:
        return usable, None
    skipped = n - len(usable)
    todo = "relabel or rebuild the labels" if (no_task or wrong_region or stale) else \
        "expected when the corpus leaves those plans out"
    tail = "scoring skipped for them" if len(usable) else "no label left: domain validation tables written empty"
    return usable, {"file": shown, "cause": ";".join(causes), "labels": n, "skipped": skipped,
                    "message": f"{shown}: {'; '.join(parts)} — {tail}; {todo}"}


def _label_sets(frame: pd.DataFrame, column: str) -> dict[str, set[str]]:
    return {t: set(filter(None, str(v).split(";"))) if isinstance(v, str) else set(v)
            for t, v in zip(frame["task_id"], frame[column])}


def evaluate(pred: pd.DataFrame, labels: pd.DataFrame, *, method: str = "lexicon") -> pd.DataFrame:
    """Per-domain precision, recall, F1 and support (label level: primary and secondary labels),
    then ``micro``, ``macro`` (over domains with support) and ``primary_accuracy`` rows.

    ``pred`` has ``task_id``, ``domain`` and ``domains`` (``;``-separated); only labelled tasks count.
    """
    gold = dict(zip(labels["task_id"], map(set, labels["labels"])))
    gold_primary = dict(zip(labels["task_id"], labels["primary"]))
    pred = pred[pred["task_id"].isin(gold)]
    got = _label_sets(pred, "domains")
    rows = []
    tp_all = fp_all = fn_all = 0
    f1s = []
    for d in codes():
        tp = sum(1 for t in got if d in got[t] and d in gold[t])
        fp = sum(1 for t in got if d in got[t] and d not in gold[t])
        fn = sum(1 for t in got if d not in got[t] and d in gold[t])
        support = tp + fn
        p = tp / (tp + fp) if tp + fp else float("nan")
        rc = tp / support if support else float("nan")
        f1 = 2 * tp / (2 * tp + fp + fn) if (2 * tp + fp + fn) else float("nan")
        rows.append((method, d, p, rc, f1, support, tp + fp))
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        if support:
            f1s.append(f1)
    micro_p = tp_all / (tp_all + fp_all) if tp_all + fp_all else float("nan")
    micro_r = tp_all / (tp_all + fn_all) if tp_all + fn_all else float("nan")
    micro_f = 2 * tp_all / (2 * tp_all + fp_all + fn_all)
    rows.append((method, "micro", micro_p, micro_r, micro_f, tp_all + fn_all, tp_all + fp_all))
    rows.append((method, "macro", float("nan"), float("nan"), float(np.mean(f1s)), tp_all + fn_all,
                 tp_all + fp_all))
    acc = float(np.mean([gold_primary[t] == p for t, p in zip(pred["task_id"], pred["domain"])]))
    rows.append((method, "primary_accuracy", float("nan"), float("nan"), acc, len(pred), len(pred)))
    return pd.DataFrame(rows, columns=["method", "domain", "precision", "recall", "f1", "support", "n_pred"])


def confusion(pred: pd.DataFrame, labels: pd.DataFrame, *, method: str = "lexicon") -> pd.DataFrame:
    """Primary-domain confusion, long form: ``method, gold, predicted, n`` (non-zero cells)."""
    m = labels[["task_id", "primary"]].merge(pred[["task_id", "domain"]], on="task_id")
    out = (m.groupby(["primary", "domain"]).size().rename("n").reset_index()
           .rename(columns={"primary": "gold", "domain": "predicted"}))
    return out.assign(method=method)[["method", "gold", "predicted", "n"]]


def errors_table(pred: pd.DataFrame, labels: pd.DataFrame, *, method: str = "lexicon") -> pd.DataFrame:
    """Tasks where the predicted label set or primary differs from the hand label."""
    m = labels[["region", "task_id", "primary", "labels"]].merge(pred, on="task_id")
    gold = m["labels"].map(lambda t: ";".join(t))
    bad = (m["primary"] != m["domain"]) | (m["labels"].map(set) != m["domains"].map(lambda s: set(s.split(";"))))
    out = m.loc[bad, ["region", "task_id", "primary", "domain"]].assign(
        gold_domains=gold[bad], predicted_domains=m.loc[bad, "domains"], method=method)
    return out.rename(columns={"primary": "gold_primary", "domain": "predicted_primary"})[
        ["method", "region", "task_id", "gold_primary", "predicted_primary", "gold_domains", "predicted_domains"]]


def missed_headline(pred: pd.DataFrame, labels: pd.DataFrame) -> list[str]:
    """``task_id:domain`` for every hand-labelled headline domain the prediction lacks."""
    got = _label_sets(pred, "domains")
    heads = set(headline_codes())
    return [f"{t}:{d}" for t, labs in zip(labels["task_id"], labels["labels"])
            for d in labs if d in heads and d not in got.get(t, set())]


# --------------------------------------------------------------------------------------------------
# Held-out figures for what was chosen by looking at labels
# --------------------------------------------------------------------------------------------------

#: Grid for the rules most exposed to tuning on the labels (the secondary-domain rules and the enumeration factor).
TUNING_GRID = {"secondary_ratio": (0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6),
               "enumeration_factor": (0.0, 0.2, 0.5, 1.0),
               "clause_topic_min_clauses": (2, 3, 4, 6)}


def _label_counts(prep: dict, keep: np.ndarray, task_ids: Sequence[str], gold: Mapping[str, set]) -> np.ndarray:
    """Per task (in ``task_ids`` order): true positives, false positives, false negatives of the label
    set the decision ``keep`` gives (a task with nothing kept is ``other``)."""
    index = {t: i for i, t in enumerate(task_ids)}
    s = prep["s"]
    rows = s["task_id"].map(index).to_numpy()
    in_gold = prep.setdefault("_in_gold", np.array([d in gold[t] for t, d in zip(s["task_id"], s["domain"])]))
    n = len(task_ids)
    tp = np.bincount(rows[keep & in_gold], minlength=n).astype(float)
    fp = np.bincount(rows[keep & ~in_gold], minlength=n).astype(float)
    fallback = np.bincount(rows[keep], minlength=n) == 0
    other_gold = np.array([FALLBACK in gold[t] for t in task_ids])
    tp += fallback & other_gold
    fp += fallback & ~other_gold
    fn = np.array([len(gold[t]) for t in task_ids]) - tp
    return np.column_stack([tp, fp, fn])


def tune_rules_loro(tasks: pd.DataFrame, labels: pd.DataFrame, *,
                    grid: Mapping[str, Sequence[float]] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Leave one region out: choose the rules in ``grid`` on four regions (best label micro-F1, ties to
    the shipped value), predict the fifth. Returns (held-out predictions, chosen values per region)."""
    grid = grid or TUNING_GRID
    base = rules()
    gold = {t: set(v) for t, v in zip(labels["task_id"], labels["labels"])}
    tasks = tasks[tasks["task_id"].isin(gold)].reset_index(drop=True)
    task_ids = tasks["task_id"].tolist()
    regions = tasks["region"].to_numpy()
    shipped = tuple(sorted({k: getattr(base, k) for k in grid}.items()))
    counts, setting, preps = {}, {}, {}
    for vals in _product(*grid.values()):
        combo = dict(zip(grid, vals))
        r = replace(base, **combo)
        hit_key = (r.enumeration_factor, r.title_weight, r.heading_weight, r.parent_weight, r.sublinear_repeats)
        if hit_key not in preps:
            hits = score(tasks, rules_=r)
            preps[hit_key] = hits, prepare(tasks, hits, r)
        key = tuple(sorted(combo.items()))
        counts[key] = _label_counts(preps[hit_key][1], kept(preps[hit_key][1], r)[0], task_ids, gold)
        setting[key] = r, hit_key
    preds, chosen = [], []
    for region in sorted(set(regions)):
        train = regions != region

        def f1(key, train=train):
            tp, fp, fn = counts[key][train].sum(axis=0)
            return round(2 * tp / (2 * tp + fp + fn), 9)

        best = sorted(counts, key=lambda k: (-f1(k), k != shipped, k))[0]
        r, hit_key = setting[best]
        pred = decide(tasks, preps[hit_key][0], rules_=r, evidence=False)
        preds.append(pred[~train])
        chosen.append({"held_out": region, **dict(best), "train_f1": f1(best)})
    return pd.concat(preds, ignore_index=True), pd.DataFrame(chosen)


def sensitivity(tasks: pd.DataFrame, labels: pd.DataFrame, *, draws: int = 20, spread: float = 0.5,
                seed: int = 0) -> pd.DataFrame:
    """How much the results hang on the exact lexicon weights: each draw multiplies every lexicon
    entry's weight by its own factor from U(1 - spread, 1 + spread) (seeded), re-decides every task
    and scores it. One row per draw: ``label_micro_f1``, ``primary_accuracy``, ``primary_changed``
    (tasks whose primary differs from the shipped lexicon's), ``domains_changed``."""
    if not 0 <= spread < 1:
        raise UsageError(f"spread must be in [0, 1), got {spread!r}")
    hits = score(tasks)
    base = decide(tasks, hits, evidence=False)
    lex = lexicon()
    keys = list(zip(lex["term"], lex["domain"]))
    rng = np.random.default_rng(seed)
    pair = list(zip(hits["term"], hits["domain"]))
    rows = []
    for d in range(draws):
        factor = dict(zip(keys, rng.uniform(1 - spread, 1 + spread, len(keys))))
        h = hits.assign(weight=hits["weight"].to_numpy() * np.array([factor[k] for k in pair]))
        pred = decide(tasks, h, evidence=False)
        ev = evaluate(pred, labels).set_index("domain")["f1"]
        rows.append((d, ev["micro"], ev["primary_accuracy"], int((pred["domain"] != base["domain"]).sum()),
                     int((pred["domains"] != base["domains"]).sum())))
    return pd.DataFrame(rows, columns=["draw", "label_micro_f1", "primary_accuracy", "primary_changed",
                                       "domains_changed"])


def _product(*seqs):
    if not seqs:
        yield ()
        return
    for v in seqs[0]:
        for rest in _product(*seqs[1:]):
            yield (v, *rest)


# --------------------------------------------------------------------------------------------------
# Supervised baseline: TF-IDF + one-vs-rest logistic regression, leave one region out
# --------------------------------------------------------------------------------------------------

def supervised_loro(tasks: pd.DataFrame, labels: pd.DataFrame, *,
                    tokens: Mapping[str, list[str]] | None = None, threshold: float = 0.5,
                    C: float = 10.0) -> pd.DataFrame:
    """Held-out predictions of a TF-IDF + logistic-regression baseline, each region predicted by a
    model fitted on the other four. Primary = most probable domain; ``domains`` adds every other
    domain with probability >= ``threshold``. Domains absent from the training regions cannot be
    predicted (e.g. disability welfare, which only Shulan has)."""
    from sklearn.linear_model import LogisticRegression

    all_codes = codes()
    gold = {t: set(v) for t, v in zip(labels["task_id"], labels["labels"])}
    data = tasks[tasks["task_id"].isin(gold)]
    y_all = np.array([[d in gold[t] for d in all_codes] for t in data["task_id"]])
    out = []
    for region in sorted(set(data["region"])):
        in_train = (data["region"] != region).to_numpy()
        train, test = data[in_train], data[~in_train]
        vec = clusters.vectorizer(tokens=tokens)
        x_train = vec.fit_transform(clusters.documents(train, tokens=tokens))
        x_test = vec.transform(clusters.documents(test, tokens=tokens))
        prob = np.zeros((len(test), len(all_codes)))
        for j, _d in enumerate(all_codes):
            y = y_all[in_train, j]
            if y.all() or not y.any():
                prob[:, j] = float(y.all())
                continue
            model = LogisticRegression(C=C, solver="liblinear", class_weight="balanced")
            prob[:, j] = model.fit(x_train, y).predict_proba(x_test)[:, 1]
        for tid, p in zip(test["task_id"], prob):
            first = int(np.argmax(p))
            chosen = [all_codes[first]] + [all_codes[j] for j in np.argsort(-p, kind="stable")
                                           if j != first and p[j] >= threshold]
            out.append((tid, all_codes[first], ";".join(chosen),
                        " ".join(f"{all_codes[j]}={p[j]:.2f}" for j in np.argsort(-p, kind="stable")[:3])))
    return pd.DataFrame(out, columns=["task_id", *OUTPUT_COLUMNS])


# --------------------------------------------------------------------------------------------------
# The tables of the evaluate stage
# --------------------------------------------------------------------------------------------------

#: Columns of the validation tables (written with no rows when nothing can be scored).
VALIDATION_COLUMNS = ("method", "domain", "precision", "recall", "f1", "support", "n_pred")
CONFUSION_COLUMNS = ("method", "gold", "predicted", "n")
ERRORS_COLUMNS = ("method", "region", "task_id", "gold_primary", "predicted_primary", "gold_domains",
                  "predicted_domains")
TUNING_COLUMNS = ("held_out", *sorted(TUNING_GRID), "train_f1")  # as tune_rules_loro orders them
SUPERVISED_COLUMNS = ("task_id", "domain", "domains", "probabilities")
#: Leave-one-region-out figures need labels in this many regions (one to hold out, one to fit on).
LORO_MIN_REGIONS = 2


def _empty(columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def _concat_or_empty(frames: list[pd.DataFrame], columns: Sequence[str]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else _empty(columns)


def build_validation(ctx, *, path: Path | None = None) -> list[dict]:
    """Validate the classified ``ctx.tasks`` against the hand labels:
    ``domain_validation.csv`` (per-domain P/R/F1/support, micro, macro, primary accuracy for the
    lexicon in-sample, the lexicon with LORO-tuned rules and the LORO supervised baseline),
    ``domain_confusion.csv``, ``domain_errors.csv``, ``domain_tuning.csv``, ``domain_supervised.csv``.

    Never raises on the labels: only the labels that still fit the build are scored
    (:func:`usable_labels`). A missing, unreadable or stale label file, or usable labels in fewer than
    :data:`LORO_MIN_REGIONS` regions (no held-out figures), give one logged warning each, and the
    tables are written with their columns and whatever rows could be scored. Returns the warnings
    (dicts of :data:`WARNING_COLUMNS`).

    The tables depend only on the usable labels, their warning and the labelled tasks (rows and tokens): with
    the build's cache (``ctx.cache``) they are read back when those are unchanged (adding a plan to a corpus
    changes none of them).
    """
    tasks = ctx.tasks
    labels, warning = usable_labels(tasks, path=path)
    tokens = ctx.tokens or None
    store = getattr(ctx, "cache", None)
    k = None
    if store is not None:
        labelled = tasks[tasks["task_id"].isin(labels["task_id"])]
        toks = [tokens.get(t) for t in labelled["task_id"]] if tokens else None
        k = hashlib.sha256(repr(("domain_validation", getattr(ctx, "cache_salt", ""), str(path),
                                 tables.rows_digest(labels), warning, tables.rows_digest(labelled), toks)
                                ).encode("utf-8", "surrogatepass")).hexdigest()
    found = store.get(k) if k is not None else None
    if isinstance(found, tuple):
        made, warnings_ = found
    else:
        made, warnings_ = _validation_tables(tasks, labels, warning, tokens=tokens, path=path)
        if k is not None:
            store.put(k, (made, warnings_))
    for w in warnings_:
        log.warning("%s", w["message"])
    for name, (frame, sort_by) in made.items():
        ctx.add_table(name, frame, sort_by=sort_by)
    return warnings_


def _validation_tables(tasks: pd.DataFrame, labels: pd.DataFrame, warning: dict | None, *,
                       tokens: Mapping[str, list[str]] | None, path: Path | None) -> tuple[dict, list[dict]]:
    """The tables of :func:`build_validation` (name -> (frame, sort_by)) and its warnings."""
    warnings_ = [warning] if warning else []
    runs: dict[str, pd.DataFrame] = {}
    chosen = _empty(TUNING_COLUMNS)
    sup = _empty(("task_id", *OUTPUT_COLUMNS))
    if len(labels):
        runs["lexicon"] = tasks[["task_id", *OUTPUT_COLUMNS]]
        regions = sorted(set(labels["region"]))
        if len(regions) >= LORO_MIN_REGIONS:
            held_lex, chosen = tune_rules_loro(tasks, labels)
            sup = supervised_loro(tasks, labels, tokens=tokens)
            runs.update(lexicon_loro_tuned=held_lex, supervised_loro=sup)
        else:  # one line per file: added to the warning about the skipped labels, if any
            shown = config.shown(path or LABELS_PATH)
            note = (f"the usable labels cover {len(regions)} region ({', '.join(regions)}) and held-out "
                    f"scoring needs {LORO_MIN_REGIONS} — lexicon_loro_tuned and supervised_loro skipped")
            if warning:
                warning.update(cause=f"{warning['cause']};too_few_regions", message=f"{warning['message']}; {note}")
            else:
                warnings_.append({"file": shown, "cause": "too_few_regions", "labels": len(labels),
                                  "skipped": 0, "message": f"{shown}: {note}"})
    made = {
        "domain_validation.csv": (_concat_or_empty([evaluate(p, labels, method=m) for m, p in runs.items()],
                                                   VALIDATION_COLUMNS), ["method"]),
        "domain_confusion.csv": (_concat_or_empty([confusion(p, labels, method=m) for m, p in runs.items()],
                                                  CONFUSION_COLUMNS), ["method", "gold", "predicted"]),
        "domain_errors.csv": (_concat_or_empty([errors_table(p, labels, method=m) for m, p in runs.items()],
                                               ERRORS_COLUMNS), ["method", "task_id"]),
        "domain_tuning.csv": (chosen, ["held_out"]),
        "domain_supervised.csv": (sup.rename(columns={"domain_evidence": "probabilities"}), ["task_id"])}
    return made, warnings_


# --------------------------------------------------------------------------------------------------
# Views for the notebook (validation tables in, small frames out)
# --------------------------------------------------------------------------------------------------

def summary(validation: pd.DataFrame) -> pd.DataFrame:
    """One row per method: label micro-F1, macro-F1, primary accuracy (from ``domain_validation.csv``)."""
    v = pd.to_numeric(validation.set_index(["method", "domain"])["f1"], errors="coerce").unstack()
    return v[["micro", "macro", "primary_accuracy"]].rename(
        columns={"micro": "label_micro_f1", "macro": "label_macro_f1"}).round(3)


def per_domain(validation: pd.DataFrame, *, method: str = "lexicon") -> pd.DataFrame:
    """Per-domain precision, recall, F1 and support of one method, taxonomy order."""
    v = validation[(validation["method"] == method) & validation["domain"].isin(codes())]
    if v.empty:
        choices.check(method, sorted(set(validation["method"]) - {method}), what="method")
    cols = ["precision", "recall", "f1", "support", "n_pred"]
    return v.set_index("domain")[cols].apply(pd.to_numeric, errors="coerce").round(3)


def confusion_matrix(confusion_: pd.DataFrame, *, method: str = "lexicon") -> pd.DataFrame:
    """Primary-domain confusion of one method as a gold × predicted matrix (only domains that occur)."""
    c = confusion_[confusion_["method"] == method]
    m = c.pivot_table(index="gold", columns="predicted", values="n", aggfunc="sum", fill_value=0)
    order = [d for d in codes() if d in set(m.index) | set(m.columns)]
    return m.reindex(index=[d for d in order if d in m.index], columns=order, fill_value=0)

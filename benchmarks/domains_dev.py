"""Domain scores on real plans kept outside the repository, against labels that cite tasks without text.

    python benchmarks/domains_dev.py DIR LABELS [--errors]

``DIR`` holds ``index.csv`` (id, url, doc_type, …) and ``docs/ID.txt`` (a plan's text, as read), as for
``benchmarks/segmentation_dev.py``. ``LABELS`` (e.g. ``data/labels/domain_dev_labels.csv``) has one row per
labelled task: ``doc`` (the document's id in ``DIR``), ``url``, ``ordinal`` (the task's position among the
document's tasks proper, front matter excluded, from 1), ``key`` (the first 10 hex digits of the sha1 of the
task's normalised text), ``primary`` and ``secondary`` (``;``-separated). The labels hold no text: this script
re-segments the texts, finds each labelled task by its key (or, when the key is not found because the
segmentation changed, by its ordinal, and says so), classifies the tasks and prints per-domain precision,
recall, F1 and support (labels: primary and secondary), the micro and macro label F1 and the primary accuracy.
``--errors`` lists the tasks whose primary or label set differs (document, ordinal, gold, predicted; no text).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from pathlib import Path

import pandas as pd

from analysis import corpus, domains, segment, tables, tokenization
from analysis.corpus import Document
from analysis.evaluate.domains import evaluate
from analysis.segment.frames import tasks_frame

#: Hex digits of the sha1 of a task's normalised text that make its key.
KEY_LENGTH = 10
LABEL_COLUMNS = ("doc", "url", "ordinal", "key", "primary", "secondary")


def task_key(text: str) -> str:
    """The key a label file cites a task by: sha1 of its normalised text, first :data:`KEY_LENGTH` hex digits."""
    return hashlib.sha1(tokenization.normalize(text).encode("utf-8")).hexdigest()[:KEY_LENGTH]


def document_tasks(folder: Path, row: dict) -> pd.DataFrame:
    """The tasks proper of one document of ``folder`` (front matter excluded), with ``ordinal`` and ``key``;
    the text is read as the pipeline reads it (:func:`analysis.corpus.normalize`: traditional Chinese
    simplified, same offsets), and each document is its own region, so task ids are unique across documents."""
    path = folder / "docs" / f"{row['id']}.txt"
    text = corpus.normalize(path.read_text(encoding="utf-8"))[0]  # as the pipeline reads it (traditional -> simplified)
    meta = {"doc_type": row.get("doc_type") or "work_plan", "issuer": "", "task_unit": "", "layout": ""}
    doc = Document(doc_id=row["id"], region=f"dev{row['id']}", meta=meta, text=text, path=path)
    tasks = tables.proper_tasks(tasks_frame([segment.document(doc)])).reset_index(drop=True)
    return tasks.assign(ordinal=range(1, len(tasks) + 1), key=[task_key(t) for t in tasks["text"]])


def read_labels(path: Path) -> pd.DataFrame:
    import io
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines(keepends=True) if not ln.startswith("#")]
    labels = pd.read_csv(io.StringIO("".join(lines)), dtype=str, keep_default_na=False)  # '#' lines: notes
    missing = [c for c in LABEL_COLUMNS if c not in labels.columns]
    if missing:
        raise SystemExit(f"{path}: missing column(s) {', '.join(missing)}")
    labels["ordinal"] = labels["ordinal"].astype(int)
    return labels


def match(labels: pd.DataFrame, tasks: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Each label's task id (by key, else by ordinal) and notes on labels matched by ordinal or not at all."""
    by_key = {(d, k): t for d, k, t in zip(tasks["doc_id"], tasks["key"], tasks["task_id"])}
    by_ordinal = {(d, o): t for d, o, t in zip(tasks["doc_id"], tasks["ordinal"], tasks["task_id"])}
    ids, notes = [], []
    for row in labels.itertuples(index=False):
        tid = by_key.get((row.doc, row.key))
        if tid is None:
            tid = by_ordinal.get((row.doc, row.ordinal))
            notes.append(f"{row.doc}#{row.ordinal}: key {row.key} not found, "
                         + ("matched by ordinal" if tid else "no task at that ordinal: skipped"))
        ids.append(tid)
    found = labels.assign(task_id=ids).dropna(subset=["task_id"]).reset_index(drop=True)
    found["labels"] = [tuple(dict.fromkeys([p, *filter(None, s.split(";"))]))
                       for p, s in zip(found["primary"], found["secondary"])]
    return found, notes


def report(scores: pd.DataFrame) -> list[str]:
    """Per-domain lines (domains with support or predictions), then micro, macro and primary accuracy."""
    lines = [f"{'domain':22s} {'precision':>9s} {'recall':>7s} {'F1':>6s} {'support':>8s} {'predicted':>9s}"]
    per = scores[scores["domain"].isin(domains.codes()) & ((scores["support"] > 0) | (scores["n_pred"] > 0))]
    for r in per.itertuples(index=False):
        lines.append(f"{r.domain:22s} {r.precision:9.3f} {r.recall:7.3f} {r.f1:6.3f} {r.support:8d} {r.n_pred:9d}")
    s = scores.set_index("domain")
    lines.append(f"label micro: P {s.at['micro', 'precision']:.3f} R {s.at['micro', 'recall']:.3f} "
                 f"F1 {s.at['micro', 'f1']:.3f} (labels {s.at['micro', 'support']})")
    lines.append(f"label macro F1 {s.at['macro', 'f1']:.3f} (over domains with support)")
    lines.append(f"primary accuracy {s.at['primary_accuracy', 'f1']:.3f} "
                 f"({round(s.at['primary_accuracy', 'f1'] * s.at['primary_accuracy', 'support'])} of "
                 f"{s.at['primary_accuracy', 'support']} tasks)")
    return lines


def errors(found: pd.DataFrame, pred: pd.DataFrame) -> list[str]:
    m = found.merge(pred, on="task_id")
    bad = m[(m["primary"] != m["domain"]) | (m["labels"].map(set) != m["domains"].map(lambda s: set(s.split(";"))))]
    return [f"{r.doc}#{r.ordinal}: gold {';'.join(r.labels)}  predicted {r.domains}" for r in bad.itertuples()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("labels", type=Path)
    parser.add_argument("--errors", action="store_true", help="list the tasks the classifier gets wrong")
    args = parser.parse_args(argv)
    labels = read_labels(args.labels)
    rows = [r for r in csv.DictReader((args.dir / "index.csv").open(encoding="utf-8"))
            if r["id"] in set(labels["doc"])]
    if not rows:
        print("no labelled document found in DIR", file=sys.stderr)
        return 1
    tasks = pd.concat([document_tasks(args.dir, r) for r in rows], ignore_index=True)
    found, notes = match(labels, tasks)
    pred = domains.classify(tasks)
    print(f"documents: {len(rows)}; labelled tasks: {len(labels)}; matched: {len(found)}")
    for note in notes:
        print(f"note: {note}")
    for line in report(evaluate(pred, found)):
        print(line)
    if args.errors:
        for line in errors(found, pred):
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Quantity extraction on real plans from other jurisdictions: precision, recall and kind accuracy (issue 14).

    python benchmarks/quantities_dev.py DIR LABELS [--details]

``DIR`` holds ``index.csv`` (id, url, doc_type, …) and ``docs/NNN.txt`` (the texts: kept outside the
repository); ``LABELS`` is a CSV citing each quantity by document ``url`` and character offsets ``start`` /
``end`` of the figure in the text, with its ``kind``, ``unit`` and ``value`` (no text of the documents; see
``data/labels/quantity_dev_labels.csv``). Every document with a label row is scored; a document whose
figures are all non-quantities is listed with a row of kind ``none``. Each text is read as the build reads a
plan (segmented, so that a summary's parts set the kind), then extracted. A label and an extraction match
when they start at the same offset. Printed: support, precision, recall, F1, kind accuracy on the matches,
precision and recall with the kind right, value and unit agreement, per kind and per document.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

KNOWN_TYPES = ("work_plan", "task_list", "work_summary", "work_summary_and_plan", "newspaper_feature")


def read_index(folder: Path) -> dict[str, dict]:
    with open(folder / "index.csv", encoding="utf-8") as f:
        return {r["url"]: r for r in csv.DictReader(f)}


def read_labels(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [r for r in csv.DictReader(ln for ln in f if not ln.startswith("#"))]


def extracted(folder: Path, row: dict) -> list:
    """The quantities of one document, read as the build reads a plan (segmented first)."""
    from analysis import quantities, segment
    from analysis.corpus import Document, to_simplified

    path = folder / "docs" / f"{row['id']}.txt"
    text = to_simplified(path.read_text(encoding="utf-8"))[0]  # as the build reads it: offsets unchanged
    doc_type = row.get("doc_type", "")
    meta = {"doc_type": doc_type if doc_type in KNOWN_TYPES else "work_plan", "issuer": "", "task_unit": "",
            "layout": "", "year": row.get("year", "")}
    doc = Document(row["id"], f"dev{row['id']}", meta, text, path)
    try:
        tasks = segment.tasks_frame([segment.document(doc)])
    except Exception:  # noqa: BLE001 - a text the segmenter refuses is still extracted, without parts
        tasks = None
    return quantities.targets([doc], tasks).to_dict("records")


def ratio(a: int, b: int) -> float:
    return a / b if b else float("nan")


def score(folder: Path, labels: list[dict], *, details: bool = False) -> dict:
    index = read_index(folder)
    by_url: dict[str, list[dict]] = {}
    for lab in labels:
        by_url.setdefault(lab["url"], []).append(lab)
    totals = Counter()
    per_kind: dict[str, Counter] = {}
    rows = []
    for url, labs in by_url.items():
        if url not in index:
            sys.exit(f"error: label url {url} is not in {folder / 'index.csv'}")
        gold = {int(lab["start"]): lab for lab in labs if lab["kind"] != "none"}
        pred = {int(q["start"]): q for q in extracted(folder, index[url])}
        hit = set(gold) & set(pred)
        kind_ok = {s for s in hit if gold[s]["kind"] == pred[s]["kind"]}
        value_ok = {s for s in hit if float(gold[s]["value"]) == float(pred[s]["value"])
                    and gold[s]["unit"] == pred[s]["unit"]}
        c = Counter(gold=len(gold), pred=len(pred), tp=len(hit), kind=len(kind_ok), value=len(value_ok))
        totals.update(c)
        for s, g in gold.items():
            k = per_kind.setdefault(g["kind"], Counter())
            k["gold"] += 1
            k["tp_kind"] += s in kind_ok
        for q in pred.values():
            k = per_kind.setdefault(q["kind"], Counter())
            k["pred"] += 1
        rows.append((index[url]["id"], c))
        if details:
            for s in sorted(set(gold) | set(pred)):
                g, q = gold.get(s), pred.get(s)
                if g and q and s in kind_ok and s in value_ok:
                    continue
                print(f"  {index[url]['id']} @{s}: gold={g and (g['kind'], g['value'], g['unit'])} "
                      f"pred={q and (q['kind'], q['value'], q['unit'], q['span'])}")
    return {"totals": totals, "per_kind": per_kind, "docs": rows}


def report(result: dict) -> None:
    t = result["totals"]
    p, r = ratio(t["tp"], t["pred"]), ratio(t["tp"], t["gold"])
    f1 = 2 * p * r / (p + r) if p + r else float("nan")
    print(f"documents {len(result['docs'])}, gold quantities (support) {t['gold']}, extracted {t['pred']}")
    print(f"detection: precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}")
    print(f"kind accuracy on matches {ratio(t['kind'], t['tp']):.3f}; with the kind right: "
          f"precision {ratio(t['kind'], t['pred']):.3f}  recall {ratio(t['kind'], t['gold']):.3f}")
    print(f"value and unit right on matches {ratio(t['value'], t['tp']):.3f}")
    print("per kind (gold support, precision and recall with the kind right):")
    for kind, k in sorted(result["per_kind"].items()):
        print(f"  {kind:12s} support {k['gold']:4d}  precision {ratio(k['tp_kind'], k['pred']):.3f}  "
              f"recall {ratio(k['tp_kind'], k['gold']):.3f}")
    print("per document (id: gold / extracted / matched / kind right):")
    print("  " + "  ".join(f"{i}: {c['gold']}/{c['pred']}/{c['tp']}/{c['kind']}" for i, c in result["docs"]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("labels", type=Path)
    ap.add_argument("--details", action="store_true", help="print every disagreement")
    args = ap.parse_args(argv)
    report(score(args.dir, read_labels(args.labels), details=args.details))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Development scores of segmentation on real plans kept outside the repository.

    python benchmarks/segmentation_dev.py DIR

``DIR`` holds ``index.csv`` (id, url, doc_type, shape, …), ``docs/ID.txt`` (a plan's text, as read) and
``gold/ID.json`` (``{"tasks": [opening of each task a careful reader counts], "non_task": [...]}``).
The texts stay outside the repository (docs/development-corpus.csv lists what was studied); this script
only reads them. It prints, per document and overall:

- ``exact``: share of the reader's tasks that come out as exactly one task (the produced task holding the
  task's opening holds no other task's opening, and no other produced task starts before the next opening);
- ``real``: share of produced tasks that hold a real task (at least one task opening);
- ``lost``: characters in no task and no boilerplate row.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from pathlib import Path

from analysis import segment
from analysis.corpus import Document, simplify
from analysis.segment import spans as sp
from analysis.segment.patterns import BULLET_PREFIX_RE
from analysis.segment.units import NON_TASK_UNITS



def score(seg: segment.Segmentation, gold: dict, *, source: str | None = None) -> dict:
    """The scores of one document; gold openings are found in ``source`` (the text as saved, before a
    traditional text is simplified: the offsets are the same) or else in the segmented text."""
    text = source if source is not None else seg.doc.text
    starts = sorted({text.find(s) for s in gold["tasks"] if text.find(s) >= 0})
    real = [t for t in seg.tasks if t.unit not in NON_TASK_UNITS]
    holders = [[g for g in starts if t.start <= g < t.end] for t in real]
    marks = sorted(set(starts) | {p for s in gold.get("non_task", []) if (p := text.find(s)) >= 0})
    exact = 0
    for t, h in zip(real, holders):
        if len(h) != 1:
            continue  # merged with another task (or holding none)
        nxt = next((m for m in marks if m > h[0]), len(text))
        if not any(u is not t and h[0] < u.start < nxt and text[u.start:nxt].strip()
                   and not BULLET_PREFIX_RE.fullmatch(text, u.start, nxt)
                   for u in real):  # not split into pieces (a task opening at the bullet before the next is none)
            exact += 1
    covered = [(t.start, t.end) for t in seg.tasks] + [(s, e) for _, s, e in seg.boilerplate]
    lost = sum(sp.nonspace(text[a:b]) for a, b in sp.holes(text, covered))
    return {"gold": len(starts), "produced": len(real), "exact": exact,
            "real": sum(1 for h in holders if h), "lost": lost, "missing": len(gold["tasks"]) - len(starts)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--quiet", action="store_true", help="only the totals")
    parser.add_argument("--exclude", nargs="*", default=[], help="document ids to leave out (e.g. a seed plan)")
    args = parser.parse_args(argv)
    index = args.dir / "index.csv"
    rows = list(csv.DictReader(index.open(encoding="utf-8"))) if index.is_file() else \
        [{"id": p.stem} for p in sorted((args.dir / "gold").glob("*.json"))]
    total, by_shape, scored = Counter(), {}, 0
    for row in rows:
        gold_path = args.dir / "gold" / f"{row['id']}.json"
        doc_path = args.dir / "docs" / f"{row['id']}.txt"
        if not gold_path.is_file() or not doc_path.is_file() or row["id"] in args.exclude:
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        meta = {"doc_type": row.get("doc_type") or "work_plan", "issuer": "", "task_unit": "", "layout": ""}
        source = doc_path.read_text(encoding="utf-8")
        text, _ = simplify(source)  # as the build reads it: offsets unchanged
        doc = Document(doc_id=row["id"], region="dev", meta=meta, text=text, path=doc_path)
        seg = segment.document(doc)
        s = score(seg, gold, source=source)
        scored += 1
        total.update(s)
        by_shape.setdefault(row.get("shape", ""), Counter()).update(s)
        if not args.quiet:
            print(f"{row['id']} {seg.layout:10s} {seg.task_unit:6s} gold {s['gold']:3d} produced {s['produced']:3d} "
                  f"exact {s['exact']:3d} real {s['real']:3d} lost {s['lost']}  {row.get('shape', '')[:40]}")
    if not total["gold"]:
        print("no scored documents", file=sys.stderr)
        return 1
    print(f"documents scored: {scored}")
    print(f"exact: {total['exact']}/{total['gold']} = {total['exact'] / total['gold']:.3f} of the reader's tasks")
    print(f"real:  {total['real']}/{total['produced']} = {total['real'] / max(1, total['produced']):.3f} of produced tasks")
    print(f"lost characters: {total['lost']}; gold openings not found in the text: {total['missing']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The tables segmentation writes, and plain-string views of tasks for later stages."""

from __future__ import annotations

import pandas as pd

from analysis import schema
from analysis.segment import spans as sp
from analysis.segment.units import NON_TASK_UNITS, TASK_COLUMNS, Segmentation


def tasks_frame(segs: list[Segmentation]) -> pd.DataFrame:
    rows = []
    for seg in segs:
        d = seg.doc
        for t in seg.tasks:
            text = d.text[t.start:t.end]
            rows.append((d.region, d.doc_id, seg.task_id(t), t.unit, t.unit in NON_TASK_UNITS, t.section_no, t.section,
                         t.item_no, t.clause_no, t.title, text, t.start, t.end, t.body_start, t.goal, t.leader,
                         t.department, sp.nonspace(text), t.part, t.result_start))  # in the order of TASK_COLUMNS
    frame = pd.DataFrame(rows, columns=TASK_COLUMNS)  # ids are unique: segment._unique suffixes repeats
    frame["result_start"] = frame["result_start"].astype("Int64")  # empty where the task has no progress cell
    return frame.sort_values(["doc_id", "start"], kind="mergesort").reset_index(drop=True)


#: ``sources.csv``: one row per document — the original file and its hash, the format it was read as, the
#: extracted text (written to ``data/interim/`` for other formats than plain text) and its hash.
SOURCE_COLUMNS = schema.columns("sources.csv")
#: ``task_sources.csv``: one row per task — where its text stands in the original file.
TASK_SOURCE_COLUMNS = schema.columns("task_sources.csv")


def interim_name(file: str) -> str:
    """The extracted text's file name in ``data/interim/`` for an original named ``file``."""
    return f"{file}.txt"


def sources_frame(segs: list[Segmentation]) -> pd.DataFrame:
    import hashlib

    rows = []
    for seg in segs:
        d = seg.doc
        other = d.source_format != "text"
        rows.append((d.region, d.doc_id, d.meta.get("file", ""), d.source_format, d.meta.get("sha256", ""),
                     f"interim/{interim_name(d.meta.get('file', ''))}" if other else "",
                     hashlib.sha256(d.original_text.encode("utf-8")).hexdigest(), len(d.original_text),
                     d.original_text.count("\n"), max((b.page for b in d.blocks), default=0),
                     " | ".join(n for n in d.notes) if other else ""))
    return pd.DataFrame(rows, columns=SOURCE_COLUMNS)


def task_sources_frame(segs: list[Segmentation]) -> pd.DataFrame:
    from analysis import readers

    rows = []
    for seg in segs:
        d = seg.doc
        blocks = d.locations()
        starts = [b.start for b in blocks]
        for t in seg.tasks:
            found = readers.covering(blocks, t.start, t.end, starts)
            rows.append((d.region, d.doc_id, seg.task_id(t), t.start, t.end, d.source_format,
                         readers.describe(found), found[0].where if found else "", found[-1].where if found else ""))
    frame = pd.DataFrame(rows, columns=TASK_SOURCE_COLUMNS)
    return frame.sort_values(["doc_id", "start"], kind="mergesort").reset_index(drop=True)


def clauses_frame(segs: list[Segmentation]) -> pd.DataFrame:
    rows = []
    for seg in segs:
        d = seg.doc
        ids = [seg.task_id(t) for t in seg.tasks]
        seen: dict[str, int] = {}
        for c in seg.clauses:
            tid = ids[c.task_index]
            cid = f"{tid}.{c.n}"
            seen[cid] = seen.get(cid, 0) + 1  # a marker number repeating inside one task (a table of counts)
            cid = f"{cid}~{seen[cid]}" if seen[cid] > 1 else cid
            rows.append((d.region, d.doc_id, tid, cid, c.marker, c.start, c.end, d.text[c.start:c.end]))
    return pd.DataFrame(rows, columns=schema.columns("clauses.csv"))


def documents_frame(segs: list[Segmentation]) -> pd.DataFrame:
    rows = []
    for seg in segs:
        d = seg.doc
        meta = {k: v for k, v in d.meta.items() if k not in ("layout", "task_unit", "encoding")}
        real = [t for t in seg.tasks if t.unit not in NON_TASK_UNITS]
        rows.append({**meta, "doc_id": d.doc_id, "region": d.region, "jurisdiction": d.jurisdiction,
                     "layout": seg.layout, "task_unit": seg.task_unit, "encoding": d.encoding,
                     "n_chars": sp.nonspace(d.text), "n_sections": seg.n_sections, "n_tasks": len(real),
                     "n_clauses": sum(1 for c in seg.clauses if seg.tasks[c.task_index].unit not in NON_TASK_UNITS),
                     "n_boilerplate_chars": sum(sp.nonspace(d.text[s:e]) for _, s, e in seg.boilerplate),
                     "share_tiled": round(seg.coverage, 6), "n_warnings": len(seg.notes)})
    return pd.DataFrame(rows).reindex(columns=schema.columns("documents.csv"), fill_value="")


def boilerplate_frame(segs: list[Segmentation]) -> pd.DataFrame:
    rows = [{"region": s.doc.region, "doc_id": s.doc.doc_id, "kind": k, "start": a, "end": b,
             "text": s.doc.text[a:b]} for s in segs for k, a, b in s.boilerplate]
    return pd.DataFrame(rows, columns=schema.columns("boilerplate.csv"))


def warnings_frame(segs: list[Segmentation]) -> pd.DataFrame:
    rows = [{"region": s.doc.region, "doc_id": s.doc.doc_id, "kind": n.kind, "start": n.start,
             "message": n.message} for s in segs for n in s.notes]
    return pd.DataFrame(rows, columns=schema.columns("segmentation_warnings.csv"))


def cell(tasks: pd.DataFrame, column: str) -> pd.Series:
    """A text column of ``tasks`` as strings (empty where absent)."""
    if column not in tasks.columns:
        return pd.Series("", index=tasks.index)
    return tasks[column].fillna("").astype(str)


def task_views(tasks: pd.DataFrame) -> pd.DataFrame:
    """Per task (same index as ``tasks``): ``heading``, ``body`` and ``cells`` as plain strings.

    ``heading`` is the text before ``body_start`` (a section heading the first task of a section carries).
    ``body`` is the task's own text; for task-list rows (``goal`` filled) it is the 重点工作事项 and
    工作目标 cells, without the row number and the leader / department cells. ``cells`` are those
    leader / department cells (names of people and offices), joined by a newline.
    """
    missing = [c for c in ("task_id", "region", "text") if c not in tasks.columns]
    if missing:
        from analysis.errors import InputError

        raise InputError(f"tasks table lacks column(s) {', '.join(missing)}.")
    text = tasks["text"].fillna("").astype(str)
    if {"start", "body_start"} <= set(tasks.columns):
        cut = (tasks["body_start"].astype(int) - tasks["start"].astype(int)).clip(lower=0)
    else:
        cut = pd.Series(0, index=tasks.index)
    heading = pd.Series([t[:c] for t, c in zip(text, cut)], index=tasks.index)
    own = pd.Series([t[c:] for t, c in zip(text, cut)], index=tasks.index)
    goal, title = cell(tasks, "goal"), cell(tasks, "title")
    is_row = goal.str.strip() != ""
    body = own.where(~is_row, title + "\n" + goal)
    cells = cell(tasks, "leader") + "\n" + cell(tasks, "department")
    return pd.DataFrame({"heading": heading, "body": body, "cells": cells.str.strip()}, index=tasks.index)




def summary_lines(segs: list[Segmentation]) -> list[str]:
    """One line per document for the build's output: layout, task level, tasks, warnings, and a flag on
    documents that fell back to paragraphs, lost text or look doubtful (details in the warnings table)."""
    out = []
    for seg in segs:
        kinds = [n.kind for n in seg.notes]
        n_tasks = sum(1 for t in seg.tasks if t.unit not in NON_TASK_UNITS)
        flags = [f for f, k in (("FALLBACK", "fallback"), ("LOST TEXT", "uncovered"), ("DOUBTFUL", "doubt"))
                 if k in kinds]
        flag = f"  <- {', '.join(flags)}: see segmentation_warnings.csv" if flags else ""
        out.append(f"  {seg.doc.doc_id} {seg.doc.region}: {seg.layout}, task level {seg.task_unit}, "
                   f"{n_tasks} tasks, {len(seg.notes)} warnings{flag}")
    return out

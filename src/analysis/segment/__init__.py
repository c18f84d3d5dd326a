"""Segmentation: each document -> sections -> tasks -> clauses, every unit with offsets into the raw text.

Four layouts, detected from the text (or named in the manifest's ``layout`` column):

- ``outline``: ``一、`` sections with ``(一)`` / ``（一）`` items (work plans and summaries);
- ``table``: a pipe table, one task per row, wrapped cells joined, part headings ``一、…`` as sections;
- ``feature``: a newspaper feature with numbered themes (a number alone on a line), each theme split
  into its ``在……方面`` passages;
- ``paragraphs``: the fallback for text with no recognizable numbering (one task per paragraph, or per
  sentence when there is a single paragraph), always with a warning.

Inside every task, ``一是/二是`` and ``1. / 1、`` markers cut clauses. Where the manifest's
``task_unit`` is ``clause``, those clauses are the tasks. Tasks tile the document: the first task of a
section also holds the section heading; the front matter before the first section is its own
``preamble`` unit. Web-page boilerplate (footers, page metadata) and trailing signatures are dropped
and listed; numbering gaps are kept as in the source and listed as warnings; every non-whitespace
character outside a task is reported.
"""


from __future__ import annotations

import bisect
from dataclasses import replace

from analysis.corpus import Document
from analysis.errors import InputError
from analysis.segment import glosses, spans as sp
from analysis.segment.boilerplate import boilerplate_patterns, find_boilerplate
from analysis.segment.clauses import clause_markers, clauses, promote_clauses, split_label_entries, split_lead_measures
from analysis.segment.frames import (
    boilerplate_frame,
    cell,
    clauses_frame,
    documents_frame,
    sources_frame,
    summary_lines,
    task_sources_frame,
    task_views,
    tasks_frame,
    warnings_frame,
)
from analysis.segment.layouts import (
    ATTACHED_PART,
    LAYOUT_PARSERS,
    attached_table,
    LAYOUT_UNITS,
    content_bounds,
    detect_layout,
    page_marks,
    paragraphs,
)
from analysis.segment.patterns import (
    CJK_GAP_RE,
    CLOSING_LINE_MAX,
    DIGIT_CLAUSE_RE,
    DOC_TYPE_PART,
    DOUBT_LONG_TASK,
    DOUBT_PREAMBLE_MIN,
    DOUBT_PREAMBLE_SHARE,
    DOUBT_SHORT_TASK,
    PLAN_LEAD_RE,
    PART_RE,
    PLAN_PART_RE,
    PUNCT_RE,
    RESULT_PART_RE,
    REVIEW_OPEN_RE,
    SENTENCE_END_RE,
    SHI_ENDINGS,
    STRAY_RUN_MAX,
)
from analysis.segment.spans import cn_int, coverage, gc_paused
from analysis.segment.tables_of_counts import statistics_table
from analysis.segment.units import NON_TASK_UNITS, Clause, Note, Segmentation, Task

__all__ = ["CJK_GAP_RE", "DIGIT_CLAUSE_RE", "Clause", "Document", "Note", "Segmentation", "Task", "boilerplate_patterns",
           "build", "cell", "clause_markers", "clauses", "cn_int", "coverage", "detect_layout", "document",
           "find_boilerplate", "gc_paused", "summary_lines", "task_views"]


def _cjk_run(text: str, pos: int, step: int, stop: int) -> int:
    """Length of the run of CJK characters from ``pos`` going ``step`` (+1 / -1), at most STRAY_RUN_MAX + 1."""
    n = 0
    while n <= STRAY_RUN_MAX and (pos >= stop if step < 0 else pos < stop) and "\u3400" <= text[pos] <= "\u9fff":
        n += 1
        pos += step
    return n


def _stray_spaces(text: str, gaps) -> list[tuple[int, int]]:
    """The gaps (spaces inside a run of CJK text) that are layout defects: in a prose line (one with
    punctuation; lists of names, captions and table cells use spaces to separate items), with a very short
    CJK run on one side (扎 实, 政 府, 工作力 量). Lines and cells end at a line break or a bar."""
    breaks = [k for k, ch in enumerate(text) if ch in "\n|"]
    prose: dict[int, bool] = {}
    out = []
    for start, end in gaps:
        k = bisect.bisect_left(breaks, start)
        line_start = breaks[k - 1] + 1 if k else 0
        k2 = bisect.bisect_left(breaks, end)
        stop = breaks[k2] if k2 < len(breaks) else len(text)
        if line_start not in prose:
            prose[line_start] = bool(PUNCT_RE.search(text, line_start, stop))
        if not prose[line_start]:
            continue
        left = _cjk_run(text, start - 1, -1, line_start)
        right = _cjk_run(text, end, 1, min(end + 40, len(text)))
        if min(left, right) <= STRAY_RUN_MAX:
            out.append((start, end))
    return out


def _defects(doc: Document, tasks: list[Task], doc_boiler: list[tuple[str, int, int]]) -> list[Note]:
    text = doc.text
    notes = []
    spans = sorted((t.start, t.end) for t in tasks)
    starts = [s for s, _ in spans]
    boiler = sorted((s, e) for _, s, e in doc_boiler)
    b_starts = [s for s, _ in boiler]

    def in_boiler(pos: int) -> bool:
        k = bisect.bisect_right(b_starts, pos) - 1
        return k >= 0 and pos < boiler[k][1]

    gaps = []
    for m in CJK_GAP_RE.finditer(text):
        k = bisect.bisect_right(starts, m.start()) - 1
        if k < 0 or m.start() >= spans[k][1] or in_boiler(m.start()):
            continue  # boilerplate (page tools: 大 中 小, padded metadata labels), not a task's text
        gaps.append((m.start(), m.end()))
    for a, b in _stray_spaces(text, gaps):
        ctx = text[max(0, a - 4):b + 4].replace("\n", " ")
        notes.append(Note("defect", a, f"likely stray space inside a word ({ctx!r}); "
                                       f"closed when tokenizing if a word spans it"))
    for t in tasks:
        seg = text[t.start:t.end]
        if seg.count("“") != seg.count("”"):
            notes.append(Note("defect", t.start, f"unbalanced quotation marks in {t.title[:16]!r} "
                                                 f"({seg.count('“')} “ vs {seg.count('”')} ”)"))
    return notes


def document(doc: Document) -> Segmentation:
    """Segment one document into tasks and clauses, with boilerplate, warnings and coverage.

    A document whose converter wrote pinyin after its characters (會(huì)議) is segmented without the glosses
    and its units mapped back (:mod:`analysis.segment.glosses`).
    """
    stripped = glosses.view(doc)
    if stripped is None:
        return _segmented(doc)
    return glosses.restore(_segmented(stripped[0]), doc, stripped[1])


def _segmented(doc: Document) -> Segmentation:
    """:func:`document` of a text without glosses.

    The layout comes from the manifest's ``layout`` or is detected; the task level from ``task_unit``
    (item / clause, honoured as given) or, when it is empty or ``auto``, per item: an item whose body is a
    run of 一是/二是… clauses becomes those clauses. Text that no unit claims is joined to the unit before it
    (with a warning), so every character ends in a task or a listed boilerplate row.
    """
    boiler = find_boilerplate(doc)
    boiler_starts = sorted(s for _, s, _ in boiler)
    first, last = content_bounds(doc.text, boiler)
    layout = doc.layout if doc.layout != "auto" else detect_layout(doc.text[first:last])
    notes = [Note("encoding", 0, n) for n in doc.notes]
    if first >= last:
        return Segmentation(doc, layout, [], [], boiler, notes + [Note("fallback", 0, "no text besides boilerplate")])
    split = attached_table(doc.text, first, last) if doc.layout == "auto" and layout == "table" else None
    if split is not None:  # a plan's text, then its task list as a table: each part in its own layout
        tasks, more, n_sections = LAYOUT_PARSERS["outline"](doc, first, sp.rstrip(doc.text, first, split), boiler_starts)
        rows, more_rows, _ = LAYOUT_PARSERS["table"](doc, split, last, boiler_starts)
        tasks += [replace(t, section_no=t.section_no + ATTACHED_PART) for t in rows]
        more += more_rows + [Note("layout", split, f"a table after the plan's text (an attached task list): its "
                                                   f"rows are tasks of parts {ATTACHED_PART}+")]
        layout = "outline+table"
    else:
        tasks, more, n_sections = LAYOUT_PARSERS[layout](doc, first, last, boiler_starts)
    notes += more
    if not [t for t in tasks if t.unit != "preamble"] and layout != "paragraphs":  # framing parts are units
        if doc.layout != "auto":  # the manifest forced a layout that does not fit: never replaced silently
            raise InputError(f"{doc.path}: layout {layout!r} (manifest, doc_id {doc.doc_id}) finds no "
                             f"{LAYOUT_UNITS[layout]} in this document — leave the 'layout' column empty to detect "
                             f"it, or name another ({', '.join(LAYOUT_PARSERS)})")
        tasks, more, n_sections = paragraphs(doc, first, last, boiler_starts)
        notes += [Note("fallback", first, f"layout {layout!r} found no units")] + more
        layout = "paragraphs"
    tasks, more = _claim_gaps(doc.text, tasks, boiler, first, last)
    notes += more
    tasks = _trim_starts(doc.text, tasks)
    unit = doc.meta.get("task_unit") or "auto"
    run_in = any(n.kind == "run_in" for n in notes)
    found, more = clauses(doc, tasks, aspects=unit == "auto", run_in=run_in and unit == "auto",
                          skip=frozenset(page_marks(doc.text, first, last)))
    notes += more
    if unit in ("clause", "auto"):
        n_before = len(tasks)
        tasks, found = promote_clauses(tasks, found, auto=unit == "auto", text=doc.text,
                                       run_in=run_in)
        if unit == "auto":
            tasks, found = split_label_entries(doc.text, tasks, found)  # 标签：…。标签：…。 entries run together
            if layout == "paragraphs":
                tasks, found = split_lead_measures(doc.text, tasks, found)  # 某某表示，要…。加强…。做好…。
            unit = "item" if len(tasks) == n_before else "mixed"
            if layout == "paragraphs":
                tasks, found = _lead_paragraphs(doc.text, tasks, found)
                tasks, found = _continued_clauses(tasks, found)
    tasks = [replace(t, unit="framing") if t.unit not in NON_TASK_UNITS and statistics_table(doc.text, t.start, t.end)
             else t for t in tasks]  # a part that is a table of counts: figures, not a task
    parts = [m.start() for m in PART_RE.finditer(doc.text)]  # 第一部分 … headings
    tasks = _parts(doc, tasks, parts=parts)
    tasks, more = _unique(tasks, parts=parts if n_sections else [])
    notes += more
    seg = Segmentation(doc, layout, tasks, found, boiler, notes, n_sections, task_unit=unit)
    seg.notes += _defects(doc, tasks, boiler) + uncovered(seg) + _doubts(seg)
    return seg


def _lead_paragraphs(text: str, tasks: list[Task], found: list[Clause]) -> tuple[list[Task], list[Clause]]:
    """In a text with no numbering whose one paragraph lists its demands (一是…二是…, 一要…二要…, a slogan's
    parts), the plain paragraphs before that list are its lead (a news report's who, when and what), not tasks:
    they join the preamble. Paragraphs after the list stay tasks, but for a report's closing lines (one short
    sentence each: 各乡镇分管负责人参加了会议。), which join the last demand."""
    first = next((k for k, t in enumerate(tasks) if t.unit == "clause"), None)
    if not first or any(t.unit not in ("preamble", "paragraph", "framing") for t in tasks[:first]):
        return tasks, found
    tasks, found = _closing_lines(text, tasks, found)
    # A review of the year after the lead (会议指出，2025年…) is what was done: it and what follows stay as they are.
    first = next((k for k in range(1, first) if tasks[k].unit == "paragraph" and
                  REVIEW_OPEN_RE.match(text, tasks[k].start, tasks[k].end)), first)
    lead = tasks[:first]
    pre = Task("preamble", 0, "", 0, 0, lead[0].title, lead[0].start, lead[-1].end, lead[0].start)
    index = {first + k: 1 + k for k in range(len(tasks) - first)}  # old task index -> new
    kept = [replace(c, task_index=index[c.task_index]) for c in found if c.task_index >= first]
    return [pre] + tasks[first:], [Clause(0, 1, "", pre.start, pre.end)] + kept


def _continued_clauses(tasks: list[Task], found: list[Clause]) -> tuple[list[Task], list[Clause]]:
    """A paragraph whose one 三是 goes on from the 二是 of the clause task before it (a paragraph break inside a
    clause, as a hard-wrapped text makes): the text before its marker ends that clause, the marker starts the next."""
    by_task: dict[int, list[Clause]] = {}
    for c in found:
        by_task.setdefault(c.task_index, []).append(c)
    for i in range(1, len(tasks)):
        t, prev = tasks[i], tasks[i - 1]
        cs, pcs = by_task.get(i, []), by_task.get(i - 1, [])
        if t.unit != "paragraph" or prev.unit != "clause" or len(cs) != 2 or cs[0].marker or not pcs:
            continue
        marker, before = cs[1].marker, pcs[-1]
        family = prev.title.rsplit("：", 1)[-1]
        if not marker.endswith(SHI_ENDINGS) or not family.endswith(marker[-1:]) or cs[1].n != prev.clause_no + 1:
            continue
        cut = cs[1].start
        tasks[i - 1] = replace(prev, end=cut)
        by_task[i - 1] = pcs[:-1] + [replace(before, end=cut)]
        tasks[i] = replace(t, unit="clause", clause_no=cs[1].n, start=cut, body_start=cut,
                           title=f"{prev.title.rsplit('：', 1)[0]}：{marker}")
        by_task[i] = [replace(cs[1], n=1)]
    return tasks, [c for k in sorted(by_task) for c in by_task[k]]


def _closing_lines(text: str, tasks: list[Task], found: list[Clause]) -> tuple[list[Task], list[Clause]]:
    """Short one-sentence paragraphs after the last demand of a report (its closing lines) join that demand."""
    last = max(k for k, t in enumerate(tasks) if t.unit == "clause")
    tail = tasks[last + 1:]
    if not tail or not all(t.unit == "paragraph" and sp.nonspace(text[t.start:t.end]) <= CLOSING_LINE_MAX and
                           len(SENTENCE_END_RE.findall(text, t.start, sp.rstrip(text, t.start, t.end) - 1)) == 0
                           for t in tail):
        return tasks, found
    end = tail[-1].end
    kept = [replace(c, end=end) if c.task_index == last and c.end == tasks[last].end else c
            for c in found if c.task_index <= last]
    return tasks[:last] + [replace(tasks[last], end=end)], kept


def _doubts(seg: Segmentation) -> list[Note]:
    """Signs that a document's tasks may be merged or split, or its text mostly not in tasks."""
    text = seg.doc.text
    real = [t for t in seg.tasks if t.unit not in NON_TASK_UNITS]
    sizes = [sp.nonspace(text[t.start:t.end]) for t in real]
    content = sum(sizes) + sum(sp.nonspace(text[t.start:t.end]) for t in seg.tasks if t.unit in NON_TASK_UNITS)
    notes = []
    if not real:
        return [Note("doubt", 0, "no tasks found: check the layout (documents.csv) or name one in the manifest")]
    long = [t for t, n in zip(real, sizes) if n > DOUBT_LONG_TASK]
    if long:
        notes.append(Note("doubt", long[0].start, f"{len(long)} task(s) over {DOUBT_LONG_TASK} characters, e.g. "
                                                  f"{long[0].title[:16]!r}: several tasks merged?"))
    short = sum(1 for n in sizes if n < DOUBT_SHORT_TASK)
    if len(real) >= 4 and short > len(real) / 2:
        notes.append(Note("doubt", real[0].start, f"{short} of {len(real)} tasks under {DOUBT_SHORT_TASK} characters: "
                                                  f"a table or list split cell by cell?"))
    pre = content - sum(sizes)
    if content >= DOUBT_PREAMBLE_MIN and pre / content > DOUBT_PREAMBLE_SHARE:
        notes.append(Note("doubt", 0, f"{pre / content:.0%} of the text is front matter before the first task: "
                                      f"numbering not recognized?"))
    return notes


def _claim_gaps(text: str, tasks: list[Task], boiler, first: int, last: int) -> tuple[list[Task], list[Note]]:
    """Join text between units that no unit claims (after a boilerplate line inside a unit) to the unit
    before it; text before the first unit becomes (or joins) the preamble."""
    if not tasks:
        return tasks, []
    holes = sp.holes(text, [(s, e) for _, s, e in boiler] + [(t.start, t.end) for t in tasks], start=first, end=last)
    if not holes:
        return tasks, []
    tasks = sorted(tasks, key=lambda t: t.start)
    starts = [t.start for t in tasks]
    notes = []
    for a, b in holes:
        k = bisect.bisect_right(starts, a) - 1
        if k < 0:  # before the first unit: the preamble
            tasks.insert(0, Task("preamble", 0, "", 0, 0, sp.title(text, a, b), a, b, a))
            starts.insert(0, a)
            continue
        t = tasks[k]
        tasks[k] = replace(t, end=max(t.end, b))
        if t.unit not in NON_TASK_UNITS:
            notes.append(Note("joined", a, f"{sp.nonspace(text[a:b])} characters after a boilerplate line joined to "
                                       f"{t.title[:16]!r}: {text[a:b][:30]!r}"))
    return tasks, notes


def _trim_starts(text: str, tasks: list[Task]) -> list[Task]:
    """A task starts at its first character: the indentation before it (and blank lines) ends the unit
    before, so a task never starts in the whitespace ahead of the next task's opening."""
    tasks = sorted(tasks, key=lambda t: t.start)
    out: list[Task] = []
    for t in tasks:
        start = sp.lstrip(text, t.start, t.end)
        if start != t.start and start < t.end:
            if out and out[-1].end == t.start:
                out[-1] = replace(out[-1], end=start)
            t = replace(t, start=start, body_start=max(t.body_start, start))
        out.append(t)
    return out


def _unique(tasks: list[Task], *, parts: list[int] = ()) -> tuple[list[Task], list[Note]]:
    """Tasks whose numbers repeat an earlier task's (a list restarting without a heading) get a repeat count,
    so that every task id is unique; each repeat is warned about, but for the numbers that start afresh in a
    new part (第二部分: at the offsets ``parts``)."""
    seen: dict[tuple[int, int, int], int] = {}
    where: dict[tuple[int, int, int], int] = {}
    out, notes = [], []
    for t in tasks:
        key = (t.section_no, t.item_no, t.clause_no)
        n = seen.get(key, 0)
        seen[key] = n + 1
        part, where[key] = where.get(key), bisect.bisect_right(parts, t.start)
        if n and t.unit not in NON_TASK_UNITS:
            t = replace(t, repeat=n)
            if part != where[key]:
                out.append(t)
                continue
            notes.append(Note("repeat", t.start, f"number {t.item_no} repeats in part {t.section_no}: "
                                                 f"task {t.title[:16]!r} gets the id suffix ~{n + 1}"))
        out.append(t)
    return out, notes


def _parts(doc: Document, tasks: list[Task], *, parts: list[int] = ()) -> list[Task]:
    """Tag each task with what its part of the document does: ``plan`` or ``result``.

    The document type gives the default (a summary reports results); a section heading that names a plan
    (下一步工作打算, 2024年工作计划) or a summary (上半年工作总结) overrides it for its tasks, after the heading
    of the part (第二部分 …, at the offsets ``parts``) they stand in.
    """
    default = DOC_TYPE_PART.get(doc.meta.get("doc_type", ""), "plan")
    heads = [(p, doc.text[p:sp.line_end(doc.text, p)]) for p in parts]
    out, turned = [], set()  # sections of a summary whose paragraphs turned to plans (下一步，…)
    for t in tasks:
        part = default
        k = bisect.bisect_right(parts, t.start) - 1
        for head in (heads[k][1] if k >= 0 else "", t.section or (t.title if t.unit == "item" and t.item_no == 0
                                                                  else "")):
            plan = result = None  # a part heading (第二部分 工作计划), then the section's heading, decide
            if head:
                plan, result = PLAN_PART_RE.search(head), RESULT_PART_RE.search(head)
                if plan and not result or plan and result and plan.start() > result.start():
                    part = "plan"
                elif result:
                    part = "result"
        if part == "result" and not plan and t.unit not in NON_TASK_UNITS:
            line = doc.text.rfind("\n", 0, t.body_start) + 1
            if t.section_no in turned or PLAN_LEAD_RE.match(doc.text, max(line, t.start), t.end):
                turned.add(t.section_no)
                part = "plan"
        out.append(replace(t, part=part) if t.unit not in NON_TASK_UNITS else t)
    return out


def uncovered(seg: Segmentation) -> list[Note]:
    """Every run of non-whitespace text outside tasks and boilerplate, so nothing is dropped silently."""
    text = seg.doc.text
    spans = [(s, e) for _, s, e in seg.boilerplate] + [(t.start, t.end) for t in seg.tasks]
    return [Note("uncovered", a, f"{sp.nonspace(text[a:b])} characters outside any task: {text[a:b][:40]!r}")
            for a, b in sp.holes(text, spans)]



def build(ctx) -> None:
    """Pipeline stage: segment every document; tasks and clauses onto the context, tables out."""
    with gc_paused():
        ctx.segmented = [document(d) for d in ctx.documents]
        ctx.tasks = tasks_frame(ctx.segmented)
        ctx.clauses = clauses_frame(ctx.segmented)
    ctx.add_table("tasks.csv", ctx.tasks, sort_by=["doc_id", "start"])
    ctx.add_table("clauses.csv", ctx.clauses, sort_by=["doc_id", "start"])
    ctx.add_table("documents.csv", documents_frame(ctx.segmented), sort_by=["doc_id"])
    ctx.add_table("boilerplate.csv", boilerplate_frame(ctx.segmented), sort_by=["doc_id", "start"])
    ctx.add_table("segmentation_warnings.csv", warnings_frame(ctx.segmented), sort_by=["doc_id", "start"])
    ctx.add_table("sources.csv", sources_frame(ctx.segmented), sort_by=["doc_id"])
    ctx.add_table("task_sources.csv", task_sources_frame(ctx.segmented), sort_by=["doc_id", "start"])

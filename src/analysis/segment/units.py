"""The units segmentation produces: tasks, clauses, notes, and one document's segmentation."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from analysis.corpus import Document
from analysis import schema
from analysis.segment import spans as sp

#: Units that hold no task: the front matter, and a framing part (总体思路: one paragraph of principles).
NON_TASK_UNITS = schema.NON_TASK_UNITS
#: The columns segmentation writes: the schema's tasks.csv without the domains stage's three.
TASK_COLUMNS = [c for c in schema.columns("tasks.csv") if c not in schema.TASK_DOMAIN_COLUMNS]


@dataclass(frozen=True)
class Task:
    unit: str
    section_no: int
    section: str
    item_no: int
    clause_no: int
    title: str
    start: int
    end: int
    body_start: int
    goal: str = ""
    leader: str = ""
    department: str = ""
    goal_span: tuple[int, int] | None = None  # where clause markers are searched (table rows: the goal cell)
    repeat: int = 0  # >0: the source repeats this task's number; the id gets a suffix (~2, ~3…) to stay unique
    part: str = ""  # what the task's part of the document does: "plan" (targets) or "result" (achievements)
    result_start: int | None = None  # a progress table's row: where its reported results (进展情况 cell) begin


@dataclass(frozen=True)
class Clause:
    task_index: int
    n: int
    marker: str
    start: int
    end: int


@dataclass(frozen=True)
class Note:
    kind: str
    start: int
    message: str


@dataclass
class Segmentation:
    doc: Document
    layout: str
    tasks: list[Task]
    clauses: list[Clause]
    boilerplate: list[tuple[str, int, int]]  # (kind, start, end)
    notes: list[Note] = field(default_factory=list)
    n_sections: int = 0
    task_unit: str = "item"  # the task level used: item, clause, or mixed (auto: clauses in some items)

    def task_id(self, task: Task) -> str:
        tid = f"{self.doc.region}-{task.section_no:02d}-{task.item_no:02d}"
        tid = f"{tid}-{task.clause_no}" if task.clause_no else tid
        return f"{tid}~{task.repeat + 1}" if task.repeat else tid

    @property
    def coverage(self) -> float:
        return sp.coverage(self.doc.text, [(t.start, t.end) for t in self.tasks],
                        [(s, e) for _, s, e in self.boilerplate])


def gaps(numbers: list[tuple[int, int]], *, what: str, where: str = "",
          restart_ok: bool = False) -> list[Note]:
    """Warnings for skipped or repeated numbers in a sequence of (number, offset)."""
    notes = []
    prev = 0
    suffix = f" in {where}" if where else ""
    for n, pos in numbers:
        if restart_ok and n == 1:
            prev = 1
            continue
        if n > prev + 1:
            missing = ", ".join(str(k) for k in range(prev + 1, n))
            notes.append(Note("gap", pos, f"{what} numbering{suffix} jumps from {prev} to {n}: "
                                          f"no {what} {missing} in the source (kept as is)"))
        elif n <= prev:
            notes.append(Note("gap", pos, f"{what} {n}{suffix} repeats or goes back after {prev} (kept as is)"))
        prev = n
    return notes


def cut_unit(text: str, start: int, end: int, boiler_starts: list[int]) -> int:
    """End of a unit: before the first boilerplate line inside [start, end) (``boiler_starts`` sorted),
    trailing space trimmed."""
    k = bisect.bisect_right(boiler_starts, start)
    if k < len(boiler_starts) and boiler_starts[k] < end:
        end = boiler_starts[k]
    return sp.rstrip(text, start, end)


def preamble(text: str, first: int, struct_start: int, boiler_starts: list[int]) -> list[Task]:
    """The front matter before a layout's first unit, as one preamble task (none when it is empty)."""
    end = cut_unit(text, first, struct_start, boiler_starts)
    if end <= first:
        return []
    return [Task("preamble", 0, "", 0, 0, sp.title(text, first, end), first, end, first)]

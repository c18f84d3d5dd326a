"""Jurisdictions over time (issue 17): several documents per bureau, compared year to year.

:mod:`~analysis.overtime.changes` — tasks carried over, dropped and added between a bureau's consecutive
plans (``task_changes.csv``); :mod:`~analysis.overtime.targets` — each plan target followed to the same
bureau's reported result, with a status (``target_followup.csv``). Both read the tasks, the targets and the
document profiles (jurisdiction, year, type); a corpus with one document per bureau gives empty tables.
"""

from __future__ import annotations

from analysis.errors import InputError
from analysis.overtime.changes import task_changes
from analysis.overtime.targets import followup

__all__ = ["build", "followup", "task_changes"]


def build(ctx) -> None:
    """Add ``task_changes.csv`` and ``target_followup.csv`` (after the coverage stage: profiles needed)."""
    if "document_profiles.csv" not in ctx.tables:
        raise InputError("no document profiles on the context — run the coverage stage first.")
    profiles = ctx.tables["document_profiles.csv"].frame
    store = getattr(ctx, "cache", None)  # each pair's rows read back when its two plans are unchanged
    changes = task_changes(ctx.tasks, profiles, get=store.get if store is not None else None,
                           put=store.put if store is not None else None, salt=getattr(ctx, "cache_salt", ""))
    ctx.add_table("task_changes.csv", changes,
                  sort_by=["jurisdiction", "region", "other_region", "status", "task_id", "other_task_id"])
    ctx.add_table("target_followup.csv", followup(ctx.targets, ctx.tasks, profiles),
                  sort_by=["jurisdiction", "year", "region", "task_id", "report_task_id"])

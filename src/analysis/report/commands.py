"""The analyst commands ``charts``, ``export``, ``evidence`` and ``kwic``: read the processed tables, draw,
write or print.

They never re-run the pipeline. Which regions and domains they show is decided by
:mod:`analysis.report.selection` (slugs or names in any case; filters by province, prefecture, level,
year and document type); a value that matches nothing is a one-line
:class:`~analysis.errors.UsageError` naming the valid ones and the nearest (the CLI prints it, exit 2).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pandas as pd

from analysis import choices, tables
from analysis.errors import InputError, UsageError
from analysis.report import figures as figures_
from analysis.report import kwic as kwic_
from analysis.report import selection
from analysis.report.catalog import FIGURES
from analysis.report.evidence import EVIDENCE_FORMATS, render_evidence
from analysis.report.workbook import workbook_tables, write_xlsx

#: Tables a command may use besides the three it needs; None while the build has not written them.
OPTIONAL_TABLES = ("targets", "similarity", "keyness", "alignment", "shared_phrases", "documents",
                   "target_followup", "task_changes", "coverage_by_group", "task_sources")


def read_tables(in_dir: Path | None = None) -> dict[str, pd.DataFrame | None]:
    """The processed tables the commands use (after checking the build record: whole and fresh); an
    optional one is None while it does not exist."""
    from analysis import outputs

    outputs.check_record(in_dir)
    out: dict[str, pd.DataFrame | None] = {
        "coverage": tables.read_csv("coverage.csv", in_dir=in_dir),
        "profiles": tables.read_csv("document_profiles.csv", in_dir=in_dir),
        "tasks": tables.read_csv("tasks.csv", in_dir=in_dir),
    }
    for key in OPTIONAL_TABLES:
        try:
            out[key] = tables.read_csv(f"{key}.csv", in_dir=in_dir)
        except InputError:
            out[key] = None
    return out


def shown_regions(args: argparse.Namespace, data: dict) -> list[str] | None:
    """The regions a command shows: ``--regions`` and the document filters (None: all)."""
    filters = {name: getattr(args, name, None) for name in selection.FILTERS}
    chosen = selection.shown(data["profiles"], data["documents"], names=getattr(args, "regions", None), **filters)
    return selection.per(data["profiles"], chosen, by=getattr(args, "by", None) or "document")


def _print(text: str) -> None:
    try:
        print(text)
    except BrokenPipeError:  # `… | head`: the reader stopped early, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def charts(args: argparse.Namespace) -> int:
    choices.check(args.lang, choices.LANGS, what="language")
    formats = choices.check_all(args.format, choices.FIGURE_FORMATS, what="format")
    names = choices.check_all(args.only, list(FIGURES), what="chart") if args.only else list(FIGURES)
    if args.dpi is not None and not 30 <= args.dpi <= 1200:
        raise UsageError(f"--dpi {args.dpi}: choose a resolution between 30 and 1200.")
    data = read_tables(args.input)
    regs = shown_regions(args, data)
    doms = selection.domains(args.domains, data["coverage"]) if args.domains else None
    figs = figures_.figures(data["coverage"], data["profiles"], data["targets"], data["tasks"],
                            lang=args.lang, regions=regs, domains=doms, names=names,
                            similarity=data["similarity"], keyness=data["keyness"],
                            followup=data["target_followup"], changes=data["task_changes"],
                            groups=data["coverage_by_group"])

    def skipped(name: str, reason: str) -> None:
        print(f"skipped {name}: {reason}", file=sys.stderr)

    for name in names:
        if name not in figs:
            skipped(name, "nothing to draw for this selection (it needs a bureau with several documents, or all "
                          "regions for the grouped view)")
    for path in figures_.write(figs, out_dir=args.out, lang=args.lang, formats=formats, dpi=args.dpi,
                               skip_empty=True, on_skip=skipped):
        print(path)
    return 0


def export(args: argparse.Namespace) -> int:
    choices.check(args.lang, choices.LANGS, what="language")
    data = read_tables(args.input)
    sheets = workbook_tables(data, lang=args.lang, regions=shown_regions(args, data))
    path = write_xlsx(sheets, args.xlsx)
    print(f"wrote {len(sheets)} sheets ({', '.join(sheets)}) -> {path}")
    return 0


def evidence(args: argparse.Namespace) -> int:
    from analysis import coverage

    choices.check(args.format, EVIDENCE_FORMATS, what="format")
    data = read_tables(args.input)
    region = selection.regions(args.region, data["profiles"])[0]
    domain = selection.domains(args.domain, data["coverage"])[0]
    rows = coverage.evidence(data["tasks"], data["targets"], region=region, domain=domain, max_sentences=args.max)
    cov = data["coverage"]
    hit = cov[(cov["region"] == region) & (cov["domain"] == domain)]
    _print(render_evidence(rows, hit.iloc[0] if len(hit) else None, region=region, domain=domain, fmt=args.format,
                           sources=data["task_sources"]))
    return 0


def kwic(args: argparse.Namespace) -> int:
    choices.check(args.format, kwic_.FORMATS, what="format")
    data = read_tables(args.input)
    hits = kwic_.search(data["tasks"], args.keyword, window=args.window, regions=shown_regions(args, data),
                        regex=args.regex)
    _print(kwic_.render(hits, fmt=args.format, keyword=args.keyword, window=args.window))
    return 0

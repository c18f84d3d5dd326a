"""The analyst commands ``charts``, ``export`` and ``evidence``: read the processed tables, draw or write.

They never re-run the pipeline. Regions are matched against the documents the tables were built from
(``document_profiles.csv``) by slug, Chinese or English name, in any case; domains against the coverage
table by code, Chinese or English name; a value that matches nothing is a one-line
:class:`~analysis.errors.UsageError` naming the valid ones and the nearest (the CLI prints it, exit 2).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pandas as pd

from analysis import choices, tables
from analysis.errors import InputError
from analysis.report import figures as figures_
from analysis.report.catalog import FIGURES
from analysis.report.evidence import format_evidence
from analysis.report.workbook import workbook_tables, write_xlsx

#: Tables a command may use besides the three it needs; None while the build has not written them.
OPTIONAL_TABLES = ("targets", "similarity", "keyness", "target_followup", "task_changes", "coverage_by_group",
                   "task_sources")


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


def _matcher(rows: pd.DataFrame, key: str, names: tuple[str, ...]) -> dict[str, str]:
    """Lower-cased key and names -> key (a name shared by two keys is left out: ambiguous)."""
    seen: dict[str, set[str]] = {}
    for row in rows.itertuples(index=False):
        code = str(getattr(row, key))
        for value in (code, *(str(getattr(row, n, "") or "") for n in names)):
            if value.strip():
                seen.setdefault(value.strip().lower(), set()).add(code)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


def _resolve(values, rows: pd.DataFrame, *, key: str, names: tuple[str, ...], what: str) -> list[str]:
    values = [values] if isinstance(values, str) else list(values)
    match = _matcher(rows, key, names)
    valid = list(dict.fromkeys(str(v) for v in rows[key]))
    unknown = [v for v in values if str(v).strip().lower() not in match]
    if unknown:
        choices.check_all(unknown, valid, what=what)
    return list(dict.fromkeys(match[str(v).strip().lower()] for v in values))


def regions(values, profiles: pd.DataFrame) -> list[str]:
    """Region slugs for ``values`` given as slugs or Chinese / English names, in any case."""
    return _resolve(values, profiles, key="region", names=("name_zh", "name_en"), what="region")


def domains(values, coverage: pd.DataFrame) -> list[str]:
    """Domain codes for ``values`` given as codes or Chinese / English names, in any case."""
    rows = coverage.drop_duplicates("domain").sort_values("domain_rank", kind="mergesort")
    return _resolve(values, rows, key="domain", names=("domain_zh", "domain_en"), what="domain")


def charts(args: argparse.Namespace) -> int:
    choices.check(args.lang, choices.LANGS, what="language")
    formats = choices.check_all(args.format, choices.FIGURE_FORMATS, what="format")
    names = choices.check_all(args.only, list(FIGURES), what="chart") if args.only else list(FIGURES)
    data = read_tables(args.input)
    regs = regions(args.regions, data["profiles"]) if args.regions else None
    doms = domains(args.domains, data["coverage"]) if args.domains else None
    figs = figures_.figures(data["coverage"], data["profiles"], data["targets"], data["tasks"],
                            lang=args.lang, regions=regs, domains=doms, names=names,
                            similarity=data["similarity"], keyness=data["keyness"],
                            followup=data["target_followup"], changes=data["task_changes"],
                            groups=data["coverage_by_group"])
    for name in names:
        if name not in figs:
            print(f"{name}: nothing to draw for this selection (no bureau with several documents) — skipped",
                  file=sys.stderr)
    for path in figures_.write(figs, out_dir=args.out, lang=args.lang, formats=formats):
        print(path)
    return 0


def export(args: argparse.Namespace) -> int:
    choices.check(args.lang, choices.LANGS, what="language")
    data = read_tables(args.input)
    sheets = workbook_tables(data, lang=args.lang)
    path = write_xlsx(sheets, args.xlsx)
    print(f"wrote {len(sheets)} sheets ({', '.join(sheets)}) -> {path}")
    return 0


def evidence(args: argparse.Namespace) -> int:
    from analysis import coverage

    data = read_tables(args.input)
    region = regions(args.region, data["profiles"])[0]
    domain = domains(args.domain, data["coverage"])[0]
    rows = coverage.evidence(data["tasks"], data["targets"], region=region, domain=domain, max_sentences=args.max)
    cov = data["coverage"]
    hit = cov[(cov["region"] == region) & (cov["domain"] == domain)]
    text = format_evidence(rows, hit.iloc[0] if len(hit) else None, region=region, domain=domain,
                           sources=data["task_sources"])
    try:
        print(text)
    except BrokenPipeError:  # `… | head`: the reader stopped early, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0

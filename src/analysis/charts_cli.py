"""Analyst commands: ``charts``, ``export``, ``evidence`` (issue 5).

They read the processed tables in ``data/processed/`` (``python -m analysis build`` writes them) and
never re-run the pipeline. Regions are checked against the manifest, domains against the taxonomy,
languages and formats against their lists: a bad value is a one-line :class:`UsageError` naming the
valid choices (the CLI prints it and exits with status 2).

``REGISTER`` lists functions ``register(subparsers)`` that add a sub-command each; cli.py calls them.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
import zipfile
from pathlib import Path

import pandas as pd

from analysis.errors import InputError, UsageError

#: Fixed timestamp written into the workbook's properties and zip entries (reproducible files).
FIXED_ISO = "2000-01-01T00:00:00Z"
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
CORE_DATE_RE = re.compile(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")
MAX_COLUMN_WIDTH = 60


# --------------------------------------------------------------------------------------------------
# Reading and checking

def read_tables(in_dir: Path | None = None) -> dict[str, pd.DataFrame | None]:
    """The processed tables the commands use; ``targets`` is None while no targets table exists."""
    from analysis import tables

    out: dict[str, pd.DataFrame | None] = {
        "coverage": tables.read_csv("coverage.csv", in_dir=in_dir),
        "profiles": tables.read_csv("document_profiles.csv", in_dir=in_dir),
        "tasks": tables.read_csv("tasks.csv", in_dir=in_dir),
    }
    for key in ("targets", "similarity", "keyness", "task_sources"):
        try:
            out[key] = tables.read_csv(f"{key}.csv", in_dir=in_dir)
        except InputError:
            out[key] = None
    return out


def valid_regions(manifest: Path | None = None) -> list[str]:
    from analysis import corpus

    return [row["region"] for row in corpus.read_manifest(manifest)]


def valid_domains(coverage: pd.DataFrame | None = None) -> list[str]:
    """Taxonomy codes; while no taxonomy file exists, the codes of ``coverage.csv``."""
    from analysis import coverage as cov

    try:
        return cov.domain_codes()
    except InputError:
        if coverage is None:
            raise
        return list(dict.fromkeys(coverage.sort_values("domain_rank")["domain"]))


def check_choices(values, valid, *, what: str) -> list[str]:
    """``values`` if all are in ``valid``, else a one-line :class:`UsageError` listing the valid ones."""
    values = [values] if isinstance(values, str) else list(values)
    unknown = [v for v in values if v not in valid]
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        raise UsageError(f"unknown {what}{plural} {', '.join(repr(u) for u in unknown)} — "
                         f"choose from: {', '.join(valid)}")
    return values


# --------------------------------------------------------------------------------------------------
# charts

def cmd_charts(args: argparse.Namespace) -> int:
    from analysis import charts

    check_choices(args.lang, charts.LANGS, what="language")
    formats = check_choices(args.format, charts.FORMATS, what="format")
    names = check_choices(args.only, list(charts.FIGURES), what="chart") if args.only else list(charts.FIGURES)
    regions = check_choices(args.regions, valid_regions(), what="region") if args.regions else None
    data = read_tables(args.input)
    domains = (check_choices(args.domains, valid_domains(data["coverage"]), what="domain")
               if args.domains else None)
    figs = charts.figures(data["coverage"], data["profiles"], data["targets"], data["tasks"],
                          lang=args.lang, regions=regions, domains=domains, names=names,
                          similarity=data["similarity"], keyness=data["keyness"])
    for path in charts.write(figs, out_dir=args.out, lang=args.lang, formats=formats):
        print(path)
    return 0


def _listed(values) -> str:
    """``values`` for a help text, or a pointer when they cannot be read (a broken manifest, say)."""
    try:
        return ", ".join(values())
    except Exception:  # noqa: BLE001 - help must never fail
        return "see data/raw/manifest.csv and src/analysis/resources/taxonomy.csv"


def register_charts(sub) -> None:
    from analysis import charts

    p = sub.add_parser(
        "charts", help="draw the coverage charts (Chinese or English; PNG, SVG or PDF)",
        description="Draw the comparison charts from data/processed/: " + "; ".join(
            f"{k} ({v})" for k, v in charts.FIGURES.items()) + ". Files are named NAME_LANG.FORMAT.",
        epilog="example: python -m analysis charts --regions weiyang shulan --domains elderly_care "
               "--lang en --format svg --out figures/")
    p.add_argument("--regions", nargs="+", metavar="REGION",
                   help=f"regions to show (default: all): {_listed(valid_regions)}")
    p.add_argument("--domains", nargs="+", metavar="DOMAIN",
                   help=f"domain codes to show (default: all; the targets chart: the headline domains and any "
                        f"domain with numbers): {_listed(valid_domains)}")
    p.add_argument("--lang", default="zh", help=f"label language: {' or '.join(charts.LANGS)} (default zh)")
    p.add_argument("--format", nargs="+", default=["png"], metavar="FORMAT",
                   help=f"one or more of {', '.join(charts.FORMATS)} (default png)")
    p.add_argument("--only", nargs="+", metavar="CHART", help=f"charts to draw: {', '.join(charts.FIGURES)}")
    p.add_argument("--out", type=Path, default=Path("figures"), help="output folder (default ./figures)")
    p.add_argument("--in", dest="input", type=Path, default=None,
                   help="folder of processed tables (default data/processed/)")
    p.set_defaults(func=cmd_charts)


# --------------------------------------------------------------------------------------------------
# export

def workbook_tables(data: dict, *, lang: str = "zh") -> dict[str, pd.DataFrame]:
    """The comparison tables, one per sheet (sheet name -> frame), in order."""
    from analysis import charts

    cov, prof = data["coverage"], data["profiles"]
    order = list(dict.fromkeys(cov.sort_values("domain_rank", kind="mergesort")["domain"]))
    regions = prof.sort_values("doc_id", kind="mergesort")["region"].tolist()
    dom_names = charts.domain_names(cov, lang=lang)
    reg_names = charts.region_names(prof, lang=lang)

    def wide(value: str) -> pd.DataFrame:
        grid = cov.pivot(index="domain", columns="region", values=value).reindex(index=order, columns=regions)
        grid.columns = [reg_names[r] for r in grid.columns]
        grid.insert(0, "domain_name", [dom_names[d] for d in grid.index])
        return grid.rename_axis("domain").reset_index()

    sheets = {
        "document_profiles": prof,
        "coverage": cov,
        "coverage_state": wide("state"),
        "share_tasks": wide("share_tasks"),
        "share_chars": wide("share_chars"),
        "n_tasks": wide("n_tasks"),
    }
    targets = data.get("targets")
    if targets is not None:
        sheets["targets"] = targets
        sheets["comparable_targets"] = charts.comparable(targets)
    tasks = data["tasks"]
    if "leader" in tasks.columns and (tasks["leader"].astype(str).str.strip() != "").any():
        for column in ("leader", "department"):
            counts = charts.leader_counts(tasks, column=column)
            sheets[f"tasks_per_{column}"] = pd.DataFrame({
                column: counts.index, f"{column}_en": [charts.source_name(n, lang="en") for n in counts.index],
                "n_tasks": counts.to_numpy()})
    return sheets


def _width(values) -> int:
    from analysis.charts import display_width

    widest = max((display_width(str(v)) for v in values), default=0)
    return min(MAX_COLUMN_WIDTH, widest + 2)


def _reproducible_zip(data: bytes) -> bytes:
    """Rewrite an .xlsx with fixed timestamps in docProps/core.xml and in every zip entry."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = CORE_DATE_RE.sub(lambda m: m.group(1) + FIXED_ISO + m.group(3), body.decode("utf-8")).encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, body)
    return out.getvalue()


def write_xlsx(sheets: dict[str, pd.DataFrame], path: Path) -> Path:
    """One sheet per table: bold, frozen header row, columns as wide as their content (capped)."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"{path}: the workbook name must end in .xlsx")
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
            ws = writer.sheets[name[:31]]
            ws.freeze_panes = "A2"
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for i, col in enumerate(frame.columns, start=1):
                letter = get_column_letter(i)
                is_share = pd.api.types.is_float_dtype(frame[col]) and (
                    name.startswith("share") or str(col).startswith(("share", "coverage")))
                if is_share:  # shown as per cent; the cell keeps the full value
                    for cell in ws[letter][1:]:
                        cell.number_format = "0.0%"
                    sample = [col, "100.0%"]
                else:
                    sample = [col] + frame[col].head(500).tolist()
                ws.column_dimensions[letter].width = _width(sample)
        props = writer.book.properties
        props.creator = props.lastModifiedBy = "analysis"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_reproducible_zip(buf.getvalue()))
    return path


def cmd_export(args: argparse.Namespace) -> int:
    from analysis import charts

    check_choices(args.lang, charts.LANGS, what="language")
    data = read_tables(args.input)
    sheets = workbook_tables(data, lang=args.lang)
    path = write_xlsx(sheets, args.xlsx)
    print(f"wrote {len(sheets)} sheets ({', '.join(sheets)}) -> {path}")
    return 0


def register_export(sub) -> None:
    p = sub.add_parser("export", help="write the comparison tables to an Excel workbook",
                       description="Write the comparison tables (document profiles, the coverage matrix and its "
                                   "wide views, targets, comparable targets, task-list counts) to an .xlsx "
                                   "workbook: one sheet per table, frozen header row, fitted column widths.",
                       epilog="example: python -m analysis export --xlsx coverage.xlsx --lang en")
    p.add_argument("--xlsx", type=Path, required=True, metavar="FILE", help="workbook to write (.xlsx)")
    p.add_argument("--lang", default="zh", help="language of region and domain names in the wide sheets "
                                                "(zh or en, default zh)")
    p.add_argument("--in", dest="input", type=Path, default=None,
                   help="folder of processed tables (default data/processed/)")
    p.set_defaults(func=cmd_export)


# --------------------------------------------------------------------------------------------------
# evidence

def format_evidence(rows: pd.DataFrame, cell: pd.Series | None, *, region: str, domain: str,
                    sources: pd.DataFrame | None = None) -> str:
    """Plain-text report of one cell's evidence: a summary line, then per task its keywords, where it stands
    in the original file (``task_sources.csv``: PDF page, Word paragraph or table row, HTML element, text
    line), the sentences that hold them (``[start:end]`` offsets into the document's text) and the cell's
    quantities."""
    where = {}
    if sources is not None and not sources.empty:
        mine = sources[sources["region"] == region]
        where = {tid: (fmt, src) for tid, fmt, src in zip(mine["task_id"], mine["format"], mine["source"])}
    lines = []
    if cell is not None:
        lines.append(f"{region} x {domain} ({cell['domain_zh']} / {cell['domain_en']}): {cell['state']} — "
                     f"{cell['n_tasks']} task(s), {cell['n_targets']} target(s), "
                     f"{cell['n_achievements']} achievement(s), {cell['n_baselines']} baseline(s)")
    if rows.empty:
        lines.append("no task of this region addresses this domain.")
        return "\n".join(lines)
    for task_id, grp in rows.groupby("task_id", sort=False):
        task_rows = grp[grp["source"] == "task"]
        primary = bool(grp["is_primary"].iloc[0])
        terms = sorted({t for ts in task_rows["terms"] for t in ts.split(";") if t})
        fmt, src = where.get(task_id, ("", ""))
        lines.append(f"{task_id} ({'primary' if primary else 'secondary'} domain)"
                     + (f" — keywords: {', '.join(terms)}" if terms else "")
                     + (f" — in the original ({fmt}): {src}" if src else ""))
        quantities = grp[grp["source"] != "task"]
        for r in task_rows.itertuples():
            lines.append(f"  [{r.start}:{r.end}] {r.text}")
            for q in quantities[(quantities["value_start"] >= r.start) & (quantities["value_start"] < r.end)].itertuples():
                lines.append(f"      {q.source} {q.terms} [{q.value_start}:{q.value_end}]")
        inside = [any(r.start <= q.value_start < r.end for r in task_rows.itertuples()) for q in quantities.itertuples()]
        for q, shown in zip(quantities.itertuples(), inside):
            if not shown:  # a quantity in a sentence without keywords: show it in context
                lines.append(f"  [{q.start}:{q.end}] {q.text}")
                lines.append(f"      {q.source} {q.terms} [{q.value_start}:{q.value_end}]")
    return "\n".join(lines)


def cmd_evidence(args: argparse.Namespace) -> int:
    from analysis import coverage

    check_choices(args.region, valid_regions(), what="region")
    data = read_tables(args.input)
    check_choices(args.domain, valid_domains(data["coverage"]), what="domain")
    rows = coverage.evidence(data["tasks"], data["targets"], region=args.region, domain=args.domain,
                             max_sentences=args.max)
    cov = data["coverage"]
    hit = cov[(cov["region"] == args.region) & (cov["domain"] == args.domain)]
    text = format_evidence(rows, hit.iloc[0] if len(hit) else None, region=args.region, domain=args.domain,
                           sources=data.get("task_sources"))
    try:
        print(text)
    except BrokenPipeError:  # `… | head`: the reader stopped early, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def register_evidence(sub) -> None:
    p = sub.add_parser("evidence", help="print the source sentences behind one region x domain cell",
                       description="Keyword in context: for each task of REGION that addresses DOMAIN, the "
                                   "sentences holding its domain keywords (marked 【】), and every quantity "
                                   "of the cell, with task ids, where each task stands in the original file "
                                   "(PDF page, Word paragraph or table row, web page element, text line) and "
                                   "[start:end] character offsets into the document's text.",
                       epilog="example: python -m analysis evidence --region shulan --domain elderly_care")
    p.add_argument("--region", required=True, help=f"region slug from the manifest: {_listed(valid_regions)}")
    p.add_argument("--domain", required=True, help=f"domain code from the taxonomy: {_listed(valid_domains)}")
    p.add_argument("--max", type=int, default=3, help="sentences per task (default 3)")
    p.add_argument("--in", dest="input", type=Path, default=None,
                   help="folder of processed tables (default data/processed/)")
    p.set_defaults(func=cmd_evidence)


REGISTER: list = [register_charts, register_export, register_evidence]

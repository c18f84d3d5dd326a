"""Command line: ``python -m analysis COMMAND`` (``--help`` on every command).

Thin: each command parses its options and calls one function of the package. Building the parser
imports nothing heavy (no pandas, matplotlib or jieba), so ``--help`` and usage errors answer at once;
a command imports what it needs when it runs. Problems a user can fix
(:class:`~analysis.errors.AnalysisError`) print as one line on stderr with exit status 2.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from analysis import choices
from analysis.errors import AnalysisError
from analysis.report.catalog import FIGURES


INVALID_CHOICE_RE = re.compile(r"invalid choice: '([^']*)'")


class Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors suggest the nearest command or option (``--regoins`` ->
    ``--regions``)."""

    def error(self, message: str):
        m = INVALID_CHOICE_RE.search(message)
        if m:
            valid = [c for a in self._actions if a.choices for c in a.choices]
            message += choices.suggestion(m[1], valid)
        super().error(message)

    def unknown_options(self, extras: list[str]):
        """A usage error for arguments no option takes, suggesting the nearest option of this parser."""
        flags = [o for a in self._actions for o in a.option_strings]
        first = next((e for e in extras if e.startswith("-")), "")
        self.error(f"unrecognized arguments: {' '.join(extras)}"
                   + (choices.suggestion(first.split("=", 1)[0], flags) if first else ""))


def _cmd_build(args: argparse.Namespace) -> int:
    from analysis import pipeline

    pipeline.build(out_dir=args.out, manifest=args.manifest, figures=not args.no_figures,
                   notebooks=not args.no_notebooks, progress=not args.quiet, workers=args.workers,
                   echo=None if args.quiet else print, cache=not args.no_cache)
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from analysis import outputs, validate

    if outputs.recover(args.dir):
        print("finished moving the outputs of a build that was interrupted while committing them")
    print(outputs.describe(outputs.check_record(args.dir, manifest=args.manifest)))
    problems = validate.check_all(in_dir=args.dir, manifest=args.manifest)
    for p in problems:
        print(p)
    print("ok" if not problems else f"{len(problems)} problem(s)")
    return 0 if not problems else 1


def _cmd_notebooks(args: argparse.Namespace) -> int:
    from analysis import notebooks

    for p in notebooks.execute_all(only=args.only):
        print(f"executed {p.name}")
    return 0


def _cmd_report(name: str):
    def run(args: argparse.Namespace) -> int:
        from analysis.report import commands

        return getattr(commands, name)(args)
    return run


def _tables_option(p) -> None:
    p.add_argument("--in", dest="input", type=Path, default=None,
                   help="folder of processed tables (default data/processed/)")


def _selection_options(p) -> None:
    """--regions and the document filters (any value of one filter matches; filters combine with 'and')."""
    g = p.add_argument_group("which documents", "regions by name and filters on documents.csv; all combine")
    g.add_argument("--regions", nargs="+", metavar="REGION",
                   help="documents to show, by slug, or a bureau (all its documents) by its slug, Chinese or "
                        "English name, any case (default: all)")
    g.add_argument("--by", default="document", metavar="UNIT",
                   help="one column per document (default), per jurisdiction-year (a bureau's plan of each year), "
                        "or per jurisdiction (each bureau's latest plan)")
    g.add_argument("--province", nargs="+", metavar="NAME", help="province, e.g. 陕西, 陕西省 or shaanxi")
    g.add_argument("--prefecture", nargs="+", metavar="NAME", help="prefecture, e.g. 西安 or xi'an")
    g.add_argument("--level", nargs="+", metavar="LEVEL",
                   help="administrative level: district, county, county-level city, prefecture-level city "
                        "(or 区, 县, 县级市, 地级市)")
    g.add_argument("--year", nargs="+", metavar="YEAR", help="year of the document: 2023, or a range 2020-2023")
    g.add_argument("--doc-type", nargs="+", metavar="TYPE", dest="doc_type",
                   help="document type: work_plan, task_list, work_summary, newspaper_feature … "
                        "(or its English or Chinese name)")


def _register_build(sub) -> None:
    p = sub.add_parser("build", help="build data/processed/, reports/figures/ and the notebooks",
                       description="Run the whole pipeline: load and verify the raw plans, segment, "
                                   "tokenize, classify, extract targets, compare; then draw the figures "
                                   "and execute the notebooks. Everything is written to a staging folder "
                                   "first and moved into place only when all of it succeeded.")
    p.add_argument("--manifest", type=Path, default=None, help="manifest CSV (default data/raw/manifest.csv)")
    p.add_argument("--out", type=Path, default=None,
                   help="output folder (default: data/processed/, reports/figures/ and notebooks/); with --out, "
                        "tables go to OUT/, figures to OUT/figures/, executed notebooks to OUT/notebooks/")
    p.add_argument("--no-figures", action="store_true", help="skip the figures")
    p.add_argument("--no-notebooks", action="store_true", help="skip executing the notebooks")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors (no progress, no summary)")
    p.add_argument("--workers", type=int, default=None,
                   help="processes for the document stages: segment, tokenize, classify, extract "
                        "(default: one for small corpora, every core for large ones)")
    p.add_argument("--no-cache", action="store_true",
                   help="recompute every document (default: documents whose text, manifest row, code and "
                        "parameters are unchanged are read back from data/interim/cache/; the tables are the same)")
    p.set_defaults(func=_cmd_build)


def _register_validate(sub) -> None:
    p = sub.add_parser("validate", help="check the processed tables against their rules",
                       description="Validate data/processed/: the build record (complete, not stale against "
                                   "the manifest), keys unique, offsets quote the raw text, every character "
                                   "in a task or a boilerplate row, coverage, domains and targets well-formed.")
    p.add_argument("--dir", type=Path, default=None, help="folder of processed tables")
    p.add_argument("--manifest", type=Path, default=None, help="manifest CSV of the corpus the tables were built from "
                                                               "(default: the one the build record names)")
    p.set_defaults(func=_cmd_validate)


def _register_notebooks(sub) -> None:
    p = sub.add_parser("notebooks", help="execute the numbered notebooks in place",
                       description="Execute notebooks/NN-*.ipynb reproducibly (no timings in metadata).")
    p.add_argument("--only", nargs="*", default=None, help="substrings of notebook names to run")
    p.set_defaults(func=_cmd_notebooks)


def _register_charts(sub) -> None:
    p = sub.add_parser(
        "charts", help="draw the coverage charts (Chinese or English; PNG, SVG or PDF)",
        description="Draw the comparison charts from data/processed/: " + "; ".join(
            f"{k} ({v})" for k, v in FIGURES.items()) + ". Files are named NAME_LANG.FORMAT.",
        epilog="example: python -m analysis charts --regions weiyang 舒兰市 --domains 'elderly care' "
               "--lang en --format svg --out figures/")
    _selection_options(p)
    p.add_argument("--domains", nargs="+", metavar="DOMAIN",
                   help="domains to show, by code, Chinese or English name (default: all; the targets chart: "
                        "the headline domains and any domain with numbers)")
    p.add_argument("--lang", default="zh", help=f"label language: {' or '.join(choices.LANGS)} (default zh)")
    p.add_argument("--format", nargs="+", default=["png"], metavar="FORMAT",
                   help=f"one or more of {', '.join(choices.FIGURE_FORMATS)} (default png)")
    p.add_argument("--only", nargs="+", metavar="CHART", help=f"charts to draw: {', '.join(FIGURES)}")
    p.add_argument("--out", type=Path, default=Path("figures"), help="output folder (default ./figures)")
    p.add_argument("--dpi", type=int, default=None, help="resolution of PNG files (default 150)")
    _tables_option(p)
    p.set_defaults(func=_cmd_report("charts"))


def _register_export(sub) -> None:
    p = sub.add_parser("export", help="write the report's appendix: every comparison table in an Excel workbook",
                       description="Write every comparison table (document profiles, coverage and its wide "
                                   "views, targets, comparable indicators, similarity, alignment, shared "
                                   "phrases, significant keyness, evidence, task-list counts) and a notes "
                                   "sheet (definitions and caveats) to an .xlsx workbook: one sheet per table, "
                                   "headers and values in the chosen language, frozen header row, autofilter, "
                                   "fitted and wrapped columns.",
                       epilog="example: python -m analysis export --xlsx appendix.xlsx --lang en --province 陕西")
    p.add_argument("--xlsx", type=Path, required=True, metavar="FILE", help="workbook to write (.xlsx)")
    p.add_argument("--lang", default="zh", help="language of sheet names, headers, names and values "
                                                "(zh or en, default zh)")
    _selection_options(p)
    _tables_option(p)
    p.set_defaults(func=_cmd_report("export"))


def _register_evidence(sub) -> None:
    p = sub.add_parser("evidence", help="print the source sentences behind one region x domain cell",
                       description="Keyword in context: for each task of REGION that addresses DOMAIN, the "
                                   "sentences holding its domain keywords (marked 【】), and every quantity "
                                   "of the cell, with task ids, where each task stands in the original file "
                                   "(PDF page, Word paragraph or table row, web page element, text line) and "
                                   "[start:end] character offsets into the document's text.",
                       epilog="example: python -m analysis evidence --region shulan --domain elderly_care")
    p.add_argument("--region", required=True, help="region by slug, Chinese or English name")
    p.add_argument("--domain", required=True, help="domain by code, Chinese or English name")
    p.add_argument("--max", type=int, default=3, help="sentences per task (default 3)")
    p.add_argument("--format", default="text", help="text (default), csv or json")
    _tables_option(p)
    p.set_defaults(func=_cmd_report("evidence"))


def _register_kwic(sub) -> None:
    p = sub.add_parser("kwic", help="keyword in context across every plan",
                       description="Every occurrence of KEYWORD in the tasks of every plan (or the chosen "
                                   "ones), with the region, task id, [start:end] offsets into the raw file and "
                                   "WINDOW characters of the task either side (like quanteda's kwic). A "
                                   "traditional-character keyword finds its simplified form.",
                       epilog="example: python -m analysis kwic 家庭养老床位 --window 20 --format csv")
    p.add_argument("keyword", help="the word or phrase to find (a regular expression with --regex)")
    p.add_argument("--window", type=int, default=20, help="characters of context either side (default 20)")
    p.add_argument("--format", default="text", help="text (default), csv or json")
    p.add_argument("--regex", action="store_true", help="KEYWORD is a regular expression")
    _selection_options(p)
    _tables_option(p)
    p.set_defaults(func=_cmd_report("kwic"))


#: Every command, in the order ``--help`` lists them.
def _registers():
    from analysis import add

    return (_register_build, _register_validate, _register_notebooks, add.register, _register_charts,
            _register_export, _register_evidence, _register_kwic)


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command (light: building it imports no heavy library)."""
    parser = Parser(
        prog="python -m analysis",
        description="Compare the civil-affairs (民政) work plans of Chinese local governments.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for register in _registers():
        register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    args, extras = parser.parse_known_args(argv)
    if extras:
        sub = parser._subparsers._group_actions[0].choices.get(getattr(args, "command", None), parser)
        sub.unknown_options(extras)
    try:
        return args.func(args)
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

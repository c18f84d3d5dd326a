"""Command line: ``python -m analysis COMMAND`` (``--help`` on every command).

Thin: each command parses its options and calls one function of the package. Problems a user can
fix (:class:`~analysis.errors.AnalysisError`) print as one line on stderr with exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.errors import AnalysisError


def _cmd_build(args: argparse.Namespace) -> int:
    from analysis import pipeline

    ctx = pipeline.build(out_dir=args.out, manifest=args.manifest, progress=not args.quiet, workers=args.workers)
    from analysis import segment

    n_tasks = 0 if ctx.tasks is None else len(ctx.tasks)
    print("\n".join(segment.summary_lines(ctx.segmented)))
    print(f"built {len(ctx.tables)} tables for {len(ctx.documents)} documents, {n_tasks} tasks "
          f"-> {args.out or 'data/processed/'}")
    if not args.no_figures:
        from analysis import charts

        written = charts.build_all(ctx)
        print(f"wrote {len(written)} figures -> reports/figures/")
    if not args.no_notebooks:
        from analysis import notebooks

        done = notebooks.execute_all()
        print(f"executed {len(done)} notebooks")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from analysis import validate

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


def build_parser(*, only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command; ``only="add"``: of ``add`` alone, without importing the analyst commands'
    modules (pandas, matplotlib), so that adding fifty plans in a loop stays fast."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Compare the civil-affairs (民政) work plans of Chinese local governments.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    from analysis import add

    if only == "add":
        add.register(sub)
        return parser

    p = sub.add_parser("build", help="build data/processed/, reports/figures/ and the notebooks",
                       description="Run the whole pipeline: load and verify the raw plans, segment, "
                                   "tokenize, classify, extract targets, compare; then draw the figures "
                                   "and execute the notebooks.")
    p.add_argument("--manifest", type=Path, default=None, help="manifest CSV (default data/raw/manifest.csv)")
    p.add_argument("--out", type=Path, default=None, help="output folder for tables (default data/processed/)")
    p.add_argument("--no-figures", action="store_true", help="skip reports/figures/")
    p.add_argument("--no-notebooks", action="store_true", help="skip executing the notebooks")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--workers", type=int, default=None,
                   help="processes for the document stages: segment, tokenize, classify, extract "
                        "(default: one for small corpora, every core for large ones)")
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser("validate", help="check the processed tables against their rules",
                       description="Validate data/processed/: keys unique, offsets quote the raw text, "
                                   "coverage, domains and targets well-formed.")
    p.add_argument("--dir", type=Path, default=None, help="folder of processed tables")
    p.add_argument("--manifest", type=Path, default=None, help="manifest CSV of the corpus the tables were built from "
                                                               "(default data/raw/manifest.csv)")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("notebooks", help="execute the numbered notebooks in place",
                       description="Execute notebooks/NN-*.ipynb reproducibly (no timings in metadata).")
    p.add_argument("--only", nargs="*", default=None, help="substrings of notebook names to run")
    p.set_defaults(func=_cmd_notebooks)

    add.register(sub)
    for register in _extra_commands():
        register(sub)
    return parser


def _extra_commands():
    """Commands owned by later stages register themselves here (charts, export, evidence, bench)."""
    from analysis import charts_cli

    yield from charts_cli.REGISTER
    try:
        from analysis import bench
    except ImportError:  # pragma: no cover - bench is optional at import time
        return
    yield bench.register


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(only="add" if argv[:1] == ["add"] else None)
    args = parser.parse_args(argv)
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

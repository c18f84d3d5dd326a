"""Add a plan to the corpus: ``python -m analysis add FILE --region SLUG --name 中文名 --year 2024 --type work_plan``.

The one module that writes to ``data/raw/``. It checks every value, reads the document back exactly as the
build will (:func:`analysis.corpus.from_bytes`: format, encoding, line ends, traditional Chinese) and segments
it (:func:`analysis.segment.document`, read-only) *before* writing anything; only then does it copy the file
into the manifest's folder as ``NNN_<region>_<year>_<type>.<ext>`` and append a complete manifest row. Any
problem is one :class:`~analysis.errors.InputError` / :class:`~analysis.errors.UsageError` line and nothing is
written. Adding the same file twice (same sha256) is refused, naming the doc_id it already has.

Fast enough to run in a loop over fifty files: no pandas or jieba import beyond what segmentation needs.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import logging
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from analysis import choices, config, corpus
from analysis.errors import InputError, UsageError

#: Columns of a manifest ``add`` creates (when ``--manifest`` names a file that does not exist yet).
NEW_MANIFEST_COLUMNS = corpus.REQUIRED_COLUMNS + ("layout", "task_unit")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Longest suffix first: a place name's administrative suffix and its English word.
NAME_SUFFIXES = (
    ("自治县", "Autonomous County"), ("自治旗", "Autonomous Banner"), ("自治州", "Autonomous Prefecture"),
    ("新区", "New Area"), ("林区", "Forestry District"), ("特区", "Special Economic Zone"),
    ("区", "District"), ("县", "County"), ("市", "City"), ("旗", "Banner"), ("盟", "League"),
    ("州", "Prefecture"), ("省", "Province"),
    ("自治縣", "Autonomous County"), ("新區", "New Area"), ("林區", "Forestry District"),
    ("特區", "Special Economic Zone"), ("區", "District"), ("縣", "County"),  # traditional forms
)
#: The administrative level a name's suffix tells for sure (``--level`` left out); 市 is a county-level or a
#: prefecture-level city, 新区/州/盟 vary, so those stay unknown (empty) until ``--level`` says.
LEVEL_SUFFIXES = (
    ("自治县", "county"), ("自治旗", "county"), ("自治縣", "county"), ("林区", None), ("新区", None), ("特区", None),
    ("林區", None), ("新區", None), ("特區", None),
    ("区", "district"), ("區", "district"), ("县", "county"), ("縣", "county"), ("旗", "county"), ("省", "province"),
)
TITLE_CHARS = 60
#: The extension a copied file gets from its format (told from its content), when its name has another.
FORMAT_EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "mht": ".mht", "ole": ".doc", "rtf": ".rtf",
                     "odt": ".odt"}


@dataclass(frozen=True)
class Added:
    """What ``add`` wrote and found."""

    row: dict
    path: Path
    manifest: Path
    doc: corpus.Document
    layout: str
    task_unit: str
    n_tasks: int
    n_warnings: int
    flags: tuple[str, ...]
    name_en_derived: bool
    level_derived: bool = False

    def summary(self) -> str:
        """One line: the new doc_id and file, and what was detected."""
        d = self.doc
        n_chars = sum(1 for ch in d.text if not ch.isspace())
        if d.source_format == "text":
            parts = [f"{d.encoding}"]
        else:
            pages = max((b.page for b in d.blocks), default=0)
            parts = [f"read as {d.source_format.upper()}" + (f" ({pages} pages)" if pages else "")]
        parts.append(f"{n_chars:,} characters")
        if d.converted:
            parts.append("traditional Chinese (simplified for analysis)")
        parts += [f"layout {self.layout}", f"task level {self.task_unit}", f"{self.n_tasks} tasks",
                  f"{self.n_warnings} warnings"]
        if self.name_en_derived:
            parts.append(f"name_en {self.row['name_en']!r} (derived; --name-en to set)")
        if self.level_derived:
            level = self.row["admin_level"]
            parts.append(f"level {level} (from the name; --level to set)" if level
                         else "level unknown (--level to set)")
        if not self.row["year"]:
            parts.append("year unknown")
        flags = f" <- {', '.join(self.flags)}: run `python -m analysis build` and see segmentation_warnings.csv" \
            if self.flags else ""
        of = self.row.get("jurisdiction") or self.row["region"]
        whose = f" (jurisdiction {of})" if of != self.row["region"] else ""
        return f"added {self.row['doc_id']} {self.row['region']}{whose} -> {self.path}: {', '.join(parts)}{flags}"


def english_name(name_zh: str) -> str:
    """``未央区`` -> ``Weiyang District``, ``西安市`` -> ``Xi'an City``: pinyin of the name without its
    administrative suffix, in title case, then the suffix in English. Needs :mod:`pypinyin`."""
    try:
        from pypinyin import lazy_pinyin
    except ImportError:
        raise UsageError(f"--name {name_zh!r}: no English name given and pypinyin is not installed to derive "
                         f"one — pass --name-en \"English Name\" (or pip install pypinyin).") from None
    stem, suffix = name_zh, ""
    for zh, en in NAME_SUFFIXES:
        if name_zh.endswith(zh) and len(name_zh) > len(zh):
            stem, suffix = name_zh[: -len(zh)], en
            break
    out = ""
    for syllable in lazy_pinyin(stem):
        if out and syllable[:1] in "aoe" and out[-1:].isalpha():
            out += "'"  # Xi'an, Chang'an: a syllable opening with a vowel
        out += syllable
    out = out[:1].upper() + out[1:]
    return f"{out} {suffix}".strip()


def level_of_name(name_zh: str) -> str:
    """``未央区`` -> ``district``, ``舒兰县`` -> ``county``; ``""`` (unknown) where the suffix does not tell
    (``宝鸡市`` may be a county-level or a prefecture-level city)."""
    for zh, level in LEVEL_SUFFIXES:
        if name_zh.endswith(zh) and len(name_zh) > len(zh):
            return level or ""
    return ""


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line[:TITLE_CHARS]
    return ""


def _next_doc_id(rows: list[dict]) -> str:
    ids = [int(r["doc_id"]) for r in rows if r["doc_id"].isdigit()]
    width = max([3] + [len(r["doc_id"]) for r in rows if r["doc_id"].isdigit()])
    return f"{max(ids, default=-1) + 1:0{width}d}"


def _check_value(option: str, value: str | None) -> str:
    value = (value or "").strip()
    if "\n" in value or "\r" in value:
        raise UsageError(f"{option} {value!r}: holds a line break — give it on one line.")
    return value


def _check_choice(option: str, value: str, valid: tuple[str, ...], *, empty_ok: bool = True) -> str:
    """``value`` if empty (where allowed) or one of ``valid``; else :func:`analysis.choices.check`'s error."""
    if value or not empty_ok:
        choices.check(value, valid, what=option)
    return value


def _read_manifest(manifest: Path) -> tuple[list[str], list[dict], str]:
    """``(header, rows, line terminator)`` of an existing manifest, or of a new one."""
    if not manifest.exists():
        if not manifest.parent.is_dir():
            raise InputError(f"{manifest}: neither the manifest nor its folder exists — create the folder "
                             f"or give --manifest an existing manifest.csv.")
        return list(NEW_MANIFEST_COLUMNS), [], "\n"
    rows = corpus.read_manifest(manifest, allow_empty=True)
    raw = manifest.read_bytes()
    with manifest.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh), [])
    return header, rows, "\r\n" if b"\r\n" in raw else "\n"


def write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.adding")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def bureau(region: str, *, jurisdiction: str | None, name_zh: str, rows: list[dict], province: str = "",
           prefecture: str = "") -> str:
    """The jurisdiction a new document belongs to: ``jurisdiction`` when given; else that of an existing
    document with the same Chinese name and no other province or prefecture (未央区 added again under another
    slug is still 未央区; 新城区 of another city is not); else ``region``."""
    given = _check_value("--jurisdiction", jurisdiction)
    if given:
        if not corpus.REGION_RE.match(given):
            raise UsageError(f"--jurisdiction {given!r}: not a lower-case slug (e.g. 'weiyang').")
        return given
    def agrees(mine: str, theirs: str) -> bool:
        return not mine or not theirs or mine.strip() == theirs.strip()

    same = [r.get("jurisdiction") or r["region"] for r in rows if r.get("name_zh", "").strip() == name_zh
            and agrees(province, r.get("province", "")) and agrees(prefecture, r.get("prefecture", ""))]
    return same[-1] if same else region


def document_slug(jurisdiction: str, *, year: str, doc_type: str, rows: list[dict],
                  header: list[str], region: str = "") -> tuple[str, list[str]]:
    """The new document's slug and the manifest's header: the jurisdiction's slug for its first document;
    for a further one ``{jurisdiction}_{year}_{doc_type}`` (``_2``, ``_3`` … while taken), and the header
    gains a ``jurisdiction`` column if it has none (existing rows keep their own slug as jurisdiction)."""
    taken = {r["region"] for r in rows}
    same = [r for r in rows if (r.get("jurisdiction") or r["region"]) == jurisdiction]
    if not same and jurisdiction not in taken and (region or jurisdiction) == jurisdiction:
        return jurisdiction, header
    if region and region != jurisdiction and region not in taken:  # the user's own slug for this document
        return region, header if "jurisdiction" in header else [*header, "jurisdiction"]
    base = f"{jurisdiction}_{year or 'unknown'}_{doc_type}"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}_{n}"
    return slug, header if "jurisdiction" in header else [*header, "jurisdiction"]


def add(file: Path, *, region: str, name_zh: str, year: str, doc_type: str, name_en: str | None = None,
        province: str = "", prefecture: str = "", admin_level: str = "", issuer: str = "", date: str = "",
        title: str | None = None, source_note: str = "", layout: str = "", task_unit: str = "",
        jurisdiction: str | None = None, manifest: Path | None = None) -> Added:
    """Check, read back, segment, then copy ``file`` into the manifest's folder and append its row."""
    src = Path(file)
    if not src.exists():
        raise InputError(f"{src}: file not found — give the path of the plan's file.")
    if not src.is_file():
        raise InputError(f"{src}: is not a file — give the path of the plan's file.")
    region = _check_value("--region", region)
    if not corpus.REGION_RE.match(region):
        raise UsageError(f"--region {region!r}: not a lower-case slug — use lower-case ASCII letters, digits "
                         f"and _, starting with a letter (e.g. 'weiyang').")
    name_zh = _check_value("--name", name_zh)
    if not name_zh:
        raise UsageError("--name '': empty — give the jurisdiction's Chinese name (e.g. 未央区).")
    year = _check_value("--year", year)
    if year.lower() == "unknown":
        year = ""
    elif not corpus.YEAR_RE.match(year) or not 1949 <= int(year) <= 2100:
        raise UsageError(f"--year {year!r}: not a four-digit year — give the year the plan is for "
                         f"(e.g. 2024), or 'unknown'.")
    doc_type = _check_choice("--type", _check_value("--type", doc_type), corpus.DOC_TYPES, empty_ok=False)
    admin_level = _check_choice("--level", _check_value("--level", admin_level), corpus.ADMIN_LEVELS)
    level_derived = not admin_level
    if level_derived:
        admin_level = level_of_name(name_zh)
    layout = _check_choice("--layout", _check_value("--layout", layout), corpus.LAYOUTS)
    task_unit = _check_choice("--task-unit", _check_value("--task-unit", task_unit), corpus.TASK_UNITS)
    date = _check_value("--date", date)
    if date:
        try:
            if not DATE_RE.match(date):
                raise ValueError
            dt.date.fromisoformat(date)
        except ValueError:
            raise UsageError(f"--date {date!r}: not a date in the form YYYY-MM-DD (e.g. 2024-03-15) — "
                             f"fix it or leave it out.") from None
    values = {k: _check_value(f"--{o}", v) for k, o, v in (
        ("province", "province", province), ("prefecture", "prefecture", prefecture),
        ("issuer", "issuer", issuer), ("source_note", "source-note", source_note))}

    manifest = Path(manifest or config.MANIFEST)
    header, rows, newline = _read_manifest(manifest)
    missing = [c for c in corpus.REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputError(f"{manifest}: manifest lacks column(s) {', '.join(missing)} — "
                         f"expected {', '.join(corpus.REQUIRED_COLUMNS)}.")
    for column, value in (("layout", layout), ("task_unit", task_unit)):
        if value and column not in header:
            raise InputError(f"{manifest}: has no {column!r} column for --{column.replace('_', '-')} — "
                             f"add the column to its header, or leave the option out.")
    data = src.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    for r in rows:
        if r["sha256"].lower() == digest:
            raise InputError(f"{src}: already in the manifest as doc_id {r['doc_id']} (region {r['region']!r}, "
                             f"file {r['file']}; same sha256) — nothing to add.")
    jurisdiction, read_header = bureau(region, jurisdiction=jurisdiction, name_zh=name_zh, rows=rows,
                                       province=values["province"], prefecture=values["prefecture"]), list(header)
    region, header = document_slug(jurisdiction, year=year, doc_type=doc_type, rows=rows, header=header,
                                   region=region)

    doc_id = _next_doc_id(rows)
    ext = src.suffix.lower() if re.fullmatch(r"\.[a-z0-9]{1,5}", src.suffix.lower()) else ".txt"
    fmt = corpus.sniff(data)
    if fmt in FORMAT_EXTENSIONS and ext not in corpus.FORMAT_SUFFIXES.get(fmt, ()):
        ext = FORMAT_EXTENSIONS[fmt]  # a PDF saved as .txt is kept as .pdf: its name says what it is
    elif fmt == "text" and ext in FORMAT_EXTENSIONS.values():
        ext = ".txt"
    name = f"{doc_id}_{jurisdiction}_{year or 'unknown'}_{doc_type}{ext}"
    dest = manifest.parent / name
    if dest.exists():
        raise InputError(f"{dest}: already exists but is not in the manifest — remove it, or register it "
                         f"by hand, before adding {src.name}.")

    row = {c: "" for c in header}
    row.update(doc_id=doc_id, region=region, name_zh=name_zh, admin_level=admin_level, year=year,
               doc_type=doc_type, date=date, file=name, sha256=digest, **values)
    if "jurisdiction" in header:
        row["jurisdiction"] = jurisdiction
    if "layout" in header:
        row["layout"] = layout
    if "task_unit" in header:
        row["task_unit"] = task_unit
    # Read the document back exactly as the build will: format, encoding, line ends, traditional Chinese.
    quiet = logging.getLogger(corpus.__name__)
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # the encoding is in the summary line, not a log warning
    try:
        doc = corpus.from_bytes(row, data, path=src)
    finally:
        quiet.setLevel(level)
    given_title = _check_value("--title", title)
    row["title"] = given_title or _first_line(doc.original_text)
    derived = not _check_value("--name-en", name_en)
    row["name_en"] = english_name(name_zh) if derived else _check_value("--name-en", name_en)
    doc = replace(doc, meta=dict(row), path=dest)
    seg = _segment(doc, src)

    # Only now write: the file, then the manifest (atomically; the file is removed if the manifest fails).
    write_atomically(dest, data)
    try:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=header, lineterminator=newline)
        existing = manifest.read_bytes() if manifest.exists() else b""
        if existing and header != read_header:
            existing = b""  # the header gains the column: the manifest is written anew, rows as they were
            writer.writeheader()
            for r in rows:
                writer.writerow({**r, "jurisdiction": r.get("jurisdiction") or ""})
        elif not existing:
            writer.writeheader()
        elif not existing.endswith(b"\n"):
            out.write(newline)
        writer.writerow(row)
        write_atomically(manifest, existing + out.getvalue().encode("utf-8"))
    except BaseException:
        dest.unlink(missing_ok=True)
        raise
    return Added(row=row, path=dest, manifest=manifest, doc=doc, name_en_derived=derived,
                 level_derived=level_derived, **seg)


def _segment(doc: corpus.Document, src: Path) -> dict:
    """Layout, task level, tasks and warnings as the build will find them (nothing is written)."""
    from analysis import segment
    from analysis.errors import AnalysisError
    from analysis.segment.units import NON_TASK_UNITS

    try:
        seg = segment.document(doc)
    except AnalysisError:
        raise
    except Exception as exc:  # a segmentation bug must not leave a half-added document
        raise InputError(f"{src}: segmentation failed ({type(exc).__name__}: {exc}) — nothing was added; try "
                         f"--layout paragraphs, and report the document.") from None
    kinds = {n.kind for n in seg.notes}
    flags = tuple(f for f, k in (("FALLBACK", "fallback"), ("LOST TEXT", "uncovered"), ("DOUBTFUL", "doubt"))
                  if k in kinds)
    return {"layout": seg.layout, "task_unit": seg.task_unit,
            "n_tasks": sum(1 for t in seg.tasks if t.unit not in NON_TASK_UNITS),
            "n_warnings": len(seg.notes), "flags": flags}


def register(sub) -> None:
    """The ``add`` command (cli.py calls this)."""
    p = sub.add_parser(
        "add", help="add a plan (text, web page, PDF or Word file) to the corpus (copy, hash, manifest row)",
        description="Check a plan's file (text, web page, PDF or Word), read it back as the build will (format, encoding, line ends, "
                    "traditional Chinese) and segment it; then copy it into the manifest's folder as "
                    "NNN_<region>_<year>_<type>.<ext> and append its manifest row. Nothing is written if any "
                    "check fails. Prints one line: doc_id, file, encoding, characters, layout, tasks, warnings.",
        epilog="example: python -m analysis add ~/plans/weiyang2024.txt --region weiyang2024 --name 未央区 "
               "--year 2024 --type work_plan --province '陕西省 Shaanxi' --prefecture \"西安市 Xi'an\" "
               "--level district --date 2024-02-20")
    p.add_argument("file", type=Path, metavar="FILE",
                   help="the plan: plain text (UTF-8, GB18030, Big5, UTF-16), a saved web page (.html), a PDF or a "
                        "Word file (.docx; .doc/.wps/.rtf converted when LibreOffice is installed); the format is "
                        "told from the content")
    p.add_argument("--region", required=True,
                   help="the jurisdiction's lower-case slug, e.g. weiyang; a further document of the same "
                        "jurisdiction (another year, a summary) gets the slug weiyang_2024_work_summary and "
                        "jurisdiction weiyang")
    p.add_argument("--name", required=True, dest="name_zh", help="Chinese name of the jurisdiction, e.g. 未央区")
    p.add_argument("--jurisdiction", default=None,
                   help="the bureau this document belongs to (a slug), when --region is the document's own slug; "
                        "default: the bureau of an earlier document with the same --name, else --region")
    p.add_argument("--name-en", default=None,
                   help="English name (default: from pinyin, e.g. 未央区 -> 'Weiyang District')")
    p.add_argument("--year", required=True, help="year the plan is for (four digits), or 'unknown'")
    p.add_argument("--type", required=True, dest="doc_type", metavar="TYPE",
                   help="document type: " + ", ".join(corpus.DOC_TYPES))
    p.add_argument("--province", default="", help="e.g. '陕西省 Shaanxi'")
    p.add_argument("--prefecture", default="", help="e.g. \"西安市 Xi'an\"")
    p.add_argument("--level", default="", dest="admin_level", metavar="LEVEL",
                   help="administrative level: " + ", ".join(corpus.ADMIN_LEVELS) + " (default: from the name's "
                        "suffix, 区 district, 县/旗 county; unknown for 市)")
    p.add_argument("--issuer", default="", help="issuing body, e.g. 西安市未央区民政局")
    p.add_argument("--date", default="", help="date of issue, YYYY-MM-DD")
    p.add_argument("--title", default=None, help="title (default: the file's first non-empty line, 60 characters)")
    p.add_argument("--source-note", default="", help="where the text came from, and its quirks")
    p.add_argument("--layout", default="", help="force a layout: " + ", ".join(corpus.LAYOUTS) + " (default: auto)")
    p.add_argument("--task-unit", default="", help="task level: " + ", ".join(corpus.TASK_UNITS) + " (default: auto)")
    p.add_argument("--manifest", type=Path, default=None,
                   help="manifest CSV (default data/raw/manifest.csv); the file is copied beside it")

    def one_line_error(message: str):
        raise SystemExit(_usage_error(message))

    p.error = one_line_error  # argparse's own errors (a missing option) in one line too
    p.set_defaults(func=run)


def _usage_error(message: str) -> int:
    import sys

    print(f"error: {message} — see `python -m analysis add --help`", file=sys.stderr)
    return 2


def run(args) -> int:
    added = add(args.file, region=args.region, name_zh=args.name_zh, name_en=args.name_en, year=args.year,
                doc_type=args.doc_type, province=args.province, prefecture=args.prefecture,
                admin_level=args.admin_level, issuer=args.issuer, date=args.date, title=args.title,
                source_note=args.source_note, layout=args.layout, task_unit=args.task_unit,
                jurisdiction=args.jurisdiction, manifest=args.manifest)
    print(added.summary())
    return 0

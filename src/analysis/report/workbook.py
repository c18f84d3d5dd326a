"""The Excel workbook: the comparison tables, one sheet each, written byte-for-byte reproducibly."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from functools import lru_cache

import numpy as np
import pandas as pd

from analysis import resources
from analysis.coverage import STATES, label
from analysis.errors import UsageError
from analysis.report.glossary import term_label
from analysis.report.labels import caveats, distinct_names, domain_names, source_name
from analysis.report.leaders import leader_counts
from analysis.report.style import check_lang, display_width
from analysis.report.targets import side_by_side

#: Fixed timestamp written into the workbook's properties and zip entries (reproducible files).
FIXED_ISO = "2000-01-01T00:00:00Z"


FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


CORE_DATE_RE = re.compile(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


MAX_COLUMN_WIDTH = 60


LABELS_FILE = "workbook_labels.csv"
#: Columns whose values are region slugs (shown as names), domain codes (shown as names), booleans.
REGION_COLUMNS = ("region", "other_region")
DOMAIN_COLUMNS = ("other_domain",)
#: Sheets (English keys) in the order they are written; definitions in the notes sheet, by key.
SHEET_NOTES = {"coverage": "coverage", "coverage_state": "state", "targets": "targets",
               "comparable_targets": "comparable", "similarity": "similarity", "alignment": "alignment",
               "shared_phrases": "shared_phrases", "keyness": "keyness", "evidence": "evidence"}


@lru_cache(maxsize=1)
def _labels() -> dict[tuple[str, str], dict[str, str]]:
    return {(r["kind"], r["key"]): r for r in resources.rows(LABELS_FILE, columns=("kind", "key", "zh", "en"))}


def text(kind: str, key: str, *, lang: str) -> str:
    """A sheet name, column header, value or note of the workbook in ``lang`` (the key when unlisted)."""
    entry = _labels().get((kind, key))
    return entry[lang] if entry else key


def _in(frame: pd.DataFrame, regions: list[str] | None, *columns: str) -> pd.DataFrame:
    for col in columns:
        if regions and col in frame.columns:
            frame = frame[frame[col].isin(regions)]
    return frame


def _wide(cov: pd.DataFrame, prof: pd.DataFrame, value: str, *, lang: str) -> pd.DataFrame:
    order = list(dict.fromkeys(cov.sort_values("domain_rank", kind="mergesort")["domain"]))
    regions = [r for r in prof.sort_values("doc_id", kind="mergesort")["region"] if r in set(cov["region"])]
    reg_names, dom_names = distinct_names(prof, lang=lang), domain_names(cov, lang=lang)
    grid = cov.pivot(index="domain", columns="region", values=value).reindex(index=order, columns=regions)
    grid.columns = [reg_names[r] for r in grid.columns]
    grid.insert(0, "domain_name", [dom_names[d] for d in grid.index])
    return grid.rename_axis("domain").reset_index()


def evidence_rows(data: dict, *, regions: list[str] | None = None) -> pd.DataFrame:
    """The evidence of every cell that is not absent (every shown region x domain with tasks)."""
    from analysis import coverage

    cov = _in(data["coverage"], regions, "region")
    cells = cov[cov["n_tasks"] > 0].sort_values(["doc_id", "domain_rank"], kind="mergesort")
    frames = [coverage.evidence(data["tasks"], data.get("targets"), region=r, domain=d)
              for r, d in zip(cells["region"], cells["domain"])]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=coverage.EVIDENCE_COLUMNS)


def significant_keyness(keyness: pd.DataFrame) -> pd.DataFrame:
    """The keyness rows that pass the correction, with each term's English (gloss, or pinyin marked †)."""
    rows = keyness[keyness["significant"].astype(str).str.lower() == "true"] if "significant" in keyness else keyness
    rows = rows.copy()
    rows.insert(rows.columns.get_loc("term") + 1, "term_en", [term_label(t, lang="en").rsplit(" (", 1)[0]
                                                              for t in rows["term"]])
    return rows


def _shared(phrases: pd.DataFrame, regions: list[str] | None) -> pd.DataFrame:
    if not regions:
        return phrases
    used = phrases["regions"].astype(str).str.split(";").map(lambda rs: sum(r in regions for r in rs))
    return phrases[used >= 2]


def appendix(data: dict, *, lang: str = "zh", regions: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """The comparison tables (English sheet keys, the tables' own columns), in order, for ``regions``."""
    cov = _in(data["coverage"], regions, "region")
    prof = _in(data["profiles"], regions, "region")
    sheets = {"document_profiles": prof, "coverage": cov}
    for value in ("state", "share_tasks", "share_chars", "n_tasks"):
        sheets["coverage_state" if value == "state" else value] = _wide(cov, prof, value, lang=lang)
    targets = data.get("targets")
    if targets is not None:
        targets = _in(targets, regions, "region")
        sheets["targets"] = targets
        sheets["comparable_targets"] = side_by_side(targets)
    optional = {"similarity": lambda f: _in(f, regions, "region", "other_region"),
                "alignment": lambda f: _in(f, regions, "region", "other_region"),
                "shared_phrases": lambda f: _shared(f, regions),
                "keyness": lambda f: significant_keyness(_in(f, regions, "region"))}
    for name, pick in optional.items():
        if data.get(name) is not None:
            sheets[name] = pick(data[name])
    sheets["evidence"] = evidence_rows(data, regions=regions)
    for name, sides in (("target_followup", ("region", "report_region")), ("task_changes", ("region", "other_region")),
                        ("coverage_by_group", ())):
        frame = data.get(name)
        if frame is not None and len(frame):  # a bureau with several documents (groups: always)
            keep = frame if not regions or not sides else frame[frame[sides[0]].isin(regions)
                                                                | frame[sides[1]].isin(regions)]
            sheets[name] = keep
    tasks = _in(data["tasks"], regions, "region")
    if "leader" in tasks.columns and (tasks["leader"].fillna("").astype(str).str.strip() != "").any():
        for column in ("leader", "department"):
            counts = leader_counts(tasks, column=column)
            sheets[f"tasks_per_{column}"] = pd.DataFrame({
                column: counts.index, f"{column}_en": [source_name(n, lang="en") for n in counts.index],
                "n_tasks": counts.to_numpy()})
    return sheets


def notes(sheets: dict, profiles: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """The notes sheet: what the workbook is, caveats (the corpus's and each document's), definitions."""
    about, caveat = text("topic", "about", lang=lang), text("topic", "caveat", lang=lang)
    rows = [(about, text("note", "about", lang=lang)), (caveat, text("note", "caveat_corpus", lang=lang))]
    rows += [(caveat, c) for c in caveats(profiles, lang=lang)]
    rows.append((caveat, text("note", "in_sample", lang=lang)))
    rows += [(text("sheet", name, lang=lang), text("note", key, lang=lang))
             for name, key in SHEET_NOTES.items() if name in sheets]
    return pd.DataFrame(rows, columns=["topic", "text"])


def _value(v, *, column: str, lang: str, regions: dict, domains: dict):
    """One cell in ``lang``: booleans, states, kinds, types, methods, region and domain names."""
    if isinstance(v, (bool, np.bool_)) or (isinstance(v, str) and v in ("True", "False")):
        return text("value", str(v).lower(), lang=lang)
    if not isinstance(v, str):
        return v
    if column in REGION_COLUMNS:
        return regions.get(v, v)
    if column == "regions":
        return "; ".join(regions.get(r, r) for r in v.split(";"))
    if column in DOMAIN_COLUMNS:
        return domains.get(v, v)
    if column == "state":
        return label(f"state.{v}", lang=lang) if v in STATES else v
    if column in ("kind", "source"):
        return text("value", v, lang=lang) if (("value", v) in _labels()) else _kind(v, lang=lang)
    if column == "doc_type":
        return label(f"doc_type.{v}", lang=lang) if v else v
    if column == "method":
        return text("value", v, lang=lang)
    return v


def _kind(v: str, *, lang: str) -> str:
    try:
        return label(f"kind.{v}", lang=lang)
    except KeyError:
        return v


def translate(sheets: dict[str, pd.DataFrame], data: dict, *, lang: str) -> dict[str, pd.DataFrame]:
    """Sheet names, headers and values in ``lang``; region and domain codes shown as names (the document
    profiles keep the region codes)."""
    regions = distinct_names(data["profiles"], lang=lang)
    domains = domain_names(data["coverage"], lang=lang)
    out = {}
    for name, frame in sheets.items():
        percent = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c]) and (
            str(c).startswith("share") or name.startswith("share"))]
        frame = frame.copy()
        if name == "document_profiles":
            frame = frame.rename(columns={"region": "region_code"})
        if "domain" in frame.columns and not {"domain_zh", "domain_name"} & set(frame.columns):
            frame.insert(frame.columns.get_loc("domain") + 1, "domain_name", [domains.get(d, d) for d in frame["domain"]])
        for col in frame.columns:
            kind = "state" if name == "coverage_state" and col not in ("domain", "domain_name") else col
            if kind == "domain" or not (pd.api.types.is_bool_dtype(frame[col]) or pd.api.types.is_string_dtype(frame[col])
                                        or frame[col].dtype == object):
                continue  # domain codes stay codes (their names are beside them)
            frame[col] = [_value(v, column=kind, lang=lang, regions=regions, domains=domains) for v in frame[col]]
        header = {c: text("column", str(c), lang=lang) if c in COLUMN_KEYS() else str(c) for c in frame.columns}
        frame.columns = [header[c] for c in frame.columns]
        frame.attrs["percent"] = [header[c] for c in percent if c in header]
        out[text("sheet", name, lang=lang)[:31]] = frame
    return out


def COLUMN_KEYS() -> set[str]:  # noqa: N802 - a constant computed from the labels file
    return {k for kind, k in _labels() if kind == "column"}


def workbook_tables(data: dict, *, lang: str = "zh", regions: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """The report's appendix, one frame per sheet (sheet name -> frame), in ``lang``: the notes sheet, then
    every comparison table (coverage, targets, comparable indicators, similarity, alignment, shared
    phrases, significant keyness, evidence, task-list counts) of ``regions`` (default: all)."""
    check_lang(lang)
    sheets = appendix(data, lang=lang, regions=regions)
    prof = _in(data["profiles"], regions, "region")
    return translate({"notes": notes(sheets, prof, lang=lang), **sheets}, data, lang=lang)


def _width(values) -> int:
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
    """One sheet per table: bold, frozen header row with an autofilter, columns as wide as their content
    (capped; longer text wraps); share columns (``frame.attrs['percent']``) shown as per cent."""
    from openpyxl.styles import Alignment, Font
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
            if len(frame) and len(frame.columns):
                ws.auto_filter.ref = ws.dimensions
            percent = set(frame.attrs.get("percent", ()))
            for i, col in enumerate(frame.columns, start=1):
                letter = get_column_letter(i)
                if col in percent:  # shown as per cent; the cell keeps the full value
                    for cell in ws[letter][1:]:
                        cell.number_format = "0.0%"
                    sample = [col, "100.0%"]
                else:
                    sample = [col] + frame[col].head(500).tolist()
                ws.column_dimensions[letter].width = _width(sample)
                if max((display_width(str(v)) for v in sample), default=0) > MAX_COLUMN_WIDTH:
                    for cell in ws[letter][1:]:  # long text wraps within the capped width
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
        props = writer.book.properties
        props.creator = props.lastModifiedBy = "analysis"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_reproducible_zip(buf.getvalue()))
    return path


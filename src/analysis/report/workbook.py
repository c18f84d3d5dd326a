"""The Excel workbook: the comparison tables, one sheet each, written byte-for-byte reproducibly."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from analysis.errors import UsageError
from analysis.report.labels import domain_names, region_names, source_name
from analysis.report.leaders import leader_counts
from analysis.report.style import display_width
from analysis.report.targets import side_by_side

#: Fixed timestamp written into the workbook's properties and zip entries (reproducible files).
FIXED_ISO = "2000-01-01T00:00:00Z"


FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


CORE_DATE_RE = re.compile(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


MAX_COLUMN_WIDTH = 60


def workbook_tables(data: dict, *, lang: str = "zh") -> dict[str, pd.DataFrame]:
    """The comparison tables, one per sheet (sheet name -> frame), in order."""
    cov, prof = data["coverage"], data["profiles"]
    order = list(dict.fromkeys(cov.sort_values("domain_rank", kind="mergesort")["domain"]))
    regions = prof.sort_values("doc_id", kind="mergesort")["region"].tolist()
    dom_names = domain_names(cov, lang=lang)
    reg_names = region_names(prof, lang=lang)

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
        sheets["comparable_targets"] = side_by_side(targets)
    tasks = data["tasks"]
    if "leader" in tasks.columns and (tasks["leader"].astype(str).str.strip() != "").any():
        for column in ("leader", "department"):
            counts = leader_counts(tasks, column=column)
            sheets[f"tasks_per_{column}"] = pd.DataFrame({
                column: counts.index, f"{column}_en": [source_name(n, lang="en") for n in counts.index],
                "n_tasks": counts.to_numpy()})
    return sheets


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


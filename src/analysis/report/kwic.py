"""Keyword in context across every plan (like quanteda's ``kwic``): each occurrence of a keyword in the
tasks' text, with its document, task, offsets into the raw file and the text either side.

The tasks' text is the source's own, character for character (traditional characters converted to
simplified at the same offsets), so ``raw[start:end]`` is the keyword and the contexts are the
characters before and after it within the task (at most ``window`` each).
"""

from __future__ import annotations

import json
import re

import pandas as pd

from analysis import choices
from analysis.errors import UsageError

KWIC_COLUMNS = ["region", "doc_id", "task_id", "start", "end", "left", "keyword", "right"]
FORMATS = ("text", "csv", "json")
WINDOW = 20
NEWLINES_RE = re.compile(r"\s*\n\s*")


def _simplified(keyword: str) -> str:
    """The keyword as the tasks' text has it: traditional characters converted to simplified."""
    from analysis.corpus import t2s_char

    return "".join(t2s_char(ch) if "\u3400" <= ch <= "\u9fff" else ch for ch in keyword)


def search(tasks: pd.DataFrame, keyword: str, *, window: int = WINDOW, regions: list[str] | None = None,
           regex: bool = False) -> pd.DataFrame:
    """Every occurrence of ``keyword`` (a regular expression with ``regex``) in the tasks of ``regions``
    (default: all), in document order: ``region``, ``doc_id``, ``task_id``, ``start`` / ``end`` (offsets into
    the raw file), ``left``, ``keyword`` (the matched text), ``right`` (at most ``window`` characters of the
    same task either side)."""
    if not keyword or not keyword.strip():
        raise UsageError("kwic needs a keyword.")
    if window < 0:
        raise UsageError(f"--window must be 0 or more, not {window}.")
    try:
        pattern = re.compile(keyword if regex else re.escape(_simplified(keyword.strip())))
    except re.error as exc:
        raise UsageError(f"bad regular expression {keyword!r}: {exc}") from None
    rows = tasks if not regions else tasks[tasks["region"].isin(regions)]
    rows = rows.sort_values(["doc_id", "start"], kind="mergesort")
    out = []
    for region, doc_id, task_id, text, t0 in zip(rows["region"], rows["doc_id"], rows["task_id"], rows["text"],
                                                  rows["start"]):
        text, t0 = str(text), int(t0)
        for m in pattern.finditer(text):
            if m.end() == m.start():
                continue
            out.append((region, doc_id, task_id, t0 + m.start(), t0 + m.end(), text[max(0, m.start() - window):m.start()],
                        m.group(0), text[m.end():m.end() + window]))
    return pd.DataFrame(out, columns=KWIC_COLUMNS)


def _flat(text: str) -> str:
    return NEWLINES_RE.sub(" ", text)


def format_text(hits: pd.DataFrame, *, keyword: str, window: int) -> str:
    """One line per hit, keywords aligned: ``[region task_id start:end] left | keyword | right``."""
    if hits.empty:
        return f"no occurrence of {keyword!r}."
    from analysis.report.style import display_width

    lefts = [_flat(t) for t in hits["left"]]
    pad = max(display_width(t) for t in lefts)
    lines = [f"{len(hits)} occurrence(s) of {keyword!r} in {hits['region'].nunique()} plan(s), "
             f"{hits['task_id'].nunique()} task(s); context {window} characters:"]
    for r, left in zip(hits.itertuples(index=False), lefts):
        where = f"[{r.task_id} {r.start}:{r.end}]"
        lines.append(f"{where:<24} {' ' * (pad - display_width(left))}{left} | {r.keyword} | {_flat(r.right)}")
    return "\n".join(lines)


def render(hits: pd.DataFrame, *, fmt: str, keyword: str, window: int) -> str:
    """``hits`` as ``text`` (aligned lines), ``csv`` (a header and one row each) or ``json`` (a list of records)."""
    choices.check(fmt, FORMATS, what="format")
    if fmt == "csv":
        return hits.to_csv(index=False).rstrip("\n")
    if fmt == "json":
        return json.dumps(hits.to_dict(orient="records"), ensure_ascii=False, indent=1, default=lambda v: v.item() if hasattr(v, "item") else str(v))
    return format_text(hits, keyword=keyword, window=window)

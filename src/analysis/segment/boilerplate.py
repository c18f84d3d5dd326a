"""Boilerplate: web-page footers, page metadata and signatures, each listed with its span."""

from __future__ import annotations

import re
from functools import lru_cache

from analysis import resources
from analysis.corpus import Document
from analysis.segment import spans as sp
from analysis.segment.patterns import DATE_LINE_RE, OFFICE_LINE_RE

#: Spaces between two CJK characters (metadata labels padded for alignment: 名       称).
LABEL_GAP_RE = re.compile(r"(?<=[\u4e00-\u9fff])[ \t\u3000]+(?=[\u4e00-\u9fff])")
#: Longest line a boilerplate rule may claim; longer lines carry text (a one-line page's tail is cut apart).
BOILER_LINE_MAX = 200
#: Kinds whose lines never hold a full stop (a line with 。 carries a sentence, so it is content).
NO_STOP_KINDS = ("footer", "page_metadata", "page_tools", "breadcrumb")
#: Footer signals that may close a long last line (a page saved without line breaks).
TAIL_FOOTER_RE = re.compile(r"(?:©|Copyright|版权所有|All Rights Reserved|主办\s*[:：]|承办\s*[:：]|ICP备|公网安备|网站标识码)")
#: The longest footer tail cut from the end of a long last line.
TAIL_FOOTER_MAX = 300


#: The whole-line rules: kind, pattern, note.
FILE = "boilerplate.csv"


@lru_cache(maxsize=1)
def boilerplate_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """(kind, pattern) rows of ``resources/boilerplate.csv``; a pattern must match a whole line."""
    return tuple((row["kind"], re.compile(row["pattern"])) for row in resources.rows(FILE, columns=("kind", "pattern")))


def line_kind(line: str) -> str | None:
    """The boilerplate kind of one whole line (stripped), or None when it is (or may be) content."""
    s = line.strip()
    if not s or len(s) > BOILER_LINE_MAX:
        return None
    squeezed = LABEL_GAP_RE.sub("", s)  # 名       称: -> 名称:
    for kind, pattern in boilerplate_patterns():
        if kind in NO_STOP_KINDS and "。" in s:
            continue
        if pattern.fullmatch(s) or (kind == "page_metadata" and pattern.fullmatch(squeezed)):
            return kind
    return None


def _label_only(line: str) -> bool:
    """A metadata label with no value (索引号：), whose value stands on the next line."""
    s = line.strip()
    return line_kind(s) == "page_metadata" and len(s.rstrip(":：").strip()) <= 6


def _tail_footer(text: str, start: int, end: int) -> int | None:
    """Where a footer starts inside a long line's tail (after its last full stop), or None."""
    stop = max(text.rfind("。", start, end), text.rfind("；", start, end), start)
    m = TAIL_FOOTER_RE.search(text, stop, end)
    if not m or end - m.start() > TAIL_FOOTER_MAX:
        return None
    return m.start()


def find_boilerplate(doc: Document) -> list[tuple[str, int, int]]:
    """Whole lines that a precise rule recognizes as footer, page metadata, page tools, breadcrumb or
    forwarding notice, anywhere; a footer closing a long last line; the signature block at the end.

    A line that carries task text is never claimed: rules match whole lines only, never lines over
    :data:`BOILER_LINE_MAX` characters, and footer-like kinds never a line with a full stop.
    """
    text = doc.text
    found = []
    lines = list(sp.lines(text))
    value_next = False
    for start, end, line in lines:
        if not line.strip():
            continue
        kind = line_kind(line)
        if kind is None and value_next and len(line.strip()) <= 80 and "。" not in line:
            kind = "page_metadata"  # the value under a label-only metadata line
        value_next = kind == "page_metadata" and _label_only(line)
        if kind:
            found.append((kind, start, end))
    flagged = {s for _, s, _ in found}
    # Signature: short office-name / date lines at the end, after the last real content line.
    issuer = doc.meta.get("issuer", "")
    for start, end, line in reversed(lines):
        if not line.strip() or start in flagged:
            continue
        s = sp.lstrip(text, start, end)
        if DATE_LINE_RE.match(line) or OFFICE_LINE_RE.match(line) or (issuer and line.strip() == issuer):
            found.append(("signature", s, sp.rstrip(text, start, end)))
            continue
        if len(line.strip()) > BOILER_LINE_MAX:  # a long last line: a page saved without line breaks
            cut = _tail_footer(text, start, end)
            if cut is not None:
                found.append(("footer", cut, sp.rstrip(text, start, end)))
        break
    return sorted(found, key=lambda x: x[1])

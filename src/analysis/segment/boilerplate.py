"""Boilerplate: web-page footers, page metadata and signatures, each listed with its span."""

from __future__ import annotations

import csv
import re
from functools import lru_cache

from analysis import config
from analysis.corpus import Document
from analysis.segment import spans as sp
from analysis.segment.patterns import DATE_LINE_RE, OFFICE_LINE_RE

@lru_cache(maxsize=1)
def boilerplate_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    with config.resource("boilerplate.csv").open(encoding="utf-8", newline="") as fh:
        return tuple((row["kind"], re.compile(row["pattern"])) for row in csv.DictReader(fh))



def find_boilerplate(doc: Document) -> list[tuple[str, int, int]]:
    """Footer and page-metadata lines anywhere, and the signature block at the very end."""
    found = []
    lines = list(sp.lines(doc.text))
    for start, end, line in lines:
        for kind, pattern in boilerplate_patterns():
            if pattern.search(line):
                found.append((kind, start, end))
                break
    flagged = {s for _, s, _ in found}
    # Signature: short office-name / date lines at the end, after the last real content line.
    for start, end, line in reversed(lines):
        if not line.strip() or start in flagged:
            continue
        issuer = doc.meta.get("issuer", "")
        if DATE_LINE_RE.match(line) or OFFICE_LINE_RE.match(line) or (issuer and line.strip() == issuer):
            found.append(("signature", sp.lstrip(doc.text, start, end), sp.rstrip(doc.text, start, end)))
            continue
        break
    return sorted(found, key=lambda x: x[1])



"""Boilerplate: web-page footers, page metadata and signatures, each listed with its span."""

from __future__ import annotations

import re
from functools import lru_cache

from analysis import resources
from analysis.schema import CONTENTS_KIND, DUPLICATE_KIND, SIGNATURE_KIND, TABLE_RULE_KIND
from analysis.corpus import Document
from analysis.segment import spans as sp
from analysis.segment.patterns import (
    CONTENTS_DECIMAL_RE,
    CONTENTS_ENTRY_MAX,
    CONTENTS_TITLE_RE,
    CONTENTS_TOP_RE,
    CONTENTS_UNTITLED_MIN,
    DATE_LINE_RE,
    OFFICE_LINE_RE,
    PUNCT_RE,
    RULE_LINE_RE,
)

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
#: A paragraph that repeats an earlier one word for word is a duplicate when it has at least this many
#: non-space characters and a full stop (a page that scraped its article twice; short lines and table
#: cells repeat by nature).
DUPLICATE_MIN = 40
#: Kind of the heading of a news page's list of other stories (相关推荐, 更多相关) in resources/boilerplate.csv;
#: the short lines after it are that list's titles and teasers.
RELATED_KIND = "related"
#: ... when the heading stands in the last part of the text: after this share of its characters.
RELATED_AFTER = 0.5
#: Site navigation after the page footer (民政系统 / 政务新媒体矩阵): short lines without punctuation.
NAV_LINE_MAX = 10


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


def _contents_entry(line: str) -> bool:
    s = line.strip()
    return 0 < len(s) <= CONTENTS_ENTRY_MAX and not any(c in s for c in "。；;，,")


def _squeeze(line: str) -> str:
    return re.sub(r"[\s\u3000]+", "", line)


def find_contents(lines: list[tuple[int, int, str]]) -> list[tuple[str, int, int]]:
    """A table of contents, as front matter: a 目录 title line and the short entry lines under it (up to
    a line with a sentence, a long line, or the first entry's heading repeated where the text begins),
    or an untitled run of at least :data:`CONTENTS_UNTITLED_MIN` short heading lines, one after another,
    mixing top-level entries (一、 / 第一章) with decimal-numbered ones (1.1 / 3.2.1): a report's
    contents, not a plan's points (a plan's heading lines carry no decimal numbering)."""
    found = []
    body = [(s, e, ln) for s, e, ln in lines if ln.strip()]
    i = 0
    while i < len(body):
        s, e, ln = body[i]
        if CONTENTS_TITLE_RE.fullmatch(ln):
            j, first = i + 1, None
            while j < len(body) and _contents_entry(body[j][2]):
                key = _squeeze(body[j][2])
                if first is None:
                    first = key
                elif key == first:
                    break
                j += 1
            if j - i > 2:
                found += [(CONTENTS_KIND, a, b) for a, b, _ in body[i:j]]
                i = j
                continue
        j = i
        while j < len(body) and _contents_entry(body[j][2]) and not (j > i and CONTENTS_TITLE_RE.fullmatch(body[j][2])):
            j += 1
        run = body[i:j]
        k = next((n for n, x in enumerate(run) if CONTENTS_TOP_RE.match(x[2]) or CONTENTS_DECIMAL_RE.match(x[2])), 0)
        first = _squeeze(run[k][2]) if run else ""
        m = next((n for n in range(k + 1, len(run)) if _squeeze(run[n][2]) == first), len(run))
        run = run[k:m]
        decimal = sum(bool(CONTENTS_DECIMAL_RE.match(x[2])) for x in run)
        top = sum(bool(CONTENTS_TOP_RE.match(x[2])) for x in run)
        if len(run) >= CONTENTS_UNTITLED_MIN and decimal >= len(run) // 2 and top >= 2:
            found += [(CONTENTS_KIND, a, b) for a, b, _ in run]
            j = i + k + len(run)
        i = max(j, i + 1)
    return found


def _notice_signature(text: str, lines, found) -> list[tuple[str, int, int]]:
    """The signature of a forwarding notice before the plan it forwards: an office line and a date line under
    it, after a line claimed as a notice (the salutation or body), before the plan's text."""
    notices = [s for k, s, _ in found if k == "notice"]
    claimed = {s for _, s, _ in found}
    rows = [(s, e, ln) for s, e, ln in lines if ln.strip()]
    out = []
    for (s1, e1, a), (s2, e2, b) in zip(rows, rows[1:]):
        if s1 in claimed or not notices or notices[0] > s1 or not OFFICE_LINE_RE.match(a) or not DATE_LINE_RE.match(b):
            continue
        out += [(SIGNATURE_KIND, sp.lstrip(text, s1, e1), sp.rstrip(text, s1, e1)),
                (SIGNATURE_KIND, sp.lstrip(text, s2, e2), sp.rstrip(text, s2, e2))]
    return out


def _duplicates(text: str, lines, claimed: set[int]) -> list[tuple[str, int, int]]:
    """Paragraphs (lines) that repeat an earlier one word for word: the second and later copies."""
    seen, out = set(), []
    for start, end, line in lines:
        if start in claimed or "。" not in line or "|" in line:
            continue
        key = "".join(line.split())
        if len(key) < DUPLICATE_MIN:
            continue
        if key in seen:
            out.append((DUPLICATE_KIND, sp.lstrip(text, start, end), sp.rstrip(text, start, end)))
        seen.add(key)
    return out


def _tail_navigation(text: str, lines, found: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Short lines without punctuation between the page's last footer line and the end (民政系统 / 政务新媒体
    矩阵): the site's navigation, a footer too. None when a content line stands between."""
    kinds = {s: k for k, s, _ in found}
    pending = []
    for start, end, line in reversed(lines):
        if not line.strip():
            continue
        s = sp.lstrip(text, start, end)
        kind = kinds.get(start, kinds.get(s))
        if kind is not None:
            return pending if kind == "footer" else []
        if len(line.strip()) > NAV_LINE_MAX or PUNCT_RE.search(line):
            return []
        pending.append(("footer", s, sp.rstrip(text, start, end)))
    return []


def _related_tail(text: str, lines, found: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The lines after a news page's related-stories heading (更多相关 / 相关推荐, in the text's last half) up
    to the end: titles and teasers of other stories. None when a line too long for a
    teaser (over :data:`BOILER_LINE_MAX` characters, the article going on) stands among them. Lines other rules
    claim (a rule line, the footer) keep their kind."""
    heads = [s for k, s, _ in found if k == RELATED_KIND and s >= RELATED_AFTER * len(text)]
    if not heads:
        return []
    claimed = {s for _, s, _ in found}
    out = []
    for start, end, line in lines:
        if start <= heads[0] or not line.strip():
            continue
        if start in claimed:  # a rule line among the links (-), or the page footer
            continue
        if len(line.strip()) > BOILER_LINE_MAX:
            return []
        out.append((RELATED_KIND, sp.lstrip(text, start, end), sp.rstrip(text, start, end)))
    return out


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
        if kind is None and RULE_LINE_RE.fullmatch(line):
            kind = TABLE_RULE_KIND  # a table's rules on a line of their own: no text
        if kind:
            found.append((kind, start, end))
    claimed = {s for _, s, _ in found}
    found += [x for x in find_contents(lines) if x[1] not in claimed]
    found += _duplicates(text, lines, {s for _, s, _ in found})
    found += _related_tail(text, lines, found)
    found += _tail_navigation(text, lines, found)
    found += _notice_signature(text, lines, found)
    flagged = {s for _, s, _ in found}
    # Signature: short office-name / date lines at the end, after the last real content line.
    issuer = doc.meta.get("issuer", "")
    for start, end, line in reversed(lines):
        if not line.strip() or start in flagged:
            continue
        s = sp.lstrip(text, start, end)
        if DATE_LINE_RE.match(line) or OFFICE_LINE_RE.match(line) or (issuer and line.strip() == issuer):
            found.append((SIGNATURE_KIND, s, sp.rstrip(text, start, end)))
            continue
        if len(line.strip()) > BOILER_LINE_MAX:  # a long last line: a page saved without line breaks
            cut = _tail_footer(text, start, end)
            if cut is not None:
                found.append(("footer", cut, sp.rstrip(text, start, end)))
        break
    return sorted(found, key=lambda x: x[1])

"""Lexicon hits: where each lexicon term falls in a task's text, its clause, and the weight it carries once
the part multipliers and the named-in-passing factor (an enumeration of fields, a list of agents) apply."""

from __future__ import annotations

import bisect
import re
from collections import defaultdict

from analysis import punctuation, tokenization
from analysis.domains.lexicon import Rules, matcher

__all__ = ["AGENT_LIST_RE", "CLAUSE_BOUNDARY_RE", "ENUMERATION_SEP", "RESPONSIBILITY_NOTE_RE", "lexicon_hits",
           "weighted_hits"]

#: Clause boundaries for the enumeration rule: punctuation that ends a clause, table cell bars, newlines.
#: (No lexicon term contains one, so a term never straddles two clauses.)
CLAUSE_BOUNDARY_RE = punctuation.boundary_re(clauses=True, lines=True, cells=True)
#: A list of agents a task calls on, open-ended with 等 (充分发挥社会组织、行业协会、村（居）委会等组织的作用,
#: 发挥志愿者等力量作用): the agents are named in passing, not the task's subject (强化殡葬宣传). A function
#: (发挥兜底保障作用) or a subject's roles (发挥社会组织服务国家、服务社会…的作用) is no such list.
AGENT_LIST_RE = re.compile(r"发挥[^。；;！？!?\n]{1,40}?等[^。；;！？!?\n、，,]{0,6}作用")
#: A task list's note on who does the task, in brackets at its end ((政策法规处牵头，信息中心配合) / 〔…司(局)牵头〕 /
#: (…按职责分工负责)): the offices are named as agents (养老服务处 names an office, not the task's subject), like
#: :data:`AGENT_LIST_RE` (seg15 reading: a ministry's task list whose notes named 社区治理司 and 养老服务司).
_NOTE_CHAR = r"(?:[^（）()〔〕\n]|[（(][^（）()\n]{0,6}[）)])"  # a short bracket inside a note: 制发司(局)
RESPONSIBILITY_NOTE_RE = re.compile(rf"[（(〔]{_NOTE_CHAR}{{0,80}}?(?:牵头|配合|负责){_NOTE_CHAR}{{0,30}}?[）)〕]")
#: The 顿号 that separates the items of an enumeration.
ENUMERATION_SEP = "、"

def lexicon_hits(text: str, part: str, *, norm: str | None = None) -> list[tuple]:
    """(part, clause_no, term, domain, weight, clause_items, agent) for each lexicon hit in ``text``.

    ``clause_no`` numbers the clauses (runs between :data:`CLAUSE_BOUNDARY_RE` marks); ``clause_items``
    is how many 、-separated items the hit's clause has (the enumeration rule is applied in :func:`score`);
    ``agent`` flags a hit inside a list of agents whose part a task calls on (:data:`AGENT_LIST_RE`) or a
    note on the offices that do it (:data:`RESPONSIBILITY_NOTE_RE`).
    ``norm``: ``tokenization.normalize(text)`` when the caller has it.
    """
    pattern, table = matcher()
    norm = tokenization.normalize(text) if norm is None else norm
    out = []
    bounds: list[int] | None = None
    items: dict[int, int] = {}
    agents = [m.span() for m in AGENT_LIST_RE.finditer(norm)] if "发挥" in norm else []
    if "牵头" in norm or "配合" in norm or "负责" in norm:
        agents += [m.span() for m in RESPONSIBILITY_NOTE_RE.finditer(norm)]
    for m in pattern.finditer(norm):
        if bounds is None:
            bounds = [b.start() for b in CLAUSE_BOUNDARY_RE.finditer(norm)]
        c = bisect.bisect_right(bounds, m.start())
        if c not in items:
            lo = bounds[c - 1] + 1 if c else 0
            hi = bounds[c] if c < len(bounds) else len(norm)
            items[c] = norm.count(ENUMERATION_SEP, lo, hi) + 1
        term = m.group()
        agent = any(a <= m.start() < b for a, b in agents)
        for domain, weight in table[term]:
            out.append((part, c, term, domain, weight, items[c], agent))
    return out


def weighted_hits(text: str, part: str, r: Rules, *, norm: str | None = None) -> list[tuple]:
    """(part, clause, term, domain, weight, enumeration) for each lexicon hit in ``text``: the weight times
    the part's multiplier, and times ``enumeration_factor`` inside a list named in passing: of fields (a
    clause with at least ``enumeration_min_items`` 、-items whose hits span at least
    ``enumeration_min_domains`` domains) or of the agents a task calls on (充分发挥社会组织、行业协会等的作用)."""
    hits = lexicon_hits(text, part, norm=norm)
    if not hits:
        return []
    mult = {"title": r.title_weight, "body": 1.0, "parent": r.parent_weight, "heading": r.heading_weight}[part]
    listing: set[int] = set()
    long_clauses = {h[1] for h in hits if h[5] >= r.enumeration_min_items}
    if long_clauses:
        spanned: dict[int, set] = defaultdict(set)
        for h in hits:
            if h[1] in long_clauses:
                spanned[h[1]].add(h[3])
        listing = {c for c, doms in spanned.items() if len(doms) >= r.enumeration_min_domains}
    factor = r.enumeration_factor
    return [(p, c, t, d, w * mult * factor, True) if c in listing or agent else (p, c, t, d, w * mult, False)
            for p, c, t, d, w, _, agent in hits]

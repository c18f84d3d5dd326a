"""Clauses inside tasks: 一是… and 1./1、 markers; promoting clauses to tasks."""

from __future__ import annotations

from dataclasses import replace

from analysis import numerals
from analysis.corpus import Document
from analysis.segment import spans as sp
from analysis.segment.patterns import (
    ASPECT_RE,
    DEMAND_LEAD_MAX,
    DEMAND_LEAD_RE,
    DEMAND_NEXT_RE,
    DIGIT_CLAUSE_RE,
    DASH_CLAUSE_RE,
    DI_CLAUSE_RE,
    EVENT_COUNT_RE,
    HEAD_RUN_MIN,
    HEAD_SENTENCE_RE,
    HEAD_TITLE_MAX,
    LABEL_ENTRY_RE,
    LABEL_LEAD_WORDS,
    LABEL_RUN_MIN,
    LINE_MARKER_RES,
    MARKER_AT_RE,
    MEASURE_LEAD_RE,
    MEASURE_RUN_MIN,
    MEASURE_VERBS,
    ORDINAL_CLAUSE_RE,
    ORDINAL_WORDS,
    PAREN_POINT_MIN,
    PAREN_POINT_OPENERS,
    PUNCT_RE,
    QI_CLAUSE_RE,
    RUN_IN_MARKER_RES,
    SENTENCE_END_RE,
    SHI_CLAUSE_RE,
    SHI_ENDINGS,
    SLOGAN_PART_RE,
)
from analysis.segment.units import NON_TASK_UNITS, Clause, Note, Task, gaps


def clause_markers(text: str, start: int, end: int, *, aspects: bool = False,
                   run_in: bool = False, skip: frozenset[int] = frozenset(),
                   dashes: bool = False) -> list[tuple[int, str, int]]:
    """(offset, marker, number) for 一是… and 1./1、 markers in [start, end); one family per span. With
    ``aspects``, ``（在）……方面，`` passages count too when neither numbered family is there. Digit markers
    at the offsets in ``skip`` (a document site's page marks: 2、 opening page two) are none. With ``dashes``,
    two or more lines opening with a dash bullet (--/——) are the points when neither numbered family is there
    (not for telling a framing part: a plan's principles are often dash lines)."""
    shi = _numbered(SHI_CLAUSE_RE, text, start, end) \
        if text.find("是", start, end) >= 0 or text.find("要", start, end) >= 0 else []  # no marker: skip the scan
    shi = _demands(shi)
    digits = RUN_IN_MARKER_RES["digit"] if run_in else DIGIT_CLAUSE_RE  # run-in: 工作1.建立… is a point too
    dig = [(m.start(), m.group(0), int(m.group(1))) for m in digits.finditer(text, start, end)
           if m.start() not in skip]
    if nested := _nested(text, dig, shi):
        return nested
    for rx, hint in ((QI_CLAUSE_RE, "其"), (DI_CLAUSE_RE, "第一")):  # 其一，其二，… / 第一，第二，…: a run from one
        if len(shi) < 2 and len(dig) < 2 and text.find(hint, start, end) >= 0:
            run = _numbered(rx, text, start, end)
            if len(run) >= 2 and [n for _, _, n in run] == list(range(1, len(run) + 1)):
                return run
    if len(shi) < 2 and len(dig) < 2 and text.find("首先", start, end) >= 0:
        words = [(m.start(), m.group(0), k) for k, m in enumerate(ORDINAL_CLAUSE_RE.finditer(text, start, end), 1)]
        if len(words) >= 2 and words[0][1] == "首先" and all(w[1] != "首先" for w in words[1:]):
            return words
    # A lone "1." (or lone 一是) is not a list: require a second marker or a number above one.
    family = shi if len(shi) >= len(dig) else dig
    if dashes and len(family) < 2 and any(text.find(ch, start, end) >= 0 for ch in "-—－"):
        lines = [(sp.lstrip(text, m.start(), m.end()), m.group(1), k)
                 for k, m in enumerate(DASH_CLAUSE_RE.finditer(text, start, end), 1)]
        if len(lines) >= 2:
            return lines
    if aspects and len(family) < 2:
        for rx in (ASPECT_RE, SLOGAN_PART_RE):
            found = [(m.start(), m.group(0).strip(), k) for k, m in enumerate(rx.finditer(text, start, end), 1)]
            if len(found) >= 2:
                return found
    if aspects and len(family) < 2 and len(heads := _head_sentences(text, start, end)) >= HEAD_RUN_MIN:
        return heads
    if aspects and len(family) < 2 and len(yao := _yao_demands(text, start, end)) >= HEAD_RUN_MIN:
        return yao
    if aspects and len(family) < 2 and len(run := _demand_anaphora(text, start, end)) >= HEAD_RUN_MIN:
        return run
    if len(family) < 2 and len(paren := _paragraph_points(text, start, end)) >= 2:
        return paren
    if len(family) == 1 and family[0][2] == 1:
        return []
    return family


def _numbered(rx, text: str, start: int, end: int) -> list[tuple[int, str, int]]:
    """(offset, marker, number) of the markers ``rx`` finds in [start, end), its group 1 a number in Chinese
    numerals (一是, 其二, 第三); markers whose numeral does not read are none."""
    return [(m.start(), m.group(0), n) for m in rx.finditer(text, start, end) if (n := sp.cn_int(m.group(1))) is not None]


def _paragraph_points(text: str, start: int, end: int) -> list[tuple[int, str, int]]:
    """（1）/（2）… points on lines of their own, numbered from 1 in sequence, each a paragraph (at least
    :data:`PAREN_POINT_MIN` non-space characters on average): under a lone heading line (1.城市社区取得阶段性
    成果。) they are the tasks a reader counts. None when they are short details of their point."""
    if text.find("1", start, end) < 0 and text.find("⑴", start, end) < 0:
        return []
    found = [(sp.lstrip(text, m.start(), m.end()), m.group(0).strip(), n)
             for m in LINE_MARKER_RES["paren_digit"].finditer(text, start, end)
             if (n := numerals.marker(m.group(1))) is not None]
    if len(found) < 2 or [n for _, _, n in found] != list(range(1, len(found) + 1)):
        return []
    bounds = [pos for pos, _, _ in found] + [end]
    if sum(sp.nonspace(text[a:b]) for a, b in zip(bounds, bounds[1:])) < PAREN_POINT_MIN * len(found):
        return []
    return found


def _nested(text: str, dig: list[tuple[int, str, int]],
            shi: list[tuple[int, str, int]]) -> list[tuple[int, str, int]]:
    """1./2. points on lines of their own whose bodies are runs of 一是/二是 (1.强化救助。一是…二是…⏎2.发展养老。
    一是…): both are the points a reader counts — each 一是 clause, the 1. heading joined to its first one. The
    markers in order, numbered on through the span; none when the two families do not nest so (一是 numbering
    restarts at every 1. point and only there)."""
    if len(dig) < 2 or len(shi) < 2 or not all(_line_start(text, d[0]) for d in dig) \
            or [n for _, _, n in dig] != list(range(1, len(dig) + 1)):
        return []
    starts = [d[0] for d in dig]
    restarts = [k for k, (_, _, n) in enumerate(shi) if n == 1]
    if len(restarts) < 2 or shi[0][0] < starts[0]:
        return []
    for k in restarts:  # each 一是 opens the body of a 1. point: no other marker between the two
        before = [p for p in starts if p < shi[k][0]]
        if not before or (k and shi[k - 1][0] > before[-1]):
            return []
    for k in range(1, len(shi)):  # and within a point the 一是 run goes on in sequence
        if shi[k][2] != 1 and shi[k][2] != shi[k - 1][2] + 1:
            return []
    firsts = {shi[k][0] for k in restarts}
    merged = sorted(dig + [x for x in shi if x[0] not in firsts])
    return [(pos, marker, j) for j, (pos, marker, _) in enumerate(merged, 1)]


def _yao_demands(text: str, start: int, end: int) -> list[tuple[int, str, int]]:
    """A report's demands without numbers: 会议强调，要…；要…。要… on one line (the first after the lead verb,
    which stands near the start of its sentence)."""
    m = DEMAND_LEAD_RE.search(text, start, end) if text.find("要", start, end) >= 0 else None
    if not m or m.start() - max([start] + [text.rfind(ch, start, m.start()) + 1 for ch in "\n。！？"]) > DEMAND_LEAD_MAX:
        return []  # the lead opens its sentence (会议强调，/ 王副县长要求，), not a plan's (按照上级要求，要…)
    stop = text.find("\n", m.end(), end)
    stop = end if stop < 0 else stop
    found = [(m.end(), "要", 1)]
    for k in DEMAND_NEXT_RE.finditer(text, m.end(), stop):
        pos = k.end() - 1
        found.append((pos, "要", len(found) + 1))
    return found


def _demand_lead(text: str, start: int, end: int):
    """The lead verb of a report's demands (:data:`DEMAND_LEAD_RE`) near the start of its sentence, else None."""
    m = DEMAND_LEAD_RE.search(text, start, end) if text.find("要", start, end) >= 0 else None
    if not m or m.start() - max([start] + [text.rfind(ch, start, m.start()) + 1 for ch in "\n。！？"]) > DEMAND_LEAD_MAX:
        return None
    return m


def _demand_anaphora(text: str, start: int, end: int) -> list[tuple[int, str, int]]:
    """A report's demands as one sentence of parallel clauses (要展现新作为，围绕A，…；围绕B，…；围绕C，…。): after
    the lead verb, on its line, HEAD_RUN_MIN or more clauses in a row open with the same two characters, the
    first after a comma or at its sentence's start, the others after a semicolon; each is a demand (seg16 reading). Without the lead
    (a plan's 坚持…；坚持…；坚持… principles) there is none."""
    m = _demand_lead(text, start, end)
    if m is None:
        return []
    stop = text.find("\n", m.end(), end)
    stop = end if stop < 0 else stop
    seps = [k for k in range(m.end(), stop) if text[k] in "；;"]
    best: list[int] = []
    for i, k in enumerate(seps):
        word = text[k + 1:k + 3]
        if len(word) < 2 or not all("\u4e00" <= ch <= "\u9fff" for ch in word):
            continue
        since = max([m.end()] + [text.rfind(ch, m.end(), k) + 1 for ch in "。；;"])  # the first clause's sentence
        before = text.rfind(word, since, k)  # it may hold commas of its own (围绕A，进一步B；)
        if before < 0 or (before > since and text[before - 1] not in "，,：:"):
            continue
        run = [before]
        for k2 in seps[i:]:
            if not text.startswith(word, k2 + 1):
                break
            run.append(k2 + 1)
        if len(run) > len(best):
            best = run
    if len(best) < HEAD_RUN_MIN:
        return []
    word = text[best[0]:best[0] + 2]
    return [(pos, word, n) for n, pos in enumerate(best, 1)]


def _head_sentences(text: str, start: int, end: int) -> list[tuple[int, str, int]]:
    """Heading sentences run into a text (深化社会救助改革。将审批权限下放…。提高低保标准。城乡低保…): short
    whole sentences with no comma, each followed by a longer sentence that is no heading (its account)."""
    sents = []  # (start, end, is_heading)
    pos = start
    while pos < end:
        pos = sp.lstrip(text, pos, end)
        if pos >= end:
            break
        stops = [k for k in (text.find("。", pos, end), text.find("\n", pos, end)) if k >= 0]
        stop = min(stops) + 1 if stops else end
        sents.append((pos, stop, bool(HEAD_SENTENCE_RE.fullmatch(text, pos, stop))))
        pos = stop
    if sents and not sents[0][2]:  # an item's title run into its first heading (…衔接社会救助体系建设。)
        s0, e0, _ = sents[0]
        if text[e0 - 1] == "。" and e0 - s0 <= HEAD_TITLE_MAX and not PUNCT_RE.search(text, s0, e0 - 1) \
                and not any(ch.isdigit() or ch.isspace() for ch in text[s0:e0]):
            sents[0] = (s0, e0, True)
    found, first = [], -1
    for k, ((s, e, head), nxt) in enumerate(zip(sents, sents[1:])):
        if head and not nxt[2]:
            first = k if first < 0 else first
            found.append((s, text[s:e], len(found) + 1))
    if first == 1:  # after the text's own title (a short line or sentence with no comma), not after an account
        s0, e0, _ = sents[0]
        first = 1 if e0 - s0 <= HEAD_TITLE_MAX and not PUNCT_RE.search(text, s0, e0 - 1) else -1
    return found if first in (0, 1) else []  # the text opens with a heading


def _demands(shi: list[tuple[int, str, int]]) -> list[tuple[int, str, int]]:
    """一要/二要 markers count only as a run numbered from one (一要…二要…); a lone 三要 is a word (三要素).
    一是 markers are kept as found."""
    yao = [x for x in shi if x[1].endswith("要")]
    if not yao:
        return shi
    if len(yao) >= 2 and [n for _, _, n in yao[:2]] == [1, 2]:
        return shi
    # A mixed run (一要…。二是要…): a 要 marker is kept when the next marker is the next number.
    return [x for k, x in enumerate(shi) if not x[1].endswith("要")
            or (k + 1 < len(shi) and shi[k + 1][2] == x[2] + 1 and x[2] == 1)]


def clauses(doc: Document, tasks: list[Task], *, aspects: bool = False, run_in: bool = False,
            skip: frozenset[int] = frozenset()) -> tuple[list[Clause], list[Note]]:
    """Clauses tiling each task: the first runs from the task start to the second marker (digit markers at
    the offsets in ``skip``, page marks, are none)."""
    text = doc.text
    out, notes = [], []
    run = 0  # the number of the previous task's one marker (一是 / 二是 opening paragraphs in turn), else 0
    for i, t in enumerate(tasks):
        lo, hi = t.goal_span or (t.body_start, t.end)
        if t.goal_span is None and t.unit == "item" and (m := MARKER_AT_RE.match(text, lo, hi)):
            lo = m.end()  # the item's own marker (1. items) is no clause marker
        markers = [] if t.unit in NON_TASK_UNITS else clause_markers(text, lo, hi, aspects=aspects, run_in=run_in,
                                                                               skip=skip, dashes=True)
        if not markers:
            out.append(Clause(i, 1, "", t.start, t.end))
            m = SHI_CLAUSE_RE.match(text, sp.lstrip(text, lo, hi), hi) if t.unit not in NON_TASK_UNITS else None
            run = 1 if m and sp.cn_int(m.group(1)) == 1 else 0  # a paragraph opening with a lone 一是
            continue
        kind = "一是" if markers[0][1].endswith(SHI_ENDINGS) else "方面" if markers[0][1].endswith(("，", ",", "：", ":")) else "1."
        if not (len(markers) == 1 and markers[0][2] == run + 1):  # a paragraph's 三是 after the 二是 paragraph: no gap
            notes += gaps([(n, pos) for pos, _, n in markers], what=f"{kind} clause", where=repr(t.title[:16]))
        run = markers[0][2] if len(markers) == 1 else 0
        if markers[0][2] != 1:  # numbering starts above one: the text before it is a lead clause
            markers = [(t.start, "", 0)] + markers
        bounds = [t.start] + [pos for pos, _, _ in markers[1:]] + [t.end]
        for k, (_pos, marker, n) in enumerate(markers):
            out.append(Clause(i, n, marker, bounds[k], sp.rstrip(text, bounds[k], bounds[k + 1])))
    return out, notes


def _line_start(text: str, pos: int) -> bool:
    """Whether only spaces stand between the start of ``pos``'s line and ``pos``."""
    return not text[text.rfind("\n", 0, pos) + 1:pos].strip()


def _lead_title(text: str, t: Task, cs: list[Clause]) -> str:
    """The heading a paragraph's clauses share: its words before the first marker (会议要求，一要… -> 会议要求)
    when they are that short, else none. A paragraph has no heading line, and its first sentence (its title)
    holds the first clause or the lead, which are no heading of the other clauses."""
    c = next((c for c in cs if c.marker), None)
    first = t.end if c is None else max(c.start, text.find(c.marker, c.start, c.end))  # a lead held in its clause
    lead = text[t.start:first].strip().rstrip("，,：:；;。 \t\u3000")
    return lead if lead and len(lead) <= HEAD_TITLE_MAX and not SENTENCE_END_RE.search(lead) else ""


def _counted_events(text: str, cs: list[Clause]) -> bool:
    """Whether a task's 一是/二是 clauses follow a count of events that they detail (启动响应2次，一是…；二是…):
    the count stands right before the 一是 and names as many events as there are clauses."""
    marked = [c for c in cs if c.marker.endswith(SHI_ENDINGS)]
    if len(marked) < 2 or marked[0].n != 1:
        return False
    pos = text.find(marked[0].marker, marked[0].start, marked[0].end)
    m = EVENT_COUNT_RE.search(text, max(0, pos - 8), pos) if pos > 0 else None
    return m is not None and (2 if m.group(1) == "两" else sp.cn_int(m.group(1))) == len(marked)


def promote_clauses(tasks: list[Task], found: list[Clause], *, auto: bool = False, text: str = "",
                    run_in: bool = False) -> tuple[list[Task], list[Clause]]:
    """task_unit == clause: each marked clause becomes a task (the first keeps the heading).

    With ``auto`` only the tasks whose body is a run of 一是/二是… clauses or of （在）……方面 passages (the usual
    task shapes of summaries), or of 1./2. sub-items each on a line of its own (一、→（一）→1. outlines, where
    （一） groups the tasks; in a ``run_in`` text, one without line breaks, wherever they stand), are split;
    1./2. points inside a sentence stay clauses of their item.
    """
    new_tasks, new_clauses = [], []
    by_task: dict[int, list[Clause]] = {}
    for c in found:
        by_task.setdefault(c.task_index, []).append(c)
    for i, t in enumerate(tasks):
        cs = by_task.get(i, [])
        runs = sum(1 for c in cs if c.marker.endswith(SHI_ENDINGS) or "方面" in c.marker or "“" in c.marker
                   or (c.marker[:1] == "其" and len(c.marker) <= 3)  # 其一 / 其二
                   or (c.marker[:1] == "第" and len(c.marker) <= 4)  # 第一， / 第二， run in
                   or c.marker in ORDINAL_WORDS
                   or c.marker.endswith("。")  # heading sentences run into a paragraph
                   or (c.marker[:1].isdigit() and (run_in or _line_start(text, c.start)))
                   or (c.marker[:1] in PAREN_POINT_OPENERS and _line_start(text, c.start))  # （1） paragraphs
                   or (c.marker[:1] in "-—－" and _line_start(text, c.start))  # --/—— dash-bullet lines
                   or (len(c.marker) == 2 and len(cs) >= HEAD_RUN_MIN  # parallel demands (围绕…；围绕…；围绕…)
                       and all(x.marker == c.marker for x in cs)))
        head = _lead_title(text, t, cs) if t.unit == "paragraph" and text else t.title
        if auto and text and _counted_events(text, cs):  # 开展检查3次，一是…；二是…；三是…: one task's details
            new_clauses += [replace(c, task_index=len(new_tasks)) for c in cs]
            new_tasks.append(t)
            continue
        if auto and len(cs) >= 3 and not cs[0].marker and runs >= 2:  # a lead before 二是…: the first task's
            cs = [replace(cs[1], start=cs[0].start)] + cs[2:]     # heading, as an item's title is
        if len(cs) <= 1 or not cs[0].marker or (auto and runs < 2):
            new_clauses += [replace(c, task_index=len(new_tasks)) for c in cs]
            new_tasks.append(t)
            continue
        for c in cs:
            body = t.body_start if c.start == t.start else c.start
            new_clauses.append(replace(c, task_index=len(new_tasks), n=1))
            new_tasks.append(replace(t, unit="clause", clause_no=c.n, start=c.start, end=c.end, body_start=body,
                                     title=f"{head}：{c.marker}" if head else c.marker, goal_span=None))
    return new_tasks, new_clauses


def _label_entries(text: str, t: Task) -> list[int]:
    """The offsets of the second and later colon-labelled entries of a task whose body is a run of them
    (城乡低保：…。特困人员供养：…。临时救助：…。, an appraisal rule or task list saved without line breaks): the
    first sentence of the body holds a label (run into the item's heading: 1.社会救助城乡低保：…), and
    LABEL_RUN_MIN - 1 or more sentences after it open with one, on the same line. Else none."""
    lo, hi = t.body_start, t.end
    first_end = text.find("。", lo, hi)
    if first_end < 0:
        return []
    colon = min([k for k in (text.find("：", lo, first_end), text.find(":", lo, first_end)) if k >= 0], default=-1)
    if colon < 0 or any(text.find(ch, lo, colon) >= 0 for ch in "，,；;") \
            or text.find("\n", colon, hi) >= 0 and text.find("\n", colon, hi) < text.rfind("。", colon, hi):
        return []  # no label in the first sentence, or the entries do not run on one line
    found = []
    for k in range(first_end + 1, hi):
        if text[k - 1] in "。；;" and (m := LABEL_ENTRY_RE.match(text, k, hi)) \
                and not m.group(0)[:-1].endswith(LABEL_LEAD_WORDS):
            found.append(k)
    return found if len(found) >= LABEL_RUN_MIN - 1 else []


def _lead_measures(text: str, t: Task) -> list[int]:
    """The offsets of the second and later sentences of a news paragraph that sets out measures sentence by
    sentence without markers (某某表示，要强化…。积极应对…。做好…。加强…。): the paragraph opens with a speaker's
    lead (:data:`MEASURE_LEAD_RE`) and every later sentence on its line, MEASURE_RUN_MIN or more, opens with a
    verb of doing (:data:`MEASURE_VERBS`). Else none (a sentence of another kind means an account, not a list)."""
    lo = sp.lstrip(text, t.body_start, t.end)
    stop = text.find("\n", lo, t.end)
    hi = sp.rstrip(text, lo, t.end if stop < 0 else stop)
    first_end = text.find("。", lo, hi)
    if first_end < 0 or not MEASURE_LEAD_RE.match(text, lo, first_end):
        return []
    found, pos = [], first_end + 1
    while pos < hi:
        pos = sp.lstrip(text, pos, hi)
        if pos >= hi:
            break
        if not text.startswith(MEASURE_VERBS, pos):
            return []
        found.append(pos)
        nxt = text.find("。", pos, hi)
        pos = hi if nxt < 0 else nxt + 1
    if stop >= 0 and text[stop:t.end].strip():
        return []  # more lines follow in the same task: not one paragraph
    return found if len(found) >= MEASURE_RUN_MIN else []


def split_lead_measures(text: str, tasks: list[Task], found: list[Clause]) -> tuple[list[Task], list[Clause]]:
    """Each sentence of a news paragraph of unmarked measures (:func:`_lead_measures`) becomes a task (the first
    keeps the lead); other tasks and their clauses are kept. The paragraph's first sentence is a measure, not a
    heading: the later tasks' titles are their own openings, so it is no prior for their domains."""
    return _split(text, tasks, found, _lead_measures, lambda a, b: text[a:a + 4], inherit_title=False)


def split_label_entries(text: str, tasks: list[Task], found: list[Clause]) -> tuple[list[Task], list[Clause]]:
    """Each colon-labelled entry of a task whose body is a run of them (:func:`_label_entries`) becomes a task
    (the first keeps the heading); other tasks and their clauses are kept."""
    return _split(text, tasks, found, _label_entries, lambda a, b: LABEL_ENTRY_RE.match(text, a, b).group(0))


def _split(text: str, tasks: list[Task], found: list[Clause], cuts_of, marker_of, *, inherit_title: bool = True
           ) -> tuple[list[Task], list[Clause]]:
    """Tasks of one clause cut at the offsets ``cuts_of(text, task)`` gives, each piece a clause task with the
    marker ``marker_of(start, end)`` (the first piece none, keeping the task's heading); a later piece's title is
    ``heading：marker``, or the marker alone unless ``inherit_title``."""
    by_task: dict[int, list[Clause]] = {}
    for c in found:
        by_task.setdefault(c.task_index, []).append(c)
    new_tasks, new_clauses = [], []
    for i, t in enumerate(tasks):
        cs = by_task.get(i, [])
        cuts = cuts_of(text, t) if t.unit not in NON_TASK_UNITS and len(cs) <= 1 else []
        if not cuts:
            new_clauses += [replace(c, task_index=len(new_tasks)) for c in cs]
            new_tasks.append(t)
            continue
        bounds = [t.start] + cuts + [t.end]
        for k, (a, b) in enumerate(zip(bounds, bounds[1:])):
            label = "" if k == 0 else marker_of(a, b)
            b = sp.rstrip(text, a, b)
            new_clauses.append(Clause(len(new_tasks), 1, label, a, b))
            new_tasks.append(replace(t, unit="clause", clause_no=k + 1, start=a, end=b,
                                     body_start=t.body_start if k == 0 else a,
                                     title=(f"{t.title}：{label.rstrip('：:')}" if inherit_title else label)
                                     if label else t.title, goal_span=None))
    return new_tasks, new_clauses

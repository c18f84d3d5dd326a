"""Tasks added, dropped and carried over between two documents of one jurisdiction (``task_changes.csv``).

For each jurisdiction with two or more plans (work plans, task lists, the plan part of a summary-plus-plan
report, which plans the year after its own), each pair of consecutive plans — by the year planned, then
manifest order — is compared task by task (their own text, without section headings): the
character n-gram TF-IDF cosine of the two tasks' texts (the measure of :mod:`analysis.compare.vectors`),
fitted on the two documents' tasks. Pairs are matched one to one, best first, down to :data:`CARRIED_MIN`:
a matched pair is ``carried_over`` (with its score and the longest phrase the two share), an unmatched task
of the earlier plan ``dropped``, of the later plan ``added``.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Callable

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis import parallel, schema, segment, tables
from analysis.compare.vectors import char_counts, normalized, tfidf

#: The document types whose tasks are plans (a summary-plus-plan report: its ``plan`` part).
PLAN_TYPES = ("work_plan", "task_list", "work_summary_and_plan")
#: The lowest cosine at which a later task carries an earlier one over. Measured on the made-up bureaus of
#: tests/data/bureaus: reworded carried-over tasks score 0.45-0.9, different tasks of the same domain below 0.3.
CARRIED_MIN = 0.35
#: Shortest shared phrase reported (characters).
PHRASE_MIN = 4

COLUMNS = tuple(schema.columns("task_changes.csv"))
STATUSES = schema.CHANGE_STATUSES


def plan_year(year, doc_type: str):
    """The year a document's plan is for: a summary-plus-plan report of year Y plans year Y + 1."""
    if year is None or pd.isna(year) or year == "":
        return None
    return int(float(year)) + (1 if doc_type == "work_summary_and_plan" else 0)


def plan_sequences(profiles: pd.DataFrame) -> dict[str, list[str]]:
    """Jurisdiction -> its plan documents (region slugs) in time order, for jurisdictions with two or more."""
    rows = profiles[profiles["doc_type"].isin(PLAN_TYPES)].copy()
    rows["_year"] = [plan_year(y, t) if plan_year(y, t) is not None else -1
                     for y, t in zip(rows["year"], rows["doc_type"])]
    rows = rows.sort_values(["jurisdiction", "_year", "doc_id"], kind="mergesort")
    seqs = {j: g["region"].tolist() for j, g in rows.groupby("jurisdiction", sort=True)}
    return {j: regions for j, regions in seqs.items() if len(regions) > 1}


def _plan_tasks(tasks: pd.DataFrame) -> pd.DataFrame:
    """One document's tasks proper (of a summary-plus-plan report: its plan part), with ``body``: the task's
    own text, without the section heading its first task carries."""
    rows = tables.proper_tasks(tasks)
    if "part" in rows.columns and (rows["part"] == "plan").any() and (rows["part"] == "result").any():
        rows = rows[rows["part"] == "plan"]
    if "body" in rows.columns:
        return rows
    return rows.assign(body=segment.task_views(rows)["body"]) if len(rows) else rows.assign(body="")


def shared_phrase(a: str, b: str) -> str:
    """The longest run of characters two texts share (normalized), or "" below :data:`PHRASE_MIN`."""
    x, y = normalized(a).replace("\n", " "), normalized(b).replace("\n", " ")
    m = difflib.SequenceMatcher(None, x, y, autojunk=False).find_longest_match(0, len(x), 0, len(y))
    return x[m.a:m.a + m.size].strip() if m.size >= PHRASE_MIN else ""


def matches(scores: np.ndarray, *, threshold: float = CARRIED_MIN) -> list[tuple[int, int, float]]:
    """One-to-one pairs (row, column, score), best first, every score at least ``threshold``."""
    order = np.argsort(-scores, axis=None, kind="stable")
    used_r, used_c, out = set(), set(), []
    for flat in order:
        i, j = divmod(int(flat), scores.shape[1])
        if scores[i, j] < threshold:
            break
        if i in used_r or j in used_c:
            continue
        used_r.add(i)
        used_c.add(j)
        out.append((i, j, float(scores[i, j])))
    return out


def between(tasks: pd.DataFrame, earlier: str, later: str, *, jurisdiction: str, years: tuple,
            by_region: dict | None = None, counts=None) -> list[dict]:
    """The change rows of one pair of plans. ``by_region`` (the tasks grouped by region, with a 0-based
    index) and ``counts`` (their bodies' character n-gram counts, row = index) are made once by the caller:
    the TF-IDF of the pair's rows equals that of the pair counted alone (unused columns are empty)."""
    def of(region: str) -> pd.DataFrame:
        rows = by_region.get(region) if by_region is not None else tasks[tasks["region"] == region]
        return _plan_tasks(rows if rows is not None else tasks.iloc[0:0])

    a, b = of(earlier), of(later)
    if a.empty or b.empty:
        return []
    if counts is not None:
        pair = sp.vstack([counts[a.index.to_numpy()], counts[b.index.to_numpy()]], format="csr")
        used = np.unique(pair.indices)  # the pair's own columns, in the same order: same TF-IDF, small matrices
        x = tfidf(pair[:, used])
    else:
        x = tfidf(char_counts(a["body"].tolist() + b["body"].tolist()))
    scores = (x[:len(a)] @ x[len(a):].T).toarray()
    pairs = matches(scores)
    base = {"jurisdiction": jurisdiction, "region": earlier, "other_region": later,
            "year": years[0], "other_year": years[1]}
    dom = "domain" if "domain" in a.columns else None
    cols = ["task_id", "title", "body"] + ([dom] if dom else [])
    a, b = a[cols].to_dict("records"), b[cols].to_dict("records")  # plain rows: iloc per row is slow
    out = []
    for i, j, score in pairs:
        ra, rb = a[i], b[j]
        out.append({**base, "status": "carried_over", "task_id": ra["task_id"], "other_task_id": rb["task_id"],
                    "score": round(score, 6), "title": ra["title"], "other_title": rb["title"],
                    "domain": ra[dom] if dom else "", "other_domain": rb[dom] if dom else "",
                    "shared_phrase": shared_phrase(ra["body"], rb["body"])})
    done_a, done_b = {i for i, _, _ in pairs}, {j for _, j, _ in pairs}
    for i in range(len(a)):
        if i not in done_a:
            r = a[i]
            out.append({**base, "status": "dropped", "task_id": r["task_id"], "other_task_id": "", "score": None,
                        "title": r["title"], "other_title": "", "domain": r[dom] if dom else "",
                        "other_domain": "", "shared_phrase": ""})
    for j in range(len(b)):
        if j not in done_b:
            r = b[j]
            out.append({**base, "status": "added", "task_id": "", "other_task_id": r["task_id"], "score": None,
                        "title": "", "other_title": r["title"], "domain": "",
                        "other_domain": r[dom] if dom else "", "shared_phrase": ""})
    return out


def pair_key(salt: str, jurisdiction: str, earlier: str, later: str, years: tuple, digests: tuple) -> str:
    """The cache key of one pair's change rows: the code (``salt``), the pair, its years and both documents'
    task rows (:func:`analysis.tables.rows_digest`). A pair's rows depend on nothing else: its TF-IDF is fitted
    on its own tasks, on columns ordered by n-gram hash whatever the corpus
    (:func:`analysis.compare.vectors.char_counts`)."""
    return hashlib.sha256(repr(("changes", salt, jurisdiction, earlier, later, years, digests)).encode()).hexdigest()


def task_changes(tasks: pd.DataFrame, profiles: pd.DataFrame, *, get: Callable[[str], object] | None = None,
                 put: Callable[[str, object], None] | None = None, salt: str = "") -> pd.DataFrame:
    """Every consecutive pair of every jurisdiction's plans: carried over, dropped, added (see module docs).
    ``get``/``put`` read and store each pair's rows by its content (:func:`pair_key`, with ``salt``: the
    code's fingerprint): adding a plan recomputes only the pair it joins."""
    years = {r: plan_year(y, t) for r, y, t in zip(profiles["region"], profiles["year"], profiles["doc_type"])}
    sequences = plan_sequences(profiles)
    pairs = [(j, a, b) for j, seq in sequences.items() for a, b in zip(seq, seq[1:])]
    wanted = {r for seq in sequences.values() for r in seq}
    found, keys = {}, {}
    if get is not None or put is not None:
        digests = {r: tables.rows_digest(g)
                   for r, g in tasks[tasks["region"].isin(wanted)].groupby("region", sort=False)}
        for j, a, b in pairs:
            keys[j, a, b] = pair_key(salt, j, a, b, (years.get(a), years.get(b)), (digests.get(a), digests.get(b)))
            hit = get(keys[j, a, b]) if get is not None else None
            if isinstance(hit, list):
                found[j, a, b] = hit
    todo = [(j, a, b) for j, a, b in pairs if (j, a, b) not in found]
    n_tasks = tasks["region"].value_counts().to_dict()
    for group in _groups(todo, size=lambda pair: n_tasks.get(pair[1], 0) + n_tasks.get(pair[2], 0)):
        regions = {r for _, a, b in group for r in (a, b)}
        some = tasks[tasks["region"].isin(regions)]
        some = some.assign(body=segment.task_views(some)["body"] if len(some) else "").reset_index(drop=True)
        counts = char_counts(some["body"].tolist()) if len(some) else None  # once for the group's documents
        by_region = {r: g for r, g in some.groupby("region", sort=False)}
        for j, a, b in group:
            found[j, a, b] = between(tasks, a, b, jurisdiction=j, years=(years.get(a), years.get(b)),
                                     by_region=by_region, counts=counts)
            if put is not None:
                put(keys[j, a, b], found[j, a, b])
    rows = [row for pair in pairs for row in found[pair]]
    return pd.DataFrame(rows, columns=list(COLUMNS))


#: The pairs to compare are taken a group at a time, each of about this many tasks (counted once per pair): the
#: n-gram counts of a group's documents are made together (one call per group, not per pair) and dropped before
#: the next group, so the stage's memory is bounded by a group, not by the corpus (issue 18; 10,000 synthetic
#: documents counted at once held about 1.3 GB more at the stage's peak).
CHANGES_GROUP_TASKS = 20_000


def _groups(pairs: list, *, size: Callable[[tuple], int]) -> list[list]:
    """``pairs`` cut into consecutive groups of about :data:`CHANGES_GROUP_TASKS` tasks (a jurisdiction's pairs
    may fall in two groups: each pair's rows depend on its two documents only)."""
    return parallel.runs(pairs, size=CHANGES_GROUP_TASKS, length=size)

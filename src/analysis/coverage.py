"""Coverage comparison: region x domain matrix of tasks, targets and achievements (issue 5).

``build(ctx)`` adds two tables (see docs/data-dictionary.md):

``coverage.csv`` — one row per region x domain (every taxonomy domain, for every document, so absent
cells are rows too), sorted by ``doc_id``, ``domain_rank``:

* ``n_tasks`` — **multi-label** count: tasks whose ``domains`` list contains the domain (a task that
  addresses elderly care and social assistance counts in both). This decides whether a domain is
  *mentioned*.
* ``n_tasks_primary``, ``share_tasks``, ``share_chars`` — **primary-domain** count (the ``domain``
  column): each task counts once, so per region the shares sum to 1. ``share_chars`` weighs tasks by
  their non-whitespace characters (``n_chars``).
* ``n_targets``, ``n_achievements``, ``n_baselines``, ``n_full_coverage`` — rows of the targets table
  by ``kind`` (``is_full_coverage`` rows are counted again on their own). A quantity belongs to the
  target table's own ``domain`` when it has one, else to the primary domain of its task.
* ``state`` — what an analyst can say of the cell (issue 14), the first that holds: ``target`` (at
  least one planned target), ``result`` (no target, at least one reported achievement: a summary's
  results are not plans), ``baseline`` (numbers, but only stocks, status-quo or other figures),
  ``mentioned`` (addressed by a task, no number at all) or ``absent`` (no task, no quantity). A cell
  never reads "mentioned" while it holds numbers, nor "target" on results alone.

Front matter (``is_preamble``: title, lead paragraph) is excluded from every count, and so are the
quantities found in it: it frames the whole plan rather than committing to a domain.

``document_profiles.csv`` — one row per document: year, type, length, tasks and how many domains it
covers, with a one-line caveat in both languages where the document is not a plan (Baoji is a 2020
newspaper feature, Yanta a 2023 summary of results). Charts print these caveats.

:func:`evidence` returns the source sentences behind any cell (keyword in context, task ids and
offsets into the raw file) for the ``evidence`` command and the notebooks.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis import punctuation, resources, schema, tables
from analysis import taxonomy as taxonomy_
from analysis.errors import InputError

log = logging.getLogger(__name__)

LABELS_FILE = "chart_labels.csv"
#: The states of a cell, strongest first (issue 14): a target, else a reported result, else only a baseline
#: (stock, status quo or another figure), else mentioned without any number, else absent.
STATES = schema.COVERAGE_STATES
#: Kinds of quantity that make a cell ``target`` or ``result`` (``n_domains_quantified``).
QUANTIFIED_KINDS = ("target", "achievement")
QUANTIFIED_STATES = ("target", "result")
#: Document types that are plans (numbers are commitments); the others get a caveat.
PLAN_DOC_TYPES = ("work_plan", "task_list")
OTHER_DOMAIN = "other"

COVERAGE_COLUMNS = [
    "region", "doc_id", "domain", "domain_rank", "domain_zh", "domain_en", "n_tasks", "n_tasks_primary",
    "share_tasks", "share_chars", "n_targets", "n_achievements", "n_baselines", "n_full_coverage", "state",
]
PROFILE_COLUMNS = [
    "region", "doc_id", "jurisdiction", "name_zh", "name_en", "province", "prefecture", "admin_level", "year",
    "doc_type", "doc_type_zh", "doc_type_en", "is_plan", "is_latest_plan",
    "n_chars", "n_tasks", "n_task_chars", "share_task_chars", "n_domains", "n_domains_quantified", "n_targets",
    "n_achievements", "n_baselines", "caveat_zh", "caveat_en",
]

#: A sentence of a task's text: up to and including its final punctuation (or a line end).
SENTENCE_RE = punctuation.sentence_re(semicolons=True, lines=True)
#: A run of CJK characters: candidate keywords in a task's ``domain_evidence``.
CJK_TERM_RE = re.compile(r"[\u3400-\u9fff]{2,}")
#: Separators between the parts of ``domain_evidence`` (one part per rule or domain).
EVIDENCE_SPLIT_RE = re.compile(r"[;|；\n]")
WHITESPACE_RE = re.compile(r"\s+")


# --------------------------------------------------------------------------------------------------
# Parameters: taxonomy and labels (versioned files in resources/)

def taxonomy() -> pd.DataFrame:
    """The domain taxonomy (``code``, ``name_zh``, ``name_en``, …) in file order, plus ``rank``."""
    return taxonomy_.frame()


def domain_codes() -> list[str]:
    """Valid domain codes, in taxonomy order."""
    return taxonomy()["code"].tolist()


def headline_domains(tax: pd.DataFrame | None = None) -> list[str]:
    """Headline domains: the taxonomy's ``headline`` flag when it has one, else every code but ``other``."""
    tax = taxonomy() if tax is None else tax
    if "headline" in tax.columns:
        flag = tax["headline"].astype(str).str.strip().str.lower().isin(("1", "true", "yes", "y"))
        return tax.loc[flag, "code"].tolist()
    return [c for c in tax["code"] if c != OTHER_DOMAIN]


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, str]]:
    return {r["key"]: r for r in resources.rows(LABELS_FILE, columns=("key", "zh", "en"))}


def label(key: str, *, lang: str = "zh", **fmt) -> str:
    """A chart / table label from ``resources/chart_labels.csv`` in ``lang``, placeholders filled."""
    entry = _labels().get(key)
    if entry is None:
        raise KeyError(f"no label {key!r} in {LABELS_FILE}")
    text = entry[lang]
    return text.format(**fmt) if fmt else text


# --------------------------------------------------------------------------------------------------
# Small helpers over plain frames

def split_codes(value) -> list[str]:
    """``'a;b'`` -> ``['a', 'b']`` (empty and missing values -> ``[]``)."""
    if not isinstance(value, str):
        return []
    return [c.strip() for c in value.split(";") if c.strip()]


def _task_chars(tasks: pd.DataFrame) -> pd.Series:
    if "n_chars" in tasks.columns:
        return pd.to_numeric(tasks["n_chars"], errors="coerce").fillna(0).astype(int)
    return tasks["text"].map(lambda t: len(WHITESPACE_RE.sub("", t)))


def task_domains(tasks: pd.DataFrame) -> pd.DataFrame:
    """Long table ``task_id, region, domain, is_primary``: one row per task and domain it addresses.

    The primary ``domain`` is always included (first) even if ``domains`` omits it.
    """
    multi = tasks["domains"] if "domains" in tasks.columns else tasks["domain"]
    codes = (tasks["domain"].fillna("").astype(str) + ";" + multi.fillna("").astype(str)).str.split(";")
    long = pd.DataFrame({"task_id": tasks["task_id"].to_numpy(), "region": tasks["region"].to_numpy(),
                         "primary": tasks["domain"].to_numpy(), "domain": codes.to_numpy()}).explode("domain")
    long["domain"] = long["domain"].str.strip()
    long = long[long["domain"] != ""].drop_duplicates(["task_id", "domain"])
    long["is_primary"] = long["domain"] == long["primary"]
    return long[["task_id", "region", "domain", "is_primary"]].reset_index(drop=True)


def quantities(targets: pd.DataFrame | None, tasks: pd.DataFrame) -> pd.DataFrame:
    """The targets table reduced to what coverage needs: ``region, task_id, kind, domain, is_full_coverage``.

    Quantities in front matter are dropped. ``domain`` is the target's own when given, else the
    primary domain of its task (``other`` if the task is unknown).
    """
    cols = ["region", "task_id", "kind", "domain", "is_full_coverage"]
    if targets is None or targets.empty:
        return pd.DataFrame({"region": pd.Series(dtype=str), "task_id": pd.Series(dtype=str),
                             "kind": pd.Series(dtype=str), "domain": pd.Series(dtype=str),
                             "is_full_coverage": pd.Series(dtype=bool)})
    frame = targets.copy()
    primary = dict(zip(tasks["task_id"], tasks["domain"]))
    own = frame["domain"].astype(str).str.strip() if "domain" in frame.columns else pd.Series("", index=frame.index)
    own = own.where(~own.isin(("", "nan", "None")), "")
    fallback = frame["task_id"].map(primary).fillna(OTHER_DOMAIN)
    frame["domain"] = own.where(own != "", fallback)
    frame["kind"] = frame["kind"].astype(str).str.strip() if "kind" in frame.columns else "other"
    frame["is_full_coverage"] = (tables.flag(frame["is_full_coverage"]) if "is_full_coverage" in frame.columns
                                 else False)
    if "is_preamble" in tasks.columns:
        preamble_ids = set(tasks.loc[tables.preamble(tasks), "task_id"])
        frame = frame[~frame["task_id"].isin(preamble_ids)]
    return frame[cols].reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
# The matrix

def matrix(tasks: pd.DataFrame, targets: pd.DataFrame | None, *, regions: list[tuple[str, str]],
           tax: pd.DataFrame) -> pd.DataFrame:
    """The long region x domain coverage table (see the module docstring for every column).

    ``regions`` is ``[(region, doc_id), …]`` in manifest order; ``tax`` the taxonomy frame. Domain
    codes found in the tasks or targets but missing from the taxonomy are appended (and logged), so
    no task is silently dropped.
    """
    qty = quantities(targets, tasks)  # before dropping the front matter, so its quantities are dropped too
    tasks = tables.proper_tasks(tasks)
    long = task_domains(tasks)
    codes = list(tax["code"])
    extra = sorted((set(long["domain"]) | set(qty["domain"])) - set(codes))
    if extra:
        log.warning("domain code(s) not in the taxonomy: %s", ", ".join(extra))
    names = {c: (zh, en) for c, zh, en in zip(tax["code"], tax["name_zh"], tax["name_en"])}
    codes += extra

    chars = _task_chars(tasks)
    region_ids = [r for r, _ in regions]
    grid = pd.MultiIndex.from_product([region_ids, codes], names=["region", "domain"])

    def count(series: pd.Series) -> np.ndarray:
        return series.reindex(grid, fill_value=0).to_numpy().astype(int)

    def kind_count(kind: str) -> np.ndarray:
        sub = qty[qty["kind"] == kind]
        return count(sub.groupby(["region", "domain"]).size())

    n_region = tasks.groupby("region").size().reindex(region_ids, fill_value=0).to_numpy()
    chars_region = chars.groupby(tasks["region"]).sum().reindex(region_ids, fill_value=0).to_numpy()
    k = len(codes)
    total, total_chars = np.repeat(n_region, k), np.repeat(chars_region, k)
    n_primary = count(tasks.groupby(["region", "domain"]).size())
    chars_primary = count(chars.groupby([tasks["region"], tasks["domain"]]).sum())
    n_multi = count(long.groupby(["region", "domain"]).size())
    n_targets, n_achievements, n_baselines = (kind_count(kind) for kind in ("target", "achievement", "baseline"))
    n_full = count(qty.loc[qty["is_full_coverage"].astype(bool)].groupby(["region", "domain"]).size())
    with np.errstate(divide="ignore", invalid="ignore"):
        share_tasks = np.where(total > 0, n_primary / np.maximum(total, 1), 0.0)
        share_chars = np.where(total_chars > 0, chars_primary / np.maximum(total_chars, 1), 0.0)
    n_numbers = count(qty.groupby(["region", "domain"]).size())
    state = cell_states(n_targets=n_targets, n_achievements=n_achievements, n_numbers=n_numbers, n_tasks=n_multi)
    frame = pd.DataFrame({
        "region": np.repeat(region_ids, k), "doc_id": np.repeat([d for _, d in regions], k),
        "domain": codes * len(region_ids), "domain_rank": list(range(k)) * len(region_ids),
        "domain_zh": [names.get(c, (c, c))[0] for c in codes] * len(region_ids),
        "domain_en": [names.get(c, (c, c))[1] for c in codes] * len(region_ids),
        "n_tasks": n_multi, "n_tasks_primary": n_primary, "share_tasks": share_tasks, "share_chars": share_chars,
        "n_targets": n_targets, "n_achievements": n_achievements, "n_baselines": n_baselines,
        "n_full_coverage": n_full, "state": state,
    })
    return frame[COVERAGE_COLUMNS]


def cell_states(*, n_targets, n_achievements, n_numbers, n_tasks) -> np.ndarray:
    """The ``state`` of each cell from its counts (see the module docstring; arrays of equal length)."""
    n_targets, n_achievements = np.asarray(n_targets), np.asarray(n_achievements)
    n_numbers, n_tasks = np.asarray(n_numbers), np.asarray(n_tasks)
    return np.select([n_targets > 0, n_achievements > 0, n_numbers > 0, n_tasks > 0],
                     ["target", "result", "baseline", "mentioned"], default="absent")


def caveat(meta: dict, *, lang: str) -> str:
    """One-line caveat for a document that is not a plan (empty for plans)."""
    if meta["doc_type"] in PLAN_DOC_TYPES:
        return ""
    name = meta["name_zh"] if lang == "zh" else meta["name_en"]
    return label(f"caveat.{meta['doc_type']}", lang=lang, name=name, year=meta["year"])


def latest_plans(documents: list) -> set[str]:
    """``doc_id`` of each jurisdiction's latest plan (work plan or task list: the highest year, then the
    last in the manifest) — what a chart shows per jurisdiction by default."""
    best: dict[str, tuple] = {}
    for order, doc in enumerate(documents):
        if doc.meta["doc_type"] not in PLAN_DOC_TYPES:
            continue
        key = (int(doc.meta["year"]) if doc.meta.get("year") else -1, order)
        if doc.jurisdiction not in best or key > best[doc.jurisdiction][0]:
            best[doc.jurisdiction] = (key, doc.doc_id)
    return {doc_id for _, doc_id in best.values()}


def profiles(documents: list, tasks: pd.DataFrame, cov: pd.DataFrame) -> pd.DataFrame:
    """One row per document: year, type, length, tasks, domains covered, caveats (both languages)."""
    tasks = tables.proper_tasks(tasks)
    chars = _task_chars(tasks)
    n_tasks = tasks.groupby("region").size()
    n_task_chars = chars.groupby(tasks["region"]).sum()
    cells = cov[cov["domain"] != OTHER_DOMAIN]
    n_domains = (cells["state"] != "absent").groupby(cells["region"]).sum()
    n_quantified = cells["state"].isin(QUANTIFIED_STATES).groupby(cells["region"]).sum()
    sums = cov.groupby("region")[["n_targets", "n_achievements", "n_baselines"]].sum()
    latest = latest_plans(documents)
    rows = []
    for doc in documents:
        meta, region = doc.meta, doc.region
        n_chars = len(WHITESPACE_RE.sub("", doc.text))
        k_chars = int(n_task_chars.get(region, 0))
        rows.append({
            "region": region, "doc_id": doc.doc_id, "jurisdiction": doc.jurisdiction,
            "name_zh": meta["name_zh"], "name_en": meta["name_en"], "province": meta.get("province", ""),
            "prefecture": meta.get("prefecture", ""), "admin_level": meta.get("admin_level", ""),
            "year": int(meta["year"]) if meta.get("year") else None, "doc_type": meta["doc_type"],
            "doc_type_zh": label(f"doc_type.{meta['doc_type']}", lang="zh"),
            "doc_type_en": label(f"doc_type.{meta['doc_type']}", lang="en"),
            "is_plan": meta["doc_type"] in PLAN_DOC_TYPES, "is_latest_plan": doc.doc_id in latest,
            "n_chars": n_chars, "n_tasks": int(n_tasks.get(region, 0)), "n_task_chars": k_chars,
            "share_task_chars": k_chars / n_chars if n_chars else 0.0,
            "n_domains": int(n_domains.get(region, 0)), "n_domains_quantified": int(n_quantified.get(region, 0)),
            **{col: int(sums[col].get(region, 0)) for col in ("n_targets", "n_achievements", "n_baselines")},
            "caveat_zh": caveat(meta, lang="zh"), "caveat_en": caveat(meta, lang="en"),
        })
    return pd.DataFrame(rows, columns=PROFILE_COLUMNS)


def _taxonomy_or_observed(tasks: pd.DataFrame) -> pd.DataFrame:
    """The taxonomy; while the domains stage has not shipped one, the codes the tasks use (logged)."""
    try:
        return taxonomy()
    except InputError as exc:
        log.warning("%s Using the domain codes found in the tasks.", exc)
        codes = sorted(set(task_domains(tasks)["domain"]))
        return pd.DataFrame({"code": codes, "name_zh": codes, "name_en": codes, "rank": range(len(codes))})


def build(ctx) -> None:
    """Add ``coverage.csv`` and ``document_profiles.csv`` (see the module docstring)."""
    tax = _taxonomy_or_observed(ctx.tasks)
    regions = [(d.region, d.doc_id) for d in ctx.documents]
    cov = matrix(ctx.tasks, ctx.targets, regions=regions, tax=tax)
    ctx.add_table("coverage.csv", cov, sort_by=["doc_id", "domain_rank"])
    ctx.add_table("document_profiles.csv", profiles(ctx.documents, ctx.tasks, cov), sort_by=["doc_id"])


# --------------------------------------------------------------------------------------------------
# Evidence: the sentences behind a cell

EVIDENCE_COLUMNS = ["region", "task_id", "domain", "is_primary", "source", "start", "end", "text", "terms",
                    "value_start", "value_end"]


def sentences(text: str, *, offset: int = 0) -> list[tuple[int, int, str]]:
    """``(start, end, sentence)`` for each sentence of ``text``; offsets shifted by ``offset``."""
    out = []
    for m in SENTENCE_RE.finditer(text):
        s = m.group(0)
        lead = len(s) - len(s.lstrip())
        s = s.strip()
        if s:
            out.append((offset + m.start() + lead, offset + m.start() + lead + len(s), s))
    return out


def evidence_terms(evidence: str, text: str, *, domain: str) -> list[str]:
    """Keywords from a task's ``domain_evidence`` that occur in its text, for ``domain``.

    The evidence string is split into parts (``;``, ``|`` or new lines); parts naming ``domain`` are
    used when any part names it, else all parts. Keywords are the CJK runs of those parts that
    occur in ``text``, longest first.
    """
    if not isinstance(evidence, str) or not evidence.strip():
        return []
    parts = [p for p in EVIDENCE_SPLIT_RE.split(evidence) if p.strip()]
    named = [p for p in parts if domain in p]
    terms = {t for p in (named or parts) for t in CJK_TERM_RE.findall(p) if t in text}
    return sorted(terms, key=lambda t: (-len(t), t))


def mark(sentence: str, terms: list[str]) -> str:
    """``sentence`` with each keyword bracketed: ``…新增【养老】床位…``."""
    if not terms:
        return sentence
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
    return pattern.sub(lambda m: f"【{m.group(0)}】", sentence)


def evidence(tasks: pd.DataFrame, targets: pd.DataFrame | None, *, region: str, domain: str,
             max_sentences: int = 3, window: int = 30) -> pd.DataFrame:
    """The source sentences behind the ``region`` x ``domain`` cell, keyword in context.

    For every (non-preamble) task of ``region`` whose ``domains`` include ``domain``: the sentences
    holding its evidence keywords (at most ``max_sentences``; the task's first sentence when no
    keyword is found), ``source='task'``, keywords marked 【】 and listed in ``terms``; then every
    quantity of the cell, ``source=<kind>``, in context (up to ``window`` characters either side,
    within its sentence) with the quantity marked and its own offsets in ``value_start`` /
    ``value_end`` (-1 on task rows). ``start`` / ``end`` are offsets into the raw file:
    ``raw[start:end]`` is ``text`` without the marks.
    """
    tasks = tables.proper_tasks(tasks)
    tasks = tasks[tasks["region"] == region]
    long = task_domains(tasks)
    hits = long[long["domain"] == domain]
    by_id = tasks.set_index("task_id")
    rows = []
    for tid, is_primary in zip(hits["task_id"], hits["is_primary"]):
        task = by_id.loc[tid]
        text, start = task["text"], int(task["start"])
        terms = evidence_terms(task.get("domain_evidence", ""), text, domain=domain)
        sents = sentences(text, offset=start)
        body = int(task["body_start"]) if "body_start" in task.index else start
        chosen = [s for s in sents if any(t in s[2] for t in terms)][:max_sentences]
        if not chosen:
            chosen = [s for s in sents if s[0] >= body][:1] or sents[:1]
        for s0, s1, sent in chosen:
            rows.append((region, tid, domain, bool(is_primary), "task", s0, s1, mark(sent, terms), ";".join(terms),
                         -1, -1))
    if targets is not None and not targets.empty:
        cell = targets[(targets["region"] == region) & targets["task_id"].isin(by_id.index)]
        cell = cell[quantities(cell, tasks)["domain"].to_numpy() == domain] if len(cell) else cell
        for tid, kind, q0, q1 in zip(cell["task_id"], cell["kind"], cell["start"], cell["end"]):
            task = by_id.loc[tid]
            t0, q0, q1 = int(task["start"]), int(q0), int(q1)
            span = task["text"][q0 - t0:q1 - t0]
            for s0, s1, _sent in sentences(task["text"], offset=t0):
                if s0 <= q0 < s1:
                    w0, w1 = max(s0, q0 - window), min(s1, q1 + window)  # keyword in context
                    kwic = task["text"][w0 - t0:q0 - t0] + f"【{span}】" + task["text"][q1 - t0:w1 - t0]
                    rows.append((region, tid, domain, task["domain"] == domain, str(kind), w0, w1, kwic, span,
                                 q0, q1))
                    break
    frame = pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)
    frame["is_task"] = frame["source"] != "task"  # task rows first within a sentence
    frame = frame.sort_values(["start", "is_task", "value_start"], kind="mergesort").drop(columns="is_task")
    return frame.reset_index(drop=True)

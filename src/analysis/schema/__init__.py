"""The one description of every table the build writes: columns in order, dtypes, allowed values, keys,
ranges and sort order, as a pandera :class:`~pandera.api.pandas.container.DataFrameSchema` per file.

``SCHEMAS["tasks.csv"]`` is the schema of ``data/processed/tasks.csv``; :func:`columns` and :func:`sort_by`
give the column order and the row order the stages write (``frame[schema.columns("tasks.csv")]``,
``sort_by=schema.sort_by("tasks.csv")``); :func:`check` returns a table's problems, one line each
(``validate`` runs it on every table). ``docs/data-dictionary.md`` lists the same columns (a test compares).

Dtypes are those a table reads back with :func:`analysis.tables.read_csv` (strings stay strings, empty cells
stay ``""``). A CSV round trip can give two other dtypes for the same data, which :func:`check` accepts
before it validates: a float column whose values are all whole numbers reads back as int64 (``number``),
and an optional number (``optional_number``, ``optional_int``: empty where undefined, e.g. a precision
with nothing predicted) reads back as strings when a cell is empty. A table with no rows reads back with
object columns: only its columns are checked.

The closed lists of values are defined here once (the stages named beside each should import them from
here); the domain codes, boilerplate kinds, quantity units and indicator families are read from the
resource files that define them (``src/analysis/resources/``).

The parts: :mod:`analysis.schema.kinds` (column kinds, row checks, :class:`~analysis.schema.kinds.Table`),
:mod:`analysis.schema.messages` (pandera's failure cases as one line each), and here the closed lists, the
tables and the public functions. pandera is imported on the first :func:`check` (or ``SCHEMAS[name]``), so a
stage that asks only for :func:`columns` or :func:`sort_by` does not pay for it.

Core layer: imports :mod:`analysis.config`, pandas, numpy and pandera only (no stage module).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import cache

import pandas as pd

from analysis import resources
from analysis.schema import messages
from analysis.schema.kinds import (
    Col,
    Table,
    TableCheck,
    codes,
    flag,
    integer,
    number,
    optional_int,
    optional_number,
    ordered,
    pandera,
    share,
    text,
)

# --------------------------------------------------------------------------------------------------
# Closed lists (one definition each; the stage named should import it from here)

#: Document types of the manifest (``corpus.DOC_TYPES``).
DOC_TYPES = ("work_plan", "task_list", "work_summary", "work_summary_and_plan", "newspaper_feature")
#: Administrative levels of the manifest (``corpus.ADMIN_LEVELS``); a table also allows ``""``, unknown (a plan
#: added without ``--level`` whose name does not tell it).
ADMIN_LEVELS = ("district", "county", "county-level city", "prefecture-level city", "province")
#: Layouts a document is segmented in (``documents.csv``): the manifest's ``corpus.LAYOUTS`` but ``auto``,
#: and ``outline+table`` (a plan's text, then its task list as a table; ``segment.document``).
DOCUMENT_LAYOUTS = ("outline", "table", "feature", "paragraphs", "outline+table")
#: The task level used (``documents.csv``): the manifest's ``corpus.TASK_UNITS``, or ``mixed`` (segment).
DOCUMENT_TASK_UNITS = ("item", "clause", "mixed")
#: Units of ``tasks.csv`` (``segment.layouts`` / ``segment.clauses``); the first two hold no task
#: (``segment.units.NON_TASK_UNITS``).
NON_TASK_UNITS = ("preamble", "framing")
TASK_UNITS = (*NON_TASK_UNITS, "item", "row", "theme", "passage", "clause", "paragraph")
#: The columns of ``tasks.csv`` the domains stage adds (``domains.OUTPUT_COLUMNS``): the segment stage writes
#: the others.
TASK_DOMAIN_COLUMNS = ("domain", "domains", "domain_evidence")
#: What a task's part of the document does (``segment.patterns.DOC_TYPE_PART``); empty for front matter.
TASK_PARTS = ("", "plan", "result")
#: Kinds of ``segmentation_warnings.csv`` (``segment.units.Note``).
WARNING_KINDS = ("gap", "repeat", "fallback", "run_in", "layout", "joined", "uncovered", "doubt", "defect",
                 "heading", "encoding")
#: The boilerplate kinds ``segment.boilerplate`` adds to those of ``resources/boilerplate.csv``: a signature, a
#: table of contents before the text, a line of table rules (| --- | --- |) with no text.
SIGNATURE_KIND = "signature"
CONTENTS_KIND = "contents"
TABLE_RULE_KIND = "table_rule"
#: A paragraph that repeats an earlier one word for word (a page that scraped its article twice).
DUPLICATE_KIND = "duplicate"
#: Parts of a task a lexicon hit falls in (``domains.hits.weighted_hits``).
HIT_PARTS = ("title", "body", "parent", "heading")
#: Methods of the domain validation tables (``domains.build_validation``).
DOMAIN_METHODS = ("lexicon", "lexicon_loro_tuned", "supervised_loro")
#: Summary rows of ``domain_validation.csv`` after the per-domain rows (``domains.evaluate``).
DOMAIN_SUMMARY_ROWS = ("micro", "macro", "primary_accuracy")
#: Rule parameters tuned leave-one-region-out, in column order (``sorted(domains.TUNING_GRID)``).
TUNING_PARAMETERS = ("clause_topic_min_clauses", "enumeration_factor", "secondary_ratio")
#: Kinds of quantity (``quantities.KINDS``, ``validate.TARGET_KINDS``).
QUANTITY_KINDS = ("target", "achievement", "baseline", "other")
#: The family of every coverage figure (``quantities.family_of``).
FULL_COVERAGE_FAMILY = "全覆盖"
#: Rules and levels of ``targets_validation.csv`` (``quantities.validation`` / ``quantities.score``).
QUANTITY_RULES = ("extractor", "doc_type_prior")
QUANTITY_LEVELS = ("overall", "kind", "negative")
QUANTITY_LABELS = ("detection", "kind", "exact", *QUANTITY_KINDS, "not_quantity")
#: Steps and causes of ``evaluation_warnings.csv`` (``pipeline._stage_evaluate``, ``domains.usable_labels``,
#: ``quantities.usable_labels``, ``clusters.build``).
EVALUATION_STEPS = ("domains", "quantities", "clusters")
EVALUATION_CAUSES = ("not_found", "unreadable", "no_labels", "regions_not_in_build", "tasks_not_in_build",
                     "region_differs", "quote_not_in_task", "not_located", "too_few_regions",
                     "too_few_to_cluster", "error")
#: Formats a document is read from (``readers.FORMATS`` and plain text).
SOURCE_FORMATS = ("text", "html", "mht", "pdf", "docx", "ole", "rtf", "odt")
#: Statuses of task_changes.csv and target_followup.csv (``overtime.changes``, ``overtime.targets``).
CHANGE_STATUSES = ("carried_over", "dropped", "added")
FOLLOWUP_STATUSES = ("exceeded", "met", "partly_met", "not_reported", "reported_without_target")
#: Groupings and topic schemes of coverage_by_group.csv (``aggregate``).
GROUPINGS = ("province", "prefecture", "admin_level")
TOPIC_SCHEMES = ("domain", "cap_major")
#: Coverage states (``coverage.STATES``, ``validate.COVERAGE_STATES``).
COVERAGE_STATES = ("target", "result", "baseline", "mentioned", "absent")
#: Region x region similarity methods (``compare.METHODS``).
SIMILARITY_METHODS = ("tfidf_tokens", "char_ngrams")
#: Kinds of shared phrase (``compare.shared_phrases``).
PHRASE_KINDS = ("ngram", "quoted")
#: Clustering methods (``clusters.METHODS``) and what they are compared with (``clusters.build``).
CLUSTER_METHODS = ("kmeans", "agglomerative", "nmf")
CLUSTER_AGAINST = ("lexicon", "hand_labels")

@cache
def domain_codes() -> tuple[str, ...]:
    """Domain codes in taxonomy order (``resources/taxonomy.csv``)."""
    return tuple(r["code"] for r in resources.rows("taxonomy.csv"))


@cache
def boilerplate_kinds() -> tuple[str, ...]:
    """Kinds of ``boilerplate.csv``: those of ``resources/boilerplate.csv``, then ``signature``, ``contents``,
    ``table_rule`` and ``duplicate``."""
    return (*dict.fromkeys(r["kind"] for r in resources.rows("boilerplate.csv")), SIGNATURE_KIND, CONTENTS_KIND,
            TABLE_RULE_KIND, DUPLICATE_KIND)


@cache
def quantity_units() -> tuple[str, ...]:
    """Units of ``targets.csv`` (``resources/quantity_units.csv``)."""
    return tuple(dict.fromkeys(r["unit"] for r in resources.rows("quantity_units.csv")))


@cache
def indicator_ids() -> tuple[str, ...]:
    """Canonical indicator ids (``resources/quantity_indicators.csv``)."""
    return tuple(r["id"] for r in resources.rows("quantity_indicators.csv"))


def indicator_families() -> tuple[str, ...]:
    """Indicator families (``resources/quantity_indicator_families.csv``), then ``全覆盖``, then ``""``."""
    fams = dict.fromkeys(r["family"] for r in resources.rows("quantity_indicator_families.csv"))
    return (*fams, *([] if FULL_COVERAGE_FAMILY in fams else [FULL_COVERAGE_FAMILY]), "")


class _Schemas(Mapping):
    """``SCHEMAS[name]``: the pandera schema of table ``name``, made on first use."""

    def __init__(self, tables_: dict[str, Table]):
        self._tables = tables_

    def __getitem__(self, name: str):
        return _schema_of(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)


# --------------------------------------------------------------------------------------------------
# The tables

DOC_ID = r"[0-9]+"
REGION = r"[a-z][a-z0-9_]*"

#: Every table the build writes, by file name (see :class:`Table`).
TABLES: dict[str, Table] = {}
#: Row order of each table, as the stage passes it to ``ctx.add_table(..., sort_by=...)``; ``[]``: the
#: order the stage made (taxonomy order, stage order).
SORT_BY: dict[str, list[str]] = {}
#: The pandera schema of each table (made on first use).
SCHEMAS: Mapping[str, object] = _Schemas(TABLES)


def _table(name: str, cols: list[tuple[str, Col]], *, sort: Sequence[str], keys: Sequence[Sequence[str]] = (),
           checks: Sequence[TableCheck] = (), description: str = "") -> None:
    TABLES[name] = Table(name, tuple(cols), tuple(sort), tuple(tuple(k) for k in keys), tuple(checks), description)
    SORT_BY[name] = list(sort)


def _region() -> Col:
    return text(pattern=REGION)


def _doc_id() -> Col:
    return text(pattern=DOC_ID)


def _domain(*extra: str) -> Col:
    return text(allowed=(*domain_codes(), *extra))


# --- segmentation ---------------------------------------------------------------------------------

_table("tasks.csv", [
    ("region", _region()), ("doc_id", _doc_id()), ("task_id", text(nonempty=True)),
    ("unit", text(allowed=TASK_UNITS)), ("is_preamble", flag()), ("section_no", integer(min=0)),
    ("section", text()), ("item_no", integer(min=0)), ("clause_no", integer(min=0)), ("title", text()),
    ("text", text(nonempty=True)), ("start", integer(min=0)), ("end", integer(min=0)),
    ("body_start", integer(min=0)), ("goal", text()), ("leader", text()), ("department", text()),
    ("n_chars", integer(min=0)), ("part", text(allowed=TASK_PARTS)), ("result_start", optional_int(min=0)),
    *zip(TASK_DOMAIN_COLUMNS, (_domain(), codes(domain_codes(), empty=False), text())),
], sort=["doc_id", "start"], keys=[["task_id"], ["doc_id", "start"]],
    checks=[ordered("start", "end"), ordered("start", "body_start"), ordered("body_start", "end")],
    description="one row per task")

_table("clauses.csv", [
    ("region", _region()), ("doc_id", _doc_id()), ("task_id", text(nonempty=True)),
    ("clause_id", text(nonempty=True)), ("marker", text()), ("start", integer(min=0)), ("end", integer(min=0)),
    ("text", text()),
], sort=["doc_id", "start"], keys=[["clause_id"]], checks=[ordered("start", "end")],
    description="finer clauses inside tasks")

_table("documents.csv", [
    ("doc_id", _doc_id()), ("region", _region()), ("name_zh", text()), ("name_en", text()),
    ("province", text()), ("prefecture", text()), ("admin_level", text(allowed=(*ADMIN_LEVELS, ""))),
    ("year", optional_int(min=1000, max=9999)), ("doc_type", text(allowed=DOC_TYPES)), ("title", text()),
    ("issuer", text()), ("date", text(pattern=r"([0-9]{4}-[0-9]{2}-[0-9]{2})?")), ("source_note", text()),
    ("file", text(nonempty=True)), ("sha256", text(pattern=r"[0-9a-fA-F]{64}")), ("jurisdiction", _region()),
    ("layout", text(allowed=DOCUMENT_LAYOUTS)), ("task_unit", text(allowed=DOCUMENT_TASK_UNITS)),
    ("encoding", text(nonempty=True)), ("n_chars", integer(min=0)), ("n_sections", integer(min=0)),
    ("n_tasks", integer(min=0)), ("n_clauses", integer(min=0)), ("n_boilerplate_chars", integer(min=0)),
    ("share_tiled", share()), ("n_warnings", integer(min=0)),
], sort=["doc_id"], keys=[["doc_id"], ["region"]], description="one row per document")

_table("boilerplate.csv", [
    ("region", _region()), ("doc_id", _doc_id()), ("kind", text(allowed=boilerplate_kinds())),
    ("start", integer(min=0)), ("end", integer(min=0)), ("text", text()),
], sort=["doc_id", "start"], keys=[["doc_id", "start"]], checks=[ordered("start", "end")],
    description="every line dropped as boilerplate")

_table("segmentation_warnings.csv", [
    ("region", _region()), ("doc_id", _doc_id()), ("kind", text(allowed=WARNING_KINDS)),
    ("start", integer(min=0)), ("message", text(nonempty=True)),
], sort=["doc_id", "start"], description="numbering gaps, fallbacks, defects")

# --- domains --------------------------------------------------------------------------------------

_table("domain_taxonomy.csv", [
    ("code", text(allowed=domain_codes())), ("name_zh", text(nonempty=True)), ("name_en", text(nonempty=True)),
    ("headline", integer(min=0, max=1)), ("description", text()), ("seed_terms", text()),
    ("cap_major_code", optional_int(min=0)), ("cap_major_name", text()), ("cap_note", text()),
], sort=[], keys=[["code"]], description="the taxonomy, in its own order")

_table("domain_hits.csv", [
    ("task_id", text(nonempty=True)), ("part", text(allowed=HIT_PARTS)), ("clause", integer(min=0)),
    ("term", text(nonempty=True)), ("domain", _domain()), ("weight", number(min=0)), ("enumeration", flag()),
], sort=["task_id", "part", "clause", "term", "domain"], description="every lexicon hit")

_table("domain_scores.csv", [
    ("task_id", text(nonempty=True)), ("rank", integer(min=1)), ("domain", _domain()), ("score", number(min=0)),
    ("own", number(min=0)), ("terms", integer(min=0)), ("clauses", integer(min=0)), ("chosen", flag()),
], sort=["task_id", "rank"], keys=[["task_id", "rank"], ["task_id", "domain"]],
    description="every domain scored for a task, best first")

_table("domain_validation.csv", [
    ("method", text(allowed=DOMAIN_METHODS)), ("domain", _domain(*DOMAIN_SUMMARY_ROWS)),
    ("precision", optional_number(min=0, max=1)), ("recall", optional_number(min=0, max=1)),
    ("f1", optional_number(min=0, max=1)), ("support", integer(min=0)), ("n_pred", integer(min=0)),
], sort=["method"], keys=[["method", "domain"]], description="scores against the hand labels")

_table("domain_confusion.csv", [
    ("method", text(allowed=DOMAIN_METHODS)), ("gold", _domain()), ("predicted", _domain()), ("n", integer(min=1)),
], sort=["method", "gold", "predicted"], keys=[["method", "gold", "predicted"]],
    description="primary-domain confusion, long form")

_table("domain_errors.csv", [
    ("method", text(allowed=DOMAIN_METHODS)), ("region", _region()), ("task_id", text(nonempty=True)),
    ("gold_primary", _domain()), ("predicted_primary", _domain()),
    ("gold_domains", codes(domain_codes(), empty=False)), ("predicted_domains", codes(domain_codes(), empty=False)),
], sort=["method", "task_id"], keys=[["method", "task_id"]], description="tasks classified unlike the labels")

_table("domain_tuning.csv", [
    ("held_out", _region()), *[(p, number(min=0)) for p in TUNING_PARAMETERS], ("train_f1", share()),
], sort=["held_out"], keys=[["held_out"]], description="rules chosen leave-one-region-out")

_table("domain_supervised.csv", [
    ("task_id", text(nonempty=True)), ("domain", _domain()), ("domains", codes(domain_codes(), empty=False)),
    ("probabilities", text()),
], sort=["task_id"], keys=[["task_id"]], description="the supervised baseline's held-out predictions")

_table("clusters.csv", [
    ("task_id", text(nonempty=True)), ("region", _region()), ("domain", _domain()),
    *[(m, integer(min=0)) for m in CLUSTER_METHODS], ("x", number()), ("y", number()),
], sort=["task_id"], keys=[["task_id"]], description="cluster ids and 2-D map per task")

_table("cluster_terms.csv", [
    ("method", text(allowed=CLUSTER_METHODS)), ("cluster", integer(min=0)), ("rank", integer(min=1)),
    ("term", text(nonempty=True)), ("weight", number()),
], sort=["method", "cluster", "rank"], keys=[["method", "cluster", "rank"]], description="top terms per cluster")

_table("cluster_agreement.csv", [
    ("method", text(allowed=CLUSTER_METHODS)), ("against", text(allowed=CLUSTER_AGAINST)), ("k", integer(min=1)),
    ("ari", number(min=-1, max=1)), ("nmi", share()), ("purity", share()),
], sort=["against", "method"], keys=[["against", "method"]], description="clusters against the domains")

# --- quantities -----------------------------------------------------------------------------------

_table("targets.csv", [
    ("region", _region()), ("doc_id", _doc_id()), ("task_id", text(nonempty=True)), ("domain", _domain()),
    ("task_domain", _domain()), ("value", number()), ("value_max", optional_number()),
    ("unit", text(allowed=quantity_units())), ("per", text()), ("comparator", text()), ("indicator", text()),
    ("indicator_family", text(allowed=indicator_families())), ("indicator_id", text(allowed=(*indicator_ids(), ""))),
    ("kind", text(allowed=QUANTITY_KINDS)),
    ("deadline", text()), ("is_full_coverage", flag()), ("span", text(nonempty=True)),
    ("start", integer(min=0)), ("end", integer(min=0)), ("sentence", text()),
], sort=["doc_id", "start"], keys=[["doc_id", "start"]],
    checks=[ordered("start", "end"), ordered("value", "value_max")], description="one row per quantity")

_table("quantity_misses.csv", [
    ("region", _region()), ("doc_id", _doc_id()), ("task_id", text()), ("start", integer(min=0)),
    ("end", integer(min=0)), ("span", text(nonempty=True)), ("reason", text(nonempty=True)), ("context", text()),
], sort=["doc_id", "start"], keys=[["doc_id", "start"]], checks=[ordered("start", "end")],
    description="every number the extractor does not claim, with its reason")

_table("target_absence.csv", [
    ("doc_id", _doc_id()), ("region", _region()), ("domain", _domain()), ("n_tasks", integer(min=1)),
    ("n_quantities", integer(min=0)), ("n_targets", integer(min=0)), ("n_tasks_with_target", integer(min=0)),
    ("has_target", flag()),
], sort=["doc_id", "domain"], keys=[["doc_id", "domain"]],
    checks=[ordered("n_targets", "n_quantities"), ordered("n_tasks_with_target", "n_tasks")],
    description="region x domain with tasks: targets or their absence")

_table("targets_validation.csv", [
    ("rule", text(allowed=QUANTITY_RULES)), ("level", text(allowed=QUANTITY_LEVELS)),
    ("label", text(allowed=QUANTITY_LABELS)), ("precision", optional_number(min=0, max=1)),
    ("recall", optional_number(min=0, max=1)), ("f1", optional_number(min=0, max=1)),
    ("support", integer(min=0)), ("tp", integer(min=0)), ("n_pred", integer(min=0)),
], sort=["rule", "level", "label"], keys=[["rule", "level", "label"]],
    description="the extractor against the hand-made list")

_table("evaluation_warnings.csv", [
    ("step", text(allowed=EVALUATION_STEPS)), ("file", text()), ("cause", codes(EVALUATION_CAUSES, empty=False)),
    ("labels", integer(min=0)), ("skipped", integer(min=0)), ("message", text(nonempty=True)),
], sort=[], description="the evaluate stage's warnings, in stage order")

# --- coverage -------------------------------------------------------------------------------------

_table("coverage.csv", [
    ("region", _region()), ("doc_id", _doc_id()), ("domain", _domain()), ("domain_rank", integer(min=0)),
    ("domain_zh", text()), ("domain_en", text()), ("n_tasks", integer(min=0)), ("n_tasks_primary", integer(min=0)),
    ("share_tasks", share()), ("share_chars", share()), ("n_targets", integer(min=0)),
    ("n_achievements", integer(min=0)), ("n_baselines", integer(min=0)), ("n_full_coverage", integer(min=0)),
    ("state", text(allowed=COVERAGE_STATES)),
], sort=["doc_id", "domain_rank"], keys=[["region", "domain"], ["doc_id", "domain_rank"]],
    checks=[ordered("n_tasks_primary", "n_tasks")], description="one row per region x domain")

_table("document_profiles.csv", [
    ("region", _region()), ("doc_id", _doc_id()), ("jurisdiction", _region()), ("name_zh", text()),
    ("name_en", text()), ("province", text()), ("prefecture", text()), ("admin_level", text(allowed=(*ADMIN_LEVELS, ""))),
    ("year", optional_int(min=1000, max=9999)), ("doc_type", text(allowed=DOC_TYPES)), ("doc_type_zh", text()),
    ("doc_type_en", text()), ("is_plan", flag()), ("is_latest_plan", flag()), ("n_chars", integer(min=0)),
    ("n_tasks", integer(min=0)),
    ("n_task_chars", integer(min=0)), ("share_task_chars", share()), ("n_domains", integer(min=0)),
    ("n_domains_quantified", integer(min=0)), ("n_targets", integer(min=0)), ("n_achievements", integer(min=0)),
    ("n_baselines", integer(min=0)), ("caveat_zh", text()), ("caveat_en", text()),
], sort=["doc_id"], keys=[["doc_id"], ["region"]],
    checks=[ordered("n_task_chars", "n_chars"), ordered("n_domains_quantified", "n_domains")],
    description="one row per document")

# --- cross-region comparison ----------------------------------------------------------------------

_table("similarity.csv", [
    ("region", _region()), ("other_region", _region()), ("method", text(allowed=SIMILARITY_METHODS)),
    ("score", share()),
], sort=["method", "region", "other_region"], keys=[["method", "region", "other_region"]],
    description="region x region similarity, long form")

_table("alignment.csv", [
    ("region", _region()), ("task_id", text(nonempty=True)), ("other_region", _region()),
    ("other_task_id", text(nonempty=True)), ("score", share()), ("rank", integer(min=1)),
    ("score_tokens", share()), ("score_chars", share()), ("title", text()), ("other_title", text()),
    ("domain", _domain()), ("other_domain", _domain()), ("same_domain", flag()),
], sort=["region", "task_id", "other_region", "rank"], keys=[["region", "task_id", "other_region", "rank"]],
    description="each task's best matches in each other region")

_table("keyness.csv", [
    ("region", _region()), ("rank", integer(min=1)), ("term", text(nonempty=True)), ("freq", integer(min=1)),
    ("freq_rest", integer(min=0)), ("n_tasks", integer(min=1)), ("per_10k", number(min=0)),
    ("per_10k_rest", number(min=0)), ("statistic", number(min=0)), ("p_value", share()),
    ("p_bonferroni", share()), ("p_bh", share()), ("significant", flag()), ("log_ratio", number()),
], sort=["region", "rank"], keys=[["region", "rank"], ["region", "term"]],
    description="top distinctive terms per region")

_table("shared_phrases.csv", [
    ("rank", integer(min=1)), ("phrase", text(nonempty=True)), ("n_chars", integer(min=1)),
    ("n_regions", integer(min=2)), ("regions", text(nonempty=True)), ("n_tasks", integer(min=1)),
    ("task_ids", text(nonempty=True)), ("n_occurrences", integer(min=1)), ("kind", text(allowed=PHRASE_KINDS)),
    ("is_quoted", flag()), ("is_formula", flag()),
], sort=["rank"], keys=[["rank"], ["phrase"]], description="phrases used verbatim by two or more regions")

_table("task_sharing.csv", [
    ("region", _region()), ("task_id", text(nonempty=True)), ("is_preamble", flag()), ("n_chars", integer(min=0)),
    ("n_chars_shared", integer(min=0)), ("share_shared", share()), ("n_chars_shared_content", integer(min=0)),
    ("share_shared_content", share()), ("n_phrases", integer(min=0)), ("n_regions_shared", integer(min=0)),
    ("shared_with", text()),
], sort=["region", "task_id"], keys=[["task_id"]],
    checks=[ordered("n_chars_shared", "n_chars"), ordered("n_chars_shared_content", "n_chars_shared")],
    description="per task: how much of it is shared phrasing")


# --- provenance (issue 15) -------------------------------------------------------------------------

_table("sources.csv", [
    ("region", _region()), ("doc_id", _doc_id()), ("file", text(nonempty=True)),
    ("format", text(allowed=SOURCE_FORMATS)), ("sha256", text(pattern=r"[0-9a-fA-F]{64}")), ("text_file", text()),
    ("text_sha256", text(pattern=r"[0-9a-fA-F]{64}")), ("n_chars", integer(min=0)), ("n_lines", integer(min=0)),
    ("n_pages", integer(min=0)), ("notes", text()),
], sort=["doc_id"], keys=[["doc_id"], ["region"]], description="one row per document: the original and its text")

_table("task_sources.csv", [
    ("region", _region()), ("doc_id", _doc_id()), ("task_id", text(nonempty=True)), ("start", integer(min=0)),
    ("end", integer(min=0)), ("format", text(allowed=SOURCE_FORMATS)), ("source", text()), ("first", text()),
    ("last", text()),
], sort=["doc_id", "start"], keys=[["task_id"]], checks=[ordered("start", "end")],
    description="where each task came from in the original file")

# --- jurisdictions over time and by group (issue 17) ------------------------------------------------

_table("task_changes.csv", [
    ("jurisdiction", _region()), ("region", _region()), ("other_region", _region()),
    ("year", optional_int(min=1000, max=9999)), ("other_year", optional_int(min=1000, max=9999)),
    ("status", text(allowed=CHANGE_STATUSES)), ("task_id", text()), ("other_task_id", text()),
    ("score", optional_number(min=0, max=1)), ("title", text()), ("other_title", text()),
    ("domain", _domain("")), ("other_domain", _domain("")), ("shared_phrase", text()),
], sort=["jurisdiction", "region", "other_region", "status", "task_id", "other_task_id"],
    keys=[["region", "other_region", "task_id", "other_task_id"]],
    description="tasks between a bureau's consecutive plans")

_table("target_followup.csv", [
    ("jurisdiction", _region()), ("year", optional_int(min=1000, max=9999)), ("region", text(pattern=f"(?:{REGION})?")),
    ("task_id", text()), ("indicator", text()), ("unit", text()), ("per", text()), ("comparator", text()),
    ("target_value", optional_number()), ("target_sentence", text()), ("report_region", text(pattern=f"(?:{REGION})?")),
    ("report_task_id", text()), ("result_value", optional_number()), ("result_sentence", text()),
    ("ratio", optional_number(min=0)), ("has_report", flag()), ("status", text(allowed=FOLLOWUP_STATUSES)),
], sort=["jurisdiction", "year", "region", "task_id", "report_task_id"], description="each plan target and its result")

_table("coverage_by_group.csv", [
    ("group_by", text(allowed=GROUPINGS)), ("group", text(nonempty=True)), ("topic_by", text(allowed=TOPIC_SCHEMES)),
    ("topic", text(nonempty=True)), ("topic_zh", text()), ("topic_en", text()), ("n_documents", integer(min=1)),
    ("n_tasks_primary", integer(min=0)), ("share_tasks", share()),
], sort=["group_by", "topic_by", "group", "topic"], keys=[["group_by", "topic_by", "group", "topic"]],
    description="coverage aggregated over bureaus")

_table("domain_trends.csv", [
    ("jurisdiction", _region()), ("year", optional_int(min=1000, max=9999)), ("region", _region()),
    ("doc_type", text(allowed=DOC_TYPES)), ("domain", _domain()), ("domain_zh", text()), ("domain_en", text()),
    ("n_tasks_primary", integer(min=0)), ("share_tasks", share()), ("n_targets", integer(min=0)),
    ("n_achievements", integer(min=0)),
], sort=["jurisdiction", "year", "region", "domain"], keys=[["region", "domain"]],
    description="each document of a bureau with two or more, per domain")


# --------------------------------------------------------------------------------------------------
# Public helpers

def names() -> list[str]:
    """Every table the build writes, by file name."""
    return sorted(TABLES)


def table(name: str) -> Table:
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"{name}: no schema in analysis.schema (tables: {', '.join(names())})") from None


@cache
def _schema_of(name: str):
    return table(name).schema()


def columns(name: str) -> list[str]:
    """The columns of table ``name``, in order."""
    return [c for c, _ in table(name).columns]


def sort_by(name: str) -> list[str]:
    """The columns table ``name`` is sorted by (``[]``: the stage's own order)."""
    return list(table(name).sort_by)


def keys(name: str) -> list[list[str]]:
    """The unique keys of table ``name`` (each a list of columns)."""
    return [list(k) for k in table(name).keys]


@cache
def _shape_only(name: str):
    """The schema with no dtypes and no checks: a table with no rows is checked for its columns only."""
    pa = pandera()
    return pa.DataFrameSchema({c: pa.Column(None) for c in columns(name)}, strict=True, ordered=True, name=name)


def normalise(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the dtypes a CSV round trip may give the same data set to the schema's (see the module
    docstring): whole-number floats read as int64, optional numbers read as strings with empty cells."""
    return messages.normalise(table(name), frame)


def check(name: str, frame: pd.DataFrame) -> list[str]:
    """The problems of table ``name`` (a frame as :func:`analysis.tables.read_csv` reads it), one line each:
    ``tasks.csv: column 'unit': value 'x' not one of 'preamble', … (line 5, task_id='weiyang-01-03')``.
    Empty when the table fits its schema. A name with no schema is itself a problem."""
    if name not in TABLES:
        return [(f"{name}: a table with no schema (analysis.schema knows {len(TABLES)} tables) — "
                 f"remove the file or add its schema")]
    if len(frame) == 0:
        schema, data = _shape_only(name), frame
    else:
        schema, data = _schema_of(name), messages.normalise(table(name), frame)
    errors = pandera().errors
    try:
        schema.validate(data, lazy=True)
    except errors.SchemaErrors as exc:
        return messages.problems(table(name), exc.failure_cases, data)
    except errors.SchemaError as exc:  # not lazily collectable (e.g. a wrong frame type)
        return [f"{name}: {str(exc).splitlines()[0]}"]
    return []

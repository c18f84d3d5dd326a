"""What the report draws, as plain data (no matplotlib): the command line lists it in ``--help``."""

from __future__ import annotations

#: Report figures, in order: name -> what it shows.
FIGURES = {
    "coverage_heatmap": "share of each plan's tasks by domain",
    "coverage_heatmap_chars": "share of each plan's characters by domain",
    "coverage_states": "three-state coverage matrix",
    "targets_by_domain": "quantified targets and achievements per headline domain and any domain with numbers",
    "comparable_targets": "comparable quantities side by side: same indicator, unit and base",
    "tasks_by_leader": "task list: tasks per leader and section",
    "similarity_tfidf_tokens": "region x region similarity of the plans (word TF-IDF cosine)",
    "similarity_char_ngrams": "region x region similarity of the plans (character n-gram TF-IDF cosine)",
    "keyness": "distinctive terms of each region (log-likelihood G2 against the other documents; only terms "
               "passing Benjamini-Hochberg at 5% FDR)",
    "coverage_by_province": "share of tasks by domain per province, each bureau's latest plan counted once",
    "coverage_by_province_cap": "the same by the CAP major topic of the taxonomy's crosswalk",
    "target_followup": "each plan target against the same bureau's reported result (bureaus with several documents)",
    "task_changes": "tasks carried over, dropped and added between a bureau's consecutive plans",
}


#: Similarity methods of ``similarity.csv`` (see analysis.compare).
SIMILARITY_METHODS = ("tfidf_tokens", "char_ngrams")

#: Figures drawn only when their data exist: the grouped view (all regions shown, the group table built) and the
#: over-time views (a bureau with several documents). Asked for without their data, they are skipped.
DATA_DEPENDENT = ("coverage_by_province", "coverage_by_province_cap", "target_followup", "task_changes")

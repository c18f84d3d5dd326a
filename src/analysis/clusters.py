"""Clustering tasks by their words, and how the clusters line up with the policy domains (issue 3).

TF-IDF over the project's tokens (the tokens ``tokenization.build`` computed once per task; the same as
``TfidfVectorizer(tokenizer=tokenization.Tokens(), token_pattern=None, lowercase=False)`` on the texts),
then three clusterings with fixed seeds — k-means, agglomerative (average linkage, cosine), NMF — a
2-D map (truncated SVD of the TF-IDF matrix) and agreement with the domains: ARI, NMI, purity.
Front matter (``is_preamble``) is left out: it is not a task. The agreement with the hand labels is
:mod:`analysis.evaluate.clusters`; the map is drawn by :mod:`analysis.report.clusters`.
"""

from __future__ import annotations

import logging
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis import choices, schema, tables, tokenization

log = logging.getLogger(__name__)

SEED = 0
METHODS = ("kmeans", "agglomerative", "nmf")
#: TF-IDF settings shared by clustering and the supervised baseline.
MIN_DF = 2
MAX_FEATURES = 3000
N_INIT = 4
NMF_TOL = 3e-3
#: Above this many tasks the clusterings are fitted on an evenly spaced sample of this size and the
#: other tasks assigned to the fitted clusters (see :func:`cluster`).
MAX_FIT = 400
N_TERMS = 8


class TokenLookup:
    """Picklable tokenizer that returns the tokens already computed for a task id (no re-tokenizing)."""

    def __init__(self, tokens: Mapping[str, list[str]]):
        self.tokens = tokens

    def __call__(self, task_id: str) -> list[str]:
        return self.tokens[task_id]


def vectorizer(*, tokens: Mapping[str, list[str]] | None = None, min_df: int = 1,
               max_features: int | None = None):
    """A ``TfidfVectorizer`` over the project's tokenizer: fed task ids when ``tokens`` (task_id ->
    tokens) is given, else task texts tokenized by :class:`analysis.tokenization.Tokens`."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    tok = TokenLookup(tokens) if tokens else tokenization.Tokens()
    return TfidfVectorizer(tokenizer=tok, token_pattern=None, lowercase=False, min_df=min_df,
                           max_features=max_features, sublinear_tf=True)


def documents(tasks: pd.DataFrame, *, tokens: Mapping[str, list[str]] | None = None) -> list[str]:
    """What :func:`vectorizer` expects: task ids when tokens are cached, else the texts."""
    return list(tasks["task_id"] if tokens else tasks["text"])


def tfidf(tasks: pd.DataFrame, *, tokens: Mapping[str, list[str]] | None = None, min_df: int = MIN_DF,
          max_features: int | None = MAX_FEATURES):
    """(matrix, vocabulary array) for ``tasks``: terms in at least ``min_df`` tasks, the
    ``max_features`` most frequent at most (a bound for large corpora; the five plans have fewer)."""
    vec = vectorizer(tokens=tokens, min_df=min_df, max_features=max_features)
    x = vec.fit_transform(documents(tasks, tokens=tokens))
    return x, vec.get_feature_names_out()


def cluster(x, *, method: str, k: int, seed: int = SEED,
            max_fit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Cluster labels (0..k-1) and a k × vocabulary term-weight matrix for one ``method``.

    With more than ``max_fit`` rows (default :data:`MAX_FIT`) the model is fitted on an evenly spaced,
    deterministic sample of them and every row is then assigned: k-means to its nearest centre, NMF
    to the most cosine-similar component, agglomerative to the most cosine-similar cluster centroid. Cost and
    memory stay linear in the number of tasks; on the five plans every task is fitted.
    """
    from sklearn.cluster import AgglomerativeClustering, KMeans
    from sklearn.decomposition import NMF
    from sklearn.metrics.pairwise import cosine_distances

    choices.check(method, METHODS, what="clustering method")
    n = x.shape[0]
    max_fit = max_fit or MAX_FIT
    sample = np.unique(np.linspace(0, n - 1, max_fit).round().astype(int)) if n > max_fit else np.arange(n)
    xs = x[sample]
    if method == "kmeans":
        km = KMeans(n_clusters=k, random_state=seed, n_init=N_INIT).fit(xs)
        return (km.labels_ if n == len(sample) else km.predict(x)), km.cluster_centers_
    if method == "agglomerative":
        agg = AgglomerativeClustering(n_clusters=k, metric="precomputed", linkage="average")
        fitted = agg.fit_predict(cosine_distances(xs))
        centres = _centroids(xs, fitted, k)
        if n == len(sample):
            return fitted, _centroids(x, fitted, k)
        norms = np.linalg.norm(centres, axis=1, keepdims=True)
        labels = np.asarray(np.argmax(x @ (centres / np.where(norms > 0, norms, 1)).T, axis=1)).ravel()
        return labels, _centroids(x, labels, k)
    nmf = NMF(n_components=k, random_state=seed, init="nndsvd", tol=NMF_TOL, max_iter=200)
    w = nmf.fit_transform(xs)
    if n == len(sample):
        return np.argmax(w, axis=1), nmf.components_
    h = nmf.components_ / np.maximum(np.linalg.norm(nmf.components_, axis=1, keepdims=True), 1e-12)
    return np.asarray(np.argmax(x @ h.T, axis=1)).ravel(), nmf.components_


def _centroids(x, labels: np.ndarray, k: int) -> np.ndarray:
    return np.vstack([np.asarray(x[labels == c].mean(axis=0)).ravel() if (labels == c).any()
                      else np.zeros(x.shape[1]) for c in range(k)])


def _relabel(labels: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Renumber clusters by size (largest 0), ties by first member, so ids do not depend on solver order."""
    ids = np.unique(labels)
    key = sorted(ids, key=lambda c: (-(labels == c).sum(), int(np.argmax(labels == c))))
    new = {old: n for n, old in enumerate(key)}
    return np.array([new[c] for c in labels]), weights[key]


def map2d(x, *, seed: int = SEED) -> np.ndarray:
    """Two-dimensional coordinates (truncated SVD), signs fixed so the largest loading is positive."""
    from sklearn.decomposition import TruncatedSVD

    svd = TruncatedSVD(n_components=2, random_state=seed, algorithm="arpack")
    xy = svd.fit_transform(x)
    signs = np.sign(svd.components_[np.arange(2), np.abs(svd.components_).argmax(axis=1)])
    return xy * signs


def purity(clusters_: Sequence, classes: Sequence) -> float:
    """Share of items whose cluster's most common class is their own."""
    frame = pd.DataFrame({"c": list(clusters_), "y": list(classes)})
    return float(frame.groupby("c")["y"].agg(lambda s: s.value_counts().iloc[0]).sum() / len(frame))


def agreement(assign: pd.DataFrame, classes: pd.Series, *, against: str) -> pd.DataFrame:
    """ARI, NMI and purity of each method's clusters against ``classes`` (aligned on the index)."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    rows = []
    for m in METHODS:
        c, y = assign[m], classes.loc[assign.index]
        rows.append((m, against, c.nunique(), adjusted_rand_score(y, c), normalized_mutual_info_score(y, c),
                     purity(c, y)))
    return pd.DataFrame(rows, columns=["method", "against", "k", "ari", "nmi", "purity"])


def run(tasks: pd.DataFrame, *, tokens: Mapping[str, list[str]] | None = None, k: int | None = None,
        seed: int = SEED, matrix: tuple | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cluster the non-preamble tasks with every method.

    Returns (``clusters``: task_id, region, domain, one column per method, x, y;
    ``terms``: method, cluster, rank, term, weight). ``k`` defaults to the number of distinct
    primary domains among the tasks. ``matrix``: their :func:`tfidf` when the caller has it already.
    """
    t = tables.proper_tasks(tasks).reset_index(drop=True)
    k = k or int(t["domain"].nunique())
    x, vocab = matrix if matrix is not None else tfidf(t, tokens=tokens)
    out = t[["task_id", "region", "domain"]].copy()
    term_rows = []
    for m in METHODS:
        labels, weights = _relabel(*cluster(x, method=m, k=k, seed=seed))
        out[m] = labels
        for c, w in enumerate(weights):
            top = np.argsort(-w, kind="stable")[:N_TERMS]
            term_rows += [(m, c, r + 1, vocab[j], float(w[j])) for r, j in enumerate(top) if w[j] > 0]
    xy = map2d(x, seed=seed)
    out["x"], out["y"] = xy[:, 0].round(6), xy[:, 1].round(6)
    return out, pd.DataFrame(term_rows, columns=["method", "cluster", "rank", "term", "weight"])


#: Columns of the cluster tables (written with no rows when the tasks are too few to cluster).
CLUSTER_COLUMNS = tuple(schema.columns("clusters.csv"))
TERM_COLUMNS = tuple(schema.columns("cluster_terms.csv"))
AGREEMENT_COLUMNS = tuple(schema.columns("cluster_agreement.csv"))
#: Fewest tasks, terms (in at least :data:`MIN_DF` tasks) and clusters worth clustering: the 2-D map
#: needs three of each dimension, k-means at least ``k`` tasks.
MIN_TASKS = 3
MIN_TERMS = 3
MIN_K = 2


def _empty(columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def too_few(tasks: pd.DataFrame, *, tokens: Mapping[str, list[str]] | None = None, n_terms: int | None = None) -> str:
    """Why ``tasks`` cannot be clustered ('' when they can): too few tasks, terms or domains. ``n_terms``: the
    terms in at least :data:`MIN_DF` tasks, when the caller has counted them (:func:`tfidf`'s vocabulary: it
    keeps :data:`MAX_FEATURES` of them, more than :data:`MIN_TERMS`)."""
    t = tables.proper_tasks(tasks)
    k = int(t["domain"].nunique()) if "domain" in t else 0
    if len(t) < max(MIN_TASKS, k):
        return f"{len(t)} tasks (need at least {max(MIN_TASKS, k)})"
    if k < MIN_K:
        return f"{k} primary domain(s) among the tasks (need {MIN_K} clusters at least)"
    if n_terms is not None:
        return f"{n_terms} terms in at least {MIN_DF} tasks (need {MIN_TERMS})" if n_terms < MIN_TERMS else ""
    from sklearn.feature_extraction.text import CountVectorizer

    tok = TokenLookup(tokens) if tokens else tokenization.Tokens()
    try:
        n_terms = len(CountVectorizer(tokenizer=tok, token_pattern=None, lowercase=False, min_df=MIN_DF)
                      .fit(documents(t, tokens=tokens)).vocabulary_)
    except ValueError:  # no term left at all
        n_terms = 0
    if n_terms < MIN_TERMS:
        return f"{n_terms} terms in at least {MIN_DF} tasks (need {MIN_TERMS})"
    return ""


def build(ctx) -> list[dict]:
    """Add ``clusters.csv``, ``cluster_terms.csv`` and ``cluster_agreement.csv`` (the clusters against the
    lexicon's primary domains; the evaluate stage adds the rows against the hand labels,
    :func:`analysis.evaluate.clusters.build`).

    Too few tasks, terms or domains to cluster give one logged warning and the tables with their columns
    only. Returns the warnings.
    """
    # Task-list leader / department cells are names of people and offices, not plan text.
    tokens = tokenization.task_tokens(ctx.tasks, ctx.tokens, drop_heading=False) if ctx.tokens else None
    try:  # the matrix once: for the count of terms and for the clustering
        matrix = tfidf(tables.proper_tasks(ctx.tasks).reset_index(drop=True), tokens=tokens)
    except (ValueError, KeyError):  # no term left at all, or no domain column
        matrix = None
    why = too_few(ctx.tasks, tokens=tokens, n_terms=None if matrix is None else len(matrix[1]))
    if why:
        message = f"clusters: {why} — clusters.csv, cluster_terms.csv and cluster_agreement.csv written empty"
        log.warning("%s", message)
        ctx.add_table("clusters.csv", _empty(CLUSTER_COLUMNS), sort_by=["task_id"])
        ctx.add_table("cluster_terms.csv", _empty(TERM_COLUMNS), sort_by=["method", "cluster", "rank"])
        ctx.add_table("cluster_agreement.csv", _empty(AGREEMENT_COLUMNS), sort_by=["against", "method"])
        return [{"file": "", "cause": "too_few_to_cluster", "labels": 0, "skipped": 0, "message": message}]
    assign, terms = run(ctx.tasks, tokens=tokens, matrix=matrix)
    frames = [agreement(assign.set_index("task_id"), assign.set_index("task_id")["domain"], against="lexicon")]
    ctx.add_table("clusters.csv", assign, sort_by=["task_id"])
    ctx.add_table("cluster_terms.csv", terms.assign(weight=terms["weight"].round(6)),
                  sort_by=["method", "cluster", "rank"])
    ctx.add_table("cluster_agreement.csv", pd.concat(frames, ignore_index=True), sort_by=["against", "method"])
    return []


def terms_table(terms: pd.DataFrame, *, method: str = "nmf", n: int = 6) -> pd.DataFrame:
    """Cluster -> its top ``n`` terms, space-separated (from ``cluster_terms.csv``)."""
    choices.check(method, METHODS, what="clustering method")
    t = terms[(terms["method"] == method) & (terms["rank"] <= n)].sort_values(["cluster", "rank"])
    return t.groupby("cluster")["term"].agg(" ".join).rename("top_terms").to_frame()


def crosstab(assign: pd.DataFrame, *, method: str = "nmf") -> pd.DataFrame:
    """Clusters × primary domains: how many tasks of each domain fall in each cluster."""
    choices.check(method, METHODS, what="clustering method")
    return pd.crosstab(assign[method], assign["domain"]).rename_axis(index=f"{method} cluster")

"""Each quantity belongs to its own sentence's domain, not to its task's primary domain (issue 14).

A task that reports marriage registration and, in its last sentence, welfare-lottery sales holds two
domains; its quantities are counted where their sentences are. The sentence of each quantity is scored by
the domain classifier itself (:func:`analysis.domains.classify`, the public function: the same lexicon and
rules as the tasks, a sentence scored as a one-sentence task). A sentence with no lexicon evidence (the
classifier's fallback) keeps the task's primary domain, and so does a quantity outside every task.
"""

from __future__ import annotations

import pandas as pd


def sentence_domains(sentences: list[str]) -> list[str]:
    """The primary domain of each sentence, '' where the lexicon finds nothing (one classifier call)."""
    from analysis import domains

    unique = list(dict.fromkeys(s for s in sentences if s))
    if not unique:
        return ["" for _ in sentences]
    frame = pd.DataFrame({"task_id": [f"s{i}" for i in range(len(unique))], "text": unique,
                          "start": 0, "end": [len(s) for s in unique], "body_start": 0,
                          "title": "", "section": "", "is_preamble": False})
    pred = domains.classify(frame)
    found = {s: ("" if d == domains.FALLBACK else d) for s, d in zip(unique, pred["domain"])}
    return [found.get(s, "") for s in sentences]


def assign(found: pd.DataFrame) -> pd.DataFrame:
    """``found`` (the targets table) with ``domain`` set from each quantity's sentence; ``task_domain``
    keeps the task's primary domain. Quantities outside every task keep an empty domain."""
    if found.empty:
        return found
    own = sentence_domains(found["sentence"].fillna("").astype(str).tolist())
    has_task = found["task_id"].astype(str) != ""
    domain = [o if (o and t) else d for o, t, d in zip(own, has_task, found["task_domain"].astype(str))]
    return found.assign(domain=domain)

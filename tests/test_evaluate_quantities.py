"""The quantity extractor against the hand-made list (issue 4, :mod:`analysis.evaluate.quantities`): the
labels are located in the raw text, the scores reach their floor, notice damage, and beat the
document-type prior."""

from __future__ import annotations

import pytest

from analysis import corpus, evaluate, quantities


@pytest.fixture(scope="module")
def docs():
    return {d.region: d for d in corpus.load()}


@pytest.fixture(scope="module")
def found(docs, tasks):
    return quantities.targets(list(docs.values()), tasks)


def test_score_against_the_hand_list(found, docs):
    s = evaluate.quantities.score(found, list(docs.values())).set_index(["level", "label"])
    assert s.loc[("overall", "detection"), "precision"] >= 0.98
    assert s.loc[("overall", "detection"), "recall"] >= 0.98
    assert s.loc[("overall", "kind"), "precision"] >= 0.98
    assert s.loc[("overall", "kind"), "recall"] >= 0.98
    assert s.loc[("negative", "not_quantity"), "tp"] == 0
    labels = evaluate.quantities.load_labels()
    assert s.loc[("overall", "detection"), "support"] == (labels["kind"] != "not_quantity").sum()


def test_score_notices_a_miss_and_a_wrong_kind(found, docs):
    damaged = found.drop(index=found.index[0]).copy()
    damaged.loc[damaged.index[0], "kind"] = "baseline" if damaged.iloc[0]["kind"] != "baseline" else "target"
    s = evaluate.quantities.score(damaged, list(docs.values())).set_index(["level", "label"])
    assert s.loc[("overall", "detection"), "recall"] < 1
    assert s.loc[("overall", "kind"), "tp"] < s.loc[("overall", "detection"), "tp"]


def test_sentence_cues_beat_the_document_type_prior(found, docs):
    v = evaluate.quantities.validation(found, list(docs.values())).set_index(["rule", "level", "label"])
    ours = v.loc[("extractor", "overall", "kind"), "tp"]
    prior = v.loc[("doc_type_prior", "overall", "kind"), "tp"]
    assert prior < ours   # Baoji's 442家 (挑选了), Xuanzhou's 90%/10%, Yanta's 3-5个 and 37611万元 … need the sentence
    assert v.loc[("doc_type_prior", "overall", "detection"), "tp"] == v.loc[("extractor", "overall", "detection"), "tp"]


def test_labels_are_located_uniquely(docs):
    labels = evaluate.quantities.load_labels()
    located = evaluate.quantities.locate_labels(labels, list(docs.values()))
    for r in located.itertuples(index=False):
        assert docs[r.region].text[r.start:r.end] == r.span

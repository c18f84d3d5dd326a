"""The domain classifier against the hand labels (issue 3): the labels themselves, the scores, the
sensitivity to the lexicon weights, the held-out tuning and the supervised baseline
(:mod:`analysis.evaluate.domains`)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import domains, evaluate
from analysis.errors import InputError, UsageError


@pytest.fixture(scope="module")
def pred(tasks):
    return domains.classify(tasks)


@pytest.fixture(scope="module")
def labels():
    return evaluate.load_labels()


# --- hand labels and validation -------------------------------------------------------------------

def test_labels_cover_every_task_and_quote_its_text(tasks, labels):
    assert set(labels["task_id"]) == set(tasks["task_id"])
    text = dict(zip(tasks["task_id"], tasks["text"]))
    region = dict(zip(tasks["task_id"], tasks["region"]))
    for row in labels.itertuples(index=False):
        assert row.quote and row.quote in text[row.task_id], row.task_id
        assert row.region == region[row.task_id]


def test_bad_label_file_is_an_input_error(tmp_path):
    bad = tmp_path / "labels.csv"
    bad.write_text("region,task_id,primary,secondary,quote,note\nweiyang,weiyang-01-01,aid,,x,\n",
                   encoding="utf-8")
    with pytest.raises(InputError, match="unknown domain 'aid'"):
        evaluate.load_labels(bad)


def test_lexicon_scores_reach_the_floor(pred, labels):
    ev = evaluate.evaluate(pred, labels).set_index("domain")
    assert ev.at["micro", "f1"] >= 0.95
    assert ev.at["primary_accuracy", "f1"] >= 0.95
    assert evaluate.missed_headline(pred, labels) == []


def test_evaluate_counts_by_hand():
    labels = pd.DataFrame({"task_id": ["a", "b"], "primary": ["funeral", "marriage"],
                           "labels": [("funeral",), ("marriage", "welfare_lottery")]})
    pred = pd.DataFrame({"task_id": ["a", "b"], "domain": ["funeral", "funeral"],
                         "domains": ["funeral", "funeral;welfare_lottery"]})
    ev = evaluate.evaluate(pred, labels).set_index("domain")
    assert ev.at["funeral", "precision"] == 0.5 and ev.at["funeral", "recall"] == 1.0
    assert ev.at["marriage", "recall"] == 0.0 and ev.at["marriage", "support"] == 1
    assert ev.at["micro", "f1"] == pytest.approx(2 * 2 / (2 * 2 + 1 + 1))
    assert ev.at["primary_accuracy", "f1"] == 0.5


def test_sensitivity_without_noise_changes_nothing(tasks, labels):
    out = evaluate.sensitivity(tasks, labels, draws=2, spread=0.0)
    assert (out["primary_changed"] == 0).all() and (out["domains_changed"] == 0).all()
    noisy = evaluate.sensitivity(tasks, labels, draws=2, spread=0.5, seed=1)
    assert noisy.equals(evaluate.sensitivity(tasks, labels, draws=2, spread=0.5, seed=1))
    with pytest.raises(UsageError, match="spread"):
        evaluate.sensitivity(tasks, labels, spread=1.5)


def test_loro_tuning_predicts_each_region_once(tasks, labels):
    held, chosen = evaluate.tune_rules_loro(tasks, labels)
    assert sorted(held["task_id"]) == sorted(tasks["task_id"])
    assert list(chosen["held_out"]) == sorted(set(tasks["region"]))


def test_supervised_baseline_cannot_predict_a_domain_only_the_held_out_region_has(seg_ctx, labels):
    sup = evaluate.supervised_loro(seg_ctx.tasks, labels, tokens=seg_ctx.tokens)
    assert sorted(sup["task_id"]) == sorted(seg_ctx.tasks["task_id"])
    # disability welfare occurs only in Shulan: with Shulan held out, no model has seen it
    assert "disability_welfare" not in ";".join(sup["domains"])

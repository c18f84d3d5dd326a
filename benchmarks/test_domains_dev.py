"""benchmarks/domains_dev.py on a seed plan: labels cite tasks by key or ordinal, no text."""

from __future__ import annotations

import csv
import shutil

import domains_dev
from analysis import config


def _folder(tmp_path):
    (tmp_path / "docs").mkdir()
    shutil.copy(config.DATA / "raw" / "000_weiyang_2023_work_plan.txt", tmp_path / "docs" / "w.txt")
    with (tmp_path / "index.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "url", "doc_type"])
        w.writerow(["w", "https://example.org/w", "work_plan"])
    return tmp_path


def test_labels_are_matched_by_key_then_by_ordinal(tmp_path, capsys):
    folder = _folder(tmp_path)
    tasks = domains_dev.document_tasks(folder, {"id": "w", "doc_type": "work_plan"})
    assert list(tasks["ordinal"]) == list(range(1, len(tasks) + 1))
    assert tasks["key"].str.fullmatch(r"[0-9a-f]{10}").all()
    labels = tmp_path / "labels.csv"
    with labels.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(domains_dev.LABEL_COLUMNS)
        w.writerow(["w", "https://example.org/w", 1, tasks["key"].iloc[0], "party_building", ""])
        w.writerow(["w", "https://example.org/w", 2, "0000000000", "party_building", ""])  # stale key
        w.writerow(["w", "https://example.org/w", 999, "ffffffffff", "other", ""])  # no such task
    assert domains_dev.main([str(folder), str(labels), "--errors"]) == 0
    out = capsys.readouterr().out
    assert "labelled tasks: 3; matched: 2" in out
    assert "w#2: key 0000000000 not found, matched by ordinal" in out
    assert "w#999" in out and "skipped" in out
    assert "primary accuracy" in out and "label micro" in out

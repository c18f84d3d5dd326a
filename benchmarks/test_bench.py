"""The benchmark harness (benchmarks/bench.py): a smoke run of the smallest size, options, memory sampling.

Slow: each run builds a synthetic corpus in subprocesses (marked ``slow``; ``pytest -m "not slow"`` skips them).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import bench
from analysis import pipeline

pytestmark = pytest.mark.slow


def test_smoke_bench_smallest_size(tmp_path, capsys):
    out = tmp_path / "bench.csv"
    assert bench.main(["--sizes", "10", "--quick", "--quiet", "--add-one", "10", "--csv", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "ratio" in printed and "pipeline (no memo) / bare jieba" in printed and "adding one document" in printed
    table = pd.read_csv(out)
    assert list(table.columns) == bench.CSV_COLUMNS
    assert len(table) == 1
    r = table.iloc[0]
    real = pipeline.run(stages=["segment"]).tasks
    assert r["docs"] == 10 and r["tasks"] == 2 * len(real)
    assert r["n_tables"] >= 5 and r["n_tokens"] > 10_000 and r["repeats"] == 1
    assert r["pipeline_s"] > 0 and r["bare_jieba_s"] > 0 and r["ratio"] > 0 and r["peak_rss_mb"] > 0
    # the headline cuts every block afresh; the memo is the second column
    assert not r["memo"] and r["pipeline_memo_s"] > 0 and r["ratio_memo"] > 0
    # five plans and one copy of each, perturbed in its characters too: few of the copies' blocks repeat
    # their source's verbatim, as few as in real plans of different bureaus (the five: 5-10%)
    assert 0.03 < r["repeated_share"] < 0.35 and 0.03 < r["repeated_share_real"] < 0.15 and r["real_docs"] == 5
    # adding the tenth document to a built corpus of nine is timed against a full build of the ten (how they
    # compare is the benchmark's finding, not a test's: at ten documents the two are within noise)
    assert r["add_one_s"] > 0 and r["full_build_s"] > 0
    assert r["add_one_share"] == pytest.approx(r["add_one_s"] / r["full_build_s"], abs=1e-3)  # CSV: 4 decimals


def test_no_memo_cuts_every_block_afresh_with_the_same_tokens(tmp_path):
    with_memo, without = (bench.run([10], repeats=1, until="tokenize", corpus_dir=tmp_path / str(m), memo=m)
                          for m in (True, False))
    assert with_memo["memo"].tolist() == [True] and without["memo"].tolist() == [False]
    assert with_memo["n_tokens"].tolist() == without["n_tokens"].tolist()


@pytest.mark.parametrize("argv", [["--sizes", "0"], ["--repeats", "0"], ["--until", "nonsense"]])
def test_bad_options_are_one_line_errors(argv, capsys):
    assert bench.main(argv) == 2
    assert capsys.readouterr().err.startswith("error: ")


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="PSS needs Linux /proc")
def test_tree_memory_counts_children_and_the_peak():
    alone = bench.tree_pss_mb()
    code = "b = bytearray(200 * 1024 * 1024); b[::4096] = b'1' * len(b[::4096]); import time; time.sleep(1.5)"
    with bench.PeakMemory() as memory:
        child = subprocess.Popen([sys.executable, "-c", code])
        time.sleep(1.0)
        with_child = bench.tree_pss_mb()
        child.wait()
    assert with_child > alone + 150          # the child's 200 MiB are counted ...
    assert memory.peak_mb >= with_child - 5  # ... and the sampler kept the peak
    assert bench.tree_pss_mb() < with_child - 150  # ... and gone once the child ends

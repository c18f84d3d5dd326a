"""The benchmark (issue 7): synthetic corpora that still parse, and a smoke run of the smallest size.

These tests assert outputs (documents, tasks, tables, tokens), never times.
"""

from __future__ import annotations

import csv
import hashlib
import random
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis import bench, cli, config, corpus, pipeline, tokenize
from analysis.errors import UsageError


@pytest.fixture(scope="module")
def corpus10(tmp_path_factory):
    return bench.synthesize(10, tmp_path_factory.mktemp("corpus10"))


@pytest.fixture(scope="module")
def segmented10(corpus10):
    return pipeline.run(manifest=corpus10, stages=["segment"])


def _rows(manifest):
    with open(manifest, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_synthetic_manifest_has_new_rows_slugs_and_true_hashes(corpus10):
    rows = _rows(corpus10)
    real = corpus.read_manifest(config.MANIFEST)
    assert len(rows) == 10
    assert [r["region"] for r in rows[:5]] == [r["region"] for r in real]
    assert len({r["region"] for r in rows}) == 10 and len({r["doc_id"] for r in rows}) == 10
    for r in rows:
        data = (corpus10.parent / r["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == r["sha256"]
    # the copies are perturbed, not verbatim, and the real plans are verbatim
    for k in range(5, 10):
        src = (config.RAW / real[k % 5]["file"]).read_text(encoding="utf-8")
        assert (corpus10.parent / rows[k]["file"]).read_text(encoding="utf-8") != src
    assert rows[0]["sha256"] == real[0]["sha256"]


def test_synthetic_corpus_is_deterministic_and_a_prefix(tmp_path, corpus10):
    again = bench.synthesize(12, tmp_path)
    assert _rows(again)[:10] == _rows(corpus10)


def test_corpus_is_never_written_under_raw():
    with pytest.raises(UsageError):
        bench.synthesize(6, config.RAW / "synthetic")


def test_every_copy_segments_like_its_source(segmented10):
    """Perturbation keeps layouts parseable: each copy yields its source's task numbering exactly."""
    tasks = segmented10.tasks
    local = tasks["task_id"].str.split("-", n=1).str[1]
    by_doc = {d: tuple(local[tasks["doc_id"] == d]) for d in tasks["doc_id"].unique()}
    assert len(by_doc) == 10
    for k in range(5, 10):
        assert by_doc[f"{k:04d}"] == by_doc[f"{k % 5:04d}"]
        assert len(by_doc[f"{k:04d}"]) > 5


def _raw_line(file_prefix: str, line_prefix: str) -> str:
    path = next(config.RAW.glob(f"{file_prefix}_*.txt"))
    return next(ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith(line_prefix))


@pytest.mark.parametrize("file_prefix, line_prefix, n_markers", [
    ("003", "(二)加强学习", 2),          # Yanta: clauses 一是 / 二是 must stay, in order
    ("000", "(六)全面加强民政干部队伍", 0),  # Weiyang: an item of plain sentences
])
def test_perturbed_line_keeps_markers_in_order(file_prefix, line_prefix, n_markers):
    line = _raw_line(file_prefix, line_prefix)
    before = [m.group(0) for m in bench.PROTECTED_RE.finditer(line)]
    assert len([m for m in before if m.endswith("是")]) >= n_markers
    outs = [bench.perturb_line(line, rng=random.Random(seed)) for seed in range(20)]
    assert any(out != line for out in outs)
    for out in outs:
        assert out.split("。")[0] == line.split("。")[0]
        assert [m.group(0) for m in bench.PROTECTED_RE.finditer(out)] == before
        assert set(out.split("。")) <= set(line.split("。"))


def test_quantities_swap_but_numbering_stays():
    text = "1.加强志愿服务工作。实现每百万常住人口拥有志愿服务组织15家以上,覆盖率达到90%。\n2\n"
    outs = {bench.perturb(text, rng=random.Random(s), place="", new_place="") for s in range(10)}
    assert len(outs) > 1
    for out in outs:
        assert out.startswith("1.加强志愿服务工作。") and out.endswith("\n2\n")


def test_parallel_tokenize_equals_serial(segmented10):
    texts = segmented10.tasks["text"].tolist()
    serial = tokenize.tokenize_all(texts, workers=1)
    assert serial == [tokenize.tokens(t) for t in texts]
    assert tokenize.tokenize_all(texts, workers=2) == serial


def test_smoke_bench_smallest_size(tmp_path, capsys):
    out = tmp_path / "bench.csv"
    assert cli.main(["bench", "--sizes", "10", "--quick", "--quiet", "--csv", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "ratio" in printed and "pipeline / bare jieba" in printed
    table = pd.read_csv(out)
    assert list(table.columns) == bench.CSV_COLUMNS
    assert len(table) == 1
    r = table.iloc[0]
    real = pipeline.run(stages=["segment"]).tasks
    assert r["docs"] == 10 and r["tasks"] == 2 * len(real)
    assert r["n_tables"] >= 5 and r["n_tokens"] > 10_000 and r["repeats"] == 1
    assert r["pipeline_s"] > 0 and r["bare_jieba_s"] > 0 and r["ratio"] > 0 and r["peak_rss_mb"] > 0
    # five plans and one perturbed copy of each: most of the copies' blocks repeat their source's
    assert r["memo"] and 0.3 < r["repeated_share"] < 0.5


def test_no_memo_cuts_every_block_afresh_with_the_same_tokens(tmp_path):
    with_memo, without = (bench.run([10], repeats=1, until="tokenize", corpus_dir=tmp_path / str(m), memo=m)
                          for m in (True, False))
    assert with_memo["memo"].tolist() == [True] and without["memo"].tolist() == [False]
    assert with_memo["n_tokens"].tolist() == without["n_tokens"].tolist()


@pytest.mark.parametrize("argv", [["bench", "--sizes", "0"], ["bench", "--repeats", "0"],
                                  ["bench", "--until", "nonsense"]])
def test_bad_options_are_one_line_errors(argv, capsys):
    assert cli.main(argv) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_progress_bar_on_many_documents_quiet_on_the_five(tmp_path, capsys):
    many = bench.synthesize(pipeline.PROGRESS_MIN_DOCS, tmp_path)
    pipeline.run(manifest=many, stages=["tokenize"], progress=True)
    err = capsys.readouterr().err
    assert f"build {pipeline.PROGRESS_MIN_DOCS} documents" in err
    five = pipeline.run(stages=["tokenize"], progress=True)
    assert len(five.documents) == 5 and capsys.readouterr().err == ""


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

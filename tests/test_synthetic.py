"""Synthetic corpora (analysis.synthetic): copies of the five plans that still parse, deterministic."""

from __future__ import annotations

import csv
import hashlib
import random

import pytest

from analysis import config, corpus, pipeline, tokenization
from analysis import synthetic
from analysis.errors import UsageError


@pytest.fixture(scope="module")
def corpus10(tmp_path_factory):
    return synthetic.synthesize(10, tmp_path_factory.mktemp("corpus10"))


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
    again = synthetic.synthesize(12, tmp_path)
    assert _rows(again)[:10] == _rows(corpus10)


def test_corpus_is_never_written_under_raw():
    with pytest.raises(UsageError):
        synthetic.synthesize(6, config.RAW / "synthetic")


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
    before = [m.group(0) for m in synthetic.PROTECTED_RE.finditer(line)]
    assert len([m for m in before if m.endswith("是")]) >= n_markers
    outs = [synthetic.perturb_line(line, rng=random.Random(seed)) for seed in range(20)]
    assert any(out != line for out in outs)
    first = line.split("。")[0]
    for out in outs:
        head = out.split("。")[0]
        assert len(head) == len(first) and head[:3] == first[:3]  # the marker stays
        assert [m.group(0) for m in synthetic.PROTECTED_RE.finditer(out)] == before
        # sentences are the line's own, some characters replaced: same lengths, mostly the same characters
        lengths = {len(s) for s in line.split("。")}
        assert all(len(s) in lengths for s in out.split("。"))
    assert any(set(out.split("。")) - set(line.split("。")) for out in outs)


def test_character_perturbation_keeps_markers_and_length():
    sentence = "一是加强困难群众基本生活保障，落实低保、特困供养等社会救助政策。"
    outs = [synthetic.perturb_chars(sentence, rng=random.Random(s)) for s in range(20)]
    assert all(len(o) == len(sentence) and o.startswith("一是") and o.endswith("。") for o in outs)
    changed = [sum(a != b for a, b in zip(o, sentence)) for o in outs]
    assert 0 < sum(changed) / (20 * len(sentence)) < 0.3
    assert synthetic.perturb_chars(sentence, rng=random.Random(0), rate=0) == sentence


def test_copies_form_bureaus_with_yearly_documents(tmp_path):
    rows = _rows(synthetic.synthesize(5 + 5 * 12, tmp_path))
    copies = [r for r in rows[5:] if r["doc_id"] and int(r["doc_id"]) % 5 == 0]   # Weiyang's copies
    assert len(copies) == 12
    first = copies[:synthetic.YEARS_PER_BUREAU]
    assert len({r["jurisdiction"] for r in first}) == 1 and len({r["name_zh"] for r in first}) == 1
    assert [int(r["year"]) for r in first] == list(range(synthetic.FIRST_YEAR, synthetic.FIRST_YEAR + 10))
    assert copies[10]["jurisdiction"] != first[0]["jurisdiction"] and copies[10]["year"] == str(synthetic.FIRST_YEAR)


def test_quantities_swap_but_numbering_stays():
    text = "1.加强志愿服务工作。实现每百万常住人口拥有志愿服务组织15家以上,覆盖率达到90%。\n2\n"
    outs = {synthetic.perturb(text, rng=random.Random(s), place="", new_place="") for s in range(10)}
    assert len(outs) > 1
    for out in outs:
        assert out.startswith("1.") and out.index("。") == text.index("。") and out.endswith("\n2\n")


def test_parallel_tokenize_equals_serial(segmented10):
    texts = segmented10.tasks["text"].tolist()
    serial = tokenization.tokenize_all(texts, workers=1)
    assert serial == [tokenization.tokens(t) for t in texts]
    assert tokenization.tokenize_all(texts, workers=2) == serial


def test_progress_bar_on_many_documents_quiet_on_the_five(tmp_path, capsys):
    many = synthetic.synthesize(pipeline.PROGRESS_MIN_DOCS, tmp_path)
    pipeline.run(manifest=many, stages=["tokenize"], progress=True)
    err = capsys.readouterr().err
    assert f"build {pipeline.PROGRESS_MIN_DOCS} documents" in err
    five = pipeline.run(stages=["tokenize"], progress=True)
    assert len(five.documents) == 5 and capsys.readouterr().err == ""

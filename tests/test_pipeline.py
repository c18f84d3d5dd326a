"""The pipeline runner: the document stages give the same tables in one process or in a pool."""

from __future__ import annotations

import pytest

from analysis import corpus, pipeline, segment, synthetic
from analysis.errors import UsageError


@pytest.fixture(scope="module")
def corpus12(tmp_path_factory):
    return synthetic.synthesize(12, tmp_path_factory.mktemp("corpus12"))


def _tables(ctx, folder):
    return {p.name: p.read_bytes() for p in pipeline.write(ctx, out_dir=folder)}


def test_batches_keep_every_document_in_order():
    docs = corpus.load()
    parts = pipeline.batches(docs, size=6000)
    assert len(parts) > 1
    assert [d.doc_id for part in parts for d in part] == [d.doc_id for d in docs]
    # a batch closes once it reaches the size: every batch but the last is at least that big
    assert all(sum(len(d.text) for d in part) >= 6000 for part in parts[:-1])


def test_pooled_document_stages_write_the_same_tables(corpus12, tmp_path, monkeypatch):
    serial = pipeline.run(manifest=corpus12, workers=1, stages=["align"])
    monkeypatch.setattr(pipeline, "BATCH_MAX_CHARS", 9000)  # several batches per worker
    pooled = pipeline.run(manifest=corpus12, workers=2, stages=["align"])
    n_chars = sum(len(d.text) for d in pooled.documents)
    assert len(pipeline.batches(pooled.documents, size=pipeline.batch_size(n_chars, workers=2))) > 4
    a, b = _tables(serial, tmp_path / "serial"), _tables(pooled, tmp_path / "pooled")
    assert sorted(a) == sorted(b) and len(a) > 10
    assert [name for name in a if a[name] != b[name]] == []
    assert pooled.tokens == serial.tokens
    assert pooled.tasks["task_id"].tolist() == serial.tasks["task_id"].tolist()
    # the pool's wall time is shared out over the document stages it ran
    assert set(pipeline.DOCUMENT_STAGES) <= set(pooled.timings)


def _holds_segmentation(value) -> bool:
    """Whether ``value`` (a batch result's field) is or holds a Segmentation object."""
    from analysis.segment.units import Segmentation

    if isinstance(value, Segmentation):
        return True
    if isinstance(value, dict):
        return any(_holds_segmentation(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_holds_segmentation(v) for v in value)
    return False


def test_a_batch_sends_back_rows_not_segmentation_objects(corpus12):
    import dataclasses

    docs = corpus.load(corpus12, raw_dir=corpus12.parent)[:3]
    res = pipeline._run_batch((docs, pipeline.DOCUMENT_STAGES, corpus12, corpus12.parent, True))
    assert res.doc_ids == [d.doc_id for d in docs] and len(res.summaries) == 3
    assert all(line for line in res.summaries)  # the build's line per document is made in the worker
    assert set(res.tasks["doc_id"]) == {d.doc_id for d in docs}
    assert not any(_holds_segmentation(getattr(res, f.name)) for f in dataclasses.fields(res))


def test_segmentations_only_kept_where_the_segment_stage_ran(corpus12, monkeypatch):
    here = pipeline.run(manifest=corpus12, workers=1, stages=["tokenize"])
    assert [s.doc.doc_id for s in here.segmented] == [d.doc_id for d in here.documents]
    assert here.segmentations() is here.segmented
    monkeypatch.setattr(pipeline, "BATCH_MAX_CHARS", 9000)
    pooled = pipeline.run(manifest=corpus12, workers=2, stages=["tokenize"])
    assert pooled.segmented == [] and len(pooled.summaries) == len(pooled.documents)
    again = pooled.segmentations()  # segmented again in this process, the same as where the stage ran
    assert [s.doc.doc_id for s in again] == [d.doc_id for d in pooled.documents]
    assert [[seg.task_id(t) for t in seg.tasks] for seg in again] == \
        [[seg.task_id(t) for t in seg.tasks] for seg in here.segmented]
    assert [t for seg in again for t in seg.tasks] == [t for seg in here.segmented for t in seg.tasks]
    assert pooled.summaries == segment.summary_lines(again)


@pytest.mark.parametrize("n_chars, workers, n_batches", [
    (438_000, 2, 4),      # 100 synthetic plans: two batches per worker
    (4_378_000, 2, 6),    # 1,000: three per worker, none over a million characters
    (4_378_000, 1, 5),
    (24_000, 4, 8),
])
def test_batch_size_gives_a_multiple_of_the_workers(n_chars, workers, n_batches):
    size = pipeline.batch_size(n_chars, workers=workers)
    assert size <= pipeline.BATCH_MAX_CHARS
    assert -(-n_chars // size) == n_batches


def test_stages_run_up_to_the_last_one_named():
    ctx = pipeline.run(stages=["tokenize"])
    assert list(ctx.timings) == ["load", "segment", "tokenize"]
    assert ctx.tokens and ctx.targets is None


def test_unknown_stage_is_a_usage_error():
    with pytest.raises(UsageError, match="nonsense"):
        pipeline.run(stages=["nonsense"])


def test_every_build_starts_with_empty_text_memos():
    from analysis import compare, tokenization
    from analysis.compare import reuse

    pipeline.run(stages=["align"])
    assert tokenization.block_tokens.cache_info().currsize > 1000 and compare.normalized.cache_info().currsize > 100
    pipeline.run(stages=["load"])  # a new build forgets what the last one cut and normalized
    assert tokenization.block_tokens.cache_info().currsize == 0
    assert compare.normalized.cache_info().currsize == 0 and reuse.string_words.cache_info().currsize == 0


def test_notebook_machinery_is_imported_before_the_notebook_thread_starts():
    """The build draws figures while notebooks run in another thread; matplotlib reads IPython from sys.modules as
    it makes a figure, so IPython must be wholly imported first (a half-done import there failed a build)."""
    import subprocess
    import sys

    code = ("import sys; from analysis import notebooks; assert 'IPython' not in sys.modules; notebooks.warm(); "
            "print(hasattr(sys.modules['IPython'], 'version_info'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"

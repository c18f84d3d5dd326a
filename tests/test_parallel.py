"""How the package starts processes: a background child gives what the same call gives in-process."""

from __future__ import annotations

import os

import pytest

from analysis import compare, parallel, pipeline


def _pid_and_sum(values):
    return os.getpid(), sum(values)


def _fails(name):
    raise ValueError(f"bad value {name!r}")


@pytest.mark.parametrize("enabled", [True, False])
def test_background_returns_the_result_in_a_child_or_inline(enabled):
    job = parallel.Background(_pid_and_sum, [1, 2, 3], enabled=enabled)
    pid, total = job.result()
    assert total == 6
    assert (pid != os.getpid()) is enabled


@pytest.mark.parametrize("enabled", [True, False])
def test_background_passes_keyword_arguments(enabled):
    assert parallel.Background(sorted, [3, 1, 2], reverse=True, enabled=enabled).result() == [3, 2, 1]


@pytest.mark.parametrize("enabled", [True, False])
def test_background_raises_the_childs_exception(enabled):
    with pytest.raises(ValueError, match="bad value 'x'"):
        parallel.Background(_fails, "x", enabled=enabled).result()


def test_compare_tables_are_the_same_with_a_child_process(seg_ctx_compared):
    serial, forked = seg_ctx_compared
    for name in ("shared_phrases.csv", "task_sharing.csv", "keyness.csv", "similarity.csv", "alignment.csv"):
        assert serial.tables[name].frame.equals(forked.tables[name].frame), name


@pytest.fixture(scope="module")
def seg_ctx_compared():
    ctx = pipeline.run(stages=["coverage"])
    out = []
    for workers in (1, 2):
        ctx.workers, ctx.tables = workers, {}
        compare.build(ctx)
        out.append(pipeline.Context(manifest_path=ctx.manifest_path, raw_dir=ctx.raw_dir, tables=dict(ctx.tables)))
    return out


@pytest.mark.parametrize("sizes, size, expected", [
    ([3, 3, 3, 3], 6, [[3, 3], [3, 3]]),
    ([7, 1, 1], 6, [[7], [1, 1]]),        # a long item closes its run alone; the rest stays together
    ([], 6, []),
])
def test_runs_close_once_they_reach_the_size(sizes, size, expected):
    assert parallel.runs(sizes, size=size, length=lambda x: x) == expected

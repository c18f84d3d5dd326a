"""How the package starts processes: a background child gives what the same call gives in-process."""

from __future__ import annotations

import math
import os
import sys
import types

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


def _main_module(monkeypatch, *, spec_name=None, file=None):
    fake = types.ModuleType("__main__")
    fake.__spec__ = types.SimpleNamespace(name=spec_name) if spec_name else None
    if file is not None:
        fake.__file__ = str(file)
    monkeypatch.setitem(sys.modules, "__main__", fake)


@pytest.mark.parametrize("spec_name, source, expected", [
    ("analysis.__main__", None, True),            # python -m analysis: never imported again
    (None, None, True),                           # a notebook or an interactive session: no file
    (None, 'import analysis\n\nif __name__ == "__main__":\n    analysis.pipeline.build()\n', True),
    (None, "import analysis\nanalysis.pipeline.build()\n", False),   # would build again in every worker
    ("mymodule", "from analysis import pipeline\npipeline.build()\n", False),  # python -m mymodule, unguarded
])
def test_fresh_workers_only_where_the_main_module_is_safe_to_import_again(monkeypatch, tmp_path, spec_name, source,
                                                                         expected):
    file = None
    if source is not None:
        file = tmp_path / "script.py"
        file.write_text(source, encoding="utf-8")
    _main_module(monkeypatch, spec_name=spec_name, file=file)
    assert parallel.fresh_safe() is expected


def test_a_missing_main_file_is_not_taken_as_safe(monkeypatch, tmp_path):
    _main_module(monkeypatch, file=tmp_path / "gone.py")
    assert parallel.fresh_safe() is False


def _marker(_):
    return getattr(parallel, "_test_marker", None)


@pytest.mark.parametrize("fresh, inherited", [(False, "set in the parent"), (True, None)])
def test_fresh_pools_start_from_a_new_interpreter_forked_ones_inherit(monkeypatch, fresh, inherited):
    """A forked worker sees what the parent set after importing the package; a fresh one (pytest runs as
    ``python -m pytest``: safe) starts from a new interpreter and does not. Results come back in order either way."""
    monkeypatch.setattr(parallel, "_test_marker", "set in the parent", raising=False)
    with parallel.pool(2, fresh=fresh) as workers:
        assert workers.map(math.factorial, [5, 3, 4], chunksize=1) == [120, 6, 24]
        assert workers.map(_marker, range(2), chunksize=1) == [inherited] * 2

"""Shared fixtures: the real five plans, loaded and segmented once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import config, corpus, pipeline


@pytest.fixture(scope="session")
def documents():
    return {d.region: d for d in corpus.load()}


@pytest.fixture(scope="session")
def raw(documents):
    return {region: d.text for region, d in documents.items()}


@pytest.fixture(scope="session")
def seg_ctx():
    """The pipeline up to tokenization (fast): documents, segmentation, tasks, clauses, tokens."""
    return pipeline.run(stages=["load", "segment", "tokenize"])


@pytest.fixture(scope="session")
def tasks(seg_ctx):
    return seg_ctx.tasks


@pytest.fixture()
def quantities_of():
    """``quantities_of(text, doc_type, year=None)``: the quantities of an invented sentence, as
    ``[(start, span, kind, value, unit), …]`` in text order (a list: the same span may stand twice)."""
    from analysis import quantities

    def run(text: str, doc_type: str, year: int | None = None) -> list[tuple[int, str, str, float, str]]:
        return [(q.start, q.span, q.kind, q.value, q.unit)
                for q in quantities.extract(text, doc_type=doc_type, year=year)]
    return run


@pytest.fixture()
def raw_copy(tmp_path) -> Path:
    """A writable copy of data/raw/ (manifest and files) for bad-input tests."""
    dest = tmp_path / "raw"
    shutil.copytree(config.RAW, dest)
    for p in dest.iterdir():
        p.chmod(0o644)
    return dest


#: Tests that build, start subprocesses, render every figure, fuzz or measure: marked ``slow`` so that
#: ``pytest -m "not slow"`` (``make quick``) is the fast inner loop. The README's test command runs all.
SLOW_MODULES = ("test_build.py", "test_fuzz.py", "test_cli.py")
SLOW_TESTS = (
    "test_report.py::test_build_all_writes_both_languages_reproducibly",
    "test_report.py::test_every_label_has_a_glyph",
    "test_report.py::test_fresh_machine_without_cjk_font",
    "test_report.py::test_files_are_byte_identical_across_renders",
    "test_compare.py::test_align_scales_without_dense_all_pairs",
    "test_compare.py::test_default_backend_memory_in_a_fresh_process",
    "test_pipeline.py::test_pooled_document_stages_write_the_same_tables",
    "test_tokenization.py::test_jieba_is_silent_in_a_fresh_process",
    "test_outputs.py::test_a_failing_step_moves_nothing_into_place",
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = item.nodeid.split("::")[0]
        if path.endswith(".ipynb") or path.rsplit("/", 1)[-1] in SLOW_MODULES or any(
                item.nodeid.split("[")[0].endswith(t) for t in SLOW_TESTS):
            item.add_marker(pytest.mark.slow)

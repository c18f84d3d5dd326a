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
def raw_copy(tmp_path) -> Path:
    """A writable copy of data/raw/ (manifest and files) for bad-input tests."""
    dest = tmp_path / "raw"
    shutil.copytree(config.RAW, dest)
    for p in dest.iterdir():
        p.chmod(0o644)
    return dest

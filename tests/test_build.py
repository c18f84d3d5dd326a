"""The build is reproducible: a fresh build writes data/processed/ byte for byte as committed."""

from __future__ import annotations

import pytest

from analysis import config, pipeline, validate


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    pipeline.build(out_dir=out)
    return out


def test_fresh_build_reproduces_tasks_csv_byte_for_byte(fresh):
    assert (fresh / "tasks.csv").read_bytes() == (config.PROCESSED / "tasks.csv").read_bytes()


def test_fresh_build_reproduces_every_processed_table(fresh):
    built = sorted(p.name for p in fresh.glob("*.csv"))
    committed = sorted(p.name for p in config.PROCESSED.glob("*.csv"))
    assert built == committed
    differing = [n for n in built if (fresh / n).read_bytes() != (config.PROCESSED / n).read_bytes()]
    assert differing == []


def test_processed_tables_pass_validation(fresh):
    assert validate.check_all(in_dir=fresh) == []


def test_raw_files_are_read_only_and_untouched():
    from analysis import corpus

    for row in corpus.read_manifest():
        assert corpus.sha256(config.RAW / row["file"]) == row["sha256"]


def test_every_shape_fixture_added_in_a_loop_builds_and_validates(raw_copy, tmp_path):
    """A researcher adding many plans in a loop: every fixture document in tests/data/shapes/ goes in through
    ``analysis add`` (no --level: unknown for 市 names), then the whole corpus builds and passes validation
    (boilerplate kinds, clause ids, figures outside tasks, documents with no task)."""
    from pathlib import Path

    from analysis import add

    shapes = sorted((Path(__file__).parent / "data" / "shapes").glob("*.txt"))
    for k, path in enumerate(shapes):
        add.add(path, region=f"shape{k}", name_zh=f"样本{k}市", year="2024", doc_type="work_plan",
                manifest=raw_copy / "manifest.csv")
    out = tmp_path / "processed"
    pipeline.build(out_dir=out, manifest=raw_copy / "manifest.csv", raw_dir=raw_copy, cache=False)
    assert validate.check_all(in_dir=out, manifest=raw_copy / "manifest.csv") == []

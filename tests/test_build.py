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

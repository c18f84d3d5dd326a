"""The build as a transaction (analysis.outputs): staged outputs, a journal, a build record that refuses
missing, altered and stale tables. Killed builds leave the old outputs or the new ones, never a mix."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis import config, outputs, pipeline, validate
from analysis.errors import InputError


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Tables of the five seed plans, built once into a temporary folder."""
    out = tmp_path_factory.mktemp("built") / "processed"
    pipeline.build(out_dir=out)
    return out


@pytest.fixture()
def tables(built, tmp_path) -> Path:
    """A writable copy of the built tables (tests may break it)."""
    dest = tmp_path / "processed"
    shutil.copytree(built, dest)
    return dest


def test_record_names_every_table_and_the_manifest(built):
    record = outputs.read_record(built)
    assert sorted(record["tables"]) == sorted(p.name for p in built.glob("*.csv"))
    assert outputs.record_manifest(record, built) == config.MANIFEST.resolve()
    assert record["manifest_sha256"] == outputs.sha256(config.MANIFEST)
    assert outputs.check_record(built)["tables"] == record["tables"]


def test_committed_record_names_the_manifest_relative_to_the_tables():
    assert outputs.read_record(config.PROCESSED)["manifest"] == "../raw/manifest.csv"


@pytest.mark.parametrize("damage, message", [
    (lambda d: (d / "tasks.csv").unlink(), "tasks.csv: missing or empty"),
    (lambda d: (d / "coverage.csv").write_text(""), "coverage.csv: missing or empty"),
    (lambda d: (d / "targets.csv").write_text("region\nx\n"), "targets.csv: changed since the build"),
    (lambda d: (d / outputs.RECORD).unlink(), "no build record"),
    (lambda d: (d / outputs.RECORD).write_text("{not json"), "not a build record"),
])
def test_damaged_tables_are_refused_in_one_line(tables, damage, message):
    damage(tables)
    with pytest.raises(InputError, match="run `python -m analysis build`") as caught:
        outputs.check_record(tables)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_a_changed_manifest_makes_the_tables_stale(tables, raw_copy):
    manifest = raw_copy / "manifest.csv"
    with pytest.raises(InputError, match="stale"):
        # the same rows, one more comment character: a different file than the one built from
        manifest.write_text(manifest.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        outputs.check_record(tables, manifest=manifest)


def test_validate_refuses_stale_tables_before_checking_anything(tables, raw_copy):
    manifest = raw_copy / "manifest.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="stale"):
        validate.check_all(in_dir=tables, manifest=manifest)


def test_a_failing_step_moves_nothing_into_place(tables, monkeypatch):
    before = {p.name: p.read_bytes() for p in tables.iterdir()}
    from analysis.report import figures

    def broken(ctx, *, out_dir=None, echo=None):
        (Path(out_dir) / "half.png").write_bytes(b"not a figure")
        raise RuntimeError("the figures failed")

    monkeypatch.setattr(figures, "build_all", broken)
    with pytest.raises(RuntimeError, match="the figures failed"):
        pipeline.build(out_dir=tables, figures=True)
    assert {p.name: p.read_bytes() for p in tables.iterdir()} == before
    assert not (tables / "figures").exists()
    assert not outputs.staging_dir(tables).exists() and not outputs.staging_dir(tables / "figures").exists()


def test_a_commit_killed_halfway_is_finished_by_the_next_reader(tables, tmp_path, monkeypatch):
    stage = outputs.Targets(tmp_path / "s" / "tables", tmp_path / "s" / "figures", tmp_path / "s" / "notebooks")
    stage.tables.mkdir(parents=True)
    new = {p.name: p.read_bytes() + b"new\n" for p in tables.glob("*.csv")}
    for name, data in new.items():
        (stage.tables / name).write_bytes(data)
    moved = []
    real_replace = os.replace

    def dies_after_three(src, dest):
        if str(dest).endswith(".csv"):
            if len(moved) == 3:
                raise KeyboardInterrupt  # the build is killed between two moves
            moved.append(dest)
        real_replace(src, dest)

    monkeypatch.setattr(outputs.os, "replace", dies_after_three)
    with pytest.raises(KeyboardInterrupt):
        outputs.commit(stage, outputs.targets(tables), kinds=("tables",))
    monkeypatch.setattr(outputs.os, "replace", real_replace)
    mixed = sum((tables / n).read_bytes() == d for n, d in new.items())
    assert mixed == 3  # a mix on disk, with the journal saying how to finish ...
    assert outputs.recover(tables) is True  # ... which every reader runs first
    assert all((tables / n).read_bytes() == d for n, d in new.items())
    assert outputs.recover(tables) is False


@pytest.mark.slow
def test_builds_killed_at_random_points_leave_old_or_new_tables(tmp_path, raw_copy):
    """A folder holds a finished build of four plans; builds of all five into it are killed at random
    moments. Afterwards the folder holds the four-plan tables or the five-plan ones, each whole, never a mix."""
    four = raw_copy / "manifest.csv"
    lines = four.read_text(encoding="utf-8").splitlines(keepends=True)
    four.write_text("".join(lines[:-1]), encoding="utf-8")
    out = tmp_path / "processed"
    env = {**os.environ, "CIVIL_AFFAIRS_ROOT": str(config.ROOT)}

    def build_four():  # in a fresh process, like the killed builds (no state of earlier tests)
        subprocess.run([sys.executable, "-m", "analysis", "build", "--out", str(out), "--manifest", str(four),
                        "--no-figures", "--no-notebooks", "-q"], env=env, check=True, capture_output=True)

    t0 = time.perf_counter()
    build_four()
    took = time.perf_counter() - t0  # how long a build takes on this machine, now: the kills fall inside one
    old = {p.name: p.read_bytes() for p in out.glob("*.csv")}
    new = {p.name: p.read_bytes() for p in config.PROCESSED.glob("*.csv")}  # = a fresh build (test_build)
    assert old != new
    rng = random.Random(0)
    seen = []
    for _ in range(8):
        proc = subprocess.Popen([sys.executable, "-m", "analysis", "build", "--out", str(out), "--no-figures",
                                 "--no-notebooks", "-q"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            proc.wait(timeout=rng.uniform(0.1, 1.1) * took)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        now = {p.name: p.read_bytes() for p in out.glob("*.csv")}
        if outputs.recover(out):
            now = {p.name: p.read_bytes() for p in out.glob("*.csv")}
        assert now in (old, new)
        outputs.check_record(out, manifest=four if now == old else config.MANIFEST)
        seen.append("old" if now == old else "new")
        if now == new:  # start again from the four-plan tables
            build_four()
    assert "old" in seen

"""analysis.tables: tables written byte for byte as pandas writes them with the fixed float format."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import tables


def test_floats_are_written_as_pandas_writes_them(tmp_path):
    rng = np.random.default_rng(3)
    wide = np.concatenate([rng.normal(0, 1e6, 200), rng.uniform(0, 1, 200), 10.0 ** rng.integers(-12, 15, 100),
                           [np.nan, np.inf, -np.inf, -0.0, 0.0, 1 / 3, 2 / 3, 123456789012.5, 1e-300, 5e-324]])
    frame = pd.DataFrame({
        "name": [f"t{i}" for i in range(len(wide))],
        "score": wide,
        "share": wide.astype(np.float32),                       # float32: each value as a Python float
        "n": np.arange(len(wide)),
        "flag": np.arange(len(wide)) % 2 == 0,
        "mixed": [1.5 if i % 3 else "x" for i in range(len(wide))],  # object: written as it is
    })
    path = tables.write_csv(frame, "t.csv", sort_by=["name"], out_dir=tmp_path)
    expected = frame.sort_values(["name"], kind="mergesort").reset_index(drop=True).to_csv(
        index=False, lineterminator="\n", float_format="%.10g")
    assert path.read_text(encoding="utf-8") == expected
    assert ",nan," not in expected and ",inf," in expected           # NaN an empty field, inf written


def test_a_frame_without_rows_or_floats_is_written_unchanged(tmp_path):
    for frame in (pd.DataFrame({"score": pd.Series(dtype=float)}), pd.DataFrame({"a": ["x", ""], "b": [1, 2]})):
        path = tables.write_csv(frame, "t.csv", out_dir=tmp_path)
        assert path.read_text(encoding="utf-8") == frame.to_csv(index=False, lineterminator="\n",
                                                               float_format="%.10g")


@pytest.mark.parametrize("chunk", [1, 7, 10_000])
def test_a_table_written_in_chunks_is_the_table_written_whole(tmp_path, monkeypatch, chunk):
    """Issue 18: rows are formatted and written WRITE_CHUNK_ROWS at a time, in the sorted order, without a sorted
    copy; ties keep their order (stable), a non-default index is ignored, every chunk but the first has no header."""
    rng = np.random.default_rng(5)
    n = 60
    frame = pd.DataFrame({
        "region": rng.choice(["乙区", "甲县", "丙市"], n),      # sort keys with ties
        "rank": rng.integers(0, 4, n),
        "score": np.where(rng.uniform(size=n) < 0.2, np.nan, rng.normal(size=n)),
        "text": [f"第{i}项，含“引号”, 逗号" for i in range(n)],  # quoted fields
        "flag": rng.uniform(size=n) < 0.5,
    }, index=rng.permutation(n) + 100)
    monkeypatch.setattr(tables, "WRITE_CHUNK_ROWS", chunk)
    path = tables.write_csv(frame, "t.csv", sort_by=["region", "rank"], out_dir=tmp_path)
    expected = frame.sort_values(["region", "rank"], kind="mergesort").reset_index(drop=True).to_csv(
        index=False, lineterminator="\n", float_format="%.10g")
    assert path.read_text(encoding="utf-8") == expected
    assert expected.count("region,rank,score") == 1

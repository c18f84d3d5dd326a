"""analysis.tables: tables written byte for byte as pandas writes them with the fixed float format."""

from __future__ import annotations

import numpy as np
import pandas as pd

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

"""One schema per table (analysis.schema): the committed tables fit theirs, every table the build writes has
one, the data dictionary lists the same columns, and corruption is caught with a one-line message."""

from __future__ import annotations

import re
import time

import pandas as pd
import pytest

from analysis import config, outputs, schema, tables, validate

DICTIONARY = config.DOCS / "data-dictionary.md"
COMMITTED = sorted(p.name for p in config.PROCESSED.glob("*.csv"))


@pytest.fixture(scope="module")
def committed() -> dict[str, pd.DataFrame]:
    return {name: tables.read_csv(name, in_dir=config.PROCESSED) for name in COMMITTED}


# --------------------------------------------------------------------------------------------------
# The committed tables and the schemas

def test_every_table_the_build_writes_has_a_schema():
    assert COMMITTED == schema.names()
    written = {p.name for p in config.PROCESSED.iterdir() if p.is_file()} - {outputs.RECORD}
    assert sorted(written) == schema.names()


@pytest.mark.parametrize("name", COMMITTED)
def test_committed_table_fits_its_schema(name, committed):
    assert schema.check(name, committed[name]) == []


@pytest.mark.parametrize("name", COMMITTED)
def test_committed_table_columns_and_order(name, committed):
    frame = committed[name]
    assert list(frame.columns) == schema.columns(name)
    keys = schema.sort_by(name)
    if keys:
        again = frame.sort_values(keys, kind="mergesort").reset_index(drop=True)
        pd.testing.assert_frame_equal(again, frame)


def test_validate_checks_every_table(tmp_path, committed):
    assert validate.check_schemas(config.PROCESSED) == []
    for name, frame in committed.items():
        frame.to_csv(tmp_path / name, index=False)
    (tmp_path / "stray.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    bad = committed["targets.csv"].copy()
    bad.loc[0, "kind"] = "goal"
    bad.to_csv(tmp_path / "targets.csv", index=False)
    problems = validate.check_schemas(tmp_path)
    assert len(problems) == 2
    assert problems[0].startswith("stray.csv: a table with no schema")
    assert problems[1].startswith("targets.csv: column 'kind': value 'goal' not one of 'target'")


def test_checking_every_table_is_fast(committed):
    t0 = time.perf_counter()
    for name, frame in committed.items():
        schema.check(name, frame)
    assert time.perf_counter() - t0 < 5


def test_columns_and_sort_by_of_an_unknown_table():
    with pytest.raises(KeyError, match="nosuch.csv: no schema"):
        schema.columns("nosuch.csv")
    assert schema.check("nosuch.csv", pd.DataFrame())[0].startswith("nosuch.csv: a table with no schema")


def test_closed_lists_come_from_the_resources():
    taxonomy = pd.read_csv(config.resource("taxonomy.csv"), keep_default_na=False, dtype=str)
    assert schema.domain_codes() == tuple(taxonomy["code"])
    assert "signature" in schema.boilerplate_kinds() and "footer" in schema.boilerplate_kinds()
    assert "个" in schema.quantity_units() and "%" in schema.quantity_units()
    assert "" in schema.indicator_families() and "全覆盖" in schema.indicator_families()


def test_a_table_with_no_rows_is_checked_for_its_columns_only():
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in schema.columns("clusters.csv")})
    assert schema.check("clusters.csv", empty) == []
    assert schema.check("clusters.csv", empty.drop(columns="x")) == ["clusters.csv: column 'x' missing"]


def test_read_back_variants_are_accepted(committed):
    """A float column of whole numbers reads back as int64, an optional number with an empty cell as str."""
    docs = committed["documents.csv"].copy()
    assert docs["share_tiled"].dtype == "int64"  # every share_tiled is 1
    docs["year"] = docs["year"].astype(str)
    docs.loc[0, "year"] = ""
    assert schema.check("documents.csv", docs) == []
    hits = committed["domain_hits.csv"].copy()
    hits["weight"] = hits["weight"].round().astype("int64")
    assert schema.check("domain_hits.csv", hits) == []


# --------------------------------------------------------------------------------------------------
# Corruption is caught, one line each

def _set(name, column, row, value):
    def corrupt(frame):
        frame = frame.copy()
        if pd.api.types.is_numeric_dtype(frame[column].dtype) and isinstance(value, str):
            frame[column] = frame[column].astype(object)
        frame.loc[row, column] = value
        return frame
    return corrupt


def _duplicate(row):
    def corrupt(frame):
        return pd.concat([frame.iloc[:row + 1], frame.iloc[row:]], ignore_index=True)
    return corrupt


def _swap(row):
    def corrupt(frame):
        order = list(range(len(frame)))
        order[row], order[row + 1] = order[row + 1], order[row]
        return frame.iloc[order].reset_index(drop=True)
    return corrupt


def _drop(column):
    return lambda frame: frame.drop(columns=[column])


def _reorder(frame):
    cols = list(frame.columns)
    return frame[[cols[1], cols[0], *cols[2:]]]


CORRUPTIONS = [
    ("tasks.csv", _set("tasks.csv", "unit", 3, "chapter"),
     r"^tasks\.csv: column 'unit': value 'chapter' not one of 'preamble', .* \(line 5, task_id='[^']+'\)$"),
    ("tasks.csv", _set("tasks.csv", "part", 4, "later"), r"^tasks\.csv: column 'part': value 'later' not one of"),
    ("tasks.csv", _set("tasks.csv", "domain", 4, "welfare"), r"^tasks\.csv: column 'domain': value 'welfare'"),
    ("tasks.csv", _set("tasks.csv", "domains", 4, "elderly_care;welfare"),
     r"^tasks\.csv: column 'domains': value 'elderly_care;welfare' not a ';'-separated list of"),
    ("targets.csv", _set("targets.csv", "kind", 2, "goal"), r"^targets\.csv: column 'kind': value 'goal' not one of"),
    ("targets.csv", _set("targets.csv", "unit", 2, "furlong"), r"^targets\.csv: column 'unit': value 'furlong'"),
    ("coverage.csv", _set("coverage.csv", "state", 0, "covered"), r"^coverage\.csv: column 'state': value 'covered'"),
    ("documents.csv", _set("documents.csv", "doc_type", 1, "memo"),
     r"^documents\.csv: column 'doc_type': value 'memo' not one of 'work_plan'"),
    ("similarity.csv", _set("similarity.csv", "method", 0, "bm25"), r"^similarity\.csv: column 'method'"),
    ("shared_phrases.csv", _set("shared_phrases.csv", "is_formula", 0, "maybe"),
     r"^shared_phrases\.csv: column 'is_formula': dtype .*, expected bool"),
    ("tasks.csv", _duplicate(10), r"^tasks\.csv: duplicate task_id \(2 rows, first at line 12, task_id='[^']+'\)$"),
    ("coverage.csv", _duplicate(3), (r"^coverage\.csv: duplicate region, domain \(2 rows, first at line 5, "
                                     r"region='weiyang', domain='[a-z_]+'\)$")),
    ("documents.csv", _duplicate(0), r"^documents\.csv: duplicate doc_id \(2 rows"),
    ("keyness.csv", _duplicate(5), r"^keyness\.csv: duplicate region, rank \(2 rows"),
    ("tasks.csv", _swap(20), r"^tasks\.csv: rows not sorted by doc_id, start \(line 23, task_id='[^']+'\)$"),
    ("alignment.csv", _swap(0), r"^alignment\.csv: rows not sorted by region, task_id, other_region, rank"),
    ("coverage.csv", _swap(7), r"^coverage\.csv: rows not sorted by doc_id, domain_rank"),
    ("tasks.csv", _drop("part"), r"^tasks\.csv: column 'part' missing$"),
    ("targets.csv", _drop("kind"), r"^targets\.csv: column 'kind' missing$"),
    ("tasks.csv", lambda f: f.assign(note=""), r"^tasks\.csv: column 'note' is not in the schema$"),
    ("clauses.csv", _reorder, r"^clauses\.csv: columns out of order \(expected region, doc_id, task_id, "),
    ("coverage.csv", _set("coverage.csv", "share_tasks", 2, 1.5),
     r"^coverage\.csv: column 'share_tasks': value 1\.5 not in \[0, 1\] \(line 4, region='weiyang', "),
    ("task_sharing.csv", _set("task_sharing.csv", "share_shared", 2, 1.5),
     r"^task_sharing\.csv: column 'share_shared': value 1\.5 not in \[0, 1\]"),
    ("document_profiles.csv", _set("document_profiles.csv", "share_task_chars", 0, 1.5),
     r"^document_profiles\.csv: column 'share_task_chars': value 1\.5 not in \[0, 1\]"),
    ("similarity.csv", _set("similarity.csv", "score", 1, 1.5), r"^similarity\.csv: column 'score': value 1\.5"),
    ("tasks.csv", _set("tasks.csv", "start", 6, -3), r"^tasks\.csv: column 'start': value -3 below 0"),
    ("tasks.csv", _set("tasks.csv", "end", 6, 1), r"^tasks\.csv: start > end \(line 8, task_id='[^']+'\)$"),
    ("targets.csv", _set("targets.csv", "start", 0, "x"),
     r"^targets\.csv: column 'start': dtype .*, expected int64 \(value 'x' at line 2\)$"),
    ("documents.csv", _set("documents.csv", "sha256", 0, "abc"), r"^documents\.csv: column 'sha256': value 'abc'"),
]


@pytest.mark.parametrize("name,corrupt,expected", CORRUPTIONS,
                         ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(CORRUPTIONS)])
def test_corruption_is_caught_in_one_line(name, corrupt, expected, committed):
    problems = schema.check(name, corrupt(committed[name]))
    assert problems, "corruption not caught"
    assert all("\n" not in p for p in problems)
    assert any(re.search(expected, p) for p in problems), problems


# --------------------------------------------------------------------------------------------------
# The data dictionary lists the schema's columns

HEADING_RE = re.compile(r"^#{1,6} (.*)$")
TABLE_NAME_RE = re.compile(r"`([a-z0-9_]+\.csv)`")
TICK_RE = re.compile(r"`([^`]+)`")
PARENS_RE = re.compile(r"\([^()]*\)")


def _strip_parens(text: str) -> str:
    while (new := PARENS_RE.sub("", text)) != text:
        text = new
    return text


def _listed(text: str) -> list[str]:
    """Backticked names of a prose list up to the end of its sentence (or a dash); parenthesised remarks
    left out."""
    return TICK_RE.findall(re.split(r"\.(?:\s|$)| — ", _strip_parens(text), maxsplit=1)[0])


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _blocks(lines: list[str]):
    """Runs of lines: ('table', rows) or ('text', a paragraph)."""
    block, kind = [], None
    for line in [*lines, ""]:
        k = "table" if line.startswith("|") else "text" if line.strip() else None
        if k != kind and block:
            yield kind, block
            block = []
        kind = k
        if k:
            block.append(line)


def dictionary_columns(text: str) -> dict[str, list[str]]:
    """Table -> columns as the dictionary lists them: a ``## `name.csv` …`` section's ``| column |`` table
    (first cells) or else its first paragraph, and the rows of ``| table | columns |`` tables."""
    sections, heading, body = [], "", []
    for line in text.splitlines():
        m = HEADING_RE.match(line)
        if m:
            sections.append((heading, body))
            heading, body = m.group(1), []
        else:
            body.append(line)
    sections.append((heading, body))
    out: dict[str, list[str]] = {}
    for heading, body in sections:
        blocks = list(_blocks(body))
        named = TABLE_NAME_RE.match(heading)
        if named and blocks:
            table = next((b for k, b in blocks if k == "table" and _cells(b[0])[0] == "column"), None)
            if table is not None:
                out[named.group(1)] = [c for row in table[2:] for c in TICK_RE.findall(_cells(row)[0])]
            else:
                out[named.group(1)] = _listed(" ".join(next(b for k, b in blocks if k == "text")))
        for kind, block in blocks:
            if kind == "table" and _cells(block[0])[:2] == ["table", "columns"]:
                for row in block[2:]:
                    cells = _cells(row)
                    if (m := TABLE_NAME_RE.fullmatch(cells[0])) and len(cells) > 1:
                        out[m.group(1)] = _listed(cells[1])
    return out


def test_dictionary_documents_every_table():
    documented = dictionary_columns(DICTIONARY.read_text(encoding="utf-8"))
    assert sorted(documented) == schema.names()


@pytest.mark.parametrize("name", schema.names())
def test_dictionary_lists_the_schema_columns_in_order(name):
    documented = dictionary_columns(DICTIONARY.read_text(encoding="utf-8"))
    assert documented.get(name) == schema.columns(name)


def test_dictionary_parser_reads_the_three_forms():
    text = """# Part
## `a.csv` — rows, sorted by `x`

Intro with `is_preamble` mentioned.

| column | type | meaning |
|---|---|---|
| `x`, `y` | int | offsets (`0` …) |
| `z` | str | a `thing` |

## `b.csv` — per task

`p` (a remark with `q`. And more), `r`, `s`. Kinds: `k1`, `k2`.

| table | columns |
|---|---|
| `c.csv` | every hit: `u` (title, body), `v` — scored against `w.csv` |
"""
    assert dictionary_columns(text) == {"a.csv": ["x", "y", "z"], "b.csv": ["p", "r", "s"], "c.csv": ["u", "v"]}


def test_columns_and_sort_by_need_no_pandera():
    """A stage that orders its columns by the schema does not pay for importing pandera."""
    import subprocess
    import sys

    code = ("import sys, analysis.schema as s; s.columns('tasks.csv'); s.sort_by('coverage.csv'); "
            "print('pandera' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_segment_stage_writes_tasks_without_the_domain_columns():
    from analysis.segment.units import TASK_COLUMNS

    assert [c for c in schema.columns("tasks.csv") if c not in schema.TASK_DOMAIN_COLUMNS] == TASK_COLUMNS

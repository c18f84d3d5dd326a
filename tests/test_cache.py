"""Incremental builds (analysis.cache, issue 18): per-document results kept by content, never stale."""

from __future__ import annotations

import csv
import filecmp
import hashlib
import pickle
import shutil

import pytest

from analysis import cache, config, corpus, pipeline, synthetic


@pytest.fixture(scope="module")
def five():
    return corpus.load(config.MANIFEST, raw_dir=config.RAW)


def test_key_follows_text_manifest_row_stages_and_code(five):
    doc = five[0]
    k = cache.key(doc, stages=["segment", "tokenize"], fp="code-1")
    assert k == cache.key(doc, stages=["segment", "tokenize"], fp="code-1")
    assert k != cache.key(doc, stages=["segment"], fp="code-1")          # other stages
    assert k != cache.key(doc, stages=["segment", "tokenize"], fp="code-2")  # other code or parameters
    assert k != cache.key(five[1], stages=["segment", "tokenize"], fp="code-1")
    edited = corpus.Document(**{**doc.__dict__, "text": doc.text.replace("养老", "敬老", 1)})
    assert cache.key(edited, stages=["segment", "tokenize"], fp="code-1") != k
    moved = corpus.Document(**{**doc.__dict__, "meta": {**doc.meta, "year": "2024"}})
    assert cache.key(moved, stages=["segment", "tokenize"], fp="code-1") != k


def test_fingerprint_changes_with_a_parameter_file(tmp_path, monkeypatch):
    """A changed lexicon (or any resource or source file of the package) is a new fingerprint: every
    document is recomputed."""
    copy = tmp_path / "analysis"
    shutil.copytree(config.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(config, "PACKAGE_DIR", copy)
    cache.fingerprint.cache_clear()
    try:
        before = cache.fingerprint()
        lexicon = next(copy.glob("resources/domain_lexicon*.csv"))
        lexicon.write_text(lexicon.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        cache.fingerprint.cache_clear()
        assert cache.fingerprint() != before
    finally:
        cache.fingerprint.cache_clear()


def test_damaged_or_foreign_entries_are_misses_and_prune_removes_unused(tmp_path):
    store = cache.Cache(tmp_path / "cache")
    assert store.get("ab" * 32) is None
    store.put("ab" * 32, {"x": 1})
    assert store.get("ab" * 32) == {"x": 1}
    (tmp_path / "cache" / "cd").mkdir()
    (tmp_path / "cache" / "cd" / f"{'cd' * 32}.pkl").write_bytes(b"not a pickle")
    assert store.get("cd" * 32) is None
    assert store.prune(keep={"ab" * 32}) == 1
    assert store.get("ab" * 32) == {"x": 1} and not list((tmp_path / "cache").glob("cd/*.pkl"))


def _edit(manifest, doc_index: int, *, old: str = "民政", new: str = "民政事业", count: int = 1) -> None:
    """Edit one document of a synthetic corpus in place (its text and its manifest hash): ``old`` -> ``new``,
    the first ``count`` times (-1: every time)."""
    rows = list(csv.DictReader(manifest.open(encoding="utf-8", newline="")))
    path = manifest.parent / rows[doc_index]["file"]
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    rows[doc_index]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    with manifest.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _same_tables(a, b) -> list[str]:
    names = sorted(p.name for p in a.glob("*.csv"))
    assert names == sorted(p.name for p in b.glob("*.csv")) and names
    return [n for n in names if not filecmp.cmp(a / n, b / n, shallow=False)]


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_incremental_build_equals_clean_build(tmp_path, workers):
    """Adding a document, then editing one: only those are recomputed, and the tables are byte-identical
    to a clean build of the same corpus."""
    manifest = synthetic.synthesize(12, tmp_path / "corpus")
    fewer = synthetic.subset_manifest(manifest, 11)
    inc = tmp_path / "inc"
    first = pipeline.build(out_dir=inc, manifest=fewer, workers=workers)
    assert first.cache_hits == 0
    added = pipeline.build(out_dir=inc, manifest=manifest, workers=workers)
    assert added.cache_hits == 11
    _edit(manifest, 7)
    edited = pipeline.build(out_dir=inc, manifest=manifest, workers=workers)
    assert edited.cache_hits == 11
    clean = pipeline.build(out_dir=tmp_path / "clean", manifest=manifest, workers=workers, cache=False)
    assert clean.cache_hits == 0
    assert _same_tables(tmp_path / "clean", inc) == []
    # the old entries of the edited document and of its chunk were pruned: one entry per document, one for
    # the shared tables, one for the chunk of twelve stacked, one for the domain validation (a tuple), the rest
    # the bureaus' pairs of plans
    kinds = [type(pickle.loads(p.read_bytes())).__name__ for p in cache.folder_for(inc).glob("*/*.pkl")]
    assert kinds.count("DocResult") == 12 and kinds.count("dict") == 1 and kinds.count("_BatchResult") == 1
    assert kinds.count("tuple") == 1 and set(kinds) == {"DocResult", "dict", "_BatchResult", "tuple", "list"}


@pytest.mark.slow
def test_lost_shared_entry_recomputes_one_document(tmp_path):
    """Every document read back but the tables they share (the taxonomy) gone: one document is recomputed and
    the tables are the same."""
    out = tmp_path / "out"
    pipeline.build(out_dir=out)
    before = {p.name: p.read_bytes() for p in out.glob("*.csv")}
    shared = cache.folder_for(out) / (k := cache.shared_key(stages=list(pipeline.DOCUMENT_STAGES)))[:2] / f"{k}.pkl"
    assert shared.is_file()
    shared.unlink()
    again = pipeline.build(out_dir=out)
    assert again.cache_hits == 4 and shared.is_file()
    assert {p.name: p.read_bytes() for p in out.glob("*.csv") if p.name != "build.json"} == {
        n: b for n, b in before.items() if n != "build.json"}


@pytest.mark.slow
def test_adding_one_document_recomputes_only_its_phrase_block_and_plan_pair(tmp_path, monkeypatch):
    """At scale (phrases mined and plans compared in blocks, bureaus with a plan a year), adding a bureau's next
    plan mines its block's phrases again, compares its block's plans again (similarity, alignment, keyness) and
    compares it with that bureau's previous plan; every other block and pair is read back, and the tables are
    byte-identical to a clean build."""
    from analysis.compare import blocks
    from analysis.overtime import changes

    monkeypatch.setattr(blocks, "PHRASE_BLOCK_DOCS", 8)   # 25 documents: blocked by synthetic prefecture
    monkeypatch.setattr(pipeline, "CACHE_CHUNK", 10)      # read back in chunks of 0-9, 10-19, 20-...
    monkeypatch.setattr(pipeline, "CACHE_SUBCHUNK", 3)    # a chunk that changed in parts of 20-22, 23-...
    read = []
    real_get = cache.Cache.get
    monkeypatch.setattr(cache.Cache, "get", lambda self, k: read.append(type(v := real_get(self, k)).__name__) or v)
    manifest = synthetic.synthesize(25, tmp_path / "corpus")  # the last: a task list, its bureau's fourth
    fewer = synthetic.subset_manifest(manifest, 24)
    inc = tmp_path / "inc"
    first = pipeline.build(out_dir=inc, manifest=fewer, workers=1)
    assert len(set(blocks.assign([{"region": d.region, "jurisdiction": d.jurisdiction, **d.meta}
                                  for d in first.documents]).values())) > 2
    mined, compared, blocked = [], [], []
    real_mine, real_between, real_block = blocks._mine, changes.between, blocks.compare_block
    monkeypatch.setattr(blocks, "compare_block", lambda t, *a, **k: blocked.append(set(t["region"])) or real_block(t, *a, **k))
    monkeypatch.setattr(blocks, "_mine", lambda args: mined.append(sorted(set(args[1]))) or real_mine(args))
    monkeypatch.setattr(changes, "between", lambda *a, **k: compared.append((a[1], a[2])) or real_between(*a, **k))
    read.clear()
    added = pipeline.build(out_dir=inc, manifest=manifest, workers=1)
    # chunks 0-9 and 10-19 whole; of the last chunk, its part 20-22 whole and 23 alone (24 is new)
    assert read.count("_BatchResult") == 3 and read.count("DocResult") == 1
    new = added.documents[-1].region
    sequence = [d.region for d in added.documents if d.jurisdiction == added.documents[-1].jurisdiction]
    previous = sequence[-2]
    assert added.cache_hits == 24
    assert len(mined) == 1 and new in mined[0]            # one block mined again: the new document's
    compare_of = blocks.assign([{"region": d.region, "jurisdiction": d.jurisdiction, **d.meta} for d in added.documents],
                               by=blocks.COMPARE_BLOCK_BY)
    assert len(set(compare_of.values())) > 2
    assert blocked == [{r for r, b in compare_of.items() if b == compare_of[new]}]  # its comparison block again
    assert compared == [(previous, new)]                  # one pair compared again: the bureau's last two plans
    clean = pipeline.build(out_dir=tmp_path / "clean", manifest=manifest, workers=1, cache=False)
    assert clean.cache_hits == 0 and len(clean.tables["task_changes.csv"].frame)
    assert _same_tables(tmp_path / "clean", inc) == []
    mined.clear(), compared.clear(), read.clear(), blocked.clear()
    _edit(manifest, 14, old="养老", new="敬老", count=-1)  # a plan in the middle of that bureau's sequence
    edited = pipeline.build(out_dir=inc, manifest=manifest, workers=1)
    middle = edited.documents[14].region
    assert edited.cache_hits == 24 and len(mined) == 1 and middle in mined[0]
    assert blocked == [{r for r, b in compare_of.items() if b == compare_of[middle]}]
    # chunks 0-9 and 20-24 whole; chunk 10-19 document by document (its parts, unused by the last build, were pruned)
    assert read.count("_BatchResult") == 2 and read.count("DocResult") == 9
    assert sorted(compared) == sorted([(a, b) for a, b in zip(sequence, sequence[1:]) if middle in (a, b)])
    assert len(compared) == 2
    pipeline.build(out_dir=tmp_path / "clean", manifest=manifest, workers=1, cache=False)
    assert _same_tables(tmp_path / "clean", inc) == []


@pytest.mark.slow
def test_domain_validation_is_read_back_only_while_its_labelled_tasks_are_unchanged(tmp_path, monkeypatch):
    """The domain validation (LORO tuning, the supervised baseline) reads only the labelled plans: adding another
    plan reads it back; editing a labelled plan computes it again, and the tables are those of a clean build."""
    from analysis.evaluate import domains

    calls = []
    real = domains._validation_tables
    monkeypatch.setattr(domains, "_validation_tables", lambda *a, **k: calls.append(1) or real(*a, **k))
    manifest = synthetic.synthesize(7, tmp_path / "corpus")   # the five labelled plans and two copies
    inc = tmp_path / "inc"
    pipeline.build(out_dir=inc, manifest=synthetic.subset_manifest(manifest, 6), workers=1)
    pipeline.build(out_dir=inc, manifest=manifest, workers=1)
    assert len(calls) == 1                                  # the seventh plan changes no labelled task
    _edit(manifest, 0, old="养老", new="敬老", count=-1)     # a labelled plan: its labels' tasks change
    pipeline.build(out_dir=inc, manifest=manifest, workers=1)
    assert len(calls) == 2
    pipeline.build(out_dir=tmp_path / "clean", manifest=manifest, workers=1, cache=False)
    assert _same_tables(tmp_path / "clean", inc) == []

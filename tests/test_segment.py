"""Segmentation on the five real plans: counts, provenance, gaps, boilerplate, coverage, fallbacks."""

from __future__ import annotations

import csv
import re
from dataclasses import replace
from pathlib import Path

import pytest

from analysis import segment
from analysis.corpus import Document

PHRASES = list(csv.DictReader((Path(__file__).parent / "data" / "task_phrases.csv").open(encoding="utf-8")))


def _items(tasks, region, unit):
    return tasks[(tasks.region == region) & (tasks.unit == unit)]


@pytest.mark.parametrize("region, unit, n", [
    ("weiyang", "item", 30), ("shulan", "item", 35), ("xuanzhou", "row", 32),
    ("baoji", "passage", 11), ("baoji", "theme", 6), ("yanta", "clause", 21), ("yanta", "item", 5),
])
def test_unit_counts(tasks, region, unit, n):
    assert len(_items(tasks, region, unit)) == n


def test_weiyang_items_are_numbered_one_to_thirty(tasks):
    assert _items(tasks, "weiyang", "item").item_no.tolist() == list(range(1, 31))


def test_shulan_keeps_source_numbering_and_warns_about_gaps(tasks, seg_ctx):
    items = _items(tasks, "shulan", "item")
    assert 6 not in items.item_no.tolist() and items.item_no.max() == 36
    assert 8 not in items.section_no.tolist()
    warnings = seg_ctx.tables["segmentation_warnings.csv"].frame
    shulan = warnings[(warnings.region == "shulan") & (warnings.kind == "gap")].message.tolist()
    assert any("no item 6" in m for m in shulan)
    assert any("no section 8" in m for m in shulan)


def test_xuanzhou_rows_keep_fields_and_report_missing_row_7(tasks, seg_ctx):
    rows = _items(tasks, "xuanzhou", "row").set_index("task_id")
    assert "xuanzhou-03-07" not in rows.index
    r = rows.loc["xuanzhou-01-02"]  # cells wrapped onto two further lines
    assert r.leader == "周利宏 张文娟"
    assert r.department == "慈善事业促进和社会工作科 宣州区社团和民间组织管理局"
    assert r.title == "完善办事公开制度,持续加强自治组织、社会组织、志愿者队伍等建设"
    assert r.goal.startswith("1.加强志愿服务工作。") and "不少于5个" in r.goal
    assert rows.loc["xuanzhou-02-02"].department == "社会救助科"
    assert rows.loc["xuanzhou-06-03"].leader == "各分管领导"
    warnings = seg_ctx.tables["segmentation_warnings.csv"].frame
    assert any("no row 7" in m for m in warnings[warnings.region == "xuanzhou"].message)


def test_xuanzhou_numbered_goals_are_clauses(seg_ctx):
    c = seg_ctx.clauses
    row = c[c.task_id == "xuanzhou-05-01"]
    assert row.marker.tolist() == ["1.", "2.", "3.", "4."]
    assert "推动调查研究求真求实" in row.text.iloc[1]


def test_baoji_passages_follow_the_in_aspect_markers(tasks):
    passages = _items(tasks, "baoji", "passage")
    assert passages.groupby("section_no").size().to_dict() == {5: 2, 6: 3, 8: 2, 9: 4}
    theme6 = passages[passages.section_no == 6].text.tolist()
    assert "殡葬改革方面" in theme6[0] and theme6[1].startswith("在婚姻登记管理方面")
    assert theme6[2].startswith("在生活无着落流浪乞讨人员救助管理方面")


def test_baoji_run_together_headings(tasks):
    titles = tasks[tasks.region == "baoji"].set_index("task_id").title
    assert titles["baoji-04-01"] == "社会组织管理提质展作为"
    assert titles["baoji-10-01"] == "干部队伍建设实干强保障"
    assert titles["baoji-01-01"] == "兜底保障 脱贫暖民心"


def test_yanta_clauses_are_tasks_including_section_level_ones(tasks):
    yanta = tasks[tasks.region == "yanta"].set_index("task_id")
    assert yanta.loc["yanta-02-04-4", "text"].startswith("四是成功打造西北首家屋顶花园爱情颁证基地")
    assert [t for t in yanta.index if t.startswith("yanta-03-")] == ["yanta-03-00-1", "yanta-03-00-2", "yanta-03-00-3"]
    assert yanta.loc["yanta-01-02-1", "text"].startswith("(二)加强学习")  # the item heading stays with clause 1


@pytest.mark.parametrize("row", PHRASES, ids=[f"{p['region']}:{p['phrase'][:12]}" for p in PHRASES])
def test_independent_phrase_falls_in_exactly_one_task(tasks, raw, row):
    region, phrase = row["region"], row["phrase"]
    assert raw[region].count(phrase) == 1, "phrase list must quote the source exactly once"
    pos = raw[region].index(phrase)
    mine = tasks[tasks.region == region]
    holders = mine[(mine.start <= pos) & (pos + len(phrase) <= mine.end)]
    assert len(holders) == 1
    assert phrase in holders.text.iloc[0]
    if row["expected_task_id"]:
        assert holders.task_id.iloc[0] == row["expected_task_id"]


def test_offsets_quote_the_raw_text(tasks, raw, seg_ctx):
    for r in tasks.itertuples():
        assert raw[r.region][r.start:r.end] == r.text
        assert r.start <= r.body_start < r.end
    for c in seg_ctx.clauses.itertuples():
        assert raw[c.region][c.start:c.end] == c.text


def test_tasks_tile_without_overlap_and_ids_are_unique(tasks):
    assert tasks.task_id.is_unique
    for _, g in tasks.groupby("region"):
        g = g.sort_values("start")
        assert (g.start.to_numpy()[1:] >= g.end.to_numpy()[:-1]).all()


def test_coverage_at_least_99_percent(seg_ctx):
    for seg in seg_ctx.segmented:
        assert seg.coverage >= 0.99, seg.doc.region


@pytest.mark.parametrize("region, kind, text", [
    ("weiyang", "footer", "陕公网安备:61011202000090号"),
    ("xuanzhou", "footer", "皖ICP备05004400号-1"),
    ("xuanzhou", "footer", "34180202000313 本站已支持IPv6访问"),
    ("xuanzhou", "footer", "主办:宣州区人民政府办公室 运维电话:(0563)3027267 传真:(0563)3023029"),
    ("xuanzhou", "page_metadata", "发布机构: | 宣州区民政局 |"),
    ("shulan", "signature", "2023年3月21日"),
    ("yanta", "signature", "西安市雁塔区民政局"),
])
def test_boilerplate_is_dropped_and_listed(seg_ctx, tasks, region, kind, text):
    b = seg_ctx.tables["boilerplate.csv"].frame
    listed = b[(b.region == region) & (b.kind == kind)].text.tolist()
    assert text in listed
    assert not tasks[tasks.region == region].text.str.contains(text, regex=False).any()


def _doc(text: str, **meta) -> Document:
    return Document(doc_id="900", region="test", meta={"issuer": "", **meta}, text=text, path=Path("test.txt"))


def test_text_without_numbering_falls_back_to_paragraphs_with_a_warning(raw):
    # Two real Baoji passages, their numbering and headings removed.
    body = raw["baoji"]
    text = body[body.index("在殡葬改革方面"):body.index("在婚姻登记管理方面")] + "\n\n" + \
        body[body.index("在婚姻登记管理方面"):body.index("在生活无着落")]
    seg = segment.document(_doc(text))
    assert seg.layout == "paragraphs" and len(seg.tasks) == 2
    assert any(n.kind == "fallback" for n in seg.notes)
    assert seg.coverage == 1.0


def test_single_block_without_markers_stays_one_task_with_a_warning(raw):
    # Cutting a block without line breaks or numbering into sentences made fragments, not tasks (issue 13):
    # it stays one paragraph, flagged as a fallback.
    text = raw["weiyang"][raw["weiyang"].index("强化社会综合救助"):raw["weiyang"].index("(九)")].strip()
    seg = segment.document(_doc(text))
    assert [t.unit for t in seg.tasks] == ["paragraph"]
    assert seg.tasks[0].title.startswith("强化社会综合救助服务平台应用")
    assert (seg.tasks[0].start, seg.tasks[0].end) == (0, len(text))
    assert any(n.kind == "fallback" for n in seg.notes)


def test_layout_detection(documents):
    assert {r: segment.detect_layout(d.text) for r, d in documents.items()} == {
        "weiyang": "outline", "shulan": "outline", "baoji": "feature", "yanta": "outline", "xuanzhou": "table"}


def test_auto_layout_gives_the_same_tasks_as_the_manifest(documents):
    for d in documents.values():
        auto = replace(d, meta={**d.meta, "layout": "auto"})
        assert segment.document(auto).tasks == segment.document(d).tasks


@pytest.mark.parametrize("text, expected", [
    ("(十九)提升基层民主建设水平。一是推动村级自治组织减负;二是按照方案推进。", ["一是", "二是"]),
    ("1.深入学习习近平新时代中国特色社会主义思想。2.精准选题、一线解题。", ["1.", "2."]),
    ("对每一对申请离婚的当事人。1、对有需求的离婚当事人转交。2、对每一对申请离婚的当事人", ["1、", "2、"]),
    ("城乡特困人员基本生活标准不低于当地上年度城乡低保标准的1.3倍和2倍", []),
    ("形式多样化的宣传开展“6.19”开放日宣传活动", []),
])
def test_clause_markers(text, expected):
    assert [m for _, m, _ in segment.clause_markers(text, 0, len(text))] == expected


def test_a_sixth_plan_needs_only_a_file_and_a_manifest_row(raw_copy):
    """Drop a file, add a manifest row, rebuild: here a GBK-encoded excerpt of a real plan."""
    import hashlib

    from analysis import pipeline

    weiyang = (raw_copy / "000_weiyang_2023_work_plan.txt").read_text(encoding="utf-8")
    excerpt = weiyang[weiyang.index("四、推进养老服务高质量发展"):weiyang.index("六、夯实基层政权建设")]
    data = excerpt.encode("gbk")
    (raw_copy / "005_testcounty_2024_work_plan.txt").write_bytes(data)
    with (raw_copy / "manifest.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"005,testcounty,测试县,Test County,陕西省 Shaanxi,西安市 Xi'an,county,2024,work_plan,"
                 f"测试县民政局2024年工作计划,测试县民政局,,excerpt for a test,005_testcounty_2024_work_plan.txt,"
                 f"{hashlib.sha256(data).hexdigest()},,\n")
    ctx = pipeline.run(manifest=raw_copy / "manifest.csv", stages=["load", "segment"])
    new = ctx.tasks[ctx.tasks.region == "testcounty"]
    assert new.item_no.tolist() == list(range(10, 17))
    assert new.task_id.iloc[0] == "testcounty-04-10"
    assert "新增家庭养老床位100张" in new.text.iloc[1]
    seg = next(s for s in ctx.segmented if s.doc.region == "testcounty")
    assert seg.layout == "outline" and seg.coverage == 1.0
    assert any(n.kind == "encoding" and "gb18030" in n.message for n in seg.notes)


def _coverage_by_characters(text, spans, removed):
    """Reference: character by character."""
    state = [0] * len(text)
    for s, e in removed:
        state[s:e] = [2] * (e - s)
    for s, e in spans:
        state[s:e] = [1] * (e - s)
    kept = [m for ch, m in zip(text, state) if not ch.isspace() and m != 2]
    return sum(m == 1 for m in kept) / len(kept)


def test_interval_coverage_equals_the_character_count(seg_ctx):
    for seg in seg_ctx.segmented:
        text = seg.doc.text
        removed = [(s, e) for _, s, e in seg.boilerplate]
        for spans in ([(t.start, t.end) for t in seg.tasks],               # the real tiling
                      [(t.start, t.end) for t in seg.tasks[::2]],          # holes
                      [(0, len(text) // 2), (len(text) // 3, len(text))]):  # overlapping, over boilerplate
            assert segment.coverage(text, spans, removed) == pytest.approx(
                _coverage_by_characters(text, spans, removed), abs=1e-12)


def test_uncovered_text_is_reported_not_dropped(documents):
    doc = documents["weiyang"]
    seg = segment.document(doc)
    holed = replace(seg, tasks=[t for t in seg.tasks if t.item_no != 11])
    notes = segment.uncovered(holed)
    assert len(notes) == 1 and "新增家庭养老床位100张" not in notes[0].message
    assert notes[0].message.startswith(f"{sum(1 for ch in doc.text[seg.tasks[11].start:seg.tasks[11].end] if not ch.isspace())} characters")


# --- fast paths equal their plain references ---------------------------------------------------------------

#: The plain forms of segment's skip-ahead patterns.
DIGIT_CLAUSE_REFERENCE_RE = re.compile(r"(?:(?<=^)|(?<=[\s。；;：:|]))(\d{1,2})[.、．](?!\d)")
CJK_GAP_REFERENCE_RE = re.compile(r"(?<=[\u3400-\u9fff])[ \t\u3000\u00a0]+(?=[\u3400-\u9fff])")

def _all_spans():
    from analysis import corpus

    docs = corpus.load()
    return [(d.text, *(t.goal_span or (t.body_start, t.end))) for d in docs for t in segment.document(d).tasks] + \
        [(d.text, 0, len(d.text)) for d in docs]


def test_digit_clause_markers_equal_the_plain_pattern():
    for text, lo, hi in _all_spans():
        assert [(m.span(), m.groups()) for m in segment.DIGIT_CLAUSE_RE.finditer(text, lo, hi)] == \
            [(m.span(), m.groups()) for m in DIGIT_CLAUSE_REFERENCE_RE.finditer(text, lo, hi)]


def test_cjk_gaps_equal_the_plain_pattern():
    for text, lo, hi in _all_spans():
        assert [m.span() for m in segment.CJK_GAP_RE.finditer(text, lo, hi)] == \
            [m.span() for m in CJK_GAP_REFERENCE_RE.finditer(text, lo, hi)]


@pytest.mark.parametrize("text", ["1.开展 2、推进", "1.3倍 6.19 12、", "一是x 二是 y", "扎 实 推进", "民政 局\n1. 2.",
                                  "第十一是 ，十二是工作", "a1.b 2.", "|3、x"])
def test_fast_patterns_on_constructed_strings(text):
    for lo in range(len(text) + 1):
        for hi in range(lo, len(text) + 1):
            assert [(m.span(), m.groups()) for m in segment.DIGIT_CLAUSE_RE.finditer(text, lo, hi)] == \
                [(m.span(), m.groups()) for m in DIGIT_CLAUSE_REFERENCE_RE.finditer(text, lo, hi)]
            assert [m.span() for m in segment.CJK_GAP_RE.finditer(text, lo, hi)] == \
                [m.span() for m in CJK_GAP_REFERENCE_RE.finditer(text, lo, hi)]


def test_gc_pause_restores_the_collector_even_on_error():
    import gc

    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        with segment.gc_paused():
            assert not gc.isenabled()
            raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with segment.gc_paused():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()

"""Charts (issue 5): every chart in both languages, glyph coverage of the bundled font, determinism.

Data: the real tasks with hand-labelled domains and quantities (see tests/test_coverage.py).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import matplotlib as mpl
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.text import Text

from analysis import corpus
from analysis.report import catalog, leaders, style
from analysis.report import targets as target_charts
from analysis.report import coverage as coverage_charts
from analysis.report import figures as report_figures
from analysis.errors import UsageError

sys.path.insert(0, str(Path(__file__).parent))
from test_coverage import labelled_tables  # noqa: E402

CJK_RE = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
MISSING_RE = re.compile(r"Glyph .* missing from (current )?font", re.I)

#: Indicator families (as issue 4 assigns them) for real quantities: the two 适老化改造 targets match;
#: 儿童之家 comes in % (Weiyang's target) and 个 (Yanta's achievement), so it does not.
FAMILIES = {
    ("shulan", "105户"): ("适老化改造", "age_friendly_renovation"),
    ("xuanzhou", "552户"): ("适老化改造", "age_friendly_renovation"),
    ("weiyang", "60%"): ("儿童之家", "children_home_share"),
    ("yanta", "238个"): ("儿童之家", "children_home"),
}


@pytest.fixture(scope="module")
def data(seg_ctx):
    tasks, targets, cov, prof = labelled_tables()
    targets = targets.assign(indicator_family="", indicator_id="", per="")
    for (region, span), (family, canonical) in FAMILIES.items():
        hit = (targets["region"] == region) & (targets["span"] == span)
        assert hit.sum() == 1, (region, span)
        targets.loc[hit, ["indicator_family", "indicator_id"]] = [family, canonical]
    from analysis import compare

    similarity = compare.similarity(seg_ctx.tasks, seg_ctx.tokens)
    keyness = compare.keyness(compare.region_docs(seg_ctx.tasks, seg_ctx.tokens),
                              names=compare.corpus_names(corpus.read_manifest(), leaders=seg_ctx.tasks["leader"]))
    return {"tasks": tasks, "targets": targets, "coverage": cov, "profiles": prof,
            "similarity": similarity, "keyness": keyness}


def draw_all(data, lang):
    return report_figures.figures(data["coverage"], data["profiles"], data["targets"], data["tasks"], lang=lang,
                          similarity=data["similarity"], keyness=data["keyness"])


@pytest.fixture(scope="module")
def figs(data):
    return {lang: draw_all(data, lang) for lang in style.LANGS}


@pytest.fixture(scope="module")
def cmap():
    from fontTools.ttLib import TTFont

    return set(TTFont(str(style.font_path()), fontNumber=0).getBestCmap())


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


# ------------------------------------------------------------------------------------------- font

def test_font_ships_with_the_install():
    path = style.font_path()
    assert path.is_file() and "mplfonts" in path.parts
    assert style.font_family() == "Noto Sans CJK SC (bundled)"  # never a system font of the same name


def test_import_does_not_touch_global_state():
    code = ("import matplotlib as mpl; before = dict(mpl.rcParams); import analysis.report.style;"
            "from matplotlib import font_manager as fm;"
            "assert dict(mpl.rcParams) == before;"
            "assert not any(f.fname.endswith('NotoSansCJKsc-Regular.otf') or f.name.endswith('(bundled)')"
            " for f in fm.fontManager.ttflist), 'font registered at import'")  # system CJK fonts may be there
    subprocess.run([sys.executable, "-c", code], check=True)


def test_style_sets_font_and_minus_without_leaking():
    before = dict(mpl.rcParams)
    with style.style():
        assert mpl.rcParams["axes.unicode_minus"] is False
        assert mpl.rcParams["font.family"][0] == "Noto Sans CJK SC (bundled)"
    assert dict(mpl.rcParams) == before


ALWAYS_DRAWN = [n for n in catalog.FIGURES if n not in catalog.DATA_DEPENDENT]  # the rest: tests/test_overtime.py


@pytest.mark.parametrize("lang", style.LANGS)
@pytest.mark.parametrize("name", ALWAYS_DRAWN)
def test_every_label_has_a_glyph(figs, cmap, name, lang):
    """Every text of every chart is set in the bundled font, which has a glyph for each character,
    and drawing it raises no missing-glyph warning."""
    fig = figs[lang][name]
    labels = texts(fig)
    assert labels
    for t in fig.findobj(Text):
        if not (t.get_visible() and t.get_text().strip()):
            continue
        resolved = font_manager.findfont(t.get_fontproperties(), fallback_to_default=False)
        assert Path(resolved) == style.font_path(), t.get_text()
        missing = {ch for ch in t.get_text() if not ch.isspace() and ord(ch) not in cmap}
        assert not missing, (t.get_text(), missing)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for fmt in ("png", "svg", "pdf"):
            fig.savefig(io.BytesIO(), format=fmt)
    assert not [w for w in caught if MISSING_RE.search(str(w.message))]


def test_missing_glyph_check_can_fail():
    """Negative control: the same check does catch a CJK label set in a Latin-only font."""
    fig = Figure()
    fig.text(0.5, 0.5, "养老服务", family="DejaVu Sans")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    assert [w for w in caught if MISSING_RE.search(str(w.message))]


def test_fresh_machine_uses_the_packaged_font(tmp_path):
    """A new matplotlib config folder (empty font cache): every text resolves to the packaged font file and
    no glyph is missing — whether or not the machine has CJK system fonts (one named like the bundled font
    included). Only the "no system CJK font" part is skipped where there is one."""
    script = textwrap.dedent("""
        import io, sys, warnings
        from pathlib import Path
        sys.path.insert(0, %r)
        from matplotlib import font_manager
        from matplotlib.text import Text
        system = [f.name for f in font_manager.fontManager.ttflist if "CJK" in f.name or "Hei" in f.name]
        from test_coverage import labelled_tables
        from analysis.report import figures as report_figures, style
        tasks, targets, cov, prof = labelled_tables()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for lang in style.LANGS:
                for fig in report_figures.figures(cov, prof, targets, tasks, lang=lang).values():
                    fig.savefig(io.BytesIO(), format="png")
                    for t in fig.findobj(Text):
                        if t.get_visible() and t.get_text().strip():
                            used = font_manager.findfont(t.get_fontproperties(), fallback_to_default=False)
                            assert Path(used) == style.font_path(), (t.get_text(), used)
        bad = [str(w.message) for w in caught if "missing from" in str(w.message)]
        assert not bad, bad[:3]
        print("system CJK fonts:", len(system))
    """) % str(Path(__file__).parent)
    env = dict(os.environ, MPLCONFIGDIR=str(tmp_path / "mplconfig"))
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    if not done.stdout.strip().endswith("system CJK fonts: 0"):
        pytest.skip("a CJK system font is installed: the packaged font was used, but the no-system-font "
                    "precondition cannot be checked here")


def test_pdf_embeds_truetype_not_type3(data, tmp_path):
    """PDFs carry the bundled font as TrueType (CIDFontType2 with glyf outlines), never Type 3."""
    import zlib

    fig = coverage_charts.coverage_states(data["coverage"], data["profiles"], lang="zh")
    body = style.save(fig, tmp_path / "states.pdf").read_bytes()
    assert b"/Type3" not in body and b"/CIDFontType2" in body and b"/FontFile2" in body
    fonts = []
    for m in re.finditer(rb"stream\r?\n", body):
        try:
            raw = zlib.decompress(body[m.end():body.find(b"endstream", m.end())])
        except zlib.error:
            continue
        if raw[:4] in (b"\x00\x01\x00\x00", b"OTTO"):
            fonts.append(raw)
    assert fonts and all(f[:4] == b"\x00\x01\x00\x00" and b"glyf" in f[:400] for f in fonts)


# ----------------------------------------------------------------------------------------- labels

@pytest.mark.parametrize("name", [n for n in ALWAYS_DRAWN if n != "keyness"])
def test_english_charts_have_no_chinese(figs, name):
    chinese = [t for t in texts(figs["en"][name]) if CJK_RE.search(t)]
    assert not chinese


def test_english_keyness_chart_labels_are_english_and_terms_are_glossed(figs):
    fig = figs["en"]["keyness"]
    assert not CJK_RE.search(fig.get_suptitle())
    ticks = []
    for ax in fig.axes:
        if ax.get_visible():
            assert not CJK_RE.search(ax.get_title() + ax.get_xlabel())
            ticks += [t.get_text() for t in ax.get_yticklabels()]
    assert ticks
    for tick in ticks:  # "gloss (术语)" or "pinyin† (术语)": never bare Chinese
        m = re.fullmatch(r"(.+) \(([^()]+)\)", tick)
        assert m and re.search(r"[A-Za-z]", m[1]) and not CJK_RE.search(m[1]) and CJK_RE.search(m[2]), tick


def test_keyness_chart_draws_only_significant_terms_on_one_scale(data, figs):
    k = data["keyness"]
    fig = figs["zh"]["keyness"]
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len({ax.get_xlim() for ax in panels}) == 1  # a common scale
    for ax in panels:
        name = ax.get_title().split("\n")[0]
        assert ax.get_title().split("\n")[1] == "与其余4份文件相比"
        region = data["profiles"].set_index("name_zh").loc[name, "region"]
        drawn = [t.get_text() for t in ax.get_yticklabels()]
        passing = k[(k.region == region) & k.significant].sort_values("rank")["term"].head(10).tolist()
        assert drawn == passing
    assert not k[~k.significant].empty  # some terms fail the correction: they are not drawn


def test_glossary_covers_the_corpus_terms_or_falls_back_to_pinyin(data):
    from analysis.report import glossary

    k = data["keyness"]
    missing = [t for t in k.loc[k.significant, "term"] if t not in glossary.glossary()]
    assert not missing  # the curated glossary covers every significant term of the five plans
    assert glossary.term_label("示范区域外", lang="en").startswith("shìfànqūyùwài" + glossary.PINYIN_MARK)


def _overflow(fig) -> list[str]:
    """Texts drawn outside the figure (cut titles, legends, notes)."""
    fig.draw_without_rendering()
    renderer = fig._get_renderer()
    width, height = fig.bbox.width, fig.bbox.height
    out = []
    for t in style.titles(fig) + style.legends(fig):
        box = t.get_window_extent(renderer)
        if box.x0 < -2 or box.y0 < -2 or box.x1 > width + 2 or box.y1 > height + 2:
            out.append(t.get_text()[:40] if isinstance(t, Text) else "legend")
    if fig._suptitle is not None and fig._suptitle.get_text().strip():
        title = fig._suptitle.get_window_extent(renderer)
        for legend in fig.legends:
            if title.overlaps(legend.get_window_extent(renderer)):
                out.append("suptitle over legend")
    return out


@pytest.mark.parametrize("lang", style.LANGS)
@pytest.mark.parametrize("regions", [["xuanzhou"], ["weiyang", "shulan"], None], ids=["1", "2", "5"])
def test_titles_legends_and_notes_fit_for_1_to_n_regions(data, lang, regions):
    figs = report_figures.figures(data["coverage"], data["profiles"], data["targets"], data["tasks"], lang=lang,
                                  regions=regions, similarity=data["similarity"], keyness=data["keyness"])
    cut = {name: _overflow(fig) for name, fig in figs.items()}
    assert not {k: v for k, v in cut.items() if v}


def test_chinese_charts_use_chinese_names(figs):
    labels = "\n".join(texts(figs["zh"]["coverage_states"]))
    for word in ("未央区", "宝鸡市", "养老服务", "有量化目标", "仅有已取得成果（无目标）"):
        assert word in labels


@pytest.mark.parametrize("lang, words", [("zh", ["2020年报纸专题报道", "雁塔区为2023年工作成果总结"]),
                                         ("en", ["Baoji City is a 2020 newspaper feature",
                                                 "Yanta District is a 2023 summary of results"])])
@pytest.mark.parametrize("name", ["coverage_heatmap", "coverage_states", "targets_by_domain"])
def test_captions_carry_the_caveat(figs, name, lang, words):
    caption = re.sub(r"\s+", " ", figs[lang][name].get_supxlabel())
    for w in words:
        assert w in caption.replace(" ", "") if lang == "zh" else w in caption


def test_selected_regions_drop_foreign_caveats(data):
    fig = coverage_charts.coverage_states(data["coverage"], data["profiles"], lang="en", regions=["weiyang", "shulan"])
    assert "Baoji" not in " ".join(texts(fig))
    assert len([t for t in fig.axes[0].get_xticklabels() if t.get_text()]) == 2


def test_unknown_lang_is_a_usage_error(data):
    with pytest.raises(UsageError, match="zh, en"):
        coverage_charts.coverage_states(data["coverage"], data["profiles"], lang="fr")


@pytest.mark.parametrize("text, width", [
    ("注：宝鸡市为2020年报纸专题报道，并非正式工作计划；雁塔区为2023年工作成果总结", 30),
    ("Note: Baoji City is a 2020 newspaper feature, not a formal work plan", 24),
])
def test_wrap_keeps_every_character_within_width(text, width):
    lines = style.wrap(text, width).split("\n")
    assert all(style.display_width(ln) <= width for ln in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


# ------------------------------------------------------------------------------- chart contents

def test_comparable_needs_same_indicator_and_unit(data):
    rows = target_charts.side_by_side(data["targets"])
    assert set(zip(rows["region"], rows["value"].astype(float))) == {("shulan", 105.0), ("xuanzhou", 552.0)}
    assert set(rows["unit"]) == {"户"}


def test_comparable_keeps_apart_different_bases(data):
    targets = data["targets"].copy()
    targets.loc[targets["span"] == "552户", "per"] = "年"
    assert target_charts.side_by_side(targets).empty


def test_figures_without_a_canonical_indicator_are_never_paired(data):
    targets = data["targets"].copy()
    full = targets.index[targets["is_full_coverage"]][:2]
    targets.loc[full, ["indicator_family", "indicator", "region"]] = [["全覆盖", "街道社工站", "weiyang"],
                                                                      ["全覆盖", "村级公益性公墓", "xuanzhou"]]
    side = target_charts.side_by_side(targets)
    assert not side["start"].isin(targets.loc[full, "start"]).any()
    assert set(side["indicator_id"]) == {"age_friendly_renovation"}


def test_a_goal_is_never_paired_with_a_result(data):
    targets = data["targets"].copy()
    targets.loc[targets["span"] == "552户", "kind"] = "achievement"
    assert target_charts.side_by_side(targets).empty


def _dibao(targets, rows):
    """``targets`` with one 低保-standard row per (region, indicator_id, value) appended."""
    extra = [{**targets.iloc[0].to_dict(), "region": r, "doc_id": d, "indicator_id": i, "value": v, "unit": "元",
              "per": "人/月", "kind": "target", "start": 10 + n, "span": f"{v}元"} for n, (r, d, i, v) in enumerate(rows)]
    return pd.concat([targets, pd.DataFrame(extra)], ignore_index=True)


def test_a_dibao_panel_when_two_regions_state_a_standard(data):
    targets = _dibao(data["targets"], [("xuanzhou", "004", "dibao_standard_urban", 780),
                                       ("xuanzhou", "004", "dibao_standard_rural", 755),
                                       ("weiyang", "000", "dibao_standard_urban", 800)])
    side = target_charts.side_by_side(targets)
    panel = side[side["panel"] == "dibao_standard"]
    assert sorted(panel["value"]) == [755, 780, 800] and set(panel["region"]) == {"xuanzhou", "weiyang"}
    fig = target_charts.comparable_targets(targets, data["profiles"], lang="zh")
    titles = [re.sub(r"\s+", "", ax.get_title()) for ax in fig.axes if ax.axison]
    assert "城乡低保标准·目标（元/人/月）" in titles
    ticks = [t.get_text() for ax in fig.axes for t in ax.get_xticklabels()]
    assert any("（农村）" in t for t in ticks) and any("（城市）" in t for t in ticks)
    one = _dibao(data["targets"], [("xuanzhou", "004", "dibao_standard_urban", 780)])
    assert "dibao_standard" not in set(target_charts.side_by_side(one)["panel"])   # one region: no panel


def test_comparable_chart_without_targets_says_so(data):
    fig = target_charts.comparable_targets(None, data["profiles"], lang="en")
    assert any("No comparable quantities" in t for t in texts(fig))


def test_heatmap_cells_are_the_coverage_shares(data, figs):
    cov = data["coverage"]
    cell = cov[(cov["region"] == "xuanzhou") & (cov["domain"] == "elderly_care")].iloc[0]
    annotations = [t.get_text() for t in figs["zh"]["coverage_heatmap"].axes[0].texts]
    assert f"{cell['share_tasks'] * 100:.0f}%" in annotations


@pytest.mark.parametrize("name", ["张文娟", "周利宏", "刘谋瑜", "谭朝晖"])
def test_tasks_per_leader_match_the_raw_task_list(data, name):
    raw = next(d.text for d in __import__("test_coverage").documents() if d.region == "xuanzhou")
    counts = leaders.leader_counts(data["tasks"], column="leader")
    assert counts[name] == raw.count(name)


def test_department_names_with_brackets_stay_whole(data):
    counts = leaders.leader_counts(data["tasks"], column="department")
    assert "养老服务科 (儿童福利科)" in counts.index
    assert "(儿童福利科)" not in counts.index
    assert counts["宣州区社会福利院"] == 1


def test_states_chart_colours_follow_the_matrix(data, figs):
    cov, prof = data["coverage"], data["profiles"]
    doms = cov.drop_duplicates("domain").sort_values("domain_rank")["domain"].tolist()
    regs = prof.sort_values("doc_id")["region"].tolist()
    ax = figs["en"]["coverage_states"].axes[0]
    colours = {(round(p.get_y()), round(p.get_x())): mpl.colors.to_hex(p.get_facecolor()) for p in ax.patches}
    for cell in cov.itertuples():
        assert colours[(doms.index(cell.domain), regs.index(cell.region))] == style.STATE_COLORS[cell.state]


# ---------------------------------------------------------------------------------- determinism

@pytest.mark.parametrize("fmt", style.FORMATS)
def test_files_are_byte_identical_across_renders(data, tmp_path, fmt):
    digests = []
    for n in range(2):
        fig = coverage_charts.coverage_heatmap(data["coverage"], data["profiles"], lang="zh")
        path = style.save(fig, tmp_path / f"f{n}.{fmt}")
        digests.append(hashlib.sha256(path.read_bytes()).hexdigest())
    assert digests[0] == digests[1]
    body = path.read_bytes()
    assert mpl.__version__.encode() not in body
    assert b"CreationDate" not in body and b"<dc:date>" not in body


def test_build_all_writes_both_languages_reproducibly(data, tmp_path):
    class Ctx:
        tasks = data["tasks"]
        targets = data["targets"]
        tables = {"coverage.csv": type("T", (), {"frame": data["coverage"]}),
                  "document_profiles.csv": type("T", (), {"frame": data["profiles"]}),
                  "similarity.csv": type("T", (), {"frame": data["similarity"]}),
                  "keyness.csv": type("T", (), {"frame": data["keyness"]})}

    first = report_figures.build_all(Ctx, out_dir=tmp_path / "a")
    second = report_figures.build_all(Ctx, out_dir=tmp_path / "b")
    names = sorted(p.name for p in first)
    assert names == sorted(f"{n}_{lang}.{ext}" for n in ALWAYS_DRAWN for lang in style.LANGS
                           for ext in ("png", "svg"))
    for a, b in zip(sorted(first), sorted(second)):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_save_rejects_unknown_format(data, tmp_path):
    fig = coverage_charts.coverage_states(data["coverage"], data["profiles"], lang="en")
    with pytest.raises(UsageError, match="png, svg, pdf"):
        style.save(fig, tmp_path / "x.gif")


def test_tasks_by_leader_without_a_task_list_says_so(data):
    fig = leaders.tasks_by_leader(data["tasks"], data["profiles"], lang="en", regions=["weiyang", "shulan"])
    assert any("None of the selected regions has a task list" in t for t in texts(fig))


def test_leader_bars_are_stacked_by_primary_domain(data, figs):
    tasks = data["tasks"]
    table = leaders.leader_domains(tasks, column="leader")
    for name in ("刘谋瑜", "谭朝晖"):
        mine = tasks[tasks["leader"].str.contains(name) & ~tasks["is_preamble"]]
        expected = mine["domain"].value_counts()
        got = table.loc[name]
        assert got[got > 0].sort_index().to_dict() == expected.sort_index().to_dict()
    ax = figs["zh"]["tasks_by_leader"].axes[0]
    widths = {}
    for bar in ax.patches:
        widths[round(bar.get_y() + bar.get_height() / 2)] = widths.get(round(bar.get_y() + bar.get_height() / 2), 0) + bar.get_width()
    assert [widths[i] for i in range(len(table))] == table.sum(axis=1).tolist()

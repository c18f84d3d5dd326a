"""Tokenization: user dictionary terms stay whole, filler is dropped, quiet, deterministic, picklable."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis import tokenization


@pytest.mark.parametrize("sentence, term", [
    ("力争年底建成1个区级公办示范性养老院,新建社区配套养老服务设施实现100%全覆盖。"
     "强化“长乐在家”“长乐餐厅”品牌建设,开展家庭养老床位建设,新增家庭养老床位100张。", "家庭养老床位"),
    ("开展特殊困难老年人家庭适老化改造工作,完成不少于105户改造任务。", "适老化改造"),
    ("落实孤儿、事实无人抚养儿童等各类困境儿童关爱服务工作", "事实无人抚养儿童"),
    ("大力推行惠民殡葬和节地生态安葬,落实惠民殡葬和节地生态安葬补贴。", "节地生态安葬"),
    ("全面补齐乡镇公益性公墓短板,逐步推进村级公益性公墓全覆盖。", "公益性公墓"),
    ("部署落实第五轮行政区域界线联检工作", "界线联检"),
    ("加强低收入人口动态监测,注重发挥与乡村振兴部门信息共享长效机制作用", "低收入人口"),
    ("全面落实由急难发生地实施临时救助政策。", "临时救助"),
    ("开展分散供养特困人员专项排查,落实定期探访制度。", "特困人员"),
    ("年底前街道未保工作站实现全覆盖,社区(村)儿童之家占比达到60%。", "儿童之家"),
    ("加强“五社联动”试点工作。", "五社联动"),
    ("全力推动社工站建设提质增效。", "社工站"),
    ("坚守福利彩票公益属性,加强福彩公益宣传", "福彩"),
    ("做好2023年低保提标工作,加大低保扩围增效力度。", "低保"),
])
def test_user_dictionary_terms_stay_whole(sentence, term):
    assert term in tokenization.tokens(sentence)


@pytest.mark.parametrize("filler", ["进一步", "全面", "持续", "加强", "推进", "深入", "的", "和"])
def test_bureaucratic_filler_and_function_words_are_dropped(filler):
    sentence = "进一步深入学习习近平总书记历次来陕考察重要讲话,全面加强和持续推进民政工作的法治建设"
    assert filler in tokenization.words(sentence) or filler in sentence
    assert filler not in tokenization.tokens(sentence)


def test_numbers_and_punctuation_are_not_tokens():
    toks = tokenization.tokens("新增失智照护床位不少于50张,完成552户特殊困难老年人家庭适老化改造任务。")
    assert not any(t.isdigit() or t in ",。" for t in toks)


@pytest.mark.parametrize("raw_text, joined", [
    ("扎 实开展社会救助兜底保障对象排查", "扎实开展"),   # Baoji layout defect
    ("全面完成地名数 据库的更新维护", "数据库"),
    ("建立政 府主导、民政牵头", "政府"),
])
def test_stray_spaces_inside_words_are_closed(raw_text, joined):
    assert joined in tokenization.normalize(raw_text)


def test_spaces_between_names_are_kept():
    assert tokenization.normalize("周利宏 张文娟") == "周利宏 张文娟"
    assert tokenization.tokens("周利宏 张文娟") == ["周利宏", "张文娟"]


def test_deterministic_over_the_corpus(tasks):
    first = [tokenization.tokens(t) for t in tasks.text]
    again = [tokenization.tokens(t) for t in tasks.text]
    assert first == again


def test_jieba_is_silent_in_a_fresh_process():
    proc = subprocess.run([sys.executable, "-c",
                           "from analysis import tokenization; print(tokenization.tokens('新增家庭养老床位100张'))"],
                          capture_output=True, text=True)
    assert proc.returncode == 0
    assert proc.stderr == ""
    assert "家庭养老床位" in proc.stdout


def test_tokenizer_callable_pickles_inside_a_tfidf_vectorizer(tasks):
    vec = TfidfVectorizer(tokenizer=tokenization.Tokens(), token_pattern=None, lowercase=False)
    matrix = vec.fit_transform(tasks.text)
    clone = pickle.loads(pickle.dumps(vec))
    assert abs(clone.transform(tasks.text[:5]) - matrix[:5]).max() < 1e-12
    assert "家庭养老床位" in vec.vocabulary_


def test_one_jieba_instance_not_the_global_one():
    import jieba

    assert tokenization.tokenizer() is tokenization.tokenizer()
    assert tokenization.tokenizer() is not jieba.dt


def _jieba_content_tokens(text):
    """The reference: one jieba call over the whole text, then the same filter as ``tokens``."""
    stop = tokenization.stopwords()
    return [w for w in tokenization.tokenizer().lcut(tokenization.normalize(text))
            if tokenization.is_content(w) and w not in stop]


@pytest.mark.parametrize("memo", [True, False])
def test_block_by_block_cutting_gives_jiebas_tokens_on_every_task(tasks, memo):
    tokenization.clear()
    assert [tokenization.tokens(t, memo=memo) for t in tasks.text] == [_jieba_content_tokens(t) for t in tasks.text]


def test_memo_remembers_repeated_blocks_and_clear_forgets_them():
    tokenization.clear()
    sentence = "落实特困人员救助供养制度,落实特困人员救助供养制度。"
    assert tokenization.tokens(sentence) == _jieba_content_tokens(sentence)
    info = tokenization.block_tokens.cache_info()
    assert info.hits >= 1 and info.currsize >= 2  # the clause came back; the punctuation blocks too
    tokenization.clear()
    assert tokenization.block_tokens.cache_info().currsize == 0


def test_repeated_share_measures_the_reuse_of_clauses(tasks):
    assert tokenization.repeated_share(["社会救助,社会救助", "养老服务"]) == pytest.approx(4 / 12)
    assert tokenization.repeated_share([]) == 0.0
    share = tokenization.repeated_share(tasks.text)  # the five plans reuse a few clauses (6%)
    assert 0.01 < share < 0.2


@pytest.mark.parametrize("remove, left", [
    ((), ["社会救助", "低保", "社会救助", "特困"]),
    (("社会救助",), ["低保", "社会救助", "特困"]),                 # the first occurrence only
    (("社会救助", "社会救助", "养老"), ["低保", "特困"]),          # one per listed token; absent ones ignored
    (("特困", "低保"), ["社会救助", "社会救助"]),
])
def test_without_removes_one_occurrence_per_listed_token(remove, left):
    toks = ["社会救助", "低保", "社会救助", "特困"]
    assert tokenization.without(toks, remove) == left
    assert toks == ["社会救助", "低保", "社会救助", "特困"]  # the input is left alone


def test_a_long_run_without_punctuation_is_cut_for_jieba_in_pieces(caplog):
    """jieba's HMM is quadratic in a run of characters it does not know; longer runs go in pieces."""
    run = "占" * (tokenization.MAX_BLOCK * 3 + 7)
    pieces, cut = tokenization.pieces(run)
    assert cut and [len(p) for p in pieces] == [tokenization.MAX_BLOCK] * 3 + [7]
    with caplog.at_level("WARNING", logger="analysis.tokenization"):
        tokenization.tokens(run)
    assert "cut in pieces of 500" in caplog.text
    assert tokenization.words(run) == [w for p in pieces for w in tokenization.tokenizer().lcut(p)]


def test_words_are_jiebas_words_when_no_block_is_cut():
    text = "加强社会救助，新增家庭养老床位100张；推进“三社联动” 。\n  二是完善制度"
    assert tokenization.pieces(tokenization.normalize(text))[1] is False
    assert tokenization.words(text) == tokenization.tokenizer().lcut(tokenization.normalize(text))
    spaces = " " * (tokenization.MAX_BLOCK * 2)  # a run of spaces is cut too, without a warning: jieba splits it alike
    assert tokenization.words(spaces) == tokenization.tokenizer().lcut(spaces)


@pytest.mark.parametrize("text, word", [
    ("推进殡葬改革规(guī)范管理", "规范"),        # a converter's pinyin gloss inside a word (invented sentence)
    ("建立统(tǒng)一的救助平台", "统一"),
])
def test_pinyin_glosses_are_dropped_before_tokenizing(text, word):
    assert word in tokenization.words(text)


def test_parentheses_that_are_no_gloss_stay():
    assert tokenization.normalize("（1）落实(a)条款") == "(1)落实(a)条款"


@pytest.mark.parametrize("text, expected", [   # toneless glosses a converter left (invented sentences)
    ("坚持党(dang) 的领导", "坚持党的领导"),
    ("推进乡(xiang) 村地名建设", "推进乡村地名建设"),
    ("关(guan) 于(yu) 开展行动", "关于开展行动"),
    ("落实绿(lv)色殡葬", "落实绿色殡葬"),            # ü written v
    ("居家养老(app)服务", "居家养老(app)服务"),     # letters that are no reading of the character before them
    ("社区(sq)网格", "社区(sq)网格"),
])
def test_toneless_pinyin_glosses_are_dropped_only_when_they_spell_the_character(text, expected):
    assert tokenization.normalize(text) == expected

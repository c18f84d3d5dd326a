"""Segmentation on documents in the shapes of other bureaus' plans (made-up fixtures in tests/data/shapes/).

The expected tasks below were written by hand, as a careful reader counts them, from the fixture texts
(not from the program's output): each is the opening of one task. Front matter (breadcrumbs, metadata,
forwarding notices), signatures and site footers must be boilerplate rows, never tasks, and every
character must end in a task or a boilerplate row.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import segment
from analysis.corpus import Document
from analysis.segment import spans as sp
from analysis.segment.units import NON_TASK_UNITS

SHAPES = Path(__file__).parent / "data" / "shapes"


def _doc(name: str, *, doc_type: str = "work_plan", task_unit: str = "", text: str | None = None) -> Document:
    text = (SHAPES / name).read_text(encoding="utf-8") if text is None else text
    meta = {"doc_type": doc_type, "issuer": "", "task_unit": task_unit, "layout": ""}
    return Document(doc_id="900", region="shape", meta=meta, text=text, path=SHAPES / name)


def _openings(seg: segment.Segmentation) -> list[str]:
    text = seg.doc.text
    return [text[t.body_start:t.end] for t in seg.tasks if t.unit not in NON_TASK_UNITS]


def _assert_tasks(seg: segment.Segmentation, expected: list[str]) -> None:
    got = _openings(seg)
    assert len(got) == len(expected), [g[:12] for g in got]
    for body, want in zip(got, expected):
        assert body.lstrip().startswith(want), (body[:30], want)


def _uncovered(seg: segment.Segmentation) -> int:
    text = seg.doc.text
    spans = [(t.start, t.end) for t in seg.tasks] + [(s, e) for _, s, e in seg.boilerplate]
    return sum(sp.nonspace(text[a:b]) for a, b in sp.holes(text, spans))


CASES = {
    "outline_digit_items.txt": ("work_plan", ["1.健全分层分类", "2.加强特困人员", "3.做好临时救助", "4.完善居家社区",
                                              "5.推进老龄工作", "6.落实困境儿童", "7.推进移风易俗", "8.建设公益性公墓"]),
    "single_section.txt": ("work_plan", ["1、做好低保", "2、开展高龄老人", "3、加强留守儿童", "4、推行殡葬改革"]),
    "headings_only.txt": ("work_plan", ["", "", "", "", ""]),
    "run_in_no_breaks.txt": ("work_plan", ["（一）完善低保制度", "（二）强化临时救助", "（一）建设居家社区",
                                           "（二）提升养老机构", "（一）规范地名管理", "（二）推进婚俗改革",
                                           "（三）深化殡葬改革"]),
    # (1)/(2) points that are full paragraphs under a lone 1. heading line: each is a task; background and
    # guiding-thought parts of a plan without line breaks are framing, not tasks; a paragraph scraped twice
    # is one task (the copy is listed as a duplicate).
    "paren_paragraph_points.txt": ("work_summary", ["（一）夯实基层基础", "（2）推进社区服务阵地", "（3）加强社区工作者"]),
    "run_in_background_plan.txt": ("work_plan", ["（一）健全主动发现", "（二）加强救助信息共享",
                                                 "（三）充实基层经办力量"]),
    "news_scraped_twice.txt": ("newspaper_feature", ["本报讯 近日，清溪县民政局"]),
    "progress_table_cells.txt": ("work_summary", ["3 |\n115 |\n推进社区养老", "3 |\n114 |\n开展困难群众",
                                                  "3 |\n112 |\n建设农村公益"]),
    # a task list scraped one cell per line with no row numbers: its deadline column lines the rows up
    "unnumbered_cells_table.txt": ("task_list", ["社区老年食堂建设", "困境儿童关爱服务", "农村公益性公墓建设"]),
    "progress_table_lines.txt": ("work_summary", ["01\n完成全区敬老院", "02\n为困难残疾人", "03\n开展地名信息"]),
    "cells_per_line_table.txt": ("task_list", ["1\n提高城乡低保", "2\n建设县级未成年人", "3\n推进乡镇敬老院",
                                               "4\n开展殡葬领域"]),
    "summary_and_plan.txt": ("work_summary_and_plan", [
        "（一）社会救助兜底有力。一是", "二是加强动态管理", "三是开展救助帮扶", "（二）养老服务提质增效。一是",
        "二是为860户", "（三）基层治理不断加强", "一是养老服务供给不足", "二是基层力量", "（一）持续兜牢民生底线",
        "（二）加快养老服务", "（三）推进殡葬改革"]),
    "slogan_block.txt": ("work_plan", ["1.聚焦一个目标", "2.守牢两条底线", "3.推进三项重点", "4.强化两个保障",
                                       "（一）做好城乡低保", "（二）加强特困人员"]),
    "plan_with_attached_table.txt": ("work_plan", ["（一）健全社会救助", "（二）做好特困供养", "（一）新建社区养老",
                                                   "（二）推进适老化改造", "1 | 完善低保", "2 | 新建社区",
                                                   "3 | 完成困难老年人"]),
    "footer_words_in_content.txt": ("work_plan", ["（一）规范社会组织活动", "（二）开展年检", "（一）办好全县第三届"]),
    # A news report: the lead paragraphs are front matter, the demands (一要/二要/三要) are the tasks.
    "news_demands.txt": ("newspaper_feature", ["会议强调", "二要补齐养老", "三要规范殡葬"]),
    # Bulleted news items: the first one is an item too, though it names a 决策部署.
    "bullet_items.txt": ("newspaper_feature", ["▲县民政局部署", "▲县民政局开展", "▲县民政局公布"]),
    # Sections whose heading runs into a run of 一是/二是 clauses on the same line.
    "section_runs_into_clauses.txt": ("work_plan", ["", "二是落实全面从严", "三是加强干部", "", "二是加强临时"]),
    # A slogan's parts in traditional characters (個 / 項), after a news lead.
    "traditional_slogan.txt": ("newspaper_feature", ["會議明確", "守牢“兩條底線”", "推進“三項行動”",
                                                     "辦好“四件實事”"]),
    # Traditional characters: 指導思想 / 工作目標(biāo) (pinyin left by a converter) / 時間及范圍 frame the plan,
    # one paragraph each; the tasks are the items of 四、工作要求.
    "traditional_framing.txt": ("work_plan", ["(一)加強組織領導", "(二)開展走訪排查", "(三)及時發放"]),
    # Heading sentences run into an item's paragraph (完善低保动态管理机制。 then its account): each a task,
    # after a heading line or after the item's own title sentence; a paragraph with no such run stays one task.
    "run_in_head_sentences.txt": ("work_summary", ["(一)兜底保障", "提高特困人员", "做实临时救助",
                                                   "(二)养老服务", "推进适老化改造", "开展养老机构",
                                                   "(三)社会事务规范"]),
    # A speech hard-wrapped at a fixed width (lines cut mid-sentence): its lines join into paragraphs, the
    # 一是/二是/三是 clauses running across lines are the tasks, the salutation and opening are front matter.
    "hard_wrapped_speech.txt": ("work_plan", ["第一，要抓好开局", "二是补齐养老", "三是深化殡葬"]),
    # A news report wrapped with blank lines between its lines: the lead up to 提出三点要求： is front matter,
    # the unnumbered heading lines over their paragraphs are the tasks.
    "news_colon_lead.txt": ("newspaper_feature", ["要提升登记", "要推进婚俗", "要加强队伍"]),
    # A news report's demands without numbers (会议强调，要…；要…。要…): each 要 clause is a task.
    "news_yao_demands.txt": ("newspaper_feature", ["会议强调", "要抓养老", "要抓改革", "要抓作风"]),
    # The same demands after a short subject (他要求，各乡镇民政办要…。要…。要…): the lead sentence is the first
    # task's opening, each later 要 sentence a task (seg16 reading: county and provincial meeting reports).
    "news_subject_demands.txt": ("newspaper_feature", ["副县长周立在讲话中指出", "要盯紧兜底",
                                                       "要抓好养老", "要做实殡葬"]),
    # A speaker's demands as one sentence of parallel clauses (要…，围绕A，…；围绕B，…；围绕C，…): each clause that
    # opens with the repeated word is a task; the lead before the first is the first task's (seg16 reading).
    "news_parallel_demands.txt": ("newspaper_feature", ["陈远要求", "围绕养老服务", "围绕殡葬改革", "围绕地名管理"]),
    # A bureau's appraisal rules without line breaks: the general part's purpose, principles (numbered under their
    # heading) and scope frame the rules; the targets under 二、 are the tasks (seg16 reading).
    "run_in_appraisal_rules.txt": ("work_plan", ["(一)业务目标1.社会救助", "2.养老服务", "3.殡葬管理"]),
    # A page showing two themes of a feature (07, 08 alone on their lines, each over a long heading line): each
    # theme is one task, with all its paragraphs.
    "two_themes.txt": ("newspaper_feature", ["全年新培育", "3月起,市民政局"]),
    # A news report's 要 demands in one sentence, then closing lines (who reported, who attended): the lead is
    # front matter, the closing lines join the last demand, never tasks of their own.
    "news_yao_closing.txt": ("newspaper_feature", ["王副县长要求", "要加快项目", "要强化安全"]),
    # A lead ending 提出三点要求: over paragraphs that open with 一是要/二是要/三是要: the lead is front matter.
    "news_colon_shi.txt": ("newspaper_feature", ["一是要坚持", "二是要提升", "三是要加强"]),
    # A plan cut by a content site's paywall, then its reading widgets (tips ¥6.66, share, comments, related
    # lists) one per line: the widgets are boilerplate; 指导思想 and 目标任务 over one paragraph frame the plan.
    "paywall_footer.txt": ("work_plan", ["(一)建设村级", "(二)发展老年助餐"]),
    # A news lead (no colon) over paragraphs that open with 一是/二是/三是: the lead is front matter.
    "news_lead_shi_paragraphs.txt": ("newspaper_feature", ["一是全面摸排", "二是及时救助", "三是温暖慰问"]),
    # A news report whose demands mix their markers (一要…。二是要…): the run numbered from one is two tasks.
    "news_mixed_yao_shi.txt": ("newspaper_feature", ["3月2日", "二是要兜牢"]),
    # A news report with parallel heading lines (……方面) over one-line sentences: one task per heading,
    # the title, date line, lead and its own short section before the first heading are front matter.
    "aspect_heading_lines.txt": ("newspaper_feature", ["社会救助方面", "养老服务方面", "婚姻殡葬管理方面"]),
    # A text without line breaks whose item title runs into its first heading sentence (…救助体系。), then
    # more heading sentences each over its account: one task per heading sentence, the first with the title.
    "run_in_title_heading.txt": ("work_summary_and_plan", ["(一)织密织牢困难群众", "低保审核审批", "城乡特困人员供养",
                                                           "困难群众临时救助"]),
    # A speech whose points open with ordinal words (第一，/第二，/第三，): the title, salutation and opening
    # before them are front matter.
    "speech_ordinal_points.txt": ("work_plan", ["第一，兜牢", "第二，补齐", "第三，深化"]),
    # A notice's items indented by spaces: each task starts at its marker, not in the indentation.
    "indented_items.txt": ("notice", ["要加强组织领导", "要加强宣传引导", "要加强总结推广"]),
    # 一、→（一）→1.→（1）: the 1. points are the tasks, even when one opens with a heading sentence over its
    # account; the (1) sub-points stay inside their point. (A task's opening includes its item's heading.)
    "four_level_outline.txt": ("work_plan", ["（一）社会救助\n1.完善低保制度", "2.加强临时救助", "3.做好特困供养",
                                             "（二）儿童福利\n1.落实孤儿", "2.建设未成年人",
                                             "（一）居家养老\n1.新建助餐点", "2.推进家庭养老"]),
    # 1. points whose bodies are runs of 一是/二是: each 一是 clause is a task, the point's heading joined to
    # its first; label/value lines under a point (检查日期：/检查事项：) stay inside it.
    "points_over_shi_clauses.txt": ("work_summary_and_plan", [
        "（一）总体情况\n1.获得的表彰", "2.接待上级检查", "（二）重点工作\n1.做实兜底保障", "二是开展低保", "2.提升养老服务", "二是为90户",
        "1.持续开展", "2.建成县级"]),
    # A piped task list whose rows lose their closing pipe, or the pipe after the number (3  完成… | 张某 |),
    # or wrap a cell onto a line that opens with a pipe: one task per row, never running into the next row.
    "piped_table_loose_rows.txt": ("task_list", ["1 | 提高城乡低保", "2 | 新建社区", "3  完成第二次", "4 | 推进殡葬",
                                                 "5 | 开展婚姻"]),
    # A summary in paragraphs: ……方面 passages with and without 在, then 下一步 over 一是/二是/三是 clauses.
    "summary_paragraphs_next_step.txt": ("work_summary", ["社会救助方面", "养老服务方面", "在儿童福利方面",
                                                          "在殡葬管理方面", "下一步，我们将", "二是发展普惠", "三是推进殡葬"]),
    # A "12345" slogan whose parts open with their quoted digit (“1”即…): each part a task of part 0.
    "slogan_quoted_digits.txt": ("work_plan", ["“1”即围绕", "“2”即守住", "“3”即做强", "“4”即完善", "“5”即抓好",
                                               "1.落实低保提标", "2.开展低收入", "3.新建农村"]),
    # Points marked 1） (a closing bracket only) under 一、 sections.
    "half_paren_points.txt": ("work_plan", ["1）完善低保", "2）加强临时", "1）新建社区", "2）推进家庭"]),
    # Points in full-width digits (１．) and parenthesized digit characters (⑴ ⑵).
    "fullwidth_and_enclosed_digits.txt": ("work_plan", ["１．完善低保", "２．加强临时", "⑴新建社区", "⑵推进家庭"]),
    # 第一部分 (a summary) and 第二部分 (a plan) over 一、 sections that number afresh in each part (a one-line
    # section's body opens after its marker).
    "parts_over_sections.txt": ("work_summary_and_plan", ["社会救助。全年", "养老服务。建成", "社会救助。农村",
                                                          "养老服务。新建"]),
    # Items whose points open with ordinal words inside the text: 其一，/其二，/其三， and 首先，/其次，/最后，.
    "ordinal_word_clauses.txt": ("work_plan", ["兜牢民生底线。其一", "其二，加强", "其三，做好", "发展养老服务。首先",
                                               "其次，推进", "最后，加强"]),
    # A text without line breaks whose title runs into its first part (…工作安排一、上年工作总结1、…).
    "run_in_title_parts.txt": ("work_summary_and_plan", ["1、做好低保", "2、落实特困", "3、推进幸福院", "1、继续规范",
                                                         "2、加快幸福院"]),
    # A government news page whose 一是/二是/三是 stand behind bullets (a page's <li>), one per paragraph, after a
    # 会议指出 sub-heading and a one-sentence introduction: the lead, heading and introduction are front matter.
    "news_bullet_shi.txt": ("newspaper_feature", ["• 一是兜底保障", "• 二是养老服务", "• 三是基层治理"]),
    # A speech run in without line breaks, its points opened by 第一，，/第二，，/第三，， (a scraper doubled the
    # commas): each point is a task, the lead-in joined to the first.
    # An appraisal rule's item whose body is a run of colon-labelled targets (标签：内容。标签：内容。…) with no
    # line breaks, the first run into the item's heading: each labelled target is a task (the first keeps the
    # item's heading and, as for any first item, the group heading above it).
    "colon_label_entries_run_in.txt": ("work_plan", ["（一）重点业务目标\n1.兜底救助低收入", "困难群众医疗救助：", "流浪乞讨救助：",
                                                     "2.养老服务"]),
    # A news report whose one paragraph sets out the year's measures sentence by sentence with no 一是/要 markers,
    # after a speaker's lead (局长表示，今年要…): each sentence is a task, the lead paragraphs are front matter.
    "news_unmarked_measures.txt": ("newspaper_feature", ["县民政局局长赵明远表示", "加强低收入人口", "做好困境儿童",
                                                         "健全社区养老", "推进婚俗改革"]),
    "speech_run_in_ordinals.txt": ("newspaper_feature", ["全省民政工作会议要求", "第二，，坚持改革", "第三，，坚持系统"]),
    # A news page's demands (一是…二是…三是…) after its lead, then the page's furniture: the editor in
    # parentheses, tags, a rating widget, and a related-stories list with teasers, all boilerplate.
    "news_related_tail.txt": ("newspaper_feature", ["会上，镇民政办", "二是加快建设", "三是强化日常"]),
    # A news report: the lead is front matter, the year's review (会议指出，2024年…) is a task, the paragraph
    # naming the year's place (2025年是…收官之年) frames the demands, and each 一要/二要/三要 demand is a task.
    "news_review_before_demands.txt": ("newspaper_feature", ["会议指出，2024年", "会议要求，一要", "二要加快",
                                                             "三要深化"]),
    # An implementation plan under a piped metadata header: （一）指导思想。/（二）基本原则。 items over one paragraph
    # frame it; the tasks are the 一是/二是 clauses of 二、工作任务, each with its departments in parentheses.
    "framing_items_plan.txt": ("work_plan", ["(一)加强家庭监护指导。\n一是开展", "二是落实委托"]),
    # A news page whose paragraphs open with 一是/二是/三是/四是 in turn; keywords, related-news heading and the
    # site's disclaimer after them are furniture.
    "news_shi_paragraphs.txt": ("newspaper_feature", ["一是完善设施", "二是发展老年", "三是开展适老化", "四是加强队伍"]),
    # A list scraped with its bullets as rule lines (-): the short heading lines under each 一、 are the tasks,
    # each with its bullet sentences; the rule lines are boilerplate.
    "dash_bullet_groups.txt": ("work_plan", ["健全分层", "做实临时救助", "建设社区", "推进适老化改造"]),
    # An annual report whose table of counts was scraped one cell per line: the table frames the report, the
    # 一是/二是 clauses are the tasks.
    "annual_report_count_cells.txt": ("work_summary", ["2024年，青溪区民政局", "二是拓宽"]),
    # A news item's photo caption and the date-and-views lines of its list of other stories are boilerplate.
    "news_caption_timestamps.txt": ("newspaper_feature", ["本报讯近日", "活动期间"]),
    # A speech whose first part argues why the work matters (充分认识…的重要性), even with 一是/二是: framing;
    # the tasks are the items of its second part.
    "speech_awareness_part.txt": ("work_plan", ["（一）兜牢", "（二）发展养老"]),
    # A library page's header of many short lines (收藏 / the file's name / 上传人… / 第1页 / 共3页 … / 资源描述)
    # over its page-marked text (1、一、指导思想… 2、… 3、…, pages cut mid-word): the page marks are no items,
    # 一、 right after page 1's mark opens the outline, 指导思想 and 总体目标 run into their text frame the plan, and
    # the （一）/（二）/（三） items of 三、工作任务 are the tasks, each running across its page break.
    "document_site_long_header_pages.txt": ("work_plan", ["（一）推进幸福院建设", "（二）发展老年助餐", "（三）加强运营管理"]),
    # Page-marked text with one run-in 一、 part: the pages are one text (a page break is no paragraph), and the
    # part's 一是/二是/三是 clauses are the tasks, 二是 on page two.
    "document_site_pages_one_part.txt": ("work_summary", ["主要做法。一是宣传引导", "二是服务保障", "三是监督管理"]),
    # A plan's second page: its title line (…计划(二)), then the list's next points (3、/4、) before the next
    # heading: those points are tasks, not front matter; so are the first page-less points of a text that opens
    # in the middle of a list (2./3. before (三)).
    "continued_page_points.txt": ("work_plan", ["3、推进家庭养老床位", "4、开展养老机构", "1、组织护理员", "2、落实护理员"]),
    "continued_page_untitled.txt": ("work_plan", ["2.规范殡葬服务收费", "3.整治散埋乱葬", "(三)推进节地生态安葬\n1.",
                                                  "2.落实生态安葬奖补"]),
    # Dash-bullet points (——完善…。) under an item's lead paragraph: each is a task, the lead joined to the first;
    # the dash lines of a 基本原则 item stay its framing.
    "dash_bullet_points.txt": ("work_plan", ["(一)以兜底保障为重点", "——加强临时救助", "(二)以居家社区为基础",
                                             "——发展老年助餐"]),
    # A page that opens in the middle of such a list (--做好…。, then the part's project paragraph): its paragraphs
    # before the next heading are tasks; the --/-- points under (四) are tasks too (a plain-text page keeps —— as --).
    "continued_page_dashes.txt": ("work_plan", ["--做好困境儿童保障", "“十四五”期间", "(四)以移风易俗为抓手",
                                                "--整治殡葬服务市场"]),
    # A news report whose 一要/二要/三要 demands open paragraphs of their own, after the lead, the meeting's
    # summary and the speaker's 指出 paragraph (front matter), then one more demand (会议强调，要做好…): that
    # paragraph is a task too.
    "news_yao_paragraphs_then_demand.txt": ("newspaper_feature", ["一要提升婚姻登记", "二要推进婚俗", "三要加强婚姻家庭",
                                                                  "会议强调,要做好"]),
    # Headed paragraphs under an item's heading line, the last cut off right after an office's name (…受理服务中心):
    # a line with a full stop is no signature, so that paragraph is a task, not boilerplate.
    "headed_paragraphs_cut_at_office_word.txt": ("work_summary", ["困难群众应保尽保", "为老服务提档升级", "便民服务持续优化"]),
    # A document site's numbered notices (1. 1、本文档由用户上传… / 4. 网站客服…, boilerplate lines) over a text saved
    # without line breaks (一、…  (一)…  (二)…): the notices' numbers are no markers, so the text is run-in and
    # its (一)/(二) items are the tasks.
    "document_site_notice_bullets_run_in.txt": ("work_summary", ["(一)城乡低保动态管理", "(二)临时救助及时到位"]),
    # 一是/二是/三是 right after a count of events (组织专项检查3次，一是3月…；二是7月…；三是11月…): the events
    # counted, one task's details; after 三方面工作： they are the item's tasks as usual.
    "counted_events_shi.txt": ("work_summary", ["(一)开展低保专项检查", "(二)做好临时救助", "二是建立乡镇备用金",
                                                "三是开展救助政策宣传"]),
    # seg15 (explainer pages of content sites): a section headed by a question of what or which (…是什么意思? /
    # 具体有哪些地区?) holds a definition, a list of names or a period, not tasks (framing, items and all); the
    # section that asks how (…怎么做?) holds the tasks.
    "explainer_question_headings.txt": ("newspaper_feature", ["1.办好集体婚礼", "2.开展婚前辅导", "3.治理高额彩礼"]),
    # seg15 (a news item on a government work report): the lead names the meeting first and its day after
    # (…会议13日上午在…开幕), below a stamped date line; it is the report's frame, not a task.
    "news_lead_day_only.txt": ("newspaper_feature", ["报告在部署2026年", "加快发展养老服务", "加强困境儿童",
                                                     "推进殡葬改革"]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_task_a_reader_counts_is_one_task(name):
    doc_type, expected = CASES[name]
    seg = segment.document(_doc(name, doc_type=doc_type))
    if name == "headings_only.txt":  # headings are the tasks: each task is its heading line
        assert [seg.doc.text[t.start:t.end][:2] for t in seg.tasks if t.unit != "preamble"] == \
            ["一、", "二、", "三、", "四、", "五、"]
    else:
        _assert_tasks(seg, expected)
    assert _uncovered(seg) == 0


@pytest.mark.parametrize("name", sorted(CASES))
def test_no_two_tasks_share_a_character_and_each_body_lies_in_its_task(name):
    seg = segment.document(_doc(name, doc_type=CASES[name][0]))
    spans = sorted((t.start, t.end) for t in seg.tasks)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), spans
    assert all(t.start <= t.body_start <= t.end for t in seg.tasks)


@pytest.mark.parametrize("text", [
    "前言部分。（附件3）列出了清单，另见（附件4）。再看（附件5）的说明和（附件6）的表格。",
    "经费3）与人员4）两项，事项5）已完成，" * 8,
])
def test_a_bracketed_number_inside_a_sentence_opens_no_point(text):
    """A bare 3） counts only at a line's start; inside a run-in line only （3） / ⑶ do."""
    seg = segment.document(_doc("inline.txt", text="某县民政局工作要点\n一、总体安排\n" + text + "\n"))
    assert len([t for t in seg.tasks if t.unit not in NON_TASK_UNITS]) == 1


def test_sections_numbered_afresh_in_each_part_are_no_repeats_and_parts_open_their_first_task():
    seg = segment.document(_doc("parts_over_sections.txt", doc_type="work_summary_and_plan"))
    assert not [n for n in seg.notes if n.kind in ("gap", "repeat")]
    ids = [seg.task_id(t) for t in seg.tasks if t.unit not in NON_TASK_UNITS]
    assert len(set(ids)) == 4
    second = next(t for t in seg.tasks if seg.doc.text[t.start:t.end].startswith("第二部分"))
    assert second.section_no == 1 and second.body_start > second.start
    assert all(t.start <= t.body_start <= t.end for t in seg.tasks)


@pytest.mark.parametrize("body, n", [
    ("其一，完善低保。其二，加强救助。", 2),
    ("其一是低保，这是重点工作。", 1),               # a lone 其一: no run
    ("其次，加强救助。最后，做好供养。", 1),           # no 首先: no run
    ("首先，完善低保；其次，加强救助。", 2),
])
def test_ordinal_word_points_need_a_run_from_the_first(body, n):
    seg = segment.document(_doc("ordinal.txt", text=f"某县民政局工作要点\n一、兜底保障。{body}\n二、养老服务。新建助餐点。\n"))
    assert len([t for t in seg.tasks if t.unit not in NON_TASK_UNITS and t.section_no == 1]) == n


@pytest.mark.parametrize("name, progress", [
    ("progress_table_cells.txt", ["今年以来新建社区养老", "截至10月底，全县新增", "已建成农村公益性公墓"]),
    ("progress_table_lines.txt", ["已完成改造6所", "全年累计发放两项补贴", "核查更新地名信息"]),
])
def test_a_progress_table_without_xuhao_first_is_one_task_per_row_and_marks_its_progress_cell(name, progress):
    seg = segment.document(_doc(name, doc_type="work_summary"))
    rows = [t for t in seg.tasks if t.unit == "row"]
    assert seg.layout == "table"
    assert [seg.doc.text[t.result_start:t.end][:len(p)] for t, p in zip(rows, progress)] == progress
    assert all(t.start < t.result_start < t.end for t in rows)


def test_short_paren_points_stay_details_of_their_point():
    text = "某县2025年工作计划\n（一）社会救助\n1.加强临时救助。\n（1）落实先行救助。\n（2）推行备用金制度。\n"
    seg = segment.document(_doc("x.txt", text=text))
    assert len([t for t in seg.tasks if t.unit not in NON_TASK_UNITS]) == 1


def test_background_and_guiding_thought_of_a_run_in_plan_are_framing():
    seg = segment.document(_doc("run_in_background_plan.txt"))
    framing = [seg.doc.text[t.start:t.start + 6] for t in seg.tasks if t.unit == "framing"]
    assert framing == ["一、工作背景", "二、总体要求"]


def test_a_summarys_shortcomings_are_no_background():  # the Yanta seed counts each 存在的问题 clause
    text = "某局2024年工作总结\n一、存在的问题\n一是宣传形式单一，覆盖面不广；二是基层力量薄弱，队伍不稳。\n"
    seg = segment.document(_doc("x.txt", text=text, doc_type="work_summary"))
    assert not [t for t in seg.tasks if t.unit == "framing"]


def test_a_paragraph_scraped_twice_and_the_site_navigation_after_the_footer_are_boilerplate():
    seg = segment.document(_doc("news_scraped_twice.txt", doc_type="newspaper_feature"))
    kinds = [(k, seg.doc.text[a:b][:4]) for k, a, b in seg.boilerplate]
    assert kinds == [("duplicate", "本报讯 "), ("footer", "版权所有"), ("footer", "县直部门"), ("footer", "新闻热线")]


def test_a_repeated_short_line_or_a_navigation_line_before_content_is_kept():
    text = "区民政局\n一、养老服务。新建助餐点5个，完善居家养老服务网络，提升老年人生活质量。\n区民政局\n二、社会救助。落实低保。\n"
    seg = segment.document(_doc("x.txt", text=text))
    assert "duplicate" not in {k for k, _, _ in seg.boilerplate}
    text = "版权所有：某县人民政府\n县直部门\n一、养老服务。新建助餐点。\n"
    assert "县直部门" not in [seg.doc.text[a:b] for _, a, b in segment.document(_doc("y.txt", text=text)).boilerplate]


def test_a_table_of_short_lines_that_do_not_line_up_is_no_progress_table():
    text = "工作安排\n任务内容\n进展情况\n备注\n完成养老院改造\n已完成\n"  # no numbering column, no numbers
    assert segment.document(_doc("x.txt", text=text)).layout != "table"


def test_cells_of_rows_without_their_pipes_are_read():
    seg = segment.document(_doc("piped_table_loose_rows.txt", doc_type="task_list"))
    rows = [t for t in seg.tasks if t.unit == "row"]
    assert [(t.item_no, t.leader, t.department) for t in rows] == [
        (1, "王某", "社会救助科"), (2, "李某", "养老服务科"), (3, "张某", "区划地名科"), (4, "赵某", "社会事务科"),
        (5, "赵某", "社会事务科")]
    assert not [n for n in seg.notes if n.kind in ("gap", "defect")]


def test_front_matter_signature_and_footer_are_boilerplate_not_tasks():
    seg = segment.document(_doc("outline_digit_items.txt"))
    kinds = {seg.doc.text[s:e][:6]: k for k, s, e in seg.boilerplate}
    assert kinds["首页 > 政"] == "breadcrumb"
    assert kinds["索引号：00"] == kinds["发布机构：青"] == kinds["发布时间：2"] == "page_metadata"
    assert kinds["【字体：大 "] == "page_tools"
    assert kinds["关于印发《青"] == kinds["各乡镇人民政"] == kinds["现将《青河县"] == kinds["（此件公开发"] == "notice"
    assert kinds["青河县民政局"] == kinds["2024年2"] == "signature"
    assert kinds["主办：青河县"] == kinds["版权所有：青"] == "footer"
    task_text = "".join(seg.doc.text[t.start:t.end] for t in seg.tasks)
    for word in ("索引号", "关于印发", "版权所有", "ICP备", "此件公开发布"):
        assert word not in task_text


def test_footer_words_inside_task_text_keep_the_line():
    seg = segment.document(_doc("footer_words_in_content.txt"))
    assert seg.boilerplate == []
    last = [t for t in seg.tasks if t.unit != "preamble"][-1]
    assert seg.doc.text[last.start:last.end].endswith("共10场。")


def test_one_line_page_keeps_its_text_and_cuts_only_the_footer_tail():
    body = "".join(f"（{n}）第{n}项工作任务，推进社区养老服务站建设，提升服务能力和水平。" for n in "一二三四五六")
    text = "某县民政局2024年工作要点 一、养老服务" + body + " 版权所有：某县人民政府 主办：某县人民政府办公室 ICP备12345678号"
    seg = segment.document(_doc("one_line.txt", text=text))
    assert [k for k, _, _ in seg.boilerplate] == ["footer"]
    assert seg.doc.text[seg.boilerplate[0][1]:].startswith("版权所有")
    assert len([t for t in seg.tasks if t.unit != "preamble"]) == 6
    assert _uncovered(seg) == 0


def test_parts_of_a_summary_and_plan_report_are_tagged_results_or_plans():
    seg = segment.document(_doc("summary_and_plan.txt", doc_type="work_summary_and_plan"))
    by_section = {t.section[:6]: t.part for t in seg.tasks if t.unit != "preamble"}
    assert by_section == {"一、2023": "result", "二、存在问题": "result", "三、2024": "plan"}


@pytest.mark.parametrize("name, parts", [
    ("run_in_title_parts.txt", ["result"] * 3 + ["plan"] * 2),
    ("points_over_shi_clauses.txt", ["result"] * 6 + ["plan"] * 2),
    ("parts_over_sections.txt", ["result"] * 2 + ["plan"] * 2),
    # a summary written as paragraphs: from 下一步，… on, its tasks are plans
    ("summary_paragraphs_next_step.txt", ["result"] * 4 + ["plan"] * 3),
])
def test_a_part_run_into_the_title_or_under_points_keeps_its_tense(name, parts):
    seg = segment.document(_doc(name, doc_type=CASES[name][0]))
    assert [t.part for t in seg.tasks if t.unit not in NON_TASK_UNITS] == parts


@pytest.mark.parametrize("text, plan", [
    ("下一步，我们将继续完善救助", True), ("明年，全局将新建养老服务站", True), ("2025年工作打算：一是", True),
    ("今后一个时期，重点抓好", True), ("今年以来，全局新建", False), ("下面介绍几点做法，", False),
])
def test_a_paragraph_that_turns_to_what_comes_next_is_a_plan_lead(text, plan):
    from analysis.segment.patterns import PLAN_LEAD_RE
    assert bool(PLAN_LEAD_RE.match(text)) == plan


def test_plan_part_of_a_summary_is_a_plan():
    text = "某区民政局2023年工作总结\n一、主要成效\n（一）新建养老服务站3个。\n二、下一步工作打算\n（一）新建养老服务站5个。\n"
    seg = segment.document(_doc("s.txt", doc_type="work_summary", text=text))
    assert [t.part for t in seg.tasks if t.unit != "preamble"] == ["result", "plan"]


def test_manifest_task_unit_is_honoured_over_auto():
    auto = segment.document(_doc("summary_and_plan.txt", doc_type="work_summary_and_plan"))
    item = segment.document(_doc("summary_and_plan.txt", doc_type="work_summary_and_plan", task_unit="item"))
    assert auto.task_unit == "mixed" and item.task_unit == "item"
    assert [t.unit for t in item.tasks].count("clause") == 0
    assert len([t for t in item.tasks if t.unit != "preamble"]) == 6 + 1  # six items and the 存在问题 part


def test_three_level_outline_takes_the_points_on_their_own_lines_as_tasks():
    text = ("某市民政局工作要点\n一、兜底保障\n（一）社会救助\n1.提高低保标准。\n2.加强临时救助。\n"
            "（二）养老服务\n1.新建养老服务站。\n2.发展助餐服务。\n二、基层治理\n（一）规范村务公开，做到1.公开及时，2.内容真实。\n")
    seg = segment.document(_doc("three.txt", text=text))
    ids = [seg.task_id(t) for t in seg.tasks if t.unit != "preamble"]
    assert ids == ["shape-01-01-1", "shape-01-01-2", "shape-01-02-1", "shape-01-02-2", "shape-02-01"]


def test_aspect_passages_in_a_summary_are_tasks():
    text = ("某区民政局2023年工作总结\n一、主要成效\n在社会救助方面，发放低保金3200万元。"
            "在养老服务方面，新建社区养老服务站4个。儿童福利方面，落实孤儿基本生活费。\n")
    seg = segment.document(_doc("a.txt", doc_type="work_summary", text=text))
    _assert_tasks(seg, ["在社会救助方面", "在养老服务方面", "儿童福利方面"])


def test_repeated_numbers_get_unique_ids_and_a_warning():
    text = "一、养老\n（一）甲项工作。\n（二）乙项工作。\n（一）丙项工作。\n"
    seg = segment.document(_doc("r.txt", text=text))
    ids = [seg.task_id(t) for t in seg.tasks]
    assert ids == ["shape-01-01", "shape-01-02", "shape-01-01~2"]
    assert any(n.kind == "repeat" for n in seg.notes)
    segment.tasks_frame([seg])  # no duplicate-id error


def test_unnumbered_paragraphs_under_a_heading_are_tasks_when_each_has_a_heading_sentence():
    text = ("某市民政工作要点\n一、兜牢民生底线\n提高保障水平。城乡低保标准稳步提高。\n"
            "打造智慧救助体系。推进救助服务改革。\n建设救助服务示范点。每区建成1个。\n")
    seg = segment.document(_doc("p.txt", text=text))
    _assert_tasks(seg, ["提高保障水平", "打造智慧救助", "建设救助服务"])


def test_a_block_of_yishi_clauses_is_not_cut_into_sentences():
    text = "某局地名工作情况。一是完成界线联检。二是推进成果转化，出版图册。三是规范街路巷命名。"
    seg = segment.document(_doc("b.txt", text=text))
    ends = ["完成界线联检。", "出版图册。", "规范街路巷命名。"]
    assert len(seg.tasks) == 3 and all(seg.doc.text[t.start:t.end].endswith(e) for t, e in zip(seg.tasks, ends))


@pytest.mark.parametrize("name", sorted(CASES))
def test_summary_line_names_the_layout_and_flags_fallbacks(name):
    seg = segment.document(_doc(name))
    line = segment.summary_lines([seg])[0]
    assert f"{seg.layout}," in line and "tasks" in line
    fallback = segment.document(_doc("x.txt", text="没有编号的一段文字，说明情况。另一句话。"))
    assert "FALLBACK" in segment.summary_lines([fallback])[0]


def test_a_forced_layout_that_does_not_fit_is_a_one_line_error():
    from analysis.errors import InputError

    doc = _doc("single_section.txt")
    doc = Document(doc.doc_id, doc.region, {**doc.meta, "layout": "table"}, doc.text, doc.path)
    with pytest.raises(InputError, match=r"layout 'table' .* finds no table header"):
        segment.document(doc)


def test_a_lone_yao_word_is_no_demand_marker_but_a_run_from_one_is():
    lone = "统筹做好，三要素齐全的材料按时报送。"
    assert segment.clause_markers(lone, 0, len(lone)) == []
    run = "会议要求，一要压实责任，二要狠抓落实。"
    assert [n for _, _, n in segment.clause_markers(run, 0, len(run))] == [1, 2]


def test_news_lead_paragraphs_are_the_preamble():
    seg = segment.document(_doc("news_demands.txt", doc_type="newspaper_feature"))
    pre = [t for t in seg.tasks if t.unit == "preamble"]
    assert len(pre) == 1 and seg.doc.text[pre[0].start:pre[0].end].startswith("3月8日")
    assert "会议总结了" in seg.doc.text[pre[0].start:pre[0].end]
    assert [c.task_index for c in seg.clauses] == sorted(c.task_index for c in seg.clauses)
    assert max(c.task_index for c in seg.clauses) == len(seg.tasks) - 1


@pytest.mark.parametrize("name", ["indented_items.txt", "traditional_framing.txt", "summary_and_plan.txt"])
def test_a_task_starts_at_its_first_character_not_in_indentation(name):
    seg = segment.document(_doc(name))
    text = seg.doc.text
    assert all(not text[t.start].isspace() for t in seg.tasks)
    assert _uncovered(seg) == 0


def test_an_excerpt_with_only_a_framing_part_has_no_tasks_and_no_paragraph_fallback():
    seg = segment.document(_doc("framing_only_excerpt.txt"))
    assert seg.layout == "outline"
    assert [t.unit for t in seg.tasks] == ["preamble", "framing"]
    assert _uncovered(seg) == 0


def test_run_in_heading_sentences_cut_at_the_heading_not_inside_its_account():
    seg = segment.document(_doc("run_in_head_sentences.txt", doc_type="work_summary"))
    text = seg.doc.text
    firsts = [t for t in seg.tasks if t.unit == "clause" and t.clause_no == 1]
    assert [text[t.body_start:t.end].split("。")[1][:6] for t in firsts] == ["全年开展低保", "建成村级互助"]
    assert [t.clause_no for t in seg.tasks if t.unit == "clause"] == [1, 2, 3, 1, 2, 3]


def test_yao_demands_need_a_lead_verb_and_three_demands():
    plain = "按照省厅安排，要在年底前完成。要做好衔接。"
    assert segment.clause_markers(plain, 0, len(plain), aspects=True) == []
    two = "会议强调，要压实责任。要狠抓落实。"
    assert segment.clause_markers(two, 0, len(two), aspects=True) == []
    three = "会议强调，要压实责任；要狠抓落实。要强化督导。"
    assert [n for _, _, n in segment.clause_markers(three, 0, len(three), aspects=True)] == [1, 2, 3]


def test_a_framing_heading_run_into_its_paragraph_after_a_space_is_framing():
    text = ("某镇社区建设工作方案\n一、指导思想 以服务居民为中心，完善社区服务设施，提升社区治理水平。\n"
            "二、主要任务\n（一）新建社区服务站2个。\n（二）培育社区社会组织10家。\n")
    seg = segment.document(_doc("f.txt", text=text))
    assert [t.unit for t in seg.tasks] == ["preamble", "framing", "item", "item"]


def test_two_consecutive_theme_numbers_make_a_feature_but_two_stray_numbers_do_not():
    seg = segment.document(_doc("two_themes.txt", doc_type="newspaper_feature"))
    assert seg.layout == "feature"
    assert [t.title for t in seg.tasks if t.unit == "theme"] == ["社区社会组织培育发展工程稳步推进", "社会组织年度检查和等级评估全面完成"]
    stray = "某县民政局简报\n3\n本期要目如下，请查阅。\n7\n全年完成救助工作，发放资金。\n"
    assert segment.detect_layout(stray) != "feature"


def test_closing_lines_of_a_report_join_its_last_demand():
    seg = segment.document(_doc("news_yao_closing.txt", doc_type="newspaper_feature"))
    last = seg.tasks[-1]
    assert last.unit == "clause" and seg.doc.text[last.start:last.end].rstrip().endswith("参加了会议。")
    assert [c.task_index for c in seg.clauses] == list(range(len(seg.tasks)))
    assert _uncovered(seg) == 0


def test_a_news_opening_that_names_its_aim_and_main_line_is_front_matter():
    text = ("某县民政局认真贯彻全县工作会议精神,以增进民生福祉为宗旨,以重点项目为主线,扎实推进各项工作。\n"
            "该局加快农村互助养老点建设,年内新建互助养老点12个,提升农村养老服务水平。\n"
            "全面落实困难群众救助政策,开通救助热线,做到急难情况及时发现、及时救助。\n")
    seg = segment.document(_doc("n.txt", doc_type="newspaper_feature", text=text))
    _assert_tasks(seg, ["该局加快农村", "全面落实困难"])


@pytest.mark.parametrize("heading", ["一、民政工作概况：", "一、基本情况", "一、總體目標", "一、工作目標(biāo)", "一、适用范围"])
def test_framing_headings_over_one_paragraph_are_no_tasks(heading):
    text = f"某乡民政工作汇报\n{heading}\n全乡辖12个村，民政服务对象1200余人。\n二、主要工作\n（一）做好低保评审。\n（二）落实优抚政策。\n"
    seg = segment.document(_doc("g.txt", text=text))
    assert [t.unit for t in seg.tasks] == ["preamble", "framing", "item", "item"]


def test_reading_widgets_of_a_content_site_are_boilerplate_rows():
    seg = segment.document(_doc("paywall_footer.txt"))
    kinds = {seg.doc.text[s:e].strip(): k for k, s, e in seg.boilerplate}
    for line in ("阅读全文", "¥6.66", "分享:", "精选留言", "本文标题:某镇养老服务提升工作方案", "联系客服"):
        assert kinds.get(line) == "site_notice", line
    last = [t for t in seg.tasks if t.unit not in NON_TASK_UNITS][-1]
    assert seg.doc.text[last.start:last.end].rstrip().endswith("送餐上门服务。")


def test_a_clause_run_broken_by_a_paragraph_goes_on_at_its_next_marker():
    text = ("某县民政局长在务虚会上的讲话\n同志们:\n下面我讲三点意见。\n"
            "今年任务重。一是兜牢底线,全面排查低收入人口。二是补齐短板,新建互助养老点十个,\n"
            "确保年底前投入使用,让老人就近享受服务。三是深化改革,推进殡葬改革,倡导文明节俭新风。\n")
    seg = segment.document(_doc("c.txt", text=text))
    clauses = [t for t in seg.tasks if t.unit == "clause"]
    assert [t.clause_no for t in clauses] == [1, 2, 3]
    assert seg.doc.text[clauses[1].start:clauses[1].end].rstrip().endswith("就近享受服务。")
    assert seg.doc.text[clauses[2].start:].startswith("三是深化改革")
    assert _uncovered(seg) == 0


@pytest.mark.parametrize("text, numbers", [
    ("会议强调，全县民政系统要压实责任；要狠抓落实。要强化督导。", [1, 2, 3]),  # a subject of 6 before 要
    ("他要求，各乡镇要摸清底数。要做好衔接。要强化督导。", [1, 2, 3]),
    ("会议指出，过去一年成效明显。要做好衔接。要强化督导。", []),  # no 要 after the lead's subject
    ("会议强调，全县各乡镇民政工作人员要压实责任。要做好衔接。要强化督导。", []),  # a subject too long to be one
])
def test_demands_may_follow_a_short_subject_after_the_lead_verb(text, numbers):
    assert [n for _, _, n in segment.clause_markers(text, 0, len(text), aspects=True)] == numbers


def test_parallel_clauses_are_demands_only_after_a_lead_verb():
    report = "会议强调，要突出重点，围绕救助，落实低保提标；围绕养老，建设老年食堂；围绕殡葬，推进生态安葬。"
    assert [(w, n) for _, w, n in segment.clause_markers(report, 0, len(report), aspects=True)] == \
        [("围绕", 1), ("围绕", 2), ("围绕", 3)]
    principles = "坚持以人为本，兜牢底线；坚持改革创新，激发活力；坚持依法行政，规范管理。"  # a plan's principles
    assert segment.clause_markers(principles, 0, len(principles), aspects=True) == []
    two = "会议强调，要突出重点，围绕救助，落实低保提标；围绕养老，建设老年食堂；推进殡葬改革。"  # two are no run
    assert segment.clause_markers(two, 0, len(two), aspects=True) == []


def test_demands_need_their_lead_verb_at_the_start_of_a_sentence():
    plan = "全县各乡镇按照省厅的统一部署和工作要求，要在年底前完成核查；要做好数据衔接。要强化督导检查。"
    assert segment.clause_markers(plan, 0, len(plan), aspects=True) == []


def test_short_sentences_inside_an_account_are_no_heading_run():
    text = ("全年新增低保对象46户，退出31户，做到应保尽保、应退尽退，群众满意度进一步提高。取得了良好效果。"
            "为分散供养特困人员发放护理补贴，按月足额发放到位。工作机制更加完善。全年救助187人次，发放救助金41万元。"
            "群众满意度明显提高。对因病陷入困境的家庭及时救助，确保基本生活。")
    assert segment.clause_markers(text, 0, len(text), aspects=True) == []


def test_two_page_numbers_in_an_outline_do_not_make_a_feature():
    text = ("某县民政局2024年工作要点\n一、兜底保障\n（一）提高低保标准，确保应保尽保。\n1\n某县民政局文件\n"
            "（二）加强临时救助，及时救急解难。\n2\n某县民政局文件\n二、养老服务\n（一）新建互助养老点10个。\n")
    assert segment.detect_layout(text) == "outline"


def test_a_lone_yi_yao_opens_a_run_only_when_er_shi_follows():
    mixed = "一要提高站位，统筹谋划。二是要兜牢底线，应保尽保。"
    assert [m for _, m, _ in segment.clause_markers(mixed, 0, len(mixed))] == ["一要", "二是"]
    lone = "抓好一要素，统筹谋划。三是要兜牢底线，应保尽保。"
    assert [m for _, m, _ in segment.clause_markers(lone, 0, len(lone))] == ["三是"]


def test_heading_lines_of_no_one_shape_make_no_family():
    text = ("某区民政局调研养老服务工作\n提出几点要求:\n要深化改革创新精神\n坚持问题导向,推动养老服务提质。\n"
            "扎实推进助餐服务工作\n新建助餐点三个。\n扩大服务覆盖面。\n")
    seg = segment.document(_doc("f.txt", doc_type="newspaper_feature", text=text))
    assert len([t for t in seg.tasks if t.unit not in NON_TASK_UNITS]) >= 3  # per paragraph, as before
    assert _uncovered(seg) == 0


def test_sections_numbered_with_a_dot_are_sections():
    seg = segment.document(_doc("dot_sections.txt"))
    items = [t for t in seg.tasks if t.unit not in NON_TASK_UNITS]
    assert [(t.section_no, t.item_no) for t in items] == [(1, 1), (1, 2), (2, 1), (2, 2)]
    text = seg.doc.text
    assert text[items[2].start:].startswith("二.发展养老服务")  # a section heading opens its first item
    assert not text[items[1].start:items[1].end].rstrip().endswith("养老服务")
    assert _uncovered(seg) == 0


def test_a_table_of_contents_is_front_matter_not_tasks():
    seg = segment.document(_doc("table_of_contents.txt"))
    text = seg.doc.text
    contents = [text[s:e].strip() for k, s, e in seg.boilerplate if k == "contents"]
    assert contents[0] == "目  录" and contents[-1] == "第二节 完善养老服务12" and len(contents) == 8
    _assert_tasks(seg, ["（一）兜牢民生底线", "（二）完善养老服务"])
    assert _uncovered(seg) == 0


def test_an_untitled_run_of_decimal_numbered_headings_is_a_table_of_contents():
    seg = segment.document(_doc("untitled_decimal_contents.txt", doc_type="report"))
    text = seg.doc.text
    contents = [text[s:e].strip() for k, s, e in seg.boilerplate if k == "contents"]
    assert contents[0] == "一、背景分析" and contents[-1] == "3.2.2远期目标（2030年）" and len(contents) == 11
    assert all(not text[t.start:t.end].lstrip().startswith(("1.1", "2.1", "3.1")) for t in seg.tasks)
    assert _uncovered(seg) == 0


def test_page_marks_of_a_document_site_open_no_items():
    # Each line is one extracted page, numbered 1、 2、 3、 and breaking off mid-sentence: the page marks are
    # no items; the points run into the lines are.
    seg = segment.document(_doc("document_site_page_marks.txt", doc_type="work_summary"))
    got = [seg.doc.text[t.start:t.end] for t in seg.tasks if t.unit not in NON_TASK_UNITS]
    assert len(got) == 3, [g[:12] for g in got]
    for body, want in zip(got, ["1.城乡低保工作", "2.特困人员供养", "3.临时救助工作"]):
        assert want in body[:20], (body[:30], want)
    assert "2、到六百五十元" in got[0] and "3、提高" in got[1]
    assert _uncovered(seg) == 0


def test_a_line_of_table_rules_is_no_task():
    seg = segment.document(_doc("table_rule_lines.txt", doc_type="news"))
    text = seg.doc.text
    rules = [text[s:e].strip() for k, s, e in seg.boilerplate if k == "table_rule"]
    assert rules == ["|", "| --- | --- |"]
    _assert_tasks(seg, ["会议要求，一是要兜牢民生底线", "二是要加快养老服务", "三是要规范殡葬管理"])
    assert _uncovered(seg) == 0


def test_a_forwarding_notice_that_names_the_plan_and_its_signature_are_front_matter():
    seg = segment.document(_doc("forwarding_notice_named_plan.txt"))
    text = seg.doc.text
    kinds = {text[s:e].strip()[:8]: k for k, s, e in seg.boilerplate}
    assert kinds["首页 >> 政务"] == "breadcrumb"
    assert kinds["东林县人民政府关"] == kinds["《东林县养老服务"] == "notice"
    assert kinds["东林县人民政府"] == kinds["2026年3月2"] == "signature"
    _assert_tasks(seg, ["（一）建设县级养老服务", "（二）推进乡镇敬老院"])
    assert _uncovered(seg) == 0


def test_a_preface_under_its_heading_is_front_matter():
    seg = segment.document(_doc("preface_before_paragraphs.txt"))
    _assert_tasks(seg, ["健全社会救助体系", "完善养老服务网络"])
    pre = [t for t in seg.tasks if t.unit == "preamble"]
    assert len(pre) == 1 and "本规划根据" in seg.doc.text[pre[0].start:pre[0].end]
    assert _uncovered(seg) == 0


def test_a_part_that_is_a_table_of_counts_is_no_task():
    seg = segment.document(_doc("statistics_table_part.txt", doc_type="report"))
    _assert_tasks(seg, ["（一）主动公开情况", "（二）依申请公开情况"])
    assert [t.unit for t in seg.tasks if t.section_no == 2] == ["framing"]
    assert _uncovered(seg) == 0


def test_a_task_table_under_a_part_is_no_table_of_counts():
    from analysis.segment.tables_of_counts import statistics_table
    text = ("二、重点任务\n1 | 提高城乡低保标准并建立动态调整机制 | 县民政局 | 12 |\n"
            "2 | 建设乡镇区域养老服务中心三所 | 县民政局 | 6 |\n3 | 推进公益性公墓建设 | 县民政局 | 9 |\n")
    assert not statistics_table(text, 0, len(text))
    assert statistics_table(*(lambda t: (t, 0, len(t)))("二、统计\n项目 | 件数 |\n规章 | 0 |\n文件 | 3 |\n"))


@pytest.mark.parametrize("name", ["count_table_rows.txt", "count_table_years.txt"])
def test_a_text_that_is_a_table_of_counts_has_no_task(name):
    """A statistics report scraped one row per line (| between cells, counts grouped by thousands, a 单位
    column, numbered row labels, a caption and notes) is figures to read: one framing unit, no task."""
    seg = segment.document(_doc(name, doc_type="report"))
    assert _openings(seg) == []
    assert [t.unit for t in seg.tasks] == ["framing"]
    assert _uncovered(seg) == 0


@pytest.mark.parametrize("rows, counts", [
    ("| 指标 | 单位 | 数量 |\n| 低保人数 | 人 | 59,395 |\n| 特困人数 | 人 | 2,001 |\n| 床位数 | 张 | 830 |\n", True),
    ("万元 | 57324.8 | |||\n#镇 | 个 | 179 | |||\n乡 | 个 | 21 | |||\n", True),
    ("| 1 | 提高城乡低保标准 | 县民政局 | 6月 |\n| 2 | 建设区域养老服务中心 | 县民政局 | 9月 |\n"
     "| 3 | 推进公益性公墓建设 | 县民政局 | 12月 |\n", False),
])
def test_table_rows_with_leading_bars_are_read_as_counts_or_tasks(rows, counts):
    from analysis.segment.tables_of_counts import statistics_table
    assert statistics_table(rows, 0, len(rows)) is counts


def test_points_numbered_in_words_are_one_task_each():
    """首先 … 其次 … 再者 … 此外 … 最后 paragraphs: one task a point (a paragraph without an ordinal word goes
    on with the point before it); the lead before 首先 is front matter and the 总之 closing is no task."""
    seg = segment.document(_doc("ordinal_point_paragraphs.txt"))
    _assert_tasks(seg, ["首先,做实低保", "其次,在养老服务", "再者,做好困境儿童", "此外,规范殡葬", "最后,加强社区"])
    text = seg.doc.text
    assert "由社区网格员" in text[seg.tasks[2].start:seg.tasks[2].end]
    assert [t.unit for t in seg.tasks][0] == "preamble" and seg.tasks[-1].unit == "framing"
    assert text[seg.tasks[-1].start:].startswith("总之")
    assert _uncovered(seg) == 0


@pytest.mark.parametrize("text, points", [
    ("引言一段。\n第一,建好台账。\n第二,管好资金。\n第三,用好队伍。\n", 3),
    ("引言一段。\n首先,建好台账。\n其次,管好资金。\n", None),  # a first point and one more: too few to be a list
    ("首先,建好台账。\n同时加强培训。\n", None),
])
def test_ordinal_points_need_a_first_and_two_more(text, points):
    from analysis.segment.paragraph_shapes import ordinal_points
    spans = [(s, e) for s, e, ln in sp.lines_in(text, 0, len(text)) if ln.strip()]
    found = ordinal_points(text, spans)
    assert (found and len(found[1])) == points if points else found is None


def test_a_joint_notice_its_signature_and_the_plans_cover_are_front_matter():
    """A notice title broken over two lines, a body whose reason is a sentence of its own, two issuers signing
    on one line over the date, then the plan's title over its month: none of it is a task."""
    seg = segment.document(_doc("joint_notice_cover.txt"))
    _assert_tasks(seg, ["建设乡镇区域", "为困难失能"])
    kinds = [k for k, _, _ in seg.boilerplate]
    assert kinds.count("notice") >= 4 and kinds.count("signature") == 2
    assert _uncovered(seg) == 0


@pytest.mark.parametrize("text, is_cover", [
    ("民政事业发展规划\n\n2016年6月", True),
    ("青川县民政局\n2025年3月12日", True),
    ("全县新建养老服务中心三所。\n2025年3月", False),  # a sentence, not a title
    ("民政事业发展规划", False),
])
def test_a_cover_is_a_title_over_its_date(text, is_cover):
    from analysis.segment.paragraph_shapes import cover
    assert cover(text, 0, len(text)) is is_cover


def test_paragraphs_under_an_items_heading_line_that_open_with_heading_sentences_are_tasks():
    """An item's heading on a line of its own over paragraphs that each open with a heading sentence: one
    task a paragraph (the item's overview leads into the first); an item whose body is one paragraph stays one."""
    seg = segment.document(_doc("item_headed_paragraphs.txt", doc_type="work_summary"))
    _assert_tasks(seg, ["全年围绕困难群众", "做实临时救助", "关爱困境儿童", "(二)深化基层治理"])
    text = seg.doc.text
    first = next(t for t in seg.tasks if t.unit == "paragraph")
    assert text[first.start:].startswith("(一)") and "提高城乡低保标准" in text[first.start:first.end]
    assert _uncovered(seg) == 0


def test_page_marks_after_a_document_sites_title_lines_are_no_points():
    """A document site prints the file's name and its sharing notice before page 1; the pages' marks (2、 3、)
    are found after them and are no points, even when the text's own points are numbered 1、 2、 too."""
    seg = segment.document(_doc("document_site_titled_page_marks.txt", doc_type="work_summary"))
    _assert_tasks(seg, ["1、城乡低保工作", "2、特困供养工作", "3、临时救助工作"])
    assert "2、二百万元" in seg.doc.text[seg.tasks[1].start:seg.tasks[1].end]
    assert _uncovered(seg) == 0


def test_a_news_lead_over_paragraphs_that_open_with_a_passage_is_front_matter():
    """A photo caption and a news lead over paragraphs that each open with 在……上，: the measures are the tasks."""
    seg = segment.document(_doc("news_passage_paragraphs.txt", doc_type="news"))
    _assert_tasks(seg, ["在发放节日慰问金上", "在走访困难群众上", "在临时救助上"])
    assert seg.tasks[0].unit == "preamble" and "本报讯" in seg.doc.text[seg.tasks[0].start:seg.tasks[0].end]
    assert _uncovered(seg) == 0


def test_a_news_headline_and_its_dated_lead_are_front_matter():
    """A headline (one line, no sentence punctuation, longer than a title) and a lead opening with the date and the
    event (2月18日，…会议召开) are front matter; the plan's measures after them are the tasks."""
    seg = segment.document(_doc("news_headline_lead.txt", doc_type="news"))
    _assert_tasks(seg, ["今年全县将新建", "全面推行低保"])
    assert _uncovered(seg) == 0


@pytest.mark.parametrize("paragraph, front", [
    ("凝心聚力谋发展 砥砺奋进开新局——南坪县2025年民政工作会议召开", True),
    ("2月18日,南坪县2025年民政工作会议召开。会议总结去年工作。", True),
    ("2月18日前,完成全县低保对象年度核查,核查结果报县民政局。", False),  # a deadline, not a news lead
    ("全面推行低保审批权限下放乡镇,临时救助实行先行救助。", False),
])
def test_front_matter_headlines_and_news_leads(paragraph, front):
    from analysis.segment.paragraph_shapes import front_matter
    assert front_matter(paragraph) is front


@pytest.mark.parametrize("line", ["上一条：东林县民政局2023年工作总结", "下一条:关于开展养老机构安全检查的通知", "下一页：暂无"])
def test_neighbouring_item_links_are_page_tools(line):
    text = "青禾县民政局2024年工作计划\n一、兜牢民生底线\n（一）做好城乡低保动态管理。\n" + line + "\n"
    seg = segment.document(_doc("neighbour_links", text=text))
    kinds = {seg.doc.text[s:e]: k for k, s, e in seg.boilerplate}
    assert kinds.get(line) == "page_tools"
    assert all(line not in seg.doc.text[t.start:t.end] for t in seg.tasks)


def test_a_task_naming_the_next_item_is_kept():
    text = "青禾县民政局2024年工作计划\n一、兜牢民生底线\n（一）下一条线路的殡仪服务车辆年内配齐。\n"
    seg = segment.document(_doc("next_item_task", text=text))
    assert not seg.boilerplate or all("殡仪" not in seg.doc.text[s:e] for _, s, e in seg.boilerplate)


# --- news-page furniture (shapes seen on reposted news pages; lines written for these tests) ---------------

@pytest.mark.parametrize("line, kind", [
    ("责编：王某 一审：李某 二审：赵某", "page_metadata"),
    ("2024-05-08 10:12:30 编辑: 陈某 审核人:周某 阅读次数:210 |", "page_metadata"),
    ("2024年5月8日 来源：某县民政局", "page_metadata"),
    ("相关推荐", "related"),
    ("延伸阅读：", "related"),
    ("更多相关", "related"),
    ("随机图文", "related"),
    ("（责任编辑：某县殡葬服务中心）", "page_metadata"),
    ("(来源:某市民政局)", "page_metadata"),
    ("聚合标签：行业资讯", "page_metadata"),
    ("有用+1! ()", "page_tools"),
    ("编辑部召开会议，部署全年工作。", None),          # content that opens with a label word
    ("推荐阅读相关政策文件，加强学习。", None),
    ("（来源：群众反映，已转交街道办理。）", None),     # a parenthesized sentence is content
    ("有用的经验要及时推广。", None),
])
def test_news_page_furniture_lines_are_boilerplate_and_content_is_not(line, kind):
    from analysis.segment.boilerplate import line_kind
    assert line_kind(line) == kind


def test_an_editors_note_is_front_matter_and_the_measures_after_it_are_tasks():
    seg = segment.document(_doc("news_editor_note.txt", doc_type="newspaper_feature"))
    text = seg.doc.text
    tasks = [text[t.start:t.end] for t in seg.tasks if t.unit not in NON_TASK_UNITS]
    assert not [t for t in tasks if "编者按" in t or "本期刊登" in t]
    assert [t[:6] for t in tasks[-2:]] == ["完善助餐网络", "推进上门照护"]


def test_an_unnumbered_cell_table_keeps_its_department_and_a_misaligned_one_is_no_table():
    seg = segment.document(_doc("unnumbered_cells_table.txt", doc_type="task_list"))
    assert [t.department for t in seg.tasks if t.unit == "row"] == ["养老服务股", "儿童福利股", "社会事务股"]
    text = "项目名称\n牵头单位\n完成时限\n老年食堂\n养老股\n10月底\n儿童关爱\n儿童股\n另起一行的说明\n"
    assert segment.document(_doc("x.txt", text=text)).layout != "table"   # the second row's deadline is no deadline


def test_a_related_stories_list_after_the_article_is_boilerplate_and_the_demands_stay_tasks():
    seg = segment.document(_doc("news_related_tail.txt", doc_type="newspaper_feature"))
    text = seg.doc.text
    kinds = {text[s:e]: k for k, s, e in seg.boilerplate}
    assert kinds["更多相关"] == "related" and kinds["南岭县开展清明文明祭扫宣传"] == "related"
    assert kinds["节地生态安葬是指以树葬、花葬、草坪葬等方式安放骨灰，不建或少建墓基的安葬方式。"] == "related"
    assert kinds["（责任编辑：北岭镇民政办）"] == "page_metadata" and kinds["有用+1! ()"] == "page_tools"
    assert not any("节地生态" in text[t.start:t.end] for t in seg.tasks)


def test_a_related_heading_early_in_the_text_claims_nothing_after_it():
    text = ("某县民政局2024年工作要点\n相关推荐\n一、兜牢民生底线\n（一）完善低保动态管理。\n（二）做好临时救助。\n"
            "二、发展养老服务\n（一）新建社区老年食堂5个。\n（二）推进适老化改造。\n")
    seg = segment.document(_doc("early_related.txt", text=text))
    assert [k for k, _, _ in seg.boilerplate] == ["related"]
    assert len([t for t in seg.tasks if t.unit not in NON_TASK_UNITS]) == 4


def test_a_paragraph_naming_the_years_place_frames_the_report():
    seg = segment.document(_doc("news_review_before_demands.txt", doc_type="newspaper_feature"))
    framing = [seg.doc.text[t.start:t.end] for t in seg.tasks if t.unit == "framing"]
    assert len(framing) == 1 and framing[0].startswith("会议强调，2025年是")


def test_clauses_of_a_headless_paragraph_share_only_its_short_lead_as_title():
    """A paragraph's first sentence is its first clause (or a long lead), no heading of the other clauses."""
    seg = segment.document(_doc("news_review_before_demands.txt", doc_type="newspaper_feature"))
    titles = [t.title for t in seg.tasks if t.unit == "clause"]
    assert titles == ["会议要求：一要", "会议要求：二要", "会议要求：三要"]
    seg = segment.document(_doc("speech_run_in_ordinals.txt", doc_type="newspaper_feature"))
    assert [t.title for t in seg.tasks if t.unit == "clause"] == ["第一", "第二", "第三"]


def test_paragraphs_opening_with_shi_in_turn_give_no_numbering_warning():
    seg = segment.document(_doc("news_shi_paragraphs.txt", doc_type="newspaper_feature"))
    assert not [n for n in seg.notes if n.kind == "gap"]
    kinds = {seg.doc.text[s:e]: k for k, s, e in seg.boilerplate}
    assert kinds["相关新闻"] == "related" and kinds["关键词: 青川县 养老服务 四项举措"] == "page_metadata"


def test_paragraphs_that_skip_a_shi_number_still_warn():
    text = "青川县民政局动态\n\n一是完善设施网络，新建幸福院。\n\n三是开展适老化改造，完成改造120户。\n"
    seg = segment.document(_doc("skip_shi.txt", text=text))
    assert [n for n in seg.notes if n.kind == "gap"]


def test_guiding_items_of_a_plan_are_framing():
    seg = segment.document(_doc("framing_items_plan.txt", doc_type="work_plan"))
    framing = [seg.doc.text[t.start:t.end] for t in seg.tasks if t.unit == "framing"]
    assert len(framing) == 2 and "指导思想" in framing[0] and framing[1].startswith("(二)基本原则")


def test_a_table_of_counts_scraped_one_cell_per_line_is_framing():
    seg = segment.document(_doc("annual_report_count_cells.txt", doc_type="work_summary"))
    framing = [seg.doc.text[t.start:t.end] for t in seg.tasks if t.unit == "framing"]
    assert len(framing) == 1 and framing[0].startswith("二、主动公开政府信息情况") and framing[0].endswith("26 |")


def test_a_photo_caption_and_story_dates_are_boilerplate():
    seg = segment.document(_doc("news_caption_timestamps.txt", doc_type="newspaper_feature"))
    kinds = [k for k, _, _ in seg.boilerplate]
    assert kinds == ["caption", "related", "related"]


def test_a_caption_rule_claims_no_line_that_only_starts_with_tu():
    from analysis.segment.boilerplate import line_kind
    assert line_kind("图书室建设：新建村级图书室5个。") is None
    assert line_kind("图为区民政局工作人员走访慰问困难群众。") == "caption"


def test_the_last_heading_of_a_text_cut_short_is_no_task():
    """An opening cut right after a section heading (its items lost): the bare heading holds no task, while a
    list of headings only (headings_only.txt) keeps each heading as its task."""
    text = ("青溪县民政局2024年工作总结\n一、兜底保障\n全年发放低保金1200万元，惠及困难群众3100人。\n"
            "二、养老服务\n新建农村互助幸福院6所。\n三、下一步工作打算\n")
    seg = segment.document(_doc("cut_short.txt", text=text, doc_type="work_summary"))
    units = [(t.unit, seg.doc.text[t.start:t.end]) for t in seg.tasks if t.unit != "preamble"]
    assert units[-1] == ("framing", "三、下一步工作打算")
    assert [u for u, _ in units[:-1]] == ["item", "item"]


@pytest.mark.parametrize("body, n_tasks", [
    # three labelled entries run together, the first in the item's heading: three tasks
    ("1.救助帮扶城乡低保：按季度复核在册对象，做到动态管理。特困供养：落实照料护理，做到应养尽养。"
     "临时救助：简化审批程序，做到急难先救。", 3),
    # only two entries: one task (a target and its measure, as plans often write them)
    ("1.救助帮扶城乡低保：按季度复核在册对象，做到动态管理。特困供养：落实照料护理，做到应养尽养。", 1),
    # the first sentence opens with a clause, not a label (为…，现明确如下：): one task
    ("1.为做好救助帮扶，现明确如下：按季度复核在册对象。特困供养：落实照料护理。临时救助：简化审批程序。", 1),
    # sentences opening with a report's lead verb (会议强调：) are no entries: one task
    ("1.救助帮扶城乡低保：按季度复核在册对象。会议强调：落实照料护理。会议要求：简化审批程序。", 1),
    # an item's heading label, then details whose labels are predicates (标准为：): one task
    ("1.特困人员救助：为全镇特困人员按月发放救助金。救助标准为：每人每月五百元。护理补贴标准为：按照护等级发放。", 1),
])
def test_colon_labelled_entries_run_together_are_tasks_only_as_a_run(body, n_tasks):
    text = f"白沙县民政局工作要点\n一、兜底保障\n{body}\n2.养老服务\n新建农村互助幸福院6所。\n"
    seg = segment.document(_doc("label_entries.txt", text=text))
    tasks = [seg.doc.text[t.start:t.end] for t in seg.tasks if t.unit not in NON_TASK_UNITS]
    assert len(tasks) == n_tasks + 1, [t[:12] for t in tasks]
    assert tasks[-1].startswith("2.养老服务") and _uncovered(seg) == 0


@pytest.mark.parametrize("paragraph, n_tasks", [
    # a speaker's lead, then sentences each opening with a verb of doing: one task each
    ("局长钱立新介绍，今年将扩大低保覆盖面。完善临时救助制度。加强养老机构安全管理。", 3),
    # the same sentences with no speaker's lead (a plan's paragraph): one task
    ("今年将扩大低保覆盖面。完善临时救助制度。加强养老机构安全管理。", 1),
    # a lead, but one sentence is an account of what was done: the paragraph is one task
    ("局长钱立新介绍，今年将扩大低保覆盖面。完善临时救助制度。去年全县共救助困难群众两千余人次。", 1),
    # a lead and only one sentence after it: one task
    ("局长钱立新介绍，今年将扩大低保覆盖面。完善临时救助制度。", 1),
])
def test_a_news_paragraph_of_unmarked_measures_is_split_only_after_a_lead(paragraph, n_tasks):
    text = f"石门县召开民政工作会议\n\n3月2日，石门县召开民政工作会议。\n\n{paragraph}\n"
    seg = segment.document(_doc("measures.txt", text=text, doc_type="newspaper_feature"))
    tasks = [seg.doc.text[t.start:t.end] for t in seg.tasks if t.unit not in NON_TASK_UNITS]
    assert sum(1 for t in tasks if t.strip() in paragraph) == n_tasks, [t[:12] for t in tasks]
    assert _uncovered(seg) == 0


def _glossed_doc(name: str, *, doc_type: str) -> Document:
    """A fixture in traditional script as the loader gives it: simplified for analysis (same length), the
    source kept."""
    from analysis.corpus import normalize

    source = (SHAPES / name).read_text(encoding="utf-8")
    text, _ = normalize(source)
    meta = {"doc_type": doc_type, "issuer": "", "task_unit": "", "layout": ""}
    return Document(doc_id="900", region="shape", meta=meta, text=text, path=SHAPES / name, source_text=source)


def test_a_report_with_pinyin_after_its_characters_is_segmented_as_without_them():
    # a mirror's converter wrote pinyin after many characters (會(huì )議強(qiáng)調(diào)): the demand lead and the 要…。要…。
    # demands after it are found through the glosses (the review paragraph before it is no task), and each gloss
    # stays in its character's task
    from analysis.corpus.cleaning import drop_glosses

    seg = segment.document(_glossed_doc("news_pinyin_glosses.txt", doc_type="newspaper_feature"))
    tasks = [drop_glosses(seg.doc.text[t.start:t.end]).strip() for t in seg.tasks if t.unit not in NON_TASK_UNITS]
    assert [t[:6] for t in tasks] == ["会议强调，全", "要发展农村互", "要推进殡葬改"], tasks
    assert tasks[-1].endswith("整治散埋乱葬。")
    assert _uncovered(seg) == 0
    assert any(n.kind == "encoding" and "pinyin" in n.message for n in seg.notes)
    ends = {t.end for t in seg.tasks}
    assert all(seg.doc.text[e:e + 1] not in "(（" for e in ends if e < len(seg.doc.text))  # no gloss cut off


@pytest.mark.parametrize("text, glosses", [
    ("社會(huì )救助", ["(huì )"]),  # a space before the closing parenthesis (a mirror's habit)
    ("強(qiáng)調(diào)要求", ["(qiáng)", "(diào)"]),
    ("黨(dang) 的領導", ["(dang) "]),  # toneless, spelling the character's reading, with the space after it
    ("設立NGO(ngo)服務站", []),  # letters in parentheses after Latin letters: no gloss
    ("設立救助站(jzz)", []),  # an abbreviation after a character: not its reading, no gloss
])
def test_gloss_spans_find_only_pinyin_after_a_character(text, glosses):
    from analysis.corpus.cleaning import gloss_spans

    assert [text[a:b] for a, b in gloss_spans(text)] == glosses

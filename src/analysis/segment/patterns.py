"""Compiled patterns and constants of segmentation, in one place."""

from __future__ import annotations

import re

from analysis import numerals, punctuation

CN_NUM = numerals.SECTION_CHARS
#: ``一、`` (or ``一.`` / ``一．``) at the start of a line: a section (part) heading.
SECTION_RE = re.compile(rf"^[ \t\u3000]*([{CN_NUM}]{{1,4}})(?:、|[.．](?![\d.．]))", re.M)
#: ``第一部分`` at the start of a line: a part over 一、 sections (第一部分 2024年工作总结 / 第二部分 2025年工作计划),
#: whose sections number from 一 again.
PART_RE = re.compile(rf"^[ \t\u3000]*第([{CN_NUM}]{{1,3}})部分", re.M)
#: ``(一)`` or ``（一）`` at the start of a line: an item.
ITEM_RE = re.compile(rf"^[ \t\u3000]*[(（]([{CN_NUM}]{{1,4}})[)）]", re.M)
#: Outline markers by level, without their anchor: 一、 | （一） | 1. | （1） | ①. Numerals are bounded (a run of
#: numerals is no marker), digits are not decimals (1.3倍) or dates (6.19).
MARKER_BODIES = {
    "cn": rf"([{CN_NUM}]{{1,4}})(?:、|[.．](?![\d.．]))",
    "paren_cn": rf"[(（]([{CN_NUM}]{{1,4}})[)）]",
    "digit": r"(\d{1,2}(?=[.．](?!\d)|、)|[\u2488-\u249b])(?:[.．](?!\d)|、)?",  # 1. 1、 １． ⒈
    "paren_digit": r"[(（]?((?:(?<=[(（])|(?<!\d))\d{1,2}(?=[)）])|[\u2474-\u2487])[)）]?",  # （1） (1) 1） ⑴
    "circled": r"([\u2460-\u2473])",
}
#: The conventional order of the levels, outermost first.
LEVELS = tuple(MARKER_BODIES)
#: Markers at the start of a line.
LINE_MARKER_RES = {k: re.compile(rf"^[ \t\u3000]*{v}", re.M) for k, v in MARKER_BODIES.items()}
#: Markers run into a line (a text saved without line breaks): after a sentence end, a colon or a space;
#: 1. / 1、 after anything but a digit (a heading runs into its first point); parenthesized and circled
#: markers anywhere. Their numbering must then run in sequence.
#: A title run into the first 一、 of its text (…工作计划一、上半年工作总结1、…): the words a plan's or a part's
#: title ends in, after which a run-in 一、 opens a part although no sentence end precedes it.
RUN_IN_TITLE_ENDS = ("计划", "要点", "总结", "打算", "思路", "安排", "报告", "情况", "如下")
RUN_IN_MARKER_RES = {
    k: re.compile({"cn": r"(?:(?<=^)|(?<=[。；;！？!?\s：:])|(?<=" + "|".join(RUN_IN_TITLE_ENDS) + "))",
                   "digit": r"(?<![\d.．第])",
                   "paren_digit": r"(?=[(（\u2474-\u2487])"}.get(k, "") + v, re.M)  # no bare 1） inside a line
    for k, v in MARKER_BODIES.items()
}
#: Outline markers matched where they stand, with no anchor (after a document site's page mark: 1、一、…).
BARE_MARKER_RES = {k: re.compile(v) for k, v in MARKER_BODIES.items()}
#: Any outline marker opening a title (stripped from the title).
ANY_MARKER_RE = re.compile(r"^[ \t\u3000]*(?:" + "|".join(MARKER_BODIES.values()) + ")")
#: Any outline marker, matched where a unit starts (``MARKER_AT_RE.match(text, pos)``).
MARKER_AT_RE = re.compile(r"[ \t\u3000]*(?:" + "|".join(MARKER_BODIES.values()) + ")")
#: A line this long (characters) with markers inside it makes a text "run-in" (saved without line breaks).
RUN_IN_LINE_MIN = 120
#: Section headings that say a part reports results, or plans (工作总结和工作计划, 上半年总结和下半年计划).
RESULT_PART_RE = re.compile(r"(总结|回顾|完成情况|开展情况|工作情况|进展情况|主要成效|取得的成效|工作成效|主要做法|"
                            r"成绩|亮点|上半年(工作)?(开展|完成|主要)?|[0-9]{4}年(主要)?工作(开展|完成)?情况)")
PLAN_PART_RE = re.compile(r"(计划|思路|打算|安排|下一步|下半年|工作要点|工作重点|重点工作|目标任务|主要任务|"
                          r"努力方向|工作举措)")
#: A paragraph of a summary that turns to what comes next (下一步，我们将… / 明年，… / 2025年工作打算：): it and the
#: rest of its part plan, where no part heading says so (a summary written as paragraphs).
PLAN_LEAD_RE = re.compile(r"[ \t\u3000]*(?:下一步|下步|下阶段|下一阶段|明年|今后|新的一年|\d{4}年(?:工作)?(?:打算|计划|思路))"
                          r"[^。\n]{0,20}?[，,：:]")
#: What a document type reports by default (a part heading can say otherwise).
DOC_TYPE_PART = {"work_plan": "plan", "task_list": "plan", "newspaper_feature": "plan",
                 "work_summary": "result", "work_summary_and_plan": "result"}
#: A theme number alone on its line (newspaper features).
THEME_RE = re.compile(r"^[ \t\u3000]*(\d{1,2})[ \t\u3000]*$", re.M)
#: Shortest heading line of a family of parallel headings (民生保障方面 / 社会事务方面) in a paragraphs text.
HEAD_FAMILY_MIN = 4
#: Longest heading line (characters) under a theme number.
THEME_HEADING_MAX = 24
#: A table row: a number, then a pipe.
ROW_RE = re.compile(r"^[ \t\u3000]*(\d{1,3})[ \t]*\|", re.M)
#: A table row whose number lost its pipe (``3  完成… | 张某 |``): a number, spaces, and a pipe later on the line;
#: a row only where its number runs on from the row before.
LOOSE_ROW_RE = re.compile(r"^[ \t\u3000]*(\d{1,3})[ \t\u3000]+(?=[^|\n]*\|)", re.M)
#: A table header row (its first cell is 序号).
HEADER_RE = re.compile(r"^[ \t\u3000]*序号[ \t]*\|", re.M)
#: ``一是`` / ``二是`` clause markers, after the start, whitespace or punctuation.
SHI_CLAUSE_RE = re.compile(rf"(?:(?<=^)|(?<=[\s。；;，,：:]))([{CN_NUM}]{{1,3}})(是|要)(?=[ \u3000]?\S)")
#: A report's demands without numbers (会议强调，要抓学习…；要抓机制…。要抓责任…): the lead verb, then 要; the
#: demands after it are the clauses that open with 要 after a full stop or semicolon on the same line.
DEMAND_LEAD_MAX = 12  # characters from the start of its sentence to the lead verb (会议强调, 王副县长要求)
#: The lead verb of a report's demands, then 要 at once (会议强调，要…) or after the short subject the demands
#: are made of (会议强调，全县民政系统要… / 他要求，县民政局及各镇要…: up to DEMAND_SUBJECT_MAX characters, no
#: punctuation): seg16 reading (meeting reports of county and provincial bureaus).
DEMAND_SUBJECT_MAX = 8
DEMAND_LEAD_RE = re.compile(r"(?:强调|強調|要求|指出|提出)[，,：:]"
                            rf"(?=(?:[^，,。；;：:！？!?、“”\s要]{{2,{DEMAND_SUBJECT_MAX}}})?要)")
DEMAND_NEXT_RE = re.compile(r"(?<=[。；;])[ \t\u3000]*要(?=[^，,。；;\s]{2})")
#: A paragraph opening with an ordinal word (第一，/ 第二、/ 首先，/ 其次，/ 最后，): a speech's points.
ORDINAL_OPEN_RE = re.compile(r"[ \t\u3000]*(?:第[一二三四五六七八九十]{1,3}[，,、：:]|(?:首先|其次|再次|最后)[，,])")
#: A paragraph opening with a passage of its own (在发放救助金上，/ 在养老服务方面，): one of a report's parallel
#: measures, as 一是/第一 open them.
PASSAGE_OPEN_RE = re.compile(r"[ \t\u3000]*在[^，,。；;：:\n]{2,24}(?:上|方面)[，,]")
#: The first of a text's ordinal points (首先，/ 第一，): the paragraphs before it are the text's lead.
ORDINAL_FIRST_RE = re.compile(r"[ \t\u3000]*(?:第一[，,、：:]|首先[，,])")
#: A later ordinal point of prose written as 首先 … 其次 … 再者 … 此外 … 最后 (articles and plans that number
#: their points in words): after a 首先 paragraph, these open the next points.
ORDINAL_NEXT_RE = re.compile(r"[ \t\u3000]*(?:第[二三四五六七八九十]{1,3}[，,、：:]|(?:其次|再次|再者|此外|另外|除此之外|"
                             r"最后|最後)[，,])")
#: A closing paragraph after a text's last ordinal point (总之，… / 综上所述，…): it sums the points up.
ORDINAL_CLOSE_RE = re.compile(r"[ \t\u3000]*(?:总之|總之|综上所述|綜上所述|综上|綜上|总而言之|總而言之|总的来说|總的來說)[，,]")
#: ``其一，`` / ``其二，`` clause markers (a run numbered from one): an item's points, as 一是/二是 are.
QI_CLAUSE_RE = re.compile(rf"(?:(?<=^)|(?<=[\s。；;，,：:]))其([{CN_NUM}]{{1,2}})(?=[，,、：:])")
#: Ordinal words opening an item's points inside its text (首先，…；其次，…；最后，…): a run that opens with 首先.
ORDINAL_WORDS = ("首先", "其次", "再次", "再者", "最后")
ORDINAL_CLAUSE_RE = re.compile(r"(?:(?<=^)|(?<=[\s。；;，,：:]))(" + "|".join(ORDINAL_WORDS) + r")(?=[，,])")
#: ``第一，`` / ``第二，`` clause markers inside a paragraph (a speech or a report run in without line breaks:
#: …“六个坚持” 第一，坚持…  第二，坚持…), numbered from one in sequence; a doubled comma (第一，，) is a scraper's.
DI_CLAUSE_RE = re.compile(rf"(?:(?<=^)|(?<=[\s。；;，,：:”」]))第([{CN_NUM}]{{1,3}})(?=[，,、：:])")
#: A count of events right before a run's 一是 (开展检查3次，一是…；二是…；三是…): the clauses are the events
#: counted, details of one task, when there are as many as the count says.
EVENT_COUNT_RE = re.compile(r"(\d{1,2}|[两二三四五六七八九十])[ \t\u3000]*(?:次|起|批|轮|场)[，,：:][ \t\u3000]*$")
#: What closes a 一是 / 一要 clause marker (speeches list their demands as 一要…二要…).
SHI_ENDINGS = ("是", "要")
#: A paragraph opening with a bullet (▲ ● ■ ◆ ★ •): an entry of a list, never front matter.
BULLET_RE = re.compile(r"[ \t\u3000]*[▲△●○■□◆◇★☆•▶►]")
#: The same bullet with the spaces after it: what a list item's marker (• 一是…, a web page's <li>) stands behind.
BULLET_PREFIX_RE = re.compile(r"[ \t\u3000]*[▲△●○■□◆◇★☆•▶►][ \t\u3000]*")
#: ``1.`` / ``1、`` / ``1．`` clause markers (not decimals such as 1.3倍 or dates such as 6.19), after the
#: start, whitespace or punctuation. Written digit first (the look-behind checks the character before it) so
#: the engine skips to digits (tests/test_segment.py compares it with the plain form).
DIGIT_CLAUSE_RE = re.compile(r"(\d(?:(?<=^\d)|(?<=[\s。；;：:|]\d))\d?)[.、．](?!\d)")
#: A dash bullet opening a line (--深入开展双拥活动。/ ——健全…。): a list's entry written with a dash, as a plan's
#: text saved as plain text keeps them (—— often as --). Two or more in an item's body are its points.
DASH_CLAUSE_RE = re.compile(r"^[ \t\u3000]*(--|——|－－)(?=[^\-—－\s])", re.M)
#: ``在……方面，`` passages at the start of a sentence (newspaper features).
PASSAGE_RE = re.compile(r"(?:(?<=^)|(?<=[。！？\n]))[ \t\u3000]*在([^，,。；;\n]{1,24})方面[，,]")
#: ``（在）……方面，`` passages at the start of a sentence (summaries: 在社会救助方面，… 养老服务方面，…).
ASPECT_RE = re.compile(r"(?:(?<=^)|(?<=[。！？；;\n]))[ \t\u3000]*(?!另一|一方面)在?([^，,。；;：:\n]{2,16})方面[，,：:]")
#: A paragraph that opens with a short heading sentence (持续夯实民生保障底线。/ 一是… not counted): up to 30
#: characters with no comma before the first full stop or colon.
PARA_HEAD_RE = re.compile(r"[ \t\u3000]*[^，,。；;：:\n]{4,30}[。：:]")
#: A heading sentence run into a paragraph (深化社会救助改革。 then its account, 提高低保标准。 then its
#: account): a whole sentence of 6-24 characters with no comma, digit or space. HEAD_RUN_MIN of them, each
#: followed by a longer sentence, cut the paragraph into tasks.
HEAD_SENTENCE_RE = re.compile(r"[^，,、；;：:。！？!?\d\s]{6,24}。")
HEAD_RUN_MIN = 3
#: （1）/（2） points on lines of their own (LINE_MARKER_RES["paren_digit"]) are an item's tasks when they are
#: full paragraphs: at least this many non-space characters each on average (short ones are the details of
#: their 1. point, as in 一、→（一）→1.→（1） outlines whose 1. points are the tasks).
PAREN_POINT_MIN = 60
#: The first character of such a point's marker: a parenthesis, or ⑴…⒇ (MARKER_BODIES["paren_digit"]).
PAREN_POINT_OPENERS = "(（" + "".join(map(chr, range(0x2474, 0x2488)))
#: ... the run opens the text, or follows the text's own title (a line or sentence this short, no comma).
HEAD_TITLE_MAX = 30
#: A table-of-contents entry: a title (no full stop) ending in a page number.
TOC_LINE_RE = re.compile(r"[^。；;]{2,60}?(要点|计划|总结|思路|报告|汇报|安排|方案)[ \t.…·]*\d{1,3}\s*$", re.S)
#: A slogan's part opening a sentence: a verb, then a quoted count (坚持“一个目标”… 突出“两大重点”…), the
#: "1262" / "12345" shape of work ideas written as prose.
#: A slogan's part spelt by its quoted digit at the start of a line (“1”即围绕一个目标 / “2”是守住…), under a
#: "12345"-style slogan.
SLOGAN_DIGIT_RE = re.compile(r"^[ \t\u3000]*[“\"](\d)[”\"](?:即|是|就是|指|：|:|，|,)", re.M)
SLOGAN_PART_RE = re.compile(rf"(?:(?<=^)|(?<=[。；;！\n]))[ \t\u3000]*[^。；;，,\n“]{{1,8}}“[{numerals.MARKER_CHARS}两兩]{{1,3}}"
                            r"[个项大条张支场批件化区心网個項條張場]")
#: Words that head a plan's guiding part (its thought, requirements, principles): in FRAMING_RE, and at the start of
#: a heading that runs into its body (FRAMING_LEAD_RE).
GUIDING_WORDS = ("总体思路", "總體思路", "指导思想", "指導思想", "总体要求", "總體要求", "基本原则", "基本原則", "工作思路", "基本思路")
#: Words that head a plan's goals (二、总体目标“十二五”期间，建设…): framing like the guiding words, also where the
#: heading runs into its body.
GOAL_WORDS = ("总体目标", "總體目標", "主要目标", "主要目標", "工作目标", "工作目標")
#: Headings of parts that frame a plan rather than list its tasks (总体思路, 指导思想): a single paragraph under
#: one is no task.
FRAMING_RE = re.compile("(" + "|".join(GUIDING_WORDS) + "|"
                        r"总体目标|總體目標|主要目标|主要目標|工作目标|工作目標|目标任务|目標任務|基本情况|基本情況|总体情况|總體情況|概况|概況|"
                        r"(?:时间|時間)(?:及|和|与|與)?(?:范围|范圍|範圍)|(?:适用|適用)(?:范围|范圍|範圍))[:：]?$")
#: Longest item title (characters, marker left out) that FRAMING_RE may name a framing item: （一）指导思想。
#: over its paragraph frames the plan; a longer title that ends in such a word is a task.
FRAMING_ITEM_MAX = 10
#: The same words opening a heading that runs into its body (a text without line breaks: 二、总体要求指导思想：坚持…).
FRAMING_LEAD_RE = re.compile("^(?:" + "|".join(GUIDING_WORDS + GOAL_WORDS) + ")")
#: The frame of a rule's general part run into its body (（一）目的为加强… / （三）适用范围本制度适用于… / （二）考核原则
#: 1.客观公正原则：…): the purpose, scope and principles of an appraisal rule or its like frame it, no task, with the
#: principles numbered under it (seg16 reading: a bureau's annual target-appraisal rules).
RULE_FRAME_RE = re.compile(r"^(?:目的|宗旨|(?:适用|適用)(?:范围|范圍|範圍)|[^，,。；;：:\s\d]{0,6}(?:原则|原則)(?=[：:\d]))")
#: An editor's note over a news page's article (编者按：…): the editor's words, front matter, not a task.
EDITOR_NOTE_RE = re.compile(r"^[ \t\u3000]*(?:编者按|编者的话|编前语|编者注)[ \t\u3000]*[:：]?", re.M)
#: Headings of a plan's review of the situation (一、工作背景与形势分析 … 一是…机制不够健全): what was done
#: before and what is wrong, no task, even when it runs in 一是/二是 clauses. A summary's 存在的问题 section is
#: not among them: its shortcomings are what the next year's tasks answer (the Yanta seed counts each).
BACKGROUND_WORDS = (r"工作背景", r"背景与形势", r"形势分析", r"现状(?:与|和)?(?:问题)?分析", r"面临的形势")
BACKGROUND_RE = re.compile("^(?:" + "|".join(BACKGROUND_WORDS) + ")")
#: A speech's or plan's part on why the work matters (一、统一思想，充分认识民政工作的重要性 / 充分认识新形势下…的重要作用):
#: its paragraphs argue, even with 一是/二是, and hold no task (seg13 reading).
AWARENESS_RE = re.compile(r"(?:充分|深刻|进一步|切实)?(?:认识|認識|认清|認清)[^，,。；;\n]{0,20}"
                          r"(?:重要性|重要意义|重要意義|重要作用|必要性|紧迫性|緊迫性)")
#: A section heading of an explainer page that asks what something is or which there are (一、…是什么意思? /
#: 具体有哪些地区?): its section holds a definition, a list of names or a period, no task; the section that asks
#: how (…怎么改?) holds the tasks (seg15 reading).
FACT_QUESTION_RE = re.compile(r"(?:什么意思|是什么|什么是|有哪些|哪些[^，,。；;？?！!\n]{0,8})[？?]")
#: Pinyin in parentheses after a character (關(guān)於, 目標(biāo)): a converter's artifact on some pages, dropped
#: before a heading is matched.
PINYIN_PAREN_RE = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}[)）]")
#: An introduction opening a plan or summary: its guiding thought, its leadership, "现将…如下".
INTRO_RE = re.compile(r"(为指导|为指引|为统领|为宗旨|为主线|正确领导下|坚强领导下|现将.{0,30}如下|总体思路|指导思想|总体要求|开局之年|"
                      r"关键之年|收官之年|决策部署|按照.{0,20}总体目标)")
#: The date under a plan's title on its cover (2016年6月 / 2025年3月12日): with the title above it, front matter.
COVER_DATE_RE = re.compile(r"[ \t\u3000]*\d{4}[ \t\u3000]*年[ \t\u3000]*\d{1,2}[ \t\u3000]*月(?:[ \t\u3000]*\d{1,2}[ \t\u3000]*日)?[ \t\u3000]*")
#: A news headline: one line of up to HEADLINE_MAX characters with no sentence punctuation at all (its parts
#: apart by spaces or a dash: 某某聚力 某某争先——某市民政工作会议召开, an invented shape).
HEADLINE_RE = re.compile(r"[^，,。；;：:！？!?\n]{8,80}")
#: A news lead: a date, then the event of the report (N月N日，某市民政工作会议召开。/ 12月27日，…开展…活动), or the
#: event first and its day after (某市人民代表大会第五次会议13日上午在会议中心开幕, seg15), either after a date stamp
#: (2026-01-14, a page's own date line run into the lead).
NEWS_LEAD_RE = re.compile(r"[ \t\u3000]*(?:[A-Za-z]{0,8}[ \t\u3000]*\d{4}-\d{1,2}-\d{1,2}[ \t\u3000]+)?"
                          r"(?:(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:上午|下午|晚)?[，,][^。\n]{0,60}?(?:召开|举行|举办|开展|启动)"
                          r"|[^，,。；;\n]{2,30}?会议(?:\d{1,2}月)?\d{1,2}日(?:上午|下午|晚上?)?在[^，,。；;\n]{2,20}?"
                          r"(?:召开|开幕|举行))")
#: A news report's review of the year (会议指出，2025年…取得新成效。…保障困难群众12万余人): after the lead, what
#: was done, a task, even before a list of demands.
REVIEW_OPEN_RE = re.compile(r"[ \t\u3000]*(?:会议|會議|会上|會上)(?:指出|认为|認為|充分肯定|肯定|总结|總結)[，,：:]")
#: A paragraph that opens by naming the year's place (会议强调，2026年是“十五五”开局之年。…): the direction a
#: report or plan frames its tasks with, no task of its own (unless it lists them).
YEAR_FRAME_RE = re.compile(r"[ \t\u3000]*(?:[^，,。；;\n]{0,12}[，,：:])?\d{4}年是[^。；;\n]{0,40}之年")
#: Longest title line (characters) that opens a text.
TITLE_MAX = 40
#: Hard-wrapped text (a PDF's lines, a page's fixed-width columns): the lines that fill the wrap width (its
#: WRAP_FULL share or more; the width is the WRAP_PERCENTILE of the line widths) end mid-sentence in
#: WRAP_OPEN_SHARE of cases or more, and at least WRAP_OPEN_MIN times; such a line runs on into the next.
WRAP_FULL = 0.85
WRAP_PERCENTILE = 0.75
WRAP_OPEN_SHARE = 0.4
WRAP_OPEN_MIN = 3
#: What closes a sentence or a lead at the end of a line (a wrapped line ends with none of these).
LINE_CLOSE_CHARS = "。！？!?；;：:”」』)）"
#: Longest closing line (characters, one sentence) of a report after its list of demands (…参加了会议。).
CLOSING_LINE_MAX = 50
#: Sentence ends, for titles and the sentence fallback.
SENTENCE_END_RE = punctuation.boundary_re()
#: A trailing signature line: a date, or a short line ending in the name of an office.
DATE_LINE_RE = re.compile(r"^\s*[（(]?(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})[）)]?\s*$")
#: Joint issuers sign on one line, their names apart (民政部　　国家发展和改革委员会); ministries and provincial
#: departments end in 部 / 厅.
OFFICE_LINE_RE = re.compile(r"^\s*(?:[^\s。，,；;！？!?]{1,20}(?:局|委员会|政府|办公室|中心|部|厅)[ \t\u3000]+){0,3}"
                            r"[^\s。，,；;！？!?]{2,20}(?:局|委员会|政府|办公室|中心|部|厅)\s*$")  # a name: no sentence
#: Whitespace inside a run of CJK characters: a layout defect (newspaper columns). Written space first
#: (the look-behind checks the CJK character before it) so the engine skips to spaces;
#: tests/test_segment.py compares it with the plain form. analysis.tokenization reads the same gaps.
CJK_GAP_RE = re.compile(r"[ \t\u3000\u00a0](?<=[\u3400-\u9fff][ \t\u3000\u00a0])[ \t\u3000\u00a0]*(?=[\u3400-\u9fff])")
PUNCT_RE = re.compile(r"[。，,；;：:！？!?、]")
#: Table bars (and the space around them) closing a title.
TRAILING_BARS_RE = re.compile(r"(?<![\s|｜])\s*[|｜][\s|｜]*$")  # the look-behind keeps it linear on runs of spaces
#: Trailing space and bars after a table part heading.
TRAILING_SPACE_BARS_RE = re.compile(r"(?<![\s|])[\s|]+$")
#: Runs of whitespace inside a table cell.
SPACE_RUN_RE = re.compile(r"\s+")
#: A run of CJK characters at the end / at the start of a string.
CJK_RUN_END_RE = re.compile(r"[\u3400-\u9fff]+$")
CJK_RUN_RE = re.compile(r"[\u3400-\u9fff]+")

#: Table header names -> task fields.
TABLE_FIELDS = {
    "序号": "no", "重点工作事项": "title", "工作事项": "title", "工作任务": "title", "任务": "title",
    "工作目标": "goal", "目标": "goal", "分管领导": "leader", "责任领导": "leader",
    "责任科室": "department", "责任单位": "department", "牵头单位": "department",
    # Headers of task lists on other bureaus' pages (cells one per line or pipe tables).
    "重点任务": "title", "主要任务": "title", "重点工作": "title", "工作内容": "title", "任务名称": "title",
    "项目名称": "title", "目标任务": "goal", "工作措施": "goal", "具体措施": "goal", "主要措施": "goal",
    "工作要求": "goal", "具体内容": "goal", "牵头领导": "leader", "责任人": "leader",
    "责任股室": "department", "责任科室（单位）": "department", "牵头科室": "department",
    "责任部门": "department", "牵头部门": "department", "责任主体": "department",
    # Progress reports laid out as tables (任务事项 | 进展 | 进度): the task cell states what was planned, the
    # progress cell what was done (segment: a row's ``result_start``).
    "任务事项": "title", "任务内容": "title", "进展": "progress", "进展情况": "progress", "工作进展": "progress",
    "完成情况": "progress", "推进情况": "progress", "落实情况": "progress", "进展成效": "progress",
}
#: Header cells that number a table's rows (序号 or another column of row numbers), besides 序号 itself.
ROW_NUMBER_HEADERS = frozenset({"序号", "编号", "任务序号", "任务编号", "序列号"})
#: A table scraped one cell per line whose header has no 序号 line first (报送次数 / 任务序号 / 任务事项 / 进展):
#: at least this many header cells, and a row is as many cells as the header has.
GRID_HEADER_MIN = 3
#: What pads a cell of a table scraped one cell per line: spaces and its pipes (…工作。 |).
CELL_PADDING = " \t\u3000|｜"
#: A cell that closes with a pipe at its line end (…工作。 |): a cell of a table scraped with its pipes.
CELL_CLOSE_RE = re.compile(r"[|｜][ \t\u3000]*$")
#: A cell of row numbers, counts or shares (115, 2, 75%): the shape of a table's numbering and progress columns.
SHORT_NUMBER_CELL_RE = re.compile(r"\d{1,4}(?:\.\d+)?%?")
#: Header cells of a deadline column (完成时限), and the shape of its cells (2024年12月底, 6月底前, 全年, 长期坚持):
#: a column a table scraped one cell per line lines up on when it has no row numbers.
DEADLINE_HEADERS = frozenset({"完成时限", "完成时间", "时间节点", "时限", "时限要求", "完成期限"})
#: Other header cells of such tables; a grid's header ends at its last known cell (the first row's short first
#: cell, 社区老年食堂建设, is no header cell).
GRID_OTHER_HEADERS = frozenset({"进度", "完成进度", "备注", "建设内容", "项目内容", "具体任务", "完成标准", "考核指标",
                                "监督方式", "实施部门", "实施步骤", "分月序时进度", "报送次数", "报送批次"})
DEADLINE_CELL_RE = re.compile(r"(?:\d{4}\s*年)?(?:\d{1,2}\s*月(?:\d{1,2}\s*日)?(?:底|末|上旬|中旬|下旬)?|年底|年内|全年)"
                              r"(?:前|以前|完成)?|长期(?:坚持|推进)?|持续(?:推进|开展)|常态化(?:推进|开展)?")
#: A table scraped one cell per line: 序号 alone on its line, then the other header cells, one per line.
CELL_HEADER_RE = re.compile(r"^[ \t\u3000|｜]*序号[ \t\u3000|｜]*$", re.M)
#: A row number alone on its line (a table scraped one cell per line).
CELL_ROW_RE = re.compile(r"^[ \t\u3000|｜]*(\d{1,3})[ \t\u3000|｜]*$", re.M)
#: Longest header cell of a table scraped one cell per line.
CELL_HEADER_MAX = 12
#: A space with at most this many CJK characters on one side, in a prose line, is a layout defect.
STRAY_RUN_MAX = 3
#: Longest heading the feature layout allows when a theme's heading runs into its body text.
RUN_IN_HEADING_MAX = 11

#: Doubts flagged after segmenting: a task longer than this (characters) may hold several tasks, most tasks
#: shorter than this may be cells or fragments, a front matter larger than this share may hide the numbering.
DOUBT_LONG_TASK = 1500
DOUBT_SHORT_TASK = 12
DOUBT_PREAMBLE_SHARE = 0.4
#: ... for documents of at least this many characters (a short excerpt is mostly front matter).
DOUBT_PREAMBLE_MIN = 2000

#: A table of contents' title line: 目录 / 目 录 / 目次, alone on its line.
CONTENTS_TITLE_RE = re.compile(r"[ \t\u3000]*目[ \t\u3000]*[录錄次][ \t\u3000]*")
#: A contents entry numbered with decimals (1.1 / 3.2.1), the shape of a report's contents, not of a plan's points.
CONTENTS_DECIMAL_RE = re.compile(r"[ \t\u3000]*\d{1,2}(?:[.．]\d{1,2})+[ \t\u3000]*[^\d.．\s]")
#: A contents entry of the top level: 一、 / 第一章 / 第一节 / 第一部分.
CONTENTS_TOP_RE = re.compile(rf"[ \t\u3000]*(?:[{CN_NUM}]{{1,3}}、|第[{CN_NUM}]{{1,3}}(?:章|节|節|部分|篇))")
#: The longest contents entry (characters); a longer line is text.
CONTENTS_ENTRY_MAX = 60
#: The fewest entries an untitled run of decimal-numbered heading lines needs to be a table of contents.
CONTENTS_UNTITLED_MIN = 8

#: A document site's page mark at a line start (1、 / 2、 …): extracted pages numbered in sequence, each page a
#: long line that breaks off mid-sentence.
PAGE_MARK_RE = re.compile(r"[ \t\u3000]*(\d{1,3})、")
#: Lines a document site prints before page 1 (the file's name, 《…》由会员分享，可在线阅读…).
PAGE_HEAD_MAX = 3
#: More lines may stand before page 1 when every one of them is short (under RUN_IN_LINE_MIN characters): a
#: library page's header (收藏 分享 / the file's name / 上传人… 文档编号… / 第1页 / 共3页 … / 资源描述), no text.
PAGE_HEAD_SHORT_MAX = 16

#: A line of table rules only (| / ||| / +---+ / ───): no word, a separator left by a table's extraction.
RULE_LINE_RE = re.compile(r"[ \t\u3000]*[|｜+\-—─═_=]+(?:[ \t\u3000]*[|｜+\-—─═_=]+)*[ \t\u3000]*")

#: A preface's heading on a line of its own (前言 / 前 言 / 序言 / 引言): the prose under it introduces the plan.
PREFACE_RE = re.compile(r"[ \t\u3000]*(?:前|序|引)[ \t\u3000]*言[ \t\u3000]*")

#: A cell of a statistics table: a count, a share or nothing (0 | 12 | 3.5% | ), counts grouped by thousands
#: as statistical bulletins print them (59,395 | 404,423.1).
STAT_CELL_RE = re.compile(r"[ \t\u3000]*(?:(?:\d{1,3}(?:[,，]\d{3})+|\d+)(?:[.．]\d+)?[%％]?)?[ \t\u3000]*")
#: A unit cell of a statistics table's 单位 column (个 | 人 | 张 | 万元): neither a count nor a task's text, so
#: it counts neither way. The units are those of civil-affairs statistics reports (季报表: 个, 人, 张, 万元, 户,
#: 对 for marriages, 件, 次 / 人次 for relief, 所 / 家 / 处 for institutions, 元, 亩 for cemeteries).
STAT_UNIT_RE = re.compile(r"[ \t\u3000]*(?:个|個|人|人次|张|張|万元|萬元|元|户|戶|对|對|件|次|所|家|处|處|亩|畝|名|床)[ \t\u3000]*")
#: A table's note row (注：1、乡包含民族乡 … | ||||): it explains the counts, whatever its length ...
STAT_NOTE_RE = re.compile(r"[ \t\u3000]*(?:注|備註|备注)[:：]")
#: ... and the numbered notes after it (2、带“*”指标是本年累计数 …).
STAT_NOTE_NEXT_RE = re.compile(r"[ \t\u3000]*\d{1,2}[、.．]")
#: A line that is a row of a table scraped with | between cells (| 合计 | 1173 | … / 万元 | 57324.8 | |||):
#: it opens or ends with | or holds two or more.
TABLE_ROW_LINE_RE = re.compile(r"[ \t\u3000]*[|｜].*|.*[|｜][ \t\u3000]*|.*[|｜].*[|｜].*")
#: The fewest rows of a statistics table that makes a part of a report no task.
STAT_TABLE_MIN_ROWS = 3
#: The longest cell (characters) of a statistics table: a label or a count, never a task's text.
STAT_CELL_MAX = 20
#: A table of counts scraped one cell per line: at least this share of its cells are counts (an annual report's
#: 信息内容 | 本年制发件数 | … | 规章 | 0 | 0 | 0: labels and counts interleaved; seg12 reading).
STAT_CELL_SHARE_PER_LINE = 0.3
#: A colon-labelled entry opening a sentence (特困人员供养：完善…): a short label, no punctuation, then a colon and
#: its content. Labels that are a report's lead verbs (会议强调：) or a predicate opening a detail of the task
#: before (供养标准为：…, 主要措施如下：) are none.
LABEL_ENTRY_RE = re.compile(r"[^，,。；;：:！？!?、“”《》\s\d]{2,12}[：:](?=[^\s：:])")
LABEL_LEAD_WORDS = ("强调", "指出", "要求", "提出", "表示", "认为", "明确", "为", "是", "如下", "包括", "有")
#: Labelled entries a task's body must hold (the first in its first sentence) before each is a task.
LABEL_RUN_MIN = 3
#: A news report's lead naming who sets out the measures (李局长表示，要… / 处长某某介绍，“十四五”期间，全省将…):
#: a speaking verb near the paragraph's start, then 要 or 将 in the same sentence.
MEASURE_LEAD_RE = re.compile(r"[^，,。；;：:！？!?\n]{2,24}?(?:表示|介绍|指出|提出|强调)[，,：:]"
                             r"[^。；;！？!?\n]{0,24}?(?:要|将)")
#: Verbs of doing that open each of a news paragraph's unmarked measures (加强… 做好… 健全…).
MEASURE_VERBS = ("加强", "做好", "健全", "完善", "建立", "推进", "推动", "实施", "深化", "提高", "提升", "发展",
                 "落实", "开展", "强化", "支持", "加快", "促进", "优化", "扩大", "创新", "规范", "研究", "出台",
                 "制定", "打造", "构建", "积极", "持续", "全面", "大力", "着力", "稳步", "探索", "培育", "引导")
#: Sentences after the lead's a paragraph must hold, each opening with a verb of doing, before each is a task.
MEASURE_RUN_MIN = 2

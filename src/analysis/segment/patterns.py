"""Compiled patterns and constants of segmentation, in one place."""

from __future__ import annotations

import re

CN_NUM = "零〇一二三四五六七八九十百"
#: ``一、`` at the start of a line: a section (part) heading.
SECTION_RE = re.compile(rf"^[ \t\u3000]*([{CN_NUM}]+)、", re.M)
#: ``(一)`` or ``（一）`` at the start of a line: an item.
ITEM_RE = re.compile(rf"^[ \t\u3000]*[(（]([{CN_NUM}]+)[)）]", re.M)
#: A theme number alone on its line (newspaper features).
THEME_RE = re.compile(r"^[ \t\u3000]*(\d{1,2})[ \t\u3000]*$", re.M)
#: A table row: a number, then a pipe.
ROW_RE = re.compile(r"^[ \t\u3000]*(\d{1,3})[ \t]*\|", re.M)
#: A table header row (its first cell is 序号).
HEADER_RE = re.compile(r"^[ \t\u3000]*序号[ \t]*\|", re.M)
#: ``一是`` / ``二是`` clause markers, after the start, whitespace or punctuation.
SHI_CLAUSE_RE = re.compile(rf"(?:(?<=^)|(?<=[\s。；;，,：:]))([{CN_NUM}]{{1,3}})是(?=\S)")
#: ``1.`` / ``1、`` / ``1．`` clause markers (not decimals such as 1.3倍 or dates such as 6.19), after the
#: start, whitespace or punctuation. Written digit first (the look-behind checks the character before it) so
#: the engine skips to digits (tests/test_segment.py compares it with the plain form).
DIGIT_CLAUSE_RE = re.compile(r"(\d(?:(?<=^\d)|(?<=[\s。；;：:|]\d))\d?)[.、．](?!\d)")
#: ``在……方面，`` passages at the start of a sentence (newspaper features).
PASSAGE_RE = re.compile(r"(?:(?<=^)|(?<=[。！？\n]))[ \t\u3000]*在([^，,。；;\n]{1,24})方面[，,]")
#: Sentence ends, for titles and the sentence fallback.
SENTENCE_END_RE = re.compile(r"[。！？!?]")
#: A trailing signature line: a date, or a short line ending in the name of an office.
DATE_LINE_RE = re.compile(r"^\s*[（(]?(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})[）)]?\s*$")
OFFICE_LINE_RE = re.compile(r"^\s*\S{2,20}(局|委员会|政府|办公室|中心)\s*$")
#: Whitespace inside a run of CJK characters: a layout defect (newspaper columns). Written space first
#: (the look-behind checks the CJK character before it) so the engine skips to spaces;
#: tests/test_segment.py compares it with the plain form. tokenize reads the same gaps.
CJK_GAP_RE = re.compile(r"[ \t\u3000\u00a0](?<=[\u3400-\u9fff][ \t\u3000\u00a0])[ \t\u3000\u00a0]*(?=[\u3400-\u9fff])")
PUNCT_RE = re.compile(r"[。，,；;：:！？!?、]")
#: Table bars (and the space around them) closing a title.
TRAILING_BARS_RE = re.compile(r"\s*[|｜][\s|｜]*$")
#: Trailing space and bars after a table part heading.
TRAILING_SPACE_BARS_RE = re.compile(r"[\s|]+$")
#: The ``(一)`` marker opening an item's title.
ITEM_MARKER_RE = re.compile(rf"^[ \t\u3000]*[(（][{CN_NUM}]+[)）]")
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
}
#: A space with at most this many CJK characters on one side, in a prose line, is a layout defect.
STRAY_RUN_MAX = 3
#: Longest heading the feature layout allows when a theme's heading runs into its body text.
RUN_IN_HEADING_MAX = 11


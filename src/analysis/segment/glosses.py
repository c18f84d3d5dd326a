"""Segmenting a text whose converter wrote a pinyin gloss after its characters (會(huì)議強(qiáng)調(diào)，要…).

The segmenter's word patterns (会议强调, 要求, 一是 …) cannot see through the glosses, so such a document is
segmented as a *view* without them (:func:`view`) and the units are mapped back onto the document
(:func:`restore`): every offset of the segmentation indexes the document as read, and each gloss stays in the
unit of the character it follows, so nothing is lost and every task's text quotes the source with its glosses
(tokenizing drops them: :func:`analysis.tokenization.normalize`).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace

from analysis.corpus import Document
from analysis.corpus.cleaning import drop_glosses, gloss_spans
from analysis.segment.units import Clause, Note, Segmentation, Task

#: Glosses a document needs before it is segmented without them: fewer are left as they are (a stray
#: "(ā)" after a character does not hide a word pattern).
MIN_GLOSSES = 3


class Positions:
    """Where each character of the view stands in the document: :meth:`at` maps a view offset (a boundary
    between characters) to the document's, so that a gloss joins the unit of the character before it."""

    def __init__(self, spans: list[tuple[int, int]], length: int):
        self.starts, self.shift, self.length = [], [], length
        removed = 0
        for a, b in spans:
            removed += b - a
            self.starts.append(a - (removed - (b - a)))  # the view offset where the gloss was
            self.shift.append(removed)

    def at(self, offset: int) -> int:
        """The document offset of view boundary ``offset``: before the view's character at ``offset``,
        after any gloss that follows the character before it."""
        k = bisect_right(self.starts, offset)  # a gloss right at the boundary follows the character before it
        return offset + (self.shift[k - 1] if k else 0)


def view(doc: Document) -> tuple[Document, Positions] | None:
    """The document without its pinyin glosses, and where its characters stand; None when it has fewer than
    :data:`MIN_GLOSSES`."""
    spans = gloss_spans(doc.text)
    if len(spans) < MIN_GLOSSES:
        return None
    source = drop_glosses(doc.source_text, spans) if doc.source_text is not None else None
    stripped = replace(doc, text=drop_glosses(doc.text, spans), source_text=source)
    return stripped, Positions(spans, len(doc.text))


def restore(seg: Segmentation, doc: Document, positions: Positions) -> Segmentation:
    """``seg`` (of the view) with every offset mapped onto ``doc``, and a note saying so."""
    at = positions.at

    def task(t: Task) -> Task:
        return replace(t, start=at(t.start), end=at(t.end), body_start=at(t.body_start),
                       goal_span=(at(t.goal_span[0]), at(t.goal_span[1])) if t.goal_span else None,
                       result_start=at(t.result_start) if t.result_start is not None else None)

    n = len(positions.starts)
    note = Note("encoding", 0, f"{n} pinyin glosses after characters (會(huì)議): segmented as if absent, "
                               "kept in the tasks' text (tokenizing drops them)")
    return Segmentation(doc, seg.layout, [task(t) for t in seg.tasks],
                        [Clause(c.task_index, c.n, c.marker, at(c.start), at(c.end)) for c in seg.clauses],
                        [(k, at(a), at(b)) for k, a, b in seg.boilerplate],
                        [note] + [Note(x.kind, at(x.start), x.message) for x in seg.notes],
                        seg.n_sections, task_unit=seg.task_unit)

"""Decoding a document's bytes: readers for web pages, PDF and Word, else the encoding that reads best
(byte-order mark, UTF-16 without one, then scored candidates: UTF-8, GB18030, Big5, CP950)."""

from __future__ import annotations

import logging
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Callable

from analysis import readers
from analysis.errors import InputError
from analysis.corpus.formats import FORMAT_SUFFIXES, refuse, sniff, utf16_order

log = logging.getLogger(__name__)

#: Readers of formats other than plain text: ``READERS[fmt](data, path) -> Extracted`` (or the text alone).
#: :func:`sniff` names the format; a format without a reader is refused with :data:`FORMAT_HELP`.
READERS: dict[str, Callable[[bytes, Path], "readers.Extracted | str"]] = {}


def register_readers() -> None:
    """Put a reader (:mod:`analysis.readers`) in :data:`READERS` for each format it reads."""
    def reader(fmt: str):
        return lambda data, path: readers.extract(fmt, data, path=Path(path),
                                                  decode_text=lambda b: _decode_text(b, path=Path(path))[0])

    for fmt in readers.FORMATS:
        READERS[fmt] = reader(fmt)


# ------------------------------------------------------------------------------------------ encodings

#: Decodings scored when a file is not UTF-8 and neither the manifest nor a byte-order mark names one, in order
#: of preference on a tie. GB18030 covers GBK and GB2312; CP950 is Windows' Big5 with a few more characters.
CANDIDATE_ENCODINGS = ("gb18030", "big5", "cp950")
#: The best decoding must have at least this share of common Chinese characters among its non-ASCII ones
#: and at most :data:`MAX_UNLIKELY` unlikely ones (kana, Hangul, private use, Cyrillic …) — else it is nonsense.
MIN_COMMON = 0.5
MAX_UNLIKELY = 0.2
#: Control characters a text may hold (tab, line breaks, the form feed pdftotext puts between pages).
ALLOWED_CONTROLS = "\t\n\r\f\v"

_COMMON, _NEUTRAL, _UNLIKELY = 1, 0, -1
_UNLIKELY_RANGES = (
    (0x0080, 0x009F),  # C1 controls
    (0x0370, 0x052F),  # Greek, Cyrillic
    (0x1100, 0x11FF),  # Hangul jamo
    (0x2500, 0x259F),  # box drawing, blocks
    (0x3040, 0x30FF),  # kana
    (0x3100, 0x312F),  # bopomofo
    (0x3130, 0x318F),  # Hangul compatibility jamo
    (0x3400, 0x4DBF),  # CJK extension A: rare characters
    (0xA000, 0xA4CF),  # Yi
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xD800, 0xF8FF),  # surrogates, private use
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFFF0, 0xFFFF),  # specials, the replacement character
    (0x20000, 0x10FFFF),  # supplementary planes: rare characters, private use
)
_COMMON_RANGES = (
    (0x00B7, 0x00B7), (0x00D7, 0x00D7), (0x00B0, 0x00B0),  # · × °
    (0x2010, 0x206F),  # general punctuation: “” ‘’ — …
    (0x2160, 0x217F),  # Roman numerals
    (0x2460, 0x24FF),  # ① ⑴ ⒈
    (0x3000, 0x303F),  # CJK punctuation: 　、。〈〉《》「」【】〔〕
    (0xFF01, 0xFF5E),  # full-width forms: ，：；（）！？０-９
)


@lru_cache(maxsize=None)
def _char_class(ch: str) -> int:
    """Common (a frequent hanzi, simplified or traditional, or Chinese punctuation), unlikely in a Chinese
    plan (what a wrong decoding produces), or neutral. Frequent hanzi: GB2312's (6,763, simplified) and Big5's
    level 1 (5,401, traditional)."""
    cp = ord(ch)
    if cp < 0x80:
        return _COMMON if ch.isprintable() or ch in ALLOWED_CONTROLS else _UNLIKELY
    if 0x4E00 <= cp <= 0x9FFF:
        try:
            if ch.encode("gb2312")[0] >= 0xB0:
                return _COMMON
        except UnicodeEncodeError:
            pass
        try:
            if 0xA4 <= ch.encode("big5")[0] <= 0xC6:
                return _COMMON
        except UnicodeEncodeError:
            pass
        return _NEUTRAL
    if any(a <= cp <= b for a, b in _COMMON_RANGES):
        return _COMMON
    if any(a <= cp <= b for a, b in _UNLIKELY_RANGES):
        return _UNLIKELY
    return _NEUTRAL


def score(text: str) -> tuple[float, float]:
    """``(common, unlikely)``: shares of the text's non-ASCII characters that are common Chinese characters
    or punctuation, and that a plan hardly ever holds (kana, Hangul, Greek, box drawing, private use, rare
    hanzi …), which is what decoding bytes with the wrong encoding produces. ``(1, 0)`` for ASCII text."""
    counts = Counter(text)
    n = common = unlikely = 0
    for ch, k in counts.items():
        if ord(ch) < 0x80:
            continue
        n += k
        cls = _char_class(ch)
        common += k if cls == _COMMON else 0
        unlikely += k if cls == _UNLIKELY else 0
    return (common / n, unlikely / n) if n else (1.0, 0.0)


def decode(data: bytes, *, path: Path, encoding: str | None = None) -> tuple[str, str, list[str]]:
    """Decode raw bytes; return ``(text, encoding, notes)``.

    The format is sniffed first (:func:`sniff`; a PDF or Word file is refused with what to do). A named
    ``encoding`` (the manifest's column) is used as named. Otherwise a byte-order mark decides (UTF-8's is
    dropped and noted), then UTF-16 without one is told from its NUL bytes. Then UTF-8: bytes that decode as
    UTF-8 are UTF-8 (its multi-byte sequences check themselves: GB18030 or Big5 text of more than a few
    characters never passes, while scoring could mistake a UTF-8 text with few Chinese characters, such as
    "café", for GB18030). Otherwise every candidate (:data:`CANDIDATE_ENCODINGS`) that decodes is scored
    (:func:`score`) and the best wins, ties to the earlier. Binary data, empty files, undecodable text and
    decodings that read as nonsense raise :class:`InputError`.
    """
    fmt = sniff(data)
    if fmt in READERS:
        text, notes, _ = read_other(fmt, data, path=path)
        return text, fmt, notes
    if fmt != "text":
        raise refuse(fmt, path)
    return _decode_text(data, path=path, encoding=encoding)


def read_other(fmt: str, data: bytes, *, path: Path) -> tuple[str, list[str], tuple]:
    """``(text, notes, blocks)`` of a file in a format with a reader (:data:`READERS`), checked: not empty,
    no control characters, and read as Chinese (a reader's nonsense is refused, as a wrong decoding is)."""
    got = READERS[fmt](data, Path(path))
    if isinstance(got, str):
        text, notes, blocks = got, [f"read as {fmt}"], ()
    else:
        text, notes, blocks = got.text, list(got.notes), got.blocks
    suffixes = FORMAT_SUFFIXES.get(fmt, ())
    if suffixes and Path(path).suffix.lower() not in suffixes:
        notes.append(f"named {Path(path).suffix or 'without an extension'} but is {fmt.upper()} (told from its "
                     f"content): read as {fmt.upper()}")
    what = readers.kind(fmt, path) if fmt in readers.KINDS else f"a {fmt} file"
    if not text.strip():
        raise InputError(f"{path}: is {what} with no text in it — is the plan an image or an attachment? "
                         f"Add the plan's text or the file that holds it.")
    common, unlikely = score(text)
    if common < MIN_COMMON or unlikely > MAX_UNLIKELY:
        raise InputError(f"{path}: is {what} whose text is not Chinese text ({common:.0%} "
                         f"common characters, {unlikely:.0%} unlikely ones) — its fonts or encoding are broken; "
                         f"print it to a new PDF or save it as .docx, or add the plan's text.")
    text, _, notes = _checked(text, fmt, notes, path=path)
    return text, notes, blocks


def _decode_text(data: bytes, *, path: Path, encoding: str | None = None) -> tuple[str, str, list[str]]:
    """:func:`decode` for bytes that are plain text (the format is known)."""
    if not data.strip():
        raise InputError(f"{path}: file is empty — replace it with the document's text.")
    notes: list[str] = []
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise InputError(f"{path}: the manifest names encoding {encoding!r}, which Python does not know — "
                             f"use a name such as utf-8, gb18030, big5, utf-16.") from None
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: cannot decode as {encoding} (the manifest's 'encoding') at byte "
                             f"{exc.start} — fix or empty the manifest's 'encoding' column to detect it.") from None
        if encoding.replace("-", "").replace("_", "").lower() not in ("utf8", "utf8sig"):
            notes.append(f"decoded as {encoding} (named in the manifest); to convert: "
                         f"iconv -f {encoding.upper()} -t UTF-8")
        if text.startswith("\ufeff"):
            text = text[1:]
            notes.append("dropped a byte-order mark; offsets index the text after it")
        return _checked(text, encoding, notes, path=path)

    bom = ("utf-8" if data.startswith(b"\xef\xbb\xbf") else
           "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else None)  # saved by some editors
    if bom:
        try:
            text = data.decode(bom)
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: starts with a {bom.upper()} byte-order mark but is not {bom.upper()} "
                             f"(byte {exc.start}) — save the document again as UTF-8.") from None
        if bom == "utf-8":
            text = text[1:]
            notes.append("dropped a UTF-8 byte-order mark; offsets index the text after it")
        else:
            notes.append("decoded as UTF-16; to convert: iconv -f UTF-16 -t UTF-8")
        return _checked(text, bom, notes, path=path)
    if b"\x00" in data:  # sniff let it through: UTF-16 without a byte-order mark
        candidates = [utf16_order(data)]
    else:
        try:
            return _checked(data.decode("utf-8"), "utf-8", notes, path=path)
        except UnicodeDecodeError:
            candidates = list(CANDIDATE_ENCODINGS)
    decoded = []
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        decoded.append((score(text), enc, text))
    if not decoded:
        if candidates[0].startswith("utf-16"):
            raise refuse("binary", path)
        raise InputError(f"{path}: cannot decode as {' or '.join(candidates)} — convert it to UTF-8 "
                         f"(e.g. `iconv -f GB18030 -t UTF-8`) or name its encoding in the manifest's "
                         f"'encoding' column.")
    # best: most common characters net of unlikely ones; on a tie the earlier candidate (sorted is stable)
    ranked = sorted(decoded, key=lambda d: -(d[0][0] - 2 * d[0][1]))
    (common, unlikely), enc, text = ranked[0]
    if common < MIN_COMMON or unlikely > MAX_UNLIKELY:
        if candidates[0].startswith("utf-16"):
            raise refuse("binary", path)
        raise InputError(f"{path}: no decoding reads as Chinese text (best: {enc}, {common:.0%} common "
                         f"characters, {unlikely:.0%} unlikely ones) — convert it to UTF-8 or name its encoding "
                         f"in the manifest's 'encoding' column.")
    if enc.startswith("utf-16"):
        notes.append(f"decoded as {enc.upper()} without a byte-order mark (told from its NUL bytes); "
                     f"to convert: iconv -f {enc.upper().replace('-16-', '-16')} -t UTF-8")
    else:
        scores = ", ".join(f"{e} {c - 2 * u:.2f}" for (c, u), e, _ in ranked)
        notes.append(f"decoded as {enc}, not UTF-8 (chosen by score: {scores}); "
                     f"to convert: iconv -f {enc.upper()} -t UTF-8")
        log.warning("%s: decoded as %s, not UTF-8", path, enc)
    return _checked(text, enc, notes, path=path)


#: Control characters a decoded text should not hold (C0 but the allowed ones, DEL, C1).
CONTROL_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in range(32) if chr(c) not in ALLOWED_CONTROLS)
                        + "\x7f-\x9f]")


def _checked(text: str, enc: str, notes: list[str], *, path: Path) -> tuple[str, str, list[str]]:
    """Refuse a decoded text that is only whitespace or full of control characters."""
    if not text.strip():
        raise InputError(f"{path}: file is empty (only whitespace) — replace it with the document's text.")
    bad = len(CONTROL_RE.findall(text))  # counted by the regex engine, not a Python loop per character
    if bad > max(8, len(text) // 100):
        raise InputError(f"{path}: {bad} control characters after decoding as {enc} — "
                         f"is it binary? Save the document as plain UTF-8 text.")
    return text, enc, notes


register_readers()

"""The one choice check: a value from a fixed list, or a one-line error that lists the list.

Every stage and command checks its options here (languages, figure formats, similarity methods, document
types, regions, domains), so the message reads the same everywhere and suggests the nearest valid value
when the user mistyped one (``unknown region 'weiyan' — did you mean 'weiyang'? choose one of …``).

Core layer: imports nothing of the package but :mod:`analysis.errors`, nothing heavy.
"""

from __future__ import annotations

import difflib
from typing import Iterable, Sequence

from analysis.errors import UsageError

#: Languages of labels, charts and workbooks.
LANGS = ("zh", "en")
#: File formats a figure can be written in.
FIGURE_FORMATS = ("png", "svg", "pdf")
#: How many valid values a message lists before it says "…".
LISTED_MAX = 40


def suggestion(value: str, valid: Iterable[str]) -> str:
    """``did you mean 'x'? `` for the closest valid value (case-insensitive), or ``""``."""
    valid = [str(v) for v in valid]
    by_lower = {v.lower(): v for v in valid}
    close = difflib.get_close_matches(str(value).lower(), list(by_lower), n=1, cutoff=0.6)
    return f"did you mean {by_lower[close[0]]!r}? " if close else ""


def listed(valid: Sequence[str]) -> str:
    """``a, b, c`` (the first :data:`LISTED_MAX`, then ``…``)."""
    shown = [str(v) for v in valid[:LISTED_MAX]]
    return ", ".join(shown) + (", …" if len(valid) > LISTED_MAX else "")


def check(value, valid: Sequence, *, what: str):
    """``value`` if it is one of ``valid``, else a one-line :class:`~analysis.errors.UsageError` naming
    the valid ones (and the nearest one)."""
    if value in valid:
        return value
    raise UsageError(f"unknown {what} {value!r} — {suggestion(str(value), valid)}"
                     f"choose one of {listed([str(v) for v in valid])}.")


def check_all(values, valid: Sequence, *, what: str) -> list:
    """``values`` (one or several) if all are in ``valid``, else one line naming the unknown ones."""
    values = [values] if isinstance(values, str) else list(values)
    unknown = [v for v in values if v not in valid]
    if not unknown:
        return values
    plural = "s" if len(unknown) > 1 else ""
    hint = suggestion(str(unknown[0]), valid) if len(unknown) == 1 else ""
    raise UsageError(f"unknown {what}{plural} {', '.join(repr(u) for u in unknown)} — {hint}"
                     f"choose from: {listed([str(v) for v in valid])}.")

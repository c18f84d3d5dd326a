"""The notebooks a reviewer can check (issue 16): every number the prose quotes is one the notebook shows.

Each notebook's markdown is parsed for numbers; a number must appear among the outputs of the notebook's
code cells (as written, without thousands separators, or as a share: ``84.8 %`` matches ``0.848``), unless it
is on the allow-list: years, list and heading numbers, numbers inside inline code, references (issue 4,
notebook 02, section 3), and the few parameters a notebook states in words (:data:`ALLOWED`). The
notebooks also start with a parameter cell (``REGIONS``, ``LANG``) and draw with the report's style.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]-*.ipynb"))
NUMBER_RE = re.compile(r"(?<![\w.\-–/])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s?%)?(?![\w\-–/])")
CODE_SPAN_RE = re.compile(r"`[^`]*`")
LINK_RE = re.compile(r"\]\([^)]*\)")
#: References, not results: "issue 4", "notebook 02", "section 3", "step 2", "Figure 1".
REFERENCE_RE = re.compile(r"(issue|issues|notebook|notebooks|section|step|figure|table|part)\s+$", re.I)
LIST_MARKER_RE = re.compile(r"^\s*(?:#+\s*)?\d+[.)]\s")
#: Numbers a notebook states as settings or definitions, not results (per notebook name prefix).
ALLOWED = {
    "*": {"0", "1", "2", "3", "5", "10", "100", "20", "30", "50", "01", "02", "03", "04", "05"},
    "02": {"0.5", "1.5", "70"},  # the robustness draw's range of factors; the runner-up threshold
}


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def output_text(cells: list[dict]) -> str:
    parts = []
    for cell in cells:
        for out in cell.get("outputs", []):
            parts.append("".join(out.get("text", "")))
            data = out.get("data", {})
            for key in ("text/plain", "text/html", "text/markdown"):
                parts.append("".join(data.get(key, "")))
    return "\n".join(parts)


def output_numbers(text: str) -> set[str]:
    return {m[1].replace(",", "") for m in NUMBER_RE.finditer(text)}


def quoted_numbers(markdown: str) -> list[str]:
    """The numbers the prose quotes (see the module docstring for what is left out)."""
    found = []
    for line in markdown.splitlines():
        if LIST_MARKER_RE.match(line):
            line = LIST_MARKER_RE.sub("", line, count=1)
        line = LINK_RE.sub("]", CODE_SPAN_RE.sub(" ", line))
        for m in NUMBER_RE.finditer(line):
            if REFERENCE_RE.search(line[:m.start()]):
                continue
            value = m[1].replace(",", "")
            if re.fullmatch(r"(19|20)\d\d", value):
                continue  # a year
            found.append(value + ("%" if m[2] else ""))
    return found


def shown(number: str, outputs: set[str]) -> bool:
    """True when ``number`` (``84.8%`` or ``0.997`` or ``145``) is among the outputs: as written, as the same
    value (``105.0``), or — a per cent — as a share rounded the same way (``0.848``) or the same per cent."""
    bare = number.rstrip("%")
    if bare in outputs:
        return True
    value, decimals = float(bare), len(bare.partition(".")[2])
    values = {float(o) for o in outputs}
    if value in values:
        return True
    return number.endswith("%") and any(round(x * 100, decimals) == value for x in values)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_number_in_the_prose_is_shown_by_the_notebook(path):
    cells = _cells(path)
    outputs = output_numbers(output_text(cells))
    allowed = ALLOWED["*"] | ALLOWED.get(path.name[:2], set())
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    unshown = sorted({n for n in quoted_numbers(markdown) if n.rstrip("%") not in allowed and not shown(n, outputs)})
    assert not unshown, f"{path.name}: numbers in the prose that no output shows: {unshown}"


def test_the_check_catches_a_number_the_outputs_contradict():
    cells = [{"cell_type": "markdown", "source": ["Recall is 0.91 on 145 tasks (issue 3, 2023)."]},
             {"cell_type": "code", "source": [], "outputs": [{"output_type": "stream", "text": "recall 0.87, 145"}]}]
    outputs = output_numbers(output_text(cells))
    quoted = quoted_numbers(cells[0]["source"][0])
    assert quoted == ["0.91", "145"]
    assert [n for n in quoted if not shown(n, outputs)] == ["0.91"]
    assert shown("84.8 %".replace(" ", ""), {"0.848"})


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_open_with_a_parameter_cell_and_the_report_style(path):
    cells = _cells(path)
    first_code = next(c for c in cells if c["cell_type"] == "code")
    source = "".join(first_code["source"])
    assert "parameters" in first_code.get("metadata", {}).get("tags", []), path.name
    assert re.search(r"^REGIONS\s*=", source, re.M) and re.search(r"^LANG\s*=", source, re.M), path.name
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "notebook.setup(regions=REGIONS, lang=LANG)" in code, path.name  # the report's chart style, the parameters


def test_a_failing_cell_is_one_line_naming_the_notebook_and_cell(tmp_path):
    import nbformat

    from analysis import notebooks
    from analysis.errors import NotebookError

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1"),
                                         nbformat.v4.new_code_cell("int('')")])
    path = tmp_path / "09-broken.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(NotebookError) as caught:
        notebooks.execute(path, dest=tmp_path / "out.ipynb")
    message = str(caught.value)
    assert "\n" not in message and "\x1b" not in message
    assert message.startswith("notebook 09-broken.ipynb: cell-01 raised ValueError: invalid literal for int()")
    assert not (tmp_path / "out.ipynb").exists()

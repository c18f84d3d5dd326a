"""The package's floors: every import, at a module's top or inside a function, points down or sideways, never
up, and the import graph has no cycle. No module is over about 600 lines."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import analysis

PACKAGE = Path(analysis.__file__).parent

#: The layers, lowest first. A module may import its own layer and the layers below it, never above.
LAYERS = (
    ("config", "errors", "choices", "numerals", "punctuation", "parallel", "resources", "schema", "taxonomy", "tables",
     "outputs", "__init__"),
    ("corpus", "readers", "synthetic"),
    ("segment",),
    ("tokenization",),
    ("domains", "quantities"),
    ("coverage", "compare", "clusters", "overtime", "aggregate"),
    ("evaluate",),
    ("report",),
    ("pipeline", "cache", "validate", "notebooks", "add"),
    ("cli", "__main__"),
)
RANK = {name: i for i, layer in enumerate(LAYERS) for name in layer}
MAX_LINES = 600
#: A path into data/labels/: ``DATA / "labels"`` or a label file's name.
LABEL_FILE_RE = re.compile(r"""/\s*["']labels["']|\b(?:domain|quantity)_labels\.csv""")


def _unit(path: Path) -> str:
    """The top-level unit of the package a file belongs to: ``segment`` for ``segment/layouts.py``."""
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _imports(path: Path) -> set[str]:
    """Top-level units of ``analysis`` that ``path`` imports, anywhere in the file (relative imports too)."""
    rel = path.relative_to(PACKAGE).with_suffix("").parts
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(rel[:-1] if path.name != "__init__.py" else rel[:-1])
                base = base[:len(base) - (node.level - 1)] if node.level > 1 else base
                module = ".".join(["analysis", *base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            names = ([f"{module}.{a.name}" for a in node.names] if module == "analysis" else [module])
        else:
            continue
        out |= {n.split(".")[1] for n in names if n.startswith("analysis.") and n != "analysis.__version__"}
    return out


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        unit = _unit(path)
        graph.setdefault(unit, set()).update(_imports(path) - {unit})
    return graph


def test_every_unit_has_a_layer():
    assert set(_graph()) <= set(RANK), sorted(set(_graph()) - set(RANK))


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down(path):
    unit = _unit(path)
    upward = sorted(n for n in _imports(path) if RANK.get(n, -1) > RANK[unit])
    assert not upward, f"{path.relative_to(PACKAGE)} ({unit}, layer {RANK[unit]}) imports {upward} from above"


def test_import_graph_has_no_cycle():
    graph = _graph()
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*trail, node, nxt]))
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_over_about_600_lines(path):
    n = len(path.read_text(encoding="utf-8").splitlines())
    assert n <= MAX_LINES, f"{path.relative_to(PACKAGE)}: {n} lines"


def test_no_stage_reads_the_hand_labels():
    """Only the evaluate package reads ``data/labels/`` (labels must never leak into outputs)."""
    readers = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                     if LABEL_FILE_RE.search(p.read_text(encoding="utf-8")) and _unit(p) != "evaluate")
    assert readers == []

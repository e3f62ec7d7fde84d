"""The house rules ARCHITECTURE.md sets, checked on every run so they cannot drift."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import grimp
import networkx as nx
import pytest

from tests.factories import ROOT

PACKAGE = ROOT / "cx_mapper"
TESTS = ROOT / "tests"
#: "A module over about 600 lines is two modules."
MAX_LINES = 600
#: ui/ modules without Qt: presentation declarations, not algorithms (how big a card is
#: drawn, how a field is shown and converted). Anything else Qt-free belongs outside ui/.
QT_FREE_PRESENTATION = {"ui/editor/canvas/style.py", "ui/editor/properties.py",
                        # how the plan words costs, changes and gains; what an opportunity
                        # started from a touchpoint, a note or the fix-first chart is given
                        "ui/plan/words.py", "ui/plan/prefill.py",
                        # the export formats by extension; their writers load Qt,
                        # openpyxl or python-pptx when they run
                        "ui/export/formats.py",
                        # the lines the Inspector words under its fields
                        "ui/editor/inspector_notes.py",
                        # not Qt-free: the document's evidence edits, a QObject through its
                        # base class (OpportunityEdits), need no Qt name of their own
                        "ui/document/evidence_edits.py"}


def _python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if ".venv" not in p.parts)


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_no_test_module_imports_another() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _python_files(TESTS)
        for name in _imported_modules(path)
        if name.startswith("tests.") and name.rsplit(".", 1)[-1].startswith("test_")
    ]
    assert offenders == []


def test_no_fixture_is_imported_with_noqa() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _python_files(TESTS)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.lstrip().startswith(("from ", "import ")) and "noqa" in line
    ]
    assert offenders == []


def test_an_exception_in_a_qt_callback_fails_the_run() -> None:
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]
    assert not settings["ini_options"].get("qt_no_exception_capture", False)
    offenders = [str(path.relative_to(ROOT)) for path in _python_files(TESTS)
                 if path.name != "test_house_rules.py"
                 and "qt_no_exception_capture" in path.read_text(encoding="utf-8")]
    assert offenders == []


def test_modules_stay_small() -> None:
    sizes = {str(path.relative_to(PACKAGE)): len(path.read_text(encoding="utf-8").splitlines())
             for path in _python_files(PACKAGE)}
    assert {name: lines for name, lines in sizes.items() if lines > MAX_LINES} == {}


def test_ui_holds_no_qt_free_code() -> None:
    qt_free = {
        str(path.relative_to(PACKAGE)) for path in _python_files(PACKAGE / "ui")
        if path.name != "__init__.py"
        and not any(name.split(".")[0] in {"PySide6", "pyqtgraph"}
                    for name in _imported_modules(path))
    }
    assert qt_free == QT_FREE_PRESENTATION


@pytest.fixture(scope="module")
def imports() -> nx.DiGraph:
    graph = grimp.build_graph("cx_mapper")
    edges = nx.DiGraph()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            edges.add_edge(module, imported)
    return edges


def test_no_import_circle(imports: nx.DiGraph) -> None:
    circles = [sorted(group) for group in nx.strongly_connected_components(imports)
               if len(group) > 1]
    assert circles == []


def test_no_view_analyses_by_itself() -> None:
    """ARCHITECTURE.md: views take their figures from the analysis service."""
    callers = {
        str(path.relative_to(PACKAGE)) for path in _python_files(PACKAGE / "ui")
        if {"cx_mapper.engine.analysis.analyze", "cx_mapper.engine.analysis"}
        & _imported_modules(path)
    }
    assert callers == {"ui/document/analysis_service.py"}

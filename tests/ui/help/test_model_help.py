"""Help › How the numbers are computed: shipped with the app, cited by the glossary and
the tooltips section by section, and never a file the user does not have."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

import cx_mapper
from cx_mapper.domain.project import ALL_CONSUMERS, PARAMETER_LABELS, SOCIAL_MEDIA_USERS
from cx_mapper.engine.kpis import KPIS, MODEL_HELP
from cx_mapper.ui.help.glossary import GlossaryDialog, glossary_html
from cx_mapper.ui.help.model_help import HELP_FILE, ModelHelpDialog, help_text, sections
from cx_mapper.ui.look.resources import resources_folder
from cx_mapper.ui.main_window import MainWindow

PACKAGE = Path(cx_mapper.__file__).parent


def strings_a_user_can_read(path: Path) -> list[tuple[int, str]]:
    """Every string literal of a module but its docstrings (which only readers of the
    code see): messages, labels, tooltips, sources."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings]


def test_no_string_a_user_reads_cites_a_file_the_app_does_not_ship() -> None:
    found = [f"{path.relative_to(PACKAGE)}:{line}: {text[:60]!r}"
             for path in sorted(PACKAGE.rglob("*.py"))
             for line, text in strings_a_user_can_read(path) if "MODEL.md" in text]
    assert not found, "\n".join(found)
    assert "MODEL.md" not in help_text()


def test_the_help_text_ships_with_the_app() -> None:
    assert (resources_folder() / "help" / HELP_FILE).is_file()
    assert help_text().startswith(f"# {MODEL_HELP}")
    keys = list(sections())
    assert keys[:2] == ["why-this-model", "what-you-draw"]
    assert [k for k in keys if k.isdigit()] == [str(n) for n in range(1, 12)]


def test_every_citation_in_the_glossary_and_the_tooltips_is_a_section_of_the_help() -> None:
    text = glossary_html()
    links = re.findall(r'<a href="model:([^"]*)">(.*?)</a>', text)
    known = sections()
    assert {key for key, _ in links} - {""} <= set(known), "a link to no section"
    # Every "§" the glossary prints is a link, and says the section's number.
    assert text.count("§") == sum(words.count("§") for _, words in links)
    for key, words in links:
        if "§" in words:
            assert words.endswith(f"§{key}") and key.isdigit()
    for kpi in KPIS:  # the cards' and tables' tooltips carry the same sources
        cited = re.findall(r"§(\d+)", kpi.source)
        assert cited and set(cited) <= set(known), kpi.key
        assert f"Help › {MODEL_HELP}, §" in kpi.tooltip()


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")  # a menu
def test_the_page_opens_from_the_help_menu(qtbot: QtBot, window: MainWindow) -> None:
    bar = window.menuBar()
    help_menu = next(a for a in bar.actions() if a.text() == "&Help")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton,
                     pos=bar.actionGeometry(help_menu).center())
    menu = help_menu.menu()
    assert isinstance(menu, QMenu)
    qtbot.waitUntil(menu.isVisible)
    item = next(a for a in menu.actions() if a.text().replace("&", "") == MODEL_HELP)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(item).center())
    page = window.findChild(ModelHelpDialog)
    assert page is not None
    qtbot.waitUntil(page.isVisible)
    assert page.windowTitle() == MODEL_HELP
    assert "§4 Loyalty" in page.browser.toPlainText()
    assert not QApplication.activeModalWidget()  # beside the window, not in its way


def test_a_citation_in_the_glossary_opens_the_page_at_its_section(qtbot: QtBot) -> None:
    glossary = GlossaryDialog()
    qtbot.addWidget(glossary)
    glossary.show()
    qtbot.waitExposed(glossary)
    browser = glossary.browser
    assert browser.find("Help › How the numbers are computed, §4")  # the loyalty index's
    rect = browser.cursorRect()
    cursor = browser.textCursor()
    cursor.clearSelection()
    browser.setTextCursor(cursor)
    click = QPoint(rect.left() - 20, rect.center().y())  # inside the link's words
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=click)
    page = glossary.findChild(ModelHelpDialog)
    assert page is not None
    qtbot.waitUntil(page.isVisible)
    qtbot.waitUntil(lambda: page.section_at_top() == "§4 Loyalty")


def test_the_help_states_the_presets_the_app_uses() -> None:
    """The page's table of segment parameters is the domain's presets, so the two cannot
    drift apart."""
    rows = {}
    for line in help_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[1] not in ("", '"All consumers"') and "---" not in line:
            label = re.sub(r"( \([^()]{1,3}\)|, \S+)$", "", cells[0])  # less its symbol
            rows[label] = (float(cells[1]), float(cells[2]))
    everyone, social = ALL_CONSUMERS.parameters(), SOCIAL_MEDIA_USERS.parameters()
    assert rows == {label: (everyone[name], social[name])
                    for name, label in PARAMETER_LABELS.items()}

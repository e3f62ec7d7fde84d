"""The Opportunities tab: the list and the editor, driven with the mouse and keys; every
edit is one undo step (edit, check, undo, check, redo, check). None of this needs the
plan engine's figures."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from cx_mapper.domain.elements import Transition
from cx_mapper.domain.opportunities import Changes
from cx_mapper.persistence.json_format import read_project
from cx_mapper.ui.editor.problems import element_text
from cx_mapper.ui.main_window import MainWindow
from cx_mapper.ui.plan.dock import OpportunitiesPanel
from tests.sample_plans import PLANS, PROJECTS, plan_opportunities
from tests.ui.plan.gui import click, click_row, type_into

pytestmark = pytest.mark.usefixtures("no_modal_questions")


def titles(panel: OpportunitiesPanel) -> list[str]:
    return [row[0] for row in panel.list.row_texts()]


def test_a_journey_without_opportunities_says_what_to_do(panel: OpportunitiesPanel) -> None:
    assert panel.list.row_texts() == []
    assert panel.editor.empty.isVisible()
    assert "add one" in panel.editor.empty.text()
    assert not panel.list.remove_button.isEnabled()
    assert panel.journey_label.text() == "Journey: Current state"


def test_add_then_type_a_title_each_one_step(qtbot: QtBot, window: MainWindow,
                                             panel: OpportunitiesPanel) -> None:
    doc = window.document
    click(qtbot, panel.list.add_button)
    assert titles(panel) == ["New opportunity"]
    assert panel.editor.body.isVisible() and panel.editor.title_edit.hasFocus()
    assert doc.undo_stack.count() == 1
    type_into(qtbot, panel.editor.title_edit, "Call back within the hour")
    assert titles(panel) == ["Call back within the hour"]
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    qtbot.waitUntil(lambda: panel.editor.title_edit.text() == "New opportunity")
    assert titles(panel) == ["New opportunity"]
    doc.undo_stack.redo()
    qtbot.waitUntil(lambda: titles(panel) == ["Call back within the hour"])
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    qtbot.waitUntil(lambda: titles(panel) == [])
    assert panel.editor.empty.isVisible()


def test_owner_status_and_cost_with_the_unit(qtbot: QtBot, window: MainWindow,
                                             panel: OpportunitiesPanel,
                                             three: list[str]) -> None:
    doc = window.document
    doc.set_cost_unit("k€")
    doc.undo_stack.clear()
    qtbot.waitUntil(lambda: panel.list.row_texts()[0][3] == "40 k€")
    click_row(qtbot, panel.list.table, 1)
    editor = panel.editor
    assert editor.title_edit.text() == "Clearer website"
    assert editor.cost_spin.suffix() == " k€"
    type_into(qtbot, editor.owner_edit, "Digital team")
    editor.status_combo.setFocus()
    qtbot.keyClick(editor.status_combo, Qt.Key.Key_Down)  # Idea -> Planned
    type_into(qtbot, editor.cost_spin, "32.5")
    qtbot.waitUntil(lambda: panel.list.row_texts()[1][1:4] ==
                    ("Digital team", "Planned", "32.50 k€"))
    assert doc.undo_stack.count() == 3
    opportunity = doc.journey("now").opportunity(three[1])
    assert (opportunity.owner, opportunity.status, opportunity.cost) == \
        ("Digital team", "planned", 32.5)
    for _ in range(3):
        doc.undo_stack.undo()
    qtbot.waitUntil(lambda: panel.list.row_texts()[1][1:4] == ("Web", "Idea", "25 k€"))
    qtbot.waitUntil(lambda: editor.cost_spin.value() == 25)
    assert editor.owner_edit.text() == "Web"
    doc.undo_stack.redo()
    qtbot.waitUntil(lambda: panel.list.row_texts()[1][1] == "Digital team")


def test_ticking_a_touchpoint_links_it(qtbot: QtBot, window: MainWindow,
                                       panel: OpportunitiesPanel, three: list[str]) -> None:
    doc = window.document
    click_row(qtbot, panel.list.table, 0)
    listing = panel.editor.touchpoint_list
    names = [listing.item(i).text() for i in range(listing.count())]
    assert names[0] == "Help", "linked touchpoints come first"
    row = names.index("Shop")
    rect = listing.visualItemRect(listing.item(row))
    box = rect.topLeft() + rect.bottomLeft()
    qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.topLeft() + (rect.bottomLeft() - rect.topLeft()) / 2
                     + type(box)(10, 0))
    qtbot.waitUntil(lambda: doc.journey("now").opportunity(three[0]).touchpoints ==
                    ("help", "shop"))
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert doc.journey("now").opportunity(three[0]).touchpoints == ("help",)
    doc.undo_stack.redo()
    assert doc.journey("now").opportunity(three[0]).touchpoints == ("help", "shop")


def test_the_changes_table_reads_before_and_after_and_edits_rows(
        qtbot: QtBot, window: MainWindow, panel: OpportunitiesPanel,
        three: list[str]) -> None:
    doc = window.document
    click_row(qtbot, panel.list.table, 0)
    changes = panel.editor.changes
    assert changes.rows() == [("Help", "Satisfaction", "+0.00 (CSAT 3.0)",
                               "+0.60 (CSAT 4.2)")]
    # a new row: the chance to go from Shop to Help, 40% now, 60% after
    for combo, text in ((changes.touchpoint, "Shop"), (changes.what, "Chance to go to…"),
                        (changes.target, "Help")):
        combo.setCurrentIndex(combo.findText(text))
    assert changes.after.value() == 40.0, "After starts from today's value"
    type_into(qtbot, changes.after, "60")
    click(qtbot, changes.set_button)
    qtbot.waitUntil(lambda: len(changes.rows()) == 2)
    assert changes.rows()[1] == ("Shop → Help", "Chance", "40%", "60%")
    assert doc.journey("now").opportunity(three[0]).changes.transitions[0].probability == 0.6
    assert doc.undo_stack.count() == 1
    # select the first row and remove it
    click_row(qtbot, changes.table, 0)
    click(qtbot, changes.remove_button)
    qtbot.waitUntil(lambda: len(changes.rows()) == 1)
    assert changes.rows()[0][0] == "Shop → Help"
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    qtbot.waitUntil(lambda: len(changes.rows()) == 2)
    doc.undo_stack.undo()
    qtbot.waitUntil(lambda: len(changes.rows()) == 1)
    assert changes.rows()[0][0] == "Help"
    doc.undo_stack.redo()
    qtbot.waitUntil(lambda: len(changes.rows()) == 2)


def test_move_and_remove_with_the_buttons(qtbot: QtBot, window: MainWindow,
                                          panel: OpportunitiesPanel, three: list[str]) -> None:
    doc = window.document
    qtbot.waitUntil(lambda: len(titles(panel)) == 3)
    click_row(qtbot, panel.list.table, 0)
    assert not panel.list.up_button.isEnabled()
    click(qtbot, panel.list.down_button)
    qtbot.waitUntil(lambda: titles(panel) == ["Clearer website", "Kind help desk",
                                              "Shop staff training"])
    assert panel.list.current() == three[0], "the moved one stays selected"
    click(qtbot, panel.list.remove_button)
    qtbot.waitUntil(lambda: titles(panel) == ["Clearer website", "Shop staff training"])
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    qtbot.waitUntil(lambda: titles(panel) == ["Clearer website", "Kind help desk",
                                              "Shop staff training"])
    doc.undo_stack.undo()
    qtbot.waitUntil(lambda: titles(panel) == ["Kind help desk", "Clearer website",
                                              "Shop staff training"])
    doc.undo_stack.redo()
    qtbot.waitUntil(lambda: titles(panel)[0] == "Clearer website")


def test_a_problem_shows_in_the_editor_and_the_problems_list_selects_it(
        qtbot: QtBot, window: MainWindow, panel: OpportunitiesPanel) -> None:
    """A change that leaves the journey unusable (Ad's ways out above 100%) is the
    opportunity's problem: the editor says so, and activating it in Problems opens it."""
    doc = window.document
    doc.add_opportunity("now", "Fine")
    bad = doc.add_opportunity("now", "Too many ways out", changes=Changes(
        transitions=(Transition("ad", "site", 0.9),)))
    problems = window.problems
    qtbot.waitUntil(lambda: any(p.element == "opportunity" for p in problems.problems()))
    row = next(i for i, p in enumerate(problems.problems()) if p.element_id == bad)
    assert element_text(doc.project, problems.problems()[row]) == \
        "Opportunity 'Too many ways out' · changes"
    window.show_dock(window.problems_dock, problems)
    item = problems.view.topLevelItem(row)
    assert item is not None
    problems.view.setCurrentItem(item)
    qtbot.keyClick(problems.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.list.current() == bad)
    assert window.opportunities_dock.isVisible()
    assert panel.editor.problems.isVisible()
    assert "100%" in panel.editor.problems.text() or "above" in panel.editor.problems.text()


def test_a_blank_project_and_the_retail_sample(qtbot: QtBot, window: MainWindow,
                                               panel: OpportunitiesPanel) -> None:
    """A blank journey: an opportunity can be added, but no change row set (there is no
    touchpoint yet). The retail sample with its opportunities lists them with its unit."""
    assert window.files.new_project(template=False)
    qtbot.waitUntil(lambda: panel.journey() is not None and panel.journey_label.text() ==
                    f"Journey: {panel.journey().name}")
    click(qtbot, panel.list.add_button)
    assert titles(panel) == ["New opportunity"]
    assert not panel.editor.changes.set_button.isEnabled()
    assert panel.editor.changes.rows() == []
    project = read_project(PROJECTS / "retail-omnichannel.json")
    journey_id, unit, plans, settings = PLANS["retail-omnichannel"]
    plan_opportunities(project, journey_id, unit, plans, settings)
    window.document.load(project)
    qtbot.waitUntil(lambda: len(panel.list.row_texts()) == len(plans))
    assert panel.list.row_texts()[0][:4] == ("Show live store stock on product pages",
                                             "E-commerce", "Planned", "60 k€")
    click_row(qtbot, panel.list.table, 2)
    assert panel.editor.changes.rows()[0] == (
        "Calls about a late or damaged delivery", "Satisfaction", "−0.60 (CSAT 1.8)",
        "+0.20 (CSAT 3.4)")


@pytest.mark.parametrize("theme_name", ["dark", "light"])
def test_the_tabs_follow_the_theme(qtbot: QtBot, window: MainWindow, panel: OpportunitiesPanel,
                                   three: list[str], theme_name: str) -> None:
    """Every tab shows in both themes; the charts' backgrounds are the theme's cards'."""
    from PySide6.QtWidgets import QApplication

    from cx_mapper.ui.look import palette
    from cx_mapper.ui.look.theme import ThemeManager

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme = ThemeManager(app)
    try:
        theme.set_choice(theme_name)
        colours = palette.DARK if theme_name == "dark" else palette.LIGHT
        click_row(qtbot, panel.list.table, 0)
        assert panel.editor.changes.rows()[0][0] == "Help"
        for tab, chart in ((panel.matrix, panel.matrix.plot_widget),
                           (panel.plan_view, panel.plan_view.frontier)):
            panel.tabs.setCurrentWidget(tab)
            qtbot.waitUntil(lambda chart=chart: chart.isVisible()
                            and chart.backgroundBrush().color() == colours.card_fill)
            image = chart.grab().toImage()
            assert image.pixelColor(image.width() - 3, 3) == colours.card_fill
    finally:
        theme.set_choice("system")

"""Where an opportunity can be started: a touchpoint's menu on the canvas, a note in an
opportunities lane, and "What if we fixed this?" on the fix-first chart. Each makes one
prefilled opportunity in one undo step and opens it in the dock."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from pytestqt.qtbot import QtBot

from cx_mapper.ui.main_window import MainWindow
from cx_mapper.ui.plan.dock import OpportunitiesPanel
from cx_mapper.ui.plan.prefill import fixed_satisfaction
from tests.ui.plan.gui import choose_in_menu

pytestmark = [pytest.mark.usefixtures("no_modal_questions"),
              pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")]


def card_point(window: MainWindow, touchpoint_id: str) -> QPoint:
    view, scene = window.tabs.view, window.tabs.scene
    assert view is not None and scene is not None
    card = scene.card(touchpoint_id)
    assert card is not None
    return view.mapFromScene(QPointF(card.x() + 70, card.y() + 40))


def test_a_touchpoint_menu_starts_an_opportunity_for_it(
        qtbot: QtBot, window: MainWindow, panel: OpportunitiesPanel) -> None:
    doc = window.document
    view = window.tabs.view
    assert view is not None
    seen: list[str] = []
    choose_in_menu(view.viewport(), card_point(window, "help"),
                   "New opportunity for this touchpoint…", seen)
    qtbot.waitUntil(lambda: len(doc.journey("now").opportunities) == 1)
    assert seen == ["New opportunity for this touchpoint…"]
    opportunity = doc.journey("now").opportunities[0]
    assert (opportunity.title, opportunity.touchpoints) == ("Improve Help", ("help",))
    assert window.opportunities_dock.isVisible()
    assert panel.list.current() == opportunity.id
    assert panel.editor.title_edit.text() == "Improve Help"
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    qtbot.waitUntil(lambda: panel.list.row_texts() == [])
    doc.undo_stack.redo()
    qtbot.waitUntil(lambda: len(panel.list.row_texts()) == 1)


def test_a_note_in_an_opportunities_lane_becomes_an_opportunity(
        qtbot: QtBot, window: MainWindow, panel: OpportunitiesPanel) -> None:
    doc = window.document
    lane = doc.add_lane("now", "opportunities")
    note = doc.add_note("now", lane, "serve", "Call back within the hour\nNo more waiting "
                        "on hold.", touchpoints=["help"])
    other_lane = doc.add_lane("now", "pain_points")
    other = doc.add_note("now", other_lane, "serve", "Long waits")
    doc.undo_stack.clear()
    view, scene = window.tabs.view, window.tabs.scene
    assert view is not None and scene is not None
    qtbot.waitUntil(lambda: scene.note_card(note) is not None)
    seen: list[str] = []
    pain = scene.note_card(other)
    assert pain is not None
    choose_in_menu(view.viewport(), view.mapFromScene(pain.sceneBoundingRect().center()),
                   "", seen)
    assert "Make an opportunity from this note" not in seen, "only in an opportunities lane"
    card = scene.note_card(note)
    assert card is not None
    choose_in_menu(view.viewport(), view.mapFromScene(card.sceneBoundingRect().center()),
                   "Make an opportunity from this note")
    qtbot.waitUntil(lambda: len(doc.journey("now").opportunities) == 1)
    opportunity = doc.journey("now").opportunities[0]
    assert opportunity.title == "Call back within the hour"
    assert opportunity.description == "No more waiting on hold."
    assert opportunity.touchpoints == ("help",)
    assert panel.list.current() == opportunity.id
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert doc.journey("now").opportunities == []
    doc.undo_stack.redo()
    assert doc.journey("now").opportunities[0].title == "Call back within the hour"


def fix_first_ready(window: MainWindow) -> tuple[object, list[str]]:
    charts = window.analysis.charts
    charts.tabs.setCurrentWidget(charts.chart_widget("Fix first"))
    chart = charts.charts.get("fix_first")
    return charts, (chart.ids if chart is not None and not charts.is_stale() else [])


def bar_point(window: MainWindow, row: int) -> QPoint:
    charts = window.analysis.charts
    widget = charts.chart_widget("Fix first")
    view = charts.fix_first_plot.getViewBox()
    (x_low, x_high), _ = view.viewRange()
    scene = view.mapViewToScene(QPointF(x_low + 0.05 * (x_high - x_low), row))
    return widget.mapFromScene(scene)


def test_what_if_we_fixed_this_on_the_fix_first_chart(
        qtbot: QtBot, window: MainWindow, panel: OpportunitiesPanel) -> None:
    doc = window.document
    window.show_dock(window.analysis_dock, window.analysis)
    qtbot.waitUntil(lambda: bool(fix_first_ready(window)[1]))
    charts = window.analysis.charts
    ids = charts.charts["fix_first"].ids
    widget = charts.chart_widget("Fix first")
    # the context menu names the touchpoint of the bar under the pointer
    seen: list[str] = []
    name = doc.journey("now").touchpoint(ids[0]).name
    choose_in_menu(widget.viewport(), bar_point(window, 0), f"What if we fixed ‘{name}’?",
                   seen)
    assert seen == [f"What if we fixed ‘{name}’?"]
    qtbot.waitUntil(lambda: len(doc.journey("now").opportunities) == 1)
    first = doc.journey("now").opportunities[0]
    now = doc.journey("now").touchpoint(ids[0]).satisfaction
    assert first.title == f"Fix {name}"
    assert dict(first.changes.touchpoints) == {ids[0]: {"satisfaction":
                                                        fixed_satisfaction(now)}}
    assert fixed_satisfaction(now) == round(min(1.0, now + 0.5), 2)
    assert panel.list.current() == first.id and window.opportunities_dock.isVisible()
    assert panel.editor.changes.rows()[0][1] == "Satisfaction"
    # a double-click on the second bar does the same for its touchpoint
    window.show_dock(window.analysis_dock, window.analysis)
    qtbot.waitUntil(lambda: bool(fix_first_ready(window)[1]))
    qtbot.mouseDClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=bar_point(window, 1))
    qtbot.waitUntil(lambda: len(doc.journey("now").opportunities) == 2)
    assert doc.journey("now").opportunities[1].touchpoints == (ids[1],)
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    assert len(doc.journey("now").opportunities) == 1
    doc.undo_stack.redo()
    assert len(doc.journey("now").opportunities) == 2


def test_no_fix_on_empty_chart_space(qtbot: QtBot, window: MainWindow,
                                     panel: OpportunitiesPanel) -> None:
    window.show_dock(window.analysis_dock, window.analysis)
    qtbot.waitUntil(lambda: bool(fix_first_ready(window)[1]))
    charts = window.analysis.charts
    assert charts.fix_first_bar_at(QPoint(2, 2)) is None
    assert charts.fix_first_bar_at(bar_point(window, 0)) == charts.charts["fix_first"].ids[0]

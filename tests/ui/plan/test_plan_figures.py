"""The figures of the Opportunities dock: each opportunity's exact gains (list, editor,
matrix) and the plan for a typed budget, as the plan engine gives them, computed off the
GUI thread and never shown stale; the matrix's hover and click; a future state made from
the plan, with undo; both themes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from cx_mapper.engine.kpis import KPI_BY_KEY, format_value
from cx_mapper.ui.look import palette
from cx_mapper.ui.look.theme import ThemeManager
from cx_mapper.ui.main_window import MainWindow
from cx_mapper.ui.plan.dock import OpportunitiesPanel
from cx_mapper.ui.plan.words import gain_text, score_text
from tests.ui.plan.gui import click, type_into

engine = pytest.importorskip("cx_mapper.engine.plan")

pytestmark = pytest.mark.usefixtures("no_modal_questions")


def rank_by_loyalty(qtbot: QtBot, panel: OpportunitiesPanel) -> None:
    """The sample's touchpoints earn no money: rank by the loyalty index (first KPI)."""
    panel.objective.combo.setFocus()
    qtbot.keyClick(panel.objective.combo, Qt.Key.Key_Home)
    assert panel.objective.objective() == {"loyalty_index": 1.0}


def gains_ready(panel: OpportunitiesPanel) -> bool:
    answer = panel.figures.gains()
    return answer is not None and answer.value is not None


def plan_ready(panel: OpportunitiesPanel) -> bool:
    answer = panel.figures.plan()
    return answer is not None and answer.value is not None


def test_each_opportunity_shows_its_exact_gains(qtbot: QtBot, window: MainWindow,
                                                panel: OpportunitiesPanel,
                                                three: list[str]) -> None:
    qtbot.waitUntil(lambda: gains_ready(panel))
    exact = engine.opportunity_gains(window.document.project, "now")
    value = KPI_BY_KEY["value"]
    assert [row[4] for row in panel.list.row_texts()] == \
        [gain_text(value, exact.gains[oid]["value"]) for oid in three]
    panel.select(three[0])
    shown = panel.editor.gains.texts()
    loyalty = KPI_BY_KEY["loyalty_index"]
    assert shown["Loyalty index"] == gain_text(loyalty, exact.gains[three[0]]["loyalty_index"])
    assert shown["Referral R"] == gain_text(KPI_BY_KEY["referral_r"],
                                            exact.gains[three[0]]["referral_r"])
    # Beside each gain, the journey's figure now and with the opportunity alone.
    now = exact.base["loyalty_index"]
    after = now + exact.gains[three[0]]["loyalty_index"]
    assert panel.editor.gains.rows()["Loyalty index"] == (
        format_value(loyalty, 100 * now), format_value(loyalty, 100 * after),
        shown["Loyalty index"])
    assert not panel.editor.gains.isColumnHidden(1)


def test_an_edit_greys_the_gains_until_the_new_ones_come(
        qtbot: QtBot, window: MainWindow, panel: OpportunitiesPanel, three: list[str]) -> None:
    doc = window.document
    qtbot.waitUntil(lambda: gains_ready(panel))
    panel.select(three[1])
    before = panel.editor.gains.texts()
    type_into(qtbot, panel.editor.changes.after, "0.9")  # Website: satisfaction 0.5 -> 0.9
    click(qtbot, panel.editor.changes.set_button)
    assert panel.figures.gains() is None, "the old gains are not current any more"
    assert not panel.editor.gains.isEnabled(), "greyed while they are recomputed"
    qtbot.waitUntil(lambda: gains_ready(panel))
    assert panel.editor.gains.isEnabled()
    exact = engine.opportunity_gains(doc.project, "now")
    assert panel.editor.gains.texts()["Customer value"] == gain_text(
        KPI_BY_KEY["value"], exact.gains[three[1]]["value"])
    assert panel.editor.gains.texts() != before
    doc.undo_stack.undo()
    qtbot.waitUntil(lambda: gains_ready(panel) and panel.editor.gains.texts() == before)


def test_the_matrix_hover_tells_and_a_click_selects(qtbot: QtBot, window: MainWindow,
                                                    panel: OpportunitiesPanel,
                                                    three: list[str]) -> None:
    qtbot.waitUntil(lambda: gains_ready(panel))
    panel.tabs.setCurrentWidget(panel.matrix)
    matrix = panel.matrix
    qtbot.waitUntil(lambda: len(matrix.points) == 3)
    assert set(matrix.quadrant_labels) == {"Quick wins", "Big bets", "Fill-ins", "Money pits"}
    viewport = matrix.plot_widget.viewport()
    at = matrix.point_position(three[2]).toPoint()
    qtbot.mouseMove(viewport, at)
    qtbot.waitUntil(lambda: matrix.hovered is not None)
    assert matrix.hovered.opportunity_id == three[2]
    assert "Shop staff training" in matrix.hovered.details
    assert "Cost 60" in matrix.hovered.details
    qtbot.mouseMove(viewport, QPoint(3, 3))
    qtbot.waitUntil(lambda: matrix.hovered is None)
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=at)
    qtbot.waitUntil(lambda: panel.list.current() == three[2])
    assert panel.tabs.currentWidget() is panel.splitter
    assert panel.editor.title_edit.text() == "Shop staff training"


def test_the_matrix_points_are_reached_and_selected_from_the_keyboard(
        qtbot: QtBot, window: MainWindow, panel: OpportunitiesPanel, three: list[str]) -> None:
    qtbot.waitUntil(lambda: gains_ready(panel))
    panel.tabs.setCurrentWidget(panel.matrix)
    matrix = panel.matrix
    qtbot.waitUntil(lambda: len(matrix.points) == 3)
    # Tab from the tab bar into the chart: the keyboard starts on the cheapest point.
    panel.tabs.tabBar().setFocus()
    qtbot.keyClick(panel.tabs.tabBar(), Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: matrix.plot_widget.hasFocus())
    costs = {p.opportunity_id: p.cost for p in matrix.points}
    assert matrix.current is not None and matrix.current.cost == min(costs.values())
    assert matrix._tip is not None and matrix._tip.isVisible(), "its details show as on hover"
    assert matrix.current.title in matrix.plot_widget.accessibleDescription()
    qtbot.keyClick(matrix.plot_widget, Qt.Key.Key_End)
    assert matrix.current.cost == max(costs.values())
    qtbot.keyClick(matrix.plot_widget, Qt.Key.Key_Left)
    assert matrix.current.cost == sorted(costs.values())[1], "the nearest point to the left"
    qtbot.keyClick(matrix.plot_widget, Qt.Key.Key_Home)
    assert matrix.current.cost == min(costs.values())
    qtbot.keyClick(matrix.plot_widget, Qt.Key.Key_Left)
    assert matrix.current.cost == min(costs.values()), "nothing further that way: it stays"
    qtbot.keyClick(matrix.plot_widget, Qt.Key.Key_Right)
    chosen = matrix.current.opportunity_id
    qtbot.keyClick(matrix.plot_widget, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.list.current() == chosen)
    assert panel.tabs.currentWidget() is panel.splitter


def test_typing_a_budget_shows_the_plan_and_keeps_it_with_the_journey(
        qtbot: QtBot, window: MainWindow, panel: OpportunitiesPanel, three: list[str]) -> None:
    doc = window.document
    rank_by_loyalty(qtbot, panel)
    panel.tabs.setCurrentWidget(panel.plan_view)
    view = panel.plan_view
    type_into(qtbot, view.budget_spin, "70")
    qtbot.waitUntil(lambda: plan_ready(panel) and panel.figures.question.budget == 70)
    qtbot.waitUntil(lambda: view.funded.rowCount() > 0)
    best = engine.plan(doc.project, "now", 70.0, {"loyalty_index": 1.0})
    assert best.chosen, "the sample's plan funds something at this budget"
    titles = {o.id: o.title for o in doc.journey("now").opportunities}
    assert [view.funded.item(r, 0).text() for r in range(view.funded.rowCount())] == \
        [titles[oid] for oid in best.chosen]
    assert score_text({"loyalty_index": 1.0}, best.score) in view.summary.text()
    loyalty = KPI_BY_KEY["loyalty_index"]
    now, then = best.before["loyalty_index"], best.before["loyalty_index"] + best.score
    assert (f"Loyalty index: {format_value(loyalty, 100 * now)} → "
            f"{format_value(loyalty, 100 * then)} (<b>") in view.summary.text()
    # What the plan does to each figure: now, with the plan, and the change.
    r = KPI_BY_KEY["referral_r"]
    rows = view.gains.rows()
    assert rows["Loyalty index"] == (
        format_value(loyalty, 100 * best.before["loyalty_index"]),
        format_value(loyalty, 100 * (best.before["loyalty_index"]
                                     + best.gains["loyalty_index"])),
        gain_text(loyalty, best.gains["loyalty_index"]))
    assert rows["Referral R"][:2] == (
        format_value(r, best.before["referral_r"]),
        format_value(r, best.before["referral_r"] + best.gains["referral_r"]))
    assert "left" in view.summary.text()
    assert view.frontier_items["budget"].value() == 70
    assert doc.journey("now").plan is not None and doc.journey("now").plan.budget == 70
    doc.undo_stack.undo()
    qtbot.waitUntil(lambda: view.budget() != 70)


def test_make_a_future_state_from_the_plan_is_one_step_ready_for_compare(
        qtbot: QtBot, window: MainWindow, panel: OpportunitiesPanel, three: list[str]) -> None:
    doc = window.document
    rank_by_loyalty(qtbot, panel)
    panel.tabs.setCurrentWidget(panel.plan_view)
    type_into(qtbot, panel.plan_view.budget_spin, "200")
    qtbot.waitUntil(lambda: plan_ready(panel) and panel.plan_view.future_button.isEnabled()
                    and panel.figures.question.budget == 200)
    steps = doc.undo_stack.count()
    click(qtbot, panel.plan_view.future_button)
    assert len(doc.project.journeys) == 2
    future = doc.project.journeys[1]
    assert future.name == "Future state: Kind help desk + Clearer website + Shop staff " \
        "training"
    assert future.touchpoints["help"].satisfaction == 0.6
    assert window.analysis.compare.pair() == ("now", future.id)
    assert doc.undo_stack.count() == steps + 1
    doc.undo_stack.undo()
    assert [j.id for j in doc.project.journeys] == ["now"]
    doc.undo_stack.redo()
    assert [j.id for j in doc.project.journeys] == ["now", future.id]


def test_a_weighted_objective_ranks_by_the_weights(qtbot: QtBot, window: MainWindow,
                                                   panel: OpportunitiesPanel,
                                                   three: list[str]) -> None:
    bar = panel.objective
    rank_by_loyalty(qtbot, panel)
    qtbot.keyClick(bar.combo, Qt.Key.Key_End)  # "Weighted…"
    assert bar.weights_box.isVisible()
    assert bar.objective() == {"loyalty_index": 1.0}, "weighting starts from the KPI"
    type_into(qtbot, bar.weights["loyalty_index"], "0")
    type_into(qtbot, bar.weights["value"], "1")
    type_into(qtbot, bar.weights["referral_r"], "50")
    assert bar.objective() == {"value": 1.0, "referral_r": 50.0}
    qtbot.waitUntil(lambda: plan_ready(panel) and dict(panel.figures.plan().value.objective)
                    == {"value": 1.0, "referral_r": 50.0})
    assert window.document.journey("now").plan.objective == {"value": 1.0, "referral_r": 50.0}


@pytest.mark.parametrize("theme_name", ["light", "dark"])
def test_every_tab_in_both_themes(qtbot: QtBot, window: MainWindow, panel: OpportunitiesPanel,
                                  three: list[str], theme_name: str) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme = ThemeManager(app)
    try:
        theme.set_choice(theme_name)
        colours = palette.DARK if theme_name == "dark" else palette.LIGHT
        qtbot.waitUntil(lambda: gains_ready(panel) and plan_ready(panel))
        for tab in (panel.splitter, panel.matrix, panel.plan_view):
            panel.tabs.setCurrentWidget(tab)
            qtbot.wait(20)
            assert tab.isVisible()
        for chart in (panel.plan_view.frontier, panel.matrix.plot_widget):
            qtbot.waitUntil(lambda chart=chart: chart.backgroundBrush().color()
                            == colours.card_fill)
        image = panel.plan_view.frontier.grab().toImage()
        assert image.pixelColor(image.width() - 3, 3) == colours.card_fill
        image = panel.matrix.plot_widget.grab().toImage()
        # Most of the right edge (a dashed zero line or a grid line may cross it anywhere)
        column = [image.pixelColor(image.width() - 3, y) for y in range(image.height())]
        assert sum(c == colours.card_fill for c in column) > 0.8 * len(column)
        assert len(panel.matrix.points) == 3
    finally:
        theme.set_choice("system")


def test_the_matrix_ticks_read_in_the_objective_own_units(
        qtbot: QtBot, window: MainWindow, panel: OpportunitiesPanel, three: list[str]) -> None:
    """Referral R gains are a few hundredths: the axis says 0.04, not 40 (pyqtgraph's SI
    prefix, switched off, once scaled the ticks by 1000 after a redraw)."""
    panel.tabs.setCurrentWidget(panel.matrix)
    combo = panel.objective.combo
    combo.setCurrentIndex(combo.findData("referral_r"))
    qtbot.waitUntil(lambda: gains_ready(panel) and len(panel.matrix.points) == 3)
    panel.matrix.show_points(*panel.matrix._shown[:5])  # a redraw, as a theme change does
    plot = panel.matrix.plot_widget.getPlotItem()
    left = plot.getAxis("left")
    assert left.autoSIPrefixScale == 1.0
    (_, _), (low, high) = plot.getViewBox().viewRange()
    assert high < 1.0, "the points are a few hundredths"
    assert max(p.score for p in panel.matrix.points) < high

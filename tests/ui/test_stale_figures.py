"""The report that led to the analysis service, replayed in the whole window.

Open the retail sample, pick a tab of the Analysis dock, click "Calls about a late or
damaged delivery" on the map and drag its satisfaction slider in the Inspector. Every
figure on screen (KPI cards, the map's loyalty badges, the Touchpoints table, the
By segment table) must then be the engine's for the new revision, in every tab of the
dock and in both themes, with no exception in any view. Real mouse events throughout.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QSlider, QStyle, QStyleOptionSlider
from pytestqt.qtbot import QtBot

from cx_mapper.domain.satisfaction import csat
from cx_mapper.engine.analysis import analyze
from cx_mapper.persistence.files import read_project
from cx_mapper.ui.analysis.dock import AnalysisPanel
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.canvas import overlay
from cx_mapper.ui.editor.fields import SatisfactionEditor
from cx_mapper.ui.look import palette
from cx_mapper.ui.look.theme import ThemeManager
from cx_mapper.ui.main_window import MainWindow
from tests.factories import RETAIL_SAMPLE
from tests.ui.analysis.checks import (
    DOCK_TABS,
    LATE_DELIVERY_CALL,
    assert_shows_the_engines_figures,
)

SAMPLE = RETAIL_SAMPLE


@pytest.fixture
def theme() -> Iterator[ThemeManager]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    manager = ThemeManager(app)
    yield manager
    manager.set_choice("system")


@pytest.fixture
def window(qtbot: QtBot, recovery_folder: str, theme: ThemeManager,
           no_modal_questions: None) -> MainWindow:
    win = MainWindow(ProjectDocument(read_project(SAMPLE)), theme=theme,
                     recovery_folder=recovery_folder)
    qtbot.addWidget(win)
    win.resize(1600, 1000)
    win.show()
    qtbot.waitExposed(win)
    assert win.tabs.show_journey("current") is not None
    qtbot.waitUntil(lambda: is_current(win))
    return win


def is_current(window: MainWindow) -> bool:
    panel = window.analysis
    return (panel.result is not None and not panel.is_updating()
            and window.document.analysis.analysis("current") is not None
            and all(not card.is_stale() for card in scene_cards(window)))


def scene_cards(window: MainWindow) -> list:
    scene = window.tabs.scene
    assert scene is not None
    return list(scene.cards().values())


def click_tab(panel: AnalysisPanel, qtbot: QtBot, name: str) -> None:
    bar = panel.charts.tabs.tabBar()
    index = [bar.tabText(i) for i in range(bar.count())].index(name)
    assert bar.rect().contains(bar.tabRect(index))  # every tab in sight at this size
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert bar.tabText(bar.currentIndex()) == name


def click_card(window: MainWindow, qtbot: QtBot, touchpoint_id: str) -> None:
    view = window.tabs.view
    scene = window.tabs.scene
    assert view is not None and scene is not None
    card = scene.card(touchpoint_id)
    view.centerOn(card)
    # The card's name, left of centre: clear of the connection handle on its right edge.
    rect = card.sceneBoundingRect()
    where = view.mapFromScene(QPointF(rect.center().x() - rect.width() / 6, rect.center().y()))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert scene.selected_touchpoints() == [touchpoint_id]


def slider_point(slider: QSlider, value: int) -> QPoint:
    """Where on the groove the handle's centre sits for `value`."""
    option = QStyleOptionSlider()
    slider.initStyleOption(option)
    style = slider.style()
    groove = style.subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                  QStyle.SubControl.SC_SliderGroove, slider)
    handle = style.subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                  QStyle.SubControl.SC_SliderHandle, slider)
    span = groove.width() - handle.width()
    x = QStyle.sliderPositionFromValue(slider.minimum(), slider.maximum(), value, span)
    return QPoint(groove.left() + x + handle.width() // 2, handle.center().y())


def drag_slider(slider: QSlider, qtbot: QtBot, start: int, end: int) -> None:
    """Press on the handle, move in steps with the button held, release."""
    left = Qt.MouseButton.LeftButton
    qtbot.mousePress(slider, left, pos=slider_point(slider, start))
    for step in range(1, 9):
        point = QPointF(slider_point(slider, start + (end - start) * step // 8))
        move = QMouseEvent(QEvent.Type.MouseMove, point, slider.mapToGlobal(point),
                           Qt.MouseButton.NoButton, left, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(slider, move)
        qtbot.wait(5)
    qtbot.mouseRelease(slider, left, pos=slider_point(slider, end))


def satisfaction_slider(window: MainWindow) -> QSlider:
    form = window.inspector.current_form()
    assert form is not None
    editor = form.editor("satisfaction")
    assert isinstance(editor, SatisfactionEditor)
    return editor.slider


def assert_every_figure_is_current(window: MainWindow) -> None:
    assert_shows_the_engines_figures(window.analysis, window.document)
    expected = analyze(window.document.project, "current")
    for card in scene_cards(window):
        loyalty = float(expected.touchpoints.loyalty[expected.index(card.touchpoint.id)])
        assert card.loyalty_badge() == overlay.loyalty_text(loyalty), card.touchpoint.id
        assert not card.is_stale()


@pytest.mark.parametrize("tab", DOCK_TABS)
@pytest.mark.parametrize("theme_name", ["light", "dark"])
def test_a_slider_drag_leaves_every_figure_current_in_every_tab(
        window: MainWindow, qtbot: QtBot, tab: str, theme_name: str) -> None:
    window.theme_actions[theme_name].trigger()
    assert palette.is_dark() == (theme_name == "dark")
    click_tab(window.analysis, qtbot, tab)
    click_card(window, qtbot, LATE_DELIVERY_CALL)
    before = window.analysis.kpis.values()
    badge_before = window.tabs.scene.card(LATE_DELIVERY_CALL).loyalty_badge()
    slider = satisfaction_slider(window)
    start = slider.value()
    assert f"{csat(start / slider.maximum()):.1f}" == "1.8"  # as in the report

    drag_slider(slider, qtbot, start, round(slider.maximum() * 0.85))  # CSAT 4.7
    touchpoint = window.document.journey("current").touchpoint(LATE_DELIVERY_CALL)
    assert f"{csat(touchpoint.satisfaction):.1f}" == "4.7"
    assert window.document.undo_stack.count() == 1  # the whole drag is one step
    qtbot.waitUntil(lambda: is_current(window))
    assert_every_figure_is_current(window)
    assert window.analysis.kpis.values() != before
    assert window.tabs.scene.card(LATE_DELIVERY_CALL).loyalty_badge() != badge_before

    window.document.undo_stack.undo()
    qtbot.waitUntil(lambda: is_current(window))
    assert_every_figure_is_current(window)
    assert window.analysis.kpis.values() == before
    window.document.undo_stack.redo()
    qtbot.waitUntil(lambda: is_current(window))
    assert_every_figure_is_current(window)


def test_switching_theme_with_a_table_tab_open_keeps_the_figures(
        window: MainWindow, qtbot: QtBot) -> None:
    click_tab(window.analysis, qtbot, "Touchpoints")
    for name in ("dark", "light", "dark"):
        window.theme_actions[name].trigger()
        qtbot.wait(10)
        assert_every_figure_is_current(window)


def every_tab(window: MainWindow, qtbot: QtBot) -> None:
    """Click through every tab of the Analysis dock, as a curious user would."""
    for tab in DOCK_TABS:
        click_tab(window.analysis, qtbot, tab)
        qtbot.wait(5)


@pytest.mark.parametrize("theme_name", ["light", "dark"])
def test_a_new_blank_project_shows_why_there_are_no_figures_in_every_tab(
        window: MainWindow, qtbot: QtBot, theme_name: str) -> None:
    window.theme_actions[theme_name].trigger()
    blank = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_N, blank)  # File > New blank project
    assert window.document.path is None
    qtbot.waitUntil(lambda: not window.analysis.is_busy())
    every_tab(window, qtbot)
    shown = window.analysis.kpis.message_text()
    assert shown and window.analysis.result is None  # a reason, never stale figures
    assert window.analysis.kpis.values() == {}


def test_a_big_map_stays_current_in_every_tab(
        qtbot: QtBot, recovery_folder: str, no_modal_questions: None) -> None:
    """2,000 touchpoints: analysed on a worker; every tab still shows the new revision."""
    from cx_mapper.ui.document.analysis_service import LIVE_REMOVAL_LIMIT
    from tests.benchmarks.journeys import random_journey

    project = random_journey(2_000, seed=7)
    journey_id = project.journeys[0].id
    win = MainWindow(ProjectDocument(project), recovery_folder=recovery_folder)
    qtbot.addWidget(win)
    win.resize(1600, 1000)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.analysis.result is not None, timeout=30_000)
    touchpoint = next(iter(project.journeys[0].touchpoints))
    for tab, value in (("Touchpoints", 0.8), ("By segment", -0.6), ("Loyalty", 0.1)):
        click_tab(win.analysis, qtbot, tab)
        win.document.set_touchpoint_fields(journey_id, [touchpoint], satisfaction=value)
        assert win.analysis.result is None  # greyed at once, never stale as current
        qtbot.waitUntil(lambda: win.analysis.result is not None
                        and not win.analysis.is_updating(), timeout=30_000)
        expected = analyze(win.document.project, journey_id, removal_limit=LIVE_REMOVAL_LIMIT)
        assert win.analysis.result.totals == expected.totals
        rows = win.analysis.table.row_count()
        assert rows == len(project.journeys[0].touchpoints)


def test_dragging_a_card_keeps_every_figure_current_without_a_new_analysis(
        window: MainWindow, qtbot: QtBot) -> None:
    """A move changes no figure: nothing greys, the dock is not redrawn and the same
    analysis stays on show (it used to be analysed and redrawn after every drag)."""
    panel, service = window.analysis, window.document.analysis
    shown = service.analysis("current")
    redrawn: list[object] = []
    pending: list[object] = []
    panel.analysis_changed.connect(redrawn.append)
    service.analysis_pending.connect(lambda *args: pending.append(args))
    view, scene = window.tabs.view, window.tabs.scene
    assert view is not None and scene is not None
    touchpoint = next(iter(window.document.journey("current").touchpoints))
    card = scene.card(touchpoint)
    view.centerOn(card)
    rect = card.sceneBoundingRect()
    start = view.mapFromScene(QPointF(rect.center().x() - rect.width() / 6,
                                      rect.center().y()))
    end = start + QPoint(0, 60)  # down, within its lane
    viewport = view.viewport()
    before = (card.x(), card.y())
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 5):
        qtbot.mouseMove(viewport, start + (end - start) * step / 4)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    qtbot.waitUntil(lambda: (card.x(), card.y()) != before)
    assert window.document.undo_stack.count() >= 1, "the drag was an edit"
    assert is_current(window)
    assert service.analysis("current") is shown and panel.result is shown
    assert pending == [] and redrawn == []

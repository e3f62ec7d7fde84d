"""Auto-layout of a big journey, as a user meets it: the window stays live with progress
and Cancel, the layout is one undo step, and undo puts the map back at once.

Ctrl+Shift+L with a real key press; Cancel with a real click. Speeds are measured in
tests/benchmarks/test_big_map_speed.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from cx_mapper.engine.layout import layout_by_stage
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.auto_layout import IN_BACKGROUND_FROM
from cx_mapper.ui.main_window import MainWindow
from tests.benchmarks.journeys import random_journey

TOUCHPOINTS = 420  # over IN_BACKGROUND_FROM, and drawn in slices


@pytest.fixture
def big_window(qtbot: QtBot, recovery_folder: str, no_modal_questions: None) -> MainWindow:
    project = random_journey(TOUCHPOINTS, transitions_per_touchpoint=4, seed=2)
    win = MainWindow(ProjectDocument(project), recovery_folder=recovery_folder)
    qtbot.addWidget(win)
    win.resize(1300, 850)
    win.show()
    qtbot.waitExposed(win)
    scene = win.tabs.scene
    assert scene is not None
    qtbot.waitUntil(lambda: not scene.is_drawing(), timeout=30_000)
    return win


def places(window: MainWindow) -> dict[str, tuple[float, float]]:
    journey = window.document.project.journeys[0]
    return {t.id: (t.x, t.y) for t in journey.touchpoints.values()}


def press_auto_layout(qtbot: QtBot, window: MainWindow) -> None:
    view = window.tabs.view
    assert view is not None
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)


def settled(window: MainWindow) -> bool:
    scene = window.tabs.scene
    return (not window.layouts.is_running() and scene is not None
            and not scene.is_drawing() and not window.progress.is_busy())


def test_auto_layout_of_a_big_journey_keeps_the_window_live_and_is_one_step(
        qtbot: QtBot, big_window: MainWindow) -> None:
    window = big_window
    journey = window.document.project.journeys[0]
    assert len(journey.touchpoints) >= IN_BACKGROUND_FROM
    before = places(window)
    expected = layout_by_stage(journey.copy())
    steps = window.document.undo_stack.count()
    shown: list[str] = []
    show = window.progress.show_progress

    def spied(owner: object, text: str, *args: Any) -> None:
        shown.append(text)
        show(owner, text, *args)

    window.progress.show_progress = spied  # type: ignore[method-assign, assignment]
    routing: list[bool] = []
    window.layouts.applied.connect(lambda _j: routing.append(window.tabs.scene.is_drawing()))

    press_auto_layout(qtbot, window)
    assert places(window) == before, "worked out off the GUI thread: nothing moved yet"
    assert window.progress.is_busy() and window.progress.text() == "Laying out the journey…"
    cancel = window.progress.findChild(QPushButton)
    assert cancel is not None and cancel.isVisibleTo(window.progress)
    qtbot.waitUntil(lambda: settled(window), timeout=30_000)

    assert places(window) == {t: expected[t] for t in before}
    assert window.document.undo_stack.count() == steps + 1
    assert window.document.undo_stack.undoText() == "Auto-layout"
    assert shown[0] == "Laying out the journey…" and "Routing the arrows…" in shown
    assert routing == [True], "the arrows were routed in slices after the step was applied"
    assert not window.progress.isVisible()


class _Resizes(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        self.count += event.type() == QEvent.Type.Resize
        return False


def test_the_view_fitting_the_laid_out_map_settles(
        qtbot: QtBot, big_window: MainWindow) -> None:
    """Laid out by stage, the map is tall and narrow; the view fits it with room for the
    key, and scroll bars once came and went for ever (each resizing the viewport, which
    fitted again), keeping a core busy."""
    window = big_window
    view = window.tabs.view
    assert view is not None
    press_auto_layout(qtbot, window)
    qtbot.waitUntil(lambda: settled(window), timeout=30_000)
    assert view.fits_automatically()
    qtbot.wait(100)
    resizes = _Resizes()
    view.viewport().installEventFilter(resizes)
    qtbot.wait(300)
    assert resizes.count == 0


def test_undo_puts_the_map_back_at_once_and_redo_again(
        qtbot: QtBot, big_window: MainWindow) -> None:
    window = big_window
    scene = window.tabs.scene
    assert scene is not None
    before, arrows_before = places(window), scene.arrows()
    geometry = {key: arrow.path().boundingRect() for key, arrow in arrows_before.items()}
    press_auto_layout(qtbot, window)
    qtbot.waitUntil(lambda: settled(window), timeout=30_000)
    after, arrows_after = places(window), scene.arrows()

    window.document.undo_stack.undo()
    scene.content_rect()  # the lanes follow the cards back
    assert places(window) == before
    assert {t: (c.x(), c.y()) for t, c in scene.cards().items()} == before
    assert not scene.is_drawing(), "undo routes nothing: the arrows from before come back"
    assert {key: arrow.path().boundingRect() for key, arrow in scene.arrows().items()} == \
        geometry
    window.document.undo_stack.redo()
    scene.content_rect()
    assert places(window) == after and not scene.is_drawing()
    assert all(scene.arrow(key) is arrow for key, arrow in arrows_after.items())


def test_cancel_leaves_the_journey_as_it_was(qtbot: QtBot, big_window: MainWindow) -> None:
    window = big_window
    before = places(window)
    steps = window.document.undo_stack.count()
    press_auto_layout(qtbot, window)
    cancel: Any = window.progress.findChild(QPushButton)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settled(window), timeout=30_000)
    qtbot.wait(200)  # a layout that was not really stopped would land about now
    assert places(window) == before
    assert window.document.undo_stack.count() == steps
    assert not window.progress.isVisible()

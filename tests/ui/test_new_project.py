"""A new project: it starts from the five-stage template, its first card is where customers
enter, every message names things as the user does, and a drawn card's id follows the name
it is first given."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.templates import FIVE_STAGES
from cx_mapper.persistence.json_format import read_project
from cx_mapper.ui.editor.canvas.scene import CanvasScene
from cx_mapper.ui.editor.canvas.view import CanvasView
from cx_mapper.ui.main_window import MainWindow
from tests.factories import state

pytestmark = pytest.mark.usefixtures("no_modal_questions")

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def active(qtbot: QtBot, window: MainWindow) -> MainWindow:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def view_of(window: MainWindow) -> CanvasView:
    view = window.tabs.view
    assert view is not None
    return view


def scene_of(window: MainWindow) -> CanvasScene:
    scene = window.tabs.scene
    assert scene is not None
    return scene


def current(window: MainWindow) -> Journey:
    journey_id = window.tabs.journey_id
    assert journey_id is not None
    return window.document.journey(journey_id)


def keys(qtbot: QtBot, window: MainWindow, key: Qt.Key, modifiers: Qt.KeyboardModifier = NONE
         ) -> None:
    view = view_of(window)
    view.setFocus()
    qtbot.keyClick(view.viewport(), key, modifiers)


def draw_card(qtbot: QtBot, window: MainWindow, x: float, y: float) -> QPoint:
    """Double-click empty canvas at scene (x, y): a new card, its name open for typing."""
    view = view_of(window)
    point = view.mapFromScene(QPointF(x, y))
    qtbot.mouseDClick(view.viewport(), LEFT, NONE, point)
    assert scene_of(window).is_editing()
    return point


def name_it(qtbot: QtBot, window: MainWindow, name: str) -> None:
    viewport = view_of(window).viewport()
    editor = scene_of(window).editor()
    assert editor is not None
    editor.line_edit().selectAll()
    qtbot.keyClicks(viewport, name)
    qtbot.keyClick(viewport, Qt.Key.Key_Return)


def test_file_new_starts_from_the_five_stage_template(qtbot: QtBot, active: MainWindow) -> None:
    keys(qtbot, active, Qt.Key.Key_N, CTRL)
    journey = current(active)
    assert [s.name for s in journey.stages] == [name for _, name in FIVE_STAGES]
    assert len(scene_of(active).lanes()) == 5 and journey.touchpoints
    assert active.problems.counts() == (0, 0)
    assert active.validation_label.text() == "✓ No problems"
    qtbot.waitUntil(lambda: active.analysis.result is not None)

    keys(qtbot, active, Qt.Key.Key_N, CTRL | SHIFT)  # File > New blank project
    blank = current(active)
    assert not blank.stages and not blank.touchpoints
    assert active.action("new_blank").text().replace("&", "") == "New blank project"


def test_file_new_service_blueprint(qtbot: QtBot, active: MainWindow) -> None:
    """File > New service blueprint: the customer's actions above the touchpoints, then
    frontstage, backstage and support; the starters analyse at once."""
    action = active.action("new_blueprint")
    assert action in active.menuBar().actions()[0].menu().actions()
    action.trigger()
    journey = current(active)
    kinds = [lane.kind for lane in journey.lanes]
    assert (kinds[:journey.lanes_above], kinds[journey.lanes_above:]) == (
        ["actions"], ["frontstage", "backstage", "support"])
    assert active.problems.counts() == (0, 0) and not active.document.is_modified
    qtbot.waitUntil(lambda: active.analysis.result is not None)


def test_the_first_card_of_a_journey_is_its_entry_in_the_same_step(
        qtbot: QtBot, active: MainWindow) -> None:
    keys(qtbot, active, Qt.Key.Key_N, CTRL | SHIFT)
    document = active.document
    before = state(document.project)
    draw_card(qtbot, active, 100, 100)
    name_it(qtbot, active, "Sees a post")
    journey = current(active)
    (first,) = journey.touchpoints.values()
    assert first.entry == 1.0
    qtbot.waitUntil(lambda: active.problems.counts() == (0, 1))  # a dead end, not an error
    qtbot.waitUntil(lambda: active.analysis.result is not None)

    second_point = draw_card(qtbot, active, 400, 100)
    name_it(qtbot, active, "Visits the site")
    assert journey.touchpoint("visits-the-site").entry == 0.0, "only the first is the entry"
    assert second_point is not None

    stack = document.undo_stack
    assert stack.count() == 4  # two cards, two names
    for _ in range(4):
        stack.undo()
    assert state(document.project) == before
    stack.redo()
    (first,) = current(active).touchpoints.values()
    assert first.entry == 1.0 and first.name == "New touchpoint"


def test_a_drawn_card_takes_its_id_from_its_first_name(
        qtbot: QtBot, active: MainWindow, tmp_path: Path) -> None:
    document = active.document
    draw_card(qtbot, active, 120, 420)
    qtbot.keyClick(view_of(active).viewport(), Qt.Key.Key_Escape)  # named later
    journey = current(active)
    (drawn,) = [t for t in journey.touchpoints if t.startswith("new-touchpoint")]
    document.connect_touchpoints(journey.id, "ad", drawn, 0.1)
    scene = scene_of(active)
    scene.select([drawn])
    before = state(document.project)

    keys(qtbot, active, Qt.Key.Key_F2)
    name_it(qtbot, active, "Calls the helpline")
    assert "calls-the-helpline" in journey.touchpoints and drawn not in journey.touchpoints
    assert ("ad", "calls-the-helpline") in journey.transitions
    assert scene.selected_touchpoints() == ["calls-the-helpline"], "it stays selected"
    assert set(scene.cards()) == set(journey.touchpoints)
    assert active.inspector.selected_touchpoints() == ["calls-the-helpline"]
    after = state(document.project)

    document.undo_stack.undo()
    assert state(document.project) == before
    assert scene.selected_touchpoints() == [drawn] and set(scene.arrows()) == set(
        journey.transitions)
    document.undo_stack.redo()
    assert state(document.project) == after

    # A later rename keeps the id: other files and scripts may use it by now.
    keys(qtbot, active, Qt.Key.Key_F2)
    name_it(qtbot, active, "Phones us")
    assert journey.touchpoint("calls-the-helpline").name == "Phones us"

    # Another card named alike gets an id of its own.
    draw_card(qtbot, active, 420, 420)
    name_it(qtbot, active, "Calls the helpline")
    assert journey.touchpoint("calls-the-helpline-2").name == "Calls the helpline"

    path = tmp_path / "named.json"
    active.files.export_json(str(path))
    read_back = read_project(path).journey(journey.id)  # the strict reader accepts it
    assert ("ad", "calls-the-helpline") in read_back.transitions
    assert json.loads(path.read_text())["format"] == "cx-mapper/1"


def test_naming_in_the_inspector_gives_the_id_too(qtbot: QtBot, active: MainWindow) -> None:
    draw_card(qtbot, active, 120, 420)
    qtbot.keyClick(view_of(active).viewport(), Qt.Key.Key_Escape)
    form = active.inspector.current_form()
    assert form is not None
    name = form.editor("name").line_edit  # type: ignore[attr-defined]
    name.setFocus()
    name.selectAll()
    qtbot.keyClicks(name, "Reads a review")
    qtbot.keyClick(name, Qt.Key.Key_Return)
    assert "reads-a-review" in current(active).touchpoints
    assert scene_of(active).selected_touchpoints() == ["reads-a-review"]
    assert QApplication.focusWidget() is name, "the cursor stays in the name field"


def test_a_blocked_analysis_names_the_journey_and_the_touchpoint(
        qtbot: QtBot, active: MainWindow) -> None:
    document = active.document
    document.rename_touchpoint("now", "help", "Calls the helpline")
    document.connect_touchpoints("now", "help", "site", 0.9)  # 20% + 90% leave "help"
    qtbot.waitUntil(lambda: active.analysis.reason is not None)
    message = html.unescape(active.analysis.kpis.message_text())
    assert "journey 'Current state'" in message
    assert "touchpoint 'Calls the helpline'" in message
    assert "'now'" not in message and "'help'" not in message
    active.problems.refresh()
    tip = active.problems.view.topLevelItem(0).toolTip(0)
    assert "touchpoint 'Calls the helpline'" in tip and "'help'" not in tip

"""An opportunity that adds a touchpoint, made in the app: "New touchpoint…" under the
changes table, its fields and ways in and out as rows, editing and removing them, each
one undo step; its exact gains; and the future state that gets the card."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from cx_mapper.engine.layout import place_new
from cx_mapper.ui.main_window import MainWindow
from cx_mapper.ui.plan.dock import OpportunitiesPanel
from cx_mapper.ui.plan.new_touchpoint import NAME_REQUIRED, NewTouchpointDialog
from tests.ui.plan.gui import click, click_row, type_into

pytestmark = pytest.mark.usefixtures("no_modal_questions")


def open_dialog(qtbot: QtBot, panel: OpportunitiesPanel) -> NewTouchpointDialog:
    click(qtbot, panel.editor.changes.new_touchpoint_button)
    qtbot.waitUntil(lambda: panel.editor.changes.dialog is not None
                    and panel.editor.changes.dialog.isVisible())
    dialog = panel.editor.changes.dialog
    assert dialog is not None
    return dialog


def choose(combo: object, text: str) -> None:
    index = combo.findText(text)  # type: ignore[attr-defined]
    assert index >= 0, f"{text!r} is not offered"
    combo.setCurrentIndex(index)  # type: ignore[attr-defined]


def add_video_call(qtbot: QtBot, panel: OpportunitiesPanel) -> None:
    """Video call, reached from Site (20%), going on to Help (50%), satisfaction +0.5."""
    dialog = open_dialog(qtbot, panel)
    type_into(qtbot, dialog.name_edit, "Video call", enter=False)
    choose(dialog.from_combo, "Site")
    assert dialog.stage_combo.currentText() == "Purchase", "starts in the stage it is reached in"
    type_into(qtbot, dialog.from_chance, "20", enter=False)
    choose(dialog.to_combo, "Help")
    type_into(qtbot, dialog.to_chance, "50", enter=False)
    choose(dialog.channel_combo, "Website")
    type_into(qtbot, dialog.satisfaction_spin, "0.5", enter=False)
    click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Ok))
    qtbot.waitUntil(lambda: panel.editor.changes.dialog is None)


def test_a_new_touchpoint_with_its_ways_is_one_step(
        qtbot: QtBot, window: MainWindow, panel: OpportunitiesPanel, three: list[str]) -> None:
    doc = window.document
    click_row(qtbot, panel.list.table, 1)  # "Clearer website": Site satisfaction 0.5
    changes = panel.editor.changes
    before = changes.rows()
    add_video_call(qtbot, panel)
    qtbot.waitUntil(lambda: len(changes.rows()) == len(before) + 4)
    assert changes.rows()[:2] == [("Video call", "New touchpoint", "—", "added"),
                                  ("Video call", "Satisfaction", "—", "+0.50 (CSAT 4.0)")]
    assert ("Site → Video call", "Chance", "none", "20%") in changes.rows()
    assert ("Video call → Help", "Chance", "none", "50%") in changes.rows()
    opportunity = doc.journey("now").opportunity(three[1])
    (added,) = opportunity.changes.add_touchpoints
    assert (added.id, added.name, added.stage, added.channel, added.satisfaction) == (
        "video-call", "Video call", "buy", "web", 0.5)
    # It is placed where the map would put a new card in its stage.
    journey = doc.journey("now").copy()
    journey.touchpoints[added.id] = added
    assert (added.x, added.y) == place_new(journey, [added.id])[added.id]
    assert doc.undo_stack.count() == 1
    assert doc.journey("now").touchpoints.keys() == {"ad", "site", "shop", "help"}, \
        "the journey itself gets it only in a future state"
    doc.undo_stack.undo()
    qtbot.waitUntil(lambda: changes.rows() == before)
    doc.undo_stack.redo()
    qtbot.waitUntil(lambda: len(changes.rows()) == len(before) + 4)
    # The new touchpoint is offered wherever a touchpoint is: its value set from the rows.
    choose(changes.touchpoint, "Video call (new)")
    choose(changes.what, "Value")
    assert changes.after.value() == 0.0
    type_into(qtbot, changes.after, "30")
    click(qtbot, changes.set_button)
    qtbot.waitUntil(lambda: ("Video call", "Value", "—", "30") in changes.rows())
    assert doc.journey("now").opportunity(three[1]).changes.add_touchpoints[0].value == 30.0
    assert doc.journey("now").opportunity(three[1]).changes.touchpoints.keys() == {"site"}
    ticks = [panel.editor.touchpoint_list.item(i).text()
             for i in range(panel.editor.touchpoint_list.count())]
    assert "Video call (new)" in ticks
    # Removing the new touchpoint's row takes its ways with it, one step.
    click_row(qtbot, changes.table, 0)
    click(qtbot, changes.remove_button)
    qtbot.waitUntil(lambda: changes.rows() == before)
    assert doc.journey("now").opportunity(three[1]).changes.transitions == ()
    doc.undo_stack.undo()
    qtbot.waitUntil(lambda: len(changes.rows()) == len(before) + 5)


def test_its_gains_are_exact_and_the_future_state_gets_the_card(
        qtbot: QtBot, window: MainWindow, panel: OpportunitiesPanel, three: list[str]) -> None:
    engine = pytest.importorskip("cx_mapper.engine.plan")
    doc = window.document
    click_row(qtbot, panel.list.table, 1)
    add_video_call(qtbot, panel)
    qtbot.waitUntil(lambda: panel.figures.gains() is not None
                    and panel.figures.gains().value is not None)
    exact = engine.opportunity_gains(doc.project, "now")
    assert three[1] in exact.gains, "the opportunity with its new touchpoint is usable"
    alone = engine.bundle_gains(doc.project, "now", [three[1]])
    assert exact.gains[three[1]]["value"] == pytest.approx(alone["value"])
    assert not panel.editor.problems.isVisible()
    future = panel.make_future_state((three[1],))
    assert future is not None
    made = doc.journey(future)
    assert made.touchpoints["video-call"].name == "Video call"
    assert made.transitions[("site", "video-call")].probability == 0.2
    assert made.transitions[("video-call", "help")].probability == 0.5


def test_a_name_is_needed_and_cancel_changes_nothing(
        qtbot: QtBot, window: MainWindow, panel: OpportunitiesPanel, three: list[str]) -> None:
    doc = window.document
    click_row(qtbot, panel.list.table, 0)
    dialog = open_dialog(qtbot, panel)
    click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Ok))
    assert dialog.isVisible() and dialog.message.text() == NAME_REQUIRED
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: panel.editor.changes.dialog is None)
    assert doc.undo_stack.count() == 0
    assert doc.journey("now").opportunity(three[0]).changes.add_touchpoints == ()


def test_two_new_touchpoints_get_their_own_ids(
        qtbot: QtBot, window: MainWindow, panel: OpportunitiesPanel, three: list[str]) -> None:
    doc = window.document
    click_row(qtbot, panel.list.table, 0)
    add_video_call(qtbot, panel)
    click_row(qtbot, panel.list.table, 2)
    add_video_call(qtbot, panel)  # the same name in another opportunity
    journey = doc.journey("now")
    ids = [t.id for o in journey.opportunities for t in o.changes.add_touchpoints]
    assert ids == ["video-call", "video-call-2"], "else the plan would exclude one for the other"

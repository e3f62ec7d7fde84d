"""Segments: "Use default ranges" gives a segment's parameters their ranges for the
uncertainty analysis (one undo step), takes them away again, and the table shows them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from cx_mapper.domain.evidence import Evidence
from cx_mapper.domain.segment_ranges import default_ranges
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.segments import COLUMNS, RANGE_ROLE, SegmentsPanel
from tests.factories import state
from tests.ui.editor.panels import shown


@pytest.fixture
def panel(qtbot: QtBot, doc: ProjectDocument) -> SegmentsPanel:
    return shown(qtbot, SegmentsPanel(doc), 1200, 320)


def shown_range(panel: SegmentsPanel, name: str, row: int = 0) -> object:
    column = [c.key for c in COLUMNS].index(name)
    return panel.model.index(row, column).data(RANGE_ROLE)


def test_default_ranges_go_on_in_one_step_and_the_table_shows_them(
    qtbot: QtBot, panel: SegmentsPanel, doc: ProjectDocument
) -> None:
    segment = doc.project.segments[0]
    before = state(doc.project)
    height = panel.table.rowHeight(0)
    assert not panel.ranges_button.isChecked()
    assert shown_range(panel, "tell_positive") == ""

    qtbot.mouseClick(panel.ranges_button, Qt.MouseButton.LeftButton)
    assert doc.project.segments[0].evidence == default_ranges(segment)
    assert doc.undo_stack.count() == 1
    assert panel.ranges_button.isChecked()
    assert shown_range(panel, "tell_positive") == "11.25\u201318.75"  # 15 ± 25 %
    assert shown_range(panel, "referral_conversion") == "0.002\u20130.05 log"
    assert shown_range(panel, "initial_loyalty") == ""  # no default range
    assert panel.table.rowHeight(0) > height  # room for the second line
    after = state(doc.project)

    doc.undo_stack.undo()
    assert state(doc.project) == before
    assert not panel.ranges_button.isChecked()
    assert shown_range(panel, "spend_uplift") == ""
    doc.undo_stack.redo()
    assert state(doc.project) == after
    assert panel.ranges_button.isChecked()
    assert shown_range(panel, "spend_uplift") == "0.08\u20130.18"


def test_switching_them_off_takes_every_range_away_in_one_step(
    qtbot: QtBot, panel: SegmentsPanel, doc: ProjectDocument
) -> None:
    qtbot.mouseClick(panel.ranges_button, Qt.MouseButton.LeftButton)
    ranged = state(doc.project)
    qtbot.mouseClick(panel.ranges_button, Qt.MouseButton.LeftButton)
    assert len(doc.project.segments[0].evidence) == 0
    assert not panel.ranges_button.isChecked()
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    assert state(doc.project) == ranged
    assert panel.ranges_button.isChecked()
    doc.undo_stack.redo()
    assert len(doc.project.segments[0].evidence) == 0


def test_a_cells_tooltip_gives_its_range_and_why(
    qtbot: QtBot, panel: SegmentsPanel, doc: ProjectDocument
) -> None:
    qtbot.mouseClick(panel.ranges_button, Qt.MouseButton.LeftButton)
    column = [c.key for c in COLUMNS].index("deterrence")
    tip = panel.model.index(0, column).data(Qt.ItemDataRole.ToolTipRole)
    assert "Range for the uncertainty analysis (assumed): 0.002 to 0.05, uniform over its " \
           "logarithm" in tip
    assert "calibrate to your data" in tip


def test_the_button_follows_the_selected_segment(
    qtbot: QtBot, panel: SegmentsPanel, doc: ProjectDocument
) -> None:
    first = doc.project.segments[0].id
    second = panel.add_segment("Social media service users (AMEX 2012)")
    doc.update_segment(second, tell_positive=40.0)
    doc.set_segment_evidence(second, {"memory": Evidence("assumption", low=0.2, high=0.4)})
    panel.select(second)
    assert panel.ranges_button.isChecked()
    assert shown_range(panel, "memory", 1) == "0.2\u20130.4"
    panel.select(first)
    assert not panel.ranges_button.isChecked()
    qtbot.mouseClick(panel.ranges_button, Qt.MouseButton.LeftButton)
    # the ranges sit around this segment's own values
    assert shown_range(panel, "tell_positive", 0) == "11.25\u201318.75"
    assert doc.project.segment(second).evidence["memory"].high == 0.4

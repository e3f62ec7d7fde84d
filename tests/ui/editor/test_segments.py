"""The Segments panel: shares and word-of-mouth parameters, each edit one undo step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from cx_mapper.domain.project import (
    PARAMETER_LABELS,
    PARAMETER_SOURCES,
    PRESETS,
    SEGMENT_FIELDS,
)
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.segments import COLUMNS, SegmentsPanel, preset_of
from tests.factories import sample_project, state
from tests.ui.editor.panels import shown

SOCIAL = "Social media service users (AMEX 2012)"
ALL = "All consumers (AMEX 2012)"


@pytest.fixture
def panel(qtbot: QtBot, doc: ProjectDocument) -> SegmentsPanel:
    return shown(qtbot, SegmentsPanel(doc), 900, 320)


def column(name: str) -> int:
    return [c.key for c in COLUMNS].index(name)


def cell(panel: SegmentsPanel, row: int, name: str, role: int = Qt.ItemDataRole.DisplayRole
         ) -> object:
    return panel.model.index(row, column(name)).data(role)


def edit_cell(panel: SegmentsPanel, row: int, name: str, text: str) -> None:
    """Type into a cell through the delegate, as a user's edit does."""
    index = panel.model.index(row, column(name))
    editor = panel.delegate.createEditor(panel.table.viewport(), QStyleOptionViewItem(), index)
    assert isinstance(editor, QLineEdit)
    panel.delegate.setEditorData(editor, index)
    editor.setText(text)
    panel.delegate.setModelData(editor, panel.model, index)
    editor.deleteLater()


def test_one_row_per_segment_with_every_parameter_labelled(panel: SegmentsPanel) -> None:
    model = panel.model
    assert model.rowCount() == 1
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:3] == ["Name", "Share", "Used share"]
    assert headers[3:] == list(PARAMETER_LABELS.values())
    shown = {c.key for c in COLUMNS}
    assert set(SEGMENT_FIELDS) - {"id"} <= shown
    assert cell(panel, 0, "name") == "All consumers"
    assert cell(panel, 0, "tell_negative") == "24"
    assert cell(panel, 0, "used_share") == "100 %"


def test_every_parameter_tooltip_gives_its_source_and_the_preset_defaults(
    panel: SegmentsPanel,
) -> None:
    for name, source in PARAMETER_SOURCES.items():
        section = column(name)
        header_tip = panel.model.headerData(
            section, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        cell_tip = cell(panel, 0, name, Qt.ItemDataRole.ToolTipRole)
        for tip in (header_tip, cell_tip):
            assert isinstance(tip, str)
            assert source in tip, name
            assert "Preset defaults: All consumers" in tip
    tip = cell(panel, 0, "tell_positive", Qt.ItemDataRole.ToolTipRole)
    assert "American Express 2012" in str(tip)
    assert "Preset defaults: All consumers 15, Social media service users 42." in str(tip)
    assert "This segment's preset, All consumers: 15" in str(tip)
    trust = cell(panel, 0, "trust_public", Qt.ItemDataRole.ToolTipRole)
    assert "trust in advertising is 0.14" in str(trust)


def test_editing_a_parameter_is_one_undo_step(panel: SegmentsPanel, doc: ProjectDocument) -> None:
    before = state(doc.project)
    edit_cell(panel, 0, "tell_positive", "18")
    assert doc.project.segments[0].tell_positive == 18.0
    assert cell(panel, 0, "tell_positive") == "18"
    assert cell(panel, 0, "tell_positive", Qt.ItemDataRole.FontRole).bold()  # differs from preset
    after = state(doc.project)
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert state(doc.project) == before
    assert cell(panel, 0, "tell_positive") == "15"
    doc.undo_stack.redo()
    assert state(doc.project) == after
    assert cell(panel, 0, "tell_positive") == "18"


def test_out_of_range_input_is_refused_and_explained(
    panel: SegmentsPanel, doc: ProjectDocument
) -> None:
    edit_cell(panel, 0, "trust_private", "1.5")
    assert panel.message_text() == (
        "Trust in private talk must be between 0 and 1. Nothing was changed.")
    edit_cell(panel, 0, "tell_negative", "many")
    assert "Tell after bad experience must be a number 0 or more" in panel.message_text()
    edit_cell(panel, 0, "share", "0")
    assert panel.message_text() == "Share must be above 0. Nothing was changed."
    edit_cell(panel, 0, "name", "   ")
    assert panel.message_text() == "A segment needs a name. Nothing was changed."
    assert not panel.model.setData(panel.model.index(0, column("memory")), 2.0)
    assert doc.undo_stack.count() == 0
    assert state(doc.project) == state(sample_project())


def test_unchanged_values_push_nothing(panel: SegmentsPanel, doc: ProjectDocument) -> None:
    edit_cell(panel, 0, "tell_positive", "15")
    edit_cell(panel, 0, "name", "All consumers")
    assert not panel.reset_current()
    assert doc.undo_stack.count() == 0


def test_add_from_each_preset_and_the_used_shares(
    panel: SegmentsPanel, doc: ProjectDocument
) -> None:
    before = state(doc.project)
    new_id = panel.add_segment(SOCIAL)
    segment = doc.project.segment(new_id)
    assert segment.name == "Social media service users"
    assert segment.tell_positive == 42.0 and segment.abandon_on_poor == 0.83
    assert panel.current_segment_id() == new_id
    assert panel.model.rowCount() == 2
    assert cell(panel, 1, "used_share") == "50 %"
    edit_cell(panel, 1, "share", "3")
    assert cell(panel, 0, "used_share") == "25 %"
    assert cell(panel, 1, "used_share") == "75 %"
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert state(doc.project) == before
    assert panel.model.rowCount() == 1
    another = panel.add_segment(ALL)
    assert doc.project.segment(another).name == "All consumers 2"
    assert preset_of(doc.project.segment(another)) == ALL


def test_remove_a_segment_but_never_the_last(panel: SegmentsPanel, doc: ProjectDocument) -> None:
    assert not panel.remove_button.isEnabled()
    panel.remove_current()
    assert panel.message_text() == "A project needs at least one segment."
    assert doc.undo_stack.count() == 0
    new_id = panel.add_segment(SOCIAL)
    assert panel.remove_button.isEnabled()
    before = state(doc.project)
    panel.remove_current()
    assert [s.id for s in doc.project.segments] == ["all"]
    assert panel.current_segment_id() == "all"
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    assert state(doc.project) == before
    assert panel.model.rowCount() == 2
    assert new_id in [s.id for s in doc.project.segments]


def test_reset_a_row_to_its_preset_is_one_step(panel: SegmentsPanel, doc: ProjectDocument) -> None:
    new_id = panel.add_segment(SOCIAL)
    row = panel.model.row_of(new_id)
    edit_cell(panel, row, "tell_positive", "50")
    edit_cell(panel, row, "memory", "0.5")
    edit_cell(panel, row, "share", "2")
    edited = state(doc.project)
    panel.select(new_id)
    assert panel.reset_current()
    segment = doc.project.segment(new_id)
    assert segment.tell_positive == 42.0 and segment.memory == 0.3
    assert segment.share == 2.0  # the share and name stay
    assert doc.undo_stack.count() == 5
    doc.undo_stack.undo()
    assert state(doc.project) == edited
    doc.undo_stack.redo()
    # Reset to the other preset, from the menu.
    assert panel.reset_current(ALL)
    assert doc.project.segment(new_id).tell_positive == 15.0


def test_the_table_follows_a_new_project(panel: SegmentsPanel, doc: ProjectDocument) -> None:
    project = sample_project()
    project.segments = [PRESETS[SOCIAL], PRESETS[ALL]]
    doc.load(project)
    assert panel.model.rowCount() == 2
    assert cell(panel, 0, "tell_positive") == "42"
    assert panel.current_segment_id() is not None

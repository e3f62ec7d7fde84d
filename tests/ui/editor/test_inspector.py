"""The Inspector edits the selection through the document: edit, check, undo, check, redo, check."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from cx_mapper.domain.journey import Journey
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.fields import (
    CheckEditor,
    ChoiceEditor,
    NotesEditor,
    NumberEditor,
    SatisfactionEditor,
    TextEditor,
)
from cx_mapper.ui.editor.forms import PropertyForm
from cx_mapper.ui.editor.inspector import Inspector
from cx_mapper.ui.editor.properties import (
    JOURNEY_PROPERTIES,
    MIXED,
    TOUCHPOINT_PROPERTIES,
    TRANSITION_PROPERTIES,
)
from cx_mapper.ui.look.labels import ToneLabel
from tests.factories import sample_project, state
from tests.ui.editor.panels import shown


@pytest.fixture
def inspector(qtbot: QtBot, doc: ProjectDocument) -> Inspector:
    return shown(qtbot, Inspector(doc), 340, 700)


def journey(doc: ProjectDocument) -> Journey:
    return doc.project.journey("now")


def form(inspector: Inspector) -> PropertyForm:
    current = inspector.current_form()
    assert current is not None
    return current


def rhythm(doc: ProjectDocument, before: Any, steps: int = 1) -> None:
    """Undoing the last step returns to `before`; redo returns to what the edit made."""
    after = state(doc.project)
    assert after != before
    assert doc.undo_stack.count() == steps
    doc.undo_stack.undo()
    assert state(doc.project) == before
    doc.undo_stack.redo()
    assert state(doc.project) == after


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Replace a field's text the way a user does: select all, type, press Enter."""
    widget.setFocus()
    select_all = getattr(widget, "selectAll", None)
    if select_all is not None:
        select_all()
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def number(inspector: Inspector, name: str) -> NumberEditor:
    editor = form(inspector).editor(name)
    assert isinstance(editor, NumberEditor)
    return editor


# -- a touchpoint ----------------------------------------------------------------


def test_a_touchpoint_shows_its_values_with_csat_and_face(
    inspector: Inspector, doc: ProjectDocument
) -> None:
    doc.set_touchpoint_fields("now", ["ad"], satisfaction=0.5, visibility=0.3)
    doc.undo_stack.clear()
    inspector.set_selection("now", ["ad"])
    assert inspector.title() == "Touchpoint"
    assert inspector.mode() == "touchpoints"
    assert number(inspector, "visibility").spin.text() == "30 %"
    satisfaction = form(inspector).editor("satisfaction")
    assert isinstance(satisfaction, SatisfactionEditor)
    assert satisfaction.slider.value() == 50
    assert satisfaction.readout.text() == "CSAT 4.0"
    assert satisfaction.face.sigma() == 0.5
    stage = form(inspector).editor("stage")
    assert isinstance(stage, ChoiceEditor)
    assert stage.combo.currentText() == "Awareness"
    assert stage.combo.itemText(0) == "(none)"
    assert doc.undo_stack.count() == 0


def test_name_commits_when_editing_finishes_and_undo_restores_it(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    inspector.set_selection("now", ["ad"])
    before = state(doc.project)
    name = form(inspector).editor("name")
    assert isinstance(name, TextEditor)
    name.line_edit.selectAll()
    qtbot.keyClicks(name.line_edit, "Sees a post")
    assert doc.undo_stack.count() == 0  # no step per keystroke
    qtbot.keyClick(name.line_edit, Qt.Key.Key_Return)
    assert journey(doc).touchpoint("ad").name == "Sees a post"
    rhythm(doc, before)
    doc.undo_stack.undo()
    assert name.line_edit.text() == "Ad"


def test_an_empty_name_is_refused_with_a_message(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    inspector.set_selection("now", ["ad"])
    name = form(inspector).editor("name")
    assert isinstance(name, TextEditor)
    name.line_edit.selectAll()
    qtbot.keyClick(name.line_edit, Qt.Key.Key_Delete)
    qtbot.keyClick(name.line_edit, Qt.Key.Key_Return)
    assert form(inspector).message("name") == "A touchpoint needs a name."
    assert name.line_edit.text() == "Ad"
    assert doc.undo_stack.count() == 0
    type_into(qtbot, name.line_edit, "Advert")
    assert form(inspector).message("name") == ""
    assert journey(doc).touchpoint("ad").name == "Advert"


def test_visibility_in_percent_is_stored_as_a_fraction(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    inspector.set_selection("now", ["ad"])
    before = state(doc.project)
    type_into(qtbot, number(inspector, "visibility").spin, "40")
    assert journey(doc).touchpoint("ad").visibility == pytest.approx(0.4)
    rhythm(doc, before)
    doc.undo_stack.undo()
    assert number(inspector, "visibility").spin.value() == 0


def test_a_value_out_of_range_is_refused_naming_the_field_and_range(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    inspector.set_selection("now", ["ad"])
    spin = number(inspector, "visibility").spin
    type_into(qtbot, spin, "150")
    assert form(inspector).message("visibility") == "Visibility must be between 0 % and 100 %."
    assert spin.value() == 0
    inspector.set_selection("now", ["ad"])  # the canvas announcing the same selection
    assert form(inspector).message("visibility") != ""
    type_into(qtbot, number(inspector, "impact").spin, "-1")
    assert form(inspector).message("impact") == "Impact must be between 0 and 1."
    type_into(qtbot, number(inspector, "entry").spin, "-2")
    assert form(inspector).message("entry") == "Entry share must be 0 or more."
    assert doc.undo_stack.count() == 0
    assert state(doc.project) == state(sample_project())
    type_into(qtbot, spin, "20")
    assert form(inspector).message("visibility") == ""
    type_into(qtbot, spin, "101")
    inspector.set_selection("now", ["site"])
    assert form(inspector).message("visibility") == ""  # a new selection starts clean
    assert journey(doc).touchpoint("ad").visibility == pytest.approx(0.2)


def test_the_arrows_step_within_the_range(inspector: Inspector, doc: ProjectDocument) -> None:
    inspector.set_selection("now", ["ad"])
    impact = number(inspector, "impact").spin
    impact.stepBy(3)  # already at its maximum, 1
    assert doc.undo_stack.count() == 0
    impact.stepBy(-2)
    assert journey(doc).touchpoint("ad").impact == pytest.approx(0.8)
    assert doc.undo_stack.count() == 1


def test_value_and_referral_entry_numbers(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    inspector.set_selection("now", ["help"])
    type_into(qtbot, number(inspector, "value").spin, "-12.5")
    before = state(doc.project)
    type_into(qtbot, number(inspector, "referral_entry").spin, "0.5")
    assert journey(doc).touchpoint("help").value == -12.5
    assert journey(doc).touchpoint("help").referral_entry == 0.5
    rhythm(doc, before, steps=2)


def test_stage_and_channel_choices_including_none(
    inspector: Inspector, doc: ProjectDocument
) -> None:
    inspector.set_selection("now", ["site"])
    stage = form(inspector).editor("stage")
    assert isinstance(stage, ChoiceEditor)
    assert [stage.combo.itemText(i) for i in range(stage.combo.count())] == [
        "(none)", "Awareness", "Purchase", "Service"]
    stage.combo.activated.emit(3)  # what a user's pick emits
    assert journey(doc).touchpoint("site").stage == "serve"
    before = state(doc.project)
    channel = form(inspector).editor("channel")
    assert isinstance(channel, ChoiceEditor)
    channel.combo.activated.emit(0)
    assert journey(doc).touchpoint("site").channel is None
    assert channel.combo.currentText() == "(none)"
    rhythm(doc, before, steps=2)


def test_conversion_checkbox(qtbot: QtBot, inspector: Inspector, doc: ProjectDocument) -> None:
    inspector.set_selection("now", ["shop"])
    before = state(doc.project)
    check = form(inspector).editor("conversion")
    assert isinstance(check, CheckEditor)
    qtbot.mouseClick(check.check, Qt.MouseButton.LeftButton)
    assert journey(doc).touchpoint("shop").conversion is True
    rhythm(doc, before)
    doc.undo_stack.undo()
    assert not check.check.isChecked()


def test_notes_commit_when_the_field_is_left_or_the_selection_changes(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    inspector.set_selection("now", ["ad"])
    notes = form(inspector).editor("notes")
    assert isinstance(notes, NotesEditor)
    notes.text_edit.setFocus()
    qtbot.keyClicks(notes.text_edit, "Runs on Instagram")
    assert doc.undo_stack.count() == 0
    inspector.set_selection("now", ["site"])  # the canvas selected something else
    assert journey(doc).touchpoint("ad").notes == "Runs on Instagram"
    assert journey(doc).touchpoint("site").notes == ""
    assert notes.text_edit.toPlainText() == ""
    assert doc.undo_stack.count() == 1


def test_a_slider_drag_is_one_undo_step(inspector: Inspector, doc: ProjectDocument) -> None:
    inspector.set_selection("now", ["ad", "site"])
    before = state(doc.project)
    editor = form(inspector).editor("satisfaction")
    assert isinstance(editor, SatisfactionEditor)
    slider = editor.slider
    slider.setSliderDown(True)  # emits sliderPressed
    for position in (10, 25, 40, 60, 80):
        slider.setValue(position)
        assert journey(doc).touchpoint("ad").satisfaction == position / 100
    slider.setSliderDown(False)  # emits sliderReleased
    assert journey(doc).touchpoint("site").satisfaction == 0.8
    assert editor.readout.text() == "CSAT 4.6"
    rhythm(doc, before)
    doc.undo_stack.undo()
    assert slider.value() == 0
    assert editor.readout.text() == "CSAT 3.0"
    # The next, separate change is its own step.
    doc.undo_stack.redo()
    slider.setValue(-50)
    assert doc.undo_stack.count() == 2


def test_several_touchpoints_edit_as_one_step_and_mixed_fields_stay(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    doc.set_touchpoint_fields("now", ["site"], value=10.0, notes="checkout")
    doc.undo_stack.clear()
    inspector.set_selection("now", ["ad", "site", "shop"])
    assert inspector.title() == "3 touchpoints"
    touchpoint_form = form(inspector)
    assert touchpoint_form.editor("name").value() is MIXED
    assert touchpoint_form.editor("stage").value() is MIXED
    assert touchpoint_form.editor("value").value() is MIXED
    assert touchpoint_form.editor("notes").value() is MIXED
    assert touchpoint_form.editor("visibility").value() == 0.0
    assert number(inspector, "value").spin.text() == "—"
    stage = touchpoint_form.editor("stage")
    assert isinstance(stage, ChoiceEditor)
    assert stage.combo.currentIndex() == -1 and "Mixed" in stage.combo.placeholderText()
    name = touchpoint_form.editor("name")
    assert isinstance(name, TextEditor)
    assert name.line_edit.text() == "" and "Mixed" in name.line_edit.placeholderText()
    before = state(doc.project)
    type_into(qtbot, number(inspector, "visibility").spin, "25")
    tps = [journey(doc).touchpoint(t) for t in ("ad", "site", "shop")]
    assert [t.visibility for t in tps] == [0.25, 0.25, 0.25]
    assert [t.name for t in tps] == ["Ad", "Site", "Shop"]
    assert [t.value for t in tps] == [0.0, 10.0, 0.0]
    assert [t.notes for t in tps] == ["", "checkout", ""]
    assert [t.stage for t in tps] == ["aware", "buy", "buy"]
    rhythm(doc, before)
    assert "3 touchpoints" in doc.undo_stack.undoText()
    # Leaving a mixed field untouched writes nothing, even when the selection changes.
    inspector.set_selection("now", ["help"])
    assert doc.undo_stack.count() == 1


def test_a_mixed_checkbox_sets_all_once_clicked(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    doc.set_touchpoint_fields("now", ["ad"], conversion=True)
    inspector.set_selection("now", ["ad", "shop"])
    check = form(inspector).editor("conversion")
    assert isinstance(check, CheckEditor)
    assert check.check.checkState() == Qt.CheckState.PartiallyChecked
    qtbot.mouseClick(check.check, Qt.MouseButton.LeftButton)
    assert journey(doc).touchpoint("shop").conversion is True
    assert journey(doc).touchpoint("ad").conversion is True
    assert check.check.checkState() == Qt.CheckState.Checked


def test_touchpoints_and_transitions_together_edit_the_touchpoints_and_say_so(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    inspector.set_selection("now", ["ad"], [("ad", "site")])
    assert inspector.mode() == "touchpoints"
    assert inspector.title() == "1 touchpoint, 1 transition"
    assert "only the touchpoints are edited" in inspector.subheading.text()
    type_into(qtbot, number(inspector, "visibility").spin, "10")
    assert journey(doc).touchpoint("ad").visibility == pytest.approx(0.1)
    assert journey(doc).transition("ad", "site").probability == 0.6


# -- transitions -----------------------------------------------------------------


def test_a_transition_says_what_its_source_has_left_or_how_far_over_it_is(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    inspector.set_selection("now", [], [("ad", "shop")])
    assert inspector.title() == "Transition"
    assert "From \u2018Ad\u2019 to \u2018Shop\u2019" in inspector.subheading.text()
    transition_form = form(inspector)
    assert transition_form.note("probability").startswith("Source \u2018Ad\u2019 has 10% left")
    before = state(doc.project)
    type_into(qtbot, number(inspector, "probability").spin, "60")
    assert journey(doc).transition("ad", "shop").probability == pytest.approx(0.6)
    assert transition_form.note("probability") == (
        "Source \u2018Ad\u2019 is 20% over: its transitions add up to 120%.")
    assert transition_form.note_warns("probability")
    rhythm(doc, before)
    doc.undo_stack.undo()
    assert "10% left" in transition_form.note("probability")
    assert not transition_form.note_warns("probability")
    # Another view changing a sibling transition updates the line too.
    doc.set_transition_fields("now", [("ad", "site")], probability=0.7)
    assert "has nothing left" in transition_form.note("probability")


def test_several_transitions_take_one_probability_together(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    inspector.set_selection("now", [], [("site", "help"), ("shop", "help")])
    assert inspector.title() == "2 transitions"
    assert form(inspector).editor("probability").value() is MIXED
    before = state(doc.project)
    type_into(qtbot, number(inspector, "probability").spin, "45")
    assert journey(doc).transition("site", "help").probability == pytest.approx(0.45)
    assert journey(doc).transition("shop", "help").probability == pytest.approx(0.45)
    note = form(inspector).note("probability")
    assert "Source \u2018Site\u2019 has 55% left" in note
    assert "Source \u2018Shop\u2019 has 55% left" in note
    rhythm(doc, before)
    label = form(inspector).editor("label")
    assert isinstance(label, TextEditor)
    assert label.value() == ""  # both empty: not mixed


# -- staying in sync ---------------------------------------------------------------


def test_it_follows_edits_undo_and_redo_from_elsewhere_without_pushing(
    inspector: Inspector, doc: ProjectDocument
) -> None:
    inspector.set_selection("now", ["ad"])
    doc.set_touchpoint_fields("now", ["ad"], name="Billboard", visibility=0.5)  # e.g. the canvas
    name = form(inspector).editor("name")
    assert isinstance(name, TextEditor)
    assert name.line_edit.text() == "Billboard"
    assert number(inspector, "visibility").spin.text() == "50 %"
    doc.undo_stack.undo()
    assert name.line_edit.text() == "Ad"
    doc.undo_stack.redo()
    assert name.line_edit.text() == "Billboard"
    assert doc.undo_stack.count() == 1
    doc.add_stage("now", "Loyalty")
    stage = form(inspector).editor("stage")
    assert isinstance(stage, ChoiceEditor)
    assert stage.combo.itemText(stage.combo.count() - 1) == "Loyalty"
    assert stage.combo.currentText() == "Awareness"
    assert doc.undo_stack.count() == 2


def test_removed_items_drop_out_of_the_selection(
    inspector: Inspector, doc: ProjectDocument
) -> None:
    inspector.set_selection("now", ["ad", "site"])
    doc.remove_items("now", ["site"])
    assert inspector.selected_touchpoints() == ["ad"]
    assert inspector.title() == "Touchpoint"
    doc.remove_items("now", ["ad"])
    assert inspector.mode() == "journey"
    assert inspector.title() == "Journey"
    inspector.set_selection("now", [], [("shop", "help")])
    doc.remove_items("now", [], [("shop", "help")])
    assert inspector.mode() == "journey"
    doc.remove_journey("now")
    assert inspector.mode() == "none"
    assert inspector.empty_label.isVisible()
    assert inspector.empty_label.text() == "Open or create a journey"


def test_nothing_is_pushed_when_a_value_is_unchanged(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    inspector.set_selection("now", ["ad"])
    type_into(qtbot, number(inspector, "visibility").spin, "0")
    name = form(inspector).editor("name")
    assert isinstance(name, TextEditor)
    type_into(qtbot, name.line_edit, "Ad")
    stage = form(inspector).editor("stage")
    assert isinstance(stage, ChoiceEditor)
    stage.combo.activated.emit(1)  # Awareness, as it is
    editor = form(inspector).editor("satisfaction")
    assert isinstance(editor, SatisfactionEditor)
    editor.slider.setSliderDown(True)
    editor.slider.setValue(30)
    editor.slider.setValue(0)  # dragged back to where it started
    editor.slider.setSliderDown(False)
    assert doc.undo_stack.count() == 0
    assert state(doc.project) == state(sample_project())


# -- the journey -----------------------------------------------------------------


def test_nothing_selected_shows_the_journey_discount_and_horizon(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    inspector.set_selection("now")
    assert inspector.title() == "Journey"
    assert number(inspector, "discount_rate").spin.text() == "1 % per step"
    assert number(inspector, "horizon").spin.text() == "24 steps"
    type_into(qtbot, number(inspector, "discount_rate").spin, "2.5")
    before = state(doc.project)
    type_into(qtbot, number(inspector, "horizon").spin, "36")
    assert journey(doc).discount_rate == pytest.approx(0.025)
    assert journey(doc).horizon == 36
    assert isinstance(journey(doc).horizon, int)
    rhythm(doc, before, steps=2)
    type_into(qtbot, number(inspector, "horizon").spin, "-3")
    assert form(inspector).message("horizon") == "Horizon must be 0 steps or more."
    type_into(qtbot, number(inspector, "discount_rate").spin, "-1")
    assert form(inspector).message("discount_rate") == "Discount rate must be 0 % or more."
    assert doc.undo_stack.count() == 2


def test_journey_stages_add_rename_move_and_remove(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    inspector.set_selection("now")
    stages = inspector.stages_editor
    before = state(doc.project)
    type_into(qtbot, stages.name_edit, "Loyalty")
    assert [s.name for s in journey(doc).stages][-1] == "Loyalty"
    assert stages.list.count() == 4
    assert stages.current_id() == "loyalty"
    rhythm(doc, before)

    before = state(doc.project)
    stages.select("loyalty")
    stages.up_button.click()
    assert [s.id for s in journey(doc).stages] == ["aware", "buy", "loyalty", "serve"]
    rhythm(doc, before, steps=2)

    before = state(doc.project)
    item = stages.list.item(0)
    item.setText("Discovery")  # what an in-place rename does
    assert journey(doc).stage("aware").name == "Discovery"
    rhythm(doc, before, steps=3)
    item = stages.list.item(0)
    item.setText("  ")
    assert stages.message.text() == "A stage needs a name."
    assert journey(doc).stage("aware").name == "Discovery"
    assert stages.list.item(0).text() == "Discovery"

    before = state(doc.project)
    stages.select("buy")
    stages.remove_button.click()
    assert [s.id for s in journey(doc).stages] == ["aware", "loyalty", "serve"]
    assert journey(doc).touchpoint("site").stage is None
    rhythm(doc, before, steps=4)


def test_journey_channels_add_rename_and_remove(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    inspector.set_selection("now")
    channels = inspector.channels_editor
    assert not channels.up_button.isVisible()
    before = state(doc.project)
    channels.name_edit.setText("Phone")
    channels.add_button.click()
    assert [c.name for c in journey(doc).channels] == ["Website", "Store", "Phone"]
    rhythm(doc, before)
    before = state(doc.project)
    channels.list.item(1).setText("Shop floor")
    assert journey(doc).channel("store").name == "Shop floor"
    rhythm(doc, before, steps=2)
    before = state(doc.project)
    channels.select("web")
    channels.remove_button.click()
    assert [c.id for c in journey(doc).channels] == ["store", "phone"]
    assert journey(doc).touchpoint("ad").channel is None
    rhythm(doc, before, steps=3)
    channels.add_button.click()  # an empty name
    assert channels.message.text() == "A channel needs a name."
    assert doc.undo_stack.count() == 3


def test_no_journey_shows_the_empty_state(inspector: Inspector) -> None:
    inspector.set_selection(None)
    assert inspector.mode() == "none"
    assert inspector.empty_label.isVisible()
    assert not inspector.touchpoint_form.isVisible()
    inspector.set_selection("missing", ["ad"])
    assert inspector.mode() == "none"


def test_the_title_signal_follows_the_selection(qtbot: QtBot, inspector: Inspector) -> None:
    with qtbot.waitSignal(inspector.title_changed) as blocker:
        inspector.set_selection("now", ["ad", "site"])
    assert blocker.args == ["2 touchpoints"]


def test_every_field_explains_itself_in_a_tooltip(inspector: Inspector) -> None:
    for declarations, touchpoints, transitions in (
        (TOUCHPOINT_PROPERTIES, ["ad"], []),
        (TRANSITION_PROPERTIES, [], [("ad", "site")]),
        (JOURNEY_PROPERTIES, [], []),
    ):
        inspector.set_selection("now", touchpoints, transitions)
        for prop in declarations:
            focus = form(inspector).editor(prop.name).focusProxy()
            assert focus is not None and len(prop.tooltip) > 30, prop.name
            assert focus.toolTip() == prop.full_tooltip()
    assert "Allowed: 0 % or more." in form(inspector).editor("discount_rate").focusProxy().toolTip()
    inspector.set_selection("now", ["ad"])
    tip = form(inspector).editor("visibility").focusProxy().toolTip()
    assert "said in public, on social media" in tip
    assert tip.endswith("Allowed: between 0 % and 100 %.")


def test_warnings_and_notes_follow_a_switch_to_the_dark_theme(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    doc.set_transition_fields("now", [("ad", "shop")], probability=0.6)
    inspector.set_selection("now", [], [("ad", "shop")])
    message = ToneLabel("Probability must be between 0 % and 100 %.", tone="error")
    qtbot.addWidget(message)
    light_note = inspector.transition_form.note_html("probability")
    light_message = message.palette().color(QPalette.ColorRole.WindowText)
    original = QPalette(QApplication.palette())
    dark = QPalette(original)
    dark.setColor(QPalette.ColorRole.Window, QColor("#202329"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#eeeeee"))
    try:
        QApplication.setPalette(dark)
        QApplication.processEvents()  # Qt posts the change to every widget
        assert message.palette().color(QPalette.ColorRole.WindowText) != light_message
        assert inspector.transition_form.note_html("probability") != light_note
    finally:
        QApplication.setPalette(original)
        QApplication.processEvents()
    assert message.palette().color(QPalette.ColorRole.WindowText) == light_message


# -- what a typed number means, and how a long name shows ------------------------------------


def test_scientific_notation_is_read_as_such_or_refused_aloud(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    inspector.set_selection("now", ["help"])
    before = state(doc.project)
    type_into(qtbot, number(inspector, "value").spin, "1e9")
    assert journey(doc).touchpoint("help").value == 1e9, "not 19"
    rhythm(doc, before)
    type_into(qtbot, number(inspector, "entry").spin, "2.5E-1")
    assert journey(doc).touchpoint("help").entry == 0.25

    steps = doc.undo_stack.count()
    type_into(qtbot, number(inspector, "value").spin, "1e12")
    assert form(inspector).message("value") == "Value must be 1,000,000,000 or less."
    assert journey(doc).touchpoint("help").value == 1e9
    assert number(inspector, "value").spin.text() == "1000000000"
    assert doc.undo_stack.count() == steps

    inspector.set_selection("now", [])
    type_into(qtbot, number(inspector, "discount_rate").spin, "5e10")  # no range of its own
    assert form(inspector).message("discount_rate") == (
        "Discount rate must be 1,000,000,000 % or less.")
    assert doc.project.journey("now").discount_rate == 0.01


def test_a_long_name_shows_its_start(inspector: Inspector, doc: ProjectDocument) -> None:
    long_name = "Reads the comparison article " + "and every comment below it " * 4
    doc.rename_touchpoint("now", "ad", long_name)
    inspector.set_selection("now", ["site"])
    inspector.set_selection("now", ["ad"])
    name = form(inspector).editor("name")
    assert isinstance(name, TextEditor)
    line_edit = name.line_edit
    assert line_edit.text() == long_name
    assert line_edit.fontMetrics().horizontalAdvance(long_name) > line_edit.width()
    assert line_edit.cursorPosition() == 0
    assert line_edit.cursorRect().left() < 12, "scrolled to the start of the name"


def test_a_measured_touchpoint_says_its_flows_follow_data_and_a_what_if_keeps_that(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    """MODEL.md §2: an edit of satisfaction is a what-if against the measured state."""
    doc.set_touchpoint_fields("now", ["ad"], satisfaction=-0.5, measured_satisfaction=-0.5)
    inspector.set_selection("now", ["ad"])
    satisfaction_form = form(inspector)
    assert satisfaction_form.note("satisfaction") == (
        "Flows out measured from data at CSAT 2.0 (-0.50). Another satisfaction moves them "
        "by the change in abandonment.")
    editor = satisfaction_form.editor("satisfaction")
    assert isinstance(editor, SatisfactionEditor)
    editor.slider.setFocus()
    qtbot.keyClick(editor.slider, Qt.Key.Key_PageUp)
    touchpoint = journey(doc).touchpoint("ad")
    assert touchpoint.satisfaction > -0.5 and touchpoint.measured_satisfaction == -0.5
    assert "measured from data" in satisfaction_form.note("satisfaction")

    inspector.set_selection("now", ["site"])  # drawn
    assert form(inspector).note("satisfaction") == ""
    inspector.set_selection("now", ["ad", "site"])
    assert form(inspector).note("satisfaction").startswith(
        "1 of 2 have flows out measured from data")

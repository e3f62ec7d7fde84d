"""The Inspector's Evidence section: how a figure is known, typed the way a user types it,
stored as one undo step, refused in evidence_problem's words (edit, check, undo, check,
redo, check)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit
from pytestqt.qtbot import QtBot

from cx_mapper.domain.evidence import Evidence
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.evidence_form import EvidenceRow
from cx_mapper.ui.editor.inspector import Inspector
from tests.factories import state
from tests.ui.editor.panels import shown


@pytest.fixture
def inspector(qtbot: QtBot, doc: ProjectDocument) -> Inspector:
    return shown(qtbot, Inspector(doc), 360, 900)


def row(inspector: Inspector, key: str) -> EvidenceRow:
    section = (inspector.transition_evidence if key == "probability"
               else inspector.touchpoint_evidence)
    return section.row(key)


def choose(qtbot: QtBot, combo: QComboBox, text: str) -> None:
    """Pick an item by typing its first letter into the focused combo, as a user can."""
    combo.setFocus()
    qtbot.keyClicks(combo, text[0])
    assert combo.currentText() == text


def type_into(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    """Click into a field, replace its text and press Enter."""
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def evidence_of(doc: ProjectDocument, touchpoint: str, field: str) -> Evidence | None:
    return doc.project.journey("now").touchpoint(touchpoint).evidence.get(field)


def test_a_survey_on_satisfaction_is_typed_in_csat_and_stored_once_it_is_whole(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    inspector.set_selection("now", ["ad"])
    satisfaction = row(inspector, "satisfaction")
    before = state(doc.project)

    choose(qtbot, satisfaction.kind_combo, "Survey")
    assert satisfaction.message_text() == "survey evidence needs 'n'"
    assert not satisfaction.inputs["low"].isVisible()
    assert satisfaction.captions["sd"].text() == "sd (CSAT)"
    type_into(qtbot, satisfaction.inputs["n"], "120")
    assert satisfaction.message_text() == "survey evidence needs 'sd'"
    assert doc.undo_stack.count() == 0  # a draft is never stored
    type_into(qtbot, satisfaction.inputs["sd"], "0.8")

    # 0.8 CSAT points are 0.4 on the -1..+1 scale the model keeps (CSAT = 3 + 2 sigma)
    assert evidence_of(doc, "ad", "satisfaction") == Evidence("survey", n=120, sd=0.4)
    assert satisfaction.message_text() == ""
    assert doc.undo_stack.count() == 1
    after = state(doc.project)

    doc.undo_stack.undo()
    assert state(doc.project) == before
    assert satisfaction.kind_combo.currentText() == "None"
    assert not satisfaction.details.isVisible()
    doc.undo_stack.redo()
    assert state(doc.project) == after
    assert satisfaction.kind_combo.currentText() == "Survey"
    assert satisfaction.inputs["sd"].text() == "0.8"
    assert satisfaction.inputs["n"].text() == "120"


def test_a_workshop_estimate_converts_csat_both_ways_and_refuses_past_csat_5(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    inspector.set_selection("now", ["ad"])
    satisfaction = row(inspector, "satisfaction")
    choose(qtbot, satisfaction.kind_combo, "Workshop estimate")
    type_into(qtbot, satisfaction.inputs["low"], "2")
    type_into(qtbot, satisfaction.inputs["mode"], "3.5")
    type_into(qtbot, satisfaction.inputs["high"], "4.2")
    assert evidence_of(doc, "ad", "satisfaction") == Evidence(
        "workshop", low=-0.5, mode=0.25, high=0.6)
    assert doc.undo_stack.count() == 1

    type_into(qtbot, satisfaction.inputs["high"], "6")
    assert satisfaction.message_text() == "'high' is outside the figure's range"
    assert evidence_of(doc, "ad", "satisfaction") == Evidence(
        "workshop", low=-0.5, mode=0.25, high=0.6)
    type_into(qtbot, satisfaction.inputs["mode"], "1")
    assert satisfaction.message_text() == "'mode' must be between 'low' and 'high'"
    type_into(qtbot, satisfaction.inputs["mode"], "3")
    assert satisfaction.message_text() == "'high' is outside the figure's range"
    assert doc.undo_stack.count() == 1
    type_into(qtbot, satisfaction.inputs["high"], "5")
    assert evidence_of(doc, "ad", "satisfaction") == Evidence(
        "workshop", low=-0.5, mode=0.0, high=1.0)
    assert doc.undo_stack.count() == 2

    doc.undo_stack.undo()  # back to the first estimate, shown in CSAT again
    assert [satisfaction.inputs[k].text() for k in ("low", "mode", "high")] == [
        "2", "3.5", "4.2"]
    doc.undo_stack.undo()
    assert evidence_of(doc, "ad", "satisfaction") is None
    assert satisfaction.kind_combo.currentText() == "None"
    doc.undo_stack.redo()
    doc.undo_stack.redo()
    assert [satisfaction.inputs[k].text() for k in ("low", "mode", "high")] == [
        "2", "3", "5"]


def test_visibility_ranges_are_typed_in_percent(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    inspector.set_selection("now", ["site"])
    visibility = row(inspector, "visibility")
    choose(qtbot, visibility.kind_combo, "Assumed")
    assert visibility.captions["low"].text() == "Low (%)"
    type_into(qtbot, visibility.inputs["low"], "10")
    type_into(qtbot, visibility.inputs["high"], "30 %")
    assert evidence_of(doc, "site", "visibility") == Evidence("assumption", low=0.1, high=0.3)
    type_into(qtbot, visibility.source_edit, "Social listening, Q2")
    assert evidence_of(doc, "site", "visibility") == Evidence(
        "assumption", low=0.1, high=0.3, source="Social listening, Q2")
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    assert visibility.source_edit.text() == ""
    assert evidence_of(doc, "site", "visibility") == Evidence("assumption", low=0.1, high=0.3)
    doc.undo_stack.redo()
    assert visibility.source_edit.text() == "Social listening, Q2"


@pytest.mark.parametrize(("key", "text", "message"), [
    ("low", "lots", "'low' must be a finite number"),
    ("low", "60", "'low' must not be above 'high'"),
    ("low", "0", "a log scale needs 'low' above 0"),
])
def test_bad_numbers_are_refused_in_evidence_problems_words(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument, key: str, text: str,
    message: str
) -> None:
    inspector.set_selection("now", ["shop"])
    value = row(inspector, "value")
    choose(qtbot, value.kind_combo, "Assumed")
    type_into(qtbot, value.inputs["low"], "2")
    type_into(qtbot, value.inputs["high"], "50")
    box = value.log_check
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    stored = Evidence("assumption", low=2.0, high=50.0, scale="log")
    assert evidence_of(doc, "shop", "value") == stored
    count = doc.undo_stack.count()

    type_into(qtbot, value.inputs[key], text)
    assert value.message_text() == message
    assert value.message.isVisible()
    assert evidence_of(doc, "shop", "value") == stored
    assert doc.undo_stack.count() == count
    # the same selection announced again (the canvas does) keeps the refusal in view
    inspector.set_selection("now", ["shop"])
    assert value.message_text() == message
    assert value.inputs[key].text() == text


def test_counts_must_be_whole_and_may_have_separators(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    inspector.set_selection("now", ["ad"])
    departures = row(inspector, "departures")
    assert [departures.kind_combo.itemText(i) for i in range(departures.kind_combo.count())
            ] == ["None", "Event data"]
    choose(qtbot, departures.kind_combo, "Event data")
    assert not departures.inputs["sd"].isVisible()  # a count of moves, not a mean
    type_into(qtbot, departures.inputs["n"], "54.5")
    assert departures.message_text() == "'n' must be a whole number, 0 or more"
    assert doc.undo_stack.count() == 0
    type_into(qtbot, departures.inputs["n"], "5,400")
    assert evidence_of(doc, "ad", "departures") == Evidence("data", n=5400)
    assert departures.message_text() == ""


def test_choosing_none_removes_the_evidence_in_one_step(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    doc.set_touchpoint_evidence("now", ["ad"], "impact",
                                Evidence("workshop", low=0.2, mode=0.5, high=0.9))
    doc.undo_stack.clear()
    inspector.set_selection("now", ["ad"])
    impact = row(inspector, "impact")
    assert impact.kind_combo.currentText() == "Workshop estimate"
    assert impact.inputs["mode"].text() == "0.5"
    before = state(doc.project)
    choose(qtbot, impact.kind_combo, "None")
    assert evidence_of(doc, "ad", "impact") is None
    assert not impact.details.isVisible()
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert state(doc.project) == before
    assert impact.kind_combo.currentText() == "Workshop estimate"
    doc.undo_stack.redo()
    assert evidence_of(doc, "ad", "impact") is None


def test_a_transitions_probability_takes_counted_moves(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    inspector.set_selection("now", [], [("ad", "site")])
    probability = row(inspector, "probability")
    assert inspector.transition_evidence.isVisible()
    assert not inspector.touchpoint_evidence.isVisible()
    before = state(doc.project)
    choose(qtbot, probability.kind_combo, "Event data")
    type_into(qtbot, probability.inputs["n"], "1200")
    assert doc.project.journey("now").transition("ad", "site").evidence == Evidence(
        "data", n=1200)
    assert "departures" in inspector.transition_evidence.backing_note.text()
    after = state(doc.project)
    doc.undo_stack.undo()
    assert state(doc.project) == before
    assert probability.kind_combo.currentText() == "None"
    doc.undo_stack.redo()
    assert state(doc.project) == after
    assert probability.inputs["n"].text() == "1200"


def test_percent_probability_ranges_keep_to_0_to_100(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    inspector.set_selection("now", [], [("ad", "shop")])
    probability = row(inspector, "probability")
    choose(qtbot, probability.kind_combo, "Workshop estimate")
    type_into(qtbot, probability.inputs["low"], "20")
    type_into(qtbot, probability.inputs["mode"], "30")
    type_into(qtbot, probability.inputs["high"], "140")
    assert probability.message_text() == "'high' is outside the figure's range"
    type_into(qtbot, probability.inputs["high"], "45")
    assert doc.project.journey("now").transition("ad", "shop").evidence == Evidence(
        "workshop", low=0.2, mode=0.3, high=0.45)


def test_the_section_names_the_cards_badge_and_hides_for_many(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    doc.set_touchpoint_evidence("now", ["ad"], "satisfaction", Evidence("survey", n=9, sd=1))
    doc.set_transition_evidence("now", [("ad", "site")], Evidence("assumption", low=0.5,
                                                                   high=0.7))
    inspector.set_selection("now", ["ad"])
    assert "Assumed" in inspector.touchpoint_evidence.backing_note.text()
    inspector.set_selection("now", ["ad", "site"])
    assert not inspector.touchpoint_evidence.isVisible()  # evidence is one element's


def test_a_draft_goes_when_another_touchpoint_is_selected(
    qtbot: QtBot, inspector: Inspector, doc: ProjectDocument
) -> None:
    inspector.set_selection("now", ["ad"])
    satisfaction = row(inspector, "satisfaction")
    choose(qtbot, satisfaction.kind_combo, "Survey")
    assert satisfaction.message_text()
    inspector.set_selection("now", ["site"])
    assert satisfaction.kind_combo.currentText() == "None"
    assert satisfaction.message_text() == ""
    assert doc.undo_stack.count() == 0

"""The document's evidence edits: one undo step each, nothing pushed when nothing
changes, and evidence the files would refuse never stored."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from cx_mapper.domain.evidence import Evidence
from cx_mapper.domain.segment_ranges import default_ranges
from cx_mapper.ui.document.project_document import ProjectDocument
from tests.factories import sample_project, state

SURVEY = Evidence("survey", n=120, sd=0.4)


@pytest.fixture
def doc(qtbot: QtBot) -> ProjectDocument:
    return ProjectDocument(sample_project())


def rhythm(doc: ProjectDocument, before: object, text: str) -> None:
    after = state(doc.project)
    assert after != before
    assert doc.undo_stack.count() == 1
    assert doc.undo_stack.undoText() == text
    doc.undo_stack.undo()
    assert state(doc.project) == before
    doc.undo_stack.redo()
    assert state(doc.project) == after


def test_a_touchpoints_figure_gets_evidence_in_one_step(doc: ProjectDocument) -> None:
    before = state(doc.project)
    assert doc.set_touchpoint_evidence("now", ["ad"], "satisfaction", SURVEY)
    assert doc.project.journey("now").touchpoint("ad").evidence["satisfaction"] == SURVEY
    rhythm(doc, before, "Change the evidence on satisfaction of touchpoint")
    assert not doc.set_touchpoint_evidence("now", ["ad"], "satisfaction", SURVEY)
    assert doc.undo_stack.count() == 1


def test_the_other_figures_evidence_stays_in_order(doc: ProjectDocument) -> None:
    doc.set_touchpoint_evidence("now", ["ad"], "departures", Evidence("data", n=10))
    doc.set_touchpoint_evidence("now", ["ad"], "satisfaction", SURVEY)
    evidence = doc.project.journey("now").touchpoint("ad").evidence
    assert list(evidence) == ["departures", "satisfaction"]  # one order, by name
    doc.set_touchpoint_evidence("now", ["ad"], "satisfaction", None)
    assert list(doc.project.journey("now").touchpoint("ad").evidence) == ["departures"]


def test_a_transitions_evidence_undoes_with_its_probability_untouched(
    doc: ProjectDocument,
) -> None:
    before = state(doc.project)
    assert doc.set_transition_evidence("now", [("ad", "site")], Evidence("data", n=1200))
    rhythm(doc, before, "Change the evidence on probability of transition")
    assert doc.project.journey("now").transition("ad", "site").probability == 0.6


def test_default_ranges_on_and_off(doc: ProjectDocument) -> None:
    segment = doc.project.segments[0]
    before = state(doc.project)
    assert doc.use_default_ranges(segment.id)
    assert doc.project.segments[0].evidence == default_ranges(segment)
    rhythm(doc, before, "Use default ranges")
    assert not doc.use_default_ranges(segment.id)  # already on
    assert doc.use_default_ranges(segment.id, False)
    assert len(doc.project.segments[0].evidence) == 0
    assert doc.undo_stack.undoText() == "Stop using ranges"


@pytest.mark.parametrize(("call", "message"), [
    (lambda d: d.set_touchpoint_evidence("now", ["ad"], "satisfaction",
                                         Evidence("survey", n=1.5, sd=0.4)),
     "Evidence on satisfaction: 'n' must be a whole number, 0 or more"),
    (lambda d: d.set_touchpoint_evidence("now", ["ad"], "entry", SURVEY),
     "A touchpoint's 'entry' carries no evidence"),
    (lambda d: d.set_transition_evidence("now", [("ad", "site")],
                                         Evidence("assumption", low=0.2, high=1.4)),
     "Evidence on probability: 'high' is outside the figure's range"),
    (lambda d: d.set_segment_evidence(d.project.segments[0].id,
                                      {"memory": Evidence("workshop", low=0.1, high=0.4)}),
     "Evidence on memory: workshop evidence needs 'mode'"),
    (lambda d: d.set_segment_evidence(d.project.segments[0].id, {"share": SURVEY}),
     "A segment has no parameter 'share'"),
])
def test_unsound_evidence_is_refused_and_nothing_is_pushed(
    doc: ProjectDocument, call: object, message: str
) -> None:
    before = state(doc.project)
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(") + "$"):
        call(doc)  # type: ignore[operator]
    assert state(doc.project) == before
    assert doc.undo_stack.count() == 0

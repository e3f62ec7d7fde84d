"""The Problems list: what the user reads, how it follows edits, and where a click goes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem
from pytestqt.qtbot import QtBot

from cx_mapper.domain.journey import Touchpoint
from cx_mapper.domain.project import Project
from cx_mapper.domain.templates import five_stage_project
from cx_mapper.domain.validation import Problem
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.problems import NO_PROBLEMS, ProblemsPanel
from tests.factories import sample_project


def broken_project() -> Project:
    """Sample journey with 'Ad' sending 110% onward and an isolated 'Lonely' card."""
    project = sample_project()
    journey = project.journeys[0]
    journey.update_transition("ad", "shop", probability=0.5)
    journey.add_touchpoint(Touchpoint("lonely", name="Lonely", stage="serve"))
    return project


@pytest.fixture
def doc(qtbot: QtBot) -> ProjectDocument:
    return ProjectDocument(broken_project())


@pytest.fixture
def panel(qtbot: QtBot, doc: ProjectDocument) -> ProblemsPanel:
    widget = ProblemsPanel(doc)
    qtbot.addWidget(widget)
    widget.resize(700, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def row(panel: ProblemsPanel, index: int) -> QTreeWidgetItem:
    item = panel.view.topLevelItem(index)
    assert item is not None
    return item


def test_lists_errors_first_with_journey_element_and_full_tooltip(panel: ProblemsPanel) -> None:
    problems = panel.problems()
    assert panel.counts() == (1, 1)
    assert [p.is_error for p in problems] == [True, False]
    error, warning = problems
    assert (error.element, error.element_id, error.field) == ("touchpoint", "ad", "probability")
    assert "above 100%" in error.message
    assert (warning.element_id, warning.message) == (
        "lonely", "Isolated: no transition comes in or goes out.")

    first = row(panel, 0)
    assert first.text(0) == error.message
    assert first.text(1) == "Current state"
    assert first.text(2) == "Touchpoint 'Ad' · probability"
    assert not first.icon(0).isNull()
    assert first.toolTip(0).startswith("Error: journey 'Current state', touchpoint 'Ad'")
    assert error.message in first.toolTip(0)
    assert row(panel, 1).text(2) == "Touchpoint 'Lonely'"
    assert panel.journey_has_errors("now")
    assert not panel.journey_has_errors("elsewhere")
    assert not panel.empty_label.isVisible()


def test_follows_edits_after_a_short_pause_and_undo(
    qtbot: QtBot, doc: ProjectDocument, panel: ProblemsPanel
) -> None:
    counts: list[tuple[int, int]] = []
    panel.counts_changed.connect(lambda errors, warnings: counts.append((errors, warnings)))
    doc.set_transition_fields("now", [("ad", "shop")], probability=0.3)
    assert panel.counts() == (1, 1)  # debounced: not yet
    qtbot.waitUntil(lambda: panel.counts() == (0, 1), timeout=2000)
    assert counts[-1] == (0, 1)
    assert not panel.journey_has_errors("now")

    doc.undo_stack.undo()
    qtbot.waitUntil(lambda: panel.counts() == (1, 1), timeout=2000)
    assert panel.problems()[0].element_id == "ad"


def test_a_burst_of_edits_validates_once(qtbot: QtBot, doc: ProjectDocument,
                                         panel: ProblemsPanel) -> None:
    counts: list[tuple[int, int]] = []
    panel.counts_changed.connect(lambda errors, warnings: counts.append((errors, warnings)))
    with doc.drag():
        for value in (0.45, 0.4, 0.35, 0.3):
            doc.set_transition_fields("now", [("ad", "shop")], probability=value)
    qtbot.waitUntil(lambda: bool(counts), timeout=2000)
    qtbot.wait(2 * 150)
    assert counts == [(0, 1)]


def test_clicking_or_pressing_enter_emits_the_problem(qtbot: QtBot,
                                                      panel: ProblemsPanel) -> None:
    warning = panel.problems()[1]
    rect = panel.view.visualItemRect(row(panel, 1))
    with qtbot.waitSignal(panel.problem_activated) as blocker:
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=rect.center())
    assert blocker.args == [warning]

    panel.view.setFocus()
    panel.view.setCurrentItem(row(panel, 0))
    activated: list[Problem] = []
    panel.problem_activated.connect(activated.append)
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert activated == [panel.problems()[0]]


def test_a_clean_project_shows_no_problems_and_a_reset_revalidates_at_once(
    doc: ProjectDocument, panel: ProblemsPanel
) -> None:
    doc.load(five_stage_project())  # no waiting: project_reset validates at once
    assert panel.counts() == (0, 0)
    assert panel.problems() == []
    assert panel.empty_label.isVisible()
    assert panel.empty_label.text() == NO_PROBLEMS
    assert not panel.view.isVisible()


def test_selection_survives_a_revalidation(qtbot: QtBot, doc: ProjectDocument,
                                           panel: ProblemsPanel) -> None:
    panel.view.setCurrentItem(row(panel, 1))
    doc.rename_touchpoint("now", "site", "Website visit")
    panel.refresh()
    assert panel.view.currentItem() is row(panel, 1)
    assert panel.problems()[1].element_id == "lonely"

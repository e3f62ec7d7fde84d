"""The Analysis dock: engine figures, live recompute, stale results never shown as current."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.kpis import CARD_KPIS
from cx_mapper.persistence.files import read_project
from cx_mapper.ui.analysis.dock import AnalysisPanel
from cx_mapper.ui.analysis.touchpoint_table import COLUMNS
from cx_mapper.ui.document import analysis_service
from cx_mapper.ui.document.project_document import ProjectDocument
from tests.benchmarks.journeys import random_journey

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = str(ROOT / "projects" / "retail-omnichannel.json")


@pytest.fixture
def document() -> ProjectDocument:
    return ProjectDocument(read_project(SAMPLE))


@pytest.fixture
def panel(qtbot: QtBot, document: ProjectDocument) -> AnalysisPanel:
    widget = AnalysisPanel(document)
    qtbot.addWidget(widget)
    widget.resize(1300, 360)
    widget.show()
    widget.set_journey("current")
    return widget


def test_the_kpi_cards_show_the_engines_figures(panel: AnalysisPanel,
                                                 document: ProjectDocument) -> None:
    expected = analyze(document.project, "current")
    assert panel.result is not None
    assert panel.result.totals == expected.totals
    values = panel.kpis.values()
    for kpi in CARD_KPIS:
        assert values[kpi.key] == kpi.text(expected)


def test_an_edit_greys_the_figures_then_updates_them(
        panel: AnalysisPanel, document: ProjectDocument, qtbot: QtBot) -> None:
    before = panel.result
    assert before is not None
    document.set_touchpoint_fields("current", ["delivery"], satisfaction=-1.0)
    assert panel.result is None  # the shown result belongs to the old revision
    assert not panel.kpis.isEnabled()
    qtbot.waitUntil(lambda: panel.result is not None)
    assert panel.kpis.isEnabled()
    assert panel.result.totals.loyalty_index < before.totals.loyalty_index
    assert panel.result.totals == analyze(document.project, "current").totals


def test_a_burst_of_edits_is_analysed_once(panel: AnalysisPanel, document: ProjectDocument,
                                           qtbot: QtBot) -> None:
    results: list[object] = []
    panel.analysis_changed.connect(results.append)
    with document.drag():
        for step in range(10):
            document.set_touchpoint_fields("current", ["delivery"], satisfaction=step / 10)
    qtbot.waitUntil(lambda: panel.result is not None)
    assert len(results) == 1
    assert document.undo_stack.count() == 1


def test_a_journey_that_cannot_be_analysed_shows_why(
        panel: AnalysisPanel, document: ProjectDocument, qtbot: QtBot) -> None:
    entries = [t.id for t in document.journey("current").touchpoints.values() if t.entry > 0]
    document.set_touchpoint_fields("current", entries, entry=0.0)
    qtbot.waitUntil(lambda: panel.reason is not None)
    assert "entry" in panel.reason
    assert "entry" in panel.kpis.message_text()
    assert panel.result is None
    assert panel.table.text(0, COLUMNS.index("Visits")) == ""
    document.undo_stack.undo()
    qtbot.waitUntil(lambda: panel.result is not None)
    assert panel.reason is None


def test_the_touchpoint_table_lists_visits_and_loyalty(panel: AnalysisPanel,
                                                        document: ProjectDocument) -> None:
    result = analyze(document.project, "current")
    table = panel.table
    assert table.row_count() == len(result.ids)
    visits = COLUMNS.index("Visits")
    for row, touchpoint_id in enumerate(result.ids):
        assert table.text(row, visits) == f"{result.touchpoint(touchpoint_id).visits:.3f}"
    assert table.text(0, 0) == document.journey("current").touchpoint(result.ids[0]).name


def test_segment_results_are_shown(panel: AnalysisPanel, document: ProjectDocument) -> None:
    result = analyze(document.project, "current")
    rows = panel.segment_results.rows()
    assert len(rows) == len(result.segments) + 1  # each segment, then the mix


def test_switching_journeys_shows_the_other_journeys_figures(
        panel: AnalysisPanel, document: ProjectDocument) -> None:
    panel.set_journey("future")
    assert panel.result is not None and panel.result.journey_id == "future"
    assert panel.result.totals == analyze(document.project, "future").totals
    panel.set_journey(None)
    assert panel.result is None and panel.table.row_count() == 0


def test_a_large_map_is_analysed_off_the_gui_thread_and_stale_results_are_dropped(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analysis_service, "BACKGROUND_FROM", 50)
    project = random_journey(120, seed=3)
    journey = project.journeys[0]
    document = ProjectDocument(project)
    panel = AnalysisPanel(document)
    qtbot.addWidget(panel)
    shown: list[object] = []
    panel.analysis_changed.connect(shown.append)
    panel.set_journey(journey.id)
    assert panel.is_busy()
    qtbot.waitUntil(lambda: panel.result is not None, timeout=10_000)
    some = next(iter(journey.touchpoints))
    for value in (-0.5, 0.5, 0.9):  # each edit makes the one before stale
        document.set_touchpoint_fields(journey.id, [some], satisfaction=value)
    assert panel.result is None  # stale until the last edit's analysis arrives
    qtbot.waitUntil(lambda: panel.result is not None, timeout=10_000)
    assert panel.result.totals == analyze(document.project, journey.id).totals
    results = [r for r in shown if r is not None]
    assert len(results) == 2  # the first analysis and the last edit's: none in between
    assert results[-1] is panel.result


def test_the_touchpoint_table_shows_removal_effects_and_attributed_conversions(
        panel: AnalysisPanel, document: ProjectDocument, qtbot: QtBot) -> None:
    result = analyze(document.project, "current")
    table = panel.table
    removal, attributed = COLUMNS.index("Removal effect"), COLUMNS.index("Attributed conv.")
    assert not table.isColumnHidden(removal) and not table.isColumnHidden(attributed)
    row = result.ids.index("browse_site")
    record = result.touchpoint("browse_site")
    assert table.text(row, removal) == f"{100 * record.removal_effect:.1f}%"
    # No known conversions: the credit is a share of the conversion probability.
    assert table.text(row, attributed) == f"{record.attributed_conversions:.3f}"
    assert table.text(result.ids.index("web_checkout"), removal) == "—"  # the goal itself

    document.set_journey_fields("current", conversions=1200.0)
    qtbot.waitUntil(lambda: panel.result is not None)
    credit = analyze(document.project, "current").touchpoint("browse_site")
    assert credit.attributed_conversions is not None
    assert table.text(row, attributed) == f"{credit.attributed_conversions:,.1f}"

    conversions = [t.id for t in document.journey("current").touchpoints.values() if t.conversion]
    document.set_touchpoint_fields("current", conversions, conversion=False)
    qtbot.waitUntil(lambda: panel.result is not None)
    assert table.isColumnHidden(removal) and table.isColumnHidden(attributed)

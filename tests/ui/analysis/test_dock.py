"""The Analysis dock: engine figures, live recompute, stale results never shown as current."""

from __future__ import annotations

import html
import logging

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.kpis import CARD_KPIS
from cx_mapper.persistence.files import read_project
from cx_mapper.ui.analysis.charts_panel import ChartsPanel
from cx_mapper.ui.analysis.dock import AnalysisPanel
from cx_mapper.ui.analysis.touchpoint_table import COLUMNS
from cx_mapper.ui.analysis.updating import UPDATING
from cx_mapper.ui.document import analysis_service
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.look import palette, theme
from tests.benchmarks.journeys import random_journey
from tests.factories import RETAIL_SAMPLE
from tests.ui.analysis.checks import (
    DOCK_TABS,
    LATE_DELIVERY_CALL,
    assert_shows_the_engines_figures,
    show_tab,
)

SAMPLE = str(RETAIL_SAMPLE)


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
    before = panel.result
    panel.analysis_changed.connect(results.append)
    with document.drag():
        for step in range(10):
            document.set_touchpoint_fields("current", ["delivery"], satisfaction=step / 10)
    qtbot.waitUntil(lambda: panel.result is not None)
    # One new analysis; passing the starting value on the way shows the starting
    # figures again at once (nothing the engine reads differs from them).
    assert len([r for r in results if r is not before]) == 1
    assert results[-1] is panel.result is not before
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


@pytest.mark.parametrize("tab", DOCK_TABS)
def test_every_tab_shows_the_new_figures_after_an_edit(
        panel: AnalysisPanel, document: ProjectDocument, qtbot: QtBot,
        caplog: pytest.LogCaptureFixture, tab: str) -> None:
    show_tab(panel, tab)
    before = panel.kpis.values()
    for value in (-0.9, 0.4):
        document.set_touchpoint_fields("current", [LATE_DELIVERY_CALL], satisfaction=value)
        assert panel.is_updating()
        qtbot.waitUntil(lambda: panel.result is not None and not panel.is_updating())
        assert_shows_the_engines_figures(panel, document)
    assert panel.kpis.values() != before
    document.undo_stack.undo()
    qtbot.waitUntil(lambda: panel.result is not None and not panel.is_updating())
    assert_shows_the_engines_figures(panel, document)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("tab", ["Touchpoints", "Simulation", "Loyalty"])
def test_the_dark_theme_keeps_every_tab_live(
        panel: AnalysisPanel, document: ProjectDocument, qtbot: QtBot,
        caplog: pytest.LogCaptureFixture, tab: str) -> None:
    show_tab(panel, tab)
    original = QApplication.palette()
    try:
        QApplication.setPalette(theme.dark_palette())
        assert palette.is_dark()
        qtbot.wait(20)  # the palette change reaches every tab, the open one included
        document.set_touchpoint_fields("current", [LATE_DELIVERY_CALL], satisfaction=-0.7)
        qtbot.waitUntil(lambda: panel.result is not None and not panel.is_updating())
        assert_shows_the_engines_figures(panel, document)
        show_tab(panel, "Loyalty")  # a chart is drawn in the theme's colours when opened
        loyalty = panel.charts.chart_widget("Loyalty")
        assert loyalty.backgroundBrush().color() == palette.DARK.card_fill
    finally:
        QApplication.setPalette(original)
    document.set_touchpoint_fields("current", [LATE_DELIVERY_CALL], satisfaction=0.3)
    qtbot.waitUntil(lambda: panel.result is not None and not panel.is_updating())
    assert_shows_the_engines_figures(panel, document)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_an_edit_greys_every_figure_until_the_new_one_is_in(
        panel: AnalysisPanel, document: ProjectDocument, qtbot: QtBot) -> None:
    document.set_touchpoint_fields("current", [LATE_DELIVERY_CALL], satisfaction=-1.0)
    assert panel.result is None and panel.is_busy()
    figures = [panel.kpis, panel.table, panel.segment_results,
               *(panel.charts.chart_widget(tab) for tab in ChartsPanel.TABS)]
    for figure in figures:
        assert not figure.isEnabled()
        assert figure.toolTip() == UPDATING
    assert panel.charts.tabs.tabBar().isEnabled()  # the tabs can still be switched
    qtbot.waitUntil(lambda: panel.result is not None)
    for figure in figures:
        assert figure.isEnabled() and figure.toolTip() == ""
    assert not panel.is_busy()


def test_a_failure_is_shown_and_nothing_stays_greyed(
        panel: AnalysisPanel, document: ProjectDocument, qtbot: QtBot) -> None:
    entries = [t.id for t in document.journey("current").touchpoints.values() if t.entry > 0]
    document.set_touchpoint_fields("current", entries, entry=0.0)
    assert panel.is_updating()
    qtbot.waitUntil(lambda: panel.reason is not None)
    message = panel.kpis.message_text()
    assert "Cannot analyse this journey." in message and html.escape(panel.reason) in message
    assert not panel.is_updating() and not panel.charts.is_stale()
    assert panel.segment_results.rows() == [] and panel.charts.charts == {}
    assert panel.table.text(0, COLUMNS.index("Loyalty after")) == ""


@pytest.mark.logs_errors
def test_a_view_that_fails_to_draw_does_not_stop_the_others(
        panel: AnalysisPanel, document: ProjectDocument, qtbot: QtBot,
        caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    show_tab(panel, "Compare journeys")
    qtbot.waitUntil(panel.compare.is_current)

    def broken(*_args: object) -> None:
        raise RuntimeError("cannot draw")

    # Compare is told first (it is made before the dock subscribes) and fails.
    monkeypatch.setattr(panel.compare.chart, "show_pair", broken)
    # Inside the dock, the cards fail too: the charts and tables still update.
    monkeypatch.setattr(panel.kpis, "show_analysis", broken)
    before = panel.kpis.values()
    with caplog.at_level(logging.ERROR):
        document.set_touchpoint_fields("current", [LATE_DELIVERY_CALL], satisfaction=-0.8)
        qtbot.waitUntil(lambda: panel.result is not None)
    expected = analyze(document.project, "current")
    assert panel.result.totals == expected.totals
    visits = COLUMNS.index("Visits")
    row = expected.ids.index("delivery")
    assert panel.table.text(row, visits) == f"{expected.touchpoint('delivery').visits:.3f}"
    assert panel.segment_results.rows()[-1]["value"] == pytest.approx(expected.totals.value)
    assert panel.charts.shown_analysis() is panel.result
    assert panel.kpis.values() == before  # the broken part keeps its old figures...
    messages = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert "Compare journeys could not show the analysis" in messages
    assert "The KPI cards could not show the analysis" in messages
    assert any("cannot draw" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)

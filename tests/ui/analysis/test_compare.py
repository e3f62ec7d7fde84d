"""Scenario compare: B against baseline A, with every delta the engine's, kept live."""

from __future__ import annotations

import copy
from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem
from pytestqt.qtbot import QtBot

from cx_mapper.domain.journey import Touchpoint, Transition
from cx_mapper.domain.project import Project
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.kpis import KPIS
from cx_mapper.persistence.files import read_project
from cx_mapper.ui.analysis.charts import LOYALTY_AFTER_TITLES
from cx_mapper.ui.analysis.compare import TOUCHPOINT_COLUMNS, ComparePanel
from cx_mapper.ui.analysis.segment_results import MIXED, SegmentsResultTable
from cx_mapper.ui.analysis.tables import change_colour
from cx_mapper.ui.analysis.updating import UPDATING
from cx_mapper.ui.document import analysis_service
from cx_mapper.ui.document.analysis_service import LIVE_REMOVAL_LIMIT
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.look import palette
from cx_mapper.ui.main_window import MainWindow
from tests.benchmarks.journeys import random_journey
from tests.factories import RETAIL_SAMPLE, sample_project

SAMPLE = RETAIL_SAMPLE


@pytest.fixture(autouse=True)
def drained_pool() -> Iterator[None]:
    yield
    QThreadPool.globalInstance().waitForDone(10_000)


def open_panel(qtbot: QtBot, project: Project) -> tuple[ProjectDocument, ComparePanel]:
    document = ProjectDocument(project)
    panel = ComparePanel(document)
    qtbot.addWidget(panel)
    panel.resize(1300, 420)
    panel.show()
    qtbot.waitUntil(panel.is_current, timeout=5000)
    return document, panel


def test_the_pickers_default_to_the_first_two_journeys(qtbot: QtBot) -> None:
    _, panel = open_panel(qtbot, read_project(SAMPLE))
    assert panel.pair() == ("current", "future")
    assert panel.picker_a.currentText() == "Current state"


def test_kpi_deltas_are_the_engines_differences(qtbot: QtBot) -> None:
    project = read_project(SAMPLE)
    _, panel = open_panel(qtbot, project)
    a, b = analyze(project, "current"), analyze(project, "future")
    deltas = panel.kpi_deltas()
    assert deltas["loyalty_index"] == pytest.approx(
        100 * (b.totals.loyalty_index - a.totals.loyalty_index))
    for key in ("value", "exposure_positive", "exposure_negative", "exposure_net",
                "referral_r", "deterred", "conversion_probability"):
        assert deltas[key] == pytest.approx(getattr(b.totals, key) - getattr(a.totals, key)), key
    # The table shows A, B and B − A, coloured by whether the change is for the better.
    rows = kpi_rows(panel.kpi_table)
    delta = rows["Negative exposure"][2]
    assert delta.text().startswith("−")  # the future state is talked down less
    better = change_colour(-1.0, higher_is_better=False)
    assert delta.foreground().color() == better
    assert better is not None and better.green() > better.red()
    assert list(rows) == [kpi.label for kpi in KPIS if not kpi.key.startswith("exposure")] + [
        kpi.label for kpi in KPIS if kpi.key.startswith("exposure")]


def kpi_rows(table: QTableWidget) -> dict[str, list[QTableWidgetItem]]:
    """Each key figure's A, B and B − A cells, block by block (four columns each)."""
    rows: dict[str, list[QTableWidgetItem]] = {}
    for column in range(0, table.columnCount(), 4):
        for row in range(table.rowCount()):
            label = table.item(row, column)
            if label is not None:
                rows[label.text().strip()] = [table.item(row, column + i) for i in (1, 2, 3)]
    return rows


def test_every_key_figure_and_the_whole_axis_title_show_at_the_default_size(
        qtbot: QtBot, recovery_folder: str, no_modal_questions: None) -> None:
    """At the default window size the compare tab needs no scrolling to read its key
    figures, and its loyalty axis is titled in full words, not "Loyalty after the touchpoi"."""
    window = MainWindow(ProjectDocument(read_project(SAMPLE)), recovery_folder=recovery_folder)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert (window.width(), window.height()) == (1400, 860)  # no saved size: the default
    tabs = window.analysis.charts.tabs
    bar = tabs.tabBar()
    index = tabs.indexOf(window.analysis.compare)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    panel = window.analysis.compare
    qtbot.waitUntil(panel.is_current, timeout=10_000)
    qtbot.wait(50)  # the layout settles
    table = panel.kpi_table
    assert len(kpi_rows(table)) == len(KPIS)
    assert not table.verticalScrollBar().isVisible()
    assert not table.horizontalScrollBar().isVisible()
    shown = table.viewport().rect()
    for row in range(table.rowCount()):
        for column in range(table.columnCount()):
            if table.item(row, column) is not None:
                assert shown.contains(table.visualItemRect(table.item(row, column))), (row, column)
    axis = panel.chart.plot.getAxis("left")
    title = axis.label.toPlainText()
    metrics = QFontMetricsF(axis.label.font())
    widest = max(metrics.horizontalAdvance(line) for line in title.splitlines())
    assert widest <= axis.geometry().height(), (title, widest, axis.geometry().height())
    assert axis.label.boundingRect().width() <= axis.geometry().height()
    assert title.strip() in LOYALTY_AFTER_TITLES  # a whole wording, never a clipped one


def test_touchpoint_rows_match_by_id_and_carry_the_engines_figures(qtbot: QtBot) -> None:
    project = read_project(SAMPLE)
    _, panel = open_panel(qtbot, project)
    a, b = analyze(project, "current"), analyze(project, "future")
    rows = panel.rows()
    assert len(rows) == 17 and {r["status"] for r in rows} == {"matched"}
    call = next(r for r in rows if r["b_id"] == "delivery_call")
    ra, rb = a.touchpoint("delivery_call"), b.touchpoint("delivery_call")
    assert call["a_id"] == "delivery_call" and call["stage"] == "Service"
    assert call["visits_a"] == pytest.approx(ra.visits)
    assert call["visits_b"] == pytest.approx(rb.visits)
    assert call["loyalty_delta"] == pytest.approx(100 * (rb.loyalty - ra.loyalty))
    assert call["exposure_negative_delta"] == pytest.approx(
        rb.exposure_negative - ra.exposure_negative)
    # Stage-ordered like the loyalty chart: stage names never come back once left.
    stages = [r["stage"] for r in rows]
    runs = [s for i, s in enumerate(stages) if i == 0 or stages[i - 1] != s]
    assert runs == ["Awareness", "Consideration", "Purchase", "Service", "Loyalty"]
    # The table shows one row each, and the overlay draws both curves on the same x.
    assert panel.touchpoint_table.rowCount() == 17
    assert panel.touchpoint_table.columnCount() == len(TOUCHPOINT_COLUMNS)
    chart = panel.chart.chart.values
    np.testing.assert_allclose(chart["loyalty_b"], [r["loyalty_b"] for r in rows])
    legend = [label.text for _, label in panel.chart.plot.legend.items]
    assert legend == ["A: Current state", "B: Future state"]


def test_added_removed_and_renamed_touchpoints(qtbot: QtBot) -> None:
    project = sample_project()
    future = copy.deepcopy(project.journey("now"))
    future.id, future.name = "next", "Next state"
    future.remove_touchpoint("shop")
    help_desk = future.remove_touchpoint("help").touchpoint
    # Same name under a new id: matched by name.
    future.add_touchpoint(Touchpoint("support", name=help_desk.name, stage="serve"))
    future.add_touchpoint(Touchpoint("chat", name="Chat", stage="serve", satisfaction=0.6))
    future.add_transition(Transition("site", "chat", 0.4))
    future.add_transition(Transition("site", "support", 0.2))
    project.add_journey(future)
    _, panel = open_panel(qtbot, project)
    rows = {(r["a_id"], r["b_id"]): r for r in panel.rows()}
    assert rows[("help", "support")]["status"] == "matched"
    assert rows[("shop", None)]["status"] == "removed"
    assert rows[(None, "chat")]["status"] == "added"
    b = analyze(project, "next")
    added = rows[(None, "chat")]
    assert added["visits_a"] is None and added["loyalty_delta"] is None
    assert added["exposure_positive_delta"] == pytest.approx(
        b.touchpoint("chat").exposure_positive)
    # Removed touchpoints stay in their stage; the table names what changed.
    assert [r["stage"] for r in panel.rows()] == [
        "Awareness", "Purchase", "Purchase", "Service", "Service"]
    names = [panel.touchpoint_table.item(r, 0).text()
             for r in range(panel.touchpoint_table.rowCount())]
    assert "Shop  (only in A)" in names and "Chat  (only in B)" in names


def test_an_edit_is_compared_again_shortly_after(qtbot: QtBot) -> None:
    project = read_project(SAMPLE)
    document, panel = open_panel(qtbot, project)
    before = panel.kpi_deltas()["loyalty_index"]
    document.set_touchpoint_fields("future", ["delivery"], satisfaction=1.0)
    assert not panel.is_current()  # the shown figures are for the old revision
    assert not panel.splitter.isEnabled()
    qtbot.waitUntil(panel.is_current, timeout=5000)
    after = panel.kpi_deltas()["loyalty_index"]
    assert after > before
    expected = analyze(document.project, "future").totals.loyalty_index
    assert after == pytest.approx(100 * (expected - analyze(project, "current").totals
                                         .loyalty_index))
    assert panel.splitter.isEnabled()


def test_set_pair_and_a_journey_that_cannot_be_analysed(qtbot: QtBot) -> None:
    project = read_project(SAMPLE)
    document, panel = open_panel(qtbot, project)
    with qtbot.waitSignal(panel.updated, timeout=5000):
        panel.set_pair("future", "current")
    assert panel.pair() == ("future", "current")
    assert panel.kpi_deltas()["value"] < 0
    with qtbot.waitSignal(panel.updated, timeout=5000):
        document.set_touchpoint_fields(
            "current", list(project.journey("current").touchpoints), entry=0.0)
    message = panel.message()
    assert "Cannot analyse B “Current state”" in message
    assert "Cannot analyse A" not in message
    assert panel.kpi_deltas() == {} and panel.rows() == []
    assert panel.kpi_table.rowCount() == 0
    assert panel.chart.chart.message
    with qtbot.waitSignal(panel.updated, timeout=5000):
        document.undo_stack.undo()
    assert "Cannot" not in panel.message() and panel.kpi_deltas()


def test_renamed_and_removed_journeys_update_the_pickers(qtbot: QtBot) -> None:
    project = read_project(SAMPLE)
    document, panel = open_panel(qtbot, project)
    document.set_journey_fields("future", name="To be")
    assert panel.picker_b.currentText() == "To be"
    with qtbot.waitSignal(panel.updated, timeout=5000):
        document.remove_journey("future")
    assert panel.pair() == ("current", None)
    assert "second journey" in panel.message()


def test_segment_table_shows_the_engines_per_segment_totals(qtbot: QtBot) -> None:
    project = read_project(SAMPLE)
    analysis = analyze(project, "current")
    table = SegmentsResultTable()
    qtbot.addWidget(table)
    table.show_analysis(analysis)
    rows = table.rows()
    assert [r["name"] for r in rows] == [s.name for s in analysis.segments] + [MIXED]
    for row, segment in zip(rows, analysis.segments, strict=False):
        assert row["share"] == pytest.approx(segment.share)
        assert row["loyalty_index"] == pytest.approx(100 * segment.totals.loyalty_index)
        assert row["value"] == pytest.approx(segment.totals.value)
        assert row["exposure_net"] == pytest.approx(segment.totals.exposure_net)
        assert row["referral_r"] == pytest.approx(segment.totals.referral_r)
    assert rows[-1]["value"] == pytest.approx(analysis.totals.value)
    assert rows[-1]["loyalty_index"] == pytest.approx(100 * analysis.totals.loyalty_index)
    shown = table.table
    assert shown.rowCount() == len(analysis.segments) + 1
    assert shown.item(0, 1).text() == "80%"
    assert shown.item(shown.rowCount() - 1, 0).font().bold()
    table.show_analysis(None)
    assert shown.rowCount() == 0


def test_compare_follows_a_switch_to_the_dark_theme(qtbot: QtBot) -> None:
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    _, panel = open_panel(qtbot, read_project(SAMPLE))
    original = QApplication.palette()
    dark = QPalette(original)
    dark.setColor(QPalette.ColorRole.Window, QColor("#202329"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e4e7ec"))
    try:
        QApplication.setPalette(dark)
        qtbot.waitUntil(lambda: panel.chart.backgroundBrush().color() == palette.DARK.card_fill)
    finally:
        QApplication.setPalette(original)
    qtbot.waitUntil(lambda: panel.chart.backgroundBrush().color() == palette.LIGHT.card_fill)


def test_compare_greys_while_pending_and_takes_the_services_results(qtbot: QtBot) -> None:
    document, panel = open_panel(qtbot, read_project(SAMPLE))
    service = document.analysis
    assert panel.result().analysis_b is service.analysis("future")  # the service's own
    document.set_touchpoint_fields("future", ["delivery_call"], satisfaction=0.9)
    assert not panel.splitter.isEnabled() and panel.splitter.toolTip() == UPDATING
    qtbot.waitUntil(panel.is_current, timeout=5000)
    assert panel.splitter.isEnabled() and panel.splitter.toolTip() == ""
    assert panel.result().analysis_b is service.analysis("future")


def test_a_large_map_is_compared_without_blocking(qtbot: QtBot,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analysis_service, "BACKGROUND_FROM", 50)
    project = random_journey(120, seed=5)
    second = copy.deepcopy(project.journeys[0])
    second.id, second.name = "second", "Second"
    project.add_journey(second)
    document = ProjectDocument(project)
    panel = ComparePanel(document)
    qtbot.addWidget(panel)
    panel.show()
    assert document.analysis.is_busy() and not panel.is_current()  # on a worker
    qtbot.waitUntil(panel.is_current, timeout=10_000)
    first = project.journeys[0]
    some = next(iter(first.touchpoints))
    document.set_touchpoint_fields(first.id, [some], satisfaction=0.9)
    assert not panel.is_current() and not panel.splitter.isEnabled()
    qtbot.waitUntil(panel.is_current, timeout=10_000)
    expected = analyze(document.project, first.id, removal_limit=LIVE_REMOVAL_LIMIT)
    assert panel.result().analysis_a.totals == expected.totals

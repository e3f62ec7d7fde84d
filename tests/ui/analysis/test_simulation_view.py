"""The Monte Carlo check on screen: it runs off the GUI thread, reports progress, can be
cancelled, and its means agree with the exact figures within their standard errors."""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QRectF, Qt, QThreadPool
from pytestqt.qtbot import QtBot

from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.simulate import simulate
from cx_mapper.persistence.files import read_project
from cx_mapper.ui.analysis.simulation_view import (
    DEFAULT_CUSTOMERS,
    MAX_CUSTOMERS,
    SimulationRun,
    SimulationView,
)
from cx_mapper.ui.document import analysis_service
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.main_window import MainWindow
from tests.benchmarks.journeys import random_journey
from tests.factories import RETAIL_SAMPLE

SAMPLE = RETAIL_SAMPLE


@pytest.fixture(autouse=True)
def drained_pool() -> Iterator[None]:
    yield
    QThreadPool.globalInstance().waitForDone(30_000)


@pytest.fixture
def view(qtbot: QtBot) -> SimulationView:
    document = ProjectDocument(read_project(SAMPLE))
    widget = SimulationView(document)
    qtbot.addWidget(widget)
    widget.resize(1300, 420)
    widget.show()
    widget.set_journey("current")
    return widget


def run_to_end(qtbot: QtBot, view: SimulationView, timeout: int = 20_000) -> SimulationRun:
    with qtbot.waitSignal(view.finished, timeout=timeout) as blocker:
        assert view.run()
    run: SimulationRun = blocker.args[0]
    return run


def test_defaults_come_from_the_simulator(view: SimulationView) -> None:
    assert view.customers_spin.value() == DEFAULT_CUSTOMERS == 10_000
    assert inspect.signature(simulate).parameters["customers"].default == DEFAULT_CUSTOMERS
    assert view.seed_spin.value() == 0
    assert view.run_button.isEnabled() and not view.cancel_button.isEnabled()
    assert not view.is_running() and view.result() is None


def test_a_run_reaches_100_percent_and_agrees_with_the_exact_figures(
        qtbot: QtBot, view: SimulationView) -> None:
    view.customers_spin.setValue(50_000)
    view.seed_spin.setValue(7)
    shown: list[int] = []
    view.progress.valueChanged.connect(shown.append)
    with qtbot.waitSignal(view.finished, timeout=20_000) as blocker:
        assert view.run()
        assert view.is_running()
        assert not view.run_button.isEnabled() and view.cancel_button.isEnabled()
        assert not view.run()  # one run at a time
    run: SimulationRun = blocker.args[0]
    assert run.ok and not run.stale and not run.cancelled
    assert run.customers == 50_000 and run.seed == 7
    assert view.last_progress == 1.0 and shown[-1] == 100
    assert shown == sorted(shown) and len(shown) > 2  # it moved along the way
    assert not view.is_running() and view.run_button.isEnabled()

    exact = analyze(view._document.project, "current")  # noqa: SLF001
    rows = {row["key"]: row for row in view.rows()}
    assert rows["loyalty_index"]["exact"] == pytest.approx(100 * exact.totals.loyalty_index)
    assert rows["value"]["exact"] == pytest.approx(exact.totals.value)
    for key, row in rows.items():
        assert abs(row["gap"]) < 4.5, (key, row)  # within a few standard errors
    assert rows["value"]["mean"] == pytest.approx(run.simulation.totals.value)
    # The table shows every row, marked as agreeing; the chart shows the percentile bands.
    assert view.table.rowCount() == len(rows)
    assert "SE" in view.table.item(0, 4).text()
    spread = view.chart.charts["exposure"].values
    percentiles = run.simulation.exposure_percentiles.values
    assert list(spread["percentiles"]) == pytest.approx(list(percentiles))
    assert spread["exact"] == pytest.approx(
        exact.totals.exposure_positive + exact.totals.exposure_negative)
    assert set(view.chart.charts) == {"exposure", "exposure_net", "value"}
    assert "50,000 customers" in view.message()


def test_cancel_stops_a_long_run_and_the_view_is_ready_again(
        qtbot: QtBot, view: SimulationView) -> None:
    view.customers_spin.setValue(MAX_CUSTOMERS)
    with qtbot.waitSignal(view.finished, timeout=20_000) as blocker:
        assert view.run()
        view.cancel()
        assert view.message() == "Cancelling…"
    run: SimulationRun = blocker.args[0]
    assert run.cancelled and run.simulation is None
    assert not view.is_running()
    assert view.run_button.isEnabled() and not view.cancel_button.isEnabled()
    assert view.customers_spin.isEnabled() and not view.progress.isVisible()
    assert "Cancelled" in view.message()
    assert view.result() is None


def test_a_result_for_an_older_revision_is_labelled_stale(
        qtbot: QtBot, view: SimulationView) -> None:
    document = view._document  # noqa: SLF001
    view.customers_spin.setValue(1_000)
    run_to_end(qtbot, view)
    assert not view.is_stale() and "Stale" not in view.message()
    document.set_touchpoint_fields("current", ["delivery"], satisfaction=0.9)
    assert view.is_stale()
    assert "Stale" in view.message()
    assert view.table.item(0, 1).foreground().color() != view.table.palette().text().color()

    # Edited while running: the run comes back flagged stale, never shown as current.
    with qtbot.waitSignal(view.finished, timeout=20_000) as blocker:
        view.customers_spin.setValue(200_000)
        assert view.run()
        document.set_touchpoint_fields("current", ["delivery"], satisfaction=0.8)
    assert blocker.args[0].stale
    assert view.is_stale() and "Stale" in view.message()


def test_a_journey_that_cannot_be_simulated_says_why(qtbot: QtBot, view: SimulationView
                                                     ) -> None:
    document = view._document  # noqa: SLF001
    journey = document.journey("current")
    document.set_touchpoint_fields("current", list(journey.touchpoints), entry=0.0)
    run = run_to_end(qtbot, view)
    assert run.error and not run.ok
    assert "Cannot simulate this journey" in view.message()
    assert view.table.rowCount() == 0
    assert view.run_button.isEnabled()


def test_switching_journey_clears_the_result(qtbot: QtBot, view: SimulationView) -> None:
    view.customers_spin.setValue(1_000)
    run_to_end(qtbot, view)
    assert view.table.rowCount() > 0
    view.set_journey("future")
    assert view.result() is None and view.table.rowCount() == 0
    assert view.chart.message_text()
    run = run_to_end(qtbot, view)
    assert run.journey_id == "future" and view.result() is run


def test_the_exact_figures_are_the_services_for_the_simulated_revision(
        qtbot: QtBot, view: SimulationView) -> None:
    document = view._document  # noqa: SLF001
    view.customers_spin.setValue(1_000)
    document.set_touchpoint_fields("current", ["delivery_call"], satisfaction=-0.6)
    run = run_to_end(qtbot, view)  # asked at once after the edit: the new revision's figures
    assert run.revision == document.revision
    assert run.exact is document.analysis.analysis("current")
    assert run.exact.totals == analyze(document.project, "current").totals


def test_a_large_map_waits_for_its_exact_figures_then_runs(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analysis_service, "BACKGROUND_FROM", 50)
    project = random_journey(120, seed=4)
    journey_id = project.journeys[0].id
    document = ProjectDocument(project)
    view = SimulationView(document)
    qtbot.addWidget(view)
    view.set_journey(journey_id)
    view.customers_spin.setValue(500)
    with qtbot.waitSignal(view.finished, timeout=20_000) as blocker:
        assert view.run()
        assert view.is_running() and "Waiting" in view.message()  # analysed on a worker
        assert not view.run()
    run: SimulationRun = blocker.args[0]
    assert run.ok and not run.stale and run.revision == document.revision
    assert run.exact is document.analysis.analysis(journey_id)
    assert not view.is_running() and not view.is_stale()


def test_waiting_for_the_exact_figures_can_be_cancelled(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analysis_service, "BACKGROUND_FROM", 50)
    project = random_journey(120, seed=4)
    document = ProjectDocument(project)
    view = SimulationView(document)
    qtbot.addWidget(view)
    view.set_journey(project.journeys[0].id)
    with qtbot.waitSignal(view.finished, timeout=5_000) as blocker:
        assert view.run()
        view.cancel()
    assert blocker.args[0].cancelled and not view.is_running()
    assert view.run_button.isEnabled()
    qtbot.wait(200)  # the analysis arriving later starts nothing
    assert not view.is_running() and view.result() is None


def label_boxes(labels: list[pg.TextItem]) -> list[QRectF]:
    """Where each percentile's words are drawn, in scene pixels (without the margin the
    text item keeps round them)."""
    boxes = []
    for label in labels:
        margin = label.textItem.document().documentMargin()
        line = label.textItem.boundingRect().adjusted(margin, margin, -margin, -margin)
        boxes.append(label.textItem.mapRectToScene(line))
    return boxes


def test_percentile_labels_never_overlap_on_the_first_run(
        qtbot: QtBot, recovery_folder: str, no_modal_questions: None) -> None:
    """The first run of a session drew its labels before the chart had its size, so they
    were spaced for a taller chart and ran into each other."""
    window = MainWindow(ProjectDocument(read_project(SAMPLE)), recovery_folder=recovery_folder)
    qtbot.addWidget(window)
    window.show()  # the default size, with the dock at its default height
    qtbot.waitExposed(window)
    assert window.tabs.show_journey("current") is not None
    dock = window.analysis
    dock.charts.tabs.setCurrentWidget(dock.simulation)
    view = dock.simulation
    with qtbot.waitSignal(view.finished, timeout=20_000):
        qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    qtbot.wait(50)  # the layout settles
    for key, chart in view.chart.charts.items():
        boxes = label_boxes(chart.items["labels"])
        assert len(boxes) == 5
        for i, box in enumerate(boxes):
            for other in boxes[i + 1:]:
                assert not box.intersects(other), (key, box, other)
        plot_area = chart.items["box"].getViewBox().sceneBoundingRect()
        assert all(plot_area.adjusted(0, -1, 0, 1).contains(box.center()) for box in boxes)

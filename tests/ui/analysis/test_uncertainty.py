"""Show uncertainty: the switch, 90% intervals on the cards as the command line gives
them, rank bands on the fix-first chart, off the GUI thread, restarted by an edit and
never showing a stale result."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt, QThreadPool
from pytestqt.qtbot import QtBot

from cx_mapper.engine.kpis import CARD_KPIS, TOTAL_KPIS
from cx_mapper.engine.uncertainty import uncertainty
from cx_mapper.engine.uncertainty_report import rank_text, uncertainty_lines
from cx_mapper.ui.analysis.uncertainty_view import WORKING
from cx_mapper.ui.document import uncertainty_service
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.document.workers import snapshot_project
from cx_mapper.ui.main_window import MainWindow
from tests.ui.analysis.uncertain import click_tab, press_switch, retail, wait_for_result

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def make_window(qtbot: QtBot, recovery_folder: str,
                no_modal_questions: None) -> Iterator[Callable[..., MainWindow]]:
    """A window on a project; its runs are over before the test ends."""
    made: list[MainWindow] = []

    def make(project: Any) -> MainWindow:
        window = MainWindow(ProjectDocument(project), recovery_folder=recovery_folder)
        qtbot.addWidget(window)
        window.resize(1400, 900)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        window.analysis_dock.raise_()
        made.append(window)
        return window

    yield make
    for window in made:
        window.analysis.uncertainty.set_enabled(False)
    QThreadPool.globalInstance().waitForDone(30_000)
    qtbot.wait(10)  # the cancelled runs' outcomes are delivered


def expected(window: MainWindow, samples: int = 1000) -> Any:
    """The engine's own uncertainty of the journey on show, as the document has it now."""
    project = snapshot_project(window.document.project)
    return uncertainty(project, "current", samples, 0)


def interval_words(found: Any) -> dict[str, str]:
    words = {}
    for kpi in CARD_KPIS:
        low, _, high = found.intervals[kpi.key]
        words[kpi.key] = f"90%: {kpi.value_text(low)} to {kpi.value_text(high)}"
    return words


def test_the_switch_shows_each_cards_90_percent_interval_as_the_command_line_does(
        qtbot: QtBot, make_window: Callable[..., MainWindow],
        monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[bool] = []
    engine = uncertainty_service.engine_uncertainty

    def watched(*args: Any) -> Any:
        threads.append(threading.current_thread() is threading.main_thread())
        return engine(*args)

    monkeypatch.setattr(uncertainty_service, "engine_uncertainty", watched)
    window = make_window(retail())
    cards, action = window.analysis.kpis, window.action("show_uncertainty")
    assert not action.isChecked() and cards.intervals() == {}

    press_switch(qtbot, window)
    assert action.isChecked()
    assert set(cards.intervals().values()) == {WORKING}  # at once, before the run ends
    found = wait_for_result(qtbot, window)
    assert threads == [False]  # one run, on a worker
    shown = cards.intervals()
    assert shown == interval_words(found) == interval_words(expected(window))
    assert shown["loyalty_index"].startswith("90%: +") and " to +" in shown["loyalty_index"]
    assert all(cards.card(kpi.key).interval.isVisible() for kpi in CARD_KPIS)
    # The command line's table, row by row: the same numbers (it writes "-" for "−").
    table = "\n".join(uncertainty_lines(window.document.journey("current"), found))
    for kpi in TOTAL_KPIS:
        low, mid, high = (format(kpi.scale * x, kpi.spec) for x in found.intervals[kpi.key])
        assert f"{mid}  {low}  {high}".replace("  ", " ") in " ".join(table.split())
    assert f"{found.inputs} uncertain inputs" in window.analysis.uncertainty_strip.status.text()

    # Off again with the dock's own switch: the intervals go, and it is remembered.
    button = window.analysis.uncertainty_strip.button
    assert button.isChecked() and button.text() == "Show uncertainty"
    qtbot.mouseClick(button, LEFT)
    assert not action.isChecked() and cards.intervals() == {}
    assert QSettings().value("view/show_uncertainty") in (False, "false")
    assert window.analysis.charts.ranks() is None


def test_the_switch_is_remembered_by_the_next_window(
        qtbot: QtBot, make_window: Callable[..., MainWindow]) -> None:
    first = make_window(retail())
    press_switch(qtbot, first)
    wait_for_result(qtbot, first)
    assert QSettings().value("view/show_uncertainty") in (True, "true")
    first.close()
    second = make_window(retail())
    assert second.action("show_uncertainty").isChecked()
    assert second.analysis.uncertainty.enabled
    found = wait_for_result(qtbot, second)
    assert second.analysis.kpis.intervals() == interval_words(found)


def test_an_edit_restarts_the_run_and_a_stale_result_is_never_shown(
        qtbot: QtBot, make_window: Callable[..., MainWindow],
        monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    runs: list[int] = []
    cancelled: list[int] = []
    engine = uncertainty_service.engine_uncertainty

    def held(project: Any, journey_id: str, samples: int, seed: int,
             progress: Callable[[float], None]) -> Any:
        number = len(runs)
        runs.append(number)
        if number == 0:
            gate.wait(20)  # the first run is still going when the user edits
        try:
            return engine(project, journey_id, samples, seed, progress)
        except Exception:
            cancelled.append(number)
            raise

    monkeypatch.setattr(uncertainty_service, "engine_uncertainty", held)
    window = make_window(retail())
    document, service, cards = window.document, window.analysis.uncertainty, window.analysis.kpis
    service.samples = 200  # the run's length does not matter here; its inputs do
    shown: list[tuple[int, int]] = []
    service.changed.connect(lambda r: r is not None and shown.append(
        (r.revision, document.revision)))
    press_switch(qtbot, window)
    qtbot.waitUntil(lambda: runs == [0])

    # Editing goes on while the run works: three quick edits, one new run after them.
    before = document.journey("current").touchpoints["browse_site"].satisfaction
    for step in (0.1, 0.2, 0.3):
        document.set_touchpoint_fields("current", ["store_visit"],
                                       satisfaction=round(before - step, 2))
        assert set(cards.intervals().values()) == {WORKING}
    gate.set()
    found = wait_for_result(qtbot, window)
    assert runs == [0, 1] and cancelled == [0]
    assert all(revision == now for revision, now in shown)
    edited = interval_words(expected(window, 200))
    assert cards.intervals() == interval_words(found) == edited

    # Undo (Ctrl+Z) and redo (Ctrl+Shift+Z) each bring the figures of that state.
    view = window.tabs.view
    assert view is not None
    view.setFocus()
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert set(cards.intervals().values()) == {WORKING}
    wait_for_result(qtbot, window)
    undone = interval_words(expected(window, 200))
    assert cards.intervals() == undone != edited
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    wait_for_result(qtbot, window)
    assert cards.intervals() == edited
    assert all(revision == now for revision, now in shown)

    # Moving a card changes no figure: the result holds, no new run.
    count = len(runs)
    document.move_touchpoints("current", {"store_visit": (40.0, 40.0)})
    assert service.result() is not None and cards.intervals() == edited
    qtbot.wait(uncertainty_service.DEBOUNCE_MS + 100)
    assert len(runs) == count


def test_the_fix_first_chart_names_each_bars_rank_band_clear_of_the_bars(
        qtbot: QtBot, make_window: Callable[..., MainWindow]) -> None:
    window = make_window(retail())
    charts = window.analysis.charts
    click_tab(qtbot, charts.tabs, charts.chart_widget("Fix first"))
    assert not charts.fix_first_plot.getAxis("right").isVisible()
    press_switch(qtbot, window)
    found = wait_for_result(qtbot, window)
    qtbot.waitUntil(lambda: "ranks" in charts.charts["fix_first"].values)
    chart = charts.charts["fix_first"]
    ranks = chart.values["ranks"]
    assert ranks == ["rank " + rank_text(found.ranks[tid]).replace("-", "–")
                     for tid in chart.ids]
    assert ranks[0].startswith("rank ") and any("–" in text for text in ranks)
    qtbot.wait(50)  # laid out
    axis = charts.fix_first_plot.getAxis("right")
    assert axis.isVisible()
    left_edge = axis.sceneBoundingRect().left()
    for label in chart.items["labels"]:  # the gains' numbers end before the bands begin
        assert label.sceneBoundingRect().right() <= left_edge
    press_switch(qtbot, window)  # off: the bands go
    assert "ranks" not in charts.charts["fix_first"].values
    assert not axis.isVisible()


def test_a_journey_without_evidence_has_no_spread(
        qtbot: QtBot, make_window: Callable[..., MainWindow]) -> None:
    window = make_window(retail(ranges=False, workshop=False))
    press_switch(qtbot, window)
    found = wait_for_result(qtbot, window)
    assert found.inputs == 0
    assert set(window.analysis.kpis.intervals().values()) == {"90%: no spread"}
    assert "No figure carries evidence" in window.analysis.uncertainty_strip.status.text()
    assert window.analysis.charts.ranks() is None


def test_a_journey_that_cannot_be_analysed_says_why(
        qtbot: QtBot, make_window: Callable[..., MainWindow]) -> None:
    window = make_window(retail())
    press_switch(qtbot, window)
    wait_for_result(qtbot, window)
    view = window.tabs.view
    assert view is not None
    view.setFocus()
    qtbot.keyClick(view.viewport(), Qt.Key.Key_J,  # Journey › Add journey: an empty one
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    service = window.analysis.uncertainty
    qtbot.waitUntil(lambda: service.result() is not None, timeout=10_000)
    result = service.result()
    assert result is not None and result.value is None and result.message
    assert set(window.analysis.kpis.intervals().values()) == {"90%: —"}
    assert window.analysis.charts.ranks() is None


@pytest.mark.logs_errors
def test_a_failure_on_the_worker_is_logged_and_said(
        qtbot: QtBot, make_window: Callable[..., MainWindow],
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """A bug in the run is logged as an error (which fails any test not expecting it)."""
    def broken(*_args: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(uncertainty_service, "engine_uncertainty", broken)
    window = make_window(retail())
    press_switch(qtbot, window)
    service = window.analysis.uncertainty
    qtbot.waitUntil(lambda: service.result() is not None)
    assert "The uncertainty analysis failed: boom" in \
        window.analysis.uncertainty_strip.status.text()
    assert any("RuntimeError: boom" in r.getMessage() for r in caplog.records
               if r.levelname == "ERROR")


def test_the_retail_sample_shows_the_command_lines_intervals_for_the_same_seed(
        qtbot: QtBot, make_window: Callable[..., MainWindow],
        capsys: pytest.CaptureFixture[str]) -> None:
    """The sample as shipped, its evidence on: the app's run and `cx-mapper analyze
    --uncertainty --json` give the same intervals, rank bands and research next."""
    import json

    from cx_mapper.cli import main
    from cx_mapper.persistence.files import read_project
    from tests.factories import RETAIL_SAMPLE

    window = make_window(read_project(RETAIL_SAMPLE))
    press_switch(qtbot, window)
    found = wait_for_result(qtbot, window)
    assert main(["analyze", str(RETAIL_SAMPLE), "--uncertainty", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert found.inputs == data["uncertainty"]["inputs"] > 20
    assert {key: list(band) for key, band in found.intervals.items()} == \
        data["totals"]["intervals"]
    assert {tid: list(band) for tid, band in found.ranks.items()} == \
        {tid: tp["rank"] for tid, tp in data["touchpoints"].items()}
    assert found.research_next is not None
    assert found.research_next.key == data["research_next"]["group"]
    assert window.analysis.kpis.intervals() == interval_words(found)

"""The analysis service: one analysis per journey and revision, for every view.

What a user would notice if it broke: figures analysed twice (slow), a burst of edits
analysed edit by edit (a slider drag that lags), an older revision's figures shown as
current, a large map freezing the window, an export that analyses on the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, QThreadPool
from pytestqt.qtbot import QtBot

from cx_mapper.engine import analysis as engine_analysis
from cx_mapper.engine.analysis import analyze
from cx_mapper.ui.document import analysis_service
from cx_mapper.ui.document.analysis_service import LIVE_REMOVAL_LIMIT, Result
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.document.workers import running_tasks
from tests.benchmarks.journeys import random_journey
from tests.factories import sample_project


@pytest.fixture(autouse=True)
def drained_pool() -> Iterator[None]:
    yield
    QThreadPool.globalInstance().waitForDone(10_000)


class Calls:
    """Counts the analyses the service runs, and on which threads."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.threads: list[threading.Thread] = []
        self.limits: list[int] = []

        def counted(*args: object, **kwargs: object) -> object:
            self.threads.append(threading.current_thread())
            self.limits.append(int(kwargs.get("removal_limit", -1)))  # type: ignore[arg-type]
            return analyze(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(analysis_service, "analyze", counted)

    @property
    def count(self) -> int:
        return len(self.threads)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    return Calls(monkeypatch)


@pytest.fixture
def document(qtbot: QtBot) -> ProjectDocument:
    return ProjectDocument(sample_project())


class Signals:
    def __init__(self, document: ProjectDocument) -> None:
        self.ready: list[tuple[str, int]] = []
        self.failed: list[tuple[str, int, str]] = []
        self.pending: list[tuple[str, int]] = []
        service = document.analysis
        service.analysis_ready.connect(lambda j, r, _a: self.ready.append((j, r)))
        service.analysis_failed.connect(lambda j, r, m: self.failed.append((j, r, m)))
        service.analysis_pending.connect(lambda j, r: self.pending.append((j, r)))


def test_two_views_of_one_journey_share_one_analysis(
        document: ProjectDocument, calls: Calls, qtbot: QtBot) -> None:
    service = document.analysis
    first, second = QObject(), QObject()
    service.watch(first, ["now"])
    service.watch(second, ["now"])
    qtbot.waitUntil(lambda: service.analysis("now") is not None)
    assert calls.count == 1
    assert service.analysis("now").totals == analyze(document.project, "now").totals
    service.refresh()  # nothing is stale: nothing is analysed again
    assert calls.count == 1


def test_a_burst_of_edits_is_analysed_once_and_every_view_hears_it_is_stale(
        document: ProjectDocument, calls: Calls, qtbot: QtBot) -> None:
    service = document.analysis
    signals = Signals(document)
    service.watch(document, ["now"])
    service.refresh()
    assert calls.count == 1 and signals.ready == [("now", document.revision)]
    for step in range(10):
        document.set_touchpoint_fields("now", ["ad"], satisfaction=(step + 1) / 10)
    assert service.analysis("now") is None  # stale at once, never shown as current
    assert service.latest("now") is not None  # ...but kept for a greyed view
    assert [r for _j, r in signals.pending] == list(range(1, 11))
    qtbot.waitUntil(lambda: service.analysis("now") is not None)
    assert calls.count == 2  # one analysis for the burst
    assert signals.ready[-1] == ("now", document.revision)
    expected = analyze(document.project, "now")
    assert service.analysis("now").totals == expected.totals
    # undo is an edit like any other: stale, then the figures of the state undone to
    document.undo_stack.undo()
    assert service.analysis("now") is None
    qtbot.waitUntil(lambda: service.analysis("now") is not None)
    assert service.analysis("now").totals == analyze(document.project, "now").totals


def test_unwatched_journeys_are_not_analysed(
        document: ProjectDocument, calls: Calls, qtbot: QtBot) -> None:
    signals = Signals(document)
    document.set_touchpoint_fields("now", ["ad"], satisfaction=0.5)
    qtbot.wait(20)
    assert calls.count == 0 and signals.pending == [] and signals.ready == []


def test_a_journey_that_cannot_be_analysed_says_why(
        document: ProjectDocument, qtbot: QtBot) -> None:
    service = document.analysis
    signals = Signals(document)
    service.watch(document, ["now"])
    document.set_touchpoint_fields("now", ["ad"], entry=0.0)
    qtbot.waitUntil(lambda: bool(signals.failed))
    journey_id, revision, message = signals.failed[-1]
    assert (journey_id, revision) == ("now", document.revision)
    assert "entry" in message
    assert service.analysis("now") is None
    result = service.result_of("now")
    assert result is not None and result.message == message


def test_a_closed_view_stops_watching(document: ProjectDocument, qtbot: QtBot) -> None:
    service = document.analysis
    view = QObject()
    service.watch(view, ["now"])
    assert service.watched() == ("now",)
    view.deleteLater()
    qtbot.waitUntil(lambda: service.watched() == ())


def test_a_large_map_is_analysed_off_the_gui_thread_and_never_shows_an_older_revision(
        qtbot: QtBot, calls: Calls) -> None:
    project = random_journey(analysis_service.BACKGROUND_FROM, seed=3)
    journey_id = project.journeys[0].id
    touchpoint = next(iter(project.journeys[0].touchpoints))
    document = ProjectDocument(project)
    service = document.analysis
    signals = Signals(document)
    service.watch(document, [journey_id])
    service.refresh()
    assert service.is_busy()
    # an edit while the first analysis runs: its result must never be shown
    document.set_touchpoint_fields(journey_id, [touchpoint], satisfaction=0.9)
    qtbot.waitUntil(lambda: service.analysis(journey_id) is not None, timeout=20_000)
    assert {r for _j, r in signals.ready} == {document.revision}
    assert all(thread is not threading.main_thread() for thread in calls.threads)
    assert set(calls.limits) == {LIVE_REMOVAL_LIMIT}
    live = service.analysis(journey_id)
    expected = analyze(document.project, journey_id, removal_limit=LIVE_REMOVAL_LIMIT)
    assert live.totals == expected.totals
    # the 20 busiest touchpoints get their removal effect while editing, as documented
    assert not live.removal_effects_complete
    assert f"for the {LIVE_REMOVAL_LIMIT} busiest touchpoints" in live.notes[0]


def test_an_edit_to_a_large_map_after_a_pause_is_analysed_at_once_and_a_burst_once_more(
        qtbot: QtBot, calls: Calls) -> None:
    """The first edit starts its worker before the window redraws the dimmed marks (the
    debounce used to add 60 ms and that redraw 0.1-0.4 s); the rest of a burst waits."""
    project = random_journey(analysis_service.BACKGROUND_FROM, seed=3)
    journey_id = project.journeys[0].id
    touchpoint = next(iter(project.journeys[0].touchpoints))
    document = ProjectDocument(project)
    service = document.analysis
    service.watch(document, [journey_id])
    service.refresh()
    qtbot.waitUntil(lambda: service.analysis(journey_id) is not None, timeout=20_000)
    qtbot.wait(analysis_service.BACKGROUND_DEBOUNCE_MS * 2)  # a pause
    document.set_touchpoint_fields(journey_id, [touchpoint], satisfaction=0.9)
    assert len(calls.threads) == 2 or running_tasks(), "started with the edit itself"
    for step in range(5):  # a slider drag right after
        document.set_touchpoint_fields(journey_id, [touchpoint], satisfaction=step / 10)
    qtbot.waitUntil(lambda: service.analysis(journey_id) is not None, timeout=20_000)
    assert len(calls.threads) == 3, "the burst is analysed once after the first edit"
    expected = analyze(document.project, journey_id, removal_limit=LIVE_REMOVAL_LIMIT)
    assert service.analysis(journey_id).totals == expected.totals


def test_an_export_reuses_a_complete_current_result(
        document: ProjectDocument, calls: Calls, qtbot: QtBot) -> None:
    service = document.analysis
    service.watch(document, ["now"])
    service.refresh()
    got: list[Result] = []
    assert service.analyse_for_export("now", lambda r, _p: got.append(r)) is None
    assert calls.count == 1 and got[0].analysis is service.analysis("now")


def test_an_export_of_a_large_map_gets_every_removal_effect_off_the_gui_thread(
        qtbot: QtBot, calls: Calls) -> None:
    project = random_journey(analysis_service.BACKGROUND_FROM, seed=3)
    journey_id = project.journeys[0].id
    document = ProjectDocument(project)
    service = document.analysis
    got: list[Result] = []

    class Receiver(QObject):
        def take(self, result: Result, _project: object) -> None:
            got.append(result)

    receiver = Receiver()
    task = service.analyse_for_export(journey_id, receiver.take)
    assert task is not None  # nothing current to reuse: a worker runs it
    qtbot.waitUntil(lambda: bool(got), timeout=20_000)
    assert all(thread is not threading.main_thread() for thread in calls.threads)
    assert got[0].analysis is not None and got[0].analysis.removal_effects_complete
    assert got[0].analysis.totals == engine_analysis.analyze(project, journey_id).totals
    # asked again at the same revision: the complete result is reused, no new analysis
    count = calls.count
    assert service.analyse_for_export(journey_id, receiver.take) is None
    assert calls.count == count and got[-1] is got[0]


def test_moving_cards_keeps_the_figures_current_with_no_new_analysis(
        qtbot: QtBot, calls: Calls) -> None:
    """A drag or auto-layout changes no figure: the result is carried to the new
    revision at once (no greyed views, no analysis); any figure-changing edit after it,
    and its undo, is analysed as before."""
    project = random_journey(analysis_service.BACKGROUND_FROM, seed=5)
    journey = project.journeys[0]
    journey_id = journey.id
    first, second = list(journey.touchpoints)[:2]
    document = ProjectDocument(project)
    service = document.analysis
    signals = Signals(document)
    service.watch(document, [journey_id])
    service.refresh()
    qtbot.waitUntil(lambda: service.analysis(journey_id) is not None, timeout=20_000)
    shown = service.analysis(journey_id)
    assert calls.count == 1
    document.move_touchpoints(journey_id, {first: (900.0, 40.0), second: (20.0, 700.0)})
    assert service.analysis(journey_id) is shown, "current at once, the same figures"
    assert signals.pending == [] and signals.ready[-1] == (journey_id, document.revision)
    document.undo_stack.undo()
    assert service.analysis(journey_id) is shown and signals.pending == []
    # The journey's name is not a figure either.
    document.set_journey_fields(journey_id, name="Renamed")
    assert service.analysis(journey_id) is shown and signals.pending == []
    assert calls.count == 1
    # A satisfaction changes figures: stale at once, analysed again.
    document.set_touchpoint_fields(journey_id, [first], satisfaction=0.7)
    assert service.analysis(journey_id) is None
    assert signals.pending == [(journey_id, document.revision)]
    qtbot.waitUntil(lambda: service.analysis(journey_id) is not None, timeout=20_000)
    assert calls.count == 2
    assert service.analysis(journey_id).totals == analyze(
        document.project, journey_id, removal_limit=LIVE_REMOVAL_LIMIT).totals
    # ...and a card moved while it is being moved and re-analysed keeps up too.
    document.move_touchpoints(journey_id, {first: (0.0, 0.0)})
    assert service.analysis(journey_id) is not None and calls.count == 2


def test_a_segment_edit_is_a_figure_edit(document: ProjectDocument, calls: Calls,
                                         qtbot: QtBot) -> None:
    service = document.analysis
    service.watch(document, ["now"])
    service.refresh()
    segment = document.project.segments[0]
    document.update_segment(segment.id, tell_positive=segment.tell_positive + 3)
    assert service.analysis("now") is None
    qtbot.waitUntil(lambda: service.analysis("now") is not None)
    assert calls.count == 2

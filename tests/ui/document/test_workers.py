"""Background tasks: results and errors come back on the GUI thread, tagged with the
revision they were computed for, so a caller never shows a stale result as current."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThread, QThreadPool
from pytestqt.qtbot import QtBot

from cx_mapper.ui.document.workers import (
    Outcome,
    Task,
    TaskCancelled,
    run_in_background,
    running_tasks,
    snapshot_project,
)
from tests.factories import sample_project


@pytest.fixture(autouse=True)
def drained_pool() -> Iterator[None]:
    yield
    QThreadPool.globalInstance().waitForDone(10_000)


def run(qtbot: QtBot, function, revision: int = 1, current: int | None = None) -> Outcome:
    outcomes: list[Outcome] = []
    task = run_in_background(
        function, revision,
        current_revision=(lambda: current) if current is not None else None,
        on_finished=outcomes.append)
    qtbot.waitUntil(lambda: bool(outcomes), timeout=5000)
    assert not task.is_running()
    assert len(outcomes) == 1
    return outcomes[0]


def test_the_value_comes_back_on_the_gui_thread_computed_on_another(qtbot: QtBot) -> None:
    gui = QThread.currentThread()
    seen: list[bool] = []

    def work(_task: Task) -> int:
        seen.append(threading.current_thread() is threading.main_thread())
        return 42

    delivered_on: list[QThread] = []
    outcomes: list[Outcome] = []

    def finished(outcome: Outcome) -> None:
        delivered_on.append(QThread.currentThread())
        outcomes.append(outcome)

    run_in_background(work, 7, on_finished=finished)
    qtbot.waitUntil(lambda: bool(outcomes), timeout=5000)
    assert seen == [False]
    assert delivered_on == [gui]
    outcome = outcomes[0]
    assert outcome.ok and outcome.value == 42 and outcome.revision == 7
    assert not outcome.stale and not outcome.cancelled


def test_a_raised_error_is_delivered_with_its_traceback(qtbot: QtBot) -> None:
    def work(_task: Task) -> None:
        raise ValueError("no entry touchpoint")

    outcome = run(qtbot, work)
    assert not outcome.ok
    assert isinstance(outcome.error, ValueError)
    assert str(outcome.error) == "no entry touchpoint"
    assert "in work" in outcome.details


def test_a_result_for_an_older_revision_is_flagged_stale(qtbot: QtBot) -> None:
    assert run(qtbot, lambda _t: "figures", revision=3, current=4).stale
    assert not run(qtbot, lambda _t: "figures", revision=4, current=4).stale


def test_progress_arrives_in_order_and_cancel_stops_the_function(qtbot: QtBot) -> None:
    started = threading.Event()
    fractions: list[float] = []
    outcomes: list[Outcome] = []

    def work(task: Task) -> str:
        task.report(0.25)
        started.set()
        for _ in range(500):
            task.check_cancelled()
            time.sleep(0.01)
        return "done"

    task = run_in_background(work, 1, on_finished=outcomes.append,
                             on_progress=fractions.append)
    assert task in running_tasks()
    assert started.wait(5)
    task.cancel()
    qtbot.waitUntil(lambda: bool(outcomes), timeout=5000)
    assert fractions == [0.25]
    assert outcomes[0].cancelled and isinstance(outcomes[0].error, TaskCancelled)
    assert task not in running_tasks()


def test_a_snapshot_is_not_changed_by_later_edits() -> None:
    project = sample_project()
    project.cost_unit = "k€"
    copy = snapshot_project(project, ["now", "unknown"])
    project.journey("now").update_touchpoint("ad", satisfaction=-1.0)
    assert [j.id for j in copy.journeys] == ["now"]
    assert copy.journey("now").touchpoint("ad").satisfaction == 0.0
    assert copy.segments == project.segments
    # what a worker words in money keeps the project's unit (research next's budget)
    assert copy.cost_unit == "k€"


def test_the_callers_tag_comes_back_and_a_destroyed_receiver_is_not_called(
        qtbot: QtBot) -> None:
    from PySide6.QtCore import QObject
    from shiboken6 import delete

    class Receiver(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.outcomes: list[Outcome] = []

        def on_finished(self, outcome: Outcome) -> None:
            self.outcomes.append(outcome)

    kept, dropped = Receiver(), Receiver()
    release = threading.Event()

    def work(_task: Task) -> str:
        release.wait(5)
        return "figures"

    run_in_background(work, 1, on_finished=kept.on_finished, tag=("journey", 3))
    run_in_background(work, 1, on_finished=dropped.on_finished)
    delete(dropped)  # the panel was closed while its analysis ran
    release.set()
    qtbot.waitUntil(lambda: bool(kept.outcomes), timeout=5000)
    qtbot.waitUntil(lambda: not running_tasks(), timeout=5000)
    assert kept.outcomes[0].tag == ("journey", 3)

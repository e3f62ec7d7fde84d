"""Crash recovery: unsaved work survives a crash and is offered on the next start."""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths
from pytestqt.qtbot import QtBot

from cx_mapper.persistence.json_format import read_project, write_project
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.files.recovery import Recovery, RecoveryEntry, default_folder
from tests.factories import (
    RETAIL_SAMPLE,
    ROOT,
    evidenced_project,
    sample_project,
    state,
    story_project,
)

CRASHING_SESSION = textwrap.dedent("""
    import sys, time
    from PySide6.QtCore import QCoreApplication, QElapsedTimer
    from cx_mapper.persistence.files import read_project
    from cx_mapper.ui.document.project_document import ProjectDocument
    from cx_mapper.ui.files.recovery import Recovery

    app = QCoreApplication([])
    path, folder = sys.argv[1:3]
    document = ProjectDocument(read_project(path), path)
    recovery = Recovery(document, interval_ms=50, folder=folder)
    document.rename_touchpoint("now", "ad", "Edited before the crash")
    document.set_transition_fields("now", [("ad", "shop")], probability=0.35)
    clock = QElapsedTimer()
    clock.start()
    while not recovery.meta_path.exists() and clock.elapsed() < 10_000:
        app.processEvents()
        time.sleep(0.01)
    print("written" if recovery.meta_path.exists() else "not written", flush=True)
    time.sleep(120)  # until killed: the crash
""")


@pytest.fixture
def folder(tmp_path: Path) -> str:
    return str(tmp_path / "recovery")


def project_file(tmp_path: Path) -> str:
    path = str(tmp_path / "journey.json")
    write_project(sample_project(), path)
    return path


def edit(document: ProjectDocument) -> None:
    document.rename_touchpoint("now", "ad", "Edited")


def test_a_killed_session_is_offered_and_restored_with_its_original_path(
    qtbot: QtBot, tmp_path: Path, folder: str
) -> None:
    path = project_file(tmp_path)
    crashing = subprocess.Popen(
        [sys.executable, "-c", CRASHING_SESSION, path, folder],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    try:
        assert crashing.stdout is not None
        assert crashing.stdout.readline().strip() == "written"
        assert Recovery.pending(folder) == []  # still running: not a crash
    finally:
        crashing.kill()
        crashing.wait(timeout=10)

    # The next start.
    entries = Recovery.pending(folder)
    assert len(entries) == 1
    entry = entries[0]
    assert entry.location == path and entry.name == "journey.json"
    assert datetime.now(UTC) - entry.saved_at < timedelta(minutes=5)

    document = ProjectDocument()
    recovery = Recovery(document, folder=folder)
    recovery.restore(entry)
    journey = document.project.journey("now")
    assert journey.touchpoint("ad").name == "Edited before the crash"
    assert journey.transition("ad", "shop").probability == 0.35
    assert document.is_modified
    assert document.path == Path(path)
    assert not entry.meta_path.exists() and not entry.project_path.exists()
    assert recovery.project_path.exists()  # the restored work is protected again
    assert Recovery.pending(folder) == []  # and this live session is not offered


def test_writes_on_the_interval_while_modified_and_a_live_session_is_not_offered(
    qtbot: QtBot, tmp_path: Path, folder: str
) -> None:
    document = ProjectDocument(sample_project(), project_file(tmp_path))
    recovery = Recovery(document, interval_ms=30, folder=folder)
    qtbot.wait(100)
    assert not recovery.project_path.exists()  # nothing unsaved, nothing written
    edit(document)
    with qtbot.waitSignal(recovery.written, timeout=2000):
        pass
    meta = json.loads(recovery.meta_path.read_text())
    assert meta["location"] == str(document.path) and meta["name"] == "journey.json"
    assert meta["app_version"] and meta["saved_at"]
    assert Recovery.pending(folder) == []


def test_a_crash_in_this_process_leaves_an_entry_the_next_session_restores(
    qtbot: QtBot, folder: str
) -> None:
    document = ProjectDocument(sample_project())  # untitled
    recovery = Recovery(document, folder=folder)
    edit(document)
    assert recovery.write_now()
    edited = state(document.project)
    # The crash: no discard(), the object and its lock simply go away.
    del recovery
    gc.collect()

    entries = Recovery.pending(folder)
    assert [e.name for e in entries] == ["Sample"] and entries[0].location is None
    fresh = ProjectDocument()
    Recovery(fresh, folder=folder).restore(entries[0])
    assert state(fresh.project) == edited
    assert fresh.is_modified and fresh.path is None


def test_saving_or_undoing_to_clean_removes_the_recovery_files(
    tmp_path: Path, folder: str
) -> None:
    path = project_file(tmp_path)
    document = ProjectDocument(sample_project(), path)
    recovery = Recovery(document, folder=folder)
    edit(document)
    assert recovery.write_now()
    assert recovery.project_path.exists() and recovery.meta_path.exists()
    document.mark_saved(path)
    assert not recovery.project_path.exists() and not recovery.meta_path.exists()
    assert not recovery.write_now()  # clean: nothing to keep

    document.rename_touchpoint("now", "site", "Edited again")
    assert recovery.write_now()
    document.undo_stack.undo()
    assert not document.is_modified
    assert not recovery.project_path.exists()
    assert os.listdir(folder) == []  # no lock file left either


def test_discard_on_a_clean_close_leaves_nothing_to_restore(qtbot: QtBot, folder: str) -> None:
    document = ProjectDocument(sample_project())
    recovery = Recovery(document, interval_ms=30, folder=folder)
    edit(document)
    assert recovery.write_now()
    recovery.discard()
    assert os.listdir(folder) == []
    del recovery
    gc.collect()
    assert Recovery.pending(folder) == []


def test_a_project_the_strict_reader_refuses_is_still_recovered_exactly(
    folder: str,
) -> None:
    document = ProjectDocument(sample_project())
    recovery = Recovery(document, folder=folder)
    # Mid-edit: 'ad' sends 150% onward; a save would refuse this, recovery must not.
    document.set_transition_fields("now", [("ad", "shop")], probability=0.9)
    document.update_segment("all", share=0.5)
    edited = state(document.project)
    assert recovery.write_now()
    del recovery
    gc.collect()

    fresh = ProjectDocument()
    Recovery(fresh, folder=folder).restore(Recovery.pending(folder)[0])
    assert state(fresh.project) == edited


@pytest.mark.parametrize("refused", [False, True], ids=["valid", "refused by the reader"])
def test_lanes_notes_personas_and_images_are_recovered_exactly(folder: str,
                                                               refused: bool) -> None:
    document = ProjectDocument(story_project())
    recovery = Recovery(document, folder=folder)
    document.rename_touchpoint("current", "reviews", "Reads reviews")
    if refused:  # mid-edit: 'friend_post' sends more than 100% onward
        document.set_transition_fields(
            "current", [next(k for k in document.journey("current").transitions
                             if k[0] == "friend_post")], probability=1.0)
    edited = state(document.project)
    assert recovery.write_now()
    del recovery
    gc.collect()

    fresh = ProjectDocument()
    Recovery(fresh, folder=folder).restore(Recovery.pending(folder)[0])
    assert state(fresh.project) == edited
    assert fresh.project.images["ana"].data == document.project.images["ana"].data


def test_pending_is_newest_first_skips_unreadable_and_discard_entry_deletes(
    folder: str,
) -> None:
    for number, when in enumerate(("2026-01-01T10:00:00+00:00", "2026-03-01T10:00:00+00:00")):
        document = ProjectDocument(sample_project())
        document.project.name = f"Project {number}"
        recovery = Recovery(document, folder=folder)
        edit(document)
        assert recovery.write_now()
        meta = json.loads(recovery.meta_path.read_text())
        recovery.meta_path.write_text(json.dumps({**meta, "saved_at": when}))
        del recovery, document
        gc.collect()
    Path(folder, "garbage.meta.json").write_text("{ not json")
    Path(folder, "orphan.meta.json").write_text(json.dumps(
        {"format": "cx-mapper-recovery/1", "saved_at": "2026-02-01T00:00:00+00:00"}))

    entries = Recovery.pending(folder)
    assert [e.name for e in entries] == ["Project 1", "Project 0"]
    assert all(isinstance(e, RecoveryEntry) for e in entries)
    Recovery.discard_entry(entries[0])
    assert [e.name for e in Recovery.pending(folder)] == ["Project 0"]
    assert not entries[0].project_path.exists()


def test_the_default_folder_is_in_the_app_data_location() -> None:
    location = QStandardPaths.StandardLocation.AppLocalDataLocation
    assert default_folder() == os.path.join(QStandardPaths.writableLocation(location),
                                            "recovery")
    assert Recovery.pending() == []


@pytest.mark.parametrize("refused", [False, True], ids=["valid", "refused by the reader"])
def test_opportunities_plan_and_cost_unit_are_recovered_exactly(folder: str,
                                                                refused: bool) -> None:
    project = read_project(RETAIL_SAMPLE)
    document = ProjectDocument(project)
    recovery = Recovery(document, folder=folder)
    journey = document.journey("current")
    if refused:  # mid-edit: an opportunity's cost the files refuse
        journey.opportunities[0] = dataclasses.replace(journey.opportunities[0], cost=-1.0)
    document.set_journey_fields("current", name="Today")
    edited = state(document.project)
    assert recovery.write_now()
    del recovery
    gc.collect()

    fresh = ProjectDocument()
    Recovery(fresh, folder=folder).restore(Recovery.pending(folder)[0])
    recovered = fresh.project
    assert state(recovered) == edited
    assert recovered.cost_unit == "k€"
    assert recovered.journey("current").opportunities == document.journey("current").opportunities
    assert recovered.journey("current").plan == document.journey("current").plan


def test_measured_figures_and_times_are_recovered_exactly(folder: str) -> None:
    """What an event log gave a journey: sigma0 of its rows, its times."""
    project = sample_project()
    journey = project.journey("now")
    key = next(iter(journey.transitions))
    journey.update_transition(*key, time_median=3030.0, time_p90=5406.0)
    journey.update_stage(journey.stages[0].id, time_median=86400.0, time_p90=3 * 86400.0)
    journey.update_touchpoint("ad", measured_satisfaction=0.25)
    document = ProjectDocument(project)
    recovery = Recovery(document, folder=folder)
    document.set_journey_fields("now", name="Today")
    edited = document.project.journey("now")
    assert recovery.write_now()
    del recovery
    gc.collect()

    fresh = ProjectDocument()
    Recovery(fresh, folder=folder).restore(Recovery.pending(folder)[0])
    recovered = fresh.project.journey("now")
    assert recovered.transitions == edited.transitions and recovered.stages == edited.stages
    assert recovered.touchpoints["ad"].measured_satisfaction == 0.25


@pytest.mark.parametrize("refused", [False, True], ids=["valid", "refused by the reader"])
def test_evidence_is_recovered_exactly(folder: str, refused: bool) -> None:
    """How each figure is known, on touchpoints, transitions, segments and a touchpoint
    an opportunity adds."""
    document = ProjectDocument(evidenced_project())
    recovery = Recovery(document, folder=folder)
    document.rename_touchpoint("now", "ad", "Edited")
    if refused:  # mid-edit: 'ad' sends more than 100% onward
        document.set_transition_fields("now", [("ad", "shop")], probability=0.9)
    edited = document.project
    assert recovery.write_now()
    del recovery
    gc.collect()

    fresh = ProjectDocument()
    Recovery(fresh, folder=folder).restore(Recovery.pending(folder)[0])
    recovered = fresh.project
    assert state(recovered) == state(edited)
    assert recovered.segments[0].evidence == edited.segments[0].evidence
    assert recovered.journey("now").touchpoints["ad"].evidence == \
        edited.journey("now").touchpoints["ad"].evidence
    assert len(recovered.journey("now").touchpoints["ad"].evidence) == 5
    assert (recovered.journey("now").transitions[("ad", "site")].evidence
            == edited.journey("now").transitions[("ad", "site")].evidence)
    assert recovered.journey("now").opportunities == edited.journey("now").opportunities

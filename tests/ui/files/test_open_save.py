"""File menu behaviour: new, open, save, save as, import, export and recent files.

Every dialog is answered by the test; an unexpected question fails it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from cx_mapper.domain.journey import Touchpoint
from cx_mapper.domain.project import SOCIAL_MEDIA_USERS, Project
from cx_mapper.persistence.json_format import dumps_project, write_project
from cx_mapper.persistence.json_format import read_project as read_json
from cx_mapper.persistence.project_file import open_project, save_project
from cx_mapper.persistence.schema import JourneyRevision
from cx_mapper.persistence.team_store import ConflictError, StoredProject, TeamStore
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.files.open_save import MAX_RECENT, FileController
from tests.factories import sample_project, state

DIALOGS = ("ask_open_location", "ask_import_path", "ask_save_path", "ask_unsaved",
           "ask_changed_on_disk", "ask_store_project", "ask_store_url", "show_error")


class Harness:
    """A document, its controller, and a record of every question and message."""

    def __init__(self, qtbot: QtBot, view_state: dict[tuple[str, str], str]) -> None:
        self.window = QWidget()
        qtbot.addWidget(self.window)
        self.doc = ProjectDocument(sample_project())
        self.files = FileController(self.doc, self.window, view_state=lambda: view_state)
        self.asked: list[tuple[str, tuple[Any, ...]]] = []
        self.errors: list[str] = []
        self.statuses: list[str] = []
        self.files.status.connect(self.statuses.append)
        for name in DIALOGS:
            self.answer(name, None, unexpected=True)
        self.files.show_error = self.errors.append  # type: ignore[method-assign]

    def answer(self, dialog: str, value: Any, *, unexpected: bool = False) -> None:
        """Answer `dialog` with `value` (a list answers successive calls in turn)."""
        answers = list(value) if isinstance(value, list) else None

        def respond(*args: Any, **kwargs: Any) -> Any:
            if unexpected:
                raise AssertionError(f"unexpected dialog {dialog}{args}")
            self.asked.append((dialog, (*args, *kwargs.values())))
            return answers.pop(0) if answers is not None else value

        setattr(self.files, dialog, respond)

    def edit(self) -> None:
        self.doc.rename_touchpoint("now", "ad", "Sees an ad")


@pytest.fixture
def h(qtbot: QtBot) -> Harness:
    return Harness(qtbot, {("", "zoom"): "1.5", ("now", "scroll"): "10,20"})


def saved_file(tmp_path: Path, name: str, project: Project | None = None) -> str:
    path = str(tmp_path / name)
    project = project or sample_project()
    if name.endswith(".cxmap"):
        save_project(project, path)
    else:
        write_project(project, path)
    return path


def read_back(path: str) -> Project:
    return open_project(path).project if path.endswith(".cxmap") else read_json(path)


# -- new -----------------------------------------------------------------------------


def test_new_blank_and_from_template_on_a_clean_document(h: Harness) -> None:
    assert h.files.new_project()
    assert [j.name for j in h.doc.project.journeys] == ["Current state"]
    assert not h.doc.project.journeys[0].touchpoints
    assert h.doc.path is None and h.files.location is None and not h.doc.is_modified

    assert h.files.new_project(template=True)
    assert [s.name for s in h.doc.project.journeys[0].stages][0] == "Awareness"
    assert h.asked == []  # nothing to save, nothing asked


def test_new_with_unsaved_changes_cancel_keeps_discard_drops(h: Harness) -> None:
    h.edit()
    before = state(h.doc.project)
    h.answer("ask_unsaved", "cancel")
    assert not h.files.new_project()
    assert state(h.doc.project) == before and h.doc.is_modified

    h.answer("ask_unsaved", "discard")
    assert h.files.new_project(template=True)
    assert h.doc.project.journeys[0].name == "Current state"
    assert not h.doc.is_modified


def test_new_with_unsaved_changes_save_writes_first(h: Harness, tmp_path: Path) -> None:
    path = saved_file(tmp_path, "sample.cxmap")
    assert h.files.open(path)
    h.edit()
    edited = state(h.doc.project)
    h.answer("ask_unsaved", "save")
    assert h.files.new_project()
    assert state(read_back(path)) == edited
    assert h.files.location is None


def test_save_answer_that_fails_cancels_the_new_project(h: Harness) -> None:
    h.edit()
    before = state(h.doc.project)
    h.answer("ask_unsaved", "save")
    h.answer("ask_save_path", None)  # the user cancels the Save As dialog
    assert not h.files.new_project()
    assert state(h.doc.project) == before and h.doc.is_modified


# -- open ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["retail.cxmap", "retail.json"])
def test_open_sets_path_title_and_clean_state(qtbot: QtBot, h: Harness, tmp_path: Path,
                                              name: str) -> None:
    project = sample_project()
    project.journeys[0].update_touchpoint("ad", name="From disk")
    path = saved_file(tmp_path, name, project)
    h.edit()
    h.answer("ask_unsaved", "discard")
    loaded: list[object] = []
    h.files.view_state_loaded.connect(loaded.append)
    with qtbot.waitSignal(h.files.opened) as opened:
        assert h.files.open(path)
    assert opened.args == [path]
    assert h.doc.project.journeys[0].touchpoint("ad").name == "From disk"
    assert h.doc.path == Path(path) and h.doc.display_name == name
    assert not h.doc.is_modified
    assert h.files.location == path
    assert h.files.recent_files() == [path]
    assert loaded == [{}]


def test_open_cxmap_hands_its_view_state_to_the_window(h: Harness, tmp_path: Path) -> None:
    path = str(tmp_path / "view.cxmap")
    save_project(sample_project(), path, view_state={("", "zoom"): "2.0"})
    loaded: list[object] = []
    h.files.view_state_loaded.connect(loaded.append)
    assert h.files.open(path)
    assert loaded == [{("", "zoom"): "2.0"}]


def test_open_asks_for_a_location_when_none_given(h: Harness, tmp_path: Path) -> None:
    path = saved_file(tmp_path, "asked.json")
    h.answer("ask_open_location", path)
    assert h.files.open()
    assert h.files.location == path
    h.answer("ask_open_location", None)
    assert not h.files.open()


def test_open_a_broken_file_names_file_element_and_field_and_keeps_the_project(
    h: Harness, tmp_path: Path
) -> None:
    data = json.loads(dumps_project(sample_project()))
    data["journeys"][0]["touchpoints"][0]["satisfaction"] = 5
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data))
    h.edit()
    before = state(h.doc.project)
    assert not h.files.open(str(path))
    assert len(h.errors) == 1
    message = h.errors[0]
    assert str(path) in message
    assert "journey 'now'" in message and "touchpoint 'ad'" in message
    assert "field 'satisfaction'" in message
    assert state(h.doc.project) == before and h.doc.is_modified
    assert h.asked == []  # no "save changes?" for a file that cannot be opened


def test_open_not_a_project_cxmap_shows_why(h: Harness, tmp_path: Path) -> None:
    path = tmp_path / "notes.cxmap"
    path.write_text("just some notes")
    assert not h.files.open(str(path))
    assert str(path) in h.errors[0] and "not a CX Mapper project file" in h.errors[0]


# -- save ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["round.cxmap", "round.json"])
def test_edit_save_reopen_round_trip(qtbot: QtBot, h: Harness, tmp_path: Path,
                                     name: str) -> None:
    path = saved_file(tmp_path, name)
    assert h.files.open(path)
    h.edit()
    h.doc.move_touchpoints("now", {"site": (260.0, 120.0)})
    h.doc.update_segment("all", tell_positive=20.0)
    edited = state(h.doc.project)
    with qtbot.waitSignal(h.files.saved):
        assert h.files.save()
    assert not h.doc.is_modified
    assert h.asked == []  # saved in place, in the same format
    if name.endswith(".json"):
        assert json.loads(Path(path).read_text())["format"] == "cx-mapper/1"
    else:
        assert open_project(path).view_state == {("", "zoom"): "1.5", ("now", "scroll"): "10,20"}

    other = Harness(qtbot, {})
    assert other.files.open(path)
    assert state(other.doc.project) == edited


def test_save_untitled_asks_for_a_name_and_defaults_to_cxmap(h: Harness,
                                                           tmp_path: Path) -> None:
    h.edit()
    h.answer("ask_save_path", str(tmp_path / "first"))
    assert h.files.save()
    assert h.asked == [("ask_save_path", ("Save As", False))]
    path = str(tmp_path / "first.cxmap")
    assert h.files.location == path and h.doc.path == Path(path)
    assert state(open_project(path).project) == state(h.doc.project)


def test_save_as_json_then_save_keeps_writing_json(h: Harness, tmp_path: Path) -> None:
    path = str(tmp_path / "shared.json")
    h.answer("ask_save_path", path)
    assert h.files.save_as()
    assert h.doc.display_name == "shared.json" and not h.doc.is_modified
    h.edit()
    assert h.files.save()
    assert read_json(path).journeys[0].touchpoint("ad").name == "Sees an ad"
    assert len(h.asked) == 1


def test_a_failed_save_shows_why_and_keeps_the_file(h: Harness, tmp_path: Path) -> None:
    path = saved_file(tmp_path, "keep.cxmap")
    assert h.files.open(path)
    original = Path(path).read_bytes()
    h.doc.set_transition_fields("now", [("ad", "shop")], probability=0.9)  # 150% out of 'ad'
    assert not h.files.save()
    assert "touchpoint 'ad'" in h.errors[0]
    assert Path(path).read_bytes() == original
    assert h.doc.is_modified


def change_on_disk(path: str) -> bytes:
    """Someone else saves the file: new content, a later modification time."""
    project = sample_project()
    project.name = "Someone else's"
    if path.endswith(".cxmap"):
        save_project(project, path)
    else:
        write_project(project, path)
    later = os.stat(path).st_mtime_ns + 5_000_000_000
    os.utime(path, ns=(later, later))
    return Path(path).read_bytes()


@pytest.mark.parametrize("name", ["shared.cxmap", "shared.json"])
def test_save_onto_a_file_changed_on_disk_cancel_leaves_it_byte_for_byte(
    h: Harness, tmp_path: Path, name: str
) -> None:
    path = saved_file(tmp_path, name)
    assert h.files.open(path)
    h.edit()
    theirs = change_on_disk(path)
    h.answer("ask_changed_on_disk", "cancel")
    assert not h.files.save()
    (question, (message,)), = h.asked
    assert question == "ask_changed_on_disk"
    assert path in message and "changed on disk at" in message
    assert Path(path).read_bytes() == theirs
    assert h.doc.is_modified


def test_save_onto_a_changed_file_overwrite_writes_ours(h: Harness, tmp_path: Path) -> None:
    path = saved_file(tmp_path, "shared.cxmap")
    assert h.files.open(path)
    h.edit()
    change_on_disk(path)
    h.answer("ask_changed_on_disk", "overwrite")
    assert h.files.save()
    assert state(open_project(path).project) == state(h.doc.project)
    assert not h.doc.is_modified
    h.edit()
    assert h.files.save()  # the new fingerprint is ours: no second question
    assert len(h.asked) == 1


def test_save_onto_a_changed_file_save_as_keeps_both(h: Harness, tmp_path: Path) -> None:
    path = saved_file(tmp_path, "shared.cxmap")
    assert h.files.open(path)
    h.edit()
    theirs = change_on_disk(path)
    mine = str(tmp_path / "mine.cxmap")
    h.answer("ask_changed_on_disk", "save_as")
    h.answer("ask_save_path", mine)
    assert h.files.save()
    assert Path(path).read_bytes() == theirs
    assert state(open_project(mine).project) == state(h.doc.project)
    assert h.files.location == mine and h.doc.path == Path(mine)


# -- import and export -----------------------------------------------------------------


def test_import_json_adds_journeys_as_one_undo_step(h: Harness, tmp_path: Path) -> None:
    other = sample_project()
    other.segments = [SOCIAL_MEDIA_USERS]
    other.journeys[0].name = "Future state"
    other.journeys[0].add_touchpoint(Touchpoint("chat", name="Chat"))
    path = saved_file(tmp_path, "future.json", other)
    before = state(h.doc.project)
    steps = h.doc.undo_stack.count()

    assert h.files.import_json(path)
    journeys = h.doc.project.journeys
    assert [j.name for j in journeys] == ["Current state", "Future state"]
    assert journeys[1].id != journeys[0].id
    assert "chat" in journeys[1].touchpoints
    assert h.doc.project.segments == sample_project().segments  # untouched
    assert "segments were not imported" in h.statuses[-1]
    assert h.doc.undo_stack.count() == steps + 1 and h.doc.is_modified

    h.doc.undo_stack.undo()
    assert state(h.doc.project) == before
    h.doc.undo_stack.redo()
    assert [j.name for j in h.doc.project.journeys] == ["Current state", "Future state"]


def test_import_a_broken_file_changes_nothing(h: Harness, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"format": "cx-mapper/1", "journeys": [{"id": "x", "colour": 1}]}')
    assert not h.files.import_json(str(path))
    assert "colour" in h.errors[0] and str(path) in h.errors[0]
    assert h.doc.undo_stack.count() == 0


def test_export_json_leaves_path_and_modified_state(h: Harness, tmp_path: Path) -> None:
    path = saved_file(tmp_path, "work.cxmap")
    assert h.files.open(path)
    h.edit()
    exported = str(tmp_path / "export")
    h.answer("ask_save_path", exported)
    assert h.files.export_json()
    assert h.asked == [("ask_save_path", ("Export JSON", True))]
    assert state(read_json(exported + ".json")) == state(h.doc.project)
    assert h.doc.is_modified and h.doc.path == Path(path) and h.files.location == path
    assert h.files.recent_files() == [path]


# -- recent files ----------------------------------------------------------------------


def test_recent_files_most_recent_first_no_duplicates_at_most_ten(
    qtbot: QtBot, h: Harness, tmp_path: Path
) -> None:
    paths = [saved_file(tmp_path, f"p{n}.json") for n in range(MAX_RECENT + 2)]
    changes: list[None] = []
    h.files.recent_changed.connect(lambda: changes.append(None))
    for path in paths:
        assert h.files.open(path)
    assert h.files.open(paths[5])
    recent = h.files.recent_files()
    assert recent[0] == paths[5]
    assert recent[1:4] == [paths[11], paths[10], paths[9]]
    assert len(recent) == MAX_RECENT and len(set(recent)) == MAX_RECENT
    assert paths[0] not in recent and paths[1] not in recent
    assert changes
    # Another window (or the next start) sees the same list.
    assert Harness(qtbot, {}).files.recent_files() == recent
    h.files.clear_recent()
    assert h.files.recent_files() == []


def test_a_recent_file_that_no_longer_exists_is_dropped(h: Harness, tmp_path: Path) -> None:
    kept = saved_file(tmp_path, "kept.json")
    gone = saved_file(tmp_path, "gone.json")
    assert h.files.open(kept) and h.files.open(gone)
    os.remove(gone)
    assert not h.files.open(gone)
    assert "file not found" in h.errors[0]
    assert h.files.recent_files() == [kept]


# -- team store --------------------------------------------------------------------------


class FakeStore:
    """Stands in for TeamStore: one project, and a save that can be refused."""

    saves: list[dict[str, Any]] = []
    refuse: ConflictError | None = None

    def __init__(self, url: str) -> None:
        self.url = TeamStore(url).url  # the real URL parsing, no connection

    def project_names(self) -> list[str]:
        return ["Retail", "Travel"]

    def load(self, name: str | None) -> StoredProject:
        revision = JourneyRevision(3, "2026-01-01T00:00:00+00:00", "ann")
        return StoredProject(sample_project(), name or "Retail", {"now": revision})

    def save(self, project: Project, name: str | None, *, base: Any,
             changed: Any) -> dict[str, JourneyRevision]:
        if FakeStore.refuse is not None:
            raise FakeStore.refuse
        FakeStore.saves.append({"name": name, "base": base, "changed": changed})
        return {"now": JourneyRevision(4, "2026-01-02T00:00:00+00:00", "me")}


@pytest.fixture
def fake_store(monkeypatch: pytest.MonkeyPatch) -> Callable[[], type[FakeStore]]:
    FakeStore.saves = []
    FakeStore.refuse = None
    # the file controller imports the store (and SQL) when it is used
    monkeypatch.setattr("cx_mapper.persistence.team_store.TeamStore", FakeStore)
    return lambda: FakeStore


def test_store_open_picks_a_project_and_save_sends_base_revisions(
    h: Harness, fake_store: Callable[[], type[FakeStore]]
) -> None:
    url = "postgresql+psycopg://ann:secret@db.example/cx"
    h.answer("ask_store_project", "Travel")
    assert h.files.open(url)
    assert h.asked == [("ask_store_project", (["Retail", "Travel"],))]
    assert h.files.location == "postgresql+psycopg://ann@db.example/cx"
    assert "secret" not in " ".join(h.files.recent_files())
    assert h.doc.path is None and not h.doc.is_modified

    assert h.files.save()  # nothing edited: no journey sent as changed
    h.edit()
    assert h.files.save()
    store = fake_store()
    assert [s["changed"] for s in store.saves] == [[], ["now"]]
    assert store.saves[1]["name"] == "Travel"
    assert store.saves[1]["base"]["now"].revision == 4
    assert not h.doc.is_modified


def test_store_conflict_shows_the_message_and_keeps_the_edits(
    h: Harness, fake_store: Callable[[], type[FakeStore]]
) -> None:
    h.answer("ask_store_project", "Retail")
    assert h.files.open("postgresql+psycopg://ann@db.example/cx")
    h.edit()
    fake_store().refuse = ConflictError("journey 'Current state' was changed by bob. "
                                        "Nothing was saved.", path="db")
    assert not h.files.save()
    assert "changed by bob" in h.errors[0]
    assert h.doc.is_modified


# -- a project loaded by someone else (recovery) ---------------------------------------------


def test_a_restored_project_saves_to_its_original_file(h: Harness, tmp_path: Path) -> None:
    path = saved_file(tmp_path, "restored.json")
    project = sample_project()
    project.name = "Restored"
    h.doc.load(project, path, modified=True)
    assert h.files.location == path
    assert h.files.save()
    assert read_json(path).name == "Restored"
    assert h.asked == []

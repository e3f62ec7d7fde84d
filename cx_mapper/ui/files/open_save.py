"""File › New, Open, Save, Save As, Import and Export JSON, and the recent files list.

One FileController per window. It reads and writes through the persistence
package and hands projects to the document; it never edits a project itself,
except that Import adds journeys through the document's undo stack.

Every question to the user goes through a small `ask_*` / `show_error` method,
so tests replace those and never open a real dialog.

The rules it keeps: a failed open leaves the current project untouched, a
failed save leaves the file on disk as it was (the writers are atomic), and a
save never silently overwrites a file someone else changed since it was opened.
"""

from __future__ import annotations

import copy
import logging
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QObject, QSettings, QStandardPaths, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.project import Project
from cx_mapper.domain.templates import (
    blank_project,
    five_stage_project,
    service_blueprint_project,
)
from cx_mapper.persistence import json_format
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.file_kinds import starts_like_sqlite
from cx_mapper.persistence.files import is_project_file
from cx_mapper.persistence.files import read_project as read_any_project
from cx_mapper.persistence.fingerprints import (
    FileChangedError,
    FileFingerprint,
    check_unchanged,
    fingerprint_of,
)
from cx_mapper.persistence.locations import is_store_url
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.document.workers import Outcome, Task, run_in_background
from cx_mapper.ui.look.progress import ProgressStrip

if TYPE_CHECKING:  # SQL for .cxmap files and the team store is imported when used
    from cx_mapper.persistence.schema import JourneyRevision
    from cx_mapper.persistence.team_store import TeamStore

ViewState = Mapping[tuple[str, str], str]

RECENT_KEY = "files/recent"
MAX_RECENT = 10

PROJECT_FILTER = "CX Mapper project (*.cxmap)"
JSON_FILTER = "Project JSON (*.json)"
OPEN_FILTER = "CX Mapper projects (*.cxmap *.json);;All files (*)"

# What kind of place the open project came from; it decides how Save writes.
CXMAP, JSON, STORE = "cxmap", "json", "store"
#: Files this big are read on a worker (a 2,000-touchpoint .cxmap is 0.8 MB and takes
#: 0.15 s to read, JSON three times as long; 10,000 touchpoints take 0.5-0.6 s).
READ_IN_BACKGROUND_FROM = 256 * 1024

log = logging.getLogger(__name__)


class FileController(QObject):
    """The File menu's logic for one document and its window."""

    opened = Signal(str)  # location (a store URL without its password)
    saved = Signal(str)  # location
    status = Signal(str)  # a short status-bar message
    recent_changed = Signal()
    view_state_loaded = Signal(object)  # Mapping[(journey id or "", key), str]

    def __init__(
        self,
        document: ProjectDocument,
        window: QWidget,
        *,
        view_state: Callable[[], ViewState] | None = None,
        progress: ProgressStrip | None = None,
    ) -> None:
        super().__init__(window)
        self._document = document
        self._window = window
        self._view_state = view_state
        self._progress = progress  # big files are read on a worker, with this showing
        self._reading: Task | None = None
        self._loading = False
        self._forget_location()
        document.project_reset.connect(self._on_project_reset)

    # -- state -------------------------------------------------------------------------
    @property
    def location(self) -> str | None:
        """The file path, or the team-store URL without its password; None when untitled."""
        return self._location

    def _forget_location(self) -> None:
        self._location: str | None = None
        self._kind: str | None = None
        self._fingerprint: FileFingerprint | None = None
        self._store_url: str | None = None  # as given, password included; memory only
        self._store_name: str | None = None
        self._store_revisions: dict[str, JourneyRevision] = {}
        self._store_journeys: dict[str, Journey] = {}  # as loaded, to tell what changed

    def _on_project_reset(self) -> None:
        """Someone else loaded a project (a recovery restore): follow the document's path."""
        if self._loading:
            return
        self._forget_location()
        path = self._document.path
        if path is not None:
            self._location = str(path)
            self._kind = CXMAP if _looks_like_cxmap(str(path)) else JSON
            # What is on disk now is what a later save may replace without asking.
            self._fingerprint = fingerprint_of(path) if path.exists() else None

    # -- new and open ------------------------------------------------------------------
    def new_project(self, template: bool | Literal["blueprint"] = False) -> bool:
        """A new untitled project: blank, the five-stage template (True) or the service
        blueprint."""
        if not self.maybe_save():
            return False
        if template == "blueprint":
            project, words = service_blueprint_project(), "the service blueprint template"
        elif template:
            project, words = five_stage_project(), "the five-stage template"
        else:
            project, words = blank_project(), ""
        self._load(project, None)
        self._forget_location()
        self.status.emit(f"New project from {words}" if words else "New project")
        return True

    def open(self, location: str | None = None) -> bool:
        """Open a .cxmap or .json file or a team-store URL; on failure keep what is open."""
        if location is None:
            location = self.ask_open_location()
            if not location:
                return False
        if is_store_url(location):
            return self._open_store(location)
        path = os.path.abspath(location)
        self._drop_reading()
        if self._progress is not None and is_big_file(path):
            self._read_in_background(path)
            return True
        try:
            read = _read_file(path)
        except ProjectFileError as error:
            self._failed_to_read(path, error)
            return False
        return self._opened(path, read)

    def is_opening(self) -> bool:
        """True while a big file is being read, before it replaces the project."""
        return self._reading is not None

    def _read_in_background(self, path: str) -> None:
        """A big file is read on a worker; the window stays live and shows progress."""
        self._reading = run_in_background(
            lambda _task: _read_file(path), self._document.revision,
            on_finished=self._on_read, tag=path)
        assert self._progress is not None
        self._progress.show_progress(self, f"Opening {Path(path).name}…", None,
                                     self._drop_reading)

    def _on_read(self, outcome: Outcome) -> None:
        if self.sender() is not self._reading:
            return  # dropped: another file was opened, or Cancel
        self._reading = None
        if self._progress is not None:
            self._progress.finish(self)
        path = str(outcome.tag)
        if isinstance(outcome.error, ProjectFileError):
            self._failed_to_read(path, outcome.error)
        elif outcome.error is not None:
            log.error("Reading %s failed:\n%s", path, outcome.details)
            self.show_error(f"Could not open {Path(path).name}: {outcome.error}")
        else:
            self._opened(path, outcome.value)

    def _drop_reading(self) -> None:
        task, self._reading = self._reading, None
        if task is not None:
            task.cancel()
            if self._progress is not None:
                self._progress.finish(self)

    def _failed_to_read(self, path: str, error: ProjectFileError) -> None:
        if not os.path.exists(path):
            self._remove_recent(path)
        self.show_error(str(error))

    def _opened(self, path: str, read: _Read) -> bool:
        """The file is read: replace the project with it (after asking about unsaved work)."""
        kind, project, fingerprint, view_state, notes = read
        if not self.maybe_save():
            return False
        self._load(project, path)
        self._forget_location()
        self._location, self._kind, self._fingerprint = path, kind, fingerprint
        self._add_recent(path)
        self.view_state_loaded.emit(view_state)
        self.opened.emit(path)
        self.status.emit(" ".join([f"Opened {Path(path).name}.", *notes]))
        return True

    def open_store(self) -> bool:
        """Ask for a team-store URL and open a project from it."""
        url = self.ask_store_url()
        return self.open(url) if url else False

    def _open_store(self, url: str) -> bool:
        from cx_mapper.persistence.team_store import TeamStore

        try:
            store = TeamStore(url)
            names = store.project_names()
            name = None
            if len(names) > 1:
                name = self.ask_store_project(names)
                if name is None:
                    return False
            stored = store.load(name)
        except ProjectFileError as error:
            self.show_error(str(error))
            return False
        if not self.maybe_save():
            return False
        self._load(stored.project, None)
        self._forget_location()
        shown = _without_password(store)
        self._location, self._kind, self._store_url = shown, STORE, url
        self._remember_store(stored.name, stored.revisions)
        self._add_recent(shown)
        self.view_state_loaded.emit({})
        self.opened.emit(shown)
        self.status.emit(f"Opened '{stored.name}' from the team store.")
        return True

    def _load(self, project: Project, path: str | None) -> None:
        self._loading = True
        try:
            self._document.load(project, path)
        finally:
            self._loading = False

    # -- saving ------------------------------------------------------------------------
    def save(self) -> bool:
        """Save where the project came from: the same file, in its format, or the store."""
        if self._location is None or self._kind is None:
            return self.save_as()
        if self._kind == STORE:
            return self._save_store()
        return self._save_file(self._location, self._kind, self._fingerprint)

    def save_as(self) -> bool:
        """Save to a new file: .cxmap by default, or .json if that name is chosen."""
        path = self.ask_save_path("Save As", json=False)
        if not path:
            return False
        path = os.path.abspath(path)
        if not Path(path).suffix:
            path += ".cxmap"
        kind = CXMAP if is_project_file(path) else JSON
        # The dialog has asked before replacing an existing file: no fingerprint check.
        return self._save_file(path, kind, None)

    def _save_file(self, path: str, kind: str, expected: FileFingerprint | None) -> bool:
        project = self._document.project
        fingerprint: FileFingerprint | None
        try:
            if kind == CXMAP:
                from cx_mapper.persistence.project_file import save_project

                fingerprint = save_project(project, path, view_state=self._current_view_state(),
                                           expected=expected)
            else:
                if expected is not None:
                    check_unchanged(path, expected)
                json_format.write_project(project, path)
                fingerprint = fingerprint_of(path)
        except FileChangedError as error:
            answer = self.ask_changed_on_disk(str(error))
            if answer == "overwrite":
                return self._save_file(path, kind, None)
            if answer == "save_as":
                return self.save_as()
            self.status.emit("Not saved.")
            return False
        except ProjectFileError as error:
            self.show_error(str(error))
            return False
        self._document.mark_saved(path)
        self._forget_location()
        self._location, self._kind, self._fingerprint = path, kind, fingerprint
        self._add_recent(path)
        self.saved.emit(path)
        self.status.emit(f"Saved {Path(path).name}.")
        return True

    def _save_store(self) -> bool:
        assert self._store_url is not None
        project = self._document.project
        # Only journeys edited here are sent as changed, so two people editing
        # different journeys of one project can both save.
        changed = [j.id for j in project.journeys
                   if self._store_journeys.get(j.id) != j]
        try:
            from cx_mapper.persistence.team_store import TeamStore

            revisions = TeamStore(self._store_url).save(
                project, self._store_name, base=self._store_revisions, changed=changed)
        except ProjectFileError as error:  # ConflictError included: nothing was written
            self.show_error(str(error))
            return False
        self._remember_store(self._store_name or project.name, revisions)
        self._document.undo_stack.setClean()
        location = self._location or ""
        self.saved.emit(location)
        self.status.emit(f"Saved '{self._store_name}' to the team store.")
        return True

    def _remember_store(self, name: str, revisions: Mapping[str, JourneyRevision]) -> None:
        self._store_name = name
        self._store_revisions = dict(revisions)
        self._store_journeys = {j.id: copy.deepcopy(j) for j in self._document.project.journeys}

    def _current_view_state(self) -> ViewState | None:
        return self._view_state() if self._view_state is not None else None

    def maybe_save(self) -> bool:
        """Before the project is replaced or the window closes: True when it is fine to go on."""
        if not self._document.is_modified:
            return True
        answer = self.ask_unsaved()
        if answer == "save":
            return self.save()
        return answer == "discard"

    # -- import and export -------------------------------------------------------------
    def import_json(self, path: str | None = None) -> bool:
        """Add the journeys of a project file to this project as one undo step."""
        if path is None:
            path = self.ask_import_path()
            if not path:
                return False
        try:
            imported = read_any_project(path)
        except ProjectFileError as error:
            self.show_error(str(error))
            return False
        name = Path(path).name
        if not imported.journeys:
            self.status.emit(f"{name} has no journeys; nothing was imported.")
            return False
        with self._document.compound(
                f"Import {_journeys_text(len(imported.journeys))} from {name}"):
            for journey in imported.journeys:
                self._document.add_journey(journey)  # ids made unique
        self.status.emit(f"Imported {_journeys_text(len(imported.journeys))} from {name}. "
                         "Its segments were not imported; this project keeps its own.")
        return True

    def export_json(self, path: str | None = None) -> bool:
        """Write the project as JSON; the open file and its saved state do not change."""
        if path is None:
            path = self.ask_save_path("Export JSON", json=True)
            if not path:
                return False
        if not Path(path).suffix:
            path += ".json"
        try:
            json_format.write_project(self._document.project, path)
        except ProjectFileError as error:
            self.show_error(str(error))
            return False
        self.status.emit(f"Exported {Path(path).name}.")
        return True

    # -- recent files ------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        """Most recent first, at most MAX_RECENT, no duplicates."""
        value = QSettings().value(RECENT_KEY, [])
        if isinstance(value, str):  # INI files give a single entry back as a string
            value = [value]
        if not isinstance(value, list):
            return []
        return list(dict.fromkeys(str(v) for v in value if v))[:MAX_RECENT]

    def clear_recent(self) -> None:
        self._set_recent([])

    def _add_recent(self, location: str) -> None:
        recent = [location, *(r for r in self.recent_files() if r != location)]
        self._set_recent(recent[:MAX_RECENT])

    def _remove_recent(self, location: str) -> None:
        recent = self.recent_files()
        if location in recent:
            self._set_recent([r for r in recent if r != location])

    def _set_recent(self, recent: list[str]) -> None:
        settings = QSettings()
        if recent:
            settings.setValue(RECENT_KEY, recent)
        else:
            settings.remove(RECENT_KEY)
        self.recent_changed.emit()

    # -- dialogs (tests replace these) -------------------------------------------------
    def ask_open_location(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self._window, "Open project", self._start_folder(),
                                              OPEN_FILTER)
        return path or None

    def ask_import_path(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(
            self._window, "Import journeys", self._start_folder(),
            f"{JSON_FILTER};;{PROJECT_FILTER};;All files (*)")
        return path or None

    def ask_save_path(self, title: str, json: bool = False) -> str | None:
        filters = JSON_FILTER if json else f"{PROJECT_FILTER};;{JSON_FILTER}"
        stem = (Path(self._location).stem if self._location is not None and self._kind != STORE
                else safe_file_name(self._document.project.name))
        start = str(Path(self._start_folder()) / (stem + (".json" if json else ".cxmap")))
        path, chosen = QFileDialog.getSaveFileName(self._window, title, start, filters)
        if not path:
            return None
        if not Path(path).suffix:
            path += ".json" if json or chosen == JSON_FILTER else ".cxmap"
        return path

    def ask_unsaved(self) -> str:
        box = QMessageBox(QMessageBox.Icon.Warning, "Unsaved changes",
                          f"Save the changes to {self._document.display_name}?",
                          parent=self._window)
        box.setInformativeText("If you don't save, your changes will be lost.")
        buttons = QMessageBox.StandardButton
        box.setStandardButtons(buttons.Save | buttons.Discard | buttons.Cancel)
        box.setDefaultButton(buttons.Save)
        answer = box.exec()
        return {buttons.Save.value: "save", buttons.Discard.value: "discard"}.get(
            answer, "cancel")

    def ask_changed_on_disk(self, message: str) -> str:
        box = QMessageBox(QMessageBox.Icon.Warning, "File changed on disk", message,
                          parent=self._window)
        overwrite = box.addButton("Overwrite", QMessageBox.ButtonRole.DestructiveRole)
        save_as = box.addButton("Save As…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(save_as)
        box.exec()
        clicked = box.clickedButton()
        return "overwrite" if clicked is overwrite else "save_as" if clicked is save_as \
            else "cancel"

    def ask_store_project(self, names: list[str]) -> str | None:
        name, chosen = QInputDialog.getItem(self._window, "Open from the team store",
                                            "Project:", names, 0, False)
        return name if chosen and name else None

    def ask_store_url(self) -> str | None:
        url, chosen = QInputDialog.getText(
            self._window, "Open from the team store",
            "Database URL (the password comes from PGPASSWORD or ~/.pgpass):",
            text="postgresql+psycopg://user@host/database")
        return url.strip() if chosen and url.strip() else None

    def show_error(self, message: str) -> None:
        QMessageBox.warning(self._window, "CX Mapper", message)

    def _start_folder(self) -> str:
        if self._location is not None and self._kind != STORE:
            return dialog_folder(Path(self._location).parent)
        return dialog_folder()


def dialog_folder(preferred: str | Path | None = None) -> str:
    """Where a file dialog starts: `preferred`, else Documents, else home, whichever exists.
    A folder that does not exist would show up in the dialog as a file name."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    for folder in (preferred, documents, QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.HomeLocation)):
        if folder and Path(folder).is_dir():
            return str(folder)
    return os.getcwd()


def safe_file_name(name: str) -> str:
    """A name as a file can be called: no path separators or characters Windows refuses."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "-", name).strip(" .-")
    return cleaned or "Untitled project"


_Read = tuple[str, Project, FileFingerprint | None, ViewState, list[str]]


def is_big_file(location: str) -> bool:
    """A file big enough to be read on a worker (a team-store URL is not a file)."""
    return _size(os.path.abspath(location)) >= READ_IN_BACKGROUND_FROM


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0  # the reader says what is wrong with the path


def _read_file(path: str) -> _Read:
    """(kind, project, fingerprint, view state, notes for the status bar) of a file."""
    if _looks_like_cxmap(path):
        from cx_mapper.persistence.project_file import open_project

        opened = open_project(path)
        notes = list(opened.warnings)
        if opened.upgraded:
            notes.append("It was made by an older version; saving updates it.")
        return CXMAP, opened.project, opened.fingerprint, opened.view_state, notes
    # Fingerprint before reading: a change in between makes the next save ask, not lose it.
    fingerprint = fingerprint_of(path) if os.path.isfile(path) else None
    project, warnings = json_format.read_project_with_warnings(path)
    return JSON, project, fingerprint, {}, warnings


def _looks_like_cxmap(path: str) -> bool:
    """A .cxmap name, or SQLite content under another name (a renamed project file)."""
    return is_project_file(path) or starts_like_sqlite(path)


def _without_password(store: TeamStore) -> str:
    """The URL to show and remember: passwords stay in PGPASSWORD or ~/.pgpass."""
    return store.url._replace(password=None).render_as_string(hide_password=False)


def _journeys_text(count: int) -> str:
    return f"{count} journey" + ("s" if count != 1 else "")

"""Crash recovery: while the project has unsaved changes, a copy is kept on disk.

Each running window has a session: a project file (cx-mapper/1 JSON), a small
metadata file and a QLockFile, all in the recovery folder. The lock is held for
as long as the session runs, so on the next start `Recovery.pending()` offers
only the sessions whose process is gone, i.e. the ones that crashed. A clean
close (`discard()`), a save, or undoing back to the saved state removes the
session's files.

A project in the middle of an edit may not pass the strict JSON reader (say,
out-probabilities above 100%). It is still written, unchecked, and read back as
it was, because nothing the user did may be lost.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from cx_mapper import __version__
from cx_mapper.domain.journey import Channel, Journey, Stage, Touchpoint, Transition
from cx_mapper.domain.project import Project, Segment
from cx_mapper.persistence.atomic import write_atomically
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.json_content import (
    images_as_written,
    lanes_as_written,
    notes_as_written,
    personas_as_written,
)
from cx_mapper.persistence.json_evidence import (
    EVIDENCE,
    evidence_as_written,
    evidence_set_as_written,
)
from cx_mapper.persistence.json_format import dumps_project, loads_project, project_to_dict
from cx_mapper.persistence.json_opportunities import opportunities_as_written, plan_as_written
from cx_mapper.persistence.json_variants import variants_as_written
from cx_mapper.persistence.locations import is_store_url
from cx_mapper.ui.document.project_document import ProjectDocument

META_FORMAT = "cx-mapper-recovery/1"
PROJECT_SUFFIX = ".json"
META_SUFFIX = ".meta.json"
LOCK_SUFFIX = ".lock"


def default_folder() -> str:
    """Per user and per app, out of the way: AppLocalDataLocation/recovery."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    return os.path.join(base, "recovery")


@dataclass(frozen=True)
class RecoveryEntry:
    """The unsaved work of a session that did not end cleanly."""

    project_path: Path
    meta_path: Path
    lock_path: Path
    location: str | None  # where the project was opened from or last saved; None if untitled
    name: str  # what the window title showed
    saved_at: datetime  # when the copy was written (UTC)
    app_version: str = ""


class Recovery(QObject):
    """Keeps a recovery copy of one document's unsaved changes."""

    written = Signal(str)  # the recovery file, after each write
    write_failed = Signal(str)  # why a recovery copy could not be written

    def __init__(
        self,
        document: ProjectDocument,
        *,
        interval_ms: int = 60_000,
        folder: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._folder = Path(folder if folder is not None else default_folder())
        session = (f"{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}-"
                   f"{uuid.uuid4().hex[:8]}")
        self._project_path = self._folder / (session + PROJECT_SUFFIX)
        self._meta_path = self._folder / (session + META_SUFFIX)
        self._lock = QLockFile(str(self._folder / (session + LOCK_SUFFIX)))
        self._lock.setStaleLockTime(0)  # live while this process runs, however long
        self._written_revision: int | None = None

        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        document.modified_changed.connect(self._on_modified_changed)
        document.revision_changed.connect(self._on_revision_changed)
        if document.is_modified:
            self._timer.start()

    @property
    def folder(self) -> str:
        """Where this session's files go; `Recovery.pending(recovery.folder)` looks there."""
        return str(self._folder)

    @property
    def project_path(self) -> Path:
        """This session's recovery copy of the project (it exists only while needed)."""
        return self._project_path

    @property
    def meta_path(self) -> Path:
        return self._meta_path

    # -- writing -------------------------------------------------------------------------
    def write_now(self) -> bool:
        """Write the recovery copy now if there are unsaved changes; True if written."""
        if not self._document.is_modified:
            return False
        project = self._document.project
        try:
            text, checked = _project_text(project)
            self._folder.mkdir(parents=True, exist_ok=True)
            if not self._lock.isLocked():
                self._lock.tryLock(0)
            write_atomically(str(self._project_path), text.encode("utf-8"))
            path = self._document.path
            meta = {
                "format": META_FORMAT,
                "location": str(path) if path is not None else None,
                "name": self._document.display_name,
                "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "app_version": __version__,
                "checked": checked,
                "pid": os.getpid(),
            }
            write_atomically(str(self._meta_path),
                             (json.dumps(meta, indent=2) + "\n").encode("utf-8"))
        except (ProjectFileError, OSError, ValueError, TypeError) as error:
            self.write_failed.emit(f"The recovery copy could not be written: {error}")
            return False
        self._written_revision = self._document.revision
        self.written.emit(str(self._project_path))
        return True

    def discard(self) -> None:
        """A clean close, or the user gave up the changes: remove this session's files.

        If the project is edited again afterwards, recovery copies resume.
        """
        self._timer.stop()
        self._remove_files()

    def _remove_files(self) -> None:
        for path in (self._meta_path, self._project_path):  # metadata first: no half entry
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        self._written_revision = None
        if self._lock.isLocked():
            self._lock.unlock()

    # -- handlers ------------------------------------------------------------------------
    def _on_modified_changed(self, modified: bool) -> None:
        if modified:
            if not self._timer.isActive():
                self._timer.start()
        else:  # saved, undone back to the saved state, or a new project loaded
            self._timer.stop()
            self._remove_files()

    def _on_revision_changed(self, _revision: int) -> None:
        if self._document.is_modified and not self._timer.isActive():
            self._timer.start()

    def _on_timer_timeout(self) -> None:
        if self._document.revision != self._written_revision:
            self.write_now()

    # -- after a crash -------------------------------------------------------------------
    @classmethod
    def pending(cls, folder: str | None = None) -> list[RecoveryEntry]:
        """Recovery copies of sessions that are no longer running, newest first.

        Sessions still running (another window, another instance) hold their
        lock and are left out, and so is anything that cannot be read.
        """
        root = Path(folder if folder is not None else default_folder())
        try:
            meta_paths = sorted(root.glob("*" + META_SUFFIX))
        except OSError:
            return []
        entries: list[RecoveryEntry] = []
        for meta_path in meta_paths:
            session = meta_path.name[: -len(META_SUFFIX)]
            lock_path = root / (session + LOCK_SUFFIX)
            if _is_live(lock_path):
                continue
            entry = _read_entry(meta_path, root / (session + PROJECT_SUFFIX), lock_path)
            if entry is not None:
                entries.append(entry)
        entries.sort(key=lambda e: e.saved_at, reverse=True)
        return entries

    def restore(self, entry: RecoveryEntry) -> None:
        """Load the entry into the document as unsaved work, then delete the entry.

        The document gets the entry's original file path (a team-store project
        comes back untitled). Raises ProjectFileError if the copy cannot be
        read; the entry is then kept.
        """
        project = read_recovered_project(entry)
        location = entry.location
        path = location if location and not is_store_url(location) else None
        self._document.load(project, path, modified=True)
        self.write_now()  # protected again under this session before the old copy goes
        self.discard_entry(entry)

    @staticmethod
    def discard_entry(entry: RecoveryEntry) -> None:
        """Delete a recovery entry the user does not want (never a running session's)."""
        lock = QLockFile(str(entry.lock_path))
        lock.setStaleLockTime(0)
        if not lock.tryLock(0):
            return  # its session is running after all
        try:
            for path in (entry.meta_path, entry.project_path):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
        finally:
            lock.unlock()


def ask_restore(parent: QWidget, entry: RecoveryEntry) -> str:
    """'restore', 'discard' or 'later' for work left by a session that crashed."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Restore unsaved work?")
    when = entry.saved_at.astimezone().strftime("%d %b %Y at %H:%M")
    box.setText(f"CX Mapper closed unexpectedly while '{entry.name}' had unsaved changes.")
    box.setInformativeText(f"The changes were saved for recovery on {when}. Restore them now?")
    restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    clicked = box.clickedButton()
    return "restore" if clicked is restore else "discard" if clicked is discard else "later"


def read_recovered_project(entry: RecoveryEntry) -> Project:
    """The project exactly as it was in memory when the copy was written."""
    name = str(entry.project_path)
    try:
        text = entry.project_path.read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, ValueError) as error:
        raise ProjectFileError(f"cannot be read as a recovery copy: {error}", path=name) \
            from None
    try:
        meta = json.loads(entry.meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = {}
    if meta.get("checked", False):
        loads_project(text, name)  # the strict reader catches a damaged copy
    try:
        return _project_from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ProjectFileError(f"is damaged and cannot be restored ({error!r}).",
                               path=name) from None


# -- helpers -----------------------------------------------------------------------------
def _project_text(project: Project) -> tuple[str, bool]:
    """JSON text of the project, and whether the strict reader accepts it."""
    try:
        return dumps_project(project), True
    except ProjectFileError:
        data = project_to_dict(project)
        return json.dumps(data, indent=1, ensure_ascii=True, allow_nan=True) + "\n", False


def _is_live(lock_path: Path) -> bool:
    """True while the session's process runs (it holds the lock), or if we cannot tell."""
    if not lock_path.exists():
        return False
    lock = QLockFile(str(lock_path))
    lock.setStaleLockTime(0)  # stale only when its process is gone, not when old
    if lock.tryLock(0):
        lock.unlock()
        return False
    return True


def _read_entry(meta_path: Path, project_path: Path, lock_path: Path) -> RecoveryEntry | None:
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if not isinstance(meta, dict) or meta.get("format") != META_FORMAT:
            return None
        saved_at = datetime.fromisoformat(str(meta["saved_at"]))
        if saved_at.tzinfo is None:
            saved_at = saved_at.replace(tzinfo=UTC)
        location = meta.get("location")
        data = json.loads(project_path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("journeys"), list):
            return None
    except (OSError, ValueError, KeyError):
        return None
    return RecoveryEntry(
        project_path=project_path,
        meta_path=meta_path,
        lock_path=lock_path,
        location=str(location) if location else None,
        name=str(meta.get("name") or data.get("name") or project_path.stem),
        saved_at=saved_at,
        app_version=str(meta.get("app_version", "")),
    )


def _project_from_dict(data: dict[str, Any]) -> Project:
    """Rebuild a project from project_to_dict's form without the strict checks."""
    segments = [
        Segment(id=str(s["id"]), name=str(s["name"]),
                evidence=evidence_set_as_written(s.get(EVIDENCE)),
                **_floats({k: v for k, v in s.items() if k not in ("id", "name", EVIDENCE)}))
        for s in data["segments"]
    ]
    return Project(name=str(data["name"]), segments=segments,
                   journeys=[_journey_from_dict(j) for j in data["journeys"]],
                   personas=personas_as_written(data.get("personas", [])),
                   images=images_as_written(data.get("images", {})),
                   cost_unit=str(data.get("cost_unit", "")))


def _journey_from_dict(raw: dict[str, Any]) -> Journey:
    conversions = raw.get("conversions")
    touchpoints: dict[str, Touchpoint] = {}
    for t in raw["touchpoints"]:
        touchpoints[str(t["id"])] = Touchpoint(
            id=str(t["id"]), name=str(t["name"]), stage=_optional_text(t["stage"]),
            channel=_optional_text(t["channel"]), conversion=bool(t["conversion"]),
            notes=str(t["notes"]), image=_optional_text(t.get("image")),
            measured_satisfaction=_optional_number(t.get("measured_satisfaction")),
            evidence=evidence_set_as_written(t.get(EVIDENCE)),
            **_floats({k: t[k] for k in ("satisfaction", "visibility", "value", "impact",
                                         "entry", "referral_entry", "x", "y")}))
    transitions = {
        (str(t["from"]), str(t["to"])): Transition(str(t["from"]), str(t["to"]),
                                                   float(t["probability"]), str(t["label"]),
                                                   *_times(t),
                                                   evidence_as_written(t.get(EVIDENCE)))
        for t in raw["transitions"]
    }
    return Journey(
        id=str(raw["id"]), name=str(raw["name"]),
        discount_rate=float(raw["discount_rate"]), horizon=_whole(raw["horizon"]),
        conversions=None if conversions is None else float(conversions),
        stages=[Stage(str(s["id"]), str(s["name"]), *_times(s)) for s in raw["stages"]],
        channels=[Channel(str(c["id"]), str(c["name"])) for c in raw["channels"]],
        touchpoints=touchpoints, transitions=transitions,
        lanes=lanes_as_written(raw.get("lanes", [])),
        lanes_above=_whole(raw.get("lanes_above", 0)),
        notes=notes_as_written(raw.get("notes", [])),
        opportunities=opportunities_as_written(raw.get("opportunities", [])),
        plan=plan_as_written(raw.get("plan")),
        variants=variants_as_written(raw.get("variants", [])),
    )


def _optional_number(value: Any) -> float | None:
    return None if value is None else float(value)


def _times(raw: dict[str, Any]) -> tuple[float | None, float | None]:
    """A stage's or transition's times, as written only when measured."""
    return _optional_number(raw.get("time_median")), _optional_number(raw.get("time_p90"))


def _optional_text(value: object) -> str | None:
    return None if value is None else str(value)


def _whole(value: Any) -> int:
    number = float(value)
    if not math.isfinite(number) or number != int(number):
        raise ValueError(f"horizon {value!r} is not a whole number")
    return int(number)


def _floats(raw: dict[str, Any]) -> dict[str, Any]:
    """Numbers by field, as keyword arguments."""
    return {key: float(value) for key, value in raw.items()}

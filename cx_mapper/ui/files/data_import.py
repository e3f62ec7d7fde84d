"""File > Import data: from a file to a new journey, or to an existing one refreshed.

The flow: choose a file, map its columns in the ImportDialog (the estimate runs off
the GUI thread), then either add the estimated journey, laid out by stage, or show
what refreshing the chosen journey would change and apply it as one undo step.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.refresh import Refresh, refresh_journey
from cx_mapper.engine.layout import layout_by_stage, place_new
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.event_log import ImportedLog, read_event_log
from cx_mapper.persistence.event_log import describe as describe_log
from cx_mapper.persistence.log_variants import Goals
from cx_mapper.persistence.path_data import describe as describe_paths
from cx_mapper.persistence.path_data import read_path_data
from cx_mapper.persistence.preview import PATHS, preview_table
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.files.changes_dialog import ChangesDialog
from cx_mapper.ui.files.import_dialog import ImportDialog, ImportRequest
from cx_mapper.ui.files.import_filters import PathRow
from cx_mapper.ui.files.open_save import dialog_folder

FOLDER_KEY = "import/folder"
DATA_FILTER = "Event logs and path data (*.csv *.tsv *.txt *.parquet *.pq);;All files (*)"


@dataclass(frozen=True)
class Estimate:
    """A finished estimate: the request it answers, the journey and a one-line account."""

    request: ImportRequest
    journey: Journey
    account: str
    skipped: tuple[str, ...] = ()
    #: What a refresh takes from the data, per touchpoint (see refresh_journey).
    measured_for: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def estimate(request: ImportRequest, cancelled: Callable[[], bool] | None = None) -> Estimate:
    """Read the file and estimate its journey (runs on a worker thread); an event log's
    import stops as soon as `cancelled()` turns true."""
    if request.kind == PATHS:
        paths = read_path_data(request.path, skip_bad_rows=request.skip_bad_rows,
                               journey_name=request.name)
        return Estimate(request, paths.journey, describe_paths(paths),
                        tuple(bad.describe() for bad in paths.skipped),
                        measured_for=paths.measured_for())
    log = _read_log(request, cancelled)
    return Estimate(request, log.journey, describe_log(log),
                    tuple(bad.describe() for bad in log.skipped),
                    measured_for=log.measured_for())


def _read_log(request: ImportRequest, cancelled: Callable[[], bool] | None) -> ImportedLog:
    return read_event_log(request.path, request.columns, scale=request.scale,
                          skip_bad_rows=request.skip_bad_rows, journey_name=request.name,
                          cancelled=cancelled, filters=request.filters,
                          goals=Goals(request.goals, request.goals_required))


def preview_paths(request: ImportRequest, cancelled: Callable[[], bool] | None = None
                  ) -> tuple[Sequence[PathRow], str]:
    """The most common paths the import would find, by touchpoint name, and a line
    about them (runs on a worker thread)."""
    log = _read_log(request, cancelled)
    found = log.variants
    if found is None or not found.variants:
        return (), "No paths."
    names = {tid: t.name for tid, t in log.journey.touchpoints.items()}
    rows = [([names[s] for s in v.path], v.customers, v.share, v.conversion_rate)
            for v in found.variants]
    account = (f"{found.customers:,} customers took {found.total_variants:,} different "
               f"paths; these {len(rows):,} are taken by {found.covered:.1%} of them.")
    if found.goals:
        account += (" Paths stop before the goal; Converts is the share who reach it ("
                    f"{', '.join(names[g] for g in found.goals)}).")
    return rows, account


class DataImporter(QObject):
    """Runs File > Import data for a window; the `ask_*` methods are what tests replace."""

    def __init__(
        self,
        document: ProjectDocument,
        parent: QWidget,
        *,
        current_journey: Callable[[], str | None],
        show_journey: Callable[[str], object],
        show_status: Callable[[str], None],
        show_error: Callable[[str], None],
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._parent = parent
        self._current_journey = current_journey
        self._show_journey = show_journey
        self._show_status = show_status
        self._show_error = show_error
        self.dialog: ImportDialog | None = None

    def start(self, path: str | None = None) -> ImportDialog | None:
        """Ask for a file (unless given), then open the mapping dialog on it."""
        path = path or self.ask_path()
        if not path:
            return None
        try:
            preview = preview_table(path)
        except ProjectFileError as error:
            self._show_error(str(error))
            return None
        journeys = [(j.id, j.name) for j in self._document.project.journeys]
        # An update counts the journey's own goals as conversion unless told otherwise.
        goals = {j.id: tuple(name for t in j.touchpoints.values() if t.conversion
                             for name in (t.name, t.id)) for j in self._document.project.journeys}
        dialog = ImportDialog(preview, journeys, self._current_journey(), self._parent,
                              drawn_goals=goals)
        dialog.use_estimate(estimate)
        dialog.use_paths_preview(preview_paths)
        dialog.finished_import.connect(self.apply)
        dialog.finished.connect(self._on_dialog_finished)
        self.dialog = dialog
        self.show_dialog(dialog)
        return dialog

    def _on_dialog_finished(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None

    def apply(self, result: Estimate) -> None:
        """Add the journey, or refresh the chosen one once the user has seen the changes."""
        request = result.request
        source = Path(request.path).name
        if request.target is None or request.target not in {
                j.id for j in self._document.project.journeys}:
            journey = result.journey.copy()
            journey.id, journey.name = "", request.name
            for touchpoint_id, (x, y) in layout_by_stage(journey).items():
                journey.update_touchpoint(touchpoint_id, x=x, y=y)
            journey_id = self._document.add_journey(journey)
            self._show_journey(journey_id)
            self._show_status(f"Imported {source}: {result.account}.")
            return
        existing = self._document.journey(request.target)
        refresh = refresh_journey(existing, result.journey, measured=(),
                                  measured_for=result.measured_for)
        if not refresh.changes:
            if refresh.journey.variants != existing.variants:  # only the paths are new
                self._document.update_journey(request.target, refresh.journey,
                                              f"Update the paths of '{existing.name}'")
                self._show_status(f"'{existing.name}' already matches {source}; its paths "
                                  "were updated.")
                return
            self._show_status(f"'{existing.name}' already matches {source}: nothing changed.")
            return
        if not self.ask_apply(refresh, existing.name, source):
            return
        journey = refresh.journey
        for touchpoint_id, (x, y) in place_new(journey, refresh.added).items():
            journey.update_touchpoint(touchpoint_id, x=x, y=y)
        self._document.update_journey(request.target, journey,
                                      f"Update '{existing.name}' from {source}")
        self._show_journey(request.target)
        self._show_status(f"Updated '{existing.name}' from {source} "
                          f"({len(refresh.changes)} changes): {result.account}.")

    # -- dialogs (tests replace these) -------------------------------------------------------
    def ask_path(self) -> str | None:
        """A data file, starting where the last import came from."""
        settings = QSettings()
        folder = dialog_folder(str(settings.value(FOLDER_KEY, "") or "") or None)
        path, _ = QFileDialog.getOpenFileName(self._parent, "Import data", folder, DATA_FILTER)
        if path:
            settings.setValue(FOLDER_KEY, str(Path(path).parent))
        return path or None

    def show_dialog(self, dialog: ImportDialog) -> None:
        dialog.open()

    def ask_apply(self, refresh: Refresh, journey_name: str, source: str) -> bool:
        dialog = ChangesDialog(refresh.changes, journey_name, source, self._parent)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()

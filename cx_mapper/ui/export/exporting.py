"""File > Export…: the current journey as a PNG, PDF or SVG summary, an Excel workbook,
CSV files or a PowerPoint deck (formats.py), the same content `cx-mapper export` writes.

The user picks the format and the place first. Then the figures come from the
document's analysis service: a current result is reused, and a large map's full
analysis (every removal effect) runs on a worker, never on the GUI thread, as do the
plan, the intervals and the workbook or CSV files, with the progress strip showing
how far it got; the user keeps working meanwhile. The summary and the deck are drawn
on the GUI thread (pyqtgraph's charts live there), from the project the figures
describe. Every file is replaced atomically: a failed export leaves the old one.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QImage
from PySide6.QtWidgets import QApplication

from cx_mapper.domain.project import Project
from cx_mapper.exports.figures import ExportFigures, gather, has_evidence
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.ui.document.analysis_service import Result
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.document.workers import Outcome, Task, run_in_background
from cx_mapper.ui.export.export_dialog import ExportChoice
from cx_mapper.ui.export.formats import (
    FORMATS,
    Exported,
    ExportFormat,
    output_files,
    write_files,
)
from cx_mapper.ui.look.progress import ProgressStrip


class Exporter(QObject):
    """One export at a time; the action is disabled while it works."""

    def __init__(self, document: ProjectDocument, *,
                 current_journey: Callable[[], str | None],
                 ask_choice: Callable[[ExportChoice], ExportChoice | None],
                 show_error: Callable[[str], object],
                 show_status: Callable[[str], object],
                 progress: ProgressStrip | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._current_journey = current_journey
        self._ask_choice = ask_choice
        self._show_error = show_error
        self._show_status = show_status
        self._progress = progress
        self._task: Task | None = None
        self._busy = False
        self._choice: ExportChoice | None = None
        self._last = ExportChoice(".png", "")  # the last format and options
        self.action: QAction | None = None  # greyed while an export works

    def is_busy(self) -> bool:
        """True from the user's choice until the files are written (or it failed)."""
        return self._busy

    def start(self) -> None:
        """Ask what to export and where, then export the current journey."""
        journey_id = self._current_journey()
        if journey_id is None or self._busy:
            return
        choice = self._ask_choice(self.suggestion(journey_id))
        if choice is None or not choice.path:
            return
        self._choice = choice
        self._last = choice
        self._set_busy(True)
        name = self._document.journey(journey_id).name or journey_id
        self._tell(f"Exporting '{name}'…", None)
        try:
            # A current result is passed on at once, and the next step's task kept.
            task = self._document.analysis.analyse_for_export(journey_id, self._on_analysed)
            self._task = task or self._task
        except Exception:
            self._set_busy(False)
            raise

    def cancel(self) -> None:
        """Drop a running export (Cancel, or the window is closing): nothing is written."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self._set_busy(False)

    def suggestion(self, journey_id: str) -> ExportChoice:
        """The dialog's first choice: the last format, named after the project and journey."""
        from cx_mapper.ui.files.open_save import dialog_folder, safe_file_name

        document = self._document
        folder = dialog_folder(document.path.parent if document.path else None)
        name = safe_file_name(f"{document.project.name} - "
                              f"{document.journey(journey_id).name or journey_id}")
        extension = self._last.extension
        path = str(Path(folder) / name) + ("" if extension == ".csv" else extension)
        return ExportChoice(extension, path, self._last.options)

    def preview(self, choice: ExportChoice) -> tuple[QImage, str] | None:
        """The first page `choice` would write, from the current journey's analysis, and
        a word on it; None where it is not cheap: no current analysis, a big map, a
        table format."""
        from cx_mapper.ui.export.export_preview import PREVIEW_LIMIT, preview_image

        journey_id = self._current_journey()
        analysis = self._document.analysis.analysis(journey_id)
        if journey_id is None or analysis is None:
            return None
        if len(self._document.journey(journey_id).touchpoints) > PREVIEW_LIMIT:
            return None
        screen = QApplication.primaryScreen()
        ratio = screen.devicePixelRatio() if screen is not None else 1.0
        project = self._document.project
        image = preview_image(project, analysis, choice.extension, choice.options, ratio)
        if image is None:
            return None
        journey = project.journey(journey_id)
        later = [what for what, shown in (
            ("the intervals", has_evidence(project, journey)),
            ("the plan", bool(journey.opportunities))) if shown]
        options = choice.options
        note = ("The first page" if not options.map_alone else "The map"
                if choice.extension != ".pdf" else "The poster" if options.across == 1
                else "The whole poster, each sheet's own part outlined")
        if later and not options.map_alone:
            note += f"; the export adds {' and '.join(later)}, which may move what follows"
        return image, note + "."

    def _on_analysed(self, result: Result, project: Project) -> None:
        self._task = None
        if not self._busy:
            return
        if result.analysis is None:
            self._fail("Cannot export this journey: "
                       f"{result.message or 'it cannot be analysed.'}")
            return
        choice = self._choice
        assert choice is not None
        chosen = FORMATS[choice.extension]
        analysis = result.analysis
        options = choice.options

        def work(task: Task) -> tuple[ExportFigures, Exported | None]:
            figures = gather(project, analysis, intervals=chosen.intervals,
                             progress=task.report)
            # A workbook or CSV needs no Qt: made here too, off the GUI thread.
            return figures, (None if chosen.needs_qt else chosen.write(figures, options))

        self._task = run_in_background(work, self._document.revision,
                                       on_finished=self._on_gathered,
                                       on_progress=self._on_progress)

    def _on_progress(self, fraction: float) -> None:
        if self._busy:
            self._tell(None, 0.9 * fraction)

    def _on_gathered(self, outcome: Outcome) -> None:
        self._task = None
        if not self._busy or outcome.cancelled:
            return
        if not outcome.ok:
            self._fail(f"Cannot export this journey: {outcome.error}")
            return
        figures, exported = outcome.value
        choice = self._choice
        assert choice is not None
        self._write(FORMATS[choice.extension], choice, figures, exported)

    def _write(self, chosen: ExportFormat, choice: ExportChoice, figures: ExportFigures,
               exported: Exported | None) -> None:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            if exported is None:
                exported = chosen.write(figures, choice.options)
            files = output_files(exported, choice.path, folder=choice.into_folder)
            if choice.into_folder:
                os.makedirs(choice.path, exist_ok=True)
            write_files(files)
        except (OSError, ProjectFileError) as error:
            text = getattr(error, "strerror", None) or error
            self._fail(f"{choice.path}: cannot write {chosen.what}: {text}. "
                       "Nothing was replaced.")
            return
        finally:
            QApplication.restoreOverrideCursor()
        self._set_busy(False)
        journey = figures.journey
        where = Path(choice.path).name
        what = exported.what or chosen.what
        self._show_status(f"Saved {what} of '{journey.name or journey.id}' to "
                          f"{where} ({_detail(exported)}).")

    def _fail(self, message: str) -> None:
        self._set_busy(False)
        self._show_error(message)

    def _tell(self, text: str | None, fraction: float | None) -> None:
        if self._progress is not None:
            shown = text if text is not None else self._progress.text()
            self._progress.show_progress(self, shown, fraction, self.cancel)

    def _set_busy(self, busy: bool) -> None:
        """A busy cursor (the app still answers) and a greyed action while working."""
        if busy == self._busy:
            return
        self._busy = busy
        if busy:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        else:
            QApplication.restoreOverrideCursor()
            if self._progress is not None:
                self._progress.finish(self)
        if self.action is not None:
            self.action.setEnabled(not busy)


def _detail(exported: Exported) -> str:
    return exported.detail.replace(" x ", " × ")


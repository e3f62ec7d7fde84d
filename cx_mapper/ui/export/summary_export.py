"""File > Export summary: the one-page PNG of the current journey.

The figures come from the document's analysis service: a current result is reused,
and a large map's full analysis (every removal effect) runs on a worker, never on the
GUI thread, so the user keeps working meanwhile; so do the plan and, when the
journey's figures carry evidence, the uncertainty analysis. Then the path is asked and
the page rendered from the project the figures describe.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QImage
from PySide6.QtWidgets import QApplication

from cx_mapper.domain.project import Project
from cx_mapper.engine.results import Analysis
from cx_mapper.ui.document.analysis_service import Result
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.document.workers import Outcome, Task, run_in_background
from cx_mapper.ui.export.png import write_png


def render_summary(project: Project, analysis: Analysis, **options: Any) -> QImage:
    """The summary page (summary.py), imported at the first export: it brings pyqtgraph's
    exporters and the layout, which the window does not need to open."""
    from cx_mapper.ui.export.summary import render_summary as render

    return render(project, analysis, **options)


class SummaryExport(QObject):
    """One summary export at a time; the action is disabled while its analysis runs."""

    def __init__(self, document: ProjectDocument, *,
                 current_journey: Callable[[], str | None],
                 ask_path: Callable[[str], str | None],
                 show_error: Callable[[str], object],
                 show_status: Callable[[str], object],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._current_journey = current_journey
        self._ask_path = ask_path
        self._show_error = show_error
        self._show_status = show_status
        self._task: Task | None = None
        self._busy = False
        self.action: QAction | None = None  # greyed while an analysis runs

    def is_busy(self) -> bool:
        """True while the export waits for its analysis on a worker."""
        return self._busy

    def start(self) -> None:
        """Export the current journey's summary, reusing a current analysis."""
        journey_id = self._current_journey()
        if journey_id is None or self._busy:
            return
        self._set_busy(True)
        try:
            self._task = self._document.analysis.analyse_for_export(journey_id,
                                                                    self._on_analysed)
        except Exception:
            self._set_busy(False)
            raise
        if self._task is not None:
            name = self._document.journey(journey_id).name or journey_id
            self._show_status(f"Analysing '{name}' for the summary… you can keep working.")

    def cancel(self) -> None:
        """Drop a running export (the window is closing)."""
        if self._task is not None:
            self._task.cancel()
        self._set_busy(False)

    def _on_analysed(self, result: Result, project: Project) -> None:
        self._task = None
        if result.analysis is None:
            self._set_busy(False)
            self._show_error("Cannot export a summary of this journey: "
                             f"{result.message or 'it cannot be analysed.'}")
            return
        journey = project.journey(result.journey_id)
        from cx_mapper.ui.export.summary_sure import has_evidence

        plans = journey.plan is not None and bool(journey.opportunities)
        sure = has_evidence(project, journey) and result.analysis.horizon is None
        if not plans and not sure:
            self._set_busy(False)
            self._write(result, project, None, None)
            return
        # The plan section's figures (every bundle of the journey's opportunities) and the
        # uncertainty analysis (a thousand draws) can take seconds on a large map, so they
        # run off the GUI thread, on the same project.
        from cx_mapper.ui.export.summary_plan import plan_figures
        from cx_mapper.ui.export.summary_sure import sure_figures

        def figures(_task: Task) -> tuple[Any, Any]:
            return (plan_figures(project, journey.id) if plans else None,
                    sure_figures(project, journey.id) if sure else None)

        def done(outcome: Outcome) -> None:
            self._task = None
            self._set_busy(False)
            plan, found = outcome.value if outcome.ok else (None, None)
            self._write(result, project, plan, found)

        self._task = run_in_background(figures, self._document.revision, on_finished=done)

    def _write(self, result: Result, project: Project, plan: Any, found: Any) -> None:
        assert result.analysis is not None
        journey = project.journey(result.journey_id)
        path = self._ask_path(f"{project.name} - {journey.name}.png")
        if not path:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            image = render_summary(project, result.analysis, plan=plan, uncertainty=found)
            write_png(image, path)
        except OSError as error:
            self._show_error(f"{path}: cannot write the summary: {error.strerror or error}. "
                             "Nothing was written.")
            return
        finally:
            QApplication.restoreOverrideCursor()
        self._show_status(f"Saved the summary of '{journey.name}' to {Path(path).name} "
                          f"({image.width()} × {image.height()} px).")

    def _set_busy(self, busy: bool) -> None:
        """A busy cursor (the app still answers) and a greyed action while waiting."""
        if busy == self._busy:
            return
        self._busy = busy
        if busy:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        else:
            QApplication.restoreOverrideCursor()
        if self.action is not None:
            self.action.setEnabled(not busy)

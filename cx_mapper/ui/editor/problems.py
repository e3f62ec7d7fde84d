"""The Problems list: what blocks analysis (errors) and what only looks wrong (warnings).

It re-validates the whole project shortly after each edit rather than after every
signal, so a slider drag or a paste of many cards costs one validation.
Activating a problem hands the Problem to the main window, which selects the
element; the panel itself never touches the canvas.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStackedLayout,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.domain.project import Project
from cx_mapper.domain.validation import Problem, element_name, validate_project
from cx_mapper.ui.document.project_document import ProjectDocument

#: Re-validate this long after the last edit (milliseconds).
DEBOUNCE_MS = 150

COLUMNS = ("Problem", "Journey", "Element")
NO_PROBLEMS = "No problems"


class ProblemsPanel(QWidget):
    """Errors first, then warnings; click or Enter on one to go to its element."""

    problem_activated = Signal(object)  # Problem
    counts_changed = Signal(int, int)  # errors, warnings

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._problems: list[Problem] = []
        self._counts = (0, 0)
        self._validated_revision: int | None = None

        self.view = QTreeWidget()
        self.view.setObjectName("problems")
        self.view.setColumnCount(len(COLUMNS))
        self.view.setHeaderLabels(COLUMNS)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.view.clicked.connect(self._on_item_clicked)
        self.view.activated.connect(self._on_item_activated)

        self.empty_label = QLabel(NO_PROBLEMS)
        self.empty_label.setObjectName("no-problems")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The theme's muted text colour (a disabled label's grey reads at 1.6:1).
        self.empty_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self._stack = QStackedLayout()
        self._stack.addWidget(self.view)
        self._stack.addWidget(self.empty_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._stack)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        document.revision_changed.connect(self._on_revision_changed)
        document.project_reset.connect(self._on_project_reset)
        self.refresh()

    # -- queries -------------------------------------------------------------------
    def problems(self) -> list[Problem]:
        """The problems shown, errors first (as of the last validation)."""
        return list(self._problems)

    def counts(self) -> tuple[int, int]:
        """(errors, warnings) as of the last validation."""
        return self._counts

    def journey_has_errors(self, journey_id: str) -> bool:
        """For the journey tabs: an error here blocks that journey's analysis."""
        return any(p.is_error and p.journey == journey_id for p in self._problems)

    # -- updating ------------------------------------------------------------------
    def refresh(self) -> None:
        """Validate now, keeping the selected problem selected if it is still there."""
        self._timer.stop()
        project = self._document.project
        self._validated_revision = self._document.revision
        found = validate_project(project)
        # sorted() is stable: within errors and warnings the validator's order stays.
        problems = sorted(found, key=lambda p: not p.is_error)
        selected = self._selected_problem()
        self._problems = problems
        self._fill(project, problems)
        if selected is not None and selected in problems:
            item = self.view.topLevelItem(problems.index(selected))
            if item is not None:
                self.view.setCurrentItem(item)
        errors = sum(1 for p in problems if p.is_error)
        self._counts = (errors, len(problems) - errors)
        self.counts_changed.emit(*self._counts)

    def _fill(self, project: Project, problems: list[Problem]) -> None:
        style = self.style()
        icons = {
            True: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
            False: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
        }
        journeys = {j.id: j.name or j.id for j in project.journeys}
        self.view.setUpdatesEnabled(False)
        try:
            self.view.clear()
            items = []
            for problem in problems:
                item = QTreeWidgetItem([
                    problem.message,
                    journeys.get(problem.journey or "", problem.journey or ""),
                    element_text(project, problem),
                ])
                item.setIcon(0, icons[problem.is_error])
                tip = f"{'Error' if problem.is_error else 'Warning'}: {problem.described(project)}"
                for column in range(len(COLUMNS)):
                    item.setToolTip(column, tip)
                items.append(item)
            self.view.addTopLevelItems(items)
        finally:
            self.view.setUpdatesEnabled(True)
        self._stack.setCurrentWidget(self.empty_label if not problems else self.view)

    def _selected_problem(self) -> Problem | None:
        row = self.view.currentIndex().row()
        return self._problems[row] if 0 <= row < len(self._problems) else None

    # -- handlers ------------------------------------------------------------------
    def _on_revision_changed(self, _revision: int) -> None:
        self._timer.start()  # restarts: validate once the edits pause

    def _on_project_reset(self) -> None:
        self.refresh()

    def _on_timer_timeout(self) -> None:
        if self._document.revision != self._validated_revision:
            self.refresh()

    def _on_item_clicked(self, index: QModelIndex) -> None:
        # Where one click already activates, activated() follows and emits instead.
        if not self.style().styleHint(QStyle.StyleHint.SH_ItemView_ActivateItemOnSingleClick,
                                      None, self.view):
            self._emit_activated(index)

    def _on_item_activated(self, index: QModelIndex) -> None:
        self._emit_activated(index)

    def _emit_activated(self, index: QModelIndex) -> None:
        if 0 <= index.row() < len(self._problems):
            self.problem_activated.emit(self._problems[index.row()])


def element_text(project: Project, problem: Problem) -> str:
    """The element in the user's words: "Touchpoint 'Buys' · probability"."""
    field = problem.field.replace("_", " ") if problem.field else ""
    kind = problem.element
    what = ""
    if kind in ("journey", "project"):
        what = kind.capitalize()
    else:
        name = element_name(project, problem)
        what = f"{kind.capitalize()} '{name}'" if name else kind.capitalize()
    return f"{what} · {field}" if field else what

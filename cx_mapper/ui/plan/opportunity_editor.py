"""One opportunity's editor: its title, description, owner, status, cost and linked
touchpoints, its changes as a before -> after table, its problems, and its exact gains
on every KPI (computed off the GUI thread, greyed while they are brought up to date).

Every edit goes through the document and is one undo step: texts when editing
finishes, the cost on Enter, focus-out or a step of its arrows.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.opportunities import (
    COST_RANGE,
    OPPORTUNITY_STATUSES,
    OPPORTUNITY_TEXT_LIMITS,
    Opportunity,
    opportunity_problems,
)
from cx_mapper.domain.validation import fit_problem
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.look.labels import ToneLabel
from cx_mapper.ui.plan.changes_table import ChangesEditor
from cx_mapper.ui.plan.gains_table import GainsTable
from cx_mapper.ui.plan.new_touchpoint import touchpoint_choices
from cx_mapper.ui.plan.words import PREFIX_UNITS


class _Description(QPlainTextEdit):
    """A plain-text field that reports its text when it loses focus (one undo step)."""

    finished = Signal(str)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        self.finished.emit(self.toPlainText())


def problems_of(journey: Journey, opportunity: Opportunity, segments: Any) -> list[str]:
    """What validation says about this opportunity (element "opportunity")."""
    found = [message for _, message in opportunity_problems(opportunity, journey.touchpoints)]
    if not found:
        unfit = fit_problem(journey, opportunity, segments)
        if unfit:
            found.append(unfit)
    return found


class OpportunityEditor(QWidget):
    """Edits the opportunity shown; says so when there is none."""

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._journey_id: str | None = None
        self._opportunity_id: str | None = None

        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(OPPORTUNITY_TEXT_LIMITS["title"])
        self.title_edit.setPlaceholderText("What the team would do")
        self.description_edit = _Description()
        self.description_edit.setPlaceholderText("Why, and how")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.owner_edit = QLineEdit()
        self.owner_edit.setMaxLength(OPPORTUNITY_TEXT_LIMITS["owner"])
        self.owner_edit.setPlaceholderText("Who answers for it")
        self.status_combo = QComboBox()
        for key, words in OPPORTUNITY_STATUSES.items():
            self.status_combo.addItem(words, key)
        self.cost_spin = QDoubleSpinBox()
        self.cost_spin.setRange(0.0, COST_RANGE[1] or 1e12)
        self.cost_spin.setDecimals(2)
        self.cost_spin.setSingleStep(1000.0)
        self.cost_spin.setGroupSeparatorShown(True)
        self.cost_spin.setKeyboardTracking(False)
        self.cost_spin.setAccelerated(True)
        self.touchpoint_list = QListWidget()
        self.touchpoint_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.touchpoint_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self.touchpoint_list.setToolTip("Tick the touchpoints this opportunity is about")
        self.changes = ChangesEditor()
        self.problems = ToneLabel(tone="error")
        self.problems.setObjectName("opportunityProblems")
        self.problems.hide()
        self.gains_note = ToneLabel()
        self.gains = GainsTable()
        self.gains.setAccessibleName("Gains on every key figure")
        self.empty = ToneLabel("Select an opportunity in the list, or add one: something "
                               "the team could do, what it costs and what it changes.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Title:", self.title_edit)
        form.addRow("&Description:", self.description_edit)
        form.addRow("&Owner:", self.owner_edit)
        form.addRow("&Status:", self.status_combo)
        form.addRow("&Cost:", self.cost_spin)
        form.addRow("&Touchpoints:", self.touchpoint_list)
        heading = QLabel("<b>What it changes</b> (before → after)")
        gains_heading = QLabel("<b>Gains</b> (this opportunity alone, exact)")
        # Two columns: what it is on the left, what it does (changes, gains) on the right,
        # so the whole opportunity fits a dock of usual height.
        self.body = QWidget()
        body = QHBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(12)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.problems)
        left.addStretch(1)
        right = QVBoxLayout()
        right.setSpacing(6)
        right.addWidget(heading)
        right.addWidget(self.changes)
        right.addWidget(gains_heading)
        right.addWidget(self.gains_note)
        right.addWidget(self.gains)
        right.addStretch(1)
        body.addLayout(left, 2)
        body.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.empty)
        layout.addWidget(self.body)

        self.title_edit.editingFinished.connect(lambda: self._commit_text("title"))
        self.owner_edit.editingFinished.connect(lambda: self._commit_text("owner"))
        self.description_edit.finished.connect(lambda _text: self._commit_text("description"))
        self.status_combo.activated.connect(
            lambda _i: self._set(status=self.status_combo.currentData()))
        self.cost_spin.valueChanged.connect(lambda value: self._set(cost=float(value)))
        self.touchpoint_list.itemChanged.connect(self._on_touchpoint_ticked)
        self.changes.edited.connect(lambda changes: self._set(changes=changes))
        self.show_opportunity(None, None)

    # -- showing ---------------------------------------------------------------------------
    @property
    def opportunity_id(self) -> str | None:
        return self._opportunity_id

    def show_opportunity(self, journey_id: str | None, opportunity_id: str | None) -> None:
        """Show this opportunity as the document has it now (None: the empty hint)."""
        journey = self._journey(journey_id)
        opportunity = None
        if journey is not None and opportunity_id is not None:
            opportunity = next((o for o in journey.opportunities if o.id == opportunity_id),
                               None)
        new_id = opportunity.id if opportunity is not None else None
        if new_id != self._opportunity_id:  # another opportunity: nothing typed is kept
            self.title_edit.setModified(False)
            self.owner_edit.setModified(False)
            self.description_edit.document().setModified(False)
        self._journey_id = journey_id
        self._opportunity_id = new_id
        self.empty.setVisible(opportunity is None)
        self.body.setVisible(opportunity is not None)
        if journey is None or opportunity is None:
            return
        unit = self._document.project.cost_unit
        prefix = unit in PREFIX_UNITS
        blockers = [QSignalBlocker(w) for w in (
            self.title_edit, self.owner_edit, self.description_edit, self.status_combo,
            self.cost_spin, self.touchpoint_list)]
        # What the user is typing stays until it is committed; anything else shows the
        # document (an undo while the field has focus too).
        for edit, text in ((self.title_edit, opportunity.title),
                           (self.owner_edit, opportunity.owner)):
            if not edit.isModified() and edit.text() != text:
                edit.setText(text)
                edit.setCursorPosition(0)  # a long title shows its start
        description = self.description_edit
        if not description.document().isModified() and \
                description.toPlainText() != opportunity.description:
            description.setPlainText(opportunity.description)
        self.status_combo.setCurrentIndex(self.status_combo.findData(opportunity.status))
        self.cost_spin.setPrefix(f"{unit} " if unit and prefix else "")
        self.cost_spin.setSuffix(f" {unit}" if unit and not prefix else "")
        self.cost_spin.setValue(opportunity.cost)
        self.touchpoint_list.clear()
        linked = set(opportunity.touchpoints)
        for name, touchpoint_id in sorted(touchpoint_choices(journey, opportunity),
                                          key=lambda pair: pair[1] not in linked):
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, touchpoint_id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if touchpoint_id in linked
                               else Qt.CheckState.Unchecked)
            self.touchpoint_list.addItem(item)
        del blockers
        self.changes.show_opportunity(journey, opportunity)
        problems = problems_of(journey, opportunity, self._document.project.segments)
        self.problems.setText("\n".join(f"✖ {p}" for p in problems))
        self.problems.setVisible(bool(problems))

    def show_gains(self, gains: dict[str, float] | None, note: str = "",
                   stale: bool = False, before: dict[str, float] | None = None) -> None:
        """The opportunity's gains (None: none to show, with `note` saying why), with the
        journey's figures now and after when `before` (its totals) is given."""
        self.gains.show_gains(gains, before)
        self.gains.setVisible(gains is not None)
        self.gains.setEnabled(not stale)
        self.gains_note.setText(note)
        self.gains_note.setVisible(bool(note))

    # -- editing --------------------------------------------------------------------------
    def _journey(self, journey_id: str | None) -> Journey | None:
        if journey_id is None:
            return None
        try:
            return self._document.journey(journey_id)
        except KeyError:
            return None

    def _commit_text(self, name: str) -> None:
        if name == "description":
            self.description_edit.document().setModified(False)
            self._set(description=self.description_edit.toPlainText())
            return
        edit = self.title_edit if name == "title" else self.owner_edit
        edit.setModified(False)
        self._set(**{name: edit.text().strip()})

    def _set(self, **fields: Any) -> None:
        journey_id, opportunity_id = self._journey_id, self._opportunity_id
        if journey_id is None or opportunity_id is None:
            return
        try:
            self._document.set_opportunity_fields(journey_id, opportunity_id, **fields)
        except ValueError as error:  # the form offers nothing the domain refuses; say so
            self.problems.setText(f"✖ {error}")
            self.problems.show()

    def _on_touchpoint_ticked(self, _item: QListWidgetItem) -> None:
        ticked = [self.touchpoint_list.item(i).data(Qt.ItemDataRole.UserRole)
                  for i in range(self.touchpoint_list.count())
                  if self.touchpoint_list.item(i).checkState() == Qt.CheckState.Checked]
        journey = self._journey(self._journey_id)
        if journey is None or self._opportunity_id is None:
            return
        old = journey.opportunity(self._opportunity_id).touchpoints
        kept = [t for t in old if t in ticked] + [t for t in ticked if t not in old]
        self._set(touchpoints=kept)

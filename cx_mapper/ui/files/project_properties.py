"""File > Project properties: the project's name and cost unit.

The name is the one the project file keeps (FORMAT.md, `"name"`); the title bar, the
summary's headline and the file names suggested by Save As and the exports show it.
The cost unit ("€", "k$", "points") is what opportunities' costs and plans' budgets count.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.domain.opportunities import COST_UNIT_LIMIT
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.look.labels import ToneLabel

NAME_REQUIRED = "A project needs a name."


class ProjectPropertiesDialog(QDialog):
    """Edits the project's name and cost unit; OK changes them as one undo step, Cancel
    changes nothing."""

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("project-properties")
        self.setWindowTitle("Project properties")
        self.setMinimumWidth(420)
        self._document = document
        self.name_edit = QLineEdit(document.project.name)
        self.name_edit.selectAll()
        self.name_edit.setToolTip("Shown in the title bar, on the summary and in the file "
                                  "names suggested when you save or export")
        self.cost_unit_edit = QLineEdit(document.project.cost_unit)
        self.cost_unit_edit.setMaxLength(COST_UNIT_LIMIT)
        self.cost_unit_edit.setPlaceholderText("e.g. €, k$, points, days")
        self.cost_unit_edit.setToolTip("What opportunities' costs and the plan's budget "
                                       "count: a currency or effort points. Empty shows "
                                       "bare numbers.")
        self.message = ToneLabel(tone="error")
        self.message.hide()
        hint = ToneLabel("Shown in the title bar, on the summary and in suggested file names.")
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Name:", self.name_edit)
        form.addRow("", hint)
        form.addRow("&Cost unit:", self.cost_unit_edit)
        form.addRow("", self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.finished.connect(self.deleteLater)

    def accept(self) -> None:
        name = " ".join(self.name_edit.text().split())
        if not name:
            self.message.setText(NAME_REQUIRED)
            self.message.show()
            return
        document = self._document
        with document.compound("Change project properties"):
            document.set_project_name(name)
            document.set_cost_unit(self.cost_unit_edit.text())
        super().accept()

"""The Inspector's form for a note: its text, its cell (lane and stage), the touchpoints
it is about, linked and unlinked here as on the canvas, and its picture.

It writes only through the document (each change one undo step) and shows the document's
values again from its signals, inside signal blockers, so undo from anywhere shows here.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.domain.content import NOTE_TEXT_LIMIT, Note
from cx_mapper.domain.journey import Journey
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.image_field import ImageField
from cx_mapper.ui.editor.images import picture_of, show_file_on_note

LINK_PROMPT = "Link to a touchpoint…"


class _NoteText(QPlainTextEdit):
    """Commits when the focus leaves it (as the other fields do)."""

    left = Signal()

    def focusOutEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        self.left.emit()


class NoteForm(QWidget):
    """Edits one note of a journey."""

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._journey_id: str | None = None
        self._note_id: str | None = None
        self.text = _NoteText()
        self.text.setObjectName("note_text")
        self.text.setPlaceholderText("What customers do, think or feel here…")
        self.text.setTabChangesFocus(True)
        self.text.setMaximumHeight(140)
        self.lane = QComboBox()
        self.stage = QComboBox()
        self.links = QListWidget()
        self.links.setMaximumHeight(110)
        self.links.setToolTip("The touchpoints this note is about; the canvas draws a thin "
                              "line to each while the note or the card is selected")
        self.unlink = QPushButton("Unlink")
        self.link_choice = QComboBox()
        self.link_choice.setToolTip("Link the note to a touchpoint (or drag from the note's "
                                    "dot to a card on the canvas)")
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Text", self.text)
        form.addRow("Lane", self.lane)
        form.addRow("Stage", self.stage)
        linked = QVBoxLayout()
        linked.addWidget(self.links)
        buttons = QHBoxLayout()
        buttons.addWidget(self.link_choice, 1)
        buttons.addWidget(self.unlink)
        linked.addLayout(buttons)
        form.addRow("About", linked)
        self.picture = ImageField("note")
        form.addRow("Picture", self.picture)
        self.setLayout(form)
        self.picture.file_chosen.connect(self._on_picture_file)
        self.picture.removed.connect(lambda: self._on_picture_file(None))
        self.text.left.connect(self.flush)
        self.lane.activated.connect(self._on_cell_chosen)
        self.stage.activated.connect(self._on_cell_chosen)
        self.unlink.clicked.connect(self._on_unlink)
        self.link_choice.activated.connect(self._on_link_chosen)
        self.links.itemSelectionChanged.connect(
            lambda: self.unlink.setEnabled(bool(self.links.selectedItems())))

    def show_note(self, journey_id: str | None, note_id: str | None) -> None:
        """Show a note (None: nothing), from the document as it is now."""
        self._journey_id, self._note_id = journey_id, note_id
        journey, note = self._current()
        if journey is None or note is None:
            return
        widgets = (self.text, self.lane, self.stage, self.links, self.link_choice)
        blocked = [widget.blockSignals(True) for widget in widgets]
        try:
            if self.text.toPlainText() != note.text:
                self.text.setPlainText(note.text)
            _fill(self.lane, [(lane.id, lane.name or lane.id) for lane in journey.lanes],
                  note.lane)
            _fill(self.stage, [(stage.id, stage.name or stage.id) for stage in journey.stages],
                  note.stage)
            self.links.clear()
            for touchpoint_id in note.touchpoints:
                item = QListWidgetItem(journey.touchpoints[touchpoint_id].name or touchpoint_id)
                item.setData(Qt.ItemDataRole.UserRole, touchpoint_id)
                self.links.addItem(item)
            others = [(t.id, t.name or t.id) for t in journey.touchpoints.values()
                      if t.id not in note.touchpoints]
            _fill(self.link_choice, [("", LINK_PROMPT), *others], "")
            self.unlink.setEnabled(False)
            image = self.document.project.images.get(note.image or "")
            self.picture.set_picture(picture_of(image.data) if image is not None else None)
        finally:
            for widget, was in zip(widgets, blocked, strict=True):
                widget.blockSignals(was)

    def flush(self) -> None:
        """Keep typed text (the focus left, or the selection is about to change)."""
        journey, note = self._current()
        text = self.text.toPlainText()[:NOTE_TEXT_LIMIT]
        if journey is not None and note is not None and text != note.text \
                and self._journey_id is not None:
            self.document.set_note_fields(self._journey_id, [note.id], text=text)

    def _current(self) -> tuple[Journey | None, Note | None]:
        if self._journey_id is None or self._note_id is None:
            return None, None
        try:
            journey = self.document.journey(self._journey_id)
        except KeyError:
            return None, None
        return journey, journey.notes.get(self._note_id)

    def _on_cell_chosen(self) -> None:
        journey, note = self._current()
        lane, stage = self.lane.currentData(), self.stage.currentData()
        if journey is not None and note is not None and self._journey_id is not None \
                and lane and stage:
            self.document.move_notes(self._journey_id, [note.id], lane, stage)

    def _on_unlink(self) -> None:
        journey, note = self._current()
        gone = [item.data(Qt.ItemDataRole.UserRole) for item in self.links.selectedItems()]
        if journey is not None and note is not None and gone and self._journey_id is not None:
            self.document.unlink_note(self._journey_id, note.id, gone)

    def _on_picture_file(self, path: str | None) -> None:
        """A picture chosen or dropped for the note (None: take it off); one undo step."""
        journey, note = self._current()
        if journey is None or note is None or self._journey_id is None:
            return
        if path is None:
            self.document.set_note_image(self._journey_id, note.id, None)
        else:
            self.picture.show_message(
                show_file_on_note(self.document, self._journey_id, note.id, path))

    def _on_link_chosen(self) -> None:
        journey, note = self._current()
        touchpoint = self.link_choice.currentData()
        if journey is not None and note is not None and touchpoint \
                and self._journey_id is not None:
            self.document.link_note(self._journey_id, note.id, [touchpoint])


def _fill(box: QComboBox, items: list[tuple[str, str]], current: str) -> None:
    box.clear()
    for key, text in items:
        box.addItem(text, key)
    box.setCurrentIndex(max(0, box.findData(current)))

"""One persona's card in the Personas panel: portrait, name, quote, goals, needs and
frustrations, each edited in place and stored through the document.

Typing is stored as it happens and one stretch of typing in one field is one undo step
(a merge key per field and visit, as a slider drag is one step). The card shows the
document again after every change, without touching the field being typed in while it
already says what the document holds.
"""

from __future__ import annotations

from collections.abc import Hashable
from itertools import count
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFocusEvent, QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.domain.personas import (
    PERSONA_ITEM_LIMIT,
    PERSONA_ITEMS_LIMIT,
    PERSONA_LISTS,
    PERSONA_TEXT_LIMITS,
    Persona,
)
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.images import choose_image_file, picture_of, show_file_on_persona
from cx_mapper.ui.editor.portrait import PortraitButton

#: The lists' headings and what to type in them.
LIST_TITLES: dict[str, tuple[str, str]] = {
    "goals": ("Goals", "What they want to achieve, one per line"),
    "needs": ("Needs", "What they need from us, one per line"),
    "frustrations": ("Frustrations", "What gets in their way, one per line"),
}
#: A card's width: three lists side by side, each a short sentence wide.
CARD_WIDTH = 600
#: Each field's visit gets its own merge key: typing merges, coming back is a new step.
_VISITS = count(1)


#: What starts each item when a list is shown, so an item that wraps onto a second line
#: is not read as two; typed or pasted bullets ("-", "*", "•") are not kept either.
BULLET = "\N{BULLET} "
_BULLETS = ("\N{BULLET}", "-", "*", "\N{EN DASH}")


def lines_of(text: str) -> tuple[str, ...]:
    """A list typed one item per line: blank lines, bullets and spaces around items
    dropped."""
    items = []
    for line in text.splitlines():
        item = line.strip()
        if item[:1] in _BULLETS and item[1:2] in (" ", ""):
            item = item[1:].strip()
        if item:
            items.append(item)
    return tuple(items)


def bulleted(items: tuple[str, ...]) -> str:
    return "\n".join(BULLET + item for item in items)


class _TextBox(QPlainTextEdit):
    """A few lines of text that says when the user leaves it; Tab moves on."""

    left = Signal()

    def __init__(self, placeholder: str, lines: float) -> None:
        super().__init__()
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.setFixedHeight(round(self.fontMetrics().lineSpacing() * lines + 12))

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        self.left.emit()


class PersonaCard(QFrame):
    """A persona's card; every edit is an undo step of the document."""

    segment_wanted = Signal(str)  # show this segment in the Segments table
    refused = Signal(str)  # why an edit or a picture was not taken, in one line

    def __init__(self, document: ProjectDocument, persona_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.persona_id = persona_id
        self.setObjectName("PersonaCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self.setFixedWidth(CARD_WIDTH)
        self._visit: dict[str, Hashable] = {}
        self._showing = False

        self.portrait = PortraitButton()
        self.portrait.setToolTip("Click to choose a picture, or drop a picture file here "
                                 "(PNG, JPEG or WebP)")
        self.portrait.clicked.connect(self.choose_picture)
        self.portrait.file_dropped.connect(self.set_picture_file)
        self.remove_picture_button = QToolButton()
        self.remove_picture_button.setText("Remove picture")
        self.remove_picture_button.setToolTip("Take the picture off (initials instead)")
        self.remove_picture_button.clicked.connect(self.remove_picture)

        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(PERSONA_TEXT_LIMITS["name"])
        self.name_edit.setPlaceholderText("Name, e.g. Ana, 34, busy parent")
        self.name_edit.setAccessibleName("Persona name")
        name_font = QFont(self.name_edit.font())
        name_font.setBold(True)
        name_font.setPointSizeF(name_font.pointSizeF() * 1.1)
        self.name_edit.setFont(name_font)
        self.name_edit.textEdited.connect(lambda text: self._store("name", text))
        self.name_edit.editingFinished.connect(lambda: self._end_visit("name"))

        self.segment_button = QToolButton()
        self.segment_button.setAutoRaise(True)
        self.segment_button.clicked.connect(self._on_segment_clicked)
        self.up_button = self._tool_button("Move this persona before the previous one",
                                           Qt.ArrowType.UpArrow, "Move up")
        self.down_button = self._tool_button("Move this persona after the next one",
                                             Qt.ArrowType.DownArrow, "Move down")
        self.remove_button = QToolButton()
        self.remove_button.setText("Remove")
        self.remove_button.setToolTip("Remove this persona (Undo brings it back)")
        self.up_button.clicked.connect(lambda: self.move_by(-1))
        self.down_button.clicked.connect(lambda: self.move_by(1))
        self.remove_button.clicked.connect(lambda: self.document.remove_persona(
            self.persona_id))

        self.quote_edit = _TextBox("A quote in their own words", 2.2)
        self.quote_edit.setAccessibleName("Quote")
        quote_font = QFont(self.quote_edit.font())
        quote_font.setItalic(True)
        self.quote_edit.setFont(quote_font)
        self.quote_edit.textChanged.connect(
            lambda: self._store("quote", self.quote_edit.toPlainText()))
        self.quote_edit.left.connect(lambda: self._end_visit("quote"))

        self.list_edits: dict[str, _TextBox] = {}
        lists = QGridLayout()
        lists.setContentsMargins(0, 0, 0, 0)
        lists.setHorizontalSpacing(6)
        lists.setVerticalSpacing(2)
        for column, name in enumerate(PERSONA_LISTS):
            title, hint = LIST_TITLES[name]
            box = _TextBox(hint, 5.2)
            box.setAccessibleName(title)
            box.textChanged.connect(lambda n=name: self._store_list(n))
            box.left.connect(lambda n=name: self._end_list_visit(n))
            heading = QLabel(title)
            heading.setBuddy(box)
            bold = QFont(heading.font())
            bold.setBold(True)
            heading.setFont(bold)
            lists.addWidget(heading, 0, column)
            lists.addWidget(box, 1, column)
            self.list_edits[name] = box

        top = QHBoxLayout()
        top.setSpacing(4)
        top.addWidget(self.name_edit, 1)
        for button in (self.segment_button, self.up_button, self.down_button,
                       self.remove_button):
            top.addWidget(button)
        fields = QVBoxLayout()
        fields.setSpacing(6)
        fields.addLayout(top)
        fields.addWidget(self.quote_edit)
        fields.addLayout(lists)
        left = QVBoxLayout()
        left.setSpacing(4)
        left.addWidget(self.portrait, 0, Qt.AlignmentFlag.AlignHCenter)
        left.addWidget(self.remove_picture_button, 0, Qt.AlignmentFlag.AlignHCenter)
        left.addStretch(1)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(10, 10, 10, 10)
        outer.setSpacing(10)
        outer.addLayout(left)
        outer.addLayout(fields, 1)
        self.show_persona()

    def _tool_button(self, tip: str, arrow: Qt.ArrowType, name: str) -> QToolButton:
        button = QToolButton()
        button.setArrowType(arrow)
        button.setToolTip(tip)
        button.setAccessibleName(name)
        return button

    # -- document -> card ----------------------------------------------------------
    def persona(self) -> Persona:
        return self.document.project.persona(self.persona_id)

    def show_persona(self) -> None:
        """Show what the document holds; a field being typed in is left alone while it
        says the same (its blank lines and cursor stay)."""
        persona = self.persona()
        project = self.document.project
        self._showing = True
        try:
            if self.name_edit.text() != persona.name:
                with QSignalBlocker(self.name_edit):
                    self.name_edit.setText(persona.name)
            if self.quote_edit.toPlainText() != persona.quote:
                self.quote_edit.setPlainText(persona.quote)
            for name, box in self.list_edits.items():
                items = getattr(persona, name)
                if lines_of(box.toPlainText()) != items:
                    box.setPlainText(bulleted(items))
        finally:
            self._showing = False
        image = project.images.get(persona.image) if persona.image else None
        self.portrait.set_person(persona.name, picture_of(image.data) if image else None)
        self.remove_picture_button.setVisible(image is not None)
        segment = next((s for s in project.segments if s.id == persona.segment), None)
        segment_name = segment.name if segment is not None else persona.segment
        self.segment_button.setText("Segment \N{NORTH EAST ARROW}")
        self.segment_button.setToolTip(
            f"Show the segment \u2018{segment_name}\u2019 in the Segments table (its "
            "share and word-of-mouth parameters)")
        siblings = [p.id for p in project.personas_of(persona.segment)]
        place = siblings.index(self.persona_id)
        self.up_button.setEnabled(place > 0)
        self.down_button.setEnabled(place < len(siblings) - 1)

    # -- card -> document ----------------------------------------------------------
    def _merge_key(self, field: str) -> Hashable:
        if field not in self._visit:
            self._visit[field] = ("persona", self.persona_id, field, next(_VISITS))
        return self._visit[field]

    def _end_visit(self, field: str) -> None:
        self._visit.pop(field, None)

    def _end_list_visit(self, field: str) -> None:
        """Leaving a list shows it as stored: an item per line, each with its bullet."""
        self._end_visit(field)
        box = self.list_edits[field]
        shown = bulleted(getattr(self.persona(), field))
        if box.toPlainText() != shown:
            self._showing = True
            try:
                box.setPlainText(shown)
            finally:
                self._showing = False

    def _store(self, field: str, value: Any) -> None:
        if self._showing:
            return
        limit = PERSONA_TEXT_LIMITS.get(field)
        if limit is not None and isinstance(value, str) and len(value) > limit:
            self.refused.emit(f"A persona's {field} is at most {limit:,} characters; this one "
                              f"has {len(value):,}. The rest is not kept.")
            value = value[:limit]
        self.document.set_persona_fields(self.persona_id, merge_key=self._merge_key(field),
                                         **{field: value})

    def _store_list(self, field: str) -> None:
        if self._showing:
            return
        items = lines_of(self.list_edits[field].toPlainText())
        singular = LIST_TITLES[field][0].lower()
        if len(items) > PERSONA_ITEMS_LIMIT:
            self.refused.emit(f"A persona has at most {PERSONA_ITEMS_LIMIT} {singular}; the "
                              "lines after that are not kept.")
            items = items[:PERSONA_ITEMS_LIMIT]
        if any(len(item) > PERSONA_ITEM_LIMIT for item in items):
            self.refused.emit(f"One line of {singular} is at most {PERSONA_ITEM_LIMIT:,} "
                              "characters; the rest of it is not kept.")
            items = tuple(item[:PERSONA_ITEM_LIMIT] for item in items)
        self.document.set_persona_fields(self.persona_id, merge_key=self._merge_key(field),
                                         **{field: items})

    def move_by(self, step: int) -> bool:
        """Move before the previous (-1) or after the next (+1) persona of the segment."""
        project = self.document.project
        persona = self.persona()
        siblings = [p.id for p in project.personas_of(persona.segment)]
        place = siblings.index(self.persona_id) + step
        if not 0 <= place < len(siblings):
            return False
        target = project.personas.index(project.persona(siblings[place]))
        return self.document.move_persona(self.persona_id, target)

    def choose_picture(self) -> None:
        who = self.persona().name or "the persona"
        path = choose_image_file(self, f"Choose a picture of {who}")
        if path is not None:
            self.set_picture_file(path)

    def set_picture_file(self, path: str) -> bool:
        """Make a picture file the portrait (downscaled); False, and a message, if refused."""
        refusal = show_file_on_persona(self.document, self.persona_id, path)
        self.refused.emit(refusal)
        return not refusal

    def remove_picture(self) -> None:
        self.document.set_persona_image(self.persona_id, None)
        self.portrait.setFocus()

    def _on_segment_clicked(self) -> None:
        self.segment_wanted.emit(self.persona().segment)

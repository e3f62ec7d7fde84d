"""The Personas panel: the faces and stories of the project's segments.

A section per segment, in the Segments table's order, holding the segment's persona
cards (a segment may have several) and a button to add one. The segment's parameters
stay in the Segments table; each persona card links to its row there, and selecting a
row scrolls this panel to the segment. Every edit goes through the document.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.domain.project import Segment
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.flow_layout import FlowLayout
from cx_mapper.ui.editor.persona_card import CARD_WIDTH, PersonaCard
from cx_mapper.ui.editor.segments import SegmentsPanel
from cx_mapper.ui.look.labels import ToneLabel

EMPTY_PROJECT = ("This project has no segments yet. Add one in the Segments panel "
                 "(View > Segments): each segment can then have personas here, with a "
                 "portrait, a quote, goals, needs and frustrations.")
NO_PERSONA = ("No persona yet. Add one to give this segment a face and a story: who they "
              "are, what they want and what gets in their way.")


class SegmentSection(QFrame):
    """A segment's heading and its row of persona cards; marked while it is current."""

    def __init__(self, segment: Segment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.segment_id = segment.id
        self._current = False
        self.heading = QLabel()
        font = QFont(self.heading.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        self.count_label = ToneLabel()
        self.count_label.setWordWrap(False)
        self.add_button = QPushButton()
        self.empty_label = ToneLabel(NO_PERSONA)
        self.empty_label.setFixedWidth(CARD_WIDTH)
        self.cards_row = QHBoxLayout()
        self.cards_row.setContentsMargins(0, 0, 0, 0)
        self.cards_row.setSpacing(10)
        self.cards_row.addWidget(self.empty_label)
        self.cards_row.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        header = QHBoxLayout()
        header.setSpacing(10)
        header.addWidget(self.heading)
        header.addWidget(self.count_label)
        header.addStretch(1)
        header.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(header)
        layout.addLayout(self.cards_row)
        self.show_segment(segment, 0)

    def show_segment(self, segment: Segment, personas: int) -> None:
        name = segment.name or segment.id
        self.heading.setText(name)
        self.count_label.setText("no persona" if personas == 0 else
                                 f"{personas} persona{'s' * (personas != 1)}")
        self.add_button.setText("Add persona")
        self.add_button.setToolTip(f"Add a persona to \u2018{name}\u2019")
        self.add_button.setAccessibleName(f"Add persona to {name}")
        self.empty_label.setVisible(personas == 0)

    def set_cards(self, cards: list[PersonaCard]) -> None:
        """Put these cards in the row, in order (cards of other sections are moved here)."""
        while self.cards_row.count() > 2:  # the empty label and the stretch stay
            self.cards_row.takeAt(1)
        for at, card in enumerate(cards, start=1):
            self.cards_row.insertWidget(at, card)

    def set_current(self, current: bool) -> None:
        if current != self._current:
            self._current = current
            self.update()

    def is_current(self) -> bool:
        return self._current

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if self._current:  # a bar down the left: the segment selected in the table
            painter = QPainter(self)
            painter.fillRect(QRectF(2, 6, 4, self.height() - 12),
                             self.palette().color(QPalette.ColorRole.Highlight))
            painter.end()


class PersonasPanel(QWidget):
    """Every segment's personas, editable; linked both ways with the Segments table."""

    segment_wanted = Signal(str)  # a card asked to show its segment in the Segments table

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._sections: dict[str, SegmentSection] = {}
        self._cards: dict[str, PersonaCard] = {}
        self._shape: list[tuple[str, list[str]]] = []
        self._current: str | None = None

        self.empty_label = ToneLabel(EMPTY_PROJECT)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = ToneLabel(tone="error")
        self.message.hide()
        self.hint = ToneLabel("Drop a picture file on a portrait, or click it to choose one. "
                              "Goals, needs and frustrations: one per line.")
        self.column = FlowLayout(spacing=8)  # segments side by side while they fit
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(8, 8, 8, 8)
        content_layout.setSpacing(6)
        content_layout.addWidget(self.empty_label)
        content_layout.addLayout(self.column)
        content_layout.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.scroll_area, 1)
        for line in (self.message, self.hint):
            line.setContentsMargins(8, 0, 8, 4)
            layout.addWidget(line)

        document.personas_changed.connect(self._on_personas_changed)
        document.segments_changed.connect(self._on_personas_changed)
        document.images_changed.connect(self._on_personas_changed)
        document.project_reset.connect(self._on_personas_changed)
        self._on_personas_changed()

    # -- public ----------------------------------------------------------------------
    def card(self, persona_id: str) -> PersonaCard | None:
        return self._cards.get(persona_id)

    def cards(self) -> list[PersonaCard]:
        """The cards in the order they are shown (segment by segment)."""
        return [self._cards[p] for _, personas in self._shape for p in personas]

    def section(self, segment_id: str) -> SegmentSection | None:
        return self._sections.get(segment_id)

    def current_segment(self) -> str | None:
        return self._current

    def show_segment(self, segment_id: str | None) -> None:
        """Mark a segment's section and scroll to it (the Segments table selected it)."""
        self._current = segment_id
        for key, section in self._sections.items():
            section.set_current(key == segment_id)
        self._scroll_to_current()
        # A dock just raised lays its contents out later: scroll again once it has.
        QTimer.singleShot(0, self._scroll_to_current)

    def _scroll_to_current(self) -> None:
        section = self._sections.get(self._current or "")
        if section is not None:
            self.scroll_area.ensureWidgetVisible(section, 0, 0)

    def add_persona(self, segment_id: str) -> str:
        """Add a persona to a segment and put the cursor in its name; one undo step."""
        persona_id = self.document.add_persona(segment_id)
        self.show_message("")
        card = self._cards.get(persona_id)
        if card is not None:
            self.scroll_area.ensureWidgetVisible(card)
            card.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        return persona_id

    def message_text(self) -> str:
        return self.message.text() if not self.message.isHidden() else ""

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # -- document -> panel -------------------------------------------------------------
    def _on_personas_changed(self) -> None:
        project = self.document.project
        shape = [(s.id, [p.id for p in project.personas_of(s.id)]) for s in project.segments]
        if shape != self._shape:
            self._rebuild(shape)
        for segment in project.segments:
            section = self._sections[segment.id]
            section.show_segment(segment, len(project.personas_of(segment.id)))
        for card in self._cards.values():
            card.show_persona()
        self.empty_label.setVisible(not project.segments)

    def _rebuild(self, shape: list[tuple[str, list[str]]]) -> None:
        """Sections and cards for a new set or order; kept cards keep their state."""
        focus = QApplication.focusWidget()
        held = next((card for card in self._cards.values()
                     if focus is not None and card.isAncestorOf(focus)), None)
        project = self.document.project
        wanted = {p for _, personas in shape for p in personas}
        for persona_id in [p for p in self._cards if p not in wanted]:
            gone = self._cards.pop(persona_id)
            gone.hide()
            gone.setParent(None)  # out of its row now, not when Qt gets round to it
            gone.deleteLater()
        for persona_id in wanted - set(self._cards):
            card = PersonaCard(self.document, persona_id)
            card.segment_wanted.connect(self.segment_wanted)
            card.refused.connect(self.show_message)
            self._cards[persona_id] = card
        segments = {s.id: s for s in project.segments}
        for segment_id in [s for s in self._sections if s not in segments]:
            old = self._sections.pop(segment_id)
            old.set_cards([])
            old.hide()
            old.setParent(None)
            old.deleteLater()
        for at, (segment_id, personas) in enumerate(shape):
            found = self._sections.get(segment_id)
            if found is not None:
                section = found
            else:
                section = SegmentSection(segments[segment_id])
                section.add_button.clicked.connect(
                    lambda _=False, s=segment_id: self.add_persona(s))
                self._sections[segment_id] = section
            self.column.insert_widget(at, section)
            section.set_cards([self._cards[p] for p in personas])
            section.set_current(segment_id == self._current)
        self._shape = shape
        if held is not None and focus is not None and not focus.hasFocus():
            focus.setFocus(Qt.FocusReason.OtherFocusReason)  # moved up or down: keep going


def add_personas_dock(
    document: ProjectDocument,
    make_dock: Callable[[str, QWidget, Qt.DockWidgetArea], QDockWidget],
    segments: SegmentsPanel,
    segments_dock: QDockWidget,
) -> tuple[PersonasPanel, QDockWidget]:
    """The Personas dock, tabbed beside the Segments dock, and the links between the two:
    a segment selected in the table is marked here, the table's Personas button shows
    the segment's personas, and a card's Segment button selects its row in the table."""
    panel = PersonasPanel(document)
    dock = make_dock("Personas", panel, Qt.DockWidgetArea.BottomDockWidgetArea)
    window = dock.parentWidget()
    if isinstance(window, QMainWindow):
        window.tabifyDockWidget(segments_dock, dock)

    def raise_dock(which: QDockWidget, focus: QWidget) -> None:
        which.show()
        which.raise_()
        focus.setFocus()

    def show_personas(segment_id: str) -> None:
        raise_dock(dock, panel)
        panel.show_segment(segment_id)

    def show_segment(segment_id: str) -> None:
        raise_dock(segments_dock, segments.table)
        segments.select(segment_id)

    segments.segment_selected.connect(panel.show_segment)
    segments.personas_wanted.connect(show_personas)
    panel.segment_wanted.connect(show_segment)
    return panel, dock

"""The journey map around the graph on the canvas: content lanes, notes, their links and
the experience lane, drawn from the document and kept in step with it.

Part of the journey scene: it sits between the drawn graph (journey_scene.py) and the
gestures (content_gestures.py, scene.py). Rows are laid out with the stage columns
(`_rows_room`, `_place_rows`, called from the scene's layout), so the columns grow to
hold them and every row spans every column. A journey without lanes lays out, draws and
hears exactly what it did before: no rows, no notes, no experience lane.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QLineF, QObject, QPointF, QRect, QRectF
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsSceneHelpEvent, QToolTip

from cx_mapper.domain.journey import Journey
from cx_mapper.engine.experience import experience_curves
from cx_mapper.engine.results import Analysis
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.canvas import style
from cx_mapper.ui.editor.canvas.experience_lane import ExperienceLane
from cx_mapper.ui.editor.canvas.journey_scene import JourneyScene
from cx_mapper.ui.editor.canvas.lane_rows import (
    EXPERIENCE,
    VISIBILITY_ROOM,
    Row,
    arrange_rows,
    paint_rows,
    rows_room,
    visibility_line,
)
from cx_mapper.ui.editor.canvas.notes import NoteCard, NoteLinks, connector
from cx_mapper.ui.editor.canvas.overlay import Overlays
from cx_mapper.ui.editor.canvas.picture import card_body, lane_left
from cx_mapper.ui.look.palette import CanvasPalette


class ContentLayer(JourneyScene):
    """Rows for the journey's lanes, note cards in their cells, connectors, experience."""

    def __init__(self, document: ProjectDocument, journey_id: str,
                 parent: QObject | None = None) -> None:
        super().__init__(document, journey_id, parent)
        document.lanes_changed.connect(self._on_lanes_changed)
        document.note_added.connect(self._on_note_changed)
        document.note_changed.connect(self._on_note_changed)
        document.note_removed.connect(self._on_note_removed)
        self.selectionChanged.connect(self._show_links)

    def _init_items(self) -> None:
        super()._init_items()
        self._notes: dict[str, NoteCard] = {}
        self._rows: list[Row] = []
        self._connectors: NoteLinks | None = None  # (the graph's _links are arrows')
        self._experience: ExperienceLane | None = None
        self._experience_on = True
        self._per_segment = False
        self._analysis: Analysis | None = None
        self._held: set[str] = set()  # notes being dragged: the layout leaves them be
        self._band = (0.0, 0.0)  # the touchpoint band (and the experience lane under it)

    # -- what others ask -------------------------------------------------------------------
    def notes(self) -> dict[str, NoteCard]:
        self._ensure_layout()
        return dict(self._notes)

    def note_card(self, note_id: str) -> NoteCard | None:
        self._ensure_layout()
        return self._notes.get(note_id)

    def rows(self) -> list[Row]:
        """The drawn rows, top to bottom (the experience lane's id is EXPERIENCE)."""
        self._ensure_layout()
        return list(self._rows)

    def row(self, lane_id: str) -> Row | None:
        return next((row for row in self.rows() if row.lane_id == lane_id), None)

    def experience_lane(self) -> ExperienceLane | None:
        self._ensure_layout()
        return self._experience if self._experience is not None and \
            self._experience.isVisible() else None

    def link_lines(self) -> list[QLineF]:
        """The connectors shown now, note to card."""
        self._ensure_layout()
        return self._connectors.lines() if self._connectors is not None else []

    def selected_notes(self) -> list[str]:
        """Selected note ids, in the journey's order."""
        chosen = {i.note.id for i in self.selectedItems() if isinstance(i, NoteCard)}
        return [n for n in self._notes if n in chosen] if chosen else []

    def select_notes(self, note_ids: Iterable[str], keep: bool = False) -> None:
        """Select notes (and, unless `keep`, nothing else); one selectionChanged."""
        wanted = {card for n in note_ids if (card := self._notes.get(n)) is not None}
        blocked = self.blockSignals(True)
        try:
            if not keep:
                for item in self.selectedItems():
                    if item not in wanted:
                        item.setSelected(False)
            for card in wanted:
                card.setSelected(True)
        finally:
            self.blockSignals(blocked)
        self.selectionChanged.emit()

    def select_all(self) -> None:
        super().select_all()
        self.select_notes(self._notes, keep=True)

    def row_at(self, pos: QPointF, headers: bool = True) -> Row | None:
        """The row under a scene point (its header too, unless `headers` is False)."""
        for row in self._rows:
            if row.body().contains(pos) or (headers and row.header().contains(pos)):
                return row
        return None

    def cell_at(self, pos: QPointF) -> tuple[str, str] | None:
        """(lane, stage) of the content cell under a scene point."""
        row = self.row_at(pos, headers=False)
        stage = self.stage_at(pos.x())
        if row is None or row.lane_id == EXPERIENCE or stage is None:
            return None
        return row.lane_id, stage

    def note_at(self, pos: QPointF) -> NoteCard | None:
        for item in self.items(pos):
            if isinstance(item, NoteCard):
                return item
        return None

    # -- the experience lane ---------------------------------------------------------------
    def set_experience(self, shown: bool, per_segment: bool = False) -> None:
        """View > Experience lane (shown under the touchpoint band of a journey with
        lanes), one line per segment or the mixed one."""
        if (shown, per_segment) == (self._experience_on, self._per_segment):
            return
        self._experience_on, self._per_segment = shown, per_segment
        self._show_curves()
        self._schedule_layout()

    def set_analysis(self, analysis: Analysis | None, overlays: Overlays | None = None) -> None:
        super().set_analysis(analysis, overlays)
        self._analysis = analysis
        self._show_curves()

    def set_stale(self, stale: bool) -> None:
        super().set_stale(stale)
        if self._experience is not None:
            self._experience.set_stale(stale and bool(self._experience.curves()))

    def _show_curves(self) -> None:
        journey = self.journey()
        if self._experience is None or journey is None:
            return
        analysis = self._analysis
        curves = (experience_curves(journey, analysis, self._per_segment)
                  if analysis is not None and analysis.journey_id == self._journey_id else [])
        self._experience.set_curves(curves)

    def _experience_shown(self, journey: Journey) -> bool:
        return self._experience_on and bool(journey.lanes) and bool(journey.stages)

    # -- look ------------------------------------------------------------------------------
    def set_palette(self, palette: CanvasPalette) -> None:
        super().set_palette(palette)
        for card in self._notes.values():
            card.set_palette(palette)
        for item in (self._connectors, self._experience):
            if item is not None:
                item.set_palette(palette)

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:  # noqa: N802
        super().drawBackground(painter, rect)
        if self._rows:
            paint_rows(painter, self._rows, self._palette, QRectF(rect))

    def helpEvent(self, event: QGraphicsSceneHelpEvent) -> None:  # noqa: N802
        pos = event.scenePos()
        note = self.note_at(pos)
        row = self.row_at(pos) if note is None else None
        text = note.tooltip() if note is not None else ""
        if row is not None and row.header().contains(pos):
            text = ("Drag to put the lane in another row, above or below the touchpoints; "
                    "right-click to rename, recolour or remove it"
                    if row.lane_id != EXPERIENCE else
                    "Loyalty of the customers at each stage (View > Experience lane)")
        elif row is not None and row.lane_id != EXPERIENCE and self._top_item(pos) is None:
            text = f"{row.name}: double-click to add a note"
        if not text:
            super().helpEvent(event)
            return
        QToolTip.showText(event.screenPos(), text, event.widget())
        event.accept()

    # -- document signals ------------------------------------------------------------------
    def _rebuild(self) -> None:
        for card in self._notes.values():
            card.setSelected(False)
        self._notes = {}
        self._rows = []
        self._connectors = self._experience = None  # clear() deletes them
        super()._rebuild()
        journey = self.journey()
        if journey is not None and journey.lanes:
            self._sync_notes(journey)
            self._update_layout()

    def _on_lanes_changed(self, journey_id: str) -> None:
        journey = self.journey()
        if journey_id == self._journey_id and journey is not None:
            self._sync_notes(journey)
            self._show_curves()
            self._redraw_below()
            self._schedule_layout()

    def _on_note_changed(self, journey_id: str, note_id: str) -> None:
        journey = self.journey()
        if journey_id != self._journey_id or journey is None or note_id not in journey.notes:
            return
        note = journey.note(note_id)
        card = self._notes.get(note_id)
        if card is None:
            card = NoteCard(note, journey.lane(note.lane), self._palette)
            self.addItem(card)
            self._notes[note_id] = card
        else:
            card.update_from(note, journey.lane(note.lane))
        self._schedule_layout()

    def _on_note_removed(self, journey_id: str, note_id: str) -> None:
        card = self._notes.pop(note_id, None) if journey_id == self._journey_id else None
        if card is not None:
            self._held.discard(note_id)
            self.removeItem(card)
            self._schedule_layout()

    def _sync_notes(self, journey: Journey) -> None:
        """A card for every note, in the journey's order; cards of notes gone, go."""
        for note_id in set(self._notes) - set(journey.notes):
            self.removeItem(self._notes.pop(note_id))
        cards: dict[str, NoteCard] = {}
        for note in journey.notes.values():
            card = self._notes.get(note.id)
            if card is None:
                card = NoteCard(note, journey.lane(note.lane), self._palette)
                self.addItem(card)
            else:
                card.update_from(note, journey.lane(note.lane))
            cards[note.id] = card
        self._notes = cards

    # -- layout ----------------------------------------------------------------------------
    def _heights(self, journey: Journey) -> dict[str, float]:
        """Each lane's row height: its fullest cell's notes, stacked."""
        cells: dict[tuple[str, str], float] = {}
        for note in journey.notes.values():
            card = self._notes.get(note.id)
            if card is not None:
                key = (note.lane, note.stage)
                cells[key] = cells.get(key, style.CELL_PADDING * 2 - style.NOTE_GAP) \
                    + card.height() + style.NOTE_GAP
        heights = {lane.id: style.ROW_MIN_HEIGHT for lane in journey.lanes}
        for (lane_id, _), height in cells.items():
            if lane_id in heights:
                heights[lane_id] = max(heights[lane_id], height)
        return heights

    def _rows_room(self, journey: Journey) -> tuple[float, float]:
        if not journey.lanes or not journey.stages:
            return 0.0, 0.0
        experience = style.EXPERIENCE_HEIGHT if self._experience_shown(journey) else 0.0
        return rows_room(journey, self._heights(journey), experience)

    def _place_rows(self, journey: Journey, lanes: list[QRectF], content: QRectF,
                    room: tuple[float, float]) -> QRectF:
        """Put the rows between the stage headers and the band, and under the band; the
        notes in their cells; the experience lane. Returns the content with them."""
        if not journey.lanes or not journey.stages or not lanes:
            if self._rows:
                self._rows = []
                self._redraw_below()
            if self._experience is not None:
                self._experience.hide()
            self._show_links()
            return content
        above, below = room
        band_top = lanes[0].top() + style.LANE_HEADER_HEIGHT + above
        band_bottom = lanes[0].bottom() - below
        shown = self._experience_shown(journey)
        rows = arrange_rows(journey, self._heights(journey), band_top, band_bottom,
                            style.EXPERIENCE_HEIGHT if shown else 0.0)
        self._band = (band_top, band_bottom + (style.EXPERIENCE_HEIGHT if shown else 0.0))
        if rows != self._rows:
            self._rows = rows
            self._redraw_below()
        tops = {row.lane_id: row.top for row in rows}
        columns = {stage.id: k for k, stage in enumerate(journey.stages)}
        filled: dict[tuple[str, str], float] = {}
        for note in journey.notes.values():
            card = self._notes.get(note.id)
            if card is None or note.lane not in tops or note.stage not in columns:
                continue
            key = (note.lane, note.stage)
            y = filled.get(key, tops[note.lane] + style.CELL_PADDING)
            filled[key] = y + card.height() + style.NOTE_GAP
            if note.id not in self._held:
                card.setPos(lane_left(columns[note.stage]) + style.CELL_PADDING, y)
        self._place_experience(rows, shown)
        for row in rows:
            content = content.united(row.whole())
        if visibility_line(rows) is not None:  # its label, right of the grid
            content = content.adjusted(0, 0, VISIBILITY_ROOM, 0)
        self._show_links()
        return content

    def _place_experience(self, rows: list[Row], shown: bool) -> None:
        row = next((r for r in rows if r.lane_id == EXPERIENCE), None)
        if row is None or not shown:
            if self._experience is not None:
                self._experience.hide()
            return
        if self._experience is None:
            self._experience = ExperienceLane(self._palette)
            self.addItem(self._experience)
            self._show_curves()
        self._experience.set_rect(row.body())
        self._experience.show()

    # -- connectors ------------------------------------------------------------------------
    def _show_links(self) -> None:
        """Connectors from the selected notes to their cards, and to the selected cards
        from the notes about them."""
        if not self._notes:
            if self._connectors is not None:
                self._connectors.set_lines([])
            return
        chosen_cards = set(self.selected_touchpoints())
        lines: list[QLineF] = []
        for card in self._notes.values():
            selected = card.isSelected()
            for touchpoint_id in card.note.touchpoints:
                target = self._cards.get(touchpoint_id)
                if target is not None and (selected or touchpoint_id in chosen_cards):
                    lines.append(connector(card.sceneBoundingRect().adjusted(
                        2, 2, -(style.HANDLE_SIZE / 2 + 2), -2), card_body(target)))
        if self._connectors is None:
            if not lines:
                return
            self._connectors = NoteLinks(self._palette)
            self.addItem(self._connectors)
        self._connectors.set_lines(lines)

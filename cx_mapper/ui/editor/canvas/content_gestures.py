"""Gestures on the content lanes: notes added, edited, dragged and linked; lanes dragged
by their headers across the touchpoint band, and their menus.

The canvas scene (scene.py) asks these first (`_content_press` and the rest); a gesture
that is not about lanes or notes is left to it. Every gesture ends in one document call,
so each is one undo step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

from PySide6.QtCore import QLineF, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QApplication,
    QColorDialog,
    QGraphicsScene,
    QGraphicsSceneContextMenuEvent,
    QGraphicsSceneMouseEvent,
    QMenu,
)

from cx_mapper.domain.content import LANE_KINDS, LaneKind
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.canvas import clipboard, style
from cx_mapper.ui.editor.canvas.content_layer import ContentLayer
from cx_mapper.ui.editor.canvas.editing import AlignmentGuides, ConnectLine, view_zoom
from cx_mapper.ui.editor.canvas.lane_rows import EXPERIENCE, HeaderGhost, Row
from cx_mapper.ui.editor.canvas.notes import Z_DRAGGED, Z_NOTE, NoteCard, NoteEditor
from cx_mapper.ui.editor.canvas.picture import card_body
from cx_mapper.ui.editor.images import show_file_on_note
from cx_mapper.ui.look import fonts, palette

BAND = "<touchpoints>"  # the touchpoint band among the lanes, while a header is dragged


def add_lane_menu(menu: QMenu, add: Callable[[LaneKind], object]) -> QMenu:
    """An "Add lane" submenu with one entry per kind, each calling add(kind)."""
    sub = menu.addMenu("Add lane")
    for kind, label in LANE_KINDS.items():
        sub.addAction(label, partial(add, kind))
    return sub


class ContentGestures(ContentLayer):
    """Mouse gestures and menus of the lanes and notes."""

    #: journey_id, "touchpoint" or "note", its id: the user asked for an opportunity
    #: started from it (the window's plan makes it, prefilled)
    opportunity_wanted = Signal(str, str, str)

    def __init__(self, document: ProjectDocument, journey_id: str,
                 parent: QObject | None = None) -> None:
        super().__init__(document, journey_id, parent)
        self._lane_drag: str | None = None
        self._ghost: HeaderGhost | None = None
        self._drop_mark: AlignmentGuides | None = None
        self._drop: tuple[int, int] | None = None  # (index, lanes_above) of a lane drag
        self._dragged: dict[str, QPointF] = {}  # notes being dragged, from where
        self._press = QPointF()
        self._moving = False
        self._link_note: str | None = None
        self._link_line: ConnectLine | None = None
        self._note_editor: NoteEditor | None = None

    # what the canvas scene provides
    def _open_editor(self, target: tuple[str, str], rect: QRectF, text: str,
                     font: QFont) -> None:
        raise NotImplementedError

    # -- edits -----------------------------------------------------------------------------
    def add_lane(self, kind: LaneKind, near: str | None = None) -> str:
        """Add a lane of `kind`: last, or beside the lane `near` on its side of the band."""
        journey = self.journey()
        assert journey is not None
        index = None
        if near is not None:
            position = journey.lanes.index(journey.lane(near))
            index = position if journey.lane_is_above(near) else position + 1
        return self._document.add_lane(self._journey_id, kind, index=index)

    def add_note_at(self, lane_id: str, stage_id: str) -> str:
        """A new note last in the cell, selected and open for typing (a second step)."""
        note_id = self._document.add_note(self._journey_id, lane_id, stage_id)
        self._update_layout()
        self.select_notes([note_id])
        self.start_note_edit(note_id)
        return note_id

    def start_note_edit(self, note_id: str) -> None:
        """Edit a note's text in place: Enter keeps it, Shift+Enter breaks the line."""
        card = self.note_card(note_id)
        if card is None:
            return
        if self._note_editor is None:
            self._note_editor = NoteEditor()
            self.addItem(self._note_editor)
            self._note_editor.committed.connect(self._on_note_committed)
        elif self._note_editor.is_editing():
            self._note_editor.commit()
        fill = palette.note_fill(palette.lane_accent(card.lane.kind, card.lane.colour),
                                 self._palette)
        self._note_editor.start(note_id, card.mapRectToScene(card.body()), card.note.text,
                                fill, palette.note_text(fill, self._palette))

    def show_file_on_note(self, note_id: str, path: str) -> None:
        """A picture file dropped on a note: shown on it (downscaled), or why not."""
        refusal = show_file_on_note(self._document, self._journey_id, note_id, path)
        told = getattr(self, "told", None)
        if told is not None:
            told.emit(refusal or f"{Path(path).name} is now the picture of the note.")

    def note_editor(self) -> NoteEditor | None:
        return self._note_editor

    def is_editing_note(self) -> bool:
        return self._note_editor is not None and self._note_editor.is_editing()

    def _on_note_committed(self, text: str) -> None:
        journey = self.journey()
        editor = self._note_editor
        if journey is None or editor is None or editor.note_id not in journey.notes:
            return
        self._document.set_note_fields(self._journey_id, [editor.note_id], text=text.strip())

    def _content_committed(self, kind: str, element_id: str, name: str) -> None:
        """The canvas's one-line editor renamed a lane."""
        journey = self.journey()
        if kind == "lane" and journey is not None and \
                any(lane.id == element_id for lane in journey.lanes):
            self._document.set_lane_fields(self._journey_id, element_id, name=name)

    def start_lane_rename(self, lane_id: str) -> None:
        row = self.row(lane_id)
        if row is not None:
            header = row.header()
            self._open_editor(("lane", lane_id), QRectF(header.left() + 24, header.top() + 4,
                                                        header.width() - 28, 26), row.name,
                              fonts.font(style.HEADER_POINT_SIZE - 1, QFont.Weight.DemiBold))

    def choose_lane_colour(self, lane_id: str) -> None:
        journey = self.journey()
        if journey is None:
            return
        lane = journey.lane(lane_id)
        views = self.views()
        colour = QColorDialog.getColor(palette.lane_accent(lane.kind, lane.colour),
                                       views[0] if views else None, "Lane colour")
        if colour.isValid():
            self._document.set_lane_fields(self._journey_id, lane_id,
                                           colour=colour.name(QColor.NameFormat.HexRgb))

    # -- menus -----------------------------------------------------------------------------
    def row_menu(self, row: Row, at: QPointF | None = None) -> QMenu:
        """A lane's menu (its header or its cells); the caller shows and owns it."""
        journey = self.journey()
        assert journey is not None
        menu = QMenu()
        cell = self.cell_at(at) if at is not None else None
        if cell is not None:
            menu.addAction("Add note here", partial(self.add_note_at, *cell))
            menu.addSeparator()
        menu.addAction("Rename lane", partial(self.start_lane_rename, row.lane_id))
        menu.addAction("Change colour…", partial(self.choose_lane_colour, row.lane_id))
        if journey.lane(row.lane_id).colour is not None:
            menu.addAction("Use the kind's colour", partial(
                self._document.set_lane_fields, self._journey_id, row.lane_id, colour=None))
        add_lane_menu(menu, partial(self._add_lane_near, row.lane_id))
        menu.addSeparator()
        menu.addAction("Remove lane", partial(self._document.remove_lane, self._journey_id,
                                              row.lane_id))
        return menu

    def _add_lane_near(self, near: str, kind: LaneKind) -> None:
        self.add_lane(kind, near)

    def note_menu(self, card: NoteCard) -> QMenu:
        journey = self.journey()
        assert journey is not None
        menu = QMenu()
        menu.addAction("Edit note", partial(self.start_note_edit, card.note.id))
        if card.note.touchpoints:
            unlink = menu.addMenu("Unlink from")
            for touchpoint_id in card.note.touchpoints:
                name = journey.touchpoints[touchpoint_id].name or touchpoint_id
                unlink.addAction(name, partial(self._document.unlink_note, self._journey_id,
                                               card.note.id, [touchpoint_id]))
        if card.lane.kind == "opportunities":
            menu.addAction("Make an opportunity from this note", partial(
                self.opportunity_wanted.emit, self._journey_id, "note", card.note.id))
        menu.addSeparator()
        menu.addAction("Delete note", partial(self._document.remove_notes, self._journey_id,
                                              [card.note.id]))
        return menu

    def _content_menu(self, event: QGraphicsSceneContextMenuEvent) -> bool:
        pos = event.scenePos()
        note = self.note_at(pos)
        row = self.row_at(pos) if note is None else None
        if note is not None:
            if not note.isSelected():
                self.select_notes([note.note.id])
            menu = self.note_menu(note)
        elif row is not None and row.lane_id != EXPERIENCE and self._top_item(pos) is None:
            menu = self.row_menu(row, pos)
        elif self._top_item(pos) is None and self._header_at(pos) is None \
                and self.journey() is not None:
            menu = QMenu()
            add_lane_menu(menu, self.add_lane)
        else:
            return False
        menu.exec(event.screenPos())
        menu.deleteLater()
        event.accept()
        return True

    # -- mouse -----------------------------------------------------------------------------
    def _content_press(self, event: QGraphicsSceneMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton or not self._notes and not self._rows:
            return False
        pos = event.scenePos()
        row = self.row_at(pos)
        if row is not None and row.lane_id != EXPERIENCE and row.header().contains(pos):
            self._lane_drag = row.lane_id
            self._press = pos
            event.accept()
            return True
        handle = self.note_handle_at(pos, view_zoom(event))
        if handle is not None:
            self._link_note = handle.note.id
            self._link_line = ConnectLine(handle.mapToScene(handle.handle_centre()),
                                          self._palette)
            self.addItem(self._link_line)
            event.accept()
            return True
        note = self.note_at(pos)
        if note is None:
            return False
        QGraphicsScene.mousePressEvent(self, event)  # Qt's selection: click, Ctrl+click
        if note.isSelected():
            self._dragged = {n: self._notes[n].pos() for n in self.selected_notes()}
            self._press = pos
            self._moving = False
        return True

    def note_handle_at(self, pos: QPointF, zoom: float) -> NoteCard | None:
        """The note whose link handle is at `pos`, with a few screen pixels round it."""
        if zoom < style.LOD_DETAIL:
            return None
        reach = style.HANDLE_SIZE / 2 + style.HANDLE_SLOP_PIXELS / zoom
        for card in self._notes.values():
            if QLineF(card.mapToScene(card.handle_centre()), pos).length() <= reach:
                return card
        return None

    def _content_move(self, event: QGraphicsSceneMouseEvent) -> bool:
        pos = event.scenePos()
        if self._link_note is not None and self._link_line is not None:
            target = self._card_at(pos)
            self._link_line.set_end(pos, card_body(target) if target is not None else None)
            return True
        if self._lane_drag is not None:
            self._follow_lane_drag(pos)
            return True
        if not self._dragged or not event.buttons() & Qt.MouseButton.LeftButton:
            return False
        if not self._moving and QLineF(pos, self._press).length() * view_zoom(event) < \
                QApplication.startDragDistance():
            return True
        self._moving = True
        self._held = set(self._dragged)
        delta = pos - self._press
        for note_id, start in self._dragged.items():
            card = self._notes.get(note_id)
            if card is not None:
                card.setZValue(Z_DRAGGED)
                card.setPos(start + delta)
        drop = self._note_drop(pos)
        self._mark([] if drop is None else [drop[3]])
        return True

    def _content_release(self, event: QGraphicsSceneMouseEvent) -> bool:
        pos = event.scenePos()
        if self._link_note is not None:
            note_id, self._link_note = self._link_note, None
            if self._link_line is not None:
                self.removeItem(self._link_line)
                self._link_line = None
            target = self._card_at(pos)
            if target is not None:
                self._document.link_note(self._journey_id, note_id, [target.touchpoint.id])
                self.select_notes([note_id])
            return True
        if self._lane_drag is not None:
            self._finish_lane_drag()
            return True
        if not self._dragged:
            return False
        QGraphicsScene.mouseReleaseEvent(self, event)
        dragged, self._dragged = self._dragged, {}
        moving, self._moving = self._moving, False
        self._mark([])
        for note_id in dragged:
            if (card := self._notes.get(note_id)) is not None:
                card.setZValue(Z_NOTE)
        drop = self._note_drop(pos) if moving else None
        self._held = set()
        if drop is not None:
            lane_id, stage_id, before, _ = drop
            self._document.move_notes(self._journey_id, dragged, lane_id, stage_id,
                                      before=before)
        self._update_layout()  # where the move put them, or back where they were
        return True

    def _content_double_click(self, event: QGraphicsSceneMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton or not self._rows:
            return False
        pos = event.scenePos()
        note = self.note_at(pos)
        if note is not None:
            self.select_notes([note.note.id])
            self.start_note_edit(note.note.id)
        elif (row := self.row_at(pos)) is not None and row.header().contains(pos):
            if row.lane_id == EXPERIENCE:
                return False
            self.start_lane_rename(row.lane_id)
        elif (cell := self.cell_at(pos)) is not None and self._top_item(pos) is None:
            self.add_note_at(*cell)
        else:
            return False
        event.accept()
        return True

    def _cancel_content_gesture(self) -> bool:
        """Escape: a link or a lane being dragged is dropped."""
        if self._link_note is None and self._lane_drag is None:
            return False
        self._link_note = None
        if self._link_line is not None:
            self.removeItem(self._link_line)
            self._link_line = None
        self._lane_drag, self._drop = None, None
        self._end_lane_drag()
        return True

    # -- where a dragged note or lane would land ----------------------------------------------
    def _note_drop(self, pos: QPointF) -> tuple[str, str, str | None, QLineF] | None:
        """(lane, stage, before which note, the line to mark it) for notes dropped at pos."""
        cell = self.cell_at(pos)
        journey = self.journey()
        if cell is None or journey is None:
            return None
        lane_id, stage_id = cell
        row = self.row(lane_id)
        assert row is not None
        column = [s.id for s in journey.stages].index(stage_id)
        box = row.cell(column)
        staying = [n for n in journey.notes_in(lane_id, stage_id) if n.id not in self._dragged]
        y = box.top() + style.CELL_PADDING / 2
        for note in staying:
            card = self._notes[note.id]
            if card.y() + card.height() / 2 > pos.y():
                mark = QLineF(box.left() + 6, card.y() - style.NOTE_GAP / 2,
                              box.right() - 6, card.y() - style.NOTE_GAP / 2)
                return lane_id, stage_id, note.id, mark
            y = card.y() + card.height() + style.NOTE_GAP / 2
        return lane_id, stage_id, None, QLineF(box.left() + 6, y, box.right() - 6, y)

    def _follow_lane_drag(self, pos: QPointF) -> None:
        journey = self.journey()
        row = self.row(self._lane_drag or "")
        if journey is None or row is None:
            return
        if self._ghost is None:
            self._ghost = HeaderGhost(row, self._palette)
            self.addItem(self._ghost)
        self._ghost.setPos(0, pos.y() - self._press.y())
        others: list[tuple[str, float, float]] = []  # (lane or BAND, top, bottom)
        for lane in journey.lanes:
            if lane.id != row.lane_id and (other := self.row(lane.id)) is not None:
                others.append((lane.id, other.top, other.bottom))
        band = (BAND, *self._band)
        others.insert(sum(1 for lane in journey.lanes[:journey.lanes_above]
                          if lane.id != row.lane_id), band)
        at = sum(1 for _, top, bottom in others if (top + bottom) / 2 < pos.y())
        order = [name for name, _, _ in others]
        order.insert(at, row.lane_id)
        above = order.index(BAND)
        order.remove(BAND)
        self._drop = (order.index(row.lane_id), above)
        if at == 0:
            y = others[0][1]
        elif at == len(others):
            y = others[-1][2]
        else:
            y = (others[at - 1][2] + others[at][1]) / 2
        self._mark([QLineF(row.left - style.ROW_HEADER_WIDTH, y, row.right, y)])

    def _finish_lane_drag(self) -> None:
        lane_id, drop = self._lane_drag, self._drop
        self._lane_drag, self._drop = None, None
        self._end_lane_drag()
        if lane_id is not None and drop is not None:
            self._document.place_lane(self._journey_id, lane_id, *drop)

    def _end_lane_drag(self) -> None:
        if self._ghost is not None:
            self.removeItem(self._ghost)
            self._ghost = None
        self._mark([])

    def _mark(self, lines: list[QLineF]) -> None:
        if self._drop_mark is None:
            if not lines:
                return
            self._drop_mark = AlignmentGuides(self._palette)
            self.addItem(self._drop_mark)
        self._drop_mark.set_lines(lines)
        self._drop_mark.setVisible(bool(lines))

    def drop_mark(self) -> list[QLineF]:
        """The line showing where a dragged lane or note would land, while one is dragged."""
        return self._drop_mark.lines() if self._drop_mark is not None and \
            self._drop_mark.isVisible() else []

    def _rebuild(self) -> None:
        self._ghost = self._drop_mark = self._link_line = None  # clear() deletes them
        self._note_editor = None
        self._dragged, self._lane_drag, self._link_note = {}, None, None
        super()._rebuild()

    def _paste_notes(self, selection: clipboard.Selection, at: QPointF | None,
                     copies: dict[str, str]) -> list[str]:
        """Paste notes into the cell under `at`, or their own cells; links follow the
        touchpoints pasted with them. They join the selection."""
        cell = self.cell_at(at) if at is not None else None
        notes = [replace(note, touchpoints=tuple(copies.get(t, t) for t in note.touchpoints),
                         lane=cell[0] if cell else note.lane,
                         stage=cell[1] if cell else note.stage)
                 for note in selection.notes]
        ids = self._document.add_notes(self._journey_id, notes)
        self._update_layout()
        self.select_notes(ids.values(), keep=bool(copies))
        return list(ids.values())

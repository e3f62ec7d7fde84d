"""The journey canvas scene: the drawn journey plus every gesture and edit action.

It never edits the project: every gesture and edit action ends in one
ProjectDocument call (a stage edit that moves cards with their lanes is one undo
macro), so each is one undo step. The document's signals then update the items.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from PySide6.QtCore import QLineF, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QCursor, QFont, QKeyEvent, QPainterPath
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsSceneContextMenuEvent,
    QGraphicsSceneMouseEvent,
    QMenu,
)

from cx_mapper.domain.ids import unique_name
from cx_mapper.domain.journey import NEW_TOUCHPOINT_NAME, Touchpoint
from cx_mapper.engine.arrange import Axis, Box, Edge, align, distribute
from cx_mapper.engine.layout import GRID, snap
from cx_mapper.engine.placement import paste_offset
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.canvas import clipboard, style
from cx_mapper.ui.editor.canvas.arranging import DragAlignment, card_box, stage_change_words
from cx_mapper.ui.editor.canvas.editing import (
    AlignmentGuides,
    ConnectLine,
    InPlaceEditor,
    view_of,
    view_zoom,
)
from cx_mapper.ui.editor.canvas.items import TouchpointCard
from cx_mapper.ui.editor.canvas.journey_scene import LANE_MARGIN, card_body, lane_left
from cx_mapper.ui.editor.canvas.picture import ARROW_ROOM
from cx_mapper.ui.editor.canvas.stage_edits import StageEdits
from cx_mapper.ui.look import fonts

__all__ = ["LANE_MARGIN", "CanvasScene", "lane_left"]

DEFAULT_TOUCHPOINT_NAME = NEW_TOUCHPOINT_NAME


class CanvasScene(StageEdits):
    """One journey drawn as lanes, cards and arrows, edited through the document."""

    #: A line for the status bar about an edit a gesture made, e.g. a card that took
    #: the stage of the lane it was dropped in.
    told = Signal(str)

    # gesture state; class defaults, as the drawn journey is built before __init__ ends
    _connect_source: str | None = None
    _connect_line: ConnectLine | None = None
    _editor: InPlaceEditor | None = None
    _editing: tuple[str, str] | None = None  # ("touchpoint" | "stage", id)
    _press_positions: dict[str, QPointF] | None = None  # cards being dragged, from where
    _alignment: DragAlignment | None = None  # lines the dragged cards up
    _guides: AlignmentGuides | None = None
    _grid = GRID  # what cards snap to; 0 with Snap to grid off

    def __init__(
        self, document: ProjectDocument, journey_id: str, parent: QObject | None = None
    ) -> None:
        super().__init__(document, journey_id, parent)
        self._nudges = 0
        self._nudge_key: tuple[str, int, int] | None = None
        document.touchpoint_renamed.connect(self._on_touchpoint_renamed)

    # -- edit actions (the main window's menus and shortcuts call these) -------------------
    def delete_selection(self) -> bool:
        """Delete the selected cards (with their transitions), arrows and notes as one step."""
        touchpoints, transitions = self.selected_touchpoints(), self.selected_transitions()
        notes = self.selected_notes()
        if not touchpoints and not transitions and not notes:
            return False
        with self._document.compound("Delete"):
            if notes:
                self._document.remove_notes(self._journey_id, notes)
            if touchpoints or transitions:
                self._document.remove_items(self._journey_id, touchpoints, transitions)
        return True

    def copy_selection(self) -> bool:
        """Copy the selected touchpoints and the transitions among them to the clipboard."""
        selection = self._selection()
        if selection is None:
            return False
        clipboard.write(selection)
        return True

    def can_paste(self) -> bool:
        return self.journey() is not None and clipboard.read() is not None

    def paste(self, at: QPointF | None = None) -> list[str]:
        """Paste the clipboard's touchpoints centred on `at` (by default the mouse, when it
        is over this canvas), else just below the originals where no card is; they become
        the selection. One undo step; returns the new ids."""
        selection = clipboard.read()
        if selection is None or self.journey() is None:
            return []
        return self._paste(selection, self.pointer() if at is None else at)

    def duplicate_selection(self) -> list[str]:
        """Copy and paste just below the originals in one step, leaving the clipboard alone."""
        selection = self._selection()
        return self._paste(selection, None) if selection is not None else []

    def pointer(self) -> QPointF | None:
        """Where the mouse is over one of this scene's views, in scene units; None when it
        is elsewhere (over a menu, a dock, another window)."""
        screen_point = QCursor.pos()
        under = QApplication.widgetAt(screen_point)
        for view in self.views():
            viewport = view.viewport()
            if under is viewport and viewport.rect().contains(viewport.mapFromGlobal(
                    screen_point)):
                return view.mapToScene(viewport.mapFromGlobal(screen_point))
        return None

    def nudge(self, dx: float, dy: float, *, repeat: bool = False) -> bool:
        """Move the selected cards by (dx, dy) as one step. `repeat` (a held key) merges
        into the previous nudge, so holding an arrow key is one step too."""
        journey = self.journey()
        ids = self.selected_touchpoints()
        if journey is None or not ids:
            return False
        if not repeat or self._nudge_key is None:
            self._nudges += 1
            self._nudge_key = ("nudge", id(self), self._nudges)
        positions = {t: (journey.touchpoint(t).x + dx, journey.touchpoint(t).y + dy)
                     for t in ids}
        return self._move(positions, text="Nudge", merge_key=self._nudge_key)

    def rename_selected(self) -> bool:
        """F2: edit the first selected card's name (or note's text) in place."""
        ids = self.selected_touchpoints()
        if not ids and self.selected_notes():
            self.start_note_edit(self.selected_notes()[0])
            return True
        if not ids:
            return False
        self.start_rename(ids[0])
        return True

    def start_rename(self, touchpoint_id: str) -> None:
        """Open the in-place editor over a card's name; Enter renames, Escape cancels."""
        card = self._cards[touchpoint_id]
        rect = card.mapRectToScene(card.name_rect())
        self._open_editor(("touchpoint", touchpoint_id), rect, card.touchpoint.name,
                          fonts.font(style.NAME_POINT_SIZE, QFont.Weight.DemiBold))

    def start_stage_rename(self, stage_id: str) -> None:
        """Open the in-place editor over a lane header's name."""
        lane = self.lane(stage_id)
        if lane is None:
            return
        rect = lane.mapRectToScene(lane.name_rect())
        self._open_editor(("stage", stage_id), rect, lane.name,
                          fonts.font(style.HEADER_POINT_SIZE, QFont.Weight.DemiBold))

    def is_editing(self) -> bool:
        """Whether an in-place name editor is open (it gets the keys then)."""
        return self._editor is not None and self._editor.is_editing()

    def editor(self) -> InPlaceEditor | None:
        return self._editor

    def add_touchpoint_at(self, pos: QPointF) -> str:
        """Add a touchpoint centred near `pos` on the grid, in the stage under it, and
        start renaming it. One undo step (the rename is another)."""
        journey = self.journey()
        if journey is None:
            return ""
        name = unique_name(DEFAULT_TOUCHPOINT_NAME, (t.name for t in journey.touchpoints.values()))
        x = snap(pos.x() - style.CARD_WIDTH / 2, self._grid)
        y = snap(pos.y() - style.CARD_HEIGHT / 2, self._grid)
        touchpoint = Touchpoint("", name=name, stage=self.stage_at(pos.x()), x=x, y=y)
        touchpoint_id = self._document.add_touchpoint(self._journey_id, touchpoint)
        self.select([touchpoint_id])
        self.start_rename(touchpoint_id)
        return touchpoint_id

    # -- what the view fits ----------------------------------------------------------------
    def fit_rect(self, lanes_below: bool = True) -> QRectF:
        """What Fit shows: the stage headers, the lanes above, the cards and their arrows,
        the experience lane and (with `lanes_below`) the lanes under it, but not the empty
        lane bodies below the cards (room to add cards, not worth a smaller zoom)."""
        content = self.content_rect()
        lowest = max((card.y() for card in self._cards.values()), default=None)
        if lowest is None:
            return content  # no cards: the empty lanes
        bottom = min(content.bottom(), lowest + style.CARD_HEIGHT + ARROW_ROOM)
        bottom = max([bottom, *(row.bottom for row in self.rows() if lanes_below or row.above
                                or row.kind == "experience")])
        return QRectF(content.left(), content.top(), content.width(), bottom - content.top())

    def has_content_in(self, rect: QRectF) -> bool:
        """Whether a card or an arrow is drawn in `rect` (scene coordinates). Asked of the
        card index and arrow grid: Qt's items took 0.2 s a fit on a 2,000-card map."""
        self._ensure_layout()
        area = QPainterPath()
        area.addRect(rect)
        return self._index.card_in(rect.left(), rect.top(), rect.right(), rect.bottom()) \
            or any(row.whole().intersects(rect) for row in self.rows()) \
            or any(self._arrows[key].collidesWithPath(area)
                   for key in self._arrow_grid.keys_in(rect) if key in self._arrows)

    # -- arranging (the Arrange menu) ---------------------------------------------------------
    def align_selection(self, edge: Edge) -> bool:
        """Line the selected cards up on one edge (or the centre) of their bounds; a
        card that lands in another lane takes its stage. One undo step."""
        moved = align(self._selected_boxes(), edge)
        return self._arrange(moved, f"Align {edge}")

    def distribute_selection(self, axis: Axis) -> bool:
        """Space three or more selected cards with equal gaps along `axis`. One undo step."""
        moved = distribute(self._selected_boxes(), axis)
        return self._arrange(moved, f"Distribute {axis}ly")

    def set_snap_to_grid(self, on: bool) -> None:
        """Dragged and added cards land on the grid (GRID units), or where they are put."""
        self._grid = GRID if on else 0.0

    def snap_to_grid(self) -> bool:
        return self._grid > 0

    def _selected_boxes(self) -> dict[str, Box]:
        return {t: card_box(self._cards[t]) for t in self.selected_touchpoints()}

    def _arrange(self, positions: Mapping[str, tuple[float, float]], text: str) -> bool:
        journey = self.journey()
        if journey is None:
            return False
        changed = {t: p for t, p in positions.items()
                   if p != (journey.touchpoint(t).x, journey.touchpoint(t).y)}
        return bool(changed) and self._move(changed, text=text)

    # -- moving cards ----------------------------------------------------------------------
    def _move(self, positions: Mapping[str, tuple[float, float]], *, text: str,
              merge_key: object = None) -> bool:
        """One move_touchpoints call; a card whose centre lands in another lane takes
        that stage in the same step. Cards the document did not move go back."""
        journey = self.journey()
        assert journey is not None
        stages: dict[str, str | None] = {}
        for touchpoint_id, (x, _y) in positions.items():
            stage = self.stage_at(x + style.CARD_WIDTH / 2)
            if stage is not None and stage != journey.touchpoint(touchpoint_id).stage:
                stages[touchpoint_id] = stage
        told = ""
        if stages:  # never silently: the undo step and the status bar name the stage
            moving, told = stage_change_words(journey, stages)
            text = moving if text == "Move" else text  # a drag; Align, Nudge keep their name
        moved = self._document.move_touchpoints(
            self._journey_id, positions, stages=stages, merge_key=merge_key, text=text)
        if moved and told:
            self.told.emit(told)
        for touchpoint_id in positions:
            touchpoint = journey.touchpoint(touchpoint_id)
            card = self._cards[touchpoint_id]
            if card.pos() != QPointF(touchpoint.x, touchpoint.y):
                card.setPos(touchpoint.x, touchpoint.y)
                self._note_position(touchpoint_id)
        self._flush_moves()
        return moved

    # -- clipboard helpers -----------------------------------------------------------------
    def _selection(self) -> clipboard.Selection | None:
        journey = self.journey()
        ids, notes = self.selected_touchpoints(), self.selected_notes()
        if journey is None or not ids and not notes:
            return None
        return clipboard.selection_of((journey.touchpoint(t) for t in ids),
                                      journey.transitions.values(),
                                      (journey.note(n) for n in notes))

    def _paste(self, selection: clipboard.Selection, at: QPointF | None) -> list[str]:
        if not selection.notes:
            return list(self._paste_cards(selection, at).values())
        with self._document.compound("Paste"):
            copies = self._paste_cards(selection, at) if selection.touchpoints else {}
            self._paste_notes(selection, at, copies)
        return list(copies.values())

    def _paste_cards(self, selection: clipboard.Selection, at: QPointF | None
                     ) -> dict[str, str]:
        journey = self.journey()
        assert journey is not None
        touchpoints = selection.touchpoints
        dx, dy = paste_offset([(t.x, t.y) for t in touchpoints],
                              [(t.x, t.y) for t in journey.touchpoints.values()],
                              (style.CARD_WIDTH, style.CARD_HEIGHT),
                              pointer=None if at is None else (at.x(), at.y()))
        if at is not None:  # each copy joins the stage of the lane it lands in
            touchpoints = tuple(
                replace(t, stage=self.stage_at(t.x + dx + style.CARD_WIDTH / 2) or t.stage)
                for t in touchpoints)
        id_map = self._document.paste(self._journey_id, touchpoints,
                                      selection.transitions, (dx, dy))
        links = [(id_map[t.source], id_map[t.target]) for t in selection.transitions]
        self.select(id_map.values(), links)
        return id_map

    # -- in-place editor --------------------------------------------------------------------------
    def _open_editor(self, target: tuple[str, str], rect: QRectF, text: str, font: QFont) -> None:
        if self._editor is None:
            self._editor = InPlaceEditor()
            self.addItem(self._editor)
            self._editor.committed.connect(self._on_editor_committed)
            self._editor.cancelled.connect(self._on_editor_cancelled)
        elif self._editor.is_editing():
            self._editor.commit()
        self._editing = target
        self._editor.start(rect, text, font)

    def _on_editor_committed(self, text: str) -> None:
        target, self._editing = self._editing, None
        name = " ".join(text.split())
        journey = self.journey()
        if target is None or journey is None or not name:
            return
        kind, element_id = target
        if kind == "touchpoint" and element_id in journey.touchpoints:
            self._document.rename_touchpoint(self._journey_id, element_id, name)
        elif kind == "stage" and element_id in {s.id for s in journey.stages}:
            self._document.rename_stage(self._journey_id, element_id, name)
        else:
            self._content_committed(kind, element_id, name)

    def _on_touchpoint_renamed(self, journey_id: str, old_id: str, new_id: str) -> None:
        """A touchpoint's id followed its first name (or undo took it back): its card and
        arrows are made again under the new id, and stay selected if they were."""
        journey = self.journey()
        if journey_id != self._journey_id or journey is None or old_id not in self.cards():
            return

        def renamed(end: str) -> str:
            return new_id if end == old_id else end

        touchpoints = [renamed(t) for t in self.selected_touchpoints()]
        transitions = [(renamed(s), renamed(t)) for s, t in self.selected_transitions()]
        blocked = self.blockSignals(True)
        try:
            self._on_touchpoint_removed(journey_id, old_id)
            self._on_touchpoint_added(journey_id, new_id)
            for key in [k for k in journey.transitions if new_id in k]:
                self._on_transition_added(journey_id, *key)
        finally:
            self.blockSignals(blocked)
        self.select(touchpoints, transitions)

    def _on_editor_cancelled(self) -> None:
        self._editing = None

    def _before_clear(self) -> None:
        self._cancel_connect()
        self._guides = None  # clear() deletes it
        self._editor = None  # clear() deletes it
        self._editing = None

    def _forget_touchpoint(self, touchpoint_id: str) -> None:
        if self._editing == ("touchpoint", touchpoint_id) and self._editor is not None:
            self._editor.cancel()
        if self._connect_source == touchpoint_id:
            self._cancel_connect()

    def _forget_stages(self, kept: set[str]) -> None:
        editing = self._editing
        if editing is not None and editing[0] == "stage" and editing[1] not in kept \
                and self._editor is not None:
            self._editor.cancel()

    # -- connecting ------------------------------------------------------------------------
    def _start_connect(self, card: TouchpointCard) -> None:
        self._connect_source = card.touchpoint.id
        start = card.mapToScene(card.handle_rect().center())
        self._connect_line = ConnectLine(start, self._palette)
        self.addItem(self._connect_line)

    def _update_connect(self, pos: QPointF) -> None:
        if self._connect_line is None:
            return
        target = self._card_at(pos)
        self._connect_line.set_end(pos, card_body(target) if target is not None else None)

    def _finish_connect(self, pos: QPointF) -> None:
        source = self._connect_source
        target = self._card_at(pos)
        self._cancel_connect()
        if source is None or target is None:
            return  # dropped on empty space: nothing happens
        key = self._document.connect_touchpoints(self._journey_id, source, target.touchpoint.id)
        if key is None:
            key = (source, target.touchpoint.id)  # already connected: show that one
        self.select(transitions=[key])

    def _cancel_connect(self) -> None:
        if self._connect_line is not None:
            self.removeItem(self._connect_line)
        self._connect_line = None
        self._connect_source = None

    def handle_at(self, pos: QPointF, zoom: float) -> TouchpointCard | None:
        """The card whose connection handle is at scene point `pos` with the view at
        `zoom`: the whole dot as drawn plus a few screen pixels round it, so it is as
        easy to hit at 30 % as at 200 %. A press on another card's body, off the dot
        itself, is that card's; far out, where no handle is drawn, there is none."""
        if zoom < style.LOD_DETAIL:
            return None
        reach = style.HANDLE_SLOP_PIXELS / zoom
        widest = max(style.HANDLE_SIZE, min(style.HANDLE_MIN_PIXELS / zoom,
                                            2 * style.CARD_MARGIN)) / 2 + reach
        near = QRectF(pos.x() - widest, pos.y() - widest, 2 * widest, 2 * widest)
        best: tuple[float, TouchpointCard] | None = None
        for item in self.items(near):
            if isinstance(item, TouchpointCard):
                centre = item.mapToScene(item.handle_rect().center())
                distance = QLineF(centre, pos).length()
                radius = item.handle_radius(zoom)
                if distance <= radius + reach and (best is None or distance < best[0]):
                    best = (distance, item)
        if best is None:
            return None
        distance, card = best
        if distance > card.handle_radius(zoom):
            other = self._card_at(pos)
            if other is not None and other is not card:
                return None
        return card

    # -- mouse and keys --------------------------------------------------------------------
    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        if self._content_press(event):  # a lane's header, a note or its handle
            return
        pos = event.scenePos()
        if event.button() == Qt.MouseButton.LeftButton:
            card = self.handle_at(pos, view_zoom(event))
            if card is not None:
                self._start_connect(card)
                event.accept()
                return
        super().mousePressEvent(event)
        grabber = self.mouseGrabberItem()
        if event.button() == Qt.MouseButton.LeftButton and isinstance(grabber, TouchpointCard):
            cards = {i for i in self.selectedItems() if isinstance(i, TouchpointCard)}
            cards.add(grabber)
            self._press_positions = {c.touchpoint.id: c.pos() for c in cards}
            view = view_of(event)
            seen = (view.mapToScene(view.viewport().rect()).boundingRect() if view is not None
                    else self.sceneRect())
            others = [i for i in self.items(seen) if isinstance(i, TouchpointCard)]
            self._alignment = DragAlignment({c.touchpoint.id: c for c in cards}, grabber,
                                            others, self._grid)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        if self._content_move(event):
            return
        if self._connect_source is not None:
            self._update_connect(event.scenePos())
            event.accept()
            return
        super().mouseMoveEvent(event)
        if self._press_positions and self._alignment is not None and \
                event.buttons() & Qt.MouseButton.LeftButton:
            self._show_guides(self._alignment.follow(view_zoom(event)))
        if self._press_positions:  # Qt moved the dragged cards: their arrows follow live
            for touchpoint_id in self._press_positions:
                if touchpoint_id in self._cards:
                    self._note_position(touchpoint_id)
            self._flush_moves()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        if self._content_release(event):
            return
        if self._connect_source is not None:
            if event.button() == Qt.MouseButton.LeftButton:
                self._finish_connect(event.scenePos())
            event.accept()
            return
        super().mouseReleaseEvent(event)
        starts, self._press_positions = self._press_positions, None
        if starts is None or event.button() != Qt.MouseButton.LeftButton:
            return
        self._alignment = None
        self._show_guides([])
        cards = {t: card for t in starts
                 if (card := self._cards.get(t)) is not None and card.pos() != starts[t]}
        if cards:  # where the drag left them: on a guide or the grid, or just there
            self._move({t: (c.x(), c.y()) for t, c in cards.items()}, text="Move")

    def _show_guides(self, lines: list[QLineF]) -> None:
        if self._guides is None:
            if not lines:
                return
            self._guides = AlignmentGuides(self._palette)
            self.addItem(self._guides)
        self._guides.set_lines(lines)
        self._guides.setVisible(bool(lines))

    def guides(self) -> list[QLineF]:
        """The alignment guides shown now (while a drag lines cards up)."""
        return self._guides.lines() if self._guides is not None and \
            self._guides.isVisible() else []

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            super().mouseDoubleClickEvent(event)
            return
        if self._content_double_click(event):  # in a lane: a note, a header, a cell
            return
        pos = event.scenePos()
        item = self._top_item(pos)
        lane = self._header_at(pos)
        if isinstance(item, TouchpointCard):
            self.select([item.touchpoint.id])
            self.start_rename(item.touchpoint.id)
        elif item is not None:
            super().mouseDoubleClickEvent(event)
            return
        elif lane is not None:
            self.start_stage_rename(lane.stage_id)
        else:
            self.add_touchpoint_at(pos)
        event.accept()

    def contextMenuEvent(self, event: QGraphicsSceneContextMenuEvent) -> None:  # noqa: N802
        lane = self._header_at(event.scenePos())
        if self._content_menu(event):
            return
        card = self._top_item(event.scenePos())
        if isinstance(card, TouchpointCard):
            menu = QMenu()
            menu.addAction("New opportunity for this touchpoint…", lambda: (
                self.opportunity_wanted.emit(self._journey_id, "touchpoint",
                                             card.touchpoint.id)))
            menu.exec(event.screenPos())
            menu.deleteLater()
            event.accept()
            return
        if lane is None or self._top_item(event.scenePos()) is not None:
            super().contextMenuEvent(event)
            return
        menu = self.lane_menu(lane.stage_id)
        menu.exec(event.screenPos())
        menu.deleteLater()
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape and self._cancel_content_gesture():
            event.accept()
            return
        if self._connect_source is not None and event.key() == Qt.Key.Key_Escape:
            self._cancel_connect()
            event.accept()
            return
        super().keyPressEvent(event)

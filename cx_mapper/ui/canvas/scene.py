"""The journey canvas scene: one journey's stages, touchpoints and transitions as items.

The scene keeps a dict from each domain element to its item and follows the
document's signals incrementally (the Orange canvas split). It never edits the
project: every gesture and edit action ends in one ProjectDocument call, so it is
one undo step.

Geometry: stage k's lane spans x in [k * LANE_WIDTH - M, (k + 1) * LANE_WIDTH - M]
with M = (LANE_WIDTH - CARD_WIDTH) / 2, so a card at x = k * LANE_WIDTH sits centred
in it. Headers sit above the topmost card (cards start at y = 0); lane bodies reach a
row below the lowest card. The stage under a point is the lane containing its x.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSceneContextMenuEvent,
    QGraphicsSceneMouseEvent,
    QMenu,
)

from cx_mapper.domain.journey import Journey, Touchpoint
from cx_mapper.ui.canvas import clipboard, style
from cx_mapper.ui.canvas.items import (
    ConnectLine,
    InPlaceEditor,
    OverviewLayer,
    StageLane,
    TouchpointCard,
    TransitionArrow,
)
from cx_mapper.ui.canvas.style import CanvasPalette
from cx_mapper.ui.document import ProjectDocument
from cx_mapper.ui.layout import GRID, LANE_WIDTH, ROW_HEIGHT, snap

TransitionKey = tuple[str, str]

#: Half the gap between neighbouring cards in adjacent lanes: lane k starts at k * LANE_WIDTH - M.
LANE_MARGIN = (LANE_WIDTH - style.CARD_WIDTH) / 2
#: Room round the content to pan into and double-click in.
SCENE_MARGIN = 2 * LANE_WIDTH
#: How far each paste or duplicate lands from what it copies.
PASTE_STEP = 2 * GRID

#: Cells of the index of card positions that arrows route around.
CELL_WIDTH, CELL_HEIGHT = LANE_WIDTH, ROW_HEIGHT
Cell = tuple[int, int]

DEFAULT_TOUCHPOINT_NAME = "New touchpoint"
DEFAULT_STAGE_NAME = "New stage"


def lane_left(index: int) -> float:
    """The left edge of stage `index`'s lane."""
    return index * LANE_WIDTH - LANE_MARGIN


def unique_name(base: str, taken: Iterable[str]) -> str:
    """`base`, or `base 2`, `base 3`... whichever is free."""
    used = set(taken)
    if base not in used:
        return base
    number = 2
    while f"{base} {number}" in used:
        number += 1
    return f"{base} {number}"


class CanvasScene(QGraphicsScene):
    """One journey drawn as lanes, cards and arrows; edits go through the document."""

    def __init__(
        self, document: ProjectDocument, journey_id: str, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._journey_id = journey_id
        self._palette = style.current_palette()
        self._cards: dict[str, TouchpointCard] = {}
        self._arrows: dict[TransitionKey, TransitionArrow] = {}
        self._lanes: dict[str, StageLane] = {}
        self._links: dict[str, set[TransitionKey]] = {}  # touchpoint -> its arrows
        self._pending: set[TransitionKey] = set()  # transitions waiting for a card
        self._visits: dict[str, float] | None = None
        self._flows: dict[TransitionKey, float] | None = None
        self._content = QRectF()
        self._built = False
        # where the cards are, for routing arrows round them
        self._places: dict[str, tuple[float, float]] = {}
        self._card_cells: dict[str, list[Cell]] = {}
        self._grid: dict[Cell, set[str]] = {}
        # card edges, sorted, for a quick first test: most routes pass between columns
        # or between rows, where no card starts
        self._edges: tuple[Counter[float], Counter[float]] = (Counter(), Counter())
        self._sorted_edges: tuple[list[float], list[float]] | None = ([], [])
        self._labels: dict[TransitionKey, tuple[float, float, float, float]] = {}
        self._label_grid: dict[Cell, set[TransitionKey]] = {}
        self._overview_on = False
        self._overview: OverviewLayer | None = None
        # gestures
        self._press_positions: dict[str, QPointF] | None = None
        self._moved: set[str] = set()
        self._connect_source: str | None = None
        self._connect_line: ConnectLine | None = None
        self._editor: InPlaceEditor | None = None
        self._editing: tuple[str, str] | None = None  # ("touchpoint" | "stage", id)
        self._last_paste: str | None = None
        self._paste_count = 0
        self._nudges = 0
        self._nudge_key: tuple[str, int, int] | None = None

        self._layout_timer = QTimer(self)
        self._layout_timer.setSingleShot(True)
        self._layout_timer.setInterval(0)
        self._layout_timer.timeout.connect(self._update_layout)
        self.setBackgroundBrush(self._palette.background)
        self.selectionChanged.connect(self._on_selection_changed)

        document.touchpoint_added.connect(self._on_touchpoint_added)
        document.touchpoint_removed.connect(self._on_touchpoint_removed)
        document.touchpoint_changed.connect(self._on_touchpoint_changed)
        document.transition_added.connect(self._on_transition_added)
        document.transition_removed.connect(self._on_transition_removed)
        document.transition_changed.connect(self._on_transition_changed)
        document.stage_changed.connect(self._on_stage_changed)
        document.journeys_changed.connect(self._on_journeys_changed)
        document.project_reset.connect(self._on_project_reset)
        self._rebuild()

    # -- state -----------------------------------------------------------------------------
    @property
    def journey_id(self) -> str:
        return self._journey_id

    @property
    def document(self) -> ProjectDocument:
        return self._document

    @property
    def palette(self) -> CanvasPalette:
        return self._palette

    def journey(self) -> Journey | None:
        """The journey drawn, or None once it has been removed from the project."""
        for journey in self._document.project.journeys:
            if journey.id == self._journey_id:
                return journey
        return None

    def card(self, touchpoint_id: str) -> TouchpointCard | None:
        return self._cards.get(touchpoint_id)

    def arrow(self, key: TransitionKey) -> TransitionArrow | None:
        return self._arrows.get((key[0], key[1]))

    def lane(self, stage_id: str) -> StageLane | None:
        self._ensure_layout()
        return self._lanes.get(stage_id)

    def cards(self) -> dict[str, TouchpointCard]:
        return dict(self._cards)

    def arrows(self) -> dict[TransitionKey, TransitionArrow]:
        return dict(self._arrows)

    def lanes(self) -> dict[str, StageLane]:
        self._ensure_layout()
        return dict(self._lanes)

    def stage_at(self, x: float) -> str | None:
        """The stage whose lane contains scene x, if any."""
        journey = self.journey()
        if journey is None:
            return None
        index = math.floor((x + LANE_MARGIN) / LANE_WIDTH)
        return journey.stages[index].id if 0 <= index < len(journey.stages) else None

    def content_rect(self) -> QRectF:
        """Everything drawn (lanes, cards and their arrows): what Fit shows."""
        self._ensure_layout()
        return QRectF(self._content)

    def items_rect(
        self, touchpoints: Iterable[str] = (), transitions: Iterable[TransitionKey] = ()
    ) -> QRectF:
        """The scene area the given cards and arrows cover (empty if none is drawn)."""
        rect = QRectF()
        items: list[QGraphicsItem] = [c for t in touchpoints if (c := self._cards.get(t))]
        items += [a for k in transitions if (a := self._arrows.get((k[0], k[1])))]
        for item in items:
            rect = rect.united(item.sceneBoundingRect())
        return rect

    # -- selection -------------------------------------------------------------------------
    def selected_touchpoints(self) -> list[str]:
        """Selected touchpoint ids, in the journey's order."""
        chosen = {i.touchpoint.id for i in self.selectedItems() if isinstance(i, TouchpointCard)}
        return [t for t in self._cards if t in chosen] if chosen else []

    def selected_transitions(self) -> list[TransitionKey]:
        chosen = {i.key for i in self.selectedItems() if isinstance(i, TransitionArrow)}
        return [k for k in self._arrows if k in chosen] if chosen else []

    def select(
        self, touchpoints: Iterable[str] = (), transitions: Iterable[TransitionKey] = ()
    ) -> None:
        """Replace the selection; `selectionChanged` is emitted once if it changed."""
        wanted: set[QGraphicsItem] = {c for t in touchpoints if (c := self._cards.get(t))}
        wanted |= {a for k in transitions if (a := self._arrows.get((k[0], k[1])))}
        changed = False
        blocked = self.blockSignals(True)
        try:
            for item in self.selectedItems():
                if item not in wanted:
                    item.setSelected(False)
                    changed = True
            for item in wanted:
                if not item.isSelected():
                    item.setSelected(True)
                    changed = True
        finally:
            self.blockSignals(blocked)
        if changed:
            self.selectionChanged.emit()

    def select_all(self) -> None:
        self.select(self._cards, self._arrows)

    # -- edit actions (the main window's menus and shortcuts call these) -------------------
    def delete_selection(self) -> bool:
        """Delete the selected cards (with their transitions) and arrows as one step."""
        touchpoints, transitions = self.selected_touchpoints(), self.selected_transitions()
        if not touchpoints and not transitions:
            return False
        return self._document.remove_items(self._journey_id, touchpoints, transitions)

    def copy_selection(self) -> bool:
        """Copy the selected touchpoints and the transitions among them to the clipboard."""
        selection = self._selection()
        if selection is None:
            return False
        clipboard.write(selection)
        self._last_paste = None
        return True

    def can_paste(self) -> bool:
        return self.journey() is not None and clipboard.read() is not None

    def paste(self) -> list[str]:
        """Paste the clipboard's touchpoints, offset from the originals; they become the
        selection. One undo step; returns the new ids."""
        selection = clipboard.read()
        if selection is None or self.journey() is None:
            return []
        return self._paste(selection)

    def duplicate_selection(self) -> list[str]:
        """Copy and paste in one step without touching the clipboard."""
        selection = self._selection()
        return self._paste(selection) if selection is not None else []

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
        """F2: edit the first selected card's name in place."""
        ids = self.selected_touchpoints()
        if not ids:
            return False
        self.start_rename(ids[0])
        return True

    def start_rename(self, touchpoint_id: str) -> None:
        """Open the in-place editor over a card's name; Enter renames, Escape cancels."""
        card = self._cards[touchpoint_id]
        rect = card.mapRectToScene(card.name_rect())
        self._open_editor(("touchpoint", touchpoint_id), rect, card.touchpoint.name,
                          style.font(style.NAME_POINT_SIZE, QFont.Weight.DemiBold))

    def start_stage_rename(self, stage_id: str) -> None:
        """Open the in-place editor over a lane header's name."""
        lane = self.lane(stage_id)
        if lane is None:
            return
        rect = lane.mapRectToScene(lane.name_rect())
        self._open_editor(("stage", stage_id), rect, lane.name,
                          style.font(style.HEADER_POINT_SIZE, QFont.Weight.DemiBold))

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
        x = snap(pos.x() - style.CARD_WIDTH / 2)
        y = snap(pos.y() - style.CARD_HEIGHT / 2)
        touchpoint = Touchpoint("", name=name, stage=self.stage_at(pos.x()), x=x, y=y)
        touchpoint_id = self._document.add_touchpoint(self._journey_id, touchpoint)
        self.select([touchpoint_id])
        self.start_rename(touchpoint_id)
        return touchpoint_id

    def set_overlay(
        self,
        visits: Mapping[str, float] | None = None,
        flows: Mapping[TransitionKey, float] | None = None,
    ) -> None:
        """Show analysis results: visits bars (0-1 of the busiest touchpoint) and arrow
        widths by flow (0-1 of the largest). None hides that overlay."""
        self._visits = dict(visits) if visits is not None else None
        self._flows = {(k[0], k[1]): v for k, v in flows.items()} if flows is not None else None
        for touchpoint_id, card in self._cards.items():
            card.set_visits(self._visits.get(touchpoint_id) if self._visits is not None else None)
        for key, arrow in self._arrows.items():
            arrow.set_flow(self._flow_width(key))

    def set_palette(self, palette: CanvasPalette) -> None:
        self._palette = palette
        self.setBackgroundBrush(palette.background)
        for item in [*self._lanes.values(), *self._cards.values(), *self._arrows.values()]:
            item.set_palette(palette)
        if self._overview is not None:
            self._overview.set_palette(palette)

    def set_overview(self, enabled: bool) -> None:
        """Draw the map in one layer (the view turns this on when zoomed far out).

        Far out, painting thousands of items one by one is what makes repaints slow;
        the layer draws them all in a few calls instead. Hit tests, selection and
        dragging still work on the items underneath.
        """
        if enabled == self._overview_on:
            return
        self._overview_on = enabled
        flag = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
        for item in [*self._cards.values(), *self._arrows.values()]:
            item.setFlag(flag, enabled)
        if self._overview is not None:
            self._overview.invalidate()
            self._overview.setVisible(enabled)

    def overview(self) -> bool:
        return self._overview_on

    # -- stages (the lane header's context menu) -------------------------------------------
    def lane_menu(self, stage_id: str) -> QMenu:
        """The lane header's context menu; the caller shows (and owns) it."""
        journey = self.journey()
        assert journey is not None
        index = [s.id for s in journey.stages].index(stage_id)
        last = len(journey.stages) - 1
        menu = QMenu()
        menu.addAction("Rename stage", lambda: self.start_stage_rename(stage_id))
        menu.addSeparator()
        menu.addAction("Add stage before", lambda: self.add_stage(index))
        menu.addAction("Add stage after", lambda: self.add_stage(index + 1))
        menu.addSeparator()
        left = menu.addAction("Move left", lambda: self.move_stage(stage_id, index - 1))
        left.setEnabled(index > 0)
        right = menu.addAction("Move right", lambda: self.move_stage(stage_id, index + 1))
        right.setEnabled(index < last)
        menu.addSeparator()
        menu.addAction("Remove stage", lambda: self.remove_stage(stage_id))
        return menu

    def add_stage(self, index: int) -> str:
        """Insert a stage at `index`; later lanes' cards shift right with their lanes.
        Then start renaming it."""
        journey = self.journey()
        assert journey is not None
        name = unique_name(DEFAULT_STAGE_NAME, (s.name for s in journey.stages))
        added: list[str] = []
        self._edit_stages("Add stage", lambda: added.append(
            self._document.add_stage(self._journey_id, name, index)))
        self.start_stage_rename(added[0])
        return added[0]

    def move_stage(self, stage_id: str, new_index: int) -> None:
        """Move a stage left or right; its cards move with its lane."""
        self._edit_stages("Move stage", lambda: self._document.move_stage(
            self._journey_id, stage_id, new_index))

    def remove_stage(self, stage_id: str) -> None:
        """Remove a stage. Later lanes' cards shift left with their lanes; the removed
        stage's cards, now with no stage, go right of the last lane."""
        self._edit_stages("Remove stage", lambda: self._document.remove_stage(
            self._journey_id, stage_id), removed=stage_id)

    def _edit_stages(
        self, text: str, edit: Callable[[], object], removed: str | None = None
    ) -> None:
        """Run a stage edit and move the cards with their lanes, as one undo step."""
        journey = self.journey()
        assert journey is not None
        before = {s.id: i for i, s in enumerate(journey.stages)}
        orphans = [t for t in journey.touchpoints.values() if removed and t.stage == removed]
        stack = self._document.undo_stack
        stack.beginMacro(text)
        try:
            edit()
            after = {s.id: i for i, s in enumerate(journey.stages)}
            positions: dict[str, tuple[float, float]] = {}
            for t in journey.touchpoints.values():
                if t.stage in before and t.stage in after and before[t.stage] != after[t.stage]:
                    positions[t.id] = (t.x + (after[t.stage] - before[t.stage]) * LANE_WIDTH, t.y)
            if orphans and removed is not None:
                positions.update(self._spare_lane_positions(journey, orphans, before[removed]))
            if positions:
                self._document.move_touchpoints(self._journey_id, positions, text=text)
        finally:
            stack.endMacro()

    def _spare_lane_positions(
        self, journey: Journey, orphans: list[Touchpoint], old_index: int
    ) -> dict[str, tuple[float, float]]:
        """Right of the last lane, below any stage-less cards already there."""
        spare = len(journey.stages) * LANE_WIDTH
        ids = {t.id for t in orphans}
        there = [t.y + style.CARD_HEIGHT for t in journey.touchpoints.values()
                 if t.id not in ids and t.stage is None and t.x >= lane_left(len(journey.stages))]
        drop = (max(there) + ROW_HEIGHT - min(t.y for t in orphans)) if there else 0.0
        return {t.id: (spare + t.x - old_index * LANE_WIDTH, snap(t.y + drop)) for t in orphans}

    # -- building items --------------------------------------------------------------------
    def _rebuild(self) -> None:
        """Build every item afresh (open, reset); the selection is kept by id."""
        selection = (self.selected_touchpoints(), self.selected_transitions())
        self._cancel_connect()
        self.clear()
        self._editor = None
        self._editing = None
        self._cards.clear()
        self._arrows.clear()
        self._lanes.clear()
        self._links.clear()
        self._pending.clear()
        self._places.clear()
        self._card_cells.clear()
        self._grid.clear()
        self._edges = (Counter(), Counter())
        self._sorted_edges = ([], [])
        self._labels.clear()
        self._label_grid.clear()
        self._overview = OverviewLayer(self._overview_items, self._palette)
        self._overview.setVisible(self._overview_on)
        self.addItem(self._overview)
        journey = self.journey()
        self._built = journey is not None
        if journey is None:
            self._content = QRectF()
            self.setSceneRect(QRectF())
            return
        channels = {c.id: c.name for c in journey.channels}
        for touchpoint in journey.touchpoints.values():
            self._add_card(touchpoint, channels)
        for transition in journey.transitions.values():
            self._add_arrow(transition.key)
        self._sync_lanes(journey)
        self._update_layout()
        self.select(*selection)

    def _add_card(self, touchpoint: Touchpoint, channels: Mapping[str, str]) -> TouchpointCard:
        card = TouchpointCard(touchpoint, channels.get(touchpoint.channel or "", ""),
                              self._palette)
        flags = card.flags() | QGraphicsItem.GraphicsItemFlag.ItemIsMovable
        if self._overview_on:
            flags |= QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
        card.setFlags(flags)
        if self._visits is not None:
            card.set_visits(self._visits.get(touchpoint.id))
        self.addItem(card)
        self._cards[touchpoint.id] = card
        self._place(touchpoint.id, card.x(), card.y())
        self._invalidate_overview()
        return card

    def _add_arrow(self, key: TransitionKey) -> None:
        journey = self.journey()
        source, target = self._cards.get(key[0]), self._cards.get(key[1])
        if journey is None or key not in journey.transitions or key in self._arrows:
            return
        if source is None or target is None:
            self._pending.add(key)  # a card that comes later in the same command
            return
        arrow = TransitionArrow(journey.transitions[key], self._palette)
        if self._flows is not None:
            arrow.set_flow(self._flow_width(key))
        arrow.update_geometry(_body(source), _body(target), self)
        if self._overview_on:
            arrow.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)
        self.addItem(arrow)
        self._invalidate_overview()
        self._arrows[key] = arrow
        self._links.setdefault(key[0], set()).add(key)
        self._links.setdefault(key[1], set()).add(key)

    def _remove_arrow(self, key: TransitionKey) -> None:
        self._pending.discard(key)
        arrow = self._arrows.pop(key, None)
        if arrow is None:
            return
        for end in key:
            self._links.get(end, set()).discard(key)
        self._release_label(key)
        self.removeItem(arrow)
        self._invalidate_overview()

    def _sync_lanes(self, journey: Journey) -> None:
        """One lane per stage, in order; lanes of removed stages go."""
        for index, stage in enumerate(journey.stages):
            lane = self._lanes.get(stage.id)
            if lane is None:
                lane = StageLane(stage, QRectF(lane_left(index), 0, LANE_WIDTH, 1), index,
                                 self._palette)
                self.addItem(lane)
                self._lanes[stage.id] = lane
            else:
                lane.update_from(stage, index)
        for stage_id in set(self._lanes) - {s.id for s in journey.stages}:
            self.removeItem(self._lanes.pop(stage_id))

    def _flow_width(self, key: TransitionKey) -> float:
        if self._flows is None:
            return style.ARROW_WIDTH
        fraction = max(0.0, min(1.0, float(self._flows.get(key, 0.0))))
        return style.FLOW_MIN_WIDTH + fraction * (style.FLOW_MAX_WIDTH - style.FLOW_MIN_WIDTH)

    # -- where the cards are ----------------------------------------------------------------
    def _place(self, touchpoint_id: str, x: float, y: float) -> None:
        """Index a card's body by grid cell, so routing asks only about nearby cards."""
        self._unplace(touchpoint_id)
        self._places[touchpoint_id] = (x, y)
        for edges, value in zip(self._edges, (x, y), strict=True):
            edges[value] += 1
            if edges[value] == 1:
                self._sorted_edges = None
        cells = _cells(x, y, x + style.CARD_WIDTH, y + style.CARD_HEIGHT)
        self._card_cells[touchpoint_id] = cells
        for cell in cells:
            self._grid.setdefault(cell, set()).add(touchpoint_id)

    def _unplace(self, touchpoint_id: str) -> None:
        place = self._places.pop(touchpoint_id, None)
        if place is not None:
            for edges, value in zip(self._edges, place, strict=True):
                edges[value] -= 1
                if not edges[value]:
                    del edges[value]
                    self._sorted_edges = None
        for cell in self._card_cells.pop(touchpoint_id, ()):
            ids = self._grid.get(cell)
            if ids is not None:
                ids.discard(touchpoint_id)
                if not ids:
                    del self._grid[cell]

    def _refresh_edges(self) -> tuple[list[float], list[float]]:
        if self._sorted_edges is None:
            self._sorted_edges = (sorted(self._edges[0]), sorted(self._edges[1]))
        return self._sorted_edges

    def blocked(self, left: float, top: float, right: float, bottom: float,
                ends: tuple[str, ...] = ()) -> bool:
        """Whether a scene rect crosses any card but `ends` (the arrow router asks)."""
        width, height = style.CARD_WIDTH, style.CARD_HEIGHT
        # quick: no card starts in (left - width, right), or none in (top - height, bottom)
        lefts, tops = self._sorted_edges or self._refresh_edges()
        first = bisect_right(lefts, left - width)
        if first == len(lefts) or lefts[first] >= right:
            return False
        first = bisect_right(tops, top - height)
        if first == len(tops) or tops[first] >= bottom:
            return False
        grid, places = self._grid, self._places
        rows = range(math.floor(top / CELL_HEIGHT), math.floor(bottom / CELL_HEIGHT) + 1)
        for i in range(math.floor(left / CELL_WIDTH), math.floor(right / CELL_WIDTH) + 1):
            for j in rows:
                for touchpoint_id in grid.get((i, j), ()):
                    if touchpoint_id in ends:
                        continue
                    x, y = places[touchpoint_id]
                    if x < right and x + width > left and y < bottom and y + height > top:
                        return True
        return False

    def place_label(self, key: TransitionKey, candidates: list[QRectF]) -> QRectF:
        """The first label spot clear of other labels and cards; it is then taken."""
        self._release_label(key)
        chosen = candidates[0]
        for rect in candidates:
            edges = rect.left(), rect.top(), rect.right(), rect.bottom()
            if not self._label_hits(*edges) and not self.blocked(*edges):
                chosen = rect
                break
        left, top, right, bottom = chosen.left(), chosen.top(), chosen.right(), chosen.bottom()
        self._labels[key] = (left, top, right, bottom)
        for cell in _cells(left, top, right, bottom):
            self._label_grid.setdefault(cell, set()).add(key)
        return chosen

    def _label_hits(self, left: float, top: float, right: float, bottom: float) -> bool:
        for cell in _cells(left, top, right, bottom):
            for key in self._label_grid.get(cell, ()):
                other = self._labels[key]
                if other[0] < right and other[2] > left and other[1] < bottom and other[3] > top:
                    return True
        return False

    def _release_label(self, key: TransitionKey) -> None:
        edges = self._labels.pop(key, None)
        if edges is None:
            return
        for cell in _cells(*edges):
            keys = self._label_grid.get(cell)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._label_grid[cell]

    def _overview_items(self) -> tuple[list[TouchpointCard], list[TransitionArrow]]:
        return list(self._cards.values()), list(self._arrows.values())

    def _invalidate_overview(self) -> None:
        if self._overview_on and self._overview is not None:
            self._overview.invalidate()

    def _on_selection_changed(self) -> None:
        self._invalidate_overview()

    # -- layout (lanes follow the cards) ---------------------------------------------------
    def _schedule_layout(self) -> None:
        if not self._layout_timer.isActive():
            self._layout_timer.start()

    def _ensure_layout(self) -> None:
        if self._layout_timer.isActive():
            self._update_layout()

    def _update_layout(self) -> None:
        """Size the lanes to the cards and the scene to the content, plus a margin."""
        self._layout_timer.stop()
        journey = self.journey()
        if journey is None:
            return
        top, bottom = 0.0, 0.0
        cards = QRectF()
        if self._cards:
            xs = [card.x() for card in self._cards.values()]
            ys = [card.y() for card in self._cards.values()]
            top, bottom = min(0.0, min(ys)), max(ys) + style.CARD_HEIGHT
            cards = QRectF(min(xs), min(ys), max(xs) + style.CARD_WIDTH - min(xs),
                           bottom - min(ys))
        lane_top = top - style.LANE_TOP_GAP - style.LANE_HEADER_HEIGHT
        lane_bottom = max(style.LANE_MIN_BODY, bottom + ROW_HEIGHT)
        content = QRectF()
        for index, stage in enumerate(journey.stages):
            rect = QRectF(lane_left(index), lane_top, LANE_WIDTH, lane_bottom - lane_top)
            self._lanes[stage.id].set_rect(rect)
            content = content.united(rect)
        if not cards.isNull():
            # arrows loop round cards by ARROW_CLEARANCE plus their label
            content = content.united(cards.adjusted(-LANE_MARGIN - 20, -80, LANE_MARGIN + 20, 80))
        self._content = content
        margin = SCENE_MARGIN
        self.setSceneRect(content.adjusted(-margin, -margin, margin, margin))
        if self._overview is not None:
            self._overview.set_rect(self.sceneRect())

    # -- document signals ------------------------------------------------------------------
    def _on_touchpoint_added(self, journey_id: str, touchpoint_id: str) -> None:
        journey = self.journey()
        if journey_id != self._journey_id or journey is None or touchpoint_id in self._cards:
            return
        self._add_card(journey.touchpoint(touchpoint_id),
                       {c.id: c.name for c in journey.channels})
        for key in [k for k in self._pending if touchpoint_id in k]:
            self._pending.discard(key)
            self._add_arrow(key)
        self._schedule_layout()

    def _on_touchpoint_removed(self, journey_id: str, touchpoint_id: str) -> None:
        if journey_id != self._journey_id or touchpoint_id not in self._cards:
            return
        if self._editing == ("touchpoint", touchpoint_id) and self._editor is not None:
            self._editor.cancel()
        if self._connect_source == touchpoint_id:
            self._cancel_connect()
        for key in list(self._links.pop(touchpoint_id, ())):
            self._remove_arrow(key)
        card = self._cards.pop(touchpoint_id)
        self._moved.discard(touchpoint_id)
        self._unplace(touchpoint_id)
        self.removeItem(card)
        self._invalidate_overview()
        self._schedule_layout()

    def _on_touchpoint_changed(self, journey_id: str, touchpoint_id: str) -> None:
        journey = self.journey()
        card = self._cards.get(touchpoint_id)
        if journey_id != self._journey_id or journey is None or card is None:
            return
        touchpoint = journey.touchpoint(touchpoint_id)
        channel = next((c.name for c in journey.channels if c.id == touchpoint.channel), "")
        card.update_from(touchpoint, channel)
        self._note_position(touchpoint_id)
        self._flush_moves()
        self._invalidate_overview()
        self._schedule_layout()

    def _on_transition_added(self, journey_id: str, source: str, target: str) -> None:
        if journey_id == self._journey_id:
            self._add_arrow((source, target))

    def _on_transition_removed(self, journey_id: str, source: str, target: str) -> None:
        if journey_id == self._journey_id:
            self._remove_arrow((source, target))

    def _on_transition_changed(self, journey_id: str, source: str, target: str) -> None:
        journey = self.journey()
        arrow = self._arrows.get((source, target))
        if journey_id == self._journey_id and journey is not None and arrow is not None:
            arrow.update_from(journey.transition(source, target))

    def _on_stage_changed(self, journey_id: str) -> None:
        """Stages or channels changed: lanes follow, and cards show renamed channels."""
        journey = self.journey()
        if journey_id != self._journey_id or journey is None:
            return
        if self._editing is not None and self._editing[0] == "stage" and \
                self._editing[1] not in {s.id for s in journey.stages} and self._editor:
            self._editor.cancel()
        self._sync_lanes(journey)
        channels = {c.id: c.name for c in journey.channels}
        for touchpoint_id, card in self._cards.items():
            touchpoint = journey.touchpoint(touchpoint_id)
            channel = channels.get(touchpoint.channel or "", "")
            if channel != card.channel_name or touchpoint is not card.touchpoint:
                card.update_from(touchpoint, channel)
        self._schedule_layout()

    def _on_journeys_changed(self) -> None:
        """Cleared when our journey is removed; rebuilt when undo brings it back."""
        present = self.journey() is not None
        if present != self._built:
            self._rebuild()

    def _on_project_reset(self) -> None:
        self._rebuild()

    # -- moving cards ----------------------------------------------------------------------
    def _note_position(self, touchpoint_id: str) -> None:
        """Re-index a card that may have moved; its arrows follow at the next flush."""
        card = self._cards[touchpoint_id]
        x, y = card.x(), card.y()
        if self._places.get(touchpoint_id) != (x, y):
            self._place(touchpoint_id, x, y)
            self._moved.add(touchpoint_id)
            self._schedule_layout()

    def _flush_moves(self) -> None:
        """Re-route the arrows of the cards that moved, each arrow once."""
        if not self._moved:
            return
        keys: set[TransitionKey] = set()
        for touchpoint_id in self._moved:
            keys |= self._links.get(touchpoint_id, set())
        self._moved.clear()
        for key in keys:
            self._arrows[key].update_geometry(_body(self._cards[key[0]]),
                                              _body(self._cards[key[1]]), self)
        self._invalidate_overview()

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
        moved = self._document.move_touchpoints(
            self._journey_id, positions, stages=stages, merge_key=merge_key, text=text)
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
        ids = self.selected_touchpoints()
        if journey is None or not ids:
            return None
        return clipboard.selection_of((journey.touchpoint(t) for t in ids),
                                      journey.transitions.values())

    def _paste(self, selection: clipboard.Selection) -> list[str]:
        payload = clipboard.to_json(selection)
        self._paste_count = self._paste_count + 1 if payload == self._last_paste else 1
        self._last_paste = payload
        step = PASTE_STEP * self._paste_count
        id_map = self._document.paste(self._journey_id, selection.touchpoints,
                                      selection.transitions, (step, step))
        links = [(id_map[t.source], id_map[t.target]) for t in selection.transitions]
        self.select(id_map.values(), links)
        return list(id_map.values())

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

    def _on_editor_cancelled(self) -> None:
        self._editing = None

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
        self._connect_line.set_end(pos, _body(target) if target is not None else None)

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

    # -- hit tests -------------------------------------------------------------------------
    def _top_item(self, pos: QPointF) -> QGraphicsItem | None:
        for item in self.items(pos):
            if isinstance(item, TouchpointCard | TransitionArrow | InPlaceEditor):
                return item
        return None

    def _card_at(self, pos: QPointF) -> TouchpointCard | None:
        for item in self.items(pos):
            if isinstance(item, TouchpointCard):
                return item
        return None

    def _header_at(self, pos: QPointF) -> StageLane | None:
        for lane in self._lanes.values():
            if lane.header_rect().contains(lane.mapFromScene(pos)):
                return lane
        return None

    # -- mouse and keys --------------------------------------------------------------------
    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        pos = event.scenePos()
        if event.button() == Qt.MouseButton.LeftButton:
            item = self._top_item(pos)
            if isinstance(item, TouchpointCard) and \
                    item.handle_rect().contains(item.mapFromScene(pos)):
                self._start_connect(item)
                event.accept()
                return
        super().mousePressEvent(event)
        grabber = self.mouseGrabberItem()
        if event.button() == Qt.MouseButton.LeftButton and isinstance(grabber, TouchpointCard):
            cards = {i for i in self.selectedItems() if isinstance(i, TouchpointCard)}
            cards.add(grabber)
            self._press_positions = {c.touchpoint.id: c.pos() for c in cards}

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        if self._connect_source is not None:
            self._update_connect(event.scenePos())
            event.accept()
            return
        super().mouseMoveEvent(event)
        if self._press_positions:  # Qt moved the dragged cards: their arrows follow live
            for touchpoint_id in self._press_positions:
                if touchpoint_id in self._cards:
                    self._note_position(touchpoint_id)
            self._flush_moves()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        if self._connect_source is not None:
            if event.button() == Qt.MouseButton.LeftButton:
                self._finish_connect(event.scenePos())
            event.accept()
            return
        super().mouseReleaseEvent(event)
        starts, self._press_positions = self._press_positions, None
        if starts is None or event.button() != Qt.MouseButton.LeftButton:
            return
        cards = {t: card for t in starts
                 if (card := self._cards.get(t)) is not None and card.pos() != starts[t]}
        if cards:
            self._move({t: (snap(c.x()), snap(c.y())) for t, c in cards.items()}, text="Move")

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            super().mouseDoubleClickEvent(event)
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
        if lane is None or self._top_item(event.scenePos()) is not None:
            super().contextMenuEvent(event)
            return
        menu = self.lane_menu(lane.stage_id)
        menu.exec(event.screenPos())
        menu.deleteLater()
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if self._connect_source is not None and event.key() == Qt.Key.Key_Escape:
            self._cancel_connect()
            event.accept()
            return
        super().keyPressEvent(event)


def _cells(left: float, top: float, right: float, bottom: float) -> list[Cell]:
    """The index cells a rect touches."""
    return [(i, j)
            for i in range(math.floor(left / CELL_WIDTH), math.floor(right / CELL_WIDTH) + 1)
            for j in range(math.floor(top / CELL_HEIGHT), math.floor(bottom / CELL_HEIGHT) + 1)]


def _body(card: TouchpointCard) -> QRectF:
    """A card's body in scene coordinates (cards are never rotated or scaled)."""
    return QRectF(card.x(), card.y(), style.CARD_WIDTH, style.CARD_HEIGHT)


"""A journey's drawn items: made from the model, kept in step as cards move.

Part of the journey scene (journey_scene.py), kept apart for size: building the
cards, arrows and lanes, re-routing arrows after a move and sizing the lanes.

A big map (SLICED_FROM touchpoints and transitions together) is drawn in slices from
the event loop, so the window repaints and shows progress meanwhile (backlog.py): the
cards, then its arrows as a set routed on a thread (arrow_sets.py). A big move
(auto-layout, its undo) routes a new set the same way and swaps it in; the set it
replaces is kept, so moving the cards back (undo) swaps it back at once.
"""

from __future__ import annotations

import time
from collections.abc import Hashable, Iterable, Iterator, Mapping

from PySide6.QtCore import QRect, QRectF, QTimer, SignalInstance
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QStyleOptionGraphicsItem

from cx_mapper.domain.backing import OutgoingEvidence
from cx_mapper.domain.journey import Journey, Touchpoint, TransitionKey
from cx_mapper.engine.layout import LANE_WIDTH
from cx_mapper.ui.editor.canvas.arrow_grid import ArrowGrid
from cx_mapper.ui.editor.canvas.arrow_sets import ArrowSet, Layout, layout_of, swap_arrows
from cx_mapper.ui.editor.canvas.arrows import TransitionArrow
from cx_mapper.ui.editor.canvas.backlog import SLICED_FROM, Backlog
from cx_mapper.ui.editor.canvas.batches import CollectorPause, unindexed
from cx_mapper.ui.editor.canvas.items import TouchpointCard
from cx_mapper.ui.editor.canvas.lanes import StageLane
from cx_mapper.ui.editor.canvas.overlay import OverlayFigures, Overlays
from cx_mapper.ui.editor.canvas.overview import OverviewLayer
from cx_mapper.ui.editor.canvas.picture import SCENE_MARGIN, card_body, lane_left, lay_out
from cx_mapper.ui.editor.canvas.routing import MapRouter
from cx_mapper.ui.look.palette import CanvasPalette

#: While a big map is drawn in slices, what is drawn so far shows this often (seconds).
SHOW_EVERY = 2.0
#: Routing every arrow (a line, then a label) counts this much progress per arrow.
ROUTING_WEIGHT = 2
#: Up to this many arrows re-routed at once, each is redrawn where it was and is; more,
#: and everything is drawn again once.
FEW_REROUTED = 64

_FLAG = QGraphicsItem.GraphicsItemFlag
CARD_FLAGS = _FLAG.ItemIsSelectable | _FLAG.ItemIsMovable
FAR_CARD_FLAGS = CARD_FLAGS | _FLAG.ItemHasNoContents  # drawn by the far-out layer


class SceneItems(QGraphicsScene):
    """The cards, arrows and lanes of one journey, and how they follow moves."""

    # set by the journey scene (journey_scene.py)
    _palette: CanvasPalette
    _overview: OverviewLayer | None
    _overview_on: bool
    _content: QRectF
    _figures: OverlayFigures | None
    _overlays: Overlays
    _built: bool
    drawing_progressed: SignalInstance
    backdrop_changed: SignalInstance

    def _init_items(self) -> None:
        self._cards: dict[str, TouchpointCard] = {}
        self._arrows: dict[TransitionKey, TransitionArrow] = {}
        self._lanes: dict[str, StageLane] = {}
        self._links: dict[str, set[TransitionKey]] = {}  # touchpoint -> its arrows
        self._pending: set[TransitionKey] = set()  # transitions waiting for a card
        self._outgoing = OutgoingEvidence()  # for the cards' evidence badges
        self._index = self._new_router()  # routes every arrow and places its label
        self._moved: set[str] = set()  # cards whose arrows must follow
        self._backlog = Backlog(self._on_backlog_drained, self)
        self._collector = CollectorPause()  # held while a big set of arrows is built
        self._backlog.destroyed.connect(self._collector.close)  # the map closed
        self._backlog.progressed.connect(self._on_backlog_progressed)
        self._routed_for: Layout | None = None  # what the shown arrows were routed for
        self._kept: ArrowSet | None = None  # the arrows before the last big move
        self._next: ArrowSet | None = None  # the arrows after it, being routed
        self._opening = False  # a big map is being drawn: its cards, then its arrows
        self._selection_after_build: tuple[list[str], list[TransitionKey]] | None = None
        self._chosen_arrows: set[TransitionKey] = set()  # selected, as last drawn
        self._shown_at = 0.0  # when a map being drawn was last shown as it is
        self._arrow_grid = ArrowGrid()  # where each arrow draws
        self._all_stale = False  # told "redraw anywhere" and nothing drawn since
        self._layout_timer = QTimer(self)
        self._layout_timer.setSingleShot(True)
        self._layout_timer.setInterval(0)
        self._layout_timer.timeout.connect(self._update_layout)

    # what the journey scene provides
    def journey(self) -> Journey | None:
        raise NotImplementedError

    def select(self, touchpoints: Iterable[str] = (),
               transitions: Iterable[TransitionKey] = ()) -> None:
        raise NotImplementedError

    def selected_touchpoints(self) -> list[str]:
        raise NotImplementedError

    def selected_transitions(self) -> list[TransitionKey]:
        raise NotImplementedError

    def _dress_card(self, touchpoint_id: str, card: TouchpointCard) -> None:
        raise NotImplementedError

    def _dress_arrow(self, key: TransitionKey, arrow: TransitionArrow) -> None:
        raise NotImplementedError

    def _overview_items(self) -> tuple[list[TouchpointCard], list[TransitionArrow]]:
        raise NotImplementedError

    def _invalidate_overview(self, cards_only: bool = False) -> None:
        raise NotImplementedError

    def _before_clear(self) -> None:
        """Everything is about to be rebuilt."""

    def _rows_room(self, journey: Journey) -> tuple[float, float]:
        """Room the content lanes take above and below the cards (content_layer.py)."""
        return 0.0, 0.0

    def _place_rows(self, journey: Journey, lanes: list[QRectF], content: QRectF,
                    room: tuple[float, float]) -> QRectF:
        """Lay the content lanes out with the stage lanes; returns the content with them."""
        return content

    # -- what is drawn under the cards ----------------------------------------------------------
    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:  # noqa: N802
        """The lanes, then the arrows (far out: the overview layer), under the cards.

        Drawn here rather than as items so a view can keep these pixels between frames
        (backdrop.py); the items stay for hit tests, selection and tooltips.
        """
        super().drawBackground(painter, rect)
        self._all_stale = False
        rect = QRectF(rect)
        option = QStyleOptionGraphicsItem()
        option.exposedRect = QRectF(rect)
        for lane in self._lanes.values():
            if lane.sceneBoundingRect().intersects(rect):
                painter.save()
                painter.translate(lane.pos())
                lane.paint(painter, option, None)
                painter.restore()
        if self._overview_on and self._overview is not None:
            self._overview.paint(painter, option, None)
            return
        arrows = self._arrows
        for key in self._arrow_grid.keys_in(rect):
            arrow = arrows.get(key)
            if arrow is not None and arrow.isVisible():
                painter.save()
                arrow.paint(painter, option, None)
                painter.restore()

    def _redraw_below(self, rect: QRectF | None = None) -> None:
        """Lanes or arrows changed in `rect` (None: anywhere): views draw it again.

        "Anywhere" is told once until something is drawn again: undoing a 2,000-card
        move asked 2,000 times (0.36 s)."""
        if rect is None or rect.isEmpty():
            if not self._all_stale:
                self._all_stale = True
                self.backdrop_changed.emit(QRectF())
                self.update(self.sceneRect())
            return
        self.backdrop_changed.emit(QRectF(rect))
        self.update(rect)

    def _on_routed(self, keys: set[TransitionKey]) -> None:
        """The router gave arrows new routes or label places (an arrow added or moved can
        shift its neighbours): file them again and redraw where they were and are."""
        grid, arrows = self._arrow_grid, self._arrows
        few = len(keys) <= FEW_REROUTED
        for key in keys:
            arrow = arrows.get(key)
            if arrow is None:
                continue
            before = grid.extent(key) if few else None
            grid.place(key, arrow.regions())
            if before is not None:
                self._redraw_below(before.united(grid.extent(key)))
        if not few:
            self._redraw_below()
        self._invalidate_overview()

    def _new_router(self) -> MapRouter:
        router = MapRouter()
        router.on_routed = self._on_routed
        return router

    def _redraw_arrows(self, keys: Iterable[TransitionKey]) -> None:
        for key in keys:
            arrow = self._arrows.get(key)
            if arrow is not None:
                self._redraw_below(arrow.sceneBoundingRect())

    # -- building items --------------------------------------------------------------------
    def _rebuild(self) -> None:
        """Build every item afresh (open, reset); the selection is kept by id."""
        selection = (self.selected_touchpoints(), self.selected_transitions())
        self._before_clear()
        self.clear()
        self._cards.clear()
        self._arrows.clear()
        self._lanes.clear()
        self._links.clear()
        self._pending.clear()
        self._index = self._new_router()
        self._backlog.clear()
        self._collector.release()
        CollectorPause.thaw()  # what the old map left in cycles can go now
        self._opening = False
        self._routed_for = self._kept = self._next = None
        self._chosen_arrows = set()
        self._arrow_grid = ArrowGrid()
        self._overview = OverviewLayer(self._overview_items, self._palette)
        self._overview.setVisible(False)  # drawn under the cards (drawBackground)
        self.addItem(self._overview)
        self._redraw_below()
        journey = self.journey()
        self._built = journey is not None
        self._outgoing = OutgoingEvidence(journey)
        if journey is None:
            self._content = QRectF()
            self.setSceneRect(QRectF())
            return
        self._sync_lanes(journey)
        if len(journey.touchpoints) + len(journey.transitions) >= SLICED_FROM:
            # in slices: the cards, then the arrows as a set routed round all of them
            self._selection_after_build = selection
            self._opening = True
            self._backlog.add(list(journey.touchpoints), self._build_card)
            self._start_set(journey)
            self._update_layout()  # lanes and the scene rect from the journey already
            return
        channels = {c.id: c.name for c in journey.channels}
        for touchpoint in journey.touchpoints.values():
            self._add_card(touchpoint, channels)
        with self._index.batch():  # every line first, then every label
            for transition in journey.transitions.values():
                self._make_arrow(transition.key)
        self._update_layout()
        self.select(*selection)

    def _build_card(self, touchpoint_id: Hashable) -> None:
        journey = self.journey()
        if journey is not None and touchpoint_id in journey.touchpoints \
                and touchpoint_id not in self._cards:
            self._add_card(journey.touchpoints[str(touchpoint_id)],
                           {c.id: c.name for c in journey.channels})

    def _build_arrow(self, key: Hashable) -> None:
        self._make_arrow(key)  # type: ignore[arg-type]

    def _on_backlog_progressed(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if self._opening and now - self._shown_at >= SHOW_EVERY:
            # what is drawn so far shows every so often: each time costs a full redraw
            self._shown_at = now
            self._invalidate_overview()
            self._redraw_below()
        self.drawing_progressed.emit("drawing" if self._opening else "routing", done, total)

    def _on_backlog_drained(self) -> None:
        """The map is drawn, or a big move's arrows are routed: show them, remember them."""
        journey = self.journey()
        self._collector.release()
        if journey is None:
            return
        self._opening = False
        if self._next is not None:
            incoming, self._next = self._next, None
            self._swap_in(incoming)
        self._update_layout()
        self._invalidate_overview()
        self._redraw_below()
        selection, self._selection_after_build = self._selection_after_build, None
        if selection is not None:
            self.select(*selection)

    def _drawing_map(self) -> bool:
        """A big map is being drawn: what is drawn shows every SHOW_EVERY, not per item."""
        return self._backlog.busy() and self._opening

    def is_big(self) -> bool:
        """A map big enough to be drawn in slices (SLICED_FROM cards and arrows)."""
        return len(self._cards) + len(self._arrows) >= SLICED_FROM

    def is_drawing(self) -> bool:
        """True while a big map is still being drawn or re-routed in slices."""
        return self._backlog.busy()

    def drawing_progress(self) -> tuple[int, int]:
        """(done, total) of the drawing or routing going on; (0, 0) when there is none."""
        return self._backlog.progress()

    def ensure_routing_started(self) -> None:
        """Cards moved by an edit just now start their arrows' routing at once (it
        otherwise starts when the event loop next runs)."""
        self._ensure_layout()

    def _ensure_drawn(self) -> None:
        """Whoever needs the whole map gets it: what is left of a big one is drawn now."""
        if self._backlog.busy():
            self._backlog.finish()
        self._ensure_layout()

    def _add_card(self, touchpoint: Touchpoint, channels: Mapping[str, str]) -> TouchpointCard:
        card = TouchpointCard(touchpoint, channels.get(touchpoint.channel or "", ""),
                              self._palette, self._outgoing.kinds(touchpoint.id))
        card.setFlags(FAR_CARD_FLAGS if self._overview_on else CARD_FLAGS)
        if self._figures is not None or self._overlays.satisfaction_fill:
            self._dress_card(touchpoint.id, card)
        self.addItem(card)
        self._cards[touchpoint.id] = card
        self._index.place(touchpoint.id, card.x(), card.y())
        if not self._drawing_map():
            self._invalidate_overview(cards_only=True)
        return card

    def _add_arrow(self, key: TransitionKey) -> None:
        """A transition added to the journey: drawn now, or with the set being routed."""
        if self._next is not None:
            self._forget_routes()  # the set being routed starts again, with it
            return
        self._routed_for = None
        self._make_arrow(key)

    def _make_arrow(self, key: TransitionKey) -> None:
        journey = self.journey()
        source, target = self._cards.get(key[0]), self._cards.get(key[1])
        if journey is None or key not in journey.transitions or key in self._arrows:
            return
        if source is None or target is None:
            self._pending.add(key)  # a card that comes later in the same command
            return
        arrow = TransitionArrow(journey.transitions[key], self._palette)
        if self._figures is not None:
            self._dress_arrow(key, arrow)
        arrow.set_far(True)  # the scene draws it, under the cards (drawBackground)
        self._arrows[key] = arrow
        self._links.setdefault(key[0], set()).add(key)
        self._links.setdefault(key[1], set()).add(key)
        self.addItem(arrow)
        # routed now (or when the batch ends): _on_routed files and draws it
        arrow.update_geometry(card_body(source), card_body(target), self._index)

    def _remove_arrow(self, key: TransitionKey) -> None:
        self._pending.discard(key)
        if self._next is not None:
            self._forget_routes()  # the set being routed starts again, without it
        self._routed_for = None
        arrow = self._arrows.pop(key, None)
        if arrow is None:
            return
        for end in key:
            self._links.get(end, set()).discard(key)
        self._index.release_label(key)
        self._redraw_below(arrow.sceneBoundingRect())
        self._chosen_arrows.discard(key)
        self._arrow_grid.remove(key)
        self.removeItem(arrow)
        self._invalidate_overview()

    def _sync_lanes(self, journey: Journey) -> None:
        """One lane per stage, in order; lanes of removed stages go."""
        for index, stage in enumerate(journey.stages):
            lane = self._lanes.get(stage.id)
            if lane is None:
                lane = StageLane(stage, QRectF(lane_left(index), 0, LANE_WIDTH, 1), index,
                                 self._palette)
                lane.setFlag(_FLAG.ItemHasNoContents)  # drawn under the cards (drawBackground)
                self.addItem(lane)
                self._lanes[stage.id] = lane
            else:
                lane.update_from(stage, index)
        for stage_id in set(self._lanes) - {s.id for s in journey.stages}:
            self.removeItem(self._lanes.pop(stage_id))
        self._redraw_below()

    # -- layout (lanes follow the cards) ---------------------------------------------------
    def _schedule_layout(self) -> None:
        if not self._layout_timer.isActive():
            self._layout_timer.start()

    def _ensure_layout(self) -> None:
        if self._layout_timer.isActive():
            self._update_layout()

    def _update_layout(self) -> None:
        """Re-route the arrows of moved cards, size the lanes to the cards and the scene to
        the content plus a margin. Runs once after each edit, however many cards moved."""
        self._layout_timer.stop()
        self._flush_moves()
        journey = self.journey()
        if journey is None:
            return
        # while a big map is drawn, its lanes already span every card to come
        positions = (((t.x, t.y) for t in journey.touchpoints.values())
                     if self._drawing_map()
                     else ((card.x(), card.y()) for card in self._cards.values()))
        room = self._rows_room(journey)
        rects, content = lay_out(len(journey.stages), positions, *room)
        resized = False
        for stage, rect in zip(journey.stages, rects, strict=True):
            lane = self._lanes[stage.id]
            if lane.rect() != rect:
                lane.set_rect(rect)
                resized = True
        if resized:
            self._redraw_below()
        self._content = self._place_rows(journey, rects, content, room)
        margin = SCENE_MARGIN
        self.setSceneRect(content.adjusted(-margin, -margin, margin, margin))
        if self._overview is not None:
            self._overview.set_rect(self.sceneRect())

    # -- moving cards ----------------------------------------------------------------------
    def _forget_routes(self) -> None:
        """The cards or transitions changed: the arrows drawn are routed for what is now,
        and a set being routed starts again (a map being opened, from its cards)."""
        self._routed_for = None
        if self._opening:
            self._rebuild()
        elif self._next is not None:
            self._route_afresh()

    def _note_position(self, touchpoint_id: str) -> None:
        """Re-index a card that may have moved; its arrows follow at the next flush."""
        card = self._cards[touchpoint_id]
        x, y = card.x(), card.y()
        if self._index.position(touchpoint_id) != (x, y):
            self._index.place(touchpoint_id, x, y)
            self._moved.add(touchpoint_id)
            self._schedule_layout()

    def _flush_moves(self) -> None:
        """Re-route the arrows of the cards that moved, together."""
        if not self._moved:
            return
        keys: set[TransitionKey] = set()
        for touchpoint_id in self._moved:
            keys |= self._links.get(touchpoint_id, set())
        self._moved.clear()
        if len(keys) >= SLICED_FROM or self._next is not None:
            if self._opening:
                self._rebuild()  # a big move while the map is being drawn: draw it afresh
            else:
                self._route_afresh()
            return
        self._routed_for = None
        # routed when the batch ends; _on_routed files and draws whatever moved
        with unindexed(self, len(keys)), self._index.batch():
            for key in keys:
                arrow = self._arrows[key]
                arrow.update_geometry(card_body(self._cards[key[0]]),
                                      card_body(self._cards[key[1]]), self._index)

    def _route_afresh(self) -> None:
        """After a big move: the arrows kept for these card places come back at once;
        else every arrow is routed anew as a new set, swapped in when it is done."""
        journey = self.journey()
        if journey is None:
            return
        self._backlog.clear()
        self._next = None
        if self._kept is not None \
                and self._kept.layout == layout_of(self._cards, journey.transitions.values()):
            kept, self._kept = self._kept, None
            self._swap_in(kept)
            self._update_layout()
            return
        self._start_set(journey)

    def _start_set(self, journey: Journey) -> None:
        """Queue a new set of every arrow: made, routed, then each given its route, all
        in slices (arrow_sets.py)."""
        self._next = ArrowSet(MapRouter(), None)
        self._collector.hold()
        keys = list(journey.transitions)
        self._backlog.add(keys, self._make_next)
        self._backlog.add([0], self._route_next, weight=max(1, ROUTING_WEIGHT * len(keys)))
        self._backlog.add(keys, self._take_next)

    def _make_next(self, key: Hashable) -> None:
        journey, incoming = self.journey(), self._next
        if journey is not None and incoming is not None:
            incoming.make(journey, key, self._palette, self._dress_set)  # type: ignore[arg-type]

    def _route_next(self, _: Hashable) -> Iterator[None] | None:
        journey, incoming = self.journey(), self._next
        if journey is None or incoming is None:
            return None
        incoming.layout = layout_of(self._cards, journey.transitions.values())
        return incoming.routing(self._cards)

    def _take_next(self, key: Hashable) -> None:
        if self._next is not None:
            self._next.take_route(self._cards, key)  # type: ignore[arg-type]

    def _dress_set(self, key: TransitionKey, arrow: TransitionArrow) -> None:
        """An arrow of a set made or kept off screen, dressed as the scene shows now."""
        arrow.set_palette(self._palette)
        self._dress_arrow(key, arrow)
        arrow.set_far(True)

    def _swap_in(self, incoming: ArrowSet) -> None:
        """Show `incoming`'s arrows instead of the current ones, which are kept for an
        undo when it is known what they were routed for."""
        overview = self._overview
        unselected = not self._chosen_arrows
        shown = ArrowSet(self._index, self._routed_for, self._arrows, self._arrow_grid,
                         overview.arrow_paths() if overview is not None and unselected else None)
        swap_arrows(self, shown.arrows, incoming, self._cards, self._dress_set)
        self._index.on_routed = None  # kept, or dropped
        self._arrows = dict(incoming.arrows)
        self._links = {}
        for key in self._arrows:
            self._links.setdefault(key[0], set()).add(key)
            self._links.setdefault(key[1], set()).add(key)
        self._index, self._routed_for = incoming.index, incoming.layout
        self._index.on_routed = self._on_routed
        self._arrow_grid = incoming.grid
        if self._kept is not None:
            self._kept.drop()  # routed for places two moves ago: gone for good
        self._kept = shown if shown.layout is not None else None
        if overview is not None and incoming.overview is not None and unselected:
            overview.use_arrow_paths(incoming.overview)  # far out: the paths from before
            self._redraw_below()
        else:
            self._invalidate_overview()
        self._redraw_below()
        incoming.release()  # anything that changed since it was routed is routed now

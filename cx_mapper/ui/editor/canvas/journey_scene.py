"""One journey drawn as stage lanes, touchpoint cards and transition arrows.

The scene keeps a dict from each domain element to its item and follows the
document's signals incrementally (the Orange canvas split). It draws only; the
editing scene (scene.py) adds the gestures and edit actions on top.

Geometry: stage k's lane spans x in [k * LANE_WIDTH - M, (k + 1) * LANE_WIDTH - M]
with M = (LANE_WIDTH - CARD_WIDTH) / 2, so a card at x = k * LANE_WIDTH sits centred
in it. Headers sit above the topmost card (cards start at y = 0); lane bodies reach a
row below the lowest card. The stage under a point is the lane containing its x.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from PySide6.QtCore import QObject, QPointF, QRectF, QTimer, Signal
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsSceneHelpEvent, QToolTip

from cx_mapper.domain.journey import Journey, Touchpoint, TransitionKey
from cx_mapper.engine.layout import LANE_WIDTH
from cx_mapper.engine.results import Analysis
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.canvas.arrows import TransitionArrow
from cx_mapper.ui.editor.canvas.editing import InPlaceEditor
from cx_mapper.ui.editor.canvas.items import TouchpointCard
from cx_mapper.ui.editor.canvas.lanes import StageLane
from cx_mapper.ui.editor.canvas.overlay import OverlayFigures, Overlays, overlay_figures
from cx_mapper.ui.editor.canvas.overview import OverviewLayer
from cx_mapper.ui.editor.canvas.picture import (
    LANE_MARGIN,
    SCENE_MARGIN,
    card_body,
    dress_arrow,
    dress_card,
    lane_left,
    lay_out,
)
from cx_mapper.ui.editor.canvas.routing import MapRouter
from cx_mapper.ui.look import palette
from cx_mapper.ui.look.palette import CanvasPalette

__all__ = ["LANE_MARGIN", "JourneyScene", "card_body", "lane_left"]


_FLAG = QGraphicsItem.GraphicsItemFlag
_CARD = _FLAG.ItemIsSelectable | _FLAG.ItemIsMovable
_FAR_CARD = _CARD | _FLAG.ItemHasNoContents  # drawn by the far-out layer


class JourneyScene(QGraphicsScene):
    """One journey drawn from the document, kept up to date from its signals.

    It never edits the project. Selection is Qt's own (`selectionChanged`); it
    survives undo and redo wherever the items remain.
    """

    #: The overlay switches, the figures or the palette changed (a legend follows).
    overlays_changed = Signal()

    def __init__(
        self, document: ProjectDocument, journey_id: str, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._journey_id = journey_id
        self._palette = palette.current_palette()
        self._cards: dict[str, TouchpointCard] = {}
        self._arrows: dict[TransitionKey, TransitionArrow] = {}
        self._lanes: dict[str, StageLane] = {}
        self._links: dict[str, set[TransitionKey]] = {}  # touchpoint -> its arrows
        self._pending: set[TransitionKey] = set()  # transitions waiting for a card
        self._overlays = Overlays()
        self._figures: OverlayFigures | None = None  # of the last analysis shown
        self._stale = False  # the figures are of an older revision: drawn dimmed
        self._content = QRectF()
        self._built = False
        self._index = MapRouter()  # routes every arrow and places its label
        self._overview_on = False
        self._overview: OverviewLayer | None = None
        self._moved: set[str] = set()  # cards whose arrows must follow

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
    def canvas_palette(self) -> CanvasPalette:
        """The canvas colours (not Qt's `palette()`, which styles the name editor)."""
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
        self._ensure_layout()
        return self._arrows.get((key[0], key[1]))

    def lane(self, stage_id: str) -> StageLane | None:
        self._ensure_layout()
        return self._lanes.get(stage_id)

    def cards(self) -> dict[str, TouchpointCard]:
        return dict(self._cards)

    def arrows(self) -> dict[TransitionKey, TransitionArrow]:
        self._ensure_layout()
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
        self._ensure_layout()  # the scene rect must hold them before a view centres on them
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

    # -- look and analysis overlays --------------------------------------------------------
    def set_analysis(self, analysis: Analysis | None, overlays: Overlays | None = None) -> None:
        """Draw an engine result's marks: visits bars, arrow widths by flow, loyalty badges.

        None clears every analysis mark (a stale result, a journey that cannot be
        analysed); the satisfaction fill stays, as it is the cards' own. The figures are
        kept by id, so cards and arrows edited, removed and brought back by undo show
        them until the next result. `overlays` None keeps the switches as they are.
        A new result is current: its marks are no longer dimmed.
        """
        if analysis is not None and analysis.journey_id != self._journey_id:
            raise ValueError(f"The analysis is of journey '{analysis.journey_id}', "
                             f"not '{self._journey_id}'")
        journey = self.journey()
        self._figures = (overlay_figures(self._document.project, journey, analysis)
                         if analysis is not None and journey is not None else None)
        self._stale = False
        tint = False
        if overlays is not None:
            tint = overlays.satisfaction_fill != self._overlays.satisfaction_fill
            self._overlays = overlays
        self._apply_overlays(tint)

    def set_overlays(self, overlays: Overlays) -> None:
        """Switch overlays on or off, keeping the figures of the last result."""
        if overlays != self._overlays:
            tint = overlays.satisfaction_fill != self._overlays.satisfaction_fill
            self._overlays = overlays
            self._apply_overlays(tint)

    def overlays(self) -> Overlays:
        return self._overlays

    def set_stale(self, stale: bool) -> None:
        """Dim the marks while a newer result is on its way: an edit made them stale,
        and a stale figure is never shown as current. The next `set_analysis` undims."""
        if stale != self._stale:
            self._stale = stale
            # Only the items' dimming flag: re-dressing 2,000 cards and 10,000 arrows
            # took 150 ms per edit, for marks whose figures have not changed.
            marked = stale and self._figures is not None
            for card in self._cards.values():
                card.set_stale(marked)
            flows = marked and bool(self._figures and self._figures.flows) and self._overlays.flow
            for arrow in self._arrows.values():
                arrow.set_stale(flows, repaint=False)
            self.update()  # one repaint for every arrow; cards refresh their own cache
            self.overlays_changed.emit()

    def is_stale(self) -> bool:
        """True while the marks drawn are of an older revision than the document's."""
        return self._stale and self._figures is not None

    def overlay_figures(self) -> OverlayFigures | None:
        """The figures of the result drawn, or None when there is none."""
        return self._figures

    def set_overlay(
        self,
        visits: Mapping[str, float] | None = None,
        flows: Mapping[TransitionKey, float] | None = None,
    ) -> None:
        """Show analysis results: visits bars (0-1 of the busiest touchpoint) and arrow
        widths by flow (0-1 of the largest). None hides that overlay.

        The older call by shares; `set_analysis` also knows the real figures and loyalty.
        """
        self._figures = (OverlayFigures.from_shares(visits, flows)
                         if visits is not None or flows is not None else None)
        self._apply_overlays()

    def _apply_overlays(self, tint: bool = False) -> None:
        """Dress every card and arrow; `tint`: the satisfaction fill was switched, which
        the far-out layer draws too (it draws no bars, badges or widths)."""
        for touchpoint_id, card in self._cards.items():
            self._dress_card(touchpoint_id, card)
        for key, arrow in self._arrows.items():
            self._dress_arrow(key, arrow)
        if tint:
            self._invalidate_overview()
        self.overlays_changed.emit()

    def _dress_card(self, touchpoint_id: str, card: TouchpointCard) -> None:
        dress_card(card, self._overlays, self._figures, self._stale)

    def set_palette(self, palette: CanvasPalette) -> None:
        self._palette = palette
        self.setBackgroundBrush(palette.background)
        items: list[StageLane | TouchpointCard | TransitionArrow] = [
            *self._lanes.values(), *self._cards.values(), *self._arrows.values()]
        for item in items:
            item.set_palette(palette)
        if self._overview is not None:
            self._overview.set_palette(palette)
        self.overlays_changed.emit()

    def set_overview(self, enabled: bool) -> None:
        """Draw the map in one layer (the view turns this on when zoomed far out).

        Far out, painting thousands of items one by one is what makes repaints slow;
        the layer draws them all in a few calls instead. Hit tests, selection and
        dragging still work on the items underneath.
        """
        if enabled == self._overview_on:
            return
        self._overview_on = enabled
        card_flags = _FAR_CARD if enabled else _CARD
        for card in self._cards.values():
            card.setFlags(card_flags)
        for arrow in self._arrows.values():
            arrow.set_far(enabled)
        if self._overview is not None:
            self._overview.invalidate()
            self._overview.setVisible(enabled)

    def overview(self) -> bool:
        return self._overview_on

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
        self._index = MapRouter()
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
        with self._index.batch():  # every line first, then every label
            for transition in journey.transitions.values():
                self._add_arrow(transition.key)
        self._sync_lanes(journey)
        self._update_layout()
        self.select(*selection)

    def _add_card(self, touchpoint: Touchpoint, channels: Mapping[str, str]) -> TouchpointCard:
        card = TouchpointCard(touchpoint, channels.get(touchpoint.channel or "", ""),
                              self._palette)
        card.setFlags(_FAR_CARD if self._overview_on else _CARD)
        if self._figures is not None or self._overlays.satisfaction_fill:
            self._dress_card(touchpoint.id, card)
        self.addItem(card)
        self._cards[touchpoint.id] = card
        self._index.place(touchpoint.id, card.x(), card.y())
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
        if self._figures is not None:
            self._dress_arrow(key, arrow)
        arrow.update_geometry(card_body(source), card_body(target), self._index)
        if self._overview_on:
            arrow.set_far(True)
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
        self._index.release_label(key)
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

    def _dress_arrow(self, key: TransitionKey, arrow: TransitionArrow) -> None:
        dress_arrow(arrow, self._overlays, self._figures, self._stale)

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
        """Re-route the arrows of moved cards, size the lanes to the cards and the scene to
        the content plus a margin. Runs once after each edit, however many cards moved."""
        self._layout_timer.stop()
        self._flush_moves()
        journey = self.journey()
        if journey is None:
            return
        rects, content = lay_out(len(journey.stages),
                                 ((card.x(), card.y()) for card in self._cards.values()))
        for stage, rect in zip(journey.stages, rects, strict=True):
            self._lanes[stage.id].set_rect(rect)
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
        self._forget_touchpoint(touchpoint_id)
        for key in list(self._links.pop(touchpoint_id, ())):
            self._remove_arrow(key)
        card = self._cards.pop(touchpoint_id)
        self._moved.discard(touchpoint_id)
        self._index.remove(touchpoint_id)
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
        self._note_position(touchpoint_id)  # its arrows follow once the edit is done
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
        self._forget_stages({s.id for s in journey.stages})
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

    # -- what an editing scene adds (nothing here) --------------------------------------------
    def _before_clear(self) -> None:
        """Everything is about to be rebuilt."""

    def _forget_touchpoint(self, touchpoint_id: str) -> None:
        """A touchpoint's card is about to go."""

    def _forget_stages(self, kept: set[str]) -> None:
        """Stages changed; `kept` are the ones still there."""

    # -- moving cards ----------------------------------------------------------------------
    def _note_position(self, touchpoint_id: str) -> None:
        """Re-index a card that may have moved; its arrows follow at the next flush."""
        card = self._cards[touchpoint_id]
        x, y = card.x(), card.y()
        if self._index.position(touchpoint_id) != (x, y):
            self._index.place(touchpoint_id, x, y)
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
            self._arrows[key].update_geometry(card_body(self._cards[key[0]]),
                                              card_body(self._cards[key[1]]), self._index)
        self._invalidate_overview()

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

    def helpEvent(self, event: QGraphicsSceneHelpEvent) -> None:  # noqa: N802
        """Tooltips are worked out when asked for, not kept on thousands of items."""
        item = self._top_item(event.scenePos())
        text = ""
        if isinstance(item, TouchpointCard):
            text = item.tooltip()
        elif isinstance(item, TransitionArrow):
            names = [self._cards[end].touchpoint.name if end in self._cards else end
                     for end in item.key]
            text = item.tooltip(*names)
        if not text:
            super().helpEvent(event)
            return
        QToolTip.showText(event.screenPos(), text, event.widget())
        event.accept()


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

from PySide6.QtCore import QObject, QPointF, QRectF, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGraphicsItem, QGraphicsSceneHelpEvent, QToolTip

from cx_mapper.domain.journey import Journey, TransitionKey
from cx_mapper.engine.layout import LANE_WIDTH
from cx_mapper.engine.results import Analysis
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.canvas.arrows import TransitionArrow
from cx_mapper.ui.editor.canvas.batches import unindexed
from cx_mapper.ui.editor.canvas.editing import InPlaceEditor
from cx_mapper.ui.editor.canvas.items import TouchpointCard
from cx_mapper.ui.editor.canvas.lanes import StageLane
from cx_mapper.ui.editor.canvas.overlay import OverlayFigures, Overlays, overlay_figures
from cx_mapper.ui.editor.canvas.overview import OverviewLayer
from cx_mapper.ui.editor.canvas.picture import (
    LANE_MARGIN,
    card_body,
    dress_arrow,
    dress_card,
    lane_left,
)
from cx_mapper.ui.editor.canvas.scene_items import CARD_FLAGS, FAR_CARD_FLAGS, SceneItems
from cx_mapper.ui.editor.canvas.thumbnails import thumbnail
from cx_mapper.ui.look import palette
from cx_mapper.ui.look.palette import CanvasPalette

__all__ = ["LANE_MARGIN", "JourneyScene", "card_body", "lane_left"]


class JourneyScene(SceneItems):
    """One journey drawn from the document, kept up to date from its signals.

    It never edits the project. Selection is Qt's own (`selectionChanged`); it
    survives undo and redo wherever the items remain.
    """

    #: The overlay switches, the figures or the palette changed (a legend follows).
    overlays_changed = Signal()
    #: what, done, total: a big map is being drawn or re-routed in slices (done == total:
    #: finished). `what` is "drawing" or "routing".
    drawing_progressed = Signal(str, int, int)
    #: What is drawn under the cards (lanes, arrows) changed in this scene rect; an empty
    #: rect: anywhere. Views that keep those pixels (backdrop.py) draw them again.
    backdrop_changed = Signal(QRectF)

    def __init__(
        self, document: ProjectDocument, journey_id: str, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._journey_id = journey_id
        self._palette = palette.current_palette()
        self._init_items()
        self._overlays = Overlays()
        self._figures: OverlayFigures | None = None  # of the last analysis shown
        self._analysis: Analysis | None = None  # the last analysis shown
        self._stale = False  # the figures are of an older revision: drawn dimmed
        self._content = QRectF()
        self._built = False
        self._overview_on = False
        self._overview: OverviewLayer | None = None
        self.setBackgroundBrush(self._palette.background)
        self.selectionChanged.connect(self._on_selection_changed)

        document.touchpoint_added.connect(self._on_touchpoint_added)
        document.touchpoint_removed.connect(self._on_touchpoint_removed)
        document.touchpoint_changed.connect(self._on_touchpoint_changed)
        document.touchpoints_changed.connect(self._on_touchpoints_changed)
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

    def card_thumbnail(self, image_id: str) -> QPixmap | None:
        """A project image as a card's thumbnail (made once; None if it is not there)."""
        image = self._document.project.images.get(image_id)
        return thumbnail(image.data) if image is not None else None

    def journey(self) -> Journey | None:
        """The journey drawn, or None once it has been removed from the project."""
        for journey in self._document.project.journeys:
            if journey.id == self._journey_id:
                return journey
        return None

    def card(self, touchpoint_id: str) -> TouchpointCard | None:
        self._ensure_drawn()
        return self._cards.get(touchpoint_id)

    def arrow(self, key: TransitionKey) -> TransitionArrow | None:
        self._ensure_drawn()
        return self._arrows.get((key[0], key[1]))

    def lane(self, stage_id: str) -> StageLane | None:
        self._ensure_layout()
        return self._lanes.get(stage_id)

    def cards(self) -> dict[str, TouchpointCard]:
        self._ensure_drawn()
        return dict(self._cards)

    def arrows(self) -> dict[TransitionKey, TransitionArrow]:
        self._ensure_drawn()
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
        self._ensure_drawn()  # the scene rect must hold them before a view centres on them
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
        self._ensure_drawn()
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
        self._analysis = analysis
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

    def has_times(self) -> bool:
        """The journey has times from an event log, for the time overlay to show."""
        journey = self.journey()
        return journey is not None and any(
            t.time_median is not None for t in journey.transitions.values())

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
            self._redraw_arrows_dressed()  # once for every arrow; cards redraw their own
            self.overlays_changed.emit()

    def shows(self, analysis: Analysis) -> bool:
        """Its marks are this analysis's, current (not dimmed)."""
        return analysis is self._analysis and not self._stale

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
        with self._index.batch():  # labels the time overlay lengthens: routed once
            for key, arrow in self._arrows.items():
                self._dress_arrow(key, arrow)
        if tint:
            self._invalidate_overview(cards_only=True)
        self._redraw_arrows_dressed()
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
        self._redraw_below()
        self.overlays_changed.emit()

    def set_overview(self, enabled: bool) -> None:
        """Draw the map in one layer (the view turns this on when zoomed far out).

        Far out, painting thousands of items one by one is what makes repaints slow;
        the layer draws them all in a few calls instead, under the cards like the arrows
        (`drawBackground`). Hit tests, selection and dragging still work on the items.
        """
        if enabled == self._overview_on:
            return
        self._overview_on = enabled
        card_flags = FAR_CARD_FLAGS if enabled else CARD_FLAGS
        for card in self._cards.values():
            card.setFlags(card_flags)
        if self._overview is not None:
            self._overview.invalidate()
        self._redraw_below()

    def overview(self) -> bool:
        return self._overview_on

    def _dress_arrow(self, key: TransitionKey, arrow: TransitionArrow) -> None:
        dress_arrow(arrow, self._overlays, self._figures, self._stale)

    def _overview_items(self) -> tuple[list[TouchpointCard], list[TransitionArrow]]:
        return list(self._cards.values()), list(self._arrows.values())

    def _redraw_arrows_dressed(self) -> None:
        """Arrows' widths or ink changed: drawn again, unless far out, where the overview
        draws every arrow as a hairline (a redraw there cost 120 ms per edit for nothing)."""
        if not self._overview_on:
            self._redraw_below()

    def _invalidate_overview(self, cards_only: bool = False) -> None:
        if self._overview_on and self._overview is not None:
            if cards_only:
                self._overview.invalidate_cards()
            else:
                self._overview.invalidate()
            self._redraw_below()

    def _on_selection_changed(self) -> None:
        """Arrows are drawn under the cards, by the scene: redraw those (un)selected."""
        self._invalidate_overview()
        chosen = {item.key for item in self.selectedItems() if isinstance(item, TransitionArrow)}
        changed = chosen ^ self._chosen_arrows
        self._chosen_arrows = chosen
        self._redraw_arrows(changed)

    # -- document signals ------------------------------------------------------------------
    def _on_touchpoint_added(self, journey_id: str, touchpoint_id: str) -> None:
        journey = self.journey()
        if journey_id != self._journey_id or journey is None or touchpoint_id in self._cards:
            return
        self._forget_routes()
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
        self._outgoing.forget(touchpoint_id)
        self._forget_routes()
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
        self._invalidate_overview(cards_only=True)  # moved arrows redraw when they follow
        self._schedule_layout()

    def _on_touchpoints_changed(self, journey_id: str, touchpoint_ids: tuple[str, ...]) -> None:
        """Many at once (a big move and its undo): each card follows, then the lanes and
        arrows once, as for one."""
        journey = self.journey()
        if journey_id != self._journey_id or journey is None:
            return
        channels = {c.id: c.name for c in journey.channels}
        # one batch for Qt's index: the cards move and their arrows follow (or the
        # arrows kept from before come back) with the index rebuilt once after
        with unindexed(self, len(touchpoint_ids)):
            for touchpoint_id in touchpoint_ids:
                card = self._cards.get(touchpoint_id)
                if card is not None:
                    touchpoint = journey.touchpoint(touchpoint_id)
                    card.update_from(touchpoint, channels.get(touchpoint.channel or "", ""))
                    self._note_position(touchpoint_id)
            self._update_layout()
        self._invalidate_overview(cards_only=True)

    def _on_transition_added(self, journey_id: str, source: str, target: str) -> None:
        if journey_id == self._journey_id:
            self._follow_evidence((source, target))
            self._add_arrow((source, target))

    def _on_transition_removed(self, journey_id: str, source: str, target: str) -> None:
        if journey_id == self._journey_id:
            self._follow_evidence((source, target))
            self._remove_arrow((source, target))

    def _follow_evidence(self, key: TransitionKey) -> None:
        """The source's card badge follows the evidence on its transitions out."""
        journey, card = self.journey(), self._cards.get(key[0])
        if journey is not None:
            self._outgoing.follow(journey, key)
        if card is not None:
            card.set_transition_kinds(self._outgoing.kinds(key[0]))

    def _on_transition_changed(self, journey_id: str, source: str, target: str) -> None:
        journey = self.journey()
        arrow = self._arrows.get((source, target))
        if journey_id == self._journey_id:
            self._follow_evidence((source, target))
        if journey_id == self._journey_id and journey is not None and arrow is not None:
            self._forget_routes()
            before = arrow.sceneBoundingRect()
            arrow.update_from(journey.transition(source, target))
            self._arrow_grid.place((source, target), arrow.regions())
            self._redraw_below(before.united(arrow.sceneBoundingRect()))

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


"""A big map's arrows as whole sets: routed in slices, then swapped in at once.

Opening a 2,000-card map, or auto-layout moving every card of it, needs all 8,000
arrows routed together: most of a second of Python in one `ArrowMap.update`. A new set
is made in three steps run by the scene's backlog (backlog.py), each in slices between
the window's frames: its arrow items are made; their ends, label sizes and widths go
into a map of the set's own, routed a step an arrow (`ArrowMap.updating`); then each
arrow takes its route from that map. The old set stays on screen meanwhile, and the
new one is swapped in as one change. The old set is kept with the card positions and transitions
it was routed for, so undoing the layout (the cards go back exactly) swaps it back at
once instead of routing everything again; redo swaps again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from PySide6.QtWidgets import QGraphicsScene

from cx_mapper.domain.journey import Journey, Transition, TransitionKey
from cx_mapper.engine.routing import ArrowMap
from cx_mapper.ui.editor.canvas import style
from cx_mapper.ui.editor.canvas.arrow_grid import ArrowGrid
from cx_mapper.ui.editor.canvas.arrows import TransitionArrow
from cx_mapper.ui.editor.canvas.batches import unindexed
from cx_mapper.ui.editor.canvas.items import TouchpointCard
from cx_mapper.ui.editor.canvas.picture import card_body
from cx_mapper.ui.editor.canvas.routing import MapRouter
from cx_mapper.ui.look.palette import CanvasPalette

#: Where every card is and every transition: what a set of arrows was routed for.
Layout = tuple[frozenset[tuple[str, float, float]], frozenset[Transition]]
#: Dresses an arrow as the scene shows it now (its palette, widths and ink).
Dress = Callable[[TransitionKey, TransitionArrow], object]
#: What routing an arrow needs: its key, its label's size, its width, whether it loops above.
ArrowInput = tuple[TransitionKey, tuple[float, float], float, bool]


def layout_of(cards: Mapping[str, TouchpointCard], transitions: Iterable[Transition]) -> Layout:
    """The cards' places and the transitions (with their labels): equal layouts route
    alike, so a set routed for one serves the other."""
    return (frozenset((tid, card.x(), card.y()) for tid, card in cards.items()),
            frozenset(transitions))


def map_of(cards: Iterable[tuple[str, float, float]], arrows: Iterable[ArrowInput]) -> ArrowMap:
    """A map of these cards and arrows, not routed yet: `updating()` routes every arrow
    together, as a scene's router does in one batch."""
    routed = ArrowMap(style.CARD_WIDTH, style.CARD_HEIGHT)
    for card_id, x, y in cards:
        routed.place_card(card_id, x, y)
    for key, label_size, width, above in arrows:
        routed.add_arrow(key, label_size, width, above)
    return routed


@dataclass
class ArrowSet:
    """Arrows routed by `index` for the cards and transitions of `layout`."""

    index: MapRouter
    layout: Layout | None
    arrows: dict[TransitionKey, TransitionArrow] = field(default_factory=dict)
    grid: ArrowGrid = field(default_factory=ArrowGrid)  # where each draws
    overview: object = None  # their paths as drawn far out, once drawn so
    _routed: ArrowMap | None = None  # routed for the set, not taken yet
    _held = False  # the router holds what changes until the set is shown

    def make(self, journey: Journey, key: TransitionKey, palette: CanvasPalette,
             dress: Dress) -> None:
        """Make the arrow of transition `key`, dressed (its width is routed), not routed."""
        transition = journey.transitions.get(key)
        if transition is not None:
            arrow = self.arrows[key] = TransitionArrow(transition, palette)
            dress(key, arrow)

    def routing(self, cards: Mapping[str, TouchpointCard]) -> Iterator[None]:
        """Route every arrow made, for the cards where they are now, a step an arrow."""
        self._routed = map_of(((tid, card.x(), card.y()) for tid, card in cards.items()),
                              ((key, arrow.label_size(), arrow.flow_width(),
                                arrow.route_above())
                               for key, arrow in self.arrows.items()
                               if key[0] in cards and key[1] in cards))
        return self._routed.updating()

    def take_route(self, cards: Mapping[str, TouchpointCard], key: TransitionKey) -> None:
        """The arrow of `key` takes its route from the map routed for the set. It is
        dressed as the scene is when shown (swap_arrows): a width from figures that came
        meanwhile is routed then, when the router is released."""
        if self._routed is not None:  # the first: the routed map becomes the router's
            self.index = MapRouter.over(self._routed)
            self._routed = None
            self.index.hold()  # any difference is routed once, when shown
            self._held = True
        arrow = self.arrows.get(key)
        source, target = cards.get(key[0]), cards.get(key[1])
        if arrow is None or source is None or target is None:
            self.arrows.pop(key, None)
            self.index.release_label(key)
            return
        arrow.update_geometry(card_body(source), card_body(target), self.index)
        self.grid.place(key, arrow.regions())

    def drop(self) -> None:
        """No longer wanted: break the router's cycle with the arrows, so they go as soon
        as the last reference does, frozen or not (batches.CollectorPause)."""
        self.index.forget_arrows()
        self.arrows.clear()

    def release(self) -> None:
        """Shown: whatever changed since the routes were taken is routed now."""
        if self._held:
            self._held = False
            self.index.release()


def swap_arrows(scene: QGraphicsScene, shown: Mapping[TransitionKey, TransitionArrow],
                incoming: ArrowSet, cards: Mapping[str, TouchpointCard], dress: Dress) -> None:
    """Take the `shown` arrows off the scene and put `incoming`'s on, dressed by `dress`
    and selected where the arrow they replace was. One change, with no index for it."""
    selected = {key for key, arrow in shown.items() if arrow.isSelected()}
    blocked = scene.blockSignals(True)  # the selection is the same transitions after
    try:
        with unindexed(scene, len(shown) + len(incoming.arrows)):
            for arrow in shown.values():
                scene.removeItem(arrow)
            for key, arrow in incoming.arrows.items():
                dress(key, arrow)
                scene.addItem(arrow)
                if key in selected:
                    arrow.setSelected(True)
    finally:
        scene.blockSignals(blocked)
    for touchpoint_id, card in cards.items():  # the cards are where the set was routed
        incoming.index.place(touchpoint_id, card.x(), card.y())
    if selected - set(incoming.arrows):
        scene.selectionChanged.emit()

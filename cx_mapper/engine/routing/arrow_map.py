"""Every arrow of a map routed and labelled together, and kept so as cards move.

`ArrowMap` holds the cards, the arrows between them and, for each arrow, its route
and its label's place. Edits (a card placed or moved, an arrow added, removed or
widened) mark what they affect; `update` then re-routes those arrows, re-labels them
and any label their new lines or cards now cover, and says which arrows changed. A
map opens as one batch: every arrow routed first, then every label placed, so each
label knows every line.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable
from dataclasses import dataclass
from itertools import chain

from cx_mapper.engine.routing.geometry import Box, BoxGrid, CardIndex, Point, grow, meet
from cx_mapper.engine.routing.labels import (
    CARD_GAP,
    LABEL_GAP,
    STEP,
    centred,
    head_box,
    self_loop_box,
    self_loop_spots,
    spots_along,
    stroke_boxes,
)
from cx_mapper.engine.routing.routes import (
    FORWARD,
    FORWARD_GAP,
    LABEL_PAD,
    PORT_MARGIN,
    SELF,
    RouteFinder,
    Tracks,
    port_positions,
    settle,
)

Key = tuple[str, str]
#: How many spots along an arrow are tried for its label.
MOST_TRIED = 60
#: An update that routes more arrows than this routes them quickly (a 2,000-card map
#: opens in well under a second): tracks from the ports' order, labels clear of cards
#: and of each other but not checked against the lines, and fewer spots tried.
QUICK = 2500
QUICK_TRIED = 8
#: An update that routes more arrows than this takes the nearest level that fits for a
#: loop, crowded or not, rather than weighing them all, tries fewer spots for a label
#: and repairs less: a 200-touchpoint map opens in well under a second.
FIRST_FIT = 300
BIG_TRIED = 24
BIG_REPAIR_TRIALS = 15
#: Repair: rounds over the labels left touching something, the spots tried for each,
#: and the most arrows re-routed to clear one.
REPAIR_ROUNDS = 3
REPAIR_SPOTS = 40
MOST_BLOCKERS = 3
#: Spots tried for one label, trials (re-routings) in one update, and the most arrows
#: an update repairs after: beyond that a map opens fast rather than perfect.
REPAIR_TRIES = 4
REPAIR_TRIALS = 60
REPAIR_MOST = 1500


@dataclass(frozen=True)
class Route:
    """Where an arrow runs: its kind, its polyline up to its head (none for a
    self-loop, which the canvas draws from the card), its head and its label."""

    kind: str
    points: tuple[Point, ...]
    tip: Point
    direction: Point
    label: Box


class _Arrow:
    __slots__ = ("key", "label_size", "width", "above", "out_y", "in_y", "kind", "points",
                 "tip", "direction", "label", "order", "ranks")

    def __init__(self, key: Key, label_size: tuple[float, float], width: float, above: bool,
                 order: int) -> None:
        self.key = key
        self.label_size = label_size
        self.width = width
        self.above = above
        self.order = order
        self.out_y: float | None = None
        self.in_y: float | None = None
        self.ranks = (0, 0)  # its place among its source's ports out, its target's in
        self.kind = FORWARD
        self.points: list[Point] = []
        self.tip: Point = (0.0, 0.0)
        self.direction: Point = (1.0, 0.0)
        self.label: Box | None = None


class ArrowMap:
    """The routes and labels of every arrow between cards of one size."""

    def __init__(self, card_width: float, card_height: float) -> None:
        self.cards = CardIndex(card_width, card_height)
        self._arrows: dict[Key, _Arrow] = {}
        self._by_card: dict[str, set[Key]] = {}
        self._tracks = Tracks()
        self._strokes = BoxGrid()
        self._labels = BoxGrid()
        self._loops = BoxGrid()  # self-loops' arches, which other routes keep clear of
        self._dirty: set[Key] = set()
        self._dirty_ports: set[str] = set()
        self._moved: set[str] = set()
        self._relabel: set[Key] = set()
        self._added = 0
        self._repairs = 0  # trials left in this update
        self._most_tried = MOST_TRIED
        self._lines_kept = True  # whether labels are checked against lines in this update

    # -- edits ---------------------------------------------------------------------------
    def place_card(self, card_id: str, x: float, y: float) -> None:
        """Put (or move) a card, top-left at (x, y)."""
        if self.cards.position(card_id) == (x, y):
            return
        self.cards.place(card_id, x, y)
        self._moved.add(card_id)
        self._dirty_ports.add(card_id)
        for key in self._by_card.get(card_id, ()):
            self._dirty.add(key)
            self._dirty_ports.update(key)

    def remove_card(self, card_id: str) -> None:
        """Take a card away; its arrows stay unrouted until it comes back."""
        self.cards.remove(card_id)
        for key in self._by_card.get(card_id, ()):
            self._unlay(key)
            self._dirty_ports.update(key)

    def add_arrow(self, key: Key, label_size: tuple[float, float], width: float = 1.0,
                  above: bool = False) -> None:
        if key in self._arrows:
            self.remove_arrow(key)
        self._added += 1
        self._arrows[key] = _Arrow(key, label_size, width, above, self._added)
        for end in key:
            self._by_card.setdefault(end, set()).add(key)
        self._dirty.add(key)
        self._dirty_ports.update(key)

    def remove_arrow(self, key: Key) -> None:
        arrow = self._arrows.pop(key, None)
        if arrow is None:
            return
        self._unlay(key)
        for end in key:
            keys = self._by_card.get(end)
            if keys is not None:
                keys.discard(key)
        self._dirty.discard(key)
        self._relabel.discard(key)
        self._dirty_ports.update(key)

    def set_width(self, key: Key, width: float) -> None:
        """A new stroke width: labels its wider line now covers move."""
        arrow = self._arrows.get(key)
        if arrow is None or arrow.width == width:
            return
        wider = width > arrow.width
        arrow.width = width
        if key in self._dirty or not arrow.points and arrow.kind != SELF:
            return
        if not self._strokes.boxes(key):  # routed quickly: its line is not kept for labels
            if wider and arrow.label is not None and meet(arrow.label, self._head(arrow)):
                self._relabel.add(key)
            return
        self._strokes.remove(key)
        for box in self._stroke_boxes(arrow):
            self._strokes.add(key, box)
            if wider:
                self._relabel.update(k for k in self._labels.owners_hit(box, key)
                                     if isinstance(k, tuple))
        if wider and arrow.label is not None and meet(arrow.label, self._head(arrow)):
            self._relabel.add(key)

    def set_label_size(self, key: Key, size: tuple[float, float]) -> None:
        arrow = self._arrows.get(key)
        if arrow is not None and arrow.label_size != size:
            arrow.label_size = size
            self._relabel.add(key)

    def set_above(self, key: Key, above: bool) -> None:
        arrow = self._arrows.get(key)
        if arrow is not None and arrow.above != above:
            arrow.above = above
            self._dirty.add(key)

    # -- results -------------------------------------------------------------------------
    def route(self, key: Key) -> Route | None:
        arrow = self._arrows.get(key)
        if arrow is None or arrow.label is None:
            return None
        return Route(arrow.kind, tuple(arrow.points), arrow.tip, arrow.direction, arrow.label)

    def routed(self, key: Key) -> bool:
        arrow = self._arrows.get(key)
        return arrow is not None and arrow.label is not None

    def keys(self) -> Iterable[Key]:
        return self._arrows.keys()

    def touched_labels(self) -> dict[Key, set[str]]:
        """The labels that overlap a card, another label or another arrow's line or head,
        and what they overlap: empty when every label sits clear."""
        touched: dict[Key, set[str]] = {}
        for key, arrow in self._arrows.items():
            if arrow.label is None:
                continue
            what = self._overlaps(key, arrow, arrow.label, first=False)
            if what:
                touched[key] = what
        return touched

    # -- routing -------------------------------------------------------------------------
    def update(self) -> set[Key]:
        """Route and label whatever the edits since the last update affect; the arrows
        whose route or label changed."""
        steps = self.updating()
        while True:
            try:
                next(steps)
            except StopIteration as done:
                changed: set[Key] = done.value
                return changed

    def updating(self) -> Generator[None, None, set[Key]]:
        """`update` a step at a time: it pauses after each arrow routed or labelled, so a
        window can route thousands between its frames (nothing may change the map
        until it is done); it returns the arrows whose route or label changed."""
        self._reassign_ports()
        for card_id in self._moved:
            if card_id in self.cards:
                box = self.cards.box(card_id)
                self._dirty.update(k for k in self._strokes.owners_hit(box)
                                   if isinstance(k, tuple))
        dirty = {k for k in self._dirty if k in self._arrows and all(e in self.cards for e in k)}
        for key in dirty:
            self._unlay(key)
        # every line first (round the labels already placed where it can), then the
        # labels, each knowing every line
        finder = RouteFinder(self.cards, self._tracks, self._labels, self._loops)
        finder.columns = self._columns()
        finder.quick = len(dirty) > FIRST_FIT
        finder.first_fit = len(dirty) > FIRST_FIT
        self._lines_kept = len(dirty) <= QUICK
        big = len(dirty) > FIRST_FIT
        self._most_tried = QUICK_TRIED if not self._lines_kept else \
            BIG_TRIED if big else MOST_TRIED
        for arrow in sorted((self._arrows[k] for k in dirty), key=self._route_order):
            self._lay(arrow, finder)
            yield
        for arrow in sorted((self._arrows[k] for k in dirty), key=self._label_order):
            self._place_label(arrow)
            yield
        relabel = {k for k in self._relabel if k in self._arrows and k not in dirty
                   and self._arrows[k].label is not None}
        if len(dirty) < len(self._arrows):  # labels placed before may lie in the way
            for key in dirty:
                for box in self._strokes.boxes(key):
                    relabel.update(k for k in self._labels.owners_hit(box, key)
                                   if isinstance(k, tuple))
            for card_id in self._moved:
                if card_id in self.cards:
                    relabel.update(k for k in self._labels.owners_hit(
                        grow(self.cards.box(card_id), CARD_GAP)) if isinstance(k, tuple))
        relabel -= dirty
        for key in relabel:
            self._labels.remove(key)
        for arrow in sorted((self._arrows[k] for k in relabel), key=self._label_order):
            self._place_label(arrow)
        relabel |= dirty
        relabel |= self._repair(relabel, finder)
        self._dirty.clear()
        self._dirty_ports.clear()
        self._moved.clear()
        self._relabel.clear()
        return relabel

    # -- repair: clear a label's spot by moving the lines in its way ------------------------
    def _repair(self, keys: set[Key], finder: RouteFinder) -> set[Key]:
        """Labels left touching something get a spot cleared for them where re-routing
        the few arrows in its way leaves fewer labels touched; the arrows changed."""
        changed: set[Key] = set()
        if len(keys) > REPAIR_MOST:
            return changed  # a map this big opens fast rather than perfect
        big = len(keys) > FIRST_FIT
        self._repairs = BIG_REPAIR_TRIALS if big else REPAIR_TRIALS
        for _ in range(1 if big else REPAIR_ROUNDS):
            touched = [k for k in sorted(keys | changed, key=lambda k: self._arrows[k].order)
                       if k in self._arrows and self._is_touched(k)]
            progress = False
            for key in touched:
                if self._is_touched(key):  # lines may have moved off a spot since
                    self._labels.remove(key)
                    self._place_label(self._arrows[key])
                    changed.add(key)
                if self._is_touched(key):
                    moved = self._clear_spot(self._arrows[key], finder)
                    if moved:
                        changed |= moved
                        progress = True
            if not progress:
                break
        return changed

    def _is_touched(self, key: Key) -> bool:
        arrow = self._arrows[key]
        return arrow.label is not None and bool(self._overlaps(key, arrow, arrow.label, True))

    def _clear_spot(self, arrow: _Arrow, finder: RouteFinder) -> set[Key]:
        """Try the spots with the fewest arrows in their way: re-route those round the
        spot; keep that if fewer labels are touched, else put everything back."""
        if self._repairs <= 0:
            return set()
        self._repairs -= 1  # looking costs too
        options: list[tuple[int, int, Box, set[Key]]] = []
        for n, centre in enumerate(self._spots(arrow)):
            if n >= REPAIR_SPOTS:
                break
            box = centred(centre, arrow.label_size)
            if self.cards.blocked(*grow(box, CARD_GAP)) or meet(box, self._head(arrow)):
                continue
            blockers = {k for k in self._strokes.owners_hit(box, arrow.key)
                        if isinstance(k, tuple)}
            blockers |= {k for k in self._labels.owners_hit(grow(box, LABEL_GAP), arrow.key)
                         if isinstance(k, tuple)}
            if len(blockers) <= MOST_BLOCKERS:
                options.append((len(blockers), n, box, blockers))
        options.sort(key=lambda option: option[:2])
        tried: set[frozenset[Key]] = set()
        for _, _, spot, blockers in options:
            if self._repairs <= 0:
                break
            if frozenset(blockers) in tried and len(tried) >= 2:
                continue
            tried.add(frozenset(blockers))
            self._repairs -= 1
            changed = self._try_spot(arrow, spot, blockers, finder)
            if changed:
                return changed
            if len(tried) >= REPAIR_TRIES:
                break
        return set()

    def _try_spot(self, arrow: _Arrow, spot: Box, blockers: set[Key], finder: RouteFinder
                  ) -> set[Key]:
        around = self._labels_near(blockers)
        involved = {arrow.key} | blockers | around
        before = sum(self._is_touched(k) for k in involved)
        saved = {k: self._save(k) for k in involved}
        for key in blockers:
            self._unlay(key)
        self._labels.remove(arrow.key)
        arrow.label = spot
        self._labels.add(arrow.key, spot)
        for other in sorted((self._arrows[k] for k in blockers), key=self._route_order):
            self._lay(other, finder)
        for other in sorted((self._arrows[k] for k in blockers), key=self._label_order):
            self._place_label(other)
        victims = (self._labels_near(blockers) - involved)
        for key in victims:
            saved[key] = self._save(key)
            before += self._is_touched(key)
            self._labels.remove(key)
        for key in victims:
            self._place_label(self._arrows[key])
        involved |= victims
        after = sum(self._is_touched(k) for k in involved)
        if after < before:
            return involved
        for key in involved:
            self._unlay(key)
        for key in involved:
            self._restore(key, saved[key])
        return set()

    def _labels_near(self, keys: Iterable[Key]) -> set[Key]:
        """The labels that the lines of `keys` cross."""
        near: set[Key] = set()
        for key in keys:
            for box in self._strokes.boxes(key):
                near.update(k for k in self._labels.owners_hit(box, key) if isinstance(k, tuple))
        return near

    def _save(self, key: Key) -> tuple[str, list[Point], Point, Point, Box | None]:
        a = self._arrows[key]
        return a.kind, list(a.points), a.tip, a.direction, a.label

    def _restore(self, key: Key, saved: tuple[str, list[Point], Point, Point, Box | None]
                 ) -> None:
        arrow = self._arrows[key]
        arrow.kind, arrow.points, arrow.tip, arrow.direction, arrow.label = saved
        if arrow.kind != SELF:
            self._tracks.add(key, arrow.points)
        else:
            self._loops.add(key, grow(self_loop_box(self._box(key[0]), arrow.width), CARD_GAP))
        for box in self._stroke_boxes(arrow):
            self._strokes.add(key, box)
        if arrow.label is not None:
            self._labels.add(key, arrow.label)

    def _columns(self) -> dict[str, float]:
        """How far right of each card its label column reaches: its widest label out,
        and room either side."""
        columns: dict[str, float] = {}
        for (source, target), arrow in self._arrows.items():
            if source != target:
                width = arrow.label_size[0] + CARD_GAP + LABEL_PAD
                if width > columns.get(source, 0.0):
                    columns[source] = width
        return columns

    def _box(self, card_id: str) -> Box:
        return self.cards.box(card_id)

    def _reassign_ports(self) -> None:
        """Spread each card's arrows over its sides, in the order of where they go, so
        arrows out of (or into) one card leave (or arrive) apart; an arrow into a card
        arrives level with where it left where it can, so it runs straight."""
        cards = self.cards
        ins_to_do = set()
        for card_id in self._dirty_ports:
            if card_id not in cards:
                continue
            ins_to_do.add(card_id)
            box = self._box(card_id)
            outs = sorted((self._out_rank(box, self._box(key[1]), key), key)
                          for key in self._by_card.get(card_id, ())
                          if key[0] == card_id and key[1] != card_id and key[1] in cards)
            for n, ((_, key), y) in enumerate(zip(outs, port_positions(box[1], box[3],
                                                                        len(outs)), strict=True)):
                arrow = self._arrows[key]
                arrow.ranks = (n, arrow.ranks[1])
                if arrow.out_y != y:
                    arrow.out_y = y
                    self._dirty.add(key)
                    ins_to_do.add(key[1])
        for card_id in ins_to_do:
            if card_id not in cards:
                continue
            box = self._box(card_id)
            ins = sorted((self._in_rank(self._box(key[0]), box, key), key)
                         for key in self._by_card.get(card_id, ())
                         if key[1] == card_id and key[0] != card_id and key[0] in cards)
            ideals = [rank[0] for rank, _ in ins]
            for n, ((_, key), y) in enumerate(zip(ins, settle(ideals, box[1] + PORT_MARGIN,
                                                              box[3] - PORT_MARGIN), strict=True)):
                arrow = self._arrows[key]
                arrow.ranks = (arrow.ranks[0], len(ins) - 1 - n)  # the lowest port turns last
                if arrow.in_y != y:
                    arrow.in_y = y
                    self._dirty.add(key)

    def _out_rank(self, source: Box, target: Box, key: Key) -> tuple[float, float, Key]:
        """Arrows heading up leave from the top, loops round below from the bottom."""
        centre = (target[1] + target[3]) / 2
        if target[0] - source[2] >= FORWARD_GAP:
            return (centre, 0.0, key)
        side = -1e9 if self._arrows[key].above else 1e9
        return (side + centre, -target[0], key)

    def _in_rank(self, source: Box, target: Box, key: Key) -> tuple[float, float, Key]:
        """Where an arrow would like to arrive: level with its port on a card to the
        left; at the bottom (or top) for a loop round."""
        if target[0] - source[2] >= FORWARD_GAP:
            out_y = self._arrows[key].out_y
            return (out_y if out_y is not None else (source[1] + source[3]) / 2, 0.0, key)
        if self._arrows[key].above:
            return (target[1] - (source[1] + source[3]) / 2 * 1e-6, source[0], key)
        return (target[3] + (source[1] + source[3]) / 2 * 1e-6, source[0], key)

    def _route_order(self, arrow: _Arrow) -> tuple[int, float, int]:
        """Self-loops (fixed) first, then forward arrows, shortest first, then loops."""
        if arrow.key[0] == arrow.key[1]:
            return (0, 0.0, arrow.order)
        source, target = (self._box(end) for end in arrow.key)
        forward = target[0] - source[2] >= FORWARD_GAP
        return (1 if forward else 2, abs(target[0] - source[2]), arrow.order)

    def _label_order(self, arrow: _Arrow) -> tuple[float, int]:
        points = arrow.points
        length = sum(abs(x2 - x1) + abs(y2 - y1)
                     for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False))
        return (length, arrow.order)

    def _lay(self, arrow: _Arrow, finder: RouteFinder) -> None:
        source_id, target_id = arrow.key
        source = self._box(source_id)
        if source_id == target_id:
            arrow.kind, arrow.points = SELF, []
            spread = (source[2] - source[0]) * 0.15
            arrow.tip, arrow.direction = ((source[0] + source[2]) / 2 - spread, source[1]), \
                (0.0, 1.0)
        else:
            target = self._box(target_id)
            start_y = arrow.out_y if arrow.out_y is not None else (source[1] + source[3]) / 2
            end_y = arrow.in_y if arrow.in_y is not None else (target[1] + target[3]) / 2
            arrow.kind, arrow.points = finder.find(arrow.key, source, target, arrow.key,
                                                   start_y, end_y, arrow.above, arrow.ranks)
            arrow.tip, arrow.direction = (target[0], end_y), (1.0, 0.0)
        if arrow.kind == SELF:
            self._loops.add(arrow.key, grow(self_loop_box(source, arrow.width), CARD_GAP))
        if not self._lines_kept:
            return  # a map this big: labels keep clear of cards and labels only
        if arrow.kind != SELF:
            self._tracks.add(arrow.key, arrow.points)
        for box in self._stroke_boxes(arrow):
            self._strokes.add(arrow.key, box)

    def _unlay(self, key: Key) -> None:
        self._loops.remove(key)
        self._tracks.remove(key)
        self._strokes.remove(key)
        self._labels.remove(key)
        arrow = self._arrows.get(key)
        if arrow is not None:
            arrow.label = None

    def _stroke_boxes(self, arrow: _Arrow) -> list[Box]:
        if arrow.kind == SELF:
            return [self_loop_box(self._box(arrow.key[0]), arrow.width), self._head(arrow)]
        return [*stroke_boxes(arrow.points, arrow.width), self._head(arrow)]

    def _head(self, arrow: _Arrow) -> Box:
        return head_box(arrow.tip, arrow.direction, arrow.width)

    # -- labels --------------------------------------------------------------------------
    def _spots(self, arrow: _Arrow) -> Iterable[Point]:
        if arrow.kind == SELF:
            return self_loop_spots(self._box(arrow.key[0]), arrow.label_size)
        (x, y), (x2, _) = arrow.points[0], arrow.points[1]
        first = arrow.label_size[0] / 2 + CARD_GAP + 1
        if x2 - x >= 2 * first:  # by the card, on the run out of it: most labels sit here
            return chain([(x + first, y)], spots_along(arrow.points, first + STEP))
        # by its source first: where the arrow leaves, beside the card it leaves
        return spots_along(arrow.points, arrow.label_size[0] / 2 + CARD_GAP + 1)

    def _place_label(self, arrow: _Arrow) -> None:
        size = arrow.label_size
        centres = self._spots(arrow)
        chosen = fallback = None
        for n, centre in enumerate(centres):
            if n >= self._most_tried:
                break
            box = centred(centre, size)
            what = self._overlaps(arrow.key, arrow, box, first=True)
            if not what:
                chosen = box
                break
            if fallback is None or what == {"line"} and fallback[1] != {"line"}:
                fallback = (box, what)  # the first spot clear of cards and labels
        if chosen is None:
            chosen = fallback[0] if fallback is not None else centred(arrow.tip, size)
        arrow.label = chosen
        self._labels.add(arrow.key, chosen)

    def _overlaps(self, key: Key, arrow: _Arrow, box: Box, first: bool) -> set[str]:
        """What `box` would overlap as `arrow`'s label (stopping at the first if `first`)."""
        found: set[str] = set()
        if self.cards.blocked(*grow(box, CARD_GAP)):
            found.add("card")
            if first:
                return found
        if self._labels.any_hit(grow(box, LABEL_GAP), key):
            found.add("label")
            if first:
                return found
        if self._strokes.any_hit(box, key) or meet(box, self._head(arrow)):
            found.add("line")
        return found

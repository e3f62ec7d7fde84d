"""The shape of one arrow's route, given the cards and the routes already laid.

Every route leaves its source's right edge at its port and enters its target's left
edge at its port, in horizontal and vertical runs (the canvas rounds the corners):

- straight across, when the two ports are level and nothing is between;
- one jog: out, along a gutter between the two cards, in;
- round by a level: out, down (or up) a gutter to the gap between two card rows,
  along it, up (or down) a gutter beside the target, in. Loops back and arrows
  that skip a lane take this shape.

Runs keep clear of cards, and of other arrows' runs: a run parallel to another within
`TRACK` of it, over any common stretch, takes the next track of its gutter instead.
So two arrows never share a line, and the gaps between them hold the labels.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator

from cx_mapper.engine.routing.geometry import Box, BoxGrid, CardIndex, Point

FORWARD = "forward"
BACKWARD = "backward"
SIDEWAYS = "sideways"
SELF = "self"

#: The head's length for the thinnest line; a line of width w has ARROW_HEAD + 1.5 w.
ARROW_HEAD = 9.0
#: The thinnest line an arrow is drawn with.
MIN_WIDTH = 0.75
#: How far short of its target a route stops: the shortest head covers the rest.
ROUTE_HEAD = ARROW_HEAD + MIN_WIDTH * 1.5
#: Room between the cards for a forward route (else it goes round, as a loop does).
FORWARD_GAP = 40.0
#: The shortest run out of a card before a turn, and into one after the last turn.
STUB = 14.0
IN_STUB = 12.0
#: Between parallel runs of different arrows.
TRACK = 6.0
#: How close a run may pass a card that is not its own end.
CARD_PAD = 6.0
#: Where a run between card rows goes: this far outside a row (mid-gap on the layout grid).
CHANNEL = 22.0
#: Corner radius the canvas rounds routes with.
CORNER = 14.0
#: The self-loop's height above its card.
SELF_LOOP_HEIGHT = 26.0
#: Ports on a card's side: at most this far apart, and this far inside its corners.
PORT_GAP = 12.0
PORT_MARGIN = 12.0
#: How many tracks either side of a nominal one are tried.
TRIES = 7


def head_length(width: float) -> float:
    return ARROW_HEAD + width * 1.5


def kind_of(source: Box, target: Box, same: bool) -> str:
    if same:
        return SELF
    if target[0] - source[2] >= FORWARD_GAP:
        return FORWARD
    if target[0] + target[2] < source[0] + source[2]:
        return BACKWARD
    return SIDEWAYS


def port_positions(top: float, bottom: float, count: int) -> list[float]:
    """Where `count` ports sit on a card side from `top` to `bottom`, top first."""
    centre = (top + bottom) / 2
    if count <= 1:
        return [centre][:count]
    gap = min(PORT_GAP, (bottom - top - 2 * PORT_MARGIN) / (count - 1))
    return [centre + (i - (count - 1) / 2) * gap for i in range(count)]


class Tracks:
    """The horizontal and vertical runs laid so far, by arrow: which tracks are taken."""

    def __init__(self) -> None:
        self.across = BoxGrid()  # horizontal runs, as boxes of no height
        self.down = BoxGrid()  # vertical runs, as boxes of no width

    def add(self, owner: Hashable, points: list[Point]) -> None:
        for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
            if y1 == y2:
                self.across.add(owner, (min(x1, x2), y1, max(x1, x2), y1))
            else:
                self.down.add(owner, (x1, min(y1, y2), x1, max(y1, y2)))

    def remove(self, owner: Hashable) -> None:
        self.across.remove(owner)
        self.down.remove(owner)

    def free_across(self, y: float, x1: float, x2: float, owner: Hashable) -> bool:
        near = TRACK - 0.01
        return not self.across.any_hit((min(x1, x2) - 1, y - near, max(x1, x2) + 1, y + near),
                                       owner)

    def free_down(self, x: float, y1: float, y2: float, owner: Hashable) -> bool:
        near = TRACK - 0.01
        return not self.down.any_hit((x - near, min(y1, y2) - 1, x + near, max(y1, y2) + 1),
                                     owner)


def _tracks(nominal: float, low: float, high: float, outward: float) -> Iterator[float]:
    """Tracks from `nominal` within [low, high]: first the way `outward` points (+1 or
    -1), then both ways alternately when it is 0."""
    if outward:
        for k in range(2 * TRIES + 1):
            value = nominal + outward * k * TRACK
            if low <= value <= high:
                yield value
        return
    for k in range(TRIES + 1):
        for value in ((nominal,) if k == 0 else (nominal + k * TRACK, nominal - k * TRACK)):
            if low <= value <= high:
                yield value


class RouteFinder:
    """Finds a route between two cards that keeps clear of the others and of the
    tracks already taken; the least crowded one if every candidate is taken."""

    def __init__(self, cards: CardIndex, tracks: Tracks) -> None:
        self.cards = cards
        self.tracks = tracks

    def _clear_across(self, y: float, x1: float, x2: float, ends: tuple[str, ...]) -> bool:
        return not self.cards.blocked(min(x1, x2), y - CARD_PAD, max(x1, x2), y + CARD_PAD,
                                      ends)

    def _clear_down(self, x: float, y1: float, y2: float) -> bool:
        return not self.cards.blocked(x - CARD_PAD, min(y1, y2), x + CARD_PAD, max(y1, y2))

    def find(self, key: Hashable, source: Box, target: Box, ends: tuple[str, str],
             start_y: float, end_y: float, above: bool) -> tuple[str, list[Point]]:
        kind = kind_of(source, target, False)
        start, end = (source[2], start_y), (target[0] - ROUTE_HEAD, end_y)
        if kind == FORWARD:
            points = self._straight_or_jog(key, start, end, ends)
            if points is not None:
                return kind, points
        return kind, self._by_level(key, source, target, start, end, ends, above)

    def _straight_or_jog(self, key: Hashable, start: Point, end: Point,
                         ends: tuple[str, str]) -> list[Point] | None:
        (sx, sy), (ex, ey) = start, end
        tracks = self.tracks
        if abs(sy - ey) < 0.5 and self._clear_across(sy, sx, ex, ends) \
                and tracks.free_across(sy, sx, ex, key):
            return [start, (ex, sy)]
        low, high = sx + STUB, ex - IN_STUB
        if low > high:
            return None
        src, tgt = (ends[0],), (ends[1],)
        for x in _tracks((low + high) / 2, low, high, 0):
            if self._clear_across(sy, sx, x, src) and self._clear_down(x, sy, ey) \
                    and self._clear_across(ey, x, ex, tgt) \
                    and tracks.free_down(x, sy, ey, key) and tracks.free_across(sy, sx, x, key) \
                    and tracks.free_across(ey, x, ex, key):
                return [start, (x, sy), (x, ey), end]
        return None

    def _by_level(self, key: Hashable, source: Box, target: Box, start: Point, end: Point,
                  ends: tuple[str, str], above: bool) -> list[Point]:
        (sx, sy), (ex, ey) = start, end
        levels = [(source[3] + CHANNEL, 1.0), (source[1] - CHANNEL, -1.0),
                  (target[3] + CHANNEL, 1.0), (target[1] - CHANNEL, -1.0)]
        side = -1.0 if above else 1.0
        levels.sort(key=lambda lv: (abs(lv[0] - sy) + abs(lv[0] - ey), lv[1] != side))
        tracks = self.tracks
        src, tgt = (ends[0],), (ends[1],)
        best: tuple[int, list[Point]] | None = None
        for nominal, _ in levels:
            # a level: clear of cards along the whole way, free if it can be
            level, level_free = None, False
            x1_guess, x2_guess = sx + STUB, ex - IN_STUB
            for y in _tracks(nominal, nominal - CHANNEL + CARD_PAD,
                             nominal + CHANNEL - CARD_PAD, 0):
                if not self._clear_across(y, x1_guess, x2_guess, ()):
                    continue
                if tracks.free_across(y, x1_guess, x2_guess, key):
                    level, level_free = y, True
                    break
                if level is None:
                    level = y
            if level is None:
                continue
            x1, x1_free = self._gutter(
                key, sx + STUB, 1.0, sy, level,
                lambda x: self._clear_across(sy, sx, x, src),
                lambda x: tracks.free_across(sy, sx, x, key))
            x2, x2_free = self._gutter(
                key, ex - IN_STUB, -1.0, level, ey,
                lambda x: self._clear_across(ey, x, ex, tgt),
                lambda x: tracks.free_across(ey, x, ex, key))
            if x1 is None or x2 is None:
                continue
            points = [start, (x1, sy), (x1, level), (x2, level), (x2, ey), end]
            taken = (not level_free) + (not x1_free) + (not x2_free)
            if taken == 0:
                return points
            if best is None or taken < best[0]:
                best = (taken, points)
        if best is not None:
            return best[1]
        # boxed in on every side: round below both, through whatever is there
        level = max(source[3], target[3]) + CHANNEL
        x1, x2 = max(sx, target[2]) + STUB, min(ex, source[0]) - IN_STUB
        return [start, (x1, sy), (x1, level), (x2, level), (x2, ey), end]

    def _gutter(self, key: Hashable, nominal: float, outward: float, y1: float, y2: float,
                stub_clear: Callable[[float], bool], stub_free: Callable[[float], bool],
                ) -> tuple[float | None, bool]:
        """A vertical run's x from `nominal` outward, clear of cards with the run that
        joins it to its card; free of other tracks if it can be."""
        found = None
        for x in _tracks(nominal, -1e12, 1e12, outward):
            if not self._clear_down(x, y1, y2) or not stub_clear(x):
                continue
            if self.tracks.free_down(x, y1, y2, key) and stub_free(x):
                return x, True
            if found is None:
                found = x
        return found, False

"""The shape of one arrow's route, given the cards and the routes already laid.

Every route leaves its source's right edge at its port and enters its target's left
edge at its port, in horizontal and vertical runs (the canvas rounds the corners):

- straight across, when the two ports are level and nothing is between;
- one jog: out, along a gutter between the two cards, in;
- round by a level: out, down (or up) a gutter to the gap between two card rows,
  along it, up (or down) a gutter beside the target, in. Loops back and arrows
  that skip a lane take this shape.

Runs keep clear of cards, and of the column beside each card's right edge where the
labels of its arrows sit. A vertical run packs towards the target's side of its
gutter, `TRACK` from the runs already there; a level spreads from the runs along its
gap; so two arrows never share a line. Where a gutter is full a run goes where it is
furthest from the others.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Hashable

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
IN_STUB = 6.0
#: Where a route leaving a card for a level turns: past the labels beside the card.
LABELLED_STUB = 60.0
#: The furthest a label column reaches from its card, and how far its labels stand
#: above and below the card.
COLUMN_REACH = 80.0
COLUMN_OVERHANG = 6.0
#: Parallel runs nearer than this count as one line.
MIN_ROOM = 2.0
#: Between parallel runs of different arrows.
TRACK = 4.0
#: How close a run may pass a card that is not its own end.
CARD_PAD = 6.0
#: How close a run may pass another arrow's label: the widest line's half and a gap.
LABEL_PAD = 5.0
#: Where a run between card rows goes: this far outside a row (mid-gap on the layout grid).
CHANNEL = 22.0
#: Corner radius the canvas rounds routes with.
CORNER = 14.0
#: The self-loop's height above its card.
SELF_LOOP_HEIGHT = 26.0
#: Ports on a card's side: at most this far apart, and this far inside its corners.
#: Ports out are further apart: each arrow's label sits by its port, one above another.
PORT_GAP = 12.0
PORT_MARGIN = 4.0
OUT_PORT_GAP = 17.0
OUT_PORT_MARGIN = 4.0


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
    """Where `count` ports out sit on a card's side from `top` to `bottom`, top first."""
    centre = (top + bottom) / 2
    if count <= 1:
        return [centre][:count]
    gap = min(OUT_PORT_GAP, (bottom - top - 2 * OUT_PORT_MARGIN) / (count - 1))
    return [centre + (i - (count - 1) / 2) * gap for i in range(count)]


#: Runs are filed by their coordinate across, in bands this wide, and along, in
#: stretches this long.
BAND = 24.0
CHUNK = 480.0

_Run = tuple[float, float, float, Hashable]  # from, to (along), at (across), owner


class _Runs:
    """Parallel runs (all horizontal or all vertical), filed by band of the coordinate
    across them and by stretch of the one along them: which runs lie within a stretch
    of that coordinate and overlap a span."""

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], list[_Run]] = {}
        self._owned: dict[Hashable, list[tuple[tuple[int, int], _Run]]] = {}

    def add(self, owner: Hashable, at: float, start: float, stop: float) -> None:
        band = int(at // BAND)
        run = (min(start, stop), max(start, stop), at, owner)
        owned = self._owned.setdefault(owner, [])
        for chunk in range(int(run[0] // CHUNK), int(run[1] // CHUNK) + 1):
            cell = (band, chunk)
            self._cells.setdefault(cell, []).append(run)
            owned.append((cell, run))

    def remove(self, owner: Hashable) -> None:
        for cell, run in self._owned.pop(owner, ()):
            runs = self._cells[cell]
            runs.remove(run)
            if not runs:
                del self._cells[cell]

    def runs(self, low: float, high: float, start: float, stop: float,
             owner: Hashable) -> list[_Run]:
        """The runs of others within [low, high] across that overlap (start, stop) along."""
        found = []
        cells = self._cells
        chunks = range(int(start // CHUNK), int(stop // CHUNK) + 1)
        for band in range(int(low // BAND), int(high // BAND) + 1):
            for chunk in chunks:
                for run in cells.get((band, chunk), ()):
                    if run[0] < stop and run[1] > start and low <= run[2] <= high \
                            and run[3] != owner:
                        found.append(run)
        return found

    def near(self, low: float, high: float, start: float, stop: float,
             owner: Hashable) -> list[float]:
        """Where the runs of others lie that are within [low, high] across and overlap
        (start, stop) along."""
        return list({run[2] for run in self.runs(low, high, start, stop, owner)})


def settle(ideals: list[float], low: float, high: float) -> list[float]:
    """Ports as near their `ideals` (in order) as they can be, kept in order, at least
    PORT_GAP apart (closer where the side is short) and within [low, high]."""
    count = len(ideals)
    if count == 0:
        return []
    gap = PORT_GAP if count == 1 else min(PORT_GAP, (high - low) / (count - 1))
    ys = [min(max(y, low), high) for y in ideals]
    for i in range(1, count):
        ys[i] = max(ys[i], ys[i - 1] + gap)
    ys[-1] = min(ys[-1], high)
    for i in range(count - 2, -1, -1):
        ys[i] = min(ys[i], ys[i + 1] - gap)
    ys[0] = max(ys[0], low)
    for i in range(1, count):
        ys[i] = max(ys[i], ys[i - 1] + gap)
    return ys


class Tracks:
    """The horizontal and vertical runs laid so far, by arrow: which tracks are taken."""

    def __init__(self) -> None:
        self.across = _Runs()  # horizontal runs: along x, at a y
        self.down = _Runs()  # vertical runs: along y, at an x

    def add(self, owner: Hashable, points: list[Point]) -> None:
        for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
            if y1 == y2:
                self.across.add(owner, y1, x1, x2)
            else:
                self.down.add(owner, x1, y1, y2)

    def remove(self, owner: Hashable) -> None:
        self.across.remove(owner)
        self.down.remove(owner)

    def reach(self, y: float, x: float, toward: float, owner: Hashable) -> float:
        """How far a horizontal run at `y` from `x` may go `toward` (+1 right, -1 left)
        before it runs along another arrow's; `x` itself if it would at once."""
        near = TRACK - 0.01
        if toward > 0:
            runs = self.across.runs(y - near, y + near, x, x + 2 * REACH, owner)
            return min([x + 2 * REACH, *(max(x, a - TRACK) for a, _, _, _ in runs)])
        runs = self.across.runs(y - near, y + near, x - 2 * REACH, x, owner)
        return max([x - 2 * REACH, *(min(x, b + TRACK) for _, b, _, _ in runs)])

    def free_across(self, y: float, x1: float, x2: float, owner: Hashable) -> bool:
        near = TRACK - 0.01
        return not self.across.near(y - near, y + near, min(x1, x2) - 1, max(x1, x2) + 1,
                                    owner)


#: How far either side of its nominal place a run may move to spread out.
REACH = 80.0
#: Runs this far apart leave room for a label between them: a label's half width
#: beside a vertical run, its half height beside a horizontal one.
ROOMY_DOWN = TRACK
ROOMY_ACROSS = 13.0
#: How many places for a run are weighed.
PLACES = 6


def allowed(low: float, high: float, blocked: list[tuple[float, float]]
            ) -> list[tuple[float, float]]:
    """[low, high] less the `blocked` stretches."""
    stretches = []
    edge = low
    for a, b in sorted(blocked):
        if a > high:
            break
        if a > edge:
            stretches.append((edge, a))
        edge = max(edge, b)
    if edge <= high:
        stretches.append((edge, high))
    return [(a, b) for a, b in stretches if a <= b]


def spread(nominal: float, stretches: list[tuple[float, float]], others: list[float],
           roomy: float) -> list[tuple[float, float]]:
    """Places for a run within `stretches` given parallel runs at `others`, best first,
    each with its distance to the nearest of them.

    Best is the place nearest `nominal` at least `roomy` from every other run; then
    the other roomy stretches, nearest first; then, where nothing is roomy, the
    places furthest from the others (an edge or the middle of the widest gap).
    """
    if not stretches:
        return []
    if not others:
        return sorted(((min(max(nominal, a), b), float("inf")) for a, b in stretches),
                      key=lambda place: abs(place[0] - nominal))[:PLACES]
    others = sorted(set(others))
    last = len(others) - 1

    def distance(x: float) -> float:
        i = bisect_left(others, x)
        return min(abs(x - others[min(i, last)]), abs(x - others[max(i - 1, 0)]))

    roomy_stretches = []
    for low, high in stretches:
        roomy_stretches += allowed(low, high, [(o - roomy, o + roomy) for o in others
                                               if low - roomy <= o <= high + roomy])
    if roomy_stretches:
        places = sorted((abs(x - nominal), x) for x in
                        (min(max(nominal, a), b) for a, b in roomy_stretches))
        return [(x, distance(x)) for _, x in places[:PLACES]]
    candidates = []
    for low, high in stretches:
        candidates += [low, high]
        candidates += [(a + b) / 2 for a, b in zip(others, others[1:], strict=False)
                       if low <= (a + b) / 2 <= high]
    ranked = sorted((-distance(x), abs(x - nominal), x) for x in candidates)
    return [(x, -d) for d, _, x in ranked[:PLACES]]


class RouteFinder:
    """Finds a route between two cards that keeps clear of the others, and spreads its
    runs away from the runs already laid; the least crowded one if none is clear."""

    def __init__(self, cards: CardIndex, tracks: Tracks, *avoid: BoxGrid) -> None:
        self.cards = cards
        self.tracks = tracks
        self.avoid = avoid  # labels, self-loops: kept clear of where a clear route does
        self.avoid_labels = False
        #: How wide the column of labels beside each card's right edge is: vertical runs
        #: pass right of it, so lines never cross the labels by a card.
        self.columns: dict[str, float] = {}
        #: A quick route for each arrow of a very big map (see `quick`).
        self.quick = False
        #: Take the nearest level that fits, crowded or not (a big map: less searching).
        self.first_fit = False

    def _avoided(self, box: Box) -> bool:
        return self.avoid_labels and any(grid.any_hit(box) for grid in self.avoid)

    def _avoided_boxes(self, box: Box) -> list[Box]:
        if not self.avoid_labels:
            return []
        return [found for grid in self.avoid for _, found in grid.hits(box)]

    def _clear_across(self, y: float, x1: float, x2: float, ends: tuple[str, ...]) -> bool:
        left, right = min(x1, x2), max(x1, x2)
        return not self.cards.blocked(left, y - CARD_PAD, right, y + CARD_PAD, ends) \
            and not self._avoided((left, y - LABEL_PAD, right, y + LABEL_PAD))

    def _clear_down(self, x: float, y1: float, y2: float) -> bool:
        top, bottom = min(y1, y2), max(y1, y2)
        return not self.cards.blocked(x - CARD_PAD, top, x + CARD_PAD, bottom) \
            and not self._avoided((x - LABEL_PAD, top, x + LABEL_PAD, bottom))

    # -- where a run may go ------------------------------------------------------------
    def _down_places(self, key: Hashable, nominal: float, y1: float, y2: float, low: float,
                     high: float, lean: bool = False) -> list[tuple[float, float]]:
        """Places for a vertical run from y1 to y2 near `nominal`, within [low, high],
        clear of cards (and labels, when avoiding them), best first."""
        top, bottom = min(y1, y2), max(y1, y2)
        low, high = max(low, nominal - REACH), min(high, nominal + REACH)
        if low > high:
            return []
        cards = self.cards
        # each card, and the column beside its right edge where its arrows' labels sit;
        # cards with one left edge block one stretch, as far right as the widest reaches
        blocked = [(left - CARD_PAD, left + cards.width + widest)
                   for left, widest in cards.widest_right(
                       low - CARD_PAD - COLUMN_REACH, top - COLUMN_OVERHANG,
                       high + CARD_PAD, bottom + COLUMN_OVERHANG, self.columns, CARD_PAD)]
        for box in self._avoided_boxes((low - LABEL_PAD, top, high + LABEL_PAD, bottom)):
            blocked.append((box[0] - LABEL_PAD, box[2] + LABEL_PAD))
        stretches = allowed(low, high, blocked)
        if not stretches:
            return []
        if lean:
            return spread(nominal, stretches, [], ROOMY_DOWN)
        others = self.tracks.down.near(stretches[0][0] - ROOMY_DOWN, stretches[-1][1] + ROOMY_DOWN,
                                       top, bottom, key)
        return spread(nominal, stretches, others, ROOMY_DOWN)

    def _across_places(self, key: Hashable, nominal: float, x1: float, x2: float
                       ) -> list[tuple[float, float]]:
        """Places for a horizontal run from x1 to x2 near level `nominal`, in the gap
        between card rows there, clear of cards (and labels, when avoiding them)."""
        left, right = min(x1, x2), max(x1, x2)
        low, high = nominal - CHANNEL + CARD_PAD, nominal + CHANNEL - CARD_PAD
        cards = self.cards
        blocked = []
        for card in cards.crossing(left, low - CARD_PAD, right, high + CARD_PAD):
            top = cards.position(card)[1]  # type: ignore[index]
            blocked.append((top - CARD_PAD, top + cards.height + CARD_PAD))
        for box in self._avoided_boxes((left, low - LABEL_PAD, right, high + LABEL_PAD)):
            blocked.append((box[1] - LABEL_PAD, box[3] + LABEL_PAD))
        stretches = allowed(low, high, blocked)
        if not stretches:
            return []
        others = self.tracks.across.near(stretches[0][0] - ROOMY_ACROSS,
                                         stretches[-1][1] + ROOMY_ACROSS, left, right, key)
        return spread(nominal, stretches, others, ROOMY_ACROSS)

    # -- routes --------------------------------------------------------------------------
    def find(self, key: Hashable, source: Box, target: Box, ends: tuple[str, str],
             start_y: float, end_y: float, above: bool,
             ranks: tuple[int, int] = (0, 0)) -> tuple[str, list[Point]]:
        """The route: round other arrows' labels where a clear one does that, else
        the best one across them. `ranks`: the arrow's place among its source's ports
        out and its target's ports in (a quick route takes its tracks from them)."""
        if self.quick:
            return self._quick(source, target, ends, start_y, end_y, above, ranks)
        if any(len(grid) for grid in self.avoid):
            self.avoid_labels = True
            kind, points, room = self._find(key, source, target, ends, start_y, end_y, above)
            self.avoid_labels = False
            if room >= MIN_ROOM:  # clear of the labels, and of the other lines
                return kind, points
        kind, points, _ = self._find(key, source, target, ends, start_y, end_y, above)
        return kind, points

    def _find(self, key: Hashable, source: Box, target: Box, ends: tuple[str, str],
              start_y: float, end_y: float, above: bool) -> tuple[str, list[Point], float]:
        """The route, and how near the nearest parallel run of another arrow comes
        (below 0 when boxed in)."""
        kind = kind_of(source, target, False)
        start, end = (source[2], start_y), (target[0] - ROUTE_HEAD, end_y)
        fallback: tuple[float, list[Point]] | None = None
        if kind == FORWARD:
            found = self._straight_or_jog(key, start, end, ends)
            if found is not None:
                crowding, points = found
                if crowding >= TRACK:
                    return kind, points, crowding
                fallback = (crowding, points)
        found = self._by_level(key, source, target, start, end, ends, above)
        if found is not None and (fallback is None or found[0] >= TRACK
                                  or found[0] > fallback[0]):
            return kind, found[1], found[0]
        if fallback is not None:
            return kind, fallback[1], fallback[0]
        # boxed in on every side: round below both, through whatever is there
        (sx, sy), (ex, ey) = start, end
        level = max(source[3], target[3]) + CHANNEL
        x1, x2 = sx + STUB, ex - IN_STUB
        return kind, [start, (x1, sy), (x1, level), (x2, level), (x2, ey), end], -1.0

    def _quick(self, source: Box, target: Box, ends: tuple[str, str], sy: float, ey: float,
               above: bool, ranks: tuple[int, int]) -> tuple[str, list[Point]]:
        """A route for a map of hundreds or thousands of arrows, in a few questions to the
        cards: the same shapes, each arrow's tracks taken from its ports' order rather
        than spread from the other lines (lines into one card, or out of one, keep
        apart; others may share a stretch), and clear of the cards' label columns."""
        kind = kind_of(source, target, False)
        sx, ex = source[2], target[0] - ROUTE_HEAD
        start, end = (sx, sy), (ex, ey)
        src, tgt = (ends[0],), (ends[1],)
        x1_wanted = sx + max(STUB, self.columns.get(ends[0], 0.0)) + ranks[0] * TRACK
        x2_wanted = ex - IN_STUB - ranks[1] * TRACK
        if kind == FORWARD:
            if abs(sy - ey) < 0.5 and self._clear_across(sy, sx, ex, ends):
                return kind, [start, (ex, sy)]
            x = self._lean(x2_wanted, sy, ey, sx + STUB, ex - IN_STUB)
            if x is not None and self._clear_across(sy, sx, x, src) \
                    and self._clear_across(ey, x, ex, tgt):
                return kind, [start, (x, sy), (x, ey), end]
        levels = [(source[3] + CHANNEL, 1.0), (source[1] - CHANNEL, -1.0),
                  (target[3] + CHANNEL, 1.0), (target[1] - CHANNEL, -1.0)]
        side = -1.0 if above else 1.0
        levels.sort(key=lambda lv: (abs(lv[0] - sy) + abs(lv[0] - ey), lv[1] != side))
        shift = (ranks[0] % 5 - 2) * TRACK
        x1, x2 = x1_wanted, x2_wanted
        for nominal, _ in levels:
            level = nominal + shift
            if not self._clear_across(level, x1_wanted, x2_wanted, ()):
                continue
            x1 = self._lean(x1_wanted, sy, level, sx + STUB, sx + REACH) or x1_wanted
            x2 = self._lean(x2_wanted, level, ey, ex - REACH, ex - IN_STUB) or x2_wanted
            if self._clear_down(x1, sy, level) and self._clear_down(x2, level, ey) \
                    and self._clear_across(sy, sx, x1, src) and self._clear_across(ey, x2, ex, tgt):
                return kind, [start, (x1, sy), (x1, level), (x2, level), (x2, ey), end]
        level = max(source[3], target[3]) + CHANNEL
        return kind, [start, (x1, sy), (x1, level), (x2, level), (x2, ey), end]

    def _lean(self, wanted: float, y1: float, y2: float, low: float, high: float
              ) -> float | None:
        """The place nearest `wanted` in [low, high] for a vertical run from y1 to y2,
        clear of cards and their label columns; other lines are not asked about."""
        places = self._down_places(None, wanted, y1, y2, low, high, lean=True)
        return places[0][0] if places else None

    def _stub_free(self, key: Hashable, y: float, x1: float, x2: float) -> bool:
        return self.tracks.free_across(y, x1, x2, key)

    def _stub_room(self, key: Hashable, y: float, x1: float, x2: float) -> float:
        """How near the run from x1 to x2 at y comes to another arrow's parallel run."""
        near = self.tracks.across.near(y - TRACK, y + TRACK, min(x1, x2) + 1, max(x1, x2) - 1,
                                       key)
        return min((abs(y - other) for other in near), default=float("inf"))

    def _straight_or_jog(self, key: Hashable, start: Point, end: Point,
                         ends: tuple[str, str]) -> tuple[float, list[Point]] | None:
        """Straight across, or out, along the gutter between, and in; with how near the
        nearest parallel run comes (inf for none)."""
        (sx, sy), (ex, ey) = start, end
        if abs(sy - ey) < 0.5 and self._clear_across(sy, sx, ex, ends) \
                and self._stub_free(key, sy, sx, ex):
            return float("inf"), [start, (ex, sy)]
        low, high = sx + STUB, ex - IN_STUB
        if low > high:
            return None
        low = max(low, self.tracks.reach(ey, ex, -1.0, key))
        high = min(high, self.tracks.reach(sy, sx, 1.0, key))
        if low > high:
            return None
        nominals = [high] if high - low <= 100 else [high, low + 26]
        src, tgt = (ends[0],), (ends[1],)
        best = None
        for nominal in nominals:
            for x, distance in self._down_places(key, nominal, sy, ey, low, high):
                if not (self._clear_across(sy, sx, x, src) and self._clear_across(ey, x, ex, tgt)
                        and self._clear_down(x, sy, ey)):
                    continue
                if not (self._stub_free(key, sy, sx, x) and self._stub_free(key, ey, x, ex)):
                    distance = min(distance, 0.0)
                points = [start, (x, sy), (x, ey), end]
                if distance >= TRACK:
                    return distance, points
                if best is None or distance > best[0]:
                    best = (distance, points)
        return best

    def _by_level(self, key: Hashable, source: Box, target: Box, start: Point, end: Point,
                  ends: tuple[str, str], above: bool) -> tuple[float, list[Point]] | None:
        """Out, down (or up) to a gap between rows, along it, and up (or down) into the
        target; with how near the nearest parallel run comes."""
        (sx, sy), (ex, ey) = start, end
        levels = [(source[3] + CHANNEL, 1.0), (source[1] - CHANNEL, -1.0),
                  (target[3] + CHANNEL, 1.0), (target[1] - CHANNEL, -1.0)]
        side = -1.0 if above else 1.0
        levels.sort(key=lambda lv: (abs(lv[0] - sy) + abs(lv[0] - ey), lv[1] != side))
        src, tgt = (ends[0],), (ends[1],)
        x1_nominal, x2_nominal = sx + LABELLED_STUB, ex - IN_STUB
        best: tuple[float, list[Point]] | None = None
        for nominal, _ in levels:
            # spread from the runs along the level wherever the turns may come
            places = [(level, room) for level, room in
                      self._across_places(key, nominal, sx + REACH, ex - REACH)[:3]
                      if self._clear_across(level, x1_nominal, x2_nominal, ())]
            if not places:
                continue
            # one pair of turns for all the places: their runs reach the furthest place
            far1 = max((level for level, _ in places), key=lambda level: abs(level - sy))
            far2 = max((level for level, _ in places), key=lambda level: abs(level - ey))
            x1 = self._gutter(key, x1_nominal, sx + STUB, sx + REACH, sy, far1,
                              self.tracks.reach(sy, sx, 1.0, key),
                              lambda x: self._clear_across(sy, sx, x, src),
                              lambda x: self._stub_room(key, sy, sx, x))
            x2 = self._gutter(key, x2_nominal, ex - REACH, ex - IN_STUB, far2, ey,
                              self.tracks.reach(ey, ex, -1.0, key),
                              lambda x: self._clear_across(ey, x, ex, tgt),
                              lambda x: self._stub_room(key, ey, x, ex))
            if x1 is None or x2 is None:
                continue
            for level, level_room in places:
                if not (self._clear_down(x1[0], sy, level) and self._clear_down(x2[0], level, ey)):
                    continue
                # the run along the level as laid, not as guessed
                near = self.tracks.across.near(level - TRACK, level + TRACK,
                                               min(x1[0], x2[0]) - 1, max(x1[0], x2[0]) + 1, key)
                room = min([level_room, x1[1], x2[1], *(abs(level - y) for y in near)])
                points = [start, (x1[0], sy), (x1[0], level), (x2[0], level), (x2[0], ey), end]
                if room >= MIN_ROOM or self.first_fit:  # the nearest level clear of others
                    return room, points
                if best is None or room > best[0]:
                    best = (room, points)
        return best

    def _gutter(self, key: Hashable, nominal: float, low: float, high: float, y1: float,
                y2: float, reach: float, stub_clear: Callable[[float], bool],
                stub_room: Callable[[float], float]) -> tuple[float, float] | None:
        """A vertical run's x near `nominal` in [low, high], clear of cards with the run
        that joins it to its card, spread from other runs; with its distance to the
        nearest. Within `reach` of its card first, where that run keeps off others."""
        best = None
        limited = (low, min(high, reach)) if nominal > low else (max(low, reach), high)
        for a, b in (limited, (low, high)):
            for x, distance in self._down_places(key, nominal, y1, y2, a, b):
                if not stub_clear(x):
                    continue
                distance = min(distance, stub_room(x))
                if distance >= TRACK:
                    return x, distance
                if best is None or distance > best[1]:
                    best = (x, distance)
            if best is not None:  # the whole gutter only when nothing within reach fits
                break
        return best

"""Auto-layout by stage: one swimlane per stage, the flow running down each lane.

Pure Python, no Qt, so the command line, the summary and the tests
reach it without a display; the document turns the result into one undoable move.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from cx_mapper.domain.journey import Journey

#: Canvas grid; every position the layout returns is a multiple of it.
GRID = 20.0
#: Width of a stage swimlane and the vertical pitch of cards in it. Both are
#: multiples of GRID and larger than a card, so cards never overlap.
LANE_WIDTH = 260.0
ROW_HEIGHT = 120.0

Position = tuple[float, float]


def snap(value: float, grid: float = GRID) -> float:
    """The nearest grid line to `value`."""
    return round(value / grid) * grid if grid > 0 else value


def layout_by_stage(
    journey: Journey,
    *,
    lane_width: float = LANE_WIDTH,
    row_height: float = ROW_HEIGHT,
    grid: float = GRID,
    origin: Position = (0.0, 0.0),
    progress: Callable[[float], object] | None = None,
) -> dict[str, Position]:
    """Positions (card top-left) for every touchpoint, by stage.

    Stage k's touchpoints sit in lane k, left of lane k + 1. Touchpoints with no
    stage (or an unknown one) get a lane after the last stage. Within a lane,
    cards are ordered by their layer in the flow (back edges ignored, so loops
    to earlier stages do not scramble the order), then by where their
    predecessors are, then by their order in the journey.

    A journey without stages (e.g. imported paths) gets one column per layer of
    the flow instead, left to right, so its arrows run forward rather than piling
    up in a single lane.

    `progress(fraction)` hears how far it has got (it may raise to stop the layout).
    """
    if not journey.touchpoints:
        return {}
    report = progress or (lambda _fraction: None)
    report(0.0)
    layers = flow_layers(journey)
    report(0.6)  # the layers are most of the work; placing is the rest
    lane_of_stage = {stage.id: index for index, stage in enumerate(journey.stages)}
    spare_lane = len(journey.stages)
    lanes: dict[int, list[str]] = {}
    for touchpoint in journey.touchpoints.values():
        lane = (lane_of_stage.get(touchpoint.stage or "", spare_lane) if journey.stages
                else layers[touchpoint.id])
        lanes.setdefault(lane, []).append(touchpoint.id)

    order = {touchpoint_id: index for index, touchpoint_id in enumerate(journey.touchpoints)}
    predecessors: dict[str, list[str]] = {}
    for source, target in journey.transitions:
        if source != target:
            predecessors.setdefault(target, []).append(source)

    x0, y0 = snap(origin[0], grid), snap(origin[1], grid)
    rows: dict[str, int] = {}
    positions: dict[str, Position] = {}
    for done, lane in enumerate(sorted(lanes)):
        report(0.6 + 0.4 * done / len(lanes))

        def sort_key(touchpoint_id: str) -> tuple[int, float, int]:
            placed = [rows[p] for p in predecessors.get(touchpoint_id, ()) if p in rows]
            barycentre = sum(placed) / len(placed) if placed else float("inf")
            return (layers[touchpoint_id], barycentre, order[touchpoint_id])

        for row, touchpoint_id in enumerate(sorted(lanes[lane], key=sort_key)):
            rows[touchpoint_id] = row
            positions[touchpoint_id] = (
                snap(x0 + lane * lane_width, grid),
                snap(y0 + row * row_height, grid),
            )
    return positions


def flow_layers(journey: Journey) -> dict[str, int]:
    """Each touchpoint's layer: the longest path to it once back edges are dropped.

    A depth-first search from the entry touchpoints (then sources, then the
    rest) finds the back edges; what remains is acyclic, and its topological
    generations give the layers. Plain Python (as networkx's dfs_labeled_edges and
    topological_generations, visiting in the same order): importing networkx cost a
    data import's process 0.1-0.2 s for these few lines.
    """
    entries = [t.id for t in journey.touchpoints.values() if t.entry > 0 or t.referral_entry > 0]
    incoming = {target for source, target in journey.transitions if source != target}
    sources = [t for t in journey.touchpoints if t not in incoming]
    # Node order decides where the search starts: entries first.
    nodes = list(dict.fromkeys([*entries, *sources, *journey.touchpoints]))
    after: dict[str, list[str]] = {node: [] for node in nodes}
    for source, target in journey.transitions:
        if source != target:
            after[source].append(target)

    back_edges: set[tuple[str, str]] = set()
    visited: set[str] = set()
    for start in nodes:
        if start in visited:
            continue
        visited.add(start)
        on_path = {start}
        stack = [(start, iter(after[start]))]
        while stack:
            parent, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                on_path.discard(parent)
            elif child not in visited:
                visited.add(child)
                on_path.add(child)
                stack.append((child, iter(after[child])))
            elif child in on_path:
                back_edges.add((parent, child))

    waiting = {node: 0 for node in nodes}
    for source, targets in after.items():
        for target in targets:
            if (source, target) not in back_edges:
                waiting[target] += 1
    layers: dict[str, int] = {}
    generation = [node for node in nodes if not waiting[node]]
    depth = 0
    while generation:
        following: list[str] = []
        for node in generation:
            layers[node] = depth
            for child in after[node]:
                if (node, child) not in back_edges:
                    waiting[child] -= 1
                    if not waiting[child]:
                        following.append(child)
        generation, depth = following, depth + 1
    return layers


def place_new(journey: Journey, ids: Iterable[str]) -> dict[str, Position]:
    """Positions for the touchpoints in `ids` (just added) that keep clear of the other cards.

    Each goes in the column its stage's other cards use (the most common x, the
    leftmost on a tie), or in its stage's lane (LANE_WIDTH apart, as layout_by_stage
    draws them) when the stage has no card yet. It sits one ROW_HEIGHT below the
    lowest card near that column, new ones included, so nothing drawn moves.
    """
    new = [tid for tid in dict.fromkeys(ids) if tid in journey.touchpoints]
    placing = set(new)
    cards = [t for t in journey.touchpoints.values() if t.id not in placing]
    lane_of_stage = {stage.id: index for index, stage in enumerate(journey.stages)}

    def stage_of(touchpoint_id: str) -> str | None:
        stage = journey.touchpoints[touchpoint_id].stage
        return stage if stage in lane_of_stage else None  # an unknown stage: no stage

    top = snap(min((t.y for t in cards), default=0.0))
    occupied = [(t.x, t.y) for t in cards]
    positions: dict[str, Position] = {}
    for touchpoint_id in new:
        stage = stage_of(touchpoint_id)
        uses: dict[float, int] = {}
        for card in cards:
            if stage_of(card.id) == stage:
                uses[snap(card.x)] = uses.get(snap(card.x), 0) + 1
        if uses:
            x = max(uses, key=lambda column: (uses[column], -column))
        else:
            x = snap(lane_of_stage.get(stage or "", len(journey.stages)) * LANE_WIDTH)
        # Cards are 180 wide (canvas style): nearer than this, one could overlap the new one.
        below = [y for cx, y in occupied if abs(cx - x) < LANE_WIDTH - 3 * GRID]
        y = snap(max(below) + ROW_HEIGHT) if below else top
        positions[touchpoint_id] = (x, y)
        occupied.append((x, y))
    return positions

"""A journey drawn from the model alone: lanes, cards, arrows and overlay marks.

Like Orange's `CanvasScene.set_scheme`, a picture needs no document: `draw_journey`
puts the editor's own items into a plain QGraphicsScene from a Project, a Journey and
an Analysis, so the summary page shows the map exactly as the canvas draws it without
an editing scene, a ProjectDocument or an undo stack. The geometry and the dressing of
cards and arrows live here once; the editing scene (journey_scene.py) uses them too.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QGraphicsScene

from cx_mapper.domain.backing import OutgoingEvidence
from cx_mapper.domain.journey import Journey
from cx_mapper.domain.project import Project
from cx_mapper.engine.layout import LANE_WIDTH, ROW_HEIGHT
from cx_mapper.engine.results import Analysis
from cx_mapper.ui.editor.canvas import style
from cx_mapper.ui.editor.canvas.arrows import TransitionArrow
from cx_mapper.ui.editor.canvas.items import TouchpointCard
from cx_mapper.ui.editor.canvas.lanes import StageLane
from cx_mapper.ui.editor.canvas.overlay import (
    OverlayFigures,
    Overlays,
    flow_strength,
    flow_width,
    overlay_figures,
)
from cx_mapper.ui.editor.canvas.routing import MapRouter
from cx_mapper.ui.look.palette import CanvasPalette, current_palette

#: Half the gap between neighbouring cards in adjacent lanes: lane k starts at k * LANE_WIDTH - M.
LANE_MARGIN = (LANE_WIDTH - style.CARD_WIDTH) / 2
#: Room above and below the cards for the arrows that loop round them, and their labels.
ARROW_ROOM = 80.0
#: Room beside the outermost cards: loops round the first and last lanes run out there
#: (a route turns at most 80 beyond a card, and a wide line needs a little more).
ARROW_SIDE_ROOM = 100.0
#: Room round the content to pan into and double-click in.
SCENE_MARGIN = 2 * LANE_WIDTH


def lane_left(index: int) -> float:
    """The left edge of stage `index`'s lane."""
    return index * LANE_WIDTH - LANE_MARGIN


def card_body(card: TouchpointCard) -> QRectF:
    """A card's body in scene coordinates (cards are never rotated or scaled)."""
    return QRectF(card.x(), card.y(), style.CARD_WIDTH, style.CARD_HEIGHT)


def lay_out(stage_count: int, positions: Iterable[tuple[float, float]],
            above: float = 0.0, below: float = 0.0) -> tuple[list[QRectF], QRectF]:
    """Each stage's lane rect and the content rect for cards at `positions` (top-left).

    Headers sit above the topmost card (cards start at y = 0); lane bodies reach a row
    below the lowest card; arrows loop round the outermost cards within ARROW_ROOM.
    Content lanes (lane_rows.py) take `above` over the cards, under the headers, and
    `below` under the band; the band is then only as tall as its cards need.
    """
    points = list(positions)
    top, bottom = 0.0, 0.0
    cards = QRectF()
    if points:
        xs = [x for x, _ in points]
        ys = [y for _, y in points]
        top, bottom = min(0.0, min(ys)), max(ys) + style.CARD_HEIGHT
        cards = QRectF(min(xs), min(ys), max(xs) + style.CARD_WIDTH - min(xs),
                       bottom - min(ys))
    lane_top = top - style.LANE_TOP_GAP - style.LANE_HEADER_HEIGHT - above
    lowest = 2 * ROW_HEIGHT if below else style.LANE_MIN_BODY
    lane_bottom = max(lowest, bottom + ROW_HEIGHT) + below
    lanes = [QRectF(lane_left(index), lane_top, LANE_WIDTH, lane_bottom - lane_top)
             for index in range(stage_count)]
    content = QRectF()
    for rect in lanes:
        content = content.united(rect)
    if not cards.isNull():
        content = content.united(cards.adjusted(-ARROW_SIDE_ROOM, -ARROW_ROOM,
                                                ARROW_SIDE_ROOM, ARROW_ROOM))
    return lanes, content


def dress_card(card: TouchpointCard, overlays: Overlays, figures: OverlayFigures | None,
               stale: bool = False) -> None:
    """Give a card the overlay marks the switches and figures call for (dimmed if stale)."""
    touchpoint_id = card.touchpoint.id
    card.set_satisfaction_fill(overlays.satisfaction_fill)
    card.set_stale(stale and figures is not None)
    if figures is None:
        card.set_visits(None)
        card.set_loyalty(None)
        return
    if overlays.visits:
        count = None if figures.scaled else figures.visits.get(touchpoint_id)
        card.set_visits(figures.visit_share(touchpoint_id), count)
    else:
        card.set_visits(None)
    card.set_loyalty(figures.loyalty_of(touchpoint_id) if overlays.loyalty else None)


def dress_arrow(arrow: TransitionArrow, overlays: Overlays, figures: OverlayFigures | None,
                stale: bool = False) -> None:
    """Width and ink by the flow along it with the flow overlay on. An arrow added
    since the result has no flow yet and is drawn as a flow of 0 would be. The time
    overlay needs no result: the times are the journey's."""
    arrow.set_time_shown(overlays.times)
    if figures is None or not figures.flows or not overlays.flow:
        arrow.set_flow(style.ARROW_WIDTH)
        arrow.set_strength(1.0)
        arrow.set_stale(False)
        return
    # worked out for all arrows at once (figures.arrow_looks): 8,000 one by one took 47 ms
    width, strength = figures.arrow_looks.get(arrow.key) or (flow_width(0.0), flow_strength(0.0))
    arrow.set_flow(width)
    arrow.set_strength(strength)
    arrow.set_stale(stale)


def draw_journey(scene: QGraphicsScene, project: Project, journey: Journey,
                 analysis: Analysis | None = None, *, overlays: Overlays | None = None,
                 palette: CanvasPalette | None = None) -> QRectF:
    """Draw `journey` into `scene` with `analysis`'s marks; returns the content rect.

    The items are the editor's (cards, arrows, lanes), added in the editor's order so
    arrows route and stack alike. Nothing is connected to anything: the picture does
    not follow later edits.
    """
    palette = palette or current_palette()
    overlays = overlays if overlays is not None else Overlays()
    figures = (overlay_figures(project, journey, analysis)
               if analysis is not None else None)
    scene.setBackgroundBrush(palette.background)
    channels = {c.id: c.name for c in journey.channels}
    cards: dict[str, TouchpointCard] = {}
    index = MapRouter()
    outgoing = OutgoingEvidence(journey)
    for touchpoint in journey.touchpoints.values():
        card = TouchpointCard(touchpoint, channels.get(touchpoint.channel or "", ""), palette,
                              outgoing.kinds(touchpoint.id))
        card.setFlag(TouchpointCard.GraphicsItemFlag.ItemIsSelectable, False)
        dress_card(card, overlays, figures)
        scene.addItem(card)
        cards[touchpoint.id] = card
        index.place(touchpoint.id, card.x(), card.y())
    with index.batch():  # every line first, then every label, as the canvas does
        for key, transition in journey.transitions.items():
            source, target = cards.get(key[0]), cards.get(key[1])
            if source is None or target is None:
                continue
            arrow = TransitionArrow(transition, palette)
            dress_arrow(arrow, overlays, figures)
            arrow.update_geometry(card_body(source), card_body(target), index)
            scene.addItem(arrow)
    lanes, content = lay_out(len(journey.stages), ((c.x(), c.y()) for c in cards.values()))
    for position, (stage, rect) in enumerate(zip(journey.stages, lanes, strict=True)):
        lane = StageLane(stage, QRectF(lane_left(position), 0, LANE_WIDTH, 1), position,
                         palette)
        scene.addItem(lane)
        lane.set_rect(rect)
    scene.setSceneRect(content.adjusted(-SCENE_MARGIN, -SCENE_MARGIN, SCENE_MARGIN,
                                        SCENE_MARGIN))
    return content

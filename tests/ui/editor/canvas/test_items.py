"""Canvas drawing items: built from domain objects, drawn inside their bounds, arrows
routed around cards, a colour-blind-safe satisfaction palette, and a real render."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter, QPalette
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QStyleOptionGraphicsItem
from pytestqt.qtbot import QtBot

from cx_mapper.domain import satisfaction
from cx_mapper.domain.journey import Stage, Touchpoint, Transition
from cx_mapper.engine.routing import CardIndex
from cx_mapper.engine.routing.routes import CHANNEL
from cx_mapper.ui.editor.canvas import style
from cx_mapper.ui.editor.canvas.arrows import TransitionArrow
from cx_mapper.ui.editor.canvas.items import (
    TouchpointCard,
    elide_lines,
    format_percent,
)
from cx_mapper.ui.editor.canvas.lanes import StageLane
from cx_mapper.ui.editor.canvas.routing import MapRouter
from cx_mapper.ui.look import fonts, palette
from cx_mapper.ui.look.palette import DARK, LIGHT, CanvasPalette, satisfaction_color

LANE_WIDTH = 260.0
LANE_HEIGHT = 400.0
LONG_NAME = ("Calls the service line about a late, damaged or otherwise disappointing "
             "home delivery and waits on hold for a very long time indeed")


def build_sample_scene(palette: CanvasPalette = LIGHT) -> tuple[
    QGraphicsScene, list[StageLane], dict[str, TouchpointCard], list[TransitionArrow]
]:
    """3 lanes, 6 cards, forward, backward and self-loop transitions."""
    scene = QGraphicsScene()
    scene.setBackgroundBrush(palette.background)
    stages = [Stage("aware", "Awareness"), Stage("buy", "Purchase"),
              Stage("service", "Service and loyalty")]
    lanes = []
    for index, stage in enumerate(stages):
        lane = StageLane(stage, QRectF(index * LANE_WIDTH, 0, LANE_WIDTH, LANE_HEIGHT), index,
                         palette)
        scene.addItem(lane)
        lanes.append(lane)

    def at(lane: int, row: int) -> tuple[float, float]:
        return lane * LANE_WIDTH + (LANE_WIDTH - style.CARD_WIDTH) / 2, 110.0 + row * 150.0

    touchpoints = [
        Touchpoint("post", "Sees a friend's post about us", "aware", "social", 0.6, 0.7,
                   entry=0.6, x=at(0, 0)[0], y=at(0, 0)[1]),
        Touchpoint("ad", "Finds us through a search ad", "aware", "web", -0.1, 0.0,
                   entry=0.4, x=at(0, 1)[0], y=at(0, 1)[1]),
        Touchpoint("online", "Buys online", "buy", "web", 0.5, 0.1, conversion=True,
                   x=at(1, 0)[0], y=at(1, 0)[1]),
        Touchpoint("store", "Buys in store after comparing prices", "buy", "store", 0.0,
                   0.0, conversion=True, x=at(1, 1)[0], y=at(1, 1)[1]),
        Touchpoint("delivery", "Receives the home delivery", "service", "mail", 0.9, 0.35,
                   x=at(2, 0)[0], y=at(2, 0)[1]),
        Touchpoint("call", LONG_NAME, "service", "phone", -0.85, 0.05,
                   x=at(2, 1)[0], y=at(2, 1)[1]),
    ]
    channels = {"social": "Social media", "web": "Website", "store": "Store",
                "mail": "Delivery partner", "phone": "Phone"}
    cards: dict[str, TouchpointCard] = {}
    for touchpoint in touchpoints:
        card = TouchpointCard(touchpoint, channels[touchpoint.channel or ""], palette)
        scene.addItem(card)
        cards[touchpoint.id] = card
    cards["delivery"].set_visits(0.8)
    cards["call"].set_visits(0.25)

    transitions = [
        Transition("post", "online", 0.35), Transition("ad", "online", 0.2),
        Transition("ad", "store", 0.15), Transition("online", "delivery", 0.9),
        Transition("store", "call", 0.05), Transition("online", "online", 0.1),
        Transition("delivery", "post", 0.3), Transition("call", "ad", 0.4),
    ]
    arrows = []
    for transition in transitions:
        arrow = TransitionArrow(transition, palette)
        arrow.update_geometry(cards[transition.source].scene_card_rect(),
                              cards[transition.target].scene_card_rect())
        arrow.set_flow(1.0 + 4.0 * transition.probability)
        scene.addItem(arrow)
        arrows.append(arrow)
    return scene, lanes, cards, arrows


def render_scene(scene: QGraphicsScene, scale: float = 1.0) -> tuple[QImage, QRectF]:
    """The whole scene at `scale` (2 for a high-DPI look), with a 20-unit border."""
    source = scene.itemsBoundingRect().adjusted(-20, -20, 20, 20)
    image = QImage(int(source.width() * scale), int(source.height() * scale),
                   QImage.Format.Format_ARGB32)
    image.fill(scene.backgroundBrush().color())
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(painter, QRectF(image.rect()), source)
    painter.end()
    return image, source


def paint_alone(item: QGraphicsItem, pad: int = 30) -> tuple[QImage, QRectF]:
    """Paint one item on a transparent image with `pad` pixels round its bounding rect."""
    bounds = item.boundingRect()
    image = QImage(int(bounds.width()) + 2 * pad, int(bounds.height()) + 2 * pad,
                   QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.translate(pad - bounds.left(), pad - bounds.top())
    item.paint(painter, QStyleOptionGraphicsItem(), None)
    painter.end()
    return image, bounds.translated(pad - bounds.left(), pad - bounds.top())


def painted_outside(image: QImage, allowed: QRectF) -> list[tuple[int, int]]:
    grown = allowed.adjusted(-1, -1, 1, 1)
    outside = []
    for y in range(image.height()):
        for x in range(image.width()):
            if image.pixelColor(x, y).alpha() > 0 and not grown.contains(x + 0.5, y + 0.5):
                outside.append((x, y))
    return outside


def full_card() -> TouchpointCard:
    touchpoint = Touchpoint("t", LONG_NAME, channel="c", satisfaction=-1.0, visibility=1.0,
                            entry=0.5, conversion=True)
    card = TouchpointCard(touchpoint, "Social media", palette.LIGHT)
    card.set_visits(1.0)
    card.setSelected(False)
    return card


# -- construction -------------------------------------------------------------------------


def test_items_construct_from_domain_objects(qtbot: QtBot) -> None:
    stage = Stage("aware", "Awareness")
    lane = StageLane(stage, QRectF(0, 0, 260, 400), 1)
    assert lane.stage_id == "aware" and lane.name == "Awareness"
    assert lane.header_rect().height() == style.LANE_HEADER_HEIGHT
    assert lane.rect().contains(lane.header_rect())
    lane.update_from(Stage("aware", "Discover"))
    assert lane.name == "Discover"

    touchpoint = Touchpoint("ad", "Search ad", "aware", "web", 0.5, 0.2, x=40, y=120)
    card = TouchpointCard(touchpoint, "Website")
    assert card.pos() == QPointF(40, 120)
    assert card.name_lines == ["Search ad"]
    assert card.channel_text == "Website"
    assert card.card_rect().size().toTuple() == (style.CARD_WIDTH, style.CARD_HEIGHT)
    handle = card.handle_rect()
    assert handle.center() == QPointF(style.CARD_WIDTH, style.CARD_HEIGHT / 2)
    assert card.boundingRect().contains(handle)

    card.update_from(touchpoint.__class__("ad", "Display ad", x=10, y=20), "Web")
    assert card.name_lines == ["Display ad"] and card.pos() == QPointF(10, 20)
    card.set_visits(2.0)
    assert card.visits() == 1.0
    card.set_visits(None)
    assert card.visits() is None

    arrow = TransitionArrow(Transition("a", "b", 0.25))
    assert arrow.label_text() == "25%" and arrow.boundingRect().isEmpty()
    arrow.update_geometry(QRectF(0, 0, 180, 76), QRectF(300, 0, 180, 76))
    assert arrow.kind == TransitionArrow.FORWARD and not arrow.boundingRect().isEmpty()
    arrow.set_flow(6)
    assert arrow.flow_width() == 6


def test_items_never_change_the_domain_objects(qtbot: QtBot) -> None:
    touchpoint = Touchpoint("t", "Name", satisfaction=0.3, visibility=0.4, x=5, y=6)
    card = TouchpointCard(touchpoint, "Phone")
    card.setPos(100, 100)
    card.set_visits(0.5)
    assert card.touchpoint is touchpoint
    assert (touchpoint.x, touchpoint.y) == (5, 6)


def test_percent_labels() -> None:
    assert format_percent(0.25) == "25%"
    assert format_percent(1.0) == "100%"
    assert format_percent(0.005) == "0.5%"
    assert format_percent(0.0) == "0%"


# -- text -----------------------------------------------------------------------------------


def test_long_names_are_elided_to_two_lines(qtbot: QtBot) -> None:
    font = fonts.font(style.NAME_POINT_SIZE)
    metrics = QFontMetricsF(font)
    lines = elide_lines(LONG_NAME, font, 140.0, 2)
    assert len(lines) == 2
    assert lines[1].endswith("…")
    assert all(metrics.horizontalAdvance(line) <= 140.0 + 0.5 for line in lines)
    # one huge word breaks anywhere rather than spilling out
    word = elide_lines("x" * 300, font, 140.0, 2)
    assert len(word) == 2 and word[1].endswith("…")
    assert all(metrics.horizontalAdvance(line) <= 140.0 + 0.5 for line in word)
    assert elide_lines("Short", font, 140.0) == ["Short"]
    assert elide_lines("   ", font, 140.0) == []


def test_card_elides_long_names_and_channels(qtbot: QtBot) -> None:
    card = TouchpointCard(Touchpoint("t", LONG_NAME, visibility=0.5), "A" * 80)
    assert len(card.name_lines) == 2 and card.name_lines[1].endswith("…")
    assert card.channel_text.endswith("…")
    name_metrics = QFontMetricsF(fonts.font(style.NAME_POINT_SIZE))
    width = card.name_rect().width()
    assert all(name_metrics.horizontalAdvance(line) <= width + 2 for line in card.name_lines)
    assert card.card_rect().contains(card.name_rect())


def test_fonts_are_points_never_below_nine() -> None:
    tiny = fonts.font(5)
    assert tiny.pointSizeF() >= 9 and tiny.pixelSize() == -1


# -- bounds ---------------------------------------------------------------------------------


def test_card_paints_inside_its_bounding_rect(qtbot: QtBot) -> None:
    card = full_card()
    scene = QGraphicsScene()
    scene.addItem(card)
    for selected in (False, True):
        card.setSelected(selected)
        image, allowed = paint_alone(card)
        assert painted_outside(image, allowed) == []
        inside = [image.pixelColor(x, y).alpha() for x in range(0, image.width(), 4)
                  for y in range(0, image.height(), 4)]
        assert sum(a > 0 for a in inside) > 100


def test_lane_paints_inside_its_bounding_rect(qtbot: QtBot) -> None:
    lane = StageLane(Stage("s", "A very long stage name " * 5), QRectF(10, 20, 260, 300), 0)
    image, allowed = paint_alone(lane)
    assert painted_outside(image, allowed) == []


@pytest.mark.parametrize(
    ("target", "kind"),
    [
        (QRectF(400, 200, 180, 76), TransitionArrow.FORWARD),
        (QRectF(-400, 150, 180, 76), TransitionArrow.BACKWARD),
        (QRectF(0, 0, 180, 76), TransitionArrow.SELF),
        (QRectF(0, 150, 180, 76), TransitionArrow.SIDEWAYS),
    ],
)
def test_arrow_paints_inside_its_bounding_rect(qtbot: QtBot, target: QRectF, kind: str) -> None:
    source = QRectF(0, 0, 180, 76)
    ends = ("a", "a") if kind == TransitionArrow.SELF else ("a", "b")
    arrow = TransitionArrow(Transition(*ends, 0.375), palette.LIGHT)
    arrow.set_flow(8)
    arrow.update_geometry(source, target)
    assert arrow.kind == kind
    image, allowed = paint_alone(arrow)
    assert painted_outside(image, allowed) == []
    assert arrow.boundingRect().contains(arrow.label_rect())


# -- palette --------------------------------------------------------------------------------


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _deuteranope(colour: QColor) -> tuple[float, float, float]:
    """Machado, Oliveira & Fernandes (2009), deuteranopia at full severity, linear RGB."""
    r, g, b = (_linear(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    matrix = ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
              (-0.011820, 0.042940, 0.968881))
    return tuple(min(1.0, max(0.0, m[0] * r + m[1] * g + m[2] * b)) for m in matrix)


def _distance(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    return sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5


@pytest.mark.parametrize("palette", [LIGHT, DARK])
def test_satisfaction_palette_is_diverging_and_colour_blind_safe(
    palette: CanvasPalette,
) -> None:
    low, mid, high = (satisfaction_color(s, palette) for s in (-1.0, 0.0, 1.0))
    assert len({low.name(), mid.name(), high.name()}) == 3
    assert (low.name(), mid.name(), high.name()) == tuple(c.name() for c in palette.satisfaction)
    # out of range clamps; halfway lies between neutral and the end
    assert satisfaction_color(-5, palette).name() == low.name()
    half = satisfaction_color(0.5, palette)
    assert half.name() not in {mid.name(), high.name()}
    # the three stay apart for a deuteranope
    seen = [_deuteranope(c) for c in (low, mid, high)]
    assert min(_distance(seen[0], seen[1]), _distance(seen[1], seen[2]),
               _distance(seen[0], seen[2])) > 0.1


def test_csat_follows_the_model() -> None:
    assert satisfaction.csat(-1) == 1 and satisfaction.csat(0) == 3 and satisfaction.csat(1) == 5


def test_palette_follows_the_application_theme(qtbot: QtBot) -> None:
    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#f0f0f0"))
    light = QPalette()
    light.setColor(QPalette.ColorRole.Window, QColor("#f0f0f0"))
    light.setColor(QPalette.ColorRole.WindowText, QColor("#202020"))
    assert palette.is_dark(dark) and not palette.is_dark(light)
    assert palette.current_palette() in (palette.LIGHT, palette.DARK)


def test_channel_badges_are_stable() -> None:
    assert palette.channel_initials("Social media") == "SM"
    assert palette.channel_initials("Phone") == "P"
    assert palette.channel_initials("") == "?"
    assert palette.channel_color("Phone").name() == palette.channel_color("phone").name()


# -- routing --------------------------------------------------------------------------------


def _path_points(arrow: TransitionArrow, count: int = 400) -> list[QPointF]:
    path = arrow.path()
    return [path.pointAtPercent(i / (count - 1)) for i in range(count)]


def _assert_clear_of(arrow: TransitionArrow, *rects: QRectF) -> None:
    for rect in rects:
        interior = rect.adjusted(1, 1, -1, -1)
        inside = [p for p in _path_points(arrow) if interior.contains(p)]
        assert inside == [], f"{arrow.kind} arrow enters {rect}: {inside[:3]}"
        tip = arrow.head()  # the head must stop at the edge too
        for i in range(tip.count()):
            assert not rect.adjusted(2, 2, -2, -2).contains(tip.at(i))


@pytest.mark.parametrize(
    "target",
    [
        QRectF(300, 0, 180, 76),  # forward, same row
        QRectF(300, 260, 180, 76),  # forward, lower
        QRectF(300, -260, 180, 76),  # forward, higher
        QRectF(215, 90, 180, 76),  # forward, barely room
        QRectF(-300, 0, 180, 76),  # back, same row
        QRectF(-560, 150, 180, 76),  # back two stages, lower
        QRectF(-300, -150, 180, 76),  # back, higher
        QRectF(0, 150, 180, 76),  # same stage, below
        QRectF(20, -150, 180, 76),  # same stage, above
    ],
)
@pytest.mark.parametrize("above", [False, True])
def test_arrows_route_around_their_cards(qtbot: QtBot, target: QRectF, above: bool) -> None:
    source = QRectF(0, 0, 180, 76)
    arrow = TransitionArrow(Transition("a", "b", 0.5))
    arrow.set_route_above(above)
    arrow.update_geometry(source, target)
    _assert_clear_of(arrow, source, target)
    # it starts at the source's handle and ends pointing into the target's left edge
    assert arrow.path().pointAtPercent(0).x() >= source.right()
    tip = arrow.head().at(0)
    assert tip.x() == pytest.approx(target.left(), abs=0.5)
    assert target.top() <= tip.y() <= target.bottom()


def test_back_loops_are_arcs_below_the_cards(qtbot: QtBot) -> None:
    source, target = QRectF(600, 0, 180, 76), QRectF(0, 0, 180, 76)
    arrow = TransitionArrow(Transition("late", "early", 0.3))
    arrow.update_geometry(source, target)
    assert arrow.kind == TransitionArrow.BACKWARD
    lowest = max(p.y() for p in _path_points(arrow))
    assert lowest >= source.bottom() + CHANNEL - 1
    label = arrow.label_rect()  # the % sits beside the card it leaves, clear of it
    assert 0 < label.left() - source.right() < 8 and source.top() < label.center().y() \
        < source.bottom()
    arrow.set_route_above(True)
    assert min(p.y() for p in _path_points(arrow)) <= source.top() - CHANNEL + 1


def test_self_loop_sits_on_the_card_top(qtbot: QtBot) -> None:
    card = QRectF(50, 100, 180, 76)
    arrow = TransitionArrow(Transition("a", "a", 0.1))
    arrow.update_geometry(card, card)
    assert arrow.kind == TransitionArrow.SELF
    _assert_clear_of(arrow, card)
    points = _path_points(arrow)
    assert all(p.y() <= card.top() + 0.5 for p in points)
    assert all(card.left() < p.x() < card.right() for p in points)
    assert arrow.label_rect().bottom() < card.top()
    tip = arrow.head().at(0)
    assert tip.y() == pytest.approx(card.top(), abs=0.5)


# -- a whole scene ----------------------------------------------------------------------------


def test_sample_scene_renders_cards_and_arrows(qtbot: QtBot) -> None:
    scene, lanes, cards, arrows = build_sample_scene()
    assert len(lanes) == 3 and len(cards) == 6 and len(arrows) == 8
    kinds = {arrow.kind for arrow in arrows}
    assert {TransitionArrow.FORWARD, TransitionArrow.BACKWARD, TransitionArrow.SELF} <= kinds
    for arrow in arrows:
        source, target = arrow.key
        _assert_clear_of(arrow, cards[source].scene_card_rect(),
                         cards[target].scene_card_rect())

    image, source_rect = render_scene(scene)
    for card in cards.values():
        rect = card.scene_card_rect().translated(-source_rect.topLeft())
        colours = {image.pixel(int(x), int(y))
                   for x in range(int(rect.left()) + 2, int(rect.right()) - 2, 3)
                   for y in range(int(rect.top()) + 2, int(rect.bottom()) - 2, 3)}
        assert len(colours) > 8, "the card area is blank"
        centre = image.pixelColor(int(rect.left() + 3), int(rect.center().y()))
        expected = card.satisfaction_color()
        assert _distance((centre.redF(), centre.greenF(), centre.blueF()),
                         (expected.redF(), expected.greenF(), expected.blueF())) < 0.05

    for lane in lanes:
        header = lane.header_rect().translated(-source_rect.topLeft())
        colours = {image.pixel(int(x), int(header.center().y()))
                   for x in range(int(header.left()), int(header.right()))}
        assert len(colours) > 3, "the header shows no name"


def test_dark_palette_renders(qtbot: QtBot) -> None:
    card = full_card()
    card.set_palette(palette.DARK)
    image, allowed = paint_alone(card)
    assert painted_outside(image, allowed) == []


def test_painting_keeps_reference_counts(qtbot) -> None:  # type: ignore[no-untyped-def]
    """PySide6 6.12.0 dropped a reference to None per void call, so painting aborted
    Python; pyproject excludes that release and this guards against another."""
    import sys

    from PySide6.QtGui import QImage, QPainter

    card = TouchpointCard(Touchpoint("a", name="Buys online", satisfaction=0.5,
                                     visibility=0.4, entry=1.0), "Website")
    image = QImage(400, 200, QImage.Format.Format_ARGB32)
    before = sys.getrefcount(None)
    for _ in range(200):
        painter = QPainter(image)
        card.paint(painter, None, None)
        painter.end()
    assert abs(sys.getrefcount(None) - before) < 100


# -- routing round other cards -----------------------------------------------------------------


def test_card_index_finds_cards_in_the_way_but_not_the_arrows_own() -> None:
    index = CardIndex(180, 76)
    index.place("a", 0, 0)
    index.place("b", 260, 0)
    index.place("c", 520, 0)
    assert index.blocked(185, 30, 515, 40), "the run crosses b"
    assert not index.blocked(185, 30, 515, 40, ends=("b",))
    assert not index.blocked(185, -500, 255, 500), "the gap between the columns is clear"
    assert not index.blocked(0, 80, 700, 110), "the gap below the row is clear"
    index.place("b", 260, 240)  # moved
    assert not index.blocked(185, 30, 515, 40)
    index.remove("c")
    assert index.position("c") is None and not index.blocked(500, 0, 700, 76)


def _routed(router: MapRouter, cards: dict[str, QRectF],
            *keys: tuple[str, str]) -> list[TransitionArrow]:
    for name, rect in cards.items():
        router.place(name, rect.x(), rect.y())
    arrows = [TransitionArrow(Transition(*key, 0.2)) for key in keys]
    with router.batch():
        for arrow in arrows:
            arrow.update_geometry(cards[arrow.key[0]], cards[arrow.key[1]], router)
    return arrows


def test_an_arrow_skipping_a_lane_runs_between_rows_round_the_card_in_the_way(
    qtbot: QtBot,
) -> None:
    cards = {name: QRectF(x, 0, 180, 76) for name, x in (("a", 0), ("m", 260), ("b", 520))}
    (arrow,) = _routed(MapRouter(), cards, ("a", "b"))
    _assert_clear_of(arrow, *cards.values())
    assert arrow.kind == TransitionArrow.FORWARD
    assert not arrow.label_rect().intersects(cards["m"])


def test_labels_sharing_a_route_are_kept_apart(qtbot: QtBot) -> None:
    cards = {"a": QRectF(0, 0, 180, 76), "b": QRectF(0, 120, 180, 76),
             "t": QRectF(260, 60, 180, 76)}
    first, second = _routed(MapRouter(), cards, ("a", "t"), ("b", "t"))
    assert not first.label_rect().intersects(second.label_rect())
    for arrow in (first, second):
        assert not any(arrow.label_rect().intersects(rect) for rect in cards.values())


def test_cards_and_arrows_far_out_paint_plain_shapes_inside_their_bounds(qtbot: QtBot) -> None:
    """Below the detail threshold no text is drawn: fewer distinct colours, same bounds."""
    card = full_card()
    near, _ = paint_alone(card)
    image = QImage(200, 100, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.scale(0.1, 0.1)
    painter.translate(30, 30)
    card.paint(painter, QStyleOptionGraphicsItem(), None)
    painter.end()
    far = {image.pixel(x, y) for x in range(image.width()) for y in range(image.height())}
    assert 2 <= len(far) < 40
    bounds = card.boundingRect()
    assert not any(image.pixelColor(x, y).alpha() for x in range(image.width())
                   for y in range(image.height())
                   if not QRectF((bounds.left() + 30) * 0.1 - 1, (bounds.top() + 30) * 0.1 - 1,
                                 bounds.width() * 0.1 + 2, bounds.height() * 0.1 + 2)
                   .contains(x + 0.5, y + 0.5))

"""Analysis overlays on the canvas and the map key that explains them.

Each overlay switch must change what the cards and arrows report, with the engine's
own figures; a stale result (None) must clear the analysis marks; edits, undo and a
palette change must keep them until the next result. Any Qt warning fails a test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from pytestqt.qtbot import QtBot

from cx_mapper.domain.journey import Touchpoint
from cx_mapper.domain.project import Project
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.results import Analysis
from cx_mapper.persistence.json_format import read_project
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.canvas import overlay, style
from cx_mapper.ui.editor.canvas.legend import CanvasLegend, attach_legend, legend_rows, per_hundred
from cx_mapper.ui.editor.canvas.overlay import (
    OverlayFigures,
    Overlays,
    flow_width,
    map_overlay,
    overlay_figures,
)
from cx_mapper.ui.editor.canvas.scene import CanvasScene
from cx_mapper.ui.editor.canvas.view import CanvasView
from cx_mapper.ui.look import palette
from tests.factories import RETAIL_SAMPLE

SAMPLE = RETAIL_SAMPLE
JOURNEY = "current"


@pytest.fixture
def project() -> Project:
    return read_project(SAMPLE)


@pytest.fixture
def doc(qtbot: QtBot, project: Project) -> ProjectDocument:
    return ProjectDocument(project)


@pytest.fixture
def scene(doc: ProjectDocument) -> CanvasScene:
    return CanvasScene(doc, JOURNEY)


@pytest.fixture
def analysis(doc: ProjectDocument) -> Analysis:
    return analyze(doc.project, JOURNEY)


def loyalty_of(analysis: Analysis, touchpoint_id: str) -> float:
    return float(analysis.touchpoints.loyalty[analysis.index(touchpoint_id)])


# -- each switch --------------------------------------------------------------------------


def test_visits_bar_is_each_touchpoints_visits_over_the_busiest(
        scene: CanvasScene, analysis: Analysis) -> None:
    scene.set_analysis(analysis, Overlays.none())
    assert all(card.visits() is None for card in scene.cards().values())

    scene.set_overlays(Overlays(visits=True, flow=False, loyalty=False))
    visits = analysis.touchpoints.visits
    for i, touchpoint_id in enumerate(analysis.ids):
        assert scene.card(touchpoint_id).visits() == pytest.approx(visits[i] / visits.max())
    busiest = analysis.ids[int(np.argmax(visits))]
    assert scene.card(busiest).visits() == 1.0
    assert "per entering customer" in scene.card(busiest).tooltip()


def test_arrow_widths_follow_the_flow_of_map_overlay(
        scene: CanvasScene, project: Project, analysis: Analysis) -> None:
    scene.set_analysis(analysis, Overlays(visits=False, flow=False, loyalty=False))
    assert {a.flow_width() for a in scene.arrows().values()} == {style.ARROW_WIDTH}

    scene.set_overlays(Overlays(visits=False, flow=True, loyalty=False))
    _, flows = map_overlay(project, project.journey(JOURNEY), analysis)
    arrows = scene.arrows()
    assert set(flows) == set(arrows)
    for key, share in flows.items():
        expected = style.FLOW_MIN_WIDTH + share * (style.FLOW_MAX_WIDTH - style.FLOW_MIN_WIDTH)
        assert arrows[key].flow_width() == pytest.approx(expected, abs=overlay.FLOW_WIDTH_STEP)
    main = max(flows, key=lambda key: flows[key])
    assert arrows[main].flow_width() == style.FLOW_MAX_WIDTH and arrows[main].strength() == 1.0
    smallest = min(flows, key=lambda key: flows[key])
    assert arrows[smallest].strength() < 0.5  # small flows fade so the main path stands out
    # the real flow is v_i delta (1 - q_i) p_ij, here with the search ad's sigma 0 (q = 0)
    figures = scene.overlay_figures()
    assert figures is not None
    ad_to_site = project.journey(JOURNEY).transition("search_ad", "browse_site")
    v = float(analysis.touchpoints.visits[analysis.index("search_ad")])
    delta = 1 / (1 + project.journey(JOURNEY).discount_rate)
    assert figures.flows[ad_to_site.key] == pytest.approx(v * delta * ad_to_site.probability)


def test_loyalty_badges_show_loyalty_after_each_touchpoint_by_sign(
        scene: CanvasScene, analysis: Analysis) -> None:
    scene.set_analysis(analysis, Overlays(visits=False, flow=False, loyalty=True))
    negative, _, positive = palette.LIGHT.satisfaction
    for touchpoint_id in analysis.ids:
        card = scene.card(touchpoint_id)
        points = round(100 * loyalty_of(analysis, touchpoint_id))
        sign = "+" if points > 0 else "\u2212" if points < 0 else ""
        assert card.loyalty_badge() == f"L {sign}{abs(points)}"
        if points:
            assert card.loyalty_colour() == (positive if points > 0 else negative)
    assert scene.card("delivery_call").loyalty_badge().startswith("L \u2212")
    assert scene.card("review_post").loyalty_colour() == positive

    scene.set_overlays(Overlays(visits=False, flow=False, loyalty=False))
    assert all(card.loyalty_badge() is None for card in scene.cards().values())


def test_an_unvisited_touchpoint_gets_a_dash(doc: ProjectDocument, scene: CanvasScene) -> None:
    lonely = doc.add_touchpoint(JOURNEY, Touchpoint("", name="Never visited", x=0, y=600))
    analysis = analyze(doc.project, JOURNEY)
    assert math.isnan(loyalty_of(analysis, lonely))
    scene.set_analysis(analysis, Overlays.all())
    card = scene.card(lonely)
    assert card.loyalty_badge() == "L \u2014" and card.visits() == 0.0
    assert card.loyalty_colour() == palette.LIGHT.card_muted
    assert "nobody visits it" in card.tooltip()


def test_satisfaction_fill_tints_the_body_and_keeps_the_text_readable(
        scene: CanvasScene) -> None:
    card = scene.card("delivery_call")  # sigma -0.6
    assert card.fill_colour() == palette.LIGHT.card_fill
    scene.set_overlays(Overlays(satisfaction_fill=True))
    tinted = card.fill_colour()
    assert tinted != palette.LIGHT.card_fill
    assert tinted.red() > tinted.green()  # towards vermillion
    assert scene.card("review_post").fill_colour().green() > tinted.green()  # bluish green
    for pal in (palette.LIGHT, palette.DARK):
        for sigma in np.linspace(-1, 1, 21):
            fill = overlay.fill_colour(float(sigma), pal)
            assert overlay.contrast(fill, pal.card_text) >= 7.0
            muted = overlay.readable_ink(pal.card_muted, fill, pal.card_text)
            assert overlay.contrast(fill, muted) >= 4.5
    assert overlay.contrast(card.muted_colour(), tinted) >= 4.5


def test_badges_text_is_readable_on_the_card(scene: CanvasScene) -> None:
    for pal in (palette.LIGHT, palette.DARK):
        for value in (0.4, -0.4, 0.0, float("nan")):
            colour = overlay.loyalty_colour(value, pal)
            pill, ink = overlay.badge_colours(colour, pal)
            assert overlay.contrast(ink, pill) >= 4.5, (pal.dark, value)
            assert overlay.contrast(pill, pal.card_fill) < 1.6  # a faint tint


def test_a_new_width_keeps_the_route_label_and_tip(
        scene: CanvasScene, analysis: Analysis) -> None:
    """Re-widthing thousands of arrows per result must not re-route them."""
    arrow = scene.arrow(("search_ad", "browse_site"))
    before = (arrow.path(), arrow.head().at(0), arrow.label_rect(), arrow.boundingRect())
    head = arrow.head().boundingRect().width()
    scene.set_analysis(analysis, Overlays.all())
    assert arrow.flow_width() == style.FLOW_MAX_WIDTH
    assert (arrow.path(), arrow.head().at(0), arrow.label_rect(), arrow.boundingRect()) == before
    assert arrow.head().boundingRect().width() > head  # a wider line, a longer head
    assert arrow.head().at(0).x() == scene.card("browse_site").x()  # tip on the card's edge


# -- clearing, edits, undo and palettes ---------------------------------------------------


def test_none_clears_every_analysis_mark_but_not_the_tint(
        scene: CanvasScene, analysis: Analysis) -> None:
    scene.set_analysis(analysis, Overlays.all())
    assert scene.overlay_figures() is not None
    scene.set_analysis(None)
    assert scene.overlay_figures() is None and scene.overlays() == Overlays.all()
    for card in scene.cards().values():
        assert card.visits() is None and card.loyalty_badge() is None
        assert card.satisfaction_fill()
    assert {a.flow_width() for a in scene.arrows().values()} == {style.ARROW_WIDTH}
    assert {a.strength() for a in scene.arrows().values()} == {1.0}


def test_overlays_survive_an_edit_delete_and_undo(
        doc: ProjectDocument, scene: CanvasScene, analysis: Analysis) -> None:
    scene.set_analysis(analysis, Overlays.all())
    card = scene.card("browse_site")
    badge, visits = card.loyalty_badge(), card.visits()
    width = scene.arrow(("browse_site", "web_checkout")).flow_width()

    doc.set_touchpoint_fields(JOURNEY, ["browse_site"], satisfaction=-0.8)
    assert card.loyalty_badge() == badge and card.visits() == visits  # until the next result
    assert card.fill_colour() == overlay.fill_colour(-0.8, palette.LIGHT)  # the card's own
    doc.undo_stack.undo()

    doc.remove_items(JOURNEY, ["browse_site"])
    assert scene.card("browse_site") is None
    doc.undo_stack.undo()
    back = scene.card("browse_site")
    assert back is not None and back is not card
    assert back.loyalty_badge() == badge and back.visits() == visits
    assert back.fill_colour() == overlay.fill_colour(0.2, palette.LIGHT)
    assert scene.arrow(("browse_site", "web_checkout")).flow_width() == width


def test_elements_newer_than_the_result_get_no_marks(
        doc: ProjectDocument, scene: CanvasScene, analysis: Analysis) -> None:
    scene.set_analysis(analysis, Overlays.all())
    added = doc.add_touchpoint(JOURNEY, Touchpoint("", name="Chat", x=0, y=700))
    doc.connect_touchpoints(JOURNEY, "search_ad", added)
    assert scene.card(added).visits() is None and scene.card(added).loyalty_badge() is None
    assert scene.arrow(("search_ad", added)).flow_width() == style.FLOW_MIN_WIDTH
    # a result that knows a touchpoint since removed draws the rest
    doc.remove_items(JOURNEY, ["stock_call"])
    scene.set_analysis(analysis)
    assert scene.card("browse_site").loyalty_badge() is not None


def test_a_palette_change_keeps_the_marks_in_the_new_colours(
        scene: CanvasScene, analysis: Analysis) -> None:
    scene.set_analysis(analysis, Overlays.all())
    scene.set_palette(palette.DARK)
    card = scene.card("review_post")
    assert card.loyalty_badge() == "L +" + str(round(100 * loyalty_of(analysis, "review_post")))
    assert card.loyalty_colour() == palette.DARK.satisfaction[2]
    assert card.fill_colour() == overlay.fill_colour(0.6, palette.DARK)
    assert card.visits() is not None


def test_the_summary_call_set_overlay_still_works(
        scene: CanvasScene, project: Project, analysis: Analysis) -> None:
    visits, flows = map_overlay(project, project.journey(JOURNEY), analysis)
    scene.set_overlay(visits=visits, flows=flows)
    assert scene.card("search_ad").visits() == pytest.approx(visits["search_ad"])
    assert scene.card("search_ad").loyalty_badge() is None
    key = ("browse_site", "reviews")
    assert scene.arrow(key).flow_width() == flow_width(flows[key])
    scene.set_overlay(visits=None, flows=None)
    assert scene.card("search_ad").visits() is None
    assert scene.arrow(key).flow_width() == style.ARROW_WIDTH


def test_an_analysis_of_another_journey_is_refused(scene: CanvasScene, project: Project) -> None:
    with pytest.raises(ValueError, match="future"):
        scene.set_analysis(analyze(project, "future"), Overlays.all())


# -- drawing ------------------------------------------------------------------------------


def render(scene: CanvasScene, source: QRectF, scale: float) -> QImage:
    image = QImage(int(source.width() * scale), int(source.height() * scale),
                   QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    scene.render(painter, QRectF(image.rect()), source)
    painter.end()
    return image


def has_colour(image: QImage, colour: QColor, tolerance: int = 24) -> bool:
    for x in range(image.width()):
        for y in range(image.height()):
            pixel = image.pixelColor(x, y)
            if (abs(pixel.red() - colour.red()) <= tolerance
                    and abs(pixel.green() - colour.green()) <= tolerance
                    and abs(pixel.blue() - colour.blue()) <= tolerance):
                return True
    return False


def test_cards_paint_their_badge_and_tint_close_up_and_far_out(
        scene: CanvasScene, analysis: Analysis) -> None:
    scene.set_analysis(analysis, Overlays.all())
    card = scene.card("delivery_call")
    badge = card.mapRectToScene(card.loyalty_rect())
    assert not badge.intersects(card.mapRectToScene(card.visibility_rect()))
    assert not badge.intersects(card.mapRectToScene(card.satisfaction_rect()))
    close = render(scene, badge, 2.0)
    assert has_colour(close, overlay.badge_colours(palette.LIGHT.satisfaction[0], palette.LIGHT)[1])
    scene.set_overview(True)  # far out the layer draws the bodies, tinted as well
    body = card.scene_card_rect().adjusted(60, 30, -40, -30)
    far = render(scene, body, 0.1 * 10)
    assert has_colour(far, card.fill_colour(), tolerance=3)


# -- the key ------------------------------------------------------------------------------


@pytest.mark.parametrize(("switches", "kinds"), [
    (Overlays(satisfaction_fill=True, visits=False, flow=False, loyalty=False),
     ["satisfaction"]),
    (Overlays(satisfaction_fill=False, visits=True, flow=False, loyalty=False), ["visits"]),
    (Overlays(satisfaction_fill=False, visits=False, flow=True, loyalty=False), ["flow"]),
    (Overlays(satisfaction_fill=False, visits=False, flow=False, loyalty=True), ["loyalty"]),
    (Overlays.all(), ["satisfaction", "visits", "flow", "loyalty"]),
    (Overlays.none(), []),
])
def test_the_key_explains_each_switched_on_overlay(
        qtbot: QtBot, project: Project, analysis: Analysis, switches: Overlays,
        kinds: list[str]) -> None:
    figures = overlay_figures(project, project.journey(JOURNEY), analysis)
    legend = CanvasLegend()
    qtbot.addWidget(legend)
    legend.set_overlays(switches, figures)
    rows = {row.kind: row for row in legend.rows()}
    assert list(rows) == kinds
    if "satisfaction" in rows:
        assert "CSAT 1" in rows["satisfaction"].text and "5" in rows["satisfaction"].text
    if "visits" in rows:
        assert f"{analysis.touchpoints.visits.max():.2f} per customer" in rows["visits"].text
    if "flow" in rows:
        low, high = per_hundred(figures.min_flow), per_hundred(figures.max_flow)
        assert f"{low} to {high} customers per 100" in rows["flow"].text
        assert high == f"{100 * figures.max_flow:.0f}"
    if "loyalty" in rows:
        assert "\u2212100 to +100" in rows["loyalty"].text and "\u2014" in rows["loyalty"].text
    image = QImage(legend.size(), QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    legend.render(image)  # paints every kind of row without a warning


def test_without_a_result_the_key_says_so() -> None:
    rows = legend_rows(Overlays.all(), None)
    assert [row.kind for row in rows] == ["satisfaction", "note"]
    assert legend_rows(Overlays(satisfaction_fill=False), None)[0].kind == "note"
    shares = OverlayFigures.from_shares({"a": 1.0}, {("a", "b"): 1.0})
    assert "share of the largest" in legend_rows(Overlays(), shares)[1].text


def test_an_attached_key_follows_its_scene_and_keeps_to_the_corner(
        qtbot: QtBot, scene: CanvasScene, analysis: Analysis) -> None:
    view = CanvasView(scene)
    qtbot.addWidget(view)
    legend = CanvasLegend()
    attach_legend(view, legend, margin=12)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    assert legend.parentWidget() is view
    assert [row.kind for row in legend.rows()] == ["note"]  # no result yet

    scene.set_analysis(analysis, Overlays.all())
    assert [row.kind for row in legend.rows()] == ["satisfaction", "visits", "flow", "loyalty"]
    assert legend.isVisible()
    viewport = view.viewport().geometry()

    def anchored() -> bool:
        geometry = legend.geometry()
        return (geometry.left() == viewport.left() + 12
                and geometry.bottom() == view.viewport().geometry().bottom() - 12)

    assert anchored()
    view.resize(700, 500)
    qtbot.waitUntil(anchored)

    scene.set_analysis(None)
    assert [row.kind for row in legend.rows()] == ["satisfaction", "note"]
    scene.set_palette(palette.DARK)
    assert legend.canvas_palette() is palette.DARK
    scene.set_overlays(Overlays.none())
    assert legend.isHidden()
    scene.set_overlays(Overlays.all())
    legend.set_wanted(False)
    assert legend.isHidden()

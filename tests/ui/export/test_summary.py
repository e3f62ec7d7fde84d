"""The PNG summary: the size asked for, every part painted where the layout puts it, real
text, the map in its satisfaction colours, and the same page at any width."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage

from cx_mapper.domain.journey import Journey, Touchpoint, Transition
from cx_mapper.domain.project import Project, Segment
from cx_mapper.engine.analysis import analyze
from cx_mapper.persistence.json_format import read_project
from cx_mapper.ui.analysis import charts
from cx_mapper.ui.editor.canvas.overlay import map_overlay
from cx_mapper.ui.export.summary import BASE_WIDTH, render_summary, summary_layout
from cx_mapper.ui.look import palette
from tests.factories import RETAIL_SAMPLE

SAMPLE = RETAIL_SAMPLE
DATE = dt.date(2025, 3, 14)


@pytest.fixture(scope="module")
def project() -> Project:
    return read_project(SAMPLE)


@pytest.fixture(scope="module")
def page(qapp: object, project: Project) -> QImage:
    return render_summary(project, analyze(project, "current"), date=DATE)


@pytest.fixture(scope="module")
def layout(qapp: object, project: Project) -> dict[str, QRect]:
    return summary_layout(project, analyze(project, "current"))


def pixels(image: QImage, rect: QRect, step: int = 3) -> np.ndarray:
    """The region's pixels as an (n, 3) array of RGB, sampled every `step` pixels."""
    region = image.copy(rect).convertToFormat(QImage.Format.Format_RGB888)
    data = np.frombuffer(region.constBits(), np.uint8, region.sizeInBytes())
    rows = data.reshape(region.height(), region.bytesPerLine())[:, :region.width() * 3]
    # A copy: the array must not outlive the QImage that owns the memory.
    return rows.reshape(region.height(), region.width(), 3)[::step, ::step].reshape(-1, 3).copy()


def near(colours: np.ndarray, colour: QColor, tolerance: int = 24) -> int:
    target = np.array([colour.red(), colour.green(), colour.blue()])
    return int((np.abs(colours.astype(int) - target).max(axis=1) <= tolerance).sum())


def dark(colours: np.ndarray) -> int:
    return int((colours.astype(int).max(axis=1) < 90).sum())


def test_the_page_has_the_requested_width_and_a_portrait_height(page: QImage,
                                                                layout: dict[str, QRect]) -> None:
    assert page.width() == 2400
    # one long portrait page: the map, its seven lanes and two personas, then the charts
    assert 1.3 < page.height() / page.width() < 3.0
    assert layout["footer"].bottom() < page.height()
    assert page.text("Title") == "Retail omnichannel: Current state"


def test_every_part_is_painted_where_the_layout_puts_it(page: QImage,
                                                       layout: dict[str, QRect]) -> None:
    assert set(layout) == {"header", "kpis", "map", "lanes", "personas", "loyalty",
                           "over_time", "exposure", "fix_first", "removal", "footer"}
    for name, rect in layout.items():
        assert QRect(0, 0, page.width(), page.height()).contains(rect), name
        colours = pixels(page, rect)
        painted = (colours.astype(int).min(axis=1) < 235).mean()
        assert painted > 0.02, f"{name} is blank"
        assert len(np.unique(colours, axis=0)) > 20, f"{name} has no detail"
    ordered = [layout[k].top() for k in ("header", "kpis", "map", "lanes", "personas",
                                         "loyalty", "over_time", "fix_first", "footer")]
    assert ordered == sorted(ordered)
    for upper, lower in (("header", "kpis"), ("kpis", "map"), ("map", "lanes"),
                         ("lanes", "personas"), ("personas", "loyalty"),
                         ("loyalty", "over_time"), ("over_time", "fix_first"),
                         ("exposure", "removal"), ("fix_first", "footer")):
        assert layout[upper].bottom() < layout[lower].top(), (upper, lower)
    assert layout["over_time"].right() < layout["exposure"].left()


def test_the_title_is_real_text_in_dark_ink(page: QImage, layout: dict[str, QRect],
                                           project: Project) -> None:
    header = layout["header"]
    title_band = QRect(header.left(), header.top() + 40, header.width() // 2, 75)
    ink = dark(pixels(page, title_band, 1))
    assert ink > 3000  # "Current state" at 60 px is thousands of dark pixels
    blank_band = QRect(header.left(), header.top() - 60, header.width(), 40)
    assert dark(pixels(page, blank_band, 1)) == 0
    # The text, not a picture: another journey name draws other ink.
    other = render_summary(project, analyze(project, "future"), date=DATE)
    assert other.copy(title_band) != page.copy(title_band)


def test_key_figures_and_map_use_the_satisfaction_colours(page: QImage,
                                                         layout: dict[str, QRect],
                                                         project: Project) -> None:
    good = palette.LIGHT.good_text  # the green of the satisfaction scale, in its text shade
    assert near(pixels(page, layout["kpis"], 1), good, 10) > 200  # "+6.6", "+16.8"
    map_pixels = pixels(page, layout["map"], 2)
    journey = project.journey("current")
    for touchpoint in journey.touchpoints.values():
        colour = palette.satisfaction_color(touchpoint.satisfaction)
        assert near(map_pixels, colour, 8) > 20, touchpoint.id  # its card's colour bar
    assert near(map_pixels, palette.LIGHT.visits, 8) > 20  # the visits bars of the overlay


def test_the_page_scales_with_the_width(qapp: object, project: Project, page: QImage,
                                        layout: dict[str, QRect]) -> None:
    small = render_summary(project, analyze(project, "current"), width=1200, date=DATE)
    assert small.width() == 1200
    assert abs(small.height() - page.height() / 2) <= 1
    # The same picture, half the size: text and charts scale with the page.
    big = page.scaled(1200, small.height())
    difference = np.abs(pixels(small, small.rect(), 4).astype(int)
                        - pixels(big, big.rect(), 4).astype(int)).mean()
    assert difference < 12
    half = summary_layout(project, analyze(project, "current"), width=1200)
    assert abs(half["map"].top() - layout["map"].top() / 2) <= 1
    assert BASE_WIDTH == 1600


def test_errors_say_what_is_wrong(qapp: object, project: Project) -> None:
    future = analyze(project, "future")
    without_future = Project(name=project.name, segments=project.segments,
                             journeys=[project.journey("current")])
    with pytest.raises(ValueError, match="journey 'future'"):
        render_summary(without_future, future)
    with pytest.raises(ValueError, match="400 pixels"):
        render_summary(project, future, width=300)


def test_drawing_the_summary_never_analyses(qapp: object, project: Project,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The figures are the caller's: the service's in the app, export's on the command line."""
    from cx_mapper.engine import analysis as engine

    current = analyze(project, "current")
    monkeypatch.setattr(engine, "analyze",
                        lambda *_a, **_k: pytest.fail("the summary analysed the journey"))
    assert render_summary(project, current, width=800, date=DATE).width() == 800


def test_a_journey_without_a_goal_ranks_gains_instead_of_removal_effects(
        qapp: object) -> None:
    journey = Journey("plain", name="No goal", touchpoints={
        "ad": Touchpoint("ad", "Sees an ad", entry=1.0, satisfaction=0.5),
        "site": Touchpoint("site", "Visits the site", satisfaction=-0.5)},
        transitions={("ad", "site"): Transition("ad", "site", 0.5),
                     ("site", "ad"): Transition("site", "ad", 0.2)})
    project = Project(name="Plain", journeys=[journey])
    analysis = analyze(project, "plain")
    layout = summary_layout(project, analysis, width=1600)
    assert "removal" not in layout and "fix_first_chart" in layout
    image = render_summary(project, analysis, width=1600)
    assert (pixels(image, layout["fix_first_chart"]).min(axis=1) < 200).mean() > 0.02


def test_map_overlay_scales_visits_and_flows_to_the_largest(project: Project) -> None:
    analysis = analyze(project, "current")
    journey = project.journey("current")
    visits, flows = map_overlay(project, journey, analysis)
    assert max(visits.values()) == 1.0 and max(flows.values()) == pytest.approx(1.0)
    busiest = analysis.ids[int(np.argmax(analysis.touchpoints.visits))]
    assert visits[busiest] == 1.0
    assert set(flows) == set(journey.transitions)
    # One segment that never abandons: flow is visits times probability.
    plain = Project(segments=[Segment("s", abandon_on_poor=0.0)], journeys=[journey])
    result = analyze(plain, "current")
    _, plain_flows = map_overlay(plain, journey, result)
    raw = {key: result.touchpoints.visits[result.index(key[0])] * t.probability
           for key, t in journey.transitions.items()}
    top = max(raw.values())
    assert all(plain_flows[key] == pytest.approx(value / top) for key, value in raw.items())


def test_the_map_is_drawn_without_a_document_or_undo_stack(
        qapp: object, project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtGui import QUndoStack

    from cx_mapper.ui.document.project_document import ProjectDocument
    from cx_mapper.ui.editor.canvas.journey_scene import JourneyScene

    made: list[str] = []
    undo_init = QUndoStack.__init__

    def record(self: QUndoStack, *args: object) -> None:
        made.append("undo stack")
        undo_init(self, *args)

    monkeypatch.setattr(QUndoStack, "__init__", record)
    monkeypatch.setattr(ProjectDocument, "__init__",
                        lambda *_a, **_k: pytest.fail("the summary made a ProjectDocument"))
    monkeypatch.setattr(JourneyScene, "__init__",
                        lambda *_a, **_k: pytest.fail("the summary made an editing scene"))
    image = render_summary(project, analyze(project, "current"), width=800, date=DATE)
    assert image.width() == 800
    assert made == []


def test_the_summary_keys_both_the_green_and_the_vermillion_exposure_bars(
        qapp: object, project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """The summary draws the dock's exposure chart: its key names good and bad talk."""
    drawn: list[charts.Chart] = []
    plot_exposure = charts.plot_exposure_by_touchpoint

    def recorded(*args: object, **kwargs: object) -> charts.Chart:
        drawn.append(plot_exposure(*args, **kwargs))  # type: ignore[arg-type]
        return drawn[-1]

    monkeypatch.setattr(charts, "plot_exposure_by_touchpoint", recorded)
    analysis = analyze(project, "current")
    render_summary(project, analysis, width=1600, date=DATE)
    (chart,) = drawn
    words = [label.text for _, label in chart.items["legend"].items]
    assert words == ["Good, public", "Good, private", "Bad, public", "Bad, private"]

"""Analysis charts: every drawn bar and point is the engine's number, in a readable order."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from cx_mapper.domain.journey import Journey, Stage, Touchpoint, Transition
from cx_mapper.domain.project import Project
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.results import Analysis
from cx_mapper.persistence.json_format import read_project
from cx_mapper.ui.analysis import charts
from cx_mapper.ui.analysis.chart_style import ChartStyle, MagnitudeAxis
from cx_mapper.ui.analysis.charts_panel import ChartsPanel
from cx_mapper.ui.look import palette
from tests.factories import RETAIL_SAMPLE

SAMPLE = RETAIL_SAMPLE


@pytest.fixture(scope="module")
def project() -> Project:
    return read_project(SAMPLE)


@pytest.fixture(scope="module")
def analysis(project: Project) -> Analysis:
    return analyze(project, "current")


@pytest.fixture
def plot(qtbot: QtBot) -> Iterator[pg.PlotItem]:
    widget = pg.GraphicsLayoutWidget()  # held here: qtbot keeps only a weak reference
    qtbot.addWidget(widget)
    widget.resize(900, 400)
    yield widget.addPlot()
    widget.close()


def small_project(conversion: bool = False) -> Project:
    """Ad -> site -> help, stages in reverse of the touchpoint order, one without a stage."""
    touchpoints = {
        "help": Touchpoint("help", "Calls for help", stage="serve", satisfaction=-0.6,
                           visibility=0.3, conversion=conversion),
        "site": Touchpoint("site", "Visits the site", stage="aware", satisfaction=0.4),
        "ad": Touchpoint("ad", "Sees an ad", stage="aware", satisfaction=0.2, entry=1.0,
                         visibility=0.5),
        "stray": Touchpoint("stray", "Reads a leaflet", satisfaction=0.5),
    }
    transitions = {
        ("ad", "site"): Transition("ad", "site", 0.6),
        ("site", "help"): Transition("site", "help", 0.3),
        ("help", "ad"): Transition("help", "ad", 0.2),
        ("site", "stray"): Transition("site", "stray", 0.2),
    }
    journey = Journey("j", name="Small", stages=[Stage("aware", "Awareness"),
                                                  Stage("serve", "Service")],
                      touchpoints=touchpoints, transitions=transitions)
    return Project(name="Small", journeys=[journey])


def test_touchpoints_are_ordered_by_stage_then_along_the_flow() -> None:
    project = small_project()
    groups = charts.journey_order(project.journeys[0], analyze(project))
    assert groups == [("Awareness", ["ad", "site"]), ("Service", ["help"]),
                      (charts.NO_STAGE, ["stray"])]


def test_loyalty_curve_points_are_the_engine_loyalty_in_journey_order(
        plot: pg.PlotItem, project: Project, analysis: Analysis) -> None:
    journey = project.journey("current")
    chart = charts.plot_loyalty_curve(plot, analysis, journey)
    expected_ids = [tid for _, members in charts.journey_order(journey, analysis)
                    for tid in members]
    assert chart.ids == expected_ids and sorted(chart.ids) == sorted(analysis.ids)
    engine = 100 * np.array([analysis.touchpoints.loyalty[analysis.index(t)] for t in chart.ids])
    x, y = chart.items["points"].getData()
    assert np.allclose(y, engine) and np.allclose(x, np.arange(len(engine)))
    assert [name for _, name in chart.values["stage_ticks"]] == [
        s.name for s in journey.stages]
    ticks = plot.getAxis("bottom")._tickLevels[0]
    assert [name for _, name in ticks] == [s.name for s in journey.stages]
    lowest = chart.labels[int(np.argmin(engine))]
    assert any(lowest in note.textItem.toPlainText() for note in chart.items["notes"])


def test_the_stage_bands_fill_exactly_the_shown_range(
        plot: pg.PlotItem, project: Project, analysis: Analysis) -> None:
    """No band reaches past the plot: a writer without clipping (SVG) would draw the
    overflow over the next section of the summary."""
    charts.plot_loyalty_curve(plot, analysis, project.journey("current"))
    (x_low, x_high), (y_low, y_high) = plot.getViewBox().viewRange()
    bounds = next(item for item in plot.items if isinstance(item, pg.BarGraphItem)
                  ).boundingRect()
    edge = 0.01 * (y_high - y_low)  # the bands' outline adds a hair
    assert bounds.top() == pytest.approx(y_low, abs=edge)
    assert bounds.bottom() == pytest.approx(y_high, abs=edge)
    assert bounds.left() >= x_low - 0.01 and bounds.right() <= x_high + 0.01


def test_loyalty_curve_leaves_out_touchpoints_nobody_visits(plot: pg.PlotItem) -> None:
    project = small_project()
    journey = project.journeys[0]
    journey.remove_transition("site", "stray")
    result = analyze(project)
    chart = charts.plot_loyalty_curve(plot, result, journey)
    assert np.isnan(chart.values["loyalty"][chart.ids.index("stray")])
    _, y = chart.items["points"].getData()
    assert len(y) == len(chart.ids) - 1 and np.isfinite(y).all()


def test_over_time_charts_draw_the_engine_series(qtbot: QtBot, analysis: Analysis) -> None:
    widget = pg.GraphicsLayoutWidget()
    qtbot.addWidget(widget)
    active = charts.plot_active(widget.addPlot(), analysis)
    exposure = charts.plot_exposure_over_time(widget.addPlot(), analysis)
    series = analysis.series
    x, y = active.items["active"].getData()
    assert np.array_equal(x, series.step) and np.allclose(y, series.active)
    _, positive = exposure.items["positive"].getData()
    _, negative = exposure.items["negative"].getData()
    assert np.allclose(positive, series.exposure_positive)
    assert np.allclose(negative, series.exposure_negative)
    assert [label.textItem.toPlainText() for label in exposure.items["labels"]] == [
        "Positive", "Negative"]


def test_exposure_bars_stack_public_on_private_with_bad_to_the_left(
        plot: pg.PlotItem, project: Project, analysis: Analysis) -> None:
    chart = charts.plot_exposure_by_touchpoint(plot, analysis, project.journey("current"),
                                               count=12)
    figures = analysis.touchpoints
    index = [analysis.index(tid) for tid in chart.ids]
    total = figures.exposure_private + figures.exposure_public
    assert list(total[index]) == sorted(total[index], reverse=True)
    assert len(chart.ids) == 12
    private, public = chart.items["private"].opts, chart.items["public"].opts
    assert np.allclose(private["width"], figures.exposure_private[index])
    assert np.allclose(public["width"], figures.exposure_public[index])
    # "Calls about a late or damaged delivery" is a poor experience: its bar goes left.
    bad = chart.ids.index("delivery_call")
    good = chart.ids.index("friend_post")
    assert private["x0"][bad] < 0 and public["x0"][bad] < 0
    assert private["x0"][good] == 0 and public["x0"][good] == pytest.approx(
        figures.exposure_private[analysis.index("friend_post")])
    assert chart.labels[good] == "Sees a friend's post about us"
    assert isinstance(plot.getAxis("bottom"), MagnitudeAxis)


def legend_entries(legend: pg.LegendItem) -> dict[str, str]:
    """The key's words and the colour of the swatch beside each."""
    return {label.text: sample.item.opts["brush"].color().name()
            for sample, label in legend.items}


def bar_colours(bars: pg.BarGraphItem) -> set[str]:
    return {brush.color().name() for brush in bars.opts["brushes"]}


def test_the_exposure_key_explains_both_the_green_and_the_vermillion_bars(
        plot: pg.PlotItem, project: Project, analysis: Analysis) -> None:
    chart = charts.plot_exposure_by_touchpoint(plot, analysis, project.journey("current"))
    assert (chart.values["sign"] < 0).any() and (chart.values["sign"] > 0).any()
    key = legend_entries(chart.items["legend"])
    assert any("Good" in words for words in key) and any("Bad" in words for words in key)
    # Every colour of a bar has its words in the key, and no swatch is without a bar.
    drawn = bar_colours(chart.items["public"]) | bar_colours(chart.items["private"])
    assert set(key.values()) == drawn
    assert key["Bad, public"] == ChartStyle().negative.name()
    assert key["Good, public"] == ChartStyle().positive.name()
    # The key lies outside the plotted area, so it hides no bar and no number.
    QApplication.processEvents()
    key = chart.items["legend"].sceneBoundingRect()
    data_area = plot.getViewBox().sceneBoundingRect()
    assert not key.isEmpty() and not key.intersects(data_area), (key, data_area)
    assert plot.sceneBoundingRect().contains(key)  # and inside the chart, not cut off
    # A journey where all talk is good keys only the good bars.
    good_only = small_project()
    good_only.journey("j").update_touchpoint("help", satisfaction=0.3)
    chart = charts.plot_exposure_by_touchpoint(plot, analyze(good_only, "j"),
                                               good_only.journey("j"))
    assert list(legend_entries(chart.items["legend"])) == ["Good, public", "Good, private"]


def test_in_the_wide_dock_the_exposure_key_stands_beside_the_chart(
        qtbot: QtBot, project: Project, analysis: Analysis) -> None:
    widget = pg.GraphicsLayoutWidget()
    qtbot.addWidget(widget)
    widget.resize(1380, 190)  # the dock's chart at the default window size
    widget.show()
    qtbot.waitExposed(widget)
    plot = widget.addPlot()
    chart = charts.plot_exposure_by_touchpoint(plot, analysis, project.journey("current"))
    QApplication.processEvents()
    key = chart.items["legend"].sceneBoundingRect()
    data_area = plot.getViewBox().sceneBoundingRect()
    assert key.left() >= data_area.right() - 1 and plot.sceneBoundingRect().contains(key)
    assert data_area.height() > 0.7 * plot.sceneBoundingRect().height()  # no row under it


def test_fix_first_bars_are_the_sensitivity_ranking(plot: pg.PlotItem, project: Project,
                                                    analysis: Analysis) -> None:
    chart = charts.plot_fix_first(plot, analysis, project.journey("current"), count=8)
    ranking = analysis.fix_first("loyalty_index", 8)
    assert chart.ids == [tid for tid, _ in ranking]
    assert np.allclose(chart.items["bars"].opts["width"],
                       [100 * charts.SATISFACTION_STEP * gain for _, gain in ranking])
    ticks = plot.getAxis("left")._tickLevels[0]
    assert ticks[0] == (0.0, "Browses products on the website")


def test_removal_effect_bars_and_a_journey_without_a_goal(plot: pg.PlotItem, project: Project,
                                                          analysis: Analysis) -> None:
    chart = charts.plot_removal_effects(plot, analysis, project.journey("current"))
    removal = analysis.touchpoints.removal_effect
    assert removal is not None
    widths = chart.items["bars"].opts["width"]
    assert np.allclose(widths, [100 * removal[analysis.index(t)] for t in chart.ids])
    assert list(widths) == sorted(widths, reverse=True) and widths[0] == pytest.approx(91.1,
                                                                                      abs=0.1)
    plain = small_project()
    empty = charts.plot_removal_effects(plot, analyze(plain), plain.journeys[0])
    assert "No conversion touchpoint" in empty.message and "bars" not in empty.items


def test_panel_fills_every_chart_and_follows_the_theme(qtbot: QtBot, project: Project,
                                                       analysis: Analysis) -> None:
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    panel.resize(1300, 300)
    panel.show_analysis(analysis, project.journey("current"))
    assert set(panel.charts) == {"loyalty", "active", "exposure_time", "exposure", "fix_first",
                                 "removal"}
    assert all(not chart.message for chart in panel.charts.values())
    removal_tab = panel.TABS.index("Removal effect")
    assert panel.tabs.isTabEnabled(removal_tab)
    plain = small_project()
    panel.show_analysis(analyze(plain), plain.journeys[0])
    assert not panel.tabs.isTabEnabled(removal_tab)
    panel.show_analysis(None, None)
    assert panel.charts == {}


def test_draw_chart_paints_at_the_target_size(qtbot: QtBot, project: Project,
                                              analysis: Analysis) -> None:
    image = QImage(1200, 500, QImage.Format.Format_RGB32)
    image.fill(0xFF000000)
    painter = QPainter(image)
    painter.scale(2, 2)  # like the summary page at 2x
    chart_style = ChartStyle(font_px=24, background=palette.LIGHT.card_fill)
    target = QRectF(50, 20, 400, 200)
    charts.draw_chart(painter, target, chart_style, lambda widget: charts.plot_loyalty_curve(
        widget.addPlot(), analysis, project.journey("current"), chart_style))
    painter.end()
    assert image.pixelColor(150, 100) != image.pixelColor(10, 10)  # inside is painted
    assert image.pixelColor(1000, 480).name() == "#000000"  # outside is left alone
    inside = image.copy(100, 40, 800, 400)
    dark = sum(1 for x in range(0, 800, 4) for y in range(0, 400, 4)
               if inside.pixelColor(x, y).lightness() < 110)
    assert dark > 50  # text, the curve and its points


def test_panel_draws_a_tab_when_it_is_opened(qtbot: QtBot, project: Project,
                                             analysis: Analysis) -> None:
    """Live edits redraw only the chart on show; the others wait until opened."""
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    panel.show_analysis(analysis, project.journey("current"))
    assert panel.loyalty_plot.items and not panel.removal_plot.items
    panel.tabs.setCurrentIndex(panel.TABS.index("Removal effect"))
    widths = next(item for item in panel.removal_plot.items
                  if isinstance(item, pg.BarGraphItem)).opts["width"]
    removal = analysis.touchpoints.removal_effect
    assert removal is not None and widths[0] == pytest.approx(100 * np.nanmax(removal))


def test_a_tab_added_after_the_charts_does_not_break_a_refresh(
        qtbot: QtBot, project: Project, analysis: Analysis) -> None:
    """The dock adds its own tabs to the same tab widget: they are not charts."""
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    extra = QWidget()
    panel.tabs.addTab(extra, "Touchpoints")
    panel.tabs.setCurrentWidget(extra)
    assert panel.current_chart() is None
    panel.show_analysis(analysis, project.journey("current"))  # draws nothing yet
    assert not any(isinstance(item, pg.ScatterPlotItem) for item in panel.loyalty_plot.items)
    panel.tabs.setCurrentIndex(panel.tabs.indexOf(panel.chart_widget("Fix first")))
    assert panel.current_chart() == "Fix first" and panel.fix_first_plot.items
    panel.tabs.setCurrentWidget(extra)
    panel.set_stale(True, "Updating")
    assert not panel.chart_widget("Loyalty").isEnabled() and panel.tabs.isEnabled()
    panel.show_analysis(analysis, project.journey("current"))
    assert not panel.is_stale() and panel.chart_widget("Loyalty").isEnabled()
    assert set(panel.charts) == {"loyalty", "active", "exposure_time", "exposure", "fix_first",
                                 "removal"}

"""The summary's plan section: drawn for a journey with opportunities and plan settings,
with the plan's funded opportunities filled on the matrix, the budget on the frontier,
and the before -> after figures the plan gives; left out otherwise."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QImage

from cx_mapper.domain.project import Project
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.plan import plan
from cx_mapper.persistence.json_format import read_project
from cx_mapper.ui.analysis.chart_style import ChartStyle
from cx_mapper.ui.export.plan_charts import plot_frontier
from cx_mapper.ui.export.summary import render_summary, summary_layout
from cx_mapper.ui.export.summary_plan import PlanSection, plan_figures
from tests.factories import RETAIL_SAMPLE


@pytest.fixture(scope="module")
def project() -> Project:
    return read_project(RETAIL_SAMPLE)


def test_the_retail_plan_is_the_one_its_settings_ask_for(project: Project) -> None:
    figures = plan_figures(project, "current")
    assert figures is not None
    chosen, gains = figures
    settings = project.journey("current").plan
    assert settings is not None
    expected = plan(project, "current", settings.budget, dict(settings.objective))
    assert chosen.chosen == expected.chosen == ("live-stock", "guest-checkout", "review-ask")
    assert chosen.cost == 105.0
    assert set(gains) == {o.id for o in project.journey("current").opportunities}


def test_the_section_funds_on_the_matrix_what_the_plan_funds(qapp: object,
                                                            project: Project) -> None:
    figures = plan_figures(project, "current")
    assert figures is not None
    section = PlanSection(project, project.journey("current"), analyze(project, "current"),
                          *figures, left=0.0, width=1472.0)
    funded = [p.id for p in section.points() if p.funded]
    assert funded == list(figures[0].chosen)
    # Gains on the matrix are the loyalty index as the cards show it (x100).
    guest = next(p for p in section.points() if p.id == "guest-checkout")
    assert guest.gain == pytest.approx(100 * figures[1]["guest-checkout"]["loyalty_index"])


def test_the_page_has_a_plan_block_only_with_plan_settings(qapp: object,
                                                          project: Project) -> None:
    analysis = analyze(project, "current")
    with_plan = summary_layout(project, analysis, width=1600,
                               plan=plan_figures(project, "current"))
    assert "plan" in with_plan
    assert with_plan["plan"].top() > with_plan["fix_first"].bottom()
    assert with_plan["footer"].top() > with_plan["plan"].bottom()
    assert "plan" not in summary_layout(project, analysis, width=1600)
    unset = dataclasses.replace(project, journeys=[
        dataclasses.replace(j, plan=None) for j in project.journeys])
    assert plan_figures(unset, "current") is None
    assert plan_figures(project, "future") is None  # no opportunities there


def test_the_plan_block_is_painted(qapp: object, project: Project) -> None:
    analysis = analyze(project, "current")
    figures = plan_figures(project, "current")
    image = render_summary(project, analysis, width=1600, date=dt.date(2026, 12, 3),
                           plan=figures)
    rect = summary_layout(project, analysis, width=1600, plan=figures)["plan"]
    region = image.copy(rect).convertToFormat(QImage.Format.Format_RGB888)
    data = np.frombuffer(region.constBits(), np.uint8, region.sizeInBytes())
    rows = data.reshape(region.height(), region.bytesPerLine())[:, :region.width() * 3]
    ink = (rows.reshape(region.height(), region.width(), 3).max(axis=2) < 120).mean()
    assert ink > 0.005  # charts, tiles and the table, not a blank block


def test_the_frontier_marks_the_best_score_within_the_budget(qapp: object) -> None:
    plot = pg.PlotItem()
    chart = plot_frontier(plot, [(0.0, 0.0), (10.0, 1.0), (50.0, 3.0)], 30.0, ChartStyle(),
                          cost_label="Budget", score_label="Best gain")
    assert chart.values["best"] == 1.0
    x, y = chart.items["line"].getData()
    assert list(x)[-1] > 50.0 and list(y)[-1] == 3.0

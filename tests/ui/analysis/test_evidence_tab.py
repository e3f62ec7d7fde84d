"""The Evidence tab: the tornado of what drives a figure's spread, Research next, and
what to do when no figure carries evidence; the plan's odds; both themes."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cx_mapper.engine.uncertainty_report import research_words
from cx_mapper.ui.analysis.evidence_view import NO_EVIDENCE, SHARE_SHOWN
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.look import palette
from cx_mapper.ui.look.theme import ThemeManager
from cx_mapper.ui.main_window import MainWindow
from cx_mapper.ui.plan.plan_view import ODDS_HEADER
from tests.ui.analysis.uncertain import click_tab, press_switch, retail, wait_for_result


@pytest.fixture
def make_window(qtbot: QtBot, recovery_folder: str,
                no_modal_questions: None) -> Iterator[Callable[..., MainWindow]]:
    made: list[MainWindow] = []

    def make(project: Any, samples: int = 400) -> MainWindow:
        window = MainWindow(ProjectDocument(project), recovery_folder=recovery_folder)
        qtbot.addWidget(window)
        window.resize(1400, 900)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        window.analysis_dock.raise_()
        window.analysis.uncertainty.samples = samples
        made.append(window)
        return window

    yield make
    for window in made:
        window.analysis.uncertainty.set_enabled(False)
    QThreadPool.globalInstance().waitForDone(30_000)
    qtbot.wait(10)


def shown_drivers(found: Any, key: str) -> list[tuple[str, float]]:
    return [(d.label, 100 * d.share) for d in found.drivers[key] if d.share >= SHARE_SHOWN][:8]


def test_the_tornado_shows_what_drives_the_chosen_figure(
        qtbot: QtBot, make_window: Callable[..., MainWindow]) -> None:
    window = make_window(retail())
    evidence = window.analysis.evidence
    click_tab(qtbot, window.analysis.charts.tabs, evidence)
    assert "Show uncertainty" in evidence.message.text()  # off: says how to switch on
    assert not evidence.showing_chart()
    press_switch(qtbot, window)
    found = wait_for_result(qtbot, window)
    assert evidence.showing_chart() and evidence.chosen_kpi() == "loyalty_index"
    chart = evidence.chart
    assert chart is not None
    expected = shown_drivers(found, "loyalty_index")
    assert list(zip(chart.ids, chart.values["share"], strict=True)) == [
        (d.key, pytest.approx(100 * d.share)) for d in found.drivers["loyalty_index"]
        if d.share >= SHARE_SHOWN][:8]
    assert [label for label, _ in expected][:3] == chart.labels[:3]  # names fit unelided
    assert np.all(np.diff(chart.values["share"]) <= 0)  # largest on top
    assert f"{found.samples:,} draws of {found.inputs} uncertain inputs" in evidence.about.text()

    # Another figure, chosen with the keyboard.
    box = evidence.kpi_box
    box.setFocus()
    qtbot.keyClicks(box, "Cu")  # typing picks an entry, as in any list
    assert evidence.chosen_kpi() == "value"
    assert list(evidence.chart.values["share"]) == pytest.approx(
        [share for _, share in shown_drivers(found, "value")])
    assert "customer value" in evidence.plot.getAxis("bottom").labelText.lower()

    # Research next: the command line's words, and the next inputs with their worth.
    words = research_words(found)
    assert html.escape(words.partition(": ")[2]) in evidence.research.text()
    assert found.research_next is not None  # workshop estimates make the plan unsure
    assert html.escape(found.research_next.label) in evidence.research.text()
    assert "What measuring each is worth" in evidence.research.text()


def test_a_robust_decision_and_a_journey_with_no_decision(
        qtbot: QtBot, make_window: Callable[..., MainWindow]) -> None:
    window = make_window(retail(workshop=False))  # only the segments' ranges
    evidence = window.analysis.evidence
    click_tab(qtbot, window.analysis.charts.tabs, evidence)
    press_switch(qtbot, window)
    found = wait_for_result(qtbot, window)
    assert found.robust
    assert "is robust" in evidence.research.text()
    assert "What measuring each is worth" not in evidence.research.text()

    window.tabs.show_journey("future")  # the future state has no opportunities
    qtbot.waitUntil(lambda: window.analysis.uncertainty.journey_id == "future")
    found = wait_for_result(qtbot, window)
    assert not found.decision
    assert "no decision to inform" in evidence.research.text()


def test_without_evidence_the_tab_says_how_to_add_some(
        qtbot: QtBot, make_window: Callable[..., MainWindow]) -> None:
    window = make_window(retail(ranges=False, workshop=False))
    evidence = window.analysis.evidence
    click_tab(qtbot, window.analysis.charts.tabs, evidence)
    press_switch(qtbot, window)
    wait_for_result(qtbot, window)
    assert not evidence.showing_chart()
    assert evidence.message.text() == NO_EVIDENCE
    assert "Inspector" in NO_EVIDENCE and "default ranges" in NO_EVIDENCE


def test_the_plan_shows_each_funded_opportunitys_chance_of_a_gain(
        qtbot: QtBot, make_window: Callable[..., MainWindow]) -> None:
    window = make_window(retail())
    press_switch(qtbot, window)
    found = wait_for_result(qtbot, window)
    panel = window.opportunities
    window.opportunities_dock.show()
    window.opportunities_dock.raise_()
    click_tab(qtbot, panel.tabs, panel.plan_view)
    view = panel.plan_view
    qtbot.waitUntil(lambda: bool(view.odds_texts()) and "…" not in view.odds_texts().values())
    journey = window.document.journey("current")
    titles = {o.id: o.title for o in journey.opportunities}
    plan = panel.figures.plan().value
    assert view.odds_texts() == {titles[o]: f"{found.opportunities[o].p_positive:.0%}"
                                 for o in plan.chosen}
    assert view.funded.horizontalHeaderItem(3).text() == ODDS_HEADER
    assert view.chance.isVisible()
    assert view.chance.text() == f"The plan is the best option in {found.plan_chance:.0%} " \
                                 "of draws."
    # A new budget is a new plan: its odds are worked out again, never the old ones shown.
    view.budget_spin.setFocus()
    qtbot.keyClick(view.budget_spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(view.budget_spin, "60")
    qtbot.keyClick(view.budget_spin, Qt.Key.Key_Return)
    assert window.document.journey("current").plan.budget == 60, view.budget_spin.text()
    assert set(view.odds_texts().values()) <= {"…"}
    found = wait_for_result(qtbot, window)
    qtbot.waitUntil(lambda: panel.figures.plan() is not None
                    and "…" not in view.odds_texts().values())
    plan = panel.figures.plan().value
    assert plan.budget == 60
    assert view.odds_texts() == {titles[o]: f"{found.opportunities[o].p_positive:.0%}"
                                 for o in plan.chosen}
    press_switch(qtbot, window)  # off: the column and the sentence go
    assert view.odds_texts() == {} and not view.chance.isVisible()


@pytest.mark.parametrize("theme_name", ["light", "dark"])
def test_intervals_and_the_tornado_in_both_themes(
        qtbot: QtBot, make_window: Callable[..., MainWindow], theme_name: str) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme = ThemeManager(app)
    try:
        theme.set_choice(theme_name)
        colours = palette.DARK if theme_name == "dark" else palette.LIGHT
        window = make_window(retail())
        evidence = window.analysis.evidence
        click_tab(qtbot, window.analysis.charts.tabs, evidence)
        press_switch(qtbot, window)
        wait_for_result(qtbot, window)
        card = window.analysis.kpis.card("loyalty_index")
        interval = card.interval
        assert interval.palette().color(interval.foregroundRole()) == colours.card_text
        qtbot.waitUntil(lambda: evidence.plot_widget.backgroundBrush().color()
                        == colours.card_fill)
        image = evidence.plot_widget.grab().toImage()
        assert image.pixelColor(image.width() - 3, 3) == colours.card_fill
        bars = evidence.chart.items["bars"]
        assert bars.opts["brush"].color() == colours.selection
    finally:
        theme.set_choice("system")


def test_an_empty_project_has_nothing_to_be_sure_of(qtbot: QtBot) -> None:
    from cx_mapper.domain.project import Project
    from cx_mapper.ui.analysis.dock import AnalysisPanel

    panel = AnalysisPanel(ProjectDocument(Project(name="Empty", journeys=[])))
    qtbot.addWidget(panel)
    panel.show()
    panel.set_journey(None)
    panel.set_uncertainty_shown(True)
    qtbot.wait(50)
    assert not panel.uncertainty.is_running()
    assert panel.kpis.intervals() == {}
    assert "Open or create a journey" in panel.evidence.message.text()

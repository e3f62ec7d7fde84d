"""Projects with evidence behind their figures, and a few real gestures, for the tests of
Show uncertainty (the Analysis dock, the Evidence tab and the plan's odds)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from cx_mapper.domain.evidence import Evidence, EvidenceSet
from cx_mapper.domain.project import Project
from cx_mapper.domain.segment_ranges import default_ranges
from cx_mapper.engine.uncertainty import Uncertainty
from cx_mapper.persistence.files import read_project
from cx_mapper.ui.main_window import MainWindow
from tests.factories import RETAIL_SAMPLE, without_evidence

#: Touchpoints of the retail sample whose satisfaction comes from a workshop.
WORKSHOP = ("browse_site", "friend_post", "search_ad", "web_checkout")
SWITCH = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)


def retail(*, ranges: bool = True, workshop: bool = True) -> Project:
    """The retail sample without its own evidence; with the segments' default ranges and
    workshop estimates (±0.3 around the figure) of a few touchpoints' satisfaction."""
    project = without_evidence(read_project(RETAIL_SAMPLE))
    if ranges:
        project.segments = [replace(s, evidence=default_ranges(s)) for s in project.segments]
    if workshop:
        journey = project.journey("current")
        for touchpoint_id in WORKSHOP:
            touchpoint = journey.touchpoints[touchpoint_id]
            sigma = touchpoint.satisfaction
            estimate = Evidence("workshop", low=max(-1.0, sigma - 0.3), mode=sigma,
                                high=min(1.0, sigma + 0.3))
            journey.touchpoints[touchpoint_id] = replace(
                touchpoint, evidence=EvidenceSet.of({"satisfaction": estimate}))
    return project


def press_switch(qtbot: QtBot, window: MainWindow) -> None:
    """Ctrl+Alt+U, View › Show uncertainty's shortcut, on the canvas."""
    view = window.tabs.view
    assert view is not None
    view.setFocus()
    qtbot.keyClick(view.viewport(), Qt.Key.Key_U, SWITCH)


def wait_for_result(qtbot: QtBot, window: MainWindow) -> Uncertainty:
    service = window.analysis.uncertainty
    qtbot.waitUntil(lambda: service.result() is not None, timeout=30_000)
    result = service.result()
    assert result is not None and result.value is not None, result
    return result.value


def click_tab(qtbot: QtBot, tabs: QTabWidget, page: QWidget) -> None:
    bar = tabs.tabBar()
    index = tabs.indexOf(page)
    assert index >= 0
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert tabs.currentWidget() is page

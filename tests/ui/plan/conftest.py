"""The plan tests' window: the command tests' sample, with the Opportunities dock open."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from cx_mapper.domain.opportunities import Changes
from cx_mapper.ui.main_window import MainWindow
from cx_mapper.ui.plan.dock import OpportunitiesPanel
from tests.ui.plan.gui import open_dock


@pytest.fixture
def panel(qtbot: QtBot, window: MainWindow) -> OpportunitiesPanel:
    """The dock opened with its shortcut on the sample (journey "now", no opportunities)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return open_dock(qtbot, window)


@pytest.fixture
def three(window: MainWindow) -> list[str]:
    """Three opportunities on the sample, none of them an undo step."""
    doc = window.document
    ids = [doc.add_opportunity("now", "Kind help desk", owner="Service", cost=40,
                               touchpoints=["help"],
                               changes=Changes(touchpoints={"help": {"satisfaction": 0.6}})),
           doc.add_opportunity("now", "Clearer website", owner="Web", cost=25,
                               changes=Changes(touchpoints={"site": {"satisfaction": 0.5}})),
           doc.add_opportunity("now", "Shop staff training", owner="Retail", cost=60,
                               changes=Changes(touchpoints={"shop": {"satisfaction": 0.7}}))]
    doc.undo_stack.clear()
    return ids

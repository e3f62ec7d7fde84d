"""Time between touchpoints on the map, in the Inspector and in the summary."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from cx_mapper.domain.project import Project
from cx_mapper.engine.analysis import analyze
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.canvas.legend import legend_rows
from cx_mapper.ui.editor.canvas.overlay import Overlays
from cx_mapper.ui.editor.inspector import Inspector
from cx_mapper.ui.export.summary import render_summary, summary_layout
from cx_mapper.ui.export.summary_waits import WaitsSection
from cx_mapper.ui.main_window import MainWindow
from tests.factories import sample_project

DAY = 86400.0


def timed_project() -> Project:
    """The sample with times on two transitions and one stage."""
    project = sample_project()
    journey = project.journey("now")
    first, second = list(journey.transitions)[:2]
    journey.update_transition(*first, time_median=2 * DAY, time_p90=9 * DAY)
    journey.update_transition(*second, time_median=45 * 60.0, time_p90=3 * 3600.0)
    journey.update_stage(journey.stages[0].id, time_median=3 * 7 * DAY, time_p90=8 * 7 * DAY)
    return project


@pytest.fixture
def timed_window(qtbot: QtBot, recovery_folder: str, no_modal_questions: None) -> MainWindow:
    win = MainWindow(ProjectDocument(timed_project()), recovery_folder=recovery_folder)
    qtbot.addWidget(win)
    win.resize(1300, 850)
    win.show()
    qtbot.waitExposed(win)
    return win


def click_menu_item(qtbot: QtBot, menu: QMenu, text: str) -> QMenu | None:
    """Click the item of an open menu whose text (without &) is `text`; returns the
    submenu it opens, if any."""
    action = next(a for a in menu.actions() if a.text().replace("&", "") == text)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton,
                     pos=menu.actionGeometry(action).center())
    return action.menu()  # type: ignore[return-value]


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")  # the menus
def test_the_overlay_switch_shows_median_times_on_the_arrows(
        qtbot: QtBot, timed_window: MainWindow) -> None:
    win = timed_window
    scene = win.tabs.scene
    assert scene is not None
    journey = win.document.project.journey("now")
    first, second, third = list(journey.transitions)[:3]
    arrows = [scene.arrow(key) for key in (first, second, third)]
    assert all(a is not None and "\n" not in a.label_text() for a in arrows)
    # View > Overlays > Show time between touchpoints, with the mouse.
    bar = win.menuBar()
    view_action = next(a for a in bar.actions() if a.text().replace("&", "") == "View")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton,
                     pos=bar.actionGeometry(view_action).center())
    view_menu = view_action.menu()
    assert isinstance(view_menu, QMenu)
    qtbot.waitUntil(view_menu.isVisible)
    overlays = click_menu_item(qtbot, view_menu, "Overlays")
    assert overlays is not None
    qtbot.waitUntil(overlays.isVisible)
    click_menu_item(qtbot, overlays, "Show time between touchpoints")
    qtbot.waitUntil(lambda: scene.overlays().times)
    labels = [a.label_text() for a in arrows if a is not None]
    assert labels[0].endswith("\n2 d") and labels[1].endswith("\n45 min")
    assert "\n" not in labels[2]  # not measured: the % alone
    legend = win.tabs.legend("now")
    assert legend is not None and any(row.kind == "times" for row in legend.rows())
    assert not any(row.kind == "times" for row in legend_rows(scene.overlays(), None))
    # The same switch by its shortcut turns it off again.
    view = win.tabs.view
    assert view is not None
    view.setFocus()
    qtbot.keyClick(view.viewport(), Qt.Key.Key_7,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not scene.overlays().times)
    assert all(a is not None and "\n" not in a.label_text() for a in arrows)


def test_the_inspector_shows_median_and_90th_percentile(qtbot: QtBot) -> None:
    doc = ProjectDocument(timed_project())
    inspector = Inspector(doc)
    qtbot.addWidget(inspector)
    inspector.show()
    journey = doc.project.journey("now")
    first, second, third = list(journey.transitions)[:3]
    inspector.set_selection("now", transitions=[first])
    form = inspector.current_form()
    assert form is not None
    assert "Time between them: median 2 d, 90% within 9 d" in form.note("probability")
    inspector.set_selection("now", transitions=[third])
    assert "Time between" not in form.note("probability")
    inspector.set_selection("now", transitions=[first, second, third])
    assert "2 of 3 have times from the event log: medians 45 min to 2 d" in \
        form.note("probability")
    stage = journey.stages[0]
    in_stage = [t.id for t in journey.touchpoints.values() if t.stage == stage.id]
    inspector.set_selection("now", in_stage[:1])
    touchpoint_form = inspector.current_form()
    assert touchpoint_form is not None
    assert touchpoint_form.note("stage") == (
        f"Customers spend a median 3 wk in \u2018{stage.name}\u2019, 90% within 8 wk.")


def test_the_summary_lists_where_customers_wait(qapp: object) -> None:
    project = timed_project()
    analysis = analyze(project, "now")
    section = WaitsSection(project.journey("now"), 0, 1400)
    (first_title, transitions), (second_title, stages) = section.tables
    assert (first_title, second_title) == ("Between touchpoints", "Time in stage")
    assert [row.cells()[1:] for row in transitions] == [("2 d", "9 d"), ("45 min", "3 h")]
    assert stages[0].cells()[1:] == ("3 wk", "8 wk")
    layout = summary_layout(project, analysis, width=1600)
    waits, fix_first = layout["waits"], layout["fix_first"]
    assert waits.top() > fix_first.bottom() and waits.height() > 100
    image = render_summary(project, analysis, width=1600).convertToFormat(
        QImage.Format.Format_RGB32)
    block = image.copy(waits)
    pixels = np.frombuffer(block.constBits(), np.uint8).reshape(
        block.height(), block.bytesPerLine())[:, :block.width() * 4]
    assert (pixels < 100).sum() > 2000  # text drawn in dark ink
    untimed = sample_project()
    assert "waits" not in summary_layout(untimed, analyze(untimed, "now"))


def test_the_overlay_is_off_by_default_and_in_all() -> None:
    assert not Overlays().times and Overlays.all().times and not Overlays.none().times

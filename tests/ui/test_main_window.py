"""The main window: actions, tabs, docks, status bar, files, drops and crash recovery."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QKeySequence
from pytestqt.qtbot import QtBot

from cx_mapper.cli import main
from cx_mapper.domain.journey import Touchpoint
from cx_mapper.engine.analysis import analyze
from cx_mapper.persistence.files import read_project
from cx_mapper.ui import actions as declared
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.files.recovery import Recovery
from cx_mapper.ui.main_window import MainWindow
from tests.factories import RETAIL_SAMPLE, sample_project, state

SAMPLE = str(RETAIL_SAMPLE)


#: Closing a modified window discards rather than asking (tests/ui/conftest.py).
pytestmark = pytest.mark.usefixtures("no_modal_questions")


@pytest.fixture
def errors_shown(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(window.files, "show_error", shown.append)
    return shown


def trigger(window: MainWindow, name: str) -> None:
    action = window.action(name)
    assert action.isEnabled(), f"{name} is disabled"
    action.trigger()


def journey(window: MainWindow, journey_id: str = "now") -> Any:
    return window.document.project.journey(journey_id)


def tab_names(window: MainWindow) -> list[str]:
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


def cli_message(path: str, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main(["analyze", path]) == 2
    err = capsys.readouterr().err
    return err.removeprefix("cx-mapper: ").rstrip("\n")


# -- the frame -------------------------------------------------------------------------
def test_the_toolbar_has_what_users_expect(window: MainWindow) -> None:
    texts = [a.objectName() for a in window.toolbar.actions() if not a.isSeparator()]
    for name in ("new", "open", "save", "undo", "redo", "add_touchpoint", "connect",
                 "auto_layout", "fit"):
        assert name in texts
    assert all(not a.icon().isNull() for a in window.toolbar.actions() if not a.isSeparator())


def test_every_action_has_a_shortcut_and_a_tooltip_naming_it(window: MainWindow) -> None:
    seen: dict[str, str] = {}
    for name, action in window.actions_by_name.items():
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if name == "about":
            continue
        assert keys, f"{name} has no shortcut"
        assert keys in action.toolTip()
        assert keys not in seen, f"{name} and {seen.get(keys)} share {keys}"
        seen[keys] = name
    assert {spec.name for spec in declared.ACTIONS} <= set(window.actions_by_name)


def test_the_title_shows_the_file_and_a_star_when_modified(
        window: MainWindow, tmp_path: Path) -> None:
    assert window.windowTitle().startswith("Sample")
    assert not window.isWindowModified()
    window.document.set_touchpoint_fields("now", ["ad"], satisfaction=0.5)
    assert window.isWindowModified()
    assert window.saved_label.text() == "Modified"
    path = tmp_path / "mine.cxmap"
    window.files.ask_save_path = lambda *_a, **_k: str(path)  # type: ignore[method-assign]
    trigger(window, "save")
    assert path.exists()
    assert window.windowTitle().startswith("Sample — mine.cxmap")
    assert not window.isWindowModified()
    assert window.saved_label.text() == "Saved"


def test_tabs_follow_the_journeys(window: MainWindow) -> None:
    assert tab_names(window) == ["Current state"]
    trigger(window, "add_journey")
    assert tab_names(window) == ["Current state", "Journey 2"]
    assert window.tabs.journey_id == journey(window, window.tabs.journey_id).id
    new = window.document.project.journeys[1]
    assert [s.id for s in new.stages] == [s.id for s in journey(window).stages]
    window.document.undo_stack.undo()
    assert tab_names(window) == ["Current state"]
    window.document.undo_stack.redo()
    assert tab_names(window) == ["Current state", "Journey 2"]


def test_rename_duplicate_and_remove_a_journey(window: MainWindow) -> None:
    window.ask_text = lambda *_a, **_k: "As is"  # type: ignore[method-assign]
    trigger(window, "rename_journey")
    assert tab_names(window) == ["As is"]
    trigger(window, "duplicate_journey")
    assert tab_names(window) == ["As is", "As is (copy)"]
    copy = window.document.project.journeys[1]
    assert state(window.document.project)[2][1][7] == state(window.document.project)[2][0][7]
    assert window.tabs.journey_id == copy.id
    trigger(window, "remove_journey")
    assert tab_names(window) == ["As is"]
    assert not window.action("remove_journey").isEnabled()  # the last journey stays
    window.document.undo_stack.undo()
    assert tab_names(window) == ["As is", "As is (copy)"]


# -- editing through actions -------------------------------------------------------------
def test_add_touchpoint_adds_in_the_middle_of_the_view(window: MainWindow) -> None:
    before = set(journey(window).touchpoints)
    trigger(window, "add_touchpoint")
    added = set(journey(window).touchpoints) - before
    assert len(added) == 1
    window.document.undo_stack.undo()
    assert set(journey(window).touchpoints) == before
    window.document.undo_stack.redo()
    assert set(journey(window).touchpoints) - before == added


def test_connect_links_the_selection_left_to_right_in_one_step(window: MainWindow) -> None:
    doc = window.document
    doc.add_touchpoint("now", Touchpoint("far", name="Far", x=900, y=0))
    scene = window.tabs.scene
    assert scene is not None
    scene.select(touchpoints=["far", "help"])
    count = doc.undo_stack.count()
    trigger(window, "connect")
    assert ("help", "far") in journey(window).transitions
    assert doc.undo_stack.count() == count + 1
    doc.undo_stack.undo()
    assert ("help", "far") not in journey(window).transitions


def test_connect_twice_leaves_no_empty_step(window: MainWindow) -> None:
    scene = window.tabs.scene
    assert scene is not None
    window.document.auto_layout("now")  # ad in the first lane, site in the second
    scene.select(touchpoints=["ad", "site"])  # already connected
    count = window.document.undo_stack.count()
    trigger(window, "connect")
    assert window.document.undo_stack.count() == count
    assert "already connected" in window.statusBar().currentMessage()


def test_auto_layout_and_undo(window: MainWindow) -> None:
    before = state(window.document.project)
    trigger(window, "auto_layout")
    assert state(window.document.project) != before
    assert window.document.undo_stack.undoText() == "Auto-layout"
    window.document.undo_stack.undo()
    assert state(window.document.project) == before


def test_delete_copy_paste_through_the_edit_menu(window: MainWindow) -> None:
    scene = window.tabs.scene
    assert scene is not None
    scene.select(touchpoints=["shop"])
    trigger(window, "copy")
    assert window.action("paste").isEnabled()
    trigger(window, "paste")
    assert len(journey(window).touchpoints) == 5
    scene.select(touchpoints=["shop"])
    trigger(window, "delete")
    assert "shop" not in journey(window).touchpoints
    assert ("ad", "shop") not in journey(window).transitions
    window.document.undo_stack.undo()
    assert ("ad", "shop") in journey(window).transitions


def test_the_inspector_follows_the_canvas_selection(window: MainWindow) -> None:
    scene = window.tabs.scene
    assert scene is not None
    assert window.inspector.title() == "Journey"
    scene.select(touchpoints=["ad"])
    assert window.inspector.title() == "Touchpoint"
    assert "Touchpoint" in window.inspector_dock.windowTitle()
    scene.select(transitions=[("ad", "site")])
    assert window.inspector.title() == "Transition"
    scene.select()
    assert window.inspector.title() == "Journey"


def test_edit_actions_are_enabled_by_the_selection(window: MainWindow) -> None:
    scene = window.tabs.scene
    assert scene is not None
    scene.select()
    assert not window.action("delete").isEnabled()
    assert not window.action("rename").isEnabled()
    scene.select(touchpoints=["ad"])
    assert window.action("delete").isEnabled() and window.action("rename").isEnabled()
    assert not window.action("connect").isEnabled()


# -- problems and status ---------------------------------------------------------------
def test_a_problem_click_selects_its_element(window: MainWindow, qtbot: QtBot) -> None:
    window.document.set_transition_fields("now", [("ad", "site")], probability=0.9)
    window.problems.refresh()
    errors = [p for p in window.problems.problems() if p.is_error]
    assert errors and errors[0].element_id == "ad"
    assert "1 error" in window.validation_label.text()
    window.problems.problem_activated.emit(errors[0])
    scene = window.tabs.scene
    assert scene is not None
    assert scene.selected_touchpoints() == ["ad"]
    assert window.inspector.title() == "Touchpoint"


def test_the_status_bar_shows_validation_zoom_and_saved_state(window: MainWindow) -> None:
    window.problems.refresh()
    assert "No problems" in window.validation_label.text() or "warning" in \
        window.validation_label.text()
    trigger(window, "reset_zoom")
    assert window.zoom_label.text() == "100%"
    trigger(window, "zoom_in")
    assert window.zoom_label.text() != "100%"


# -- files -------------------------------------------------------------------------------
def test_open_edit_save_and_reopen(window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "retail.json"
    shutil.copy(SAMPLE, path)
    assert window.open_location(str(path))
    assert tab_names(window) == ["Current state", "Future state"]
    window.document.set_touchpoint_fields("current", ["delivery"], satisfaction=-0.75)
    trigger(window, "save")
    assert read_project(path).journey("current").touchpoint("delivery").satisfaction == -0.75
    assert not window.isWindowModified()


def test_a_bad_file_shows_the_cli_message_and_keeps_the_project(
        window: MainWindow, tmp_path: Path, errors_shown: list[str],
        capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "cx-mapper/1", "colour": "red"}', encoding="utf-8")
    before = state(window.document.project)
    assert not window.open_location(str(bad))
    assert errors_shown == [cli_message(str(bad), capsys)]
    assert state(window.document.project) == before
    assert tab_names(window) == ["Current state"]


def test_dropping_a_project_file_opens_it(window: MainWindow, qtbot: QtBot) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(SAMPLE)])
    event = QDropEvent(QPointF(100, 100), Qt.DropAction.CopyAction, data,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    qtbot.waitUntil(lambda: tab_names(window) == ["Current state", "Future state"])
    assert window.document.path == Path(SAMPLE)


def test_closing_with_unsaved_changes_asks_first(
        window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    window.document.set_touchpoint_fields("now", ["ad"], satisfaction=0.5)
    asked: list[bool] = []

    def cancel() -> str:
        asked.append(True)
        return "cancel"

    monkeypatch.setattr(window.files, "ask_unsaved", cancel)
    assert window.close() is False
    assert asked and window.isVisible()
    monkeypatch.setattr(window.files, "ask_unsaved", lambda: "discard")
    assert window.close() is True


def test_after_a_crash_the_next_start_offers_to_restore(
        qtbot: QtBot, recovery_folder: str, tmp_path: Path) -> None:
    path = tmp_path / "retail.json"
    shutil.copy(SAMPLE, path)
    first = MainWindow(recovery_folder=recovery_folder)
    qtbot.addWidget(first)
    assert first.open_location(str(path))
    first.document.set_touchpoint_fields("current", ["delivery"], satisfaction=-0.5)
    first.recovery.write_now()
    # The crash: the session's lock goes away without a clean close.
    first.recovery._lock.unlock()
    edited = state(first.document.project)

    second = MainWindow(recovery_folder=recovery_folder)
    qtbot.addWidget(second)
    offered: list[str] = []

    def restore(entry: Any) -> str:
        offered.append(entry.name)
        return "restore"

    second.ask_restore = restore  # type: ignore[method-assign]
    assert second.offer_recovery()
    assert offered
    assert state(second.document.project) == edited
    assert second.document.is_modified
    assert second.document.path == path
    assert Recovery.pending(recovery_folder) == []


# -- analysis dock and summary --------------------------------------------------------
def current_analysis(window: MainWindow) -> Any:
    """The service's current result for the current tab's journey (None while pending)."""
    return window.document.analysis.analysis(window.tabs.journey_id)


def test_the_analysis_follows_the_current_tab(window: MainWindow, qtbot: QtBot) -> None:
    assert window.open_location(SAMPLE)
    qtbot.waitUntil(lambda: current_analysis(window) is not None)
    assert current_analysis(window).journey_id == "current"
    window.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: current_analysis(window) is not None
                    and current_analysis(window).journey_id == "future")
    expected = analyze(read_project(SAMPLE), "future").totals.loyalty_index
    assert current_analysis(window).totals.loyalty_index == pytest.approx(expected)


def test_export_summary_writes_a_png(window: MainWindow, tmp_path: Path,
                                     qtbot: QtBot) -> None:
    from PySide6.QtGui import QImage

    from cx_mapper.ui.export.export_dialog import ExportChoice

    assert window.open_location(SAMPLE)
    path = tmp_path / "summary.png"
    window.ask_export = lambda _s: ExportChoice(".png", str(path))  # type: ignore[method-assign]
    trigger(window, "export")  # no current result yet: analysed on a worker
    qtbot.waitUntil(lambda: not window.exporter.is_busy())
    image = QImage(str(path))
    assert image.width() == 2400 and image.height() > 1000
    assert "summary.png" in window.statusBar().currentMessage()


def test_export_summary_of_a_broken_journey_says_why(
        window: MainWindow, errors_shown: list[str], qtbot: QtBot) -> None:
    window.document.set_touchpoint_fields("now", ["ad"], entry=0.0)
    from cx_mapper.ui.export.export_dialog import ExportChoice

    window.ask_export = lambda _s: ExportChoice(".png", "never.png")  # type: ignore
    trigger(window, "export")
    qtbot.waitUntil(lambda: not window.exporter.is_busy())
    assert len(errors_shown) == 1 and "entry" in errors_shown[0]


def test_after_an_edit_the_badge_is_greyed_then_shows_the_new_loyalty(
        window: MainWindow, qtbot: QtBot) -> None:
    from cx_mapper.ui.editor.canvas import overlay

    service = window.document.analysis
    assert window.open_location(SAMPLE)
    qtbot.waitUntil(lambda: current_analysis(window) is not None)
    scene = window.tabs.scene
    assert scene is not None
    card = scene.card("delivery")
    assert card is not None
    qtbot.waitUntil(lambda: card.loyalty_badge() is not None and not card.is_stale())
    before = card.loyalty_badge()

    window.document.set_touchpoint_fields("current", ["delivery"], satisfaction=-0.9)
    revision = window.document.revision
    assert current_analysis(window) is None  # the old result is no longer current
    assert card.is_stale() and scene.is_stale()  # kept, greyed
    assert card.loyalty_badge() == before

    qtbot.waitUntil(lambda: not card.is_stale())
    result = service.result_of("current")
    assert result is not None and result.revision == revision
    expected = analyze(window.document.project, "current")
    loyalty = float(expected.touchpoints.loyalty[expected.index("delivery")])
    assert card.loyalty_badge() == overlay.loyalty_text(loyalty)
    assert card.loyalty_badge() != before


def test_a_journey_that_cannot_be_analysed_loses_its_marks(
        window: MainWindow, qtbot: QtBot) -> None:
    scene = window.tabs.scene
    assert scene is not None
    qtbot.waitUntil(lambda: scene.overlay_figures() is not None)
    window.document.set_touchpoint_fields("now", ["ad"], entry=0.0)
    qtbot.waitUntil(lambda: window.document.analysis.result_of("now") is not None)
    assert scene.overlay_figures() is None and not scene.is_stale()
    assert all(card.loyalty_badge() is None for card in scene.cards().values())


def test_export_after_an_edit_of_a_large_map_uses_the_new_figures_off_the_gui_thread(
        qtbot: QtBot, recovery_folder: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from cx_mapper.engine import analysis as engine
    from cx_mapper.ui.document import analysis_service
    from cx_mapper.ui.export import summary
    from cx_mapper.ui.export.export_dialog import ExportChoice
    from tests.benchmarks.journeys import random_journey

    threads: list[threading.Thread] = []
    original = engine.analyze

    def recorded(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread())
        return original(*args, **kwargs)

    for module in (engine, analysis_service):
        monkeypatch.setattr(module, "analyze", recorded)
    rendered: list[Any] = []
    render = summary.render_summary

    def render_recorded(project: Any, analysis: Any, **kwargs: Any) -> Any:
        rendered.append(analysis)
        return render(project, analysis, width=800)

    monkeypatch.setattr(summary, "render_summary", render_recorded)
    win = MainWindow(ProjectDocument(random_journey(400)), recovery_folder=recovery_folder)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.document.analysis.analysis("bench") is not None, timeout=20_000)

    win.document.set_touchpoint_fields("bench", ["t5"], satisfaction=-1.0)
    path = tmp_path / "large.png"
    win.ask_export = lambda _s: ExportChoice(".png", str(path))  # type: ignore[method-assign]
    trigger(win, "export")
    assert win.exporter.is_busy() and not win.action("export").isEnabled()
    qtbot.waitUntil(lambda: not win.exporter.is_busy(), timeout=20_000)
    assert path.exists() and win.action("export").isEnabled()
    assert threads and all(t is not threading.main_thread() for t in threads)
    (used,) = rendered
    assert used.removal_effects_complete
    expected = original(win.document.project, "bench")
    np.testing.assert_allclose(used.touchpoints.loyalty, expected.touchpoints.loyalty)


def test_a_map_with_no_layout_is_laid_out_on_open(window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "flat.json"
    path.write_text(json.dumps({"format": "cx-mapper/1", "name": "T", "journeys": [
        {"id": "j", "name": "J", "touchpoints": [{"id": "ad", "entry": 1}, {"id": "buy"}],
         "transitions": [{"from": "ad", "to": "buy", "probability": 0.5}]}]}),
        encoding="utf-8")
    assert window.open_location(str(path))
    points = {(t.x, t.y) for t in window.document.project.journey("j").touchpoints.values()}
    assert len(points) == 2
    assert window.document.undo_stack.undoText() == "Auto-layout"


def test_zoom_and_tab_are_kept_in_a_cxmap(window: MainWindow, tmp_path: Path,
                                          qtbot: QtBot) -> None:
    assert window.open_location(SAMPLE)
    window.tabs.setCurrentIndex(1)
    view = window.tabs.view
    assert view is not None
    view.reset_zoom()
    path = tmp_path / "kept.cxmap"
    window.files.ask_save_path = lambda *_a, **_k: str(path)  # type: ignore[method-assign]
    trigger(window, "save_as")
    window.tabs.setCurrentIndex(0)
    assert window.open_location(str(path))
    qtbot.waitUntil(lambda: window.tabs.journey_id == "future")
    assert window.tabs.view is not None
    assert window.tabs.view.zoom() == pytest.approx(1.0, abs=1e-3)


def test_opens_a_cxmap_project_file(window: MainWindow, tmp_path: Path, qtbot: QtBot) -> None:
    from cx_mapper.persistence.project_file import save_project

    path = tmp_path / "retail.cxmap"
    save_project(read_project(SAMPLE), path)
    assert window.open_location(str(path))
    # The sample is near the size read on a worker (open_save.READ_IN_BACKGROUND_FROM).
    qtbot.waitUntil(lambda: not window.files.is_opening())
    assert window.windowTitle().startswith("Retail omnichannel — retail.cxmap")
    assert tab_names(window) == ["Current state", "Future state"]


def test_the_dark_theme_reaches_the_canvas_and_is_remembered(
        qtbot: QtBot, recovery_folder: str) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from cx_mapper.ui.look import palette
    from cx_mapper.ui.look.theme import ThemeManager

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme = ThemeManager(app)
    win = MainWindow(ProjectDocument(sample_project()), theme=theme,
                     recovery_folder=recovery_folder)
    qtbot.addWidget(win)
    try:
        win.theme_actions["dark"].trigger()
        assert palette.is_dark()
        scene = win.tabs.scene
        assert scene is not None and scene.canvas_palette == palette.DARK
        assert QSettings().value("view/theme") == "dark"
        win.theme_actions["light"].trigger()
        assert not palette.is_dark()
        assert scene.canvas_palette == palette.LIGHT
    finally:
        theme.set_choice("system")


# -- overlays ----------------------------------------------------------------------------
def test_the_analysis_puts_its_marks_on_the_map(window: MainWindow, qtbot: QtBot) -> None:
    assert window.open_location(SAMPLE)
    qtbot.waitUntil(lambda: current_analysis(window) is not None)
    scene = window.tabs.scene
    assert scene is not None
    card = scene.card("delivery")
    assert card is not None
    qtbot.waitUntil(lambda: card.visits() is not None)
    result = current_analysis(window)
    assert result is not None
    visits = result.touchpoints.visits
    assert card.visits() == pytest.approx(
        visits[result.index("delivery")] / visits.max())
    assert card.loyalty_badge().startswith("L ")
    legend = window.tabs.legend("current")
    assert legend is not None and legend.rows()


def test_overlay_switches_reach_every_canvas_and_are_remembered(
        window: MainWindow, qtbot: QtBot) -> None:
    from PySide6.QtCore import QSettings

    assert window.open_location(SAMPLE)
    trigger(window, "overlay_flow")  # on by default: now off
    trigger(window, "overlay_satisfaction_fill")  # off by default: now on
    for view in window.tabs.views().values():
        overlays = view.canvas().overlays()
        assert not overlays.flow and overlays.satisfaction_fill
    assert QSettings().value("view/overlays/flow") in (False, "false")
    trigger(window, "show_legend")
    legend = window.tabs.legend("current")
    assert legend is not None and not legend.isVisible()

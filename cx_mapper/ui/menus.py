"""The main window's actions, menus and toolbar, built from the declared table.

Each declared action names its target here, once (`targets`): a plain method of the
file controller, the importer, the current canvas or view, or one of the window's own
handlers where there is real work to do. No forwarding handlers in between.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox, QToolBar, QToolButton

from cx_mapper.ui import actions as declared
from cx_mapper.ui.editor.canvas.content_gestures import add_lane_menu
from cx_mapper.ui.editor.canvas.overlay import Overlays
from cx_mapper.ui.editor.canvas.scene import CanvasScene
from cx_mapper.ui.editor.canvas.view import CanvasView
from cx_mapper.ui.help.glossary import GlossaryDialog, about_html
from cx_mapper.ui.help.model_help import show_model_help
from cx_mapper.ui.help.shortcuts_dialog import ShortcutsDialog
from cx_mapper.ui.look.resources import icon
from cx_mapper.ui.look.theme import THEMES
from cx_mapper.ui.shell import ShellWindow

if TYPE_CHECKING:
    from cx_mapper.ui.files.drift_dialog import DriftDialog

APP_NAME = "CX Mapper"



T = TypeVar("T")


def on_current(get: Callable[[], T | None], call: Callable[[T], object]) -> Callable[[], None]:
    """A target that acts on the current canvas or view, and does nothing without one."""

    def act() -> None:
        current = get()
        if current is not None:
            call(current)

    return act


def targets(window: ShellWindow) -> dict[str, Callable[[], object]]:
    """What each declared action does, by action name."""
    files, tabs = window.files, window.tabs

    def scene(call: Callable[[CanvasScene], object]) -> Callable[[], None]:
        return on_current(lambda: tabs.scene, call)

    def view(call: Callable[[CanvasView], object]) -> Callable[[], None]:
        return on_current(lambda: tabs.view, call)

    overlay_switch = window.apply_overlay_switches
    return {
        # File
        "new": lambda: files.new_project(template=True),
        "new_blank": lambda: files.new_project(template=False),
        "new_blueprint": lambda: files.new_project(template="blueprint"),
        "open": files.open,
        "save": files.save,
        "save_as": files.save_as,
        "import_json": files.import_json,
        "import_data": window.importer.start,
        "check_drift": lambda: open_drift_dialog(window),
        "export_json": files.export_json,
        "export": window.exporter.start,
        "project_properties": window.edit_project_properties,
        "quit": window.close,
        # Edit
        "cut": window.cut,
        "copy": window.copy,
        "paste": scene(CanvasScene.paste),
        "duplicate": scene(CanvasScene.duplicate_selection),
        "delete": scene(CanvasScene.delete_selection),
        "select_all": scene(CanvasScene.select_all),
        "rename": scene(CanvasScene.rename_selected),
        # Journey
        "add_touchpoint": window.add_touchpoint,
        "connect": window.connect_selection,
        "auto_layout": window.auto_layout,
        "add_stage": window.add_stage,
        "add_journey": window.add_journey,
        "rename_journey": window.rename_journey,
        "duplicate_journey": window.duplicate_journey,
        "remove_journey": window.remove_journey,
        # Arrange
        **{name: scene(partial(CanvasScene.align_selection, edge=edge))
           for name, edge in declared.ALIGN_ACTIONS.items()},
        **{name: scene(partial(CanvasScene.distribute_selection, axis=axis))
           for name, axis in declared.DISTRIBUTE_ACTIONS.items()},
        "snap_to_grid": window.apply_snap_switch,
        # View
        "fit": view(CanvasView.fit),
        "zoom_in": view(CanvasView.zoom_in),
        "zoom_out": view(CanvasView.zoom_out),
        "reset_zoom": view(CanvasView.reset_zoom),
        **{name: overlay_switch for name in declared.OVERLAY_ACTIONS},
        "show_legend": window.apply_legend_switch,
        "show_uncertainty": partial(apply_uncertainty_switch, window),
        "show_experience": partial(apply_experience_switches, window),
        "experience_by_segment": partial(apply_experience_switches, window),
        "show_segments": lambda: window.show_dock(window.segments_dock, window.segments),
        "show_personas": lambda: window.show_dock(window.personas_dock, window.personas),
        "show_opportunities": lambda: window.show_dock(window.opportunities_dock,
                                                       window.opportunities),
        "focus_problems": lambda: window.show_dock(window.problems_dock, window.problems),
        # Help
        "glossary": lambda: GlossaryDialog(window).exec(),
        "model_help": lambda: show_model_help(window),
        "shortcuts": lambda: ShortcutsDialog(list(window.actions_by_name.values()),
                                             window).exec(),
        "welcome": window.show_welcome,
        "about": lambda: QMessageBox.about(window, f"About {APP_NAME}", about_html()),
    }


def open_drift_dialog(window: ShellWindow) -> DriftDialog:
    """File > Check for drift: a dialog of its own, gone once closed. Imported when first
    used: the statistics (scipy.stats) are no part of starting the app."""
    from cx_mapper.ui.document.workers import snapshot_project
    from cx_mapper.ui.files.drift_dialog import DriftDialog

    journeys = [(j.id, j.name) for j in window.document.project.journeys]
    dialog = DriftDialog(lambda: snapshot_project(window.document.project), journeys,
                         window.tabs.journey_id, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def make_actions(window: ShellWindow) -> dict[str, QAction]:
    """Undo and redo from the document's stack, then every declared action."""
    actions: dict[str, QAction] = {}
    stack = window.document.undo_stack
    undo = stack.createUndoAction(window, "&Undo")
    redo = stack.createRedoAction(window, "&Redo")
    for action, name, tip in ((undo, "undo", "Undo the last edit"),
                              (redo, "redo", "Redo the edit just undone")):
        action.setObjectName(name)
        action.setData(tip)
        action.setShortcuts(declared.key_sequences(declared.BUILT_IN_SHORTCUTS[name]))
        actions[name] = action
    wanted = targets(window)
    for spec in declared.ACTIONS:
        action = QAction(spec.text, window)
        action.setObjectName(spec.name)
        action.setData(spec.tip)
        action.setShortcuts(declared.key_sequences(spec.shortcuts))
        target = wanted[spec.name]
        action.triggered.connect(lambda _checked=False, target=target: target())
        actions[spec.name] = action
    return actions


def describe(action: QAction) -> None:
    """Tooltip and status tip: what it does, then its shortcut."""
    tip = str(action.data() or action.text().replace("&", ""))
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{tip} ({keys})" if keys else tip)
    action.setStatusTip(tip)


def apply_icons(actions: dict[str, QAction]) -> None:
    """The actions' icons, drawn in the current theme's colours."""
    icons = {spec.name: spec.icon for spec in declared.ACTIONS if spec.icon}
    icons.update(undo="undo", redo="redo")
    for name, icon_name in icons.items():
        actions[name].setIcon(icon(icon_name))


def make_menus(window: ShellWindow) -> QMenu:
    """The menu bar, from the declared menus; `@` entries are filled here. Returns
    File > Open recent."""
    actions, tabs = window.actions_by_name, window.tabs
    bar = window.menuBar()
    recent = QMenu("Open &recent", window)
    for title, names in declared.MENUS:
        menu = bar.addMenu(title)
        for name in names:
            if name == "-":
                menu.addSeparator()
            elif name == "@recent":
                menu.addMenu(recent)
                recent.aboutToShow.connect(lambda: fill_recent_menu(window, recent))
            elif name == "@docks":
                for dock in (window.inspector_dock, window.analysis_dock, window.problems_dock,
                             window.segments_dock, window.personas_dock,
                             window.opportunities_dock):
                    menu.addAction(dock.toggleViewAction())
            elif name == "@theme":
                window.theme_actions = make_theme_menu(window, menu.addMenu("&Theme"))
            elif name == "@lanes":  # Journey > Add lane > one entry per kind
                add_lane_menu(menu, lambda kind: tabs.scene.add_lane(kind)
                              if tabs.scene is not None else None)
            elif name == "@overlays":
                overlays = menu.addMenu("&Overlays")
                for action_name in (*declared.OVERLAY_ACTIONS, "-", "show_legend"):
                    if action_name == "-":
                        overlays.addSeparator()
                    else:
                        overlays.addAction(actions[action_name])
            else:
                menu.addAction(actions[name])
    show_inspector = window.inspector_dock.toggleViewAction()
    show_inspector.setObjectName("show_inspector")
    show_inspector.setShortcuts(declared.key_sequences(
        declared.BUILT_IN_SHORTCUTS["show_inspector"]))
    return recent


def make_theme_menu(window: ShellWindow, menu: QMenu) -> dict[str, QAction]:
    """View > Theme: one checkable action per theme (disabled without a theme manager)."""
    group = QActionGroup(window)
    group.setExclusive(True)
    chosen: dict[str, QAction] = {}
    theme = window.theme
    for key, label in THEMES.items():
        action = menu.addAction(label)
        action.setCheckable(True)
        action.setChecked(theme is not None and theme.choice == key)
        action.setEnabled(theme is not None)
        if theme is not None:
            action.triggered.connect(lambda _checked=False, key=key: theme.set_choice(key))
        group.addAction(action)
        chosen[key] = action
    return chosen


def fill_recent_menu(window: ShellWindow, menu: QMenu) -> None:
    """File > Open recent, filled each time it opens."""
    menu.clear()
    files = window.files
    recent = files.recent_files()
    for number, location in enumerate(recent, start=1):
        label = Path(location).name if "://" not in location else location
        action = menu.addAction(f"&{number % 10} {label}")
        action.setToolTip(location)
        action.setStatusTip(location)
        action.triggered.connect(lambda _c=False, loc=location: files.open(loc))
    if not recent:
        menu.addAction("No recent projects").setEnabled(False)
    menu.addSeparator()
    clear = menu.addAction("Clear recent projects", files.clear_recent)
    clear.setEnabled(bool(recent))


def make_toolbar(window: ShellWindow) -> QToolBar:
    toolbar = window.addToolBar("Main")
    toolbar.setObjectName("MainToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    for name in declared.TOOLBAR:
        if name == "-":
            toolbar.addSeparator()
        elif name == "@arrange":
            add_arrange_button(window, toolbar)
        else:
            toolbar.addAction(window.actions_by_name[name])
    return toolbar


def add_arrange_button(window: ShellWindow, toolbar: QToolBar) -> None:
    """Align left, with the rest of Arrange under its arrow: one button, not nine."""
    actions = window.actions_by_name
    menu = QMenu("Arrange", toolbar)
    for name in dict(declared.MENUS)["&Arrange"]:
        if name == "-":
            menu.addSeparator()
        else:
            menu.addAction(actions[name])
    toolbar.addAction(actions["align_left"])
    button = toolbar.widgetForAction(actions["align_left"])
    if isinstance(button, QToolButton):
        button.setMenu(menu)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)


def restore_snap_switch(actions: dict[str, QAction]) -> bool:
    """Arrange > Snap to grid as the user left it (on at first)."""
    snap = actions["snap_to_grid"]
    snap.setCheckable(True)
    snap.setChecked(setting_bool(QSettings(), "editor/snap_to_grid", True))
    return snap.isChecked()


# -- View > Overlays --------------------------------------------------------------------
UNCERTAINTY_SETTING = "view/show_uncertainty"


def setting_bool(settings: QSettings, key: str, default: bool) -> bool:
    """QSettings gives back "true"/"false" strings from INI files."""
    value = settings.value(key, default)
    return value if isinstance(value, bool) else str(value).lower() == "true"


def restore_overlay_switches(actions: dict[str, QAction]) -> None:
    """The overlay and legend switches as the user left them."""
    settings = QSettings()
    defaults = Overlays()
    for name, field in declared.OVERLAY_ACTIONS.items():
        action = actions[name]
        action.setCheckable(True)
        action.setChecked(setting_bool(settings, f"view/overlays/{field}",
                                       getattr(defaults, field)))
    for name, key, default in (("show_legend", "view/legend", True),
                               ("show_experience", "view/show_experience", True),
                               ("experience_by_segment", "view/experience_by_segment", False),
                               ("show_uncertainty", UNCERTAINTY_SETTING, False)):
        actions[name].setCheckable(True)
        actions[name].setChecked(setting_bool(settings, key, default))


def apply_view_switches(window: ShellWindow) -> None:
    """The View switches that reach past the canvas, as restored: the experience lane and
    uncertainty (whose switch is on the Analysis dock too)."""
    apply_experience_switches(window)
    window.analysis.set_uncertainty_switch(window.actions_by_name["show_uncertainty"])
    apply_uncertainty_switch(window)


def apply_uncertainty_switch(window: ShellWindow) -> None:
    """View > Show uncertainty: intervals, rank bands, odds and the Evidence tab; remembered."""
    shown = window.actions_by_name["show_uncertainty"].isChecked()
    QSettings().setValue(UNCERTAINTY_SETTING, shown)
    window.analysis.set_uncertainty_shown(shown)


def apply_experience_switches(window: ShellWindow) -> None:
    """View > Experience lane, per segment: on every canvas, and remembered."""
    shown, per_segment = (window.actions_by_name[name].isChecked()
                          for name in ("show_experience", "experience_by_segment"))
    QSettings().setValue("view/show_experience", shown)
    QSettings().setValue("view/experience_by_segment", per_segment)
    window.tabs.set_experience(shown, per_segment)


def overlays_of(actions: dict[str, QAction]) -> Overlays:
    """The switches of View > Overlays."""
    return Overlays(**{field: actions[name].isChecked()
                       for name, field in declared.OVERLAY_ACTIONS.items()})


def save_overlay_switches(overlays: Overlays) -> None:
    settings = QSettings()
    for field in declared.OVERLAY_ACTIONS.values():
        settings.setValue(f"view/overlays/{field}", getattr(overlays, field))

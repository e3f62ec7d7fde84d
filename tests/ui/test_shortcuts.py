"""No two actions share a key, on any platform's standard bindings; the list shows each key once.

Qt expands a standard key (QKeySequence.StandardKey) per platform from the table in
qtbase, src/gui/kernel/qplatformtheme.cpp (QPlatformThemePrivate::keyBindings, Qt 6).
Only one platform's expansion can be asked for at run time, so the rows of the
standard keys this app uses are written out below; the runtime bindings of this
platform must be one of the expansions, which keeps the copy honest.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from pytestqt.qtbot import QtBot

from cx_mapper.ui import actions as declared
from cx_mapper.ui.help.shortcuts_dialog import ShortcutsDialog, pressable
from cx_mapper.ui.main_window import MainWindow
from tests.factories import state

Key = QKeySequence.StandardKey
Shortcut = str | QKeySequence.StandardKey

pytestmark = pytest.mark.usefixtures("no_modal_questions")

#: The keyboard schemes of qplatformtheme.cpp (KB_Win, KB_Mac, KB_X11, KB_KDE, KB_Gnome).
SCHEMES = ("win", "mac", "x11", "kde", "gnome")
ALL = frozenset(SCHEMES)
WIN, MAC, X11 = frozenset({"win"}), frozenset({"mac"}), frozenset({"x11"})
X11_WIN = X11 | WIN
#: KDE and GNOME take every X11 row too (QPlatformThemePrivate::currentKeyPlatforms).
LINUX = frozenset({"x11", "kde", "gnome"})

#: (standard key, key sequence in Qt's portable text, schemes), as qplatformtheme.cpp lists
#: them. Ctrl is Command on macOS and Meta is its Control key, as in Qt. The named keys
#: ("Copy", "Zoom In", "Exit"...) are the office and media keys Qt adds for every scheme
#: that has the binding.
QT_KEY_BINDINGS: tuple[tuple[QKeySequence.StandardKey, str, frozenset[str]], ...] = (
    (Key.New, "Ctrl+N", ALL), (Key.New, "New", ALL),
    (Key.Open, "Ctrl+O", ALL), (Key.Open, "Open", ALL),
    (Key.Save, "Ctrl+S", ALL), (Key.Save, "Save", ALL),
    (Key.Quit, "Ctrl+Q", LINUX | MAC), (Key.Quit, "Exit", LINUX | MAC),
    (Key.Cut, "Ctrl+X", ALL), (Key.Cut, "Shift+Del", X11_WIN), (Key.Cut, "F20", X11),
    (Key.Cut, "Meta+K", MAC), (Key.Cut, "Cut", ALL),
    (Key.Copy, "Ctrl+C", ALL), (Key.Copy, "Ctrl+Ins", X11_WIN), (Key.Copy, "F16", X11),
    (Key.Copy, "Copy", ALL),
    (Key.Paste, "Ctrl+V", ALL), (Key.Paste, "Ctrl+Shift+Ins", X11),
    (Key.Paste, "Shift+Ins", X11_WIN), (Key.Paste, "F18", X11), (Key.Paste, "Meta+Y", MAC),
    (Key.Paste, "Paste", ALL),
    # The row that made Ctrl+D do nothing on Linux: Delete is also Ctrl+D there.
    (Key.Delete, "Del", ALL), (Key.Delete, "Ctrl+D", X11), (Key.Delete, "Meta+D", MAC),
    (Key.SelectAll, "Ctrl+A", ALL),
    (Key.ZoomIn, "Ctrl++", ALL), (Key.ZoomIn, "Zoom In", ALL),
    (Key.ZoomOut, "Ctrl+-", ALL), (Key.ZoomOut, "Zoom Out", ALL),
    (Key.Undo, "Alt+Backspace", WIN), (Key.Undo, "Ctrl+Z", ALL), (Key.Undo, "F14", X11),
    (Key.Undo, "Undo", ALL),
    (Key.Redo, "Alt+Shift+Backspace", WIN), (Key.Redo, "Ctrl+Shift+Z", ALL),
    (Key.Redo, "Ctrl+Y", WIN), (Key.Redo, "Redo", ALL),
)


def _in(scheme: str, schemes: frozenset[str]) -> bool:
    return scheme in schemes or (scheme in LINUX and "x11" in schemes)


def expand(shortcut: Shortcut, scheme: str) -> set[str]:
    """The key sequences a declared shortcut stands for under a keyboard scheme."""
    if isinstance(shortcut, str):
        return {QKeySequence(shortcut).toString()}
    rows = [(sequence, schemes) for key, sequence, schemes in QT_KEY_BINDINGS
            if key == shortcut]
    assert rows, f"{shortcut} is not in the table: add its rows from qplatformtheme.cpp"
    return {sequence for sequence, schemes in rows if _in(scheme, schemes)}


def declared_shortcuts() -> dict[str, tuple[Shortcut, ...]]:
    """Every action's shortcuts, as declared: the table's and Qt's own actions'."""
    shortcuts = {spec.name: spec.shortcuts for spec in declared.ACTIONS}
    shortcuts.update(declared.BUILT_IN_SHORTCUTS)
    return shortcuts


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_two_actions_share_a_key_on_any_platform(scheme: str) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for name, shortcuts in declared_shortcuts().items():
        for shortcut in shortcuts:
            for sequence in expand(shortcut, scheme):
                owners[sequence].add(name)
    shared = {sequence: sorted(names) for sequence, names in owners.items() if len(names) > 1}
    assert shared == {}
    assert owners["Ctrl+D"] == {"duplicate"}


def test_the_table_matches_the_bindings_of_this_platform(qapp: object) -> None:
    used = {s for shortcuts in declared_shortcuts().values() for s in shortcuts
            if not isinstance(s, str)}
    runtime = {key: {s.toString() for s in QKeySequence.keyBindings(key)} for key in used}
    matching = [scheme for scheme in SCHEMES
                if all(runtime[key] == expand(key, scheme) for key in used)]
    assert matching, f"no scheme of the table gives this platform's bindings {runtime}"


def test_every_shortcut_in_the_window_is_declared(window: MainWindow) -> None:
    expected = {name: set().union(*(expand(s, "win") | expand(s, "x11") | expand(s, "mac")
                                    for s in shortcuts))
                for name, shortcuts in declared_shortcuts().items()}
    for action in window.findChildren(QAction):
        keys = {s.toString() for s in action.shortcuts()}
        if keys:
            assert action.objectName() in expected, f"{action.text()} has undeclared {keys}"
            assert keys <= expected[action.objectName()]


def press(qtbot: QtBot, window: MainWindow, key: Qt.Key,
          modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    view = window.tabs.view
    assert view is not None
    view.setFocus()
    qtbot.keyClick(view.viewport(), key, modifier)


def test_ctrl_d_duplicates_and_delete_deletes(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    scene = window.tabs.scene
    assert scene is not None
    journey = window.document.project.journey("now")
    before = state(window.document.project)
    scene.select(["shop"])
    press(qtbot, window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert len(journey.touchpoints) == 5
    copy = scene.selected_touchpoints()
    assert copy != ["shop"] and journey.touchpoint(copy[0]).name == "Shop"
    assert window.document.undo_stack.count() == 1
    press(qtbot, window, Qt.Key.Key_Delete)
    assert len(journey.touchpoints) == 4 and copy[0] not in journey.touchpoints
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert state(window.document.project) == before


def test_the_shortcuts_list_shows_each_key_once_and_only_real_keys(
        qtbot: QtBot, window: MainWindow) -> None:
    dialog = ShortcutsDialog(list(window.actions_by_name.values()), window)
    qtbot.addWidget(dialog)
    rows = {dialog.table.item(row, 0).text(): dialog.table.item(row, 1).text()
            for row in range(dialog.table.rowCount())}
    action_keys = [key for action in window.actions_by_name.values()
                   for key in rows.get(action.text().replace("&", ""), "").split(", ") if key]
    assert len(action_keys) == len(set(action_keys)), "a key is listed twice"
    assert rows["Duplicate"] == "Ctrl+D"
    assert "Ctrl+D" not in rows["Delete"]
    for pseudo in ("Copy", "Cut", "Paste", "Undo", "Redo", "New", "Open", "Save", "Zoom In",
                   "Exit", "F14", "F16", "F18", "F20"):
        assert pseudo not in action_keys
    assert not pressable(QKeySequence(Qt.Key.Key_Copy))
    assert pressable(QKeySequence("Ctrl+Shift+Del")) and pressable(QKeySequence("F2"))

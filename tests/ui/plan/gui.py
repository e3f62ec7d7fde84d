"""Real clicks and keys on the Opportunities dock, for the plan tests."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from cx_mapper.ui.main_window import MainWindow
from cx_mapper.ui.plan.dock import OpportunitiesPanel

LEFT = Qt.MouseButton.LeftButton


def open_dock(qtbot: QtBot, window: MainWindow) -> OpportunitiesPanel:
    """Ctrl+Shift+B, the shortcut of View > Opportunities."""
    view = window.tabs.view
    assert view is not None
    view.setFocus()
    qtbot.keyClick(view.viewport(), Qt.Key.Key_B,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    panel = window.opportunities
    qtbot.waitUntil(panel.isVisible)
    return panel


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, LEFT)


def click_row(qtbot: QtBot, table: QTableWidget, row: int, column: int = 0) -> None:
    rect = table.visualItemRect(table.item(row, column))
    qtbot.mouseClick(table.viewport(), LEFT, pos=rect.center())


def type_into(qtbot: QtBot, widget: QWidget, text: str, *, enter: bool = True) -> None:
    """Select what is there, type, and press Enter (commits like a user does)."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)
    if enter:
        qtbot.keyClick(widget, Qt.Key.Key_Return)


def choose_in_menu(target: QWidget, point: QPoint, text: str,
                   seen: list[str] | None = None) -> Callable[[], None]:
    """Open `target`'s context menu at `point` and trigger the entry `text`."""
    found = seen if seen is not None else []

    def choose() -> None:
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        found.extend(a.text() for a in menu.actions() if a.text())
        action = next((a for a in menu.actions() if a.text() == text), None)
        menu.close()
        if action is not None:
            action.trigger()

    QTimer.singleShot(50, choose)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, target.mapToGlobal(point))
    QApplication.sendEvent(target, event)
    return choose

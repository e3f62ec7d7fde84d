"""An editor panel on screen, for the panel tests."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

Shown = TypeVar("Shown", bound=QWidget)


def shown(qtbot: QtBot, widget: Shown, width: int, height: int) -> Shown:
    """`widget` at `width` x `height`, shown, closed with the test."""
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    return widget

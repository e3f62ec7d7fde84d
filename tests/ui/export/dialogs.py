"""The export dialog on screen, for the export tests."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from cx_mapper.ui.export.export_dialog import ExportChoice, ExportDialog


def shown_dialog(qtbot: QtBot, choice: ExportChoice,
                 preview: Callable[[ExportChoice], tuple[QImage, str] | None] | None = None
                 ) -> ExportDialog:
    """File > Export…'s dialog opened on `choice`, exposed and ready for keys."""
    shown = ExportDialog(choice, browse=lambda _c: None, preview=preview)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown

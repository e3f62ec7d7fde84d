"""Small shared labels and text colours: muted, error, and a label with a tone."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from cx_mapper.ui.look.palette import current_palette


def error_color() -> QColor:
    """Vermillion from the satisfaction scale, in its shade for text."""
    return QColor(current_palette().bad_text)


def muted_color() -> QColor:
    """Secondary text: the application palette's placeholder colour."""
    return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)


def set_text_color(label: QLabel, colour: QColor | None) -> None:
    """Colour a label's text, or give it back the palette's colour."""
    if colour is None:
        label.setStyleSheet("")
        return
    r, g, b, a = colour.red(), colour.green(), colour.blue(), colour.alpha()
    label.setStyleSheet(f"color: rgba({r}, {g}, {b}, {a});")


class ToneLabel(QLabel):
    """A wrapped label in a muted or error tone that follows light/dark theme changes.

    No style sheet: a widget with one keeps the palette it had when the sheet was set,
    so a hint set in the light theme stayed half-transparent black in the dark (1.2:1).
    The muted tone is the palette's placeholder role, which follows the theme by itself;
    the error tone is set again when the palette changes.
    """

    def __init__(self, text: str = "", tone: str = "muted", parent: QWidget | None = None
                 ) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.tone = tone
        self._apply_tone()

    def _apply_tone(self) -> None:
        if self.tone != "error":
            if self.foregroundRole() != QPalette.ColorRole.PlaceholderText:
                self.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            return
        colour = error_color()
        if self.palette().color(QPalette.ColorRole.WindowText) != colour:
            palette = QPalette()
            palette.setColor(QPalette.ColorRole.WindowText, colour)
            self.setPalette(palette)  # only the text colour: the rest follows the theme

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_tone()

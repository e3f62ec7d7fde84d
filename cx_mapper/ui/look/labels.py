"""Small shared labels and text colours: muted, error, and a label with a tone."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from cx_mapper.ui.look.palette import current_palette, is_dark


def error_color() -> QColor:
    """Vermillion from the satisfaction scale, dark enough to read as small text."""
    colour = QColor(current_palette().satisfaction[0])
    return colour.lighter(125) if is_dark() else colour.darker(125)


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
    """A wrapped label in a muted or error tone that follows light/dark theme changes."""

    def __init__(self, text: str = "", tone: str = "muted", parent: QWidget | None = None
                 ) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.tone = tone
        self._apply_tone()

    def _apply_tone(self) -> None:
        set_text_color(self, error_color() if self.tone == "error" else muted_color())

    def event(self, event: QEvent) -> bool:
        # Qt posts this to every widget when the theme changes; it never reaches changeEvent.
        if event.type() == QEvent.Type.ApplicationPaletteChange:
            self._apply_tone()
        return super().event(event)

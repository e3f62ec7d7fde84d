"""Light and dark themes: follow the system unless the user picks one.

The Fusion style is used everywhere so the app looks the same on every desktop
and the dark palette is complete; the system's preference comes from Qt's
style hints, and a change to it is followed live.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

THEMES: dict[str, str] = {"system": "Follow the system", "light": "Light", "dark": "Dark"}
SETTINGS_KEY = "view/theme"


def dark_palette() -> QPalette:
    """A calm dark palette with enough contrast for text and disabled states."""
    palette = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    colours = {
        role.Window: "#202329", role.WindowText: "#e6e8eb", role.Base: "#17191d",
        role.AlternateBase: "#23262c", role.ToolTipBase: "#2b2f36", role.ToolTipText: "#e6e8eb",
        role.PlaceholderText: "#8a9099", role.Text: "#e6e8eb", role.Button: "#2a2d34",
        role.ButtonText: "#e6e8eb", role.BrightText: "#ff6b6b", role.Link: "#6cb6ff",
        role.Highlight: "#3d7bd9", role.HighlightedText: "#ffffff", role.Light: "#3a3e46",
        role.Midlight: "#32353c", role.Mid: "#26292f", role.Dark: "#141619",
        role.Shadow: "#000000",
    }
    for colour_role, colour in colours.items():
        palette.setColor(colour_role, QColor(colour))
    for colour_role in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(group.Disabled, colour_role, QColor("#6d737c"))
    return palette


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return bool(hints.colorScheme() == Qt.ColorScheme.Dark)


class ThemeManager(QObject):
    """Applies the chosen theme and tells views when the palette changed."""

    theme_changed = Signal(bool)  # dark

    def __init__(self, app: QApplication, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._choice = str(QSettings().value(SETTINGS_KEY, "system"))
        if self._choice not in THEMES:
            self._choice = "system"
        app.setStyle("Fusion")
        self._light = app.style().standardPalette()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_system_scheme_changed)
        self._apply()

    @property
    def choice(self) -> str:
        return self._choice

    @property
    def is_dark(self) -> bool:
        return self._choice == "dark" or (self._choice == "system" and system_is_dark())

    def set_choice(self, choice: str) -> None:
        if choice not in THEMES:
            raise ValueError(f"Unknown theme {choice!r}; choose one of {', '.join(THEMES)}")
        self._choice = choice
        QSettings().setValue(SETTINGS_KEY, choice)
        self._apply()

    def _on_system_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._choice == "system":
            self._apply()

    def _apply(self) -> None:
        dark = self.is_dark
        self._app.setPalette(dark_palette() if dark else self._light)
        self.theme_changed.emit(dark)

"""The desktop app's entry: the application object, the theme and the main window."""

from __future__ import annotations

import sys

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from cx_mapper import __version__
from cx_mapper.ui.look.resources import resources_folder
from cx_mapper.ui.look.theme import ThemeManager
from cx_mapper.ui.main_window import MainWindow
from cx_mapper.ui.menus import APP_NAME


def application() -> QApplication:
    """The running QApplication, created with the app's names (QSettings uses them)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("cx-mapper")
    app.setWindowIcon(QIcon(str(resources_folder() / "cx-mapper.svg")))
    return app


def run(location: str | None = None) -> int:
    """Open the main window, offer to restore work after a crash, then open `location`."""
    app = application()
    theme = ThemeManager(app)
    window = MainWindow(theme=theme)
    window.show()
    restored = window.offer_recovery()
    if location and not restored:
        window.open_location(location)
    elif not restored:
        window.show_welcome(back=False)
    return int(app.exec())

"""The desktop app's entry: the application object, the theme and the main window."""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import sys
import threading
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from cx_mapper import __version__
from cx_mapper.domain.project import Project
from cx_mapper.domain.templates import five_stage_project
from cx_mapper.ui.document import collector
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.canvas.clipboard import MIME_TYPE as CARDS_MIME
from cx_mapper.ui.files.open_save import is_big_file
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
    """Open the main window, offer to restore work after a crash, then open `location`.

    The window goes on screen before anything is analysed (the analysis imports SciPy);
    with a file to open it starts from an empty project (no journey, nothing to lay out
    or analyse) while the file is read, rather than from the template.
    """
    app = application()
    theme = ThemeManager(app)
    document = ProjectDocument(Project() if location else five_stage_project())
    document.analysis.hold()
    window = MainWindow(document, theme=theme)
    window.show()
    when_painted(window, document.analysis.release)
    when_painted(window, lambda: import_meanwhile(LATER))
    restored = window.offer_recovery()

    def open_location() -> None:
        if location is not None and not window.open_location(location):
            window.show_welcome()

    if location and not restored:
        if is_big_file(location):  # read on a worker: the window comes first, then its progress
            when_painted(window, open_location)
        else:
            open_location()
    elif not restored:
        window.show_welcome(back=False)
    return int(app.exec())


#: Libraries the window needs only after it is on screen: the figures (SciPy), imported
#: on a thread meanwhile. (The charts' and layout's graph order no longer needs
#: networkx, which, imported on the GUI thread when a big map's first figures arrived,
#: froze the window for 0.3-0.8 s.)
LATER = ("cx_mapper.engine.analysis",)


def import_meanwhile(modules: tuple[str, ...]) -> threading.Thread:
    """Import `modules` on a thread; whoever needs one first waits for it to finish."""
    def work() -> None:
        for name in modules:
            with contextlib.suppress(ImportError):
                importlib.import_module(name)

    collector.install()  # cycles with Qt objects in them are never collected on that thread
    thread = threading.Thread(target=work, name="imports", daemon=True)
    thread.start()
    return thread


def leave(code: int) -> int:
    """End the process now that the window has closed and saved what it keeps.

    By the time the event loop returns, closing the window has asked about unsaved
    work, cleared the recovery files and stored the window's place; the workers were
    stopped and waited for (workers.py). What is left is Python freeing every Qt object
    one by one, 0.4-0.6 s on the reference machine, so the operating system frees the
    memory instead. Unless the app holds the clipboard: Qt hands it to the desktop as
    it shuts down, so what the user copied outlives the app; then this returns `code`
    and the process ends the slow way.
    """
    clipboard = QApplication.clipboard()
    data = clipboard.mimeData()
    if clipboard.ownsClipboard() or (data is not None and data.hasFormat(CARDS_MIME)):
        return code
    QSettings().sync()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def when_painted(widget: QWidget, then: Callable[[], object], at_most_ms: int = 1000) -> None:
    """Call `then` once `widget` has first painted (or after `at_most_ms`, whichever first)."""
    done: list[bool] = []

    def call() -> None:
        if not done:
            done.append(True)
            then()

    class Watch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                widget.removeEventFilter(self)
                QTimer.singleShot(0, call)
            return False

    watch = Watch(widget)
    widget.installEventFilter(watch)
    QTimer.singleShot(at_most_ms, call)

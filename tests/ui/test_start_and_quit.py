"""Start-up and quit as whole processes: `cx-mapper sample.json`, as a user starts it.

The window goes on screen before SciPy, SQLAlchemy or Alembic are imported; the sample's
figures follow. Closing the window ends the process without Python tearing down every
Qt object one by one, unless the app holds the clipboard (the desktop gets it then).
Times are measured in tests/benchmarks/test_start_speed.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import RETAIL_SAMPLE

#: Runs the app's own `main` with a watcher on its window; prints what it saw.
CHILD = r'''
import atexit, sys
from PySide6 import QtWidgets
from PySide6.QtCore import QEvent, QObject, QTimer

atexit.register(lambda: print("python finalised", flush=True))
HEAVY = ("scipy", "sqlalchemy", "alembic")
run = QtWidgets.QApplication.exec


class Watch(QObject):
    def __init__(self, window):
        super().__init__()
        self.window, self.seen = window, False

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            loaded = [name for name in HEAVY if name in sys.modules]
            print("at first paint:", ",".join(loaded) or "none", flush=True)
            QTimer.singleShot(50, self.figures)
        return False

    def figures(self):
        if self.window.analysis.result is None:
            QTimer.singleShot(50, self.figures)
            return
        print("figures shown", flush=True)
        if sys.argv[2] == "copy":
            scene = self.window.tabs.scene
            scene.select(list(scene.cards())[:2])
            self.window.copy()
        self.window.close()


def watched_exec(*args):
    app = QtWidgets.QApplication.instance()
    window = next(w for w in app.topLevelWidgets() if isinstance(w, QtWidgets.QMainWindow))
    app.watch = Watch(window)
    window.installEventFilter(app.watch)
    return run()


QtWidgets.QApplication.exec = watched_exec
from cx_mapper.cli import main

sys.exit(main([sys.argv[1]]))
'''


def start(tmp_path: Path, then: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    home = tmp_path / "home"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(home / "config"),
               XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"),
               XDG_RUNTIME_DIR=str(home / "run"))
    (home / "run").mkdir(parents=True, mode=0o700)
    root = Path(__file__).resolve().parents[2]
    env["PYTHONPATH"] = os.pathsep.join([str(root), env.get("PYTHONPATH", "")])
    return subprocess.run([sys.executable, str(script), str(RETAIL_SAMPLE), then],
                          capture_output=True, text=True, env=env, timeout=120)


def test_the_window_shows_before_the_heavy_libraries_and_quit_is_immediate(
        tmp_path: Path) -> None:
    done = start(tmp_path, "close")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "at first paint: none" in lines, done.stdout
    assert "figures shown" in lines, "the sample is analysed once the window is up"
    assert "python finalised" not in lines, "the process ends at once after the window"


@pytest.mark.parametrize("then", ["copy"])
def test_quit_hands_copied_cards_to_the_desktop(tmp_path: Path, then: str) -> None:
    done = start(tmp_path, then)
    assert done.returncode == 0, done.stderr
    assert "python finalised" in done.stdout.splitlines(), \
        "with cards on the clipboard Qt shuts down as usual and passes them on"

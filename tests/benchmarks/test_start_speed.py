"""Start-up and quit as whole processes: `cx-mapper sample.json` as a user starts it.

Run with `.venv/bin/python -m pytest -m benchmark tests/benchmarks/test_start_speed.py -s`.
It prints figures and a baseline measured in the same run; it never fails on a slow
machine. It does check that each process started, showed its window and ended cleanly.

- To a usable window: from starting the process to the main window's first paint with
  the sample's map in it (the figures follow: time to them is printed too).
- Quit: from closing the window to the end of the process.
- Baseline: a bare PySide6 main window in the same Python, timed the same way: what
  starting Python and Qt costs before the app does anything.

Before: an older checkout timed in the same run when CX_MAPPER_BENCH_BEFORE names
its folder (e.g. `git worktree add /tmp/before be1c79a`); otherwise the figures
recorded with this harness on the reference machine before start-up and quit were
worked on (everything imported up front, the template analysed behind the window
first, Python tearing down every Qt object at exit).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.factories import RETAIL_SAMPLE

RUNS = 5
#: Recorded before (medians of 4 under an X server, load about 3, interleaved with now).
BEFORE = {"usable": 2.76, "figures": 2.80, "quit": 0.68}

#: Starts the app (or a bare window) with a watcher that prints when its window first
#: painted, when the figures showed, and when it was closed.
CHILD = r'''
import sys, time
from PySide6 import QtWidgets
from PySide6.QtCore import QEvent, QObject, QTimer

run = QtWidgets.QApplication.exec


class Watch(QObject):
    def __init__(self, window):
        super().__init__()
        self.window, self.seen = window, False

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            print(f"usable {time.time():.4f}", flush=True)
            QTimer.singleShot(0, self.figures)
        return False

    def figures(self):
        panel = getattr(self.window, "analysis", None)
        if panel is not None and panel.result is None:
            QTimer.singleShot(5, self.figures)
            return
        print(f"figures {time.time():.4f}", flush=True)
        QTimer.singleShot(300, self.close)

    def close(self):
        print(f"closing {time.time():.4f}", flush=True)
        self.window.close()


def watched_exec(*args):
    app = QtWidgets.QApplication.instance()
    window = next(w for w in app.topLevelWidgets() if isinstance(w, QtWidgets.QMainWindow))
    app.watch = Watch(window)
    window.installEventFilter(app.watch)
    return run()


QtWidgets.QApplication.exec = watched_exec
if sys.argv[1] == "bare":
    app = QtWidgets.QApplication(sys.argv[:1])
    window = QtWidgets.QMainWindow()
    window.resize(1400, 860)
    window.show()
    sys.exit(app.exec())
from cx_mapper.cli import main

sys.exit(main([sys.argv[1]]))
'''


def timed_process(tmp_path: Path, what: str, root: Path | None = None) -> dict[str, float]:
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    home = tmp_path / f"home-{time.perf_counter_ns()}"
    (home / "run").mkdir(parents=True, mode=0o700)
    env = dict(os.environ, XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"),
               XDG_CACHE_HOME=str(home / "cache"), XDG_RUNTIME_DIR=str(home / "run"))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    root = root or Path(__file__).resolve().parents[2]
    env["PYTHONPATH"] = os.pathsep.join([str(root), env.get("PYTHONPATH", "")])
    start = time.time()
    done = subprocess.run([sys.executable, str(script), what], capture_output=True, text=True,
                          env=env, timeout=120, cwd=root)
    end = time.time()
    assert done.returncode == 0, done.stderr
    marks = {line.split()[0]: float(line.split()[1]) for line in done.stdout.splitlines()
             if line.split() and line.split()[0] in ("usable", "figures", "closing")}
    return {"usable": marks["usable"] - start, "figures": marks["figures"] - start,
            "quit": end - marks["closing"]}


@pytest.mark.benchmark
def test_start_and_quit(tmp_path: Path) -> None:
    before = os.environ.get("CX_MAPPER_BENCH_BEFORE")
    runs: dict[str, list[dict[str, float]]] = {"app": [], "bare": [], "before": []}
    for _ in range(RUNS):  # interleaved: all see the same load
        runs["app"].append(timed_process(tmp_path, str(RETAIL_SAMPLE)))
        runs["bare"].append(timed_process(tmp_path, "bare"))
        if before:
            runs["before"].append(timed_process(tmp_path, str(RETAIL_SAMPLE), Path(before)))
    print(f"\nStart-up and quit as whole processes ({os.environ.get('QT_QPA_PLATFORM')} "
          f"platform), best / median of {RUNS}")
    print(f"{'':>28} {'usable window':>16} {'figures shown':>16} {'quit':>16}")
    for name, label in (("app", "cx-mapper sample (now)"), ("before", "before (same run)"),
                        ("bare", "bare Qt window")):
        if not runs[name]:
            continue
        row = [_best_median([run[key] for run in runs[name]])
               for key in ("usable", "figures", "quit")]
        print(f"{label:>28} {row[0]:>16} {row[1]:>16} {row[2]:>16}")
    if not before:
        print(f"{'before (recorded)':>28} {_s(BEFORE['usable']):>16} "
              f"{_s(BEFORE['figures']):>16} {_s(BEFORE['quit']):>16}")
    app = statistics.median(run["usable"] for run in runs["app"])
    bare = statistics.median(run["usable"] for run in runs["bare"])
    print(f"The app's own share of start-up (median): {_s(app - bare)}; "
          f"targets: under 1.5 s to a usable window, under 0.5 s to quit.")


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.0f} ms"


def _best_median(values: list[float]) -> str:
    return f"{_s(min(values))} / {_s(statistics.median(values))}"

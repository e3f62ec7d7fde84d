"""What every subcommand shares: bad input as one line, argument types, stdout."""

from __future__ import annotations

import argparse
import os
import sys
from typing import NoReturn

from cx_mapper.domain.quoting import quoted
from cx_mapper.domain.ranges import HORIZON_LIMIT, bound_words
from cx_mapper.persistence.locations import is_store_url

BAD_INPUT = 2
#: What `analyze` read and computed, left for the process's end (freeing it took 0.15 s).
LEFT_FOR_EXIT: list[object] = []
#: `export --width` bounds: narrower is unreadable, wider makes images of hundreds of MB.
MIN_WIDTH, MAX_WIDTH, DEFAULT_WIDTH = 800, 6000, 2400


class BadInput(Exception):
    """Input the user can fix; the message says what and where."""


class Parser(argparse.ArgumentParser):
    """Bad arguments are bad input: one line and exit 2, like every other mistake."""

    def error(self, message: str) -> NoReturn:
        raise BadInput(f"{self.prog}: {message} (see {self.prog} -h)")


def journey_arguments(command: argparse.ArgumentParser) -> None:
    """FILE, --project, --journey and --horizon: where the journey is, and how far to count."""
    command.add_argument("file", metavar="FILE",
                         help="a .json or .cxmap project, or a team-store database URL")
    command.add_argument("--project", metavar="NAME",
                         help="the project's name, when FILE is a team-store URL")
    command.add_argument("--journey", metavar="ID", help="journey id (default: the first)")
    command.add_argument("--horizon", metavar="T", type=horizon,
                         help="count steps 0..T only, T at most "
                         f"{bound_words(HORIZON_LIMIT)} (default: infinite horizon)")




def horizon(text: str) -> int:
    """The journey's own horizon bound (domain/ranges.py) holds for --horizon too."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a whole number of steps, got '{quoted(text)}'") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    if value > HORIZON_LIMIT:  # an unrolled horizon costs time and memory with every step
        raise argparse.ArgumentTypeError(
            f"must be {bound_words(HORIZON_LIMIT)} steps or fewer, got {quoted(text)}")
    return value


def budget(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (value >= 0 and value != float("inf")):  # NaN fails the comparison
        raise argparse.ArgumentTypeError(f"must be a number of 0 or more, got '{quoted(text)}'")
    return value


def width(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number of pixels, got '{text}'"
                                         ) from None
    if not MIN_WIDTH <= value <= MAX_WIDTH:
        raise argparse.ArgumentTypeError(
            f"must be between {MIN_WIDTH} and {MAX_WIDTH} pixels, got {value}")
    return value


def write_out(data: bytes) -> None:
    """UTF-8 bytes to stdout, straight to its buffer when it has one (48 MB of JSON)."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text stream stands in for stdout (tests, embedding)
        sys.stdout.write(data.decode("utf-8"))
    else:
        buffer.write(data)
        buffer.flush()


def where(location: str) -> str:
    return location if not is_store_url(location) else "the team store"


def headless_application() -> object:
    """The QApplication for rendering, on Qt's offscreen platform on Linux and the BSDs.

    Export never opens a window, so it needs no display: not having DISPLAY or
    WAYLAND_DISPLAY is fine, and a stale DISPLAY (an ssh session) cannot abort it.
    QT_QPA_PLATFORM must be set before the application object exists; a platform the
    user set is kept. Windows and macOS render with their own platform.
    """
    if sys.platform not in ("win32", "darwin"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    return app if app is not None else QApplication(["cx-mapper"])


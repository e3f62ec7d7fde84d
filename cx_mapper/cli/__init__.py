"""`cx-mapper`: the desktop app by default, headless subcommands for scripts (FORMAT.md).

Exit codes: 0 on success, 2 for bad input with one clear line on stderr (the same
text the app shows), 1 for an internal fault. Never a traceback, unless
CX_MAPPER_DEBUG is set. Each subcommand lives in a module of its own that registers
its parser (`register`) and the function that runs it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

from cx_mapper import __version__
from cx_mapper.cli import analyze, attribution, drift, files, imports
from cx_mapper.cli.common import BAD_INPUT, LEFT_FOR_EXIT, BadInput, Parser
from cx_mapper.domain.quoting import one_line
from cx_mapper.engine.errors import AnalysisError
from cx_mapper.persistence.errors import ProjectFileError

#: The subcommand modules, in the order `cx-mapper -h` lists their commands.
_MODULES = (analyze, attribution, files, imports, drift)
COMMANDS = ("analyze", "attribution", "convert", "drift", "export", "import-log",
            "import-paths", "plan")


def run() -> None:
    """The `cx-mapper` command: `main`, then the process ends.

    After `analyze` it ends at once, its output flushed, without tearing down what the
    run built (LEFT_FOR_EXIT): freeing a 100,000-touchpoint journey and its results
    object by object took 0.2 s of a 5 s run, for a process about to end. Nothing else
    is left to do then (no file open, no temporary). Every other command exits as usual.
    """
    argv = sys.argv[1:]
    code = main(argv)
    if argv[:1] == ["analyze"]:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # a reader that left
                stream.flush()
        os._exit(code)
    sys.exit(code)



def main(argv: Sequence[str] | None = None) -> int:
    _one_blas_thread()
    LEFT_FOR_EXIT.clear()  # a caller that runs several commands (tests) frees the last
    argv = list(sys.argv[1:] if argv is None else argv)
    # `cx-mapper FILE` opens the app; FILE must not be taken for a command name.
    opens_app = not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-"))
    try:
        args = (_app_parser() if opens_app else _parser()).parse_args(argv)
        return int(args.run(args)) if args.command else _open_app(args.file)
    except (BadInput, ProjectFileError, AnalysisError) as error:
        # One line, escaped: file names and ids are anyone's text (domain/quoting.py).
        message = one_line(str(error))
        prefix = "" if message.startswith("cx-mapper") else "cx-mapper: "
        print(f"{prefix}{message}", file=sys.stderr)
        return BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. piped into `head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:  # a fault of ours: say so in one line, not a traceback
        if os.environ.get("CX_MAPPER_DEBUG"):
            raise
        print(f"cx-mapper: internal error: {type(error).__name__}: {one_line(str(error))}. "
              "Set CX_MAPPER_DEBUG=1 for details.", file=sys.stderr)
        return 1


def _one_blas_thread() -> None:
    """Run numpy's BLAS on one thread unless the user chose otherwise.

    The engine's large solves are sparse: their dense parts are dot products of long
    vectors, bound by memory, where threads gain little. On a busy machine OpenBLAS's
    threads wait for cores and the same analysis took 25 s instead of 4.4 s (100,000
    touchpoints on 2 cores, README). It must be set before numpy is first imported.
    """
    if "numpy" not in sys.modules:
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(name, "1")


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="cx-mapper",
        description="Customer-experience journey maps that compute loyalty, value and "
        "word of mouth. With no command, opens the desktop app (on FILE if given).",
    )
    parser.add_argument("--version", action="version", version=f"cx-mapper {__version__}")
    parser.set_defaults(command=None, file=None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _MODULES:
        module.register(commands)
    return parser


def _app_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="cx-mapper", usage="cx-mapper [FILE]")
    parser.add_argument("file", nargs="?", metavar="FILE", help="project to open")
    parser.set_defaults(command=None)
    return parser


# -- the desktop app ----------------------------------------------------------------
def _open_app(file: str | None) -> int:
    from cx_mapper.ui.app import leave, run

    return leave(run(file))  # the window has saved what it keeps: the process ends at once

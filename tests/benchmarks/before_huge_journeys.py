"""`cx-mapper` as it read, analysed and wrote huge journeys before they were made fast.

The benchmark runs this as a process beside the real command, on the same files in the
same run: `python -m tests.benchmarks.before_huge_journeys analyze FILE --json`. It
puts back, from today's pieces, what the command did before:
- every module imported at start-up (scipy, SQLAlchemy, Alembic), whatever the command;
- the careful JSON parse (a Python call per object) and the element-by-element reader,
  an object for every touchpoint and transition (no columns for the analysis);
- the structure warnings computed by analyze and thrown away;
- numpy's BLAS threads as numpy sets them;
- the standard library's JSON writer;
- Alembic's migrations run to make every new .cxmap file.
"""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any

import orjson

import cx_mapper.engine.analysis as analysis
import cx_mapper.persistence.json_format as json_format
from cx_mapper.cli import main
from cx_mapper.domain import validation
from cx_mapper.persistence import migrations, schema


def _stdlib_dumps(data: Any, option: int | None = None) -> bytes:
    indent = 2 if option else None
    return json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=False).encode()


def _with_warnings(journey: Any, segments: Any = None, *, errors_only: bool = False,
                   read_checked: bool = False) -> Any:
    """Every check and every warning, as analysis once asked for."""
    return validation.validate_journey(journey, segments)


def put_back_the_old_ways() -> None:
    for module in ("alembic.command", "scipy.sparse.linalg", "cx_mapper.persistence.team_store",
                   "cx_mapper.persistence.project_file"):
        importlib.import_module(module)  # the start-up every command paid for
    json_format.parse_json_quickly = lambda data: None  # type: ignore[assignment]
    json_format.quick_touchpoints = lambda *args: None  # type: ignore[assignment]
    json_format.quick_transitions = lambda *args: None  # type: ignore[assignment]
    json_format.touchpoint_columns = lambda *args: None  # type: ignore[assignment]
    orjson.dumps = _stdlib_dumps  # type: ignore[assignment]
    analysis.validate_journey = _with_warnings  # type: ignore[assignment]
    schema.create_head_tables = migrations.upgrade  # type: ignore[assignment]


if __name__ == "__main__":
    put_back_the_old_ways()
    sys.exit(main(sys.argv[1:]))

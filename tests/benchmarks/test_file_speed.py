"""File speed: save and open a .cxmap at 200 to 10,000 touchpoints, against JSON.

Run with `.venv/bin/python -m pytest -m benchmark tests/benchmarks/test_file_speed.py -s`.
It prints figures and ratios measured in the same run; it never fails on a slow
machine. It does check that every file reads back as the project written.

- Save: check the project, build the SQLite database in memory, write it to a
  temporary file, fsync, rename, fsync the folder (project_file.save_project).
- Open: read the file, check it, read the rows, check them by the JSON reader's
  rules (project_file.open_project).
- Baseline: the same project written and read as cx-mapper/1 JSON (json_format),
  which also checks on both sides and also writes atomically with fsync.

Targets for 10,000 touchpoints (50,000 transitions): save under 1 s, open under 1 s.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest

from cx_mapper.persistence.json_format import read_project as read_json
from cx_mapper.persistence.json_format import write_project as write_json
from cx_mapper.persistence.project_file import open_project, save_project
from tests.benchmarks.journeys import random_journey
from tests.benchmarks.timing import best_of

SIZES = (200, 2_000, 10_000)


@pytest.mark.benchmark
def test_file_speed() -> None:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        for n in SIZES:
            project = random_journey(n)
            cxmap, json_path = Path(folder) / f"{n}.cxmap", Path(folder) / f"{n}.json"
            repeats = 7 if n <= 2_000 else 5
            save, _ = best_of(repeats, lambda p=project, f=cxmap: save_project(p, f))
            load, opened = best_of(repeats, lambda f=cxmap: open_project(f))
            json_save, _ = best_of(repeats, lambda p=project, f=json_path: write_json(p, f))
            json_load, read = best_of(repeats, lambda f=json_path: read_json(f))
            assert opened.project == project and read == project
            rows.append({
                "n": n, "transitions": len(project.journeys[0].transitions),
                "save": save, "open": load, "json_save": json_save, "json_open": json_load,
                "size": cxmap.stat().st_size, "json_size": json_path.stat().st_size,
            })

    print("\n.cxmap save and open against cx-mapper/1 JSON (best of runs)")
    print(f"{'touchpoints':>12} {'transitions':>12} {'save':>10} {'JSON':>10} {'ratio':>6} "
          f"{'open':>10} {'JSON':>10} {'ratio':>6} {'size':>9} {'JSON':>9}")
    for row in rows:
        print(" ".join([
            f"{row['n']:>12,}", f"{row['transitions']:>12,}",
            f"{_ms(row['save']):>10}", f"{_ms(row['json_save']):>10}",
            f"{row['save'] / row['json_save']:>6.2f}",
            f"{_ms(row['open']):>10}", f"{_ms(row['json_open']):>10}",
            f"{row['open'] / row['json_open']:>6.2f}",
            f"{_mb(row['size']):>9}", f"{_mb(row['json_size']):>9}",
        ]))
    print("Ratio: .cxmap time / JSON time (below 1: the .cxmap is faster).")
    print("Targets at 10,000 touchpoints: save under 1 s, open under 1 s.")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def _mb(size: int) -> str:
    return f"{size / 1e6:.2f} MB"

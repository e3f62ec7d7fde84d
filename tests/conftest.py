"""Test-wide settings: Qt without a screen, and benchmarks only on request."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Before anything imports Qt: GUI tests draw offscreen, so they need no display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_BENCHMARKS = Path(__file__).parent / "benchmarks"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run benchmarks only with `-m benchmark`; the plain test run leaves them out.

    Everything under tests/benchmarks counts as a benchmark, marked or not.
    """
    for item in items:
        if _BENCHMARKS in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.benchmark)

    if "benchmark" in (config.option.markexpr or ""):
        return  # the -m expression decides, e.g. "benchmark" or "not benchmark"

    kept: list[pytest.Item] = []
    deselected: list[pytest.Item] = []
    for item in items:
        (deselected if item.get_closest_marker("benchmark") else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept

"""Test-wide settings: Qt without a screen, benchmarks only on request, logged errors fail."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# The same examples on every run, so a run that lands is not a lucky draw; the `fuzz`
# marker's tests and HYPOTHESIS_PROFILE=explore draw afresh to look for new cases.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

# Before anything imports Qt: GUI tests draw offscreen, so they need no display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_BENCHMARKS = Path(__file__).parent / "benchmarks"


#: Markers whose tests run only when `-m` asks for them: benchmarks print figures, fuzz
#: runs are long. Everything under tests/benchmarks counts as a benchmark, marked or not.
ON_REQUEST = ("benchmark", "fuzz")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave benchmarks and long fuzz runs out of the plain test run."""
    for item in items:
        if _BENCHMARKS in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.benchmark)

    asked = config.option.markexpr or ""
    kept: list[pytest.Item] = []
    deselected: list[pytest.Item] = []
    for item in items:
        left_out = any(item.get_closest_marker(name) and name not in asked
                       for name in ON_REQUEST)
        (deselected if left_out else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


class _ErrorLog(logging.Handler):
    """Keeps the errors the app logs, so a test fails on them as on an exception."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def no_logged_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    """A view that fails while drawing logs the error and lets the other views update
    (ui/document/analysis_service.py); the test still fails, as if it had raised.

    A test that provokes an error on purpose says so with `@pytest.mark.logs_errors`.
    """
    handler = _ErrorLog()
    logger = logging.getLogger("cx_mapper")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    if handler.records and request.node.get_closest_marker("logs_errors") is None:
        first = handler.records[0]
        pytest.fail(f"cx_mapper logged {len(handler.records)} error(s); the first: "
                    f"{first.name}: {first.getMessage()}\n{first.exc_text or ''}", pytrace=False)


@pytest.fixture(scope="session")
def spark() -> Iterator[object]:
    """One local Spark session for every Spark test of the run: starting one takes
    seconds, a query on it a fraction of one. Two cores at most, two shuffle
    partitions, no web UI, on the loopback address; the JVM compiles with its quick
    compiler only, which halves the start and the first queries on small data.
    Skipped without pyspark or Java, except in CI, which installs both (.ci/setup)."""
    import shutil

    try:
        from pyspark.sql import SparkSession
    except ImportError:
        reason = "pyspark is not installed (pip install -e '.[spark]')"
    else:
        reason = "" if shutil.which("java") or os.environ.get("JAVA_HOME") else \
            "no Java for Spark (apt-get install openjdk-17-jre-headless)"
    if reason:
        if os.environ.get("CI"):
            raise RuntimeError(f"{reason}: .ci/setup installs it")
        pytest.skip(reason)
    session = (SparkSession.builder.master("local[2]").appName("cx-mapper tests")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.default.parallelism", "2")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.driver.memory", "1g")
               .config("spark.driver.host", "127.0.0.1")
               .config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.driver.extraJavaOptions",
                       "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()

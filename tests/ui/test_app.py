"""The overview window: opening projects, one tab per journey, bad files never crash it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QLabel, QMessageBox, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from cx_mapper.cli import main
from cx_mapper.engine.analysis import analyze
from cx_mapper.persistence.json_format import read_project
from cx_mapper.ui.app import COLUMNS, OverviewWindow

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = str(ROOT / "projects" / "retail-omnichannel.json")


@pytest.fixture(autouse=True)
def _test_settings() -> Iterator[None]:
    QStandardPaths.setTestModeEnabled(True)
    yield
    QStandardPaths.setTestModeEnabled(False)


@pytest.fixture
def window(qtbot: QtBot) -> OverviewWindow:
    win = OverviewWindow()
    qtbot.addWidget(win)
    return win


@pytest.fixture
def warnings_shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every QMessageBox.warning as (title, text), instead of a modal dialog."""
    shown: list[tuple[str, str]] = []

    def fake_warning(_parent: QWidget, title: str, text: str, *_: Any) -> int:
        shown.append((title, text))
        return int(QMessageBox.StandardButton.Ok.value)

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(fake_warning))
    return shown


def page(window: OverviewWindow, index: int) -> QWidget:
    widget = window.tabs.widget(index)
    assert widget is not None
    return widget


def table(window: OverviewWindow, index: int) -> QTableWidget:
    found = page(window, index).findChild(QTableWidget)
    assert found is not None
    return found


def summary(window: OverviewWindow, index: int) -> str:
    label = page(window, index).findChild(QLabel, "summary")
    assert label is not None
    return label.text()


def tab_names(window: OverviewWindow) -> list[str]:
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


def cli_message(path: str, capsys: pytest.CaptureFixture[str]) -> str:
    """What `cx-mapper analyze PATH` prints on stderr, without the program name."""
    capsys.readouterr()
    assert main(["analyze", path]) == 2
    err = capsys.readouterr().err
    prefix = "cx-mapper: "
    assert err.startswith(prefix)
    return err[len(prefix):].rstrip("\n")


def loop_journey() -> dict[str, Any]:
    return {"id": "loop", "name": "Loop forever", "discount_rate": 0,
            "touchpoints": [{"id": "start", "entry": 1}, {"id": "a"}, {"id": "b"}],
            "transitions": [{"from": "start", "to": "a", "probability": 0.5},
                            {"from": "a", "to": "b", "probability": 1},
                            {"from": "b", "to": "a", "probability": 1}]}


def fine_journey() -> dict[str, Any]:
    return {"id": "fine", "name": "Works",
            "touchpoints": [{"id": "ad", "entry": 1, "satisfaction": 0.5},
                            {"id": "buy", "conversion": True}],
            "transitions": [{"from": "ad", "to": "buy", "probability": 0.5}]}


def write(path: Path, *journeys: dict[str, Any]) -> str:
    path.write_text(json.dumps({"format": "cx-mapper/1", "name": "Test project",
                                "journeys": list(journeys)}), encoding="utf-8")
    return str(path)


# -- opening the sample ------------------------------------------------------------------------
def test_a_new_window_invites_to_open_a_project(window: OverviewWindow) -> None:
    assert window.project is None
    assert tab_names(window) == ["Welcome"]
    assert "No project" in window.windowTitle()


def test_opening_the_sample_shows_one_tab_per_journey(window: OverviewWindow) -> None:
    assert window.open_file(SAMPLE) is True
    project = read_project(SAMPLE)
    assert tab_names(window) == [j.name for j in project.journeys]
    assert tab_names(window) == ["Current state", "Future state"]
    assert "retail-omnichannel.json" in window.windowTitle()
    assert window.project is not None and window.project.name == "Retail omnichannel"


def test_each_table_has_one_row_per_touchpoint(window: OverviewWindow) -> None:
    window.open_file(SAMPLE)
    project = read_project(SAMPLE)
    for index, journey in enumerate(project.journeys):
        rows = table(window, index)
        assert rows.rowCount() == len(journey.touchpoints)
        assert rows.columnCount() == len(COLUMNS)
        names = [rows.item(row, 0).text() for row in range(rows.rowCount())]
        assert names == [tp.name or tp.id for tp in journey.touchpoints.values()]


def test_the_summary_shows_the_engine_figures(window: OverviewWindow) -> None:
    window.open_file(SAMPLE)
    totals = analyze(read_project(SAMPLE), "current").totals
    text = summary(window, 0)
    assert f"{100 * totals.loyalty_index:+.1f}" in text
    assert f"{totals.value:,.2f}" in text
    assert f"{totals.conversion_probability:.1%}" in text
    assert "Cannot analyse" not in text


def test_the_table_shows_each_touchpoints_visits(window: OverviewWindow) -> None:
    window.open_file(SAMPLE)
    result = analyze(read_project(SAMPLE), "current")
    rows = table(window, 0)
    visits_column = COLUMNS.index("Visits")
    for row, tid in enumerate(result.ids):
        assert rows.item(row, visits_column).text() == f"{result.touchpoint(tid).visits:.3f}"


# -- bad files ---------------------------------------------------------------------------------
@pytest.mark.parametrize("content", [None, '{"format": "cx-mapper/1", ',
                                     '{"format": "cx-mapper/1", "colour": "red"}'],
                         ids=["missing", "invalid_json", "unknown_key"])
def test_a_bad_file_shows_the_cli_message_and_keeps_the_project(
        content: str | None, tmp_path: Path, window: OverviewWindow,
        warnings_shown: list[tuple[str, str]], capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    window.open_file(SAMPLE)
    before = window.project

    assert window.open_file(str(bad)) is False

    assert len(warnings_shown) == 1
    _, text = warnings_shown[0]
    assert text == cli_message(str(bad), capsys)
    assert "Traceback" not in text
    assert window.project is before
    assert window.path == SAMPLE
    assert tab_names(window) == ["Current state", "Future state"]
    assert "retail-omnichannel.json" in window.windowTitle()


def test_a_bad_file_in_an_empty_window_keeps_the_welcome(
        tmp_path: Path, window: OverviewWindow, warnings_shown: list[tuple[str, str]]) -> None:
    assert window.open_file(str(tmp_path / "nowhere.json")) is False
    assert len(warnings_shown) == 1 and "not found" in warnings_shown[0][1]
    assert window.project is None
    assert tab_names(window) == ["Welcome"]


def test_a_journey_that_cannot_be_analysed_shows_why(
        tmp_path: Path, window: OverviewWindow, warnings_shown: list[tuple[str, str]],
        capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "loops.json", fine_journey(), loop_journey())

    assert window.open_file(path) is True

    assert warnings_shown == []  # the file is fine; one journey is not
    assert tab_names(window) == ["Works", "Loop forever"]
    assert "Cannot analyse" not in summary(window, 0)
    text = summary(window, 1)
    assert "Cannot analyse" in text
    assert "a → b → a" in text
    # The reason is the one the command line gives for that journey.
    capsys.readouterr()
    assert main(["analyze", path, "--journey", "loop"]) == 2
    reason = capsys.readouterr().err.split(": ", 2)[-1].strip()
    assert reason in text
    # Its touchpoints are still listed, without figures.
    rows = table(window, 1)
    assert rows.rowCount() == 3
    assert rows.item(0, 0).text() == "start"
    assert rows.item(0, COLUMNS.index("Visits")) is None


def test_a_journey_with_no_entry_shows_why(tmp_path: Path, window: OverviewWindow) -> None:
    journey = fine_journey()
    journey["touchpoints"][0]["entry"] = 0
    path = write(tmp_path / "noentry.json", journey)
    assert window.open_file(path) is True
    text = summary(window, 0)
    assert "Cannot analyse" in text and "entry" in text


def test_opens_a_cxmap_project_file(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from cx_mapper.persistence.json_format import read_project
    from cx_mapper.persistence.project_file import save_project
    from cx_mapper.ui.app import OverviewWindow

    path = tmp_path / "retail.cxmap"
    save_project(read_project(SAMPLE), path)
    window = OverviewWindow()
    qtbot.addWidget(window)
    assert window.open_file(str(path))
    assert window.windowTitle().startswith("retail.cxmap")
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "Current state", "Future state"]

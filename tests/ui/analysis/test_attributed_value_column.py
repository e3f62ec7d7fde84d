"""The touchpoint table's attributed value: shown for a journey that knows what its
conversions are worth (paths imported with their values), hidden otherwise."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from cx_mapper.domain.project import Project
from cx_mapper.engine.analysis import analyze
from cx_mapper.persistence.files import read_project
from cx_mapper.persistence.path_data import read_path_data
from cx_mapper.ui.analysis.dock import AnalysisPanel
from cx_mapper.ui.analysis.touchpoint_table import COLUMNS
from cx_mapper.ui.document.project_document import ProjectDocument
from tests.factories import RETAIL_SAMPLE

ROWS = ["Search > Email > Search;12;840.50;30", "Email;3;150;20", "Search > Display;0;0;25",
        "Display > Email;5;410;12"]


def shown_panel(qtbot: QtBot, document: ProjectDocument, journey_id: str) -> AnalysisPanel:
    panel = AnalysisPanel(document)
    qtbot.addWidget(panel)
    panel.resize(1500, 360)
    panel.show()
    panel.set_journey(journey_id)
    qtbot.waitUntil(lambda: panel.result is not None, timeout=10_000)
    return panel


def test_imported_paths_show_each_channels_attributed_value(qtbot: QtBot,
                                                            tmp_path: Path) -> None:
    file = tmp_path / "paths.csv"
    file.write_text("path;total_conversions;total_conversion_value;total_null\n"
                    + "\n".join(ROWS) + "\n", encoding="utf-8")
    journey = read_path_data(file).journey
    document = ProjectDocument(Project(journeys=[journey]))
    panel = shown_panel(qtbot, document, journey.id)
    table, column = panel.table, COLUMNS.index("Attributed value")
    assert not table.isColumnHidden(column)
    result = analyze(document.project, journey.id)
    shown = {}
    for row, touchpoint_id in enumerate(journey.touchpoints):
        worth = result.touchpoint(touchpoint_id).attributed_value
        assert table.text(row, column) == ("—" if worth is None else f"{worth:,.2f}")
        shown[journey.touchpoints[touchpoint_id].name] = table.text(row, column)
    assert shown["Conversion"] == "—"
    total = sum(float(shown[name].replace(",", "")) for name in ("Search", "Email", "Display"))
    assert abs(total - 1400.50) < 0.02  # the file's whole conversion value, shared out

    # A goal worth nothing: there is no value to share out, and the column goes.
    document.set_touchpoint_fields(journey.id, ["conversion"], value=0.0)
    qtbot.waitUntil(lambda: panel.result is not None, timeout=10_000)
    assert table.isColumnHidden(column)
    assert not table.isColumnHidden(COLUMNS.index("Attributed conv."))


def test_a_journey_without_known_conversions_has_no_value_column(qtbot: QtBot) -> None:
    panel = shown_panel(qtbot, ProjectDocument(read_project(str(RETAIL_SAMPLE))), "current")
    assert not panel.table.isColumnHidden(COLUMNS.index("Attributed conv."))
    assert panel.table.isColumnHidden(COLUMNS.index("Attributed value"))

"""What the Analysis dock shows against what the engine computes, for the dock tests
and the whole-window test of stale figures."""

from __future__ import annotations

import math

import numpy as np

from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.kpis import CARD_KPIS, KPI_BY_KEY, format_value
from cx_mapper.ui.analysis.charts_panel import ChartsPanel
from cx_mapper.ui.analysis.dock import AnalysisPanel
from cx_mapper.ui.analysis.segment_results import COLUMNS as SEGMENT_COLUMNS
from cx_mapper.ui.analysis.segment_results import MIXED, totals_value
from cx_mapper.ui.analysis.touchpoint_table import COLUMNS
from cx_mapper.ui.document.project_document import ProjectDocument

DOCK_TABS = (*ChartsPanel.TABS, "Touchpoints", "By segment", "Compare journeys", "Simulation",
             "Paths", "Evidence")


LATE_DELIVERY_CALL = "delivery_call"  # "Calls about a late or damaged delivery"


def show_tab(panel: AnalysisPanel, name: str) -> None:
    tabs = panel.charts.tabs
    names = [tabs.tabText(i) for i in range(tabs.count())]
    assert sorted(names) == sorted(DOCK_TABS)  # every tab of the dock is covered
    tabs.setCurrentIndex(names.index(name))
    assert tabs.tabText(tabs.currentIndex()) == name


def assert_shows_the_engines_figures(panel: AnalysisPanel, document: ProjectDocument) -> None:
    """KPI cards, touchpoint table, segment table and charts: the current revision's."""
    expected = analyze(document.project, "current")
    assert panel.result is not None and panel.result.totals == expected.totals
    assert not panel.is_updating() and not panel.charts.is_stale()
    assert panel.kpis.isEnabled() and panel.table.isEnabled()
    assert panel.segment_results.isEnabled()
    values = panel.kpis.values()
    for kpi in CARD_KPIS:
        assert values[kpi.key] == kpi.text(expected), kpi.key
    table = panel.table
    assert table.row_count() == len(expected.ids)
    for row, touchpoint_id in enumerate(expected.ids):
        record = expected.touchpoint(touchpoint_id)
        assert table.text(row, COLUMNS.index("Visits")) == f"{record.visits:.3f}"
        assert table.text(row, COLUMNS.index("Loyalty after")) == (
            "—" if record.loyalty is None or math.isnan(record.loyalty)
            else f"{100 * record.loyalty:+.1f}")
        assert table.text(row, COLUMNS.index("Exposure −")) == f"{record.exposure_negative:.2f}"
    shown = panel.segment_results.table
    segments = [(s.name or s.segment_id, s.totals) for s in expected.segments]
    segments.append((MIXED, expected.totals))
    assert shown.rowCount() == len(segments)
    for row, (name, totals) in enumerate(segments):
        assert shown.item(row, 0).text() == name
        for column, key in enumerate(SEGMENT_COLUMNS, start=2):
            assert shown.item(row, column).text() == format_value(
                KPI_BY_KEY[key], totals_value(key, totals)), (name, key)
    assert panel.charts.shown_analysis() is panel.result
    loyalty = panel.charts.charts["loyalty"]
    np.testing.assert_allclose(
        loyalty.values["loyalty"],
        [100 * expected.touchpoints.loyalty[expected.index(t)] for t in loyalty.ids])

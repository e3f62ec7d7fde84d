"""analyze's report reads the KPI declarations: one label, format and key per figure."""

from __future__ import annotations

from dataclasses import fields

from cx_mapper.domain.journey import Touchpoint
from cx_mapper.domain.project import Project
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.kpis import INTERACTIONS, KPI_BY_KEY, KPIS, TOTAL_KPIS
from cx_mapper.engine.report import analysis_table, analysis_to_json
from cx_mapper.engine.results import Analysis, Totals
from tests.engine.helpers import journey, project


def sample() -> tuple[Project, Analysis]:
    """A journey that leaves customers less loyal: a negative loyalty index."""
    p = project(journey(
        [Touchpoint("ad", name="Sees an ad", entry=1.0, satisfaction=-0.8, visibility=0.5),
         Touchpoint("buy", name="Buys", satisfaction=0.1, value=10.0, conversion=True)],
        [("ad", "buy", 0.5)], discount_rate=0.01))
    return p, analyze(p)


def test_every_total_is_declared_once() -> None:
    """The `analyze --json` totals (FORMAT.md) are the engine's Totals, each a declared KPI."""
    assert [kpi.key for kpi in TOTAL_KPIS] == [f.name for f in fields(Totals)]
    assert set(TOTAL_KPIS) == {INTERACTIONS, *KPIS}


def test_json_totals_are_the_engine_values_not_the_shown_ones() -> None:
    p, result = sample()
    _, result = sample()
    totals = analysis_to_json(result)["totals"]
    assert totals["loyalty_index"] == result.totals.loyalty_index
    assert KPI_BY_KEY["loyalty_index"].value(result) == 100 * result.totals.loyalty_index


def test_table_shows_negative_figures_with_a_plain_minus() -> None:
    """A terminal or a pipe in any encoding takes the table; the cards use "−"."""
    p, result = sample()
    table = analysis_table(p, result)
    loyalty = KPI_BY_KEY["loyalty_index"].value(result)
    assert loyalty is not None and loyalty < 0
    assert "−" not in table
    line = next(line for line in table.splitlines() if line.strip().startswith("Loyalty index"))
    assert format(loyalty, "+.1f") in line and format(loyalty, "+.1f").startswith("-")

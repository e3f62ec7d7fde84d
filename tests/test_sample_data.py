"""The sample data in projects/data/: up to date, and it imports as the README says."""

from __future__ import annotations

import pytest

from cx_mapper.domain.project import Project
from cx_mapper.domain.refresh import ADDED, refresh_journey
from cx_mapper.engine.analysis import analyze
from cx_mapper.persistence.event_log import read_event_log
from cx_mapper.persistence.json_format import read_project
from cx_mapper.persistence.path_data import read_path_data
from cx_mapper.persistence.preview import guess_columns, preview_table
from tests.sample_data import DATA, FILES, PATHS, ROOT


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_sample_data_is_what_its_generator_makes(name: str) -> None:
    path = DATA / name
    assert path.read_text(encoding="utf-8") == FILES[name](), (
        "run: python -m tests.sample_data")


def test_the_retail_events_refresh_the_retail_journey_they_came_from() -> None:
    path = DATA / "retail-events.csv"
    columns = guess_columns(preview_table(path).columns)
    assert (columns.satisfaction, columns.public, columns.revenue, columns.stage) == (
        "csat", "shared", "revenue", "stage")
    estimate = read_event_log(path, columns)
    assert estimate.customers == 1500 and estimate.scale == "csat"
    drawn = read_project(ROOT / "projects" / "retail-omnichannel.json").journey("current")
    refresh = refresh_journey(drawn, estimate.journey, measured=(),
                              measured_for=estimate.measured_for())
    assert not [c for c in refresh.changes if c.kind == ADDED and c.element == "touchpoint"]
    # The search ad's events carry no revenue: its drawn value (a cost) is not news.
    assert estimate.measured_for()["finds-us-through-a-search-ad"] == (
        "satisfaction", "visibility")
    assert refresh.journey.touchpoint("search_ad").value == drawn.touchpoint("search_ad").value
    assert not [c for c in refresh.changes if c.element_id == "search_ad" and
                c.field == "value"]
    # 1,500 customers: entry shares within a few points of the drawn ones.
    for touchpoint in drawn.touchpoints.values():
        assert refresh.journey.touchpoint(touchpoint.id).entry == pytest.approx(
            touchpoint.entry, abs=0.05)


def test_the_channel_paths_credit_every_conversion() -> None:
    imported = read_path_data(DATA / "channel-paths.csv")
    assert imported.conversions == sum(row[1] for row in PATHS)
    result = analyze(Project(name="paths", journeys=[imported.journey]))
    credited = [result.touchpoint(t).attributed_conversions for t in result.ids
                if not imported.journey.touchpoint(t).conversion]
    assert sum(credited) == pytest.approx(imported.conversions)
    assert result.totals.conversion_probability == pytest.approx(
        imported.conversions / (imported.conversions + imported.nulls))

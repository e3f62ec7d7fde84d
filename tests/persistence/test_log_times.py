"""Time between touchpoints and in stages from an event log (log_times): exact medians
and 90th percentiles (linear interpolation) of generated delays, in both file formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cx_mapper.domain.durations import short_duration
from cx_mapper.domain.project import Project
from cx_mapper.domain.refresh import refresh_journey
from cx_mapper.persistence import migrations, schema
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.event_log import LogColumns, read_event_log
from cx_mapper.persistence.json_format import dumps_project, loads_project, read_for_analysis
from cx_mapper.persistence.project_file import (
    database_image,
    memory_database,
    open_project,
    save_project,
)
from tests.factories import sample_project
from tests.persistence.event_logs import known_delays

MINUTE, HOUR = 60.0, 3600.0


def test_known_delays_give_their_medians_and_90th_percentiles(tmp_path: Path) -> None:
    result = read_event_log(known_delays(tmp_path / "log.csv"), LogColumns(stage="stage"))
    journey = result.journey
    ab, bc = journey.transitions[("a", "b")], journey.transitions[("b", "c")]
    # 1..100: the median halfway between the 50th and 51st, the 90th percentile at
    # rank 1 + 0.9 * 99 = 90.1.
    assert ab.time_median == pytest.approx(50.5 * MINUTE, rel=1e-12)
    assert ab.time_p90 == pytest.approx(90.1 * MINUTE, rel=1e-12)
    assert bc.time_median == pytest.approx(50.5 * HOUR, rel=1e-12)
    assert bc.time_p90 == pytest.approx(90.1 * HOUR, rel=1e-12)
    # Time in S1: from A to the first event in S2, i minutes + i hours; customer 0
    # never leaves S1 (an open stay) and S2 is never left: neither is counted.
    stages = {s.name: s for s in journey.stages}
    assert stages["S1"].time_median == pytest.approx(50.5 * (MINUTE + HOUR), rel=1e-12)
    assert stages["S1"].time_p90 == pytest.approx(90.1 * (MINUTE + HOUR), rel=1e-12)
    assert stages["S2"].time_median is None and stages["S2"].time_p90 is None
    assert result.times is not None and result.times.stages["S1"].count == 100
    assert result.times.transitions[("A", "B")].count == 100
    assert short_duration(ab.time_median) == "50 min" and short_duration(bc.time_median) == "2.1 d"


def test_a_stage_left_and_entered_again_adds_up_both_stays(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("customer_id,timestamp,touchpoint,stage\n"
                    "c1,2026-01-01 00:00,A,S1\nc1,2026-01-01 01:00,B,S2\n"
                    "c1,2026-01-01 03:00,A,S1\nc1,2026-01-01 03:30,B,S2\n"
                    "c1,2026-01-01 04:00,Q,\n", encoding="utf-8")
    journey = read_event_log(path, LogColumns(stage="stage")).journey
    s1 = next(s for s in journey.stages if s.name == "S1")
    assert s1.time_median == pytest.approx(1.5 * HOUR)  # 1 h and then 30 min
    s2 = next(s for s in journey.stages if s.name == "S2")
    assert s2.time_median == pytest.approx(2 * HOUR)  # the event with no stage is left out


@pytest.mark.parametrize(("seconds", "shown"), [
    (45 * MINUTE, "45 min"), (2 * HOUR, "2 h"), (2 * 86400, "2 d"), (21 * 86400, "3 wk"),
    (90 * MINUTE, "1.5 h"), (59.99 * MINUTE, "1 h"), (30, "30 s"), (None, "–"), (-1, "–"),
])
def test_durations_read_as_people_say_them(seconds: float | None, shown: str) -> None:
    assert short_duration(seconds) == shown


def timed_project() -> tuple[Project, tuple[str, str]]:
    project = sample_project()
    journey = project.journey("now")
    key = next(iter(journey.transitions))
    journey.update_transition(*key, time_median=3030.0, time_p90=5406.0)
    journey.update_stage(journey.stages[0].id, time_median=172800.0, time_p90=604800.0)
    return project, key


def test_json_writes_times_only_when_measured_and_reads_them_back() -> None:
    project, key = timed_project()
    data = json.loads(dumps_project(project))
    journey = next(j for j in data["journeys"] if j["id"] == "now")
    first, second = journey["transitions"][:2]
    assert (first["time_median"], first["time_p90"]) == (3030.0, 5406.0)
    assert "time_median" not in second and "time_median" not in journey["stages"][1]
    assert journey["stages"][0]["time_p90"] == 604800.0
    assert loads_project(dumps_project(project)) == project
    second["time_median"] = None  # null is not measured
    journey["transitions"][0]["time_median"] = 3030  # an int: the careful reader's way
    again = loads_project(json.dumps(data))
    assert again.journey("now").transitions[key].time_median == 3030.0


@pytest.mark.parametrize("element", ["transition", "stage"])
@pytest.mark.parametrize(("value", "words"), [
    (-5.0, "must be between 0 and"), ("2 d", "must be a number"), (True, "must be a number"),
])
def test_a_bad_time_is_refused_naming_the_file_element_and_field(
        element: str, value: object, words: str) -> None:
    project, _ = timed_project()
    data = json.loads(dumps_project(project))
    journey = next(j for j in data["journeys"] if j["id"] == "now")
    journey[f"{element}s"][0]["time_p90"] = value
    with pytest.raises(ProjectFileError) as refused:
        loads_project(json.dumps(data), "map.json")
    error = refused.value
    assert (error.element, error.field) == (element, "time_p90")
    assert words in error.reason and str(error).startswith("map.json: journey 'now', ")


def test_cxmap_round_trips_times_and_a_version_7_file_opens_without_them(
        tmp_path: Path) -> None:
    project, _ = timed_project()
    path = tmp_path / "map.cxmap"
    save_project(project, path)
    opened = open_project(path)
    assert opened.project == project and opened.schema_version == schema.SCHEMA_VERSION
    with memory_database(path.read_bytes()) as conn:
        with conn.begin():
            migrations.downgrade(conn, schema.REVISION_OF_VERSION[7])
        path.write_bytes(database_image(conn))
    old = open_project(path)
    assert old.schema_version == 7 and old.upgraded
    assert old.project == sample_project()


def test_a_refresh_takes_the_logs_times(tmp_path: Path) -> None:
    estimated = read_event_log(known_delays(tmp_path / "log.csv"),
                               LogColumns(stage="stage")).journey
    drawn = estimated.copy()
    for key in list(drawn.transitions):
        drawn.update_transition(*key, time_median=None, time_p90=None)
    for stage in list(drawn.stages):
        drawn.update_stage(stage.id, time_median=None, time_p90=None)
    refresh = refresh_journey(drawn, estimated)
    assert refresh.journey.transitions[("a", "b")].time_p90 == pytest.approx(90.1 * MINUTE)
    assert refresh.journey.stage("s1").time_median == pytest.approx(50.5 * 61 * MINUTE)
    lines = [change.describe() for change in refresh.changes]
    assert "A → B: median time – → 50 min" in lines and "S1: median time – → 2.1 d" in lines
    assert not refresh_journey(refresh.journey, estimated).changes


def test_a_journey_with_times_is_still_analysed_from_columns(tmp_path: Path) -> None:
    """`analyze` of a JSON file reads the quick columns (json_columns); times keep it so."""
    project, _ = timed_project()
    path = tmp_path / "map.json"
    path.write_text(dumps_project(project), encoding="utf-8")
    _, columns = read_for_analysis(path, "now")
    assert columns is not None and len(columns.sources) == len(project.journey("now").transitions)

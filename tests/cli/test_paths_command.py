"""`cx-mapper paths` and the import filters of `import-log`: the variants table, JSON,
variants kept in the written project, and bad filter input as one line, exit 2."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pytest

from cx_mapper.cli import main
from cx_mapper.domain.journey import Journey, Touchpoint
from cx_mapper.domain.project import Project
from cx_mapper.persistence.files import read_project, write_any_project
from tests.persistence.variant_logs import write_variant_log


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_paths_prints_the_variants_with_share_and_conversion(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = write_variant_log(tmp_path)
    code, out, err = run(["paths", str(log), "--goal", "Buy", "--top", "2"], capsys)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "8 customers, 4 paths; conversion: reaching Buy"
    assert lines[1].split() == ["#", "Customers", "Share", "Converts", "Path"]
    assert lines[2].split() == ["1", "4", "50.0%", "75.0%", "Search", ">", "Site"]
    assert lines[3].split() == ["2", "2", "25.0%", "50.0%", "Email"]
    assert lines[4] == "The top 2 paths are taken by 75.0% of customers."


def test_paths_json_has_every_path_in_full(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = write_variant_log(tmp_path)
    code, out, _ = run(["paths", str(log), "--json", "--where", "market=FR"], capsys)
    assert code == 0
    data = json.loads(out)
    assert (data["customers"], data["paths"], data["goals"]) == (3, 3, [])
    assert data["filters"] == "market is FR"
    assert {(tuple(v["path"]), v["customers"], v["conversion_rate"])
            for v in data["variants"]} == {(("Search", "Site"), 1, None),
                                           (("Email", "Buy"), 1, None), (("Email",), 1, None)}
    assert data["variants"][0]["ids"] == [s.lower() for s in data["variants"][0]["path"]]


def test_filters_from_the_command_line(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    log = str(write_variant_log(tmp_path))
    code, out, _ = run(["paths", log, "--json", "--from", "2026-01-02", "--to", "2026-01-04"],
                       capsys)
    assert code == 0 and json.loads(out)["customers"] == 3
    code, out, _ = run(["paths", log, "--json", "--to", "2026-01-05 00:00"], capsys)
    assert code == 0 and json.loads(out)["customers"] == 4  # d's Support at midnight too
    assert ["Search", "Site", "Buy", "Support"] in [
        v["path"] for v in json.loads(out)["variants"]]
    code, out, _ = run(["paths", log, "--json", "--goal", "Buy", "--min-path-customers", "2",
                        "--where", "market=DE", "--where", "market=FR"], capsys)
    assert code == 0
    assert [(v["path"], v["customers"]) for v in json.loads(out)["variants"]] == [
        (["Search", "Site"], 4), (["Email"], 2)]


@pytest.mark.parametrize(("options", "words"), [
    (["--where", "segment=B2B"], "paths.csv: field 'segment': there is no column 'segment' "
                                 "to filter on (columns: customer_id, timestamp, touchpoint, "
                                 "market)"),
    (["--where", "market"], "--where 'market' is not COLUMN=VALUE[,VALUE...]"),
    (["--where", "market="], "--where 'market=' gives no value for 'market'"),
    (["--from", "last week"], "--from 'last week' is not a date (2026-03-01)"),
    (["--to", "2026-02-30"], "--to '2026-02-30' is not a date"),
    (["--from", "2026-02-01", "--to", "2026-01-01"], "--from 2026-02-01 is after --to "
                                                      "2026-01-01"),
    (["--min-path-customers", "-1"], "argument --min-path-customers: must be 0 or more"),
    (["--min-path-customers", "many"], "must be a whole number"),
    (["--goal", "Purchase"], "there is no touchpoint 'Purchase' in the log for the goal"),
    (["--where", "market=US"], "no events are left after the filters (market is US)"),
])
def test_bad_filter_input_is_one_line_and_exit_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str],
        words: str) -> None:
    log = str(write_variant_log(tmp_path))
    for command in (["paths", log], ["import-log", log, "-o", str(tmp_path / "out.json")]):
        code, out, err = run([*command, *options], capsys)
        assert (code, out) == (2, "")
        assert words in err and err.count("\n") == 1 and "Traceback" not in err
        assert not (tmp_path / "out.json").exists()


def test_import_log_keeps_the_filtered_variants_with_the_new_journey(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = str(write_variant_log(tmp_path))
    out_path = tmp_path / "out.cxmap"
    code, out, err = run(["import-log", log, "-o", str(out_path), "--goal", "Buy",
                          "--min-path-customers", "2", "--top", "5"], capsys)
    assert (code, err) == (0, "")
    assert "6 customers" in out and "filtered: paths of at least 2 customers" in out
    journey = read_project(out_path).journeys[0]
    assert [(v.path, v.customers, v.conversion_rate) for v in journey.variants] == [
        (("search", "site"), 4, 0.75), (("email",), 2, 0.5)]
    assert journey.touchpoints["buy"].conversion
    assert "ad" not in journey.touchpoints


def test_import_into_a_drawn_journey_counts_its_goals_and_maps_its_ids(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = str(write_variant_log(tmp_path))
    drawn = Journey("shop", name="Shop", touchpoints={
        "web": Touchpoint("web", name="Site"), "order": Touchpoint("order", name="Buy",
                                                                   conversion=True)})
    project_path = tmp_path / "drawn.json"
    write_any_project(Project(name="Drawn", journeys=[drawn]), project_path)
    code, _, err = run(["import-log", log, "--into", str(project_path), "-o",
                        str(project_path)], capsys)
    assert (code, err) == (0, "")
    journey = read_project(project_path).journeys[0]
    # The drawn goal "Buy" counts as conversion; paths name the drawn ids.
    assert (journey.variants[0].path, journey.variants[0].customers,
            journey.variants[0].conversion_rate) == (("search", "web"), 4, 0.75)
    assert len(journey.variants) == 4


@pytest.mark.skipif(os.environ.get("CX_MAPPER_TEST_PG_URL") is None,
                    reason="no PostgreSQL server (set CX_MAPPER_TEST_PG_URL)")
def test_paths_of_a_table_of_events(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sqlalchemy import create_engine, text

    from tests.persistence.variant_logs import ROWS

    url = os.environ["CX_MAPPER_TEST_PG_URL"]
    table = f"events_{uuid.uuid4().hex[:10]}"
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE TABLE "{table}" (customer_id text, timestamp text, '
                              "touchpoint text, market text)"))
            conn.execute(text(f'INSERT INTO "{table}" VALUES (:c, :t, :p, :m)'),
                         [{"c": c, "t": t, "p": p, "m": m} for c, t, p, m in ROWS])
        code, out, err = run(["paths", url, "--table", table, "--goal", "Buy", "--json",
                              "--where", "market=DE"], capsys)
        assert (code, err) == (0, "")
        assert [(v["path"], v["customers"]) for v in json.loads(out)["variants"]][:1] == [
            (["Search", "Site"], 3)]
        code, _, err = run(["paths", url, "--table", table, "--where", "segment=x"], capsys)
        assert code == 2 and f"table {table}" in err and "'segment'" in err
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP TABLE IF EXISTS "{table}"'))
        engine.dispose()

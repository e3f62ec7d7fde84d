"""`cx-mapper import-paths` and `--into`: estimates into new projects or drawn journeys."""

from __future__ import annotations

import csv
import json
import os
import uuid
from pathlib import Path
from typing import Any

import pytest

from cx_mapper.cli import main
from cx_mapper.cli.imports import CHANGES_SHOWN
from cx_mapper.domain.journey import Journey, Stage, Touchpoint, Transition
from cx_mapper.domain.project import Project
from cx_mapper.persistence.files import read_project, write_any_project

FIXTURES = Path(__file__).parents[1] / "persistence" / "fixtures"
REFERENCE = FIXTURES / "reference-paths.csv"
PATHS_HEADER = "path;total_conversions;total_conversion_value;total_null"
PG_URL = os.environ.get("CX_MAPPER_TEST_PG_URL")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exit_:  # --help
        code = exit_.code if isinstance(exit_.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def analyze_json(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    code, out, err = run(["analyze", str(path), "--json", *extra], capsys)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


def write_paths(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([PATHS_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def write_log(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["customer_id", "timestamp", "touchpoint", "csat"])
        writer.writerows(rows)
    return path


def drawn_project() -> Project:
    """A drawn map: the reference channels with positions, notes and a drawn goal."""
    journey = Journey(id="web", name="Web journey",
                      stages=[Stage("find", "Find"), Stage("buy", "Buy")])
    for touchpoint in (
        Touchpoint("c1", "C1", stage="find", entry=1.0, satisfaction=0.4, x=0, y=0,
                   notes="banner ads"),
        Touchpoint("c2", "C2", stage="find", satisfaction=-0.1, x=0, y=120),
        Touchpoint("c3", "C3", stage="buy", x=260, y=0, notes="checkout page"),
        Touchpoint("buys", "Buys", stage="buy", conversion=True, value=90, x=260, y=120),
        Touchpoint("store", "Store visit", stage="find", x=0, y=240),
    ):
        journey.add_touchpoint(touchpoint)
    for source, target, probability in (("c1", "c2", 0.5), ("c2", "c3", 0.6),
                                        ("c3", "buys", 0.3), ("c1", "store", 0.2),
                                        ("store", "buys", 0.4)):
        journey.add_transition(Transition(source, target, probability))
    other = Journey(id="other", name="Future state")
    other.add_touchpoint(Touchpoint("c1", "C1", entry=1.0, x=20, y=20))
    return Project(name="Shop", journeys=[journey, other])


# -- new projects ---------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".cxmap", ".json"])
def test_import_paths_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 suffix: str) -> None:
    out = tmp_path / f"paths{suffix}"
    code, printed, err = run(["import-paths", str(REFERENCE), "-o", str(out)], capsys)
    assert (code, err) == (0, "")
    assert printed == (f"Wrote {out}: 3 paths, 1 conversion worth 120.00, 2 without "
                       "conversion, 3 channels, 3 transitions.\n")
    project = read_project(out)
    assert project.name == "reference-paths"
    assert [s.id for s in project.segments] == ["all"]  # as File > New gives
    journey = project.journeys[0]
    assert (journey.id, journey.name, journey.conversions) == ("paths", "Conversion paths", 1.0)
    # Laid out: no two cards share a place.
    places = [(t.x, t.y) for t in journey.touchpoints.values()]
    assert len(set(places)) == len(places) == 4

    data = analyze_json(out, capsys)
    assert data["totals"]["conversion_probability"] == pytest.approx(1 / 3)
    effects = {tid: record["removal_effect"] for tid, record in data["touchpoints"].items()}
    assert effects == pytest.approx({"c1": 0.5, "c2": 1.0, "c3": 1.0, "conversion": None})
    attributed = [r["attributed_conversions"] or 0.0 for r in data["touchpoints"].values()]
    assert sum(attributed) == pytest.approx(1.0)


def test_the_table_shows_removal_effects_and_attributed_conversions(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "paths.json"
    assert run(["import-paths", str(REFERENCE), "-o", str(out)], capsys)[0] == 0
    code, printed, _ = run(["analyze", str(out)], capsys)
    assert code == 0
    lines = printed.splitlines()
    start = lines.index("Conversion attribution (removal effect; 1 conversion shared out by it):")
    rows = [line.split() for line in lines[start + 2:start + 5]]
    assert rows == [["C2", "100.0%", "0.400"], ["C3", "100.0%", "0.400"],
                    ["C1", "50.0%", "0.200"]]
    assert lines[start + 5] == ""  # the goal itself is not listed


def test_import_paths_names_the_journey_and_skips_bad_rows(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = write_paths(tmp_path / "p.csv", ["A > B;2;20;1", "A;x;0;1"])
    out = tmp_path / "p.cxmap"
    code, printed, err = run(["import-paths", str(paths), "-o", str(out), "--name", "Q3",
                              "--skip-bad-rows"], capsys)
    assert code == 0
    assert err == "Skipped a total_conversions that is not a number of 0 or more: row 2.\n"
    assert "1 path, 2 conversions" in printed and "1 bad rows skipped" in printed
    assert read_project(out).journeys[0].name == "Q3"


def test_import_log_lays_the_new_journey_out(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    log = write_log(tmp_path / "log.csv", [
        ["a", "2026-01-01 10:00", "Ad", "4"], ["a", "2026-01-01 11:00", "Site", "5"],
        ["b", "2026-01-01 10:00", "Ad", "2"], ["b", "2026-01-02 10:00", "Shop", "3"]])
    out = tmp_path / "log.json"
    assert run(["import-log", str(log), "-o", str(out)], capsys)[0] == 0
    project = read_project(out)
    places = [(t.x, t.y) for t in project.journeys[0].touchpoints.values()]
    assert len(set(places)) == 3 and [s.id for s in project.segments] == ["all"]
    assert run(["analyze", str(out)], capsys)[0] == 0


@pytest.mark.parametrize("header", ["csat", "CSAT", "Rating", "nps score"])
def test_import_log_finds_the_satisfaction_column_by_its_name(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], header: str) -> None:
    log = tmp_path / "log.csv"
    log.write_text(f"customer_id,timestamp,touchpoint,{header}\n"
                   "a,2026-01-01 10:00,Ad,5\na,2026-01-01 11:00,Site,1\n"
                   "b,2026-01-01 10:00,Ad,5\n", encoding="utf-8")
    out = tmp_path / "log.json"
    code, printed, err = run(["import-log", str(log), "-o", str(out)], capsys)
    assert (code, err) == (0, "")
    if header == "nps score":  # no name it goes by: no satisfaction, as before
        assert "satisfaction" not in printed
        assert read_project(out).journeys[0].touchpoint("ad").satisfaction == 0.0
        return
    assert f"satisfaction from '{header}' read as CSAT 1-5" in printed
    journey = read_project(out).journeys[0]
    assert journey.touchpoint("ad").satisfaction == 1.0  # CSAT 5
    assert journey.touchpoint("site").satisfaction == -1.0  # CSAT 1


# -- refreshing a drawn journey ---------------------------------------------------------
def test_import_paths_into_a_project_keeps_the_drawing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project_file = tmp_path / "shop.cxmap"
    write_any_project(drawn_project(), project_file)
    paths = write_paths(tmp_path / "q3.csv", ["C1 > C2 > C3;1;120;0", "C1;0;0;1",
                                              "C2 > C3;0;0;1", "C1 > Email;0;0;3"])
    code, printed, err = run(["import-paths", str(paths), "--into", str(project_file),
                              "-o", str(project_file)], capsys)
    assert (code, err) == (0, "")
    # Weights 1, 1, 1 and 3: C1 starts 5 of 6 paths and is left 1 time in 5 for C2,
    # 3 for Email; the goal is drawn as "Buys", and what follows it stays as drawn.
    assert printed.splitlines() == [
        "  C1: entry 100.0% → 83.3%",
        "  C2: entry 0.0% → 16.7%",
        "  Buys: value 90.00 → 120.00",
        "  Store visit: not in the data, kept as drawn",
        "  Email: added",
        "  C1 → C2: probability 50.0% → 20.0%",
        "  C1 → Email: added, probability 60.0%",
        "  C2 → C3: probability 60.0% → 100.0%",
        "  C3 → Buys: probability 30.0% → 50.0%",
        f"Wrote {project_file}: refreshed Web journey (web) from q3.csv: 6 updated, "
        "2 added, 1 not in data. Data: 4 paths, 1 conversion worth 120.00, 5 without "
        "conversion, 4 channels, 4 transitions.",
    ]
    project = read_project(project_file)
    assert [j.id for j in project.journeys] == ["web", "other"]
    journey = project.journey("web")
    c1, c3, buys = (journey.touchpoint(t) for t in ("c1", "c3", "buys"))
    assert (c1.x, c1.y, c1.notes, c1.satisfaction, c1.stage) == (0, 0, "banner ads", 0.4, "find")
    assert (c3.x, c3.y, c3.notes) == (260, 0, "checkout page")
    assert buys.conversion and buys.value == 120.0 and journey.conversions == 1.0
    assert journey.transition("c1", "store").probability == 0.2  # not in the data: kept
    assert journey.touchpoint("email").stage is None
    assert (journey.touchpoint("email").x, journey.touchpoint("email").y) == (520.0, 0.0)
    data = analyze_json(project_file, capsys)
    assert data["journey"] == "web" and data["totals"]["conversion_probability"] > 0


def test_without_a_value_column_the_drawn_goal_value_stays(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project_file = tmp_path / "shop.json"
    write_any_project(drawn_project(), project_file)
    paths = tmp_path / "p.csv"
    paths.write_text("path,total_conversions,total_null\nC1 > C3,2,2\n", encoding="utf-8")
    out = tmp_path / "out.json"
    code, printed, _ = run(["import-paths", str(paths), "--into", str(project_file),
                            "-o", str(out)], capsys)
    assert code == 0 and "Buys: value" not in printed
    assert read_project(out).journey("web").touchpoint("buys").value == 90.0
    assert read_project(project_file).journey("web") == drawn_project().journey("web")


def test_import_log_into_a_chosen_journey_measures_only_the_given_columns(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project_file = tmp_path / "shop.json"
    write_any_project(drawn_project(), project_file)
    log = write_log(tmp_path / "log.csv", [
        ["a", "2026-01-01 10:00", "C1", "5"], ["a", "2026-01-01 11:00", "New page", "4"],
        ["b", "2026-01-01 10:00", "C1", "1"]])
    out = tmp_path / "out.json"
    code, printed, err = run(["import-log", str(log), "--satisfaction", "csat",
                              "--into", str(project_file), "--journey", "other",
                              "-o", str(out)], capsys)
    assert (code, err) == (0, "")
    assert "  New page: satisfaction" not in printed  # an added touchpoint: one line
    assert "  New page: added" in printed
    assert "refreshed Future state (other)" in printed
    project = read_project(out)
    assert project.journey("web") == drawn_project().journey("web")
    other = project.journey("other")
    assert other.touchpoint("c1").satisfaction == 0.0  # CSAT 5 and 1: neutral
    assert other.touchpoint("new-page").satisfaction == 0.5
    assert (other.touchpoint("c1").x, other.touchpoint("c1").y) == (20, 20)
    assert other.transition("c1", "new-page").probability == 0.5


def test_a_long_list_of_changes_is_cut_short(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    journey = Journey(id="big")
    for index in range(60):
        journey.add_touchpoint(Touchpoint(f"t{index}", f"Step {index}", entry=1.0))
    project_file = tmp_path / "big.json"
    write_any_project(Project(journeys=[journey]), project_file)
    code, printed, _ = run(["import-paths", str(REFERENCE), "--into", str(project_file),
                            "-o", str(tmp_path / "out.json")], capsys)
    assert code == 0
    lines = printed.splitlines()
    total = 60 + 4 + 3  # not in data, added touchpoints, added transitions
    assert len(lines) == CHANGES_SHOWN + 2
    assert lines[CHANGES_SHOWN] == f"  … and {total - CHANGES_SHOWN} more"
    assert "60 not in data" in lines[-1] and "7 added" in lines[-1]


# -- bad input: one line, exit 2, nothing written ----------------------------------------
def bad_cases(tmp_path: Path) -> dict[str, tuple[list[str], str]]:
    project_file = tmp_path / "shop.json"
    write_any_project(drawn_project(), project_file)
    empty_project = tmp_path / "empty.json"
    write_any_project(Project(journeys=[]), empty_project)
    bad_rows = write_paths(tmp_path / "bad.csv", ["A;1;0;0", "A > ;1;0;0"])
    no_column = tmp_path / "nocol.csv"
    no_column.write_text("path;conversions;total_null\nA;1;0\n", encoding="utf-8")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(PATHS_HEADER.encode() + b"\nCaf\xe9;1;0;0\n")
    log = write_log(tmp_path / "log.csv", [["a", "2026-01-01", "Ad", "4"]])
    comma_paths = tmp_path / "comma.csv"
    comma_paths.write_text("Path,Total_Conversions,Total_Null\nA,1,0\n", encoding="utf-8")
    out = str(tmp_path / "out.json")
    ref = str(REFERENCE)
    return {
        "missing file": (["import-paths", str(tmp_path / "nope.csv"), "-o", out], "nope.csv"),
        "bad rows": (["import-paths", str(bad_rows), "-o", out], "bad.csv"),
        "no column": (["import-paths", str(no_column), "-o", out], "nocol.csv"),
        "empty file": (["import-paths", str(empty), "-o", out], "empty.csv"),
        "not UTF-8": (["import-paths", str(latin), "-o", out], "latin.csv"),
        "OUT is FILE": (["import-paths", ref, "-o", ref], "reference-paths.csv"),
        "no -o": (["import-paths", ref], "-o/--output"),
        "journey without into": (["import-paths", ref, "-o", out, "--journey", "web"],
                                 "--into"),
        "missing project": (["import-paths", ref, "--into", str(tmp_path / "no.json"),
                             "-o", out], "no.json"),
        "unknown journey": (["import-paths", ref, "--into", str(project_file), "--journey",
                             "nope", "-o", out], "shop.json"),
        "no journey": (["import-paths", ref, "--into", str(empty_project), "-o", out],
                       "empty.json"),
        "log into missing project": (["import-log", str(log), "--into",
                                      str(tmp_path / "no.json"), "-o", out], "no.json"),
        "paths given as a log": (["import-log", ref, "-o", out], "import-paths"),
        "comma paths as a log": (["import-log", str(comma_paths), "-o", out], "import-paths"),
        "database without table": (["import-log", "postgresql+psycopg://u@localhost/db",
                                    "-o", out], "--table"),
        "table with a file": (["import-log", str(log), "--table", "events", "-o", out],
                              "--table"),
    }


CASES = ["missing file", "bad rows", "no column", "empty file", "not UTF-8", "OUT is FILE",
         "no -o", "journey without into", "missing project", "unknown journey", "no journey",
         "log into missing project", "paths given as a log", "comma paths as a log",
         "database without table", "table with a file"]


@pytest.mark.parametrize("case", CASES)
def test_bad_input_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         case: str) -> None:
    argv, named = bad_cases(tmp_path)[case]
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    code, printed, err = run(argv, capsys)
    assert code == 2 and printed == ""
    assert err.count("\n") == 1 and named in err and "Traceback" not in err
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # nothing written


def test_refreshing_with_the_same_data_changes_nothing(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "paths.cxmap"
    assert run(["import-paths", str(REFERENCE), "-o", str(out)], capsys)[0] == 0
    before = read_project(out)
    code, printed, err = run(["import-paths", str(REFERENCE), "--into", str(out),
                              "-o", str(out)], capsys)
    assert (code, err) == (0, "")
    assert printed.startswith(f"Wrote {out}: refreshed Conversion paths (paths) from "
                              "reference-paths.csv: no changes. Data: 3 paths")
    assert read_project(out) == before


@pytest.mark.skipif(PG_URL is None, reason="no PostgreSQL server (set CX_MAPPER_TEST_PG_URL)")
def test_into_a_team_store_project_saves_only_that_journey(
        capsys: pytest.CaptureFixture[str]) -> None:
    from cx_mapper.persistence.team_store import TeamStore

    assert PG_URL is not None
    store = TeamStore(PG_URL)
    name = f"import-{uuid.uuid4().hex[:10]}"
    store.save(drawn_project(), name)
    try:
        code, printed, err = run(["import-paths", str(REFERENCE), "--into", PG_URL,
                                  "--project", name, "-o", PG_URL], capsys)
        assert (code, err) == (0, "")
        assert "Wrote the team store: refreshed Web journey (web)" in printed
        stored = store.load(name)
        assert stored.project.journey("web").touchpoint("buys").value == 120.0
        assert stored.project.journey("web").touchpoint("c1").notes == "banner ads"
        assert stored.revisions["web"].revision == 2
        assert stored.revisions["other"].revision == 1
    finally:
        store.delete(name)


@pytest.mark.skipif(PG_URL is None, reason="no PostgreSQL server (set CX_MAPPER_TEST_PG_URL)")
def test_import_log_reads_an_events_table_in_the_database(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same journey as the file import, from a table the SQL reads in place."""
    import uuid

    from sqlalchemy import create_engine, text

    from cx_mapper.persistence.event_log import LogColumns, read_event_log

    assert PG_URL is not None
    log = write_log(tmp_path / "log.csv", [
        ["a", "2026-01-01 10:00", "Ad", "4"], ["a", "2026-01-02 10:00", "Store", "5"],
        ["b", "2026-01-01 11:00", "Ad", "2"], ["b", "2026-01-03 09:00", "Site", "3"]])
    table = f"events_{uuid.uuid4().hex[:10]}"
    engine = create_engine(PG_URL)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE TABLE "{table}" (customer_id text, '
                              "timestamp timestamp, touchpoint text, csat integer)"))
            for row in log.read_text(encoding="utf-8").splitlines()[1:]:
                customer, when, touchpoint, csat = row.split(",")
                conn.execute(text(f'INSERT INTO "{table}" VALUES (:c, :t, :p, :s)'),
                             {"c": customer, "t": when, "p": touchpoint, "s": int(csat)})
        out = tmp_path / "from-db.cxmap"
        code, printed, err = run(["import-log", PG_URL, "--table", table, "--satisfaction",
                                  "csat", "-o", str(out)], capsys)
        assert code == 0, err
        assert "4 events of 2 customers" in printed
        found = read_project(out).journeys[0]
        expected = read_event_log(log, LogColumns(satisfaction="csat")).journey
        assert {k: t.probability for k, t in found.transitions.items()} == {
            k: t.probability for k, t in expected.transitions.items()}
        assert [t.satisfaction for t in found.touchpoints.values()] == [
            t.satisfaction for t in expected.touchpoints.values()]
        # Without --satisfaction the column named csat is found, as in a file.
        guessed = tmp_path / "guessed.cxmap"
        code, printed, err = run(["import-log", PG_URL, "--table", table, "-o",
                                  str(guessed)], capsys)
        assert code == 0, err
        assert "satisfaction from 'csat'" in printed
        assert [t.satisfaction for t in read_project(guessed).journeys[0].touchpoints.values()
                ] == [t.satisfaction for t in expected.touchpoints.values()]
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP TABLE IF EXISTS "{table}"'))
        engine.dispose()


@pytest.mark.parametrize("url", ["postgresql://u:Zq7x@host:abc/db",
                                 "postgresql+nosuch://u:Zq7x@host/db",
                                 "postgresql://u:Zq@7x@host/db"])
def test_a_malformed_store_url_is_bad_input_with_the_password_hidden(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str) -> None:
    for argv in (["import-log", url, "--table", "events", "-o", str(tmp_path / "o.json")],
                 ["convert", url, str(tmp_path / "o.json")]):
        code, _, err = run(argv, capsys)
        assert code == 2 and err.count("\n") == 1, err
        assert "Zq" not in err and "7x" not in err and "internal error" not in err


def test_a_folder_or_a_pipe_as_the_log_is_bad_input(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / "o.json")
    code, _, err = run(["import-log", str(tmp_path), "-o", out], capsys)
    assert (code, err) == (2, f"cx-mapper: {tmp_path}: is a folder, not an event log\n")
    if hasattr(os, "mkfifo"):  # opened, a pipe would wait for a writer for ever
        pipe = tmp_path / "events.csv"
        os.mkfifo(pipe)
        for command in ("import-log", "import-paths"):
            code, _, err = run([command, str(pipe), "-o", out], capsys)
            assert code == 2 and "is not a regular file" in err
    assert not Path(out).exists()


def test_a_gzip_log_imports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import gzip

    data = Path(__file__).parents[2] / "projects" / "data" / "retail-events.csv"
    packed = tmp_path / "retail-events.csv.gz"
    packed.write_bytes(gzip.compress(data.read_bytes()))
    code, printed, err = run(["import-log", str(packed), "-o", str(tmp_path / "o.json"),
                              "--satisfaction", "csat"], capsys)
    assert (code, err) == (0, "")
    assert "3,634 events of 1,500 customers" in printed

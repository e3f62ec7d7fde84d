"""`cx-mapper drift`: a report, exit 0 or 3 against the threshold, 2 for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from cx_mapper.cli import main
from cx_mapper.persistence.files import read_project, write_any_project
from tests.engine.log_maker import walk, write_log
from tests.factories import sample_project

HOTEL = Path(__file__).parents[2] / "projects" / "hotel-stay.json"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    hotel = read_project(HOTEL)
    journey, segments = hotel.journeys[0], hotel.segments
    folder = tmp_path_factory.mktemp("logs")
    same = write_log(folder / "same.csv", walk(journey, 2000, 3, segments=segments))
    moved = walk(journey, 2000, 3, probabilities={("hotel_site", "book_direct"): 0.1},
                 segments=segments)
    # The log calls one touchpoint by another name: new to the map, and one gone from it.
    renamed = [(c, t, "Chats with the booking bot" if n == "Gets a member offer" else n, s)
               for c, t, n, s in moved]
    return {"same": same, "moved": write_log(folder / "moved.csv", renamed)}


def test_a_log_like_the_journey_reports_no_drift_and_exits_0(
        logs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["drift", str(HOTEL), "--log", str(logs["same"]),
                          "--threshold", "0.01"], capsys)
    assert (code, err) == (0, "")
    assert "No drift: none of" in out
    assert "Holm-corrected, alpha 0.01" in out


def test_a_moved_log_is_reported_and_exits_3_past_the_threshold(
        logs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["drift", str(HOTEL), "--log", str(logs["moved"])]
    code, out, err = run([*argv, "--threshold", "0.1"], capsys)
    assert (code, err) == (3, "")
    assert "past the 10% threshold" in out
    assert "Browses the hotel's website: next moves" in out
    assert "→ Books direct on the hotel site 30.0% →" in out
    assert "In the data, not on the map: Chats with the booking bot" in out
    assert "On the map, not in the data: Gets a member offer" in out
    # Within a wider threshold, or with none, the job passes.
    assert run([*argv, "--threshold", "5"], capsys)[0] == 0
    assert run(argv, capsys)[0] == 0
    # Another KPI: referral R moves too.
    assert run([*argv, "--threshold", "0.1", "--kpi", "referral_r"], capsys)[0] == 3


def test_json_has_the_documented_shape(logs: dict[str, Path],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["drift", str(HOTEL), "--log", str(logs["moved"]), "--json",
                        "--threshold", "0.1"], capsys)
    assert code == 3
    data = json.loads(out)
    assert set(data) == {"journey", "log", "test", "alpha", "tests", "drift", "kpi",
                         "relative_change", "threshold", "past_threshold", "kpis", "changes",
                         "new_touchpoints", "vanished_touchpoints", "note"}
    assert data["journey"] == {"id": "stay", "name": "Two-night stay"}
    assert data["test"].endswith("Holm-corrected, alpha 0.01")
    assert (data["drift"], data["kpi"], data["past_threshold"]) == (True, "value", True)
    value = data["kpis"]["value"]
    assert value["after"] < value["before"]
    assert data["relative_change"] == pytest.approx(value["relative"])
    assert data["relative_change"] < -0.1
    kinds = {(c["kind"], c["touchpoint"]) for c in data["changes"]}
    assert ("moves", "hotel_site") in kinds
    change = next(c for c in data["changes"] if c["touchpoint"] == "hotel_site")
    assert change["adjusted_p"] <= 0.01 and change["kpi_change_alone"] < 0
    assert {"label": "→ Books direct on the hotel site", "map": 0.3}.items() <= next(
        c for c in change["cells"] if c["label"].startswith("→ Books direct")).items()
    assert data["new_touchpoints"] == ["Chats with the booking bot"]
    assert data["vanished_touchpoints"] == [{"id": "member_offer",
                                             "name": "Gets a member offer"}]


def test_png_summary_is_written(logs: dict[str, Path], tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "drift.png"
    code, text, _ = run(["drift", str(HOTEL), "--log", str(logs["moved"]), "--png", str(out),
                         "--width", "1200"], capsys)
    assert code == 0 and f"Wrote {out}." in text
    image = QImage(str(out))
    assert image.width() == 1200 and image.height() > 600
    assert image.text("Title") == "City hotel stay: drift of Two-night stay"


def test_a_kpi_the_journey_has_not_is_bad_input(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "sample.json"
    write_any_project(sample_project(), project)
    journey = sample_project().journeys[0]
    log = write_log(tmp_path / "log.csv", walk(journey, 200, 1))
    code, _, err = run(["drift", str(project), "--log", str(log), "--threshold", "0.1",
                        "--kpi", "conversion_probability"], capsys)
    assert code == 2
    assert "has no conversion probability to compare (--kpi)" in err


@pytest.mark.parametrize(("extra", "expected"), [
    (["--log", "missing.csv"], "missing.csv"),
    (["--log", "LOG", "--threshold", "lots"], "--threshold: must be a relative change"),
    (["--log", "LOG", "--journey", "nope"], "there is no journey 'nope'"),
    (["--log", "LOG", "--customer", "who"], "there is no column 'who' for the customer"),
    (["--log", "LOG", "--alpha", "2"], "--alpha: must be between 0 and 1"),
    (["--log", "LOG", "--table", "events"], "--table is for a database URL"),
])
def test_bad_input_is_one_line_and_exit_2(
        extra: list[str], expected: str, logs: dict[str, Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    argv = [str(logs["same"]) if a == "LOG" else a for a in extra]
    code, out, err = run(["drift", str(HOTEL), *argv], capsys)
    assert (code, out) == (2, "")
    assert expected in err and err.count("\n") == 1 and "Traceback" not in err


def test_a_kpi_that_is_no_kpi_is_bad_input_in_one_line(
        logs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["drift", str(HOTEL), "--log", str(logs["same"]), "--kpi", "wealth"],
                         capsys)
    assert (code, out) == (2, "")
    assert err.startswith("cx-mapper drift: --kpi: 'wealth' is no KPI; choose from ")
    assert "value" in err and len(err.splitlines()) == 1

"""`cx-mapper attribution`: per-channel credit from a path file, as a table and as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cx_mapper.cli import main
from tests.engine.path_reference import HEADER, exact_markov, file_text, realistic_rows

HAND_ROWS = ["A > B > A > C;2;100;0", "B;1;30;0", "C > B;0;0;5", "A > C;3;60;0"]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exit_:  # --help
        code = exit_.code if isinstance(exit_.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(path: Path, rows: list[str], header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def as_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, err = run(argv, capsys)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


def test_json_gives_every_model_per_channel(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    data = as_json(["attribution", str(write(tmp_path / "p.csv", HAND_ROWS)), "--json"],
                   capsys)
    assert (data["order"], data["paths"], data["conversions"], data["value"]) == (1, 4, 6, 190)
    assert data["position_based_split"] == [0.4, 0.2, 0.4]
    assert list(data["channels"]) == ["A", "B", "C"]  # as they first appear
    a = data["channels"]["A"]
    assert set(a) == {"removal_effect", "markov", "first_touch", "last_touch", "linear",
                      "position_based"}
    assert a["first_touch"] == {"conversions": 5, "value": 160}
    assert a["linear"]["conversions"] == pytest.approx(2.5)
    assert data["channels"]["C"]["position_based"]["value"] == pytest.approx(70)
    markov = [c["markov"] for c in data["channels"].values()]
    assert sum(m["conversions"] for m in markov) == pytest.approx(6)
    assert sum(m["value"] for m in markov) == pytest.approx(190)


@pytest.mark.parametrize("order", [1, 2, 3])
def test_markov_value_matches_the_exact_reference(
        order: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = realistic_rows(seed=11)
    file = tmp_path / "paths.csv"
    file.write_text(file_text(rows), encoding="utf-8")
    data = as_json(["attribution", str(file), "--order", str(order), "--json"], capsys)
    exact = exact_markov(rows, order)
    assert data["order"] == order
    for channel, figures in data["channels"].items():
        assert figures["removal_effect"] == pytest.approx(
            float(exact.removal_effect[channel]), rel=1e-9)
        assert figures["markov"]["value"] == pytest.approx(float(exact.value[channel]),
                                                           rel=1e-9)


def test_the_table_lists_channels_by_removal_effect(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["attribution", str(write(tmp_path / "p.csv", HAND_ROWS))], capsys)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("4 distinct paths, 6 conversions worth 190.00, 5 without")
    assert "position-based" in out and "first touch" in out
    rows = [line.split() for line in lines if line.split()[:1] in (["A"], ["B"], ["C"])]
    assert [row[0] for row in rows] == ["C", "A", "B"]  # largest removal effect first
    a = next(row for row in rows if row[0] == "A")
    # removal effect, then Markov, first, last, linear, position-based (conversions, value)
    assert a[4:] == ["5.00", "160", "0.00", "0", "2.50", "80", "2.50", "80"]


def test_without_a_value_column_values_are_null(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    file = write(tmp_path / "p.csv", ["A > B;2;0", "B;1;3"],
                 header="path;total_conversions;total_null")
    data = as_json(["attribution", str(file), "--json"], capsys)
    assert data["value"] is None
    assert data["channels"]["A"]["last_touch"] == {"conversions": 0, "value": None}


@pytest.mark.parametrize(("argv", "expected"), [
    (["attribution", "{dir}/missing.csv"], "missing.csv"),
    (["attribution", "{bad}"], "bad.csv"),
    (["attribution", "{nocolumn}"], "total_conversions"),
    (["attribution", "{good}", "--order", "4"], "--order"),
    (["attribution"], "PATHS"),
])
def test_bad_input_is_one_line_and_exit_2(argv: list[str], expected: str, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    names = {"dir": str(tmp_path),
             "bad": str(write(tmp_path / "bad.csv", ["A > B;two;0;1", "A;1;10;0"])),
             "nocolumn": str(write(tmp_path / "nocol.csv", ["A;1"], header="path;total_null")),
             "good": str(write(tmp_path / "good.csv", HAND_ROWS))}
    code, out, err = run([arg.format(**names) for arg in argv], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and expected in err
    assert "Traceback" not in err


def test_a_bad_row_names_the_file_row_and_column(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    bad = write(tmp_path / "bad.csv", ["A > B;two;0;1", "A;1;10;0"])
    code, _, err = run(["attribution", str(bad)], capsys)
    assert code == 2
    assert "bad.csv" in err and "row 1" in err and "total_conversions" in err
    code, out, err = run(["attribution", str(bad), "--skip-bad-rows", "--json"], capsys)
    assert code == 0 and "Skipped" in err
    assert json.loads(out)["channels"]["A"]["last_touch"]["conversions"] == 1

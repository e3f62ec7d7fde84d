"""`cx-mapper export`: a PNG summary with no display, and bad input that changes nothing
(FORMAT.md, "Command line")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cx_mapper.cli import main
from cx_mapper.cli.common import DEFAULT_WIDTH
from tests.factories import RETAIL_SAMPLE, ROOT

SAMPLE = str(RETAIL_SAMPLE)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OLD = b"an earlier summary that must survive a failed export"


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG header (IHDR), without Qt."""
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(path: Path, journeys: list[dict[str, Any]]) -> str:
    path.write_text(json.dumps({"format": "cx-mapper/1", "name": "Test", "journeys": journeys}),
                    encoding="utf-8")
    return str(path)


@pytest.fixture
def old_out(tmp_path: Path) -> Path:
    out = tmp_path / "summary.png"
    out.write_bytes(OLD)
    return out


def test_export_writes_the_summary_png(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "current.png"
    code, stdout, stderr = run(["export", SAMPLE, "--png", str(out)], capsys)
    assert (code, stderr) == (0, "")
    width, height = png_size(out)
    assert width == DEFAULT_WIDTH == 2400 and height > width
    assert stdout.startswith(f"Wrote {out}: the summary of Current state (Retail omnichannel)")
    assert [p.name for p in tmp_path.iterdir()] == ["current.png"]  # no temporary left


def test_export_picks_the_journey_and_width(old_out: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = run(["export", SAMPLE, "--png", str(old_out), "--journey", "future",
                           "--width", "1000"], capsys)
    assert code == 0 and "Future state" in stdout
    assert png_size(old_out)[0] == 1000  # the old file was replaced


def test_export_needs_no_display(tmp_path: Path) -> None:
    """A real process with no DISPLAY, WAYLAND_DISPLAY or QT_QPA_PLATFORM."""
    out = tmp_path / "headless.png"
    env = {key: value for key, value in os.environ.items()
           if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run(
        [sys.executable, "-m", "cx_mapper", "export", SAMPLE, "--png", str(out),
         "--width", "1200"],
        capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert png_size(out)[0] == 1200


@pytest.mark.parametrize(("argv", "message"), [
    (["--journey", "nope"], "There is no journey 'nope'. Journeys: 'current', 'future'."),
    (["--width", "20"], "argument --width: must be between 800 and 6000 pixels, got 20"),
    (["--width", "wide"], "argument --width: must be a whole number of pixels, got 'wide'"),
])
def test_bad_arguments_exit_2_and_leave_out_alone(
        argv: list[str], message: str, old_out: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, stderr = run(["export", SAMPLE, "--png", str(old_out), *argv], capsys)
    assert (code, stdout) == (2, "")
    assert message in stderr and stderr.count("\n") == 1
    assert "Traceback" not in stderr
    assert old_out.read_bytes() == OLD


def test_a_journey_that_cannot_be_analysed_exits_2(tmp_path: Path, old_out: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """A closed loop with no exit and no discount has no answer (MODEL.md §3)."""
    project = write(tmp_path / "loop.json", [{
        "id": "loop", "discount_rate": 0.0,
        "touchpoints": [{"id": "a", "entry": 1.0}, {"id": "b"}],
        "transitions": [{"from": "a", "to": "b", "probability": 1.0},
                        {"from": "b", "to": "a", "probability": 1.0}],
    }])
    code, _, stderr = run(["export", project, "--png", str(old_out)], capsys)
    assert code == 2
    assert stderr.startswith(f"cx-mapper: {project}: ") and "loop" in stderr
    assert stderr.count("\n") == 1
    assert old_out.read_bytes() == OLD


def test_a_bad_file_exits_2_with_the_reading_error(tmp_path: Path, old_out: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "cx-mapper/1", "journeys": [', encoding="utf-8")
    missing = tmp_path / "missing.json"
    for path in (broken, missing):
        code, _, stderr = run(["export", str(path), "--png", str(old_out)], capsys)
        assert code == 2 and stderr.startswith(f"cx-mapper: {path}") and stderr.count("\n") == 1
    assert old_out.read_bytes() == OLD


def test_out_must_be_writable_and_not_the_project(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "project.json"
    project.write_bytes(Path(SAMPLE).read_bytes())
    code, _, stderr = run(["export", str(project), "--png", str(project)], capsys)
    assert code == 2 and "OUT is the project file itself" in stderr
    assert project.read_bytes() == Path(SAMPLE).read_bytes()
    nowhere = tmp_path / "no-such-folder" / "summary.png"
    code, _, stderr = run(["export", SAMPLE, "--png", str(nowhere)], capsys)
    assert code == 2 and "does not exist; nothing was written" in stderr


def test_out_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, stderr = run(["export", SAMPLE], capsys)
    assert code == 2
    assert ("say which file to write: OUT (.png, .pdf, .svg, .xlsx, .csv, .pptx or .html) "
            "or --png OUT") in stderr


def test_help_names_export(capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = run(["-h"], capsys)
    assert code == 0 and "export" in stdout
    assert "summary, workbook, tables, deck or report" in stdout

"""`cx-mapper convert` and odd files: read-only targets, links, pipes and damaged projects."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cx_mapper.cli import main
from cx_mapper.persistence.files import read_project
from tests.factories import RETAIL_SAMPLE, ROOT

SAMPLE = str(RETAIL_SAMPLE)
HOTEL = str(ROOT / "projects" / "hotel-stay.json")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """main(argv) as the shell sees it: exit code, stdout, stderr."""
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line(err: str) -> str:
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err.rstrip("\n")


@pytest.mark.parametrize("suffix", [".cxmap", ".json"])
def test_convert_refuses_a_read_only_output_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    out = tmp_path / f"out{suffix}"
    assert run(["convert", SAMPLE, str(out)], capsys)[0] == 0
    out.chmod(0o444)
    before = out.read_bytes()

    code, stdout, err = run(["convert", HOTEL, str(out)], capsys)

    assert (code, stdout) == (2, "")
    assert one_line(err) == (f"cx-mapper: {out}: is read-only; nothing was written. Save As… "
                             "another name, make it writable, or replace it anyway "
                             "(cx-mapper convert --force).")
    assert out.read_bytes() == before

    code, stdout, err = run(["convert", "--force", HOTEL, str(out)], capsys)

    assert (code, err) == (0, "")
    assert read_project(out).name == read_project(HOTEL).name
    assert stat.S_IMODE(out.stat().st_mode) == 0o444


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX links")
def test_convert_writes_through_a_link(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "target.cxmap"
    link = tmp_path / "link.cxmap"
    link.symlink_to(target)

    assert run(["convert", SAMPLE, str(link)], capsys)[0] == 0

    assert link.is_symlink() and target.is_file()
    assert read_project(target) == read_project(SAMPLE)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX links")
def test_convert_knows_a_link_to_the_input_is_the_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "retail.cxmap"
    assert run(["convert", SAMPLE, str(source)], capsys)[0] == 0
    link = tmp_path / "link.cxmap"
    link.symlink_to(source)

    code, _, err = run(["convert", str(source), str(link)], capsys)

    assert code == 2 and "IN and OUT are the same file" in one_line(err)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX named pipes")
@pytest.mark.parametrize("command", ["analyze", "convert"])
def test_a_named_pipe_is_refused_at_once(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "pipe.cxmap"
    os.mkfifo(fifo)
    argv = [str(fifo)] + ([str(tmp_path / "out.json")] if command == "convert" else [])

    done = subprocess.run([sys.executable, "-m", "cx_mapper", command, *argv],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)

    assert done.returncode == 2
    assert one_line(done.stderr).startswith(f"cx-mapper: {fifo}: is a named pipe (FIFO)")
    assert not (tmp_path / "out.json").exists()


def test_a_project_whose_rows_belong_to_no_project_is_refused_not_emptied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damaged = tmp_path / "damaged.cxmap"
    assert run(["convert", SAMPLE, str(damaged)], capsys)[0] == 0
    with sqlite3.connect(damaged) as conn:
        conn.execute("UPDATE projects SET id = 7")
    conn.close()
    out = tmp_path / "out.json"

    code, stdout, err = run(["convert", str(damaged), str(out)], capsys)

    assert (code, stdout) == (2, "")
    line = one_line(err)
    assert "is damaged" in line and "Nothing was changed" in line and str(damaged) in line
    assert not out.exists()


def test_a_segment_of_another_project_is_refused_not_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damaged = tmp_path / "damaged.cxmap"
    assert run(["convert", HOTEL, str(damaged)], capsys)[0] == 0
    with sqlite3.connect(damaged) as conn:
        conn.execute("UPDATE segments SET project_id = 2 WHERE rowid = "
                     "(SELECT min(rowid) FROM segments)")
    conn.close()

    code, _, err = run(["analyze", str(damaged)], capsys)

    assert code == 2
    assert "the segments table belongs to a project that is not in the file" in one_line(err)


def test_a_value_of_the_wrong_type_is_named_by_table_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damaged = tmp_path / "damaged.cxmap"
    assert run(["convert", SAMPLE, str(damaged)], capsys)[0] == 0
    with sqlite3.connect(damaged) as conn:
        rowid, journey, touchpoint = conn.execute(
            "SELECT rowid, journey_id, id FROM touchpoints ORDER BY rowid DESC").fetchone()
        conn.execute(f"UPDATE touchpoints SET x = 9e999 WHERE rowid = {rowid}")
    conn.close()

    code, _, err = run(["analyze", str(damaged)], capsys)

    assert code == 2
    line = one_line(err)
    assert (f"{damaged}: journey '{journey}', touchpoint '{touchpoint}', field 'x': "
            f"is damaged: row {rowid} of the touchpoints table") in line
    assert "holds inf in column 'x'; it must be a number (finite)" in line

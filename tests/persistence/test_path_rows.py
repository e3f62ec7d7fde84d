"""Path files read row by row for attribution: the paths, added up, channels numbered."""

from __future__ import annotations

from pathlib import Path

import pytest

from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.path_rows import read_path_rows

HEADER = "path;total_conversions;total_conversion_value;total_null"


def write(path: Path, rows: list[str], header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_rows_of_one_path_are_added_up_and_channels_trimmed(tmp_path: Path) -> None:
    file = write(tmp_path / "p.csv", ["Search >Email;2;40,5;1", "B;0;0;0", " Email > B ;1;10;3",
                                      "Search > Email;1;9.5;0"])
    rows = read_path_rows(file)
    assert rows.channels == ("Search", "Email", "B")  # as they first appear
    assert rows.paths == ((0, 1), (1, 2))  # B alone: no one took it
    assert rows.conversions == (3.0, 1.0)
    assert rows.values == (50.0, 10.0)  # a decimal comma in a semicolon file
    assert rows.nulls == (1.0, 3.0)
    assert rows.rows == 3 and rows.has_value_column


def test_a_repeated_channel_stays_in_the_path(tmp_path: Path) -> None:
    rows = read_path_rows(write(tmp_path / "p.csv", ["A > A > B > A;1;5;0"]))
    assert rows.paths == ((0, 0, 1, 0),)


def test_bad_rows_stop_the_read_or_are_skipped(tmp_path: Path) -> None:
    file = write(tmp_path / "bad.csv", ["A > > B;1;5;0", "A;-1;0;0", "B;1;2;0"])
    with pytest.raises(ProjectFileError) as error:
        read_path_rows(file)
    assert "bad.csv" in str(error.value) and "rows" in str(error.value).lower()
    rows = read_path_rows(file, skip_bad_rows=True)
    assert rows.channels == ("B",) and len(rows.skipped) == 2

"""Path-data import: the Markov reference, weights, loops, separators and bad files."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.project import Project
from cx_mapper.domain.validation import has_errors, validate_project
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.results import Analysis
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.files import read_project, write_any_project
from cx_mapper.persistence.path_data import (
    describe,
    looks_like_path_data,
    read_path_data,
)

FIXTURES = Path(__file__).parent / "fixtures"
HEADER = "path;total_conversions;total_conversion_value;total_null"


def write_paths(path: Path, rows: list[str], header: str = HEADER,
                encoding: str = "utf-8") -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding=encoding)
    return path


def analysed(journey: Journey) -> Analysis:
    return analyze(Project(journeys=[journey]), journey.id)


def removal_effects(result: Analysis) -> dict[str, float | None]:
    return {tid: result.touchpoint(tid).removal_effect for tid in result.ids}


def attributed(result: Analysis) -> dict[str, float]:
    return {tid: result.touchpoint(tid).attributed_conversions or 0.0 for tid in result.ids}


def test_the_model_reference_paths() -> None:
    # MODEL.md, "Reference results": C1>C2>C3 converts, C1 and C2>C3 do not.
    result = read_path_data(FIXTURES / "reference-paths.csv")
    journey = result.journey
    assert (result.paths, result.conversions, result.nulls) == (3, 1.0, 2.0)
    assert result.has_value_column
    assert [t.name for t in journey.touchpoints.values()] == ["C1", "C2", "C3", "Conversion"]
    goal = journey.touchpoint("conversion")
    assert goal.conversion and goal.value == 120.0 and not journey.outgoing("conversion")
    assert journey.conversions == 1.0
    assert not has_errors(validate_project(Project(journeys=[journey])))

    analysis = analysed(journey)
    assert analysis.totals.conversion_probability == pytest.approx(1 / 3)
    effects = removal_effects(analysis)
    assert effects["c1"] == pytest.approx(0.5)
    assert effects["c2"] == pytest.approx(1.0)
    assert effects["c3"] == pytest.approx(1.0)
    assert effects["conversion"] is None  # a goal has no removal effect
    assert sum(attributed(analysis).values()) == pytest.approx(1.0)


def test_satisfaction_zero_means_no_abandonment_even_for_impatient_segments() -> None:
    # MODEL.md §1: q_j = a * max(-sigma_j, 0), so path data (sigma = 0) is never thinned.
    journey = read_path_data(FIXTURES / "reference-paths.csv").journey
    project = Project(journeys=[journey])
    project.update_segment("all", abandon_on_poor=1.0)
    assert analyze(project).totals.conversion_probability == pytest.approx(1 / 3)


def test_a_hand_worked_file_with_weights_and_a_repeat(tmp_path: Path) -> None:
    rows = ["A > B;3;30;1", "A;0;0;2", "B > B > A;1;12;1", "C > A;0;0;0"]
    result = read_path_data(write_paths(tmp_path / "paths.csv", rows))
    journey = result.journey
    # The all-zero row is ignored, so C is no channel.
    assert list(journey.touchpoints) == ["a", "b", "conversion"]
    assert (result.paths, result.conversions, result.nulls, result.value) == (3, 4, 4, 42)
    # Weights 4, 2 and 2 of 8: A starts 6, B 2. A is visited 4 + 2 + 2 = 8 times, B 4 + 4.
    assert journey.touchpoint("a").entry == pytest.approx(0.75)
    assert journey.touchpoint("b").entry == pytest.approx(0.25)
    assert {key: t.probability for key, t in journey.transitions.items()} == pytest.approx({
        ("a", "b"): 4 / 8, ("b", "b"): 2 / 8, ("b", "a"): 2 / 8,
        ("a", "conversion"): 1 / 8, ("b", "conversion"): 3 / 8})
    assert journey.touchpoint("conversion").value == pytest.approx(42 / 4)

    analysis = analysed(journey)
    # h_A = 1/8 + h_B / 2, h_B = 3/8 + (h_A + h_B) / 4: h_A = 0.45, h_B = 0.65.
    assert analysis.totals.conversion_probability == pytest.approx(0.5)
    # Without A: h_B = 1/2, P = 1/8. Without B: h_A = 1/8, P = 3/32.
    effects = removal_effects(analysis)
    assert effects["a"] == pytest.approx(0.75)
    assert effects["b"] == pytest.approx(0.8125)
    shares = attributed(analysis)
    assert shares["a"] == pytest.approx(4 * 0.75 / 1.5625)
    assert shares["b"] == pytest.approx(4 * 0.8125 / 1.5625)


def test_comma_files_with_any_case_spaces_a_bom_and_no_value_column(tmp_path: Path) -> None:
    path = tmp_path / "paths.csv"
    path.write_text('\ufeff"Path", Total_Conversions ,total_null\n'
                    '" Search >Email  > Search ",2,1\nEmail,0,3\n', encoding="utf-8")
    result = read_path_data(path, journey_id="web", journey_name="Web paths")
    journey = result.journey
    assert (journey.id, journey.name) == ("web", "Web paths")
    assert [t.name for t in journey.touchpoints.values()] == ["Search", "Email", "Conversion"]
    assert journey.touchpoint("conversion").value == 0.0 and not result.has_value_column
    assert journey.transition("search", "email").probability == pytest.approx(3 / 6)
    assert journey.transition("email", "search").probability == pytest.approx(3 / 6)
    assert journey.transition("search", "conversion").probability == pytest.approx(2 / 6)


def test_an_empty_value_cell_counts_the_path_with_no_value(tmp_path: Path) -> None:
    # The value is optional per row too: the path's conversions and nulls still count.
    result = read_path_data(write_paths(tmp_path / "paths.csv", ["A > B;3;;1", "A;1;10;2"]))
    assert (result.paths, result.conversions, result.nulls, result.value) == (2, 4, 3, 10)
    assert list(result.journey.touchpoints) == ["a", "b", "conversion"]
    assert result.journey.touchpoint("conversion").value == pytest.approx(10 / 4)
    assert not result.skipped


def test_decimal_commas_in_a_semicolon_file(tmp_path: Path) -> None:
    result = read_path_data(write_paths(tmp_path / "p.csv", ["A;1,5;30,75;0,5"]))
    assert (result.conversions, result.nulls, result.value) == (1.5, 0.5, 30.75)
    assert result.journey.touchpoint("conversion").value == pytest.approx(20.5)


def test_channel_names_that_make_the_same_id_stay_apart(tmp_path: Path) -> None:
    rows = ["Paid search > paid-search;1;0;0", "Conversion;1;0;0"]
    journey = read_path_data(write_paths(tmp_path / "p.csv", rows)).journey
    assert {t.id: t.name for t in journey.touchpoints.values()} == {
        "paid-search": "Paid search", "paid-search-2": "paid-search",
        "conversion": "Conversion", "conversion-2": "Conversion"}
    assert journey.touchpoint("conversion-2").conversion
    assert not journey.touchpoint("conversion").conversion


@pytest.mark.parametrize(("row", "column", "reason"), [
    ("   ;1;0;0", "path", "an empty path"),
    ("A > ;1;0;0", "path", "empty channel"),
    ("> A;1;0;0", "path", "empty channel"),
    ("A >  > B;1;0;0", "path", "empty channel"),
    ("A;x;0;0", "total_conversions", "not a number of 0 or more"),
    ("A;-1;0;0", "total_conversions", "not a number of 0 or more"),
    ("A;;0;0", "total_conversions", "not a number of 0 or more"),
    ("A;1;0;nan", "total_null", "not a number of 0 or more"),
    ("A;1;0;inf", "total_null", "not a number of 0 or more"),
    ("A;1;lots;0", "total_conversion_value", "not a number"),
    ("A;1;0;0;9", None, "more fields than the header"),
])
def test_a_bad_row_is_named_with_its_column(tmp_path: Path, row: str, column: str | None,
                                            reason: str) -> None:
    path = write_paths(tmp_path / "bad.csv", ["B;1;0;0", row])
    with pytest.raises(ProjectFileError) as caught:
        read_path_data(path)
    error = caught.value
    assert error.path == str(path) and error.field == column
    assert reason in error.reason and "row 2" in error.reason
    assert "--skip-bad-rows" in error.reason
    skipped = read_path_data(path, skip_bad_rows=True)
    assert skipped.paths == 1 and [b.rows for b in skipped.skipped] == [(2,)]
    assert "1 bad rows skipped" in describe(skipped)


def test_many_bad_rows_show_the_first_ten_and_a_count(tmp_path: Path) -> None:
    rows = ["A;1;0;0"] + [f"A;{-n};0;0" for n in range(1, 26)] + ["A;1;0;-1"]
    with pytest.raises(ProjectFileError) as caught:
        read_path_data(write_paths(tmp_path / "bad.csv", rows))
    reason = caught.value.reason
    assert "rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 15 more" in reason
    assert "total_null that is not a number of 0 or more: row 27" in reason
    assert caught.value.field == "total_conversions"  # the first problem's column


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    path = write_paths(tmp_path / "p.csv", ["A;1;0"], header="path;total_conversions;value")
    with pytest.raises(ProjectFileError) as caught:
        read_path_data(path)
    assert caught.value.field == "total_null"
    assert "no column 'total_null'" in str(caught.value)
    assert "path, total_conversions, value" in str(caught.value)


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the file is empty"),
    (b"\n  \n", "the file is empty"),
    (HEADER.encode() + b"\n", "no path with conversions or nulls"),
    (HEADER.encode() + b"\nA;0;0;0\n", "no path with conversions or nulls"),
    (HEADER.encode() + b"\nCaf\xe9;1;0;0\n", "not UTF-8"),
])
def test_files_that_cannot_be_used(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(content)
    with pytest.raises(ProjectFileError) as caught:
        read_path_data(path)
    assert message in str(caught.value) and str(path) in str(caught.value)


def test_a_missing_file_and_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ProjectFileError, match="file not found"):
        read_path_data(tmp_path / "nowhere.csv")
    with pytest.raises(ProjectFileError, match="folder"):
        read_path_data(tmp_path)


def test_looks_like_path_data() -> None:
    assert looks_like_path_data(["path", "total_conversions", "total_conversion_value",
                                 "total_null"])
    assert looks_like_path_data([" Path ", "TOTAL_CONVERSIONS", "total_null"])
    assert looks_like_path_data([HEADER])  # a header read with the wrong separator
    assert not looks_like_path_data(["customer_id", "timestamp", "touchpoint"])
    assert not looks_like_path_data(["path", "total_conversions"])


def test_describe_in_one_line() -> None:
    text = describe(read_path_data(FIXTURES / "reference-paths.csv"))
    assert text == ("3 paths, 1 conversion worth 120.00, 2 without conversion, 3 channels, "
                    "3 transitions")


def test_a_large_file_reads(tmp_path: Path) -> None:
    channels = ["Search", "Email", "Social", "Display", "Direct"]
    rows = [" > ".join(channels[(i + k) % 5] for k in range(1 + i % 6)) + f";{i % 3};"
            f"{(i % 3) * 10};{i % 4}" for i in range(60_000)]
    result = read_path_data(write_paths(tmp_path / "big.csv", rows))
    assert result.paths == sum(1 for i in range(60_000) if i % 3 + i % 4 > 0)
    assert len(result.journey.touchpoints) == 6
    analysis = analysed(result.journey)
    expected = result.conversions / (result.conversions + result.nulls)
    assert analysis.totals.conversion_probability == pytest.approx(expected)


_PATHS = st.lists(
    st.tuples(st.lists(st.sampled_from("ABCD"), min_size=1, max_size=5),
              st.integers(0, 5), st.integers(0, 5)),
    min_size=1, max_size=12,
).filter(lambda rows: any(c + n > 0 for _, c, n in rows))


@settings(max_examples=25, deadline=None)
@given(_PATHS)
def test_round_trip_attributes_every_conversion(rows: list[tuple[list[str], int, int]]) -> None:
    """Flow is conserved: the fitted chain converts as often as the data did, and the
    attributed conversions add up to the file's conversions, also after a save."""
    lines = [f"{' > '.join(path)};{c};{c * 2.5};{n}" for path, c, n in rows]
    conversions = sum(c for _, c, _ in rows)
    nulls = sum(n for _, _, n in rows)
    with tempfile.TemporaryDirectory() as folder:
        result = read_path_data(write_paths(Path(folder) / "p.csv", lines))
        saved = Path(folder) / "p.json"
        write_any_project(Project(journeys=[result.journey]), saved)
        analysis = analyze(read_project(saved))
    assert (result.conversions, result.nulls) == (conversions, nulls)
    assert analysis.totals.conversion_probability == pytest.approx(
        conversions / (conversions + nulls))
    assert sum(attributed(analysis).values()) == pytest.approx(conversions, abs=1e-9)


def test_paths_are_read_within_the_memory_limit_and_spill_where_they_are_cleaned_up(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """DuckDB gets the limit (a limit too small for any work is one clear line) and a
    spill folder of its own, removed afterwards."""
    data = write_paths(tmp_path / "paths.csv", ["A > B;3;30;5", "B;1;10;2"])
    spills = tmp_path / "spills"
    spills.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spills))
    with pytest.raises(ProjectFileError) as refused:
        read_path_data(data, memory_limit="1KB")
    assert "Out of Memory" in str(refused.value) and str(data) in str(refused.value)
    assert "\n" not in str(refused.value)
    assert read_path_data(data).paths == 2
    assert list(spills.iterdir()) == [], "the spill folders are gone"

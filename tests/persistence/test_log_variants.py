"""Path variants and import filters on a hand-written log: exact counts, shares and
conversion rates, each filter's edges, and the same figures from a PostgreSQL table."""

from __future__ import annotations

import os
import uuid
from datetime import date, datetime
from pathlib import Path

import pytest

from cx_mapper.domain.variants import PathVariant, shown_path
from cx_mapper.persistence import log_variants
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.event_log import ImportedLog, describe, read_event_log
from cx_mapper.persistence.log_filters import LogFilters
from cx_mapper.persistence.log_variants import Goals
from tests.persistence.variant_logs import HEADER, write_variant_log

PG_URL = os.environ.get("CX_MAPPER_TEST_PG_URL")


def paths(log: ImportedLog) -> list[tuple[str, int, float, float | None]]:
    """Each variant as (path by name, customers, share, conversion rate)."""
    assert log.variants is not None
    names = {tid: t.name for tid, t in log.journey.touchpoints.items()}
    return [(" > ".join(names[s] for s in v.path), v.customers, v.share, v.conversion_rate)
            for v in log.variants.variants]


def test_without_a_goal_a_path_is_every_touchpoint_and_has_no_conversion_rate(
        tmp_path: Path) -> None:
    log = read_event_log(write_variant_log(tmp_path))
    found = paths(log)
    assert found[0] == ("Search > Site > Buy", 2, 0.25, None)
    assert sorted(found[1:]) == sorted([
        ("Search > Site", 1, 0.125, None), ("Search > Site > Buy > Support", 1, 0.125, None),
        ("Email > Buy", 1, 0.125, None), ("Email", 1, 0.125, None),
        ("Ad > Site", 1, 0.125, None), ("Buy", 1, 0.125, None)])
    assert log.variants is not None
    assert (log.variants.customers, log.variants.total_variants) == (8, 7)
    assert log.journey.variants == log.variants.variants  # kept with the journey
    assert "7 paths, the top 7 taken by 100% of customers" in describe(log)


def test_with_a_goal_paths_stop_before_it_and_convert_when_they_reach_it(
        tmp_path: Path) -> None:
    log = read_event_log(write_variant_log(tmp_path), goals=Goals((" buy ",)))
    assert paths(log) == [("Search > Site", 4, 0.5, 0.75), ("Email", 2, 0.25, 0.5),
                          ("", 1, 0.125, 1.0), ("Ad > Site", 1, 0.125, 0.0)]
    assert log.journey.touchpoints["buy"].conversion  # the goal is the journey's goal
    assert not log.journey.touchpoints["site"].conversion


@pytest.mark.parametrize("goals", [Goals(), Goals((" buy ",))])
def test_paths_are_the_same_whether_the_steps_are_listed_or_counted_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, goals: Goals) -> None:
    """Up to LISTED_STEPS touchpoints the import lists their order for the paths query;
    beyond, the query works it out from the events: the same paths either way."""
    listed = read_event_log(write_variant_log(tmp_path), goals=goals)
    monkeypatch.setattr(log_variants, "LISTED_STEPS", 0)
    counted = read_event_log(write_variant_log(tmp_path), goals=goals)
    assert listed.variants == counted.variants
    assert len(paths(listed)) > 2


def test_top_keeps_the_most_common_paths_and_says_what_they_cover(tmp_path: Path) -> None:
    log = read_event_log(write_variant_log(tmp_path), goals=Goals(("Buy",)), top_variants=2)
    assert log.variants is not None
    assert [v.customers for v in log.variants.variants] == [4, 2]
    assert log.variants.total_variants == 4 and log.variants.covered == 0.75


def test_a_goal_the_log_does_not_have_is_named(tmp_path: Path) -> None:
    with pytest.raises(ProjectFileError) as caught:
        read_event_log(write_variant_log(tmp_path), goals=Goals(("Purchase",)))
    assert "there is no touchpoint 'Purchase' in the log for the goal" in str(caught.value)
    assert "paths.csv" in str(caught.value)
    # A drawn journey's goal the data does not reach is no error: no conversions then.
    log = read_event_log(tmp_path / "paths.csv", goals=Goals(("Purchase",), required=False))
    assert all(rate is None for *_, rate in paths(log))


def test_a_columns_values_keep_only_their_rows(tmp_path: Path) -> None:
    log = read_event_log(write_variant_log(tmp_path),
                         filters=LogFilters(values=(("market", ("FR",)),)))
    assert (log.events, log.customers) == (5, 3)  # c, e and f (" FR " trimmed)
    assert sorted(p for p, *_ in paths(log)) == ["Email", "Email > Buy", "Search > Site"]
    both = read_event_log(tmp_path / "paths.csv",
                          filters=LogFilters(values=(("market", ("FR", "DE")),)))
    assert both.customers == 8
    none = LogFilters(values=(("market", ("US",)),))
    with pytest.raises(ProjectFileError, match="no events are left after the filters "
                                               r"\(market is US\)"):
        read_event_log(tmp_path / "paths.csv", filters=none)


def test_a_filter_on_a_column_the_log_does_not_have_names_file_and_column(
        tmp_path: Path) -> None:
    with pytest.raises(ProjectFileError) as caught:
        read_event_log(write_variant_log(tmp_path),
                       filters=LogFilters(values=(("segment", ("B2B",)),)))
    assert caught.value.field == "segment"
    assert "paths.csv" in str(caught.value)
    assert "there is no column 'segment' to filter on" in str(caught.value)


def test_the_date_range_takes_both_ends_whole(tmp_path: Path) -> None:
    path = write_variant_log(tmp_path)
    log = read_event_log(path, filters=LogFilters(since=date(2026, 1, 2),
                                                  until=date(2026, 1, 4)))
    # b from its 00:00:00 event, c, d up to 23:59:59 but not its Support at midnight.
    assert (log.events, log.customers) == (8, 3)
    assert "support" not in log.journey.touchpoints and "email" not in log.journey.touchpoints
    exact = read_event_log(path, filters=LogFilters(until=datetime(2026, 1, 5, 0, 0)))
    assert "support" in exact.journey.touchpoints  # a date and time: that moment, inclusive
    assert "email" not in exact.journey.touchpoints
    later = read_event_log(path, filters=LogFilters(since=datetime(2026, 1, 7, 9, 1)))
    assert sorted(paths(later)) == [("Buy", 1, 0.5, None), ("Site", 1, 0.5, None)]


def test_min_path_customers_drops_customers_on_rare_paths(tmp_path: Path) -> None:
    path = write_variant_log(tmp_path)
    log = read_event_log(path, goals=Goals(("Buy",)),
                         filters=LogFilters(min_path_customers=2))
    # The variant counts with the goal: Search > Site (4) and Email (2) stay.
    assert paths(log) == [("Search > Site", 4, 4 / 6, 0.75), ("Email", 2, 2 / 6, 0.5)]
    assert (log.events, log.customers) == (15, 6)
    assert "ad" not in log.journey.touchpoints
    whole = read_event_log(path, filters=LogFilters(min_path_customers=2))
    assert paths(whole) == [("Search > Site > Buy", 2, 1.0, None)]


def test_filters_apply_in_order_values_dates_then_frequency(tmp_path: Path) -> None:
    filters = LogFilters(since=date(2026, 1, 2), values=(("market", ("DE",)),),
                         min_path_customers=2)
    log = read_event_log(write_variant_log(tmp_path), goals=Goals(("Buy",)),
                         filters=filters)
    # DE from Jan 2: b, d (Search > Site, converted), g (Ad > Site), h (empty): 2 kept.
    assert paths(log) == [("Search > Site", 2, 1.0, 1.0)]
    assert "filtered: market is DE, from 2026-01-02, paths of at least 2 customers" in \
        describe(log)


def test_a_long_path_is_shown_short_and_kept_whole(tmp_path: Path) -> None:
    rows = [["z", f"2026-01-01 10:{minute:02d}", f"Step {minute}", "DE"]
            for minute in range(30)]
    from tests.persistence.event_logs import write_log

    log = read_event_log(write_log(tmp_path / "long.csv", rows, HEADER))
    assert log.variants is not None
    variant = log.variants.variants[0]
    assert len(variant.path) == 30
    names = [log.journey.touchpoints[s].name for s in variant.path]
    assert shown_path(names) == ("Step 0 > Step 1 > Step 2 > Step 3 > … 22 more … > "
                                 "Step 26 > Step 27 > Step 28 > Step 29")
    assert shown_path(names[:8]) == " > ".join(names[:8])


def test_renaming_a_touchpoint_renames_it_in_the_variants() -> None:
    from cx_mapper.domain.journey import Journey, Touchpoint

    journey = Journey("j", touchpoints={"a": Touchpoint("a"), "b": Touchpoint("b")},
                      variants=(PathVariant(("a", "b", "a"), 3, 1.0, None),))
    journey.rename_touchpoint("a", "first")
    assert journey.variants[0].path == ("first", "b", "first")


@pytest.mark.skipif(PG_URL is None, reason="no PostgreSQL server (set CX_MAPPER_TEST_PG_URL)")
def test_a_table_gives_the_same_variants_and_filters_as_the_file(tmp_path: Path) -> None:
    from sqlalchemy import create_engine, text

    from cx_mapper.persistence.event_store import read_event_table

    assert PG_URL is not None
    path = write_variant_log(tmp_path)
    table = f"events_{uuid.uuid4().hex[:10]}"
    engine = create_engine(PG_URL)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE TABLE "{table}" (customer_id text, timestamp timestamp, '
                              "touchpoint text, market text, n serial)"))
            from tests.persistence.variant_logs import ROWS

            for row in ROWS:
                conn.execute(text(f'INSERT INTO "{table}" (customer_id, timestamp, touchpoint, '
                                  "market) VALUES (:c, :t, :p, :m)"),
                             {"c": row[0], "t": row[1], "p": row[2], "m": row[3]})
        for filters in (None, LogFilters(values=(("market", ("FR",)),)),
                        LogFilters(since=date(2026, 1, 2), until=date(2026, 1, 4)),
                        LogFilters(min_path_customers=2)):
            found = read_event_table(PG_URL, table, goals=Goals(("Buy",)), filters=filters,
                                     row_order="n")
            expected = read_event_log(path, goals=Goals(("Buy",)), filters=filters)
            assert paths(found) == paths(expected), filters
            assert (found.events, found.customers) == (expected.events, expected.customers)
        with pytest.raises(ProjectFileError) as caught:
            read_event_table(PG_URL, table, filters=LogFilters(values=(("segment", ("x",)),)))
        assert caught.value.field == "segment" and table in str(caught.value)
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP TABLE IF EXISTS "{table}"'))
        engine.dispose()


def test_top_0_keeps_no_paths_but_still_marks_and_checks_the_goal(tmp_path: Path) -> None:
    path = write_variant_log(tmp_path)
    log = read_event_log(path, goals=Goals(("Buy",)), top_variants=0)
    assert log.variants is None and log.journey.variants == ()
    assert log.journey.touchpoints["buy"].conversion
    with pytest.raises(ProjectFileError, match="no touchpoint 'Nope'"):
        read_event_log(path, goals=Goals(("Nope",)), top_variants=0)


def test_a_parquet_log_gives_the_same_paths_and_filters_as_its_csv(tmp_path: Path) -> None:
    import duckdb

    from tests.persistence.variant_logs import ROWS

    csv_path = write_variant_log(tmp_path)
    parquet = tmp_path / "paths.parquet"
    conn = duckdb.connect()  # typed: a real timestamp column, the market as text
    conn.execute("CREATE TABLE log (customer_id VARCHAR, timestamp TIMESTAMP, "
                 "touchpoint VARCHAR, market VARCHAR)")
    conn.executemany("INSERT INTO log VALUES (?, ?, ?, ?)", ROWS)
    conn.execute(f"COPY log TO '{parquet}' (FORMAT parquet)")
    conn.close()
    for filters in (None, LogFilters(values=(("market", ("FR",)),)),
                    LogFilters(since=date(2026, 1, 2), until=date(2026, 1, 4)),
                    LogFilters(min_path_customers=2)):
        found = read_event_log(parquet, goals=Goals(("Buy",)), filters=filters)
        expected = read_event_log(csv_path, goals=Goals(("Buy",)), filters=filters)
        assert paths(found) == paths(expected), filters
        assert (found.events, found.customers) == (expected.events, expected.customers)

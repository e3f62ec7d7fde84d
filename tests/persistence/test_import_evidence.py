"""Imports record how their figures are known: an event log's and path data's counts
become each touchpoint's and transition's evidence, and a refresh takes the new counts."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from cx_mapper.domain.evidence import Evidence
from cx_mapper.domain.refresh import refresh_journey
from cx_mapper.persistence.event_log import LogColumns, read_event_log
from cx_mapper.persistence.path_data import read_path_data
from tests.persistence.event_logs import FULL, SMALL, synthetic_log, write_log

PATHS_HEADER = "path;total_conversions;total_conversion_value;total_null"


def test_a_hand_worked_log_gives_its_counts_and_the_spread_of_its_scores(
        tmp_path: Path) -> None:
    journey = read_event_log(write_log(tmp_path / "log.csv", SMALL), FULL).journey
    ad, site, buy = (journey.touchpoint(t) for t in ("ad", "site", "buy"))
    # Two events each, every one a move out (Buy's two are exits).
    assert [t.evidence["departures"] for t in (ad, site, buy)] == [Evidence("data", n=2)] * 3
    # Ad: CSAT 4 and 2 are +0.5 and -0.5 on -1..1, a sample variance of 0.5.
    assert ad.evidence["satisfaction"] == Evidence("data", n=2, sd=math.sqrt(0.5))
    assert buy.evidence["satisfaction"].sd == pytest.approx(math.sqrt(0.125))
    assert site.evidence["satisfaction"] == Evidence("data", n=2, sd=0.0)
    assert {k: t.evidence for k, t in journey.transitions.items()} == {
        ("ad", "site"): Evidence("data", n=1), ("ad", "buy"): Evidence("data", n=1),
        ("site", "buy"): Evidence("data", n=1)}


def test_one_score_gives_no_spread_and_a_log_without_scores_only_counts(
        tmp_path: Path) -> None:
    rows = [row[:3] + ([row[3]] if row[0] == "c3" else [""]) for row in SMALL]
    header = ["customer_id", "timestamp", "touchpoint", "csat"]
    journey = read_event_log(write_log(tmp_path / "one.csv", rows, header),
                             LogColumns(satisfaction="csat")).journey
    assert list(journey.touchpoint("site").evidence) == ["departures"]
    plain = read_event_log(write_log(tmp_path / "plain.csv", [r[:3] for r in SMALL],
                                     header[:3])).journey
    assert all(list(t.evidence) == ["departures"] for t in plain.touchpoints.values())


def test_a_generated_logs_evidence_is_its_directly_follows_counts(tmp_path: Path) -> None:
    synthetic_log(tmp_path, 5_000, touchpoints=8)
    result = read_event_log(tmp_path / "log.csv",
                            LogColumns(satisfaction="csat", public="public", revenue="revenue"))
    counts, journey = result.counts, result.journey
    assert counts is not None
    ids = {t.name: t.id for t in journey.touchpoints.values()}
    assert {(ids[a], ids[b]): Evidence("data", n=n) for (a, b), n in counts.pairs.items()} == \
        {key: t.evidence for key, t in journey.transitions.items()}
    for name, touchpoint_id in ids.items():
        moved = sum(n for (a, _), n in counts.pairs.items() if a == name)
        departures = journey.touchpoint(touchpoint_id).evidence["departures"]
        assert departures == Evidence("data", n=moved + counts.ends.get(name, 0))
        # Exits are departures minus the moves on: the row's Dirichlet counts.
        assert departures.n is not None and departures.n >= moved
        assert journey.touchpoint(touchpoint_id).evidence["satisfaction"].n > 1


def write_paths(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([PATHS_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_path_data_gives_its_weighted_counts(tmp_path: Path) -> None:
    rows = ["A > B;3;30;1", "A;0;0;2", "B > B > A;1;12;1", "C > A;0;0;0"]
    journey = read_path_data(write_paths(tmp_path / "paths.csv", rows)).journey
    # A is visited 4 + 2 + 2 = 8 times, B 4 + 2 + 2 = 8; path data stops at the goal.
    assert journey.touchpoint("a").evidence["departures"] == Evidence("data", n=8)
    assert journey.touchpoint("b").evidence["departures"] == Evidence("data", n=8)
    assert not journey.touchpoint("conversion").evidence
    assert {k: t.evidence.n for k, t in journey.transitions.items() if t.evidence} == {
        ("a", "b"): 4, ("b", "b"): 2, ("b", "a"): 2, ("a", "conversion"): 1,
        ("b", "conversion"): 3}


def test_fractional_path_counts_are_no_observations(tmp_path: Path) -> None:
    journey = read_path_data(write_paths(tmp_path / "paths.csv",
                                         ["A > B;1.5;30;1", "C;1;0;1"])).journey
    assert not journey.touchpoint("a").evidence and not journey.touchpoint("b").evidence
    assert journey.transitions[("a", "b")].evidence is None
    assert journey.transitions[("b", "conversion")].evidence is None
    assert journey.touchpoint("c").evidence["departures"] == Evidence("data", n=2)
    assert journey.transitions[("c", "conversion")].evidence == Evidence("data", n=1)


def test_a_refresh_takes_the_new_counts_and_keeps_what_the_data_does_not_measure(
        tmp_path: Path) -> None:
    first = read_event_log(write_log(tmp_path / "first.csv", SMALL), FULL).journey
    drawn = first.copy()
    # What the team added by hand: a workshop estimate of a figure the log does not give.
    drawn.update_touchpoint("ad", evidence=drawn.touchpoint("ad").evidence.with_evidence(
        "impact", Evidence("workshop", low=0.2, mode=0.5, high=0.9)))
    more = [*SMALL, ["c4", "2026-01-06 10:00", "Ad", "5", "no", "", "Awareness"],
            ["c4", "2026-01-06 11:00", "Site", "1", "no", "", "Consideration"]]
    second = read_event_log(write_log(tmp_path / "second.csv", more), FULL)
    refreshed = refresh_journey(drawn, second.journey,
                                measured_for=second.measured_for()).journey
    ad = refreshed.touchpoint("ad")
    assert ad.evidence["departures"] == Evidence("data", n=3)
    assert ad.evidence["satisfaction"] == second.journey.touchpoint("ad").evidence[
        "satisfaction"]
    assert ad.evidence["impact"].kind == "workshop", "the data does not measure impact"
    assert refreshed.transitions[("ad", "site")].evidence == Evidence("data", n=2)
    assert refreshed.transitions[("ad", "buy")].evidence == Evidence("data", n=1)

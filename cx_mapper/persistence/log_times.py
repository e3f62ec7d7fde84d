"""Time between touchpoints and time in each stage, from an event log's timestamps.

Queries over the same `events(customer, ts, touchpoint, score, public, revenue,
stage, channel, seq)` relation as event_queries.aggregation_sql, written as those are
in DuckDB's SQL, which event_log.estimate translates for PostgreSQL (event_store)
and Spark (spark_source). A customer's events are ordered as the transition counts
order them: by timestamp, then by their order in the log.

- Time between touchpoints: for each move of a customer from one event to their
  next, the seconds between the two timestamps; per transition, the median and the
  90th percentile of those gaps, over every move seen (a customer who takes a
  transition twice counts twice, as in its probability).
- Time in a stage: a stay is a run of a customer's consecutive events in one stage
  (events with no stage are left out). It lasts from its first event to the
  customer's first event in the next stage; a customer's time in a stage is the sum
  of their stays in it. A stay the log never sees end (the customer's events stop
  in the stage) is open: how long it lasts is unknown, so it is not counted. Per
  stage, the median and the 90th percentile over customers.

Percentiles are PERCENTILE_CONT's (DuckDB's QUANTILE_CONT, Spark's exact PERCENTILE):
linear interpolation between the two nearest ranks (the p-quantile of n sorted values
sits at rank 1 + p(n - 1)), so gaps of 1..100 minutes have a median of 50.5 and a
90th percentile of 90.1 minutes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cx_mapper.domain.journey import Journey
from cx_mapper.persistence.csv_source import Fetch
from cx_mapper.persistence.event_queries import CUSTOMER_ORDER, DUCKDB, SPARK, ordered_sql


def _seconds_between(start: str, end: str) -> str:
    """The seconds from one timestamp to another, exact to the microsecond, in the SQL
    event_queries.for_engine translates for PostgreSQL and Spark."""
    return f"CAST(DATE_DIFF('microsecond', {start}, {end}) AS DOUBLE) / 1000000"


def _percentiles(column: str, engine: str) -> str:
    # QUANTILE_CONT is DuckDB's PERCENTILE_CONT, which PostgreSQL gets; Spark's exact
    # one, with the same interpolation, is PERCENTILE (its PERCENTILE_CONT would be
    # translated to an approximate one).
    function = "PERCENTILE" if engine == SPARK else "QUANTILE_CONT"
    return ", ".join(f"{function}({column}, {p})" for p in ("0.5", "0.9"))


def _grouped(keys: str, column: str, source: str, engine: str) -> str:
    """`keys`, how many rows, the median and the 90th percentile of `column` over
    `source`, grouped by `keys`. DuckDB takes both percentiles from one copy of the
    values (a list of two), a fifth faster than two percentiles; its own SQL, so only
    there."""
    if engine != DUCKDB:
        return (f"SELECT {keys}, COUNT(*), {_percentiles(column, engine)} FROM {source} "
                f"GROUP BY {keys}")
    return (f"SELECT {keys}, n, q[1], q[2] FROM (SELECT {keys}, COUNT(*) AS n, "
            f"QUANTILE_CONT({column}, [0.5, 0.9]) AS q FROM {source} GROUP BY {keys}) g")


def times_sql(events: str, engine: str = DUCKDB, ordered: str | None = None
              ) -> dict[str, str]:
    """The queries over `events`: `transitions` gives (touchpoint, next touchpoint,
    moves, median, p90) and `stages` gives (stage, customers, median, p90), times in
    seconds. `ordered` is a table of event_queries.ordered_sql's rows of `events`, when
    one was made. In DuckDB's SQL, for event_queries.for_engine to translate for `engine`.

    `transitions` also has the first events, as moves from NULL without times: its
    counts are then the transition counts and entries (aggregation_sql's `flows`), in
    one pass over the ordered events instead of two."""
    window = f"WINDOW w AS ({CUSTOMER_ORDER})"
    moves = (f"SELECT previous, touchpoint, {_seconds_between('previous_ts', 'ts')} AS gap "
             f"FROM {ordered or f'({ordered_sql(events)})'} o")
    transitions = _grouped("previous, touchpoint", "gap", f"({moves}) m", engine)
    # A stay starts at an event whose customer's event before it (of those with a
    # stage) was in another stage, or that has none; it ends where the next starts.
    staged = (f"SELECT customer, stage, ts, seq, LAG(stage) OVER w AS previous_stage "
              f"FROM {events} WHERE stage IS NOT NULL {window}")
    stays = (f"SELECT customer, stage, {_seconds_between('ts', 'LEAD(ts) OVER w')} AS seconds "
             f"FROM ({staged}) s WHERE previous_stage IS DISTINCT FROM stage {window}")
    per_customer = (f"SELECT customer, stage, SUM(seconds) AS seconds FROM ({stays}) y "
                    "WHERE seconds IS NOT NULL GROUP BY customer, stage")
    stages = _grouped("stage", "seconds", f"({per_customer}) c", engine)
    return {"transitions": transitions, "stages": stages}


#: A median and a 90th percentile, in seconds, and how many they are of.
@dataclass(frozen=True)
class Times:
    median: float
    p90: float
    count: int


@dataclass(frozen=True)
class LogTimes:
    """The times a log measured, by the log's names: transitions by (touchpoint,
    next touchpoint), stages by stage."""

    transitions: Mapping[tuple[str, str], Times]
    stages: Mapping[str, Times]


def read_times(fetch: Fetch, events: str, engine: str = DUCKDB, ordered: str | None = None,
               moves: list[Any] | None = None) -> LogTimes:
    """The times of the events in `events` (a table or view, see times_sql); `fetch`
    translates for `engine` (event_log.estimate's). `moves`: the rows of times_sql's
    `transitions` when the caller has them."""
    queries = times_sql(events, engine, ordered)
    if moves is None:
        moves = fetch(queries["transitions"])
    transitions = {(str(a), str(b)): Times(_seconds(median), _seconds(p90), int(count))
                   for a, b, count, median, p90 in moves if a is not None}
    stages = {str(stage): Times(_seconds(median), _seconds(p90), int(count))
              for stage, count, median, p90 in fetch(queries["stages"])}
    return LogTimes(transitions, stages)


def _seconds(value: object) -> float:
    # Events in timestamp order are never apart by less than 0; rounding may say -0.0.
    return max(0.0, float(value))  # type: ignore[arg-type]


def with_times(journey: Journey, times: LogTimes) -> None:
    """Set the times on `journey`, an estimate whose touchpoints and stages are named
    as the log names them; elements the log has no times for keep None."""
    ids = {t.name: t.id for t in journey.touchpoints.values()}
    for (source, target), found in times.transitions.items():
        key = (ids.get(source, ""), ids.get(target, ""))
        if key in journey.transitions:
            journey.update_transition(*key, time_median=found.median, time_p90=found.p90)
    for stage in list(journey.stages):
        found_stage = times.stages.get(stage.name)
        if found_stage is not None:
            journey.update_stage(stage.id, time_median=found_stage.median,
                                 time_p90=found_stage.p90)

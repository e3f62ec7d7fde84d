"""The lines the Inspector shows under its fields: where flows and times were measured,
and what a transition's source has left to give."""

from __future__ import annotations

from collections.abc import Sequence

from cx_mapper.domain.durations import short_duration
from cx_mapper.domain.journey import Journey, Touchpoint, Transition
from cx_mapper.domain.satisfaction import csat
from cx_mapper.domain.validation import PROBABILITY_TOLERANCE


def measured_note(touchpoints: Sequence[Touchpoint]) -> list[tuple[str, bool]]:
    """Where the flows out were measured from data (MODEL.md §2): a change of
    satisfaction then moves them by the change in abandonment, not by all of it."""
    measured = [t.measured_satisfaction for t in touchpoints
                if t.measured_satisfaction is not None]
    if not measured:
        return []
    if len(touchpoints) == 1:
        sigma = measured[0]
        return [(f"Flows out measured from data at CSAT {csat(sigma):.1f} "
                 f"({sigma:+.2f}). Another satisfaction moves them by the change in "
                 "abandonment.", False)]
    return [(f"{len(measured)} of {len(touchpoints)} have flows out measured from data; "
             "another satisfaction moves those by the change in abandonment.", False)]


def time_note(transitions: Sequence[Transition]) -> list[tuple[str, bool]]:
    """The time customers take between the two touchpoints, where a log measured it."""
    timed = [t for t in transitions if t.time_median is not None]
    if not timed:
        return []
    if len(transitions) == 1:
        t = timed[0]
        return [(f"Time between them: median {short_duration(t.time_median)}, 90% within "
                 f"{short_duration(t.time_p90)} (from the event log).", False)]
    return [(f"{len(timed)} of {len(transitions)} have times from the event log: medians "
             f"{short_duration(min(t.time_median or 0.0 for t in timed))} to "
             f"{short_duration(max(t.time_median or 0.0 for t in timed))}.", False)]


def stage_time_note(journey: Journey, touchpoints: Sequence[Touchpoint]
                    ) -> list[tuple[str, bool]]:
    """How long customers spend in the touchpoints' stage, where a log measured it."""
    stages = {t.stage for t in touchpoints}
    if len(stages) != 1 or None in stages:
        return []
    stage = next((s for s in journey.stages if s.id in stages), None)
    if stage is None or stage.time_median is None:
        return []
    return [(f"Customers spend a median {short_duration(stage.time_median)} in "
             f"\u2018{stage.name or stage.id}\u2019, 90% within "
             f"{short_duration(stage.time_p90)}.", False)]


def source_balance(journey: Journey, source: str) -> tuple[str, bool]:
    """What a source touchpoint has left to give, or how far over 100 % it is."""
    total = journey.out_probability(source)
    name = name_of(journey, source)
    if total > 1.0 + PROBABILITY_TOLERANCE:
        return (f"Source \u2018{name}\u2019 is {_percent(total - 1)} over: its transitions "
                f"add up to {_percent(total)}.", True)
    left = max(0.0, 1.0 - total)
    if left <= PROBABILITY_TOLERANCE:
        return f"Source \u2018{name}\u2019 has nothing left: all its customers move on.", False
    return (f"Source \u2018{name}\u2019 has {_percent(left)} left: those customers leave the "
            "journey after it.", False)


def _percent(fraction: float) -> str:
    text = f"{100 * fraction:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def name_of(journey: Journey, touchpoint_id: str) -> str:
    touchpoint = journey.touchpoints.get(touchpoint_id)
    return (touchpoint.name if touchpoint is not None and touchpoint.name else touchpoint_id)


def departures_note(journey: Journey, transition: Transition) -> str:
    """How moves counted on a transition become its probability's range: with the moves
    counted out of its source (its departures), exits included."""
    source = journey.touchpoint(transition.source)
    departures = source.evidence.get("departures")
    name = name_of(journey, transition.source)
    if departures is not None and departures.n is not None:
        return (f"\u2018{name}\u2019 has {departures.n:,.0f} departures counted: the moves "
                "counted on its transitions, out of those, set how sure each probability is.")
    if transition.evidence is not None and transition.evidence.kind == "data":
        return (f"Count \u2018{name}\u2019\u2019s departures too (every move out, exits "
                "included, under its Evidence), so its exits are counted as well.")
    return ""

"""Validation and the engine agree on closed loops, and say them in escaped words."""

from __future__ import annotations

import pytest

from cx_mapper.domain.journey import Journey, Touchpoint, Transition
from cx_mapper.domain.project import ALL_CONSUMERS, Project, Segment
from cx_mapper.domain.validation import closed_loops
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.errors import AnalysisError


def loop() -> Journey:
    """start -> a <-> b, every probability 100%, no discount."""
    j = Journey("j", discount_rate=0.0)
    for tid in ("start", "a", "b"):
        j.add_touchpoint(Touchpoint(tid, entry=1.0 if tid == "start" else 0.0))
    for source, target in (("start", "a"), ("a", "b"), ("b", "a")):
        j.add_transition(Transition(source, target, 1.0))
    return j


def test_a_loop_the_engine_finds_closed_is_closed_here_too() -> None:
    """Validation and the engine agree (a fuzzed project found them apart): a row that
    keeps 100% inside its loop is closed, whatever crumb beyond 100% leaves it, and a
    loop is open only when each segment loses someone somewhere."""
    j = loop()
    j.add_touchpoint(Touchpoint("out", conversion=True))
    j.add_transition(Transition("b", "out", 5e-10))  # the row sums to 1 + 5e-10
    assert closed_loops(j, [ALL_CONSUMERS]) == [["a", "b"]]
    with pytest.raises(AnalysisError, match="(?i)closed loop"):
        analyze(Project(name="p", journeys=[j], segments=[ALL_CONSUMERS]))
    # a loses the first segment's customers only, b the second's: each segment leaks.
    two = loop()
    two.update_touchpoint("a", satisfaction=-0.5)
    two.update_touchpoint("b", satisfaction=-0.5, measured_satisfaction=-0.5)
    first, second = Segment("first", abandon_on_poor=0.5), Segment("second", abandon_on_poor=0.0)
    assert closed_loops(two, [first, second]) == [["a", "b"]]  # second keeps everyone
    two.update_touchpoint("b", measured_satisfaction=-0.1)  # b now loses the first segment
    assert closed_loops(two, [first]) == []


def test_a_closed_loop_from_the_engine_escapes_the_names_it_shows() -> None:
    j = Journey("j", discount_rate=0.0)
    j.add_touchpoint(Touchpoint("a\x1f", entry=1.0))
    j.add_transition(Transition("a\x1f", "a\x1f", 1.0))
    with pytest.raises(AnalysisError) as refused:
        analyze(Project(name="p", journeys=[j]), validate=False)
    assert "\x1f" not in str(refused.value) and "a\\x1f" in str(refused.value)

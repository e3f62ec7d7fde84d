"""The uncertainty analysis: 1,000 draws of a 200-touchpoint journey with two segments.

Run with `.venv/bin/python -m pytest -m benchmark tests/benchmarks/test_uncertainty_speed.py -s`.
Prints figures measured in the same run; never fails on a slow machine.

- The journey: tests/benchmarks/journeys.py's random journey of 200 touchpoints (five
  transitions each, loops back to its start, a goal every 50th), two segments (the
  presets, 70/30) with the default ranges on every parameter, every touchpoint's
  satisfaction a survey (n 50, sd 0.5) and every row counted from 1,000 departures:
  420 uncertain input groups, every row of every draw different.
- ours: engine.uncertainty.uncertainty (draws, their exact totals and fix-first
  gradients, intervals, rank bands, drivers), best of 3.
- naive: the same draws analysed one by one with engine.analysis.analyze (a patched
  project per draw), timed on 40 draws and multiplied out to 1,000.
- whole process: `cx-mapper analyze FILE --json` with and without --uncertainty.
"""

from __future__ import annotations

import dataclasses
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

from cx_mapper.domain.evidence import Evidence, EvidenceSet
from cx_mapper.domain.project import ALL_CONSUMERS, SOCIAL_MEDIA_USERS, Project
from cx_mapper.domain.segment_ranges import default_ranges
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.draws import chain_pattern, draw
from cx_mapper.engine.matrices import journey_chain
from cx_mapper.engine.uncertainty import uncertainty
from cx_mapper.persistence.json_format import write_project
from tests.benchmarks.journeys import random_journey
from tests.benchmarks.processes import ROOT, cx_mapper, run
from tests.benchmarks.timing import best_of
from tests.engine.helpers import drawn_project

pytestmark = pytest.mark.benchmark

SAMPLES = 1_000


def evidenced_journey(n: int = 200) -> Project:
    project = random_journey(n, transitions_per_touchpoint=5)
    journey = project.journeys[0]
    for tid, tp in list(journey.touchpoints.items()):
        journey.touchpoints[tid] = dataclasses.replace(tp, evidence=EvidenceSet.of({
            "satisfaction": Evidence("survey", n=50, sd=0.5),
            "departures": Evidence("data", n=1000)}))
    for key, t in list(journey.transitions.items()):
        journey.transitions[key] = dataclasses.replace(
            t, evidence=Evidence("data", n=round(1000 * t.probability)))
    segments = [dataclasses.replace(ALL_CONSUMERS, share=0.7),
                dataclasses.replace(SOCIAL_MEDIA_USERS, share=0.3)]
    project.segments[:] = [dataclasses.replace(s, evidence=default_ranges(s)) for s in segments]
    return project


def _naive_seconds_per_draw(project: Project, count: int = 40) -> float:
    journey = project.journeys[0]
    chain = journey_chain(journey)
    pattern = chain_pattern(chain.probabilities)
    draws = draw(journey, chain.ids, pattern, project.segments, count, seed=0)
    start = time.perf_counter()
    for b in range(count):
        single = drawn_project(project, draws, pattern, b)
        analyze(single, single.journeys[0].id)
    return (time.perf_counter() - start) / count


def test_uncertainty_speed() -> None:
    project = evidenced_journey()
    seconds, found = best_of(3, lambda: uncertainty(project, None, SAMPLES, seed=0))
    naive = _naive_seconds_per_draw(project) * SAMPLES
    print(f"\n1,000 draws, 200 touchpoints, 2 segments, {found.inputs} uncertain inputs: "
          f"ours {seconds:.2f} s; naive loop of single analyses {naive:.1f} s "
          f"({naive / seconds:.0f}x)")
    assert found.failed == 0 and found.inputs > 400
    low, _, high = found.intervals["loyalty_index"]
    assert low < high

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.json"
        write_project(project, path)
        plain = min(run([*cx_mapper(ROOT), "analyze", str(path), "--json"]).seconds
                    for _ in range(3))
        with_draws = min(run([*cx_mapper(ROOT), "analyze", str(path), "--json",
                              "--uncertainty"]).seconds for _ in range(3))
    print(f"whole process, analyze --json: {plain:.2f} s; with --uncertainty: "
          f"{with_draws:.2f} s (+{with_draws - plain:.2f} s)")
    assert np.isfinite(with_draws)

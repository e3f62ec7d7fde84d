"""Valid projects at the edges of every range analyse to finite figures (MODEL.md §3:
never inf or NaN), or to a clear AnalysisError; nothing printed is ever non-finite."""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cx_mapper.domain.project import PARAMETER_RANGES, Project
from cx_mapper.domain.ranges import TOUCHPOINT_RANGES
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.errors import AnalysisError
from cx_mapper.engine.report import analysis_table, analysis_to_json
from tests.strategies import projects


def _edge(limits: tuple[float | None, float | None]) -> st.SearchStrategy[float]:
    low, high = limits
    return st.sampled_from([x for x in (low, high) if x is not None] or [0.0])


@st.composite
def projects_at_the_bounds(draw: st.DrawFn) -> Project:
    project = draw(projects(max_journeys=1, max_touchpoints=5))
    project.segments = [
        replace(s, **{key: draw(_edge(limits) | st.just(getattr(s, key)))
                      for key, limits in PARAMETER_RANGES.items()})
        for s in project.segments]
    for journey in project.journeys:
        for tp in list(journey.touchpoints.values()):
            changes = {key: draw(_edge(TOUCHPOINT_RANGES[key]) | st.just(getattr(tp, key)))
                       for key in ("value", "referral_entry")}
            journey.update_touchpoint(tp.id, entry=draw(st.sampled_from([tp.entry, 1e6])),
                                      **changes)
        journey.discount_rate = draw(st.sampled_from([journey.discount_rate, 1e-12, 1e-6]))
    # Plain names: the printed table is searched for "inf" and "nan", which a drawn name
    # such as "INF" would match.
    project.name = "Bounds"
    project.segments = [replace(s, name=f"Segment {i}") for i, s in enumerate(project.segments)]
    for journey in project.journeys:
        journey.name = "Journey"
        for i, tp in enumerate(list(journey.touchpoints.values())):
            journey.update_touchpoint(tp.id, name=f"Touchpoint {i}")
    return project


@given(projects_at_the_bounds(), st.none() | st.integers(0, 50))
@settings(max_examples=80, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
def test_every_printed_figure_is_finite_or_null(project: Project, horizon: int | None) -> None:
    for journey in project.journeys:
        try:
            result = analyze(project, journey.id, horizon)
        except AnalysisError as error:
            assert "\n" not in str(error)
            continue
        data = analysis_to_json(result)
        json.dumps(data, allow_nan=False)  # raises on NaN and infinities
        table = analysis_table(project, result)
        assert not re.search(r"\b(inf|nan)\b", table, re.IGNORECASE), table
        assert all(math.isfinite(getattr(result.totals, k) or 0.0)
                   for k in result.totals.__dataclass_fields__)

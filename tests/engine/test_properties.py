"""Invariants of the engine on random valid projects (hypothesis)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cx_mapper.domain.project import Project
from cx_mapper.domain.validation import has_errors, validate_project
from cx_mapper.engine.analysis import analyze
from tests.strategies import projects

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def analysable(min_discount_rate: float = 0.01) -> st.SearchStrategy[Project]:
    return projects(max_journeys=1, max_touchpoints=8,
                    min_discount_rate=min_discount_rate).filter(
        lambda p: bool(p.journeys) and not has_errors(validate_project(p)))


@SETTINGS
@given(analysable())
def test_visits_are_never_negative(project: Project) -> None:
    result = analyze(project)
    assert (result.touchpoints.visits >= -1e-12).all()
    assert result.totals.interactions >= 1.0 - 1e-9  # the first visit always counts
    assert -1.0 - 1e-9 <= result.totals.loyalty_index <= 1.0 + 1e-9
    assert np.isfinite(result.totals.value)


@SETTINGS
@given(analysable())
def test_zero_tell_counts_give_zero_exposure(project: Project) -> None:
    project.segments = [dataclasses.replace(s, tell_positive=0.0, tell_negative=0.0)
                        for s in project.segments]
    totals = analyze(project).totals
    for name in ("exposure_positive", "exposure_negative", "exposure_net", "exposure_private",
                 "exposure_public", "referral_r", "deterred"):
        assert getattr(totals, name) == 0.0


@SETTINGS
@given(analysable(), st.floats(-5.0, 5.0).filter(lambda x: abs(x) > 1e-3))
def test_scaling_every_value_scales_customer_value(project: Project, factor: float) -> None:
    before = analyze(project).totals.value
    journey = project.journeys[0]
    for touchpoint in list(journey.touchpoints.values()):
        journey.update_touchpoint(touchpoint.id, value=touchpoint.value * factor)
    after = analyze(project).totals.value
    assert after == pytest.approx(before * factor, rel=1e-9, abs=1e-9)


@SETTINGS
@given(analysable())
def test_one_segment_with_share_one_equals_that_segment(project: Project) -> None:
    mixed = analyze(project)
    for segment, own in zip(project.segments, mixed.segments, strict=True):
        alone = Project(project.name, [dataclasses.replace(segment, share=1.0)],
                        project.journeys)
        result = analyze(alone)
        assert dataclasses.astuple(result.totals) == pytest.approx(
            dataclasses.astuple(own.totals), nan_ok=True)
        assert result.touchpoints.visits == pytest.approx(own.touchpoints.visits)


@SETTINGS
@given(analysable(min_discount_rate=0.25))
def test_finite_horizon_converges_to_infinite(project: Project) -> None:
    infinite = analyze(project).totals
    long = analyze(project, horizon=300).totals
    for name in ("interactions", "loyalty_index", "value", "exposure_net", "referral_r"):
        assert getattr(long, name) == pytest.approx(getattr(infinite, name), rel=1e-7, abs=1e-9)
    short = analyze(project, horizon=0).totals
    assert short.interactions == pytest.approx(1.0)

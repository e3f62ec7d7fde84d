"""The conversions' value shared out by removal effect, per touchpoint of a journey that
knows what its conversions are worth (an import of paths with values)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cx_mapper.domain.journey import Touchpoint
from cx_mapper.domain.project import Project
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.report import analysis_to_json
from cx_mapper.persistence.path_data import read_path_data
from tests.engine.helpers import project, random_journey, two_segments
from tests.engine.path_reference import exact_markov, file_text, realistic_rows


def test_imported_paths_share_their_value_out_exactly(tmp_path: Path) -> None:
    rows = realistic_rows(seed=3)
    file = tmp_path / "paths.csv"
    file.write_text(file_text(rows), encoding="utf-8")
    journey = read_path_data(file).journey
    analysis = analyze(Project(journeys=[journey]))
    exact = exact_markov(rows, 1)
    printed = analysis_to_json(analysis)["touchpoints"]
    for touchpoint in journey.touchpoints.values():
        record = analysis.touchpoint(touchpoint.id)
        if touchpoint.conversion:
            assert record.attributed_value is None
            assert printed[touchpoint.id]["attributed_value"] is None
        else:
            assert record.attributed_value == pytest.approx(float(exact.value[touchpoint.name]),
                                                            rel=1e-9)
            assert printed[touchpoint.id]["attributed_value"] == record.attributed_value
    total = float(sum(row[2] for row in rows))
    assert np.nansum(analysis.touchpoints.attributed_value) == pytest.approx(total)


@pytest.mark.parametrize("segments", [None, "two"])
def test_no_value_is_shared_among_some_removal_effects(segments: str | None) -> None:
    journey = random_journey(np.random.default_rng(11), 40)
    journey.conversions = 1_000.0
    goal = next(t for t in journey.touchpoints.values() if t.conversion)
    whole = project(journey, segments=two_segments() if segments else None)
    full = analyze(whole)
    assert np.nansum(full.touchpoints.attributed_value) == pytest.approx(1_000.0 * goal.value)
    part = analyze(whole, removal_limit=5)
    assert not part.removal_effects_complete
    assert np.isnan(part.touchpoints.attributed_value).all()
    for segment in part.segments:
        assert np.isnan(segment.touchpoints.attributed_value).all()


def test_without_known_worth_no_value_is_attributed() -> None:
    journey = random_journey(np.random.default_rng(5), 12)
    assert journey.conversions is None  # conversions not given: shares of P(conv) only
    analysis = analyze(project(journey))
    assert np.isfinite(np.nan_to_num(analysis.touchpoints.attributed_conversions)).all()
    assert np.isnan(analysis.touchpoints.attributed_value).all()
    # Two goals worth different amounts: what a conversion is worth is not one figure.
    journey.conversions = 50.0
    goal = next(t for t in journey.touchpoints.values() if t.conversion)
    journey.add_touchpoint(Touchpoint("other-goal", conversion=True, value=goal.value + 1))
    assert np.isnan(analyze(project(journey)).touchpoints.attributed_value).all()

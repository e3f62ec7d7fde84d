"""Attribution needs every removal effect (MODEL.md §8): when a journey with more
touchpoints on loops than the limit gets only the busiest ones' effects, conversions are
not shared out among those few (one channel was credited 3,312 conversions instead of
34.8), and the result says why."""

from __future__ import annotations

import numpy as np
import pytest

from cx_mapper.engine.analysis import analyze
from tests.engine.helpers import project, random_journey, two_segments


@pytest.mark.parametrize("segments", [None, "two"])
def test_some_removal_effects_mean_no_attributed_conversions(segments: str | None) -> None:
    journey = random_journey(np.random.default_rng(11), 40)
    journey.conversions = 1_000.0
    whole = project(journey, segments=two_segments() if segments else None)
    full = analyze(whole)
    part = analyze(whole, removal_limit=5)
    assert full.removal_effects_complete and not part.removal_effects_complete
    effects = part.touchpoints.removal_effect
    computed = np.isfinite(effects)
    assert 0 < computed.sum() < len(effects) - 1
    # The effects it has are the exact ones...
    np.testing.assert_allclose(effects[computed], full.touchpoints.removal_effect[computed],
                               rtol=1e-9, atol=1e-12)
    # ...but no conversions are shared out among them, in the mix or in any segment.
    assert np.isnan(part.touchpoints.attributed_conversions).all()
    for segment in part.segments:
        assert np.isnan(segment.touchpoints.attributed_conversions).all()
    assert "conversions are not attributed" in part.notes[0]
    assert "needs every removal effect" in part.notes[0]
    # With every effect, the journey's 1,000 conversions are shared out in full.
    assert np.nansum(full.touchpoints.attributed_conversions) == pytest.approx(1_000.0)
    assert full.notes == ()

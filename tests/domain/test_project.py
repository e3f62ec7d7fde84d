"""Projects and segments: the seed facts of MODEL.md and the project edit API."""

from __future__ import annotations

import pytest

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.project import (
    ALL_CONSUMERS,
    PARAMETER_LABELS,
    PARAMETER_RANGES,
    PARAMETER_SOURCES,
    PRESETS,
    SOCIAL_MEDIA_USERS,
    TRUST_ADVERTISING,
    Project,
    Segment,
    segment_from_preset,
)

#: MODEL.md, the segment table: (All consumers, Social media service users).
MODEL_TABLE: dict[str, tuple[float, float]] = {
    "tell_positive": (15, 42),
    "tell_negative": (24, 53),
    "spend_uplift": (0.13, 0.21),
    "abandon_on_poor": (0.55, 0.83),
    "public_reach": (10, 10),
    "trust_private": (0.90, 0.90),
    "trust_public": (0.70, 0.70),
    "referral_conversion": (0.01, 0.01),
    "deterrence": (0.01, 0.01),
    "memory": (0.3, 0.3),
    "initial_loyalty": (0, 0),
}

#: MODEL.md, the "source / status" column: words each source text must contain.
MODEL_SOURCES: dict[str, tuple[str, ...]] = {
    "tell_positive": ("2012", "good experience"),
    "tell_negative": ("2012", "bad experience"),
    "spend_uplift": ("2012", "spend"),
    "abandon_on_poor": ("2012", "walked away"),
    "public_reach": ("1-9-90", "assumption"),
    "trust_private": ("nielsen", "2009", "people they know"),
    "trust_public": ("nielsen", "2009", "online"),
    "referral_conversion": ("assumption",),
    "deterrence": ("assumption",),
    "memory": ("assumption",),
    "initial_loyalty": ("assumption",),
}
AMEX_PARAMETERS = ("tell_positive", "tell_negative", "spend_uplift", "abandon_on_poor")


def test_the_two_presets_are_offered_by_name() -> None:
    presets = list(PRESETS.values())
    assert presets == [ALL_CONSUMERS, SOCIAL_MEDIA_USERS]
    names = list(PRESETS)
    assert "All consumers" in names[0] and "Social media service users" in names[1]
    assert ALL_CONSUMERS.name == "All consumers"
    assert SOCIAL_MEDIA_USERS.name == "Social media service users"


@pytest.mark.parametrize("parameter", list(MODEL_TABLE))
def test_presets_have_exactly_the_model_table_values(parameter: str) -> None:
    all_consumers, social_users = MODEL_TABLE[parameter]
    assert getattr(ALL_CONSUMERS, parameter) == all_consumers
    assert getattr(SOCIAL_MEDIA_USERS, parameter) == social_users


def test_presets_have_no_other_parameters() -> None:
    assert set(ALL_CONSUMERS.parameters()) == set(MODEL_TABLE)
    assert ALL_CONSUMERS.parameters() == {k: float(v[0]) for k, v in MODEL_TABLE.items()}
    assert SOCIAL_MEDIA_USERS.parameters() == {k: float(v[1]) for k, v in MODEL_TABLE.items()}


def test_a_bare_segment_takes_the_all_consumers_values() -> None:
    assert Segment("mine").parameters() == ALL_CONSUMERS.parameters()
    assert Segment("mine").share == 1.0


@pytest.mark.parametrize("parameter", list(MODEL_TABLE))
def test_every_parameter_has_its_source_text(parameter: str) -> None:
    source = PARAMETER_SOURCES[parameter].lower()
    for word in MODEL_SOURCES[parameter]:
        assert word in source, f"{parameter}: {PARAMETER_SOURCES[parameter]!r} lacks {word!r}"
    if parameter in AMEX_PARAMETERS:
        assert "amex" in source or "american express" in source
    if parameter in ("public_reach",):
        assert "nielsen" in source


def test_every_parameter_has_a_label_and_a_range_and_the_presets_are_in_range() -> None:
    assert set(PARAMETER_SOURCES) == set(PARAMETER_LABELS) == set(PARAMETER_RANGES)
    assert set(PARAMETER_SOURCES) == set(MODEL_TABLE)
    for preset in PRESETS.values():
        for name, value in preset.parameters().items():
            low, high = PARAMETER_RANGES[name]
            assert low is None or value >= low, name
            assert high is None or value <= high, name


def test_trust_in_advertising_baseline() -> None:
    assert TRUST_ADVERTISING == 0.14
    assert TRUST_ADVERTISING < ALL_CONSUMERS.trust_public < ALL_CONSUMERS.trust_private


# -- Project --------------------------------------------------------------------------------
def test_a_new_project_has_all_consumers_as_its_only_segment() -> None:
    project = Project()
    assert len(project.segments) == 1
    (segment,) = project.segments
    assert segment.name == "All consumers"
    assert segment.share == 1
    assert segment.parameters() == ALL_CONSUMERS.parameters()
    assert project.normalised_shares() == [1.0]
    assert project.journeys == []


def test_new_projects_do_not_share_their_segment_list() -> None:
    first, second = Project(), Project()
    first.add_segment(Segment("extra", share=1.0))
    assert len(second.segments) == 1


@pytest.mark.parametrize(
    ("shares", "expected"),
    [
        ([1.0], [1.0]),
        ([0.8, 0.2], [0.8, 0.2]),
        ([2.0, 2.0], [0.5, 0.5]),
        ([3.0, 1.0], [0.75, 0.25]),
        ([1.0, 1.0, 2.0], [0.25, 0.25, 0.5]),
    ],
)
def test_normalised_shares_sum_to_one(shares: list[float], expected: list[float]) -> None:
    project = Project(segments=[Segment(f"s{i}", share=s) for i, s in enumerate(shares)])
    result = project.normalised_shares()
    assert result == pytest.approx(expected)
    assert sum(result) == pytest.approx(1.0)
    assert [s.share for s in project.segments] == shares  # the segments are not changed


def test_normalised_shares_with_no_positive_total_do_not_divide_by_zero() -> None:
    project = Project(segments=[Segment("a", share=0.0), Segment("b", share=0.0)])
    assert project.normalised_shares() == [0.0, 0.0]


def test_segment_from_preset_keeps_the_parameters() -> None:
    segment = segment_from_preset(SOCIAL_MEDIA_USERS, id="social-2", share=0.3)
    assert (segment.id, segment.share) == ("social-2", 0.3)
    assert segment.parameters() == SOCIAL_MEDIA_USERS.parameters()


def test_segment_edits_return_what_undo_needs() -> None:
    project = Project()
    project.add_segment(segment_from_preset(SOCIAL_MEDIA_USERS, id="social", share=0.25))
    with pytest.raises(ValueError):
        project.add_segment(Segment("social"))
    # edit
    old = project.update_segment("social", share=0.5, tell_negative=60.0)
    assert old.share == 0.25 and old.tell_negative == 53
    assert project.segment("social").tell_negative == 60.0
    with pytest.raises(ValueError):
        project.update_segment("social", id="other")
    # undo
    project.update_segment("social", share=old.share, tell_negative=old.tell_negative)
    assert project.segment("social") == old
    # remove and put back
    removed = project.remove_segment("social")
    assert (removed.index, removed.segment) == (1, old)
    assert [s.id for s in project.segments] == ["all"]
    project.restore_segment(removed)
    assert [s.id for s in project.segments] == ["all", "social"]
    assert project.new_segment_id("social") == "social-2"
    with pytest.raises(KeyError):
        project.segment("nope")


def test_journey_edits() -> None:
    project = Project()
    project.add_journey(Journey("current", "Current state"))
    project.add_journey(Journey("future", "Future state"))
    with pytest.raises(ValueError):
        project.add_journey(Journey("current"))
    assert project.journey("future").name == "Future state"
    assert project.new_journey_id("current") == "current-2"
    index, journey = project.remove_journey("current")
    assert index == 0 and journey.name == "Current state"
    assert [j.id for j in project.journeys] == ["future"]
    project.add_journey(journey, index)
    assert [j.id for j in project.journeys] == ["current", "future"]
    with pytest.raises(KeyError):
        project.journey("nope")
    with pytest.raises(KeyError):
        project.remove_journey("nope")

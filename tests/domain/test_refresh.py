"""Refreshing a drawn journey from an estimate: figures change, the drawing stays."""

from __future__ import annotations

import copy

import pytest

from cx_mapper.domain.journey import Channel, Journey, Stage, Touchpoint, Transition
from cx_mapper.domain.refresh import Change, figure, refresh_journey
from cx_mapper.domain.templates import five_stage_project


def drawn() -> Journey:
    """The team's map: positions, notes, stages, a moment of truth, a goal."""
    journey = Journey(id="current", name="Current state", discount_rate=0.05, horizon=12,
                      conversions=40.0,
                      stages=[Stage("aware", "Awareness"), Stage("buy", "Purchase")],
                      channels=[Channel("web", "Web"), Channel("store", "Store")])
    for touchpoint in (
        Touchpoint("ad", "Sees an ad", stage="aware", satisfaction=0.2, visibility=0.5,
                   impact=0.8, entry=1.0, x=0.0, y=0.0, notes="from the brief"),
        Touchpoint("site", "Visits the site", stage="aware", channel="web", satisfaction=0.1,
                   visibility=0.1, x=0.0, y=120.0),
        Touchpoint("buy", "Buys", stage="buy", channel="store", value=50.0,
                   referral_entry=0.3, conversion=True, x=260.0, y=0.0, notes="the goal"),
        Touchpoint("help", "Gets help", stage="buy", satisfaction=-0.2, x=260.0, y=120.0),
    ):
        journey.add_touchpoint(touchpoint)
    for source, target, probability, label in (
        ("ad", "site", 0.6, "clicks"), ("site", "buy", 0.4, ""), ("buy", "help", 0.3, ""),
        ("help", "site", 0.2, ""), ("ad", "buy", 0.1, ""),
    ):
        journey.add_transition(Transition(source, target, probability, label))
    return journey


def estimate() -> Journey:
    """What a log says: ids from names, no layout, a touchpoint the map does not have."""
    journey = Journey(id="imported", name="Imported journey", conversions=55.0,
                      stages=[Stage("consideration", "Consideration")],
                      channels=[Channel("w", " web ")])
    for touchpoint in (
        Touchpoint("sees-an-ad", "Sees an ad", satisfaction=0.35, visibility=0.4, entry=0.8),
        Touchpoint("visits-the-site", " visits the SITE ", satisfaction=0.1, visibility=0.1,
                   entry=0.2, value=3.0),
        Touchpoint("buy", "Buys", satisfaction=0.5, value=62.5),
        Touchpoint("reviews", "Reads reviews", stage="consideration", channel="w",
                   satisfaction=0.3, x=999.0),
    ):
        journey.add_touchpoint(touchpoint)
    for source, target, probability in (
        ("sees-an-ad", "visits-the-site", 0.7), ("visits-the-site", "buy", 0.4),
        ("visits-the-site", "reviews", 0.2), ("reviews", "buy", 0.5),
    ):
        journey.add_transition(Transition(source, target, probability))
    return journey


def test_the_existing_journey_is_never_modified() -> None:
    existing = drawn()
    before = copy.deepcopy(existing)
    refresh = refresh_journey(existing, estimate())
    assert existing == before
    assert refresh.journey is not existing


def test_the_drawing_is_kept_and_the_figures_follow_the_data() -> None:
    refresh = refresh_journey(drawn(), estimate())
    journey = refresh.journey
    assert (journey.id, journey.name, journey.discount_rate, journey.horizon) == (
        "current", "Current state", 0.05, 12)
    assert journey.conversions == 55.0
    ad = journey.touchpoint("ad")
    assert (ad.name, ad.x, ad.y, ad.notes, ad.stage, ad.channel, ad.impact) == (
        "Sees an ad", 0.0, 0.0, "from the brief", "aware", None, 0.8)
    assert (ad.satisfaction, ad.visibility, ad.entry) == (0.35, 0.4, 0.8)
    buy = journey.touchpoint("buy")
    assert (buy.conversion, buy.referral_entry, buy.notes, buy.x, buy.channel) == (
        True, 0.3, "the goal", 260.0, "store")
    assert (buy.satisfaction, buy.value, buy.entry) == (0.5, 62.5, 0.0)
    # Matched by name (case and spaces aside): the drawn id and name stay.
    site = journey.touchpoint("site")
    assert (site.name, site.entry, site.value, site.y) == ("Visits the site", 0.2, 3.0, 120.0)
    assert "visits-the-site" not in journey.touchpoints


def test_unmeasured_fields_keep_their_drawn_values() -> None:
    journey = refresh_journey(drawn(), estimate(), measured=("satisfaction",)).journey
    ad, buy = journey.touchpoint("ad"), journey.touchpoint("buy")
    assert (ad.satisfaction, ad.visibility, ad.entry) == (0.35, 0.5, 0.8)
    assert (buy.satisfaction, buy.value) == (0.5, 50.0)
    nothing = refresh_journey(drawn(), estimate(), measured=()).journey
    assert nothing.touchpoint("ad").satisfaction == 0.2
    assert nothing.touchpoint("ad").entry == 0.8  # entry always comes from the data


def test_new_touchpoints_join_stages_and_channels_by_name() -> None:
    refresh = refresh_journey(drawn(), estimate())
    journey = refresh.journey
    assert refresh.added == ("reviews",)
    reviews = journey.touchpoint("reviews")
    assert reviews.name == "Reads reviews" and reviews.satisfaction == 0.3
    assert reviews.channel == "web"  # " web " is the drawn "Web"
    assert reviews.stage == "consideration"
    assert journey.stages[-1] == Stage("consideration", "Consideration")
    assert [c.id for c in journey.channels] == ["web", "store"]
    assert list(journey.touchpoints)[-1] == "reviews"


def test_an_id_in_the_drawing_matches_even_under_a_new_name() -> None:
    data = Journey(id="e", stages=[Stage("aware", "Later")])
    data.add_touchpoint(Touchpoint("help", "Chats with a bot", entry=1.0))
    data.add_touchpoint(Touchpoint("bot", "Talks to a bot", stage="aware"))
    refresh = refresh_journey(drawn(), data)
    journey = refresh.journey
    assert journey.touchpoint("help").name == "Gets help"  # the drawn name stays
    assert journey.touchpoint("help").entry == 1.0
    # The data's stage "aware" is called "Later": a stage of its own, under a free id.
    assert refresh.added == ("bot",)
    assert journey.touchpoint("bot").stage == "aware-2"
    assert journey.stage("aware-2").name == "Later"
    assert journey.stage("aware").name == "Awareness"


def test_transitions_between_touchpoints_in_the_data_follow_it() -> None:
    refresh = refresh_journey(drawn(), estimate())
    transitions = {key: t.probability for key, t in refresh.journey.transitions.items()}
    assert transitions == {
        ("ad", "site"): 0.7,  # updated
        ("site", "buy"): 0.4,  # the same
        ("buy", "help"): 0.3,  # "Gets help" is not in the data: kept as drawn
        ("help", "site"): 0.2,
        ("site", "reviews"): 0.2,  # added
        ("reviews", "buy"): 0.5,
    }  # ad -> buy was never seen: removed
    assert refresh.journey.transition("ad", "site").label == "clicks"


def test_every_change_is_listed_in_journey_order() -> None:
    refresh = refresh_journey(drawn(), estimate())
    assert [change.describe() for change in refresh.changes] == [
        "Sees an ad: entry 100.0% → 80.0%",
        "Sees an ad: satisfaction +0.20 → +0.35",
        "Sees an ad: visibility 50.0% → 40.0%",
        "Visits the site: entry 0.0% → 20.0%",
        "Visits the site: value 0.00 → 3.00",
        "Buys: satisfaction +0.00 → +0.50",
        "Buys: value 50.00 → 62.50",
        "Gets help: not in the data, kept as drawn",
        "Reads reviews: added",
        "Sees an ad → Visits the site: probability 60.0% → 70.0%",
        "Sees an ad → Buys: removed, not seen in the data (was 10.0%)",
        "Visits the site → Reads reviews: added, probability 20.0%",
        "Reads reviews → Buys: added, probability 50.0%",
    ]
    removed = refresh.changes[10]
    assert removed == Change("removed", "transition", "ad → buy", "Sees an ad → Buys",
                             "probability", 0.1, None)
    assert refresh.changes[0] == Change("updated", "touchpoint", "ad", "Sees an ad", "entry",
                                        1.0, 0.8)
    assert refresh.changes[7].kind == "not in data" and refresh.changes[7].element_id == "help"


def test_a_journey_refreshed_with_its_own_estimate_does_not_change() -> None:
    for journey in (drawn(), five_stage_project().journeys[0]):
        refresh = refresh_journey(journey, journey.copy())
        assert refresh.changes == () and refresh.added == ()
        # The only news: each row now follows data, measured at today's satisfaction.
        expected = journey.copy()
        for touchpoint in journey.touchpoints.values():
            expected.update_touchpoint(touchpoint.id,
                                       measured_satisfaction=touchpoint.satisfaction)
        assert refresh.journey == expected


def test_rounding_is_not_a_change() -> None:
    nearly = drawn()
    nearly.update_touchpoint("ad", satisfaction=0.2 + 1e-12)
    nearly.update_transition("ad", "site", probability=0.6 - 1e-12)
    assert refresh_journey(drawn(), nearly).changes == ()


def test_conversions_are_kept_when_the_data_has_none() -> None:
    data = estimate()
    data.conversions = None
    assert refresh_journey(drawn(), data).journey.conversions == 40.0


def test_drawn_shares_to_touchpoints_outside_the_data_come_out_of_its_exits() -> None:
    existing = drawn()  # buy -> help 0.3, and help is not in the data
    data = Journey(id="e")
    for touchpoint in (Touchpoint("ad", "Sees an ad", entry=1.0), Touchpoint("buy", "Buys")):
        data.add_touchpoint(touchpoint)
    data.add_transition(Transition("ad", "buy", 0.5))
    data.add_transition(Transition("buy", "ad", 0.6))  # 0.6 + 0.3 fits: kept as is
    assert refresh_journey(existing, data).journey.transition("buy", "ad").probability == 0.6
    data.update_transition("buy", "ad", probability=0.9)  # 0.9 + 0.3: scaled to 0.7
    journey = refresh_journey(existing, data).journey
    assert journey.transition("buy", "ad").probability == pytest.approx(0.7)
    assert journey.transition("buy", "help").probability == 0.3
    assert journey.out_probability("buy") == pytest.approx(1.0)


def test_a_goal_in_path_data_is_the_drawn_goal_and_the_data_stops_there() -> None:
    existing = drawn()
    existing.add_transition(Transition("buy", "site", 0.25))  # a repeat visit, drawn
    paths = Journey(id="paths", conversions=12.0)
    for touchpoint in (
        Touchpoint("sees-an-ad", "Sees an ad", entry=0.5),
        Touchpoint("visits-the-site", "Visits the site", entry=0.5),
        Touchpoint("conversion", "Conversion", conversion=True, value=80.0),
    ):
        paths.add_touchpoint(touchpoint)
    paths.add_transition(Transition("sees-an-ad", "visits-the-site", 0.5))
    paths.add_transition(Transition("visits-the-site", "conversion", 0.3))
    refresh = refresh_journey(existing, paths, measured=(),
                              measured_for={"conversion": ("value",)})
    journey = refresh.journey
    assert refresh.added == () and "conversion" not in journey.touchpoints
    buy = journey.touchpoint("buy")
    assert (buy.name, buy.value, buy.satisfaction) == ("Buys", 80.0, 0.0)
    assert journey.touchpoint("ad").value == 0.0 and journey.touchpoint("ad").satisfaction == 0.2
    assert journey.transition("site", "buy").probability == 0.3
    # Paths end at the conversion: what follows it is kept as drawn.
    assert journey.transition("buy", "site").probability == 0.25
    assert journey.transition("buy", "help").probability == 0.3
    assert ("ad", "buy") not in journey.transitions
    assert journey.conversions == 12.0
    assert "Buys: value 50.00 → 80.00" in [c.describe() for c in refresh.changes]


def test_duplicate_names_match_in_journey_order() -> None:
    existing = Journey(id="j")
    existing.add_touchpoint(Touchpoint("a", "Call", entry=1.0))
    existing.add_touchpoint(Touchpoint("b", "Call"))
    data = Journey(id="e")
    data.add_touchpoint(Touchpoint("call", "call", entry=0.4))
    data.add_touchpoint(Touchpoint("call-2", "CALL", entry=0.6))
    journey = refresh_journey(existing, data).journey
    assert (journey.touchpoint("a").entry, journey.touchpoint("b").entry) == (0.4, 0.6)


def test_only_measurable_fields_can_be_named() -> None:
    with pytest.raises(ValueError, match="impact"):
        refresh_journey(drawn(), estimate(), measured=("impact",))
    with pytest.raises(ValueError, match="x"):
        refresh_journey(drawn(), estimate(), measured_for={"buy": ("x",)})


@pytest.mark.parametrize(("change", "text"), [
    (Change("updated", "touchpoint", "c", "Checkout", "satisfaction", 0.2, 0.35),
     "Checkout: satisfaction +0.20 → +0.35"),
    (Change("updated", "touchpoint", "c", "Checkout", "value", 1234.5, -20.0),
     "Checkout: value 1,234.50 → -20.00"),
    (Change("updated", "transition", "a → b", "A → B", "probability", 0.4, 0.40004),
     "A → B: probability 40.000% → 40.004%"),  # more digits until they differ
    (Change("added", "touchpoint", "c", "Checkout", None, None, None), "Checkout: added"),
    (Change("not in data", "touchpoint", "c", "Checkout", None, None, None),
     "Checkout: not in the data, kept as drawn"),
])
def test_describe(change: Change, text: str) -> None:
    assert change.describe() == text


def test_figures_read_as_in_the_app() -> None:
    assert figure("satisfaction", -0.5) == "-0.50"
    assert figure("entry", 0.125) == "12.5%"
    assert figure("value", None) == "–"

"""The journey edit API: what the editor and its undo commands rely on."""

from __future__ import annotations

import pytest

from cx_mapper.domain.journey import (
    DEFAULT_DISCOUNT_RATE,
    DEFAULT_HORIZON,
    JOURNEY_FIELDS,
    NAMED_LISTS,
    NEW_TOUCHPOINT_NAME,
    SINGULAR,
    Channel,
    Journey,
    NamedList,
    Stage,
    Touchpoint,
    Transition,
    TransitionKey,
    awaits_first_name,
    slug,
)


def sample() -> Journey:
    """a -> b -> c, a -> c, c -> a, b -> b, with two stages and two channels."""
    journey = Journey(id="current", name="Current state")
    journey.add_stage(Stage("aware", "Awareness"))
    journey.add_stage(Stage("buy", "Purchase"))
    journey.add_channel(Channel("web", "Website"))
    journey.add_channel(Channel("store", "Store"))
    journey.add_touchpoint(Touchpoint("a", "Ad", stage="aware", channel="web", entry=1.0))
    journey.add_touchpoint(Touchpoint("b", "Browse", stage="aware", channel="web"))
    journey.add_touchpoint(Touchpoint("c", "Checkout", stage="buy", channel="store",
                                      conversion=True))
    journey.add_transition(Transition("a", "b", 0.5))
    journey.add_transition(Transition("b", "c", 0.3))
    journey.add_transition(Transition("a", "c", 0.2))
    journey.add_transition(Transition("c", "a", 0.1))
    journey.add_transition(Transition("b", "b", 0.4))
    return journey


def transition_keys(journey: Journey) -> list[tuple[str, str]]:
    return list(journey.transitions)


# -- a new journey ---------------------------------------------------------------------------
def test_new_journey_has_the_documented_defaults() -> None:
    journey = Journey(id="j")
    assert journey.discount_rate == DEFAULT_DISCOUNT_RATE == 0.01
    assert journey.horizon == DEFAULT_HORIZON == 24
    assert journey.conversions is None
    assert journey.touchpoints == {} and journey.transitions == {}


def test_journey_fields_are_the_plain_settings_of_a_journey() -> None:
    journey = Journey(id="j")
    assert set(JOURNEY_FIELDS) == {"name", "discount_rate", "horizon", "conversions", "plan",
                                   "variants"}
    assert all(hasattr(journey, name) for name in JOURNEY_FIELDS)


def test_a_transition_is_known_by_its_two_ends() -> None:
    key: TransitionKey = ("a", "b")
    assert Transition("a", "b", 0.5).key == key


def test_new_touchpoint_has_model_defaults() -> None:
    tp = Touchpoint("x")
    assert (tp.satisfaction, tp.visibility, tp.value, tp.impact) == (0.0, 0.0, 0.0, 1.0)
    assert (tp.entry, tp.referral_entry, tp.conversion) == (0.0, 0.0, False)
    assert tp.stage is None and tp.channel is None


# -- touchpoints -----------------------------------------------------------------------------
def test_add_touchpoint_appends_in_order() -> None:
    journey = sample()
    journey.add_touchpoint(Touchpoint("d", "Delivery"))
    assert list(journey.touchpoints) == ["a", "b", "c", "d"]
    assert journey.touchpoint("d").name == "Delivery"


def test_add_touchpoint_at_an_index() -> None:
    journey = sample()
    journey.add_touchpoint(Touchpoint("d"), index=1)
    assert list(journey.touchpoints) == ["a", "d", "b", "c"]


def test_adding_a_duplicate_touchpoint_raises_and_changes_nothing() -> None:
    journey = sample()
    with pytest.raises(ValueError, match="'b' already exists"):
        journey.add_touchpoint(Touchpoint("b", "Another browse"))
    assert journey.touchpoint("b").name == "Browse"
    assert list(journey.touchpoints) == ["a", "b", "c"]


def test_new_touchpoint_id_is_free() -> None:
    journey = sample()
    assert journey.new_touchpoint_id("d") == "d"
    assert journey.new_touchpoint_id("a") == "a-2"
    journey.add_touchpoint(Touchpoint(journey.new_touchpoint_id("a")))
    fresh = journey.new_touchpoint_id("a")
    assert fresh == "a-3"
    assert fresh not in journey.touchpoints
    journey.add_touchpoint(Touchpoint(fresh))  # does not raise
    assert journey.new_touchpoint_id() == "touchpoint"


def test_new_ids_for_stages_and_channels_are_free() -> None:
    journey = sample()
    assert journey.new_stage_id("aware") == "aware-2"
    assert journey.new_channel_id("web") == "web-2"
    assert journey.new_stage_id("care") == "care"


def test_update_touchpoint_returns_the_old_one_and_undo_puts_it_back() -> None:
    journey = sample()
    before = journey.touchpoint("b")
    # edit
    old = journey.update_touchpoint("b", satisfaction=-0.5, name="Slow browse")
    assert old == before
    assert journey.touchpoint("b").satisfaction == -0.5
    assert journey.touchpoint("b").name == "Slow browse"
    assert journey.touchpoint("b").channel == "web"  # untouched fields stay
    # undo
    redone = journey.replace_touchpoint(old)
    assert journey.touchpoint("b") == before
    # redo
    journey.replace_touchpoint(redone)
    assert journey.touchpoint("b").satisfaction == -0.5
    assert list(journey.touchpoints) == ["a", "b", "c"]


def test_update_touchpoint_cannot_change_the_id() -> None:
    journey = sample()
    with pytest.raises(ValueError):
        journey.update_touchpoint("b", id="z")
    assert list(journey.touchpoints) == ["a", "b", "c"]


def test_update_unknown_touchpoint_raises() -> None:
    with pytest.raises(KeyError):
        sample().update_touchpoint("nope", satisfaction=1.0)


def test_remove_touchpoint_removes_its_transitions_and_restore_brings_all_back() -> None:
    journey = sample()
    touchpoints_before = dict(journey.touchpoints)
    transitions_before = transition_keys(journey)
    # edit
    removed = journey.remove_touchpoint("b")
    assert list(journey.touchpoints) == ["a", "c"]
    assert transition_keys(journey) == [("a", "c"), ("c", "a")]
    assert removed.touchpoint == touchpoints_before["b"]
    assert {t.key for _, t in removed.transitions} == {("a", "b"), ("b", "c"), ("b", "b")}
    # undo
    journey.restore_touchpoint(removed)
    assert list(journey.touchpoints) == ["a", "b", "c"]
    assert journey.touchpoints == touchpoints_before
    assert transition_keys(journey) == transitions_before
    assert journey.transition("b", "c").probability == 0.3
    # redo
    again = journey.remove_touchpoint("b")
    assert again == removed
    assert transition_keys(journey) == [("a", "c"), ("c", "a")]


def test_remove_first_and_last_touchpoints_restore_in_place() -> None:
    for touchpoint_id in ("a", "c"):
        journey = sample()
        before_tps, before_trs = list(journey.touchpoints), transition_keys(journey)
        removed = journey.remove_touchpoint(touchpoint_id)
        assert touchpoint_id not in journey.touchpoints
        assert all(touchpoint_id not in key for key in journey.transitions)
        journey.restore_touchpoint(removed)
        assert list(journey.touchpoints) == before_tps
        assert transition_keys(journey) == before_trs


def test_remove_unknown_touchpoint_raises() -> None:
    journey = sample()
    with pytest.raises((KeyError, ValueError)):
        journey.remove_touchpoint("nope")
    assert list(journey.touchpoints) == ["a", "b", "c"]


# -- transitions -----------------------------------------------------------------------------
def test_add_transition_and_queries() -> None:
    journey = sample()
    journey.add_transition(Transition("c", "b", 0.25, "returns"))
    assert journey.transition("c", "b").label == "returns"
    assert {t.target for t in journey.outgoing("c")} == {"a", "b"}
    assert {t.source for t in journey.incoming("b")} == {"a", "c", "b"}
    assert journey.out_probability("c") == pytest.approx(0.35)


def test_add_transition_at_an_index() -> None:
    journey = sample()
    journey.add_transition(Transition("c", "b", 0.1), index=0)
    assert transition_keys(journey)[0] == ("c", "b")
    assert len(journey.transitions) == 6


def test_duplicate_transition_raises_and_keeps_the_first() -> None:
    journey = sample()
    with pytest.raises(ValueError, match="already exists"):
        journey.add_transition(Transition("a", "b", 0.1))
    assert journey.transition("a", "b").probability == 0.5


@pytest.mark.parametrize(("source", "target"), [("x", "a"), ("a", "x")])
def test_transition_to_or_from_an_unknown_touchpoint_raises(source: str, target: str) -> None:
    journey = sample()
    with pytest.raises(KeyError):
        journey.add_transition(Transition(source, target, 0.1))
    assert len(journey.transitions) == 5


def test_update_transition_returns_the_old_one_for_undo() -> None:
    journey = sample()
    before = journey.transition("a", "b")
    # edit
    old = journey.update_transition("a", "b", probability=0.7, label="clicks")
    assert old == before
    assert journey.transition("a", "b").probability == 0.7
    assert journey.transition("a", "b").label == "clicks"
    # undo
    redo = journey.update_transition("a", "b", probability=old.probability, label=old.label)
    assert journey.transition("a", "b") == before
    # redo
    journey.update_transition("a", "b", probability=redo.probability, label=redo.label)
    assert journey.transition("a", "b").probability == 0.7
    assert transition_keys(journey)[0] == ("a", "b")  # position kept


def test_update_transition_cannot_move_its_ends() -> None:
    journey = sample()
    # The ends are the method's own parameters, so Python refuses them as changes.
    with pytest.raises((TypeError, ValueError)):
        journey.update_transition("a", "b", target="c")
    assert journey.transition("a", "b").probability == 0.5
    assert journey.transition("a", "c").probability == 0.2


def test_remove_transition_and_put_it_back_in_place() -> None:
    journey = sample()
    before = transition_keys(journey)
    # edit
    index, removed = journey.remove_transition("b", "c")
    assert (index, removed) == (1, Transition("b", "c", 0.3))
    assert ("b", "c") not in journey.transitions
    assert journey.out_probability("b") == pytest.approx(0.4)
    # undo
    journey.add_transition(removed, index)
    assert transition_keys(journey) == before
    # redo
    assert journey.remove_transition("b", "c") == (index, removed)
    assert ("b", "c") not in journey.transitions


def test_remaining_probability() -> None:
    journey = sample()
    assert journey.remaining_probability("a") == pytest.approx(0.3)  # 1 - (0.5 + 0.2)
    assert journey.remaining_probability("b") == pytest.approx(0.3)  # 1 - (0.3 + 0.4)
    assert journey.remaining_probability("c") == pytest.approx(0.9)
    journey.add_touchpoint(Touchpoint("d"))
    assert journey.remaining_probability("d") == 1.0
    journey.update_transition("a", "b", probability=0.8)  # a now sums to 1.0
    assert journey.remaining_probability("a") == pytest.approx(0.0)
    journey.update_transition("a", "b", probability=0.9)  # over 100%: nothing left, not < 0
    assert journey.remaining_probability("a") == 0.0


# -- stages and channels ---------------------------------------------------------------------
def test_duplicate_stage_and_channel_raise() -> None:
    journey = sample()
    with pytest.raises(ValueError):
        journey.add_stage(Stage("aware"))
    with pytest.raises(ValueError):
        journey.add_channel(Channel("web"))
    assert [s.id for s in journey.stages] == ["aware", "buy"]
    assert [c.id for c in journey.channels] == ["web", "store"]


def test_update_stage_and_channel_return_the_old_one() -> None:
    journey = sample()
    assert journey.update_stage("aware", name="Discover") == Stage("aware", "Awareness")
    assert journey.stage("aware").name == "Discover"
    assert journey.update_channel("web", name="Web shop") == Channel("web", "Website")
    assert journey.channel("web").name == "Web shop"
    with pytest.raises(ValueError):
        journey.update_stage("aware", id="other")
    with pytest.raises(ValueError):
        journey.update_channel("web", id="other")


def test_remove_stage_leaves_its_touchpoints_with_no_stage_and_undo_restores() -> None:
    journey = sample()
    before = dict(journey.touchpoints)
    # edit
    removed = journey.remove_stage("aware")
    index, stage, moved = removed.index, removed.item, removed.touchpoints
    assert (index, stage) == (0, Stage("aware", "Awareness"))
    assert [t.id for t in moved] == ["a", "b"]
    assert moved == [before["a"], before["b"]]  # the old touchpoints, with their stage
    assert [s.id for s in journey.stages] == ["buy"]
    assert list(journey.touchpoints) == ["a", "b", "c"]  # no touchpoint is lost
    assert journey.touchpoint("a").stage is None and journey.touchpoint("b").stage is None
    assert journey.touchpoint("c").stage == "buy"
    with pytest.raises(KeyError):
        journey.stage("aware")
    # undo
    journey.restore_in("stages", removed)
    assert [s.id for s in journey.stages] == ["aware", "buy"]
    assert journey.touchpoints == before
    # redo
    assert journey.remove_stage("aware") == removed
    assert journey.touchpoint("a").stage is None


def test_remove_channel_leaves_its_touchpoints_with_no_channel_and_undo_restores() -> None:
    journey = sample()
    before = dict(journey.touchpoints)
    removed = journey.remove_channel("store")
    assert (removed.index, removed.item) == (1, Channel("store", "Store"))
    assert removed.touchpoints == [before["c"]]
    assert journey.touchpoint("c").channel is None
    assert journey.touchpoint("a").channel == "web"
    assert len(journey.touchpoints) == 3
    journey.restore_in("channels", removed)
    assert [c.id for c in journey.channels] == ["web", "store"]
    assert journey.touchpoints == before


def test_move_stage_returns_the_old_index() -> None:
    journey = sample()
    assert journey.move_stage("buy", 0) == 1
    assert [s.id for s in journey.stages] == ["buy", "aware"]
    journey.move_stage("buy", 1)
    assert [s.id for s in journey.stages] == ["aware", "buy"]


def test_removing_an_unknown_stage_or_channel_raises() -> None:
    journey = sample()
    with pytest.raises(KeyError):
        journey.remove_stage("nope")
    with pytest.raises(KeyError):
        journey.remove_channel("nope")


@pytest.mark.parametrize("which", NAMED_LISTS)
def test_stages_and_channels_share_one_set_of_edits(which: NamedList) -> None:
    journey = sample()
    kind = Stage if which == "stages" else Channel
    field = SINGULAR[which]
    ids = [item.id for item in journey.items_in(which)]
    new_id = journey.new_id_in(which, ids[0])
    assert new_id == f"{ids[0]}-2"
    journey.add_to(which, kind(new_id, "New"), 0)
    assert [item.id for item in journey.items_in(which)] == [new_id, *ids]
    old = journey.update_in(which, new_id, name="Renamed")
    assert old == kind(new_id, "New")
    assert journey.find_in(which, new_id) == kind(new_id, "Renamed")
    assert journey.replace_in(which, old) == kind(new_id, "Renamed")
    assert journey.find_in(which, new_id) == old
    assert journey.move_in(which, new_id, 2) == 0
    assert [item.id for item in journey.items_in(which)] == [ids[0], ids[1], new_id]
    with_it = [t.id for t in journey.touchpoints.values() if getattr(t, field) == ids[0]]
    removed = journey.remove_from(which, ids[0])
    assert (removed.index, removed.item) == (0, kind(ids[0], removed.item.name))
    assert [t.id for t in removed.touchpoints] == with_it
    assert all(getattr(journey.touchpoint(t), field) is None for t in with_it)


def test_a_stage_never_goes_into_the_channels() -> None:
    journey = sample()
    with pytest.raises(TypeError):
        journey.add_to("channels", Stage("aware-2"))
    with pytest.raises(TypeError):
        journey.replace_in("stages", Channel("aware"))
    with pytest.raises(ValueError):
        journey.items_in("lanes")  # type: ignore[arg-type]
    with pytest.raises(KeyError):
        journey.find_in("channels", "aware")


def test_a_copy_is_independent_of_its_original() -> None:
    journey = Journey(id="j", name="J", stages=[Stage("s", "S")])
    journey.add_touchpoint(Touchpoint("a", stage="s", entry=1.0))
    journey.add_touchpoint(Touchpoint("b"))
    journey.add_transition(Transition("a", "b", 0.5))
    twin = journey.copy()
    assert twin == journey and twin is not journey
    twin.update_touchpoint("a", satisfaction=0.9)
    twin.remove_transition("a", "b")
    twin.add_stage(Stage("t", "T"))
    assert journey.touchpoint("a").satisfaction == 0.0
    assert ("a", "b") in journey.transitions
    assert [s.id for s in journey.stages] == ["s"]


# -- a drawn touchpoint's first name -------------------------------------------------------------
def test_renaming_an_id_keeps_every_order_and_moves_its_transitions() -> None:
    journey = sample()
    touchpoints, transitions = list(journey.touchpoints), list(journey.transitions)
    journey.rename_touchpoint("b", "browses")
    assert list(journey.touchpoints) == ["a", "browses", "c"]
    assert journey.touchpoint("browses").id == "browses"
    renamed = [tuple("browses" if end == "b" else end for end in key) for key in transitions]
    assert list(journey.transitions) == renamed
    assert all(t.key == key for key, t in journey.transitions.items())
    journey.rename_touchpoint("browses", "b")
    assert (list(journey.touchpoints), list(journey.transitions)) == (touchpoints, transitions)
    with pytest.raises(ValueError, match="already exists"):
        journey.rename_touchpoint("a", "c")


def test_only_a_touchpoint_still_called_as_drawn_awaits_its_first_name() -> None:
    assert awaits_first_name(Touchpoint("new-touchpoint", NEW_TOUCHPOINT_NAME))
    assert awaits_first_name(Touchpoint("new-touchpoint-3", f"{NEW_TOUCHPOINT_NAME} 3"))
    assert not awaits_first_name(Touchpoint("new-touchpoint", "Sees a post"))
    assert not awaits_first_name(Touchpoint("ad", NEW_TOUCHPOINT_NAME))
    assert slug("Calls the helpline!", "touchpoint") == "calls-the-helpline"
    assert slug("???", "touchpoint") == "touchpoint"

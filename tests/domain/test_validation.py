"""Problems the user sees in the Problems dock and on the command line."""

from __future__ import annotations

import pytest

from cx_mapper.domain.journey import Channel, Journey, Stage, Touchpoint, Transition
from cx_mapper.domain.project import ALL_CONSUMERS, SOCIAL_MEDIA_USERS, Project, Segment
from cx_mapper.domain.validation import (
    Problem,
    Severity,
    closed_loops,
    has_errors,
    validate_journey,
    validate_project,
)


def journey(*touchpoints: Touchpoint, transitions: tuple[Transition, ...] = (),
            discount_rate: float = 0.01) -> Journey:
    result = Journey(id="current", name="Current state", discount_rate=discount_rate)
    for tp in touchpoints:
        result.add_touchpoint(tp)
    for tr in transitions:
        result.add_transition(tr)
    return result


def chain() -> Journey:
    """A clean journey: ad -> site -> buy (a conversion); no problems at all."""
    return journey(
        Touchpoint("ad", entry=1.0, satisfaction=0.2),
        Touchpoint("site", satisfaction=0.5),
        Touchpoint("buy", conversion=True, satisfaction=0.8),
        transitions=(Transition("ad", "site", 0.4), Transition("site", "buy", 0.3)),
    )


def loop(discount_rate: float = 0.0, **b_changes: object) -> Journey:
    """entry -> a <-> b, where a and b keep every customer (a closed loop)."""
    result = journey(
        Touchpoint("start", entry=1.0),
        Touchpoint("a"),
        Touchpoint("b", **b_changes),  # type: ignore[arg-type]
        transitions=(Transition("start", "a", 0.5), Transition("a", "b", 1.0),
                     Transition("b", "a", 1.0)),
        discount_rate=discount_rate,
    )
    return result


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.WARNING]


def find(problems: list[Problem], element_id: str | None, field: str | None) -> Problem:
    matches = [p for p in problems if p.element_id == element_id and p.field == field]
    assert matches, f"no problem on {element_id}/{field} in {[str(p) for p in problems]}"
    return matches[0]


def test_a_clean_journey_has_no_problems() -> None:
    assert validate_journey(chain(), [ALL_CONSUMERS]) == []
    assert validate_project(Project(journeys=[chain()])) == []


# -- out-probabilities -------------------------------------------------------------------------
def test_out_probabilities_above_100_percent_are_an_error() -> None:
    j = chain()
    j.add_transition(Transition("ad", "buy", 0.8))  # ad: 0.4 + 0.8 = 120%
    problems = validate_journey(j)
    problem = find(problems, "ad", "probability")
    assert problem.is_error and problem.element == "touchpoint"
    assert "120%" in problem.message
    assert has_errors(problems)
    text = str(problem)
    assert "'current'" in text and "touchpoint 'ad'" in text and "'probability'" in text


def test_out_probabilities_of_exactly_100_percent_are_fine() -> None:
    j = chain()
    j.add_transition(Transition("ad", "buy", 0.6))
    assert errors(validate_journey(j)) == []


def test_out_probabilities_within_rounding_are_fine() -> None:
    j = chain()
    j.add_transition(Transition("ad", "buy", 0.6 + 1e-12))
    assert errors(validate_journey(j)) == []


def test_out_probabilities_just_above_100_percent_say_by_how_much() -> None:
    """A sum of 100.4% must not read "sum to 100%, above 100%. Lower them by 0%"."""
    j = chain()
    j.add_transition(Transition("ad", "buy", 0.604))  # 0.4 + 0.604 = 1.004
    problem = find(validate_journey(j), "ad", "probability")
    assert problem.is_error
    assert "sum to 100%" not in problem.message
    assert "by 0%" not in problem.message


# -- entry --------------------------------------------------------------------------------------
def test_no_entry_is_an_error() -> None:
    j = chain()
    j.update_touchpoint("ad", entry=0.0)
    problem = find(validate_journey(j), "current", "entry")
    assert problem.is_error
    assert "entry" in problem.message.lower()


def test_referral_entry_alone_is_not_an_entry() -> None:
    j = chain()
    j.update_touchpoint("ad", entry=0.0, referral_entry=1.0)
    assert find(validate_journey(j), "current", "entry").is_error


def test_an_empty_journey_is_an_error() -> None:
    problems = validate_journey(Journey("empty"))
    assert has_errors(problems)
    assert "no touchpoints" in str(problems[0])


# -- closed loops ---------------------------------------------------------------------------------
def test_closed_loop_with_no_discount_is_an_error_naming_the_loop() -> None:
    problems = validate_journey(loop(), [ALL_CONSUMERS])
    loop_errors = [p for p in errors(problems) if "loop" in p.message.lower()]
    assert len(loop_errors) == 1
    message = str(loop_errors[0])
    assert "'a'" in message or " a " in message
    assert "a → b → a" in message
    assert "start" not in loop_errors[0].message  # only the loop's touchpoints
    assert "discount" in message and "exit" in message  # says how to fix it
    assert closed_loops(loop(), [ALL_CONSUMERS]) == [["a", "b"]]


def test_closed_loop_with_a_discount_is_not_an_error() -> None:
    assert errors(validate_journey(loop(discount_rate=0.01), [ALL_CONSUMERS])) == []


def test_loop_with_an_exit_probability_is_not_an_error() -> None:
    j = loop()
    j.update_transition("b", "a", probability=0.99)
    assert errors(validate_journey(j, [ALL_CONSUMERS])) == []
    assert closed_loops(j, [ALL_CONSUMERS]) == []


def test_loop_with_a_transition_out_is_not_an_error() -> None:
    j = loop()
    j.update_transition("b", "a", probability=0.9)
    j.add_touchpoint(Touchpoint("out", conversion=True))
    j.add_transition(Transition("b", "out", 0.1))
    assert errors(validate_journey(j, [ALL_CONSUMERS])) == []


def test_self_loop_of_100_percent_with_no_discount_is_an_error() -> None:
    j = journey(Touchpoint("a", entry=1.0), transitions=(Transition("a", "a", 1.0),),
                discount_rate=0.0)
    assert any("loop" in p.message.lower() for p in errors(validate_journey(j)))


def test_loop_with_poor_satisfaction_leaks_when_every_segment_abandons() -> None:
    j = loop(satisfaction=-0.5)
    assert errors(validate_journey(j, [ALL_CONSUMERS, SOCIAL_MEDIA_USERS])) == []


def test_loop_with_poor_satisfaction_is_closed_when_one_segment_never_abandons() -> None:
    j = loop(satisfaction=-0.5)
    stayers = Segment("stayers", abandon_on_poor=0.0)
    assert has_errors(validate_journey(j, [ALL_CONSUMERS, stayers]))


def test_loop_with_good_satisfaction_is_still_closed() -> None:
    j = loop(satisfaction=0.5)
    assert has_errors(validate_journey(j, [ALL_CONSUMERS]))


# -- values out of range ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("satisfaction", 1.5),
        ("satisfaction", -1.01),
        ("visibility", -0.1),
        ("visibility", 1.2),
        ("impact", 1.5),
        ("impact", -0.5),
        ("entry", -1.0),
        ("referral_entry", -0.2),
        ("value", float("nan")),
        ("value", float("inf")),
        ("satisfaction", float("nan")),
    ],
)
def test_touchpoint_values_out_of_range_are_errors(field: str, value: float) -> None:
    j = chain()
    j.update_touchpoint("site", **{field: value})
    problem = find(validate_journey(j), "site", field)
    assert problem.is_error and problem.element == "touchpoint"
    assert f"field '{field}'" in str(problem)


def test_transition_probability_out_of_range_is_an_error() -> None:
    j = chain()
    j.update_transition("ad", "site", probability=-0.2)
    problem = find(validate_journey(j), "ad -> site", "probability")
    assert problem.is_error and problem.element == "transition"
    assert "transition 'ad -> site'" in str(problem)


@pytest.mark.parametrize(("field", "value"),
                         [("discount_rate", -0.1), ("horizon", -1), ("conversions", -5.0)])
def test_journey_values_out_of_range_are_errors(field: str, value: float) -> None:
    j = chain()
    setattr(j, field, value)
    problem = find(validate_journey(j), "current", field)
    assert problem.is_error


@pytest.mark.parametrize(("field", "value"),
                         [("memory", 1.5), ("trust_public", -0.1), ("initial_loyalty", 2.0),
                          ("tell_negative", -1.0), ("abandon_on_poor", 1.1)])
def test_segment_values_out_of_range_are_errors(field: str, value: float) -> None:
    project = Project(segments=[Segment("all", **{field: value})])  # type: ignore[arg-type]
    problem = find(validate_project(project), "all", field)
    assert problem.is_error and problem.element == "segment"
    assert f"segment 'all', field '{field}'" in str(problem)


# -- references ---------------------------------------------------------------------------------
def test_unknown_stage_and_channel_are_errors() -> None:
    j = chain()
    j.add_stage(Stage("aware"))
    j.add_channel(Channel("web"))
    j.update_touchpoint("ad", stage="aware", channel="web")
    assert validate_journey(j) == []
    j.update_touchpoint("site", stage="gone", channel="nowhere")
    problems = validate_journey(j)
    stage = find(problems, "site", "stage")
    channel = find(problems, "site", "channel")
    assert stage.is_error and "'gone'" in stage.message
    assert channel.is_error and "'nowhere'" in channel.message


def test_removing_a_stage_clears_the_reference_so_no_error_follows() -> None:
    j = chain()
    j.add_stage(Stage("aware"))
    j.update_touchpoint("ad", stage="aware")
    j.remove_stage("aware")
    assert errors(validate_journey(j)) == []


# -- structure warnings -------------------------------------------------------------------------
def test_unreachable_touchpoint_is_a_warning() -> None:
    j = chain()
    j.add_touchpoint(Touchpoint("help"))
    j.add_transition(Transition("help", "buy", 0.5))
    problem = find(validate_journey(j), "help", "entry")
    assert problem.severity is Severity.WARNING
    assert "unreachable" in problem.message.lower()
    assert not has_errors(validate_journey(j))


def test_isolated_touchpoint_is_a_warning() -> None:
    j = chain()
    j.add_touchpoint(Touchpoint("lonely"))
    problem = find(validate_journey(j), "lonely", None)
    assert problem.severity is Severity.WARNING
    assert "isolated" in problem.message.lower()
    assert "touchpoint 'lonely'" in str(problem)


def test_dead_end_is_a_warning_but_a_conversion_is_not() -> None:
    j = chain()
    assert warnings(validate_journey(j)) == []  # "buy" ends the journey but is a conversion
    j.update_touchpoint("buy", conversion=False)
    problem = find(validate_journey(j), "buy", "probability")
    assert problem.severity is Severity.WARNING
    assert "dead end" in problem.message.lower()
    assert [p.element_id for p in warnings(validate_journey(j))] == ["buy"]


def test_referral_entry_counts_as_a_start_for_reachability() -> None:
    j = chain()
    j.add_touchpoint(Touchpoint("friend", referral_entry=1.0))
    j.add_transition(Transition("friend", "site", 0.5))
    assert validate_journey(j) == []


def test_conversions_without_a_conversion_touchpoint_is_a_warning() -> None:
    j = chain()
    j.conversions = 120.0
    assert validate_journey(j) == []
    j.update_touchpoint("buy", conversion=False)
    problem = find(validate_journey(j), "current", "conversions")
    assert problem.severity is Severity.WARNING


# -- segments -----------------------------------------------------------------------------------
def test_segment_shares_that_do_not_sum_to_one_are_a_warning() -> None:
    project = Project(segments=[Segment("a", share=2.0), Segment("b", share=1.0)],
                      journeys=[chain()])
    problems = validate_project(project)
    (problem,) = problems
    assert problem.severity is Severity.WARNING
    assert problem.element == "segment" and problem.field == "share"
    assert "3" in problem.message


def test_segment_shares_summing_to_one_are_fine() -> None:
    project = Project(segments=[Segment("a", share=0.8), Segment("b", share=0.2)],
                      journeys=[chain()])
    assert validate_project(project) == []


def test_a_zero_share_is_an_error() -> None:
    project = Project(segments=[Segment("a", share=1.0), Segment("b", share=0.0)])
    problem = find(validate_project(project), "b", "share")
    assert problem.is_error


def test_a_project_with_no_segment_is_an_error() -> None:
    assert has_errors(validate_project(Project(segments=[])))


def test_validate_project_covers_every_journey() -> None:
    bad = chain()
    bad.id = "future"
    bad.update_touchpoint("ad", entry=0.0)
    problems = validate_project(Project(journeys=[chain(), bad]))
    assert [p.journey for p in problems if p.is_error] == ["future"]


# -- messages -----------------------------------------------------------------------------------
def test_str_names_the_journey_element_and_field() -> None:
    j = chain()
    j.update_touchpoint("site", visibility=3.0)
    problem = find(validate_journey(j), "site", "visibility")
    assert str(problem).startswith(
        "journey 'current', touchpoint 'site', field 'visibility': ")
    assert str(problem).endswith(problem.message)
    assert "3" in problem.message and "between 0 and 1" in problem.message


def test_str_of_a_journey_level_problem_names_the_journey_once() -> None:
    j = chain()
    j.discount_rate = -1.0
    text = str(find(validate_journey(j), "current", "discount_rate"))
    assert text.startswith("journey 'current', field 'discount_rate': ")
    assert text.count("current") == 1


# -- large journeys -----------------------------------------------------------------------------
def test_a_chain_of_5000_touchpoints_validates_without_recursion_error() -> None:
    n = 5000
    j = Journey("long", discount_rate=0.0)
    for i in range(n):
        j.add_touchpoint(Touchpoint(f"t{i}", entry=1.0 if i == 0 else 0.0,
                                    conversion=i == n - 1))
    for i in range(n - 1):
        j.add_transition(Transition(f"t{i}", f"t{i + 1}", 1.0))
    assert validate_journey(j, [ALL_CONSUMERS]) == []
    # Close it into one big loop: the error names it, still without recursion trouble.
    j.add_transition(Transition(f"t{n - 1}", "t0", 1.0))
    loops = closed_loops(j, [ALL_CONSUMERS])
    assert len(loops) == 1 and len(loops[0]) == n
    assert has_errors(validate_journey(j, [ALL_CONSUMERS]))


def test_described_names_the_journey_element_and_field_as_the_user_sees_them() -> None:
    j = chain()
    j.update_touchpoint("site", name="Visits the site", visibility=3.0)
    problem = find(validate_journey(j), "site", "visibility")
    text = problem.described(Project(journeys=[j]))
    assert text.startswith(
        "journey 'Current state', touchpoint 'Visits the site', field 'visibility': ")
    assert "'site'" not in text and "'current'" not in text


def test_a_closed_loop_is_named_by_its_touchpoints_names() -> None:
    j = loop()
    j.update_touchpoint("a", name="Asks")
    j.update_touchpoint("b", name="Answers")
    (problem,) = [p for p in errors(validate_journey(j)) if p.code == "closed_loop"]
    assert "Asks → Answers → Asks" in problem.message


def test_a_journey_as_read_is_checked_only_for_what_a_file_may_hold() -> None:
    """read_checked skips the field checks the strict reader has made: a journey built
    in code with a bad field is caught without it, and its missing entry either way."""
    journey = Journey("j", stages=[Stage("s")], touchpoints={
        "a": Touchpoint("a", stage="nowhere", satisfaction=3.0)})
    full = {(p.element_id, p.field) for p in validate_journey(journey, errors_only=True)}
    read = {(p.element_id, p.field)
            for p in validate_journey(journey, errors_only=True, read_checked=True)}
    assert full == {("a", "stage"), ("a", "satisfaction"), ("j", "entry")}
    assert read == {("j", "entry")}

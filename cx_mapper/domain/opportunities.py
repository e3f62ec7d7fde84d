"""Opportunities: what the team could do to the journey, what it costs, and who owns it
(MODEL.md §12, PRODUCT.md "From 'fix first' to a funded plan").

An opportunity is a patch: new values for some touchpoint fields, new or changed
transition probabilities, removed transitions and added touchpoints. Applying a
bundle of them, in the journey's list order, gives the future journey the engine
analyses exactly (bundles.py).

Like every element, an opportunity is frozen: an edit replaces it and hands back the
old one. Its change maps are never mutated in place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, get_args

from cx_mapper.domain.elements import Touchpoint, Transition, TransitionKey
from cx_mapper.domain.ids import unique_id
from cx_mapper.domain.quoting import quoted
from cx_mapper.domain.ranges import (
    TOUCHPOINT_RANGES,
    TRANSITION_RANGES,
    Range,
    range_words,
    within,
)

OpportunityStatus = Literal["idea", "planned", "in_progress", "done"]
#: Each status in the user's words, in the order work goes.
OPPORTUNITY_STATUSES: dict[OpportunityStatus, str] = {
    "idea": "Idea",
    "planned": "Planned",
    "in_progress": "In progress",
    "done": "Done",
}
assert tuple(OPPORTUNITY_STATUSES) == get_args(OpportunityStatus)

#: The touchpoint fields an opportunity may change (MODEL.md §12), in the order the
#: before -> after table lists them.
CHANGEABLE_FIELDS: tuple[str, ...] = ("satisfaction", "visibility", "value", "impact", "entry")
#: A cost, in the project's unit: a trillion is past any budget, and sums of a few
#: hundred costs stay exact to the cent in a float.
COST_RANGE: Range = (0.0, 1e12)
#: Characters of the project's cost unit: a currency sign or a word ("points").
COST_UNIT_LIMIT = 20
#: Characters of the texts: a title is a line, a description a page.
OPPORTUNITY_TEXT_LIMITS: dict[str, int] = {"title": 200, "description": 5000, "owner": 200}


@dataclass(frozen=True, slots=True)
class Changes:
    """What an opportunity does to the journey; applied in this order: touchpoints
    added, touchpoint fields set, transitions removed, transition probabilities set
    (a transition that is not there yet is added)."""

    touchpoints: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    transitions: tuple[Transition, ...] = ()
    remove_transitions: tuple[TransitionKey, ...] = ()
    add_touchpoints: tuple[Touchpoint, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.touchpoints or self.transitions or self.remove_transitions
                    or self.add_touchpoints)

    def settings(self) -> set[tuple[str, ...]]:
        """What it sets, one key per field or transition: two opportunities that share
        one cannot both be funded."""
        keys: set[tuple[str, ...]] = {("touchpoint", tp.id) for tp in self.add_touchpoints}
        keys |= {("field", tid, name) for tid, values in self.touchpoints.items()
                 for name in values}
        keys |= {("transition", *key) for key in self.remove_transitions}
        keys |= {("transition", *t.key) for t in self.transitions}
        return keys

    def touchpoint_ids(self) -> set[str]:
        """Every touchpoint the changes name."""
        named = set(self.touchpoints) | {tp.id for tp in self.add_touchpoints}
        for source, target in (*self.remove_transitions, *(t.key for t in self.transitions)):
            named |= {source, target}
        return named


@dataclass(frozen=True, slots=True)
class Opportunity:
    """Something the team could do: a fix, its cost and owner, and what it changes."""

    id: str
    title: str = ""
    description: str = ""
    owner: str = ""
    status: OpportunityStatus = "idea"
    cost: float = 0.0
    touchpoints: tuple[str, ...] = ()  # the touchpoints it is about, by id
    changes: Changes = Changes()


#: The totals a plan may weigh in its objective: every total `analyze` reports, in the
#: engine's units (the loyalty index from -1 to 1). The engine's KPIs (engine/kpis.py)
#: are checked against this list in its tests.
PLAN_KPIS: tuple[str, ...] = (
    "interactions", "loyalty_index", "value", "exposure_positive", "exposure_negative",
    "exposure_net", "exposure_private", "exposure_public", "referral_r", "deterred",
    "conversion_probability",
)
#: Weights of an objective: a weight of a million is past any trade-off between KPIs.
WEIGHT_RANGE: Range = (-1e6, 1e6)


@dataclass(frozen=True, slots=True)
class PlanSettings:
    """The plan the user last asked for: a budget, in the project's cost unit, and the
    objective, a weight per KPI (one KPI at weight 1 is that KPI alone). Kept with the
    journey so the plan view, the summary and the command line show the same plan."""

    budget: float
    objective: Mapping[str, float] = field(default_factory=lambda: {"value": 1.0})


def plan_problems(settings: PlanSettings) -> list[tuple[str, str]]:
    """What is wrong with plan settings, as (field, message); the files refuse these."""
    problems: list[tuple[str, str]] = []
    if not within(settings.budget, COST_RANGE):
        problems.append(("budget", f"Must be {range_words(*COST_RANGE)}, got "
                                   f"{settings.budget:g}."))
    if not settings.objective:
        problems.append(("objective", "Needs at least one KPI with a weight."))
    for name, weight in settings.objective.items():
        if name not in PLAN_KPIS:
            problems.append(("objective", f"'{quoted(name)}' is no KPI; use one of "
                                          f"{', '.join(PLAN_KPIS)}."))
        elif not within(weight, WEIGHT_RANGE):
            problems.append(("objective", f"The weight of {name} must be "
                                          f"{range_words(*WEIGHT_RANGE)}, got {weight:g}."))
    return problems


OPPORTUNITY_FIELDS: tuple[str, ...] = ("title", "description", "owner", "status", "cost",
                                       "touchpoints", "changes")


def opportunity_problems(opportunity: Opportunity,
                         touchpoint_ids: Iterable[str]) -> list[tuple[str, str]]:
    """What is wrong with an opportunity on its own, as (field, message): its status,
    cost, texts, links and changes, against the journey's touchpoint ids. The files
    refuse these; the edits never make them."""
    problems: list[tuple[str, str]] = []
    add = problems.append
    if opportunity.status not in OPPORTUNITY_STATUSES:
        add(("status", f"'{quoted(str(opportunity.status))}' is no status; use one of "
                       f"{', '.join(OPPORTUNITY_STATUSES)}."))
    if not within(opportunity.cost, COST_RANGE):
        add(("cost", f"Must be {range_words(*COST_RANGE)}, got {opportunity.cost:g}."))
    for name, limit in OPPORTUNITY_TEXT_LIMITS.items():
        text: str = getattr(opportunity, name)
        if len(text) > limit:
            add((name, f"Is {len(text):,} characters long; at most {limit:,} fit."))
    changes = opportunity.changes
    known = set(touchpoint_ids) | {tp.id for tp in changes.add_touchpoints}
    for touchpoint_id in opportunity.touchpoints:
        if touchpoint_id not in known:
            add(("touchpoints", f"There is no touchpoint '{quoted(touchpoint_id)}'."))
    if len(set(opportunity.touchpoints)) < len(opportunity.touchpoints):
        add(("touchpoints", "Names a touchpoint twice."))
    for touchpoint_id, values in changes.touchpoints.items():
        if touchpoint_id not in known:
            add(("changes", f"Changes touchpoint '{quoted(touchpoint_id)}', which is not in "
                            "the journey."))
        for name, value in values.items():
            if name not in CHANGEABLE_FIELDS:
                add(("changes", f"Cannot change '{quoted(name)}' of touchpoint "
                                f"'{quoted(touchpoint_id)}'; it can change "
                                f"{', '.join(CHANGEABLE_FIELDS)}."))
            elif not within(value, TOUCHPOINT_RANGES[name]):
                add(("changes", f"Sets {name} of '{quoted(touchpoint_id)}' to {value:g}; it "
                                f"must be {range_words(*TOUCHPOINT_RANGES[name])}."))
    for source, target in (*changes.remove_transitions, *(t.key for t in changes.transitions)):
        for end in (source, target):
            if end not in known:
                add(("changes", f"Has a transition to or from '{quoted(end)}', which is not "
                                "in the journey."))
    for transition in changes.transitions:
        if not within(transition.probability, TRANSITION_RANGES["probability"]):
            add(("changes", f"Sets the probability of {quoted(transition.source)} -> "
                            f"{quoted(transition.target)} to {transition.probability:g}; "
                            "it must be between 0 and 1."))
    set_keys = [t.key for t in changes.transitions]
    if (len(set(changes.remove_transitions)) < len(changes.remove_transitions)
            or len(set(set_keys)) < len(set_keys)):
        add(("changes", "Names a transition twice."))
    if set(changes.remove_transitions) & set(set_keys):
        add(("changes", "Both removes a transition and sets its probability."))
    added = [tp.id for tp in changes.add_touchpoints]
    if len(set(added)) < len(added):
        add(("changes", "Adds a touchpoint twice."))
    return problems



class JourneyOpportunities:
    """The opportunity edits of a Journey (its base class). The journey's own edits call
    the `_opportunities_*` hooks, so removing or renaming a touchpoint keeps every
    opportunity's links and changes true."""

    opportunities: list[Opportunity]
    touchpoints: dict[str, Any]

    def opportunity(self, opportunity_id: str) -> Opportunity:
        return self.opportunities[self._opportunity_position(opportunity_id)]

    def new_opportunity_id(self, base: str = "opportunity") -> str:
        return unique_id(base or "opportunity", {o.id for o in self.opportunities})

    def add_opportunity(self, opportunity: Opportunity, index: int | None = None) -> None:
        if any(o.id == opportunity.id for o in self.opportunities):
            raise ValueError(f"An opportunity with id '{opportunity.id}' already exists")
        self.opportunities.insert(len(self.opportunities) if index is None else index,
                                  opportunity)

    def update_opportunity(self, opportunity_id: str, **changes: Any) -> Opportunity:
        """Change an opportunity's fields; returns the old one. Ids never change."""
        if "id" in changes and changes["id"] != opportunity_id:
            raise ValueError("An opportunity's id cannot be changed")
        if "touchpoints" in changes:
            changes["touchpoints"] = tuple(dict.fromkeys(changes["touchpoints"]))
        index = self._opportunity_position(opportunity_id)
        old = self.opportunities[index]
        self.opportunities[index] = replace(old, **changes)
        return old

    def replace_opportunity(self, opportunity: Opportunity) -> Opportunity:
        """Put back a whole opportunity (undo of an update); returns the one it replaced."""
        index = self._opportunity_position(opportunity.id)
        old = self.opportunities[index]
        self.opportunities[index] = opportunity
        return old

    def remove_opportunity(self, opportunity_id: str) -> tuple[int, Opportunity]:
        index = self._opportunity_position(opportunity_id)
        return index, self.opportunities.pop(index)

    def move_opportunity(self, opportunity_id: str, new_index: int) -> int:
        """Reorder an opportunity (the order bundles are applied in); returns its old index."""
        index = self._opportunity_position(opportunity_id)
        self.opportunities.insert(new_index, self.opportunities.pop(index))
        return index

    # -- what the journey's own edits call ------------------------------------------------
    def _opportunities_unlink(self, touchpoint_id: str) -> tuple[tuple[int, Opportunity], ...]:
        """A touchpoint is going: opportunities stop naming it and drop the changes to it
        and to its transitions. Returns the opportunities as they were, with their places."""
        touched = tuple((n, o) for n, o in enumerate(self.opportunities)
                        if touchpoint_id in o.touchpoints
                        or touchpoint_id in o.changes.touchpoint_ids())
        for index, opportunity in touched:
            self.opportunities[index] = _without(opportunity, touchpoint_id)
        return touched

    def _opportunities_restore(self, placed: Iterable[tuple[int, Opportunity]]) -> None:
        for index, opportunity in placed:
            self.opportunities[index] = opportunity

    def _opportunities_relink(self, old_id: str, new_id: str) -> None:
        """A touchpoint's id changes: opportunities follow it."""
        for index, opportunity in enumerate(self.opportunities):
            if old_id in opportunity.touchpoints or old_id in opportunity.changes.touchpoint_ids():
                self.opportunities[index] = _renamed(opportunity, old_id, new_id)

    def _opportunity_position(self, opportunity_id: str) -> int:
        for index, opportunity in enumerate(self.opportunities):
            if opportunity.id == opportunity_id:
                return index
        raise KeyError(opportunity_id)


def _without(opportunity: Opportunity, touchpoint_id: str) -> Opportunity:
    changes = opportunity.changes
    kept = Changes(
        touchpoints={k: v for k, v in changes.touchpoints.items() if k != touchpoint_id},
        transitions=tuple(t for t in changes.transitions if touchpoint_id not in t.key),
        remove_transitions=tuple(k for k in changes.remove_transitions if touchpoint_id not in k),
        add_touchpoints=changes.add_touchpoints,
    )
    return replace(opportunity, changes=kept,
                   touchpoints=tuple(t for t in opportunity.touchpoints if t != touchpoint_id))


def _renamed(opportunity: Opportunity, old_id: str, new_id: str) -> Opportunity:
    def end(touchpoint_id: str) -> str:
        return new_id if touchpoint_id == old_id else touchpoint_id

    changes = opportunity.changes
    renamed = Changes(
        touchpoints={end(k): v for k, v in changes.touchpoints.items()},
        transitions=tuple(replace(t, source=end(t.source), target=end(t.target))
                          for t in changes.transitions),
        remove_transitions=tuple((end(a), end(b)) for a, b in changes.remove_transitions),
        add_touchpoints=changes.add_touchpoints,
    )
    return replace(opportunity, changes=renamed,
                   touchpoints=tuple(end(t) for t in opportunity.touchpoints))

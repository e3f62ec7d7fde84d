"""A journey's opportunities and plan settings in `cx-mapper/1` (FORMAT.md, "Additions",
and the README's design notes for "add_touchpoints" and "plan").

They follow the strict rules of the other elements: a wrong type, NaN or infinity, an
unknown key or an id given twice is refused here, naming the journey, the opportunity
and the field; what the domain holds true of an opportunity (its status, the range of
its cost, what it may change, which touchpoints it names) is refused with the words of
opportunity_problems, the one home of those rules. An added touchpoint is read by the
same rules as the journey's own touchpoints. Everything inside "changes" is reported
as the field "changes", as the Problems do, with the part named in the message.

Opportunities are few beside the touchpoints, so every one takes the careful path.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Collection, Mapping
from typing import Any

from cx_mapper.domain.elements import Touchpoint, Transition, TransitionKey
from cx_mapper.domain.opportunities import (
    OPPORTUNITY_TEXT_LIMITS,
    Changes,
    Opportunity,
    PlanSettings,
    opportunity_problems,
    plan_problems,
)
from cx_mapper.domain.quoting import quoted
from cx_mapper.domain.ranges import TOUCHPOINT_RANGES
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.json_checks import (
    Where,
    check_keys,
    describe,
    duplicate,
    plain_text,
    read_element,
    read_list,
    read_text,
    written,
)
from cx_mapper.persistence.json_evidence import EVIDENCE, evidence_set_as_written

OPPORTUNITY_KEYS = ("id", "title", "description", "owner", "status", "cost", "touchpoints",
                    "changes")
CHANGES_KEYS = ("touchpoints", "transitions", "remove_transitions", "add_touchpoints")
CHANGED_TRANSITION_KEYS = ("from", "to", "probability", "label")
PLAN_KEYS = ("budget", "objective")

#: Reads one touchpoint object by the journey's rules (json_format's reader): the raw
#: value and its number in the list.
TouchpointReader = Callable[[object, int], Touchpoint]


# -- writing ----------------------------------------------------------------------------
def opportunities_to_list(opportunities: list[Opportunity],
                          touchpoint_to_dict: Callable[[Touchpoint], dict[str, Any]]
                          ) -> list[dict[str, Any]]:
    """Every field of each opportunity; of its changes, the parts it has."""
    return [{"id": o.id, "title": o.title, "description": o.description, "owner": o.owner,
             "status": o.status, "cost": written(o.cost), "touchpoints": list(o.touchpoints),
             "changes": _changes_to_dict(o.changes, touchpoint_to_dict)}
            for o in opportunities]


def _changes_to_dict(changes: Changes,
                     touchpoint_to_dict: Callable[[Touchpoint], dict[str, Any]]
                     ) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if changes.touchpoints:
        data["touchpoints"] = {touchpoint_id: {name: written(value)
                                               for name, value in values.items()}
                               for touchpoint_id, values in changes.touchpoints.items()}
    if changes.transitions:
        data["transitions"] = [_transition_to_dict(t) for t in changes.transitions]
    if changes.remove_transitions:
        data["remove_transitions"] = [[source, target]
                                      for source, target in changes.remove_transitions]
    if changes.add_touchpoints:
        data["add_touchpoints"] = list(map(touchpoint_to_dict, changes.add_touchpoints))
    return data


def plan_to_dict(plan: PlanSettings) -> dict[str, Any]:
    return {"budget": written(plan.budget),
            "objective": {name: written(weight) for name, weight in plan.objective.items()}}


def _transition_to_dict(transition: Transition) -> dict[str, Any]:
    data = {"from": transition.source, "to": transition.target,
            "probability": written(transition.probability)}
    if transition.label:  # a new transition's label; FORMAT.md's example has none
        data["label"] = transition.label
    return data


# -- reading ----------------------------------------------------------------------------
class OpportunityReader:
    """Reads the opportunities of one journey, naming `path` in every error."""

    def __init__(self, path: str | None, journey: str, touchpoint_ids: Collection[str],
                 read_touchpoint: TouchpointReader) -> None:
        self.path = path
        self.journey = journey
        self.touchpoint_ids = touchpoint_ids
        self.read_touchpoint = read_touchpoint

    def opportunities(self, obj: dict[str, Any]) -> list[Opportunity]:
        where = Where(self.path, "journey", self.journey, self.journey)
        found: list[Opportunity] = []
        seen: set[str] = set()
        for number, raw in enumerate(read_list(obj, "opportunities", where), start=1):
            opportunity = self.opportunity(raw, number)
            if opportunity.id in seen:
                raise duplicate("opportunity", opportunity.id, where)
            seen.add(opportunity.id)
            found.append(opportunity)
        return found

    def plan(self, obj: dict[str, Any]) -> PlanSettings | None:
        """The journey's plan settings: a budget and the objective's weights, or None."""
        raw = obj.get("plan")
        if raw is None:
            return None
        where = Where(self.path, "journey", self.journey, self.journey)
        if not isinstance(raw, dict):
            raise where.error("plan", 'must be an object {"budget": ..., "objective": ...} '
                                      f"or null, got {describe(raw)}.")
        _check_parts(raw, PLAN_KEYS, "", where, "plan")
        if "budget" not in raw:
            raise where.error("plan", '"budget" is missing; a plan needs its budget.')
        budget = _number(raw["budget"], where, "plan", '"budget"')
        objective = raw.get("objective", {"value": 1.0})
        if not isinstance(objective, dict):
            raise where.error("plan", '"objective" must be an object of weights such as '
                                      f'{{"value": 1.0}}, got {describe(objective)}.')
        twice = getattr(objective, "duplicate_keys", ())
        if twice:
            raise where.error("plan", f"\"objective\" gives '{quoted(twice[0])}' twice; "
                                      "keep one.")
        plan = PlanSettings(budget, {name: _number(weight, where, "plan",
                                                   f"\"objective\" '{quoted(name)}'")
                                     for name, weight in objective.items()})
        for field, message in plan_problems(plan):
            raise where.error("plan", f'"{field}": {_lower_first(message)}')
        return plan

    def opportunity(self, raw: object, number: int) -> Opportunity:
        where = Where(self.path, "opportunity", journey=self.journey)
        obj = read_element(raw, number, where)
        check_keys(obj, OPPORTUNITY_KEYS, where)
        assert where.element_id is not None
        texts = {name: read_text(obj, name, where, "") for name in OPPORTUNITY_TEXT_LIMITS}
        status: Any = read_text(obj, "status", where, "idea")  # the domain checks its value
        cost = _number(obj.get("cost", 0.0), where, "cost", "")
        links = read_list(obj, "touchpoints", where)
        for link in links:
            if not isinstance(link, str):
                raise where.error("touchpoints", "must be a list of touchpoint ids, but holds "
                                                 f"{describe(link)}.")
        changes = self.changes(obj.get("changes", {}), where)
        opportunity = Opportunity(where.element_id, status=status, cost=cost,
                                  touchpoints=tuple(links), changes=changes, **texts)
        for field, message in opportunity_problems(opportunity, self.touchpoint_ids):
            raise where.error(field, _lower_first(message))
        return opportunity

    def changes(self, raw: object, where: Where) -> Changes:
        if not isinstance(raw, dict):
            raise _changes(where, "must be an object {\"touchpoints\": ..., \"transitions\": "
                                  f"...}}, got {describe(raw)}.")
        _check_parts(raw, CHANGES_KEYS, "", where)
        return Changes(touchpoints=self.changed_fields(raw.get("touchpoints", {}), where),
                       transitions=tuple(self.changed_transitions(raw, where)),
                       remove_transitions=tuple(self.removed_transitions(raw, where)),
                       add_touchpoints=tuple(self.added_touchpoints(raw, where)))

    def changed_fields(self, raw: object, where: Where) -> dict[str, dict[str, float]]:
        if not isinstance(raw, dict):
            raise _changes(where, '"touchpoints" must be an object {"<touchpoint id>": '
                                  f'{{"satisfaction": 0.5}}}}, got {describe(raw)}.')
        twice = getattr(raw, "duplicate_keys", ())
        if twice:
            raise _changes(where, f"\"touchpoints\" gives touchpoint '{quoted(twice[0])}' "
                                  "twice; keep one.")
        fields: dict[str, dict[str, float]] = {}
        for touchpoint_id, values in raw.items():
            part = f"\"touchpoints\", touchpoint '{quoted(touchpoint_id)}',"
            _check_id(touchpoint_id, part, where)
            if not isinstance(values, dict):
                raise _changes(where, f"{part} must be an object of new field values such "
                                      f'as {{"satisfaction": 0.5}}, got {describe(values)}.')
            twice = getattr(values, "duplicate_keys", ())
            if twice:
                raise _changes(where, f"{part} gives '{quoted(twice[0])}' twice; keep one.")
            fields[touchpoint_id] = {name: _number(value, where, "changes",
                                                   f"{part} '{quoted(name)}'")
                                     for name, value in values.items()}
        return fields

    def changed_transitions(self, raw: dict[str, Any], where: Where) -> list[Transition]:
        found = []
        for number, item in enumerate(_part_list(raw, "transitions", where), start=1):
            part = f'"transitions" number {number}'
            if not isinstance(item, dict):
                raise _changes(where, f"{part} must be an object {{\"from\", \"to\", "
                                      f"\"probability\"}}, got {describe(item)}.")
            _check_parts(item, CHANGED_TRANSITION_KEYS, f"{part} ", where)
            ends = []
            for key in ("from", "to", "probability"):
                if key not in item:
                    raise _changes(where, f"{part} has no '{key}'; a changed transition "
                                          "needs 'from', 'to' and 'probability'.")
            for key in ("from", "to"):
                ends.append(_check_id(item[key], f"{part} '{key}'", where))
            probability = _number(item["probability"], where, "changes",
                                  f"{part} 'probability'")
            label = item.get("label", "")
            if not plain_text(label):
                raise _changes(where, f"{part} 'label' must be a text, got "
                                      f"{describe(label)}.")
            found.append(Transition(ends[0], ends[1], probability, label))
        return found

    def removed_transitions(self, raw: dict[str, Any], where: Where) -> list[TransitionKey]:
        found = []
        for number, item in enumerate(_part_list(raw, "remove_transitions", where), start=1):
            part = f'"remove_transitions" number {number}'
            if not (isinstance(item, list) and len(item) == 2):
                raise _changes(where, f"{part} must be a pair [\"from\", \"to\"], got "
                                      f"{describe(item)}.")
            found.append((_check_id(item[0], part, where), _check_id(item[1], part, where)))
        return found

    def added_touchpoints(self, raw: dict[str, Any], where: Where) -> list[Touchpoint]:
        """Read by the rules of the journey's touchpoints; their errors say where."""
        found = []
        for number, item in enumerate(_part_list(raw, "add_touchpoints", where), start=1):
            try:
                found.append(self.read_touchpoint(item, number))
            except ProjectFileError as error:
                if error.element_id is None:  # the reason names it by its number
                    raise _changes(where, f'"add_touchpoints", {error.reason}') from None
                field = f", field '{quoted(error.field)}'" if error.field else ""
                raise _changes(where, f"\"add_touchpoints\", touchpoint "
                                      f"'{quoted(error.element_id)}'{field}: "
                                      f"{error.reason}") from None
        return found


# -- the checks of one part of "changes" --------------------------------------------------
def _changes(where: Where, reason: str) -> ProjectFileError:
    return where.error("changes", reason)


def _lower_first(message: str) -> str:
    """The domain's sentence inside the reader's message, which starts lower case."""
    return message[:1].lower() + message[1:]


def _part_list(raw: dict[str, Any], key: str, where: Where) -> list[Any]:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise _changes(where, f'"{key}" must be a list [...], got {describe(value)}.')
    return value


def _check_parts(obj: dict[str, Any], allowed: tuple[str, ...], part: str,
                 where: Where, field: str = "changes") -> None:
    """No key twice and none unknown, as check_keys, inside "changes" (or `field`)."""
    twice = getattr(obj, "duplicate_keys", ())
    if twice:
        raise where.error(field, f"{part}gives '{quoted(twice[0])}' twice; keep one.")
    for key in obj:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"did you mean '{close[0]}'?" if close else (
                "the known parts are " + ", ".join(allowed) + ".")
            raise where.error(field, f"{part}has no part '{quoted(key)}'; {hint}")


def _check_id(value: object, part: str, where: Where) -> str:
    if not (isinstance(value, str) and value and plain_text(value)):
        raise _changes(where, f"{part} must name a touchpoint by its id, got "
                              f"{describe(value)}.")
    return value


def _number(value: object, where: Where, field: str, part: str) -> float:
    """A finite number, int or float; its range is the domain's to check."""
    shown = f"{part} " if part else ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise where.error(field, f"{shown}must be a number, got {describe(value)}.")
    try:
        number = float(value)
    except OverflowError:
        raise where.error(field, f"{shown}is too large a number.") from None
    if not math.isfinite(number):
        raise where.error(field, f"{shown}must be a finite number, got {describe(value)}.")
    return number


# -- unchecked: a copy written mid-edit, which the strict reader may refuse ---------------
def plan_as_written(raw: dict[str, Any] | None) -> PlanSettings | None:
    """plan_to_dict's form back, unchecked (crash recovery keeps what there was)."""
    if raw is None:
        return None
    return PlanSettings(float(raw["budget"]), {str(name): float(weight) for name, weight
                                               in raw["objective"].items()})


def opportunities_as_written(raws: list[dict[str, Any]]) -> list[Opportunity]:
    """opportunities_to_list's form back, unchecked (crash recovery keeps what there was)."""
    found = []
    for r in raws:
        changes = r.get("changes", {})
        found.append(Opportunity(
            str(r["id"]), str(r["title"]), str(r["description"]), str(r["owner"]),
            r["status"], float(r["cost"]), tuple(map(str, r["touchpoints"])),
            Changes(
                touchpoints={str(k): {str(n): float(v) for n, v in values.items()}
                             for k, values in changes.get("touchpoints", {}).items()},
                transitions=tuple(Transition(str(t["from"]), str(t["to"]),
                                             float(t["probability"]), str(t.get("label", "")))
                                  for t in changes.get("transitions", [])),
                remove_transitions=tuple((str(a), str(b))
                                         for a, b in changes.get("remove_transitions", [])),
                add_touchpoints=tuple(map(_touchpoint_as_written,
                                          changes.get("add_touchpoints", []))))))
    return found


def _touchpoint_as_written(raw: dict[str, Any]) -> Touchpoint:
    def text_or_none(value: object) -> str | None:
        return None if value is None else str(value)

    return Touchpoint(
        id=str(raw["id"]), name=str(raw["name"]), stage=text_or_none(raw["stage"]),
        channel=text_or_none(raw["channel"]), conversion=bool(raw["conversion"]),
        notes=str(raw["notes"]), image=text_or_none(raw.get("image")),
        evidence=evidence_set_as_written(raw.get(EVIDENCE)), **_numbers(raw))


def _numbers(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The touchpoint's numbers by field (TOUCHPOINT_RANGES), as keyword arguments."""
    return {name: float(raw[name]) for name in TOUCHPOINT_RANGES}

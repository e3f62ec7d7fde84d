"""The document's edits of the plan: opportunities, the cost unit, and a future state
made from a plan.

ProjectDocument builds on this class, as it does on ContentEdits: one public method per
user edit, each one undo step, nothing pushed when nothing would change. An edit never
makes an opportunity the files would refuse (a status that is none, a negative cost, a
change to a touchpoint the journey lacks): it raises ValueError saying why. A change that
leaves a journey that cannot be analysed is allowed; validation reports it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Signal

from cx_mapper.domain.bundles import apply_opportunities
from cx_mapper.domain.ids import unique_id
from cx_mapper.domain.journey import slug
from cx_mapper.domain.opportunities import (
    COST_UNIT_LIMIT,
    OPPORTUNITY_FIELDS,
    Changes,
    Opportunity,
    opportunity_problems,
)
from cx_mapper.ui.document import commands
from cx_mapper.ui.document import opportunity_commands as plan
from cx_mapper.ui.document.content_edits import ContentEdits

#: How many opportunity titles a future state's name lists before "and N more".
NAMED_IN_FUTURE_STATE = 3
#: Characters of an opportunity title kept in a future state's name.
TITLE_IN_NAME = 40


def future_state_name(titles: list[str]) -> str:
    """"Future state: Faster refunds + Chat bot", or "... and 2 more" for a long plan."""
    if not titles:
        return "Future state"
    short = [t if len(t) <= TITLE_IN_NAME else t[:TITLE_IN_NAME - 1] + "…" for t in titles]
    shown = " + ".join(short[:NAMED_IN_FUTURE_STATE])
    more = len(short) - NAMED_IN_FUTURE_STATE
    return f"Future state: {shown}" + (f" and {more} more" if more > 0 else "")


class OpportunityEdits(ContentEdits):
    """Opportunities and the cost unit, edited through undo commands."""

    opportunities_changed = Signal(str)  # journey_id; one added, edited, moved or removed

    # -- opportunities ---------------------------------------------------------------------
    def add_opportunity(self, journey_id: str, title: str = "", *, index: int | None = None,
                        **fields: Any) -> str:
        """Add an opportunity (last, or at `index`); returns its id, made from the title."""
        if fields:
            commands.check_fields(fields, OPPORTUNITY_FIELDS, "opportunity")
        journey = self.journey(journey_id)
        fields = _tidy(fields)
        opportunity = Opportunity(journey.new_opportunity_id(slug(title, "opportunity")),
                                  title, **fields)
        _check(opportunity, journey.touchpoints)
        self._push(plan.AddOpportunityCommand(self._target, journey_id, opportunity, index))
        return opportunity.id

    def set_opportunity_fields(self, journey_id: str, opportunity_id: str, *,
                               merge_key: Hashable | None = None, **fields: Any) -> bool:
        """Any fields of an opportunity (its changes too) as one step; False, with nothing
        pushed, if no value would change."""
        commands.check_fields(fields, OPPORTUNITY_FIELDS, "opportunity")
        journey = self.journey(journey_id)
        old = journey.opportunity(opportunity_id)
        fields = _tidy(fields)
        if all(getattr(old, name) == value for name, value in fields.items()):
            return False
        _check(replace(old, **fields), journey.touchpoints)
        name = old.title or old.id
        text = (f"Edit the changes of '{name}'" if set(fields) == {"changes"}
                else f"Change {', '.join(fields)} of '{name}'")
        self._push(plan.SetOpportunityFieldsCommand(
            self._target, text, journey_id, {opportunity_id: fields},
            self._merge_key(merge_key)))
        return True

    def move_opportunity(self, journey_id: str, opportunity_id: str, new_index: int) -> bool:
        """Put an opportunity elsewhere in the list (the order a plan applies them in)."""
        journey = self.journey(journey_id)
        new_index = max(0, min(new_index, len(journey.opportunities) - 1))
        if journey.opportunities.index(journey.opportunity(opportunity_id)) == new_index:
            return False
        self._push(plan.MoveOpportunityCommand(self._target, journey_id, opportunity_id,
                                               new_index))
        return True

    def remove_opportunity(self, journey_id: str, opportunity_id: str) -> None:
        self.journey(journey_id).opportunity(opportunity_id)  # KeyError for an unknown one
        self._push(plan.RemoveOpportunityCommand(self._target, journey_id, opportunity_id))

    # -- the project's cost unit -----------------------------------------------------------
    def set_cost_unit(self, unit: str) -> bool:
        """File > Project properties: what costs and budgets count ("€", "points")."""
        unit = unit.strip()
        if len(unit) > COST_UNIT_LIMIT:
            raise ValueError(f"A cost unit has at most {COST_UNIT_LIMIT} characters.")
        if unit == self.project.cost_unit:
            return False
        self._push(plan.SetCostUnitCommand(self._target, unit))
        return True

    # -- a future state --------------------------------------------------------------------
    def make_future_state(self, journey_id: str, opportunity_ids: Iterable[str],
                          name: str | None = None) -> str:
        """Add a journey: a copy of this one with the opportunities' changes applied (in
        the list's order), named after them, as one step; returns its id. The copy has
        no opportunities: they are done there, and the others were written against the
        journey as it is now. PatchError (a ValueError) when a change does not fit."""
        journey = self.journey(journey_id)
        chosen = set(opportunity_ids)
        funded = [o for o in journey.opportunities if o.id in chosen]
        future = apply_opportunities(journey, funded)
        future.opportunities = []
        future.name = name or future_state_name([o.title or o.id for o in funded])
        future.id = unique_id(slug(future.name, "future-state"),
                              {j.id for j in self.project.journeys})
        command = commands.AddJourneyCommand(self._target, future)
        command.setText(f"Make '{future.name}'")
        self._push(command)
        return future.id


def _tidy(fields: dict[str, Any]) -> dict[str, Any]:
    """Lists to tuples and costs to floats, as the frozen opportunity keeps them."""
    tidy = dict(fields)
    if "touchpoints" in tidy:
        tidy["touchpoints"] = tuple(dict.fromkeys(tidy["touchpoints"]))
    if "cost" in tidy:
        tidy["cost"] = float(tidy["cost"])
    if "changes" in tidy and not isinstance(tidy["changes"], Changes):
        raise ValueError("An opportunity's changes are a Changes")
    return tidy


def _check(opportunity: Opportunity, touchpoint_ids: Iterable[str]) -> None:
    problems = opportunity_problems(opportunity, touchpoint_ids)
    if problems:
        raise ValueError(problems[0][1])

"""Undo commands of the plan: opportunities and the project's cost unit.

Like commands.py: each calls the domain's edits, keeps what undo needs, and tells the
views through the target's past-tense signals; only the document groups commands.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import SignalInstance

from cx_mapper.domain.opportunities import Opportunity
from cx_mapper.ui.document.commands import DocumentCommand, SetFieldsCommand
from cx_mapper.ui.document.editing_target import EditingTarget


def tell(signal: SignalInstance, journey_id: str) -> None:
    """Emit `opportunities_changed` (or another journey signal) for the journey."""
    signal.emit(journey_id)


class AddOpportunityCommand(DocumentCommand):
    def __init__(self, target: EditingTarget, journey_id: str, opportunity: Opportunity,
                 index: int | None = None) -> None:
        super().__init__(target, f"Add opportunity '{opportunity.title or opportunity.id}'")
        self.journey_id = journey_id
        self.opportunity = opportunity
        self.index = index

    def _redo(self) -> None:
        self.journey(self.journey_id).add_opportunity(self.opportunity, self.index)
        tell(self.target.opportunities_changed, self.journey_id)

    def _undo(self) -> None:
        self.journey(self.journey_id).remove_opportunity(self.opportunity.id)
        tell(self.target.opportunities_changed, self.journey_id)


class SetOpportunityFieldsCommand(SetFieldsCommand):
    """Title, description, owner, status, cost, links or changes of opportunities of one
    journey (`scope`)."""

    merge_id = 13

    def _apply(self, key: str, fields: dict[str, Any]) -> Opportunity:
        old = self.journey(self.scope).update_opportunity(key, **fields)
        tell(self.target.opportunities_changed, self.scope)
        return old

    def _restore(self, key: str, old: Opportunity) -> None:
        self.journey(self.scope).replace_opportunity(old)
        tell(self.target.opportunities_changed, self.scope)

    def _current(self, key: str) -> Opportunity:
        return self.journey(self.scope).opportunity(key)


class MoveOpportunityCommand(DocumentCommand):
    def __init__(self, target: EditingTarget, journey_id: str, opportunity_id: str,
                 new_index: int) -> None:
        super().__init__(target, "Move opportunity")
        self.journey_id = journey_id
        self.opportunity_id = opportunity_id
        self.new_index = new_index
        self.old_index = 0

    def _redo(self) -> None:
        self.old_index = self.journey(self.journey_id).move_opportunity(self.opportunity_id,
                                                                        self.new_index)
        tell(self.target.opportunities_changed, self.journey_id)

    def _undo(self) -> None:
        self.journey(self.journey_id).move_opportunity(self.opportunity_id, self.old_index)
        tell(self.target.opportunities_changed, self.journey_id)


class RemoveOpportunityCommand(DocumentCommand):
    def __init__(self, target: EditingTarget, journey_id: str, opportunity_id: str) -> None:
        super().__init__(target, "Remove opportunity")
        self.journey_id = journey_id
        self.opportunity_id = opportunity_id
        self.removed: tuple[int, Opportunity] | None = None

    def _redo(self) -> None:
        self.removed = self.journey(self.journey_id).remove_opportunity(self.opportunity_id)
        tell(self.target.opportunities_changed, self.journey_id)

    def _undo(self) -> None:
        assert self.removed is not None
        index, opportunity = self.removed
        self.journey(self.journey_id).add_opportunity(opportunity, index)
        tell(self.target.opportunities_changed, self.journey_id)


class SetCostUnitCommand(DocumentCommand):
    def __init__(self, target: EditingTarget, unit: str) -> None:
        super().__init__(target, "Change cost unit")
        self.units = (target.project.cost_unit, unit)

    def _redo(self) -> None:
        self.project.cost_unit = self.units[1]
        self.target.project_changed.emit()

    def _undo(self) -> None:
        self.project.cost_unit = self.units[0]
        self.target.project_changed.emit()

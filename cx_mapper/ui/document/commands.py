"""Undo commands. Each one calls the domain edit API and keeps what undo needs.

Commands never touch views, and know the document only as an `EditingTarget`:
the project, the past-tense signals the views listen to, and `note_change()`
(the Orange canvas discipline). A compound edit, such as deleting touchpoints
with their transitions, is one command, so it is one undo step; only the
document groups commands into a larger step (`ProjectDocument.compound`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import fields as dataclass_fields
from typing import Any, ClassVar

from PySide6.QtGui import QUndoCommand

from cx_mapper.domain.journey import (
    SINGULAR,
    Channel,
    Journey,
    NamedList,
    RemovedItem,
    RemovedTouchpoint,
    Stage,
    Touchpoint,
    Transition,
    TransitionKey,
)
from cx_mapper.domain.project import Project, RemovedSegment, Segment
from cx_mapper.ui.document.editing_target import EditingTarget

#: From this many touchpoints changed in one edit, views hear of them in one signal.
BATCH_FROM = 50


class DocumentCommand(QUndoCommand):
    """A command on an editing target (the document): subclasses implement `_redo` and `_undo`."""

    def __init__(self, target: EditingTarget, text: str) -> None:
        super().__init__(text)
        self.target = target

    @property
    def project(self) -> Project:
        return self.target.project

    def journey(self, journey_id: str) -> Journey:
        return self.target.project.journey(journey_id)

    def redo(self) -> None:
        self._redo()
        self.target.note_change()

    def undo(self) -> None:
        self._undo()
        self.target.note_change()

    def _redo(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


def check_fields(fields: Mapping[str, Any], allowed: Iterable[str], what: str) -> None:
    """ValueError unless `fields` names at least one of `allowed` (never the id)."""
    allowed = set(allowed) - {"id"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Cannot set {', '.join(sorted(unknown))} on a {what}")
    if not fields:
        raise ValueError(f"No {what} field to set")


def differences(old: Any, new: Any) -> dict[str, Any]:
    """The fields of a frozen element that `new` changes."""
    names = (f.name for f in dataclass_fields(old))
    return {name: getattr(new, name) for name in names if getattr(new, name) != getattr(old, name)}


def edit_text(fields: Mapping[str, Any], how_many: int, what: str) -> str:
    """Undo-menu text, e.g. "Change satisfaction of 3 touchpoints"."""
    names = ", ".join(name.replace("_", " ") for name in fields)
    target = f"{how_many} {what}s" if how_many > 1 else what
    return f"Change {names} of {target}"


# -- property edits (mergeable) ------------------------------------------------


class SetFieldsCommand(DocumentCommand):
    """Set fields on several elements at once; the base of every property edit.

    `values` maps an element key to the fields to set on it. With a
    `merge_key`, consecutive commands of the same class, key, elements and field
    names merge into one (a slider drag is one step); a merge that ends where it
    started makes the command obsolete, and the stack drops it.
    """

    merge_id: ClassVar[int] = -1

    def __init__(
        self,
        target: EditingTarget,
        text: str,
        scope: str,
        values: Mapping[Any, Mapping[str, Any]],
        merge_key: Hashable | None = None,
    ) -> None:
        super().__init__(target, text)
        self.scope = scope
        self.values = {key: dict(fields) for key, fields in values.items()}
        self.merge_key = merge_key
        self.old: dict[Any, Any] = {}

    def _redo(self) -> None:
        old = {key: self._apply(key, fields) for key, fields in self.values.items()}
        # Keep the first-seen old values: after a merge they are the drag's start.
        for key, value in old.items():
            self.old.setdefault(key, value)

    def _undo(self) -> None:
        for key in reversed(list(self.values)):
            self._restore(key, self.old[key])

    def _apply(self, key: Any, fields: dict[str, Any]) -> Any:
        raise NotImplementedError

    def _restore(self, key: Any, old: Any) -> None:
        raise NotImplementedError

    def _current(self, key: Any) -> Any:
        raise NotImplementedError

    def _signature(self) -> tuple[Any, ...]:
        return (
            self.scope,
            tuple(self.values),
            tuple(tuple(sorted(fields)) for fields in self.values.values()),
        )

    def id(self) -> int:
        return self.merge_id if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if (
            type(other) is not type(self)
            or not isinstance(other, SetFieldsCommand)
            or other.merge_key != self.merge_key
            or other._signature() != self._signature()
        ):
            return False
        self.values = other.values
        if all(self._current(key) == old for key, old in self.old.items()):
            self.setObsolete(True)
        return True


class SetTouchpointFieldsCommand(SetFieldsCommand):
    """Sets fields of touchpoints; from BATCH_FROM of them (auto-layout, moving a big
    selection, their undo) the views hear once, with every id (`touchpoints_changed`):
    2,000 signals one by one took 0.2-0.5 s before any view did anything."""

    merge_id = 1
    _batch = False

    def _redo(self) -> None:
        self._announce(super()._redo)

    def _undo(self) -> None:
        self._announce(super()._undo)

    def _announce(self, edit: Callable[[], None]) -> None:
        self._batch = len(self.values) >= BATCH_FROM
        try:
            edit()
        finally:
            if self._batch:
                self._batch = False
                self.target.touchpoints_changed.emit(self.scope, tuple(self.values))

    def _apply(self, key: str, fields: dict[str, Any]) -> Touchpoint:
        touchpoint = self.journey(self.scope).update_touchpoint(key, **fields)
        if not self._batch:
            self.target.touchpoint_changed.emit(self.scope, key)
        return touchpoint

    def _restore(self, key: str, old: Touchpoint) -> None:
        self.journey(self.scope).replace_touchpoint(old)
        if not self._batch:
            self.target.touchpoint_changed.emit(self.scope, key)

    def _current(self, key: str) -> Touchpoint:
        return self.journey(self.scope).touchpoint(key)


class RenameTouchpointCommand(DocumentCommand):
    """The first naming of a drawn touchpoint: its name, and an id made from it that its
    transitions follow (the views re-make its card under the new id)."""

    def __init__(self, target: EditingTarget, journey_id: str, touchpoint_id: str,
                 new_id: str, name: str) -> None:
        super().__init__(target, f"Name touchpoint '{name}'")
        self.journey_id = journey_id
        self.ids = (touchpoint_id, new_id)
        self.name = name
        self.old: Touchpoint | None = None

    def _redo(self) -> None:
        journey = self.journey(self.journey_id)
        old_id, new_id = self.ids
        self.old = journey.update_touchpoint(old_id, name=self.name)
        journey.rename_touchpoint(old_id, new_id)
        self.target.touchpoint_renamed.emit(self.journey_id, old_id, new_id)
        self._notes_about(new_id)

    def _undo(self) -> None:
        assert self.old is not None
        journey = self.journey(self.journey_id)
        old_id, new_id = self.ids
        journey.rename_touchpoint(new_id, old_id)
        journey.replace_touchpoint(self.old)
        self.target.touchpoint_renamed.emit(self.journey_id, new_id, old_id)
        self._notes_about(old_id)

    def _notes_about(self, touchpoint_id: str) -> None:
        """The notes about the touchpoint follow its id: say they changed."""
        for note in self.journey(self.journey_id).notes.values():
            if touchpoint_id in note.touchpoints:
                self.target.note_changed.emit(self.journey_id, note.id)


class SetProjectNameCommand(DocumentCommand):
    def __init__(self, target: EditingTarget, name: str) -> None:
        super().__init__(target, "Rename project")
        self.names = (target.project.name, name)

    def _redo(self) -> None:
        self.project.name = self.names[1]
        self.target.project_changed.emit()

    def _undo(self) -> None:
        self.project.name = self.names[0]
        self.target.project_changed.emit()


class SetTransitionFieldsCommand(SetFieldsCommand):
    merge_id = 2

    def _apply(self, key: TransitionKey, fields: dict[str, Any]) -> Transition:
        old = self.journey(self.scope).update_transition(*key, **fields)
        self.target.transition_changed.emit(self.scope, *key)
        return old

    def _restore(self, key: TransitionKey, old: Transition) -> None:
        changes = {name: getattr(old, name) for name in ("probability", "label", "evidence")}
        self.journey(self.scope).update_transition(*key, **changes)
        self.target.transition_changed.emit(self.scope, *key)

    def _current(self, key: TransitionKey) -> Transition:
        return self.journey(self.scope).transition(*key)


class SetJourneyFieldsCommand(SetFieldsCommand):
    """Journey-level fields; the domain keeps these as plain attributes."""

    merge_id = 3

    def _apply(self, key: str, fields: dict[str, Any]) -> dict[str, Any]:
        journey = self.journey(key)
        old = {name: getattr(journey, name) for name in fields}
        for name, value in fields.items():
            setattr(journey, name, value)
        self.target.journey_changed.emit(key)
        return old

    def _restore(self, key: str, old: dict[str, Any]) -> None:
        journey = self.journey(key)
        for name, value in old.items():
            setattr(journey, name, value)
        self.target.journey_changed.emit(key)

    def _current(self, key: str) -> dict[str, Any]:
        journey = self.journey(key)
        return {name: getattr(journey, name) for name in self.old[key]}


class UpdateSegmentCommand(SetFieldsCommand):
    merge_id = 4

    def _apply(self, key: str, fields: dict[str, Any]) -> Segment:
        old = self.project.update_segment(key, **fields)
        self.target.segments_changed.emit()
        return old

    def _restore(self, key: str, old: Segment) -> None:
        changes = {name: getattr(old, name) for name in self.values[key]}
        self.project.update_segment(key, **changes)
        self.target.segments_changed.emit()

    def _current(self, key: str) -> Segment:
        return self.project.segment(key)


class UpdateInListCommand(SetFieldsCommand):
    """Rename (or otherwise edit) stages or channels; undo puts each back whole."""

    merge_id = 5

    def __init__(
        self,
        target: EditingTarget,
        which: NamedList,
        text: str,
        journey_id: str,
        values: Mapping[str, Mapping[str, Any]],
        merge_key: Hashable | None = None,
    ) -> None:
        super().__init__(target, text, journey_id, values, merge_key)
        self.which = which

    def _signature(self) -> tuple[Any, ...]:
        return (self.which, *super()._signature())

    def _apply(self, key: str, fields: dict[str, Any]) -> Stage | Channel:
        old = self.journey(self.scope).update_in(self.which, key, **fields)
        self.target.stage_changed.emit(self.scope)
        return old

    def _restore(self, key: str, old: Stage | Channel) -> None:
        self.journey(self.scope).replace_in(self.which, old)
        self.target.stage_changed.emit(self.scope)

    def _current(self, key: str) -> Stage | Channel:
        return self.journey(self.scope).find_in(self.which, key)


# -- touchpoints and transitions -----------------------------------------------


class AddItemsCommand(DocumentCommand):
    """Add touchpoints, then transitions among them (add, paste, duplicate, connect)."""

    def __init__(
        self,
        target: EditingTarget,
        text: str,
        journey_id: str,
        touchpoints: Sequence[Touchpoint] = (),
        transitions: Sequence[Transition] = (),
    ) -> None:
        super().__init__(target, text)
        self.journey_id = journey_id
        self.touchpoints = tuple(touchpoints)
        self.transitions = tuple(transitions)

    def _redo(self) -> None:
        journey = self.journey(self.journey_id)
        for touchpoint in self.touchpoints:
            journey.add_touchpoint(touchpoint)
            self.target.touchpoint_added.emit(self.journey_id, touchpoint.id)
        for transition in self.transitions:
            journey.add_transition(transition)
            self.target.transition_added.emit(self.journey_id, *transition.key)

    def _undo(self) -> None:
        journey = self.journey(self.journey_id)
        for transition in reversed(self.transitions):
            journey.remove_transition(*transition.key)
            self.target.transition_removed.emit(self.journey_id, *transition.key)
        for touchpoint in reversed(self.touchpoints):
            journey.remove_touchpoint(touchpoint.id)
            self.target.touchpoint_removed.emit(self.journey_id, touchpoint.id)


class RemoveItemsCommand(DocumentCommand):
    """Remove transitions and touchpoints (with all their transitions) as one step.

    Undo walks the removals backwards with the positions the domain recorded, so
    every element comes back exactly where it was.
    """

    def __init__(
        self,
        target: EditingTarget,
        journey_id: str,
        touchpoint_ids: Sequence[str],
        transition_keys: Sequence[TransitionKey],
        text: str = "Delete",
    ) -> None:
        super().__init__(target, text)
        self.journey_id = journey_id
        self.touchpoint_ids = tuple(touchpoint_ids)
        self.transition_keys = tuple(transition_keys)
        self.removed_transitions: list[tuple[int, Transition]] = []
        self.removed_touchpoints: list[RemovedTouchpoint] = []

    def _redo(self) -> None:
        journey = self.journey(self.journey_id)
        self.removed_transitions = []
        self.removed_touchpoints = []
        for key in self.transition_keys:
            if key in journey.transitions:
                self.removed_transitions.append(journey.remove_transition(*key))
                self.target.transition_removed.emit(self.journey_id, *key)
        for touchpoint_id in self.touchpoint_ids:
            removed = journey.remove_touchpoint(touchpoint_id)
            self.removed_touchpoints.append(removed)
            for _, transition in removed.transitions:
                self.target.transition_removed.emit(self.journey_id, *transition.key)
            self.target.touchpoint_removed.emit(self.journey_id, touchpoint_id)
            for note in removed.notes:  # they no longer name it
                self.target.note_changed.emit(self.journey_id, note.id)

    def _undo(self) -> None:
        journey = self.journey(self.journey_id)
        for removed in reversed(self.removed_touchpoints):
            journey.restore_touchpoint(removed)
            self.target.touchpoint_added.emit(self.journey_id, removed.touchpoint.id)
            for _, transition in removed.transitions:
                self.target.transition_added.emit(self.journey_id, *transition.key)
            for note in removed.notes:
                self.target.note_changed.emit(self.journey_id, note.id)
        for index, transition in reversed(self.removed_transitions):
            journey.add_transition(transition, index)
            self.target.transition_added.emit(self.journey_id, *transition.key)


# -- stages and channels -------------------------------------------------------
# One command per edit, told which list it edits; `stage_changed` covers both lists.


class AddToListCommand(DocumentCommand):
    def __init__(
        self,
        target: EditingTarget,
        journey_id: str,
        which: NamedList,
        item: Stage | Channel,
        index: int | None = None,
    ) -> None:
        super().__init__(target, f"Add {SINGULAR[which]} '{item.name}'")
        self.journey_id = journey_id
        self.which = which
        self.item = item
        self.index = index

    def _redo(self) -> None:
        self.journey(self.journey_id).add_to(self.which, self.item, self.index)
        self.target.stage_changed.emit(self.journey_id)

    def _undo(self) -> None:
        self.journey(self.journey_id).remove_from(self.which, self.item.id)
        self.target.stage_changed.emit(self.journey_id)


class RemoveFromListCommand(DocumentCommand):
    """Remove a stage or channel; its touchpoints stay, with none, and a stage's notes move
    to the stage beside it (or go with the last stage), until undo puts all back."""

    def __init__(
        self, target: EditingTarget, journey_id: str, which: NamedList, item_id: str
    ) -> None:
        super().__init__(target, f"Remove {SINGULAR[which]}")
        self.journey_id = journey_id
        self.which = which
        self.item_id = item_id
        self.removed: RemovedItem | None = None
        self.gone: set[str] = set()  # notes that went with the stage

    def _redo(self) -> None:
        journey = self.journey(self.journey_id)
        self.removed = journey.remove_from(self.which, self.item_id)
        for touchpoint in self.removed.touchpoints:
            self.target.touchpoint_changed.emit(self.journey_id, touchpoint.id)
        self.gone = {note.id for _, note in self.removed.notes if note.id not in journey.notes}
        self.target.stage_changed.emit(self.journey_id)
        for _, note in self.removed.notes:
            signal = self.target.note_removed if note.id in self.gone else self.target.note_changed
            signal.emit(self.journey_id, note.id)

    def _undo(self) -> None:
        assert self.removed is not None
        self.journey(self.journey_id).restore_in(self.which, self.removed)
        for touchpoint in self.removed.touchpoints:
            self.target.touchpoint_changed.emit(self.journey_id, touchpoint.id)
        self.target.stage_changed.emit(self.journey_id)
        for _, note in self.removed.notes:
            signal = self.target.note_added if note.id in self.gone else self.target.note_changed
            signal.emit(self.journey_id, note.id)


class MoveInListCommand(DocumentCommand):
    def __init__(
        self,
        target: EditingTarget,
        journey_id: str,
        which: NamedList,
        item_id: str,
        new_index: int,
    ) -> None:
        super().__init__(target, f"Move {SINGULAR[which]}")
        self.journey_id = journey_id
        self.which = which
        self.item_id = item_id
        self.new_index = new_index
        self.old_index = 0

    def _redo(self) -> None:
        journey = self.journey(self.journey_id)
        self.old_index = journey.move_in(self.which, self.item_id, self.new_index)
        self.target.stage_changed.emit(self.journey_id)

    def _undo(self) -> None:
        self.journey(self.journey_id).move_in(self.which, self.item_id, self.old_index)
        self.target.stage_changed.emit(self.journey_id)


# -- segments and journeys -----------------------------------------------------


class AddSegmentCommand(DocumentCommand):
    def __init__(self, target: EditingTarget, segment: Segment) -> None:
        super().__init__(target, f"Add segment '{segment.name}'")
        self.segment = segment

    def _redo(self) -> None:
        self.project.add_segment(self.segment)
        self.target.segments_changed.emit()

    def _undo(self) -> None:
        self.project.remove_segment(self.segment.id)
        self.target.segments_changed.emit()


class RemoveSegmentCommand(DocumentCommand):
    """Remove a segment and its personas; undo puts them back."""

    def __init__(self, target: EditingTarget, segment_id: str) -> None:
        super().__init__(target, "Remove segment")
        self.segment_id = segment_id
        self.removed: RemovedSegment | None = None

    def _redo(self) -> None:
        self.removed = self.project.remove_segment(self.segment_id)
        self.target.segments_changed.emit()
        if self.removed.personas:
            self.target.personas_changed.emit()

    def _undo(self) -> None:
        assert self.removed is not None
        self.project.restore_segment(self.removed)
        self.target.segments_changed.emit()
        if self.removed.personas:
            self.target.personas_changed.emit()


class AddJourneyCommand(DocumentCommand):
    def __init__(self, target: EditingTarget, journey: Journey) -> None:
        super().__init__(target, f"Add journey '{journey.name}'")
        self.added = journey

    def _redo(self) -> None:
        self.project.add_journey(self.added)
        self.target.journeys_changed.emit()

    def _undo(self) -> None:
        self.project.remove_journey(self.added.id)
        self.target.journeys_changed.emit()


class RemoveJourneyCommand(DocumentCommand):
    def __init__(self, target: EditingTarget, journey_id: str) -> None:
        super().__init__(target, "Remove journey")
        self.journey_id = journey_id
        self.removed: tuple[int, Journey] | None = None

    def _redo(self) -> None:
        self.removed = self.project.remove_journey(self.journey_id)
        self.target.journeys_changed.emit()

    def _undo(self) -> None:
        assert self.removed is not None
        index, journey = self.removed
        self.project.add_journey(journey, index)
        self.target.journeys_changed.emit()

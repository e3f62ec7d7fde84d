"""Undo commands of the journey map around the graph: lanes, notes, personas and images.

Like commands.py: each calls the domain's edits, keeps what undo needs, and tells the
views through the target's past-tense signals; only the document groups commands.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import SignalInstance

from cx_mapper.domain.content import Lane, Note, PlacedNotes, RemovedLane
from cx_mapper.domain.images import Image
from cx_mapper.domain.personas import Persona
from cx_mapper.ui.document.commands import DocumentCommand, SetFieldsCommand
from cx_mapper.ui.document.editing_target import EditingTarget


def tell(signal: SignalInstance, journey_id: str, placed: Iterable[tuple[int | None, Note]]
         ) -> None:
    """Emit `signal` (note added, removed...) for each of the notes, in their order."""
    for _, note in placed:
        signal.emit(journey_id, note.id)


# -- lanes -------------------------------------------------------------------------------
class AddLaneCommand(DocumentCommand):
    def __init__(self, target: EditingTarget, journey_id: str, lane: Lane,
                 index: int | None = None) -> None:
        super().__init__(target, f"Add lane '{lane.name or lane.id}'")
        self.journey_id = journey_id
        self.lane = lane
        self.index = index

    def _redo(self) -> None:
        self.journey(self.journey_id).add_lane(self.lane, self.index)
        self.target.lanes_changed.emit(self.journey_id)

    def _undo(self) -> None:
        self.journey(self.journey_id).remove_lane(self.lane.id)
        self.target.lanes_changed.emit(self.journey_id)


class SetLaneFieldsCommand(SetFieldsCommand):
    """Rename, recolour or change the kind of lanes of one journey (`scope`)."""

    merge_id = 10

    def _apply(self, key: str, fields: dict[str, Any]) -> Lane:
        old = self.journey(self.scope).update_lane(key, **fields)
        self.target.lanes_changed.emit(self.scope)
        return old

    def _restore(self, key: str, old: Lane) -> None:
        self.journey(self.scope).replace_lane(old)
        self.target.lanes_changed.emit(self.scope)

    def _current(self, key: str) -> Lane:
        return self.journey(self.scope).lane(key)


class MoveLaneCommand(DocumentCommand):
    def __init__(self, target: EditingTarget, journey_id: str, lane_id: str,
                 new_index: int) -> None:
        super().__init__(target, "Move lane")
        self.journey_id = journey_id
        self.lane_id = lane_id
        self.new_index = new_index
        self.old_index = 0

    def _redo(self) -> None:
        self.old_index = self.journey(self.journey_id).move_lane(self.lane_id, self.new_index)
        self.target.lanes_changed.emit(self.journey_id)

    def _undo(self) -> None:
        self.journey(self.journey_id).move_lane(self.lane_id, self.old_index)
        self.target.lanes_changed.emit(self.journey_id)


class PlaceLaneCommand(DocumentCommand):
    """Move a lane and put the touchpoint band under the first `lanes_above` lanes."""

    def __init__(self, target: EditingTarget, journey_id: str, lane_id: str,
                 new_index: int, lanes_above: int) -> None:
        super().__init__(target, "Move lane")
        self.journey_id = journey_id
        self.lane_id = lane_id
        self.new = (new_index, lanes_above)
        self.old = (0, 0)

    def _redo(self) -> None:
        self.old = self.journey(self.journey_id).place_lane(self.lane_id, *self.new)
        self.target.lanes_changed.emit(self.journey_id)

    def _undo(self) -> None:
        self.journey(self.journey_id).place_lane(self.lane_id, *self.old)
        self.target.lanes_changed.emit(self.journey_id)


class RemoveLaneCommand(DocumentCommand):
    """Remove a lane with the notes in it; undo puts all of them back where they were."""

    def __init__(self, target: EditingTarget, journey_id: str, lane_id: str) -> None:
        super().__init__(target, "Remove lane")
        self.journey_id = journey_id
        self.lane_id = lane_id
        self.removed: RemovedLane | None = None

    def _redo(self) -> None:
        self.removed = self.journey(self.journey_id).remove_lane(self.lane_id)
        tell(self.target.note_removed, self.journey_id, self.removed.notes)
        self.target.lanes_changed.emit(self.journey_id)

    def _undo(self) -> None:
        assert self.removed is not None
        self.journey(self.journey_id).restore_lane(self.removed)
        self.target.lanes_changed.emit(self.journey_id)
        tell(self.target.note_added, self.journey_id, self.removed.notes)


# -- notes -------------------------------------------------------------------------------
class AddNotesCommand(DocumentCommand):
    """Add notes (a new note, a paste), each at its index or last."""

    def __init__(self, target: EditingTarget, text: str, journey_id: str,
                 notes: Sequence[tuple[int | None, Note]]) -> None:
        super().__init__(target, text)
        self.journey_id = journey_id
        self.notes = tuple(notes)

    def _redo(self) -> None:
        journey = self.journey(self.journey_id)
        for index, note in self.notes:
            journey.add_note(note, index)
            self.target.note_added.emit(self.journey_id, note.id)

    def _undo(self) -> None:
        journey = self.journey(self.journey_id)
        journey.remove_notes(note.id for _, note in self.notes)
        tell(self.target.note_removed, self.journey_id, reversed(self.notes))


class SetNoteFieldsCommand(SetFieldsCommand):
    """Text, position, links or image of notes of one journey (`scope`)."""

    merge_id = 11

    def _apply(self, key: str, fields: dict[str, Any]) -> Note:
        old = self.journey(self.scope).update_note(key, **fields)
        self.target.note_changed.emit(self.scope, key)
        return old

    def _restore(self, key: str, old: Note) -> None:
        self.journey(self.scope).replace_note(old)
        self.target.note_changed.emit(self.scope, key)

    def _current(self, key: str) -> Note:
        return self.journey(self.scope).note(key)


class MoveNotesCommand(DocumentCommand):
    """Put notes in another cell (or another place in theirs) and the journey's notes in a
    new order, as one step."""

    def __init__(self, target: EditingTarget, text: str, journey_id: str,
                 changes: Mapping[str, Mapping[str, Any]], order: Sequence[str]) -> None:
        super().__init__(target, text)
        self.journey_id = journey_id
        self.changes = {key: dict(fields) for key, fields in changes.items()}
        self.order = list(order)
        self.old: list[Note] = []
        self.old_order: list[str] = []

    def _redo(self) -> None:
        journey = self.journey(self.journey_id)
        self.old = [journey.update_note(key, **fields) for key, fields in self.changes.items()]
        self.old_order = journey.order_notes(self.order)
        for key in self.changes:
            self.target.note_changed.emit(self.journey_id, key)

    def _undo(self) -> None:
        journey = self.journey(self.journey_id)
        journey.order_notes(self.old_order)
        for note in self.old:
            journey.replace_note(note)
            self.target.note_changed.emit(self.journey_id, note.id)


class RemoveNotesCommand(DocumentCommand):
    def __init__(self, target: EditingTarget, journey_id: str, note_ids: Iterable[str],
                 text: str = "Delete notes") -> None:
        super().__init__(target, text)
        self.journey_id = journey_id
        self.note_ids = tuple(note_ids)
        self.removed: PlacedNotes = ()

    def _redo(self) -> None:
        self.removed = self.journey(self.journey_id).remove_notes(self.note_ids)
        tell(self.target.note_removed, self.journey_id, self.removed)

    def _undo(self) -> None:
        self.journey(self.journey_id).restore_notes(self.removed)
        tell(self.target.note_added, self.journey_id, self.removed)


# -- personas ----------------------------------------------------------------------------
class AddPersonaCommand(DocumentCommand):
    def __init__(self, target: EditingTarget, persona: Persona) -> None:
        super().__init__(target, f"Add persona '{persona.name or persona.id}'")
        self.persona = persona

    def _redo(self) -> None:
        self.project.add_persona(self.persona)
        self.target.personas_changed.emit()

    def _undo(self) -> None:
        self.project.remove_persona(self.persona.id)
        self.target.personas_changed.emit()


class SetPersonaFieldsCommand(SetFieldsCommand):
    merge_id = 12

    def _apply(self, key: str, fields: dict[str, Any]) -> Persona:
        old = self.project.update_persona(key, **fields)
        self.target.personas_changed.emit()
        return old

    def _restore(self, key: str, old: Persona) -> None:
        self.project.replace_persona(old)
        self.target.personas_changed.emit()

    def _current(self, key: str) -> Persona:
        return self.project.persona(key)


class MovePersonaCommand(DocumentCommand):
    def __init__(self, target: EditingTarget, persona_id: str, new_index: int) -> None:
        super().__init__(target, "Move persona")
        self.persona_id = persona_id
        self.new_index = new_index
        self.old_index = 0

    def _redo(self) -> None:
        self.old_index = self.project.move_persona(self.persona_id, self.new_index)
        self.target.personas_changed.emit()

    def _undo(self) -> None:
        self.project.move_persona(self.persona_id, self.old_index)
        self.target.personas_changed.emit()


class RemovePersonaCommand(DocumentCommand):
    def __init__(self, target: EditingTarget, persona_id: str) -> None:
        super().__init__(target, "Remove persona")
        self.persona_id = persona_id
        self.removed: tuple[int, Persona] | None = None

    def _redo(self) -> None:
        self.removed = self.project.remove_persona(self.persona_id)
        self.target.personas_changed.emit()

    def _undo(self) -> None:
        assert self.removed is not None
        index, persona = self.removed
        self.project.add_persona(persona, index)
        self.target.personas_changed.emit()


# -- images ------------------------------------------------------------------------------
class AddImageCommand(DocumentCommand):
    def __init__(self, target: EditingTarget, image: Image) -> None:
        super().__init__(target, "Add image")
        self.image = image

    def _redo(self) -> None:
        self.project.add_image(self.image)
        self.target.images_changed.emit()

    def _undo(self) -> None:
        self.project.remove_image(self.image.id)
        self.target.images_changed.emit()


class RemoveImagesCommand(DocumentCommand):
    """Remove images nothing shows any more; undo puts them back in their places."""

    def __init__(self, target: EditingTarget, image_ids: Iterable[str]) -> None:
        super().__init__(target, "Remove images")
        self.image_ids = tuple(image_ids)
        self.removed: list[tuple[int, Image]] = []

    def _redo(self) -> None:
        self.removed = [self.project.remove_image(image_id) for image_id in self.image_ids]
        self.target.images_changed.emit()

    def _undo(self) -> None:
        for index, image in reversed(self.removed):
            self.project.add_image(image, index)
        self.target.images_changed.emit()

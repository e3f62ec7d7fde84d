"""The document's edits of the journey map around the graph: lanes, notes, personas, images.

ProjectDocument builds on this class, as touchpoint and stage edits build on its own
methods: one public method per user edit, each one undo step, nothing pushed when
nothing would change. Images live once in the project: showing one adds it (or
reuses the copy with the same bytes), and one that nothing shows any more goes with
the edit that stopped showing it, in the same step.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand

from cx_mapper.domain.content import (
    LANE_FIELDS,
    LANE_KINDS,
    Lane,
    LaneKind,
    Note,
    lane_colour_ok,
)
from cx_mapper.domain.ids import unique_id
from cx_mapper.domain.images import Image, check_image
from cx_mapper.domain.journey import Journey, slug
from cx_mapper.domain.personas import PERSONA_LISTS, Persona
from cx_mapper.domain.project import Project
from cx_mapper.ui.document import commands
from cx_mapper.ui.document import content_commands as content
from cx_mapper.ui.document.editing_target import EditingTarget

#: Note fields set_note_fields changes; cells, links and images have their own edits.
_NOTE_EDITABLE = ("text", "x", "y")
#: Persona fields set_persona_fields changes; its image has its own edit.
_PERSONA_EDITABLE = ("segment", "name", "quote", *PERSONA_LISTS)


def _check_lane(**fields: Any) -> None:
    """ValueError for a kind or colour no lane can have (the fields say it in words)."""
    if "kind" in fields and fields["kind"] not in LANE_KINDS:
        raise ValueError(f"There is no kind of lane called {fields['kind']!r}")
    if not lane_colour_ok(fields.get("colour")):
        raise ValueError(f"A lane's colour is written #rrggbb, not {fields['colour']!r}")


class ContentEdits(QObject):
    """Lanes, notes, personas and images, edited through undo commands."""

    lanes_changed = Signal(str)  # journey_id; a lane added, edited, moved or removed
    note_added = Signal(str, str)  # journey_id, note_id
    note_removed = Signal(str, str)
    note_changed = Signal(str, str)  # its text, cell, place in the cell, links or image
    personas_changed = Signal()
    images_changed = Signal()  # the project's images (added or removed)

    if TYPE_CHECKING:  # ProjectDocument's, which these edits use
        @property
        def project(self) -> Project: ...
        def journey(self, journey_id: str) -> Journey: ...
        def _push(self, command: QUndoCommand) -> None: ...
        def compound(self, text: str) -> AbstractContextManager[None]: ...
        def _merge_key(self, merge_key: Hashable | None) -> Hashable | None: ...

    @property
    def _target(self) -> EditingTarget:
        """This document as the commands see it (ProjectDocument adds the graph's signals)."""
        return cast("EditingTarget", self)

    # -- lanes ---------------------------------------------------------------------------
    def add_lane(self, journey_id: str, kind: LaneKind = "custom", name: str | None = None,
                 *, colour: str | None = None, index: int | None = None) -> str:
        """Add a lane (last, or at `index`); named after its kind unless `name` is given.
        Returns its id."""
        _check_lane(kind=kind, colour=colour)
        journey = self.journey(journey_id)
        name = LANE_KINDS[kind] if name is None else name
        lane = Lane(journey.new_lane_id(slug(name, kind.replace("_", "-"))), kind, name, colour)
        self._push(content.AddLaneCommand(self._target, journey_id, lane, index))
        return lane.id

    def set_lane_fields(self, journey_id: str, lane_id: str, *,
                        merge_key: Hashable | None = None, **fields: Any) -> bool:
        """Name, kind or colour of a lane."""
        commands.check_fields(fields, LANE_FIELDS, "lane")
        _check_lane(**fields)
        lane = self.journey(journey_id).lane(lane_id)
        if all(getattr(lane, name) == value for name, value in fields.items()):
            return False
        self._push(content.SetLaneFieldsCommand(
            self._target, commands.edit_text(fields, 1, "lane"), journey_id, {lane_id: fields},
            self._merge_key(merge_key)))
        return True

    def move_lane(self, journey_id: str, lane_id: str, new_index: int) -> bool:
        """Put a lane at another row (dragging its header); False if it is there already."""
        journey = self.journey(journey_id)
        new_index = max(0, min(new_index, len(journey.lanes) - 1))
        if journey.lanes.index(journey.lane(lane_id)) == new_index:
            return False
        self._push(content.MoveLaneCommand(self._target, journey_id, lane_id, new_index))
        return True

    def place_lane(self, journey_id: str, lane_id: str, new_index: int,
                   lanes_above: int) -> bool:
        """Put a lane at another row, above or below the touchpoint band, with the first
        `lanes_above` lanes above the band (dragging a header across it). One step."""
        journey = self.journey(journey_id)
        new_index = max(0, min(new_index, len(journey.lanes) - 1))
        lanes_above = max(0, min(lanes_above, len(journey.lanes)))
        if (journey.lanes.index(journey.lane(lane_id)), journey.lanes_above) == \
                (new_index, lanes_above):
            return False
        self._push(content.PlaceLaneCommand(self._target, journey_id, lane_id, new_index,
                                            lanes_above))
        return True

    def remove_lane(self, journey_id: str, lane_id: str) -> None:
        """Remove a lane and its notes as one step."""
        journey = self.journey(journey_id)
        journey.lane(lane_id)  # KeyError for an unknown lane
        shown = [n.image for n in journey.notes.values() if n.lane == lane_id]
        self._push_removal(content.RemoveLaneCommand(self._target, journey_id, lane_id),
                           "Remove lane", shown)

    # -- notes ---------------------------------------------------------------------------
    def add_note(self, journey_id: str, lane_id: str, stage_id: str, text: str = "", *,
                 touchpoints: Iterable[str] = (), x: float = 0.0, y: float = 0.0,
                 before: str | None = None) -> str:
        """Add a note to a cell, last in it or just before the note `before`; returns its id."""
        journey = self.journey(journey_id)
        note = Note(journey.new_note_id(), lane_id, stage_id, text,
                    tuple(dict.fromkeys(touchpoints)), None, float(x), float(y))
        journey.check_note(note)  # KeyError for a cell or touchpoint that is not there
        index = list(journey.notes).index(before) if before is not None else None
        self._push(content.AddNotesCommand(self._target, "Add note", journey_id, [(index, note)]))
        return note.id

    def add_notes(self, journey_id: str, notes: Sequence[Note], text: str = "Paste"
                  ) -> dict[str, str]:
        """Add copies of notes (a paste) as one step; returns old id -> new id.

        A copy gets a free id, keeps only links to touchpoints the journey has and an
        image the project has, and is left out if its lane or stage is not here.
        """
        journey = self.journey(journey_id)
        lanes = {lane.id for lane in journey.lanes}
        stages = {stage.id for stage in journey.stages}
        taken = set(journey.notes)
        ids: dict[str, str] = {}
        copies: list[tuple[int | None, Note]] = []
        for note in notes:
            if note.lane not in lanes or note.stage not in stages:
                continue
            ids[note.id] = unique_id(note.id or "note", taken)
            taken.add(ids[note.id])
            copies.append((None, replace(
                note, id=ids[note.id],
                touchpoints=tuple(t for t in note.touchpoints if t in journey.touchpoints),
                image=note.image if note.image in self.project.images else None)))
        if copies:
            self._push(content.AddNotesCommand(self._target, text, journey_id, copies))
        return ids

    def set_note_fields(self, journey_id: str, note_ids: Iterable[str], *,
                        merge_key: Hashable | None = None, **fields: Any) -> bool:
        """Text or position (x, y in the cell) of notes, as one step."""
        commands.check_fields(fields, _NOTE_EDITABLE, "note")
        journey = self.journey(journey_id)
        ids = list(dict.fromkeys(note_ids))
        if not any(getattr(journey.note(n), name) != value
                   for n in ids for name, value in fields.items()):
            return False
        self._push(content.SetNoteFieldsCommand(
            self._target, commands.edit_text(fields, len(ids), "note"), journey_id,
            {n: fields for n in ids}, self._merge_key(merge_key)))
        return True

    def move_notes(self, journey_id: str, note_ids: Iterable[str], lane_id: str,
                   stage_id: str, *, positions: Mapping[str, tuple[float, float]] | None = None,
                   before: str | None = None) -> bool:
        """Move notes into a cell, keeping their order: last in it, or just before the
        note `before`. `positions` gives them new places (x, y) in the cell. One step."""
        journey = self.journey(journey_id)
        journey.lane(lane_id)
        journey.stage(stage_id)  # KeyError for a cell that is not there
        chosen = set(note_ids)
        moving = [n for n in journey.notes if n in chosen]
        changes: dict[str, dict[str, Any]] = {}
        for note_id in moving:
            changes[note_id] = {"lane": lane_id, "stage": stage_id}
            if positions and note_id in positions:
                changes[note_id].update(x=float(positions[note_id][0]),
                                        y=float(positions[note_id][1]))
        staying = [n for n in journey.notes if n not in changes]
        if before is not None and before in staying:
            at = staying.index(before)
        else:  # after the last note of the cell, or at the end
            cell = [i for i, n in enumerate(staying)
                    if (journey.note(n).lane, journey.note(n).stage) == (lane_id, stage_id)]
            at = cell[-1] + 1 if cell else len(staying)
        order = [*staying[:at], *moving, *staying[at:]]
        changes = {n: {k: v for k, v in fields.items() if getattr(journey.note(n), k) != v}
                   for n, fields in changes.items()}
        if order == list(journey.notes) and not any(changes.values()):
            return False
        text = "Move note" if len(moving) == 1 else f"Move {len(moving)} notes"
        self._push(content.MoveNotesCommand(
            self._target, text, journey_id,
            {n: fields for n, fields in changes.items() if fields}, order))
        return True

    def remove_notes(self, journey_id: str, note_ids: Iterable[str]) -> bool:
        """Delete notes as one step; False if none of them is there."""
        journey = self.journey(journey_id)
        ids = [n for n in dict.fromkeys(note_ids) if n in journey.notes]
        if not ids:
            return False
        text = "Delete note" if len(ids) == 1 else f"Delete {len(ids)} notes"
        self._push_removal(content.RemoveNotesCommand(self._target, journey_id, ids, text), text,
                           [journey.note(n).image for n in ids])
        return True

    def link_note(self, journey_id: str, note_id: str, touchpoint_ids: Iterable[str]) -> bool:
        """Say a note is about these touchpoints too (they are added after its others)."""
        note = self.journey(journey_id).note(note_id)
        links = tuple(dict.fromkeys((*note.touchpoints, *touchpoint_ids)))
        return self._set_links(journey_id, note, links, "Link note")

    def unlink_note(self, journey_id: str, note_id: str, touchpoint_ids: Iterable[str]) -> bool:
        note = self.journey(journey_id).note(note_id)
        gone = set(touchpoint_ids)
        links = tuple(t for t in note.touchpoints if t not in gone)
        return self._set_links(journey_id, note, links, "Unlink note")

    def _set_links(self, journey_id: str, note: Note, links: tuple[str, ...],
                   text: str) -> bool:
        if links == note.touchpoints:
            return False
        self.journey(journey_id).check_note(replace(note, touchpoints=links))
        self._push(content.SetNoteFieldsCommand(self._target, text, journey_id,
                                                {note.id: {"touchpoints": links}}))
        return True

    # -- personas ------------------------------------------------------------------------
    def add_persona(self, segment_id: str, name: str = "", **fields: Any) -> str:
        """Give a segment a persona; returns its id (made from the name)."""
        self.project.segment(segment_id)  # KeyError for an unknown segment
        commands.check_fields({"name": name, **fields}, _PERSONA_EDITABLE[1:], "persona")
        persona = self.project.new_persona_id(slug(name, "persona"))
        fields = {key: tuple(value) if isinstance(value, list) else value
                  for key, value in fields.items()}
        self._push(content.AddPersonaCommand(self._target, Persona(persona, segment_id, name,
                                                           **fields)))
        return persona

    def set_persona_fields(self, persona_id: str, *, merge_key: Hashable | None = None,
                           **fields: Any) -> bool:
        """Name, quote, goals, needs, frustrations (or the segment) of a persona."""
        commands.check_fields(fields, _PERSONA_EDITABLE, "persona")
        if "segment" in fields:
            self.project.segment(fields["segment"])
        fields = {key: tuple(value) if isinstance(value, list) else value
                  for key, value in fields.items()}
        persona = self.project.persona(persona_id)
        if all(getattr(persona, name) == value for name, value in fields.items()):
            return False
        self._push(content.SetPersonaFieldsCommand(
            self._target, commands.edit_text(fields, 1, "persona"), "", {persona_id: fields},
            self._merge_key(merge_key)))
        return True

    def move_persona(self, persona_id: str, new_index: int) -> bool:
        personas = self.project.personas
        new_index = max(0, min(new_index, len(personas) - 1))
        if personas.index(self.project.persona(persona_id)) == new_index:
            return False
        self._push(content.MovePersonaCommand(self._target, persona_id, new_index))
        return True

    def remove_persona(self, persona_id: str) -> None:
        image = self.project.persona(persona_id).image
        self._push_removal(content.RemovePersonaCommand(self._target, persona_id), "Remove persona",
                           [image])

    # -- images --------------------------------------------------------------------------
    def set_touchpoint_image(self, journey_id: str, touchpoint_id: str, data: bytes | None,
                             media_type: str = "") -> bool:
        """Show an image on a touchpoint (None takes it off), as one step. Raises
        ImageError (a ValueError) with the reason for an image the project cannot hold."""
        old = self.journey(journey_id).touchpoint(touchpoint_id).image
        return self._show_image("touchpoint", old, data, media_type, lambda image_id: (
            commands.SetTouchpointFieldsCommand(self._target, "", journey_id,
                                                {touchpoint_id: {"image": image_id}})))

    def set_note_image(self, journey_id: str, note_id: str, data: bytes | None,
                       media_type: str = "") -> bool:
        old = self.journey(journey_id).note(note_id).image
        return self._show_image("note", old, data, media_type, lambda image_id: (
            content.SetNoteFieldsCommand(self._target, "", journey_id,
                                         {note_id: {"image": image_id}})))

    def set_persona_image(self, persona_id: str, data: bytes | None,
                          media_type: str = "") -> bool:
        old = self.project.persona(persona_id).image
        return self._show_image("persona", old, data, media_type, lambda image_id: (
            content.SetPersonaFieldsCommand(self._target, "", "",
                                            {persona_id: {"image": image_id}})))

    def _show_image(self, what: str, old: str | None, data: bytes | None, media_type: str,
                    command: Any) -> bool:
        project = self.project
        added: Image | None = None
        image_id: str | None = None
        if data is not None:
            check_image(media_type, data)
            same = project.image_with(data)
            if same is not None and same.media_type == media_type:
                image_id = same.id
            else:
                added = Image(project.new_image_id(), media_type, bytes(data))
                image_id = added.id
        if image_id == old:
            return False
        text = f"Remove image from {what}" if image_id is None else f"Set image of {what}"
        with self.compound(text):
            if added is not None:
                self._push(content.AddImageCommand(self._target, added))
            self._push(command(image_id))
            if old is not None and project.image_uses()[old] == 0:
                self._push(content.RemoveImagesCommand(self._target, [old]))
        return True

    def _push_removal(self, command: QUndoCommand, text: str,
                      shown: Iterable[str | None]) -> None:
        """Push a removal; images that only the removed elements showed go with them, in
        the same step (undo brings both back)."""
        images = [image for image in shown if image is not None]
        uses = self.project.image_uses()
        uses.subtract(images)
        unused = [image for image in dict.fromkeys(images) if uses[image] <= 0]
        if not unused:
            self._push(command)
            return
        with self.compound(text):
            self._push(command)
            self._push(content.RemoveImagesCommand(self._target, unused))

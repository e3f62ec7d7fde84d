"""Lanes and notes: the story of a journey around its touchpoint graph (PRODUCT.md).

A journey map is a grid. Stages are its columns; content lanes are rows, and a lane
holds notes (sticky cards) in its stage cells. A note can name touchpoints it is
about and show an image. The order of a journey's notes is their order in each cell.

Like touchpoints, lanes and notes are frozen: an edit replaces one and hands back
the old one, and removals hand back what undo needs to put everything back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, get_args

from cx_mapper.domain.ids import unique_id
from cx_mapper.domain.ranges import Range

LaneKind = Literal["actions", "thoughts", "pain_points", "opportunities",
                   "frontstage", "backstage", "support", "custom"]
#: Each kind of lane in the user's words, in the order a service blueprint lists them.
LANE_KINDS: dict[LaneKind, str] = {
    "actions": "Customer actions",
    "thoughts": "Thoughts and feelings",
    "pain_points": "Pain points",
    "opportunities": "Opportunities and ideas",
    "frontstage": "Frontstage",
    "backstage": "Backstage",
    "support": "Support processes",
    "custom": "Custom lane",
}
assert tuple(LANE_KINDS) == get_args(LaneKind)

#: A lane's own colour, "#rrggbb"; a lane without one takes its kind's colour.
COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
#: Characters of a lane's name: a row header, not a paragraph.
LANE_NAME_LIMIT = 200
#: Characters of a note: a sticky note holds a few lines; 5,000 is a page of text,
#: past which a note is a document that belongs elsewhere.
NOTE_TEXT_LIMIT = 5000
#: A note's position in its cell (its offset from the cell's corner): any finite number.
NOTE_RANGES: dict[str, Range] = {"x": (None, None), "y": (None, None)}


@dataclass(frozen=True, slots=True)
class Lane:
    """A row of the journey map: customer actions, pain points, backstage, or the user's own."""

    id: str
    kind: LaneKind = "custom"
    name: str = ""
    colour: str | None = None  # "#rrggbb"; None takes the kind's colour


@dataclass(frozen=True, slots=True)
class Note:
    """A sticky note in the cell of a lane and a stage."""

    id: str
    lane: str
    stage: str
    text: str = ""
    touchpoints: tuple[str, ...] = ()  # the touchpoints it is about, by id
    image: str | None = None  # an image of the project, by id
    x: float = 0.0
    y: float = 0.0


#: The fields of a note an edit may set besides its cell and links (which move_note and
#: the link edits keep consistent).
NOTE_FIELDS: tuple[str, ...] = ("lane", "stage", "text", "touchpoints", "image", "x", "y")
LANE_FIELDS: tuple[str, ...] = ("kind", "name", "colour")

#: Notes as they were before an edit, with their positions: what undo puts back.
PlacedNotes = tuple[tuple[int, Note], ...]


@dataclass(frozen=True, slots=True)
class RemovedLane:
    """What removing a lane took away: the lane and its notes, with their positions."""

    lane: Lane
    index: int
    notes: PlacedNotes
    lanes_above: int = 0  # the journey's lanes above the touchpoint band, before


def lane_colour_ok(colour: str | None) -> bool:
    return colour is None or (type(colour) is str and COLOUR.fullmatch(colour) is not None)


class JourneyContent:
    """The lane and note edits of a Journey (its base class), kept apart from the graph's.

    The journey's own edits call the `_notes_*` hooks, so removing a stage or a
    touchpoint, or renaming one, keeps every note in a cell and its links true.
    """

    # The Journey's fields these edits use.
    lanes: list[Lane]
    lanes_above: int
    notes: dict[str, Note]
    stages: list[Any]
    touchpoints: dict[str, Any]

    # -- queries -------------------------------------------------------------------------
    def lane(self, lane_id: str) -> Lane:
        return self.lanes[self._lane_position(lane_id)]

    def note(self, note_id: str) -> Note:
        return self.notes[note_id]

    def notes_in(self, lane_id: str, stage_id: str) -> list[Note]:
        """The notes of one cell, in their order."""
        return [n for n in self.notes.values() if n.lane == lane_id and n.stage == stage_id]

    def new_lane_id(self, base: str = "lane") -> str:
        return unique_id(base or "lane", {lane.id for lane in self.lanes})

    def new_note_id(self, base: str = "note") -> str:
        return unique_id(base or "note", set(self.notes))

    def image_ids(self) -> set[str]:
        """The images the journey's touchpoints and notes show."""
        shown = [t.image for t in self.touchpoints.values()]
        shown += [n.image for n in self.notes.values()]
        return {image for image in shown if image is not None}

    # -- lanes ---------------------------------------------------------------------------
    def add_lane(self, lane: Lane, index: int | None = None, above: bool = False) -> None:
        """Insert a lane at `index` of the top-to-bottom order (default: last). A lane
        inserted among the lanes above the touchpoint band joins them; at the band's
        own place (index == lanes_above) it goes just below the band unless `above`."""
        if any(other.id == lane.id for other in self.lanes):
            raise ValueError(f"A lane with id '{lane.id}' already exists")
        index = len(self.lanes) if index is None else max(0, min(index, len(self.lanes)))
        self.lanes.insert(index, lane)
        if index < self.lanes_above or (above and index == self.lanes_above):
            self.lanes_above += 1

    def update_lane(self, lane_id: str, **changes: Any) -> Lane:
        """Change a lane's kind, name or colour; returns the old lane. Ids never change."""
        if "id" in changes and changes["id"] != lane_id:
            raise ValueError("A lane's id cannot be changed")
        index = self._lane_position(lane_id)
        old = self.lanes[index]
        self.lanes[index] = replace(old, **changes)
        return old

    def replace_lane(self, lane: Lane) -> Lane:
        """Put back a whole lane (undo of an update); returns the one it replaced."""
        index = self._lane_position(lane.id)
        old = self.lanes[index]
        self.lanes[index] = lane
        return old

    def move_lane(self, lane_id: str, new_index: int) -> int:
        """Reorder a lane, keeping how many lanes are above the band; returns its old index."""
        index = self._lane_position(lane_id)
        self.lanes.insert(new_index, self.lanes.pop(index))
        return index

    def place_lane(self, lane_id: str, new_index: int, lanes_above: int) -> tuple[int, int]:
        """Move a lane to `new_index` and put the touchpoint band under the first
        `lanes_above` lanes: dragging a lane's header across the band. Returns the old
        (index, lanes_above), which undo gives back to this method."""
        if not 0 <= lanes_above <= len(self.lanes):
            raise ValueError(f"lanes_above must be 0..{len(self.lanes)}, not {lanes_above}")
        old = self._lane_position(lane_id), self.lanes_above
        self.lanes.insert(new_index, self.lanes.pop(old[0]))
        self.lanes_above = lanes_above
        return old

    def lane_is_above(self, lane_id: str) -> bool:
        """Whether the lane is drawn above the touchpoint band."""
        return self._lane_position(lane_id) < self.lanes_above

    def remove_lane(self, lane_id: str) -> RemovedLane:
        """Remove a lane and the notes in it."""
        index = self._lane_position(lane_id)
        lanes_above = self.lanes_above
        lane = self.lanes.pop(index)
        if index < self.lanes_above:
            self.lanes_above -= 1
        notes = tuple((n, note) for n, note in enumerate(self.notes.values())
                      if note.lane == lane_id)
        for _, note in notes:
            del self.notes[note.id]
        return RemovedLane(lane, index, notes, lanes_above)

    def restore_lane(self, removed: RemovedLane) -> None:
        """Undo remove_lane: the lane and its notes, where they were."""
        if any(other.id == removed.lane.id for other in self.lanes):
            raise ValueError(f"A lane with id '{removed.lane.id}' already exists")
        self.lanes.insert(removed.index, removed.lane)
        self.lanes_above = removed.lanes_above
        self.restore_notes(removed.notes)

    # -- notes ---------------------------------------------------------------------------
    def add_note(self, note: Note, index: int | None = None) -> None:
        """Add a note at `index` of the journey's notes (default: last, so last in its cell)."""
        if note.id in self.notes:
            raise ValueError(f"A note with id '{note.id}' already exists")
        self.check_note(note)
        if index is None or index >= len(self.notes):
            self.notes[note.id] = note
            return
        items = list(self.notes.items())
        items.insert(index, (note.id, note))
        self.notes = dict(items)

    def update_note(self, note_id: str, **changes: Any) -> Note:
        """Change fields of a note; returns the old one. Its lane, stage and touchpoints
        must exist; ids never change."""
        if "id" in changes and changes["id"] != note_id:
            raise ValueError("A note's id cannot be changed")
        old = self.notes[note_id]
        if "touchpoints" in changes:
            changes["touchpoints"] = tuple(dict.fromkeys(changes["touchpoints"]))
        new = replace(old, **changes)
        self.check_note(new)
        self.notes[note_id] = new
        return old

    def replace_note(self, note: Note) -> Note:
        """Put back a whole note (undo of an update); returns the one it replaced."""
        old = self.notes[note.id]
        self.notes[note.id] = note
        return old

    def remove_note(self, note_id: str) -> tuple[int, Note]:
        index = list(self.notes).index(note_id)
        return index, self.notes.pop(note_id)

    def remove_notes(self, note_ids: Iterable[str]) -> PlacedNotes:
        """Remove notes; returns them with their positions, for restore_notes."""
        gone = set(note_ids)
        removed = tuple((n, note) for n, note in enumerate(self.notes.values())
                        if note.id in gone)
        self.notes = {key: note for key, note in self.notes.items() if key not in gone}
        return removed

    def restore_notes(self, placed: PlacedNotes) -> None:
        """Put notes back as they were, where they were: undo of any edit that handed back
        PlacedNotes. The notes' current versions, if any, make way first."""
        ids = {note.id for _, note in placed}
        items = [(key, note) for key, note in self.notes.items() if key not in ids]
        for index, note in sorted(placed, key=lambda item: item[0]):
            items.insert(index, (note.id, note))
        self.notes = dict(items)

    def order_notes(self, order: Sequence[str]) -> list[str]:
        """Put the notes in `order` (every note id once); returns the old order."""
        old = list(self.notes)
        if sorted(order) != sorted(old):
            raise ValueError("A new order of the notes must name every note once")
        self.notes = {key: self.notes[key] for key in order}
        return old

    # -- what the journey's own edits call ------------------------------------------------
    def _notes_leave_stage(self, stage_id: str, neighbour: str | None) -> PlacedNotes:
        """A stage is going: its notes move to `neighbour`, after the notes already there,
        or go with it when there is none. Returns the notes as they were."""
        placed = tuple((n, note) for n, note in enumerate(self.notes.values())
                       if note.stage == stage_id)
        if not placed:
            return placed
        moved = {note.id for _, note in placed}
        items = {key: note for key, note in self.notes.items() if key not in moved}
        if neighbour is not None:
            items.update((note.id, replace(note, stage=neighbour)) for _, note in placed)
        self.notes = items
        return placed

    def _notes_unlink(self, touchpoint_id: str) -> tuple[Note, ...]:
        """A touchpoint is going: notes stop naming it. Returns the notes as they were."""
        linked = tuple(n for n in self.notes.values() if touchpoint_id in n.touchpoints)
        for note in linked:
            kept = tuple(t for t in note.touchpoints if t != touchpoint_id)
            self.notes[note.id] = replace(note, touchpoints=kept)
        return linked

    def _notes_relink(self, old_id: str, new_id: str) -> None:
        """A touchpoint's id changes: notes follow it."""
        for note in list(self.notes.values()):
            if old_id in note.touchpoints:
                links = tuple(new_id if t == old_id else t for t in note.touchpoints)
                self.notes[note.id] = replace(note, touchpoints=links)

    def check_note(self, note: Note) -> None:
        """KeyError unless the note's lane, stage and touchpoints are in the journey."""
        self._lane_position(note.lane)
        if not any(stage.id == note.stage for stage in self.stages):
            raise KeyError(f"No stage '{note.stage}' to put a note in")
        missing = [t for t in note.touchpoints if t not in self.touchpoints]
        if missing:
            raise KeyError(f"No touchpoint '{missing[0]}' to link a note to")

    def _lane_position(self, lane_id: str) -> int:
        for index, lane in enumerate(self.lanes):
            if lane.id == lane_id:
                return index
        raise KeyError(lane_id)


"""Journey: the graph of touchpoints (elements.py) with the edit API.

Elements are frozen: an edit replaces an element and hands back the old one, so
an undo command only has to put it back. A journey's lanes and notes have their
edits in content.py, its opportunities theirs in opportunities.py; the edits here
keep both consistent with the graph.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeVar

from cx_mapper.domain.content import JourneyContent, Lane, Note, PlacedNotes

# The elements' home before elements.py; callers import them from here too.
from cx_mapper.domain.elements import TOUCHPOINT_FIELDS as TOUCHPOINT_FIELDS
from cx_mapper.domain.elements import TRANSITION_FIELDS as TRANSITION_FIELDS
from cx_mapper.domain.elements import Channel as Channel
from cx_mapper.domain.elements import Stage as Stage
from cx_mapper.domain.elements import Touchpoint as Touchpoint
from cx_mapper.domain.elements import Transition as Transition
from cx_mapper.domain.elements import TransitionKey as TransitionKey
from cx_mapper.domain.ids import unique_id as unique_id  # its home before ids.py
from cx_mapper.domain.opportunities import JourneyOpportunities, Opportunity, PlanSettings
from cx_mapper.domain.variants import PathVariant

DEFAULT_DISCOUNT_RATE = 0.01
DEFAULT_HORIZON = 24


#: The two lists a journey sorts its touchpoints into. Stages and channels are alike
#: (an id and a name, in an order the user sets), so one set of edits serves both.
NamedList = Literal["stages", "channels"]
NAMED_LISTS: tuple[NamedList, ...] = ("stages", "channels")
#: One element of each list in words, which is also the touchpoint field that names it.
SINGULAR: Mapping[NamedList, str] = {"stages": "stage", "channels": "channel"}
_KIND: Mapping[NamedList, type[Stage] | type[Channel]] = {"stages": Stage, "channels": Channel}
_Item = TypeVar("_Item", Stage, Channel)


#: The journey-level fields an edit may set; the rest (stages, channels, touchpoints,
#: transitions) have their own edit methods.
JOURNEY_FIELDS: tuple[str, ...] = ("name", "discount_rate", "horizon", "conversions", "plan",
                                   "variants")


@dataclass(frozen=True, slots=True)
class RemovedTouchpoint:
    """What removing a touchpoint took away, so that undo can restore all of it."""

    touchpoint: Touchpoint
    index: int
    transitions: tuple[tuple[int, Transition], ...]
    notes: tuple[Note, ...] = ()  # notes that named it, as they were
    #: opportunities that named it, as they were, with their places
    opportunities: tuple[tuple[int, Opportunity], ...] = ()


@dataclass(frozen=True, slots=True)
class RemovedItem:
    """What removing a stage or a channel changed, so that undo can put all of it back:
    its touchpoints as they were, and (for a stage) the notes in it, with their places."""

    index: int
    item: Stage | Channel
    touchpoints: list[Touchpoint]
    notes: PlacedNotes = ()


#: The name a touchpoint drawn on the canvas starts with ("New touchpoint", "New touchpoint
#: 2"...), until the user names it.
NEW_TOUCHPOINT_NAME = "New touchpoint"


def slug(name: str, fallback: str) -> str:
    """An id-friendly form of a name: 'Customer Service' -> 'customer-service'."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or fallback


def awaits_first_name(touchpoint: Touchpoint) -> bool:
    """A touchpoint still called by the name it was drawn with, under the id made from that
    name: naming it also gives it an id that follows its name. Once named, its id stays,
    as other files and scripts may refer to it."""
    placeholder = re.escape(NEW_TOUCHPOINT_NAME)
    placeholder_id = re.escape(slug(NEW_TOUCHPOINT_NAME, ""))
    return (re.fullmatch(rf"{placeholder}( \d+)?", touchpoint.name) is not None
            and re.fullmatch(rf"{placeholder_id}(-\d+)*", touchpoint.id) is not None)


@dataclass(slots=True)
class Journey(JourneyContent, JourneyOpportunities):
    """A directed graph of touchpoints; the repeating (perpetual) customer journey."""

    id: str
    name: str = ""
    discount_rate: float = DEFAULT_DISCOUNT_RATE
    horizon: int = DEFAULT_HORIZON
    conversions: float | None = None
    stages: list[Stage] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)
    touchpoints: dict[str, Touchpoint] = field(default_factory=dict)
    transitions: dict[tuple[str, str], Transition] = field(default_factory=dict)
    lanes: list[Lane] = field(default_factory=list)
    #: How many of the lanes (the first ones) are drawn above the touchpoint band.
    lanes_above: int = 0
    notes: dict[str, Note] = field(default_factory=dict)
    #: What the team could do, in the order a bundle applies them (MODEL.md §12).
    opportunities: list[Opportunity] = field(default_factory=list)
    #: The budget and objective of the plan the user last asked for; None before.
    plan: PlanSettings | None = None
    #: The most common paths of the event log last imported into it (variants.py).
    variants: tuple[PathVariant, ...] = ()

    def copy(self) -> Journey:
        """An independent copy. The elements are frozen, so it shares them: copying a
        2,000-touchpoint journey takes well under a millisecond (a deep copy, ~0.6 s)."""
        return replace(self, stages=list(self.stages), channels=list(self.channels),
                       touchpoints=dict(self.touchpoints), transitions=dict(self.transitions),
                       lanes=list(self.lanes), notes=dict(self.notes),
                       opportunities=list(self.opportunities))

    # -- queries ---------------------------------------------------------------
    def touchpoint(self, touchpoint_id: str) -> Touchpoint:
        return self.touchpoints[touchpoint_id]

    def transition(self, source: str, target: str) -> Transition:
        return self.transitions[(source, target)]

    def outgoing(self, touchpoint_id: str) -> list[Transition]:
        return [t for t in self.transitions.values() if t.source == touchpoint_id]

    def incoming(self, touchpoint_id: str) -> list[Transition]:
        return [t for t in self.transitions.values() if t.target == touchpoint_id]

    def out_probability(self, touchpoint_id: str) -> float:
        """Sum of the probabilities leaving a touchpoint; 1 minus this leaves the journey."""
        return sum(t.probability for t in self.outgoing(touchpoint_id))

    def remaining_probability(self, touchpoint_id: str) -> float:
        """What a new transition from this touchpoint can take without going over 100%."""
        return max(0.0, 1.0 - self.out_probability(touchpoint_id))

    def stage(self, stage_id: str) -> Stage:
        return self.stages[_position(self.stages, stage_id)]

    def channel(self, channel_id: str) -> Channel:
        return self.channels[_position(self.channels, channel_id)]

    def items_in(self, which: NamedList) -> Sequence[Stage | Channel]:
        """The stages or the channels, in their order."""
        return self._list(which)

    def find_in(self, which: NamedList, item_id: str) -> Stage | Channel:
        items = self._list(which)
        found: Stage | Channel = items[_position(items, item_id)]
        return found

    def new_touchpoint_id(self, base: str = "touchpoint") -> str:
        return unique_id(base, self.touchpoints)

    def new_stage_id(self, base: str = "stage") -> str:
        return self.new_id_in("stages", base)

    def new_channel_id(self, base: str = "channel") -> str:
        return self.new_id_in("channels", base)

    def new_id_in(self, which: NamedList, base: str = "") -> str:
        """A free id for a new stage or channel: `base`, or `base-2`..."""
        return unique_id(base or SINGULAR[which], {item.id for item in self._list(which)})

    # -- touchpoint edits -----------------------------------------------------
    def add_touchpoint(self, touchpoint: Touchpoint, index: int | None = None) -> None:
        if touchpoint.id in self.touchpoints:
            raise ValueError(f"A touchpoint with id '{touchpoint.id}' already exists")
        if index is None or index >= len(self.touchpoints):
            self.touchpoints[touchpoint.id] = touchpoint
            return
        items = list(self.touchpoints.items())
        items.insert(index, (touchpoint.id, touchpoint))
        self.touchpoints = dict(items)

    def update_touchpoint(self, touchpoint_id: str, **changes: Any) -> Touchpoint:
        """Change fields of a touchpoint; returns the old one. Ids never change here."""
        old = self.touchpoints[touchpoint_id]
        if "id" in changes and changes["id"] != touchpoint_id:
            raise ValueError("Use rename_touchpoint to change a touchpoint's id")
        self.touchpoints[touchpoint_id] = replace(old, **changes)
        return old

    def rename_touchpoint(self, touchpoint_id: str, new_id: str) -> None:
        """Give a touchpoint another id; its transitions and the notes about it follow,
        and every order is kept."""
        if new_id != touchpoint_id and new_id in self.touchpoints:
            raise ValueError(f"A touchpoint with id '{new_id}' already exists")
        old = self.touchpoints[touchpoint_id]

        def renamed(end: str) -> str:
            return new_id if end == touchpoint_id else end

        self.touchpoints = {
            (new_id if key == touchpoint_id else key): (
                replace(old, id=new_id) if key == touchpoint_id else touchpoint)
            for key, touchpoint in self.touchpoints.items()}
        transitions: dict[tuple[str, str], Transition] = {}
        for transition in self.transitions.values():
            if touchpoint_id in transition.key:
                transition = replace(transition, source=renamed(transition.source),
                                     target=renamed(transition.target))
            transitions[transition.key] = transition
        self.transitions = transitions
        self._notes_relink(touchpoint_id, new_id)
        self._opportunities_relink(touchpoint_id, new_id)
        self.variants = tuple(v.renamed(touchpoint_id, new_id) for v in self.variants)

    def replace_touchpoint(self, touchpoint: Touchpoint) -> Touchpoint:
        """Put back a whole touchpoint (undo of update); returns the one it replaced."""
        old = self.touchpoints[touchpoint.id]
        self.touchpoints[touchpoint.id] = touchpoint
        return old

    def remove_touchpoint(self, touchpoint_id: str) -> RemovedTouchpoint:
        """Remove a touchpoint and every transition into or out of it; notes stop naming it."""
        if touchpoint_id not in self.touchpoints:
            raise KeyError(touchpoint_id)
        index = list(self.touchpoints).index(touchpoint_id)
        touchpoint = self.touchpoints.pop(touchpoint_id)
        removed: list[tuple[int, Transition]] = []
        kept: dict[tuple[str, str], Transition] = {}
        for position, (key, transition) in enumerate(self.transitions.items()):
            if touchpoint_id in key:
                removed.append((position, transition))
            else:
                kept[key] = transition
        self.transitions = kept
        return RemovedTouchpoint(touchpoint, index, tuple(removed),
                                 self._notes_unlink(touchpoint_id),
                                 self._opportunities_unlink(touchpoint_id))

    def restore_touchpoint(self, removed: RemovedTouchpoint) -> None:
        """Undo remove_touchpoint: the touchpoint and its transitions, in their old order,
        and the notes' links to it."""
        self.add_touchpoint(removed.touchpoint, removed.index)
        items = list(self.transitions.items())
        for position, transition in removed.transitions:
            items.insert(position, (transition.key, transition))
        self.transitions = dict(items)
        for note in removed.notes:
            self.notes[note.id] = note
        self._opportunities_restore(removed.opportunities)

    # -- transition edits ------------------------------------------------------
    def add_transition(self, transition: Transition, index: int | None = None) -> None:
        if transition.source not in self.touchpoints:
            raise KeyError(f"No touchpoint '{transition.source}' to start a transition from")
        if transition.target not in self.touchpoints:
            raise KeyError(f"No touchpoint '{transition.target}' to end a transition at")
        if transition.key in self.transitions:
            raise ValueError(
                f"A transition from '{transition.source}' to '{transition.target}' already exists"
            )
        if index is None or index >= len(self.transitions):
            self.transitions[transition.key] = transition
            return
        items = list(self.transitions.items())
        items.insert(index, (transition.key, transition))
        self.transitions = dict(items)

    def update_transition(self, source: str, target: str, **changes: Any) -> Transition:
        old = self.transitions[(source, target)]
        new = replace(old, **changes)
        if new.key != old.key:
            raise ValueError("A transition's ends cannot be changed; remove it and add another")
        self.transitions[old.key] = new
        return old

    def remove_transition(self, source: str, target: str) -> tuple[int, Transition]:
        index = list(self.transitions).index((source, target))
        return index, self.transitions.pop((source, target))

    # -- stages and channels ---------------------------------------------------
    # One implementation, parameterised by the list; the named methods are shorthands.
    def add_stage(self, stage: Stage, index: int | None = None) -> None:
        self.add_to("stages", stage, index)

    def update_stage(self, stage_id: str, **changes: Any) -> Stage:
        return _update(self.stages, stage_id, changes, "stage")

    def remove_stage(self, stage_id: str) -> RemovedItem:
        """Remove a stage; its touchpoints stay, with no stage, and its notes move to the
        stage before it (the one after, for the first), or go with the last stage.
        Returns what undo (restore_in) needs."""
        return self.remove_from("stages", stage_id)

    def move_stage(self, stage_id: str, new_index: int) -> int:
        """Reorder a stage; returns its old index."""
        return _move(self.stages, stage_id, new_index)

    def add_channel(self, channel: Channel, index: int | None = None) -> None:
        self.add_to("channels", channel, index)

    def update_channel(self, channel_id: str, **changes: Any) -> Channel:
        return _update(self.channels, channel_id, changes, "channel")

    def remove_channel(self, channel_id: str) -> RemovedItem:
        return self.remove_from("channels", channel_id)

    def add_to(self, which: NamedList, item: Stage | Channel, index: int | None = None) -> None:
        """Add a stage or a channel at `index` (default: last)."""
        items = self._list(which)
        self._check_kind(which, item)
        if any(other.id == item.id for other in items):
            raise ValueError(f"A {SINGULAR[which]} with id '{item.id}' already exists")
        items.insert(len(items) if index is None else index, item)

    def update_in(self, which: NamedList, item_id: str, **changes: Any) -> Stage | Channel:
        """Change fields of a stage or channel; returns the old one. Ids never change."""
        old: Stage | Channel = _update(self._list(which), item_id, changes, SINGULAR[which])
        return old

    def replace_in(self, which: NamedList, item: Stage | Channel) -> Stage | Channel:
        """Put back a whole stage or channel (undo of an update); returns the one it replaced."""
        self._check_kind(which, item)
        items = self._list(which)
        index = _position(items, item.id)
        old: Stage | Channel = items[index]
        items[index] = item
        return old

    def remove_from(self, which: NamedList, item_id: str) -> RemovedItem:
        """Remove a stage or channel; its touchpoints stay, with none, and a stage's notes
        move to a neighbouring stage (see remove_stage). Returns what undo needs."""
        items = self._list(which)
        index = _position(items, item_id)
        neighbours = [*items[index - 1:index], *items[index + 1:index + 2]]
        item = items.pop(index)
        field_name = SINGULAR[which]
        moved = [t for t in self.touchpoints.values() if getattr(t, field_name) == item_id]
        cleared: dict[str, Any] = {field_name: None}
        for touchpoint in moved:
            self.touchpoints[touchpoint.id] = replace(touchpoint, **cleared)
        notes: PlacedNotes = ()
        if which == "stages":
            notes = self._notes_leave_stage(item_id, neighbours[0].id if neighbours else None)
        return RemovedItem(index, item, moved, notes)

    def restore_in(self, which: NamedList, removed: RemovedItem) -> None:
        """Undo remove_from: the stage or channel, its touchpoints and its notes as they were."""
        self.add_to(which, removed.item, removed.index)
        for touchpoint in removed.touchpoints:
            self.touchpoints[touchpoint.id] = touchpoint
        if removed.notes:
            self.restore_notes(removed.notes)

    def move_in(self, which: NamedList, item_id: str, new_index: int) -> int:
        """Reorder a stage or channel; returns its old index."""
        return _move(self._list(which), item_id, new_index)

    def _list(self, which: NamedList) -> list[Any]:
        if which == "stages":
            return self.stages
        if which == "channels":
            return self.channels
        raise ValueError(f"A journey has no list called {which!r}")

    @staticmethod
    def _check_kind(which: NamedList, item: Stage | Channel) -> None:
        if type(item) is not _KIND[which]:
            raise TypeError(f"A {type(item).__name__} does not belong in {which}")


def _position(items: Sequence[_Item], item_id: str) -> int:
    for index, item in enumerate(items):
        if item.id == item_id:
            return index
    raise KeyError(item_id)


def _update(items: list[_Item], item_id: str, changes: Mapping[str, Any], what: str) -> _Item:
    index = _position(items, item_id)
    old = items[index]
    if "id" in changes and changes["id"] != item_id:
        raise ValueError(f"A {what}'s id cannot be changed")
    items[index] = replace(old, **changes)
    return old


def _move(items: list[_Item], item_id: str, new_index: int) -> int:
    index = _position(items, item_id)
    items.insert(new_index, items.pop(index))
    return index


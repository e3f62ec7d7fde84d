"""ProjectDocument: owns the Project and its QUndoStack, and is its only writer.

Views call one public method per user edit; the method pushes a command, the
command edits the domain, and the document emits a past-tense signal carrying
ids. Views redraw from those signals and never edit the project themselves.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace
from itertools import count
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from cx_mapper.domain.journey import (
    JOURNEY_FIELDS,
    NAMED_LISTS,
    SINGULAR,
    TOUCHPOINT_FIELDS,
    Channel,
    Journey,
    NamedList,
    Stage,
    Touchpoint,
    Transition,
    TransitionKey,
    awaits_first_name,
    slug,
    unique_id,
)
from cx_mapper.domain.project import PRESETS, SEGMENT_FIELDS, Project, segment_from_preset
from cx_mapper.engine.layout import layout_by_stage
from cx_mapper.ui.document import commands
from cx_mapper.ui.document.analysis_service import AnalysisService
from cx_mapper.ui.document.evidence_edits import EvidenceEdits

_TRANSITION_EDITABLE = ("probability", "label")


class ProjectDocument(EvidenceEdits):
    """The open project: the only writer of the domain, through undo commands (the lanes,
    notes, personas and images through ContentEdits', opportunities OpportunityEdits',
    evidence EvidenceEdits')."""

    touchpoint_added = Signal(str, str)  # journey_id, touchpoint_id
    touchpoint_removed = Signal(str, str)
    touchpoint_changed = Signal(str, str)
    touchpoint_renamed = Signal(str, str, str)  # journey_id, old id, new id
    #: journey_id, tuple of touchpoint ids: one edit changed many (a big move, auto-layout)
    touchpoints_changed = Signal(str, object)
    transition_added = Signal(str, str, str)  # journey_id, source, target
    transition_removed = Signal(str, str, str)
    transition_changed = Signal(str, str, str)
    stage_changed = Signal(str)  # journey_id; any stage or channel list change
    journey_changed = Signal(str)  # journey_id; journey-level fields
    journeys_changed = Signal()
    segments_changed = Signal()
    project_changed = Signal()  # project-level fields (its name)
    project_reset = Signal()
    path_changed = Signal(object)  # Path | None
    modified_changed = Signal(bool)
    revision_changed = Signal(int)

    def __init__(
        self,
        project: Project | None = None,
        path: str | Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._project = project if project is not None else Project()
        self._path = Path(path) if path is not None else None
        self._revision = 0
        self._drag_keys = count(1)
        self._drag_key: Hashable | None = None
        self._compound_text: str | None = None  # the outermost open compound's
        self._compound_depth = 0
        self._macro_open = False
        self._undo_stack = QUndoStack(self)
        self._undo_stack.cleanChanged.connect(self._on_clean_changed)
        # A modified document's stack emits cleanChanged while it is destroyed with
        # the document; that must not reach the half-destroyed document.
        stack = self._undo_stack

        def mute_stack(*_: object) -> None:
            # When the collector frees a document and its stack together, the stack's
            # C++ side can go first (a flaky "already deleted" in the test run).
            with suppress(RuntimeError):
                stack.blockSignals(True)

        self.destroyed.connect(mute_stack)
        self._analysis = AnalysisService(self, self)

    # -- state -------------------------------------------------------------------
    @property
    def project(self) -> Project:
        return self._project

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def display_name(self) -> str:
        """What the window title shows: the file name, or the project's name if unsaved."""
        return self._path.name if self._path is not None else self._project.name

    @property
    def is_modified(self) -> bool:
        return not self._undo_stack.isClean()

    @property
    def revision(self) -> int:
        """Bumped on every change, undo and redo included, so stale results can be dropped."""
        return self._revision

    @property
    def undo_stack(self) -> QUndoStack:
        return self._undo_stack

    @property
    def analysis(self) -> AnalysisService:
        """The one place views get this document's figures from."""
        return self._analysis

    def journey(self, journey_id: str) -> Journey:
        return self._project.journey(journey_id)

    def load(self, project: Project, path: str | Path | None = None, *, modified: bool = False
             ) -> None:
        """Replace the whole project (New, Open, restore); undo history starts afresh.

        `modified=True` is for a project restored from a recovery file: it is
        not what is on disk, so it counts as unsaved.
        """
        self._undo_stack.clear()
        self._project = project
        self._set_path(Path(path) if path is not None else None)
        if modified:
            self._undo_stack.resetClean()
        else:
            self._undo_stack.setClean()
        self.project_reset.emit()
        self.note_change()

    def mark_saved(self, path: str | Path) -> None:
        """The project now matches the file at `path`."""
        self._set_path(Path(path))
        self._undo_stack.setClean()

    def _set_path(self, path: Path | None) -> None:
        if path != self._path:
            self._path = path
            self.path_changed.emit(path)

    def note_change(self) -> None:
        """Called by every command after it edits the project (and by `load`)."""
        self._revision += 1
        self.revision_changed.emit(self._revision)

    def _on_clean_changed(self, clean: bool) -> None:
        self.modified_changed.emit(not clean)

    def _push(self, command: QUndoCommand) -> None:
        if self._compound_text is not None and not self._macro_open:
            self._undo_stack.beginMacro(self._compound_text)
            self._macro_open = True
        self._undo_stack.push(command)

    # -- compound edits --------------------------------------------------------------
    @contextmanager
    def compound(self, text: str) -> Iterator[None]:
        """Make every edit inside one undo step named `text`: `with doc.compound("Connect"):`.

        The only way to group edits: commands never open macros themselves. A
        nested compound joins the outermost one. The step opens at the first
        edit, so a compound that changes nothing leaves no empty step behind
        (one would also mark the project modified and drop the redo history).
        """
        self._compound_depth += 1
        if self._compound_depth == 1:
            self._compound_text = text
        try:
            yield
        finally:
            self._compound_depth -= 1
            if self._compound_depth == 0:
                self._compound_text = None
                if self._macro_open:
                    self._macro_open = False
                    self._undo_stack.endMacro()

    # -- drags -------------------------------------------------------------------
    def begin_drag(self) -> None:
        """Start a slider (or spin-box) drag: property edits until `end_drag` merge."""
        self._drag_key = ("drag", next(self._drag_keys))

    def end_drag(self) -> None:
        self._drag_key = None

    @contextmanager
    def drag(self) -> Iterator[None]:
        self.begin_drag()
        try:
            yield
        finally:
            self.end_drag()

    def _merge_key(self, merge_key: Hashable | None) -> Hashable | None:
        return merge_key if merge_key is not None else self._drag_key

    # -- touchpoints ---------------------------------------------------------------
    def add_touchpoint(self, journey_id: str, touchpoint: Touchpoint) -> str:
        """Add a touchpoint; returns its id, made unique if it was empty or taken.

        A journey's first touchpoint is where its customers start (entry 1), so a new
        map can be analysed at once; it is part of the same undo step.
        """
        journey = self.journey(journey_id)
        if not touchpoint.id or touchpoint.id in journey.touchpoints:
            base = touchpoint.id or slug(touchpoint.name, "touchpoint")
            touchpoint = replace(touchpoint, id=journey.new_touchpoint_id(base))
        if not journey.touchpoints and touchpoint.entry == 0:
            touchpoint = replace(touchpoint, entry=1.0)
        self._push(commands.AddItemsCommand(
            self, f"Add touchpoint '{touchpoint.name or touchpoint.id}'", journey_id, [touchpoint]))
        return touchpoint.id

    def remove_items(
        self,
        journey_id: str,
        touchpoint_ids: Iterable[str] = (),
        transition_keys: Iterable[TransitionKey] = (),
    ) -> bool:
        """Delete touchpoints (with their transitions) and transitions as one step."""
        journey = self.journey(journey_id)
        touchpoints = [t for t in dict.fromkeys(touchpoint_ids) if t in journey.touchpoints]
        transitions = [
            key for key in dict.fromkeys((s, t) for s, t in transition_keys)
            if key in journey.transitions
        ]
        if not touchpoints and not transitions:
            return False
        removal = commands.RemoveItemsCommand(self, journey_id, touchpoints, transitions)
        self._push_removal(removal, "Delete", [journey.touchpoint(t).image for t in touchpoints])
        return True

    def move_touchpoints(
        self,
        journey_id: str,
        positions: Mapping[str, tuple[float, float]],
        *,
        stages: Mapping[str, str | None] | None = None,
        merge_key: Hashable | None = None,
        text: str = "Move",
    ) -> bool:
        """Move touchpoints to new positions as one step; False if none moves.

        `stages` gives a new stage for touchpoints dropped into another lane,
        so the move and the stage change undo together.
        """
        journey = self.journey(journey_id)
        merge_key = self._merge_key(merge_key)
        stages = stages or {}

        def target(touchpoint_id: str, x: float, y: float) -> dict[str, Any]:
            values: dict[str, Any] = {"x": float(x), "y": float(y)}
            if touchpoint_id in stages:
                values["stage"] = stages[touchpoint_id]
            return values

        def unchanged(touchpoint_id: str, values: Mapping[str, Any]) -> bool:
            touchpoint = journey.touchpoint(touchpoint_id)
            return all(getattr(touchpoint, name) == value for name, value in values.items())

        values = {
            touchpoint_id: target(touchpoint_id, x, y)
            for touchpoint_id, (x, y) in positions.items()
        }
        if merge_key is None:
            # A merging move names the same items each time, moved or not.
            values = {t: v for t, v in values.items() if not unchanged(t, v)}
        if all(unchanged(t, v) for t, v in values.items()):
            return False
        self._push(commands.SetTouchpointFieldsCommand(self, text, journey_id, values, merge_key))
        return True

    def set_touchpoint_fields(
        self,
        journey_id: str,
        touchpoint_ids: Iterable[str],
        *,
        merge_key: Hashable | None = None,
        **fields: Any,
    ) -> bool:
        """Set the same fields on several touchpoints as one step.

        Nothing is pushed when no value would change (the NodeGraphQt rule).
        """
        commands.check_fields(fields, TOUCHPOINT_FIELDS, "touchpoint")
        journey = self.journey(journey_id)
        ids = list(dict.fromkeys(touchpoint_ids))
        if not any(
            getattr(journey.touchpoint(t), name) != value
            for t in ids
            for name, value in fields.items()
        ):
            return False
        self._push(commands.SetTouchpointFieldsCommand(
            self, commands.edit_text(fields, len(ids), "touchpoint"), journey_id,
            {t: fields for t in ids}, self._merge_key(merge_key)))
        return True

    def rename_touchpoint(self, journey_id: str, touchpoint_id: str, name: str) -> str | None:
        """Rename a touchpoint (F2, the Inspector); returns its id, None if nothing changed.

        The first naming of a drawn touchpoint also gives it an id made from the name,
        unique in the journey, with its transitions following, as one step; later
        renames keep the id.
        """
        journey = self.journey(journey_id)
        touchpoint = journey.touchpoint(touchpoint_id)
        if name == touchpoint.name:
            return None
        if not awaits_first_name(touchpoint) or not name.strip():
            self.set_touchpoint_fields(journey_id, [touchpoint_id], name=name)
            return touchpoint_id
        taken = set(journey.touchpoints) - {touchpoint_id}
        new_id = unique_id(slug(name, "touchpoint"), taken)
        self._push(commands.RenameTouchpointCommand(self, journey_id, touchpoint_id, new_id,
                                                    name))
        return new_id

    # -- the project ---------------------------------------------------------------
    def set_project_name(self, name: str) -> bool:
        """File > Project properties: the name the title bar, summary and files show."""
        if name == self._project.name:
            return False
        self._push(commands.SetProjectNameCommand(self, name))
        return True

    # -- transitions ---------------------------------------------------------------
    def connect_touchpoints(
        self, journey_id: str, source: str, target: str, probability: float | None = None
    ) -> TransitionKey | None:
        """Connect two touchpoints; None when they already are (duplicates are refused).

        Not named `connect`, which would hide QObject.connect.

        Without a probability the transition takes what the source has left.
        """
        journey = self.journey(journey_id)
        for end in (source, target):
            journey.touchpoint(end)  # KeyError for an unknown touchpoint
        if (source, target) in journey.transitions:
            return None
        if probability is None:
            probability = journey.remaining_probability(source)
        transition = Transition(source, target, float(probability))
        self._push(commands.AddItemsCommand(self, "Connect", journey_id, (), [transition]))
        return transition.key

    def set_transition_fields(
        self,
        journey_id: str,
        keys: Iterable[TransitionKey],
        *,
        merge_key: Hashable | None = None,
        **fields: Any,
    ) -> bool:
        """Set probability and/or label on several transitions as one step."""
        commands.check_fields(fields, _TRANSITION_EDITABLE, "transition")
        journey = self.journey(journey_id)
        keys = list(dict.fromkeys((s, t) for s, t in keys))
        if not any(
            getattr(journey.transition(*k), name) != value
            for k in keys
            for name, value in fields.items()
        ):
            return False
        self._push(commands.SetTransitionFieldsCommand(
            self, commands.edit_text(fields, len(keys), "transition"), journey_id,
            {k: fields for k in keys}, self._merge_key(merge_key)))
        return True

    # -- the journey ---------------------------------------------------------------
    def set_journey_fields(
        self, journey_id: str, *, merge_key: Hashable | None = None, **fields: Any
    ) -> bool:
        """Name, discount rate, horizon or conversions of a journey."""
        commands.check_fields(fields, JOURNEY_FIELDS, "journey")
        journey = self.journey(journey_id)
        if all(getattr(journey, name) == value for name, value in fields.items()):
            return False
        self._push(commands.SetJourneyFieldsCommand(
            self, commands.edit_text(fields, 1, "journey"), journey_id, {journey_id: fields},
            self._merge_key(merge_key)))
        return True

    def add_journey(self, journey: Journey | None = None, name: str = "New journey") -> str:
        """Add a journey (a blank one by default); returns its id, made unique."""
        journey = journey if journey is not None else Journey(id="", name=name)
        taken = {j.id for j in self._project.journeys}
        if not journey.id or journey.id in taken:
            journey.id = unique_id(journey.id or slug(journey.name, "journey"), taken)
        self._push(commands.AddJourneyCommand(self, journey))
        return journey.id

    def remove_journey(self, journey_id: str) -> None:
        journey = self.journey(journey_id)
        shown = [t.image for t in journey.touchpoints.values()]  # and its notes':
        self._push_removal(commands.RemoveJourneyCommand(self, journey_id), "Remove journey",
                           shown + [n.image for n in journey.notes.values()])

    # -- stages and channels ---------------------------------------------------------
    # The named methods are what the views call; each list's edits are written once below.
    def add_stage(self, journey_id: str, name: str, index: int | None = None) -> str:
        return self.add_to(journey_id, "stages", name, index)

    def rename_stage(self, journey_id: str, stage_id: str, name: str) -> bool:
        return self.rename_in(journey_id, "stages", stage_id, name)

    def remove_stage(self, journey_id: str, stage_id: str) -> None:
        """Remove a stage; its touchpoints stay, with no stage."""
        self.remove_from(journey_id, "stages", stage_id)

    def move_stage(self, journey_id: str, stage_id: str, new_index: int) -> bool:
        return self.move_in(journey_id, "stages", stage_id, new_index)

    def add_channel(self, journey_id: str, name: str) -> str:
        return self.add_to(journey_id, "channels", name)

    def rename_channel(self, journey_id: str, channel_id: str, name: str) -> bool:
        return self.rename_in(journey_id, "channels", channel_id, name)

    def remove_channel(self, journey_id: str, channel_id: str) -> None:
        """Remove a channel; its touchpoints stay, with no channel."""
        self.remove_from(journey_id, "channels", channel_id)

    def add_to(
        self, journey_id: str, which: NamedList, name: str, index: int | None = None
    ) -> str:
        """Add a stage or channel called `name` (at `index`, default last); returns its id."""
        journey = self.journey(journey_id)
        word = SINGULAR[which]
        item_id = journey.new_id_in(which, slug(name, word))
        item = Stage(item_id, name) if which == "stages" else Channel(item_id, name)
        self._push(commands.AddToListCommand(self, journey_id, which, item, index))
        return item.id

    def rename_in(self, journey_id: str, which: NamedList, item_id: str, name: str) -> bool:
        """Rename a stage or channel; False, with nothing pushed, if the name is the same."""
        if self.journey(journey_id).find_in(which, item_id).name == name:
            return False
        self._push(commands.UpdateInListCommand(
            self, which, f"Rename {SINGULAR[which]}", journey_id, {item_id: {"name": name}}))
        return True

    def remove_from(self, journey_id: str, which: NamedList, item_id: str) -> None:
        """Remove a stage or channel; its touchpoints stay, with none."""
        self.journey(journey_id).find_in(which, item_id)  # KeyError for an unknown one
        self._push(commands.RemoveFromListCommand(self, journey_id, which, item_id))

    def move_in(self, journey_id: str, which: NamedList, item_id: str, new_index: int) -> bool:
        """Reorder a stage or channel; False if it is already there."""
        journey = self.journey(journey_id)
        items = journey.items_in(which)
        new_index = max(0, min(new_index, len(items) - 1))
        if items.index(journey.find_in(which, item_id)) == new_index:
            return False
        self._push(commands.MoveInListCommand(self, journey_id, which, item_id, new_index))
        return True

    # -- segments ------------------------------------------------------------------
    def add_segment(
        self, preset: str | None = None, *, name: str | None = None, share: float = 1.0
    ) -> str:
        """Add a segment from a preset (a key of PRESETS; default the first)."""
        template = PRESETS[preset] if preset is not None else next(iter(PRESETS.values()))
        segment_id = self._project.new_segment_id(template.id)
        segment = segment_from_preset(template, id=segment_id, share=share)
        if name is not None:
            segment = replace(segment, name=name)
        self._push(commands.AddSegmentCommand(self, segment))
        return segment_id

    def update_segment(
        self, segment_id: str, *, merge_key: Hashable | None = None, **fields: Any
    ) -> bool:
        commands.check_fields(fields, SEGMENT_FIELDS, "segment")
        segment = self._project.segment(segment_id)
        if all(getattr(segment, name) == value for name, value in fields.items()):
            return False
        self._push(commands.UpdateSegmentCommand(
            self, commands.edit_text(fields, 1, "segment"), "", {segment_id: fields},
            self._merge_key(merge_key)))
        return True

    def remove_segment(self, segment_id: str) -> None:
        """Remove a segment and its personas."""
        self._project.segment(segment_id)
        self._push_removal(commands.RemoveSegmentCommand(self, segment_id), "Remove segment",
                           [p.image for p in self._project.personas_of(segment_id)])

    def update_journey(self, journey_id: str, updated: Journey, text: str) -> bool:
        """Make the journey match `updated` (e.g. refreshed from data) as one undo step.

        A macro of the ordinary edits, so every view follows from the signals it
        already knows: stages and channels added, touchpoints and transitions
        removed, changed and added. False, with nothing pushed, if nothing differs.
        """
        current = self.journey(journey_id)
        listed = {which: [item for item in updated.items_in(which)
                          if item.id not in {i.id for i in current.items_in(which)}]
                  for which in NAMED_LISTS}
        gone = [t for t in current.touchpoints if t not in updated.touchpoints]
        cut = [k for k in current.transitions
               if k not in updated.transitions and not set(k) & set(gone)]
        added = [t for tid, t in updated.touchpoints.items() if tid not in current.touchpoints]
        joined = [t for k, t in updated.transitions.items() if k not in current.transitions]
        touched = {tid: commands.differences(current.touchpoints[tid], t)
                   for tid, t in updated.touchpoints.items() if tid in current.touchpoints}
        touched = {tid: fields for tid, fields in touched.items() if fields}
        moved = {k: commands.differences(current.transitions[k], t)
                 for k, t in updated.transitions.items() if k in current.transitions}
        moved = {k: fields for k, fields in moved.items() if fields}
        journey_fields = {name: getattr(updated, name) for name in JOURNEY_FIELDS
                          if name != "name" and getattr(updated, name) != getattr(current, name)}
        if not any((*listed.values(), gone, cut, added, joined, touched, moved, journey_fields)):
            return False
        with self.compound(text):
            for which, items in listed.items():
                for item in items:
                    self._push(commands.AddToListCommand(self, journey_id, which, item))
            if gone or cut:
                self._push(commands.RemoveItemsCommand(self, journey_id, gone, cut, text))
            if touched:
                self._push(commands.SetTouchpointFieldsCommand(self, text, journey_id, touched))
            if added or joined:
                self._push(commands.AddItemsCommand(self, text, journey_id, added, joined))
            if moved:
                self._push(commands.SetTransitionFieldsCommand(self, text, journey_id, moved))
            if journey_fields:
                self._push(commands.SetJourneyFieldsCommand(
                    self, text, journey_id, {journey_id: journey_fields}))
        return True

    # -- layout and clipboard --------------------------------------------------------
    def auto_layout(self, journey_id: str) -> bool:
        """Lay the journey out by stage as one undoable step."""
        positions = layout_by_stage(self.journey(journey_id))
        return self.move_touchpoints(journey_id, positions, text="Auto-layout")

    def paste(
        self,
        journey_id: str,
        touchpoints: Sequence[Touchpoint],
        transitions: Sequence[Transition] = (),
        offset: tuple[float, float] = (0.0, 0.0),
    ) -> dict[str, str]:
        """Paste copies as one step; returns old id -> new id.

        Transitions are kept only between pasted touchpoints. A stage or channel
        the journey does not have is cleared.
        """
        journey = self.journey(journey_id)
        stages = {s.id for s in journey.stages}
        channels = {c.id for c in journey.channels}
        taken: set[str] = set(journey.touchpoints)
        id_map: dict[str, str] = {}
        copies: list[Touchpoint] = []
        for touchpoint in touchpoints:
            new_id = unique_id(touchpoint.id or "touchpoint", taken)
            taken.add(new_id)
            id_map[touchpoint.id] = new_id
            copies.append(replace(
                touchpoint,
                id=new_id,
                x=touchpoint.x + offset[0],
                y=touchpoint.y + offset[1],
                stage=touchpoint.stage if touchpoint.stage in stages else None,
                channel=touchpoint.channel if touchpoint.channel in channels else None,
                image=touchpoint.image if touchpoint.image in self._project.images else None,
            ))
        links = [
            replace(t, source=id_map[t.source], target=id_map[t.target])
            for t in transitions
            if t.source in id_map and t.target in id_map
        ]
        links = list({t.key: t for t in links}.values())
        if copies:
            self._push(commands.AddItemsCommand(self, "Paste", journey_id, copies, links))
        return id_map

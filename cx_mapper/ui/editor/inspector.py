"""The Inspector: property forms for the selection (touchpoints, transitions or the journey).

Forms are generated from the declarations in `properties.py`, one per property. The
inspector writes only through the document, so every edit is an undo step, and it
redraws from the document's signals inside signal blockers, so undo and redo from
anywhere show up here without pushing anything back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.domain.backing import backing_of
from cx_mapper.domain.durations import median_and_p90
from cx_mapper.domain.evidence import BADGE_WORDS
from cx_mapper.domain.journey import (
    NAMED_LISTS,
    SINGULAR,
    Journey,
    NamedList,
    Stage,
    TransitionKey,
)
from cx_mapper.domain.quoting import counted
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.evidence_form import (
    TOUCHPOINT_FIGURES,
    TRANSITION_FIGURE,
    EvidenceSection,
)
from cx_mapper.ui.editor.forms import NamedListEditor, PropertyForm
from cx_mapper.ui.editor.image_field import ImageField
from cx_mapper.ui.editor.images import picture_of, show_file_on_touchpoint
from cx_mapper.ui.editor.inspector_notes import (
    departures_note,
    measured_note,
    name_of,
    source_balance,
    stage_time_note,
    time_note,
)
from cx_mapper.ui.editor.note_form import NoteForm
from cx_mapper.ui.editor.properties import (
    JOURNEY_PROPERTIES,
    MIXED,
    TOUCHPOINT_PROPERTIES,
    TRANSITION_PROPERTIES,
    Property,
)
from cx_mapper.ui.look.labels import ToneLabel

NONE_CHOICE = "(none)"
EMPTY_TEXT = "Open or create a journey"


def _heading_font(base: QFont) -> QFont:
    font = QFont(base)
    font.setPointSizeF(base.pointSizeF() * 1.2)
    font.setBold(True)
    return font


class Inspector(QWidget):
    """Edits the selection: touchpoints, transitions, or (nothing selected) the journey."""

    title_changed = Signal(str)

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._journey_id: str | None = None
        self._touchpoints: list[str] = []
        self._transitions: list[TransitionKey] = []
        self._notes: list[str] = []
        self._title = ""
        self._fresh_evidence = True

        self.heading = QLabel()
        self.heading.setFont(_heading_font(self.font()))
        self.subheading = ToneLabel()
        self.empty_label = ToneLabel(EMPTY_TEXT)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setMinimumHeight(120)

        self.touchpoint_form = PropertyForm(TOUCHPOINT_PROPERTIES)
        self.transition_form = PropertyForm(TRANSITION_PROPERTIES)
        self.journey_form = PropertyForm(JOURNEY_PROPERTIES)
        self.picture_heading = QLabel("Picture")
        self.picture_heading.setFont(_heading_font(self.font()))
        self.picture_field = ImageField("touchpoint")
        self.note_form = NoteForm(document)
        self.touchpoint_evidence = EvidenceSection(
            TOUCHPOINT_FIGURES, self._heading("Evidence"), _label_width(TOUCHPOINT_PROPERTIES))
        self.transition_evidence = EvidenceSection(
            (TRANSITION_FIGURE,), self._heading("Evidence"), _label_width(TRANSITION_PROPERTIES))
        self.stages_editor = NamedListEditor("stage", movable=True)
        self.channels_editor = NamedListEditor("channel", movable=False)
        self._list_editors: dict[NamedList, NamedListEditor] = {
            "stages": self.stages_editor, "channels": self.channels_editor}
        self.journey_page = QWidget()
        journey_layout = QVBoxLayout(self.journey_page)
        journey_layout.setContentsMargins(0, 0, 0, 0)
        journey_layout.setSpacing(6)
        journey_layout.addWidget(self.journey_form)
        for title, tooltip, editor in (
            ("Stages", "The phases of the journey, drawn as swimlanes from left to right.",
             self.stages_editor),
            ("Channels", "Where interactions happen, e.g. website, phone, store.",
             self.channels_editor),
        ):
            journey_layout.addSpacing(8)
            header = QLabel(title)
            header.setFont(_heading_font(self.font()))
            header.setToolTip(tooltip)
            journey_layout.addWidget(header)
            journey_layout.addWidget(editor)

        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(12, 10, 12, 12)
        column.setSpacing(8)
        for widget in (self.heading, self.subheading, self.empty_label, self.touchpoint_form,
                       self.picture_heading, self.picture_field, self.touchpoint_evidence,
                       self.transition_form, self.transition_evidence, self.note_form,
                       self.journey_page):
            column.addWidget(widget)
        column.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll_area)
        self.setMinimumWidth(260)

        self._connect_forms()
        self._connect_document()
        self._rebuild()

    # -- public ----------------------------------------------------------------
    def set_selection(
        self,
        journey_id: str | None,
        touchpoints: Sequence[str] = (),
        transitions: Sequence[tuple[str, str]] = (),
        notes: Sequence[str] = (),
    ) -> None:
        """Show what the canvas selected; unknown ids are ignored.

        The same selection again (the canvas re-announcing it) only refreshes, so a
        refusal shown under a field stays until the user moves on.
        """
        self._flush()
        previous = (self._journey_id, self._touchpoints, self._transitions, self._notes)
        self._journey_id = journey_id
        self._touchpoints = list(dict.fromkeys(touchpoints))
        self._transitions = list(dict.fromkeys((s, t) for s, t in transitions))
        self._notes = list(dict.fromkeys(notes))
        self._prune()
        if (self._journey_id, self._touchpoints, self._transitions, self._notes) == previous:
            self._show_values()
        else:
            self._rebuild()

    def title(self) -> str:
        """What the dock shows: "Touchpoint", "3 touchpoints", "Transition", "Journey"."""
        return self._title

    def journey_id(self) -> str | None:
        return self._journey_id

    def selected_touchpoints(self) -> list[str]:
        return list(self._touchpoints)

    def selected_transitions(self) -> list[TransitionKey]:
        return list(self._transitions)

    def mode(self) -> str:
        """"none", "journey", "touchpoints" or "transitions" (what the form edits)."""
        if self._journey_id is None:
            return "none"
        if self._touchpoints:
            return "touchpoints"
        if self._transitions:
            return "transitions"
        if self._notes:
            return "notes"
        return "journey"

    def current_form(self) -> PropertyForm | None:
        return {
            "touchpoints": self.touchpoint_form,
            "transitions": self.transition_form,
            "journey": self.journey_form,
        }.get(self.mode())

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setFont(_heading_font(self.font()))
        return label

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ApplicationPaletteChange:
            self._show_values()  # the notes carry their colours in rich text
        return super().event(event)

    # -- wiring ----------------------------------------------------------------
    def _connect_forms(self) -> None:
        for form in (self.touchpoint_form, self.transition_form, self.journey_form):
            form.drag_started.connect(self.document.begin_drag)
            form.drag_finished.connect(self.document.end_drag)
        self.touchpoint_form.edited.connect(self._on_touchpoint_edited)
        self.transition_form.edited.connect(self._on_transition_edited)
        self.journey_form.edited.connect(self._on_journey_edited)
        self.picture_field.file_chosen.connect(self._on_picture_file)
        self.picture_field.removed.connect(lambda: self._on_picture_file(None))
        self.touchpoint_evidence.chosen.connect(self._on_touchpoint_evidence)
        self.transition_evidence.chosen.connect(self._on_transition_evidence)
        for which, editor in self._list_editors.items():
            editor.added.connect(partial(self._on_list_item_added, which))
            editor.renamed.connect(partial(self._on_list_item_renamed, which))
            editor.removed.connect(partial(self._on_list_item_removed, which))
            editor.moved.connect(partial(self._on_list_item_moved, which))

    def _connect_document(self) -> None:
        document = self.document
        document.touchpoint_changed.connect(self._on_touchpoint_changed)
        document.touchpoints_changed.connect(self._on_touchpoints_changed)
        document.touchpoint_removed.connect(self._on_element_removed)
        document.touchpoint_added.connect(self._on_touchpoint_changed)
        document.touchpoint_renamed.connect(self._on_touchpoint_renamed)
        document.transition_changed.connect(self._on_transition_changed)
        document.transition_added.connect(self._on_transition_changed)
        document.transition_removed.connect(self._on_transition_removed)
        document.stage_changed.connect(self._on_journey_changed)
        document.journey_changed.connect(self._on_journey_changed)
        document.journeys_changed.connect(self._on_journeys_changed)
        document.project_reset.connect(self._on_journeys_changed)
        for signal in (document.note_changed, document.note_removed, document.lanes_changed):
            signal.connect(self._on_element_removed)

    # -- edits (view -> document) ------------------------------------------------
    def _on_touchpoint_edited(self, name: str, value: Any) -> None:
        if self._journey_id is not None and name == "name" and len(self._touchpoints) == 1:
            # A first name also gives a drawn touchpoint its id (the document decides).
            self.document.rename_touchpoint(self._journey_id, self._touchpoints[0], value)
        elif self._journey_id is not None and self._touchpoints:
            self.document.set_touchpoint_fields(
                self._journey_id, self._touchpoints, **{name: value})
        self._refresh()

    def _on_transition_edited(self, name: str, value: Any) -> None:
        if self._journey_id is not None and self._transitions:
            self.document.set_transition_fields(
                self._journey_id, self._transitions, **{name: value})
        self._refresh()

    def _on_journey_edited(self, name: str, value: Any) -> None:
        if self._journey_id is not None:
            self.document.set_journey_fields(self._journey_id, **{name: value})
        self._refresh()

    def _on_touchpoint_evidence(self, field: str, evidence: Any) -> None:
        if self._journey_id is not None and len(self._touchpoints) == 1:
            self.document.set_touchpoint_evidence(self._journey_id, self._touchpoints,
                                                  field, evidence)

    def _on_transition_evidence(self, _: str, evidence: Any) -> None:
        if self._journey_id is not None and len(self._transitions) == 1:
            self.document.set_transition_evidence(self._journey_id, self._transitions,
                                                  evidence)

    def _on_picture_file(self, path: str | None) -> None:
        """A picture chosen or dropped for the one selected touchpoint (None: remove it)."""
        if self._journey_id is None or len(self._touchpoints) != 1:
            return
        journey_id, touchpoint_id = self._journey_id, self._touchpoints[0]
        if path is None:
            self.document.set_touchpoint_image(journey_id, touchpoint_id, None)
        else:
            self.picture_field.show_message(
                show_file_on_touchpoint(self.document, journey_id, touchpoint_id, path))

    def _with_journey(self, action: Callable[[str], Any]) -> Any:
        return None if self._journey_id is None else action(self._journey_id)

    # Stages and channels: one set of handlers, told which list their editor shows.
    def _on_list_item_added(self, which: NamedList, name: str) -> None:
        item_id = self._with_journey(lambda j: self.document.add_to(j, which, name))
        if item_id is not None:
            self._list_editors[which].select(item_id)

    def _on_list_item_renamed(self, which: NamedList, item_id: str, name: str) -> None:
        self._with_journey(lambda j: self.document.rename_in(j, which, item_id, name))

    def _on_list_item_removed(self, which: NamedList, item_id: str) -> None:
        self._with_journey(lambda j: self.document.remove_from(j, which, item_id))

    def _on_list_item_moved(self, which: NamedList, item_id: str, index: int) -> None:
        self._with_journey(lambda j: self.document.move_in(j, which, item_id, index))

    # -- document -> view ---------------------------------------------------------
    def _on_touchpoint_changed(self, journey_id: str, touchpoint_id: str) -> None:
        if journey_id != self._journey_id:
            return
        sources = {s for s, _ in self._transitions}
        if touchpoint_id in self._touchpoints or touchpoint_id in sources:
            self._refresh()

    def _on_touchpoint_renamed(self, journey_id: str, old_id: str, new_id: str) -> None:
        if journey_id != self._journey_id:
            return

        def renamed(end: str) -> str:
            return new_id if end == old_id else end

        self._touchpoints = [renamed(t) for t in self._touchpoints]
        self._transitions = [(renamed(s), renamed(t)) for s, t in self._transitions]
        self._refresh()

    def _on_touchpoints_changed(self, journey_id: str, touchpoint_ids: tuple[str, ...]) -> None:
        if journey_id != self._journey_id:
            return
        shown = set(self._touchpoints) | {s for s, _ in self._transitions}
        if shown.intersection(touchpoint_ids):
            self._refresh()

    def _on_transition_changed(self, journey_id: str, source: str, target: str) -> None:
        if journey_id == self._journey_id and any(s == source for s, _ in self._transitions):
            self._refresh()

    def _on_element_removed(self, journey_id: str, *_: str) -> None:
        if journey_id == self._journey_id:
            self._refresh()

    def _on_transition_removed(self, journey_id: str, source: str, target: str) -> None:
        if journey_id == self._journey_id:
            self._refresh()

    def _on_journey_changed(self, journey_id: str) -> None:
        if journey_id == self._journey_id:
            self._refresh()

    def _on_journeys_changed(self) -> None:
        self._refresh()

    # -- showing -----------------------------------------------------------------
    def _journey(self) -> Journey | None:
        if self._journey_id is None:
            return None
        try:
            return self.document.journey(self._journey_id)
        except KeyError:
            return None

    def _prune(self) -> None:
        """Drop what no longer exists (removed, undone, another project loaded)."""
        journey = self._journey()
        if journey is None:
            self._journey_id = None
            self._touchpoints, self._transitions = [], []
            return
        self._touchpoints = [t for t in self._touchpoints if t in journey.touchpoints]
        self._notes = [n for n in self._notes if n in journey.notes]
        self._transitions = [k for k in self._transitions if k in journey.transitions]

    def _flush(self) -> None:
        """Commit typed text before the selection it belongs to goes away."""
        form = self.current_form()
        if form is not None:
            form.flush()
        if self.mode() == "notes":
            self.note_form.flush()
        for section in (self.touchpoint_evidence, self.transition_evidence):
            if section.isVisible():
                section.flush()

    def _refresh(self) -> None:
        """Show the document's values again; rebuild if the kind of selection changed."""
        mode = self.mode()
        self._prune()
        if self.mode() != mode:
            self._rebuild()
        else:
            self._show_values()

    def _rebuild(self) -> None:
        mode = self.mode()
        self.empty_label.setVisible(mode == "none")
        self.touchpoint_form.setVisible(mode == "touchpoints")
        one = mode == "touchpoints" and len(self._touchpoints) == 1
        self.picture_heading.setVisible(one)
        self.picture_field.setVisible(one)
        self.picture_field.show_message("")
        self.transition_form.setVisible(mode == "transitions")
        self.touchpoint_evidence.setVisible(one)
        self.transition_evidence.setVisible(mode == "transitions" and len(self._transitions) == 1)
        self._fresh_evidence = True  # another element: drafts and their messages go
        self.note_form.setVisible(mode == "notes" and len(self._notes) == 1)
        self.journey_page.setVisible(mode == "journey")
        for form in (self.touchpoint_form, self.transition_form, self.journey_form):
            form.clear_messages()
        for editor in self._list_editors.values():
            editor.show_message("")
        self._show_values()

    def _show_values(self) -> None:
        journey = self._journey()
        mode = self.mode()
        if journey is None or mode == "none":
            self._set_heading("Inspector", "")
        elif mode == "touchpoints":
            self._show_touchpoints(journey)
        elif mode == "transitions":
            self._show_transitions(journey)
        elif mode == "notes":
            self.note_form.show_note(self._journey_id, self._notes[0])
            self._set_heading("Note" if len(self._notes) == 1 else f"{len(self._notes)} notes",
                              "" if len(self._notes) == 1 else
                              "Select one note to edit it; Delete removes them all.")
        else:
            self._show_journey(journey)

    def _fresh(self) -> bool:
        """Whether the evidence shown is of an element just selected (drafts go)."""
        fresh, self._fresh_evidence = self._fresh_evidence, False
        return fresh

    def _set_heading(self, title: str, subtitle: str) -> None:
        self.heading.setText(title)
        self.heading.setVisible(self._journey_id is not None)
        self.subheading.setText(subtitle)
        self.subheading.setVisible(bool(subtitle))
        if title != self._title:
            self._title = title
            self.title_changed.emit(title)

    def _show_touchpoints(self, journey: Journey) -> None:
        touchpoints = [journey.touchpoint(t) for t in self._touchpoints]
        form = self.touchpoint_form
        for which in NAMED_LISTS:
            form.set_choices(SINGULAR[which], [(None, NONE_CHOICE)] + [
                (item.id, item.name) for item in journey.items_in(which)])
        form.set_values({
            name: _shared([getattr(t, name) for t in touchpoints]) for name in form.properties
        })
        form.set_note("satisfaction", measured_note(touchpoints))
        form.set_note("stage", stage_time_note(journey, touchpoints))
        count = len(touchpoints)
        image = self.document.project.images.get(touchpoints[0].image or "")
        self.picture_field.set_picture(
            picture_of(image.data) if image is not None and count == 1 else None)
        self.picture_heading.setVisible(count == 1)
        self.picture_field.setVisible(count == 1)
        self.touchpoint_evidence.setVisible(count == 1)
        if count == 1:
            kind = backing_of(journey, touchpoints[0].id)
            self.touchpoint_evidence.show_evidence(
                touchpoints[0].evidence,
                f"Its card's badge: {BADGE_WORDS[kind]}, the least backed of these figures "
                "and its transitions' probabilities." if kind else "", again=self._fresh())
        title = "Touchpoint" if count == 1 else f"{count} touchpoints"
        if self._transitions:
            others = len(self._transitions)
            title = f"{counted(count, 'touchpoint')}, {counted(others, 'transition')}"
        lines = []
        if count > 1:
            lines.append("Editing what they share. Fields showing \u201c—\u201d or "
                         "\u201cMixed\u201d differ; they change only if you edit them.")
        else:
            lines.append(f"Id: {touchpoints[0].id}")
        if self._transitions:
            also = counted(len(self._transitions), "transition")
            lines.append(f"{also} also selected: only the touchpoints are edited here. "
                         "Select transitions on their own to edit them.")
        self._set_heading(title, "\n".join(lines))

    def _show_transitions(self, journey: Journey) -> None:
        transitions = [journey.transition(*key) for key in self._transitions]
        form = self.transition_form
        form.set_values({
            name: _shared([getattr(t, name) for t in transitions]) for name in form.properties
        })
        sources = list(dict.fromkeys(t.source for t in transitions))
        form.set_note("probability", [source_balance(journey, source) for source in sources]
                      + time_note(transitions))
        count = len(transitions)
        if count == 1:
            transition = transitions[0]
            self.transition_evidence.show_evidence(
                {"probability": transition.evidence}, departures_note(journey, transition),
                again=self._fresh())
            subtitle = (f"From \u2018{name_of(journey, transition.source)}\u2019 to "
                        f"\u2018{name_of(journey, transition.target)}\u2019")
            self._set_heading("Transition", subtitle)
        else:
            self._set_heading(f"{count} transitions",
                              "Editing them together: a new probability is given to each.")

    def _show_journey(self, journey: Journey) -> None:
        self.journey_form.set_values(
            {name: getattr(journey, name) for name in self.journey_form.properties})
        for which, editor in self._list_editors.items():
            field = SINGULAR[which]
            counts = _counts(getattr(t, field) for t in journey.touchpoints.values())
            editor.set_items([
                (item.id, item.name,
                 f"{counted(counts.get(item.id, 0), 'touchpoint')} (id {item.id})"
                 + (f"\nTime in stage: {median_and_p90(item.time_median, item.time_p90)}"
                    if isinstance(item, Stage) and item.time_median is not None else ""))
                for item in journey.items_in(which)
            ])
        self._set_heading("Journey", "Nothing is selected: these settings apply to the "
                                     "whole journey.")


def _label_width(properties: Sequence[Property]) -> int:
    """The width of a form's label column, so the Evidence rows line up with it."""
    metrics = QLabel().fontMetrics()
    return max(metrics.horizontalAdvance(p.label) for p in properties)


def _shared(values: Sequence[Any]) -> Any:
    """The value all selected items have, or MIXED."""
    first = values[0]
    return first if all(value == first for value in values[1:]) else MIXED


def _counts(keys: Any) -> dict[Any, int]:
    counts: dict[Any, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    return counts


"""An opportunity that adds a touchpoint: "New touchpoint…" under the changes table.

The dialog asks what a user drawing it on the map would say: its name, stage, channel,
satisfaction, value and visibility, and the ways in and out (the touchpoint customers
come from and the one they go on to, each with its chance), so the new touchpoint is
reached at once. OK makes it one edit of the opportunity's changes; the journey itself
is unchanged until a future state is made from the opportunity. The new card is placed
where the map would place a new one in its stage (engine/layout.place_new).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.domain.elements import Touchpoint, Transition
from cx_mapper.domain.ids import unique_id
from cx_mapper.domain.journey import Journey, slug
from cx_mapper.domain.opportunities import Changes, Opportunity
from cx_mapper.engine.layout import place_new
from cx_mapper.ui.look.labels import ToneLabel
from cx_mapper.ui.plan import field_spins

NAME_REQUIRED = "A new touchpoint needs a name."
NOBODY = "Nobody yet"
NOWHERE = "Nowhere yet"


def touchpoint_choices(journey: Journey, opportunity: Opportunity) -> list[tuple[str, str]]:
    """(shown name, id) of the journey's touchpoints and the ones this opportunity adds
    ("… (new)"), sorted by name as the changes' combos list them."""
    names = [(t.name or t.id, t.id) for t in journey.touchpoints.values()]
    names += [(f"{t.name or t.id} (new)", t.id) for t in opportunity.changes.add_touchpoints]
    return sorted(names, key=lambda pair: pair[0].casefold())


def taken_ids(journey: Journey) -> set[str]:
    """Ids a new touchpoint must not take: the journey's and every opportunity's added
    ones (two opportunities adding one id would exclude each other in the plan)."""
    taken = set(journey.touchpoints)
    for opportunity in journey.opportunities:
        taken.update(t.id for t in opportunity.changes.add_touchpoints)
    return taken


def with_new_touchpoint(journey: Journey, changes: Changes, touchpoint: Touchpoint,
                        came_from: tuple[str, float] | None = None,
                        goes_to: tuple[str, float] | None = None) -> Changes:
    """The changes with `touchpoint` added where the map would put a new card in its
    stage, and the ways in and out as set transitions."""
    drawn = journey.copy()
    drawn.opportunities = []
    for added in (*changes.add_touchpoints, touchpoint):
        drawn.touchpoints[added.id] = added
    x, y = place_new(drawn, [touchpoint.id])[touchpoint.id]
    touchpoint = replace(touchpoint, x=x, y=y)
    ways = []
    if came_from is not None:
        ways.append(Transition(came_from[0], touchpoint.id, came_from[1]))
    if goes_to is not None:
        ways.append(Transition(touchpoint.id, goes_to[0], goes_to[1]))
    return replace(changes, add_touchpoints=(*changes.add_touchpoints, touchpoint),
                   transitions=(*changes.transitions, *ways))


class NewTouchpointDialog(QDialog):
    """Asks for a touchpoint the opportunity adds; `changes()` after OK has it."""

    def __init__(self, journey: Journey, opportunity: Opportunity,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("new-touchpoint")
        self.setWindowTitle("New touchpoint")
        self.setMinimumWidth(460)
        self._journey, self._opportunity = journey, opportunity
        self._changes: Changes | None = None
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("e.g. Same-day courier")
        self.stage_combo = QComboBox()
        self.stage_combo.addItem("No stage", None)
        for stage in journey.stages:
            self.stage_combo.addItem(stage.name or stage.id, stage.id)
        self.channel_combo = QComboBox()
        self.channel_combo.addItem("No channel", None)
        for channel in journey.channels:
            self.channel_combo.addItem(channel.name or channel.id, channel.id)
        self.satisfaction_spin = field_spins.made("satisfaction")
        self.value_spin = field_spins.made("value")
        self.visibility_spin = field_spins.made("visibility")
        choices = touchpoint_choices(journey, opportunity)
        self.from_combo, self.to_combo = QComboBox(), QComboBox()
        for combo, nobody in ((self.from_combo, NOBODY), (self.to_combo, NOWHERE)):
            combo.addItem(nobody, None)
            for name, tid in choices:
                combo.addItem(name, tid)
        self.from_chance = field_spins.made(field_spins.CHANCE, 0.1)
        self.to_chance = field_spins.made(field_spins.CHANCE, 0.5)
        self.from_combo.currentIndexChanged.connect(self._on_from_changed)
        self.message = ToneLabel(tone="error")
        self.message.setWordWrap(True)
        self.message.hide()
        hint = ToneLabel("It is part of this opportunity: the map gets it when you make a "
                         "future state from a plan that funds it.")
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Stage:", self.stage_combo)
        form.addRow("C&hannel:", self.channel_combo)
        form.addRow("Sa&tisfaction:", self.satisfaction_spin)
        form.addRow("&Value:", self.value_spin)
        form.addRow("Social &visibility:", self.visibility_spin)
        form.addRow("Customers come &from:", _pair(self.from_combo, self.from_chance))
        form.addRow("They go &on to:", _pair(self.to_combo, self.to_chance))
        form.addRow("", hint)
        form.addRow("", self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._on_from_changed()

    def _on_from_changed(self, *_args: object) -> None:
        source = self.from_combo.currentData()
        self.from_chance.setEnabled(source is not None)
        # A customer coming from a touchpoint is in its stage or the next: start there.
        touchpoint = self._journey.touchpoints.get(source) if source else None
        if touchpoint is not None and touchpoint.stage is not None:
            index = self.stage_combo.findData(touchpoint.stage)
            if index >= 0:
                self.stage_combo.setCurrentIndex(index)

    def changes(self) -> Changes | None:
        """The opportunity's changes with the new touchpoint (None before OK)."""
        return self._changes

    def accept(self) -> None:
        name = " ".join(self.name_edit.text().split())
        if not name:
            self.message.setText(NAME_REQUIRED)
            self.message.show()
            self.name_edit.setFocus()
            return
        touchpoint = Touchpoint(
            unique_id(slug(name, "touchpoint"), taken_ids(self._journey)), name=name,
            stage=self.stage_combo.currentData(), channel=self.channel_combo.currentData(),
            satisfaction=field_spins.stored("satisfaction", self.satisfaction_spin.value()),
            value=field_spins.stored("value", self.value_spin.value()),
            visibility=field_spins.stored("visibility", self.visibility_spin.value()))
        source, target = self.from_combo.currentData(), self.to_combo.currentData()
        self._changes = with_new_touchpoint(
            self._journey, self._opportunity.changes, touchpoint,
            (source, field_spins.stored(field_spins.CHANCE, self.from_chance.value()))
            if source else None,
            (target, field_spins.stored(field_spins.CHANCE, self.to_chance.value()))
            if target else None)
        super().accept()


def _pair(combo: QComboBox, chance: QDoubleSpinBox) -> QWidget:
    row = QWidget()
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    line.addWidget(combo, 1)
    line.addWidget(chance)
    return row

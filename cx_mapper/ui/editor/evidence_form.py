"""The Inspector's Evidence section: how each figure is known, and how sure it is.

One row per figure that may carry evidence: a touchpoint's satisfaction, visibility,
value, impact and departures (its observed moves out), or a transition's probability.
Each row has a kind (none, assumed, workshop estimate, survey, event data) and, for a
kind, the numbers it needs and a source. Numbers are shown on the scale the figure's
own field uses (satisfaction in CSAT, shares in %), and converted back the same way.

What is typed is kept as a draft until it makes sound evidence; until then the row
says what is missing or wrong, in evidence_problem's words, and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.domain.evidence import (
    ALLOWED,
    KIND_LABELS,
    KINDS,
    Evidence,
    evidence_problem,
    touchpoint_limits,
)
from cx_mapper.domain.ranges import TRANSITION_RANGES, Range
from cx_mapper.ui.look.labels import ToneLabel

NUMBER_KEYS: tuple[str, ...] = ("low", "mode", "high", "n", "sd")
NO_KIND = "None"
NO_KIND_TIP = "No evidence: the figure is taken as it is, with no uncertainty."
KIND_TIPS: dict[str, str] = {
    "assumption": "A range you assume: any value from low to high is as likely "
                  "(or, on a log scale, any order of magnitude between them).",
    "workshop": "A workshop's estimate: low, most likely and high (a triangle).",
    "survey": "The figure is the mean of n answers with standard deviation sd.",
    "data": "Counted in event data: n observations.",
}


INPUT_TIPS: dict[str, str] = {
    "low": "The low end: 'low' in the messages.",
    "mode": "The most likely value: 'mode' in the messages.",
    "high": "The high end: 'high' in the messages.",
    "n": "How many answers or events: a whole number ('n').",
    "sd": "Their standard deviation, on the figure's scale ('sd').",
}


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure that may carry evidence, and how its numbers are shown: shown = offset
    + factor x stored, the same conversion its own field uses."""

    key: str  # the touchpoint field, "departures", or a transition's "probability"
    label: str
    unit: str = ""  # shown with the captions: "CSAT", "%"
    factor: float = 1.0
    offset: float = 0.0
    limits: Range | None = None
    kinds: tuple[str, ...] = KINDS
    counted: bool = False  # event data is a count of moves (n only), not a mean with sd
    log_ok: bool = True  # whether an assumed range may be on a log scale
    tooltip: str = ""

    def shown(self, value: float) -> float:
        return self.offset + self.factor * value

    def stored(self, shown: float) -> float:
        # Rounded, so CSAT 4.2 is stored as 0.6, not 0.6000000000000001.
        return round((shown - self.offset) / self.factor, 12)

    def shown_spread(self, sd: float) -> float:
        return abs(self.factor) * sd

    def stored_spread(self, shown: float) -> float:
        return round(shown / abs(self.factor), 12)

    def caption(self, key: str, kind: str) -> str:
        """The caption over an input: "Low (CSAT)", "n (answers)"."""
        if key == "n":
            return {"survey": "n (answers)", "data": "n (moves)" if self.counted
                    else "n (events)"}.get(kind, "n")
        name = {"low": "Low", "mode": "Most likely", "high": "High",
                "sd": "sd"}[key]
        return f"{name} ({self.unit})" if self.unit else name


# Satisfaction is shown as CSAT 1-5 (its slider's readout and the cards): CSAT = 3 + 2
# sigma, so sigma = (CSAT - 3) / 2 both ways (domain/satisfaction.py), but unclamped
# here, so a CSAT past 5 is refused rather than quietly cut to fit. A spread (sd) in
# CSAT points is twice the spread in sigma.
TOUCHPOINT_FIGURES: tuple[Figure, ...] = (
    Figure("satisfaction", "Satisfaction", "CSAT", 2.0, 3.0,
           touchpoint_limits("satisfaction"), log_ok=False,
           tooltip="How sure the satisfaction is, on the CSAT 1-5 scale it is shown on."),
    Figure("visibility", "Visibility", "%", 100.0, 0.0, touchpoint_limits("visibility"),
           tooltip="How sure the share of public talk is, in %."),
    Figure("value", "Value", "", limits=touchpoint_limits("value"),
           tooltip="How sure the money earned per visit is."),
    Figure("impact", "Impact", "", limits=touchpoint_limits("impact"),
           tooltip="How sure the weight on loyalty is (0 to 1)."),
    Figure("departures", "Departures", "", kinds=("data",), counted=True,
           tooltip="Every move out of this touchpoint seen in event data, exits "
                   "included. With its transitions' counts it sets how sure their "
                   "probabilities are."),
)
TRANSITION_FIGURE = Figure(
    "probability", "Probability", "%", 100.0, 0.0, TRANSITION_RANGES["probability"],
    counted=True,
    tooltip="How sure the probability is. From event data: the moves from the source "
            "to the target seen, with the source's departures.")


def number_text(value: float) -> str:
    """A number as typed: whole numbers without a point, others in 6 digits."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}"


def parse_number(text: str, key: str) -> tuple[float | None, str | None]:
    """A typed number (None when empty), or why it is refused, in evidence_problem's
    words. A count may have group separators ("5,400"); other numbers may use a
    decimal comma."""
    cleaned = text.strip().removesuffix("%").strip()
    if not cleaned:
        return None, None
    if key == "n":
        for separator in (",", "_", " ", "\u202f", "\u00a0"):
            cleaned = cleaned.replace(separator, "")
    else:
        cleaned = cleaned.replace(",", ".")
    try:
        return float(cleaned), None
    except ValueError:
        return None, f"'{key}' must be a finite number"


def keys_for(kind: str, figure: Figure) -> tuple[str, ...]:
    """The numbers a kind asks for on this figure, in the order they are shown."""
    if kind == "data" and figure.counted:
        return ("n",)
    return tuple(k for k in NUMBER_KEYS if k in ALLOWED.get(kind, frozenset()))


class EvidenceRow(QWidget):
    """One figure's evidence: its kind, the numbers that kind needs, and a source."""

    chosen = Signal(object)  # Evidence | None, already checked

    def __init__(self, figure: Figure, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figure = figure
        self._shown: Evidence | None = None
        self.label = QLabel(figure.label)
        self.label.setToolTip(figure.tooltip)
        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName(f"Evidence on {figure.label.lower()}")
        self.kind_combo.setToolTip(figure.tooltip)
        self.kind_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.kind_combo.activated.connect(self._on_kind_activated)
        self._kinds: list[str | None] = []
        self._set_kinds(None)
        self.label.setBuddy(self.kind_combo)

        self.details = QWidget()
        grid = QGridLayout(self.details)
        grid.setContentsMargins(12, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        self.captions: dict[str, QLabel] = {}
        self.inputs: dict[str, QLineEdit] = {}
        for key in NUMBER_KEYS:
            caption, edit = ToneLabel(), QLineEdit()
            caption.setWordWrap(False)
            edit.setAccessibleName(f"{figure.label} evidence {key}")
            edit.setToolTip(INPUT_TIPS[key])
            edit.setMinimumWidth(48)
            edit.editingFinished.connect(partial(self._on_edited, edit))
            caption.setBuddy(edit)
            self.captions[key], self.inputs[key] = caption, edit
        self.log_check = QCheckBox("Log scale")
        self.log_check.setToolTip("Uniform over the logarithm: for a range spanning orders "
                                  "of magnitude. Low must then be above 0.")
        self.log_check.clicked.connect(self._offer)
        self.source_edit = QLineEdit()
        self.source_edit.setPlaceholderText("Source: where it comes from")
        self.source_edit.setAccessibleName(f"{figure.label} evidence source")
        self.source_edit.editingFinished.connect(partial(self._on_edited, self.source_edit))
        self.message = ToneLabel(tone="error")
        self.message.hide()
        self._grid = grid

        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(10)
        layout.setVerticalSpacing(4)
        layout.addWidget(self.label, 0, 0)
        layout.addWidget(self.kind_combo, 0, 1)
        layout.addWidget(self.details, 1, 0, 1, 2)
        layout.addWidget(self.message, 2, 0, 1, 2)
        layout.setColumnStretch(1, 1)
        self._arrange(None)

    # -- public ----------------------------------------------------------------
    def kind(self) -> str | None:
        index = self.kind_combo.currentIndex()
        return self._kinds[index] if 0 <= index < len(self._kinds) else None

    def message_text(self) -> str:
        return self.message.text() if not self.message.isHidden() else ""

    def show_evidence(self, evidence: Evidence | None, *, again: bool = False) -> None:
        """Show stored evidence. The same evidence again keeps a draft and its message,
        unless `again` (another element is shown)."""
        if evidence == self._shown and not again:
            return
        self._shown = evidence
        self._set_kinds(evidence.kind if evidence is not None else None)
        f = self.figure
        for key, edit in self.inputs.items():
            value = None if evidence is None else getattr(evidence, key)
            if value is not None and key in ("low", "mode", "high"):
                value = f.shown(value)
            elif value is not None and key == "sd":
                value = f.shown_spread(value)
            edit.setText("" if value is None else number_text(value))
            edit.setModified(False)
        with QSignalBlocker(self.log_check):
            self.log_check.setChecked(evidence is not None and evidence.scale == "log")
        self.source_edit.setText("" if evidence is None else evidence.source)
        self.source_edit.setModified(False)
        self._show_message("")
        self._arrange(self.kind())

    def flush(self) -> None:
        """Offer what is typed but not offered yet (before the selection changes)."""
        if any(e.isModified() for e in (*self.inputs.values(), self.source_edit)):
            self._offer()

    # -- drafting ----------------------------------------------------------------
    def _set_kinds(self, current: str | None) -> None:
        kinds: list[str | None] = [None, *self.figure.kinds]
        if current is not None and current not in kinds:
            kinds.append(current)  # read from a file: shown, even if unusual here
        with QSignalBlocker(self.kind_combo):
            if kinds != self._kinds:
                self.kind_combo.clear()
                for kind in kinds:
                    self.kind_combo.addItem(NO_KIND if kind is None else KIND_LABELS[kind])
                    self.kind_combo.setItemData(
                        self.kind_combo.count() - 1,
                        NO_KIND_TIP if kind is None else KIND_TIPS[kind],
                        Qt.ItemDataRole.ToolTipRole)
                self._kinds = kinds
            self.kind_combo.setCurrentIndex(kinds.index(current))

    def _arrange(self, kind: str | None) -> None:
        """Lay out the inputs the kind needs: captions over a row of fields, the log
        scale for an assumed range, then the source."""
        grid = self._grid
        for widget in (*self.captions.values(), *self.inputs.values(), self.log_check,
                       self.source_edit):
            grid.removeWidget(widget)
            widget.hide()
        self.details.setVisible(kind is not None)
        if kind is None:
            return
        keys = keys_for(kind, self.figure)
        for column, key in enumerate(keys):
            self.captions[key].setText(self.figure.caption(key, kind))
            grid.addWidget(self.captions[key], 0, column)
            grid.addWidget(self.inputs[key], 1, column)
            self.captions[key].show()
            self.inputs[key].show()
        row = 2
        if kind == "assumption" and self.figure.log_ok:
            grid.addWidget(self.log_check, row, 0, 1, max(1, len(keys)))
            self.log_check.show()
            row += 1
        grid.addWidget(self.source_edit, row, 0, 1, max(1, len(keys)))
        self.source_edit.show()
        for column in range(len(NUMBER_KEYS)):
            grid.setColumnStretch(column, 1 if column < len(keys) else 0)

    def _on_kind_activated(self, index: int) -> None:
        self._arrange(self.kind())
        self._offer()

    def _on_edited(self, edit: QLineEdit) -> None:
        if edit.isModified():
            self._offer()

    def _draft(self) -> tuple[Evidence | None, str | None]:
        """The evidence the row shows now, or why it cannot be kept."""
        kind = self.kind()
        if kind is None:
            return None, None
        f = self.figure
        numbers: dict[str, float | None] = {}
        for key in keys_for(kind, f):
            value, problem = parse_number(self.inputs[key].text(), key)
            if problem is not None:
                return None, problem
            if value is not None and key in ("low", "mode", "high"):
                value = f.stored(value)
            elif value is not None and key == "sd":
                value = f.stored_spread(value)
            numbers[key] = value
        log = kind == "assumption" and f.log_ok and self.log_check.isChecked()
        evidence = Evidence(kind, scale="log" if log else "linear",
                            source=self.source_edit.text().strip(), **numbers)
        return evidence, evidence_problem(evidence, f.limits)

    def _offer(self) -> None:
        for edit in (*self.inputs.values(), self.source_edit):
            edit.setModified(False)
        evidence, problem = self._draft()
        if problem is not None:
            self._show_message(problem)
            return
        self._show_message("")
        if evidence != self._shown:
            self.chosen.emit(evidence)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))


class EvidenceSection(QWidget):
    """The Evidence heading, a line on the card's badge, and one row per figure."""

    chosen = Signal(str, object)  # figure key, Evidence | None

    def __init__(self, figures: tuple[Figure, ...], heading: QLabel, label_width: int = 0,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = heading
        self.heading.setToolTip("How each figure is known. The uncertainty analysis draws "
                                "a figure with evidence from its range; one without is "
                                "taken as it is.")
        self.backing_note = ToneLabel()
        self.rows = {figure.key: EvidenceRow(figure) for figure in figures}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.heading)
        layout.addWidget(self.backing_note)
        # The kinds line up with each other and with the fields of the form above.
        width = max([label_width, *(r.label.sizeHint().width() for r in self.rows.values())])
        for key, row in self.rows.items():
            row.label.setMinimumWidth(width)
            row.chosen.connect(partial(self.chosen.emit, key))
            layout.addWidget(row)

    def row(self, key: str) -> EvidenceRow:
        return self.rows[key]

    def show_evidence(self, by_key: Mapping[str, Evidence | None], note: str,
                      *, again: bool = False) -> None:
        """Each row's stored evidence, and a line about them all (the card's badge)."""
        for key, row in self.rows.items():
            row.show_evidence(by_key.get(key), again=again)
        self.backing_note.setText(note)
        self.backing_note.setVisible(bool(note))

    def flush(self) -> None:
        for row in self.rows.values():
            row.flush()

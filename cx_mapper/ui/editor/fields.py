"""Field editors the property forms are built from, and the satisfaction face.

Every editor shows a model value (or MIXED) without emitting anything, and emits
`committed` only for a value the user chose and its declaration accepts; otherwise it
emits `refused` with the reason and shows the stored value again. Spin boxes commit on
Enter, focus-out or a step (keyboard tracking off), text on editing finished, so there is
no undo step per keystroke. The slider reports its drag so the caller can merge it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import QFocusEvent, QPainter, QPainterPath, QPaintEvent, QPen, QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSlider,
    QWidget,
)

from cx_mapper.domain.satisfaction import csat
from cx_mapper.ui.editor.properties import MIXED, Kind, Property
from cx_mapper.ui.look.labels import muted_color
from cx_mapper.ui.look.palette import current_palette, readable_on, satisfaction_color

MIXED_TEXT = "—"
MIXED_PLACEHOLDER = "Mixed: typing here changes them all"


class FieldEditor(QWidget):
    """One property's editor: shows a model value and reports what the user chose."""

    committed = Signal(object)  # a model value the user chose, already checked
    refused = Signal(str)  # why what the user entered was not stored
    drag_started = Signal()
    drag_finished = Signal()

    def __init__(self, prop: Property, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prop = prop
        self._value: Any = None
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)

    def value(self) -> Any:
        """The value shown (the document's, or MIXED)."""
        return self._value

    def set_value(self, value: Any) -> None:
        """Show a model value (or MIXED) without emitting anything."""
        self._value = value
        blockers = [QSignalBlocker(child) for child in self.findChildren(QWidget)]
        try:
            self._show(value)
        finally:
            del blockers

    def set_choices(self, choices: Sequence[tuple[Any, str]]) -> None:
        """The items of a choice; other editors ignore it."""

    def flush(self) -> None:
        """Commit what is typed but not committed yet (before the selection changes)."""

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def _offer(self, value: Any) -> None:
        problem = self.prop.problem(value)
        if problem is not None:
            self.set_value(self._value)
            self.refused.emit(problem)
            return
        self.committed.emit(value)

    def _adopt(self, widget: QWidget) -> None:
        widget.setToolTip(self.prop.full_tooltip())
        self._layout.addWidget(widget)
        self.setFocusProxy(widget)


class TextEditor(FieldEditor):
    def __init__(self, prop: Property, parent: QWidget | None = None) -> None:
        super().__init__(prop, parent)
        self.line_edit = QLineEdit()
        self.line_edit.setClearButtonEnabled(False)
        self.line_edit.editingFinished.connect(self.flush)
        self._adopt(self.line_edit)

    def _show(self, value: Any) -> None:
        text = "" if value is MIXED or value is None else str(value)
        self.line_edit.setPlaceholderText(MIXED_PLACEHOLDER if value is MIXED else "")
        if self.line_edit.text() != text:
            self.line_edit.setText(text)
            self.line_edit.home(False)  # a long name shows its start, as the canvas does
        self.line_edit.setModified(False)

    def flush(self) -> None:
        if self.line_edit.isModified():
            self.line_edit.setModified(False)
            self._offer(self.line_edit.text())


class _PlainTextEdit(QPlainTextEdit):
    """A multi-line text that says when the user leaves it (Qt has no editingFinished here)."""

    focus_lost = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.focus_lost.emit()


class NotesEditor(FieldEditor):
    def __init__(self, prop: Property, parent: QWidget | None = None) -> None:
        super().__init__(prop, parent)
        self.text_edit = _PlainTextEdit()
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setFixedHeight(self.text_edit.fontMetrics().lineSpacing() * 4 + 12)
        self.text_edit.focus_lost.connect(self.flush)
        self._adopt(self.text_edit)

    def _show(self, value: Any) -> None:
        text = "" if value is MIXED or value is None else str(value)
        self.text_edit.setPlaceholderText(MIXED_PLACEHOLDER if value is MIXED else "")
        if self.text_edit.toPlainText() != text:
            self.text_edit.setPlainText(text)
        self.text_edit.document().setModified(False)

    def flush(self) -> None:
        if self.text_edit.document().isModified():
            self.text_edit.document().setModified(False)
            self._offer(self.text_edit.toPlainText())


class ChoiceEditor(FieldEditor):
    """A combo box of (key, text) items; shows a placeholder when mixed or unknown."""

    def __init__(self, prop: Property, parent: QWidget | None = None) -> None:
        super().__init__(prop, parent)
        self.combo = QComboBox()
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(8)
        self.combo.activated.connect(self._on_activated)
        self._keys: list[Any] = []
        self._adopt(self.combo)

    def keys(self) -> list[Any]:
        return list(self._keys)

    def set_choices(self, choices: Sequence[tuple[Any, str]]) -> None:
        with QSignalBlocker(self.combo):
            self.combo.clear()
            self._keys = [key for key, _ in choices]
            for _, text in choices:
                self.combo.addItem(text)
        self.set_value(self._value)

    def _show(self, value: Any) -> None:
        if value is not MIXED and value in self._keys:
            self.combo.setCurrentIndex(self._keys.index(value))
            return
        self.combo.setPlaceholderText(
            f"{MIXED_TEXT} Mixed {MIXED_TEXT}" if value is MIXED else f"Missing '{value}'")
        self.combo.setCurrentIndex(-1)

    def _on_activated(self, index: int) -> None:
        if 0 <= index < len(self._keys):
            self._offer(self._keys[index])


class CheckEditor(FieldEditor):
    """A checkbox; partly checked while the selection is mixed, until the user clicks."""

    def __init__(self, prop: Property, parent: QWidget | None = None) -> None:
        super().__init__(prop, parent)
        self.check = QCheckBox(prop.check_text)
        self.check.clicked.connect(self._on_clicked)
        self._adopt(self.check)

    def _show(self, value: Any) -> None:
        if value is MIXED:
            self.check.setTristate(True)
            self.check.setCheckState(Qt.CheckState.PartiallyChecked)
        else:
            self.check.setTristate(False)
            self.check.setChecked(bool(value))

    def _on_clicked(self) -> None:
        checked = self.check.checkState() == Qt.CheckState.Checked
        with QSignalBlocker(self.check):
            self.check.setTristate(False)
            self.check.setChecked(checked)
        self._offer(checked)


class NumberSpinBox(QDoubleSpinBox):
    """A spin box that lets any number be typed, so the form can say why it is refused.

    Its own range is wide; the property's range limits the arrows and is checked on
    commit. The minimum stands for "mixed" and shows as a dash. Scientific notation
    ("1e9", "2.5E-3") is read as such: Qt's own spin box drops the "e" and reads 19.
    """

    LIMIT = 1e9
    #: A typed number the spin box cannot hold (past LIMIT, or not finite), in display units.
    out_of_range = Signal(float)

    def __init__(self, prop: Property, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prop = prop
        self.setRange(-self.LIMIT, self.LIMIT)
        self.setDecimals(prop.decimals)
        self.setSingleStep(prop.step)
        self.setSuffix(prop.suffix)
        self.setSpecialValueText(MIXED_TEXT)
        self.setKeyboardTracking(False)
        self.setAccelerated(True)
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def is_mixed(self) -> bool:
        return self.value() <= self.minimum()

    def _bounds(self) -> tuple[float, float]:
        low, high = self.prop.minimum, self.prop.maximum
        return (
            -self.LIMIT + 1 if low is None else low * self.prop.scale,
            self.LIMIT if high is None else high * self.prop.scale,
        )

    def stepBy(self, steps: int) -> None:
        low, high = self._bounds()
        start = min(max(0.0, low), high) if self.is_mixed() else self.value()
        target = start + steps * self.singleStep()
        if self.prop.minimum_exclusive and target <= low:
            return
        self.setValue(min(max(target, low), high))
        self.selectAll()

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:
        flags = QAbstractSpinBox.StepEnabledFlag.StepNone
        low, high = self._bounds()
        if self.is_mixed() or self.value() < high:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepUpEnabled
        if self.is_mixed() or self.value() > low:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepDownEnabled
        return flags

    def _number(self, text: str) -> float | None:
        """The number typed (suffix and group separators aside), or None."""
        cleaned = text.strip().removesuffix(self.suffix().strip()).strip()
        locale = self.locale()
        cleaned = cleaned.replace(locale.groupSeparator(), "").replace(
            locale.decimalPoint(), ".")
        try:
            return float(cleaned)
        except ValueError:
            return None

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        if text == self.specialValueText() or self._number(text) is not None:
            return QValidator.State.Acceptable, text, pos
        partial = text.strip().removesuffix(self.suffix().strip()).strip()
        # On the way to a number: "-", ".", "1e", "1e-", "2.5E+".
        if re.fullmatch(r"[-+]?[\d.,]*([eE][-+]?)?", partial):
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Invalid, text, pos

    def valueFromText(self, text: str) -> float:
        if text == self.specialValueText():
            return self.minimum()
        number = self._number(text)
        if number is None:
            return self.value()
        if not (math.isfinite(number) and -self.LIMIT < number <= self.LIMIT):
            self.out_of_range.emit(number)
            return self.value()
        return number

    def textFromValue(self, value: float) -> str:
        """No trailing zeros: "60 %", "0.13", "24 steps"."""
        text = super().textFromValue(value)
        point = self.locale().decimalPoint()
        if point in text:
            text = text.rstrip("0").rstrip(point)
        return text

    def wheelEvent(self, event: Any) -> None:
        # Scrolling the inspector must not change values under the pointer.
        if not self.hasFocus():
            event.ignore()
            return
        super().wheelEvent(event)

    def minimumSizeHint(self) -> QSize:
        return QSize(64, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(120, super().sizeHint().height())


class NumberEditor(FieldEditor):
    """Percent, number and integer fields."""

    def __init__(self, prop: Property, parent: QWidget | None = None) -> None:
        super().__init__(prop, parent)
        self.spin = NumberSpinBox(prop)
        self.spin.valueChanged.connect(self._on_value_changed)
        self.spin.out_of_range.connect(self._on_out_of_range)
        self._adopt(self.spin)

    def _show(self, value: Any) -> None:
        if value is MIXED or value is None:
            self.spin.setValue(self.spin.minimum())
        else:
            self.spin.setValue(float(self.prop.to_display(value)))

    def _on_value_changed(self, display: float) -> None:
        if self.spin.is_mixed():
            return
        self._offer(self.prop.to_model(display))

    def _on_out_of_range(self, display: float) -> None:
        """A number the field cannot hold is refused aloud, never cut to fit."""
        # The field's own bounds apply where the property's are wider (a discount rate).
        held = self.spin.LIMIT / self.prop.scale
        low, high = self.prop.minimum, self.prop.maximum
        bounded = replace(self.prop, minimum=max(-held, -math.inf if low is None else low),
                          maximum=min(held, math.inf if high is None else high))
        problem = bounded.problem(self.prop.to_model(display))
        self.set_value(self._value)
        self.refused.emit(problem or f"{self.prop.label} must be {bounded.range_text()}.")


class FaceWidget(QWidget):
    """A drawn face in the satisfaction colour: frowning at -1, smiling at +1.

    Drawn rather than an emoji so it looks the same on every system font; the CSAT
    number beside it means colour is never the only cue.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sigma: float | None = 0.0
        self.setFixedSize(30, 30)

    def sigma(self) -> float | None:
        return self._sigma

    def set_sigma(self, sigma: float | None) -> None:
        """None draws a blank outline (mixed)."""
        self._sigma = sigma
        self.setAccessibleName(_face_words(sigma))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        if self._sigma is None:
            pen = QPen(muted_color(), 1.5, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawEllipse(rect)
            painter.end()
            return
        fill = satisfaction_color(self._sigma, current_palette())
        painter.setPen(QPen(fill.darker(130), 1.2))
        painter.setBrush(fill)
        painter.drawEllipse(rect)
        ink = readable_on(fill)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(ink)
        w, h = rect.width(), rect.height()
        for x in (0.35, 0.65):
            painter.drawEllipse(QPointF(rect.left() + x * w, rect.top() + 0.38 * h), 1.9, 2.1)
        pen = QPen(ink, 1.8)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        mouth_y = rect.top() + 0.66 * h - 0.04 * h * self._sigma
        path = QPainterPath(QPointF(rect.left() + 0.3 * w, mouth_y))
        path.quadTo(
            QPointF(rect.center().x(), mouth_y + 0.2 * h * self._sigma),
            QPointF(rect.left() + 0.7 * w, mouth_y),
        )
        painter.drawPath(path)
        painter.end()


def _face_words(sigma: float | None) -> str:
    if sigma is None:
        return "Mixed satisfaction"
    if sigma <= -0.2:
        return "Unhappy face"
    if sigma >= 0.2:
        return "Happy face"
    return "Neutral face"


def csat_text(sigma: float) -> str:
    return f"CSAT {csat(sigma):.1f}"


class SatisfactionEditor(FieldEditor):
    """A slider from -1 to +1 with the face and the CSAT 1-5 it stands for."""

    RESOLUTION = 100  # slider steps per unit of satisfaction

    def __init__(self, prop: Property, parent: QWidget | None = None) -> None:
        super().__init__(prop, parent)
        self.face = FaceWidget()
        self.slider = _Slider(Qt.Orientation.Horizontal)
        self.slider.setRange(-self.RESOLUTION, self.RESOLUTION)
        self.slider.setSingleStep(round(prop.step * self.RESOLUTION))
        self.slider.setPageStep(self.RESOLUTION // 4)  # half a CSAT point
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setTickInterval(self.RESOLUTION // 2)  # one CSAT point
        self.slider.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.readout = QLabel()
        self.readout.setMinimumWidth(self.readout.fontMetrics().horizontalAdvance("CSAT 5.0") + 2)
        self.readout.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._layout.addWidget(self.face)
        self._adopt(self.slider)
        self._layout.addWidget(self.readout)
        for widget in (self.face, self.readout):
            widget.setToolTip(prop.full_tooltip())
        self.slider.sliderPressed.connect(self.drag_started)
        self.slider.sliderReleased.connect(self.drag_finished)
        self.slider.valueChanged.connect(self._on_value_changed)

    def _show(self, value: Any) -> None:
        if value is MIXED:
            self.slider.setValue(0)  # neutral, not whatever the last selection had
            self.face.set_sigma(None)
            self.readout.setText("Mixed")
            self.readout.setToolTip("The selected touchpoints differ in satisfaction")
            return
        sigma = float(value)
        self.slider.setValue(round(sigma * self.RESOLUTION))
        self._show_readout(sigma)

    def _show_readout(self, sigma: float) -> None:
        self.face.set_sigma(sigma)
        self.readout.setText(csat_text(sigma))
        self.readout.setToolTip(f"Satisfaction {sigma:+.2f} on the -1 to +1 scale")

    def _on_value_changed(self, position: int) -> None:
        sigma = position / self.RESOLUTION
        self._show_readout(sigma)
        self._offer(sigma)


class _Slider(QSlider):
    def wheelEvent(self, event: Any) -> None:
        if not self.hasFocus():
            event.ignore()
            return
        super().wheelEvent(event)


EDITORS: dict[Kind, type[FieldEditor]] = {
    Kind.TEXT: TextEditor,
    Kind.MULTILINE: NotesEditor,
    Kind.CHOICE: ChoiceEditor,
    Kind.SLIDER: SatisfactionEditor,
    Kind.PERCENT: NumberEditor,
    Kind.NUMBER: NumberEditor,
    Kind.INTEGER: NumberEditor,
    Kind.CHECKBOX: CheckEditor,
}


def make_editor(prop: Property, parent: QWidget | None = None) -> FieldEditor:
    """The editor a declaration asks for."""
    return EDITORS[prop.kind](prop, parent)


"""The status bar's progress strip: what long work is doing, how far it is, and Cancel."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QStyleOptionProgressBar,
    QStylePainter,
    QWidget,
)

#: The bar's scale: fractions are shown in thousandths.
_STEPS = 1000


class _Bar(QWidget):
    """A progress bar that repaints with the window, not at once.

    QProgressBar.setValue repaints synchronously, and a repaint now flushes every
    pending repaint of the window: a map being drawn in slices was redrawn for each
    step of the bar (6 s of a 13 s open).
    """

    def __init__(self) -> None:
        super().__init__()
        self._value = 0
        self._busy = False
        self.setFixedSize(160, 14)

    def set_fraction(self, fraction: float | None) -> None:
        busy, value = fraction is None, round(max(0.0, min(1.0, fraction or 0.0)) * _STEPS)
        if (busy, value) != (self._busy, self._value):
            self._busy, self._value = busy, value
            self.update()

    def fraction(self) -> float | None:
        return None if self._busy else self._value / _STEPS

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(160, 14)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        option = QStyleOptionProgressBar()
        option.initFrom(self)
        option.minimum, option.maximum = (0, 0) if self._busy else (0, _STEPS)
        option.progress = self._value
        option.textVisible = False
        painter = QStylePainter(self)
        painter.drawControl(QStyle.ControlElement.CE_ProgressBar, option)


class ProgressStrip(QWidget):
    """Opening, drawing or laying out a big map: a label, a bar and a Cancel button.

    Whoever starts long work calls `show_progress` as it goes, with what Cancel should
    do (or None: it cannot be cancelled), and `finish` at the end. The strip hides when
    nothing is going on.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progress")
        self._label = QLabel()
        self._bar = _Bar()
        self._cancel_button = QPushButton("Cancel")
        self._cancel_button.setToolTip("Stop it: nothing changes")
        self._cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 0)
        layout.addWidget(self._label)
        layout.addWidget(self._bar)
        layout.addWidget(self._cancel_button)
        self._on_cancel: Callable[[], object] | None = None
        self._owner: object = None
        self.hide()

    def show_progress(self, owner: object, text: str, fraction: float | None,
                      on_cancel: Callable[[], object] | None = None) -> None:
        """Show `text` and how far it has got (None: busy, no known end)."""
        self._owner = owner
        self._on_cancel = on_cancel
        self._label.setText(text)
        self._bar.set_fraction(fraction)
        self._cancel_button.setVisible(on_cancel is not None)
        self.show()

    def finish(self, owner: object) -> None:
        """`owner`'s work is over; the strip hides unless someone else took it since."""
        if owner is self._owner:
            self._owner = self._on_cancel = None
            self.hide()

    def is_busy(self) -> bool:
        return self._owner is not None

    def text(self) -> str:
        return self._label.text()

    def fraction(self) -> float | None:
        """How far the work shown has got; None while it is busy with no known end."""
        return self._bar.fraction()

    def cancel(self) -> None:
        on_cancel, owner = self._on_cancel, self._owner
        if on_cancel is not None:
            self.finish(owner)
            on_cancel()

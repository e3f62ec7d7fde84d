"""Light and dark themes: follow the system unless the user picks one.

The Fusion style is used everywhere (with the few changes of AppStyle) so the app
looks the same on every desktop and the dark palette is complete; the colours live in
palette.py; the system's preference comes from Qt's
style hints, and a change to it is followed live.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRect, QSettings, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QStyleOptionComplex,
    QStyleOptionSlider,
    QWidget,
)

from cx_mapper.ui.look import palette

THEMES: dict[str, str] = {"system": "Follow the system", "light": "Light", "dark": "Dark"}
SETTINGS_KEY = "view/theme"


def dark_palette() -> QPalette:
    """A calm dark palette with enough contrast for text and disabled states."""
    return widget_palette(palette.DARK_WIDGETS, QPalette())


def widget_palette(colours: palette.WidgetColours, start: QPalette) -> QPalette:
    """`start` with the theme's colours set (palette.py holds them)."""
    result = QPalette(start)
    for role, colour in colours.roles.items():
        result.setColor(role, colour)
    for role, colour in colours.disabled.items():
        result.setColor(QPalette.ColorGroup.Disabled, role, colour)
    return result


class AppStyle(QProxyStyle):
    """Fusion, with a checkbox's box and a slider's groove outlined in the theme's
    control edge colour (palette.py).

    Fusion draws both from the window colour, a shade darker: 1.1:1 against the dark
    window, where WCAG 1.4.11 asks 3:1 for the parts that show a control is there.
    """

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))

    def drawPrimitive(self, element: QStyle.PrimitiveElement,  # noqa: N802 - Qt override
                      option: QStyleOption, painter: QPainter,
                      widget: QWidget | None = None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element == QStyle.PrimitiveElement.PE_IndicatorCheckBox and not _focus_shown(option):
            _outline(painter, option, option.rect.adjusted(0, 0, -1, -1), 0.0)

    def drawComplexControl(self, control: QStyle.ComplexControl,  # noqa: N802 - Qt override
                           option: QStyleOptionComplex, painter: QPainter,
                           widget: QWidget | None = None) -> None:
        groove = QStyle.SubControl.SC_SliderGroove
        if (control != QStyle.ComplexControl.CC_Slider
                or not isinstance(option, QStyleOptionSlider)
                or not option.subControls & groove):
            super().drawComplexControl(control, option, painter, widget)
            return
        # The groove, its edge, then the handle and ticks over them.
        part = QStyleOptionSlider(option)
        part.subControls = groove
        super().drawComplexControl(control, part, painter, widget)
        if not _focus_shown(option):
            rect = self.subControlRect(control, option, groove, widget)  # type: ignore[arg-type]
            _outline(painter, option, rect.adjusted(1, 1, -2, -2), 1.0)
        part.subControls = option.subControls & ~groove
        super().drawComplexControl(control, part, painter, widget)


def _focus_shown(option: QStyleOption) -> bool:
    """Fusion outlines a control with keyboard focus in the highlight: leave that be."""
    state = QStyle.StateFlag
    return bool(option.state & state.State_HasFocus
                and option.state & state.State_KeyboardFocusChange)


def _outline(painter: QPainter, option: QStyleOption, rect: QRect, radius: float) -> None:
    """The control's edge, where Fusion draws its own (half-transparent when disabled:
    an inactive control may fade)."""
    colour = QColor(palette.widget_colours(option.palette).control_edge)
    if not option.state & QStyle.StateFlag.State_Enabled:
        colour.setAlphaF(0.5)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.translate(0.5, 0.5)
    painter.setPen(QPen(colour, 1.0))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(rect, radius, radius)
    painter.restore()


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return bool(hints.colorScheme() == Qt.ColorScheme.Dark)


class ThemeManager(QObject):
    """Applies the chosen theme and tells views when the palette changed."""

    theme_changed = Signal(bool)  # dark

    def __init__(self, app: QApplication, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._choice = str(QSettings().value(SETTINGS_KEY, "system"))
        if self._choice not in THEMES:
            self._choice = "system"
        self._style = AppStyle()
        app.setStyle(self._style)
        self._light = widget_palette(palette.LIGHT_WIDGETS, app.style().standardPalette())
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_system_scheme_changed)
        self._apply()

    @property
    def choice(self) -> str:
        return self._choice

    @property
    def is_dark(self) -> bool:
        return self._choice == "dark" or (self._choice == "system" and system_is_dark())

    def set_choice(self, choice: str) -> None:
        if choice not in THEMES:
            raise ValueError(f"Unknown theme {choice!r}; choose one of {', '.join(THEMES)}")
        self._choice = choice
        QSettings().setValue(SETTINGS_KEY, choice)
        self._apply()

    def _on_system_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._choice == "system":
            self._apply()

    def _apply(self) -> None:
        dark = self.is_dark
        self._app.setPalette(dark_palette() if dark else self._light)
        self.theme_changed.emit(dark)

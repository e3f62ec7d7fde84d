"""Spin boxes for the numbers an opportunity sets, in the units people read them in:
satisfaction and value as they are, visibility, impact and a transition's chance in
percent. The changes table and the New touchpoint dialog both use them."""

from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox

from cx_mapper.domain.ranges import TOUCHPOINT_RANGES

#: A transition's probability, set in percent like the fields below.
CHANCE = "chance"
#: What is typed in percent: shown x100, stored /100.
PERCENT = ("visibility", "impact", CHANCE)


def fit(spin: QDoubleSpinBox, what: str) -> None:
    """Range, decimals, step and unit for a touchpoint field, or CHANCE."""
    low, high = (0.0, 1.0) if what == CHANCE else TOUCHPOINT_RANGES[what]
    factor = 100.0 if what in PERCENT else 1.0
    spin.setRange(factor * (low or 0.0), factor * (high or 0.0))
    spin.setDecimals(1 if what == CHANCE else 0 if what in PERCENT else 2)
    spin.setSingleStep(5.0 if what in PERCENT else 0.1)
    spin.setSuffix(" %" if what in PERCENT else "")


def made(what: str, value: float = 0.0) -> QDoubleSpinBox:
    """A new spin box fitted to `what`, showing `value` (stored units)."""
    spin = QDoubleSpinBox()
    fit(spin, what)
    spin.setValue(shown(what, value))
    return spin


def shown(what: str, value: float) -> float:
    return 100.0 * value if what in PERCENT else value


def stored(what: str, typed: float) -> float:
    """What was typed, in the model's units (rounded off the spin box's float noise)."""
    return round(typed / 100.0 if what in PERCENT else typed, 6)

"""The plan charts' look: the analysis charts' quiet axes and colours, from the canvas
palette, so the matrix and the frontier follow the theme as the dock's charts do."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QApplication

from cx_mapper.ui.look.palette import CanvasPalette, current_palette


def font(factor: float = 1.0, bold: bool = False) -> QFont:
    result = QFont(QApplication.font())
    size = result.pointSizeF() if result.pointSizeF() > 0 else 10.0
    result.setPointSizeF(size * factor)
    result.setBold(bold)
    return result


def prepare(widget: pg.PlotWidget, x_label: str, y_label: str) -> CanvasPalette:
    """Clear a plot and give it the house look in the current theme; returns the palette."""
    colours = current_palette()
    widget.setBackground(colours.card_fill)
    plot = widget.getPlotItem()
    plot.clear()
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.getViewBox().setMouseEnabled(x=False, y=False)
    plot.showGrid(x=True, y=True, alpha=0.25)
    for name, label in (("bottom", x_label), ("left", y_label)):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(colours.track))
        axis.setTextPen(pg.mkPen(colours.card_text))
        axis.setStyle(tickFont=font(0.9), autoExpandTextSpace=True)
        # pyqtgraph 0.14 works a prefix out even as it switches them off, from the range
        # then shown: a redraw after a range of 0.9 wrote 0.77 as 770. No prefix, ever.
        axis.enableAutoSIPrefix(False)
        axis.autoSIPrefixScale = 1.0
        axis.labelUnitPrefix = ""
        axis.setLabel(label, color=colours.card_text.name())
        axis.label.setFont(font())
    return colours


def with_alpha(colour: QColor, alpha: int) -> QColor:
    result = QColor(colour)
    result.setAlpha(alpha)
    return result

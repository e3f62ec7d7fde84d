"""Text on the canvas: measuring, wrapping and eliding, and text kept legible far out.

Cards, lanes and arrows share these. Far out (a fitted sample, a big map) a card's
own 9.5 pt name would be a 4 pt smudge, so `LegibleText` lays a name out at a fixed
size on screen instead, whatever the zoom, and keeps the lines for each zoom step.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QTextLayout, QTextOption
from PySide6.QtWidgets import QStyleOptionGraphicsItem

_METRICS: dict[int, tuple[QFont, QFontMetricsF]] = {}


def metrics(font: QFont) -> QFontMetricsF:
    """Font metrics, kept per font object: cards measure the same shared fonts often."""
    found = _METRICS.get(id(font))
    if found is None or found[0] is not font:
        if len(_METRICS) > 64:
            _METRICS.clear()
        found = _METRICS[id(font)] = (font, QFontMetricsF(font))  # keeps the id taken
    return found[1]


def elide_lines(text: str, font: QFont, width: float, max_lines: int = 2) -> list[str]:
    """Wrap text to `width` in at most `max_lines` lines; the last is elided if it overflows."""
    text = " ".join(text.split())
    if not text:
        return []
    font_metrics = metrics(font)
    if font_metrics.horizontalAdvance(text) <= width:
        return [text]  # the common case: it fits on one line
    lines: list[str] = []
    for start, length in line_spans(text, font, width, max_lines):
        if len(lines) == max_lines - 1:  # the last line holds the rest, elided
            lines.append(font_metrics.elidedText(text[start:], Qt.TextElideMode.ElideRight,
                                                 width))
            break
        lines.append(text[start : start + length].rstrip())
    return lines


def line_spans(text: str, font: QFont, width: float,
               limit: int | None = None) -> list[tuple[int, int]]:
    """Where `text` breaks into lines of at most `width` (at words, or anywhere in a
    word too long for a line): each line's (start, length), the first `limit` only."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    spans: list[tuple[int, int]] = []
    layout.beginLayout()
    while limit is None or len(spans) < limit:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        spans.append((line.textStart(), line.textLength()))
    layout.endLayout()
    return spans


def level_of_detail(painter: QPainter) -> float:
    """How many device pixels one scene unit covers now (1 at 100 % zoom)."""
    return QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())


def format_percent(value: float) -> str:
    """12 %, 0.5 %, 100 %: whole numbers, one decimal below 10 %."""
    percent = value * 100.0
    if 0 < abs(percent) < 10 and abs(percent - round(percent)) >= 0.05:
        return f"{percent:.1f}%"
    return f"{percent:.0f}%"




def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def wrap_words(text: str, font: QFont, width: float, max_lines: int) -> list[str]:
    """Wrap at spaces into at most `max_lines` lines of `width`; a word too long for a
    line, and the last line when words remain, end in an ellipsis. Short names on
    narrow cards read better cut at a word than broken mid-word."""
    words = text.split()
    if not words or max_lines < 1 or width <= 0:
        return []
    font_metrics = metrics(font)

    def fits(line: str) -> bool:
        return font_metrics.horizontalAdvance(line) <= width

    def elide(line: str) -> str:
        return font_metrics.elidedText(line, Qt.TextElideMode.ElideRight, width)

    lines: list[str] = []
    index = 0
    while index < len(words):
        if len(lines) == max_lines - 1:
            lines.append(elide(" ".join(words[index:])))  # the last line: the rest
            break
        line = words[index]
        index += 1
        while index < len(words) and fits(f"{line} {words[index]}"):
            line = f"{line} {words[index]}"
            index += 1
        lines.append(line if fits(line) else elide(line))
    return [line for line in lines if line]


class LegibleText:
    """A name drawn at `font`'s size on screen, whatever the zoom, wrapped to its box.

    Used where the item's own text would be too small to read. The painter is scaled
    back to device pixels around the drawing, so the font is never rebuilt; the
    wrapped lines are kept for the last zoom (a 2,000-card map repaints each card at
    one zoom many times, but wraps each name once per zoom step).
    """

    __slots__ = ("_font", "_key", "_lines", "text")

    def __init__(self, font: QFont, text: str = "") -> None:
        self._font = font
        self.text = text
        self._key: tuple[str, float, float, float] | None = None
        self._lines: list[str] = []

    def lines(self, box: QRectF, lod: float) -> list[str]:
        """The lines shown in `box` (item units) at this level of detail."""
        width, height = box.width() * lod, box.height() * lod
        key = (self.text, round(lod, 3), box.width(), box.height())
        if key != self._key:
            line = metrics(self._font).height()  # set solid: no leading between lines
            count = int(height // line) if line > 0 else 0
            self._lines = wrap_words(self.text, self._font, width, count)
            self._key = key
        return self._lines

    def paint(self, painter: QPainter, box: QRectF, lod: float,
              align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> bool:
        """Draw the lines centred vertically in `box`; False if not one line fits."""
        lines = self.lines(box, lod)
        if not lines or lod <= 0:
            return False
        font_metrics = metrics(self._font)
        spacing = font_metrics.height()
        painter.save()
        painter.scale(1 / lod, 1 / lod)
        left, width = box.left() * lod, box.width() * lod
        y = box.center().y() * lod - spacing * len(lines) / 2 + font_metrics.ascent()
        painter.setFont(self._font)
        for line in lines:
            x = left
            if align == Qt.AlignmentFlag.AlignHCenter:
                x += (width - font_metrics.horizontalAdvance(line)) / 2
            painter.drawText(QPointF(x, y), line)
            y += spacing
        painter.restore()
        return True

"""The app's fonts: set in points, never pixels, and never below 9 pt."""

from __future__ import annotations

from PySide6.QtGui import QFont, QGuiApplication

MIN_POINT_SIZE = 9.0


_FONTS: dict[tuple[float, QFont.Weight], QFont] = {}


_FONT_BASE: list[QFont] = []  # the application font the cache was built from


def font(point_size: float, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    """The application font at a point size (never below 9 pt) and weight."""
    return QFont(shared_font(point_size, weight))


def shared_font(point_size: float, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    """Like `font`, but one shared instance per size and weight: never modify it.

    Thousands of cards ask for the same few fonts, and building a QFont is slower
    than looking one up. The cache starts afresh when the application font changes.
    """
    base = QGuiApplication.font()
    if not _FONT_BASE or _FONT_BASE[0] != base:
        _FONTS.clear()
        _FONT_BASE[:] = [base]
    cached = _FONTS.get((point_size, weight))
    if cached is None:
        cached = QFont(base)
        cached.setPointSizeF(max(MIN_POINT_SIZE, point_size))
        cached.setWeight(weight)
        _FONTS[(point_size, weight)] = cached
    return cached

"""Colours, fonts and sizes of the canvas, in one place.

Two palettes, light and dark; `current_palette()` picks the one that matches the
QApplication palette, so the canvas follows the system theme.

Satisfaction colours. PRODUCT.md asks for red, grey and green that stay colour-blind
safe. We take the two ends from the Okabe-Ito palette (Okabe & Ito, 2008), made for
colour-vision deficiencies: vermillion #D55E00 for -1 and bluish green #009E73 for +1,
with a neutral grey between. Plain red and green collapse to the same olive for
deuteranopes; these two differ in hue (brown-orange against blue-grey) and in lightness,
so they stay apart under protanopia and deuteranopia too (tests simulate deuteranopia
and check it). The card also prints the CSAT number, so colour is never the only cue.

Sizes are scene units (1 unit = 1 logical pixel at 100 % zoom); Qt scales them for
high-DPI screens. Fonts are set in points, never pixels, and never below 9 pt.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette

# -- metrics ------------------------------------------------------------------------
CARD_WIDTH = 180.0
CARD_HEIGHT = 76.0
CARD_RADIUS = 8.0
CARD_PADDING = 9.0
SATISFACTION_BAND = 34.0  # the satisfaction colour bar down the card's left, with the CSAT
BADGE_SIZE = 18.0  # channel initials badge
MARKER_SIZE = 18.0  # entry and conversion chips
MARKER_Y = 13.0  # their centre, from the card's top (clear of the CSAT)
HANDLE_SIZE = 12.0  # the connection handle on the card's right edge
HALO_WIDTH = 7.0  # the visibility halo around the card
CARD_MARGIN = 14.0  # room around the card for the halo, chips, tag and handle

LANE_HEADER_HEIGHT = 44.0
LANE_RADIUS = 10.0
LANE_TOP_GAP = 60.0  # between a lane's header and its topmost card: room for self-loops
LANE_MIN_BODY = 600.0  # an empty journey still shows lanes tall enough to click into

ARROW_WIDTH = 1.6  # default transition width before analysis sets the flow
ARROW_HEAD = 9.0
ARROW_CLEARANCE = 26.0  # how far loop arcs stay away from the cards they go round
ARROW_CORNER = 28.0  # corner radius of loop arcs
ARROW_CHANNEL = 22.0  # detours run this far outside a card row: mid-gap on the layout grid
SELF_LOOP_HEIGHT = 26.0  # low enough to stay in the gap below the row above
FLOW_MIN_WIDTH = 1.0  # arrow widths for flow fractions 0 and 1 in the analysis overlay
FLOW_MAX_WIDTH = 8.0

# Level of detail: below LOD_TEXT a card's text is too small to read, so it is skipped;
# below LOD_DETAIL cards and arrows are drawn as plain shapes. Repainting a 2,000-card
# map at fit zoom then costs a few milliseconds.
LOD_TEXT = 0.45
LOD_DETAIL = 0.22

MIN_POINT_SIZE = 9.0
CHANNEL_POINT_SIZE = 9.0
NAME_POINT_SIZE = 9.5
CSAT_POINT_SIZE = 11.0
DETAIL_POINT_SIZE = 9.0
HEADER_POINT_SIZE = 11.0
LABEL_POINT_SIZE = 9.0


@dataclass(frozen=True)
class CanvasPalette:
    """Every colour the canvas items paint with."""

    dark: bool
    background: QColor
    lane_fill: tuple[QColor, QColor]  # alternating lane bodies
    lane_header: tuple[QColor, QColor]
    lane_border: QColor
    lane_text: QColor
    lane_muted: QColor
    card_fill: QColor
    card_border: QColor
    card_shadow: QColor
    card_text: QColor
    card_muted: QColor
    track: QColor  # empty part of small bars
    selection: QColor
    handle: QColor
    arrow: QColor
    loop_arrow: QColor  # loops back to earlier stages: the perpetual part
    label_fill: QColor
    label_text: QColor
    entry: QColor
    conversion: QColor
    visibility: QColor
    visits: QColor
    on_accent: QColor  # glyphs drawn on entry/conversion chips and badges
    satisfaction: tuple[QColor, QColor, QColor]  # sigma -1, 0, +1


LIGHT = CanvasPalette(
    dark=False,
    background=QColor("#f4f5f7"),
    lane_fill=(QColor("#f7f8fa"), QColor("#eef0f4")),
    lane_header=(QColor("#e6e9ef"), QColor("#dde1e8")),
    lane_border=QColor("#d3d8e0"),
    lane_text=QColor("#2b3340"),
    lane_muted=QColor("#6b7482"),
    card_fill=QColor("#ffffff"),
    card_border=QColor("#c9ced6"),
    card_shadow=QColor(20, 30, 50, 34),
    card_text=QColor("#1f2630"),
    card_muted=QColor("#5d6673"),
    track=QColor("#e3e6eb"),
    selection=QColor("#0072b2"),
    handle=QColor("#0072b2"),
    arrow=QColor("#66707d"),
    loop_arrow=QColor("#8a4f9e"),
    label_fill=QColor("#ffffff"),
    label_text=QColor("#2b3340"),
    entry=QColor("#0072b2"),
    conversion=QColor("#c98a00"),
    visibility=QColor("#cc79a7"),
    visits=QColor("#56b4e9"),
    on_accent=QColor("#ffffff"),
    satisfaction=(QColor("#d55e00"), QColor("#9aa1ab"), QColor("#009e73")),
)

DARK = CanvasPalette(
    dark=True,
    background=QColor("#1b1e23"),
    lane_fill=(QColor("#202329"), QColor("#252931")),
    lane_header=(QColor("#2b3039"), QColor("#313743")),
    lane_border=QColor("#3a404b"),
    lane_text=QColor("#e4e7ec"),
    lane_muted=QColor("#9aa3b0"),
    card_fill=QColor("#2d323b"),
    card_border=QColor("#4a5160"),
    card_shadow=QColor(0, 0, 0, 90),
    card_text=QColor("#eef0f3"),
    card_muted=QColor("#aab2bf"),
    track=QColor("#3c424d"),
    selection=QColor("#56b4e9"),
    handle=QColor("#56b4e9"),
    arrow=QColor("#9aa3b0"),
    loop_arrow=QColor("#c58fd6"),
    label_fill=QColor("#2d323b"),
    label_text=QColor("#e4e7ec"),
    entry=QColor("#3a9ad9"),
    conversion=QColor("#e6a817"),
    visibility=QColor("#e08fbd"),
    visits=QColor("#56b4e9"),
    on_accent=QColor("#ffffff"),
    satisfaction=(QColor("#e86a12"), QColor("#7d8591"), QColor("#12b386")),
)

# A muted categorical set for channel badges, picked by a stable hash of the name.
CHANNEL_COLOURS = (
    "#0072b2", "#009e73", "#d55e00", "#cc79a7", "#8a6d00",
    "#56779c", "#6a8f3a", "#a3552f", "#7b5ea7", "#2f8a8a",
)


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the application (or the given) palette is a dark theme."""
    if palette is None:
        palette = QGuiApplication.palette()
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return window.lightnessF() < text.lightnessF()


def current_palette() -> CanvasPalette:
    """The canvas palette that matches the running application's theme."""
    return DARK if is_dark() else LIGHT


def satisfaction_color(sigma: float, palette: CanvasPalette | None = None) -> QColor:
    """The diverging colour for satisfaction sigma in [-1, 1] (clamped)."""
    negative, neutral, positive = (palette or LIGHT).satisfaction
    sigma = max(-1.0, min(1.0, float(sigma)))
    end = positive if sigma >= 0 else negative
    return _mix(neutral, end, abs(sigma))


def csat(sigma: float) -> float:
    """CSAT 1-5 for satisfaction sigma, as MODEL.md defines it: sigma = (csat - 3) / 2."""
    return 3.0 + 2.0 * max(-1.0, min(1.0, float(sigma)))


def channel_color(name: str) -> QColor:
    """A stable colour per channel name, the same on every run."""
    if not name:
        return QColor("#8a919c")
    return QColor(CHANNEL_COLOURS[zlib.crc32(name.lower().encode()) % len(CHANNEL_COLOURS)])


def channel_initials(name: str) -> str:
    """One or two letters for the channel badge: 'Social media' -> 'SM', 'Phone' -> 'P'."""
    words = [w for w in name.replace("-", " ").replace("_", " ").split() if w]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][0].upper()
    return (words[0][0] + words[1][0]).upper()


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


def readable_on(background: QColor) -> QColor:
    """Black or white, whichever reads better on the background."""
    r, g, b = background.redF(), background.greenF(), background.blueF()
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return QColor("#1f2630") if luminance > 0.55 else QColor("#ffffff")


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    t = max(0.0, min(1.0, t))
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
        a.alphaF() + (b.alphaF() - a.alphaF()) * t,
    )

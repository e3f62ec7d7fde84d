"""The app's colours: light and dark palettes, satisfaction and channel colours.

Two palettes, light and dark; `current_palette()` picks the one that matches the
QApplication palette, so the canvas, the charts and the summary follow the theme.

Satisfaction colours. PRODUCT.md asks for red, grey and green that stay colour-blind
safe. We take the two ends from the Okabe-Ito palette (Okabe & Ito, 2008), made for
colour-vision deficiencies: vermillion #D55E00 for -1 and bluish green #009E73 for +1,
with a neutral grey between. Plain red and green collapse to the same olive for
deuteranopes; these two differ in hue (brown-orange against blue-grey) and in lightness,
so they stay apart under protanopia and deuteranopia too (tests simulate deuteranopia
and check it). The card also prints the CSAT number, so colour is never the only cue.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtGui import QColor, QGuiApplication, QPalette


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
    #: The satisfaction ends as text: green and vermillion that read at 4.5:1 on the
    #: cards, the window and the tables (the bars keep the brighter ends).
    good_text: QColor
    bad_text: QColor


LIGHT = CanvasPalette(
    dark=False,
    background=QColor("#f4f5f7"),
    lane_fill=(QColor("#f7f8fa"), QColor("#eef0f4")),
    lane_header=(QColor("#e6e9ef"), QColor("#dde1e8")),
    lane_border=QColor("#d3d8e0"),
    lane_text=QColor("#2b3340"),
    lane_muted=QColor("#656e7c"),  # the stage number's circle: its digit reads at 4.8:1
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
    conversion=QColor("#a86f00"),  # a deep amber: the white star on it reads (4.3:1)
    visibility=QColor("#cc79a7"),
    visits=QColor("#2f7fc0"),  # 3.4:1 on the track, so the bar's length reads
    on_accent=QColor("#ffffff"),
    satisfaction=(QColor("#d55e00"), QColor("#9aa1ab"), QColor("#009e73")),
    good_text=QColor("#007a5a"),
    bad_text=QColor("#ad4600"),
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
    on_accent=QColor("#1b1e23"),  # dark glyphs: white on these bright chips reads at 2:1
    satisfaction=(QColor("#e86a12"), QColor("#7d8591"), QColor("#12b386")),
    good_text=QColor("#2ec99a"),
    bad_text=QColor("#f4824a"),
)


Role = QPalette.ColorRole


@dataclass(frozen=True, eq=False)
class WidgetColours:
    """The widgets' colours in one theme (the canvas and charts use CanvasPalette).

    `roles` are QPalette roles for every colour group, `disabled` for the disabled group
    only. The light theme is Fusion's own palette with these changes; the dark theme
    names every role. `control_edge` outlines a checkbox's box and a slider's groove:
    Fusion derives them from the window colour, which leaves them all but invisible in
    the dark, and WCAG 1.4.11 asks 3:1 against what is around them.
    """

    dark: bool
    roles: Mapping[QPalette.ColorRole, QColor]
    disabled: Mapping[QPalette.ColorRole, QColor]
    control_edge: QColor


def _colours(table: Mapping[QPalette.ColorRole, str]) -> dict[QPalette.ColorRole, QColor]:
    return {role: QColor(colour) for role, colour in table.items()}


LIGHT_WIDGETS = WidgetColours(
    dark=False,
    # Fusion's placeholder is half-transparent black (3.9:1 on the window), and white
    # on its highlight reads at 3.7:1.
    roles=_colours({Role.PlaceholderText: "#5f6670", Role.Highlight: "#2b6cb0"}),
    disabled=_colours({}),
    control_edge=QColor("#7a818b"),  # 3.4:1 on the window
)


DARK_WIDGETS = WidgetColours(
    dark=True,
    roles=_colours({
        Role.Window: "#202329", Role.WindowText: "#e6e8eb", Role.Base: "#17191d",
        Role.AlternateBase: "#23262c", Role.ToolTipBase: "#2b2f36", Role.ToolTipText: "#e6e8eb",
        Role.PlaceholderText: "#959ba5", Role.Text: "#e6e8eb", Role.Button: "#2a2d34",
        Role.ButtonText: "#e6e8eb", Role.BrightText: "#ff6b6b", Role.Link: "#6cb6ff",
        Role.Highlight: "#2c67c0", Role.HighlightedText: "#ffffff", Role.Light: "#3a3e46",
        Role.Midlight: "#32353c", Role.Mid: "#26292f", Role.Dark: "#141619",
        Role.Shadow: "#000000",
    }),
    disabled=_colours({Role.WindowText: "#6d737c", Role.Text: "#6d737c",
                       Role.ButtonText: "#6d737c"}),
    control_edge=QColor("#7c8491"),  # 4.2:1 on the window
)


def widget_colours(palette: QPalette | None = None) -> WidgetColours:
    """The widget colours of the application's (or the given palette's) theme."""
    return DARK_WIDGETS if is_dark(palette) else LIGHT_WIDGETS


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


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two opaque colours, from 1 (the same) to 21."""
    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
        return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
                + 0.0722 * channel(colour.blueF()))
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable_on(background: QColor) -> QColor:
    """Near-black or white, whichever has the higher contrast on the background.

    Near-black rather than the cards' text colour: on the mid-tones of the satisfaction
    and channel colours neither white nor a softer ink reaches 4.5:1, this one does
    (the worst case is 4.65:1)."""
    dark, light = QColor("#0b0d10"), QColor("#ffffff")
    return dark if contrast(dark, background) >= contrast(light, background) else light


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    t = max(0.0, min(1.0, t))
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
        a.alphaF() + (b.alphaF() - a.alphaF()) * t,
    )


def sign_color(value: float | None, palette: CanvasPalette) -> QColor | None:
    """Text in green for good, vermillion for bad (the palette's text shades of the
    satisfaction ends); None for zero or no value."""
    if value is None or value == 0 or math.isnan(value):
        return None
    return QColor(palette.good_text if value > 0 else palette.bad_text)


# -- lanes and notes of the journey map ---------------------------------------------------
#: Each lane kind's colour, from the Okabe-Ito set (colour-blind safe, as the satisfaction
#: ends are); a custom lane without its own colour is grey. Notes are tints of it, so
#: their text reads on them in both themes (tests/ui/look/test_contrast.py measures it).
LANE_ACCENTS: dict[str, str] = {
    "actions": "#0072b2",  # blue
    "thoughts": "#cc79a7",  # reddish purple
    "pain_points": "#d55e00",  # vermillion
    "opportunities": "#009e73",  # bluish green
    "frontstage": "#e69f00",  # orange
    "backstage": "#56b4e9",  # sky blue
    "support": "#b8a21a",  # Okabe-Ito yellow, darkened to show on a light lane
    "custom": "#8a919c",
}
#: How much of the lane's colour a note's fill takes, on the card colour.
NOTE_TINT = {False: 0.2, True: 0.3}
#: The experience lane's lines, one per segment (the mixed line takes the selection's):
#: the Okabe-Ito hues, deepened on the light theme and lightened on the dark one so each
#: line stands out 3:1 from either stage column.
SERIES_COLOURS: dict[bool, tuple[str, ...]] = {
    False: ("#0072b2", "#c45200", "#007f5f", "#b0588e", "#9a6700", "#3d7fae"),
    True: ("#56b4e9", "#e86a12", "#12b386", "#e08fbd", "#e6a817", "#b9a0f0"),
}


def lane_accent(kind: str, colour: str | None = None) -> QColor:
    """A lane's colour: its own, else its kind's."""
    return QColor(colour or LANE_ACCENTS.get(kind, LANE_ACCENTS["custom"]))


def note_fill(accent: QColor, palette: CanvasPalette) -> QColor:
    """A note's paper: the card colour tinted with its lane's colour."""
    return _mix(palette.card_fill, accent, NOTE_TINT[palette.dark])


def note_text(fill: QColor, palette: CanvasPalette) -> QColor:
    """The card's ink where it reads at 4.5:1 on the note, else near-black or white."""
    return QColor(palette.card_text) if contrast(palette.card_text, fill) >= 4.5 \
        else readable_on(fill)


def row_tint(accent: QColor, palette: CanvasPalette) -> QColor:
    """A lane row's body: a wash of its colour over the stage columns."""
    wash = QColor(accent)
    wash.setAlphaF(0.10 if palette.dark else 0.07)
    return wash

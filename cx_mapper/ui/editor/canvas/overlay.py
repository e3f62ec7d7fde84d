"""Analysis overlays on the canvas: which marks are on, and the figures they draw.

The engine's result is per touchpoint (visits v_i, loyalty after the visit L_j);
arrows need the flow along each transition, v_i delta (1 - q_i) p_ij (MODEL.md §1-4),
which takes the journey's probabilities and the segments' abandonment as well.
`overlay_figures` works all of that out once per result, so an edit between two
results redraws the old figures rather than mixing a new journey with an old answer.

Satisfaction fill is not analysis: it follows the card's own satisfaction and stays
when there is no (current) result. The other three marks need one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from cx_mapper.domain.journey import Journey, TransitionKey
from cx_mapper.domain.project import Project
from cx_mapper.engine.flows import transition_flows
from cx_mapper.engine.results import Analysis
from cx_mapper.ui.editor.canvas import style
from cx_mapper.ui.look.palette import CanvasPalette, satisfaction_color

#: How much of the satisfaction colour tints a card's body. Light: dark text on a pale
#: tint; dark: light text on a deep one. Both keep the name above 7:1 contrast.
FILL_TINT_LIGHT = 0.24
FILL_TINT_DARK = 0.30

#: Arrow widths change in steps this fine: a new result that barely moves a flow then
#: leaves the arrow (and its route) alone, which matters with thousands of arrows.
FLOW_WIDTH_STEP = 0.25

#: Flows at least this share of the largest are inked fully; smaller ones fade towards
#: FLOW_FADE.
FLOW_FULL = 0.5
FLOW_FADE = 0.4

MINUS = "\u2212"
DASH = "\u2014"


@dataclass(frozen=True)
class Overlays:
    """Which analysis marks the canvas draws. The defaults are the analysis marks on
    and the body tint off (the colour bar already shows satisfaction)."""

    satisfaction_fill: bool = False  # card body tinted by its satisfaction colour
    visits: bool = True  # the visits bar: share of the busiest touchpoint
    flow: bool = True  # arrow width by the flow along it
    loyalty: bool = True  # a badge with the loyalty after the touchpoint
    #: the median time between touchpoints on each arrow's label, where a log measured
    #: one; like the fill, the journey's own data rather than a result
    times: bool = False

    @classmethod
    def all(cls) -> Overlays:
        return cls(satisfaction_fill=True, visits=True, flow=True, loyalty=True, times=True)

    @classmethod
    def none(cls) -> Overlays:
        return cls(satisfaction_fill=False, visits=False, flow=False, loyalty=False,
                   times=False)

    def any(self) -> bool:
        return self.satisfaction_fill or self.visits or self.flow or self.loyalty or self.times


@dataclass(frozen=True)
class OverlayFigures:
    """What one analysis puts on the map, in the engine's units.

    `visits` are expected discounted visits v_i per entering customer; `flows` the
    expected discounted passes along each arrow per entering customer; `loyalty` is
    L_j (NaN when unvisited). Elements missing from a dict get no mark. Built with
    `from_shares` (the older call by shares), the shares are all there is and the
    real values are those shares.
    """

    visits: Mapping[str, float] = field(default_factory=dict)
    flows: Mapping[TransitionKey, float] = field(default_factory=dict)
    loyalty: Mapping[str, float] = field(default_factory=dict)
    scaled: bool = False  # True: visits and flows are already 0-1 shares (no real units)

    @classmethod
    def from_shares(cls, visits: Mapping[str, float] | None,
                    flows: Mapping[TransitionKey, float] | None) -> OverlayFigures:
        return cls(dict(visits or {}), {(k[0], k[1]): v for k, v in (flows or {}).items()},
                   {}, scaled=True)

    @cached_property
    def max_visits(self) -> float:
        return max(self.visits.values(), default=0.0)

    @cached_property
    def max_flow(self) -> float:
        return max(self.flows.values(), default=0.0)

    @cached_property
    def min_flow(self) -> float:
        return min(self.flows.values(), default=0.0)

    def visit_share(self, touchpoint_id: str) -> float | None:
        """v_i / max v, or None for a touchpoint the result does not know."""
        return _share(self.visits.get(touchpoint_id), self.max_visits)

    def flow_share(self, key: TransitionKey) -> float | None:
        """The flow as 0-1 of the largest, or None for an arrow the result does not know."""
        return _share(self.flows.get(key), self.max_flow)

    @cached_property
    def arrow_looks(self) -> dict[TransitionKey, tuple[float, float]]:
        """Width and ink strength of each arrow the result knows, by its flow share."""
        keys = list(self.flows)
        flows = np.fromiter(self.flows.values(), dtype=float, count=len(keys))
        shares = flows / self.max_flow if self.max_flow > 0 else np.zeros(len(keys))
        looks = zip(flow_widths(shares).tolist(), flow_strengths(shares).tolist(), strict=True)
        return dict(zip(keys, looks, strict=True))

    def loyalty_of(self, touchpoint_id: str) -> float | None:
        """L_j, NaN when unvisited, None for a touchpoint the result does not know."""
        return self.loyalty.get(touchpoint_id)


def overlay_figures(project: Project, journey: Journey, analysis: Analysis) -> OverlayFigures:
    """Visits, flows and loyalty of an analysis of `journey`, mixed over the segments.

    The flows are engine/flows.py's: a transition whose source the result does not
    know (the journey was edited since) gets no flow.
    """
    visits = {tid: float(analysis.touchpoints.visits[i]) for i, tid in enumerate(analysis.ids)}
    loyalty = {tid: float(analysis.touchpoints.loyalty[i]) for i, tid in enumerate(analysis.ids)}
    flows = transition_flows(project, journey, analysis)
    return OverlayFigures(visits, flows, loyalty)


def map_overlay(project: Project, journey: Journey, analysis: Analysis
                ) -> tuple[dict[str, float], dict[TransitionKey, float]]:
    """The canvas overlay of an analysis: visits and arrow flows, each as 0-1 of the largest.

    The shares `JourneyScene.set_overlay` takes; the same shares the cards and arrows
    draw from `overlay_figures`.
    """
    figures = overlay_figures(project, journey, analysis)
    visits = {tid: figures.visit_share(tid) or 0.0 for tid in figures.visits}
    flows = {key: figures.flow_share(key) or 0.0 for key in figures.flows}
    return visits, flows


def flow_width(share: float | None) -> float:
    """The stroke width for a flow share (0-1 of the largest); the plain width for None."""
    if share is None:
        return style.ARROW_WIDTH
    return float(flow_widths(np.array([float(share)]))[0])


def flow_strength(share: float | None) -> float:
    """How strongly an arrow is inked for its flow share: the largest flows full, small
    ones faded (never below 0.4), so the main path reads at a glance. Square root,
    so a flow a quarter of the largest is still half way."""
    if share is None:
        return 1.0
    return float(flow_strengths(np.array([float(share)]))[0])


def flow_widths(shares: NDArray[np.float64]) -> NDArray[np.float64]:
    """`flow_width` of many shares at once (a big map's thousands of arrows)."""
    shares = np.clip(shares, 0.0, 1.0)
    widths = style.FLOW_MIN_WIDTH + shares * (style.FLOW_MAX_WIDTH - style.FLOW_MIN_WIDTH)
    return np.round(widths / FLOW_WIDTH_STEP) * FLOW_WIDTH_STEP


def flow_strengths(shares: NDArray[np.float64]) -> NDArray[np.float64]:
    """`flow_strength` of many shares at once."""
    shares = np.clip(shares, 0.0, 1.0)
    return np.round(FLOW_FADE + (1.0 - FLOW_FADE) * np.sqrt(np.minimum(1.0, shares / FLOW_FULL)),
                    2)


# -- how the marks look -------------------------------------------------------------------
def fill_colour(sigma: float, palette: CanvasPalette) -> QColor:
    """A card body tinted by its satisfaction colour, pale enough for the card's text."""
    tint = FILL_TINT_DARK if palette.dark else FILL_TINT_LIGHT
    return mix(palette.card_fill, satisfaction_color(sigma, palette), tint)


def loyalty_points(value: float | None) -> int | None:
    """L_j on the loyalty index's scale (-100..100), rounded; None when unvisited."""
    if value is None or math.isnan(value):
        return None
    return round(max(-1.0, min(1.0, value)) * 100)


def loyalty_text(value: float | None) -> str:
    """The badge: "L +12", "L −8", "L 0", or "L —" for a touchpoint nobody visits."""
    points = loyalty_points(value)
    if points is None:
        return f"L {DASH}"
    if points == 0:
        return "L 0"
    return f"L +{points}" if points > 0 else f"L {MINUS}{-points}"


def loyalty_colour(value: float | None, palette: CanvasPalette) -> QColor:
    """Bluish green above zero, vermillion below (Okabe-Ito, as satisfaction), else grey."""
    points = loyalty_points(value)
    negative, neutral, positive = palette.satisfaction
    if points is None or points == 0:
        return QColor(palette.card_muted if points is None else neutral)
    return QColor(positive if points > 0 else negative)


def paint_badge(painter: QPainter, rect: QRectF, text: str, colour: QColor,
                palette: CanvasPalette, font: QFont) -> None:
    """A pill in the card's colours: a coloured ring and coloured text on a faint tint.

    The ring and text carry the sign's colour; the sign itself is in the text, so the
    colour is never the only cue.
    """
    radius = rect.height() / 2
    fill, ink = badge_colours(colour, palette)
    pen = QPen(colour, 1.4)
    pen.setCosmetic(True)
    painter.setPen(pen)
    painter.setBrush(fill)
    painter.drawRoundedRect(rect, radius, radius)
    painter.setFont(font)
    painter.setPen(ink)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


_BADGES: dict[tuple[int, bool], tuple[QColor, QColor]] = {}


def badge_colours(colour: QColor, palette: CanvasPalette) -> tuple[QColor, QColor]:
    """A badge's fill (a faint tint of its colour) and its text: the colour taken
    towards the card's text until it reads at 4.5:1 (WCAG AA) on that fill."""
    key = (colour.rgba(), palette.dark)
    found = _BADGES.get(key)
    if found is None:
        fill = mix(palette.card_fill, colour, 0.22 if palette.dark else 0.16)
        found = _BADGES[key] = (fill, readable_ink(colour, fill, palette.card_text, 0.3))
    return found


def readable_ink(colour: QColor, background: QColor, towards: QColor, start: float = 0.0,
                 minimum: float = 4.5) -> QColor:
    """`colour` moved towards `towards` (a text colour) just far enough to read at
    `minimum` contrast on `background`."""
    step = start
    while True:
        ink = mix(colour, towards, step)
        if step >= 1.0 or contrast(ink, background) >= minimum:
            return ink
        step = min(1.0, step + 0.05)


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """`a` moved towards `b` by t (0-1), opaque."""
    t = max(0.0, min(1.0, t))
    return QColor.fromRgbF(a.redF() + (b.redF() - a.redF()) * t,
                           a.greenF() + (b.greenF() - a.greenF()) * t,
                           a.blueF() + (b.blueF() - a.blueF()) * t, 1.0)


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio between two colours (1-21)."""
    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
        return (0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF())
                + 0.0722 * channel(c.blueF()))
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _share(value: float | None, top: float) -> float | None:
    """`value` as 0-1 of `top`; None stays None (an element the result does not know)."""
    if value is None:
        return None
    return max(0.0, min(1.0, value / top)) if top > 0 else 0.0

"""One declaration per editable property: the inspector and the segments table are built from these.

The NodeGraphQt idea: a property says what it is (kind, range, step, unit) and what it means,
and the form is generated from it. The same declaration converts between what the model stores
and what the user sees (visibility 0..1 is shown as 0..100 %), and says why a value is refused.
Plain Python, so the rules can be tested without widgets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Final

from cx_mapper.domain.project import (
    PARAMETER_LABELS,
    PARAMETER_RANGES,
    PARAMETER_SOURCES,
    PRESETS,
    SHARE_ABOVE,
    SHARE_MAX,
    TRUST_ADVERTISING,
)
from cx_mapper.domain.ranges import JOURNEY_RANGES, TOUCHPOINT_RANGES, TRANSITION_RANGES, Range


class _Mixed:
    """The value shown when the selected items differ in a field."""

    _instance: _Mixed | None = None

    def __new__(cls) -> _Mixed:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MIXED"


MIXED: Final = _Mixed()


class Kind(StrEnum):
    TEXT = "text"
    MULTILINE = "multiline"
    CHOICE = "choice"
    SLIDER = "slider"
    PERCENT = "percent"
    NUMBER = "number"
    INTEGER = "integer"
    CHECKBOX = "checkbox"


#: Upper bounds from here up are safety caps, not meaning (entry 1,000,000, horizon
#: 10,000): range texts leave them out, and a value past one is told the cap.
SAFETY_CAP = 1e3

NUMERIC_KINDS = frozenset({Kind.SLIDER, Kind.PERCENT, Kind.NUMBER, Kind.INTEGER})


@dataclass(frozen=True, slots=True)
class Property:
    """An editable field: what it is, its range in model units, and what it means."""

    name: str
    label: str
    kind: Kind
    tooltip: str
    minimum: float | None = None  # model units; None is unbounded
    maximum: float | None = None
    minimum_exclusive: bool = False  # e.g. a segment's share must be above 0
    step: float = 1.0  # display units
    decimals: int = 2
    suffix: str = ""
    required: str = ""  # the message when a text is left empty, e.g. "A touchpoint needs a name"
    choices: str = ""  # which journey list fills a choice: "stages" or "channels"
    check_text: str = ""  # the text beside a checkbox

    @property
    def scale(self) -> float:
        """Display = model x scale: fractions are shown as percentages."""
        return 100.0 if self.kind is Kind.PERCENT else 1.0

    def to_display(self, value: Any) -> Any:
        if value is MIXED or self.kind not in NUMERIC_KINDS or value is None:
            return value
        return float(value) * self.scale

    def to_model(self, display: Any) -> Any:
        if self.kind is Kind.INTEGER:
            return int(round(float(display)))
        if self.kind in NUMERIC_KINDS:
            # Round away the binary noise of the division (33.3 % -> 0.333, not 0.33299...).
            return round(float(display) / self.scale, self.decimals + 4)
        if self.kind is Kind.CHECKBOX:
            return bool(display)
        return display

    def format(self, value: Any) -> str:
        """A model value as the user reads it, with its unit."""
        if value is MIXED:
            return "—"
        if self.kind is Kind.CHECKBOX:
            return "yes" if value else "no"
        if self.kind not in NUMERIC_KINDS:
            return str(value)
        return f"{format_number(self.to_display(value), self.decimals)}{self.suffix}"

    def range_text(self) -> str:
        """The allowed range in display units: "between 0 % and 100 %", "0 or more"."""
        low, high = self.minimum, self.maximum
        if high is not None and high >= SAFETY_CAP and low is not None:
            high = None
        if low is not None and high is not None:
            return f"between {self._bound(low)} and {self._bound(high)}"
        if low is not None:
            return f"above {self._bound(low)}" if self.minimum_exclusive else (
                f"{self._bound(low)} or more")
        if high is not None:
            return f"{self._bound(high)} or less"
        return "any number"

    def _bound(self, value: float) -> str:
        unit = self.suffix.split(" per ")[0].rstrip()  # "0 %", not "0 % per step"
        shown = value * self.scale
        if abs(shown) >= 1e4 and float(shown).is_integer():  # 1,000,000,000, not 1000000000
            return f"{shown:,.0f}{unit}"
        return f"{format_number(shown, self.decimals)}{unit}"

    def problem(self, value: Any) -> str | None:
        """Why a model value cannot be stored, in the user's words; None when it can."""
        if self.kind in (Kind.TEXT, Kind.MULTILINE):
            if self.required and not str(value).strip():
                return self.required
            return None
        if self.kind not in NUMERIC_KINDS:
            return None
        number = float(value)
        low, high = self.minimum, self.maximum
        if self.minimum_exclusive and low is not None and number <= low:
            return f"{self.label} must be above {self._bound(low)}."
        # A cap far above any real value (domain/ranges.py) is named only when crossed.
        if high is not None and high >= SAFETY_CAP and math.isfinite(number) and number > high:
            return f"{self.label} must be {self._bound(high)} or less."
        if (
            not math.isfinite(number)
            or (low is not None and (number < low or (self.minimum_exclusive and number <= low)))
            or (high is not None and number > high)
        ):
            return f"{self.label} must be {self.range_text()}."
        return None

    def parse(self, text: str) -> tuple[Any, str | None]:
        """A typed display text as a model value, or why it is refused (segments table)."""
        if self.kind not in NUMERIC_KINDS:
            value = text.strip()
            return value, self.problem(value)
        cleaned = text.strip().removesuffix(self.suffix.strip()).strip().replace(",", ".")
        try:
            number = float(cleaned)
        except ValueError:
            return None, f"{self.label} must be a number {self.range_text()}, not '{text}'."
        value = self.to_model(number)
        return value, self.problem(value)

    def full_tooltip(self) -> str:
        """The meaning, then the allowed range, for a field's tooltip."""
        if self.kind in NUMERIC_KINDS:
            return f"{self.tooltip}\nAllowed: {self.range_text()}."
        return self.tooltip


def format_number(value: float, decimals: int) -> str:
    """A number with at most `decimals` decimals and no trailing zeros: 0.5, 24, 12.25."""
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _ranged(properties: tuple[Property, ...], ranges: dict[str, Range]) -> tuple[Property, ...]:
    """The properties with their ranges from the domain, so the inspector refuses exactly
    what the validation and the file format refuse."""
    return tuple(
        replace(p, minimum=ranges[p.name][0], maximum=ranges[p.name][1])
        if p.name in ranges else p
        for p in properties
    )


# -- touchpoints ---------------------------------------------------------------

TOUCHPOINT_PROPERTIES: tuple[Property, ...] = _ranged((
    Property(
        "name", "Name", Kind.TEXT,
        "What the customer does or meets here, in their words, e.g. "
        "\"Sees a post from a friend\".",
        required="A touchpoint needs a name.",
    ),
    Property(
        "stage", "Stage", Kind.CHOICE,
        "The phase of the journey this touchpoint belongs to (its swimlane). "
        "The loyalty curve is drawn by stage; the analysis itself ignores it.",
        choices="stages",
    ),
    Property(
        "channel", "Channel", Kind.CHOICE,
        "Where the interaction happens, e.g. website, phone or store. "
        "The analysis ignores it.",
        choices="channels",
    ),
    Property(
        "satisfaction", "Satisfaction", Kind.SLIDER,
        "How this interaction feels, from -1 (very poor) through 0 (neutral) to +1 "
        "(exceptional), shown as CSAT 1-5 (CSAT 3 is neutral). A poor experience makes "
        "some customers walk away at once and starts negative word of mouth; a good one "
        "builds loyalty and positive word of mouth.",
        step=0.05,
    ),
    Property(
        "visibility", "Visibility", Kind.PERCENT,
        "The share of what customers say about this interaction that is said in public, "
        "on social media, rather than in private (phone, face to face). Public talk "
        "reaches about ten times as many people.",
        step=5.0, decimals=1, suffix=" %",
    ),
    Property(
        "value", "Value", Kind.NUMBER,
        "Money earned per visit. Use a negative number for a cost, such as a support call.",
        step=1.0, decimals=2,
    ),
    Property(
        "impact", "Impact", Kind.NUMBER,
        "How strongly this interaction moves loyalty, from 0 (not at all) to 1 (fully, "
        "the default). Keep 1 for moments of truth; lower it for routine interactions.",
        step=0.1, decimals=2,
    ),
    Property(
        "entry", "Entry share", Kind.NUMBER,
        "The share of new customers whose journey starts here. Shares are scaled to add "
        "up to 1 over the journey; at least one touchpoint needs a share above 0.",
        step=0.1, decimals=3,
    ),
    Property(
        "referral_entry", "Referral entry", Kind.NUMBER,
        "Where customers won by word of mouth start, scaled like the entry share. When "
        "every touchpoint has 0, they start where new customers do.",
        step=0.1, decimals=3,
    ),
    Property(
        "conversion", "Conversion", Kind.CHECKBOX,
        "A goal touchpoint, such as a purchase. The conversion probability and the "
        "attribution of conversions count the customers who reach one.",
        check_text="A goal, such as a purchase",
    ),
    Property(
        "notes", "Notes", Kind.MULTILINE,
        "Anything worth remembering about this touchpoint. The analysis ignores it.",
    ),
), TOUCHPOINT_RANGES)

# -- transitions ---------------------------------------------------------------

TRANSITION_PROPERTIES: tuple[Property, ...] = _ranged((
    Property(
        "probability", "Probability", Kind.PERCENT,
        "The share of customers at the source who go on to the target next. The "
        "transitions leaving a touchpoint add up to at most 100 %; the rest leave the "
        "journey after it.",
        step=5.0, decimals=1, suffix=" %",
    ),
    Property(
        "label", "Label", Kind.TEXT,
        "Optional text drawn on the arrow, e.g. \"books online\". The analysis ignores it.",
    ),
), TRANSITION_RANGES)

# -- journeys ------------------------------------------------------------------

JOURNEY_PROPERTIES: tuple[Property, ...] = _ranged((
    Property(
        "name", "Name", Kind.TEXT,
        "The journey's name, shown on its tab, e.g. \"Current state\" or \"Future state\".",
        required="A journey needs a name.",
    ),
    Property(
        "discount_rate", "Discount rate", Kind.PERCENT,
        "How much less each later step counts, per step (one transition): a visit t steps "
        "later weighs 1 / (1 + rate)^t. With loops customers can return forever; a rate "
        "above 0 keeps their future visits finite. At 0 every future visit counts fully.",
        step=0.5, decimals=2, suffix=" % per step",
    ),
    Property(
        "horizon", "Horizon", Kind.INTEGER,
        "How many steps the time series runs (steps 0 to this): active customers, mean "
        "loyalty and cumulative exposure over time. The totals always count every future "
        "step, discounted by the rate.",
        step=1.0, decimals=0, suffix=" steps",
    ),
), JOURNEY_RANGES)

# -- segments ------------------------------------------------------------------

SEGMENT_NAME = Property(
    "name", "Name", Kind.TEXT,
    "The segment (persona), e.g. \"Social media service users\".",
    required="A segment needs a name.",
)
SEGMENT_SHARE = Property(
    "share", "Share", Kind.NUMBER,
    "How many of the customers belong to this segment. Shares are scaled to add up to 1 "
    "(see Used share).",
    minimum=SHARE_ABOVE, maximum=SHARE_MAX, minimum_exclusive=True, step=0.1, decimals=4,
)


def _preset_defaults(name: str) -> str:
    values = ", ".join(
        f"{key.split(' (')[0]} {format_number(getattr(preset, name), 4)}"
        for key, preset in PRESETS.items()
    )
    return f"Preset defaults: {values}."


def _parameter(name: str) -> Property:
    low, high = PARAMETER_RANGES[name]
    tooltip = f"{PARAMETER_SOURCES[name]}.\n{_preset_defaults(name)}"
    if name in ("trust_private", "trust_public"):
        tooltip += (
            f"\nFor comparison, trust in advertising is {format_number(TRUST_ADVERTISING, 2)}: "
            "the baseline word of mouth beats."
        )
    return Property(
        name, PARAMETER_LABELS[name], Kind.NUMBER, tooltip,
        minimum=low, maximum=high, step=0.01, decimals=4,
    )


#: The word-of-mouth and behaviour parameters, in display order.
SEGMENT_PARAMETERS: tuple[Property, ...] = tuple(_parameter(name) for name in PARAMETER_LABELS)

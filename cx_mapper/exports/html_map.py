"""The HTML report's map: the drawing, and over it a shape for each card and arrow that
shows the figure's details on hover or keyboard focus (Qt-free).

No script: each hit shape is focusable, carries an SVG <title> for the browser's own
tooltip, and a CSS rule shows its details box while it is hovered or focused. The boxes
are HTML beside the drawing, not inside it, so one near the map's edge overflows the
map rather than being cut off; they are hidden in print.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from cx_mapper.domain import satisfaction
from cx_mapper.domain.evidence import Evidence
from cx_mapper.domain.journey import Journey
from cx_mapper.engine.kpis import SATISFACTION_STEP
from cx_mapper.exports.html_svg import MapDrawing
from cx_mapper.exports.tables import Table, cell_text, gain_label

#: A details box opens on the card's left (or above it) past this share of the map.
FLIP = 0.62
#: Per touchpoint: the touchpoint table's columns a details box shows, and their words.
TOUCHPOINT_FACTS: tuple[tuple[str, str], ...] = (
    ("Visits", "Visits"),
    ("Loyalty after (−100 to +100)", "Loyalty after"),
    (gain_label("loyalty_index"), f"Fix-first gain (loyalty index per +{SATISFACTION_STEP:g} "
                                  "satisfaction)"),
    (gain_label("value"), f"Value gain per +{SATISFACTION_STEP:g} satisfaction"),
    ("Removal effect", "Removal effect"),
)
RANK_COLUMNS = ("Fix-first rank, best (5%)", "Fix-first rank, median",
                "Fix-first rank, worst (95%)")
TRANSITION_FACTS: tuple[tuple[str, str], ...] = (
    ("Probability", "Probability"),
    ("Flow (discounted passes per customer)", "Flow (passes per customer)"),
    ("Median time (s)", "Median time (s)"),
    ("90% within (s)", "90% of customers within (s)"),
)


def map_section(journey: Journey, drawing: MapDrawing, touchpoints: Table,
                transitions: Table) -> tuple[str, str]:
    """The map's HTML and the CSS rules that open its details boxes."""
    width, height = drawing.width, drawing.height
    rows = {row[0]: i for i, row in enumerate(touchpoints.rows)}
    hits: list[str] = []
    tips: list[str] = []
    css: list[str] = []
    for n, (key, (path, mid_x, mid_y)) in enumerate(sorted(drawing.arrows.items())):
        row = _transition_row(transitions, key)
        if row is None:
            continue
        ident = f"tr-{n}"
        heading = f"{_name(journey, key[0])} → {_name(journey, key[1])}"
        facts = _facts(transitions, row, TRANSITION_FACTS)
        transition = journey.transitions.get(key)
        if transition is not None and transition.label:
            facts.insert(0, ("Label", transition.label))
        if transition is not None and transition.evidence is not None:
            facts.append(("Evidence", evidence_words(transition.evidence)))
        hits.append(f'<g class="arrow" id="{ident}" tabindex="0" '
                    f'data-from="{escape(key[0])}" data-to="{escape(key[1])}" '
                    f'aria-describedby="tip-{ident}"><title>{_title(heading, facts)}</title>'
                    f'<path d="{path}"/></g>')
        tips.append(_tip(ident, heading, "Transition", facts,
                         _place(mid_x, mid_y, 0.0, 0.0, width, height)))
        css.append(_rule(ident))
    for n, (tid, (x, y, w, h)) in enumerate(drawing.cards.items()):
        touchpoint = journey.touchpoints.get(tid)
        if touchpoint is None or tid not in rows:
            continue
        ident = f"tp-{n}"
        heading = touchpoint.name or tid
        where = " · ".join(part for part in (_stage(journey, touchpoint.stage),
                                            _channel(journey, touchpoint.channel)) if part)
        facts = [("Satisfaction", f"{_signed(touchpoint.satisfaction)} "
                                  f"(CSAT {satisfaction.csat(touchpoint.satisfaction):.1f})")]
        facts += _facts(touchpoints, rows[tid], TOUCHPOINT_FACTS)
        ranks = _ranks(touchpoints, rows[tid])
        if ranks:
            facts.append(("Fix-first rank, 90% interval", ranks))
        if touchpoint.conversion:
            facts.append(("Conversion", "yes, the journey's goal"))
        facts += [(f"Evidence: {field.replace('_', ' ')}", evidence_words(evidence))
                  for field, evidence in touchpoint.evidence.items()]
        hits.append(f'<g class="card" id="{ident}" tabindex="0" data-touchpoint="{escape(tid)}"'
                    f' aria-describedby="tip-{ident}"><title>{_title(heading, facts)}</title>'
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="8"/></g>')
        tips.append(_tip(ident, heading, where or "Touchpoint", facts,
                         _place(x, y, w, h, width, height)))
        css.append(_rule(ident))
    body = (f'<div class="map" style="aspect-ratio: {width:g} / {height:g}">'
            f"{drawing.svg}"
            f'<svg class="hits" viewBox="0 0 {width:g} {height:g}" '
            f'aria-label="The map\'s cards and arrows: focus one for its details">'
            f'{"".join(hits)}</svg>{"".join(tips)}</div>')
    return body, "\n".join(css)


def evidence_words(evidence: Evidence) -> str:
    """What backs a figure, in a line: "Survey, n = 60, 0.1 to 0.5 (source)"."""
    parts = [evidence.label]
    if evidence.n is not None:
        parts.append(f"n = {evidence.n:,.0f}")
    if evidence.low is not None and evidence.high is not None:
        parts.append(f"{evidence.low:g} to {evidence.high:g}".replace("-", "−"))
    if evidence.sd is not None:
        parts.append(f"sd {evidence.sd:g}")
    words = ", ".join(parts)
    return f"{words} ({evidence.source})" if evidence.source else words


def _facts(table: Table, row: int, wanted: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    labels = [column.label for column in table.columns]
    return [(words, cell_text(table, row, labels.index(label)))
            for label, words in wanted if label in labels]


def _ranks(table: Table, row: int) -> str:
    labels = [column.label for column in table.columns]
    if not all(label in labels for label in RANK_COLUMNS):
        return ""
    best, median, worst = (table.rows[row][labels.index(label)] for label in RANK_COLUMNS)
    if not all(isinstance(v, float) and math.isfinite(v) for v in (best, median, worst)):
        return ""
    if best == worst:
        return f"{best:.0f} in at least 90% of draws"
    return f"{best:.0f} to {worst:.0f} (median {median:.0f})"


def _transition_row(table: Table, key: tuple[str, str]) -> int | None:
    for i, row in enumerate(table.rows):
        if (row[0], row[2]) == key:
            return i
    return None


def _tip(ident: str, heading: str, sub: str, facts: list[tuple[str, str]], place: str) -> str:
    rows = "".join(f"<dt>{escape(label)}</dt><dd>{escape(text)}</dd>" for label, text in facts)
    return (f'<div class="tip" id="tip-{ident}" role="tooltip" style="{place}">'
            f"<strong>{escape(heading)}</strong><span>{escape(sub)}</span>"
            f"<dl>{rows}</dl></div>")


def _title(heading: str, facts: list[tuple[str, str]]) -> str:
    return escape("\n".join([heading, *(f"{label}: {text}" for label, text in facts)]))


def _place(x: float, y: float, w: float, h: float, width: float, height: float) -> str:
    """Where a details box opens: beside the shape, on the side with more room, in
    shares of the map so it follows the map at any size."""
    gap = 0.6  # percent of the map
    if x + w / 2 > FLIP * width:
        side = f"right: {100 * (width - x) / width + gap:.2f}%"
    else:
        side = f"left: {100 * (x + w) / width + gap:.2f}%"
    if y + h / 2 > FLIP * height:
        return f"{side}; bottom: {100 * (height - y - h) / height:.2f}%"
    return f"{side}; top: {100 * y / height:.2f}%"


def _rule(ident: str) -> str:
    return (f".map:has(#{ident}:hover) #tip-{ident}, .map:has(#{ident}:focus) #tip-{ident} "
            "{ visibility: visible; }")


def _signed(value: float) -> str:
    return f"{value:+.2f}".replace("-", "−")


def _name(journey: Journey, tid: str) -> str:
    touchpoint = journey.touchpoints.get(tid)
    return (touchpoint.name if touchpoint is not None else "") or tid


def _stage(journey: Journey, stage: str | None) -> str:
    return next((s.name or s.id for s in journey.stages if s.id == stage), "")


def _channel(journey: Journey, channel: str | None) -> str:
    return next((c.name or c.id for c in journey.channels if c.id == channel), "")

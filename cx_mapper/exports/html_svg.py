"""The HTML report's pictures: the drawings it inlines as SVG, and how an SVG file
becomes an inline <svg> element (Qt-free).

The drawings are made with Qt (ui/export/html_figures.py); this side only holds them
and tidies the text: no XML prolog, no namespace addresses (an SVG inline in HTML needs
none, and the report names no web address at all), a viewBox to scale by, and the
empty groups Qt's SVG writer leaves dropped. The fonts already name their face and
then sans-serif (ui/export/devices.py).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

#: A box: left, top, width, height, in the drawing's own units.
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Picture:
    """A titled drawing of the report: a chart, the lanes, the personas."""

    key: str  # the summary block it is cut from: "loyalty"
    title: str
    caption: str
    svg: str  # an inline <svg> element (inline_svg)
    width: float  # its width in the summary's design units: side-by-side shares


@dataclass(frozen=True)
class MapDrawing:
    """The map alone, and where each card and arrow lies on it, in its viewBox units."""

    svg: str
    width: float
    height: float
    cards: dict[str, Box] = field(default_factory=dict)  # by touchpoint id
    #: By (source, target): the arrow's SVG path data, and its middle point.
    arrows: dict[tuple[str, str], tuple[str, float, float]] = field(default_factory=dict)
    laid_out: bool = False  # the file had no positions: laid out by stage for the picture
    key_svg: str = ""  # how to read the map


@dataclass(frozen=True)
class ReportPictures:
    """Every drawing the report inlines; a journey without touchpoints has no map."""

    map: MapDrawing | None = None
    sure: Picture | None = None  # how sure the figures are, with evidence
    charts: tuple[Picture, ...] = ()
    plan_charts: Picture | None = None


_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
_ROOT = re.compile(r"<svg\b[^>]*>", re.DOTALL)
_TITLE = re.compile(r"<title>.*?</title>\s*|<desc>.*?</desc>\s*", re.DOTALL)
_EMPTY_GROUP = re.compile(r"<g\b[^>]*>\s*</g>\s*", re.DOTALL)
_EMPTY_DEFS = re.compile(r"<defs>\s*</defs>\s*")


def inline_svg(data: bytes, width: float, height: float, label: str,
               css_class: str = "picture") -> str:
    """An SVG document as an element to place in HTML: scaled by its viewBox to the
    width of its box, labelled for screen readers with `label`."""
    text = _PROLOG.sub("", data.decode("utf-8"), count=1)
    text = _ROOT.sub(f'<svg viewBox="0 0 {width:g} {height:g}" class="{css_class}" '
                     f'role="img" aria-label="{html.escape(label)}">', text, count=1)
    text = _TITLE.sub("", text).replace("xlink:href=", "href=")  # SVG 2: no namespace
    text = _EMPTY_DEFS.sub("", text)
    while True:  # a group left empty once its empty groups go
        shorter = _EMPTY_GROUP.sub("", text)
        if shorter == text:
            break
        text = shorter
    return text


def path_data(points: list[tuple[str, float, float]]) -> str:
    """SVG path data from (kind, x, y) steps: "M" move, "L" line, "C" the three points
    of a cubic curve given one after another."""
    words: list[str] = []
    for kind, x, y in points:
        words.append(f"{kind}{x:.1f} {y:.1f}" if kind in "MLC" else f"{x:.1f} {y:.1f}")
    return " ".join(words)

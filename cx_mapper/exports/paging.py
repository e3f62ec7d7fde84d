"""Splitting a tall page into paper pages between its parts (Qt-free geometry).

The summary is laid out once as one tall page of parts (the header and key figures,
the map, each chart, the tables, the footer). A paged PDF keeps every part whole:
parts side by side form one band, and each band goes on one page, at its own scale
when it is taller than a page can hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Band:
    """Parts that share rows of the tall page, so must share a paper page."""

    top: float
    bottom: float
    keys: tuple[str, ...]

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Placed:
    """A band on a paper page: its top lands at `y` (page units, from the page's top),
    drawn at `scale` (1, or less when the band is taller than the page's room)."""

    band: Band
    y: float
    scale: float = 1.0

    @property
    def bottom(self) -> float:
        return self.y + self.band.height * self.scale


def bands(parts: Sequence[tuple[str, float, float]]) -> list[Band]:
    """The parts (key, top, bottom) grouped into bands: parts whose rows overlap are in
    one band. In the order of their tops."""
    grouped: list[Band] = []
    for key, top, bottom in sorted(parts, key=lambda part: (part[1], part[2])):
        if grouped and top < grouped[-1].bottom:
            last = grouped[-1]
            grouped[-1] = Band(last.top, max(last.bottom, bottom), (*last.keys, key))
        else:
            grouped.append(Band(top, bottom, (key,)))
    return grouped


def paginate(page_bands: Sequence[Band], page_height: float, *, top: float,
             bottom: float, max_gap: float = 48.0,
             least_scale: float = 0.85) -> list[list[Placed]]:
    """Each page's bands, in order. A band goes under the one before it, at the tall
    page's gap between them (at most `max_gap`), when the page has room below; else
    it starts the next page at `top`. `bottom` is kept free at the page's foot (for
    its running footer). A band that fits below at no less than `least_scale` is
    shrunk to fit there, rather than leave most of a page empty; one taller than a
    page's room is shrunk to fit a page alone.
    """
    room = page_height - top - bottom
    if room <= 0:
        raise ValueError(f"A page of height {page_height} has no room between its margins")
    pages: list[list[Placed]] = []
    for band in page_bands:
        if band.height > room:
            pages.append([Placed(band, top, room / band.height)])
            continue
        if pages:
            last = pages[-1][-1]
            gap = min(max(band.top - last.band.bottom, 0.0), max_gap)
            y = last.bottom + gap
            fits = (page_height - bottom - y) / band.height
            if fits >= least_scale:
                pages[-1].append(Placed(band, y, min(1.0, fits)))
                continue
        pages.append([Placed(band, top)])
    return pages

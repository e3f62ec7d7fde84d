"""Paper sizes a PDF prints on, by the names users give them."""

from __future__ import annotations

#: Portrait width and height in millimetres. The summary pages on the first three; a
#: poster of the map takes any.
PAPERS: dict[str, tuple[float, float]] = {
    "A4": (210.0, 297.0),
    "A3": (297.0, 420.0),
    "Letter": (215.9, 279.4),
    "Tabloid": (279.4, 431.8),
    "A2": (420.0, 594.0),
    "A1": (594.0, 841.0),
    "A0": (841.0, 1189.0),
}
#: The summary's page sizes ("tall" is one page as tall as the summary).
SUMMARY_PAGES = ("tall", "A4", "A3", "Letter")
MM_PER_POINT = 25.4 / 72


def paper_named(name: str) -> str | None:
    """The paper's own spelling for a name in any case ("a4" is "A4"), or None."""
    return next((known for known in PAPERS if known.lower() == name.lower()), None)


def paper_points(name: str, landscape: bool = False) -> tuple[float, float]:
    """The paper's width and height in points, turned for landscape."""
    width, height = (size / MM_PER_POINT for size in PAPERS[name])
    return (height, width) if landscape else (width, height)

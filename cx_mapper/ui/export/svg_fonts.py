"""Fonts an SVG names so that other programs draw its text as the app does.

Qt's SVG writer names the font as Qt knows it: on a machine without a desktop that is
the alias "Sans Serif", which browsers, PowerPoint and Inkscape do not know, so they
fall back to a serif face. Each family is written as the face Qt actually used, then
the generic sans-serif.
"""

from __future__ import annotations

import re
from functools import cache

from PySide6.QtGui import QFont, QFontInfo

FAMILY = re.compile(rb'font-family="([^"]*)"')


def with_font_fallback(svg: bytes) -> bytes:
    """The SVG with each font-family a list: the face used, then sans-serif."""
    return FAMILY.sub(lambda found: b'font-family="' + _families(found.group(1)) + b'"', svg)


@cache
def _families(named: bytes) -> bytes:
    family = named.decode("utf-8", "replace")
    used = QFontInfo(QFont(family)).family() or family
    if not used or "," in used or "'" in used or '"' in used:
        return b"sans-serif"
    return f"'{used}', sans-serif".encode()

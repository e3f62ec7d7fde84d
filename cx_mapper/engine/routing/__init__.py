"""Routing the arrows between cards and placing their labels: plain geometry, no Qt.

The canvas and the summary's map draw what `ArrowMap` works out, so both show the same
routes, and the tests measure the same geometry without a display.
"""

from cx_mapper.engine.routing.arrow_map import ArrowMap, Key, Route
from cx_mapper.engine.routing.geometry import Box, CardIndex, Point
from cx_mapper.engine.routing.routes import (
    BACKWARD,
    FORWARD,
    SELF,
    SIDEWAYS,
    head_length,
)

__all__ = ["BACKWARD", "FORWARD", "SELF", "SIDEWAYS", "ArrowMap", "Box", "CardIndex", "Key",
           "Point", "Route", "head_length"]

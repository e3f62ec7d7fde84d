"""Sizes of the canvas's cards, lanes and arrows, and when detail is drawn, in one place.

Sizes are scene units (1 unit = 1 logical pixel at 100 % zoom); Qt scales them for
high-DPI screens. Point sizes here are the canvas's text; fonts themselves come from
`ui/look/fonts.py` (never below 9 pt) and colours from `ui/look/palette.py`.
"""

from __future__ import annotations

from cx_mapper.engine.routing import routes

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
HANDLE_MIN_PIXELS = 8.0  # drawn at least this wide on screen when zoomed out
#: How far round the handle, in screen pixels, a press still starts a connection.
HANDLE_SLOP_PIXELS = 5.0
HALO_WIDTH = 7.0  # the visibility halo around the card
CARD_MARGIN = 14.0  # room around the card for the halo, chips, tag and handle

LANE_HEADER_HEIGHT = 44.0
LANE_RADIUS = 10.0
LANE_TOP_GAP = 60.0  # between a lane's header and its topmost card: room for self-loops
LANE_MIN_BODY = 600.0  # an empty journey still shows lanes tall enough to click into

ARROW_WIDTH = 1.6  # default transition width before analysis sets the flow
# Routing's own sizes live with the routing (cx_mapper/engine/routing/routes.py), which
# needs no Qt; the canvas draws with the same ones.
ARROW_HEAD = routes.ARROW_HEAD
ARROW_CORNER = routes.CORNER  # corner radius of routes
SELF_LOOP_HEIGHT = routes.SELF_LOOP_HEIGHT  # low enough to stay in the gap below the row above
FLOW_MIN_WIDTH = 1.0  # arrow widths for flow fractions 0 and 1 in the analysis overlay
FLOW_MAX_WIDTH = 8.0
#: A stale result's arrows are inked at most this strongly: the widths stay (no
#: flicker) but read as "being recomputed", never as the current figures.
STALE_STRENGTH = 0.35
#: A stale result's visits bar and loyalty badge are drawn this opaque until the new
#: result arrives: still there (no flicker), plainly not the current figures.
STALE_OPACITY = 0.35

# Level of detail: below LOD_TEXT a card's own text is too small to read, so the card
# shows its name alone at FAR_NAME_POINT_SIZE on screen (a fitted sample is at about
# 40 %); below LOD_DETAIL not one line of it fits a card, so cards and arrows are drawn
# as plain shapes. Repainting a 2,000-card map at fit zoom then costs a few milliseconds.
LOD_TEXT = 0.45
LOD_DETAIL = 0.22
FAR_NAME_POINT_SIZE = 9.0
FAR_PADDING = 4.0
FAR_BAND = 16.0  # the satisfaction bar then, with no CSAT figure in it
#: A touchpoint's picture on its card: a square at the right, drawn whenever the card's
#: own text is (at 45 % zoom it is 18 pixels, enough to tell a photo is there); far out,
#: nothing.
THUMBNAIL_SIZE = 40.0
TAG_ROOM = 10.0  # the upper half of the tags straddling the card's bottom edge, and a gap
LOD_IMAGE = LOD_TEXT

CHANNEL_POINT_SIZE = 9.0
NAME_POINT_SIZE = 9.5
CSAT_POINT_SIZE = 11.0
DETAIL_POINT_SIZE = 9.0
HEADER_POINT_SIZE = 11.0
LABEL_POINT_SIZE = 9.0



# -- content lanes (rows across the stage columns) and their notes -------------------------
ROW_HEADER_WIDTH = 180.0  # the lane's header, left of the first stage column
ROW_MIN_HEIGHT = 68.0  # an empty row: tall enough to double-click into
BAND_GAP = 24.0  # between the rows above and the touchpoint band: room for loops
CELL_PADDING = 10.0  # round the notes of a cell
NOTE_GAP = 8.0  # between two notes of a cell
NOTE_PADDING = 8.0  # round a note's text
NOTE_MIN_HEIGHT = 40.0
NOTE_MAX_LINES = 12  # a longer note shows its first lines and "…" (the Inspector has all)
NOTE_RADIUS = 5.0
NOTE_STRIP = 4.0  # the lane colour down a note's left edge
NOTE_POINT_SIZE = 9.5
EXPERIENCE_HEIGHT = 132.0  # the experience lane: the loyalty curve, -100..100

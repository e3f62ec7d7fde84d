"""Starting points for File › New: a blank project, the classic five-stage journey map
and a service blueprint.

Plain Python, so the command line and tests can use them too. All come with the
default segment ("All consumers") that a new Project has.
"""

from __future__ import annotations

from cx_mapper.domain.content import LANE_KINDS, Lane, LaneKind, Note
from cx_mapper.domain.journey import Channel, Journey, Stage, Touchpoint, Transition
from cx_mapper.domain.project import Project

#: The name of the journey every new project starts with.
FIRST_JOURNEY_NAME = "Current state"
FIRST_JOURNEY_ID = "current"

#: Canvas convention (ui/layout.py): stage k's lane starts at x = k * LANE_WIDTH and
#: cards in a lane are ROW_HEIGHT apart. Repeated here because the domain cannot
#: import the ui package.
LANE_WIDTH = 260.0
ROW_HEIGHT = 120.0

FIVE_STAGES: tuple[tuple[str, str], ...] = (
    ("awareness", "Awareness"),
    ("consideration", "Consideration"),
    ("purchase", "Purchase"),
    ("service", "Service"),
    ("loyalty", "Loyalty"),
)

COMMON_CHANNELS: tuple[tuple[str, str], ...] = (
    ("social", "Social media"),
    ("web", "Website"),
    ("store", "Store"),
    ("phone", "Phone"),
    ("email", "Email"),
)

# One starter touchpoint per stage: (id, name, stage, channel). They form the
# smallest journey the analysis can run on: an entry, a conversion and a loop
# back from Loyalty to Consideration (the repeat purchase), so a new map shows
# numbers at once and the user edits rather than starts from nothing.
_STARTERS: tuple[tuple[str, str, str, str], ...] = (
    ("hears", "Hears about us", "awareness", "social"),
    ("compares", "Compares options", "consideration", "web"),
    ("buys", "Buys", "purchase", "store"),
    ("gets-help", "Gets help", "service", "phone"),
    ("comes-back", "Comes back", "loyalty", "email"),
)

# Where customers go next; the rest of each touchpoint's 100% leaves the journey.
_FLOW: tuple[tuple[str, str, float], ...] = (
    ("hears", "compares", 0.6),
    ("compares", "buys", 0.5),
    ("buys", "gets-help", 0.3),
    ("buys", "comes-back", 0.5),
    ("gets-help", "comes-back", 0.6),
    ("comes-back", "compares", 0.7),
)


#: The journey map's story lanes, top to bottom; the first sits above the touchpoints,
#: as the classic maps put what the customer does over the steps it takes.
MAP_LANES: tuple[LaneKind, ...] = ("actions", "thoughts", "pain_points", "opportunities")
#: A service blueprint reads top to bottom from the customer to the company: what the
#: customer does, the touchpoints, then what staff do in sight (frontstage), out of
#: sight (backstage; the line of visibility runs between them), and the support
#: processes behind them.
BLUEPRINT_LANES: tuple[LaneKind, ...] = ("actions", "frontstage", "backstage", "support")
#: Lanes drawn above the touchpoint band in both: the customer's actions.
LANES_ABOVE = 1

# One example note per lane, so a new map shows what a note is for: (lane, stage, text,
# the starter touchpoints it is about).
_MAP_NOTES: tuple[tuple[LaneKind, str, str, tuple[str, ...]], ...] = (
    ("actions", "consideration", "Compares prices and reviews on a phone", ("compares",)),
    ("thoughts", "purchase", "“Will it arrive before the weekend?”", ("buys",)),
    ("pain_points", "service", "Waits on hold to reach someone", ("gets-help",)),
    ("opportunities", "service", "Offer a call back instead of the queue", ("gets-help",)),
)
_BLUEPRINT_NOTES: tuple[tuple[LaneKind, str, str, tuple[str, ...]], ...] = (
    ("actions", "purchase", "Pays at the till or online", ("buys",)),
    ("frontstage", "purchase", "Staff take payment and offer a receipt by email", ("buys",)),
    ("backstage", "purchase", "Order is logged and stock updated", ()),
    ("support", "service", "Help desk software routes the call", ("gets-help",)),
)


def blank_project() -> Project:
    """A project with one empty journey, "Current state", and the default segment."""
    return Project(journeys=[Journey(id=FIRST_JOURNEY_ID, name=FIRST_JOURNEY_NAME)])


def five_stage_project() -> Project:
    """The five-stage journey map most CX teams start from: one starter touchpoint a
    stage, the customer's actions above them and thoughts, pain points and
    opportunities below, each with an example note.

    It validates without errors or warnings: "Hears about us" is the entry,
    "Buys" is the conversion, and every touchpoint is reachable and has a way on.
    """
    project = _starter_project()
    _add_lanes(project.journeys[0], MAP_LANES, _MAP_NOTES)
    return project


def service_blueprint_project() -> Project:
    """The five stages and starter touchpoints as a service blueprint: the customer's
    actions above the touchpoints, frontstage, backstage and support processes below."""
    project = _starter_project()
    _add_lanes(project.journeys[0], BLUEPRINT_LANES, _BLUEPRINT_NOTES)
    return project


def _add_lanes(journey: Journey, kinds: tuple[LaneKind, ...],
               notes: tuple[tuple[LaneKind, str, str, tuple[str, ...]], ...]) -> None:
    for kind in kinds:
        journey.add_lane(Lane(kind, kind, LANE_KINDS[kind]))
    journey.lanes_above = LANES_ABOVE
    for kind, stage, text, touchpoints in notes:
        journey.add_note(Note(journey.new_note_id(kind), kind, stage, text, touchpoints))


def _starter_project() -> Project:
    journey = Journey(
        id=FIRST_JOURNEY_ID,
        name=FIRST_JOURNEY_NAME,
        stages=[Stage(stage_id, name) for stage_id, name in FIVE_STAGES],
        channels=[Channel(channel_id, name) for channel_id, name in COMMON_CHANNELS],
    )
    lane = {stage_id: index for index, (stage_id, _) in enumerate(FIVE_STAGES)}
    for touchpoint_id, name, stage, channel in _STARTERS:
        journey.add_touchpoint(Touchpoint(
            touchpoint_id,
            name=name,
            stage=stage,
            channel=channel,
            entry=1.0 if touchpoint_id == "hears" else 0.0,
            conversion=touchpoint_id == "buys",
            x=lane[stage] * LANE_WIDTH,
            y=0.0,
        ))
    for source, target, probability in _FLOW:
        journey.add_transition(Transition(source, target, probability))
    return Project(journeys=[journey])

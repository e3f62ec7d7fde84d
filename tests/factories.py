"""Projects the tests build on, and the state a user could see, shared by every test folder."""

from __future__ import annotations

import copy
import struct
import zlib
from dataclasses import replace
from pathlib import Path
from typing import Any

from cx_mapper.domain.journey import Channel, Journey, Stage, Touchpoint, Transition
from cx_mapper.domain.project import Project
from cx_mapper.engine.layout import layout_by_stage

#: The source checkout, and the sample most tests open (one home for where it lives).
ROOT = Path(__file__).resolve().parents[1]
RETAIL_SAMPLE = ROOT / "projects" / "retail-omnichannel.json"
#: Small real images of each kind a project holds, made with Qt (tests/images/).
IMAGE_FILES = {"tiny.jpg": "image/jpeg", "tiny.webp": "image/webp",
               "lossless.webp": "image/webp", "alpha.webp": "image/webp"}


def png_bytes(width: int, height: int, rgb: tuple[int, int, int] = (200, 80, 40)) -> bytes:
    """A PNG of one colour, made without an image library: any size, in a few bytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def image_file(name: str) -> bytes:
    return (ROOT / "tests" / "images" / name).read_bytes()


def sample_project() -> Project:
    """Three stages, a loop back from service to awareness, a shared channel."""
    journey = Journey(
        id="now",
        name="Current state",
        stages=[Stage("aware", "Awareness"), Stage("buy", "Purchase"), Stage("serve", "Service")],
        channels=[Channel("web", "Website"), Channel("store", "Store")],
    )
    for tid, stage, channel in [
        ("ad", "aware", "web"),
        ("site", "buy", "web"),
        ("shop", "buy", "store"),
        ("help", "serve", "store"),
    ]:
        journey.add_touchpoint(Touchpoint(tid, name=tid.title(), stage=stage, channel=channel))
    journey.update_touchpoint("ad", entry=1.0)
    for source, target, p in [
        ("ad", "site", 0.6),
        ("ad", "shop", 0.3),
        ("site", "help", 0.5),
        ("shop", "help", 0.4),
        ("help", "ad", 0.2),
    ]:
        journey.add_transition(Transition(source, target, p))
    return Project(name="Sample", journeys=[journey])


def state(project: Project) -> Any:
    """Everything a user could see, orders included (dict equality ignores order)."""
    return (
        project.name,
        list(project.segments),
        [
            (
                j.id, j.name, j.discount_rate, j.horizon, j.conversions,
                list(j.stages), list(j.channels),
                list(j.touchpoints.items()), list(j.transitions.items()),
                list(j.lanes), list(j.notes.items()),
            )
            for j in project.journeys
        ],
        list(project.personas),
        list(project.images.items()),
    )


def laid_out_project() -> Project:
    """The command tests' sample, with cards placed in their lanes by auto-layout."""
    project = sample_project()
    journey = project.journeys[0]
    for touchpoint_id, (x, y) in layout_by_stage(journey).items():
        journey.touchpoints[touchpoint_id] = replace(journey.touchpoints[touchpoint_id],
                                                     x=x, y=y)
    return project


def without_evidence(project: Project) -> Project:
    """A copy whose figures carry no evidence (the retail sample carries some): every
    figure taken as exact, as every project was before evidence (schema 9)."""
    from cx_mapper.domain.evidence import NO_EVIDENCE

    bare = copy.deepcopy(project)
    bare.segments[:] = [replace(s, evidence=NO_EVIDENCE) for s in bare.segments]
    for journey in bare.journeys:
        for touchpoint in list(journey.touchpoints.values()):
            if touchpoint.evidence:
                journey.update_touchpoint(touchpoint.id, evidence=NO_EVIDENCE)
        for key, transition in list(journey.transitions.items()):
            if transition.evidence is not None:
                journey.update_transition(*key, evidence=None)
    return bare


def graph_only(project: Project) -> Project:
    """A copy without lanes, notes, personas, images, opportunities, plans, a cost unit and
    evidence: the touchpoint graph and the segments, all a file of schema version 1 or 2
    holds."""
    bare = without_evidence(project)
    bare.personas.clear()
    bare.images.clear()
    bare.cost_unit = ""
    for journey in bare.journeys:
        journey.opportunities.clear()
        journey.plan = None
        for lane in list(journey.lanes):
            journey.remove_lane(lane.id)
        for touchpoint in list(journey.touchpoints.values()):
            if touchpoint.image is not None:
                journey.update_touchpoint(touchpoint.id, image=None)
    return bare


def story_project() -> Project:
    """The retail sample with the journey map around its graph: lanes with notes about its
    touchpoints, a persona per segment, and images of each kind on a touchpoint, a note
    and a persona. Built through the domain edits, so it is what the app would make."""
    from cx_mapper.domain.content import Lane, Note
    from cx_mapper.domain.images import Image
    from cx_mapper.domain.personas import Persona
    from cx_mapper.persistence.json_format import read_project

    project = graph_only(read_project(RETAIL_SAMPLE))  # the sample's own story aside
    project.add_image(Image("shelf", "image/png", png_bytes(32, 24, (40, 120, 200))))
    project.add_image(Image("ana", "image/jpeg", image_file("tiny.jpg")))
    project.add_image(Image("receipt", "image/webp", image_file("alpha.webp")))
    project.add_persona(Persona("ana", "all", "Ana, 34", "I just want it to arrive on time.",
                                ("Get it this week",), ("Clear delivery dates",),
                                ("Calling twice",), image="ana"))
    project.add_persona(Persona("sam", "social", "Sam, 22", "If it's bad, everyone hears.",
                                needs=("Answers on social media",)))
    journey = project.journey("current")
    journey.update_touchpoint("store_visit", image="shelf")
    for lane in (Lane("do", "actions", "Customer actions"),
                 Lane("think", "thoughts", "Thoughts and feelings"),
                 Lane("pain", "pain_points", "Pain points"),
                 Lane("ideas", "opportunities", "Opportunities and ideas", "#1f77b4"),
                 Lane("front", "frontstage", "Frontstage"),
                 Lane("back", "backstage", "Backstage")):
        journey.add_lane(lane)
    journey.lanes_above = 1  # customer actions above the touchpoints
    for note in (Note("sees", "do", "aware", "Sees a friend's post", ("friend_post",)),
                 Note("compares", "do", "consider", "Compares prices", ("browse_site",
                                                                        "reviews")),
                 Note("worry", "think", "purchase", "Will it fit?", x=12.0, y=4.0),
                 Note("stock", "pain", "purchase", "Out of stock in store", ("store_visit",),
                      image="receipt"),
                 Note("chat", "ideas", "service", "Chat instead of calling"),
                 Note("till", "front", "purchase", "Pays at the till", ("store_visit",)),
                 Note("picks", "back", "purchase", "Staff pick the order")):
        journey.add_note(note)
    return project


def with_evidence(project: Project) -> Project:
    """A copy of the retail sample with uncertainty on: every segment's default ranges,
    and a few touchpoint figures backed by a workshop estimate around the figure or by
    a survey (as a team would enter them in the inspector)."""
    from cx_mapper.domain.evidence import Evidence, EvidenceSet
    from cx_mapper.domain.segment_ranges import default_ranges

    sure = without_evidence(project)
    for i, segment in enumerate(sure.segments):
        sure.segments[i] = replace(segment, evidence=default_ranges(segment))

    def workshop(value: float, below: float, above: float, low: float = -1.0,
                 high: float = 1.0) -> Evidence:
        return Evidence("workshop", low=max(low, value - below), mode=value,
                        high=min(high, value + above))

    for journey in sure.journeys:
        figures = journey.touchpoints
        estimates = {
            "delivery_call": {"satisfaction": workshop(figures["delivery_call"].satisfaction,
                                                       0.3, 0.3)},
            "store_visit": {"satisfaction": Evidence("survey", n=120, sd=0.5)},
            "web_checkout": {"satisfaction": Evidence("survey", n=400, sd=0.4),
                             "value": workshop(figures["web_checkout"].value, 8.0, 6.0,
                                               0.0, 1e9)},
            "social_complaint": {"visibility": workshop(
                figures["social_complaint"].visibility, 0.15, 0.05, 0.0)},
        }
        for touchpoint_id, evidence in estimates.items():
            if touchpoint_id in figures:
                journey.update_touchpoint(touchpoint_id, evidence=EvidenceSet.of(evidence))
    return sure


def evidenced_project() -> Project:
    """sample_project with evidence of every kind on every element that may carry it: a
    touchpoint's fields, a transition, a segment's parameters and a touchpoint an
    opportunity adds. Fields are given out of any fixed order, as a user adds them."""
    from cx_mapper.domain.evidence import Evidence, EvidenceSet
    from cx_mapper.domain.opportunities import Changes, Opportunity
    from cx_mapper.domain.project import ALL_CONSUMERS

    assumed = Evidence("assumption", low=0.002, high=0.05, scale="log", source="a guess")
    workshop = Evidence("workshop", low=-0.2, mode=0.1, high=0.4, source="May workshop")
    survey = Evidence("survey", n=120, sd=0.4)
    data = Evidence("data", n=5400)
    project = sample_project()
    journey = project.journeys[0]
    journey.update_touchpoint("ad", evidence=EvidenceSet((
        ("satisfaction", survey), ("departures", data),
        ("visibility", Evidence("assumption", low=0.1, high=0.3)),
        ("value", Evidence("workshop", low=1.0, mode=2.0, high=5.0)),
        ("impact", Evidence("data", n=30, sd=0.1, source="events")))))
    journey.update_touchpoint("site", evidence=EvidenceSet((("satisfaction", workshop),)))
    journey.update_transition("ad", "site", evidence=Evidence("data", n=1200))
    journey.update_transition("ad", "shop", evidence=Evidence("workshop", low=0.2, mode=0.3,
                                                              high=0.5))
    journey.update_transition("site", "help", evidence=Evidence("survey", n=40, sd=0.2))
    journey.update_transition("shop", "help", evidence=Evidence("assumption", low=0.1,
                                                                high=0.6))
    added = Touchpoint("chat", name="Chat", evidence=EvidenceSet((("departures", data),)))
    journey.opportunities = [Opportunity("bot", title="Chat bot", touchpoints=("help",),
                                         changes=Changes(add_touchpoints=(added,)))]
    project.segments = [replace(ALL_CONSUMERS, evidence=EvidenceSet((
        ("referral_conversion", assumed), ("tell_positive", Evidence("survey", n=1000, sd=8.0)),
        ("memory", Evidence("workshop", low=0.1, mode=0.3, high=0.5)),
        ("deterrence", Evidence("data", n=77)))))]
    return project

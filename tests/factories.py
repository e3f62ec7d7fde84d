"""Projects the tests build on, and the state a user could see, shared by every test folder."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from cx_mapper.domain.journey import Channel, Journey, Stage, Touchpoint, Transition
from cx_mapper.domain.project import Project
from cx_mapper.engine.layout import layout_by_stage

#: The source checkout, and the sample most tests open (one home for where it lives).
ROOT = Path(__file__).resolve().parents[1]
RETAIL_SAMPLE = ROOT / "projects" / "retail-omnichannel.json"


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
            )
            for j in project.journeys
        ],
    )


def laid_out_project() -> Project:
    """The command tests' sample, with cards placed in their lanes by auto-layout."""
    project = sample_project()
    journey = project.journeys[0]
    for touchpoint_id, (x, y) in layout_by_stage(journey).items():
        journey.touchpoints[touchpoint_id] = replace(journey.touchpoints[touchpoint_id],
                                                     x=x, y=y)
    return project

"""A project with opportunities of every kind, for the file tests of each store.

    from tests.persistence.opportunity_files import planned_project
"""

from __future__ import annotations

from cx_mapper.domain.journey import Touchpoint, Transition
from cx_mapper.domain.opportunities import Changes, Opportunity, PlanSettings
from cx_mapper.domain.project import Project
from tests.factories import story_project


def planned_project() -> Project:
    """The story project with a cost unit and three opportunities on its current journey:
    field changes, a changed and a removed transition, and an added touchpoint with its
    transitions (which also shows an image); and the plan last asked for. Built through
    the domain edits."""
    project = story_project()
    project.cost_unit = "k€"
    journey = project.journey("current")
    journey.add_opportunity(Opportunity(
        "stock", "Show stock online", "Live stock on every product page.", "E-commerce",
        "planned", 40.0, ("browse_site", "store_visit"),
        Changes(touchpoints={"store_visit": {"satisfaction": 0.6, "visibility": 0.8},
                             "browse_site": {"value": 12.5}})))
    journey.add_opportunity(Opportunity(
        "callback", "Call back instead of the queue", owner="Service", status="idea",
        cost=25.0, touchpoints=("stock_call",),
        changes=Changes(transitions=(Transition("friend_post", "browse_site", 0.35),),
                        remove_transitions=(("friend_post", "store_visit"),))))
    journey.add_opportunity(Opportunity(
        "chat", "Chat on the site", status="in_progress", cost=0.0,
        touchpoints=("browse_site", "chat"),
        changes=Changes(
            add_touchpoints=(Touchpoint("chat", "Chat", stage="service", satisfaction=0.4,
                                        visibility=0.3, value=-1.5, image="shelf",
                                        x=120.0, y=-40.0),),
            transitions=(Transition("browse_site", "chat", 0.05, "asks"),))))
    journey.plan = PlanSettings(60.0, {"referral_r": 50.0, "value": 1.0})
    return project

"""How a touchpoint is backed: the weakest evidence among its figures and its transitions
out, and the index the canvas keeps of the transitions' kinds, edit by edit."""

from __future__ import annotations

from dataclasses import replace

from cx_mapper.domain.backing import OutgoingEvidence, backing_of
from cx_mapper.domain.evidence import Evidence, EvidenceSet
from tests.factories import sample_project

DATA = Evidence("data", n=1200)
WORKSHOP = Evidence("workshop", low=0.2, mode=0.3, high=0.5)


def test_the_weakest_kind_among_its_figures_and_its_transitions_out() -> None:
    journey = sample_project().journeys[0]
    assert backing_of(journey, "ad") is None
    journey.update_touchpoint("ad", evidence=EvidenceSet.of({"departures": DATA}))
    assert backing_of(journey, "ad") == "data"
    journey.update_transition("ad", "shop", evidence=WORKSHOP)
    assert backing_of(journey, "ad") == "workshop"
    journey.update_transition("help", "ad", evidence=Evidence("assumption", low=0, high=1))
    assert backing_of(journey, "ad") == "workshop"  # a transition in is another's


def test_the_index_follows_each_transition() -> None:
    journey = sample_project().journeys[0]
    journey.update_transition("ad", "site", evidence=DATA)
    index = OutgoingEvidence(journey)
    assert index.kinds("ad") == {"data"} and index.kinds("site") == frozenset()
    journey.update_transition("ad", "shop", evidence=WORKSHOP)
    index.follow(journey, ("ad", "shop"))
    assert index.kinds("ad") == {"data", "workshop"}
    journey.remove_transition("ad", "site")
    index.follow(journey, ("ad", "site"))
    assert index.kinds("ad") == {"workshop"}
    journey.update_transition("ad", "shop", evidence=None)
    index.follow(journey, ("ad", "shop"))
    assert index.kinds("ad") == frozenset()


def test_a_touchpoint_gone_takes_its_transitions_in_and_out_from_the_index() -> None:
    journey = sample_project().journeys[0]
    for key in (("ad", "shop"), ("shop", "help")):
        journey.transitions[key] = replace(journey.transitions[key], evidence=DATA)
    index = OutgoingEvidence(journey)
    index.forget("shop")
    assert index.kinds("ad") == frozenset() and index.kinds("shop") == frozenset()

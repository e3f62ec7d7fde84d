"""Lanes, notes and personas in the domain: edits that hand back what undo needs, and a
map that stays consistent when stages, touchpoints and segments go."""

from __future__ import annotations

import pytest

from cx_mapper.domain.content import Lane, Note
from cx_mapper.domain.images import Image
from cx_mapper.domain.journey import Journey, Stage, Touchpoint
from cx_mapper.domain.personas import Persona
from cx_mapper.domain.project import Project, Segment
from cx_mapper.domain.validation import validate_project
from tests.factories import png_bytes, state


def journey_with_notes() -> Journey:
    """Three stages, two lanes, notes in several cells, some about touchpoints."""
    journey = Journey("j", stages=[Stage("a", "A"), Stage("b", "B"), Stage("c", "C")],
                      touchpoints={t: Touchpoint(t, entry=1.0) for t in ("t1", "t2", "t3")})
    journey.add_lane(Lane("do", "actions", "Customer actions"))
    journey.add_lane(Lane("pain", "pain_points"))
    for note in (Note("n1", "do", "a", "first in a"), Note("n2", "do", "b", "in b", ("t1",)),
                 Note("n3", "pain", "b", "pain in b", ("t1", "t2")),
                 Note("n4", "do", "a", "second in a"), Note("n5", "do", "c", "in c", ("t3",))):
        journey.add_note(note)
    return journey


def snapshot(journey: Journey) -> object:
    return (list(journey.stages), list(journey.touchpoints.items()), list(journey.lanes),
            journey.lanes_above, list(journey.notes.items()))


# -- lanes -----------------------------------------------------------------------------------
def test_lane_edits_return_what_undo_needs() -> None:
    journey = journey_with_notes()
    before = snapshot(journey)
    old = journey.update_lane("pain", name="Where it hurts", colour="#d62728")
    assert old == Lane("pain", "pain_points")
    assert journey.lane("pain") == Lane("pain", "pain_points", "Where it hurts", "#d62728")
    assert journey.replace_lane(old).name == "Where it hurts"
    assert journey.move_lane("pain", 0) == 1
    assert [lane.id for lane in journey.lanes] == ["pain", "do"]
    journey.move_lane("pain", 1)
    with pytest.raises(ValueError):
        journey.update_lane("pain", id="other")
    with pytest.raises(ValueError):
        journey.add_lane(Lane("do"))
    assert journey.new_lane_id("do") == "do-2"
    assert snapshot(journey) == before


def test_the_touchpoint_band_keeps_its_place_among_the_lanes() -> None:
    journey = journey_with_notes()  # lanes do, pain
    journey.lanes_above = 1  # "do" above the touchpoints, "pain" below
    before = snapshot(journey)

    assert journey.lane_is_above("do") and not journey.lane_is_above("pain")
    assert journey.place_lane("pain", 0, 2) == (1, 1)  # dragged up across the band
    assert [lane.id for lane in journey.lanes] == ["pain", "do"] and journey.lanes_above == 2
    assert journey.place_lane("pain", 1, 1) == (0, 2)  # undo
    assert snapshot(journey) == before
    with pytest.raises(ValueError):
        journey.place_lane("pain", 0, 3)

    journey.add_lane(Lane("up"), 0)  # among the lanes above: one more above
    assert journey.lanes_above == 2
    journey.add_lane(Lane("under"), 2)  # at the band: just below it
    assert journey.lanes_above == 2
    journey.add_lane(Lane("over"), 2, above=True)  # at the band, asked for above
    assert [lane.id for lane in journey.lanes] == ["up", "do", "over", "under", "pain"]
    assert journey.lanes_above == 3

    removed = journey.remove_lane("do")  # an upper lane leaves: the band moves up one
    assert journey.lanes_above == 2
    journey.restore_lane(removed)
    assert journey.lanes_above == 3 and journey.lanes[1].id == "do"
    journey.remove_lane("pain")  # a lower lane leaves: the band stays
    assert journey.lanes_above == 3


def test_removing_a_lane_takes_its_notes_and_restoring_puts_all_back_in_order() -> None:
    journey = journey_with_notes()
    before = snapshot(journey)

    removed = journey.remove_lane("do")

    assert [lane.id for lane in journey.lanes] == ["pain"]
    assert list(journey.notes) == ["n3"]
    assert [note.id for _, note in removed.notes] == ["n1", "n2", "n4", "n5"]
    journey.restore_lane(removed)
    assert snapshot(journey) == before


# -- notes -----------------------------------------------------------------------------------
def test_a_cell_lists_its_notes_in_their_order() -> None:
    journey = journey_with_notes()
    assert [n.id for n in journey.notes_in("do", "a")] == ["n1", "n4"]
    assert journey.notes_in("pain", "a") == []


def test_a_note_must_sit_in_a_cell_that_exists_and_name_touchpoints_that_do() -> None:
    journey = journey_with_notes()
    with pytest.raises(KeyError):
        journey.add_note(Note("x", "nolane", "a"))
    with pytest.raises(KeyError):
        journey.add_note(Note("x", "do", "nostage"))
    with pytest.raises(KeyError):
        journey.add_note(Note("x", "do", "a", touchpoints=("ghost",)))
    with pytest.raises(ValueError):
        journey.add_note(Note("n1", "do", "a"))
    with pytest.raises(KeyError):
        journey.update_note("n1", stage="nostage")
    assert journey.note("n1").stage == "a"  # a refused edit changes nothing


def test_note_edits_return_the_old_note_and_links_are_kept_once() -> None:
    journey = journey_with_notes()
    old = journey.update_note("n1", text="Edited", touchpoints=["t2", "t1", "t2"], x=5.0)
    assert old == Note("n1", "do", "a", "first in a")
    assert journey.note("n1").touchpoints == ("t2", "t1")
    assert journey.replace_note(old).text == "Edited"
    assert journey.note("n1") == old


def test_removed_notes_come_back_where_they_were() -> None:
    journey = journey_with_notes()
    before = snapshot(journey)
    placed = journey.remove_notes(["n4", "n2"])
    assert list(journey.notes) == ["n1", "n3", "n5"]
    journey.restore_notes(placed)
    assert snapshot(journey) == before
    index, note = journey.remove_note("n5")
    assert index == 4
    journey.add_note(note, index)
    assert snapshot(journey) == before


def test_ordering_notes_names_each_once() -> None:
    journey = journey_with_notes()
    old = journey.order_notes(["n4", "n1", "n2", "n3", "n5"])
    assert [n.id for n in journey.notes_in("do", "a")] == ["n4", "n1"]
    journey.order_notes(old)
    assert list(journey.notes) == ["n1", "n2", "n3", "n4", "n5"]
    with pytest.raises(ValueError):
        journey.order_notes(["n1", "n1", "n2", "n3", "n4"])


# -- the graph's edits keep the notes consistent ---------------------------------------------
def test_removing_a_stage_moves_its_notes_after_the_ones_in_the_stage_before() -> None:
    journey = journey_with_notes()
    before = snapshot(journey)

    removed = journey.remove_stage("b")

    assert [note.id for note in journey.notes_in("do", "a")] == ["n1", "n4", "n2"]
    assert [note.id for note in journey.notes_in("pain", "a")] == ["n3"]
    assert journey.note("n3").touchpoints == ("t1", "t2")  # only the cell changed
    assert [p for p in validate_project(Project(journeys=[journey])) if p.is_error] == []
    journey.restore_in("stages", removed)
    assert snapshot(journey) == before


def test_the_first_stage_hands_its_notes_to_the_next_and_the_last_takes_them_along() -> None:
    journey = journey_with_notes()
    before = snapshot(journey)

    first = journey.remove_stage("a")
    assert [note.id for note in journey.notes_in("do", "b")] == ["n2", "n1", "n4"]
    second = journey.remove_stage("b")
    third = journey.remove_stage("c")  # nothing left to move them to
    assert journey.notes == {}

    for which in (third, second, first):
        journey.restore_in("stages", which)
    assert snapshot(journey) == before


def test_removing_a_touchpoint_drops_the_links_to_it_and_restoring_brings_them_back() -> None:
    journey = journey_with_notes()
    before = snapshot(journey)

    removed = journey.remove_touchpoint("t1")

    assert journey.note("n2").touchpoints == ()
    assert journey.note("n3").touchpoints == ("t2",)
    assert [note.id for note in removed.notes] == ["n2", "n3"]
    journey.restore_touchpoint(removed)
    assert snapshot(journey) == before


def test_renaming_a_touchpoint_takes_the_notes_along() -> None:
    journey = journey_with_notes()
    journey.rename_touchpoint("t1", "checkout")
    assert journey.note("n3").touchpoints == ("checkout", "t2")
    journey.rename_touchpoint("checkout", "t1")
    assert journey.note("n3").touchpoints == ("t1", "t2")


def test_a_copy_has_its_own_lanes_and_notes() -> None:
    journey = journey_with_notes()
    copy = journey.copy()
    copy.remove_lane("pain")
    copy.update_note("n1", text="only in the copy")
    assert [lane.id for lane in journey.lanes] == ["do", "pain"]
    assert journey.note("n1").text == "first in a"


# -- personas and images ----------------------------------------------------------------------
def project_with_personas() -> Project:
    project = Project(segments=[Segment("all", share=0.5), Segment("young", share=0.5)],
                      journeys=[journey_with_notes()])
    project.add_image(Image("face", "image/png", png_bytes(2, 2)))
    project.add_persona(Persona("ana", "all", "Ana", goals=("Fast delivery",), image="face"))
    project.add_persona(Persona("kim", "young", "Kim"))
    project.add_persona(Persona("lee", "all", "Lee"))
    return project


def test_persona_edits_return_what_undo_needs() -> None:
    project = project_with_personas()
    before = state(project)
    old = project.update_persona("kim", quote="Now!", needs=["Speed", "Chat"])
    assert project.persona("kim").needs == ("Speed", "Chat")
    project.replace_persona(old)
    assert project.move_persona("lee", 0) == 2
    project.move_persona("lee", 2)
    index, persona = project.remove_persona("ana")
    project.add_persona(persona, index)
    with pytest.raises(ValueError):
        project.update_persona("kim", id="other")
    assert state(project) == before
    assert project.new_persona_id("kim") == "kim-2"


def test_removing_a_segment_takes_its_personas_and_restoring_puts_them_back() -> None:
    project = project_with_personas()
    before = state(project)

    removed = project.remove_segment("all")

    assert [p.id for p in project.personas] == ["kim"]
    assert [p for p in validate_project(project) if p.element == "persona"] == []
    project.restore_segment(removed)
    assert state(project) == before


def test_image_uses_count_every_touchpoint_note_and_persona() -> None:
    project = project_with_personas()
    journey = project.journeys[0]
    journey.update_touchpoint("t1", image="face")
    journey.update_note("n1", image="face")
    assert project.image_uses() == {"face": 3}
    assert journey.image_ids() == {"face"}
    assert project.image_with(png_bytes(2, 2)) is project.images["face"]
    assert project.image_with(png_bytes(3, 2)) is None
    index, image = project.remove_image("face")
    assert index == 0 and project.images == {}
    project.add_image(image, index)
    with pytest.raises(ValueError):
        project.add_image(image)


# -- validation ---------------------------------------------------------------------------------
def test_dangling_references_and_oversized_content_are_problems_named_by_field() -> None:
    project = project_with_personas()
    journey = project.journeys[0]
    # What a script could do behind the edits' back.
    journey.notes["n1"] = Note("n1", "gone", "nowhere", "x" * 5001, ("ghost", "ghost"), "lost")
    journey.touchpoints["t1"] = Touchpoint("t1", entry=1.0, image="lost")
    journey.lanes[0] = Lane("do", "feelings", colour="red")  # type: ignore[arg-type]
    project.personas[1] = Persona("kim", "nobody", image="lost", goals=("g",) * 51)
    project.images["bad"] = Image("bad", "image/gif", b"GIF89a")

    found = {(p.element, p.element_id, p.field) for p in validate_project(project)}

    assert found >= {
        ("note", "n1", "lane"), ("note", "n1", "stage"), ("note", "n1", "touchpoints"),
        ("note", "n1", "image"), ("note", "n1", "text"), ("touchpoint", "t1", "image"),
        ("lane", "do", "kind"), ("lane", "do", "colour"), ("persona", "kim", "segment"),
        ("persona", "kim", "image"), ("persona", "kim", "goals"), ("image", "bad", "media_type"),
    }
    assert all(p.is_error for p in validate_project(project) if p.element in (
        "note", "lane", "persona", "image"))


def test_a_consistent_map_has_no_content_problems() -> None:
    project = project_with_personas()
    assert [p for p in validate_project(project)
            if p.element in ("note", "lane", "persona", "image")] == []

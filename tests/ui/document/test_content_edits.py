"""Lanes, notes, personas and images through the document: each edit one undo step, in the
rhythm edit, check, undo, check, redo, check; and the graph's own edits keep the notes
consistent."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from cx_mapper.domain.content import Note
from cx_mapper.domain.images import ImageError
from cx_mapper.domain.journey import Journey, Touchpoint
from cx_mapper.ui.document.project_document import ProjectDocument
from tests.factories import png_bytes, state, story_project

#: The `rhythm` fixture (conftest.py): undo, check, redo, check.
Rhythm = Callable[[ProjectDocument, Any], None]

PHOTO = png_bytes(30, 20, (250, 200, 0))


@pytest.fixture
def doc(qtbot: QtBot) -> ProjectDocument:
    return ProjectDocument(story_project())


@pytest.fixture
def heard(doc: ProjectDocument) -> Iterator[list[tuple[str, ...]]]:
    """The content signals the document emits, in order."""
    found: list[tuple[str, ...]] = []
    for name in ("lanes_changed", "note_added", "note_removed", "note_changed",
                 "personas_changed", "images_changed"):
        getattr(doc, name).connect(lambda *args, name=name: found.append((name, *args)))
    yield found


def current(doc: ProjectDocument) -> Journey:
    return doc.journey("current")


def cell(doc: ProjectDocument, lane: str, stage: str) -> list[str]:
    return [note.id for note in current(doc).notes_in(lane, stage)]


# -- lanes ------------------------------------------------------------------------------------
def test_add_a_lane_named_after_its_kind(doc: ProjectDocument, rhythm: Rhythm,
                                         heard: list[tuple[str, ...]]) -> None:
    before = state(doc.project)
    lane_id = doc.add_lane("current", "support", index=0)
    assert current(doc).lanes[0].id == lane_id == "support-processes"
    assert current(doc).lanes[0].name == "Support processes"
    assert heard == [("lanes_changed", "current")]
    rhythm(doc, before)


def test_rename_and_recolour_a_lane(doc: ProjectDocument, rhythm: Rhythm) -> None:
    before = state(doc.project)
    assert doc.set_lane_fields("current", "pain", name="Where it hurts", colour="#d62728")
    assert current(doc).lane("pain").colour == "#d62728"
    rhythm(doc, before)
    assert not doc.set_lane_fields("current", "pain", name="Where it hurts")
    with pytest.raises(ValueError):
        doc.set_lane_fields("current", "pain", id="other")


def test_reorder_lanes(doc: ProjectDocument, rhythm: Rhythm) -> None:
    before = state(doc.project)
    assert doc.move_lane("current", "back", 0)
    assert [lane.id for lane in current(doc).lanes][:2] == ["back", "do"]
    rhythm(doc, before)
    assert not doc.move_lane("current", "back", 0)


def test_remove_a_lane_with_its_notes_and_the_image_only_they_showed(
        doc: ProjectDocument, rhythm: Rhythm, heard: list[tuple[str, ...]]) -> None:
    before = state(doc.project)
    doc.remove_lane("current", "pain")
    assert "pain" not in [lane.id for lane in current(doc).lanes]
    assert "stock" not in current(doc).notes
    assert "receipt" not in doc.project.images  # the note was all that showed it
    assert ("note_removed", "current", "stock") in heard
    rhythm(doc, before)
    doc.undo_stack.undo()
    assert doc.project.images["receipt"].data == story_project().images["receipt"].data


# -- notes ------------------------------------------------------------------------------------
def test_add_a_note_last_in_its_cell_or_before_another(
        doc: ProjectDocument, rhythm: Rhythm, heard: list[tuple[str, ...]]) -> None:
    before = state(doc.project)
    note_id = doc.add_note("current", "do", "aware", "Searches", touchpoints=["search_ad"])
    assert cell(doc, "do", "aware") == ["sees", note_id]
    assert current(doc).note(note_id).touchpoints == ("search_ad",)
    assert heard == [("note_added", "current", note_id)]
    rhythm(doc, before)

    doc.undo_stack.clear()
    first = doc.add_note("current", "do", "aware", "Before all", before="sees")
    assert cell(doc, "do", "aware") == [first, "sees", note_id]


def test_edit_a_note_and_a_drag_is_one_step(doc: ProjectDocument, rhythm: Rhythm) -> None:
    before = state(doc.project)
    assert doc.set_note_fields("current", ["worry"], text="Will it fit me?")
    assert current(doc).note("worry").text == "Will it fit me?"
    rhythm(doc, before)
    assert not doc.set_note_fields("current", ["worry"], text="Will it fit me?")

    doc.undo_stack.clear()
    before = state(doc.project)
    with doc.drag():
        for step in range(1, 6):
            doc.set_note_fields("current", ["worry"], x=12.0 + step, y=4.0 + step)
    assert (current(doc).note("worry").x, current(doc).note("worry").y) == (17.0, 9.0)
    rhythm(doc, before)


def test_move_notes_to_another_cell_keeping_their_order(
        doc: ProjectDocument, rhythm: Rhythm, heard: list[tuple[str, ...]]) -> None:
    before = state(doc.project)
    assert doc.move_notes("current", ["compares", "sees"], "think", "purchase",
                          positions={"sees": (3.0, 40.0)})
    assert cell(doc, "think", "purchase") == ["worry", "sees", "compares"]
    assert cell(doc, "do", "aware") == [] and cell(doc, "do", "consider") == []
    assert (current(doc).note("sees").x, current(doc).note("sees").y) == (3.0, 40.0)
    assert current(doc).note("compares").touchpoints == ("browse_site", "reviews")
    assert {signal for signal, *_ in heard} == {"note_changed"}
    rhythm(doc, before)


def test_move_a_note_to_another_place_in_its_cell(doc: ProjectDocument,
                                                  rhythm: Rhythm) -> None:
    doc.add_note("current", "do", "aware", "Second")
    doc.undo_stack.clear()
    before = state(doc.project)
    assert doc.move_notes("current", ["note"], "do", "aware", before="sees")
    assert cell(doc, "do", "aware") == ["note", "sees"]
    rhythm(doc, before)
    assert not doc.move_notes("current", ["note"], "do", "aware", before="sees")


def test_delete_notes(doc: ProjectDocument, rhythm: Rhythm) -> None:
    before = state(doc.project)
    assert doc.remove_notes("current", ["worry", "till", "nothing"])
    assert "worry" not in current(doc).notes and "till" not in current(doc).notes
    rhythm(doc, before)
    assert not doc.remove_notes("current", ["nothing"])


def test_link_and_unlink_a_note_and_touchpoints(doc: ProjectDocument, rhythm: Rhythm) -> None:
    before = state(doc.project)
    assert doc.link_note("current", "worry", ["web_checkout", "store_visit", "web_checkout"])
    assert current(doc).note("worry").touchpoints == ("web_checkout", "store_visit")
    rhythm(doc, before)
    assert not doc.link_note("current", "worry", ["store_visit"])

    doc.undo_stack.clear()
    before = state(doc.project)
    assert doc.unlink_note("current", "compares", ["browse_site"])
    assert current(doc).note("compares").touchpoints == ("reviews",)
    rhythm(doc, before)
    with pytest.raises(KeyError):
        doc.link_note("current", "worry", ["ghost"])
    assert doc.undo_stack.count() == 1


def test_paste_notes_makes_free_ids_and_keeps_only_what_the_journey_has(
        doc: ProjectDocument, rhythm: Rhythm) -> None:
    before = state(doc.project)
    copied = [current(doc).note("compares"), Note("x", "gone", "aware", "no such lane"),
              Note("stock", "pain", "purchase", "from elsewhere", ("ghost", "store_visit"),
                   "elsewhere")]
    ids = doc.add_notes("current", copied)
    assert ids == {"compares": "compares-2", "stock": "stock-2"}
    assert current(doc).note("stock-2").touchpoints == ("store_visit",)
    assert current(doc).note("stock-2").image is None
    rhythm(doc, before)


# -- personas ---------------------------------------------------------------------------------
def test_persona_edits(doc: ProjectDocument, rhythm: Rhythm,
                       heard: list[tuple[str, ...]]) -> None:
    before = state(doc.project)
    persona_id = doc.add_persona("social", "Kim", quote="Fix it now", goals=["Speed"])
    assert doc.project.persona(persona_id).goals == ("Speed",)
    assert heard == [("personas_changed",)]
    rhythm(doc, before)

    for edit in (lambda: doc.set_persona_fields("ana", frustrations=["Calling twice",
                                                                     "Waiting in line"]),
                 lambda: doc.move_persona("sam", 0),
                 lambda: doc.remove_persona("sam")):
        doc.undo_stack.clear()
        before = state(doc.project)
        edit()
        rhythm(doc, before)
    assert not doc.set_persona_fields("ana", name=doc.project.persona("ana").name)
    with pytest.raises(KeyError):
        doc.add_persona("nobody", "Ghost")


def test_removing_a_segment_takes_its_personas_and_their_photos(
        doc: ProjectDocument, rhythm: Rhythm) -> None:
    before = state(doc.project)
    doc.remove_segment("all")
    assert [p.id for p in doc.project.personas] == ["sam"]
    assert "ana" not in doc.project.images
    rhythm(doc, before)


# -- images -----------------------------------------------------------------------------------
def test_an_image_on_a_touchpoint_is_added_to_the_project_in_the_same_step(
        doc: ProjectDocument, rhythm: Rhythm) -> None:
    before = state(doc.project)
    assert doc.set_touchpoint_image("current", "reviews", PHOTO, "image/png")
    image_id = current(doc).touchpoint("reviews").image
    assert image_id is not None and doc.project.images[image_id].data == PHOTO
    rhythm(doc, before)
    assert image_id in doc.project.images


def test_the_same_picture_twice_is_stored_once(doc: ProjectDocument) -> None:
    doc.set_touchpoint_image("current", "reviews", PHOTO, "image/png")
    doc.set_note_image("current", "worry", PHOTO, "image/png")
    shown = current(doc).touchpoint("reviews").image
    assert current(doc).note("worry").image == shown
    assert [image.data for image in doc.project.images.values()].count(PHOTO) == 1
    assert not doc.set_note_image("current", "worry", PHOTO, "image/png")


def test_replacing_or_taking_off_an_image_drops_the_one_nothing_shows(
        doc: ProjectDocument, rhythm: Rhythm, heard: list[tuple[str, ...]]) -> None:
    before = state(doc.project)
    assert doc.set_note_image("current", "stock", PHOTO, "image/png")
    assert "receipt" not in doc.project.images
    assert doc.undo_stack.undoText() == "Set image of note"
    rhythm(doc, before)

    doc.undo_stack.clear()
    before = state(doc.project)
    assert doc.set_persona_image("ana", None)
    assert doc.project.persona("ana").image is None and "ana" not in doc.project.images
    rhythm(doc, before)

    doc.undo_stack.clear()
    before = state(doc.project)
    doc.journey("current").update_note("worry", image="shelf")  # shown twice now
    before = state(doc.project)
    assert doc.set_touchpoint_image("current", "store_visit", None)
    assert "shelf" in doc.project.images  # the note still shows it
    rhythm(doc, before)


def test_an_image_the_project_cannot_hold_is_refused_and_nothing_changes(
        doc: ProjectDocument) -> None:
    before = state(doc.project)
    with pytest.raises(ImageError, match="5,000 × 2 pixels"):
        doc.set_touchpoint_image("current", "reviews", png_bytes(5000, 2), "image/png")
    with pytest.raises(ImageError, match="must be one of"):
        doc.set_persona_image("sam", b"GIF89a", "image/gif")
    assert state(doc.project) == before
    assert doc.undo_stack.count() == 0


# -- the graph's edits keep the notes consistent ------------------------------------------------
def test_removing_a_stage_moves_its_notes_next_door_in_one_step(
        doc: ProjectDocument, rhythm: Rhythm, heard: list[tuple[str, ...]]) -> None:
    before = state(doc.project)
    doc.remove_stage("current", "purchase")
    assert cell(doc, "think", "consider") == ["worry"]
    assert cell(doc, "pain", "consider") == ["stock"]
    assert ("note_changed", "current", "worry") in heard
    rhythm(doc, before)
    doc.undo_stack.undo()
    assert cell(doc, "think", "purchase") == ["worry"]


def test_removing_the_only_stage_removes_its_notes_and_undo_brings_them_back(
        qtbot: QtBot, rhythm: Rhythm) -> None:
    project = story_project()
    journey = project.journey("current")
    for stage in [s.id for s in journey.stages][1:]:
        journey.remove_stage(stage)
    doc = ProjectDocument(project)
    removed: list[str] = []
    doc.note_removed.connect(lambda _journey, note: removed.append(note))
    before = state(doc.project)
    had = sorted(journey.notes)
    doc.remove_stage("current", "aware")
    assert current(doc).notes == {}
    assert sorted(removed) == had
    assert "receipt" in doc.project.images  # undo needs it; a later save keeps it
    rhythm(doc, before)


def test_deleting_a_touchpoint_drops_the_links_and_undo_restores_them(
        doc: ProjectDocument, rhythm: Rhythm, heard: list[tuple[str, ...]]) -> None:
    before = state(doc.project)
    doc.remove_items("current", ["store_visit"])
    assert current(doc).note("stock").touchpoints == ()
    assert current(doc).note("till").touchpoints == ()
    assert "shelf" not in doc.project.images  # only the card showed it
    assert ("note_changed", "current", "till") in heard
    rhythm(doc, before)


def test_naming_a_new_touchpoint_takes_its_notes_along(doc: ProjectDocument) -> None:
    drawn = doc.add_touchpoint("current", Touchpoint("", name="New touchpoint"))
    doc.link_note("current", "chat", [drawn])
    new_id = doc.rename_touchpoint("current", drawn, "Live chat")
    assert new_id == "live-chat"
    assert current(doc).note("chat").touchpoints == ("live-chat",)
    doc.undo_stack.undo()
    assert current(doc).note("chat").touchpoints == (drawn,)


def test_removing_a_journey_takes_the_images_only_it_showed(doc: ProjectDocument,
                                                            rhythm: Rhythm) -> None:
    before = state(doc.project)
    doc.remove_journey("current")
    assert set(doc.project.images) == {"ana"}
    rhythm(doc, before)


def test_a_pasted_card_keeps_its_image_only_if_the_project_has_it(doc: ProjectDocument) -> None:
    shown = current(doc).touchpoint("store_visit")
    foreign = Touchpoint("card", name="From another project", image="not-here")
    ids = doc.paste("current", [shown, foreign])
    assert current(doc).touchpoint(ids["store_visit"]).image == "shelf"
    assert current(doc).touchpoint(ids["card"]).image is None


def test_place_a_lane_across_the_touchpoint_band(doc: ProjectDocument, rhythm: Rhythm,
                                                 heard: list[tuple[str, ...]]) -> None:
    before = (state(doc.project), current(doc).lanes_above)
    assert doc.place_lane("current", "back", 0, 1)
    assert [lane.id for lane in current(doc).lanes][:2] == ["back", "do"]
    assert current(doc).lanes_above == 1 and current(doc).lane_is_above("back")
    assert heard == [("lanes_changed", "current")]
    doc.undo_stack.undo()
    assert (state(doc.project), current(doc).lanes_above) == before
    doc.undo_stack.redo()
    assert current(doc).lanes_above == 1 and current(doc).lanes[0].id == "back"
    assert not doc.place_lane("current", "back", 0, 1)

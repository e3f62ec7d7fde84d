"""The team store on a real PostgreSQL server (.ci/run starts one on 127.0.0.1)."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy.engine import make_url

from cx_mapper.cli import main
from cx_mapper.domain.content import Lane, Note
from cx_mapper.domain.images import Image
from cx_mapper.domain.journey import Journey, Touchpoint
from cx_mapper.domain.opportunities import Changes, Opportunity
from cx_mapper.domain.project import Project
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.json_format import dumps_project, loads_project, read_project
from cx_mapper.persistence.project_file import open_project, save_project
from cx_mapper.persistence.team_store import ConflictError, TeamStore
from tests.factories import RETAIL_SAMPLE, png_bytes, story_project
from tests.persistence.opportunity_files import planned_project
from tests.strategies import projects

URL = os.environ.get("CX_MAPPER_TEST_PG_URL")
if URL is None:
    if os.environ.get("CI"):
        raise RuntimeError("CX_MAPPER_TEST_PG_URL is not set: .ci/run starts PostgreSQL")
    pytest.skip("no PostgreSQL server (set CX_MAPPER_TEST_PG_URL)", allow_module_level=True)

SAMPLE = RETAIL_SAMPLE


@pytest.fixture
def store() -> Iterator[TeamStore]:
    store = TeamStore(URL, user="alice")
    yield store


def unique(prefix: str = "p") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(projects(max_journeys=2, max_touchpoints=6).filter(
    lambda p: "\\u0000" not in dumps_project(p)))  # PostgreSQL text holds no NUL
def test_cxmap_to_store_to_cxmap_gives_the_same_project(tmp_path: Path, project: Project) -> None:
    store = TeamStore(URL)
    name = unique()
    project.name = name
    first = tmp_path / f"{name}-1.cxmap"
    save_project(project, first)
    store.save(open_project(first).project)
    second = tmp_path / f"{name}-2.cxmap"
    save_project(store.load(name).project, second)
    assert dumps_project(open_project(second).project) == dumps_project(project)
    store.delete(name)


def test_two_writers_on_one_journey_conflict_and_nothing_is_overwritten(store: TeamStore) -> None:
    name = unique()
    store.save(read_project(SAMPLE), name)
    bob = TeamStore(URL, user="bob")
    mine, theirs = store.load(name), bob.load(name)
    theirs.project.journeys[0].update_touchpoint("friend_post", satisfaction=0.9)
    bob.save(theirs.project, name, base=theirs.revisions, changed={"current"})
    mine.project.journeys[0].update_touchpoint("friend_post", satisfaction=-0.9)
    with pytest.raises(ConflictError) as caught:
        store.save(mine.project, name, base=mine.revisions, changed={"current"})
    message = str(caught.value)
    assert "journey 'Current state' was changed by bob at " in message
    assert "revision 2; you opened revision 1" in message
    assert "Nothing was saved" in message
    kept = store.load(name)
    assert kept.project.journeys[0].touchpoints["friend_post"].satisfaction == 0.9
    assert kept.revisions["current"].revision == 2
    assert kept.revisions["current"].changed_by == "bob"
    store.delete(name)


def test_writers_on_different_journeys_are_both_saved(store: TeamStore) -> None:
    name = unique()
    store.save(read_project(SAMPLE), name)
    first, second = store.load(name), store.load(name)
    first.project.journeys[0].update_touchpoint("friend_post", satisfaction=0.8)
    store.save(first.project, name, base=first.revisions, changed={"current"})
    second.project.journeys[1].update_touchpoint("friend_post", satisfaction=0.7)
    revisions = store.save(second.project, name, base=second.revisions, changed={"future"})
    assert (revisions["current"].revision, revisions["future"].revision) == (2, 2)
    both = store.load(name).project
    assert both.journeys[0].touchpoints["friend_post"].satisfaction == 0.8
    assert both.journeys[1].touchpoints["friend_post"].satisfaction == 0.7
    store.delete(name)


def test_simultaneous_saves_from_one_base_let_exactly_one_through(store: TeamStore) -> None:
    name = unique()
    store.save(read_project(SAMPLE), name)
    copies = [store.load(name) for _ in range(4)]
    outcomes: list[str] = []
    barrier = threading.Barrier(len(copies))

    def save(index: int) -> None:
        copy = copies[index]
        copy.project.journeys[0].update_touchpoint("friend_post", satisfaction=index / 10)
        barrier.wait()
        try:
            TeamStore(URL, user=f"user{index}").save(copy.project, name, base=copy.revisions,
                                                      changed={"current"})
            outcomes.append("saved")
        except ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(copies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict"] * 3 + ["saved"]
    assert store.load(name).revisions["current"].revision == 2
    store.delete(name)


def test_a_new_project_never_replaces_one_with_the_same_name(store: TeamStore) -> None:
    name = unique()
    store.save(read_project(SAMPLE), name)
    with pytest.raises(ConflictError, match=f"already has a project named '{name}'"):
        store.save(read_project(SAMPLE), name)
    store.delete(name)


def test_passwords_stay_out_of_files_and_messages(tmp_path: Path) -> None:
    url = make_url(URL).set(password="s3cret-pw").render_as_string(hide_password=False)
    name = unique()
    store = TeamStore(url)  # trust auth accepts any password
    assert "s3cret-pw" not in store.display_url
    store.save(read_project(SAMPLE), name)
    out = tmp_path / "out.cxmap"
    assert main(["convert", url, str(out), "--project", name]) == 0
    assert b"s3cret-pw" not in out.read_bytes()
    with pytest.raises(ProjectFileError) as caught:
        TeamStore(url).load("no such project")
    assert "s3cret-pw" not in str(caught.value)
    bad = make_url(url).set(port=1).render_as_string(hide_password=False)
    with pytest.raises(ProjectFileError, match="cannot be used") as caught:
        TeamStore(bad).project_names()
    assert "s3cret-pw" not in str(caught.value)
    store.delete(name)


def test_convert_to_and_from_the_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = unique()
    assert main(["convert", str(SAMPLE), URL, "--project", name]) == 0
    back = tmp_path / "back.json"
    assert main(["convert", URL, str(back), "--project", name]) == 0
    original = read_project(SAMPLE)
    original.name = name
    assert dumps_project(read_project(back)) == dumps_project(original)
    assert main(["analyze", URL, "--project", name, "--json"]) == 0
    capsys.readouterr()
    assert main(["convert", str(SAMPLE), URL, "--project", name]) == 2
    assert "already has a project named" in capsys.readouterr().err
    TeamStore(URL).delete(name)


def test_a_nul_character_is_refused_by_name_before_anything_is_written(
        store: TeamStore) -> None:
    project = read_project(SAMPLE)
    project.journeys[1].update_touchpoint("friend_post", notes="bad\x00note")
    name = unique()
    with pytest.raises(ProjectFileError) as caught:
        store.save(project, name)
    assert caught.value.location() == (
        "journey 'future', touchpoint 'friend_post', field 'notes'")
    assert name not in store.project_names()


# -- the journey map around the graph ----------------------------------------------------------
def test_lanes_notes_personas_and_images_go_json_to_store_to_cxmap_byte_for_byte(
        store: TeamStore, tmp_path: Path) -> None:
    project = story_project()
    name = unique()
    project.name = name
    text = dumps_project(project)
    json_path = tmp_path / "story.json"
    json_path.write_text(text, encoding="utf-8")

    store.save(read_project(json_path))
    cxmap = tmp_path / "story.cxmap"
    save_project(store.load(name).project, cxmap)
    again = open_project(cxmap).project

    assert dumps_project(again) == text
    for image_id, image in project.images.items():
        assert again.images[image_id].data == image.data
    store.delete(name)


def test_revisions_cover_lanes_and_notes(store: TeamStore) -> None:
    """Notes are part of their journey: a note added on one journey while someone adds a
    lane to another saves both; two people on the same journey's notes conflict."""
    name = unique()
    store.save(story_project(), name)
    ana, bob = store.load(name), TeamStore(URL, user="bob").load(name)
    ana.project.journeys[0].update_note("worry", text="Will it fit? Is it the right size?")
    store.save(ana.project, name, base=ana.revisions, changed={"current"})
    bob.project.journeys[1].add_lane(Lane("pain", "pain_points", "Pain points"))
    TeamStore(URL, user="bob").save(bob.project, name, base=bob.revisions, changed={"future"})

    both = store.load(name).project
    assert both.journeys[0].note("worry").text.endswith("right size?")
    assert both.journeys[1].lanes == [Lane("pain", "pain_points", "Pain points")]

    late = store.load(name)
    store.save(late.project, name, base=late.revisions, changed={"current"})
    ana.project.journeys[0].remove_notes(["worry"])
    with pytest.raises(ConflictError, match="journey 'Current state' was changed"):
        store.save(ana.project, name, base=ana.revisions, changed={"current"})
    store.delete(name)


def test_an_image_someone_else_put_on_their_journey_is_kept(store: TeamStore) -> None:
    name = unique()
    store.save(story_project(), name)
    ana, bob = store.load(name), TeamStore(URL, user="bob").load(name)
    photo = Image("photo", "image/png", png_bytes(12, 9, (10, 200, 90)))
    bob.project.add_image(photo)
    bob.project.journeys[1].add_lane(Lane("do", "actions"))
    bob.project.journeys[1].add_note(Note("n", "do", "aware", "Shelf photo", image="photo"))
    TeamStore(URL, user="bob").save(bob.project, name, base=bob.revisions, changed={"future"})

    ana.project.journeys[0].update_note("worry", text="Fits?")
    store.save(ana.project, name, base=ana.revisions, changed={"current"})

    kept = store.load(name).project
    assert kept.journeys[1].note("n").image == "photo"
    assert kept.images["photo"].data == photo.data
    assert kept.journeys[0].note("worry").text == "Fits?"
    store.delete(name)


def test_a_nul_character_in_a_note_is_refused_by_name(store: TeamStore) -> None:
    project = story_project()
    project.journeys[0].update_note("worry", text="bad\x00note")
    name = unique()
    with pytest.raises(ProjectFileError) as caught:
        store.save(project, name)
    assert caught.value.location() == "journey 'current', note 'worry', field 'text'"
    assert name not in store.project_names()


# -- opportunities and the cost unit -----------------------------------------------------------
def test_opportunities_go_json_to_store_to_cxmap_byte_for_byte(
        store: TeamStore, tmp_path: Path) -> None:
    project = planned_project()
    name = unique()
    project.name = name
    text = dumps_project(project)

    store.save(loads_project(text))
    loaded = store.load(name).project
    cxmap = tmp_path / "plan.cxmap"
    save_project(loaded, cxmap)

    assert loaded == project and loaded.cost_unit == "k€"
    assert dumps_project(open_project(cxmap).project) == text
    store.delete(name)


def test_opportunities_are_part_of_their_journey_and_never_overwritten(
        store: TeamStore) -> None:
    """An opportunity edited by two people on one journey conflicts and the first edit
    stays; one added on another journey is saved beside it."""
    name = unique()
    store.save(planned_project(), name)
    ana, bob = store.load(name), TeamStore(URL, user="bob").load(name)
    bob.project.journeys[0].update_opportunity("stock", cost=55.0)
    TeamStore(URL, user="bob").save(bob.project, name, base=bob.revisions,
                                    changed={"current"})
    ana.project.journeys[1].add_opportunity(Opportunity("faq", "Better FAQ", cost=5.0))
    store.save(ana.project, name, base=ana.revisions, changed={"future"})

    both = store.load(name).project
    assert both.journeys[0].opportunity("stock").cost == 55.0
    assert [o.id for o in both.journeys[1].opportunities] == ["faq"]

    ana.project.journeys[0].update_opportunity("stock", cost=10.0)
    with pytest.raises(ConflictError, match="journey 'Current state' was changed by bob"):
        store.save(ana.project, name, base=ana.revisions, changed={"current"})
    assert store.load(name).project.journeys[0].opportunity("stock").cost == 55.0
    store.delete(name)


def test_an_image_on_a_touchpoint_someone_else_s_opportunity_adds_is_kept(
        store: TeamStore) -> None:
    name = unique()
    store.save(planned_project(), name)
    ana, bob = store.load(name), TeamStore(URL, user="bob").load(name)
    photo = Image("photo", "image/png", png_bytes(7, 5, (10, 90, 200)))
    bob.project.add_image(photo)
    bob.project.journeys[1].add_opportunity(Opportunity("kiosk", changes=Changes(
        add_touchpoints=(Touchpoint("kiosk", "Kiosk", image="photo"),))))
    TeamStore(URL, user="bob").save(bob.project, name, base=bob.revisions, changed={"future"})

    ana.project.journeys[0].update_opportunity("stock", title="Stock online")
    store.save(ana.project, name, base=ana.revisions, changed={"current"})

    kept = store.load(name).project
    assert kept.images["photo"].data == photo.data
    assert kept.journeys[1].opportunity("kiosk").changes.add_touchpoints[0].image == "photo"
    store.delete(name)


@pytest.mark.parametrize(("edit", "where"), [
    (lambda j: j.update_opportunity("stock", owner="E\x00"), "opportunity 'stock', field 'owner'"),
    (lambda j: j.update_opportunity("chat", changes=Changes(
        add_touchpoints=(Touchpoint("chat", notes="\x00"),))),
     "opportunity 'chat', field 'changes'"),
])
def test_a_nul_character_in_an_opportunity_is_refused_by_name(
        store: TeamStore, edit: Callable[[Journey], object], where: str) -> None:
    project = planned_project()
    edit(project.journeys[0])
    name = unique()
    with pytest.raises(ProjectFileError) as caught:
        store.save(project, name)
    assert caught.value.location() == f"journey 'current', {where}"
    assert name not in store.project_names()

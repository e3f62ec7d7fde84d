"""The summary's story: the lanes as rows in the map's stage columns, their notes in real
text, the personas with their portraits, and a page without them as it always was."""

from __future__ import annotations

import copy
import datetime as dt

import numpy as np
import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage

from cx_mapper.domain.content import Note
from cx_mapper.domain.images import Image
from cx_mapper.domain.personas import Persona
from cx_mapper.domain.project import Project
from cx_mapper.domain.templates import service_blueprint_project
from cx_mapper.engine.analysis import analyze
from cx_mapper.ui.export.drawing import page_font
from cx_mapper.ui.export.png import png_bytes
from cx_mapper.ui.export.summary import (
    BASE_WIDTH,
    render_summary,
    summary_cells,
    summary_layout,
)
from cx_mapper.ui.export.summary_story import NOTE_MAX_LINES, ROW_MAX, wrap_lines
from cx_mapper.ui.look import palette

DATE = dt.date(2025, 3, 14)
PORTRAIT = QColor("#7a3cff")  # a colour nothing else on the page uses
LONG = ("Waits twenty minutes on hold, then is passed to a second agent who asks for the "
        "order number again and again, and finally hangs up without an answer")


def pixels(image: QImage, rect: QRect) -> np.ndarray:
    """The region's pixels as a (height, width, 3) RGB array."""
    region = image.copy(rect).convertToFormat(QImage.Format.Format_RGB888)
    data = np.frombuffer(region.constBits(), np.uint8, region.sizeInBytes())
    rows = data.reshape(region.height(), region.bytesPerLine())[:, :region.width() * 3]
    return rows.reshape(region.height(), region.width(), 3).copy()


def near(colours: np.ndarray, colour: QColor, tolerance: int = 6) -> int:
    target = np.array([colour.red(), colour.green(), colour.blue()])
    return int((np.abs(colours.reshape(-1, 3).astype(int) - target).max(axis=1)
                <= tolerance).sum())


def ink(colours: np.ndarray) -> int:
    """Pixels dark enough to be text on a light note."""
    return int((colours.reshape(-1, 3).astype(int).max(axis=1) < 110).sum())


@pytest.fixture(scope="module")
def project() -> Project:
    """The service blueprint with a crowded cell, a long note and a persona with a portrait."""
    project = service_blueprint_project()
    journey = project.journeys[0]
    for n in range(9):
        journey.add_note(Note(f"crowd{n}", "frontstage", "awareness", f"Greets guest {n}"))
    journey.add_note(Note("long", "backstage", "service", LONG, ("gets-help",)))
    portrait = QImage(96, 96, QImage.Format.Format_RGB32)
    portrait.fill(PORTRAIT)
    project.add_image(Image("maya", "image/png", png_bytes(portrait)))
    project.add_persona(Persona(
        "maya", project.segments[0].id, "Maya Jensen", "I want it to work first time.",
        goals=("Get the right product fast", "Spend less time on hold"),
        needs=("Clear delivery dates",), frustrations=("Waiting", "Repeating herself"),
        image="maya"))
    return project


@pytest.fixture(scope="module")
def page(qapp: object, project: Project) -> QImage:
    return render_summary(project, analyze(project, "current"), date=DATE)


@pytest.fixture(scope="module")
def cells(qapp: object, project: Project) -> dict[tuple[str, str], QRect]:
    return summary_cells(project, analyze(project, "current"))


@pytest.fixture(scope="module")
def layout(qapp: object, project: Project) -> dict[str, QRect]:
    return summary_layout(project, analyze(project, "current"))


def test_the_lanes_come_under_the_map_and_the_personas_after(layout: dict[str, QRect]) -> None:
    assert layout["map"].bottom() < layout["lanes"].top()
    assert layout["lanes"].bottom() < layout["personas"].top()
    assert layout["personas"].bottom() < layout["loyalty"].top()


def test_each_lane_shows_its_colour_in_its_own_row(project: Project, page: QImage,
                                                   cells: dict[tuple[str, str], QRect]
                                                   ) -> None:
    journey = project.journeys[0]
    rows = sorted({(rect.top(), lane) for (lane, _), rect in cells.items()})
    assert [lane for _, lane in rows] == [lane.id for lane in journey.lanes]  # in order
    for lane in journey.lanes:
        accent = palette.lane_accent(lane.kind)
        paper = palette.note_fill(accent, palette.LIGHT)
        for stage in journey.stages:
            # (past the row's own bar of its colour, down the left of the first column)
            cell = pixels(page, cells[lane.id, stage.id].adjusted(10, 0, 0, 0))
            has_notes = bool(journey.notes_in(lane.id, stage.id))
            # a note is paper of its lane's colour with an accent bar; an empty cell has none
            assert (near(cell, paper) > 400) == has_notes, (lane.id, stage.id)
            assert (near(cell, accent, 4) > 40) == has_notes, (lane.id, stage.id)


def test_the_cells_sit_under_the_maps_stage_columns(project: Project, page: QImage,
                                                    layout: dict[str, QRect],
                                                    cells: dict[tuple[str, str], QRect]
                                                    ) -> None:
    """The map's stage headers alternate two greys; each cell's column has the header grey
    of its stage across its whole width, and the neighbour's grey just past its edges."""
    journey = project.journeys[0]
    strip = pixels(page, QRect(0, layout["map"].top() + 3, page.width(), 1))[0]
    headers = palette.LIGHT.lane_header
    lane = journey.lanes[0].id
    for k, stage in enumerate(journey.stages):
        cell = cells[lane, stage.id]
        inside = strip[cell.left() + 3:cell.right() - 2]
        assert near(inside, headers[k % 2], 2) == len(inside), stage.id
        for outside in (strip[cell.left() - 3:cell.left() - 1],
                        strip[cell.right() + 3:cell.right() + 5]):
            assert near(outside, headers[k % 2], 2) == 0, stage.id


def test_notes_are_real_text(project: Project, page: QImage,
                             cells: dict[tuple[str, str], QRect]) -> None:
    journey = project.journeys[0]
    long = cells["backstage", "service"]
    glyphs = ink(pixels(page, long))
    # about twenty pixels of ink a letter at 2,400 px: four lines of text, not boxes or
    # nothing (an outline box per letter would be many times more; a blank is none)
    assert 2500 < glyphs < 25_000
    # other words, other ink
    other = copy.deepcopy(project)
    other.journeys[0].update_note("long", text=LONG.upper())
    again = render_summary(other, analyze(other, "current"), date=DATE)
    assert not np.array_equal(pixels(again, long), pixels(page, long))
    assert journey.notes_in("backstage", "awareness") == []
    assert ink(pixels(page, cells["backstage", "awareness"])) == 0


def test_long_notes_end_in_an_ellipsis_and_a_full_cell_counts_the_rest(
        qapp: object, project: Project, page: QImage,
        cells: dict[tuple[str, str], QRect]) -> None:
    lines = wrap_lines(LONG, page_font(13), 160, NOTE_MAX_LINES)
    assert len(lines) == NOTE_MAX_LINES and lines[-1].endswith("…")
    assert wrap_lines("Short", page_font(13), 160, NOTE_MAX_LINES) == ["Short"]
    # nine greetings in one cell: it grows to its limit, then says "+N more"
    crowded, sparse = cells["frontstage", "awareness"], cells["frontstage", "purchase"]
    assert crowded.height() == sparse.height()  # the row's cells share its height
    assert crowded.height() <= ROW_MAX * page.width() / BASE_WIDTH + 1
    more = QRect(crowded.left() + 10, crowded.bottom() - 36, crowded.width() // 2, 30)
    muted = palette.LIGHT.card_muted
    assert near(pixels(page, more), muted, 30) > 100  # "+N more" in muted ink


def test_the_line_of_visibility_runs_between_frontstage_and_backstage(
        page: QImage, cells: dict[tuple[str, str], QRect]) -> None:
    front, back = cells["frontstage", "consideration"], cells["backstage", "consideration"]
    between = QRect(front.left(), front.bottom() - 2, front.width(), back.top() - front.bottom())
    dashes = pixels(page, between)
    assert ink(dashes) > front.width() // 3  # a dashed dark line across the column
    above = cells["actions", "consideration"]
    below_actions = QRect(above.left(), above.bottom() - 2, above.width(), 6)
    assert ink(pixels(page, below_actions)) == 0  # and no other line


def test_each_persona_has_a_card_with_portrait_and_name(page: QImage,
                                                        layout: dict[str, QRect]) -> None:
    section = pixels(page, layout["personas"])
    # the portrait: its square, scaled to about 190 px at 2,400 px
    assert near(section, PORTRAIT, 4) > 150 * 150
    assert ink(section) > 5000  # name, segment, quote and lists


def test_without_lanes_and_personas_the_page_is_as_it_was(qapp: object, project: Project,
                                                          page: QImage,
                                                          layout: dict[str, QRect]) -> None:
    """Lanes and personas only insert their sections: what is above is the same to the
    pixel, and what is below moves down by their height."""
    bare = copy.deepcopy(project)
    journey = bare.journeys[0]
    for lane in list(journey.lanes):
        journey.remove_lane(lane.id)
    bare.personas.clear()
    analysis = analyze(bare, "current")
    plain = render_summary(bare, analysis, date=DATE)
    plain_layout = summary_layout(bare, analysis)
    assert set(plain_layout) == set(layout) - {"lanes", "personas"}
    above = QRect(0, 0, page.width(), layout["map"].bottom() + 1)
    assert plain.copy(above) == page.copy(above)
    shift = layout["loyalty"].top() - plain_layout["loyalty"].top()
    assert shift > layout["lanes"].height() + layout["personas"].height()
    assert page.height() - plain.height() == pytest.approx(shift, abs=1)
    rest = plain_layout["footer"]  # the same, give or take a fraction of a pixel's shift
    moved = pixels(page, rest.translated(0, shift)).astype(int)
    assert np.abs(pixels(plain, rest).astype(int) - moved).mean() < 3


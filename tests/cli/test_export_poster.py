"""`cx-mapper export FILE OUT.pdf --page poster`: the map alone as a wall poster, on one
sheet or tiled; and `OUT.svg --page poster`, the map alone as an SVG. Read back with
pypdf: the sheets are the paper asked, the names on the cards are text, and each
tiled sheet holds its own part of the map with its label."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfReader
from PySide6.QtCore import QByteArray, QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from cx_mapper.cli import main
from cx_mapper.domain.journey import Journey, Stage, Touchpoint, Transition
from cx_mapper.domain.project import Project
from cx_mapper.engine.analysis import analyze
from cx_mapper.exports.figures import ExportFigures, gather
from cx_mapper.exports.poster_tiles import Sheets
from cx_mapper.persistence.files import read_project
from cx_mapper.persistence.json_format import write_project
from cx_mapper.ui.export.map_picture import MapPicture
from cx_mapper.ui.export.poster import Poster, poster_pdf, poster_plan
from tests.factories import RETAIL_SAMPLE

SAMPLE = str(RETAIL_SAMPLE)
SVG = "{http://www.w3.org/2000/svg}"
WROTE = "the poster of Current state (Retail omnichannel), "


def export(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    code = main(["export", SAMPLE, *args])
    captured = capsys.readouterr()
    assert (code, captured.err) == (0, ""), captured.err
    return captured.out


def page_texts(path: Path) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(path).pages]


def shown(name: str, text: str) -> bool:
    """The name is in the text whole, or cut short with an ellipsis where its card has
    no room for all of it (as the editor cuts it)."""
    return name in text or any(f"{name[:end]}…" in text for end in range(8, len(name)))


def names() -> list[str]:
    return [t.name for t in read_project(SAMPLE).journey("current").touchpoints.values()]


@pytest.mark.parametrize(("paper", "landscape", "size"), [
    ("A3", False, (841.9, 1190.6)), ("A3", True, (1190.6, 841.9)),
    ("A0", True, (3370.4, 2383.9)), ("Letter", False, (612, 792)),
    ("Tabloid", True, (1224, 792))])
def test_a_fitted_poster_is_one_sheet_of_the_paper_asked(
        paper: str, landscape: bool, size: tuple[float, float], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "wall.pdf"
    args = [str(out), "--page", "poster", "--paper", paper.lower()]
    stdout = export([*args, "--landscape"] if landscape else args, capsys)
    turned = "landscape" if landscape else "portrait"
    assert stdout.startswith(f"Wrote {out}: {WROTE}one {paper} page, {turned}")
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(size, abs=1)
    assert reader.metadata is not None
    assert reader.metadata.title == "Retail omnichannel: Current state"


def test_the_fitted_poster_is_the_map_its_names_text_with_title_and_key(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "wall.pdf"
    export([str(out), "--page", "poster", "--paper", "A3", "--landscape"], capsys)
    [text] = page_texts(out)
    # Every card's name: the cards are drawn as text, not pasted as pictures.
    assert [name for name in names() if not shown(name, text)] == []
    assert "Current state" in text and "CX Mapper" in text and "How to read the map" in text
    assert "Customer journey map · 17 touchpoints in 5 stages" in text
    assert "Top five touchpoints to fix" not in text  # the map alone, not the summary
    assert " of A1" not in text  # one sheet: no sheet labels


def test_a_wide_map_on_upright_paper_says_turning_it_would_draw_it_bigger(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Twelve touchpoints in a row: a long, low map."""
    touchpoints = {f"t{i}": Touchpoint(f"t{i}", name=f"Step {i}", stage="s", x=i * 240.0,
                                       y=0.0, entry=1.0 if i == 0 else 0.0,
                                       conversion=i == 11) for i in range(12)}
    transitions = {(f"t{i}", f"t{i + 1}"): Transition(f"t{i}", f"t{i + 1}", 0.9)
                   for i in range(11)}
    source = tmp_path / "row.json"
    write_project(Project(name="Row", journeys=[Journey(
        "row", name="In a row", stages=[Stage("s", "All")], touchpoints=touchpoints,
        transitions=transitions)]), source)
    out = tmp_path / "wall.pdf"
    for landscape, ending in ((False, r"one A4 page, portrait; landscape would draw the map "
                                      r"\d\.\d times as big\."),
                              (True, r"one A4 page, landscape\.")):  # as asked, no advice
        code = main(["export", str(source), str(out), "--page", "poster", "--paper", "A4",
                     *(["--landscape"] if landscape else [])])
        assert code == 0 and re.search(f"{ending}$", capsys.readouterr().out.strip())


def test_a_tiled_poster_has_a_sheet_per_tile_each_labelled(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "wall.pdf"
    stdout = export([str(out), "--page", "poster", "--paper", "A4", "--across", "3",
                     "--overlap", "15"], capsys)
    assert stdout.strip().endswith("6 A4 pages, portrait: 3 across and 2 down, 15 mm "
                                   "overlap, with crop marks.")
    reader = PdfReader(out)
    assert len(reader.pages) == 6
    for page in reader.pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx((595.3, 841.9), abs=1)
    texts = page_texts(out)
    labels = ["A1", "B1", "C1", "A2", "B2", "C2"]
    for label, text in zip(labels, texts, strict=True):
        assert f"{label} of C2" in text
        assert [other for other in labels if f"{other} of C2" in text] == [label]
    # Each sheet names its neighbours in its margins: B1 has A1 left, C1 right, B2 below.
    assert all(f"{n}" in texts[1] for n in ("◀ A1", "C1 ▶", "▼ B2"))
    assert "▲" not in texts[1] and "◀" not in texts[0]


def test_each_tiled_sheet_holds_the_cards_in_its_window(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], qapp: object) -> None:
    """The cards at the map's far corners are on the sheets whose windows hold them, and
    only there: a sheet paints its own part of the map, not the whole map clipped."""
    out = tmp_path / "wall.pdf"
    export([str(out), "--page", "poster", "--paper", "A4", "--across", "3"], capsys)
    texts = page_texts(out)
    project = read_project(SAMPLE)
    picture = MapPicture(project, project.journey("current"), None)
    layout, tiles = poster_plan(picture.source.size(), Sheets("A4", False, 3, 10.0))
    assert len(tiles) == len(texts)
    cards = picture.cards()
    journey = project.journey("current")
    corners = {min(cards, key=lambda t: (cards[t].left(), cards[t].top())),
               max(cards, key=lambda t: (cards[t].right(), cards[t].bottom())),
               max(cards, key=lambda t: (cards[t].bottom(), -cards[t].left()))}
    assert len(corners) >= 2
    whole = 0
    for touchpoint in corners:
        name = journey.touchpoints[touchpoint].name
        card = layout.place(cards[touchpoint], picture.source)
        holding = [i for i, tile in enumerate(tiles)
                   if tile.window.x <= card.left() and card.right() <= tile.window.right
                   and tile.window.y <= card.top() and card.bottom() <= tile.window.bottom]
        apart = [i for i, tile in enumerate(tiles)
                 if card.right() < tile.window.x or card.left() > tile.window.right
                 or card.bottom() < tile.window.y or card.top() > tile.window.bottom]
        # A card across a sheet's edge is on both sheets, cut; one whole on a sheet is
        # on it; one clear of a sheet is not on it at all.
        assert any(shown(name, text) for text in texts), name
        assert all(shown(name, texts[i]) for i in holding), name
        assert apart and not any(shown(name, texts[i]) for i in apart), name
        whole += bool(holding)
    assert whole >= 2


def test_an_empty_map_makes_a_poster_saying_so(qapp: object, tmp_path: Path) -> None:
    project = read_project(SAMPLE)
    figures: ExportFigures = gather(project, analyze(project, "current"))
    empty = MapPicture(project, Journey("empty", name="Nothing yet",
                                        stages=[Stage("s", "Awareness")]), None)
    assert not empty.cards()
    for across in (1, 2):
        data, _ = poster_pdf(figures, "A4", across=across, picture=empty)
        out = tmp_path / f"empty{across}.pdf"
        out.write_bytes(data)
        texts = page_texts(out)
        assert "This journey has no touchpoints yet." in texts[0]


def test_the_command_line_refuses_an_empty_journey_in_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = read_project(SAMPLE)
    project.journeys.append(Journey("empty", name="Nothing yet",
                                    stages=[Stage("s", "Awareness")]))
    source = tmp_path / "empty.json"
    write_project(project, source)
    out = tmp_path / "wall.pdf"
    code = main(["export", str(source), str(out), "--page", "poster", "--journey", "empty"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "no touchpoints yet" in err
    assert not out.exists()


@pytest.mark.parametrize(("args", "message"), [
    (["OUT.pdf", "--across", "3"], "--across is for the poster PDF of the map"),
    (["OUT.pdf", "--page", "A4", "--paper", "A1"], "--paper is for the poster PDF"),
    (["OUT.svg", "--page", "poster", "--overlap", "5"], "--overlap is for the poster PDF"),
    (["OUT.pdf", "--page", "poster", "--across", "21"], "from 1 to 20, got '21'"),
    (["OUT.pdf", "--page", "poster", "--across", "two"], "from 1 to 20, got 'two'"),
    (["OUT.pdf", "--page", "poster", "--overlap", "51"], "from 0 to 50, got '51'"),
    (["OUT.pdf", "--page", "poster", "--paper", "A5"], "must be one of A4, A3"),
])
def test_bad_poster_options_are_one_line_and_write_nothing(
        args: list[str], message: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / args[0]
    code = main(["export", SAMPLE, str(out), *args[1:]])
    captured = capsys.readouterr()
    assert (code, captured.out) == (2, "")
    assert message in captured.err and captured.err.count("\n") == 1
    assert "Traceback" not in captured.err
    assert not out.exists()


def test_the_svg_of_the_map_alone_has_its_names_as_text_and_renders(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "map.svg"
    stdout = export([str(out), "--page", "poster"], capsys)
    assert re.match(rf"Wrote {re.escape(str(out))}: the map of Current state \(Retail "
                    r"omnichannel\), \d+ x \d+ px, text as text\.$", stdout.strip())
    root = ET.parse(out).getroot()
    assert root.tag == f"{SVG}svg"
    assert root.findtext(f"{SVG}title") == "Retail omnichannel: Current state"
    texts = " ".join(" ".join("".join(e.itertext()).split()) for e in root.iter(f"{SVG}text"))
    assert [name for name in names() if not shown(name, texts)] == []
    # The map alone: none of the summary's parts.
    assert "Top five touchpoints to fix" not in texts and "The plan" not in texts
    renderer = QSvgRenderer(QByteArray(out.read_bytes()))
    assert renderer.isValid()
    size = renderer.viewBox().size()
    drawn = QImage(size, QImage.Format.Format_RGB32)
    drawn.fill(0xFF000000)  # black: what the SVG does not draw stays black
    painter = QPainter(drawn)
    renderer.render(painter)
    painter.end()
    rgb = rgb_of(drawn)
    assert (rgb.max(axis=2) > 0).mean() > 0.99  # the page is painted all over
    assert len(np.unique(rgb.reshape(-1, 3), axis=0)) > 50  # cards, colours, text


def test_a_sheet_paints_nothing_outside_its_window(qapp: object) -> None:
    """Cards cut by a sheet's edge stop at it, colour bars and all: the margins stay
    blank for the crop marks and labels."""
    project = read_project(SAMPLE)
    figures = gather(project, analyze(project, "current"))
    picture = MapPicture(project, figures.journey, figures.analysis)
    layout, tiles = poster_plan(picture.source.size(), Sheets("A4", False, 3, 10.0))
    poster = Poster(figures, picture, layout)
    margin = 40
    for tile in tiles[:3]:
        window = QRectF(tile.window.x, tile.window.y, tile.window.width, tile.window.height)
        image = QImage(round(window.width()) + 2 * margin, round(window.height()) + 2 * margin,
                       QImage.Format.Format_RGB32)
        image.fill(0xFFFFFFFF)
        painter = QPainter(image)
        painter.translate(margin, margin)
        poster.paint(painter, window)
        painter.end()
        rgb = rgb_of(image)
        inside = rgb[margin + 1:-margin - 1, margin + 1:-margin - 1]
        assert (inside != 255).any()  # the sheet's part of the map is drawn
        for edge in (rgb[:margin - 1], rgb[-margin + 1:], rgb[:, :margin - 1],
                     rgb[:, -margin + 1:]):
            assert (edge == 255).all(), tile.name


def rgb_of(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    data = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
    return data.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, :image.width(), :3]

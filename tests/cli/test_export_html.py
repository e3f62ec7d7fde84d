"""`cx-mapper export FILE OUT.html`: one self-contained page that parses, names no web
address, shows the engine's figures, the lanes, the plan and the intervals, and in a
real browser (headless Chromium, driven by Playwright) draws its map and shows a
card's details on hover, fetching nothing."""

from __future__ import annotations

import io
import os
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from cx_mapper.cli import main
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.kpis import kpi_details
from cx_mapper.engine.uncertainty import uncertainty
from cx_mapper.persistence.files import read_project
from tests.factories import RETAIL_SAMPLE
from tests.html_pages import parsed

CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]
#: A touchpoint of the sample to hover over.
HOVERED = "browse_site"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The retail sample's report, as the command line writes it (once per module)."""
    out = tmp_path_factory.mktemp("html") / "retail.html"
    assert main(["export", str(RETAIL_SAMPLE), str(out)]) == 0
    return out


def test_the_command_line_writes_one_page_that_parses_and_names_no_address(
        report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    text = parsed(page)
    assert "http://" not in page and "https://" not in page and "://" not in page
    assert "<script" not in page and "@font-face" not in page and "@import" not in page
    assert not re.search(r"\b(src|href)=\"(?!data:|#)", page)  # nothing loaded from a file
    assert "Current state" in text and "Retail omnichannel" in text
    svgs = re.findall(r"<svg\b.*?</svg>", page, re.DOTALL)
    assert len(svgs) >= 10  # the map, its hit shapes, its key, the charts
    for svg in svgs:  # each drawing is well-formed SVG, scaled by its viewBox
        root = ElementTree.fromstring(svg)
        assert root.tag == "svg" and len(root.get("viewBox", "").split()) == 4
    # Each font names the face Qt drew with, then the generic: never Qt's own alias,
    # which a browser does not know and would draw as its default serif.
    families = set(re.findall(r'font-family="([^"]*)"', page))
    assert families and all(f.endswith(", sans-serif") for f in families)
    assert not any("Sans Serif" in f for f in families)


def test_the_tiles_and_details_hold_the_engines_figures(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    project = read_project(str(RETAIL_SAMPLE))
    analysis = analyze(project, "current")
    found = uncertainty(project, "current")
    for kpi, value, _ in kpi_details(analysis):
        tile = re.search(rf'data-kpi="{kpi.key}">.*?class="value[^"]*">([^<]*)</div>'
                         r'(?:<div class="interval">([^<]*)</div>)?', page)
        assert tile is not None, kpi.key
        assert unescape(tile.group(1)) == value == kpi.text(analysis)
        assert unescape(tile.group(2)) == kpi.interval_text(found.intervals[kpi.key])
    journey = project.journey("current")
    for tid in analysis.ids:
        assert f'data-touchpoint="{tid}"' in page  # a hover shape for every card
    tip = re.search(rf'data-touchpoint="{HOVERED}" aria-describedby="(tip-tp-\d+)"', page)
    assert tip is not None
    details = re.search(rf'id="{tip.group(1)}".*?</div>', page, re.DOTALL)
    assert details is not None
    words = unescape(re.sub(r"<[^>]+>", " ", details.group(0)))
    assert journey.touchpoints[HOVERED].name in words
    assert f"{analysis.touchpoint(HOVERED).visits:.3f}" in words
    assert "Evidence: satisfaction" in words  # the card's evidence, in a line


def test_the_page_carries_the_lanes_the_personas_the_plan_and_the_intervals(
        report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    text = parsed(page)
    project = read_project(str(RETAIL_SAMPLE))
    journey = project.journey("current")
    lanes = re.search(r'<figure[^>]*id="lanes".*?</figure>', page, re.DOTALL)
    assert lanes is not None
    assert all(lane.name in unescape(lanes.group(0)) for lane in journey.lanes)
    assert 'id="personas"' in page and 'id="loyalty"' in page and 'id="removal"' in page
    assert 'id="plan"' in page
    assert journey.plan is not None
    funded = re.search(r'data-table="opportunities".*?</table>', page, re.DOTALL)
    assert funded is not None and funded.group(0).count("✓") >= 1
    for opportunity in journey.opportunities:
        assert opportunity.title in text
    assert "How sure are we" in unescape(page)  # the strip of how sure the figures are
    assert "Low (5%)" in text and "High (95%)" in text


def test_an_empty_journey_exits_2_with_one_line(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "empty.json"
    project.write_text('{"format": "cx-mapper/1", "name": "E", "journeys": '
                       '[{"id": "j", "touchpoints": [], "transitions": []}]}',
                       encoding="utf-8")
    out = tmp_path / "empty.html"
    code = main(["export", str(project), str(out)])
    stderr = capsys.readouterr().err
    assert code == 2 and stderr.count("\n") == 1 and "Traceback" not in stderr
    assert not out.exists()


# -- in a real browser ------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, driven by Playwright; no browser is downloaded."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed (pip install playwright)")
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium; .ci/setup does)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def non_white(png: bytes) -> float:
    """The share of pixels that are not (near) white."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    histogram = image.histogram()
    return 1 - sum(histogram[246:]) / (image.width * image.height)


def test_a_browser_draws_the_page_and_shows_a_cards_details_on_hover(
        browser: Any, report: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    asked: list[str] = []

    def only_the_file(route: Any) -> None:
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
        else:
            asked.append(url)
            route.abort()

    page.route("**/*", only_the_file)
    page.goto(report.as_uri())
    assert non_white(page.screenshot(full_page=True)) > 0.05  # blank is 0
    the_map = page.locator(".map")
    box = the_map.bounding_box()
    assert box is not None and box["width"] > 800 and box["height"] > 400
    assert non_white(page.screenshot(clip=box, full_page=True)) > 0.3  # the map is drawn

    project = read_project(str(RETAIL_SAMPLE))
    analysis = analyze(project, "current")
    card = page.locator(f'g.card[data-touchpoint="{HOVERED}"]')
    tip = page.locator(f"#{card.get_attribute('aria-describedby')}")
    assert not tip.is_visible()
    card.hover()
    assert tip.is_visible()
    words = tip.inner_text()
    assert project.journey("current").touchpoints[HOVERED].name in words
    assert f"{analysis.touchpoint(HOVERED).visits:.3f}" in words
    shown = tip.bounding_box()
    assert shown is not None and shown["x"] >= 0 and shown["x"] + shown["width"] <= 1400

    page.mouse.move(0, 0)
    assert not tip.is_visible()
    arrow = page.locator('g.arrow[data-from="friend_post"]').first
    arrow.focus()  # the keyboard reaches the arrows too
    arrow_tip = page.locator(f"#{arrow.get_attribute('aria-describedby')}")
    assert arrow_tip.is_visible() and "Probability" in arrow_tip.inner_text()
    assert asked == []  # nothing was fetched, nor tried
    page.close()


def test_it_prints_without_the_details_boxes(browser: Any, report: Path) -> None:
    page = browser.new_page()
    page.goto(report.as_uri())
    page.emulate_media(media="print")
    assert not page.locator("svg.hits").is_visible()
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 4
    page.close()

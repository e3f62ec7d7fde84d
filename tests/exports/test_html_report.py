"""The HTML report's page without its drawings (Qt-free): it parses, names no web
address, escapes what the user typed, and a journey with nothing to show still makes
a page."""

from __future__ import annotations

import datetime as dt

from cx_mapper.domain.project import Project
from cx_mapper.engine.analysis import analyze
from cx_mapper.exports.figures import gather
from cx_mapper.exports.html_report import html_report
from cx_mapper.exports.html_svg import inline_svg
from cx_mapper.persistence.files import read_project
from tests.factories import RETAIL_SAMPLE, without_evidence
from tests.html_pages import parsed

DAY = dt.date(2026, 3, 14)


def report(project: Project, journey: str = "current", intervals: bool = True) -> str:
    figures = gather(project, analyze(project, journey), date=DAY, intervals=intervals)
    return html_report(figures)


def test_the_tables_alone_parse_and_hold_the_engines_figures() -> None:
    project = read_project(RETAIL_SAMPLE)
    page = report(project)
    text = parsed(page)
    assert page.startswith("<!DOCTYPE html>") and "http" not in page
    analysis = analyze(project, "current")
    for tid in analysis.ids:
        assert project.journey("current").touchpoints[tid].name in text
    assert "The journey has no touchpoints" not in text
    for key in ("kpis", "touchpoints", "transitions", "segments", "about", "plan"):
        assert f'id="{key}"' in page
    assert "5–95% of 1,000 draws" in text  # the intervals' method, in About
    assert "14 March 2026" in text


def test_what_the_user_typed_is_escaped() -> None:
    project = without_evidence(read_project(RETAIL_SAMPLE))
    project.name = "<script>alert('x')</script> & Co"
    journey = project.journey("future")
    tid = next(iter(journey.touchpoints))
    journey.update_touchpoint(tid, name='Buys <b>now</b> & "pays"')
    page = report(project, "future")
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co" in page
    text = parsed(page)
    assert 'Buys <b>now</b> & "pays"' in text  # read back as typed


def test_an_address_the_user_typed_stays_text_and_fetches_nothing() -> None:
    project = without_evidence(read_project(RETAIL_SAMPLE))
    project.name = "Shop at https://example.com/shop"
    page = report(project, "future")
    assert "://" not in page
    assert "Shop at https://example.com/shop" in parsed(page)


def test_a_journey_without_a_plan_or_evidence_leaves_them_out() -> None:
    page = report(without_evidence(read_project(RETAIL_SAMPLE)), "future")
    text = parsed(page)
    assert 'id="plan"' not in page and "90%:" not in text
    assert "none: no figure carries evidence" in text
    assert 'id="map"' not in page  # no drawing given: the tables alone, no empty map


def test_an_svg_becomes_an_inline_element_without_addresses() -> None:
    data = (b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
            b'<svg width="10mm" height="5mm" viewBox="0 0 40 20" '
            b'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            b'version="1.2" baseProfile="tiny">\n<title>t</title>\n<desc>d</desc>\n<defs>\n'
            b'</defs>\n<g fill="none">\n<g font-family="Sans Serif" >\n</g>\n</g>\n'
            b'<g font-family="Sans Serif"><text>A &amp; B</text>'
            b'<image xlink:href="data:image/png;base64,AA"/></g>\n</svg>\n')
    svg = inline_svg(data, 40, 20, "A <chart>")
    assert svg.startswith('<svg viewBox="0 0 40 20" class="picture" role="img" '
                          'aria-label="A &lt;chart&gt;">')
    assert "http" not in svg and "<title>" not in svg and "<defs>" not in svg
    assert svg.count("<g") == 1  # the empty groups are gone, the full one stays
    assert 'font-family="Sans Serif"' in svg and 'href="data:' in svg

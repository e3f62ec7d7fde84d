"""`cx-mapper export FILE OUT.pdf --page A4|A3|Letter [--landscape]`: the summary on
paper pages, split between its parts. Read back with pypdf: the pages are the paper's
size, every figure and name is text, each part is on one page whole and in order."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from cx_mapper.cli import main
from cx_mapper.cli.files import across_count, overlap_mm, page_choice, paper_choice
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.kpis import kpi_details
from cx_mapper.persistence.files import read_project
from tests.factories import RETAIL_SAMPLE

SAMPLE = str(RETAIL_SAMPLE)
#: The block titles, top to bottom, as the retail summary shows them.
TITLES = ["The journey as drawn", "The story, stage by stage", "Who the customers are",
          "Loyalty along the journey", "Customers and word of mouth over time",
          "Top five touchpoints to fix", "The plan: what to fund"]


def export(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["export", SAMPLE, *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def page_texts(path: Path) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(path).pages]


@pytest.mark.parametrize(("page", "landscape", "size"), [
    ("A4", False, (595.3, 841.9)), ("A3", False, (841.9, 1190.6)),
    ("Letter", False, (612, 792)), ("A4", True, (841.9, 595.3)),
    ("Letter", True, (792, 612))])
def test_the_summary_prints_on_pages_of_the_paper_asked(
        page: str, landscape: bool, size: tuple[float, float], tmp_path: Path,
        capsys: pytest.CaptureFixture[str], qapp: object) -> None:
    out = tmp_path / "retail.pdf"
    code, stdout, err = export([str(out), "--page", page.lower()]
                               + (["--landscape"] if landscape else []), capsys)
    assert (code, err) == (0, "")
    reader = PdfReader(out)
    count = len(reader.pages)
    turned = "landscape" if landscape else "portrait"
    assert stdout.endswith(f"{count} {page} {turned} pages.\n")
    assert count >= 2  # the retail summary is longer than any of these sheets
    for sheet in reader.pages:
        box = sheet.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(size, abs=0.6)
    texts = page_texts(out)
    assert [f"Page {k} of {count}" in text for k, text in enumerate(texts, 1)] == [True] * count
    # Each part is on one page and they come in the summary's order.
    where = [[k for k, text in enumerate(texts) if title in text] for title in TITLES]
    assert all(len(pages) == 1 for pages in where), where
    assert [pages[0] for pages in where] == sorted(pages[0] for pages in where)
    # The key figures with their intervals are together on the first page.
    project = read_project(SAMPLE)
    labels = [kpi.label for kpi, _, _ in kpi_details(analyze(project, "current"))]
    assert all(label in texts[0] for label in labels)
    assert "90%:" in texts[0] and "How sure are we" in texts[0]
    # Every touchpoint's name is text somewhere (the map, the lanes or the charts).
    everything = " ".join(texts)
    names = [t.name for t in project.journey("current").touchpoints.values()]
    assert [n for n in names if n not in everything
            and not any(f"{n[:end]}…" in everything for end in range(8, len(n)))] == []


def test_a4_portrait_holds_the_map_and_the_lanes_on_the_first_page(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], qapp: object) -> None:
    out = tmp_path / "retail.pdf"
    assert export([str(out), "--page", "A4"], capsys)[0] == 0
    first = page_texts(out)[0]
    assert "The journey as drawn" in first and "The story, stage by stage" in first


@pytest.mark.parametrize(("args", "message"), [
    (["OUT.png", "--page", "A4"], "--page is for a PDF"),
    (["OUT.xlsx", "--page", "poster"], "--page is for a PDF"),
    (["OUT.svg", "--page", "A4"], "an SVG is one page"),
    (["OUT.pdf", "--page", "A5"], "must be A4, A3, Letter, tall or poster, got 'A5'"),
    (["OUT.pdf", "--page", "poster", "--paper", "B2"], "must be one of A4, A3"),
    (["OUT.pdf", "--page", "poster", "--across", "0"], "from 1 to 20, got '0'"),
    (["OUT.pdf", "--page", "poster", "--overlap", "-1"], "from 0 to 50, got '-1'"),
])
def test_bad_page_options_are_one_line_and_write_nothing(
        args: list[str], message: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / args[0]
    code, stdout, err = export([str(out), *args[1:]], capsys)
    assert (code, stdout) == (2, "")
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists()


@given(st.text(max_size=30))
def test_any_page_option_is_taken_or_refused_in_one_line(text: str) -> None:
    for parse in (page_choice, paper_choice, across_count, overlap_mm):
        try:
            parse(text)
        except argparse.ArgumentTypeError as error:
            message = str(error)
            assert message.startswith("must be ") and "\n" not in message

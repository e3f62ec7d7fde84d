"""`cx-mapper export FILE OUT.xlsx|OUT.csv|OUT.pptx`: read back with openpyxl, csv and
python-pptx, every number equals the engine's (FORMAT.md, PRODUCT.md "Sharing the work")."""

from __future__ import annotations

import csv
import dataclasses
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pptx.oxml.ns import qn

from cx_mapper.cli import main
from cx_mapper.domain.evidence import Evidence, EvidenceSet
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.kpis import KPI_BY_KEY, TOTAL_KPIS, format_value
from cx_mapper.engine.uncertainty import uncertainty
from cx_mapper.exports.figures import gather
from cx_mapper.exports.tables import export_tables, kpi_table
from cx_mapper.exports.xlsx import excel_format, xlsx_bytes
from cx_mapper.persistence.files import read_project
from tests.factories import RETAIL_SAMPLE, without_evidence

SVG_MAIN = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
SAMPLE = str(RETAIL_SAMPLE)
OLD = b"an earlier export that must survive a failed one"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def totals(journey_id: str = "current") -> dict[str, float]:
    """Each total the journey has, as the app shows it (scaled: loyalty x100)."""
    analysis = analyze(read_project(SAMPLE), journey_id)
    return {kpi.label: value for kpi in TOTAL_KPIS
            if (value := kpi.value(analysis)) is not None}


def test_the_workbook_holds_real_numbers_equal_to_the_engines(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "retail.xlsx"
    code, stdout, stderr = run(["export", SAMPLE, str(out)], capsys)
    assert (code, stderr) == (0, "")
    assert stdout.startswith(f"Wrote {out}: the workbook of Current state")
    book = load_workbook(out)
    assert book.sheetnames == ["About", "KPIs", "Touchpoints", "Transitions", "Segments",
                               "Opportunities", "Plan", "Frontier"]
    sheet = book["KPIs"]
    header = [cell.value for cell in sheet[1]]
    # The sample carries evidence: its KPIs have their intervals beside them.
    assert header[:3] == ["Key figure", "Value", "Unit"] and "Low (5%)" in header
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    expected = totals()
    assert set(rows) == set(expected)
    for label, value in expected.items():
        cell = rows[label][1]
        assert isinstance(cell.value, float) and cell.value == pytest.approx(value, rel=1e-12)
        kpi = next(k for k in TOTAL_KPIS if k.label == label)
        assert cell.number_format == excel_format(kpi.spec)
    assert rows["Loyalty index"][1].number_format == "+0.0;-0.0;0.0"
    assert rows["Conversion"][1].number_format == "0.0%"
    assert sheet.freeze_panes == "B2" and sheet.column_dimensions["A"].width >= 18

    analysis = analyze(read_project(SAMPLE), "current")
    touchpoints = book["Touchpoints"]
    names = [cell.value for cell in touchpoints[1]]
    ids = [row[0].value for row in touchpoints.iter_rows(min_row=2)]
    assert ids == list(analysis.ids)
    visits = [row[names.index("Visits")].value for row in touchpoints.iter_rows(min_row=2)]
    assert visits == pytest.approx(list(analysis.touchpoints.visits), rel=1e-12)
    loyalty = names.index("Loyalty after (−100 to +100)")
    first = touchpoints.cell(row=2, column=loyalty + 1)
    assert first.value == pytest.approx(100 * analysis.touchpoints.loyalty[0])
    assert touchpoints.freeze_panes == "B2"
    # Printed, every sheet is one page wide, its header on each page; the wide
    # touchpoints sheet turns to landscape, the two-column About sheet stays upright.
    for printed in book.worksheets:
        assert printed.sheet_properties.pageSetUpPr.fitToPage
        assert (printed.page_setup.fitToWidth, printed.page_setup.fitToHeight) == (1, 0)
        assert printed.print_title_rows == "$1:$1"
    assert touchpoints.page_setup.orientation == "landscape"
    assert book["About"].page_setup.orientation == "portrait"
    flows = book["Transitions"]
    assert all(isinstance(row[6].value, float) and row[6].value > 0
               for row in flows.iter_rows(min_row=2))


def test_each_table_is_a_csv_file_named_after_out(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "retail.csv"
    code, stdout, _ = run(["export", SAMPLE, str(out), "--journey", "future"], capsys)
    assert code == 0 and "Future state" in stdout
    written = sorted(path.name for path in tmp_path.iterdir())
    # The future journey has no opportunities: no opportunity or plan tables.
    assert written == ["retail-about.csv", "retail-kpis.csv", "retail-segments.csv",
                       "retail-touchpoints.csv", "retail-transitions.csv"]
    assert not out.exists()
    with open(tmp_path / "retail-kpis.csv", encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    expected = totals("future")
    assert [row["Key figure"] for row in rows] == list(expected)
    for row in rows:
        assert float(row["Value"]) == expected[row["Key figure"]]  # exact: full precision
    with open(tmp_path / "retail-touchpoints.csv", encoding="utf-8-sig", newline="") as file:
        touchpoints = list(csv.DictReader(file))
    analysis = analyze(read_project(SAMPLE), "future")
    assert [float(row["Visits"]) for row in touchpoints] == list(analysis.touchpoints.visits)


def test_the_deck_has_a_native_kpi_table_with_the_engines_figures_and_notes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "retail.pptx"
    code, _, stderr = run(["export", SAMPLE, str(out)], capsys)
    assert (code, stderr) == (0, "")
    deck = Presentation(str(out))
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles[0] == "Current state"
    for title in ("The journey as drawn", "Key figures", "Loyalty along the journey",
                  "Top five touchpoints to fix", "The plan: what to fund", "Assumptions"):
        assert title in titles
    slide = deck.slides[titles.index("Key figures")]
    (table,) = [shape.table for shape in slide.shapes if shape.has_table]
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0][:3] == ["Key figure", "Value", "Unit"]
    analysis = analyze(read_project(SAMPLE), "current")
    shown = {row[0]: row[1] for row in cells[1:]}
    for kpi in TOTAL_KPIS:
        if kpi.value(analysis) is not None:
            assert shown[kpi.label] == format_value(kpi, kpi.value(analysis))
    notes = slide.notes_slide.notes_text_frame.text
    assert KPI_BY_KEY["loyalty_index"].formula in notes
    (picture,) = [s for s in deck.slides[titles.index("The journey as drawn")].shapes
                  if s.shape_type == 13]
    assert picture.image.size[0] >= 2000  # the map at a high resolution
    # Beside it, the map as a drawing, for the PowerPoint versions that draw SVG.
    blip = picture._element.blipFill.find(qn("a:blip"))
    (vector,) = blip.iter(f"{{{SVG_MAIN}}}svgBlip")
    part = picture.part.related_part(vector.get(qn("r:embed")))
    assert part.content_type == "image/svg+xml"
    root = ET.fromstring(part.blob)
    texts = " ".join(" ".join("".join(t.itertext()).split())
                     for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "Buys in store" in texts and "How to read the map" in texts
    families = {t.get("font-family") for t in root.iter() if t.get("font-family")}
    assert families and all(f.endswith(", sans-serif") for f in families)


def test_the_png_is_also_chosen_by_its_extension(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "summary.png"
    code, stdout, _ = run(["export", SAMPLE, str(out), "--width", "1000"], capsys)
    assert code == 0 and "1000 x" in stdout
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(("argv", "message"), [
    (["report.docx"], "cannot tell the format from .docx"),
    (["report"], "cannot tell the format from no extension"),
    (["report.xlsx", "--png", "other.png"], "give OUT or --png OUT, not both"),
    ([], "say which file to write"),
])
def test_bad_out_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       argv: list[str], message: str) -> None:
    argv = [str(tmp_path / a) if a.startswith(("report", "other")) else a for a in argv]
    code, stdout, stderr = run(["export", SAMPLE, *argv], capsys)
    assert (code, stdout) == (2, "")
    assert message in stderr and stderr.count("\n") == 1 and "Traceback" not in stderr
    assert list(tmp_path.iterdir()) == []


def test_a_failed_export_leaves_the_old_workbook(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "loop.json"
    project.write_text(json.dumps({"format": "cx-mapper/1", "name": "T", "journeys": [
        {"id": "j", "discount_rate": 0.0, "touchpoints": [{"id": "a", "entry": 1}, {"id": "b"}],
         "transitions": [{"from": "a", "to": "b", "probability": 1},
                         {"from": "b", "to": "a", "probability": 1}]}]}), encoding="utf-8")
    out = tmp_path / "old.xlsx"
    out.write_bytes(OLD)
    code, _, stderr = run(["export", str(project), str(out)], capsys)
    assert code == 2 and stderr.count("\n") == 1
    assert out.read_bytes() == OLD


def test_with_evidence_the_kpis_carry_their_intervals() -> None:
    """Files do not keep evidence yet: the workbook of a journey given evidence in memory."""
    import io

    project = read_project(SAMPLE)
    journey = project.journey("future")
    for tid, touchpoint in list(journey.touchpoints.items()):
        journey.touchpoints[tid] = dataclasses.replace(touchpoint, evidence=EvidenceSet.of(
            {"satisfaction": Evidence("survey", n=60, sd=0.5)}))
    figures = gather(project, analyze(project, "future"))
    sheet = load_workbook(io.BytesIO(xlsx_bytes(export_tables(figures))))["KPIs"]
    header = [cell.value for cell in sheet[1]]
    assert header[3:6] == ["Low (5%)", "Median", "High (95%)"]
    found = uncertainty(project, "future")
    rows = {row[-1].value: row for row in sheet.iter_rows(min_row=2)}
    for key, (low, mid, high) in found.intervals.items():
        scale = {kpi.key: kpi.scale for kpi in TOTAL_KPIS}[key]
        assert [c.value for c in rows[key][3:6]] == pytest.approx(
            [scale * low, scale * mid, scale * high], rel=1e-9, abs=1e-12)
        assert rows[key][3].number_format == rows[key][1].number_format
    loyalty = rows["loyalty_index"]
    assert loyalty[3].value < loyalty[1].value < loyalty[5].value  # a real interval
    touchpoints = [cell.value for cell in load_workbook(io.BytesIO(xlsx_bytes(
        export_tables(figures))))["Touchpoints"][1]]
    assert "Fix-first rank, median" in touchpoints


def test_without_evidence_there_are_no_interval_columns() -> None:
    project = without_evidence(read_project(SAMPLE))
    figures = gather(project, analyze(project, "future"))
    assert figures.uncertainty is None
    assert "Low (5%)" not in [c.label for c in kpi_table(figures).columns]

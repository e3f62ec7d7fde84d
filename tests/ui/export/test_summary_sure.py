"""How sure the summary is: with evidence, each KPI tile carries the engine's 90% interval,
a strip names what drives the spread and what to research next, the plan says how often
it is the best option; without evidence the page is exactly as before."""

from __future__ import annotations

import datetime as dt
import re
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, QRectF
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from cx_mapper.domain.journey import PlanSettings
from cx_mapper.domain.project import Project
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.kpis import CARD_KPIS
from cx_mapper.engine.uncertainty import Uncertainty, uncertainty
from cx_mapper.engine.uncertainty_report import uncertainty_lines
from cx_mapper.persistence.json_format import read_project
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.export import summary, summary_footer, summary_plan, summary_sure
from cx_mapper.ui.export.summary import BASE_WIDTH, render_summary, summary_layout
from cx_mapper.ui.export.summary_plan import plan_figures
from cx_mapper.ui.export.summary_sure import sure_figures
from cx_mapper.ui.main_window import MainWindow
from tests.factories import RETAIL_SAMPLE, with_evidence, without_evidence

DATE = dt.date(2025, 3, 14)
WIDTH = 1600  # design units = pixels: recorded rectangles compare with the layout's


@pytest.fixture(scope="module")
def plain() -> Project:
    return without_evidence(read_project(RETAIL_SAMPLE))


@pytest.fixture(scope="module")
def sure() -> Project:
    return with_evidence(read_project(RETAIL_SAMPLE))


@pytest.fixture(scope="module")
def found(sure: Project) -> Uncertainty:
    """What the summary shows: the default draws and seed, as the app and the CLI."""
    result = sure_figures(sure, "current")
    assert result is not None
    return result


class Painted:
    """Every text the page draws, with where it is drawn (design units)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.texts: list[tuple[str, QRectF]] = []
        for module in (summary, summary_footer, summary_plan, summary_sure):
            original = module.draw_text

            def record(painter: Any, rect: QRectF, text: str, *args: Any,
                       _original: Any = original, **kwargs: Any) -> None:
                self.texts.append((text, QRectF(rect)))
                _original(painter, rect, text, *args, **kwargs)

            monkeypatch.setattr(module, "draw_text", record)

    def words(self) -> list[str]:
        return [text for text, _ in self.texts]

    def inside(self, rect: QRect) -> list[str]:
        return [text for text, where in self.texts if QRectF(rect).contains(where.center())]


def same_pixels(a: QImage, b: QImage) -> bool:
    return a.size() == b.size() and a.constBits().tobytes() == b.constBits().tobytes()


def test_the_summary_uses_the_default_draws_and_seed_as_the_command_line(
        sure: Project, found: Uncertainty) -> None:
    assert (found.samples, found.seed) == (1000, 0) and found.inputs == 25
    cli = uncertainty(sure, "current")
    assert found.intervals == cli.intervals


def test_each_tile_shows_its_90_percent_interval_as_the_engine_finds_it(
        qapp: object, sure: Project, found: Uncertainty,
        monkeypatch: pytest.MonkeyPatch) -> None:
    painted = Painted(monkeypatch)
    analysis = analyze(sure, "current")
    render_summary(sure, analysis, width=WIDTH, uncertainty=found, date=DATE)
    layout = summary_layout(sure, analysis, width=WIDTH, uncertainty=found)
    intervals = [text for text in painted.inside(layout["kpis"]) if text.startswith("90%")]
    # The command line's table of the same analysis: KPI, median, 5%, 95%.
    rows = [re.split(r"\s{2,}", line.strip())
            for line in uncertainty_lines(sure.journey("current"), found)[2:13]]
    table = {label: figures for label, *figures in rows}
    expected = []
    for kpi in CARD_KPIS:
        _, low, high = table[kpi.label]
        expected.append("90%: no spread" if low == high else f"90%: {low} to {high}")
    assert [text.replace("−", "-") for text in intervals] == expected
    # By hand for the headline figure: the loyalty index from -100 to +100.
    low, _, high = found.intervals["loyalty_index"]
    assert intervals[0] == f"90%: {100 * low:+.1f} to {100 * high:+.1f}".replace("-", "−")
    assert intervals[-1] == "90%: no spread"  # no drawn input moves the conversion
    # Each sits in its own tile, left to right, under the value and above the unit.
    lefts = [where.left() for text, where in painted.texts if text in intervals]
    assert lefts == sorted(lefts) and len(lefts) == len(CARD_KPIS)


def test_the_how_sure_strip_names_the_drivers_and_what_to_research_next(
        qapp: object, sure: Project, found: Uncertainty,
        monkeypatch: pytest.MonkeyPatch) -> None:
    painted = Painted(monkeypatch)
    analysis = analyze(sure, "current")
    image = render_summary(sure, analysis, width=WIDTH, uncertainty=found, date=DATE)
    layout = summary_layout(sure, analysis, width=WIDTH, uncertainty=found)
    strip = layout["how_sure"]
    assert layout["kpis"].bottom() < strip.top() < strip.bottom() < layout["map"].top()
    words = painted.inside(strip)
    assert "What drives the spread of the loyalty index" in words  # the plan's objective
    top = found.drivers["loyalty_index"][:3]
    assert [d.label for d in top] == ["All consumers: memory (loyalty step)",
                                      "Social media service users: memory (loyalty step)",
                                      "Complains on social media: visibility"]
    for driver in top:
        assert driver.label in words and f"{driver.share:.0%}" in words
    # Every text of the strip fits in it.
    for text, where in painted.texts:
        if QRectF(strip).contains(where.center()):
            assert QRectF(strip).contains(where), text
    assert image.height() > layout["how_sure"].bottom()


def test_the_research_sentence_is_the_command_lines(
        qapp: object, sure: Project, found: Uncertainty) -> None:
    strip = summary_sure.SureStrip(sure.journey("current"), found, BASE_WIDTH - 128)
    line = uncertainty_lines(sure.journey("current"), found)[-1]
    assert line == ("Research next: nothing; the decision (which opportunities to fund for "
                    "120 k€, on loyalty index) is robust.")
    assert strip.research == "N" + line.removeprefix("Research next: n")


def test_the_plan_says_how_often_it_is_the_best_option(
        qapp: object, sure: Project, found: Uncertainty,
        monkeypatch: pytest.MonkeyPatch) -> None:
    painted = Painted(monkeypatch)
    analysis = analyze(sure, "current")
    plan = plan_figures(sure, "current")
    render_summary(sure, analysis, width=WIDTH, plan=plan, uncertainty=found, date=DATE)
    layout = summary_layout(sure, analysis, width=WIDTH, plan=plan, uncertainty=found)
    assert found.plan_chance is not None
    notes = [t for t in painted.inside(layout["plan"]) if "the best option in" in t]
    assert notes == [f"the plan is the best option in {found.plan_chance:.0%} of the 1,000 "
                     "draws of the uncertain inputs (the other options: the best plans for "
                     "lower budgets, and funding nothing)."]
    # The note takes its own row: the plan block grows to hold it.
    plain_plan = summary_layout(sure, analysis, width=WIDTH, plan=plan)
    assert layout["plan"].height() > plain_plan["plan"].height()


def test_a_plan_on_customer_value_explains_the_spread_of_customer_value(
        qapp: object, sure: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project = with_evidence(read_project(RETAIL_SAMPLE))
    project.journey("current").plan = PlanSettings(budget=120.0, objective={"value": 1.0})
    quick = uncertainty(project, "current", samples=200)
    painted = Painted(monkeypatch)
    render_summary(project, analyze(project, "current"), width=WIDTH, uncertainty=quick)
    assert "What drives the spread of the customer value" in painted.words()
    top = quick.drivers["value"][0]
    assert top.label in painted.words() and f"{top.share:.0%}" in painted.words()


def test_the_segment_ranges_are_stated_in_the_footer(
        qapp: object, sure: Project, found: Uncertainty,
        monkeypatch: pytest.MonkeyPatch) -> None:
    painted = Painted(monkeypatch)
    render_summary(sure, analyze(sure, "current"), width=WIDTH, uncertainty=found)
    words = painted.words()
    assert "Segment parameter (90% range)" in words
    assert "10 (5–20)" in words  # public reach, 1-9-90's rule of thumb
    assert "0.01 (0.002–0.05)" in words  # referral conversion, a pure assumption


def test_without_evidence_the_page_is_exactly_as_before(
        qapp: object, plain: Project, sure: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    assert sure_figures(plain, "current") is None  # nothing carries evidence: not analysed
    analysis = analyze(plain, "current")
    plan = plan_figures(plain, "current")
    before = render_summary(plain, analysis, width=800, plan=plan, date=DATE)
    # An uncertainty analysis with no uncertain input changes no pixel.
    nothing = uncertainty(plain, "current", samples=2)
    assert nothing.inputs == 0
    after = render_summary(plain, analysis, width=800, plan=plan, date=DATE,
                           uncertainty=nothing)
    assert same_pixels(before, after)
    layout = summary_layout(plain, analysis, plan=plan, uncertainty=nothing)
    assert "how_sure" not in layout
    assert layout == summary_layout(plain, analysis, plan=plan)
    painted = Painted(monkeypatch)
    render_summary(plain, analysis, width=800, plan=plan, uncertainty=nothing)
    assert not [w for w in painted.words() if re.search(r"^90%|How sure|range\)", w)]


def test_over_a_finite_horizon_the_page_shows_no_intervals(
        qapp: object, sure: Project, found: Uncertainty) -> None:
    analysis = analyze(sure, "current", horizon=12)
    with_found = render_summary(sure, analysis, width=800, date=DATE, uncertainty=found)
    without = render_summary(sure, analysis, width=800, date=DATE)
    assert same_pixels(with_found, without)


def test_an_analysis_of_another_journey_is_refused(
        qapp: object, sure: Project, found: Uncertainty) -> None:
    with pytest.raises(ValueError, match="uncertainty analysis is of journey 'current'"):
        render_summary(sure, analyze(sure, "future"), uncertainty=found)


def test_the_app_exports_the_intervals_computed_off_the_gui_thread(
        qtbot: QtBot, recovery_folder: str, no_modal_questions: None, sure: Project,
        found: Uncertainty, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cx_mapper.exports import figures as export_figures
    from cx_mapper.ui.export import summary
    from cx_mapper.ui.export.export_dialog import ExportChoice

    threads: list[threading.Thread] = []
    original = export_figures.journey_intervals

    def recorded(*args: Any) -> Any:
        threads.append(threading.current_thread())
        return original(*args)

    monkeypatch.setattr(export_figures, "journey_intervals", recorded)
    rendered: list[Any] = []
    render = summary.render_summary

    def render_recorded(project: Any, analysis: Any, **kwargs: Any) -> Any:
        rendered.append(kwargs.get("uncertainty"))
        return render(project, analysis, **{**kwargs, "width": 800})

    monkeypatch.setattr(summary, "render_summary", render_recorded)
    window = MainWindow(ProjectDocument(with_evidence(read_project(RETAIL_SAMPLE))),
                        recovery_folder=recovery_folder)
    qtbot.addWidget(window)
    window.show()
    path = tmp_path / "sure.png"
    window.ask_export = lambda _s: ExportChoice(".png", str(path))  # type: ignore[method-assign]
    window.action("export").trigger()
    qtbot.waitUntil(lambda: not window.exporter.is_busy(), timeout=60_000)
    assert path.exists()
    (used,) = rendered
    assert used is not None and threads and threads[0] is not threading.main_thread()
    assert used.journey_id == "current" and used.intervals == found.intervals


def test_tiles_grow_to_carry_the_interval_and_keep_their_unit_line(
        qapp: object, plain: Project, sure: Project, found: Uncertainty) -> None:
    bare = summary_layout(plain, analyze(plain, "current"), width=WIDTH)
    layout = summary_layout(sure, analyze(sure, "current"), width=WIDTH, uncertainty=found)
    assert layout["kpis"].height() - bare["kpis"].height() == summary_sure.INTERVAL_ROW
    assert layout["kpis"].width() == bare["kpis"].width()

"""KPI cards: the engine's figures as the user reads them, explained, and honest when a
journey cannot be analysed."""

from __future__ import annotations

import html

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from cx_mapper.domain.project import Project
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.kpis import CARD_KPIS, KPI_BY_KEY, KPIS, format_value, kpi_rows
from cx_mapper.engine.results import Analysis
from cx_mapper.persistence.json_format import read_project
from cx_mapper.ui.analysis.kpi_cards import KpiCards
from cx_mapper.ui.look import palette
from tests.factories import RETAIL_SAMPLE

SAMPLE = RETAIL_SAMPLE


@pytest.fixture(scope="module")
def project() -> Project:
    return read_project(SAMPLE)


@pytest.fixture(scope="module")
def current(project: Project) -> Analysis:
    return analyze(project, "current")


@pytest.fixture(scope="module")
def future(project: Project) -> Analysis:
    return analyze(project, "future")


@pytest.fixture
def cards(qtbot: QtBot) -> KpiCards:
    widget = KpiCards()
    qtbot.addWidget(widget)
    widget.resize(1300, 300)
    return widget


def no_conversion(project: Project) -> Analysis:
    plain = read_project(SAMPLE)
    journey = plain.journey("current")
    for tid, touchpoint in list(journey.touchpoints.items()):
        if touchpoint.conversion:
            journey.update_touchpoint(tid, conversion=False)
    return analyze(plain, "current")


def test_cards_show_the_engine_figures_formatted(cards: KpiCards, current: Analysis) -> None:
    cards.show_analysis(current)
    totals = current.totals
    assert totals.conversion_probability is not None
    assert cards.values() == {
        "loyalty_index": f"{100 * totals.loyalty_index:+.1f}",
        "value": f"{totals.value:,.2f}",
        "exposure_positive": f"{totals.exposure_positive:,.1f}",
        "exposure_negative": f"{totals.exposure_negative:,.1f}",
        "exposure_net": f"{totals.exposure_net:+,.1f}",
        "referral_r": f"{totals.referral_r:.3f}",
        "deterred": f"{totals.deterred:.3f}",
        "conversion_probability": f"{totals.conversion_probability:.1%}",
    }
    # The sample's figures, as `cx-mapper analyze` prints them.
    assert cards.values()["loyalty_index"] == "+6.6"
    assert cards.values()["conversion_probability"] == "17.7%"


def test_net_exposure_card_splits_public_and_private(cards: KpiCards,
                                                     current: Analysis) -> None:
    cards.show_analysis(current)
    detail = cards.card("exposure_net").findChild(QLabel, "kpiDetail")
    assert detail is not None
    totals = current.totals
    assert detail.text() == (f"{totals.exposure_public:,.1f} public · "
                             f"{totals.exposure_private:,.1f} private")


def test_every_card_explains_its_formula_and_source(cards: KpiCards) -> None:
    for kpi in CARD_KPIS:
        tooltip = cards.card(kpi.key).toolTip()
        assert kpi.label in tooltip
        assert "How the numbers are computed, §" in tooltip and "Source:" in tooltip
        assert html.escape(kpi.formula) in tooltip
        assert html.escape(kpi.source) in tooltip
    assert "American Express" in cards.card("exposure_positive").toolTip()
    assert "Nielsen" in cards.card("referral_r").toolTip()
    assert "Pfeifer" in cards.card("value").toolTip()


def test_signed_figures_take_the_satisfaction_colours(cards: KpiCards,
                                                      current: Analysis) -> None:
    cards.show_analysis(current)
    value = cards.card("loyalty_index").findChild(QLabel, "kpiValue")
    assert value is not None
    assert palette.LIGHT.good_text.name() in value.styleSheet()  # +6.6 is good


def test_a_journey_that_cannot_be_analysed_shows_why(cards: KpiCards,
                                                     current: Analysis) -> None:
    cards.show_analysis(current)
    reason = "Touchpoint 'ad' sends 110% of its customers onward; at most 100% can leave."
    cards.show_analysis(None, reason)
    assert cards.values() == {}
    text = cards.message_text()
    assert "Cannot analyse this journey" in text and "110%" in text
    assert not cards.card("value").isVisibleTo(cards)
    cards.show_analysis(current)
    assert cards.message_text() == ""
    assert cards.values()["value"] == f"{current.totals.value:,.2f}"


def test_no_conversion_touchpoint_shows_a_dash_and_says_why(cards: KpiCards,
                                                            project: Project) -> None:
    analysis = no_conversion(project)
    cards.show_analysis(analysis)
    assert cards.values()["conversion_probability"] == "—"
    detail = cards.card("conversion_probability").findChild(QLabel, "kpiDetail")
    assert detail is not None and detail.text() == "no conversion touchpoint"


def test_delta_shows_the_change_coloured_by_what_is_better(cards: KpiCards, current: Analysis,
                                                           future: Analysis) -> None:
    cards.show_delta(current, future, "Current state")
    assert cards.values()["loyalty_index"] == f"{100 * future.totals.loyalty_index:+.1f}"

    def detail(key: str) -> tuple[str, str]:
        found = cards.card(key).findChild(QLabel, "kpiDetail")
        assert found is not None
        return found.text(), found.styleSheet()

    good, bad = palette.LIGHT.satisfaction[2].name(), palette.LIGHT.satisfaction[0].name()
    change = future.totals.exposure_negative - current.totals.exposure_negative
    text, colour = detail("exposure_negative")
    assert change < 0  # the future state has less bad word of mouth: better
    assert text == f"{change:+,.1f} vs Current state".replace("-", "−")
    assert good in colour
    text, colour = detail("loyalty_index")
    assert text.startswith("+0.5") and good in colour
    assert bad not in detail("referral_r")[1]


def test_cards_reflow_into_columns_that_fit(qtbot: QtBot, current: Analysis) -> None:
    host = KpiCards()
    qtbot.addWidget(host)
    host.show_analysis(current)
    host.resize(1300, 200)
    host.show()
    qtbot.waitExposed(host)
    tops = {host.card(k.key).geometry().top() for k in CARD_KPIS}
    assert len(tops) == 1  # one row of eight
    host.resize(500, 400)
    qtbot.wait(10)
    assert len({host.card(k.key).geometry().top() for k in CARD_KPIS}) >= 3
    for kpi in CARD_KPIS:
        assert host.card(kpi.key).geometry().right() <= host.width()


def test_kpi_rows_list_every_figure_for_the_summary(current: Analysis,
                                                    project: Project) -> None:
    rows = kpi_rows(current)
    labels = [label.strip() for label, _ in rows]
    assert labels == [kpi.label for kpi in KPIS]
    texts = dict((label.strip(), text) for label, text in rows)
    assert texts["Loyalty index"] == "+6.6"
    assert texts["of which public"] == f"{current.totals.exposure_public:,.1f}"
    assert "Conversion" not in {label for label, _ in kpi_rows(no_conversion(project))}


def test_negative_numbers_use_a_true_minus(current: Analysis) -> None:
    kpi = KPI_BY_KEY["exposure_net"]
    assert kpi.text(current).startswith("+")
    assert format_value(kpi, -3.4) == "−3.4"
    assert format_value(KPI_BY_KEY["value"], None) == "—"


def _has_colour_near(label: QLabel, target: QColor, tolerance: int = 40) -> bool:
    image = label.grab().toImage()
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if (abs(pixel.red() - target.red()) + abs(pixel.green() - target.green())
                    + abs(pixel.blue() - target.blue())) < tolerance:
                return True
    return False


def test_a_figure_being_updated_is_greyed_not_coloured(cards: KpiCards, current: Analysis) -> None:
    """A signed figure is green or vermillion; while its card is disabled (a newer
    result is on its way) the colour must go, or the stale figure reads as current."""
    cards.show_analysis(current)
    value = cards.card("loyalty_index").findChild(QLabel, "kpiValue")
    assert current.totals.loyalty_index > 0
    green = palette.current_palette().good_text
    assert _has_colour_near(value, green)
    cards.setEnabled(False)
    assert not _has_colour_near(value, green)
    cards.setEnabled(True)
    assert _has_colour_near(value, green)

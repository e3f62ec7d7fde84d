"""Splitting the tall summary into paper pages: each band of parts on one page, whole,
in order, within the margins; side-by-side parts together; a band too tall shrunk."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cx_mapper.exports.paging import Band, bands, paginate


def test_parts_side_by_side_form_one_band_and_the_rest_stay_apart() -> None:
    found = bands([("top", 52, 400), ("map", 450, 1100), ("over_time", 1150, 1480),
                   ("exposure", 1150, 1480), ("fix_first", 1530, 1850),
                   ("removal", 1530, 1850), ("footer", 1900, 2000)])
    assert [band.keys for band in found] == [("top",), ("map",), ("over_time", "exposure"),
                                            ("fix_first", "removal"), ("footer",)]
    assert (found[2].top, found[2].bottom) == (1150, 1480)


def test_bands_fill_a_page_then_start_the_next_at_its_top_margin() -> None:
    page_bands = bands([("a", 0, 300), ("b", 340, 640), ("c", 680, 980)])
    pages = paginate(page_bands, 800, top=40, bottom=60)
    # a at 40-340, b at 380-680 (the 40 gap kept); c would end at 1020 > 740: next page.
    assert [[(p.band.keys, p.y, p.scale) for p in page] for page in pages] == [
        [(("a",), 40, 1.0), (("b",), 380, 1.0)], [(("c",), 40, 1.0)]]


def test_a_band_taller_than_a_page_is_shrunk_onto_a_page_of_its_own() -> None:
    pages = paginate([Band(0, 100, ("a",)), Band(120, 2120, ("big",))], 1000, top=50,
                     bottom=50)
    assert len(pages) == 2
    (big,) = pages[1]
    assert big.scale == pytest.approx(900 / 2000)
    assert (big.y, big.bottom) == (50, pytest.approx(950))


def test_a_band_that_nearly_fits_is_shrunk_a_little_rather_than_moved_on() -> None:
    pages = paginate([Band(0, 400, ("a",)), Band(420, 920, ("b",))], 1000, top=0,
                     bottom=100)
    # 480 free below a; b is 500 tall: 0.96 of it fits, so it stays on the first page.
    assert len(pages) == 1
    assert pages[0][1].scale == pytest.approx(480 / 500)


def test_a_page_without_room_between_its_margins_is_refused() -> None:
    with pytest.raises(ValueError, match="no room"):
        paginate([Band(0, 10, ("a",))], 100, top=60, bottom=40)


@given(st.lists(st.tuples(st.floats(0, 3000), st.floats(1, 1500)), min_size=1, max_size=30),
       st.floats(300, 3000))
def test_every_band_is_on_exactly_one_page_whole_in_order_within_the_margins(
        spans: list[tuple[float, float]], height: float) -> None:
    parts = [(f"p{k}", top, top + size) for k, (top, size) in enumerate(spans)]
    page_bands = bands(parts)
    pages = paginate(page_bands, height, top=40, bottom=60)
    placed = [p for page in pages for p in page]
    assert [p.band for p in placed] == page_bands
    assert sorted(key for band in page_bands for key in band.keys) == sorted(
        key for key, _, _ in parts)
    for page in pages:
        for upper, lower in zip(page, page[1:], strict=False):
            assert lower.y >= upper.bottom - 1e-9
        for p in page:
            assert p.y >= 40 - 1e-9 and p.bottom <= height - 60 + 1e-6
            assert 0 < p.scale <= 1

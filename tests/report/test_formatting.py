from decimal import Decimal

import pytest

from communities.report import formatting as fmt


@pytest.mark.parametrize(
    ("yuan", "expected"),
    [
        (3675700, "367.57万元"),
        (Decimal("2097900"), "209.79万元"),
        (12350, "1.24万元"),  # half up, as by hand (1.235 -> 1.24), not to even
        (0, "0.00万元"),
        (None, "—"),
    ],
)
def test_money_is_written_in_wan_yuan_with_two_decimals(yuan, expected):
    assert fmt.wan_yuan(yuan) == expected


@pytest.mark.parametrize(
    ("m2", "expected"),
    [(4980, "4980平方米"), (355.66, "355.7平方米"), (Decimal("300.00"), "300平方米"), (0.04, "0平方米"), (None, "—")],
)
def test_areas_are_square_metres_with_at_most_one_decimal(m2, expected):
    assert fmt.area(m2) == expected


@pytest.mark.parametrize(
    ("rate", "expected"),
    [(0.6, "60.0%"), (0.173, "17.3%"), (0.08265, "8.3%"), (1, "100.0%"), (0, "0.0%"), (None, "—")],
)
def test_rates_are_percentages_with_one_decimal(rate, expected):
    assert fmt.percent(rate) == expected


def test_counts_carry_their_measure_word_and_missing_figures_a_dash():
    assert fmt.count(14, "个") == "14个"
    assert fmt.count(37.0, "人") == "37人"
    assert fmt.count(None, "人") == "—"
    assert fmt.ratio(287.46, "户") == "287.5户"
    assert fmt.yuan(1400) == "1400元"
    assert fmt.yuan_precise(8.5) == "8.5元"


def test_changes_are_signed_and_never_negative_zero():
    assert fmt.change(5200, 4250) == "+950"
    assert fmt.change(0.764, 1.0, fmt.percent) == "-23.6%"
    assert fmt.change(0.23, 0.184, fmt.points) == "+4.6个百分点"
    assert fmt.change(0.5, 0.5, fmt.points) == "0.0个百分点"
    assert fmt.change(3, 3) == "0"
    assert fmt.change(-0.0001, 0, fmt.percent) == "0.0%"
    assert fmt.change(None, 3) == "—"
    assert fmt.growth(110, 100) == "+10.0%"
    assert fmt.growth(5, 0) == "—"

"""graphmodel.numbers: one rule per kind of number, checked on hand-written values."""

import math

import pytest

from graphmodel import numbers


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.9996, "99.96%"),  # never 100.0% for what is not exactly 1
        (1.0, "100.0%"),
        (0.0, "0.0%"),
        (1e-5, "0.001%"),  # never 0.0% for what is not exactly 0
        (0.007585, "0.8%"),
        (0.123, "12.3%"),
        (0.99949, "99.9%"),  # rounds down, not onto 100: one decimal is enough
        (-0.0004, "-0.04%"),
        (1e-12, "<0.000001%"),
        (1 - 1e-12, ">99.999999%"),
        (float("nan"), "n/a"),
        (None, "n/a"),
    ],
)
def test_shares_are_percentages_that_never_round_onto_0_or_100(value, shown):
    assert numbers.share(value) == shown


def test_the_bounded_rule_adds_decimals_only_where_needed():
    assert numbers.share(0.9995) == "99.95%"  # 100.0 at 1 decimal, 99.95 at 2
    assert numbers.share(0.99951) == "99.95%"
    assert numbers.share(0.5) == "50.0%"
    assert numbers.gini(0.9996) == "0.9996"
    assert numbers.gini(0.004) == "0.004"
    assert numbers.gini(1.0) == "1.00"
    assert numbers.percent(-0.00001, signed=True) == "-0.00001%"
    assert numbers.percent(12.345, signed=True) == "+12.3%"
    assert numbers.percent(0.0, signed=True) == "0.0%"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (33730.5, "33,730.50"),
        (3576.19, "3,576.19"),
        (113750, "113,750.00"),
        (-1234.5, "-1,234.50"),
        (-0.001, "0.00"),  # no negative zero
        (1e20, "100,000,000,000,000,000,000.00"),  # never scientific
        (0.0001, "0.00"),
        (float("inf"), "inf"),
    ],
)
def test_money_has_two_decimals_and_separators(value, shown):
    assert numbers.yuan(value) == shown


def test_counts_hours_ratios_and_parameters():
    assert numbers.count(113750) == "113,750"
    assert numbers.count(3.0) == "3"
    assert numbers.count(-2) == "-2"
    assert numbers.hours(2021.355) == "2,021.36"  # 2021.355 is 2021.35499... in binary
    assert numbers.hours(2021.3551) == "2,021.36"
    assert numbers.hours(0) == "0.00"
    assert numbers.ratio(7.1649) == "7.16"
    assert numbers.ratio(-3.5) == "-3.50"
    assert numbers.ratio(0.001) == "0.001"  # not 0.00
    assert numbers.plain(0.0001) == "0.0001"
    assert numbers.plain(1e-5) == "0.00001"  # not 1e-05
    assert numbers.plain(1.5e-5) == "0.000015"
    assert numbers.plain(24.0) == "24"
    assert numbers.plain(33730.5) == "33730.5"
    assert numbers.plain("decay") == "decay"
    assert numbers.plain(math.nan) == "n/a"


def test_number_dispatches_on_the_kind():
    assert numbers.number("share", 0.9996) == numbers.share(0.9996) == "99.96%"
    assert numbers.number("yuan", 33730.5) == "33,730.50"
    assert numbers.number("wage", 3.539) == "3.54"
    assert numbers.number("count", 6) == "6"
    assert numbers.number("unknown", 0.5) == "0.5"

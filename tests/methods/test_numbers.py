"""One formatter for numbers and percentages on the projector, the phone and in the protocol."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from methods.numbers import number, percent, signed_percent


@pytest.mark.parametrize(("value", "lang", "expected"), [
    (83.3, "de", "83,3 %"), (83.3, "en", "83.3%"), (50.0, "de", "50 %"), (50, "en", "50%"),
    (0.05, "de", "0,1 %"), (None, "de", "–"), (True, "de", "–"), ("80", "de", "–"),
])
def test_percent(value: object, lang: str, expected: str) -> None:
    assert percent(value, lang) == expected


def test_number_keeps_its_digits_and_counts_stay_whole() -> None:
    assert number(2.5, "de", 2) == "2,50"
    assert number(3.0, "de", 2) == "3,00"  # a column of means stays aligned
    assert number(12, "en") == "12"


def test_signed_percent() -> None:
    assert signed_percent(17, "de") == "+17 %"
    assert signed_percent(-3.5, "de") == "−3,5 %"
    assert signed_percent(0, "en") == "±0%"
    assert signed_percent(None, "de") == ""


@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_german_and_english_say_the_same_number(value: float) -> None:
    de, en = percent(value, "de"), percent(value, "en")
    assert de.removesuffix(" %").replace(",", ".") == en.removesuffix("%")

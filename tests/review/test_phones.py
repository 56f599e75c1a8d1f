"""Every common way of writing an Iranian number normalizes to +98XXXXXXXXXX; nothing else passes."""

from __future__ import annotations

import pytest

from review.phones import InvalidPhoneNumber, normalize_iranian_phone


@pytest.mark.parametrize(
    "written",
    [
        "09121234567",
        "9121234567",
        "+989121234567",
        "+98 912 123 4567",
        "+98-912-123-4567",
        "+98 (912) 123 45 67",
        "+98 0912 123 4567",
        "0098 912 123 4567",
        "00989121234567",
        "989121234567",
        "98 912 123 4567",
        "0912-123-4567",
        "0912 123 4567",
        "(0912) 123-4567",
        "0912.123.4567",
        " 0912 123 4567 ",
        "۰۹۱۲۱۲۳۴۵۶۷",
        "۰۹۱۲ ۱۲۳ ۴۵۶۷",
        "+۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷",
        "٠٩١٢١٢٣٤٥٦٧",
        "\u200e0912 123 4567\u200f",
    ],
)
def test_an_iranian_mobile_written_any_common_way_normalizes(written: str) -> None:
    assert normalize_iranian_phone(written) == "+989121234567"


@pytest.mark.parametrize(
    "written,expected", [("0935 765 4321", "+989357654321"), ("021 8877 6655", "+982188776655")]
)
def test_other_operators_and_landlines_normalize(written: str, expected: str) -> None:
    assert normalize_iranian_phone(written) == expected


@pytest.mark.parametrize(
    "written",
    [
        "",
        "   ",
        "12345",
        "0912123456",  # a digit short
        "091212345678",  # a digit long
        "+1 415 555 0123",  # valid, but not Iranian
        "+44 20 7946 0958",
        "0912ABC4567",
        "call me maybe",
        "+98 912 123 456",
        "0912 123 4567 ext 2",
    ],
)
def test_anything_else_is_rejected(written: str) -> None:
    with pytest.raises(InvalidPhoneNumber):
        normalize_iranian_phone(written)

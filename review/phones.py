"""Iranian phone numbers as founders type them, normalized to E.164 (+98XXXXXXXXXX)."""

from __future__ import annotations

import re

import phonenumbers

# Founders type on Persian keyboards as often as on Latin ones.
_TO_ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
# Invisible marks a Persian keyboard or a copy from a chat app leaves around numbers.
_INVISIBLE = re.compile("[\u200c\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
# Digits and the separators people write between them; anything else (letters, which
# phonenumbers would read as a keypad vanity number) is not a phone number.
_WRITTEN_NUMBER = re.compile(r"^\+?[\d\s\-().\u00a0/]+$")


class InvalidPhoneNumber(ValueError):
    pass


def normalize_iranian_phone(raw: str) -> str:
    """`+98XXXXXXXXXX` for any valid Iranian number however it is written (0912..., 912...,
    +98 912..., 0098..., 98912..., spaces, dashes, dots, brackets, Persian or Arabic digits).

    Raises InvalidPhoneNumber for anything else, including valid numbers of other countries.
    """
    written = _INVISIBLE.sub("", raw.translate(_TO_ASCII_DIGITS)).strip()
    if not written or not _WRITTEN_NUMBER.match(written):
        raise InvalidPhoneNumber("Enter an Iranian phone number, e.g. 0912 123 4567.")
    digits = re.sub(r"\D", "", written)
    if written.startswith("+"):
        candidate = f"+{digits}"
    elif digits.startswith("0098"):
        candidate = f"+{digits[2:]}"
    elif digits.startswith("98") and len(digits) in (12, 13):
        candidate = f"+{digits}"  # the country code without its "+"
    else:
        candidate = digits
    # "+98 0912 ..." keeps the national trunk 0 after the country code; drop it.
    if candidate.startswith("+980") and len(candidate) == 14:
        candidate = "+98" + candidate[4:]
    try:
        number = phonenumbers.parse(candidate, "IR")
    except phonenumbers.NumberParseException:
        raise InvalidPhoneNumber("Enter an Iranian phone number, e.g. 0912 123 4567.") from None
    if number.country_code != 98 or not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber("This is not a valid Iranian phone number.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

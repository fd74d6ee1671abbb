"""Indonesian phone numbers, stored one way: E.164 (`+6281234567890`).

People write them as `0812-3456-7890`, `+62 812 3456 7890`, `62812…` or `(0285) 421 093`; all
are parsed with Google's libphonenumber (the `phonenumbers` package) for Indonesia and kept in
E.164, so that a `tel:` link and a WhatsApp link (`https://wa.me/<digits>`) can be built from
any of them. A number that is not a valid Indonesian one is refused (a 422 in a request body).
"""

from __future__ import annotations

import re
from typing import Annotated

import phonenumbers
from pydantic import AfterValidator, Field

from pembina.kit.i18n import Localised

#: What a phone number may be written with before it is parsed.
_WRITTEN = re.compile(r"^\+?[\d\s().\-/]{6,32}$")
_NOT_A_PHONE = (
    "not a phone number: write it as 0812-3456-7890 or +62 812 3456 7890",
    "bukan nomor telepon: tulis seperti 0812-3456-7890 atau +62 812 3456 7890",
)


def normalise_phone(value: str) -> str:
    """An Indonesian number as written (0812-3456-7890, +62 812..., 62812...) in E.164 (+62...).

    ValueError for anything that is not a valid Indonesian phone number."""
    text = value.strip()
    if not _WRITTEN.match(text):
        raise Localised(*_NOT_A_PHONE)
    if text.startswith("62"):  # the country code written without its '+'
        text = "+" + text
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        raise Localised(*_NOT_A_PHONE) from None
    if number.country_code != 62:
        raise Localised("only Indonesian numbers (+62) are recorded", "hanya nomor Indonesia (+62) yang dicatat")
    if not phonenumbers.is_valid_number(number):
        raise Localised("not a valid Indonesian phone number", "bukan nomor telepon Indonesia yang sah")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def wa_digits(e164: str) -> str:
    """The digits wa.me takes (E.164 without its '+')."""
    return e164.lstrip("+")


#: A phone number in a request body: any Indonesian form in, E.164 stored.
PhoneNumber = Annotated[
    str,
    Field(
        max_length=32,
        description="An Indonesian phone number (0812-3456-7890, +62 812 3456 7890, 62812...): stored in E.164 (+6281234567890).",
        examples=["0812-3456-7890"],
    ),
    AfterValidator(normalise_phone),
]


def is_mobile(e164: str) -> bool:
    """Whether a stored number is a mobile one (WhatsApp needs one; a landline gets only `tel:`)."""
    number = phonenumbers.parse(e164, "ID")
    return phonenumbers.number_type(number) in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)

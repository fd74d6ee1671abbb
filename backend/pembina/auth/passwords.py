"""Which passwords are accepted (NIST SP 800-63B, memorized secrets).

At least 12 characters and at most 256; no composition rules (no "one digit, one symbol");
refused: a password that is or contains the username, a common password (the 30,000 most
common ones from zxcvbn's frequency lists, shipped with the `zxcvbn` package, also with
trailing digits or symbols stripped: "password1234"), and one character or a short pattern
repeated ("aaaaaaaaaaaa", "abcabcabcabc").
"""

from __future__ import annotations

import re
from functools import lru_cache

from pembina.kit.errors import ValidationProblem

MIN_LENGTH = 12
MAX_LENGTH = 256


@lru_cache
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


_TRAILING = re.compile(r"[\d\W_]+$")


def problem(password: str, username: str | None = None) -> str | None:
    """Why `password` is refused, in plain words, or None when it is accepted."""
    if len(password) < MIN_LENGTH:
        return f"The password is too short: use at least {MIN_LENGTH} characters (a few words make a good one)."
    if len(password) > MAX_LENGTH:
        return f"The password is too long: use at most {MAX_LENGTH} characters."
    lowered = password.lower()
    name = (username or "").strip().lower()
    if name and (lowered == name or (len(name) >= 4 and name in lowered)):
        return "The password must not contain the username."
    if re.fullmatch(r"(.{1,4}?)\1+", lowered):
        return "The password is one character or a short pattern repeated: choose something less predictable."
    common = _common()
    stripped = _TRAILING.sub("", lowered)
    if lowered in common or (stripped and stripped in common):
        return "The password is among the most common passwords, which attackers try first: choose another."
    return None


def check(password: str, username: str | None = None, field: str = "new_password") -> None:
    """Raise a 422 naming why `password` is refused."""
    why = problem(password, username)
    if why:
        raise ValidationProblem(why, loc=["body", field])

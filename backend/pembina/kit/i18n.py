"""The caller's language and the words the API says in it.

Every request is answered in Indonesian (the default) or English, chosen from its
`Accept-Language` header (RFC 9110 §12.5.4: language ranges with q-values; `en-US` is English,
`*` and anything else the default). `LanguageMiddleware` sets the language for the request;
`tr(en, id, **params)` is a text given in both languages, rendered in the request's language
(English outside a request: the CLI, logs). Problem details (`pembina.kit.errors`) render their
titles, details and validation messages through it.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from typing import Any, Literal

from starlette.types import ASGIApp, Receive, Scope, Send

Language = Literal["id", "en"]
LANGUAGES: tuple[Language, ...] = ("id", "en")
DEFAULT: Language = "id"

_current: ContextVar[Language] = ContextVar("pembina_language", default="en")

_RANGE = re.compile(r"^\s*([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([01](?:\.\d{0,3})?))?\s*$")


def negotiate(header: str | None) -> Language:
    """The best of Indonesian and English for an `Accept-Language` header (Indonesian when none
    is acceptable, the header is absent or it cannot be read)."""
    if not header:
        return DEFAULT
    best: tuple[float, int, Language] | None = None
    for position, part in enumerate(header[:1000].split(",")[:32]):
        m = _RANGE.match(part)
        if m is None:
            continue
        tag, q = m.group(1).lower(), float(m.group(2)) if m.group(2) else 1.0
        primary = tag.split("-", 1)[0]
        language: Language | None = DEFAULT if primary == "*" else ("id" if primary in ("id", "in") else "en" if primary == "en" else None)
        if language is None or q <= 0:
            continue
        # highest q first; among equals, the one listed first
        if best is None or q > best[0]:
            best = (q, position, language)
    return best[2] if best else DEFAULT


def current() -> Language:
    """The language of the request being served (English outside a request)."""
    return _current.get()


def use(language: Language) -> Any:
    """Set the language for what follows in this context; returns the token to reset it with."""
    return _current.set(language)


def reset(token: Any) -> None:
    """Undo `use`."""
    _current.reset(token)


def tr(en: str, id: str, **params: Any) -> str:
    """`en` or `id` (formatted with `params`, `str.format` style) in the current language."""
    text = id if current() == "id" else en
    return text.format(**params) if params else text


class LanguageMiddleware:
    """Sets the request's language from `Accept-Language` for everything that runs for it (the
    endpoint, its thread, the error handlers), and says which it answered in
    (`Content-Language`, `Vary: Accept-Language`). Paths under `static_prefixes` (files that are
    the same in every language, e.g. the dashboard's scripts) are passed through unlabelled."""

    def __init__(self, app: ASGIApp, static_prefixes: tuple[str, ...] = ()) -> None:
        self.app = app
        self.static_prefixes = static_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (self.static_prefixes and scope["path"].startswith(self.static_prefixes)):
            await self.app(scope, receive, send)
            return
        header = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"accept-language"), None)
        language = negotiate(header)
        token = _current.set(language)

        async def send_with_language(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                if b"content-language" not in names:
                    headers.append((b"content-language", language.encode()))
                vary = [i for i, (k, _) in enumerate(headers) if k.lower() == b"vary"]
                if vary:
                    k, v = headers[vary[0]]
                    if b"accept-language" not in v.lower():
                        headers[vary[0]] = (k, v + b", Accept-Language")
                else:
                    headers.append((b"vary", b"Accept-Language"))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_language)
        finally:
            _current.reset(token)


# -- validation messages -----------------------------------------------------------------

#: pattern -> what it asks for, in words (en, id): a pattern is never shown to a person.
_PATTERN_WORDS: dict[str, tuple[str, str]] = {}


def describe_pattern(pattern: str, en: str, id: str) -> str:
    """Register what a field's regular expression asks for, in words; returns the pattern."""
    _PATTERN_WORDS[pattern] = (en, id)
    return pattern


def _pattern(ctx: dict[str, Any]) -> tuple[str, str]:
    pattern = str(ctx.get("pattern", ""))
    if pattern in _PATTERN_WORDS:
        en, id = _PATTERN_WORDS[pattern]
        return f"must be {en}", f"harus berupa {id}"
    if pattern.startswith("^-?("):  # a list's `sort` (pembina.kit.pagination)
        return "is not a sort key of this list", "bukan kunci urutan daftar ini"
    return "has an invalid format", "formatnya tidak valid"


def _n(value: Any) -> str:
    return f"{value:,}".replace(",", ".") if current() == "id" and isinstance(value, int) else str(value)


#: Pydantic error type -> (en, id) templates over the error's context (`{min_length}`, ...).
_MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("is required", "wajib diisi"),
    "extra_forbidden": ("is not a field of this request", "bukan isian yang dikenal"),
    "string_type": ("must be text", "harus berupa teks"),
    "string_too_short": ("must have at least {min_length} character(s)", "minimal {min_length} karakter"),
    "string_too_long": ("must have at most {max_length} characters", "maksimal {max_length} karakter"),
    "string_unicode": ("must be valid text (UTF-8)", "harus berupa teks yang sah (UTF-8)"),
    "too_short": ("must have at least {min_length} item(s)", "minimal {min_length} butir"),
    "too_long": ("must have at most {max_length} items", "maksimal {max_length} butir"),
    "int_type": ("must be a whole number", "harus berupa bilangan bulat"),
    "int_parsing": ("must be a whole number", "harus berupa bilangan bulat"),
    "int_from_float": ("must be a whole number", "harus berupa bilangan bulat"),
    "int_parsing_size": ("is too large a number", "angkanya terlalu besar"),
    "float_type": ("must be a number", "harus berupa angka"),
    "float_parsing": ("must be a number", "harus berupa angka"),
    "finite_number": ("must be a finite number", "harus berupa angka berhingga"),
    "decimal_parsing": ("must be a number", "harus berupa angka"),
    "decimal_type": ("must be a number", "harus berupa angka"),
    "bool_type": ("must be true or false", "harus true atau false"),
    "bool_parsing": ("must be true or false", "harus true atau false"),
    "greater_than": ("must be greater than {gt}", "harus lebih besar dari {gt}"),
    "greater_than_equal": ("must be at least {ge}", "minimal {ge}"),
    "less_than": ("must be less than {lt}", "harus kurang dari {lt}"),
    "less_than_equal": ("must be at most {le}", "maksimal {le}"),
    "multiple_of": ("must be a multiple of {multiple_of}", "harus kelipatan {multiple_of}"),
    "enum": ("must be one of {expected}", "harus salah satu dari {expected}"),
    "literal_error": ("must be one of {expected}", "harus salah satu dari {expected}"),
    "date_type": ("must be a date (YYYY-MM-DD)", "harus berupa tanggal (YYYY-MM-DD)"),
    "date_parsing": ("must be a date (YYYY-MM-DD)", "harus berupa tanggal (YYYY-MM-DD)"),
    "date_from_datetime_parsing": ("must be a date (YYYY-MM-DD)", "harus berupa tanggal (YYYY-MM-DD)"),
    "date_from_datetime_inexact": ("must be a date without a time", "harus berupa tanggal tanpa jam"),
    "datetime_type": ("must be a date and time", "harus berupa tanggal dan jam"),
    "datetime_parsing": ("must be a date and time (ISO 8601)", "harus berupa tanggal dan jam (ISO 8601)"),
    "datetime_from_date_parsing": ("must be a date and time (ISO 8601)", "harus berupa tanggal dan jam (ISO 8601)"),
    "timezone_aware": ("must carry a time zone", "harus menyertakan zona waktu"),
    "list_type": ("must be a list", "harus berupa daftar"),
    "dict_type": ("must be an object", "harus berupa objek"),
    "model_type": ("must be an object", "harus berupa objek"),
    "model_attributes_type": ("must be an object", "harus berupa objek"),
    "json_invalid": ("is not valid JSON", "bukan JSON yang sah"),
    "json_type": ("must be JSON", "harus berupa JSON"),
    "uuid_parsing": ("must be a UUID", "harus berupa UUID"),
    "url_parsing": ("must be a URL", "harus berupa URL"),
    "url_scheme": ("must be an http(s) URL", "harus berupa URL http(s)"),
    "bytes_too_long": ("is too long", "terlalu panjang"),
    "union_tag_invalid": ("has an unknown kind", "jenisnya tidak dikenal"),
    "union_tag_not_found": ("must say its kind", "harus menyebut jenisnya"),
    "frozen_field": ("cannot be changed", "tidak dapat diubah"),
    "none_required": ("must be empty", "harus kosong"),
}


class Localised(ValueError):
    """A validator's error in both languages: `raise Localised(en, id)` inside a Pydantic
    validator; the problem's message is in the caller's language."""

    def __init__(self, en: str, id: str, **params: Any) -> None:
        self.en, self.id, self.params = en, id, params
        super().__init__(en.format(**params) if params else en)

    def render(self) -> str:
        return tr(self.en, self.id, **self.params)


def _expected(value: Any) -> str:
    text = str(value)
    return text.replace(" or ", " atau ") if current() == "id" else text


def validation_message(error: dict[str, Any]) -> str:
    """A worded message (current language) for one Pydantic error: its limits, never a pattern."""
    kind = str(error.get("type", ""))
    ctx = dict(error.get("ctx") or {})
    if kind == "string_pattern_mismatch":
        return tr(*_pattern(ctx))
    if kind in ("value_error", "assertion_error"):
        cause = ctx.get("error")
        if isinstance(cause, Localised):
            return cause.render()
        msg = str(error.get("msg", ""))
        return msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    template = _MESSAGES.get(kind)
    if template is None:
        return tr("is invalid", "tidak valid") if current() == "id" or "pattern" in str(error.get("msg", "")) else str(error.get("msg"))
    params = {k: _n(v) for k, v in ctx.items() if isinstance(v, int | float) and not isinstance(v, bool)}
    if "expected" in ctx:
        params["expected"] = _expected(ctx["expected"])
    try:
        text = tr(*template, **params)
        if "(s)" in text:  # English: one character, two characters
            count = next((ctx[k] for k in ("min_length", "max_length") if k in ctx), 2)
            text = text.replace("(s)", "" if count == 1 else "s")
        return text
    except (KeyError, IndexError):  # a context this template does not expect
        return tr(template[0].split(" {")[0], template[1].split(" {")[0])

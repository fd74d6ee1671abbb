"""Shared, validated request parameters."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Self, TypeVar

from fastapi import Path
from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema
from pembina.kit.i18n import Localised, describe_pattern

T = TypeVar("T")

#: A PATCH field that may be omitted but not set to null (null is hidden from the schema and
#: refused by the service with a 422).
Omittable = SkipJsonSchema[None]

#: Largest id a 32-bit integer primary key holds: larger ids are a 422, never a database error.
MAX_ID = 2_147_483_647

CODE_PATTERN = describe_pattern(
    r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$",
    "a Kemendagri region code such as 33, 33.75, 33.75.02 or 33.75.02.1008",
    "kode wilayah Kemendagri seperti 33, 33.75, 33.75.02 atau 33.75.02.1008",
)

RecordId = Annotated[int, Path(ge=1, le=MAX_ID, description="The record's id.")]

#: An id given in a body (e.g. a list of posyandu ids).
IdField = Annotated[int, Field(ge=1, le=MAX_ID)]

RegionCodeField = Annotated[
    str, Field(pattern=CODE_PATTERN, max_length=13, description="Dotted Kemendagri code, e.g. `33.75.02.1008`.", examples=["33.75"])
]


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _iso_only(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO.match(value):
        raise Localised(
            "expected an ISO 8601 date-time with a timezone, e.g. 2025-06-25T00:00:00+07:00",
            "harus tanggal dan jam ISO 8601 dengan zona waktu, misalnya 2025-06-25T00:00:00+07:00",
        )
    return value


#: An ISO 8601 date-time with a timezone (no unix timestamps, no naive times).
IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_iso_only)]


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date_only(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise Localised("expected an ISO 8601 date, e.g. 2025-06-25", "harus tanggal ISO 8601, misalnya 2025-06-25")
    return value


#: An ISO 8601 calendar date (YYYY-MM-DD), nothing else.
IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]


class Input(BaseModel):
    """Base of request bodies: unknown fields are refused, and so is NUL in any text (PostgreSQL
    cannot store it)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, v: Any) -> Any:
        if isinstance(v, str) and "\x00" in v:
            raise Localised("text must not contain NUL characters", "teks tidak boleh berisi karakter NUL")
        return v


class Period(Input):
    """A request body with a period whose end is not before its start (`period_fields`: the names
    of the two dates). Either may be absent, as in a PATCH: the service checks the stored other."""

    period_fields: ClassVar[tuple[str, str]] = ("start_date", "end_date")

    @model_validator(mode="after")
    def _period_in_order(self) -> Self:
        start_name, end_name = self.period_fields
        start, end = getattr(self, start_name, None), getattr(self, end_name, None)
        if start and end and end < start:
            raise Localised("{end} must not be before {start}", "{end} tidak boleh sebelum {start}", end=end_name, start=start_name)
        return self


#: For free-text query parameters (`q`).
NO_NUL = describe_pattern(r"^[^\x00]*$", "text without NUL characters", "teks tanpa karakter NUL")


class Filters(BaseModel):
    """A list's query filters: a query-parameter model, each field one query parameter
    (`Annotated[XFilters, Query()]` in the route; the service takes the model)."""


def search_text(description: str) -> Any:
    """The free-text filter `q`: 1 to 100 characters, no NUL."""
    return Field(None, min_length=1, max_length=100, pattern=NO_NUL, description=description)


#: A filter naming a year.
YearFilter = Annotated[int | None, Field(ge=2000, le=2100)]

#: A filter naming a record by id.
IdFilter = Annotated[int | None, Field(ge=1, le=MAX_ID)]

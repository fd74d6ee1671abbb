"""Request bodies onto records: a create body's fields as the new record's columns; for PATCH
bodies, the fields a body sets (`model_dump(exclude_unset=True)`), the ones that may not be set
to null, and copying the plain ones onto the record.

An `Omittable` field (see `kit.params`) may be left out but not nulled: the contract hides null,
and the service refuses it with a 422 that names the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

from pydantic import BaseModel

from pembina.kit.errors import ValidationProblem


def stored(value: Any) -> Any:
    """A body's value as its column stores it: an enum as its value, anything else as it is."""
    return value.value if isinstance(value, Enum) else value


def columns(data: BaseModel, *exclude: str) -> dict[str, Any]:
    """A create body's fields as the new record's columns (`stored`), but those in `exclude`, which
    the caller converts or checks itself: `Team(**columns(data, "name"), name=..., level=...)`. A
    field that is no column is a TypeError at once: leave it out."""
    return {name: stored(value) for name, value in data if name not in exclude}


def reject_nulls(changes: Mapping[str, Any], *keys: str) -> None:
    """A 422 "<key> cannot be null." for the first of `keys` that the body sets to null."""
    for key in keys:
        if key in changes and changes[key] is None:
            raise ValidationProblem(f"{key} cannot be null.", f"{key} tidak boleh null.", loc=["body", key])


def assign(record: object, changes: Mapping[str, Any], *keys: str) -> None:
    """Copy the `keys` the body sets onto `record` as they are (fields that need converting or
    checking are the caller's)."""
    for key in keys:
        if key in changes:
            setattr(record, key, changes[key])

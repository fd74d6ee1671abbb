"""ETag / If-Match: every updatable record carries a version; stale writes get 412.

`If-Match` is parsed once, at the edge, into an `ExpectedVersion` (the `Expected` or
`ExpectedIfSent` dependency) that the service checks against the record it is changing. The
record's version goes back as its ETag from the route class (`pembina.kit.routing`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header
from pydantic import BaseModel

from pembina.kit.errors import BadRequest, PreconditionFailed, PreconditionRequired

#: If-Match where it is required (`Expected`). The parameter stays optional for FastAPI, so that a
#: missing header is a 428 from `ExpectedVersion.check` (after the 404 and 403 checks), not a
#: 422; the contract marks it required (`pembina.kit.routing.require_preconditions`).
IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="The ETag from your last GET of this record. Required: without it the update gets 428; "
        "if the record changed since, 412.",
    ),
]

#: If-Match where it is optional (`ExpectedIfSent`).
IfMatchIfSent = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="Optional: the ETag from your last GET of this record; if the record changed since, 412. "
        "Without it the action applies to the record as it is now (never a 428).",
    ),
]


def etag(version: int) -> str:
    return f'"{version}"'


@dataclass(frozen=True)
class ExpectedVersion:
    """The record versions a write expects, from its If-Match (the default: any version).

    A missing or malformed header is only refused by `check` (428, 400): after the service has
    found the record and checked the caller's rights, so a 404 or 403 comes first."""

    #: The versions If-Match names; None for any (`*`, or no header where it is optional).
    versions: frozenset[str] | None = None
    #: If-Match is required here and was not sent.
    missing: bool = False
    malformed: bool = False

    @classmethod
    def of(cls, version: int) -> ExpectedVersion:
        """Expect exactly `version` (a caller inside the server that read the record)."""
        return cls(frozenset({str(version)}))

    def check(self, version: int, current: Callable[[], BaseModel] | None = None) -> None:
        """Raise 428 without a required If-Match and 412 when it names another version.

        `current()` (the record's read model) goes in the 412 body so that a client can show the
        user what changed; it is only called then."""
        if self.malformed:
            raise BadRequest("Malformed If-Match header.", "Header If-Match tidak valid.")
        if self.missing:
            raise PreconditionRequired(
                "Send If-Match with the ETag of the record you are changing.", "Kirim If-Match berisi ETag data yang Anda ubah."
            )
        if self.versions is not None and str(version) not in self.versions:
            extra: dict[str, Any] = {"current_etag": etag(version)}
            if current is not None:
                extra["current"] = current().model_dump(mode="json")
            raise PreconditionFailed(
                f"The record is now at version {version}; your copy is out of date.",
                f"Data kini berada pada versi {version}; salinan Anda sudah usang.",
                headers={"ETag": etag(version)},
                **extra,
            )


def _parse(value: str | None, *, required: bool) -> ExpectedVersion:
    if value is None:
        return ExpectedVersion(missing=required)
    value = value.strip()
    if value == "*":
        return ExpectedVersion()
    versions: set[str] = set()
    for part in value.split(","):
        part = part.strip()
        if part.startswith("W/"):
            part = part[2:]
        if len(part) >= 2 and part[0] == part[-1] == '"':
            part = part[1:-1]
        if not part:
            return ExpectedVersion(malformed=True)
        versions.add(part)
    return ExpectedVersion(frozenset(versions))


async def expected_version(if_match: IfMatch = None) -> ExpectedVersion:
    """If-Match where it is required (updates): without it, `check` is a 428. (Dependencies
    doing no I/O are coroutines: FastAPI runs them on the event loop, not in a worker thread.)"""
    return _parse(if_match, required=True)


async def expected_version_if_sent(if_match: IfMatchIfSent = None) -> ExpectedVersion:
    """If-Match where it is optional (transitions, actions): without it, any version."""
    return _parse(if_match, required=False)


Expected = Annotated[ExpectedVersion, Depends(expected_version)]
ExpectedIfSent = Annotated[ExpectedVersion, Depends(expected_version_if_sent)]

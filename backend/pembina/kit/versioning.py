"""ETag / If-Match: every updatable record carries a version; stale writes get 412."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Header, Response

from pembina.kit.errors import BadRequest, PreconditionFailed, PreconditionRequired

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="The ETag from your last GET of this record. Required: without it the update gets 428; "
        "if the record changed since, 412.",
    ),
]


def etag(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


def parse_if_match(value: str) -> set[str] | None:
    """The versions listed in If-Match; None for '*'."""
    value = value.strip()
    if value == "*":
        return None
    out: set[str] = set()
    for part in value.split(","):
        part = part.strip()
        if part.startswith("W/"):
            part = part[2:]
        if len(part) >= 2 and part[0] == part[-1] == '"':
            part = part[1:-1]
        if not part:
            raise BadRequest("Malformed If-Match header.")
        out.add(part)
    return out


def check_if_match(if_match: str | None, version: int, current: Any = None) -> None:
    """Raise 428 without If-Match and 412 when it names another version.

    `current` (a JSON-able representation) is returned in the 412 body so that a client
    can show the user what changed.
    """
    if if_match is None:
        raise PreconditionRequired("Send If-Match with the ETag of the record you are changing.")
    versions = parse_if_match(if_match)
    if versions is not None and str(version) not in versions:
        extra: dict[str, Any] = {"current_etag": etag(version)}
        if current is not None:
            extra["current"] = current
        raise PreconditionFailed(
            f"The record is now at version {version}; your copy is out of date.",
            headers={"ETag": etag(version)},
            **extra,
        )

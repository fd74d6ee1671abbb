"""Notifications are the caller's own (and the unsubscribe link is public, its token the authority):
`tests/test_notifications.py` checks that one account never sees or marks another's."""

from __future__ import annotations

from typing import Any

SELF_OR_PUBLIC = {
    "notifications-list",
    "notifications-read",
    "notifications-preferences",
    "notifications-preferences-update",
    "notifications-unsubscribe",
    "notifications-unsubscribe-one-click",
}


def arrange(client: Any, admin: Any) -> dict[str, Any]:
    return {}


def cases(ctx: dict[str, Any]) -> dict[str, list[tuple[str, str, dict[str, Any] | None, set[int]]]]:
    return {}

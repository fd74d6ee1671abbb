"""Personal data: the one inventory of what identifies or reaches a person (UU 27/2022).

People's names, e-mail, phone, username and last login, wherever they are held: accounts
(`users`), TP Posyandu team members (`team_members`), and the name of whoever acted, kept beside
the audit trail's events, a decree's transitions and a posyandu's registration events
(`actor_name`). A reader without `personal-data:read` (`Principal.sees_personal_data`) gets them
masked: a name reads `MASK`, a contact or a time null. List responses, single records, exports
(built from the same handlers) and the change feed pass through `minimise`; the audit trail's
snapshots through `minimise_snapshot`. The `pembina personal-data` commands use the same inventory
to export or erase what is held about one person.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

#: The masked form of a personal name (a field that is never null).
MASK = "***"

#: table -> its personal fields (a read model names them as its table's columns).
FIELDS: dict[str, frozenset[str]] = {
    "users": frozenset({"username", "full_name", "email", "phone", "last_login_at"}),
    "team_members": frozenset({"name", "phone"}),
}
#: Who acted, by name, on records that keep it (audit events, decree transitions, registration events).
ACTOR_NAME = "actor_name"
#: Fields masked as `MASK` (never null in a read model); the others become null.
NAMES = frozenset({"username", "full_name", "name"})

M = TypeVar("M", bound=BaseModel)


def masked(field: str, value: Any) -> Any:
    if value is None:
        return None
    return MASK if field in NAMES else None


def personal_fields(table: str | None) -> frozenset[str]:
    return FIELDS.get(table or "", frozenset())


def minimise(model: M, table: str | None, visible: bool) -> M:
    """`model` (a read model of a record of `table`) with its personal fields masked unless `visible`."""
    if visible:
        return model
    fields = personal_fields(table) | {ACTOR_NAME}
    present = [f for f in fields if f in type(model).model_fields]
    if not present:
        return model
    return model.model_copy(update={f: masked(f, getattr(model, f)) for f in present})


def minimise_snapshot(table: str | None, data: dict[str, Any] | None, visible: bool) -> dict[str, Any] | None:
    """A JSON record or audit snapshot of `table` with its personal fields masked unless `visible`."""
    if visible or data is None:
        return data
    fields = personal_fields(table) | {ACTOR_NAME}
    return {k: masked(k, v) if k in fields else v for k, v in data.items()}

"""The change feed's records as the API returns them.

The audit trail records a write as the table's columns (a posyandu's `spm_mask`, no village
name); an integrator wants the record as the API answers it (`PosyanduRead`: `spm_fields`,
`village_name`). Each domain registers here, for a table it audits, the read model its API
answers with and how to build one from the record; the change feed (`pembina.changes`) serves
each entry's record through this registry, with the read model's name. The kit knows no
domain: domains register themselves when their service module is imported.

A record is built for the reader, as it is now and only if the reader can read it now (its
region in the reader's scope, the same rule as `kit.repository.get_scoped`); the read model's
`allowed_actions` are left out (they describe the reader, not the record). A table that
registers nothing keeps the audit trail's columns (and no schema name).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import ORMOption

from pembina.kit import personal
from pembina.kit.scope import Principal

#: Read-model fields about the reader, never in the feed.
READER_FIELDS = frozenset({"allowed_actions"})

#: Builds the read models of records of one table (already in the reader's scope), in order.
Build = Callable[[Session, Principal, Sequence[Any]], Sequence[BaseModel]]


@dataclass(frozen=True)
class FeedRecord:
    """How the feed shows a table's records."""

    model: type[Any]
    schema: type[BaseModel]
    build: Build
    options: tuple[ORMOption, ...] = ()

    @property
    def schema_name(self) -> str:
        return self.schema.__name__


_REGISTRY: dict[str, FeedRecord] = {}


def entity_type(model: type[Any]) -> str:
    """The audit trail's (and the feed's) name for a model's records."""
    name: str = getattr(model, "__entity_type__", None) or model.__tablename__
    return name


def record_region(record: Any) -> str | None:
    """The region a record belongs to (None: national), as the audit trail places it."""
    fn = getattr(record, "audit_region", None)
    code: str | None = fn() if callable(fn) else getattr(record, "region_code", None)
    return code


def register(model: type[Any], schema: type[BaseModel], build: Build, *, options: Iterable[ORMOption] = ()) -> None:
    """Show `model`'s records in the feed as `schema`, built by `build(session, reader, records)`;
    `options` are loader options for reading the records (e.g. a name the read model shows)."""
    if len(inspect(model).primary_key) != 1:
        raise ValueError(f"{model.__name__}: the feed names records by a single key")
    _REGISTRY[entity_type(model)] = FeedRecord(model, schema, build, tuple(options))


def each(to_read: Callable[[Any, Principal], BaseModel]) -> Build:
    """A `Build` from a domain's one-record `to_read(record, principal)`."""
    return lambda _session, principal, records: [to_read(r, principal) for r in records]


def each_in(to_read: Callable[[Session, Any, Principal], BaseModel]) -> Build:
    """A `Build` from a domain's one-record `to_read(session, record, principal)`."""
    return lambda session, principal, records: [to_read(session, r, principal) for r in records]


def registered(name: str) -> FeedRecord | None:
    return _REGISTRY.get(name)


def registry() -> dict[str, FeedRecord]:
    return dict(_REGISTRY)


def records(session: Session, principal: Principal, name: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The records of entity type `name` with these ids that `principal` can read now, as the API
    returns them (JSON, without the reader's fields), by id. Missing: deleted, or out of scope."""
    entry = _REGISTRY[name]
    key = inspect(entry.model).primary_key[0]
    wanted = {int(i) for i in ids if i.isdigit() and len(i) <= 18}
    if not wanted:
        return {}
    found = session.scalars(select(entry.model).where(key.in_(sorted(wanted))).options(*entry.options)).all()
    readable = [r for r in found if principal.covers(record_region(r))]
    built = entry.build(session, principal, readable)
    table = getattr(entry.model, "__tablename__", None)
    return {
        str(getattr(r, key.key)): personal.minimise(m, table, principal.sees_personal_data).model_dump(
            mode="json", by_alias=True, exclude=set(READER_FIELDS)
        )
        for r, m in zip(readable, built, strict=True)
    }

"""Read models: what the API returns for a record, built from the record itself.

A read model names the record's attributes it shows; `read` copies them and takes from the
caller only what is computed (a sum, a name from another table, what the caller may do), so a
new column reaches the API by adding one field, never by copying it in a builder too.

The fields that many read models share are base classes: a head (`regions.schemas.RegionHeldRead`:
id, region code and name, level) and a tail (`TrackedRead` below: created_at, updated_at,
version; `auth.policy.ActionableRead` adds allowed_actions). Pydantic orders fields from the last
base to the first, then the class's own; so a tail is listed *first* among the bases and the
model's own fields sit in a base of their own, which keeps every field where the contract and
the exports have it::

    class _Team(RegionHeldRead):
        kind: TeamKind
        ...

    class TeamRead(ActionableRead, _Team):  # id, region_code, region_name, level, kind, ..., created_at, ..., allowed_actions
        pass
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


class TrackedRead(BaseModel):
    """The last fields of the read model of a `kit.db.Tracked` record (list it first among the bases)."""

    created_at: datetime
    updated_at: datetime
    version: int


def read(model: type[M], record: object, /, **computed: Any) -> M:
    """The read model `model` of `record`: each field from the record's attribute of the same name,
    except those given in `computed`, all validated as usual (an enum from its stored string, a
    nested read model from its record's attributes). A field that the record lacks and that is not
    computed is a mistake: AttributeError.

    It reads the attributes into a dict rather than validating the record with `from_attributes`
    over a proxy that adds the computed fields: that is as fast as a hand-written constructor,
    the proxy two to three times slower (lists and exports build a read model per row). Of an ORM
    record, a loaded attribute is taken from the instance's own dict, where the ORM keeps it and
    where its attribute would read it from: a page of fifty rows of twenty-five fields made
    1,250 calls into the ORM's attribute machinery for values already at hand. What is not
    loaded (expired, deferred) and what is no column (a property) is read as an attribute."""
    loaded = vars(record) if hasattr(record, "_sa_instance_state") else {}
    values = {name: loaded[name] if name in loaded else getattr(record, name) for name in model.model_fields if name not in computed}
    values.update(computed)
    return model.model_validate(values, from_attributes=True)

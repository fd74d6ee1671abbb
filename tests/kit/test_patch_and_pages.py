"""The kit's PATCH helpers (`pembina.kit.patch`) and the batch page (`kit.pagination.paginate_batch`)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pembina.kit.errors import ValidationProblem
from pembina.kit.pagination import PageParams, paginate, paginate_batch
from pembina.kit.patch import assign, reject_nulls
from pembina.regions.models import Region


def test_reject_nulls_names_the_first_listed_field_set_to_null():
    reject_nulls({"name": "x", "notes": None}, "name", "kind")  # notes may be null; kind is not sent
    with pytest.raises(ValidationProblem) as refused:
        reject_nulls({"notes": None, "kind": None, "name": None}, "name", "kind")
    assert refused.value.status == 422
    assert refused.value.detail == "name cannot be null."
    assert refused.value.extra["errors"] == [{"loc": ["body", "name"], "msg": "name cannot be null.", "type": "value_error"}]


def test_assign_copies_only_the_listed_fields_the_body_sets():
    record = SimpleNamespace(name="old", notes="keep", kind="tp")
    assign(record, {"name": "new", "kind": "other", "notes": None}, "name", "notes")
    assert (record.name, record.notes, record.kind) == ("new", None, "tp")
    assign(record, {}, "name", "notes")
    assert (record.name, record.notes) == ("new", None)


def test_paginate_batch_gives_the_page_paginate_gives_converting_the_rows_at_once(db: Session):
    stmt = select(Region).where(Region.parent_code == "33.75").order_by(Region.code)
    params = PageParams(limit=2, offset=1, sort=None)
    calls: list[int] = []

    def convert(rows: list[Region]) -> list[str]:
        calls.append(len(rows))
        return [r.code for r in rows]

    batch = paginate_batch(db, stmt, params, convert)
    one_by_one = paginate(db, stmt, params, lambda r: r.code)
    assert batch == one_by_one
    assert batch.total == 4 and batch.items == ["33.75.02", "33.75.03"]
    assert calls == [2]
    assert paginate_batch(db, stmt, params, convert, total=99).total == 99

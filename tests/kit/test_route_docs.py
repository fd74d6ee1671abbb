"""The route class reads an endpoint's documentation from its docstring and its response model
from its return type; a list's filters come as a query-parameter model."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import FastAPI, Query
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field
from sqlalchemy import Column, Integer, MetaData, String, Table, select

from pembina.kit.params import Filters, IdFilter
from pembina.kit.repository import where_equal
from pembina.kit.routing import api_router


class Thing(BaseModel):
    id: int
    name: str


class Colour(StrEnum):
    red = "red"


class ThingFilters(Filters):
    colour: Colour | None = None
    owner_id: IdFilter = None
    q: str | None = Field(None, max_length=5, description="Search the name.")


def _app() -> FastAPI:
    router = api_router(prefix="/things")

    @router.get("/{thing_id}", operation_id="things-get")
    def get_thing(thing_id: int) -> Thing:
        """Get a thing

        The first paragraph is the summary; this one,
        joined into one line, the description.

        A second paragraph stays apart."""
        return Thing(id=thing_id, name="a")

    @router.get("", operation_id="things-list")
    def list_things(filters: Annotated[ThingFilters, Query()]) -> list[Thing]:
        """List things"""
        return [Thing(id=filters.owner_id or 0, name=filters.q or "")]

    @router.delete("/{thing_id}", operation_id="things-delete", summary="Remove a thing")
    def delete_thing(thing_id: int) -> None:
        """Only the description, since the decorator names the summary."""

    app = FastAPI()
    app.include_router(router)
    return app


def test_docstring_is_summary_and_description_and_return_type_is_response_model() -> None:
    spec = _app().openapi()
    get = spec["paths"]["/things/{thing_id}"]["get"]
    assert get["summary"] == "Get a thing"
    assert get["description"] == (
        "The first paragraph is the summary; this one, joined into one line, the description.\n\nA second paragraph stays apart."
    )
    assert get["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Thing"}
    assert "description" not in spec["paths"]["/things"]["get"]  # a one-paragraph docstring is only a summary
    delete = spec["paths"]["/things/{thing_id}"]["delete"]
    assert (delete["summary"], delete["description"]) == ("Remove a thing", "Only the description, since the decorator names the summary.")


def test_filter_model_fields_are_query_parameters_validated_as_such() -> None:
    app = _app()
    params = {p["name"]: p for p in app.openapi()["paths"]["/things"]["get"]["parameters"]}
    assert list(params) == ["colour", "owner_id", "q"]
    assert params["q"]["description"] == "Search the name."
    client = TestClient(app)
    assert client.get("/things", params={"owner_id": 7, "q": "ab"}).json() == [{"id": 7, "name": "ab"}]
    assert client.get("/things", params={"owner_id": 0}).status_code == 422
    assert client.get("/things", params={"q": "toolong"}).status_code == 422
    assert client.get("/things", params={"colour": "blue"}).status_code == 422


def test_where_equal_adds_only_the_given_values_and_compares_enums_by_value() -> None:
    things = Table("things", MetaData(), Column("id", Integer), Column("colour", String), Column("owner_id", Integer))
    stmt = where_equal(select(things.c.id), (things.c.colour, Colour.red), (things.c.owner_id, None))
    sql = str(stmt.compile(compile_kwargs={"literal_binds": True}))
    assert "things.colour = 'red'" in sql
    assert "owner_id =" not in sql

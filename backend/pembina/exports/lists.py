"""Every paginated list of the API, exportable whole.

The registry is discovered from the API's routers: each `GET` route without path parameters
whose response is a `Page[Item]` becomes an export. The export calls the list's own route
function page after page (so scope, filters and sort are exactly the list's), after counting
first: more rows than `export_max_rows` is a 422 asking to narrow the filters. A new list in
the API is exportable without any change here.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter
from fastapi.routing import APIRoute
from pydantic import BaseModel
from sqlalchemy.orm import Session

from pembina.config import get_settings
from pembina.errors import ValidationProblem
from pembina.exports.tabular import Column, columns_of
from pembina.pagination import Page, PageParams
from pembina.scope import Principal

#: Rows fetched per call of the list function.
BATCH = 500

#: Indonesian titles of the lists (sheet names and catalog); others are named after the path.
TITLES: dict[str, str] = {
    "regions": "Daftar Wilayah",
    "users": "Daftar Pengguna",
    "api-clients": "Daftar Klien API",
    "audit-events": "Jejak Audit",
    "teams": "Daftar Tim Pembina Posyandu",
    "decrees": "Daftar SK",
    "reporting-deadlines": "Batas Waktu Pelaporan SK",
    "posyandu": "Daftar Posyandu",
    "registration-batches": "Daftar Batch Registrasi Posyandu",
    "pilot-sites": "Daftar Lokasi Uji Coba",
}

#: The filter that names a region subtree, in order of preference (for file names and audit).
REGION_FILTERS = ("region", "within")
_FIXED = ("session", "principal")


@dataclass(frozen=True)
class ListExport:
    name: str
    title: str
    path: str  # the list's own path under /api/v1
    operation_id: str  # the list's operationId
    endpoint: Callable[..., Page[Any]]
    item: type[BaseModel]
    page_param: str  # the route function's PageParams argument
    sort: Any  # the list's `sort` Query (its allowed keys)
    filters: tuple[inspect.Parameter, ...]  # the list's query filters, annotations resolved
    columns: tuple[Column, ...]

    @property
    def region_filter(self) -> str | None:
        names = {p.name for p in self.filters}
        return next((n for n in REGION_FILTERS if n in names), None)

    def fetch(self, session: Session, principal: Principal, filters: dict[str, Any], sort: str | None, limit: int, offset: int) -> Page[Any]:
        return self.endpoint(session=session, principal=principal, **{self.page_param: PageParams(limit=limit, offset=offset, sort=sort)}, **filters)


def _page_item(model: Any) -> type[BaseModel] | None:
    if not (isinstance(model, type) and issubclass(model, Page)):
        return None
    (item,) = typing.get_args(model.model_fields["items"].annotation)
    return item if isinstance(item, type) and issubclass(item, BaseModel) else None


def _spec(route: APIRoute) -> ListExport | None:
    item = _page_item(route.response_model)
    if item is None or "{" in route.path or "GET" not in route.methods:
        return None
    hints = typing.get_type_hints(route.endpoint, include_extras=True)
    page_param, sort, filters = None, None, []
    for p in inspect.signature(route.endpoint).parameters.values():
        annotation = hints.get(p.name, p.annotation)
        if p.name in _FIXED:
            continue
        base = typing.get_args(annotation)[0] if typing.get_origin(annotation) is typing.Annotated else annotation
        if base is PageParams:
            page_param = p.name
            dependency = next(m.dependency for m in typing.get_args(annotation)[1:] if hasattr(m, "dependency"))
            sort = inspect.signature(dependency).parameters["sort"].default
        else:
            filters.append(p.replace(annotation=annotation, kind=inspect.Parameter.KEYWORD_ONLY))
    if page_param is None:
        return None
    name = route.path.strip("/").replace("/", "-")
    return ListExport(
        name=name, title=TITLES.get(name, name.replace("-", " ").capitalize()), path=route.path, operation_id=route.operation_id or name,
        endpoint=route.endpoint, item=item, page_param=page_param, sort=sort, filters=tuple(filters), columns=tuple(columns_of(item)),
    )


def discover(routers: Sequence[APIRouter]) -> dict[str, ListExport]:
    out: dict[str, ListExport] = {}
    for router in routers:
        for route in router.routes:
            if isinstance(route, APIRoute) and (spec := _spec(route)) is not None:
                out[spec.name] = spec
    return out


_REGISTRY: dict[str, ListExport] | None = None


def registry() -> dict[str, ListExport]:
    """The lists of the API (discovered once)."""
    global _REGISTRY
    if _REGISTRY is None:
        from pembina.api import PROTECTED_ROUTERS

        _REGISTRY = discover(PROTECTED_ROUTERS)
    return _REGISTRY


def count(spec: ListExport, session: Session, principal: Principal, filters: dict[str, Any], sort: str | None) -> int:
    """Rows the export would hold; more than `export_max_rows` is a 422."""
    total = spec.fetch(session, principal, filters, sort, 1, 0).total
    cap = get_settings().export_max_rows
    if total > cap:
        raise ValidationProblem(
            f"{total:,} rows match, more than the {cap:,} one export may hold. Narrow the filters (for example a smaller region) "
            "and export in parts.",
            loc=["query"],
        )
    return total


def items(spec: ListExport, session: Session, principal: Principal, filters: dict[str, Any], sort: str | None, total: int) -> Iterator[Any]:
    """Every row, page after page, never more than `total` (counted before)."""
    offset = 0
    while offset < total:
        page = spec.fetch(session, principal, filters, sort, min(BATCH, total - offset), offset)
        if not page.items:
            return
        yield from page.items
        offset += len(page.items)

"""Every list of the API, exportable whole.

The registry is discovered from the API's routers: each `GET` route whose response is a
`Page[Item]` (a paginated list) or a `list[Item]` (a record's list, e.g. a team's members)
becomes an export. The export calls the list's own route function, page after page (so scope,
filters and sort are exactly the list's), after counting first: more rows than
`export_max_rows` is a 422 asking to narrow the filters. A new list in the API is exportable
without any change here.
"""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.routing import APIRoute
from pydantic import BaseModel
from sqlalchemy.orm import Session

from pembina.config import get_settings
from pembina.kit.errors import ValidationProblem
from pembina.kit.tabular import Column, columns_of
from pembina.kit import pagination
from pembina.kit.pagination import Page, PageParams
from pembina.kit.params import Filters
from pembina.kit.scope import Principal

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
    "team-members": "Anggota Tim Pembina Posyandu",
    "decrees-transitions": "Riwayat SK",
    "posyandu-documents": "Dokumen Posyandu",
    "posyandu-registration-events": "Riwayat Registrasi Posyandu",
}

#: The filter that names a region subtree, in order of preference (for file names and audit).
REGION_FILTERS = ("region", "within")
#: What every route handler names its database session and its caller (the dependencies a
#: list export passes itself).
_FIXED = ("db", "me")


@dataclass(frozen=True)
class ListExport:
    name: str
    title: str
    path: str  # the list's own path under /api/v1
    operation_id: str  # the list's operationId
    endpoint: Callable[..., Any]
    item: type[BaseModel]
    page_param: str | None  # the route function's PageParams argument (None: not paginated)
    sort: Any  # the list's `sort` Query (its allowed keys), or None
    filters: tuple[inspect.Parameter, ...]  # the list's path and query parameters, annotations resolved (query models' fields)
    columns: tuple[Column, ...]
    query_models: tuple[tuple[str, type[BaseModel]], ...] = ()  # the route's query-model arguments, whose fields are filters

    def arguments(self, filters: dict[str, Any]) -> dict[str, Any]:
        """The list route's arguments from flat filter values: query models filled from their fields."""
        out = dict(filters)
        for name, model in self.query_models:
            out[name] = model.model_validate({f: out.pop(f) for f in model.model_fields if f in out})
        return out

    @property
    def export_path(self) -> str:
        return f"/exports/{self.name}" if self.page_param else f"/exports{self.path}"

    @property
    def path_params(self) -> list[str]:
        return re.findall(r"\{(\w+)\}", self.path)

    @property
    def region_filter(self) -> str | None:
        names = {p.name for p in self.filters}
        return next((n for n in REGION_FILTERS if n in names), None)

    def fetch(
        self,
        session: Session,
        principal: Principal,
        filters: dict[str, Any],
        sort: str | None,
        limit: int,
        offset: int,
        cursor: str | None = None,
    ) -> Page[Any]:
        assert self.page_param is not None
        params = PageParams(limit=limit, offset=offset, sort=sort, cursor=cursor)
        page: Page[Any] = self.endpoint(db=session, me=principal, **{self.page_param: params}, **self.arguments(filters))
        return page


def _item(model: Any) -> tuple[type[BaseModel] | None, bool]:
    """The item type of a `Page[Item]` (paged) or `list[Item]` response."""
    if isinstance(model, type) and issubclass(model, Page):
        (item,) = typing.get_args(model.model_fields["items"].annotation)
        paged = True
    elif typing.get_origin(model) is list:
        (item,) = typing.get_args(model)
        paged = False
    else:
        return None, False
    return (item, paged) if isinstance(item, type) and issubclass(item, BaseModel) else (None, False)


def _spec(route: APIRoute) -> ListExport | None:
    item, paged = _item(route.response_model)
    if item is None or "GET" not in (route.methods or set()) or (paged and "{" in route.path):
        return None
    if not set(_FIXED) <= inspect.signature(route.endpoint).parameters.keys():
        return None  # not records (e.g. the import kinds' descriptions)
    hints = typing.get_type_hints(route.endpoint, include_extras=True)
    page_param, sort, filters, models = None, None, [], []
    for p in inspect.signature(route.endpoint).parameters.values():
        annotation = hints.get(p.name, p.annotation)
        if p.name in _FIXED:
            continue
        base = typing.get_args(annotation)[0] if typing.get_origin(annotation) is typing.Annotated else annotation
        if isinstance(base, type) and issubclass(base, Filters):
            models.append((p.name, base))
            filters.extend(_fields_as_parameters(base))
        elif base is PageParams:
            page_param = p.name
            dependency = next(m.dependency for m in typing.get_args(annotation)[1:] if hasattr(m, "dependency"))
            sort = inspect.signature(dependency).parameters["sort"].default
        else:
            filters.append(p.replace(annotation=annotation, kind=inspect.Parameter.KEYWORD_ONLY))
    if paged != (page_param is not None):
        return None
    path = re.sub(r"\{(\w+):int\}", r"{\1}", route.path)
    name = path.strip("/").replace("/", "-") if paged else (route.operation_id or "").removesuffix("-list")
    return ListExport(
        name=name,
        title=TITLES.get(name, name.replace("-", " ").capitalize()),
        path=path,
        operation_id=route.operation_id or name,
        endpoint=inspect.unwrap(route.endpoint),
        item=item,
        page_param=page_param,
        sort=sort,
        filters=tuple(filters),
        columns=tuple(columns_of(item)),
        query_models=tuple(models),
    )


def _fields_as_parameters(model: type[BaseModel]) -> list[inspect.Parameter]:
    """A query model's fields as the query parameters they are (same names, types, limits and descriptions)."""
    return [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            default=field.default,
            annotation=Annotated[field.rebuild_annotation(), Query(description=field.description, examples=field.examples)],
        )
        for name, field in model.model_fields.items()
    ]


def discover(routers: Sequence[APIRouter]) -> dict[str, ListExport]:
    out: dict[str, ListExport] = {}
    for router in routers:
        for route in router.routes:
            if isinstance(route, APIRoute) and (spec := _spec(route)) is not None:
                out[spec.name] = spec
    return out


_REGISTRY: dict[str, ListExport] = {}


def register(routers: Sequence[APIRouter]) -> None:
    """Make the lists of `routers` the exportable ones (`pembina.api` registers the protected API's routers as it loads)."""
    _REGISTRY.clear()
    _REGISTRY.update(discover(routers))


def registry() -> dict[str, ListExport]:
    """The lists of the API (discovered once, when `pembina.api` registers its routers)."""
    if not _REGISTRY:
        raise RuntimeError("No lists registered: import pembina.api first (it registers the API's routers).")
    return _REGISTRY


def rows(spec: ListExport, session: Session, principal: Principal, filters: dict[str, Any], sort: str | None) -> tuple[int, Iterator[Any]]:
    """How many rows the export holds (more than `export_max_rows` is a 422), and the rows."""
    if spec.page_param is None:
        got = spec.endpoint(db=session, me=principal, **spec.arguments(filters))
        _check_cap(len(got))
        return len(got), iter(got)
    with pagination.exact_totals():  # a search's count stops at SEARCH_COUNT_LIMIT; an export needs all
        total = spec.fetch(session, principal, filters, sort, 1, 0).total
    _check_cap(total)
    return total, _pages(spec, session, principal, filters, sort, total)


def _check_cap(total: int) -> None:
    cap = get_settings().export_max_rows
    if total > cap:
        raise ValidationProblem(
            f"{total:,} rows match, more than the {cap:,} one export may hold. Narrow the filters (for example a smaller region) "
            "and export in parts.",
            f"{total:,} baris cocok, lebih dari {cap:,} yang dapat dimuat satu ekspor. Persempit filter (misalnya wilayah yang lebih kecil) dan ekspor bertahap.",
            loc=["query"],
        )


def _pages(
    spec: ListExport, session: Session, principal: Principal, filters: dict[str, Any], sort: str | None, total: int
) -> Iterator[Any]:
    """Every row, page after page, never more than `total` (counted before): by cursor where the
    list gives one (each page as fast as the first), else by offset."""
    offset, cursor = 0, None
    while offset < total:
        page = spec.fetch(session, principal, filters, sort, min(BATCH, total - offset), 0 if cursor else offset, cursor)
        if not page.items:
            return
        yield from page.items
        offset += len(page.items)
        cursor = page.next_cursor

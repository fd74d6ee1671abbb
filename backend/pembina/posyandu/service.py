"""Posyandu units and the services they run per SPM field."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, lazyload, with_expression
from sqlalchemy.orm.attributes import set_committed_value

from pembina.kit.i18n import tr
from pembina.kit import feed
from pembina.kit import search as text_search
from pembina.kit.repository import where_equal
from pembina.posyandu.schemas import PosyanduFilters
from pembina.kit.errors import Conflict, ValidationProblem
from pembina.kit.pagination import SEARCH_COUNT_LIMIT, Page, PageParams, apply_sort, paginate
from pembina.kit.patch import assign, reject_nulls, columns
from pembina.kit.repository import get_scoped, scoped_select
from pembina.auth import policy
from pembina.auth.policy import Action
from pembina.posyandu import counters
from pembina.posyandu.catalog import SPM_BIT, SPM_FIELDS, SPM_LABELS, catalog, fields_of, mask_of, strata
from pembina.posyandu.models import PilotSite, Posyandu, RegistrationStatus
from pembina.posyandu.schemas import (
    CatalogField,
    CatalogService,
    DocumentType,
    PosyanduCreate,
    PosyanduRead,
    PosyanduUpdate,
    RegistrationStatusEnum,
    ServiceCatalog,
)
from pembina.config import get_settings
from pembina.regions import service as regions
from pembina.regions.models import Region
from pembina.kit.scope import Principal, level_of
from pembina.stats import service as stats
from pembina.kit.versioning import ExpectedVersion

SORTS = {
    "name": Posyandu.name,
    "region_code": Posyandu.region_code,
    "registration_status": Posyandu.registration_status,
    "registration_number": Posyandu.registration_number,
    "kader_count": Posyandu.kader_count,
    "pengurus_count": Posyandu.pengurus_count,
    "created_at": Posyandu.created_at,
    "updated_at": Posyandu.updated_at,
}

#: Statuses in which a posyandu may move to another village (when it may be deleted: `pembina.auth.policy`).
MOVABLE = {RegistrationStatus.unregistered, RegistrationStatus.returned, RegistrationStatus.rejected}


#: List pages: the village's name as a column of the page's own statement (a correlated lookup
#: by primary key), instead of loading each village as an object in a second query.
LIST_OPTIONS = (
    lazyload(Posyandu.village),
    with_expression(Posyandu.village_name, select(Region.name).where(Region.code == Posyandu.region_code).scalar_subquery()),
)


def village_name(p: Posyandu) -> str:
    if p.village_name is not None:
        return p.village_name
    return p.village.name if p.village else ""


def to_read(p: Posyandu, principal: Principal) -> PosyanduRead:
    services = {f: list((p.services or {}).get(f, [])) for f in SPM_FIELDS}
    return policy.read(PosyanduRead, principal, p, village_name=village_name(p), services=services, spm_fields=fields_of(p.spm_mask))


def service_catalog() -> ServiceCatalog:
    cat = catalog()
    return ServiceCatalog(
        fields=[
            CatalogField(field=f, label=SPM_LABELS[f], services=[CatalogService(code=c, label=label) for c, label in cat[f].items()])
            for f in SPM_FIELDS
        ],
        strata=strata(),
        document_types=list(DocumentType),
        min_pengurus_kader=get_settings().posyandu_min_pengurus_kader,
    )


# -- validation -----------------------------------------------------------------------


def _validate_village(session: Session, code: str, loc: str = "region_code") -> Region:
    if not regions._CODE_RE.match(code) or level_of(code) != 4:
        raise ValidationProblem(
            f"A posyandu belongs to a village (kelurahan/desa): '{code}' is not a village code.",
            f"Posyandu berada di desa/kelurahan: '{code}' bukan kode desa/kelurahan.",
            loc=["body", loc],
        )
    return regions.require_existing(session, code)


def _validate_stratum(stratum: str | None) -> None:
    if stratum is not None and stratum not in strata():
        raise ValidationProblem(
            f"Unknown stratum '{stratum}'. Allowed: {', '.join(strata())}.",
            f"Strata '{stratum}' tidak dikenal. Yang diizinkan: {', '.join(strata())}.",
            loc=["body", "stratum"],
        )


def _normalise_services(services: dict[Any, list[str]]) -> dict[str, list[str]]:
    cat = catalog()
    errors = []
    out: dict[str, list[str]] = {}
    for field, codes in services.items():
        field = str(field.value if hasattr(field, "value") else field)
        seen: list[str] = []
        for i, code in enumerate(codes):
            if code not in cat[field]:
                errors.append(
                    {
                        "loc": ["body", "services", field, i],
                        "msg": f"'{code}' is not in the {field} checklist (see GET /posyandu/service-catalog).",
                        "type": "value_error",
                    }
                )
            elif code not in seen:
                seen.append(code)
        if seen:
            out[field] = seen
    if errors:
        raise ValidationProblem(f"{len(errors)} unknown service code(s).", f"{len(errors)} kode layanan tidak dikenal.", errors=errors)
    return out


# -- reads ----------------------------------------------------------------------------


def get(session: Session, principal: Principal, posyandu_id: int) -> Posyandu:
    return get_scoped(session, principal, Posyandu, posyandu_id, tr("Posyandu", "Posyandu"))


def list_posyandu(session: Session, principal: Principal, params: PageParams, filters: PosyanduFilters) -> Page[PosyanduRead]:
    f = filters
    stmt = scoped_select(select(Posyandu).options(*LIST_OPTIONS), Posyandu.region_code, principal, f.region)
    stmt = where_equal(
        stmt,
        (Posyandu.registration_status, f.status),
        (Posyandu.is_active, f.active),
        (Posyandu.stratum, f.stratum or None),
        (Posyandu.batch_id, f.batch_id),
    )
    if f.spm_field:
        stmt = stmt.where(Posyandu.spm_mask.op("&")(SPM_BIT[f.spm_field]) != 0)
    if f.pilot is not None:
        is_pilot = exists().where(PilotSite.posyandu_id == Posyandu.id)
        stmt = stmt.where(is_pilot if f.pilot else ~is_pilot)
    if f.q:
        stmt = stmt.where(text_search.matches(session, Posyandu, f.q))
    stmt = apply_sort(stmt, params.sort, SORTS, default=[Posyandu.region_code, Posyandu.name], tiebreak=Posyandu.id)
    only_region_and_status = f.model_dump(exclude={"region", "status"}, exclude_none=True) == {} and not f.q
    total = _counted_total(session, principal, f.region, f.status) if only_region_and_status else None
    return paginate(session, stmt, params, lambda p: to_read(p, principal), total=total, count_at_most=SEARCH_COUNT_LIMIT if f.q else None)


def _counted_total(session: Session, principal: Principal, region: str | None, status: RegistrationStatusEnum | None) -> int:
    """The total of a list filtered by region subtree and/or status only, read from the region
    counters (kept exact in every write's transaction) instead of counting a province's rows."""

    metric = counters.status_metric(status.value) if status else counters.TOTAL
    return stats.values(session, region or principal.region_code, [metric]).get(metric, 0)


# -- writes ---------------------------------------------------------------------------


def create(session: Session, principal: Principal, data: PosyanduCreate) -> Posyandu:
    village = _validate_village(session, data.region_code)
    policy.require(principal, Action.create_posyandu, policy.region(data.region_code))
    _validate_stratum(data.stratum)
    services = _normalise_services(data.services)
    p = Posyandu(
        **columns(data, "name", "services"),
        name=data.name.strip(),
        services=services,
        spm_mask=mask_of(services),
        registration_status=RegistrationStatus.unregistered,
    )
    session.add(p)
    session.flush()
    stats.adjust(session, p.region_code, counters.of(p))
    set_committed_value(p, "village", village)  # the village just read, not read again
    return p


def update(session: Session, principal: Principal, posyandu_id: int, data: PosyanduUpdate, expected: ExpectedVersion) -> Posyandu:
    p = get(session, principal, posyandu_id)
    policy.require(principal, Action.update, p)
    expected.check(p.version, lambda: to_read(p, principal))
    changes = data.model_dump(exclude_unset=True)
    old, old_region = counters.of(p), p.region_code
    reject_nulls(changes, "name", "is_active", "pengurus_count", "kader_count", "region_code", "services")
    if "region_code" in changes and changes["region_code"] != p.region_code:
        new_region = changes["region_code"]
        _validate_village(session, new_region)
        policy.require(principal, Action.create_posyandu, policy.region(new_region))
        if p.registration_status not in MOVABLE:
            raise Conflict(
                f"A posyandu that is {p.registration_status} cannot move to another village.",
                f"Posyandu berstatus {p.registration_status} tidak dapat pindah ke desa/kelurahan lain.",
            )

        if session.scalar(select(PilotSite.id).where(PilotSite.posyandu_id == p.id).limit(1)) is not None:
            raise Conflict("A pilot site cannot move to another village.", "Lokasi uji coba tidak dapat pindah ke desa/kelurahan lain.")
        p.region_code = new_region
    if "stratum" in changes:
        _validate_stratum(changes["stratum"])
    lat = changes.get("latitude", p.latitude)
    lon = changes.get("longitude", p.longitude)
    if (lat is None) != (lon is None):
        raise ValidationProblem(
            "Give both latitude and longitude, or neither.",
            "Isi latitude dan longitude sekaligus, atau kosongkan keduanya.",
            loc=["body", "latitude"],
        )
    if "services" in changes:
        services = _normalise_services(data.services or {})
        p.services = services
        p.spm_mask = mask_of(services)
    if "name" in changes:
        p.name = changes["name"].strip()
    assign(p, changes, "rw", "rt", "address", "latitude", "longitude", "is_active", "pengurus_count", "kader_count", "stratum", "notes")
    session.flush()
    stats.move(session, old, old_region, counters.of(p), p.region_code)
    session.refresh(p, ["village"])
    return p


def delete(session: Session, principal: Principal, posyandu_id: int) -> None:
    p = get(session, principal, posyandu_id)
    policy.require(principal, Action.delete, p)
    if session.scalar(select(PilotSite.id).where(PilotSite.posyandu_id == p.id).limit(1)) is not None:
        raise Conflict(
            "The posyandu is a pilot site; delete the pilot site first.", "Posyandu ini lokasi uji coba; hapus dulu lokasi uji cobanya."
        )
    stats.adjust(session, p.region_code, {k: -v for k, v in counters.of(p).items()})
    session.delete(p)
    session.flush()


# -- the change feed shows these records as the API returns them (pembina.kit.feed) --------
feed.register(Posyandu, PosyanduRead, feed.each(to_read), options=LIST_OPTIONS)

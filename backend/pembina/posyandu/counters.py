"""Posyandu roll-ups in pembina.stats, kept current by every write (never a live count)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pembina.posyandu.catalog import SPM_FIELDS, fields_of
from pembina.posyandu.models import PilotSite, Posyandu
from pembina.posyandu.schemas import RegistrationStatusEnum
from pembina.stats import service as stats

TOTAL = "posyandu.total"
ACTIVE = "posyandu.active"
PILOTS = "posyandu.pilots"
STATUSES = [s.value for s in RegistrationStatusEnum]
PIPELINE = ("proposed", "verified", "submitted")


def status_metric(status: str) -> str:
    return f"posyandu.registration.{status}"


def spm_metric(field: str) -> str:
    return f"posyandu.spm.{field}"


def contribution(status: str, active: bool, mask: int) -> dict[str, int]:
    out = {TOTAL: 1, ACTIVE: int(active), status_metric(status): 1}
    for f in fields_of(mask):
        out[spm_metric(f)] = 1
    return out


def of(p: Posyandu) -> dict[str, int]:
    return contribution(p.registration_status, p.is_active, p.spm_mask)


def _source(session: Session) -> Iterable[tuple[str, str, int]]:
    stmt = select(Posyandu.region_code, Posyandu.registration_status, Posyandu.is_active, Posyandu.spm_mask, func.count()).group_by(
        Posyandu.region_code, Posyandu.registration_status, Posyandu.is_active, Posyandu.spm_mask
    )
    for code, status, active, mask, n in session.execute(stmt):
        for metric, v in contribution(status, bool(active), mask).items():
            yield code, metric, v * n


def _pilot_source(session: Session) -> Iterable[tuple[str, str, int]]:
    for code, n in session.execute(select(PilotSite.region_code, func.count()).group_by(PilotSite.region_code)):
        yield code, PILOTS, n


stats.register_source("posyandu", _source)
stats.register_source("pilot_sites", _pilot_source)


class RegistrationCounts(BaseModel):
    registered: int
    in_pipeline: int = Field(description="proposed + verified + submitted.")
    unregistered: int = Field(description="Not registered and not in the pipeline (unregistered, returned, rejected).")
    by_status: dict[RegistrationStatusEnum, int]


class RegistrationProgress(BaseModel):
    region_code: str | None = Field(description="The region counted (null: the nation).")
    registration: RegistrationCounts
    awaiting_proposal: int = Field(description="Posyandu unregistered or returned: waiting for their village to propose them.")
    blocked_by_sk: int = Field(
        description="Of those, posyandu whose village's SK TP Posyandu is not reported: they cannot be proposed while "
        "registration requires the SK (`sk_required`)."
    )
    sk_required: bool = Field(description="Whether proposing needs the village's SK TP Posyandu reported (a setting).")


class ChildProgress(BaseModel):
    code: str
    name: str
    level: int = Field(description="1 province, 2 regency/city, 3 district (kecamatan), 4 village.")
    total: int
    registration: RegistrationCounts


class ProgressByRegion(BaseModel):
    region_code: str | None = Field(description="The region whose direct children are counted (null: the nation, by province).")
    child_level: int | None = Field(description="The level of the rows (null: the region has no children).")
    total: RegistrationCounts = Field(description="The counts of the region itself (the sum of the rows).")
    rows: list[ChildProgress] = Field(description="One row per direct child region, in code order, zeros included.")


class PosyanduSummary(BaseModel):
    count: int
    active: int
    registration: RegistrationCounts
    spm_coverage: dict[str, int] = Field(description="Posyandu running at least one service of each SPM field.")
    pilots: int = Field(description="Pilot sites (percontohan 6 SPM).")


def registration_counts(v: Mapping[str, int]) -> RegistrationCounts:
    by_status = {RegistrationStatusEnum(s): v.get(status_metric(s), 0) for s in STATUSES}
    in_pipeline = sum(v.get(status_metric(s), 0) for s in PIPELINE)
    registered = v.get(status_metric("registered"), 0)
    return RegistrationCounts(
        registered=registered, in_pipeline=in_pipeline, unregistered=v.get(TOTAL, 0) - registered - in_pipeline, by_status=by_status
    )


def summary(session: Session, region_code: str | None, counters: Mapping[str, int] | None = None) -> PosyanduSummary:
    """The region's posyandu counts (`counters`: its counters, when the caller already read them)."""
    v = stats.values(session, region_code) if counters is None else counters
    return PosyanduSummary(
        count=v.get(TOTAL, 0),
        active=v.get(ACTIVE, 0),
        registration=registration_counts(v),
        spm_coverage={f: v.get(spm_metric(f), 0) for f in SPM_FIELDS},
        pilots=v.get(PILOTS, 0),
    )

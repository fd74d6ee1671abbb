"""Work programs (program kerja): a team's planned activities for a year, linked to the budget
allocations that fund them (allocations of the same team and fiscal year)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pembina.kit.i18n import tr
from pembina.kit import feed
from pembina.kit.repository import where_equal
from pembina.work_programs.schemas import WorkProgramFilters
from pembina.budgets import service as budgets
from pembina.auth import policy
from pembina.auth.policy import Action
from pembina.budgets.models import Budget, BudgetAllocation
from pembina.kit.db import utcnow
from pembina.kit.errors import ValidationProblem
from pembina.kit.reads import read
from pembina.kit.pagination import Page, PageParams, apply_sort, paginate_batch
from pembina.kit.patch import assign, reject_nulls, columns
from pembina.kit.repository import get_scoped, scoped_select, search
from pembina.kit.scope import Principal
from pembina.teams.models import Team
from pembina.kit.db import flush_write
from pembina.kit.versioning import ExpectedVersion
from pembina.work_programs.models import WorkProgram, WorkProgramAllocation
from pembina.work_programs.schemas import LinkedAllocation, WorkProgramCreate, WorkProgramRead, WorkProgramUpdate

SORTS = {
    "year": WorkProgram.year,
    "title": WorkProgram.title,
    "start_date": WorkProgram.start_date,
    "status": WorkProgram.status,
    "region_code": WorkProgram.region_code,
    "created_at": WorkProgram.created_at,
}


def _linked(session: Session, programs: list[WorkProgram]) -> dict[int, LinkedAllocation]:
    ids = {link.allocation_id for wp in programs for link in wp.links}
    if not ids:
        return {}
    rows = session.scalars(select(BudgetAllocation).where(BudgetAllocation.id.in_(ids)))
    return {a.id: read(LinkedAllocation, a) for a in rows}


def _read(wp: WorkProgram, linked: dict[int, LinkedAllocation], principal: Principal) -> WorkProgramRead:
    allocs = [linked[link.allocation_id] for link in wp.links if link.allocation_id in linked]
    return policy.read(
        WorkProgramRead,
        principal,
        wp,
        allocation_ids=[a.id for a in allocs],
        allocations=allocs,
        planned_amount=sum(a.amount for a in allocs),
    )


def _reads(session: Session, programs: list[WorkProgram], principal: Principal) -> list[WorkProgramRead]:
    """Reads of work programs, their linked allocations read in one query."""
    linked = _linked(session, programs)
    return [_read(wp, linked, principal) for wp in programs]


def to_read(session: Session, wp: WorkProgram, principal: Principal) -> WorkProgramRead:
    return _reads(session, [wp], principal)[0]


def get(session: Session, principal: Principal, program_id: int, *, lock: bool = False) -> WorkProgram:
    return get_scoped(session, principal, WorkProgram, program_id, tr("Work program", "Program kerja"), lock=lock)


def list_programs(session: Session, principal: Principal, params: PageParams, filters: WorkProgramFilters) -> Page[WorkProgramRead]:
    f = filters
    stmt = scoped_select(select(WorkProgram), WorkProgram.region_code, principal, f.region)
    stmt = where_equal(
        stmt,
        (WorkProgram.year, f.year),
        (WorkProgram.team_id, f.team_id),
        (WorkProgram.spm_field, f.spm_field),
        (WorkProgram.status, f.status),
    )
    if f.q:
        stmt = stmt.where(search(f.q, WorkProgram.title))
    if f.allocation_id is not None:
        linked = select(WorkProgramAllocation.work_program_id).where(WorkProgramAllocation.allocation_id == f.allocation_id)
        stmt = stmt.where(WorkProgram.id.in_(linked))
    stmt = apply_sort(
        stmt,
        params.sort,
        SORTS,
        default=[WorkProgram.year.desc(), WorkProgram.region_code, WorkProgram.start_date],
        tiebreak=WorkProgram.id,
    )
    return paginate_batch(session, stmt, params, lambda page: _reads(session, page, principal))


def _check_schedule(year: int, start: date | None, end: date | None) -> None:
    for key, d in (("start_date", start), ("end_date", end)):
        if d is not None and d.year != year:
            raise ValidationProblem(f"{key} must fall within {year}.", f"{key} harus berada dalam tahun {year}.", loc=["body", key])
    if start and end and end < start:
        raise ValidationProblem(
            "end_date must not be before start_date.", "end_date tidak boleh sebelum start_date.", loc=["body", "end_date"]
        )


def _check_allocations(session: Session, team_id: int, year: int, ids: list[int]) -> list[int]:
    wanted = sorted(set(ids))
    if not wanted:
        return []
    found = set(
        session.scalars(
            select(BudgetAllocation.id)
            .join(Budget, Budget.id == BudgetAllocation.budget_id)
            .where(BudgetAllocation.id.in_(wanted), Budget.team_id == team_id, Budget.fiscal_year == year)
        )
    )
    missing = [i for i in wanted if i not in found]
    if missing:
        raise ValidationProblem(
            f"Allocation(s) {', '.join(map(str, missing))} are not allocations of this team's {year} budgets.",
            f"Alokasi {', '.join(map(str, missing))} bukan alokasi dari anggaran tahun {year} tim ini.",
            loc=["body", "allocation_ids"],
        )
    return wanted


def _set_links(wp: WorkProgram, ids: list[int]) -> None:
    keep = [link for link in wp.links if link.allocation_id in ids]
    have = {link.allocation_id for link in keep}
    wp.links = keep + [WorkProgramAllocation(allocation_id=i, region_code=wp.region_code) for i in ids if i not in have]


def create(session: Session, principal: Principal, data: WorkProgramCreate) -> WorkProgram:
    team = session.get(Team, data.team_id)
    if team is None or not principal.covers(team.region_code):
        raise ValidationProblem(
            f"Team {data.team_id} not found in your region.",
            f"Tim {data.team_id} tidak ditemukan di wilayah Anda.",
            loc=["body", "team_id"],
        )
    if team.region_code is None:
        raise ValidationProblem(
            f"Team {data.team_id} is the national team: its budgets and work programs are not kept here.",
            f"Tim {data.team_id} adalah tim nasional: anggaran dan program kerjanya tidak dicatat di sini.",
            loc=["body", "team_id"],
        )
    policy.require(principal, Action.create_work_program, policy.region(team.region_code))
    _check_schedule(data.year, data.start_date, data.end_date)
    ids = _check_allocations(session, team.id, data.year, data.allocation_ids)
    wp = WorkProgram(**columns(data, "allocation_ids"), region_code=team.region_code, links=[])
    _set_links(wp, ids)
    session.add(wp)
    session.flush()
    return wp


def update(session: Session, principal: Principal, program_id: int, data: WorkProgramUpdate, expected: ExpectedVersion) -> WorkProgram:
    wp = get(session, principal, program_id, lock=True)
    expected.check(wp.version, lambda: to_read(session, wp, principal))
    policy.require(principal, Action.update, wp)
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    reject_nulls(changes, "title", "status", "allocation_ids")
    start = changes["start_date"] if "start_date" in changes else wp.start_date
    end = changes["end_date"] if "end_date" in changes else wp.end_date
    _check_schedule(wp.year, start, end)
    if "allocation_ids" in changes:
        ids = _check_allocations(session, wp.team_id, wp.year, changes["allocation_ids"])
        if ids != sorted(link.allocation_id for link in wp.links):
            _set_links(wp, ids)
            wp.updated_at = utcnow()  # the links are part of the record: a new version
    if "spm_field" in changes:
        wp.spm_field = changes["spm_field"].value if changes["spm_field"] else None
    if "status" in changes:
        wp.status = changes["status"].value
    assign(wp, changes, "title", "description", "start_date", "end_date", "person_in_charge")
    flush_write(session)
    return wp


def delete(session: Session, principal: Principal, program_id: int) -> None:
    wp = get(session, principal, program_id)
    policy.require(principal, Action.delete, wp)
    session.delete(wp)
    flush_write(session)


def unlink_allocations(session: Session, allocation_ids: list[int]) -> None:
    """Remove the links to budget allocations that are about to be deleted (as ORM deletes, so
    that each is audited), and let the programs that had them read their links afresh."""
    links = session.scalars(select(WorkProgramAllocation).where(WorkProgramAllocation.allocation_id.in_(allocation_ids))).all()
    for link in links:
        session.delete(link)
    programs = {link.work_program_id for link in links}
    if programs:
        session.flush()
        for wp in session.scalars(select(WorkProgram).where(WorkProgram.id.in_(programs))):
            session.expire(wp, ["links"])


budgets.ALLOCATIONS_REMOVED.append(unlink_allocations)


# -- the change feed shows these records as the API returns them (pembina.kit.feed) --------
feed.register(WorkProgram, WorkProgramRead, lambda session, principal, rows: _reads(session, list(rows), principal))

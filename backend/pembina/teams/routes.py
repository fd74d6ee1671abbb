from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.kit.errors import responses
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.kit.routing import api_router
from pembina.teams import service
from pembina.kit.params import RecordId
from pembina.teams.schemas import TeamFilters, MemberCreate, MemberRead, MemberUpdate, TeamCreate, TeamDetail, TeamRead, TeamUpdate
from pembina.kit.versioning import Expected


router = api_router(prefix="/teams", tags=["teams"])

Paging = Annotated[PageParams, Depends(sortable(service.SORTS))]


@router.get("", operation_id="teams-list")
def list_teams(db: DbSession, me: CurrentPrincipal, params: Paging, filters: Annotated[TeamFilters, Query()]) -> Page[TeamRead]:
    """List TP Posyandu teams in your region"""
    return service.list_teams(db, me, params, filters)


@router.post("", operation_id="teams-create", status_code=201, responses=responses(409))
def create_team(db: DbSession, me: CurrentPrincipal, body: TeamCreate) -> TeamDetail:
    """Create a team (one per region and kind)"""
    return TeamDetail(**service.to_read(service.create(db, me, body), me).model_dump(), members=[])


@router.get("/{team_id}", operation_id="teams-get")
def get_team(db: DbSession, me: CurrentPrincipal, team_id: RecordId) -> TeamDetail:
    """Get a team with its members"""
    return service.to_detail(service.get(db, me, team_id, members=True), me)


@router.patch("/{team_id}", operation_id="teams-update", responses=responses(409))
def update_team(db: DbSession, me: CurrentPrincipal, team_id: RecordId, body: TeamUpdate, expected: Expected) -> TeamRead:
    """Update a team (needs If-Match)"""
    return service.to_read(service.update(db, me, team_id, body, expected), me)


@router.delete("/{team_id}", operation_id="teams-delete", status_code=204, responses=responses(409))
def delete_team(db: DbSession, me: CurrentPrincipal, team_id: RecordId) -> None:
    """Delete a team and its members"""
    service.delete(db, me, team_id)


@router.get("/{team_id}/members", operation_id="team-members-list")
def list_members(db: DbSession, me: CurrentPrincipal, team_id: RecordId) -> list[MemberRead]:
    """List a team's members"""
    return service.list_members(db, me, team_id)


@router.post("/{team_id}/members", operation_id="team-members-create", status_code=201)
def add_member(db: DbSession, me: CurrentPrincipal, team_id: RecordId, body: MemberCreate) -> MemberRead:
    """Add a member to a team"""
    return service.member_read(service.add_member(db, me, team_id, body), me)


@router.get("/{team_id}/members/{member_id}", operation_id="team-members-get")
def get_member(db: DbSession, me: CurrentPrincipal, team_id: RecordId, member_id: RecordId) -> MemberRead:
    """Get a team member"""
    return service.member_read(service.get_member(db, me, team_id, member_id), me)


@router.patch("/{team_id}/members/{member_id}", operation_id="team-members-update")
def update_member(
    db: DbSession, me: CurrentPrincipal, team_id: RecordId, member_id: RecordId, body: MemberUpdate, expected: Expected
) -> MemberRead:
    """Update a team member (needs If-Match)"""
    return service.member_read(service.update_member(db, me, team_id, member_id, body, expected), me)


@router.delete("/{team_id}/members/{member_id}", operation_id="team-members-delete", status_code=204)
def delete_member(db: DbSession, me: CurrentPrincipal, team_id: RecordId, member_id: RecordId) -> None:
    """Remove a team member"""
    service.delete_member(db, me, team_id, member_id)

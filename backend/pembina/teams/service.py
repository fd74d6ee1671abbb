"""TP Posyandu teams and their members: one team per region and kind, at any level."""

from __future__ import annotations

from functools import partial

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from pembina.kit.i18n import tr
from pembina.auth import policy
from pembina.auth.policy import Action
from pembina.kit import feed
from pembina.kit import clock
from pembina.kit.db import flush_write
from pembina.kit.errors import Conflict, NotFound, ValidationProblem
from pembina.kit.params import CODE_PATTERN
from pembina.kit.pagination import SEARCH_COUNT_LIMIT, Page, PageParams, apply_sort, paginate
from pembina.kit.patch import assign, reject_nulls, columns, stored
from pembina.kit import search as text_search
from pembina.kit.repository import get_or_404, get_scoped, where_equal
from pembina.regions.filters import held_in
from pembina.regions import service as regions
from pembina.kit.scope import Principal, level_of
from pembina.teams.models import Team, TeamMember
from pembina.teams.schemas import (
    TeamFilters,
    MemberCreate,
    MemberRead,
    MemberUpdate,
    Position,
    TeamCreate,
    TeamDetail,
    TeamKind,
    TeamRead,
    TeamUpdate,
)
from pembina.kit.versioning import ExpectedVersion

SORTS = {"name": Team.name, "region_code": Team.region_code, "level": Team.level, "kind": Team.kind, "created_at": Team.created_at}
KIND_LABEL = {
    TeamKind.tp_posyandu: "TP Posyandu",
    TeamKind.pokjanal_posyandu: "Pokjanal Posyandu",
    TeamKind.pokja_posyandu: "Pokja Posyandu",
}


#: Called with (session, region code) after a team is created, changed or deleted. The domains
#: that count teams register here (the decrees' compliance counters: `pembina.decrees.compliance`),
#: so that teams depend on none of them.
TEAM_CHANGED: list[Callable[[Session, str], None]] = []


def _changed(session: Session, code: str | None) -> None:
    if code is None:  # a national team is counted in no region
        return
    for hook in TEAM_CHANGED:
        hook(session, code)


# -- teams -----------------------------------------------------------------------


def to_read(t: Team, principal: Principal) -> TeamRead:
    return policy.read(TeamRead, principal, t)


def to_detail(t: Team, principal: Principal) -> TeamDetail:
    return policy.read(TeamDetail, principal, t, members=[member_read(m, principal) for m in t.members])


def get(session: Session, principal: Principal, team_id: int, *, members: bool = False, lock: bool = False) -> Team:
    options = [selectinload(Team.members)] if members else []
    return get_or_404(session, Team, team_id, tr("Team", "Tim"), lock=lock, options=options, visible=partial(policy.readable, principal))


def _same_holder(code: str | None) -> Any:
    """Teams of the same holder: the region `code`, or the nation (NULL never equals NULL)."""
    return Team.region_code.is_(None) if code is None else Team.region_code == code


def check_named(session: Session, principal: Principal, team_id: int | None, region_code: str | None, mismatch: str) -> None:
    """For a record that names a team (a decree, a meeting): a team the caller cannot see is a 422
    "Team <id> does not exist.", a team of another region than the record's a 422 saying `mismatch`."""
    if team_id is None:
        return
    try:
        team = get(session, principal, team_id)
    except NotFound:
        raise ValidationProblem(f"Team {team_id} does not exist.", f"Tim {team_id} tidak ada.", loc=["body", "team_id"]) from None
    if team.region_code != region_code:
        raise ValidationProblem(mismatch, loc=["body", "team_id"])


def _check_formed_on(formed_on: date | None) -> None:
    # the counters count a team from today on: a team "formed" later would be counted before it exists
    if formed_on is not None and formed_on > clock.today():
        raise ValidationProblem("formed_on cannot be in the future.", "formed_on tidak boleh di masa depan.", loc=["body", "formed_on"])


def _check_succeeds(
    session: Session, principal: Principal, kind: str, region_code: str | None, team_id: int | None, succeeds: int | None
) -> None:
    """A TP Posyandu may name the team of its own region it succeeds: a Pokjanal/Pokja, never itself."""
    if succeeds is None:
        return
    loc: list[str | int] = ["body", "succeeds_team_id"]
    if kind != TeamKind.tp_posyandu.value:
        raise ValidationProblem(
            "Only a TP Posyandu records the team it succeeds.", "Hanya TP Posyandu yang mencatat tim yang digantikannya.", loc=loc
        )
    if succeeds == team_id:
        raise ValidationProblem("A team cannot succeed itself.", "Sebuah tim tidak dapat menggantikan dirinya sendiri.", loc=loc)
    try:
        predecessor = get(session, principal, succeeds)
    except NotFound:
        raise ValidationProblem(f"Team {succeeds} does not exist.", f"Tim {succeeds} tidak ada.", loc=loc) from None
    if predecessor.region_code != region_code:
        raise ValidationProblem(
            "A TP Posyandu succeeds a team of its own region.", "TP Posyandu menggantikan tim dari wilayahnya sendiri.", loc=loc
        )
    if predecessor.kind == TeamKind.tp_posyandu.value:
        raise ValidationProblem(
            "A TP Posyandu succeeds a Pokjanal or Pokja Posyandu, not another TP Posyandu.",
            "TP Posyandu menggantikan Pokjanal atau Pokja Posyandu, bukan TP Posyandu lain.",
            loc=loc,
        )


def list_teams(session: Session, principal: Principal, params: PageParams, filters: TeamFilters) -> Page[TeamRead]:
    stmt = where_equal(held_in(select(Team), Team, principal, filters), (Team.kind, filters.kind), (Team.is_active, filters.active))
    if filters.q:
        stmt = stmt.where(text_search.matches(session, Team, filters.q))
    stmt = apply_sort(stmt, params.sort, SORTS, default=[Team.region_code], tiebreak=Team.id)
    return paginate(session, stmt, params, lambda t: to_read(t, principal), count_at_most=SEARCH_COUNT_LIMIT if filters.q else None)


def create(session: Session, principal: Principal, data: TeamCreate) -> Team:
    if data.region_code is not None and not _valid_code(data.region_code):
        raise ValidationProblem(
            f"'{data.region_code}' is not a region code.", f"'{data.region_code}' bukan kode wilayah.", loc=["body", "region_code"]
        )
    holder = "Nasional" if data.region_code is None else regions.require_existing(session, data.region_code).name
    policy.require(principal, Action.create_team, policy.region(data.region_code))
    if session.scalar(select(Team.id).where(_same_holder(data.region_code), Team.kind == data.kind.value)) is not None:
        raise Conflict(
            f"{'The nation' if data.region_code is None else holder} already has a {KIND_LABEL[data.kind]} team.",
            f"{holder} sudah memiliki tim {KIND_LABEL[data.kind]}.",
        )
    _check_formed_on(data.formed_on)
    _check_succeeds(session, principal, data.kind.value, data.region_code, None, data.succeeds_team_id)
    team = Team(**columns(data, "name"), level=level_of(data.region_code), name=data.name or f"{KIND_LABEL[data.kind]} {holder}")
    session.add(team)
    session.flush()
    _changed(session, team.region_code)
    return team


def update(session: Session, principal: Principal, team_id: int, data: TeamUpdate, expected: ExpectedVersion) -> Team:
    team = get(session, principal, team_id, lock=True)
    expected.check(team.version, lambda: to_read(team, principal))
    policy.require(principal, Action.update, team)
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    reject_nulls(changes, "kind", "name", "is_active")
    if "kind" in changes and changes["kind"] != team.kind:
        clash = session.scalar(
            select(Team.id).where(_same_holder(team.region_code), Team.kind == changes["kind"].value, Team.id != team.id)
        )
        if clash is not None:
            raise Conflict(
                f"This region already has a {KIND_LABEL[changes['kind']]} team.",
                f"Wilayah ini sudah memiliki tim {KIND_LABEL[changes['kind']]}.",
            )
        team.kind = changes["kind"].value
    if "formed_on" in changes:
        _check_formed_on(changes["formed_on"])
    if "succeeds_team_id" in changes or "kind" in changes:
        # a team that becomes a Pokjanal/Pokja cannot keep a predecessor
        succeeds = changes.get("succeeds_team_id", team.succeeds_team_id)
        _check_succeeds(session, principal, team.kind, team.region_code, team.id, succeeds)
    assign(team, changes, "name", "notes", "formed_on", "succeeds_team_id", "is_active")
    flush_write(session)
    _changed(session, team.region_code)
    return team


def delete(session: Session, principal: Principal, team_id: int) -> None:
    team = get(session, principal, team_id, members=True)
    policy.require(principal, Action.delete, team)
    code = team.region_code
    session.delete(team)
    try:
        flush_write(session)
    except IntegrityError:
        # decrees, budgets, work programs, competition entrants and a successor team refer to their team ON DELETE RESTRICT
        raise Conflict(
            "Budgets, work programs, decrees, competition entrants or the team that succeeds it refer to this team: "
            "delete or detach them first (or mark the team inactive).",
            "Anggaran, program kerja, SK, peserta lomba atau tim penggantinya merujuk ke tim ini: hapus atau lepaskan dulu (atau tandai tim tidak aktif).",
        ) from None
    _changed(session, code)


def _valid_code(code: str) -> bool:
    return re.match(CODE_PATTERN, code) is not None


# -- members ---------------------------------------------------------------------


def member_read(m: TeamMember, principal: Principal) -> MemberRead:
    return policy.read(MemberRead, principal, m)


def _check_spm(position: Position | str, spm_field: Any) -> None:
    if Position(position) == Position.ketua_bidang and spm_field is None:
        raise ValidationProblem("A ketua bidang needs its SPM field.", "Ketua bidang memerlukan bidang SPM-nya.", loc=["body", "spm_field"])
    if Position(position) != Position.ketua_bidang and spm_field is not None:
        raise ValidationProblem(
            "Only a ketua bidang has an SPM field.", "Hanya ketua bidang yang memiliki bidang SPM.", loc=["body", "spm_field"]
        )


def list_members(session: Session, principal: Principal, team_id: int) -> list[MemberRead]:
    get(session, principal, team_id)
    rows = session.scalars(select(TeamMember).where(TeamMember.team_id == team_id).order_by(TeamMember.id))
    return [member_read(m, principal) for m in rows]


def get_member(session: Session, principal: Principal, team_id: int, member_id: int, *, lock: bool = False) -> TeamMember:
    return get_scoped(
        session, principal, TeamMember, member_id, tr("Team member", "Anggota tim"), parent=(TeamMember.team_id, team_id), lock=lock
    )


def add_member(session: Session, principal: Principal, team_id: int, data: MemberCreate) -> TeamMember:
    team = get(session, principal, team_id)
    policy.require(principal, Action.add_member, team)
    _check_spm(data.position, data.spm_field)
    member = TeamMember(**columns(data), team_id=team.id, region_code=team.region_code)
    session.add(member)
    session.flush()
    return member


def update_member(
    session: Session, principal: Principal, team_id: int, member_id: int, data: MemberUpdate, expected: ExpectedVersion
) -> TeamMember:
    member = get_member(session, principal, team_id, member_id, lock=True)
    expected.check(member.version, lambda: member_read(member, principal))
    policy.require(principal, Action.update, member)
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    reject_nulls(changes, "position", "name")
    position = changes.get("position", member.position)
    spm = changes["spm_field"] if "spm_field" in changes else member.spm_field
    if "position" in changes and Position(position) != Position.ketua_bidang and "spm_field" not in changes:
        spm = None
    _check_spm(position, spm)
    start = changes["term_start"] if "term_start" in changes else member.term_start
    end = changes["term_end"] if "term_end" in changes else member.term_end
    if start and end and end < start:
        raise ValidationProblem(
            "term_end must not be before term_start.", "term_end tidak boleh sebelum term_start.", loc=["body", "term_end"]
        )
    member.position = Position(position).value
    member.spm_field = stored(spm)
    assign(member, changes, "name", "institution", "phone", "term_start", "term_end")
    flush_write(session)
    return member


def delete_member(session: Session, principal: Principal, team_id: int, member_id: int) -> None:
    member = get_member(session, principal, team_id, member_id)
    policy.require(principal, Action.delete, member)
    session.delete(member)
    session.flush()


# -- the change feed shows these records as the API returns them (pembina.kit.feed) --------
feed.register(Team, TeamRead, feed.each(to_read))
feed.register(TeamMember, MemberRead, feed.each(member_read))

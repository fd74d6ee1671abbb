"""Team-member and decree imports, row by row through the domain services.

These files are small (a region's teams and SKs), so each row goes through the very service
functions the API uses (teams.service, decrees.service): the same rules, role checks,
compliance counters and audit events. Each row runs in a savepoint, so a refused row is
reported and undone; any error, or a dry run, rolls the whole import back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from pembina.kit.i18n import tr
from pembina.auth import policy
from pembina.auth.policy import Action
from pembina.kit.db import flush_write
from pembina.decrees import service as decrees
from pembina.decrees.models import Decree
from pembina.decrees.schemas import DecreeAction, DecreeCreate, DecreeSubject, DecreeUpdate, TransitionCreate
from pembina.kit.errors import OutOfScope, Problem
from pembina.imports.columns import COLUMNS
from pembina.imports.rows import Errors, read_header
from pembina.imports.rows import records as parse_records
from pembina.imports.schemas import ImportKind, ImportMode
from pembina.kit.scope import Principal
from pembina.teams import service as teams
from pembina.teams.models import Team, TeamMember
from pembina.teams.schemas import MemberCreate, Position, TeamCreate, TeamKind
from pembina.kit.versioning import ExpectedVersion

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"

#: Where a domain error points (the service's body field) -> the file's column.
TEAM_FIELDS = {
    "name": "member_name",
    "kind": "team_kind",
    "term_end": "term_end",
    "term_start": "term_start",
    "spm_field": "spm_field",
    "position": "position",
    "phone": "phone",
}


class RowRefused(Exception):
    def __init__(self, column: str | None, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


def _first_named(kind: ImportKind, message: str) -> str | None:
    """The column a message names first (model-level errors carry no location)."""
    named = sorted((message.find(c.name), c.name) for c in COLUMNS[kind] if c.name in message)
    return named[0][1] if named else None


def _column_of(problem: Problem, fields: dict[str, str]) -> str | None:
    errors = problem.extra.get("errors") or []
    loc = errors[0].get("loc", []) if errors else []
    field = str(loc[-1]) if loc else None
    return fields.get(field, field) if field else None


def _ensure_covers(principal: Principal, code: str) -> None:
    if not principal.covers(code):
        raise OutOfScope(
            f"{code} is outside your region ({principal.region_code or 'national'}).",
            f"{code} berada di luar wilayah Anda ({principal.region_code or 'nasional'}).",
        )


def _team_row(session: Session, principal: Principal, v: dict[str, Any], present: set[str]) -> str:
    code = v["region_code"]
    _ensure_covers(principal, code)
    kind = TeamKind(v.get("team_kind") or TeamKind.tp_posyandu)
    outcome = UNCHANGED
    team = session.scalar(select(Team).where(Team.region_code == code, Team.kind == kind.value))
    if team is None:
        team = teams.create(session, principal, TeamCreate(region_code=code, kind=kind, name=v.get("team_name")))
        outcome = CREATED
    else:
        policy.require(principal, Action.add_member, team)
    position = Position(v["position"])
    spm = v.get("spm_field")
    member = session.scalar(
        select(TeamMember)
        .where(
            TeamMember.team_id == team.id,
            TeamMember.position == position.value,
            TeamMember.spm_field.is_not_distinct_from(spm),
            TeamMember.name == v["member_name"],
        )
        .limit(1)
    )
    if member is None:
        data = MemberCreate(
            position=position,
            spm_field=spm,
            name=v["member_name"],
            institution=v.get("institution"),
            phone=v.get("phone"),
            term_start=v.get("term_start"),
            term_end=v.get("term_end"),
        )
        teams.add_member(session, principal, team.id, data)
        return CREATED
    changed = False
    for key in ("institution", "phone", "term_start", "term_end"):
        if key in present and getattr(member, key) != v.get(key):
            setattr(member, key, v.get(key))
            changed = True
    if member.term_start and member.term_end and member.term_end < member.term_start:
        raise RowRefused("term_end", "term_end must not be before term_start")
    if changed:
        flush_write(session)
        return UPDATED if outcome == UNCHANGED else outcome
    return outcome


def _decree_row(session: Session, principal: Principal, v: dict[str, Any], present: set[str]) -> str:
    code, number = v["region_code"], v["number"]
    _ensure_covers(principal, code)
    found = session.scalars(select(Decree).where(Decree.region_code == code, Decree.number == number).limit(2)).all()
    if len(found) > 1:
        raise RowRefused("number", tr(f"Several decrees of {code} have the number '{number}'.", f"Beberapa SK {code} bernomor '{number}'."))
    outcome = UNCHANGED
    if not found:
        d = decrees.create(
            session,
            principal,
            DecreeCreate(
                region_code=code,
                subject=DecreeSubject(v.get("subject") or DecreeSubject.team_formation),
                title=v["title"],
                number=number,
                decree_date=v.get("decree_date"),
                signer=v.get("signer"),
                notes=v.get("notes"),
            ),
        )
        outcome = CREATED
    else:
        d = found[0]
        principal.ensure_record(d.region_code, tr("Decree", "SK"))
        changes = {k: v.get(k) for k in ("subject", "title", "decree_date", "signer", "notes") if k in present}
        if changes.get("subject") is None:
            changes.pop("subject", None)  # blank: keep the subject
        changes = {k: val for k, val in changes.items() if getattr(d, k) != val}
        if changes:
            decrees.update(session, principal, d.id, DecreeUpdate(**changes), ExpectedVersion.of(d.version))
            outcome = UPDATED
    wanted = v.get("status") or "draft"
    if wanted == "issued" and d.status == "draft":
        decrees.transition(session, principal, d.id, TransitionCreate(action=DecreeAction.issue), ExpectedVersion())
        outcome = UPDATED if outcome == UNCHANGED else outcome
    elif wanted == "draft" and d.status != "draft":
        raise RowRefused(
            "status",
            tr(
                f"The decree is already {d.status}: an import cannot take it back to draft.",
                f"SK sudah berstatus {d.status}: impor tidak dapat mengembalikannya ke draf.",
            ),
        )
    elif wanted == "issued" and d.status == "revoked":
        raise RowRefused(
            "status",
            tr("The decree is revoked: an import cannot issue it again.", "SK sudah dicabut: impor tidak dapat menerbitkannya lagi."),
        )
    return outcome


ROW_WRITERS: dict[
    ImportKind,
    tuple[Callable[[Session, Principal, dict[str, Any], set[str]], str], Callable[[dict[str, Any]], tuple[Any, ...]], dict[str, str]],
] = {
    ImportKind.teams: (
        _team_row,
        lambda v: (v["region_code"], v.get("team_kind") or "tp_posyandu", v["position"], v.get("spm_field"), v["member_name"]),
        TEAM_FIELDS,
    ),
    ImportKind.decrees: (_decree_row, lambda v: (v["region_code"], v["number"]), {}),
}


def run(
    session: Session,
    principal: Principal,
    kind: ImportKind,
    mode: ImportMode,
    raw: Iterator[list[str]],
    errors: Errors,
    progress: Callable[[int], None] | None,
) -> tuple[int, int, int]:
    write, key_of, fields = ROW_WRITERS[kind]
    header, present, header_row = read_header(raw, COLUMNS[kind], errors)
    if errors:
        return (0, 0, 0)
    counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0}
    seen: dict[tuple[Any, ...], int] = {}
    outer = session.begin_nested()
    for row_no, v in parse_records(raw, header, header_row, errors):
        key = key_of(v)
        if key in seen:
            errors.add(
                row_no,
                None,
                None,
                tr(
                    f"The same record is given twice in the file (also on row {seen[key]}).",
                    f"Data yang sama muncul dua kali dalam berkas (juga di baris {seen[key]}).",
                ),
            )
            continue
        seen[key] = row_no
        try:
            with session.begin_nested():
                counts[write(session, principal, v, present)] += 1
        except RowRefused as e:
            errors.add(row_no, e.column, None if e.column is None else str(v.get(e.column) or ""), e.message)
        except OutOfScope as e:
            errors.add(row_no, "region_code", v["region_code"], e.detail or "outside your region")
        except Problem as e:
            errors.add(row_no, _column_of(e, fields), None, e.detail or e.title)
        except ValidationError as e:
            first = e.errors()[0]
            col = str(first["loc"][-1]) if first.get("loc") else _first_named(kind, first["msg"])
            errors.add(row_no, fields.get(col, col) if col else None, None, first["msg"])
        if progress:
            progress(1)
    if errors or mode == ImportMode.dry_run:
        outer.rollback()
    else:
        outer.commit()
    return counts[CREATED], counts[UPDATED], counts[UNCHANGED]

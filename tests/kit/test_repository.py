"""The kit's reading helpers (`pembina.kit.repository`): one record by id in scope, the opening of
a scoped list, and the search box, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Select, event, select
from sqlalchemy.orm import Session

from pembina.kit.errors import NotFound, OutOfScope
from pembina.kit.repository import get_or_404, get_scoped, scoped_select, search
from pembina.kit.roles import Role
from pembina.kit.scope import Principal
from pembina.teams.models import Team, TeamMember

KLEGO = "33.75.02.1008"  # a village of Kota Pekalongan (33.75), Jawa Tengah (33)
SERANG = "36.73"


def principal(region_code: str | None) -> Principal:
    return Principal(
        kind="user",
        id=1,
        name="probe",
        role=Role.national_admin if region_code is None else Role.regency_coordinator,
        region_code=region_code,
    )


def team(db: Session, region_code: str, name: str, notes: str | None = None) -> Team:
    t = Team(region_code=region_code, level=region_code.count(".") + 1, kind="tp_posyandu", name=name, notes=notes)
    db.add(t)
    db.flush()
    return t


@pytest.fixture
def teams(db: Session) -> dict[str, Team]:
    return {
        "klego": team(db, KLEGO, "TP Posyandu Klego", notes="Kelurahan KLEGO"),
        "pekalongan": team(db, "33.75", "TP Posyandu Kota Pekalongan"),
        "serang": team(db, SERANG, "TP Posyandu Kota Serang", notes="100% hadir_rakor \\ DAK"),
        "jateng": team(db, "33", "TP Posyandu Jawa Tengah"),
    }


@pytest.fixture
def statements(db: Session) -> Iterator[list[str]]:
    seen: list[str] = []

    def spy(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    connection = db.connection()
    event.listen(connection, "before_cursor_execute", spy)
    try:
        yield seen
    finally:
        event.remove(connection, "before_cursor_execute", spy)


# -- get_or_404 / get_scoped -------------------------------------------------------------


def test_get_or_404_finds_the_record_or_names_what_is_missing(db, teams):
    assert get_or_404(db, Team, teams["klego"].id, "Team") is teams["klego"]
    with pytest.raises(NotFound) as missing:
        get_or_404(db, Team, 2_000_000_000, "Team")
    assert (missing.value.status, missing.value.detail) == (404, "Team not found.")


def test_get_or_404_treats_a_record_of_another_parent_as_missing(db, teams):
    member = TeamMember(team_id=teams["klego"].id, region_code=KLEGO, position="ketua", name="Probe")
    db.add(member)
    db.flush()
    assert get_or_404(db, TeamMember, member.id, "Team member", parent=(TeamMember.team_id, teams["klego"].id)) is member
    with pytest.raises(NotFound, match="Team member not found."):
        get_or_404(db, TeamMember, member.id, "Team member", parent=(TeamMember.team_id, teams["serang"].id))


def test_get_scoped_hides_records_outside_the_callers_region_as_missing(db, teams):
    assert get_scoped(db, principal("33.75"), Team, teams["klego"].id, "Team") is teams["klego"]
    assert get_scoped(db, principal(None), Team, teams["serang"].id, "Team") is teams["serang"]
    for outside in (teams["serang"], teams["jateng"]):  # a sibling, and an ancestor of the caller's region
        with pytest.raises(NotFound, match="^Team not found.$"):
            get_scoped(db, principal("33.75"), Team, outside.id, "Team")


def test_get_scoped_reads_the_region_where_the_call_says(db, teams):
    # a member whose own region_code disagrees with its team's: the call decides which one counts
    member = TeamMember(team_id=teams["serang"].id, region_code=KLEGO, position="ketua", name="Probe")
    db.add(member)
    db.flush()

    def by_team(m: TeamMember) -> str:
        return teams["serang"].region_code if m.team_id == teams["serang"].id else "?"

    assert get_scoped(db, principal(SERANG), TeamMember, member.id, "Team member", region=by_team) is member
    with pytest.raises(NotFound, match="Team member not found."):
        get_scoped(db, principal("33"), TeamMember, member.id, "Team member", region=by_team)
    assert get_scoped(db, principal("33"), TeamMember, member.id, "Team member") is member  # its own region_code


def test_a_locked_read_locks_only_the_records_own_table(db, database, teams, statements):
    db.expunge_all()  # a record already in the session is not read again, as with Session.get
    found = get_scoped(db, principal(None), Team, teams["pekalongan"].id, "Team", lock=True)
    assert found.name == "TP Posyandu Kota Pekalongan"
    # the record's own read, its provenance outer-joined in the same statement (`kit.provenance.Sourced`)
    # and never locked: only the record's own table is (PostgreSQL refuses to lock an outer join's
    # nullable side, and a provenance row is nobody's to lock)
    (read,) = [s for s in statements if "FROM teams" in s]
    assert "JOIN provenance" in read
    if database.backend == "postgresql":
        assert "FOR UPDATE OF teams" in read and "FOR UPDATE OF teams, provenance" not in read
    else:
        assert "FOR UPDATE" not in read


# -- scoped_select -------------------------------------------------------------------------


def names(db: Session, stmt: Select[Any]) -> set[str]:
    return {t.name for t in db.scalars(stmt)}


def test_scoped_select_keeps_the_callers_subtree_and_narrows_to_a_region(db, teams):
    everything = {"TP Posyandu Klego", "TP Posyandu Kota Pekalongan", "TP Posyandu Kota Serang", "TP Posyandu Jawa Tengah"}
    assert names(db, scoped_select(select(Team), Team.region_code, principal(None), None)) == everything
    assert names(db, scoped_select(select(Team), Team.region_code, principal(None), "33")) == everything - {"TP Posyandu Kota Serang"}
    assert names(db, scoped_select(select(Team), Team.region_code, principal("33.75"), None)) == {
        "TP Posyandu Klego",
        "TP Posyandu Kota Pekalongan",
    }
    assert names(db, scoped_select(select(Team), Team.region_code, principal("33.75"), KLEGO)) == {"TP Posyandu Klego"}


def test_scoped_select_refuses_a_region_outside_the_callers(db):
    for region in (SERANG, "33"):
        with pytest.raises(OutOfScope):
            scoped_select(select(Team), Team.region_code, principal("33.75"), region)


# -- search --------------------------------------------------------------------------------


def matches(db: Session, q: str, *columns: Any) -> set[str]:
    return {t.name for t in db.scalars(select(Team).where(search(q, *columns)))}


def test_search_is_case_insensitive_and_ors_its_columns(db, teams):
    assert matches(db, "  kota PEKALONGAN ", Team.name) == {"TP Posyandu Kota Pekalongan"}
    assert matches(db, "klego", Team.notes) == {"TP Posyandu Klego"}
    assert "TP Posyandu Klego" in matches(db, "klego", Team.name, Team.notes)
    assert matches(db, "dak", Team.name, Team.notes) == {"TP Posyandu Kota Serang"}


def test_search_takes_like_wildcards_and_the_escape_literally(db, teams):
    assert matches(db, "100%", Team.notes) == {"TP Posyandu Kota Serang"}
    assert matches(db, "0% h", Team.notes) == {"TP Posyandu Kota Serang"}
    assert matches(db, "hadir_rakor", Team.notes) == {"TP Posyandu Kota Serang"}
    assert matches(db, "%", Team.name) == set()  # no name holds a literal %
    assert matches(db, "_", Team.name) == set()
    assert matches(db, "\\ dak", Team.notes) == {"TP Posyandu Kota Serang"}
    assert matches(db, "\\", Team.name) == set()


def test_search_needs_a_column():
    with pytest.raises(ValueError):
        search("x")

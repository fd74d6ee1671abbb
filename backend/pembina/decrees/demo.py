"""Demo teams and decrees from the seed articles (shared/seeds). Idempotent.

* Kota Pekalongan (33.75): "baru 22 Kelurahan yang telah menerbitkan SK TP Posyandu Kelurahan dan
  telah melaporkan kepada DPMPPA" (rakor of 25 June 2025). All 27 kelurahan get a team; 22 get
  their SK issued and reported, effective 25 June 2025 (the date the seed attests; the SKs' own
  numbers and dates are not in the seeds, so none are invented). The seed does not name the five
  kelurahan still missing: we choose, deterministically, the LAST FIVE BY CODE to be them.
  The city team (Ketua Inggit Soraya, Sekretaris Puji Winarti, as the seeds name them), the four
  district teams, and the legacy Pokjanal Posyandu Kota (SK Pokjanal Posyandu Tahun 2023, inactive).
* Kota Serang (36.73): the city team and "Keputusan Wali Kota Serang No. 274 Tahun 2024 tentang
  Tim Pembina Posyandu", issued (recorded as in force on 21 April 2025, the rakor that cites it).
* Kalimantan Tengah (62): the province team (its rakor of 1 December 2025).
No other members: the seeds name nobody else in a team position.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pembina.kit.db import utcnow
from pembina.decrees import compliance
from pembina.decrees.models import Decree, DecreeTransition
from pembina.regions.models import Region
from pembina.kit.scope import level_of
from pembina.teams.models import Team, TeamMember

PEKALONGAN = "33.75"
REPORTED_BY = date(2025, 6, 25)
MISSING_COUNT = 5  # the last five kelurahan by code (the seed does not name them)
SERANG = "36.73"
SERANG_IN_FORCE = date(2025, 4, 21)
KALTENG = "62"

LEVEL_WORD = {1: "Provinsi", 2: "", 3: "Kecamatan", 4: "Kelurahan"}


def _team(
    session: Session, region: Region, *, kind: str = "tp_posyandu", name: str | None = None, notes: str | None = None, active: bool = True
) -> tuple[Team, bool]:
    team = session.scalar(select(Team).where(Team.region_code == region.code, Team.kind == kind))
    if team is not None:
        return team, False
    if name is None:
        word = LEVEL_WORD[region.level] if region.level != 4 else ("Desa" if region.type == "desa" else "Kelurahan")
        name = f"TP Posyandu {word} {region.name}".replace("  ", " ")
    team = Team(region_code=region.code, level=region.level, kind=kind, name=name, notes=notes, is_active=active)
    session.add(team)
    session.flush()
    compliance.refresh(session, region.code)
    return team, True


def _member(session: Session, team: Team, position: str, name: str, institution: str | None = None) -> None:
    if session.scalar(select(TeamMember.id).where(TeamMember.team_id == team.id, TeamMember.name == name)) is None:
        session.add(TeamMember(team_id=team.id, region_code=team.region_code, position=position, name=name, institution=institution))


def _decree(
    session: Session,
    team: Team,
    *,
    title: str,
    number: str | None,
    signer: str,
    steps: list[tuple[str, str, date]],
    notes: str | None = None,
) -> bool:
    """A team-formation decree taken through `steps` [(action, to_status, effective date)]."""
    exists = session.scalar(select(Decree.id).where(Decree.region_code == team.region_code, Decree.subject == "team_formation").limit(1))
    if exists is not None:
        return False
    decree = Decree(
        region_code=team.region_code,
        level=level_of(team.region_code),
        subject="team_formation",
        title=title,
        number=number,
        signer=signer,
        team_id=team.id,
        status="draft",
        notes=notes,
    )
    session.add(decree)
    session.flush()
    status = "draft"
    for action, to_status, effective in steps:
        session.add(
            DecreeTransition(
                decree_id=decree.id,
                region_code=decree.region_code,
                level=decree.level,
                subject=decree.subject,
                action=action,
                from_status=status,
                to_status=to_status,
                effective_date=effective,
                actor="system:demo",
                actor_name="Demo data (seed articles)",
                occurred_at=utcnow(),
            )
        )
        status = to_status
    decree.status = status
    session.flush()
    compliance.refresh(session, decree.region_code)
    return True


def demo_teams(session: Session) -> str:
    created_teams = created_decrees = 0

    # Kota Pekalongan
    city = session.get(Region, PEKALONGAN)
    if city is None:
        return "demo teams: regions not loaded (run `pembina load-regions`)"
    city_team, new = _team(session, city, name="TP Posyandu Kota Pekalongan")
    created_teams += new
    _member(session, city_team, "ketua", "Inggit Soraya")
    _member(session, city_team, "sekretaris", "Puji Winarti", "DPMPPA Kota Pekalongan")
    _, new = _team(
        session,
        city,
        kind="pokjanal_posyandu",
        name="Pokjanal Posyandu Kota Pekalongan",
        active=False,
        notes="Disahkan melalui SK Pokjanal Posyandu Tahun 2023 (Perwal No. 63 Tahun 2021 tentang LKK); "
        "digantikan oleh TP Posyandu (Permendagri No. 13 Tahun 2024).",
    )
    created_teams += new
    districts = session.scalars(select(Region).where(Region.parent_code == PEKALONGAN).order_by(Region.code)).all()
    for d in districts:
        created_teams += _team(session, d)[1]
    villages = session.scalars(select(Region).where(Region.level == 4, Region.code.like(PEKALONGAN + ".%")).order_by(Region.code)).all()
    reporting = villages[: len(villages) - MISSING_COUNT]
    for v in villages:
        team, new = _team(session, v)
        created_teams += new
        if v in reporting:
            created_decrees += _decree(
                session,
                team,
                title=f"SK TP Posyandu Kelurahan {v.name}",
                number=None,
                signer=f"Lurah {v.name}",
                steps=[("issue", "issued", REPORTED_BY), ("report", "reported", REPORTED_BY)],
                notes="Issued and reported to DPMPPA Kota Pekalongan by 25 June 2025 (rakor of that day).",
            )

    # Kota Serang
    serang = session.get(Region, SERANG)
    if serang is not None:
        team, new = _team(session, serang, name="TP Posyandu Kota Serang")
        created_teams += new
        created_decrees += _decree(
            session,
            team,
            title="Keputusan Wali Kota Serang No. 274 Tahun 2024 tentang Tim Pembina Posyandu",
            number="274 Tahun 2024",
            signer="Wali Kota Serang",
            steps=[("issue", "issued", SERANG_IN_FORCE)],
            notes="Cited as legal basis of the Rakor TP Posyandu Kota Serang, 21 April 2025.",
        )

    # Kalimantan Tengah
    kalteng = session.get(Region, KALTENG)
    if kalteng is not None:
        created_teams += _team(session, kalteng, name="TP Posyandu Provinsi Kalimantan Tengah")[1]

    session.flush()
    return f"demo teams: {created_teams} teams and {created_decrees} decrees created (Kota Pekalongan: {len(reporting)} of {len(villages)} kelurahan reported)"

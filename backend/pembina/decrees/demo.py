"""Demo teams and decrees from the seed articles (shared/seeds). Idempotent.

Each record is marked with its source (`kit.seeds`): `seed` when the article states it,
`illustrative` when the demo chose what the article does not say.

* Kota Pekalongan (33.75): "baru 22 Kelurahan yang telah menerbitkan SK TP Posyandu Kelurahan dan
  telah melaporkan kepada DPMPPA" (rakor of 25 June 2025). The seed gives the count, not which
  kelurahan: the demo makes the LAST FIVE BY CODE the ones still missing and the others the 22,
  and records each of the 22 SKs as issued and reported on 25 June 2025 (the SKs' own dates and
  numbers are not in the seeds). All of that is illustrative: every kelurahan team and SK is
  marked so (and the SKs' notes say it), the counts 22 of 27 being the seed's.
  The city team (Ketua Inggit Soraya, Sekretaris Puji Winarti, as the seeds name them): seed.
  The four district teams (the seed speaks of forming TP Posyandu "secara berjenjang"): illustrative.
  The legacy Pokjanal Posyandu Kota (SK Pokjanal Posyandu Tahun 2023; inactive: a demo choice).
* Kota Serang (36.73): the city team (seed) and "Keputusan Wali Kota Serang No. 274 Tahun 2024
  tentang Tim Pembina Posyandu", issued; its date is not in the seed, so it is recorded as in
  force on 21 April 2025, the rakor that cites it (illustrative).
* Kalimantan Tengah (62): the province team (its rakor of 1 December 2025): seed.
No other members: the seeds name nobody else in a team position.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pembina.kit.db import utcnow
from pembina.kit import seeds
from pembina.decrees import compliance
from pembina.decrees.models import Decree, DecreeTransition
from pembina.regions.models import Region
from pembina.kit.scope import level_of
from pembina.teams.models import Team, TeamMember

PEKALONGAN = "33.75"
REPORTED_BY = date(2025, 6, 25)
MISSING_COUNT = 5  # the last five kelurahan by code (the seed does not name them: illustrative)
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


def _member(session: Session, team: Team, position: str, name: str, institution: str | None = None) -> TeamMember:
    member = session.scalar(select(TeamMember).where(TeamMember.team_id == team.id, TeamMember.name == name))
    if member is None:
        member = TeamMember(team_id=team.id, region_code=team.region_code, position=position, name=name, institution=institution)
        session.add(member)
        session.flush()
    return member


def _decree(
    session: Session,
    team: Team,
    *,
    title: str,
    number: str | None,
    signer: str,
    steps: list[tuple[str, str, date]],
    notes: str | None = None,
) -> tuple[Decree, bool]:
    """A team-formation decree taken through `steps` [(action, to_status, effective date)]."""
    exists = session.scalar(
        select(Decree).where(Decree.region_code == team.region_code, Decree.subject == "team_formation").order_by(Decree.id).limit(1)
    )
    if exists is not None:
        return exists, False
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
    return decree, True


#: What is illustrative about the Kota Pekalongan kelurahan records.
NOT_REPORTED = (
    "Ilustrasi: sumber menyebut 22 dari 27 kelurahan telah menerbitkan dan melaporkan SK TP Posyandu Kelurahan per 25 Juni 2025, "
    "tanpa menyebut kelurahan mana yang belum. Demo memilih lima kelurahan terakhir menurut kode sebagai yang belum melapor; "
    "ini bukan fakta tentang kelurahan ini, dan sumber juga tidak menyebut timnya."
)
REPORTED = (
    "Ilustrasi: sumber menyebut 22 dari 27 kelurahan telah menerbitkan dan melaporkan SK TP Posyandu Kelurahan per 25 Juni 2025, "
    "tanpa menyebut namanya. Bahwa kelurahan ini termasuk, dan tanggal SK-nya (dicatat 25 Juni 2025, tanggal rakor), adalah "
    "pilihan demo."
)
DECREE_NOTE = (
    "Data demo (ilustrasi): dicatat terbit dan dilaporkan ke DPMPPA Kota Pekalongan pada 25 Juni 2025. Sumber hanya menyebut "
    "jumlahnya (22 kelurahan per rakor 25 Juni 2025), bukan kelurahan mana dan kapan SK-nya terbit."
)
DISTRICT = (
    "Ilustrasi: sumber menyebut pembentukan TP Posyandu secara berjenjang (kota, kecamatan, kelurahan) sebagai arahan, "
    "bukan bahwa tim kecamatan ini sudah terbentuk."
)


def demo_teams(session: Session) -> str:
    created_teams = created_decrees = 0

    # Kota Pekalongan
    city = session.get(Region, PEKALONGAN)
    if city is None:
        return "demo teams: regions not loaded (run `pembina load-regions`)"
    city_team, new = _team(session, city, name="TP Posyandu Kota Pekalongan")
    created_teams += new
    seeds.from_seed(session, city_team, seeds.PEKALONGAN_RAKORNAS, "Ketua Tim Pembina Posyandu Kota Pekalongan: Inggit Soraya.")
    ketua = _member(session, city_team, "ketua", "Inggit Soraya")
    seeds.from_seed(session, ketua, seeds.PEKALONGAN_RAKORNAS, "Ketua Tim Pembina Posyandu Kota Pekalongan.")
    sekretaris = _member(session, city_team, "sekretaris", "Puji Winarti", "DPMPPA Kota Pekalongan")
    seeds.from_seed(
        session,
        sekretaris,
        seeds.PEKALONGAN_RAKORNAS,
        "Sekretaris Tim Pembina Posyandu Kota Pekalongan; Kepala DPMPPA Kota Pekalongan menurut rakor 25 Juni 2025.",
    )
    pokjanal, new = _team(
        session,
        city,
        kind="pokjanal_posyandu",
        name="Pokjanal Posyandu Kota Pekalongan",
        active=False,
        notes="Disahkan melalui SK Pokjanal Posyandu Tahun 2023 (Perwal No. 63 Tahun 2021 tentang LKK); "
        "digantikan oleh TP Posyandu (Permendagri No. 13 Tahun 2024).",
    )
    created_teams += new
    seeds.illustrative(
        session,
        pokjanal,
        "Pokjanal Posyandu Tingkat Kota dan SK Pokjanal Posyandu Tahun 2023 dari sumber; bahwa tim ini kini tidak aktif "
        "(digantikan TP Posyandu) adalah pilihan demo.",
        seeds.PEKALONGAN_POKJANAL_2023,
    )
    districts = session.scalars(select(Region).where(Region.parent_code == PEKALONGAN).order_by(Region.code)).all()
    for d in districts:
        team, new = _team(session, d)
        created_teams += new
        seeds.illustrative(session, team, DISTRICT, seeds.PEKALONGAN_RAKOR_2025)
    villages = session.scalars(select(Region).where(Region.level == 4, Region.code.like(PEKALONGAN + ".%")).order_by(Region.code)).all()
    reporting = villages[: len(villages) - MISSING_COUNT]
    for v in villages:
        team, new = _team(session, v)
        created_teams += new
        if v in reporting:
            seeds.illustrative(session, team, REPORTED, seeds.PEKALONGAN_RAKOR_2025)
            decree, new = _decree(
                session,
                team,
                title=f"SK TP Posyandu Kelurahan {v.name}",
                number=None,
                signer=f"Lurah {v.name}",
                steps=[("issue", "issued", REPORTED_BY), ("report", "reported", REPORTED_BY)],
                notes=DECREE_NOTE,
            )
            created_decrees += new
            seeds.illustrative(session, decree, REPORTED, seeds.PEKALONGAN_RAKOR_2025)
        else:
            seeds.illustrative(session, team, NOT_REPORTED, seeds.PEKALONGAN_RAKOR_2025)

    # Kota Serang
    serang = session.get(Region, SERANG)
    if serang is not None:
        team, new = _team(session, serang, name="TP Posyandu Kota Serang")
        created_teams += new
        seeds.from_seed(
            session, team, seeds.SERANG_RAKOR_2025, "Keputusan Wali Kota Serang No. 274 Tahun 2024 tentang Tim Pembina Posyandu."
        )
        decree, new = _decree(
            session,
            team,
            title="Keputusan Wali Kota Serang No. 274 Tahun 2024 tentang Tim Pembina Posyandu",
            number="274 Tahun 2024",
            signer="Wali Kota Serang",
            steps=[("issue", "issued", SERANG_IN_FORCE)],
            notes="Cited as legal basis of the Rakor TP Posyandu Kota Serang, 21 April 2025. Its date of issue is not in the source: "
            "recorded as in force on the day of that rakor.",
        )
        created_decrees += new
        seeds.illustrative(
            session,
            decree,
            "Nomor, tahun dan judul dari sumber; tanggal terbitnya tidak disebut: dicatat berlaku per 21 April 2025, tanggal rakor "
            "yang mengutipnya.",
            seeds.SERANG_RAKOR_2025,
        )

    # Kalimantan Tengah
    kalteng = session.get(Region, KALTENG)
    if kalteng is not None:
        team, new = _team(session, kalteng, name="TP Posyandu Provinsi Kalimantan Tengah")
        created_teams += new
        seeds.from_seed(session, team, seeds.KALTENG_RAKOR_2025, "Tim pembina Posyandu se-Kalimantan Tengah (rakor 1 Desember 2025).")

    session.flush()
    return f"demo teams: {created_teams} teams and {created_decrees} decrees created (Kota Pekalongan: {len(reporting)} of {len(villages)} kelurahan reported)"

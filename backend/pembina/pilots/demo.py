"""Demo posyandu and pilot sites from the seeds.

* Kota Pekalongan's three 6-SPM pilots (pekalongan.id, Rakornas TP Posyandu 2025): Posyandu Seruni
  (Klego), Posyandu Kencono Wungu (Kandang Panjang), Posyandu Cempaka (Bendan Kergon), as pilot
  sites for 2025. The seeds give no scores, so every score is left null. The posyandu are the
  seed's; the pilots' period (the whole of 2025) is not in it: the pilot sites are illustrative.
* The three Kota Serang kelurahan named in the seeds (Pipitan, Taman Baru, Kilasah): the seeds name
  no posyandu there, so each gets one placeholder unit, marked as demo data in its notes and
  illustrative in its provenance.
No counts, services or people are invented.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pembina.kit import seeds
from pembina.kit.roles import Role
from pembina.pilots import service as pilots
from pembina.posyandu.models import PilotSite
from pembina.pilots.schemas import PilotSiteCreate
from pembina.posyandu import service
from pembina.posyandu.models import Posyandu
from pembina.posyandu.schemas import PosyanduCreate
from pembina.kit.scope import Principal

SYSTEM = Principal(kind="user", id=0, name="demo data", role=Role.national_admin, region_code=None)

PEKALONGAN_SOURCE = (
    "Percontohan 6 SPM Kota Pekalongan, disebut pada Rakornas Tim Pembina Posyandu 2025 "
    '(pekalongan.id: "Di Rakornas Nasional, Inggit Soraya Dorong Posyandu Jadi Garda Terdepan Pembangunan Daerah").'
)
PILOTS = [("Posyandu Seruni", "33.75.02.1008"), ("Posyandu Kencono Wungu", "33.75.03.1003"), ("Posyandu Cempaka", "33.75.01.1006")]
SERANG = [("Pipitan", "36.73.03.1014"), ("Taman Baru", "36.73.06.1012"), ("Kilasah", "36.73.02.1009")]
SERANG_NOTE = (
    "DATA DEMO: nama pengganti (placeholder), bukan posyandu sebenarnya. Kelurahan {name} disebut pada "
    "Rapat Koordinasi Tim Pembina Posyandu Kota Serang, 21 April 2025."
)


def _ensure(session: Session, name: str, code: str, notes: str) -> tuple[Posyandu, bool]:
    found = session.scalar(select(Posyandu).where(Posyandu.region_code == code, Posyandu.name == name))
    if found is not None:
        return found, False
    return service.create(session, SYSTEM, PosyanduCreate(region_code=code, name=name, notes=notes)), True


def demo_posyandu(session: Session) -> str:
    created = pilots_created = 0
    for name, code in PILOTS:
        p, new = _ensure(session, name, code, PEKALONGAN_SOURCE)
        created += new
        seeds.from_seed(session, p, seeds.PEKALONGAN_RAKORNAS, "Salah satu dari tiga lokasi proyek percontohan 6 SPM Kota Pekalongan.")
        site = session.scalar(select(PilotSite).where(PilotSite.posyandu_id == p.id))
        if site is None:
            site = pilots.create(
                session,
                SYSTEM,
                PilotSiteCreate(
                    posyandu_id=p.id,
                    start_date=date(2025, 1, 1),
                    end_date=date(2025, 12, 31),
                    good_practices="Pengurus tiga posyandu piloting dikumpulkan untuk berbagi praktik baik (Rakornas TP Posyandu 2025).",
                    notes=PEKALONGAN_SOURCE,
                ),
            )
            pilots_created += 1
        seeds.illustrative(
            session,
            site,
            "Posyandu percontohan dari sumber; periodenya (1 Januari-31 Desember 2025) tidak disebut sumber: pilihan demo.",
            seeds.PEKALONGAN_RAKORNAS,
        )
    for name, code in SERANG:
        p, new = _ensure(session, f"Posyandu Kelurahan {name}", code, SERANG_NOTE.format(name=name))
        created += new
        seeds.illustrative(
            session,
            p,
            f"Nama pengganti: sumber menyebut Lurah {name} sebagai peserta rakor, bukan posyandu di kelurahan ini.",
            seeds.SERANG_RAKOR_2025,
        )
    session.flush()
    return f"posyandu: {created} created, pilot sites: {pilots_created} created ({len(PILOTS) + len(SERANG)} posyandu, {len(PILOTS)} pilots in the demo)"

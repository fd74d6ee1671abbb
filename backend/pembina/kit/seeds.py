"""The seed articles (shared/seeds) the demo data comes from: title and date of each, and the
helpers that mark a demo record with its source (`kit.provenance`).

A record is marked `seed` when everything it states is in the article; `illustrative` when the
demo had to choose something the article does not say (the note says what), naming the article
it is based on, if any.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from pembina.kit.provenance import ProvenanceKind, Sourced, mark


@dataclass(frozen=True)
class Seed:
    title: str
    published_on: date | None
    #: Where it was published (for the README and notes; the article's own words otherwise).
    outlet: str


#: 000: DPMPPA Kota Pekalongan, rakor with the lurah, Rabu 25 Juni 2025.
PEKALONGAN_RAKOR_2025 = Seed(
    "Rapat Koordinasi Posyandu Dalam Rangka Perlunya Sinergitas Penguatan Posyandu di Kelurahan",
    date(2025, 6, 25),
    "DPMPPA Kota Pekalongan",
)
#: 001: DPMPPA Kota Pekalongan, Senin 3 Juli 2023.
PEKALONGAN_POKJANAL_2023 = Seed(
    "DPMPPA Gelar Rakor Persiapan Pokjanal Posyandu Tingkat Kota Pekalongan", date(2023, 7, 3), "DPMPPA Kota Pekalongan"
)
#: 002: pekalongan.id, the first Rakornas TP Posyandu (the article gives no date).
PEKALONGAN_RAKORNAS = Seed(
    "Di Rakornas Nasional, Inggit Soraya Dorong Posyandu Jadi Garda Terdepan Pembangunan Daerah", None, "pekalongan.id"
)
#: 003: Pemerintah Kota Serang, 21 April 2025.
SERANG_RAKOR_2025 = Seed(
    "Rapat Koordinasi Tim Pembina Posyandu Kota Serang: Sinergi Lintas Sektor untuk Optimalisasi Pelayanan Posyandu",
    date(2025, 4, 21),
    "Pemerintah Kota Serang",
)
#: 004: Palangka Raya, Senin 1 Desember 2025. The article has no headline: its opening words.
KALTENG_RAKOR_2025 = Seed(
    "Palangka Raya - Rapat Koordinasi Tim Pembina Posyandu se-Kalimantan Tengah Tahun 2025 resmi digelar",
    date(2025, 12, 1),
    "Palangka Raya",
)


def from_seed(session: Session, record: Sourced, seed: Seed, note: str | None = None) -> None:
    """`record` states only what `seed` says."""
    mark(session, record, ProvenanceKind.seed, title=seed.title, published_on=seed.published_on, note=note)


def illustrative(session: Session, record: Sourced, note: str, seed: Seed | None = None) -> None:
    """`record` holds demo choices that no seed states (`note` says which), based on `seed` if given."""
    mark(
        session,
        record,
        ProvenanceKind.illustrative,
        title=seed.title if seed else None,
        published_on=seed.published_on if seed else None,
        note=note,
    )

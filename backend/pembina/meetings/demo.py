"""Demo meetings, follow-ups and competitions from the seed articles (shared/seeds). Idempotent.

Only what the articles say: dates, venues, participant counts, institutions, goals, legal bases,
funding; speakers by the office the article names. Follow-ups are the actions an article records as
agreed or expected; a due date only where the article gives one ("hingga akhir tahun 2025").
Each record is marked with its article (`kit.seeds`); the one the demo shapes beyond its article
(the Serang lomba's title and year) is marked illustrative. Where an article's number disagrees
with the region data (Kalimantan Tengah: "15 kabupaten/kota", the region data has 14), its words
are kept as a quotation in the minutes, never as a number.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pembina.competitions.models import Competition
from pembina.kit import seeds
from pembina.legal.models import LegalReference
from pembina.meetings.models import FollowUp, Meeting, MeetingAttendance, MeetingLegalBasis
from pembina.kit.scope import level_of
from pembina.teams.models import Team

KEPMENDAGRI_NOTE = (
    'Dikutip sebagai "Kepmendagri No. 400.5.1.3703 Tahun 2023 dan 400.5.1.622 Tahun 2024" dalam dasar hukum Rapat Koordinasi '
    "Tim Pembina Posyandu Kota Serang, 21 April 2025. Judulnya tidak disebut sumber."
)
UNTITLED = "(judul tidak disebut sumber)"

#: Instruments the seed articles cite that the migration does not seed (it seeds the national
#: laws and regulations): (kind, number, year, title, issuer, notes, seed).
REGIONAL_REFERENCES: list[tuple[str, str, int, str, str | None, str | None, seeds.Seed]] = [
    ("keputusan", "274", 2024, "Tim Pembina Posyandu", "Wali Kota Serang", None, seeds.SERANG_RAKOR_2025),
    (
        "perwal",
        "63",
        2021,
        "Lembaga Kemasyarakatan Kelurahan (LKK) Kota Pekalongan",
        "Wali Kota Pekalongan",
        None,
        seeds.PEKALONGAN_POKJANAL_2023,
    ),
    ("kepmendagri", "400.5.1.3703", 2023, UNTITLED, None, KEPMENDAGRI_NOTE, seeds.SERANG_RAKOR_2025),
    ("kepmendagri", "400.5.1.622", 2024, UNTITLED, None, KEPMENDAGRI_NOTE, seeds.SERANG_RAKOR_2025),
]

SERANG_LEGAL = [
    ("uu", "17", 2023),
    ("perpres", "72", 2021),
    ("permendagri", "18", 2018),
    ("permenkes", "8", 2019),
    ("permendagri", "59", 2021),
    ("permendagri", "13", 2024),
    ("kepmendagri", "400.5.1.3703", 2023),
    ("kepmendagri", "400.5.1.622", 2024),
    ("keputusan", "274", 2024),
]

#: The article's words, quoted: it says 15 kabupaten/kota, the region data has 14 (never a number here).
KALTENG_QUOTE = (
    'Sumber: "Kegiatan ini diikuti 210 peserta dari 15 kabupaten/kota yang terdiri atas pengurus Posyandu, kader Posyandu, '
    'serta jajaran perangkat pemerintah daerah."'
)

MEETINGS: list[dict[str, Any]] = [
    {
        "seed": seeds.PEKALONGAN_POKJANAL_2023,
        "region_code": "33.75",
        "held_on": date(2023, 7, 3),
        "kind": "pokjanal_posyandu",
        "title": "Rakor Persiapan Pokjanal Posyandu Tingkat Kota Pekalongan",
        "venue": "DPMPPA Kota Pekalongan",
        "organizer": "DPMPPA Kota Pekalongan",
        "institutions": [
            "Bappeda Kota Pekalongan",
            "Dinas Kesehatan Kota Pekalongan",
            "Dinas Sosial Kota Pekalongan",
            "DPMPPA Kota Pekalongan",
        ],
        "agenda": ["Persiapan Rakor Pokjanal Posyandu Tingkat Kota", "Program kerja Pokjanal Posyandu", "Sosialisasi SK Pokjanal Posyandu"],
        "goals": ["Membahas persiapan Rakor Pokjanal Posyandu Tingkat Kota"],
        "speakers": [
            {"name_or_office": "Kepala DPMPPA Kota Pekalongan", "topic": "Pimpinan rapat: tujuan dan persiapan Rakor Pokjanal"},
            {"name_or_office": "Dinas Kesehatan Kota Pekalongan", "topic": "Program kerja Pokjanal disusun sesuai tupoksi"},
        ],
        "legal": [("perwal", "63", 2021)],
        "minutes": "Sesuai Perwal No. 63 Tahun 2021 Posyandu menjadi bagian dari LKK; Pokjanal Posyandu Tingkat Kota telah disahkan "
        "melalui SK Pokjanal Posyandu Tahun 2023. Sosialisasi SK Pokjanal belum dilakukan sehingga program kerja belum dilaksanakan. "
        "Perlu dipastikan terbentuknya Pokjanal di tingkat kecamatan dan Pokja di tingkat kelurahan.",
        "follow_ups": [
            {
                "action": "Mengundang Ketua TP PKK Kota dan para camat ke Rakor Pokjanal Posyandu Tingkat Kota, dengan materi kebijakan Pokjanal "
                "Posyandu, sosialisasi SK Pokjanal Posyandu tingkat kota, pembahasan tusi, pembentukan Pokjanal di tingkat kecamatan dan "
                "kelurahan, dan penyusunan program kerja",
                "owner": "DPMPPA Kota Pekalongan",
            }
        ],
    },
    {
        "seed": seeds.PEKALONGAN_RAKORNAS,
        "region_code": None,
        "held_on": date(2025, 9, 1),
        "held_on_precision": "month",
        "illustrative": "Sumber tidak menyebut tanggal Rakornas; bulan September 2025 adalah pilihan demo (artikel tidak bertanggal, "
        "terbit bersama berita Hari Bersih-Bersih Sedunia 2025). Kehadiran Kota Pekalongan, tempat dan pokok bahasan dari sumber.",
        "kind": "tp_posyandu",
        "title": "Rapat Koordinasi Nasional (Rakornas) Tim Pembina Posyandu Nasional pertama",
        "venue": "Krakatau Ballroom, Hotel Mercure Jakarta",
        "organizer": "Tim Pembina Posyandu Nasional",
        "institutions": ["Tim Pembina Posyandu Nasional", "Tim Pembina Posyandu Kota Pekalongan"],
        "attendance": [("33.75", None)],
        "agenda": ["Implementasi enam Standar Pelayanan Minimal (SPM) Posyandu"],
        "goals": ["Memperkuat kelembagaan dan mempercepat implementasi program posyandu di tahun 2025 agar lebih matang pada 2026"],
        "speakers": [],
        "legal": [],
        "minutes": "Kota Pekalongan hadir (Ketua dan Sekretaris Tim Pembina Posyandu Kota) dan membahas bagaimana program posyandu "
        "bisa masuk ke RPJMD dan APBD agar penganggaran kegiatan posyandu terakomodasi.",
        "follow_ups": [],
    },
    {
        "seed": seeds.SERANG_RAKOR_2025,
        "region_code": "36.73",
        "held_on": date(2025, 4, 21),
        "kind": "tp_posyandu",
        "title": "Rapat Koordinasi Tim Pembina Posyandu Tingkat Kota Serang",
        "venue": "Hotel Flamengo",
        "organizer": "Pemerintah Kota Serang",
        "participant_count": 83,
        "institutions": [
            "Asisten Daerah (Asda) I dan II Kota Serang",
            "Kasubbag PEP Bappeda dan BPKAD Kota Serang",
            "Bagian Pemerintahan dan Hukum Setda Kota Serang",
            "Camat se-Kota Serang",
            "Lurah Pipitan, Taman Baru, dan Kilasah",
            "Kepala UPTD Puskesmas se-Kota Serang",
            "Ketua TP-PKK Kota Serang",
            "Ketua Forum Kader Posyandu Kota Serang",
        ],
        "agenda": [
            "Pembukaan oleh Wali Kota Serang",
            "Laporan Ketua Panitia",
            "Sambutan dan arahan Wali Kota Serang",
            "Paparan narasumber",
        ],
        "goals": [
            "Sosialisasi Permendagri No. 13 Tahun 2024 tentang Pos Pelayanan Terpadu",
            "Koordinasi dan advokasi pengelolaan Posyandu lintas sektor",
            "Pembahasan persiapan lomba Posyandu",
            "Rencana kerja tahunan Tim Pembina Posyandu Kota Serang",
        ],
        "speakers": [
            {"name_or_office": "Wali Kota Serang", "topic": "Sambutan dan arahan"},
            {"name_or_office": "Dinas Pemberdayaan Masyarakat dan Desa Provinsi Banten"},
            {"name_or_office": "Dinas PMD Kabupaten Lebak"},
            {"name_or_office": "Dinas Kesehatan Kota Serang"},
        ],
        "legal": SERANG_LEGAL,
        "funding_source": "dak_non_fisik",
        "funding_year": 2025,
        "minutes": "Dengan terbitnya Permendagri No. 13 Tahun 2024 peran Posyandu menjadi lebih kompleks dan memerlukan kolaborasi lintas sektor; penyelenggaraan "
        "Posyandu dengan 6 SPM diharapkan diterapkan secara maksimal di Kota Serang.",
        "follow_ups": [],
    },
    {
        "seed": seeds.PEKALONGAN_RAKOR_2025,
        "region_code": "33.75",
        "held_on": date(2025, 6, 25),
        "kind": "tp_posyandu",
        "title": "Rapat Koordinasi Posyandu Dalam Rangka Perlunya Sinergitas Penguatan Posyandu di Kelurahan",
        "venue": 'Rumah Makan "MEWAH" area Exit Tol Sokoduwet Pekalongan',
        "organizer": "DPMPPA Kota Pekalongan",
        "institutions": ["DPMPPA Kota Pekalongan", "Lurah se-Kota Pekalongan"],
        "agenda": [
            "Pembentukan TP Posyandu berjenjang (kota, kecamatan, kelurahan)",
            "Progres SK TP Posyandu Kelurahan",
            "Sharing kendala penyusunan SK TP Posyandu Kelurahan",
            "Penataan kelembagaan PKK",
        ],
        "goals": ["Sinergitas penguatan Posyandu di kelurahan"],
        "speakers": [
            {"name_or_office": "Kabid KMPM DPMPPA Kota Pekalongan", "topic": "Pimpinan rapat: pembentukan TP Posyandu secara berjenjang"},
            {"name_or_office": "Kepala DPMPPA Kota Pekalongan", "topic": "Penataan kelembagaan PKK"},
        ],
        "legal": [],
        "minutes": "Baru 22 kelurahan yang telah menerbitkan SK TP Posyandu Kelurahan dan melaporkannya kepada DPMPPA. Posyandu kini "
        "menangani 6 bidang SPM. Harapan untuk 2026: TP Posyandu kota, kecamatan dan kelurahan memiliki kegiatan tersendiri.",
        "follow_ups": [
            {
                "action": "Kelurahan yang belum menerbitkan dan melaporkan SK TP Posyandu Kelurahan segera melaporkannya kepada DPMPPA",
                "owner": "Lurah se-Kota Pekalongan",
            },
            {
                "action": "Setelah semua SK TP Posyandu se-Kota Pekalongan terkumpul, mengusulkannya kepada Ditjen Bina Pemdes untuk Nomor Registrasi Posyandu",
                "owner": "DPMPPA Kota Pekalongan",
                "illustrative": 'Sumber: SK yang terkumpul "akan diusulkan kepada Ditjen Bina Pemdes RI", tanpa menyebut siapa yang '
                "mengusulkan; DPMPPA sebagai penanggung jawab adalah pilihan demo.",
            },
            {"action": "Inventarisasi PKK di tingkat RT/RW dan pengkinian data untuk di-SK-kan", "owner": "Kelurahan se-Kota Pekalongan"},
        ],
    },
    {
        "seed": seeds.KALTENG_RAKOR_2025,
        "region_code": "62",
        "held_on": date(2025, 12, 1),
        "kind": "tp_posyandu",
        "title": "Rapat Koordinasi Tim Pembina Posyandu se-Kalimantan Tengah Tahun 2025",
        "venue": "Aula Jayang Tingang, Kantor Gubernur Provinsi Kalimantan Tengah",
        "organizer": "Dinas PMD Provinsi Kalimantan Tengah",
        "participant_count": 210,
        "institutions": ["Pengurus Posyandu", "Kader Posyandu", "Perangkat pemerintah daerah kabupaten/kota se-Kalimantan Tengah"],
        "agenda": [
            "Sambutan Kepala Dinas PMD Provinsi",
            "Pemaparan",
            "Diskusi teknis",
            "Penyusunan langkah tindak lanjut",
            "Pemberian penghargaan",
        ],
        "goals": [
            "Memantapkan implementasi dan menguatkan kelembagaan Posyandu sebagai lembaga kemasyarakatan desa",
            "Meningkatkan pemahaman arti penting pemberian nomor registrasi Posyandu",
            "Menyamakan persepsi dan memperkuat kolaborasi antar tim pembina",
        ],
        "speakers": [{"name_or_office": "Kepala Dinas PMD Provinsi Kalimantan Tengah", "topic": "Sambutan"}],
        "legal": [],
        "minutes": KALTENG_QUOTE
        + " Anggaran tim pembina Posyandu tahun 2025 sebesar 1 miliar rupiah, sekitar 70% untuk pembinaan Posyandu. Fokus: "
        "percepatan pemberian nomor registrasi Posyandu. Acara ditutup dengan pemberian penghargaan bagi pemenang tim Posyandu "
        "se-Kalimantan Tengah.",
        "follow_ups": [
            {
                "action": "Langkah tindak lanjut program Posyandu, termasuk percepatan pemberian nomor registrasi Posyandu",
                "owner": "Tim Pembina Posyandu kabupaten/kota se-Kalimantan Tengah",
                "due_on": date(2025, 12, 31),
                "illustrative": 'Tindak lanjut dan batas waktunya ("hingga akhir tahun 2025") dari sumber; penanggung jawabnya tidak '
                "disebut: pilihan demo.",
            }
        ],
    },
]

COMPETITIONS: list[dict[str, Any]] = [
    {
        "seed": seeds.SERANG_RAKOR_2025,
        "illustrative": "Sumber menyebut pembahasan persiapan lomba Posyandu; judul dan tahun lomba ini adalah pilihan demo.",
        "region_code": "36.73",
        "year": 2025,
        "title": "Lomba Posyandu Kota Serang 2025",
        "category": "posyandu",
        "notes": "Persiapannya dibahas pada Rapat Koordinasi Tim Pembina Posyandu Kota Serang, 21 April 2025. Kriteria belum ditetapkan.",
    },
    {
        "seed": seeds.KALTENG_RAKOR_2025,
        "region_code": "62",
        "year": 2025,
        "title": "Penghargaan Tim Posyandu se-Kalimantan Tengah 2025",
        "category": "tim_posyandu",
        "notes": "Diberikan pada penutupan rakor 1 Desember 2025; sumber tidak menyebut kriteria maupun nama pemenang.",
    },
]


def _library(session: Session) -> dict[tuple[str, str, int], int]:
    for kind, number, year, title, issuer, notes, seed in REGIONAL_REFERENCES:
        ref = session.scalar(
            select(LegalReference).where(LegalReference.kind == kind, LegalReference.number == number, LegalReference.year == year)
        )
        if ref is None:
            ref = LegalReference(kind=kind, number=number, year=year, title=title, issuer=issuer, notes=notes)
            session.add(ref)
            session.flush()
            seeds.from_seed(session, ref, seed)
    return {(r.kind, r.number, r.year): r.id for r in session.scalars(select(LegalReference))}


def demo_meetings(session: Session) -> str:
    refs = _library(session)
    meetings = follow_ups = competitions = 0
    for spec in MEETINGS:
        m = session.scalar(
            select(Meeting).where(
                Meeting.region_code == spec["region_code"], Meeting.held_on == spec["held_on"], Meeting.title == spec["title"]
            )
        )
        if m is None:
            m = _meeting(session, spec, refs)
            meetings += 1
            follow_ups += len(spec["follow_ups"])
        if "illustrative" in spec:
            seeds.illustrative(session, m, spec["illustrative"], spec["seed"])
        else:
            seeds.from_seed(session, m, spec["seed"])
        specs = {x["action"]: x for x in spec["follow_ups"]}
        for f in session.scalars(select(FollowUp).where(FollowUp.meeting_id == m.id)):
            if (fs := specs.get(f.action)) is not None:
                if "illustrative" in fs:
                    seeds.illustrative(session, f, fs["illustrative"], spec["seed"])
                else:
                    seeds.from_seed(session, f, spec["seed"])
    for spec in COMPETITIONS:
        spec = dict(spec)
        seed, note = spec.pop("seed"), spec.pop("illustrative", None)
        c = session.scalar(select(Competition).where(Competition.region_code == spec["region_code"], Competition.title == spec["title"]))
        if c is None:
            c = Competition(level=level_of(spec["region_code"]), status="draft", criteria=[], prizes=[], **spec)
            session.add(c)
            session.flush()
            competitions += 1
        if note is None:
            seeds.from_seed(session, c, seed)
        else:
            seeds.illustrative(session, c, note, seed)
    session.flush()
    return f"demo meetings: {meetings} meetings, {follow_ups} follow-ups, {competitions} competitions created"


def _meeting(session: Session, spec: dict[str, Any], refs: dict[tuple[str, str, int], int]) -> Meeting:
    team_id = session.scalar(select(Team.id).where(Team.region_code == spec["region_code"], Team.kind == spec["kind"]))
    m = Meeting(
        region_code=spec["region_code"],
        level=level_of(spec["region_code"]),
        title=spec["title"],
        held_on=spec["held_on"],
        held_on_precision=spec.get("held_on_precision", "day"),
        venue=spec["venue"],
        organizer=spec["organizer"],
        team_id=team_id,
        participant_count=spec.get("participant_count"),
        institutions=spec["institutions"],
        agenda=spec["agenda"],
        goals=spec["goals"],
        speakers=[{"topic": None, **s} for s in spec["speakers"]],
        funding_source=spec.get("funding_source"),
        funding_year=spec.get("funding_year"),
        minutes=spec["minutes"],
    )
    session.add(m)
    session.flush()
    for code, people in spec.get("attendance", []):
        session.add(MeetingAttendance(meeting_id=m.id, attendee_region_code=code, participant_count=people, region_code=m.region_code))
    cited = [refs[k] for k in spec["legal"] if k in refs]
    for position, ref_id in enumerate(cited, start=1):
        session.add(MeetingLegalBasis(meeting_id=m.id, legal_reference_id=ref_id, position=position, region_code=m.region_code))
    for f in spec["follow_ups"]:
        session.add(
            FollowUp(
                meeting_id=m.id, region_code=m.region_code, action=f["action"], owner=f["owner"], due_on=f.get("due_on"), status="open"
            )
        )
    session.flush()
    return m

"""The 6 SPM fields (Standar Pelayanan Minimal) and the checklist of services a posyandu may
run in each (Permendagri 13/2024 on Pos Pelayanan Terpadu). The default checklist ships here;
`Settings.posyandu_service_catalog` replaces the list of any field."""

from __future__ import annotations

from enum import StrEnum

from pembina.config import get_settings


class SpmField(StrEnum):
    kesehatan = "kesehatan"
    pendidikan = "pendidikan"
    sosial = "sosial"
    trantibumlinmas = "trantibumlinmas"
    perumahan_rakyat = "perumahan_rakyat"
    pekerjaan_umum = "pekerjaan_umum"


SPM_FIELDS: list[str] = [f.value for f in SpmField]

#: A bit per field (stored in posyandu.spm_mask for filters and counters).
SPM_BIT: dict[str, int] = {f: 1 << i for i, f in enumerate(SPM_FIELDS)}

SPM_LABELS: dict[str, str] = {
    "kesehatan": "Kesehatan",
    "pendidikan": "Pendidikan",
    "sosial": "Sosial",
    "trantibumlinmas": "Ketenteraman, ketertiban umum dan pelindungan masyarakat",
    "perumahan_rakyat": "Perumahan rakyat",
    "pekerjaan_umum": "Pekerjaan umum",
}

DEFAULT_CATALOG: dict[str, dict[str, str]] = {
    "kesehatan": {
        "penimbangan_balita": "Penimbangan dan pemantauan pertumbuhan balita",
        "imunisasi": "Imunisasi",
        "kb": "Pelayanan keluarga berencana (KB)",
        "pemeriksaan_ibu_hamil": "Pemeriksaan ibu hamil dan nifas",
        "pmt": "Pemberian makanan tambahan (PMT)",
        "penyuluhan_gizi": "Penyuluhan gizi dan kesehatan",
        "skrining_ptm": "Skrining penyakit tidak menular usia dewasa",
        "kesehatan_lansia": "Pelayanan kesehatan lansia",
    },
    "pendidikan": {
        "paud": "Pendidikan anak usia dini (PAUD)",
        "bina_keluarga_balita": "Bina Keluarga Balita (BKB)",
        "pendataan_anak_tidak_sekolah": "Pendataan anak tidak sekolah",
        "taman_baca": "Taman baca dan literasi",
    },
    "sosial": {
        "pendataan_warga_rentan": "Pendataan warga rentan dan penyandang masalah kesejahteraan sosial",
        "pendampingan_disabilitas": "Pendampingan penyandang disabilitas",
        "pendampingan_lansia_terlantar": "Pendampingan lansia terlantar",
        "rujukan_bantuan_sosial": "Rujukan bantuan sosial",
    },
    "trantibumlinmas": {
        "penyuluhan_trantibum": "Penyuluhan ketenteraman dan ketertiban",
        "kesiapsiagaan_bencana": "Kesiapsiagaan dan sosialisasi penanggulangan bencana",
        "pencegahan_kekerasan": "Pencegahan kekerasan dalam rumah tangga dan terhadap anak",
    },
    "perumahan_rakyat": {
        "pendataan_rtlh": "Pendataan rumah tidak layak huni (RTLH)",
        "penyuluhan_rumah_sehat": "Penyuluhan rumah sehat",
        "pendataan_korban_bencana": "Pendataan rumah korban bencana",
    },
    "pekerjaan_umum": {
        "air_minum": "Pemantauan akses air minum layak",
        "sanitasi_jamban": "Sanitasi dan jamban sehat",
        "pengelolaan_sampah": "Pengelolaan sampah rumah tangga",
        "drainase_lingkungan": "Pemantauan drainase lingkungan",
    },
}


def catalog() -> dict[str, dict[str, str]]:
    """The checklist in force: the default, with fields replaced by the setting."""
    override = get_settings().posyandu_service_catalog or {}
    return {f: dict(override.get(f) or DEFAULT_CATALOG[f]) for f in SPM_FIELDS}


def strata() -> list[str]:
    return list(get_settings().posyandu_strata)


def mask_of(services: dict[str, list[str]]) -> int:
    mask = 0
    for field, codes in services.items():
        if codes:
            mask |= SPM_BIT[field]
    return mask


def fields_of(mask: int) -> list[str]:
    return [f for f in SPM_FIELDS if mask & SPM_BIT[f]]

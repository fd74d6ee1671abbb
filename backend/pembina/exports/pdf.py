"""A printable summary of a region (A4, one or two pages) with fpdf2's core fonts, so it
works offline without any font file."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from pembina.exports.reports import LEVEL_ID
from pembina.kit import clock
from pembina.kit.pagination import PageParams
from pembina.kit.scope import Principal
from pembina.decrees import compliance
from pembina.pilots import service as pilots
from pembina.pilots.schemas import PilotFilters
from pembina.posyandu.catalog import SPM_LABELS
from pembina.regions import service as regions
from pembina.regions.schemas import LEVEL_NAME
from pembina.summary import service as summaries

#: At most this many regions of the missing-report list and pilot sites are printed.
MISSING_SHOWN = 25
PILOTS_SHOWN = 15

STATUS_ID = {
    "unregistered": "Belum diusulkan",
    "proposed": "Diusulkan",
    "verified": "Diverifikasi",
    "returned": "Dikembalikan",
    "rejected": "Ditolak",
    "submitted": "Diajukan ke Kemendagri",
    "registered": "Teregistrasi",
}


def _latin1(text: Any) -> str:
    """Core PDF fonts are Latin-1: other characters become '?' rather than failing."""
    return str(text).replace("–", "-").replace("—", "-").encode("latin-1", "replace").decode("latin-1")


def _pct(v: float | None) -> str:
    return "-" if v is None else f"{v:.1f}%"


def region_summary_pdf(session: Session, principal: Principal, code: str) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    detail = regions.detail(session, principal, code)  # 403 outside the caller's region
    summary = summaries.summary(session, principal, code)
    printed = f"{clock.now():%d/%m/%Y %H:%M} {clock.zone_label()}"

    class Doc(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", "I", 8)
            self.cell(
                0,
                8,
                _latin1(f"Pembina - Ringkasan {detail.name} ({code}) - dicetak {printed} - halaman {self.page_no()}/{{nb}}"),
                align="C",
            )

    pdf = Doc(orientation="P", unit="mm", format="A4")
    pdf.set_title(_latin1(f"Ringkasan Wilayah {detail.name}"))
    pdf.set_author("Pembina - Tim Pembina Posyandu")
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    head = FontFace(emphasis="BOLD", fill_color=(217, 225, 242))

    def heading(text: str) -> None:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(0, 7, _latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 9)

    def table(rows: list[list[Any]], widths: tuple[int, ...], align: str = "LEFT") -> None:
        with pdf.table(col_widths=widths, headings_style=head, line_height=5, text_align=align) as t:
            for r in rows:
                row = t.row()
                for v in r:
                    row.cell(_latin1(v))

    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 8, _latin1(f"RINGKASAN WILAYAH {detail.name.upper()}"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, _latin1("Tim Pembina Posyandu"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    chain = " > ".join(f"{a.name} ({a.code})" for a in detail.ancestors) or "-"
    for key, value in (
        ("Kode", code),
        ("Tingkat", LEVEL_ID[detail.level.value]),
        ("Jenis", detail.type),
        ("Wilayah induk", chain),
        ("Dicetak", printed),
    ):
        pdf.set_font("Helvetica", "B", 9)
        pdf.cell(32, 5, _latin1(key))
        pdf.set_font("Helvetica", "", 9)
        pdf.multi_cell(0, 5, _latin1(f": {value}"), new_x="LMARGIN", new_y="NEXT")

    c = summary.counts
    heading("Wilayah di bawahnya")
    table(
        [
            ["Wilayah langsung di bawah", "Kabupaten/Kota", "Kecamatan", "Desa/Kelurahan"],
            [f"{c.children:,}", f"{c.regencies:,}", f"{c.districts:,}", f"{c.villages:,}"],
        ],
        (1, 1, 1, 1),
        "CENTER",
    )

    heading("Kepatuhan SK pembentukan TP Posyandu (data terkini)")
    rows: list[list[Any]] = [["Tingkat", "Jumlah", "Ada tim", "SK ditetapkan", "SK dilaporkan", "SK diverifikasi", "Belum melapor"]]
    for lc in summary.compliance:
        rows.append(
            [
                LEVEL_ID[lc.level.value],
                f"{lc.expected:,}",
                f"{lc.with_team:,} ({_pct(lc.pct_with_team)})",
                f"{lc.issued:,} ({_pct(lc.pct_issued)})",
                f"{lc.reported:,} ({_pct(lc.pct_reported)})",
                f"{lc.verified:,} ({_pct(lc.pct_verified)})",
                f"{lc.not_reported:,}",
            ]
        )
    table(rows, (22, 14, 20, 22, 22, 22, 16))

    if detail.level.value != "village":
        level = LEVEL_NAME[4] if detail.level.value != "province" else LEVEL_NAME[2]
        board = compliance.board(session, principal, code, level, None, None, missing_limit=MISSING_SHOWN)
        heading(f"{LEVEL_ID[level.value]} yang belum melaporkan SK ({board.missing_reports_total:,})")
        if board.missing_reports:
            table(
                [["Kode", "Nama", "Ada tim", "SK ditetapkan", "Batas waktu", "Terlambat"]]
                + [
                    [
                        m.code,
                        m.name,
                        "Ya" if m.has_team else ("Tidak (struktur lama)" if m.legacy_structure else "Tidak"),
                        "Ya" if m.issued else "Tidak",
                        m.deadline.strftime("%d/%m/%Y") if m.deadline else "-",
                        "Ya" if m.overdue else "Tidak",
                    ]
                    for m in board.missing_reports
                ],
                (22, 40, 14, 18, 18, 14),
            )
            if board.missing_reports_total > len(board.missing_reports):
                pdf.cell(
                    0,
                    5,
                    _latin1(
                        f"... dan {board.missing_reports_total - len(board.missing_reports):,} lainnya (lihat laporan XLSX kepatuhan)."
                    ),
                    new_x="LMARGIN",
                    new_y="NEXT",
                )
        else:
            pdf.cell(0, 5, "Semua sudah melapor.", new_x="LMARGIN", new_y="NEXT")

    p = summary.posyandu
    heading("Posyandu")
    table(
        [
            ["Jumlah", "Aktif", "Teregistrasi", "Dalam proses", "Belum diusulkan", "Lokasi uji coba"],
            [
                f"{p.count:,}",
                f"{p.active:,}",
                f"{p.registration.registered:,}",
                f"{p.registration.in_pipeline:,}",
                f"{p.registration.unregistered:,}",
                f"{p.pilots:,}",
            ],
        ],
        (1, 1, 1, 1, 1, 1),
        "CENTER",
    )
    pdf.ln(2)
    table(
        [["Status registrasi", "Jumlah"]] + [[STATUS_ID.get(s.value, s.value), f"{n:,}"] for s, n in p.registration.by_status.items()],
        (3, 1),
    )

    heading("Cakupan layanan 6 bidang SPM (posyandu yang melayani)")
    table(
        [["Bidang SPM", "Posyandu", "Persentase"]]
        + [[SPM_LABELS.get(f, f), f"{n:,}", _pct(round(100.0 * n / p.count, 1) if p.count else None)] for f, n in p.spm_coverage.items()],
        (4, 1, 1),
    )

    sites = pilots.list_pilots(session, principal, PageParams(limit=PILOTS_SHOWN, offset=0, sort=None), PilotFilters(region=code))
    heading(f"Lokasi uji coba 6 SPM ({sites.total:,})")
    if sites.items:
        table(
            [["Posyandu", "Desa/Kelurahan", "Kode", "Mulai", "Selesai"]]
            + [
                [
                    s.posyandu_name,
                    s.village_name,
                    s.region_code,
                    s.start_date.strftime("%d/%m/%Y"),
                    s.end_date.strftime("%d/%m/%Y") if s.end_date else "-",
                ]
                for s in sites.items
            ],
            (40, 36, 28, 18, 18),
        )
    else:
        pdf.cell(0, 5, "Belum ada lokasi uji coba.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())

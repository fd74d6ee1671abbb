"""Formatted XLSX reports in the layout a government office files: a merged title
("REKAPITULASI ..."), the region and date, a bordered table with "No.", a totals row.

A report is a builder registered with `@report(...)` that returns a `Report` (sheets of
rows); `render()` lays it out. Adding one (e.g. the budget roll-up) is a builder here and a
short route in routes.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pembina.kit import clock
from pembina.kit.tabular import NUM_FORMATS, Kind
from pembina.kit.scope import Principal
from pembina.regions.models import Region
from pembina.kit.scope import ancestors_of
from pembina.decrees import compliance
from pembina.posyandu.registration import batch_files, batches
from pembina.budgets import service as budgets
from pembina.budgets.schemas import BudgetScope
from pembina.kit.errors import NotFound
from pembina.posyandu.catalog import SPM_LABELS

LEVEL_ID = {"province": "Provinsi", "regency": "Kabupaten/Kota", "district": "Kecamatan", "village": "Desa/Kelurahan"}


@dataclass(frozen=True)
class ReportColumn:
    label: str
    kind: Kind = "text"
    width: int = 14


@dataclass
class ReportSheet:
    name: str  # the sheet tab
    title: str  # first line, in capitals
    info: list[tuple[str, str]]  # "Wilayah : Kota Pekalongan (33.75)", ...
    columns: list[ReportColumn]  # "No." is added in front
    rows: list[list[Any]]
    totals: list[Any] | None = None  # one value per column (None: blank); the label goes in the first text column
    notes: list[str] = field(default_factory=list)


@dataclass
class Report:
    stem: str  # file name stem, e.g. "rekap-kepatuhan-sk"
    region: str | None
    sheets: list[ReportSheet]
    details: dict[str, Any]  # for the audit event


@dataclass(frozen=True)
class ReportInfo:
    name: str
    title: str
    path: str  # under /api/v1
    description: str
    build: Callable[..., Report]


REPORTS: dict[str, ReportInfo] = {}


def report(name: str, title: str, path: str, description: str) -> Callable[[Callable[..., Report]], Callable[..., Report]]:
    """Register a report builder `(session, principal, **params) -> Report`."""

    def register(fn: Callable[..., Report]) -> Callable[..., Report]:
        REPORTS[name] = ReportInfo(name=name, title=title, path=path, description=description, build=fn)
        return fn

    return register


def _fmt_date(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else "-"


# -- rendering --------------------------------------------------------------------


def render(rep: Report, path: str) -> None:
    """Write the report as an XLSX workbook at `path`."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(path)
    f_title = wb.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
    f_info = wb.add_format({"bold": False})
    f_head = wb.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True, "bg_color": "#D9E1F2"})
    f_num_head = wb.add_format({"italic": True, "border": 1, "align": "center", "font_size": 8, "bg_color": "#D9E1F2"})
    base = {"border": 1, "valign": "top"}
    f_cell: dict[str, Any] = {k: wb.add_format({**base, "num_format": v}) for k, v in NUM_FORMATS.items()}
    f_cell["text"] = wb.add_format({**base, "text_wrap": True})
    f_cell["float"] = wb.add_format({**base, "num_format": "0.0"})
    f_no = wb.add_format({**base, "align": "center"})
    f_total: dict[str, Any] = {
        k: wb.add_format({**base, "bold": True, "num_format": v, "bg_color": "#F2F2F2"}) for k, v in NUM_FORMATS.items()
    }
    f_total["text"] = wb.add_format({**base, "bold": True, "bg_color": "#F2F2F2"})
    f_total["float"] = wb.add_format({**base, "bold": True, "num_format": "0.0", "bg_color": "#F2F2F2"})
    f_note = wb.add_format({"italic": True, "font_size": 9})
    # Dated by the day only: the same data gives the same file all day (cacheable, comparable).
    today = datetime.combine(clock.today(), datetime.min.time())
    wb.set_properties({"title": rep.sheets[0].title, "author": "Pembina - Tim Pembina Posyandu", "created": today})
    printed = today.strftime("%d/%m/%Y")

    for sheet in rep.sheets:
        ws = wb.add_worksheet(sheet.name[:31])
        ncol = len(sheet.columns) + 1
        ws.merge_range(0, 0, 0, ncol - 1, sheet.title.upper(), f_title)
        ws.merge_range(1, 0, 1, ncol - 1, "TIM PEMBINA POSYANDU", f_title)
        r = 3
        for key, value in sheet.info:
            ws.write_string(r, 0, key, f_info)
            ws.merge_range(r, 1, r, max(ncol - 1, 1), f": {value}", f_info)
            r += 1
        r += 1
        head = r
        ws.write_string(r, 0, "No.", f_head)
        for j, col in enumerate(sheet.columns, start=1):
            ws.write_string(r, j, col.label, f_head)
        ws.set_row(r, 32)
        r += 1
        for j in range(ncol):  # column numbers under the header, as on printed forms
            ws.write_number(r, j, j + 1, f_num_head)
        r += 1
        for i, row in enumerate(sheet.rows, start=1):
            ws.write_number(r, 0, i, f_no)
            for j, (value, col) in enumerate(zip(row, sheet.columns, strict=True), start=1):
                _write(ws, r, j, value, col.kind, f_cell)
            r += 1
        if sheet.totals is not None:
            label_at = next((j for j, c in enumerate(sheet.columns, start=1) if c.kind == "text"), 1)
            ws.write_blank(r, 0, None, f_total["text"])
            for j, (value, col) in enumerate(zip(sheet.totals, sheet.columns, strict=True), start=1):
                if j == label_at:
                    ws.write_string(r, j, "JUMLAH", f_total["text"])
                else:
                    _write(ws, r, j, value, col.kind, f_total)
            r += 1
        r += 1
        for note in [*sheet.notes, f"Dicetak dari Pembina pada {printed}."]:
            ws.write_string(r, 0, note, f_note)
            r += 1
        ws.set_column(0, 0, 6)
        for j, col in enumerate(sheet.columns, start=1):
            ws.set_column(j, j, col.width)
        ws.freeze_panes(head + 2, 0)
        ws.repeat_rows(head, head + 1)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.set_footer("&CHalaman &P dari &N")
    wb.close()


def _write(ws: Any, r: int, c: int, value: Any, kind: Kind, formats: dict[str, Any]) -> None:
    if value is None or value == "":
        ws.write_blank(r, c, None, formats["text"])
    elif kind in ("date", "datetime"):
        ws.write_datetime(r, c, value, formats[kind])
    elif kind == "bool":
        ws.write_string(r, c, "Ya" if value else "Tidak", formats["text"])
    elif kind in ("int", "money", "float"):
        ws.write_number(r, c, value, formats[kind])
    else:
        ws.write_string(r, c, str(value), formats["text"])


# -- the reports ------------------------------------------------------------------


def _region_line(session: Session, code: str) -> str:
    names = {c: n for c, n in session.execute(select(Region.code, Region.name).where(Region.code.in_([*ancestors_of(code), code])))}
    chain = [names.get(c, c) for c in [*ancestors_of(code), code]]
    return f"{' – '.join(reversed(chain))} ({code})"


@report(
    "compliance",
    "Rekapitulasi Kepatuhan SK Pembentukan TP Posyandu",
    "/exports/reports/compliance",
    "The compliance board of a region as a formatted workbook: per child region and in total, and the regions with no reported SK.",
)
def compliance_report(session: Session, principal: Principal, region: str, level: Any, as_of: date | None, year: int | None) -> Report:
    board = compliance.board(session, principal, region, level, as_of, year, missing_limit=5000)
    lvl = LEVEL_ID[board.level.value]
    ref = as_of or clock.today()
    columns = [
        ReportColumn("Kode Wilayah", width=12),
        ReportColumn("Nama Wilayah", width=28),
        ReportColumn(f"Jumlah {lvl}", "int", 11),
        ReportColumn("Ada Tim", "int", 9),
        ReportColumn("SK Ditetapkan", "int", 11),
        ReportColumn("SK Dilaporkan", "int", 11),
        ReportColumn("SK Diverifikasi", "int", 11),
        ReportColumn("Belum Ada SK", "int", 11),
        ReportColumn("Belum Melapor", "int", 11),
        ReportColumn("% Ada Tim", "float", 9),
        ReportColumn("% SK Ditetapkan", "float", 11),
        ReportColumn("% SK Dilaporkan", "float", 11),
        ReportColumn("% SK Diverifikasi", "float", 11),
        ReportColumn("Batas Waktu Pelaporan", "date", 12),
        ReportColumn("Terlambat", "bool", 10),
        ReportColumn("Struktur Lama", "int", 10),
    ]

    def values(row: Any) -> list[Any]:
        return [
            row.expected,
            row.with_team,
            row.issued,
            row.reported,
            row.verified,
            row.missing,
            row.not_reported,
            row.pct_with_team,
            row.pct_issued,
            row.pct_reported,
            row.pct_verified,
            row.deadline,
            row.overdue,
            row.legacy_structures,
        ]

    info = [
        ("Wilayah", _region_line(session, board.region.code)),
        ("Tingkat yang dihitung", lvl),
        ("Keadaan per", _fmt_date(ref) + (" (riwayat transisi)" if board.source == "history" else " (data terkini)")),
        ("Tahun pelaporan", str(board.year)),
    ]
    main = ReportSheet(
        name="Rekapitulasi",
        title=f"Rekapitulasi Kepatuhan SK Pembentukan TP Posyandu Tingkat {lvl}",
        info=info,
        columns=columns,
        rows=[[r.region.code, r.region.name, *values(r)] for r in board.rows],
        totals=[None, None, *values(board.total)],
        notes=[
            "SK Ditetapkan termasuk yang sudah dilaporkan atau diverifikasi; SK Dilaporkan termasuk yang sudah diverifikasi.",
            "Hanya TP Posyandu dan SK pembentukannya yang dihitung; Struktur Lama: wilayah yang masih memiliki Pokjanal/Pokja "
            "Posyandu aktif (tidak dihitung sebagai TP Posyandu).",
        ],
    )
    missing = ReportSheet(
        name="Belum Melapor",
        title=f"Daftar {lvl} yang Belum Melaporkan SK Pembentukan TP Posyandu",
        info=info,
        columns=[
            ReportColumn("Kode Wilayah", width=14),
            ReportColumn("Nama Wilayah", width=28),
            ReportColumn("Kode Induk", width=12),
            ReportColumn("Ada Tim", "bool", 9),
            ReportColumn("SK Ditetapkan", "bool", 11),
            ReportColumn("Batas Waktu Pelaporan", "date", 12),
            ReportColumn("Terlambat", "bool", 10),
            ReportColumn("Struktur Lama", "bool", 10),
        ],
        rows=[
            [m.code, m.name, m.parent_code, m.has_team, m.issued, m.deadline, m.overdue, m.legacy_structure] for m in board.missing_reports
        ],
        notes=[
            f"{board.missing_reports_total:,} {lvl} belum melapor"
            + (f"; {len(board.missing_reports):,} ditampilkan." if len(board.missing_reports) < board.missing_reports_total else ".")
        ],
    )
    details = {
        "region": region,
        "level": board.level.value,
        "as_of": as_of.isoformat() if as_of else None,
        "year": board.year,
        "rows": len(board.rows),
    }
    return Report(stem=f"rekap-kepatuhan-sk-{board.level.value}", region=board.region.code, sheets=[main, missing], details=details)


@report(
    "registration-batch",
    "Rekapitulasi Usulan Registrasi Posyandu",
    "/exports/reports/registration-batches/{batch_id}",
    "A registration batch as a cover list for the ministry (the same rows as the batch export, formatted, with totals).",
)
def registration_batch_report(session: Session, principal: Principal, batch_id: int) -> Report:
    b = batches.get_batch(session, principal, batch_id)
    rows = [r[1:] for r in batch_files.export_rows(session, b)]  # the renderer numbers the rows
    kinds: dict[str, Kind] = {
        "posyandu_id": "int",
        "jumlah_pengurus": "int",
        "jumlah_kader": "int",
        "latitude": "float",
        "longitude": "float",
    }
    widths = {"nama_posyandu": 28, "alamat": 28, "bidang_spm": 28, "nomor_registrasi": 24}
    keys = [key for key, _ in batch_files.EXPORT_COLUMNS[1:]]
    columns = [ReportColumn(lbl, kinds.get(key, "text"), widths.get(key, 14)) for key, lbl in batch_files.EXPORT_COLUMNS[1:]]
    rows = [[None if v == "" else v for v in r] for r in rows]
    totals: list[Any] = [None] * len(columns)
    for key in ("jumlah_pengurus", "jumlah_kader"):
        j = keys.index(key)
        totals[j] = sum(r[j] or 0 for r in rows)
    status = {"draft": "Draf", "submitted": "Diajukan", "completed": "Selesai"}.get(b.status, b.status)
    sheet = ReportSheet(
        name="Usulan Registrasi",
        title="Rekapitulasi Usulan Registrasi Posyandu",
        columns=columns,
        rows=rows,
        totals=totals,
        info=[
            ("Kabupaten/Kota", _region_line(session, b.region_code)),
            ("Batch", f"{b.id} – {b.title}"),
            ("Status", status + (f", diajukan {_fmt_date(clock.local(b.submitted_at).date())}" if b.submitted_at else "")),
            ("Jumlah posyandu", f"{len(rows):,}"),
        ],
        notes=[b.notes] if b.notes else [],
    )
    return Report(
        stem=f"rekap-registrasi-batch-{b.id}", region=b.region_code, sheets=[sheet], details={"batch_id": b.id, "rows": len(rows)}
    )


SOURCE_ID = {
    "apbd": "APBD",
    "apbd_perubahan": "APBD Perubahan",
    "dak_non_fisik": "DAK Non Fisik",
    "apbdes": "APBDes",
    "dana_desa": "Dana Desa",
    "other": "Lainnya",
}
GROUP_ID = {"source": "Sumber Anggaran", "spm_field": "Bidang SPM", "year": "Tahun Anggaran"}


@report(
    "budget-rollup",
    "Rekapitulasi Anggaran TP Posyandu",
    "/exports/reports/budget-rollup",
    "The budget roll-up of a region (see `budgets-rollup`) as a formatted workbook: ceiling, allocations, realization, remainder "
    "and percent per source, SPM field or year, with a totals row.",
)
def budget_rollup_report(
    session: Session, principal: Principal, region: str | None, year: int | None, source: Any, group_by: Any
) -> Report:
    roll = budgets.rollup(session, principal, BudgetScope(region=region, year=year, source=source), group_by)
    code = roll.region_code
    if code is not None and session.get(Region, code) is None:
        raise NotFound(f"Region {code} not found.", f"Wilayah {code} tidak ditemukan.")
    group = roll.group_by.value
    by_budget = group != "spm_field"

    def label(key: str) -> str:
        if group == "source":
            return SOURCE_ID.get(key, key)
        if group == "spm_field":
            return "Umum (tanpa bidang SPM)" if key == budgets.GENERAL else SPM_LABELS.get(key, key)
        return f"Tahun {key}"

    columns = [ReportColumn(GROUP_ID[group], width=30)]
    if by_budget:
        columns.append(ReportColumn("Pagu Anggaran (Rp)", "money", 20))
    columns += [
        ReportColumn("Alokasi Kegiatan (Rp)", "money", 20),
        ReportColumn("Realisasi (Rp)", "money", 20),
        ReportColumn("Sisa Alokasi (Rp)", "money", 20),
        ReportColumn("% Realisasi", "float", 11),
    ]

    def values(budgeted: int | None, planned: int, realized: int, pct: float | None) -> list[Any]:
        return [*([budgeted] if by_budget else []), planned, realized, planned - realized, pct]

    t = roll.totals
    year_text = str(year) if year is not None else "Semua tahun"
    sheet = ReportSheet(
        name="Rekapitulasi Anggaran",
        title=f"Rekapitulasi Anggaran TP Posyandu menurut {GROUP_ID[group]}" + (f" Tahun {year}" if year is not None else ""),
        info=[
            ("Wilayah", _region_line(session, code) if code else "Nasional"),
            ("Tahun anggaran", year_text),
            ("Sumber anggaran", SOURCE_ID[roll.source.value] if roll.source else "Semua sumber"),
            ("Jumlah anggaran", f"{t.budgets:,}".replace(",", ".")),
        ],
        columns=columns,
        rows=[[label(r.key), *values(r.budgeted, r.planned, r.realized, r.percent)] for r in roll.rows],
        totals=[None, *values(t.budgeted, t.planned, t.realized, t.percent)],
        notes=[
            "Jumlah dalam rupiah. % Realisasi = Realisasi / Alokasi Kegiatan × 100; Sisa Alokasi = Alokasi Kegiatan - Realisasi.",
            *(["Pagu anggaran yang belum diketahui dihitung 0."] if by_budget else []),
        ],
    )
    details = {
        "region": code,
        "year": year,
        "source": roll.source.value if roll.source else None,
        "group_by": group,
        "rows": len(roll.rows),
    }
    return Report(stem=f"rekap-anggaran-{group.replace('_', '-')}", region=code, sheets=[sheet], details=details)

"""The columns of each import kind: header, type, whether required, allowed values, an example.

One `Column` both documents a column (GET /imports, the templates) and parses its cells, so the
documentation cannot drift from the rules. Limits and enums come from the domain schemas."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pembina.kit.i18n import tr
from pembina.decrees.schemas import DecreeSubject
from pembina.imports.schemas import ColumnSpec, ImportKind, KindSpec
from pembina.kit.csvfile import normalise_header
from pembina.kit.phones import normalise_phone
from pembina.posyandu.catalog import SPM_FIELDS, catalog, strata
from pembina.posyandu.schemas import LAT_MAX, LAT_MIN, LON_MAX, LON_MIN
from pembina.teams.schemas import Position, SpmField, TeamKind
from pembina.activity_reports.fields import TARGET_GROUPS, definitions, parse_period

TRUE = {"true", "1", "ya", "yes", "y", "aktif"}
FALSE = {"false", "0", "tidak", "no", "n", "nonaktif"}
_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_RW = re.compile(r"^\d{1,3}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class CellError(ValueError):
    """A cell that does not fit its column."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    example: str
    required: bool = False
    max_length: int | None = None
    allowed: Callable[[], list[str]] | None = None
    #: Parses a non-blank cell (for `code_list` columns: makes such a parser, see service_codes).
    check: Callable[..., Any] | None = None

    def spec(self) -> ColumnSpec:
        return ColumnSpec(
            name=self.name,
            type=self.type,
            required=self.required,
            description=self.description,
            allowed=self.allowed() if self.allowed else None,
            max_length=self.max_length,
            example=self.example,
        )

    def parser(self) -> Callable[[str], Any]:
        """A parser for this column's cells, with the allowed values (strata, the service
        catalog) read once per import rather than once per cell: the cell's value (None when
        blank), or CellError."""
        allowed = set(self.allowed()) if self.allowed is not None and self.type == "enum" else None
        listing = ", ".join(self.allowed()) if allowed is not None and self.allowed is not None else ""
        check = self.check() if self.type == "code_list" and self.check is not None else self.check
        required, max_length = self.required, self.max_length

        def full(raw: str) -> Any:
            if not raw:
                if required:
                    raise CellError(tr("required", "wajib diisi"))
                return None
            if "\x00" in raw:
                raise CellError(tr("text must not contain NUL characters", "teks tidak boleh berisi karakter NUL"))
            if max_length is not None and len(raw) > max_length:
                raise CellError(tr(f"at most {max_length} characters", f"maksimal {max_length} karakter"))
            if allowed is not None and raw not in allowed:
                raise CellError(tr(f"'{raw}' is not one of: {listing}", f"'{raw}' bukan salah satu dari: {listing}"))
            return check(raw) if check else raw

        # Fast paths for the common, valid cell (hundreds of thousands per file); anything
        # unusual goes through `full`, which words the error.
        if allowed is not None:

            def parse(raw: str) -> Any:
                return raw if raw in allowed else full(raw)
        elif check is not None:
            limit = max_length if max_length is not None else 1 << 62

            def parse(raw: str) -> Any:
                return check(raw) if raw and len(raw) <= limit and "\x00" not in raw else full(raw)
        else:
            limit = max_length if max_length is not None else 1 << 62

            def parse(raw: str) -> Any:
                return raw if raw and len(raw) <= limit and "\x00" not in raw else full(raw)

        return parse

    def bulk_parser(self) -> Callable[[Sequence[str]], list[Any]]:
        """A parser for a whole column of a batch of rows: the cells' values, exactly as
        `parser()` gives them, or CellError at the first cell that does not fit (the caller
        then parses that batch cell by cell, to word each error). Checks whole columns at once
        where it can (set inclusion, longest cell), and parses each distinct cell once where
        cells repeat (counts, flags, service codes, RW/RT)."""
        parse = self.parser()
        required = self.required
        if self.type == "enum" and self.allowed is not None:
            fine = set(self.allowed()) | (set() if required else {""})

            def enum(cells: Sequence[str]) -> list[Any]:
                if not fine.issuperset(cells):
                    raise CellError
                return list(cells) if required else [c or None for c in cells]

            return enum
        if self.check is None:
            limit = self.max_length if self.max_length is not None else 1 << 62

            def text(cells: Sequence[str]) -> list[Any]:
                if (required and not all(cells)) or max(map(len, cells), default=0) > limit or "\x00" in "".join(cells):
                    raise CellError
                return list(cells) if required else [c or None for c in cells]

            return text
        if self.type in ("number", "date"):  # mostly distinct values: nothing to reuse
            return lambda cells: list(map(parse, cells))
        memo = _Memo(parse)

        def repeated(cells: Sequence[str]) -> list[Any]:
            if memo.useful:
                values = list(map(memo.__getitem__, cells))
                memo.useful = len(memo) < len(cells) // 2  # mostly distinct (say, village codes): parse each
                return values
            return list(map(parse, cells))

        return repeated


class _Memo(dict[str, Any]):
    """Parsed cells by their text, parsed on first sight (at most MEMO_SIZE kept)."""

    MEMO_SIZE = 50_000

    def __init__(self, parse: Callable[[str], Any]):
        super().__init__()
        self.parse = parse
        #: Whether cells repeat enough to be worth remembering (judged on the first batch).
        self.useful = True

    def __missing__(self, raw: str) -> Any:
        value = self.parse(raw)
        if len(self) >= self.MEMO_SIZE:
            self.clear()
        self[raw] = value
        return value


_INTEGER = re.compile(r"[+-]?\d{1,12}")


def integer(lo: int, hi: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        if not _INTEGER.fullmatch(raw):
            raise CellError(tr(f"'{raw}' is not a whole number", f"'{raw}' bukan bilangan bulat"))
        v = int(raw)
        if not lo <= v <= hi:
            raise CellError(tr(f"must be between {lo} and {hi}", f"harus antara {lo} dan {hi}"))
        return v

    return parse


def number(lo: float, hi: float) -> Callable[[str], float]:
    def parse(raw: str) -> float:
        try:
            v = float(raw.replace(",", ".") if raw.count(",") == 1 and "." not in raw else raw)
        except ValueError:
            raise CellError(tr(f"'{raw}' is not a number", f"'{raw}' bukan angka")) from None
        if not lo <= v <= hi:
            raise CellError(tr(f"must be between {lo} and {hi}", f"harus antara {lo} dan {hi}"))
        return v

    return parse


def boolean(raw: str) -> bool:
    v = raw.lower()
    if v in TRUE:
        return True
    if v in FALSE:
        return False
    raise CellError(tr(f"'{raw}' is not true/false (or ya/tidak)", f"'{raw}' bukan ya/tidak (atau true/false)"))


def iso_date(raw: str) -> date:
    if not _ISO_DATE.match(raw):
        raise CellError(tr(f"'{raw}' is not a date YYYY-MM-DD", f"'{raw}' bukan tanggal YYYY-MM-DD"))
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise CellError(tr(f"'{raw}' is not a calendar date", f"'{raw}' bukan tanggal kalender")) from None


def region_code(raw: str) -> str:
    if not _CODE.match(raw):
        raise CellError(tr(f"'{raw}' is not a region code (e.g. 33.75.02.1008)", f"'{raw}' bukan kode wilayah (misalnya 33.75.02.1008)"))
    return raw


def phone(raw: str) -> str:
    try:
        return normalise_phone(raw)
    except ValueError as e:
        raise CellError(f"'{raw}': {e}") from None


def digits(raw: str) -> str:
    if not _RW.match(raw):
        raise CellError(tr(f"'{raw}' is not 1 to 3 digits", f"'{raw}' bukan 1 sampai 3 angka"))
    return raw


def service_codes(spm_field: str) -> Callable[[], Callable[[str], list[str]]]:
    """For a `code_list` column: a factory, so that each import reads the catalog once."""

    def make() -> Callable[[str], list[str]]:
        known = set(catalog()[spm_field])

        def parse(raw: str) -> list[str]:
            if raw in known:  # one code, the usual cell
                return [raw]
            codes: list[str] = []
            for code in raw.replace(",", ";").split(";"):
                code = code.strip()
                if not code:
                    continue
                if code not in known:
                    raise CellError(
                        tr(
                            f"'{code}' is not in the {spm_field} checklist (see GET /posyandu/service-catalog)",
                            f"'{code}' tidak ada dalam daftar periksa {spm_field} (lihat GET /posyandu/service-catalog)",
                        )
                    )
                if code not in codes:
                    codes.append(code)
            return codes

        return parse

    return make


def _services_of(spm_field: str) -> Callable[[], list[str]]:
    """The allowed service codes of one SPM field (read from the catalog when asked)."""
    return lambda: list(catalog()[spm_field])


def _example_services(spm_field: str) -> str:
    return ";".join(list(catalog()[spm_field])[:2])


POSYANDU: list[Column] = [
    Column("region_code", "string", "The village (kelurahan/desa) code.", "33.75.02.1008", required=True, max_length=13, check=region_code),
    Column(
        "name", "string", "The posyandu's name (with region_code, the key of the row).", "Posyandu Cempaka", required=True, max_length=200
    ),
    Column("rw", "string", "Rukun Warga, 1-3 digits.", "03", max_length=3, check=digits),
    Column("rt", "string", "Rukun Tetangga, 1-3 digits.", "", max_length=3, check=digits),
    Column("address", "string", "Street address.", "Jl. Contoh No. 1", max_length=500),
    Column("lat", "number", f"Latitude ({LAT_MIN}…{LAT_MAX}); give lat and lon together.", "-6.8893", check=number(LAT_MIN, LAT_MAX)),
    Column("lon", "number", f"Longitude ({LON_MIN}…{LON_MAX}).", "109.6753", check=number(LON_MIN, LON_MAX)),
    Column("active", "boolean", "true/false (ya/tidak); blank: true on new rows.", "true", check=boolean),
    Column("strata", "enum", "The posyandu's stratum.", "madya", allowed=strata),
    Column("pengurus_count", "integer", "Pengurus (0-10000).", "5", check=integer(0, 10_000)),
    Column("kader_count", "integer", "Kader (0-10000).", "12", check=integer(0, 10_000)),
    *(
        Column(
            f,
            "code_list",
            f"Service codes of the {f} SPM field, separated by ';'.",
            _example_services(f),
            allowed=_services_of(f),
            check=service_codes(f),
        )
        for f in SPM_FIELDS
    ),
    Column("notes", "string", "Free notes.", "", max_length=5000),
]

TEAMS: list[Column] = [
    Column(
        "region_code",
        "string",
        "The team's region (province, regency/city, district or village).",
        "33.75.02.1008",
        required=True,
        max_length=13,
        check=region_code,
    ),
    Column(
        "team_kind",
        "enum",
        "tp_posyandu (default), or a legacy pokjanal_posyandu / pokja_posyandu.",
        "tp_posyandu",
        allowed=lambda: [k.value for k in TeamKind],
    ),
    Column("team_name", "string", "Only when creating the team; default 'TP Posyandu <region>'.", "", max_length=200),
    Column("position", "enum", "The member's position.", "ketua", required=True, allowed=lambda: [p.value for p in Position]),
    Column("spm_field", "enum", "Only for ketua_bidang: the SPM field.", "", allowed=lambda: [f.value for f in SpmField]),
    Column(
        "member_name",
        "string",
        "The member's name (with the team and position, the key of the row).",
        "Nama Anggota",
        required=True,
        max_length=200,
    ),
    Column("institution", "string", "The member's institution (OPD).", "Kelurahan Contoh", max_length=200),
    Column(
        "phone", "string", "The member's phone (0812-3456-7890 or +62...), stored as +62...", "0812-3456-7890", max_length=32, check=phone
    ),
    Column("term_start", "date", "YYYY-MM-DD.", "2025-01-01", check=iso_date),
    Column("term_end", "date", "YYYY-MM-DD, not before term_start.", "2029-12-31", check=iso_date),
]

DECREES: list[Column] = [
    Column("region_code", "string", "The region the SK belongs to.", "33.75.02.1008", required=True, max_length=13, check=region_code),
    Column("number", "string", "The SK number (with region_code, the key of the row).", "100.3.3.2/12/2025", required=True, max_length=200),
    Column(
        "subject", "enum", "What the SK forms (default team_formation).", "team_formation", allowed=lambda: [s.value for s in DecreeSubject]
    ),
    Column("title", "string", "The SK's title.", "SK TP Posyandu Kelurahan Contoh", required=True, max_length=500),
    Column("decree_date", "date", "YYYY-MM-DD (needed to issue).", "2025-02-03", check=iso_date),
    Column("signer", "string", "The signing office, e.g. 'Lurah Klego'.", "Lurah Contoh", max_length=200),
    Column(
        "status",
        "enum",
        "draft (default) or issued: issuing goes through the lifecycle (a recorded 'issue' step).",
        "issued",
        allowed=lambda: ["draft", "issued"],
    ),
    Column("notes", "string", "Free notes.", "", max_length=5000),
]

COUNT_MAX = 1_000_000


def _period(raw: str) -> str:
    try:
        parse_period(raw)
    except ValueError:
        raise CellError(tr(f"'{raw}' is not a month YYYY-MM", f"'{raw}' bukan bulan YYYY-MM")) from None
    return raw


def question_column(spm_field: str, code: str) -> str:
    """The header of a question's column (as headers are matched: a configured code in capitals
    or with spaces still has a column that matches)."""
    return normalise_header(f"{spm_field}.{code}")


def target_column(group: str) -> str:
    return f"target.{group}"


def activity_report_columns() -> list[Column]:
    """The columns of the questions in force (read when asked: a change of the catalog or of
    PEMBINA_ACTIVITY_REPORT_FIELDS shows in the next template)."""
    count = integer(0, COUNT_MAX)
    out = [
        Column(
            "period",
            "string",
            "The month reported, YYYY-MM (not a month not yet begun).",
            "2026-11",
            required=True,
            max_length=7,
            check=_period,
        ),
        Column("posyandu_id", "integer", "The posyandu's id (give it or registration_number).", "101", check=integer(1, 2**31 - 1)),
        Column(
            "registration_number",
            "string",
            "The posyandu's Nomor Registrasi (instead of posyandu_id; both: they must name the same posyandu).",
            "",
            max_length=64,
        ),
        Column("days_open", "integer", "Days the posyandu was open this month (0-31).", "2", check=integer(0, 31)),
        Column("kader_present", "integer", "Kader who served this month (0-10000).", "8", check=integer(0, 10_000)),
    ]
    for f, questions in definitions().items():
        for code, label in questions.items():
            out.append(Column(question_column(f, code), "integer", f"{label} ({f}; 0-{COUNT_MAX:,}; blank: 0).", "", check=count))
    for g, label in TARGET_GROUPS.items():
        out.append(Column(target_column(g), "integer", f"{label} reached this month (blank: 0).", "", check=count))
    out.append(Column("notes", "string", "Free notes.", "", max_length=5000))
    return out


COLUMNS: dict[ImportKind, list[Column]] = {ImportKind.posyandu: POSYANDU, ImportKind.teams: TEAMS, ImportKind.decrees: DECREES}
KEYS: dict[ImportKind, list[str]] = {
    ImportKind.posyandu: ["region_code", "name"],
    ImportKind.teams: ["region_code", "team_kind", "position", "spm_field", "member_name"],
    ImportKind.decrees: ["region_code", "number"],
}
KEYS[ImportKind.activity_reports] = ["posyandu_id", "period"]
DESCRIPTIONS: dict[ImportKind, str] = {
    ImportKind.activity_reports: "A month's activity reports, one row per posyandu (posyandu_id or registration_number) and month, one column per question in force (<spm_field>.<code>) and per target group (target.<group>). Each row creates a report as submitted; a posyandu that already has the month's report is a row error (edit it in the app).",
    ImportKind.posyandu: "Posyandu units of villages, with pengurus and kader counts and their services per SPM field. A row whose village and name exist updates that posyandu (only the columns in the file); registration status is never imported.",
    ImportKind.teams: "Team members, one row per member; the team (one per region and kind) is created when missing.",
    ImportKind.decrees: "SK decrees, created as drafts; status 'issued' records the issue step (dated decree_date) under the usual role rules.",
}


def columns_of(kind: ImportKind) -> list[Column]:
    """A kind's columns (activity reports: those of the questions in force, read when asked)."""
    return activity_report_columns() if kind == ImportKind.activity_reports else COLUMNS[kind]


def kind_spec(kind: ImportKind) -> KindSpec:
    return KindSpec(kind=kind, description=DESCRIPTIONS[kind], key=KEYS[kind], columns=[c.spec() for c in columns_of(kind)])

"""The bulk posyandu import path against the record-by-record one: the columnar parser yields
the very rows and errors of the row parser, and an imported posyandu's audit events (so its
change feed entries) are those the API writes for the same record."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import literal, select

from pembina.audit.models import AuditEvent
from pembina.kit.roles import Role
from pembina.kit.db import UTCDateTime
from pembina.imports import bulk_posyandu
from pembina.imports.columns import COLUMNS
from pembina.imports.rows import Errors, read_header, record_batches, records
from pembina.imports.schemas import ImportKind
from pembina.imports.service import _posyandu_batch_check, _posyandu_check
from pembina.posyandu.models import Posyandu
from pembina.kit.scope import Principal

KLEGO = "33.75.02.1008"
BENDAN_KERGON = "33.75.01.1006"
PIPITAN = "36.73.03.1014"
HEADER = [
    "region_code",
    "name",
    "rw",
    "rt",
    "address",
    "lat",
    "lon",
    "active",
    "strata",
    "pengurus_count",
    "kader_count",
    "kesehatan",
    "pendidikan",
    "notes",
]


def _raw(rows: list[list[str]]) -> list[list[str]]:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return [[c.strip() for c in r] for r in csv.reader(io.StringIO(buf.getvalue()))]


def _mixed_rows() -> list[list[str]]:
    good = [
        KLEGO,
        "Posyandu A",
        "03",
        "7",
        "Jl. Contoh",
        "-6.88",
        "109.67",
        "ya",
        "madya",
        "5",
        "12",
        "imunisasi;penimbangan_balita",
        "paud",
        "",
    ]
    rows = [HEADER]
    for i in range(40):
        rows.append([*good[:1], f"Posyandu {i}", *good[2:]])
    rows += [
        [KLEGO, "Posyandu blanks", "", "", "", "", "", "", "", "", "", "", "", ""],  # defaults for active and counts
        [KLEGO, "Posyandu semicolons", "1", "", "", "", "", "tidak", "", "0", "0", ";", "paud;paud", ""],  # an empty code list
        [],  # a blank row counts in the row numbers
        [KLEGO, "Posyandu short"],  # missing cells read blank
        [KLEGO, "Posyandu padded", *[""] * 12, "", ""],  # extra blank cells are fine
        [KLEGO, "Posyandu extra", *[""] * 12, "x"],  # extra non-blank cells are not
        [KLEGO, "x" * 201, "1234", "", "", "", "", "mungkin", "super", "-1", "1.5", "sulap", "", ""],
        [KLEGO, "Posyandu lat only", "", "", "", "-6.9", "", "", "", "", "", "", "", ""],
        ["33.75.02", "Posyandu kecamatan", *[""] * 12],
        [PIPITAN, "Posyandu Serang", *[""] * 12],  # outside the caller's region
        ["99.99.99.9999", "Posyandu nowhere", *[""] * 12],
        [KLEGO, "Posyandu \x00 nul", *[""] * 12],
        [BENDAN_KERGON, "Posyandu B", "01", "02", "", "-6.9", "109.7", "true", "pratama", "3", "4", "kb", "", "catatan"],
    ]
    for i in range(10):
        rows.append([BENDAN_KERGON, f"Posyandu tail {i}", "", "", "", "", "", "", "", "", str(i), "", "", ""])
    return rows


def test_columnar_parser_matches_the_row_parser():
    """Every batch size (1, a few, all) gives the rows `to_stage_row` makes from `records`, and the
    same errors in the same order."""
    raw = _raw(_mixed_rows())
    principal = Principal(kind="system", id=0, name="t", role=Role.regency_coordinator, region_code="33.75")
    villages = {KLEGO, BENDAN_KERGON}

    errors = Errors()
    header, _, header_row = read_header(iter(raw), COLUMNS[ImportKind.posyandu], errors)
    rows_iter = iter(raw)
    next(rows_iter)
    expected = [
        bulk_posyandu.to_stage_row(r, v) for r, v in records(rows_iter, header, header_row, errors, _posyandu_check(villages, principal))
    ]
    assert errors.count >= 10 and len(expected) == 55
    for size in (1, 3, 7, 1000):
        got_errors = Errors()
        rows_iter = iter(raw)
        next(rows_iter)
        batches = record_batches(
            rows_iter, header, header_row, got_errors, _posyandu_check(villages, principal), _posyandu_batch_check(villages), size=size
        )
        got = [row for batch in bulk_posyandu.stage_batches(batches) for row in batch]
        assert got == expected, size
        assert got_errors.items == errors.items and (got_errors.count, got_errors.rows) == (errors.count, errors.rows), size


def _create_events(db) -> dict[str, AuditEvent]:
    db.expire_all()
    events = db.scalars(select(AuditEvent).where(AuditEvent.entity_type == "posyandu", AuditEvent.action == "create")).all()
    return {e.after["name"]: e for e in events}


def test_imported_posyandu_audit_and_feed_entries_are_those_of_the_api(client, db, pekalongan):
    body = {
        "region_code": KLEGO,
        "name": "Posyandu Lewat API",
        "rw": "03",
        "rt": "07",
        "address": "Jl. Contoh 1",
        "latitude": -6.8893,
        "longitude": 109.6753,
        "is_active": False,
        "pengurus_count": 5,
        "kader_count": 12,
        "stratum": "madya",
        "services": {"kesehatan": ["imunisasi", "penimbangan_balita"], "pendidikan": ["paud"]},
        "notes": "catatan",
    }
    r = client.post("/api/v1/posyandu", json=body, headers=pekalongan.headers)
    assert r.status_code == 201, r.text
    row = "Jl. Contoh 1,-6.8893,109.6753,tidak,madya,5,12,imunisasi;penimbangan_balita,paud,catatan"
    content = (
        "region_code,name,rw,rt,address,lat,lon,active,strata,pengurus_count,kader_count,kesehatan,pendidikan,notes\n"
        f"{KLEGO},Posyandu Lewat Impor,03,07,{row}\n"
    ).encode()
    r = client.post(
        "/api/v1/imports/posyandu", params={"mode": "commit"}, files={"file": ("p.csv", content, "text/csv")}, headers=pekalongan.headers
    )
    assert r.status_code == 200 and r.json()["created"] == 1, r.text
    events = _create_events(db)
    api, imported = events["Posyandu Lewat API"], events["Posyandu Lewat Impor"]
    record = db.scalar(select(Posyandu).where(Posyandu.name == "Posyandu Lewat Impor"))
    for attr in ("actor", "actor_name", "action", "entity_type", "region_code", "prior_region_code", "before"):
        assert getattr(imported, attr) == getattr(api, attr), attr
    assert imported.entity_id == str(record.id)
    assert set(imported.after) == set(api.after)
    own = {"id", "name", "created_at", "updated_at"}
    assert {k: v for k, v in imported.after.items() if k not in own} == {k: v for k, v in api.after.items() if k not in own}
    assert imported.after["id"] == record.id and imported.after["name"] == record.name
    # timestamps written as the API writes them (ISO 8601, UTC offset)
    assert imported.after["created_at"] == record.created_at.isoformat() == imported.after["updated_at"]

    # An import that changes the API's posyandu: its 'before' is exactly the API's 'after'.
    change = f"region_code,name,kader_count\n{KLEGO},Posyandu Lewat API,99\n".encode()
    r = client.post(
        "/api/v1/imports/posyandu", params={"mode": "commit"}, files={"file": ("p.csv", change, "text/csv")}, headers=pekalongan.headers
    )
    assert r.json()["updated"] == 1, r.text
    db.expire_all()
    upd = db.scalar(select(AuditEvent).where(AuditEvent.entity_type == "posyandu", AuditEvent.action == "update"))
    changed = db.get(Posyandu, api.after["id"])
    assert upd.before == api.after
    assert upd.after == {**api.after, "kader_count": 99, "version": 2, "updated_at": changed.updated_at.isoformat()}
    feed = client.get("/api/v1/changes", params={"entity_type": "posyandu"}, headers=pekalongan.headers).json()["items"]
    by_id = {}
    for item in feed:
        by_id.setdefault((item["entity_id"], item["action"]), item)
    a, i = by_id[(api.entity_id, "create")], by_id[(imported.entity_id, "create")]
    assert set(a) == set(i) and a["region_code"] == i["region_code"] and a["schema"] == i["schema"] == "PosyanduRead"
    # each carries the record as the API returns it (now: after the import's update)
    for entry in (a, i):
        got = client.get(f"/api/v1/posyandu/{entry['entity_id']}", headers=pekalongan.headers).json()
        assert entry["data"] == {k: v for k, v in got.items() if k != "allowed_actions"}
    assert a["data"]["kader_count"] == 99


@pytest.mark.parametrize("micro", [0, 120, 402419])
def test_snapshot_timestamps_are_written_as_python_writes_them(db, micro):
    stamp = datetime(2026, 1, 2, 3, 4, 5, micro, tzinfo=UTC)
    dialect = db.get_bind().dialect.name
    assert db.scalar(select(bulk_posyandu._iso(dialect, literal(stamp, UTCDateTime())))) == stamp.isoformat()
    assert db.scalar(select(bulk_posyandu._iso(dialect, literal(None, UTCDateTime())))) is None

"""Item 8: CSV cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR at
the start) are written with a leading `'` (OWASP), in every CSV the system writes; numbers stay
numbers."""

from __future__ import annotations

import csv
import io
import zipfile

from python_calamine import CalamineWorkbook

from tests.conftest import report_sk
from tests.test_registration_api import BATCHES, KLEGO, act, new_batch, ready

API = "/api/v1"
HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def _rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def _posyandu(client, who, name: str) -> str:
    """The name as stored (the API trims surrounding whitespace: a leading tab or CR is gone)."""
    r = client.post(
        f"{API}/posyandu", json={"region_code": KLEGO, "name": name, "address": name, "notes": name, "kader_count": 7}, headers=who.headers
    )
    assert r.status_code == 201, r.text
    return r.json()["name"]


def test_list_export_neutralises_formulas(client, pekalongan):
    stored = [_posyandu(client, pekalongan, name) for name in HOSTILE]
    r = client.get(f"{API}/exports/posyandu", params={"format": "csv", "region": KLEGO}, headers=pekalongan.headers)
    assert r.status_code == 200, r.text
    rows = _rows(r.content)
    names = sorted(row["Nama"] for row in rows)
    assert names == sorted(n if n.isalnum() else "'" + n for n in stored)
    # the address keeps what was sent, a leading tab or CR included
    assert sorted(row["Alamat"] for row in rows) == sorted("'" + n for n in HOSTILE)
    for row in rows:
        assert row["Jumlah Kader"] == "7"  # numbers are still numbers
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), row


def test_registration_batch_export_neutralises_formulas(client, db, pekalongan):
    report_sk(db, KLEGO)  # registration follows the SK
    ids = []
    for name in ("=cmd|' /C calc'!A0", "@SUM(1+1)"):
        pid = ready(client, pekalongan, name=name)
        assert act(client, pekalongan, pid, "propose").status_code == 200
        assert act(client, pekalongan, pid, "verify").status_code == 200
        ids.append(pid)
    bid = new_batch(client, pekalongan, ids).json()["id"]
    r = client.get(f"{BATCHES}/{bid}/export", params={"format": "csv"}, headers=pekalongan.headers)
    assert r.status_code == 200, r.text
    rows = _rows(r.content)
    assert sorted(row["nama_posyandu"] for row in rows) == sorted(["'=cmd|' /C calc'!A0", "'@SUM(1+1)"])
    assert {row["jumlah_kader"] for row in rows} == {"10"}
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), row
    # the XLSX of the batch holds the names as text, not as formulas
    x = client.get(f"{BATCHES}/{bid}/export", params={"format": "xlsx"}, headers=pekalongan.headers)
    assert x.status_code == 200
    with zipfile.ZipFile(io.BytesIO(x.content)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    table = CalamineWorkbook.from_filelike(io.BytesIO(x.content)).get_sheet_by_index(0).to_python()
    assert sorted(r[2] for r in table[1:]) == sorted(["=cmd|' /C calc'!A0", "@SUM(1+1)"])


def test_every_formula_start_is_neutralised():
    from pembina.kit.tabular import csv_safe

    assert [csv_safe(v) for v in HOSTILE] == ["'" + v for v in HOSTILE]
    assert [csv_safe(v) for v in ("Posyandu Mawar", "", 5, -5, 1.5)] == ["Posyandu Mawar", "", 5, -5, 1.5]

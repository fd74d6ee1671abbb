"""Exports: every list as XLSX/CSV (same rows as the list, same scope), the formatted reports,
the PDF region summary, the row cap, the audit event and the `pembina export` CLI."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from pembina.config import get_settings
from tests.isolation import decrees as serang_decrees
from tests.isolation import mentions
from tests.isolation import posyandu as serang_posyandu

API = "/api/v1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_rows(data: bytes, sheet: int = 0) -> list[list[Any]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(sheet).to_python()


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV for Excel starts with a UTF-8 BOM"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def table(data: bytes, fmt: str) -> list[dict[str, Any]]:
    rows = xlsx_rows(data) if fmt == "xlsx" else csv_rows(data)
    header, body = rows[0], rows[1:]
    return [dict(zip(header, r, strict=True)) for r in body]


def list_all(client, who, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    while True:
        r = client.get(f"{API}{path}", params={**params, "limit": 500, "offset": len(out)}, headers=who.headers)
        assert r.status_code == 200, r.text
        out += r.json()["items"]
        if len(out) >= r.json()["total"]:
            return out


def key_of(item_or_row: dict[str, Any]) -> str:
    for k in ("id", "ID", "code", "Kode"):
        if k in item_or_row and item_or_row[k] not in (None, ""):
            v = item_or_row[k]
            return str(int(v)) if isinstance(v, float) else str(v)
    raise AssertionError(f"no id or code in {item_or_row}")


@pytest.fixture
def data(client, admin, pekalongan) -> dict[str, Any]:
    """Kota Serang records (as for the isolation test) and a few in Kota Pekalongan."""
    ctx = {**serang_posyandu.arrange(client, admin), **serang_decrees.arrange(client, admin)}
    h = pekalongan.headers
    for village, name in (("33.75.02.1008", "Posyandu Melati"), ("33.75.01.1002", "Posyandu Mawar")):
        r = client.post(f"{API}/posyandu", json={"region_code": village, "name": name, "kader_count": 12, "pengurus_count": 4}, headers=h)
        assert r.status_code == 201, r.text
    team = client.post(f"{API}/teams", json={"region_code": "33.75.02.1008"}, headers=h)
    assert team.status_code == 201, team.text
    for village, steps in (("33.75.02.1008", ("issue", "report")), ("33.75.02.1009", ("issue",))):
        d = client.post(f"{API}/decrees", json={"region_code": village, "title": f"SK {village}", "subject": "team_formation"}, headers=h)
        assert d.status_code == 201, d.text
        for action in steps:
            t = client.post(f"{API}/decrees/{d.json()['id']}/transitions", json={"action": action, "reason": "alasan"}, headers=h)
            assert t.status_code == 201, t.text
    return ctx


def test_catalog_names_every_list_and_report(client, pekalongan):
    r = client.get(f"{API}/exports", headers=pekalongan.headers)
    assert r.status_code == 200
    body = r.json()
    names = {x["name"] for x in body["lists"]}
    assert {
        "regions",
        "users",
        "api-clients",
        "audit-events",
        "teams",
        "decrees",
        "reporting-deadlines",
        "posyandu",
        "registration-batches",
        "pilot-sites",
    } <= names
    posyandu = next(x for x in body["lists"] if x["name"] == "posyandu")
    assert posyandu["list_operation"] == "posyandu-list" and "region" in posyandu["filters"] and "status" in posyandu["filters"]
    assert {"key": "region_code", "label": "Kode Wilayah"} in posyandu["columns"]
    assert {x["name"] for x in body["reports"]} == {"compliance", "registration-batch", "budget-rollup"}
    assert body["documents"][0]["path"] == "/exports/regions/{code}/summary.pdf"
    assert body["max_rows"] == get_settings().export_max_rows


#: Paged lists below a collection (the export is named after the path's segments).
SUB_LISTS = {"activity-reports-missing": "/activity-reports/missing"}


@pytest.mark.parametrize("who", ["admin", "pekalongan"])
def test_every_list_exports_the_lists_rows_in_both_formats(client, admin, pekalongan, data, who):
    caller = admin if who == "admin" else pekalongan
    catalog = client.get(f"{API}/exports", headers=caller.headers).json()["lists"]
    for spec in (s for s in catalog if "{" not in s["path"]):
        params = {"within": "33.75"} if spec["name"] == "regions" else {}
        for fmt in ("xlsx", "csv"):
            source = SUB_LISTS.get(spec["name"], f"/{spec['name']}")
            expected = [key_of(i) for i in list_all(client, caller, source, params)]
            r = client.get(f"{API}{spec['path']}", params={**params, "format": fmt}, headers=caller.headers)
            assert r.status_code == 200, (spec["name"], fmt, r.text)
            assert r.headers["content-type"].startswith(XLSX if fmt == "xlsx" else "text/csv")
            disposition = r.headers["content-disposition"]
            scope = "nasional" if who == "admin" and not params else "33.75"
            assert disposition.startswith("attachment") and f"{spec['name']}-{scope}-" in disposition and disposition.endswith(f'.{fmt}"')
            rows = table(r.content, fmt)
            assert [key_of(row) for row in rows] == expected, (spec["name"], fmt)
            assert int(r.headers["x-export-rows"]) == len(expected)
            if who == "pekalongan" and fmt == "csv":
                assert not mentions(r.content.decode("utf-8-sig"), "36.73"), spec["name"]


def test_a_records_lists_export_like_the_record(client, admin, pekalongan, data):
    catalog = {x["name"]: x for x in client.get(f"{API}/exports", headers=admin.headers).json()["lists"]}
    assert catalog["team-members"]["path"] == "/exports/teams/{team_id}/members"
    ids = {"team_id": data["serang_team_id"], "decree_id": data["serang_decree_id"], "posyandu_id": data["serang_posyandu_id"]}
    for name in ("team-members", "decrees-transitions", "posyandu-documents", "posyandu-registration-events"):
        spec = catalog[name]
        path = spec["path"].format(**ids)
        expected = client.get(f"{API}{path.removeprefix('/exports')}", headers=admin.headers).json()
        assert len(expected) >= 1, name
        for fmt in ("xlsx", "csv"):
            r = client.get(f"{API}{path}", params={"format": fmt}, headers=admin.headers)
            assert r.status_code == 200, (name, r.text)
            assert [key_of(row) for row in table(r.content, fmt)] == [str(e["id"]) for e in expected], name
        denied = client.get(f"{API}{path}", params={"format": "csv"}, headers=pekalongan.headers)
        assert denied.status_code == 404 and denied.headers["content-type"] == "application/problem+json"
    r = client.get(f"{API}/exports/teams/{data['serang_team_id']}/members", params={"format": "csv"}, headers=admin.headers)
    assert f"team-members-{data['serang_team_id']}-nasional-" in r.headers["content-disposition"]
    assert client.get(f"{API}/exports/teams/abc/members", headers=admin.headers).status_code in (404, 405)


def test_filters_and_sort_are_the_lists_own(client, pekalongan, data):
    h = pekalongan.headers
    r = client.get(f"{API}/exports/posyandu", params={"format": "csv", "q": "melati"}, headers=h)
    rows = table(r.content, "csv")
    assert [row["Nama"] for row in rows] == ["Posyandu Melati"]
    assert rows[0]["Kode Wilayah"] == "33.75.02.1008" and rows[0]["Jumlah Kader"] == "12" and rows[0]["Aktif"] == "Ya"
    r = client.get(f"{API}/exports/posyandu", params={"format": "xlsx", "sort": "-name"}, headers=h)
    assert [row["Nama"] for row in table(r.content, "xlsx")] == ["Posyandu Melati", "Posyandu Mawar"]
    r = client.get(f"{API}/exports/regions", params={"format": "xlsx", "parent": "33.75.02"}, headers=h)
    regions = table(r.content, "xlsx")
    assert len(regions) == 7 and all(row["Kode Induk"] == "33.75.02" for row in regions)
    bad = client.get(f"{API}/exports/posyandu", params={"sort": "password"}, headers=h)
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"
    bad = client.get(f"{API}/exports/posyandu", params={"format": "pdf"}, headers=h)
    assert bad.status_code == 422


def test_xlsx_is_formatted_for_excel(client, pekalongan, data):
    r = client.get(f"{API}/exports/posyandu", params={"format": "xlsx"}, headers=pekalongan.headers)
    import zipfile

    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        styles = z.read("xl/styles.xml").decode()
    assert "<pane " in sheet and 'state="frozen"' in sheet  # frozen header row
    assert "<autoFilter " in sheet and "<cols>" in sheet  # filters and fitted widths
    assert "dd/mm/yyyy hh:mm" in styles and "#,##0" in styles
    rows = xlsx_rows(r.content)
    created = rows[0].index("Dibuat (WIB)")
    from datetime import datetime

    assert isinstance(rows[1][created], datetime)  # a real date cell, not text


def test_pekalongan_cannot_export_serang(client, pekalongan, data):
    h = pekalongan.headers
    for path, params in (
        ("/exports/posyandu", {"region": "36.73"}),
        ("/exports/users", {"region": "36.73.03"}),
        ("/exports/regions", {"within": "36.73"}),
        ("/exports/reports/compliance", {"region": "36.73"}),
        ("/exports/regions/36.73/summary.pdf", {}),
    ):
        r = client.get(f"{API}{path}", params=params, headers=h)
        assert r.status_code == 403, (path, r.text)
        assert r.headers["content-type"] == "application/problem+json"
    r = client.get(f"{API}/exports/reports/registration-batches/{data['serang_batch_id']}", headers=h)
    assert r.status_code == 404
    r = client.get(f"{API}/exports/posyandu", params={"format": "csv"}, headers=h)
    names = [row["Nama"] for row in table(r.content, "csv")]
    assert sorted(names) == ["Posyandu Mawar", "Posyandu Melati"]


def test_too_many_rows_is_a_422_asking_to_narrow(client, pekalongan, data, monkeypatch):
    monkeypatch.setattr(get_settings(), "export_max_rows", 10)
    r = client.get(f"{API}/exports/regions", params={"format": "csv"}, headers=pekalongan.headers)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json" and "Narrow the filters" in r.json()["detail"]
    ok = client.get(f"{API}/exports/regions", params={"format": "csv", "parent": "33.75"}, headers=pekalongan.headers)
    assert ok.status_code == 200 and len(table(ok.content, "csv")) == 4


def test_national_regions_list_hits_the_default_cap(client, admin):
    r = client.get(f"{API}/exports/regions", params={"format": "csv"}, headers=admin.headers)
    assert r.status_code == 422 and "91," in r.json()["detail"]


def test_each_export_is_audited_and_stays_out_of_the_change_feed(client, pekalongan, data):
    h = pekalongan.headers
    r = client.get(f"{API}/exports/posyandu", params={"format": "csv", "q": "mawar"}, headers=h)
    assert r.status_code == 200
    events = client.get(f"{API}/audit-events", params={"action": "export"}, headers=h).json()["items"]
    assert len(events) == 1
    e = events[0]
    assert e["entity_type"] == "export" and e["entity_id"] == "list:posyandu" and e["actor"] == f"user:{pekalongan.id}"
    assert (
        e["region_code"] == "33.75"
        and e["after"]["rows"] == 1
        and e["after"]["filters"] == {"q": "mawar"}
        and e["after"]["format"] == "csv"
    )
    client.get(f"{API}/exports/regions/33.75/summary.pdf", headers=h)
    client.get(f"{API}/exports/reports/compliance", params={"region": "33.75"}, headers=h)
    kinds = {e["entity_id"] for e in client.get(f"{API}/audit-events", params={"action": "export"}, headers=h).json()["items"]}
    assert kinds == {"list:posyandu", "pdf:region-summary", "report:compliance"}
    feed = client.get(f"{API}/changes", params={"limit": 1000}, headers=h).json()
    assert all(c["entity_type"] != "export" for c in feed["items"])


def test_compliance_report_matches_the_board(client, pekalongan, data):
    h = pekalongan.headers
    board = client.get(f"{API}/regions/33.75/compliance", headers=h).json()
    r = client.get(f"{API}/exports/reports/compliance", params={"region": "33.75", "level": "village"}, headers=h)
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    assert "rekap-kepatuhan-sk-village-33.75-" in r.headers["content-disposition"]
    rows = xlsx_rows(r.content)
    assert rows[0][0] == "REKAPITULASI KEPATUHAN SK PEMBENTUKAN TP POSYANDU TINGKAT DESA/KELURAHAN"
    assert any("Kota Pekalongan" in str(c) for row in rows[:8] for c in row)
    head = next(i for i, row in enumerate(rows) if row and row[0] == "No.")
    header = rows[head]
    assert header[:4] == ["No.", "Kode Wilayah", "Nama Wilayah", "Jumlah Desa/Kelurahan"]
    assert {"SK Ditetapkan", "SK Dilaporkan", "SK Diverifikasi", "Belum Melapor", "Batas Waktu Pelaporan", "Terlambat"} <= set(header)
    body = rows[head + 2 : head + 2 + len(board["rows"])]
    col = {name: header.index(name) for name in header}
    for i, (row, b) in enumerate(zip(body, board["rows"], strict=True), start=1):
        assert row[0] == i and row[col["Kode Wilayah"]] == b["region"]["code"]
        assert (row[col["SK Ditetapkan"]], row[col["SK Dilaporkan"]], row[col["Belum Melapor"]]) == (
            b["issued"],
            b["reported"],
            b["not_reported"],
        )
    total = rows[head + 2 + len(board["rows"])]
    assert "JUMLAH" in total
    t = board["total"]
    assert (total[col["Jumlah Desa/Kelurahan"]], total[col["Ada Tim"]], total[col["SK Ditetapkan"]], total[col["SK Dilaporkan"]]) == (
        t["expected"],
        t["with_team"],
        t["issued"],
        t["reported"],
    )
    missing = xlsx_rows(r.content, sheet=1)
    mhead = next(i for i, row in enumerate(missing) if row and row[0] == "No.")
    codes = [row[1] for row in missing[mhead + 2 :] if isinstance(row[0], (int, float)) and row[0] >= 1 and row[1]]
    assert codes == [m["code"] for m in board["missing_reports"]] and len(codes) == t["not_reported"]
    bad = client.get(f"{API}/exports/reports/compliance", params={"region": "33.75.02.1008"}, headers=h)
    assert bad.status_code == 422


def _budgets(client, who) -> None:
    """Two Pekalongan budgets (city APBD, a kelurahan's APBD) with allocations and realizations."""
    for region, source, total, allocs in (
        ("33.75", "apbd", 400_000_000, [("kesehatan", 150_000_000, 90_500_000), (None, 60_000_000, 0)]),
        ("33.75.02.1008", "apbd", None, [("kesehatan", 20_000_000, 20_000_000), ("pendidikan", 12_345_678, 1_000_001)]),
    ):
        team = client.post(f"{API}/teams", json={"region_code": region}, headers=who.headers)
        team_id = (
            team.json()["id"]
            if team.status_code == 201
            else client.get(f"{API}/teams", params={"region": region}, headers=who.headers).json()["items"][0]["id"]
        )
        b = client.post(
            f"{API}/budgets", json={"team_id": team_id, "fiscal_year": 2025, "source": source, "total_amount": total}, headers=who.headers
        )
        assert b.status_code == 201, b.text
        for field, amount, realized in allocs:
            a = client.post(
                f"{API}/budgets/{b.json()['id']}/allocations",
                json={"activity": "Pembinaan", "spm_field": field, "amount": amount},
                headers=who.headers,
            )
            assert a.status_code == 201, a.text
            if realized:
                url = f"{API}/budgets/{b.json()['id']}/allocations/{a.json()['id']}/realizations"
                assert client.post(url, json={"realized_on": "2025-05-02", "amount": realized}, headers=who.headers).status_code == 201


@pytest.mark.parametrize("group_by", ["source", "spm_field", "year"])
def test_budget_rollup_report_matches_the_rollup(client, pekalongan, data, group_by):
    h = pekalongan.headers
    _budgets(client, pekalongan)
    params = {"region": "33.75", "year": 2025, "group_by": group_by}
    roll = client.get(f"{API}/budgets/rollup", params=params, headers=h).json()
    assert roll["totals"]["planned"] == 242_345_678 and roll["rows"]
    r = client.get(f"{API}/exports/reports/budget-rollup", params=params, headers=h)
    assert r.status_code == 200 and r.headers["content-type"] == XLSX, r.text
    assert f"rekap-anggaran-{group_by.replace('_', '-')}-33.75-" in r.headers["content-disposition"]
    rows = xlsx_rows(r.content)
    assert rows[0][0].startswith("REKAPITULASI ANGGARAN TP POSYANDU MENURUT ") and rows[0][0].endswith("TAHUN 2025")
    assert any("Kota Pekalongan" in str(c) for row in rows[:8] for c in row)
    head = next(i for i, row in enumerate(rows) if row and row[0] == "No.")
    header = rows[head]
    col = {name: header.index(name) for name in header}
    assert ("Pagu Anggaran (Rp)" in col) == (group_by != "spm_field")
    body = rows[head + 2 : head + 2 + len(roll["rows"])]
    for i, (row, x) in enumerate(zip(body, roll["rows"], strict=True), start=1):
        assert row[0] == i
        assert (row[col["Alokasi Kegiatan (Rp)"]], row[col["Realisasi (Rp)"]]) == (x["planned"], x["realized"])
        assert row[col["Sisa Alokasi (Rp)"]] == x["planned"] - x["realized"]
        assert row[col["% Realisasi"]] == (x["percent"] if x["percent"] is not None else "")
        if group_by != "spm_field":
            assert row[col["Pagu Anggaran (Rp)"]] == x["budgeted"]
    labels = [row[1] for row in body]
    if group_by == "spm_field":
        assert labels == ["Kesehatan", "Pendidikan", "Umum (tanpa bidang SPM)"]
    elif group_by == "year":
        assert labels == ["Tahun 2025"]
    total = rows[head + 2 + len(roll["rows"])]
    t = roll["totals"]
    assert total[1] == "JUMLAH"
    assert (total[col["Alokasi Kegiatan (Rp)"]], total[col["Realisasi (Rp)"]], total[col["% Realisasi"]]) == (
        t["planned"],
        t["realized"],
        t["percent"],
    )
    assert t["realized"] == 111_500_001 and t["percent"] == 46.0


def test_budget_rollup_report_formats_rupiah_and_keeps_scope(client, pekalongan, admin, data):
    import zipfile

    h = pekalongan.headers
    _budgets(client, pekalongan)
    r = client.get(f"{API}/exports/reports/budget-rollup", params={"source": "apbd"}, headers=h)
    assert r.status_code == 200, r.text
    styles = zipfile.ZipFile(io.BytesIO(r.content)).read("xl/styles.xml").decode()
    assert '"Rp" #,##0' in styles.replace("&quot;", '"') and "0.0" in styles
    sheet = zipfile.ZipFile(io.BytesIO(r.content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<mergeCell " in sheet
    rows = xlsx_rows(r.content)
    assert any("APBD" in str(c) for row in rows[:8] for c in row)  # the source line
    for params in ({"region": "36.73"}, {"region": "36.73.03", "group_by": "year"}):
        denied = client.get(f"{API}/exports/reports/budget-rollup", params=params, headers=h)
        assert denied.status_code == 403 == client.get(f"{API}/budgets/rollup", params=params, headers=h).status_code
    for params in ({"group_by": "team"}, {"year": 1999}, {"region": "33-75"}, {"source": "kas"}):
        assert client.get(f"{API}/exports/reports/budget-rollup", params=params, headers=h).status_code == 422
    assert client.get(f"{API}/exports/reports/budget-rollup", params={"region": "99.98"}, headers=admin.headers).status_code == 404
    nation = client.get(f"{API}/exports/reports/budget-rollup", headers=admin.headers)
    assert nation.status_code == 200 and "rekap-anggaran-source-nasional-" in nation.headers["content-disposition"]
    assert any("Nasional" in str(c) for row in xlsx_rows(nation.content)[:8] for c in row)
    events = client.get(f"{API}/audit-events", params={"action": "export"}, headers=h).json()["items"]
    assert "report:budget-rollup" in {e["entity_id"] for e in events}


def test_registration_batch_report(client, admin, data):
    bid = data["serang_batch_id"]
    r = client.get(f"{API}/exports/reports/registration-batches/{bid}", headers=admin.headers)
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    rows = xlsx_rows(r.content)
    assert rows[0][0] == "REKAPITULASI USULAN REGISTRASI POSYANDU"
    head = next(i for i, row in enumerate(rows) if row and row[0] == "No.")
    header = rows[head]
    assert "Nama Posyandu" in header and "Nomor Registrasi Posyandu" in header
    first = rows[head + 2]
    assert (
        first[0] == 1
        and first[header.index("Nama Posyandu")] == "Posyandu Isolasi A"
        and first[header.index("Kode Desa/Kelurahan")] == "36.73.03.1014"
    )
    total = rows[head + 3]
    assert "JUMLAH" in total and total[header.index("Jumlah Kader")] == 12 and total[header.index("Jumlah Pengurus")] == 5
    assert client.get(f"{API}/exports/reports/registration-batches/2147483647", headers=admin.headers).status_code == 404


def test_region_summary_pdf(client, pekalongan, data):
    r = client.get(f"{API}/exports/regions/33.75/summary.pdf", headers=pekalongan.headers)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF-") and r.content.rstrip().endswith(b"%%EOF")
    assert r.content.count(b"/Type /Page\n") + r.content.count(b"/Type /Page ") + r.content.count(b"/Type /Page>") >= 1
    assert "ringkasan-wilayah-33.75-" in r.headers["content-disposition"]
    village = client.get(f"{API}/exports/regions/33.75.02.1008/summary.pdf", headers=pekalongan.headers)
    assert village.status_code == 200 and village.content.startswith(b"%PDF-")
    assert client.get(f"{API}/exports/regions/99/summary.pdf", headers=pekalongan.headers).status_code == 403


# -- the CLI ----------------------------------------------------------------------


@pytest.fixture
def cli_session(connection, monkeypatch):
    """The CLI's sessions join the test transaction."""
    from pembina.exports import cli

    monkeypatch.setattr(
        cli, "session_factory", lambda: lambda: Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    )


def test_cli_exports_a_list_as_a_user_and_a_report(client, pekalongan, data, cli_session, tmp_path):
    from pembina.cli import app

    runner = CliRunner()
    out = tmp_path / "posyandu.csv"
    res = runner.invoke(app, ["export", "posyandu", "--format", "csv", "--out", str(out), "--as-user", pekalongan.username])
    assert res.exit_code == 0, res.output
    assert "2 rows" in res.output
    assert sorted(row["Nama"] for row in table(out.read_bytes(), "csv")) == ["Posyandu Mawar", "Posyandu Melati"]

    res = runner.invoke(app, ["export", "posyandu", "--out", str(out), "--region", "36.73", "--as-user", pekalongan.username])
    assert res.exit_code == 1 and "outside your region" in res.output

    nat = tmp_path / "nasional.xlsx"
    res = runner.invoke(app, ["export", "posyandu", "--out", str(nat), "--filter", "status=verified"])
    assert res.exit_code == 0, res.output
    assert [row["Nama"] for row in table(nat.read_bytes(), "xlsx")] == ["Posyandu Isolasi A"]

    res = runner.invoke(app, ["export", "posyandu", "--out", str(nat), "--filter", "status=bogus"])
    assert res.exit_code != 0

    members = tmp_path / "anggota.csv"
    res = runner.invoke(
        app, ["export", "team-members", "--format", "csv", "--out", str(members), "--filter", f"team_id={data['serang_team_id']}"]
    )
    assert res.exit_code == 0, res.output
    assert [row["Nama"] for row in table(members.read_bytes(), "csv")] == ["Sekretariat"]
    res = runner.invoke(
        app,
        [
            "export",
            "team-members",
            "--out",
            str(members),
            "--filter",
            f"team_id={data['serang_team_id']}",
            "--as-user",
            pekalongan.username,
        ],
    )
    assert res.exit_code == 1 and "not found" in res.output

    rep = tmp_path / "rekap.xlsx"
    res = runner.invoke(app, ["export", "compliance", "--region", "33.75", "--out", str(rep), "--as-user", pekalongan.username])
    assert res.exit_code == 0, res.output
    assert xlsx_rows(rep.read_bytes())[0][0].startswith("REKAPITULASI KEPATUHAN")

    _budgets(client, pekalongan)
    budget = tmp_path / "anggaran.xlsx"
    res = runner.invoke(
        app,
        [
            "export",
            "budget-rollup",
            "--region",
            "33.75",
            "--year",
            "2025",
            "--group-by",
            "spm_field",
            "--out",
            str(budget),
            "--as-user",
            pekalongan.username,
        ],
    )
    assert res.exit_code == 0, res.output
    sheet = xlsx_rows(budget.read_bytes())
    assert sheet[0][0] == "REKAPITULASI ANGGARAN TP POSYANDU MENURUT BIDANG SPM TAHUN 2025"
    assert any(row[1] == "JUMLAH" and 242_345_678 in row for row in sheet)
    res = runner.invoke(app, ["export", "budget-rollup", "--region", "36.73", "--out", str(budget), "--as-user", pekalongan.username])
    assert res.exit_code == 1 and "outside your region" in res.output
    res = runner.invoke(app, ["export", "budget-rollup", "--group-by", "team", "--out", str(budget)])
    assert res.exit_code != 0

    pdf = tmp_path / "ringkasan.pdf"
    res = runner.invoke(app, ["export", "region-summary", "--region", "33.75", "--out", str(pdf)])
    assert res.exit_code == 0, res.output
    assert pdf.read_bytes().startswith(b"%PDF-")
    events = client.get(f"{API}/audit-events", params={"action": "export"}, headers=pekalongan.headers).json()["items"]
    assert {e["entity_id"] for e in events} >= {"list:posyandu", "report:compliance", "pdf:region-summary"}

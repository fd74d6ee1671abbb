"""Spreadsheet imports (/api/v1/imports): templates, dry run, all-or-nothing commit, idempotence,
row and column errors that leave the database unchanged, region scope, audit, counters."""

from __future__ import annotations

import io

import pytest
import xlsxwriter
from sqlalchemy import func, select

from pembina.audit.models import AuditEvent
from pembina.kit.roles import ClientScope, Role
from pembina.config import get_settings
from pembina.decrees.models import Decree, DecreeTransition
from pembina.posyandu.models import Posyandu
from pembina.stats import service as stats
from pembina.teams.models import Team, TeamMember

URL = "/api/v1/imports"
KLEGO = "33.75.02.1008"  # Kota Pekalongan
BENDAN_KERGON = "33.75.01.1006"
PIPITAN = "36.73.03.1014"  # Kota Serang
HEADER = "region_code,name,rw,kader_count,pengurus_count,strata,active,kesehatan,pendidikan"


def csv_file(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def xlsx_file(rows: list[list[object]]) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    for i, row in enumerate(rows):
        ws.write_row(i, 0, row)
    wb.close()
    return buf.getvalue()


def post(client, who, kind, content, mode="commit", name="data.csv"):
    return client.post(
        f"{URL}/{kind}", params={"mode": mode}, files={"file": (name, content, "application/octet-stream")}, headers=who.headers
    )


def counts(db) -> tuple[int, int, int, int]:
    db.expire_all()
    return (
        db.scalar(select(func.count()).select_from(Posyandu)),
        db.scalar(select(func.count()).select_from(Team)),
        db.scalar(select(func.count()).select_from(TeamMember)),
        db.scalar(select(func.count()).select_from(Decree)),
    )


GOOD = csv_file(
    f"{KLEGO},Posyandu Seruni,03,10,5,madya,ya,imunisasi;penimbangan_balita,paud",
    f"{KLEGO},Posyandu Melati,04,8,4,pratama,true,,",
    f"{BENDAN_KERGON},Posyandu Cempaka,01,12,6,,false,kb,",
)


def test_kinds_describe_columns(client, pekalongan):
    r = client.get(URL, headers=pekalongan.headers)
    assert r.status_code == 200
    kinds = {k["kind"]: k for k in r.json()}
    assert set(kinds) == {"posyandu", "teams", "decrees", "activity_reports"}
    cols = {c["name"]: c for c in kinds["posyandu"]["columns"]}
    assert cols["region_code"]["required"] and cols["name"]["required"]
    assert cols["strata"]["allowed"] == ["pratama", "madya", "purnama", "mandiri"]
    assert "imunisasi" in cols["kesehatan"]["allowed"]
    assert kinds["posyandu"]["key"] == ["region_code", "name"]
    assert {c["name"] for c in kinds["teams"]["columns"]} >= {"position", "member_name", "spm_field"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_round_trip(client, db, pekalongan, fmt):
    r = client.get(f"{URL}/templates/posyandu", params={"format": fmt}, headers=pekalongan.headers)
    assert r.status_code == 200
    assert "attachment" in r.headers["content-disposition"]
    if fmt == "csv":
        assert r.text.splitlines()[0].startswith("region_code,name,")
    else:
        assert r.content.startswith(b"PK\x03\x04")
    before = counts(db)
    imported = post(client, pekalongan, "posyandu", r.content, name=f"template.{fmt}")
    assert imported.status_code == 200, imported.text
    body = imported.json()
    assert (body["rows"], body["created"], body["committed"]) == (1, 1, True)
    assert counts(db)[0] == before[0] + 1
    p = db.scalar(select(Posyandu).where(Posyandu.region_code == KLEGO, Posyandu.name == "Posyandu Cempaka"))
    assert p is not None and p.kader_count == 12 and p.latitude == pytest.approx(-6.8893)
    assert p.services["kesehatan"] == ["penimbangan_balita", "imunisasi"]


@pytest.mark.parametrize("kind", ["teams", "decrees"])
def test_other_templates_round_trip(client, db, pekalongan, kind):
    r = client.get(f"{URL}/templates/{kind}", params={"format": "csv"}, headers=pekalongan.headers)
    assert r.status_code == 200
    dry = post(client, pekalongan, kind, r.content, mode="dry_run")
    assert dry.status_code == 200 and dry.json()["created"] == 1, dry.text


def test_dry_run_writes_nothing(client, db, pekalongan):
    before = counts(db)
    events = db.scalar(select(func.count()).select_from(AuditEvent))
    r = post(client, pekalongan, "posyandu", GOOD, mode="dry_run")
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["mode"], body["rows"], body["created"], body["updated"], body["unchanged"], body["committed"]) == (
        "dry_run",
        3,
        3,
        0,
        0,
        False,
    )
    assert counts(db) == before
    assert db.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_commit_then_same_file_changes_nothing(client, db, pekalongan):
    summary_before = client.get(f"/api/v1/regions/{KLEGO}/summary", headers=pekalongan.headers).json()
    r = post(client, pekalongan, "posyandu", GOOD)
    assert r.status_code == 200, r.text
    assert (r.json()["created"], r.json()["updated"], r.json()["unchanged"]) == (3, 0, 0)
    seruni = db.scalar(select(Posyandu).where(Posyandu.name == "Posyandu Seruni"))
    assert seruni.services == {"kesehatan": ["imunisasi", "penimbangan_balita"], "pendidikan": ["paud"]}
    assert seruni.spm_mask == 3 and seruni.stratum == "madya" and seruni.is_active and seruni.version == 1
    again = post(client, pekalongan, "posyandu", GOOD)
    assert (again.json()["created"], again.json()["updated"], again.json()["unchanged"]) == (0, 0, 3)
    db.expire_all()
    assert db.get(Posyandu, seruni.id).version == 1
    # the counters moved with the import (and equal a rebuild from the rows)
    summary = client.get(f"/api/v1/regions/{KLEGO}/summary", headers=pekalongan.headers).json()
    assert summary != summary_before
    live = stats.snapshot(db)
    stats.rebuild(db)
    assert stats.snapshot(db) == live


def test_changed_row_updates_only_that_posyandu(client, db, pekalongan):
    assert post(client, pekalongan, "posyandu", GOOD).status_code == 200
    changed = csv_file(
        f"{KLEGO},Posyandu Seruni,03,11,5,madya,ya,imunisasi;penimbangan_balita,paud",
        f"{KLEGO},Posyandu Melati,04,8,4,pratama,true,,",
        f"{BENDAN_KERGON},Posyandu Cempaka,01,12,6,,true,kb,",
    )
    r = post(client, pekalongan, "posyandu", changed)
    assert (r.json()["created"], r.json()["updated"], r.json()["unchanged"]) == (0, 2, 1)
    db.expire_all()
    seruni = db.scalar(select(Posyandu).where(Posyandu.name == "Posyandu Seruni"))
    assert seruni.kader_count == 11 and seruni.version == 2
    live = stats.snapshot(db)
    stats.rebuild(db)
    assert stats.snapshot(db) == live
    # columns missing from a file are left alone
    partial = post(client, pekalongan, "posyandu", csv_file(f"{KLEGO},Posyandu Seruni,20", header="region_code,name,kader_count"))
    assert partial.json()["updated"] == 1
    db.expire_all()
    assert db.get(Posyandu, seruni.id).kader_count == 20 and db.get(Posyandu, seruni.id).services["pendidikan"] == ["paud"]


def test_audit_and_change_feed(client, db, pekalongan):
    r = post(client, pekalongan, "posyandu", GOOD)
    assert r.status_code == 200
    sha = r.json()["sha256"]
    summary = db.scalars(select(AuditEvent).where(AuditEvent.entity_type == "imports")).all()
    assert len(summary) == 1 and summary[0].after["sha256"] == sha and summary[0].after["created"] == 3
    assert summary[0].actor == f"user:{pekalongan.id}"
    # (this caller's: other tests of the run commit posyandu of their own)
    mine = AuditEvent.actor == f"user:{pekalongan.id}"
    per_record = db.scalars(select(AuditEvent).where(AuditEvent.entity_type == "posyandu", AuditEvent.action == "create", mine)).all()
    assert len(per_record) == 3 and {e.after["name"] for e in per_record} == {"Posyandu Seruni", "Posyandu Melati", "Posyandu Cempaka"}
    feed = client.get("/api/v1/changes", params={"entity_type": "posyandu"}, headers=pekalongan.headers).json()
    assert {c["data"]["name"] for c in feed["items"]} >= {"Posyandu Seruni", "Posyandu Melati"}
    changed = csv_file(f"{KLEGO},Posyandu Seruni,03,99,5,madya,ya,imunisasi;penimbangan_balita,paud")
    post(client, pekalongan, "posyandu", changed)
    upd = db.scalars(select(AuditEvent).where(AuditEvent.entity_type == "posyandu", AuditEvent.action == "update", mine)).all()
    assert len(upd) == 1 and upd[0].before["kader_count"] == 10 and upd[0].after["kader_count"] == 99 and upd[0].after["version"] == 2


def _errors(r) -> list[tuple[int, str | None]]:
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    return [(e["row"], e["column"]) for e in r.json()["errors"]]


@pytest.mark.parametrize(
    "content, expected",
    [
        pytest.param(csv_file(f"{KLEGO},A", header="region_code,name,colour"), [(1, "colour")], id="unknown-column"),
        pytest.param(csv_file("Posyandu A", header="name"), [(1, "region_code")], id="missing-required-column"),
        pytest.param(csv_file(f"{KLEGO},Posyandu A,03,10,5,super,ya,,"), [(2, "strata")], id="bad-enum"),
        pytest.param(csv_file(f"{KLEGO},Posyandu A,03,sepuluh,5,,ya,,"), [(2, "kader_count")], id="bad-number"),
        pytest.param(csv_file(f"{KLEGO},Posyandu A,03,10,5,,ya,sulap,"), [(2, "kesehatan")], id="bad-service"),
        pytest.param(csv_file(f"{KLEGO},Posyandu A,03,10,5,,mungkin,,"), [(2, "active")], id="bad-boolean"),
        pytest.param(csv_file("33.75.02,Posyandu A,03,10,5,,ya,,"), [(2, "region_code")], id="not-a-village"),
        pytest.param(csv_file(f"{KLEGO},,03,10,5,,ya,,"), [(2, "name")], id="blank-required"),
        pytest.param(csv_file(f"{KLEGO},Posyandu \x00A,03,10,5,,ya,,"), [(2, "name")], id="nul"),
        pytest.param(csv_file(f"{KLEGO},{'x' * 201},03,10,5,,ya,,"), [(2, "name")], id="too-long"),
        pytest.param(
            csv_file(f"{KLEGO},Posyandu A", f"{KLEGO},Posyandu B", f"{KLEGO},Posyandu A", header="region_code,name"),
            [(4, "name")],
            id="duplicate-key",
        ),
        pytest.param(csv_file(f"{KLEGO},A,-6.9", header="region_code,name,lat"), [(1, "lon")], id="lat-without-lon"),
        pytest.param(b"PK\x03\x04 this is not a workbook", [(0, None)], id="broken-xlsx"),
        pytest.param(b"", [(0, None)], id="empty-file"),
        pytest.param(b"\n\n", [(0, None)], id="blank-file"),
        pytest.param(b"region_code,name\n\xff\xfe broken\n", [(0, None)], id="not-utf8"),
    ],
)
def test_malformed_files_leave_the_database_unchanged(client, db, pekalongan, content, expected):
    before = counts(db)
    events = db.scalar(select(func.count()).select_from(AuditEvent))
    good_then_bad = content  # a valid first row never gets written either
    for mode in ("dry_run", "commit"):
        r = post(client, pekalongan, "posyandu", good_then_bad, mode=mode)
        assert _errors(r) == expected
        assert r.json()["error_count"] == len(expected)
    assert counts(db) == before
    assert db.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_one_bad_row_among_good_ones_writes_nothing(client, db, pekalongan):
    before = counts(db)
    content = csv_file(
        f"{KLEGO},Posyandu Seruni,03,10,5,madya,ya,imunisasi,",
        f"{KLEGO},Posyandu Melati,04,-1,4,pratama,true,,",
        f"{BENDAN_KERGON},Posyandu Cempaka,01,12,6,,false,kb,",
    )
    r = post(client, pekalongan, "posyandu", content)
    assert _errors(r) == [(3, "kader_count")]
    assert r.json()["errors"][0]["value"] == "-1"
    assert counts(db) == before


def test_rows_outside_the_region_are_row_errors(client, db, pekalongan):
    before = counts(db)
    content = csv_file(f"{KLEGO},Posyandu Seruni", f"{PIPITAN},Posyandu Serang", header="region_code,name")
    r = post(client, pekalongan, "posyandu", content)
    assert _errors(r) == [(3, "region_code")]
    assert "outside your region" in r.json()["errors"][0]["msg"]
    assert counts(db) == before


def test_semicolon_csv_with_bom_and_xlsx(client, db, pekalongan):
    content = "\ufeffregion_code;name;kader_count;kesehatan\n33.75.02.1008;Posyandu Seruni;7;imunisasi, kb\n".encode()
    r = post(client, pekalongan, "posyandu", content)
    assert r.status_code == 200 and r.json()["created"] == 1, r.text
    book = xlsx_file([["Region Code", "Name", "Kader Count"], [KLEGO, "Posyandu Seruni", 7], [KLEGO, "Posyandu Anggrek", 3]])
    r = post(client, pekalongan, "posyandu", book, name="data.xlsx")
    assert (r.json()["created"], r.json()["unchanged"]) == (1, 1), r.text


def test_errors_are_capped(client, pekalongan):
    content = csv_file(*(f"{KLEGO},Posyandu {i},x" for i in range(1500)), header="region_code,name,kader_count")
    r = post(client, pekalongan, "posyandu", content)
    assert r.status_code == 422
    assert len(r.json()["errors"]) == 1000 and r.json()["error_count"] == 1500


def test_too_large_is_413(client, db, pekalongan, monkeypatch):
    monkeypatch.setattr(get_settings(), "import_max_bytes", 2048)
    before = counts(db)
    r = post(client, pekalongan, "posyandu", csv_file(*(f"{KLEGO},Posyandu {i}" for i in range(200)), header="region_code,name"))
    assert r.status_code == 413 and r.headers["content-type"] == "application/problem+json"
    assert counts(db) == before


def test_xlsx_unpacking_past_the_memory_bound_is_refused(client, db, pekalongan, monkeypatch):
    """calamine loads a whole sheet: a workbook whose sheets unpack past the bound is a file
    error (row 0) before anything is read, and writes nothing."""
    book = xlsx_file([["region_code", "name"], *([KLEGO, f"Posyandu {i}"] for i in range(300))])
    monkeypatch.setattr(get_settings(), "import_max_xlsx_xml_bytes", 4096)
    before = counts(db)
    r = post(client, pekalongan, "posyandu", book, name="data.xlsx")
    assert _errors(r) == [(0, None)] and "save the sheet as CSV" in r.json()["errors"][0]["msg"]
    assert counts(db) == before
    monkeypatch.setattr(get_settings(), "import_max_xlsx_xml_bytes", 1 << 20)
    assert post(client, pekalongan, "posyandu", book, name="data.xlsx").json()["created"] == 300


def test_read_only_callers_cannot_import(client, accounts):
    viewer = accounts.user(Role.viewer, "33.75")
    reader = accounts.client("33.75", ClientScope.read)
    for who in (viewer, reader):
        r = post(client, who, "posyandu", GOOD)
        assert r.status_code == 403
    writer = accounts.client("33.75", ClientScope.read_write)
    assert post(client, writer, "posyandu", GOOD).status_code == 200


def test_unknown_kind_and_mode(client, pekalongan):
    assert post(client, pekalongan, "budgets", GOOD).status_code == 422
    assert post(client, pekalongan, "posyandu", GOOD, mode="maybe").status_code == 422
    assert client.get(f"{URL}/templates/posyandu", params={"format": "pdf"}, headers=pekalongan.headers).status_code == 422


# -- teams with members --------------------------------------------------------------

TEAM_HEADER = "region_code,team_kind,position,spm_field,member_name,institution,term_start,term_end"
TEAM_ROWS = csv_file(
    f"{KLEGO},tp_posyandu,ketua,,Lurah Klego,Kelurahan Klego,2025-01-01,2029-12-31",
    f"{KLEGO},tp_posyandu,ketua_bidang,kesehatan,Bidan Kelurahan,Puskesmas Klego,,",
    f"{KLEGO},tp_posyandu,sekretaris,,Sekretaris Kelurahan,Kelurahan Klego,,",
    header=TEAM_HEADER,
)


def test_teams_import_creates_team_and_members_idempotently(client, db, pekalongan):
    before = counts(db)
    r = post(client, pekalongan, "teams", TEAM_ROWS, mode="dry_run")
    assert r.status_code == 200 and r.json()["created"] == 3, r.text
    assert counts(db) == before
    r = post(client, pekalongan, "teams", TEAM_ROWS)
    assert r.status_code == 200 and r.json()["created"] == 3, r.text
    team = db.scalar(select(Team).where(Team.region_code == KLEGO))
    assert team is not None and team.name == "TP Posyandu Klego"
    assert counts(db)[2] == before[2] + 3
    again = post(client, pekalongan, "teams", TEAM_ROWS)
    assert (again.json()["created"], again.json()["updated"], again.json()["unchanged"]) == (0, 0, 3)
    changed = csv_file(f"{KLEGO},tp_posyandu,sekretaris,,Sekretaris Kelurahan,Kecamatan Pekalongan Timur,,", header=TEAM_HEADER)
    assert post(client, pekalongan, "teams", changed).json()["updated"] == 1


def test_teams_import_row_errors(client, db, pekalongan):
    before = counts(db)
    content = csv_file(
        f"{KLEGO},tp_posyandu,ketua,,Lurah Klego,,,",
        f"{KLEGO},tp_posyandu,ketua_bidang,,Tanpa Bidang,,,",
        f"{KLEGO},tp_posyandu,anggota,,Anggota,,2025-01-01,2024-01-01",
        f"{PIPITAN},tp_posyandu,ketua,,Lurah Pipitan,,,",
        f"{KLEGO},tp_posyandu,bos,,Bos,,,",
        header=TEAM_HEADER,
    )
    r = post(client, pekalongan, "teams", content)
    assert _errors(r) == [(3, "spm_field"), (4, "term_end"), (5, "region_code"), (6, "position")]
    assert counts(db) == before


# -- decrees --------------------------------------------------------------------------

DECREE_HEADER = "region_code,number,subject,title,decree_date,signer,status"
DECREES = csv_file(
    f"{KLEGO},100.3.3.2/12/2025,team_formation,SK TP Posyandu Kelurahan Klego,2025-02-03,Lurah Klego,issued",
    f"{BENDAN_KERGON},100.3.3.2/7/2025,team_formation,SK TP Posyandu Kelurahan Bendan Kergon,2025-02-10,Lurah Bendan Kergon,draft",
    header=DECREE_HEADER,
)


def test_decrees_import_drafts_and_issues_through_the_lifecycle(client, db, pekalongan):
    r = post(client, pekalongan, "decrees", DECREES)
    assert r.status_code == 200 and r.json()["created"] == 2, r.text
    issued = db.scalar(select(Decree).where(Decree.number == "100.3.3.2/12/2025"))
    assert issued.status == "issued"
    steps = db.scalars(select(DecreeTransition).where(DecreeTransition.decree_id == issued.id)).all()
    assert [(s.action, s.effective_date.isoformat(), s.actor) for s in steps] == [("issue", "2025-02-03", f"user:{pekalongan.id}")]
    again = post(client, pekalongan, "decrees", DECREES)
    assert (again.json()["created"], again.json()["updated"], again.json()["unchanged"]) == (0, 0, 2)
    back = csv_file(
        f"{KLEGO},100.3.3.2/12/2025,team_formation,SK TP Posyandu Kelurahan Klego,2025-02-03,Lurah Klego,draft", header=DECREE_HEADER
    )
    assert _errors(post(client, pekalongan, "decrees", back)) == [(2, "status")]
    serang = csv_file(f"{PIPITAN},1/2025,team_formation,SK,2025-02-03,Lurah,draft", header=DECREE_HEADER)
    assert _errors(post(client, pekalongan, "decrees", serang)) == [(2, "region_code")]
    # the compliance counter saw the issue step
    board = client.get(f"/api/v1/regions/{KLEGO}/summary", headers=pekalongan.headers)
    assert board.status_code == 200


def test_every_bad_cell_of_a_row_is_reported_with_its_reason(client, db, pekalongan):
    """Valid cells take a fast path; each kind of bad cell still gets its own, worded error,
    however many a row has, and short rows read their missing cells as blank."""
    before = counts(db)
    content = csv_file(
        f"{KLEGO},Posyandu Seruni,03,10,5,madya,ya,imunisasi;penimbangan_balita,paud",  # fine
        f"{KLEGO},{'x' * 201},1234,1.5,5,mad\x00ya,mungkin,imunisasi;bukan_kode,",
        f"{KLEGO}",  # short: name is blank
        f"{KLEGO},Posyandu Dahlia,03,10,5,madya,ya,,,extra",
    )
    r = post(client, pekalongan, "posyandu", content)
    assert _errors(r) == [
        (3, "name"),
        (3, "rw"),
        (3, "kader_count"),
        (3, "strata"),
        (3, "active"),
        (3, "kesehatan"),
        (4, "name"),
        (5, None),
    ]
    msgs = {(e["row"], e["column"]): e["msg"] for e in r.json()["errors"]}
    assert msgs[(3, "name")] == "at most 200 characters"
    assert msgs[(3, "rw")] == "at most 3 characters"
    assert msgs[(3, "kader_count")] == "'1.5' is not a whole number"
    assert msgs[(3, "strata")] == "text must not contain NUL characters"
    assert "bukan_kode" in msgs[(3, "kesehatan")]
    assert msgs[(4, "name")] == "required"
    assert "cells but the header only" in msgs[(5, None)]
    assert counts(db) == before


def test_teams_import_takes_an_optional_phone_column(client, db, pekalongan):
    header = "region_code,position,member_name,phone"
    r = post(
        client, pekalongan, "teams", csv_file(f"{KLEGO},ketua,Lurah Klego,0812-3456-7890", f"{KLEGO},sekretaris,Sekretaris,", header=header)
    )
    assert r.status_code == 200 and r.json()["created"] == 2, r.text
    db.expire_all()
    phones = dict(db.execute(select(TeamMember.name, TeamMember.phone).where(TeamMember.region_code == KLEGO)).all())
    assert phones == {"Lurah Klego": "+6281234567890", "Sekretaris": None}
    changed = post(client, pekalongan, "teams", csv_file(f"{KLEGO},ketua,Lurah Klego,+62 811 2222 3333", header=header))
    assert changed.json()["updated"] == 1
    db.expire_all()
    assert db.scalar(select(TeamMember.phone).where(TeamMember.name == "Lurah Klego")) == "+6281122223333"
    bad = post(client, pekalongan, "teams", csv_file(f"{KLEGO},anggota,Anggota,12345", header=header))
    assert _errors(bad) == [(2, "phone")]

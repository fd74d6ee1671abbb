"""Bulk entry of monthly activity reports (/api/v1/imports/activity_reports, issue 22): the template
from the questions in force, a good file (reports created as submitted, counters equal to a
recount), a file with bad rows changes nothing, rows outside the caller's region are refused.
Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from pembina.activity_reports import counters, fields
from pembina.activity_reports.models import ActivityReport
from pembina.audit.models import AuditEvent
from pembina.kit import clock
from pembina.kit.roles import Role
from pembina.posyandu.models import Posyandu

URL = "/api/v1/imports"
KLEGO = "33.75.02.1008"  # Kecamatan Pekalongan Timur
PONCOL = "33.75.02.1007"
BENDAN_KERGON = "33.75.01.1006"  # Kecamatan Pekalongan Barat
#: 7 December 2026 in Jakarta: November is the month being reported, due in mid-December.
NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
HEADER = "period,posyandu_id,registration_number,days_open,kader_present,kesehatan.balita_ditimbang,kesehatan.imunisasi,pendidikan.paud,target.balita,notes"


@pytest.fixture(autouse=True)
def _december():
    with clock.frozen(NOW):
        yield


def posyandu(client, who, region, name, **extra) -> int:
    r = client.post("/api/v1/posyandu", json={"region_code": region, "name": name, **extra}, headers=who.headers)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def post(client, who, content: bytes, mode="commit"):
    return client.post(
        f"{URL}/activity_reports", params={"mode": mode}, files={"file": ("reports.csv", content, "text/csv")}, headers=who.headers
    )


def csv_file(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def state(db):
    db.expire_all()
    return db.scalar(select(func.count()).select_from(ActivityReport)), counters.snapshot(db)


@pytest.fixture
def three(client, pekalongan, db):
    """Two posyandu in Kecamatan Pekalongan Timur (one with a registration number), one in Barat."""
    a = posyandu(client, pekalongan, KLEGO, "Posyandu Seruni")
    b = posyandu(client, pekalongan, PONCOL, "Posyandu Melati")
    c = posyandu(client, pekalongan, BENDAN_KERGON, "Posyandu Cempaka")
    db.get(Posyandu, b).registration_number = "NRP-0001"
    db.commit()
    return a, b, c


def test_template_follows_the_questions_in_force(client, pekalongan):
    spec = next(k for k in client.get(URL, headers=pekalongan.headers).json() if k["kind"] == "activity_reports")
    names = [c["name"] for c in spec["columns"]]
    expected = [f"{f}.{code}" for f, qs in fields.definitions().items() for code in qs]
    assert names[:5] == ["period", "posyandu_id", "registration_number", "days_open", "kader_present"]
    assert names[5 : 5 + len(expected)] == expected and "target.balita" in names and names[-1] == "notes"
    t = client.get(f"{URL}/templates/activity_reports", params={"format": "csv"}, headers=pekalongan.headers)
    assert t.status_code == 200 and t.text.splitlines()[0].split(",") == names
    assert client.get(f"{URL}/templates/activity_reports", headers=pekalongan.headers).status_code == 200  # xlsx


@pytest.mark.parametrize("staged", [False, True], ids=["row-by-row", "staged"])
def test_a_good_file_creates_submitted_reports_and_keeps_the_counters(client, accounts, db, three, pekalongan, monkeypatch, staged):
    """The counters move in the import's transaction, added to the rows that exist (a report of
    Kecamatan Pekalongan Barat's posyandu counted before: the city's and the province's rows);
    `staged`: PostgreSQL's bulk path (a temporary table filled by COPY), taken from 200 rows on."""
    a, b, c = three
    if staged:
        monkeypatch.setattr(counters, "STAGED", 1)
    earlier = client.post(
        "/api/v1/activity-reports",
        json={"posyandu_id": c, "period": "2026-11", "counts": {"kesehatan": {"balita_ditimbang": 8}}},
        headers=pekalongan.headers,
    ).json()
    assert (
        client.post(
            f"/api/v1/activity-reports/{earlier['id']}/transitions", json={"action": "submit"}, headers=pekalongan.headers
        ).status_code
        == 200
    )
    district = accounts.user(Role.district_operator, "33.75.02")
    before = state(db)
    good = csv_file(f"2026-11,{a},,4,9,42,1,2,40,lancar", "2026-11,,NRP-0001,2,5,0,0,0,0,")
    dry = post(client, district, good, mode="dry_run")
    assert dry.status_code == 200 and dry.json()["created"] == 2 and not dry.json()["committed"]
    assert state(db) == before
    r = post(client, district, good)
    assert r.status_code == 200, r.text
    assert r.json()["created"] == 2 and r.json()["committed"] is True
    db.expire_all()
    reports = {x.posyandu_id: x for x in db.scalars(select(ActivityReport))}
    ra, rb = reports[a], reports[b]
    assert ra.status == "submitted" and ra.on_time is True and ra.first_submitted_at is not None
    assert ra.counts == {"kesehatan": {"balita_ditimbang": 42, "imunisasi": 1}, "pendidikan": {"paud": 2}}
    assert ra.target_groups == {"balita": 40} and ra.days_open == 4 and ra.notes == "lancar"
    assert ra.questions == fields.definitions() and ra.region_code == KLEGO
    assert rb.counts == {} and rb.active_mask == 0 and rb.region_code == PONCOL
    kept = counters.snapshot(db)
    assert kept == counters.recount(db)
    assert kept[("33.75.02", "2026-11", counters.RECEIVED)] == 2 and kept[("33.75", "2026-11", "svc.kesehatan.balita_ditimbang")] == 50
    assert kept[("33", "2026-11", counters.RECEIVED)] == 3 and (KLEGO, "2026-11", "svc.kesehatan.balita_ditimbang") not in kept
    assert kept[("33.75.02", "2026-11", "svc.kesehatan.balita_ditimbang")] == 42
    # every report is in the audit trail (the change feed), and the import once
    audited = db.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.entity_type == "activity_reports", AuditEvent.entity_id.in_([str(ra.id), str(rb.id)]))
    )
    assert audited == 2
    assert db.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.entity_type == "imports")) == 1
    # the board reads them at once
    board = client.get("/api/v1/activity-reports/board", params={"region": "33.75.02", "period": "2026-11"}, headers=district.headers)
    assert board.status_code == 200 and board.json()["total"]["received"] == 2 and board.json()["total"]["expected"] == 2
    # the same file again: each row is now a report that exists, nothing changes
    again = post(client, district, good)
    assert again.status_code == 422 and again.json()["error_count"] == 2
    assert counters.snapshot(db) == kept


def test_bad_rows_change_nothing(client, pekalongan, db, three):
    a, b, c = three
    assert post(client, pekalongan, csv_file(f"2026-10,{c},,1,1,1,0,0,0,")).status_code == 200
    before = state(db)
    bad = csv_file(
        f"2026-11,{a},,4,9,42,1,2,40,",  # good
        f"2026-11,{b},,32,1,0,0,0,0,",  # days_open > 31
        f"2026-11,{a},,1,1,1,1,1,1,",  # the same posyandu and month twice
        f"2026-10,{c},,1,1,1,0,0,0,",  # the report exists
        f"2027-01,{b},,1,1,1,0,0,0,",  # not begun
        "2026-11,999999,,1,1,1,0,0,0,",  # no such posyandu
        "2026-13,,,1,1,x,0,0,0,",  # bad month, no posyandu, not a number
        f"2026-11,{b},NRP-9999,1,1,1,0,0,0,",  # id and number disagree
    )
    r = post(client, pekalongan, bad)
    assert r.status_code == 422, r.text
    errors = {(e["row"], e["column"]) for e in r.json()["errors"]}
    assert (3, "days_open") in errors and (4, "posyandu_id") in errors and (5, "period") in errors
    assert (6, "period") in errors and (7, "posyandu_id") in errors and (9, "registration_number") in errors
    assert {(8, "period"), (8, "kesehatan.balita_ditimbang")} <= errors
    assert not any(e["row"] == 2 for e in r.json()["errors"])
    assert state(db) == before
    header = post(client, pekalongan, csv_file(f"2026-11,{a}", header="period,posyandu"))
    assert header.status_code == 422 and state(db) == before


def test_rows_outside_the_region_are_refused(client, accounts, db, three):
    a, _, c = three
    district = accounts.user(Role.district_operator, "33.75.02")  # Pekalongan Timur
    before = state(db)
    r = post(client, district, csv_file(f"2026-11,{a},,1,1,1,0,0,0,", f"2026-11,{c},,1,1,1,0,0,0,"))
    assert r.status_code == 422
    assert [(e["row"], e["column"]) for e in r.json()["errors"]] == [(3, "posyandu_id")]
    assert state(db) == before
    viewer = accounts.user(Role.viewer, "33.75")
    assert post(client, viewer, csv_file(f"2026-11,{a},,1,1,1,0,0,0,")).status_code == 403
    assert state(db) == before


def test_configured_questions_make_the_columns(client, pekalongan, db, three, monkeypatch):
    from pembina.config import get_settings

    monkeypatch.setattr(get_settings(), "activity_report_fields", {"kesehatan": {"Balita Ditimbang": "Balita ditimbang"}})
    a, _, _ = three
    header = "period,posyandu_id,kesehatan.balita_ditimbang,target.lansia"
    r = post(client, pekalongan, csv_file(f"2026-11,{a},7,3", header=header))
    assert r.status_code == 200, r.text
    db.expire_all()
    report = db.scalar(select(ActivityReport))
    assert report.counts == {"kesehatan": {"Balita Ditimbang": 7}} and report.target_groups == {"lansia": 3}
    assert report.questions["kesehatan"] == {"Balita Ditimbang": "Balita ditimbang"}
    assert counters.snapshot(db) == counters.recount(db)
    unknown = post(client, pekalongan, csv_file(f"2026-10,{a},7", header="period,posyandu_id,kesehatan.imunisasi"))
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["column"] == "kesehatan.imunisasi"

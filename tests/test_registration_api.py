"""The registration pipeline: evidence, readiness, transitions by role, batches, export, number import."""

from __future__ import annotations

import csv
import io

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from pembina.kit.roles import ClientScope, Role
from pembina.config import get_settings
from pembina.posyandu.models import Posyandu, RegistrationEvent
from pembina.stats import service as stats
from tests.conftest import report_sk

URL = "/api/v1/posyandu"
BATCHES = "/api/v1/registration-batches"
KLEGO = "33.75.02.1008"
BENDAN_KERGON = "33.75.01.1006"
PIPITAN = "36.73.03.1014"
PDF = b"%PDF-1.4\n% evidence\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
DOC_TYPES = ["berita_acara_musyawarah", "sk_pembentukan", "sk_pengurus", "data_kader"]


@pytest.fixture(autouse=True)
def _sk_reported(db):
    """These villages have their SK TP Posyandu reported: registration follows the SK (its gate has
    tests of its own, in test_registration_ministry.py)."""
    for code in (KLEGO, BENDAN_KERGON, PIPITAN):
        report_sk(db, code)


def make(client, who, region=KLEGO, name="Posyandu Uji", **extra):
    r = client.post(URL, json={"region_code": region, "name": name, **extra}, headers=who.headers)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def upload(client, who, pid, doc_type, content=PDF, filename="bukti.pdf", mime="application/pdf"):
    return client.post(
        f"{URL}/{pid}/documents", data={"doc_type": doc_type}, files={"file": (filename, content, mime)}, headers=who.headers
    )


def ready(client, who, region=KLEGO, name="Posyandu Siap"):
    pid = make(client, who, region=region, name=name, pengurus_count=5, kader_count=10)
    for t in DOC_TYPES:
        assert upload(client, who, pid, t).status_code == 201
    return pid


def act(client, who, pid, action, **body):
    return client.post(f"{URL}/{pid}/registration/transitions", json={"action": action, **body}, headers=who.headers)


def status_of(client, who, pid):
    return client.get(f"{URL}/{pid}", headers=who.headers).json()["registration_status"]


def verified(client, who, n=1, region=KLEGO):
    ids = []
    for i in range(n):
        pid = ready(client, who, region=region, name=f"Posyandu {region} {i}")
        assert act(client, who, pid, "propose").status_code == 200
        assert act(client, who, pid, "verify").status_code == 200
        ids.append(pid)
    return ids


# -- readiness and documents ----------------------------------------------------------


def test_readiness_lists_gaps_and_propose_refuses_until_ready(client, pekalongan):
    pid = make(client, pekalongan, pengurus_count=4, kader_count=10)
    r = client.get(f"{URL}/{pid}/registration/readiness", headers=pekalongan.headers).json()
    assert r["ready"] is False and r["pengurus_kader"] == 14 and r["min_pengurus_kader"] == 15
    assert {g["code"] for g in r["missing"]} == {f"missing_document:{t}" for t in DOC_TYPES} | {"too_few_pengurus_kader"}

    refused = act(client, pekalongan, pid, "propose")
    assert refused.status_code == 422
    assert {e["loc"][1] for e in refused.json()["errors"]} == {f"missing_document:{t}" for t in DOC_TYPES} | {"too_few_pengurus_kader"}
    assert status_of(client, pekalongan, pid) == "unregistered"

    for t in DOC_TYPES:
        assert upload(client, pekalongan, pid, t).status_code == 201
    r = client.get(f"{URL}/{pid}/registration/readiness", headers=pekalongan.headers).json()
    assert [g["code"] for g in r["missing"]] == ["too_few_pengurus_kader"] and all(r["documents"].values())
    assert act(client, pekalongan, pid, "propose").status_code == 422
    assert client.patch(f"{URL}/{pid}", json={"kader_count": 11}, headers={**pekalongan.headers, "If-Match": "*"}).status_code == 200
    assert client.get(f"{URL}/{pid}/registration/readiness", headers=pekalongan.headers).json()["ready"] is True
    assert act(client, pekalongan, pid, "propose").status_code == 200


def test_readiness_minimum_is_a_setting(client, pekalongan, monkeypatch):
    monkeypatch.setattr(get_settings(), "posyandu_min_pengurus_kader", 3)
    pid = make(client, pekalongan, pengurus_count=1, kader_count=2)
    r = client.get(f"{URL}/{pid}/registration/readiness", headers=pekalongan.headers).json()
    assert "too_few_pengurus_kader" not in {g["code"] for g in r["missing"]} and r["min_pengurus_kader"] == 3


def test_document_type_and_size_checks(client, pekalongan, monkeypatch):
    pid = make(client, pekalongan)
    ok = upload(client, pekalongan, pid, "sk_pembentukan")
    assert ok.status_code == 201 and ok.json()["content_type"] == "application/pdf" and ok.json()["size"] == len(PDF)
    assert upload(client, pekalongan, pid, "sk_pengurus", PNG, "sk.png", "image/png").status_code == 201
    # a text file claiming to be a PDF is judged by its bytes
    fake = upload(client, pekalongan, pid, "sk_pengurus", b"just text", "sk.pdf", "application/pdf")
    assert fake.status_code == 415 and fake.headers["content-type"] == "application/problem+json"
    # spreadsheets only for the kader data
    assert upload(client, pekalongan, pid, "sk_pengurus", b"nama,umur\nA,30\n", "kader.csv", "text/csv").status_code == 415
    assert upload(client, pekalongan, pid, "data_kader", b"nama,umur\nA,30\n", "kader.csv", "text/csv").status_code == 201
    assert upload(client, pekalongan, pid, "berita_acara_musyawarah", b"", "x.pdf").status_code == 422
    assert upload(client, pekalongan, pid, "akta_notaris").status_code == 422
    monkeypatch.setattr(get_settings(), "posyandu_document_max_bytes", 20)
    big = upload(client, pekalongan, pid, "berita_acara_musyawarah", PDF + b"x" * 100)
    assert big.status_code == 413
    docs = client.get(f"{URL}/{pid}/documents", headers=pekalongan.headers).json()
    assert sorted(d["doc_type"] for d in docs) == ["data_kader", "sk_pembentukan", "sk_pengurus"]
    dl = client.get(f"{URL}/{pid}/documents/{ok.json()['id']}", headers=pekalongan.headers)
    assert dl.status_code == 200 and dl.content == PDF and dl.headers["content-type"] == "application/pdf"
    assert "attachment" in dl.headers["content-disposition"]
    other = make(client, pekalongan, name="Lain")
    assert client.get(f"{URL}/{other}/documents/{ok.json()['id']}", headers=pekalongan.headers).status_code == 404


def test_documents_frozen_once_proposed(client, pekalongan):
    pid = ready(client, pekalongan)
    doc = client.get(f"{URL}/{pid}/documents", headers=pekalongan.headers).json()[0]
    assert act(client, pekalongan, pid, "propose").status_code == 200
    assert upload(client, pekalongan, pid, "sk_pengurus").status_code == 409
    assert client.delete(f"{URL}/{pid}/documents/{doc['id']}", headers=pekalongan.headers).status_code == 409
    assert act(client, pekalongan, pid, "return", reason="SK pengurus belum ditandatangani").status_code == 200
    assert client.delete(f"{URL}/{pid}/documents/{doc['id']}", headers=pekalongan.headers).status_code == 204
    assert client.get(f"{URL}/{pid}/registration/readiness", headers=pekalongan.headers).json()["ready"] is False


# -- transitions by role --------------------------------------------------------------


def test_pipeline_by_role(client, accounts, pekalongan):
    village = accounts.user(Role.village_operator, KLEGO)
    district = accounts.user(Role.district_operator, "33.75.02")
    province = accounts.user(Role.province_coordinator, "33")
    other_village = accounts.user(Role.village_operator, BENDAN_KERGON)
    rw_client = accounts.client("33.75", ClientScope.read_write)
    pid = ready(client, village)

    assert act(client, other_village, pid, "propose").status_code == 404  # not its village
    assert act(client, village, pid, "verify").status_code == 403  # verify before propose is also wrong, but role first
    assert act(client, pekalongan, pid, "verify").status_code == 409  # not proposed yet
    assert act(client, village, pid, "propose").status_code == 200
    assert act(client, village, pid, "propose").status_code == 409
    for who in (village, district, rw_client):
        assert act(client, who, pid, "verify").status_code == 403
    assert act(client, pekalongan, pid, "verify").status_code == 200
    assert status_of(client, village, pid) == "verified"
    # submitting happens only through a batch
    assert act(client, pekalongan, pid, "register", registration_number="X-1").status_code == 409
    assert act(client, pekalongan, pid, "return").status_code == 422  # a reason is required
    r = act(client, province, pid, "return", reason="Berita acara tidak lengkap")
    assert r.status_code == 200 and r.json()["status_reason"] == "Berita acara tidak lengkap"
    assert act(client, village, pid, "propose").status_code == 200
    assert act(client, pekalongan, pid, "reject", reason="Duplikat posyandu lain").status_code == 200
    assert act(client, village, pid, "propose").status_code == 409
    assert act(client, village, pid, "reopen").status_code == 403
    assert act(client, pekalongan, pid, "reopen").status_code == 200
    assert status_of(client, village, pid) == "unregistered"
    assert act(client, pekalongan, pid, "fly").status_code == 422

    events = client.get(f"{URL}/{pid}/registration/events", headers=village.headers).json()
    assert [(e["action"], e["from_status"], e["to_status"]) for e in events] == [
        ("propose", "unregistered", "proposed"),
        ("verify", "proposed", "verified"),
        ("return", "verified", "returned"),
        ("propose", "returned", "proposed"),
        ("reject", "proposed", "rejected"),
        ("reopen", "rejected", "unregistered"),
    ]
    assert events[0]["actor"] == f"user:{village.id}" and events[1]["actor"] == f"user:{pekalongan.id}"
    assert events[2]["reason"] == "Berita acara tidak lengkap" and events[0]["occurred_at"]


def test_transition_if_match_is_checked_when_sent(client, pekalongan):
    pid = ready(client, pekalongan)
    stale = client.post(
        f"{URL}/{pid}/registration/transitions", json={"action": "propose"}, headers={**pekalongan.headers, "If-Match": '"99"'}
    )
    assert stale.status_code == 412
    assert status_of(client, pekalongan, pid) == "unregistered"


def test_pipeline_posyandu_cannot_be_deleted_or_moved(client, pekalongan):
    pid = verified(client, pekalongan)[0]
    assert client.delete(f"{URL}/{pid}", headers=pekalongan.headers).status_code == 409
    r = client.patch(f"{URL}/{pid}", json={"region_code": BENDAN_KERGON}, headers={**pekalongan.headers, "If-Match": "*"})
    assert r.status_code == 409


# -- batches --------------------------------------------------------------------------


def new_batch(client, who, ids, region="33.75", title="Usulan registrasi Kota Pekalongan I"):
    return client.post(BATCHES, json={"region_code": region, "title": title, "posyandu_ids": ids}, headers=who.headers)


def test_batch_membership_rules(client, accounts, pekalongan, admin):
    a, b = verified(client, pekalongan, 2)
    unverified = ready(client, pekalongan, name="Belum")
    serang_pid = verified(client, admin, 1, region=PIPITAN)[0]
    village = accounts.user(Role.village_operator, KLEGO)

    assert new_batch(client, village, [a]).status_code == 403
    assert new_batch(client, pekalongan, [a], region="33.75.02").status_code == 422
    assert new_batch(client, pekalongan, [a], region="36.73").status_code == 403
    bad = new_batch(client, pekalongan, [a, unverified, 999999, serang_pid, a])
    assert bad.status_code == 422
    assert [e["loc"][2] for e in bad.json()["errors"]] == [1, 2, 3, 4]
    batch = new_batch(client, pekalongan, [a])
    assert batch.status_code == 201, batch.text
    bid = batch.json()["id"]
    assert batch.json()["members"][0]["id"] == a and batch.json()["status"] == "draft"
    assert new_batch(client, pekalongan, [a]).status_code == 422  # already in a batch
    # members change while draft, with If-Match
    url = f"{BATCHES}/{bid}"
    assert client.patch(url, json={"posyandu_ids": [a, b]}, headers=pekalongan.headers).status_code == 428
    r = client.patch(url, json={"posyandu_ids": [a, b]}, headers={**pekalongan.headers, "If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["member_count"] == 2
    assert client.patch(url, json={"title": "stale"}, headers={**pekalongan.headers, "If-Match": '"1"'}).status_code == 412
    listed = client.get(BATCHES, headers=pekalongan.headers).json()
    assert listed["total"] == 1 and listed["items"][0]["member_count"] == 2
    assert client.get(URL, params={"batch_id": bid}, headers=pekalongan.headers).json()["total"] == 2
    # a posyandu returned while in a draft batch leaves it
    assert act(client, pekalongan, b, "return", reason="Data kader kurang").status_code == 200
    assert client.get(url, headers=pekalongan.headers).json()["member_count"] == 1
    # deleting a draft batch frees its posyandu
    assert client.delete(url, headers=pekalongan.headers).status_code == 204
    assert client.get(f"{URL}/{a}", headers=pekalongan.headers).json()["batch_id"] is None
    assert status_of(client, pekalongan, a) == "verified"


def submitted_batch(client, who, n=2):
    ids = verified(client, who, n)
    bid = new_batch(client, who, ids).json()["id"]
    r = client.post(f"{BATCHES}/{bid}/submit", headers=who.headers)
    assert r.status_code == 200, r.text
    return bid, ids


def test_submit_moves_members_and_export_reads_back(client, pekalongan):
    bid, ids = submitted_batch(client, pekalongan)
    detail = client.get(f"{BATCHES}/{bid}", headers=pekalongan.headers).json()
    assert detail["status"] == "submitted" and detail["submitted_at"]
    assert {m["registration_status"] for m in detail["members"]} == {"submitted"}
    assert client.post(f"{BATCHES}/{bid}/submit", headers=pekalongan.headers).status_code == 409
    assert client.delete(f"{BATCHES}/{bid}", headers=pekalongan.headers).status_code == 409
    assert client.patch(f"{BATCHES}/{bid}", json={"posyandu_ids": []}, headers={**pekalongan.headers, "If-Match": "*"}).status_code == 409
    events = client.get(f"{URL}/{ids[0]}/registration/events", headers=pekalongan.headers).json()
    assert events[-1]["action"] == "submit" and events[-1]["batch_id"] == bid

    x = client.get(f"{BATCHES}/{bid}/export", params={"format": "xlsx"}, headers=pekalongan.headers)
    assert x.status_code == 200 and x.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert f"batch-{bid}.xlsx" in x.headers["content-disposition"]
    rows = CalamineWorkbook.from_filelike(io.BytesIO(x.content)).get_sheet_by_index(0).to_python()
    header = rows[0]
    assert header[:3] == ["no", "posyandu_id", "nama_posyandu"] and header[-1] == "nomor_registrasi"
    body = [dict(zip(header, r)) for r in rows[1:]]
    assert sorted(int(r["posyandu_id"]) for r in body) == sorted(ids)
    assert {r["kode_desa"] for r in body} == {KLEGO}
    assert body[0]["desa_kelurahan"] == "Klego" and body[0]["kabupaten_kota"].upper().endswith("PEKALONGAN")
    assert body[0]["jumlah_kader"] == 10 and body[0]["nomor_registrasi"] == ""

    c = client.get(f"{BATCHES}/{bid}/export", params={"format": "csv"}, headers=pekalongan.headers)
    assert c.status_code == 200 and c.headers["content-type"].startswith("text/csv")
    parsed = list(csv.DictReader(io.StringIO(c.content.decode("utf-8-sig"))))
    assert sorted(int(r["posyandu_id"]) for r in parsed) == sorted(ids)
    assert parsed[0]["desa_kelurahan"] == "Klego"
    assert client.get(f"{BATCHES}/{bid}/export", params={"format": "pdf"}, headers=pekalongan.headers).status_code == 422


def test_submit_refuses_empty_and_role(client, accounts, pekalongan):
    bid = new_batch(client, pekalongan, []).json()["id"]
    assert client.post(f"{BATCHES}/{bid}/submit", headers=pekalongan.headers).status_code == 422
    district = accounts.user(Role.district_operator, "33.75.02")
    assert client.post(f"{BATCHES}/{bid}/submit", headers=district.headers).status_code == 404  # a regency batch is above a district's view


# -- number import --------------------------------------------------------------------


def csv_file(rows, header=("posyandu_id", "nomor_registrasi"), sep=","):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode()


def xlsx_file(rows, header=("posyandu_id", "nomor_registrasi")):
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, header)
    for i, r in enumerate(rows, start=1):
        ws.write_row(i, 0, r)
    wb.close()
    return out.getvalue()


def send(client, who, bid, content, filename="nomor.csv", dry_run=None):
    params = {"dry_run": "true"} if dry_run else {}
    return client.post(
        f"{BATCHES}/{bid}/numbers", params=params, files={"file": (filename, content, "application/octet-stream")}, headers=who.headers
    )


def db_state(db):
    db.expire_all()
    return (
        sorted(db.execute(select(Posyandu.id, Posyandu.registration_status, Posyandu.registration_number, Posyandu.version)).all()),
        db.scalar(select(func.count()).select_from(RegistrationEvent)),
        stats.snapshot(db),
    )


def test_import_numbers_csv_registers_and_completes(client, db, pekalongan):
    bid, (a, b) = submitted_batch(client, pekalongan)
    r = send(client, pekalongan, bid, csv_file([[a, "33.75.02.1008.0001"]], sep=";"))
    assert r.status_code == 200, r.text
    assert r.json()["applied"] is True and r.json()["registered"] == 1
    got = client.get(f"{URL}/{a}", headers=pekalongan.headers).json()
    assert got["registration_status"] == "registered" and got["registration_number"] == "33.75.02.1008.0001" and got["registered_at"]
    assert client.get(f"{BATCHES}/{bid}", headers=pekalongan.headers).json()["status"] == "submitted"
    # re-importing the same number is harmless; the rest completes the batch
    r = send(client, pekalongan, bid, xlsx_file([[a, "33.75.02.1008.0001"], [b, "0042"]]), "nomor.xlsx")
    assert r.status_code == 200 and r.json()["unchanged"] == 1 and r.json()["registered"] == 1
    assert client.get(f"{URL}/{b}", headers=pekalongan.headers).json()["registration_number"] == "0042"  # stored as given
    assert client.get(f"{BATCHES}/{bid}", headers=pekalongan.headers).json()["status"] == "completed"
    s = client.get("/api/v1/regions/33.75/summary", headers=pekalongan.headers).json()["posyandu"]["registration"]
    assert s["registered"] == 2 and s["in_pipeline"] == 0
    incremental = stats.snapshot(db)
    stats.rebuild(db)
    assert stats.snapshot(db) == incremental


def test_import_reads_a_semicolon_file_with_commas_in_every_line(client, pekalongan):
    """csv.Sniffer read this `;` file as `,`-separated (a 422: the columns were not found); the one
    CSV reader (pembina.kit.csvfile, as /imports) goes by the header's delimiter."""
    bid, (a, _) = submitted_batch(client, pekalongan)
    content = f"posyandu_id;nomor_registrasi;catatan (desa, kecamatan)\n{a};33.75.02.1008.0001;Klego, Pekalongan Timur\n".encode()
    r = send(client, pekalongan, bid, content)
    assert r.status_code == 200, r.text
    assert r.json()["registered"] == 1 and r.json()["items"][0]["registration_number"] == "33.75.02.1008.0001"


def test_import_is_all_or_nothing_with_row_errors(client, db, pekalongan, admin):
    bid, (a, b, e, f) = submitted_batch(client, pekalongan, 4)
    outsider = verified(client, pekalongan, 1, region=BENDAN_KERGON)[0]  # verified, but not in this batch
    serang_pid = make(client, admin, region=PIPITAN, name="Serang")
    # a number already issued to a posyandu of another batch
    bid2, (c,) = submitted_batch(client, pekalongan, 1)
    assert send(client, pekalongan, bid2, csv_file([[c, "USED-1"]])).status_code == 200
    before = db_state(db)
    rows = [
        [a, "NEW-1"],  # fine on its own
        [b, "NEW-1"],  # duplicate number in the file
        [outsider, "NEW-3"],  # not in the batch
        [999999, "NEW-4"],  # unknown
        [serang_pid, "NEW-5"],  # outside the caller's region: looks unknown
        ["abc", "NEW-6"],
        [a, "NEW-7"],  # listed twice
        [e, ""],
        [f, "USED-1"],
    ]
    r = send(client, pekalongan, bid, csv_file(rows))
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    errors = r.json()["errors"]
    assert [e["loc"][1] for e in errors] == [3, 4, 5, 6, 7, 8, 9, 10]
    msgs = " | ".join(e["msg"] for e in errors)
    for phrase in (
        "given twice",
        "not in this batch",
        "Unknown posyandu 999999",
        f"Unknown posyandu {serang_pid}",
        "not a posyandu id",
        "listed twice",
        "empty",
        "already used by another posyandu",
    ):
        assert phrase in msgs, phrase
    assert "Serang" not in r.text
    assert db_state(db) == before
    assert status_of(client, pekalongan, a) == "submitted"


def test_import_dry_run_reports_without_saving(client, db, pekalongan):
    bid, (a, b) = submitted_batch(client, pekalongan)
    before = db_state(db)
    r = send(client, pekalongan, bid, csv_file([[a, "N-1"], [b, "N-1"]]), dry_run=True)
    assert r.status_code == 200
    body = r.json()
    assert body["dry_run"] is True and body["applied"] is False and body["registered"] == 1 and len(body["errors"]) == 1
    r = send(client, pekalongan, bid, csv_file([[a, "N-1"], [b, "N-2"]]), dry_run=True)
    assert r.json()["registered"] == 2 and r.json()["errors"] == []
    assert db_state(db) == before


@pytest.mark.parametrize(
    "content, filename, status",
    [
        (b"PK\x03\x04this is not really a zip", "nomor.xlsx", 422),
        (b"\x00\x01\x02binary", "nomor.bin", 415),
        (b"\xff\xfe\xfa not utf8", "nomor.csv", 422),
        (b"nama,nomor\nA,1\n", "nomor.csv", 422),  # the needed columns are missing
        (b"", "nomor.csv", 422),
        (b"\n\n", "nomor.csv", 422),
    ],
)
def test_malformed_file_leaves_db_unchanged(client, db, pekalongan, content, filename, status):
    bid, _ = submitted_batch(client, pekalongan, 1)
    before = db_state(db)
    r = send(client, pekalongan, bid, content, filename)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert db_state(db) == before


def test_import_rules_state_role_size_and_format(client, accounts, pekalongan, monkeypatch):
    ids = verified(client, pekalongan, 1)
    draft = new_batch(client, pekalongan, ids).json()["id"]
    assert send(client, pekalongan, draft, csv_file([[ids[0], "A-1"]])).status_code == 409  # not submitted yet
    assert client.post(f"{BATCHES}/{draft}/submit", headers=pekalongan.headers).status_code == 200
    village = accounts.user(Role.village_operator, KLEGO)
    assert send(client, village, draft, csv_file([[ids[0], "A-1"]])).status_code == 404
    monkeypatch.setattr(get_settings(), "registration_import_max_bytes", 10)
    assert send(client, pekalongan, draft, csv_file([[ids[0], "A-1"]])).status_code == 413
    monkeypatch.setattr(get_settings(), "registration_import_max_bytes", 5 * 1024 * 1024)
    monkeypatch.setattr(get_settings(), "registration_number_pattern", r"\d{2}\.\d{2}\.\d{2}\.\d{4}\.\d{4}")
    r = send(client, pekalongan, draft, csv_file([[ids[0], "A-1"]]))
    assert r.status_code == 422 and "format" in r.json()["errors"][0]["msg"]
    assert send(client, pekalongan, draft, csv_file([[ids[0], "33.75.02.1008.0007"]])).status_code == 200


def test_register_transition_checks_number(client, pekalongan):
    bid, (a, b) = submitted_batch(client, pekalongan)
    assert act(client, pekalongan, a, "register").status_code == 422
    assert act(client, pekalongan, a, "register", registration_number="R-1").status_code == 200
    assert act(client, pekalongan, b, "register", registration_number="R-1").status_code == 409
    assert act(client, pekalongan, b, "return", reason="Nomor ditunda kementerian").status_code == 200
    detail = client.get(f"{BATCHES}/{bid}", headers=pekalongan.headers).json()
    assert detail["status"] == "completed" and detail["registered_count"] == 1


def test_bad_input_never_500(client, pekalongan):
    huge = 10**20
    for url in (f"{URL}/{huge}", f"{URL}/{huge}/documents", f"{BATCHES}/{huge}", f"{BATCHES}/{huge}/export", f"{URL}/0"):
        r = client.get(url, headers=pekalongan.headers)
        assert r.status_code == 422, (url, r.status_code)
    assert new_batch(client, pekalongan, [huge]).status_code == 422
    assert (
        client.post("/api/v1/pilot-sites", json={"posyandu_id": huge, "start_date": "2025-01-01"}, headers=pekalongan.headers).status_code
        == 422
    )
    bid, (a,) = submitted_batch(client, pekalongan, 1)
    r = send(client, pekalongan, bid, csv_file([[str(huge), "X"], ["١٢", "Y"], [a, "N" * 65]]))
    assert r.status_code == 422 and len(r.json()["errors"]) == 3
    # a file name with control characters cannot break the download headers
    pid = make(client, pekalongan, name="Nama berkas")
    up = upload(client, pekalongan, pid, "sk_pengurus", filename='sk\r\nX-Evil: 1".pdf')
    assert up.status_code == 201 and "\n" not in up.json()["filename"]
    dl = client.get(f"{URL}/{pid}/documents/{up.json()['id']}", headers=pekalongan.headers)
    assert dl.status_code == 200 and "x-evil" not in {k.lower() for k in dl.headers}


def test_returned_posyandu_with_history_and_documents_can_be_deleted(client, db, pekalongan):
    pid = ready(client, pekalongan)
    assert act(client, pekalongan, pid, "propose").status_code == 200
    assert act(client, pekalongan, pid, "return", reason="Salah input").status_code == 200
    assert client.delete(f"{URL}/{pid}", headers=pekalongan.headers).status_code == 204
    assert client.get(f"{URL}/{pid}/registration/events", headers=pekalongan.headers).status_code == 404
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(RegistrationEvent).where(RegistrationEvent.posyandu_id == pid)) == 0
    s = client.get("/api/v1/regions/33.75/summary", headers=pekalongan.headers).json()["posyandu"]
    assert s["count"] == 0 and s["registration"]["by_status"]["returned"] == 0

"""Coordination meetings (rakor): the record with its legal basis, follow-ups (overdue in the region
summary), attachments, If-Match, audit and change feed, region scope."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pembina.kit import clock
from pembina.kit.roles import Role
from pembina.config import get_settings

API = "/api/v1"
URL = f"{API}/meetings"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
SERANG = "36.73"


def _legal_ids(client, who, *citations):
    items = client.get(f"{API}/legal-references", params={"limit": 100}, headers=who.headers).json()["items"]
    by_citation = {r["citation"]: r["id"] for r in items}
    return [by_citation[c] for c in citations]


def _serang_rakor(client, who, **extra):
    legal = _legal_ids(client, who, "UU No. 17 Tahun 2023", "Perpres No. 72 Tahun 2021", "Permendagri No. 13 Tahun 2024")
    body = {
        "region_code": SERANG,
        "title": "Rapat Koordinasi Tim Pembina Posyandu Tingkat Kota Serang",
        "held_on": "2025-04-21",
        "venue": "Hotel Flamengo",
        "organizer": "Pemerintah Kota Serang",
        "participant_count": 83,
        "institutions": ["Bappeda Kota Serang", "BPKAD Kota Serang", "TP-PKK Kota Serang"],
        "agenda": ["Laporan ketua panitia", "Arahan Wali Kota Serang"],
        "goals": ["Sosialisasi Permendagri No. 13 Tahun 2024 tentang Pos Pelayanan Terpadu", "Pembahasan persiapan lomba Posyandu"],
        "speakers": [{"name_or_office": "Wali Kota Serang"}, {"name_or_office": "Dinas Kesehatan Kota Serang", "topic": "Posyandu 6 SPM"}],
        "legal_reference_ids": legal,
        "funding_source": "dak_non_fisik",
        "funding_year": 2025,
        **extra,
    }
    r = client.post(URL, json=body, headers=who.headers)
    assert r.status_code == 201, r.text
    return r.json()


def _follow_up(client, who, meeting_id, **body):
    r = client.post(f"{URL}/{meeting_id}/follow-ups", json={"action": "Tindak lanjut", **body}, headers=who.headers)
    assert r.status_code == 201, r.text
    return r.json()


def test_record_a_rakor_with_its_legal_basis(client, serang, pekalongan):
    m = _serang_rakor(client, serang)
    assert m["level"] == "regency" and m["region_name"] and m["participant_count"] == 83 and m["funding_source"] == "dak_non_fisik"
    assert [b["citation"] for b in m["legal_basis"]] == [
        "UU No. 17 Tahun 2023",
        "Perpres No. 72 Tahun 2021",
        "Permendagri No. 13 Tahun 2024",
    ]
    assert m["speakers"][1] == {"name_or_office": "Dinas Kesehatan Kota Serang", "topic": "Posyandu 6 SPM"}
    assert m["follow_ups"] == {"open": 0, "overdue": 0} and m["follow_up_items"] == [] and m["attachment_count"] == 0
    got = client.get(f"{URL}/{m['id']}", headers=serang.headers)
    assert got.status_code == 200 and got.json() == m and got.headers["ETag"] == '"1"'
    # another city never sees it
    assert client.get(f"{URL}/{m['id']}", headers=pekalongan.headers).status_code == 404
    assert client.get(URL, headers=pekalongan.headers).json()["total"] == 0
    # list filters
    listed = client.get(URL, params={"region": SERANG, "q": "flamengo"}, headers=serang.headers).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == m["id"]
    ref = m["legal_basis"][2]["id"]
    assert client.get(URL, params={"legal_reference_id": ref}, headers=serang.headers).json()["total"] == 1
    assert client.get(URL, params={"held_from": "2025-05-01"}, headers=serang.headers).json()["total"] == 0
    assert client.get(URL, params={"funding_source": "apbd"}, headers=serang.headers).json()["total"] == 0
    assert client.get(URL, params={"held_from": "21-04-2025"}, headers=serang.headers).status_code == 422


def test_bad_meeting_input_is_422_and_changes_nothing(client, serang, pekalongan):
    base = {"region_code": SERANG, "title": "Rakor", "held_on": "2025-04-21"}
    for extra in (
        {"participant_count": -1},
        {"legal_reference_ids": [987654]},
        {"funding_source": "hibah"},
        {"agenda": [""]},
        {"institutions": ["   "]},
        {"title": "bad\x00"},
        {"speakers": [{"name_or_office": ""}]},
        {"region_code": "99.99"},
        {"held_on": "2025/04/21"},
        {"team_id": 2147483647},
    ):
        r = client.post(URL, json={**base, **extra}, headers=serang.headers)
        assert r.status_code == 422, (extra, r.text)
        assert r.headers["content-type"] == "application/problem+json"
    assert client.post(URL, json={**base, "region_code": "33.75"}, headers=serang.headers).status_code == 403
    assert client.get(URL, headers=serang.headers).json()["total"] == 0


def test_update_needs_if_match_and_replaces_lists(client, serang):
    m = _serang_rakor(client, serang)
    url = f"{URL}/{m['id']}"
    assert client.patch(url, json={"minutes": "Notulen"}, headers=serang.headers).status_code == 428
    r = client.patch(
        url,
        json={"minutes": "Notulen rapat", "agenda": ["Sambutan"], "legal_reference_ids": []},
        headers=serang.headers | {"If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    assert r.json()["agenda"] == ["Sambutan"] and r.json()["legal_basis"] == [] and r.json()["minutes"] == "Notulen rapat"
    assert r.headers["ETag"] == '"2"'
    stale = client.patch(url, json={"minutes": "x"}, headers=serang.headers | {"If-Match": '"1"'})
    assert stale.status_code == 412 and stale.json()["current"]["minutes"] == "Notulen rapat"
    assert client.patch(url, json={"title": None}, headers=serang.headers | {"If-Match": '"2"'}).status_code == 422
    # a new legal basis alone is a new version
    ref = _legal_ids(client, serang, "Permendagri No. 59 Tahun 2021", "UU No. 17 Tahun 2023")
    cited = client.patch(url, json={"legal_reference_ids": ref}, headers=serang.headers | {"If-Match": '"2"'})
    assert cited.status_code == 200 and cited.headers["ETag"] == '"3"'
    assert [b["citation"] for b in cited.json()["legal_basis"]] == ["Permendagri No. 59 Tahun 2021", "UU No. 17 Tahun 2023"]
    assert client.get(URL, params={"legal_reference_id": ref[0]}, headers=serang.headers).json()["total"] == 1
    same = client.patch(url, json={"legal_reference_ids": ref}, headers=serang.headers | {"If-Match": '"3"'})
    assert same.status_code == 200 and same.headers["ETag"] == '"3"'
    assert client.patch(url, json={"legal_reference_ids": [987654]}, headers=serang.headers | {"If-Match": '"3"'}).status_code == 422


def test_follow_ups_overdue_and_region_summary(client, serang, pekalongan, accounts):
    m = _serang_rakor(client, serang)
    today = clock.today()
    late = _follow_up(
        client,
        serang,
        m["id"],
        action="Kelurahan melaporkan SK TP Posyandu",
        owner="Lurah se-Kota Serang",
        due_on=str(today - timedelta(days=3)),
    )
    _follow_up(
        client,
        serang,
        m["id"],
        action="Rencana kerja tahunan",
        owner="Sekretariat TP Posyandu",
        due_on=str(today + timedelta(days=30)),
        status="in_progress",
    )
    _follow_up(client, serang, m["id"], action="Sudah", status="done", done_on="2025-05-01", due_on="2025-04-30")
    assert late["overdue"] is True and late["status"] == "open" and late["meeting_title"] == m["title"]

    overdue = client.get(f"{API}/follow-ups", params={"overdue": "true"}, headers=serang.headers).json()
    assert overdue["total"] == 1 and overdue["items"][0]["id"] == late["id"]
    # as of a day long ago, nothing was overdue yet
    assert client.get(f"{API}/follow-ups", params={"overdue": "true", "as_of": "2025-04-22"}, headers=serang.headers).json()["total"] == 0
    assert client.get(f"{API}/follow-ups", params={"status": "done"}, headers=serang.headers).json()["total"] == 1
    assert client.get(f"{API}/follow-ups", headers=pekalongan.headers).json()["total"] == 0
    assert client.get(f"{API}/follow-ups", params={"region": SERANG}, headers=pekalongan.headers).status_code == 403

    detail = client.get(f"{URL}/{m['id']}", headers=serang.headers).json()
    assert detail["follow_ups"] == {"open": 2, "overdue": 1} and len(detail["follow_up_items"]) == 3
    # the summary counts at every level: the city, its province, the nation; not elsewhere
    national = accounts.user(Role.national_admin, None)
    for code, who in ((SERANG, serang), ("36", national)):
        s = client.get(f"{API}/regions/{code}/summary", headers=who.headers)
        assert s.status_code == 200 and s.json()["follow_ups"] == {"open": 2, "overdue": 1}, s.text
    assert client.get(f"{API}/regions/33.75/summary", headers=pekalongan.headers).json()["follow_ups"] == {"open": 0, "overdue": 0}
    assert client.get(f"{API}/regions/36.73.01/summary", headers=serang.headers).json()["follow_ups"] == {"open": 0, "overdue": 0}

    # done: no longer overdue; done_on defaults to today
    url = f"{URL}/{m['id']}/follow-ups/{late['id']}"
    assert client.patch(url, json={"status": "done"}, headers=serang.headers).status_code == 428
    done = client.patch(url, json={"status": "done"}, headers=serang.headers | {"If-Match": '"1"'})
    assert done.status_code == 200 and done.json()["done_on"] == str(today) and done.json()["overdue"] is False
    assert client.get(f"{API}/regions/{SERANG}/summary", headers=serang.headers).json()["follow_ups"] == {"open": 1, "overdue": 0}
    reopened = client.patch(url, json={"status": "open"}, headers=serang.headers | {"If-Match": '"2"'})
    assert reopened.json()["done_on"] is None and reopened.json()["overdue"] is True
    assert client.patch(url, json={"done_on": "2025-06-01"}, headers=serang.headers | {"If-Match": '"3"'}).status_code == 422
    assert (
        client.patch(url, json={"status": "done", "done_on": "2025-01-01"}, headers=serang.headers | {"If-Match": '"3"'}).status_code == 422
    )
    assert client.patch(url, json={"status": "done"}, headers=serang.headers | {"If-Match": '"2"'}).status_code == 412
    # the follow-up belongs to its meeting
    other = _serang_rakor(client, serang, title="Rakor lain")
    assert (
        client.patch(
            f"{URL}/{other['id']}/follow-ups/{late['id']}", json={"notes": "x"}, headers=serang.headers | {"If-Match": "*"}
        ).status_code
        == 404
    )
    assert client.delete(url, headers=pekalongan.headers).status_code == 404
    assert client.delete(url, headers=serang.headers).status_code == 204
    assert client.get(f"{API}/regions/{SERANG}/summary", headers=serang.headers).json()["follow_ups"] == {"open": 1, "overdue": 0}


def test_attachment_limit_is_its_own_setting_of_10_mib():
    from pembina.body_limit import UPLOAD_LIMITS
    from pembina.config import Settings

    assert Settings(jwt_secret="x").attachment_max_bytes == 10 * 1024 * 1024
    assert UPLOAD_LIMITS["meeting-attachments-upload"] == "attachment_max_bytes"


def test_attachments_types_sizes_and_scope(client, serang, pekalongan, monkeypatch):
    m = _serang_rakor(client, serang)
    url = f"{URL}/{m['id']}/attachments"
    r = client.post(url, files={"file": ("undangan rakor.pdf", PDF, "application/pdf")}, headers=serang.headers)
    assert r.status_code == 201, r.text
    a = r.json()
    assert a["content_type"] == "application/pdf" and a["size"] == len(PDF) and a["filename"] == "undangan rakor.pdf"
    photo = client.post(url, files={"file": ("foto.png", PNG, "image/png")}, headers=serang.headers)
    assert photo.status_code == 201 and photo.json()["content_type"] == "image/png"
    # the content decides, not the name or the claimed type
    fake = client.post(url, files={"file": ("notulen.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")}, headers=serang.headers)
    assert fake.status_code == 415 and fake.json()["type"] == "/problems/unsupported-media-type"
    assert client.post(url, files={"file": ("empty.pdf", b"", "application/pdf")}, headers=serang.headers).status_code == 422
    assert client.post(url, json={"file": "x"}, headers=serang.headers).status_code == 422
    # attachments have their own cap (PEMBINA_ATTACHMENT_MAX_BYTES), not the decree scans'
    padded = PDF[:-6] + b"0" * 4096 + b"%%EOF\n"
    monkeypatch.setattr(get_settings(), "decree_file_max_bytes", 2048)
    kept = client.post(url, files={"file": ("besar.pdf", padded, "application/pdf")}, headers=serang.headers)
    assert kept.status_code == 201, kept.text
    assert client.delete(f"{url}/{kept.json()['id']}", headers=serang.headers).status_code == 204
    monkeypatch.setattr(get_settings(), "attachment_max_bytes", 2048)
    big = client.post(url, files={"file": ("besar.pdf", padded, "application/pdf")}, headers=serang.headers)
    assert big.status_code == 413 and big.json()["type"] == "/problems/payload-too-large" and big.json()["max_bytes"] == 2048
    listed = client.get(url, headers=serang.headers).json()
    assert [x["filename"] for x in listed] == ["undangan rakor.pdf", "foto.png"]
    assert client.get(f"{URL}/{m['id']}", headers=serang.headers).json()["attachment_count"] == 2
    dl = client.get(f"{url}/{a['id']}", headers=serang.headers)
    assert dl.status_code == 200 and dl.content == PDF and dl.headers["content-type"] == "application/pdf"
    assert "undangan%20rakor.pdf" in dl.headers["content-disposition"]
    for method in ("GET", "DELETE"):
        assert client.request(method, f"{url}/{a['id']}", headers=pekalongan.headers).status_code == 404
    assert client.post(url, files={"file": ("x.pdf", PDF, "application/pdf")}, headers=pekalongan.headers).status_code == 404
    assert client.delete(f"{url}/{a['id']}", headers=serang.headers).status_code == 204
    assert client.get(f"{url}/{a['id']}", headers=serang.headers).status_code == 404


def test_delete_meeting_is_audited_with_its_children_and_in_the_change_feed(client, serang):
    m = _serang_rakor(client, serang)
    f = _follow_up(client, serang, m["id"], due_on="2025-05-01")
    client.post(f"{URL}/{m['id']}/attachments", files={"file": ("a.pdf", PDF, "application/pdf")}, headers=serang.headers)
    changes = client.get(f"{API}/changes", params={"limit": 500}, headers=serang.headers).json()["items"]
    assert {(c["entity_type"], c["action"]) for c in changes} >= {
        ("meetings", "create"),
        ("follow_ups", "create"),
        ("meeting_attachments", "create"),
    }
    assert client.delete(f"{URL}/{m['id']}", headers=serang.headers).status_code == 204
    assert client.get(f"{URL}/{m['id']}", headers=serang.headers).status_code == 404
    events = client.get(f"{API}/audit-events", params={"limit": 200}, headers=serang.headers).json()["items"]
    deleted = {(e["entity_type"], e["entity_id"]) for e in events if e["action"] == "delete"}
    assert ("meetings", str(m["id"])) in deleted and ("follow_ups", str(f["id"])) in deleted
    assert any(t == "meeting_attachments" for t, _ in deleted) and any(t == "meeting_legal_bases" for t, _ in deleted)
    assert client.get(f"{API}/follow-ups", headers=serang.headers).json()["total"] == 0


@pytest.mark.parametrize("role", [Role.viewer])
def test_read_only_accounts_cannot_write(client, accounts, serang, role):
    m = _serang_rakor(client, serang)
    viewer = accounts.user(role, SERANG)
    assert client.get(f"{URL}/{m['id']}", headers=viewer.headers).status_code == 200
    assert client.post(f"{URL}/{m['id']}/follow-ups", json={"action": "x"}, headers=viewer.headers).status_code == 403
    assert client.delete(f"{URL}/{m['id']}", headers=viewer.headers).status_code == 403


def test_demo_meetings_from_the_seeds_are_idempotent(client, db, serang, accounts):
    from pembina.meetings.demo import demo_meetings
    from pembina.decrees.demo import demo_teams

    demo_teams(db)
    assert demo_meetings(db) == "demo meetings: 5 meetings, 5 follow-ups, 2 competitions created"
    assert demo_meetings(db) == "demo meetings: 0 meetings, 0 follow-ups, 0 competitions created"
    db.commit()
    rakor = client.get(URL, params={"held_from": "2025-04-21", "held_to": "2025-04-21"}, headers=serang.headers).json()["items"]
    assert len(rakor) == 1
    m = rakor[0]
    assert (m["venue"], m["participant_count"], m["funding_source"], m["funding_year"]) == ("Hotel Flamengo", 83, "dak_non_fisik", 2025)
    assert [b["citation"] for b in m["legal_basis"]][-4:] == [
        "Permendagri No. 13 Tahun 2024",
        "Kepmendagri No. 400.5.1.3703 Tahun 2023",
        "Kepmendagri No. 400.5.1.622 Tahun 2024",
        "Keputusan Wali Kota Serang No. 274 Tahun 2024",
    ]
    assert m["team_id"] is not None and len(m["speakers"]) == 4
    kalteng = accounts.user(Role.province_coordinator, "62")
    meetings = client.get(URL, params={"region": "62"}, headers=kalteng.headers).json()["items"]
    assert [(x["venue"], x["participant_count"]) for x in meetings] == [
        ("Aula Jayang Tingang, Kantor Gubernur Provinsi Kalimantan Tengah", 210)
    ]
    # "hingga akhir tahun 2025": overdue once 2025 is over
    expected_overdue = 1 if clock.today() > date(2025, 12, 31) else 0
    assert client.get(f"{API}/regions/62/summary", headers=kalteng.headers).json()["follow_ups"] == {"open": 1, "overdue": expected_overdue}
    pekalongan = accounts.user(Role.regency_coordinator, "33.75")
    # its own rakor and, read by every region, the national Rakornas (known to its month: September 2025)
    assert [x["held_on"] for x in client.get(URL, headers=pekalongan.headers).json()["items"]] == ["2025-09-01", "2025-06-25", "2023-07-03"]
    assert [x["held_on"] for x in client.get(URL, params={"region": "33.75"}, headers=pekalongan.headers).json()["items"]] == [
        "2025-06-25",
        "2023-07-03",
    ]

"""Photos of a monthly activity report (issue 22): upload, list, download, delete; kinds judged by
the bytes, the size and count caps, only while editable, region scope; the bytes in the file store.
Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import struct
import zlib
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from pembina.audit.models import AuditEvent
from pembina.config import get_settings
from pembina.kit import blobs, clock
from pembina.kit.roles import Role

URL = "/api/v1/activity-reports"
KLEGO = "33.75.02.1008"
PONCOL = "33.75.02.1007"
NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)


def png(seed: int = 0) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixel = zlib.compress(bytes([0, seed % 256, 0, 0, 255]))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)) + chunk(b"IDAT", pixel) + chunk(b"IEND", b"")


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


@pytest.fixture(autouse=True)
def _december():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def setup(client, accounts, pekalongan):
    village = accounts.user(Role.village_operator, KLEGO)
    r = client.post("/api/v1/posyandu", json={"region_code": KLEGO, "name": "Posyandu Foto"}, headers=pekalongan.headers)
    assert r.status_code == 201, r.text
    rep = client.post(URL, json={"posyandu_id": r.json()["id"], "period": "2026-11"}, headers=village.headers)
    assert rep.status_code == 201, rep.text
    return village, rep.json()["id"]


def upload(client, who, rid, data, name="foto.png", declared="image/png", caption=None):
    form = {"caption": caption} if caption is not None else None
    return client.post(f"{URL}/{rid}/photos", files={"file": (name, data, declared)}, data=form, headers=who.headers)


def test_upload_list_download_delete(client, db, setup):
    village, rid = setup
    data = png(1)
    r = upload(client, village, rid, data, name="C:\\fakepath\\kegiatan.png", caption="  Penimbangan   balita ")
    assert r.status_code == 201, r.text
    photo = r.json()
    assert photo["content_type"] == "image/png" and photo["size"] == len(data)
    assert photo["sha256"] == hashlib.sha256(data).hexdigest() and photo["caption"] == "Penimbangan balita"
    assert photo["filename"] == "kegiatan.png"
    assert blobs.get_store().get(photo["sha256"]) == data  # in the file store, not in the row

    # a JPEG sent under a PNG name and type: judged by its bytes
    j = upload(client, village, rid, JPEG, name="x.png", declared="image/png")
    assert j.status_code == 201 and j.json()["content_type"] == "image/jpeg"

    listed = client.get(f"{URL}/{rid}/photos", headers=village.headers)
    assert listed.status_code == 200 and [p["id"] for p in listed.json()] == [photo["id"], j.json()["id"]]

    got = client.get(f"{URL}/{rid}/photos/{photo['id']}", headers=village.headers)
    assert got.status_code == 200 and got.content == data
    assert got.headers["content-type"] == "image/png" and got.headers["content-length"] == str(len(data))
    assert got.headers["x-content-type-options"] == "nosniff"

    assert client.delete(f"{URL}/{rid}/photos/{photo['id']}", headers=village.headers).status_code == 204
    assert client.get(f"{URL}/{rid}/photos/{photo['id']}", headers=village.headers).status_code == 404
    assert [p["id"] for p in client.get(f"{URL}/{rid}/photos", headers=village.headers).json()] == [j.json()["id"]]
    # audited like the other attachment kinds
    actions = {e.action for e in db.scalars(select(AuditEvent).where(AuditEvent.entity_type == "activity_report_photos"))}
    assert {"create", "delete"} <= actions


def test_refusals(client, setup, monkeypatch):
    village, rid = setup
    assert upload(client, village, rid, b"%PDF-1.4\n%%EOF\n", name="foto.png").status_code == 415
    assert upload(client, village, rid, b"GIF89a" + b"\x00" * 20, name="a.gif", declared="image/gif").status_code == 415
    assert upload(client, village, rid, b"").status_code == 422
    monkeypatch.setattr(get_settings(), "activity_report_photo_max_bytes", 2048)
    big = upload(client, village, rid, png(0) + b"\x00" * 4096)
    assert big.status_code == 413 and big.json()["max_bytes"] == 2048
    assert upload(client, village, rid, png(0), caption="x" * 201).status_code == 422
    none = client.post(f"{URL}/{rid}/photos", data={"caption": "tanpa berkas"}, headers=village.headers)
    assert none.status_code == 422
    monkeypatch.setattr(get_settings(), "activity_report_photo_max_count", 2)
    assert upload(client, village, rid, png(1)).status_code == 201
    assert upload(client, village, rid, png(2)).status_code == 201
    third = upload(client, village, rid, png(3))
    assert third.status_code == 422 and "at most 2" in third.json()["detail"]


def test_only_while_editable_and_in_scope(client, accounts, setup, pekalongan):
    village, rid = setup
    other_village = accounts.user(Role.village_operator, PONCOL)
    viewer = accounts.user(Role.viewer, "33.75")
    district = accounts.user(Role.district_operator, "33.75.02")
    pid = upload(client, village, rid, png(5)).json()["id"]

    # another village: the report does not exist for it
    assert client.get(f"{URL}/{rid}/photos", headers=other_village.headers).status_code == 404
    assert client.get(f"{URL}/{rid}/photos/{pid}", headers=other_village.headers).status_code == 404
    assert upload(client, other_village, rid, png(6)).status_code == 404
    assert client.delete(f"{URL}/{rid}/photos/{pid}", headers=other_village.headers).status_code == 404
    # a viewer reads, never writes
    assert client.get(f"{URL}/{rid}/photos/{pid}", headers=viewer.headers).status_code == 200
    assert upload(client, viewer, rid, png(6)).status_code == 403
    assert client.delete(f"{URL}/{rid}/photos/{pid}", headers=viewer.headers).status_code == 403
    # a photo of another report is not this one's
    other = client.post(
        URL,
        json={"posyandu_id": client.get(f"{URL}/{rid}", headers=village.headers).json()["posyandu_id"], "period": "2026-10"},
        headers=village.headers,
    )
    assert client.get(f"{URL}/{other.json()['id']}/photos/{pid}", headers=village.headers).status_code == 404

    submitted = client.post(f"{URL}/{rid}/transitions", json={"action": "submit"}, headers=village.headers)
    assert submitted.status_code == 200, submitted.text
    refused = upload(client, village, rid, png(7))
    assert refused.status_code == 409 and refused.json()["current_status"] == "submitted"
    assert client.delete(f"{URL}/{rid}/photos/{pid}", headers=village.headers).status_code == 409
    assert client.get(f"{URL}/{rid}/photos/{pid}", headers=viewer.headers).status_code == 200  # still readable

    returned = client.post(f"{URL}/{rid}/transitions", json={"action": "return", "reason": "Foto kurang jelas"}, headers=district.headers)
    assert returned.status_code == 200, returned.text
    assert upload(client, village, rid, png(8)).status_code == 201
    assert client.delete(f"{URL}/{rid}/photos/{pid}", headers=village.headers).status_code == 204


def test_deleting_a_draft_deletes_its_photos_but_keeps_shared_bytes(client, db, setup, pekalongan):
    village, rid = setup
    data = png(9)
    upload(client, village, rid, data)
    # the same bytes as a meeting attachment elsewhere: stored once
    m = client.post(
        "/api/v1/meetings", json={"title": "Rakor", "held_on": "2026-11-20", "region_code": "33.75"}, headers=pekalongan.headers
    )
    assert m.status_code == 201, m.text
    a = client.post(
        f"/api/v1/meetings/{m.json()['id']}/attachments", files={"file": ("foto.png", data, "image/png")}, headers=pekalongan.headers
    )
    assert a.status_code == 201, a.text
    sha = hashlib.sha256(data).hexdigest()
    assert sum(1 for h, _ in blobs.get_store().hashes() if h == sha) == 1

    assert client.delete(f"{URL}/{rid}", headers=village.headers).status_code == 204
    # the meeting's attachment still names the bytes: collection keeps them, whatever the grace
    from datetime import timedelta

    from pembina.models import Base

    removed = blobs.collect(db.connection(), Base.metadata, grace=timedelta(0))
    assert sha not in removed
    got = client.get(f"/api/v1/meetings/{m.json()['id']}/attachments/{a.json()['id']}", headers=pekalongan.headers)
    assert got.status_code == 200 and got.content == data


def test_a_photo_larger_than_the_body_limit_but_within_its_own_cap_is_taken(client, setup):
    village, rid = setup
    big = png(4) + b"\x00" * (2 * 1024 * 1024)  # 2 MiB: over the 1 MiB of any other body, under the photos' 5 MiB
    r = upload(client, village, rid, big)
    assert r.status_code == 201, r.text
    got = client.get(f"{URL}/{rid}/photos/{r.json()['id']}", headers=village.headers)
    assert got.status_code == 200 and got.content == big


def test_erasing_a_person_rewrites_a_caption_naming_them(client, db, accounts, setup):
    from pembina.activity_reports.models import ActivityReportPhoto
    from pembina.privacy import erase_person

    village, rid = setup
    from pembina.users.models import User

    kader = accounts.user(Role.viewer, KLEGO)
    db.get(User, kader.id).full_name = "Siti Rahmawati"
    db.flush()
    photo = upload(client, village, rid, png(10), caption="Siti Rahmawati menimbang balita").json()
    erase_person(db, account=kader.id)
    db.flush()
    caption = db.scalar(select(ActivityReportPhoto.caption).where(ActivityReportPhoto.id == photo["id"]))
    assert "Siti" not in caption and "Akun (dihapus)" in caption
    # the bytes themselves cannot be pseudonymised: they stay until the photo is deleted
    assert client.get(f"{URL}/{rid}/photos/{photo['id']}", headers=village.headers).content == png(10)

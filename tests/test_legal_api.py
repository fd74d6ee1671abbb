"""The legal references library: seeded by the migration, searchable by all, maintained by national admins."""

from __future__ import annotations

from pembina.kit.roles import ClientScope, Role

URL = "/api/v1/legal-references"


def test_seeded_library_is_searchable_by_everyone(client, pekalongan):
    r = client.get(URL, params={"limit": 100}, headers=pekalongan.headers)
    assert r.status_code == 200, r.text
    citations = {ref["citation"] for ref in r.json()["items"]}
    for c in (
        "UU No. 17 Tahun 2023",
        "Perpres No. 72 Tahun 2021",
        "Permendagri No. 18 Tahun 2018",
        "Permenkes No. 8 Tahun 2019",
        "Permendagri No. 59 Tahun 2021",
        "Permendagri No. 13 Tahun 2024",
        "UU No. 23 Tahun 2014",
    ):
        assert c in citations
    found = client.get(URL, params={"q": "pos pelayanan"}, headers=pekalongan.headers).json()
    assert found["total"] == 1 and found["items"][0]["citation"] == "Permendagri No. 13 Tahun 2024"
    permendagri = client.get(URL, params={"kind": "permendagri", "sort": "year"}, headers=pekalongan.headers).json()
    assert [x["year"] for x in permendagri["items"]] == [2018, 2021, 2024]
    assert client.get(URL, params={"q": "100%_"}, headers=pekalongan.headers).json()["total"] == 0
    assert client.get(URL, params={"kind": "bogus"}, headers=pekalongan.headers).status_code == 422


def test_only_national_admins_write(client, admin, pekalongan, accounts):
    body = {"kind": "keputusan", "number": "274", "year": 2024, "title": "Tim Pembina Posyandu", "issuer": "Wali Kota Serang"}
    assert client.post(URL, json=body, headers=pekalongan.headers).status_code == 403
    national_viewer = accounts.user(Role.viewer, None)
    assert client.post(URL, json=body, headers=national_viewer.headers).status_code == 403
    assert client.post(URL, json=body, headers=accounts.client("33.75", ClientScope.read_write).headers).status_code == 403
    r = client.post(URL, json=body, headers=admin.headers)
    assert r.status_code == 201, r.text
    ref = r.json()
    assert ref["citation"] == "Keputusan Wali Kota Serang No. 274 Tahun 2024" and r.headers["ETag"] == '"1"'
    assert client.post(URL, json=body, headers=admin.headers).status_code == 409
    got = client.get(f"{URL}/{ref['id']}", headers=pekalongan.headers)
    assert got.status_code == 200 and got.json() == ref
    # updates need If-Match; stale is 412; coordinators cannot edit
    patch = {"notes": "Dasar hukum rakor 21 April 2025"}
    assert client.patch(f"{URL}/{ref['id']}", json=patch, headers=pekalongan.headers | {"If-Match": '"1"'}).status_code == 403
    assert client.patch(f"{URL}/{ref['id']}", json=patch, headers=admin.headers).status_code == 428
    ok = client.patch(f"{URL}/{ref['id']}", json=patch, headers=admin.headers | {"If-Match": '"1"'})
    assert ok.status_code == 200 and ok.json()["notes"] == patch["notes"] and ok.headers["ETag"] == '"2"'
    assert client.patch(f"{URL}/{ref['id']}", json=patch, headers=admin.headers | {"If-Match": '"1"'}).status_code == 412
    # an update may not collide with another regulation, nor null a required field
    clash = client.patch(f"{URL}/{ref['id']}", json={"kind": "permendagri", "number": "13"}, headers=admin.headers | {"If-Match": '"2"'})
    assert clash.status_code == 409
    assert client.patch(f"{URL}/{ref['id']}", json={"title": None}, headers=admin.headers | {"If-Match": '"2"'}).status_code == 422
    events = client.get("/api/v1/audit-events", params={"entity_type": "legal_references"}, headers=admin.headers).json()
    assert {e["action"] for e in events["items"]} >= {"create", "update"}


def test_bad_input_is_422(client, admin):
    for body in (
        {"kind": "uu", "number": "1", "year": 1800, "title": "x"},
        {"kind": "uu", "number": "", "year": 2020, "title": "x"},
        {"kind": "uu", "number": "1", "year": 2020, "title": "bad\x00"},
        {"kind": "uu", "number": "1", "year": 2020, "title": "x", "extra": 1},
    ):
        r = client.post(URL, json=body, headers=admin.headers)
        assert r.status_code == 422, (body, r.text)
    assert client.get(f"{URL}/99999999", headers=admin.headers).status_code == 404
    assert client.get(f"{URL}/0", headers=admin.headers).status_code == 422


def test_delete_by_national_admins_unless_cited(client, admin, pekalongan, serang):
    body = {"kind": "perwal", "number": "12", "year": 2024, "title": "Posyandu Kota Serang", "issuer": "Wali Kota Serang"}
    ref = client.post(URL, json=body, headers=admin.headers).json()
    assert "maintain_legal" not in client.get("/api/v1/auth/me", headers=pekalongan.headers).json()["allowed_actions"]
    assert "maintain_legal" in client.get("/api/v1/auth/me", headers=admin.headers).json()["allowed_actions"]
    assert client.delete(f"{URL}/{ref['id']}", headers=pekalongan.headers).status_code == 403
    # a meeting citing it keeps it: 409 until the meeting drops it
    meeting = {"region_code": "36.73", "title": "Rakor Posyandu", "held_on": "2025-04-21", "legal_reference_ids": [ref["id"]]}
    m = client.post("/api/v1/meetings", json=meeting, headers=serang.headers)
    assert m.status_code == 201, m.text
    refused = client.delete(f"{URL}/{ref['id']}", headers=admin.headers)
    assert refused.status_code == 409 and "legal basis" in refused.json()["detail"]
    assert client.get(f"{URL}/{ref['id']}", headers=admin.headers).status_code == 200
    dropped = client.patch(
        f"/api/v1/meetings/{m.json()['id']}", json={"legal_reference_ids": []}, headers=serang.headers | {"If-Match": m.headers["ETag"]}
    )
    assert dropped.status_code == 200, dropped.text
    assert client.delete(f"{URL}/{ref['id']}", headers=admin.headers).status_code == 204
    assert client.get(f"{URL}/{ref['id']}", headers=admin.headers).status_code == 404
    assert client.delete(f"{URL}/{ref['id']}", headers=admin.headers).status_code == 404

"""Teams and members: one per region and kind, scope, If-Match, audit, counters."""

from __future__ import annotations

from pembina.kit.roles import Role

API = "/api/v1"


def _create(client, who, **body):
    r = client.post(f"{API}/teams", json=body, headers=who.headers)
    assert r.status_code == 201, r.text
    return r


def test_create_get_list_and_one_per_region_and_kind(client, pekalongan):
    r = _create(client, pekalongan, region_code="33.75.02.1008")
    team = r.json()
    assert team["name"] == "TP Posyandu Klego" and team["level"] == "village" and team["kind"] == "tp_posyandu"
    assert team["region_name"] == "Klego" and r.headers["ETag"] == '"1"' and r.headers["Location"].endswith(f"/teams/{team['id']}")
    dup = client.post(f"{API}/teams", json={"region_code": "33.75.02.1008"}, headers=pekalongan.headers)
    assert dup.status_code == 409 and dup.json()["type"] == "/problems/conflict"
    legacy = _create(client, pekalongan, region_code="33.75.02.1008", kind="pokja_posyandu", name="Pokja Posyandu Klego").json()
    _create(client, pekalongan, region_code="33.75.02")
    _create(client, pekalongan, region_code="33.75", name="TP Posyandu Kota Pekalongan")

    page = client.get(f"{API}/teams", params={"region": "33.75.02"}, headers=pekalongan.headers).json()
    assert page["total"] == 3
    assert {t["region_code"] for t in page["items"]} == {"33.75.02", "33.75.02.1008"}
    assert (
        client.get(f"{API}/teams", params={"level": "village", "kind": "pokja_posyandu"}, headers=pekalongan.headers).json()["total"] == 1
    )
    assert client.get(f"{API}/teams", params={"q": "kota"}, headers=pekalongan.headers).json()["total"] == 1
    assert client.get(f"{API}/teams", params={"sort": "-level"}, headers=pekalongan.headers).json()["items"][0]["level"] == "village"
    assert client.get(f"{API}/teams", params={"sort": "bogus"}, headers=pekalongan.headers).status_code == 422
    got = client.get(f"{API}/teams/{legacy['id']}", headers=pekalongan.headers)
    assert got.status_code == 200 and got.json()["members"] == [] and got.headers["ETag"] == '"1"'


def test_bad_input_is_422_never_500(client, pekalongan):
    for body in (
        {"region_code": "33.99.99.9999"},
        {"region_code": "nope"},
        {"region_code": "33.75", "kind": "pkk"},
        {"region_code": "33.75", "extra": 1},
        {},
    ):
        r = client.post(f"{API}/teams", json=body, headers=pekalongan.headers)
        assert r.status_code == 422, (body, r.text)
        assert r.headers["content-type"] == "application/problem+json"
    assert client.get(f"{API}/teams", params={"region": "x"}, headers=pekalongan.headers).status_code == 422
    assert client.get(f"{API}/teams/abc", headers=pekalongan.headers).status_code == 404  # ids are digits only
    assert client.get(f"{API}/teams/999999", headers=pekalongan.headers).status_code == 404
    huge = 99_999_999_999  # beyond a 32-bit id: a 422, never a database error
    for url in (
        f"/teams/{huge}",
        f"/teams/1/members/{huge}",
        f"/decrees/{huge}",
        f"/decrees/{huge}/transitions",
        f"/reporting-deadlines/{huge}",
        f"/decrees?team_id={huge}",
    ):
        assert client.get(API + url, headers=pekalongan.headers).status_code == 422, url
    r = client.post(f"{API}/decrees", json={"region_code": "33.75", "title": "SK", "team_id": huge}, headers=pekalongan.headers)
    assert r.status_code == 422


def test_scope_and_roles(client, accounts, pekalongan, serang):
    assert client.post(f"{API}/teams", json={"region_code": "36.73"}, headers=pekalongan.headers).status_code == 403
    klego_op = accounts.user(Role.village_operator, "33.75.02.1008")
    assert client.post(f"{API}/teams", json={"region_code": "33.75.02.1009"}, headers=klego_op.headers).status_code == 403
    team = _create(client, klego_op, region_code="33.75.02.1008").json()
    viewer = accounts.user(Role.viewer, "33.75")
    assert client.get(f"{API}/teams/{team['id']}", headers=viewer.headers).status_code == 200
    r = client.patch(f"{API}/teams/{team['id']}", json={"notes": "x"}, headers={**viewer.headers, "If-Match": '"1"'})
    assert r.status_code == 403
    assert client.get(f"{API}/teams/{team['id']}", headers=serang.headers).status_code == 404


def test_update_needs_if_match_and_stale_is_412(client, pekalongan):
    team = _create(client, pekalongan, region_code="33.75.01").json()
    url = f"{API}/teams/{team['id']}"
    assert client.patch(url, json={"notes": "a"}, headers=pekalongan.headers).status_code == 428
    ok = client.patch(url, json={"notes": "a", "formed_on": "2025-06-01"}, headers={**pekalongan.headers, "If-Match": '"1"'})
    assert ok.status_code == 200 and ok.json()["version"] == 2 and ok.headers["ETag"] == '"2"'
    stale = client.patch(url, json={"notes": "b"}, headers={**pekalongan.headers, "If-Match": '"1"'})
    assert stale.status_code == 412 and stale.json()["current"]["notes"] == "a"
    assert client.get(url, headers=pekalongan.headers).json()["notes"] == "a"
    assert client.patch(url, json={"name": None}, headers={**pekalongan.headers, "If-Match": '"2"'}).status_code == 422


def test_members_with_positions_and_spm_fields(client, pekalongan):
    team = _create(client, pekalongan, region_code="33.75").json()
    url = f"{API}/teams/{team['id']}/members"
    ketua = client.post(url, json={"position": "ketua", "name": "Inggit Soraya"}, headers=pekalongan.headers)
    assert ketua.status_code == 201, ketua.text
    bidang = client.post(
        url,
        json={
            "position": "ketua_bidang",
            "spm_field": "pendidikan",
            "name": "Ketua Bidang Pendidikan",
            "institution": "Dinas Pendidikan",
            "term_start": "2025-01-01",
            "term_end": "2029-12-31",
        },
        headers=pekalongan.headers,
    )
    assert bidang.status_code == 201 and bidang.json()["spm_field"] == "pendidikan"
    assert client.post(url, json={"position": "ketua_bidang", "name": "X"}, headers=pekalongan.headers).status_code == 422
    assert (
        client.post(url, json={"position": "sekretaris", "spm_field": "sosial", "name": "X"}, headers=pekalongan.headers).status_code == 422
    )
    assert (
        client.post(
            url, json={"position": "anggota", "name": "X", "term_start": "2025-02-01", "term_end": "2025-01-01"}, headers=pekalongan.headers
        ).status_code
        == 422
    )
    assert client.post(url, json={"position": "raja", "name": "X"}, headers=pekalongan.headers).status_code == 422
    members = client.get(url, headers=pekalongan.headers).json()
    assert [m["position"] for m in members] == ["ketua", "ketua_bidang"]
    murl = f"{url}/{bidang.json()['id']}"
    assert client.get(murl, headers=pekalongan.headers).headers["ETag"] == '"1"'
    moved = client.patch(murl, json={"position": "anggota"}, headers={**pekalongan.headers, "If-Match": '"1"'})
    assert moved.status_code == 200 and moved.json()["spm_field"] is None
    assert client.patch(murl, json={"name": "Y"}, headers={**pekalongan.headers, "If-Match": '"1"'}).status_code == 412
    assert client.patch(murl, json={"term_end": "2024-01-01"}, headers={**pekalongan.headers, "If-Match": '"2"'}).status_code == 422
    detail = client.get(f"{API}/teams/{team['id']}", headers=pekalongan.headers).json()
    assert len(detail["members"]) == 2
    assert client.delete(murl, headers=pekalongan.headers).status_code == 204
    assert client.get(murl, headers=pekalongan.headers).status_code == 404
    assert client.get(f"{API}/teams/{team['id']}/members/{ketua.json()['id'] + 999}", headers=pekalongan.headers).status_code == 404


def test_delete_team_cascades_members_and_is_audited(client, pekalongan):
    team = _create(client, pekalongan, region_code="33.75.03").json()
    client.post(f"{API}/teams/{team['id']}/members", json={"position": "ketua", "name": "Camat"}, headers=pekalongan.headers)
    assert client.delete(f"{API}/teams/{team['id']}", headers=pekalongan.headers).status_code == 204
    assert client.get(f"{API}/teams/{team['id']}", headers=pekalongan.headers).status_code == 404
    events = client.get(f"{API}/audit-events", params={"limit": 100}, headers=pekalongan.headers).json()["items"]
    kinds = {(e["entity_type"], e["action"]) for e in events}
    assert {("teams", "create"), ("teams", "delete"), ("team_members", "create"), ("team_members", "delete")} <= kinds


def test_team_with_decrees_cannot_be_deleted(client, pekalongan):
    team = _create(client, pekalongan, region_code="33.75.03.1002").json()
    r = client.post(
        f"{API}/decrees", json={"region_code": "33.75.03.1002", "title": "SK", "team_id": team["id"]}, headers=pekalongan.headers
    )
    assert r.status_code == 201, r.text
    assert client.delete(f"{API}/teams/{team['id']}", headers=pekalongan.headers).status_code == 409


def test_nul_characters_are_422(client, pekalongan):
    assert client.post(f"{API}/teams", json={"region_code": "33.75", "name": "a\u0000b"}, headers=pekalongan.headers).status_code == 422
    assert client.get(f"{API}/teams", params={"q": "a\u0000b"}, headers=pekalongan.headers).status_code == 422
    assert client.get(f"{API}/decrees", params={"q": "\u0000"}, headers=pekalongan.headers).status_code == 422
    r = client.post(f"{API}/decrees", json={"region_code": "33.75", "title": "SK\u0000"}, headers=pekalongan.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "title"]
    assert client.post(f"{API}/teams", json={"region_code": "33.75", "unknown": 1}, headers=pekalongan.headers).status_code == 422

"""Work programs (program kerja): a team's activities per year and SPM field, schedule, office in
charge, status, linked to the team's budget allocations of the same year; scope, ETag, audit."""

from __future__ import annotations

from tests.test_budgets_api import allocation, budget, team

API = "/api/v1"
URL = f"{API}/work-programs"


def program(client, who, team_id, year=2025, title="Percontohan Posyandu 6 SPM", **extra):
    return client.post(URL, json={"team_id": team_id, "year": year, "title": title, **extra}, headers=who.headers)


def test_create_with_schedule_and_linked_allocations(client, pekalongan):
    t = team(client, pekalongan)
    b = budget(client, pekalongan, t).json()
    a1 = allocation(client, pekalongan, b["id"], 700_000_000, category="pembinaan").json()
    a2 = allocation(client, pekalongan, b["id"], 50_000_000, activity="Kelas ibu balita", spm_field="kesehatan").json()
    r = program(
        client,
        pekalongan,
        t,
        spm_field="kesehatan",
        start_date="2025-02-01",
        end_date="2025-11-30",
        person_in_charge="Sekretariat TP Posyandu (DPMPPA)",
        status="in_progress",
        allocation_ids=[a2["id"], a1["id"], a2["id"]],
    )
    assert r.status_code == 201, r.text
    wp = r.json()
    assert r.headers["ETag"] == '"1"' and r.headers["Location"] == f"{URL}/{wp['id']}"
    assert wp["allocation_ids"] == sorted([a1["id"], a2["id"]]) and wp["planned_amount"] == 750_000_000
    assert wp["team_name"] == "TP Posyandu Kota Pekalongan" and wp["region_code"] == "33.75" and wp["status"] == "in_progress"
    assert {a["activity"] for a in wp["allocations"]} == {"Pembinaan Posyandu", "Kelas ibu balita"}
    got = client.get(f"{URL}/{wp['id']}", headers=pekalongan.headers)
    assert got.status_code == 200 and got.json() == wp and got.headers["ETag"] == '"1"'
    assert program(client, pekalongan, t, title="Rakor").json()["status"] == "planned"


def test_validation(client, pekalongan):
    t = team(client, pekalongan)
    other = team(client, pekalongan, "33.75.02")
    b = budget(client, pekalongan, t).json()
    a = allocation(client, pekalongan, b["id"], 10).json()
    b26 = budget(client, pekalongan, t, year=2026).json()
    a26 = allocation(client, pekalongan, b26["id"], 10).json()
    ob = budget(client, pekalongan, other).json()
    oa = allocation(client, pekalongan, ob["id"], 10).json()
    assert program(client, pekalongan, t, start_date="2024-12-01").status_code == 422
    assert program(client, pekalongan, t, end_date="2026-01-01").status_code == 422
    assert program(client, pekalongan, t, start_date="2025-05-01", end_date="2025-04-01").status_code == 422
    assert program(client, pekalongan, t, status="finished").status_code == 422
    assert program(client, pekalongan, t, spm_field="olahraga").status_code == 422
    assert program(client, pekalongan, t, title="").status_code == 422
    assert program(client, pekalongan, t, title="a\u0000").status_code == 422
    assert program(client, pekalongan, t, year=2101).status_code == 422
    assert program(client, pekalongan, t, year=2025.0).status_code == 422
    assert program(client, pekalongan, 99_999_999).status_code == 422
    wrong_year = program(client, pekalongan, t, allocation_ids=[a26["id"]])
    assert wrong_year.status_code == 422 and wrong_year.json()["errors"][0]["loc"] == ["body", "allocation_ids"]
    assert program(client, pekalongan, t, allocation_ids=[oa["id"]]).status_code == 422  # another team's allocation
    assert program(client, pekalongan, t, allocation_ids=[0]).status_code == 422
    assert program(client, pekalongan, t, allocation_ids=[a["id"]]).status_code == 201
    assert client.get(URL, headers=pekalongan.headers).json()["total"] == 1


def test_update_status_schedule_and_links_with_if_match(client, pekalongan):
    t = team(client, pekalongan)
    b = budget(client, pekalongan, t).json()
    a1 = allocation(client, pekalongan, b["id"], 100).json()
    a2 = allocation(client, pekalongan, b["id"], 200).json()
    wp = program(client, pekalongan, t, allocation_ids=[a1["id"]]).json()
    url = f"{URL}/{wp['id']}"
    assert client.patch(url, json={"status": "done"}, headers=pekalongan.headers).status_code == 428
    r = client.patch(url, json={"status": "in_progress", "start_date": "2025-03-01"}, headers={**pekalongan.headers, "If-Match": '"1"'})
    assert r.status_code == 200 and r.headers["ETag"] == '"2"' and r.json()["status"] == "in_progress"
    assert client.patch(url, json={"status": "done"}, headers={**pekalongan.headers, "If-Match": '"1"'}).status_code == 412
    assert client.patch(url, json={"end_date": "2025-02-01"}, headers={**pekalongan.headers, "If-Match": '"2"'}).status_code == 422
    assert client.patch(url, json={"status": None}, headers={**pekalongan.headers, "If-Match": '"2"'}).status_code == 422
    assert client.patch(url, json={"year": 2026}, headers={**pekalongan.headers, "If-Match": '"2"'}).status_code == 422
    r = client.patch(url, json={"allocation_ids": [a2["id"]]}, headers={**pekalongan.headers, "If-Match": '"2"'})
    assert r.status_code == 200 and r.json()["allocation_ids"] == [a2["id"]] and r.json()["planned_amount"] == 200
    assert r.headers["ETag"] == '"3"'  # new links: a new version
    listed = client.get(URL, params={"allocation_id": a2["id"]}, headers=pekalongan.headers).json()
    assert [x["id"] for x in listed["items"]] == [wp["id"]]
    assert client.get(URL, params={"allocation_id": a1["id"]}, headers=pekalongan.headers).json()["total"] == 0
    # deleting an allocation unlinks it from the program
    assert client.delete(f"{API}/budgets/{b['id']}/allocations/{a2['id']}", headers=pekalongan.headers).status_code == 204
    assert client.get(url, headers=pekalongan.headers).json()["allocation_ids"] == []
    assert client.delete(url, headers=pekalongan.headers).status_code == 204
    assert client.get(url, headers=pekalongan.headers).status_code == 404


def test_list_filters(client, admin, pekalongan):
    city, district, kalteng = team(client, pekalongan), team(client, pekalongan, "33.75.02"), team(client, admin, "62")
    program(client, pekalongan, city, spm_field="kesehatan", status="done")
    program(client, pekalongan, city, title="Registrasi posyandu", year=2026)
    program(client, pekalongan, district, title="Sosialisasi 6 SPM", spm_field="pendidikan")
    program(client, admin, kalteng, title="Pembinaan Posyandu se-Kalimantan Tengah")
    assert client.get(URL, headers=admin.headers).json()["total"] == 4
    assert client.get(URL, headers=pekalongan.headers).json()["total"] == 3
    assert client.get(URL, params={"region": "33.75.02"}, headers=pekalongan.headers).json()["total"] == 1
    assert client.get(URL, params={"year": 2026}, headers=pekalongan.headers).json()["items"][0]["title"] == "Registrasi posyandu"
    assert client.get(URL, params={"spm_field": "kesehatan"}, headers=pekalongan.headers).json()["total"] == 1
    assert client.get(URL, params={"status": "planned"}, headers=pekalongan.headers).json()["total"] == 2
    assert client.get(URL, params={"q": "sosialisasi"}, headers=pekalongan.headers).json()["total"] == 1
    assert client.get(URL, params={"q": "%"}, headers=pekalongan.headers).json()["total"] == 0
    assert client.get(URL, params={"team_id": kalteng}, headers=admin.headers).json()["total"] == 1
    assert client.get(URL, params={"sort": "-year"}, headers=pekalongan.headers).json()["items"][0]["year"] == 2026
    assert client.get(URL, params={"sort": "budget"}, headers=pekalongan.headers).status_code == 422


def test_scope_audit_and_team_delete(client, pekalongan, serang):
    t = team(client, pekalongan, "33.75.03")
    wp = program(client, pekalongan, t).json()
    url = f"{URL}/{wp['id']}"
    assert client.get(url, headers=serang.headers).status_code == 404
    assert client.patch(url, json={"title": "x"}, headers={**serang.headers, "If-Match": "*"}).status_code == 404
    assert client.delete(url, headers=serang.headers).status_code == 404
    assert program(client, serang, t).status_code == 422
    assert client.get(URL, params={"region": "33.75"}, headers=serang.headers).status_code == 403
    assert client.get(URL, headers=serang.headers).json()["total"] == 0
    r = client.delete(f"{API}/teams/{t}", headers=pekalongan.headers)
    assert r.status_code == 409 and "work programs" in r.json()["detail"]
    client.patch(url, json={"status": "cancelled"}, headers={**pekalongan.headers, "If-Match": '"1"'})
    events = client.get(f"{API}/audit-events", params={"entity_type": "work_programs"}, headers=pekalongan.headers).json()["items"]
    assert {e["action"] for e in events} == {"create", "update"}
    update = next(e for e in events if e["action"] == "update")
    assert update["before"]["status"] == "planned" and update["after"]["status"] == "cancelled"
    assert client.delete(url, headers=pekalongan.headers).status_code == 204
    assert client.delete(f"{API}/teams/{t}", headers=pekalongan.headers).status_code == 204

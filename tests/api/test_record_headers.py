"""What the route class adds to every route (pembina.kit.routing, pembina.kit.versioning).

* A record's version is its ETag on every read and write that returns it; a create also names
  the record's URL in Location (when the contract has one). The values are checked exactly.
* If-Match is parsed once into an expected version: 428 without it where required, 412 when
  stale (with the record's ETag and its current state), 400 when malformed, after a 404.
* The problems a route documents are derived from its signature.
"""

from __future__ import annotations

from typing import Any

from pembina.body_limit import UPLOAD_LIMITS

API = "/api/v1"
KLEGO = "33.75.02.1008"


def _created(r: Any, location: str | None, version: int = 1) -> dict[str, Any]:
    assert r.status_code == 201, r.text
    body = r.json()
    assert r.headers["ETag"] == f'"{version}"' == f'"{body["version"]}"'
    if location is None:
        assert "Location" not in r.headers
    else:
        assert r.headers["Location"] == location.format(id=body["id"])
    return body


def _etag(r: Any, version: int, status: int = 200) -> None:
    assert r.status_code == status, r.text
    assert r.headers["ETag"] == f'"{version}"'
    assert "Location" not in r.headers


def test_creates_gets_and_updates_carry_the_records_version(client, pekalongan):
    h = pekalongan.headers
    team = _created(client.post(f"{API}/teams", json={"region_code": "33.75"}, headers=h), "/api/v1/teams/{id}")
    _etag(client.get(f"{API}/teams/{team['id']}", headers=h), 1)
    _etag(client.patch(f"{API}/teams/{team['id']}", json={"notes": "x"}, headers={**h, "If-Match": '"1"'}), 2)
    member = _created(
        client.post(f"{API}/teams/{team['id']}/members", json={"position": "ketua", "name": "Inggit"}, headers=h),
        f"/api/v1/teams/{team['id']}/members/{{id}}",
    )
    _etag(client.get(f"{API}/teams/{team['id']}/members/{member['id']}", headers=h), 1)

    budget = _created(
        client.post(
            f"{API}/budgets", json={"team_id": team["id"], "fiscal_year": 2025, "source": "apbd", "total_amount": 1_000_000}, headers=h
        ),
        "/api/v1/budgets/{id}",
    )
    allocation = _created(
        client.post(f"{API}/budgets/{budget['id']}/allocations", json={"activity": "Pembinaan", "amount": 500_000}, headers=h),
        f"/api/v1/budgets/{budget['id']}/allocations/{{id}}",
    )
    url = f"{API}/budgets/{budget['id']}/allocations/{allocation['id']}"
    _etag(client.patch(url, json={"amount": 400_000}, headers={**h, "If-Match": '"1"'}), 2)
    realization = client.post(f"{url}/realizations", json={"realized_on": "2025-03-01", "amount": 1_000}, headers=h)
    assert realization.status_code == 201 and "ETag" not in realization.headers and "Location" not in realization.headers

    posyandu = _created(
        client.post(f"{API}/posyandu", json={"region_code": KLEGO, "name": "Posyandu Uji"}, headers=h), "/api/v1/posyandu/{id}"
    )
    _etag(client.get(f"{API}/posyandu/{posyandu['id']}", headers=h), 1)

    user = _created(
        client.post(
            f"{API}/users",
            json={"username": "op-klego-hdr", "full_name": "Op", "role": "village_operator", "region_code": KLEGO},
            headers=h,
        ),
        "/api/v1/users/{id}",
    )
    _etag(client.get(f"{API}/users/{user['id']}", headers=h), 1)


def test_a_path_id_with_leading_zeros_gets_the_canonical_location(client, pekalongan):
    h = pekalongan.headers
    team = client.post(f"{API}/teams", json={"region_code": "33.75"}, headers=h).json()
    r = client.post(f"{API}/teams/000{team['id']}/members", json={"position": "ketua", "name": "Inggit"}, headers=h)
    _created(r, f"/api/v1/teams/{team['id']}/members/{{id}}")


def test_where_the_header_differs_from_the_rule(client, pekalongan):
    h = pekalongan.headers
    # A decree transition is a new record without a version: the ETag is the decree's, no Location.
    decree = _created(client.post(f"{API}/decrees", json={"region_code": KLEGO, "title": "SK"}, headers=h), "/api/v1/decrees/{id}")
    r = client.post(f"{API}/decrees/{decree['id']}/transitions", json={"action": "issue"}, headers=h)
    assert r.status_code == 201, r.text
    assert r.headers["ETag"] == '"2"' and "version" not in r.json() and "Location" not in r.headers
    # A follow-up has no URL of its own to GET: its ETag, no Location.
    meeting = client.post(f"{API}/meetings", json={"region_code": "33.75", "title": "Rakor", "held_on": "2025-04-21"}, headers=h)
    assert meeting.status_code == 201, meeting.text
    _created(client.post(f"{API}/meetings/{meeting.json()['id']}/follow-ups", json={"action": "Tindak lanjut"}, headers=h), None)
    # A delete answers an empty 204.
    r = client.delete(f"{API}/meetings/{meeting.json()['id']}", headers=h)
    assert (r.status_code, r.content) == (204, b"") and "content-type" not in r.headers and "ETag" not in r.headers


def test_if_match_is_checked_as_before(client, pekalongan):
    h = pekalongan.headers
    team = client.post(f"{API}/teams", json={"region_code": "33.75"}, headers=h).json()
    url = f"{API}/teams/{team['id']}"
    assert client.patch(url, json={"notes": "a"}, headers=h).status_code == 428
    malformed = client.patch(url, json={"notes": "a"}, headers={**h, "If-Match": '""'})
    assert malformed.status_code == 400 and malformed.json()["detail"] == "Malformed If-Match header."
    # a missing record is a 404 first, as before: the header is only judged against a record
    assert client.patch(f"{API}/teams/999999", json={"notes": "a"}, headers={**h, "If-Match": '""'}).status_code == 404
    _etag(client.patch(url, json={"notes": "a"}, headers={**h, "If-Match": 'W/"1", "7"'}), 2)
    stale = client.patch(url, json={"notes": "b"}, headers={**h, "If-Match": '"1"'})
    assert stale.status_code == 412 and stale.headers["ETag"] == '"2"'
    assert stale.json()["current_etag"] == '"2"' and stale.json()["current"]["notes"] == "a"
    _etag(client.patch(url, json={"notes": "c"}, headers={**h, "If-Match": "*"}), 3)
    # optional where the route says so: a transition without If-Match, then with a stale one
    posyandu = client.post(f"{API}/posyandu", json={"region_code": KLEGO, "name": "Posyandu Uji"}, headers=h).json()
    turl = f"{API}/posyandu/{posyandu['id']}/registration/transitions"
    assert client.post(turl, json={"action": "reject", "reason": "x"}, headers={**h, "If-Match": '"9"'}).status_code == 412


def test_an_idempotent_replay_carries_the_same_headers(client, pekalongan):
    headers = {**pekalongan.headers, "Idempotency-Key": "record-headers-1"}
    first = client.post(f"{API}/teams", json={"region_code": "33.75"}, headers=headers)
    again = client.post(f"{API}/teams", json={"region_code": "33.75"}, headers=headers)
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert (again.status_code, again.headers["ETag"], again.headers["Location"]) == (
        first.status_code,
        first.headers["ETag"],
        first.headers["Location"],
    )


def _operations(client) -> dict[str, tuple[str, str, dict[str, Any]]]:
    doc = client.get("/openapi.json").json()
    return {op["operationId"]: (method, path, op) for path, ops in doc["paths"].items() for method, op in ops.items()}


def test_problem_responses_are_derived_from_the_signature(client):
    ops = _operations(client)
    for op_id, (method, path, op) in ops.items():
        statuses = set(op["responses"])
        params = {p["name"] for p in op.get("parameters", [])}
        if op.get("security"):
            assert "401" in statuses, op_id
            if method != "get":
                assert "403" in statuses, op_id
        if "If-Match" in params:
            assert {"412", "422"} <= statuses, op_id
        if "{" in path and path.startswith("/api/") and not op_id.startswith("imports-"):
            assert "404" in statuses, op_id
    for op_id in UPLOAD_LIMITS:
        assert {"413", "415"} <= set(ops[op_id][2]["responses"]), op_id
    # If-Match is required for updates (428 without it), optional for transitions and actions.
    assert "428" in ops["teams-update"][2]["responses"]
    for op_id in ("decrees-transition", "posyandu-transition", "registration-batches-submit", "competitions-finalize"):
        assert "412" in ops[op_id][2]["responses"] and "428" not in ops[op_id][2]["responses"], op_id
    # the domain's own extras stay
    assert "409" in ops["teams-create"][2]["responses"]

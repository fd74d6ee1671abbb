"""The contract tells the truth. If-Match is documented as required exactly where the
route answers 428 without it, and that is where the route takes an `Expected` version; the security
scheme declares both OAuth2 flows the token endpoint serves."""

from __future__ import annotations

from fastapi.routing import APIRoute, iter_route_contexts

from pembina.kit.versioning import expected_version, expected_version_if_sent

API = "/api/v1"


def _calls(dependant):
    yield dependant.call
    for sub in dependant.dependencies:
        yield from _calls(sub)


def _operations(app):
    """(route, the contract's operation) for every documented route of the app."""
    doc = app.openapi()
    by_id = {op["operationId"]: op for ops in doc["paths"].values() for op in ops.values()}
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and route.include_in_schema:
            yield route, by_id[route.operation_id]


def test_if_match_is_required_exactly_where_a_428_is_documented_and_the_route_takes_expected(app):
    seen = {"required": 0, "optional": 0}
    for route, op in _operations(app):
        calls = set(_calls(route.dependant))
        header = [p for p in op.get("parameters", []) if p["in"] == "header" and p["name"] == "If-Match"]
        takes_expected = expected_version in calls
        takes_if_sent = expected_version_if_sent in calls
        assert bool(header) == (takes_expected or takes_if_sent), route.operation_id
        required = bool(header and header[0].get("required"))
        assert required == ("428" in op["responses"]) == takes_expected, route.operation_id
        if header:
            assert "412" in op["responses"], route.operation_id
            # the description says the same as the flag
            assert ("Required" in header[0]["description"]) == required, route.operation_id
            seen["required" if required else "optional"] += 1
    # the contradictions of the issue: transitions and finalize are optional, updates required
    assert seen["required"] >= 15 and seen["optional"] >= 4


def test_a_required_if_match_really_answers_428_and_an_optional_one_never(client, pekalongan, serang):
    # required: an update (PATCH) of a team, a decree, a posyandu
    team = client.post(f"{API}/teams", json={"region_code": "33.75.02.1008"}, headers=pekalongan.headers).json()
    decree = client.post(
        f"{API}/decrees",
        json={"region_code": "33.75.02.1008", "title": "SK TP Posyandu Klego", "team_id": team["id"]},
        headers=pekalongan.headers,
    ).json()
    posyandu = client.post(f"{API}/posyandu", json={"region_code": "33.75.02.1008", "name": "Posyandu Seruni"}, headers=pekalongan.headers)
    assert posyandu.status_code == 201, posyandu.text
    pid = posyandu.json()["id"]
    for url, body in (
        (f"{API}/teams/{team['id']}", {"notes": "x"}),
        (f"{API}/decrees/{decree['id']}", {"title": "SK TP Posyandu Kelurahan Klego"}),
        (f"{API}/posyandu/{pid}", {"name": "Posyandu Seruni 2"}),
    ):
        r = client.patch(url, json=body, headers=pekalongan.headers)
        assert r.status_code == 428 and r.json()["type"] == "/problems/precondition-required", (url, r.text)
        assert client.patch(url, json=body, headers={**pekalongan.headers, "If-Match": '"99"'}).status_code == 412
        assert client.patch(url, json=body, headers={**pekalongan.headers, "If-Match": '"1"'}).status_code == 200

    # optional: a decree transition and a competition's finalize act without If-Match...
    r = client.post(f"{API}/decrees/{decree['id']}/transitions", json={"action": "issue"}, headers=pekalongan.headers)
    assert r.status_code == 201, r.text
    comp = client.post(
        f"{API}/competitions",
        json={
            "region_code": "36.73",
            "title": "Lomba Posyandu",
            "year": 2025,
            "category": "posyandu",
            "criteria": [{"name": "A", "weight": 100}],
        },
        headers=serang.headers,
    ).json()
    sp = client.post(f"{API}/posyandu", json={"region_code": "36.73.03.1014", "name": "Posyandu Anggrek"}, headers=serang.headers).json()[
        "id"
    ]
    entrant = client.post(f"{API}/competitions/{comp['id']}/entrants", json={"posyandu_id": sp}, headers=serang.headers).json()["id"]
    scored = client.put(
        f"{API}/competitions/{comp['id']}/scores",
        json={"scores": [{"entrant_id": entrant, "criterion": "A", "score": 90}]},
        headers=serang.headers,
    )
    assert scored.status_code == 200, scored.text
    # ...and refuse a stale one
    stale = client.post(f"{API}/competitions/{comp['id']}/finalize", json={}, headers={**serang.headers, "If-Match": '"99"'})
    assert stale.status_code == 412
    r = client.post(f"{API}/competitions/{comp['id']}/finalize", json={}, headers=serang.headers)
    assert r.status_code == 200 and r.json()["status"] == "final", r.text
    # a registration transition without If-Match is judged on the posyandu (here: not ready), never a 428
    r = client.post(f"{API}/posyandu/{pid}/registration/transitions", json={"action": "propose"}, headers=pekalongan.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"][0] == "readiness", r.text


def test_security_schemes_declare_the_client_credentials_flow_integrators_use(app, client, accounts):
    doc = app.openapi()
    scheme = doc["components"]["securitySchemes"]["OAuth2PasswordBearer"]
    assert scheme["type"] == "oauth2" and set(scheme["flows"]) == {"password", "clientCredentials"}
    token_url = scheme["flows"]["clientCredentials"]["tokenUrl"]
    assert token_url == scheme["flows"]["password"]["tokenUrl"] and "post" in doc["paths"][token_url]
    # every authenticated operation names the one scheme (with the scopes an API client needs for it)
    secured = [op for ops in doc["paths"].values() for op in ops.values() if op.get("security")]
    assert secured and all(any("OAuth2PasswordBearer" in r for r in op["security"]) for op in secured)
    assert set(scheme["flows"]["clientCredentials"]["scopes"]) >= {"posyandu:read", "accounts:read", "personal-data:read"}
    # and the declared flow works as declared: client credentials at tokenUrl, then a bearer call
    integrator = accounts.client("33.75")
    r = client.post(
        token_url, data={"grant_type": "client_credentials", "client_id": integrator.username, "client_secret": integrator.password}
    )
    assert r.status_code == 200, r.text
    me = client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {r.json()['access_token']}"})
    assert me.status_code == 200 and me.json()["kind"] == "client"

"""Problem details everywhere; the committed contract matches the code; docs work offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pembina.openapi import export

ROOT = Path(__file__).resolve().parents[1]


def test_committed_contract_matches_code():
    committed = (ROOT / "openapi" / "openapi.json").read_text()
    assert committed == export(), "openapi/openapi.json is stale: run `make openapi`"


def test_operation_ids_are_short_and_unique(app):
    ids = [op["operationId"] for p in app.openapi()["paths"].values() for op in p.values()]
    assert len(ids) == len(set(ids))
    assert all(len(i) <= 40 and i == i.lower() and " " not in i for i in ids)


def test_every_operation_documents_its_problems(app):
    for path, ops in app.openapi()["paths"].items():
        for method, op in ops.items():
            if path.startswith("/api/v1") and op["operationId"] not in ("auth-session-delete",):
                assert any(code.startswith("4") for code in op["responses"]), f"{method} {path}"
            assert op.get("summary"), f"{method} {path} has no summary"


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_are_served_without_internet(client, path):
    html = client.get(path).text
    assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html
    assets = [a.split('"')[0] for a in html.split('src="')[1:]] + [a.split('"')[0] for a in html.split('href="')[1:]]
    local = [a for a in assets if a.startswith("/static-offline-docs/")]
    assert local, html
    for asset in local:
        r = client.get(asset)
        assert r.status_code == 200 and len(r.content) > 1000, asset


def test_openapi_json_served(client):
    doc = client.get("/openapi.json").json()
    assert doc["info"]["title"] == "Pembina API"
    assert json.loads(export()) == doc


def test_401_404_405_422_are_problems(client, admin):
    cases = [
        client.get("/api/v1/regions"),  # 401
        client.get("/api/v1/no-such-thing", headers=admin.headers),  # 404
        client.put("/api/v1/regions/33", headers=admin.headers),  # 405
        client.post("/api/v1/users", content=b"{not json", headers={**admin.headers, "Content-Type": "application/json"}),  # 422
        client.get("/api/v1/regions", params={"limit": 0}, headers=admin.headers),  # 422
        client.post("/api/v1/api-clients", json={"name": "x"}, headers={"Authorization": "Bearer nope"}),  # 401
    ]
    assert [r.status_code for r in cases] == [401, 404, 405, 422, 422, 401]
    for r in cases:
        assert r.headers["content-type"] == "application/problem+json"
        body = r.json()
        assert body["type"].startswith("/problems/") and body["status"] == r.status_code and body["title"]
        slug = body["type"].rsplit("/", 1)[1]
        assert client.get(f"/problems/{slug}").json()["status"] == r.status_code
    assert cases[2].headers["allow"] == "GET, HEAD"
    both = client.put("/api/v1/auth/session")
    assert both.status_code == 405 and both.headers["allow"] == "DELETE, POST"


def test_validation_error_lists_fields(client, admin):
    r = client.post("/api/v1/users", json={"username": "A B", "role": "emperor"}, headers=admin.headers)
    assert r.status_code == 422
    locs = {tuple(e["loc"]) for e in r.json()["errors"]}
    assert ("body", "username") in locs and ("body", "role") in locs and ("body", "full_name") in locs


def test_unhandled_error_is_generic_500(app):
    from fastapi.testclient import TestClient

    @app.get("/api/v1/_boom", include_in_schema=False)
    def boom() -> None:
        raise RuntimeError("secret internals")

    try:
        with TestClient(app, raise_server_exceptions=False) as c:
            r = c.get("/api/v1/_boom")
        assert r.status_code == 500
        assert r.headers["content-type"] == "application/problem+json"
        assert "secret internals" not in r.text and "Traceback" not in r.text
        assert r.json()["type"] == "/problems/internal-error"
    finally:
        app.router.routes[:] = [rt for rt in app.router.routes if getattr(rt, "path", "") != "/api/v1/_boom"]


def test_spa_fallback_and_api_404(client):
    assert client.get("/").headers["content-type"].startswith("text/html")
    assert client.get("/wilayah/33.75").headers["content-type"].startswith("text/html")
    assert client.get("/api/v1/nope").headers["content-type"] == "application/problem+json"


def test_health(client):
    assert client.get("/healthz").json() == {"status": "ok"}

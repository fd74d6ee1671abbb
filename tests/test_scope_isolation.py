"""A Kota Pekalongan (33.75) caller never reads nor changes Kota Serang (36.73) data, whatever
the URL. The cases live in tests/isolation/ (one module per domain); an operation of the
contract that no module covers fails `test_every_operation_is_covered`."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pembina.kit.scopes import ALL
from tests.isolation import mentions, modules


def _all_cases(ctx: dict[str, Any]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for m in modules():
        out.update(m.cases(ctx))
    return out


def _self_or_public() -> set[str]:
    return set().union(*(getattr(m, "SELF_OR_PUBLIC", set()) for m in modules()))


@pytest.fixture
def serang_data(client, admin) -> dict[str, Any]:
    ctx: dict[str, Any] = {}
    for m in modules():
        ctx.update(m.arrange(client, admin))
    return ctx


def test_every_operation_is_covered(app):
    ops = {op["operationId"] for path in app.openapi()["paths"].values() for op in path.values()}
    covered = set(_all_cases({})) | _self_or_public()
    assert ops - covered == set(), "add isolation cases (tests/isolation/) for these operations"
    assert covered - ops == set(), "stale isolation cases"


def _state(client, serang, ctx) -> str:
    """What Serang's own coordinator sees of its data: must be unchanged by the attempts."""
    parts = []
    for op, requests in _all_cases(ctx).items():
        for method, url, payload, _ in requests:
            if method == "GET" and "36.73" not in json.dumps(payload or {}) and url.rstrip("/").split("/")[-1].isdigit():
                r = client.get(url, headers=serang.headers)
                parts.append(f"{url} {r.status_code} {r.text}")
    return "\n".join(parts)


@pytest.mark.parametrize("who", ["coordinator", "read_write_client"])
def test_pekalongan_never_sees_or_touches_serang(client, accounts, pekalongan, serang, serang_data, who):
    caller = pekalongan if who == "coordinator" else accounts.client("33.75", scopes=ALL)  # every scope: region scope alone must hold
    before = _state(client, serang, serang_data)
    for op, requests in _all_cases(serang_data).items():
        for method, url, payload, expected in requests:
            headers = {**caller.headers, "If-Match": "*"}
            kwargs: dict[str, Any] = {"params": payload} if method == "GET" else {"json": payload}
            r = client.request(method, url, headers=headers, **kwargs)
            allowed = set(expected) | ({403} if who == "read_write_client" and method != "GET" else set())
            assert r.status_code in allowed, f"{op} {method} {url}: {r.status_code} {r.text[:200]}"
            if r.status_code == 200:
                assert not mentions(r.text, "36.73"), f"{op} leaked Serang data: {r.text[:300]}"
            if r.status_code >= 400:
                assert r.headers["content-type"] == "application/problem+json"
    assert _state(client, serang, serang_data) == before


def test_serang_sees_its_own(client, serang, serang_data):
    r = client.get(f"/api/v1/users/{serang_data['serang_user_id']}", headers=serang.headers)
    assert r.status_code == 200
    events = client.get("/api/v1/audit-events", headers=serang.headers).json()
    assert events["total"] >= 2
    assert all(e["region_code"].startswith("36.73") for e in events["items"])
    assert not mentions(json.dumps(events), "33.75")

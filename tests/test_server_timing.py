"""Every response says how long the application took (`Server-Timing: app;dur=<ms>`): successes,
problems and the health probe alike, so a benchmark or a browser's developer tools can tell the
server's own time from the network's."""

from __future__ import annotations

import re
from typing import Any

import pytest

TIMING = re.compile(r"^app;dur=(\d+\.\d{2})$")


def _duration(response: Any) -> float:
    header = response.headers.get("server-timing")
    assert header is not None, dict(response.headers)
    m = TIMING.match(header)
    assert m, header
    return float(m.group(1))


@pytest.mark.parametrize(
    ("path", "status"), [("/healthz", 200), ("/openapi.json", 200), ("/api/v1/no-such-thing", 404), ("/api/v1/posyandu", 401)]
)
def test_every_response_carries_the_app_time(client: Any, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert 0 <= _duration(response) < 10_000


def test_one_header_even_when_an_error_handler_answers(client: Any) -> None:
    response = client.post("/api/v1/auth/token", content=b"{", headers={"Content-Type": "application/json"})
    assert response.status_code >= 400
    assert len(response.headers.get_list("server-timing")) == 1
    _duration(response)

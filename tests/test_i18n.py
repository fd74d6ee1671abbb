"""Problem details in the caller's language: Indonesian by default, English on `Accept-Language: en`.

Titles, details and every `errors[].msg` are worded in that language; a validation message names
its limits ("minimal 1 karakter") and never shows a pattern. (The rest of the suite asks for
English: its client sends `Accept-Language: en`.)
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from pembina.kit.errors import CATALOGUE
from pembina.kit.i18n import negotiate

pytestmark = pytest.mark.db

#: What only English (or Pydantic's English) says; none of it may reach an Indonesian reader.
ENGLISH = re.compile(
    r"\b(String should|Input should|Field required|should have|Value error|does not exist|not found|must be|is not|"
    r"invalid field|is required|at least|at most|outside your region|Send |Unsupported)\b",
    re.IGNORECASE,
)
#: Regular-expression syntax: a pattern is never shown to anyone.
PATTERN = re.compile(r"\^|\$'|\\d|\[a-z|\(\?|\{2,")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "id"),
        ("", "id"),
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("id-ID,id;q=0.9,en;q=0.8", "id"),
        ("in", "id"),
        ("fr, en;q=0.5", "en"),
        ("fr-FR", "id"),
        ("*", "id"),
        ("en;q=0", "id"),
        ("id;q=0.2, en;q=0.8", "en"),
        ("en;q=0.5, id;q=0.5", "en"),
        ("xx;q=abc, en;q=nonsense", "id"),
        ("," * 5000, "id"),
    ],
)
def test_the_language_is_negotiated_from_accept_language(header: str | None, expected: str) -> None:
    assert negotiate(header) == expected


def _bad_requests(client: Any, admin: Any, language: str | None) -> dict[str, Any]:
    """One request for each kind of refusal, in `language` (None: no Accept-Language at all)."""
    client.headers.pop("Accept-Language", None)
    h = {"Accept-Language": language} if language else {}
    auth = {**admin.headers, **h}
    return {
        "401": client.get("/api/v1/regions", headers=h),
        "404 route": client.get("/api/v1/no-such-thing", headers=auth),
        "404 region": client.get("/api/v1/regions/99.99", headers=auth),
        "404 record": client.get("/api/v1/teams/2000000000", headers=auth),
        "405": client.put("/api/v1/regions/33", headers=auth),
        "422 body": client.post("/api/v1/users", json={"username": "A B", "role": "emperor", "email": "nope"}, headers=auth),
        "422 json": client.post("/api/v1/users", content=b"{not json", headers={**auth, "Content-Type": "application/json"}),
        "422 query": client.get("/api/v1/teams", params={"region": "abc", "limit": 0, "sort": "nope"}, headers=auth),
        "422 login": client.post(
            "/api/v1/auth/session", json={"username": "", "password": "x"}, headers={**h, "Origin": "http://testserver"}
        ),
        "422 rule": client.post(
            "/api/v1/pilot-sites", json={"posyandu_id": 1, "start_date": "2025-02-01", "end_date": "2025-01-01"}, headers=auth
        ),
    }


def _texts(body: dict[str, Any]) -> list[str]:
    return [body["title"], body.get("detail") or ""] + [e["msg"] for e in body.get("errors") or []]


@pytest.mark.parametrize("language", [None, "id", "id-ID,en;q=0.5"])
def test_problems_are_in_indonesian_by_default_and_on_request(client, admin, language) -> None:
    for name, r in _bad_requests(client, admin, language).items():
        body = r.json()
        assert r.headers["content-type"] == "application/problem+json", name
        assert r.headers["content-language"] == "id", name
        assert "accept-language" in r.headers["vary"].lower(), name
        slug = body["type"].rsplit("/", 1)[1]
        assert body["title"] != CATALOGUE[slug][1], (name, body["title"])
        for text in _texts(body):
            assert not ENGLISH.search(text), (name, text)
            assert not PATTERN.search(text), (name, text)


def test_problems_are_in_english_when_asked(client, admin) -> None:
    for name, r in _bad_requests(client, admin, "en-GB,en;q=0.9,id;q=0.1").items():
        body = r.json()
        assert r.headers["content-language"] == "en", name
        slug = body["type"].rsplit("/", 1)[1]
        assert body["title"] == CATALOGUE[slug][1], name
        for text in _texts(body):
            assert not PATTERN.search(text), (name, text)
            assert not re.search(r"\b(harus|wajib|tidak|minimal|maksimal|wilayah)\b", text, re.IGNORECASE), (name, text)


def test_validation_messages_name_their_limits_in_words(client, admin) -> None:
    client.headers.pop("Accept-Language", None)
    r = client.post("/api/v1/auth/session", json={"username": "", "password": "x"}, headers={"Origin": "http://testserver"})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"loc": ["body", "username"], "msg": "minimal 1 karakter", "type": "string_too_short"}]
    assert r.json()["detail"] == "1 isian tidak valid: body.username: minimal 1 karakter"

    r = client.get("/api/v1/teams", params={"region": "abc", "limit": 0}, headers={**admin.headers, "Accept-Language": "en"})
    msgs = {e["loc"][-1]: e["msg"] for e in r.json()["errors"]}
    assert msgs == {
        "region": "must be a Kemendagri region code such as 33, 33.75, 33.75.02 or 33.75.02.1008",
        "limit": "must be at least 1",
    }

    r = client.post("/api/v1/users", json={"username": "A B", "role": "emperor"}, headers=admin.headers)
    msgs = {e["loc"][-1]: e["msg"] for e in r.json()["errors"]}
    assert msgs["username"].startswith("harus berupa 3 sampai 64 huruf kecil")
    assert msgs["role"].startswith("harus salah satu dari 'national_admin'") and " atau " in msgs["role"]
    assert msgs["full_name"] == "wajib diisi"


def test_a_rule_of_the_domain_speaks_the_callers_language(client, admin) -> None:
    id_ = client.get("/api/v1/regions/99.99", headers={**admin.headers, "Accept-Language": "id"}).json()
    en = client.get("/api/v1/regions/99.99", headers={**admin.headers, "Accept-Language": "en"}).json()
    assert (id_["title"], id_["detail"]) == ("Tidak ditemukan", "Wilayah 99.99 tidak ada.")
    assert (en["title"], en["detail"]) == ("Not found", "Region 99.99 does not exist.")
    id_ = client.post(
        "/api/v1/pilot-sites",
        json={"posyandu_id": 1, "start_date": "2025-02-01", "end_date": "2025-01-01"},
        headers={**admin.headers, "Accept-Language": "id"},
    ).json()
    assert id_["errors"][0]["msg"] == "end_date sebelum start_date"


def test_the_problem_catalogue_is_served_in_both_languages(client) -> None:
    client.headers.pop("Accept-Language", None)
    assert client.get("/problems/not-found").json()["title"] == "Tidak ditemukan"
    en = client.get("/problems/not-found", headers={"Accept-Language": "en"}).json()
    assert (en["title"], en["detail"]) == ("Not found", "No such resource within your region.")
    missing = client.get("/problems/nope")
    assert missing.status_code == 404 and missing.json()["detail"] == "Tidak ada jenis masalah 'nope'."

"""Cursor (keyset) pagination beside offset: walking a list by `next_cursor` and back by
`prev_cursor` under several sorts (a nullable column, descending, ties) gives exactly the offset
pages; a tampered, foreign or re-sorted cursor and `offset` with `cursor` are 422 problems in both
languages; `offset` stops at the documented ceiling."""

from __future__ import annotations

import base64
import json

import pytest

from pembina.kit.pagination import MAX_OFFSET
from pembina.posyandu.models import Posyandu

URL = "/api/v1/posyandu"
KLEGO = "33.75.02.1008"
BENDAN_KERGON = "33.75.01.1006"
ROWS = 230
LIMIT = 37


@pytest.fixture
def many(db, pekalongan):
    """ROWS posyandu in two villages: names repeat (ties broken by id), a third have no
    registration number (NULLs), kader counts repeat."""
    for i in range(ROWS):
        db.add(
            Posyandu(
                region_code=KLEGO if i % 3 else BENDAN_KERGON,
                name=f"Posyandu {i % 40:02d}",
                registration_number=None if i % 3 == 0 else f"REG-{(i * 7919) % 1000:04d}-{i}",
                kader_count=i % 5,
            )
        )
    db.flush()
    return pekalongan


def get(client, who, **params):
    # a filter beyond region and status: the total is counted (rows inserted here skip the counters)
    r = client.get(URL, params={"active": "true", **params}, headers=who.headers)
    assert r.status_code == 200, r.text
    return r.json()


def by_offset(client, who, sort):
    ids, offset = [], 0
    while True:
        page = get(client, who, limit=LIMIT, offset=offset, **({"sort": sort} if sort else {}))
        ids += [p["id"] for p in page["items"]]
        offset += LIMIT
        if offset >= page["total"]:
            return ids


@pytest.mark.parametrize("sort", [None, "name", "-name", "registration_number", "-registration_number", "-kader_count", "created_at"])
def test_cursor_walk_equals_offset_pages(client, many, sort):
    who = many
    expected = by_offset(client, who, sort)
    assert len(expected) == ROWS and len(set(expected)) == ROWS
    s = {"sort": sort} if sort else {}
    first = get(client, who, limit=LIMIT, **s)
    assert first["prev_cursor"] is None and first["offset"] == 0
    pages = [first]
    while pages[-1]["next_cursor"]:
        page = get(client, who, limit=LIMIT, cursor=pages[-1]["next_cursor"], **s)
        assert page["offset"] is None and page["total"] == first["total"]
        pages.append(page)
    assert len(pages) == -(-ROWS // LIMIT)
    walked = [p["id"] for page in pages for p in page["items"]]
    assert walked == expected
    # and back: each prev_cursor gives the page before, the first page's has none
    back = [pages[-1]]
    while back[-1]["prev_cursor"]:
        back.append(get(client, who, limit=LIMIT, cursor=back[-1]["prev_cursor"], **s))
    assert [[p["id"] for p in page["items"]] for page in reversed(back)] == [[p["id"] for p in page["items"]] for page in pages]
    assert back[-1]["prev_cursor"] is None and back[-1]["next_cursor"] == pages[0]["next_cursor"]


def test_cursor_from_an_offset_page(client, many):
    """An offset page's cursors continue from it in both directions."""
    who = many
    expected = by_offset(client, who, "-registration_number")
    mid = get(client, who, limit=LIMIT, offset=LIMIT * 2, sort="-registration_number")
    after = get(client, who, limit=LIMIT, cursor=mid["next_cursor"], sort="-registration_number")
    before = get(client, who, limit=LIMIT, cursor=mid["prev_cursor"], sort="-registration_number")
    assert [p["id"] for p in after["items"]] == expected[LIMIT * 3 : LIMIT * 4]
    assert [p["id"] for p in before["items"]] == expected[LIMIT : LIMIT * 2]


def problem(client, who, lang="en", **params):
    r = client.get(URL, params=params, headers={**who.headers, "Accept-Language": lang})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return r.json()


def test_bad_cursors_are_422_in_both_languages(client, many, admin):
    who = many
    cursor = get(client, who, limit=LIMIT, sort="name")["next_cursor"]
    data, mac = cursor.split(".")
    body = json.loads(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    body["v"][0] = "Posyandu 99"
    forged = base64.urlsafe_b64encode(json.dumps(body).encode()).rstrip(b"=").decode() + "." + mac
    for bad in [forged, cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB"), "not-a-cursor", "x.y", "", "é"]:
        if bad == "":
            continue  # an empty cursor is no cursor
        p = problem(client, who, sort="name", cursor=bad)
        assert p["errors"][0]["loc"] == ["query", "cursor"]
    assert "cursor" in problem(client, who, "id", sort="name", cursor=forged)["errors"][0]["msg"]
    # another sort, the default sort, another list's cursor
    problem(client, who, sort="-name", cursor=cursor)
    problem(client, who, cursor=cursor)
    teams = client.get("/api/v1/teams", params={"limit": 1}, headers=admin.headers).json()
    if teams["next_cursor"]:
        problem(client, who, cursor=teams["next_cursor"])
    team_page = client.get("/api/v1/teams", params={"cursor": cursor}, headers=admin.headers)
    assert team_page.status_code == 422
    # offset and cursor together
    p = problem(client, who, sort="name", cursor=cursor, offset=5)
    assert p["errors"][0]["loc"] == ["query", "offset"]


def test_offset_ceiling(client, many):
    who = many
    assert get(client, who, offset=MAX_OFFSET)["items"] == []
    en = problem(client, who, offset=MAX_OFFSET + 1)
    idn = problem(client, who, "id", offset=MAX_OFFSET + 1)
    assert en["errors"][0]["loc"] == ["query", "offset"] and "cursor" in en["errors"][0]["msg"] and "10,000" in en["errors"][0]["msg"]
    assert idn["errors"][0]["msg"] != en["errors"][0]["msg"] and "cursor" in idn["errors"][0]["msg"]


def test_other_lists_page_by_cursor(client, admin):
    """Every list paged by the kit gets cursors: the national regions (90,000 rows, a string
    tiebreak) walked a few pages deep match their offset pages."""
    pages = [client.get("/api/v1/regions", params={"limit": 100, "level": "village"}, headers=admin.headers).json()]
    for _ in range(3):
        pages.append(
            client.get(
                "/api/v1/regions", params={"limit": 100, "level": "village", "cursor": pages[-1]["next_cursor"]}, headers=admin.headers
            ).json()
        )
    walked = [r["code"] for page in pages for r in page["items"]]
    deep = client.get("/api/v1/regions", params={"limit": 400, "level": "village"}, headers=admin.headers).json()
    assert walked == [r["code"] for r in deep["items"]]


def walk(client, who, url, limit, **params):
    """The ids of a list by offset, by cursor forwards, and by cursor backwards from the last page."""
    by_offset, offset = [], 0
    while True:
        page = client.get(url, params={"limit": limit, "offset": offset, **params}, headers=who.headers).json()
        by_offset += [r["id"] for r in page["items"]]
        offset += limit
        if offset >= page["total"]:
            break
    pages = [client.get(url, params={"limit": limit, **params}, headers=who.headers).json()]
    while pages[-1]["next_cursor"]:
        pages.append(client.get(url, params={"limit": limit, "cursor": pages[-1]["next_cursor"], **params}, headers=who.headers).json())
    back = [pages[-1]]
    while back[-1]["prev_cursor"]:
        back.append(client.get(url, params={"limit": limit, "cursor": back[-1]["prev_cursor"], **params}, headers=who.headers).json())
    forwards = [r["id"] for p in pages for r in p["items"]]
    backwards = [r["id"] for p in reversed(back) for r in p["items"]]
    return by_offset, forwards, backwards


def test_audit_events_newest_first_by_cursor(client, pekalongan, admin):
    """The audit events list (default `-id`, the tiebreak itself) and a datetime sort."""
    for i in range(25):
        r = client.post(URL, json={"region_code": KLEGO, "name": f"Posyandu Audit {i}"}, headers=pekalongan.headers)
        assert r.status_code == 201, r.text
    for params in ({}, {"sort": "-occurred_at"}, {"sort": "id"}):
        by_offset, forwards, backwards = walk(client, admin, "/api/v1/audit-events", 4, entity_type="posyandu", **params)
        assert len(by_offset) >= 25 and forwards == by_offset and backwards == by_offset
        if not params:
            assert by_offset == sorted(by_offset, reverse=True)


def test_offset_only_lists_keep_deep_offsets(client, admin):
    """A list without cursors (the follow-ups) has no ceiling: nothing else reaches its deep pages."""
    r = client.get("/api/v1/follow-ups", params={"offset": MAX_OFFSET + 1}, headers=admin.headers)
    assert r.status_code == 200, r.text
    assert r.json()["items"] == [] and "next_cursor" in r.json() and r.json()["next_cursor"] is None

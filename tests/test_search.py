"""Text search (`kit.search`): posyandu, teams, decrees, meetings and regions find the same rows,
in the same order, on SQLite (FTS5 trigram index, LIKE for 1-2 characters) and PostgreSQL
(pg_trgm GIN index): case- and accent-insensitive, `%` and `_` literal, whitespace collapsed,
never across two searched columns.

Every backend's answers are compared with one reference computed in Python from the records the
test wrote (the same for both databases, so the two databases agree with each other), and the
key cases are spelled out by hand too. The sort key of every record starts with a two-digit
ordinal, so that the order is the same under any collation."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from pembina.kit import pagination, search
from pembina.kit.roles import Role
from pembina.regions.models import Region

API = "/api/v1"
KOTA = "33.75"  # Kota Pekalongan
VILLAGES = ["33.75.02.1008", "33.75.01.1006", "33.75.02.1007"]

#: (name, address): the searched columns the test writes (registration numbers come later, by transition)
POSYANDU = [
    ("01 Posyandu Séruni", "Jl. Mawar No. 5"),
    ("02 POSYANDU SERUNI II", None),
    ("03 Posyandu Melati", "RT 50% dekat masjid"),
    ("04 Posyandu a_b", 'Gang "Kenanga" \\ 2'),
    ("05 Posyandu Ñusa Indah", "Jalan   Mawar\tRaya"),
    ("06 Posyandu Straße", None),
    ("07 Posyandu ﬁlter", "Kp. Seruni"),
    ("08 Posyandu axb", "RT 500 dekat masjid"),
]
QUERIES = [
    "séruni",
    "SERUNI",
    "Seruni",
    "  seruni  ",
    "SÉRÚNÎ",
    "posyandu seruni",
    "posyandu  séruni ii",
    "seruni jl",  # the name's end and the address's start: never across two columns
    "50%",
    "a_b",
    "%",
    "_",
    "\\",
    '"kenanga"',
    "jalan mawar raya",
    "strasse",
    "STRASSE",
    "fil",
    "ñusa",
    "NUSA",
    "ru",
    "i",
    "ii",
    "mawar",
    "zzz",
]


def _oracle(records, q):
    needle = search.normalise(q)
    return [i for i, fields in enumerate(records) if needle in search.compose(*fields)]


def _ids(client, who, url, q, **params):
    r = client.get(url, params={"q": q, "limit": 500, **params}, headers=who.headers)
    assert r.status_code == 200, (q, r.text)
    body = r.json()
    assert body["total"] == len(body["items"])
    return [item["id"] for item in body["items"]]


def _check(client, who, url, ids, records, sort, **params):
    """Every query: the rows the reference finds, in the list's order (the records' order)."""
    for q in QUERIES:
        assert _ids(client, who, url, q, sort=sort, **params) == [ids[i] for i in _oracle(records, q)], q


@pytest.fixture
def kota(accounts):
    return accounts.user(Role.regency_coordinator, KOTA, username="search-pekalongan")


def _posyandu(client, who):
    ids = []
    for i, (name, address) in enumerate(POSYANDU):
        body = {"region_code": VILLAGES[i % len(VILLAGES)], "name": name, **({"address": address} if address else {})}
        r = client.post(f"{API}/posyandu", json=body, headers=who.headers)
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    return ids


def test_posyandu_search_is_case_accent_and_wildcard_insensitive(client, kota):
    ids = _posyandu(client, kota)
    url = f"{API}/posyandu"
    got = lambda q: _ids(client, kota, url, q, sort="name")  # noqa: E731
    # spelled out: what the reference says, by hand
    assert got("séruni") == got("SERUNI") == got("Seruni") == got("  seruni ") == [ids[0], ids[1], ids[6]]
    assert got("posyandu seruni") == [ids[0], ids[1]]
    assert got("seruni jl") == []
    assert got("50%") == [ids[2]]  # not "500"
    assert got("a_b") == [ids[3]]  # not "axb"
    assert got("strasse") == [ids[5]] and got("ﬁl") == got("fil") == [ids[6]]
    assert got("nusa") == [ids[4]] and got("jalan mawar raya") == [ids[4]]
    assert got("ru") == [ids[0], ids[1], ids[6]]  # two characters: a scan on SQLite, the same rows
    assert got('"kenanga" \\') == [ids[3]]
    _check(client, kota, url, ids, POSYANDU, "name")
    # the default order (village, then name) holds with a search too
    by_village = sorted(range(len(POSYANDU)), key=lambda i: (VILLAGES[i % len(VILLAGES)], POSYANDU[i][0]))
    assert _ids(client, kota, url, "posyandu") == [ids[i] for i in by_village]


def test_posyandu_search_follows_every_write(client, kota, db):
    ids = _posyandu(client, kota)
    url = f"{API}/posyandu"
    r = client.patch(f"{url}/{ids[2]}", json={"name": "03 Posyandu Kenari"}, headers={**kota.headers, "If-Match": '"1"'})
    assert r.status_code == 200, r.text
    assert _ids(client, kota, url, "melati") == [] and _ids(client, kota, url, "kenari") == [ids[2]]
    r = client.patch(f"{url}/{ids[2]}", json={"address": "Jl. Kenanga Ungu"}, headers={**kota.headers, "If-Match": '"2"'})
    assert r.status_code == 200, r.text
    assert _ids(client, kota, url, "50%") == [] and _ids(client, kota, url, "kenanga ungu") == [ids[2]]
    assert _ids(client, kota, url, "kenari") == [ids[2]]  # the name is still there
    # a set-based write that refreshes the search text (imports' registered rows, privacy scrubs)
    from pembina.posyandu.models import Posyandu

    db.execute(text("UPDATE posyandu SET registration_number = 'REG/33.75/Ü-0001' WHERE id = :id"), {"id": ids[4]})
    assert _ids(client, kota, url, "reg/33.75/u") == []
    assert search.refresh(db, Posyandu, Posyandu.id == ids[4]) == 1
    db.commit()
    assert _ids(client, kota, url, "reg/33.75/u-0001") == [ids[4]]
    assert client.delete(f"{url}/{ids[0]}", headers={**kota.headers, "If-Match": '"1"'}).status_code == 204
    assert _ids(client, kota, url, "seruni") == [ids[1], ids[6]]


def test_teams_decrees_and_meetings_search(client, kota):
    regions = [KOTA, "33.75.01", "33.75.02", "33.75.03", "33.75.04", *VILLAGES]
    team_ids = []
    for i, (name, _) in enumerate(POSYANDU):
        r = client.post(f"{API}/teams", json={"region_code": regions[i], "name": name.replace("Posyandu", "TP")}, headers=kota.headers)
        assert r.status_code == 201, r.text
        team_ids.append(r.json()["id"])
    teams = [(name.replace("Posyandu", "TP"),) for name, _ in POSYANDU]
    _check(client, kota, f"{API}/teams", team_ids, teams, "name")

    decrees, decree_ids = [], []
    for i, (name, address) in enumerate(POSYANDU):
        title, number = name.replace("Posyandu", "SK Pembentukan"), address
        body = {"region_code": VILLAGES[i % len(VILLAGES)], "title": title, **({"number": number} if number else {})}
        r = client.post(f"{API}/decrees", json=body, headers=kota.headers)
        assert r.status_code == 201, r.text
        decree_ids.append(r.json()["id"])
        decrees.append((title, number))
    _check(client, kota, f"{API}/decrees", decree_ids, decrees, "title")

    meetings, meeting_ids = [], []
    for i, (name, address) in enumerate(POSYANDU):
        title = name.replace("Posyandu", "Rakor")
        body = {"region_code": KOTA, "title": title, "held_on": "2026-03-01", **({"venue": address} if address else {})}
        r = client.post(f"{API}/meetings", json=body, headers=kota.headers)
        assert r.status_code == 201, r.text
        meeting_ids.append(r.json()["id"])
        meetings.append((title, address))
    _check(client, kota, f"{API}/meetings", meeting_ids, meetings, "title")


@pytest.mark.parametrize("q", ["pekalongan", "PEKALONGAN", "Pékalongan", "kota pekalongan", "utara", "ban", "ta", "e", "jaya", "%", "_"])
def test_regions_search_matches_the_reference_nationally(client, admin, db, q):
    regions = db.execute(select(Region.code, Region.name).order_by(Region.code)).all()
    needle = search.normalise(q)
    expected = [code for code, name in regions if needle in search.normalise(name)]
    r = client.get(f"{API}/regions", params={"q": q, "sort": "code", "limit": 100}, headers=admin.headers)
    assert r.status_code == 200, r.text
    # a search counts its matches up to SEARCH_COUNT_LIMIT, and says when there are more
    capped = len(expected) > pagination.SEARCH_COUNT_LIMIT
    assert (r.json()["total"], r.json()["total_capped"]) == (min(len(expected), pagination.SEARCH_COUNT_LIMIT), capped)
    assert [i["code"] for i in r.json()["items"]] == expected[:100]
    if capped:  # every match is still reachable, page after page
        seen, cursor = [], None
        while True:
            page = client.get(
                f"{API}/regions",
                params={"q": q, "sort": "code", "limit": 500, **({"cursor": cursor} if cursor else {})},
                headers=admin.headers,
            ).json()
            seen += [i["code"] for i in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert seen == expected


def test_regions_stored_search_text_is_normalised(db):
    """The loader writes the normalised name (what migration 0026 backfills)."""
    rows = db.execute(select(Region.name, Region.name_search).limit(2000)).all()
    assert rows and all(s == search.normalise(n) for n, s in rows)


def test_normalise_and_patterns():
    assert search.normalise("  Séruni\u00a0 II\n") == "seruni ii"
    assert search.normalise("ŞÊRÙŃÎ") == "seruni" and search.normalise("Straße") == "strasse" and search.normalise("ﬁ") == "fi"
    assert search.normalise(None) == "" and search.compose("A", None, "b") == "a\n\nb"
    assert search.like_pattern("50%_a\\") == "%50\\%\\_a\\\\%"
    assert search.fts_phrase('say "hi"') == '"say ""hi"""'


def test_erasing_a_person_rewrites_the_search_text_too(client, db, admin):
    """A record whose searched text names an erased person is found by the pseudonym, never by
    the name (the privacy scrub's plain UPDATE recomputes the search text)."""
    from pembina.privacy import MEMBER_PSEUDONYM, erase_person

    team = client.post(f"{API}/teams", json={"region_code": VILLAGES[0]}, headers=admin.headers).json()
    member = client.post(f"{API}/teams/{team['id']}/members", json={"position": "ketua", "name": "Rina Hapus Uji"}, headers=admin.headers)
    assert member.status_code == 201, member.text
    body = {"region_code": KOTA, "title": "Rakor bersama Rina Hapus Uji", "held_on": "2026-03-01", "venue": "Balai RW 3"}
    meeting = client.post(f"{API}/meetings", json=body, headers=admin.headers).json()
    url = f"{API}/meetings"
    assert _ids(client, admin, url, "hapus uji") == [meeting["id"]]
    erase_person(db, member=member.json()["id"])
    db.flush()
    assert _ids(client, admin, url, "hapus uji") == [] and _ids(client, admin, url, "RINA") == []
    assert _ids(client, admin, url, MEMBER_PSEUDONYM.upper()) == [meeting["id"]] and _ids(client, admin, url, "balai rw") == [meeting["id"]]


def test_imported_posyandu_are_found_and_follow_a_changed_address(client, db, kota):
    """The bulk import (staging table, set-based INSERT and UPDATE) writes the search text too; a
    registered posyandu keeps its number searchable when a file changes its address."""
    from sqlalchemy import update

    from pembina.posyandu.models import Posyandu

    def load(*lines):
        content = ("\n".join(["region_code,name,address", *lines]) + "\n").encode()
        files = {"file": ("data.csv", content, "application/octet-stream")}
        r = client.post(f"{API}/imports/posyandu", params={"mode": "commit"}, files=files, headers=kota.headers)
        assert r.status_code == 200, r.text
        return r.json()

    got = lambda q: _ids(client, kota, f"{API}/posyandu", q, sort="name")  # noqa: E731
    assert load(f"{VILLAGES[0]},01 Posyandu Séruni Impor,Jl. Cempaka", f"{VILLAGES[1]},02 Posyandu Dahlia Impor,")["created"] == 2
    ids = got("impor")
    assert len(ids) == 2 and got("SERUNI IMPOR") == [ids[0]] and got("cempaka") == [ids[0]]
    db.execute(update(Posyandu).where(Posyandu.id == ids[1]).values(registration_number="REG-IMPOR-7"))
    search.refresh(db, Posyandu, Posyandu.id == ids[1])
    db.commit()
    assert got("reg-impor-7") == [ids[1]]
    assert load(f"{VILLAGES[0]},01 Posyandu Séruni Impor,Jl. Kenari", f"{VILLAGES[1]},02 Posyandu Dahlia Impor,Gang Ñusa")["updated"] == 2
    assert got("cempaka") == [] and got("kenari") == [ids[0]] and got("gang nusa") == [ids[1]] and got("reg-impor-7") == [ids[1]]


def test_an_export_of_a_search_holds_every_match(client, admin, db):
    """The list's count of a search stops at SEARCH_COUNT_LIMIT; its export still holds every row."""
    needle = search.normalise("ban")
    expected = sum(1 for (name,) in db.execute(select(Region.name)) if needle in search.normalise(name))
    assert pagination.SEARCH_COUNT_LIMIT < expected < 50_000  # 3,600 villages and more: capped in the list, not in the export
    listed = client.get(f"{API}/regions", params={"q": "ban", "limit": 1}, headers=admin.headers).json()
    assert (listed["total"], listed["total_capped"]) == (pagination.SEARCH_COUNT_LIMIT, True)
    r = client.get(f"{API}/exports/regions", params={"format": "csv", "q": "ban"}, headers=admin.headers)
    assert r.status_code == 200, r.text
    assert len(r.text.strip().splitlines()) == expected + 1  # the header row and every match


def test_rare_runs_and_trigrams():
    common = frozenset({"sin", "int", "nte", "tet", "eti", "tis", "000"})
    assert search.trigrams("[sintetis] pos-ya 12") == {"sin", "int", "nte", "tet", "eti", "tis", "pos"}
    assert search.rare_runs("sintetis-00012", common) == ["0012"]
    assert search.rare_runs("sintetis", common) == []
    assert search.rare_runs("seruni sintetis", common) == ["seruni"]
    assert search.rare_runs("xsintetisy", common) == ["xsi", "isy"]  # the ends, whose one trigram each is rare
    assert search.rare_runs("ab", common) == []


def test_posyandu_search_when_most_rows_share_a_word(client, kota, db, monkeypatch):
    """A word in most rows ("posyandu") has trigrams whose index entries list most of the table.
    On PostgreSQL the index is then asked for the needle's rare runs only, and the whole needle
    is checked on the rows found: the same rows as ever, on both databases."""
    from pembina.posyandu.models import Posyandu

    monkeypatch.setattr(search, "SMALL_TABLE", 0)  # sample even this small table
    monkeypatch.setattr(search, "COMMON_SHARE", 0.5)
    monkeypatch.setattr(search, "_common", {})
    ids = _posyandu(client, kota)
    _check(client, kota, f"{API}/posyandu", ids, POSYANDU, "name")
    if db.get_bind().dialect.name == "postgresql":
        assert {"pos", "osy", "sya", "yan", "and", "ndu"} <= search.common_trigrams(db, search.spec_of(Posyandu))
        sql = str(search.matches(db, Posyandu, "Posyandu Séruni").compile(compile_kwargs={"literal_binds": True}))
        assert "LIKE '%seruni%'" in sql and "|| '') LIKE '%posyandu seruni%'" in sql, sql
        assert "LIKE '%mawar%'" in str(search.matches(db, Posyandu, "mawar").compile(compile_kwargs={"literal_binds": True}))

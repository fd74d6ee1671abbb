"""Chasing what is late: phone numbers (normalised to +62), a late region's chase sheet (team, SK,
days late at a fixed clock, contacts and WhatsApp links only for those the policy lets see them),
"Perlu tindakan" per role, and the paged list of regions that have not reported, by kab/kota."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import update

from pembina.kit import clock
from pembina.kit.roles import ClientScope, Role
from pembina.kit.scopes import DOMAIN_READ, Scope
from pembina.posyandu.models import Posyandu

API = "/api/v1"
KLEGO = "33.75.02.1008"
PONCOL = "33.75.02.1009"
#: 10:00 WIB on 15 July 2026 (03:00 UTC): 15 days after a 30 June deadline.
JULY_15 = datetime(2026, 7, 15, 3, 0, tzinfo=UTC)


def _ok(r, code=200):
    assert r.status_code == code, r.text
    return r.json()


def _team(client, who, code, **body):
    return _ok(client.post(f"{API}/teams", json={"region_code": code, **body}, headers=who.headers), 201)


def _member(client, who, team_id, **body):
    return client.post(f"{API}/teams/{team_id}/members", json={"position": "ketua", "name": "Siti Aminah", **body}, headers=who.headers)


def _deadline(client, who, code, year, due):
    _ok(client.post(f"{API}/reporting-deadlines", json={"region_code": code, "year": year, "due_date": due}, headers=who.headers), 201)


# -- phone numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "(0812) 3456.7890"])
def test_phone_numbers_are_stored_in_e164(client, pekalongan, written):
    r = client.post(
        f"{API}/users",
        json={
            "username": "operator-klego",
            "full_name": "Operator Klego",
            "role": "village_operator",
            "region_code": KLEGO,
            "phone": written,
        },
        headers=pekalongan.headers,
    )
    assert _ok(r, 201)["phone"] == "+6281234567890"
    team = _team(client, pekalongan, KLEGO)
    assert _ok(_member(client, pekalongan, team["id"], phone=written), 201)["phone"] == "+6281234567890"


@pytest.mark.parametrize("bad", ["0812", "+1 202 555 0100", "nomor saya", "0812-3456-7890-1234-5678", "x" * 40])
def test_phone_numbers_that_are_not_indonesian_are_a_422(client, pekalongan, bad):
    team = _team(client, pekalongan, KLEGO)
    r = _member(client, pekalongan, team["id"], phone=bad)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["errors"][0]["loc"][-1] == "phone"
    user = _ok(client.get(f"{API}/auth/me", headers=pekalongan.headers))
    r = client.patch(f"{API}/users/{user['id']}", json={"phone": bad}, headers={**pekalongan.headers, "If-Match": "*"})
    assert r.status_code == 422 and r.json()["errors"][0]["loc"][-1] == "phone"


def test_phones_change_and_clear_on_update(client, pekalongan):
    team = _team(client, pekalongan, KLEGO)
    m = _ok(_member(client, pekalongan, team["id"]), 201)
    url = f"{API}/teams/{team['id']}/members/{m['id']}"
    assert _ok(client.patch(url, json={"phone": "0285 421093"}, headers={**pekalongan.headers, "If-Match": "*"}))["phone"] == "+62285421093"
    assert _ok(client.patch(url, json={"phone": None}, headers={**pekalongan.headers, "If-Match": "*"}))["phone"] is None


# -- the chase sheet -------------------------------------------------------------------------------


def _late_klego(client, pekalongan, accounts, db):
    """Klego: a TP Posyandu with a chair, an issued (unreported) SK, a 30 June 2026 city deadline,
    and its operator with a phone and an e-mail."""
    _deadline(client, pekalongan, "33.75", 2026, "2026-06-30")
    team = _team(client, pekalongan, KLEGO)
    _ok(_member(client, pekalongan, team["id"], phone="0812-3456-7890", institution="Kelurahan Klego"), 201)
    _ok(_member(client, pekalongan, team["id"], name="Budi", position="sekretaris", phone="(0285) 421093"), 201)
    d = _ok(
        client.post(
            f"{API}/decrees",
            json={"region_code": KLEGO, "title": "SK TP Posyandu Kelurahan Klego", "team_id": team["id"], "decree_date": "2026-05-04"},
            headers=pekalongan.headers,
        ),
        201,
    )
    _ok(client.post(f"{API}/decrees/{d['id']}/transitions", json={"action": "issue"}, headers=pekalongan.headers), 201)
    op = accounts.user(Role.village_operator, KLEGO, username="operator-klego")
    _ok(
        client.patch(
            f"{API}/users/{op.id}",
            json={"phone": "+62 811 2222 3333", "email": "klego@example.id"},
            headers={**pekalongan.headers, "If-Match": "*"},
        )
    )
    return team, d, op


def test_chase_sheet_of_a_late_village_at_a_fixed_clock(client, pekalongan, accounts, db):
    with clock.frozen(datetime(2026, 6, 1, 3, 0, tzinfo=UTC)):
        team, d, _ = _late_klego(client, pekalongan, accounts, db)
    with clock.frozen(JULY_15):
        s = _ok(client.get(f"{API}/regions/{KLEGO}/chase", headers=pekalongan.headers))
    assert s["region"]["name"] == "Klego" and [a["code"] for a in s["ancestors"]] == ["33", "33.75", "33.75.02"]
    assert s["today"] == "2026-07-15" and s["stage"] == "issued" and s["late"] and s["deadline"] == "2026-06-30"
    assert s["overdue"] and s["days_late"] == 15
    assert s["team"]["id"] == team["id"] and s["team"]["member_count"] == 2
    assert s["decree"]["id"] == d["id"] and s["decree"]["status"] == "issued"
    assert s["decree"]["last_transition"]["action"] == "issue" and s["decree"]["last_transition"]["effective_date"] == "2026-05-04"
    assert s["what_is_late"] == "SK TP Posyandu sudah diterbitkan tetapi belum dilaporkan"
    assert "Kelurahan Klego, Kota Pekalongan" in s["reminder"] and "30 Juni 2026 (terlambat 15 hari)" in s["reminder"]
    by_name = {c["name"]: c for c in s["contacts"]}
    op = by_name["Operator-Klego"]
    assert op["kind"] == "account" and op["phone"] == "+6281122223333" and op["tel_url"] == "tel:+6281122223333"
    assert op["mailto_url"].startswith("mailto:klego@example.id?")
    wa = urlparse(op["whatsapp_url"])
    assert (wa.scheme, wa.netloc, wa.path) == ("https", "wa.me", "/6281122223333")
    assert parse_qs(wa.query)["text"] == [s["reminder"]]
    chair = by_name["Siti Aminah"]
    assert chair["kind"] == "member" and chair["role"] == "Ketua" and chair["whatsapp_url"].startswith("https://wa.me/6281234567890?text=")
    landline = by_name["Budi"]
    assert landline["tel_url"] == "tel:+62285421093" and landline["whatsapp_url"] is None  # no WhatsApp on a landline
    # the day of the deadline is not late yet (the offices' date, not UTC's)
    with clock.frozen(datetime(2026, 6, 30, 16, 59, tzinfo=UTC)):
        s = _ok(client.get(f"{API}/regions/{KLEGO}/chase", headers=pekalongan.headers))
    assert s["today"] == "2026-06-30" and not s["overdue"] and s["days_late"] is None
    with clock.frozen(datetime(2026, 6, 30, 17, 1, tzinfo=UTC)):  # 00:01 WIB on 1 July
        assert _ok(client.get(f"{API}/regions/{KLEGO}/chase", headers=pekalongan.headers))["days_late"] == 1


def test_chase_sheet_of_a_village_with_nothing(client, pekalongan):
    with clock.frozen(JULY_15):
        _deadline(client, pekalongan, "33.75", 2026, "2026-06-30")
        s = _ok(client.get(f"{API}/regions/{PONCOL}/chase", headers=pekalongan.headers))
    assert s["stage"] == "no_team" and s["team"] is None and s["decree"] is None and s["days_late"] == 15
    assert s["contacts"] == [] and "TP Posyandu belum dibentuk" in s["reminder"]


def test_a_reported_village_is_not_late(client, pekalongan, accounts, db):
    with clock.frozen(datetime(2026, 6, 1, 3, 0, tzinfo=UTC)):
        _, d, _ = _late_klego(client, pekalongan, accounts, db)
        _ok(client.post(f"{API}/decrees/{d['id']}/transitions", json={"action": "report"}, headers=pekalongan.headers), 201)
    with clock.frozen(JULY_15):
        s = _ok(client.get(f"{API}/regions/{KLEGO}/chase", headers=pekalongan.headers))
    assert s["stage"] == "reported" and not s["late"] and not s["overdue"] and s["days_late"] is None


def test_contacts_only_for_those_the_policy_allows(client, pekalongan, serang, accounts, db, admin):
    _late_klego(client, pekalongan, accounts, db)
    seeing = {
        "regency coordinator": pekalongan,
        "province coordinator": accounts.user(Role.province_coordinator, "33"),
        "national admin": admin,
        "client granted personal data": accounts.client("33.75", scopes=DOMAIN_READ | {Scope.personal_data_read}),
    }
    blind = {
        "viewer": accounts.user(Role.viewer, "33.75"),
        "district operator": accounts.user(Role.district_operator, "33.75.02"),
        "village operator": accounts.user(Role.village_operator, KLEGO),
        "read client": accounts.client("33.75", ClientScope.read),
        "read-write client without personal data": accounts.client("33.75", ClientScope.read_write),
    }
    for name, who in seeing.items():
        s = _ok(client.get(f"{API}/regions/{KLEGO}/chase", headers=who.headers))
        assert "view_contacts" in s["allowed_actions"] and len(s["contacts"]) == 4, name  # two Klego accounts, two members
        listed = _ok(client.get(f"{API}/regions/{KLEGO}/contacts", headers=who.headers))
        assert listed["contacts"] == s["contacts"] and listed["reminder"] == s["reminder"], name
    for name, who in blind.items():
        s = _ok(client.get(f"{API}/regions/{KLEGO}/chase", headers=who.headers))
        assert s["contacts"] is None and "view_contacts" not in s["allowed_actions"] and s["team"] is not None, name
        assert "+62" not in str(s), name
        assert client.get(f"{API}/regions/{KLEGO}/contacts", headers=who.headers).status_code == 403, name
    assert client.get(f"{API}/regions/{KLEGO}/chase", headers=serang.headers).status_code == 403
    assert client.get(f"{API}/regions/{KLEGO}/contacts", headers=serang.headers).status_code == 403


# -- Perlu tindakan --------------------------------------------------------------------------------


def _groups(client, who, **params):
    t = _ok(client.get(f"{API}/auth/me/tasks", params=params, headers=who.headers))
    assert [g["kind"] for g in t["groups"]] == ["decree_to_verify", "posyandu_to_verify", "overdue_follow_up", "late_report"]
    assert t["total"] == sum(g["count"] for g in t["groups"])
    return {g["kind"]: g for g in t["groups"]}


def test_tasks_per_role(client, pekalongan, accounts, db):
    village = accounts.user(Role.village_operator, KLEGO)
    district = accounts.user(Role.district_operator, "33.75.02")
    province = accounts.user(Role.province_coordinator, "33")
    with clock.frozen(datetime(2026, 6, 1, 3, 0, tzinfo=UTC)):
        _deadline(client, pekalongan, "33.75", 2026, "2026-06-30")
        team = _team(client, village, KLEGO)
        d = _ok(
            client.post(f"{API}/decrees", json={"region_code": KLEGO, "title": "SK Klego", "team_id": team["id"]}, headers=village.headers),
            201,
        )
        for action in ("issue", "report"):
            _ok(client.post(f"{API}/decrees/{d['id']}/transitions", json={"action": action}, headers=village.headers), 201)
        city_sk = _ok(client.post(f"{API}/decrees", json={"region_code": "33.75", "title": "SK Kota"}, headers=pekalongan.headers), 201)
        for action in ("issue", "report"):
            _ok(client.post(f"{API}/decrees/{city_sk['id']}/transitions", json={"action": action}, headers=pekalongan.headers), 201)
        p = _ok(client.post(f"{API}/posyandu", json={"region_code": KLEGO, "name": "Posyandu Mawar"}, headers=village.headers), 201)
        db.execute(update(Posyandu).where(Posyandu.id == p["id"]).values(registration_status="proposed"))
        db.commit()
        m = _ok(
            client.post(
                f"{API}/meetings", json={"region_code": "33.75", "title": "Rakor", "held_on": "2026-05-02"}, headers=pekalongan.headers
            ),
            201,
        )
        f = _ok(
            client.post(
                f"{API}/meetings/{m['id']}/follow-ups", json={"action": "Kirim SK", "due_on": "2026-07-01"}, headers=pekalongan.headers
            ),
            201,
        )
    with clock.frozen(JULY_15):
        city = _groups(client, pekalongan)
        vil = _groups(client, village)
        dist = _groups(client, district)
        prov = _groups(client, province)
        viewer = _groups(client, accounts.user(Role.viewer, "33.75"))
    # the city verifies the village's SK, never its own; the province verifies both
    assert [(i["id"], i["kind"], i["region"]["code"]) for i in city["decree_to_verify"]["items"]] == [(d["id"], "decree_to_verify", KLEGO)]
    assert city["decree_to_verify"]["count"] == 1
    assert {i["id"] for i in prov["decree_to_verify"]["items"]} == {d["id"], city_sk["id"]}
    assert city["posyandu_to_verify"]["count"] == 1 and city["posyandu_to_verify"]["items"][0]["id"] == p["id"]
    for who in (vil, dist, viewer):  # operators and viewers verify nothing
        assert who["decree_to_verify"]["count"] == who["posyandu_to_verify"]["count"] == 0
    fu = city["overdue_follow_up"]
    assert fu["count"] == 1 and fu["items"][0]["id"] == f["id"] and fu["items"][0]["meeting_id"] == m["id"]
    assert fu["items"][0]["days_late"] == 14
    assert vil["overdue_follow_up"]["count"] == 0  # the city's meeting is above the village
    # 27 villages in the city, Klego reported: 26 late, 15 days past the 30 June deadline
    late = city["late_report"]
    assert late["count"] == 26 and len(late["items"]) == 5 and late["items"][0]["days_late"] == 15
    assert KLEGO not in {i["region"]["code"] for i in late["items"]} and late["items"][0]["id"] is None
    assert vil["late_report"]["count"] == 0 and dist["late_report"]["count"] == 6  # 7 villages in Pekalongan Timur
    assert prov["late_report"]["count"] == 26  # only the city has a deadline
    assert len(_groups(client, pekalongan, limit=30)["late_report"]["items"]) == 26
    with clock.frozen(datetime(2026, 6, 30, 3, 0, tzinfo=UTC)):
        assert _groups(client, pekalongan)["late_report"]["count"] == 0  # not yet past the deadline


def test_a_nearer_deadline_governs(client, pekalongan):
    with clock.frozen(JULY_15):
        _deadline(client, pekalongan, "33.75", 2026, "2026-06-30")
        _deadline(client, pekalongan, "33.75.02", 2026, "2026-12-31")  # Pekalongan Timur has until December
        late = _groups(client, pekalongan, limit=50)["late_report"]
    assert late["count"] == 20 and len(late["items"]) == 20
    assert not any(i["region"]["code"].startswith("33.75.02.") for i in late["items"])


def test_tasks_bounds(client, pekalongan):
    assert client.get(f"{API}/auth/me/tasks", params={"limit": 0}, headers=pekalongan.headers).status_code == 422
    assert client.get(f"{API}/auth/me/tasks", params={"limit": 51}, headers=pekalongan.headers).status_code == 422


# -- the paged missing list ------------------------------------------------------------------------


def test_missing_list_of_a_province_is_paged_and_grouped_by_kab_kota(client, admin):
    first = _ok(client.get(f"{API}/regions/36/compliance/missing", params={"limit": 50}, headers=admin.headers))
    board = _ok(client.get(f"{API}/regions/36/compliance", params={"missing_limit": 0}, headers=admin.headers))
    assert first["total"] == board["missing_reports_total"] > 1000 and len(first["items"]) == 50
    assert sum(g["not_reported"] for g in first["groups"]) == first["total"]
    assert [g["regency"]["code"] for g in first["groups"]] == [r["region"]["code"] for r in board["rows"] if r["not_reported"]]
    item = first["items"][0]
    assert (
        item["regency"]["code"] == item["code"][:5]
        and item["district"]["code"] == item["code"][:8]
        and item["regency"]["level"] == "regency"
    )
    codes = [i["code"] for i in first["items"]]
    assert codes == sorted(codes)
    second = _ok(client.get(f"{API}/regions/36/compliance/missing", params={"limit": 50, "offset": 50}, headers=admin.headers))
    assert second["items"][0]["code"] > codes[-1] and not set(codes) & {i["code"] for i in second["items"]}
    last = _ok(client.get(f"{API}/regions/36/compliance/missing", params={"limit": 50, "sort": "-code"}, headers=admin.headers))
    assert last["items"][0]["code"] > second["items"][-1]["code"]
    # a district's list: kecamatan level too
    d = _ok(client.get(f"{API}/regions/36.73/compliance/missing", params={"level": "district"}, headers=admin.headers))
    assert d["total"] == 6 and d["items"][0]["district"] is None and [g["regency"]["code"] for g in d["groups"]] == ["36.73"]


def test_missing_list_leaves_out_who_reported_and_replays_as_of(client, pekalongan):
    with clock.frozen(datetime(2026, 6, 1, 3, 0, tzinfo=UTC)):
        team = _team(client, pekalongan, KLEGO)
        d = _ok(
            client.post(f"{API}/decrees", json={"region_code": KLEGO, "title": "SK", "team_id": team["id"]}, headers=pekalongan.headers),
            201,
        )
        for action in ("issue", "report"):
            _ok(client.post(f"{API}/decrees/{d['id']}/transitions", json={"action": action}, headers=pekalongan.headers), 201)
        page = _ok(client.get(f"{API}/regions/33.75/compliance/missing", params={"limit": 100}, headers=pekalongan.headers))
        before = _ok(client.get(f"{API}/regions/33.75/compliance/missing", params={"as_of": "2026-05-31"}, headers=pekalongan.headers))
    assert page["total"] == 26 and KLEGO not in {i["code"] for i in page["items"]}
    assert [g["regency"]["code"] for g in page["groups"]] == ["33.75"] and page["groups"][0]["not_reported"] == 26
    assert before["total"] == 27 and KLEGO in {i["code"] for i in before["items"]}


@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 501}, {"sort": "name"}, {"level": "province"}, {"as_of": "2999-01-01"}, {"year": 1999}]
)
def test_missing_list_refuses_bad_parameters(client, pekalongan, params):
    r = client.get(f"{API}/regions/33.75/compliance/missing", params=params, headers=pekalongan.headers)
    assert r.status_code == 422, r.text


def test_missing_list_outside_scope_is_refused(client, serang):
    assert client.get(f"{API}/regions/33.75/compliance/missing", headers=serang.headers).status_code == 403

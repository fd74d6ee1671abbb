"""Registration counts per child region (the registry's per-kecamatan table), over HTTP, scoped."""

from __future__ import annotations

from sqlalchemy import func, select

from pembina.kit.roles import Role
from pembina.posyandu.models import Posyandu
from pembina.regions.models import Region
from tests.conftest import report_sk
from tests.test_registration_api import BENDAN_KERGON, KLEGO, URL, act, make, ready

BY_REGION = f"{URL}/registration-progress/by-region"


def test_counts_per_kecamatan_of_the_callers_city(client, db, pekalongan, serang):
    report_sk(db, BENDAN_KERGON)
    make(client, pekalongan, name="Klego 1")
    make(client, pekalongan, name="Klego 2")
    make(client, pekalongan, region=BENDAN_KERGON, name="Bendan Kergon")
    proposed = ready(client, pekalongan, region=BENDAN_KERGON, name="Bendan Kergon siap")
    assert act(client, pekalongan, proposed, "propose").status_code == 200

    r = client.get(BY_REGION, headers=pekalongan.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["region_code"] == "33.75" and body["child_level"] == 3
    kecamatan = db.scalar(select(func.count()).select_from(Region).where(Region.parent_code == "33.75"))
    assert len(body["rows"]) == kecamatan  # every kecamatan, zeros included
    rows = {row["code"]: row for row in body["rows"]}
    assert [row["code"] for row in body["rows"]] == sorted(rows)
    barat, utara = rows["33.75.01"], rows["33.75.02"]
    assert barat["name"] and barat["level"] == 3
    assert barat["total"] == 2 and barat["registration"]["by_status"]["unregistered"] == 1
    assert barat["registration"]["by_status"]["proposed"] == 1 and barat["registration"]["in_pipeline"] == 1
    assert utara["total"] == 2 and utara["registration"]["by_status"]["unregistered"] == 2
    # the rows add up to the city's own counts, which equal a live count
    assert sum(row["total"] for row in body["rows"]) == 4
    assert body["total"]["by_status"]["unregistered"] == 3 and body["total"]["in_pipeline"] == 1
    live = db.scalar(select(func.count()).select_from(Posyandu).where(Posyandu.region_code.like("33.75.%")))
    assert sum(body["total"]["by_status"].values()) == live

    # a kecamatan: its kelurahan
    kel = client.get(BY_REGION, params={"region": "33.75.02"}, headers=pekalongan.headers).json()
    assert kel["child_level"] == 4 and {row["code"]: row["total"] for row in kel["rows"]}[KLEGO] == 2

    # scope: another city's coordinator sees its own city (nothing of Pekalongan), and not Pekalongan
    other = client.get(BY_REGION, headers=serang.headers).json()
    assert other["region_code"] == "36.73" and all(row["code"].startswith("36.73.") for row in other["rows"])
    assert sum(row["total"] for row in other["rows"]) == 0
    assert client.get(BY_REGION, params={"region": "33.75"}, headers=serang.headers).status_code == 403
    assert client.get(BY_REGION, params={"region": "33.75.99"}, headers=pekalongan.headers).status_code == 404
    assert client.get(BY_REGION, params={"region": "x"}, headers=pekalongan.headers).status_code == 422


def test_a_village_has_no_rows_and_the_nation_counts_provinces(client, accounts, pekalongan, admin):
    make(client, pekalongan, name="Klego 1")
    village = accounts.user(Role.village_operator, KLEGO)
    own = client.get(BY_REGION, headers=village.headers).json()
    assert own["region_code"] == KLEGO and own["rows"] == [] and own["child_level"] is None
    assert own["total"]["by_status"]["unregistered"] == 1
    assert client.get(BY_REGION, params={"region": "33.75"}, headers=village.headers).status_code == 403

    nation = client.get(BY_REGION, headers=admin.headers).json()
    assert nation["region_code"] is None and nation["child_level"] == 1
    central_java = {row["code"]: row for row in nation["rows"]}["33"]
    assert central_java["total"] >= 1


def test_needs_a_session(client):
    assert client.get(BY_REGION).status_code == 401

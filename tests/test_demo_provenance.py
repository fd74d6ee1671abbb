"""The demo data says where each record comes from: a seed article, or an illustration.

After the demo's data steps (`pembina demo` without the accounts step, which writes the accounts'
password file), every record it created in the covered tables has a provenance; the choices the
seeds do not state (which five kelurahan of Kota Pekalongan had not reported) are illustrative;
the seeds' facts still hold; provenance is read-only through the API.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pembina.kit.provenance import Provenance
from pembina.kit.roles import Role

API = "/api/v1"
PEKALONGAN_RAKOR = "Rapat Koordinasi Posyandu Dalam Rangka Perlunya Sinergitas Penguatan Posyandu di Kelurahan"
SERANG_RAKOR = "Rapat Koordinasi Tim Pembina Posyandu Kota Serang: Sinergi Lintas Sektor untuk Optimalisasi Pelayanan Posyandu"
NOT_REPORTING = ["33.75.04.1003", "33.75.04.1004", "33.75.04.1006", "33.75.04.1008", "33.75.04.1010"]


@pytest.fixture
def demo(db):
    from pembina.demo import DEMO_STEPS, demo_accounts
    from pembina.models import Base

    before = {t: {r[0] for r in db.execute(select(Base.metadata.tables[t].c.id))} for t in COVERED}
    reports = [step(db) for step in DEMO_STEPS if step is not demo_accounts]
    db.commit()
    created = {t: {r[0] for r in db.execute(select(Base.metadata.tables[t].c.id))} - before[t] for t in COVERED}
    return reports, created


COVERED = [
    "teams",
    "team_members",
    "decrees",
    "posyandu",
    "pilot_sites",
    "budgets",
    "budget_allocations",
    "work_programs",
    "meetings",
    "follow_ups",
    "competitions",
    "legal_references",
]


def test_every_demo_record_has_a_source(db, demo):
    _, created = demo
    assert all(created[t] for t in COVERED), {t: len(ids) for t, ids in created.items()}
    marked = {(p.table_name, p.row_id): p for p in db.scalars(select(Provenance))}
    for table, ids in created.items():
        for row_id in ids:
            p = marked.get((table, row_id))
            assert p is not None, f"{table} {row_id} has no source"
            assert p.kind in ("seed", "illustrative")
            assert p.kind == "illustrative" or p.title, f"{table} {row_id}: a seed source names its article"
            assert p.kind == "seed" or p.note, f"{table} {row_id}: an illustration says what is illustrative"
    # loading again creates nothing and leaves one source per record
    from pembina.demo import DEMO_STEPS, demo_accounts

    again = [step(db) for step in DEMO_STEPS if step is not demo_accounts]
    assert "0 teams and 0 decrees" in again[0] and "0 meetings, 0 follow-ups, 0 competitions" in again[-1]
    assert len(list(db.scalars(select(Provenance)))) == len(marked)


def test_the_five_non_reporters_are_illustrative_and_the_seed_counts_hold(client, demo, pekalongan):
    reports, _ = demo
    assert "Kota Pekalongan: 22 of 27 kelurahan reported" in reports[0]
    board = client.get(f"{API}/regions/33.75/compliance", params={"as_of": "2025-06-25"}, headers=pekalongan.headers).json()
    assert (board["total"]["expected"], board["total"]["reported"]) == (27, 22)
    live = client.get(f"{API}/regions/33.75/compliance", headers=pekalongan.headers).json()
    assert [m["code"] for m in live["missing_reports"]] == NOT_REPORTING
    for code in NOT_REPORTING:
        teams = client.get(f"{API}/teams", params={"region": code}, headers=pekalongan.headers).json()["items"]
        assert len(teams) == 1
        source = teams[0]["provenance"]
        assert source["kind"] == "illustrative" and source["title"] == PEKALONGAN_RAKOR
        assert source["published_on"] == "2025-06-25" and "tanpa menyebut kelurahan mana" in source["note"]
    # which 22 reported, and the SKs' dates, are not in the seed either
    decrees = client.get(f"{API}/decrees", params={"region": "33.75", "limit": 100}, headers=pekalongan.headers).json()["items"]
    assert len(decrees) == 22 and {d["provenance"]["kind"] for d in decrees} == {"illustrative"}
    assert all("ilustrasi" in d["notes"].lower() for d in decrees)
    # the city team and its members are the seed's
    city = client.get(f"{API}/teams", params={"region": "33.75", "level": "regency", "active": True}, headers=pekalongan.headers).json()
    (team,) = city["items"]
    assert team["provenance"]["kind"] == "seed" and team["provenance"]["title"].startswith("Di Rakornas Nasional, Inggit Soraya")
    members = client.get(f"{API}/teams/{team['id']}/members", headers=pekalongan.headers).json()
    assert {(m["name"], m["provenance"]["kind"]) for m in members} == {("Inggit Soraya", "seed"), ("Puji Winarti", "seed")}
    # the three pilots are the seed's posyandu; their period is the demo's
    pilots = client.get(f"{API}/pilot-sites", headers=pekalongan.headers).json()["items"]
    assert sorted(p["posyandu_name"] for p in pilots) == ["Posyandu Cempaka", "Posyandu Kencono Wungu", "Posyandu Seruni"]
    assert {p["provenance"]["kind"] for p in pilots} == {"illustrative"}
    posyandu = client.get(f"{API}/posyandu", params={"region": "33.75"}, headers=pekalongan.headers).json()["items"]
    assert {p["provenance"]["kind"] for p in posyandu} == {"seed"}


def test_serang_rakor_cites_the_kepmendagri_the_seed_names(client, demo, serang):
    rakor = client.get(f"{API}/meetings", params={"held_from": "2025-04-21", "held_to": "2025-04-21"}, headers=serang.headers).json()
    (m,) = rakor["items"]
    assert m["provenance"] == {"kind": "seed", "title": SERANG_RAKOR, "published_on": "2025-04-21", "note": None}
    assert [b["citation"] for b in m["legal_basis"]] == [
        "UU No. 17 Tahun 2023",
        "Perpres No. 72 Tahun 2021",
        "Permendagri No. 18 Tahun 2018",
        "Permenkes No. 8 Tahun 2019",
        "Permendagri No. 59 Tahun 2021",
        "Permendagri No. 13 Tahun 2024",
        "Kepmendagri No. 400.5.1.3703 Tahun 2023",
        "Kepmendagri No. 400.5.1.622 Tahun 2024",
        "Keputusan Wali Kota Serang No. 274 Tahun 2024",
    ]
    refs = client.get(f"{API}/legal-references", params={"q": "400.5.1"}, headers=serang.headers).json()["items"]
    kep = {r["citation"]: r for r in refs}
    for citation in ("Kepmendagri No. 400.5.1.3703 Tahun 2023", "Kepmendagri No. 400.5.1.622 Tahun 2024"):
        assert kep[citation]["provenance"]["title"] == SERANG_RAKOR
        assert "Kepmendagri No. 400.5.1.3703 Tahun 2023 dan 400.5.1.622 Tahun 2024" in kep[citation]["notes"]
    budget = client.get(f"{API}/budgets", headers=serang.headers).json()["items"]
    assert [(b["source"], b["provenance"]["kind"]) for b in budget] == [("dak_non_fisik", "seed")]


def test_kalteng_fifteen_is_a_quotation_not_a_number(client, demo, accounts):
    kalteng = accounts.user(Role.province_coordinator, "62")
    (m,) = client.get(f"{API}/meetings", params={"region": "62"}, headers=kalteng.headers).json()["items"]
    assert 'Sumber: "Kegiatan ini diikuti 210 peserta dari 15 kabupaten/kota' in m["minutes"]
    assert m["participant_count"] == 210
    assert not any("15" in i for i in m["institutions"])
    assert client.get(f"{API}/regions/62", headers=kalteng.headers).json()["child_count"] == 14
    programs = client.get(f"{API}/work-programs", headers=kalteng.headers).json()["items"]
    assert programs and not any("15 kabupaten" in (p["description"] or "") for p in programs)
    (budget,) = client.get(f"{API}/budgets", headers=kalteng.headers).json()["items"]
    assert (budget["total_amount"], budget["provenance"]["kind"]) == (1_000_000_000, "seed")
    detail = client.get(f"{API}/budgets/{budget['id']}", headers=kalteng.headers).json()
    assert [(a["amount"], a["provenance"]["kind"]) for a in detail["allocations"]] == [(700_000_000, "illustrative")]
    # "hingga akhir tahun 2025" is the article's; who follows up is not
    (follow_up,) = client.get(f"{API}/follow-ups", headers=kalteng.headers).json()["items"]
    assert (follow_up["due_on"], follow_up["provenance"]["kind"]) == ("2025-12-31", "illustrative")


def test_records_entered_through_the_api_have_no_source_and_cannot_set_one(client, pekalongan):
    body = {"region_code": "33.75.02.1008", "name": "TP Posyandu Kelurahan Klego"}
    forged = {**body, "provenance": {"kind": "seed", "title": "x", "published_on": None, "note": None}}
    r = client.post(f"{API}/teams", json=forged, headers=pekalongan.headers)
    assert r.status_code == 422
    r = client.post(f"{API}/teams", json=body, headers=pekalongan.headers)
    assert r.status_code == 201 and r.json()["provenance"] is None
    team = r.json()
    r = client.patch(f"{API}/teams/{team['id']}", json={"provenance": {"kind": "seed"}}, headers={**pekalongan.headers, "If-Match": '"1"'})
    assert r.status_code == 422
    assert client.get(f"{API}/teams/{team['id']}", headers=pekalongan.headers).json()["provenance"] is None


def test_a_deleted_demo_record_takes_its_source_with_it(client, db, demo, pekalongan):
    team = client.get(f"{API}/teams", params={"region": NOT_REPORTING[0]}, headers=pekalongan.headers).json()["items"][0]
    assert db.get(Provenance, ("teams", team["id"])) is not None
    assert client.delete(f"{API}/teams/{team['id']}", headers=pekalongan.headers).status_code == 204
    db.expire_all()
    assert db.get(Provenance, ("teams", team["id"])) is None


def test_exports_say_where_each_record_comes_from(client, demo, pekalongan):
    import csv
    import io

    r = client.get(f"{API}/exports/teams", params={"region": "33.75.04", "format": "csv"}, headers=pekalongan.headers)
    assert r.status_code == 200, r.text
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    by_code = {row["Kode Wilayah"]: row for row in rows}
    assert by_code["33.75.04.1010"]["Asal Data / Jenis"] == "illustrative"
    assert by_code["33.75.04.1010"]["Asal Data / Judul"] == PEKALONGAN_RAKOR
    assert by_code["33.75.04.1010"]["Asal Data / Tanggal Sumber"] == "2025-06-25"


def test_the_rakornas_is_a_national_meeting_known_to_its_month(client, demo, pekalongan):
    """The seed gives the Rakornas' venue and Kota Pekalongan's attendance, but no date: the demo records
    it as a national meeting whose month is an illustrative choice, and says so."""
    national = client.get(f"{API}/meetings", params={"level": "nation"}, headers=pekalongan.headers).json()["items"]
    (m,) = [m for m in national if "Rakornas" in m["title"]]
    assert (m["region_code"], m["level"], m["held_on"], m["held_on_precision"]) == (None, "nation", "2025-09-01", "month")
    assert m["venue"] == "Krakatau Ballroom, Hotel Mercure Jakarta"
    assert [a["region_code"] for a in m["attendance"]] == ["33.75"]
    assert m["provenance"]["kind"] == "illustrative" and "tanggal" in m["provenance"]["note"]
    assert m["provenance"]["title"].startswith("Di Rakornas Nasional, Inggit Soraya")

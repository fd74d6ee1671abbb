"""A deleted record's id is never given to another record, on SQLite as on PostgreSQL: the audit
trail, the change feed (which integrators sync by entity type + id) and tokens name records
by id, so "teams 7 deleted" must not become "teams 7 created" for a different team."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.schema import CreateTable

from pembina import migrate
from pembina.models import Base

API = "/api/v1"


def _created(r):
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _team(client, who, region_code):
    return _created(client.post(f"{API}/teams", json={"region_code": region_code}, headers=who.headers))


class Kind:
    """How to create (with the n-th body) and delete one kind of record through the API."""

    def __init__(self, entity_type, create, delete_url):
        self.entity_type, self.create, self.delete_url = entity_type, create, delete_url


def _kinds(client, who):
    team_id = _team(client, who, "33.75")
    meeting_id = _created(
        client.post(f"{API}/meetings", json={"region_code": "33.75", "title": "Rakor", "held_on": "2025-04-21"}, headers=who.headers)
    )
    villages = iter(["33.75.02.1008", "33.75.02.1004", "33.75.02.1007"])
    years = iter([2023, 2024, 2025])
    return [
        Kind("teams", lambda n: _team(client, who, next(villages)), lambda i: f"{API}/teams/{i}"),
        Kind(
            "posyandu",
            lambda n: _created(
                client.post(f"{API}/posyandu", json={"region_code": "33.75.02.1008", "name": f"Posyandu Mawar {n}"}, headers=who.headers)
            ),
            lambda i: f"{API}/posyandu/{i}",
        ),
        Kind(
            "meetings",
            lambda n: _created(
                client.post(
                    f"{API}/meetings", json={"region_code": "33.75", "title": f"Rakor {n}", "held_on": "2025-05-02"}, headers=who.headers
                )
            ),
            lambda i: f"{API}/meetings/{i}",
        ),
        Kind(
            "budgets",
            lambda n: _created(
                client.post(
                    f"{API}/budgets",
                    json={"team_id": team_id, "fiscal_year": next(years), "source": "apbd", "total_amount": 1_000_000},
                    headers=who.headers,
                )
            ),
            lambda i: f"{API}/budgets/{i}",
        ),
        Kind(
            "team_members",
            lambda n: _created(
                client.post(f"{API}/teams/{team_id}/members", json={"position": "anggota", "name": f"Anggota {n}"}, headers=who.headers)
            ),
            lambda i: f"{API}/teams/{team_id}/members/{i}",
        ),
        Kind(
            "follow_ups",
            lambda n: _created(
                client.post(f"{API}/meetings/{meeting_id}/follow-ups", json={"action": f"Tindak lanjut {n}"}, headers=who.headers)
            ),
            lambda i: f"{API}/meetings/{meeting_id}/follow-ups/{i}",
        ),
    ]


def _feed(client, who, entity_type):
    out, cursor = [], None
    while True:
        r = client.get(
            f"{API}/changes",
            params={"entity_type": entity_type, "limit": 500, **({"cursor": cursor} if cursor else {})},
            headers=who.headers,
        )
        assert r.status_code == 200, r.text
        body = r.json()
        out += [(ch["action"], ch["entity_id"]) for ch in body["items"]]
        cursor = body["next_cursor"]
        if not body["has_more"]:
            return out


def test_the_next_record_never_takes_a_deleted_records_id(client, pekalongan):
    for kind in _kinds(client, pekalongan):
        first, newest = kind.create(1), kind.create(2)
        assert newest > first
        r = client.delete(kind.delete_url(newest), headers=pekalongan.headers)
        assert r.status_code == 204, (kind.entity_type, r.text)
        after = kind.create(3)
        assert after > newest, f"{kind.entity_type}: the new record got id {after}, the deleted one had {newest}"
        # the change feed names the deleted record once created and once deleted, and the new one apart
        feed = _feed(client, pekalongan, kind.entity_type)
        assert [a for a, i in feed if i == str(newest)] == ["create", "delete"], (kind.entity_type, feed)
        assert [a for a, i in feed if i == str(after)] == ["create"], (kind.entity_type, feed)


# ---- the migration ------------------------------------------------------------------------

TS = "'2026-01-01 00:00:00'"


def _insert(conn, sql, **params):
    return conn.execute(text(sql + " RETURNING id"), params).scalar()


def _team_sql(conn, kind):
    # from revision 0026 a team keeps its name as searches compare it (the app writes it)
    searched = "search_text" in conn.execute(text("SELECT * FROM teams LIMIT 0")).keys()
    return _insert(
        conn,
        "INSERT INTO teams (region_code, level, kind, name, is_active, created_at, updated_at, version"
        + (", search_text" if searched else "")
        + f") VALUES ('33', 1, :k, 'Tim', true, {TS}, {TS}, 1"
        + (", 'tim'" if searched else "")
        + ")",
        k=kind,
    )


def test_the_migration_keeps_every_row_and_ids_are_never_reused_after_it(empty_database):
    engine = empty_database.engine
    with engine.begin() as conn:
        migrate.upgrade(conn, "0012")
        conn.execute(
            text(
                "INSERT INTO regions (code, name, level, type, child_count, village_count, district_count, regency_count, name_search) "
                "VALUES ('33', 'Jawa Tengah', 1, 'province', 0, 0, 0, 0, 'jawa tengah')"
            )
        )
        team = _team_sql(conn, "tp_posyandu")
        members = [
            _insert(
                conn,
                "INSERT INTO team_members (team_id, region_code, position, name, created_at, updated_at, version) "
                f"VALUES (:t, '33', 'anggota', :n, {TS}, {TS}, 1)",
                t=team,
                n=f"Anggota {n}",
            )
            for n in range(3)
        ]
        meeting = _insert(
            conn,
            "INSERT INTO meetings (region_code, level, title, held_on, team_id, institutions, agenda, goals, speakers, created_at, updated_at, version) "
            f"VALUES ('33', 1, 'Rakor', '2025-04-21', :t, '[]', '[]', '[]', '[]', {TS}, {TS}, 1)",
            t=team,
        )
        follow_ups = [
            _insert(
                conn,
                "INSERT INTO follow_ups (meeting_id, region_code, action, status, created_at, updated_at, version) "
                f"VALUES (:m, '33', :a, 'open', {TS}, {TS}, 1)",
                m=meeting,
                a=f"Tindak {n}",
            )
            for n in range(2)
        ]
        legal = conn.execute(text("SELECT MIN(id) FROM legal_references")).scalar()
        conn.execute(
            text("INSERT INTO meeting_legal_bases (meeting_id, legal_reference_id, position, region_code) VALUES (:m, :l, 0, '33')"),
            {"m": meeting, "l": legal},
        )
        # a team deleted before the upgrade: the audit trail names its id
        gone = _team_sql(conn, "pokja_posyandu")
        conn.execute(text("DELETE FROM teams WHERE id = :g"), {"g": gone})
        conn.execute(
            text(
                f"INSERT INTO audit_events (occurred_at, actor, action, entity_type, entity_id, txid) VALUES ({TS}, 'system', 'delete', 'teams', :g, 0)"
            ),
            {"g": str(gone)},
        )
        assert gone > team
    with engine.begin() as conn:
        migrate.upgrade(conn)
    with engine.begin() as conn:
        assert conn.execute(text("SELECT id FROM team_members WHERE team_id = :t ORDER BY id"), {"t": team}).scalars().all() == members
        assert conn.execute(text("SELECT team_id FROM meetings WHERE id = :m"), {"m": meeting}).scalar() == team
        assert (
            conn.execute(text("SELECT id FROM follow_ups WHERE meeting_id = :m ORDER BY id"), {"m": meeting}).scalars().all() == follow_ups
        )
        assert (
            conn.execute(text("SELECT legal_reference_id FROM meeting_legal_bases WHERE meeting_id = :m"), {"m": meeting}).scalar() == legal
        )
        if empty_database.backend == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        # an id deleted before the upgrade and named by the audit trail is not given again
        assert _team_sql(conn, "pokja_posyandu") > gone
        newest = conn.execute(text("SELECT MAX(id) FROM follow_ups")).scalar()
        conn.execute(text("DELETE FROM follow_ups WHERE id = :f"), {"f": newest})
        again = _insert(
            conn,
            f"INSERT INTO follow_ups (meeting_id, region_code, action, status, created_at, updated_at, version) VALUES (:m, '33', 'Lagi', 'open', {TS}, {TS}, 1)",
            m=meeting,
        )
        assert again > newest
        # deleting the team still cascades to its members and unlinks its meeting, as before
        conn.execute(text("DELETE FROM teams WHERE id = :t"), {"t": team})
        assert conn.execute(text("SELECT COUNT(*) FROM team_members")).scalar() == 0
        assert conn.execute(text("SELECT team_id FROM meetings WHERE id = :m"), {"m": meeting}).scalar() is None
    with engine.begin() as conn:
        migrate.downgrade(conn, "0012")
        migrate.upgrade(conn)


def _autoincrement(sql: str) -> bool:
    return re.search(r"\bAUTOINCREMENT\b", sql, re.IGNORECASE) is not None


def test_every_table_keyed_by_id_is_autoincrement_in_the_models_and_the_migrated_database(database):
    if database.backend != "sqlite":
        pytest.skip("AUTOINCREMENT is SQLite's; PostgreSQL sequences never reuse an id")
    with database.engine.connect() as conn:
        stored = dict(conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall())
        names = set(inspect(conn).get_table_names())
    keyed_by_id = {n for n, t in Base.metadata.tables.items() if [c.name for c in t.primary_key.columns] == ["id"]}
    assert {"teams", "posyandu", "meetings", "budgets", "audit_events", "follow_ups", "users"} <= keyed_by_id
    for name, table in Base.metadata.tables.items():
        assert name in names
        model = _autoincrement(str(CreateTable(table).compile(dialect=sqlite.dialect())))
        assert model == (name in keyed_by_id), name
        assert _autoincrement(stored[name]) == model, f"{name}: the migrated table and the model disagree"


# ---- backup and restore -------------------------------------------------------------------


def test_a_restore_never_hands_out_an_id_deleted_before_the_backup(connection, empty_database, tmp_path, client, pekalongan):
    """The newest team is deleted, then the database is backed up and restored elsewhere: the
    restored database's next team gets an id above the deleted one (the audit trail names it)."""
    from pembina.backup import dump_file, restore_file

    kept = _team(client, pekalongan, "33.75.02.1008")
    gone = _team(client, pekalongan, "33.75.02.1004")
    assert client.delete(f"{API}/teams/{gone}", headers=pekalongan.headers).status_code == 204
    path = tmp_path / "backup.jsonl.gz"
    dump_file(connection, path)

    with empty_database.engine.begin() as target:
        migrate.upgrade(target)
    with empty_database.engine.begin() as target:
        restore_file(target, path)
    with empty_database.engine.begin() as target:
        assert target.execute(text("SELECT max(id) FROM teams")).scalar() == kept  # the deleted team is not in the backup
        new = _team_sql(target, "tp_posyandu")
    assert new > gone, f"the restored database gave id {new} again (deleted before the backup: {gone})"

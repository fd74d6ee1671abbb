"""Migration 0016 on a database with data: each API client's last use moves from
`api_clients.last_used_at` to `api_client_usage`, and back on the downgrade."""

from __future__ import annotations

from sqlalchemy import text

from pembina import migrate

TS = "'2025-01-01 00:00:00'"


def _client(conn, client_id, last_used):
    return conn.execute(
        text(
            "INSERT INTO api_clients (client_id, name, secret_hash, scope, is_active, created_at, updated_at, last_used_at, version, "
            f"token_generation) VALUES (:c, 'Portal', 'x', 'read', true, {TS}, {TS}, {last_used}, 3, 1) RETURNING id"
        ),
        {"c": client_id},
    ).scalar()


def test_last_use_moves_to_its_own_table_and_back(empty_database):
    engine = empty_database.engine
    with engine.begin() as conn:
        migrate.upgrade(conn, "0015")
        used = _client(conn, "pmb_used", "'2025-06-25 03:04:05'")
        never = _client(conn, "pmb_never", "NULL")
    with engine.begin() as conn:
        migrate.upgrade(conn, "0016")
    with engine.begin() as conn:
        rows = conn.execute(text("SELECT api_client_id, last_used_at FROM api_client_usage")).all()
        assert [(r[0], str(r[1])[:19]) for r in rows] == [(used, "2025-06-25 03:04:05")]
        assert "last_used_at" not in conn.execute(text("SELECT * FROM api_clients LIMIT 0")).keys()
        # the clients themselves are untouched (their version: their ETag)
        assert conn.execute(text("SELECT version FROM api_clients WHERE id = :i"), {"i": used}).scalar() == 3
        # a usage row goes with its client
        conn.execute(text("DELETE FROM api_clients WHERE id = :i"), {"i": used})
        assert conn.execute(text("SELECT count(*) FROM api_client_usage")).scalar() == 0
        used = _client_after(conn, "pmb_used2")
        conn.execute(text("INSERT INTO api_client_usage (api_client_id, last_used_at) VALUES (:i, '2025-07-01 08:00:00')"), {"i": used})
        if empty_database.backend == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    with engine.begin() as conn:
        migrate.downgrade(conn, "0015")
    with engine.begin() as conn:
        back = dict(conn.execute(text("SELECT id, last_used_at FROM api_clients")).all())
        assert str(back[used])[:19] == "2025-07-01 08:00:00" and back[never] is None
        assert "api_client_usage" not in _tables(conn)
    with engine.begin() as conn:
        migrate.upgrade(conn, "0016")
        assert conn.execute(text("SELECT api_client_id FROM api_client_usage")).scalars().all() == [used]


def _client_after(conn, client_id):
    return conn.execute(
        text(
            "INSERT INTO api_clients (client_id, name, secret_hash, scope, is_active, created_at, updated_at, version, token_generation) "
            f"VALUES (:c, 'Portal', 'x', 'read', true, {TS}, {TS}, 1, 1) RETURNING id"
        ),
        {"c": client_id},
    ).scalar()


def _tables(conn):
    from sqlalchemy import inspect

    return set(inspect(conn).get_table_names())

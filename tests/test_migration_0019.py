"""Migration 0019 on a database with data: region_code becomes nullable in place (no table is
rebuilt, so no team member, follow-up or entrant is lost to a cascade), meetings get their date
precision ('day' for those already recorded), and the downgrade refuses while national records
exist."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from pembina import migrate

TS = "'2025-01-01 00:00:00'"


def _insert(conn, sql, **params):
    return conn.execute(text(sql + " RETURNING id"), params).scalar()


def _count(conn, table):
    return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()


def test_nullable_in_place_and_back(empty_database):
    engine = empty_database.engine
    with engine.begin() as conn:
        migrate.upgrade(conn, "0018")
        conn.execute(
            text(
                "INSERT INTO regions (code, name, level, type, child_count, village_count, district_count, regency_count, name_search) "
                "VALUES ('33', 'Jawa Tengah', 1, 'provinsi', 0, 0, 0, 0, 'jawa tengah')"
            )
        )
        team = _insert(
            conn,
            "INSERT INTO teams (region_code, level, kind, name, is_active, created_at, updated_at, version) "
            f"VALUES ('33', 1, 'tp_posyandu', 'Tim', true, {TS}, {TS}, 1)",
        )
        conn.execute(
            text(
                "INSERT INTO team_members (team_id, region_code, position, name, created_at, updated_at, version) "
                f"VALUES (:t, '33', 'ketua', 'Ketua', {TS}, {TS}, 1)"
            ),
            {"t": team},
        )
        meeting = _insert(
            conn,
            "INSERT INTO meetings (region_code, level, title, held_on, institutions, agenda, goals, speakers, created_at, updated_at, version) "
            f"VALUES ('33', 1, 'Rakor', '2025-04-21', '[]', '[]', '[]', '[]', {TS}, {TS}, 1)",
        )
        conn.execute(
            text(
                "INSERT INTO follow_ups (meeting_id, region_code, action, status, created_at, updated_at, version) "
                f"VALUES (:m, '33', 'Lapor', 'open', {TS}, {TS}, 1)"
            ),
            {"m": meeting},
        )
    with engine.begin() as conn:
        migrate.upgrade(conn, "0019")
    with engine.begin() as conn:
        assert _count(conn, "team_members") == 1 and _count(conn, "follow_ups") == 1 and _count(conn, "teams") == 1
        assert conn.execute(text("SELECT held_on_precision FROM meetings")).scalar() == "day"
        if empty_database.backend == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        # a national team and meeting; one national team of each kind
        _insert(
            conn,
            "INSERT INTO teams (region_code, level, kind, name, is_active, created_at, updated_at, version) "
            f"VALUES (NULL, 0, 'tp_posyandu', 'TP Posyandu Nasional', true, {TS}, {TS}, 1)",
        )
        with pytest.raises(IntegrityError), conn.begin_nested():
            conn.execute(
                text(
                    "INSERT INTO teams (region_code, level, kind, name, is_active, created_at, updated_at, version) "
                    f"VALUES (NULL, 0, 'tp_posyandu', 'Kedua', true, {TS}, {TS}, 1)"
                )
            )
    with pytest.raises(RuntimeError, match="national records"), engine.begin() as conn:
        migrate.downgrade(conn, "0018")
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM teams WHERE region_code IS NULL"))
    with engine.begin() as conn:
        migrate.downgrade(conn, "0018")
    with engine.begin() as conn:
        assert _count(conn, "team_members") == 1 and _count(conn, "follow_ups") == 1
        assert "held_on_precision" not in conn.execute(text("SELECT * FROM meetings LIMIT 0")).keys()
        with pytest.raises(IntegrityError), conn.begin_nested():
            conn.execute(text("UPDATE teams SET region_code = NULL"))

"""Migration 0015 on a database with data: the compliance counters are recounted by the new rule
(only TP Posyandu and its SKs; Pokjanal/Pokja as legacy structures), `teams.succeeds_team_id`
refers to a team ON DELETE RESTRICT, and the downgrade recounts by the old rule."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from pembina import migrate

TS = "'2025-01-01 00:00:00'"
REGIONS = [("33", 1), ("33.75", 2), ("33.75.02", 3), ("33.75.02.1008", 4), ("33.75.02.1009", 4)]


def _insert(conn, sql, **params):
    return conn.execute(text(sql + " RETURNING id"), params).scalar()


def _team(conn, code, kind):
    level = dict(REGIONS)[code]
    return _insert(
        conn,
        "INSERT INTO teams (region_code, level, kind, name, is_active, created_at, updated_at, version) "
        f"VALUES (:c, :l, :k, 'Tim', true, {TS}, {TS}, 1)",
        c=code,
        l=level,
        k=kind,
    )


def _sk(conn, code, team_id, status):
    level = dict(REGIONS)[code]
    return _insert(
        conn,
        "INSERT INTO decrees (region_code, level, subject, title, team_id, status, created_at, updated_at, version) "
        f"VALUES (:c, :l, 'team_formation', 'SK', :t, :s, {TS}, {TS}, 1)",
        c=code,
        l=level,
        t=team_id,
        s=status,
    )


def _counters(conn):
    rows = conn.execute(text("SELECT region_code, metric, value FROM region_stats WHERE metric LIKE 'compliance.%' AND value <> 0"))
    return {(c, m): v for c, m, v in rows}


def test_the_counters_are_recounted_by_the_new_rule_and_back(empty_database):
    engine = empty_database.engine
    with engine.begin() as conn:
        migrate.upgrade(conn, "0014")
        for code, level in REGIONS:
            conn.execute(
                text(
                    "INSERT INTO regions (code, name, level, type, child_count, village_count, district_count, regency_count, name_search) "
                    "VALUES (:c, :c, :l, 'x', 0, 0, 0, 0, :c)"
                ),
                {"c": code, "l": level},
            )
        pokja = _team(conn, "33.75.02.1008", "pokja_posyandu")  # the old Pokja, its SK reported
        _sk(conn, "33.75.02.1008", pokja, "reported")
        _team(conn, "33.75.02.1009", "tp_posyandu")  # a TP Posyandu, its SK naming no team
        _sk(conn, "33.75.02.1009", None, "issued")
        pokjanal = _team(conn, "33.75", "pokjanal_posyandu")  # the city's 2023 Pokjanal and its SK
        _sk(conn, "33.75", pokjanal, "issued")
        conn.execute(text("INSERT INTO region_stats (region_code, metric, value) VALUES ('', 'compliance.village.team', 99)"))
    with engine.begin() as conn:
        migrate.upgrade(conn, "0015")
    with engine.begin() as conn:
        new = _counters(conn)
        for code in ("", "33", "33.75", "33.75.02"):
            assert new[(code, "compliance.village.team")] == 1 and new[(code, "compliance.village.issued")] == 1
            assert new[(code, "compliance.village.legacy")] == 1 and (code, "compliance.village.reported") not in new
        for code in ("", "33", "33.75"):
            assert new[(code, "compliance.regency.legacy")] == 1 and (code, "compliance.regency.team") not in new
        assert new[("33.75.02.1008", "compliance.village.legacy")] == 1 and ("33.75.02.1008", "compliance.village.team") not in new
        # a successor names its predecessor, which then cannot be deleted
        tp = _team(conn, "33.75.02.1008", "tp_posyandu")
        conn.execute(text("UPDATE teams SET succeeds_team_id = :p WHERE id = :t"), {"p": pokja, "t": tp})
        with pytest.raises(IntegrityError), conn.begin_nested():
            conn.execute(text("DELETE FROM teams WHERE id = :p"), {"p": pokja})
        conn.execute(text("DELETE FROM teams WHERE id = :t"), {"t": tp})
        if empty_database.backend == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    with engine.begin() as conn:
        migrate.downgrade(conn, "0014")
    with engine.begin() as conn:
        old = _counters(conn)
        assert old[("", "compliance.village.team")] == 2 and old[("", "compliance.village.issued")] == 2
        assert old[("", "compliance.village.reported")] == 1 and old[("33.75", "compliance.regency.issued")] == 1
        assert not any(m.endswith(".legacy") for _, m in old)
        assert "succeeds_team_id" not in conn.execute(text("SELECT * FROM teams LIMIT 0")).keys()
    with engine.begin() as conn:
        migrate.upgrade(conn, "0015")
        assert _counters(conn) == new

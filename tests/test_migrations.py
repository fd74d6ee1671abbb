"""Migrations: upgrade from nothing, match the models exactly, downgrade cleanly, upgrade again."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from pembina import migrate
from pembina.kit import search
from pembina.models import Base


def _diff(conn):
    opts = {"compare_type": True, "render_as_batch": conn.dialect.name == "sqlite", "include_name": search.include_name}
    ctx = MigrationContext.configure(conn, opts=opts)
    return compare_metadata(ctx, Base.metadata)


def test_single_head():
    heads = ScriptDirectory.from_config(migrate.alembic_config()).get_heads()
    assert len(heads) == 1, f"several Alembic heads: {heads}; add a merge revision"


def test_upgrade_matches_models_and_downgrade_is_clean(empty_database):
    engine = empty_database.engine
    with engine.begin() as conn:
        migrate.upgrade(conn)
    with engine.connect() as conn:
        assert _diff(conn) == [], "models and migrations disagree: write a migration"
        tables = set(inspect(conn).get_table_names())
    assert set(Base.metadata.tables) <= tables
    with engine.begin() as conn:
        migrate.downgrade(conn, "base")
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    with engine.begin() as conn:
        migrate.upgrade(conn)
    with engine.connect() as conn:
        assert _diff(conn) == []


def test_0025_fills_the_totals_from_the_reports_and_0024_gets_them_back(empty_database):
    """0025 replaces the per-metric counter rows by one row per region and month, filled from the
    reports (drafts count nothing; the JSON sums from the district up; expected: today's active
    count, never below received); the downgrade recomputes the per-metric rows."""
    import sqlalchemy as sa

    engine = empty_database.engine
    now = datetime(2026, 12, 1, tzinfo=UTC)
    with engine.begin() as conn:
        migrate.upgrade(conn, "0024")
        regions = sa.table(
            "regions",
            *(sa.column(c) for c in ("code", "parent_code", "name", "level", "type", "name_search")),
            *(sa.column(c) for c in ("child_count", "village_count", "district_count", "regency_count")),
        )
        chain = [
            ("33", None, 1),
            ("33.75", "33", 2),
            ("33.75.02", "33.75", 3),
            ("33.75.02.1008", "33.75.02", 4),
            ("33.75.02.1007", "33.75.02", 4),
        ]
        conn.execute(
            sa.insert(regions),
            [
                {"code": c, "parent_code": p, "name": c, "level": lv, "type": "x", "name_search": c}
                | dict.fromkeys(("child_count", "village_count", "district_count", "regency_count"), 0)
                for c, p, lv in chain
            ],
        )
        stats = sa.table("region_stats", sa.column("region_code"), sa.column("metric"), sa.column("value"))
        conn.execute(sa.insert(stats), [{"region_code": c, "metric": "posyandu.active", "value": 1} for c, _, _ in chain[:4]])
        posyandu = sa.table(
            "posyandu",
            *(sa.column(c) for c in ("id", "region_code", "name", "is_active", "pengurus_count", "kader_count", "spm_mask")),
            *(sa.column(c) for c in ("registration_status", "created_at", "updated_at", "version")),
            sa.column("services", sa.JSON),
        )
        common = {"is_active": True, "pengurus_count": 0, "kader_count": 0, "spm_mask": 0, "services": {}, "created_at": now}
        common |= {"registration_status": "unregistered", "updated_at": now, "version": 1}
        conn.execute(
            sa.insert(posyandu),
            [{"id": i, "region_code": c, "name": f"P{i}", **common} for i, c in ((1, "33.75.02.1008"), (2, "33.75.02.1007"))],
        )
        reports = sa.table(
            "activity_reports",
            *(sa.column(c) for c in ("id", "region_code", "level", "posyandu_id", "period", "status", "days_open", "kader_present")),
            *(sa.column(c) for c in ("active_mask", "due_date", "created_at", "updated_at", "version", "on_time")),
            *(sa.column(c, sa.JSON) for c in ("questions", "counts", "target_groups")),
        )
        base = {"level": 4, "kader_present": 5, "questions": {}, "due_date": date(2026, 12, 14), "created_at": now, "updated_at": now}
        base |= {"version": 1, "period": "2026-11", "target_groups": {"balita": 7}}
        conn.execute(
            sa.insert(reports),
            [
                {**base, "id": 1, "region_code": "33.75.02.1008", "posyandu_id": 1, "status": "accepted", "on_time": True}
                | {"days_open": 2, "counts": {"kesehatan": {"imunisasi": 3}}, "active_mask": 1},
                {**base, "id": 2, "region_code": "33.75.02.1007", "posyandu_id": 2, "status": "returned", "on_time": False}
                | {"days_open": 1, "counts": {"kesehatan": {"imunisasi": 1}, "sosial": {"x": 2}}, "active_mask": 5},
                {**base, "id": 3, "region_code": "33.75.02.1008", "posyandu_id": 1, "status": "draft", "on_time": None, "period": "2026-10"}
                | {"days_open": 4, "counts": {"kesehatan": {"imunisasi": 9}}, "active_mask": 1},
            ],
        )
        before = {
            (c, p, m): v for c, p, m, v in conn.execute(sa.text("SELECT region_code, period, metric, value FROM activity_report_counts"))
        }
        assert before == {}  # 0024's rows are kept by the application, not filled by a migration
        migrate.upgrade(conn)
    with engine.connect() as conn:
        assert "activity_report_counts" not in inspect(conn).get_table_names()
        rows = {
            r["region_code"]: r
            for r in conn.execute(
                sa.select(
                    sa.table(
                        "activity_report_totals",
                        *(
                            sa.column(c)
                            for c in (
                                "region_code",
                                "period",
                                "expected",
                                "received",
                                "on_time",
                                "accepted",
                                "returned",
                                "days_open",
                                "kader_present",
                                "active_kesehatan",
                                "active_sosial",
                            )
                        ),
                        sa.column("totals", sa.JSON),
                    ).columns
                )
            ).mappings()
        }
    assert set(rows) == {"33", "33.75", "33.75.02", "33.75.02.1008", "33.75.02.1007"}  # the draft counts nothing
    district = rows["33.75.02"]
    assert district["period"] == "2026-11"
    assert [district[c] for c in ("received", "on_time", "accepted", "returned", "days_open", "kader_present")] == [2, 1, 1, 1, 3, 10]
    assert (district["active_kesehatan"], district["active_sosial"]) == (2, 1)
    assert district["totals"] == {"svc": {"kesehatan": {"imunisasi": 4}, "sosial": {"x": 2}}, "groups": {"balita": 14}}
    assert rows["33"]["totals"] == district["totals"] and rows["33.75.02.1008"]["totals"] is None
    # expected: today's active count, raised to received (1007 has no active count, the district 1 for 2 received)
    assert (rows["33.75.02.1008"]["expected"], rows["33.75.02.1007"]["expected"], district["expected"]) == (1, 1, 2)
    with engine.begin() as conn:
        migrate.downgrade(conn, "0024")
        back = {
            (c, p, m): v for c, p, m, v in conn.execute(sa.text("SELECT region_code, period, metric, value FROM activity_report_counts"))
        }
    assert back[("33.75.02", "2026-11", "received")] == 2 and back[("33.75.02.1008", "2026-11", "svc.kesehatan.imunisasi")] == 3
    assert back[("33", "2026-11", "group.balita")] == 14 and back[("33.75.02.1007", "2026-11", "active.sosial")] == 1
    assert not any(p == "2026-10" for _, p, _ in back)

"""Per-region counters roll up to every ancestor and the nation, and can be rebuilt."""

from __future__ import annotations

from pembina.stats import service as stats


def test_adjust_rolls_up_and_move_rebalances(db):
    stats.adjust(db, "33.75.02.1008", {"probe.count": 2})
    stats.adjust(db, "33.75.01.1006", {"probe.count": 1})
    assert stats.values(db, "33.75.02.1008") == {"probe.count": 2}
    assert stats.values(db, "33.75")["probe.count"] == 3
    assert stats.values(db, "33")["probe.count"] == 3
    assert stats.values(db, None)["probe.count"] == 3
    kids = stats.children_values(db, "33.75", ["probe.count"])
    assert kids == {"33.75.01": {"probe.count": 1}, "33.75.02": {"probe.count": 2}}
    stats.move(db, {"probe.count": 1}, "33.75.01.1006", {"probe.count": 1}, "36.73.03.1014")
    assert stats.values(db, "33.75")["probe.count"] == 2
    assert stats.values(db, "36")["probe.count"] == 1
    assert stats.values(db, None)["probe.count"] == 3
    assert "33" in stats.children_values(db, None, ["probe.count"])


def test_counter_moves_are_written_at_commit_and_dropped_with_a_rollback(db, connection):
    """A write's counter moves wait for its commit (its row locks then last only for the commit),
    yet the transaction itself reads them at once, by any route: the readers here, an ORM
    select of the counters, raw SQL. A rollback, of the transaction or of a savepoint, takes them
    away with it."""
    from sqlalchemy import select, text

    from pembina.stats.models import RegionStat

    def stored(code: str) -> int | None:
        return connection.execute(
            text("SELECT value FROM region_stats WHERE region_code = :c AND metric = 'probe.deferred'"), {"c": code}
        ).scalar()

    db.execute(text("SELECT 1"))  # a transaction
    stats.adjust(db, "33.75.02.1008", {"probe.deferred": 2})
    assert stored("33.75") is None  # kept for the commit
    assert db.scalar(select(RegionStat.value).where(RegionStat.region_code == "33.75", RegionStat.metric == "probe.deferred")) == 2
    stats.adjust(db, "33.75.02.1008", {"probe.deferred": 1})
    assert db.execute(text("SELECT value FROM region_stats WHERE region_code = '33' AND metric = 'probe.deferred'")).scalar() == 3
    stats.adjust(db, "33.75.02.1008", {"probe.deferred": 4})
    db.commit()
    assert stored("33.75.02.1008") == stored("33") == 7

    stats.adjust(db, "33.75.02.1008", {"probe.deferred": 10})
    db.rollback()
    db.commit()
    assert stats.values(db, "33")["probe.deferred"] == 7

    with db.begin_nested() as savepoint:  # written at once inside a savepoint ...
        stats.adjust(db, "33.75.02.1008", {"probe.deferred": 100})
        assert stored("33") == 107
        savepoint.rollback()  # ... and gone with it
    stats.adjust(db, "33.75.02.1008", {"probe.deferred": 1})
    db.commit()
    assert stats.values(db, "33")["probe.deferred"] == 8
    assert stats.values(db, None)["probe.deferred"] == 8

    # moves pending from before a savepoint, written by a read inside it: its rollback does not take them
    stats.adjust(db, "33.75.02.1008", {"probe.deferred": 1000})
    with db.begin_nested() as savepoint:
        assert stats.values(db, "33")["probe.deferred"] == 1008
        stats.adjust(db, "33.75.02.1008", {"probe.deferred": 5})
        savepoint.rollback()
    db.commit()
    assert stats.values(db, "33")["probe.deferred"] == stats.values(db, "33.75.02.1008")["probe.deferred"] == 1008


def test_many_counter_moves_in_one_transaction_are_all_written(db, monkeypatch):
    """A transaction moving more counters than one upsert statement holds (an import: every
    village of a regency) writes them all, each once, in statements of `UPSERT_ROWS` rows."""
    from sqlalchemy import select

    from pembina.regions.models import Region

    monkeypatch.setattr(stats, "UPSERT_ROWS", 7)
    villages = db.scalars(select(Region.code).where(Region.code.startswith("33.75."), Region.level == 4).order_by(Region.code)).all()
    assert len(villages) > 20
    for i, code in enumerate(villages):
        stats.adjust(db, code, {"probe.many": 1, "probe.index": i + 1})
    db.commit()
    assert stats.values(db, "33.75")["probe.many"] == len(villages)
    assert stats.values(db, "33")["probe.index"] == sum(range(1, len(villages) + 1))
    assert [stats.values(db, code)["probe.index"] for code in villages] == list(range(1, len(villages) + 1))

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

"""`pembina seed-synthetic`: marked benchmark data over real regions, never mixed with real data."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pembina import synthetic
from pembina.decrees.models import Decree, DecreeTransition
from pembina.posyandu.models import Posyandu
from pembina.teams.models import Team

PEKALONGAN = "33.75"


def _count(db, model, *where):
    return db.scalar(select(func.count()).select_from(model).where(*where))


def test_seed_spreads_marked_data_and_roll_ups_match(db, client, admin):
    report = synthetic.seed(db, posyandu=200, region=PEKALONGAN)
    assert report.regions == 32  # the city, 4 districts, 27 kelurahan
    assert report.posyandu == 200 and report.teams == 32
    assert _count(db, Posyandu) == 200 and _count(db, Team) == 32
    assert _count(db, Posyandu, ~Posyandu.name.startswith(synthetic.MARK)) == 0
    assert _count(db, Decree, ~Decree.number.startswith(synthetic.MARK)) == 0
    per_village = db.execute(select(Posyandu.region_code, func.count()).group_by(Posyandu.region_code)).all()
    assert len(per_village) == 27 and {n for _, n in per_village} <= {7, 8}
    # every issued-or-later decree has its transition history, so as_of boards can replay it
    for d in db.scalars(select(Decree)):
        steps = _count(db, DecreeTransition, DecreeTransition.decree_id == d.id)
        assert steps == {"draft": 0, "issued": 1, "reported": 2, "verified": 3}[d.status]

    summary = client.get(f"/api/v1/regions/{PEKALONGAN}/summary", headers=admin.headers).json()
    assert summary["posyandu"]["count"] == 200
    registered = _count(db, Posyandu, Posyandu.registration_status == "registered")
    assert summary["posyandu"]["registration"]["registered"] == registered
    village = {c["level"]: c for c in summary["compliance"]}["village"]
    reported = db.scalar(
        select(func.count(func.distinct(Decree.region_code))).where(Decree.level == 4, Decree.status.in_(["reported", "verified"]))
    )
    assert village["with_team"] == 27 and village["reported"] == reported
    board = client.get(f"/api/v1/regions/{PEKALONGAN}/compliance", params={"level": "village"}, headers=admin.headers)
    assert board.status_code == 200, board.text
    nation = client.get("/api/v1/regions/summary", headers=admin.headers).json()
    assert nation["posyandu"]["count"] == 200


def test_seed_is_deterministic_for_a_seed(db):
    first = synthetic.seed(db, posyandu=50, region="33.75.02", seed_value=7)
    names = db.scalars(select(Posyandu.name).order_by(Posyandu.id)).all()
    statuses = db.scalars(select(Decree.status).order_by(Decree.id)).all()
    synthetic.clear(db)
    second = synthetic.seed(db, posyandu=50, region="33.75.02", seed_value=7)
    assert first == second
    assert db.scalars(select(Posyandu.name).order_by(Posyandu.id)).all() == names
    assert db.scalars(select(Decree.status).order_by(Decree.id)).all() == statuses


def test_never_mixed_with_real_data(db, client, admin):
    real = client.post("/api/v1/teams", json={"region_code": "33.75.02.1008"}, headers=admin.headers)
    assert real.status_code == 201, real.text
    with pytest.raises(synthetic.SyntheticRefused, match="not synthetic"):
        synthetic.seed(db, posyandu=10, region=PEKALONGAN)
    assert _count(db, Posyandu) == 0 and _count(db, Team) == 1


def test_refuses_twice_and_clear_removes_only_synthetic(db):
    synthetic.seed(db, posyandu=30, region="33.75.01")
    with pytest.raises(synthetic.SyntheticRefused, match="--clear"):
        synthetic.seed(db, posyandu=30, region="33.75.01")
    removed = synthetic.clear(db)
    assert removed["posyandu"] == 30 and removed["teams"] > 0
    assert _count(db, Posyandu) == _count(db, Team) == _count(db, Decree) == _count(db, DecreeTransition) == 0
    from pembina.stats import service as stats

    assert stats.values(db, "33.75.01").get("posyandu.total", 0) == 0


def test_needs_villages(db):
    with pytest.raises(synthetic.SyntheticRefused, match="no villages"):
        synthetic.seed(db, posyandu=10, region="99")

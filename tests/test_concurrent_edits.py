"""Real concurrent edits: two clients read the same team and both try to save; exactly one
wins, the other gets 412 and nothing is lost. Runs against a committed database (not the
rolled-back test transaction), on SQLite and PostgreSQL, and cleans up after itself."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from pembina.audit import recorder
from pembina.audit.models import AuditEvent
from pembina.kit.roles import Role
from pembina.auth.security import hash_secret, issue_token
from pembina.kit.db import get_session
from pembina.decrees import compliance
from pembina.teams.models import Team, TeamMember
from pembina.users.models import User

REGION = "62.71"  # Kota Palangka Raya: no other test writes there


def _committed(database):  # type: ignore[no-untyped-def]
    recorder.install()
    return sessionmaker(bind=database.engine, expire_on_commit=False)


def test_two_concurrent_patches_one_wins_one_gets_412(app, database):
    make = _committed(database)
    with make() as s, s.begin():
        first_audit = s.scalar(select(func.coalesce(func.max(AuditEvent.id), 0)))
        s.info["actor"] = "system:test"
        users = [
            User(
                username=f"conc-{uuid.uuid4().hex[:8]}",
                full_name=f"Editor {i}",
                role=Role.province_coordinator.value,
                region_code="62",
                password_hash=hash_secret("rahasia-sekali-123"),
            )
            for i in range(2)
        ]
        team = Team(region_code=REGION, level=2, kind="tp_posyandu", name="TP Posyandu Kota Palangka Raya")
        s.add_all([*users, team])
        s.flush()
        compliance.refresh(s, REGION)
        user_ids, team_id = [u.id for u in users], team.id

    def session_override() -> Iterator[Session]:
        session = make()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    app.dependency_overrides[get_session] = session_override
    barrier = threading.Barrier(2, timeout=30)
    results: dict[int, tuple[int, str, int]] = {}

    def editor(i: int) -> None:
        token, _ = issue_token(f"user:{user_ids[i]}")
        headers = {"Authorization": f"Bearer {token}"}
        client = TestClient(app, raise_server_exceptions=False)
        got = client.get(f"/api/v1/teams/{team_id}", headers=headers)
        barrier.wait()  # both have read version 1 before either writes
        r = client.patch(
            f"/api/v1/teams/{team_id}", json={"notes": f"catatan editor {i}"}, headers={**headers, "If-Match": got.headers["ETag"]}
        )
        results[i] = (r.status_code, r.headers.get("content-type", ""), got.json()["version"])

    try:
        threads = [threading.Thread(target=editor, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert len(results) == 2, results
        assert all(v == 1 for _, _, v in results.values())
        codes = sorted(code for code, _, _ in results.values())
        assert codes == [200, 412], results
        loser = next(i for i, (code, _, _) in results.items() if code == 412)
        assert results[loser][1] == "application/problem+json"
        winner = 1 - loser
        with make() as s:
            saved = s.get(Team, team_id)
            assert saved is not None and saved.version == 2 and saved.notes == f"catatan editor {winner}"
            updates = s.scalars(
                select(AuditEvent).where(
                    AuditEvent.entity_type == "teams", AuditEvent.entity_id == str(team_id), AuditEvent.action == "update"
                )
            ).all()
            assert len(updates) == 1 and updates[0].actor == f"user:{user_ids[winner]}"
    finally:
        app.dependency_overrides.clear()
        with make() as s, s.begin():
            s.execute(delete(TeamMember).where(TeamMember.team_id == team_id))
            s.execute(delete(Team).where(Team.id == team_id))
            s.execute(delete(User).where(User.id.in_(user_ids)))
            compliance.refresh(s, REGION)
            s.execute(delete(AuditEvent).where(AuditEvent.id > first_audit))

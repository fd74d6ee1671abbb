"""`pembina backup` / `pembina restore` round-trip on each database, all or nothing."""

from __future__ import annotations

import gzip

import pytest

from pembina import migrate
from pembina.kit.roles import Role
from pembina.backup import BackupError, dump_file, restore_file, table_fingerprint
from pembina.stats import service as stats


def test_round_trip(connection, db, accounts, empty_database, tmp_path, client, admin):
    accounts.user(Role.regency_coordinator, "33.75", username="backup-me")
    client.post("/api/v1/api-clients", json={"name": "Portal", "region_code": "33.75"}, headers=admin.headers)
    stats.adjust(db, "33.75.02.1008", {"probe": 3})
    db.commit()
    path = tmp_path / "pembina.jsonl.gz"
    report = dump_file(connection, path)
    assert report.tables["regions"] == 91599 and report.tables["users"] >= 2
    before = table_fingerprint(connection)

    with empty_database.engine.begin() as target:
        migrate.upgrade(target)
    with empty_database.engine.begin() as target:
        restored = restore_file(target, path)
    assert restored.tables == report.tables
    with empty_database.engine.connect() as target:
        assert table_fingerprint(target) == before
    # new rows after a restore get fresh ids (sequences moved past the restored ones)
    from sqlalchemy.orm import Session

    from pembina.users.models import User

    with Session(empty_database.engine) as s:
        u = User(username="after-restore", full_name="x", role="viewer", region_code="33.75", password_hash="x")
        s.add(u)
        s.commit()
        assert u.id > max(uid for (uid,) in s.query(User.id).filter(User.username != "after-restore"))


def test_damaged_or_foreign_files_change_nothing(connection, db, tmp_path):
    good = tmp_path / "good.jsonl.gz"
    dump_file(connection, good)
    before = table_fingerprint(connection)
    truncated = tmp_path / "truncated.jsonl.gz"
    truncated.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    other = tmp_path / "other.jsonl.gz"
    with gzip.open(other, "wt") as f:
        f.write('{"hello": "world"}\n')
    for bad in (truncated, other, tmp_path / "missing.gz"):
        savepoint = connection.begin_nested()
        with pytest.raises(BackupError):
            restore_file(connection, bad)
        savepoint.rollback()
        assert table_fingerprint(connection) == before

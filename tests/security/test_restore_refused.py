"""Item 10: `pembina restore` of a broken or foreign backup says "refused: …" in one line,
exits non-zero, prints no rows and changes nothing."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pembina import migrate
from pembina.backup import FORMAT, _revision, table_fingerprint
from pembina.users.models import User

SECRET = "ROW-VALUE-THAT-MUST-NOT-BE-PRINTED"
ROOT = Path(__file__).resolve().parents[2]


def _backup(path: Path, revision: str | None, tables: list[tuple[str, list[str], list[list]]]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"format": FORMAT, "revision": revision, "tables": [t for t, _, _ in tables]}) + "\n")
        for name, cols, rows in tables:
            f.write(json.dumps({"table": name, "columns": cols}) + "\n")
            for row in rows:
                f.write(json.dumps(row) + "\n")
    return path


def _restore(url: str, path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT / "backend")}
    return subprocess.run(
        [sys.executable, "-m", "pembina.cli", "restore", str(path), "--yes"], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def target(empty_database):
    with empty_database.engine.begin() as conn:
        migrate.upgrade(conn)
    return empty_database


def test_broken_backups_are_refused_in_one_line_and_change_nothing(target, tmp_path):
    from sqlalchemy.orm import Session

    with Session(target.engine) as s:
        s.add(User(username="keep-me", full_name="Keep", role="viewer", region_code=None, password_hash="x"))
        s.commit()
    with target.engine.connect() as conn:
        revision = _revision(conn)
        before = table_fingerprint(conn)
    cols = [c.name for c in User.__table__.columns]
    values = {
        "id": 1,
        "version": 1,
        "role": "viewer",
        "region_code": None,
        "is_active": True,
        "username": SECRET,
        "full_name": SECRET,
        "password_hash": SECRET,
    }
    row = [values.get(c) for c in cols]
    cases = {
        "duplicate ids": _backup(tmp_path / "dup.gz", revision, [("users", cols, [row, row])]),
        "wrong type": _backup(
            tmp_path / "type.gz", revision, [("users", cols, [[SECRET if c == "is_active" else v for c, v in zip(cols, row)]])]
        ),
        "short row": _backup(tmp_path / "short.gz", revision, [("users", cols, [row[:3]])]),
        "bad date": _backup(
            tmp_path / "date.gz", revision, [("users", cols, [[SECRET if c == "created_at" else v for c, v in zip(cols, row)]])]
        ),
        "row that is no list": _backup(tmp_path / "obj.gz", revision, [("users", cols, [SECRET])]),
        "foreign revision": _backup(tmp_path / "rev.gz", "0000", []),
        "not gzip": tmp_path / "plain.txt",
    }
    cases["not gzip"].write_text("hello")
    for what, path in cases.items():
        r = _restore(target.url, path)
        assert r.returncode != 0, what
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("refused: "), (what, r.stderr[-2000:])
        assert SECRET not in r.stderr and SECRET not in r.stdout and "Traceback" not in r.stderr, what
        with target.engine.connect() as conn:
            assert table_fingerprint(conn) == before, what

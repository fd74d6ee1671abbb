"""The file store (issue 21): content-addressed blobs outside the database, written atomically,
deduplicated, collected only when no row names them; migration 0027 moves the rows' bytes out
and back; backups carry the blobs and restores put them back, verified by hash."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import time
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.types import JSON, Boolean, Date, DateTime, Integer, LargeBinary, Numeric, String, Text

from pembina import migrate
from pembina.backup import BackupError, dump_file, restore_file, table_fingerprint
from pembina.kit import blobs

PDF = b"%PDF-1.4\n% berkas\n%%EOF\n"


# -- the local store (no database) ---------------------------------------------------------


def test_put_is_content_addressed_sharded_and_deduplicated(tmp_path):
    store = blobs.LocalStore(tmp_path / "files")
    sha = store.put(b"hello")
    assert sha == hashlib.sha256(b"hello").hexdigest()
    assert store.path(sha) == tmp_path / "files" / sha[:2] / sha[2:4] / sha
    assert store.exists(sha) and store.get(sha) == b"hello" and store.size(sha) == 5
    assert store.put(b"hello") == sha
    assert [h for h, _ in store.hashes()] == [sha]
    # nothing half-written is left behind, and a wrong announced hash stores nothing
    with pytest.raises(blobs.BlobMismatch):
        store.put_stream([b"other"], expected=sha)
    assert [p.name for p in (tmp_path / "files").iterdir() if p.is_file()] == []
    assert [h for h, _ in store.hashes()] == [sha]
    with pytest.raises(blobs.BlobMissing):
        store.open("0" * 64)
    for bad in ("../../etc/passwd", "A" * 64, sha[:-1]):
        with pytest.raises(ValueError):
            store.path(bad)


def test_only_old_unreferenced_blobs_are_collected(tmp_path):
    store = blobs.LocalStore(tmp_path)
    kept, old, fresh = store.put(b"kept"), store.put(b"old"), store.put(b"fresh")
    past = time.time() - 7200
    for sha in (kept, old):
        os.utime(store.path(sha), (past, past))
    assert store.delete_unreferenced({kept}, timedelta(hours=1)) == [old]
    assert store.exists(kept) and not store.exists(old) and store.exists(fresh)
    # stored again: the grace period starts over
    os.utime(store.path(fresh), (past, past))
    store.put(b"fresh")
    assert store.delete_unreferenced(set(), timedelta(hours=1)) == [kept]
    assert store.exists(fresh)


# -- migration 0027 -------------------------------------------------------------------------


def _value(column):
    t = column["type"]
    if isinstance(t, Boolean):
        return True
    if isinstance(t, (DateTime,)):
        return datetime(2025, 1, 1)
    if isinstance(t, Date):
        return date(2025, 1, 1)
    if isinstance(t, (Integer, Numeric)):
        return 1
    if isinstance(t, JSON):
        return "{}"
    if isinstance(t, LargeBinary):
        return b""
    if isinstance(t, (String, Text)):
        return "x"
    return "x"


def _insert(conn, table, **values):
    """A row of `table` with `values`, every other NOT NULL column without a default filled in."""
    row = dict(values)
    for c in inspect(conn).get_columns(table):
        if c["name"] not in row and not c["nullable"] and c.get("default") is None and c.get("autoincrement") is not True:
            if c["name"] == "id":
                continue
            row[c["name"]] = _value(c)
    cols = ", ".join(row)
    params = ", ".join(f":{k}" for k in row)
    has_id = "id" in {c["name"] for c in inspect(conn).get_columns(table)}
    result = conn.execute(text(f"INSERT INTO {table} ({cols}) VALUES ({params}){' RETURNING id' if has_id else ''}"), row)
    return result.scalar() if has_id else None


def test_migration_moves_the_bytes_out_and_back(empty_database):
    engine, store = empty_database.engine, empty_database.store
    previous = blobs.use_store(store)
    try:
        with engine.begin() as conn:
            migrate.upgrade(conn, "0025")
            _insert(conn, "regions", code="33", name="Jawa Tengah", level=1)
            pid = _insert(conn, "posyandu", region_code="33", name="Posyandu Migrasi")
            doc = _insert(
                conn,
                "posyandu_documents",
                posyandu_id=pid,
                region_code="33",
                doc_type="sk_pengurus",
                filename="sk.pdf",
                content_type="application/pdf",
                size=len(PDF),
                sha256="0" * 64,
                content=PDF,
            )
            mid = _insert(conn, "meetings", region_code="33", title="Rakor")
            att = _insert(
                conn,
                "meeting_attachments",
                meeting_id=mid,
                region_code="33",
                filename="undangan.pdf",
                content_type="application/pdf",
                size=len(PDF),
                sha256=hashlib.sha256(PDF).hexdigest(),
                content=PDF,
            )
            did = _insert(conn, "decrees", region_code="33", level=1, subject="tp_posyandu", status="draft", file_name="sk.pdf")
            conn.execute(
                text("INSERT INTO decree_files (decree_id, region_code, content) VALUES (:d, '33', :c)"), {"d": did, "c": PDF + b" "}
            )
        with engine.begin() as conn:
            migrate.upgrade(conn, "0027")
        sha, sha_decree = hashlib.sha256(PDF).hexdigest(), hashlib.sha256(PDF + b" ").hexdigest()
        assert {h for h, _ in store.hashes()} == {sha, sha_decree}  # the same bytes twice: stored once
        with engine.begin() as conn:
            assert "content" not in {c["name"] for c in inspect(conn).get_columns("posyandu_documents")}
            assert "content" not in {c["name"] for c in inspect(conn).get_columns("meeting_attachments")}
            assert "decree_files" not in inspect(conn).get_table_names()
            # a wrong hash in a row is corrected from its bytes
            assert conn.execute(text("SELECT sha256 FROM posyandu_documents WHERE id = :i"), {"i": doc}).scalar() == sha
            assert conn.execute(text("SELECT file_sha256, file_size FROM decrees WHERE id = :i"), {"i": did}).one() == (
                sha_decree,
                len(PDF) + 1,
            )
        with engine.begin() as conn:
            migrate.downgrade(conn, "0025")
        with engine.begin() as conn:
            assert bytes(conn.execute(text("SELECT content FROM posyandu_documents WHERE id = :i"), {"i": doc}).scalar()) == PDF
            assert bytes(conn.execute(text("SELECT content FROM meeting_attachments WHERE id = :i"), {"i": att}).scalar()) == PDF
            assert bytes(conn.execute(text("SELECT content FROM decree_files WHERE decree_id = :i"), {"i": did}).scalar()) == PDF + b" "
            assert "activity_report_photos" not in inspect(conn).get_table_names()
        with engine.begin() as conn:
            migrate.upgrade(conn)
    finally:
        blobs.use_store(previous)


# -- backups carry the files ----------------------------------------------------------------


def test_backup_carries_the_files_and_restore_puts_them_back(connection, db, client, pekalongan, empty_database, tmp_path):
    m = client.post(
        "/api/v1/meetings", json={"region_code": "33.75", "title": "Rakor", "held_on": "2025-04-21"}, headers=pekalongan.headers
    )
    assert m.status_code == 201, m.text
    a = client.post(
        f"/api/v1/meetings/{m.json()['id']}/attachments", files={"file": ("u.pdf", PDF, "application/pdf")}, headers=pekalongan.headers
    )
    assert a.status_code == 201, a.text
    sha = a.json()["sha256"]
    path = tmp_path / "b.jsonl.gz"
    report = dump_file(connection, path)
    assert report.files >= 1 and report.file_bytes >= len(PDF)
    before = table_fingerprint(connection)

    target_store = empty_database.store
    previous = blobs.use_store(target_store)
    try:
        with empty_database.engine.begin() as target:
            migrate.upgrade(target)
        with empty_database.engine.begin() as target:
            restored = restore_file(target, path)
        assert restored.files == report.files
        assert target_store.get(sha) == PDF
        with empty_database.engine.connect() as target:
            assert table_fingerprint(target) == before

        # a backup whose file bytes are not those of their hash, or that lacks a file, changes nothing
        lines = gzip.decompress(path.read_bytes()).decode().splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith('{"blob": "' + sha))
        damaged = list(lines)
        damaged[at + 1] = json.dumps("QUJD")  # "ABC"
        damaged[at] = json.dumps({"blob": sha, "size": 3})
        lacking = lines[:at] + lines[at + 2 :]
        for name, content in (("damaged", damaged), ("lacking", lacking)):
            bad = tmp_path / f"{name}.jsonl.gz"
            bad.write_bytes(gzip.compress(("\n".join(content) + "\n").encode()))
            target_store.delete(sha)
            with pytest.raises(BackupError), empty_database.engine.begin() as target:
                restore_file(target, bad)
            assert not target_store.exists(sha)
            with empty_database.engine.connect() as target:
                assert table_fingerprint(target) == before  # rolled back
    finally:
        blobs.use_store(previous)

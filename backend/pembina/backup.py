"""Logical backups that work on both databases (and across them).

`pembina backup FILE` writes every table (in foreign-key order) as gzipped JSON lines with
the schema revision; `pembina restore FILE` replaces the whole content of a database migrated
to the same revision, in one transaction (all or nothing), then moves every id counter
(PostgreSQL's sequences, SQLite's AUTOINCREMENT counters) past the largest id each table has
ever had, including ids the audit trail names (records deleted before the backup).
Rows stream in batches, so memory stays bounded whatever the size.

The uploaded files' bytes live in the file store (`pembina.kit.blobs`), not in the rows: a backup
carries, after the tables, every blob a row names (`{"blob": sha256, "size": n}` then its bytes as
base64 lines of at most 1 MiB each); a restore puts each back in the store, refusing bytes whose
sha256 is not the one announced, and refuses a backup that lacks a blob one of its rows names.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import json
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from alembic.migration import MigrationContext
from sqlalchemy import Date, DateTime, Integer, LargeBinary, Table, delete, func, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from pembina.kit import blobs
from pembina.kit.db import UTCDateTime
from pembina.models import Base

FORMAT = "pembina-backup/2"
BATCH = 2000


class BackupError(Exception):
    pass


@dataclass
class Report:
    tables: dict[str, int]
    revision: str | None
    #: Blobs of the file store written (or put back), and their bytes.
    files: int = 0
    file_bytes: int = 0


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _encoder(table: Table) -> list[Callable[[Any], Any]]:
    out: list[Callable[[Any], Any]] = []
    for col in table.columns:
        t = col.type
        if isinstance(t, LargeBinary):
            out.append(lambda v: None if v is None else base64.b64encode(bytes(v)).decode())
        elif isinstance(t, (UTCDateTime, DateTime, Date)):
            out.append(lambda v: None if v is None else v.isoformat())
        else:
            out.append(lambda v: v)
    return out


def _decoder(table: Table) -> list[Callable[[Any], Any]]:
    out: list[Callable[[Any], Any]] = []
    for col in table.columns:
        t = col.type
        if isinstance(t, LargeBinary):
            out.append(lambda v: None if v is None else base64.b64decode(v))
        elif isinstance(t, (UTCDateTime, DateTime)):
            out.append(lambda v: None if v is None else datetime.fromisoformat(v))
        elif isinstance(t, Date):
            out.append(lambda v: None if v is None else date.fromisoformat(v))
        else:
            out.append(lambda v: v)
    return out


def _revision(conn: Connection) -> str | None:
    heads = MigrationContext.configure(conn).get_current_heads()
    return ",".join(sorted(heads)) or None


def dump(conn: Connection, out: IO[bytes], progress: Callable[[str, int], None] | None = None) -> Report:
    counts: dict[str, int] = {}
    with gzip.open(out, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"format": FORMAT, "revision": _revision(conn), "tables": [t.name for t in _tables()]}) + "\n")
        for table in _tables():
            enc = _encoder(table)
            cols = [c.name for c in table.columns]
            f.write(json.dumps({"table": table.name, "columns": cols}) + "\n")
            n = 0
            pk = list(table.primary_key.columns)
            result = conn.execute(select(table).order_by(*pk).execution_options(yield_per=BATCH))
            for row in result:
                f.write(json.dumps([e(v) for e, v in zip(enc, row, strict=True)], ensure_ascii=False) + "\n")
                n += 1
            counts[table.name] = n
            if progress:
                progress(table.name, n)
        n_files, n_bytes = _dump_blobs(conn, f)
    return Report(tables=counts, revision=_revision(conn), files=n_files, file_bytes=n_bytes)


def _dump_blobs(conn: Connection, f: IO[str]) -> tuple[int, int]:
    store = blobs.get_store()
    n = size = 0
    for sha256 in sorted(blobs.referenced(conn, Base.metadata)):
        try:
            length = store.size(sha256)
        except blobs.BlobMissing:
            raise BackupError(f"the file store has no blob {sha256}, which a row names") from None
        f.write(json.dumps({"blob": sha256, "size": length}) + "\n")
        for chunk in store.iter_chunks(sha256, blobs.CHUNK):
            f.write(json.dumps(base64.b64encode(chunk).decode()) + "\n")
        n += 1
        size += length
    return n, size


def _read(f: IO[str]) -> Iterator[tuple[str, Any]]:
    for line in f:
        item = json.loads(line)
        if isinstance(item, dict):
            yield ("blob" if "blob" in item else "header", item)
        elif isinstance(item, str):
            yield ("chunk", item)
        else:
            yield ("row", item)


def restore(conn: Connection, src: IO[bytes], progress: Callable[[str, int], None] | None = None) -> Report:
    """Replace the database's content with the backup's. The caller owns the transaction."""
    by_name = {t.name: t for t in _tables()}
    counts: dict[str, int] = {}
    with gzip.open(src, "rt", encoding="utf-8") as f:
        try:
            first = json.loads(f.readline())
        except (json.JSONDecodeError, OSError, EOFError) as e:
            raise BackupError(f"not a Pembina backup: {e}") from None
        if not isinstance(first, dict) or first.get("format") != FORMAT:
            raise BackupError("not a Pembina backup (unknown format)")
        current = _revision(conn)
        if first.get("revision") != current:
            raise BackupError(
                f"the backup is of schema revision {first.get('revision')}, the database is at {current}: migrate it to the same revision first"
            )
        for stale in reversed(_tables()):
            conn.execute(delete(stale))
        table: Table | None = None
        dec: list[Callable[[Any], Any]] = []
        cols: list[str] = []
        batch: list[dict[str, Any]] = []

        def flush() -> None:
            if batch and table is not None:
                conn.execute(table.insert(), batch)
                counts[table.name] = counts.get(table.name, 0) + len(batch)
                batch.clear()

        line = 1

        def where() -> str:
            return f"line {line}" + (f" (table {table.name})" if table is not None else "")

        store = blobs.get_store()
        n_files = n_bytes = 0
        items = _read(f)

        def blob_bytes(size: int) -> Iterator[bytes]:
            nonlocal line
            seen = 0
            while seen < size:
                kind, chunk = next(items, ("end", ""))
                line += 1
                if kind != "chunk":
                    raise BackupError(f"line {line}: a file's bytes end early")
                try:
                    data = base64.b64decode(chunk, validate=True)
                except binascii.Error:
                    raise BackupError(f"line {line}: a file's bytes cannot be read") from None
                seen += len(data)
                yield data
            if seen != size:
                raise BackupError(f"line {line}: a file is longer than announced")

        try:
            for kind, item in items:
                line += 1
                if kind == "blob":
                    flush()
                    if table is not None and progress:
                        progress(table.name, counts.get(table.name, 0))
                    table = None
                    sha256, size = item.get("blob"), item.get("size")
                    if not isinstance(sha256, str) or not blobs.SHA256.fullmatch(sha256) or not isinstance(size, int) or size < 0:
                        raise BackupError(f"line {line}: a file's header is not valid")
                    try:
                        store.put_stream(blob_bytes(size), expected=sha256)
                    except blobs.BlobMismatch:
                        raise BackupError(f"line {line}: the bytes of file {sha256} do not have that sha256") from None
                    n_files += 1
                    n_bytes += size
                    continue
                if kind == "chunk":
                    raise BackupError(f"{where()}: file bytes outside a file")
                if kind == "header":
                    flush()
                    if table is not None and progress:
                        progress(table.name, counts.get(table.name, 0))
                    name = item.get("table")
                    if name not in by_name:
                        raise BackupError(f"unknown table in backup: {name}")
                    table = by_name[name]
                    if item.get("columns") != [c.name for c in table.columns]:
                        raise BackupError(f"columns of {name} differ from this schema")
                    cols = item["columns"]
                    dec = _decoder(table)
                    counts.setdefault(name, 0)
                    continue
                if table is None:
                    raise BackupError("row before any table header")
                if not isinstance(item, list) or len(item) != len(cols):
                    raise BackupError(f"{where()}: a row must be a list of {len(cols)} values")
                try:
                    batch.append({c: d(v) for c, d, v in zip(cols, dec, item, strict=True)})
                except (ValueError, TypeError, binascii.Error) as e:
                    # the reason only, never the row's values (they may be personal data)
                    raise BackupError(f"{where()}: a value cannot be read ({type(e).__name__})") from None
                if len(batch) >= BATCH:
                    flush()
            flush()
        except SQLAlchemyError as e:
            # A constraint's name, never the values (other messages may quote them).
            orig = getattr(e, "orig", None)
            reason = str(orig).splitlines()[0] if isinstance(e, IntegrityError) and orig else type(orig or e).__name__
            raise BackupError(f"the database refused the rows before {where()}: {reason}") from None
        if table is not None and progress:
            progress(table.name, counts.get(table.name, 0))
    missing = sorted(sha for sha in blobs.referenced(conn, Base.metadata) if not store.exists(sha))
    if missing:
        raise BackupError(f"the backup lacks {len(missing)} file(s) its rows name, e.g. {missing[0]}")
    _reset_sequences(conn)
    return Report(tables=counts, revision=_revision(conn), files=n_files, file_bytes=n_bytes)


def _highest_id(conn: Connection, table: Table, column: Any) -> int:
    """The largest id a table's rows have had: its largest id, or a larger one the audit
    trail names (a record deleted before the backup), so that no id is handed out twice."""
    top = conn.scalar(select(func.max(column))) or 0
    numeric = (
        "entity_id ~ '^[0-9]{1,18}$'"
        if conn.dialect.name == "postgresql"
        else "entity_id NOT GLOB '*[^0-9]*' AND length(entity_id) BETWEEN 1 AND 18"
    )
    audited = conn.scalar(
        text(f"SELECT max(CAST(entity_id AS BIGINT)) FROM audit_events WHERE entity_type = :t AND {numeric}"), {"t": table.name}
    )
    return max(int(top), int(audited or 0))


def _reset_sequences(conn: Connection) -> None:
    """After explicit ids were inserted, move each id counter (PostgreSQL's serial sequences,
    SQLite's AUTOINCREMENT counters) past the largest id the table has ever had."""
    for t in _tables():
        pk = list(t.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer):
            continue
        if conn.dialect.name == "postgresql":
            seq = conn.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": t.name, "c": pk[0].name})
            if seq:
                conn.execute(text("SELECT setval(:s, :v, false)"), {"s": seq, "v": _highest_id(conn, t, pk[0]) + 1})
        elif conn.dialect.name == "sqlite" and t.dialect_options["sqlite"].get("autoincrement"):
            high = _highest_id(conn, t, pk[0])
            if not conn.execute(text("UPDATE sqlite_sequence SET seq = :v WHERE name = :t"), {"t": t.name, "v": high}).rowcount:
                conn.execute(text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :v)"), {"t": t.name, "v": high})


def dump_file(conn: Connection, path: Path, progress: Callable[[str, int], None] | None = None) -> Report:
    tmp = path.with_name(path.name + ".partial")
    with tmp.open("wb") as out:
        report = dump(conn, out, progress)
    tmp.replace(path)
    return report


def restore_file(conn: Connection, path: Path, progress: Callable[[str, int], None] | None = None) -> Report:
    if not path.is_file():
        raise BackupError(f"no such file: {path}")
    with path.open("rb") as src:
        try:
            return restore(conn, src, progress)
        except (gzip.BadGzipFile, EOFError, json.JSONDecodeError, UnicodeDecodeError, zlib.error) as e:
            raise BackupError(
                f"the backup file is damaged: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}".rstrip(": ")
            ) from None
        except OSError as e:
            raise BackupError(f"the backup file cannot be read: {e.strerror or type(e).__name__}") from None


def table_fingerprint(conn: Connection) -> dict[str, tuple[int, str]]:
    """Row count and a content hash of every table (for round-trip checks)."""
    import hashlib

    out: dict[str, tuple[int, str]] = {}
    for t in _tables():
        h = hashlib.sha256()
        enc = _encoder(t)
        n = 0
        for row in conn.execute(select(t).order_by(*t.primary_key.columns)):
            h.update(json.dumps([e(v) for e, v in zip(enc, row, strict=True)], sort_keys=True, default=str).encode())
            n += 1
        out[t.name] = (n, h.hexdigest())
    return out

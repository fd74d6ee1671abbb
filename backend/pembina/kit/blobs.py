"""The file store: uploaded files' bytes, addressed by their sha256, outside the database.

The database keeps each file's metadata and its sha256 (a column marked `blob_column()`); the
bytes live in a `BlobStore`. Identical content is stored once, whatever the number of rows that
name it. Deleting a row never deletes bytes: `collect` (the `pembina files gc` command) removes
the blobs no row names any more and that were not stored (or stored again) within a grace
period, so an upload whose row is not committed yet is never collected under it.

`LocalStore` keeps the blobs in a directory (`PEMBINA_FILES_DIR`, `var/files` by default),
sharded as `ab/cd/<sha256>`, each written atomically: a temporary file in the same directory,
flushed and fsync'ed, renamed into place, the directory fsync'ed. Another store (an
S3-compatible bucket) implements the same abstract class and `get_store` returns it.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from abc import ABC, abstractmethod
from collections.abc import Container, Iterable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import String, select, union
from sqlalchemy.engine import Connection
from sqlalchemy.orm import mapped_column

from pembina.config import get_settings

SHA256 = re.compile(r"[0-9a-f]{64}")
CHUNK = 1 << 20
#: Blobs stored (or stored again) more recently than this are never collected.
DEFAULT_GRACE = timedelta(hours=1)


class BlobMissing(LookupError):
    """The store has no blob of that hash."""


class BlobMismatch(ValueError):
    """The bytes given do not have the hash they were announced with."""


def check_hash(sha256: str) -> str:
    if not SHA256.fullmatch(sha256):
        raise ValueError("not a sha256 hex digest")
    return sha256


class BlobStore(ABC):
    """Content-addressed storage of bytes."""

    @abstractmethod
    def put_stream(self, chunks: Iterable[bytes], expected: str | None = None) -> tuple[str, int]:
        """Store the bytes, return (sha256, size). `expected`: refuse (`BlobMismatch`) bytes of another hash."""

    @abstractmethod
    def open(self, sha256: str) -> BinaryIO:
        """The blob as a readable binary stream (`BlobMissing` when absent)."""

    @abstractmethod
    def exists(self, sha256: str) -> bool: ...

    @abstractmethod
    def size(self, sha256: str) -> int: ...

    @abstractmethod
    def hashes(self) -> Iterator[tuple[str, float]]:
        """Every stored blob with the time (epoch seconds) it was last stored."""

    @abstractmethod
    def delete(self, sha256: str, stored_before: float | None = None) -> bool:
        """Remove one blob (only if last stored before `stored_before`, when given), whether it was.
        Only `delete_unreferenced` calls it."""

    def put(self, data: bytes) -> str:
        return self.put_stream([data])[0]

    def get(self, sha256: str) -> bytes:
        with self.open(sha256) as f:
            return f.read()

    def iter_chunks(self, sha256: str, chunk: int = CHUNK) -> Iterator[bytes]:
        with self.open(sha256) as f:
            while block := f.read(chunk):
                yield block

    def delete_unreferenced(self, referenced: Container[str], grace: timedelta = DEFAULT_GRACE, now: float | None = None) -> list[str]:
        """Remove every blob not in `referenced` and last stored longer than `grace` ago."""
        cutoff = (time.time() if now is None else now) - grace.total_seconds()
        removed = []
        for sha256, stored_at in list(self.hashes()):
            if sha256 not in referenced and stored_at < cutoff and self.delete(sha256, stored_before=cutoff):
                removed.append(sha256)
        return removed


class LocalStore(BlobStore):
    """Blobs in a local directory, `root/ab/cd/<sha256>`."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        check_hash(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put_stream(self, chunks: Iterable[bytes], expected: str | None = None) -> tuple[str, int]:
        self.root.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as f:
                for chunk in chunks:
                    digest.update(chunk)
                    size += len(chunk)
                    f.write(chunk)
                f.flush()
                os.fsync(f.fileno())
            sha256 = digest.hexdigest()
            if expected is not None and sha256 != expected:
                raise BlobMismatch(f"the bytes have sha256 {sha256}, not {expected}")
            target = self.path(sha256)
            if target.exists():
                os.utime(target)  # stored again: the grace period starts over
                return sha256, size
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, target)
            tmp = ""
            _fsync_dir(target.parent)
            return sha256, size
        finally:
            if tmp:
                Path(tmp).unlink(missing_ok=True)

    def open(self, sha256: str) -> BinaryIO:
        try:
            return self.path(sha256).open("rb")
        except FileNotFoundError:
            raise BlobMissing(sha256) from None

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def size(self, sha256: str) -> int:
        try:
            return self.path(sha256).stat().st_size
        except FileNotFoundError:
            raise BlobMissing(sha256) from None

    def hashes(self) -> Iterator[tuple[str, float]]:
        if not self.root.is_dir():
            return
        for path in self.root.glob("??/??/*"):
            if SHA256.fullmatch(path.name) and path.parent.parent.name == path.name[:2] and path.parent.name == path.name[2:4]:
                yield path.name, path.stat().st_mtime

    def delete(self, sha256: str, stored_before: float | None = None) -> bool:
        path = self.path(sha256)
        try:
            # looked at again just before: a blob stored again since it was listed stays
            if stored_before is not None and path.stat().st_mtime >= stored_before:
                return False
            path.unlink()
        except FileNotFoundError:
            return False
        return True


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # e.g. Windows: directories cannot be opened
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_override: BlobStore | None = None
_stores: dict[Path, LocalStore] = {}


def get_store() -> BlobStore:
    """The configured store (a `LocalStore` at `PEMBINA_FILES_DIR`)."""
    if _override is not None:
        return _override
    root = Path(get_settings().files_dir)
    if root not in _stores:
        _stores[root] = LocalStore(root)
    return _stores[root]


def use_store(store: BlobStore | None) -> BlobStore | None:
    """Make `store` the one `get_store` returns (None: back to the settings'); returns the previous override."""
    global _override
    previous, _override = _override, store
    return previous


# -- the rows that name blobs ----------------------------------------------------------------


def blob_column(nullable: bool = False) -> Any:
    """A column holding the sha256 of a blob in the store (`collect` and backups find it by its info)."""
    return mapped_column(String(64), nullable=nullable, info={"blob": True})


def blob_columns(metadata: Any) -> list[Any]:
    return [c for t in metadata.sorted_tables for c in t.columns if c.info.get("blob")]


def referenced(conn: Connection, metadata: Any) -> set[str]:
    """Every hash a row names."""
    columns = blob_columns(metadata)
    if not columns:
        return set()
    stmt = union(*(select(c.label("sha256")).where(c.is_not(None)) for c in columns))
    return {sha for (sha,) in conn.execute(stmt)}


def collect(conn: Connection, metadata: Any, store: BlobStore | None = None, grace: timedelta = DEFAULT_GRACE) -> list[str]:
    """Delete the blobs no row names (and not stored within `grace`); the hashes removed."""
    return (store or get_store()).delete_unreferenced(referenced(conn, metadata), grace)

"""Stored files: decree (SK) scans, posyandu evidence documents, meeting attachments.

One way to take an upload in: its size capped, an empty file refused, its real kind sniffed from
its bytes (never the name or the type the client declares), its name made safe to store and to
send back in a header, its sha256 computed. And the columns the stored-file tables share: the
metadata and the sha256 naming the bytes in the file store (`pembina.kit.blobs`), which
downloads stream from (`download`).

The kinds are recognised by their first bytes, a PDF also by its `%%EOF` trailer: a handful of
signatures, stricter than a general magic-number library (which knows nothing of the trailer)
and needing none. XLSX and CSV have no signature of their own (an XLSX is a ZIP, a CSV is text),
so the file name's ending decides between those, after the bytes agree.
"""

from __future__ import annotations

import hashlib
import re
from contextlib import asynccontextmanager
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import Any, BinaryIO, Self

from fastapi import Request
from fastapi.responses import StreamingResponse
from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from pembina.config import get_settings
from pembina.kit import blobs
from pembina.kit.i18n import tr
from pembina.kit.db import utcnow
from pembina.kit.errors import PayloadTooLarge, UnsupportedMediaType, ValidationProblem
from pembina.kit.tabular import XLSX

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
CSV = "text/csv"

#: Room for the multipart framing (boundaries, part headers, small fields) around an uploaded file.
MULTIPART_OVERHEAD = 64 * 1024

#: Kinds recognised by their first bytes.
SIGNATURES = {b"%PDF-": PDF, b"\x89PNG\r\n\x1a\n": PNG, b"\xff\xd8\xff": JPEG}
#: The file name endings each kind may carry.
EXTENSIONS = {PDF: {".pdf"}, PNG: {".png"}, JPEG: {".jpg", ".jpeg", ".jpe"}, XLSX: {".xlsx"}, CSV: {".csv"}}
#: Declared types that mean the same kind.
ALIASES = {"image/jpg": JPEG, "image/pjpeg": JPEG, "application/x-pdf": PDF}
#: Declared types that claim nothing in particular.
GENERIC_TYPES = {"", "application/octet-stream", "binary/octet-stream", "application/unknown"}
#: Characters never kept in a stored name (control characters, and the quote that would end a
#: header's `filename="..."`): each becomes `_`.
UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f"]')


def looks_like_pdf(data: bytes) -> bool:
    """A PDF starts with '%PDF-1.x' / '%PDF-2.x' and ends with '%%EOF' (maybe followed by whitespace)."""
    return re.match(rb"%PDF-[12]\.\d", data[:8]) is not None and b"%%EOF" in data[-1024:]


def _suffix(filename: str | None) -> str:
    return PurePath((filename or "").replace("\\", "/")).suffix.lower()


def sniff(data: bytes, filename: str | None = None) -> str | None:
    """The file's kind from its bytes: PDF, PNG, JPEG; a ZIP named `.xlsx` is an XLSX, UTF-8
    text without NUL named `.csv` a CSV. None: none of these."""
    kind = next((k for signature, k in SIGNATURES.items() if data.startswith(signature)), None)
    if kind == PDF and not looks_like_pdf(data):
        return None
    if kind is not None:
        return kind
    suffix = _suffix(filename)
    if data.startswith(b"PK\x03\x04") and suffix == ".xlsx":
        return XLSX
    if suffix == ".csv" and b"\x00" not in data:
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
        return CSV
    return None


def claims_match(kind: str, filename: str | None, declared: str | None) -> bool:
    """Whether the name's ending and the declared type (when they claim anything) agree with the kind."""
    suffix = _suffix(filename)
    claimed = (declared or "").split(";")[0].strip().lower()
    claimed = ALIASES.get(claimed, claimed)
    return not ((suffix and suffix not in EXTENSIONS[kind]) or (claimed not in GENERIC_TYPES and claimed != kind))


def safe_name(filename: str | None, default: str) -> str:
    """The name to store: its last path part (`/` or `\\`), control characters and `"` replaced
    by `_`, at most 255 characters; `default` when nothing is left."""
    name = PurePath((filename or default).replace("\\", "/")).name
    return UNSAFE_NAME.sub("_", name)[:255] or default


def too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"The file is larger than {limit:,} bytes.", f"Berkas lebih besar dari {limit:,} bita.", max_bytes=limit)


def read_capped(stream: BinaryIO, limit: int) -> bytes:
    """The whole stream, refused (413) as soon as it passes `limit` bytes."""
    chunks, size = [], 0
    while True:
        chunk = stream.read(min(1 << 20, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
    return b"".join(chunks)


@dataclass(frozen=True)
class Upload:
    """An accepted file: what to store."""

    name: str
    content_type: str
    size: int
    sha256: str
    content: bytes


def accept(
    data: bytes, filename: str | None, *, limit: int, kinds: Collection[str], refusal: str, default_name: str, empty: str | None = ""
) -> Upload:
    """The checks every stored file passes, in this order: at most `limit` bytes (413), not empty
    (422 `empty`, by default "The file is empty."; None: an empty file is judged by its kind like any other, a 415), one of `kinds`
    by its bytes (415 `refusal`)."""
    if len(data) > limit:
        raise too_large(limit)
    if not data and empty is not None:
        raise ValidationProblem(empty or tr("The file is empty.", "Berkas kosong."), loc=["body", "file"])
    name = safe_name(filename, default_name)
    kind = sniff(data, name)
    if kind is None or kind not in kinds:
        raise UnsupportedMediaType(refusal)
    return Upload(name=name, content_type=kind, size=len(data), sha256=hashlib.sha256(data).hexdigest(), content=data)


@dataclass
class Multipart:
    """A multipart body's file (the field `file`, None when absent) and its text fields."""

    file: UploadFile | None
    fields: dict[str, str]


def multipart_form(limit_setting: str) -> Callable[[Request], AsyncIterator[Multipart | None]]:
    """A dependency: the multipart field `file` and the text fields beside it, read with the cap
    of the setting named `limit_setting`. A body larger than the allowed file (plus framing) is
    refused with 413 as soon as it is seen, never spooled to disk whole. None: not multipart."""

    async def upload(request: Request) -> AsyncIterator[Multipart | None]:
        async with _parsed(request, limit_setting) as form:
            yield form

    return upload


@asynccontextmanager
async def _parsed(request: Request, limit_setting: str) -> AsyncIterator[Multipart | None]:
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        yield None
        return
    limit = int(getattr(get_settings(), limit_setting))
    cap = limit + MULTIPART_OVERHEAD
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > cap:
        raise too_large(limit)

    async def capped() -> AsyncGenerator[bytes, None]:
        seen = 0
        async for chunk in request.stream():
            seen += len(chunk)
            if seen > cap:
                raise too_large(limit)
            yield chunk

    try:
        form = await MultiPartParser(request.headers, capped(), max_files=1, max_fields=10).parse()
    except MultiPartException as e:
        raise ValidationProblem(
            f"Malformed multipart body: {e.message}", f"Isi multipart tidak valid: {e.message}", loc=["body", "file"]
        ) from None
    try:
        file = form.get("file")
        fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
        yield Multipart(file=file if isinstance(file, UploadFile) else None, fields=fields)
    finally:
        await form.close()


def multipart_file(limit_setting: str) -> Callable[[Request], AsyncIterator[UploadFile | None]]:
    """A dependency: the multipart field `file`, read with the cap of the setting named
    `limit_setting` (as `multipart_form`). None: not multipart, or no file field."""

    async def upload(request: Request) -> AsyncIterator[UploadFile | None]:
        async with _parsed(request, limit_setting) as form:
            yield form.file if form is not None else None

    return upload


def multipart_body(description: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The `openapi_extra` of an upload read by `multipart_file` (or `multipart_form`): a required
    multipart body with one binary field, `file`, and the `extra` text fields' schemas (FastAPI
    cannot see a body the route reads itself)."""
    field = {"type": "string", "format": "binary", "description": description}
    schema = {"type": "object", "required": ["file"], "properties": {"file": field, **(extra or {})}}
    return {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}}


def store(upload: Upload) -> str:
    """Put the upload's bytes in the file store (once, whatever the number of rows naming them);
    its sha256. Before the row is committed: a row rolled back leaves an unreferenced blob, which
    `pembina files gc` removes after its grace period."""
    return blobs.get_store().put_stream([upload.content], expected=upload.sha256)[0]


def download(sha256: str, media_type: str, headers: dict[str, str]) -> StreamingResponse:
    """The stored bytes streamed from the file store (never read whole), with their length."""
    store = blobs.get_store()
    size = store.size(sha256)  # BlobMissing before the response starts, never halfway through it
    return StreamingResponse(store.iter_chunks(sha256), media_type=media_type, headers={**headers, "Content-Length": str(size)})


class StoredFile:
    """The columns of a table of uploaded files, a mixin. Each table declares its id, its owner
    and the owner's region_code itself, first: the columns keep their order, which backups
    record. The bytes live in the file store, named by `sha256`."""

    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    content_type: Mapped[str] = mapped_column(String(100), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = blobs.blob_column()
    uploaded_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    uploaded_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)

    def holding(self, upload: Upload, uploaded_by: str) -> Self:
        """This row (its owner's columns given to the constructor) holding the accepted `upload`,
        its bytes put in the file store."""
        self.filename, self.content_type, self.size = upload.name, upload.content_type, upload.size
        self.sha256, self.uploaded_by = store(upload), uploaded_by
        return self

    def response(self, headers: dict[str, str]) -> StreamingResponse:
        return download(self.sha256, self.content_type, headers)

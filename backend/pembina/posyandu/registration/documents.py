"""Evidence documents of a registration proposal: upload (the type sniffed from the bytes), list,
download, delete; they change only before the posyandu is proposed."""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePath

from sqlalchemy import select
from sqlalchemy.orm import Session

from pembina.config import get_settings
from pembina.kit.errors import InvalidTransition, NotFound, PayloadTooLarge, UnsupportedMediaType, ValidationProblem
from pembina.kit.scope import Principal
from pembina.posyandu import service as units
from pembina.posyandu.models import PosyanduDocument
from pembina.posyandu.models import RegistrationStatus as S
from pembina.posyandu.schemas import DocumentRead, DocumentType

#: Evidence can be changed only before it is proposed (and after a return or rejection).
DOCUMENTS_EDITABLE = {S.unregistered, S.returned, S.rejected}

DOC_LABELS = {
    "berita_acara_musyawarah": "Berita acara musyawarah pembentukan",
    "sk_pembentukan": "SK pembentukan posyandu",
    "sk_pengurus": "SK pengurus posyandu",
    "data_kader": "Data kader",
}

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sniff(data: bytes, filename: str, doc_type: str) -> str:
    """The content type from the bytes themselves (never the client's claim)."""
    suffix = PurePath(filename).suffix.lower()
    kind = None
    if data.startswith(b"%PDF-"):
        kind = "application/pdf"
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "image/png"
    elif data.startswith(b"\xff\xd8\xff"):
        kind = "image/jpeg"
    elif data.startswith(b"PK\x03\x04") and suffix == ".xlsx":
        kind = XLSX
    elif suffix == ".csv" and b"\x00" not in data:
        try:
            data.decode("utf-8-sig")
            kind = "text/csv"
        except UnicodeDecodeError:
            kind = None
    allowed = {"application/pdf", "image/png", "image/jpeg"} | ({XLSX, "text/csv"} if doc_type == "data_kader" else set())
    if kind not in allowed:
        names = "PDF, PNG or JPEG" + (", XLSX or CSV" if doc_type == "data_kader" else "")
        raise UnsupportedMediaType(f"A {doc_type} document must be a {names} file.")
    return kind


def _doc_read(d: PosyanduDocument) -> DocumentRead:
    return DocumentRead.model_validate(d)


def list_documents(session: Session, principal: Principal, posyandu_id: int) -> list[DocumentRead]:
    units.get(session, principal, posyandu_id)
    docs = session.scalars(select(PosyanduDocument).where(PosyanduDocument.posyandu_id == posyandu_id).order_by(PosyanduDocument.doc_type, PosyanduDocument.id))
    return [_doc_read(d) for d in docs]


def add_document(session: Session, principal: Principal, posyandu_id: int, doc_type: DocumentType, filename: str | None, data: bytes) -> DocumentRead:
    p = units.get(session, principal, posyandu_id)
    principal.ensure_can_write(p.region_code)
    if p.registration_status not in DOCUMENTS_EDITABLE:
        raise InvalidTransition(f"The posyandu is {p.registration_status}: its evidence can no longer change.")
    limit = get_settings().posyandu_document_max_bytes
    if len(data) > limit:
        raise PayloadTooLarge(f"The file is larger than {limit:,} bytes.")
    if not data:
        raise ValidationProblem("The file is empty.", loc=["body", "file"])
    name = PurePath((filename or "document").replace("\\", "/")).name
    name = re.sub(r'[\x00-\x1f\x7f"]', "_", name)[:255] or "document"
    kind = _sniff(data, name, doc_type.value)
    doc = PosyanduDocument(
        posyandu_id=p.id, region_code=p.region_code, doc_type=doc_type.value, filename=name, content_type=kind, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), content=data, uploaded_by=principal.subject,
    )
    session.add(doc)
    session.flush()
    return _doc_read(doc)


def get_document(session: Session, principal: Principal, posyandu_id: int, document_id: int) -> PosyanduDocument:
    units.get(session, principal, posyandu_id)
    doc = session.get(PosyanduDocument, document_id)
    if doc is None or doc.posyandu_id != posyandu_id:
        raise NotFound("Document not found.")
    return doc


def delete_document(session: Session, principal: Principal, posyandu_id: int, document_id: int) -> None:
    doc = get_document(session, principal, posyandu_id, document_id)
    p = units.get(session, principal, posyandu_id)
    principal.ensure_can_write(p.region_code)
    if p.registration_status not in DOCUMENTS_EDITABLE:
        raise InvalidTransition(f"The posyandu is {p.registration_status}: its evidence can no longer change.")
    session.delete(doc)
    session.flush()

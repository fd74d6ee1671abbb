"""Evidence documents of a registration proposal: upload (the type sniffed from the bytes), list,
download, delete; they change only before the posyandu is proposed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pembina.kit.i18n import tr
from pembina.config import get_settings
from pembina.kit import feed, files
from pembina.kit.repository import get_or_404
from pembina.auth import policy
from pembina.auth.policy import Action
from pembina.kit.scope import Principal
from pembina.kit.tabular import XLSX
from pembina.posyandu import service as units
from pembina.posyandu.models import PosyanduDocument
from pembina.posyandu.schemas import DocumentRead, DocumentType

DOC_LABELS = {
    "berita_acara_musyawarah": "Berita acara musyawarah pembentukan",
    "sk_pembentukan": "SK pembentukan posyandu",
    "sk_pengurus": "SK pengurus posyandu",
    "data_kader": "Data kader",
}

#: What evidence may be: a scan or a photo; the kader data also a spreadsheet.
KINDS = {files.PDF, files.PNG, files.JPEG}
KADER_KINDS = KINDS | {XLSX, files.CSV}


def _doc_read(d: PosyanduDocument) -> DocumentRead:
    return DocumentRead.model_validate(d)


def list_documents(session: Session, principal: Principal, posyandu_id: int) -> list[DocumentRead]:
    units.get(session, principal, posyandu_id)
    docs = session.scalars(
        select(PosyanduDocument).where(PosyanduDocument.posyandu_id == posyandu_id).order_by(PosyanduDocument.doc_type, PosyanduDocument.id)
    )
    return [_doc_read(d) for d in docs]


def add_document(
    session: Session, principal: Principal, posyandu_id: int, doc_type: DocumentType, filename: str | None, data: bytes
) -> DocumentRead:
    p = units.get(session, principal, posyandu_id)
    policy.require(principal, Action.add_document, p)
    kader = doc_type == DocumentType.data_kader
    upload = files.accept(
        data,
        filename,
        limit=get_settings().posyandu_document_max_bytes,
        kinds=KADER_KINDS if kader else KINDS,
        default_name="document",
        refusal=tr(
            f"A {doc_type.value} document must be a PDF, PNG or JPEG" + (", XLSX or CSV" if kader else "") + " file.",
            f"Dokumen {doc_type.value} harus berupa berkas PDF, PNG atau JPEG" + (", XLSX atau CSV" if kader else "") + ".",
        ),
    )
    doc = PosyanduDocument(posyandu_id=p.id, region_code=p.region_code, doc_type=doc_type.value).holding(upload, principal.subject)
    session.add(doc)
    session.flush()
    return _doc_read(doc)


def get_document(session: Session, principal: Principal, posyandu_id: int, document_id: int) -> PosyanduDocument:
    units.get(session, principal, posyandu_id)
    return get_or_404(session, PosyanduDocument, document_id, tr("Document", "Dokumen"), parent=(PosyanduDocument.posyandu_id, posyandu_id))


def delete_document(session: Session, principal: Principal, posyandu_id: int, document_id: int) -> None:
    doc = get_document(session, principal, posyandu_id, document_id)
    p = units.get(session, principal, posyandu_id)
    policy.require(principal, Action.delete_document, p)
    session.delete(doc)
    session.flush()


# -- the change feed shows these records as the API returns them (pembina.kit.feed) --------
feed.register(PosyanduDocument, DocumentRead, lambda _s, _p, rows: [_doc_read(d) for d in rows])

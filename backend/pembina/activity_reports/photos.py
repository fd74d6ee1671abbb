"""Photos of a report's month: a few JPEG or PNG files per report, their bytes in the file store.

Added and removed by whoever may edit the report, only while it is editable (a draft, or returned
for correction); read by whoever may read the report. The kind is judged by the bytes (never the
name or the type the client declares); the name is made safe; the caption is the alt text. The
photo's bytes are kept as sent (no re-encoding: nothing is stripped that cannot be stripped safely).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pembina.activity_reports import service
from pembina.activity_reports.models import ActivityReport, ActivityReportPhoto
from pembina.activity_reports.schemas import PhotoRead
from pembina.auth import policy
from pembina.auth.policy import Action
from pembina.config import get_settings
from pembina.kit import feed, files
from pembina.kit.errors import Conflict, ValidationProblem
from pembina.kit.i18n import tr
from pembina.kit.reads import read
from pembina.kit.repository import get_or_404
from pembina.kit.scope import Principal

KINDS = {files.JPEG, files.PNG}
#: The statuses in which photos may be added or removed.
EDITABLE = ("draft", "returned")
CAPTION_MAX = 200


def to_read(p: ActivityReportPhoto) -> PhotoRead:
    return read(PhotoRead, p)


def _editable(principal: Principal, r: ActivityReport) -> None:
    policy.require(principal, Action.update, r)
    if r.status not in EDITABLE:
        raise Conflict(
            f"Photos are added and removed only while the report is a draft or returned; this one is {r.status}.",
            f"Foto hanya dapat ditambah atau dihapus selama laporan berstatus draf atau dikembalikan; laporan ini {r.status}.",
            current_status=r.status,
        )


def list_photos(session: Session, principal: Principal, report_id: int) -> list[PhotoRead]:
    service.get(session, principal, report_id)
    rows = session.scalars(select(ActivityReportPhoto).where(ActivityReportPhoto.report_id == report_id).order_by(ActivityReportPhoto.id))
    return [to_read(p) for p in rows]


def add_photo(
    session: Session, principal: Principal, report_id: int, filename: str | None, data: bytes | None, caption: str | None
) -> PhotoRead:
    r = service.get(session, principal, report_id, lock=True)  # the count below holds against a concurrent upload
    _editable(principal, r)
    if data is None:
        raise ValidationProblem(
            "Send the photo as multipart/form-data field `file`.",
            "Kirim foto sebagai isian multipart/form-data `file`.",
            loc=["body", "file"],
        )
    caption = " ".join((caption or "").split()) or None
    if caption is not None and len(caption) > CAPTION_MAX:
        raise ValidationProblem(
            f"The caption is longer than {CAPTION_MAX} characters.",
            f"Keterangan lebih dari {CAPTION_MAX} karakter.",
            loc=["body", "caption"],
        )
    s = get_settings()
    upload = files.accept(
        data,
        filename,
        limit=s.activity_report_photo_max_bytes,
        kinds=KINDS,
        default_name="foto",
        refusal=tr(
            "A photo must be a JPEG or PNG image (checked by its content).",
            "Foto harus berupa gambar JPEG atau PNG (diperiksa dari isinya).",
        ),
    )
    count = session.scalar(select(func.count()).select_from(ActivityReportPhoto).where(ActivityReportPhoto.report_id == r.id)) or 0
    if count >= s.activity_report_photo_max_count:
        raise ValidationProblem(
            f"A report carries at most {s.activity_report_photo_max_count} photos; remove one first.",
            f"Sebuah laporan memuat paling banyak {s.activity_report_photo_max_count} foto; hapus salah satu terlebih dahulu.",
            loc=["body", "file"],
        )
    photo = ActivityReportPhoto(report_id=r.id, region_code=r.region_code, caption=caption).holding(upload, principal.subject)
    session.add(photo)
    session.flush()
    return to_read(photo)


def get_photo(session: Session, principal: Principal, report_id: int, photo_id: int) -> ActivityReportPhoto:
    service.get(session, principal, report_id)
    return get_or_404(session, ActivityReportPhoto, photo_id, tr("Photo", "Foto"), parent=(ActivityReportPhoto.report_id, report_id))


def delete_photo(session: Session, principal: Principal, report_id: int, photo_id: int) -> None:
    r = service.get(session, principal, report_id, lock=True)
    _editable(principal, r)
    photo = get_or_404(session, ActivityReportPhoto, photo_id, tr("Photo", "Foto"), parent=(ActivityReportPhoto.report_id, report_id))
    session.delete(photo)  # its bytes stay in the store until `pembina files gc` (another row may name them)
    session.flush()


feed.register(ActivityReportPhoto, PhotoRead, lambda _s, _p, rows: [to_read(p) for p in rows])

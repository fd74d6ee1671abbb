"""Readiness and the explicit registration transitions of one posyandu, and its history."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pembina.kit.i18n import tr
from pembina.auth import policy
from pembina.auth.policy import Action
from pembina.config import get_settings
from pembina.kit import feed
from pembina.kit.db import utcnow
from pembina.kit.errors import Conflict, ValidationProblem
from pembina.kit import personal
from pembina.kit.scope import Principal
from pembina.kit.versioning import ExpectedVersion
from pembina.posyandu import counters
from pembina.posyandu import service as units
from pembina.posyandu.models import Posyandu, PosyanduDocument, RegistrationBatch, RegistrationEvent
from pembina.posyandu.models import RegistrationStatus as S
from pembina.posyandu.registration.batches import maybe_complete
from pembina.posyandu.registration.common import check_number_format, move_counters, record, village_sk_reported
from pembina.posyandu.registration.documents import DOC_LABELS
from pembina.posyandu.schemas import BatchStatus, DocumentType, Readiness, ReadinessGap, RegistrationEventRead, TransitionRequest

#: action -> the status it leads to (who may take it, from which status, and when the evidence
#: may change: `pembina.auth.policy`)
TRANSITIONS: dict[str, str] = {
    "propose": S.proposed,
    "verify": S.verified,
    "return": S.returned,
    "reject": S.rejected,
    "register": S.registered,
    "reopen": S.unregistered,
}


#: The readiness gap of a village whose SK TP Posyandu is not reported (while the SK is required).
SK_GAP = "sk_not_reported"


def _gaps(session: Session, p: Posyandu) -> tuple[list[ReadinessGap], dict[DocumentType, bool], int]:
    present = set(session.scalars(select(PosyanduDocument.doc_type).where(PosyanduDocument.posyandu_id == p.id).distinct()))
    documents = {t: t.value in present for t in DocumentType}
    gaps = [
        ReadinessGap(
            code=f"missing_document:{t.value}",
            message=tr(f"{DOC_LABELS[t.value]} is not uploaded.", f"{DOC_LABELS[t.value]} belum diunggah."),
        )
        for t, ok in documents.items()
        if not ok
    ]
    if get_settings().registration_requires_sk and not village_sk_reported(session, p.region_code):
        village = p.village.name if p.village else p.region_code
        gaps.insert(
            0,
            ReadinessGap(
                code=SK_GAP,
                message=tr(
                    f"The SK TP Posyandu of {village} ({p.region_code}) is not reported: registration follows the SK, so a "
                    "posyandu is proposed only once its village's SK TP Posyandu has been reported.",
                    f"SK TP Posyandu {village} ({p.region_code}) belum dilaporkan: registrasi mengikuti SK, sehingga posyandu "
                    "baru dapat diusulkan setelah SK TP Posyandu desa/kelurahannya dilaporkan.",
                ),
            ),
        )
    minimum = get_settings().posyandu_min_pengurus_kader
    people = p.pengurus_count + p.kader_count
    if people < minimum:
        gaps.append(
            ReadinessGap(
                code="too_few_pengurus_kader",
                message=tr(
                    f"Pengurus + kader is {people}; at least {minimum} are needed.",
                    f"Jumlah pengurus + kader {people}; paling sedikit {minimum} diperlukan.",
                ),
            )
        )
    return gaps, documents, people


def readiness(session: Session, principal: Principal, posyandu_id: int) -> Readiness:
    p = units.get(session, principal, posyandu_id)
    gaps, documents, people = _gaps(session, p)
    return Readiness(
        posyandu_id=p.id,
        registration_status=p.registration_status,
        ready=not gaps,
        missing=gaps,
        documents=documents,
        pengurus_kader=people,
        min_pengurus_kader=get_settings().posyandu_min_pengurus_kader,
        sk_required=get_settings().registration_requires_sk,
        sk_reported=village_sk_reported(session, p.region_code),
    )


def _number_taken(session: Session, number: str, posyandu_id: int) -> bool:
    other = session.scalar(select(Posyandu.id).where(Posyandu.registration_number == number, Posyandu.id != posyandu_id).limit(1))
    return other is not None


def transition(session: Session, principal: Principal, posyandu_id: int, req: TransitionRequest, expected: ExpectedVersion) -> Posyandu:
    p = units.get(session, principal, posyandu_id)
    action = req.action.value
    policy.require_role(principal, Action(action), p)
    expected.check(p.version, lambda: units.to_read(p, principal))
    policy.require(principal, Action(action), p)
    target = TRANSITIONS[action]
    if action in ("return", "reject") and not (req.reason and req.reason.strip()):
        raise ValidationProblem(
            f"Say why: {action} needs a reason.", f"Sebutkan alasannya: {action} memerlukan alasan.", loc=["body", "reason"]
        )
    if action == "propose":
        gaps, _, _ = _gaps(session, p)
        if gaps:
            sk = next((g.message for g in gaps if g.code == SK_GAP), None)
            others = len(gaps) - (sk is not None)
            detail = (
                tr(f"Not ready to propose: {len(gaps)} gap(s).", f"Belum siap diusulkan: {len(gaps)} kekurangan.")
                if sk is None
                else sk + (tr(f" ({others} other gap(s).)", f" ({others} kekurangan lain.)") if others else "")
            )
            raise ValidationProblem(detail, errors=[{"loc": ["readiness", g.code], "msg": g.message, "type": "not_ready"} for g in gaps])
    number = None
    if action == "register":
        number = (req.registration_number or "").strip()
        if not number:
            raise ValidationProblem(
                "register needs the registration_number issued by the ministry.",
                "register memerlukan registration_number yang diterbitkan kementerian.",
                loc=["body", "registration_number"],
            )
        problem = check_number_format(number, p)
        if problem:
            raise ValidationProblem(problem, loc=["body", "registration_number"])
        if _number_taken(session, number, p.id):
            raise Conflict(
                f"Registration number '{number}' is already used by another posyandu.",
                f"Nomor registrasi '{number}' sudah dipakai posyandu lain.",
            )
    old = counters.of(p)
    frm = p.registration_status
    p.registration_status = target
    if action in ("return", "reject"):
        p.status_reason = req.reason.strip() if req.reason else None
        batch = session.get(RegistrationBatch, p.batch_id) if p.batch_id else None
        if batch is not None and batch.status == BatchStatus.draft:
            p.batch_id = None  # leaves a draft batch; a submitted batch keeps it for the record
    elif action == "propose":
        p.status_reason = None
        p.batch_id = None  # a re-proposal leaves the batch that returned it (events keep the history)
    if action == "register":
        p.registration_number = number
        p.registered_at = utcnow()
    record(session, principal, p, action, frm, target, reason=req.reason, number=number, batch_id=p.batch_id)
    session.flush()
    move_counters(session, [(p.region_code, old, counters.of(p))])
    if p.batch_id and action in ("register", "return", "reject"):
        maybe_complete(session, p.batch_id)
    return p


def events(session: Session, principal: Principal, posyandu_id: int) -> list[RegistrationEventRead]:
    units.get(session, principal, posyandu_id)
    rows = session.scalars(
        select(RegistrationEvent)
        .where(RegistrationEvent.posyandu_id == posyandu_id)
        .order_by(RegistrationEvent.occurred_at, RegistrationEvent.id)
    )
    return [personal.minimise(RegistrationEventRead.model_validate(e), None, principal.sees_personal_data) for e in rows]


# -- the change feed shows these records as the API returns them (pembina.kit.feed) --------
feed.register(RegistrationEvent, RegistrationEventRead, lambda _s, _p, rows: [RegistrationEventRead.model_validate(e) for e in rows])

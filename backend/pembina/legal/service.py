"""The legal references library: one national list, read by all, maintained by national administrators."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pembina.kit.i18n import tr
from pembina.kit import feed
from pembina.kit.repository import where_equal
from pembina.legal.schemas import LegalReferenceFilters
from pembina.kit.errors import Conflict, ValidationProblem
from pembina.kit.reads import read
from pembina.auth import policy
from pembina.auth.policy import Action
from pembina.legal.models import LegalReference
from pembina.legal.schemas import KIND_LABEL, LegalReferenceCreate, LegalReferenceRead, LegalReferenceRef, LegalReferenceUpdate
from pembina.kit.pagination import Page, PageParams, apply_sort, paginate
from pembina.kit.patch import reject_nulls, columns, stored
from pembina.kit.repository import get_or_404, search
from pembina.kit.scope import Principal
from pembina.kit.db import flush_write
from pembina.kit.versioning import ExpectedVersion

SORTS = {"year": LegalReference.year, "kind": LegalReference.kind, "number": LegalReference.number, "title": LegalReference.title}


def citation(ref: LegalReference) -> str:
    label = KIND_LABEL.get(ref.kind, "")
    issuer = f" {ref.issuer}" if ref.issuer else ""
    return f"{label}{issuer} No. {ref.number} Tahun {ref.year}".strip()


def to_read(ref: LegalReference) -> LegalReferenceRead:
    return read(LegalReferenceRead, ref, citation=citation(ref))


def to_ref(ref: LegalReference) -> LegalReferenceRef:
    return read(LegalReferenceRef, ref, citation=citation(ref))


def _ensure_maintainer(principal: Principal) -> None:
    policy.require(principal, Action.maintain_legal, policy.NATION)


def get(session: Session, reference_id: int) -> LegalReference:
    return get_or_404(session, LegalReference, reference_id, tr("Legal reference", "Dasar hukum"))


def resolve(session: Session, ids: Iterable[int], loc: list[str | int]) -> list[LegalReference]:
    """The references with these ids, in the given order; an unknown id is a 422 at `loc`."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    found = {r.id: r for r in session.scalars(select(LegalReference).where(LegalReference.id.in_(wanted)))}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise ValidationProblem(
            f"Unknown legal reference id(s): {', '.join(map(str, missing))}.",
            f"Id dasar hukum tidak dikenal: {', '.join(map(str, missing))}.",
            loc=loc,
        )
    return [found[i] for i in wanted]


def list_references(session: Session, params: PageParams, filters: LegalReferenceFilters) -> Page[LegalReferenceRead]:
    stmt = where_equal(select(LegalReference), (LegalReference.kind, filters.kind), (LegalReference.year, filters.year))
    if filters.q:
        stmt = stmt.where(search(filters.q, LegalReference.title, LegalReference.number))
    stmt = apply_sort(
        stmt,
        params.sort,
        SORTS,
        default=[LegalReference.year.desc(), LegalReference.kind, LegalReference.number],
        tiebreak=LegalReference.id,
    )
    return paginate(session, stmt, params, to_read)


def _ensure_unique(session: Session, kind: str, number: str, year: int, own_id: int | None = None) -> None:
    clash = session.scalar(
        select(LegalReference.id).where(LegalReference.kind == kind, LegalReference.number == number, LegalReference.year == year)
    )
    if clash is not None and clash != own_id:
        raise Conflict(f"The library already has this regulation (id {clash}).", f"Pustaka sudah memuat peraturan ini (id {clash}).")


def create(session: Session, principal: Principal, data: LegalReferenceCreate) -> LegalReference:
    _ensure_maintainer(principal)
    _ensure_unique(session, data.kind.value, data.number, data.year)
    ref = LegalReference(**columns(data))
    session.add(ref)
    session.flush()
    return ref


def update(
    session: Session, principal: Principal, reference_id: int, data: LegalReferenceUpdate, expected: ExpectedVersion
) -> LegalReference:
    _ensure_maintainer(principal)
    ref = get(session, reference_id)
    expected.check(ref.version, lambda: to_read(ref))
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    reject_nulls(changes, "kind", "number", "year", "title")
    kind = str(changes.get("kind", ref.kind))
    number, year = changes.get("number", ref.number), changes.get("year", ref.year)
    _ensure_unique(session, kind, number, year, ref.id)
    for key, value in changes.items():
        setattr(ref, key, stored(value))
    flush_write(session)
    return ref


def delete(session: Session, principal: Principal, reference_id: int) -> None:
    _ensure_maintainer(principal)
    ref = get(session, reference_id)
    session.delete(ref)
    try:
        flush_write(session)
    except IntegrityError:
        # meetings cite their legal basis ON DELETE RESTRICT
        raise Conflict(
            "Meetings cite this regulation as their legal basis: remove it from them first.",
            "Rapat mencantumkan peraturan ini sebagai dasar hukum: hapus dulu dari rapat tersebut.",
        ) from None


# -- the change feed shows these records as the API returns them (pembina.kit.feed) --------
feed.register(LegalReference, LegalReferenceRead, lambda _s, _p, rows: [to_read(r) for r in rows])

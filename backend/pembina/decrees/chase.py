"""Chasing a late region: its TP Posyandu and SK, how late against the deadline, and whom to contact.

A coordinator opens a region from the board's list of regions that have not reported and gets
one sheet: the team (its active TP Posyandu, else the Pokjanal/Pokja it still runs on), the SK
that counts (or the furthest one), its last step, the reporting deadline that applies and the
days past it (today in the offices' zone, `kit.clock`), and the people to chase: the region's
active accounts and its team's members, each with `tel:`, `mailto:` and a WhatsApp link whose
prefilled Indonesian reminder names the region and what is late. Contacts are shown only to
those the policy lets see them (`view_contacts`).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pembina.auth import policy
from pembina.auth.policy import Action
from pembina.decrees import compliance
from pembina.decrees.models import Decree, DecreeTransition
from pembina.decrees.schemas import ChaseDecree, ChaseSheet, ChaseStage, ChaseTeam, Contact, RegionContacts, TransitionRead
from pembina.kit import clock
from pembina.kit.phones import is_mobile, wa_digits
from pembina.kit.reads import read
from pembina.kit.scope import Principal, ancestors_of
from pembina.regions import service as regions
from pembina.regions.models import Region
from pembina.regions.schemas import RegionRef
from pembina.teams.models import Team, TeamMember
from pembina.users.models import User

#: A decree status's progress (the furthest SK is shown).
_RANK = {"revoked": 0, "draft": 1, "issued": 2, "reported": 3, "verified": 4}
_MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"]
_POSITIONS = {
    "pembina": "Pembina",
    "ketua": "Ketua",
    "wakil_ketua": "Wakil Ketua",
    "sekretaris": "Sekretaris",
    "bendahara": "Bendahara",
    "ketua_bidang": "Ketua Bidang",
    "anggota": "Anggota",
}
_LATE = {
    ChaseStage.no_team: "TP Posyandu belum dibentuk dan SK TP Posyandu belum diterbitkan",
    ChaseStage.no_decree: "SK TP Posyandu belum diterbitkan",
    ChaseStage.draft: "SK TP Posyandu masih berupa draf (belum diterbitkan)",
    ChaseStage.issued: "SK TP Posyandu sudah diterbitkan tetapi belum dilaporkan",
    ChaseStage.reported: "SK TP Posyandu sudah dilaporkan dan menunggu verifikasi",
    ChaseStage.verified: "SK TP Posyandu sudah dilaporkan dan diverifikasi",
}


def tanggal(d: date) -> str:
    """A date as Indonesian letters write it: 30 Juni 2026."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _place(region: Region, ancestors: list[Region]) -> str:
    """`Kelurahan Klego, Kota Pekalongan` (the region and its kab/kota)."""
    kind = {"kelurahan": "Kelurahan", "desa": "Desa", "desa_adat": "Desa", "kecamatan": "Kecamatan", "distrik": "Distrik"}.get(
        region.type, ""
    )
    name = f"{kind} {region.name}".strip()
    regency = next((a for a in ancestors if a.level == 2), None)
    return f"{name}, {regency.name}" if regency is not None and regency.code != region.code else name


def reminder_text(place: str, what: str, deadline: date | None, days_late: int | None) -> str:
    """The prefilled WhatsApp reminder (Indonesian)."""
    text = f"Yth. Bapak/Ibu, kami mengingatkan bahwa {what} untuk {place}."
    if deadline is not None:
        text += f" Batas pelaporan: {tanggal(deadline)}"
        text += f" (terlambat {days_late} hari)." if days_late else "."
    return text + " Mohon segera ditindaklanjuti dan dilaporkan melalui Pembina. Terima kasih."


def _whatsapp(phone: str | None, text: str) -> str | None:
    if phone is None or not is_mobile(phone):
        return None
    return f"https://wa.me/{wa_digits(phone)}?text={quote(text, safe='')}"


def _contact(
    kind: str, id_: int, name: str, role: str, institution: str | None, phone: str | None, email: str | None, text: str
) -> Contact:
    return Contact(
        kind="account" if kind == "account" else "member",
        id=id_,
        name=name,
        role=role,
        institution=institution,
        phone=phone,
        email=email,
        tel_url=f"tel:{phone}" if phone else None,
        mailto_url=f"mailto:{email}?subject={quote('Pengingat SK TP Posyandu', safe='')}&body={quote(text, safe='')}" if email else None,
        whatsapp_url=_whatsapp(phone, text),
    )


def contacts(session: Session, code: str, teams: list[Team], text: str) -> list[Contact]:
    """The region's active accounts, then its teams' members (by team, then as recorded)."""
    out = [
        _contact("account", u.id, u.full_name, u.role, None, u.phone, u.email, text)
        for u in session.scalars(select(User).where(User.region_code == code, User.is_active.is_(True)).order_by(User.id))
    ]
    if teams:
        members = session.scalars(
            select(TeamMember).where(TeamMember.team_id.in_([t.id for t in teams])).order_by(TeamMember.team_id, TeamMember.id)
        )
        out += [
            _contact("member", m.id, m.name, _POSITIONS.get(m.position, m.position), m.institution, m.phone, None, text) for m in members
        ]
    return out


def region_contacts(session: Session, principal: Principal, code: str) -> RegionContacts:
    """GET /regions/{code}/contacts: the sheet's contacts alone (403 unless `view_contacts`)."""
    regions.get_region(session, principal, code)
    policy.require(principal, Action.view_contacts, policy.region(code))
    sheet = chase(session, principal, code, None)
    return RegionContacts(region=sheet.region, reminder=sheet.reminder, contacts=sheet.contacts or [])


def _furthest(session: Session, code: str, tp: Team | None) -> Decree | None:
    """The SK that counts (forms the region's TP Posyandu) at its furthest status, else the furthest of any."""
    sks = session.scalars(select(Decree).where(Decree.region_code == code, Decree.subject == compliance.TEAM_FORMATION)).all()
    if not sks:
        return None
    tp_id = tp.id if tp is not None else None
    return max(sks, key=lambda d: (compliance.forms_tp(tp_id, d.team_id), _RANK.get(d.status, 0), d.id))


def _last_step(session: Session, decree_id: int) -> TransitionRead | None:
    row = session.scalars(
        select(DecreeTransition)
        .where(DecreeTransition.decree_id == decree_id)
        .order_by(DecreeTransition.occurred_at.desc(), DecreeTransition.id.desc())
        .limit(1)
    ).first()
    return read(TransitionRead, row) if row is not None else None


def _stage(tp: Team | None, decree: Decree | None, flags: dict[str, int]) -> ChaseStage:
    if flags.get("verified"):
        return ChaseStage.verified
    if flags.get("reported"):
        return ChaseStage.reported
    if flags.get("issued"):
        return ChaseStage.issued
    if tp is None:
        return ChaseStage.no_team
    if decree is not None and decree.status == "draft":
        return ChaseStage.draft
    return ChaseStage.no_decree


def chase(session: Session, principal: Principal, code: str, year: int | None) -> ChaseSheet:
    region = regions.get_region(session, principal, code)
    codes = ancestors_of(code)
    found = {r.code: r for r in session.scalars(select(Region).where(Region.code.in_(codes)))} if codes else {}
    ancestors = [found[c] for c in codes if c in found]
    today = clock.today()
    active = session.scalars(select(Team).where(Team.region_code == code, Team.is_active.is_(True)).order_by(Team.id)).all()
    tp = next((t for t in active if t.kind == compliance.TP_POSYANDU), None)
    shown = tp or next(iter(active), None)
    flags = compliance.own_flags(session, code)
    decree = _furthest(session, code, tp)
    stage = _stage(tp, decree, flags)
    late = not flags.get("reported")
    deadline = compliance.nearest_deadline(compliance.deadlines(session, code, year or today.year), code)
    overdue = bool(late and deadline is not None and today > deadline)
    days_late = (today - deadline).days if overdue and deadline is not None else None
    what = _LATE[stage]
    text = reminder_text(_place(region, ancestors), what, deadline if late else None, days_late)
    team = None
    if shown is not None:
        count = session.scalar(select(func.count()).select_from(TeamMember).where(TeamMember.team_id == shown.id)) or 0
        team = ChaseTeam(id=shown.id, name=shown.name, kind=shown.kind, formed_on=shown.formed_on, member_count=count)
    sk = None
    if decree is not None:
        sk = ChaseDecree(
            id=decree.id,
            title=decree.title,
            number=decree.number,
            decree_date=decree.decree_date,
            status=decree.status,
            has_file=decree.file_name is not None,
            last_transition=_last_step(session, decree.id),
        )
    may_contact = policy.allowed(principal, Action.view_contacts, policy.region(code))
    return ChaseSheet(
        region=read(RegionRef, region),
        ancestors=[read(RegionRef, a) for a in ancestors],
        today=today,
        stage=stage,
        late=late,
        team=team,
        legacy_structure=bool(flags.get(compliance.LEGACY)),
        decree=sk,
        deadline=deadline,
        overdue=overdue,
        days_late=days_late,
        what_is_late=what,
        reminder=text,
        contacts=contacts(session, code, list(active), text) if may_contact else None,
        allowed_actions=policy.allowed_actions(principal, policy.region(code)),
    )

"""The caller's notifications (in-app), marking them read, and their preferences."""

from __future__ import annotations

from sqlalchemy import case, exists, func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from pembina.auth import policy
from pembina.auth.policy import Action
from pembina.config import get_settings
from pembina.kit import clock
from pembina.kit.errors import Forbidden, ValidationProblem
from pembina.kit.i18n import tr
from pembina.kit.pagination import PageParams
from pembina.kit.phones import is_mobile
from pembina.api_clients.models import ApiClient
from pembina.kit.roles import Role
from pembina.kit.scope import Principal, level_of, subtree_clause
from pembina.notifications import render
from pembina.notifications import rules as catalog
from pembina.notifications.mailer import read_token
from pembina.notifications.models import Notification, NotificationPreference
from pembina.notifications.schemas import MarkRead, NotificationPage, NotificationRead, Preferences, PreferencesUpdate, ReadResult, RuleInfo
from pembina.users.models import User


def _account(principal: Principal) -> int:
    if principal.kind != "user":
        raise Forbidden("Notifications are for accounts of people, not API clients.", "Notifikasi untuk akun orang, bukan klien API.")
    return principal.id


def _mine(principal: Principal) -> list[ColumnElement[bool]]:
    """The caller's visible notifications: theirs, shown in-app, not cancelled, in their region."""
    n = Notification
    where: list[ColumnElement[bool]] = [n.user_id == _account(principal), n.in_app.is_(True), n.cancelled_at.is_(None)]
    if principal.region_code is not None:
        where.append(or_(n.region_code.is_(None), subtree_clause(n.region_code, principal.region_code)))
    return where


def _contacts(session: Session, principal: Principal, rows: list[Notification]) -> dict[str, str]:
    """A mobile number per responsible region below the caller whose contacts the caller may see."""
    codes = {r.region_code for r in rows if r.region_code and r.region_code != principal.region_code}
    if not codes:
        return {}
    allowed = {c for c in codes if c is not None and policy.allowed(principal, Action.view_contacts, policy.region(c))}
    out: dict[str, str] = {}
    if allowed:
        for code, phone in session.execute(
            select(User.region_code, User.phone)
            .where(User.region_code.in_(allowed), User.is_active.is_(True), User.phone.is_not(None))
            .order_by(User.id)
        ):
            if code is not None and code not in out and phone and is_mobile(phone):
                out[code] = phone
    return out


def to_read(n: Notification, whatsapp: bool, phone: str | None) -> NotificationRead:
    title, body = render.title(n), render.body(n)
    return NotificationRead(
        id=n.id,
        rule=n.rule,
        title=title,
        body=body,
        link=render.link(n),
        record_kind=n.record_kind,
        record_id=n.record_id,
        region_code=n.region_code,
        due_on=n.due_on,
        created_at=n.created_at,
        read=n.read_at is not None,
        read_at=n.read_at,
        email_status=n.email_status,
        whatsapp_url=render.whatsapp_url(f"{title}\n\n{body}", phone) if whatsapp else None,
    )


def unread(session: Session, principal: Principal) -> int:
    return session.scalar(select(func.count()).select_from(Notification).where(*_mine(principal), Notification.read_at.is_(None))) or 0


def list_mine(session: Session, principal: Principal, params: PageParams, only_unread: bool) -> NotificationPage:
    where = _mine(principal)
    if only_unread:
        where.append(Notification.read_at.is_(None))
    total = session.scalar(select(func.count()).select_from(Notification).where(*where)) or 0
    rows = list(
        session.scalars(select(Notification).where(*where).order_by(Notification.id.desc()).limit(params.limit).offset(params.offset))
    )
    no_whatsapp = set(
        session.scalars(
            select(NotificationPreference.rule).where(
                NotificationPreference.user_id == principal.id, NotificationPreference.whatsapp.is_(False)
            )
        )
    )
    phones = _contacts(session, principal, rows)
    items = [to_read(n, n.rule not in no_whatsapp, phones.get(n.region_code or "")) for n in rows]
    return NotificationPage(items=items, total=total, unread=unread(session, principal), limit=params.limit, offset=params.offset)


def mark_read(session: Session, principal: Principal, req: MarkRead) -> ReadResult:
    stmt = update(Notification).where(*_mine(principal), Notification.read_at.is_(None))
    if not req.all:
        stmt = stmt.where(Notification.id.in_(req.ids))
    result = session.execute(stmt.values(read_at=clock.utcnow()).execution_options(synchronize_session=False))
    session.flush()
    return ReadResult(marked=int(getattr(result, "rowcount", 0) or 0), unread=unread(session, principal))


def preferences(session: Session, principal: Principal) -> Preferences:
    uid = _account(principal)
    mine = {p.rule: p for p in session.scalars(select(NotificationPreference).where(NotificationPreference.user_id == uid))}
    infos = []
    for r in catalog.rules().values():
        if not _listed(session, principal, r):
            continue
        p = mine.get(r.code)
        infos.append(
            RuleInfo(
                rule=r.code,
                label=tr(r.label_en, r.label_id),
                audience=r.audience,
                enabled=r.enabled,
                days=r.days,
                working_days=r.working_days,
                in_app=p.in_app if p else True,
                email=p.email if p else True,
                whatsapp=p.whatsapp if p else True,
            )
        )
    digest = mine.get("weekly_digest")
    weekday = digest.weekday if digest is not None and digest.weekday is not None else catalog.DEFAULT_DIGEST_WEEKDAY
    email = session.scalar(select(User.email).where(User.id == uid))
    return Preferences(rules=infos, digest_weekday=weekday, email=email, email_configured=bool(get_settings().smtp_url))


def _listed(session: Session, principal: Principal, r: catalog.Rule) -> bool:
    """Whether the preferences page lists rule `r` to the caller: a rule that can reach their
    account (its levels; `webhook_disabled`: the owners of an API client, and the national admins
    who get it when the owner is gone)."""
    if r.code == "webhook_disabled":
        if principal.region_code is None and principal.role == Role.national_admin:
            return True
        return session.scalar(select(exists().where(ApiClient.created_by_user_id == principal.id))) or False
    return r.levels is None or (level_of(principal.region_code) if principal.region_code else 0) in r.levels


def _pref(session: Session, uid: int, rule: str) -> NotificationPreference:
    p = session.get(NotificationPreference, (uid, rule))
    if p is None:
        p = NotificationPreference(user_id=uid, rule=rule, in_app=True, email=True, whatsapp=True)
        session.add(p)
    return p


def set_preferences(session: Session, principal: Principal, req: PreferencesUpdate) -> Preferences:
    uid = _account(principal)
    for i, r in enumerate(req.rules):
        if r.rule not in catalog.DEFAULTS:
            raise ValidationProblem(
                f"Unknown rule '{r.rule}'. Known: {', '.join(catalog.DEFAULTS)}.",
                f"Aturan '{r.rule}' tidak dikenal. Yang dikenal: {', '.join(catalog.DEFAULTS)}.",
                loc=["body", "rules", i, "rule"],
            )
        p = _pref(session, uid, r.rule)
        p.in_app, p.email, p.whatsapp = r.in_app, r.email, r.whatsapp
    if req.digest_weekday is not None:
        _pref(session, uid, "weekly_digest").weekday = req.digest_weekday
    session.flush()
    return preferences(session, principal)


def unsubscribe(session: Session, token: str) -> str:
    """Stop a rule's e-mails for the account a signed token names; the rule's label."""
    found = read_token(token)
    if found is None or session.get(User, found[0]) is None:
        raise ValidationProblem(
            "This unsubscribe link is not valid (it may be cut short, or from another server).",
            "Tautan berhenti berlangganan ini tidak sah (mungkin terpotong, atau dari server lain).",
            loc=["query", "token"],
        )
    uid, rule = found
    _pref(session, uid, rule).email = False
    session.flush()
    r = catalog.rule(rule)
    return tr(r.label_en, r.label_id)


def resolve_webhook_disabled(session: Session, subscription_id: int) -> int:
    """A webhook subscription enabled again: its owner's "disabled" notifications are resolved
    (read, no longer listed, their e-mail not sent if it was still waiting); how many."""
    n = Notification
    now = clock.utcnow()
    result = session.execute(
        update(n)
        .where(n.rule == "webhook_disabled", n.subject == f"webhook:{subscription_id}", n.cancelled_at.is_(None))
        .values(
            read_at=func.coalesce(n.read_at, now),
            cancelled_at=now,
            email_status=case((n.email_status == "pending", "cancelled"), else_=n.email_status),
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)

"""Evaluating the rules: which reminders exist now, made once each (the unique key of
`notifications`), and which pending ones a resolved problem cancels.

Everything is judged at `now` (an instant, given by the worker: the kit clock, or a test's).
An SK deadline of a whole province or of the nation makes tens of thousands of reminders: they
are inserted by INSERT ... SELECT, one regency/city at a time, each batch committed on its own
so that no API request waits long behind it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Boolean, Integer, String, and_, case, cast, column, exists, func, literal, or_, select, table, update
from sqlalchemy.orm import Session, aliased

from pembina.activity_reports import fields as report_fields
from pembina.activity_reports.models import ActivityReport
from pembina.audit.models import AuditEvent
from pembina.auth import policy
from pembina.config import get_settings
from pembina.auth.policy import COORDINATOR_ROLES, DECREE_FROM, REGISTRATION_FROM, Action
from pembina.decrees import compliance
from pembina.decrees.models import Decree, DecreeTransition, ReportingDeadline
from pembina.kit import clock
from pembina.kit.roles import Role
from pembina.kit.scope import Principal, ancestors_of, level_of, subtree_clause
from pembina.meetings.models import FollowUp
from pembina.notifications import rules as catalog
from pembina.notifications import runs
from pembina.notifications.audience import Item, accounts_above, emit, here_and_above, insert_select, region_accounts, users_of
from pembina.notifications.models import Notification, NotificationPreference
from pembina.notifications.places import place, place_sql
from pembina.posyandu.models import Posyandu, RegistrationEvent
from pembina.regions.models import Region
from pembina.summary import tasks as my_tasks
from pembina.users.models import User

SessionFactory = Callable[[], Session]
#: Follow-up statuses that still need doing.
_OPEN = ("open", "in_progress")
#: How far before its last completed round (or, the first time, before now) a rule that reads
#: events looks: events older than the last round are read again (committed late, a clock a
#: little off), and made into nothing twice (the unique key); a worker stopped for weeks reads
#: every event since it stopped.
EVENT_LOOKBACK = timedelta(days=14)


def _day(now: datetime) -> date:
    return clock.local(now).date()


def _since(session: Session, task: str, now: datetime) -> datetime:
    """Where a rule reading events starts: `EVENT_LOOKBACK` before its last completed round
    (`worker_runs`), or before now the first time (or when the clock went back)."""
    last = runs.last_done(session, task)
    return min(now, last or now) - EVENT_LOOKBACK


# -- SK reporting deadlines ---------------------------------------------------------------------


def deadline_stage(today: date, due: date) -> tuple[str, str] | None:
    """The SK rule that applies `today` to a deadline `due`, and its occurrence; None: none yet."""
    r = catalog.rules()
    late, soon, early = r["sk_deadline_passed"], r["sk_deadline_soon"], r["sk_deadline_early"]
    if today > due:
        if not late.enabled:
            return None
        n = ((today - due).days - 1) // late.every_days if late.every_days else 0
        return late.code, f"late:{due.isoformat()}:{n}"
    for rule in (soon, early):
        if rule.enabled and today >= rule.shift(due, -rule.days):
            return rule.code, f"{rule.code.rsplit('_', 1)[1]}:{due.isoformat()}"
    return None


def _batches(session: Session, code: str) -> list[tuple[str, str]]:
    """A province's villages as ranges of codes of whole regencies/cities, each range at most
    `PEMBINA_WORKER_BATCH_SIZE` villages (or one regency/city, when it alone has more)."""
    size = get_settings().worker_batch_size
    out: list[tuple[str, str]] = []
    first: str | None = None
    last, count = "", 0
    for regency, villages in session.execute(
        select(Region.code, Region.village_count).where(Region.level == 2, subtree_clause(Region.code, code)).order_by(Region.code)
    ):
        if first is not None and count + villages > size:
            out.append((first, last + "/"))
            first, count = None, 0
        first = first or regency
        last, count = regency, count + villages
    if first is not None:
        out.append((first, last + "/"))
    return out


def _parts(session: Session, code: str) -> list[tuple[str, str, tuple[int, ...]]]:
    """The regions a deadline of `code` governs, as ranges of codes with the levels to look at
    in each: the region itself and every region under it, down to the villages (a province's
    villages in batches of whole regencies/cities; its few hundred regencies and districts at once)."""
    level = level_of(code)
    if level == 1:
        return [(code, code + "/", (1, 2, 3))] + [(lo, hi, (4,)) for lo, hi in _batches(session, code)]
    return [(code, code + "/", tuple(range(level, 5)))]


def sk_deadlines(factory: SessionFactory, now: datetime) -> int:
    """Reminders of every region whose team has not reported its SK TP Posyandu while its
    reporting deadline (the nearest at or above it) is near or past: a province's, a regency's
    or city's, a district's and a village's own SK alike, each for the region's accounts and
    the coordinators one level above (a province's: the national ones)."""
    today = _day(now)
    horizon = today + timedelta(days=62)  # early reminders never start further ahead than this
    with factory() as session:
        dues = session.execute(
            select(ReportingDeadline.region_code, ReportingDeadline.year, ReportingDeadline.due_date).where(
                ReportingDeadline.due_date <= horizon, ReportingDeadline.due_date >= today - timedelta(days=366)
            )
        ).all()
        by_year: dict[int, dict[str, date]] = {}
        for code, year, due in dues:
            by_year.setdefault(year, {})[code] = due
        jobs: list[tuple[str, date, str, str, list[str], list[tuple[str, str, tuple[int, ...]]]]] = []
        for y, governs in by_year.items():
            for code, due in governs.items():
                stage = deadline_stage(today, due)
                if stage is None:
                    continue
                nested = [c for c in governs if c != code and c.startswith(code + ".")]
                jobs.append((str(y), due, *stage, nested, _parts(session, code)))
    made = 0
    region = aliased(Region)
    for year_text, due, rule, occurrence, nested, parts in jobs:
        for lo, hi, levels in parts:  # one short transaction each
            with factory() as session:
                for level, audience in [(v, a) for v in levels for a in (region_accounts(region.code), _above(region, v))]:
                    stmt = (
                        select(
                            User.id.label("user_id"),
                            (literal("sk:", String) + region.code + literal(f":{year_text}", String)).label("subject"),
                            literal(occurrence, String).label("occurrence"),
                            region.code.label("region_code"),
                            literal("region", String).label("record_kind"),
                            literal(None).label("record_id"),
                            place_sql(region.name, region.type).label("title"),
                            literal(due).label("due_on"),
                        )
                        .select_from(region)
                        .join(User, audience)
                        .where(region.level == level, region.code >= lo, region.code < hi, ~compliance.sk_reported(region.code, level))
                    )
                    for j in nested:
                        stmt = stmt.where(~subtree_clause(region.code, j))
                    made += insert_select(session, rule, stmt, now)
                session.commit()
    return made


def _above(region: Any, level: int) -> Any:
    """The coordinators one level above a region of `level` (a province's: the national ones)."""
    return accounts_above(region.parent_code if level > 1 else None)


# -- follow-ups -----------------------------------------------------------------------------------


def follow_ups(factory: SessionFactory, now: datetime) -> int:
    """Open follow-ups due soon, and overdue ones: for the accounts of the meeting's region and
    the coordinators above it (a national meeting's: the national admins)."""
    today = _day(now)
    r = catalog.rules()
    soon, overdue = r["follow_up_due_soon"], r["follow_up_overdue"]
    made = 0
    with factory() as session:
        until = soon.shift(today, soon.days)
        rows = session.execute(
            select(FollowUp.id, FollowUp.meeting_id, FollowUp.region_code, FollowUp.action, FollowUp.due_on, Region.parent_code)
            .outerjoin(Region, Region.code == FollowUp.region_code)
            .where(FollowUp.status.in_(_OPEN), FollowUp.due_on.is_not(None), FollowUp.due_on <= until)
        ).all()
        users = users_of(session, {c for row in rows for c in (row.region_code, row.parent_code) if c})
        national = list(
            session.scalars(
                select(User.id).where(User.is_active.is_(True), User.region_code.is_(None), User.role == Role.national_admin.value)
            )
        )
        batches: dict[str, list[Item]] = {soon.code: [], overdue.code: []}
        for f in rows:
            rule = overdue if f.due_on < today else soon
            if not rule.enabled:
                continue
            audience = here_and_above(users, f.region_code, f.parent_code) if f.region_code else national
            batches[rule.code].append(
                Item(
                    subject=f"follow_up:{f.id}",
                    occurrence=f"{'overdue' if rule is overdue else 'soon'}:{f.due_on.isoformat()}",
                    users=audience,
                    region_code=f.region_code,
                    record_kind="follow_up",
                    record_id=f.id,
                    title=f.action,
                    due_on=f.due_on,
                    params={"meeting_id": f.meeting_id},
                )
            )
        for code, items in batches.items():
            made += emit(session, code, items, now)
        session.commit()
    return made


# -- registration -------------------------------------------------------------------------------


def registration_events(factory: SessionFactory, now: datetime) -> int:
    """A posyandu returned or rejected (to its village's accounts) and a registration number
    issued (to the village's accounts and its district's)."""
    r = catalog.rules()
    returned, issued = r["posyandu_returned"], r["registration_issued"]
    made = 0
    with factory() as session:
        since = _since(session, "registration_events", now)
        rows = session.execute(
            select(
                RegistrationEvent.id,
                RegistrationEvent.action,
                RegistrationEvent.reason,
                RegistrationEvent.registration_number,
                Posyandu.id.label("posyandu_id"),
                Posyandu.name,
                Posyandu.region_code,
                Region.parent_code,
            )
            .join(Posyandu, Posyandu.id == RegistrationEvent.posyandu_id)
            .join(Region, Region.code == Posyandu.region_code)
            .where(RegistrationEvent.action.in_(("return", "reject", "register")), RegistrationEvent.occurred_at >= since)
        ).all()
        users = users_of(session, {c for row in rows for c in (row.region_code, row.parent_code) if c})
        batches: dict[str, list[Item]] = {returned.code: [], issued.code: []}
        for e in rows:
            rule = issued if e.action == "register" else returned
            if not rule.enabled:
                continue
            audience = here_and_above(users, e.region_code, e.parent_code if rule is issued else None)
            params = {"action": e.action, "reason": e.reason} if rule is returned else {"number": e.registration_number}
            batches[rule.code].append(
                Item(
                    subject=f"posyandu:{e.posyandu_id}",
                    occurrence=f"event:{e.id}",
                    users=audience,
                    region_code=e.region_code,
                    record_kind="posyandu",
                    record_id=e.posyandu_id,
                    title=e.name,
                    params=params,
                )
            )
        for code, items in batches.items():
            made += emit(session, code, items, now)
        runs.mark_done(session, "registration_events", now)
        session.commit()
    return made


def _principal(u: Any) -> Principal:
    return Principal(kind="user", id=u.id, name=u.full_name, role=Role(u.role), region_code=u.region_code)


def waiting_verification(factory: SessionFactory, now: datetime) -> int:
    """Decrees and posyandu waiting for verification longer than the rule's days: for the
    coordinators who may verify them (`policy.allowed(..., verify, ...)`), the nearest level
    that has one."""
    rule = catalog.rule("waiting_verification")
    if not rule.enabled:
        return 0
    today = _day(now)
    since = clock.start_of(rule.shift(today, -rule.days))
    with factory() as session:
        verifiers: dict[str | None, list[tuple[Any, Principal]]] = {}
        for u in session.execute(
            select(User.id, User.full_name, User.role, User.region_code).where(
                User.is_active.is_(True), User.role.in_([r.value for r in COORDINATOR_ROLES])
            )
        ):
            verifiers.setdefault(u.region_code, []).append((u, _principal(u)))
        items: list[Item] = []
        decrees = session.scalars(select(Decree).where(Decree.status.in_(sorted(DECREE_FROM[Action.verify])), Decree.updated_at < since))
        posyandu = session.scalars(
            select(Posyandu).where(Posyandu.registration_status.in_(sorted(REGISTRATION_FROM[Action.verify])), Posyandu.updated_at < since)
        )
        waiting: list[tuple[str, Any]] = [("decree", d) for d in decrees] + [("posyandu", p) for p in posyandu]
        for kind, rec in waiting:
            for code in [*reversed(ancestors_of(rec.region_code)), None]:
                audience = [u.id for u, p in verifiers.get(code, []) if policy.allowed(p, Action.verify, rec)]
                if audience:
                    break
            if not audience:
                continue
            waiting_since = clock.local(rec.updated_at).date()
            items.append(
                Item(
                    subject=f"{kind}:{rec.id}",
                    occurrence=f"waiting:{waiting_since.isoformat()}",
                    users=audience,
                    region_code=rec.region_code,
                    record_kind=kind,
                    record_id=rec.id,
                    title=rec.title if kind == "decree" else rec.name,
                    due_on=waiting_since,
                )
            )
        made = emit(session, rule.code, items, now)
        session.commit()
    return made


# -- monthly activity reports ------------------------------------------------------------------


def _not_submitted(period: Any) -> Any:
    """SQL: the posyandu (`Posyandu`) has no report for `period` beyond a draft (the missing
    list's rule: `activity_reports.service.missing`)."""
    return ~exists().where(ActivityReport.posyandu_id == Posyandu.id, ActivityReport.period == period, ActivityReport.status != "draft")


def _expected(due: date) -> Any:
    """SQL: the posyandu (`Posyandu`) is expected to have reported by `due`: active, and recorded
    in Pembina by the end of that day (one recorded later was never late for that month)."""
    return and_(Posyandu.is_active.is_(True), Posyandu.created_at < clock.start_of(due + timedelta(days=1)))


def report_stages(today: date) -> list[tuple[catalog.Rule, str, date, str]]:
    """The activity-report rules that apply `today`: (rule, period, its due date, occurrence).

    Before a month's due date (`activity_reports.fields.due_date`: the configured working day of
    the next month), from the rule's days before it: due soon. After it, the latest month whose
    due date has passed is overdue, once and then every `every_days`, until the next month's due
    date passes and that month takes its place."""
    r = catalog.rules()
    soon = r["activity_report_due_soon"]
    current = report_fields.period_of(today)
    out: list[tuple[catalog.Rule, str, date, str]] = []
    if soon.enabled:
        for period in (report_fields.shift(current, -1), current):
            due = report_fields.due_date(period)
            if soon.shift(due, -soon.days) <= today <= due:
                out.append((soon, period, due, f"{period}:soon"))
    late = report_fields.shift(current, -1)
    if today <= report_fields.due_date(late):
        late = report_fields.shift(late, -1)
    due = report_fields.due_date(late)
    for rule in (r["activity_report_overdue"], r["activity_report_district_overdue"]):
        if rule.enabled:
            n = ((today - due).days - 1) // rule.every_days if rule.every_days else 0
            out.append((rule, late, due, f"{late}:late:{n}"))
    return out


#: `worker_runs` task names: a stage of a month done (every reminder of it made) is not evaluated
#: again on each round (a national month is hundreds of thousands of posyandu)
_STAGE_TASK = {
    "activity_report_due_soon": "ar_soon",
    "activity_report_overdue": "ar_late",
    "activity_report_district_overdue": "ar_district",
}


def activity_reports(factory: SessionFactory, now: datetime) -> int:
    """Monthly activity reports not yet submitted (none, or a draft) by the active posyandu (those
    recorded by the due date):
    before the due date and after it, to the accounts of the posyandu's village, one reminder
    per posyandu; after it, one notice per district to the district's accounts, counting its
    posyandu that have not reported. Each stage of a month is evaluated until it is done once
    (`worker_runs`), a province's villages in batches of whole regencies/cities, each batch
    committed on its own."""
    today = _day(now)
    made = 0
    for rule, period, due, occurrence in report_stages(today):
        task = f"{_STAGE_TASK[rule.code]}:{occurrence}"
        with factory() as session:
            if runs.last_done(session, task) is not None:
                continue
            provinces = list(session.scalars(select(Region.code).where(Region.level == 1).order_by(Region.code)))
            parts = [part for code in provinces for part in _batches(session, code)]
        if rule.code == "activity_report_district_overdue":
            made += _district_notices(factory, now, rule.code, period, due, occurrence)
        else:
            for lo, hi in parts:
                with factory() as session:
                    stmt = (
                        select(
                            User.id.label("user_id"),
                            (literal("activity_report:", String) + cast(Posyandu.id, String)).label("subject"),
                            literal(occurrence, String).label("occurrence"),
                            Posyandu.region_code.label("region_code"),
                            literal("posyandu", String).label("record_kind"),
                            Posyandu.id.label("record_id"),
                            Posyandu.name.label("title"),
                            literal(due).label("due_on"),
                        )
                        .select_from(Posyandu)
                        .join(User, region_accounts(Posyandu.region_code))
                        .where(_expected(due), Posyandu.region_code >= lo, Posyandu.region_code < hi, _not_submitted(period))
                    )
                    made += insert_select(session, rule.code, stmt, now)
                    session.commit()
        with factory() as session:
            runs.mark_done(session, task, now)
            session.commit()
    return made


def _district_notices(factory: SessionFactory, now: datetime, rule: str, period: str, due: date, occurrence: str) -> int:
    """One notice per district with posyandu that have not reported `period`, to its accounts."""
    with factory() as session:
        missing = case((_not_submitted(period), 1), else_=0)
        per_village = session.execute(
            select(Posyandu.region_code, func.count(), func.sum(missing)).where(_expected(due)).group_by(Posyandu.region_code)
        ).all()
        counts: dict[str, list[int]] = {}
        for village, active, absent in per_village:
            c = counts.setdefault(village.rsplit(".", 1)[0], [0, 0, 0])
            c[0] += active
            c[1] += int(absent or 0)
            c[2] += 1 if absent else 0
        districts = sorted(code for code, (_, absent, _) in counts.items() if absent)
        users = users_of(session, districts)
        names: dict[str, str] = {}
        for i in range(0, len(districts), 500):
            for code, name, type_ in session.execute(
                select(Region.code, Region.name, Region.type).where(Region.code.in_(districts[i : i + 500]))
            ):
                names[code] = place(name, type_)
        items = [
            Item(
                subject=f"activity_reports:{code}",
                occurrence=occurrence,
                users=[u for u, _ in users.get(code, [])],
                region_code=code,
                record_kind="activity_reports",
                title=names.get(code, code),
                due_on=due,
                params={"period": period, "expected": counts[code][0], "missing": counts[code][1], "villages": counts[code][2]},
            )
            for code in districts
            if users.get(code)
        ]
        made = emit(session, rule, items, now)
        session.commit()
    return made


# -- weekly digest --------------------------------------------------------------------------------


def weekly_digest(factory: SessionFactory, now: datetime) -> int:
    """Once a week, on each coordinator's day (or the first round after it): what is late in
    their region, what changed in the last seven days, and what waits for them."""
    rule = catalog.rule("weekly_digest")
    if not rule.enabled:
        return 0
    today = _day(now)
    year, week, _ = today.isocalendar()
    occurrence = f"{year}-W{week:02d}"
    made = 0
    with factory() as session:
        done = set(
            session.scalars(select(Notification.user_id).where(Notification.rule == rule.code, Notification.occurrence == occurrence))
        )
        days = dict(
            session.execute(
                select(NotificationPreference.user_id, NotificationPreference.weekday).where(NotificationPreference.rule == rule.code)
            ).all()
        )
        coordinators = session.execute(
            select(User.id, User.full_name, User.role, User.region_code).where(
                User.is_active.is_(True), User.role.in_([r.value for r in COORDINATOR_ROLES])
            )
        ).all()
        items: list[Item] = []
        week_ago = now - timedelta(days=7)
        for u in coordinators:
            weekday = days.get(u.id)
            if u.id in done or today.weekday() < (catalog.DEFAULT_DIGEST_WEEKDAY if weekday is None else weekday):
                continue
            p = _principal(u)
            t = my_tasks.tasks(session, p, 1)
            counts = {g.kind.value: g.count for g in t.groups}
            changed_decrees = session.scalar(
                p.readable(select(func.count()).select_from(DecreeTransition), DecreeTransition.region_code).where(
                    DecreeTransition.occurred_at >= week_ago
                )
            )
            changed_posyandu = session.scalar(
                p.readable(select(func.count()).select_from(RegistrationEvent), RegistrationEvent.region_code).where(
                    RegistrationEvent.occurred_at >= week_ago
                )
            )
            counts |= {"changed_decrees": changed_decrees or 0, "changed_posyandu": changed_posyandu or 0}
            items.append(
                Item(
                    subject=f"digest:{u.id}",
                    occurrence=occurrence,
                    users=[u.id],
                    region_code=u.region_code,
                    record_kind="digest",
                    params=counts,
                )
            )
        made += emit(session, rule.code, items, now)
        session.commit()
    return made


# -- integrators -----------------------------------------------------------------------------------

#: The audit action the webhooks' worker records when it disables a subscription after repeated
#: failure (`pembina.webhooks.outbox`, a sibling this package does not import): its details name
#: the API client, its owner, the URL and the reason.
WEBHOOK_DISABLED = "webhook_disabled"


#: The webhooks' subscriptions table (`pembina.webhooks.models`, a sibling this package does not
#: import), for whether a disabled subscription was enabled again (or deleted) since.
_SUBSCRIPTIONS = table("webhook_subscriptions", column("id", Integer), column("is_active", Boolean))


def _webhook_enabled(subject: Any) -> Any:
    """SQL: the subscription a `webhook:<id>` subject names is active again, or gone."""
    sub = _SUBSCRIPTIONS.c
    named = literal("webhook:", String) + cast(sub.id, String) == subject
    return ~exists().where(named, sub.is_active.is_(False))


def webhook_disabled(factory: SessionFactory, now: datetime) -> int:
    """A webhook subscription disabled after repeated failure: to the API client's owner (the
    account that created it; when it is gone, the national admins), from the audit trail."""
    rule = catalog.rule("webhook_disabled")
    made = 0
    with factory() as session:
        since = _since(session, rule.code, now)
        events = (
            session.execute(
                select(AuditEvent.id, AuditEvent.entity_id, AuditEvent.region_code, AuditEvent.after).where(
                    AuditEvent.action == WEBHOOK_DISABLED, AuditEvent.occurred_at >= since
                )
            ).all()
            if rule.enabled
            else []
        )
        if events:  # a subscription enabled again (or deleted) since is no longer news
            still = {str(i) for i in session.scalars(select(_SUBSCRIPTIONS.c.id).where(_SUBSCRIPTIONS.c.is_active.is_(False)))}
            events = [e for e in events if e.entity_id in still]
        owners = {(e.after or {}).get("owner_user_id") for e in events} - {None}
        active = set(session.scalars(select(User.id).where(User.id.in_(owners), User.is_active.is_(True)))) if owners else set()
        admins: list[int] = []
        if any((e.after or {}).get("owner_user_id") not in active for e in events):
            admins = list(
                session.scalars(
                    select(User.id).where(User.is_active.is_(True), User.region_code.is_(None), User.role == Role.national_admin.value)
                )
            )
        items: list[Item] = []
        for e in events:
            details = e.after or {}
            owner = details.get("owner_user_id")
            client_id = details.get("api_client_id")
            items.append(
                Item(
                    subject=f"webhook:{e.entity_id}",
                    occurrence=f"event:{e.id}",
                    users=[owner] if owner in active else admins,
                    region_code=e.region_code,
                    record_kind="api_client",
                    record_id=client_id if isinstance(client_id, int) else None,
                    title=str(details.get("url") or "")[:500] or None,
                    params={"reason": details.get("reason"), "subscription_id": e.entity_id},
                )
            )
        made = emit(session, rule.code, items, now)
        runs.mark_done(session, rule.code, now)
        session.commit()
    return made


# -- resolved problems ---------------------------------------------------------------------------


def cancel_resolved(factory: SessionFactory, now: datetime) -> int:
    """Cancel the reminders still pending (unread, or their e-mail not sent) whose problem is
    solved: the SK reported, the follow-up done or cancelled, the record verified or moved on,
    a returned posyandu proposed again."""
    n = Notification
    period_of = func.substr(n.occurrence, 1, 7)  # an activity report's occurrence starts with its month
    pending = and_(n.cancelled_at.is_(None), or_(n.read_at.is_(None), n.email_status == "pending"))
    solved = or_(
        and_(n.rule.in_(catalog.SK_RULES), compliance.any_sk_reported(n.region_code)),
        and_(n.rule.in_(catalog.FOLLOW_UP_RULES), ~exists().where(FollowUp.id == n.record_id, FollowUp.status.in_(_OPEN))),
        and_(
            n.rule == "waiting_verification",
            n.record_kind == "decree",
            ~exists().where(Decree.id == n.record_id, Decree.status.in_(sorted(DECREE_FROM[Action.verify]))),
        ),
        and_(
            n.rule == "waiting_verification",
            n.record_kind == "posyandu",
            ~exists().where(Posyandu.id == n.record_id, Posyandu.registration_status.in_(sorted(REGISTRATION_FROM[Action.verify]))),
        ),
        and_(
            n.rule == "posyandu_returned",
            ~exists().where(Posyandu.id == n.record_id, Posyandu.registration_status.in_(("returned", "rejected"))),
        ),
        and_(
            n.rule.in_(catalog.ACTIVITY_REPORT_RULES),
            or_(
                ~exists().where(Posyandu.id == n.record_id, Posyandu.is_active.is_(True)),
                exists().where(
                    ActivityReport.posyandu_id == n.record_id, ActivityReport.period == period_of, ActivityReport.status != "draft"
                ),
            ),
        ),
        and_(
            n.rule == "activity_report_district_overdue",
            ~exists().where(
                Posyandu.is_active.is_(True),
                Posyandu.region_code >= n.region_code,  # in the district's subtree (`kit.scope.subtree_clause`)
                Posyandu.region_code < n.region_code + "/",
                Posyandu.created_at < n.created_at,  # one recorded since the notice does not hold it open
                _not_submitted(period_of),
            ),
        ),
        and_(n.rule == "webhook_disabled", _webhook_enabled(n.subject)),
    )
    with factory() as session:
        result = session.execute(
            update(n)
            .where(pending, solved)
            .values(cancelled_at=now, email_status=case((n.email_status == "pending", "cancelled"), else_=n.email_status))
            .execution_options(synchronize_session=False)
        )
        session.commit()
        return int(getattr(result, "rowcount", 0) or 0)


#: The rules in the order a round evaluates them.
EVALUATORS: list[Callable[[SessionFactory, datetime], int]] = [
    sk_deadlines,
    activity_reports,
    follow_ups,
    registration_events,
    waiting_verification,
    weekly_digest,
    webhook_disabled,
]


def evaluate(factory: SessionFactory, now: datetime) -> int:
    """One round of every rule (after cancelling what was solved); the reminders made."""
    cancel_resolved(factory, now)
    return sum(evaluate_one(factory, now) for evaluate_one in EVALUATORS)

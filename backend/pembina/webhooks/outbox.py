"""The outbox: the change feed turned into deliveries, and deliveries sent.

* **Fan-out** (`fan_out`): the audit events after the cursor (in the change feed's commit-safe
  order: on PostgreSQL only transactions older than any still running) become events
  (`events.from_change`), and each event one delivery per active subscription that wants its
  type, was created before it, and whose client may read the record now: its payload is the
  record as the API returns it to that client (`kit.feed.records`, built for the client's own
  principal: the same scope rule as its GET and its change feed). The cursor row is locked
  (SKIP LOCKED on PostgreSQL: one worker fans out at a time) and moves in the same transaction
  as the deliveries it wrote, so a restart neither skips nor repeats; (subscription, event) is
  unique, so nothing is delivered twice anyway. `follow_up.overdue` comes from the clock.
* **Sending** (`send_due`): due deliveries are claimed with FOR UPDATE SKIP LOCKED (several
  workers share the work) by moving their next attempt a lease ahead, in a short transaction;
  then each is POSTed (no transaction open meanwhile) and its outcome written in another.
  A 2xx answer succeeds; anything else is retried with exponential backoff (the next attempt
  waits twice the time since the first: 1, 3, 9, 27, 81 min, ... then a last one 24 h after the
  first); then the delivery has failed for good. A subscription whose last
  `PEMBINA_WEBHOOK_DISABLE_AFTER` deliveries all failed is disabled, and the audit trail
  records a `webhook_disabled` event naming the client's owner; the reminders' worker turns it
  into a notification to the owner (in the bell, and by e-mail as they chose:
  `pembina.notifications.generate.webhook_disabled`).
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import String, cast, exists, func, literal, or_, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from standardwebhooks import Webhook

from pembina.api_clients.models import ApiClient
from pembina.audit import recorder
from pembina.audit.models import AuditEvent
from pembina.auth.deps import principal_for_subject
from pembina.config import get_settings
from pembina.kit import clock, feed
from pembina.kit.scope import Principal, code_covers
from pembina.kit.scopes import Scope
from pembina.meetings.models import FollowUp
from pembina.meetings.schemas import PENDING
from pembina.webhooks import urls
from pembina.webhooks.events import SOURCES, Event, EventType, from_change
from pembina.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookCursor, WebhookDelivery, WebhookSubscription

CURSOR = "feed"
#: Audit events read per batch, batches per tick.
BATCH = 1000
MAX_BATCHES = 20
#: Deliveries claimed per tick, and how long a claim lasts (a worker that dies mid-send leaves
#: them to be sent again after it).
SEND_BATCH = 50
LEASE = timedelta(minutes=5)
#: Overdue follow-ups turned into deliveries per subscription and tick.
OVERDUE_BATCH = 500
EXCERPT = 1000
FIRST_RETRY = timedelta(minutes=1)
FEED_ACTIONS = ("create", "update", "delete")

SessionFactory = Callable[[], Session]


def _is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _visible(session: Session, stmt: Any) -> Any:
    """Audit events of finished transactions only (on PostgreSQL: older than any still running,
    plus the reader's own), as the change feed hands them out."""
    if not _is_pg(session):
        return stmt
    horizon, own = session.execute(select(func.txid_snapshot_xmin(func.txid_current_snapshot()), func.txid_current_if_assigned())).one()
    return stmt.where(or_(AuditEvent.txid < horizon, AuditEvent.txid == own) if own is not None else AuditEvent.txid < horizon)


def ensure_cursor(session: Session) -> None:
    """Start the cursor at the change feed's present, once (when the first subscription is
    made): subscriptions receive what happens from then on, never the history."""
    if session.get(WebhookCursor, CURSOR) is not None:
        return
    stmt = select(AuditEvent.txid, AuditEvent.id).order_by(AuditEvent.txid.desc(), AuditEvent.id.desc()).limit(1)
    if _is_pg(session):
        horizon = session.scalar(select(func.txid_snapshot_xmin(func.txid_current_snapshot())))
        stmt = stmt.where(AuditEvent.txid < horizon)  # never past a running transaction (its events come later)
    last = session.execute(stmt).first()
    values = {"name": CURSOR, "txid": last[0] if last else -1, "event_id": last[1] if last else 0, "updated_at": clock.utcnow()}
    insert = (postgresql.insert if _is_pg(session) else sqlite.insert)(WebhookCursor).values(values)
    session.execute(insert.on_conflict_do_nothing(index_elements=["name"]))


def message_id(delivery_id: int) -> str:
    return f"msg_{delivery_id}"


def body(event: Event, occurred_at: datetime, region_code: str | None, schema: str | None, data: dict[str, Any]) -> str:
    """The JSON a delivery sends (and signs) on every attempt."""
    payload = {
        "type": event.type.value,
        "timestamp": occurred_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "region_code": region_code,
        "schema": schema,
        "data": data,
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


# -- fan-out --------------------------------------------------------------------------------


def _insert(session: Session, rows: list[dict[str, Any]]) -> int:
    if not rows:
        return 0
    dialect = postgresql if _is_pg(session) else sqlite
    stmt = (
        dialect.insert(WebhookDelivery)
        .on_conflict_do_nothing(index_elements=["subscription_id", "event_key"])
        .returning(WebhookDelivery.id)
    )
    created = 0
    for row in rows:  # one by one: RETURNING tells which were new
        created += len(session.execute(stmt.values(row)).all())
    return created


#: The read scope a client needs for an event, by the event's subject (`pembina.kit.scopes`).
_SCOPE: dict[str, str] = {
    "decree": Scope.decrees_read,
    "posyandu": Scope.posyandu_read,
    "team": Scope.teams_read,
    "meeting": Scope.meetings_read,
    "follow_up": Scope.meetings_read,
    "activity_report": Scope.posyandu_read,  # the posyandu family's (`pembina.auth.scopes`)
}


class _Clients:
    """Each subscription's client as the principal the API would see (None: inactive)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.known: dict[int, Principal | None] = {}

    def __call__(self, client_id: int) -> Principal | None:
        if client_id not in self.known:
            self.known[client_id] = principal_for_subject(self.session, f"client:{client_id}")
        return self.known[client_id]


def _records(session: Session, principal: Principal, wanted: Sequence[Event]) -> dict[tuple[str, str], tuple[dict[str, Any], str]]:
    """The records these events are about that the client may read now, as the API returns them."""
    ids: dict[str, set[str]] = defaultdict(set)
    for ev in wanted:
        if not ev.type.value.endswith(".deleted") and feed.registered(ev.entity_type):
            ids[ev.entity_type].add(ev.entity_id)
    out: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
    for name, some in ids.items():
        entry = feed.registered(name)
        assert entry is not None
        for entity_id, data in feed.records(session, principal, name, some).items():
            out[(name, entity_id)] = (data, entry.schema_name)
    return out


def _deliveries(
    session: Session, sub: WebhookSubscription, principal: Principal, items: list[tuple[str, Event, datetime, str | None]], now: datetime
) -> int:
    """Deliveries of these (key, event, when, region) to `sub`, for the records its client may read."""
    items = [item for item in items if principal.has_scope(_SCOPE[item[1].type.value.split(".")[0]])]  # the client's token scopes
    found = _records(session, principal, [ev for _, ev, _, _ in items])
    rows = []
    for key, ev, occurred_at, region in items:
        if ev.type.value.endswith(".deleted"):
            if not principal.covers(region):
                continue
            data, schema = {"id": int(ev.entity_id) if ev.entity_id.isdigit() else ev.entity_id}, None
        else:
            got = found.get((ev.entity_type, ev.entity_id))
            if got is None:  # not readable by this client now (out of its region, or gone since)
                continue
            data, schema = got
        rows.append(
            {
                "subscription_id": sub.id,
                "event_key": key,
                "event_type": ev.type.value,
                "entity_type": ev.entity_type,
                "entity_id": ev.entity_id,
                "region_code": region,
                "occurred_at": occurred_at,
                "body": body(ev, occurred_at, region, schema, data),
                "status": DeliveryStatus.pending,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
        )
    return _insert(session, rows)


def _active(session: Session) -> list[WebhookSubscription]:
    stmt = select(WebhookSubscription).join(ApiClient, ApiClient.id == WebhookSubscription.api_client_id)
    return list(session.scalars(stmt.where(WebhookSubscription.is_active.is_(True), ApiClient.is_active.is_(True))).all())


def fan_out(session: Session, now: datetime) -> int:
    """New change-feed entries into deliveries; how many deliveries were created."""
    cursor = session.scalars(select(WebhookCursor).where(WebhookCursor.name == CURSOR).with_for_update(skip_locked=True)).first()
    if cursor is None:  # no subscription was ever made, or another worker is at it
        return 0
    subs = _active(session)
    clients = _Clients(session)
    created = 0
    for _ in range(MAX_BATCHES):
        key = tuple_(AuditEvent.txid, AuditEvent.id)
        stmt = select(AuditEvent).where(key > tuple_(literal(cursor.txid), literal(cursor.event_id)), AuditEvent.action.in_(FEED_ACTIONS))
        rows = session.scalars(_visible(session, stmt).order_by(AuditEvent.txid, AuditEvent.id).limit(BATCH)).all()
        if not rows:
            break
        events = [
            (e, ev)
            for e in rows
            if e.entity_type in SOURCES and (ev := from_change(e.entity_type, e.action, e.entity_id, e.before, e.after)) is not None
        ]
        for sub in subs:
            wanted = set(sub.event_types)
            mine = [
                (f"a{e.id}", ev, e.occurred_at, e.region_code)
                for e, ev in events
                if ev.type.value in wanted
                and e.occurred_at >= sub.created_at
                and (sub.region_code is None or (e.region_code is not None and code_covers(sub.region_code, e.region_code)))
            ]
            principal = clients(sub.api_client_id) if mine else None
            if principal is not None:
                created += _deliveries(session, sub, principal, mine, now)
        cursor.txid, cursor.event_id = rows[-1].txid, rows[-1].id
        if len(rows) < BATCH:
            break
    cursor.updated_at = now
    created += _overdue(session, subs, clients, now)
    return created


def _overdue(session: Session, subs: list[WebhookSubscription], clients: _Clients, now: datetime) -> int:
    """`follow_up.overdue`: once per follow-up and due date, for follow-ups that fell overdue
    (still open the day after their due date) since the subscription was made."""
    today = clock.local(now).date()
    created = 0
    for sub in subs:
        if EventType.follow_up_overdue.value not in sub.event_types:
            continue
        principal = clients(sub.api_client_id)
        if principal is None:
            continue
        key = literal("overdue:") + cast(FollowUp.id, String) + literal(":") + cast(FollowUp.due_on, String)
        sent = exists().where(WebhookDelivery.subscription_id == sub.id, WebhookDelivery.event_key == key)
        since = clock.local(sub.created_at).date() - timedelta(days=1)
        stmt = select(FollowUp.id, FollowUp.due_on, FollowUp.region_code).where(
            FollowUp.status.in_(PENDING), FollowUp.due_on.is_not(None), FollowUp.due_on < today, FollowUp.due_on >= since, ~sent
        )
        rows = session.execute(
            principal.readable(stmt, FollowUp.region_code).order_by(FollowUp.due_on, FollowUp.id).limit(OVERDUE_BATCH)
        ).all()
        items: list[tuple[str, Event, datetime, str | None]] = []
        for fid, due, region in rows:
            assert due is not None  # the query asks for a due date
            event = Event(EventType.follow_up_overdue, "follow_ups", str(fid))
            items.append((f"overdue:{fid}:{due.isoformat()}", event, clock.start_of(due + timedelta(days=1)), region))
        created += _deliveries(session, sub, principal, items, now)
    return created


# -- sending ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    delivery_id: int
    subscription_id: int
    url: str
    secret: str
    body: str


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    latency_ms: int
    excerpt: str | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def claim(session: Session, now: datetime) -> list[Job]:
    """Due deliveries of active subscriptions, claimed for one lease (SKIP LOCKED on PostgreSQL)."""
    stmt = (
        select(WebhookDelivery, WebhookSubscription)
        .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
        .where(
            WebhookDelivery.status == DeliveryStatus.pending,
            WebhookDelivery.next_attempt_at <= now,
            WebhookSubscription.is_active.is_(True),
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(SEND_BATCH)
    )
    if _is_pg(session):
        stmt = stmt.with_for_update(skip_locked=True, of=WebhookDelivery)
    jobs = []
    for delivery, sub in session.execute(stmt).all():
        delivery.next_attempt_at = now + LEASE
        if delivery.first_attempt_at is None:
            delivery.first_attempt_at = now
        jobs.append(Job(delivery.id, sub.id, sub.url, sub.secret, delivery.body))
    session.flush()
    return jobs


def _excerpt(raw: bytes) -> str:
    return raw[:EXCERPT].decode("utf-8", errors="replace").replace("\x00", "")[:EXCERPT]


def send(job: Job) -> Outcome:
    """POST one delivery, signed (Standard Webhooks), to the address its URL resolves to now."""
    settings = get_settings()
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        target = urls.resolve(urls.parse(job.url))
    except urls.UnsafeUrl as e:
        return Outcome(None, took(), None, e.en[:500])
    url, host, extensions = urls.pinned(target)
    # The instant of sending, on the wall clock the receiver checks it against (Standard
    # Webhooks receivers refuse a timestamp more than 5 minutes off theirs).
    sent_at = datetime.fromtimestamp(int(time.time()), UTC)
    mid = message_id(job.delivery_id)
    headers = {
        **host,
        "content-type": "application/json",
        "user-agent": "Pembina-Webhooks/1.0",
        "webhook-id": mid,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": Webhook(job.secret).sign(mid, sent_at, job.body.encode()),
    }
    try:
        with httpx.Client(timeout=settings.webhook_timeout_seconds, follow_redirects=False, trust_env=False) as client:
            request = client.build_request("POST", url, content=job.body.encode(), headers=headers, extensions=extensions)
            response = client.send(request, stream=True)
            try:
                got = b""
                for chunk in response.iter_raw():
                    got += chunk
                    if len(got) >= EXCERPT:
                        break
            finally:
                response.close()
            return Outcome(response.status_code, took(), _excerpt(got) or None, None)
    except httpx.HTTPError as e:
        return Outcome(None, took(), None, f"{type(e).__name__}: {e}"[:500])


def next_attempt(first: datetime, now: datetime) -> datetime | None:
    """When to try again after a failure at `now` (None: the 24 h are over): twice the time
    since the first attempt (at least a minute), and a last try when the window ends."""
    window = first + timedelta(hours=get_settings().webhook_retry_hours)
    if now >= window:
        return None
    return min(now + max(FIRST_RETRY, 2 * (now - first)), window)


def record(session: Session, job: Job, outcome: Outcome, now: datetime) -> None:
    """Write an attempt's outcome: the attempt, the delivery's state, maybe the subscription's disabling."""
    delivery = session.get(WebhookDelivery, job.delivery_id)
    if delivery is None:  # its subscription was deleted meanwhile
        return
    session.add(
        WebhookAttempt(
            delivery_id=delivery.id,
            attempted_at=now,
            status_code=outcome.status_code,
            latency_ms=outcome.latency_ms,
            response_excerpt=outcome.excerpt,
            error=outcome.error,
        )
    )
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = outcome.status_code
    delivery.last_latency_ms = outcome.latency_ms
    delivery.last_response = outcome.excerpt
    delivery.last_error = outcome.error
    if outcome.ok:
        delivery.status, delivery.next_attempt_at, delivery.finished_at = DeliveryStatus.succeeded, None, now
        return
    retry = next_attempt(delivery.first_attempt_at or now, now)
    if retry is not None:
        delivery.next_attempt_at = retry
        return
    delivery.status, delivery.next_attempt_at, delivery.finished_at = DeliveryStatus.failed, None, now
    session.flush()
    _maybe_disable(session, delivery.subscription_id, now)


def _maybe_disable(session: Session, subscription_id: int, now: datetime) -> None:
    n = get_settings().webhook_disable_after
    last = session.scalars(
        select(WebhookDelivery.status)
        .where(WebhookDelivery.subscription_id == subscription_id, WebhookDelivery.status != DeliveryStatus.pending)
        .order_by(WebhookDelivery.finished_at.desc(), WebhookDelivery.id.desc())
        .limit(n)
    ).all()
    if len(last) < n or any(s != DeliveryStatus.failed for s in last):
        return
    sub = session.get(WebhookSubscription, subscription_id)
    if sub is None or not sub.is_active:
        return
    sub.is_active = False
    sub.disabled_at = now
    sub.disabled_reason = f"{n} deliveries in a row failed for good (each retried for {get_settings().webhook_retry_hours:g} h)."
    session.flush()
    owner = session.scalar(select(ApiClient.created_by_user_id).where(ApiClient.id == sub.api_client_id))
    recorder.record(
        session,
        "webhook_disabled",
        "webhook_subscriptions",
        str(sub.id),
        sub.region_code,
        {"api_client_id": sub.api_client_id, "owner_user_id": owner, "url": sub.url, "reason": sub.disabled_reason},
    )


def send_due(session_factory: SessionFactory, now: datetime) -> int:
    """Claim due deliveries, send them, record each outcome; how many were attempted."""
    with session_factory() as session:
        jobs = claim(session, now)
        session.commit()
    for job in jobs:
        outcome = send(job)
        with session_factory() as session:
            session.info["actor"] = "system:webhooks"
            record(session, job, outcome, now)
            session.commit()
    return len(jobs)

"""API clients' webhook subscriptions and their deliveries."""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pembina.api_clients import service as api_clients
from pembina.api_clients.models import ApiClient
from pembina.auth import policy
from pembina.auth.policy import Action
from pembina.kit import clock, feed
from pembina.kit.errors import Conflict, NotFound, ValidationProblem
from pembina.kit.i18n import tr
from pembina.kit.pagination import Page, PageParams, apply_sort, paginate
from pembina.kit.repository import get_or_404, where_equal
from pembina.kit.scope import Principal
from pembina.kit.versioning import ExpectedVersion
from pembina.webhooks import outbox, urls
from pembina.webhooks.events import EventType, describe
from pembina.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookSubscription
from pembina.webhooks.schemas import (
    AttemptRead,
    DeliveryDetail,
    DeliveryFilters,
    DeliveryRead,
    EventTypeRead,
    WebhookCreate,
    WebhookRead,
    WebhookUpdate,
    WebhookWithSecret,
)

SORTS = {"created_at": WebhookSubscription.created_at, "url": WebhookSubscription.url}
#: Called, in the request's transaction, with a subscription's id when it is enabled again after
#: being disabled: the reminders resolve its owner's "disabled" notification (`pembina.api`
#: registers `pembina.notifications.service.resolve_webhook_disabled`: a sibling this one does not import).
ENABLED_AGAIN: list[Callable[[Session, int], object]] = []
DELIVERY_SORTS = {"created_at": WebhookDelivery.id, "next_attempt_at": WebhookDelivery.next_attempt_at}


def event_types() -> list[EventTypeRead]:
    return [EventTypeRead(type=e, description=describe(e)) for e in EventType]


def new_secret() -> str:
    """A Standard Webhooks secret: "whsec_" and base64 of 24 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def to_read(w: WebhookSubscription, principal: Principal) -> WebhookRead:
    return policy.read(WebhookRead, principal, w)


def _label() -> str:
    return tr("Webhook subscription", "Langganan webhook")


def get(session: Session, principal: Principal, webhook_pk: int) -> WebhookSubscription:
    return get_or_404(session, WebhookSubscription, webhook_pk, _label(), visible=lambda w: policy.webhook_readable(principal, w))


def _client(session: Session, principal: Principal, client_pk: int) -> ApiClient:
    """The client whose subscriptions are asked for (another client's look missing to a client)."""
    client = api_clients.get(session, principal, client_pk)
    if not policy.webhook_readable(principal, policy.Webhooks(client.id, client.region_code)):
        raise NotFound("API client not found.", "API client tidak ditemukan.")  # as a missing client
    return client


def _url(raw: str) -> str:
    try:
        return str(urls.check(raw))
    except urls.UnsafeUrl as e:
        raise ValidationProblem(e.en, e.id, loc=["body", "url"]) from None


def list_for_client(session: Session, principal: Principal, client_pk: int, params: PageParams) -> Page[WebhookRead]:
    client = _client(session, principal, client_pk)
    stmt = select(WebhookSubscription).where(WebhookSubscription.api_client_id == client.id)
    stmt = apply_sort(stmt, params.sort, SORTS, default=[WebhookSubscription.created_at], tiebreak=WebhookSubscription.id)
    return paginate(session, stmt, params, lambda w: to_read(w, principal))


def create(session: Session, principal: Principal, client_pk: int, data: WebhookCreate) -> WebhookWithSecret:
    client = _client(session, principal, client_pk)
    policy.require(principal, Action.update, policy.Webhooks(client.id, client.region_code))
    secret = new_secret()
    sub = WebhookSubscription(
        api_client_id=client.id,
        region_code=client.region_code,
        url=_url(data.url),
        description=data.description,
        event_types=[e.value for e in data.event_types],
        is_active=data.is_active,
        secret=secret,
    )
    session.add(sub)
    outbox.ensure_cursor(session)
    session.flush()
    return policy.read(WebhookWithSecret, principal, sub, secret=secret)


def update(session: Session, principal: Principal, webhook_pk: int, data: WebhookUpdate, expected: ExpectedVersion) -> WebhookSubscription:
    sub = get(session, principal, webhook_pk)
    expected.check(sub.version, lambda: to_read(sub, principal))
    policy.require(principal, Action.update, sub)
    changes = data.model_dump(exclude_unset=True)
    for key in ("url", "event_types", "is_active"):
        if key in changes and changes[key] is None:
            raise ValidationProblem(f"{key} cannot be null.", f"{key} tidak boleh null.", loc=["body", key])
    if "url" in changes:
        sub.url = _url(changes["url"])
    if "event_types" in changes:
        sub.event_types = [EventType(e).value for e in changes["event_types"]]
    if "description" in changes:
        sub.description = changes["description"]
    enabled_again = False
    if "is_active" in changes:
        enabled_again = changes["is_active"] and not sub.is_active
        sub.is_active = changes["is_active"]
        if sub.is_active:
            sub.disabled_at = sub.disabled_reason = None
    session.flush()
    if enabled_again:
        for hook in ENABLED_AGAIN:
            hook(session, sub.id)
    return sub


def rotate_secret(session: Session, principal: Principal, webhook_pk: int) -> WebhookWithSecret:
    sub = get(session, principal, webhook_pk)
    policy.require(principal, Action.rotate_secret, sub)
    sub.secret = new_secret()
    session.flush()
    return policy.read(WebhookWithSecret, principal, sub, secret=sub.secret)


def delete(session: Session, principal: Principal, webhook_pk: int) -> None:
    sub = get(session, principal, webhook_pk)
    policy.require(principal, Action.delete, sub)
    session.delete(sub)
    session.flush()


# -- deliveries -------------------------------------------------------------------------------


def delivery_read(d: WebhookDelivery) -> DeliveryRead:
    return DeliveryRead.model_validate({**_fields(d, DeliveryRead), "message_id": outbox.message_id(d.id)})


def _fields(d: WebhookDelivery, model: type[DeliveryRead]) -> dict[str, object]:
    return {name: getattr(d, name) for name in model.model_fields if hasattr(d, name)}


def list_deliveries(
    session: Session, principal: Principal, webhook_pk: int, params: PageParams, filters: DeliveryFilters
) -> Page[DeliveryRead]:
    sub = get(session, principal, webhook_pk)
    stmt = select(WebhookDelivery).where(WebhookDelivery.subscription_id == sub.id)
    stmt = where_equal(stmt, (WebhookDelivery.status, filters.status), (WebhookDelivery.event_type, filters.event_type))
    stmt = apply_sort(stmt, params.sort or "-created_at", DELIVERY_SORTS, default=[WebhookDelivery.id], tiebreak=WebhookDelivery.id)
    return paginate(session, stmt, params, delivery_read)


def _delivery(session: Session, principal: Principal, webhook_pk: int, delivery_pk: int) -> tuple[WebhookSubscription, WebhookDelivery]:
    sub = get(session, principal, webhook_pk)
    d = get_or_404(session, WebhookDelivery, delivery_pk, tr("Delivery", "Pengiriman"), parent=(WebhookDelivery.subscription_id, sub.id))
    return sub, d


def get_delivery(session: Session, principal: Principal, webhook_pk: int, delivery_pk: int) -> DeliveryDetail:
    _, d = _delivery(session, principal, webhook_pk, delivery_pk)
    attempts = session.scalars(select(WebhookAttempt).where(WebhookAttempt.delivery_id == d.id).order_by(WebhookAttempt.id)).all()
    return DeliveryDetail.model_validate(
        {
            **_fields(d, DeliveryDetail),
            "message_id": outbox.message_id(d.id),
            "payload": json.loads(d.body),
            "attempt_log": [AttemptRead.model_validate(a, from_attributes=True) for a in attempts],
        }
    )


def redeliver(session: Session, principal: Principal, webhook_pk: int, delivery_pk: int, now: datetime | None = None) -> DeliveryRead:
    """Send a delivery again at the worker's next round (same message id and body), with a new 24 h of retries."""
    sub, d = _delivery(session, principal, webhook_pk, delivery_pk)
    policy.require(principal, Action.redeliver, sub)
    if not sub.is_active:
        raise Conflict(
            "The subscription is disabled: enable it first (PATCH is_active true).",
            "Langganan sedang nonaktif: aktifkan dulu (PATCH is_active true).",
        )
    d.status = DeliveryStatus.pending
    d.next_attempt_at = now or clock.utcnow()
    d.first_attempt_at = d.finished_at = None
    session.flush()
    return delivery_read(d)


# -- the change feed shows subscriptions as the API returns them (pembina.kit.feed) ---------------
feed.register(WebhookSubscription, WebhookRead, feed.each(to_read))

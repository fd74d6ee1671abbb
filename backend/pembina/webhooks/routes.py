from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.kit.errors import responses
from pembina.kit.idempotency_context import reveals_secret
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.kit.params import RecordId
from pembina.kit.routing import api_router
from pembina.kit.versioning import Expected
from pembina.webhooks import service
from pembina.webhooks.schemas import (
    DeliveryDetail,
    DeliveryFilters,
    DeliveryRead,
    EventTypeRead,
    WebhookCreate,
    WebhookRead,
    WebhookUpdate,
    WebhookWithSecret,
)

router = api_router(tags=["webhooks"])

Paging = Annotated[PageParams, Depends(sortable(service.SORTS))]
DeliveryPaging = Annotated[PageParams, Depends(sortable(service.DELIVERY_SORTS))]


@router.get("/webhook-events", operation_id="webhooks-events")
def event_types(me: CurrentPrincipal) -> list[EventTypeRead]:
    """The events a webhook subscription can receive

    Each delivery's body is `{type, timestamp, entity_type, entity_id, region_code, schema, data}`: `data` is the record
    as the API returns it to the subscribing client (the read model `schema` names, without `allowed_actions`); for a
    `*.deleted` event only `{id}`.
    """
    return service.event_types()


@router.get("/api-clients/{client_pk}/webhooks", operation_id="webhooks-list", responses=responses(403))
def list_webhooks(db: DbSession, me: CurrentPrincipal, client_pk: RecordId, params: Paging) -> Page[WebhookRead]:
    """List an API client's webhook subscriptions"""
    return service.list_for_client(db, me, client_pk, params)


@router.post("/api-clients/{client_pk}/webhooks", operation_id="webhooks-create", status_code=201)
def create_webhook(db: DbSession, me: CurrentPrincipal, client_pk: RecordId, body: WebhookCreate) -> WebhookWithSecret:
    """Subscribe an API client to events (the signing secret is shown once)

    The URL must resolve to public addresses only (a private, loopback or link-local one is a 422 unless the
    deployment allows them); it is checked again at every delivery. Deliveries are signed per the Standard Webhooks
    spec (`webhook-id`, `webhook-timestamp`, `webhook-signature`) with the secret returned here.
    """
    created = service.create(db, me, client_pk, body)
    reveals_secret()  # shown once: never kept for an Idempotency-Key replay
    return created


@router.get("/webhooks/{webhook_pk}", operation_id="webhooks-get")
def get_webhook(db: DbSession, me: CurrentPrincipal, webhook_pk: RecordId) -> WebhookRead:
    """Get a webhook subscription"""
    return service.to_read(service.get(db, me, webhook_pk), me)


@router.patch("/webhooks/{webhook_pk}", operation_id="webhooks-update")
def update_webhook(db: DbSession, me: CurrentPrincipal, webhook_pk: RecordId, body: WebhookUpdate, expected: Expected) -> WebhookRead:
    """Change a webhook subscription's URL or events, or disable / enable it (needs If-Match)"""
    return service.to_read(service.update(db, me, webhook_pk, body, expected), me)


@router.post("/webhooks/{webhook_pk}/rotate-secret", operation_id="webhooks-rotate-secret")
def rotate_webhook_secret(db: DbSession, me: CurrentPrincipal, webhook_pk: RecordId) -> WebhookWithSecret:
    """Issue a new signing secret (shown once; deliveries from now on are signed with it)"""
    out = service.rotate_secret(db, me, webhook_pk)
    reveals_secret()
    return out


@router.delete("/webhooks/{webhook_pk}", operation_id="webhooks-delete", status_code=204)
def delete_webhook(db: DbSession, me: CurrentPrincipal, webhook_pk: RecordId) -> None:
    """Delete a webhook subscription and its delivery log"""
    service.delete(db, me, webhook_pk)


@router.get("/webhooks/{webhook_pk}/deliveries", operation_id="webhooks-deliveries")
def list_deliveries(
    db: DbSession, me: CurrentPrincipal, webhook_pk: RecordId, params: DeliveryPaging, filters: Annotated[DeliveryFilters, Query()]
) -> Page[DeliveryRead]:
    """A webhook subscription's delivery log, newest first

    Each delivery is one event for this subscription: its status, attempts, and the last attempt's status code,
    latency and the start of the answer.
    """
    return service.list_deliveries(db, me, webhook_pk, params, filters)


@router.get("/webhooks/{webhook_pk}/deliveries/{delivery_pk}", operation_id="webhooks-delivery")
def get_delivery(db: DbSession, me: CurrentPrincipal, webhook_pk: RecordId, delivery_pk: RecordId) -> DeliveryDetail:
    """A delivery with its body and every attempt"""
    return service.get_delivery(db, me, webhook_pk, delivery_pk)


@router.post("/webhooks/{webhook_pk}/deliveries/{delivery_pk}/redeliver", operation_id="webhooks-redeliver")
def redeliver(db: DbSession, me: CurrentPrincipal, webhook_pk: RecordId, delivery_pk: RecordId) -> DeliveryRead:
    """Send a delivery again (same message id and body) at the worker's next round, with a fresh 24 h of retries"""
    return service.redeliver(db, me, webhook_pk, delivery_pk)

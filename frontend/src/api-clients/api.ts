import type { Position } from "../lib/listParams";
// API clients (machine accounts): query keys, query options, the create mutation and the row actions.
import { api, type ApiClientRead, type Schemas } from "../api/client";
import { useSave, writeFresh } from "../api/mutations";
import { unwrap } from "../api/problems";
import { apiQuery } from "../api/query";

export const apiClientKeys = {
  all: ["api-clients"] as const,
  list: (offset: number | string) => ["api-clients", offset] as const,
};

export const apiClientListQuery = (at: Position, limit: number) =>
  apiQuery(apiClientKeys.list(at.cursor ?? at.offset ?? 0), () => api.GET("/api/v1/api-clients", { params: { query: { limit, ...at } } }));

/** Create a client; its secret is in the answer, shown once. */
export const useCreateApiClient = (then: (c: Schemas["ApiClientWithSecret"]) => void) =>
  useSave(async (body: Schemas["ApiClientCreate"]) => unwrap(await api.POST("/api/v1/api-clients", { body })), ["api-clients"], then, { message: null });

export async function rotateSecret(c: ApiClientRead) {
  return unwrap(await api.POST("/api/v1/api-clients/{client_pk}/rotate-secret", { params: { path: { client_pk: c.id } } }));
}

/** Activate or deactivate a client from the list (its current version is fetched first). */
export async function setApiClientActive(c: ApiClientRead, is_active: boolean): Promise<void> {
  const path = { client_pk: c.id };
  await writeFresh(
    () => api.GET("/api/v1/api-clients/{client_pk}", { params: { path } }),
    (etag) => api.PATCH("/api/v1/api-clients/{client_pk}", { params: { path, header: { "If-Match": etag } }, body: { is_active } }),
  );
}

export async function deleteApiClient(c: ApiClientRead): Promise<void> {
  unwrap(await api.DELETE("/api/v1/api-clients/{client_pk}", { params: { path: { client_pk: c.id } } }));
}

// -- webhooks: a client's subscriptions and their deliveries ------------------------------------
export type WebhookRead = Schemas["WebhookRead"];
export type DeliveryRead = Schemas["DeliveryRead"];

export const webhookKeys = {
  events: ["webhooks", "events"] as const,
  list: (clientPk: number) => ["webhooks", "client", clientPk] as const,
  deliveries: (webhookPk: number, offset: number) => ["webhooks", "deliveries", webhookPk, offset] as const,
};

export const webhookEventsQuery = () => apiQuery(webhookKeys.events, () => api.GET("/api/v1/webhook-events"));

export const webhookListQuery = (clientPk: number) =>
  apiQuery(webhookKeys.list(clientPk), () =>
    api.GET("/api/v1/api-clients/{client_pk}/webhooks", { params: { path: { client_pk: clientPk }, query: { limit: 100 } } }),
  );

export const deliveryListQuery = (webhookPk: number, offset: number, limit: number) =>
  apiQuery(webhookKeys.deliveries(webhookPk, offset), () =>
    api.GET("/api/v1/webhooks/{webhook_pk}/deliveries", { params: { path: { webhook_pk: webhookPk }, query: { limit, offset } } }),
  );

/** Subscribe a client; the signing secret is in the answer, shown once. */
export const useCreateWebhook = (clientPk: number, then: (w: Schemas["WebhookWithSecret"]) => void) =>
  useSave(
    async (body: Schemas["WebhookCreate"]) =>
      unwrap(await api.POST("/api/v1/api-clients/{client_pk}/webhooks", { params: { path: { client_pk: clientPk } }, body })),
    ["webhooks"],
    then,
    { message: null },
  );

/** Disable or enable a subscription (its current version is fetched first). */
export async function setWebhookActive(w: WebhookRead, is_active: boolean): Promise<void> {
  const path = { webhook_pk: w.id };
  await writeFresh(
    () => api.GET("/api/v1/webhooks/{webhook_pk}", { params: { path } }),
    (etag) => api.PATCH("/api/v1/webhooks/{webhook_pk}", { params: { path, header: { "If-Match": etag } }, body: { is_active } }),
  );
}

export async function deleteWebhook(w: WebhookRead): Promise<void> {
  unwrap(await api.DELETE("/api/v1/webhooks/{webhook_pk}", { params: { path: { webhook_pk: w.id } } }));
}

export async function redeliver(d: DeliveryRead): Promise<DeliveryRead> {
  return unwrap(
    await api.POST("/api/v1/webhooks/{webhook_pk}/deliveries/{delivery_pk}/redeliver", {
      params: { path: { webhook_pk: d.subscription_id, delivery_pk: d.id } },
    }),
  );
}

// API clients (machine accounts): query keys, query options, the create mutation and the row actions.
import { api, type ApiClientRead, type Schemas } from "../api/client";
import { useSave, writeFresh } from "../api/mutations";
import { unwrap } from "../api/problems";
import { apiQuery } from "../api/query";

export const apiClientKeys = {
  all: ["api-clients"] as const,
  list: (offset: number) => ["api-clients", offset] as const,
};

export const apiClientListQuery = (offset: number, limit: number) =>
  apiQuery(apiClientKeys.list(offset), () => api.GET("/api/v1/api-clients", { params: { query: { limit, offset } } }));

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

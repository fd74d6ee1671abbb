// API clients (machine accounts): query keys, query options, the create mutation and the row actions.
import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, type ApiClientRead, type Schemas } from "../api/client";
import { etagOf, unwrap } from "../api/problems";

export const apiClientKeys = {
  all: ["api-clients"] as const,
  list: (offset: number) => ["api-clients", offset] as const,
};

export const apiClientListQuery = (offset: number, limit: number) =>
  queryOptions({
    queryKey: apiClientKeys.list(offset),
    queryFn: async () => unwrap(await api.GET("/api/v1/api-clients", { params: { query: { limit, offset } } })),
  });

export function useRefreshApiClients() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: apiClientKeys.all });
}

/** Create a client; its secret is in the answer, shown once. */
export function useCreateApiClient(then: (c: Schemas["ApiClientWithSecret"]) => void) {
  return useMutation({
    mutationFn: async (body: Schemas["ApiClientCreate"]) => unwrap(await api.POST("/api/v1/api-clients", { body })),
    onSuccess: then,
  });
}

export async function rotateSecret(c: ApiClientRead) {
  return unwrap(await api.POST("/api/v1/api-clients/{client_pk}/rotate-secret", { params: { path: { client_pk: c.id } } }));
}

/** Activate or deactivate a client from the list (its current version is fetched first). */
export async function setApiClientActive(c: ApiClientRead, is_active: boolean): Promise<void> {
  const got = await api.GET("/api/v1/api-clients/{client_pk}", { params: { path: { client_pk: c.id } } });
  unwrap(got);
  unwrap(
    await api.PATCH("/api/v1/api-clients/{client_pk}", {
      params: { path: { client_pk: c.id }, header: { "If-Match": etagOf(got.response) ?? "" } },
      body: { is_active },
    }),
  );
}

export async function deleteApiClient(c: ApiClientRead): Promise<void> {
  unwrap(await api.DELETE("/api/v1/api-clients/{client_pk}", { params: { path: { client_pk: c.id } } }));
}

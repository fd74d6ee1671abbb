// Posyandu, their registration and the registration batches: query keys, query options and
// mutations. Everything lives under the "posyandu" and "registration-batches" roots; a
// registration step refetches both.
import { notifications } from "@mantine/notifications";
import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, multipartFile, type Query, type Schemas } from "../api/client";
import { etagOf, unwrap } from "../api/problems";
import { formatNumber } from "../lib/format";

type Posyandu = Schemas["PosyanduRead"];

export const posyanduKeys = {
  all: ["posyandu"] as const,
  list: (query: Query<"posyandu-list">) => ["posyandu", query] as const,
  detail: (id: number) => ["posyandu", id] as const,
  edit: (id: number | undefined) => ["posyandu", id, "edit"] as const,
  readiness: (id: number) => ["posyandu", id, "readiness"] as const,
  events: (id: number) => ["posyandu", id, "events"] as const,
  catalog: ["posyandu", "catalog"] as const,
  verifiedUnbatched: ["posyandu", "verified-unbatched"] as const,
};

export const batchKeys = {
  all: ["registration-batches"] as const,
  list: (offset: number) => ["registration-batches", offset] as const,
  detail: (id: number) => ["registration-batches", "one", id] as const,
};

export const posyanduListQuery = (query: Query<"posyandu-list">) =>
  queryOptions({
    queryKey: posyanduKeys.list(query),
    queryFn: async () => unwrap(await api.GET("/api/v1/posyandu", { params: { query } })),
  });

async function fetchPosyandu(id: number): Promise<{ p: Posyandu; etag: string }> {
  const res = await api.GET("/api/v1/posyandu/{posyandu_id}", { params: { path: { posyandu_id: id } } });
  return { p: unwrap(res), etag: etagOf(res.response) ?? "" };
}

/** One posyandu with its ETag (for If-Match on its registration steps). */
export const posyanduQuery = (id: number) => queryOptions({ queryKey: posyanduKeys.detail(id), queryFn: () => fetchPosyandu(id) });

/** The copy the edit form starts from (its own key: never replaced under the user's typing). */
export const posyanduEditQuery = (id: number | undefined) =>
  queryOptions({ queryKey: posyanduKeys.edit(id), queryFn: () => fetchPosyandu(id!), enabled: id !== undefined, gcTime: 0 });

export const readinessQuery = (id: number) =>
  queryOptions({
    queryKey: posyanduKeys.readiness(id),
    queryFn: async () => unwrap(await api.GET("/api/v1/posyandu/{posyandu_id}/registration/readiness", { params: { path: { posyandu_id: id } } })),
  });

export const registrationEventsQuery = (id: number) =>
  queryOptions({
    queryKey: posyanduKeys.events(id),
    queryFn: async () => unwrap(await api.GET("/api/v1/posyandu/{posyandu_id}/registration/events", { params: { path: { posyandu_id: id } } })),
  });

export const catalogQuery = () =>
  queryOptions({
    queryKey: posyanduKeys.catalog,
    queryFn: async () => unwrap(await api.GET("/api/v1/posyandu/service-catalog", {})),
    staleTime: Infinity,
  });

/** The verified posyandu a new batch can take. */
export const verifiedUnbatchedQuery = () =>
  queryOptions({
    queryKey: posyanduKeys.verifiedUnbatched,
    queryFn: async () => unwrap(await api.GET("/api/v1/posyandu", { params: { query: { status: "verified", limit: 200, sort: "region_code" } } })),
  });

export const batchListQuery = (offset: number, limit: number) =>
  queryOptions({
    queryKey: batchKeys.list(offset),
    queryFn: async () => unwrap(await api.GET("/api/v1/registration-batches", { params: { query: { limit, offset, sort: "-created_at" } } })),
  });

export const batchQuery = (id: number) =>
  queryOptions({
    queryKey: batchKeys.detail(id),
    queryFn: async () => {
      const res = await api.GET("/api/v1/registration-batches/{batch_id}", { params: { path: { batch_id: id } } });
      return { b: unwrap(res), etag: etagOf(res.response) ?? "" };
    },
  });

/** Create a posyandu (no `loaded`) or change it with its ETag; then open it. */
export function useSavePosyandu(loaded: Posyandu | undefined, etag: string | undefined, then: (p: Posyandu) => void) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas["PosyanduCreate"]) =>
      loaded
        ? unwrap(
            await api.PATCH("/api/v1/posyandu/{posyandu_id}", {
              params: { path: { posyandu_id: loaded.id }, header: { "If-Match": etag ?? "" } },
              body,
            }),
          )
        : unwrap(await api.POST("/api/v1/posyandu", { body })),
    onSuccess: async (p) => {
      notifications.show({ color: "teal", message: t("common.saved") });
      await qc.invalidateQueries({ queryKey: posyanduKeys.all });
      then(p);
    },
  });
}

/** A registration step on one posyandu, sent with the ETag the user loaded. */
export function useRegistrationTransition(p: Posyandu, etag: string, then: () => void) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas["TransitionRequest"]) =>
      unwrap(
        await api.POST("/api/v1/posyandu/{posyandu_id}/registration/transitions", {
          params: { path: { posyandu_id: p.id }, header: { "If-Match": etag } },
          body,
        }),
      ),
    onSuccess: async () => {
      notifications.show({ color: "teal", message: t("common.saved") });
      then();
      await qc.invalidateQueries({ queryKey: posyanduKeys.all });
    },
  });
}

async function refreshRegistration(qc: ReturnType<typeof useQueryClient>) {
  await qc.invalidateQueries({ queryKey: batchKeys.all });
  await qc.invalidateQueries({ queryKey: posyanduKeys.all });
}

export function useCreateBatch(then: (b: Schemas["BatchRead"]) => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas["BatchCreate"]) => unwrap(await api.POST("/api/v1/registration-batches", { body })),
    onSuccess: async (b) => {
      await refreshRegistration(qc);
      then(b);
    },
  });
}

export function useSubmitBatch(id: number) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (etag: string) =>
      unwrap(await api.POST("/api/v1/registration-batches/{batch_id}/submit", { params: { path: { batch_id: id }, header: { "If-Match": etag } } })),
    onSuccess: async () => {
      notifications.show({ color: "teal", message: t("batches.submitted") });
      await refreshRegistration(qc);
    },
  });
}

/** Check (dry run) or apply the numbers file the ministry sent back. */
export function useImportNumbers(batchId: number) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ f, dryRun }: { f: File; dryRun: boolean }) =>
      unwrap(
        await api.POST("/api/v1/registration-batches/{batch_id}/numbers", {
          params: { path: { batch_id: batchId }, query: { dry_run: dryRun } },
          body: { file: f.name },
          bodySerializer: multipartFile(f),
        }),
      ),
    onSuccess: async (report) => {
      if (report.applied) {
        notifications.show({ color: "teal", message: t("batches.imported", { n: formatNumber(report.registered) }) });
        await refreshRegistration(qc);
      }
    },
  });
}

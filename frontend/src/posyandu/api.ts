import type { Position } from "../lib/listParams";
// Posyandu, their registration and the registration batches: query keys, query options and
// mutations. Everything lives under the "posyandu" and "registration-batches" roots; a
// registration step refetches both.
import { notifications } from "@mantine/notifications";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, multipartFile, type Query, type Schemas } from "../api/client";
import { useRefetch, useSave } from "../api/mutations";
import { unwrap } from "../api/problems";
import { apiQuery, taggedQuery } from "../api/query";
import { formatNumber } from "../lib/format";

type Posyandu = Schemas["PosyanduRead"];

export const posyanduKeys = {
  all: ["posyandu"] as const,
  list: (query: Query<"posyandu-list">) => ["posyandu", query] as const,
  detail: (id: number) => ["posyandu", id] as const,
  edit: (id: number | undefined) => ["posyandu", id, "edit"] as const,
  readiness: (id: number) => ["posyandu", id, "readiness"] as const,
  events: (id: number) => ["posyandu", id, "events"] as const,
  documents: (id: number) => ["posyandu", id, "documents"] as const,
  catalog: ["posyandu", "catalog"] as const,
  verifiedUnbatched: ["posyandu", "verified-unbatched"] as const,
  progress: (region: string | undefined) => ["posyandu", "progress", region ?? ""] as const,
  byRegion: (region: string | undefined) => ["posyandu", "progress-by-region", region ?? ""] as const,
};

export const batchKeys = {
  all: ["registration-batches"] as const,
  list: (offset: number | string) => ["registration-batches", offset] as const,
  detail: (id: number) => ["registration-batches", "one", id] as const,
};

export const posyanduListQuery = (query: Query<"posyandu-list">) => apiQuery(posyanduKeys.list(query), () => api.GET("/api/v1/posyandu", { params: { query } }));

/** Registration progress of a region: counts by status and the posyandu blocked by their village's SK. */
export const progressQuery = (region: string | undefined) =>
  apiQuery(posyanduKeys.progress(region), () => api.GET("/api/v1/posyandu/registration-progress", { params: { query: { region } } }));

/** Registration counts per child region (the kecamatan of a city), zeros included. */
export const progressByRegionQuery = (region: string | undefined) =>
  apiQuery(posyanduKeys.byRegion(region), () => api.GET("/api/v1/posyandu/registration-progress/by-region", { params: { query: { region } } }));

const getPosyandu = (id: number) => () => api.GET("/api/v1/posyandu/{posyandu_id}", { params: { path: { posyandu_id: id } } });

/** One posyandu with its ETag (for If-Match on its registration steps). */
export const posyanduQuery = (id: number) => taggedQuery(posyanduKeys.detail(id), getPosyandu(id));

/** The copy the edit form starts from (its own key: never replaced under the user's typing). */
export const posyanduEditQuery = (id: number | undefined) => ({ ...taggedQuery(posyanduKeys.edit(id), getPosyandu(id!)), enabled: id !== undefined, gcTime: 0 });

export const readinessQuery = (id: number) =>
  apiQuery(posyanduKeys.readiness(id), () => api.GET("/api/v1/posyandu/{posyandu_id}/registration/readiness", { params: { path: { posyandu_id: id } } }));

export const registrationEventsQuery = (id: number) =>
  apiQuery(posyanduKeys.events(id), () => api.GET("/api/v1/posyandu/{posyandu_id}/registration/events", { params: { path: { posyandu_id: id } } }));

/** The posyandu's evidence documents. */
export const documentsQuery = (id: number) =>
  apiQuery(posyanduKeys.documents(id), () => api.GET("/api/v1/posyandu/{posyandu_id}/documents", { params: { path: { posyandu_id: id } } }));

/** Upload one evidence document of `type`; a replacement then deletes the ones it `replaces`. Readiness refetches. */
export const useUploadDocument = (id: number) =>
  useSave(
    async ({ type, file, replaces = [] }: { type: Schemas["DocumentType"]; file: File; replaces?: Schemas["DocumentRead"][] }) => {
      const added = unwrap(
        await api.POST("/api/v1/posyandu/{posyandu_id}/documents", {
          params: { path: { posyandu_id: id } },
          body: { doc_type: type, file: file.name },
          bodySerializer: () => {
            const fd = new FormData();
            fd.append("doc_type", type);
            fd.append("file", file, file.name);
            return fd;
          },
        }),
      );
      for (const old of replaces)
        unwrap(await api.DELETE("/api/v1/posyandu/{posyandu_id}/documents/{document_id}", { params: { path: { posyandu_id: id, document_id: old.id } } }));
      return added;
    },
    ["posyandu"],
    undefined,
    { message: "documents.uploaded" },
  );

export const useDeleteDocument = (id: number) =>
  useSave(
    async (documentId: number) =>
      unwrap(await api.DELETE("/api/v1/posyandu/{posyandu_id}/documents/{document_id}", { params: { path: { posyandu_id: id, document_id: documentId } } })),
    ["posyandu"],
    undefined,
    { message: "common.deleted" },
  );

export const catalogQuery = () => ({ ...apiQuery(posyanduKeys.catalog, () => api.GET("/api/v1/posyandu/service-catalog", {})), staleTime: Infinity });

/** The verified posyandu a new batch can take. */
export const verifiedUnbatchedQuery = () =>
  apiQuery(posyanduKeys.verifiedUnbatched, () => api.GET("/api/v1/posyandu", { params: { query: { status: "verified", limit: 200, sort: "region_code" } } }));

export const batchListQuery = (at: Position, limit: number) =>
  apiQuery(batchKeys.list(at.cursor ?? at.offset ?? 0), () => api.GET("/api/v1/registration-batches", { params: { query: { limit, ...at, sort: "-created_at" } } }));

export const batchQuery = (id: number) => taggedQuery(batchKeys.detail(id), () => api.GET("/api/v1/registration-batches/{batch_id}", { params: { path: { batch_id: id } } }));

/** Create a posyandu (no `loaded`) or change it with its ETag; then open it. */
export const useSavePosyandu = (loaded: Posyandu | undefined, etag: string | undefined, then: (p: Posyandu) => void) =>
  useSave(
    async (body: Schemas["PosyanduCreate"]) =>
      loaded
        ? unwrap(await api.PATCH("/api/v1/posyandu/{posyandu_id}", { params: { path: { posyandu_id: loaded.id }, header: { "If-Match": etag ?? "" } }, body }))
        : unwrap(await api.POST("/api/v1/posyandu", { body })),
    ["posyandu"],
    then,
  );

/** A registration step on one posyandu, sent with the ETag the user loaded. */
export const useRegistrationTransition = (p: Posyandu, etag: string, then: () => void) =>
  useSave(
    async (body: Schemas["TransitionRequest"]) =>
      unwrap(await api.POST("/api/v1/posyandu/{posyandu_id}/registration/transitions", { params: { path: { posyandu_id: p.id }, header: { "If-Match": etag } }, body })),
    ["posyandu"],
    then,
  );

export const useCreateBatch = (then: (b: Schemas["BatchRead"]) => void) =>
  useSave(async (body: Schemas["BatchCreate"]) => unwrap(await api.POST("/api/v1/registration-batches", { body })), ["registration-batches", "posyandu"], then, {
    message: null,
  });

export const useSubmitBatch = (id: number) =>
  useSave(
    async (etag: string) => unwrap(await api.POST("/api/v1/registration-batches/{batch_id}/submit", { params: { path: { batch_id: id }, header: { "If-Match": etag } } })),
    ["registration-batches", "posyandu"],
    undefined,
    { message: "batches.submitted" },
  );

/** The ministry issues numbers in Pembina: {posyandu_id, registration_number} pairs, sent with the batch's version. */
export const useIssueNumbers = (id: number) =>
  useSave(
    async ({ etag, numbers }: { etag: string; numbers: Schemas["IssuedNumber"][] }) =>
      unwrap(
        await api.POST("/api/v1/registration-batches/{batch_id}/issue", {
          params: { path: { batch_id: id }, header: { "If-Match": etag } },
          body: { numbers },
        }),
      ),
    ["registration-batches", "posyandu"],
    undefined,
    { message: "batches.issued" },
  );

/** Check (dry run) or apply the numbers file the ministry sent back; an applied file refetches the registration. */
export function useImportNumbers(batchId: number) {
  const { t } = useTranslation();
  const refetch = useRefetch("registration-batches", "posyandu");
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
        await refetch();
      }
    },
  });
}

/** The posyandu's monthly activity reports, newest month first. */
export const activityReportsQuery = (id: number) =>
  apiQuery(["posyandu", id, "activity-reports"] as const, () =>
    api.GET("/api/v1/activity-reports", { params: { query: { posyandu_id: id, sort: "-period", limit: 24 } } }),
  );

/** The month being reported now (a new report's default month). */
export const activityFieldsQuery = () => ({ ...apiQuery(["posyandu", "activity-fields"] as const, () => api.GET("/api/v1/activity-reports/fields", {})), staleTime: 5 * 60_000 });

// Monthly activity reports of the posyandu (6 SPM): the board (completeness and timeliness per
// child region), the 12-month trend, the service totals, the posyandu that did not report, and
// one report with its lifecycle. Everything lives under the "activity-reports" root; a report's
// write refetches it and the posyandu (whose page lists its reports).
import { api, type Query, type Schemas } from "../api/client";
import { useSave } from "../api/mutations";
import { unwrap } from "../api/problems";
import { apiQuery, taggedQuery } from "../api/query";

export { regionQuery } from "../api/regions";

/** The report form's reads are asked even when the browser says it is offline: the service worker
 * (src/sw.ts) answers them from its last copy, so the form opens with no connection. */
const OFFLINE_FIRST = "offlineFirst" as const;

export type Report = Schemas["ReportRead"];
export type SpmFieldName = Schemas["pembina__posyandu__catalog__SpmField"];

export const reportKeys = {
  all: ["activity-reports"] as const,
  fields: ["activity-reports", "fields"] as const,
  board: (region: string | undefined, period: string | undefined) => ["activity-reports", "board", region ?? "", period ?? ""] as const,
  trend: (region: string | undefined, until: string | undefined) => ["activity-reports", "trend", region ?? "", until ?? ""] as const,
  services: (region: string | undefined, period: string | undefined) => ["activity-reports", "services", region ?? "", period ?? ""] as const,
  missing: (query: Query<"activity-reports-missing">) => ["activity-reports", "missing", query] as const,
  list: (query: Query<"activity-reports-list">) => ["activity-reports", "list", query] as const,
  detail: (id: number) => ["activity-reports", "one", id] as const,
  photos: (id: number) => ["activity-reports", "photos", id] as const,
};

/** The questions per SPM field, the target groups, the due day and the month being reported now. */
export const fieldsQuery = () => ({ ...apiQuery(reportKeys.fields, () => api.GET("/api/v1/activity-reports/fields", {})), staleTime: 5 * 60_000, networkMode: OFFLINE_FIRST });

export const boardQuery = (region: string | undefined, period: string | undefined) =>
  apiQuery(reportKeys.board(region, period), () => api.GET("/api/v1/activity-reports/board", { params: { query: { region, period } } }));

export const trendQuery = (region: string | undefined, until: string | undefined) =>
  apiQuery(reportKeys.trend(region, until), () => api.GET("/api/v1/activity-reports/trend", { params: { query: { region, until } } }));

export const servicesQuery = (region: string | undefined, period: string | undefined) =>
  apiQuery(reportKeys.services(region, period), () => api.GET("/api/v1/activity-reports/services", { params: { query: { region, period } } }));

/** One page of the active posyandu without a received report (or without activity in a field). */
export const missingQuery = (query: Query<"activity-reports-missing">) =>
  apiQuery(reportKeys.missing(query), () => api.GET("/api/v1/activity-reports/missing", { params: { query } }));

export const reportListQuery = (query: Query<"activity-reports-list">) =>
  apiQuery(reportKeys.list(query), () => api.GET("/api/v1/activity-reports", { params: { query } }));

/** One report with its ETag (the If-Match of its edits and transitions). */
export const reportQuery = (id: number) => ({
  ...taggedQuery(reportKeys.detail(id), () => api.GET("/api/v1/activity-reports/{report_id}", { params: { path: { report_id: id } } })),
  networkMode: OFFLINE_FIRST,
});

/** The posyandu whose report is started (its name and whether it is active). */
export const posyanduQuery = (id: number) => ({
  ...apiQuery(["activity-reports", "posyandu", id] as const, () => api.GET("/api/v1/posyandu/{posyandu_id}", { params: { path: { posyandu_id: id } } })),
  networkMode: OFFLINE_FIRST,
});

const ROOTS = ["activity-reports", "posyandu"] as const;

// Starting a report and saving its answers go through the offline outbox (offline/queue.ts, used
// by ReportForm), which sends them with their Idempotency-Key and If-Match.

/** Submit, accept or return (with a reason) a report. */
export const useReportTransition = (id: number, then?: (r: Report) => void) =>
  useSave(
    async ({ etag, action, reason }: { etag?: string; action: Schemas["ReportAction"]; reason?: string | null }) =>
      unwrap(
        await api.POST("/api/v1/activity-reports/{report_id}/transitions", {
          params: { path: { report_id: id }, header: etag ? { "If-Match": etag } : undefined },
          body: { action, reason: reason ?? null },
        }),
      ),
    [...ROOTS],
    then,
    { message: null },
  );

export const useDeleteReport = (id: number, then: () => void) =>
  useSave(async () => unwrap(await api.DELETE("/api/v1/activity-reports/{report_id}", { params: { path: { report_id: id } } })), [...ROOTS], then, {
    message: "common.deleted",
  });

// -- photos: sent straight to the API (never through the offline outbox: they need a connection)

export type Photo = Schemas["PhotoRead"];

/** The URL of a photo's bytes (the session cookie authenticates the image request). */
export const photoUrl = (reportId: number, photoId: number) => `/api/v1/activity-reports/${reportId}/photos/${photoId}`;

export const photosQuery = (id: number) =>
  apiQuery(reportKeys.photos(id), () => api.GET("/api/v1/activity-reports/{report_id}/photos", { params: { path: { report_id: id } } }));

/** Add a photo (JPEG or PNG; the API judges the bytes) with its caption, the alt text. */
export const useUploadPhoto = (id: number, then?: () => void) =>
  useSave(
    async ({ file, caption }: { file: File; caption: string }) =>
      unwrap(
        await api.POST("/api/v1/activity-reports/{report_id}/photos", {
          params: { path: { report_id: id } },
          body: { file: file.name, caption: caption || undefined },
          bodySerializer: () => {
            const fd = new FormData();
            fd.append("file", file, file.name);
            if (caption.trim()) fd.append("caption", caption.trim());
            return fd;
          },
        }),
      ),
    ["activity-reports"],
    then,
    { message: "activityReports.photos.added" },
  );

export const useDeletePhoto = (id: number) =>
  useSave(
    async (photoId: number) =>
      unwrap(await api.DELETE("/api/v1/activity-reports/{report_id}/photos/{photo_id}", { params: { path: { report_id: id, photo_id: photoId } } })),
    ["activity-reports"],
    undefined,
    { message: "common.deleted" },
  );

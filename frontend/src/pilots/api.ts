import type { Position } from "../lib/listParams";
// Pilot sites (percontohan): query keys, query options and the scorecard mutation.
import { api, type Schemas } from "../api/client";
import { useSave } from "../api/mutations";
import { unwrap } from "../api/problems";
import { apiQuery, taggedQuery } from "../api/query";

export const pilotKeys = {
  all: ["pilot-sites"] as const,
  list: (q: string, offset: number | string) => ["pilot-sites", q, offset] as const,
  comparison: ["pilot-sites", "comparison"] as const,
  detail: (id: number) => ["pilot-sites", id] as const,
};

export const pilotListQuery = (q: string, at: Position, limit: number) =>
  apiQuery(pilotKeys.list(q, at.cursor ?? at.offset ?? 0), () => api.GET("/api/v1/pilot-sites", { params: { query: { q: q || undefined, limit, ...at, sort: "region_code" } } }));

export const comparisonQuery = () => apiQuery(pilotKeys.comparison, () => api.GET("/api/v1/pilot-sites/comparison", {}));

/** One pilot site with its ETag (for If-Match on the scorecard). */
export const pilotQuery = (id: number) => taggedQuery(pilotKeys.detail(id), () => api.GET("/api/v1/pilot-sites/{pilot_id}", { params: { path: { pilot_id: id } } }));

/** Save the scorecard and good practices, sent with the ETag the user loaded. */
export const useSaveScores = (pilot: Schemas["PilotSiteRead"], etag: string, then: () => void) =>
  useSave(
    async (body: Schemas["PilotSiteUpdate"]) => unwrap(await api.PATCH("/api/v1/pilot-sites/{pilot_id}", { params: { path: { pilot_id: pilot.id }, header: { "If-Match": etag } }, body })),
    ["pilot-sites"],
    then,
  );

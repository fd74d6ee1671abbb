// The SK compliance board: query keys and query options (decree and deadline writes refetch
// the "compliance" root).
import { api, type Schemas } from "../api/client";
import { apiQuery } from "../api/query";

export { regionQuery } from "../api/regions";

export const complianceKeys = {
  all: ["compliance"] as const,
  board: (code: string, level: Schemas["RegionLevel"], asOf: string | null) => ["compliance", code, level, asOf] as const,
  missing: (code: string, level: Schemas["RegionLevel"], asOf: string | null, offset: number, limit: number) =>
    ["compliance", code, level, asOf, "missing", offset, limit] as const,
  chase: (code: string) => ["compliance", "chase", code] as const,
};

/** The board without its list of regions that have not reported (that list is read page by page). */
export const complianceQuery = (code: string, level: Schemas["RegionLevel"], asOf: string | undefined) =>
  apiQuery(complianceKeys.board(code, level, asOf ?? null), () => api.GET("/api/v1/regions/{code}/compliance", { params: { path: { code }, query: { level, as_of: asOf, missing_limit: 0 } } }));

/** One page of the regions that have not reported, each with its kab/kota, and the counts per kab/kota. */
export const missingQuery = (code: string, level: Schemas["RegionLevel"], asOf: string | undefined, offset: number, limit: number) =>
  apiQuery(complianceKeys.missing(code, level, asOf ?? null, offset, limit), () => api.GET("/api/v1/regions/{code}/compliance/missing", { params: { path: { code }, query: { level, as_of: asOf, offset, limit } } }));

/** One late region: its team, SK, days late and whom to contact. */
export const chaseQuery = (code: string) => apiQuery(complianceKeys.chase(code), () => api.GET("/api/v1/regions/{code}/chase", { params: { path: { code } } }));

// The SK compliance board: query keys and query options (decree and deadline writes refetch
// the "compliance" root).
import { api, type Schemas } from "../api/client";
import { apiQuery } from "../api/query";

export { regionQuery } from "../api/regions";

export const complianceKeys = {
  all: ["compliance"] as const,
  board: (code: string, level: Schemas["RegionLevel"], asOf: string | null) => ["compliance", code, level, asOf] as const,
};

export const complianceQuery = (code: string, level: Schemas["RegionLevel"], asOf: string | undefined) =>
  apiQuery(complianceKeys.board(code, level, asOf ?? null), () => api.GET("/api/v1/regions/{code}/compliance", { params: { path: { code }, query: { level, as_of: asOf } } }));

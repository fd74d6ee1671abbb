import type { Position } from "../lib/listParams";
// The region explorer: query keys and query options (regions are read-only here).
import { api } from "../api/client";
import { apiQuery } from "../api/query";
import { regionKeys } from "../api/regions";

export { regionQuery } from "../api/regions";

export const explorerKeys = {
  ...regionKeys,
  search: (q: string) => ["regions", "search", q] as const,
  provinces: ["regions", "provinces"] as const,
  summary: (code: string) => ["regions", code, "summary"] as const,
  children: (code: string, offset: number | string) => ["regions", code, "children", offset] as const,
};

export const regionSearchQuery = (q: string) => apiQuery(explorerKeys.search(q), () => api.GET("/api/v1/regions", { params: { query: { q, limit: 25, sort: "level" } } }));

export const provincesQuery = () => apiQuery(explorerKeys.provinces, () => api.GET("/api/v1/regions", { params: { query: { level: "province", limit: 100, sort: "code" } } }));

export const summaryQuery = (code: string) => apiQuery(explorerKeys.summary(code), () => api.GET("/api/v1/regions/{code}/summary", { params: { path: { code } } }));

export const childrenQuery = (code: string, at: Position, limit: number) =>
  apiQuery(explorerKeys.children(code, at.cursor ?? at.offset ?? 0), () => api.GET("/api/v1/regions/{code}/children", { params: { path: { code }, query: { limit, ...at, sort: "name" } } }));

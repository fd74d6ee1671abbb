// The home (Beranda): query keys and query options. Everything reads what the API already sums up
// (the region summary, the compliance board, the monthly trends, a village's chase sheet); it is
// refetched with the screens' own roots ("regions", "compliance", "posyandu").
import { api, type Schemas } from "../api/client";
import { apiQuery } from "../api/query";

type Level = Schemas["RegionLevel"];

export const homeKeys = {
  summary: (code: string | null) => ["regions", code ?? "", "summary"] as const,
  trends: (code: string | null) => ["regions", code ?? "", "trends"] as const,
  board: (code: string | null, level: Level, asOf: string | null) => ["compliance", code ?? "", level, asOf] as const,
};

/** The region's summary (null: the nation's, for national accounts). */
export const homeSummaryQuery = (code: string | null) =>
  apiQuery(homeKeys.summary(code), () => (code === null ? api.GET("/api/v1/regions/summary", {}) : api.GET("/api/v1/regions/{code}/summary", { params: { path: { code } } })));

/** SK progress (villages) and posyandu registration at the end of each of the last 12 months. */
export const trendsQuery = (code: string | null) =>
  apiQuery(homeKeys.trends(code), () => (code === null ? api.GET("/api/v1/regions/trends", {}) : api.GET("/api/v1/regions/{code}/trends", { params: { path: { code } } })));

/** The national board: one row per province (national accounts). */
export const nationalBoardQuery = (level: Level, asOf: string | undefined) =>
  apiQuery(homeKeys.board(null, level, asOf ?? null), () => api.GET("/api/v1/regions/compliance", { params: { query: { level, as_of: asOf } } }));

// Region queries shared by the screens that open a region (the explorer, the compliance board).
import { api } from "./client";
import { apiQuery } from "./query";

export const regionKeys = {
  all: ["regions"] as const,
  detail: (code: string) => ["regions", code] as const,
};

/** One region with its ancestors (the breadcrumbs). */
export const regionQuery = (code: string) => apiQuery(regionKeys.detail(code), () => api.GET("/api/v1/regions/{code}", { params: { path: { code } } }));

// The region explorer: query keys and query options (regions are read-only here).
import { queryOptions } from "@tanstack/react-query";
import { api } from "../api/client";
import { unwrap } from "../api/problems";
import { regionKeys } from "../api/regions";

export { regionQuery } from "../api/regions";

export const explorerKeys = {
  ...regionKeys,
  search: (q: string) => ["regions", "search", q] as const,
  provinces: ["regions", "provinces"] as const,
  summary: (code: string) => ["regions", code, "summary"] as const,
  children: (code: string, offset: number) => ["regions", code, "children", offset] as const,
};

export const regionSearchQuery = (q: string) =>
  queryOptions({
    queryKey: explorerKeys.search(q),
    queryFn: async () => unwrap(await api.GET("/api/v1/regions", { params: { query: { q, limit: 25, sort: "level" } } })),
  });

export const provincesQuery = () =>
  queryOptions({
    queryKey: explorerKeys.provinces,
    queryFn: async () => unwrap(await api.GET("/api/v1/regions", { params: { query: { level: "province", limit: 100, sort: "code" } } })),
  });

export const summaryQuery = (code: string) =>
  queryOptions({
    queryKey: explorerKeys.summary(code),
    queryFn: async () => unwrap(await api.GET("/api/v1/regions/{code}/summary", { params: { path: { code } } })),
  });

export const childrenQuery = (code: string, offset: number, limit: number) =>
  queryOptions({
    queryKey: explorerKeys.children(code, offset),
    queryFn: async () => unwrap(await api.GET("/api/v1/regions/{code}/children", { params: { path: { code }, query: { limit, offset, sort: "name" } } })),
  });

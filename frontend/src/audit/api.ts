// The audit trail: query keys and query options (read-only).
import { queryOptions } from "@tanstack/react-query";
import { api, type Query } from "../api/client";
import { unwrap } from "../api/problems";

export const auditKeys = {
  all: ["audit"] as const,
  list: (query: Query<"audit-events-list">) => ["audit", query] as const,
};

export const auditListQuery = (query: Query<"audit-events-list">) =>
  queryOptions({
    queryKey: auditKeys.list(query),
    queryFn: async () => unwrap(await api.GET("/api/v1/audit-events", { params: { query } })),
  });

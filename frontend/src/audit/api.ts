// The audit trail: query keys and query options (read-only).
import { api, type Query } from "../api/client";
import { apiQuery } from "../api/query";

export const auditKeys = {
  all: ["audit"] as const,
  list: (query: Query<"audit-events-list">) => ["audit", query] as const,
};

export const auditListQuery = (query: Query<"audit-events-list">) => apiQuery(auditKeys.list(query), () => api.GET("/api/v1/audit-events", { params: { query } }));

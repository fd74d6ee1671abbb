// "Perlu tindakan": what waits for the signed-in account (GET /auth/me/tasks).
import { api } from "../api/client";
import { apiQuery } from "../api/query";

export const taskKeys = {
  all: ["tasks"] as const,
  mine: (limit: number) => ["tasks", limit] as const,
};

export const tasksQuery = (limit: number) => apiQuery(taskKeys.mine(limit), () => api.GET("/api/v1/auth/me/tasks", { params: { query: { limit } } }));

// Region queries shared by the screens that open a region (the explorer, the compliance board).
import { queryOptions } from "@tanstack/react-query";
import { api } from "./client";
import { unwrap } from "./problems";

export const regionKeys = {
  all: ["regions"] as const,
  detail: (code: string) => ["regions", code] as const,
};

/** One region with its ancestors (the breadcrumbs). */
export const regionQuery = (code: string) =>
  queryOptions({
    queryKey: regionKeys.detail(code),
    queryFn: async () => unwrap(await api.GET("/api/v1/regions/{code}", { params: { path: { code } } })),
  });

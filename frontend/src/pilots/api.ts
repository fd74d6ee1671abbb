// Pilot sites (percontohan): query keys, query options and the scorecard mutation.
import { notifications } from "@mantine/notifications";
import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, type Schemas } from "../api/client";
import { etagOf, unwrap } from "../api/problems";

export const pilotKeys = {
  all: ["pilot-sites"] as const,
  list: (q: string, offset: number) => ["pilot-sites", q, offset] as const,
  comparison: ["pilot-sites", "comparison"] as const,
  detail: (id: number) => ["pilot-sites", id] as const,
};

export const pilotListQuery = (q: string, offset: number, limit: number) =>
  queryOptions({
    queryKey: pilotKeys.list(q, offset),
    queryFn: async () => unwrap(await api.GET("/api/v1/pilot-sites", { params: { query: { q: q || undefined, limit, offset, sort: "region_code" } } })),
  });

export const comparisonQuery = () =>
  queryOptions({
    queryKey: pilotKeys.comparison,
    queryFn: async () => unwrap(await api.GET("/api/v1/pilot-sites/comparison", {})),
  });

/** One pilot site with its ETag (for If-Match on the scorecard). */
export const pilotQuery = (id: number) =>
  queryOptions({
    queryKey: pilotKeys.detail(id),
    queryFn: async () => {
      const res = await api.GET("/api/v1/pilot-sites/{pilot_id}", { params: { path: { pilot_id: id } } });
      return { p: unwrap(res), etag: etagOf(res.response) ?? "" };
    },
  });

/** Refetch every pilot-site query (after a save, or to load the latest after a 412). */
export function useRefreshPilots() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: pilotKeys.all });
}

/** Save the scorecard and good practices, sent with the ETag the user loaded. */
export function useSaveScores(pilot: Schemas["PilotSiteRead"], etag: string, then: () => void) {
  const { t } = useTranslation();
  const refresh = useRefreshPilots();
  return useMutation({
    mutationFn: async (body: Schemas["PilotSiteUpdate"]) =>
      unwrap(await api.PATCH("/api/v1/pilot-sites/{pilot_id}", { params: { path: { pilot_id: pilot.id }, header: { "If-Match": etag } }, body })),
    onSuccess: async () => {
      notifications.show({ color: "teal", message: t("common.saved") });
      await refresh();
      then();
    },
  });
}

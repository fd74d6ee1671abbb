// Meetings (rakor) and their follow-up actions: query keys, query options and mutations.
// A follow-up change refetches both roots (the meeting page lists its follow-ups too).
import { notifications } from "@mantine/notifications";
import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, type Query, type Schemas } from "../api/client";
import { etagFor, unwrap } from "../api/problems";
import { useOnSaved } from "../components/FormModal";

type FollowUp = Schemas["FollowUpRead"];
type MeetingFilters = Omit<Query<"meetings-list">, "limit" | "offset" | "sort">;
type FollowUpFilters = Omit<Query<"follow-ups-list">, "limit" | "offset" | "sort">;

export const meetingKeys = {
  all: ["meetings"] as const,
  list: (filters: MeetingFilters, offset: number) => ["meetings", filters, offset] as const,
  detail: (id: number) => ["meetings", id] as const,
  attachments: (id: number) => ["meetings", id, "attachments"] as const,
};

export const followUpKeys = {
  all: ["follow-ups"] as const,
  list: (filters: FollowUpFilters, offset: number) => ["follow-ups", filters, offset] as const,
};

export const meetingListQuery = (filters: MeetingFilters, offset: number, limit: number) =>
  queryOptions({
    queryKey: meetingKeys.list(filters, offset),
    queryFn: async () => unwrap(await api.GET("/api/v1/meetings", { params: { query: { ...filters, limit, offset, sort: "-held_on" } } })),
  });

export const meetingQuery = (id: number) =>
  queryOptions({
    queryKey: meetingKeys.detail(id),
    queryFn: async () => unwrap(await api.GET("/api/v1/meetings/{meeting_id}", { params: { path: { meeting_id: id } } })),
  });

export const attachmentsQuery = (id: number) =>
  queryOptions({
    queryKey: meetingKeys.attachments(id),
    queryFn: async () => unwrap(await api.GET("/api/v1/meetings/{meeting_id}/attachments", { params: { path: { meeting_id: id } } })),
  });

export const followUpListQuery = (filters: FollowUpFilters, offset: number, limit: number) =>
  queryOptions({
    queryKey: followUpKeys.list(filters, offset),
    queryFn: async () => unwrap(await api.GET("/api/v1/follow-ups", { params: { query: { ...filters, limit, offset, sort: "due_on" } } })),
  });

/** Refetch the meetings and the follow-ups (a follow-up shows in both). */
export function useRefreshFollowUps() {
  const qc = useQueryClient();
  return async () => {
    await qc.invalidateQueries({ queryKey: meetingKeys.all });
    await qc.invalidateQueries({ queryKey: followUpKeys.all });
  };
}

export function useCreateMeeting(then: (m: Schemas["MeetingRead"]) => void) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas["MeetingCreate"]) => unwrap(await api.POST("/api/v1/meetings", { body })),
    onSuccess: async (m) => {
      notifications.show({ color: "teal", message: t("common.saved") });
      await qc.invalidateQueries({ queryKey: meetingKeys.all });
      then(m);
    },
  });
}

export function useCreateFollowUp(meetingId: number, then: () => void) {
  return useMutation({
    mutationFn: async (body: Schemas["FollowUpCreate"]) =>
      unwrap(await api.POST("/api/v1/meetings/{meeting_id}/follow-ups", { params: { path: { meeting_id: meetingId } }, body })),
    onSuccess: useOnSaved(["meetings", "follow-ups"], then),
  });
}

/** Change a follow-up's status, done date and notes, with the version the user loaded. */
export function useUpdateFollowUp(f: FollowUp, then: () => void) {
  const { t } = useTranslation();
  const refresh = useRefreshFollowUps();
  return useMutation({
    mutationFn: async (body: Schemas["FollowUpUpdate"]) =>
      unwrap(
        await api.PATCH("/api/v1/meetings/{meeting_id}/follow-ups/{follow_up_id}", {
          params: { path: { meeting_id: f.meeting_id, follow_up_id: f.id }, header: { "If-Match": etagFor(f.version) } },
          body,
        }),
      ),
    onSuccess: async () => {
      notifications.show({ color: "teal", message: t("common.saved") });
      await refresh();
      then();
    },
  });
}

import type { Position } from "../lib/listParams";
// Meetings (rakor) and their follow-up actions: query keys, query options and mutations.
// A follow-up change refetches both roots (the meeting page lists its follow-ups too).
import { api, multipartFile, type Query, type Schemas } from "../api/client";
import { useSave } from "../api/mutations";
import { etagFor, unwrap } from "../api/problems";
import { apiQuery } from "../api/query";

type FollowUp = Schemas["FollowUpRead"];
type MeetingFilters = Omit<Query<"meetings-list">, "limit" | "offset" | "sort">;
type FollowUpFilters = Omit<Query<"follow-ups-list">, "limit" | "offset" | "sort">;

export const meetingKeys = {
  all: ["meetings"] as const,
  list: (filters: MeetingFilters, offset: number | string) => ["meetings", filters, offset] as const,
  detail: (id: number) => ["meetings", id] as const,
  attachments: (id: number) => ["meetings", id, "attachments"] as const,
};

export const followUpKeys = {
  all: ["follow-ups"] as const,
  list: (filters: FollowUpFilters, offset: number) => ["follow-ups", filters, offset] as const,
};

export const meetingListQuery = (filters: MeetingFilters, at: Position, limit: number) =>
  apiQuery(meetingKeys.list(filters, at.cursor ?? at.offset ?? 0), () => api.GET("/api/v1/meetings", { params: { query: { ...filters, limit, ...at, sort: "-held_on" } } }));

export const meetingQuery = (id: number) => apiQuery(meetingKeys.detail(id), () => api.GET("/api/v1/meetings/{meeting_id}", { params: { path: { meeting_id: id } } }));

export const attachmentsQuery = (id: number) =>
  apiQuery(meetingKeys.attachments(id), () => api.GET("/api/v1/meetings/{meeting_id}/attachments", { params: { path: { meeting_id: id } } }));

export const followUpListQuery = (filters: FollowUpFilters, offset: number, limit: number) =>
  apiQuery(followUpKeys.list(filters, offset), () => api.GET("/api/v1/follow-ups", { params: { query: { ...filters, limit, offset, sort: "due_on" } } }));

export const useCreateMeeting = (then: (m: Schemas["MeetingRead"]) => void) =>
  useSave(async (body: Schemas["MeetingCreate"]) => unwrap(await api.POST("/api/v1/meetings", { body })), ["meetings"], then);

export const useCreateFollowUp = (meetingId: number, then: () => void) =>
  useSave(
    async (body: Schemas["FollowUpCreate"]) => unwrap(await api.POST("/api/v1/meetings/{meeting_id}/follow-ups", { params: { path: { meeting_id: meetingId } }, body })),
    ["meetings", "follow-ups"],
    then,
  );

/** Change a follow-up's status, done date and notes, with the version the user loaded. */
export const useUpdateFollowUp = (f: FollowUp, then: () => void) =>
  useSave(
    async (body: Schemas["FollowUpUpdate"]) =>
      unwrap(
        await api.PATCH("/api/v1/meetings/{meeting_id}/follow-ups/{follow_up_id}", {
          params: { path: { meeting_id: f.meeting_id, follow_up_id: f.id }, header: { "If-Match": etagFor(f.version) } },
          body,
        }),
      ),
    ["meetings", "follow-ups"],
    then,
  );

type Meeting = Schemas["MeetingDetail"];

/** Change a meeting with the version the user loaded (lists given replace the stored ones). */
export const useUpdateMeeting = (meeting: Meeting, then: () => void) =>
  useSave(
    async (body: Schemas["MeetingUpdate"]) =>
      unwrap(
        await api.PATCH("/api/v1/meetings/{meeting_id}", {
          params: { path: { meeting_id: meeting.id }, header: { "If-Match": etagFor(meeting.version) } },
          body,
        }),
      ),
    ["meetings", "follow-ups"],
    then,
  );

export const useDeleteMeeting = (meetingId: number, then: () => void) =>
  useSave(async () => unwrap(await api.DELETE("/api/v1/meetings/{meeting_id}", { params: { path: { meeting_id: meetingId } } })), ["meetings", "follow-ups"], then, {
    message: "common.deleted",
  });

/** Attach a file (PDF, PNG or JPEG; the API checks the content). */
export const useUploadAttachment = (meetingId: number, then: () => void) =>
  useSave(
    async (f: File) =>
      unwrap(
        await api.POST("/api/v1/meetings/{meeting_id}/attachments", {
          params: { path: { meeting_id: meetingId } },
          body: { file: f.name },
          bodySerializer: multipartFile(f),
        }),
      ),
    ["meetings"],
    then,
    { message: "meetings.uploaded" },
  );

export const useDeleteAttachment = (meetingId: number) =>
  useSave(
    async (attachmentId: number) =>
      unwrap(await api.DELETE("/api/v1/meetings/{meeting_id}/attachments/{attachment_id}", { params: { path: { meeting_id: meetingId, attachment_id: attachmentId } } })),
    ["meetings"],
    undefined,
    { message: "common.deleted" },
  );

/** Legal references whose title or number holds `q` (the legal-basis choices). */
export const legalChoicesQuery = (q: string) =>
  apiQuery(["meetings", "legal-choices", q] as const, () => api.GET("/api/v1/legal-references", { params: { query: { q: q || undefined, limit: 50 } } }));

// Decrees (SK) and reporting deadlines: query keys, query options and mutations.
// (The create/change form shared with the team page keeps its own mutation: components/DecreeFormModal.tsx.)
import { useTranslation } from "react-i18next";
import { api, multipartFile, type Query, type Schemas } from "../api/client";
import { useRefetch, useSave } from "../api/mutations";
import { ApiError, etagFor, etagOf, unwrap } from "../api/problems";
import { apiQuery } from "../api/query";

type Decree = Schemas["DecreeRead"];
type Deadline = Schemas["DeadlineRead"];

export const decreeKeys = {
  all: ["decrees"] as const,
  list: (query: Query<"decrees-list">) => ["decrees", query] as const,
  detail: (id: number) => ["decrees", id] as const,
  transitions: (id: number) => ["decrees", id, "transitions"] as const,
};

export const deadlineKeys = {
  all: ["reporting-deadlines"] as const,
  list: (query: Query<"reporting-deadlines-list">) => ["reporting-deadlines", query] as const,
};

export const decreeListQuery = (query: Query<"decrees-list">) => apiQuery(decreeKeys.list(query), () => api.GET("/api/v1/decrees", { params: { query } }));

export const decreeQuery = (id: number) => apiQuery(decreeKeys.detail(id), () => api.GET("/api/v1/decrees/{decree_id}", { params: { path: { decree_id: id } } }));

export const decreeTransitionsQuery = (id: number) =>
  apiQuery(decreeKeys.transitions(id), () => api.GET("/api/v1/decrees/{decree_id}/transitions", { params: { path: { decree_id: id } } }));

export const deadlineListQuery = (query: Query<"reporting-deadlines-list">) =>
  apiQuery(deadlineKeys.list(query), () => api.GET("/api/v1/reporting-deadlines", { params: { query } }));

/**
 * Take a transition on `decree`. The version acted on is fetched fresh so that the If-Match
 * names it; when it is not the one the user saw, a 412 refetches the decrees instead.
 */
export function useDecreeTransition(decree: Decree, action: Schemas["DecreeAction"], onDone: () => void) {
  const { t } = useTranslation();
  const refetch = useRefetch("decrees");
  return useSave(
    async ({ reason, effective_date }: { reason: string | null; effective_date: string | null }) => {
      const got = await api.GET("/api/v1/decrees/{decree_id}", { params: { path: { decree_id: decree.id } } });
      const current = unwrap(got);
      if (current.version !== decree.version) throw new ApiError(412, { type: "/problems/precondition-failed", title: "Precondition Failed", detail: t("decrees.changedMeanwhile") });
      return unwrap(
        await api.POST("/api/v1/decrees/{decree_id}/transitions", {
          params: { path: { decree_id: decree.id }, header: { "If-Match": etagOf(got.response) ?? "" } },
          body: { action, reason, effective_date },
        }),
      );
    },
    ["decrees", "compliance"],
    onDone,
    { onError: async (e) => (e instanceof ApiError && e.status === 412 ? refetch() : undefined) },
  );
}

/** Attach (or replace) the decree's PDF scan. */
export const useUploadDecreeFile = (decree: Decree, then: () => void) =>
  useSave(
    async (f: File) =>
      unwrap(await api.PUT("/api/v1/decrees/{decree_id}/file", { params: { path: { decree_id: decree.id } }, body: { file: f.name }, bodySerializer: multipartFile(f) })),
    ["decrees"],
    then,
    { message: "decrees.uploaded" },
  );

/** Set a deadline (no `deadline`) or change its date and notes; the board refreshes too. */
export const useSaveDeadline = (deadline: Deadline | undefined, then: () => void) =>
  useSave(
    async (body: Schemas["DeadlineCreate"]) =>
      deadline
        ? unwrap(
            await api.PATCH("/api/v1/reporting-deadlines/{deadline_id}", {
              params: { path: { deadline_id: deadline.id }, header: { "If-Match": etagFor(deadline.version) } },
              body: { due_date: body.due_date || null, notes: body.notes },
            }),
          )
        : unwrap(await api.POST("/api/v1/reporting-deadlines", { body })),
    ["reporting-deadlines", "compliance"],
    then,
  );

export const useRemoveDeadline = () =>
  useSave(
    async (d: Deadline) => unwrap(await api.DELETE("/api/v1/reporting-deadlines/{deadline_id}", { params: { path: { deadline_id: d.id } } })),
    ["reporting-deadlines", "compliance"],
    undefined,
    { message: "common.deleted" },
  );

/** Verify one decree at the version the user saw (its If-Match); a refusal throws its problem. */
export async function verifyDecree(d: Decree) {
  return unwrap(
    await api.POST("/api/v1/decrees/{decree_id}/transitions", {
      params: { path: { decree_id: d.id }, header: { "If-Match": etagFor(d.version) } },
      body: { action: "verify", reason: null, effective_date: null },
    }),
  );
}

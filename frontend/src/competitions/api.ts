// Competitions (lomba posyandu): query keys, query options and mutations. Entrants, scores and
// the result belong to the competition: every write refetches the whole "competitions" root.
import { api, type Query, type Schemas } from "../api/client";
import { useSave } from "../api/mutations";
import { etagFor, unwrap } from "../api/problems";
import { apiQuery } from "../api/query";

type Competition = Schemas["CompetitionDetail"];

export const competitionKeys = {
  list: (query: Query<"competitions-list">) => ["competitions", query] as const,
  detail: (id: number) => ["competitions", id] as const,
  ranking: (id: number) => ["competitions", id, "ranking"] as const,
};

export const competitionListQuery = (query: Query<"competitions-list">) =>
  apiQuery(competitionKeys.list(query), () => api.GET("/api/v1/competitions", { params: { query } }));

export const competitionQuery = (id: number) =>
  apiQuery(competitionKeys.detail(id), () => api.GET("/api/v1/competitions/{competition_id}", { params: { path: { competition_id: id } } }));

export const rankingQuery = (id: number) =>
  apiQuery(competitionKeys.ranking(id), () => api.GET("/api/v1/competitions/{competition_id}/ranking", { params: { path: { competition_id: id } } }));

/** Posyandu under `region` matching `q` (who may enter). */
export const posyanduChoicesQuery = (region: string | null, q: string) =>
  apiQuery(["posyandu", "choices", region, q] as const, () =>
    api.GET("/api/v1/posyandu", { params: { query: { region: region ?? undefined, q: q || undefined, limit: 50, active: true } } }),
  );

/** Teams under `region` matching `q` (a team of a region below may enter). */
export const teamChoicesQuery = (region: string | null, q: string) =>
  apiQuery(["teams", "choices", region, q] as const, () =>
    api.GET("/api/v1/teams", { params: { query: { region: region ?? undefined, q: q || undefined, limit: 50, active: true, sort: "region_code" } } }),
  );

/** Create a competition (no `competition`) or change it with the version the user loaded. */
export const useSaveCompetition = (competition: Competition | undefined, then: (saved: Competition) => void) =>
  useSave(
    async (body: Schemas["CompetitionCreate"] | Schemas["CompetitionUpdate"]) =>
      competition
        ? unwrap(
            await api.PATCH("/api/v1/competitions/{competition_id}", {
              params: { path: { competition_id: competition.id }, header: { "If-Match": etagFor(competition.version) } },
              body,
            }),
          )
        : unwrap(await api.POST("/api/v1/competitions", { body: body as Schemas["CompetitionCreate"] })),
    ["competitions"],
    then,
  );

export const useDeleteCompetition = (then: () => void) =>
  useSave(
    async (c: Competition) => unwrap(await api.DELETE("/api/v1/competitions/{competition_id}", { params: { path: { competition_id: c.id } } })),
    ["competitions"],
    then,
    { message: "common.deleted" },
  );

export const useAddEntrant = (competitionId: number, then: () => void) =>
  useSave(
    async (body: Schemas["EntrantCreate"]) =>
      unwrap(await api.POST("/api/v1/competitions/{competition_id}/entrants", { params: { path: { competition_id: competitionId } }, body })),
    ["competitions"],
    then,
  );

export const useRemoveEntrant = (competitionId: number) =>
  useSave(
    async (entrantId: number) =>
      unwrap(await api.DELETE("/api/v1/competitions/{competition_id}/entrants/{entrant_id}", { params: { path: { competition_id: competitionId, entrant_id: entrantId } } })),
    ["competitions"],
    undefined,
    { message: "common.deleted" },
  );

export const useSetScores = (competitionId: number, then: () => void) =>
  useSave(
    async (body: Schemas["ScoresSet"]) => unwrap(await api.PUT("/api/v1/competitions/{competition_id}/scores", { params: { path: { competition_id: competitionId } }, body })),
    ["competitions"],
    then,
  );

/** Finalize with the version the user loaded (a 412 if someone changed it meanwhile). */
export const useFinalize = (competition: Competition, then: () => void) =>
  useSave(
    async (body: Schemas["FinalizeRequest"]) =>
      unwrap(
        await api.POST("/api/v1/competitions/{competition_id}/finalize", {
          params: { path: { competition_id: competition.id }, header: { "If-Match": etagFor(competition.version) } },
          body,
        }),
      ),
    ["competitions"],
    then,
  );

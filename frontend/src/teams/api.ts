// Teams: query keys, query options and mutations (the screens never call the client directly).
import { api, type Query, type Schemas } from "../api/client";
import { useSave } from "../api/mutations";
import { etagFor, unwrap } from "../api/problems";
import { apiQuery } from "../api/query";

type Team = Schemas["TeamRead"];
type Member = Schemas["MemberRead"];

export const teamKeys = {
  all: ["teams"] as const,
  list: (query: Query<"teams-list">) => ["teams", query] as const,
  detail: (id: number) => ["teams", id] as const,
};

export const teamListQuery = (query: Query<"teams-list">) => apiQuery(teamKeys.list(query), () => api.GET("/api/v1/teams", { params: { query } }));

export const teamQuery = (id: number) => apiQuery(teamKeys.detail(id), () => api.GET("/api/v1/teams/{team_id}", { params: { path: { team_id: id } } }));

/** The decrees of one team (under the decrees' root: a decree saved anywhere refreshes it). */
export const teamDecreesQuery = (teamId: number) =>
  apiQuery(["decrees", { team_id: teamId }] as const, () => api.GET("/api/v1/decrees", { params: { query: { team_id: teamId, limit: 50 } } }));

/** Create a team (no `team`) or change it with the version the user loaded. */
export const useSaveTeam = (team: Team | undefined, then: (saved: Team) => void) =>
  useSave(
    async (body: Schemas["TeamCreate"] | Schemas["TeamUpdate"]) =>
      team
        ? unwrap(await api.PATCH("/api/v1/teams/{team_id}", { params: { path: { team_id: team.id }, header: { "If-Match": etagFor(team.version) } }, body }))
        : unwrap(await api.POST("/api/v1/teams", { body: body as Schemas["TeamCreate"] })),
    ["teams"],
    then,
  );

/** Add a member to `team` (no `member`) or change one. */
export const useSaveMember = (team: Team, member: Member | undefined, then: () => void) =>
  useSave(
    async (body: Schemas["MemberCreate"]) =>
      member
        ? unwrap(
            await api.PATCH("/api/v1/teams/{team_id}/members/{member_id}", {
              params: { path: { team_id: team.id, member_id: member.id }, header: { "If-Match": etagFor(member.version) } },
              body,
            }),
          )
        : unwrap(await api.POST("/api/v1/teams/{team_id}/members", { params: { path: { team_id: team.id } }, body })),
    ["teams"],
    then,
  );

export const useRemoveMember = () =>
  useSave(
    async (m: Member) => unwrap(await api.DELETE("/api/v1/teams/{team_id}/members/{member_id}", { params: { path: { team_id: m.team_id, member_id: m.id } } })),
    ["teams"],
    undefined,
    { message: "common.deleted" },
  );

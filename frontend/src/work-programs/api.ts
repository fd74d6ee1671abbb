// Work programs (program kerja): query keys, query options and mutations. A program links
// allocations of its team's budgets for its year, so a write refetches the budgets too.
import { queryOptions } from "@tanstack/react-query";
import { api, type Query, type Schemas } from "../api/client";
import { useSave } from "../api/mutations";
import { etagFor, unwrap } from "../api/problems";
import { apiQuery } from "../api/query";

type Program = Schemas["WorkProgramRead"];

export const workProgramKeys = {
  list: (query: Query<"work-programs-list">) => ["work-programs", query] as const,
  detail: (id: number) => ["work-programs", id] as const,
};

export const workProgramListQuery = (query: Query<"work-programs-list">) =>
  apiQuery(workProgramKeys.list(query), () => api.GET("/api/v1/work-programs", { params: { query } }));

export const workProgramQuery = (id: number) =>
  apiQuery(workProgramKeys.detail(id), () => api.GET("/api/v1/work-programs/{program_id}", { params: { path: { program_id: id } } }));

/** The teams a program may be for (the team picker of the form). */
export const teamChoicesQuery = (q: string) =>
  apiQuery(["teams", "choices", q] as const, () => api.GET("/api/v1/teams", { params: { query: { q: q || undefined, limit: 50, sort: "region_code", active: true } } }));

/** The budgets of one team and year, each with its allocations (the allocations a program may link). */
export const teamBudgetsQuery = (teamId: number, year: number) =>
  queryOptions({
    queryKey: ["budgets", "of-team", teamId, year] as const,
    queryFn: async () => {
      const list = unwrap(await api.GET("/api/v1/budgets", { params: { query: { team_id: teamId, year, limit: 20 } } }));
      return Promise.all(list.items.map(async (b) => unwrap(await api.GET("/api/v1/budgets/{budget_id}", { params: { path: { budget_id: b.id } } }))));
    },
  });

/** Create a program (no `program`) or change it with the version the user loaded. */
export const useSaveWorkProgram = (program: Program | undefined, then: (saved: Program) => void) =>
  useSave(
    async (body: Schemas["WorkProgramCreate"] | Schemas["WorkProgramUpdate"]) =>
      program
        ? unwrap(
            await api.PATCH("/api/v1/work-programs/{program_id}", {
              params: { path: { program_id: program.id }, header: { "If-Match": etagFor(program.version) } },
              body: body as Schemas["WorkProgramUpdate"],
            }),
          )
        : unwrap(await api.POST("/api/v1/work-programs", { body: body as Schemas["WorkProgramCreate"] })),
    ["work-programs", "budgets"],
    then,
  );

export const useDeleteWorkProgram = (then: () => void) =>
  useSave(
    async (program: Program) => unwrap(await api.DELETE("/api/v1/work-programs/{program_id}", { params: { path: { program_id: program.id } } })),
    ["work-programs", "budgets"],
    then,
    { message: "common.deleted" },
  );

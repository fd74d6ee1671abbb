import type { Position } from "../lib/listParams";
// Budgets: the roll-up, the list, one budget with its allocations and their realizations —
// query keys, query options and mutations. Every write refetches the whole "budgets" root
// (the roll-up and the list total what the detail changes).
import { api, type Query, type Schemas } from "../api/client";
import { useSave } from "../api/mutations";
import { etagFor, unwrap } from "../api/problems";
import { apiQuery } from "../api/query";

type Allocation = Schemas["AllocationRead"];
type BudgetFilters = Pick<Query<"budgets-list">, "region" | "year" | "source">;

export const budgetKeys = {
  all: ["budgets"] as const,
  rollup: (filters: BudgetFilters, group: Schemas["RollupGroup"]) => ["budgets", "rollup", filters, group] as const,
  list: (filters: BudgetFilters, offset: number | string) => ["budgets", "list", filters, offset] as const,
  detail: (id: number) => ["budgets", id] as const,
  realizations: (budgetId: number, allocationId: number) => ["budgets", budgetId, "realizations", allocationId] as const,
};

export const rollupQuery = (filters: BudgetFilters, group: Schemas["RollupGroup"]) =>
  apiQuery(budgetKeys.rollup(filters, group), () => api.GET("/api/v1/budgets/rollup", { params: { query: { ...filters, group_by: group } } }));

export const budgetListQuery = (filters: BudgetFilters, at: Position, limit: number) =>
  apiQuery(budgetKeys.list(filters, at.cursor ?? at.offset ?? 0), () => api.GET("/api/v1/budgets", { params: { query: { ...filters, limit, ...at, sort: "-fiscal_year" } } }));

export const budgetQuery = (id: number) => apiQuery(budgetKeys.detail(id), () => api.GET("/api/v1/budgets/{budget_id}", { params: { path: { budget_id: id } } }));

export const realizationsQuery = (budgetId: number, allocationId: number) =>
  apiQuery(budgetKeys.realizations(budgetId, allocationId), () =>
    api.GET("/api/v1/budgets/{budget_id}/allocations/{allocation_id}/realizations", {
      params: { path: { budget_id: budgetId, allocation_id: allocationId }, query: { limit: 500, sort: "-realized_on" } },
    }),
  );

export const useCreateAllocation = (budgetId: number, then: () => void) =>
  useSave(
    async (body: Schemas["AllocationCreate"]) => unwrap(await api.POST("/api/v1/budgets/{budget_id}/allocations", { params: { path: { budget_id: budgetId } }, body })),
    ["budgets"],
    then,
  );

/** Change an allocation's amount, with the version the user loaded. */
export const useUpdateAllocation = (allocation: Allocation, then: () => void) =>
  useSave(
    async (body: Schemas["AllocationUpdate"]) =>
      unwrap(
        await api.PATCH("/api/v1/budgets/{budget_id}/allocations/{allocation_id}", {
          params: { path: { budget_id: allocation.budget_id, allocation_id: allocation.id }, header: { "If-Match": etagFor(allocation.version) } },
          body,
        }),
      ),
    ["budgets"],
    then,
  );

export const useCreateRealization = (budgetId: number, allocationId: number, then: () => void) =>
  useSave(
    async (body: Schemas["RealizationCreate"]) =>
      unwrap(await api.POST("/api/v1/budgets/{budget_id}/allocations/{allocation_id}/realizations", { params: { path: { budget_id: budgetId, allocation_id: allocationId } }, body })),
    ["budgets"],
    then,
  );

type Budget = Schemas["BudgetRead"];

/** Create a budget (no `budget`) or change its pagu and notes with the version the user loaded. */
export const useSaveBudget = (budget: Budget | undefined, then: (saved: Budget) => void) =>
  useSave(
    async (body: Schemas["BudgetCreate"] | Schemas["BudgetUpdate"]): Promise<Budget> =>
      budget
        ? unwrap(
            await api.PATCH("/api/v1/budgets/{budget_id}", {
              params: { path: { budget_id: budget.id }, header: { "If-Match": etagFor(budget.version) } },
              body: body as Schemas["BudgetUpdate"],
            }),
          )
        : unwrap(await api.POST("/api/v1/budgets", { body: body as Schemas["BudgetCreate"] })),
    ["budgets"],
    then,
  );

/** Delete a budget (the API refuses while it has realizations). */
export const useDeleteBudget = (budgetId: number, then: () => void) =>
  useSave(async () => unwrap(await api.DELETE("/api/v1/budgets/{budget_id}", { params: { path: { budget_id: budgetId } } })), ["budgets"], then, { message: "common.deleted" });

/** The teams a budget may be made for in region `code` (under the teams' root: a team saved anywhere refreshes it). */
export const teamChoicesQuery = (code: string, level: Schemas["RegionLevel"] | undefined) =>
  apiQuery(["teams", "budget-choices", code] as const, () => api.GET("/api/v1/teams", { params: { query: { region: code, level, limit: 50 } } }));

// Budgets: the roll-up, the list, one budget with its allocations and their realizations —
// query keys, query options and mutations. Every write refetches the whole "budgets" root
// (the roll-up and the list total what the detail changes).
import { queryOptions, useMutation } from "@tanstack/react-query";
import { api, type Query, type Schemas } from "../api/client";
import { etagFor, unwrap } from "../api/problems";
import { useOnSaved } from "../components/FormModal";

type Allocation = Schemas["AllocationRead"];
type BudgetFilters = Pick<Query<"budgets-list">, "region" | "year" | "source">;

export const budgetKeys = {
  all: ["budgets"] as const,
  rollup: (filters: BudgetFilters, group: Schemas["RollupGroup"]) => ["budgets", "rollup", filters, group] as const,
  list: (filters: BudgetFilters, offset: number) => ["budgets", "list", filters, offset] as const,
  detail: (id: number) => ["budgets", id] as const,
  realizations: (budgetId: number, allocationId: number) => ["budgets", budgetId, "realizations", allocationId] as const,
};

export const rollupQuery = (filters: BudgetFilters, group: Schemas["RollupGroup"]) =>
  queryOptions({
    queryKey: budgetKeys.rollup(filters, group),
    queryFn: async () => unwrap(await api.GET("/api/v1/budgets/rollup", { params: { query: { ...filters, group_by: group } } })),
  });

export const budgetListQuery = (filters: BudgetFilters, offset: number, limit: number) =>
  queryOptions({
    queryKey: budgetKeys.list(filters, offset),
    queryFn: async () => unwrap(await api.GET("/api/v1/budgets", { params: { query: { ...filters, limit, offset, sort: "-fiscal_year" } } })),
  });

export const budgetQuery = (id: number) =>
  queryOptions({
    queryKey: budgetKeys.detail(id),
    queryFn: async () => unwrap(await api.GET("/api/v1/budgets/{budget_id}", { params: { path: { budget_id: id } } })),
  });

export const realizationsQuery = (budgetId: number, allocationId: number) =>
  queryOptions({
    queryKey: budgetKeys.realizations(budgetId, allocationId),
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/budgets/{budget_id}/allocations/{allocation_id}/realizations", {
          params: { path: { budget_id: budgetId, allocation_id: allocationId }, query: { limit: 500, sort: "-realized_on" } },
        }),
      ),
  });

export function useCreateAllocation(budgetId: number, then: () => void) {
  return useMutation({
    mutationFn: async (body: Schemas["AllocationCreate"]) =>
      unwrap(await api.POST("/api/v1/budgets/{budget_id}/allocations", { params: { path: { budget_id: budgetId } }, body })),
    onSuccess: useOnSaved(["budgets"], then),
  });
}

/** Change an allocation's amount, with the version the user loaded. */
export function useUpdateAllocation(allocation: Allocation, then: () => void) {
  return useMutation({
    mutationFn: async (body: Schemas["AllocationUpdate"]) =>
      unwrap(
        await api.PATCH("/api/v1/budgets/{budget_id}/allocations/{allocation_id}", {
          params: { path: { budget_id: allocation.budget_id, allocation_id: allocation.id }, header: { "If-Match": etagFor(allocation.version) } },
          body,
        }),
      ),
    onSuccess: useOnSaved(["budgets"], then),
  });
}

export function useCreateRealization(budgetId: number, allocationId: number, then: () => void) {
  return useMutation({
    mutationFn: async (body: Schemas["RealizationCreate"]) =>
      unwrap(
        await api.POST("/api/v1/budgets/{budget_id}/allocations/{allocation_id}/realizations", {
          params: { path: { budget_id: budgetId, allocation_id: allocationId } },
          body,
        }),
      ),
    onSuccess: useOnSaved(["budgets"], then),
  });
}

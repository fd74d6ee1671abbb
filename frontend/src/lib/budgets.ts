// Budget vocabulary shared by the budget screens and the meeting form (a meeting's funding source).
import type { Schemas } from "../api/client";

export type BudgetSource = Schemas["BudgetSource"];

/** The funding sources, in the order the forms and filters offer them. */
export const BUDGET_SOURCES: BudgetSource[] = ["apbd", "apbd_perubahan", "dak_non_fisik", "apbdes", "dana_desa", "other"];

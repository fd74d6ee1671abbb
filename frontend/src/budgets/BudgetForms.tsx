// A budget's form: create one for a team, a fiscal year and a source with its ceiling (pagu),
// or change the pagu and notes of one (PATCH with If-Match: a stale edit shows what changed).
// The team, year and source identify a budget and never change.
import { NumberInput, Select, SimpleGrid, Textarea } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import type { Schemas } from "../api/client";
import { useMe } from "../auth/auth";
import { FormModal, textOrNull } from "../components/FormModal";
import { RegionPicker } from "../components/RegionPicker";
import { BUDGET_SOURCES, type BudgetSource } from "../lib/budgets";
import { useFields } from "../lib/fields";
import { REGION_CODE } from "../lib/scope";
import { teamChoicesQuery, useSaveBudget } from "./api";

type Budget = Schemas["BudgetRead"];
const LEVELS: Schemas["RegionLevel"][] = ["province", "regency", "district", "village"];

/** Rupiah amounts: whole numbers, Indonesian separators. */
export const RUPIAH_INPUT = { thousandSeparator: ".", decimalSeparator: ",", allowDecimal: false, allowNegative: false } as const;

/** Create a budget (no `budget`; it then opens on its own page) or change one's pagu and notes. */
export function BudgetFormModal({ budget, onClose }: { budget?: Budget; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const save = useSaveBudget(budget, (saved) => {
    onClose();
    if (!budget) navigate(`/budgets/${saved.id}`);
  });
  const f = useFields(
    {
      region_code: budget?.region_code ?? me.region?.code ?? "",
      team_id: (budget ? String(budget.team_id) : null) as string | null,
      fiscal_year: (budget?.fiscal_year ?? new Date().getFullYear()) as number | null,
      source: (budget?.source ?? null) as string | null,
      total_amount: (budget?.total_amount ?? null) as number | null,
      notes: budget?.notes ?? "",
    },
    save.error,
  );
  const v = f.values;
  const teams = useTeamChoices(v.region_code.trim(), !budget);
  const submit = () => {
    const common = { total_amount: v.total_amount, notes: textOrNull(v.notes) };
    if (budget) save.mutate(common);
    // the missing choices are sent as they are so that the API's 422 names each field
    else save.mutate({ ...common, team_id: Number(v.team_id ?? 0), fiscal_year: v.fiscal_year ?? 0, source: (v.source ?? "") as BudgetSource });
  };
  const labels = { total_amount: t("budgets.total"), notes: t("budgets.notes"), allocated_amount: t("budgets.allocated"), realized_amount: t("budgets.realized") };
  return (
    <FormModal
      title={budget ? t("budgets.edit", { team: budget.team_name, year: budget.fiscal_year }) : t("budgets.new")}
      size="lg"
      onClose={onClose}
      onSubmit={submit}
      mutation={save}
      fields={["team_id", "fiscal_year", "source", "total_amount", "notes"]}
      stale={{ loaded: budget ?? {}, labels, queryKey: "budgets" }}
    >
      {!budget && (
        <>
          <RegionPicker
            label={t("budgets.teamRegion")}
            description={t("budgets.teamRegionHelp")}
            value={v.region_code}
            onChange={(code) => {
              f.set("region_code", code);
              f.set("team_id", null);
            }}
            data-autofocus
          />
          <Select
            label={t("budgets.team")}
            placeholder={teams.length === 0 ? t("budgets.noTeams") : undefined}
            data={teams}
            {...f.choice("team_id")}
            searchable
            required
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NumberInput label={t("budgets.year")} min={2000} max={2100} allowDecimal={false} allowNegative={false} {...f.number("fiscal_year")} required />
            <Select label={t("budgets.source")} data={BUDGET_SOURCES.map((s) => ({ value: s, label: t(`budgets.sources.${s}`) }))} {...f.choice("source")} required />
          </SimpleGrid>
        </>
      )}
      <NumberInput label={t("budgets.totalRp")} description={t("budgets.totalHelp")} {...RUPIAH_INPUT} {...f.number("total_amount")} data-autofocus={budget ? true : undefined} />
      <Textarea label={t("budgets.notes")} maxLength={5000} {...f.text("notes")} autosize minRows={2} />
    </FormModal>
  );
}

/** The teams of exactly region `code`, as choices (asked for only for a whole region code). */
function useTeamChoices(code: string, wanted: boolean): { value: string; label: string }[] {
  const { t } = useTranslation();
  const level = REGION_CODE.test(code) ? LEVELS[code.split(".").length - 1] : undefined;
  const teams = useQuery({ ...teamChoicesQuery(code, level), enabled: wanted && level !== undefined });
  if (level === undefined) return [];
  return (teams.data?.items ?? [])
    .filter((x) => x.region_code === code)
    .map((x) => ({ value: String(x.id), label: `${x.name} (${t(`teams.kinds.${x.kind}`)})` }));
}

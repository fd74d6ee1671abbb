// One budget: its totals, its allocations (planned, realized, remaining, progress) and the
// realizations of the chosen allocation; forms to add an allocation, change its amount (PATCH
// with If-Match: a stale edit shows what changed) and record a realization. A realization past
// the allocation is refused (409) unless "allow overrun" is ticked.
import { Anchor, Badge, Button, Checkbox, Group, NumberInput, Progress, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type Schemas } from "../api/client";
import { ApiError } from "../api/problems";
import { DataTable } from "../components/DataTable";
import { ProblemAlert } from "../components/ProblemAlert";
import { FormModal, textOrNull } from "../components/FormModal";
import { DateField } from "../components/DateField";
import { BackLink, RecordState, RecordTitle, Section, StatCard, useRouteId } from "../components/Page";
import { QueryTable } from "../components/QueryTable";
import { ProvenanceBadge, ProvenanceSource } from "../components/Provenance";
import { useFields, type Fields } from "../lib/fields";
import { formatDate, formatPercent, formatRupiah, todayIso } from "../lib/format";
import { allows } from "../lib/scope";
import { SPM_FIELDS, type SpmField } from "../lib/spm";
import { budgetQuery, realizationsQuery, useCreateAllocation, useCreateRealization, useDeleteBudget, useUpdateAllocation } from "./api";
import { BudgetFormModal, RUPIAH_INPUT } from "./BudgetForms";
import { ConfirmButton } from "../components/Confirm";
import { useNavigate } from "react-router";

type Budget = Schemas["BudgetDetail"];
type Allocation = Schemas["AllocationRead"];
type Category = Schemas["AllocationCategory"];
const CATEGORIES: Category[] = ["pembinaan", "operasional", "pelatihan", "koordinasi", "monitoring_evaluasi", "lomba", "lainnya"];

const isConflict = (e: unknown) => e instanceof ApiError && e.status === 409;

export function BudgetDetailPage() {
  const { t } = useTranslation();
  const { id, valid } = useRouteId("budgetId");
  const [selected, setSelected] = useState<number | null>(null);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Allocation | null>(null);
  const [realizing, setRealizing] = useState<Allocation | null>(null);
  const [pricing, setPricing] = useState(false);
  const navigate = useNavigate();
  const remove = useDeleteBudget(id, () => navigate("/budgets"));
  const budget = useQuery({ ...budgetQuery(id), enabled: valid, retry: false });
  if (!budget.isSuccess) return <RecordState query={budget} valid={valid} back={{ to: "/budgets", label: t("budgets.title") }} />;
  const b = budget.data;
  const chosen = b.allocations.find((a) => a.id === selected) ?? null;
  const allocationActions = b.allocations.some((a) => allows(a, "add_realization") || allows(a, "update"));

  return (
    <Stack>
      <BackLink to="/budgets" label={t("budgets.title")} />
      <RecordTitle title={b.team_name} testId="budget-title">
        <Badge variant="light">{t(`budgets.sources.${b.source}`)}</Badge>
        <ProvenanceBadge provenance={b.provenance} />
        <Text c="dimmed">
          {b.fiscal_year} ·{" "}
          <Text span ff="monospace">
            {b.region_code}
          </Text>
        </Text>
      </RecordTitle>
      {(allows(b, "update") || allows(b, "delete")) && (
        <Group gap="xs">
          {allows(b, "update") && (
            <Button size="xs" onClick={() => setPricing(true)}>
              {b.total_amount === null ? t("budgets.setTotal") : t("budgets.changeTotal")}
            </Button>
          )}
          {allows(b, "delete") && (
            <ConfirmButton color="red" label={t("budgets.delete")} question={t("budgets.deleteQuestion", { team: b.team_name, year: b.fiscal_year })} onConfirm={() => remove.mutateAsync().catch(() => {})} />
          )}
        </Group>
      )}
      {remove.error ? <ProblemAlert error={remove.error} /> : null}
      <SimpleGrid cols={{ base: 2, md: 4 }} data-testid="budget-summary">
        <StatCard withBorder fz={20} label={t("budgets.total")} value={formatRupiah(b.total_amount)} />
        <StatCard withBorder fz={20} label={t("budgets.allocated")} value={formatRupiah(b.allocated_amount)} />
        <StatCard withBorder fz={20} label={t("budgets.realized")} value={formatRupiah(b.realized_amount)} />
        <StatCard withBorder fz={20} label={t("budgets.unallocated")} value={formatRupiah(b.unallocated_amount)} />
      </SimpleGrid>
      {b.notes && <Text style={{ whiteSpace: "pre-wrap" }}>{b.notes}</Text>}
      <ProvenanceSource provenance={b.provenance} />

      <Section
        title={t("budgets.allocations")}
        actions={
          allows(b, "add_allocation") && (
            <Button size="xs" onClick={() => setAdding(true)}>
              {t("budgets.addAllocation")}
            </Button>
          )
        }
      >
        {b.allocations.length === 0 ? (
          <Text c="dimmed">{t("budgets.noAllocations")}</Text>
        ) : (
          <DataTable
            testId="allocations"
            tableProps={{ withTableBorder: true, highlightOnHover: true }}
            rows={b.allocations}
            rowKey={(a) => a.id}
            rowProps={(a) => ({ bg: a.id === selected ? "teal.0" : undefined })}
            columns={[
              {
                header: t("budgets.activity"),
                cell: (a) => (
                  <>
                    <Anchor component="button" type="button" ta="left" onClick={() => setSelected(a.id)}>
                      {a.activity}
                    </Anchor>
                    {a.category && (
                      <Text size="xs" c="dimmed">
                        {t(`budgets.categories.${a.category}`)}
                      </Text>
                    )}
                    <ProvenanceBadge provenance={a.provenance} />
                  </>
                ),
              },
              { header: t("budgets.spmField"), cell: (a) => (a.spm_field ? t(`spm.${a.spm_field}`) : t("budgets.general")) },
              { header: t("budgets.planned"), numeric: true, cell: (a) => formatRupiah(a.amount) },
              { header: t("budgets.realized"), numeric: true, cell: (a) => formatRupiah(a.realized_amount) },
              { header: t("budgets.remaining"), numeric: true, td: (a) => ({ c: a.remaining_amount < 0 ? "red.7" : undefined }), cell: (a) => formatRupiah(a.remaining_amount) },
              {
                header: t("budgets.progress"),
                th: { w: 160 },
                cell: (a) => (
                  <Group gap={6} wrap="nowrap">
                    <Progress value={Math.min(a.percent_realized, 100)} color={a.percent_realized > 100 ? "red" : "teal"} size="sm" style={{ flex: 1 }} aria-label={a.activity} />
                    <Text size="xs">{formatPercent(a.percent_realized)}</Text>
                  </Group>
                ),
              },
              allocationActions && {
                cell: (a) => (
                  <Group gap={4} wrap="nowrap">
                    {allows(a, "add_realization") && (
                      <Button size="compact-xs" variant="light" onClick={() => setRealizing(a)}>
                        {t("budgets.addRealization")}
                      </Button>
                    )}
                    {allows(a, "update") && (
                      <Button size="compact-xs" variant="subtle" onClick={() => setEditing(a)}>
                        {t("common.edit")}
                      </Button>
                    )}
                  </Group>
                ),
              },
            ]}
          />
        )}
      </Section>
      {chosen ? <Realizations budgetId={b.id} allocation={chosen} /> : b.allocations.length > 0 && <Text c="dimmed" size="sm">{t("budgets.pickAllocation")}</Text>}
      {pricing && <BudgetFormModal key={b.version} budget={b} onClose={() => setPricing(false)} />}
      {adding && <AllocationForm budget={b} onClose={() => setAdding(false)} />}
      {editing && <AllocationAmountForm key={`${editing.id}-${editing.version}`} allocation={editing} onClose={() => setEditing(null)} />}
      {realizing && <RealizationForm budget={b} allocation={realizing} onClose={() => setRealizing(null)} />}
    </Stack>
  );
}

function Realizations({ budgetId, allocation }: { budgetId: number; allocation: Allocation }) {
  const { t } = useTranslation();
  const list = useQuery(realizationsQuery(budgetId, allocation.id));
  return (
    <Section data-testid="realizations" title={t("budgets.realizations", { activity: allocation.activity })}>
      <QueryTable
        query={list}
        empty="instead"
        tableProps={{ striped: false, withTableBorder: true, fz: "sm" }}
        rowKey={(r) => r.id}
        columns={[
          { header: t("budgets.realizedOn"), cell: (r) => formatDate(r.realized_on) },
          {
            header: t("budgets.description"),
            cell: (r) => (
              <>
                {r.description ?? "—"}{" "}
                {r.overrun && (
                  <Badge size="xs" color="red" variant="light">
                    {t("budgets.overrun")}
                  </Badge>
                )}
              </>
            ),
          },
          { header: t("budgets.amount"), numeric: true, cell: (r) => formatRupiah(r.amount) },
        ]}
      />
    </Section>
  );
}

/** "Allow overrun", offered once the API refused an overrun (409) or when already ticked. */
function OverrunBox({ box, error }: { box: ReturnType<Fields<{ allow_overrun: boolean }>["checked"]>; error: unknown }) {
  const { t } = useTranslation();
  if (!box.checked && !isConflict(error)) return null;
  return <Checkbox label={t("budgets.allowOverrun")} description={t("budgets.allowOverrunHelp")} checked={box.checked} onChange={box.onChange} />;
}

function AllocationForm({ budget, onClose }: { budget: Budget; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useCreateAllocation(budget.id, onClose);
  const f = useFields({ activity: "", spm_field: null as SpmField | null, category: null as Category | null, amount: null as number | null, notes: "" }, save.error);
  const v = f.values;
  // an empty amount is sent as 0 so that the API's 422 names the field
  const submit = () => save.mutate({ ...v, activity: v.activity.trim(), amount: v.amount ?? 0, notes: textOrNull(v.notes) });
  return (
    <FormModal title={t("budgets.addAllocation")} size="lg" onClose={onClose} onSubmit={submit} mutation={save} fields={["activity", "amount", "spm_field", "category", "notes"]}>
      <TextInput label={t("budgets.activity")} maxLength={300} {...f.text("activity")} required data-autofocus />
      <Group grow>
        <Select label={t("budgets.spmField")} placeholder={t("budgets.general")} data={SPM_FIELDS.map((x) => ({ value: x, label: t(`spm.${x}`) }))} {...f.choice("spm_field")} clearable />
        <Select label={t("budgets.category")} data={CATEGORIES.map((c) => ({ value: c, label: t(`budgets.categories.${c}`) }))} {...f.choice("category")} clearable />
      </Group>
      <NumberInput label={t("budgets.amount")} {...RUPIAH_INPUT} {...f.number("amount")} required />
      <Textarea label={t("budgets.notes")} maxLength={5000} {...f.text("notes")} autosize minRows={2} />
    </FormModal>
  );
}

function AllocationAmountForm({ allocation, onClose }: { allocation: Allocation; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useUpdateAllocation(allocation, onClose);
  const f = useFields({ amount: allocation.amount as number | null, allow_overrun: false }, save.error);
  const labels = { amount: t("budgets.amount"), activity: t("budgets.activity"), realized_amount: t("budgets.realized"), remaining_amount: t("budgets.remaining"), percent_realized: t("budgets.percentRealized") };
  return (
    <FormModal
      title={`${t("budgets.editAllocation")}: ${allocation.activity}`}
      onClose={onClose}
      onSubmit={() => save.mutate({ ...f.values, amount: f.values.amount ?? 0 })}
      mutation={save}
      fields={["amount"]}
      stale={{ loaded: allocation, labels, queryKey: "budgets" }}
    >
      <NumberInput label={t("budgets.amount")} {...RUPIAH_INPUT} {...f.number("amount")} required data-autofocus />
      <OverrunBox box={f.checked("allow_overrun")} error={save.error} />
    </FormModal>
  );
}

function RealizationForm({ budget, allocation, onClose }: { budget: Budget; allocation: Allocation; onClose: () => void }) {
  const { t } = useTranslation();
  const today = todayIso();
  const save = useCreateRealization(budget.id, allocation.id, onClose);
  const f = useFields(
    { realized_on: today.startsWith(String(budget.fiscal_year)) ? today : `${budget.fiscal_year}-12-31`, amount: null as number | null, description: "", allow_overrun: false },
    save.error,
  );
  const submit = () => save.mutate({ ...f.values, amount: f.values.amount ?? 0, description: textOrNull(f.values.description) });
  return (
    <FormModal
      title={`${t("budgets.addRealization")}: ${allocation.activity}`}
      onClose={onClose}
      onSubmit={submit}
      mutation={save}
      fields={["realized_on", "amount", "description"]}
      intro={
        <Text size="sm" c="dimmed">
          {t("budgets.remaining")}: {formatRupiah(allocation.remaining_amount)}
        </Text>
      }
    >
      <DateField label={t("budgets.realizedOn")} {...f.date("realized_on")} required />
      <NumberInput label={t("budgets.amount")} {...RUPIAH_INPUT} {...f.number("amount")} required data-autofocus />
      <TextInput label={t("budgets.description")} maxLength={500} {...f.text("description")} />
      <OverrunBox box={f.checked("allow_overrun")} error={save.error} />
    </FormModal>
  );
}

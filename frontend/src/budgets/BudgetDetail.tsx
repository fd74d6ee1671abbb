// One budget: its totals, its allocations (planned, realized, remaining, progress) and the
// realizations of the chosen allocation; forms to add an allocation, change its amount (PATCH
// with If-Match: a stale edit shows what changed) and record a realization. A realization past
// the allocation is refused (409) unless "allow overrun" is ticked.
import { Anchor, Badge, Button, Card, Checkbox, Group, Loader, NumberInput, Progress, Select, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { type Schemas } from "../api/client";
import { ApiError, fieldErrors } from "../api/problems";
import { ProblemAlert } from "../components/ProblemAlert";
import { FormModal } from "../components/FormModal";
import { formatDate, formatPercent, formatRupiah, todayIso } from "../lib/format";
import { allows } from "../lib/scope";
import { SPM_FIELDS, type SpmField } from "../lib/spm";
import { budgetQuery, realizationsQuery, useCreateAllocation, useCreateRealization, useUpdateAllocation } from "./api";

type Budget = Schemas["BudgetDetail"];
type Allocation = Schemas["AllocationRead"];
type Category = Schemas["AllocationCategory"];
const CATEGORIES: Category[] = ["pembinaan", "operasional", "pelatihan", "koordinasi", "monitoring_evaluasi", "lomba", "lainnya"];

const isConflict = (e: unknown) => e instanceof ApiError && e.status === 409;
const amountOf = (v: string | number) => (typeof v === "number" ? v : null);

export function BudgetDetailPage() {
  const { t } = useTranslation();
  const { budgetId } = useParams();
  const id = Number(budgetId);
  const [selected, setSelected] = useState<number | null>(null);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Allocation | null>(null);
  const [realizing, setRealizing] = useState<Allocation | null>(null);
  const budget = useQuery({
    ...budgetQuery(id),
    enabled: Number.isInteger(id) && id > 0,
    retry: false,
  });
  if (!Number.isInteger(id) || id <= 0) return <ProblemAlert error={new Error(t("problems.notFound"))} />;
  if (budget.isPending) return <Loader />;
  if (budget.error)
    return (
      <Stack>
        <ProblemAlert error={budget.error} />
        <Anchor component={Link} to="/budgets">
          ← {t("budgets.title")}
        </Anchor>
      </Stack>
    );
  const b = budget.data;
  const chosen = b.allocations.find((a) => a.id === selected) ?? null;
  const allocationActions = b.allocations.some((a) => allows(a, "add_realization") || allows(a, "update"));

  return (
    <Stack>
      <Anchor component={Link} to="/budgets" size="sm">
        ← {t("budgets.title")}
      </Anchor>
      <Group gap="sm" align="baseline">
        <Title order={2} data-testid="budget-title">
          {b.team_name}
        </Title>
        <Badge variant="light">{t(`budgets.sources.${b.source}`)}</Badge>
        <Text c="dimmed">
          {b.fiscal_year} ·{" "}
          <Text span ff="monospace">
            {b.region_code}
          </Text>
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 2, md: 4 }} data-testid="budget-summary">
        <Figure label={t("budgets.total")} value={formatRupiah(b.total_amount)} />
        <Figure label={t("budgets.allocated")} value={formatRupiah(b.allocated_amount)} />
        <Figure label={t("budgets.realized")} value={formatRupiah(b.realized_amount)} />
        <Figure label={t("budgets.unallocated")} value={formatRupiah(b.unallocated_amount)} />
      </SimpleGrid>
      {b.notes && <Text style={{ whiteSpace: "pre-wrap" }}>{b.notes}</Text>}

      <Card withBorder>
        <Group justify="space-between" mb="sm">
          <Title order={4}>{t("budgets.allocations")}</Title>
          {allows(b, "add_allocation") && (
            <Button size="xs" onClick={() => setAdding(true)}>
              {t("budgets.addAllocation")}
            </Button>
          )}
        </Group>
        {b.allocations.length === 0 ? (
          <Text c="dimmed">{t("budgets.noAllocations")}</Text>
        ) : (
          <Table withTableBorder highlightOnHover data-testid="allocations">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("budgets.activity")}</Table.Th>
                <Table.Th>{t("budgets.spmField")}</Table.Th>
                <Table.Th ta="right">{t("budgets.planned")}</Table.Th>
                <Table.Th ta="right">{t("budgets.realized")}</Table.Th>
                <Table.Th ta="right">{t("budgets.remaining")}</Table.Th>
                <Table.Th w={160}>{t("budgets.progress")}</Table.Th>
                {allocationActions && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {b.allocations.map((a) => (
                <Table.Tr key={a.id} bg={a.id === selected ? "teal.0" : undefined}>
                  <Table.Td>
                    <Anchor component="button" type="button" ta="left" onClick={() => setSelected(a.id)}>
                      {a.activity}
                    </Anchor>
                    {a.category && (
                      <Text size="xs" c="dimmed">
                        {t(`budgets.categories.${a.category}`)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{a.spm_field ? t(`spm.${a.spm_field}`) : t("budgets.general")}</Table.Td>
                  <Table.Td ta="right">{formatRupiah(a.amount)}</Table.Td>
                  <Table.Td ta="right">{formatRupiah(a.realized_amount)}</Table.Td>
                  <Table.Td ta="right" c={a.remaining_amount < 0 ? "red.7" : undefined}>
                    {formatRupiah(a.remaining_amount)}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Progress value={Math.min(a.percent_realized, 100)} color={a.percent_realized > 100 ? "red" : "teal"} size="sm" style={{ flex: 1 }} aria-label={a.activity} />
                      <Text size="xs">{formatPercent(a.percent_realized)}</Text>
                    </Group>
                  </Table.Td>
                  {allocationActions && (
                    <Table.Td>
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
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      {chosen ? <Realizations budgetId={b.id} allocation={chosen} /> : b.allocations.length > 0 && <Text c="dimmed" size="sm">{t("budgets.pickAllocation")}</Text>}
      {adding && <AllocationForm budget={b} onClose={() => setAdding(false)} />}
      {editing && <AllocationAmountForm key={`${editing.id}-${editing.version}`} allocation={editing} onClose={() => setEditing(null)} />}
      {realizing && <RealizationForm budget={b} allocation={realizing} onClose={() => setRealizing(null)} />}
    </Stack>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Card withBorder radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text fz={20} fw={700}>
        {value}
      </Text>
    </Card>
  );
}

function Realizations({ budgetId, allocation }: { budgetId: number; allocation: Allocation }) {
  const { t } = useTranslation();
  const list = useQuery(realizationsQuery(budgetId, allocation.id));
  return (
    <Card withBorder data-testid="realizations">
      <Title order={4} mb="sm">
        {t("budgets.realizations", { activity: allocation.activity })}
      </Title>
      {list.isPending ? (
        <Loader size="sm" />
      ) : list.error ? (
        <ProblemAlert error={list.error} />
      ) : list.data.items.length === 0 ? (
        <Text c="dimmed">{t("common.empty")}</Text>
      ) : (
        <Table withTableBorder fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("budgets.realizedOn")}</Table.Th>
              <Table.Th>{t("budgets.description")}</Table.Th>
              <Table.Th ta="right">{t("budgets.amount")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{formatDate(r.realized_on)}</Table.Td>
                <Table.Td>
                  {r.description ?? "—"}{" "}
                  {r.overrun && (
                    <Badge size="xs" color="red" variant="light">
                      {t("budgets.overrun")}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td ta="right">{formatRupiah(r.amount)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

function AllocationForm({ budget, onClose }: { budget: Budget; onClose: () => void }) {
  const { t } = useTranslation();
  const [activity, setActivity] = useState("");
  const [field, setField] = useState<SpmField | null>(null);
  const [category, setCategory] = useState<Category | null>(null);
  const [amount, setAmount] = useState<number | null>(null);
  const [notes, setNotes] = useState("");
  const save = useCreateAllocation(budget.id, onClose);
  // an empty amount is sent as 0 so that the API's 422 names the field
  const submit = () => save.mutate({ activity: activity.trim(), spm_field: field, category, amount: amount ?? 0, notes: notes.trim() || null });
  const errs = fieldErrors(save.error);
  return (
    <FormModal
      title={t("budgets.addAllocation")}
      size="lg"
      onClose={onClose}
      onSubmit={submit}
      saving={save.isPending}
      error={save.error}
      fields={["activity", "amount", "spm_field", "category", "notes"]}
    >
      <TextInput label={t("budgets.activity")} value={activity} maxLength={300} onChange={(e) => setActivity(e.currentTarget.value)} error={errs.activity} required data-autofocus />
      <Group grow>
        <Select
          label={t("budgets.spmField")}
          placeholder={t("budgets.general")}
          data={SPM_FIELDS.map((f) => ({ value: f, label: t(`spm.${f}`) }))}
          value={field}
          onChange={(v) => setField(v as SpmField | null)}
          clearable
          error={errs.spm_field}
        />
        <Select
          label={t("budgets.category")}
          data={CATEGORIES.map((c) => ({ value: c, label: t(`budgets.categories.${c}`) }))}
          value={category}
          onChange={(v) => setCategory(v as Category | null)}
          clearable
          error={errs.category}
        />
      </Group>
      <NumberInput label={t("budgets.amount")} value={amount ?? ""} onChange={(v) => setAmount(amountOf(v))} thousandSeparator="." decimalSeparator="," allowDecimal={false} allowNegative={false} error={errs.amount} required />
      <Textarea label={t("budgets.notes")} value={notes} maxLength={5000} onChange={(e) => setNotes(e.currentTarget.value)} error={errs.notes} autosize minRows={2} />
    </FormModal>
  );
}

function AllocationAmountForm({ allocation, onClose }: { allocation: Allocation; onClose: () => void }) {
  const { t } = useTranslation();
  const [amount, setAmount] = useState<number | null>(allocation.amount);
  const [overrun, setOverrun] = useState(false);
  const save = useUpdateAllocation(allocation, onClose);
  const submit = () => save.mutate({ amount: amount ?? 0, allow_overrun: overrun });
  const errs = fieldErrors(save.error);
  return (
    <FormModal
      title={`${t("budgets.editAllocation")}: ${allocation.activity}`}
      onClose={onClose}
      onSubmit={submit}
      saving={save.isPending}
      error={save.error}
      fields={["amount"]}
      stale={{
        loaded: allocation,
        labels: { amount: t("budgets.amount"), activity: t("budgets.activity"), realized_amount: t("budgets.realized"), remaining_amount: t("budgets.remaining"), percent_realized: t("budgets.percentRealized") },
        queryKey: "budgets",
      }}
    >
      <NumberInput label={t("budgets.amount")} value={amount ?? ""} onChange={(v) => setAmount(amountOf(v))} thousandSeparator="." decimalSeparator="," allowDecimal={false} allowNegative={false} error={errs.amount} required data-autofocus />
      {(overrun || isConflict(save.error)) && (
        <Checkbox label={t("budgets.allowOverrun")} description={t("budgets.allowOverrunHelp")} checked={overrun} onChange={(e) => setOverrun(e.currentTarget.checked)} />
      )}
    </FormModal>
  );
}

function RealizationForm({ budget, allocation, onClose }: { budget: Budget; allocation: Allocation; onClose: () => void }) {
  const { t } = useTranslation();
  const today = todayIso();
  const [on, setOn] = useState(today.startsWith(String(budget.fiscal_year)) ? today : `${budget.fiscal_year}-12-31`);
  const [amount, setAmount] = useState<number | null>(null);
  const [description, setDescription] = useState("");
  const [overrun, setOverrun] = useState(false);
  const save = useCreateRealization(budget.id, allocation.id, onClose);
  const submit = () => save.mutate({ realized_on: on, amount: amount ?? 0, description: description.trim() || null, allow_overrun: overrun });
  const errs = fieldErrors(save.error);
  return (
    <FormModal
      title={`${t("budgets.addRealization")}: ${allocation.activity}`}
      onClose={onClose}
      onSubmit={submit}
      saving={save.isPending}
      error={save.error}
      fields={["realized_on", "amount", "description"]}
    >
      <Text size="sm" c="dimmed">
        {t("budgets.remaining")}: {formatRupiah(allocation.remaining_amount)}
      </Text>
      <TextInput type="date" label={t("budgets.realizedOn")} value={on} onChange={(e) => setOn(e.currentTarget.value)} error={errs.realized_on} required />
      <NumberInput label={t("budgets.amount")} value={amount ?? ""} onChange={(v) => setAmount(amountOf(v))} thousandSeparator="." decimalSeparator="," allowDecimal={false} allowNegative={false} error={errs.amount} required data-autofocus />
      <TextInput label={t("budgets.description")} value={description} maxLength={500} onChange={(e) => setDescription(e.currentTarget.value)} error={errs.description} />
      {(overrun || isConflict(save.error)) && (
        <Checkbox label={t("budgets.allowOverrun")} description={t("budgets.allowOverrunHelp")} checked={overrun} onChange={(e) => setOverrun(e.currentTarget.checked)} />
      )}
    </FormModal>
  );
}

// Budgets: the roll-up (budgeted, planned, realized) for a region and year with a plan vs
// realization chart grouped by source, SPM field or year (GET /budgets/rollup), the list of
// budgets, and each budget's allocations with their realizations.
import { BarChart } from "@mantine/charts";
import { Anchor, Card, Group, Loader, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { type Schemas } from "../api/client";
import { useMe } from "../auth/auth";
import { ProblemAlert } from "../components/ProblemAlert";
import { formatPercent, formatRupiah } from "../lib/format";
import { BUDGET_SOURCES, type BudgetSource } from "../lib/budgets";
import type { SpmField } from "../lib/spm";
import { REGION_CODE } from "../lib/scope";
import { budgetListQuery, rollupQuery } from "./api";
import { QueryTable } from "../components/QueryTable";
import type { TFunction } from "i18next";

export type RollupGroup = Schemas["RollupGroup"];
const GROUPS: RollupGroup[] = ["source", "spm_field", "year"];
const PAGE = 25;

/** Fiscal years offered in the filter: the current one, the next, and five back. */
function years(): string[] {
  const now = new Date().getFullYear();
  return Array.from({ length: 7 }, (_, i) => String(now + 1 - i));
}

/** The label of a roll-up row's key for its grouping. */
export function rollupLabel(group: RollupGroup, key: string, t: TFunction): string {
  // the API's keys for these groups are the source and SPM field codes
  if (group === "source") return t(`budgets.sources.${key as BudgetSource}`);
  if (group === "spm_field") return key === "general" ? t("budgets.general") : t(`spm.${key as SpmField}`);
  return key;
}

export function BudgetsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [params] = useSearchParams();
  const [region, setRegion] = useState(params.get("region") ?? me.region?.code ?? "");
  const [debounced] = useDebouncedValue(region.trim(), 300);
  const [year, setYear] = useState<string | null>(params.get("year"));
  const [source, setSource] = useState<BudgetSource | null>(null);
  const [group, setGroup] = useState<RollupGroup>("source");
  const [offset, setOffset] = useState(0);
  const regionOk = debounced === "" || REGION_CODE.test(debounced);
  const filters = { region: debounced || undefined, year: year ? Number(year) : undefined, source: source ?? undefined };

  const rollup = useQuery({
    ...rollupQuery(filters, group),
    enabled: regionOk,
    placeholderData: keepPreviousData,
  });
  const list = useQuery({
    ...budgetListQuery(filters, offset, PAGE),
    enabled: regionOk,
    placeholderData: keepPreviousData,
  });
  const reset = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setOffset(0);
  };

  return (
    <Stack>
      <Title order={2}>{t("budgets.title")}</Title>
      <Group align="flex-end" wrap="wrap">
        <TextInput
          label={t("budgets.region")}
          description={t("budgets.regionHelp")}
          value={region}
          maxLength={13}
          onChange={(e) => reset(setRegion)(e.currentTarget.value)}
          error={regionOk ? undefined : t("budgets.invalidRegion")}
          w={200}
        />
        <Select label={t("budgets.year")} placeholder={t("common.all")} data={years()} value={year} onChange={reset(setYear)} clearable w={160} />
        <Select
          label={t("budgets.source")}
          placeholder={t("common.all")}
          data={BUDGET_SOURCES.map((s) => ({ value: s, label: t(`budgets.sources.${s}`) }))}
          value={source}
          onChange={(v) => reset(setSource)(v as BudgetSource | null)}
          clearable
          w={200}
        />
      </Group>

      {rollup.error ? (
        <ProblemAlert error={rollup.error} />
      ) : (
        <SimpleGrid cols={{ base: 2, md: 4 }} data-testid="budget-totals">
          <Total label={t("budgets.budgeted")} value={rollup.data ? formatRupiah(rollup.data.totals.budgeted) : "…"} testid="total-budgeted" />
          <Total label={t("budgets.planned")} value={rollup.data ? formatRupiah(rollup.data.totals.planned) : "…"} testid="total-planned" />
          <Total label={t("budgets.realized")} value={rollup.data ? formatRupiah(rollup.data.totals.realized) : "…"} testid="total-realized" />
          <Total label={t("budgets.percentRealized")} value={rollup.data ? formatPercent(rollup.data.totals.percent) : "…"} testid="total-percent" />
        </SimpleGrid>
      )}

      <Card withBorder data-testid="rollup">
        <Group justify="space-between" mb="sm">
          <Title order={4}>{t("budgets.chart")}</Title>
          <SegmentedControl
            aria-label={t("budgets.groupBy")}
            size="xs"
            value={group}
            onChange={(v) => setGroup(v as RollupGroup)}
            data={GROUPS.map((g) => ({ value: g, label: t(`budgets.groups.${g}`) }))}
          />
        </Group>
        {rollup.isPending ? <Loader size="sm" /> : rollup.data && rollup.data.rows.length === 0 ? <Text c="dimmed">{t("common.empty")}</Text> : rollup.data && <RollupChart data={rollup.data} />}
      </Card>

      <Card withBorder>
        <Title order={4} mb="sm">
          {t("budgets.list")}
        </Title>
        <QueryTable
          query={list}
          empty="instead"
          testId="budget-table"
          tableProps={{ highlightOnHover: true, withTableBorder: true }}
          rowKey={(b) => b.id}
          page={{ limit: PAGE, offset, onOffset: setOffset }}
          columns={[
            {
              header: t("budgets.team"),
              cell: (b) => (
                <>
                  <Anchor component={Link} to={`/budgets/${b.id}`}>
                    {b.team_name}
                  </Anchor>{" "}
                  <Text span size="xs" c="dimmed" ff="monospace">
                    {b.region_code}
                  </Text>
                </>
              ),
            },
            { header: t("budgets.year"), cell: (b) => b.fiscal_year },
            { header: t("budgets.source"), cell: (b) => t(`budgets.sources.${b.source}`) },
            { header: t("budgets.total"), numeric: true, cell: (b) => formatRupiah(b.total_amount) },
            { header: t("budgets.allocated"), numeric: true, cell: (b) => formatRupiah(b.allocated_amount) },
            { header: t("budgets.realized"), numeric: true, cell: (b) => formatRupiah(b.realized_amount) },
          ]}
        />
      </Card>
    </Stack>
  );
}

function Total({ label, value, testid }: { label: string; value: string; testid: string }) {
  return (
    <Card bg="teal.0" radius="md" data-testid={testid}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text fz={22} fw={700}>
        {value}
      </Text>
    </Card>
  );
}

function RollupChart({ data }: { data: Schemas["BudgetRollup"] }) {
  const { t } = useTranslation();
  const rows = data.rows.map((r) => ({ key: rollupLabel(data.group_by, r.key, t), budgeted: r.budgeted, planned: r.planned, realized: r.realized }));
  const withBudgeted = data.group_by !== "spm_field";
  const series = [
    ...(withBudgeted ? [{ name: "budgeted", label: t("budgets.budgeted"), color: "gray.5" }] : []),
    { name: "planned", label: t("budgets.planned"), color: "blue.6" },
    { name: "realized", label: t("budgets.realized"), color: "teal.6" },
  ];
  return (
    <Stack>
      <BarChart
        h={300}
        data={rows}
        dataKey="key"
        series={series}
        withLegend
        valueFormatter={(v) => formatRupiah(v)}
        yAxisProps={{ width: 150 }}
        xAxisProps={{ interval: 0 }}
        data-testid="rollup-chart"
      />
      <Table withTableBorder fz="sm" data-testid="rollup-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t(`budgets.groups.${data.group_by}`)}</Table.Th>
            {withBudgeted && <Table.Th ta="right">{t("budgets.budgeted")}</Table.Th>}
            <Table.Th ta="right">{t("budgets.planned")}</Table.Th>
            <Table.Th ta="right">{t("budgets.realized")}</Table.Th>
            <Table.Th ta="right">{t("budgets.percentRealized")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.rows.map((r) => (
            <Table.Tr key={r.key}>
              <Table.Td>{rollupLabel(data.group_by, r.key, t)}</Table.Td>
              {withBudgeted && <Table.Td ta="right">{formatRupiah(r.budgeted)}</Table.Td>}
              <Table.Td ta="right">{formatRupiah(r.planned)}</Table.Td>
              <Table.Td ta="right">{formatRupiah(r.realized)}</Table.Td>
              <Table.Td ta="right">{formatPercent(r.percent)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

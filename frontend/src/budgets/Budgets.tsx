// Budgets: the roll-up (budgeted, planned, realized) for a region and year with a plan vs
// realization chart grouped by source, SPM field or year (GET /budgets/rollup), the list of
// budgets, and each budget's allocations with their realizations.
import { BarChart } from "@mantine/charts";
import "@mantine/charts/styles.css";
import { Anchor, Button, Group, Loader, SegmentedControl, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import type { TFunction } from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ExportButtons } from "../components/Download";
import { Link } from "react-router";
import { type Schemas } from "../api/client";
import { useMe } from "../auth/auth";
import { DataTable } from "../components/DataTable";
import { ParamSelect, RegionParam } from "../components/Filters";
import { Section, StatCard, WithCode } from "../components/Page";
import { ProblemAlert } from "../components/ProblemAlert";
import { ProvenanceBadge } from "../components/Provenance";
import { useListQuery } from "../api/query";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { QueryTable } from "../components/QueryTable";
import { BUDGET_SOURCES, type BudgetSource } from "../lib/budgets";
import { formatPercent, formatRupiah } from "../lib/format";
import { regionFilterOk, useDebouncedParam, useListParams } from "../lib/listParams";
import type { SpmField } from "../lib/spm";
import { budgetListQuery, rollupQuery } from "./api";
import { BudgetFormModal } from "./BudgetForms";
import { allows } from "../lib/scope";

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
  // the user's own region is the filter until they change it
  const params = useListParams({ region: me.region?.code ?? "" });
  const region = useDebouncedParam(params, "region");
  const year = params.get("year") || null;
  const source = (params.get("source") || null) as BudgetSource | null;
  const [group, setGroup] = useState<RollupGroup>("source");
  const [creating, setCreating] = useState(false);
  const [pricing, setPricing] = useState<Schemas["BudgetRead"] | null>(null);
  const regionOk = regionFilterOk(region);
  const filters = { region: region || undefined, year: year ? Number(year) : undefined, source: source ?? undefined };

  const rollup = useQuery({ ...rollupQuery(filters, group), enabled: regionOk, placeholderData: keepPreviousData });
  const list = useListQuery({ ...budgetListQuery(filters, params.position, PAGE), enabled: regionOk });

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">{t("budgets.title")}</Title>
        <ExportButtons path="/api/v1/exports/budgets" query={{ ...filters, sort: "-fiscal_year" }} what={t("budgets.title")} />
        {allows(me, "create_budget") && <Button onClick={() => setCreating(true)}>{t("budgets.new")}</Button>}
      </Group>
      <Group align="flex-end" wrap="wrap">
        <RegionParam params={params} label={t("budgets.region")} description={t("budgets.regionHelp")} error={regionOk ? undefined : t("budgets.invalidRegion")} w={200} />
        <ParamSelect params={params} param="year" label={t("budgets.year")} data={years()} w={160} />
        <ParamSelect params={params} param="source" label={t("budgets.source")} data={BUDGET_SOURCES.map((s) => ({ value: s, label: t(`budgets.sources.${s}`) }))} w={200} />
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

      <Section
        data-testid="rollup"
        title={t("budgets.chart")}
        actions={
          <SegmentedControl
            aria-label={t("budgets.groupBy")}
            size="xs"
            value={group}
            onChange={(v) => setGroup(v as RollupGroup)}
            data={GROUPS.map((g) => ({ value: g, label: t(`budgets.groups.${g}`) }))}
          />
        }
      >
        {rollup.isPending ? <Loader size="sm" /> : rollup.data && rollup.data.rows.length === 0 ? <Text c="dimmed">{t("common.empty")}</Text> : rollup.data && <RollupChart data={rollup.data} />}
      </Section>

      <Section title={t("budgets.list")}>
        <QueryTable
          query={list}
          empty="instead"
          testId="budget-table"
          tableProps={{ highlightOnHover: true, withTableBorder: true }}
          rowKey={(b) => b.id}
          page={params.page(PAGE)}
          columns={[
            {
              header: t("budgets.team"),
              cell: (b) => (
                <WithCode code={b.region_code}>
                  <Anchor component={Link} to={`/budgets/${b.id}`}>
                    {b.team_name}
                  </Anchor>
                </WithCode>
              ),
            },
            { header: t("budgets.year"), cell: (b) => b.fiscal_year },
            {
              header: t("budgets.source"),
              cell: (b) => (
                <Group gap={6} wrap="nowrap">
                  {t(`budgets.sources.${b.source}`)}
                  <ProvenanceBadge provenance={b.provenance} />
                </Group>
              ),
            },
            {
              header: t("budgets.total"),
              numeric: true,
              cell: (b) =>
                b.total_amount === null && allows(b, "update") ? (
                  <Button size="compact-xs" variant="light" onClick={() => setPricing(b)} aria-label={t("budgets.setTotalOf", { team: b.team_name, year: b.fiscal_year })}>
                    {t("budgets.setTotal")}
                  </Button>
                ) : (
                  formatRupiah(b.total_amount)
                ),
            },
            { header: t("budgets.allocated"), numeric: true, cell: (b) => formatRupiah(b.allocated_amount) },
            { header: t("budgets.realized"), numeric: true, cell: (b) => formatRupiah(b.realized_amount) },
          ]}
        />
      </Section>
      {creating && <BudgetFormModal onClose={() => setCreating(false)} />}
      {pricing && <BudgetFormModal key={`${pricing.id}-${pricing.version}`} budget={pricing} onClose={() => setPricing(null)} />}
    </Stack>
  );
}

function Total({ label, value, testid }: { label: string; value: string; testid: string }) {
  return <StatCard bg="teal.0" label={label} value={value} data-testid={testid} />;
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
      <DataTable
        testId="rollup-table"
        tableProps={{ withTableBorder: true, fz: "sm" }}
        rows={data.rows}
        rowKey={(r) => r.key}
        columns={[
          { header: t(`budgets.groups.${data.group_by}`), cell: (r) => rollupLabel(data.group_by, r.key, t) },
          withBudgeted && { header: t("budgets.budgeted"), numeric: true, cell: (r) => formatRupiah(r.budgeted) },
          { header: t("budgets.planned"), numeric: true, cell: (r) => formatRupiah(r.planned) },
          { header: t("budgets.realized"), numeric: true, cell: (r) => formatRupiah(r.realized) },
          { header: t("budgets.percentRealized"), numeric: true, cell: (r) => formatPercent(r.percent) },
        ]}
      />
    </Stack>
  );
}

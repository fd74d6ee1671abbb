// Pilot sites (percontohan): the list with a chart comparing the pilots' current scores per SPM
// field (GET /pilot-sites/comparison), and each pilot's scorecard: baseline vs current per SPM
// field with the evidence and the good practice noted.
import { BarChart } from "@mantine/charts";
import "@mantine/charts/styles.css";
import { Anchor, Badge, Button, Group, Loader, SimpleGrid, Stack, Text } from "@mantine/core";
import { IconSearch } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ExportButtons } from "../components/Download";
import { Link } from "react-router";
import { type Schemas } from "../api/client";
import { DataTable } from "../components/DataTable";
import { SearchParam } from "../components/Filters";
import { BackLink, PageHeader, RecordState, RecordTitle, Section, useRouteId, WithCode } from "../components/Page";
import { ProblemAlert } from "../components/ProblemAlert";
import { ProvenanceBadge, ProvenanceSource } from "../components/Provenance";
import { useListQuery } from "../api/query";
import { QueryTable } from "../components/QueryTable";
import { formatDate, formatNumber } from "../lib/format";
import { useDebouncedParam, useListParams } from "../lib/listParams";
import { allows } from "../lib/scope";
import { SPM_COLORS, SPM_FIELDS, type SpmField } from "../lib/spm";
import { comparisonQuery, pilotListQuery, pilotQuery } from "./api";
import { ScoreForm } from "./ScoreForm";

const PAGE = 25;
type ScoreMap = Partial<Record<string, Schemas["ScoreRead"]>>;

function period(p: { start_date: string; end_date: string | null }): string {
  return `${formatDate(p.start_date)} – ${p.end_date ? formatDate(p.end_date) : "…"}`;
}

/** The mean of the scored fields' current scores, or null when none is scored. */
export function meanCurrent(scores: ScoreMap): number | null {
  const vals = SPM_FIELDS.map((f) => scores[f]?.current_score).filter((v): v is number => typeof v === "number");
  return vals.length ? Math.round((vals.reduce((a, b) => a + b, 0) / vals.length) * 10) / 10 : null;
}

export function PilotSitesPage() {
  const { t } = useTranslation();
  const params = useListParams();
  const q = useDebouncedParam(params, "q");
  const list = useListQuery(pilotListQuery(q, params.position, PAGE));
  const comparison = useQuery(comparisonQuery());

  return (
    <Stack>
      <PageHeader title={t("pilots.title")} align="flex-end">
        <ExportButtons path="/api/v1/exports/pilot-sites" query={{ q: q || undefined, sort: "region_code" }} what={t("pilots.title")} />
        <SearchParam params={params} w={320} leftSection={<IconSearch size={16} />} placeholder={t("pilots.searchPlaceholder")} label={undefined} aria-label={t("common.search")} />
      </PageHeader>
      <Section title={t("pilots.list")}>
        <QueryTable
          query={list}
          empty="instead"
          testId="pilot-table"
          tableProps={{ highlightOnHover: true, withTableBorder: true }}
          rowKey={(p) => p.id}
          page={params.page(PAGE)}
          columns={[
            { header: t("pilots.posyandu"), link: (p) => `/pilot-sites/${p.id}`, cell: (p) => p.posyandu_name },
            { header: t("pilots.village"), cell: (p) => <WithCode code={p.region_code}>{p.village_name}</WithCode> },
            {
              header: t("pilots.period"),
              cell: (p) => (
                <Group gap={6} wrap="nowrap">
                  {period(p)}
                  <ProvenanceBadge provenance={p.provenance} />
                </Group>
              ),
            },
            { header: t("pilots.meanCurrent"), numeric: true, cell: (p) => formatNumber(meanCurrent(p.scorecard)) },
          ]}
        />
      </Section>
      <Section data-testid="comparison" title={t("pilots.comparison")} description={t("pilots.comparisonHelp")}>
        {comparison.isPending ? (
          <Loader size="sm" />
        ) : comparison.error ? (
          <ProblemAlert error={comparison.error} />
        ) : comparison.data.pilots.length === 0 ? (
          <Text c="dimmed">{t("common.empty")}</Text>
        ) : (
          <ComparisonChart data={comparison.data} />
        )}
      </Section>
    </Stack>
  );
}

function ComparisonChart({ data }: { data: Schemas["PilotComparison"] }) {
  const { t } = useTranslation();
  const rows = SPM_FIELDS.map((f) => {
    const row: Record<string, string | number | null> = { field: t(`spm.${f}`) };
    for (const p of data.pilots) row[`p${p.pilot_site_id}`] = p.scores[f]?.current_score ?? null;
    return row;
  });
  const palette = ["teal.6", "blue.6", "grape.6", "orange.6", "red.6", "cyan.6", "lime.7", "indigo.6"];
  const series = data.pilots.map((p, i) => ({ name: `p${p.pilot_site_id}`, label: p.posyandu_name, color: palette[i % palette.length] }));
  const best = (f: SpmField) => data.pilots.find((p) => p.pilot_site_id === data.by_field[f]?.best_pilot_id);
  return (
    <Stack>
      <BarChart h={320} data={rows} dataKey="field" series={series} withLegend yAxisProps={{ domain: [0, 100] }} xAxisProps={{ interval: 0 }} data-testid="comparison-chart" />
      <DataTable
        tableProps={{ withTableBorder: true, fz: "sm" }}
        rows={SPM_FIELDS}
        rowKey={(f) => f}
        columns={[
          { header: t("pilots.field"), cell: (f) => t(`spm.${f}`) },
          { header: t("pilots.scored"), numeric: true, cell: (f) => formatNumber(data.by_field[f]?.pilots_scored ?? 0) },
          { header: t("pilots.baselineAvg"), numeric: true, cell: (f) => formatNumber(data.by_field[f]?.baseline_average) },
          { header: t("pilots.currentAvg"), numeric: true, cell: (f) => formatNumber(data.by_field[f]?.current_average) },
          { header: t("pilots.best"), cell: (f) => best(f)?.posyandu_name ?? "—" },
        ]}
      />
    </Stack>
  );
}

/** A score's change since the baseline: signed, green up, red down. */
function changeOf(change: number | null) {
  return {
    color: change === null ? undefined : change > 0 ? "teal.8" : change < 0 ? "red.7" : undefined,
    text: change === null ? "—" : `${change > 0 ? "+" : ""}${formatNumber(change)}`,
  };
}

export function PilotScorecardPage() {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const { id, valid } = useRouteId("pilotId");
  const pilot = useQuery({ ...pilotQuery(id), enabled: valid, retry: false });
  if (!pilot.isSuccess) return <RecordState query={pilot} valid={valid} back={{ to: "/pilot-sites", label: t("pilots.title") }} />;
  const { data: p, etag } = pilot.data;
  const rows = SPM_FIELDS.map((f) => ({
    field: t(`spm.${f}`),
    baseline: p.scorecard[f]?.baseline_score ?? null,
    current: p.scorecard[f]?.current_score ?? null,
  }));
  return (
    <Stack>
      <BackLink to="/pilot-sites" label={t("pilots.title")} />
      <RecordTitle title={p.posyandu_name} testId="pilot-name">
        <Badge variant="light">{t("pilots.badge")}</Badge>
        <ProvenanceBadge provenance={p.provenance} />
        <Anchor component={Link} to={`/posyandu/${p.posyandu_id}`} size="sm">
          {t("pilots.openPosyandu")}
        </Anchor>
        {allows(p, "update") && (
          <Button size="xs" variant="light" onClick={() => setEditing(true)}>
            {t("pilots.editScores")}
          </Button>
        )}
      </RecordTitle>
      {editing && <ScoreForm key={`${p.id}-${p.version}`} pilot={p} etag={etag} onClose={() => setEditing(false)} />}
      <Text c="dimmed">
        {p.village_name} ({p.region_code}) · {period(p)}
      </Text>
      <ProvenanceSource provenance={p.provenance} />
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Section data-testid="scorecard-chart" title={t("pilots.baselineVsCurrent")}>
          {rows.every((r) => r.baseline === null && r.current === null) && (
            <Text size="sm" c="dimmed" mb="xs" data-testid="unscored">
              {t("pilots.unscored")}
            </Text>
          )}
          <BarChart
            h={320}
            data={rows}
            dataKey="field"
            orientation="vertical"
            withLegend
            xAxisProps={{ domain: [0, 100] }}
            yAxisProps={{ width: 130, interval: 0 }}
            series={[
              { name: "baseline", label: t("pilots.baseline"), color: "gray.5" },
              { name: "current", label: t("pilots.current"), color: "teal.6" },
            ]}
          />
        </Section>
        <Section title={t("pilots.scorecard")}>
          <DataTable
            testId="scorecard"
            tableProps={{ withTableBorder: true }}
            rows={SPM_FIELDS}
            rowKey={(f) => f}
            columns={[
              {
                header: t("pilots.field"),
                cell: (f) => (
                  <Group gap={6} wrap="nowrap">
                    <Badge size="xs" circle color={SPM_COLORS[f]} />
                    {t(`spm.${f}`)}
                  </Group>
                ),
              },
              { header: t("pilots.baseline"), numeric: true, cell: (f) => formatNumber(p.scorecard[f]?.baseline_score) },
              { header: t("pilots.current"), numeric: true, cell: (f) => formatNumber(p.scorecard[f]?.current_score) },
              { header: t("pilots.change"), numeric: true, td: (f) => ({ c: changeOf(p.scorecard[f]?.change ?? null).color }), cell: (f) => changeOf(p.scorecard[f]?.change ?? null).text },
            ]}
          />
        </Section>
      </SimpleGrid>
      <Section title={t("pilots.evidence")}>
        <Stack gap="xs">
          {SPM_FIELDS.filter((f) => p.scorecard[f]?.evidence).map((f) => (
            <Text key={f} size="sm">
              <Text span fw={600}>
                {t(`spm.${f}`)}:
              </Text>{" "}
              {p.scorecard[f]?.evidence}
            </Text>
          ))}
          {SPM_FIELDS.every((f) => !p.scorecard[f]?.evidence) && <Text c="dimmed">{t("common.empty")}</Text>}
        </Stack>
      </Section>
      <Section data-testid="good-practices" title={t("pilots.goodPractices")}>
        <Text style={{ whiteSpace: "pre-wrap" }}>{p.good_practices ?? "—"}</Text>
        {p.notes && (
          <Text size="sm" c="dimmed" mt="sm" style={{ whiteSpace: "pre-wrap" }}>
            {p.notes}
          </Text>
        )}
      </Section>
    </Stack>
  );
}

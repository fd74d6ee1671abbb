// Pilot sites (percontohan): the list with a chart comparing the pilots' current scores per SPM
// field (GET /pilot-sites/comparison), and each pilot's scorecard: baseline vs current per SPM
// field with the evidence and the good practice noted.
import { BarChart } from "@mantine/charts";
import { Anchor, Badge, Button, Card, Group, Loader, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconSearch } from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { type Schemas } from "../api/client";
import { ScoreForm } from "./ScoreForm";
import { ProblemAlert } from "../components/ProblemAlert";
import { formatDate, formatNumber } from "../lib/format";
import { allows } from "../lib/scope";
import { SPM_COLORS, SPM_FIELDS } from "../lib/spm";
import { comparisonQuery, pilotListQuery, pilotQuery } from "./api";
import { QueryTable } from "../components/QueryTable";
import { useListParams } from "../lib/listParams";

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
  const { get: getParam, set: setParam, offset, setOffset } = useListParams();
  const { t } = useTranslation();
  const q = getParam("q");
  const setQ = (v: string) => setParam("q", v);
  const [debounced] = useDebouncedValue(q.trim(), 300);
  const list = useQuery({
    ...pilotListQuery(debounced, offset, PAGE),
    placeholderData: keepPreviousData,
  });
  const comparison = useQuery(comparisonQuery());

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={2}>{t("pilots.title")}</Title>
        <TextInput
          w={320}
          leftSection={<IconSearch size={16} />}
          placeholder={t("pilots.searchPlaceholder")}
          aria-label={t("common.search")}
          value={q}
          maxLength={100}
          onChange={(e) => {
            setQ(e.currentTarget.value);
          }}
        />
      </Group>
      <Card withBorder>
        <Title order={4} mb="sm">
          {t("pilots.list")}
        </Title>
        <QueryTable
          query={list}
          empty="instead"
          testId="pilot-table"
          tableProps={{ highlightOnHover: true, withTableBorder: true }}
          rowKey={(p) => p.id}
          page={{ limit: PAGE, offset, onOffset: setOffset }}
          columns={[
            {
              header: t("pilots.posyandu"),
              cell: (p) => (
                <Anchor component={Link} to={`/pilot-sites/${p.id}`}>
                  {p.posyandu_name}
                </Anchor>
              ),
            },
            {
              header: t("pilots.village"),
              cell: (p) => (
                <>
                  {p.village_name}{" "}
                  <Text span size="xs" c="dimmed" ff="monospace">
                    {p.region_code}
                  </Text>
                </>
              ),
            },
            { header: t("pilots.period"), cell: (p) => period(p) },
            { header: t("pilots.meanCurrent"), numeric: true, cell: (p) => formatNumber(meanCurrent(p.scorecard)) },
          ]}
        />
      </Card>
      <Card withBorder data-testid="comparison">
        <Title order={4}>{t("pilots.comparison")}</Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t("pilots.comparisonHelp")}
        </Text>
        {comparison.isPending ? (
          <Loader size="sm" />
        ) : comparison.error ? (
          <ProblemAlert error={comparison.error} />
        ) : comparison.data.pilots.length === 0 ? (
          <Text c="dimmed">{t("common.empty")}</Text>
        ) : (
          <ComparisonChart data={comparison.data} />
        )}
      </Card>
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
  return (
    <Stack>
      <BarChart h={320} data={rows} dataKey="field" series={series} withLegend yAxisProps={{ domain: [0, 100] }} xAxisProps={{ interval: 0 }} data-testid="comparison-chart" />
      <Table withTableBorder fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("pilots.field")}</Table.Th>
            <Table.Th ta="right">{t("pilots.scored")}</Table.Th>
            <Table.Th ta="right">{t("pilots.baselineAvg")}</Table.Th>
            <Table.Th ta="right">{t("pilots.currentAvg")}</Table.Th>
            <Table.Th>{t("pilots.best")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {SPM_FIELDS.map((f) => {
            const c = data.by_field[f];
            const best = data.pilots.find((p) => p.pilot_site_id === c?.best_pilot_id);
            return (
              <Table.Tr key={f}>
                <Table.Td>{t(`spm.${f}`)}</Table.Td>
                <Table.Td ta="right">{formatNumber(c?.pilots_scored ?? 0)}</Table.Td>
                <Table.Td ta="right">{formatNumber(c?.baseline_average)}</Table.Td>
                <Table.Td ta="right">{formatNumber(c?.current_average)}</Table.Td>
                <Table.Td>{best ? best.posyandu_name : "—"}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

export function PilotScorecardPage() {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const { pilotId } = useParams();
  const id = Number(pilotId);
  const pilot = useQuery({
    ...pilotQuery(id),
    enabled: Number.isInteger(id) && id > 0,
    retry: false,
  });
  if (!Number.isInteger(id) || id <= 0) return <ProblemAlert error={new Error(t("problems.notFound"))} />;
  if (pilot.isPending) return <Loader />;
  if (pilot.error)
    return (
      <Stack>
        <ProblemAlert error={pilot.error} />
        <Anchor component={Link} to="/pilot-sites">
          ← {t("pilots.title")}
        </Anchor>
      </Stack>
    );
  const { p, etag } = pilot.data;
  const rows = SPM_FIELDS.map((f) => ({
    field: t(`spm.${f}`),
    baseline: p.scorecard[f]?.baseline_score ?? null,
    current: p.scorecard[f]?.current_score ?? null,
  }));
  return (
    <Stack>
      <Anchor component={Link} to="/pilot-sites" size="sm">
        ← {t("pilots.title")}
      </Anchor>
      <Group gap="sm" align="baseline">
        <Title order={2} data-testid="pilot-name">
          {p.posyandu_name}
        </Title>
        <Badge variant="light">{t("pilots.badge")}</Badge>
        <Anchor component={Link} to={`/posyandu/${p.posyandu_id}`} size="sm">
          {t("pilots.openPosyandu")}
        </Anchor>
        {allows(p, "update") && (
          <Button size="xs" variant="light" onClick={() => setEditing(true)}>
            {t("pilots.editScores")}
          </Button>
        )}
      </Group>
      {editing && <ScoreForm key={`${p.id}-${p.version}`} pilot={p} etag={etag} onClose={() => setEditing(false)} />}
      <Text c="dimmed">
        {p.village_name} ({p.region_code}) · {period(p)}
      </Text>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Card withBorder data-testid="scorecard-chart">
          <Title order={4} mb="sm">
            {t("pilots.baselineVsCurrent")}
          </Title>
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
        </Card>
        <Card withBorder>
          <Title order={4} mb="sm">
            {t("pilots.scorecard")}
          </Title>
          <Table withTableBorder data-testid="scorecard">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("pilots.field")}</Table.Th>
                <Table.Th ta="right">{t("pilots.baseline")}</Table.Th>
                <Table.Th ta="right">{t("pilots.current")}</Table.Th>
                <Table.Th ta="right">{t("pilots.change")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {SPM_FIELDS.map((f) => {
                const s = p.scorecard[f];
                const change = s?.change ?? null;
                return (
                  <Table.Tr key={f}>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Badge size="xs" circle color={SPM_COLORS[f]} />
                        {t(`spm.${f}`)}
                      </Group>
                    </Table.Td>
                    <Table.Td ta="right">{formatNumber(s?.baseline_score)}</Table.Td>
                    <Table.Td ta="right">{formatNumber(s?.current_score)}</Table.Td>
                    <Table.Td ta="right" c={change === null ? undefined : change > 0 ? "teal.8" : change < 0 ? "red.7" : undefined}>
                      {change === null ? "—" : `${change > 0 ? "+" : ""}${formatNumber(change)}`}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Title order={4} mb="sm">
          {t("pilots.evidence")}
        </Title>
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
      </Card>
      <Card withBorder data-testid="good-practices">
        <Title order={4} mb="sm">
          {t("pilots.goodPractices")}
        </Title>
        <Text style={{ whiteSpace: "pre-wrap" }}>{p.good_practices ?? "—"}</Text>
        {p.notes && (
          <Text size="sm" c="dimmed" mt="sm" style={{ whiteSpace: "pre-wrap" }}>
            {p.notes}
          </Text>
        )}
      </Card>
    </Stack>
  );
}

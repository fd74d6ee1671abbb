// The board of the posyandu's monthly activity reports (GET /activity-reports/board): for a month,
// per child region, how many active posyandu should report (expected), how many did (received),
// on time, accepted, returned and missing, with percentages; the region's 12-month trend; the
// service totals per SPM field; and the posyandu that did not report (or reported no activity in a
// field), page by page and exportable, each opening its report or starting one. The month and
// the filters are kept in the URL.
import "@mantine/charts/styles.css";
import { Anchor, Badge, Breadcrumbs, Button, Card, Group, List, Loader, Progress, Select, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useParams } from "react-router";
import { type Schemas } from "../api/client";
import { useListQuery } from "../api/query";
import { useMe } from "../auth/auth";
import { DataTable } from "../components/DataTable";
import { ExportButtons, PrintButton } from "../components/Download";
import { Section, StatCard } from "../components/Page";
import { PagedFooter } from "../components/Pager";
import { CountsLineChart } from "../components/CountsLineChart";
import { ProblemAlert } from "../components/ProblemAlert";
import { formatDate, formatNumber, formatPercent } from "../lib/format";
import { useListParams, type ListParams } from "../lib/listParams";
import { allows, covers } from "../lib/scope";
import { SPM_COLORS, SPM_FIELDS } from "../lib/spm";
import { boardQuery, fieldsQuery, missingQuery, regionQuery, servicesQuery, trendQuery, type SpmFieldName } from "./api";
import { MonthSelect, PERIOD, periodLabel, ReportStatusBadge } from "./common";
import { PercentBar } from "../components/PercentBar";

type Completeness = Schemas["Completeness"];
type Row = Schemas["BoardRow"];

export function ActivityBoardPage() {
  const me = useMe();
  const { code } = useParams();
  if (!code) return me.region ? <Navigate to={`/activity-reports/${me.region.code}`} replace /> : <Board key="" code={undefined} />;
  return <Board key={code} code={code} />;
}

function Board({ code }: { code: string | undefined }) {
  const me = useMe();
  const { t } = useTranslation();
  const list = useListParams();
  const periodRaw = list.get("period");
  const fields = useQuery(fieldsQuery());
  // no month in the URL: the API's default, the month being reported now (asked at once, in parallel)
  const period = PERIOD.test(periodRaw) ? periodRaw : undefined;
  const detail = useQuery({ ...regionQuery(code ?? ""), enabled: code !== undefined, retry: false });
  const ready = code === undefined || detail.isSuccess;
  const board = useListQuery({ ...boardQuery(code, period), enabled: ready, retry: false });
  const month = period ?? board.data?.period ?? fields.data?.current_period;

  if (code !== undefined && detail.isPending) return <Loader />;
  if (detail.error)
    return (
      <Stack>
        <Title order={1} size="h2">
          {t("activityReports.boardTitle")}
        </Title>
        <ProblemAlert error={detail.error} />
        {me.region && (
          <Anchor component={Link} to={`/activity-reports/${me.region.code}`}>
            ← {t("compliance.backToOwn", { name: me.region.name })}
          </Anchor>
        )}
      </Stack>
    );

  const r = detail.data;
  const name = r?.name ?? "Indonesia";
  const crumbs = r ? r.ancestors.filter((a) => covers(me, a.code)) : [];
  const query = (c: string) => `/activity-reports/${c}${month ? `?period=${month}` : ""}`;
  const b = board.data;
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          {r && (
            <Breadcrumbs separator="›" data-testid="breadcrumbs">
              {!me.region && (
                <Anchor component={Link} to={`/activity-reports${month ? `?period=${month}` : ""}`}>
                  Indonesia
                </Anchor>
              )}
              {crumbs.map((a) => (
                <Anchor key={a.code} component={Link} to={query(a.code)}>
                  {a.name}
                </Anchor>
              ))}
              <Text fw={600}>{r.name}</Text>
            </Breadcrumbs>
          )}
          <Title order={1} size="h2" data-testid="board-title">
            {t("activityReports.boardTitleFor", { name })}
          </Title>
        </Stack>
        <Group align="flex-end" data-print-hide>
          {fields.data && <MonthSelect value={month ?? null} latest={fields.data.current_period} onChange={(v) => list.set("period", v === fields.data.current_period ? null : v)} />}
          {r && (
            <Anchor component={Link} to={`/regions/${r.code}`} size="sm">
              {t("compliance.openRegion")}
            </Anchor>
          )}
          <PrintButton size="sm" />
        </Group>
      </Group>
      {board.isPending ? (
        <Loader />
      ) : board.error ? (
        <ProblemAlert error={board.error} />
      ) : (
        <>
          <Headline total={b!.total} dueDate={b!.due_date} />
          {b!.rows.length > 0 && (
            <Section title={t("compliance.perRegion")}>
              <RowsTable rows={b!.rows} total={b!.total} link={(row) => query(row.region.code)} />
            </Section>
          )}
        </>
      )}
      {ready && (
        <>
          <Trend code={code} until={period} />
          <Services code={code} period={period} />
          <Missing code={code} period={period} month={month} list={list} notReported={b?.total.missing} />
        </>
      )}
    </Stack>
  );
}

function Headline({ total, dueDate }: { total: Completeness; dueDate: string }) {
  const { t } = useTranslation();
  const stat = (key: "received" | "on_time" | "accepted", pct: number | null, color: string) => (
    <StatCard withBorder data-testid={`headline-${key}`} label={t(`activityReports.metrics.${key}`)} value={t("compliance.nOfM", { n: formatNumber(total[key]), m: formatNumber(total.expected) })}>
      <Progress value={pct ?? 0} color={color} size="sm" mt={6} aria-label={t(`activityReports.metrics.${key}`)} />
      <Text size="sm" c="dimmed" mt={4}>
        {formatPercent(pct)}
      </Text>
    </StatCard>
  );
  const pctAccepted = total.expected ? Math.round((1000 * total.accepted) / total.expected) / 10 : null;
  return (
    <Stack gap="sm">
      <Card bg="teal.0" radius="md" data-testid="headline">
        <Text fz={22} fw={700}>
          {t("activityReports.headline", { n: formatNumber(total.received), m: formatNumber(total.expected), month: periodLabel(total.period) })}
        </Text>
        <Text size="sm" c="dimmed">
          {t("activityReports.dueOn", { date: formatDate(dueDate) })}
        </Text>
      </Card>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
        {stat("received", total.pct_received, "teal")}
        {stat("on_time", total.pct_on_time, "blue")}
        {stat("accepted", pctAccepted, "green")}
        <StatCard withBorder data-testid="headline-missing" label={t("activityReports.metrics.missing")} value={formatNumber(total.missing)}>
          <Text size="sm" c="dimmed" mt={4}>
            {t("activityReports.returnedN", { n: formatNumber(total.returned) })}
          </Text>
        </StatCard>
      </SimpleGrid>
    </Stack>
  );
}

function RowsTable({ rows, total, link }: { rows: Row[]; total: Completeness; link: (row: Row) => string }) {
  const { t } = useTranslation();
  const totalRow: Row = { ...total, region: { code: "", name: t("compliance.total"), level: "province" } };
  const isTotal = (row: Row) => row === totalRow;
  const pct = (row: Row, n: number) => (row.expected ? Math.round((1000 * n) / row.expected) / 10 : null);
  return (
    <DataTable
      testId="board-table"
      minWidth={760}
      tableProps={{ withTableBorder: true, striped: true, highlightOnHover: true }}
      rows={rows}
      footer={[totalRow]}
      rowKey={(row) => (isTotal(row) ? "total" : row.region.code)}
      rowProps={(row) => ({ fw: isTotal(row) ? 700 : undefined, "data-testid": isTotal(row) ? "row-total" : `row-${row.region.code}` })}
      columns={[
        {
          header: t("common.region"),
          cell: (row) =>
            isTotal(row) ? (
              t("compliance.total")
            ) : (
              <Anchor component={Link} to={link(row)}>
                {row.region.name}
              </Anchor>
            ),
        },
        { header: t("activityReports.metrics.expected"), numeric: true, cell: (row) => formatNumber(row.expected) },
        { header: t("activityReports.metrics.received"), numeric: true, td: { miw: 110, ta: undefined }, cell: (row) => <PercentBar value={row.received} pct={row.pct_received} color="teal" /> },
        { header: t("activityReports.metrics.on_time"), numeric: true, td: { miw: 110, ta: undefined }, cell: (row) => <PercentBar value={row.on_time} pct={row.pct_on_time} color="blue" /> },
        { header: t("activityReports.metrics.accepted"), numeric: true, td: { miw: 110, ta: undefined }, cell: (row) => <PercentBar value={row.accepted} pct={pct(row, row.accepted)} color="green" /> },
        { header: t("activityReports.metrics.returned"), numeric: true, cell: (row) => formatNumber(row.returned) },
        {
          header: t("activityReports.metrics.missing"),
          numeric: true,
          cell: (row) => (
            <Text size="sm" fw={600} c={row.missing ? "red.9" : undefined}>
              {formatNumber(row.missing)}
            </Text>
          ),
        },
      ]}
    />
  );
}

/** Received, on time and accepted over the 12 months up to the board's month. */
function Trend({ code, until }: { code: string | undefined; until: string | undefined }) {
  const { t } = useTranslation();
  const trend = useQuery(trendQuery(code, until));
  return (
    <Section title={t("activityReports.trendTitle")} data-testid="trend">
      {trend.isPending ? (
        <Loader />
      ) : trend.error ? (
        <ProblemAlert error={trend.error} />
      ) : (
        <CountsLineChart
          data={trend.data.months.map((m) => ({ ...m, label: periodLabel(m.period, "short") }))}
          series={[
            { name: "expected", label: t("activityReports.metrics.expected"), color: "gray.6" },
            { name: "received", label: t("activityReports.metrics.received"), color: "teal.6" },
            { name: "on_time", label: t("activityReports.metrics.on_time"), color: "blue.6" },
            { name: "accepted", label: t("activityReports.metrics.accepted"), color: "green.7" },
          ]}
        />
      )}
    </Section>
  );
}

/** Each SPM field's service totals in the month's received reports. */
function Services({ code, period }: { code: string | undefined; period: string | undefined }) {
  const { t } = useTranslation();
  const services = useQuery(servicesQuery(code, period));
  const s = services.data;
  return (
    <Section title={t("activityReports.servicesTitle")} data-testid="services">
      {services.isPending ? (
        <Loader />
      ) : services.error ? (
        <ProblemAlert error={services.error} />
      ) : s!.received === 0 ? (
        <Text c="dimmed">{t("activityReports.noReceived")}</Text>
      ) : (
        <Stack>
          <Text size="sm" data-testid="services-summary">
            {t("activityReports.servicesSummary", { n: formatNumber(s!.received), days: formatNumber(s!.days_open), kader: formatNumber(s!.kader_present) })}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
            {s!.fields.map((f) => (
              <Stack key={f.field} gap={4} data-testid={`services-${f.field}`}>
                <Group gap={6}>
                  <Badge variant="dot" color={SPM_COLORS[f.field].split(".")[0]}>
                    {t(`spm.${f.field}`)}
                  </Badge>
                  <Text size="xs" c="dimmed">
                    {t("activityReports.withActivity", { n: formatNumber(f.reports_with_activity), m: formatNumber(f.reports_with_activity + f.reports_without_activity) })}
                  </Text>
                </Group>
                <List size="sm" listStyleType="none" spacing={2}>
                  {f.services.map((x) => (
                    <List.Item key={x.code}>
                      <Group justify="space-between" gap="xs" wrap="nowrap">
                        <Text size="sm">{x.label}</Text>
                        <Text size="sm" fw={600}>
                          {formatNumber(x.total)}
                        </Text>
                      </Group>
                    </List.Item>
                  ))}
                </List>
              </Stack>
            ))}
          </SimpleGrid>
          {Object.keys(s!.target_groups).length > 0 && (
            <Group gap="xs" data-testid="target-groups">
              <Text size="sm" fw={600}>
                {t("activityReports.targetGroups")}:
              </Text>
              {Object.entries(s!.target_groups).map(([k, n]) => (
                <Badge key={k} variant="light" color="gray">
                  {t(`activityReports.groups.${k as Schemas["TargetGroup"]}`, { defaultValue: k })}: {formatNumber(n)}
                </Badge>
              ))}
            </Group>
          )}
        </Stack>
      )}
    </Section>
  );
}

const MISSING_PAGE = 50;

/** The posyandu without a received report for the month (or with no activity in one field). */
function Missing({ code, period, month, list, notReported }: { code: string | undefined; period: string | undefined; month: string | undefined; list: ListParams; notReported: number | undefined }) {
  const me = useMe();
  const { t } = useTranslation();
  const fieldRaw = list.get("no_activity_in");
  const field = (SPM_FIELDS as string[]).includes(fieldRaw) ? (fieldRaw as SpmFieldName) : undefined;
  const page = list.page(MISSING_PAGE);
  const query = { region: code, period, no_activity_in: field, offset: page.offset, limit: page.limit };
  const missing = useListQuery({ ...missingQuery(query), retry: false });
  const data = missing.data;
  const canCreate = allows(me, "create_activity_report");
  return (
    <Section
      data-testid="missing"
      title={field ? t("activityReports.noActivityTitle", { field: t(`spm.${field}`) }) : notReported === undefined ? t("activityReports.notReported") : t("activityReports.missingTitle", { n: formatNumber(notReported) })}
      actions={<ExportButtons path="/api/v1/exports/activity-reports-missing" query={query} what={t("activityReports.missingWhat", { month: month ? periodLabel(month) : "" })} />}
    >
      <Select
        mb="sm"
        maw={320}
        label={t("activityReports.show")}
        data={[{ value: "", label: t("activityReports.notReported") }, ...SPM_FIELDS.map((f) => ({ value: f, label: t("activityReports.noActivityIn", { field: t(`spm.${f}`) }) }))]}
        value={field ?? ""}
        onChange={(v) => list.set("no_activity_in", v || null)}
        allowDeselect={false}
        data-testid="missing-filter"
      />
      {missing.isPending ? (
        <Loader />
      ) : missing.error ? (
        <ProblemAlert error={missing.error} />
      ) : data!.total === 0 ? (
        <Text c="dimmed">{field ? t("activityReports.noneWithout") : t("activityReports.noneMissing")}</Text>
      ) : (
        <>
          <DataTable
            tableProps={{ withTableBorder: true }}
            minWidth={560}
            rows={data!.items}
            rowKey={(m) => m.id}
            rowTestId="missing-row"
            busy={missing.isPlaceholderData}
            columns={[
              {
                header: t("activityReports.posyandu"),
                cell: (m) => (
                  <Anchor component={Link} to={`/posyandu/${m.id}`}>
                    {m.name}
                  </Anchor>
                ),
              },
              { header: t("regions.code"), td: { ff: "monospace" }, cell: (m) => m.region_code },
              { header: "RW", cell: (m) => m.rw ?? "—" },
              { header: t("common.status"), cell: (m) => (m.report_status ? <ReportStatusBadge status={m.report_status} /> : <Text size="sm" c="dimmed">{t("activityReports.noReport")}</Text>) },
              {
                cell: (m) =>
                  m.report_id ? (
                    <Anchor component={Link} to={`/activity-reports/reports/${m.report_id}`} size="sm">
                      {t("activityReports.openReport")}
                    </Anchor>
                  ) : canCreate && covers(me, m.region_code) ? (
                    <Button component={Link} to={`/activity-reports/new?posyandu=${m.id}${month ? `&period=${month}` : ""}`} size="xs" variant="light">
                      {t("activityReports.fillReport")}
                    </Button>
                  ) : null,
              },
            ]}
          />
          <PagedFooter rows={data!.items.length} total={data!.total} limit={page.limit} offset={page.offset} onOffset={page.onOffset} />
        </>
      )}
    </Section>
  );
}

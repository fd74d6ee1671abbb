// Region explorer: from the user's own region (or the nation) down to a village, with
// breadcrumbs (GET /regions/{code} gives the ancestors), the summary, the children, and a
// search by name or code.
import { Anchor, Badge, Breadcrumbs, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { IconSearch } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useLocation, useParams } from "react-router";
import { type RegionRead, type RegionSummary } from "../api/client";
import { useMe } from "../auth/auth";
import { FactsTable } from "../components/DataTable";
import { ParamInput } from "../components/Filters";
import { DownloadButton, PrintButton } from "../components/Download";
import { ForwardLink, PageHeader, RecordState, Section, StatCard } from "../components/Page";
import { ProblemAlert } from "../components/ProblemAlert";
import { useListQuery } from "../api/query";
import { QueryTable, type ListQuery, type Page } from "../components/QueryTable";
import { formatNumber, formatPercent, formatRupiah } from "../lib/format";
import { useDebouncedParam, useListParams, type ListParams } from "../lib/listParams";
import { covers } from "../lib/scope";
import { childrenQuery, provincesQuery, regionQuery, regionSearchQuery, summaryQuery } from "./api";

const PAGE = 50;

export function RegionExplorer() {
  const me = useMe();
  const { code } = useParams();
  const { search } = useLocation();
  const { t } = useTranslation();
  const params = useListParams();
  const q = useDebouncedParam(params, "q");

  if (!code && me.region) return <Navigate to={{ pathname: `/regions/${me.region.code}`, search }} replace />;

  return (
    <Stack>
      <PageHeader title={t("regions.title")} align="flex-end">
        <ParamInput params={params} param="q" w={420} maw="100%" leftSection={<IconSearch size={16} />} placeholder={t("regions.searchPlaceholder")} aria-label={t("common.search")} />
      </PageHeader>
      {q ? <SearchResults q={q} /> : code ? <RegionView key={code} code={code} params={params} /> : <Provinces />}
    </Stack>
  );
}

/** Regions (a search's results, the provinces, a region's children), each linking to its page. */
function RegionTable({ query, page, emptyText }: { query: ListQuery<RegionRead>; page?: Page; emptyText?: string }) {
  const { t } = useTranslation();
  return (
    <QueryTable
      query={query}
      empty="instead"
      emptyText={emptyText}
      page={page}
      testId="region-table"
      tableProps={{ highlightOnHover: true, withTableBorder: true }}
      rowKey={(r) => r.code}
      columns={[
        { header: t("regions.code"), td: { ff: "monospace" }, cell: (r) => r.code },
        { header: t("regions.name"), link: (r) => `/regions/${r.code}`, cell: (r) => r.name },
        {
          header: t("regions.type"),
          cell: (r) => (
            <Text size="sm" tt="capitalize">
              {r.type}
            </Text>
          ),
        },
        { header: t("regions.childCount"), numeric: true, cell: (r) => (r.level === "village" ? "—" : formatNumber(r.child_count)) },
      ]}
    />
  );
}

function SearchResults({ q }: { q: string }) {
  const { t } = useTranslation();
  const res = useQuery(regionSearchQuery(q));
  return (
    <Section title={t("regions.searchResults")}>
      <RegionTable query={res} emptyText={t("regions.noResults")} page={{ limit: 25, offset: 0 }} />
    </Section>
  );
}

function Provinces() {
  const { t } = useTranslation();
  const res = useQuery(provincesQuery());
  return (
    <Stack>
      <Breadcrumbs>
        <Text fw={600}>Indonesia</Text>
      </Breadcrumbs>
      <Title order={4}>{t("regions.provinces")}</Title>
      <RegionTable query={res} />
    </Stack>
  );
}

function RegionView({ code, params }: { code: string; params: ListParams }) {
  const me = useMe();
  const { t } = useTranslation();
  const detail = useQuery({ ...regionQuery(code), retry: false });
  const summary = useQuery({ ...summaryQuery(code), enabled: detail.isSuccess });
  const children = useListQuery({ ...childrenQuery(code, params.position, PAGE), enabled: detail.isSuccess && detail.data.level !== "village" });

  if (!detail.isSuccess) return <RecordState query={detail} back={{ to: "/regions", label: me.region ? me.region.name : "Indonesia" }} />;

  const r = detail.data;
  const crumbs = [
    ...(me.region ? [] : [{ code: "", name: "Indonesia" }]),
    ...r.ancestors.map((a) => ({ code: a.code, name: a.name })),
  ];
  const counts = summary.data?.counts;
  const cards: { key: keyof NonNullable<typeof counts>; show: boolean }[] = [
    { key: "regencies", show: r.level === "province" },
    { key: "districts", show: r.level === "province" || r.level === "regency" },
    { key: "villages", show: r.level !== "village" },
  ];

  return (
    <Stack>
      <Breadcrumbs separator="›" data-testid="breadcrumbs">
        {crumbs.map((c) =>
          c.code === "" || covers(me, c.code) ? (
            <Anchor key={c.code || "id"} component={Link} to={c.code ? `/regions/${c.code}` : "/regions"}>
              {c.name}
            </Anchor>
          ) : (
            <Text key={c.code} c="dimmed">
              {c.name}
            </Text>
          ),
        )}
        <Text fw={600}>{r.name}</Text>
      </Breadcrumbs>

      <Group gap="sm" align="baseline">
        <Title order={3} data-testid="region-name">
          {r.name}
        </Title>
        <Badge variant="light">{t(`levels.${r.level}`)}</Badge>
        <Text c="dimmed" ff="monospace">
          {r.code}
        </Text>
        {r.postal_code && (
          <Text c="dimmed" size="sm">
            {t("regions.postalCode")}: {r.postal_code}
          </Text>
        )}
      </Group>
      <SummaryFiles code={r.code} name={r.name} />

      {r.level === "village" && (
        <Section data-testid="village-detail" title={t("regions.summary")} order={5}>
          <FactsTable
            headWidth={200}
            tableProps={{ variant: "vertical", withTableBorder: true, maw: 520 }}
            facts={[
              { label: t("regions.code"), value: r.code, td: { ff: "monospace" } },
              { label: t("regions.type"), value: r.type, td: { tt: "capitalize" } },
              { label: t("regions.parent"), value: r.ancestors.map((a) => a.name).join(" › ") },
              { label: t("regions.postalCode"), value: r.postal_code ?? "—" },
            ]}
          />
        </Section>
      )}

      {r.level !== "village" && (
        <Section
          title={t("regions.summary")}
          order={5}
          actions={
            <ForwardLink to={`/compliance/${r.code}`} label={t("compliance.title")} testId="compliance-link" />
          }
        >
          {summary.error ? (
            <ProblemAlert error={summary.error} />
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 3 }} data-testid="summary">
              {cards
                .filter((c) => c.show)
                .map((c) => (
                  <StatCard key={c.key} bg="teal.0" data-testid={`count-${c.key}`} fz={32} label={t(`regions.counts.${c.key}`)} value={counts ? formatNumber(counts[c.key]) : "…"} />
                ))}
            </SimpleGrid>
          )}
          {summary.data && <ActivityCards code={r.code} summary={summary.data} />}
        </Section>
      )}

      {r.level !== "village" && (
        <Section title={t("regions.children")} order={5}>
          <RegionTable query={children} emptyText={t("regions.noChildren")} page={params.page(PAGE)} />
        </Section>
      )}
    </Stack>
  );
}

/** The region's budgets (latest fiscal year) and meeting follow-ups, linking to their screens. */
function ActivityCards({ code, summary }: { code: string; summary: RegionSummary }) {
  const { t } = useTranslation();
  const b = summary.budgets;
  const f = summary.follow_ups;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} mt="sm">
      <StatCard withBorder data-testid="summary-budgets" label={b.fiscal_year ? t("summaryCards.budgets", { year: b.fiscal_year }) : t("budgets.title")}>
        {b.fiscal_year === null ? (
          <Text c="dimmed">{t("summaryCards.noBudget")}</Text>
        ) : (
          <Stack gap={2}>
            <Text fz={22} fw={700}>
              {formatRupiah(b.budgeted)}
            </Text>
            <Text size="sm">
              {t("budgets.planned")}: {formatRupiah(b.planned)} · {t("budgets.realized")}: {formatRupiah(b.realized)} ({formatPercent(b.percent)})
            </Text>
          </Stack>
        )}
        <Anchor component={Link} to={`/budgets?region=${code}${b.fiscal_year ? `&year=${b.fiscal_year}` : ""}`} size="sm" mt="xs">
          {t("summaryCards.openBudgets")}
        </Anchor>
      </StatCard>
      <StatCard withBorder data-testid="summary-follow-ups" label={t("summaryCards.followUps")}>
        <Group gap="lg" align="baseline">
          <Anchor component={Link} to={`/follow-ups?region=${code}`} fz={22} fw={700}>
            {formatNumber(f.open)} {t("summaryCards.open")}
          </Anchor>
          <Anchor component={Link} to={`/follow-ups?region=${code}&overdue=true`} fz={22} fw={700} c={f.overdue > 0 ? "red.7" : undefined} data-testid="overdue-link">
            {formatNumber(f.overdue)} {t("summaryCards.overdue")}
          </Anchor>
        </Group>
        <Anchor component={Link} to={`/follow-ups?region=${code}`} size="sm" mt="xs">
          {t("summaryCards.openFollowUps")}
        </Anchor>
      </StatCard>
    </SimpleGrid>
  );
}

/** The region's printable summary: its PDF from the API, and the screen printed. */
function SummaryFiles({ code, name }: { code: string; name: string }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" data-print-hide>
      <DownloadButton
        path="/api/v1/exports/regions/{code}/summary.pdf"
        pathParams={{ code }}
        label={t("exports.summaryPdf")}
        name={t("exports.summaryPdfOf", { name })}
        testId="summary-pdf"
        size="sm"
      />
      <PrintButton size="sm" />
    </Group>
  );
}

// Beranda: where the account's region stands. The one-sentence headline ("22 dari 27 kelurahan telah
// menerbitkan dan melaporkan SK TP Posyandu"), a card per domain of the region summary (SK compliance,
// posyandu registration, SPM coverage, pilots, budgets, follow-ups) linking to its screen with the
// region filter, then per account: the regions one level down ranked (the provinces for a national
// account, from the national board), or a village's own card (its team, its SK and deadline, its
// posyandu and their readiness); and the monthly trends of SK progress and registration.
import { Anchor, Badge, Card, Group, Loader, Progress, SimpleGrid, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type RegionSummary, type Schemas } from "../api/client";
import { useMe } from "../auth/auth";
import { complianceQuery } from "../compliance/api";
import { Ranking, RowsTable, nationTotalRow } from "../compliance/ComplianceBoard";
import { PageHeader, Section, StatCard } from "../components/Page";
import { CountsLineChart } from "../components/CountsLineChart";
import { ProblemAlert } from "../components/ProblemAlert";
import { formatMonth, formatNumber, formatPercent, formatRupiah } from "../lib/format";
import { SPM_FIELDS } from "../lib/spm";
import { homeSummaryQuery, nationalBoardQuery, trendsQuery } from "./api";
import { VillageCard } from "./VillageCard";

type Level = Schemas["RegionLevel"];
const CHILD: Record<Level | "nation", Level | null> = { nation: "province", province: "regency", regency: "district", district: "village", village: null };

/** `?region=<code>` for a region, nothing for the nation. */
const inRegion = (code: string | null, sep: "?" | "&" = "?") => (code ? `${sep}region=${code}` : "");

export function HomePage() {
  const me = useMe();
  const { t } = useTranslation();
  const code = me.region?.code ?? null;
  const level: Level | "nation" = me.region?.level ?? "nation";
  const summary = useQuery(homeSummaryQuery(code));
  const name = me.region?.name ?? "Indonesia";

  return (
    <Stack>
      <PageHeader title={t("home.titleFor", { name })} data-testid="home-title" />
      {summary.isPending ? (
        <Loader />
      ) : summary.error ? (
        <ProblemAlert error={summary.error} />
      ) : (
        <>
          <Headline summary={summary.data} village={level === "village"} />
          {level === "village" && code && <VillageCard code={code} />}
          <KpiCards code={code} summary={summary.data} village={level === "village"} />
        </>
      )}
      {level !== "village" && <Ranked code={code} child={CHILD[level]!} />}
      <Trends code={code} village={level === "village"} />
    </Stack>
  );
}

function villageCounts(summary: RegionSummary) {
  return summary.compliance?.find((c) => c.level === "village") ?? null;
}

function Headline({ summary, village }: { summary: RegionSummary; village: boolean }) {
  const { t } = useTranslation();
  const v = villageCounts(summary);
  if (!v) return null;
  return (
    <Card bg="teal.0" radius="md" data-testid="home-headline">
      <Text fz={22} fw={700}>
        {village
          ? t(v.reported ? "home.villageReported" : v.issued ? "home.villageIssued" : "home.villageNotIssued", { name: summary.region?.name ?? "" })
          : t("compliance.headline", { n: formatNumber(v.reported), m: formatNumber(v.expected), level: t("levelsPlural.village") })}
      </Text>
      <Text size="sm" c="dimmed">
        {t("compliance.stateLive")}
      </Text>
    </Card>
  );
}

/** A figure's card: its name, the figure, what it means and the link to its screen. */
function Kpi({ testId, label, value, to, link, children }: { testId: string; label: string; value: string; to: string; link: string; children?: ReactNode }) {
  return (
    <StatCard withBorder data-testid={testId} label={label} value={value} fz={26}>
      {children}
      <Anchor component={Link} to={to} size="sm" mt="xs" display="block">
        {link} →
      </Anchor>
    </StatCard>
  );
}

function KpiCards({ code, summary, village }: { code: string | null; summary: RegionSummary; village: boolean }) {
  const { t } = useTranslation();
  const v = villageCounts(summary);
  const p = summary.posyandu;
  const reg = p.registration;
  const b = summary.budgets;
  const f = summary.follow_ups;
  const pct = (n: number, m: number) => (m ? Math.round((1000 * n) / m) / 10 : null);
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} data-testid="kpis">
      {v && !village && (
        <Kpi testId="kpi-compliance" label={t("home.kpi.compliance")} value={t("compliance.nOfM", { n: formatNumber(v.reported), m: formatNumber(v.expected) })} to={code ? `/compliance/${code}` : "/compliance"} link={t("home.open.compliance")}>
          <Progress value={v.pct_reported ?? 0} color="teal" size="sm" mt={6} aria-label={t("compliance.metrics.reported")} />
          <Text size="sm" c="dimmed" mt={4}>
            {t("home.complianceDetail", { pct: formatPercent(v.pct_reported), issued: formatNumber(v.issued), verified: formatNumber(v.verified) })}
          </Text>
        </Kpi>
      )}
      <Kpi testId="kpi-registration" label={t("home.kpi.registration")} value={t("compliance.nOfM", { n: formatNumber(reg.registered), m: formatNumber(p.count) })} to={`/posyandu${inRegion(code)}`} link={t("home.open.posyandu")}>
        <Progress.Root size="sm" mt={6} aria-hidden>
          <Progress.Section value={pct(reg.registered, p.count) ?? 0} color="green" />
          <Progress.Section value={pct(reg.in_pipeline, p.count) ?? 0} color="blue" />
        </Progress.Root>
        <Group gap="xs" mt={4}>
          <Anchor component={Link} to={`/posyandu?status=registered${inRegion(code, "&")}`} size="sm">
            {t("home.registered", { n: formatNumber(reg.registered) })}
          </Anchor>
          <Text size="sm" c="dimmed">
            · {t("home.inPipeline", { n: formatNumber(reg.in_pipeline) })} · {t("home.unregistered", { n: formatNumber(reg.unregistered) })}
          </Text>
        </Group>
      </Kpi>
      <Kpi testId="kpi-spm" label={t("home.kpi.spm")} value={t("home.posyanduCount", { n: formatNumber(p.count) })} to={`/posyandu${inRegion(code)}`} link={t("home.open.posyandu")}>
        <Stack gap={2} mt={4}>
          {SPM_FIELDS.map((field) => (
            <Group key={field} gap="xs" justify="space-between" wrap="nowrap">
              <Text size="xs">{t(`spm.${field}`)}</Text>
              <Text size="xs" fw={600}>
                {formatNumber(p.spm_coverage[field] ?? 0)} ({formatPercent(pct(p.spm_coverage[field] ?? 0, p.count))})
              </Text>
            </Group>
          ))}
        </Stack>
      </Kpi>
      <Kpi testId="kpi-pilots" label={t("home.kpi.pilots")} value={formatNumber(p.pilots)} to="/pilot-sites" link={t("home.open.pilots")}>
        <Text size="sm" c="dimmed">
          {t("home.pilotsDetail")}
        </Text>
      </Kpi>
      <Kpi
        testId="kpi-budgets"
        label={b.fiscal_year ? t("summaryCards.budgets", { year: b.fiscal_year }) : t("budgets.title")}
        value={b.fiscal_year === null ? "—" : formatRupiah(b.budgeted)}
        to={`/budgets${inRegion(code)}${b.fiscal_year ? `${code ? "&" : "?"}year=${b.fiscal_year}` : ""}`}
        link={t("home.open.budgets")}
      >
        <Text size="sm" c="dimmed">
          {b.fiscal_year === null ? t("summaryCards.noBudget") : t("home.budgetDetail", { realized: formatRupiah(b.realized), pct: formatPercent(b.percent) })}
        </Text>
      </Kpi>
      <Kpi testId="kpi-follow-ups" label={t("summaryCards.followUps")} value={`${formatNumber(f.open)} ${t("summaryCards.open")}`} to={`/follow-ups${inRegion(code)}`} link={t("home.open.followUps")}>
        <Anchor component={Link} to={`/follow-ups?overdue=true${inRegion(code, "&")}`} size="sm" c={f.overdue > 0 ? "red.9" : undefined} fw={f.overdue > 0 ? 700 : undefined}>
          {formatNumber(f.overdue)} {t("summaryCards.overdue")}
        </Anchor>
      </Kpi>
    </SimpleGrid>
  );
}

/** The regions one level down, ranked by the share of their villages that reported the SK. */
function Ranked({ code, child }: { code: string | null; child: Level }) {
  const { t } = useTranslation();
  const regional = useQuery({ ...complianceQuery(code ?? "", "village", undefined), enabled: code !== null });
  const national = useQuery({ ...nationalBoardQuery("village", undefined), enabled: code === null });
  const q = code === null ? national : regional;
  const title = t("home.ranked", { level: t(`levelsPlural.${child}`) });
  if (q.isPending) return <Loader />;
  if (q.error) return <ProblemAlert error={q.error} />;
  const rows = q.data.rows;
  const total = code === null ? nationTotalRow(national.data!.total, t("home.nation")) : regional.data!.total;
  return (
    <Stack data-testid="home-ranked">
      <Section title={title} actions={<Anchor component={Link} to={code ? `/compliance/${code}` : "/compliance"} size="sm">{t("home.open.compliance")} →</Anchor>}>
        <RowsTable rows={rows} total={total} level="village" />
      </Section>
      {rows.length > 1 && <Ranking rows={rows} />}
    </Stack>
  );
}

/** SK progress (villages) and posyandu registration, month by month. */
function Trends({ code, village }: { code: string | null; village: boolean }) {
  const { t } = useTranslation();
  const trends = useQuery(trendsQuery(code));
  if (trends.isPending) return <Loader />;
  if (trends.error) return <ProblemAlert error={trends.error} />;
  const data = trends.data.points.map((p) => ({ ...p, label: formatMonth(p.as_of) }));
  return (
    <SimpleGrid cols={{ base: 1, md: village ? 1 : 2 }} data-testid="home-trends">
      {!village && (
        <Section title={t("home.trendSk", { n: formatNumber(trends.data.expected) })} data-testid="trend-sk">
          <CountsLineChart
            data={data}
            series={[
              { name: "with_team", label: t("compliance.metrics.with_team"), color: "gray.6" },
              { name: "issued", label: t("compliance.metrics.issued"), color: "blue.6" },
              { name: "reported", label: t("compliance.metrics.reported"), color: "teal.6" },
              { name: "verified", label: t("compliance.metrics.verified"), color: "green.7" },
            ]}
          />
        </Section>
      )}
      <Section title={t("home.trendRegistration")} data-testid="trend-registration">
        <CountsLineChart
          data={data}
          series={[
            { name: "posyandu", label: t("home.series.posyandu"), color: "gray.6" },
            { name: "in_pipeline", label: t("home.series.inPipeline"), color: "blue.6" },
            { name: "registered", label: t("home.series.registered"), color: "green.7" },
          ]}
        />
      </Section>
      <Text size="xs" c="dimmed" style={{ gridColumn: "1 / -1" }}>
        <Badge variant="light" color="gray" mr={6}>
          {t("home.trendNoteBadge")}
        </Badge>
        {t("home.trendNote")}
      </Text>
    </SimpleGrid>
  );
}

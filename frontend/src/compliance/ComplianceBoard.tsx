// The SK compliance board (GET /regions/{code}/compliance): per child region, how many teams at
// the chosen level have their SK TP Posyandu issued, reported and verified, the ones still
// missing, and which are past the reporting deadline. Any date can be replayed with `as_of`.
// Only a TP Posyandu counts: an old Pokjanal/Pokja is shown apart as a "legacy structure".
// The per-region table sorts by any column and has a ranking chart; the regions that have not
// reported are read page by page (GET /regions/{code}/compliance/missing), grouped by kab/kota,
// and a row opens the chase drawer (its code kept in the URL as `chase`).
import { BarChart } from "@mantine/charts";
import "@mantine/charts/styles.css";
import { Anchor, Badge, Breadcrumbs, Card, Group, Loader, Progress, SegmentedControl, SimpleGrid, Stack, Text, Title, Tooltip, UnstyledButton } from "@mantine/core";
import { IconAlertTriangle, IconArrowDown, IconArrowUp, IconArrowsSort } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useParams, useSearchParams } from "react-router";
import { type Schemas } from "../api/client";
import { useListQuery } from "../api/query";
import { useMe } from "../auth/auth";
import { DataTable } from "../components/DataTable";
import { DateField } from "../components/DateField";
import { DownloadButton, PrintButton } from "../components/Download";
import { PagedFooter } from "../components/Pager";
import { Section, StatCard } from "../components/Page";
import { ProblemAlert } from "../components/ProblemAlert";
import { formatDate, formatNumber, formatPercent } from "../lib/format";
import { useListParams } from "../lib/listParams";
import { covers } from "../lib/scope";
import { nationalBoardQuery } from "../home/api";
import { VillageCard } from "../home/VillageCard";
import { complianceQuery, missingQuery, regionQuery } from "./api";
import { ChaseDrawer } from "./ChaseDrawer";
import { PercentBar } from "../components/PercentBar";

type Level = Schemas["RegionLevel"];
type Row = Schemas["ComplianceRow"];
const LEVELS: Level[] = ["province", "regency", "district", "village"];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The levels below `level`: the choices of "count teams at". */
export function levelsBelow(level: Level): Level[] {
  return LEVELS.slice(LEVELS.indexOf(level) + 1);
}

export function ComplianceBoardPage() {
  const me = useMe();
  const { code } = useParams();
  if (!code) return me.region ? <Navigate to={`/compliance/${me.region.code}`} replace /> : <NationalBoard />;
  return <Board key={code} code={code} />;
}

/** The nation's total as a row of the table (the national board's total has no region). */
export function nationTotalRow(total: Schemas["ComplianceCounts"], name: string): Row {
  return { ...total, region: { code: "", name, level: "province" }, deadline: null, overdue: false };
}

/** The board of the nation (national accounts): one row per province, each opening its board. */
function NationalBoard() {
  const { t } = useTranslation();
  const { get, set } = useListParams();
  const level = (LEVELS.includes(get("level") as Level) ? get("level") : "village") as Level;
  const asOfRaw = get("as_of");
  const asOf = ISO_DATE.test(asOfRaw) ? asOfRaw : undefined;
  const board = useListQuery({ ...nationalBoardQuery(level, asOf), retry: false });
  const b = board.data;
  const total = b ? nationTotalRow(b.total, t("home.nation")) : null;
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2" data-testid="board-title">
          {t("compliance.titleFor", { name: "Indonesia" })}
        </Title>
        <Group align="flex-end">
          <Stack gap={2}>
            <Text size="sm" fw={500}>
              {t("compliance.countAt")}
            </Text>
            <SegmentedControl size="xs" value={level} onChange={(v) => set("level", v)} data={LEVELS.map((l) => ({ value: l, label: t(`levels.${l}`) }))} aria-label={t("compliance.countAt")} />
          </Stack>
          <DateField label={t("compliance.asOf")} value={asOfRaw} onChange={(v) => set("as_of", v)} w={170} data-testid="as-of" />
        </Group>
      </Group>
      {board.isPending ? (
        <Loader />
      ) : board.error ? (
        <ProblemAlert error={board.error} />
      ) : (
        <>
          <Headline total={total!} level={level} asOf={b!.as_of} year={b!.year} />
          <Section title={t("compliance.perProvince")} description={t("compliance.perProvinceHelp")}>
            <RowsTable rows={b!.rows} total={total!} level={level} />
          </Section>
          <Ranking rows={b!.rows} />
        </>
      )}
    </Stack>
  );
}

function Board({ code }: { code: string }) {
  const me = useMe();
  const { t } = useTranslation();
  const list = useListParams();
  const { get, set } = list;
  const [search, setSearch] = useSearchParams();
  const chase = search.get("chase");
  const setChase = (c: string | null) =>
    setSearch((old) => {
      const next = new URLSearchParams(old);
      if (c) next.set("chase", c);
      else next.delete("chase");
      return next;
    });
  const level = (LEVELS.includes(get("level") as Level) ? get("level") : "village") as Level;
  const asOfRaw = get("as_of");
  const asOf = ISO_DATE.test(asOfRaw) ? asOfRaw : undefined;

  const detail = useQuery({ ...regionQuery(code), retry: false });
  // a village has no regions below it: no board to ask for (the API would refuse the level with a 422)
  const board = useListQuery({ ...complianceQuery(code, level, asOf), enabled: detail.isSuccess && detail.data.level !== "village", retry: false });

  const drawer = <ChaseDrawer code={chase} onClose={() => setChase(null)} />;
  if (detail.isPending) return <Loader />;
  if (detail.error)
    return (
      <Stack>
        {drawer}
        <Title order={1} size="h2">{t("compliance.title")}</Title>
        <ProblemAlert error={detail.error} />
        {me.region && (
          <Anchor component={Link} to={`/compliance/${me.region.code}`}>
            ← {t("compliance.backToOwn", { name: me.region.name })}
          </Anchor>
        )}
      </Stack>
    );

  const r = detail.data;
  const choices = levelsBelow(r.level);
  const crumbs = r.ancestors.filter((a) => covers(me, a.code));
  const b = board.data;

  return (
    <Stack>
      {drawer}
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Breadcrumbs separator="›" data-testid="breadcrumbs">
            {crumbs.map((a) => (
              <Anchor key={a.code} component={Link} to={`/compliance/${a.code}?level=${level}`}>
                {a.name}
              </Anchor>
            ))}
            <Text fw={600}>{r.name}</Text>
          </Breadcrumbs>
          <Title order={1} size="h2" data-testid="board-title">
            {t("compliance.titleFor", { name: r.name })}
          </Title>
        </Stack>
        <Group align="flex-end" data-print-hide>
          {choices.length > 1 && (
            <Stack gap={2}>
              <Text size="sm" fw={500}>
                {t("compliance.countAt")}
              </Text>
              <SegmentedControl
                size="xs"
                value={level}
                onChange={(v) => set("level", v)}
                data={choices.map((l) => ({ value: l, label: t(`levels.${l}`) }))}
                aria-label={t("compliance.countAt")}
              />
            </Stack>
          )}
          <DateField label={t("compliance.asOf")} value={asOfRaw} onChange={(v) => set("as_of", v)} w={170} data-testid="as-of" />
          <Anchor component={Link} to={`/regions/${r.code}`} size="sm">
            {t("compliance.openRegion")}
          </Anchor>
        </Group>
      </Group>
      <Group gap="xs" data-print-hide>
        {choices.length > 0 && (
          <DownloadButton
            path="/api/v1/exports/reports/compliance"
            query={{ region: r.code, level, as_of: asOf }}
            label={t("exports.complianceXlsx")}
            name={t("exports.complianceXlsxOf", { name: r.name })}
            testId="compliance-xlsx"
            size="sm"
          />
        )}
        <DownloadButton
          path="/api/v1/exports/regions/{code}/summary.pdf"
          pathParams={{ code: r.code }}
          label={t("exports.summaryPdf")}
          name={t("exports.summaryPdfOf", { name: r.name })}
          testId="summary-pdf"
          size="sm"
        />
        <PrintButton size="sm" />
      </Group>

      {choices.length === 0 ? (
        <VillageCard code={r.code} />
      ) : board.isPending ? (
        <Loader />
      ) : board.error ? (
        <ProblemAlert error={board.error} />
      ) : (
        <>
          <Headline total={b!.total} level={level} asOf={b!.as_of} year={b!.year} />
          <Section title={t("compliance.perRegion")}>
            <RowsTable rows={b!.rows} total={b!.total} level={level} />
          </Section>
          {b!.rows.length > 1 && <Ranking rows={b!.rows} />}
          <Missing code={code} board={b!} level={level} asOf={asOf} page={list.page(MISSING_PAGE)} onChase={setChase} />
        </>
      )}
    </Stack>
  );
}

export function Headline({ total, level, asOf, year }: { total: Row; level: Level; asOf: string | null; year: number }) {
  const { t } = useTranslation();
  const stat = (key: "issued" | "reported" | "verified" | "with_team", pct: number | null, color: string) => (
    <StatCard withBorder data-testid={`headline-${key}`} fz={28} label={t(`compliance.metrics.${key}`)} value={t("compliance.nOfM", { n: formatNumber(total[key]), m: formatNumber(total.expected) })}>
      <Progress value={pct ?? 0} color={color} size="sm" mt={6} aria-label={t(`compliance.metrics.${key}`)} />
      <Text size="sm" c="dimmed" mt={4}>
        {formatPercent(pct)}
      </Text>
    </StatCard>
  );
  return (
    <Stack gap="sm">
      <Card bg="teal.0" radius="md" data-testid="headline">
        <Text fz={22} fw={700}>
          {t("compliance.headline", {
            n: formatNumber(total.reported),
            m: formatNumber(total.expected),
            level: t(`levelsPlural.${level}`),
          })}
        </Text>
        <Text size="sm" c="dimmed">
          {asOf ? t("compliance.stateAsOf", { date: formatDate(asOf) }) : t("compliance.stateLive")} · {t("compliance.deadlineYear", { year })}
        </Text>
      </Card>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
        {stat("with_team", total.pct_with_team, "gray")}
        {stat("issued", total.pct_issued, "blue")}
        {stat("reported", total.pct_reported, "teal")}
        {stat("verified", total.pct_verified, "green")}
      </SimpleGrid>
    </Stack>
  );
}

/** A deadline with its "overdue" badge, or a dash. */
function Deadline({ date, overdue, icon }: { date: string | null; overdue: boolean; icon?: boolean }) {
  const { t } = useTranslation();
  if (!date)
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  return (
    <Group gap={4} wrap="nowrap">
      <Text size="sm">{formatDate(date)}</Text>
      {overdue && (
        <Badge color="red" size="sm" leftSection={icon ? <IconAlertTriangle size={12} /> : undefined}>
          {t("compliance.overdue")}
        </Badge>
      )}
    </Group>
  );
}

type SortKey = "name" | "expected" | "issued" | "reported" | "verified" | "missing" | "not_reported" | "legacy_structures" | "deadline";
type Sort = { key: SortKey; desc: boolean };

/** The rows sorted by one column (names by the alphabet, deadlines by date, none last). */
export function sortRows(rows: Row[], { key, desc }: Sort): Row[] {
  const value = (r: Row): string | number | null => (key === "name" ? r.region.name : key === "deadline" ? r.deadline : r[key]);
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    const c = typeof x === "string" ? x.localeCompare(y as string, "id") : x - (y as number);
    return (desc ? -c : c) || a.region.code.localeCompare(b.region.code);
  });
}

/** A column head that sorts the table by its column (aria-sort on the head). */
function SortHead({ label, k, sort, onSort }: { label: ReactNode; k: SortKey; sort: Sort | null; onSort: (s: Sort) => void }) {
  const { t } = useTranslation();
  const on = sort?.key === k;
  const Icon = !on ? IconArrowsSort : sort.desc ? IconArrowDown : IconArrowUp;
  return (
    <UnstyledButton onClick={() => onSort({ key: k, desc: on ? !sort.desc : k !== "name" })} data-testid={`sort-${k}`} title={t("compliance.sortBy", { col: typeof label === "string" ? label : k })}>
      <Group gap={4} wrap="nowrap" justify="inherit">
        {label}
        <Icon size={14} opacity={on ? 1 : 0.4} />
      </Group>
    </UnstyledButton>
  );
}

export function RowsTable({ rows, total, level }: { rows: Row[]; total: Row; level: Level }) {
  const { t } = useTranslation();
  const [sort, setSort] = useState<Sort | null>(null);
  const sorted = sort ? sortRows(rows, sort) : rows;
  const isTotal = (row: Row) => row === total;
  const head = (label: ReactNode, k: SortKey) => <SortHead label={label} k={k} sort={sort} onSort={setSort} />;
  const th = (k: SortKey) => ({ "aria-sort": sort?.key === k ? (sort.desc ? "descending" : "ascending") : "none" }) as const;
  const bar = (key: "issued" | "reported" | "verified", color: string) => ({
    header: head(t(`compliance.metrics.${key}`), key),
    th: th(key),
    numeric: true,
    td: { miw: 110, ta: undefined },
    cell: (row: Row) => <PercentBar value={row[key]} pct={row[`pct_${key}`]} color={color} />,
  });
  return (
    <DataTable
      testId="compliance-table"
      minWidth={960}
      tableProps={{ withTableBorder: true, striped: true, highlightOnHover: true }}
      rows={sorted}
      footer={[total]}
      rowKey={(row) => (isTotal(row) ? "total" : row.region.code)}
      rowProps={(row) => ({ fw: isTotal(row) ? 700 : undefined, "data-testid": isTotal(row) ? "row-total" : `row-${row.region.code}` })}
      columns={[
        {
          header: head(t("common.region"), "name"),
          th: th("name"),
          cell: (row) =>
            isTotal(row) ? (
              t("compliance.total")
            ) : (
              <Anchor component={Link} to={row.region.level !== level ? `/compliance/${row.region.code}?level=${level}` : `/regions/${row.region.code}`}>
                {row.region.name}
              </Anchor>
            ),
        },
        {
          header: head(
            <Tooltip label={t("compliance.expectedHelp", { level: t(`levelsPlural.${level}`) })}>
              <span>{t("compliance.metrics.expected")}</span>
            </Tooltip>,
            "expected",
          ),
          th: th("expected"),
          numeric: true,
          cell: (row) => formatNumber(row.expected),
        },
        bar("issued", "blue"),
        bar("reported", "teal"),
        bar("verified", "green"),
        {
          header: head(t("compliance.metrics.missing"), "missing"),
          th: th("missing"),
          numeric: true,
          cell: (row) => (
            <Text size="sm" fw={600} c={row.missing ? "red.9" : undefined}>
              {formatNumber(row.missing)}
            </Text>
          ),
        },
        { header: head(t("compliance.metrics.not_reported"), "not_reported"), th: th("not_reported"), numeric: true, cell: (row) => formatNumber(row.not_reported) },
        {
          header: head(
            <Tooltip label={t("compliance.legacyHelp")} multiline w={280}>
              <span>{t("compliance.metrics.legacy_structures")}</span>
            </Tooltip>,
            "legacy_structures",
          ),
          th: th("legacy_structures"),
          numeric: true,
          cell: (row) => (
            <Text size="sm" c={row.legacy_structures ? "orange.9" : "dimmed"}>
              {formatNumber(row.legacy_structures)}
            </Text>
          ),
        },
        { header: head(t("compliance.deadline"), "deadline"), th: th("deadline"), cell: (row) => <Deadline date={row.deadline} overdue={row.overdue} icon /> },
      ]}
    />
  );
}

/** The child regions ranked by the share that reported their SK (a horizontal bar each). */
export function Ranking({ rows }: { rows: Row[] }) {
  const { t } = useTranslation();
  const data = sortRows(rows, { key: "reported", desc: true })
    .sort((a, b) => (b.pct_reported ?? -1) - (a.pct_reported ?? -1))
    .map((r) => ({ name: r.region.name, pct: r.pct_reported ?? 0 }));
  return (
    <Section title={t("compliance.ranking")} data-testid="ranking">
      <BarChart
        h={Math.max(160, 28 * data.length + 40)}
        data={data}
        dataKey="name"
        orientation="vertical"
        xAxisProps={{ domain: [0, 100] }}
        yAxisProps={{ width: 170, interval: 0 }}
        valueFormatter={(v) => formatPercent(v)}
        series={[{ name: "pct", label: t("compliance.metrics.reported"), color: "teal.6" }]}
      />
    </Section>
  );
}

const MISSING_PAGE = 50;
type MissingRow = Schemas["MissingReportRow"];

/** The page's rows in runs of one kab/kota (the API returns them in code order). */
function byRegency(items: MissingRow[]): { key: string; name: string; rows: MissingRow[] }[] {
  const out: { key: string; name: string; rows: MissingRow[] }[] = [];
  for (const m of items) {
    const key = m.regency?.code ?? "";
    const last = out[out.length - 1];
    if (last && last.key === key) last.rows.push(m);
    else out.push({ key, name: m.regency?.name ?? "", rows: [m] });
  }
  return out;
}

function Missing({ code, board, level, asOf, page, onChase }: {
  code: string;
  board: Schemas["ComplianceBoard"];
  level: Level;
  asOf: string | undefined;
  page: { limit: number; offset: number; onOffset: (o: number) => void };
  onChase: (code: string) => void;
}) {
  const { t } = useTranslation();
  const missing = useListQuery({ ...missingQuery(code, level, asOf, page.offset, page.limit), retry: false });
  const data = missing.data;
  const perGroup = new Map((data?.groups ?? []).map((g) => [g.regency.code, g.not_reported]));
  return (
    <Card withBorder data-testid="missing">
      <Title order={4} mb="xs">
        {t("compliance.missingTitle", { n: formatNumber(board.missing_reports_total), level: t(`levelsPlural.${level}`) })}
      </Title>
      {data && data.groups.length > 1 && (
        <Group gap={6} mb="sm" data-testid="missing-groups">
          {data.groups.map((g) => (
            <Badge key={g.regency.code} component={Link} to={`/compliance/${g.regency.code}?level=${level}`} variant="light" color={g.overdue ? "red" : "gray"} style={{ cursor: "pointer" }}>
              {g.regency.name}: {formatNumber(g.not_reported)}
            </Badge>
          ))}
        </Group>
      )}
      {missing.isPending ? (
        <Loader />
      ) : missing.error ? (
        <ProblemAlert error={missing.error} />
      ) : data!.total === 0 ? (
        <Text c="dimmed">{t("compliance.noneMissing")}</Text>
      ) : (
        <Stack gap="sm">
          {byRegency(data!.items).map((group) => (
            <Stack key={group.key} gap={4} data-testid="missing-group">
              {group.name && (
                <Text fw={600} size="sm" data-testid="missing-group-title">
                  {t("compliance.groupTitle", { name: group.name, n: formatNumber(perGroup.get(group.key) ?? group.rows.length) })}
                </Text>
              )}
              <DataTable
                tableProps={{ withTableBorder: true }}
                rows={group.rows}
                rowKey={(m) => m.code}
                rowTestId="missing-row"
                busy={missing.isPlaceholderData}
                columns={[
                  { header: t("regions.code"), td: { ff: "monospace" }, cell: (m) => m.code },
                  {
                    header: t("regions.name"),
                    cell: (m) => (
                      <Anchor component="button" type="button" onClick={() => onChase(m.code)} data-testid="chase-open">
                        {m.name}
                      </Anchor>
                    ),
                  },
                  { header: t("compliance.districtCol"), cell: (m) => m.district?.name ?? "—" },
                  {
                    header: t("compliance.stateCol"),
                    cell: (m) => (
                      <Group gap={4}>
                        <Badge color={m.issued ? "yellow" : m.has_team ? "orange" : "red"} variant="light">
                          {m.issued ? t("compliance.issuedNotReported") : m.has_team ? t("compliance.teamNoSk") : t("compliance.noTeam")}
                        </Badge>
                        {m.legacy_structure && (
                          <Tooltip label={t("compliance.legacyHelp")} multiline w={280}>
                            <Badge color="gray" variant="outline" data-testid="legacy-badge">
                              {t("compliance.legacyStructure")}
                            </Badge>
                          </Tooltip>
                        )}
                      </Group>
                    ),
                  },
                  { header: t("compliance.deadline"), cell: (m) => <Deadline date={m.deadline} overdue={m.overdue} /> },
                ]}
              />
            </Stack>
          ))}
          <PagedFooter rows={data!.items.length} total={data!.total} limit={page.limit} offset={page.offset} onOffset={page.onOffset} />
        </Stack>
      )}
    </Card>
  );
}

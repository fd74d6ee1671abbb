// The SK compliance board (GET /regions/{code}/compliance): per child region, how many teams at
// the chosen level have their SK TP Posyandu issued, reported and verified, the ones still
// missing, and which are past the reporting deadline. Any date can be replayed with `as_of`.
// Only a TP Posyandu counts: an old Pokjanal/Pokja is shown apart as a "legacy structure".
import { Anchor, Badge, Breadcrumbs, Card, Group, Loader, Progress, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title, Tooltip } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useParams } from "react-router";
import { type Schemas } from "../api/client";
import { useListQuery } from "../api/query";
import { useMe } from "../auth/auth";
import { DataTable } from "../components/DataTable";
import { Section, StatCard } from "../components/Page";
import { ProblemAlert } from "../components/ProblemAlert";
import { formatDate, formatNumber, formatPercent } from "../lib/format";
import { useListParams } from "../lib/listParams";
import { covers } from "../lib/scope";
import { complianceQuery, regionQuery } from "./api";

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
  if (!code) return <Navigate to={me.region ? `/compliance/${me.region.code}` : "/regions"} replace />;
  return <Board key={code} code={code} />;
}

function Board({ code }: { code: string }) {
  const me = useMe();
  const { t } = useTranslation();
  const { get, set } = useListParams();
  const level = (LEVELS.includes(get("level") as Level) ? get("level") : "village") as Level;
  const asOfRaw = get("as_of");
  const asOf = ISO_DATE.test(asOfRaw) ? asOfRaw : undefined;

  const detail = useQuery({ ...regionQuery(code), retry: false });
  const board = useListQuery({ ...complianceQuery(code, level, asOf), enabled: detail.isSuccess, retry: false });

  if (detail.isPending) return <Loader />;
  if (detail.error)
    return (
      <Stack>
        <Title order={2}>{t("compliance.title")}</Title>
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
          <Title order={2} data-testid="board-title">
            {t("compliance.titleFor", { name: r.name })}
          </Title>
        </Stack>
        <Group align="flex-end">
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
          <TextInput
            type="date"
            label={t("compliance.asOf")}
            value={asOfRaw}
            onChange={(e) => set("as_of", e.currentTarget.value)}
            w={170}
            data-testid="as-of"
          />
          <Anchor component={Link} to={`/regions/${r.code}`} size="sm">
            {t("compliance.openRegion")}
          </Anchor>
        </Group>
      </Group>

      {choices.length === 0 ? (
        <Text c="dimmed">{t("compliance.villageHasNone")}</Text>
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
          <Missing board={b!} level={level} />
        </>
      )}
    </Stack>
  );
}

function Headline({ total, level, asOf, year }: { total: Row; level: Level; asOf: string | null; year: number }) {
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

function Bar({ value, pct, color }: { value: number; pct: number | null; color: string }) {
  return (
    <Stack gap={2}>
      <Group gap={6} justify="flex-end" wrap="nowrap">
        <Text size="sm" fw={600}>
          {formatNumber(value)}
        </Text>
        <Text size="xs" c="dimmed">
          {formatPercent(pct)}
        </Text>
      </Group>
      <Progress value={pct ?? 0} color={color} size="xs" />
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

function RowsTable({ rows, total, level }: { rows: Row[]; total: Row; level: Level }) {
  const { t } = useTranslation();
  const isTotal = (row: Row) => row === total;
  const bar = (key: "issued" | "reported" | "verified", color: string) => ({
    header: t(`compliance.metrics.${key}`),
    numeric: true,
    td: { miw: 110, ta: undefined },
    cell: (row: Row) => <Bar value={row[key]} pct={row[`pct_${key}`]} color={color} />,
  });
  return (
    <DataTable
      testId="compliance-table"
      minWidth={960}
      tableProps={{ withTableBorder: true, striped: true, highlightOnHover: true }}
      rows={rows}
      footer={[total]}
      rowKey={(row) => (isTotal(row) ? "total" : row.region.code)}
      rowProps={(row) => ({ fw: isTotal(row) ? 700 : undefined, "data-testid": isTotal(row) ? "row-total" : `row-${row.region.code}` })}
      columns={[
        {
          header: t("common.region"),
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
          header: (
            <Tooltip label={t("compliance.expectedHelp", { level: t(`levelsPlural.${level}`) })}>
              <span>{t("compliance.metrics.expected")}</span>
            </Tooltip>
          ),
          numeric: true,
          cell: (row) => formatNumber(row.expected),
        },
        bar("issued", "blue"),
        bar("reported", "teal"),
        bar("verified", "green"),
        {
          header: t("compliance.metrics.missing"),
          numeric: true,
          cell: (row) => (
            <Text size="sm" fw={600} c={row.missing ? "red.7" : undefined}>
              {formatNumber(row.missing)}
            </Text>
          ),
        },
        { header: t("compliance.metrics.not_reported"), numeric: true, cell: (row) => formatNumber(row.not_reported) },
        {
          header: (
            <Tooltip label={t("compliance.legacyHelp")} multiline w={280}>
              <span>{t("compliance.metrics.legacy_structures")}</span>
            </Tooltip>
          ),
          numeric: true,
          cell: (row) => (
            <Text size="sm" c={row.legacy_structures ? "orange.8" : "dimmed"}>
              {formatNumber(row.legacy_structures)}
            </Text>
          ),
        },
        { header: t("compliance.deadline"), cell: (row) => <Deadline date={row.deadline} overdue={row.overdue} icon /> },
      ]}
    />
  );
}

function Missing({ board, level }: { board: Schemas["ComplianceBoard"]; level: Level }) {
  const { t } = useTranslation();
  const items = board.missing_reports;
  return (
    <Card withBorder data-testid="missing">
      <Title order={4} mb="xs">
        {t("compliance.missingTitle", { n: formatNumber(board.missing_reports_total), level: t(`levelsPlural.${level}`) })}
      </Title>
      {items.length === 0 ? (
        <Text c="dimmed">{t("compliance.noneMissing")}</Text>
      ) : (
        <DataTable
          tableProps={{ withTableBorder: true }}
          rows={items}
          rowKey={(m) => m.code}
          rowTestId="missing-row"
          columns={[
            { header: t("regions.code"), td: { ff: "monospace" }, cell: (m) => m.code },
            { header: t("regions.name"), link: (m) => `/regions/${m.code}`, cell: (m) => m.name },
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
      )}
      {board.missing_reports_total > items.length && (
        <Text size="sm" c="dimmed" mt="xs">
          {t("compliance.moreMissing", { n: formatNumber(board.missing_reports_total - items.length) })}
        </Text>
      )}
    </Card>
  );
}

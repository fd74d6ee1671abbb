// The SK compliance board (GET /regions/{code}/compliance): per child region, how many teams at
// the chosen level have their SK TP Posyandu issued, reported and verified, the ones still
// missing, and which are past the reporting deadline. Any date can be replayed with `as_of`.
// Only a TP Posyandu counts: an old Pokjanal/Pokja is shown apart as a "legacy structure".
import { Anchor, Badge, Breadcrumbs, Card, Group, Loader, Progress, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Title, Tooltip } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useParams } from "react-router";
import { type Schemas } from "../api/client";
import { useMe } from "../auth/auth";
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
  const board = useQuery({
    ...complianceQuery(code, level, asOf),
    enabled: detail.isSuccess,
    placeholderData: keepPreviousData,
    retry: false,
  });

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
          <Card withBorder>
            <Title order={4} mb="sm">
              {t("compliance.perRegion")}
            </Title>
            <RowsTable rows={b!.rows} total={b!.total} level={level} />
          </Card>
          <Missing board={b!} level={level} />
        </>
      )}
    </Stack>
  );
}

function Headline({ total, level, asOf, year }: { total: Row; level: Level; asOf: string | null; year: number }) {
  const { t } = useTranslation();
  const stat = (key: "issued" | "reported" | "verified" | "with_team", pct: number | null, color: string) => (
    <Card withBorder radius="md" data-testid={`headline-${key}`}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {t(`compliance.metrics.${key}`)}
      </Text>
      <Text fz={28} fw={700}>
        {t("compliance.nOfM", { n: formatNumber(total[key]), m: formatNumber(total.expected) })}
      </Text>
      <Progress value={pct ?? 0} color={color} size="sm" mt={6} aria-label={t(`compliance.metrics.${key}`)} />
      <Text size="sm" c="dimmed" mt={4}>
        {formatPercent(pct)}
      </Text>
    </Card>
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

function RowsTable({ rows, total, level }: { rows: Row[]; total: Row; level: Level }) {
  const { t } = useTranslation();
  const line = (row: Row, isTotal: boolean) => (
    <Table.Tr key={isTotal ? "total" : row.region.code} fw={isTotal ? 700 : undefined} data-testid={isTotal ? "row-total" : `row-${row.region.code}`}>
      <Table.Td>
        {isTotal ? (
          t("compliance.total")
        ) : row.region.level !== level ? (
          <Anchor component={Link} to={`/compliance/${row.region.code}?level=${level}`}>
            {row.region.name}
          </Anchor>
        ) : (
          <Anchor component={Link} to={`/regions/${row.region.code}`}>
            {row.region.name}
          </Anchor>
        )}
      </Table.Td>
      <Table.Td ta="right">{formatNumber(row.expected)}</Table.Td>
      <Table.Td miw={110}>
        <Bar value={row.issued} pct={row.pct_issued} color="blue" />
      </Table.Td>
      <Table.Td miw={110}>
        <Bar value={row.reported} pct={row.pct_reported} color="teal" />
      </Table.Td>
      <Table.Td miw={110}>
        <Bar value={row.verified} pct={row.pct_verified} color="green" />
      </Table.Td>
      <Table.Td ta="right">
        <Text size="sm" fw={600} c={row.missing ? "red.7" : undefined}>
          {formatNumber(row.missing)}
        </Text>
      </Table.Td>
      <Table.Td ta="right">{formatNumber(row.not_reported)}</Table.Td>
      <Table.Td ta="right">
        <Text size="sm" c={row.legacy_structures ? "orange.8" : "dimmed"}>
          {formatNumber(row.legacy_structures)}
        </Text>
      </Table.Td>
      <Table.Td>
        {row.deadline ? (
          <Group gap={4} wrap="nowrap">
            <Text size="sm">{formatDate(row.deadline)}</Text>
            {row.overdue && (
              <Badge color="red" size="sm" leftSection={<IconAlertTriangle size={12} />}>
                {t("compliance.overdue")}
              </Badge>
            )}
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            —
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
  return (
    <Table.ScrollContainer minWidth={960}>
      <Table withTableBorder striped highlightOnHover data-testid="compliance-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("common.region")}</Table.Th>
            <Table.Th ta="right">
              <Tooltip label={t("compliance.expectedHelp", { level: t(`levelsPlural.${level}`) })}>
                <span>{t("compliance.metrics.expected")}</span>
              </Tooltip>
            </Table.Th>
            <Table.Th ta="right">{t("compliance.metrics.issued")}</Table.Th>
            <Table.Th ta="right">{t("compliance.metrics.reported")}</Table.Th>
            <Table.Th ta="right">{t("compliance.metrics.verified")}</Table.Th>
            <Table.Th ta="right">{t("compliance.metrics.missing")}</Table.Th>
            <Table.Th ta="right">{t("compliance.metrics.not_reported")}</Table.Th>
            <Table.Th ta="right">
              <Tooltip label={t("compliance.legacyHelp")} multiline w={280}>
                <span>{t("compliance.metrics.legacy_structures")}</span>
              </Tooltip>
            </Table.Th>
            <Table.Th>{t("compliance.deadline")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => line(row, false))}
          {line(total, true)}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
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
        <Table withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("regions.code")}</Table.Th>
              <Table.Th>{t("regions.name")}</Table.Th>
              <Table.Th>{t("compliance.stateCol")}</Table.Th>
              <Table.Th>{t("compliance.deadline")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((m) => (
              <Table.Tr key={m.code} data-testid="missing-row">
                <Table.Td ff="monospace">{m.code}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/regions/${m.code}`}>
                    {m.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
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
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Text size="sm">{formatDate(m.deadline)}</Text>
                    {m.overdue && (
                      <Badge color="red" size="sm">
                        {t("compliance.overdue")}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {board.missing_reports_total > items.length && (
        <Text size="sm" c="dimmed" mt="xs">
          {t("compliance.moreMissing", { n: formatNumber(board.missing_reports_total - items.length) })}
        </Text>
      )}
    </Card>
  );
}

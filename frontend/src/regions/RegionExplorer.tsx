// Region explorer: from the user's own region (or the nation) down to a village, with
// breadcrumbs (GET /regions/{code} gives the ancestors), the summary, the children, and a
// search by name or code.
import { Anchor, Badge, Breadcrumbs, Card, Group, Loader, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconSearch } from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useParams } from "react-router";
import { type RegionRead, type RegionSummary } from "../api/client";
import { useMe } from "../auth/auth";
import { Pager } from "../components/Pager";
import { ProblemAlert } from "../components/ProblemAlert";
import { formatNumber, formatPercent, formatRupiah } from "../lib/format";
import { covers } from "../lib/scope";
import { childrenQuery, provincesQuery, regionQuery, regionSearchQuery, summaryQuery } from "./api";

const PAGE = 50;

export function RegionExplorer() {
  const me = useMe();
  const { code } = useParams();
  const { t } = useTranslation();
  const [q, setQ] = useState("");
  const [debounced] = useDebouncedValue(q.trim(), 300);

  if (!code && me.region) return <Navigate to={`/regions/${me.region.code}`} replace />;

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={2}>{t("regions.title")}</Title>
        <TextInput
          w={420}
          maw="100%"
          leftSection={<IconSearch size={16} />}
          placeholder={t("regions.searchPlaceholder")}
          aria-label={t("common.search")}
          value={q}
          maxLength={100}
          onChange={(e) => setQ(e.currentTarget.value)}
        />
      </Group>
      {debounced ? <SearchResults q={debounced} onPick={() => setQ("")} /> : code ? <RegionView key={code} code={code} /> : <Provinces />}
    </Stack>
  );
}

function RegionTable({ rows, onPick }: { rows: RegionRead[]; onPick?: () => void }) {
  const { t } = useTranslation();
  return (
    <Table striped highlightOnHover withTableBorder data-testid="region-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t("regions.code")}</Table.Th>
          <Table.Th>{t("regions.name")}</Table.Th>
          <Table.Th>{t("regions.type")}</Table.Th>
          <Table.Th ta="right">{t("regions.childCount")}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.code}>
            <Table.Td ff="monospace">{r.code}</Table.Td>
            <Table.Td>
              <Anchor component={Link} to={`/regions/${r.code}`} onClick={onPick}>
                {r.name}
              </Anchor>
            </Table.Td>
            <Table.Td>
              <Text size="sm" tt="capitalize">
                {r.type}
              </Text>
            </Table.Td>
            <Table.Td ta="right">{r.level === "village" ? "—" : formatNumber(r.child_count)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function SearchResults({ q, onPick }: { q: string; onPick: () => void }) {
  const { t } = useTranslation();
  const res = useQuery(regionSearchQuery(q));
  return (
    <Card withBorder>
      <Title order={4} mb="sm">
        {t("regions.searchResults")}
      </Title>
      {res.isPending ? (
        <Loader size="sm" />
      ) : res.error ? (
        <ProblemAlert error={res.error} />
      ) : res.data.items.length === 0 ? (
        <Text c="dimmed">{t("regions.noResults")}</Text>
      ) : (
        <>
          <RegionTable rows={res.data.items} onPick={onPick} />
          <Text size="sm" c="dimmed" mt="xs">
            {t("common.total", { n: formatNumber(res.data.total) })}
          </Text>
        </>
      )}
    </Card>
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
      {res.isPending ? <Loader /> : res.error ? <ProblemAlert error={res.error} /> : <RegionTable rows={res.data.items} />}
    </Stack>
  );
}

function RegionView({ code }: { code: string }) {
  const me = useMe();
  const { t } = useTranslation();
  const [offset, setOffset] = useState(0);
  const detail = useQuery({ ...regionQuery(code), retry: false });
  const summary = useQuery({ ...summaryQuery(code), enabled: detail.isSuccess });
  const children = useQuery({
    ...childrenQuery(code, offset, PAGE),
    enabled: detail.isSuccess && detail.data.level !== "village",
    placeholderData: keepPreviousData,
  });

  if (detail.isPending) return <Loader />;
  if (detail.error)
    return (
      <Stack>
        <ProblemAlert error={detail.error} />
        <Anchor component={Link} to="/regions">
          ← {me.region ? me.region.name : "Indonesia"}
        </Anchor>
      </Stack>
    );

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

      {r.level === "village" && (
        <Card withBorder data-testid="village-detail">
          <Title order={5} mb="sm">
            {t("regions.summary")}
          </Title>
          <Table variant="vertical" withTableBorder maw={520}>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th w={200}>{t("regions.code")}</Table.Th>
                <Table.Td ff="monospace">{r.code}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t("regions.type")}</Table.Th>
                <Table.Td tt="capitalize">{r.type}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t("regions.parent")}</Table.Th>
                <Table.Td>{r.ancestors.map((a) => a.name).join(" › ")}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t("regions.postalCode")}</Table.Th>
                <Table.Td>{r.postal_code ?? "—"}</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Card>
      )}

      {r.level !== "village" && (
        <Card withBorder>
          <Group justify="space-between" mb="sm">
            <Title order={5}>{t("regions.summary")}</Title>
            <Anchor component={Link} to={`/compliance/${r.code}`} size="sm" data-testid="compliance-link">
              {t("compliance.title")} →
            </Anchor>
          </Group>
          {summary.error ? (
            <ProblemAlert error={summary.error} />
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 3 }} data-testid="summary">
              {cards
                .filter((c) => c.show)
                .map((c) => (
                  <Card key={c.key} bg="teal.0" radius="md" data-testid={`count-${c.key}`}>
                    <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
                      {t(`regions.counts.${c.key}`)}
                    </Text>
                    <Text fz={32} fw={700}>
                      {counts ? formatNumber(counts[c.key]) : "…"}
                    </Text>
                  </Card>
                ))}
            </SimpleGrid>
          )}
          {summary.data && <ActivityCards code={r.code} summary={summary.data} />}
        </Card>
      )}

      {r.level !== "village" && (
        <Card withBorder>
          <Title order={5} mb="sm">
            {t("regions.children")}
          </Title>
          {children.isPending ? (
            <Loader size="sm" />
          ) : children.error ? (
            <ProblemAlert error={children.error} />
          ) : children.data.items.length === 0 ? (
            <Text c="dimmed">{t("regions.noChildren")}</Text>
          ) : (
            <>
              <RegionTable rows={children.data.items} />
              <Pager total={children.data.total} limit={PAGE} offset={offset} onOffset={setOffset} />
            </>
          )}
        </Card>
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
      <Card withBorder radius="md" data-testid="summary-budgets">
        <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
          {b.fiscal_year ? t("summaryCards.budgets", { year: b.fiscal_year }) : t("budgets.title")}
        </Text>
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
      </Card>
      <Card withBorder radius="md" data-testid="summary-follow-ups">
        <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
          {t("summaryCards.followUps")}
        </Text>
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
      </Card>
    </SimpleGrid>
  );
}

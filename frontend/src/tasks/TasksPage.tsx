// "Perlu tindakan" (/tasks): per group (SKs and posyandu waiting for the account's verification,
// overdue meeting follow-ups, villages late with their SK report) the count and the first items,
// each linking to its record; a late village opens the compliance board's chase drawer. Which
// records wait for whom is the API's to say (its policy): the screen keeps no role rules.
import { Anchor, Badge, Card, Group, Loader, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Me, Schemas } from "../api/client";
import { useMe } from "../auth/auth";
import { ForwardLink } from "../components/Page";
import { ProblemAlert } from "../components/ProblemAlert";
import { formatDate, formatNumber } from "../lib/format";
import { tasksQuery } from "./api";

type Group = Schemas["TaskGroup"];
type Item = Schemas["TaskItem"];
const LIMIT = 10;
const COLORS: Record<Schemas["TaskKind"], string> = { decree_to_verify: "blue", posyandu_to_verify: "grape", overdue_follow_up: "orange", late_report: "red" };

/** Where an item's record is shown. */
export function itemLink(item: Item, me: Me): string {
  switch (item.kind) {
    case "decree_to_verify":
      return `/decrees/${item.id}`;
    case "posyandu_to_verify":
      return `/posyandu/${item.id}`;
    case "overdue_follow_up":
      return `/meetings/${item.meeting_id}`;
    case "late_report": {
      const code = item.region?.code ?? "";
      const board = me.region?.code ?? code.split(".").slice(0, 2).join(".");
      return `/compliance/${board}?chase=${code}`;
    }
  }
}

const ALL: Record<Schemas["TaskKind"], string> = {
  decree_to_verify: "/decrees?status=reported",
  posyandu_to_verify: "/posyandu?status=proposed",
  overdue_follow_up: "/follow-ups?overdue=true",
  late_report: "/compliance",
};

export function TasksPage() {
  const { t } = useTranslation();
  const tasks = useQuery(tasksQuery(LIMIT));
  return (
    <Stack>
      <Title order={1} size="h2">{t("tasks.title")}</Title>
      {tasks.isPending ? (
        <Loader />
      ) : tasks.error ? (
        <ProblemAlert error={tasks.error} />
      ) : (
        <>
          <Text fw={600} data-testid="tasks-total">
            {tasks.data.total ? t("tasks.total", { n: formatNumber(tasks.data.total) }) : t("tasks.nothing")}
          </Text>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            {tasks.data.groups.map((g) => (
              <TaskCard key={g.kind} group={g} />
            ))}
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}

function TaskCard({ group }: { group: Group }) {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <Card withBorder data-testid={`tasks-${group.kind}`}>
      <Group justify="space-between" mb="xs">
        <Title order={4}>{t(`tasks.groups.${group.kind}`)}</Title>
        <Badge size="lg" color={group.count ? COLORS[group.kind] : "gray"} data-testid="task-count">
          {formatNumber(group.count)}
        </Badge>
      </Group>
      {group.items.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t("tasks.nothing")}
        </Text>
      ) : (
        <Stack gap={6} component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
          {group.items.map((item) => (
            <li key={`${item.kind}-${item.id ?? item.region?.code}`} data-testid="task-item">
              <Anchor component={Link} to={itemLink(item, me)} fw={500}>
                {item.title}
              </Anchor>
              <Text size="xs" c="dimmed">
                {item.region ? item.region.name : t("app.national")}
                {item.since ? ` · ${t(item.kind === "overdue_follow_up" || item.kind === "late_report" ? "tasks.due" : "tasks.since", { date: formatDate(item.since) })}` : ""}
                {item.days_late ? ` · ${t("tasks.daysLate", { n: item.days_late })}` : ""}
              </Text>
            </li>
          ))}
        </Stack>
      )}
      <Group justify="space-between" mt="sm">
        <Text size="sm" c="dimmed">
          {group.count > group.items.length ? t("tasks.more", { n: formatNumber(group.count - group.items.length) }) : ""}
        </Text>
        <ForwardLink to={ALL[group.kind]} label={t(`tasks.openAll.${group.kind}`)} />
      </Group>
    </Card>
  );
}

// A village's own card (a village operator's home, and the compliance board of a village): its TP
// Posyandu, its SK with its status and reporting deadline (GET /regions/{code}/chase), and its posyandu
// with their registration status and, for those still to be proposed, their readiness (what is missing).
import { Alert, Anchor, Badge, Group, List, Loader, SimpleGrid, Stack, Text } from "@mantine/core";
import { useQueries, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { chaseQuery } from "../compliance/api";
import { DecreeStatusBadge } from "../components/decree";
import { DataTable } from "../components/DataTable";
import { Section } from "../components/Page";
import { ProblemAlert } from "../components/ProblemAlert";
import { formatDate, formatNumber } from "../lib/format";
import { posyanduListQuery, readinessQuery } from "../posyandu/api";
import { StatusBadge } from "../posyandu/PosyanduRegistry";

/** Statuses a village still proposes from: their readiness is what the operator works on. */
const TO_PROPOSE = new Set(["unregistered", "returned"]);
const STAGE_COLORS = { no_team: "red", no_decree: "orange", draft: "orange", issued: "yellow", reported: "teal", verified: "green" } as const;

export function VillageCard({ code }: { code: string }) {
  const { t } = useTranslation();
  const sheet = useQuery(chaseQuery(code));
  const list = useQuery(posyanduListQuery({ region: code, limit: 50, offset: 0, sort: "name" }));
  const items = list.data?.items ?? [];
  const open = items.filter((p) => TO_PROPOSE.has(p.registration_status));
  const readiness = useQueries({ queries: open.map((p) => readinessQuery(p.id)) });
  const ready = new Map(open.map((p, i) => [p.id, readiness[i]?.data]));
  const s = sheet.data;

  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} data-testid="village-card">
      <Section title={t("home.village.teamAndSk")}>
        {sheet.isPending ? (
          <Loader />
        ) : sheet.error ? (
          <ProblemAlert error={sheet.error} />
        ) : (
          <Stack gap="sm">
            <Group gap="xs">
              <Badge color={STAGE_COLORS[s!.stage]} variant="light" data-testid="village-stage">
                {t(`chase.stages.${s!.stage}`)}
              </Badge>
              {s!.legacy_structure && <Badge color="gray" variant="outline">{t("compliance.legacyStructure")}</Badge>}
            </Group>
            <div>
              <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
                {t("chase.team")}
              </Text>
              {s!.team ? (
                <Anchor component={Link} to={`/teams/${s!.team.id}`} data-testid="village-team">
                  {s!.team.name}
                </Anchor>
              ) : (
                <Anchor component={Link} to={`/teams?region=${code}`}>
                  {t("home.village.noTeam")}
                </Anchor>
              )}
              {s!.team && (
                <Text size="sm" c="dimmed">
                  {t(`teams.kinds.${s!.team.kind as "tp_posyandu"}`, s!.team.kind)} · {t("chase.members", { n: formatNumber(s!.team.member_count) })}
                  {s!.team.formed_on ? ` · ${t("teams.formedOn")} ${formatDate(s!.team.formed_on)}` : ""}
                </Text>
              )}
            </div>
            <div>
              <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
                {t("chase.decree")}
              </Text>
              {s!.decree ? (
                <Group gap="xs">
                  <Anchor component={Link} to={`/decrees/${s!.decree.id}`} data-testid="village-decree">
                    {s!.decree.number ? `${s!.decree.title} (${s!.decree.number})` : s!.decree.title}
                  </Anchor>
                  <DecreeStatusBadge status={s!.decree.status} />
                </Group>
              ) : (
                <Text size="sm">{t("home.village.noDecree")}</Text>
              )}
            </div>
            {s!.deadline ? (
              <Alert color={s!.overdue ? "red" : s!.late ? "yellow" : "teal"} data-testid="village-deadline" p="xs">
                {s!.overdue && s!.days_late !== null
                  ? t("chase.daysLate", { n: formatNumber(s!.days_late), date: formatDate(s!.deadline) })
                  : s!.late
                    ? t("chase.dueOn", { date: formatDate(s!.deadline) })
                    : t("home.village.reportedBy", { date: formatDate(s!.deadline) })}
              </Alert>
            ) : (
              <Text size="sm" c="dimmed" data-testid="village-deadline">
                {t("home.village.noDeadline")}
              </Text>
            )}
            {s!.late && <Text size="sm">{s!.what_is_late}</Text>}
          </Stack>
        )}
      </Section>
      <Section title={t("home.village.posyandu", { n: formatNumber(list.data?.total ?? 0) })} actions={<Anchor component={Link} to={`/posyandu?region=${code}`} size="sm">{t("home.open.posyandu")} →</Anchor>}>
        {list.isPending ? (
          <Loader />
        ) : list.error ? (
          <ProblemAlert error={list.error} />
        ) : items.length === 0 ? (
          <Text c="dimmed">{t("home.village.noPosyandu")}</Text>
        ) : (
          <DataTable
            testId="village-posyandu"
            tableProps={{ withTableBorder: true }}
            rows={items}
            rowKey={(p) => String(p.id)}
            columns={[
              {
                header: t("posyandu.name"),
                cell: (p) => (
                  <Anchor component={Link} to={`/posyandu/${p.id}`}>
                    {p.name}
                  </Anchor>
                ),
              },
              { header: t("posyandu.registration"), cell: (p) => <StatusBadge status={p.registration_status} /> },
              {
                header: t("home.village.readiness"),
                cell: (p) => {
                  if (!TO_PROPOSE.has(p.registration_status)) return <Text size="sm" c="dimmed">—</Text>;
                  const r = ready.get(p.id);
                  if (!r) return <Loader size="xs" />;
                  if (r.ready) return <Badge color="green" variant="light">{t("registration.ready")}</Badge>;
                  return (
                    <Stack gap={2}>
                      <Badge color="orange" variant="light">{t("home.village.gaps", { n: r.missing.length })}</Badge>
                      <List size="xs" spacing={0}>
                        {r.missing.map((g) => (
                          <List.Item key={g.code}>{g.message}</List.Item>
                        ))}
                      </List>
                    </Stack>
                  );
                },
              },
            ]}
          />
        )}
      </Section>
    </SimpleGrid>
  );
}

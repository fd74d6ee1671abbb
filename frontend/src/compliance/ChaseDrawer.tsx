// Chasing a late region (GET /regions/{code}/chase): opened from a row of the "belum melaporkan"
// list (the region's code is kept in the URL as `chase`, so that "Perlu tindakan" can link to it).
// Its team, its SK (status, last step), the reporting deadline and the days past it, and whom to
// contact, each with tel:, mailto: and a WhatsApp link carrying the API's prefilled reminder.
// The contacts are the API's to give: a role that may not see them gets none (and is told so).
import { Alert, Anchor, Badge, Button, Drawer, Group, Loader, Stack, Text, Title } from "@mantine/core";
import { IconBrandWhatsapp, IconMail, IconPhone } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Schemas } from "../api/client";
import { DataTable, FactsTable } from "../components/DataTable";
import { DecreeStatusBadge } from "../components/decree";
import { ProblemAlert } from "../components/ProblemAlert";
import { formatDate, formatNumber } from "../lib/format";
import { chaseQuery } from "./api";

type Sheet = Schemas["ChaseSheet"];
type Contact = Schemas["Contact"];
const STAGE_COLORS: Record<Schemas["ChaseStage"], string> = { no_team: "red", no_decree: "red", draft: "orange", issued: "yellow", reported: "teal", verified: "green" };

export function ChaseDrawer({ code, onClose }: { code: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Drawer opened={!!code} onClose={onClose} position="right" size="xl" title={<Title order={3}>{t("chase.title")}</Title>} data-testid="chase-drawer">
      {code && <ChaseSheetView code={code} />}
    </Drawer>
  );
}

export function ChaseSheetView({ code }: { code: string }) {
  const { t } = useTranslation();
  const sheet = useQuery({ ...chaseQuery(code), retry: false });
  if (sheet.isPending) return <Loader />;
  if (sheet.error) return <ProblemAlert error={sheet.error} />;
  const s = sheet.data;
  return (
    <Stack data-testid="chase-sheet">
      <Stack gap={2}>
        <Text size="sm" c="dimmed">
          {s.ancestors.map((a) => a.name).join(" › ")}
        </Text>
        <Group justify="space-between">
          <Title order={3} data-testid="chase-region">
            {s.region.name}
          </Title>
          <Anchor component={Link} to={`/regions/${s.region.code}`} size="sm">
            {t("compliance.openRegion")}
          </Anchor>
        </Group>
      </Stack>
      <Alert color={s.overdue ? "red" : s.late ? "yellow" : "teal"} data-testid="chase-late">
        <Text fw={600}>{s.what_is_late}</Text>
        {s.overdue && s.days_late !== null && <Text data-testid="days-late">{t("chase.daysLate", { n: formatNumber(s.days_late), date: formatDate(s.deadline) })}</Text>}
        {!s.overdue && s.late && s.deadline && <Text>{t("chase.dueOn", { date: formatDate(s.deadline) })}</Text>}
      </Alert>
      <FactsTable
        testId="chase-facts"
        facts={[
          { label: t("chase.stage"), value: <Badge color={STAGE_COLORS[s.stage]} variant="light">{t(`chase.stages.${s.stage}`)}</Badge> },
          {
            label: t("chase.team"),
            value: s.team ? (
              <Anchor component={Link} to={`/teams/${s.team.id}`}>
                {s.team.name} ({t("chase.members", { n: s.team.member_count })})
              </Anchor>
            ) : (
              "—"
            ),
          },
          { label: t("chase.decree"), value: s.decree ? <DecreeLine decree={s.decree} /> : "—" },
          {
            label: t("chase.lastStep"),
            value: s.decree?.last_transition ? (
              <Text size="sm" data-testid="last-step">
                {t(`decrees.actions.${s.decree.last_transition.action}`)} · {formatDate(s.decree.last_transition.effective_date)}
                {s.decree.last_transition.actor_name ? ` · ${s.decree.last_transition.actor_name}` : ""}
              </Text>
            ) : (
              "—"
            ),
          },
          { label: t("compliance.deadline"), value: s.deadline ? formatDate(s.deadline) : "—" },
          { label: t("chase.today"), value: formatDate(s.today) },
        ]}
      />
      <Title order={4}>{t("chase.contacts")}</Title>
      {s.contacts === null ? (
        <Text c="dimmed" data-testid="contacts-hidden">
          {t("chase.contactsHidden")}
        </Text>
      ) : s.contacts.length === 0 ? (
        <Text c="dimmed">{t("chase.noContacts")}</Text>
      ) : (
        <Contacts contacts={s.contacts} />
      )}
    </Stack>
  );
}

function DecreeLine({ decree }: { decree: NonNullable<Sheet["decree"]> }) {
  return (
    <Group gap={6}>
      <Anchor component={Link} to={`/decrees/${decree.id}`}>
        {decree.number ?? decree.title}
      </Anchor>
      <DecreeStatusBadge status={decree.status} />
    </Group>
  );
}

function Contacts({ contacts }: { contacts: Contact[] }) {
  const { t } = useTranslation();
  return (
    <DataTable
      testId="contacts"
      rowTestId="contact-row"
      tableProps={{ withTableBorder: true }}
      rows={contacts}
      rowKey={(c) => `${c.kind}-${c.id}`}
      columns={[
        {
          header: t("chase.name"),
          cell: (c) => (
            <Stack gap={0}>
              <Text size="sm" fw={600}>
                {c.name}
              </Text>
              <Text size="xs" c="dimmed">
                {c.kind === "account" ? t(`roles.${c.role as Schemas["Role"]}`, { defaultValue: c.role }) : c.role}
                {c.institution ? ` · ${c.institution}` : ""}
              </Text>
            </Stack>
          ),
        },
        { header: t("chase.phone"), cell: (c) => (c.tel_url ? <Anchor href={c.tel_url}>{c.phone}</Anchor> : "—") },
        {
          header: t("chase.reach"),
          cell: (c) => (
            <Group gap={6} wrap="nowrap">
              {c.whatsapp_url && (
                <Button component="a" href={c.whatsapp_url} target="_blank" rel="noreferrer" size="compact-xs" color="green" leftSection={<IconBrandWhatsapp size={14} />} data-testid="whatsapp-link">
                  WhatsApp
                </Button>
              )}
              {c.tel_url && (
                <Button component="a" href={c.tel_url} size="compact-xs" variant="light" leftSection={<IconPhone size={14} />}>
                  {t("chase.call")}
                </Button>
              )}
              {c.mailto_url && (
                <Button component="a" href={c.mailto_url} size="compact-xs" variant="light" leftSection={<IconMail size={14} />} data-testid="mailto-link">
                  {t("chase.email")}
                </Button>
              )}
              {!c.tel_url && !c.mailto_url && (
                <Text size="sm" c="dimmed">
                  {t("chase.noReach")}
                </Text>
              )}
            </Group>
          ),
        },
      ]}
    />
  );
}

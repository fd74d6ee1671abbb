// /notifications/preferences: per rule, which channels (in-app, e-mail, WhatsApp), and the digest's day.
import { Alert, Button, Checkbox, Group, Loader, Select, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../api/client";
import { ProblemAlert } from "../components/ProblemAlert";
import { preferencesQuery, useSavePreferences, type Preferences } from "./api";

type Choice = Schemas["RulePreference"];
const CHANNELS = ["in_app", "email", "whatsapp"] as const;
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

export function PreferencesPage() {
  const prefs = useQuery(preferencesQuery());
  if (prefs.isPending) return <Loader />;
  if (prefs.error) return <ProblemAlert error={prefs.error} />;
  return <PreferencesForm prefs={prefs.data} />;
}

function PreferencesForm({ prefs }: { prefs: Preferences }) {
  const { t } = useTranslation();
  const save = useSavePreferences();
  const [rules, setRules] = useState<Choice[]>(() => prefs.rules.map(({ rule, in_app, email, whatsapp }) => ({ rule, in_app, email, whatsapp })));
  const [weekday, setWeekday] = useState(String(prefs.digest_weekday));
  const toggle = (rule: string, channel: (typeof CHANNELS)[number], on: boolean) => setRules((rs) => rs.map((r) => (r.rule === rule ? { ...r, [channel]: on } : r)));
  return (
    <Stack>
      <Title order={1} size="h2">
        {t("notifications.preferencesTitle")}
      </Title>
      {!prefs.email_configured ? (
        <Alert color="gray">{t("notifications.noSmtp")}</Alert>
      ) : !prefs.email ? (
        <Alert color="yellow">{t("notifications.noEmail")}</Alert>
      ) : (
        <Text size="sm">{t("notifications.emailTo", { email: prefs.email })}</Text>
      )}
      <Table.ScrollContainer minWidth={320}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("notifications.rule")}</Table.Th>
              {CHANNELS.map((c) => (
                <Table.Th key={c}>{t(`notifications.channels.${c}`)}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {prefs.rules.map((info) => {
              const choice = rules.find((r) => r.rule === info.rule);
              return (
                <Table.Tr key={info.rule} data-testid={`rule-${info.rule}`}>
                  <Table.Td>
                    <Text size="sm">{info.label}</Text>
                    {!info.enabled && (
                      <Text size="xs" c="dimmed">
                        {t("notifications.ruleOff")}
                      </Text>
                    )}
                  </Table.Td>
                  {CHANNELS.map((c) => (
                    <Table.Td key={c}>
                      <Checkbox
                        checked={choice?.[c] ?? true}
                        onChange={(e) => toggle(info.rule, c, e.currentTarget.checked)}
                        aria-label={t("notifications.channelOf", { channel: t(`notifications.channels.${c}`), rule: info.label })}
                      />
                    </Table.Td>
                  ))}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Select
        label={t("notifications.digestDay")}
        value={weekday}
        onChange={(v) => setWeekday(v ?? "0")}
        data={DAYS.map((d, i) => ({ value: String(i), label: t(`notifications.weekdays.${d}`) }))}
        allowDeselect={false}
        maw={240}
      />
      <Group>
        <Button loading={save.isPending} onClick={() => save.mutate({ rules, digest_weekday: Number(weekday) })}>
          {t("common.save")}
        </Button>
      </Group>
      {save.error && <ProblemAlert error={save.error} />}
    </Stack>
  );
}

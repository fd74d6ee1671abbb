// The audit trail within the account's scope, with filters.
import { Badge, Button, Card, Code, Group, Modal, Select, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type AuditEventRead } from "../api/client";
import { formatDateTime } from "../lib/format";
import { auditListQuery } from "./api";
import { QueryTable } from "../components/QueryTable";
import { useListParams } from "../lib/listParams";

const PAGE = 50;
type Action = "create" | "update" | "delete";
const CODE = /^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/;

/** A date input (yyyy-mm-dd) as the start or end of that day in Asia/Jakarta, ISO 8601. */
function dayBound(day: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  return `${day}T${end ? "23:59:59" : "00:00:00"}+07:00`;
}

export function AuditPage() {
  const { get: getParam, set: setParam, offset, setOffset, reset } = useListParams();
  const { t } = useTranslation();
  const region = getParam("region");
  const setRegion = (v: string) => setParam("region", v);
  const entityType = getParam("entity_type");
  const setEntityType = (v: string) => setParam("entity_type", v);
  const actor = getParam("actor");
  const setActor = (v: string) => setParam("actor", v);
  const action = getParam("action") || null;
  const setAction = (v: string | null) => setParam("action", v);
  const since = getParam("since");
  const setSince = (v: string) => setParam("since", v);
  const until = getParam("until");
  const setUntil = (v: string) => setParam("until", v);
  const [shown, setShown] = useState<AuditEventRead | null>(null);
  const [filters] = useDebouncedValue({ region: region.trim(), entityType: entityType.trim(), actor: actor.trim(), action, since, until }, 300);

  const list = useQuery({
    ...auditListQuery({
      region: CODE.test(filters.region) ? filters.region : undefined,
      entity_type: filters.entityType || undefined,
      actor: filters.actor || undefined,
      action: (filters.action as Action) ?? undefined,
      since: dayBound(filters.since, false),
      until: dayBound(filters.until, true),
      limit: PAGE,
      offset,
    }),
    placeholderData: keepPreviousData,
  });
  const on = (set: (v: string) => void) => (e: React.ChangeEvent<HTMLInputElement>) => set(e.currentTarget.value);

  return (
    <Stack>
      <Title order={2}>{t("audit.title")}</Title>
      <Card withBorder>
        <Group align="flex-end">
          <TextInput label={t("common.regionCode")} placeholder="33.75" w={130} value={region} onChange={on(setRegion)} />
          <TextInput label={t("audit.entityType")} placeholder="users" w={150} maxLength={40} value={entityType} onChange={on(setEntityType)} />
          <TextInput label={t("audit.actor")} placeholder="user:1" w={150} maxLength={40} value={actor} onChange={on(setActor)} />
          <Select
            label={t("audit.action")}
            placeholder={t("common.all")}
            clearable
            w={140}
            data={(["create", "update", "delete"] as const).map((a) => ({ value: a, label: t(`audit.actions.${a}`) }))}
            value={action}
            onChange={(v) => setAction(v)}
          />
          <TextInput type="date" label={t("audit.since")} value={since} onChange={on(setSince)} />
          <TextInput type="date" label={t("audit.until")} value={until} onChange={on(setUntil)} />
          <Button variant="default" onClick={reset}>
            {t("common.reset")}
          </Button>
        </Group>
      </Card>
      <QueryTable
        query={list}
        testId="audit-table"
        tableProps={{ highlightOnHover: true }}
        empty="row"
        rowKey={(e) => e.id}
        page={{ limit: PAGE, offset, onOffset: setOffset }}
        columns={[
          { header: t("audit.occurredAt"), cell: (e) => formatDateTime(e.occurred_at) },
          { header: t("audit.actor"), cell: (e) => e.actor_name ?? e.actor },
          {
            header: t("audit.action"),
            cell: (e) => (
              <Badge variant="light" color={e.action === "delete" ? "red" : e.action === "create" ? "teal" : "blue"}>
                {t(`audit.actions.${e.action}`, { defaultValue: e.action })}
              </Badge>
            ),
          },
          { header: t("audit.entityType"), td: { ff: "monospace" }, cell: (e) => e.entity_type },
          { header: t("audit.entityId"), td: { ff: "monospace" }, cell: (e) => e.entity_id },
          { header: t("common.region"), td: { ff: "monospace" }, cell: (e) => e.region_code ?? "—" },
          {
            cell: (e) => (
              <Button size="xs" variant="subtle" onClick={() => setShown(e)}>
                {t("audit.show")}
              </Button>
            ),
          },
        ]}
      />
      <Modal opened={shown !== null} onClose={() => setShown(null)} title={t("audit.changes")} size="xl">
        {shown && (
          <SimpleGrid cols={2}>
            <div>
              <Text fw={600}>{t("audit.before")}</Text>
              <Code block>{shown.before ? JSON.stringify(shown.before, null, 2) : "—"}</Code>
            </div>
            <div>
              <Text fw={600}>{t("audit.after")}</Text>
              <Code block>{shown.after ? JSON.stringify(shown.after, null, 2) : "—"}</Code>
            </div>
          </SimpleGrid>
        )}
      </Modal>
    </Stack>
  );
}

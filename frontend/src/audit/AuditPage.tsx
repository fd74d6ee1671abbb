// The audit trail within the account's scope, with filters.
import { Anchor, Badge, Button, Code, Modal, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useState } from "react";
import { useListQuery } from "../api/query";
import { useTranslation } from "react-i18next";
import { type AuditEventRead } from "../api/client";
import { formatDateTime } from "../lib/format";
import { auditListQuery } from "./api";
import { QueryTable } from "../components/QueryTable";
import { FilterBar, ParamDate, ParamInput, ParamSelect, RegionParam } from "../components/Filters";
import { regionFilterOk, useListParams } from "../lib/listParams";

const PAGE = 50;
/** The audit trail's record kinds (its tables), as the filter offers them. */
const ENTITY_TYPES = [
  "teams", "team_members", "decrees", "decree_files", "decree_transitions", "reporting_deadlines", "posyandu", "posyandu_documents",
  "posyandu_registration_events", "registration_batches", "pilot_sites", "meetings", "meeting_attachments", "meeting_legal_bases", "meeting_attendances", "follow_ups", "budgets",
  "budget_allocations", "budget_realizations", "work_programs", "competitions", "competition_entrants", "legal_references", "users", "api_clients",
] as const;
type EntityType = (typeof ENTITY_TYPES)[number];
type Action = "create" | "update" | "delete";

/** A date input (yyyy-mm-dd) as the start or end of that day in Asia/Jakarta, ISO 8601. */
function dayBound(day: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  return `${day}T${end ? "23:59:59" : "00:00:00"}+07:00`;
}

export function AuditPage() {
  const params = useListParams();
  const { t } = useTranslation();
  const [shown, setShown] = useState<AuditEventRead | null>(null);
  // a kind the dashboard knows by name; a new table still shows, by its table name
  const kindLabel = (type: string) => t(`audit.kinds.${type as EntityType}`, { defaultValue: type });
  const { get } = params;
  const [filters] = useDebouncedValue({ region: get("region").trim(), entityType: get("entity_type").trim(), actor: get("actor").trim(), action: get("action"), since: get("since"), until: get("until") }, 300);

  const list = useListQuery(
    auditListQuery({
      region: filters.region && regionFilterOk(filters.region) ? filters.region : undefined,
      entity_type: filters.entityType || undefined,
      actor: filters.actor || undefined,
      action: (filters.action || undefined) as Action | undefined,
      since: dayBound(filters.since, false),
      until: dayBound(filters.until, true),
      limit: PAGE,
      ...params.position,
    }),
  );

  return (
    <Stack>
      <Title order={1} size="h2">{t("audit.title")}</Title>
      <FilterBar align="flex-end">
        <RegionParam params={params} />
        <ParamSelect params={params} param="entity_type" label={t("audit.entityType")} w={200} searchable data={ENTITY_TYPES.map((k) => ({ value: k, label: kindLabel(k) }))} />
        <ParamInput params={params} param="actor" label={t("audit.actorId")} description={t("audit.actorIdHelp")} placeholder="user:1" w={150} maxLength={40} />
        <ParamSelect params={params} param="action" label={t("audit.action")} w={140} data={(["create", "update", "delete"] as const).map((a) => ({ value: a, label: t(`audit.actions.${a}`) }))} />
        <ParamDate params={params} param="since" label={t("audit.since")} />
        <ParamDate params={params} param="until" label={t("audit.until")} />
        <Button variant="default" onClick={params.reset}>
          {t("common.reset")}
        </Button>
      </FilterBar>
      <QueryTable
        query={list}
        testId="audit-table"
        tableProps={{ highlightOnHover: true }}
        empty="row"
        rowKey={(e) => e.id}
        page={params.page(PAGE)}
        columns={[
          { header: t("audit.occurredAt"), cell: (e) => formatDateTime(e.occurred_at) },
          {
            header: t("audit.actor"),
            cell: (e) => (
              <Anchor component="button" type="button" size="sm" ta="left" title={e.actor} onClick={() => params.set("actor", e.actor)}>
                {e.actor_label}
              </Anchor>
            ),
          },
          {
            header: t("audit.action"),
            cell: (e) => (
              <Badge variant="light" color={e.action === "delete" ? "red" : e.action === "create" ? "teal" : "blue"}>
                {t(`audit.actions.${e.action}`, { defaultValue: e.action })}
              </Badge>
            ),
          },
          {
            header: t("audit.record"),
            cell: (e) => (
              <>
                <Text size="sm">{e.entity_label ?? `#${e.entity_id}`}</Text>
                <Text size="xs" c="dimmed">
                  {kindLabel(e.entity_type)}
                </Text>
              </>
            ),
          },
          { header: t("common.region"), cell: (e) => (e.region_code === null ? t("app.national") : <span title={e.region_code}>{e.region_name ?? e.region_code}</span>) },
          {
            cell: (e) => (
              <Button size="xs" variant="subtle" onClick={() => setShown(e)}>
                {t("audit.show")}
              </Button>
            ),
          },
        ]}
      />
      <Modal opened={shown !== null} onClose={() => setShown(null)} title={shown ? `${t("audit.changes")}: ${shown.entity_label ?? kindLabel(shown.entity_type)}` : t("audit.changes")} size="xl">
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

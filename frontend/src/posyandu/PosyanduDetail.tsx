// One posyandu: its data, the services it runs per SPM field, the registration readiness check,
// the registration transitions the API allows this user (`allowed_actions`), and the history of
// the registration.
import { Alert, Anchor, Badge, Button, Card, Group, List, SimpleGrid, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { IconCheck, IconX } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type Schemas } from "../api/client";
import { FactsTable } from "../components/DataTable";
import { FormModal, textOrNull } from "../components/FormModal";
import { BackLink, RecordState, RecordTitle, Section, useRouteId, WithCode } from "../components/Page";
import { QueryTable } from "../components/QueryTable";
import { ProvenanceBadge, ProvenanceSource } from "../components/Provenance";
import { useMe } from "../auth/auth";
import { useFields } from "../lib/fields";
import { formatDate, formatDateTime, formatMonth, formatNumber } from "../lib/format";
import { allows, covers } from "../lib/scope";
import { SPM_FIELDS } from "../lib/spm";
import { activityFieldsQuery, activityReportsQuery, posyanduQuery, readinessQuery, registrationEventsQuery, useRegistrationTransition } from "./api";
import { DocumentsCard } from "./Documents";
import { useCatalog } from "./PosyanduForm";
import { StatusBadge } from "./PosyanduRegistry";

type Posyandu = Schemas["PosyanduRead"];
type Action = Schemas["TransitionAction"];

/** The posyandu actions that are registration steps (POST .../registration/transitions), in button order. */
const TRANSITIONS: Action[] = ["propose", "verify", "return", "reject", "register", "reopen"];

export function PosyanduDetail() {
  const { id } = useRouteId("posyanduId");
  const { t } = useTranslation();
  const catalog = useCatalog();
  const detail = useQuery({ ...posyanduQuery(id), retry: false });
  const readiness = useQuery({ ...readinessQuery(id), enabled: detail.isSuccess });
  const events = useQuery({ ...registrationEventsQuery(id), enabled: detail.isSuccess });

  if (!detail.isSuccess) return <RecordState query={detail} back={{ to: "/posyandu", label: t("posyandu.title") }} />;
  const { data: p, etag } = detail.data;
  const label = (field: string, code: string) =>
    catalog.data?.fields.find((f) => f.field === field)?.services.find((s) => s.code === code)?.label ?? code;

  return (
    <Stack>
      <BackLink to="/posyandu" label={t("posyandu.title")} />
      <Group justify="space-between">
        <RecordTitle title={p.name} testId="posyandu-name">
          <StatusBadge status={p.registration_status} />
          {!p.is_active && <Badge color="gray">{t("common.inactive")}</Badge>}
          <ProvenanceBadge provenance={p.provenance} />
        </RecordTitle>
        {allows(p, "update") && (
          <Button component={Link} to={`/posyandu/${p.id}/edit`} variant="light">
            {t("common.edit")}
          </Button>
        )}
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <FactsTable
            facts={[
              {
                label: t("common.region"),
                value: (
                  <WithCode code={p.region_code}>
                    <Anchor component={Link} to={`/regions/${p.region_code}`}>
                      {p.village_name}
                    </Anchor>
                  </WithCode>
                ),
              },
              { label: t("posyandu.address"), value: [p.address, p.rw && `RW ${p.rw}`, p.rt && `RT ${p.rt}`].filter(Boolean).join(", ") || "—" },
              { label: t("posyandu.pengurus"), value: formatNumber(p.pengurus_count) },
              { label: t("posyandu.kader"), value: formatNumber(p.kader_count) },
              { label: t("posyandu.stratum"), value: p.stratum ?? "—" },
              { label: t("posyandu.number"), value: p.registration_number ?? "—", td: { ff: "monospace" } },
              p.status_reason && { label: t("registration.reason"), value: p.status_reason },
              p.notes && { label: t("posyandu.notes"), value: p.notes, td: { style: { whiteSpace: "pre-wrap" } } },
              p.provenance && { label: t("provenance.source"), value: <ProvenanceSource provenance={p.provenance} /> },
            ]}
          />
        </Card>
        <Section data-testid="registration" title={t("posyandu.registration")}>
          {readiness.data && (
            <Alert
              color={readiness.data.ready ? "teal" : "yellow"}
              icon={readiness.data.ready ? <IconCheck /> : <IconX />}
              title={readiness.data.ready ? t("registration.ready") : t("registration.notReady")}
              mb="sm"
              data-testid="readiness"
            >
              {readiness.data.missing.length > 0 && (
                <List size="sm">
                  {readiness.data.missing.map((m) => (
                    <List.Item key={m.code}>{gapText(m, t)}</List.Item>
                  ))}
                </List>
              )}
            </Alert>
          )}
          <Transitions p={p} etag={etag} readiness={readiness.data} />
        </Section>
      </SimpleGrid>
      <DocumentsCard p={p} />
      <ActivityReportsCard p={p} />
      <Section data-testid="services" title={t("posyandu.servicesPerField")}>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
          {SPM_FIELDS.map((f) => (
            <Stack key={f} gap={4}>
              <Group gap={6}>
                <Text fw={600}>{t(`spm.${f}`)}</Text>
                <Badge size="sm" variant="light" color={(p.services[f] ?? []).length ? "teal" : "gray"}>
                  {formatNumber((p.services[f] ?? []).length)}
                </Badge>
              </Group>
              {(p.services[f] ?? []).length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t("posyandu.noServices")}
                </Text>
              ) : (
                <List size="sm">
                  {(p.services[f] ?? []).map((code) => (
                    <List.Item key={code}>{label(f, code)}</List.Item>
                  ))}
                </List>
              )}
            </Stack>
          ))}
        </SimpleGrid>
      </Section>
      <Section title={t("registration.history")}>
        <QueryTable
          query={events}
          empty="instead"
          tableProps={{ striped: false, withTableBorder: true, fz: "sm" }}
          rowKey={(e) => e.id}
          columns={[
            { header: t("audit.occurredAt"), cell: (e) => formatDateTime(e.occurred_at) },
            { header: t("audit.action"), cell: (e) => t(`registration.actions.${e.action}`, { defaultValue: e.action }) },
            { header: t("registration.change"), cell: (e) => `${t(`registration.status.${e.from_status}`)} → ${t(`registration.status.${e.to_status}`)}` },
            { header: t("audit.actor"), cell: (e) => e.actor_name ?? e.actor },
            { header: t("registration.reason"), cell: (e) => e.reason ?? e.registration_number ?? "—" },
          ]}
        />
      </Section>
    </Stack>
  );
}

/** A readiness gap in the dashboard's language: a missing document by its name, else the API's message (already in it). */
function gapText(gap: Schemas["ReadinessGap"], t: TFunction): string {
  const doc = /^missing_document:(.+)$/.exec(gap.code);
  if (doc) return t("documents.notUploaded", { type: t(`documents.types.${doc[1] as Schemas["DocumentType"]}`, { defaultValue: doc[1] }) });
  return gap.message;
}

function Transitions({ p, etag, readiness }: { p: Posyandu; etag: string; readiness: Schemas["Readiness"] | undefined }) {
  const { t } = useTranslation();
  const [action, setAction] = useState<Action | null>(null);
  const run = useRegistrationTransition(p, etag, () => setAction(null));
  const f = useFields({ reason: "", registration_number: "" }, run.error);
  // a step taken starts the next one blank; a cancelled one keeps what was typed
  const clear = () => (f.set("reason", ""), f.set("registration_number", ""));
  const actions = TRANSITIONS.filter((a) => allows(p, a));
  const needsReason = action === "return" || action === "reject";
  // proposing needs a ready posyandu: until then the button says what is missing (the readiness gaps)
  const proposeBlocked = actions.includes("propose") && readiness !== undefined && !readiness.ready;
  if (actions.length === 0) return <Text size="sm" c="dimmed">{t("registration.noActions")}</Text>;
  return (
    <>
      <Group gap="xs" data-testid="reg-actions">
        {actions.map((a) => (
          <Button
            key={a}
            size="xs"
            variant={a === "reject" || a === "return" ? "light" : "filled"}
            color={a === "reject" ? "red" : a === "return" ? "orange" : "teal"}
            disabled={a === "propose" && (readiness === undefined || proposeBlocked)}
            aria-describedby={a === "propose" && proposeBlocked ? "propose-blocked" : undefined}
            onClick={() => {
              run.reset();
              setAction(a);
            }}
          >
            {t(`registration.actions.${a}`)}
          </Button>
        ))}
      </Group>
      {proposeBlocked && readiness && (
        <Text size="sm" c="orange.9" mt="xs" id="propose-blocked" data-testid="propose-blocked">
          {t("registration.proposeBlocked", { count: readiness.missing.length })}
        </Text>
      )}
      {action && (
        <FormModal
          title={t(`registration.actions.${action}`)}
          onClose={() => setAction(null)}
          onSubmit={() => run.mutate({ action, reason: textOrNull(f.values.reason), registration_number: action === "register" ? textOrNull(f.values.registration_number) : null }, { onSuccess: clear })}
          mutation={run}
          fields={["reason", "registration_number"]}
          intro={<Text size="sm">{t("registration.confirm", { name: p.name })}</Text>}
          submitLabel={t("common.confirm")}
        >
          {action === "register" && <TextInput label={t("posyandu.number")} maxLength={64} {...f.text("registration_number")} required data-autofocus />}
          <Textarea label={t("registration.reason")} maxLength={2000} {...f.text("reason")} required={needsReason} autosize minRows={2} />
        </FormModal>
      )}
    </>
  );
}

/** "Laporan bulanan": the posyandu's monthly activity reports, and the month being reported now
 * to start when the account may create reports here and it has none for that month. */
function ActivityReportsCard({ p }: { p: Posyandu }) {
  const { t } = useTranslation();
  const me = useMe();
  const reports = useQuery(activityReportsQuery(p.id));
  const fields = useQuery(activityFieldsQuery());
  const current = fields.data?.current_period;
  // a month (YYYY-MM) by its middle day, whatever the time zone
  const month = (period: string) => formatMonth(`${period}-15T12:00:00Z`);
  const has = (period: string) => (reports.data?.items ?? []).some((r) => r.period === period);
  const canStart = current && reports.isSuccess && !has(current) && p.is_active && allows(me, "create_activity_report") && covers(me, p.region_code);
  return (
    <Section
      data-testid="activity-reports"
      title={t("activityReports.monthly")}
      actions={
        canStart ? (
          <Button component={Link} to={`/activity-reports/new?posyandu=${p.id}&period=${current}`} size="xs" data-testid="new-report">
            {t("activityReports.newFor", { month: month(current) })}
          </Button>
        ) : null
      }
    >
      <QueryTable
        query={reports}
        empty="instead"
        emptyText={t("activityReports.noReports")}
        tableProps={{ striped: false, withTableBorder: true, fz: "sm" }}
        rowKey={(r) => r.id}
        rowTestId="report-row"
        columns={[
          { header: t("activityReports.month"), link: (r) => `/activity-reports/reports/${r.id}`, cell: (r) => month(r.period) },
          { header: t("common.status"), cell: (r) => <Badge variant="light" color={r.status === "accepted" ? "green" : r.status === "returned" ? "orange" : r.status === "submitted" ? "blue" : "gray"}>{t(`activityReports.status.${r.status}`)}</Badge> },
          { header: t("activityReports.due"), cell: (r) => formatDate(r.due_date) },
          { header: t("activityReports.onTimeCol"), cell: (r) => (r.on_time === null ? "—" : r.on_time ? t("common.yes") : t("common.no")) },
        ]}
      />
    </Section>
  );
}

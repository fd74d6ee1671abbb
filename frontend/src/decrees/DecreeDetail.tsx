// One decree (SK): its fields, its PDF (download, attach or replace), its history of
// transitions, and the changes and transitions the API allows this user (`allowed_actions`).
import { Anchor, Badge, Button, Card, Group, Stack, Text } from "@mantine/core";
import { IconUpload } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type Schemas } from "../api/client";
import { FactsTable } from "../components/DataTable";
import { BackLink, RecordState, RecordTitle, Section, useRouteId } from "../components/Page";
import { QueryTable } from "../components/QueryTable";
import { formatDate, formatDateTime, formatNumber } from "../lib/format";
import { allows } from "../lib/scope";
import { DecreeFileLink, DecreeStatusBadge } from "../components/decree";
import { DecreeFormModal } from "../components/DecreeFormModal";
import { ProvenanceBadge, ProvenanceSource } from "../components/Provenance";
import { decreeQuery, decreeTransitionsQuery } from "./api";
import { DecreeUploadModal } from "./DecreeForms";
import { TransitionModal, decreeActions } from "./Decrees";

type DecreeAction = Schemas["DecreeAction"];

export function DecreeDetailPage() {
  const { t } = useTranslation();
  const { id, valid } = useRouteId("decreeId");
  const [editing, setEditing] = useState(false);
  const [uploading, setUploading] = useState(false);
  const [acting, setActing] = useState<DecreeAction | null>(null);
  const decree = useQuery({
    ...decreeQuery(id),
    enabled: valid,
    retry: false,
  });
  const history = useQuery({
    ...decreeTransitionsQuery(id),
    enabled: decree.isSuccess,
  });
  if (!decree.isSuccess) return <RecordState query={decree} valid={valid} back={{ to: "/decrees", label: t("decrees.title") }} />;
  const d = decree.data;
  return (
    <Stack maw={1000}>
      <BackLink to={d.team_id ? `/teams/${d.team_id}` : "/decrees"} label={d.team_id ? t("decrees.backToTeam") : t("decrees.title")} />
      <Group justify="space-between" align="flex-start">
        <RecordTitle title={d.title} testId="decree-title">
          <DecreeStatusBadge status={d.status} />
          <ProvenanceBadge provenance={d.provenance} />
        </RecordTitle>
        <Group gap={4}>
          {decreeActions(d).map((a) => (
            <Button key={a} size="xs" variant="light" color={a === "revoke" ? "red" : a === "return" ? "orange" : "teal"} onClick={() => setActing(a)}>
              {t(`decrees.actions.${a}`)}
            </Button>
          ))}
          {allows(d, "update") && (
            <Button size="xs" variant="default" onClick={() => setEditing(true)}>
              {t("common.edit")}
            </Button>
          )}
        </Group>
      </Group>
      <Card withBorder>
        <FactsTable
          testId="decree-fields"
          headWidth={200}
          tableProps={{ withTableBorder: true }}
          facts={[
            {
              label: t("common.region"),
              value: (
                <>
                  <Anchor component={Link} to={`/regions/${d.region_code}`}>
                    {d.region_name ?? d.region_code}
                  </Anchor>{" "}
                  <Badge variant="light" size="sm">
                    {t(`levels.${d.level}`)}
                  </Badge>
                </>
              ),
            },
            { label: t("decrees.subject"), value: t(`decrees.subjects.${d.subject}`) },
            { label: t("decrees.number"), value: d.number ?? "—" },
            { label: t("decrees.date"), value: formatDate(d.decree_date) },
            { label: t("decrees.signer"), value: d.signer ?? "—" },
            { label: t("decrees.team"), value: d.team_id ? <Anchor component={Link} to={`/teams/${d.team_id}`}>{t("decrees.openTeam")}</Anchor> : "—" },
            {
              label: t("decrees.notes"),
              value: (
                <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
                  {d.notes ?? "—"}
                </Text>
              ),
            },
            d.provenance && { label: t("provenance.source"), value: <ProvenanceSource provenance={d.provenance} /> },
          ]}
        />
      </Card>
      <Section
        data-testid="decree-file-card"
        title={t("decrees.file")}
        actions={
          allows(d, "upload_file") && (
            <Button size="xs" leftSection={<IconUpload size={14} />} onClick={() => setUploading(true)}>
              {d.file ? t("decrees.replaceFile") : t("decrees.uploadFile")}
            </Button>
          )
        }
      >
        {d.file ? (
          <Group gap="md">
            <DecreeFileLink decree={d} label={d.file.name} />
            <Text size="sm" c="dimmed">
              {t("decrees.fileInfo", { size: formatNumber(Math.ceil(d.file.size / 1024)), at: formatDateTime(d.file.uploaded_at) })}
            </Text>
          </Group>
        ) : (
          <Text c="dimmed">{t("decrees.noFile")}</Text>
        )}
      </Section>
      <Section title={t("decrees.history")}>
        <QueryTable
          query={history}
          empty="instead"
          testId="decree-history"
          tableProps={{ striped: false, withTableBorder: true, fz: "sm" }}
          rowKey={(h) => h.id}
          columns={[
            { header: t("decrees.effectiveDate"), cell: (h) => formatDate(h.effective_date) },
            { header: t("decrees.actionsCol"), cell: (h) => t(`decrees.actions.${h.action}`) },
            { header: t("common.status"), cell: (h) => `${t(`decrees.status.${h.from_status}`)} → ${t(`decrees.status.${h.to_status}`)}` },
            { header: t("decrees.reason"), cell: (h) => h.reason ?? "—" },
            { header: t("decrees.actor"), cell: (h) => h.actor_name ?? h.actor },
          ]}
        />
      </Section>
      {editing && <DecreeFormModal key={d.version} decree={d} onClose={() => setEditing(false)} />}
      {uploading && <DecreeUploadModal decree={d} onClose={() => setUploading(false)} />}
      {acting && <TransitionModal decree={d} action={acting} onClose={() => setActing(null)} />}
    </Stack>
  );
}

// One decree (SK): its fields, its PDF (download, attach or replace), its history of
// transitions, and the changes and transitions the API allows this user (`allowed_actions`).
import { Anchor, Badge, Button, Card, Group, Loader, Stack, Table, Text, Title } from "@mantine/core";
import { IconUpload } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { type Schemas } from "../api/client";
import { ProblemAlert } from "../components/ProblemAlert";
import { formatDate, formatDateTime, formatNumber } from "../lib/format";
import { allows } from "../lib/scope";
import { DecreeFileLink, DecreeStatusBadge } from "../components/decree";
import { DecreeFormModal } from "../components/DecreeFormModal";
import { decreeQuery, decreeTransitionsQuery } from "./api";
import { DecreeUploadModal } from "./DecreeForms";
import { TransitionModal, decreeActions } from "./Decrees";

type DecreeAction = Schemas["DecreeAction"];

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={200}>{label}</Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}

export function DecreeDetailPage() {
  const { t } = useTranslation();
  const { decreeId } = useParams();
  const id = Number(decreeId);
  const valid = Number.isInteger(id) && id > 0;
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
  if (!valid) return <ProblemAlert error={new Error(t("problems.notFound"))} />;
  if (decree.isPending) return <Loader />;
  if (decree.error)
    return (
      <Stack>
        <ProblemAlert error={decree.error} />
        <Anchor component={Link} to="/decrees">
          ← {t("decrees.title")}
        </Anchor>
      </Stack>
    );
  const d = decree.data;
  return (
    <Stack maw={1000}>
      <Anchor component={Link} to={d.team_id ? `/teams/${d.team_id}` : "/decrees"} size="sm">
        ← {d.team_id ? t("decrees.backToTeam") : t("decrees.title")}
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Group gap="sm" align="baseline">
          <Title order={2} data-testid="decree-title">
            {d.title}
          </Title>
          <DecreeStatusBadge status={d.status} />
        </Group>
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
        <Table withTableBorder data-testid="decree-fields">
          <Table.Tbody>
            <Row label={t("common.region")}>
              <Anchor component={Link} to={`/regions/${d.region_code}`}>
                {d.region_name ?? d.region_code}
              </Anchor>{" "}
              <Badge variant="light" size="sm">
                {t(`levels.${d.level}`)}
              </Badge>
            </Row>
            <Row label={t("decrees.subject")}>{t(`decrees.subjects.${d.subject}`)}</Row>
            <Row label={t("decrees.number")}>{d.number ?? "—"}</Row>
            <Row label={t("decrees.date")}>{formatDate(d.decree_date)}</Row>
            <Row label={t("decrees.signer")}>{d.signer ?? "—"}</Row>
            <Row label={t("decrees.team")}>{d.team_id ? <Anchor component={Link} to={`/teams/${d.team_id}`}>{t("decrees.openTeam")}</Anchor> : "—"}</Row>
            <Row label={t("decrees.notes")}>
              <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
                {d.notes ?? "—"}
              </Text>
            </Row>
          </Table.Tbody>
        </Table>
      </Card>
      <Card withBorder data-testid="decree-file-card">
        <Group justify="space-between" mb="sm">
          <Title order={4}>{t("decrees.file")}</Title>
          {allows(d, "upload_file") && (
            <Button size="xs" leftSection={<IconUpload size={14} />} onClick={() => setUploading(true)}>
              {d.file ? t("decrees.replaceFile") : t("decrees.uploadFile")}
            </Button>
          )}
        </Group>
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
      </Card>
      <Card withBorder>
        <Title order={4} mb="sm">
          {t("decrees.history")}
        </Title>
        {history.isPending ? (
          <Loader size="sm" />
        ) : history.error ? (
          <ProblemAlert error={history.error} />
        ) : history.data.length === 0 ? (
          <Text c="dimmed">{t("common.empty")}</Text>
        ) : (
          <Table withTableBorder fz="sm" data-testid="decree-history">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("decrees.effectiveDate")}</Table.Th>
                <Table.Th>{t("decrees.actionsCol")}</Table.Th>
                <Table.Th>{t("common.status")}</Table.Th>
                <Table.Th>{t("decrees.reason")}</Table.Th>
                <Table.Th>{t("decrees.actor")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {history.data.map((h) => (
                <Table.Tr key={h.id}>
                  <Table.Td>{formatDate(h.effective_date)}</Table.Td>
                  <Table.Td>{t(`decrees.actions.${h.action}`)}</Table.Td>
                  <Table.Td>
                    {t(`decrees.status.${h.from_status}`)} → {t(`decrees.status.${h.to_status}`)}
                  </Table.Td>
                  <Table.Td>{h.reason ?? "—"}</Table.Td>
                  <Table.Td>{h.actor_name ?? h.actor}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      {editing && <DecreeFormModal key={d.version} decree={d} onClose={() => setEditing(false)} />}
      {uploading && <DecreeUploadModal decree={d} onClose={() => setUploading(false)} />}
      {acting && <TransitionModal decree={d} action={acting} onClose={() => setActing(null)} />}
    </Stack>
  );
}

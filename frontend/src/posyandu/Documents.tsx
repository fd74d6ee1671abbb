// The evidence a registration proposal needs (berita acara musyawarah, SK pembentukan, SK
// pengurus, data kader): one row per required type with what is uploaded, to view, download,
// upload, replace (the new file first, then the old one goes) or delete. Whether the user may
// change them is the posyandu's `allowed_actions` (add_document, delete_document): only before it
// is proposed, or after a return or a rejection.
import { ActionIcon, Badge, Button, FileButton, Group, Modal, Stack, Table, Text, Tooltip } from "@mantine/core";
import { IconCheck, IconEye, IconUpload, IconX } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type Schemas } from "../api/client";
import { ConfirmButton } from "../components/Confirm";
import { DownloadButton, FilePreview } from "../components/Download";
import { Section } from "../components/Page";
import { ProblemAlert } from "../components/ProblemAlert";
import { formatBytes, formatDateTime } from "../lib/format";
import { allows } from "../lib/scope";
import { catalogQuery, documentsQuery, useDeleteDocument, useUploadDocument } from "./api";

type Posyandu = Schemas["PosyanduRead"];
type Doc = Schemas["DocumentRead"];
type DocType = Schemas["DocumentType"];
const DOC_TYPES: DocType[] = ["berita_acara_musyawarah", "sk_pembentukan", "sk_pengurus", "data_kader"];
const ACCEPT: Record<DocType, string> = {
  berita_acara_musyawarah: "application/pdf,image/png,image/jpeg",
  sk_pembentukan: "application/pdf,image/png,image/jpeg",
  sk_pengurus: "application/pdf,image/png,image/jpeg",
  data_kader: "application/pdf,image/png,image/jpeg,.xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

export function DocumentsCard({ p }: { p: Posyandu }) {
  const { t } = useTranslation();
  const docs = useQuery(documentsQuery(p.id));
  const catalog = useQuery(catalogQuery());
  const types = catalog.data?.document_types.length ? catalog.data.document_types : DOC_TYPES;
  const upload = useUploadDocument(p.id);
  const remove = useDeleteDocument(p.id);
  const [viewing, setViewing] = useState<Doc | null>(null);
  const mayAdd = allows(p, "add_document");
  const mayDelete = allows(p, "delete_document");
  const byType = (type: DocType) => (docs.data ?? []).filter((d) => d.doc_type === type);

  return (
    <Section data-testid="documents" title={t("documents.title")} description={mayAdd ? t("documents.help") : t("documents.locked")}>
      {docs.error ? <ProblemAlert error={docs.error} /> : null}
      {upload.error ? <ProblemAlert error={upload.error} title={t("documents.uploadFailed")} /> : null}
      {remove.error ? <ProblemAlert error={remove.error} /> : null}
      <Table.ScrollContainer minWidth={0} type="native">
        <Table verticalSpacing="xs" fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("documents.type")}</Table.Th>
              <Table.Th>{t("documents.file")}</Table.Th>
              <Table.Th>{t("common.actions")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {types.map((type) => {
              const have = byType(type);
              const label = t(`documents.types.${type}`);
              const busy = upload.isPending && upload.variables?.type === type;
              return (
                <Table.Tr key={type} data-testid={`doc-${type}`}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      {have.length ? <IconCheck size={16} color="var(--mantine-color-teal-7)" aria-hidden /> : <IconX size={16} color="var(--mantine-color-orange-7)" aria-hidden />}
                      <Text size="sm" fw={500}>
                        {label}
                      </Text>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    {docs.isPending ? (
                      "…"
                    ) : have.length === 0 ? (
                      <Badge color="orange" variant="light">
                        {t("documents.missing")}
                      </Badge>
                    ) : (
                      <Stack gap={4}>
                        {have.map((d) => (
                          <Group key={d.id} gap={6} wrap="nowrap">
                            <Tooltip label={t("documents.view", { name: d.filename })}>
                              <ActionIcon variant="subtle" size="sm" aria-label={t("documents.view", { name: d.filename })} onClick={() => setViewing(d)}>
                                <IconEye size={16} />
                              </ActionIcon>
                            </Tooltip>
                            <Stack gap={0}>
                              <Text size="sm" style={{ wordBreak: "break-all" }}>
                                {d.filename}
                              </Text>
                              <Text size="xs" c="dimmed">
                                {formatBytes(d.size)} · {formatDateTime(d.uploaded_at)}
                              </Text>
                            </Stack>
                          </Group>
                        ))}
                      </Stack>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="wrap">
                      {have.map((d) => (
                        <DownloadButton
                          key={`dl-${d.id}`}
                          path="/api/v1/posyandu/{posyandu_id}/documents/{document_id}"
                          pathParams={{ posyandu_id: p.id, document_id: d.id }}
                          label={t("common.download")}
                          name={t("documents.download", { name: d.filename })}
                          size="compact-xs"
                          variant="light"
                        />
                      ))}
                      {mayAdd && (have.length === 0 || mayDelete) && (
                        <FileButton accept={ACCEPT[type]} onChange={(f) => f && upload.mutate({ type, file: f, replaces: have })}>
                          {(props) => (
                            <Button
                              {...props}
                              size="compact-xs"
                              variant={have.length ? "light" : "filled"}
                              leftSection={<IconUpload size={14} />}
                              loading={busy}
                              aria-label={have.length ? t("documents.replaceOf", { type: label }) : t("documents.uploadOf", { type: label })}
                            >
                              {have.length ? t("documents.replace") : t("documents.upload")}
                            </Button>
                          )}
                        </FileButton>
                      )}
                      {mayDelete &&
                        have.map((d) => (
                          <ConfirmButton
                            key={`rm-${d.id}`}
                            size="compact-xs"
                            color="red"
                            label={t("common.delete")}
                            aria-label={t("documents.deleteOf", { name: d.filename })}
                            question={t("documents.deleteQuestion", { name: d.filename, type: label })}
                            onConfirm={() => remove.mutateAsync(d.id).catch(() => undefined)}
                          />
                        ))}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {viewing && (
        <Modal opened onClose={() => setViewing(null)} title={viewing.filename} size="xl" closeButtonProps={{ "aria-label": t("common.close") }}>
          <FilePreview
            path="/api/v1/posyandu/{posyandu_id}/documents/{document_id}"
            pathParams={{ posyandu_id: p.id, document_id: viewing.id }}
            title={t("documents.view", { name: viewing.filename })}
          />
        </Modal>
      )}
    </Section>
  );
}

// Registration batches: the road from verified posyandu to a Nomor Registrasi. A coordinator
// groups verified posyandu into a batch, downloads it (XLSX/CSV) for the ministry, submits it,
// and uploads the file the ministry returns with the numbers (checked first, row by row).
import { Alert, Anchor, Badge, Button, Card, Checkbox, FileInput, Group, Loader, Modal, Stack, Table, Text, TextInput, Textarea, Title } from "@mantine/core";
import { IconDownload, IconPlus, IconUpload } from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { type Schemas } from "../api/client";
import { fieldErrors } from "../api/problems";
import { useMe } from "../auth/auth";
import { ProblemAlert } from "../components/ProblemAlert";
import { formatDateTime, formatNumber } from "../lib/format";
import { batchListQuery, batchQuery, useCreateBatch, useImportNumbers, useSubmitBatch, verifiedUnbatchedQuery } from "./api";
import { StatusBadge } from "./PosyanduRegistry";
import { QueryTable } from "../components/QueryTable";
import { useListParams } from "../lib/listParams";
import { allows } from "../lib/scope";

const PAGE = 25;
type BatchStatus = Schemas["BatchStatus"];
const BATCH_COLORS: Record<BatchStatus, string> = { draft: "gray", submitted: "indigo", completed: "green" };

function BatchBadge({ status }: { status: BatchStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={BATCH_COLORS[status]} variant="light">
      {t(`batches.status.${status}`)}
    </Badge>
  );
}

export function BatchesPage() {
  const { offset, setOffset } = useListParams();
  const { t } = useTranslation();
  const me = useMe();
  const [creating, setCreating] = useState(false);
  const list = useQuery({
    ...batchListQuery(offset, PAGE),
    placeholderData: keepPreviousData,
  });
  return (
    <Stack>
      <Anchor component={Link} to="/posyandu" size="sm">
        ← {t("posyandu.title")}
      </Anchor>
      <Group justify="space-between">
        <Title order={2}>{t("batches.title")}</Title>
        {allows(me, "create_batch") && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            {t("batches.new")}
          </Button>
        )}
      </Group>
      <Text c="dimmed" size="sm">
        {t("batches.help")}
      </Text>
      <Card withBorder>
        <QueryTable
          query={list}
          empty="instead"
          testId="batch-table"
          rowKey={(b) => b.id}
          page={{ limit: PAGE, offset, onOffset: setOffset }}
          columns={[
            {
              header: t("batches.batchTitle"),
              cell: (b) => (
                <Anchor component={Link} to={`/registration-batches/${b.id}`}>
                  {b.title}
                </Anchor>
              ),
            },
            { header: t("common.region"), td: { ff: "monospace" }, cell: (b) => b.region_code },
            { header: t("common.status"), cell: (b) => <BatchBadge status={b.status} /> },
            { header: t("batches.members"), numeric: true, cell: (b) => formatNumber(b.member_count) },
            { header: t("batches.registered"), numeric: true, cell: (b) => formatNumber(b.registered_count) },
            { header: t("batches.createdAt"), cell: (b) => formatDateTime(b.created_at) },
          ]}
        />
      </Card>
      {creating && <CreateBatch onClose={() => setCreating(false)} />}
    </Stack>
  );
}

function CreateBatch({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const [region, setRegion] = useState(me.region?.code ?? "");
  const [title, setTitle] = useState("");
  const [notes, setNotes] = useState("");
  const [picked, setPicked] = useState<string[]>([]);
  const verified = useQuery(verifiedUnbatchedQuery());
  const create = useCreateBatch((b) => navigate(`/registration-batches/${b.id}`));
  const errs = fieldErrors(create.error);
  const shownInline = errs.region_code || errs.title || errs.notes || errs.posyandu_ids;
  return (
    <Modal opened onClose={onClose} title={t("batches.new")} size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ region_code: region, title, notes: notes.trim() || null, posyandu_ids: picked.map(Number) });
        }}
        noValidate
      >
        <Stack>
          {create.error && !shownInline ? <ProblemAlert error={create.error} /> : null}
          <TextInput label={t("batches.batchTitle")} value={title} maxLength={200} onChange={(e) => setTitle(e.currentTarget.value)} error={errs.title} required />
          <TextInput
            label={t("common.regionCode")}
            description={t("batches.regionHelp")}
            value={region}
            maxLength={13}
            onChange={(e) => setRegion(e.currentTarget.value)}
            error={errs.region_code}
            required
          />
          <Textarea label={t("posyandu.notes")} value={notes} maxLength={5000} onChange={(e) => setNotes(e.currentTarget.value)} error={errs.notes} />
          <Checkbox.Group label={t("batches.pickVerified")} value={picked} onChange={setPicked} error={errs.posyandu_ids}>
            <Stack gap={4} mt={4} mah={260} style={{ overflowY: "auto" }}>
              {verified.isPending ? (
                <Loader size="sm" />
              ) : verified.error ? (
                <ProblemAlert error={verified.error} />
              ) : verified.data.items.filter((p) => p.batch_id === null).length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t("batches.noneVerified")}
                </Text>
              ) : (
                verified.data.items
                  .filter((p) => p.batch_id === null)
                  .map((p) => <Checkbox key={p.id} value={String(p.id)} label={`${p.name} — ${p.village_name} (${p.region_code})`} size="sm" />)
              )}
            </Stack>
          </Checkbox.Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t("common.create")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function BatchDetailPage() {
  const { batchId } = useParams();
  const id = Number(batchId);
  const { t } = useTranslation();
  const batch = useQuery({ ...batchQuery(id), retry: false });
  const submit = useSubmitBatch(id);
  if (batch.isPending) return <Loader />;
  if (batch.error) return <ProblemAlert error={batch.error} />;
  const { b, etag } = batch.data;
  const exportUrl = (format: "xlsx" | "csv") => `/api/v1/registration-batches/${b.id}/export?format=${format}`;
  return (
    <Stack>
      <Anchor component={Link} to="/registration-batches" size="sm">
        ← {t("batches.title")}
      </Anchor>
      <Group justify="space-between">
        <Group gap="sm" align="baseline">
          <Title order={2} data-testid="batch-title">
            {b.title}
          </Title>
          <BatchBadge status={b.status} />
        </Group>
        <Group gap="xs">
          <Button component="a" href={exportUrl("xlsx")} download variant="light" leftSection={<IconDownload size={16} />}>
            XLSX
          </Button>
          <Button component="a" href={exportUrl("csv")} download variant="light" leftSection={<IconDownload size={16} />}>
            CSV
          </Button>
          {allows(b, "submit") && (
            <Button onClick={() => submit.mutate(etag)} loading={submit.isPending} disabled={b.member_count === 0}>
              {t("batches.submit")}
            </Button>
          )}
        </Group>
      </Group>
      <Text c="dimmed" size="sm">
        {b.region_code} · {t("batches.counts", { n: formatNumber(b.member_count), r: formatNumber(b.registered_count) })}
        {b.submitted_at ? ` · ${t("batches.submittedAt", { when: formatDateTime(b.submitted_at) })}` : ""}
      </Text>
      <ProblemAlert error={submit.error} />
      <Card withBorder>
        <Table withTableBorder striped data-testid="batch-members">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>ID</Table.Th>
              <Table.Th>{t("posyandu.name")}</Table.Th>
              <Table.Th>{t("common.region")}</Table.Th>
              <Table.Th>{t("posyandu.registration")}</Table.Th>
              <Table.Th>{t("posyandu.number")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {b.members.map((m) => (
              <Table.Tr key={m.id}>
                <Table.Td ff="monospace">{m.id}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/posyandu/${m.id}`}>
                    {m.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{m.village_name}</Table.Td>
                <Table.Td>
                  <StatusBadge status={m.registration_status} />
                </Table.Td>
                <Table.Td ff="monospace">{m.registration_number ?? "—"}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      {allows(b, "import_numbers") && <ImportNumbers batchId={b.id} />}
    </Stack>
  );
}

function ImportNumbers({ batchId }: { batchId: number }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const upload = useImportNumbers(batchId);
  const report = upload.data;
  return (
    <Card withBorder data-testid="import-numbers">
      <Title order={4} mb="xs">
        {t("batches.importTitle")}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t("batches.importHelp")}
      </Text>
      <Group align="flex-end">
        <FileInput
          label={t("batches.file")}
          accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          value={file}
          onChange={(f) => {
            setFile(f);
            upload.reset();
          }}
          w={320}
          clearable
          leftSection={<IconUpload size={14} />}
        />
        <Button variant="light" disabled={!file} loading={upload.isPending} onClick={() => file && upload.mutate({ f: file, dryRun: true })}>
          {t("batches.check")}
        </Button>
        <Button disabled={!file} loading={upload.isPending} onClick={() => file && upload.mutate({ f: file, dryRun: false })}>
          {t("batches.import")}
        </Button>
      </Group>
      <Stack mt="sm">
        <ProblemAlert error={upload.error} />
        {report && (
          <Alert
            color={report.errors.length ? "red" : "teal"}
            title={
              report.errors.length
                ? t("batches.rowErrors", { n: formatNumber(report.errors.length) })
                : report.applied
                  ? t("batches.imported", { n: formatNumber(report.registered) })
                  : t("batches.checkedOk", { n: formatNumber(report.rows) })
            }
            data-testid="import-report"
          >
            {report.errors.length > 0 && (
              <Table fz="sm" withTableBorder>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("batches.row")}</Table.Th>
                    <Table.Th>posyandu_id</Table.Th>
                    <Table.Th>nomor_registrasi</Table.Th>
                    <Table.Th>{t("batches.problem")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {report.errors.map((e, i) => (
                    <Table.Tr key={i} data-testid="row-error">
                      <Table.Td>{e.row}</Table.Td>
                      <Table.Td>{e.posyandu_id ?? "—"}</Table.Td>
                      <Table.Td>{e.registration_number ?? "—"}</Table.Td>
                      <Table.Td>{e.msg}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}

// Registration batches: the road from verified posyandu to a Nomor Registrasi. A coordinator
// groups verified posyandu into a batch, downloads it (XLSX/CSV) for the ministry, submits it,
// and uploads the file the ministry returns with the numbers (checked first, row by row).
import { Alert, Badge, Button, Card, Checkbox, FileInput, Group, Loader, Stack, Text, TextInput, Textarea, Title } from "@mantine/core";
import { IconDownload, IconPlus, IconUpload } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ExportButtons } from "../components/Download";
import { useNavigate } from "react-router";
import { type Schemas } from "../api/client";
import { useMe } from "../auth/auth";
import { DataTable } from "../components/DataTable";
import { FormModal, textOrNull } from "../components/FormModal";
import { BackLink, PageHeader, RecordState, RecordTitle, useRouteId } from "../components/Page";
import { ProblemAlert } from "../components/ProblemAlert";
import { formatDateTime, formatNumber } from "../lib/format";
import { batchListQuery, batchQuery, useCreateBatch, useImportNumbers, useIssueNumbers, useSubmitBatch, verifiedUnbatchedQuery } from "./api";
import { StatusBadge } from "./PosyanduRegistry";
import { useListQuery } from "../api/query";
import { QueryTable } from "../components/QueryTable";
import { useFields } from "../lib/fields";
import { useListParams } from "../lib/listParams";
import { allows } from "../lib/scope";
import { RegionPicker } from "../components/RegionPicker";

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
  const params = useListParams();
  const { t } = useTranslation();
  const me = useMe();
  const [creating, setCreating] = useState(false);
  const list = useListQuery(batchListQuery(params.position, PAGE));
  return (
    <Stack>
      <BackLink to="/posyandu" label={t("posyandu.title")} />
      <PageHeader title={t("batches.title")}>
        <Group gap="xs">
          <ExportButtons path="/api/v1/exports/registration-batches" query={{ sort: "-created_at" }} what={t("batches.title")} />
          {allows(me, "create_batch") && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
              {t("batches.new")}
            </Button>
          )}
        </Group>
      </PageHeader>
      <Text c="dimmed" size="sm">
        {t("batches.help")}
      </Text>
      <Card withBorder>
        <QueryTable
          query={list}
          empty="instead"
          testId="batch-table"
          rowKey={(b) => b.id}
          page={params.page(PAGE)}
          columns={[
            { header: t("batches.batchTitle"), link: (b) => `/registration-batches/${b.id}`, cell: (b) => b.title },
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
  const verified = useQuery(verifiedUnbatchedQuery());
  const create = useCreateBatch((b) => navigate(`/registration-batches/${b.id}`));
  const f = useFields({ region_code: me.region?.code ?? "", title: "", notes: "", posyandu_ids: [] as string[] }, create.error);
  const v = f.values;
  const open = verified.data?.items.filter((p) => p.batch_id === null) ?? [];
  return (
    <FormModal
      title={t("batches.new")}
      size="lg"
      onClose={onClose}
      onSubmit={() => create.mutate({ ...v, notes: textOrNull(v.notes), posyandu_ids: v.posyandu_ids.map(Number) })}
      mutation={create}
      fields={Object.keys(v)}
      submitLabel={t("common.create")}
    >
      <TextInput label={t("batches.batchTitle")} maxLength={200} {...f.text("title")} required />
      <RegionPicker label={t("common.regionCode")} description={t("batches.regionHelp")} {...f.region("region_code")} required />
      <Textarea label={t("posyandu.notes")} maxLength={5000} {...f.text("notes")} />
      <Checkbox.Group label={t("batches.pickVerified")} value={v.posyandu_ids} onChange={(ids) => f.set("posyandu_ids", ids)} error={f.errors.posyandu_ids}>
        <Stack gap={4} mt={4} mah={260} style={{ overflowY: "auto" }}>
          {verified.isPending ? (
            <Loader size="sm" />
          ) : verified.error ? (
            <ProblemAlert error={verified.error} />
          ) : open.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t("batches.noneVerified")}
            </Text>
          ) : (
            open.map((p) => <Checkbox key={p.id} value={String(p.id)} label={`${p.name} — ${p.village_name} (${p.region_code})`} size="sm" />)
          )}
        </Stack>
      </Checkbox.Group>
    </FormModal>
  );
}

export function BatchDetailPage() {
  const { id } = useRouteId("batchId");
  const { t } = useTranslation();
  const batch = useQuery({ ...batchQuery(id), retry: false });
  const submit = useSubmitBatch(id);
  if (!batch.isSuccess) return <RecordState query={batch} />;
  const { data: b, etag } = batch.data;
  const exportUrl = (format: "xlsx" | "csv") => `/api/v1/registration-batches/${b.id}/export?format=${format}`;
  return (
    <Stack>
      <BackLink to="/registration-batches" label={t("batches.title")} />
      <Group justify="space-between">
        <RecordTitle title={b.title} testId="batch-title">
          <BatchBadge status={b.status} />
        </RecordTitle>
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
        <DataTable
          testId="batch-members"
          tableProps={{ withTableBorder: true, striped: true }}
          rows={b.members}
          rowKey={(m) => m.id}
          columns={[
            { header: "ID", td: { ff: "monospace" }, cell: (m) => m.id },
            { header: t("posyandu.name"), link: (m) => `/posyandu/${m.id}`, cell: (m) => m.name },
            { header: t("common.region"), cell: (m) => m.village_name },
            { header: t("posyandu.registration"), cell: (m) => <StatusBadge status={m.registration_status} /> },
            { header: t("posyandu.number"), td: { ff: "monospace" }, cell: (m) => m.registration_number ?? "—" },
          ]}
        />
      </Card>
      {allows(b, "import_numbers") && <ImportNumbers batchId={b.id} />}
      {allows(b, "issue_numbers") && <IssueNumbers batch={b} etag={etag} />}
    </Stack>
  );
}

/** The ministry's form: a number per posyandu still awaiting one, sent together (all or nothing). */
function IssueNumbers({ batch, etag }: { batch: Schemas["BatchDetail"]; etag: string }) {
  const { t } = useTranslation();
  const [numbers, setNumbers] = useState<Record<number, string>>({});
  const issue = useIssueNumbers(batch.id);
  const awaiting = batch.members.filter((m) => m.registration_status === "submitted");
  const filled = awaiting.filter((m) => (numbers[m.id] ?? "").trim()).map((m) => ({ posyandu_id: m.id, registration_number: numbers[m.id].trim() }));
  return (
    <Card withBorder data-testid="issue-numbers">
      <Title order={4} mb="xs">
        {t("batches.issueTitle")}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t("batches.issueHelp")}
      </Text>
      <Stack gap="xs">
        {awaiting.map((m) => (
          <TextInput
            key={m.id}
            label={`${m.name} — ${m.village_name} (${m.region_code})`}
            value={numbers[m.id] ?? ""}
            maxLength={64}
            onChange={(e) => setNumbers({ ...numbers, [m.id]: e.currentTarget.value })}
            w={420}
          />
        ))}
        <Group>
          <Button disabled={filled.length === 0} loading={issue.isPending} onClick={() => issue.mutate({ etag, numbers: filled }, { onSuccess: () => setNumbers({}) })}>
            {t("batches.issue")}
          </Button>
        </Group>
        <ProblemAlert error={issue.error} />
      </Stack>
    </Card>
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
              <DataTable
                tableProps={{ fz: "sm", withTableBorder: true }}
                rows={report.errors}
                rowKey={(_e, i) => i}
                rowTestId="row-error"
                columns={[
                  { header: t("batches.row"), cell: (e) => e.row },
                  { header: "posyandu_id", cell: (e) => e.posyandu_id ?? "—" },
                  { header: "nomor_registrasi", cell: (e) => e.registration_number ?? "—" },
                  { header: t("batches.problem"), cell: (e) => e.msg },
                ]}
              />
            )}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}

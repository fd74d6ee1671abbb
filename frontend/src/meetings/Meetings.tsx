// Coordination meetings (rakor): the list with filters, each meeting's record (agenda, goals,
// legal basis, speakers, funding, minutes, attachments) with its follow-ups, and the follow-ups
// across meetings (filters status / overdue; the region summary links here).
import { ActionIcon, Anchor, Badge, Button, Card, FileInput, Group, List, Loader, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { IconDownload, IconSearch, IconTrash, IconUpload } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ExportButtons } from "../components/Download";
import { Link, useNavigate } from "react-router";
import { type Schemas } from "../api/client";
import { useMe } from "../auth/auth";
import { FactsTable, type Columns } from "../components/DataTable";
import { ParamDate, ParamSelect, RegionParam, SearchParam } from "../components/Filters";
import { FormModal, textOrNull } from "../components/FormModal";
import { DateField } from "../components/DateField";
import { BackLink, ForwardLink, PageHeader, RecordState, RecordTitle, Section, useRouteId } from "../components/Page";
import { ProblemAlert } from "../components/ProblemAlert";
import { ProvenanceBadge, ProvenanceSource } from "../components/Provenance";
import { useListQuery } from "../api/query";
import { QueryTable, loaded, type ListQuery, type Page } from "../components/QueryTable";
import { useFields } from "../lib/fields";
import { formatDate, formatDateAt, formatDateTime, formatNumber, todayIso } from "../lib/format";
import { regionFilterOk, useDebouncedParam, useListParams } from "../lib/listParams";
import { allows } from "../lib/scope";
import { attachmentsQuery, followUpListQuery, meetingListQuery, meetingQuery, useCreateFollowUp, useDeleteAttachment, useDeleteMeeting, useUpdateFollowUp, useUploadAttachment } from "./api";
import { MeetingEditModal } from "./MeetingForm";
import { ConfirmButton } from "../components/Confirm";
import { fieldErrors } from "../api/problems";

type FollowUp = Schemas["FollowUpRead"];
type FollowUpStatus = Schemas["FollowUpStatus"];
const STATUSES: FollowUpStatus[] = ["open", "in_progress", "done", "cancelled"];
const STATUS_COLORS: Record<FollowUpStatus, string> = { open: "blue", in_progress: "yellow", done: "teal", cancelled: "gray" };
const PAGE = 25;

export function FollowUpBadges({ f }: { f: FollowUp }) {
  const { t } = useTranslation();
  return (
    <Group gap={4}>
      <Badge size="sm" variant="light" color={STATUS_COLORS[f.status]} style={{ flexShrink: 0 }}>
        {t(`followUps.status.${f.status}`)}
      </Badge>
      {f.overdue && (
        <Badge size="sm" color="red" data-testid="overdue" style={{ flexShrink: 0 }}>
          {t("followUps.overdue")}
        </Badge>
      )}
      <ProvenanceBadge provenance={f.provenance} />
    </Group>
  );
}

export function MeetingsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const params = useListParams();
  const q = useDebouncedParam(params, "q");
  const region = useDebouncedParam(params, "region");
  const regionOk = regionFilterOk(region);
  const query = { region: region || undefined, held_from: params.get("from") || undefined, held_to: params.get("to") || undefined, q: q || undefined };
  const list = useListQuery({ ...meetingListQuery(query, params.position, PAGE), enabled: regionOk });
  return (
    <Stack>
      <PageHeader title={t("meetings.title")} align="baseline">
        <Group gap="md">
          <ExportButtons path="/api/v1/exports/meetings" query={{ ...query, sort: "-held_on" }} what={t("meetings.title")} />
          <ForwardLink to="/follow-ups" label={t("followUps.title")} />
          {allows(me, "create_meeting") && (
            <Button component={Link} to="/meetings/new" size="xs">
              {t("meetings.new")}
            </Button>
          )}
        </Group>
      </PageHeader>
      <Group align="flex-end" wrap="wrap">
        <SearchParam params={params} w={300} leftSection={<IconSearch size={16} />} placeholder={t("meetings.search")} />
        <RegionParam params={params} label={t("meetings.region")} error={regionOk ? undefined : t("budgets.invalidRegion")} />
        <ParamDate params={params} param="from" label={t("meetings.from")} />
        <ParamDate params={params} param="to" label={t("meetings.to")} />
      </Group>
      <Card withBorder>
        <QueryTable
          query={list}
          empty="instead"
          testId="meeting-table"
          tableProps={{ highlightOnHover: true, withTableBorder: true }}
          rowKey={(m) => m.id}
          page={params.page(PAGE)}
          columns={[
            { header: t("meetings.heldOn"), td: { style: { whiteSpace: "nowrap" } }, cell: (m) => formatDateAt(m.held_on, m.held_on_precision) },
            { header: t("meetings.meeting"), link: (m) => `/meetings/${m.id}`, cell: (m) => m.title },
            {
              header: t("common.region"),
              cell: (m) => (
                <Group gap={6} wrap="nowrap">
                  {m.region_name ?? m.region_code ?? t("app.national")}
                  <ProvenanceBadge provenance={m.provenance} />
                </Group>
              ),
            },
            { header: t("meetings.venue"), cell: (m) => m.venue ?? "—" },
            { header: t("meetings.participants"), numeric: true, cell: (m) => formatNumber(m.participant_count) },
            {
              header: t("meetings.followUps"),
              cell: (m) => (
                <Group gap={4}>
                  {m.follow_ups.open > 0 && (
                    <Badge size="sm" variant="light">
                      {t("meetings.openCount", { n: m.follow_ups.open })}
                    </Badge>
                  )}
                  {m.follow_ups.overdue > 0 && (
                    <Badge size="sm" color="red">
                      {t("meetings.overdueCount", { n: m.follow_ups.overdue })}
                    </Badge>
                  )}
                </Group>
              ),
            },
          ]}
        />
      </Card>
    </Stack>
  );
}

function Items({ items }: { items: string[] }) {
  return items.length === 0 ? (
    <>—</>
  ) : (
    <List size="sm">
      {items.map((i, n) => (
        <List.Item key={n}>{i}</List.Item>
      ))}
    </List>
  );
}

export function MeetingDetailPage() {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState(false);
  const [uploading, setUploading] = useState(false);
  const navigate = useNavigate();
  const { id, valid } = useRouteId("meetingId");
  const remove = useDeleteMeeting(id, () => navigate("/meetings"));
  const removeFile = useDeleteAttachment(id);
  const meeting = useQuery({ ...meetingQuery(id), enabled: valid, retry: false });
  const attachments = useQuery({
    ...attachmentsQuery(id),
    enabled: meeting.isSuccess && meeting.data.attachment_count > 0,
  });
  if (!meeting.isSuccess) return <RecordState query={meeting} valid={valid} back={{ to: "/meetings", label: t("meetings.title") }} />;
  const m = meeting.data;
  return (
    <Stack>
      <BackLink to="/meetings" label={t("meetings.title")} />
      <RecordTitle title={m.title} testId="meeting-title">
        <Badge variant="light">{t(`levels.${m.level}`)}</Badge>
        <ProvenanceBadge provenance={m.provenance} />
      </RecordTitle>
      {(allows(m, "update") || allows(m, "delete")) && (
        <Group gap="xs">
          {allows(m, "update") && (
            <Button size="xs" onClick={() => setEditing(true)}>
              {t("meetings.edit")}
            </Button>
          )}
          {allows(m, "delete") && (
            <ConfirmButton color="red" label={t("meetings.delete")} question={t("meetings.deleteQuestion", { title: m.title })} onConfirm={() => remove.mutateAsync().catch(() => {})} />
          )}
        </Group>
      )}
      {remove.error ? <ProblemAlert error={remove.error} /> : null}
      {editing && <MeetingEditModal key={m.version} meeting={m} onClose={() => setEditing(false)} />}
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Card withBorder>
          <FactsTable
            testId="meeting-facts"
            facts={[
              { label: t("meetings.heldOn"), value: formatDateAt(m.held_on, m.held_on_precision) },
              {
                label: t("common.region"),
                value:
                  m.region_code === null ? (
                    t("app.national")
                  ) : (
                    <Anchor component={Link} to={`/regions/${m.region_code}`}>
                      {m.region_name ?? m.region_code}
                    </Anchor>
                  ),
              },
              ...(m.attendance.length
                ? [
                    {
                      label: t("meetings.attendance"),
                      value: (
                        <Items
                          items={m.attendance.map((a) =>
                            a.participant_count === null ? a.region_name : `${a.region_name} (${t("meetings.participantCount", { n: formatNumber(a.participant_count) })})`,
                          )}
                        />
                      ),
                    },
                  ]
                : []),
              { label: t("meetings.venue"), value: m.venue ?? "—" },
              { label: t("meetings.organizer"), value: m.organizer ?? "—" },
              { label: t("meetings.participants"), value: m.participant_count === null ? "—" : t("meetings.participantCount", { n: formatNumber(m.participant_count) }) },
              { label: t("meetings.institutions"), value: <Items items={m.institutions} /> },
              { label: t("meetings.funding"), value: m.funding_source ? `${t(`budgets.sources.${m.funding_source}`)}${m.funding_year ? ` ${m.funding_year}` : ""}` : "—" },
              m.provenance && { label: t("provenance.source"), value: <ProvenanceSource provenance={m.provenance} /> },
            ]}
          />
        </Card>
        <Card withBorder>
          <FactsTable
            facts={[
              { label: t("meetings.agenda"), value: <Items items={m.agenda} /> },
              { label: t("meetings.goals"), value: <Items items={m.goals} /> },
              { label: t("meetings.legalBasis"), value: <Items items={m.legal_basis.map((l) => `${l.citation} — ${l.title}`)} /> },
              { label: t("meetings.speakers"), value: <Items items={m.speakers.map((s) => (s.topic ? `${s.name_or_office}: ${s.topic}` : s.name_or_office))} /> },
            ]}
          />
        </Card>
      </SimpleGrid>
      <Section
        data-testid="follow-ups"
        title={t("meetings.followUps")}
        actions={
          allows(m, "add_follow_up") && (
            <Button size="xs" onClick={() => setAdding(true)}>
              {t("followUps.add")}
            </Button>
          )
        }
      >
        {adding && <FollowUpCreateForm meetingId={m.id} onClose={() => setAdding(false)} />}
        <FollowUpTable query={loaded(m.follow_up_items)} withMeeting={false} />
      </Section>
      {m.minutes && (
        <Section data-testid="minutes" title={t("meetings.minutes")}>
          <Text style={{ whiteSpace: "pre-wrap" }}>{m.minutes}</Text>
        </Section>
      )}
      <Section
        data-testid="attachments"
        title={t("meetings.attachments")}
        actions={
          allows(m, "add_attachment") && (
            <Button size="xs" leftSection={<IconUpload size={14} />} onClick={() => setUploading(true)}>
              {t("meetings.upload")}
            </Button>
          )
        }
      >
        {removeFile.error ? <ProblemAlert error={removeFile.error} /> : null}
        {m.attachment_count === 0 ? (
          <Text c="dimmed">{t("common.empty")}</Text>
        ) : attachments.error ? (
          <ProblemAlert error={attachments.error} />
        ) : !attachments.data ? (
          <Loader size="sm" />
        ) : (
          <List size="sm" listStyleType="none">
            {attachments.data.map((a) => (
              <List.Item key={a.id}>
                <Group gap={6} wrap="nowrap">
                  <Anchor href={`/api/v1/meetings/${m.id}/attachments/${a.id}`} download={a.filename}>
                    <Group gap={4} wrap="nowrap">
                      <IconDownload size={14} />
                      {a.filename}
                    </Group>
                  </Anchor>
                  <Text span size="xs" c="dimmed">
                    {formatNumber(Math.ceil(a.size / 1024))} KB · {formatDateTime(a.uploaded_at)}
                  </Text>
                  {/* an attachment is removed by whoever may attach to the meeting */}
                  {allows(m, "add_attachment") && (
                    <ActionIcon variant="subtle" color="red" size="sm" aria-label={t("meetings.deleteAttachment", { name: a.filename })} loading={removeFile.isPending && removeFile.variables === a.id} onClick={() => removeFile.mutate(a.id)}>
                      <IconTrash size={14} />
                    </ActionIcon>
                  )}
                </Group>
              </List.Item>
            ))}
          </List>
        )}
        {uploading && <AttachmentUploadModal meetingId={m.id} onClose={() => setUploading(false)} />}
      </Section>
    </Stack>
  );
}

/** Attach a file to a meeting: a PDF, PNG or JPEG (the API checks its content and size). */
function AttachmentUploadModal({ meetingId, onClose }: { meetingId: number; onClose: () => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [missing, setMissing] = useState(false);
  const upload = useUploadAttachment(meetingId, onClose);
  const errs = fieldErrors(upload.error);
  return (
    <FormModal title={t("meetings.upload")} onClose={onClose} onSubmit={() => (file ? upload.mutate(file) : setMissing(true))} mutation={upload} fields={["file"]}>
      <FileInput
        label={t("meetings.file")}
        description={t("meetings.fileHelp")}
        accept="application/pdf,.pdf,image/png,.png,image/jpeg,.jpg,.jpeg"
        value={file}
        onChange={(f) => {
          setFile(f);
          setMissing(false);
          upload.reset();
        }}
        error={errs.file ?? (missing ? t("meetings.pickFile") : undefined)}
        clearable
        required
        leftSection={<IconUpload size={14} />}
        data-testid="attachment-input"
      />
    </FormModal>
  );
}

/** Follow-ups (a meeting's, or a page across meetings) with the status change where the API allows it. */
function FollowUpTable({ query, withMeeting, page }: { query: ListQuery<FollowUp>; withMeeting: boolean; page?: Page }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<FollowUp | null>(null);
  // the status column's button shows on the rows the API lets this user change
  const rows = Array.isArray(query.data) ? query.data : (query.data?.items ?? []);
  const editable = rows.some((f) => allows(f, "update"));
  const columns: Columns<FollowUp> = [
    {
      header: t("followUps.action"),
      cell: (f) => (
        <>
          {f.action}
          {f.notes && (
            <Text size="xs" c="dimmed">
              {f.notes}
            </Text>
          )}
        </>
      ),
    },
    withMeeting && {
      header: t("meetings.meeting"),
      cell: (f) => (
        <>
          <Anchor component={Link} to={`/meetings/${f.meeting_id}`} size="sm">
            {f.meeting_title}
          </Anchor>
          <Text size="xs" c="dimmed">
            {formatDate(f.meeting_held_on)}
          </Text>
        </>
      ),
    },
    { header: t("followUps.owner"), cell: (f) => f.owner ?? "—" },
    { header: t("followUps.dueOn"), td: { style: { whiteSpace: "nowrap" } }, cell: (f) => formatDate(f.due_on) },
    {
      header: t("common.status"),
      td: { miw: 150 },
      cell: (f) => (
        <>
          <FollowUpBadges f={f} />
          {f.done_on && (
            <Text size="xs" c="dimmed">
              {formatDate(f.done_on)}
            </Text>
          )}
        </>
      ),
    },
    editable && {
      cell: (f) =>
        allows(f, "update") && (
          <Button size="compact-xs" variant="light" onClick={() => setEditing(f)}>
            {t("followUps.editStatus")}
          </Button>
        ),
    },
  ];
  return (
    <>
      <QueryTable query={query} empty="instead" page={page} testId="follow-up-table" rowKey={(f) => f.id} columns={columns} />
      {editing && <FollowUpStatusForm key={`${editing.id}-${editing.version}`} f={editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function FollowUpCreateForm({ meetingId, onClose }: { meetingId: number; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useCreateFollowUp(meetingId, onClose);
  const f = useFields({ action: "", owner: "", due_on: "" }, save.error);
  const { action, owner, due_on } = f.values;
  return (
    <FormModal
      title={t("followUps.add")}
      size="lg"
      onClose={onClose}
      onSubmit={() => save.mutate({ action: action.trim(), owner: textOrNull(owner), due_on: due_on || null, status: "open" })}
      mutation={save}
      fields={["action", "owner", "due_on"]}
    >
      <Textarea label={t("followUps.action")} maxLength={5000} {...f.text("action")} required autosize minRows={2} data-autofocus />
      <TextInput label={t("followUps.owner")} maxLength={200} {...f.text("owner")} />
      <DateField label={t("followUps.dueOn")} {...f.date("due_on")} />
    </FormModal>
  );
}

function FollowUpStatusForm({ f: followUp, onClose }: { f: FollowUp; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useUpdateFollowUp(followUp, onClose);
  const f = useFields({ status: followUp.status as string | null, done_on: followUp.done_on ?? "", notes: followUp.notes ?? "" }, save.error);
  const { status, done_on, notes } = f.values;
  const labels = { status: t("common.status"), done_on: t("followUps.doneOn"), notes: t("followUps.notes"), owner: t("followUps.owner"), due_on: t("followUps.dueOn"), action: t("followUps.action"), overdue: t("followUps.overdue") };
  return (
    <FormModal
      title={t("followUps.editStatus")}
      onClose={onClose}
      onSubmit={() => save.mutate({ status: status as FollowUpStatus, done_on: status === "done" ? done_on || todayIso() : null, notes: textOrNull(notes) })}
      mutation={save}
      fields={["status", "done_on", "notes"]}
      stale={{ loaded: followUp, labels, queryKey: ["meetings", "follow-ups"] }}
      intro={<Text size="sm">{followUp.action}</Text>}
    >
      <Select label={t("common.status")} data={STATUSES.map((s) => ({ value: s, label: t(`followUps.status.${s}`) }))} {...f.choice("status")} allowDeselect={false} data-autofocus />
      {status === "done" && <DateField label={t("followUps.doneOn")} {...f.date("done_on")} />}
      <Textarea label={t("followUps.notes")} maxLength={5000} {...f.text("notes")} autosize minRows={2} />
    </FormModal>
  );
}

export function FollowUpsPage() {
  const { t } = useTranslation();
  const params = useListParams();
  const region = params.get("region");
  const status = (STATUSES as string[]).includes(params.get("status")) ? (params.get("status") as FollowUpStatus) : null;
  const overdue = params.get("overdue") === "true" ? "true" : params.get("overdue") === "false" ? "false" : null;
  const regionOk = regionFilterOk(region);
  const query = { region: region || undefined, status: status ?? undefined, overdue: overdue === null ? undefined : overdue === "true" };
  const list = useListQuery({ ...followUpListQuery(query, params.offset, PAGE), enabled: regionOk });
  return (
    <Stack>
      <PageHeader title={t("followUps.title")} align="baseline">
        <Group gap="md">
          <ExportButtons path="/api/v1/exports/follow-ups" query={{ ...query, sort: "due_on" }} what={t("followUps.title")} />
          <ForwardLink to="/meetings" label={t("meetings.title")} />
        </Group>
      </PageHeader>
      <Group align="flex-end" wrap="wrap">
        <RegionParam params={params} label={t("meetings.region")} error={regionOk ? undefined : t("budgets.invalidRegion")} />
        <ParamSelect params={params} param="status" w={200} label={t("common.status")} data={STATUSES.map((s) => ({ value: s, label: t(`followUps.status.${s}`) }))} />
        <ParamSelect
          params={params}
          param="overdue"
          w={220}
          label={t("followUps.overdueFilter")}
          data={[
            { value: "true", label: t("followUps.onlyOverdue") },
            { value: "false", label: t("followUps.notOverdue") },
          ]}
        />
      </Group>
      <Card withBorder>
        <FollowUpTable query={list} page={params.page(PAGE)} withMeeting />
      </Card>
    </Stack>
  );
}

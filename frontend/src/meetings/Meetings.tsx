// Coordination meetings (rakor): the list with filters, each meeting's record (agenda, goals,
// legal basis, speakers, funding, minutes, attachments) with its follow-ups, and the follow-ups
// across meetings (filters status / overdue; the region summary links here).
import { Anchor, Badge, Button, Card, Group, List, Loader, Modal, Select, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconDownload, IconSearch } from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams, useSearchParams } from "react-router";
import { type Schemas } from "../api/client";
import { ApiError, fieldErrors } from "../api/problems";
import { useMe } from "../auth/auth";
import { FormModal } from "../components/FormModal";
import { Pager } from "../components/Pager";
import { ProblemAlert } from "../components/ProblemAlert";
import { StaleDiff } from "../components/StaleDiff";
import { formatDate, formatDateTime, formatNumber, todayIso } from "../lib/format";
import { REGION_CODE, allows } from "../lib/scope";
import { attachmentsQuery, followUpListQuery, meetingListQuery, meetingQuery, useCreateFollowUp, useRefreshFollowUps, useUpdateFollowUp } from "./api";
import { QueryTable } from "../components/QueryTable";
import { useListParams } from "../lib/listParams";

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
    </Group>
  );
}

export function MeetingsPage() {
  const { get: getParam, set: setParam, offset, setOffset } = useListParams();
  const { t } = useTranslation();
  const me = useMe();
  const region = getParam("region");
  const setRegion = (v: string) => setParam("region", v);
  const from = getParam("from");
  const setFrom = (v: string) => setParam("from", v);
  const to = getParam("to");
  const setTo = (v: string) => setParam("to", v);
  const q = getParam("q");
  const setQ = (v: string) => setParam("q", v);
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const [debouncedRegion] = useDebouncedValue(region.trim(), 300);
  const regionOk = debouncedRegion === "" || REGION_CODE.test(debouncedRegion);
  const query = { region: debouncedRegion || undefined, held_from: from || undefined, held_to: to || undefined, q: debouncedQ || undefined };
  const list = useQuery({
    ...meetingListQuery(query, offset, PAGE),
    enabled: regionOk,
    placeholderData: keepPreviousData,
  });
  const on = (set: (v: string) => void) => (e: React.ChangeEvent<HTMLInputElement>) => set(e.currentTarget.value);
  return (
    <Stack>
      <Group justify="space-between" align="baseline">
        <Title order={2}>{t("meetings.title")}</Title>
        <Group gap="md">
          <Anchor component={Link} to="/follow-ups" size="sm">
            {t("followUps.title")} →
          </Anchor>
          {allows(me, "create_meeting") && (
            <Button component={Link} to="/meetings/new" size="xs">
              {t("meetings.new")}
            </Button>
          )}
        </Group>
      </Group>
      <Group align="flex-end" wrap="wrap">
        <TextInput w={300} leftSection={<IconSearch size={16} />} label={t("common.search")} placeholder={t("meetings.search")} value={q} maxLength={100} onChange={on(setQ)} />
        <TextInput w={160} label={t("meetings.region")} value={region} maxLength={13} onChange={on(setRegion)} error={regionOk ? undefined : t("budgets.invalidRegion")} />
        <TextInput type="date" label={t("meetings.from")} value={from} onChange={on(setFrom)} />
        <TextInput type="date" label={t("meetings.to")} value={to} onChange={on(setTo)} />
      </Group>
      <Card withBorder>
        <QueryTable
          query={list}
          empty="instead"
          testId="meeting-table"
          tableProps={{ highlightOnHover: true, withTableBorder: true }}
          rowKey={(m) => m.id}
          page={{ limit: PAGE, offset, onOffset: setOffset }}
          columns={[
            { header: t("meetings.heldOn"), td: { style: { whiteSpace: "nowrap" } }, cell: (m) => formatDate(m.held_on) },
            {
              header: t("meetings.meeting"),
              cell: (m) => (
                <Anchor component={Link} to={`/meetings/${m.id}`}>
                  {m.title}
                </Anchor>
              ),
            },
            { header: t("common.region"), cell: (m) => m.region_name ?? m.region_code },
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

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={180}>{label}</Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
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
  const { meetingId } = useParams();
  const id = Number(meetingId);
  const valid = Number.isInteger(id) && id > 0;
  const meeting = useQuery({
    ...meetingQuery(id),
    enabled: valid,
    retry: false,
  });
  const attachments = useQuery({
    ...attachmentsQuery(id),
    enabled: meeting.isSuccess && meeting.data.attachment_count > 0,
  });
  if (!valid) return <ProblemAlert error={new Error(t("problems.notFound"))} />;
  if (meeting.isPending) return <Loader />;
  if (meeting.error)
    return (
      <Stack>
        <ProblemAlert error={meeting.error} />
        <Anchor component={Link} to="/meetings">
          ← {t("meetings.title")}
        </Anchor>
      </Stack>
    );
  const m = meeting.data;
  return (
    <Stack>
      <Anchor component={Link} to="/meetings" size="sm">
        ← {t("meetings.title")}
      </Anchor>
      <Group gap="sm" align="baseline">
        <Title order={2} data-testid="meeting-title">
          {m.title}
        </Title>
        <Badge variant="light">{t(`levels.${m.level}`)}</Badge>
      </Group>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Card withBorder>
          <Table variant="vertical" withTableBorder data-testid="meeting-facts">
            <Table.Tbody>
              <Row label={t("meetings.heldOn")}>{formatDate(m.held_on)}</Row>
              <Row label={t("common.region")}>
                <Anchor component={Link} to={`/regions/${m.region_code}`}>
                  {m.region_name ?? m.region_code}
                </Anchor>
              </Row>
              <Row label={t("meetings.venue")}>{m.venue ?? "—"}</Row>
              <Row label={t("meetings.organizer")}>{m.organizer ?? "—"}</Row>
              <Row label={t("meetings.participants")}>{m.participant_count === null ? "—" : t("meetings.participantCount", { n: formatNumber(m.participant_count) })}</Row>
              <Row label={t("meetings.institutions")}>
                <Items items={m.institutions} />
              </Row>
              <Row label={t("meetings.funding")}>{m.funding_source ? `${t(`budgets.sources.${m.funding_source}`)}${m.funding_year ? ` ${m.funding_year}` : ""}` : "—"}</Row>
            </Table.Tbody>
          </Table>
        </Card>
        <Card withBorder>
          <Table variant="vertical" withTableBorder>
            <Table.Tbody>
              <Row label={t("meetings.agenda")}>
                <Items items={m.agenda} />
              </Row>
              <Row label={t("meetings.goals")}>
                <Items items={m.goals} />
              </Row>
              <Row label={t("meetings.legalBasis")}>
                <Items items={m.legal_basis.map((l) => `${l.citation} — ${l.title}`)} />
              </Row>
              <Row label={t("meetings.speakers")}>
                <Items items={m.speakers.map((s) => (s.topic ? `${s.name_or_office}: ${s.topic}` : s.name_or_office))} />
              </Row>
            </Table.Tbody>
          </Table>
        </Card>
      </SimpleGrid>
      <Card withBorder data-testid="follow-ups">
        <Group justify="space-between" mb="sm">
          <Title order={4}>{t("meetings.followUps")}</Title>
          {allows(m, "add_follow_up") && (
            <Button size="xs" onClick={() => setAdding(true)}>
              {t("followUps.add")}
            </Button>
          )}
        </Group>
        {adding && <FollowUpCreateForm meetingId={m.id} onClose={() => setAdding(false)} />}
        {m.follow_up_items.length === 0 ? <Text c="dimmed">{t("common.empty")}</Text> : <FollowUpTable items={m.follow_up_items} withMeeting={false} />}
      </Card>
      {m.minutes && (
        <Card withBorder data-testid="minutes">
          <Title order={4} mb="sm">
            {t("meetings.minutes")}
          </Title>
          <Text style={{ whiteSpace: "pre-wrap" }}>{m.minutes}</Text>
        </Card>
      )}
      <Card withBorder data-testid="attachments">
        <Title order={4} mb="sm">
          {t("meetings.attachments")}
        </Title>
        {m.attachment_count === 0 ? (
          <Text c="dimmed">{t("common.empty")}</Text>
        ) : attachments.error ? (
          <ProblemAlert error={attachments.error} />
        ) : !attachments.data ? (
          <Loader size="sm" />
        ) : (
          <List size="sm">
            {attachments.data.map((a) => (
              <List.Item key={a.id}>
                <Anchor href={`/api/v1/meetings/${m.id}/attachments/${a.id}`} download={a.filename}>
                  <Group gap={4} wrap="nowrap">
                    <IconDownload size={14} />
                    {a.filename}
                  </Group>
                </Anchor>
                <Text span size="xs" c="dimmed">
                  {" "}
                  {formatNumber(Math.ceil(a.size / 1024))} KB · {formatDateTime(a.uploaded_at)}
                </Text>
              </List.Item>
            ))}
          </List>
        )}
      </Card>
    </Stack>
  );
}

function FollowUpTable({ items, withMeeting }: { items: FollowUp[]; withMeeting: boolean }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<FollowUp | null>(null);
  const editable = items.some((f) => allows(f, "update"));
  return (
    <>
      <Table withTableBorder striped data-testid="follow-up-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("followUps.action")}</Table.Th>
            {withMeeting && <Table.Th>{t("meetings.meeting")}</Table.Th>}
            <Table.Th>{t("followUps.owner")}</Table.Th>
            <Table.Th>{t("followUps.dueOn")}</Table.Th>
            <Table.Th>{t("common.status")}</Table.Th>
            {editable && <Table.Th />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((f) => (
            <Table.Tr key={f.id}>
              <Table.Td>
                {f.action}
                {f.notes && (
                  <Text size="xs" c="dimmed">
                    {f.notes}
                  </Text>
                )}
              </Table.Td>
              {withMeeting && (
                <Table.Td>
                  <Anchor component={Link} to={`/meetings/${f.meeting_id}`} size="sm">
                    {f.meeting_title}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {formatDate(f.meeting_held_on)}
                  </Text>
                </Table.Td>
              )}
              <Table.Td>{f.owner ?? "—"}</Table.Td>
              <Table.Td style={{ whiteSpace: "nowrap" }}>{formatDate(f.due_on)}</Table.Td>
              <Table.Td miw={150}>
                <FollowUpBadges f={f} />
                {f.done_on && (
                  <Text size="xs" c="dimmed">
                    {formatDate(f.done_on)}
                  </Text>
                )}
              </Table.Td>
              {editable && (
                <Table.Td>
                  {allows(f, "update") && (
                    <Button size="compact-xs" variant="light" onClick={() => setEditing(f)}>
                      {t("followUps.editStatus")}
                    </Button>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {editing && <FollowUpStatusForm key={`${editing.id}-${editing.version}`} f={editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function FollowUpCreateForm({ meetingId, onClose }: { meetingId: number; onClose: () => void }) {
  const { t } = useTranslation();
  const [action, setAction] = useState("");
  const [owner, setOwner] = useState("");
  const [due, setDue] = useState("");
  const save = useCreateFollowUp(meetingId, onClose);
  const errs = fieldErrors(save.error);
  return (
    <FormModal
      title={t("followUps.add")}
      size="lg"
      onClose={onClose}
      onSubmit={() => save.mutate({ action: action.trim(), owner: owner.trim() || null, due_on: due || null, status: "open" })}
      saving={save.isPending}
      error={save.error}
      fields={["action", "owner", "due_on"]}
    >
      <Textarea label={t("followUps.action")} value={action} maxLength={5000} onChange={(e) => setAction(e.currentTarget.value)} error={errs.action} required autosize minRows={2} data-autofocus />
      <TextInput label={t("followUps.owner")} value={owner} maxLength={200} onChange={(e) => setOwner(e.currentTarget.value)} error={errs.owner} />
      <TextInput type="date" label={t("followUps.dueOn")} value={due} onChange={(e) => setDue(e.currentTarget.value)} error={errs.due_on} />
    </FormModal>
  );
}

function FollowUpStatusForm({ f, onClose }: { f: FollowUp; onClose: () => void }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<FollowUpStatus>(f.status);
  const [doneOn, setDoneOn] = useState(f.done_on ?? "");
  const [notes, setNotes] = useState(f.notes ?? "");
  const save = useUpdateFollowUp(f, onClose);
  const refresh = useRefreshFollowUps();
  const errs = fieldErrors(save.error);
  const stale = save.error instanceof ApiError && save.error.status === 412;
  return (
    <Modal opened onClose={onClose} title={t("followUps.editStatus")}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ status, done_on: status === "done" ? doneOn || todayIso() : null, notes: notes.trim() || null });
        }}
        noValidate
      >
        <Stack>
          <Text size="sm">{f.action}</Text>
          {stale ? (
            <StaleDiff
              error={save.error as ApiError}
              loaded={f as unknown as Record<string, unknown>}
              labels={{ status: t("common.status"), done_on: t("followUps.doneOn"), notes: t("followUps.notes"), owner: t("followUps.owner"), due_on: t("followUps.dueOn"), action: t("followUps.action"), overdue: t("followUps.overdue") }}
              onReload={async () => {
                await refresh();
                onClose();
              }}
            />
          ) : save.error && !(errs.status || errs.done_on || errs.notes) ? (
            <ProblemAlert error={save.error} />
          ) : null}
          <Select label={t("common.status")} data={STATUSES.map((s) => ({ value: s, label: t(`followUps.status.${s}`) }))} value={status} onChange={(v) => v && setStatus(v as FollowUpStatus)} allowDeselect={false} error={errs.status} data-autofocus />
          {status === "done" && <TextInput type="date" label={t("followUps.doneOn")} value={doneOn} onChange={(e) => setDoneOn(e.currentTarget.value)} error={errs.done_on} />}
          <Textarea label={t("followUps.notes")} value={notes} maxLength={5000} onChange={(e) => setNotes(e.currentTarget.value)} error={errs.notes} autosize minRows={2} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t("common.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function FollowUpsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const region = params.get("region") ?? "";
  const status = (STATUSES as string[]).includes(params.get("status") ?? "") ? (params.get("status") as FollowUpStatus) : null;
  const overdue = params.get("overdue") === "true" ? "true" : params.get("overdue") === "false" ? "false" : null;
  const [offset, setOffset] = useState(0);
  const regionOk = region === "" || REGION_CODE.test(region);
  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    setOffset(0);
  };
  const query = { region: region || undefined, status: status ?? undefined, overdue: overdue === null ? undefined : overdue === "true" };
  const list = useQuery({
    ...followUpListQuery(query, offset, PAGE),
    enabled: regionOk,
    placeholderData: keepPreviousData,
  });
  return (
    <Stack>
      <Group justify="space-between" align="baseline">
        <Title order={2}>{t("followUps.title")}</Title>
        <Anchor component={Link} to="/meetings" size="sm">
          {t("meetings.title")} →
        </Anchor>
      </Group>
      <Group align="flex-end" wrap="wrap">
        <TextInput w={160} label={t("meetings.region")} value={region} maxLength={13} onChange={(e) => set("region", e.currentTarget.value.trim())} error={regionOk ? undefined : t("budgets.invalidRegion")} />
        <Select
          w={200}
          label={t("common.status")}
          placeholder={t("common.all")}
          data={STATUSES.map((s) => ({ value: s, label: t(`followUps.status.${s}`) }))}
          value={status}
          onChange={(v) => set("status", v)}
          clearable
        />
        <Select
          w={220}
          label={t("followUps.overdueFilter")}
          placeholder={t("common.all")}
          data={[
            { value: "true", label: t("followUps.onlyOverdue") },
            { value: "false", label: t("followUps.notOverdue") },
          ]}
          value={overdue}
          onChange={(v) => set("overdue", v)}
          clearable
        />
      </Group>
      <Card withBorder>
        {list.isPending ? (
          <Loader size="sm" />
        ) : list.error ? (
          <ProblemAlert error={list.error} />
        ) : list.data.items.length === 0 ? (
          <Text c="dimmed">{t("common.empty")}</Text>
        ) : (
          <>
            <FollowUpTable items={list.data.items} withMeeting />
            <Pager total={list.data.total} limit={PAGE} offset={offset} onOffset={setOffset} />
          </>
        )}
      </Card>
    </Stack>
  );
}

// One posyandu's report of one month: the questions of each SPM field (from GET
// /activity-reports/fields for a new report, the report's own `questions` afterwards) as number
// inputs in one column (a phone's width), the target groups reached, days open, kader present and
// notes. Saved as a draft, then submitted, accepted or returned with a reason: the buttons are
// exactly the record's `allowed_actions`. A save or submission that cannot reach the server is kept
// on the device and sent when the connection returns (offline/): the form then says so.
import { Alert, Anchor, Button, Card, Fieldset, Group, NumberInput, SimpleGrid, Stack, Text, Textarea } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { type Schemas } from "../api/client";
import { fieldErrors } from "../api/problems";
import { ConfirmButton } from "../components/Confirm";
import { FactsTable } from "../components/DataTable";
import { Form, FormModal, textOrNull } from "../components/FormModal";
import { BackLink, RecordState, RecordTitle, useRouteId } from "../components/Page";
import { ProblemAlert } from "../components/ProblemAlert";
import { etagFor } from "../api/problems";
import { formatDate, formatDateTime } from "../lib/format";
import { allows } from "../lib/scope";
import { SPM_FIELDS } from "../lib/spm";
import { QueuedNotice, useOfflineQueue } from "../offline/OfflineQueue";
import type { Outcome, QueuedReport } from "../offline/queue";
import { fieldsQuery, posyanduQuery, reportQuery, useDeleteReport, useReportTransition, type Report } from "./api";
import { PERIOD, periodLabel, ReportStatusBadge } from "./common";
import { ReportPhotos } from "./ReportPhotos";

type Questions = Record<string, Record<string, string>>;
type Values = { days_open: number; kader_present: number; counts: Record<string, Record<string, number>>; target_groups: Record<string, number>; notes: string };

const EMPTY: Values = { days_open: 0, kader_present: 0, counts: {}, target_groups: {}, notes: "" };

function valuesOf(r: Report): Values {
  return { days_open: r.days_open, kader_present: r.kader_present, counts: r.counts, target_groups: r.target_groups, notes: r.notes ?? "" };
}

/** The answers of a waiting report (its body), when it has them. */
function valuesOfQueued(item: QueuedReport | undefined): Values | null {
  if (!item?.body) return null;
  const b = item.body;
  return { days_open: b.days_open ?? 0, kader_present: b.kader_present ?? 0, counts: b.counts ?? {}, target_groups: b.target_groups ?? {}, notes: b.notes ?? "" };
}

/** Send a report through the outbox: the form's error when the server refuses it, nothing thrown
 * when it is kept for later (the form shows it waiting). */
function useSendReport(onDone: (o: Extract<Outcome, { state: "done" }>) => void, onRefused?: (o: Extract<Outcome, { state: "refused" }>) => void) {
  const queue = useOfflineQueue();
  const { t } = useTranslation();
  return useMutation({
    // sent even when the browser says it is offline: a failed attempt is what puts it in the outbox
    networkMode: "always",
    mutationFn: async (item: Omit<QueuedReport, "user" | "queuedAt">) => {
      const outcome = await queue.send(item);
      if (outcome.state === "refused") {
        onRefused?.(outcome);
        throw outcome.error;
      }
      return outcome;
    },
    onSuccess: (outcome) => {
      if (outcome.state === "done") onDone(outcome);
      else notifications.show({ color: "yellow", message: t("offline.queued") });
    },
  });
}

/** The request body: every question asked, unanswered as 0 (the API's default too). */
function bodyOf(v: Values, questions: Questions): Schemas["ReportUpdate"] {
  const counts: Record<string, Record<string, number>> = {};
  for (const [field, qs] of Object.entries(questions)) {
    const answers = Object.fromEntries(Object.keys(qs).map((code) => [code, v.counts[field]?.[code] ?? 0]).filter(([, n]) => (n as number) > 0));
    if (Object.keys(answers).length) counts[field] = answers;
  }
  const target_groups = Object.fromEntries(Object.entries(v.target_groups).filter(([, n]) => n > 0));
  return { days_open: v.days_open, kader_present: v.kader_present, counts, target_groups, notes: textOrNull(v.notes) };
}

/** The inputs of a report, one column. */
function ReportFields({ values, set, questions, groups, error, readOnly }: {
  values: Values;
  set: (v: Values) => void;
  questions: Questions;
  groups: Record<string, string>;
  error: unknown;
  readOnly?: boolean;
}) {
  const { t } = useTranslation();
  const errs = fieldErrors(error);
  const num = (label: string, value: number, onChange: (n: number) => void, props: Record<string, unknown> = {}) => (
    <NumberInput
      label={label}
      value={value}
      onChange={(v) => onChange(typeof v === "number" ? v : 0)}
      min={0}
      max={1_000_000}
      allowDecimal={false}
      allowNegative={false}
      inputMode="numeric"
      readOnly={readOnly}
      {...props}
    />
  );
  const fields = SPM_FIELDS.filter((f) => questions[f] && Object.keys(questions[f]).length > 0);
  return (
    <Stack gap="md" maw={560}>
      <SimpleGrid cols={{ base: 1, xs: 2 }}>
        {num(t("activityReports.daysOpen"), values.days_open, (n) => set({ ...values, days_open: n }), { max: 31, error: errs.days_open, "data-testid": "days-open" })}
        {num(t("activityReports.kaderPresent"), values.kader_present, (n) => set({ ...values, kader_present: n }), { max: 10_000, error: errs.kader_present })}
      </SimpleGrid>
      {fields.map((f) => (
        <Fieldset key={f} legend={t(`spm.${f}`)} data-testid={`field-${f}`}>
          <Stack gap="xs">
            {Object.entries(questions[f]).map(([code, label]) => (
              <div key={code}>
                {num(label, values.counts[f]?.[code] ?? 0, (n) => set({ ...values, counts: { ...values.counts, [f]: { ...values.counts[f], [code]: n } } }))}
              </div>
            ))}
          </Stack>
        </Fieldset>
      ))}
      {errs.counts && <Text size="sm" c="red.9">{errs.counts}</Text>}
      <Fieldset legend={t("activityReports.targetGroups")}>
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          {Object.entries(groups).map(([code, label]) => (
            <div key={code}>{num(t(`activityReports.groups.${code as Schemas["TargetGroup"]}`, { defaultValue: label }), values.target_groups[code] ?? 0, (n) => set({ ...values, target_groups: { ...values.target_groups, [code]: n } }))}</div>
          ))}
        </SimpleGrid>
      </Fieldset>
      <Textarea label={t("activityReports.notes")} value={values.notes} onChange={(e) => set({ ...values, notes: e.currentTarget.value })} maxLength={5000} autosize minRows={2} readOnly={readOnly} error={errs.notes} />
    </Stack>
  );
}

/** A new report: /activity-reports/new?posyandu=ID&period=YYYY-MM; saved as a draft, then opened. */
export function NewReportPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const posyanduId = Number(search.get("posyandu"));
  const fields = useQuery(fieldsQuery());
  const periodRaw = search.get("period") ?? "";
  const period = PERIOD.test(periodRaw) ? periodRaw : fields.data?.current_period;
  const valid = Number.isInteger(posyanduId) && posyanduId > 0;
  const posyandu = useQuery({ ...posyanduQuery(posyanduId), enabled: valid, retry: false });
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [values, setValues] = useState<Values>(EMPTY);
  const queue = useOfflineQueue();
  const open = (id: number) => navigate(`/activity-reports/reports/${id}`, { replace: true });
  const create = useSendReport((o) => {
    notifications.show({ color: "teal", message: t(o.report?.status === "submitted" ? "activityReports.status.submitted" : "common.saved") });
    open(o.item.report!.id);
  }, (o) => o.item.report && open(o.item.report.id));
  const queued = queue.items.find((i) => i.posyandu.id === posyanduId && i.period === period);
  // a waiting report of this month that was sent meanwhile (the connection came back): open it
  const sentId = queue.sent.find((i) => i.posyandu.id === posyanduId && i.period === period)?.report?.id;
  useEffect(() => {
    if (sentId) navigate(`/activity-reports/reports/${sentId}`, { replace: true });
  }, [sentId, navigate]);
  if (!valid) return <RecordState query={posyandu} valid={false} />;
  if (!posyandu.isSuccess || !fields.isSuccess) return <RecordState query={posyandu.isSuccess ? fields : posyandu} back={{ to: "/posyandu", label: t("posyandu.title") }} />;
  const questions: Questions = Object.fromEntries(fields.data.fields.map((f) => [f.field, f.questions]));
  const p = posyandu.data;
  const save = (submit: boolean) =>
    create.mutate({ key, posyandu: { id: p.id, name: p.name }, period: period!, body: { posyandu_id: p.id, period: period!, ...bodyOf(values, questions) } as Schemas["ReportCreate"], submit });
  return (
    <Stack>
      <BackLink to={`/posyandu/${p.id}`} label={p.name} />
      <RecordTitle title={t("activityReports.reportTitle", { name: p.name, month: periodLabel(period!) })} testId="report-title" />
      <Text size="sm" c="dimmed">
        {t("activityReports.dueOn", { date: formatDate(fields.data.current_due_date) })}
      </Text>
      {queued ? (
        <>
          <QueuedNotice
            item={queued}
            onFix={(item) => {
              void queue.discard(item.key);
              // created already (its submission was refused): the report itself is where to fix it
              if (item.report) return open(item.report.id);
              // sent again as a new request (the refused one made nothing)
              setValues(valuesOfQueued(item) ?? values);
              setKey(crypto.randomUUID());
            }}
          />
          <ReportFields values={valuesOfQueued(queued) ?? values} set={() => {}} questions={questions} groups={fields.data.target_groups} error={null} readOnly />
        </>
      ) : (
        <Form
          onSubmit={() => save(false)}
          onCancel={() => navigate(-1)}
          cancelTo={`/posyandu/${p.id}`}
          mutation={create}
          fields={["days_open", "kader_present", "counts", "target_groups", "notes"]}
          submitLabel={t("activityReports.saveDraft")}
          extra={
            <Button variant="filled" onClick={() => save(true)} disabled={create.isPending} data-testid="save-and-submit">
              {t("offline.saveAndSubmit")}
            </Button>
          }
          maw={560}
        >
          <ReportFields values={values} set={setValues} questions={questions} groups={fields.data.target_groups} error={create.error} />
        </Form>
      )}
      <Text size="sm" c="dimmed" data-testid="photos-after-save">
        {t("activityReports.photos.afterSave")}
      </Text>
    </Stack>
  );
}

/** A report: its answers (editable while `update` is allowed) and its lifecycle. */
export function ReportPage() {
  const { id, valid } = useRouteId("reportId");
  const { t } = useTranslation();
  const detail = useQuery({ ...reportQuery(id), enabled: valid, retry: false });
  if (!valid || !detail.isSuccess) return <RecordState query={detail} valid={valid} back={{ to: "/activity-reports", label: t("activityReports.boardTitle") }} />;
  // the form starts again from the record each time its version changes (a save, a transition)
  return <ReportView key={`${detail.data.data.id}-${detail.data.data.version}`} r={detail.data.data} etag={detail.data.etag || etagFor(detail.data.data.version)} />;
}

function ReportView({ r, etag }: { r: Report; etag: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const fields = useQuery(fieldsQuery());
  const [values, setValues] = useState<Values>(() => valuesOf(r));
  const [returning, setReturning] = useState(false);
  const [reason, setReason] = useState("");
  const queue = useOfflineQueue();
  // one Idempotency-Key per version of the report and per attempt after a refusal
  const [key, setKey] = useState(() => crypto.randomUUID());
  const write = useSendReport((o) => {
    if (!o.item.submit) notifications.show({ color: "teal", message: t("common.saved") });
  });
  const transition = useReportTransition(r.id, () => setReturning(false));
  const remove = useDeleteReport(r.id, () => navigate(`/posyandu/${r.posyandu_id}`, { replace: true }));
  const editable = allows(r, "update");
  const dirty = JSON.stringify(bodyOf(values, r.questions)) !== JSON.stringify(bodyOf(valuesOf(r), r.questions));
  const groups = fields.data?.target_groups ?? Object.fromEntries(Object.keys(r.target_groups).map((k) => [k, k]));
  const queued = queue.items.find((i) => i.report?.id === r.id);
  // what was typed is saved first (with the version the user loaded), then submitted
  const send = (submit: boolean) =>
    write.mutate({ key, posyandu: { id: r.posyandu_id, name: r.posyandu_name ?? "" }, period: r.period, report: { id: r.id, etag }, body: editable && (dirty || !submit) ? bodyOf(values, r.questions) : null, submit });
  const busy = write.isPending || transition.isPending;
  return (
    <Stack>
      <BackLink to={`/posyandu/${r.posyandu_id}`} label={r.posyandu_name ?? t("activityReports.posyandu")} />
      <RecordTitle title={t("activityReports.reportTitle", { name: r.posyandu_name ?? "", month: periodLabel(r.period) })} testId="report-title">
        <ReportStatusBadge status={r.status} />
      </RecordTitle>
      <Card withBorder data-testid="report-state">
        <FactsTable
          facts={[
            { label: t("activityReports.due"), value: formatDate(r.due_date) },
            r.submitted_at && { label: t("activityReports.submittedAt"), value: `${formatDateTime(r.submitted_at)}${r.on_time === false ? ` · ${t("activityReports.late")}` : r.on_time ? ` · ${t("activityReports.onTime")}` : ""}` },
            r.accepted_at && { label: t("activityReports.acceptedAt"), value: formatDateTime(r.accepted_at) },
            r.decided_by && { label: t("activityReports.decidedBy"), value: r.decided_by },
          ]}
        />
        {r.status === "returned" && r.return_reason && (
          <Alert color="orange" title={t("activityReports.returnedBecause")} mt="sm" data-testid="return-reason">
            {r.return_reason}
          </Alert>
        )}
        <ProblemAlert error={transition.error ?? remove.error ?? (write.error && write.variables?.submit ? write.error : null)} />
        {queued && (
          <Stack mt="sm">
            <QueuedNotice
              item={queued}
              onFix={(item) => {
                setValues(valuesOfQueued(item) ?? values);
                setKey(crypto.randomUUID());
                void queue.discard(item.key);
              }}
            />
          </Stack>
        )}
        <Group gap="xs" mt="sm" data-testid="report-actions">
          {allows(r, "submit") && !queued && (
            <Button onClick={() => send(true)} loading={busy}>
              {t("activityReports.actions.submit")}
            </Button>
          )}
          {allows(r, "accept") && (
            <Button color="green" onClick={() => transition.mutate({ etag, action: "accept" })} loading={transition.isPending}>
              {t("activityReports.actions.accept")}
            </Button>
          )}
          {allows(r, "return") && (
            <Button color="orange" variant="light" onClick={() => (transition.reset(), setReturning(true))}>
              {t("activityReports.actions.return")}
            </Button>
          )}
          {allows(r, "delete") && (
            <ConfirmButton size="sm" color="red" variant="subtle" label={t("activityReports.deleteDraft")} question={t("activityReports.confirmDelete")} onConfirm={() => remove.mutateAsync().catch(() => {})} />
          )}
        </Group>
      </Card>
      {editable && !queued ? (
        <Form
          onSubmit={() => send(false)}
          onCancel={() => setValues(valuesOf(r))}
          mutation={{ isPending: write.isPending, error: write.variables?.submit ? null : write.error }}
          fields={["days_open", "kader_present", "counts", "target_groups", "notes"]}
          stale={{ loaded: r, queryKey: "activity-reports" }}
          submitLabel={t("activityReports.saveDraft")}
          maw={560}
        >
          <ReportFields values={values} set={setValues} questions={r.questions} groups={groups} error={write.error} />
        </Form>
      ) : (
        <ReportFields values={valuesOfQueued(queued) ?? values} set={() => {}} questions={r.questions} groups={groups} error={null} readOnly />
      )}
      <ReportPhotos r={r} maxCount={fields.data?.photo_max_count} maxBytes={fields.data?.photo_max_bytes} />
      {returning && (
        <FormModal
          title={t("activityReports.actions.return")}
          onClose={() => setReturning(false)}
          onSubmit={() => transition.mutate({ etag, action: "return", reason: textOrNull(reason) })}
          mutation={transition}
          fields={["reason"]}
          submitLabel={t("activityReports.actions.return")}
          submitColor="orange"
        >
          <Textarea label={t("activityReports.reason")} value={reason} onChange={(e) => setReason(e.currentTarget.value)} required maxLength={2000} autosize minRows={2} error={fieldErrors(transition.error).reason} data-autofocus />
        </FormModal>
      )}
      <Anchor component={Link} to={`/activity-reports/${r.region_code}?period=${r.period}`} size="sm">
        {t("activityReports.openBoard")} →
      </Anchor>
    </Stack>
  );
}

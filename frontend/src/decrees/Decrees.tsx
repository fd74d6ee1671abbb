// Decrees (SK): the list with status badges, and the transitions the API allows this user on
// each decree (issue, report, verify, send back with a reason, revoke), each an explicit action
// sent with the decree's version; the attached PDF can be downloaded.
import { Anchor, Button, Checkbox, Group, Stack, Text, Textarea } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type Schemas } from "../api/client";
import { fieldErrors } from "../api/problems";
import { useMe } from "../auth/auth";
import { ProblemAlert } from "../components/ProblemAlert";
import { DateField } from "../components/DateField";
import { DecreeFileLink, DecreeStatusBadge } from "../components/decree";
import { DecreeFormModal } from "../components/DecreeFormModal";
import { ExportButtons } from "../components/Download";
import { ProvenanceBadge } from "../components/Provenance";
import { decreeListQuery, useDecreeTransition } from "./api";
import { formatDate } from "../lib/format";
import { FilterBar, ParamSelect, RegionParam, SearchParam } from "../components/Filters";
import { FormModal, textOrNull } from "../components/FormModal";
import { PageHeader } from "../components/Page";
import { useListQuery } from "../api/query";
import { QueryTable } from "../components/QueryTable";
import { useFields } from "../lib/fields";
import { useDebouncedParam, useListParams } from "../lib/listParams";
import { allows } from "../lib/scope";
import { BulkVerifyModal, DecreeEvidence } from "./Verify";

const PAGE = 25;
type Decree = Schemas["DecreeRead"];
type DecreeStatus = Schemas["DecreeStatus"];
type DecreeAction = Schemas["DecreeAction"];
export const DECREE_STATUSES: DecreeStatus[] = ["draft", "issued", "reported", "verified", "revoked"];
/** The decree actions that are lifecycle steps (POST /decrees/{id}/transitions), in button order. */
const TRANSITIONS: DecreeAction[] = ["issue", "report", "verify", "return", "revoke"];

/** The lifecycle steps the API allows this user on the decree now (its `allowed_actions`). */
export function decreeActions(d: Decree): DecreeAction[] {
  return TRANSITIONS.filter((a) => allows(d, a));
}

export function DecreesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const params = useListParams();
  const q = useDebouncedParam(params, "q");
  const region = useDebouncedParam(params, "region");
  const query = {
    q: q || undefined,
    region: region || undefined,
    status: (params.get("status") || undefined) as DecreeStatus | undefined,
    team_id: Number(params.get("team_id")) || undefined,
    limit: PAGE,
    ...params.position,
    sort: "region_code",
  };
  const list = useListQuery({ ...decreeListQuery(query), retry: false });
  const [acting, setActing] = useState<{ d: Decree; action: DecreeAction } | null>(null);
  const [creating, setCreating] = useState(false);
  // the decrees picked for a bulk verify (only those the API lets this user verify), by id
  const [picked, setPicked] = useState<Map<number, Decree>>(new Map());
  const [bulk, setBulk] = useState(false);
  const errs = fieldErrors(list.error);
  const rows = list.data?.items ?? [];
  const verifiable = rows.filter((d) => allows(d, "verify"));
  const pick = (d: Decree, on: boolean) =>
    setPicked((old) => {
      const next = new Map(old);
      if (on) next.set(d.id, d);
      else next.delete(d.id);
      return next;
    });
  const allPicked = verifiable.length > 0 && verifiable.every((d) => picked.has(d.id));

  return (
    <Stack>
      <PageHeader title={t("decrees.title")}>
        <Group gap="xs">
          <ExportButtons path="/api/v1/exports/decrees" query={query} what={t("decrees.title")} />
          <Button component={Link} to="/reporting-deadlines" variant="light">
            {t("deadlines.title")}
          </Button>
          <Button component={Link} to="/teams" variant="light">
            {t("teams.title")}
          </Button>
          {allows(me, "create_decree") && <Button onClick={() => setCreating(true)}>{t("decrees.new")}</Button>}
        </Group>
      </PageHeader>
      <FilterBar>
        <SearchParam params={params} placeholder={t("decrees.searchPlaceholder")} error={errs.q} w={260} />
        <RegionParam params={params} error={errs.region} />
        <ParamSelect params={params} param="status" label={t("common.status")} data={DECREE_STATUSES.map((s) => ({ value: s, label: t(`decrees.status.${s}`) }))} w={170} />
      </FilterBar>
      {list.error && !(errs.q || errs.region) && <ProblemAlert error={list.error} />}
      {verifiable.length > 0 && (
        <Group gap="sm" data-testid="bulk-bar">
          <Checkbox
            label={t("verify.pickAll", { count: verifiable.length })}
            checked={allPicked}
            indeterminate={!allPicked && verifiable.some((d) => picked.has(d.id))}
            onChange={(e) => {
              const on = e.currentTarget.checked;
              setPicked((old) => {
                const next = new Map(old);
                for (const d of verifiable) {
                  if (on) next.set(d.id, d);
                  else next.delete(d.id);
                }
                return next;
              });
            }}
          />
          <Button size="xs" color="teal" disabled={picked.size === 0} onClick={() => setBulk(true)}>
            {t("verify.bulkButton", { count: picked.size })}
          </Button>
        </Group>
      )}
      <QueryTable
        query={list}
        showProblem={false}
        testId="decree-table"
        rowTestId="decree-row"
        minWidth={1040}
        rowKey={(d) => d.id}
        page={params.page(PAGE)}
        columns={[
          verifiable.length > 0 && {
            header: t("verify.pickCol"),
            td: { w: 40 },
            cell: (d) =>
              allows(d, "verify") ? (
                <Checkbox
                  aria-label={t("verify.pick", { title: d.title, region: d.region_name ?? d.region_code })}
                  checked={picked.has(d.id)}
                  onChange={(e) => pick(d, e.currentTarget.checked)}
                />
              ) : null,
          },
          { header: t("common.region"), link: (d) => `/regions/${d.region_code}`, cell: (d) => d.region_name ?? d.region_code },
          {
            header: t("decrees.titleCol"),
            td: { maw: 320 },
            cell: (d) => (
              <Anchor component={Link} to={`/decrees/${d.id}`} size="sm" lineClamp={2}>
                {d.title}
              </Anchor>
            ),
          },
          { header: t("decrees.number"), cell: (d) => d.number ?? "—" },
          { header: t("decrees.date"), cell: (d) => formatDate(d.decree_date) },
          {
            header: t("common.status"),
            td: { miw: 130 },
            cell: (d) => (
              <Group gap={4} wrap="nowrap">
                <DecreeStatusBadge status={d.status} />
                <ProvenanceBadge provenance={d.provenance} />
              </Group>
            ),
          },
          { header: t("decrees.file"), cell: (d) => <DecreeFileLink decree={d} /> },
          {
            header: t("decrees.actionsCol"),
            td: { miw: 230 },
            cell: (d) => (
              <Group gap={4} wrap="nowrap">
                {decreeActions(d).map((a) => (
                  <Button
                    key={a}
                    size="compact-xs"
                    variant="light"
                    color={a === "revoke" ? "red" : a === "return" ? "orange" : "teal"}
                    onClick={() => setActing({ d, action: a })}
                  >
                    {t(`decrees.actions.${a}`)}
                  </Button>
                ))}
              </Group>
            ),
          },
        ]}
      />
      {acting && <TransitionModal decree={acting.d} action={acting.action} onClose={() => setActing(null)} />}
      {creating && <DecreeFormModal onClose={() => setCreating(false)} />}
      {bulk && <BulkVerifyModal decrees={[...picked.values()]} onClose={() => setBulk(false)} onDone={() => setPicked(new Map())} />}
    </Stack>
  );
}

export function TransitionModal({ decree, action, onClose }: { decree: Decree; action: DecreeAction; onClose: () => void }) {
  const { t } = useTranslation();
  const run = useDecreeTransition(decree, action, onClose);
  const f = useFields({ reason: "", effective_date: "" }, run.error);
  const needsReason = action === "return" || action === "revoke";
  return (
    <FormModal
      title={t(`decrees.actions.${action}`)}
      onClose={onClose}
      onSubmit={() => run.mutate({ reason: textOrNull(f.values.reason), effective_date: f.values.effective_date || null })}
      mutation={run}
      fields={["reason", "effective_date"]}
      size={action === "verify" ? "xl" : undefined}
      intro={
        <>
          <Text size="sm">
            {decree.region_name} — {decree.title}
          </Text>
          {action === "verify" && <DecreeEvidence decree={decree} />}
        </>
      }
      submitLabel={t("common.confirm")}
      submitColor={action === "revoke" ? "red" : undefined}
    >
      <Textarea label={t("decrees.reason")} maxLength={2000} {...f.text("reason")} required={needsReason} autosize minRows={2} />
      <DateField label={t("decrees.effectiveDate")} description={t("decrees.effectiveHelp")} {...f.date("effective_date")} />
    </FormModal>
  );
}

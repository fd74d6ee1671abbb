// Decrees (SK): the list with status badges, and the transitions the API allows this user on
// each decree (issue, report, verify, send back with a reason, revoke), each an explicit action
// sent with the decree's version; the attached PDF can be downloaded.
import { Anchor, Button, Card, Group, Modal, Select, Stack, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconSearch } from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type Schemas } from "../api/client";
import { fieldErrors } from "../api/problems";
import { useMe } from "../auth/auth";
import { ProblemAlert } from "../components/ProblemAlert";
import { DecreeFileLink, DecreeStatusBadge } from "../components/decree";
import { DecreeFormModal } from "../components/DecreeFormModal";
import { decreeListQuery, useDecreeTransition } from "./api";
import { formatDate } from "../lib/format";
import { QueryTable } from "../components/QueryTable";
import { useListParams } from "../lib/listParams";
import { allows } from "../lib/scope";

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
  const { get, set, offset, setOffset } = useListParams();
  const [q] = useDebouncedValue(get("q").trim(), 300);
  const [region] = useDebouncedValue(get("region").trim(), 300);
  const query = {
    q: q || undefined,
    region: region || undefined,
    status: (get("status") || undefined) as DecreeStatus | undefined,
    team_id: Number(get("team_id")) || undefined,
    limit: PAGE,
    offset,
    sort: "region_code",
  };
  const list = useQuery({
    ...decreeListQuery(query),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const [acting, setActing] = useState<{ d: Decree; action: DecreeAction } | null>(null);
  const [creating, setCreating] = useState(false);
  const errs = fieldErrors(list.error);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t("decrees.title")}</Title>
        <Group gap="xs">
          <Button component={Link} to="/reporting-deadlines" variant="light">
            {t("deadlines.title")}
          </Button>
          <Button component={Link} to="/teams" variant="light">
            {t("teams.title")}
          </Button>
          {allows(me, "create_decree") && <Button onClick={() => setCreating(true)}>{t("decrees.new")}</Button>}
        </Group>
      </Group>
      <Card withBorder>
        <Group align="flex-start">
          <TextInput
            label={t("common.search")}
            leftSection={<IconSearch size={14} />}
            placeholder={t("decrees.searchPlaceholder")}
            value={get("q")}
            maxLength={100}
            onChange={(e) => set("q", e.currentTarget.value)}
            error={errs.q}
            w={260}
          />
          <TextInput
            label={t("common.regionCode")}
            placeholder={me.region?.code ?? "33.75"}
            value={get("region")}
            maxLength={13}
            onChange={(e) => set("region", e.currentTarget.value)}
            error={errs.region}
            w={150}
          />
          <Select
            label={t("common.status")}
            data={DECREE_STATUSES.map((s) => ({ value: s, label: t(`decrees.status.${s}`) }))}
            value={get("status") || null}
            onChange={(v) => set("status", v)}
            clearable
            placeholder={t("common.all")}
            w={170}
          />
        </Group>
      </Card>
      {list.error && !(errs.q || errs.region) && <ProblemAlert error={list.error} />}
      <QueryTable
        query={list}
        showProblem={false}
        testId="decree-table"
        rowTestId="decree-row"
        minWidth={1040}
        rowKey={(d) => d.id}
        page={{ limit: PAGE, offset, onOffset: setOffset }}
        columns={[
          {
            header: t("common.region"),
            cell: (d) => (
              <Anchor component={Link} to={`/regions/${d.region_code}`}>
                {d.region_name ?? d.region_code}
              </Anchor>
            ),
          },
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
          { header: t("common.status"), td: { miw: 130 }, cell: (d) => <DecreeStatusBadge status={d.status} /> },
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
    </Stack>
  );
}

export function TransitionModal({ decree, action, onClose }: { decree: Decree; action: DecreeAction; onClose: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState("");
  const [effective, setEffective] = useState("");
  const run = useDecreeTransition(decree, action, onClose);
  const errs = fieldErrors(run.error);
  const needsReason = action === "return" || action === "revoke";
  return (
    <Modal opened onClose={onClose} title={t(`decrees.actions.${action}`)}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate({ reason: reason.trim() || null, effective_date: effective || null });
        }}
        noValidate
      >
        <Stack>
          <Text size="sm">
            {decree.region_name} — {decree.title}
          </Text>
          {run.error && !(errs.reason || errs.effective_date) ? <ProblemAlert error={run.error} /> : null}
          <Textarea
            label={t("decrees.reason")}
            value={reason}
            maxLength={2000}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={errs.reason}
            required={needsReason}
            autosize
            minRows={2}
          />
          <TextInput type="date" label={t("decrees.effectiveDate")} description={t("decrees.effectiveHelp")} value={effective} onChange={(e) => setEffective(e.currentTarget.value)} error={errs.effective_date} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" loading={run.isPending} color={action === "revoke" ? "red" : undefined}>
              {t("common.confirm")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

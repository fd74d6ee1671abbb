// Work programs (program kerja): the list of a region's programs with their filters, and one
// program with its schedule and the budget allocations it links (each opening its budget).
// Create and edit in a form (PATCH with If-Match: a stale edit shows what changed); delete asks
// first. The buttons are those the record's (or, to create, the account's) allowed_actions list.
import { Anchor, Badge, Button, Group, SimpleGrid, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import type { Schemas } from "../api/client";
import { fieldErrors } from "../api/problems";
import { useListQuery } from "../api/query";
import { useMe } from "../auth/auth";
import { ConfirmButton } from "../components/Confirm";
import { DataTable } from "../components/DataTable";
import { FilterBar, ParamSelect, RegionParam, SearchParam } from "../components/Filters";
import { BackLink, PageHeader, RecordState, RecordTitle, Section, StatCard, useRouteId, WithCode } from "../components/Page";
import { ProblemAlert } from "../components/ProblemAlert";
import { ProvenanceBadge, ProvenanceSource } from "../components/Provenance";
import { QueryTable } from "../components/QueryTable";
import { formatDate, formatRupiah } from "../lib/format";
import { useDebouncedParam, useListParams } from "../lib/listParams";
import { allows } from "../lib/scope";
import { SPM_FIELDS, type SpmField } from "../lib/spm";
import { useDeleteWorkProgram, workProgramListQuery, workProgramQuery } from "./api";
import { WORK_PROGRAM_STATUSES, WorkProgramFormModal, fiscalYears } from "./WorkProgramForm";

const PAGE = 25;
type Status = Schemas["WorkProgramStatus"];
const STATUS_COLOR: Record<Status, string> = { planned: "gray", in_progress: "blue", done: "teal", cancelled: "red" };

export function WorkProgramStatusBadge({ status }: { status: Status }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={STATUS_COLOR[status]}>
      {t(`workPrograms.statuses.${status}`)}
    </Badge>
  );
}

export function WorkProgramsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const params = useListParams();
  const q = useDebouncedParam(params, "q");
  const region = useDebouncedParam(params, "region");
  const year = params.get("year");
  const status = (params.get("status") || undefined) as Status | undefined;
  const spm = (params.get("spm_field") || undefined) as SpmField | undefined;
  const allocation = params.get("allocation_id");
  const query = {
    q: q || undefined,
    region: region || undefined,
    year: year ? Number(year) : undefined,
    status,
    spm_field: spm,
    allocation_id: allocation ? Number(allocation) : undefined,
    limit: PAGE,
    ...params.position,
    sort: "-year",
  };
  const list = useListQuery({ ...workProgramListQuery(query), retry: false });
  const [creating, setCreating] = useState(false);
  const errs = fieldErrors(list.error);
  return (
    <Stack>
      <PageHeader title={t("workPrograms.title")}>
        {allows(me, "create_work_program") && (
          <Button size="xs" onClick={() => setCreating(true)}>
            {t("workPrograms.new")}
          </Button>
        )}
      </PageHeader>
      <FilterBar>
        <SearchParam params={params} error={errs.q} />
        <RegionParam params={params} error={errs.region} />
        <ParamSelect params={params} param="year" label={t("workPrograms.year")} data={fiscalYears()} w={120} />
        <ParamSelect params={params} param="status" label={t("common.status")} data={WORK_PROGRAM_STATUSES.map((s) => ({ value: s, label: t(`workPrograms.statuses.${s}`) }))} w={160} />
        <ParamSelect params={params} param="spm_field" label={t("workPrograms.spmField")} data={SPM_FIELDS.map((s) => ({ value: s, label: t(`spm.${s}`) }))} w={200} />
      </FilterBar>
      {allocation && (
        <Text size="sm" data-testid="allocation-filter">
          {t("workPrograms.ofAllocation", { id: allocation })}{" "}
          <Anchor component="button" type="button" onClick={() => params.set("allocation_id", null)}>
            {t("common.reset")}
          </Anchor>
        </Text>
      )}
      {list.error && !(errs.q || errs.region) && <ProblemAlert error={list.error} />}
      <QueryTable
        query={list}
        showProblem={false}
        testId="work-program-table"
        rowKey={(p) => p.id}
        page={params.page(PAGE)}
        columns={[
          { header: t("workPrograms.programTitle"), link: (p) => `/work-programs/${p.id}`, cell: (p) => p.title },
          { header: t("workPrograms.team"), cell: (p) => <WithCode code={p.region_code}>{p.team_name}</WithCode> },
          { header: t("workPrograms.year"), cell: (p) => p.year },
          { header: t("workPrograms.spmField"), cell: (p) => (p.spm_field ? t(`spm.${p.spm_field}`) : t("workPrograms.wholeTeam")) },
          {
            header: t("common.status"),
            cell: (p) => (
              <Group gap={4} wrap="nowrap">
                <WorkProgramStatusBadge status={p.status} />
                <ProvenanceBadge provenance={p.provenance} />
              </Group>
            ),
          },
          { header: t("workPrograms.planned"), numeric: true, cell: (p) => formatRupiah(p.planned_amount) },
        ]}
      />
      {creating && <WorkProgramFormModal onClose={() => setCreating(false)} />}
    </Stack>
  );
}

export function WorkProgramDetailPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { id, valid } = useRouteId("programId");
  const [editing, setEditing] = useState(false);
  const program = useQuery({ ...workProgramQuery(id), enabled: valid, retry: false });
  const remove = useDeleteWorkProgram(() => navigate("/work-programs"));
  if (!program.isSuccess) return <RecordState query={program} valid={valid} back={{ to: "/work-programs", label: t("workPrograms.title") }} />;
  const p = program.data;
  return (
    <Stack>
      <BackLink to="/work-programs" label={t("workPrograms.title")} />
      <RecordTitle title={p.title} testId="work-program-title">
        <WorkProgramStatusBadge status={p.status} />
        <ProvenanceBadge provenance={p.provenance} />
        {allows(p, "update") && (
          <Button size="compact-sm" variant="default" onClick={() => setEditing(true)}>
            {t("common.edit")}
          </Button>
        )}
        {allows(p, "delete") && (
          <ConfirmButton size="compact-sm" color="red" label={t("common.delete")} question={t("workPrograms.deleteQuestion", { title: p.title })} onConfirm={() => remove.mutateAsync(p).catch(() => undefined)} />
        )}
      </RecordTitle>
      {remove.error ? <ProblemAlert error={remove.error} /> : null}
      <Text c="dimmed">
        <Anchor component={Link} to={`/teams/${p.team_id}`} underline="always">
          {p.team_name}
        </Anchor>{" "}
        ·{" "}
        <Text span ff="monospace">
          {p.region_code}
        </Text>{" "}
        · {p.year} · {p.spm_field ? t(`spm.${p.spm_field}`) : t("workPrograms.wholeTeam")}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 3 }} data-testid="work-program-summary">
        <StatCard withBorder fz={18} label={t("workPrograms.schedule")} value={p.start_date || p.end_date ? `${formatDate(p.start_date)} – ${formatDate(p.end_date)}` : "—"} />
        <StatCard withBorder fz={18} label={t("workPrograms.personInCharge")} value={p.person_in_charge ?? "—"} />
        <StatCard withBorder fz={18} label={t("workPrograms.planned")} value={formatRupiah(p.planned_amount)} />
      </SimpleGrid>
      {p.description && <Text style={{ whiteSpace: "pre-wrap" }}>{p.description}</Text>}
      <ProvenanceSource provenance={p.provenance} />
      <Section title={t("workPrograms.allocations")}>
        {p.allocations.length === 0 ? (
          <Text c="dimmed">{t("workPrograms.noAllocations")}</Text>
        ) : (
          <DataTable
            testId="linked-allocations"
            tableProps={{ withTableBorder: true }}
            rows={p.allocations}
            rowKey={(a) => a.id}
            columns={[
              {
                header: t("budgets.activity"),
                cell: (a) => (
                  <Anchor component={Link} to={`/budgets/${a.budget_id}`}>
                    {a.activity}
                  </Anchor>
                ),
              },
              { header: t("budgets.amount"), numeric: true, cell: (a) => formatRupiah(a.amount) },
            ]}
          />
        )}
      </Section>
      {editing && <WorkProgramFormModal key={p.version} program={p} onClose={() => setEditing(false)} />}
    </Stack>
  );
}

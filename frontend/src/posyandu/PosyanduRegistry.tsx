// The posyandu registry (GET /posyandu): filters (region subtree, SPM field, registration status,
// pilot, active, text), sortable columns, pages with the total. Filters live in the URL so that a
// filtered list can be shared and reloaded.
import { Anchor, Badge, Button, Chip, Group, Stack, Text, UnstyledButton } from "@mantine/core";
import { IconChevronDown, IconChevronUp, IconPlus, IconSelector } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { ExportButtons } from "../components/Download";
import { Link } from "react-router";
import { type Schemas } from "../api/client";
import { fieldErrors } from "../api/problems";
import { useMe } from "../auth/auth";
import { FilterBar, ParamSelect, RegionParam, SearchParam } from "../components/Filters";
import { PageHeader, Section, WithCode } from "../components/Page";
import { ProblemAlert } from "../components/ProblemAlert";
import { ProvenanceBadge } from "../components/Provenance";
import { useListQuery } from "../api/query";
import { QueryTable } from "../components/QueryTable";
import { formatNumber } from "../lib/format";
import { allows } from "../lib/scope";
import { SPM_FIELDS, type SpmField } from "../lib/spm";
import { posyanduListQuery, progressByRegionQuery, progressQuery } from "./api";
import { DataTable } from "../components/DataTable";
import { useQuery } from "@tanstack/react-query";
import { useDebouncedParam, useListParams, type ListParams } from "../lib/listParams";

const PAGE = 25;
type Status = Schemas["RegistrationStatusEnum"];
export const REG_STATUSES: Status[] = ["unregistered", "proposed", "verified", "submitted", "registered", "returned", "rejected"];
export const STATUS_COLORS: Record<Status, string> = {
  unregistered: "gray",
  proposed: "blue",
  verified: "cyan",
  submitted: "indigo",
  registered: "green",
  returned: "orange",
  rejected: "red",
};

export function StatusBadge({ status }: { status: Status }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" data-testid="reg-status">
      {t(`registration.status.${status}`)}
    </Badge>
  );
}

const bool = (v: string): boolean | undefined => (v === "true" ? true : v === "false" ? false : undefined);

/** A column head that sorts the list by `key` (ascending, then descending). */
function SortHead({ params, sortKey, label, right = false }: { params: ListParams; sortKey: string; label: string; right?: boolean }) {
  const { t } = useTranslation();
  const sort = params.get("sort");
  const Icon = sort === sortKey ? IconChevronUp : sort === `-${sortKey}` ? IconChevronDown : IconSelector;
  return (
    <UnstyledButton onClick={() => params.set("sort", sort === sortKey ? `-${sortKey}` : sortKey)} aria-label={t("common.sortBy", { field: label })}>
      <Group gap={4} wrap="nowrap" justify={right ? "flex-end" : undefined}>
        <Text size="sm" fw={700}>
          {label}
        </Text>
        <Icon size={14} />
      </Group>
    </UnstyledButton>
  );
}

export function PosyanduRegistry() {
  const { t } = useTranslation();
  const me = useMe();
  const params = useListParams();
  const { get } = params;
  const q = useDebouncedParam(params, "q");
  const region = useDebouncedParam(params, "region");
  const query = {
    region: region || undefined,
    spm_field: (get("spm_field") || undefined) as SpmField | undefined,
    status: (get("status") || undefined) as Status | undefined,
    pilot: bool(get("pilot")),
    active: bool(get("active")),
    q: q || undefined,
    sort: get("sort") || undefined,
    limit: PAGE,
    ...params.position,
  };
  const list = useListQuery({ ...posyanduListQuery(query), retry: false });
  const progress = useQuery({ ...progressQuery(query.region), retry: false });
  const errs = fieldErrors(list.error);
  const yesNo = [
    { value: "true", label: t("common.yes") },
    { value: "false", label: t("common.no") },
  ];
  const head = (key: string, label: string, right = false) => <SortHead params={params} sortKey={key} label={label} right={right} />;

  return (
    <Stack>
      <PageHeader title={t("posyandu.title")}>
        <Group>
          <ExportButtons path="/api/v1/exports/posyandu" query={query} what={t("posyandu.title")} />
          <Button component={Link} to="/registration-batches" variant="light">
            {t("batches.title")}
          </Button>
          {allows(me, "create_posyandu") && (
            <Button component={Link} to="/posyandu/new" leftSection={<IconPlus size={16} />}>
              {t("posyandu.new")}
            </Button>
          )}
        </Group>
      </PageHeader>
      <FilterBar gap="sm" data-testid="filters">
        <SearchParam params={params} placeholder={t("posyandu.searchPlaceholder")} error={errs.q} />
        <RegionParam params={params} error={errs.region} />
        <ParamSelect params={params} param="spm_field" label={t("posyandu.spmField")} data={SPM_FIELDS.map((f) => ({ value: f, label: t(`spm.${f}`) }))} w={190} />
        <ParamSelect params={params} param="status" label={t("posyandu.registration")} data={REG_STATUSES.map((s) => ({ value: s, label: t(`registration.status.${s}`) }))} w={170} />
        <ParamSelect params={params} param="pilot" label={t("posyandu.pilot")} data={yesNo} w={110} />
        <ParamSelect params={params} param="active" label={t("common.active")} data={yesNo} w={110} />
      </FilterBar>
      {progress.data && (
        <Text size="sm" c="dimmed" data-testid="registration-progress">
          {t("posyandu.progress", {
            registered: formatNumber(progress.data.registration.registered),
            pipeline: formatNumber(progress.data.registration.in_pipeline),
            awaiting: formatNumber(progress.data.awaiting_proposal),
          })}
          {progress.data.blocked_by_sk > 0 && (
            <Badge ml={6} size="sm" color={progress.data.sk_required ? "orange" : "gray"} variant="light" data-testid="blocked-by-sk">
              {t("posyandu.blockedBySk", { n: formatNumber(progress.data.blocked_by_sk) })}
            </Badge>
          )}
        </Text>
      )}
      {progress.data && <StatusChips params={params} counts={progress.data.registration.by_status} />}
      {list.error && !Object.keys(errs).some((k) => k === "q" || k === "region") && <ProblemAlert error={list.error} />}
      <QueryTable
        query={list}
        showProblem={false}
        testId="posyandu-table"
        rowTestId="posyandu-row"
        minWidth={820}
        tableProps={{ highlightOnHover: true, withTableBorder: true }}
        rowKey={(p) => p.id}
        page={params.page(PAGE)}
        columns={[
          {
            header: head("name", t("posyandu.name")),
            cell: (p) => (
              <>
                <Anchor component={Link} to={`/posyandu/${p.id}`}>
                  {p.name}
                </Anchor>
                {!p.is_active && (
                  <Badge ml={6} size="xs" color="gray">
                    {t("common.inactive")}
                  </Badge>
                )}
                {p.provenance?.kind === "illustrative" && (
                  <Text span ml={6}>
                    <ProvenanceBadge provenance={p.provenance} />
                  </Text>
                )}
              </>
            ),
          },
          { header: head("region_code", t("common.region")), cell: (p) => <WithCode code={p.region_code}>{p.village_name}</WithCode> },
          { header: t("posyandu.spmFields"), cell: (p) => <Text size="sm">{formatNumber(p.spm_fields.length)} / 6</Text> },
          { header: head("kader_count", t("posyandu.kader"), true), numeric: true, cell: (p) => formatNumber(p.kader_count) },
          { header: head("registration_status", t("posyandu.registration")), cell: (p) => <StatusBadge status={p.registration_status} /> },
          { header: head("registration_number", t("posyandu.number")), td: { ff: "monospace" }, cell: (p) => p.registration_number ?? "—" },
        ]}
      />
      <ProgressByRegion region={query.region} params={params} />
    </Stack>
  );
}

/** The count of each registration status as chips; a chip filters the list by its status (again: all). */
function StatusChips({ params, counts }: { params: ListParams; counts: Partial<Record<Status, number>> }) {
  const { t } = useTranslation();
  const current = params.get("status");
  return (
    <Group gap={6} data-testid="status-chips" role="group" aria-label={t("posyandu.byStatus")}>
      {REG_STATUSES.map((s) => (
        <Chip
          key={s}
          size="sm"
          color={STATUS_COLORS[s]}
          variant="light"
          checked={current === s}
          onChange={() => params.set("status", current === s ? null : s)}
          data-testid={`chip-${s}`}
        >
          {t(`registration.status.${s}`)}: {formatNumber(counts[s] ?? 0)}
        </Chip>
      ))}
    </Group>
  );
}

const LEVEL_BY_NUMBER: Record<number, Schemas["RegionLevel"]> = { 1: "province", 2: "regency", 3: "district", 4: "village" };

/** Registration counts per child region of the filtered region (the caller's own by default): the kecamatan of a city. */
function ProgressByRegion({ region, params }: { region: string | undefined; params: ListParams }) {
  const { t } = useTranslation();
  const data = useQuery({ ...progressByRegionQuery(region), retry: false });
  if (data.error) return <ProblemAlert error={data.error} />;
  const d = data.data;
  if (!d || d.rows.length === 0 || d.child_level === null) return null;
  const level = LEVEL_BY_NUMBER[d.child_level];
  return (
    <Section title={t("posyandu.perRegion", { level: t(`levels.${level}`) })} data-testid="progress-by-region">
      <DataTable
        rows={d.rows}
        rowKey={(r) => r.code}
        minWidth={860}
        tableProps={{ striped: true, withTableBorder: true, fz: "sm" }}
        caption={t("posyandu.perRegionCaption", { level: t(`levelsPlural.${level}`) })}
        columns={[
          {
            header: t(`levels.${level}`),
            cell: (r) =>
              r.code === "" ? (
                <Text size="sm" fw={700}>
                  {r.name}
                </Text>
              ) : (
              <Anchor component="button" type="button" size="sm" onClick={() => params.set("region", r.code)} aria-label={t("posyandu.filterRegion", { name: r.name })}>
                {r.name}
              </Anchor>
            ),
          },
          { header: t("posyandu.total"), numeric: true, cell: (r) => formatNumber(r.total) },
          ...REG_STATUSES.map((s) => ({ header: t(`registration.status.${s}`), numeric: true, cell: (r: Schemas["ChildProgress"]) => formatNumber(r.registration.by_status[s] ?? 0) })),
        ]}
        footer={[{ code: "", name: t("posyandu.sum"), level: d.child_level, total: d.rows.reduce((n, r) => n + r.total, 0), registration: d.total }]}
      />
    </Section>
  );
}

// The posyandu registry (GET /posyandu): filters (region subtree, SPM field, registration status,
// pilot, active, text), sortable columns, pages with the total. Filters live in the URL so that a
// filtered list can be shared and reloaded.
import { Anchor, Badge, Button, Card, Group, Loader, Select, Stack, Table, Text, TextInput, Title, UnstyledButton } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconChevronDown, IconChevronUp, IconPlus, IconSearch, IconSelector } from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type Schemas } from "../api/client";
import { fieldErrors } from "../api/problems";
import { useMe } from "../auth/auth";
import { Pager } from "../components/Pager";
import { ProblemAlert } from "../components/ProblemAlert";
import { formatNumber } from "../lib/format";
import { allows } from "../lib/scope";
import { SPM_FIELDS, type SpmField } from "../lib/spm";
import { posyanduListQuery } from "./api";
import { useListParams } from "../lib/listParams";

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

export function PosyanduRegistry() {
  const { t } = useTranslation();
  const me = useMe();
  const { get, set, offset, setOffset } = useListParams();
  const [q] = useDebouncedValue(get("q").trim(), 300);
  const [region] = useDebouncedValue(get("region").trim(), 300);
  const sort = get("sort") || undefined;
  const query = {
    region: region || undefined,
    spm_field: (get("spm_field") || undefined) as SpmField | undefined,
    status: (get("status") || undefined) as Status | undefined,
    pilot: bool(get("pilot")),
    active: bool(get("active")),
    q: q || undefined,
    sort,
    limit: PAGE,
    offset,
  };
  const list = useQuery({
    ...posyanduListQuery(query),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const errs = fieldErrors(list.error);
  const yesNo = [
    { value: "true", label: t("common.yes") },
    { value: "false", label: t("common.no") },
  ];

  const th = (key: string, label: string, right = false) => {
    const active = sort === key || sort === `-${key}`;
    const Icon = !active ? IconSelector : sort === key ? IconChevronUp : IconChevronDown;
    return (
      <Table.Th ta={right ? "right" : undefined}>
        <UnstyledButton onClick={() => set("sort", sort === key ? `-${key}` : key)} aria-label={t("common.sortBy", { field: label })}>
          <Group gap={4} wrap="nowrap" justify={right ? "flex-end" : undefined}>
            <Text size="sm" fw={700}>
              {label}
            </Text>
            <Icon size={14} />
          </Group>
        </UnstyledButton>
      </Table.Th>
    );
  };

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t("posyandu.title")}</Title>
        <Group>
          <Button component={Link} to="/registration-batches" variant="light">
            {t("batches.title")}
          </Button>
          {allows(me, "create_posyandu") && (
            <Button component={Link} to="/posyandu/new" leftSection={<IconPlus size={16} />}>
              {t("posyandu.new")}
            </Button>
          )}
        </Group>
      </Group>
      <Card withBorder>
        <Group align="flex-start" gap="sm" data-testid="filters">
          <TextInput
            label={t("common.search")}
            leftSection={<IconSearch size={14} />}
            placeholder={t("posyandu.searchPlaceholder")}
            value={get("q")}
            maxLength={100}
            onChange={(e) => set("q", e.currentTarget.value)}
            error={errs.q}
            w={240}
          />
          <TextInput
            label={t("common.regionCode")}
            placeholder={me.region?.code ?? "33.75.02"}
            value={get("region")}
            maxLength={13}
            onChange={(e) => set("region", e.currentTarget.value)}
            error={errs.region}
            w={150}
          />
          <Select
            label={t("posyandu.spmField")}
            data={SPM_FIELDS.map((f) => ({ value: f, label: t(`spm.${f}`) }))}
            value={get("spm_field") || null}
            onChange={(v) => set("spm_field", v)}
            clearable
            placeholder={t("common.all")}
            w={190}
          />
          <Select
            label={t("posyandu.registration")}
            data={REG_STATUSES.map((s) => ({ value: s, label: t(`registration.status.${s}`) }))}
            value={get("status") || null}
            onChange={(v) => set("status", v)}
            clearable
            placeholder={t("common.all")}
            w={170}
          />
          <Select label={t("posyandu.pilot")} data={yesNo} value={get("pilot") || null} onChange={(v) => set("pilot", v)} clearable placeholder={t("common.all")} w={110} />
          <Select label={t("common.active")} data={yesNo} value={get("active") || null} onChange={(v) => set("active", v)} clearable placeholder={t("common.all")} w={110} />
        </Group>
      </Card>
      {list.error && !Object.keys(errs).some((k) => k === "q" || k === "region") && <ProblemAlert error={list.error} />}
      {list.isPending ? (
        <Loader />
      ) : list.data ? (
        <Card withBorder>
          <Table.ScrollContainer minWidth={820}>
            <Table striped highlightOnHover withTableBorder data-testid="posyandu-table">
              <Table.Thead>
                <Table.Tr>
                  {th("name", t("posyandu.name"))}
                  {th("region_code", t("common.region"))}
                  <Table.Th>{t("posyandu.spmFields")}</Table.Th>
                  {th("kader_count", t("posyandu.kader"), true)}
                  {th("registration_status", t("posyandu.registration"))}
                  {th("registration_number", t("posyandu.number"))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.map((p) => (
                  <Table.Tr key={p.id} data-testid="posyandu-row">
                    <Table.Td>
                      <Anchor component={Link} to={`/posyandu/${p.id}`}>
                        {p.name}
                      </Anchor>
                      {!p.is_active && (
                        <Badge ml={6} size="xs" color="gray">
                          {t("common.inactive")}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {p.village_name}{" "}
                      <Text span size="xs" c="dimmed" ff="monospace">
                        {p.region_code}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatNumber(p.spm_fields.length)} / 6</Text>
                    </Table.Td>
                    <Table.Td ta="right">{formatNumber(p.kader_count)}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={p.registration_status} />
                    </Table.Td>
                    <Table.Td ff="monospace">{p.registration_number ?? "—"}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {list.data.items.length === 0 && (
            <Text c="dimmed" mt="sm">
              {t("common.empty")}
            </Text>
          )}
          <Pager total={list.data.total} limit={PAGE} offset={offset} onOffset={setOffset} />
        </Card>
      ) : null}
    </Stack>
  );
}

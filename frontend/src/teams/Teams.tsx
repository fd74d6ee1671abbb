// Teams (TP Posyandu, or the older Pokjanal/Pokja): the list for a region and one team with its
// members and positions, and the decrees (SK) that formed it.
import { Anchor, Badge, Button, Card, Group, Loader, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconSearch } from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { type Schemas } from "../api/client";
import { fieldErrors } from "../api/problems";
import { useMe } from "../auth/auth";
import { ProblemAlert } from "../components/ProblemAlert";
import { formatDate } from "../lib/format";
import { DecreeFileLink, DecreeStatusBadge } from "../components/decree";
import { DecreeFormModal } from "../components/DecreeFormModal";
import { EditDeleteButtons } from "../components/RowActions";
import { canWriteIn } from "../lib/scope";
import { teamDecreesQuery, teamListQuery, teamQuery, useRemoveMember } from "./api";
import { MemberFormModal, TeamFormModal } from "./TeamForms";
import { QueryTable } from "../components/QueryTable";
import { useListParams } from "../lib/listParams";

const PAGE = 25;
type Member = Schemas["MemberRead"];
type Level = Schemas["RegionLevel"];
const LEVELS: Level[] = ["province", "regency", "district", "village"];
const POSITION_ORDER: Schemas["Position"][] = ["pembina", "ketua", "wakil_ketua", "sekretaris", "bendahara", "ketua_bidang", "anggota"];

export function TeamsPage() {
  const { get: getParam, set: setParam, offset, setOffset } = useListParams();
  const { t } = useTranslation();
  const me = useMe();
  const q = getParam("q");
  const setQ = (v: string) => setParam("q", v);
  const region = getParam("region");
  const setRegion = (v: string) => setParam("region", v);
  const level = getParam("level") || null;
  const setLevel = (v: string | null) => setParam("level", v);
  const [dq] = useDebouncedValue(q.trim(), 300);
  const [dregion] = useDebouncedValue(region.trim(), 300);
  const query = { q: dq || undefined, region: dregion || undefined, level: (level ?? undefined) as Level | undefined, limit: PAGE, offset, sort: "region_code" };
  const list = useQuery({
    ...teamListQuery(query),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const [creating, setCreating] = useState(false);
  const errs = fieldErrors(list.error);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t("teams.title")}</Title>
        <Group gap="md">
          <Anchor component={Link} to="/decrees">
            {t("decrees.title")} →
          </Anchor>
          <Anchor component={Link} to="/reporting-deadlines">
            {t("deadlines.title")} →
          </Anchor>
          {me.can_write && (
            <Button size="xs" onClick={() => setCreating(true)}>
              {t("teams.new")}
            </Button>
          )}
        </Group>
      </Group>
      <Card withBorder>
        <Group align="flex-start">
          <TextInput label={t("common.search")} leftSection={<IconSearch size={14} />} value={q} maxLength={100} onChange={(e) => setQ(e.currentTarget.value)} error={errs.q} w={240} />
          <TextInput
            label={t("common.regionCode")}
            placeholder={me.region?.code ?? "33.75"}
            value={region}
            maxLength={13}
            onChange={(e) => setRegion(e.currentTarget.value)}
            error={errs.region}
            w={150}
          />
          <Select
            label={t("regions.level")}
            data={LEVELS.map((l) => ({ value: l, label: t(`levels.${l}`) }))}
            value={level}
            onChange={(v) => setLevel(v)}
            clearable
            placeholder={t("common.all")}
            w={180}
          />
        </Group>
      </Card>
      {list.error && !(errs.q || errs.region) && <ProblemAlert error={list.error} />}
      <QueryTable
        query={list}
        showProblem={false}
        testId="team-table"
        rowKey={(tm) => tm.id}
        page={{ limit: PAGE, offset, onOffset: setOffset }}
        columns={[
          {
            header: t("teams.name"),
            cell: (tm) => (
              <Anchor component={Link} to={`/teams/${tm.id}`}>
                {tm.name}
              </Anchor>
            ),
          },
          {
            header: t("common.region"),
            cell: (tm) => (
              <>
                {tm.region_name}{" "}
                <Text span size="xs" c="dimmed" ff="monospace">
                  {tm.region_code}
                </Text>
              </>
            ),
          },
          { header: t("regions.level"), cell: (tm) => t(`levels.${tm.level}`) },
          { header: t("teams.kind"), cell: (tm) => t(`teams.kinds.${tm.kind}`) },
          { header: t("teams.formedOn"), cell: (tm) => formatDate(tm.formed_on) },
          {
            header: t("common.status"),
            td: { miw: 120 },
            cell: (tm) => (
              <Badge color={tm.is_active ? "teal" : "gray"} variant="light">
                {tm.is_active ? t("common.active") : t("common.inactive")}
              </Badge>
            ),
          },
        ]}
      />
      {creating && <TeamFormModal onClose={() => setCreating(false)} />}
    </Stack>
  );
}

export function TeamDetailPage() {
  const { teamId } = useParams();
  const id = Number(teamId);
  const { t } = useTranslation();
  const me = useMe();
  const [editing, setEditing] = useState(false);
  const [member, setMember] = useState<Member | "new" | null>(null);
  const [newDecree, setNewDecree] = useState(false);
  const removeMember = useRemoveMember();
  const team = useQuery({ ...teamQuery(id), retry: false });
  const decrees = useQuery({
    ...teamDecreesQuery(id),
    enabled: team.isSuccess,
  });
  const predecessorId = team.data?.succeeds_team_id ?? null;
  const predecessor = useQuery({ ...teamQuery(predecessorId ?? 0), enabled: predecessorId !== null, retry: false });
  if (team.isPending) return <Loader />;
  if (team.error)
    return (
      <Stack>
        <ProblemAlert error={team.error} />
        <Anchor component={Link} to="/teams">
          ← {t("teams.title")}
        </Anchor>
      </Stack>
    );
  const tm = team.data;
  const writable = canWriteIn(me, tm.region_code);
  const members = [...tm.members].sort((a, b) => POSITION_ORDER.indexOf(a.position) - POSITION_ORDER.indexOf(b.position));
  return (
    <Stack>
      <Anchor component={Link} to="/teams" size="sm">
        ← {t("teams.title")}
      </Anchor>
      <Group gap="sm" align="baseline">
        <Title order={2} data-testid="team-name">
          {tm.name}
        </Title>
        <Badge variant="light">{t(`teams.kinds.${tm.kind}`)}</Badge>
        {!tm.is_active && <Badge color="gray">{t("common.inactive")}</Badge>}
        {writable && (
          <Button size="compact-sm" variant="default" onClick={() => setEditing(true)}>
            {t("teams.edit")}
          </Button>
        )}
      </Group>
      <Text c="dimmed">
        <Anchor component={Link} to={`/regions/${tm.region_code}`}>
          {tm.region_name ?? tm.region_code}
        </Anchor>{" "}
        · {t(`levels.${tm.level}`)} · {t("teams.formedOn")}: {formatDate(tm.formed_on)}
      </Text>
      {predecessorId !== null && (
        <Text size="sm" data-testid="team-succeeds">
          {t("teams.succeeds")}:{" "}
          <Anchor component={Link} to={`/teams/${predecessorId}`}>
            {predecessor.data ? `${predecessor.data.name} (${t(`teams.kinds.${predecessor.data.kind}`)})` : `#${predecessorId}`}
          </Anchor>
        </Text>
      )}
      {tm.notes && <Text style={{ whiteSpace: "pre-wrap" }}>{tm.notes}</Text>}
      <Card withBorder>
        <Group justify="space-between" mb="sm">
          <Title order={4}>{t("teams.members")}</Title>
          {writable && (
            <Button size="xs" onClick={() => setMember("new")}>
              {t("teams.addMember")}
            </Button>
          )}
        </Group>
        {removeMember.error ? <ProblemAlert error={removeMember.error} /> : null}
        {members.length === 0 ? (
          <Text c="dimmed">{t("common.empty")}</Text>
        ) : (
          <Table withTableBorder striped data-testid="members">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("teams.position")}</Table.Th>
                <Table.Th>{t("teams.memberName")}</Table.Th>
                <Table.Th>{t("teams.institution")}</Table.Th>
                <Table.Th>{t("teams.term")}</Table.Th>
                {writable && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {members.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>
                    {t(`teams.positions.${m.position}`)}
                    {m.spm_field ? ` — ${t(`spm.${m.spm_field}`)}` : ""}
                  </Table.Td>
                  <Table.Td>{m.name}</Table.Td>
                  <Table.Td>{m.institution ?? "—"}</Table.Td>
                  <Table.Td>
                    {m.term_start || m.term_end ? `${formatDate(m.term_start)} – ${formatDate(m.term_end)}` : "—"}
                  </Table.Td>
                  {writable && (
                    <Table.Td w={160}>
                      <EditDeleteButtons
                        onEdit={() => setMember(m)}
                        question={t("teams.removeMemberQuestion", { name: m.name })}
                        onDelete={() => removeMember.mutateAsync(m).catch(() => undefined)}
                      />
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      <Card withBorder>
        <Group justify="space-between" mb="sm">
          <Title order={4}>{t("teams.decrees")}</Title>
          {writable && (
            <Button size="xs" onClick={() => setNewDecree(true)}>
              {t("decrees.new")}
            </Button>
          )}
        </Group>
        {decrees.data && decrees.data.items.length > 0 ? (
          <Table withTableBorder data-testid="team-decrees">
            <Table.Tbody>
              {decrees.data.items.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/decrees/${d.id}`}>
                      {d.title}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{d.number ?? "—"}</Table.Td>
                  <Table.Td>{formatDate(d.decree_date)}</Table.Td>
                  <Table.Td>
                    <DecreeStatusBadge status={d.status} />
                  </Table.Td>
                  <Table.Td>
                    <DecreeFileLink decree={d} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          <Text c="dimmed">{t("common.empty")}</Text>
        )}
      </Card>
      {editing && <TeamFormModal key={tm.version} team={tm} onClose={() => setEditing(false)} />}
      {member && <MemberFormModal key={member === "new" ? "new" : `${member.id}-${member.version}`} team={tm} member={member === "new" ? undefined : member} onClose={() => setMember(null)} />}
      {newDecree && <DecreeFormModal team={tm} onClose={() => setNewDecree(false)} />}
    </Stack>
  );
}

// Teams (TP Posyandu, or the older Pokjanal/Pokja): the list for a region and one team with its
// members and positions, and the decrees (SK) that formed it.
import { Anchor, Badge, Button, Group, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ExportButtons } from "../components/Download";
import { Link } from "react-router";
import { type Schemas } from "../api/client";
import { fieldErrors } from "../api/problems";
import { useMe } from "../auth/auth";
import { ProblemAlert } from "../components/ProblemAlert";
import { formatDate } from "../lib/format";
import { DecreeFileLink, DecreeStatusBadge } from "../components/decree";
import { DecreeFormModal } from "../components/DecreeFormModal";
import { ActiveBadge, EditDeleteButtons } from "../components/RowActions";
import { ProvenanceBadge, ProvenanceSource } from "../components/Provenance";
import { allows } from "../lib/scope";
import { teamDecreesQuery, teamListQuery, teamQuery, useRemoveMember } from "./api";
import { MemberFormModal, TeamFormModal } from "./TeamForms";
import { FilterBar, ParamSelect, RegionParam, SearchParam } from "../components/Filters";
import { BackLink, ForwardLink, PageHeader, RecordState, RecordTitle, Section, useRouteId, WithCode } from "../components/Page";
import { useListQuery } from "../api/query";
import { QueryTable, loaded } from "../components/QueryTable";
import { useDebouncedParam, useListParams } from "../lib/listParams";

const PAGE = 25;
type Member = Schemas["MemberRead"];
type Level = Schemas["RegionLevel"];
const LEVELS: Level[] = ["province", "regency", "district", "village"];
const POSITION_ORDER: Schemas["Position"][] = ["pembina", "ketua", "wakil_ketua", "sekretaris", "bendahara", "ketua_bidang", "anggota"];

export function TeamsPage() {
  const params = useListParams();
  const { t } = useTranslation();
  const me = useMe();
  const q = useDebouncedParam(params, "q");
  const region = useDebouncedParam(params, "region");
  const level = params.get("level") || null;
  const query = { q: q || undefined, region: region || undefined, level: (level ?? undefined) as Level | undefined, limit: PAGE, ...params.position, sort: "region_code" };
  const list = useListQuery({ ...teamListQuery(query), retry: false });
  const [creating, setCreating] = useState(false);
  const errs = fieldErrors(list.error);
  return (
    <Stack>
      <PageHeader title={t("teams.title")}>
        <Group gap="md">
          <ExportButtons path="/api/v1/exports/teams" query={query} what={t("teams.title")} />
          <ForwardLink to="/decrees" label={t("decrees.title")} size="md" />
          <ForwardLink to="/reporting-deadlines" label={t("deadlines.title")} size="md" />
          {allows(me, "create_team") && (
            <Button size="xs" onClick={() => setCreating(true)}>
              {t("teams.new")}
            </Button>
          )}
        </Group>
      </PageHeader>
      <FilterBar>
        <SearchParam params={params} error={errs.q} />
        <RegionParam params={params} error={errs.region} />
        <ParamSelect params={params} param="level" label={t("regions.level")} data={LEVELS.map((l) => ({ value: l, label: t(`levels.${l}`) }))} w={180} />
      </FilterBar>
      {list.error && !(errs.q || errs.region) && <ProblemAlert error={list.error} />}
      <QueryTable
        query={list}
        showProblem={false}
        testId="team-table"
        rowKey={(tm) => tm.id}
        page={params.page(PAGE)}
        columns={[
          { header: t("teams.name"), link: (tm) => `/teams/${tm.id}`, cell: (tm) => tm.name },
          { header: t("common.region"), cell: (tm) => (tm.region_code === null ? t("app.national") : <WithCode code={tm.region_code}>{tm.region_name}</WithCode>) },
          { header: t("regions.level"), cell: (tm) => t(`levels.${tm.level}`) },
          { header: t("teams.kind"), cell: (tm) => t(`teams.kinds.${tm.kind}`) },
          { header: t("teams.formedOn"), cell: (tm) => formatDate(tm.formed_on) },
          {
            header: t("common.status"),
            td: { miw: 120 },
            cell: (tm) => (
              <Group gap={4} wrap="nowrap">
                <ActiveBadge active={tm.is_active} />
                <ProvenanceBadge provenance={tm.provenance} />
              </Group>
            ),
          },
        ]}
      />
      {creating && <TeamFormModal onClose={() => setCreating(false)} />}
    </Stack>
  );
}

export function TeamDetailPage() {
  const { id } = useRouteId("teamId");
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [member, setMember] = useState<Member | "new" | null>(null);
  const [newDecree, setNewDecree] = useState(false);
  const removeMember = useRemoveMember();
  const team = useQuery({ ...teamQuery(id), retry: false });
  const decrees = useQuery({
    ...teamDecreesQuery(id),
    enabled: team.isSuccess,
  });
  // a TP Posyandu may name the Pokjanal/Pokja it succeeds
  const predecessorId = team.data?.succeeds_team_id ?? null;
  const predecessor = useQuery({ ...teamQuery(predecessorId ?? 0), enabled: predecessorId !== null, retry: false });
  if (!team.isSuccess) return <RecordState query={team} back={{ to: "/teams", label: t("teams.title") }} />;
  const tm = team.data;
  const memberActions = tm.members.some((m) => allows(m, "update") || allows(m, "delete"));
  const members = [...tm.members].sort((a, b) => POSITION_ORDER.indexOf(a.position) - POSITION_ORDER.indexOf(b.position));
  return (
    <Stack>
      <BackLink to="/teams" label={t("teams.title")} />
      <RecordTitle title={tm.name} testId="team-name">
        <Badge variant="light">{t(`teams.kinds.${tm.kind}`)}</Badge>
        {!tm.is_active && <Badge color="gray">{t("common.inactive")}</Badge>}
        <ProvenanceBadge provenance={tm.provenance} />
        {allows(tm, "update") && (
          <Button size="compact-sm" variant="default" onClick={() => setEditing(true)}>
            {t("teams.edit")}
          </Button>
        )}
      </RecordTitle>
      <Text c="dimmed">
        {tm.region_code === null ? (
          t("app.national")
        ) : (
          <Anchor component={Link} to={`/regions/${tm.region_code}`} underline="always">
            {tm.region_name ?? tm.region_code}
          </Anchor>
        )}{" "}
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
      <ProvenanceSource provenance={tm.provenance} />
      <Section
        title={t("teams.members")}
        actions={
          allows(tm, "add_member") && (
            <Button size="xs" onClick={() => setMember("new")}>
              {t("teams.addMember")}
            </Button>
          )
        }
      >
        {removeMember.error ? <ProblemAlert error={removeMember.error} /> : null}
        <QueryTable
          query={loaded(members)}
          empty="instead"
          testId="members"
          rowKey={(m) => m.id}
          columns={[
            { header: t("teams.position"), cell: (m) => `${t(`teams.positions.${m.position}`)}${m.spm_field ? ` — ${t(`spm.${m.spm_field}`)}` : ""}` },
            {
              header: t("teams.memberName"),
              cell: (m) => (
                <Group gap={6} wrap="nowrap">
                  {m.name}
                  <ProvenanceBadge provenance={m.provenance} />
                </Group>
              ),
            },
            { header: t("teams.institution"), cell: (m) => m.institution ?? "—" },
            { header: t("teams.phone"), cell: (m) => (m.phone ? <Anchor href={`tel:${m.phone}`}>{m.phone}</Anchor> : "—") },
            { header: t("teams.term"), cell: (m) => (m.term_start || m.term_end ? `${formatDate(m.term_start)} – ${formatDate(m.term_end)}` : "—") },
            memberActions && {
              td: { w: 160 },
              cell: (m) => (
                <EditDeleteButtons
                  record={m}
                  onEdit={() => setMember(m)}
                  question={t("teams.removeMemberQuestion", { name: m.name })}
                  onDelete={() => removeMember.mutateAsync(m).catch(() => undefined)}
                />
              ),
            },
          ]}
        />
      </Section>
      <Section
        title={t("teams.decrees")}
        actions={
          allows(tm, "add_decree") && (
            <Button size="xs" onClick={() => setNewDecree(true)}>
              {t("decrees.new")}
            </Button>
          )
        }
      >
        <QueryTable
          query={decrees}
          empty="instead"
          testId="team-decrees"
          tableProps={{ striped: false, withTableBorder: true }}
          rowKey={(d) => d.id}
          columns={[
            { header: t("decrees.titleCol"), link: (d) => `/decrees/${d.id}`, cell: (d) => d.title },
            { header: t("decrees.number"), cell: (d) => d.number ?? "—" },
            { header: t("decrees.date"), cell: (d) => formatDate(d.decree_date) },
            {
              header: t("common.status"),
              cell: (d) => (
                <Group gap={4} wrap="nowrap">
                  <DecreeStatusBadge status={d.status} />
                  <ProvenanceBadge provenance={d.provenance} />
                </Group>
              ),
            },
            { header: t("decrees.file"), cell: (d) => <DecreeFileLink decree={d} /> },
          ]}
        />
      </Section>
      {editing && <TeamFormModal key={tm.version} team={tm} onClose={() => setEditing(false)} />}
      {member && <MemberFormModal key={member === "new" ? "new" : `${member.id}-${member.version}`} team={tm} member={member === "new" ? undefined : member} onClose={() => setMember(null)} />}
      {newDecree && tm.region_code !== null && <DecreeFormModal team={{ id: tm.id, name: tm.name, region_code: tm.region_code }} onClose={() => setNewDecree(false)} />}
    </Stack>
  );
}

// Forms for a team (TP Posyandu, Pokjanal, Pokja) and its members: create with POST, change
// with PATCH sent with the version the user loaded (If-Match; a 412 shows what changed).
import { Checkbox, Select, SimpleGrid, TextInput, Textarea } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import type { Schemas } from "../api/client";
import { useMe } from "../auth/auth";
import { FormModal, textOrNull } from "../components/FormModal";
import { DateField } from "../components/DateField";
import { useFields } from "../lib/fields";
import { REGION_CODE } from "../lib/scope";
import { SPM_FIELDS, type SpmField } from "../lib/spm";
import { teamListQuery, useSaveMember, useSaveTeam } from "./api";
import { RegionPicker } from "../components/RegionPicker";

type Team = Schemas["TeamRead"];
type TeamKind = Schemas["TeamKind"];
type Member = Schemas["MemberRead"];
type Position = Schemas["Position"];
export const TEAM_KINDS: TeamKind[] = ["tp_posyandu", "pokjanal_posyandu", "pokja_posyandu"];
const LEVELS: Schemas["RegionLevel"][] = ["province", "regency", "district", "village"];
export const POSITIONS: Position[] = ["pembina", "ketua", "wakil_ketua", "sekretaris", "bendahara", "ketua_bidang", "anggota"];

/** Create a team (no `team`) or change one; a new team opens on its own page. */
export function TeamFormModal({ team, onClose }: { team?: Team; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const save = useSaveTeam(team, (saved) => {
    onClose();
    if (!team) navigate(`/teams/${saved.id}`);
  });
  const f = useFields(
    {
      region_code: team?.region_code ?? me.region?.code ?? "",
      kind: (team?.kind ?? "tp_posyandu") as string | null,
      name: team?.name ?? "",
      formed_on: team?.formed_on ?? "",
      succeeds_team_id: (team?.succeeds_team_id ? String(team.succeeds_team_id) : null) as string | null,
      is_active: team?.is_active ?? true,
      notes: team?.notes ?? "",
    },
    save.error,
  );
  const v = f.values;
  const choices = usePredecessors(v.region_code.trim(), v.kind === "tp_posyandu", team?.id);
  if (v.succeeds_team_id && !choices.some((c) => c.value === v.succeeds_team_id)) choices.push({ value: v.succeeds_team_id, label: `#${v.succeeds_team_id}` });
  const submit = () => {
    const common = {
      kind: v.kind as TeamKind,
      notes: textOrNull(v.notes),
      formed_on: v.formed_on || null,
      succeeds_team_id: v.kind === "tp_posyandu" && v.succeeds_team_id ? Number(v.succeeds_team_id) : null,
      is_active: v.is_active,
    };
    // an emptied name is sent as "" so that the API's 422 names the field
    save.mutate(team ? { ...common, name: v.name.trim() } : { ...common, region_code: v.region_code.trim(), name: textOrNull(v.name) });
  };
  const labels = {
    name: t("teams.name"),
    kind: t("teams.kind"),
    formed_on: t("teams.formedOn"),
    succeeds_team_id: t("teams.succeedsLabel"),
    is_active: t("common.active"),
    notes: t("teams.notes"),
  };
  return (
    <FormModal title={team ? t("teams.edit") : t("teams.new")} size="lg" onClose={onClose} onSubmit={submit} mutation={save} fields={Object.keys(v)} stale={{ loaded: team ?? {}, labels, queryKey: "teams" }}>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <RegionPicker label={t("common.regionCode")} description={t("teams.regionHelp")} {...f.region("region_code")} disabled={!!team} required data-autofocus />
        <Select label={t("teams.kind")} data={TEAM_KINDS.map((k) => ({ value: k, label: t(`teams.kinds.${k}`) }))} {...f.choice("kind")} allowDeselect={false} />
      </SimpleGrid>
      <TextInput label={t("teams.name")} description={team ? undefined : t("teams.nameHelp")} maxLength={200} {...f.text("name")} required={!!team} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <DateField label={t("teams.formedOn")} {...f.date("formed_on")} />
        <Checkbox mt={30} label={t("teams.isActive")} {...f.checked("is_active")} />
      </SimpleGrid>
      {v.kind === "tp_posyandu" && choices.length > 0 && (
        <Select label={t("teams.succeedsLabel")} description={t("teams.succeedsHelp")} placeholder={t("teams.succeedsNone")} data={choices} {...f.choice("succeeds_team_id")} clearable />
      )}
      <Textarea label={t("teams.notes")} maxLength={5000} {...f.text("notes")} autosize minRows={2} />
    </FormModal>
  );
}

/**
 * The teams a TP Posyandu of region `code` may succeed, as choices: the region's own Pokjanal/Pokja
 * (never `self`), asked for only when `wanted` and the code is a whole region code.
 */
function usePredecessors(code: string, wanted: boolean, self: number | undefined): { value: string; label: string }[] {
  const { t } = useTranslation();
  const level = REGION_CODE.test(code) ? LEVELS[code.split(".").length - 1] : undefined;
  const others = useQuery({ ...teamListQuery({ region: code, level, limit: 20 }), enabled: wanted && level !== undefined });
  return (others.data?.items ?? [])
    .filter((x) => x.kind !== "tp_posyandu" && x.region_code === code && x.id !== self)
    .map((x) => ({ value: String(x.id), label: `${x.name} (${t(`teams.kinds.${x.kind}`)})` }));
}

/** Add a member to `team` (no `member`) or change one. */
export function MemberFormModal({ team, member, onClose }: { team: Team; member?: Member; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSaveMember(team, member, onClose);
  const f = useFields(
    {
      position: (member?.position ?? null) as Position | null,
      spm_field: (member?.spm_field ?? null) as SpmField | null,
      name: member?.name ?? "",
      institution: member?.institution ?? "",
      phone: member?.phone ?? "",
      term_start: member?.term_start ?? "",
      term_end: member?.term_end ?? "",
    },
    save.error,
  );
  const v = f.values;
  // only a field chair (ketua bidang) heads an SPM field
  const chair = v.position === "ketua_bidang";
  const submit = () =>
    save.mutate({
      ...v,
      position: v.position as Position,
      spm_field: chair ? v.spm_field : null,
      name: v.name.trim(),
      institution: textOrNull(v.institution),
      phone: textOrNull(v.phone),
      term_start: v.term_start || null,
      term_end: v.term_end || null,
    });
  const labels = { position: t("teams.position"), spm_field: t("teams.spmField"), name: t("teams.memberName"), institution: t("teams.institution"), phone: t("teams.phone"), term_start: t("teams.termStart"), term_end: t("teams.termEnd") };
  return (
    <FormModal
      title={member ? t("teams.editMember") : t("teams.addMember")}
      size="lg"
      onClose={onClose}
      onSubmit={submit}
      mutation={save}
      fields={Object.keys(v).filter((k) => chair || k !== "spm_field")}
      stale={{ loaded: member ?? {}, labels, queryKey: "teams" }}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select label={t("teams.position")} data={POSITIONS.map((p) => ({ value: p, label: t(`teams.positions.${p}`) }))} {...f.choice("position")} required />
        {chair && <Select label={t("teams.spmField")} data={SPM_FIELDS.map((x) => ({ value: x, label: t(`spm.${x}`) }))} {...f.choice("spm_field")} required />}
      </SimpleGrid>
      <TextInput label={t("teams.memberName")} maxLength={200} {...f.text("name")} required data-autofocus />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t("teams.institution")} maxLength={200} {...f.text("institution")} />
        <TextInput type="tel" label={t("teams.phone")} description={t("teams.phoneHelp")} maxLength={32} {...f.text("phone")} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <DateField label={t("teams.termStart")} {...f.date("term_start")} />
        <DateField label={t("teams.termEnd")} {...f.date("term_end")} />
      </SimpleGrid>
    </FormModal>
  );
}

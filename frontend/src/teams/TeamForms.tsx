// Forms for a team (TP Posyandu, Pokjanal, Pokja) and its members: create with POST, change
// with PATCH sent with the version the user loaded (If-Match; a 412 shows what changed).
import { Checkbox, Select, SimpleGrid, TextInput, Textarea } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import type { Schemas } from "../api/client";
import { fieldErrors } from "../api/problems";
import { useMe } from "../auth/auth";
import { FormModal, textOrNull } from "../components/FormModal";
import { SPM_FIELDS, type SpmField } from "../lib/spm";
import { teamListQuery, useSaveMember, useSaveTeam } from "./api";

type Team = Schemas["TeamRead"];
type TeamKind = Schemas["TeamKind"];
type Member = Schemas["MemberRead"];
type Position = Schemas["Position"];
export const TEAM_KINDS: TeamKind[] = ["tp_posyandu", "pokjanal_posyandu", "pokja_posyandu"];
const LEVELS: Schemas["RegionLevel"][] = ["province", "regency", "district", "village"];
const REGION_CODE = /^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/;
export const POSITIONS: Position[] = ["pembina", "ketua", "wakil_ketua", "sekretaris", "bendahara", "ketua_bidang", "anggota"];

/** Create a team (no `team`) or change one; a new team opens on its own page. */
export function TeamFormModal({ team, onClose }: { team?: Team; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const [region, setRegion] = useState(team?.region_code ?? me.region?.code ?? "");
  const [kind, setKind] = useState<TeamKind>(team?.kind ?? "tp_posyandu");
  const [name, setName] = useState(team?.name ?? "");
  const [formedOn, setFormedOn] = useState(team?.formed_on ?? "");
  const [active, setActive] = useState(team?.is_active ?? true);
  const [notes, setNotes] = useState(team?.notes ?? "");
  const [succeeds, setSucceeds] = useState<string | null>(team?.succeeds_team_id ? String(team.succeeds_team_id) : null);
  // a TP Posyandu may record the Pokjanal/Pokja of its own region it succeeds
  const code = region.trim();
  const level = REGION_CODE.test(code) ? LEVELS[code.split(".").length - 1] : undefined;
  const others = useQuery({ ...teamListQuery({ region: code, level, limit: 20 }), enabled: kind === "tp_posyandu" && level !== undefined });
  const predecessors = (others.data?.items ?? []).filter((x) => x.kind !== "tp_posyandu" && x.region_code === code && x.id !== team?.id);
  const choices = predecessors.map((x) => ({ value: String(x.id), label: `${x.name} (${t(`teams.kinds.${x.kind}`)})` }));
  if (succeeds && !choices.some((c) => c.value === succeeds)) choices.push({ value: succeeds, label: `#${succeeds}` });
  const save = useSaveTeam(team, (saved) => {
    onClose();
    if (!team) navigate(`/teams/${saved.id}`);
  });
  const submit = () => {
    const common = {
      kind,
      notes: textOrNull(notes),
      formed_on: formedOn || null,
      succeeds_team_id: kind === "tp_posyandu" && succeeds ? Number(succeeds) : null,
      is_active: active,
    };
    // an emptied name is sent as "" so that the API's 422 names the field
    save.mutate(team ? { ...common, name: name.trim() } : { ...common, region_code: region.trim(), name: textOrNull(name) });
  };
  const errs = fieldErrors(save.error);
  return (
    <FormModal
      title={team ? t("teams.edit") : t("teams.new")}
      onClose={onClose}
      onSubmit={submit}
      saving={save.isPending}
      error={save.error}
      fields={["region_code", "kind", "name", "formed_on", "succeeds_team_id", "is_active", "notes"]}
      stale={{
        loaded: team ?? {},
        labels: {
          name: t("teams.name"),
          kind: t("teams.kind"),
          formed_on: t("teams.formedOn"),
          succeeds_team_id: t("teams.succeedsLabel"),
          is_active: t("common.active"),
          notes: t("teams.notes"),
        },
        queryKey: "teams",
      }}
      size="lg"
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label={t("common.regionCode")}
          description={t("teams.regionHelp")}
          value={region}
          maxLength={13}
          onChange={(e) => setRegion(e.currentTarget.value)}
          error={errs.region_code}
          disabled={!!team}
          required
          data-autofocus
        />
        <Select
          label={t("teams.kind")}
          data={TEAM_KINDS.map((k) => ({ value: k, label: t(`teams.kinds.${k}`) }))}
          value={kind}
          onChange={(v) => v && setKind(v as TeamKind)}
          allowDeselect={false}
          error={errs.kind}
        />
      </SimpleGrid>
      <TextInput
        label={t("teams.name")}
        description={team ? undefined : t("teams.nameHelp")}
        value={name}
        maxLength={200}
        onChange={(e) => setName(e.currentTarget.value)}
        error={errs.name}
        required={!!team}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput type="date" label={t("teams.formedOn")} value={formedOn} onChange={(e) => setFormedOn(e.currentTarget.value)} error={errs.formed_on} />
        <Checkbox mt={30} label={t("teams.isActive")} checked={active} onChange={(e) => setActive(e.currentTarget.checked)} error={errs.is_active} />
      </SimpleGrid>
      {kind === "tp_posyandu" && choices.length > 0 && (
        <Select
          label={t("teams.succeedsLabel")}
          description={t("teams.succeedsHelp")}
          placeholder={t("teams.succeedsNone")}
          data={choices}
          value={succeeds}
          onChange={setSucceeds}
          clearable
          error={errs.succeeds_team_id}
        />
      )}
      <Textarea label={t("teams.notes")} value={notes} maxLength={5000} onChange={(e) => setNotes(e.currentTarget.value)} error={errs.notes} autosize minRows={2} />
    </FormModal>
  );
}

/** Add a member to `team` (no `member`) or change one. */
export function MemberFormModal({ team, member, onClose }: { team: Team; member?: Member; onClose: () => void }) {
  const { t } = useTranslation();
  const [position, setPosition] = useState<Position | null>(member?.position ?? null);
  const [spmField, setSpmField] = useState<SpmField | null>(member?.spm_field ?? null);
  const [name, setName] = useState(member?.name ?? "");
  const [institution, setInstitution] = useState(member?.institution ?? "");
  const [termStart, setTermStart] = useState(member?.term_start ?? "");
  const [termEnd, setTermEnd] = useState(member?.term_end ?? "");
  const save = useSaveMember(team, member, onClose);
  const submit = () => {
    const body = {
      position: position as Position,
      // only a field chair (ketua bidang) heads an SPM field
      spm_field: position === "ketua_bidang" ? spmField : null,
      name: name.trim(),
      institution: textOrNull(institution),
      term_start: termStart || null,
      term_end: termEnd || null,
    };
    save.mutate(body);
  };
  const errs = fieldErrors(save.error);
  return (
    <FormModal
      title={member ? t("teams.editMember") : t("teams.addMember")}
      onClose={onClose}
      onSubmit={submit}
      saving={save.isPending}
      error={save.error}
      fields={["position", ...(position === "ketua_bidang" ? ["spm_field"] : []), "name", "institution", "term_start", "term_end"]}
      stale={{
        loaded: member ?? {},
        labels: { position: t("teams.position"), spm_field: t("teams.spmField"), name: t("teams.memberName"), institution: t("teams.institution"), term_start: t("teams.termStart"), term_end: t("teams.termEnd") },
        queryKey: "teams",
      }}
      size="lg"
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label={t("teams.position")}
          data={POSITIONS.map((p) => ({ value: p, label: t(`teams.positions.${p}`) }))}
          value={position}
          onChange={(v) => setPosition(v as Position | null)}
          error={errs.position}
          required
        />
        {position === "ketua_bidang" && (
          <Select
            label={t("teams.spmField")}
            data={SPM_FIELDS.map((f) => ({ value: f, label: t(`spm.${f}`) }))}
            value={spmField}
            onChange={(v) => setSpmField(v as SpmField | null)}
            error={errs.spm_field}
            required
          />
        )}
      </SimpleGrid>
      <TextInput label={t("teams.memberName")} value={name} maxLength={200} onChange={(e) => setName(e.currentTarget.value)} error={errs.name} required data-autofocus />
      <TextInput label={t("teams.institution")} value={institution} maxLength={200} onChange={(e) => setInstitution(e.currentTarget.value)} error={errs.institution} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput type="date" label={t("teams.termStart")} value={termStart} onChange={(e) => setTermStart(e.currentTarget.value)} error={errs.term_start} />
        <TextInput type="date" label={t("teams.termEnd")} value={termEnd} onChange={(e) => setTermEnd(e.currentTarget.value)} error={errs.term_end} />
      </SimpleGrid>
    </FormModal>
  );
}

// The form of a work program: create with POST (the team is picked by name, the year among the
// fiscal years), change with PATCH sent with the version the user loaded (If-Match; a 412 shows
// what changed). The allocations it may link are those of its team's budgets for its year.
import { MultiSelect, Select, SimpleGrid, TextInput, Textarea } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import type { Schemas } from "../api/client";
import { FormModal, textOrNull } from "../components/FormModal";
import { DateField } from "../components/DateField";
import { useFields } from "../lib/fields";
import { formatRupiah } from "../lib/format";
import { SPM_FIELDS, type SpmField } from "../lib/spm";
import { teamBudgetsQuery, teamChoicesQuery, useSaveWorkProgram } from "./api";

type Program = Schemas["WorkProgramRead"];
type Status = Schemas["WorkProgramStatus"];
export const WORK_PROGRAM_STATUSES: Status[] = ["planned", "in_progress", "done", "cancelled"];

/** Fiscal years offered: the next, the current and five back. */
export function fiscalYears(): string[] {
  const now = new Date().getFullYear();
  return Array.from({ length: 7 }, (_, i) => String(now + 1 - i));
}

export function WorkProgramFormModal({ program, onClose }: { program?: Program; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const save = useSaveWorkProgram(program, (saved) => {
    onClose();
    if (!program) navigate(`/work-programs/${saved.id}`);
  });
  const f = useFields(
    {
      team_id: (program ? String(program.team_id) : null) as string | null,
      year: String(program?.year ?? new Date().getFullYear()) as string | null,
      title: program?.title ?? "",
      spm_field: (program?.spm_field ?? null) as string | null,
      status: (program?.status ?? "planned") as string | null,
      start_date: program?.start_date ?? "",
      end_date: program?.end_date ?? "",
      person_in_charge: program?.person_in_charge ?? "",
      description: program?.description ?? "",
      allocation_ids: (program?.allocation_ids ?? []).map(String),
    },
    save.error,
  );
  const v = f.values;
  // the search text is the picked team's label once one is picked: then list (and keep) it
  const [teamSearch, setTeamSearch] = useState("");
  const [pickedTeam, setPickedTeam] = useState<{ value: string; label: string } | null>(program ? { value: String(program.team_id), label: program.team_name } : null);
  const q = teamSearch === pickedTeam?.label ? "" : teamSearch.trim();
  const teams = useQuery({ ...teamChoicesQuery(q), enabled: !program });
  const teamChoices = (teams.data?.items ?? []).map((tm) => ({ value: String(tm.id), label: `${tm.name} (${tm.region_code ?? t("app.national")})` }));
  if (pickedTeam && !teamChoices.some((c) => c.value === pickedTeam.value)) teamChoices.unshift(pickedTeam);
  const budgets = useQuery({ ...teamBudgetsQuery(Number(v.team_id), Number(v.year)), enabled: !!v.team_id && !!v.year });
  const allocationChoices = (budgets.data ?? []).flatMap((b) =>
    b.allocations.map((a) => ({ value: String(a.id), label: `${a.activity} · ${t(`budgets.sources.${b.source}`)} · ${formatRupiah(a.amount)}` })),
  );
  for (const id of v.allocation_ids) if (!allocationChoices.some((c) => c.value === id)) allocationChoices.push({ value: id, label: program?.allocations.find((a) => String(a.id) === id)?.activity ?? `#${id}` });

  const submit = () => {
    const common = {
      title: v.title.trim(),
      spm_field: (v.spm_field || null) as SpmField | null,
      status: (v.status || "planned") as Status,
      start_date: v.start_date || null,
      end_date: v.end_date || null,
      person_in_charge: textOrNull(v.person_in_charge),
      description: textOrNull(v.description),
      allocation_ids: v.allocation_ids.map(Number),
    };
    // an unpicked team is sent as 0 so that the API's 422 names the field
    save.mutate(program ? common : { ...common, team_id: Number(v.team_id ?? 0), year: Number(v.year ?? 0) });
  };
  const labels = {
    title: t("workPrograms.programTitle"),
    spm_field: t("workPrograms.spmField"),
    status: t("common.status"),
    start_date: t("workPrograms.startDate"),
    end_date: t("workPrograms.endDate"),
    person_in_charge: t("workPrograms.personInCharge"),
    description: t("workPrograms.description"),
    allocation_ids: t("workPrograms.allocations"),
  };
  return (
    <FormModal
      title={program ? t("workPrograms.edit") : t("workPrograms.new")}
      size="lg"
      onClose={onClose}
      onSubmit={submit}
      mutation={save}
      fields={Object.keys(v)}
      stale={{ loaded: program ?? {}, labels, queryKey: "work-programs" }}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label={t("workPrograms.team")}
          description={program ? undefined : t("workPrograms.teamHelp")}
          data={teamChoices}
          searchable
          searchValue={program ? undefined : teamSearch}
          onSearchChange={program ? undefined : setTeamSearch}
          nothingFoundMessage={t("common.empty")}
          filter={({ options }) => options}
          disabled={!!program}
          required
          value={v.team_id}
          onChange={(id) => {
            f.set("team_id", id);
            setPickedTeam(teamChoices.find((c) => c.value === id) ?? null);
          }}
          error={f.errors.team_id}
        />
        <Select label={t("workPrograms.year")} data={fiscalYears()} disabled={!!program} allowDeselect={false} required {...f.choice("year")} />
      </SimpleGrid>
      <TextInput label={t("workPrograms.programTitle")} maxLength={300} required data-autofocus {...f.text("title")} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select label={t("workPrograms.spmField")} placeholder={t("workPrograms.wholeTeam")} data={SPM_FIELDS.map((s) => ({ value: s, label: t(`spm.${s}`) }))} clearable {...f.choice("spm_field")} />
        <Select label={t("common.status")} data={WORK_PROGRAM_STATUSES.map((s) => ({ value: s, label: t(`workPrograms.statuses.${s}`) }))} allowDeselect={false} {...f.choice("status")} />
        <DateField label={t("workPrograms.startDate")} {...f.date("start_date")} />
        <DateField label={t("workPrograms.endDate")} {...f.date("end_date")} />
      </SimpleGrid>
      <TextInput label={t("workPrograms.personInCharge")} description={t("workPrograms.personInChargeHelp")} maxLength={200} {...f.text("person_in_charge")} />
      <MultiSelect
        label={t("workPrograms.allocations")}
        description={t("workPrograms.allocationsHelp")}
        data={allocationChoices}
        value={v.allocation_ids}
        onChange={(ids) => f.set("allocation_ids", ids)}
        error={f.errors.allocation_ids}
        nothingFoundMessage={t("workPrograms.noAllocationsToLink")}
        searchable
        clearable
      />
      <Textarea label={t("workPrograms.description")} maxLength={10000} autosize minRows={2} {...f.text("description")} />
    </FormModal>
  );
}

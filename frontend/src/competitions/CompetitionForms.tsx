// The forms of a competition: create or change it (title, year, category, criteria whose
// weights sum to 100; PATCH with If-Match, a 412 shows what changed), enter a posyandu or a team,
// score an entrant on each criterion (0–100), and finalize (asks first: afterwards entrants and
// scores are locked and the ranks, winners and prizes are the recorded result).
import { ActionIcon, Alert, Button, Group, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { IconTrash } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import type { Schemas } from "../api/client";
import { useMe } from "../auth/auth";
import { FormModal, textOrNull } from "../components/FormModal";
import { RegionPicker } from "../components/RegionPicker";
import { useFields } from "../lib/fields";
import { allows } from "../lib/scope";
import { posyanduChoicesQuery, teamChoicesQuery, useAddEntrant, useFinalize, useSaveCompetition, useSetScores } from "./api";

type Competition = Schemas["CompetitionDetail"];
type Entrant = Schemas["EntrantRead"];
type Status = Schemas["CompetitionStatus"];
export const COMPETITION_STATUSES: Status[] = ["draft", "open", "scoring", "final"];
/** The statuses a form may set (`final` only by finalizing). */
const SETTABLE: Status[] = ["draft", "open", "scoring"];

/** Years offered: the next, the current and five back. */
export function competitionYears(): string[] {
  const now = new Date().getFullYear();
  return Array.from({ length: 7 }, (_, i) => String(now + 1 - i));
}

type CriterionRow = { key: number; name: string; weight: number | null };

export function CompetitionFormModal({ competition, onClose }: { competition?: Competition; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const save = useSaveCompetition(competition, (saved) => {
    onClose();
    if (!competition) navigate(`/competitions/${saved.id}`);
  });
  // once final, the API takes only the title and the notes
  const open = !competition || allows(competition, "score");
  const f = useFields(
    {
      region_code: competition ? (competition.region_code ?? "") : (me.region?.code ?? ""),
      title: competition?.title ?? "",
      year: String(competition?.year ?? new Date().getFullYear()) as string | null,
      category: competition?.category ?? "posyandu",
      status: (competition?.status ?? "draft") as string | null,
      notes: competition?.notes ?? "",
    },
    save.error,
  );
  const [criteria, setCriteria] = useState<CriterionRow[]>(() =>
    (competition?.criteria ?? [{ name: t("competitions.defaultCriterion"), weight: 100 }]).map((c, key) => ({ key, name: c.name, weight: c.weight })),
  );
  const v = f.values;
  const sum = criteria.reduce((s, c) => s + (c.weight ?? 0), 0);
  const setRow = (key: number, change: Partial<CriterionRow>) => setCriteria((rows) => rows.map((r) => (r.key === key ? { ...r, ...change } : r)));
  const submit = () => {
    const body = { title: v.title.trim(), notes: textOrNull(v.notes) };
    if (!open) return save.mutate(body);
    const rest = { ...body, year: Number(v.year ?? 0), category: v.category.trim(), criteria: criteria.map((c) => ({ name: c.name.trim(), weight: c.weight ?? 0 })) };
    save.mutate(competition ? { ...rest, status: (v.status ?? "draft") as Status } : { ...rest, region_code: v.region_code.trim() || null });
  };
  const labels = { title: t("competitions.competitionTitle"), year: t("competitions.year"), category: t("competitions.category"), status: t("common.status"), notes: t("competitions.notes") };
  return (
    <FormModal
      title={competition ? t("competitions.edit") : t("competitions.new")}
      size="lg"
      onClose={onClose}
      onSubmit={submit}
      mutation={save}
      fields={[...Object.keys(v), "criteria"]}
      stale={{ loaded: competition ?? {}, labels, queryKey: "competitions" }}
    >
      {!competition && <RegionPicker label={t("common.region")} description={t("competitions.regionHelp")} {...f.region("region_code")} />}
      <TextInput label={t("competitions.competitionTitle")} maxLength={300} required data-autofocus {...f.text("title")} />
      {open && (
        <>
          <SimpleGrid cols={{ base: 1, sm: competition ? 3 : 2 }}>
            <Select label={t("competitions.year")} data={competitionYears()} allowDeselect={false} required {...f.choice("year")} />
            <TextInput label={t("competitions.category")} maxLength={100} required {...f.text("category")} />
            {competition && <Select label={t("common.status")} data={SETTABLE.map((s) => ({ value: s, label: t(`competitions.statuses.${s}`) }))} allowDeselect={false} {...f.choice("status")} />}
          </SimpleGrid>
          <Stack gap={6} data-testid="criteria-editor">
            <Text fw={500} size="sm">
              {t("competitions.criteria")}
            </Text>
            {criteria.map((c, i) => (
              <Group key={c.key} gap="xs" wrap="nowrap" align="flex-start">
                <TextInput
                  style={{ flex: 1 }}
                  aria-label={t("competitions.criterionN", { n: i + 1 })}
                  placeholder={t("competitions.criterion")}
                  maxLength={200}
                  value={c.name}
                  onChange={(e) => setRow(c.key, { name: e.currentTarget.value })}
                  error={f.errors[`criteria.${i}.name`]}
                />
                <NumberInput
                  w={90}
                  aria-label={t("competitions.weightN", { n: i + 1 })}
                  suffix="%"
                  min={1}
                  max={100}
                  allowDecimal={false}
                  allowNegative={false}
                  value={c.weight ?? ""}
                  onChange={(w) => setRow(c.key, { weight: typeof w === "number" ? w : null })}
                  error={f.errors[`criteria.${i}.weight`]}
                />
                <ActionIcon variant="subtle" color="red" size="lg" aria-label={t("competitions.removeCriterion", { n: i + 1 })} onClick={() => setCriteria((rows) => rows.filter((r) => r.key !== c.key))}>
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            ))}
            <Group justify="space-between">
              <Button size="compact-sm" variant="light" onClick={() => setCriteria((rows) => [...rows, { key: Math.max(0, ...rows.map((r) => r.key)) + 1, name: "", weight: null }])}>
                {t("competitions.addCriterion")}
              </Button>
              <Text size="sm" c={sum === 100 ? "teal.9" : "red.8"} data-testid="weight-sum">
                {t("competitions.weightSum", { sum })}
              </Text>
            </Group>
          </Stack>
        </>
      )}
      <Textarea label={t("competitions.notes")} maxLength={5000} autosize minRows={2} {...f.text("notes")} />
    </FormModal>
  );
}

export function EntrantFormModal({ competition, onClose }: { competition: Competition; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useAddEntrant(competition.id, onClose);
  const [kind, setKind] = useState<"posyandu" | "team">("posyandu");
  const [search, setSearch] = useState("");
  const [picked, setPicked] = useState<{ value: string; label: string } | null>(null);
  const region = competition.region_code;
  // the search text is the picked entrant's label once one is picked: then list (and keep) it
  const q = search === picked?.label ? "" : search.trim();
  const posyandu = useQuery({ ...posyanduChoicesQuery(region, q), enabled: kind === "posyandu" });
  const teams = useQuery({ ...teamChoicesQuery(region, q), enabled: kind === "team" });
  const entered = new Set(competition.entrants.map((e) => (kind === "posyandu" ? e.posyandu_id : e.team_id)));
  const choices =
    kind === "posyandu"
      ? (posyandu.data?.items ?? []).filter((p) => !entered.has(p.id)).map((p) => ({ value: String(p.id), label: `${p.name} (${p.region_code})` }))
      : (teams.data?.items ?? []).filter((tm) => !entered.has(tm.id) && tm.region_code !== region && tm.region_code !== null).map((tm) => ({ value: String(tm.id), label: `${tm.name} (${tm.region_code})` }));
  if (picked && !choices.some((c) => c.value === picked.value)) choices.unshift(picked);
  const id = picked ? Number(picked.value) : 0;
  const submit = () => save.mutate(kind === "posyandu" ? { posyandu_id: id } : { team_id: id });
  return (
    <FormModal title={t("competitions.addEntrant")} onClose={onClose} onSubmit={submit} mutation={save} fields={["posyandu_id", "team_id"]}>
      <SegmentedControl
        aria-label={t("competitions.entrantKind")}
        value={kind}
        onChange={(k) => {
          setKind(k as "posyandu" | "team");
          setPicked(null);
          setSearch("");
        }}
        data={[
          { value: "posyandu", label: t("competitions.kindPosyandu") },
          { value: "team", label: t("competitions.kindTeam") },
        ]}
      />
      <Select
        label={kind === "posyandu" ? t("competitions.kindPosyandu") : t("competitions.kindTeam")}
        description={t("competitions.entrantHelp")}
        data={choices}
        searchable
        searchValue={search}
        onSearchChange={setSearch}
        filter={({ options }) => options}
        nothingFoundMessage={t("common.empty")}
        value={picked?.value ?? null}
        onChange={(value) => setPicked(choices.find((c) => c.value === value) ?? null)}
        required
        data-autofocus
      />
    </FormModal>
  );
}

export function ScoreFormModal({ competition, entrant, onClose }: { competition: Competition; entrant: Entrant; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSetScores(competition.id, onClose);
  const [scores, setScores] = useState<Record<string, number | null>>(() => Object.fromEntries(competition.criteria.map((c) => [c.name, entrant.scores[c.name] ?? null])));
  const submit = () => save.mutate({ scores: competition.criteria.map((c) => ({ entrant_id: entrant.id, criterion: c.name, score: scores[c.name] ?? null })) });
  return (
    <FormModal title={t("competitions.scoreEntrant", { name: entrant.name })} onClose={onClose} onSubmit={submit} mutation={save} fields={["scores"]} intro={<Text size="sm" c="dimmed">{t("competitions.scoreHelp")}</Text>}>
      {competition.criteria.length === 0 && <Text c="dimmed">{t("competitions.noCriteria")}</Text>}
      {competition.criteria.map((c, i) => (
        <NumberInput
          key={c.name}
          label={`${c.name} (${c.weight}%)`}
          min={0}
          max={100}
          allowDecimal={false}
          allowNegative={false}
          clampBehavior="strict"
          value={scores[c.name] ?? ""}
          onChange={(v) => setScores((s) => ({ ...s, [c.name]: typeof v === "number" ? v : null }))}
          data-autofocus={i === 0 || undefined}
        />
      ))}
    </FormModal>
  );
}

export function FinalizeModal({ competition, onClose }: { competition: Competition; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useFinalize(competition, onClose);
  const ranks = Math.min(3, competition.entrants.length);
  const [prizes, setPrizes] = useState<string[]>(() => Array.from({ length: ranks }, (_, i) => t("competitions.defaultPrize", { n: i + 1 })));
  const unscored = competition.entrants.filter((e) => !e.complete);
  const submit = () => save.mutate({ prizes: prizes.map((prize, i) => ({ rank: i + 1, prize: prize.trim() })).filter((p) => p.prize) });
  return (
    <FormModal
      title={t("competitions.finalizeTitle")}
      onClose={onClose}
      onSubmit={submit}
      mutation={save}
      fields={["prizes"]}
      submitLabel={t("competitions.finalizeConfirm")}
      submitColor="teal"
      stale={{ loaded: competition, queryKey: "competitions" }}
      intro={
        <Stack gap="xs">
          <Alert color="orange" variant="light" title={t("competitions.finalizeWarningTitle")}>
            {t("competitions.finalizeWarning")}
          </Alert>
          {unscored.length > 0 && (
            <Alert color="red" variant="light" data-testid="unscored">
              {t("competitions.unscored", { names: unscored.map((e) => e.name).join(", ") })}
            </Alert>
          )}
        </Stack>
      }
    >
      {prizes.map((p, i) => (
        <TextInput key={i} label={t("competitions.prizeN", { n: i + 1 })} maxLength={300} value={p} onChange={(e) => {
            const value = e.currentTarget.value;
            setPrizes((all) => all.map((x, j) => (j === i ? value : x)));
          }} />
      ))}
    </FormModal>
  );
}

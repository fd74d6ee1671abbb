// A coordination meeting's form: record a new one (a page) or change a recorded one (a modal on
// its page, PATCH with If-Match: a stale edit shows what changed). Date, region, venue,
// organizer, participants, the institutions, agenda and goals one per line, the speakers
// (narasumber) and the legal basis (from the legal references library); the API's 422 is shown
// next to the fields.
import { ActionIcon, Button, Card, Checkbox, Group, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { type Schemas } from "../api/client";
import { useMe } from "../auth/auth";
import { Form, FormModal, textOrNull } from "../components/FormModal";
import { DateField } from "../components/DateField";
import { BackLink } from "../components/Page";
import { RegionPicker } from "../components/RegionPicker";
import { BUDGET_SOURCES } from "../lib/budgets";
import { useFields, type Fields } from "../lib/fields";
import { legalChoicesQuery, useCreateMeeting, useUpdateMeeting } from "./api";

type FundingSource = Schemas["BudgetSource"];
type Meeting = Schemas["MeetingDetail"];
type Speaker = { name_or_office: string; topic: string };

/** Non-empty trimmed lines of a text area. */
export function lines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
}

type Values = {
  title: string;
  held_on: string;
  month_only: boolean;
  region_code: string;
  venue: string;
  organizer: string;
  participant_count: number | null;
  institutions: string;
  agenda: string;
  goals: string;
  speakers: Speaker[];
  legal_reference_ids: string[];
  funding_source: FundingSource | null;
  funding_year: number | null;
  minutes: string;
};

function initial(m: Meeting | undefined, region: string): Values {
  return {
    title: m?.title ?? "",
    held_on: m?.held_on ?? "",
    month_only: m?.held_on_precision === "month",
    region_code: m ? (m.region_code ?? "") : region,
    venue: m?.venue ?? "",
    organizer: m?.organizer ?? "",
    participant_count: m?.participant_count ?? null,
    institutions: (m?.institutions ?? []).join("\n"),
    agenda: (m?.agenda ?? []).join("\n"),
    goals: (m?.goals ?? []).join("\n"),
    speakers: (m?.speakers ?? []).map((s) => ({ name_or_office: s.name_or_office, topic: s.topic ?? "" })),
    legal_reference_ids: (m?.legal_basis ?? []).map((l) => String(l.id)),
    funding_source: m?.funding_source ?? null,
    funding_year: m?.funding_year ?? null,
    minutes: m?.minutes ?? "",
  };
}

/** The request body's fields common to a new meeting and a change. */
function body(v: Values) {
  return {
    // a date known only to its month is sent as the month's first day
    held_on: v.month_only && v.held_on ? `${v.held_on.slice(0, 7)}-01` : v.held_on,
    held_on_precision: v.month_only ? ("month" as const) : ("day" as const),
    title: v.title.trim(),
    venue: textOrNull(v.venue),
    organizer: textOrNull(v.organizer),
    participant_count: v.participant_count,
    institutions: lines(v.institutions),
    agenda: lines(v.agenda),
    goals: lines(v.goals),
    speakers: v.speakers.filter((s) => s.name_or_office.trim()).map((s) => ({ name_or_office: s.name_or_office.trim(), topic: textOrNull(s.topic) })),
    legal_reference_ids: v.legal_reference_ids.map(Number),
    funding_source: v.funding_source,
    funding_year: v.funding_year,
    minutes: textOrNull(v.minutes),
  };
}

export function MeetingFormPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const save = useCreateMeeting((m) => navigate(`/meetings/${m.id}`));
  const f = useFields(() => initial(undefined, me.region?.code ?? ""), save.error);
  const national = !me.region;
  // a national account leaves the region empty for a national meeting (the Rakornas)
  const submit = () => save.mutate({ ...body(f.values), region_code: f.values.region_code.trim() || (national ? null : "") });
  return (
    <Stack maw={900}>
      <BackLink to="/meetings" label={t("meetings.title")} />
      <Title order={1} size="h2">{t("meetings.new")}</Title>
      <Card withBorder>
        <Form onSubmit={submit} onCancel={() => navigate("/meetings")} cancelTo="/meetings" mutation={save} fields={Object.keys(f.values)} inline>
          <MeetingInputs f={f} national={national} />
        </Form>
      </Card>
    </Stack>
  );
}

/** Change a recorded meeting (its region stays). */
export function MeetingEditModal({ meeting, onClose }: { meeting: Meeting; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useUpdateMeeting(meeting, onClose);
  const f = useFields(() => initial(meeting, ""), save.error);
  const labels = {
    title: t("meetings.meetingTitle"),
    held_on: t("meetings.heldOn"),
    venue: t("meetings.venue"),
    organizer: t("meetings.organizer"),
    participant_count: t("meetings.participants"),
    minutes: t("meetings.minutes"),
  };
  return (
    <FormModal
      title={t("meetings.edit")}
      size="xl"
      onClose={onClose}
      onSubmit={() => save.mutate(body(f.values))}
      mutation={save}
      fields={Object.keys(f.values)}
      inline
      stale={{ loaded: meeting, labels, queryKey: "meetings" }}
    >
      <MeetingInputs f={f} national={meeting.region_code === null} edit={meeting} />
    </FormModal>
  );
}

function MeetingInputs({ f, national, edit }: { f: Fields<Values>; national: boolean; edit?: Meeting }) {
  const { t } = useTranslation();
  return (
    <>
      <TextInput label={t("meetings.meetingTitle")} maxLength={500} {...f.text("title")} required data-autofocus />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <DateField label={t("meetings.heldOn")} {...f.date("held_on")} required />
        {edit ? (
          <TextInput label={t("meetings.region")} value={edit.region_name ?? t("app.national")} disabled />
        ) : (
          <RegionPicker label={t("meetings.region")} description={national ? t("meetings.regionNational") : undefined} {...f.region("region_code")} required={!national} />
        )}
        <NumberInput label={t("meetings.participants")} {...f.number("participant_count")} min={0} allowDecimal={false} allowNegative={false} />
      </SimpleGrid>
      <Checkbox label={t("meetings.monthOnly")} {...f.checked("month_only")} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t("meetings.venue")} maxLength={300} {...f.text("venue")} />
        <TextInput label={t("meetings.organizer")} maxLength={200} {...f.text("organizer")} />
      </SimpleGrid>
      <Textarea label={t("meetings.institutions")} description={t("meetings.onePerLine")} {...f.text("institutions")} error={f.errors.institutions} autosize minRows={2} />
      <Textarea label={t("meetings.agenda")} description={t("meetings.onePerLine")} {...f.text("agenda")} autosize minRows={2} />
      <Textarea label={t("meetings.goals")} description={t("meetings.onePerLine")} {...f.text("goals")} autosize minRows={2} />
      <Speakers f={f} />
      <LegalBasis f={f} known={edit?.legal_basis ?? []} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select label={t("meetings.funding")} data={BUDGET_SOURCES.map((s) => ({ value: s, label: t(`budgets.sources.${s}`) }))} {...f.choice("funding_source")} clearable />
        <NumberInput label={t("budgets.year")} {...f.number("funding_year")} allowDecimal={false} allowNegative={false} />
      </SimpleGrid>
      <Textarea label={t("meetings.minutes")} maxLength={100000} {...f.text("minutes")} autosize minRows={3} />
    </>
  );
}

/** The speakers, a row each (office or name, topic), added and removed in place. */
function Speakers({ f }: { f: Fields<Values> }) {
  const { t } = useTranslation();
  const rows = f.values.speakers;
  const put = (i: number, s: Partial<Speaker>) => f.set("speakers", rows.map((r, j) => (j === i ? { ...r, ...s } : r)));
  // the API names a speaker's field as speakers.<i>.name_or_office
  const errorOf = (i: number) => f.errors[`speakers.${i}.name_or_office`] ?? f.errors[`speakers.${i}`];
  return (
    <Stack gap={6} data-testid="speakers">
      <Text size="sm" fw={500}>
        {t("meetings.speakers")}
      </Text>
      {rows.map((s, i) => (
        <Group key={i} align="flex-start" wrap="nowrap" gap="xs">
          <TextInput
            style={{ flex: 1 }}
            aria-label={t("meetings.speakerName", { n: i + 1 })}
            placeholder={t("meetings.speakerNamePlaceholder")}
            maxLength={200}
            value={s.name_or_office}
            onChange={(e) => put(i, { name_or_office: e.currentTarget.value })}
            error={errorOf(i)}
          />
          <TextInput
            style={{ flex: 1 }}
            aria-label={t("meetings.speakerTopic", { n: i + 1 })}
            placeholder={t("meetings.speakerTopicPlaceholder")}
            maxLength={500}
            value={s.topic}
            onChange={(e) => put(i, { topic: e.currentTarget.value })}
          />
          <ActionIcon variant="subtle" color="red" mt={4} aria-label={t("meetings.removeSpeaker", { n: i + 1 })} onClick={() => f.set("speakers", rows.filter((_, j) => j !== i))}>
            <IconTrash size={16} />
          </ActionIcon>
        </Group>
      ))}
      {f.errors.speakers && (
        <Text size="xs" c="red">
          {f.errors.speakers}
        </Text>
      )}
      <Group>
        <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => f.set("speakers", [...rows, { name_or_office: "", topic: "" }])}>
          {t("meetings.addSpeaker")}
        </Button>
      </Group>
    </Stack>
  );
}

/** The legal basis: references from the library, found by typing part of their title or number. */
function LegalBasis({ f, known }: { f: Fields<Values>; known: Schemas["LegalReferenceRef"][] }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim(), 300);
  const found = useQuery(legalChoicesQuery(q));
  // the labels of every reference seen, so that a chosen one keeps its label when the search moves on
  const [labels, setLabels] = useState<Record<string, string>>(() => Object.fromEntries(known.map((l) => [String(l.id), `${l.citation} — ${l.title}`])));
  const items = found.data?.items ?? [];
  const fresh = items.filter((l) => labels[String(l.id)] === undefined);
  if (fresh.length) setLabels({ ...labels, ...Object.fromEntries(fresh.map((l) => [String(l.id), `${l.citation} — ${l.title}`])) });
  const ids = new Set([...f.values.legal_reference_ids, ...items.map((l) => String(l.id))]);
  const data = [...ids].map((id) => ({ value: id, label: labels[id] ?? `#${id}` }));
  return (
    <MultiSelect
      label={t("meetings.legalBasis")}
      description={t("meetings.legalBasisHelp")}
      data={data}
      value={f.values.legal_reference_ids}
      onChange={(v) => f.set("legal_reference_ids", v)}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={found.isFetching ? t("common.loading") : t("meetings.noLegal")}
      error={f.errors.legal_reference_ids}
      clearable
    />
  );
}

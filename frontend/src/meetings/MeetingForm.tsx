// Record a new coordination meeting: date, region, venue, organizer, participants, and the
// institutions, agenda and goals one per line; the API's 422 is shown next to the fields.
import { Anchor, Button, Card, Group, NumberInput, Select, SimpleGrid, Stack, TextInput, Textarea, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { type Schemas } from "../api/client";
import { fieldErrors } from "../api/problems";
import { useMe } from "../auth/auth";
import { ProblemAlert } from "../components/ProblemAlert";
import { BUDGET_SOURCES } from "../lib/budgets";
import { useCreateMeeting } from "./api";

type FundingSource = Schemas["BudgetSource"];

/** Non-empty trimmed lines of a text area. */
export function lines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
}

export function MeetingFormPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const [title, setTitle] = useState("");
  const [heldOn, setHeldOn] = useState("");
  const [region, setRegion] = useState(me.region?.code ?? "");
  const [venue, setVenue] = useState("");
  const [organizer, setOrganizer] = useState("");
  const [participants, setParticipants] = useState<number | null>(null);
  const [institutions, setInstitutions] = useState("");
  const [agenda, setAgenda] = useState("");
  const [goals, setGoals] = useState("");
  const [funding, setFunding] = useState<FundingSource | null>(null);
  const [fundingYear, setFundingYear] = useState<number | null>(null);
  const [minutes, setMinutes] = useState("");
  const save = useCreateMeeting((m) => navigate(`/meetings/${m.id}`));
  const submit = () =>
    save.mutate({
      title: title.trim(),
      held_on: heldOn,
      region_code: region.trim(),
      venue: venue.trim() || null,
      organizer: organizer.trim() || null,
      participant_count: participants,
      institutions: lines(institutions),
      agenda: lines(agenda),
      goals: lines(goals),
      funding_source: funding,
      funding_year: fundingYear,
      minutes: minutes.trim() || null,
    });
  const errs = fieldErrors(save.error);
  const known = ["title", "held_on", "region_code", "venue", "organizer", "participant_count", "institutions", "agenda", "goals", "funding_source", "funding_year", "minutes"];
  const num = (v: string | number) => (typeof v === "number" ? v : null);
  return (
    <Stack maw={900}>
      <Anchor component={Link} to="/meetings" size="sm">
        ← {t("meetings.title")}
      </Anchor>
      <Title order={2}>{t("meetings.new")}</Title>
      <Card withBorder>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
          noValidate
        >
          <Stack>
            {save.error && !known.some((k) => errs[k]) ? <ProblemAlert error={save.error} /> : null}
            <TextInput label={t("meetings.meetingTitle")} value={title} maxLength={500} onChange={(e) => setTitle(e.currentTarget.value)} error={errs.title} required />
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput type="date" label={t("meetings.heldOn")} value={heldOn} onChange={(e) => setHeldOn(e.currentTarget.value)} error={errs.held_on} required />
              <TextInput label={t("meetings.region")} value={region} maxLength={13} onChange={(e) => setRegion(e.currentTarget.value)} error={errs.region_code} required />
              <NumberInput label={t("meetings.participants")} value={participants ?? ""} onChange={(v) => setParticipants(num(v))} min={0} allowDecimal={false} allowNegative={false} error={errs.participant_count} />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label={t("meetings.venue")} value={venue} maxLength={300} onChange={(e) => setVenue(e.currentTarget.value)} error={errs.venue} />
              <TextInput label={t("meetings.organizer")} value={organizer} maxLength={200} onChange={(e) => setOrganizer(e.currentTarget.value)} error={errs.organizer} />
            </SimpleGrid>
            <Textarea label={t("meetings.institutions")} description={t("meetings.onePerLine")} value={institutions} onChange={(e) => setInstitutions(e.currentTarget.value)} error={errs.institutions} autosize minRows={2} />
            <Textarea label={t("meetings.agenda")} description={t("meetings.onePerLine")} value={agenda} onChange={(e) => setAgenda(e.currentTarget.value)} error={errs.agenda} autosize minRows={2} />
            <Textarea label={t("meetings.goals")} description={t("meetings.onePerLine")} value={goals} onChange={(e) => setGoals(e.currentTarget.value)} error={errs.goals} autosize minRows={2} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Select
                label={t("meetings.funding")}
                data={BUDGET_SOURCES.map((s) => ({ value: s, label: t(`budgets.sources.${s}`) }))}
                value={funding}
                onChange={(v) => setFunding(v as FundingSource | null)}
                clearable
                error={errs.funding_source}
              />
              <NumberInput label={t("budgets.year")} value={fundingYear ?? ""} onChange={(v) => setFundingYear(num(v))} allowDecimal={false} allowNegative={false} error={errs.funding_year} />
            </SimpleGrid>
            <Textarea label={t("meetings.minutes")} value={minutes} maxLength={100000} onChange={(e) => setMinutes(e.currentTarget.value)} error={errs.minutes} autosize minRows={3} />
            <Group justify="flex-end">
              <Button variant="default" component={Link} to="/meetings">
                {t("common.cancel")}
              </Button>
              <Button type="submit" loading={save.isPending}>
                {t("common.save")}
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}

// Record a new coordination meeting: date, region, venue, organizer, participants, and the
// institutions, agenda and goals one per line; the API's 422 is shown next to the fields.
import { Card, Checkbox, NumberInput, Select, SimpleGrid, Stack, TextInput, Textarea, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { type Schemas } from "../api/client";
import { useMe } from "../auth/auth";
import { Form, textOrNull } from "../components/FormModal";
import { DateField } from "../components/DateField";
import { BackLink } from "../components/Page";
import { BUDGET_SOURCES } from "../lib/budgets";
import { useFields } from "../lib/fields";
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
  const save = useCreateMeeting((m) => navigate(`/meetings/${m.id}`));
  const f = useFields(
    {
      title: "",
      held_on: "",
      month_only: false,
      region_code: me.region?.code ?? "",
      venue: "",
      organizer: "",
      participant_count: null as number | null,
      institutions: "",
      agenda: "",
      goals: "",
      funding_source: null as FundingSource | null,
      funding_year: null as number | null,
      minutes: "",
    },
    save.error,
  );
  const v = f.values;
  const national = !me.region;
  const submit = () => {
    const { month_only, ...rest } = v;
    save.mutate({
      ...rest,
      // a date known only to its month is sent as the month's first day
      held_on: month_only && v.held_on ? `${v.held_on.slice(0, 7)}-01` : v.held_on,
      held_on_precision: month_only ? "month" : "day",
      title: v.title.trim(),
      // a national account leaves the region empty for a national meeting (the Rakornas)
      region_code: v.region_code.trim() || (national ? null : ""),
      venue: textOrNull(v.venue),
      organizer: textOrNull(v.organizer),
      institutions: lines(v.institutions),
      agenda: lines(v.agenda),
      goals: lines(v.goals),
      minutes: textOrNull(v.minutes),
    });
  };
  return (
    <Stack maw={900}>
      <BackLink to="/meetings" label={t("meetings.title")} />
      <Title order={1} size="h2">{t("meetings.new")}</Title>
      <Card withBorder>
        <Form onSubmit={submit} onCancel={() => navigate("/meetings")} cancelTo="/meetings" mutation={save} fields={Object.keys(v)}>
          <TextInput label={t("meetings.meetingTitle")} maxLength={500} {...f.text("title")} required />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <DateField label={t("meetings.heldOn")} {...f.date("held_on")} required />
            <TextInput
              label={t("meetings.region")}
              description={national ? t("meetings.regionNational") : undefined}
              maxLength={13}
              {...f.text("region_code")}
              required={!national}
            />
            <NumberInput label={t("meetings.participants")} {...f.number("participant_count")} min={0} allowDecimal={false} allowNegative={false} />
          </SimpleGrid>
          <Checkbox label={t("meetings.monthOnly")} {...f.checked("month_only")} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t("meetings.venue")} maxLength={300} {...f.text("venue")} />
            <TextInput label={t("meetings.organizer")} maxLength={200} {...f.text("organizer")} />
          </SimpleGrid>
          <Textarea label={t("meetings.institutions")} description={t("meetings.onePerLine")} {...f.text("institutions")} autosize minRows={2} />
          <Textarea label={t("meetings.agenda")} description={t("meetings.onePerLine")} {...f.text("agenda")} autosize minRows={2} />
          <Textarea label={t("meetings.goals")} description={t("meetings.onePerLine")} {...f.text("goals")} autosize minRows={2} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select label={t("meetings.funding")} data={BUDGET_SOURCES.map((s) => ({ value: s, label: t(`budgets.sources.${s}`) }))} {...f.choice("funding_source")} clearable />
            <NumberInput label={t("budgets.year")} {...f.number("funding_year")} allowDecimal={false} allowNegative={false} />
          </SimpleGrid>
          <Textarea label={t("meetings.minutes")} maxLength={100000} {...f.text("minutes")} autosize minRows={3} />
        </Form>
      </Card>
    </Stack>
  );
}

// SK reporting deadlines: the deadlines set in the user's region (and below), by year; a
// deadline applies to every region under its own and the nearest one wins. Who may set, change
// (If-Match) and delete them is the API's to say (`allowed_actions`).
import { Anchor, Button, Card, Group, NumberInput, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type Schemas } from "../api/client";
import { fieldErrors } from "../api/problems";
import { useMe } from "../auth/auth";
import { EditDeleteButtons } from "../components/RowActions";
import { FormModal, textOrNull } from "../components/FormModal";
import { ProblemAlert } from "../components/ProblemAlert";
import { formatDate } from "../lib/format";
import { REGION_CODE, allows } from "../lib/scope";
import { deadlineListQuery, useRemoveDeadline, useSaveDeadline } from "./api";
import { QueryTable } from "../components/QueryTable";
import { useListParams } from "../lib/listParams";

type Deadline = Schemas["DeadlineRead"];
const PAGE = 25;

export function DeadlinesPage() {
  const { get: getParam, set: setParam, offset, setOffset } = useListParams();
  const { t } = useTranslation();
  const me = useMe();
  const region = getParam("region");
  const setRegion = (v: string) => setParam("region", v);
  const year = Number(getParam("year")) || null;
  const setYear = (v: number | null) => setParam("year", v === null ? null : String(v));
  const [editing, setEditing] = useState<Deadline | "new" | null>(null);
  const [dregion] = useDebouncedValue(region.trim(), 300);
  const regionOk = dregion === "" || REGION_CODE.test(dregion);
  const query = { region: dregion || undefined, year: year ?? undefined, limit: PAGE, offset };
  const list = useQuery({
    ...deadlineListQuery(query),
    enabled: regionOk,
    placeholderData: keepPreviousData,
    retry: false,
  });
  const remove = useRemoveDeadline();
  const errs = fieldErrors(list.error);
  // create: when the user may set deadlines in their own region (the form's first choice)
  const mayCreate = allows(me, "set_deadline");
  return (
    <Stack>
      <Group justify="space-between" align="baseline">
        <Title order={2}>{t("deadlines.title")}</Title>
        <Group gap="md">
          <Anchor component={Link} to="/decrees" size="sm">
            {t("decrees.title")} →
          </Anchor>
          {mayCreate && (
            <Button size="xs" onClick={() => setEditing("new")}>
              {t("deadlines.new")}
            </Button>
          )}
        </Group>
      </Group>
      <Text size="sm" c="dimmed">
        {t("deadlines.help")}
      </Text>
      <Card withBorder>
        <Group align="flex-start">
          <TextInput
            label={t("common.regionCode")}
            placeholder={me.region?.code ?? "33.75"}
            value={region}
            maxLength={13}
            onChange={(e) => setRegion(e.currentTarget.value)}
            error={regionOk ? errs.region : t("budgets.invalidRegion")}
            w={160}
          />
          <NumberInput
            label={t("deadlines.year")}
            value={year ?? ""}
            onChange={(v) => setYear(typeof v === "number" ? v : null)}
            min={2000}
            max={2100}
            allowDecimal={false}
            allowNegative={false}
            error={errs.year}
            w={120}
          />
        </Group>
      </Card>
      {list.error && !(errs.region || errs.year) && <ProblemAlert error={list.error} />}
      {remove.error && <ProblemAlert error={remove.error} />}
      <QueryTable
        query={list}
        showProblem={false}
        loading={list.isPending && regionOk}
        testId="deadline-table"
        rowTestId="deadline-row"
        rowKey={(d) => d.id}
        page={{ limit: PAGE, offset, onOffset: setOffset }}
        columns={[
          {
            header: t("common.region"),
            cell: (d) => (
              <Anchor component={Link} to={`/compliance/${d.region_code}`} ff="monospace" size="sm">
                {d.region_code}
              </Anchor>
            ),
          },
          { header: t("deadlines.year"), cell: (d) => d.year },
          { header: t("deadlines.dueDate"), cell: (d) => formatDate(d.due_date) },
          { header: t("deadlines.notes"), cell: (d) => d.notes ?? "—" },
          {
            td: { w: 180 },
            cell: (d) => (
              <EditDeleteButtons
                record={d}
                onEdit={() => setEditing(d)}
                question={t("deadlines.deleteQuestion", { year: d.year, region: d.region_code })}
                onDelete={() => remove.mutateAsync(d).catch(() => undefined)}
              />
            ),
          },
        ]}
      />
      {editing && <DeadlineFormModal key={editing === "new" ? "new" : `${editing.id}-${editing.version}`} deadline={editing === "new" ? undefined : editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}

/** Set a deadline (no `deadline`) or change its date and notes. */
function DeadlineFormModal({ deadline, onClose }: { deadline?: Deadline; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const [region, setRegion] = useState(deadline?.region_code ?? me.region?.code ?? "");
  const [year, setYear] = useState<number | null>(deadline?.year ?? new Date().getFullYear());
  const [due, setDue] = useState(deadline?.due_date ?? "");
  const [notes, setNotes] = useState(deadline?.notes ?? "");
  const save = useSaveDeadline(deadline, onClose);
  // empty values are sent as such so that the API's 422 names the field
  const submit = () => save.mutate({ region_code: region.trim(), year: year ?? 0, due_date: due, notes: textOrNull(notes) });
  const errs = fieldErrors(save.error);
  return (
    <FormModal
      title={deadline ? t("deadlines.edit") : t("deadlines.new")}
      onClose={onClose}
      onSubmit={submit}
      saving={save.isPending}
      error={save.error}
      fields={["region_code", "year", "due_date", "notes"]}
      stale={{
        loaded: deadline ?? {},
        labels: { due_date: t("deadlines.dueDate"), notes: t("deadlines.notes") },
        queryKey: "reporting-deadlines",
      }}
    >
      <SimpleGrid cols={2}>
        <TextInput label={t("common.regionCode")} value={region} maxLength={13} onChange={(e) => setRegion(e.currentTarget.value)} error={errs.region_code} disabled={!!deadline} required />
        <NumberInput
          label={t("deadlines.year")}
          value={year ?? ""}
          onChange={(v) => setYear(typeof v === "number" ? v : null)}
          allowDecimal={false}
          allowNegative={false}
          error={errs.year}
          disabled={!!deadline}
          required
        />
      </SimpleGrid>
      <TextInput type="date" label={t("deadlines.dueDate")} value={due} onChange={(e) => setDue(e.currentTarget.value)} error={errs.due_date} required data-autofocus />
      <Textarea label={t("deadlines.notes")} value={notes} maxLength={2000} onChange={(e) => setNotes(e.currentTarget.value)} error={errs.notes} autosize minRows={2} />
    </FormModal>
  );
}

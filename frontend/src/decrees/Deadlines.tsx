// SK reporting deadlines: the deadlines set in the user's region (and below), by year; a
// deadline applies to every region under its own and the nearest one wins. Who may set, change
// (If-Match) and delete them is the API's to say (`allowed_actions`).
import { Anchor, Button, Group, NumberInput, SimpleGrid, Stack, Text, Textarea } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ExportButtons } from "../components/Download";
import { Link } from "react-router";
import { type Schemas } from "../api/client";
import { fieldErrors } from "../api/problems";
import { useMe } from "../auth/auth";
import { EditDeleteButtons } from "../components/RowActions";
import { FormModal, textOrNull } from "../components/FormModal";
import { DateField } from "../components/DateField";
import { ProblemAlert } from "../components/ProblemAlert";
import { formatDate } from "../lib/format";
import { allows } from "../lib/scope";
import { deadlineListQuery, useRemoveDeadline, useSaveDeadline } from "./api";
import { FilterBar, RegionParam } from "../components/Filters";
import { ForwardLink, PageHeader } from "../components/Page";
import { useListQuery } from "../api/query";
import { QueryTable } from "../components/QueryTable";
import { useFields } from "../lib/fields";
import { regionFilterOk, useDebouncedParam, useListParams } from "../lib/listParams";
import { RegionPicker } from "../components/RegionPicker";

type Deadline = Schemas["DeadlineRead"];
const PAGE = 25;

export function DeadlinesPage() {
  const params = useListParams();
  const { t } = useTranslation();
  const me = useMe();
  const year = Number(params.get("year")) || null;
  const [editing, setEditing] = useState<Deadline | "new" | null>(null);
  const region = useDebouncedParam(params, "region");
  const regionOk = regionFilterOk(region);
  const query = { region: region || undefined, year: year ?? undefined, limit: PAGE, ...params.position };
  const list = useListQuery({ ...deadlineListQuery(query), enabled: regionOk, retry: false });
  const remove = useRemoveDeadline();
  const errs = fieldErrors(list.error);
  // create: when the user may set deadlines in their own region (the form's first choice)
  const mayCreate = allows(me, "set_deadline");
  return (
    <Stack>
      <PageHeader title={t("deadlines.title")} align="baseline">
        <Group gap="md">
          <ExportButtons path="/api/v1/exports/reporting-deadlines" query={query} what={t("deadlines.title")} />
          <ForwardLink to="/decrees" label={t("decrees.title")} />
          {mayCreate && (
            <Button size="xs" onClick={() => setEditing("new")}>
              {t("deadlines.new")}
            </Button>
          )}
        </Group>
      </PageHeader>
      <Text size="sm" c="dimmed">
        {t("deadlines.help")}
      </Text>
      <FilterBar>
        <RegionParam params={params} error={regionOk ? errs.region : t("budgets.invalidRegion")} />
        <NumberInput
          label={t("deadlines.year")}
          value={year ?? ""}
          onChange={(v) => params.set("year", typeof v === "number" ? String(v) : null)}
          min={2000}
          max={2100}
          allowDecimal={false}
          allowNegative={false}
          error={errs.year}
          w={120}
        />
      </FilterBar>
      {list.error && !(errs.region || errs.year) && <ProblemAlert error={list.error} />}
      {remove.error && <ProblemAlert error={remove.error} />}
      <QueryTable
        query={list}
        showProblem={false}
        loading={list.isPending && regionOk}
        testId="deadline-table"
        rowTestId="deadline-row"
        rowKey={(d) => d.id}
        page={params.page(PAGE)}
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
  const save = useSaveDeadline(deadline, onClose);
  const f = useFields(
    { region_code: deadline?.region_code ?? me.region?.code ?? "", year: (deadline?.year ?? new Date().getFullYear()) as number | null, due_date: deadline?.due_date ?? "", notes: deadline?.notes ?? "" },
    save.error,
  );
  const v = f.values;
  // empty values are sent as such so that the API's 422 names the field
  const submit = () => save.mutate({ region_code: v.region_code.trim(), year: v.year ?? 0, due_date: v.due_date, notes: textOrNull(v.notes) });
  return (
    <FormModal
      title={deadline ? t("deadlines.edit") : t("deadlines.new")}
      onClose={onClose}
      onSubmit={submit}
      mutation={save}
      fields={Object.keys(v)}
      stale={{ loaded: deadline ?? {}, labels: { due_date: t("deadlines.dueDate"), notes: t("deadlines.notes") }, queryKey: "reporting-deadlines" }}
    >
      <SimpleGrid cols={2}>
        <RegionPicker label={t("common.regionCode")} {...f.region("region_code")} disabled={!!deadline} required />
        <NumberInput label={t("deadlines.year")} {...f.number("year")} allowDecimal={false} allowNegative={false} disabled={!!deadline} required />
      </SimpleGrid>
      <DateField label={t("deadlines.dueDate")} {...f.date("due_date")} required data-autofocus />
      <Textarea label={t("deadlines.notes")} maxLength={2000} {...f.text("notes")} autosize minRows={2} />
    </FormModal>
  );
}

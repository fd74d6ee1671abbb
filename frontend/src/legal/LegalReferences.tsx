// The legal references library (dasar hukum): every account searches it; those the API lets
// maintain it (the account's allowed_actions list maintain_legal) add, correct and remove
// regulations. One reference shows its citation, its notes and the meetings that cite it.
import { Anchor, Badge, Button, Select, SimpleGrid, Stack, Text, TextInput, Textarea, NumberInput } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import type { Schemas } from "../api/client";
import { fieldErrors } from "../api/problems";
import { useListQuery } from "../api/query";
import { useMe } from "../auth/auth";
import { ConfirmButton } from "../components/Confirm";
import { FilterBar, ParamInput, ParamSelect, SearchParam } from "../components/Filters";
import { FormModal, textOrNull } from "../components/FormModal";
import { BackLink, PageHeader, RecordState, RecordTitle, Section, useRouteId } from "../components/Page";
import { ProblemAlert } from "../components/ProblemAlert";
import { ProvenanceBadge, ProvenanceSource } from "../components/Provenance";
import { QueryTable } from "../components/QueryTable";
import { useFields } from "../lib/fields";
import { formatDate } from "../lib/format";
import { useDebouncedParam, useListParams } from "../lib/listParams";
import { allows } from "../lib/scope";
import { citingMeetingsQuery, legalListQuery, legalQuery, useDeleteLegalReference, useSaveLegalReference } from "./api";

const PAGE = 25;
type Reference = Schemas["LegalReferenceRead"];
type Kind = Schemas["LegalKind"];
export const LEGAL_KINDS: Kind[] = ["uu", "pp", "perpres", "permendagri", "permenkes", "kepmendagri", "perda", "pergub", "perbup", "perwal", "keputusan", "other"];

export function LegalReferencesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const params = useListParams();
  const q = useDebouncedParam(params, "q");
  const year = useDebouncedParam(params, "year");
  const kind = (params.get("kind") || undefined) as Kind | undefined;
  const yearOk = year === "" || /^\d{4}$/.test(year);
  const query = { q: q || undefined, kind, year: yearOk && year ? Number(year) : undefined, limit: PAGE, ...params.position };
  const list = useListQuery({ ...legalListQuery(query), retry: false });
  const [creating, setCreating] = useState(false);
  const errs = fieldErrors(list.error);
  return (
    <Stack>
      <PageHeader title={t("legal.title")}>
        {allows(me, "maintain_legal") && (
          <Button size="xs" onClick={() => setCreating(true)}>
            {t("legal.new")}
          </Button>
        )}
      </PageHeader>
      <FilterBar>
        <SearchParam params={params} error={errs.q} />
        <ParamSelect params={params} param="kind" label={t("legal.kind")} data={LEGAL_KINDS.map((k) => ({ value: k, label: t(`legal.kinds.${k}`) }))} w={200} />
        <ParamInput params={params} param="year" label={t("legal.year")} inputMode="numeric" w={110} maxLength={4} error={yearOk ? errs.year : t("legal.invalidYear")} />
      </FilterBar>
      {list.error && !(errs.q || errs.year) && <ProblemAlert error={list.error} />}
      <QueryTable
        query={list}
        showProblem={false}
        testId="legal-table"
        rowKey={(r) => r.id}
        page={params.page(PAGE)}
        columns={[
          { header: t("legal.citation"), link: (r) => `/legal-references/${r.id}`, cell: (r) => r.citation },
          {
            header: t("legal.refTitle"),
            cell: (r) => (
              <>
                {r.title} <ProvenanceBadge provenance={r.provenance} />
              </>
            ),
          },
          { header: t("legal.kind"), cell: (r) => t(`legal.kinds.${r.kind}`) },
          { header: t("legal.year"), cell: (r) => r.year },
        ]}
      />
      {creating && <LegalReferenceFormModal onClose={() => setCreating(false)} />}
    </Stack>
  );
}

export function LegalReferenceDetailPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const { id, valid } = useRouteId("referenceId");
  const [editing, setEditing] = useState(false);
  const ref = useQuery({ ...legalQuery(id), enabled: valid, retry: false });
  const meetings = useQuery({ ...citingMeetingsQuery(id), enabled: ref.isSuccess });
  const remove = useDeleteLegalReference(() => navigate("/legal-references"));
  if (!ref.isSuccess) return <RecordState query={ref} valid={valid} back={{ to: "/legal-references", label: t("legal.title") }} />;
  const r = ref.data;
  const maintain = allows(me, "maintain_legal");
  return (
    <Stack>
      <BackLink to="/legal-references" label={t("legal.title")} />
      <RecordTitle title={r.citation} testId="legal-citation">
        <Badge variant="light">{t(`legal.kinds.${r.kind}`)}</Badge>
        <ProvenanceBadge provenance={r.provenance} />
        {maintain && (
          <Button size="compact-sm" variant="default" onClick={() => setEditing(true)}>
            {t("common.edit")}
          </Button>
        )}
        {maintain && (
          <ConfirmButton size="compact-sm" color="red" label={t("common.delete")} question={t("legal.deleteQuestion", { citation: r.citation })} onConfirm={() => remove.mutateAsync(r).catch(() => undefined)} />
        )}
      </RecordTitle>
      {remove.error ? <ProblemAlert error={remove.error} /> : null}
      <Text fw={500}>{r.title}</Text>
      {r.issuer && (
        <Text c="dimmed">
          {t("legal.issuer")}: {r.issuer}
        </Text>
      )}
      {r.notes && <Text style={{ whiteSpace: "pre-wrap" }}>{r.notes}</Text>}
      <ProvenanceSource provenance={r.provenance} />
      <Section title={t("legal.citedBy")}>
        <QueryTable
          query={meetings}
          empty="instead"
          emptyText={t("legal.notCited")}
          testId="citing-meetings"
          rowKey={(m) => m.id}
          columns={[
            { header: t("meetings.meetingTitle"), link: (m) => `/meetings/${m.id}`, cell: (m) => m.title },
            { header: t("legal.heldOn"), cell: (m) => formatDate(m.held_on) },
            { header: t("common.region"), cell: (m) => m.region_name ?? (m.region_code === null ? t("app.national") : m.region_code) },
          ]}
        />
      </Section>
      <Text size="sm">
        <Anchor component={Link} to="/legal-references">
          {t("legal.backToLibrary")}
        </Anchor>
      </Text>
      {editing && <LegalReferenceFormModal key={r.version} reference={r} onClose={() => setEditing(false)} />}
    </Stack>
  );
}

export function LegalReferenceFormModal({ reference, onClose }: { reference?: Reference; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const save = useSaveLegalReference(reference, (saved) => {
    onClose();
    if (!reference) navigate(`/legal-references/${saved.id}`);
  });
  const f = useFields(
    {
      kind: (reference?.kind ?? null) as string | null,
      number: reference?.number ?? "",
      year: (reference?.year ?? null) as number | null,
      title: reference?.title ?? "",
      issuer: reference?.issuer ?? "",
      notes: reference?.notes ?? "",
    },
    save.error,
  );
  const v = f.values;
  // an empty choice or number is sent as such so that the API's 422 names the field
  const submit = () =>
    save.mutate({ kind: v.kind as Kind, number: v.number.trim(), year: v.year ?? 0, title: v.title.trim(), issuer: textOrNull(v.issuer), notes: textOrNull(v.notes) });
  const labels = { kind: t("legal.kind"), number: t("legal.number"), year: t("legal.year"), title: t("legal.refTitle"), issuer: t("legal.issuer"), notes: t("legal.notes"), citation: t("legal.citation") };
  return (
    <FormModal
      title={reference ? t("legal.edit") : t("legal.new")}
      size="lg"
      onClose={onClose}
      onSubmit={submit}
      mutation={save}
      fields={Object.keys(v)}
      stale={{ loaded: reference ?? {}, labels, queryKey: "legal-references" }}
    >
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Select label={t("legal.kind")} data={LEGAL_KINDS.map((k) => ({ value: k, label: t(`legal.kinds.${k}`) }))} required data-autofocus {...f.choice("kind")} />
        <TextInput label={t("legal.number")} description={t("legal.numberHelp")} maxLength={64} required {...f.text("number")} />
        <NumberInput label={t("legal.year")} min={1945} max={2100} allowDecimal={false} allowNegative={false} thousandSeparator="" required {...f.number("year")} />
      </SimpleGrid>
      <TextInput label={t("legal.refTitle")} maxLength={500} required {...f.text("title")} />
      <TextInput label={t("legal.issuer")} description={t("legal.issuerHelp")} maxLength={200} {...f.text("issuer")} />
      <Textarea label={t("legal.notes")} maxLength={5000} autosize minRows={2} {...f.text("notes")} />
    </FormModal>
  );
}

// Create / edit a posyandu. The API's validation errors (422) appear next to the fields; a stale
// edit (412) shows what someone else changed, and the user can reload and apply theirs again.
import { Card, Checkbox, Group, Loader, NumberInput, Select, SimpleGrid, Stack, Switch, TextInput, Textarea, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";
import { type Schemas } from "../api/client";
import { useMe } from "../auth/auth";
import { Form } from "../components/FormModal";
import { Section } from "../components/Page";
import { ProblemAlert } from "../components/ProblemAlert";
import { useFields } from "../lib/fields";
import { SPM_FIELDS } from "../lib/spm";
import { catalogQuery, posyanduEditQuery, useSavePosyandu } from "./api";
import { RegionPicker } from "../components/RegionPicker";

type Posyandu = Schemas["PosyanduRead"];
export type PosyanduValues = {
  name: string;
  region_code: string;
  rw: string;
  rt: string;
  address: string;
  is_active: boolean;
  pengurus_count: number;
  kader_count: number;
  stratum: string | null;
  services: Record<string, string[]>;
  notes: string;
};

export function valuesOf(p: Posyandu | undefined, region: string): PosyanduValues {
  return {
    name: p?.name ?? "",
    region_code: p?.region_code ?? region,
    rw: p?.rw ?? "",
    rt: p?.rt ?? "",
    address: p?.address ?? "",
    is_active: p?.is_active ?? true,
    pengurus_count: p?.pengurus_count ?? 0,
    kader_count: p?.kader_count ?? 0,
    stratum: p?.stratum ?? null,
    services: Object.fromEntries(SPM_FIELDS.map((f) => [f, p?.services[f] ?? []])),
    notes: p?.notes ?? "",
  };
}

/** The request body: empty strings become null so that the API clears them. */
function body(v: PosyanduValues) {
  const orNull = (s: string) => (s.trim() === "" ? null : s);
  return {
    name: v.name,
    region_code: v.region_code,
    rw: orNull(v.rw),
    rt: orNull(v.rt),
    address: orNull(v.address),
    is_active: v.is_active,
    pengurus_count: v.pengurus_count,
    kader_count: v.kader_count,
    stratum: v.stratum,
    services: v.services,
    notes: orNull(v.notes),
  };
}

export function useCatalog() {
  return useQuery(catalogQuery());
}

export function PosyanduFormPage() {
  const { posyanduId } = useParams();
  const { t } = useTranslation();
  const id = posyanduId ? Number(posyanduId) : undefined;
  const [override, setOverride] = useState<{ data: Posyandu; etag: string } | null>(null);
  const loaded = useQuery({ ...posyanduEditQuery(id), retry: false });
  if (id === undefined) return <PosyanduForm key="new" />;
  if (loaded.isPending) return <Loader />;
  if (loaded.error) return <ProblemAlert error={loaded.error} />;
  const current = override ?? loaded.data;
  return (
    <PosyanduForm
      key={`${current.data.id}-${current.data.version}`}
      loaded={current.data}
      etag={current.etag}
      onReload={(data, etag) => setOverride({ data, etag })}
      title={t("posyandu.editTitle", { name: current.data.name })}
    />
  );
}

function PosyanduForm({
  loaded,
  etag,
  onReload,
  title,
}: {
  loaded?: Posyandu;
  etag?: string;
  onReload?: (p: Posyandu, etag: string) => void;
  title?: string;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const catalog = useCatalog();
  const save = useSavePosyandu(loaded, etag, (p) => navigate(`/posyandu/${p.id}`));
  const f = useFields(() => valuesOf(loaded, me.region?.code ?? ""), save.error);
  const { values: v, set, errors: errs } = f;

  const labels = {
    name: t("posyandu.name"),
    region_code: t("common.regionCode"),
    rw: "RW",
    rt: "RT",
    address: t("posyandu.address"),
    kader_count: t("posyandu.kader"),
    pengurus_count: t("posyandu.pengurus"),
    is_active: t("common.active"),
    services: t("posyandu.services"),
    notes: t("posyandu.notes"),
    stratum: t("posyandu.stratum"),
  };

  const count = (k: "pengurus_count" | "kader_count") => ({ label: labels[k], value: v[k], min: 0, allowDecimal: false, onChange: (n: string | number) => set(k, typeof n === "number" ? n : 0), error: errs[k] });

  return (
    <Form
      onSubmit={() => save.mutate(body(v))}
      onCancel={() => navigate(loaded ? `/posyandu/${loaded.id}` : "/posyandu")}
      mutation={save}
      fields={Object.keys(labels)}
      stale={loaded && onReload ? { loaded, labels, onReload: (current, newEtag) => current && newEtag && onReload(current as unknown as Posyandu, newEtag) } : undefined}
      intro={<Title order={1} size="h2">{title ?? t("posyandu.new")}</Title>}
      submitLabel={loaded ? t("common.save") : t("common.create")}
      maw={900}
    >
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={labels.name} maxLength={200} {...f.text("name")} required />
          <RegionPicker level="village" label={labels.region_code} description={t("posyandu.regionHelp")} {...f.region("region_code")} required />
          <Group grow>
            <TextInput label="RW" maxLength={3} {...f.text("rw")} />
            <TextInput label="RT" maxLength={3} {...f.text("rt")} />
          </Group>
          <TextInput label={labels.address} maxLength={500} {...f.text("address")} />
          <NumberInput {...count("pengurus_count")} />
          <NumberInput {...count("kader_count")} />
          <Select label={labels.stratum} data={catalog.data?.strata ?? []} {...f.choice("stratum")} clearable comboboxProps={{ withinPortal: true }} />
          <Switch mt="xl" label={labels.is_active} {...f.checked("is_active")} />
        </SimpleGrid>
      </Card>
      <Section title={labels.services}>
        {errs.services && <ProblemAlert error={new Error(errs.services)} title={labels.services} />}
        {catalog.isPending ? (
          <Loader size="sm" />
        ) : catalog.error ? (
          <ProblemAlert error={catalog.error} />
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
            {catalog.data.fields.map((c) => (
              <Checkbox.Group key={c.field} label={t(`spm.${c.field}`)} value={v.services[c.field] ?? []} onChange={(codes) => set("services", { ...v.services, [c.field]: codes })}>
                <Stack gap={4} mt={4}>
                  {c.services.map((s) => (
                    <Checkbox key={s.code} value={s.code} label={s.label} size="xs" />
                  ))}
                </Stack>
              </Checkbox.Group>
            ))}
          </SimpleGrid>
        )}
      </Section>
      <Textarea label={labels.notes} maxLength={5000} autosize minRows={2} {...f.text("notes")} />
    </Form>
  );
}

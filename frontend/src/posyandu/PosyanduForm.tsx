// Create / edit a posyandu. The API's validation errors (422) appear next to the fields; a stale
// edit (412) shows what someone else changed, and the user can reload and apply theirs again.
import { Button, Card, Checkbox, Group, Loader, NumberInput, Select, SimpleGrid, Stack, Switch, TextInput, Textarea, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";
import { type Schemas } from "../api/client";
import { ApiError, fieldErrors } from "../api/problems";
import { useMe } from "../auth/auth";
import { ProblemAlert } from "../components/ProblemAlert";
import { StaleDiff } from "../components/StaleDiff";
import { SPM_FIELDS } from "../lib/spm";
import { catalogQuery, posyanduEditQuery, useSavePosyandu } from "./api";

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
  const [override, setOverride] = useState<{ p: Posyandu; etag: string } | null>(null);
  const loaded = useQuery({ ...posyanduEditQuery(id), retry: false });
  if (id === undefined) return <PosyanduForm key="new" />;
  if (loaded.isPending) return <Loader />;
  if (loaded.error) return <ProblemAlert error={loaded.error} />;
  const current = override ?? loaded.data;
  return (
    <PosyanduForm
      key={`${current.p.id}-${current.p.version}`}
      loaded={current.p}
      etag={current.etag}
      onReload={(p, etag) => setOverride({ p, etag })}
      title={t("posyandu.editTitle", { name: current.p.name })}
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
  const [v, setV] = useState<PosyanduValues>(() => valuesOf(loaded, me.region?.code ?? ""));
  const set = <K extends keyof PosyanduValues>(k: K, value: PosyanduValues[K]) => setV((old) => ({ ...old, [k]: value }));

  const save = useSavePosyandu(loaded, etag, (p) => navigate(`/posyandu/${p.id}`));
  const error = save.error;
  const errs = fieldErrors(error);
  const stale = error instanceof ApiError && error.status === 412;
  const fieldLevel = error instanceof ApiError && error.status === 422 && Object.keys(errs).some((k) => k !== "");

  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate(body(v));
  }

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

  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={900}>
        <Title order={2}>{title ?? t("posyandu.new")}</Title>
        {stale && loaded && onReload ? (
          <StaleDiff
            error={error}
            loaded={loaded as unknown as Record<string, unknown>}
            labels={labels}
            onReload={(current, newEtag) => {
              if (current && newEtag) onReload(current as unknown as Posyandu, newEtag);
            }}
          />
        ) : error && (!fieldLevel || errs[""]) ? (
          <ProblemAlert error={error} />
        ) : null}
        <Card withBorder>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={labels.name} value={v.name} maxLength={200} onChange={(e) => set("name", e.currentTarget.value)} error={errs.name} required />
            <TextInput
              label={labels.region_code}
              description={t("posyandu.regionHelp")}
              value={v.region_code}
              maxLength={13}
              onChange={(e) => set("region_code", e.currentTarget.value)}
              error={errs.region_code}
              required
            />
            <Group grow>
              <TextInput label="RW" value={v.rw} maxLength={3} onChange={(e) => set("rw", e.currentTarget.value)} error={errs.rw} />
              <TextInput label="RT" value={v.rt} maxLength={3} onChange={(e) => set("rt", e.currentTarget.value)} error={errs.rt} />
            </Group>
            <TextInput label={labels.address} value={v.address} maxLength={500} onChange={(e) => set("address", e.currentTarget.value)} error={errs.address} />
            <NumberInput
              label={labels.pengurus_count}
              value={v.pengurus_count}
              min={0}
              allowDecimal={false}
              onChange={(n) => set("pengurus_count", typeof n === "number" ? n : 0)}
              error={errs.pengurus_count}
            />
            <NumberInput
              label={labels.kader_count}
              value={v.kader_count}
              min={0}
              allowDecimal={false}
              onChange={(n) => set("kader_count", typeof n === "number" ? n : 0)}
              error={errs.kader_count}
            />
            <Select
              label={labels.stratum}
              data={catalog.data?.strata ?? []}
              value={v.stratum}
              onChange={(s) => set("stratum", s)}
              clearable
              error={errs.stratum}
              comboboxProps={{ withinPortal: true }}
            />
            <Switch mt="xl" label={labels.is_active} checked={v.is_active} onChange={(e) => set("is_active", e.currentTarget.checked)} />
          </SimpleGrid>
        </Card>
        <Card withBorder>
          <Title order={4} mb="sm">
            {labels.services}
          </Title>
          {errs.services && <ProblemAlert error={new Error(errs.services)} title={labels.services} />}
          {catalog.isPending ? (
            <Loader size="sm" />
          ) : catalog.error ? (
            <ProblemAlert error={catalog.error} />
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
              {catalog.data.fields.map((f) => (
                <Checkbox.Group
                  key={f.field}
                  label={t(`spm.${f.field}`)}
                  value={v.services[f.field] ?? []}
                  onChange={(codes) => set("services", { ...v.services, [f.field]: codes })}
                >
                  <Stack gap={4} mt={4}>
                    {f.services.map((s) => (
                      <Checkbox key={s.code} value={s.code} label={s.label} size="xs" />
                    ))}
                  </Stack>
                </Checkbox.Group>
              ))}
            </SimpleGrid>
          )}
        </Card>
        <Textarea label={labels.notes} value={v.notes} maxLength={5000} autosize minRows={2} onChange={(e) => set("notes", e.currentTarget.value)} error={errs.notes} />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => navigate(loaded ? `/posyandu/${loaded.id}` : "/posyandu")}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {loaded ? t("common.save") : t("common.create")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

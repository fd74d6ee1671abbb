// One posyandu: its data, the services it runs per SPM field, the registration readiness check,
// the registration transitions the API allows this user (`allowed_actions`), and the history of
// the registration.
import { Alert, Anchor, Badge, Button, Card, Group, List, Loader, Modal, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from "@mantine/core";
import { IconCheck, IconX } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { type Schemas } from "../api/client";
import { fieldErrors } from "../api/problems";
import { ProblemAlert } from "../components/ProblemAlert";
import { formatDateTime, formatNumber } from "../lib/format";
import { allows } from "../lib/scope";
import { SPM_FIELDS } from "../lib/spm";
import { posyanduQuery, readinessQuery, registrationEventsQuery, useRegistrationTransition } from "./api";
import { useCatalog } from "./PosyanduForm";
import { StatusBadge } from "./PosyanduRegistry";

type Posyandu = Schemas["PosyanduRead"];
type Action = Schemas["TransitionAction"];

/** The posyandu actions that are registration steps (POST .../registration/transitions), in button order. */
const TRANSITIONS: Action[] = ["propose", "verify", "return", "reject", "register", "reopen"];

export function PosyanduDetail() {
  const { posyanduId } = useParams();
  const id = Number(posyanduId);
  const { t } = useTranslation();
  const catalog = useCatalog();
  const detail = useQuery({ ...posyanduQuery(id), retry: false });
  const readiness = useQuery({ ...readinessQuery(id), enabled: detail.isSuccess });
  const events = useQuery({ ...registrationEventsQuery(id), enabled: detail.isSuccess });

  if (detail.isPending) return <Loader />;
  if (detail.error)
    return (
      <Stack>
        <ProblemAlert error={detail.error} />
        <Anchor component={Link} to="/posyandu">
          ← {t("posyandu.title")}
        </Anchor>
      </Stack>
    );
  const { p, etag } = detail.data;
  const label = (field: string, code: string) =>
    catalog.data?.fields.find((f) => f.field === field)?.services.find((s) => s.code === code)?.label ?? code;

  return (
    <Stack>
      <Anchor component={Link} to="/posyandu" size="sm">
        ← {t("posyandu.title")}
      </Anchor>
      <Group justify="space-between">
        <Group gap="sm" align="baseline">
          <Title order={2} data-testid="posyandu-name">
            {p.name}
          </Title>
          <StatusBadge status={p.registration_status} />
          {!p.is_active && <Badge color="gray">{t("common.inactive")}</Badge>}
        </Group>
        {allows(p, "update") && (
          <Button component={Link} to={`/posyandu/${p.id}/edit`} variant="light">
            {t("common.edit")}
          </Button>
        )}
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Table variant="vertical" withTableBorder>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th w={180}>{t("common.region")}</Table.Th>
                <Table.Td>
                  <Anchor component={Link} to={`/regions/${p.region_code}`}>
                    {p.village_name}
                  </Anchor>{" "}
                  <Text span size="xs" c="dimmed" ff="monospace">
                    {p.region_code}
                  </Text>
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t("posyandu.address")}</Table.Th>
                <Table.Td>
                  {[p.address, p.rw && `RW ${p.rw}`, p.rt && `RT ${p.rt}`].filter(Boolean).join(", ") || "—"}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t("posyandu.pengurus")}</Table.Th>
                <Table.Td>{formatNumber(p.pengurus_count)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t("posyandu.kader")}</Table.Th>
                <Table.Td>{formatNumber(p.kader_count)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t("posyandu.stratum")}</Table.Th>
                <Table.Td>{p.stratum ?? "—"}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t("posyandu.number")}</Table.Th>
                <Table.Td ff="monospace">{p.registration_number ?? "—"}</Table.Td>
              </Table.Tr>
              {p.status_reason && (
                <Table.Tr>
                  <Table.Th>{t("registration.reason")}</Table.Th>
                  <Table.Td>{p.status_reason}</Table.Td>
                </Table.Tr>
              )}
              {p.notes && (
                <Table.Tr>
                  <Table.Th>{t("posyandu.notes")}</Table.Th>
                  <Table.Td style={{ whiteSpace: "pre-wrap" }}>{p.notes}</Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Card>
        <Card withBorder data-testid="registration">
          <Title order={4} mb="sm">
            {t("posyandu.registration")}
          </Title>
          {readiness.data && (
            <Alert
              color={readiness.data.ready ? "teal" : "yellow"}
              icon={readiness.data.ready ? <IconCheck /> : <IconX />}
              title={readiness.data.ready ? t("registration.ready") : t("registration.notReady")}
              mb="sm"
              data-testid="readiness"
            >
              {readiness.data.missing.length > 0 && (
                <List size="sm">
                  {readiness.data.missing.map((m) => (
                    <List.Item key={m.code}>{m.message}</List.Item>
                  ))}
                </List>
              )}
            </Alert>
          )}
          <Transitions p={p} etag={etag} />
        </Card>
      </SimpleGrid>
      <Card withBorder data-testid="services">
        <Title order={4} mb="sm">
          {t("posyandu.servicesPerField")}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
          {SPM_FIELDS.map((f) => (
            <Stack key={f} gap={4}>
              <Group gap={6}>
                <Text fw={600}>{t(`spm.${f}`)}</Text>
                <Badge size="sm" variant="light" color={(p.services[f] ?? []).length ? "teal" : "gray"}>
                  {formatNumber((p.services[f] ?? []).length)}
                </Badge>
              </Group>
              {(p.services[f] ?? []).length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t("posyandu.noServices")}
                </Text>
              ) : (
                <List size="sm">
                  {(p.services[f] ?? []).map((code) => (
                    <List.Item key={code}>{label(f, code)}</List.Item>
                  ))}
                </List>
              )}
            </Stack>
          ))}
        </SimpleGrid>
      </Card>
      <Card withBorder>
        <Title order={4} mb="sm">
          {t("registration.history")}
        </Title>
        {events.data && events.data.length > 0 ? (
          <Table withTableBorder fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("audit.occurredAt")}</Table.Th>
                <Table.Th>{t("audit.action")}</Table.Th>
                <Table.Th>{t("registration.change")}</Table.Th>
                <Table.Th>{t("audit.actor")}</Table.Th>
                <Table.Th>{t("registration.reason")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {events.data.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>{formatDateTime(e.occurred_at)}</Table.Td>
                  <Table.Td>{t(`registration.actions.${e.action}`, { defaultValue: e.action })}</Table.Td>
                  <Table.Td>
                    {t(`registration.status.${e.from_status}`)} → {t(`registration.status.${e.to_status}`)}
                  </Table.Td>
                  <Table.Td>{e.actor_name ?? e.actor}</Table.Td>
                  <Table.Td>{e.reason ?? e.registration_number ?? "—"}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          <Text c="dimmed">{t("common.empty")}</Text>
        )}
      </Card>
    </Stack>
  );
}

function Transitions({ p, etag }: { p: Posyandu; etag: string }) {
  const { t } = useTranslation();
  const [action, setAction] = useState<Action | null>(null);
  const [reason, setReason] = useState("");
  const [number, setNumber] = useState("");
  const run = useRegistrationTransition(p, etag, () => {
    setAction(null);
    setReason("");
    setNumber("");
  });
  const actions = TRANSITIONS.filter((a) => allows(p, a));
  const errs = fieldErrors(run.error);
  const needsReason = action === "return" || action === "reject";
  if (actions.length === 0) return <Text size="sm" c="dimmed">{t("registration.noActions")}</Text>;
  return (
    <>
      <Group gap="xs" data-testid="reg-actions">
        {actions.map((a) => (
          <Button
            key={a}
            size="xs"
            variant={a === "reject" || a === "return" ? "light" : "filled"}
            color={a === "reject" ? "red" : a === "return" ? "orange" : "teal"}
            onClick={() => {
              run.reset();
              setAction(a);
            }}
          >
            {t(`registration.actions.${a}`)}
          </Button>
        ))}
      </Group>
      <Modal opened={action !== null} onClose={() => setAction(null)} title={action ? t(`registration.actions.${action}`) : ""}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (action) run.mutate({ action, reason: reason.trim() || null, registration_number: action === "register" ? number.trim() || null : null });
          }}
          noValidate
        >
          <Stack>
            <Text size="sm">{t("registration.confirm", { name: p.name })}</Text>
            {run.error && !(errs.reason || errs.registration_number) ? <ProblemAlert error={run.error} /> : null}
            {action === "register" && (
              <TextInput
                label={t("posyandu.number")}
                value={number}
                maxLength={64}
                onChange={(e) => setNumber(e.currentTarget.value)}
                error={errs.registration_number}
                required
                data-autofocus
              />
            )}
            <Textarea
              label={t("registration.reason")}
              value={reason}
              maxLength={2000}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={errs.reason}
              required={needsReason}
              autosize
              minRows={2}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setAction(null)}>
                {t("common.cancel")}
              </Button>
              <Button type="submit" loading={run.isPending}>
                {t("common.confirm")}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

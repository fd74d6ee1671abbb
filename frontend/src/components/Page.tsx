// The pieces every screen is built of: its title row, a bordered section with its title and
// actions, the link back to a list, and the states of a detail page's record (not found,
// loading, refused).
import { Anchor, Card, Group, Loader, Stack, Text, Title, type CardProps, type GroupProps, type MantineSize, type TitleOrder } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ProblemAlert } from "./ProblemAlert";

/** A link back to a list: "← Decrees". */
export function BackLink({ to, label, size = "sm" }: { to: string; label: string; size?: MantineSize }) {
  return (
    <Anchor component={Link} to={to} size={size}>
      ← {label}
    </Anchor>
  );
}

/** A link on to a related screen: "Follow-ups →". */
export function ForwardLink({ to, label, size = "sm", testId }: { to: string; label: string; size?: MantineSize; testId?: string }) {
  return (
    <Anchor component={Link} to={to} size={size} data-testid={testId}>
      {label} →
    </Anchor>
  );
}

/** A screen's title and, on the right, its links and buttons. */
export function PageHeader({ title, children, ...group }: GroupProps & { title: ReactNode }) {
  return (
    <Group justify="space-between" {...group}>
      <Title order={1} size="h2">{title}</Title>
      {children}
    </Group>
  );
}

/**
 * A bordered section with its title; `actions` (a button, a link) stand on the title's right,
 * `description` under it.
 */
export function Section({
  title,
  order = 4,
  actions,
  description,
  children,
  ...card
}: CardProps & { title: ReactNode; order?: TitleOrder; actions?: ReactNode; description?: ReactNode; children?: ReactNode }) {
  return (
    <Card withBorder {...card}>
      {actions !== undefined ? (
        <Group justify="space-between" mb="sm">
          <Title order={order}>{title}</Title>
          {actions}
        </Group>
      ) : description ? (
        <>
          <Title order={order}>{title}</Title>
          <Text size="sm" c="dimmed" mb="sm">
            {description}
          </Text>
        </>
      ) : (
        <Title order={order} mb="sm">
          {title}
        </Title>
      )}
      {children}
    </Card>
  );
}

/** The record id in the route (`/budgets/:budgetId`), and whether it is a positive integer. */
export function useRouteId(param: string): { id: number; valid: boolean } {
  const id = Number(useParams()[param]);
  return { id, valid: Number.isInteger(id) && id > 0 };
}

/**
 * What a detail page shows until its record is there: "not found" for an id that cannot be one,
 * the loader, or the API's problem with the link back to the list.
 */
export function RecordState({ query, back, valid = true }: { query: { isPending: boolean; error: unknown }; back?: { to: string; label: string }; valid?: boolean }) {
  const { t } = useTranslation();
  if (!valid) return <ProblemAlert error={new Error(t("problems.notFound"))} />;
  if (query.isPending) return <Loader />;
  if (!back) return <ProblemAlert error={query.error} />;
  return (
    <Stack>
      <ProblemAlert error={query.error} />
      <BackLink to={back.to} label={back.label} size="md" />
    </Stack>
  );
}

/** A figure in a card: its name in small capitals, the value large, then anything under it. */
export function StatCard({ label, value, fz = 22, children, ...card }: CardProps & { label: ReactNode; value?: ReactNode; fz?: number; children?: ReactNode }) {
  return (
    <Card radius="md" {...card}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      {value !== undefined && (
        <Text fz={fz} fw={700}>
          {value}
        </Text>
      )}
      {children}
    </Card>
  );
}

/** A name followed by its code, small and dimmed ("Klego 33.75.02.1008"). */
export function WithCode({ code, children }: { code: string; children: ReactNode }) {
  return (
    <>
      {children}{" "}
      <Text span size="xs" c="dimmed" ff="monospace">
        {code}
      </Text>
    </>
  );
}

/** A record page's title with its badges (and buttons) beside it. */
export function RecordTitle({ title, testId, children }: { title: ReactNode; testId: string; children?: ReactNode }) {
  return (
    <Group gap="sm" align="baseline">
      <Title order={1} size="h2" data-testid={testId}>
        {title}
      </Title>
      {children}
    </Group>
  );
}

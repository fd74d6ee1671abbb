// The outbox on screen: the signed-in account's reports waiting for a connection (queue.ts), sent
// again when the browser says it is back online and when the app starts, and their count in the
// header (announced to screen readers). The report form sends through `send`, which keeps a
// report whose request could not reach the server.
import { Alert, Anchor, Badge, Button, Group, Popover, Stack, Text, UnstyledButton } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconCloudUpload } from "@tabler/icons-react";
import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api } from "../api/client";
import { useMe } from "../auth/auth";
import { ConfirmButton } from "../components/Confirm";
import { formatDateTime } from "../lib/format";
import { discardQueued, listQueued, putQueued, replayQueue, sendItem, type Outcome, type QueuedReport } from "./queue";

type QueueState = {
  /** The account's waiting items, oldest first. */
  items: QueuedReport[];
  /** The items a replay sent while this page is open, each with its report (a form waiting on one opens it). */
  sent: QueuedReport[];
  /** Send a report now; kept in the queue (state "waiting") when the connection fails. */
  send: (item: Omit<QueuedReport, "user" | "queuedAt">) => Promise<Outcome>;
  replay: () => Promise<void>;
  discard: (key: string) => Promise<void>;
};

const QueueContext = createContext<QueueState | null>(null);

const ROOTS = ["activity-reports", "posyandu"];

export function OfflineQueueProvider({ children }: { children: ReactNode }) {
  const me = useMe();
  const qc = useQueryClient();
  const { t } = useTranslation();
  const [items, setItems] = useState<QueuedReport[]>([]);
  const [sent, setSent] = useState<QueuedReport[]>([]);

  const refresh = useCallback(async () => {
    setItems(await listQueued(me.id).catch(() => []));
  }, [me.id]);

  const invalidate = useCallback(async () => {
    for (const root of ROOTS) await qc.invalidateQueries({ queryKey: [root] });
  }, [qc]);

  const replay = useCallback(async () => {
    try {
      const { sent: done, refused } = await replayQueue(api, me.id);
      if (done.length) {
        notifications.show({ color: "teal", message: t("offline.sent", { count: done.length }) });
        await invalidate();
        setSent((s) => [...s, ...done]);
      }
      for (const item of refused) {
        notifications.show({ color: "red", title: t("offline.refusedTitle"), message: `${item.posyandu.name}: ${item.problem?.detail ?? item.problem?.title ?? ""}` });
      }
    } catch {
      // IndexedDB unavailable (a private window of some browsers): nothing was queued either
    }
    await refresh();
  }, [me.id, t, invalidate, refresh]);

  useEffect(() => {
    // at the app's start (a report left from an earlier visit), and whenever the connection returns
    const start = window.setTimeout(() => void replay(), 0);
    const onOnline = () => void replay();
    window.addEventListener("online", onOnline);
    return () => {
      window.clearTimeout(start);
      window.removeEventListener("online", onOnline);
    };
  }, [replay]);

  const send = useCallback(
    async (draft: Omit<QueuedReport, "user" | "queuedAt">) => {
      const item: QueuedReport = { ...draft, user: me.id, queuedAt: new Date().toISOString() };
      // a first attempt: what the server refuses goes back to the form (its fields show the errors)
      const outcome = await sendItem(api, item, { save: async () => {}, retryServer: false });
      if (outcome.state === "waiting") {
        await putQueued(outcome.item);
        await refresh();
      } else if (outcome.state === "done") {
        await invalidate();
      }
      return outcome;
    },
    [me.id, refresh, invalidate],
  );

  const discard = useCallback(
    async (key: string) => {
      await discardQueued(key);
      await refresh();
    },
    [refresh],
  );

  const value = useMemo<QueueState>(() => ({ items, sent, send, replay, discard }), [items, sent, send, replay, discard]);
  return <QueueContext.Provider value={value}>{children}</QueueContext.Provider>;
}

export function useOfflineQueue(): QueueState {
  const ctx = useContext(QueueContext);
  if (!ctx) throw new Error("useOfflineQueue outside OfflineQueueProvider");
  return ctx;
}

/** Where a waiting item is seen and fixed: its report, or the new report's form. */
export function queuedLink(item: QueuedReport): string {
  return item.report ? `/activity-reports/reports/${item.report.id}` : `/activity-reports/new?posyandu=${item.posyandu.id}&period=${item.period}`;
}

/** The header's count of waiting reports (a live region: a screen reader hears it change), with
 * the list of them in a popover. */
export function QueueIndicator({ compact }: { compact?: boolean }) {
  const { t } = useTranslation();
  const { items, replay } = useOfflineQueue();
  const [opened, setOpened] = useState(false);
  const label = t("offline.waiting", { count: items.length });
  return (
    <div aria-live="polite" aria-atomic="true" data-testid="offline-queue">
      {items.length > 0 && (
        <Popover opened={opened} onChange={setOpened} position="bottom-end" width={320} shadow="md">
          <Popover.Target>
            <UnstyledButton onClick={() => setOpened((o) => !o)} aria-label={label} title={label}>
              <Badge color={items.some((i) => i.problem) ? "red" : "yellow"} variant="light" leftSection={<IconCloudUpload size={14} aria-hidden />} data-testid="offline-count">
                {compact ? items.length : label}
              </Badge>
            </UnstyledButton>
          </Popover.Target>
          <Popover.Dropdown>
            <Stack gap="xs">
              <Text fw={600} size="sm">
                {t("offline.waitingTitle")}
              </Text>
              {items.map((i) => (
                <Anchor key={i.key} component={Link} to={queuedLink(i)} size="sm" onClick={() => setOpened(false)}>
                  {i.posyandu.name} · {i.period} {i.problem && <Badge color="red" size="xs">{t("offline.refused")}</Badge>}
                </Anchor>
              ))}
              <Button size="xs" variant="light" onClick={() => void replay()}>
                {t("offline.sendNow")}
              </Button>
            </Stack>
          </Popover.Dropdown>
        </Popover>
      )}
    </div>
  );
}

/**
 * A report waiting in the queue, where its form is: "waiting for a connection", or the server's
 * refusal with Fix (the answers back in the form, to be sent again) and Discard.
 */
export function QueuedNotice({ item, onFix }: { item: QueuedReport; onFix: (item: QueuedReport) => void }) {
  const { t } = useTranslation();
  const { discard, replay } = useOfflineQueue();
  // the form's buttons are at its foot: the notice is brought into view when it appears
  const ref = useRef<HTMLDivElement>(null);
  const state = item.problem ? "refused" : "waiting";
  useEffect(() => {
    ref.current?.scrollIntoView({ block: "center" });
  }, [state]);
  if (item.problem) {
    return (
      <Alert ref={ref} color="red" title={t("offline.refusedTitle")} data-testid="queued-refused">
        <Stack gap="xs">
          <Text size="sm">{item.problem.detail ?? item.problem.title}</Text>
          <Group gap="xs">
            <Button size="xs" onClick={() => onFix(item)}>
              {t("offline.fix")}
            </Button>
            <ConfirmButton size="xs" color="red" variant="subtle" label={t("offline.discard")} question={t("offline.confirmDiscard")} onConfirm={() => discard(item.key)} />
          </Group>
        </Stack>
      </Alert>
    );
  }
  return (
    <Alert ref={ref} color="yellow" title={t("offline.queued")} icon={<IconCloudUpload aria-hidden />} data-testid="queued">
      <Stack gap="xs">
        <Text size="sm">
          {t("offline.queuedDetail")} {item.submit ? t("offline.queuedSubmit") : ""}
        </Text>
        <Text size="xs" c="dimmed">
          {t("offline.queuedAt", { time: formatDateTime(item.queuedAt) })}
        </Text>
        <Group gap="xs">
          <Button size="xs" variant="light" onClick={() => void replay()}>
            {t("offline.sendNow")}
          </Button>
          <ConfirmButton size="xs" color="red" variant="subtle" label={t("offline.discard")} question={t("offline.confirmDiscard")} onConfirm={() => discard(item.key)} />
        </Group>
      </Stack>
    </Alert>
  );
}

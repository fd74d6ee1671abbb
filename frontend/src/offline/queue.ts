// The outbox of monthly activity reports written without a connection (IndexedDB, via idb-keyval).
// A report whose save or submission could not reach the server is kept here with the
// Idempotency-Key it was first sent with, and sent again when the browser is back online and at
// the app's start. Each step of an item (create, save the answers, submit) is recorded once it is
// done, so a replay never repeats a step that succeeded; the server's Idempotency-Key replay gives
// the first answer when the answer of a step that did succeed was lost on the way. An item the
// server refuses (a 4xx problem) stays, with the problem, until the user fixes or discards it.
import { createStore, del, get, set, values, type UseStore } from "idb-keyval";
import type { makeApi, Schemas } from "../api/client";
import { ApiError, etagFor, unwrap as unwrapProblem, type FetchResult } from "../api/problems";

type Api = ReturnType<typeof makeApi>;
type Report = Schemas["ReportRead"];

/** What the server said when it refused an item, as shown to the user. */
export type QueuedProblem = { status: number; title: string; detail: string | null; type: string };

export type QueuedReport = {
  /** The Idempotency-Key of the item's first step (also its key in the store). */
  key: string;
  /** The account that wrote it: only that account's items are shown and sent. */
  user: number;
  posyandu: { id: number; name: string };
  period: string;
  /** A new report's body (no `report` yet), or an existing report's answers to save; null once sent. */
  body: Schemas["ReportCreate"] | Schemas["ReportUpdate"] | null;
  /** The report once it exists on the server, with the ETag of the version the next step writes over. */
  report?: { id: number; etag: string };
  /** Submit the report once its answers are saved. */
  submit: boolean;
  queuedAt: string;
  problem?: QueuedProblem;
};

/** How a send ended: everything done, waiting for a connection (or the server), or refused. */
export type Outcome =
  | { state: "done"; item: QueuedReport; report: Report | null }
  | { state: "waiting"; item: QueuedReport }
  | { state: "refused"; item: QueuedReport; error: ApiError };

let store: UseStore | undefined;
function db(): UseStore {
  store ??= createStore("pembina-offline", "reports");
  return store;
}

/** The user's waiting items, oldest first. */
export async function listQueued(user: number): Promise<QueuedReport[]> {
  const all = (await values<QueuedReport>(db())).filter((i) => i.user === user);
  return all.sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
}

export async function getQueued(key: string): Promise<QueuedReport | undefined> {
  return get<QueuedReport>(key, db());
}

export async function putQueued(item: QueuedReport): Promise<void> {
  await set(item.key, item, db());
}

export async function discardQueued(key: string): Promise<void> {
  await del(key, db());
}

/** The waiting item of a posyandu's month (a new report) or of a report, if any. */
export async function findQueued(user: number, where: { posyandu: number; period: string } | { report: number }): Promise<QueuedReport | undefined> {
  return (await listQueued(user)).find((i) =>
    "report" in where ? i.report?.id === where.report : i.posyandu.id === where.posyandu && i.period === where.period && !i.report,
  );
}

/** An answer that asks to be tried again later (Retry-After: the same key still in flight, 429, 503). */
class RetryLater extends Error {}

function unwrap<T>(result: FetchResult<T>): T {
  if (!result.response.ok && result.response.headers.has("Retry-After")) throw new RetryLater(`HTTP ${result.response.status}`);
  return unwrapProblem(result);
}

/** A failure of the connection itself: fetch rejected (no network, DNS, connection reset). */
export function isNetworkError(e: unknown): boolean {
  return !(e instanceof ApiError) && e instanceof Error && (e.name === "TypeError" || e.name === "NetworkError" || e.name === "AbortError");
}

/** Worth sending again later: no connection, an answer with Retry-After (the same key still in
 * flight, too many requests), the server briefly away (5xx) or the session expired (401, until the
 * user logs in again). */
function transient(e: unknown): boolean {
  if (isNetworkError(e) || e instanceof RetryLater) return true;
  return e instanceof ApiError && (e.status >= 500 || e.status === 401 || e.status === 408);
}

function problemOf(e: ApiError): QueuedProblem {
  return { status: e.status, title: e.problem.title, detail: e.problem.detail ?? null, type: e.problem.type };
}

/**
 * Send an item's remaining steps, recording each one as it succeeds (`save`). A failure of the
 * connection (and, when `retryServer`, any transient answer) leaves the item waiting; anything
 * else the server refuses ends it as refused.
 */
export async function sendItem(client: Api, start: QueuedReport, { save = putQueued, retryServer = true }: { save?: (i: QueuedReport) => Promise<void>; retryServer?: boolean } = {}): Promise<Outcome> {
  let item: QueuedReport = { ...start, problem: undefined };
  let report: Report | null = null;
  try {
    if (!item.report) {
      report = unwrap(
        await client.POST("/api/v1/activity-reports", { params: { header: { "Idempotency-Key": item.key } }, body: item.body as Schemas["ReportCreate"] }),
      );
      item = { ...item, body: null, report: { id: report.id, etag: etagFor(report.version) } };
      if (item.submit) await save(item);
    } else if (item.body) {
      report = unwrap(
        await client.PATCH("/api/v1/activity-reports/{report_id}", {
          params: { path: { report_id: item.report.id }, header: { "If-Match": item.report.etag, "Idempotency-Key": `${item.key}:update` } },
          body: item.body as Schemas["ReportUpdate"],
        }),
      );
      item = { ...item, body: null, report: { id: report.id, etag: etagFor(report.version) } };
      if (item.submit) await save(item);
    }
    if (item.submit && item.report) {
      const { id, etag } = item.report;
      try {
        report = unwrap(
          await client.POST("/api/v1/activity-reports/{report_id}/transitions", {
            params: { path: { report_id: id }, header: { "If-Match": etag, "Idempotency-Key": `${item.key}:submit` } },
            body: { action: "submit", reason: null },
          }),
        );
      } catch (e) {
        // the submission went through before but its answer was lost (and its idempotency record
        // is gone): the report is already submitted, nothing is left to do
        if (!(e instanceof ApiError) || transient(e)) throw e;
        const current = await client.GET("/api/v1/activity-reports/{report_id}", { params: { path: { report_id: id } } });
        if (!current.response.ok || !["submitted", "accepted"].includes(current.data?.status ?? "")) throw e;
        report = current.data!;
      }
    }
    return { state: "done", item, report };
  } catch (e) {
    if (isNetworkError(e) || e instanceof RetryLater || (retryServer && transient(e))) return { state: "waiting", item };
    if (e instanceof ApiError) return { state: "refused", item: { ...item, problem: problemOf(e) }, error: e };
    throw e;
  }
}

let running: Promise<{ sent: QueuedReport[]; refused: QueuedReport[]; waiting: number }> | null = null;

/**
 * Send every waiting item of `user` (oldest first; not those refused before, which wait for the
 * user). Stops at the first that cannot reach the server. One replay at a time in this page.
 */
export function replayQueue(client: Api, user: number): Promise<{ sent: QueuedReport[]; refused: QueuedReport[]; waiting: number }> {
  running ??= (async () => {
    const sent: QueuedReport[] = [];
    const refused: QueuedReport[] = [];
    const items = (await listQueued(user)).filter((i) => !i.problem);
    let waiting = 0;
    for (const [n, item] of items.entries()) {
      const outcome = await sendItem(client, item);
      if (outcome.state === "done") {
        await discardQueued(item.key);
        sent.push(outcome.item);
      } else if (outcome.state === "refused") {
        await putQueued(outcome.item);
        refused.push(outcome.item);
      } else {
        await putQueued(outcome.item);
        waiting = items.length - n;
        break;
      }
    }
    return { sent, refused, waiting };
  })().finally(() => {
    running = null;
  });
  return running;
}

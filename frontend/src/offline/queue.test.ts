// The report outbox against a small in-memory server that behaves like the API where it matters
// here: an Idempotency-Key per caller replays the first answer, one report per posyandu and month
// (a second is a 409), If-Match on the version, and a connection that can be cut (fetch rejects)
// before a request arrives or after its answer left.
import "fake-indexeddb/auto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { makeApi, type Schemas } from "../api/client";
import { discardQueued, findQueued, listQueued, putQueued, replayQueue, sendItem, type QueuedReport } from "./queue";

type Report = Schemas["ReportRead"];
type Net = "up" | "down" | "drop-answer";

function fakeServer() {
  const reports = new Map<number, Report>();
  const replies = new Map<string, { status: number; body: unknown }>();
  const calls: { method: string; path: string; key: string | null; ifMatch: string | null }[] = [];
  let net: Net = "up";
  let down503 = false;

  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { "Content-Type": status >= 400 ? "application/problem+json" : "application/json", ...headers } });
  const problem = (status: number, slug: string, detail: string) => ({ status, body: { type: `/problems/${slug}`, title: slug, status, detail } });

  function handle(method: string, path: string, body: Record<string, unknown>, ifMatch: string | null): { status: number; body: unknown } {
    if (method === "POST" && path === "/api/v1/activity-reports") {
      const posyandu = body.posyandu_id as number;
      const period = body.period as string;
      const first = [...reports.values()].find((r) => r.posyandu_id === posyandu && r.period === period);
      if (first) return problem(409, "conflict", `Posyandu ini sudah punya laporan ${period} (nomor ${first.id}).`);
      const id = reports.size + 1;
      const r = { id, posyandu_id: posyandu, period, status: "draft", version: 1, days_open: body.days_open ?? 0 } as unknown as Report;
      reports.set(id, r);
      return { status: 201, body: r };
    }
    const m = /^\/api\/v1\/activity-reports\/(\d+)(\/transitions)?$/.exec(path);
    const r = m ? reports.get(Number(m[1])) : undefined;
    if (!r) return problem(404, "not-found", "Laporan tidak ditemukan.");
    if (method === "GET") return { status: 200, body: r };
    if (ifMatch && ifMatch !== `"${r.version}"`) return problem(412, "precondition-failed", "Laporan ini diubah orang lain.");
    if (method === "PATCH") {
      const saved = { ...r, ...body, version: r.version + 1 } as Report;
      reports.set(r.id, saved);
      return { status: 200, body: saved };
    }
    if (r.status === "submitted") return problem(409, "conflict", "Laporan sudah dikirim.");
    const submitted = { ...r, status: "submitted", version: r.version + 1 } as Report;
    reports.set(r.id, submitted);
    return { status: 200, body: submitted };
  }

  const fetchImpl = vi.fn(async (req: Request) => {
    const url = new URL(req.url);
    const key = req.headers.get("Idempotency-Key");
    const ifMatch = req.headers.get("If-Match");
    calls.push({ method: req.method, path: url.pathname, key, ifMatch });
    if (net === "down") throw new TypeError("Failed to fetch");
    if (down503) return json(503, { type: "/problems/unavailable", title: "unavailable", status: 503, detail: "Database away" });
    const text = req.method === "GET" ? "" : await req.text();
    let reply = key ? replies.get(key) : undefined;
    if (!reply) {
      reply = handle(req.method, url.pathname, text ? JSON.parse(text) : {}, ifMatch);
      if (key) replies.set(key, reply);
    }
    // the request was carried out, but its answer never reaches the browser
    if (net === "drop-answer") throw new TypeError("Failed to fetch");
    return json(reply.status, reply.body);
  });

  return {
    api: makeApi("http://test", fetchImpl as unknown as typeof fetch),
    reports,
    calls,
    set net(n: Net) {
      net = n;
    },
    set unavailable(v: boolean) {
      down503 = v;
    },
    retryAfterOnce() {
      fetchImpl.mockImplementationOnce(async (req: Request) => {
        calls.push({ method: req.method, path: new URL(req.url).pathname, key: req.headers.get("Idempotency-Key"), ifMatch: null });
        return json(409, { type: "/problems/conflict", title: "conflict", status: 409, detail: "still processing" }, { "Retry-After": "1" });
      });
    },
  };
}

const USER = 41;

function item(over: Partial<QueuedReport> = {}): QueuedReport {
  return {
    key: crypto.randomUUID(),
    user: USER,
    posyandu: { id: 1, name: "Posyandu Seruni" },
    period: "2026-11",
    body: { posyandu_id: 1, period: "2026-11", days_open: 4, kader_present: 5, counts: {}, target_groups: {}, notes: null },
    submit: true,
    queuedAt: new Date().toISOString(),
    ...over,
  };
}

beforeEach(async () => {
  for (const i of await listQueued(USER)) await discardQueued(i.key);
  for (const i of await listQueued(USER + 1)) await discardQueued(i.key);
});

describe("the report outbox", () => {
  it("keeps a report while offline and sends it once online: one report, created then submitted with its key", async () => {
    const server = fakeServer();
    const queued = item();
    await putQueued(queued);
    server.net = "down";
    expect(await replayQueue(server.api, USER)).toEqual({ sent: [], refused: [], waiting: 1 });
    expect(await listQueued(USER)).toHaveLength(1);
    expect(server.reports.size).toBe(0);

    server.net = "up";
    const { sent, waiting } = await replayQueue(server.api, USER);
    expect(sent.map((i) => i.key)).toEqual([queued.key]);
    expect(waiting).toBe(0);
    expect(await listQueued(USER)).toEqual([]);
    expect([...server.reports.values()].map((r) => [r.posyandu_id, r.period, r.status])).toEqual([[1, "2026-11", "submitted"]]);
    const online = server.calls.slice(1);
    expect(online.map((c) => `${c.method} ${c.path} ${c.key} ${c.ifMatch}`)).toEqual([
      `POST /api/v1/activity-reports ${queued.key} null`,
      `POST /api/v1/activity-reports/1/transitions ${queued.key}:submit "1"`,
    ]);
  });

  it("a retry after a lost answer never makes a second report (the key replays the first answer)", async () => {
    const server = fakeServer();
    const queued = item();
    await putQueued(queued);
    server.net = "drop-answer"; // the create went through, its answer was lost
    expect((await replayQueue(server.api, USER)).waiting).toBe(1);
    expect(server.reports.size).toBe(1);
    server.net = "up";
    expect((await replayQueue(server.api, USER)).sent).toHaveLength(1);
    expect(server.reports.size).toBe(1);
    expect(server.reports.get(1)!.status).toBe("submitted");
    expect(server.calls.filter((c) => c.method === "POST" && c.path === "/api/v1/activity-reports").map((c) => c.key)).toEqual([queued.key, queued.key]);
  });

  it("records each step: once created, a later replay only submits", async () => {
    const server = fakeServer();
    const queued = item();
    // online for the create, then the connection drops before the submission
    const outcome = await sendItem(server.api, queued, {
      save: async (i) => {
        await putQueued(i);
        server.net = "down";
      },
    });
    expect(outcome.state).toBe("waiting");
    await putQueued(outcome.item);
    const kept = await findQueued(USER, { report: 1 });
    expect(kept).toMatchObject({ key: queued.key, body: null, report: { id: 1, etag: '"1"' }, submit: true });
    expect(await findQueued(USER, { posyandu: 1, period: "2026-11" })).toBeUndefined();

    server.net = "up";
    const before = server.calls.length;
    expect((await replayQueue(server.api, USER)).sent).toHaveLength(1);
    expect(server.calls.slice(before).map((c) => `${c.method} ${c.path}`)).toEqual(["POST /api/v1/activity-reports/1/transitions"]);
    expect(server.reports.get(1)!.status).toBe("submitted");
  });

  it("saves an existing report's answers with the version the user loaded, then submits", async () => {
    const server = fakeServer();
    server.reports.set(1, { id: 1, posyandu_id: 1, period: "2026-11", status: "draft", version: 3, days_open: 0 } as unknown as Report);
    const queued = item({ report: { id: 1, etag: '"3"' }, body: { days_open: 9, kader_present: 2, counts: {}, target_groups: {}, notes: null } });
    await putQueued(queued);
    expect((await replayQueue(server.api, USER)).sent).toHaveLength(1);
    expect(server.calls.map((c) => `${c.method} ${c.path} ${c.key} ${c.ifMatch}`)).toEqual([
      `PATCH /api/v1/activity-reports/1 ${queued.key}:update "3"`,
      `POST /api/v1/activity-reports/1/transitions ${queued.key}:submit "4"`,
    ]);
    expect(server.reports.get(1)).toMatchObject({ days_open: 9, status: "submitted", version: 5 });
  });

  it("keeps what the server refuses, with its message, until the user discards it; never retried by itself", async () => {
    const server = fakeServer();
    server.reports.set(1, { id: 1, posyandu_id: 1, period: "2026-11", status: "draft", version: 1 } as unknown as Report);
    const queued = item();
    await putQueued(queued);
    const { refused, sent } = await replayQueue(server.api, USER);
    expect(sent).toEqual([]);
    expect(refused).toHaveLength(1);
    const [kept] = await listQueued(USER);
    expect(kept.problem).toEqual({ status: 409, title: "conflict", detail: "Posyandu ini sudah punya laporan 2026-11 (nomor 1).", type: "/problems/conflict" });

    const before = server.calls.length;
    expect(await replayQueue(server.api, USER)).toEqual({ sent: [], refused: [], waiting: 0 });
    expect(server.calls.length).toBe(before);
    expect(await listQueued(USER)).toHaveLength(1);
    await discardQueued(kept.key);
    expect(await listQueued(USER)).toEqual([]);
  });

  it("waits through a server that is briefly away (503) or still busy with the same key (Retry-After)", async () => {
    const server = fakeServer();
    await putQueued(item());
    server.unavailable = true;
    expect(await replayQueue(server.api, USER)).toEqual({ sent: [], refused: [], waiting: 1 });
    server.unavailable = false;
    server.retryAfterOnce();
    expect((await replayQueue(server.api, USER)).waiting).toBe(1);
    expect((await listQueued(USER))[0].problem).toBeUndefined();
    expect((await replayQueue(server.api, USER)).sent).toHaveLength(1);
    expect(server.reports.size).toBe(1);
  });

  it("a submission that went through before (its answer lost, its key forgotten) counts as done", async () => {
    const server = fakeServer();
    server.reports.set(1, { id: 1, posyandu_id: 1, period: "2026-11", status: "submitted", version: 2 } as unknown as Report);
    await putQueued(item({ report: { id: 1, etag: '"1"' }, body: null }));
    expect((await replayQueue(server.api, USER)).sent).toHaveLength(1);
    expect(await listQueued(USER)).toEqual([]);
  });

  it("sends only the signed-in account's reports", async () => {
    const server = fakeServer();
    await putQueued(item({ user: USER + 1 }));
    expect(await listQueued(USER)).toEqual([]);
    expect(await replayQueue(server.api, USER)).toEqual({ sent: [], refused: [], waiting: 0 });
    expect(server.calls).toEqual([]);
    expect(await listQueued(USER + 1)).toHaveLength(1);
  });

  it("a first attempt that the server refuses is not kept: the form shows the problem", async () => {
    const server = fakeServer();
    server.reports.set(1, { id: 1, posyandu_id: 1, period: "2026-11", status: "draft", version: 1 } as unknown as Report);
    const outcome = await sendItem(server.api, item(), { save: async () => {}, retryServer: false });
    expect(outcome.state).toBe("refused");
    expect(outcome.state === "refused" && outcome.error.status).toBe(409);
    expect(await listQueued(USER)).toEqual([]);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

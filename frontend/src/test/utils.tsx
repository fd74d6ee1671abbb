// Component-test helpers: the real app (providers + routes) over a stubbed fetch that answers
// like the API (JSON bodies, problem details, ETags).
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useEffect } from "react";
import { MemoryRouter, useLocation, type Location } from "react-router";
import { beforeAll, expect, vi } from "vitest";
import { AppRoutes, Providers, makeQueryClient, preloadScreens } from "../App";
import type { Me } from "../api/client";

// The screens are loaded lazily in the app; here every screen's code is loaded before the tests
// (as the eager import of App.tsx did), so that a test's first wait is not spent compiling a screen.
beforeAll(() => preloadScreens(), 120_000);

/** A reply: `body` as JSON, or `raw` bytes as they are (a file, with its own Content-Type). */
export type Reply = { status?: number; body?: unknown; raw?: BodyInit; headers?: Record<string, string> };
export type Handler = (req: Request, url: URL) => Reply | Promise<Reply>;

export const PEKALONGAN_ME: Me = {
  kind: "user",
  id: 1,
  name: "DPMPPA Kota Pekalongan",
  username: "dpmppa.pekalongan",
  role: "regency_coordinator",
  client_scope: null,
  region: { code: "33.75", name: "Kota Pekalongan", level: "regency" },
  can_write: true,
  can_manage_accounts: true,
  // what the API offers a regency/city coordinator in their own region
  allowed_actions: [
    "create_team", "create_decree", "set_deadline", "create_posyandu", "create_batch", "create_meeting", "create_budget",
    "create_work_program", "create_pilot_site", "create_competition", "create_user", "create_api_client", "import_records",
  ],
};

/** What the API offers a village operator in their own village (no deadlines, batches or accounts). */
export const VILLAGE_OPERATOR_ACTIONS: Me["allowed_actions"] = [
  "create_team", "create_decree", "create_posyandu", "create_meeting", "create_budget", "create_work_program", "create_pilot_site",
  "create_competition", "import_records",
];

/** A record as a read-only account receives it: the same data, nothing it may do. */
export function readOnly<T extends { allowed_actions: unknown[] }>(record: T): T {
  return { ...record, allowed_actions: [] };
}

/** A read-only account of the same city: the same data, nothing it may create. */
export const VIEWER_ME: Me = { ...PEKALONGAN_ME, role: "viewer", can_write: false, can_manage_accounts: false, allowed_actions: [] };

export function problem(status: number, slug: string, detail: string, extra: Record<string, unknown> = {}): Reply {
  return {
    status,
    body: { type: `/problems/${slug}`, title: slug, status, detail, ...extra },
    headers: { "Content-Type": "application/problem+json" },
  };
}

export type Call = { method: string; path: string; url: URL; body: unknown; headers: Headers };

/** Stub fetch with handlers keyed "METHOD /path" (no query); unknown routes get 404. */
export function mockApi(handlers: Record<string, Handler>) {
  const calls: Call[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(req.url);
    const text = req.method === "GET" || req.method === "DELETE" ? "" : await req.clone().text();
    const isJson = (req.headers.get("Content-Type") ?? "").includes("json");
    calls.push({ method: req.method, path: url.pathname, url, body: text ? (isJson ? JSON.parse(text) : text) : undefined, headers: req.headers });
    const handler = handlers[`${req.method} ${url.pathname}`];
    const reply: Reply = handler ? await handler(req, url) : problem(404, "not-found", `no mock for ${req.method} ${url.pathname}`);
    const status = reply.status ?? 200;
    if (reply.raw !== undefined) return new Response(reply.raw, { status, headers: reply.headers });
    return new Response(status === 204 ? null : JSON.stringify(reply.body ?? null), {
      status,
      headers: { "Content-Type": "application/json", ...reply.headers },
    });
  });
  vi.stubGlobal("fetch", fetchMock);
  return { fetchMock, calls };
}

/** Reports the router's location after every navigation. */
function LocationProbe({ onChange }: { onChange: (location: Location) => void }) {
  const location = useLocation();
  useEffect(() => {
    onChange(location);
  }, [location, onChange]);
  return null;
}

/**
 * The whole app at `path`. `location()` is where the router is now, `search()` its query (what
 * a reload or a shared link would keep).
 */
export function renderApp(path: string) {
  const client = makeQueryClient();
  client.setDefaultOptions({ queries: { ...client.getDefaultOptions().queries, retry: false } });
  let current: Location | undefined;
  const view = render(
    <Providers client={client}>
      <MemoryRouter initialEntries={[path]}>
        <AppRoutes />
        <LocationProbe onChange={(l) => (current = l)} />
      </MemoryRouter>
    </Providers>,
  );
  const location = () => current!;
  return { ...view, location, search: () => new URLSearchParams(location().search) };
}

export function page<T>(items: T[], total = items.length) {
  return { items, total, limit: 50, offset: 0 };
}

/** Stub the API for the signed-in account `me` (GET /auth/me) and the screen's `handlers`. */
export function mockSignedIn(handlers: Record<string, Handler>, me: Me = PEKALONGAN_ME) {
  return mockApi({ "GET /api/v1/auth/me": () => ({ body: me }), ...handlers });
}

/** The last request with this method (and path). */
export function lastCall(calls: Call[], method: string, path?: string): Call | undefined {
  return calls.filter((c) => c.method === method && (path === undefined || c.path === path)).at(-1);
}

/** Wait until a request with this method and path was sent. */
export async function sent(calls: Call[], method: string, path: string) {
  await waitFor(() => expect(calls.some((c) => c.method === method && c.path === path)).toBe(true));
}

/** Click the button named `name` (within `scope`) and return the dialog it opens. */
export async function openDialog(name: string | RegExp, scope: HTMLElement = document.body): Promise<HTMLElement> {
  await userEvent.click(within(scope).getByRole("button", { name }));
  return screen.findByRole("dialog");
}

/** Click a dialog's button: Save unless named. */
export async function press(dialog: HTMLElement, name = "Simpan") {
  await userEvent.click(within(dialog).getByRole("button", { name }));
}

/** Answer yes to the question a confirm button asks, after checking it is `question`. */
export async function confirmYes(question: string) {
  const ask = await screen.findByRole("dialog");
  expect(ask).toHaveTextContent(question);
  await press(ask, "Ya, lanjutkan");
}

/** The "changed meanwhile" panel a 412 shows in `dialog`, after checking it names each of `texts`. */
export async function staleDiff(dialog: HTMLElement, ...texts: string[]): Promise<HTMLElement> {
  const diff = await within(dialog).findByTestId("stale-diff");
  for (const text of texts) expect(diff).toHaveTextContent(text);
  return diff;
}

/** Wait until no dialog is open. */
export async function dialogClosed() {
  await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
}

/** Choose `option` in the select labelled `label` (within `scope`). */
export async function choose(label: string | RegExp, option: string, scope: HTMLElement = document.body) {
  await userEvent.click(within(scope).getByRole("textbox", { name: label }));
  await userEvent.click(await screen.findByRole("option", { name: option, hidden: true }));
}

/**
 * Enter `text` (dd/mm/yyyy) in the date field `input` in one go, as a paste (typing it key by key
 * re-renders the calendar under the field ten times, which the busy test machines pay for).
 */
export async function enterDate(input: HTMLElement, text: string) {
  await userEvent.clear(input);
  await userEvent.click(input);
  await userEvent.paste(text);
}

// Component-test helpers: the real app (providers + routes) over a stubbed fetch that answers
// like the API (JSON bodies, problem details, ETags).
import { render } from "@testing-library/react";
import { useEffect } from "react";
import { MemoryRouter, useLocation, type Location } from "react-router";
import { vi } from "vitest";
import { AppRoutes, Providers, makeQueryClient } from "../App";
import type { Me } from "../api/client";

export type Reply = { status?: number; body?: unknown; headers?: Record<string, string> };
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
};

export function problem(status: number, slug: string, detail: string, extra: Record<string, unknown> = {}): Reply {
  return {
    status,
    body: { type: `/problems/${slug}`, title: slug, status, detail, ...extra },
    headers: { "Content-Type": "application/problem+json" },
  };
}

/** Stub fetch with handlers keyed "METHOD /path" (no query); unknown routes get 404. */
export function mockApi(handlers: Record<string, Handler>) {
  const calls: { method: string; path: string; url: URL; body: unknown; headers: Headers }[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(req.url);
    const text = req.method === "GET" || req.method === "DELETE" ? "" : await req.clone().text();
    const isJson = (req.headers.get("Content-Type") ?? "").includes("json");
    calls.push({ method: req.method, path: url.pathname, url, body: text ? (isJson ? JSON.parse(text) : text) : undefined, headers: req.headers });
    const handler = handlers[`${req.method} ${url.pathname}`];
    const reply: Reply = handler ? await handler(req, url) : problem(404, "not-found", `no mock for ${req.method} ${url.pathname}`);
    const status = reply.status ?? 200;
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

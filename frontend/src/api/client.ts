// The typed API client: generated types (schema.d.ts, `make client`) + openapi-fetch.
// The browser session is an HttpOnly cookie set by POST /api/v1/auth/session: this code never
// sees or stores a token. Any 401 (except the login attempt itself) calls the handler
// registered by the auth provider, which sends the user back to the login screen.
import createClient, { type Middleware } from "openapi-fetch";
import i18n from "../i18n";
import type { components, operations, paths } from "./schema";

export type Schemas = components["schemas"];
/** The query parameters of an operation, by operationId (`Query<"teams-list">`). */
export type Query<Op extends keyof operations> = NonNullable<operations[Op]["parameters"]["query"]>;
export type Me = Schemas["Me"];
export type Role = Schemas["Role"];
/** What a caller may do to a record (a read model's `allowed_actions`). */
export type Action = Schemas["Action"];
export type RegionRead = Schemas["RegionRead"];
export type RegionDetail = Schemas["RegionDetail"];
export type RegionSummary = Schemas["RegionSummary"];
export type UserRead = Schemas["UserRead"];
export type ApiClientRead = Schemas["ApiClientRead"];
export type AuditEventRead = Schemas["AuditEventRead"];
export type ProblemDetail = Schemas["ProblemDetail"];

export const ROLES: Role[] = [
  "national_admin",
  "province_coordinator",
  "regency_coordinator",
  "district_operator",
  "village_operator",
  "viewer",
  "ministry",
];

let onUnauthorized: () => void = () => {};

/** Registered once by the auth provider. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

const unauthorized: Middleware = {
  onResponse({ request, response }) {
    const isLogin = request.method === "POST" && new URL(request.url).pathname.endsWith("/auth/session");
    if (response.status === 401 && !isLogin) onUnauthorized();
    return response;
  },
};

/** Every request asks for the dashboard's language: problem details (titles, messages, each
 * field's error) and readiness gaps come back in it. */
const language: Middleware = {
  onRequest({ request }) {
    request.headers.set("Accept-Language", i18n.language?.startsWith("en") ? "en" : "id");
    return request;
  },
};

export function makeApi(baseUrl = "", fetchImpl?: typeof fetch) {
  const client = createClient<paths>({
    baseUrl,
    credentials: "same-origin",
    // resolve fetch at call time so that tests can stub globalThis.fetch
    fetch: fetchImpl ?? ((input: Request) => globalThis.fetch(input)),
  });
  client.use(language, unauthorized);
  return client;
}

export const api = makeApi(typeof window !== "undefined" ? window.location.origin : "");

/** An openapi-fetch `bodySerializer` for an upload: the multipart field `file`, the file under its own name. */
export function multipartFile(f: File): () => FormData {
  return () => {
    const fd = new FormData();
    fd.append("file", f, f.name);
    return fd;
  };
}

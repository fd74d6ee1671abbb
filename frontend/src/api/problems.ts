// RFC 9457 problem details as thrown errors, and helpers to show them next to form fields.
import type { ProblemDetail } from "./client";

export type Problem = ProblemDetail & { current?: Record<string, unknown>; current_etag?: string };

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(status: number, problem: Partial<Problem> | undefined) {
    const p: Problem = {
      ...problem,
      type: problem?.type ?? "about:blank",
      title: problem?.title ?? `HTTP ${status}`,
      status: problem?.status ?? status,
      // members the API leaves out when they do not apply
      detail: problem?.detail ?? null,
      instance: problem?.instance ?? null,
      errors: problem?.errors ?? null,
    };
    super(p.detail ?? p.title);
    this.status = status;
    this.problem = p;
  }
}

export type FetchResult<T> = { data?: T; error?: unknown; response: Response };

/** Return the data of an openapi-fetch result, or throw an ApiError with its problem. */
export function unwrap<T>(result: FetchResult<T>): T {
  if (result.response.ok) return result.data as T;
  const err = result.error;
  const problem = err && typeof err === "object" ? (err as Partial<Problem>) : undefined;
  throw new ApiError(result.response.status, problem);
}

/**
 * Field errors of a 422 problem, keyed by field name (the last string of `loc` after "body"
 * or "query"). Errors that do not name a field are returned under "".
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || !error.problem.errors) return {};
  const out: Record<string, string> = {};
  for (const e of error.problem.errors) {
    const loc = e.loc.filter((part) => part !== "body" && part !== "query" && part !== "path");
    const key = loc.length ? String(loc[0]) : "";
    out[key] = out[key] ? `${out[key]}; ${e.msg}` : e.msg;
  }
  return out;
}

/** The fields whose value differs between what the user loaded and the server's current copy. */
export function changedFields(
  loaded: Record<string, unknown>,
  current: Record<string, unknown> | undefined,
  ignore: string[] = ["version", "updated_at", "created_at", "last_login_at", "last_used_at"],
): { field: string; before: unknown; now: unknown }[] {
  if (!current) return [];
  return Object.keys(current)
    .filter((k) => !ignore.includes(k) && JSON.stringify(loaded[k] ?? null) !== JSON.stringify(current[k] ?? null))
    .map((field) => ({ field, before: loaded[field] ?? null, now: current[field] ?? null }));
}

export function etagOf(response: Response): string | undefined {
  return response.headers.get("ETag") ?? undefined;
}

/** The ETag of a record read from a list, for If-Match (the API's ETag is the version in quotes). */
export function etagFor(version: number): string {
  return `"${version}"`;
}

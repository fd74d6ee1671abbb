// What the current account may see and do. Seeing: a region is visible when the account's region
// covers it. Doing: the API lists, on every record it sends (and on the account itself, for its own
// region), the actions it would accept from this caller now (`allowed_actions`); screens show
// exactly those and keep no role or status rules of their own.
import type { Action, Me } from "../api/client";

/** A province, regency/city, district or village code (33, 33.75, 33.75.02, 33.75.02.1008). */
export const REGION_CODE = /^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/;

/** Whether `code` is the user's region or lies under it (a national account covers all). */
export function covers(me: Me, code: string): boolean {
  const root = me.region?.code;
  return !root || code === root || code.startsWith(`${root}.`);
}

/**
 * Whether the API would accept `action` on `record` from the current account: a record's
 * own `allowed_actions`, or the account's (`me`: what it may create in its own region).
 */
export function allows(record: { allowed_actions: readonly Action[] }, action: Action): boolean {
  return record.allowed_actions.includes(action);
}

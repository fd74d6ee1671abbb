// What the current account may write, mirroring the API's scope rules (pembina/scope.py): a
// write needs a writing account whose region covers the record's region. The API still
// decides; these only hide actions the user would be refused.
import type { Me, Role } from "../api/client";

/** A province, regency/city, district or village code (33, 33.75, 33.75.02, 33.75.02.1008). */
export const REGION_CODE = /^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/;

/** Whether `code` is the user's region or lies under it (a national account covers all). */
export function covers(me: Me, code: string): boolean {
  const root = me.region?.code;
  return !root || code === root || code.startsWith(`${root}.`);
}

/** Whether the user may create, change or delete records of region `code`. */
export function canWriteIn(me: Me, code: string): boolean {
  return me.can_write && covers(me, code);
}

/** Roles that may set reporting deadlines: district operators and the coordinators above. */
const DEADLINE_ROLES: Role[] = ["national_admin", "province_coordinator", "regency_coordinator", "district_operator"];

/** Whether the user may set the reporting deadlines of region `code` (API clients: by scope). */
export function canSetDeadlines(me: Me, code: string): boolean {
  return canWriteIn(me, code) && (me.kind !== "user" || (!!me.role && DEADLINE_ROLES.includes(me.role)));
}

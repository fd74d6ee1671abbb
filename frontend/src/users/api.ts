// Accounts: query keys, query options, mutations and the row actions of the users screen.
import { api, type Query, type Schemas, type UserRead } from "../api/client";
import { useSave, writeFresh } from "../api/mutations";
import { unwrap } from "../api/problems";
import { apiQuery, taggedQuery } from "../api/query";
import type { UserFormValues } from "./UserForm";

function orNull(s: string): string | null {
  const v = s.trim();
  return v === "" ? null : v;
}

export const userKeys = {
  all: ["users"] as const,
  list: (query: Query<"users-list">) => ["users", query] as const,
  detail: (id: number) => ["users", "one", id] as const,
};

export const userListQuery = (query: Query<"users-list">) => apiQuery(userKeys.list(query), () => api.GET("/api/v1/users", { params: { query } }));

/** One account with its ETag, for the edit form (never kept once the form is closed). */
export const userQuery = (id: number) => ({ ...taggedQuery(userKeys.detail(id), () => api.GET("/api/v1/users/{user_id}", { params: { path: { user_id: id } } })), gcTime: 0 });

export const useCreateUser = (then: (u: Schemas["UserCreated"]) => void) =>
  useSave(
    async (v: UserFormValues) =>
      unwrap(
        await api.POST("/api/v1/users", {
          body: {
            username: v.username.trim(),
            full_name: v.full_name,
            email: orNull(v.email),
            phone: orNull(v.phone),
            role: v.role,
            region_code: orNull(v.region_code),
            password: v.password === "" ? null : v.password,
          },
        }),
      ),
    ["users"],
    then,
    { message: null },
  );

/** Change what the form changed (and only that), with the ETag the form was loaded with. */
export const useUpdateUser = (id: number, current: { data: UserRead; etag: string } | undefined, then: () => void) =>
  useSave(
    async (v: UserFormValues) => {
      if (!current) throw new Error("not loaded");
      const u = current.data;
      const body: Record<string, unknown> = {};
      if (v.full_name !== u.full_name) body.full_name = v.full_name;
      if ((orNull(v.email) ?? null) !== (u.email ?? null)) body.email = orNull(v.email);
      if ((orNull(v.phone) ?? null) !== (u.phone ?? null)) body.phone = orNull(v.phone);
      if (v.role !== u.role) body.role = v.role;
      if ((orNull(v.region_code) ?? null) !== (u.region_code ?? null)) body.region_code = orNull(v.region_code);
      if (v.is_active !== u.is_active) body.is_active = v.is_active;
      if (v.password !== "") body.password = v.password;
      return unwrap(await api.PATCH("/api/v1/users/{user_id}", { params: { path: { user_id: id }, header: { "If-Match": current.etag } }, body }));
    },
    ["users"],
    then,
  );

/** Activate or deactivate an account from the list (its current version is fetched first). */
export async function setUserActive(u: UserRead, isActive: boolean): Promise<void> {
  const path = { user_id: u.id };
  await writeFresh(
    () => api.GET("/api/v1/users/{user_id}", { params: { path } }),
    (etag) => api.PATCH("/api/v1/users/{user_id}", { params: { path, header: { "If-Match": etag } }, body: { is_active: isActive } }),
  );
}

export async function deleteUser(u: UserRead): Promise<void> {
  unwrap(await api.DELETE("/api/v1/users/{user_id}", { params: { path: { user_id: u.id } } }));
}

// Every write of the dashboard has the same shape: send it, say it is saved, refetch the queries
// under the roots it touches (whichever screen asked for them), then go on (close the form, open
// the new record). The screens' api.ts build their mutation hooks with useSave.
import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ParseKeys } from "i18next";
import { useTranslation } from "react-i18next";
import type { QueryRoot } from "./keys";
import { unwrap, type FetchResult } from "./problems";
import { unwrapTagged } from "./query";

/** What a write says when it is done: a message key, a message built from the answer, or nothing. */
export type SavedMessage<T> = ParseKeys | ((saved: T) => string) | null;

/**
 * A mutation's onSuccess: say it is saved, refetch the queries under each of `roots` (the first
 * element of their query keys), then `then`.
 */
export function useOnSaved<T>(roots: QueryRoot[], then: (saved: T) => void = () => {}, message: SavedMessage<T> = "common.saved") {
  const { t } = useTranslation();
  const qc = useQueryClient();
  return async (saved: T) => {
    if (message) notifications.show({ color: "teal", message: typeof message === "function" ? message(saved) : t(message) });
    for (const root of roots) await qc.invalidateQueries({ queryKey: [root] });
    then(saved);
  };
}

/** Refetch every query under `roots` (after a write elsewhere, or "load the latest" after a 412). */
export function useRefetch(...roots: QueryRoot[]) {
  const qc = useQueryClient();
  return async () => {
    for (const root of roots) await qc.invalidateQueries({ queryKey: [root] });
  };
}

/**
 * A write: `send` it, then (useOnSaved) say so, refetch `roots` and `then`. `onError` sees a
 * refused write (e.g. refetch what a 412 says changed).
 */
export function useSave<TVars = void, TData = unknown>(
  send: (vars: TVars) => Promise<TData>,
  roots: QueryRoot[],
  then?: (saved: TData) => void,
  { message = "common.saved", onError }: { message?: SavedMessage<TData>; onError?: (error: Error) => unknown } = {},
) {
  return useMutation({ mutationFn: send, onSuccess: useOnSaved(roots, then, message), onError });
}

/**
 * A write on a record shown in a list (which holds no ETag): `read` its current version first,
 * then `write` with that ETag as If-Match.
 */
export async function writeFresh<T>(read: () => Promise<FetchResult<unknown>>, write: (etag: string) => Promise<FetchResult<T>>): Promise<T> {
  const { etag } = unwrapTagged(await read());
  return unwrap(await write(etag));
}

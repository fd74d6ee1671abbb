// One URL-backed state for every list's filters, sort and page: a list can be bookmarked, shared
// and reloaded, and Back returns to the same page. Changing a filter goes back to the first page.
import { useDebouncedValue } from "@mantine/hooks";
import { useSearchParams } from "react-router";
import { REGION_CODE } from "./scope";

/** Where a list page is, as its query sends it: by cursor or by offset. */
export type Position = { offset?: number; cursor?: string };

export type ListParams = {
  /** The filter's value in the URL (its default when absent, else ""). */
  get: (key: string) => string;
  /** Set (or, with null or "", clear) a filter; any filter but the page resets the page. */
  set: (key: string, value: string | null) => void;
  /** The first row shown (by offset; 0 on a page asked for by cursor). */
  offset: number;
  setOffset: (offset: number) => void;
  /** The page's cursor (lists the API pages by cursor: next/previous), or undefined. */
  cursor: string | undefined;
  /** Where the page is, as the list query sends it: `{cursor}` or `{offset}`. */
  position: Position;
  /** The pager of a list of `limit` rows a page (QueryTable's `page`). */
  page: (limit: number) => {
    limit: number;
    offset: number;
    onOffset: (offset: number) => void;
    onCursor: (cursor: string | null, page: number) => void;
  };
  /** Clear every filter and go back to the first page. */
  reset: () => void;
};

/**
 * The list's state in the URL. A filter with a default (the user's own region) is absent from
 * the URL while it has that value; cleared, it stays in the URL as empty (`region=`), so that a
 * reload keeps it cleared.
 */
export function useListParams(defaults: Record<string, string> = {}): ListParams {
  const [params, setParams] = useSearchParams();
  const set = (key: string, value: string | null) =>
    setParams(
      (old) => {
        const next = new URLSearchParams(old);
        const v = value ?? "";
        if (v === (defaults[key] ?? "")) next.delete(key);
        else next.set(key, v);
        if (key !== "offset") next.delete("offset");
        // a cursor holds the sort and the position: any other change starts again from the first page
        next.delete("cursor");
        next.delete("page");
        return next;
      },
      { replace: true },
    );
  const offset = Number(params.get("offset")) || 0;
  const setOffset = (o: number) => set("offset", o ? String(o) : null);
  const cursor = params.get("cursor") || undefined;
  const pageNo = Math.max(1, Number(params.get("page")) || 1);
  const setCursor = (c: string | null, page: number) =>
    setParams(
      (old) => {
        const next = new URLSearchParams(old);
        next.delete("offset");
        if (c && page > 1) {
          next.set("cursor", c);
          next.set("page", String(page));
        } else {
          next.delete("cursor");
          next.delete("page");
        }
        return next;
      },
      { replace: true },
    );
  return {
    get: (key) => params.get(key) ?? defaults[key] ?? "",
    set,
    offset: cursor ? 0 : offset,
    setOffset,
    cursor,
    position: cursor ? { cursor } : { offset },
    page: (limit) => ({ limit, offset: cursor ? (pageNo - 1) * limit : offset, onOffset: setOffset, onCursor: setCursor }),
    reset: () => setParams(new URLSearchParams(), { replace: true }),
  };
}

/** A text filter as the query uses it: trimmed, once the user stops typing. */
export function useDebouncedParam(params: ListParams, key: string, ms = 300): string {
  const [value] = useDebouncedValue(params.get(key).trim(), ms);
  return value;
}

/** Whether a region filter may be sent: empty (no filter) or a well-formed region code. */
export function regionFilterOk(code: string): boolean {
  return code === "" || REGION_CODE.test(code);
}

// One URL-backed state for every list's filters, sort and page: a list can be bookmarked, shared
// and reloaded, and Back returns to the same page. Changing a filter goes back to the first page.
import { useDebouncedValue } from "@mantine/hooks";
import { useSearchParams } from "react-router";
import { REGION_CODE } from "./scope";

export type ListParams = {
  /** The filter's value in the URL (its default when absent, else ""). */
  get: (key: string) => string;
  /** Set (or, with null or "", clear) a filter; any filter but the page resets the page. */
  set: (key: string, value: string | null) => void;
  /** The first row shown. */
  offset: number;
  setOffset: (offset: number) => void;
  /** The pager of a list of `limit` rows a page (QueryTable's `page`). */
  page: (limit: number) => { limit: number; offset: number; onOffset: (offset: number) => void };
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
        return next;
      },
      { replace: true },
    );
  const offset = Number(params.get("offset")) || 0;
  const setOffset = (o: number) => set("offset", o ? String(o) : null);
  return {
    get: (key) => params.get(key) ?? defaults[key] ?? "",
    set,
    offset,
    setOffset,
    page: (limit) => ({ limit, offset, onOffset: setOffset }),
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

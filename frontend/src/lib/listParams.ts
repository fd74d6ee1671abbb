// One URL-backed state for every list's filters, sort and page: a list can be bookmarked, shared
// and reloaded, and Back returns to the same page. Changing a filter goes back to the first page.
import { useSearchParams } from "react-router";

export type ListParams = {
  /** The filter's value in the URL ("" when absent). */
  get: (key: string) => string;
  /** Set (or, with null or "", remove) a filter; any filter but the page resets the page. */
  set: (key: string, value: string | null) => void;
  /** The first row shown. */
  offset: number;
  setOffset: (offset: number) => void;
  /** Clear every filter and go back to the first page. */
  reset: () => void;
};

export function useListParams(): ListParams {
  const [params, setParams] = useSearchParams();
  const set = (key: string, value: string | null) =>
    setParams(
      (old) => {
        const next = new URLSearchParams(old);
        if (value) next.set(key, value);
        else next.delete(key);
        if (key !== "offset") next.delete("offset");
        return next;
      },
      { replace: true },
    );
  return {
    get: (key) => params.get(key) ?? "",
    set,
    offset: Number(params.get("offset")) || 0,
    setOffset: (offset) => set("offset", offset ? String(offset) : null),
    reset: () => setParams(new URLSearchParams(), { replace: true }),
  };
}

// Query options for one API read: the key, and the request whose data (or problem) it gives.
// The screens' api.ts describe each read in one line with these.
import { keepPreviousData, queryOptions, useQuery, type QueryKey, type UseQueryOptions } from "@tanstack/react-query";
import { etagOf, unwrap, type FetchResult } from "./problems";

/** The options of a query that reads `request`'s data (an ApiError for a problem). */
export function apiQuery<T, K extends QueryKey>(queryKey: K, request: () => Promise<FetchResult<T>>) {
  return queryOptions({ queryKey, queryFn: async () => unwrap(await request()) });
}

/** The same with the record's ETag, for the If-Match of the next write. */
export function taggedQuery<T, K extends QueryKey>(queryKey: K, request: () => Promise<FetchResult<T>>) {
  return queryOptions({ queryKey, queryFn: async () => unwrapTagged(await request()) });
}

/** A read's data and its ETag (empty when the API sent none). */
export function unwrapTagged<T>(result: FetchResult<T>): { data: T; etag: string } {
  return { data: unwrap(result), etag: etagOf(result.response) ?? "" };
}

/** A list's page: the previous page stays on screen (marked busy) while the next one loads. */
export function useListQuery<T, K extends QueryKey>(options: UseQueryOptions<T, Error, T, K>) {
  return useQuery({ ...options, placeholderData: keepPreviousData });
}

// The current user comes from GET /auth/me (the cookie travels by itself). A 401 anywhere
// clears it, which sends the user to the login screen.
import { type QueryClient, useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { api, setUnauthorizedHandler, type Me } from "../api/client";
import { ApiError, unwrap } from "../api/problems";

export const ME_KEY = ["auth", "me"] as const;

/** Forget every cached answer except "who am I" (whose observer must stay attached). */
function dropData(qc: QueryClient): void {
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
}

type AuthState = {
  me: Me | null | undefined; // undefined while loading
  expired: boolean;
  login: (username: string, password: string) => Promise<Me>;
  logout: () => Promise<void>;
};

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const [expired, setExpired] = useState(false);
  const meQuery = useQuery({
    queryKey: ME_KEY,
    queryFn: async () => {
      try {
        return unwrap(await api.GET("/api/v1/auth/me"));
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 5 * 60_000,
    retry: false,
    // asked even offline: the service worker may answer from its last copy (an offline reload)
    networkMode: "offlineFirst",
  });

  useEffect(() => {
    setUnauthorizedHandler(() => {
      const wasLoggedIn = !!qc.getQueryData(ME_KEY);
      if (wasLoggedIn) setExpired(true);
      qc.setQueryData(ME_KEY, null);
    });
    return () => setUnauthorizedHandler(() => {});
  }, [qc]);

  const login = useCallback(
    async (username: string, password: string) => {
      const me = unwrap(await api.POST("/api/v1/auth/session", { body: { username, password } }));
      if (typeof caches !== "undefined") await caches.delete("pembina-api").catch(() => false);
      dropData(qc);
      qc.setQueryData(ME_KEY, me);
      setExpired(false);
      return me;
    },
    [qc],
  );

  const logout = useCallback(async () => {
    await api.DELETE("/api/v1/auth/session");
    // the service worker's copies of API reads (src/sw.ts) are the account's: gone with it
    if (typeof caches !== "undefined") await caches.delete("pembina-api").catch(() => false);
    dropData(qc);
    qc.setQueryData(ME_KEY, null);
    setExpired(false);
  }, [qc]);

  const value = useMemo<AuthState>(
    () => ({ me: meQuery.isPending ? undefined : (meQuery.data ?? null), expired, login, logout }),
    [meQuery.isPending, meQuery.data, expired, login, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error("useAuth outside AuthProvider");
  return ctx;
}

/** The logged-in user (only inside protected routes). */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error("useMe without a logged-in user");
  return me;
}

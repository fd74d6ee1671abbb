// The dashboard's service worker (built by vite-plugin-pwa's injectManifest into dist/sw.js;
// registered by main.tsx in production builds only). After one visit online the dashboard opens
// with no connection: every built file (the shell and each screen's chunk, the report form's
// included) is precached, a page is asked of the network first and falls back to the precached
// index.html, and the few reads the report form needs are answered from the last copy when the
// network is away. Writes never pass through a cache: the report outbox (offline/queue.ts) keeps them.
import { clientsClaim } from "workbox-core";
import { ExpirationPlugin } from "workbox-expiration";
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute, type PrecacheEntry } from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";
import { NetworkFirst } from "workbox-strategies";

type WorkerScope = {
  __WB_MANIFEST: (string | PrecacheEntry)[];
  skipWaiting(): Promise<void>;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
};
declare const self: WorkerScope;

/** The runtime cache of API reads (the page deletes it at logout: auth/auth.tsx). */
const API_CACHE = "pembina-api";

// a new release takes over at once: index.html and the assets it names are precached together
void self.skipWaiting();
clientsClaim();

// every client-side route is index.html: from the network (no-cache, so a release is seen at once),
// else the copy precached with this release's assets. Registered before the precache's own route,
// which would answer "/" and "/index.html" from the cache first.
registerRoute(
  new NavigationRoute(
    async ({ request }) => {
      try {
        return await fetch(request);
      } catch {
        return (await matchPrecache("index.html")) ?? Response.error();
      }
    },
    { denylist: [/^\/api\//, /^\/docs/, /^\/redoc/, /^\/openapi/, /^\/static-offline-docs/, /^\/problems\//] },
  ),
);

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// what the report form reads: who is signed in, the questions, a posyandu and a report
const OFFLINE_READS = [/^\/api\/v1\/auth\/me$/, /^\/api\/v1\/activity-reports\/fields$/, /^\/api\/v1\/posyandu\/\d+$/, /^\/api\/v1\/activity-reports\/\d+$/];

registerRoute(
  ({ url, request, sameOrigin }) => sameOrigin && request.method === "GET" && OFFLINE_READS.some((re) => re.test(url.pathname)),
  new NetworkFirst({
    cacheName: API_CACHE,
    networkTimeoutSeconds: 8,
    plugins: [
      // only a successful answer is kept (never a 401 or a problem), for a week at most
      { cacheWillUpdate: async ({ response }) => (response.status === 200 ? response : null) },
      new ExpirationPlugin({ maxEntries: 200, maxAgeSeconds: 7 * 24 * 3600 }),
    ],
  }),
);

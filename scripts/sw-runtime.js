/* global VERSION, FILES, self, caches, fetch, Request, Response, URL */
/**
 * The service worker (scripts/offline.ts prepends VERSION and FILES). Installing it stores
 * every file of this build in a cache named for this scope and version; activating it
 * deletes this scope's older caches. The page is fetched from the network first, so a new
 * build shows when online, and from the cache when the network fails; everything else
 * comes from the cache (it never changes under a hashed name), else from the network.
 * URLs are relative to this file: the site works from any sub-path.
 */
const SCOPE = self.registration.scope;
const PREFIX = `smtp-lab ${SCOPE} `;
const CACHE = PREFIX + VERSION;
const PAGE = new URL('./', self.location.href).href;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) =>
        cache.addAll(
          FILES.map((f) => new Request(new URL(f, self.location.href), { cache: 'reload' })),
        ),
      )
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || !request.url.startsWith(SCOPE)) return;
  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request).catch(() =>
        caches
          .open(CACHE)
          .then((cache) => cache.match(PAGE))
          .then((page) => page ?? Response.error()),
      ),
    );
    return;
  }
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(request))
      .then((hit) => hit ?? fetch(request)),
  );
});

/* Offline copy of one edition of the Baclofen Clinical Book (a service worker).

   bookext/features/offline.py writes this file as sw.js at the root of each edition's
   tree, after two constants: VERSION (the edition and a hash of the files, so every
   build that changes a file is a new version) and FILES (the edition's pages and the
   files they load, relative to sw.js; no PDFs). The worker's scope is its own tree, so
   each edition of `make editions` (latest/, v0.3/, ...) keeps its own cache.

   install:  cache every file of FILES, in the background of the first visit.
   activate: delete this tree's caches of older versions (a new edition replaces the old).
   fetch:    answer from the cache first (the book works with no network); otherwise go
             to the network; PDFs are cached the first time a reader opens them. */
"use strict";

const TREE = new URL("./", self.location).pathname;       // e.g. "/latest/"
const PREFIX = `baclofen-book:${TREE}:`;                   // one family of caches per tree
const CACHE = PREFIX + VERSION;

self.addEventListener("install", (event) => {
  // cache: "reload" skips the HTTP cache, so a new version never stores stale files.
  event.waitUntil(caches.open(CACHE)
    .then((cache) => cache.addAll(FILES.map((file) => new Request(file, { cache: "reload" }))))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys
      .filter((key) => key.startsWith(PREFIX) && key !== CACHE)
      .map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  event.respondWith(respond(event.request, url));
});

async function respond(request, url) {
  const cache = await caches.open(CACHE);
  // Pages are stored without their query: search.html?q=pump is search.html.
  const page = request.mode === "navigate";
  const key = url.pathname.endsWith("/") ? new URL("index.html", url).href : request;
  const hit = await cache.match(key, { ignoreSearch: page });
  if (hit) return hit;
  try {
    const response = await fetch(request);
    if (response.ok && url.pathname.endsWith(".pdf")) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    // Offline and not in the cache: a plain answer instead of the browser's error page.
    return new Response("Offline: this file is not in the book's offline copy.",
      { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
}

/* Registers the book's service worker (sw.js at the root of this edition's tree; see
   bookext/features/offline.py), after the page has loaded, so a first visit is not
   slowed: the worker then copies the edition for offline reading in the background.
   Nothing is loaded from another host. Not over file:// (browsers refuse it there). */
"use strict";
if ("serviceWorker" in navigator && location.protocol.startsWith("http")) {
  window.addEventListener("load", () => {
    const root = new URL(document.documentElement.dataset.content_root || "./", location.href);
    navigator.serviceWorker.register(new URL("sw.js", root)).catch(() => {});
  });
}

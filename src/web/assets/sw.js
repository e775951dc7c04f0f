// SluiS service worker: makes the app installable and shows an offline page when there is no
// network. It caches ONLY static assets (CSS, script, icons) and the offline page, never a page
// or response with personal data: every other request goes to the network, uncached.
// The server names the cache after a fingerprint of the static assets (src/web/assets.ts), so
// a new CSS or script comes with a new worker and a new cache.
const CACHE = 'sluis-static-v1';
const STATIC = ['/assets/utrecht-tokens.css', '/assets/utrecht-components.css', '/assets/sluis.css', '/assets/sluis.js', '/assets/icon.svg', '/offline'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(STATIC)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key)))).then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (STATIC.includes(url.pathname) && url.pathname !== '/offline') {
    event.respondWith(caches.match(request).then((cached) => cached || fetch(request)));
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith(fetch(request).catch(() => caches.match('/offline')));
  }
});

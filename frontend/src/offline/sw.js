/* The service worker (built to /sw.js by vite.config.ts, which fills in VERSION and SHELL).
 *
 * - The app shell (index.html, its scripts and styles, the registrant pages' chunks) is kept at
 *   install; other same-origin static files are kept as they are first used. Navigations get the
 *   kept shell at once (a warm page does not wait a round trip), refreshed from the network in
 *   the background; a new build is a new service worker, which replaces the shell.
 * - The person's data (GET /api/... of the registrant routes) is kept only while they are logged
 *   in: copies are deleted on logout, when the server says the session is over (401, or a
 *   session that is not authenticated), and are never served older than MAX_AGE_MS (then at
 *   most OFFLINE_MAX_AGE_MS when offline). A read marked `X-SSP-Cache: prefer` (the page marks
 *   its first reads so when the browser says the connection is slow, api/page_reads.ts) goes
 *   to the network, but when the network has not answered within SLOW_MS the copy answers
 *   (marked `X-SSP-Cached: 1`; the page then reads again for the current data): on a fast
 *   network a person always sees the current data, on a slow one a page they visited before
 *   shows at once. Other reads get the copy only when the network fails (offline). The page
 *   drops the copies after each change it makes (offline/index.ts), so it never shows its own
 *   change undone.
 * - The ways to log in (GET /api/auth/providers, the same for everyone) are kept the same way,
 *   whoever is logged in, so that the login page too shows at once on a slow network.
 * - Staff requests (a bearer token), login and logout, downloads and every change (POST, PATCH,
 *   DELETE) are never kept.
 */
const VERSION = '__VERSION__';
const SHELL = __SHELL__;
const STATIC_CACHE = `ssp-static-${VERSION}`;
const DATA_CACHE = 'ssp-data';
const MAX_AGE_MS = 30 * 60 * 1000; // a registrant session's idle timeout (SSP_SESSION_IDLE_SECONDS)
const OFFLINE_MAX_AGE_MS = 12 * 60 * 60 * 1000; // its longest life (SSP_SESSION_MAX_SECONDS)
const STORED_AT = 'X-SSP-Stored-At';
const SLOW_MS = 800; // slower than this, a copy from the last visit is shown first
// Not personal, kept whoever is logged in (or nobody): the ways to log in, which the login page shows.
const PUBLIC = /^\/api\/auth\/providers$/;
const PUBLIC_CACHE = 'ssp-public';
const KEPT = /^\/api\/(session|programs(\/[^/]+)?|applications(\/[^/]+(\/screen)?)?|enrolments|me(\/(submissions|activity|consents|messages|change-requests|contacts))?|forms\/[^/]+\/versions\/\d+|documents)$/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(STATIC_CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith('ssp-static-') && name !== STATIC_CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'logout') event.waitUntil(forgetPerson());
});

function forgetPerson() {
  return caches.delete(DATA_CACHE);
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) {
    if (request.method === 'POST' && url.pathname === '/api/auth/logout') {
      event.respondWith(forgetPerson().then(() => fetch(request)));
      return;
    }
    if (request.method !== 'GET' || request.headers.has('Authorization')) return;
    if (PUBLIC.test(url.pathname)) event.respondWith(dataRead(request, PUBLIC_CACHE, (response) => response.ok));
    else if (KEPT.test(url.pathname)) event.respondWith(personData(request, url));
    return;
  }
  if (request.method !== 'GET') return;
  if (request.mode === 'navigate') {
    if (url.pathname === '/sw.js') return;
    event.respondWith(shell(request));
    return;
  }
  event.respondWith(staticFile(request));
});

/** The page of a navigation: the staff console's (staff.html) or the registrant app's (index.html). */
async function shell(request) {
  const { pathname } = new URL(request.url);
  const page = pathname === '/staff' || pathname.startsWith('/staff/') ? '/staff.html' : '/index.html';
  const cache = await caches.open(STATIC_CACHE);
  const copy = await cache.match(page);
  const fresh = fetch(page, { cache: 'no-cache' }).then(
    (response) => {
      if (response.ok) void cache.put(page, response.clone());
      return response;
    },
    () => undefined,
  );
  if (copy) return copy;
  return (await fresh) || fetch(request);
}

async function staticFile(request) {
  const cache = await caches.open(STATIC_CACHE);
  const copy = await cache.match(request, { ignoreSearch: true });
  if (copy) return copy;
  const response = await fetch(request);
  if (response.ok && new URL(request.url).pathname !== '/sw.js') void cache.put(request, response.clone());
  return response;
}

function age(response) {
  const at = Number(response.headers.get(STORED_AT));
  return Number.isFinite(at) && at > 0 ? Date.now() - at : Infinity;
}

function marked(response) {
  const headers = new Headers(response.headers);
  headers.set('X-SSP-Cached', '1');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function keep(cache, request, response) {
  const headers = new Headers(response.headers);
  headers.set(STORED_AT, String(Date.now()));
  const body = await response.clone().arrayBuffer();
  await cache.put(request, new Response(body, { status: response.status, statusText: response.statusText, headers }));
}

/** A read of the person's data: kept while they are logged in (see above). */
function personData(request, url) {
  const session = url.pathname === '/api/session';
  return dataRead(request, DATA_CACHE, async (response) => {
    if (response.status === 401) return forgetPerson().then(() => false);
    if (!response.ok) return false;
    const state = session ? await response.clone().json().catch(() => ({})) : { authenticated: true };
    if (!state.authenticated) await forgetPerson();
    return Boolean(state.authenticated);
  });
}

/** A read answered by the network, or by the copy in ``cacheName`` (see above); the network's
 * answer is kept when ``keepIt`` says so. */
async function dataRead(request, cacheName, keepIt) {
  const cache = await caches.open(cacheName);
  const asked = request.headers.get('X-SSP-Cache');
  const copy = await cache.match(request);
  const network = fetch(request).then(async (response) => {
    if (await keepIt(response)) await keep(await caches.open(cacheName), request, response);
    return response;
  });
  const quickCopy = copy && asked === 'prefer' && age(copy) < MAX_AGE_MS;
  if (quickCopy) {
    const slow = new Promise((resolve) => setTimeout(() => resolve(undefined), SLOW_MS));
    const first = await Promise.race([network.catch(() => undefined), slow]);
    if (first) return first;
    network.catch(() => undefined); // still fills the copy for next time
    return marked(copy);
  }
  try {
    return await network;
  } catch (error) {
    if (copy && age(copy) < OFFLINE_MAX_AGE_MS) return marked(copy);
    throw error;
  }
}

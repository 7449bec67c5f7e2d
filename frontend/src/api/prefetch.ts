/**
 * A page's data asked for as soon as its path is known (at start, and on each navigation),
 * in parallel with the page's code rather than after it: on a slow network that is one round
 * trip instead of two. The page then takes the answer already on its way (`takePrefetched`).
 *
 * Every read here also lets the service worker answer at once with its copy from an earlier
 * visit (`preferCached`); the page is then told (`cached`) and reads again for the current data.
 */
import { match } from '../router';
import { api, type ApiError } from './client';

export interface Read<T> {
  data: T;
  /** the service worker's copy from an earlier visit: read again for the current data */
  cached: boolean;
}

type Query = Record<string, string | number | undefined>;

/** What the pages read for a path: [API path, query]. Keep in step with the pages' own reads. */
export function readsFor(path: string): [string, Query?][] {
  if (path === '/login') return [['/auth/providers']];
  if (path === '/programs') return [['/programs']];
  if (path === '/applications') return [['/applications']];
  if (path === '/enrolments') return [['/enrolments']];
  if (path === '/me' || path === '/me/edit') return [['/me']];
  if (path === '/me/activity') return [['/me/activity']];
  if (path === '/me/consents') return [['/me/consents']];
  if (path === '/messages') return [['/me/messages', { limit: '50' }]];
  let params = match('/programs/:id', path);
  if (params) return [[`/programs/${encodeURIComponent(params.id)}`], ['/applications']];
  params = match('/applications/:id', path);
  if (params) return [[`/applications/${encodeURIComponent(params.id)}/screen`]];
  const application = /^\/applications\/([^/]+)\/(pages|documents|check|confirmation)(\/|$)/.exec(path);
  if (application) return [[`/applications/${application[1]}/screen`]];
  return [];
}

const FRESH_MS = 10_000;
const started = new Map<string, { at: number; read: Promise<Read<unknown>> }>();

function keyOf(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined && value !== '') params.set(name, String(value));
  return `${path}?${params}`;
}

/** Read, letting the service worker answer with its copy first (see above). */
export function read<T>(path: string, options: { query?: Query; staff?: boolean; signal?: AbortSignal } = {}): Promise<Read<T>> {
  let cached = false;
  return api<T>('GET', path, { ...options, preferCached: true, onCached: () => (cached = true) }).then((data) => ({ data, cached }));
}

/** Read the current data (the network's; the service worker's copy only when offline). */
export function readCurrent<T>(path: string, options: { query?: Query; staff?: boolean; signal?: AbortSignal } = {}): Promise<T> {
  return api<T>('GET', path, options);
}

/** Start reading what the page at ``path`` shows (unless already on its way). */
export function prefetch(path: string): void {
  const now = Date.now();
  for (const [apiPath, query] of readsFor(path)) {
    const key = keyOf(apiPath, query);
    const earlier = started.get(key);
    if (earlier && now - earlier.at < FRESH_MS) continue;
    const reading = read<unknown>(apiPath, { query });
    reading.catch((_error: ApiError) => undefined); // the page that takes it sees the error
    started.set(key, { at: now, read: reading });
  }
}

/** The read already on its way for this API path, if recent; taken once. */
export function takePrefetched<T>(path: string, query?: Query): Promise<Read<T>> | undefined {
  const key = keyOf(path, query);
  const earlier = started.get(key);
  started.delete(key);
  if (!earlier || Date.now() - earlier.at > FRESH_MS) return undefined;
  return earlier.read as Promise<Read<T>>;
}

/** Forget reads on their way (after a change, they may say what no longer holds). */
export function forgetPrefetched(): void {
  started.clear();
}

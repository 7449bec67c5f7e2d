/**
 * A page's data asked for as soon as its path is known (at start, and on each navigation),
 * in parallel with the page's code rather than after it: on a slow network that is one round
 * trip instead of two. The page then takes the answer already on its way (`takePrefetched`).
 *
 * Every read here also lets the service worker answer at once with its copy from an earlier
 * visit (`preferCached`); the page is then told (`cached`) and reads again for the current data.
 */
import { locale } from '../i18n';
import { api, type ApiError } from './client';
import { readsFor, urlOf, type Query } from './page_reads';

export { readsFor } from './page_reads';

export interface Read<T> {
  data: T;
  /** the service worker's copy from an earlier visit: read again for the current data */
  cached: boolean;
}

const FRESH_MS = 10_000;
// A read is shared only while it is on its way: once answered, the next navigation to the page
// reads again, so a page never shows data from before a change made meanwhile (by the person's
// other tab, or a reviewer's decision).
const started = new Map<string, { at: number; read: Promise<Read<unknown>>; answered: boolean }>();

const keyOf = urlOf;

/** Read, letting the service worker answer with its copy first (see above). */
export function read<T>(path: string, options: { query?: Query; staff?: boolean; signal?: AbortSignal } = {}): Promise<Read<T>> {
  let cached = false;
  return api<T>('GET', path, { ...options, preferCached: true, onCached: () => (cached = true) }).then((data) => ({ data, cached }));
}

/** Read the current data (the network's; the service worker's copy only when offline). */
export function readCurrent<T>(path: string, options: { query?: Query; staff?: boolean; signal?: AbortSignal } = {}): Promise<T> {
  return api<T>('GET', path, options);
}

/** Start reading what the page at ``path`` shows (unless already on its way), in ``language``;
 * settled once they have all answered. */
export function prefetch(path: string, language: string = locale()): Promise<unknown> {
  const now = Date.now();
  const reads: Promise<unknown>[] = [];
  for (const [apiPath, query] of readsFor(path, language)) {
    const key = keyOf(apiPath, query);
    const earlier = started.get(key);
    if (earlier && !earlier.answered && now - earlier.at < FRESH_MS) {
      reads.push(earlier.read);
      continue;
    }
    const reading = read<unknown>(apiPath, { query });
    reading.catch((_error: ApiError) => undefined); // the page that takes it sees the error
    const entry = { at: now, read: reading, answered: false };
    reading.finally(() => (entry.answered = true)).catch(() => undefined);
    started.set(key, entry);
    reads.push(reading);
  }
  return Promise.allSettled(reads);
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

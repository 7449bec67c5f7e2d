/**
 * A page's data asked for as soon as its path is known (at start, and on each navigation),
 * in parallel with the page's code rather than after it: on a slow network that is one round
 * trip instead of two. The page then takes the answer already on its way (`takePrefetched`).
 *
 * Every read here also lets the service worker answer at once with its copy from an earlier
 * visit (`preferCached`); the page is then told (`cached`) and reads again for the current data.
 */
import { api, apiAnswer, type ApiError } from './client';
import { readsFor, urlOf, type EarlyReads, type Query } from './page_reads';

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

// Only the app's first prefetch (the page it was loaded on) may take the early script's reads: a
// read left untaken was made before anything the person did since, and a later navigation to the
// same data must not be handed it (the receipt showed no reference, a decision was not seen).
// The early script is an async module: when the app's code was at hand first (the service worker
// keeps it), the app's first prefetch runs before it; the app then closes the early reads, and the
// early script, seeing them closed, reads nothing.
let earlyTaken = false;

type EarlyWindow = { __sspEarly?: EarlyReads };

/** Reads index.html's early script started before the app's code had arrived (first page only). */
function early(key: string): Promise<Response> | undefined {
  if (earlyTaken) return undefined;
  const reads = (window as unknown as EarlyWindow).__sspEarly;
  const started = reads?.started[key];
  if (!started || Date.now() - reads!.at > FRESH_MS) return undefined;
  delete reads!.started[key];
  return started;
}

/** After the first page's reads: whatever the early script made, or will make, is never taken. */
function closeEarly(): void {
  earlyTaken = true;
  (window as unknown as EarlyWindow).__sspEarly = { at: 0, started: {}, closed: true };
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
    if (earlier && !earlier.answered && now - earlier.at < FRESH_MS) continue;
    const already = early(key);
    let cached = false;
    const reading = already
      ? apiAnswer<unknown>('GET', apiPath, already, { query, onCached: () => (cached = true) }).then((data) => ({ data, cached }))
      : read<unknown>(apiPath, { query });
    reading.catch((_error: ApiError) => undefined); // the page that takes it sees the error
    const entry = { at: now, read: reading, answered: false };
    reading.finally(() => (entry.answered = true)).catch(() => undefined);
    started.set(key, entry);
  }
  if (!earlyTaken) closeEarly();
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

/**
 * The one way the browser talks to the API: same origin, the session cookie (HttpOnly, never
 * read here), the CSRF token from GET /api/session on state-changing calls, and the error shape
 * {"error": {"code", "message", "fields"}} turned into an ApiError.
 *
 * A 503 (a service behind the API is busy: nothing was changed) is tried again after its
 * Retry-After, a few times, with the very same request: the same Idempotency-Key and If-Match, so
 * a save or a submit is never made twice. Meanwhile listeners of onBusy are told, and the page
 * says that the person's answers are kept.
 */
import { slowConnection } from './page_reads';

export interface SessionInfo {
  authenticated: boolean;
  registrant_id?: string;
  name?: string;
  csrf_token?: string;
  provider?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

let csrfToken: string | undefined;
let staffToken: string | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Staff console only: the staff IdP's access token, kept in memory for this tab. */
export function setStaffToken(token: string | undefined): void {
  staffToken = token;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  staff?: boolean;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /**
   * A page's first read: on a slow connection the service worker may answer with its copy of
   * this person's data from an earlier visit (minutes old at most) when the network is slower
   * than it; ``onCached`` is then called, and the page reads again for the current data. Without
   * it the network answers (the copy only offline).
   */
  preferCached?: boolean;
  onCached?: () => void;
}

/** What an API call did, for those who must act on it (logout wipes the device). */
export interface ApiCall {
  method: string;
  path: string;
  status: number;
}

const afterCalls = new Set<(call: ApiCall) => void | Promise<void>>();

/** Be told after each call (status 0: no answer); the caller waits for what the hook does. */
export function afterApiCall(hook: (call: ApiCall) => void | Promise<void>): () => void {
  afterCalls.add(hook);
  return () => afterCalls.delete(hook);
}

async function told(call: ApiCall): Promise<void> {
  for (const hook of afterCalls) await Promise.resolve(hook(call)).catch(() => undefined);
}

/** The service worker's header: `prefer` its copy, `refresh` it from the network. */
export const CACHE_HEADER = 'X-SSP-Cache';
export const CACHED_HEADER = 'X-SSP-Cached';

const BUSY_TRIES = 4;
const MAX_WAIT_SECONDS = 8;
const busyListeners = new Set<(busy: boolean) => void>();
let waiting = 0;

/** Be told when requests are waiting for a busy service (true) and when none is any more (false). */
export function onBusy(listener: (busy: boolean) => void): () => void {
  busyListeners.add(listener);
  return () => busyListeners.delete(listener);
}

function waitingChanged(delta: number): void {
  waiting += delta;
  for (const listener of busyListeners) listener(waiting > 0);
}

/** Seconds to wait before trying again: the answer's Retry-After (capped), with a little jitter
 * so that many phones told the same thing do not all come back at the same instant. */
export function retryDelayMs(retryAfter: string | null, attempt: number): number {
  const told = Number(retryAfter);
  const seconds = Number.isFinite(told) && told > 0 ? Math.min(told, MAX_WAIT_SECONDS) : Math.min(2 ** attempt, MAX_WAIT_SECONDS);
  return seconds * 1000 * (0.8 + Math.random() * 0.4);
}

export const timing = { sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) };

export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...(options.headers ?? {}) };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken && !options.staff) headers['X-CSRF-Token'] = csrfToken;
  if (options.staff && staffToken) headers.Authorization = `Bearer ${staffToken}`;
  if (options.preferCached && !options.staff && slowConnection()) headers[CACHE_HEADER] = 'prefer';
  let url = `/api${path}`;
  if (options.query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query)) if (value !== undefined && value !== '') params.set(key, String(value));
    const text = params.toString();
    if (text) url += `?${text}`;
  }
  const init: RequestInit = { method, headers, body, credentials: 'same-origin', signal: options.signal };
  let response: Response;
  try {
    response = await send(url, init);
  } catch (error) {
    if (error instanceof ApiError) await told({ method, path, status: 0 });
    throw error;
  }
  if (response.status === 503) {
    waitingChanged(1);
    try {
      for (let attempt = 1; response.status === 503 && attempt < BUSY_TRIES; attempt += 1) {
        await timing.sleep(retryDelayMs(response.headers.get('Retry-After'), attempt));
        response = await send(url, init);
      }
    } finally {
      waitingChanged(-1);
    }
  }
  return answer<T>(method, path, response, options);
}

async function answer<T>(method: string, path: string, response: Response, options: RequestOptions): Promise<T> {
  await told({ method, path, status: response.status });
  if (response.headers.get(CACHED_HEADER)) options.onCached?.();
  const text = await response.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!response.ok) {
    const error = (data as { error?: Record<string, unknown> } | undefined)?.error ?? {};
    const { code, message, fields, ...details } = error as { code?: string; message?: string; fields?: Record<string, string> };
    throw new ApiError(response.status, code ?? `http_${response.status}`, message ?? response.statusText, fields ?? {}, details);
  }
  return data as T;
}

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'network');
  }
}

/**
 * GET /api/session. The page's HTML preloads it (its `Link` header: vite.config.ts, pageLinks), so
 * the first call sends the same request the preload did (no header of ours, `Accept: *\/*`) to take
 * its answer rather than wait another round trip. ``refresh``: ask the service worker for the network's answer.
 */
export async function loadSession({ refresh = false, onCached }: { refresh?: boolean; onCached?: () => void } = {}): Promise<SessionInfo> {
  // With the service worker in control on a slow connection, its copy may answer first (the
  // preload then goes unused: it was sent through the worker anyway).
  const quick = !refresh && slowConnection() && Boolean(typeof navigator !== 'undefined' && navigator.serviceWorker?.controller);
  try {
    const session = await api<SessionInfo>('GET', '/session', { headers: { Accept: '*/*', ...(refresh ? { [CACHE_HEADER]: 'refresh' } : quick ? { [CACHE_HEADER]: 'prefer' } : {}) }, onCached });
    setCsrfToken(session.csrf_token);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return { authenticated: false };
    throw error;
  }
}

/** A list answer in any of the shapes a paginated route may use ({items}, {<name>: [...]}, [...]). */
export function itemsOf<T>(data: unknown, ...names: string[]): T[] {
  if (Array.isArray(data)) return data as T[];
  if (data && typeof data === 'object') {
    const record = data as Record<string, unknown>;
    for (const name of [...names, 'items', 'results', 'data']) if (Array.isArray(record[name])) return record[name] as T[];
  }
  return [];
}

/**
 * The one way the browser talks to the API: same origin, the session cookie (HttpOnly, never
 * read here), the CSRF token from GET /api/session on state-changing calls, and the error shape
 * {"error": {"code", "message", "fields"}} turned into an ApiError.
 */
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
}

export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...(options.headers ?? {}) };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken && !options.staff) headers['X-CSRF-Token'] = csrfToken;
  if (options.staff && staffToken) headers.Authorization = `Bearer ${staffToken}`;
  let url = `/api${path}`;
  if (options.query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query)) if (value !== undefined && value !== '') params.set(key, String(value));
    const text = params.toString();
    if (text) url += `?${text}`;
  }
  let response: Response;
  try {
    response = await fetch(url, { method, headers, body, credentials: 'same-origin', signal: options.signal });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'network');
  }
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

export async function loadSession(): Promise<SessionInfo> {
  try {
    const session = await api<SessionInfo>('GET', '/session');
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

/**
 * The edge agent's local service on the officer's PC (`edge_agent serve`, 127.0.0.1 only), as
 * the console calls it: CORS from this portal's origin, a pairing confirmed with the code the
 * agent shows, then the pairing secret on every call. The secret is kept in localStorage for
 * this portal and agent address; the officer's bearer token goes along only where the agent must
 * reach the portal (a capture, sending the queue).
 */
import { TOKEN } from '../user';

export const DEFAULT_AGENT = 'http://127.0.0.1:4700';
const ADDRESS = 'ssp-agent-url';
const SECRET = 'ssp-agent-pairing:';

export class AgentError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly deviceCode?: string,
  ) {
    super(message);
  }
}

export interface AgentDevice {
  port: number;
  type: string;
  modality: string;
  status: string;
  problem: string | null;
  make: string;
  model: string;
}

export interface AgentState {
  version: string;
  enrolled: boolean;
  agent_id: string | null;
  pairing: { console: string; expires_at: number } | null;
  queue: { pending: number; delivered: number; rejected: number };
  last_error: { at: number; error: string } | null;
  capturing: boolean;
}

export interface CaptureResult {
  state: 'verified' | 'refused' | 'queued';
  capture_id: string;
  assisted_session?: { session_id: string; registrant_id: string; expires_at: string };
  code?: string;
  message?: string;
  last_error?: string;
  quality?: number | null;
  min_quality?: number;
}

function storage(): Storage | undefined {
  try {
    return localStorage;
  } catch {
    return undefined;
  }
}

export function agentAddress(): string {
  return storage()?.getItem(ADDRESS) || DEFAULT_AGENT;
}

export function setAgentAddress(address: string): void {
  const clean = address.trim().replace(/\/+$/, '');
  if (/^http:\/\/(127\.0\.0\.1|localhost):\d{1,5}$/.test(clean)) storage()?.setItem(ADDRESS, clean);
}

export function isPaired(): boolean {
  return Boolean(storage()?.getItem(SECRET + agentAddress()));
}

export function forgetPairing(): void {
  storage()?.removeItem(SECRET + agentAddress());
}

async function call<T>(method: string, path: string, body?: unknown, withToken = false): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const secret = storage()?.getItem(SECRET + agentAddress());
  if (secret) headers['X-SSP-Pairing'] = secret;
  if (withToken) {
    const token = sessionStorage.getItem(TOKEN);
    if (token) headers.Authorization = `Bearer ${token}`;
  }
  let response: Response;
  try {
    response = await fetch(agentAddress() + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit', mode: 'cors' });
  } catch {
    throw new AgentError(0, 'agent_unreachable', 'agent_unreachable');
  }
  const data = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const error = (data.error ?? {}) as { code?: string; message?: string; device_code?: string };
    if (error.code === 'pairing_required') forgetPairing();
    throw new AgentError(response.status, error.code ?? `http_${response.status}`, error.message ?? '', error.device_code ?? undefined);
  }
  return data as T;
}

export async function startPairing(console: string): Promise<string> {
  const started = await call<{ pairing_id: string }>('POST', '/v1/pairings', { console });
  return started.pairing_id;
}

export async function confirmPairing(pairingId: string, code: string): Promise<void> {
  const confirmed = await call<{ secret: string }>('POST', `/v1/pairings/${encodeURIComponent(pairingId)}/confirm`, { code });
  storage()?.setItem(SECRET + agentAddress(), confirmed.secret);
}

export async function unpair(): Promise<void> {
  try {
    await call('DELETE', '/v1/pairing');
  } finally {
    forgetPairing();
  }
}

export const agentState = () => call<AgentState>('GET', '/v1/state');
export const agentDevices = async () => (await call<{ devices: AgentDevice[] }>('GET', '/v1/devices')).devices;
export const sendQueue = () => call<{ queue: AgentState['queue'] }>('POST', '/v1/send', {}, true);

export function capture(registrant: string, modality: string): Promise<CaptureResult> {
  return call<CaptureResult>('POST', '/v1/captures', { registrant, modality }, true);
}

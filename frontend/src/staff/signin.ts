/**
 * Staff sign-in at the staff identity provider: authorization code flow with PKCE as a public
 * client (GET /api/auth/staff says where). The bearer token lives in this tab's sessionStorage
 * only and goes nowhere but the portal's own /api/admin routes.
 */
import { api } from '../api/client';
import { TOKEN } from './user';

export { signOut, staffUser, type StaffUser } from './user';
const PENDING = 'ssp-staff-login';

interface StaffConfig {
  configured: boolean;
  issuer?: string;
  discovery_url?: string;
  client_id?: string;
  scope?: string;
}

function base64url(bytes: Uint8Array): string {
  let text = '';
  bytes.forEach((b) => (text += String.fromCharCode(b)));
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function random(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return base64url(bytes);
}

function redirectUri(): string {
  return `${location.origin}/staff/callback`;
}

async function discovery(config: StaffConfig): Promise<Record<string, string>> {
  const response = await fetch(config.discovery_url as string);
  if (!response.ok) throw new Error('discovery');
  return (await response.json()) as Record<string, string>;
}

export async function beginSignIn(): Promise<void> {
  const config = await api<StaffConfig>('GET', '/auth/staff');
  if (!config.configured) throw new Error('not_configured');
  const meta = await discovery(config);
  const verifier = random();
  const state = random();
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, token_endpoint: meta.token_endpoint, client_id: config.client_id }));
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: config.client_id as string,
    redirect_uri: redirectUri(),
    scope: config.scope ?? 'openid',
    state,
    nonce: random(),
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  location.assign(`${meta.authorization_endpoint}?${params}`);
}

export async function finishSignIn(query: URLSearchParams): Promise<void> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as { verifier: string; state: string; token_endpoint: string; client_id: string } | null;
  sessionStorage.removeItem(PENDING);
  if (!pending || query.get('state') !== pending.state || !query.get('code')) throw new Error('state');
  const response = await fetch(pending.token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: query.get('code') as string, redirect_uri: redirectUri(), client_id: pending.client_id, code_verifier: pending.verifier }),
  });
  if (!response.ok) throw new Error('token');
  const tokens = (await response.json()) as { access_token?: string; id_token?: string };
  const token = tokens.access_token ?? tokens.id_token;
  if (!token) throw new Error('token');
  sessionStorage.setItem(TOKEN, token);
}

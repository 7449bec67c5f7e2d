/** The registrant's session as the app knows it (GET /api/session), shared by every page. */
import { useEffect, useState } from 'preact/hooks';
import { loadSession, type SessionInfo } from './api/client';

let session: SessionInfo | undefined;
const listeners = new Set<(s: SessionInfo | undefined) => void>();

export function currentSession(): SessionInfo | undefined {
  return session;
}

export function setSession(next: SessionInfo | undefined): void {
  session = next;
  listeners.forEach((listener) => listener(next));
}

export async function refreshSession(): Promise<SessionInfo> {
  const next = await loadSession().catch(() => ({ authenticated: false }) as SessionInfo);
  setSession(next);
  return next;
}

export function useSession(): SessionInfo | undefined {
  const [value, setValue] = useState(session);
  useEffect(() => {
    listeners.add(setValue);
    setValue(session);
    return () => {
      listeners.delete(setValue);
    };
  }, []);
  return value;
}

/** The login route: where to land afterwards, and the language the IdP should speak (ui_locales). */
export function loginHref(provider: string, next: string, locale: string, method?: string): string {
  const params = new URLSearchParams({ return_to: next, locale });
  if (method) params.set('method', method);
  return `/api/auth/login/${encodeURIComponent(provider)}?${params}`;
}
